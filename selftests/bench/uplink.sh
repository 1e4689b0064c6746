#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "uplink": what the uplink of a hypervisor's virtual switch costs a
# VM's packets, zec0 against a bond. In vm1 (selftests/vms.sh: netns vm1
# behind the veth tap-vm1, whose frames a NAPI thread pinned to node 1
# takes in, as a vhost worker pinned there would), a udpblast sender pinned
# to node 1's CPUs sends 18-byte datagrams (64-byte frames) over FLOWS
# connected sockets (source ports) to the switch's address, whose MAC is a
# static neighbour nobody owns, BENCH_UPLINK_RATE a second: below what
# every variant carries, so that vm1's veth does not drop what its ring to
# tap-vm1 cannot hold (the sender's work on a dropped frame would count in
# the figure, and drops differ between variants). They reach the uplink
#
#   ovs-UPLINK    through Open vSwitch, kernel datapath (daemons of the
#                 case's own, selftests/ovs.sh): bridge ovsbr with tap-vm1
#                 and the uplink as ports, fail-mode secure, one OpenFlow
#                 rule from the one to the other (one megaflow, no flooding)
#   vxlan-UPLINK  through a VXLAN device over the uplink (VNI 42, the
#                 switch's address its remote, the uplink's MTU 1550 as in
#                 zec/uplink.sh), bridged with tap-vm1 (vmbr, the switch's
#                 MAC static behind the VXLAN device)
#
# where UPLINK is a dut_setup variant (common.sh), by default over dummy
# ports (@dummy: a port's transmit only frees the packet, so the figure
# does not depend on a device's pace and repeats):
#
#   zec@dummy       zec0 in lag mode, the default (see benchmarks.md)
#   bond-xor@dummy  bond0 balance-xor layer3+4: the baseline of its path
#
# BENCH_VARIANTS (KIND-UPLINK words) picks others, over the virtio ports
# too (ovs-zec, vxlan-bond-xor). The figure is the instructions of the
# guest (all vCPUs) per frame the ports sent over BENCH_WINDOW seconds of
# steady sending (tx_window), which starts BENCH_WARMUP seconds after the
# first frames left (so OVS's upcall for the megaflow is before it); the
# sender's start and the setup are outside it. vm_rx is what tap-vm1 took
# in meanwhile, dropped what vm1's veth dropped because its ring to tap-vm1
# was full (frames whose sending is counted but which reach no port), from
# a little before the window to a little after it.
#
# The devices of each uplink are set up once a repetition, its two paths
# one after the other on it; the uplinks' and the paths' order turns each
# repetition. The OVS daemons and the VMs are set up once for the case.
set -euo pipefail

# Fewer repetitions than the other cases by default (an explicit BENCH_REPS
# wins): about 30 s each, and the bench must stay within 30 minutes.
: "${BENCH_REPS:=4}"
# Datagrams a second: about a quarter of what the slowest variant carried
# unpaced on the development machine under one TCG thread (38 000). At
# 20 000 vm1's veth still dropped up to 4 000 frames a window (the NAPI
# thread does not run for the 13 ms its ring holds), at 10 000 at most
# 300, and the figures repeat to about 0.5 %.
: "${BENCH_UPLINK_RATE:=10000}"
bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/vms.sh
. "$bench_dir/../vms.sh"
# shellcheck source=selftests/ovs.sh
. "$bench_dir/../ovs.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

FLOWS=8
SPORT=30000
VNI=42
UNDERLAY_MTU=1550
UDPBLAST=$bench_dir/../udpblast
OVS_DIR=/tmp/bench-uplink-ovs
IPV6_DEFAULT=/proc/sys/net/ipv6/conf/default/disable_ipv6

# ipv6_default 0|1: disable_ipv6 for devices made from now on (1: no
# IPv6). With IPv6,
# the bridges and tunnels the case makes would send router solicitations
# and MLD reports out of the uplink, into the figure. zec_create sets it
# too, and puts it back to 0 when zec0 goes.
ipv6_default()
{
	echo "$1" > "$IPV6_DEFAULT"
}

# path_ovs: ovsbr with the uplink DUT (OpenFlow port 1) and tap-vm1 (2),
# and one rule from 2 to 1.
path_ovs()
{
	"${OVS_VSCTL[@]}" add-br ovsbr -- set bridge ovsbr fail-mode=secure \
		-- add-port ovsbr "$DUT" -- set interface "$DUT" ofport_request=1 \
		-- add-port ovsbr tap-vm1 -- set interface tap-vm1 ofport_request=2 ||
		return 1
	defer "${OVS_VSCTL[@]}" del-br ovsbr
	ovs-ofctl add-flow ovsbr in_port=2,actions=output:1
}

# path_vxlan: ovl0, a VXLAN device over the uplink DUT at UNDERLAY_MTU, on
# vmbr with tap-vm1.
path_vxlan()
{
	local mtu

	read -r mtu < "/sys/class/net/$DUT/mtu"
	defer batch ip -force "link del vmbr" "link del ovl0" \
		"link set dev $DUT mtu $mtu"
	batch ip "link set dev $DUT mtu $UNDERLAY_MTU" \
		"link add ovl0 type vxlan id $VNI dstport 4789 dev $DUT remote $SWITCH_ADDR" \
		"link add vmbr type bridge" "link set dev tap-vm1 master vmbr" \
		"link set dev ovl0 master vmbr" "link set dev ovl0 up" \
		"link set dev vmbr up" || return 1
	bridge fdb replace "$SWITCH_MAC" dev ovl0 master static
}

# ports_sent: the frames both PORTS sent so far.
ports_sent()
{
	local port n total=0

	for port in "${PORTS[@]}"; do
		read -r n < "/sys/class/net/$port/statistics/tx_packets"
		total=$((total + n))
	done
	echo "$total"
}

ports_sent_more()
{
	[ "$(ports_sent)" -gt "$1" ]
}

# vm1_tx_dropped PID: what vm1's eth0 dropped on transmit so far, read from
# the /proc/net/dev of PID, a process in netns vm1, without a fork.
vm1_tx_dropped()
{
	local name rest fields

	while read -r name rest; do
		[ "$name" = eth0: ] || continue
		# receive: bytes packets errs drop fifo frame compressed
		# multicast; transmit: bytes packets errs drop ...
		read -r -a fields <<<"$rest"
		echo "${fields[11]}"
		return
	done < "/proc/$1/net/dev"
	echo "bench: no eth0 in process $1's netns" >&2
	return 1
}

# measure KIND VARIANT REP: KIND's path over the uplink DUT, vm1 sending
# through it; writes VARIANT's result line.
measure()
{
	local mark sender rx0 rx1 drop0 drop1 sent0

	mark=$(defer_mark)
	"path_$1" || return 1
	sent0=$(ports_sent)
	# in_vm's taskset and nsenter, exec'd into one another and into
	# udpblast, so that $! is the sender itself, in vm1's netns. It
	# sends until reaped.
	taskset -c "$vm1_cpus" nsenter --net=/run/netns/vm1 "$UDPBLAST" eth0 \
		"$SWITCH_ADDR" "$SPORT" "$FLOWS" 3600 "$BENCH_UPLINK_RATE" > /dev/null &
	sender=$!
	defer reap "$sender"
	busywait 10000 ports_sent_more "$sent0" ||
		{ echo "bench: $2: no frame reached the ports" >&2; return 1; }
	sleep "$BENCH_WARMUP"
	read -r rx0 < /sys/class/net/tap-vm1/statistics/rx_packets
	drop0=$(vm1_tx_dropped "$sender") || return 1
	tx_window "$BENCH_WINDOW" "uplink.$2.$3" || return 1
	read -r rx1 < /sys/class/net/tap-vm1/statistics/rx_packets
	drop1=$(vm1_tx_dropped "$sender") || return 1
	bench_result uplink "$2" "$3" "${WINDOW[@]}" "vm_rx=$((rx1 - rx0))" \
		"dropped=$((drop1 - drop0))"
	defer_run_since "$mark"
}

# The variants, KIND-UPLINK: each kind over zec0 and over bond0.
if command -v ovs-vswitchd > /dev/null; then
	paths=(ovs vxlan)
else
	paths=(vxlan)
	echo "bench: no ovs-vswitchd (openvswitch-switch), no ovs variants" >&2
fi
variants=()
for kind in "${paths[@]}"; do
	variants+=("$kind-zec@dummy" "$kind-bond-xor@dummy")
done
# shellcheck disable=SC2206 # variant names are single words
[ -z "${BENCH_VARIANTS:-}" ] || variants=($BENCH_VARIANTS)
# The uplinks and kinds they name, each once, in their order.
uplinks=() kinds=()
for variant in "${variants[@]}"; do
	[[ " ${uplinks[*]} " == *" ${variant#*-} "* ]] || uplinks+=("${variant#*-}")
	[[ " ${kinds[*]} " == *" ${variant%%-*} "* ]] || kinds+=("${variant%%-*}")
done

read -r ipv6_was < "$IPV6_DEFAULT"
defer ipv6_default "$ipv6_was"
ipv6_default 1
if [[ " ${kinds[*]} " == *" ovs "* ]]; then
	modprobe openvswitch
	ovs_start
fi
vms_create
ip -n vm1 neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev eth0 nud permanent
vm1_cpus=$(node_cpus 1)

for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for uplink in $(rotated "$rep" "${uplinks[@]}"); do
		mark=$(defer_mark)
		ipv6_default 1
		dut_setup "$uplink"
		for kind in $(rotated "$rep" "${kinds[@]}"); do
			[[ " ${variants[*]} " == *" $kind-$uplink "* ]] || continue
			measure "$kind" "$kind-$uplink" "$rep"
		done
		dut_teardown "$mark"
	done
done
