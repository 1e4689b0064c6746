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

/* Start generation tracking over from a fresh dump. */
static int resync(struct zec_handle *h)
{
	struct zec_device *devs;
	size_t i, n;
	int err;

	zec_gen_clear(&h->gens);
	err = zec_device_list(h, &devs, &n);
	if (err)
		return err;
	for (i = 0; !err && i < n; i++)
		err = zec_gen_track(&h->gens, devs[i].ifindex,
				    devs[i].generation);
	zec_device_list_free(devs, n);
	return err;
}

ZEC_EXPORT int zec_event_fd(struct zec_handle *h)
{
	int err;

	if (h->monitor)
		return mnl_socket_get_fd(h->monitor);
	err = zec_resolve_family(h);
	if (err)
		return err;
	if (!h->family.monitor_group)
		return -EPROTONOSUPPORT;
	h->event_buf = malloc(ZEC_RECV_SIZE);
	h->monitor = mnl_socket_open2(NETLINK_GENERIC, SOCK_NONBLOCK);
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
	err = resync(h);
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

static void resync_event(struct zec_event *ev, uint32_t ifindex)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = ZEC_EVENT_RESYNC;
	ev->ifindex = ifindex;
}

ZEC_EXPORT int zec_event_read(struct zec_handle *h, struct zec_event *evs,
			      size_t n)
{
	size_t count = 0;
	int err;

	if (!h->monitor)
		return -EBADF;
	while (count < n) {
		const struct nlmsghdr *nlh = next_message(h);
		struct zec_event ev;
		ssize_t got;

		if (nlh) {
			if (zec_parse_event(nlh, nlh->nlmsg_len, &ev))
				continue;	/* not an event we know */
			err = zec_gen_track(&h->gens, ev.ifindex,
					    ev.generation);
			if (err < 0)
				return count ? (int)count : err;
			if (err) {
				resync_event(&evs[count++], ev.ifindex);
				err = resync(h);
				if (err)
					return count ? (int)count : err;
				/* no room: the resync already says so */
				if (count == n)
					break;
			}
			evs[count++] = ev;
			continue;
		}
		got = recv(mnl_socket_get_fd(h->monitor), h->event_buf,
			   ZEC_RECV_SIZE, 0);
		if (got < 0 && errno == ENOBUFS) {
			resync_event(&evs[count++], 0);
			err = resync(h);
			if (err)
				return (int)count;
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
