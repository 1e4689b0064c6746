#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "pktgen": what a stacked device costs on transmit. One pktgen thread
# on CPU 1 (node 0) sends COUNT 60-byte UDP frames with dev_queue_xmit
# (xmit_mode queue_xmit), so every variant goes through the port's qdisc as
# a socket's packets would:
#
#   port      n0p0 itself: the limit for anything stacked on it
#   port1     n1p0 itself: the single flow of bond-xor and team-lb hashes to
#             n1p0, so this tells that port's own speed from their layer's
#   zec       zec0 over n0p0 + n1p0 (leaves through n0p0, CPU 1's node)
#   bond-xor  bond0 balance-xor layer3+4 over the same ports
#   team-lb   team0 loadbalance (l3+l4) over them, if teamd is installed
#
# clone_skb 0: zec0 (like bond0) has no IFF_TX_SKB_SHARING, and a fresh skb
# per packet is what a stacked device sees in real use anyway. The figure is
# pktgen's own pps, timed in the guest; the ports' tx counters say where the
# frames went.
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

: "${PKTGEN_COUNT:=100000}"
PKTGEN_CPU=1
PG=/proc/net/pktgen

# pg FILE CMD: one pktgen command; pktgen says in FILE's "Result:" line
# whether it took it.
pg()
{
	echo "$2" > "$PG/$1"
	if [ "$1" != pgctrl ] && ! grep -q '^Result: OK' "$PG/$1"; then
		echo "pktgen: $1: $2: $(grep '^Result:' "$PG/$1")" >&2
		return 1
	fi
}

# pktgen_run DEV: send PKTGEN_COUNT frames from DEV; prints "PPS USEC".
pktgen_run()
{
	local thread=kpktgend_$PKTGEN_CPU cmd

	echo rem_device_all > "$PG/$thread"
	pg "$thread" "add_device $1"
	for cmd in "count $PKTGEN_COUNT" "clone_skb 0" "pkt_size 60" "delay 0" \
		   "xmit_mode queue_xmit" "src_min $ZEC_ADDR" "src_max $ZEC_ADDR" \
		   "dst $SWITCH_ADDR" "dst_mac $SWITCH_MAC" \
		   "udp_src_min 9" "udp_src_max 9" "udp_dst_min 9" "udp_dst_max 9"; do
		pg "$1" "$cmd"
	done
	pg pgctrl start
	# Result: OK: 1234567(c1234000+d567) usec, 200000 (60byte,0frags)
	#   162013pps 77Mb/sec (77766240bps) errors: 0
	awk '/^Result: OK:/ { usec = $3 + 0 }
	     /pps/ { pps = $1 + 0 }
	     END { if (!pps) exit 1; print pps, usec }' "$PG/$1"
	echo rem_device_all > "$PG/$thread"
}

variants=(port port1 zec bond-xor)
if have_teamd; then
	variants+=(team-lb)
else
	echo "bench: pktgen: no teamd (libteam-utils), no team variant"
fi

modprobe pktgen
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" "${variants[@]}"); do
		dut_setup "$variant"
		tx0=$(tx_packets n0p0) tx1=$(tx_packets n1p0)
		result=$(pktgen_run "$DUT")
		read -r pps usec <<<"$result"
		bench_result pktgen "$variant" "$rep" "pps=$pps" "usec=$usec" \
			"count=$PKTGEN_COUNT" \
			"tx_n0p0=$(($(tx_packets n0p0) - tx0))" \
			"tx_n1p0=$(($(tx_packets n1p0) - tx1))"
		dut_teardown
	done
done
