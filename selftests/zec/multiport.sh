#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=2 timeout=240
#
# Two ports per node: a node's flows spread over both of its ports, each
# flow stays on one port, and the other node's ports see none of them.
#
#   cpus 0-1 ── zec0 ─┬─ n0p0, n0p1 (node 0) ══ sw-n0p0, sw-n0p1 ┐ netns
#                     └─ n1p0, n1p1 (node 1) ══ sw-n1p0, sw-n1p1 ┘ switch

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

FLOWS=32
CAPDIR=/tmp/zec-multiport

# capture PORT: record the UDP source ports the switch sees from PORT.
capture()
{
	in_switch tcpdump -i "sw-$1" -n -l -Q in udp dst port 9 \
		> "$CAPDIR/$1.txt" 2> "$CAPDIR/$1.err" &
	defer reap "$!"
}

# flows_seen PORT: write the source ports seen from PORT, sorted, to
# $CAPDIR/PORT.flows (the guest has no /dev/fd for <(...)).
flows_seen()
{
	sed -n 's/.* 192\.0\.2\.1\.\([0-9]*\) > .*/\1/p' "$CAPDIR/$1.txt" |
		sort -u > "$CAPDIR/$1.flows"
}

test_spread()
{
	local p both seen

	mkdir -p "$CAPDIR"
	zec_setup n0p0 n0p1 n1p0 n1p1
	check_err $? "setup failed"
	for p in n0p0 n0p1 n1p0 n1p1; do
		capture "$p"
	done
	for p in n0p0 n0p1 n1p0 n1p1; do
		busywait 10000 grep -q listening "$CAPDIR/$p.err"
		check_err $? "tcpdump on sw-$p did not start"
	done

	send_from_node 0 $((FLOWS * 10)) --flows "$FLOWS"
	sleep 1
	for p in n0p0 n0p1 n1p0 n1p1; do
		kill -INT "$(pgrep -f "tcpdump -i sw-$p ")" 2>/dev/null
	done
	wait 2>/dev/null

	[ "$(zec_stat n0p0.tx_local_packets)" -gt 0 ] && [ "$(zec_stat n0p1.tx_local_packets)" -gt 0 ]
	check_err $? "node 0 flows not spread: n0p0 $(zec_stat n0p0.tx_local_packets), n0p1 $(zec_stat n0p1.tx_local_packets)"
	[ $(($(zec_stat n0p0.tx_local_packets) + $(zec_stat n0p1.tx_local_packets))) -eq $((FLOWS * 10)) ]
	check_err $? "node 0 ports sent $(($(zec_stat n0p0.tx_local_packets) + $(zec_stat n0p1.tx_local_packets))), want $((FLOWS * 10))"
	[ "$(zec_stat n1p0.tx_local_packets)" -eq 0 ] && [ "$(zec_stat n1p1.tx_local_packets)" -eq 0 ] &&
		[ "$(zec_stat tx_cross_node_packets)" -eq 0 ]
	check_err $? "node 0 traffic reached node 1's ports"
	log_test "flows of node 0 spread over both node 0 ports"

	for p in n0p0 n0p1 n1p0 n1p1; do
		flows_seen "$p"
	done
	both=$(comm -12 "$CAPDIR/n0p0.flows" "$CAPDIR/n0p1.flows" | wc -l)
	[ "$both" -eq 0 ]
	check_err $? "$both flows seen on both n0p0 and n0p1"
	seen=$(cat "$CAPDIR/n0p0.flows" "$CAPDIR/n0p1.flows" | wc -l)
	[ "$seen" -eq "$FLOWS" ]
	check_err $? "switch saw $seen flows, want $FLOWS"
	[ ! -s "$CAPDIR/n1p0.flows" ] && [ ! -s "$CAPDIR/n1p1.flows" ]
	check_err $? "switch saw node 0 flows on node 1 ports"
	log_test "each flow stays on one port (switch-side capture)"
}

test_spread
exit "$EXIT_STATUS"
