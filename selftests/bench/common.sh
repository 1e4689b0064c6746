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
# The testbed's first port of each node; dut_setup may put dummies in PORTS.
TESTBED_PORTS=(n0p0 n1p0)
PORTS=("${TESTBED_PORTS[@]}")
NUMA_QUEUE_BPF=$(dirname "${BASH_SOURCE[0]}")/numa_queue.bpf.o
# The device dut_setup made, for the cases.
DUT=

# When the case's previous result line was written (or the case started).
BENCH_LAST=$SECONDS

# bench_result CASE VARIANT REP KEY=NUMBER...: append one result line (JSON)
# to BENCH_RESULTS and show it on the console, with the guest seconds since
# the previous one (the console only: the results keep their fields).
bench_result()
{
	local json="{\"case\":\"$1\",\"variant\":\"$2\",\"rep\":$3" kv
	shift 3

	for kv; do
		json+=",\"${kv%%=*}\":${kv#*=}"
	done
	json+="}"
	echo "$json" >> "$BENCH_RESULTS"
	echo "bench: $json ($((SECONDS - BENCH_LAST)) s)"
	BENCH_LAST=$SECONDS
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

# node_cpu_list NODE: the CPUs of NODE, one per line ("0-1,4" in sysfs,
# what node_cpus prints), without an exec.
node_cpu_list()
{
	local list range cpu

	read -r list < "/sys/devices/system/node/node$1/cpulist"
	for range in ${list//,/ }; do
		for ((cpu = ${range%-*}; cpu <= ${range#*-}; cpu++)); do
			echo "$cpu"
		done
	done
}

# tx_window SECONDS NAME: set WINDOW to the result fields of what the ports
# sent together during SECONDS of guest time, "pps=N usec=N tx_n0p0=N
# tx_n1p0=N", and the instructions the guest executed meanwhile
# (INSN_FIELDS, profiled as NAME). The counters are read without a fork,
# so that a loaded guest delays the reads little.
tx_window()
{
	local start_count=() per_port=() t0 t1 n i total=0

	insn_start || return 1
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
	insn_stop "$2" || return 1
	# shellcheck disable=SC2206 # KEY=NUMBER words
	WINDOW=("pps=$((total * 1000000 / (t1 - t0)))" "usec=$((t1 - t0))"
		"${per_port[@]}" $INSN_FIELDS)
}

# Instructions, counted by QEMU's insn-count plugin (insn/insn-count.c),
# which run.sh loads for the bench with one TCG thread: unlike time, they do
# not depend on what else the host runs. insn-mark (insn/insn-mark.c) runs
# as a coprocess for the whole case, pinned to CPU 0, so that reading the
# counts costs the same few thousand instructions each time. Each window is
# also profiled: the instructions per translation block, saved with the
# modules' symbols as BENCH_PROFILES/NAME.{prof,modsyms} for
# scripts/insn-profile.py to map to functions (the kernel's own symbols are
# saved once, as BENCH_PROFILES/kallsyms). Without the plugin
# (BENCH_INSN_COUNTS unset) the cases report time only.
INSN_MARK=$(dirname "${BASH_SOURCE[0]}")/insn/insn-mark
INSN_BEFORE=()

# insn_mark COMMAND: have insn-mark run COMMAND's marker; sets INSN_NOW to
# each vCPU's instructions so far.
insn_mark()
{
	local line

	echo "$1" >&"${INSN[1]}"
	read -r line <&"${INSN[0]}" || { echo "bench: insn-mark stopped" >&2; return 1; }
	# "counts SEQ N0 N1 ..."
	read -r _ _ INSN_NOW <<<"$line"
}

# insn_start: start counting (a no-op without the plugin).
insn_start()
{
	[ -n "${BENCH_INSN_COUNTS:-}" ] || return 0
	if [ -z "${INSN_PID:-}" ]; then
		# It ends when the case does: its stdin closes.
		coproc INSN { exec taskset -c 0 "$INSN_MARK" "$BENCH_INSN_COUNTS"; }
		[ -e "$BENCH_PROFILES/kallsyms" ] ||
			grep -v '\[' /proc/kallsyms > "$BENCH_PROFILES/kallsyms"
	fi
	insn_mark profile-start || return 1
	read -r -a INSN_BEFORE <<<"$INSN_NOW"
}

# insn_stop NAME: set INSN_FIELDS to the result fields of the instructions
# since insn_start, "insns=N insns_cpu0=N ...", all vCPUs and each (empty
# without the plugin), and save the window's profile as NAME.
insn_stop()
{
	local after=() i total=0

	INSN_FIELDS=
	[ -n "${BENCH_INSN_COUNTS:-}" ] || return 0
	insn_mark profile-end || return 1
	read -r -a after <<<"$INSN_NOW"
	for ((i = 0; i < ${#after[@]}; i++)); do
		INSN_FIELDS+=" insns_cpu$i=$((after[i] - INSN_BEFORE[i]))"
		total=$((total + after[i] - INSN_BEFORE[i]))
	done
	INSN_FIELDS="insns=$total$INSN_FIELDS"
	cp "$BENCH_INSN_PROFILE" "$BENCH_PROFILES/$1.prof"
	modsyms > "$BENCH_PROFILES/$1.modsyms"
}

# The modules' symbols as modsyms last read them, and the modules (names
# and addresses) they were read for.
MODSYMS=
MODSYMS_OF=unread

# modsyms: the modules' symbols from /proc/kallsyms, read again only when
# a module came or went since the last time (all of /proc/kallsyms is long
# to read under one TCG thread; /proc/modules is short).
modsyms()
{
	local modules='' name addr

	while read -r name _ _ _ _ addr _; do
		modules+="$name@$addr "
	done < /proc/modules
	if [ "$modules" != "$MODSYMS_OF" ]; then
		MODSYMS=$(grep '\[' /proc/kallsyms) || true
		MODSYMS_OF=$modules
	fi
	[ -z "$MODSYMS" ] || printf '%s\n' "$MODSYMS"
}

# Under one TCG thread every exec costs (0.15 to 0.2 s on an idle host,
# inferred from the pktgen case's runs, more beside other work), so the
# variants are set up and torn down with few of them: ip(8) and tc(8)
# commands go in batches, sysctls are written to /proc/sys directly.

# batch ip|tc [-force] COMMAND...: the ip(8) or tc(8) COMMANDs ("link set
# ...", words without blanks of their own) in one exec; it stops at the
# first that fails, or with -force runs all and fails if any did.
batch()
{
	local prog=$1 force=
	shift

	[ "$1" != -force ] || { force=-force; shift; }
	printf '%s\n' "$@" | "$prog" $force -batch -
}

# l3_up DEV: address DEV as zec_setup does zec0, bring it up and point the
# switch's address at a static MAC, so that DEV sends no ARP of its own,
# and no IPv6 either (zec_setup's sysctl is undone between variants).
l3_up()
{
	echo 1 > "/proc/sys/net/ipv6/conf/$1/disable_ipv6"
	batch ip "addr add $ZEC_ADDR/24 dev $1" "link set $1 up" \
		"neigh replace $SWITCH_ADDR lladdr $SWITCH_MAC dev $1 nud permanent"
}

# enslave_down MASTER [COMMAND...]: put both ports under MASTER, after the
# ip(8) COMMANDs in the same batch. Bonding and team take only ports that
# are down; zec does not care.
enslave_down()
{
	local master=$1 port cmds
	shift
	cmds=("$@")

	for port in "${PORTS[@]}"; do
		cmds+=("link set dev $port down" "link set dev $port master $master")
	done
	batch ip "${cmds[@]}"
}

# bond_setup BOND-OPTIONS...: bond0 over both ports, set up like zec0.
bond_setup()
{
	defer ip link del bond0
	enslave_down bond0 "link add bond0 type bond $*" || return 1
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
#   port          PORTS[0] alone (the baseline of one sender)
#   port-control  the same again, the control of a measurement
#   port1         PORTS[1] alone
#   ports         no device: both ports up and addressed, each node's
#                 senders use their own node's port (node_dev), the
#                 baseline of senders on every node
#   zec           zec0 over both ports
#   zec-cap       zec0 with a police cap of 10 Tbit/s on every port,
#                 configured and never reached
#   zec-probe     zec0 probing a target every 60 s (that never answers;
#                 255 misses allowed, so that the ports stay up)
#   zec-indep     zec0 in independent mode
#   bond-xor      bond0, balance-xor, layer3+4 hash
#   bond-ab       bond0, active-backup, PORTS[1] active
#   team-lb       team0, loadbalance runner, l3+l4 hash
#   bond-numa     a bond made NUMA-aware by hand: active-backup, each
#                 port's queue_id its node + 1, and a tc BPF classifier
#                 (numa_queue.bpf.c) under a multiq root qdisc that sets
#                 each skb's queue_mapping to its CPU's node + 1. Bonding
#                 honours queue_id only in active-backup and round-robin
#                 (bond_should_override_tx_queue()), not in balance-xor.
# PORTS are the testbed's n0p0 and n1p0, or with an @dummy suffix two dummy
# devices, dummy0 for node 0 and dummy1 for node 1 (zec is told their nodes):
# a dummy port's transmit only frees the packet, so that the instructions a
# packet costs do not depend on a device's pace, and the difference of two
# variants over dummies is what their layers add (the pktgen case). A bond's
# -mii<N> suffix sets miimon to N ms (bond-xor-mii1); without one it is
# bonding's default, 100. Everything it makes is undone by dut_teardown.
dut_setup()
{
	local variant=${1%@dummy} port miimon=100

	DUT=
	PORTS=("${TESTBED_PORTS[@]}")
	if [ "$variant" != "$1" ]; then
		PORTS=(dummy0 dummy1)
		defer batch ip -force "link del dummy0" "link del dummy1"
		batch ip "link add dummy0 type dummy" \
			"link add dummy1 type dummy" || return 1
	fi
	case $variant in
	bond-*-mii*) miimon=${variant##*-mii} ;;
	esac
	case $variant in
	port|port-control|port1)
		DUT=${PORTS[0]}
		[ "$variant" != port1 ] || DUT=${PORTS[1]}
		ip link set dev "$DUT" up || return 1
		defer ip link set dev "$DUT" down ;;
	ports)
		for port in "${PORTS[@]}"; do
			defer batch ip -force "addr flush dev $port" \
				"link set dev $port down"
			l3_up "$port"
		done ;;
	zec|zec-*)
		# Not zec_setup: it makes the switch-side peers promiscuous,
		# and a peer that takes every frame in costs the guest CPU
		# time the sender then lacks (zec0 measured 0.5 of the port so).
		zec_create "${PORTS[@]}" || return 1
		[ "${PORTS[0]}" != dummy0 ] ||
			printf '%s\n' "port set dummy0 node 0" "port set dummy1 node 1" |
			"$ZECCTL" -b - || return 1
		# Probes need zec0's address to send from.
		l3_up zec0
		case $variant in
		zec-cap) "$ZECCTL" rate set zec0 10tbit ;;
		zec-probe) "$ZECCTL" probe set zec0 target "$SWITCH_ADDR" \
				interval 60s miss 255 ;;
		zec-indep) "$ZECCTL" dev set zec0 mode independent ;;
		zec) ;;
		*) false ;;
		esac || { echo "dut_setup: cannot set up $1" >&2; return 1; }
		DUT=zec0 ;;
	bond-xor|bond-xor-mii*)
		bond_setup mode balance-xor xmit_hash_policy layer3+4 \
			miimon "$miimon" || return 1
		DUT=bond0 ;;
	bond-numa|bond-numa-mii*)
		bond_setup mode active-backup miimon "$miimon" || return 1
		# A bond has no queue: give multiq's bands room.
		batch ip "link set dev ${PORTS[0]} type bond_slave queue_id 1" \
			"link set dev ${PORTS[1]} type bond_slave queue_id 2" \
			"link set dev bond0 txqueuelen 1000" || return 1
		batch tc "qdisc add dev bond0 root handle 1: multiq" \
			"filter add dev bond0 parent 1: bpf obj $NUMA_QUEUE_BPF sec classifier da" ||
			return 1
		DUT=bond0 ;;
	bond-ab|bond-ab-mii*)
		bond_setup mode active-backup miimon "$miimon" || return 1
		ip link set dev bond0 type bond primary "${PORTS[1]}" || return 1
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
# whether it took it, read without a fork: a device takes 14 commands, and
# every exec is slow under one TCG thread.
pg()
{
	local line

	echo "$2" > "$PG/$1"
	[ "$1" != pgctrl ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		"Result: OK"*) return 0 ;;
		Result:*) break ;;
		esac
		line=
	done < "$PG/$1"
	echo "pktgen: $1: $2: $line" >&2
	return 1
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

# dut_teardown [MARK]: undo dut_setup (what was deferred since MARK, a
# defer_mark taken before it; all by default) and check the ports are free
# again.
dut_teardown()
{
	defer_run_since "${1:-0}"
	busywait 5000 ports_free || { echo "bench: ports still enslaved" >&2; return 1; }
}
