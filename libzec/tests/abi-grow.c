// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A program built against the 1.0 header (libzec/abi/1.0), run against a
 * library whose structs with sz grew a trailing field: the library must
 * write nothing past the caller's struct. A canary follows each struct.
 * Works without the zec module: a failed zec_device_get() cleared the
 * caller's struct at the library's size in 0.1.
 */
#include <stdio.h>
#include <string.h>
#include <zec/zec.h>

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
	zec_close(h);
	if (ok)
		printf("PASS abi: a 1.0 program's structs, with a grown library\n");
	return !ok;
}
