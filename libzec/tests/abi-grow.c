// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A program built against the 1.0 header (libzec/abi/1.0), run against a
 * library whose structs with sz grew a trailing field: the library must
 * write nothing past the caller's struct. A canary follows each struct.
 * Works without the zec module: a failed zec_device_get() cleared the
 * caller's struct at the library's size in 0.1. For zec_event_read(),
 * whose array of the caller's structs must be filled at the caller's
 * stride, this program plays the kernel (fake-kernel.h): it answers the
 * family lookup and the resync dump, then hands out three failover
 * notifications with a receive port one (libzec 1.1's ZEC_EVENT_RX_PORT)
 * among them. Linked as a 1.0 program was (tests.mk), it calls
 * zec_event_read@ZEC_1.0, which must not hand out a type 1.0 did not
 * declare, yet count its generation: no resync.
 */
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <zec/zec.h>

#include "fake-kernel.h"

#define CANARY 0xa5

struct guarded_device {
	struct zec_device dev;
	unsigned char canary[256];
};

struct guarded_topology {
	struct zec_topology topo;
	unsigned char canary[256];
};

static int intact(const unsigned char *canary, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (canary[i] != CANARY) {
			printf("FAIL abi: %s: byte %zu past the 1.0 struct overwritten\n",
			       what, i);
			return 0;
		}
	}
	return 1;
}

#define EVENTS 3
/* the notification of generation RX_PORT_GEN is a receive port one */
#define RX_PORT_GEN 2

/* device dumps asked for: the first by zec_event_fd(), then resyncs */
static int dumps;

/*
 * The family; an empty dump, then EVENTS failovers of generation 1, 3, 4
 * and between them the receive port notification of generation 2.
 */
void fake_kernel_answer(int fd, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh;
	uint32_t gen;
	char *buf;

	if (req->nlmsg_type == GENL_ID_CTRL) {
		fake_answer_family(fd, req);
		return;
	}
	if (dumps++)
		return;
	buf = fake_queue(fd);
	if (buf)
		fake_queued(buf, fake_done(buf, req));
	buf = fake_queue(fd);
	for (gen = 1, nlh = (struct nlmsghdr *)buf; buf && gen <= EVENTS + 1;
	     gen++) {
		nlh = fake_genl(gen > 1 ? fake_after(nlh) : buf, FAKE_FAMILY_ID,
				gen == RX_PORT_GEN ? ZEC_CMD_RX_PORT_NTF :
						     ZEC_CMD_FAILOVER_NTF, 0);
		mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 7);
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec-abi");
		mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, gen);
		if (gen == RX_PORT_GEN)
			mnl_attr_put_u32(nlh, ZEC_A_DEV_RX_PORT_ACTIVE, 8);
	}
	if (buf)
		fake_queued(buf, nlh);
}

struct guarded_events {
	struct zec_event evs[EVENTS];
	unsigned char canary[256];
};

/*
 * EVENTS failovers into a 1.0 array: each at its own place, none past it,
 * no receive port event, and no resync for its generation after it.
 */
static int events_ok(struct zec_handle *h)
{
	struct guarded_events g;
	int fd, n, i, ok = 1;
	uint32_t gen;

	memset(&g, CANARY, sizeof(g));
	g.evs[0].sz = sizeof(g.evs[0]);
	fake_kernel_on = 1;
	fd = zec_event_fd(h);
	n = fd < 0 ? fd : zec_event_read(h, g.evs, EVENTS);
	fake_kernel_on = 0;
	if (n != EVENTS) {
		printf("FAIL abi: zec_event_read() from the fake kernel: %d, want %d\n",
		       n, EVENTS);
		return 0;
	}
	if (dumps != 1) {
		printf("FAIL abi: %d device dumps, want 1: a resync for the receive port notification's generation\n",
		       dumps);
		ok = 0;
	}
	for (i = 0; i < EVENTS; i++) {
		gen = (uint32_t)i + 1 + (i + 1 >= RX_PORT_GEN);
		if (g.evs[i].sz != sizeof(g.evs[i]) ||
		    g.evs[i].type != ZEC_EVENT_FAILOVER ||
		    g.evs[i].generation != gen ||
		    strcmp(g.evs[i].ifname, "zec-abi")) {
			printf("FAIL abi: zec_event_read(): event %d not at its 1.0 place (sz %zu, type %d, generation %u)\n",
			       i, g.evs[i].sz, (int)g.evs[i].type,
			       g.evs[i].generation);
			ok = 0;
		}
	}
	return ok && intact(g.canary, sizeof(g.canary), "zec_event_read()");
}

int main(void)
{
	struct guarded_device d;
	struct guarded_topology t;
	struct zec_handle *h;
	int ok = 1, err;

	memset(&d, CANARY, sizeof(d));
	memset(&t, CANARY, sizeof(t));
	d.dev.sz = sizeof(d.dev);
	t.topo.sz = sizeof(t.topo);
	if (zec_open(&h)) {
		printf("FAIL abi: zec_open\n");
		return 1;
	}
	/* fails without the module (or device): cleared, not overrun */
	zec_device_get(h, "zec-abi-test", &d.dev);
	ok &= intact(d.canary, sizeof(d.canary), "zec_device_get()");
	zec_device_free(&d.dev);	/* frees nothing after a failure */
	ok &= intact(d.canary, sizeof(d.canary), "zec_device_free()");
	ok &= d.dev.sz == sizeof(d.dev);
	err = zec_topology_get(&t.topo);
	ok &= !err && t.topo.n_nodes > 0 &&
	      intact(t.canary, sizeof(t.canary), "zec_topology_get()");
	zec_topology_free(&t.topo);
	ok &= intact(t.canary, sizeof(t.canary), "zec_topology_free()");
	ok &= events_ok(h);
	zec_close(h);
	if (ok)
		printf("PASS abi: a 1.0 program's structs, with a grown library\n");
	return !ok;
}
