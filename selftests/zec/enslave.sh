#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=240
#
# The devices zec0 refuses as ports: each refusal carries its message and
# leaves zec0 as it was.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

# zec_state: what a refused enslave must not change: zec0's ports, MAC
# and MTU (one "ip" call each: commands are slow in the emulated guest).
zec_state()
{
	ip -o link show master zec0 | cut -d: -f2
	ip -o link show dev zec0
}

ifindex()
{
	cat "/sys/class/net/$1/ifindex"
}

# expect_refused WHAT MESSAGE CMD...: CMD fails, prints MESSAGE, and zec0
# keeps its ports, address and MTU.
expect_refused()
{
	local what=$1 msg=$2 before out
	shift 2

	# An empty MESSAGE would match any.
	[ -n "$msg" ]
	check_err $? "$what: no message to expect"
	before=$(zec_state)
	out=$("$@" 2>&1)
	check_fail $? "$what: accepted"
	case $out in
	*"$msg"*) ;;
	*) check_err 1 "$what: message '$out', want '$msg'" ;;
	esac
	[ "$(zec_state)" = "$before" ]
	check_err $? "$what: zec0 changed from '$before' to '$(zec_state)'"
	log_test "refused: $what"
}

test_refusals()
{
	ip link add zec0 type zec
	defer ip link del zec0
	ip link set n0p0 master zec0

	expect_refused "loopback" "Loopback device cannot be a zec port" \
		ip link set lo master zec0

	ip link add ipip0 type ipip local 192.0.2.99 remote 192.0.2.98
	defer ip link del ipip0
	expect_refused "non-Ethernet device" "Only Ethernet devices can be zec ports" \
		ip link set ipip0 master zec0

	expect_refused "zec0 itself" "Cannot add a zec device to itself" \
		ip link set zec0 master zec0

	ip link add zec1 type zec
	defer ip link del zec1
	expect_refused "another zec device" "cannot be a port of another zec device" \
		ip link set zec1 master zec0

	ip link add link zec0 name zec0.5 type vlan id 5
	expect_refused "a VLAN on top of zec0 (loop)" "adding it would make a loop" \
		ip link set zec0.5 master zec0
	ip link del zec0.5

	ip link add link n1p0 name mv0 type macvlan
	expect_refused "a macvlan lower device" "in use by macvlan" \
		ip link set n1p0 master zec0
	ip link del mv0

	ip netns add other
	defer ip netns del other
	ip link add veth-a type veth peer name veth-b netns other
	defer ip link del veth-a
	# The kernel looks both up in the caller's namespace, port and master
	# alike ("ip -n other link set veth-b master zec0" never gets there:
	# iproute2 finds no zec0 in "other" and gives up): from here there is
	# no veth-b, and from there no device of zec0's index ("ifN" is
	# iproute2's spelling of index N).
	expect_refused "a device in another namespace (zecctl port add)" \
		"No such port device" "$ZECCTL" port add veth-b master zec0
	expect_refused "a device in another namespace (zec0 by index)" \
		"RTNETLINK answers: Invalid argument" \
		ip -n other link set veth-b master "if$(ifindex zec0)"
	[ -z "$(ip -n other -j link show dev veth-b | jq -r '.[0].master // empty')" ]
	check_err $? "veth-b got a master: $(ip -n other -br link show dev veth-b)"
	log_test "refused: a device in another namespace keeps no master"

	# "ip link set DEV master zec0" moves DEV from its master, as for any
	# master kind (the kernel's do_set_master() releases it first); the
	# family's port add refuses instead.
	ip link add bond-x type bond
	defer ip link del bond-x
	# The debug kernel crashed in bonding's notifier when the fuzzer
	# made a bond a port.
	expect_refused "a bond (ip link)" "A bond device cannot be a zec port" \
		ip link set bond-x master zec0
	expect_refused "a bond (zecctl port add)" "A bond device cannot be a zec port" \
		"$ZECCTL" port add bond-x master zec0
	ip link set n1p0 master bond-x
	expect_refused "a port of a bond (zecctl port add)" "Device already has a master" \
		"$ZECCTL" port add n1p0 master zec0
	[ "$(ip -j link show dev n1p0 | jq -r '.[0].master')" = bond-x ]
	check_err $? "n1p0 left its bond"
	log_test "refused: a port of a bond stays in the bond"
	ip link set n1p0 nomaster

	expect_refused "a port's own MTU" "RTNETLINK answers: Device or resource busy" \
		ip link set n0p0 mtu 1400
	expect_refused "a port's own MAC" "follows the zec device" \
		ip link set n0p0 address 02:00:00:00:00:01
	expect_refused "an MTU beyond a port's maximum" "mtu greater than device maximum" \
		ip link set zec0 mtu 70000
}

test_refusals
exit "$EXIT_STATUS"
