#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=4 nics-per-node=1 timeout=240
# shellcheck disable=SC2317 # functions run by busywait
#
# With its own port down, a node sends through the port of the nearest node
# by node_distance(); with none left anywhere, nothing leaves and zec0
# loses carrier, as a bond does. The testbed's distances: 0-1 and 2-3 are
# 12, 0-2 and 1-3 are 20, 0-3 and 1-2 are 32.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

COUNT=100

# switch_got PORT N: sw-PORT has received at least N frames.
switch_got()
{
	[ "$(switch_rx "$1")" -ge "$2" ]
}

# expect_path NODE PORT KIND: COUNT datagrams from NODE leave through PORT,
# counted by zec as node-local (KIND=local) or cross-node (KIND=cross), and
# arrive at PORT's peer in the switch namespace.
expect_path()
{
	local node=$1 port=$2 kind=$3 name before rx

	name=$port.tx_${kind}_packets
	[ "$kind" = cross ] && name=$port.tx_cross_node_packets
	before=$(zec_stat "$name")
	rx=$(switch_rx "$port")
	send_from_node "$node" "$COUNT"
	[ $(($(zec_stat "$name") - before)) -eq "$COUNT" ]
	check_err $? "node $node: $name grew by $(($(zec_stat "$name") - before)), want $COUNT"
	busywait 5000 switch_got "$port" $((rx + COUNT))
	check_err $? "node $node: sw-$port received $(($(switch_rx "$port") - rx)) of $COUNT"
}

pull()
{
	zec_cable "$1" off
	busywait 2000 not zec_carrier "$1"
	check_err $? "carrier of $1 did not drop"
}

test_nearest()
{
	local node sent

	zec_setup n0p0 n1p0 n2p0 n3p0
	check_err $? "setup failed"
	for node in 0 1 2 3; do
		expect_path "$node" "n${node}p0" local
	done
	log_test "four nodes, each through its own port"

	pull n0p0
	expect_path 0 n1p0 cross
	log_test "node 0 without its port: nearest node 1 (distance 12)"

	pull n1p0
	expect_path 0 n2p0 cross
	expect_path 1 n3p0 cross
	log_test "nodes 0 and 1 without ports: node 0 via 2 (20), node 1 via 3 (20)"

	pull n2p0
	pull n3p0
	sent=$(zec_sent n0p0 n1p0 n2p0 n3p0)
	send_from_node 0 "$COUNT"
	[ "$(zec_sent n0p0 n1p0 n2p0 n3p0)" -eq "$sent" ]
	check_err $? "no healthy port, yet zec0 handed $(($(zec_sent n0p0 n1p0 n2p0 n3p0) - sent)) packets to ports"
	busywait 3000 not zec_carrier zec0
	check_err $? "zec0 keeps carrier with no healthy port"
	log_test "no healthy port: nothing leaves, zec0 without carrier"

	zec_cable n0p0 on
	busywait 3000 zec_carrier zec0
	check_err $? "zec0 carrier did not return"
	expect_path 0 n0p0 local
	expect_path 3 n0p0 cross
	log_test "first port back carries every node"
}

test_nearest
exit "$EXIT_STATUS"
