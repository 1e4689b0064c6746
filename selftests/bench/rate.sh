#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "rate": egress rate caps of zec0's port n0p0, one pktgen thread on
# CPU 1 (node 0) sending into zec0.
#
#   capPCT    paced at ~5000 frames/s (over 3x the largest cap), a police
#             cap of PCT% of a nominal 1 Mbit/s link: bit/s on the wire
#             the switch side received (its bytes + 24 per frame for FCS,
#             preamble and gap) over WINDOW_S, against the cap
#
# What a cap costs per packet when it is not reached is measured in
# instructions by the pktgen case (zec-cap@dummy). The caps are absolute: the testbed's links report 10 Gbit/s, which TCG
# cannot offer twice over. Pacing keeps pktgen from starving the port's
# transmit completions on CPU 1, which unpaced made the port, not the cap,
# the limit.
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

NOMINAL_BPS=1000000
WINDOW_S=5
WIRE_EXTRA=24
PACED_DELAY_NS=200000

# pktgen_start DELAY_NS: CPU 1's thread sends into zec0 until stopped.
pktgen_start()
{
	local name

	pktgen_reset
	name=$(pktgen_device 1 zec0 0 9 9)
	pg "$name" "delay $1"
	# "start" returns only when the threads stop.
	pg pgctrl start &
	PKTGEN=$!
	defer reap "$PKTGEN"
	sleep "$BENCH_WARMUP"
}

pktgen_stop()
{
	pg pgctrl stop
	wait "$PKTGEN" || true
	pktgen_reset
}

modprobe pktgen
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" cap50 cap90 cap100); do
		dut_setup zec
		cap=$((NOMINAL_BPS * ${variant#cap} / 100))
		"$ZECCTL" rate set zec0 port n0p0 "${cap}bit" burst 2k
		# dut_setup leaves the peer filtering frames to SWITCH_MAC.
		ip -n switch link set dev sw-n0p0 promisc on
		defer ip -n switch link set dev sw-n0p0 promisc off
		pktgen_start "$PACED_DELAY_NS"
		rx=$(switch_rx_window n0p0 "$WINDOW_S")
		pktgen_stop
		bps=$(jq --argjson extra "$WIRE_EXTRA" \
			'(.bytes + .packets * $extra) * 8 / .seconds | floor' <<<"$rx")
		bench_result rate "$variant" "$rep" "bps=$bps" \
			"cap_bps=$cap" "drops=$(zec_stat n0p0.tx_drop_rate)"
		dut_teardown
	done
done
