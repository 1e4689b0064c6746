#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kmemleak-scan.sh REPORT: judge the kmemleak report a debug kernel's guest
# saved at the end of its run (guest.sh). Fails (exit 1), printing them, if
# any leaked object was allocated from zec: a backtrace frame in zec.ko, or
# an address that no longer resolves, which in the debug kernel (everything
# else built in) can only be zec.ko's after an rmmod. Leaks elsewhere are
# counted, not failed: the stock kernel has its own (see
# Documentation/testing.md).
set -euo pipefail

report=${1:?usage: kmemleak-scan.sh REPORT}

awk '
	function judge() {
		if (rec == "")
			return
		if (ours) {
			zec++
			printf "%s", rec
		} else {
			other++
		}
		rec = ""
		ours = 0
	}
	# guest.sh could not scan: kmemleak disabled itself.
	/^kmemleak: no scan/ { print; broken = 1 }
	/^unreferenced object/ { judge() }
	{ rec = rec $0 "\n" }
	# Backtrace frames: "[<addr>] symbol+off/size [module]".
	/^ +\[<[0-9a-f]+>\] / && (/ \[zec\]$/ || / 0x[0-9a-f]+$/) { ours = 1 }
	END {
		judge()
		printf "kmemleak-scan: %d leak(s) from zec, %d elsewhere\n", zec, other
		exit zec > 0 || broken
	}' "$report"
