#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=120
# zec-vm: nodes=2 nics-per-node=2 timeout=120
# zec-vm: nodes=4 nics-per-node=2 timeout=180
#
# The testbed itself: every zec test relies on these facts, so check them
# first and in one place.
#
#   node0: cpu0 cpu1   n0p0 --hub-- sw-n0p0 \
#   node1: cpu2 cpu3   n1p0 --hub-- sw-n1p0  } netns "switch"
#   ...                ...                  /

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

test_nodes()
{
	local n cpus

	[ "$(find /sys/devices/system/node -maxdepth 1 -name 'node[0-9]*' | wc -l)" -eq "$ZEC_NODES" ]
	check_err $? "expected $ZEC_NODES nodes, got $(cat /sys/devices/system/node/online)"
	for ((n = 0; n < ZEC_NODES; n++)); do
		cpus=$(cat "/sys/devices/system/node/node$n/cpulist" 2>/dev/null)
		[ "$cpus" = "$((2 * n))-$((2 * n + 1))" ]
		check_err $? "node$n has cpus '$cpus'"
	done
	log_test "$ZEC_NODES nodes with two CPUs each"
}

test_distances()
{
	local want n got

	# The matrix run.sh sets up, row by row (see Documentation/testing.md).
	case $ZEC_NODES in
	2) want=("10 20" "20 10") ;;
	4) want=("10 12 20 32" "12 10 32 20" "20 32 10 12" "32 20 12 10") ;;
	esac
	for ((n = 0; n < ZEC_NODES; n++)); do
		got=$(<"/sys/devices/system/node/node$n/distance")
		[ "$got" = "${want[n]}" ]
		check_err $? "node$n distances '$got', expected '${want[n]}'"
	done
	log_test "node distances"
}

test_ports()
{
	local port node

	for port in $(zec_ports); do
		node=$(zec_port_home "$port")
		[ -e "/sys/class/net/$port" ]
		check_err $? "no port $port"
		[ "$(zec_port_node "$port")" = "$node" ]
		check_err $? "$port is on node $(zec_port_node "$port"), expected $node"
		ip -n switch link show dev "sw-$port" up | grep -q UP
		check_err $? "no peer sw-$port up in netns switch"
		ip link set dev "$port" up
		[ "$(cat "/sys/class/net/$port/speed")" = 10000 ]
		check_err $? "$port speed $(cat "/sys/class/net/$port/speed")"
	done
	log_test "ports on their nodes, peers in netns switch, 10G"
}

# port_addrs I PORT: put 10.99.I.1 on PORT and .2 on its peer, until the
# next defer_run.
port_addrs()
{
	ip addr add "10.99.$1.1/24" dev "$2"
	defer ip addr del "10.99.$1.1/24" dev "$2"
	ip -n switch addr add "10.99.$1.2/24" dev "sw-$2"
	defer ip -n switch addr del "10.99.$1.2/24" dev "sw-$2"
	ip link set dev "$2" up
	busywait 2000 zec_carrier "$2"
}

# busybox-static is there already; iputils-ping may not be.
reach()
{
	busybox ping -q -c 1 -W 1 -I "$2" "10.99.$1.2" > /dev/null
}

# Every port reaches its own peer, and only through its own hub.
test_wiring()
{
	local port i=0

	for port in $(zec_ports); do
		i=$((i + 1))
		port_addrs "$i" "$port"
		reach "$i" "$port"
		check_err $? "$port cannot reach sw-$port"
	done
	defer_run
	log_test "each port is cabled to its peer"
}

# Pulling the switch side's cable leaves the port's carrier up while
# nothing gets through: the failure only a health probe can see.
test_dead_switch_port()
{
	local port

	port=$(zec_ports | head -n 1)
	port_addrs 1 "$port"
	zec_cable "sw-$port" off
	check_err $? "QMP set_link off on the peer failed"
	sleep 0.2
	zec_carrier "$port"
	check_err $? "$port lost carrier when its peer's cable was pulled"
	not reach 1 "$port"
	check_err $? "$port still reaches its peer"
	zec_cable "sw-$port" on
	busywait 3000 reach 1 "$port"
	check_err $? "$port does not reach its peer after replugging"
	defer_run
	log_test "peer cable pull: carrier stays up, traffic stops"
}

test_cable()
{
	local port start

	for port in $(zec_ports); do
		ip link set dev "$port" up
		busywait 2000 zec_carrier "$port"
		check_err $? "$port has no carrier"
		zec_cable "$port" off
		check_err $? "QMP set_link off failed"
		start=$(zec_ms)
		busywait 1000 not zec_carrier "$port"
		check_err $? "$port carrier still up after a cable pull"
		echo "$port: carrier down after $(($(zec_ms) - start)) ms"
		zec_cable "$port" on
		busywait 1000 zec_carrier "$port"
		check_err $? "$port carrier not back after replugging"
	done
	log_test "cable pull and replug flip carrier within 1 s"
}

test_hot_remove()
{
	local port

	port=$(zec_ports | tail -n 1)
	zec_nic_remove "$port"
	check_err $? "cannot remove $port"
	busywait 2000 not test -e "/sys/class/net/$port"
	check_err $? "$port still there after PCI remove"
	zec_pci_rescan
	busywait 2000 test -e "/sys/class/net/$port"
	check_err $? "$port not back after rescan"
	[ "$(zec_port_node "$port")" = "$(zec_port_home "$port")" ]
	check_err $? "$port came back on node $(zec_port_node "$port")"
	log_test "hot-remove of $port unregisters it, rescan restores it"
}

# guest.sh holds the receive-timestamp static key on, so that it is not
# patched while a test runs ("The hang of the 2x2 guest" in
# Documentation/testing.md): a ping, which turns it on and off, must leave
# it on. The key goes off in a work item after the socket closes.
test_netstamp_key_held()
{
	local before after

	before=$(zec_netstamp_key)
	ping -c 1 -W 1 127.0.0.1 > /dev/null
	check_err $? "ping 127.0.0.1 failed"
	sleep 1
	after=$(zec_netstamp_key)
	[ "${before:-0}" -ge 1 ] && [ "${after:-0}" -ge 1 ]
	check_err $? "netstamp_needed_key went from '$before' to '$after' over a ping"
	log_test "receive-timestamp static key stays on over a ping"
}

test_nodes
test_distances
test_ports
test_wiring
test_dead_switch_port
test_cable
test_hot_remove
test_netstamp_key_held
exit "$EXIT_STATUS"
