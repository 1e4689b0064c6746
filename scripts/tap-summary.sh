#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tap-summary.sh DIR [REQUIRED...]: total the TAP files in DIR (host.tap
# from the host unit tests, optional; vm.tap, vm-rt.tap... from the VM
# selftests on each kernel) and end with the line "N passed, N failed[,
# N skipped]". A REQUIRED file (default: vm.tap) that is missing counts as
# one failure. Failed results, the failed checks (TAP comments ending
# "[FAIL]") and run.sh's digests of a crash, hang or splat are listed. Exits
# non-zero if anything failed or nothing ran.
# Skipped results ("ok N ... # SKIP") are listed by name too, and fail the
# summary unless ZEC_ALLOW_SKIP=1: a test that make test (CI) runs must
# find what it needs there; the flavour suites allow skips.
# Only top-level results count (indented subtests do not); a
# file whose plan promises more results than it has, or that has none at
# all, counts its missing results as failed.
set -euo pipefail

dir=${1:?usage: tap-summary.sh DIR [REQUIRED...]}
shift
[ $# -gt 0 ] || set -- vm.tap
passed=0 failed=0 skipped=0

[ -e "$dir/host.tap" ] || echo "host.tap: missing, counted as no tests"
# The VM selftests are the suite: their TAP missing means run.sh never got
# to write it.
for f in "$@"; do
	if [ ! -e "$dir/$f" ]; then
		echo "$f: missing, counted as one failure"
		failed=$((failed + 1))
	fi
done
for f in "$dir"/*.tap; do
	[ -e "$f" ] || continue
	read -r p fl s < <(awk '
		/^1\.\.[0-9]+/ { sub(/^1\.\./, ""); plan = $1 + 0; planned = 1; next }
		/^ok / && /# *[Ss][Kk][Ii][Pp]/ { s++; n++; next }
		/^ok / { p++; n++; next }
		/^not ok / { f++; n++; next }
		END {
			if (!planned || n < plan) f += planned ? plan - n : 1
			print p + 0, f + 0, s + 0
		}' "$f")
	# What failed or skipped, so that the tail of a log names it.
	grep -E '^not ok |^ok .*# *[Ss][Kk][Ii][Pp]|^# .*\[FAIL\]|^# \[[^]]*\] (kernel|qemu): ' "$f" |
		sed "s|^|${f##*/}: |" || true
	echo "${f##*/}: $p passed, $fl failed, $s skipped"
	passed=$((passed + p)) failed=$((failed + fl)) skipped=$((skipped + s))
done

total=$((passed + failed + skipped))
echo "total: $total"
# Where skips are not allowed they are failures, in the closing line too.
if [ "$skipped" -gt 0 ] && [ "${ZEC_ALLOW_SKIP:-0}" != 1 ]; then
	echo "tap-summary: $skipped skipped, counted as failed (ZEC_ALLOW_SKIP=1 allows skips)"
	failed=$((failed + skipped)) skipped=0
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$total" -gt 0 ] || { echo "tap-summary: nothing ran" >&2; exit 1; }
[ "$failed" -eq 0 ]
