#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
#
# What a port takes from zec0 and gives back (MAC, MTU, flags, address
# lists, features), what ethtool shows, and ping through zec0 and through a
# VLAN on it, both ways, to a bridge in the switch namespace.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

port_field()
{
	ip -j link show dev "$1" | jq -r ".[0].$2"
}

has_flag()
{
	ip -j link show dev "$1" | jq -e --arg f "$2" '.[0].flags | index($f)' > /dev/null
}

# ip link shows only the promiscuity and allmulti a user asked for; the
# device's own flags (sysfs) also count what its master asked for.
IFF_PROMISC=0x100
IFF_ALLMULTI=0x200

has_dev_flag()
{
	(( $(cat "/sys/class/net/$1/flags") & $2 ))
}

test_l2_follow()
{
	local orig_mac orig_mtu mac

	orig_mac=$(port_field n1p0 address)
	orig_mtu=$(port_field n1p0 mtu)
	ip link add zec0 type zec
	defer ip link del zec0
	ip link set n0p0 master zec0
	ip link set n1p0 master zec0

	mac=$(port_field zec0 address)
	[ "$(port_field n0p0 address)" = "$mac" ] && [ "$(port_field n1p0 address)" = "$mac" ]
	check_err $? "ports do not carry zec0's MAC $mac"
	has_flag n1p0 SLAVE && [ "$(port_field n1p0 master)" = zec0 ]
	check_err $? "n1p0 is not shown as a port of zec0"
	ip link set zec0 address 02:00:00:00:aa:01
	[ "$(port_field n1p0 address)" = 02:00:00:00:aa:01 ]
	check_err $? "n1p0 did not follow zec0's new MAC"
	ip link set zec0 mtu 9000
	[ "$(port_field n0p0 mtu)" = 9000 ] && [ "$(port_field n1p0 mtu)" = 9000 ]
	check_err $? "ports did not follow MTU 9000"
	log_test "ports take zec0's MAC and MTU"

	ip link set zec0 promisc on
	has_dev_flag n0p0 $IFF_PROMISC && has_dev_flag n1p0 $IFF_PROMISC
	check_err $? "ports not promiscuous with zec0"
	ip link set zec0 promisc off
	not has_dev_flag n0p0 $IFF_PROMISC
	check_err $? "n0p0 still promiscuous"
	ip link set zec0 allmulticast on
	has_dev_flag n1p0 $IFF_ALLMULTI
	check_err $? "n1p0 not allmulti with zec0"
	ip link set zec0 allmulticast off
	not has_dev_flag n1p0 $IFF_ALLMULTI
	check_err $? "n1p0 still allmulti"
	ip link set zec0 up
	ip maddr add 01:00:5e:01:02:03 dev zec0
	ip maddr show dev n1p0 | grep -q 01:00:5e:01:02:03
	check_err $? "multicast address not on n1p0"
	ip maddr del 01:00:5e:01:02:03 dev zec0
	not sh -c 'ip maddr show dev n1p0 | grep -q 01:00:5e:01:02:03'
	check_err $? "multicast address stayed on n1p0"
	log_test "promiscuity, allmulti and address lists follow zec0"

	ip link set n1p0 nomaster
	[ "$(port_field n1p0 address)" = "$orig_mac" ] && [ "$(port_field n1p0 mtu)" = "$orig_mtu" ]
	check_err $? "n1p0 has $(port_field n1p0 address) mtu $(port_field n1p0 mtu) after release, want $orig_mac $orig_mtu"
	not has_flag n1p0 SLAVE
	check_err $? "n1p0 still flagged SLAVE"
	[ "$(zec_port_list)" = n0p0 ]
	check_err $? "zec0 ports: $(zec_port_list | tr '\n' ' ')"
	log_test "release gives the port its own MAC and MTU back"
}

# virtio-net behind a QEMU hub offers no offloads to toggle; veth does.
test_features()
{
	ip link add zec0 type zec
	defer ip link del zec0
	ip link add vport0 type veth peer name vpeer0
	defer ip link del vport0
	ip link add vport1 type veth peer name vpeer1
	defer ip link del vport1
	ip link set vport0 master zec0
	ip link set vport1 master zec0

	ethtool -k zec0 | grep -q '^tx-checksumming: on'
	check_err $? "zec0 over two veths starts without tx checksumming"
	ethtool -K vport1 tx off > /dev/null
	ethtool -k zec0 | grep -q '^tx-checksumming: off'
	check_err $? "zec0 kept tx checksumming that vport1 lost"
	ethtool -K vport1 tx on > /dev/null
	ethtool -k zec0 | grep -q '^tx-checksumming: on'
	check_err $? "zec0 did not regain tx checksumming"
	ip link set vport0 nomaster
	ethtool -K vport1 tx off > /dev/null
	ip link set vport1 nomaster
	ethtool -k zec0 | grep -q '^tx-checksumming: on'
	check_err $? "zec0 without ports did not regain tx checksumming"
	log_test "features are the intersection over ports"
}

test_ethtool()
{
	local n

	ip link add zec0 type zec
	defer ip link del zec0
	ip link set n0p0 master zec0
	ip link set n1p0 master zec0
	ip link set zec0 up
	ethtool -i zec0 | grep -q '^driver: zec$'
	check_err $? "ethtool -i: $(ethtool -i zec0 | head -2 | tr '\n' ' ')"
	ethtool -i zec0 | grep -q '^version: [0-9]'
	check_err $? "ethtool -i shows no version"
	busywait 2000 sh -c 'ethtool zec0 | grep -q "Speed: 20000Mb/s"'
	check_err $? "two 10G ports: $(ethtool zec0 | grep Speed)"
	zec_cable n1p0 off
	busywait 3000 sh -c 'ethtool zec0 | grep -q "Speed: 10000Mb/s"'
	check_err $? "one healthy 10G port: $(ethtool zec0 | grep Speed)"
	zec_cable n1p0 on
	n=$(ethtool -S zec0 | grep -c 'n[01]p0\.tx_local_packets')
	[ "$n" -eq 2 ]
	check_err $? "ethtool -S lists $n per-port tx_local_packets"
	log_test "ethtool: driver, speed of healthy ports, per-port stats"
}

test_vlan_ping()
{
	zec_setup n0p0 n1p0
	switch_bridge zec0
	ip -n switch link add link br0 name br0.100 type vlan id 100
	ip -n switch addr add 198.51.100.254/24 dev br0.100
	ip -n switch link set br0.100 up
	ip neigh del "$SWITCH_ADDR" dev zec0

	ip link add link zec0 name zec0.100 type vlan id 100
	ip addr add 198.51.100.1/24 dev zec0.100
	ip link set zec0.100 up

	ping -c 3 -i 0.2 -W 2 "$SWITCH_ADDR" > /dev/null
	check_err $? "zec0 -> switch"
	in_switch ping -c 3 -i 0.2 -W 2 "$ZEC_ADDR" > /dev/null
	check_err $? "switch -> zec0"
	log_test "ping through zec0 both ways"

	ping -c 3 -i 0.2 -W 2 198.51.100.254 > /dev/null
	check_err $? "zec0.100 -> switch"
	in_switch ping -c 3 -i 0.2 -W 2 198.51.100.1 > /dev/null
	check_err $? "switch -> zec0.100"
	log_test "ping through a VLAN on zec0 both ways"
}

test_l2_follow
defer_run
test_features
defer_run
test_ethtool
defer_run
test_vlan_ping
exit "$EXIT_STATUS"
