# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # the names are for the scripts that source this
#
# "VMs" behind a master device, for the independent-mode and uplink tests
# and bench, sourced after lib.sh and datapath.sh: network namespaces vm0,
# vm1 on a bridge over the master (zec0, or bond0 to compare; uplink.sh
# also puts their taps elsewhere), whose frames are handled on their own
# node's CPUs as by a vhost worker pinned there, and a fabric that is one
# plain bridge over all switch ports, no LAG (or, for lag mode, over a
# static LAG of them).
#
#   netns vm0 ── tap-vm0 ─┐
#   netns vm1 ── tap-vm1 ─┴─ vmbr ── MASTER ─┬─ n0p0 ══ sw-n0p0 ─┐
#                                            └─ n1p0 ══ sw-n1p0 ─┴─ br0 (netns switch)

VM_MAC=(02:00:00:00:10:00 02:00:00:00:10:01)
VM_ADDR=(192.0.2.10 192.0.2.11)
VM_ADDR6=(2001:db8::10 2001:db8::11)
FABRIC_ADDR6=2001:db8::fe
MACS=$(dirname "${BASH_SOURCE[0]}")/macs.py

# in_vm VM CMD...: CMD in netns vmVM, on the CPUs of node VM.
in_vm()
{
	local vm=$1
	shift

	taskset -c "$(node_cpus "$vm")" nsenter --net="/run/netns/vm$vm" "$@"
}

# vm_pin_receive VM: all that vmVM sends is handled on the CPUs of node VM,
# as by a vhost worker pinned there, whichever CPU sent it: the VM's kernel
# sends from timers (ARP, ND, MLD) that fire on any CPU. tap-vmVM takes in
# through a NAPI of its own (veth does when GRO is on, and only for frames
# the sender did not leave to TSO), run by a thread pinned to the node.
# RPS would steer the frames too, but the softirq its IPI raises makes
# PREEMPT_RT 6.1 warn in do_softirq_post_smp_call_flush. veth makes a new
# NAPI thread, unpinned, when tap-vmVM goes down and up or GRO is turned
# off and on: call this again after that.
vm_pin_receive()
{
	local vm=$1 napi pins=0

	nsenter --net="/run/netns/vm$vm" ethtool -K eth0 tso off &&
		ethtool -K "tap-vm$vm" gro on &&
		echo 1 > "/sys/class/net/tap-vm$vm/threaded" || return 1
	for napi in $(pgrep "^napi/tap-vm$vm-"); do
		taskset -pc "$(node_cpus "$vm")" "$napi" > /dev/null || return 1
		pins=$((pins + 1))
	done
	[ "$pins" -gt 0 ] || {
		echo "vm_pin_receive: tap-vm$vm has no NAPI thread" >&2
		return 1
	}
}

# vms_create: the VMs, netns vm0 and vm1 with IPv4 and IPv6 (duplicate
# address detection on) on eth0, each cabled by a veth to tap-vm<N>, up
# and on no bridge yet.
vms_create()
{
	local vm

	for vm in 0 1; do
		ip netns add "vm$vm" || return 1
		defer ip netns del "vm$vm"
		{
			echo "link add tap-vm$vm type veth peer name eth0 netns vm$vm"
			echo "link set tap-vm$vm up"
		} | ip -batch - || return 1
		vm_pin_receive "$vm" || return 1
		{
			echo "link set lo up"
			echo "link set eth0 address ${VM_MAC[vm]}"
			echo "addr add ${VM_ADDR[vm]}/24 dev eth0"
			echo "addr add ${VM_ADDR6[vm]}/64 dev eth0"
			echo "link set eth0 up"
		} | ip -n "vm$vm" -batch - || return 1
	done
}

# vms_bridge MASTER [OPTION...]: vmbr, a bridge with OPTIONs (ip link's
# for type bridge), over the VMs' taps and MASTER (up, no address).
vms_bridge()
{
	local master=$1 vm
	shift

	ip link add vmbr address 02:00:00:00:0b:01 type bridge "$@" || return 1
	defer ip link del vmbr
	{
		for vm in 0 1; do
			echo "link set tap-vm$vm master vmbr"
		done
		echo "link set $master master vmbr"
		echo "link set $master up"
		echo "link set vmbr up"
	} | ip -batch -
}

# vms_setup MASTER: the VMs (vms_create) on vmbr over MASTER.
vms_setup()
{
	vms_create && vms_bridge "$1"
}

# fabric_setup: switch_br0, with FABRIC_ADDR6 too.
fabric_setup()
{
	switch_br0 || return 1
	in_switch sysctl -qw net.ipv6.conf.br0.disable_ipv6=0 &&
		ip -n switch addr add "$FABRIC_ADDR6/64" dev br0 nodad
}

# fabric_lag_setup: the fabric of lag mode, as an MLAG pair of top-of-rack
# switches is: br0 (switch_br0) over lag0, a static LAG (bonding's
# balance-xor, no LACP, carrier by miimon) of every switch port. A frame
# zec0 sends is never flooded back into its other ports.
fabric_lag_setup()
{
	local port

	for port in $(zec_ports); do
		defer ip -n switch link set "sw-$port" up
	done
	defer ip -n switch link del lag0
	{
		echo "link add lag0 type bond mode balance-xor miimon 50"
		for port in $(zec_ports); do
			# bonding takes no port that is up
			echo "link set sw-$port down"
			echo "link set sw-$port master lag0"
		done
		echo "link set lag0 up"
	} | ip -n switch -batch - && switch_br0 lag0
}

# vm_macs VM N: the N MACs that stand for VMs behind vmVM (macs.py).
vm_macs()
{
	local i

	for ((i = 0; i < $2; i++)); do
		printf '02:00:00:00:2%d:%02x\n' "$1" "$i"
	done
}

# vm_macs_json VM N: vm_macs as a JSON array, for jq's --argjson.
vm_macs_json()
{
	vm_macs "$1" "$2" | jq -R . | jq -s .
}

# vm_macs_send VM N: a frame from each of vmVM's N MACs to the fabric,
# sent from a CPU of node VM, as their VMs' vhost workers there would.
vm_macs_send()
{
	local fabric

	fabric=$(ip -n switch -j link show br0 | jq -r '.[0].address')
	in_vm "$1" /usr/bin/python3 "$MACS" send from --dev eth0 \
		--base "$(vm_macs "$1" 1)" --count "$2" --peer "$fabric"
}

# frames_reach WHERE DEV BASE N SEND...: of the N MACs from BASE, how
# many frames for them reach DEV, as macs.py recv run by the command
# prefix WHERE ("in_vm 1", "env" for the host) sees them while the
# command SEND... sends.
frames_reach()
{
	local where=$1 dev=$2 base=$3 count=$4 pid out=/tmp/zec-frames-reach

	shift 4
	# shellcheck disable=SC2086 # WHERE is a command and its arguments
	$where /usr/bin/python3 "$MACS" recv --dev "$dev" \
		--base "$base" --count "$count" --wait $((5 * ZEC_TIME_SCALE)) \
		--timeout $((2 * ZEC_TIME_SCALE)) > "$out" &
	pid=$!
	busywait 10000 grep -qx ready "$out" && "$@"
	wait "$pid"
	tail -n 1 "$out" | cut -d' ' -f1
	rm -f "$out"
}

# vm_macs_reached VM N: of vmVM's N MACs, how many one frame each from
# the fabric reaches.
vm_macs_reached()
{
	local base

	base=$(vm_macs "$1" 1)
	frames_reach "in_vm $1" eth0 "$base" "$2" \
		in_switch /usr/bin/python3 "$MACS" send to --dev br0 \
		--base "$base" --count "$2"
}

# fabric_port MAC: the switch port the fabric has MAC behind, if any.
fabric_port()
{
	bridge -n switch -j fdb show br br0 |
		jq -r --arg mac "$1" '.[] | select(.mac == $mac and .vlan == null) | .ifname'
}

fabric_has()
{
	[ "$(fabric_port "$1")" = "$2" ]
}

# fabric_count_behind PORT VM N: how many of vmVM's N MACs (vm_macs) the
# fabric has behind PORT.
fabric_count_behind()
{
	local port=$1 macs

	macs=$(vm_macs_json "$2" "$3")
	bridge -n switch -j fdb show br br0 |
		jq --arg port "$port" --argjson macs "$macs" '[.[] |
			select(.ifname == $port and .vlan == null and
			       (.mac | IN($macs[])))] | length'
}

# vmbr_port MAC: the port of the VMs' bridge that has MAC behind it.
vmbr_port()
{
	bridge -j fdb show br vmbr |
		jq -r --arg mac "$1" '.[] | select(.mac == $mac and .vlan == null) | .ifname'
}

# ping_from_switch ADDR COUNT: the fabric reaches ADDR, COUNT of COUNT.
ping_from_switch()
{
	in_switch ping -q -c "$2" -i 0.05 -W 2 "$1" > /dev/null
}
