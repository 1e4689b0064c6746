# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # DUT is for the cases
#
# Helpers for the benchmark cases, sourced after ../lib.sh and ../datapath.sh:
# the devices under test over the testbed's two ports, and the result lines.
#
# TCG makes absolute figures meaningless, so a case measures its baseline in
# the same boot and scripts/bench-report.py turns the raw figures of each
# repetition into ratios to it. Variants run in a rotated order each
# repetition so that drift during the boot does not favour one of them.

: "${BENCH_REPS:=5}"
: "${BENCH_RESULTS:=/tmp/bench-results.jsonl}"
PORTS=(n0p0 n1p0)
# The device dut_setup made, for the cases.
DUT=

# bench_result CASE VARIANT REP KEY=NUMBER...: append one result line (JSON)
# to BENCH_RESULTS and show it on the console.
bench_result()
{
	local json="{\"case\":\"$1\",\"variant\":\"$2\",\"rep\":$3" kv
	shift 3

	for kv; do
		json+=",\"${kv%%=*}\":${kv#*=}"
	done
	json+="}"
	echo "$json" >> "$BENCH_RESULTS"
	echo "bench: $json"
}

# rotated REP ITEM...: the ITEMs rotated left by REP, one per line.
rotated()
{
	local rep=$1 i
	shift

	for ((i = 0; i < $#; i++)); do
		echo "${@:$(((rep + i) % $# + 1)):1}"
	done
}

# tx_packets PORT: the port driver's own transmit counter, without a fork.
tx_packets()
{
	local n

	read -r n < "/sys/class/net/$1/statistics/tx_packets"
	echo "$n"
}

# l3_up DEV: address DEV as zec_setup does zec0, bring it up and point the
# switch's address at a static MAC, so that DEV sends no ARP of its own,
# and no IPv6 either (zec_setup's sysctl is undone between variants).
l3_up()
{
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip addr add "$ZEC_ADDR/24" dev "$1"
	ip link set "$1" up
	ip neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev "$1" nud permanent
}

# enslave_down MASTER: put both ports under MASTER. Bonding and team take
# only ports that are down; zec does not care.
enslave_down()
{
	local port

	for port in "${PORTS[@]}"; do
		ip link set dev "$port" down
		ip link set dev "$port" master "$1" || return 1
	done
}

# bond_setup BOND-OPTIONS...: bond0 over both ports, set up like zec0.
bond_setup()
{
	ip link add bond0 type bond "$@" || return 1
	defer ip link del bond0
	enslave_down bond0 || return 1
	l3_up bond0
}

have_teamd()
{
	command -v teamd > /dev/null
}

# team_setup RUNNER-JSON: team0 over both ports, run by teamd without D-Bus.
team_setup()
{
	teamd -d -t team0 -c "{\"runner\": $1}" > /dev/null 2>&1 || return 1
	defer teamd -k -t team0
	busywait 10000 test -e /sys/class/net/team0 || return 1
	enslave_down team0 || return 1
	l3_up team0
}

# dut_setup VARIANT: make the device under test and set DUT to its name
# (not printed: in a command substitution the deferred cleanup would be lost).
#   port       n0p0 alone (the baseline)
#   port1      n1p0 alone
#   zec        zec0 over both ports
#   bond-xor   bond0, balance-xor, layer3+4 hash
#   bond-ab    bond0, active-backup, miimon 100, n1p0 active
#   team-lb    team0, loadbalance runner, l3+l4 hash
# Everything it makes is undone by dut_teardown.
dut_setup()
{
	DUT=
	case $1 in
	port|port1)
		DUT=n0p0
		[ "$1" = port ] || DUT=n1p0
		ip link set dev "$DUT" up || return 1
		defer ip link set dev "$DUT" down ;;
	zec)
		zec_setup "${PORTS[@]}" > /dev/null || return 1
		# zec_setup makes the peers promiscuous, so that they count
		# frames for other MACs; the other variants leave them be, and
		# a peer that takes every frame in costs the guest CPU time
		# the sender then lacks (zec0 measured 0.5 of the port so).
		printf 'link set dev sw-%s promisc off\n' "${PORTS[@]}" |
			ip -n switch -batch - || return 1
		DUT=zec0 ;;
	bond-xor)
		bond_setup mode balance-xor xmit_hash_policy layer3+4 || return 1
		DUT=bond0 ;;
	bond-ab)
		bond_setup mode active-backup miimon 100 || return 1
		ip link set dev bond0 type bond primary n1p0 || return 1
		DUT=bond0 ;;
	team-lb)
		team_setup '{"name": "loadbalance", "tx_hash": ["l3", "l4"]}' ||
			return 1
		DUT=team0 ;;
	*)
		echo "dut_setup: unknown variant $1" >&2
		return 1 ;;
	esac
}

# ports_free: no master left on either port, so the next variant can take
# them.
ports_free()
{
	local port

	for port in "${PORTS[@]}"; do
		[ ! -e "/sys/class/net/$port/master" ] || return 1
	done
}

# dut_teardown: undo dut_setup and check the ports are free again.
dut_teardown()
{
	defer_run
	busywait 5000 ports_free || { echo "bench: ports still enslaved" >&2; return 1; }
}
