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
# (pktgen_device in common.sh has the frames' settings.) The figure is
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

# pktgen_run DEV: send PKTGEN_COUNT frames from DEV; prints "PPS USEC".
pktgen_run()
{
	local name

	pktgen_reset
	name=$(pktgen_device "$PKTGEN_CPU" "$1" "$PKTGEN_COUNT" 9 9) || return 1
	pg pgctrl start
	# Result: OK: 1234567(c1234000+d567) usec, 200000 (60byte,0frags)
	#   162013pps 77Mb/sec (77766240bps) errors: 0
	awk '/^Result: OK:/ { usec = $3 + 0 }
	     /pps/ { pps = $1 + 0 }
	     END { if (!pps) exit 1; print pps, usec }' "$PG/$name"
	pktgen_reset
}

# shellcheck disable=SC2207 # variant names are single words
variants=(port port1 zec bond-xor $(team_variant))

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
