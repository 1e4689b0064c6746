#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make demo", in the guest: show the testbed and a zec device. Each step
# prints its command before running it, so the demo reads as a recipe;
# extend it by adding steps.

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

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

say "A zec device (ip link autoloads zec.ko)"
step ip link add zec0 type zec
step ip -d link show zec0
step ip link del zec0
