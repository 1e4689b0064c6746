#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=240
#
# Every packet leaves through the port of the submitting CPU's node: from a
# socket pinned to a node, and from a "VM" whose veth is bridged onto zec0.
#
#   cpus 0-1 (node 0) ─┐            ┌─ n0p0 ══ sw-n0p0 ┐
#                      ├─ zec0 ─────┤                  ├ netns switch
#   cpus 2-3 (node 1) ─┘   │        └─ n1p0 ══ sw-n1p0 ┘
#            netns vm1: eth0 ── veth ── br-vm

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

COUNT=300
STRAY=3

# expect_only_port PORT OTHER RX_PORT RX_OTHER LABEL: after COUNT datagrams
# from PORT's node, zec counted them all as local on PORT, none cross-node,
# and the switch saw exactly them on PORT and nothing on OTHER.
expect_only_port()
{
	local port=$1 other=$2 before_port=$3 before_other=$4 label=$5

	[ "$(zec_stat "$port.tx_local_packets")" -eq "$COUNT" ]
	check_err $? "$label: $port.tx_local_packets = $(zec_stat "$port.tx_local_packets"), want $COUNT"
	[ "$(zec_stat tx_cross_node_packets)" -eq 0 ]
	check_err $? "$label: $(zec_stat tx_cross_node_packets) cross-node packets"
	[ $(($(switch_rx "$port") - before_port)) -eq "$COUNT" ]
	check_err $? "$label: switch got $(($(switch_rx "$port") - before_port)) on sw-$port, want $COUNT"
	[ "$(switch_rx "$other")" -eq "$before_other" ]
	check_err $? "$label: switch got $(($(switch_rx "$other") - before_other)) on sw-$other, want 0"
}

test_socket_senders()
{
	local rx0 rx1

	zec_setup n0p0 n1p0 || { check_err 1 "setup failed"; log_test "setup"; return; }

	rx0=$(switch_rx n0p0) rx1=$(switch_rx n1p0)
	send_from_node 0 "$COUNT" --flows 8
	expect_only_port n0p0 n1p0 "$rx0" "$rx1" "node 0"
	[ "$(zec_stat n1p0.tx_local_packets)" -eq 0 ]
	check_err $? "node 0 traffic counted on n1p0"
	log_test "senders pinned to node 0 leave through n0p0 only"

	rx0=$(switch_rx n0p0) rx1=$(switch_rx n1p0)
	send_from_node 1 "$COUNT" --flows 8
	expect_only_port n1p0 n0p0 "$rx1" "$rx0" "node 1"
	log_test "senders pinned to node 1 leave through n1p0 only"

	ip -j -s link show zec0 | jq -e ".[0].stats64.tx.packets == $((2 * COUNT))" > /dev/null
	check_err $? "ip -s link: zec0 tx packets $(ip -j -s link show zec0 | jq '.[0].stats64.tx.packets'), want $((2 * COUNT))"
	log_test "ip -s link shows the aggregate"
}

# A VM's virtio-net/vhost traffic enters the host stack on the CPU that
# runs its queue; a veth in a namespace, with the sender pinned, is that.
test_vm_bridged()
{
	local rx1 before0 before1 sent0 sent1

	ip netns add vm1
	defer ip netns del vm1
	nsenter --net=/run/netns/vm1 sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip link add br-vm type bridge
	defer ip link del br-vm
	ip link add vm-host type veth peer name eth0 netns vm1
	ip link set vm-host master br-vm
	ip link set zec0 master br-vm
	ip link set vm-host up
	ip link set br-vm up
	ip -n vm1 addr add 192.0.2.10/24 dev eth0
	ip -n vm1 link set eth0 up
	ip -n vm1 neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev eth0 nud permanent

	before1=$(zec_stat n1p0.tx_local_packets)
	before0=$(zec_stat n0p0.tx_local_packets)
	rx1=$(switch_rx n1p0)
	taskset -c "$(node_cpus 1)" nsenter --net=/run/netns/vm1 \
		/usr/bin/python3 "$UDP" send --dst "$SWITCH_ADDR" --count "$COUNT" > /dev/null
	# The bridge may pass an occasional frame of its own (seen: one in a
	# run); the VM's COUNT datagrams must all take n1p0.
	sent1=$(($(zec_stat n1p0.tx_local_packets) - before1))
	sent0=$(($(zec_stat n0p0.tx_local_packets) - before0))
	[ "$sent1" -ge "$COUNT" ] && [ "$sent1" -le $((COUNT + STRAY)) ] && [ "$sent0" -le "$STRAY" ]
	check_err $? "VM on node 1: n1p0 sent $sent1, n0p0 sent $sent0, want $COUNT and 0 (+$STRAY)"
	[ $(($(switch_rx n1p0) - rx1)) -ge "$COUNT" ]
	check_err $? "switch got $(($(switch_rx n1p0) - rx1)) on sw-n1p0, want >= $COUNT"
	[ "$(zec_stat tx_cross_node_packets)" -eq 0 ]
	check_err $? "$(zec_stat tx_cross_node_packets) cross-node packets"
	log_test "bridged VM pinned to node 1 leaves through n1p0"
}

test_socket_senders
test_vm_bridged
exit "$EXIT_STATUS"
