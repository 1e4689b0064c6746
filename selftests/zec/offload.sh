#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=360
#
# What zec0 offers is what its ports can do (offloads, segmentation
# limits), recomputed at every port change; its transmit queues (one per
# CPU id) take a qdisc per CPU and leave the port's queue to the port;
# TCP through zec0, and through a VXLAN over zec0, reaches the port as GSO
# super-packets.
#
# The testbed's virtio ports sit behind QEMU hubs, which take no offloads:
# they have none. veths have them all, and can be toggled: the offload
# checks use veth ports (vport*), with and without a virtio port beside.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

# Offloads zec0 offers only where every port has them.
OFFLOADS="tx-checksum-ip-generic tx-scatter-gather tx-tcp-segmentation
tx-tcp6-segmentation tx-udp_tnl-segmentation tx-gre-segmentation"
LIMITS="gso_max_size gso_max_segs tso_max_size tso_max_segs"
COUNT=200
STRAY=3
# An Ethernet frame at MTU 1500: the most a port is handed per packet
# without segmentation offload.
FRAME=1514

# feature DEV NAME: "on" or "off", as ethtool -k shows NAME of DEV.
feature()
{
	ethtool -k "$1" | awk -v k="$2:" '$1 == k { print $2 }'
}

# expect_meet PORT...: each of OFFLOADS is on on zec0 exactly when it is on
# on every PORT; the first that is not, in the message.
expect_meet()
{
	local f port want

	for f in $OFFLOADS; do
		want=on
		for port; do
			[ "$(feature "$port" "$f")" = on ] || want=off
		done
		if [ "$(feature zec0 "$f")" != "$want" ]; then
			echo "$f: zec0 $(feature zec0 "$f"), ports $*: $(for port; do feature "$port" "$f"; done | paste -sd' ')"
			return 1
		fi
	done
}

# link_field DEV FIELD: a field of "ip -d -j link show DEV".
link_field()
{
	ip -d -j link show dev "$1" | jq -r ".[0].$2"
}

# expect_limits PORT...: each of LIMITS of zec0 is the smallest of PORTs'.
expect_limits()
{
	local l port min v

	for l in $LIMITS; do
		min=
		for port; do
			v=$(link_field "$port" "$l")
			[ -z "$min" ] || [ "$v" -lt "$min" ] && min=$v
		done
		if [ "$(link_field zec0 "$l")" != "$min" ]; then
			echo "$l: zec0 $(link_field zec0 "$l"), smallest of $* $min"
			return 1
		fi
	done
}

# veth_ports N [QUEUES]: vport0..vport<N-1>, veths whose peers stay in
# this namespace, each end with QUEUES transmit and receive queues (1).
veth_ports()
{
	local i q=(numtxqueues "${2:-1}" numrxqueues "${2:-1}")

	for ((i = 0; i < $1; i++)); do
		ip link add "vport$i" "${q[@]}" type veth peer name "vpeer$i" "${q[@]}" ||
			return 1
		defer ip link del "vport$i"
	done
}

# cpu_ids: how many CPU ids the kernel has (nr_cpu_ids): the last
# possible CPU's id + 1, holes included.
cpu_ids()
{
	local last

	last=$(tr , '\n' < /sys/devices/system/cpu/possible | tail -n 1)
	echo $((${last#*-} + 1))
}

test_features()
{
	local msg

	ip link add zec0 type zec
	defer ip link del zec0
	# Before any port: the VLAN device takes zec0's vlan_features.
	ip link add link zec0 name zec0.10 type vlan id 10
	check_err $? "cannot add a VLAN on zec0"
	[ "$(feature zec0.10 tx-tcp-segmentation)" = on ]
	check_err $? "a VLAN on zec0 without ports has TSO $(feature zec0.10 tx-tcp-segmentation)"
	ip link del zec0.10
	log_test "a VLAN on a zec0 without ports has TSO"

	veth_ports 2 || { check_err 1 "cannot make veths"; log_test "features"; return; }
	ip link set vport0 master zec0
	ip link set vport1 master zec0

	msg=$(expect_meet vport0 vport1)
	check_err $? "$msg"
	[ "$(feature zec0 tx-tcp-segmentation)" = on ] && [ "$(feature zec0 tx-udp_tnl-segmentation)" = on ]
	check_err $? "zec0 over two veths without TSO ($(feature zec0 tx-tcp-segmentation)) or UDP tunnel GSO ($(feature zec0 tx-udp_tnl-segmentation))"
	ip link set n0p0 master zec0
	msg=$(expect_meet vport0 vport1 n0p0)
	check_err $? "with n0p0: $msg"
	[ "$(feature zec0 tx-tcp-segmentation)" = "$(feature n0p0 tx-tcp-segmentation)" ]
	check_err $? "with n0p0: zec0 TSO $(feature zec0 tx-tcp-segmentation), n0p0's $(feature n0p0 tx-tcp-segmentation)"
	ip link set n0p0 nomaster
	msg=$(expect_meet vport0 vport1)
	check_err $? "n0p0 released: $msg"
	log_test "ethtool -k zec0: the ports' intersection, at every port change"

	ethtool -K vport1 tso off > /dev/null
	[ "$(feature zec0 tx-tcp-segmentation)" = off ]
	check_err $? "zec0 kept TSO that vport1 lost"
	ethtool -K vport1 tso on > /dev/null
	[ "$(feature zec0 tx-tcp-segmentation)" = on ]
	check_err $? "zec0 did not regain TSO"
	ethtool -K vport0 tx-checksum-ip-generic off > /dev/null
	msg=$(expect_meet vport0 vport1)
	check_err $? "vport0 without checksumming: $msg"
	[ "$(feature zec0 tx-checksum-ip-generic)" = off ]
	check_err $? "zec0 kept the checksum offload vport0 lost"
	ethtool -K vport0 tx-checksum-ip-generic on tso on > /dev/null
	msg=$(expect_meet vport0 vport1)
	check_err $? "vport0's back: $msg"
	log_test "an offload turned off on one port goes off on zec0, and back"

	ethtool -K zec0 tso off > /dev/null
	[ "$(feature zec0 tx-tcp-segmentation)" = off ]
	check_err $? "zec0's TSO cannot be turned off"
	ethtool -K zec0 tso on > /dev/null
	[ "$(feature zec0 tx-tcp-segmentation)" = on ]
	check_err $? "zec0's TSO did not come back on"
	ethtool -K vport1 tso off > /dev/null
	# ethtool says it could not change it.
	ethtool -K zec0 tso on > /dev/null 2>&1
	[ "$(feature zec0 tx-tcp-segmentation)" = off ]
	check_err $? "zec0 turned on TSO that vport1 lacks"
	ethtool -K vport1 tso on > /dev/null
	log_test "the user turns zec0's offloads off and on"
}

test_limits()
{
	local msg

	ip link add zec0 type zec
	defer ip link del zec0
	veth_ports 2 || { check_err 1 "cannot make veths"; log_test "limits"; return; }
	ip link set vport1 gso_max_size 30000 gso_max_segs 100
	ip link set vport0 master zec0
	ip link set vport1 master zec0
	ip link set n0p0 master zec0
	msg=$(expect_limits vport0 vport1 n0p0)
	check_err $? "$msg"
	[ "$(link_field zec0 gso_max_size)" = 30000 ] && [ "$(link_field zec0 gso_max_segs)" = 100 ]
	check_err $? "zec0 gso_max_size $(link_field zec0 gso_max_size) segs $(link_field zec0 gso_max_segs), want vport1's 30000 100"
	ip link set vport1 nomaster
	msg=$(expect_limits vport0 n0p0)
	check_err $? "vport1 released: $msg"
	ip link set n0p0 nomaster
	msg=$(expect_limits vport0)
	check_err $? "n0p0 released: $msg"
	log_test "GSO and TSO limits: the ports' smallest, at every port change"
}

test_queues()
{
	local want n

	want=$(cpu_ids)
	ip link add zec0 type zec
	defer ip link del zec0
	ip link set zec0 up
	n=$(link_field zec0 num_tx_queues)
	[ "$n" = "$want" ]
	check_err $? "zec0 has $n transmit queues, want one per CPU id: $want"
	[ "$(link_field zec0 qdisc)" = noqueue ]
	check_err $? "zec0's qdisc is $(link_field zec0 qdisc), want noqueue"
	ip link add zec1 numtxqueues 3 type zec
	defer ip link del zec1
	n=$(link_field zec1 num_tx_queues)
	[ "$n" = 3 ]
	check_err $? "numtxqueues 3: zec1 has $n"
	log_test "a transmit queue per CPU id, or numtxqueues"
}

# cpu_node CPU: the node CPU belongs to.
cpu_node()
{
	local d

	d=$(echo "/sys/devices/system/cpu/cpu$1"/node*)
	echo "${d##*node}"
}

# mq_sent DEV HANDLE QUEUE: packets the qdisc under the class of QUEUE
# (from 0) of DEV's root mq HANDLE: sent.
mq_sent()
{
	tc -s -j qdisc show dev "$1" |
		jq --arg p "$2:$(printf %x $(($3 + 1)))" \
		   '[.[] | select(.parent == $p) | .packets] | add // 0'
}

test_mq()
{
	local cpus cpu queues q pid pids=() n0 n1 rx sent want0=0 want1=0 busy=0

	zec_setup n0p0 n1p0 || { check_err 1 "setup failed"; log_test "mq"; return; }
	tc qdisc replace dev zec0 root handle 100: mq
	check_err $? "tc qdisc replace dev zec0 root mq refused"
	queues=$(link_field zec0 num_tx_queues)
	for ((q = 0; q < queues; q++)); do
		tc qdisc replace dev zec0 parent "100:$(printf %x $((q + 1)))" fq ||
			check_err 1 "fq under 100:$((q + 1)) refused"
	done

	n0=$(zec_stat n0p0.tx_local_packets) n1=$(zec_stat n1p0.tx_local_packets)
	rx=$(switch_rx n0p0 n1p0)
	cpus=$(awk '$1 == "processor" { print $3 }' /proc/cpuinfo)
	for cpu in $cpus; do
		taskset -c "$cpu" /usr/bin/python3 "$UDP" send --dst "$SWITCH_ADDR" \
			--sport $((41000 + cpu)) --count "$COUNT" > /dev/null &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || check_err 1 "a sender failed"
	done

	for cpu in $cpus; do
		sent=$(mq_sent zec0 100 "$cpu")
		[ "$sent" -ge "$COUNT" ] && [ "$sent" -le $((COUNT + STRAY)) ]
		check_err $? "fq of CPU $cpu's queue sent $sent, want $COUNT (+$STRAY)"
		[ "$sent" -gt 0 ] && busy=$((busy + 1))
	done
	[ "$busy" -gt 1 ]
	check_err $? "packets on $busy of zec0's fq qdiscs, want one per CPU"
	for cpu in $cpus; do
		if [ "$(cpu_node "$cpu")" = 0 ]; then
			want0=$((want0 + COUNT))
		else
			want1=$((want1 + COUNT))
		fi
	done
	sent=$(($(zec_stat n0p0.tx_local_packets) - n0))
	[ "$sent" -ge "$want0" ] && [ "$sent" -le $((want0 + STRAY)) ]
	check_err $? "n0p0 sent $sent node-local, want $want0"
	sent=$(($(zec_stat n1p0.tx_local_packets) - n1))
	[ "$sent" -ge "$want1" ] && [ "$sent" -le $((want1 + STRAY)) ]
	check_err $? "n1p0 sent $sent node-local, want $want1"
	[ "$(zec_stat tx_cross_node_packets)" -eq 0 ]
	check_err $? "$(zec_stat tx_cross_node_packets) cross-node packets"
	[ $(($(switch_rx n0p0 n1p0) - rx)) -ge $((want0 + want1)) ]
	check_err $? "the switch got $(($(switch_rx n0p0 n1p0) - rx)), want $((want0 + want1))"
	log_test "mq + fq on zec0: each CPU its own fq, node-local ports"

	tc qdisc del dev zec0 root
	[ "$(link_field zec0 qdisc)" = noqueue ]
	check_err $? "zec0's qdisc is $(link_field zec0 qdisc) after mq went, want noqueue"
	log_test "without mq zec0 is noqueue again"
}

# zec0's queue is its own business: a multi-queue port without XPS spreads
# the flows of one CPU over its queues by their hash, as it would without
# zec0. CPU 0's queue, 0, would not show it: send from the last CPU.
test_port_queues()
{
	local cpu q before=() sent total=0 busy=0 queues=4

	veth_ports 1 "$queues" || { check_err 1 "cannot make a veth"; log_test "port queues"; return; }
	sysctl -qw net.ipv6.conf.vport0.disable_ipv6=1 net.ipv6.conf.vpeer0.disable_ipv6=1
	ip link set vpeer0 up
	zec_setup vport0 || { check_err 1 "setup failed"; log_test "port queues"; return; }
	tc qdisc replace dev vport0 root handle 200: mq
	check_err $? "tc qdisc replace dev vport0 root mq refused"
	busywait 5000 zec_carrier vport0
	for ((q = 0; q < queues; q++)); do
		before[q]=$(mq_sent vport0 200 "$q")
	done
	cpu=$(awk '$1 == "processor" { c = $3 } END { print c }' /proc/cpuinfo)
	[ "$cpu" -gt 0 ]
	check_err $? "only CPU 0 is online"
	taskset -c "$cpu" /usr/bin/python3 "$UDP" send --dst "$SWITCH_ADDR" \
		--flows 16 --count "$COUNT" > /dev/null
	check_err $? "the sender on CPU $cpu failed"
	for ((q = 0; q < queues; q++)); do
		sent=$(($(mq_sent vport0 200 "$q") - before[q]))
		echo "    vport0 queue $q: $sent packets"
		total=$((total + sent))
		[ "$sent" -gt "$STRAY" ] && busy=$((busy + 1))
	done
	[ "$total" -ge "$COUNT" ]
	check_err $? "vport0's queues sent $total, want $COUNT"
	[ "$busy" -gt 1 ]
	check_err $? "16 flows from CPU $cpu on $busy of vport0's $queues queues, want more than one"
	log_test "zec0's queue does not pick the port's: one CPU's flows spread"
}

# The VXLAN over zec0: 198.51.100.1 here, .2 in the namespace behind vport0.
VX_ADDR=198.51.100.1
VX_PEER=198.51.100.2

# tcp_frame_size [DST]: bytes per packet vport0 sent during a 3 s TCP flow
# to DST (the namespace behind vport0, through zec0).
tcp_frame_size()
{
	local p0 b0 p1 b1

	# The sysfs counters: the guest has no /dev/fd for "< <(...)".
	read -r p0 < /sys/class/net/vport0/statistics/tx_packets
	read -r b0 < /sys/class/net/vport0/statistics/tx_bytes
	iperf3 -c "${1:-$SWITCH_ADDR}" -t 3 > /dev/null || return 1
	read -r p1 < /sys/class/net/vport0/statistics/tx_packets
	read -r b1 < /sys/class/net/vport0/statistics/tx_bytes
	[ "$p1" -gt "$p0" ] || return 1
	echo $(((b1 - b0) / (p1 - p0)))
}

# gso_vxlan: in test_gso's setup, TCP through a VXLAN whose underlay is
# zec0 (the other end behind vport0) reaches vport0 as GSO packets while
# zec0 has UDP tunnel segmentation (from its veth port), as segments
# without: the stack segments before zec0 what zec0 does not take. A VXLAN
# checksums its UDP by default (GSO type udp_tnl-csum): both go off.
gso_vxlan()
{
	local size f

	if ! ip link add vx0 type vxlan id 42 local "$ZEC_ADDR" \
		remote "$SWITCH_ADDR" dstport 4789 dev zec0; then
		check_err 1 "cannot make a VXLAN over zec0"
		log_test "VXLAN over zec0"
		return
	fi
	defer ip link del vx0
	if ! ip -n zecgso link add vx0 type vxlan id 42 local "$SWITCH_ADDR" \
		remote "$ZEC_ADDR" dstport 4789 dev vpeer0; then
		check_err 1 "cannot make a VXLAN over vpeer0"
		log_test "VXLAN over zec0"
		return
	fi
	ip addr add "$VX_ADDR/24" dev vx0
	ip link set vx0 up
	ip -n zecgso addr add "$VX_PEER/24" dev vx0
	ip -n zecgso link set vx0 up

	for f in tx-udp_tnl-segmentation tx-udp_tnl-csum-segmentation; do
		[ "$(feature zec0 "$f")" = on ]
		check_err $? "zec0 over a veth has no $f"
	done
	size=$(tcp_frame_size "$VX_PEER")
	check_err $? "TCP flow through the VXLAN failed"
	[ "${size:-0}" -gt $((2 * FRAME)) ]
	check_err $? "vport0 was handed $size bytes per VXLAN packet with zec0's UDP tunnel segmentation on, want > $((2 * FRAME))"
	log_test "TCP through a VXLAN over zec0 reaches the port as GSO packets ($size B each)"

	ethtool -K zec0 tx-udp_tnl-segmentation off \
		tx-udp_tnl-csum-segmentation off > /dev/null
	size=$(tcp_frame_size "$VX_PEER")
	check_err $? "TCP flow through the VXLAN failed"
	[ "${size:-0}" -gt 0 ] && [ "$size" -le "$FRAME" ]
	check_err $? "vport0 was handed $size bytes per VXLAN packet with zec0's UDP tunnel segmentation off, want <= $FRAME"
	ethtool -K zec0 tx-udp_tnl-segmentation on \
		tx-udp_tnl-csum-segmentation on > /dev/null
	log_test "without zec0's UDP tunnel segmentation the port gets segments ($size B each)"
}

# TCP over zec0 with TSO: zec0 passes the super-packets on unsegmented, and
# veth counts one packet per skb it is handed, however many segments it
# carries. Without TSO on zec0 the stack segments before zec0.
test_gso()
{
	local size

	ip netns add zecgso
	defer ip netns del zecgso
	veth_ports 1 || { check_err 1 "cannot make a veth"; log_test "gso"; return; }
	ip link set vpeer0 netns zecgso
	ip -n zecgso addr add "$SWITCH_ADDR/24" dev vpeer0
	ip -n zecgso link set vpeer0 up
	zec_create vport0 || { check_err 1 "setup failed"; log_test "gso"; return; }
	ip addr add "$ZEC_ADDR/24" dev zec0
	ip link set zec0 up
	# Segments per GSO packet grow with the flow's rate; under TCG that is
	# slow, so ask for at least 8.
	sysctl -qw net.ipv4.tcp_min_tso_segs=8
	defer sysctl -qw net.ipv4.tcp_min_tso_segs=2
	if ! iperf3_server zecgso; then
		log_test "TCP through zec0 reaches the port as GSO packets"
		return
	fi

	size=$(tcp_frame_size)
	check_err $? "TCP flow with TSO failed"
	[ "${size:-0}" -gt $((2 * FRAME)) ]
	check_err $? "vport0 was handed $size bytes per packet with TSO on zec0, want > $((2 * FRAME))"
	log_test "TCP through zec0 reaches the port as GSO packets ($size B each)"

	gso_vxlan

	ethtool -K zec0 tso off > /dev/null
	size=$(tcp_frame_size)
	check_err $? "TCP flow without TSO failed"
	[ "${size:-0}" -gt 0 ] && [ "$size" -le "$FRAME" ]
	check_err $? "vport0 was handed $size bytes per packet with zec0's TSO off, want <= $FRAME"
	log_test "with zec0's TSO off the port gets segments ($size B each)"
}

test_features
defer_run
test_limits
defer_run
test_queues
defer_run
test_mq
defer_run
test_port_queues
defer_run
test_gso
exit "$EXIT_STATUS"
