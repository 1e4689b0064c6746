#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
#
# Carrier loss and NIC loss under steady traffic from node 1: its packets
# move to node 0's port at once, none is sent into the dead port, they come
# back when the cable does, and end to end nothing is lost but what died in
# the dead link before the guest saw its carrier go, and at most one more
# (counted with tc filters on both ends of each link). The port
# that takes over announces zec0's addresses (gratuitous ARP, unsolicited
# NA).
#
#   cpus 2-3 ── zec0 ─┬─ n0p0 ══ sw-n0p0 ─┐
#                     └─ n1p0 ══ sw-n1p0 ─┴─ br0 192.0.2.254 (netns switch)
#                                            udp.py recv

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

RATE_US=2000		# one datagram every 2 ms
COUNT=30000		# at most 60 s: the test stops the sender when done
RESULT=/tmp/zec-failover-recv.json
SENT=/tmp/zec-failover-sent.json
ANNOUNCE=/tmp/zec-failover-announce.txt
ZEC_ADDR6=2001:db8::1

start_receiver()
{
	in_switch /usr/bin/python3 "$UDP" recv --duration $((60 * ZEC_TIME_SCALE)) \
		> "$RESULT" &
	RECEIVER=$!
	defer reap "$RECEIVER"
	# The receiver's socket is bound once the port shows up.
	busywait 10000 in_switch sh -c 'grep -q ":0009 " /proc/net/udp'
}

start_sender()
{
	taskset -c "$(node_cpus 1)" /usr/bin/python3 "$UDP" send --dst "$SWITCH_ADDR" \
		--count "$COUNT" --interval-us "$RATE_US" --done > "$SENT" &
	SENDER=$!
	defer reap "$SENDER"
}

# watch_announcements: capture what zec0 announces on n0p0, the port that
# takes node 1's traffic over when n1p0 fails.
watch_announcements()
{
	in_switch tcpdump -i sw-n0p0 -n -l 'arp or icmp6' > "$ANNOUNCE" 2> "$ANNOUNCE.err" &
	defer reap "$!"
	busywait 10000 grep -q listening "$ANNOUNCE.err"
}

announced()
{
	grep -q "who-has $ZEC_ADDR tell $ZEC_ADDR" "$ANNOUNCE" &&
		grep -q "neighbor advertisement, tgt is $ZEC_ADDR6" "$ANNOUNCE"
}

own_frames_dropped()
{
	ip -s -j link show dev zec0 | jq -e '.[0].stats64.rx.dropped > 0' > /dev/null
}

stop_sender()
{
	kill -TERM "$SENDER"
	wait "$SENDER"
}

packets_grow()
{
	local name=$1 before=$2

	[ "$(zec_stat "$name")" -gt "$before" ]
}

# udp_count_start NETNS DEV DIR: count the test's datagrams (UDP to the
# receiver's port 9) that pass DEV, in NETNS ("" for this one), in
# direction DIR (ingress or egress), with a tc filter that only counts.
# Frames zec0 sends on its own (gratuitous ARP, NA) are not counted.
udp_count_start()
{
	local tc=(tc)

	[ -z "$1" ] || tc+=(-n "$1")
	"${tc[@]}" qdisc add dev "$2" clsact || return 1
	defer "${tc[@]}" qdisc del dev "$2" clsact
	"${tc[@]}" filter add dev "$2" "$3" protocol ip u32 \
		match ip protocol 17 0xff match ip dport 9 0xffff action pass
}

# udp_counted NETNS DEV DIR: what udp_count_start's filter counted.
udp_counted()
{
	local tc=(tc) value

	[ -z "$1" ] || tc+=(-n "$1")
	value=$("${tc[@]}" -s -j filter show dev "$2" "$3" |
		jq '[.[] | .options.actions[0].stats.packets // empty] | add // empty')
	if [ -z "$value" ]; then
		zec_counter_missing "udp datagrams ($3)" "$2"
		return 1
	fi
	echo "$value"
}

# rcvbuf_errors: datagrams the switch namespace dropped for a full socket
# buffer (the receiver's).
rcvbuf_errors()
{
	in_switch awk '$1 == "Udp:" && !col {
			for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") col = i
			next }
		$1 == "Udp:" { print $col }' /proc/net/snmp
}

received()
{
	wait "$RECEIVER"
	jq -r ".$1" "$RESULT"
}

test_cable_pull()
{
	local dead_port_sent before_cross lost handed arrived in_link port

	zec_setup n0p0 n1p0 && switch_bridge zec0
	check_err $? "setup failed"
	sysctl -qw net.ipv6.conf.zec0.disable_ipv6=0
	ip addr add "$ZEC_ADDR6/64" dev zec0 nodad
	for port in n0p0 n1p0; do
		udp_count_start "" "$port" egress &&
			udp_count_start switch "sw-$port" ingress
		check_err $? "cannot count datagrams on $port and sw-$port"
	done
	start_receiver
	start_sender

	busywait 10000 packets_grow n1p0.tx_local_packets 100
	check_err $? "node 1 traffic does not leave through n1p0"

	[ "$(zec_stat failovers)" -eq 0 ]
	check_err $? "ports joining counted as $(zec_stat failovers) failovers"
	watch_announcements
	zec_cable n1p0 off
	busywait 2000 not zec_carrier n1p0
	check_err $? "carrier of n1p0 did not drop"
	# From here on, nothing may be handed to n1p0.
	dead_port_sent=$(zec_stat n1p0.tx_local_packets)
	before_cross=$(zec_stat n0p0.tx_cross_node_packets)
	busywait 5000 packets_grow n0p0.tx_cross_node_packets $((before_cross + 200))
	check_err $? "node 1 traffic did not move to n0p0"
	[ "$(zec_stat n1p0.tx_local_packets)" -eq "$dead_port_sent" ]
	check_err $? "$(($(zec_stat n1p0.tx_local_packets) - dead_port_sent)) packets sent into n1p0 after its carrier dropped"
	[ "$(zec_stat failovers)" -eq 1 ]
	check_err $? "failovers = $(zec_stat failovers) after one cable pull"
	log_test "cable pull: node 1 moves to n0p0, nothing into the dead port"
	busywait 3000 announced
	check_err $? "no gratuitous ARP and unsolicited NA on n0p0: $(tr '\n' '|' < "$ANNOUNCE")"
	log_test "n0p0 announces zec0's IPv4 and IPv6 addresses on takeover"

	zec_cable n1p0 on
	busywait 3000 zec_carrier n1p0
	check_err $? "carrier of n1p0 did not come back"
	busywait 5000 packets_grow n1p0.tx_local_packets $((dead_port_sent + 100))
	check_err $? "node 1 traffic did not return to n1p0"
	log_test "cable restore: node 1 returns to n1p0"

	# n1p0 announces zec0 again and the switch floods that to n0p0: zec0
	# drops its own frames rather than take them for another host's.
	busywait 3000 own_frames_dropped
	check_err $? "zec0 dropped no reflected frame of its own"
	dmesg | grep -q "advertised our address"
	check_fail $? "zec0 took its own reflected NA: $(dmesg | grep 'advertised our address' | head -1)"
	log_test "reflected frames of zec0's own are dropped"

	stop_sender
	lost=$(received missing)
	sent=$(jq -r .sent "$SENT")
	# Datagrams zec0 handed to a port that the switch never received:
	# those QEMU drops at the hub between the pull and the guest seeing
	# the carrier go, the time the carrier takes to reach zec0
	# (testing.md: 20-120 ms idle, more on a busy host; each 2 ms of it
	# costs a datagram). The testbed's carrier path, not zec0's.
	handed=$(($(udp_counted "" n0p0 egress) + $(udp_counted "" n1p0 egress)))
	arrived=$(($(udp_counted switch sw-n0p0 ingress) + $(udp_counted switch sw-n1p0 ingress)))
	in_link=$((handed - arrived))
	echo "sent $sent, zec0 handed its ports $handed, the switch got $arrived" \
		"($in_link died in the link), received $(jq -r .received "$RESULT")" \
		"($(rcvbuf_errors) dropped at a full socket), $lost missing" \
		"(runs [first, count]: $(jq -c .gaps "$RESULT"))"
	# benchmarks.md's goal: lose no more than was already on its way
	# through the dead port when zec0 learnt of it, the frames that died
	# in the link. Anywhere else, in zec0 or after the switch, at most
	# one is lost.
	[ "$(jq -r .max_seq "$RESULT")" -eq $((sent - 1)) ] && [ $((lost - in_link)) -le 1 ]
	check_err $? "end to end: $lost lost, $in_link of them in the link; sent $(cat "$SENT"), received $(jq -c 'del(.gaps)' "$RESULT")"
	log_test "end to end: nothing lost but in the dead link (at most 1 more)"
}

# With an up delay, a port whose cable returns carries traffic again only
# once the delay has passed, so that a flapping cable cannot drag its
# node's flows back and forth.
test_up_delay()
{
	local delay_ms=2000 pulled_sent up_at back_at

	zec_setup n0p0 n1p0
	"$ZECCTL" dev set zec0 updelay "$delay_ms"
	check_err $? "zecctl dev set zec0 updelay $delay_ms failed"
	start_sender
	busywait 10000 packets_grow n1p0.tx_local_packets 100
	check_err $? "node 1 traffic does not leave through n1p0"

	zec_cable n1p0 off
	busywait 2000 not zec_carrier n1p0
	pulled_sent=$(zec_stat n1p0.tx_local_packets)
	zec_cable n1p0 on
	busywait 3000 zec_carrier n1p0
	check_err $? "carrier of n1p0 did not come back"
	up_at=$(zec_ms)
	busywait 10000 packets_grow n1p0.tx_local_packets "$pulled_sent"
	check_err $? "node 1 traffic never returned to n1p0"
	back_at=$(zec_ms)
	echo "traffic returned $((back_at - up_at)) ms after carrier (up delay $delay_ms ms)"
	[ $((back_at - up_at)) -ge "$delay_ms" ]
	check_err $? "traffic returned after $((back_at - up_at)) ms, before the $delay_ms ms up delay"
	log_test "failback waits for the up delay"
	stop_sender
}

test_nic_removal()
{
	local before

	zec_setup n0p0 n1p0
	check_err $? "setup failed"
	send_from_node 1 "$COUNT" --interval-us "$RATE_US" &
	SENDER=$!
	defer reap "$SENDER"
	busywait 10000 packets_grow n1p0.tx_local_packets 100
	check_err $? "node 1 traffic does not leave through n1p0"

	before=$(zec_stat n0p0.tx_cross_node_packets)
	zec_nic_remove n1p0
	busywait 5000 not test -e /sys/class/net/n1p0
	check_err $? "n1p0 still exists after PCI remove"
	[ "$(zec_port_list)" = n0p0 ]
	check_err $? "ports of zec0 are now: $(zec_port_list | tr '\n' ' ')"
	busywait 5000 packets_grow n0p0.tx_cross_node_packets $((before + 100))
	check_err $? "node 1 traffic did not continue on n0p0"
	[ "$(zec_stat tx_drop_no_port)" -eq 0 ]
	check_err $? "$(zec_stat tx_drop_no_port) packets dropped for want of a port"
	log_test "NIC hot-removal: port leaves zec0, traffic continues on n0p0"
	reap "$SENDER"
}

test_cable_pull
defer_run
test_up_delay
defer_run
test_nic_removal
exit "$EXIT_STATUS"
