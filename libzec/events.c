// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Notifications of the monitor group, with detection of lost ones: by
 * socket overrun (ENOBUFS) and by gaps in a device's generation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "internal.h"

int zec_gen_track(struct zec_gen_table *table, uint32_t ifindex, uint32_t gen)
{
	struct zec_gen_entry *entry;
	size_t i;
	int gap;

	for (i = 0; i < table->n; i++) {
		entry = &table->entries[i];
		if (entry->ifindex != ifindex)
			continue;
		/*
		 * Serial number arithmetic, for the wrap. Going backwards is
		 * not a loss: a late event, or a new device reusing the
		 * ifindex, so just follow it.
		 */
		gap = (int32_t)(gen - entry->generation) > 1;
		entry->generation = gen;
		return gap;
	}
	entry = reallocarray(table->entries, table->n + 1, sizeof(*entry));
	if (!entry)
		return -ENOMEM;
	table->entries = entry;
	table->entries[table->n++] = (struct zec_gen_entry){ ifindex, gen };
	return 0;
}

void zec_gen_clear(struct zec_gen_table *table)
{
	free(table->entries);
	table->entries = NULL;
	table->n = 0;
}

/* Forget the dump in flight; its late replies are ignored by their seq. */
static void resync_drop(struct zec_handle *h)
{
	struct zec_resync *r = &h->resync;

	zec_device_list_free(r->devs, r->n);
	r->devs = NULL;
	r->n = 0;
	r->seq = 0;
	r->intr = false;
	r->err = 0;
}

void zec_event_release(struct zec_handle *h)
{
	size_t i;

	for (i = 0; i < h->n_held; i++)
		zec_event_clear(&h->held[i]);
	free(h->held);
	h->held = NULL;
	h->n_held = 0;
}

void zec_event_close(struct zec_handle *h)
{
	zec_event_release(h);
	resync_drop(h);
	if (h->monitor)
		mnl_socket_close(h->monitor);
	h->monitor = NULL;
	free(h->event_buf);
	h->event_buf = NULL;
}

/*
 * Dump every device on the monitor socket itself, so that nothing blocks:
 * zec_event_read() takes the replies as they come, in order with the
 * notifications. report: hand out a ZEC_EVENT_RESYNC for ifindex when it
 * ends. No dump may be in flight: the kernel runs one per socket.
 */
static int resync_start(struct zec_handle *h, bool report, uint32_t ifindex)
{
	struct zec_resync *r = &h->resync;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	resync_drop(h);
	nlh = zec_request(h, buf, ZEC_CMD_DEV_GET, NULL, &err);
	if (!nlh)
		return err;
	nlh->nlmsg_seq = ++h->seq;
	/* to the socket's peer: the kernel */
	if (send(mnl_socket_get_fd(h->monitor), nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	r->seq = nlh->nlmsg_seq;
	r->report = report;
	r->ifindex = ifindex;
	return 0;
}

/*
 * Events were lost (ifindex's generation skipped, or 0: the socket
 * overran): dump now, or again once the dump in flight ends, and report.
 */
static int resync_lost(struct zec_handle *h, uint32_t ifindex)
{
	struct zec_resync *r = &h->resync;

	if (!r->seq)
		return resync_start(h, true, ifindex);
	/* two reasons for one dump: say which device only if it is one */
	if (r->report && r->ifindex != ifindex)
		ifindex = 0;
	r->ifindex = ifindex;
	r->report = true;
	r->intr = true;
	return 0;
}

/* The dump's devices become the generations to track from. */
static int resync_track(struct zec_handle *h)
{
	struct zec_resync *r = &h->resync;
	size_t i;
	int err = 0;

	zec_gen_clear(&h->gens);
	for (i = 0; !err && i < r->n; i++)
		err = zec_gen_track(&h->gens, r->devs[i]->ifindex,
				    r->devs[i]->generation);
	return err;
}

/*
 * One reply of the dump in flight. Returns 1 when it ended and *ev is the
 * ZEC_EVENT_RESYNC to hand out (with the devices, or resync_err), 0 when
 * there is nothing to hand out (yet), or a negative errno.
 */
static int resync_reply(struct zec_handle *h, const struct nlmsghdr *nlh,
			struct zec_event *ev)
{
	struct zec_resync *r = &h->resync;
	struct zec_device *dev, **grown;
	char msg[sizeof(h->error)];
	bool report;
	int err;

	if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR) {
		err = zec_parse_ack(nlh, nlh->nlmsg_len, msg, sizeof(msg));
		if (!err && r->intr && ++r->tries < ZEC_DUMP_TRIES)
			return resync_start(h, r->report, r->ifindex);
		if (!err)
			err = r->intr ? -EAGAIN : r->err;
		if (!err)
			err = resync_track(h);
		*ev = (struct zec_event){
			.sz = sizeof(*ev),
			.type = ZEC_EVENT_RESYNC,
			.ifindex = r->ifindex,
			.resync_err = err,
		};
		if (!err) {
			ev->devs = r->devs;
			ev->n_devs = r->n;
			r->devs = NULL;
			r->n = 0;
		}
		report = r->report;
		r->tries = 0;
		resync_drop(h);
		if (!report)
			zec_event_clear(ev);
		return report;
	}
	if (nlh->nlmsg_type != h->family.id)
		return 0;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	dev = malloc(sizeof(*dev));
	grown = reallocarray(r->devs, r->n + 1, sizeof(*grown));
	if (grown)
		r->devs = grown;
	err = dev && grown ? zec_parse_device(nlh, nlh->nlmsg_len, dev) :
			     -ENOMEM;
	if (err) {
		free(dev);
		if (!r->err)
			r->err = err;
		return 0;
	}
	r->devs[r->n++] = dev;
	return 0;
}

ZEC_EXPORT int zec_event_fd(struct zec_handle *h)
{
	int err;

	zec_call_start(h);
	if (h->monitor)
		return mnl_socket_get_fd(h->monitor);
	err = zec_resolve_family(h);
	if (err)
		return err;
	if (!h->family.monitor_group)
		return zec_error(h, -EPROTONOSUPPORT,
				 "the zec module has no monitor group");
	h->event_buf = malloc(ZEC_RECV_SIZE);
	h->monitor = zec_socket(NETLINK_GENERIC, SOCK_NONBLOCK);
	if (!h->event_buf || !h->monitor) {
		err = h->event_buf ? -errno : -ENOMEM;
		goto fail;
	}
	if (mnl_socket_bind(h->monitor, 0, MNL_SOCKET_AUTOPID) ||
	    mnl_socket_setsockopt(h->monitor, NETLINK_ADD_MEMBERSHIP,
				  &h->family.monitor_group,
				  sizeof(h->family.monitor_group))) {
		err = -errno;
		goto fail;
	}
	/*
	 * Joined first: the dump's replies follow any notification it
	 * missed. Read with the events; the first tracks generations only.
	 */
	err = resync_start(h, false, 0);
	if (err)
		goto fail;
	return mnl_socket_get_fd(h->monitor);
fail:
	zec_event_close(h);
	return err;
}

/* Next message from the buffer, or NULL if it is empty. */
static const struct nlmsghdr *next_message(struct zec_handle *h)
{
	while (h->event_off < h->event_len) {
		const struct nlmsghdr *nlh =
			(const void *)(h->event_buf + h->event_off);
		int left = (int)(h->event_len - h->event_off);

		if (!mnl_nlmsg_ok(nlh, left)) {
			h->event_off = h->event_len;
			break;
		}
		h->event_off += NLMSG_ALIGN(nlh->nlmsg_len);
		return nlh;
	}
	return NULL;
}

/*
 * ev into the caller's slot *count of evs (stride bytes each); the handle
 * keeps what ev points to until the next read.
 */
static int hand_out(struct zec_handle *h, struct zec_event *ev, void *evs,
		    size_t stride, size_t *count)
{
	struct zec_event *held;
	char *slot = (char *)evs + *count * stride;

	held = reallocarray(h->held, h->n_held + 1, sizeof(*held));
	if (!held) {
		zec_event_clear(ev);
		return -ENOMEM;
	}
	h->held = held;
	held[h->n_held] = *ev;
	*(size_t *)slot = stride;
	zec_copy_out(slot, &held[h->n_held++], sizeof(*held));
	(*count)++;
	return 0;
}

/*
 * The next up to n events into evs; an event of a type after last is
 * tracked (its generation counts) but not handed out.
 */
static int event_read(struct zec_handle *h, struct zec_event *evs, size_t n,
		      enum zec_event_type last)
{
	size_t stride = n ? evs->sz : 0, count = 0;
	struct zec_event ev;
	int err;

	zec_call_start(h);
	zec_event_release(h);
	if (!h->monitor)
		return zec_error(h, -EBADF,
				 "no event socket: call zec_event_fd() first");
	err = n ? zec_check_sz(h, stride, ZEC_EVENT_SZ_1_0, "zec_event") : 0;
	if (err)
		return err;
	while (count < n) {
		const struct nlmsghdr *nlh = next_message(h);
		ssize_t got;

		if (nlh && h->resync.seq && nlh->nlmsg_seq == h->resync.seq) {
			err = resync_reply(h, nlh, &ev);
			if (err > 0)
				err = hand_out(h, &ev, evs, stride, &count);
			if (err < 0)
				return count ? (int)count : err;
			continue;
		}
		/* notifications have seq 0; the rest is left of older dumps */
		if (nlh && (nlh->nlmsg_type != h->family.id || nlh->nlmsg_seq))
			continue;
		if (nlh) {
			int parsed = zec_parse_event(nlh, nlh->nlmsg_len, &ev);

			/*
			 * One of a command we do not know (-ENOMSG) is no
			 * event, but the generation it names counts: else
			 * the device's next event would look like a loss.
			 */
			err = !parsed || (parsed == -ENOMSG && ev.ifindex) ?
			      zec_gen_track(&h->gens, ev.ifindex,
					    ev.generation) : 0;
			if (err > 0)
				err = resync_lost(h, ev.ifindex);
			if (!err && !parsed && ev.type <= last)
				err = hand_out(h, &ev, evs, stride, &count);
			else
				zec_event_clear(&ev);
			if (err)
				return count ? (int)count : err;
			continue;
		}
		got = recv(mnl_socket_get_fd(h->monitor), h->event_buf,
			   ZEC_RECV_SIZE, 0);
		if (got < 0 && errno == ENOBUFS) {
			err = resync_lost(h, 0);
			if (err)
				return count ? (int)count : err;
			continue;
		}
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (got < 0)
			return count ? (int)count : -errno;
		h->event_len = (size_t)got;
		h->event_off = 0;
	}
	return (int)count;
}

/*
 * zec_event_read@ZEC_1.0, bound by programs linked against libzec 1.0:
 * neither its header nor its man page said that unknown types may come,
 * so it hands out only the types 1.0 declared. Their sz cannot tell such
 * programs apart (struct zec_event may keep its size), the symbol version
 * they were linked with does.
 */
ZEC_EXPORT int zec_event_read_1_0(struct zec_handle *h, struct zec_event *evs,
				  size_t n)
{
	return event_read(h, evs, n, ZEC_EVENT_RESYNC);
}
__asm__(".symver zec_event_read_1_0, zec_event_read@ZEC_1.0");

/* zec_event_read@@ZEC_1.1, the default: every type. */
ZEC_EXPORT int zec_event_read_1_1(struct zec_handle *h, struct zec_event *evs,
				  size_t n)
{
	return event_read(h, evs, n, ZEC_EVENT_TYPE_LAST);
}
__asm__(".symver zec_event_read_1_1, zec_event_read@@ZEC_1.1");
