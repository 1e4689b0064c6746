# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # DUT is for the cases
#
# Helpers for the benchmark cases, sourced after ../lib.sh and ../datapath.sh:
# the devices under test over the testbed's two ports, pktgen, the ports'
# transmit rate and the result lines.
#
# TCG makes absolute figures meaningless, so a case measures its baseline in
# the same boot and scripts/bench-report.py turns the raw figures of each
# repetition into ratios to it. Variants run in a rotated order each
# repetition so that drift during the boot does not favour one of them.

: "${BENCH_REPS:=5}"
: "${BENCH_RESULTS:=/tmp/bench-results.jsonl}"
# Load on every CPU: WARMUP seconds for it to settle, then the ports'
# counters over WINDOW seconds.
: "${BENCH_WARMUP:=1}"
: "${BENCH_WINDOW:=3}"
PORTS=(n0p0 n1p0)
NUMA_QUEUE_BPF=$(dirname "${BASH_SOURCE[0]}")/numa_queue.bpf.o
# The device dut_setup made, for the cases.
DUT=

# bench_result CASE VARIANT REP KEY=NUMBER...: append one result line (JSON)
# to BENCH_RESULTS and show it on the console.
bench_result()
{
	local json="{\"case\":\"$1\",\"variant\":\"$2\",\"rep\":$3" kv
	shift 3

	for kv; do
		json+=",\"${kv%%=*}\":${kv#*=}"
	done
	json+="}"
	echo "$json" >> "$BENCH_RESULTS"
	echo "bench: $json"
}

# rotated REP ITEM...: the ITEMs rotated left by REP, one per line.
rotated()
{
	local rep=$1 i
	shift

	for ((i = 0; i < $#; i++)); do
		echo "${@:$(((rep + i) % $# + 1)):1}"
	done
}

# tx_packets PORT: the port driver's own transmit counter, without a fork.
tx_packets()
{
	local n

	read -r n < "/sys/class/net/$1/statistics/tx_packets"
	echo "$n"
}

# node_cpu_list NODE: the CPUs of NODE, one per line ("0-1,4" in sysfs).
node_cpu_list()
{
	local range

	for range in $(node_cpus "$1" | tr , ' '); do
		seq "${range%-*}" "${range#*-}"
	done
}

# tx_window SECONDS: what the ports sent together during SECONDS of guest
# time, as result fields "pps=N usec=N tx_n0p0=N tx_n1p0=N". The counters
# are read without a fork, so that a loaded guest delays the reads little.
tx_window()
{
	local start_count=() per_port=() t0 t1 n i total=0

	for ((i = 0; i < ${#PORTS[@]}; i++)); do
		read -r "start_count[i]" < "/sys/class/net/${PORTS[i]}/statistics/tx_packets"
	done
	t0=${EPOCHREALTIME/./}
	sleep "$1"
	t1=${EPOCHREALTIME/./}
	for ((i = 0; i < ${#PORTS[@]}; i++)); do
		read -r n < "/sys/class/net/${PORTS[i]}/statistics/tx_packets"
		per_port+=("tx_${PORTS[i]}=$((n - start_count[i]))")
		total=$((total + n - start_count[i]))
	done
	echo "pps=$((total * 1000000 / (t1 - t0))) usec=$((t1 - t0)) ${per_port[*]}"
}

# l3_up DEV: address DEV as zec_setup does zec0, bring it up and point the
# switch's address at a static MAC, so that DEV sends no ARP of its own,
# and no IPv6 either (zec_setup's sysctl is undone between variants).
l3_up()
{
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip addr add "$ZEC_ADDR/24" dev "$1"
	ip link set "$1" up
	ip neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev "$1" nud permanent
}

# enslave_down MASTER: put both ports under MASTER. Bonding and team take
# only ports that are down; zec does not care.
enslave_down()
{
	local port

	for port in "${PORTS[@]}"; do
		ip link set dev "$port" down
		ip link set dev "$port" master "$1" || return 1
	done
}

# bond_setup BOND-OPTIONS...: bond0 over both ports, set up like zec0.
bond_setup()
{
	ip link add bond0 type bond "$@" || return 1
	defer ip link del bond0
	enslave_down bond0 || return 1
	l3_up bond0
}

have_teamd()
{
	command -v teamd > /dev/null
}

# team_variant: team-lb if teamd is there to run it (libteam-utils), else
# nothing, and a word why on stderr.
team_variant()
{
	if have_teamd; then
		echo team-lb
	else
		echo "bench: no teamd (libteam-utils), no team variant" >&2
	fi
}

# team_setup RUNNER-JSON: team0 over both ports, run by teamd without D-Bus.
team_setup()
{
	teamd -d -t team0 -c "{\"runner\": $1}" > /dev/null 2>&1 || return 1
	defer teamd -k -t team0
	busywait 10000 test -e /sys/class/net/team0 || return 1
	enslave_down team0 || return 1
	l3_up team0
}

# dut_setup VARIANT: make the device under test and set DUT to its name
# (not printed: in a command substitution the deferred cleanup would be lost).
#   port          n0p0 alone (the baseline of one sender)
#   port1         n1p0 alone
#   ports         no device: both ports up and addressed, each node's
#                 senders use their own node's port (node_dev), the
#                 baseline of senders on every node
#   zec           zec0 over both ports
#   bond-xor      bond0, balance-xor, layer3+4 hash
#   bond-ab       bond0, active-backup, n1p0 active
#   team-lb       team0, loadbalance runner, l3+l4 hash
#   bond-numa     a bond made NUMA-aware by hand: active-backup, each
#                 port's queue_id its node + 1, and a tc BPF classifier
#                 (numa_queue.bpf.c) under a multiq root qdisc that sets
#                 each skb's queue_mapping to its CPU's node + 1. Bonding
#                 honours queue_id only in active-backup and round-robin
#                 (bond_should_override_tx_queue()), not in balance-xor.
# A bond's -mii<N> suffix sets miimon to N ms (bond-xor-mii1); without one
# it is bonding's default, 100. Everything it makes is undone by
# dut_teardown.
dut_setup()
{
	local port miimon=100

	DUT=
	case $1 in
	bond-*-mii*) miimon=${1##*-mii} ;;
	esac
	case $1 in
	port|port1)
		DUT=n0p0
		[ "$1" = port ] || DUT=n1p0
		ip link set dev "$DUT" up || return 1
		defer ip link set dev "$DUT" down ;;
	ports)
		for port in "${PORTS[@]}"; do
			defer ip link set dev "$port" down
			defer ip addr flush dev "$port"
			l3_up "$port"
		done ;;
	zec)
		zec_setup "${PORTS[@]}" > /dev/null || return 1
		# zec_setup makes the peers promiscuous, so that they count
		# frames for other MACs; the other variants leave them be, and
		# a peer that takes every frame in costs the guest CPU time
		# the sender then lacks (zec0 measured 0.5 of the port so).
		printf 'link set dev sw-%s promisc off\n' "${PORTS[@]}" |
			ip -n switch -batch - || return 1
		DUT=zec0 ;;
	bond-xor|bond-xor-mii*)
		bond_setup mode balance-xor xmit_hash_policy layer3+4 \
			miimon "$miimon" || return 1
		DUT=bond0 ;;
	bond-numa|bond-numa-mii*)
		bond_setup mode active-backup miimon "$miimon" || return 1
		for port in "${PORTS[@]}"; do
			ip link set dev "$port" type bond_slave \
				queue_id $(($(zec_port_home "$port") + 1)) || return 1
		done
		# A bond has no queue: give multiq's bands room.
		ip link set dev bond0 txqueuelen 1000
		tc qdisc add dev bond0 root handle 1: multiq || return 1
		tc filter add dev bond0 parent 1: \
			bpf obj "$NUMA_QUEUE_BPF" sec classifier da || return 1
		DUT=bond0 ;;
	bond-ab|bond-ab-mii*)
		bond_setup mode active-backup miimon "$miimon" || return 1
		ip link set dev bond0 type bond primary n1p0 || return 1
		DUT=bond0 ;;
	team-lb)
		team_setup '{"name": "loadbalance", "tx_hash": ["l3", "l4"]}' ||
			return 1
		DUT=team0 ;;
	*)
		echo "dut_setup: unknown variant $1" >&2
		return 1 ;;
	esac
}

# ports_free: no master left on either port, so the next variant can take
# them.
ports_free()
{
	local port

	for port in "${PORTS[@]}"; do
		[ ! -e "/sys/class/net/$port/master" ] || return 1
	done
}

PG=/proc/net/pktgen

# pg FILE CMD: one pktgen command; pktgen says in FILE's "Result:" line
# whether it took it.
pg()
{
	echo "$2" > "$PG/$1"
	if [ "$1" != pgctrl ] && ! grep -q '^Result: OK' "$PG/$1"; then
		echo "pktgen: $1: $2: $(grep '^Result:' "$PG/$1")" >&2
		return 1
	fi
}

# pktgen_reset: no device left on any pktgen thread.
pktgen_reset()
{
	local thread

	for thread in "$PG"/kpktgend_*; do
		echo rem_device_all > "$thread"
	done
}

# pktgen_device CPU DEV COUNT SPORT_MIN SPORT_MAX: give CPU's pktgen thread
# DEV (as DEV@CPU, so that threads can share a device) with COUNT (0: no
# end) 60-byte UDP frames from source ports SPORT_MIN..SPORT_MAX in turn;
# prints the name of its /proc/net/pktgen file.
#
# clone_skb 0: zec0 (like bond0) has no IFF_TX_SKB_SHARING, and a fresh skb
# per packet is what a stacked device sees in real use anyway. queue_xmit:
# through the port's qdisc (dev_queue_xmit), as a socket's packets go.
pktgen_device()
{
	local name=$2@$1 cmd

	pg "kpktgend_$1" "add_device $name" || return 1
	for cmd in "count $3" "clone_skb 0" "pkt_size 60" "delay 0" \
		   "xmit_mode queue_xmit" "src_min $ZEC_ADDR" "src_max $ZEC_ADDR" \
		   "dst $SWITCH_ADDR" "dst_mac $SWITCH_MAC" \
		   "udp_src_min $4" "udp_src_max $5" "udp_dst_min 9" "udp_dst_max 9"; do
		pg "$name" "$cmd" || return 1
	done
	echo "$name"
}

# node_dev NODE: the device a sender on NODE sends into: the device under
# test, or with none (variant ports) NODE's own port.
node_dev()
{
	echo "${DUT:-n${1}p0}"
}

# dut_teardown: undo dut_setup and check the ports are free again.
dut_teardown()
{
	defer_run
	busywait 5000 ports_free || { echo "bench: ports still enslaved" >&2; return 1; }
}
