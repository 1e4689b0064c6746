#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make demo", in the guest: show the testbed and a zec device. Each step
# prints its command before running it, so the demo reads as a recipe;
# extend it by adding steps.

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

step()
{
	echo
	echo "[+] $*"
	"$@"
}

say()
{
	echo
	echo "== $*"
}

ports_and_nodes()
{
	local port

	for port in $(zec_ports); do
		printf '%s: node %s, %s Mb/s, peer sw-%s in netns switch\n' \
			"$port" "$(zec_port_node "$port")" \
			"$(cat "/sys/class/net/$port/speed")" "$port"
	done
}

say "The guest: $ZEC_NODES NUMA nodes, one socket of two CPUs each"
step numactl --hardware

say "One VPC port per node, each cabled to its own switch port"
for port in $(zec_ports); do
	ip link set dev "$port" up
done
ports_and_nodes

say "A zec device over both ports (ip link autoloads zec.ko)"
step ip link add zec0 type zec
step ip link set n0p0 master zec0
step ip link set n1p0 master zec0
step ip addr add "$ZEC_ADDR/24" dev zec0
step ip link set zec0 up
ip neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev zec0 nud permanent
step "$ZECCTL" show zec0

say "Senders pinned to each node: every packet leaves through its node's port"
step send_from_node 0 1000
step send_from_node 1 1000
step "$ZECCTL" stats zec0

say "Pull node 1's cable: its traffic moves to node 0's port at once"
"$ZECCTL" -j monitor > /tmp/demo-monitor.json &
monitor=$!
sleep 1	# let the listener join the monitor group
step zec_cable n1p0 off
busywait 2000 not zec_carrier n1p0
step send_from_node 1 1000
step ethtool -S zec0
step "$ZECCTL" show zec0

say "Plug it back: node 1 returns to its own port"
step zec_cable n1p0 on
busywait 3000 zec_carrier n1p0
# Healthy again once ethtool counts its speed in zec0's.
busywait 5000 sh -c 'ethtool zec0 | grep -q "Speed: 20000Mb/s"'
step send_from_node 1 1000
step "$ZECCTL" stats zec0
kill "$monitor"
say "What a listener on the monitor group saw (zecctl -j monitor)"
cat /tmp/demo-monitor.json
step ip link del zec0
