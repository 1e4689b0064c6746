// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Print every failover of every zec device until interrupted.
 *
 *   cc -o failover-watch failover-watch.c $(pkg-config --cflags --libs libzec)
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <zec/zec.h>

static const char *port_name(uint32_t ifindex, char *buf)
{
	if (!ifindex)
		return "(none)";
	return if_indextoname(ifindex, buf) ? buf : "(gone)";
}

static void print_failover(const struct zec_event *ev)
{
	char from[IF_NAMESIZE], to[IF_NAMESIZE];

	printf("%s: node %u moved from %s to %s (reason %u) at %llu ns\n",
	       ev->ifname, ev->node, port_name(ev->from_ifindex, from),
	       port_name(ev->to_ifindex, to), ev->reason,
	       (unsigned long long)ev->timestamp_ns);
}

int main(void)
{
	struct zec_event evs[16] = { { .sz = sizeof(evs[0]) } };
	struct zec_handle *h;
	struct pollfd pfd;
	int err, i, n;

	err = zec_open(&h);
	if (err) {
		fprintf(stderr, "zec_open: %s\n", strerror(-err));
		return 1;
	}
	pfd.fd = zec_event_fd(h);
	pfd.events = POLLIN;
	if (pfd.fd < 0) {
		fprintf(stderr, "zec_event_fd: %s\n", strerror(-pfd.fd));
		zec_close(h);
		return 1;
	}
	while (poll(&pfd, 1, -1) >= 0) {
		while ((n = zec_event_read(h, evs, 16)) > 0) {
			for (i = 0; i < n; i++) {
				if (evs[i].type == ZEC_EVENT_FAILOVER)
					print_failover(&evs[i]);
				else if (evs[i].type == ZEC_EVENT_RESYNC)
					printf("events lost; %zu devices re-read\n",
					       evs[i].n_devs);
			}
			fflush(stdout);
		}
		if (n < 0) {
			fprintf(stderr, "zec_event_read: %s\n", strerror(-n));
			break;
		}
	}
	zec_close(h);
	return 1;
}
