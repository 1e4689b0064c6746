#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "pktgen-percpu": transmit cost with a pktgen thread on every CPU of
# both nodes at once, each sending 60-byte UDP frames with dev_queue_xmit
# over FLOWS source ports of its own (pktgen_device in common.sh):
#
#   ports     the baseline: each thread into its own node's port, so both
#             ports carry their node's load, as zec would send it, with no
#             layer above them. One port alone would be no baseline for
#             devices over two.
#   zec       every thread into zec0 (each node's frames leave through its
#             node's port)
#   bond-xor  every thread into bond0 balance-xor layer3+4: flows spread by
#             hash, about half of them cross to the other node's port
#   team-lb   every thread into team0 loadbalance (l3+l4), if teamd is there
#   bond-numa every thread into a bond made NUMA-aware by hand (a tc BPF
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

FLOWS=64

# shellcheck disable=SC2207 # variant names are single words
variants=(ports zec bond-xor bond-numa $(team_variant))
modprobe pktgen
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" "${variants[@]}"); do
		dut_setup "$variant"
		pktgen_reset
		threads=0
		for ((node = 0; node < ZEC_NODES; node++)); do
			for cpu in $(node_cpu_list "$node"); do
				sport=$((10000 + cpu * FLOWS))
				pktgen_device "$cpu" "$(node_dev "$node")" 0 \
					"$sport" $((sport + FLOWS - 1)) > /dev/null
				threads=$((threads + 1))
			done
		done
		# "start" returns only when the threads stop.
		pg pgctrl start &
		pktgen=$!
		defer reap "$pktgen"
		sleep "$BENCH_WARMUP"
		tx_window "$BENCH_WINDOW" "pktgen-percpu.$variant.$rep"
		pg pgctrl stop
		wait "$pktgen" || true
		pktgen_reset
		bench_result pktgen-percpu "$variant" "$rep" "${WINDOW[@]}" \
			"threads=$threads"
		dut_teardown
	done
done
