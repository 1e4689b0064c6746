#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "failover": a cable pulled under steady traffic. A sender pinned to
# node 1 sends one datagram every INTERVAL_US to a receiver in the switch
# namespace, behind a bridge over both peers (as in selftests/zec/
# failover.sh); n1p0, which carries it, loses carrier (zec_cable n1p0 off).
#
#   zec              zec0: moves node 1's traffic to n0p0 when the carrier
#                    drops (a notifier, no polling)
#   bond-ab-mii100   bond0 active-backup, n1p0 the active port, miimon 100
#                    (bonding's default)
#   bond-ab-mii1     the same polling the carrier every millisecond
#   bond-xor-mii100  bond0 balance-xor layer3+4, miimon 100: the sender's
#                    one flow (source port 40000) hashes to n1p0, and moves
#                    to n0p0 once the bond takes n1p0 out
#   bond-xor-mii1    the same with miimon 1
#   bond-numa        the hand-made NUMA bond (see dut_setup): node 1's
#                    traffic goes to n1p0 by its queue_id until miimon
#                    (100) takes n1p0 out, then to the active port n0p0
#
# The goal for zec: lose no more than what was already queued on the dead
# port. At one datagram every 2 ms that is at most one.
#
# Measured: datagrams lost end to end (the receiver's gaps), and the guest
# time from the pull to the first frame out of n0p0, polled from its sysfs
# counter by this script, pinned to CPU 0 away from the sender. A
# repetition takes about 10 s of guest time per variant.
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

INTERVAL_US=2000
COUNT=5000		# an upper bound: the sender is stopped after the pull
RECV=/tmp/bench-failover-recv.json

# grows PORT BEFORE [BY]: PORT has sent more than BY (default 0) frames
# since its tx counter read BEFORE.
grows()
{
	[ $(($(tx_packets "$1") - $2)) -gt "${3:-0}" ]
}

# first_frame_ms PORT BEFORE T0: spin, without forking, until PORT's tx
# counter passes BEFORE; print the ms since T0 (5000 if it never does).
first_frame_ms()
{
	local port=$1 before=$2 t0=$3 n now

	while true; do
		read -r n < "/sys/class/net/$port/statistics/tx_packets"
		now=$(((${EPOCHREALTIME/./} / 1000) - t0))
		if [ "$n" -gt "$before" ] || [ "$now" -ge 5000 ]; then
			echo "$now"
			return
		fi
	done
}

taskset -pc 0 $$ > /dev/null
in_switch sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" zec bond-ab-mii100 bond-ab-mii1 \
			 bond-xor-mii100 bond-xor-mii1 bond-numa); do
		dut_setup "$variant"
		switch_bridge "$DUT"
		in_switch /usr/bin/python3 "$UDP" recv --duration 60 > "$RECV" &
		receiver=$!
		defer reap "$receiver"
		busywait 10000 in_switch grep -q ":0009 " /proc/net/udp
		taskset -c "$(node_cpus 1)" /usr/bin/python3 "$UDP" send \
			--dst "$SWITCH_ADDR" --count "$COUNT" \
			--interval-us "$INTERVAL_US" --done > /dev/null &
		sender=$!
		defer reap "$sender"
		busywait 10000 grows n1p0 "$(tx_packets n1p0)" 100

		before=$(tx_packets n0p0)
		t0=$(zec_ms)
		zec_cable n1p0 off
		outage=$(first_frame_ms n0p0 "$before" "$t0")
		# Let the traffic run on the other port for a while.
		busywait 10000 grows n0p0 "$before" 500 || true
		kill -TERM "$sender"
		wait "$sender" || true
		wait "$receiver" || true
		read -r lost received <<<"$(jq -r '"\(.missing) \(.received)"' "$RECV")"
		bench_result failover "$variant" "$rep" \
			"lost=$lost" "outage_ms=$outage" \
			"received=$received" \
			"interval_us=$INTERVAL_US"
		# Carrier back while n1p0 is still up under the master: a
		# port that is down has no carrier to wait for.
		zec_cable n1p0 on
		busywait 5000 zec_carrier n1p0
		dut_teardown
	done
done
