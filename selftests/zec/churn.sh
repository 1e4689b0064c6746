#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
#
# Control-path changes while traffic flows from both nodes: ports leave and
# join, zec0 goes down and up, and finally the module is unloaded with the
# device, its ports and the traffic all live. The harness fails the run on
# any kernel warning.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

start_traffic()
{
	local node

	for node in 0 1; do
		# Source ports of their own: both senders bind theirs.
		send_from_node "$node" 100000 --flows 4 --sport $((40000 + 100 * node)) &
		defer reap "$!"
	done
}

test_ports_under_traffic()
{
	local i

	zec_setup n0p0 n1p0
	check_err $? "setup failed"
	start_traffic
	for i in 1 2 3 4 5; do
		ip link set n1p0 nomaster
		check_err $? "round $i: release n1p0"
		ip link set n1p0 master zec0
		check_err $? "round $i: enslave n1p0"
		ip link set zec0 down
		ip link set zec0 up
		ip neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev zec0 nud permanent
	done
	[ "$(zec_port_list | tr '\n' ' ')" = "n0p0 n1p0 " ]
	check_err $? "ports after churn: $(zec_port_list | tr '\n' ' ')"
	busywait 5000 sh -c "[ \$(ethtool -S zec0 | awk '\$1 == \"n1p0.tx_local_packets:\" { print \$2 }') -gt 0 ]"
	check_err $? "n1p0 carries no traffic after rejoining"
	log_test "ports leave and join, zec0 down and up, under traffic"
}

test_unload_live()
{
	local rmmod_rc

	rmmod zec
	rmmod_rc=$?
	check_err $rmmod_rc "rmmod with a live device, ports and traffic failed"
	not grep -q '^zec ' /proc/modules
	check_err $? "zec still loaded"
	not ip link show dev zec0 > /dev/null 2>&1
	check_err $? "zec0 still exists"
	[ "$(ip -j link show dev n0p0 | jq -r '.[0].master // empty')" = "" ]
	check_err $? "n0p0 still has a master"
	[ "$(ip -j link show dev n0p0 | jq -r '.[0].address')" = "$ZEC_MAC_PREFIX:00:00:01" ]
	check_err $? "n0p0 did not get its own MAC back"
	log_test "rmmod with zec0, ports and traffic live"

	ip link add zec0 type zec && ip link set n0p0 master zec0
	check_err $? "cannot create zec0 after reload"
	log_test "module reloads and works again"
}

test_ports_under_traffic
test_unload_live
exit "$EXIT_STATUS"
