#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=480 alone
#
# zec0 as a netdev under netpoll: netconsole on zec0, and on a bridge over
# zec0 (the hypervisor's layout), delivers what the kernel logs from
# process context and from hard-IRQ context (SysRq pressed on the guest's
# PS/2 keyboard runs its handler in the keyboard's interrupt) while UDP
# traffic from both nodes goes through zec0's ports. netconsole transmits
# with interrupts off: zec0 must hand its frames to the port's netpoll, not
# to dev_queue_xmit() (which warns when called from a hard IRQ). Messages
# keep arriving while a port leaves and joins zec0 and when the port
# netconsole is using loses its cable. And zec0's unsolicited neighbour
# advertisements carry the Router flag exactly when zec0 forwards IPv6.
# On PREEMPT_RT zec0 refuses netpoll instead, and both netconsoles fail.
# The hard-IRQ checks come last and the test boots alone: on a lockdep
# kernel, netconsole over virtio-net from a hard IRQ makes a report a bare
# port makes too (selftests/vm/splat-scan.sh), after which lockdep is off.
#
#   netconsole ── zec0 (or br1 ── zec0) ─┬─ n0p0 ══ sw-n0p0 ─┐
#   UDP senders, both nodes              └─ n1p0 ══ sw-n1p0 ─┴─ br0 192.0.2.254
#                                                              socat :6666
#                                                              (netns switch)

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

NC_PORT=6666
NC_LOG=/tmp/zec-netconsole.log
NC_TARGET=/sys/kernel/config/netconsole/zec
TRACING=/sys/kernel/debug/tracing
ANNOUNCE=/tmp/zec-netconsole-na.txt
KLOG=/tmp/zec-netconsole-dmesg.txt
ZEC_ADDR6=2001:db8::1
SYSRQ_PRESSES=5
MESSAGES=20

# A marker in the kernel log: splats after it belong to this test.
klog_mark netconsole

start_listener()
{
	in_switch socat -u "UDP-RECV:$NC_PORT" STDOUT > "$NC_LOG" &
	defer reap "$!"
	busywait 5000 in_switch sh -c "grep -q ':$(printf %04X $NC_PORT) ' /proc/net/udp"
}

# netconsole_on DEV: a netconsole target on DEV, sending to the switch.
netconsole_on()
{
	local mac

	modprobe netconsole || return 1
	mountpoint -q /sys/kernel/config ||
		mount -t configfs configfs /sys/kernel/config || return 1
	mac=$(ip -n switch -j link show br0 | jq -r '.[0].address')
	mkdir "$NC_TARGET" || return 1
	defer rmdir "$NC_TARGET"
	echo "$1" > "$NC_TARGET/dev_name" &&
		echo "$ZEC_ADDR" > "$NC_TARGET/local_ip" &&
		echo "$SWITCH_ADDR" > "$NC_TARGET/remote_ip" &&
		echo "$NC_PORT" > "$NC_TARGET/remote_port" &&
		echo "$mac" > "$NC_TARGET/remote_mac" &&
		echo 1 > "$NC_TARGET/enabled" || return 1
	defer netconsole_off
}

netconsole_off()
{
	echo 0 > "$NC_TARGET/enabled"
}

# log_from NODE TAG COUNT: COUNT kernel messages "zec-nc: TAG I", written
# from NODE's CPUs (the printk, and so netconsole, runs in the writer).
log_from()
{
	taskset -c "$(node_cpus "$1")" bash -c '
		for ((i = 0; i < $2; i++)); do
			echo "<3>zec-nc: $1 $i" > /dev/kmsg
		done' - "$2" "$3"
}

# arrived TAG COUNT: the listener has every message of TAG.
arrived()
{
	[ "$(grep -c "zec-nc: $1 " "$NC_LOG")" -ge "$2" ]
}

# sysrq_help: SysRq-h on the guest's keyboard; its handler prints the help
# line from the keyboard's interrupt.
sysrq_help()
{
	zec_qmp '{"execute":"send-key","arguments":{"keys":[{"type":"qcode","data":"alt"},{"type":"qcode","data":"sysrq"},{"type":"qcode","data":"h"}]}}'
}

trace_zec_xmit()
{
	echo 0 > "$TRACING/tracing_on"
	echo > "$TRACING/trace"
	echo 4096 > "$TRACING/buffer_size_kb"
	echo zec_xmit > "$TRACING/set_ftrace_filter" || return 1
	echo function > "$TRACING/current_tracer"
	echo 1 > "$TRACING/tracing_on"
	defer trace_off
}

trace_off()
{
	echo 0 > "$TRACING/tracing_on"
	echo nop > "$TRACING/current_tracer"
}

# hardirq_xmits: calls of zec_xmit the trace saw in hard-IRQ context (the
# third flag of the irq-info column, h or H).
hardirq_xmits()
{
	grep -c -E '\] ..[hH].* zec_xmit' "$TRACING/trace"
}

no_splat()
{
	klog_since > "$KLOG"
	"$(dirname "$0")/../vm/splat-scan.sh" "$KLOG" | head -n 5
	return "${PIPESTATUS[0]}"
}

SENDERS=()

packets_grow()
{
	[ "$(zec_stat "$1")" -gt "$2" ]
}

# start_traffic: a UDP sender on each node, and both ports carrying it.
start_traffic()
{
	local node

	for node in 0 1; do
		send_from_node "$node" 100000 --interval-us 2000 \
			--sport $((40000 + node * 100)) &
		SENDERS+=("$!")
		defer reap "$!"
		busywait 20000 packets_grow "n${node}p0.tx_local_packets" \
			$(($(zec_stat "n${node}p0.tx_local_packets") + 100)) || {
			echo "node $node: n${node}p0.tx_local_packets $(zec_stat "n${node}p0.tx_local_packets"), sender $(kill -0 "$!" 2>&1 && echo running)"
			ethtool -S zec0 | grep -v ': 0$'
			return 1
		}
	done
}

stop_traffic()
{
	local pid

	for pid in "${SENDERS[@]}"; do
		reap "$pid"
	done
	SENDERS=()
}

# netconsole_from_process NAME: with netconsole and traffic running, log
# from both nodes' CPUs; all of it must arrive, and the kernel must not warn.
netconsole_from_process()
{
	local name=$1

	log_from 0 "$name-n0" "$MESSAGES"
	log_from 1 "$name-n1" "$MESSAGES"
	busywait 10000 arrived "$name-n0" "$MESSAGES"
	check_err $? "node 0: $(grep -c "zec-nc: $name-n0 " "$NC_LOG") of $MESSAGES messages arrived"
	busywait 10000 arrived "$name-n1" "$MESSAGES"
	check_err $? "node 1: $(grep -c "zec-nc: $name-n1 " "$NC_LOG") of $MESSAGES messages arrived"
	no_splat
	check_err $? "the kernel warned"
	log_test "netconsole on $name under traffic, from process context"
}

# netconsole_from_hardirq NAME: the same from the keyboard's interrupt,
# seen calling zec_xmit there. Once this ran, a lockdep kernel has made its
# known report of netpoll over virtio-net (selftests/vm/splat-scan.sh) and
# checks no more locks: so it runs after every process-context check.
netconsole_from_hardirq()
{
	local name=$1 i before

	trace_zec_xmit
	check_err $? "cannot trace zec_xmit"
	before=$(grep -c "HELP" "$NC_LOG")
	for ((i = 0; i < SYSRQ_PRESSES; i++)); do
		sysrq_help || break
	done
	check_err $? "SysRq through QMP failed"
	busywait 10000 eval '[ "$(grep -c HELP "$NC_LOG")" -ge $((before + SYSRQ_PRESSES)) ]'
	check_err $? "$(($(grep -c HELP "$NC_LOG") - before)) of $SYSRQ_PRESSES SysRq help lines arrived"
	echo 0 > "$TRACING/tracing_on"
	echo "zec_xmit calls in hard-IRQ context: $(hardirq_xmits)"
	[ "$(hardirq_xmits)" -gt 0 ]
	check_err $? "no zec_xmit from hard-IRQ context in the trace"
	no_splat
	check_err $? "the kernel warned"
	log_test "netconsole on $name under traffic, from hard-IRQ context"
}

# zec0_with_netconsole: zec0 over both ports, the switch bridged behind
# them, the listener up and netconsole on zec0.
zec0_with_netconsole()
{
	zec_setup n0p0 n1p0 && switch_bridge zec0
	check_err $? "setup failed"
	start_listener
	check_err $? "listener did not start"
	netconsole_on zec0
	check_err $? "netconsole on zec0 failed: $(dmesg | grep netpoll | tail -2)"
}

test_netconsole_zec0()
{
	local before

	zec0_with_netconsole
	log_test "netconsole takes zec0"

	start_traffic
	check_err $? "no traffic through both ports"
	netconsole_from_process zec0

	# A port that leaves and joins while netpoll is on gets its own
	# netpoll again: node 1's messages go out through it, once it has
	# carrier. The senders are stopped first, so that the switch's
	# counter of sw-n1p0 counts netconsole alone.
	stop_traffic
	ip link set n1p0 nomaster
	log_from 1 leave "$MESSAGES"
	busywait 10000 arrived leave "$MESSAGES"
	check_err $? "$(grep -c 'zec-nc: leave ' "$NC_LOG") of $MESSAGES messages arrived with n1p0 gone"
	ip link set n1p0 master zec0
	check_err $? "n1p0 cannot join zec0 while netconsole is on"
	busywait 5000 zec_carrier n1p0
	before=$(switch_rx n1p0)
	log_from 1 join "$MESSAGES"
	busywait 10000 arrived join "$MESSAGES"
	check_err $? "$(grep -c 'zec-nc: join ' "$NC_LOG") of $MESSAGES messages arrived after n1p0 joined again"
	[ "$(switch_rx n1p0)" -ge $((before + MESSAGES)) ]
	check_err $? "sw-n1p0 received $(($(switch_rx n1p0) - before)) frames for $MESSAGES messages from node 1"
	log_test "netconsole follows a port that leaves and joins zec0"

	# The port node 1's messages use loses its cable: they move to n0p0.
	zec_cable n1p0 off
	defer zec_cable n1p0 on
	busywait 2000 not zec_carrier n1p0
	check_err $? "carrier of n1p0 did not drop"
	before=$(zec_stat n0p0.tx_cross_node_packets)
	log_from 1 pulled "$MESSAGES"
	busywait 10000 arrived pulled "$MESSAGES"
	check_err $? "$(grep -c 'zec-nc: pulled ' "$NC_LOG") of $MESSAGES messages arrived after the cable pull"
	[ "$(zec_stat n0p0.tx_cross_node_packets)" -ge $((before + MESSAGES)) ]
	check_err $? "n0p0 sent $(($(zec_stat n0p0.tx_cross_node_packets) - before)) frames from node 1 for $MESSAGES messages"
	no_splat
	check_err $? "the kernel warned"
	log_test "netconsole moves to n0p0 when n1p0 loses its cable"
}

# bridge_over_zec0: zec0 in bridge br1, which takes zec0's address.
bridge_over_zec0()
{
	local mac

	mac=$(ip -n switch -j link show br0 | jq -r '.[0].address')
	ip link add br1 type bridge || return 1
	defer ip link del br1
	ip link set zec0 master br1 &&
		ip addr del "$ZEC_ADDR/24" dev zec0 &&
		ip addr add "$ZEC_ADDR/24" dev br1 &&
		ip link set br1 up &&
		ip neigh replace "$SWITCH_ADDR" lladdr "$mac" dev br1 nud permanent &&
		busywait 5000 eval '[ "$(ip -j link show br1 | jq -r ".[0].operstate")" = UP ]'
}

test_netconsole_bridge()
{
	zec_setup n0p0 n1p0 && switch_bridge zec0
	check_err $? "setup failed"
	bridge_over_zec0
	check_err $? "bridge over zec0 failed"
	start_listener
	netconsole_on br1
	check_err $? "netconsole on br1 failed: $(dmesg | grep netpoll | tail -2)"
	log_test "netconsole takes a bridge over zec0"

	start_traffic
	check_err $? "no traffic through both ports"
	netconsole_from_process br1
	netconsole_from_hardirq br1
}

# After the bridge's, for a lockdep kernel (netconsole_from_hardirq).
test_netconsole_zec0_hardirq()
{
	zec0_with_netconsole
	start_traffic
	check_err $? "no traffic through both ports"
	netconsole_from_hardirq zec0
}

# na_flags: the flags of the last unsolicited NA for zec0's address seen.
na_flags()
{
	sed -n "s/.*neighbor advertisement.*tgt is $ZEC_ADDR6, Flags \[\([^]]*\)\].*/\1/p" \
		"$ANNOUNCE" | tail -1
}

# takeover_na_flags: pull n1p0's cable, and print the flags of the NA that
# n0p0 sends when it takes node 1's traffic over; the cable goes back in.
takeover_na_flags()
{
	local pid

	: > "$ANNOUNCE"
	in_switch tcpdump -i sw-n0p0 -n -l -v icmp6 > "$ANNOUNCE" 2> "$ANNOUNCE.err" &
	pid=$!
	busywait 10000 grep -q listening "$ANNOUNCE.err"
	zec_cable n1p0 off
	busywait 3000 eval '[ -n "$(na_flags)" ]'
	reap "$pid"
	zec_cable n1p0 on
	busywait 3000 zec_carrier n1p0
	na_flags
}

test_na_router_flag()
{
	local flags

	zec_setup n0p0 n1p0
	check_err $? "setup failed"
	sysctl -qw net.ipv6.conf.zec0.disable_ipv6=0
	ip addr add "$ZEC_ADDR6/64" dev zec0 nodad

	sysctl -qw net.ipv6.conf.zec0.forwarding=0
	flags=$(takeover_na_flags)
	[ "$flags" = override ]
	check_err $? "NA flags without forwarding: '$flags', want 'override'"
	log_test "unsolicited NA of a host: no Router flag"

	sysctl -qw net.ipv6.conf.zec0.forwarding=1
	flags=$(takeover_na_flags)
	[ "$flags" = "router, override" ]
	check_err $? "NA flags with forwarding: '$flags', want 'router, override'"
	log_test "unsolicited NA of a router: Router flag"
}

# PREEMPT_RT: zec0 refuses netpoll (kmod/device.c says why). netconsole
# on zec0 and on a bridge over it fails with netpoll's message, and the
# kernel goes on.
test_netconsole_refused()
{
	zec_setup n0p0 n1p0 && switch_bridge zec0
	check_err $? "setup failed"
	netconsole_on zec0
	check_fail $? "netconsole on zec0 was accepted on PREEMPT_RT"
	dmesg | grep -q "zec0 doesn't support polling"
	check_err $? "no refusal for zec0 in the kernel log"
	log_test "PREEMPT_RT: netconsole on zec0 is refused"
	defer_run

	zec_setup n0p0 n1p0 && switch_bridge zec0
	check_err $? "setup failed"
	bridge_over_zec0
	check_err $? "bridge over zec0 failed"
	netconsole_on br1
	check_fail $? "netconsole on a bridge over zec0 was accepted on PREEMPT_RT"
	log_test "PREEMPT_RT: netconsole on a bridge over zec0 is refused"
}

if [ "$(cat /sys/kernel/realtime 2> /dev/null)" = 1 ]; then
	test_netconsole_refused
	defer_run
	test_na_router_flag
else
	test_netconsole_zec0
	defer_run
	test_na_router_flag
	defer_run
	test_netconsole_bridge
	defer_run
	test_netconsole_zec0_hardirq
fi
exit "$EXIT_STATUS"
