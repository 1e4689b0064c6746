#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=420
# zec-vm: nodes=2 nics-per-node=2 timeout=420
#
# Independent mode with VMs behind zec0, the layout zec is for (vms.sh):
# two VMs on a bridge over zec0, each on its own node, IPv4 and IPv6 on,
# and a fabric that is one plain bridge over every switch port.
#
# Each VM's frames leave through its node's port and the fabric learns it
# there; the fabric floods a VM's broadcast back into zec0's other ports,
# and zec0 drops that reflection, so the VM stays on its tap on vmbr; the
# fabric's unicast to a VM arrives on that VM's node's port and reaches it,
# over IPv4 and IPv6; a broadcast from the fabric reaches each VM once;
# after a cable pull, 64 silent MACs behind vm1 (sources of frames sent
# from node 1's CPUs, macs.py) and vm1 itself are announced out of the
# port that serves node 1 now and are reachable again; after the restore
# they are back behind n1p0.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"
. "$(dirname "$0")/../vms.sh"

MON=/tmp/zec-independent-monitor.json
BCAST_PORT=5000
BCAST_COUNT=20
MOVED_MACS=64

setup()
{
	# shellcheck disable=SC2046 # a word per port
	zec_create $(zec_ports) &&
		"$ZECCTL" dev set zec0 mode independent &&
		vms_setup zec0 && fabric_setup
}

stat_at_least()
{
	[ "$(zec_stat "$1")" -ge "$2" ]
}

# rx_sum PORT...: frames PORTs received and zec0 delivered.
rx_sum()
{
	local port sum=0

	for port; do
		sum=$((sum + $(zec_stat "$port.rx_packets")))
	done
	echo "$sum"
}

# serving_port NODE: the port zec0 sends NODE's traffic through now.
serving_port()
{
	"$ZECCTL" -j show zec0 | jq -r ".[0].nodes[$1].ports[0]"
}

serving_port_is()
{
	[ "$(serving_port "$1")" = "$2" ]
}

all_behind()
{
	[ "$(fabric_count_behind "$1" 1 "$MOVED_MACS")" -eq "$MOVED_MACS" ]
}

# misplaced: vm1's MACs that vmbr has elsewhere than behind tap-vm1, for
# a failure's message (evaluated with every check: one bridge call).
misplaced()
{
	local macs

	macs=$(vm_macs_json 1 "$MOVED_MACS")
	bridge -j fdb show br vmbr |
		jq -r --argjson macs "$macs" '[.[] | select(.vlan == null and
			(.mac | IN($macs[])) and .ifname != "tap-vm1") |
			"\(.mac) on vmbr port \(.ifname)"] | join(", ")'
}

all_reached()
{
	[ "$(vm_macs_reached 1 "$MOVED_MACS")" -eq "$MOVED_MACS" ]
}

test_vm_egress()
{
	local vm cross=0 port

	for vm in 0 1; do
		in_vm "$vm" ping -q -c 3 -i 0.2 -W 2 "$SWITCH_ADDR" > /dev/null
		check_err $? "vm$vm cannot reach the fabric"
	done
	for port in $(zec_ports); do
		cross=$((cross + $(zec_stat "$port.tx_cross_node_packets")))
	done
	[ "$cross" -eq 0 ]
	check_err $? "$cross VM frames crossed nodes"
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
	# The fabric floods each back into zec0's other ports.
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
	local vm others rx other_rx

	for vm in 0 1; do
		others=$(zec_ports | grep -vx "n${vm}p0")
		rx=$(rx_sum "n${vm}p0")
		other_rx=$(rx_sum $others)
		ping_from_switch "${VM_ADDR[vm]}" 20
		check_err $? "fabric to vm$vm: not every ping answered"
		[ "$(rx_sum "n${vm}p0")" -ge $((rx + 20)) ]
		check_err $? "n${vm}p0 received $(($(rx_sum "n${vm}p0") - rx)) of 20 pings to vm$vm"
		[ "$(rx_sum $others)" -lt $((other_rx + 20)) ]
		check_err $? "$(echo $others) received $(($(rx_sum $others) - other_rx)) frames during 20 pings to vm$vm"
	done
	log_test "the fabric's unicast reaches each VM through its node's port"
}

vm_addr6_ready()
{
	ip -n "vm$1" -j addr show dev eth0 |
		jq -e --arg a "${VM_ADDR6[$1]}" '.[0].addr_info[] |
			select(.local == $a and (.tentative | not))' > /dev/null
}

test_ipv6()
{
	local vm

	for vm in 0 1; do
		busywait 5000 vm_addr6_ready "$vm"
		check_err $? "vm$vm: ${VM_ADDR6[vm]} did not leave tentative"
		ip -n "vm$vm" -j addr show dev eth0 | jq -e '.[0].addr_info[] | select(.dadfailed)' > /dev/null
		check_fail $? "vm$vm: duplicate address detection failed"
		ping_from_switch "${VM_ADDR6[vm]}" 5
		check_err $? "fabric cannot reach vm$vm over IPv6"
		[ "$(vmbr_port "${VM_MAC[vm]}")" = "tap-vm$vm" ]
		check_err $? "vmbr has vm$vm behind '$(vmbr_port "${VM_MAC[vm]}")' with IPv6 on"
	done
	log_test "IPv6: addresses pass DAD, NS/NA/MLD leave the VMs in place"
}

udp_bound()
{
	in_vm "$1" ss -Hlun "sport = :$BCAST_PORT" | grep -q .
}

# broadcast_once: each VM receives each of BCAST_COUNT broadcasts from the
# fabric once; checks, for the log_test of the caller.
broadcast_once()
{
	local vm pids=() result

	for vm in 0 1; do
		in_vm "$vm" /usr/bin/python3 "$UDP" recv \
			--port "$BCAST_PORT" --duration $((30 * ZEC_TIME_SCALE)) \
			> "/tmp/zec-independent-vm$vm.json" &
		pids+=($!)
		defer reap "$!"
		defer rm -f "/tmp/zec-independent-vm$vm.json"
	done
	for vm in 0 1; do
		busywait 10000 udp_bound "$vm"
		check_err $? "vm$vm: no receiver on port $BCAST_PORT"
	done
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
}

test_fabric_broadcast()
{
	local dups

	dups=$(zec_stat rx_flood_duplicates)
	broadcast_once
	[ "$(zec_stat rx_flood_duplicates)" -ge $((dups + BCAST_COUNT)) ]
	check_err $? "rx_flood_duplicates grew by $(($(zec_stat rx_flood_duplicates) - dups)) with $BCAST_COUNT broadcasts"
	log_test "a broadcast from the fabric reaches each VM once"
}

rx_port_active()
{
	[ "$("$ZECCTL" -j show zec0 | jq -r '.[0].rx_port_active')" = "$1" ]
}

test_rx_port()
{
	local dups

	rx_port_active n0p0
	check_err $? "receive port is $("$ZECCTL" -j show zec0 | jq -c '.[0].rx_port_active'), not n0p0"
	"$ZECCTL" -j monitor > "$MON" 2>&1 &
	defer reap "$!"
	defer rm -f "$MON"
	busywait 15000 poke_monitor 3 2
	check_err $? "no config event from the monitor"
	"$ZECCTL" dev set zec0 rxport n1p0
	check_err $? "zecctl dev set zec0 rxport n1p0 failed"
	rx_port_active n1p0
	check_err $? "receive port is $("$ZECCTL" -j show zec0 | jq -c '.[0].rx_port_active') after rxport n1p0"
	busywait 5000 monitor_event '.event == "rx-port" and .from == "n0p0" and .to == "n1p0"'
	check_err $? "no rx-port event from n0p0 to n1p0: $(grep rx-port "$MON")"
	dups=$(zec_stat n1p0.rx_flood_duplicates)
	broadcast_once
	[ "$(zec_stat n1p0.rx_flood_duplicates)" -eq "$dups" ]
	check_err $? "n1p0, the receive port, dropped $(($(zec_stat n1p0.rx_flood_duplicates) - dups)) broadcasts"
	"$ZECCTL" dev set zec0 rxport auto
	check_err $? "zecctl dev set zec0 rxport auto failed"
	rx_port_active n0p0
	check_err $? "receive port is $("$ZECCTL" -j show zec0 | jq -c '.[0].rx_port_active') after rxport auto"
	log_test "zecctl dev set rxport moves the receive port, with an event"
}

# macs_show: zecctl's view of vm1's MACs: "COUNT NODE PORT" for each node
# and port they are listed with.
macs_show()
{
	local macs

	macs=$(vm_macs_json 1 "$MOVED_MACS")
	"$ZECCTL" -j macs zec0 |
		jq -r --argjson macs "$macs" '.[0].macs[] |
			select(.mac | IN($macs[])) | "\(.node) \(.port)"' |
		sort | uniq -c | awk '{ print $1, $2, $3 }'
}

test_silent_vm_failover()
{
	local start moved reached survivor

	vm_macs_send 1 "$MOVED_MACS"
	check_err $? "cannot send from vm1's MACs"
	busywait 2000 all_behind sw-n1p0
	check_err $? "fabric has $(fabric_count_behind sw-n1p0 1 "$MOVED_MACS") of $MOVED_MACS MACs behind sw-n1p0"
	all_reached
	check_err $? "frames from the fabric reach $(vm_macs_reached 1 "$MOVED_MACS") of $MOVED_MACS MACs"
	[ "$(macs_show)" = "$MOVED_MACS 1 n1p0" ]
	check_err $? "zecctl macs: $(macs_show)"
	log_test "$MOVED_MACS MACs behind vm1 reachable, behind sw-n1p0, in zecctl macs"

	start=$(zec_ms)
	zec_cable n1p0 off
	# zec fails over when linkwatch reports the carrier, up to 1 s later.
	busywait 3000 not serving_port_is 1 n1p0
	survivor=$(serving_port 1)
	busywait 5000 all_behind "sw-$survivor"
	check_err $? "fabric has $(fabric_count_behind "sw-$survivor" 1 "$MOVED_MACS") of $MOVED_MACS silent MACs behind sw-$survivor"
	moved=$(($(zec_ms) - start))
	busywait 10000 all_reached
	check_err $? "frames reach $(vm_macs_reached 1 "$MOVED_MACS") of $MOVED_MACS MACs after the pull; $(misplaced)"
	reached=$(($(zec_ms) - start))
	ping_from_switch "${VM_ADDR[1]}" 3
	check_err $? "fabric cannot reach silent vm1 after the pull"
	[ "$(zec_stat "$survivor.announcements")" -ge "$MOVED_MACS" ]
	check_err $? "$survivor sent $(zec_stat "$survivor.announcements") announcements"
	[ "$(macs_show)" = "$MOVED_MACS 1 $survivor" ]
	check_err $? "zecctl macs after the pull: $(macs_show)"
	log_test "cable pull: $MOVED_MACS MACs move to $survivor in ${moved} ms, all reached by ${reached} ms"

	start=$(zec_ms)
	zec_cable n1p0 on
	busywait 5000 all_behind sw-n1p0
	check_err $? "fabric has $(fabric_count_behind sw-n1p0 1 "$MOVED_MACS") of $MOVED_MACS MACs behind sw-n1p0 after the restore"
	moved=$(($(zec_ms) - start))
	busywait 10000 all_reached
	check_err $? "frames reach $(vm_macs_reached 1 "$MOVED_MACS") of $MOVED_MACS MACs after the restore; $(misplaced)"
	ping_from_switch "${VM_ADDR[1]}" 3
	check_err $? "fabric cannot reach vm1 after the restore"
	[ "$(vmbr_port "${VM_MAC[1]}")" = tap-vm1 ]
	check_err $? "vmbr has vm1 behind '$(vmbr_port "${VM_MAC[1]}")' after the restore"
	log_test "cable restore: the $MOVED_MACS MACs back behind n1p0 in ${moved} ms"
}

# The device goes away, and the module with it, while the port that lost
# its cable has its MACs announced (16 rounds, 10 s apart: the work is
# still queued): no announcement outlives the device.
test_delete_while_announcing()
{
	local sent

	"$ZECCTL" dev set zec0 announce 16 announce-interval 10s
	check_err $? "zecctl dev set zec0 announce 16 announce-interval 10s failed"
	sent=$(zec_stat announcements)
	zec_cable n1p0 off
	busywait 3000 stat_at_least announcements $((sent + 1))
	check_err $? "zec0 announced nothing after the pull"
	ip link del zec0
	check_err $? "cannot delete zec0 while it announces"
	zec_cable n1p0 on
	modprobe -r zec
	check_err $? "cannot unload zec after deleting zec0: $(lsmod | grep '^zec')"
	log_test "zec0 deleted while announcing, module unloaded"
}

setup || fail_all "setup failed"
test_vm_egress
test_vm_broadcast
test_fabric_unicast
test_ipv6
test_fabric_broadcast
test_rx_port
test_silent_vm_failover
test_delete_while_announcing
exit "$EXIT_STATUS"
