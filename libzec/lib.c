// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Handles, the request/reply loop and the generic netlink commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "internal.h"

struct mnl_socket *zec_socket(int bus, int flags)
{
	return mnl_socket_open2(bus, flags | SOCK_CLOEXEC);
}

static int open_socket(struct mnl_socket **sock, int bus)
{
	int on = 1;

	*sock = zec_socket(bus, 0);
	if (!*sock)
		return -errno;
	/* extack messages, without the echo of our own request */
	if (mnl_socket_setsockopt(*sock, NETLINK_EXT_ACK, &on, sizeof(on)) ||
	    mnl_socket_setsockopt(*sock, NETLINK_CAP_ACK, &on, sizeof(on)) ||
	    mnl_socket_bind(*sock, 0, MNL_SOCKET_AUTOPID))
		return -errno;
	return 0;
}

ZEC_EXPORT int zec_open(struct zec_handle **hp)
{
	struct zec_handle *h = calloc(1, sizeof(*h));
	int err;

	*hp = NULL;
	if (!h)
		return -ENOMEM;
	err = open_socket(&h->genl, NETLINK_GENERIC);
	if (!err)
		err = open_socket(&h->rtnl, NETLINK_ROUTE);
	if (err) {
		zec_close(h);
		return err;
	}
	h->seq = (uint32_t)getpid();
	*hp = h;
	return 0;
}

ZEC_EXPORT void zec_close(struct zec_handle *h)
{
	if (!h)
		return;
	if (h->genl)
		mnl_socket_close(h->genl);
	if (h->rtnl)
		mnl_socket_close(h->rtnl);
	zec_event_close(h);
	zec_gen_clear(&h->gens);
	free(h);
}

ZEC_EXPORT const char *zec_last_error(const struct zec_handle *h)
{
	return h->error[0] ? h->error : NULL;
}

int zec_error(struct zec_handle *h, int err, const char *fmt, ...)
{
	va_list ap;

	if (!h)
		return err;
	va_start(ap, fmt);
	vsnprintf(h->error, sizeof(h->error), fmt, ap);
	va_end(ap);
	return err;
}

int zec_check_sz(struct zec_handle *h, size_t sz, size_t min,
		 const char *type)
{
	if (sz > ZEC_SZ_MAX)
		return zec_error(h, -EINVAL,
				 "struct %s: sz is %zu, above the %u bytes libzec accepts; set sz = sizeof(struct %s)",
				 type, sz, ZEC_SZ_MAX, type);
	if (sz >= min)
		return 0;
	return zec_error(h, -EINVAL,
			 "struct %s: sz is %zu, below the %zu bytes of libzec 1.0; set sz = sizeof(struct %s)",
			 type, sz, min, type);
}

size_t zec_copy_out(void *dst, const void *src, size_t own)
{
	size_t sz = *(size_t *)dst;
	size_t n = sz < own ? sz : own;

	memcpy(dst, src, n);
	*(size_t *)dst = sz;
	memset((char *)dst + n, 0, sz - n);
	return n;
}

int zec_copy_in(struct zec_handle *h, void *dst, size_t own, const void *src,
		size_t min, const char *type)
{
	size_t sz = *(const size_t *)src, i;
	int err = zec_check_sz(h, sz, min, type);

	if (err)
		return err;
	for (i = own; i < sz; i++)
		if (((const char *)src)[i])
			return zec_error(h, -EINVAL,
					 "struct %s: a field at byte %zu is set, past the %zu bytes this libzec knows",
					 type, i, own);
	memset(dst, 0, own);
	memcpy(dst, src, sz < own ? sz : own);
	return 0;
}

int zec_check_ifname(struct zec_handle *h, const char *name,
		     const char *what)
{
	if (zec_valid_ifname(name))
		return 0;
	return zec_error(h, -EINVAL,
			 "%s name \"%.*s\" is not 1 to %d characters",
			 what, name ? ZEC_IFNAMSIZ * 2 : 0, name ? name : "",
			 ZEC_IFNAMSIZ - 1);
}

/* Walk one datagram of replies; 1 once the final ack or dump end came. */
static int run_replies(struct zec_handle *h, const char *buf, size_t len,
		       const struct nlmsghdr *req, zec_reply_cb cb, void *data,
		       int *first_err)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int remaining = (int)len;

	for (; mnl_nlmsg_ok(nlh, remaining);
	     nlh = mnl_nlmsg_next(nlh, &remaining)) {
		int err;

		if (nlh->nlmsg_seq != req->nlmsg_seq)
			continue;	/* late answer to an abandoned request */
		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			/* a reply's error came first: keep its message */
			err = zec_parse_ack(nlh, nlh->nlmsg_len,
					    *first_err ? NULL : h->error,
					    *first_err ? 0 : sizeof(h->error));
			if (!*first_err)
				*first_err = err;
			return 1;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !cb)
			continue;
		/* the state changed under the dump: the caller starts over */
		if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) && !*first_err)
			*first_err = -EAGAIN;
		err = cb(nlh, data);
		/* keep reading to the end so no reply is left queued */
		if (err && !*first_err)
			*first_err = err;
	}
	return 0;
}

/*
 * One datagram of any size from sock into *buf (freed by the caller):
 * a reply can outgrow any fixed buffer (a PF's RTM_NEWLINK grows with its
 * VFs).
 */
static ssize_t recv_whole(struct mnl_socket *sock, char **buf)
{
	int fd = mnl_socket_get_fd(sock);
	ssize_t n;

	*buf = NULL;
	do
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*buf = malloc(n ? (size_t)n : 1);
	if (!*buf)
		return -ENOMEM;
	do
		n = recv(fd, *buf, (size_t)n, 0);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int zec_transact(struct zec_handle *h, struct mnl_socket *sock,
		 struct nlmsghdr *req, zec_reply_cb cb, void *data)
{
	int first_err = 0;
	int done = 0;

	h->error[0] = 0;
	req->nlmsg_seq = ++h->seq;
	/*
	 * NLM_F_DUMP is two bits, one of which is NLM_F_EXCL in a new
	 * request: only a request with both is a dump, ended by NLMSG_DONE.
	 */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(sock, req, req->nlmsg_len) < 0) {
		first_err = -errno;
		done = 1;
	}
	while (!done) {
		char *buf;
		ssize_t n = recv_whole(sock, &buf);

		if (n < 0) {
			free(buf);
			first_err = (int)n;
			break;
		}
		done = run_replies(h, buf, (size_t)n, req, cb, data,
				   &first_err);
		free(buf);
	}
	return first_err;
}

static struct nlmsghdr *genl_request(char *buf, uint16_t family, uint8_t cmd,
				     uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = family == GENL_ID_CTRL ? 1 : ZEC_GENL_VERSION;
	return nlh;
}

static int family_reply(const struct nlmsghdr *nlh, void *data)
{
	return zec_parse_family(nlh, nlh->nlmsg_len, data);
}

int zec_resolve_family(struct zec_handle *h)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	if (h->family.id)
		return 0;
	nlh = genl_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZEC_GENL_NAME);
	err = zec_transact(h, h->genl, nlh, family_reply, &h->family);
	/* the controller says only ENOENT; say what is missing */
	if (err == -ENOENT && !h->error[0])
		snprintf(h->error, sizeof(h->error),
			 "generic netlink family \"%s\" not found; is the zec module loaded?",
			 ZEC_GENL_NAME);
	return err;
}

struct nlmsghdr *zec_request(struct zec_handle *h, char *buf, uint8_t cmd,
			     const char *name, int *err)
{
	struct nlmsghdr *nlh;

	*err = zec_resolve_family(h);
	if (!*err && name)
		*err = zec_check_ifname(h, name, "device");
	if (*err)
		return NULL;
	nlh = genl_request(buf, h->family.id, cmd, name ? 0 : NLM_F_DUMP);
	if (name)
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, name);
	return nlh;
}

static int device_reply(const struct nlmsghdr *nlh, void *data)
{
	struct zec_device *dev = data;

	zec_device_free(dev);	/* a doit has one reply; be safe anyway */
	return zec_parse_device(nlh, nlh->nlmsg_len, dev);
}

struct device_array {
	size_t n;
	struct zec_device **devs;
};

static int device_dump_reply(const struct nlmsghdr *nlh, void *data)
{
	struct device_array *array = data;
	struct zec_device **grown, *dev = malloc(sizeof(*dev));
	int err;

	if (!dev)
		return -ENOMEM;
	err = zec_parse_device(nlh, nlh->nlmsg_len, dev);
	if (err) {
		free(dev);
		return err;
	}
	grown = reallocarray(array->devs, array->n + 1, sizeof(*grown));
	if (!grown) {
		zec_device_free(dev);
		free(dev);
		return -ENOMEM;
	}
	grown[array->n++] = dev;
	array->devs = grown;
	return 0;
}

static int device_query(struct zec_handle *h, uint8_t cmd, const char *name,
			struct zec_device *dev)
{
	struct zec_device full = { .sz = sizeof(full) };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	zec_call_start(h);
	err = zec_check_sz(h, dev->sz, ZEC_DEVICE_SZ_1_0, "zec_device");
	if (err)
		return err;
	nlh = zec_request(h, buf, cmd, name, &err);
	if (nlh)
		err = zec_transact(h, h->genl, nlh, device_reply, &full);
	if (!err && !full.ifindex)
		err = zec_error(h, -EPROTO, "the kernel acked without a reply");
	if (err)
		zec_device_free(&full);
	/* hand over what fits in the caller's struct, free the rest */
	memset(&full, 0, zec_copy_out(dev, &full, sizeof(full)));
	full.sz = sizeof(full);
	zec_device_free(&full);
	return err;
}

static int device_dump(struct zec_handle *h, uint8_t cmd,
		       struct zec_device ***devs, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct device_array array = { 0, NULL };
	struct nlmsghdr *nlh;
	int err, tries = 0;

	zec_call_start(h);
	do {
		zec_device_list_free(array.devs, array.n);
		array.devs = NULL;
		array.n = 0;
		nlh = zec_request(h, buf, cmd, NULL, &err);
		if (nlh)
			err = zec_transact(h, h->genl, nlh, device_dump_reply,
					   &array);
	} while (err == -EAGAIN && ++tries < ZEC_DUMP_TRIES);
	if (err) {
		zec_device_list_free(array.devs, array.n);
		array.devs = NULL;
		array.n = 0;
	}
	*devs = array.devs;
	*n = array.n;
	return err;
}

ZEC_EXPORT int zec_device_get(struct zec_handle *h, const char *name,
			      struct zec_device *dev)
{
	return device_query(h, ZEC_CMD_DEV_GET, name, dev);
}

ZEC_EXPORT int zec_stats_get(struct zec_handle *h, const char *name,
			     struct zec_device *dev)
{
	return device_query(h, ZEC_CMD_STATS_GET, name, dev);
}

ZEC_EXPORT int zec_device_list(struct zec_handle *h,
			       struct zec_device ***devs, size_t *n)
{
	return device_dump(h, ZEC_CMD_DEV_GET, devs, n);
}

ZEC_EXPORT int zec_stats_list(struct zec_handle *h, struct zec_device ***devs,
			      size_t *n)
{
	return device_dump(h, ZEC_CMD_STATS_GET, devs, n);
}

ZEC_EXPORT void zec_device_list_free(struct zec_device **devs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		zec_device_free(devs[i]);
		free(devs[i]);
	}
	free(devs);
}

ZEC_EXPORT const struct zec_node *zec_device_node(const struct zec_device *dev,
						  uint32_t id)
{
	size_t i;

	for (i = 0; i < dev->n_nodes; i++)
		if (dev->nodes[i]->id == id)
			return dev->nodes[i];
	return NULL;
}

/* The ZEC_*_SET_* bits this library knows, so the fields it may read. */
#define ZEC_DEV_SET_KNOWN \
	(ZEC_DEV_SET_MODE | ZEC_DEV_SET_UP_DELAY | ZEC_DEV_SET_GARP | \
	 ZEC_DEV_SET_RX_PORT | ZEC_DEV_SET_MAC_TABLE_SIZE | \
	 ZEC_DEV_SET_MAC_AGEING | ZEC_DEV_SET_ANNOUNCE_COUNT | \
	 ZEC_DEV_SET_ANNOUNCE_INTERVAL | ZEC_DEV_SET_ANNOUNCE_RATE)
#define ZEC_PORT_SET_KNOWN (ZEC_PORT_SET_NODE | ZEC_PORT_SET_ENABLED)

/*
 * A bit this library does not know names a field of a later header's
 * struct, past the end of the struct this library knows: fail, not ignore.
 */
static int check_set(struct zec_handle *h, unsigned int set,
		     unsigned int known, const char *type)
{
	if (!(set & ~known))
		return 0;
	return zec_error(h, -EINVAL,
			 "struct %s: set has bits 0x%x this libzec does not know",
			 type, set & ~known);
}

ZEC_EXPORT int zec_dev_set(struct zec_handle *h, const char *name,
			   const struct zec_dev_config *config)
{
	/* each bit and the u32 field and attribute it sends */
	static const struct {
		unsigned int bit;
		size_t offset;
		uint16_t type;
	} attrs[] = {
#define DEV_SET(bit, member, type) \
	{ bit, offsetof(struct zec_dev_config, member), type }
		DEV_SET(ZEC_DEV_SET_MODE, mode, ZEC_A_DEV_MODE),
		DEV_SET(ZEC_DEV_SET_UP_DELAY, up_delay_ms,
			ZEC_A_DEV_UP_DELAY_MS),
		DEV_SET(ZEC_DEV_SET_GARP, garp_count, ZEC_A_DEV_GARP_COUNT),
		DEV_SET(ZEC_DEV_SET_RX_PORT, rx_port_ifindex,
			ZEC_A_DEV_RX_PORT),
		DEV_SET(ZEC_DEV_SET_MAC_TABLE_SIZE, mac_table_size,
			ZEC_A_DEV_MAC_TABLE_SIZE),
		DEV_SET(ZEC_DEV_SET_MAC_AGEING, mac_ageing_ms,
			ZEC_A_DEV_MAC_AGEING_MS),
		DEV_SET(ZEC_DEV_SET_ANNOUNCE_COUNT, announce_count,
			ZEC_A_DEV_ANNOUNCE_COUNT),
		DEV_SET(ZEC_DEV_SET_ANNOUNCE_INTERVAL, announce_interval_ms,
			ZEC_A_DEV_ANNOUNCE_INTERVAL_MS),
		DEV_SET(ZEC_DEV_SET_ANNOUNCE_RATE, announce_rate,
			ZEC_A_DEV_ANNOUNCE_RATE),
#undef DEV_SET
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint32_t value;
	size_t i;
	int err;

	zec_call_start(h);
	err = check_set(h, config->set, ZEC_DEV_SET_KNOWN, "zec_dev_config");
	if (err)
		return err;
	nlh = zec_request(h, buf, ZEC_CMD_DEV_SET, name, &err);
	if (!nlh)
		return err;
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		if (!(config->set & attrs[i].bit))
			continue;
		memcpy(&value, (const char *)config + attrs[i].offset,
		       sizeof(value));
		mnl_attr_put_u32(nlh, attrs[i].type, value);
	}
	return zec_transact(h, h->genl, nlh, NULL, NULL);
}

struct mac_dump {
	struct zec_handle *h;
	struct zec_mac_list *list;
};

static int mac_reply(const struct nlmsghdr *nlh, void *data)
{
	struct mac_dump *dump = data;

	return zec_parse_macs(dump->h, nlh, nlh->nlmsg_len, dump->list);
}

ZEC_EXPORT void zec_mac_list_free(struct zec_mac_list *list)
{
	if (list)
		free(list->macs);
	free(list);
}

/* A dump that names one device: in several messages if it has to. */
ZEC_EXPORT int zec_mac_list_get(struct zec_handle *h, const char *name,
				struct zec_mac_list **listp)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct zec_mac_list *list;
	struct nlmsghdr *nlh;
	int err, tries = 0;

	zec_call_start(h);
	*listp = NULL;
	err = zec_check_ifname(h, name, "device");
	if (err)
		return err;
	list = calloc(1, sizeof(*list));
	if (!list)
		return -ENOMEM;
	do {
		free(list->macs);
		memset(list, 0, sizeof(*list));
		nlh = zec_request(h, buf, ZEC_CMD_MAC_GET, NULL, &err);
		if (!nlh)
			break;
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, name);
		err = zec_transact(h, h->genl, nlh, mac_reply,
				   &(struct mac_dump){ h, list });
	} while (err == -EAGAIN && ++tries < ZEC_DUMP_TRIES);
	if (err) {
		zec_mac_list_free(list);
		return err;
	}
	*listp = list;
	return 0;
}

ZEC_EXPORT size_t zec_mac_list_count(const struct zec_mac_list *list)
{
	return list->n;
}

ZEC_EXPORT const struct zec_mac *zec_mac_list_at(const struct zec_mac_list *list,
						 size_t i)
{
	return i < list->n ? &list->macs[i] : NULL;
}

ZEC_EXPORT const uint8_t *zec_mac_addr(const struct zec_mac *mac)
{
	return mac->addr;
}

ZEC_EXPORT uint32_t zec_mac_node(const struct zec_mac *mac)
{
	return mac->node;
}

ZEC_EXPORT uint32_t zec_mac_port_ifindex(const struct zec_mac *mac)
{
	return mac->port_ifindex;
}

ZEC_EXPORT uint32_t zec_mac_age_ms(const struct zec_mac *mac)
{
	return mac->age_ms;
}

/* The port commands: the device, and a ZEC_A_DEV_PORT nest naming port. */
static int port_request(struct zec_handle *h, uint8_t cmd, const char *name,
			const char *port, const struct zec_port_config *config)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err;

	zec_call_start(h);
	err = zec_check_ifname(h, port, "port");
	if (!err && config)
		err = check_set(h, config->set, ZEC_PORT_SET_KNOWN,
				"zec_port_config");
	if (err)
		return err;
	nlh = zec_request(h, buf, cmd, name, &err);
	if (!nlh)
		return err;
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PORT);
	mnl_attr_put_strz(nlh, ZEC_A_PORT_IFNAME, port);
	if (config && (config->set & ZEC_PORT_SET_NODE)) {
		if (config->node == ZEC_NODE_NONE)
			mnl_attr_put(nlh, ZEC_A_PORT_NODE_AUTO, 0, NULL);
		else
			mnl_attr_put_u32(nlh, ZEC_A_PORT_NODE_OVERRIDE,
					 config->node);
	}
	if (config && (config->set & ZEC_PORT_SET_ENABLED))
		mnl_attr_put_u8(nlh, ZEC_A_PORT_ENABLED, config->enabled);
	mnl_attr_nest_end(nlh, nest);
	return zec_transact(h, h->genl, nlh, NULL, NULL);
}

ZEC_EXPORT int zec_port_add(struct zec_handle *h, const char *name,
			    const char *port,
			    const struct zec_port_config *config)
{
	return port_request(h, ZEC_CMD_PORT_ADD, name, port, config);
}

ZEC_EXPORT int zec_port_del(struct zec_handle *h, const char *name,
			    const char *port)
{
	return port_request(h, ZEC_CMD_PORT_DEL, name, port, NULL);
}

ZEC_EXPORT int zec_port_set(struct zec_handle *h, const char *name,
			    const char *port,
			    const struct zec_port_config *config)
{
	return port_request(h, ZEC_CMD_PORT_SET, name, port, config);
}

/* The rate commands: the device, the port if any, the cap if any. */
static int rate_request(struct zec_handle *h, uint8_t cmd, const char *name,
			const char *port, const struct zec_rate *given)
{
	const struct zec_rate *rate = NULL;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct zec_rate copy;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err = 0;

	zec_call_start(h);
	if (given) {
		err = zec_copy_in(h, &copy, sizeof(copy), given,
				  ZEC_RATE_SZ_1_0, "zec_rate");
		rate = &copy;
	}
	if (!err && port)
		err = zec_check_ifname(h, port, "port");
	if (err)
		return err;
	nlh = zec_request(h, buf, cmd, name, &err);
	if (!nlh)
		return err;
	if (port) {
		nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PORT);
		mnl_attr_put_strz(nlh, ZEC_A_PORT_IFNAME, port);
		mnl_attr_nest_end(nlh, nest);
	}
	if (rate) {
		nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_RATE);
		/*
		 * The kernel judges the values and its extack says what is
		 * wrong: a cap of nothing but 0% goes out as such.
		 */
		if (rate->percent || (!rate->bps && !rate->pps))
			mnl_attr_put_u32(nlh, ZEC_A_RATE_PERCENT, rate->percent);
		if (rate->bps)
			mnl_attr_put_u64(nlh, ZEC_A_RATE_BPS, rate->bps);
		if (rate->pps)
			mnl_attr_put_u64(nlh, ZEC_A_RATE_PPS, rate->pps);
		if (rate->burst)
			mnl_attr_put_u32(nlh, ZEC_A_RATE_BURST, rate->burst);
		mnl_attr_put_u32(nlh, ZEC_A_RATE_MODE, rate->mode);
		mnl_attr_nest_end(nlh, nest);
	}
	return zec_transact(h, h->genl, nlh, NULL, NULL);
}

ZEC_EXPORT int zec_rate_set(struct zec_handle *h, const char *name,
			    const char *port, const struct zec_rate *rate)
{
	return rate_request(h, ZEC_CMD_RATE_SET, name, port, rate);
}

ZEC_EXPORT int zec_rate_del(struct zec_handle *h, const char *name,
			    const char *port)
{
	return rate_request(h, ZEC_CMD_RATE_DEL, name, port, NULL);
}

/* The targets of a ZEC_CMD_PROBE_SET; the kernel judges how many. */
static int put_targets(struct zec_handle *h, struct nlmsghdr *nlh,
		       size_t room, const struct zec_probe_config *config)
{
	const struct zec_probe_target *t;
	bool fits = true;
	size_t i;

	for (i = 0; fits && i < config->n_targets; i++) {
		t = &config->targets[i];
		if (t->family == AF_INET)
			fits = mnl_attr_put_check(nlh, room,
						  ZEC_A_PROBE_TARGET_IPV4,
						  sizeof(t->addr.v4),
						  t->addr.v4);
		else if (t->family == AF_INET6)
			fits = mnl_attr_put_check(nlh, room,
						  ZEC_A_PROBE_TARGET_IPV6,
						  sizeof(t->addr.v6),
						  t->addr.v6);
		else
			return zec_error(h, -EAFNOSUPPORT,
					 "probe target %zu: family %d is neither AF_INET nor AF_INET6",
					 i, t->family);
	}
	if (!fits)
		return zec_error(h, -E2BIG,
				 "%zu probe targets do not fit in one request",
				 config->n_targets);
	return 0;
}

ZEC_EXPORT int zec_probe_set(struct zec_handle *h, const char *name,
			     const struct zec_probe_config *given)
{
	struct zec_probe_config copy, *config = &copy;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err;

	zec_call_start(h);
	err = zec_copy_in(h, &copy, sizeof(copy), given, ZEC_PROBE_SZ_1_0,
			  "zec_probe_config");
	if (err)
		return err;
	nlh = zec_request(h, buf, ZEC_CMD_PROBE_SET, name, &err);
	if (!nlh)
		return err;
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PROBE);
	/* room left for the six u32 attributes that follow the targets */
	err = put_targets(h, nlh, sizeof(buf) - 6 * MNL_ALIGN(MNL_ATTR_HDRLEN +
							 sizeof(uint32_t)),
			  config);
	if (err)
		return err;
	mnl_attr_put_u32(nlh, ZEC_A_PROBE_INTERVAL_MS, config->interval_ms);
	if (config->miss_count)
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_MISS_COUNT,
				 config->miss_count);
	if (config->recover_count)
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_RECOVER_COUNT,
				 config->recover_count);
	if (config->damp_count) {
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_DAMP_COUNT,
				 config->damp_count);
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_DAMP_WINDOW_MS,
				 config->damp_window_ms);
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_DAMP_HOLD_MS,
				 config->damp_hold_ms);
	}
	mnl_attr_nest_end(nlh, nest);
	return zec_transact(h, h->genl, nlh, NULL, NULL);
}

ZEC_EXPORT int zec_probe_del(struct zec_handle *h, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	zec_call_start(h);
	nlh = zec_request(h, buf, ZEC_CMD_PROBE_DEL, name, &err);
	if (!nlh)
		return err;
	return zec_transact(h, h->genl, nlh, NULL, NULL);
}
