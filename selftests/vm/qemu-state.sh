#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# qemu-state.sh SOCKET CPUS [KEY...]: QEMU's own view of a guest's vCPUs,
# asked over the QMP socket SOCKET: every vCPU's registers and each of the
# CPUS local APICs. A hung guest's log cannot say whether a halted vCPU was
# sent an interrupt that never woke it; the APIC's IRR can. Then SysRq and
# each KEY are pressed on the guest's keyboard (8 l t: the kernel prints
# all to the console, its CPUs' stacks, its tasks').
# qemu-state.sh --summary FILE: one line per vCPU of such a dump: where it
# is, whether it is halted with interrupts on, what its APIC has pending.
set -euo pipefail

if [ "${1:-}" = --summary ]; then
	awk '
		{ sub(/\r$/, "") }
		/^CPU#[0-9]+$/ { cpu = substr($0, 5) + 0; n = cpu > n ? cpu : n; seen[cpu] = 1; cpus++ }
		# "RIP=... RFL=... [...] CPL=0 II=0 A20=1 SMM=0 HLT=1" (EIP,
		# EFL outside long mode).
		/ HLT=[01]/ {
			for (i = 1; i <= NF; i++) {
				k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v)
				if (k == "RIP" || k == "EIP") rip[cpu] = v
				if (k == "RFL" || k == "EFL") efl[cpu] = v
				if (k == "HLT") hlt[cpu] = v
			}
		}
		/^dumping local APIC state for CPU/ { apic = $NF + 0 }
		/^ISR\t/ { sub(/^ISR\t */, ""); sub(/ +$/, ""); isr[apic] = $0 }
		/^IRR\t/ { sub(/^IRR\t */, ""); sub(/ +$/, ""); irr[apic] = $0 }
		NF && first == "" { first = $0 }
		END {
			if (!cpus) {
				print "no vCPU state: " first
				exit
			}
			for (c = 0; c <= n; c++) {
				if (!(c in seen)) continue
				# EFLAGS bit 9, interrupts enabled: bit 1 of
				# the third hex digit from the right.
				d = tolower(substr(efl[c], length(efl[c]) - 2, 1))
				ifl = int((index("0123456789abcdef", d) - 1) / 2) % 2
				printf "cpu %d: RIP %s, %s, IF=%d, IRR %s, ISR %s\n", c,
				       rip[c], hlt[c] == 1 ? "halted" : "running", ifl,
				       c in irr ? irr[c] : "?", c in isr ? isr[c] : "?"
			}
		}' "${2:?usage: qemu-state.sh --summary FILE}"
	exit 0
fi

socket=${1:?usage: qemu-state.sh SOCKET CPUS [KEY...]}
cpus=${2:?usage: qemu-state.sh SOCKET CPUS [KEY...]}
shift 2

hmp()
{
	printf '{"execute":"human-monitor-command","arguments":{"command-line":"%s"}}\n' "$1"
}

sysrq()
{
	printf '{"execute":"send-key","arguments":{"keys":[%s]}}\n' \
		'{"type":"qcode","data":"alt"},{"type":"qcode","data":"sysrq"},{"type":"qcode","data":"'"$1"'"}'
}

{
	echo '{"execute":"qmp_capabilities"}'
	hmp "info registers -a"
	for ((i = 0; i < cpus; i++)); do
		hmp "info lapic $i"
	done
	for key; do
		sysrq "$key"
	done
} | socat -t 5 - "UNIX-CONNECT:$socket" |
	jq -r 'select(.return | type == "string") | .return'
