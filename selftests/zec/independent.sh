#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=420
#
# Independent mode with VMs behind zec0, the layout zec is for: two "VMs"
# (network namespaces) on a bridge over zec0, each sending from a CPU of
# its own node, and a fabric that is one plain bridge over both switch
# ports, no LAG.
#
#   netns vm0 ── tap-vm0 ─┐
#   netns vm1 ── tap-vm1 ─┴─ vmbr ── zec0 ─┬─ n0p0 ══ sw-n0p0 ─┐
#                                          └─ n1p0 ══ sw-n1p0 ─┴─ br0 (netns switch)
#
# Each VM's frames leave through its node's port and the fabric learns it
# there; the fabric floods a VM's broadcast back into zec0's other port,
# and zec0 drops that reflection, so the VM stays on its tap on vmbr; the
# fabric's unicast to a VM arrives on that VM's node's port and reaches it;
# a broadcast from the fabric reaches each VM once; after a cable pull the
# MAC of a silent VM is announced out of the surviving port and the VM is
# reachable again; after the restore it is back on its node's port.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

VM_MAC=(02:00:00:00:10:00 02:00:00:00:10:01)
VM_ADDR=(192.0.2.10 192.0.2.11)
BCAST_PORT=5000
BCAST_COUNT=20

# cpu_mask LIST: the hex CPU mask of a CPU list such as "2-3".
cpu_mask()
{
	local range first last cpu mask=0

	for range in ${1//,/ }; do
		first=${range%-*}
		last=${range#*-}
		for ((cpu = first; cpu <= last; cpu++)); do
			mask=$((mask | 1 << cpu))
		done
	done
	printf '%x\n' "$mask"
}

in_vm()
{
	local vm=$1
	shift

	taskset -c "$(node_cpus "$vm")" ip netns exec "vm$vm" "$@"
}

vm_setup()
{
	local vm port

	sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	defer sysctl -qw net.ipv6.conf.default.disable_ipv6=0
	ip link add zec0 type zec || return 1
	defer ip link del zec0
	"$ZECCTL" dev set zec0 mode independent || return 1
	for port in n0p0 n1p0; do
		ip link set dev "$port" master zec0 || return 1
	done
	ip link add vmbr address 02:00:00:00:0b:01 type bridge || return 1
	defer ip link del vmbr
	for vm in 0 1; do
		ip netns add "vm$vm" || return 1
		defer ip netns del "vm$vm"
		ip netns exec "vm$vm" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
		{
			echo "link add tap-vm$vm type veth peer name eth0 netns vm$vm"
			echo "link set tap-vm$vm master vmbr"
			echo "link set tap-vm$vm up"
		} | ip -batch - || return 1
		# What the VM answers, it answers from its node's CPUs, as
		# from a vhost worker pinned there.
		ip netns exec "vm$vm" sh -c "echo $(cpu_mask "$(node_cpus "$vm")") > /sys/class/net/eth0/queues/rx-0/rps_cpus" ||
			return 1
		{
			echo "link set lo up"
			echo "link set eth0 address ${VM_MAC[vm]}"
			echo "addr add ${VM_ADDR[vm]}/24 dev eth0"
			echo "link set eth0 up"
		} | ip -n "vm$vm" -batch - || return 1
	done
	ip link set zec0 master vmbr && ip link set zec0 up &&
		ip link set vmbr up || return 1
	switch_bridge vmbr
}

# fabric_port MAC: the switch port the fabric has MAC behind, if any.
fabric_port()
{
	bridge -n switch -j fdb show br br0 |
		jq -r --arg mac "$1" '.[] | select(.mac == $mac and (.vlan == null)) | .ifname'
}

# vmbr_port MAC: the port of the VMs' bridge that has MAC behind it.
vmbr_port()
{
	bridge -j fdb show br vmbr |
		jq -r --arg mac "$1" '.[] | select(.mac == $mac and (.vlan == null)) | .ifname'
}

stat_at_least()
{
	[ "$(zec_stat "$1")" -ge "$2" ]
}

fabric_has()
{
	[ "$(fabric_port "$1")" = "$2" ]
}

# ping_from_switch VM COUNT: the fabric reaches VM, COUNT replies of COUNT.
ping_from_switch()
{
	in_switch ping -q -c "$2" -i 0.05 -W 2 "${VM_ADDR[$1]}" > /dev/null
}

test_vm_egress()
{
	local vm

	for vm in 0 1; do
		in_vm "$vm" ping -q -c 3 -i 0.2 -W 2 "$SWITCH_ADDR" > /dev/null
		check_err $? "vm$vm cannot reach the fabric"
	done
	[ "$(zec_stat n0p0.tx_cross_node_packets)" -eq 0 ] &&
		[ "$(zec_stat n1p0.tx_cross_node_packets)" -eq 0 ]
	check_err $? "VM frames crossed nodes: $(zec_stat n0p0.tx_cross_node_packets) via n0p0, $(zec_stat n1p0.tx_cross_node_packets) via n1p0"
	[ "$(zec_stat n1p0.tx_local_packets)" -ge 3 ]
	check_err $? "n1p0 sent $(zec_stat n1p0.tx_local_packets) frames of vm1"
	for vm in 0 1; do
		fabric_has "${VM_MAC[vm]}" "sw-n${vm}p0"
		check_err $? "fabric has vm$vm behind '$(fabric_port "${VM_MAC[vm]}")', not sw-n${vm}p0"
	done
	log_test "each VM leaves by its node's port; the fabric learns it there"
}

test_vm_broadcast()
{
	local vm reflections

	reflections=$(zec_stat rx_reflections)
	for vm in 0 1; do
		in_vm "$vm" /usr/bin/python3 "$UDP" send --broadcast \
			--dst 192.0.2.255 --dport "$BCAST_PORT" --count 5 > /dev/null
		check_err $? "vm$vm cannot send a broadcast"
	done
	# The fabric floods each back into zec0's other port.
	busywait 2000 stat_at_least rx_reflections $((reflections + 10))
	check_err $? "zec0 dropped $(($(zec_stat rx_reflections) - reflections)) reflections of 10 broadcasts"
	for vm in 0 1; do
		[ "$(vmbr_port "${VM_MAC[vm]}")" = "tap-vm$vm" ]
		check_err $? "vmbr has vm$vm behind '$(vmbr_port "${VM_MAC[vm]}")'"
	done
	log_test "a VM's broadcast, reflected by the fabric, does not move it"
}

test_fabric_unicast()
{
	local vm other rx other_rx

	for vm in 0 1; do
		other=n$((1 - vm))p0
		rx=$(zec_stat "n${vm}p0.rx_packets")
		other_rx=$(zec_stat "$other.rx_packets")
		ping_from_switch "$vm" 20
		check_err $? "fabric to vm$vm: not every ping answered"
		[ "$(zec_stat "n${vm}p0.rx_packets")" -ge $((rx + 20)) ]
		check_err $? "n${vm}p0 received $(($(zec_stat "n${vm}p0.rx_packets") - rx)) of 20 pings to vm$vm"
		[ "$(zec_stat "$other.rx_packets")" -lt $((other_rx + 20)) ]
		check_err $? "$other received $(($(zec_stat "$other.rx_packets") - other_rx)) frames during 20 pings to vm$vm"
	done
	log_test "the fabric's unicast reaches each VM through its node's port"
}

test_fabric_broadcast()
{
	local vm pids=() result

	for vm in 0 1; do
		ip netns exec "vm$vm" /usr/bin/python3 "$UDP" recv \
			--port "$BCAST_PORT" --duration $((30 * ZEC_TIME_SCALE)) \
			> "/tmp/zec-independent-vm$vm.json" &
		pids+=($!)
		defer reap "$!"
	done
	sleep 1
	in_switch /usr/bin/python3 "$UDP" send --broadcast --dst 192.0.2.255 \
		--dport "$BCAST_PORT" --count "$BCAST_COUNT" \
		--interval-us 20000 --done > /dev/null
	for vm in 0 1; do
		wait "${pids[vm]}"
		result=$(cat "/tmp/zec-independent-vm$vm.json")
		jq -e --argjson n "$BCAST_COUNT" \
			'.received == $n and .duplicates == 0' <<<"$result" > /dev/null
		check_err $? "vm$vm: $result"
	done
	[ "$(zec_stat rx_flood_duplicates)" -ge "$BCAST_COUNT" ]
	check_err $? "rx_flood_duplicates $(zec_stat rx_flood_duplicates) after $BCAST_COUNT broadcasts"
	log_test "a broadcast from the fabric reaches each VM once"
}

test_silent_vm_failover()
{
	local start moved

	start=$(zec_ms)
	zec_cable n1p0 off
	busywait 3000 fabric_has "${VM_MAC[1]}" sw-n0p0
	check_err $? "fabric still has silent vm1 behind '$(fabric_port "${VM_MAC[1]}")'"
	moved=$(($(zec_ms) - start))
	ping_from_switch 1 5
	check_err $? "fabric cannot reach vm1 after the cable pull"
	[ "$(zec_stat n0p0.announcements)" -ge 1 ]
	check_err $? "n0p0 sent $(zec_stat n0p0.announcements) announcements"
	log_test "cable pull: silent vm1 announced via n0p0, reachable (${moved} ms)"

	start=$(zec_ms)
	zec_cable n1p0 on
	busywait 5000 fabric_has "${VM_MAC[1]}" sw-n1p0
	check_err $? "fabric has vm1 behind '$(fabric_port "${VM_MAC[1]}")' after the restore"
	moved=$(($(zec_ms) - start))
	ping_from_switch 1 5
	check_err $? "fabric cannot reach vm1 after the restore"
	[ "$(vmbr_port "${VM_MAC[1]}")" = tap-vm1 ]
	check_err $? "vmbr has vm1 behind '$(vmbr_port "${VM_MAC[1]}")' after the restore"
	log_test "cable restore: vm1 back behind n1p0 (${moved} ms)"
}

vm_setup || fail_all "setup failed"
test_vm_egress
test_vm_broadcast
test_fabric_unicast
test_fabric_broadcast
test_silent_vm_failover
exit "$EXIT_STATUS"
