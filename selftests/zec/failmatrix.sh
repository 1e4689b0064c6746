#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=2 timeout=420
# shellcheck disable=SC2317 # functions run by busywait and defer
#
# The failure matrix: one failure at a time on node 1's side, each of
# which must leave VPC traffic (zec0, probing every 20 ms) and storage
# traffic (an active-backup bond) flowing, and each undone before the
# next. Prints the table.
#
#   VPC:     zec0 192.0.2.1 ─┬─ n0p0 ══ sw-n0p0 192.0.2.10 ┐
#                            └─ n1p0 ══ sw-n1p0 192.0.2.11 │ netns switch
#   storage: bond0 198.51.100.1 ─┬─ n0p1 ══ sw-n0p1 ─┐     │
#            (active-backup)     └─ n1p1 ══ sw-n1p1 ─┴─ brs 198.51.100.254
#
# The testbed's NICs are single-port virtio functions, each behind its own
# PCI bridge: a NIC whose one port is VPC and the other storage cannot be
# built. "NIC failure on the storage side" is therefore the removal of the
# storage NIC of node 1 (n1p1), and "on the VPC side" that of n1p0; a
# dual-port NIC dying would be both rows at once.

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

STORAGE_ADDR=198.51.100.1
STORAGE_PEER=198.51.100.254
INTERVAL_MS=20
ROWS=()

zec_require_built "$ZECCTL"

# stat_above NAME VALUE: zec0's counter NAME exceeds VALUE.
stat_above()
{
	[ "$(zec_stat "$1")" -gt "$2" ]
}

port_state()
{
	"$ZECCTL" -j show zec0 |
		jq -r ".[0].ports[] | select(.ifname == \"$1\") | \"\(.state) \(.down_reasons | join(\",\"))\""
}

storage_ok()
{
	ping -c 1 -W 1 "$STORAGE_PEER" > /dev/null 2>&1
}

bond_active()
{
	cat /sys/class/net/bond0/bonding/active_slave
}

setup()
{
	zec_setup n0p0 n1p0 || return 1
	switch_probe_targets || return 1
	"$ZECCTL" probe set zec0 target 192.0.2.10 target 192.0.2.11 \
		interval "${INTERVAL_MS}ms" || return 1

	{
		echo "link add brs type bridge"
		echo "link set sw-n0p1 master brs"
		echo "link set sw-n1p1 master brs"
		echo "addr add $STORAGE_PEER/24 dev brs"
		echo "link set brs up"
	} | ip -n switch -batch - || return 1
	defer ip -n switch link del brs
	ip link add bond0 type bond mode active-backup miimon 50 primary n1p1 || return 1
	defer ip link del bond0
	ip link set n0p1 master bond0
	ip link set n1p1 master bond0
	ip addr add "$STORAGE_ADDR/24" dev bond0
	ip link set bond0 up
	busywait 10000 storage_ok || return 1
	busywait 3000 zec_port_up n0p0 && busywait 3000 zec_port_up n1p0
}

# port_is PORT STATE: port_state of PORT is exactly STATE.
port_is()
{
	[ "$(port_state "$1")" = "$2" ]
}

# row NAME BREAK FIX EXPECT: run BREAK, check that traffic goes on and that
# n1p0 shows exactly EXPECT ("STATE REASONS" as port_state prints it, or
# "gone" for a port no longer there), run FIX, check that everything is
# back. A port without carrier sends no probes, so it soon misses its
# replies too: "down carrier,probe".
row()
{
	local name=$1 break_cmd=$2 fix_cmd=$3 expect=$4 cross vpc storage seen

	send_from_node 1 1000000 --interval-us 2000 &
	defer reap "$!"
	busywait 10000 stat_above n1p0.tx_local_packets 0 ||
		busywait 1000 stat_above n0p0.tx_cross_node_packets 0
	cross=$(zec_stat n0p0.tx_cross_node_packets)

	eval "$break_cmd"
	case $expect in
	gone) busywait 5000 not test -e /sys/class/net/n1p0 && seen=gone ;;
	# Staying up: give it the time a wrong verdict would take.
	"up ") sleep 0.5 ;;
	*) busywait 3000 port_is n1p0 "$expect" ;;
	esac
	seen=${seen:-$(port_state n1p0)}
	[ "$seen" = "$expect" ]
	check_err $? "$name: n1p0 is \"$seen\", expected \"$expect\""
	if [ "$expect" = "up " ]; then
		busywait 3000 stat_above n1p0.tx_local_packets "$(zec_stat n1p0.tx_local_packets)"
	else
		busywait 5000 stat_above n0p0.tx_cross_node_packets $((cross + 100))
	fi
	vpc=$?
	busywait 5000 storage_ok
	storage=$?
	check_err "$vpc" "$name: VPC traffic of node 1 stopped"
	check_err "$storage" "$name: storage traffic stopped (bond active $(bond_active))"
	ROWS+=("$(printf '%-34s %-22s %-8s %-8s %s' "$name" "$seen" \
		"$([ "$vpc" = 0 ] && echo flows || echo STOPPED)" \
		"$([ "$storage" = 0 ] && echo flows || echo STOPPED)" "$(bond_active)")")

	eval "$fix_cmd"
	busywait 10000 zec_port_up n1p0
	check_err $? "$name: n1p0 not back up after the repair: $(port_state n1p0)"
	busywait 10000 storage_ok
	check_err $? "$name: storage not back after the repair"
	defer_run_last
	log_test "failure matrix: $name"
}

# The sender of a row is the last thing deferred.
defer_run_last()
{
	local last=$((${#__zec_deferred[@]} - 1))

	eval "${__zec_deferred[last]}"
	unset "__zec_deferred[last]"
}

nic_back()
{
	zec_pci_rescan
	busywait 10000 test -e "/sys/class/net/$1"
}

setup
check_err $? "setup failed"
log_test "failure matrix: VPC zec0 with probes, storage bond0 up"

row "port admin down (ip link set down)" \
	"ip link set n1p0 down" "ip link set n1p0 up" "down carrier,probe"
row "cable pulled" \
	"zec_cable n1p0 off" "zec_cable n1p0 on" "down carrier,probe"
row "switch dead, carrier up" \
	"zec_cable sw-n1p0 off" "zec_cable sw-n1p0 on" "down probe"
row "VPC NIC removed (PCI)" \
	"zec_nic_remove n1p0" "nic_back n1p0; ip link set n1p0 master zec0" gone
row "storage NIC removed (PCI)" \
	"zec_nic_remove n1p1" "nic_back n1p1; ip link set n1p1 master bond0" "up "

echo "failure                            n1p0 (zec)             VPC      storage  bond active"
printf '%s\n' "${ROWS[@]}"
exit "$EXIT_STATUS"
