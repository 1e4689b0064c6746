#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# splat-scan.sh LOG...: fail (exit 1) and print the context of every kernel
# splat in the given guest kernel logs. A test can pass while the kernel
# warned underneath it; run.sh counts that as a failure of the run.
# splat-scan.sh --digest LOG: the first splat in a dozen lines (its line,
# the test it hit, two RIPs, the innermost reliable calls), or the log's
# last lines if it has none: for a summary that must stay short.
set -euo pipefail

splats='WARNING:|BUG:|Oops|KASAN|UBSAN|kernel BUG|Kernel panic'
splats+='|possible recursive locking|possible circular locking'
splats+='|inconsistent lock state|suspicious RCU usage'
splats+='|RCU stall|self-detected stall|rcu: INFO:'
splats+='|general protection|Call Trace:|blocked for more than'
splats+='|soft lockup|hard LOCKUP|unreferenced object'
splats+='|list_(add|del) corruption|refcount_t:'
splats+='|unregister_netdevice: waiting for'

# Reports of the kernel under test that a control run without zec shows
# too (Documentation/testing.md, "Known kernel reports"), by the chain of
# locks lockdep names: netconsole's netpoll over virtio-net, logging from a
# hard IRQ. Such a report is left out of the scan, which says it saw it.
known_chains=('console_owner --> target_list_lock --> _xmit_ETHER')

# without_known LOG: LOG without the known reports, each replaced by one
# line. A lockdep report runs from its banner to the end of its stack
# backtrace.
without_known()
{
	local chains

	chains=$(printf '%s\n' "${known_chains[@]}")
	awk -v chains="$chains" -v splats="$splats" '
		# A known report has two lines the scan would match: its banner
		# and its "Call Trace:". More were printed into it by another
		# CPU: then the block stays.
		function flush(known,   i) {
			if (known && hits <= 2)
				print "splat-scan: known report left out (" known \
					"); lockdep is off after it"
			else
				for (i = 1; i <= n; i++) print buf[i]
			n = 0; inside = 0; traced = 0; hits = 0; found = ""
		}
		BEGIN { k = split(chains, chain, "\n") }
		{ line = $0; sub(/\r$/, "", line) }
		!inside && line ~ /WARNING: possible irq lock inversion dependency detected/ {
			inside = 1
			if (have_prev) { buf[++n] = prev; have_prev = 0 }
		}
		inside {
			buf[++n] = $0
			if (line ~ splats) hits++
			if (chain_next) {
				for (i = 1; i <= k; i++)
					if (chain[i] != "" && index(line, chain[i]))
						found = chain[i]
				chain_next = 0
			}
			if (line ~ /Chain exists of:/) chain_next = 1
			if (line ~ /stack backtrace:/) traced = 1
			if (traced && line ~ /<\/TASK>/) flush(found)
			next
		}
		{ if (have_prev) print prev; prev = $0; have_prev = 1 }
		END { if (have_prev) print prev; if (inside) flush("") }
	' "$1"
}

# The test a line of the log belongs to: guest.sh marks each start.
# The serial console ends its lines with CR.
# shellcheck disable=SC2016 # an awk program
track_test='{ sub(/\r$/, "") }
	/zec-vm: test / { test = $0; sub(/.*zec-vm: test /, "", test) }'

scratch=$(mktemp)
trap 'rm -f "$scratch"' EXIT

if [ "${1:-}" = --digest ]; then
	[ -r "${2:-}" ] || { echo "no kernel log (${2:-})"; exit 0; }
	log=$scratch
	without_known "$2" > "$log"
	if grep -q -E "$splats" "$log"; then
		# The calls after the first RIP are those of the CPU the RIP
		# is on; those before it may be the reporter's own (a stall
		# detector, SysRq). Without a RIP, the first calls.
		awk -v splats="$splats" "$track_test"'
			!found && $0 ~ splats {
				found = 1
				print (test ? "in " test ": " : "") $0
				next
			}
			!found { next }
			/RIP: / && rips < 2 { rips++; print; next }
			/\]  [A-Za-z_][A-Za-z_0-9.]*\+0x/ {
				if (rips && after < 8) after_rip[++after] = $0
				else if (!rips && before < 8) before_rip[++before] = $0
			}
			END {
				for (i = 1; i <= after; i++) print after_rip[i]
				if (!after)
					for (i = 1; i <= before; i++) print before_rip[i]
			}
		' "$log" | cut -c 1-150
	else
		echo "no splat; the log ends:"
		tail -n 3 "$log" | tr -d '\r' | cut -c 1-150
	fi
	exit 0
fi

status=0
for name in "$@"; do
	log=$scratch
	without_known "$name" > "$log"
	grep -F 'splat-scan: known report left out' "$log" || true
	grep -q -E "$splats" "$log" || continue
	status=1
	awk -v splats="$splats" -v name="$name" "$track_test"'
		$0 ~ splats { print "splat-scan: kernel splat in " name \
			(test ? ", first during test " test : "") ":"; exit }' "$log"
	grep -E -B 3 -A 30 "$splats" "$log" | head -n 200
done
exit "$status"
