// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP on zec0: a program attached natively to zec0 runs natively on every
 * port (each port's own ndo_bpf), all of them or none; and the frames an
 * XDP program redirects into zec0 (ndo_xdp_xmit) leave through the port
 * the transmit path would choose for them (xmit.c), counted as it counts.
 * Generic XDP on zec0 needs nothing here: the core runs zec0's program on
 * the skb the ports' rx_handler hands to zec0.
 *
 * zec0 holds the reference the core moves in with the program; each port
 * is given one of its own, which its driver puts when the program is
 * replaced or removed. The control path runs under RTNL; ndo_xdp_xmit
 * runs in NAPI, under RCU, with BH off.
 */

#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/xdp.h>

#include "zec.h"

/*
 * Put @prog (NULL: none) on @port natively. @extack: NULL when undoing,
 * so that the error being reported stays the first one. Linux 6.1's
 * extack takes constant text only: it says what went wrong, and the
 * kernel log says which port.
 */
static int zec_xdp_port_set(struct zec_port *port, struct bpf_prog *prog,
			    struct netlink_ext_ack *extack)
{
	struct net_device *pdev = port->dev;
	struct netdev_bpf xdp = {
		.command = XDP_SETUP_PROG,
		.prog = prog,
		.extack = extack,
	};
	int err;

	ASSERT_RTNL();
	if (!pdev->netdev_ops->ndo_bpf) {
		NL_SET_ERR_MSG(extack, "Port does not support native XDP");
		err = -EOPNOTSUPP;
		goto out;
	}
	/* The core shows the port's own program, not zec0's: never hide it. */
	if (dev_xdp_prog_count(pdev)) {
		NL_SET_ERR_MSG(extack,
			       "Port has an XDP program of its own; detach it first");
		err = -EBUSY;
		goto out;
	}
	/* The driver takes this reference over, and puts it when done. */
	if (prog)
		bpf_prog_inc(prog);
	err = pdev->netdev_ops->ndo_bpf(pdev, &xdp);
	if (!err)
		return 0;
	if (prog)
		bpf_prog_put(prog);
	/* The driver's own reason, if it gave one, is the better. */
	if (extack && !extack->_msg)
		NL_SET_ERR_MSG(extack, "Port refused the XDP program");
out:
	netdev_err(port->zec->dev, "port %s cannot take the XDP program (%d)\n",
		   pdev->name, err);
	return err;
}

/*
 * ndo_bpf XDP_SETUP_PROG: @prog on every port, or on none. A detach
 * (@prog NULL) is done on every port that lets it, and always succeeds:
 * the core detaches on unregister whatever we say, and a port that keeps
 * the program holds a reference of its own until it leaves zec0.
 */
static int zec_xdp_set(struct zec_dev *zec, struct bpf_prog *prog,
		       struct netlink_ext_ack *extack)
{
	struct bpf_prog *old = zec->xdp_prog;
	struct zec_port *port;
	int err;

	list_for_each_entry(port, &zec->ports, list) {
		err = zec_xdp_port_set(port, prog, extack);
		if (err && prog)
			goto unwind;
	}
	zec->xdp_prog = prog;
	if (old)
		bpf_prog_put(old);
	return 0;

unwind:
	list_for_each_entry_continue_reverse(port, &zec->ports, list)
		if (zec_xdp_port_set(port, old, NULL))
			netdev_warn(zec->dev,
				    "port %s lost its XDP program undoing a change\n",
				    port->dev->name);
	return err;
}

int zec_xdp(struct net_device *dev, struct netdev_bpf *xdp)
{
	switch (xdp->command) {
	case XDP_SETUP_PROG:
		return zec_xdp_set(netdev_priv(dev), xdp->prog, xdp->extack);
	default:
		return -EINVAL;
	}
}

/* A port joining zec0 takes its program; one that cannot is refused. */
int zec_xdp_port_join(struct zec_port *port, struct netlink_ext_ack *extack)
{
	struct bpf_prog *prog = port->zec->xdp_prog;

	return prog ? zec_xdp_port_set(port, prog, extack) : 0;
}

/* A port leaving zec0 leaves its program behind. */
void zec_xdp_port_leave(struct zec_port *port)
{
	if (port->zec->xdp_prog && zec_xdp_port_set(port, NULL, NULL))
		netdev_warn(port->zec->dev,
			    "port %s keeps the XDP program of the zec device\n",
			    port->dev->name);
}

/*
 * ndo_xdp_xmit: each frame through the port zec_xmit_frame_port() picks for
 * it, the frames in a row that go the same way in one call. The frames
 * after one a port refused, or found no port, are dropped by the caller
 * (it frees what this does not take, from the first untaken frame on) and
 * counted here: as the port's errors, or as drops for want of a port.
 */
int zec_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port, *next = NULL;
	bool local = false, next_local = false;
	int done = 0, end, sent;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	if (unlikely(n <= 0))
		return 0;
	port = zec_xmit_frame_port(zec, frames[0], &local);
	while (done < n) {
		if (unlikely(!port)) {
			zec_count_no_port(zec, n - done);
			break;
		}
		for (end = done + 1; end < n; end++) {
			next = zec_xmit_frame_port(zec, frames[end], &next_local);
			if (next != port)
				break;
		}
		sent = zec_port_send_frames(port, frames + done, end - done,
					    flags, local);
		done += sent;
		if (unlikely(done < end)) {
			zec_count_tx(port, local, 0, 0, n - done);
			break;
		}
		port = next;
		local = next_local;
	}
	return done;
}
