// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library's entry points where they need no zec module: the size
 * convention, close-on-exec sockets, per-call errors with messages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "internal.h"
#include "unit.h"

static bool says(const struct zec_handle *h, const char *what)
{
	const char *msg = zec_last_error(h);

	return msg && strstr(msg, what);
}

static const char *test_size_minimum(void)
{
	struct zec_device dev = { .sz = ZEC_DEVICE_SZ_1_0 - 1 };
	struct zec_rate rate = { .sz = sizeof(size_t), .percent = 50 };
	struct zec_probe_config probe = { .sz = 0 };
	struct zec_topology topo = { .sz = 4 };
	struct zec_handle *h;

	CHECK(zec_open(&h) == 0);
	CHECK(zec_device_get(h, "zec0", &dev) == -EINVAL);
	CHECK(says(h, "struct zec_device: sz is"));
	CHECK(zec_stats_get(h, "zec0", &dev) == -EINVAL);
	CHECK(zec_rate_set(h, "zec0", NULL, &rate) == -EINVAL);
	CHECK(says(h, "set sz = sizeof(struct zec_rate)"));
	CHECK(zec_probe_set(h, "zec0", &probe) == -EINVAL);
	CHECK(says(h, "struct zec_probe_config"));
	CHECK(zec_topology_get(&topo) == -EINVAL);
	zec_close(h);
	return NULL;
}

/* An sz above ZEC_SZ_MAX is one never set: refused, not trusted. */
static const char *test_size_maximum(void)
{
	struct zec_device dev = { .sz = ZEC_SZ_MAX + 1 };
	struct zec_rate rate = { .sz = ZEC_SZ_MAX + 1, .percent = 50 };
	struct zec_probe_config probe = { .sz = SIZE_MAX };
	struct zec_topology topo = { .sz = ZEC_SZ_MAX + 1 };
	struct zec_event ev = { .sz = ZEC_SZ_MAX + 1 };
	struct zec_handle *h;

	CHECK(zec_open(&h) == 0);
	CHECK(zec_device_get(h, "zec0", &dev) == -EINVAL);
	CHECK(says(h, "struct zec_device: sz is 4097, above the 4096 bytes"));
	CHECK(zec_rate_set(h, "zec0", NULL, &rate) == -EINVAL);
	CHECK(says(h, "struct zec_rate: sz is 4097, above"));
	CHECK(zec_probe_set(h, "zec0", &probe) == -EINVAL);
	CHECK(says(h, "struct zec_probe_config: sz is"));
	CHECK(zec_topology_get(&topo) == -EINVAL);
	/* an event socket without the module, as zec_event_fd() opens it */
	h->monitor = zec_socket(NETLINK_GENERIC, SOCK_NONBLOCK);
	h->event_buf = malloc(ZEC_RECV_SIZE);
	CHECK(h->monitor && h->event_buf);
	CHECK(zec_event_read(h, &ev, 1) == -EINVAL);
	CHECK(says(h, "struct zec_event: sz is 4097, above"));
	zec_close(h);
	return NULL;
}

/* A caller's struct shorter or longer than the library's. */
static const char *test_copy_sizes(void)
{
	struct {
		size_t sz;
		uint32_t a, b;
		unsigned char canary[16];
	} dst;
	struct {
		size_t sz;
		uint32_t a, b, c, d;
	} src = { sizeof(src), 1, 2, 3, 4 }, in;

	memset(&dst, 0xa5, sizeof(dst));
	dst.sz = offsetof(__typeof__(dst), canary);
	CHECK(zec_copy_out(&dst, &src, sizeof(src)) == dst.sz);
	CHECK(dst.sz == offsetof(__typeof__(dst), canary));
	CHECK(dst.a == 1 && dst.b == 2);
	CHECK(dst.canary[0] == 0xa5 && dst.canary[15] == 0xa5);
	/* longer than the library's: the rest reads as zero */
	memset(&dst, 0xa5, sizeof(dst));
	dst.sz = sizeof(dst);
	CHECK(zec_copy_out(&dst, &src, 12) == 12);
	CHECK(dst.sz == sizeof(dst) && dst.a == 1 && dst.b == 0);
	CHECK(dst.canary[0] == 0 && dst.canary[15] == 0);

	/* in: shorter is zero-extended, longer only if the extra is zero */
	src.sz = 12;
	CHECK(zec_copy_in(NULL, &in, sizeof(in), &src, 12, "t") == 0);
	CHECK(in.a == 1 && in.b == 0 && in.d == 0);
	CHECK(zec_copy_in(NULL, &in, sizeof(in), &src, 16, "t") == -EINVAL);
	src.sz = sizeof(src);
	CHECK(zec_copy_in(NULL, &in, 16, &src, 12, "t") == -EINVAL);
	src.c = src.d = 0;
	CHECK(zec_copy_in(NULL, &in, 16, &src, 12, "t") == 0);
	CHECK(in.a == 1 && in.b == 2);
	return NULL;
}

static bool cloexec(struct mnl_socket *sock)
{
	int flags = fcntl(mnl_socket_get_fd(sock), F_GETFD);

	return flags >= 0 && (flags & FD_CLOEXEC);
}

static const char *test_cloexec(void)
{
	struct mnl_socket *monitor = zec_socket(NETLINK_GENERIC, SOCK_NONBLOCK);
	struct zec_handle *h;
	int flags;

	CHECK(monitor && cloexec(monitor));
	flags = fcntl(mnl_socket_get_fd(monitor), F_GETFL);
	mnl_socket_close(monitor);
	CHECK(flags >= 0 && (flags & O_NONBLOCK));
	CHECK(zec_open(&h) == 0);
	CHECK(cloexec(h->genl) && cloexec(h->rtnl));
	zec_close(h);
	return NULL;
}

/* Errors the library finds itself say so in zec_last_error(). */
static const char *test_own_errors(void)
{
	struct zec_probe_target targets[400] = { { .family = AF_INET } };
	struct zec_probe_config probe = {
		.sz = sizeof(probe), .targets = targets, .n_targets = 1,
		.interval_ms = 100,
	};
	struct zec_event ev = { .sz = sizeof(ev) };
	struct zec_handle *h;
	size_t i;

	CHECK(zec_open(&h) == 0);
	CHECK(zec_link_add(h, "a-name-far-too-long") == -EINVAL);
	CHECK(says(h, "device name \"a-name-far-too-long\""));
	CHECK(zec_link_set_master(h, "", NULL) == -EINVAL);
	CHECK(says(h, "port name"));
	CHECK(zec_event_read(h, &ev, 1) == -EBADF);
	CHECK(says(h, "zec_event_fd()"));
	/* what the kernel would say, with the family known */
	h->family.id = GENL_ID_CTRL;
	targets[0].family = AF_UNIX;
	CHECK(zec_probe_set(h, "zec0", &probe) == -EAFNOSUPPORT);
	CHECK(says(h, "probe target 0: family"));
	for (i = 0; i < ARRAY_SIZE(targets); i++)
		targets[i].family = AF_INET6;
	probe.n_targets = ARRAY_SIZE(targets);
	CHECK(zec_probe_set(h, "zec0", &probe) == -E2BIG);
	CHECK(says(h, "400 probe targets do not fit"));
	zec_close(h);
	return NULL;
}

/*
 * zec_last_error() speaks of the last call only: after a failure with a
 * message, a call that succeeds without asking the kernel anything (an
 * empty read of an event socket, here one opened by hand) and one that
 * succeeds over rtnetlink, in a network namespace of our own where
 * "ip link set lo nomaster" needs neither the module nor the host's lo.
 */
static int last_error_child(void)
{
	struct zec_event ev = { .sz = sizeof(ev) };
	struct zec_handle *h;
	int ok;

	if (unshare(CLONE_NEWNET) && unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return 2;
	if (zec_open(&h))
		return 3;
	h->monitor = zec_socket(NETLINK_GENERIC, SOCK_NONBLOCK);
	h->event_buf = malloc(ZEC_RECV_SIZE);
	ok = h->monitor && h->event_buf &&
	     zec_link_add(h, "") == -EINVAL && zec_last_error(h) &&
	     zec_event_read(h, &ev, 1) == 0 && !zec_last_error(h) &&
	     zec_link_add(h, "") == -EINVAL &&
	     zec_event_fd(h) == mnl_socket_get_fd(h->monitor) &&
	     !zec_last_error(h) &&
	     zec_link_set_master(h, "lo", "nosuchdev0") == -ENODEV &&
	     says(h, "no interface nosuchdev0") &&
	     zec_link_set_master(h, "lo", NULL) == 0 && !zec_last_error(h);
	zec_close(h);
	return ok ? 0 : 1;
}

static const char *test_last_error_per_call(void)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (!pid)
		_exit(last_error_child());
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK(WEXITSTATUS(status) != 2 && "cannot unshare a network namespace");
	CHECK(WEXITSTATUS(status) == 0);
	return NULL;
}

/* A ZEC_*_SET_* bit of a later header names a field past this struct. */
static const char *test_unknown_set_bits(void)
{
	struct zec_dev_config dev = { .set = ZEC_DEV_SET_ANNOUNCE_RATE << 1 };
	struct zec_port_config port = {
		.set = ZEC_PORT_SET_NODE | ZEC_PORT_SET_ENABLED << 1,
	};
	struct zec_handle *h;

	CHECK(zec_open(&h) == 0);
	CHECK(zec_dev_set(h, "zec0", &dev) == -EINVAL);
	CHECK(says(h, "struct zec_dev_config: set has bits 0x200 "));
	CHECK(zec_port_add(h, "zec0", "eth0", &port) == -EINVAL);
	CHECK(says(h, "struct zec_port_config: set has bits 0x4 "));
	CHECK(zec_port_set(h, "zec0", "eth0", &port) == -EINVAL);
	CHECK(says(h, "struct zec_port_config"));
	zec_close(h);
	return NULL;
}

const struct unit_test api_tests[] = {
	{ "api: a sz below libzec 1.0's is refused with a message",
	  test_size_minimum },
	{ "api: a sz above ZEC_SZ_MAX is refused with a message",
	  test_size_maximum },
	{ "api: no byte past the caller's sz, unknown tails zero",
	  test_copy_sizes },
	{ "api: every socket is close-on-exec", test_cloexec },
	{ "api: the library's own errors have messages", test_own_errors },
	{ "api: a ZEC_*_SET_* bit the library does not know fails",
	  test_unknown_set_bits },
	{ "api: zec_last_error() is cleared by every successful call",
	  test_last_error_per_call },
	{ NULL, NULL },
};
