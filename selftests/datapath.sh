# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # the names are for the tests that source this
#
# Helpers for the datapath selftests, sourced after lib.sh: a zec device
# over the testbed's ports, pinned UDP senders, and the counters that say
# which port a packet left through.
#
#   zec0 192.0.2.1/24 ── n<N>p<I> ══ hub ══ sw-n<N>p<I> (netns switch)
#
# Unless a test builds a switch of its own, the switch side only counts:
# 192.0.2.254 is a static neighbour with a MAC nobody owns, so frames to it
# arrive on the peer of the port they left through and go nowhere else.
# The peers are promiscuous: QEMU's virtio-net filters unicast frames for
# other MACs before the guest driver, and its counters, see them.

ZEC_ADDR=192.0.2.1
SWITCH_ADDR=192.0.2.254
SWITCH_MAC=02:00:00:00:00:fe
UDP=$(dirname "${BASH_SOURCE[0]}")/udp.py
ZECCTL=$(dirname "${BASH_SOURCE[0]}")/../tools/zecctl/zecctl
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# zecctl_for_nobody: a zecctl that user nobody can run ("${AS_NOBODY[@]}"):
# a copy beside its library in the guest's /tmp, since the checkout may be
# where nobody cannot go (a clone in root's home: /root is 0700).
zecctl_for_nobody()
{
	local dir=/tmp/zec-nobody

	if [ ! -x "$dir/tools/zecctl/zecctl" ]; then
		mkdir -p "$dir/tools/zecctl" "$dir/libzec" &&
			cp "$ZECCTL" "$dir/tools/zecctl/" &&
			cp "${ZECCTL%/*}/../../libzec/libzec.so.1" "$dir/libzec/" &&
			chmod -R a+rX "$dir" || return 1
	fi
	echo "$dir/tools/zecctl/zecctl"
}

# node_cpus NODE: the CPU list of NODE, e.g. "2-3".
node_cpus()
{
	cat "/sys/devices/system/node/node$1/cpulist"
}

# reap PID: stop a background helper that may have ended already, and
# what it started: a shell function run with & is a subshell, and the
# program it runs (udp.py under taskset, say) is that subshell's child,
# which would outlive it, keep its socket bound and hold the test's output
# open.
reap()
{
	local children child

	children=$(pgrep -P "$1")
	kill "$1" 2> /dev/null
	for child in $children; do
		reap "$child"
	done
	wait "$1" 2> /dev/null
	true
}

in_switch()
{
	nsenter --net=/run/netns/switch "$@"
}

# zec_create PORT...: zec0 over PORTs, with no IPv6, so that the only
# packets it sends are the tests'.
zec_create()
{
	local port

	sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	defer sysctl -qw net.ipv6.conf.default.disable_ipv6=0
	ip link add zec0 type zec || return 1
	defer ip link del zec0
	for port; do
		ip link set dev "$port" master zec0 || return 1
	done
}

# zec_setup PORT...: zec0 over PORTs, up, addressed, with no IPv6 and no
# ARP so that the only packets it sends are the tests'.
zec_setup()
{
	local port

	zec_create "$@" || return 1
	ip addr add "$ZEC_ADDR/24" dev zec0 &&
		ip link set zec0 up &&
		ip neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev zec0 nud permanent ||
		return 1
	for port in $(zec_ports); do
		ip -n switch link set dev "sw-$port" promisc on || return 1
		defer ip -n switch link set dev "sw-$port" promisc off
	done
}

# switch_br0 [DEV...]: one L2 domain behind all ports, as the fabric of
# the independent layout is: br0 over the switch-side peers (or DEVs of the
# switch namespace) with the switch's address. One ip -batch: each exec of
# ip costs a few hundred ms under TCG.
switch_br0()
{
	local dev port

	if [ $# -eq 0 ]; then
		for port in $(zec_ports); do
			set -- "$@" "sw-$port"
		done
	fi
	{
		echo "link add br0 type bridge"
		for dev; do
			echo "link set $dev master br0"
		done
		echo "addr add $SWITCH_ADDR/24 dev br0"
		echo "link set br0 up"
	} | ip -n switch -batch - || return 1
	defer ip -n switch link del br0
}

# switch_bridge DEV: switch_br0 without IPv6, and DEV's neighbour entry for
# the switch's address pointed at br0's MAC.
switch_bridge()
{
	local mac

	in_switch sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	switch_br0 || return 1
	mac=$(ip -n switch -j link show br0 | jq -r '.[0].address')
	ip neigh replace "$SWITCH_ADDR" lladdr "$mac" dev "$1" nud permanent
}

# iperf3_server NETNS: an iperf3 server in NETNS until defer_run, listening
# when this returns. iperf3 is required (scripts/deps.sh installs it):
# without it, or a server that does not listen, the check fails and this
# returns 1; the caller then logs its test.
iperf3_server()
{
	local ns=(nsenter "--net=/run/netns/$1") pidfile=/tmp/zec-iperf3-$1.pid

	if ! command -v iperf3 > /dev/null; then
		check_err 1 "iperf3 is not installed (scripts/deps.sh)"
		return 1
	fi
	"${ns[@]}" iperf3 -s -D -I "$pidfile"
	# shellcheck disable=SC2016 # expanded by the inner shell
	defer sh -c 'kill "$(cat "$1")"' sh "$pidfile"
	if ! busywait 5000 "${ns[@]}" sh -c 'ss -ltn | grep -q ":5201 "'; then
		check_err 1 "no iperf3 server listens in $1"
		return 1
	fi
}

# zec_stat NAME [DEV]: one "ethtool -S" counter of zec0 (or DEV); port
# counters are named PORT.counter. One that does not exist fails the test
# (zec_counter_missing).
zec_stat()
{
	local dev=${2:-zec0} value

	value=$(ethtool -S "$dev" | awk -v k="$1:" '$1 == k { print $2 }')
	if [ -z "$value" ]; then
		zec_counter_missing "$1" "$dev"
		return 1
	fi
	echo "$value"
}

# zec_sent PORT...: packets zec0 handed to PORTs, node-local and
# cross-node, by its own counters (a port's driver counts only what it
# sends, not what its queue drops while the port is dead).
zec_sent()
{
	local port sum=0

	for port; do
		sum=$((sum + $(zec_stat "$port.tx_local_packets") +
		       $(zec_stat "$port.tx_cross_node_packets")))
	done
	echo "$sum"
}

# switch_rx_window PORT SECONDS: frames and bytes sw-PORT receives over
# SECONDS, as JSON {"seconds", "bytes", "packets"}, read in one process in
# the switch namespace so that the window is timed exactly.
switch_rx_window()
{
	in_switch /usr/bin/python3 -c '
import json, sys, time
def snap():
    for line in open("/proc/net/dev"):
        name, _, rest = line.partition(":")
        if name.strip() == sys.argv[1]:
            f = rest.split()
            return time.monotonic(), int(f[0]), int(f[1])
t0, b0, p0 = snap()
time.sleep(float(sys.argv[2]))
t1, b1, p1 = snap()
print(json.dumps({"seconds": t1 - t0, "bytes": b1 - b0, "packets": p1 - p0}))
' "sw-$1" "$2"
}

# switch_rx PORT...: packets the switch received from PORTs.
switch_rx()
{
	local port value sum=0

	for port; do
		value=$(ip -n switch -s -j link show dev "sw-$port" |
			jq '.[0].stats64.rx.packets // empty')
		if [ -z "$value" ]; then
			zec_counter_missing rx.packets "sw-$port"
			return 1
		fi
		sum=$((sum + value))
	done
	echo "$sum"
}

# send_from_node NODE COUNT [udp.py send options]: COUNT datagrams to the
# switch from a sender pinned to NODE's CPUs.
send_from_node()
{
	local node=$1 count=$2
	shift 2

	taskset -c "$(node_cpus "$node")" /usr/bin/python3 "$UDP" send \
		--dst "$SWITCH_ADDR" --count "$count" "$@" > /dev/null
}

# zec_port_up PORT: zec0 has PORT up (zecctl show).
zec_port_up()
{
	[ "$("$ZECCTL" -j show zec0 | jq -r ".[0].ports[] | select(.ifname == \"$1\") | .state")" = up ]
}

# zec_port_list: the ports of zec0, one per line, sorted.
zec_port_list()
{
	ip -j link show master zec0 | jq -r '.[].ifname' | sort
}

# switch_probe_targets [PORT...]: the peers of PORTs (default n0p0 n1p0)
# get 192.0.2.10, .11 and so on, in that order (sw-n0p0 192.0.2.10 and
# sw-n1p0 192.0.2.11 by default), each answering ARP only for its own
# address (arp_ignore=1), as top-of-rack switches would: probe targets
# that answer on one port each.
switch_probe_targets()
{
	local port idx=10

	in_switch sysctl -qw net.ipv4.conf.all.arp_ignore=1
	defer in_switch sysctl -qw net.ipv4.conf.all.arp_ignore=0
	[ $# -gt 0 ] || set -- n0p0 n1p0
	for port; do
		ip -n switch addr add "192.0.2.$idx/24" dev "sw-$port" || return 1
		defer ip -n switch addr flush dev "sw-$port"
		idx=$((idx + 1))
	done
}

# zec_rate_probe_clear DEV: no rate cap on DEV (its default and its ports'
# own) and no health probes.
zec_rate_probe_clear()
{
	local show caps cap

	show=$("$ZECCTL" -j show "$1") || return 1
	if jq -e '.[0].probe != null' <<<"$show" > /dev/null; then
		"$ZECCTL" probe del "$1" || return 1
	fi
	# What has a cap of its own: DEV for the device default, or ports.
	caps=$(jq -r --arg dev "$1" '.[0] | (if .rate != null then $dev else empty end),
		(.ports[] | select(.rate != null and (.rate.inherited | not)) | .ifname)' \
		<<<"$show") || return 1
	for cap in $caps; do
		if [ "$cap" = "$1" ]; then
			"$ZECCTL" rate del "$1" || return 1
		else
			"$ZECCTL" rate del "$1" port "$cap" || return 1
		fi
	done
}

# monitor_event FILTER: some line of $MON, the output of "zecctl -j
# monitor", matches the jq FILTER.
monitor_event()
{
	jq -e -s "any(.[]; $1)" "$MON" > /dev/null 2>&1
}

# poke_monitor A B: set zec0's garp count to A, then B, A... one a call,
# and succeed once the monitor writing $MON has reported it. For busywait:
# the monitor may not be listening yet when the first changes happen.
__zec_poke_garp=
poke_monitor()
{
	if [ "$__zec_poke_garp" = "$1" ]; then
		__zec_poke_garp=$2
	else
		__zec_poke_garp=$1
	fi
	"$ZECCTL" dev set zec0 garp "$__zec_poke_garp" || return 1
	busywait 500 monitor_event ".event == \"config\" and .garp_count == $__zec_poke_garp"
}
