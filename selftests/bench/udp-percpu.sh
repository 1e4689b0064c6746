#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "udp-percpu": transmit cost through the whole socket stack. On every
# CPU of both nodes at once, a udpblast sender pinned to that CPU sends
# 64-byte UDP frames over FLOWS connected sockets (source ports) of its
# own, bound (SO_BINDTODEVICE) to its node's device:
#
#   ports     the baseline: each sender bound to its own node's port, both
#             ports addressed alike, no layer above them
#   zec       every sender into zec0
#   bond-xor  every sender into bond0 balance-xor layer3+4
#   team-lb   every sender into team0 loadbalance (l3+l4), if teamd is there
#   bond-numa every sender into a bond made NUMA-aware by hand (a tc BPF
#             classifier picks the port by queue_id, see common.sh)
#
# The figure is the frames both ports sent per second of guest time over
# BENCH_WINDOW seconds, after BENCH_WARMUP seconds of load (tx_window).
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

FLOWS=8
UDPBLAST=$bench_dir/../udpblast
SENT=/tmp/bench-udp-sent

# shellcheck disable=SC2207 # variant names are single words
variants=(ports zec bond-xor bond-numa $(team_variant))
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" "${variants[@]}"); do
		dut_setup "$variant"
		senders=()
		for ((node = 0; node < ZEC_NODES; node++)); do
			for cpu in $(node_cpu_list "$node"); do
				taskset -c "$cpu" "$UDPBLAST" "$(node_dev "$node")" \
					"$SWITCH_ADDR" $((20000 + cpu * FLOWS)) "$FLOWS" \
					$((BENCH_WARMUP + BENCH_WINDOW + 2)) > "$SENT.$cpu" &
				senders+=($!)
				defer reap $!
			done
		done
		sleep "$BENCH_WARMUP"
		tx_window "$BENCH_WINDOW" "udp-percpu.$variant.$rep"
		refused=0
		for pid in "${senders[@]}"; do
			wait "$pid"
		done
		for sent in "$SENT".*; do
			# "sent=N errors=N"
			read -r line < "$sent"
			refused=$((refused + ${line##*errors=}))
		done
		rm -f "$SENT".*
		bench_result udp-percpu "$variant" "$rep" "${WINDOW[@]}" \
			"senders=${#senders[@]}" "refused=$refused"
		dut_teardown
	done
done
