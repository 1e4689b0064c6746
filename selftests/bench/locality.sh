#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "locality": the share of packets that leave through the port on the
# sender's own NUMA node. A UDP sender pinned to node 0, then one pinned to
# node 1, each send COUNT datagrams over FLOWS flows (source ports); the
# ports' own tx counters say where they went.
#
#   zec       zec0: every packet local (expected share 1.0)
#   bond-xor  bond0 balance-xor layer3+4: a flow's port follows its hash,
#             not its node (about 0.5 with many flows)
#   team-lb   team0 loadbalance (l3+l4), if teamd is there: the same by
#             its own hash
#   bond-numa a bond made NUMA-aware by hand (common.sh): expected 1.0
#
# Each repetition uses another block of FLOWS source ports, so the bond's
# share is sampled over different flow sets rather than repeated.
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

: "${LOCALITY_COUNT:=320}"
FLOWS=32

# shellcheck disable=SC2207 # variant names are single words
variants=(zec bond-xor bond-numa $(team_variant))
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" "${variants[@]}"); do
		dut_setup "$variant"
		fields=()
		local_sum=0 total_sum=0
		for node in 0 1; do
			tx0=$(tx_packets n0p0) tx1=$(tx_packets n1p0)
			send_from_node "$node" "$LOCALITY_COUNT" --flows "$FLOWS" \
				--sport $((40000 + rep * FLOWS))
			d0=$(($(tx_packets n0p0) - tx0)) d1=$(($(tx_packets n1p0) - tx1))
			if [ "$node" -eq 0 ]; then here_tx=$d0; else here_tx=$d1; fi
			local_sum=$((local_sum + here_tx))
			total_sum=$((total_sum + d0 + d1))
			fields+=("node${node}_n0p0=$d0" "node${node}_n1p0=$d1")
		done
		bench_result locality "$variant" "$rep" "local=$local_sum" \
			"total=$total_sum" "sent=$((2 * LOCALITY_COUNT))" "${fields[@]}"
		dut_teardown
	done
done
