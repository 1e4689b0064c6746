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

/*
 * Start generation tracking over from a fresh dump, which ev (a
 * ZEC_EVENT_RESYNC) takes, or the dump's error.
 */
static void resync(struct zec_handle *h, struct zec_event *ev)
{
	struct zec_device **devs;
	size_t i, n;
	int err;

	zec_gen_clear(&h->gens);
	err = zec_device_list(h, &devs, &n);
	for (i = 0; !err && i < n; i++)
		err = zec_gen_track(&h->gens, devs[i]->ifindex,
				    devs[i]->generation);
	if (err) {
		zec_device_list_free(devs, n);
		ev->resync_err = err;
		return;
	}
	ev->devs = devs;
	ev->n_devs = n;
}

ZEC_EXPORT int zec_event_fd(struct zec_handle *h)
{
	struct zec_event ev = { .sz = sizeof(ev) };
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
	/* joined first, so no change can fall between dump and events */
	resync(h, &ev);
	err = ev.resync_err;
	zec_event_clear(&ev);
	if (err)
		goto fail;
	return mnl_socket_get_fd(h->monitor);
fail:
	if (h->monitor)
		mnl_socket_close(h->monitor);
	h->monitor = NULL;
	free(h->event_buf);
	h->event_buf = NULL;
	return err;
}

/* Next notification of family zec from the buffer, or NULL if it is empty. */
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
		if (nlh->nlmsg_type == h->family.id)
			return nlh;
	}
	return NULL;
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

/* A ZEC_EVENT_RESYNC for ifindex (0: the socket overran), with the dump. */
static int resync_event(struct zec_handle *h, uint32_t ifindex, void *evs,
			size_t stride, size_t *count)
{
	struct zec_event ev = {
		.sz = sizeof(ev),
		.type = ZEC_EVENT_RESYNC,
		.ifindex = ifindex,
	};

	resync(h, &ev);
	return hand_out(h, &ev, evs, stride, count);
}

ZEC_EXPORT int zec_event_read(struct zec_handle *h, struct zec_event *evs,
			      size_t n)
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

		if (nlh) {
			if (zec_parse_event(nlh, nlh->nlmsg_len, &ev)) {
				zec_event_clear(&ev);
				continue;	/* not an event we know */
			}
			err = zec_gen_track(&h->gens, ev.ifindex,
					    ev.generation);
			if (err > 0)
				err = resync_event(h, ev.ifindex, evs, stride,
						   &count);
			/* no room: the resync already says so */
			if (err < 0 || count == n) {
				zec_event_clear(&ev);
				if (err < 0)
					return count ? (int)count : err;
				break;
			}
			err = hand_out(h, &ev, evs, stride, &count);
			if (err)
				return count ? (int)count : err;
			continue;
		}
		got = recv(mnl_socket_get_fd(h->monitor), h->event_buf,
			   ZEC_RECV_SIZE, 0);
		if (got < 0 && errno == ENOBUFS) {
			err = resync_event(h, 0, evs, stride, &count);
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
