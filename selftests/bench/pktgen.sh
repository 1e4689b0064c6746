#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "pktgen": what a stacked device costs on transmit. One pktgen thread
# on CPU 1 (node 0) sends PKTGEN_COUNT 60-byte UDP frames with
# dev_queue_xmit (xmit_mode queue_xmit), so every variant goes through the
# port's qdisc as a socket's packets would. The figure is the instructions
# the guest executed per frame (all vCPUs, from just before pktgen starts to
# just after it ends; see insn_start in common.sh), beside pktgen's own pps;
# the ports' tx counters say where the frames went.
#
# Over dummy ports (@dummy, see dut_setup), whose transmit does not depend
# on a device's pace, the instructions per frame repeat to within 0.2 %:
#   port@dummy        dummy0 itself, the baseline
#   port-control@dummy  the same again: the method's own control
#   zec@dummy         zec0 over dummy0 and dummy1
#   zec-cap@dummy     with a cap that is never reached
#   zec-probe@dummy   with a probe configured
#   zec-indep@dummy   in independent mode
#   bond-xor@dummy, bond-numa@dummy, team-lb@dummy: the peers
# Over the testbed's virtio ports, whose pace varies with the host's (how
# many frames a qdisc run or an interrupt handles, whether the qdisc is
# bypassed, how many fresh pages are zeroed), by about 10 %:
#   port      n0p0 itself
#   port-control  the same again
#   port1     n1p0 itself: the single flow of bond-xor and team-lb hashes to
#             n1p0
#   zec       zec0 over n0p0 + n1p0 (leaves through n0p0, CPU 1's node)
#   bond-xor  bond0 balance-xor layer3+4 over the same ports
#   team-lb   team0 loadbalance (l3+l4) over them, if teamd is installed
# (pktgen_device in common.sh has the frames' settings.)
#
# Only the instructions per frame count, so the variants need not send
# alike: team sends PKTGEN_TEAM_COUNT frames, as teamd keeps a vCPU busy and
# it runs at about 250 frames/s under one TCG thread (200 s for 50 000).
# Its window's fixed cost (the insn-mark reads, pktgen's start and end:
# about a million instructions off the sending CPU in a dummy run) is then
# about 200 of its over a million instructions per frame, and teamd's loop,
# most of those and what varies between repetitions, scales with the
# window's length, not with the frames in it. The dummy variants, which repeat to
# 0.2 %, run in the first BENCH_DUMMY_REPS repetitions only.
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

: "${PKTGEN_COUNT:=50000}"
: "${PKTGEN_TEAM_COUNT:=5000}"
: "${BENCH_DUMMY_REPS:=3}"
PKTGEN_CPU=1
tmp=/tmp/bench-pktgen-result

# pktgen_run DEV COUNT NAME: send COUNT frames from DEV; prints the result
# fields "pps=N usec=N errors=N" and sets INSN_FIELDS, the instructions of
# the run alone (the setup of pktgen is left out), profiled as NAME.
pktgen_run()
{
	local name

	pktgen_reset
	name=$(pktgen_device "$PKTGEN_CPU" "$1" "$2" 9 9) || return 1
	insn_start || return 1
	pg pgctrl start
	insn_stop "$3" || return 1
	# Result: OK: 1234567(c1234000+d567) usec, 200000 (60byte,0frags)
	#   162013pps 77Mb/sec (77766240bps) errors: 0
	awk '/^Result: OK:/ { usec = $3 + 0 }
	     /pps/ { pps = $1 + 0; errors = $NF + 0 }
	     END { if (!pps) exit 1; printf "pps=%d usec=%d errors=%d\n", pps, usec, errors }' \
		"$PG/$name" || return 1
	pktgen_reset
}

team=$(team_variant)
# shellcheck disable=SC2206 # variant names are single words
variants=(${BENCH_VARIANTS:-port@dummy port-control@dummy zec@dummy zec-cap@dummy
	zec-probe@dummy zec-indep@dummy bond-xor@dummy bond-numa@dummy
	${team:+$team@dummy} port port-control port1 zec bond-xor $team})

modprobe pktgen
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" "${variants[@]}"); do
		[[ $variant != *@dummy ]] || [ "$rep" -lt "$BENCH_DUMMY_REPS" ] ||
			continue
		count=$PKTGEN_COUNT
		[[ $variant != team-* ]] || count=$PKTGEN_TEAM_COUNT
		dut_setup "$variant"
		tx0=$(tx_packets "${PORTS[0]}") tx1=$(tx_packets "${PORTS[1]}")
		pktgen_run "$DUT" "$count" "pktgen.$variant.$rep" > "$tmp" || exit 1
		# shellcheck disable=SC2046,SC2086 # fields are KEY=NUMBER words
		bench_result pktgen "$variant" "$rep" $(< "$tmp") $INSN_FIELDS \
			"count=$count" \
			"tx_p0=$(($(tx_packets "${PORTS[0]}") - tx0))" \
			"tx_p1=$(($(tx_packets "${PORTS[1]}") - tx1))"
		dut_teardown
	done
done
