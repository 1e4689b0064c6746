/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * zec: NUMA-aware pseudo-bond, generic netlink interface.
 *
 * This header is the contract between the kernel module and userspace; it
 * is mirrored by Documentation/netlink/specs/zec.yaml and a host test
 * keeps the two in step. The ABI is stable: attributes and enum entries
 * are only ever appended, never renumbered or removed.
 *
 * Family ZEC_GENL_NAME, version ZEC_GENL_VERSION, one multicast group
 * ZEC_MCGRP_MONITOR, which takes CAP_NET_ADMIN to join. Every message of
 * every command uses the attribute space ZEC_A_DEV_* at the top level;
 * ports, nodes, statistics and event details are nested inside it. A zec
 * device is named by exactly one of ZEC_A_DEV_IFINDEX or ZEC_A_DEV_IFNAME;
 * giving both, or neither where one is required, is -EINVAL with an
 * extack message. Lookups happen in the
 * network namespace of the requesting socket.
 *
 * Generation
 * ----------
 *
 * Each zec device has a u32 generation counter, bumped (wrapping) on
 * every change of its configuration or of the state of one of its ports
 * or of the port serving a node. Every change emits exactly one
 * notification on ZEC_MCGRP_MONITOR carrying the new value in
 * ZEC_A_DEV_GENERATION, and every reply and dump message carries the
 * value current when it was built. A listener that sees the generation of
 * a device advance by more than one between two notifications, or whose
 * socket reports ENOBUFS, has missed events and must dump again.
 *
 * Commands
 * --------
 *
 * ZEC_CMD_DEV_GET: Get one device (doit) or all devices (dump).
 *   Request (doit): ZEC_A_DEV_IFINDEX or ZEC_A_DEV_IFNAME.
 *   Request (dump): nothing; one message per zec device in the netns.
 *   Reply:
 *     ZEC_A_DEV_IFINDEX: NLA_U32
 *     ZEC_A_DEV_IFNAME: NLA_NUL_STRING, maxlen IFNAMSIZ - 1
 *     ZEC_A_DEV_GENERATION: NLA_U32
 *     ZEC_A_DEV_MODE: NLA_U32, enum zec_mode
 *     ZEC_A_DEV_UP_DELAY_MS: NLA_U32
 *     ZEC_A_DEV_GARP_COUNT: NLA_U32
 *     ZEC_A_DEV_FAILOVER_COUNT: NLA_U64
 *     ZEC_A_DEV_LAST_FAILOVER_NS: NLA_U64, CLOCK_MONOTONIC; 0 if never
 *     ZEC_A_DEV_RATE: NLA_NESTED, the default rate cap of the device's
 *                     ports (see ZEC_CMD_RATE_SET); absent if none
 *     ZEC_A_DEV_PROBE: NLA_NESTED, only while probing: the configuration
 *                      as in ZEC_CMD_PROBE_SET, every attribute given
 *     ZEC_A_DEV_PROBE_ROUNDS_NO_SOURCE: NLA_U64, only while probing:
 *                      probe intervals since ZEC_CMD_PROBE_SET in which
 *                      a port could send but the device had no source
 *                      address for any target, so nothing was sent
 *     ZEC_A_DEV_PORT: NLA_NESTED, repeated once per port, in the order
 *                     the ports were added; each carries every
 *                     ZEC_A_PORT_* attribute except ZEC_A_PORT_STATS and
 *                     ZEC_A_PORT_NODE_AUTO
 *     ZEC_A_DEV_RX_PORT: NLA_U32, as set; 0: automatic
 *     ZEC_A_DEV_RX_PORT_ACTIVE: NLA_U32, ifindex of the port receiving
 *                       broadcast and multicast now; 0 in ZEC_MODE_LAG
 *                       (every port does) or when no port is healthy
 *     ZEC_A_DEV_MAC_TABLE_SIZE, ZEC_A_DEV_MAC_AGEING_MS,
 *     ZEC_A_DEV_ANNOUNCE_COUNT, ZEC_A_DEV_ANNOUNCE_INTERVAL_MS,
 *     ZEC_A_DEV_ANNOUNCE_RATE: NLA_U32, see ZEC_CMD_DEV_SET
 *     ZEC_A_DEV_MAC_COUNT: NLA_U32, source MACs remembered now
 *     ZEC_A_DEV_NODE: NLA_NESTED, repeated once per possible NUMA node
 *                     (node_possible_map), ascending; each carries
 *                     ZEC_A_NODE_ID, ZEC_A_NODE_SELECT, ZEC_A_NODE_DISTANCE
 *                     (unless select is none or unknown) and one
 *                     ZEC_A_NODE_PORT per
 *                     port serving the node now.
 *
 * ZEC_CMD_DEV_SET: Change device configuration. Needs CAP_NET_ADMIN.
 *   Request: the device, then any of
 *     ZEC_A_DEV_MODE: NLA_U32, enum zec_mode
 *     ZEC_A_DEV_UP_DELAY_MS: NLA_U32, 0..ZEC_UP_DELAY_MS_MAX; how long a
 *                            port's carrier must stay up before it
 *                            carries traffic again
 *     ZEC_A_DEV_GARP_COUNT: NLA_U32, 0..ZEC_GARP_COUNT_MAX; gratuitous
 *                           ARP / unsolicited NA sent on the new port
 *                           after a failover
 *     ZEC_A_DEV_RX_PORT: NLA_U32, ifindex of the port that receives
 *                        broadcast and multicast in ZEC_MODE_INDEPENDENT
 *                        while it is healthy; 0: automatic (the first
 *                        healthy port, in the order they were added)
 *     ZEC_A_DEV_MAC_TABLE_SIZE: NLA_U32, ZEC_MAC_TABLE_SIZE_MIN..MAX,
 *                               source MACs zec remembers; rounded up to
 *                               a power of two; a new size starts empty
 *     ZEC_A_DEV_MAC_AGEING_MS: NLA_U32, ZEC_MAC_AGEING_MS_MIN..MAX; a
 *                              MAC not sent from for this long is
 *                              forgotten and no longer announced
 *     ZEC_A_DEV_ANNOUNCE_COUNT: NLA_U32, 0..ZEC_ANNOUNCE_COUNT_MAX;
 *                               announcements of each moved MAC
 *     ZEC_A_DEV_ANNOUNCE_INTERVAL_MS: NLA_U32,
 *                               ZEC_ANNOUNCE_INTERVAL_MS_MIN..MAX, between
 *                               two rounds of announcements
 *     ZEC_A_DEV_ANNOUNCE_RATE: NLA_U32, ZEC_ANNOUNCE_RATE_MIN..MAX,
 *                              announcement frames per second at most
 *   Attributes absent are left unchanged. Reply: none (ack only).
 *   Notification: ZEC_CMD_DEV_CHANGE_NTF if anything changed.
 *
 * ZEC_CMD_PORT_ADD: Enslave an existing netdev. Needs CAP_NET_ADMIN.
 *   Equivalent to "ip link set PORT master DEV" but applies the options
 *   before the port carries any traffic.
 *   Request: the device, and ZEC_A_DEV_PORT containing
 *     ZEC_A_PORT_IFINDEX or ZEC_A_PORT_IFNAME (exactly one), and optionally
 *     ZEC_A_PORT_NODE_OVERRIDE: NLA_U32, 0..ZEC_NODE_ID_MAX
 *     ZEC_A_PORT_ENABLED: NLA_U8, 0 or 1; default 1
 *   Errors: -EBUSY if the port already has a master, -ENODEV if either
 *   netdev does not exist, -EINVAL for a node that is not possible.
 *   Notification: ZEC_CMD_PORT_ADD_NTF.
 *
 * ZEC_CMD_PORT_DEL: Release a port. Needs CAP_NET_ADMIN.
 *   Request: the device, and ZEC_A_DEV_PORT with the port's ifindex or
 *   ifname. Errors: -ENOENT if it is not a port of that device.
 *   Notification: ZEC_CMD_PORT_DEL_NTF.
 *
 * ZEC_CMD_PORT_SET: Change a port. Needs CAP_NET_ADMIN.
 *   Request: the device, and ZEC_A_DEV_PORT with the port's ifindex or
 *   ifname and any of
 *     ZEC_A_PORT_NODE_OVERRIDE: NLA_U32, 0..ZEC_NODE_ID_MAX; pin the port
 *                               to that node whatever its device reports
 *     ZEC_A_PORT_NODE_AUTO: NLA_FLAG; drop the override and use the
 *                           detected node again (-EINVAL together with
 *                           ZEC_A_PORT_NODE_OVERRIDE)
 *     ZEC_A_PORT_ENABLED: NLA_U8, 0 or 1; a disabled port keeps its
 *                         carrier but carries no traffic
 *   Notification: ZEC_CMD_PORT_STATE_NTF with reason ZEC_REASON_ADMIN,
 *   and ZEC_CMD_FAILOVER_NTF for each node whose serving port changed.
 *
 * ZEC_CMD_STATS_GET: Counters of one device (doit) or of all (dump).
 *   Request: as ZEC_CMD_DEV_GET.
 *   Reply: ZEC_A_DEV_IFINDEX, ZEC_A_DEV_IFNAME, ZEC_A_DEV_GENERATION,
 *     ZEC_A_DEV_FAILOVER_COUNT, ZEC_A_DEV_LAST_FAILOVER_NS,
 *     ZEC_A_DEV_STATS: totals of the device, every ZEC_A_STATS_* counter
 *     ZEC_A_DEV_PORT: per port, ZEC_A_PORT_IFINDEX, ZEC_A_PORT_IFNAME,
 *                     ZEC_A_PORT_STATS
 *     ZEC_A_DEV_NODE: per node, ZEC_A_NODE_ID, ZEC_A_NODE_STATS
 *   Counters are monotonic from device creation; a port's counters start
 *   at zero each time it is added.
 *
 * ZEC_CMD_RATE_SET: Cap the egress rate of one port, or set the default
 *   cap of every port of the device that has no cap of its own. Needs
 *   CAP_NET_ADMIN. Takes effect at once, also under traffic.
 *   Request: the device; ZEC_A_DEV_PORT with the port's ifindex or ifname
 *   to cap that port (absent: the device default); and ZEC_A_DEV_RATE
 *   with at least one of ZEC_A_RATE_PERCENT, ZEC_A_RATE_BPS and
 *   ZEC_A_RATE_PPS, and optionally ZEC_A_RATE_BURST and ZEC_A_RATE_MODE.
 *   The cap replaces the previous one as a whole.
 *   A percentage follows the port's link speed (ethtool), re-read when
 *   the port comes up or changes state. With a percentage, ZEC_A_RATE_BPS
 *   is the fallback for a port whose speed is unknown; without one, such
 *   a port is refused (-EINVAL), and a port whose speed becomes unknown
 *   later is not capped (its ZEC_A_RATE_ACTIVE_BPS is 0).
 *   Bytes are counted as the frames take the wire: the Ethernet frame with
 *   FCS, padding, preamble and inter-frame gap (24 bytes more than the
 *   frame without FCS, each segment of a GSO packet counted). A packet
 *   with both a bit/s and a packet/s cap costs the larger of the two.
 *   Errors: -ERANGE (from the policy, with the bounds) for a percentage
 *   of 0 or more than 100, bit/s outside
 *   ZEC_RATE_BPS_MIN..ZEC_RATE_BPS_MAX, packet/s of 0 or above
 *   ZEC_RATE_PPS_MAX; -EINVAL, with an extack message, for a burst
 *   smaller than one frame (MTU + 14) or no rate at all; -ENOENT for a
 *   device that is not a port.
 *   Notification: ZEC_CMD_DEV_CHANGE_NTF for the device default,
 *   ZEC_CMD_PORT_STATE_NTF with reason ZEC_REASON_ADMIN for a port.
 *
 * ZEC_CMD_RATE_DEL: Remove the cap of a port (which then follows the
 *   device default, if any) or the device default. Request as
 *   ZEC_CMD_RATE_SET without ZEC_A_DEV_RATE. -ENOENT if there is no such
 *   cap. Notification as ZEC_CMD_RATE_SET.
 * ZEC_CMD_PROBE_SET: Probe the path through every port. Needs
 *   CAP_NET_ADMIN. Request: the device and ZEC_A_DEV_PROBE containing
 *     ZEC_A_PROBE_TARGET_IPV4: NLA_BE32, repeated; unicast, not 0/8,
 *                              127/8, multicast or broadcast, nor one
 *                              of this host's addresses or a subnet
 *                              broadcast (as the routes say when set)
 *     ZEC_A_PROBE_TARGET_IPV6: 16 bytes, repeated; unicast, not :: or
 *                              ::1, nor one of this host's addresses
 *       1..ZEC_PROBE_TARGETS_MAX targets of both kinds together
 *     ZEC_A_PROBE_INTERVAL_MS: NLA_U32, ZEC_PROBE_INTERVAL_MS_MIN..
 *                              ZEC_PROBE_INTERVAL_MS_MAX; required
 *     ZEC_A_PROBE_MISS_COUNT: NLA_U32, 1..ZEC_PROBE_COUNT_MAX, default
 *                             ZEC_PROBE_DEFAULT_MISS_COUNT
 *     ZEC_A_PROBE_RECOVER_COUNT: NLA_U32, 1..ZEC_PROBE_COUNT_MAX, default
 *                                ZEC_PROBE_DEFAULT_RECOVER_COUNT
 *     ZEC_A_PROBE_DAMP_COUNT: NLA_U32, 0..ZEC_PROBE_DAMP_COUNT_MAX; 0 (the
 *                             default) turns flap damping off
 *     ZEC_A_PROBE_DAMP_WINDOW_MS, ZEC_A_PROBE_DAMP_HOLD_MS: NLA_U32,
 *       1..ZEC_PROBE_DAMP_MS_MAX; both required when DAMP_COUNT is set
 *       and not 0, refused without it (a reply leaves all three out
 *       when damping is off)
 *   Every interval, each port whose carrier is up sends an ARP request
 *   (IPv4) or a neighbour solicitation (IPv6) to every target, from an
 *   address of the zec device (chosen as the stack would for that target)
 *   and its MAC address. A reply counts for a port only if it arrives on
 *   that port, comes from a target (ARP sender / NA target address), and
 *   answers a probe: an ARP reply to our address and MAC, a solicited NA
 *   sent to our MAC. At each interval a port with no counting reply since
 *   the previous one has missed once; after MISS_COUNT misses in a row it
 *   goes down with ZEC_PORT_DOWN_PROBE, after RECOVER_COUNT good intervals
 *   in a row it comes back. Carrier and probes act together: either takes
 *   a port down, each with its own bit and reason. A port whose carrier
 *   is down sends nothing and so misses too. The verdict is taken on a
 *   timer tick (jiffies) and, if RTNL is busy then, at the next interval.
 *   With damping, a port that goes down (its carrier or probe verdict
 *   turns it from usable to unusable) more than DAMP_COUNT times within
 *   DAMP_WINDOW_MS is held down with ZEC_PORT_DOWN_DAMPED for
 *   DAMP_HOLD_MS; start and end of the hold are ZEC_CMD_PORT_STATE_NTF
 *   with reason ZEC_REASON_DAMPED.
 *   The device need not have an address yet (at boot it is often
 *   configured before DHCP or IPv6 DAD give it one): a target it has no
 *   source address for is skipped, and the request succeeds with an
 *   extack warning (a message in the ack of a 0 error) if any target has
 *   none. Probes to a target start once the device has an address for
 *   it. While it has none for any target, or is down, no probe is sent
 *   and the ports keep their verdicts (ZEC_A_DEV_PROBE_ROUNDS_NO_SOURCE
 *   counts those intervals): a port is judged only on the intervals it
 *   sent probes in, or had no link (carrier) to send them.
 *   Setting probes again replaces the whole configuration; ports keep
 *   their verdicts. Notification: ZEC_CMD_DEV_CHANGE_NTF.
 *
 * ZEC_CMD_MAC_GET: The source MACs a device sends from (dump only; the
 *   request names the device, as ZEC_CMD_DEV_GET). Learned in
 *   ZEC_MODE_INDEPENDENT only. Each reply message carries ZEC_A_DEV_IFINDEX,
 *   ZEC_A_DEV_IFNAME, ZEC_A_DEV_GENERATION and any number of ZEC_A_DEV_MAC.
 *
 * ZEC_CMD_PROBE_DEL: Stop probing. Needs CAP_NET_ADMIN. Ports down for
 *   ZEC_PORT_DOWN_PROBE or ZEC_PORT_DOWN_DAMPED come back (reason
 *   ZEC_REASON_PROBE). -ENOENT if probing is off.
 *   Notification: ZEC_CMD_DEV_CHANGE_NTF.
 *
 * Notifications (ZEC_MCGRP_MONITOR; never accepted as requests)
 * --------------------------------------------------------------
 *
 * All carry ZEC_A_DEV_IFINDEX, ZEC_A_DEV_IFNAME and ZEC_A_DEV_GENERATION.
 *
 * ZEC_CMD_PORT_ADD_NTF: a port was added. ZEC_A_DEV_PORT as in
 *   ZEC_CMD_DEV_GET.
 * ZEC_CMD_PORT_DEL_NTF: a port was removed (by command, by "ip link set
 *   nomaster" or by the port netdev going away). ZEC_A_DEV_PORT with
 *   ZEC_A_PORT_IFINDEX and ZEC_A_PORT_IFNAME; ZEC_A_DEV_EVENT with
 *   ZEC_A_EVENT_REASON = ZEC_REASON_REMOVED and ZEC_A_EVENT_TIMESTAMP_NS.
 * ZEC_CMD_PORT_STATE_NTF: a port's ZEC_A_PORT_STATE, ZEC_A_PORT_DOWN_REASONS,
 *   ZEC_A_PORT_ENABLED, ZEC_A_PORT_NODE or ZEC_A_PORT_IFNAME (reason
 *   ZEC_REASON_RENAMED) changed. ZEC_A_DEV_PORT as in
 *   ZEC_CMD_DEV_GET; ZEC_A_DEV_EVENT with ZEC_A_EVENT_REASON and
 *   ZEC_A_EVENT_TIMESTAMP_NS.
 * ZEC_CMD_FAILOVER_NTF: the set of ports serving a node changed.
 *   ZEC_A_DEV_EVENT with
 *     ZEC_A_EVENT_NODE: NLA_U32, the node whose traffic moved
 *     ZEC_A_EVENT_FROM_IFINDEX: NLA_U32, port that served it; 0 if none
 *     ZEC_A_EVENT_TO_IFINDEX: NLA_U32, port that serves it now; 0 if none
 *                             (traffic of that node is dropped)
 *     ZEC_A_EVENT_SELECT: NLA_U32, enum zec_select of the new choice
 *     ZEC_A_EVENT_REASON: NLA_U32, enum zec_reason
 *     ZEC_A_EVENT_TIMESTAMP_NS: NLA_U64, CLOCK_MONOTONIC (ktime_get_ns())
 *   In ZEC_MODE_LAG, from/to name the first port of the old and new sets.
 * ZEC_CMD_DEV_CHANGE_NTF: configuration changed. ZEC_A_DEV_MODE,
 *   ZEC_A_DEV_UP_DELAY_MS, ZEC_A_DEV_GARP_COUNT with their new values,
 *   ZEC_A_DEV_RATE if a default cap is set, ZEC_A_DEV_PROBE and
 *   ZEC_A_DEV_PROBE_ROUNDS_NO_SOURCE while probing; ZEC_A_DEV_RX_PORT, ZEC_A_DEV_MAC_TABLE_SIZE,
 *   ZEC_A_DEV_MAC_AGEING_MS and ZEC_A_DEV_ANNOUNCE_* as in ZEC_CMD_DEV_GET.
 * ZEC_CMD_RX_PORT_NTF: the port receiving broadcast and multicast in
 *   ZEC_MODE_INDEPENDENT changed. ZEC_A_DEV_RX_PORT_ACTIVE; ZEC_A_DEV_EVENT
 *   with ZEC_A_EVENT_FROM_IFINDEX, ZEC_A_EVENT_TO_IFINDEX (0: none),
 *   ZEC_A_EVENT_REASON and ZEC_A_EVENT_TIMESTAMP_NS.
 *
 * Attributes
 * ----------
 *
 * NLA_U64 attributes are 64-bit aligned by ZEC_A_*_PAD (nla_put_u64_64bit).
 *
 * ZEC_A_PORT_*, nested in ZEC_A_DEV_PORT:
 *   IFINDEX: NLA_U32; IFNAME: NLA_NUL_STRING
 *   NODE: NLA_U32, the node the port serves: the override if set, else
 *         the detected node; ZEC_NODE_NONE if neither is known, in which
 *         case the port serves only as a last resort (ZEC_SELECT_UNKNOWN)
 *   DETECTED_NODE: NLA_U32, dev_to_node() of the port's parent device;
 *                  ZEC_NODE_NONE when the platform does not say
 *   NODE_OVERRIDE: NLA_U32, present in replies only when set
 *   NODE_AUTO: NLA_FLAG, request only, see ZEC_CMD_PORT_SET
 *   ENABLED: NLA_U8, administrative enable, 0 or 1
 *   STATE: NLA_U32, enum zec_port_state
 *   DOWN_REASONS: NLA_U32, bitmask of ZEC_PORT_DOWN_*; 0 when up
 *   SPEED_MBPS: NLA_U32, from ethtool; ZEC_SPEED_UNKNOWN if unknown
 *   STATS: NLA_NESTED, ZEC_A_STATS_*, only in ZEC_CMD_STATS_GET
 *   RATE: NLA_NESTED, ZEC_A_RATE_*: the cap in force on the port (its own
 *         or, with ZEC_A_RATE_INHERITED, the device default); absent if
 *         none. Reply only.
 *   PROBE_MISSES: NLA_U32, intervals in a row without a probe reply;
 *                 only while probing (and, like PROBE_REPLY_AGE_MS, in
 *                 ZEC_CMD_STATS_GET replies too)
 *   PROBE_REPLY_AGE_MS: NLA_U32, ms since the last reply that counted,
 *                       ZEC_PROBE_NO_REPLY if none; only while probing
 *
 * ZEC_A_NODE_*, nested in ZEC_A_DEV_NODE:
 *   ID: NLA_U32, 0..ZEC_NODE_ID_MAX
 *   SELECT: NLA_U32, enum zec_select: why the serving port(s) were chosen
 *   DISTANCE: NLA_U32, node_distance() from this node to the serving
 *             port's node (10 for local); absent when select is
 *             ZEC_SELECT_NONE or ZEC_SELECT_UNKNOWN
 *   PORT: NLA_U32, repeated: ifindex of each port serving this node (in
 *         ZEC_MODE_INDEPENDENT only the first of its tier); none
 *         when select is ZEC_SELECT_NONE
 *   STATS: NLA_NESTED, ZEC_A_STATS_*, only in ZEC_CMD_STATS_GET
 *
 * ZEC_A_STATS_*, all NLA_U64. Each nest carries the counters that make
 * sense at its level; the device nest carries all but the probe ones.
 *   TX_LOCAL_PACKETS, TX_LOCAL_BYTES: sent by a port on the node of the
 *     submitting CPU (port nest: sent by this port; node nest: submitted
 *     on this node's CPUs)
 *   TX_CROSS_PACKETS, TX_CROSS_BYTES: sent by a port on another node
 *   RX_PACKETS, RX_BYTES: received by ports (port and device nests)
 *   SUBMITTED_PACKETS: handed to the zec device by CPUs of the node
 *     (node and device nests)
 *   DROP_NO_PORT: dropped because no port was healthy (node, device).
 *     A port that lost its carrier between selection and transmit costs
 *     no drop: the packet goes to the next port that can send.
 *   DROP_TX_ERROR: the port's driver refused the packet (all nests)
 *   FAILOVERS: port nest: times traffic moved away from this port; node
 *     nest: times this node's serving port changed; device: failover
 *     events, as ZEC_A_DEV_FAILOVER_COUNT
 *   DROP_RATE: dropped by a rate cap: over the cap in police mode, or
 *     held longer than the shaper allows in shape mode, or still held
 *     when the port left the device (all nests)
 *   RATE_DELAYED: held back by a cap in shape mode, then sent or counted
 *     in DROP_RATE (all nests)
 *   PROBES_SENT, PROBE_REPLIES: probes sent and replies that counted
 *     (port nest only)
 *   PROBE_DOWNS: times the probe verdict took the port down; DAMP_HOLDS:
 *     times flap damping held it down (port nest only)
 *   RX_REFLECTIONS: received with a source MAC that zec sent out of
 *     another port in the last ZEC_REFLECTION_MS, dropped (port, device)
 *   RX_FLOOD_DUPLICATES: broadcast or multicast received on a port other
 *     than ZEC_A_DEV_RX_PORT_ACTIVE, dropped (port, device)
 *   ANNOUNCEMENTS: frames zec sent to move a source MAC to the port that
 *     now carries it (port, device)
 *   SUBMITTED_PACKETS is TX_LOCAL + TX_CROSS + DROP_NO_PORT + DROP_TX_ERROR
 *   + DROP_RATE, once the packets a shaper holds have left.
 *   XDP frames redirected into the device (ndo_xdp_xmit) count as
 *   packets do, on the node of the CPU that redirected them; no rate cap
 *   applies to them.
 *   A node nest sums the per-CPU counters of the node's CPUs over the
 *   current ports: unlike the device's, its counters lose what a port
 *   carried when that port is removed.
 *
 * ZEC_A_EVENT_*, nested in ZEC_A_DEV_EVENT: see the notifications above.
 *
 * ZEC_A_MAC_*, nested in ZEC_A_DEV_MAC (ZEC_CMD_MAC_GET):
 *   ADDR: NLA_BINARY, ETH_ALEN bytes
 *   NODE: NLA_U32, node of the CPU that last sent from it
 *   PORT_IFINDEX: NLA_U32, the port its frames leave through now; 0 if none
 *   AGE_MS: NLA_U32, ms since it was last sent from or announced
 *
 * ZEC_A_RATE_*, nested in ZEC_A_DEV_RATE and ZEC_A_PORT_RATE:
 *   PERCENT: NLA_U32, 1..100, of the port's link speed
 *   BPS: NLA_U64, bit/s; with PERCENT, the fallback for unknown speed
 *   PPS: NLA_U64, packets/s (GSO segments counted)
 *   BURST: NLA_U32, bytes the cap lets pass at once after a pause; absent
 *          or 0: the larger of 64 KiB and 1 ms at the cap
 *   MODE: NLA_U32, enum zec_rate_mode; default ZEC_RATE_MODE_POLICE
 *   INHERITED: NLA_FLAG, reply only: the port follows the device default
 *   ACTIVE_BPS, ACTIVE_PPS: NLA_U64, reply only, port nest: what the
 *     port enforces now; 0 for no such cap
 *   ACTIVE_BURST: NLA_U32, reply only, port nest: the burst in force
 *   A shaper holds a packet for at most 50 ms; one that would wait longer
 *   is dropped. See Documentation/datapath.md for when to use which mode.
 * ZEC_A_PROBE_*, nested in ZEC_A_DEV_PROBE: see ZEC_CMD_PROBE_SET.
 */

#ifndef _UAPI_LINUX_ZEC_H
#define _UAPI_LINUX_ZEC_H

#define ZEC_GENL_NAME		"zec"
#define ZEC_GENL_VERSION	1
#define ZEC_MCGRP_MONITOR	"monitor"

/* Policy ranges, enforced by the kernel. */
#define ZEC_UP_DELAY_MS_MAX	600000
#define ZEC_GARP_COUNT_MAX	255
#define ZEC_NODE_ID_MAX		1023	/* MAX_NUMNODES - 1 at NODES_SHIFT 10 */

/* Independent mode: the source-MAC table and announcements. */
#define ZEC_MAC_TABLE_SIZE_MIN		64
#define ZEC_MAC_TABLE_SIZE_MAX		65536
#define ZEC_MAC_TABLE_SIZE_DEFAULT	4096
#define ZEC_MAC_AGEING_MS_MIN		1000
#define ZEC_MAC_AGEING_MS_MAX		3600000
#define ZEC_MAC_AGEING_MS_DEFAULT	300000
#define ZEC_ANNOUNCE_COUNT_MAX		16
#define ZEC_ANNOUNCE_COUNT_DEFAULT	3
#define ZEC_ANNOUNCE_INTERVAL_MS_MIN	10
#define ZEC_ANNOUNCE_INTERVAL_MS_MAX	10000
#define ZEC_ANNOUNCE_INTERVAL_MS_DEFAULT 100
#define ZEC_ANNOUNCE_RATE_MIN		100
#define ZEC_ANNOUNCE_RATE_MAX		1000000
#define ZEC_ANNOUNCE_RATE_DEFAULT	10000
/* A frame back from the fabric within this long of leaving is a reflection. */
#define ZEC_REFLECTION_MS		2000

/* Health probes: ZEC_CMD_PROBE_SET. */
#define ZEC_PROBE_TARGETS_MAX		16	/* IPv4 and IPv6 together */
#define ZEC_PROBE_INTERVAL_MS_MIN	10
#define ZEC_PROBE_INTERVAL_MS_MAX	60000
#define ZEC_PROBE_COUNT_MAX		255	/* miss and recover counts */
#define ZEC_PROBE_DAMP_COUNT_MAX	16
#define ZEC_PROBE_DAMP_MS_MAX		3600000	/* damping window and hold */
#define ZEC_PROBE_DEFAULT_MISS_COUNT	3
#define ZEC_PROBE_DEFAULT_RECOVER_COUNT	1
/* ZEC_A_PORT_PROBE_REPLY_AGE_MS of a port that never had a reply. */
#define ZEC_PROBE_NO_REPLY		0xffffffffU

/* Value of a node attribute when no node is known (NUMA_NO_NODE). */
#define ZEC_NODE_NONE		0xffffffffU
/* ZEC_A_PORT_SPEED_MBPS when the driver does not report one. */
#define ZEC_SPEED_UNKNOWN	0xffffffffU

/* Limits of a rate cap (ZEC_A_RATE_*), enforced by the kernel. */
#define ZEC_RATE_BPS_MIN	1000
#define ZEC_RATE_BPS_MAX	10000000000000	/* 10 Tbit/s */
#define ZEC_RATE_PPS_MAX	10000000000

enum zec_mode {
	/* all healthy ports of a node share its traffic by flow hash */
	ZEC_MODE_LAG,
	/* a node uses its first healthy port; others are standby */
	ZEC_MODE_INDEPENDENT,

	__ZEC_MODE_MAX,
	ZEC_MODE_MAX = __ZEC_MODE_MAX - 1
};

enum zec_port_state {
	ZEC_PORT_STATE_DOWN,
	ZEC_PORT_STATE_UP,

	__ZEC_PORT_STATE_MAX,
	ZEC_PORT_STATE_MAX = __ZEC_PORT_STATE_MAX - 1
};

/* Bits of ZEC_A_PORT_DOWN_REASONS. */
enum zec_port_down {
	ZEC_PORT_DOWN_CARRIER	= 1 << 0,	/* no carrier or not running */
	ZEC_PORT_DOWN_ADMIN	= 1 << 1,	/* disabled by ZEC_A_PORT_ENABLED */
	ZEC_PORT_DOWN_UP_DELAY	= 1 << 2,	/* carrier back, up delay running */
	ZEC_PORT_DOWN_PROBE	= 1 << 3,	/* no probe reply: see PROBE_SET */
	ZEC_PORT_DOWN_DAMPED	= 1 << 4,	/* flapped too often, held down */
};

/* Why a node is served by the port(s) it is. */
enum zec_select {
	ZEC_SELECT_NONE,	/* no healthy port at all: traffic dropped */
	ZEC_SELECT_LOCAL,	/* a healthy port on the node itself */
	ZEC_SELECT_NEAREST,	/* none local: nearest node by node_distance() */
	ZEC_SELECT_UNKNOWN,	/* last resort: a port whose node is unknown */

	__ZEC_SELECT_MAX,
	ZEC_SELECT_MAX = __ZEC_SELECT_MAX - 1
};

/* Cause of a port state change or failover. */
enum zec_reason {
	ZEC_REASON_CARRIER,	/* carrier lost or regained (after up delay) */
	ZEC_REASON_ADMIN,	/* ZEC_CMD_PORT_SET enable or node override */
	ZEC_REASON_REMOVED,	/* port released or its netdev unregistered */
	ZEC_REASON_PROBE,	/* health probe verdict, or probing stopped */
	ZEC_REASON_ADDED,	/* a port was added */
	ZEC_REASON_DAMPED,	/* flap damping hold started or ended */
	ZEC_REASON_RENAMED,	/* the port netdev was renamed */

	__ZEC_REASON_MAX,
	ZEC_REASON_MAX = __ZEC_REASON_MAX - 1
};

/* What a rate cap does with a packet over the cap. */
enum zec_rate_mode {
	ZEC_RATE_MODE_POLICE,	/* drop it (ZEC_A_STATS_DROP_RATE) */
	ZEC_RATE_MODE_SHAPE,	/* hold it until the cap allows it */

	__ZEC_RATE_MODE_MAX,
	ZEC_RATE_MODE_MAX = __ZEC_RATE_MODE_MAX - 1
};

enum zec_cmd {
	ZEC_CMD_UNSPEC,
	ZEC_CMD_DEV_GET,
	ZEC_CMD_DEV_SET,
	ZEC_CMD_PORT_ADD,
	ZEC_CMD_PORT_DEL,
	ZEC_CMD_PORT_SET,
	ZEC_CMD_STATS_GET,
	ZEC_CMD_PORT_ADD_NTF,
	ZEC_CMD_PORT_DEL_NTF,
	ZEC_CMD_PORT_STATE_NTF,
	ZEC_CMD_FAILOVER_NTF,
	ZEC_CMD_DEV_CHANGE_NTF,
	ZEC_CMD_RATE_SET,
	ZEC_CMD_RATE_DEL,
	ZEC_CMD_PROBE_SET,
	ZEC_CMD_PROBE_DEL,
	ZEC_CMD_MAC_GET,
	ZEC_CMD_RX_PORT_NTF,

	__ZEC_CMD_MAX,
	ZEC_CMD_MAX = __ZEC_CMD_MAX - 1
};

enum zec_a_dev {
	ZEC_A_DEV_UNSPEC,
	ZEC_A_DEV_PAD,
	ZEC_A_DEV_IFINDEX,
	ZEC_A_DEV_IFNAME,
	ZEC_A_DEV_GENERATION,
	ZEC_A_DEV_MODE,
	ZEC_A_DEV_UP_DELAY_MS,
	ZEC_A_DEV_GARP_COUNT,
	ZEC_A_DEV_FAILOVER_COUNT,
	ZEC_A_DEV_LAST_FAILOVER_NS,
	ZEC_A_DEV_PORT,
	ZEC_A_DEV_NODE,
	ZEC_A_DEV_STATS,
	ZEC_A_DEV_EVENT,
	ZEC_A_DEV_RATE,
	ZEC_A_DEV_PROBE,
	ZEC_A_DEV_RX_PORT,
	ZEC_A_DEV_RX_PORT_ACTIVE,
	ZEC_A_DEV_MAC_TABLE_SIZE,
	ZEC_A_DEV_MAC_AGEING_MS,
	ZEC_A_DEV_MAC_COUNT,
	ZEC_A_DEV_ANNOUNCE_COUNT,
	ZEC_A_DEV_ANNOUNCE_INTERVAL_MS,
	ZEC_A_DEV_ANNOUNCE_RATE,
	ZEC_A_DEV_MAC,
	ZEC_A_DEV_PROBE_ROUNDS_NO_SOURCE,

	__ZEC_A_DEV_MAX,
	ZEC_A_DEV_MAX = __ZEC_A_DEV_MAX - 1
};

enum zec_a_port {
	ZEC_A_PORT_UNSPEC,
	ZEC_A_PORT_IFINDEX,
	ZEC_A_PORT_IFNAME,
	ZEC_A_PORT_NODE,
	ZEC_A_PORT_DETECTED_NODE,
	ZEC_A_PORT_NODE_OVERRIDE,
	ZEC_A_PORT_NODE_AUTO,
	ZEC_A_PORT_ENABLED,
	ZEC_A_PORT_STATE,
	ZEC_A_PORT_DOWN_REASONS,
	ZEC_A_PORT_SPEED_MBPS,
	ZEC_A_PORT_STATS,
	ZEC_A_PORT_RATE,
	ZEC_A_PORT_PROBE_MISSES,
	ZEC_A_PORT_PROBE_REPLY_AGE_MS,

	__ZEC_A_PORT_MAX,
	ZEC_A_PORT_MAX = __ZEC_A_PORT_MAX - 1
};

enum zec_a_node {
	ZEC_A_NODE_UNSPEC,
	ZEC_A_NODE_ID,
	ZEC_A_NODE_SELECT,
	ZEC_A_NODE_DISTANCE,
	ZEC_A_NODE_PORT,
	ZEC_A_NODE_STATS,

	__ZEC_A_NODE_MAX,
	ZEC_A_NODE_MAX = __ZEC_A_NODE_MAX - 1
};

enum zec_a_stats {
	ZEC_A_STATS_UNSPEC,
	ZEC_A_STATS_PAD,
	ZEC_A_STATS_TX_LOCAL_PACKETS,
	ZEC_A_STATS_TX_LOCAL_BYTES,
	ZEC_A_STATS_TX_CROSS_PACKETS,
	ZEC_A_STATS_TX_CROSS_BYTES,
	ZEC_A_STATS_RX_PACKETS,
	ZEC_A_STATS_RX_BYTES,
	ZEC_A_STATS_SUBMITTED_PACKETS,
	ZEC_A_STATS_DROP_NO_PORT,
	ZEC_A_STATS_DROP_TX_ERROR,
	ZEC_A_STATS_FAILOVERS,
	ZEC_A_STATS_DROP_RATE,
	ZEC_A_STATS_RATE_DELAYED,
	ZEC_A_STATS_PROBES_SENT,
	ZEC_A_STATS_PROBE_REPLIES,
	ZEC_A_STATS_PROBE_DOWNS,
	ZEC_A_STATS_DAMP_HOLDS,
	ZEC_A_STATS_RX_REFLECTIONS,
	ZEC_A_STATS_RX_FLOOD_DUPLICATES,
	ZEC_A_STATS_ANNOUNCEMENTS,

	__ZEC_A_STATS_MAX,
	ZEC_A_STATS_MAX = __ZEC_A_STATS_MAX - 1
};

enum zec_a_event {
	ZEC_A_EVENT_UNSPEC,
	ZEC_A_EVENT_PAD,
	ZEC_A_EVENT_REASON,
	ZEC_A_EVENT_NODE,
	ZEC_A_EVENT_FROM_IFINDEX,
	ZEC_A_EVENT_TO_IFINDEX,
	ZEC_A_EVENT_SELECT,
	ZEC_A_EVENT_TIMESTAMP_NS,

	__ZEC_A_EVENT_MAX,
	ZEC_A_EVENT_MAX = __ZEC_A_EVENT_MAX - 1
};

enum zec_a_mac {
	ZEC_A_MAC_UNSPEC,
	ZEC_A_MAC_ADDR,
	ZEC_A_MAC_NODE,
	ZEC_A_MAC_PORT_IFINDEX,
	ZEC_A_MAC_AGE_MS,

	__ZEC_A_MAC_MAX,
	ZEC_A_MAC_MAX = __ZEC_A_MAC_MAX - 1
};

enum zec_a_rate {
	ZEC_A_RATE_UNSPEC,
	ZEC_A_RATE_PAD,
	ZEC_A_RATE_PERCENT,
	ZEC_A_RATE_BPS,
	ZEC_A_RATE_PPS,
	ZEC_A_RATE_BURST,
	ZEC_A_RATE_MODE,
	ZEC_A_RATE_INHERITED,
	ZEC_A_RATE_ACTIVE_BPS,
	ZEC_A_RATE_ACTIVE_PPS,
	ZEC_A_RATE_ACTIVE_BURST,

	__ZEC_A_RATE_MAX,
	ZEC_A_RATE_MAX = __ZEC_A_RATE_MAX - 1
};

enum zec_a_probe {
	ZEC_A_PROBE_UNSPEC,
	ZEC_A_PROBE_TARGET_IPV4,
	ZEC_A_PROBE_TARGET_IPV6,
	ZEC_A_PROBE_INTERVAL_MS,
	ZEC_A_PROBE_MISS_COUNT,
	ZEC_A_PROBE_RECOVER_COUNT,
	ZEC_A_PROBE_DAMP_COUNT,
	ZEC_A_PROBE_DAMP_WINDOW_MS,
	ZEC_A_PROBE_DAMP_HOLD_MS,

	__ZEC_A_PROBE_MAX,
	ZEC_A_PROBE_MAX = __ZEC_A_PROBE_MAX - 1
};

/*
 * rtnetlink: the link kind "zec" (ip link add zec0 type zec ...). Its
 * IFLA_INFO_DATA carries the device settings of ZEC_CMD_DEV_SET, with the
 * same types and bounds; RTM_NEWLINK checks them before it registers the
 * device and applies them right after, before the new link is announced
 * (a refused setting creates no device), RTM_SETLINK as ZEC_CMD_DEV_SET
 * does (all the settings or none).
 *   IFLA_ZEC_MODE: u32, enum zec_mode
 *   IFLA_ZEC_UP_DELAY_MS: u32, 0..ZEC_UP_DELAY_MS_MAX
 *   IFLA_ZEC_GARP_COUNT: u32, 0..ZEC_GARP_COUNT_MAX
 *   IFLA_ZEC_RX_PORT: u32, ifindex of a port; 0: automatic (so always 0
 *                     at creation, when the device has no port yet)
 *   IFLA_ZEC_MAC_TABLE_SIZE, IFLA_ZEC_MAC_AGEING_MS,
 *   IFLA_ZEC_ANNOUNCE_COUNT, IFLA_ZEC_ANNOUNCE_INTERVAL_MS,
 *   IFLA_ZEC_ANNOUNCE_RATE: u32, as ZEC_A_DEV_* of the same names
 *   IFLA_ZEC_RX_PORT_ACTIVE: u32, reply only, as ZEC_A_DEV_RX_PORT_ACTIVE
 * A port's IFLA_INFO_SLAVE_DATA (IFLA_INFO_SLAVE_KIND "zec"), reply only,
 * as the ZEC_A_PORT_* of the same names:
 *   IFLA_ZEC_PORT_NODE, IFLA_ZEC_PORT_DETECTED_NODE: u32, ZEC_NODE_NONE
 *                                                    if not known
 *   IFLA_ZEC_PORT_NODE_OVERRIDE: u32, only when set
 *   IFLA_ZEC_PORT_ENABLED: u8
 *   IFLA_ZEC_PORT_STATE: u32, enum zec_port_state
 *   IFLA_ZEC_PORT_DOWN_REASONS: u32, ZEC_PORT_DOWN_* bits
 *   IFLA_ZEC_PORT_SPEED_MBPS: u32, ZEC_SPEED_UNKNOWN if not known
 * Like the rest of this header, both only ever grow at the end.
 */
enum {
	IFLA_ZEC_UNSPEC,
	IFLA_ZEC_MODE,
	IFLA_ZEC_UP_DELAY_MS,
	IFLA_ZEC_GARP_COUNT,
	IFLA_ZEC_RX_PORT,
	IFLA_ZEC_MAC_TABLE_SIZE,
	IFLA_ZEC_MAC_AGEING_MS,
	IFLA_ZEC_ANNOUNCE_COUNT,
	IFLA_ZEC_ANNOUNCE_INTERVAL_MS,
	IFLA_ZEC_ANNOUNCE_RATE,
	IFLA_ZEC_RX_PORT_ACTIVE,

	__IFLA_ZEC_MAX,
	IFLA_ZEC_MAX = __IFLA_ZEC_MAX - 1
};

enum {
	IFLA_ZEC_PORT_UNSPEC,
	IFLA_ZEC_PORT_NODE,
	IFLA_ZEC_PORT_DETECTED_NODE,
	IFLA_ZEC_PORT_NODE_OVERRIDE,
	IFLA_ZEC_PORT_ENABLED,
	IFLA_ZEC_PORT_STATE,
	IFLA_ZEC_PORT_DOWN_REASONS,
	IFLA_ZEC_PORT_SPEED_MBPS,

	__IFLA_ZEC_PORT_MAX,
	IFLA_ZEC_PORT_MAX = __IFLA_ZEC_PORT_MAX - 1
};

#endif /* _UAPI_LINUX_ZEC_H */
