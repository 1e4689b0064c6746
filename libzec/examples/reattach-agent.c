// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Watch zec device DEV and, when one of its ports fails (a failover or
 * port state event, or a resync after lost events), print the re-attach
 * plan of the VFs held on the failed ports as QMP commands, one JSON
 * object a line: device_del of the old VF, device_add of its replacement,
 * then one announce-self.
 *
 *   cc -o reattach-agent reattach-agent.c $(pkg-config --cflags --libs libzec)
 *   reattach-agent [--sysfs-root DIR] [--run-dir DIR] [--owner PID]
 *                  [--once] [--count N] [--timeout SECONDS] DEV
 *
 * The QEMU device id of a VF is "hostdev-" and its PCI address with ':'
 * and '.' as '-': -device vfio-pci,host=0000:81:01.0,id=hostdev-0000-81-01-0.
 * Each replacement is reserved for the old VF's owner and the old VF's
 * reservation is released once its device_del is printed: the agent hands
 * the VM over to the new VF (whoever executes the commands must). A real
 * VMM releases it after QEMU's DEVICE_DELETED, sets the guest's MAC and
 * VLAN on the new VF's PF before device_add, and releases the
 * replacements of a plan it does not carry out (Documentation/vmm.md).
 * --once: the plan of the current state, then exit. --count N: exit after
 * N plans that moved something; --timeout: exit 1 if they do not come.
 * "DEV: watching" on stderr says the current state's plan is printed and
 * events are watched.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zec/zec.h>

/* QEMU's defaults for announcements after migration (announce-*). */
#define ANNOUNCE "{\"initial\":50,\"max\":550,\"rounds\":5,\"step\":100}"

struct agent {
	const char *dev;
	const char *sysfs_root;
	const char *run_dir;
	pid_t owner;
	struct zec_handle *h;
	const char *failed;	/* the call that failed */
};

/* "hostdev-0000-81-01-0" of "0000:81:01.0" */
static const char *device_id(const struct zec_vf *vf, char *buf, size_t size)
{
	char *p;

	snprintf(buf, size, "hostdev-%s", zec_vf_pci_addr(vf));
	for (p = buf; *p; p++)
		if (*p == ':' || *p == '.')
			*p = '-';
	return buf;
}

/* Print the plan for dev's state; how many VFs it moved, or -errno. */
static int reattach(struct agent *a, const struct zec_device *dev)
{
	struct zec_vf_list *list;
	struct zec_reattach_plan *plan;
	const struct zec_reattach *r;
	const struct zec_vf *old, *new;
	char id[64];
	int err, moved = 0;
	size_t i;

	a->failed = "zec_vf_list_get";
	err = zec_vf_list_get(a->sysfs_root, a->run_dir, &list);
	if (err)
		return err;
	a->failed = "zec_reattach_plan_get";
	err = zec_reattach_plan_get(list, dev, a->owner, &plan);
	if (err) {
		zec_vf_list_free(list);
		return err;
	}
	for (i = 0; (r = zec_reattach_plan_at(plan, i)); i++) {
		old = zec_reattach_old(r);
		new = zec_reattach_new(r);
		if (!new) {
			fprintf(stderr, "%s: no free VF of a live PF for %s\n",
				a->dev, zec_vf_pci_addr(old));
			continue;
		}
		device_id(old, id, sizeof(id));
		printf("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"%s\"}}\n",
		       id);
		printf("{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"vfio-pci\",\"host\":\"%s\",\"id\":\"%s\"}}\n",
		       zec_vf_pci_addr(new), device_id(new, id, sizeof(id)));
		zec_vf_release(list, old, zec_vf_owner(old));
		moved++;
	}
	if (moved)
		printf("{\"execute\":\"announce-self\",\"arguments\":" ANNOUNCE "}\n");
	fflush(stdout);
	zec_reattach_plan_free(plan);
	zec_vf_list_free(list);
	return moved;
}

/* The plan of the device's state now. */
static int reattach_now(struct agent *a)
{
	struct zec_device dev = { .sz = sizeof(dev) };
	int err = zec_device_get(a->h, a->dev, &dev);

	a->failed = "zec_device_get";
	if (err)
		return err;
	err = reattach(a, &dev);
	zec_device_free(&dev);
	return err;
}

/* What one event asks of the agent: a plan, from which state. */
static int handle(struct agent *a, const struct zec_event *ev)
{
	size_t i;

	switch (ev->type) {
	case ZEC_EVENT_FAILOVER:
	case ZEC_EVENT_PORT_STATE:
		return strcmp(ev->ifname, a->dev) ? 0 : reattach_now(a);
	case ZEC_EVENT_RESYNC:
		/* the state it hands over, or ask again if it has none */
		if (ev->resync_err)
			return reattach_now(a);
		for (i = 0; i < ev->n_devs; i++)
			if (!strcmp(ev->devs[i]->ifname, a->dev))
				return reattach(a, ev->devs[i]);
		return 0;
	default:
		return 0;
	}
}

static int fail(struct agent *a, const char *what, int err)
{
	const char *msg = zec_last_error(a->h);

	fprintf(stderr, "%s: %s: %s\n", a->dev, what,
		msg ? msg : strerror(-err));
	zec_close(a->h);
	return 1;
}

/* A whole decimal number from 0 to max, else -1. */
static long number(const char *text, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 0 || v > max)
		return -1;
	return v;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--sysfs-root DIR] [--run-dir DIR] [--owner PID] [--once] [--count N] [--timeout SECONDS] DEV\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "sysfs-root", required_argument, NULL, 's' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "owner", required_argument, NULL, 'o' },
		{ "once", no_argument, NULL, '1' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct zec_event evs[8] = { { .sz = sizeof(evs[0]) } };
	struct agent a = { 0 };
	long count = 0, timeout = -1, plans = 0;
	struct timespec now, end = { 0 };
	int opt, once = 0, err, n, i, wait;
	struct pollfd pfd;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			a.sysfs_root = optarg;
			break;
		case 'r':
			a.run_dir = optarg;
			break;
		case 'o':
			a.owner = (pid_t)number(optarg, INT_MAX);
			break;
		case '1':
			once = 1;
			break;
		case 'c':
			count = number(optarg, LONG_MAX);
			break;
		case 't':
			timeout = number(optarg, INT_MAX / 1000);
			if (timeout < 0)
				usage(argv[0]);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc - 1 || a.owner < 0 || count < 0)
		usage(argv[0]);
	a.dev = argv[optind];
	err = zec_open(&a.h);
	if (err) {
		fprintf(stderr, "zec_open: %s\n", strerror(-err));
		return 1;
	}
	/* joined before the state is read: no change falls in between */
	pfd.fd = zec_event_fd(a.h);
	pfd.events = POLLIN;
	if (pfd.fd < 0)
		return fail(&a, "zec_event_fd", pfd.fd);
	err = reattach_now(&a);
	if (err < 0)
		return fail(&a, a.failed, err);
	plans += err > 0;
	if (once || (count && plans >= count)) {
		zec_close(a.h);
		return 0;
	}
	fprintf(stderr, "%s: watching\n", a.dev);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout;
	for (;;) {
		wait = -1;
		if (timeout >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			wait = (int)((end.tv_sec - now.tv_sec) * 1000 +
				     (end.tv_nsec - now.tv_nsec) / 1000000);
			if (wait <= 0) {
				fprintf(stderr, "%s: timed out\n", a.dev);
				zec_close(a.h);
				return 1;
			}
		}
		/* a signal handled meanwhile (a VMM has some) is no error */
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR)
			return fail(&a, "poll", -errno);
		while ((n = zec_event_read(a.h, evs, 8)) > 0) {
			for (i = 0; i < n; i++) {
				err = handle(&a, &evs[i]);
				if (err < 0)
					return fail(&a, a.failed, err);
				plans += err > 0;
			}
			if (count && plans >= count) {
				zec_close(a.h);
				return 0;
			}
		}
		if (n < 0)
			return fail(&a, "zec_event_read", n);
	}
}
