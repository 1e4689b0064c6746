#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "independent": two VMs on a bridge over the device under test, one
# per node, and a fabric of plain switch ports (selftests/vms.sh), the
# layout zec's independent mode is for.
#
#   zec              zec0, independent mode, announcements on (default)
#   zec-noannounce   the same with announce 0
#   bond-ab          bond0 active-backup, n1p0 active, miimon 100
#   team-ab          team0, activebackup runner, if teamd is there
#
# Measured: of FRAMES frames the fabric sends to each VM, how many arrive
# on that VM's node's port (local) of all that arrive (total, counted by
# a tc filter on each port); then, with
# the VMs silent, n1p0's cable pulled and the fabric sending to vm1 every
# 50 ms, the time from the pull until a frame reaches vm1 (outage_ms,
# LIMIT_MS if none does: the fabric still has vm1 behind the dead port).
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/vms.sh
. "$bench_dir/../vms.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

FRAMES=100
# Five times what zec takes (under 1 s): beyond it, "not reached".
LIMIT_MS=5000
# Its shares are counts, the same in every repetition, and the outages
# either zec's (a few hundred ms apart) or the limit: three repetitions
# decide them, and the others' waits for the limit are most of the case.
: "${BENCH_INDEPENDENT_REPS:=3}"
OUT=/tmp/bench-independent-recv

# count_start: count the frames of macs.py's Ethertype each port receives
# (a tc filter, which sees them before any master does).
count_start()
{
	local port add=() del=()

	for port in "${PORTS[@]}"; do
		add+=("qdisc add dev $port clsact"
		      "filter add dev $port ingress protocol 0x88b5 matchall action pass")
		del+=("qdisc del dev $port clsact")
	done
	defer batch tc -force "${del[@]}"
	batch tc "${add[@]}"
}

# counted: what each port's filter counted so far, "N0 N1" (PORTS' order),
# one tc and one jq for both.
counted()
{
	local port cmds=()

	for port in "${PORTS[@]}"; do
		cmds+=("filter show dev $port ingress")
	done
	printf '%s\n' "${cmds[@]}" | tc -s -j -batch - |
		jq -rs 'map([.[] | .options.actions[0].stats.packets // empty] | add // 0 |
			 tostring) | join(" ")'
}

# master_setup VARIANT: the device under test over both ports, in DUT.
master_setup()
{
	case $1 in
	zec|zec-noannounce)
		ip link add zec0 type zec || return 1
		defer ip link del zec0
		"$ZECCTL" dev set zec0 mode independent \
			announce "$([ "$1" = zec ] && echo 3 || echo 0)" || return 1
		enslave_down zec0 || return 1
		DUT=zec0 ;;
	bond-ab)
		ip link add bond0 type bond mode active-backup miimon 100 || return 1
		defer ip link del bond0
		enslave_down bond0 || return 1
		ip link set dev bond0 type bond primary n1p0 || return 1
		DUT=bond0 ;;
	team-ab)
		teamd -d -t team0 -c '{"runner": {"name": "activebackup"}, "link_watch": {"name": "ethtool"}, "ports": {"n1p0": {"prio": 10}}}' > /dev/null 2>&1 || return 1
		defer teamd -k -t team0
		busywait 10000 test -e /sys/class/net/team0 || return 1
		enslave_down team0 || return 1
		DUT=team0 ;;
	esac
	batch ip "link set dev ${PORTS[0]} up" "link set dev ${PORTS[1]} up"
}

# to_vm VM: FRAMES frames from the fabric to vmVM; prints "local total",
# the frames that arrived on VM's node's port and on both.
to_vm()
{
	local before after

	read -r -a before <<<"$(counted)"
	in_switch /usr/bin/python3 "$MACS" send to --dev br0 \
		--base "${VM_MAC[$1]}" --count 1 --rounds "$FRAMES" --interval 0.005
	sleep 1
	read -r -a after <<<"$(counted)"
	echo $((after[$1] - before[$1])) $((after[0] + after[1] - before[0] - before[1]))
}

taskset -pc 0 $$ > /dev/null
variants=(zec zec-noannounce bond-ab)
have_teamd && variants+=(team-ab) || echo "bench: no teamd, no team variant" >&2
for ((rep = 0; rep < BENCH_REPS && rep < BENCH_INDEPENDENT_REPS; rep++)); do
	for variant in $(rotated "$rep" "${variants[@]}"); do
		master_setup "$variant"
		count_start
		vms_setup "$DUT"
		fabric_setup
		for vm in 0 1; do
			in_vm "$vm" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
			in_vm "$vm" ping -q -c 2 -i 0.2 -W 2 "$SWITCH_ADDR" > /dev/null
		done
		read -r local0 total0 <<<"$(to_vm 0)"
		read -r local1 total1 <<<"$(to_vm 1)"

		in_vm 1 /usr/bin/python3 "$MACS" recv --dev eth0 \
			--base "${VM_MAC[1]}" --count 1 --wait $((LIMIT_MS / 1000 + 2)) > "$OUT" &
		receiver=$!
		busywait 10000 grep -qx ready "$OUT"
		t0=$(zec_ms)
		zec_cable n1p0 off
		in_switch /usr/bin/python3 "$MACS" send to --dev br0 \
			--base "${VM_MAC[1]}" --count 1 --rounds $((LIMIT_MS / 50)) \
			--interval 0.05 &
		prober=$!
		defer reap "$prober"
		wait "$receiver" || true
		read -r reached at <<<"$(tail -n 1 "$OUT")"
		# A receiver that died prints no count: no figure, not a limit.
		[[ $reached =~ ^[0-9]+$ ]] ||
			{ echo "bench: vm1's receiver failed: $(cat "$OUT")" >&2; exit 1; }
		outage=$LIMIT_MS
		[ "$reached" = 1 ] && outage=$((at - t0))
		[ "$outage" -le "$LIMIT_MS" ] || outage=$LIMIT_MS
		bench_result independent "$variant" "$rep" \
			"local=$((local0 + local1))" "total=$((total0 + total1))" \
			"outage_ms=$outage" "limit_ms=$LIMIT_MS"
		zec_cable n1p0 on
		busywait 5000 zec_carrier n1p0
		dut_teardown
	done
done
