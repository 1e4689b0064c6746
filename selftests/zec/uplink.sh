#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=420
#
# zec0 as the uplink of a hypervisor's virtual switch, in lag and in
# independent mode, for each way a VM's traffic reaches it:
#
#   ovs     Open vSwitch, kernel datapath: zec0 and the VMs' taps are ports
#   vlan    a VLAN-aware bridge: the VMs untagged on VLAN 10, zec0 a trunk
#   routed  no bridge: the host routes each VM's /32 onto zec0, proxy ARP
#           on both sides (the VMs and the switch share 192.0.2.0/24)
#   vxlan   a VXLAN device over zec0 (underlay 198.51.100.0/24), the VMs
#           bridged into it; its peer in the switch, on br0
#   geneve  the same with Geneve
#
# The VMs are vms.sh's: netns vm0 and vm1, each behind a veth whose frames
# are handled on its node's CPUs, as a vhost worker pinned there would.
# vm1 pings the switch's 192.0.2.254 with frames of 1500 bytes, DF set.
# Its traffic must leave through node 1's port n1p0. Where the host sends
# it from zec0's own MAC (routed and the overlays) in independent mode,
# n1p0 sends it from its own MAC and the fabric must keep zec0's behind
# the receive port n0p0 (Documentation/datapath.md, "Independent mode:
# the switch side"). Then that port's cable is pulled (both ends, as a
# real cable) and the pings must go on through the other port; then it is
# plugged back.
#
# MTU: zec0 has 1550 (its ports follow it and refuse an MTU of their own)
# and so has the fabric; the tunnels derive 1500 from it, so the VMs keep
# 1500 (Documentation/datapath.md, "MTU with overlays").
#
# The fabric: br0 in netns switch, over a static LAG of the switch ports
# in lag mode (fabric_lag_setup), over the ports themselves in independent
# mode (switch_br0).

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"
. "$(dirname "$0")/../vms.sh"
. "$(dirname "$0")/../ovs.sh"

MODES=(lag independent)
KINDS=(ovs vlan routed vxlan geneve)
PINGS=10
UNDERLAY_MTU=1550
VM_MTU=1500
VLAN=10
VNI=42
HOST_VTEP=198.51.100.1
SWITCH_VTEP=198.51.100.254
OVS_DIR=/tmp/zec-uplink-ovs
ZEC_ADDR6=2001:db8::1
SWITCH_ADDR6=2001:db8::fe

link_mtu()
{
	ip -j link show dev "$1" | jq '.[0].mtu'
}

link_addr()
{
	ip -j link show dev "$1" | jq -r '.[0].address'
}

# switch_addr_to DEV: the switch's SWITCH_ADDR on DEV (up), not on br0.
switch_addr_to()
{
	{
		echo "addr del $SWITCH_ADDR/24 dev br0"
		echo "addr add $SWITCH_ADDR/24 dev $1"
		echo "link set $1 up"
	} | ip -n switch -batch - || return 1
	defer ip -n switch addr replace "$SWITCH_ADDR/24" dev br0
}

uplink_ovs()
{
	"${OVS_VSCTL[@]}" add-br ovsbr -- add-port ovsbr zec0 \
		-- add-port ovsbr tap-vm0 -- add-port ovsbr tap-vm1 || return 1
	defer "${OVS_VSCTL[@]}" del-br ovsbr
}

uplink_vlan()
{
	local vm

	vms_bridge zec0 vlan_filtering 1 || return 1
	{
		for vm in 0 1; do
			echo "vlan del dev tap-vm$vm vid 1"
			echo "vlan add dev tap-vm$vm vid $VLAN pvid untagged"
		done
		echo "vlan add dev zec0 vid $VLAN"
	} | bridge -batch - || return 1
	ip -n switch link add link br0 name "br0.$VLAN" type vlan id "$VLAN" ||
		return 1
	defer ip -n switch link del "br0.$VLAN"
	switch_addr_to "br0.$VLAN"
}

uplink_routed()
{
	local vm dev proxy=() undo=()

	for dev in zec0 tap-vm0 tap-vm1; do
		proxy+=("net.ipv4.conf.$dev.proxy_arp=1"
			"net.ipv4.neigh.$dev.proxy_delay=0")
		undo+=("net.ipv4.conf.$dev.proxy_arp=0")
	done
	sysctl -qw net.ipv4.ip_forward=1 "${proxy[@]}" || return 1
	defer sysctl -qw net.ipv4.ip_forward=0 "${undo[@]}"
	ip addr add "$ZEC_ADDR/32" dev zec0 || return 1
	defer ip addr del "$ZEC_ADDR/32" dev zec0
	ip route add "$SWITCH_ADDR/32" dev zec0 || return 1
	defer ip route del "$SWITCH_ADDR/32" dev zec0
	for vm in 0 1; do
		ip route add "${VM_ADDR[vm]}/32" dev "tap-vm$vm" || return 1
		defer ip route del "${VM_ADDR[vm]}/32" dev "tap-vm$vm"
	done
}

# uplink_tunnel KIND: a KIND (vxlan, geneve) device ovl0 on each side,
# the host's with zec0 as its underlay and the VMs bridged into it.
uplink_tunnel()
{
	local kind=$1 args host_dev=() switch_dev=()

	case $kind in
	vxlan)
		args=(id "$VNI" dstport 4789)
		# VXLAN takes its MTU from the device named, Geneve from
		# the route to its remote: once, when it is made.
		host_dev=(dev zec0)
		switch_dev=(dev br0) ;;
	geneve)
		args=(id "$VNI") ;;
	esac
	ip addr add "$HOST_VTEP/24" dev zec0 || return 1
	defer ip addr del "$HOST_VTEP/24" dev zec0
	ip -n switch addr add "$SWITCH_VTEP/24" dev br0 || return 1
	defer ip -n switch addr del "$SWITCH_VTEP/24" dev br0
	ip link add ovl0 type "$kind" "${args[@]}" "${host_dev[@]}" \
		remote "$SWITCH_VTEP" || return 1
	defer ip link del ovl0
	ip -n switch link add ovl0 type "$kind" "${args[@]}" "${switch_dev[@]}" \
		remote "$HOST_VTEP" || return 1
	defer ip -n switch link del ovl0
	switch_addr_to ovl0 && vms_bridge ovl0
}

# neigh_forget: every namespace forgets the neighbours the last uplink
# taught it. The switch's address moves between devices of other MACs
# (br0, ovl0, proxy ARP by the host), and a stale entry would hold vm1's
# pings for up to a minute (base_reachable_time, then unicast probes).
neigh_forget()
{
	local ns

	for ns in vm0 vm1 switch; do
		ip -n "$ns" neigh flush all || return 1
	done
	ip neigh flush dev zec0
}

# uplink KIND: zec0 the uplink of a KIND, the VMs on it.
uplink()
{
	case $1 in
	vxlan | geneve) uplink_tunnel "$1" ;;
	*) "uplink_$1" ;;
	esac && neigh_forget
}

# reaches_zec0 MAC: whether (1 or 0) a frame from MAC to zec0's, sent
# into the fabric, reaches zec0.
reaches_zec0()
{
	local mac

	mac=$(link_addr zec0)
	frames_reach env zec0 "$mac" 1 \
		in_switch /usr/bin/python3 "$MACS" send from --dev br0 \
		--base "$1" --count 1 --peer "$mac"
}

# host_sends KIND: the host sends KIND's traffic from zec0's own MAC.
host_sends()
{
	case $1 in
	routed | vxlan | geneve) return 0 ;;
	esac
	return 1
}

# cable PORT on|off: both ends of PORT's cable.
cable()
{
	zec_cable "$1" "$2" && zec_cable "sw-$1" "$2"
}

vm1_ping()
{
	in_vm 1 ping -q -M "do" -s $((VM_MTU - 28)) "$@" "$SWITCH_ADDR"
}

vm1_reaches()
{
	vm1_ping -c 1 -W 1 > /dev/null
}

# vm1_pings: PINGS full-size pings from vm1, every one answered.
vm1_pings()
{
	[[ $(vm1_ping -c "$PINGS" -i 0.05 -W 2) == *" $PINGS received"* ]]
}

# test_uplink MODE KIND
test_uplink()
{
	local name="$1 $2" port=n1p0 other=n0p0 sent other_sent
	busywait 10000 vm1_reaches
	check_err $? "vm1 cannot reach the switch"
	sent=$(zec_sent "$port")
	other_sent=$(zec_sent "$other")
	vm1_pings
	check_err $? "not every one of $PINGS pings from vm1 answered"
	sent=$(($(zec_sent "$port") - sent))
	other_sent=$(($(zec_sent "$other") - other_sent))
	[ "$sent" -ge "$PINGS" ] && [ "$other_sent" -lt "$PINGS" ]
	check_err $? "$PINGS pings from vm1: $port sent $sent frames, $other $other_sent"
	log_test "$name: vm1 leaves by $port"

	if [ "$1" = independent ] && host_sends "$2"; then
		fabric_has "$(link_addr zec0)" "sw-$other" &&
			fabric_has "${ORIG_ADDR[$port]}" "sw-$port"
		check_err $? "fabric has zec0's MAC behind '$(fabric_port "$(link_addr zec0)")', $port's ${ORIG_ADDR[$port]} behind '$(fabric_port "${ORIG_ADDR[$port]}")'"
		log_test "$name: $port sends from its own MAC, zec0's stays behind $other"
	fi

	cable "$port" off
	check_err $? "cannot pull $port's cable"
	# zec fails over when linkwatch reports the carrier, up to 1 s later.
	busywait 5000 vm1_reaches
	check_err $? "vm1 cannot reach the switch with $port's cable pulled"
	other_sent=$(zec_sent "$other")
	vm1_pings
	check_err $? "not every one of $PINGS pings answered with $port's cable pulled"
	other_sent=$(($(zec_sent "$other") - other_sent))
	[ "$other_sent" -ge "$PINGS" ]
	check_err $? "$PINGS pings from vm1 with $port's cable pulled: $other sent $other_sent frames"
	cable "$port" on
	busywait 5000 zec_port_up "$port"
	check_err $? "$port not up again after its cable was plugged back"
	log_test "$name: $port's cable pulled, vm1 goes on by $other"
}

# test_reflection: the receive side of a port's own MAC: the fabric
# reflecting a frame n1p0 sent from it back to zec0 reaches nothing, where
# the same frame from another MAC does.
test_reflection()
{
	[ "$(reaches_zec0 02:00:00:00:99:01)" = 1 ]
	check_err $? "a frame from 02:00:00:00:99:01 to zec0 did not reach zec0"
	[ "$(reaches_zec0 "${ORIG_ADDR[n1p0]}")" = 0 ]
	check_err $? "a frame from n1p0's own MAC to zec0 reached zec0"
	log_test "independent: a frame from n1p0's own MAC is dropped on the way in"
}

# na_send N: N unsolicited neighbour advertisements of ZEC_ADDR6 to
# SWITCH_ADDR6, from a CPU of node 1.
na_send()
{
	# shellcheck disable=SC2016 # the Python program, not shell
	taskset -c "$(node_cpus 1)" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
na = bytes([136, 0, 0, 0, 0x20, 0, 0, 0]) + \
    socket.inet_pton(socket.AF_INET6, sys.argv[1])
for _ in range(int(sys.argv[3])):
    s.sendto(na, (sys.argv[2], 0))
' "$ZEC_ADDR6" "$SWITCH_ADDR6" "$1"
}

# test_nd: the host's unicast neighbour advertisements sent on node 1
# leave by the receive port from zec0's MAC, as its ARP does.
test_nd()
{
	local mac sent other_sent

	mac=$(ip -n switch -j link show br0 | jq -r '.[0].address')
	sysctl -qw net.ipv6.conf.zec0.disable_ipv6=0 &&
		defer sysctl -qw net.ipv6.conf.zec0.disable_ipv6=1 &&
		ip addr add "$ZEC_ADDR6/64" dev zec0 nodad &&
		ip -6 neigh replace "$SWITCH_ADDR6" lladdr "$mac" dev zec0 \
			nud permanent
	check_err $? "cannot give zec0 an IPv6 address and neighbour"
	sent=$(zec_sent n0p0)
	other_sent=$(zec_sent n1p0)
	na_send "$PINGS"
	check_err $? "cannot send neighbour advertisements"
	sent=$(($(zec_sent n0p0) - sent))
	other_sent=$(($(zec_sent n1p0) - other_sent))
	[ "$sent" -ge "$PINGS" ] && [ "$other_sent" -lt "$PINGS" ]
	check_err $? "$PINGS neighbour advertisements from node 1: n0p0 sent $sent frames, n1p0 $other_sent"
	log_test "independent: zec0's neighbour advertisements from node 1 leave by n0p0"
}

# test_learning: the fabric, made to forget zec0's MAC, has it behind the
# receive port again within 3 s: nothing else sends from it meanwhile
# but the receive port's learning frames.
test_learning()
{
	local mac

	mac=$(link_addr zec0)
	bridge -n switch fdb del "$mac" dev sw-n0p0 master
	check_err $? "cannot make the fabric forget zec0's MAC"
	busywait 3000 fabric_has "$mac" sw-n0p0
	check_err $? "fabric has zec0's MAC behind '$(fabric_port "$mac")' 3 s after forgetting it"
	log_test "independent: the fabric learns zec0's MAC behind n0p0 again from its learning frames"
}

# test_addr_swap: with zec0's MAC set to n1p0's own, n1p0 sends from the
# receive port's instead (the receive port sends from zec0's).
test_addr_swap()
{
	local addr

	addr=$(link_addr zec0)
	ip link set zec0 address "${ORIG_ADDR[n1p0]}"
	check_err $? "cannot set zec0's MAC to n1p0's"
	defer ip link set zec0 address "$addr"
	neigh_forget
	busywait 10000 vm1_reaches && vm1_pings
	check_err $? "vm1's pings not all answered after zec0's MAC changed"
	fabric_has "${ORIG_ADDR[n1p0]}" sw-n0p0 &&
		fabric_has "${ORIG_ADDR[n0p0]}" sw-n1p0
	check_err $? "fabric has zec0's MAC behind '$(fabric_port "${ORIG_ADDR[n1p0]}")', n0p0's behind '$(fabric_port "${ORIG_ADDR[n0p0]}")'"
	log_test "independent: zec0 with n1p0's MAC: n1p0 sends from n0p0's"
}

# mode_setup MODE: zec0 in MODE at UNDERLAY_MTU, up, no address, and the
# fabric of MODE at UNDERLAY_MTU.
mode_setup()
{
	local port

	# shellcheck disable=SC2046 # a word per port
	zec_create $(zec_ports) &&
		"$ZECCTL" dev set zec0 mode "$1" &&
		ip link set zec0 mtu "$UNDERLAY_MTU" &&
		ip link set zec0 up || return 1
	if [ "$1" = lag ]; then
		# lag0's ports take its MTU, and give theirs back on release.
		fabric_lag_setup &&
			ip -n switch link set lag0 mtu "$UNDERLAY_MTU"
		return
	fi
	switch_br0 || return 1
	for port in $(zec_ports); do
		ip -n switch link set "sw-$port" mtu "$UNDERLAY_MTU" || return 1
		defer ip -n switch link set "sw-$port" mtu "$VM_MTU"
	done
}

test_mtu()
{
	local port

	for port in $(zec_ports); do
		[ "$(link_mtu "$port")" = "$UNDERLAY_MTU" ]
		check_err $? "$port has MTU $(link_mtu "$port") under zec0's $UNDERLAY_MTU"
	done
	ip link set n0p0 mtu "$VM_MTU" 2> /dev/null
	check_fail $? "n0p0 took an MTU of its own"
	[ "$(link_mtu n0p0)" = "$UNDERLAY_MTU" ]
	check_err $? "n0p0 has MTU $(link_mtu n0p0) after refusing $VM_MTU"
	log_test "zec0 MTU $UNDERLAY_MTU: its ports take it and keep it"
}

# test_tunnel_mtu KIND: ovl0 took the underlay's MTU less the headers.
test_tunnel_mtu()
{
	[ "$(link_mtu ovl0)" = "$VM_MTU" ]
	check_err $? "$1 over zec0 at $UNDERLAY_MTU has MTU $(link_mtu ovl0), not $VM_MTU"
	log_test "$1 over zec0 at MTU $UNDERLAY_MTU: MTU $VM_MTU"
}

command -v ovs-vswitchd > /dev/null ||
	skip_all "no ovs-vswitchd (Debian's openvswitch-switch: scripts/deps.sh)"
modprobe openvswitch || fail_all "cannot load the openvswitch module"
ovs_start || fail_all "cannot start ovsdb-server and ovs-vswitchd: $(tail -n 3 "$OVS_DIR"/*.log)"
vms_create || fail_all "cannot make the VMs"
# Each port's MAC before it joins zec0 (it takes zec0's while a port).
declare -A ORIG_ADDR
for port in $(zec_ports); do
	ORIG_ADDR[$port]=$(link_addr "$port")
done

for mode in "${MODES[@]}"; do
	mode_mark=$(defer_mark)
	mode_setup "$mode" || fail_all "$mode: setup failed"
	[ "$mode" = "${MODES[0]}" ] && test_mtu
	for kind in "${KINDS[@]}"; do
		kind_mark=$(defer_mark)
		if ! uplink "$kind"; then
			check_err 1 "cannot set up $kind over zec0"
			log_test "$mode $kind: setup"
		else
			[ "$mode" = "${MODES[0]}" ] && [ -e /sys/class/net/ovl0 ] &&
				test_tunnel_mtu "$kind"
			test_uplink "$mode" "$kind"
			if [ "$mode $kind" = "independent routed" ]; then
				test_reflection
				test_learning
				test_nd
				test_addr_swap
			fi
		fi
		defer_run_since "$kind_mark"
	done
	defer_run_since "$mode_mark"
done
exit "$EXIT_STATUS"
