#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make bench", in the guest (run.sh --bench): run each case in
# selftests/bench/ on the two-node testbed and collect their result lines
# in RESULTS (the only argument), which run.sh copies to the host. A case
# that fails is reported and the others still run. BENCH_CASES and
# BENCH_REPS, passed through run.sh, pick fewer cases or repetitions for a
# quick look. Each case's time, and the total, go to the log (the
# console); each result line there also says how long it took since the
# case's previous one (its variant's setup, run and the teardown before).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
export BENCH_RESULTS=$1 BENCH_REPS ZEC_NODES ZEC_NICS_PER_NODE
: "${BENCH_CASES:=pktgen pktgen-percpu udp-percpu locality failover independent rate probe uplink}"
: > "$BENCH_RESULTS"
[ -z "${BENCH_PROFILES:-}" ] || mkdir -p "$BENCH_PROFILES"

bench_start=$SECONDS
for case in $BENCH_CASES; do
	echo "bench: case $case"
	start=$SECONDS
	bash "$here/$case.sh" < /dev/null
	rc=$?
	echo "bench: case $case took $((SECONDS - start)) s (guest time), exit $rc"
	[ "$rc" -eq 0 ] || echo "{\"case\":\"$case\",\"error\":$rc}" >> "$BENCH_RESULTS"
	# Whatever a failed case left behind must not disturb the next.
	bash -c ". '$here/../lib.sh'; echo stop > /proc/net/pktgen/pgctrl; zec_testbed_reset; ip link del bond0; teamd -k -t team0" > /dev/null 2>&1
done
echo "bench: all cases took $((SECONDS - bench_start)) s (guest time)"
