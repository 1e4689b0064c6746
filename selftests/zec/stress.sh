#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=2 timeout=600
# shellcheck disable=SC2317 # functions run by name from ACTIONS and by busywait
# shellcheck disable=SC2016 # jq programs in single quotes
#
# Churn under traffic from every CPU, then exact books, then unload.
#
#   zec0 192.0.2.1/24 ─┬─ n0p0, n0p1 (node 0) ══ sw-n0p0 .10, sw-n0p1 .11 ┐ netns
#                      └─ n1p0, n1p1 (node 1) ══ sw-n1p0 .12, sw-n1p1 .13 ┘ switch
#
# 1. Chaos, ZEC_STRESS_SECONDS (default 50): one paced UDP sender pinned to
#    each CPU while random actions (seed ZEC_STRESS_SEED, printed) release
#    and re-add ports, pull cables on either side, take zec0 down and up,
#    change mode, up delay, garp, node overrides and enables, set and remove
#    rate caps (device default and per port, police and shape), set and
#    remove health probes of the switch peers (each answers for its own
#    address; sometimes with flap damping), move an enslaved port to
#    another namespace and back, try to move zec0 (refused: it is
#    NETNS_LOCAL), and delete and re-create zec0. Every action must
#    succeed and do what it says. Packets cannot be accounted for here:
#    frames in flight when a cable is pulled die in QEMU's hub, a released
#    port's queue is purged, a zec0 without carrier drops in the core's
#    noop qdisc, and zec0's counters die with it; so only: every sender got
#    packets out, and the switch received.
# 2. Books, after the chaos, with everything put back, nothing changing,
#    IPv6 off, garp 0 and no probe: each sender sends BOOKS_COUNT
#    datagrams, paced, and sent = delivered + counted drops, exactly. "Delivered" is what the
#    switch peers received: per port, what zec sent through it = what its
#    peer received + what its driver dropped; per node, what zec0 was
#    handed on its CPUs = what its senders sent. Once with every port up
#    (all local, no drop), once with node 1's ports disabled (its CPUs go
#    cross-node) under a policing cap of 20 packets/s per port (counted
#    rate drops).
# 3. rmmod with zec0 and traffic live, then ZEC_STRESS_RELOADS (default 3)
#    rounds of load, build two devices, unload, under traffic; afterwards
#    nothing is left: no zec devices, ports without master and with their
#    MACs back, no netdev waiting for its references. The module stays
#    unloaded, as at boot; the next test loads it again.

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

: "${ZEC_STRESS_SECONDS:=50}"
: "${ZEC_STRESS_RELOADS:=3}"
: "${ZEC_STRESS_SEED:=$RANDOM}"
BOOKS_COUNT=1000
STATE=/tmp/zec-stress
NETNS=zec-stress
read -ra PORTS <<<"$(zec_ports | sort | tr '\n' ' ')"
CPUS=$(nproc)

# cpu_nodes: the node of each CPU, as a JSON array.
cpu_nodes()
{
	local cpu path nodes=() IFS=,

	for ((cpu = 0; cpu < CPUS; cpu++)); do
		for path in "/sys/devices/system/cpu/cpu$cpu"/node*; do
			nodes+=("${path##*node}")
		done
	done
	echo "[${nodes[*]}]"
}
CPU_NODES=$(cpu_nodes)

zec_require_built "$ZECCTL"

zecctl()
{
	"$ZECCTL" "$@"
}

# zec0_up: zec0 up, addressed, with the switch's static neighbour, which
# going down flushed.
zec0_up()
{
	ip link set zec0 up &&
		ip addr replace "$ZEC_ADDR/24" dev zec0 &&
		ip neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev zec0 nud permanent
}

# zec0_build: zec0 over every port, as zec_setup makes it, in one ip -batch.
zec0_build()
{
	local port

	{
		echo "link add zec0 type zec"
		for port in "${PORTS[@]}"; do
			echo "link set dev $port master zec0"
		done
	} | ip -batch - && zec0_up
}

# senders INTERVAL_US COUNT: one sender per CPU, output in $STATE/sender.CPU
senders()
{
	local cpu

	rm -f "$STATE"/sender.*
	for ((cpu = 0; cpu < CPUS; cpu++)); do
		taskset -c "$cpu" /usr/bin/python3 "$UDP" send --dst "$SWITCH_ADDR" \
			--count "$2" --flows 4 --sport $((40000 + 100 * cpu)) \
			--interval-us "$1" > "$STATE/sender.$cpu" &
		SENDERS+=("$!")
	done
}

# senders_wait: wait for the senders to end.
senders_wait()
{
	local pid

	for pid in "${SENDERS[@]}"; do
		wait "$pid"
	done
	SENDERS=()
}

# senders_stop: end the senders (they report on SIGTERM) and wait for them.
senders_stop()
{
	local pid

	for pid in "${SENDERS[@]}"; do
		kill "$pid" 2> /dev/null
	done
	senders_wait
}

# senders_total KEY [CPU...]: the sum of "sent" or "errors" over the
# senders (of the CPUs given).
senders_total()
{
	local key=$1 cpu files=()
	shift

	for cpu; do
		files+=("$STATE/sender.$cpu")
	done
	[ $# -gt 0 ] || files=("$STATE"/sender.*)
	cat "${files[@]}" | jq -s "map(.$key) | add"
}

switch_total()
{
	ip -n switch -s -j link show | jq '[.[] | select(.ifname | startswith("sw-")) | .stats64.rx.packets] | add'
}

random_port()
{
	echo "${PORTS[RANDOM % ${#PORTS[@]}]}"
}

act_port_churn()
{
	local port=$1 enables=(on off)

	ip link set dev "$port" nomaster || return 1
	if ((RANDOM % 2)); then
		ip link set dev "$port" master zec0
	else
		zecctl port add "$port" master zec0 node $((RANDOM % 2)) \
			enable "${enables[RANDOM % 2]}"
	fi
}

act_cable()
{
	local side=$1

	((RANDOM % 2)) && side=sw-$side
	zec_cable "$side" off && zec_cable "$side" on
}

act_zec0_down_up()
{
	ip link set zec0 down && zec0_up
}

act_dev_set()
{
	local modes=(lag independent)

	zecctl dev set zec0 mode "${modes[RANDOM % 2]}" updelay $((RANDOM % 300)) \
		garp $((RANDOM % 3))
}

act_port_set()
{
	local nodes=(0 1 auto) enables=(on off on)

	zecctl port set "$1" node "${nodes[RANDOM % 3]}" enable "${enables[RANDOM % 3]}"
}

# own_cap [PORT]: zec0 (or PORT) has a rate cap of its own.
own_cap()
{
	zecctl -j show zec0 | jq -e --arg p "${1:-}" '.[0] |
		if $p == "" then .rate != null
		else .ports[] | select(.ifname == $p) | .rate != null and (.rate.inherited | not)
		end' > /dev/null
}

# A cap of the device or of the port, as a share of the link speed or
# absolute, policed or shaped; or away with the one there is.
act_rate()
{
	local where=() of=() modes=(police shape)

	if ((RANDOM % 2)); then
		where=(port "$1")
		of=("$1")
	fi
	if ((RANDOM % 2)) && own_cap "${of[@]}"; then
		zecctl rate del zec0 "${where[@]}"
	elif ((RANDOM % 2)); then
		zecctl rate set zec0 "${where[@]}" $((RANDOM % 100 + 1))% \
			mode "${modes[RANDOM % 2]}"
	else
		zecctl rate set zec0 "${where[@]}" $((RANDOM % 10000 + 100))kbit \
			pps $((RANDOM % 2000 + 10)) mode "${modes[RANDOM % 2]}"
	fi
}

# probing: zec0 probes its ports' paths.
probing()
{
	zecctl -j show zec0 | jq -e '.[0].probe != null' > /dev/null
}

# Probes of every switch peer's address at a random interval and miss
# count, sometimes with flap damping; or none. A pulled switch-side cable
# then takes its port down until the peer answers again.
act_probe()
{
	local targets=() i

	if ((RANDOM % 3 == 0)) && probing; then
		zecctl probe del zec0
		return
	fi
	# switch_probe_targets gave the peers these, in the order of PORTS.
	for ((i = 0; i < ${#PORTS[@]}; i++)); do
		targets+=(target "192.0.2.$((10 + i))")
	done
	if ((RANDOM % 2)); then
		zecctl probe set zec0 "${targets[@]}" interval $((RANDOM % 200 + 20))ms \
			miss $((RANDOM % 3 + 1))
	else
		zecctl probe set zec0 "${targets[@]}" interval $((RANDOM % 200 + 20))ms \
			damp 2 window 2s hold 500ms
	fi
}

# A port moved away while enslaved leaves zec0; back home it joins again.
act_port_netns()
{
	local port=$1

	ip link set dev "$port" netns "$NETNS" || return 1
	if zec_port_list | grep -qx "$port"; then
		echo "$port is still a port of zec0 in netns $NETNS" >&2
		return 1
	fi
	ip -n "$NETNS" link set dev "$port" netns 1 &&
		ip link set dev "$port" master zec0
}

# zec0 is NETNS_LOCAL: the move is refused and zec0 stays.
act_zec0_netns()
{
	not ip link set dev zec0 netns "$NETNS" 2> /dev/null &&
		ip link show dev zec0 > /dev/null
}

act_recreate()
{
	ip link del zec0 && zec0_build
}

ACTIONS=(act_port_churn act_port_churn act_cable act_cable act_zec0_down_up
	 act_dev_set act_port_set act_port_set act_rate act_rate act_probe
	 act_probe act_port_netns act_zec0_netns act_recreate)

all_ports_up()
{
	zecctl -j show zec0 | jq -e --argjson n "${#PORTS[@]}" \
		'.[0].ports | length == $n and all(.state == "up")' > /dev/null
}

# settle: every port home, plugged, enslaved, enabled, on its own node;
# zec0 up in lag mode with no up delay, no gratuitous ARP, no probe and no
# cap.
settle()
{
	local port

	for port in "${PORTS[@]}"; do
		if [ ! -e "/sys/class/net/$port" ]; then
			ip -n "$NETNS" link set dev "$port" netns 1 || return 1
		fi
		zec_cable "$port" on && zec_cable "sw-$port" on || return 1
	done
	if [ ! -e /sys/class/net/zec0 ]; then
		zec0_build || return 1
	fi
	for port in "${PORTS[@]}"; do
		if [ ! -e "/sys/class/net/$port/master" ]; then
			ip link set dev "$port" master zec0 || return 1
		fi
	done
	zecctl dev set zec0 mode lag updelay 0 garp 0 || return 1
	zec_rate_probe_clear zec0 || return 1
	for port in "${PORTS[@]}"; do
		zecctl port set "$port" node auto enable on || return 1
	done
	zec0_up && busywait 20000 all_ports_up
}

test_chaos()
{
	local start end action port rounds=0 failed=0 sent received base f
	declare -A count=()

	RANDOM=$ZEC_STRESS_SEED
	echo "seed $ZEC_STRESS_SEED, $ZEC_STRESS_SECONDS s, $CPUS senders"
	base=$(switch_total)
	senders 1000 100000000
	start=$(zec_ms)
	end=$((start + ZEC_STRESS_SECONDS * 1000))
	while [ "$(zec_ms)" -lt "$end" ]; do
		action=${ACTIONS[RANDOM % ${#ACTIONS[@]}]}
		port=$(random_port)
		rounds=$((rounds + 1))
		count[$action]=$((${count[$action]:-0} + 1))
		"$action" "$port" 2> "$STATE/action.err" && continue
		failed=$((failed + 1))
		check_err 1 "action $rounds, $action $port failed: $(tr '\n' ' ' < "$STATE/action.err")"
		# Start the next action from a known state, not from this one's.
		settle
	done
	end=$(zec_ms)
	settle
	check_err $? "cannot put zec0 back together after the chaos"
	senders_stop
	sent=$(senders_total sent)
	received=$(($(switch_total) - base))
	for action in "${!count[@]}"; do
		echo "  $action: ${count[$action]}"
	done | sort
	echo "$rounds actions in $((end - start)) ms" \
	     "($((rounds * 1000000 / (end - start)))/1000 per s), $failed failed;" \
	     "$sent sent, $(senders_total errors) send errors, switch got $received"
	for f in "$STATE"/sender.*; do
		[ "$(jq .sent "$f")" -gt 0 ]
		check_err $? "sender on CPU ${f##*.} sent nothing: $(cat "$f")"
	done
	[ "$received" -gt 0 ]
	check_err $? "the switch got nothing"
	log_test "chaos under traffic, $ZEC_STRESS_SECONDS s"
}

# snapshot FILE: zec0's counters, per device, port and node; each port's
# switch peer's receive count and its driver's transmit drops.
snapshot()
{
	zecctl -j stats zec0 > "$STATE/zec.json" &&
		ip -n switch -s -j link show > "$STATE/switch.json" &&
		ip -s -j link show > "$STATE/links.json" &&
		jq -n --slurpfile z "$STATE/zec.json" --slurpfile s "$STATE/switch.json" \
			--slurpfile l "$STATE/links.json" '{
		dev: $z[0][0].stats,
		nodes: ($z[0][0].nodes | map({ (.node | tostring): .stats }) | add),
		ports: ($z[0][0].ports | map({ (.ifname): (.stats + {
			tx: (.stats.tx_local_packets + .stats.tx_cross_packets) }) }) | add),
		switch: ($s[0] | map({ (.ifname): .stats64.rx.packets }) | add),
		dropped: ($l[0] | map({ (.ifname): .stats64.tx.dropped }) | add)
	}' > "$1"
}

# books_delta: what moved between $STATE/before.json and after.json, as
# {dev, nodes, ports: {PORT: {tx, ..., switch, dropped}}, delivered}, one
# line; delivered: every packet zec sent through a port reached its switch
# peer or was dropped by the port's driver.
books_delta()
{
	jq -c -s '.[0] as $b | .[1] as $a |
		def d(o; p): reduce (o | keys[]) as $k ({}; .[$k] = (o[$k] - (p[$k] // 0)));
		{
			dev: d($a.dev; $b.dev),
			nodes: (reduce ($a.nodes | keys[]) as $n ({};
				.[$n] = d($a.nodes[$n]; $b.nodes[$n]))),
			ports: (reduce ($a.ports | keys[]) as $p ({};
				.[$p] = (d($a.ports[$p]; $b.ports[$p]) + {
					switch: ($a.switch["sw-" + $p] - $b.switch["sw-" + $p]),
					dropped: ($a.dropped[$p] - $b.dropped[$p]) })))
		} | .delivered = (.ports | all(.tx == .switch + .dropped))' \
		"$STATE/before.json" "$STATE/after.json" > "$STATE/delta.json"
}

# ports_delivered: for busywait; frames still in flight make it false for
# a moment.
ports_delivered()
{
	snapshot "$STATE/after.json" && books_delta &&
		[[ $(< "$STATE/delta.json") == *'"delivered":true'* ]]
}

# books NAME CHECKS: the senders send BOOKS_COUNT each, then sent must be
# what zec0 was handed, in all and on each node's CPUs, split into what
# its ports sent and its drop counters, and what each port sent must have
# reached its peer. CHECKS (jq, with $x the delta of the counters, $d its
# device part and $sent) prints what else is wrong for this round.
books()
{
	local name=$1 checks=$2 start cpu files=() out

	start=$(zec_ms)
	snapshot "$STATE/before.json"
	check_err $? "no counters before"
	senders 500 "$BOOKS_COUNT"
	senders_wait
	busywait 20000 ports_delivered
	for ((cpu = 0; cpu < CPUS; cpu++)); do
		files+=("$STATE/sender.$cpu")
	done
	out=$(jq -r -s --argjson count "$BOOKS_COUNT" --argjson cpu_node "$CPU_NODES" \
		--slurpfile delta "$STATE/delta.json" '
		. as $senders | $delta[0] as $x | $x.dev as $d |
		($senders | map(.sent) | add) as $sent |
		(if any($senders[]; .sent != $count or .errors != 0) then
			"senders: \($senders | map("\(.sent) sent, \(.errors) errors") | join("; ")), not \($count) each"
		 else empty end),
		(if $d.submitted_packets != $sent then
			"zec0 was handed \($d.submitted_packets) of \($sent) sent" else empty end),
		(if $d.tx_local_packets + $d.tx_cross_packets + $d.drop_no_port +
		    $d.drop_tx_error + $d.drop_rate != $sent then
			"sent \($sent) != local \($d.tx_local_packets) + cross \($d.tx_cross_packets) + no-port \($d.drop_no_port) + tx-error \($d.drop_tx_error) + rate \($d.drop_rate)"
		 else empty end),
		(if ($x.nodes | length) != ($cpu_node | unique | length) then
			"zec0 has stats of \($x.nodes | length) nodes" else empty end),
		($x.nodes | to_entries[] | (.key | tonumber) as $n |
			([$senders | to_entries[] | select($cpu_node[.key] == $n) | .value.sent] | add) as $ns |
			if .value.submitted_packets != $ns then
				"node \($n): its CPUs sent \($ns), zec0 was handed \(.value.submitted_packets)"
			else empty end),
		($x.ports | to_entries[] | select(.value.tx != .value.switch + .value.dropped) |
			"\(.key): zec sent \(.value.tx), switch got \(.value.switch), driver dropped \(.value.dropped)"),
		('"$checks"')' "${files[@]}")
	check_err $? "jq failed"
	[ -z "$out" ]
	check_err $? "${out//$'\n'/; }"
	jq -r '.dev as $d | "local \($d.tx_local_packets) + cross \($d.tx_cross_packets)" +
		" + rate drops \($d.drop_rate) + no-port \($d.drop_no_port) + tx-error \($d.drop_tx_error)" +
		" = \($d.submitted_packets) handed to zec0; per port zec/switch/driver drop: " +
		(.ports | to_entries | map("\(.key) \(.value.tx)/\(.value.switch)/\(.value.dropped)") | join(", "))' \
		"$STATE/delta.json"
	echo "round took $(($(zec_ms) - start)) ms"
	log_test "books: $name"
}

test_books()
{
	local port

	books "all ports up: sent = local = received" '
		(if $d.tx_local_packets != $sent then "only \($d.tx_local_packets) local" else empty end),
		($x.ports | to_entries[] | select(.value.dropped != 0) |
			"\(.key): its driver dropped \(.value.dropped)")'

	for port in "${PORTS[@]}"; do
		[ "$(zec_port_home "$port")" = 1 ] || continue
		zecctl port set "$port" enable off
		check_err $? "cannot disable $port"
	done
	zecctl rate set zec0 1mbit pps 20 burst 1514 mode police
	check_err $? "cannot set the cap"
	books "node 1 disabled, 20 pps cap: sent = received + rate drops" '
		(if $d.tx_cross_packets == 0 then "nothing went cross-node" else empty end),
		(if $d.drop_rate == 0 then "the cap dropped nothing" else empty end),
		(if $d.drop_no_port + $d.drop_tx_error != 0 then "other drops" else empty end),
		($x.ports | to_entries[] | select((.key | startswith("n1")) and .value.tx != 0) |
			"disabled \(.key) sent \(.value.tx)")'
}

no_trace_left()
{
	local port

	not grep -q '^zec ' /proc/modules || return 1
	[ -z "$(ip -d -j link show | jq -r '.[] | select(.linkinfo.info_kind == "zec") | .ifname')" ] || return 1
	for port in "${PORTS[@]}"; do
		[ "$(ip -j link show dev "$port" | jq -r '.[0].master // empty')" = "" ] || return 1
	done
}

test_unload()
{
	local i out port start

	start=$(zec_ms)
	senders 1000 100000000
	rmmod zec
	check_err $? "rmmod with zec0, its ports and traffic live failed"
	no_trace_left
	check_err $? "zec left something behind: $(ip -br link)"
	log_test "rmmod with zec0 and traffic live"

	for ((i = 1; i <= ZEC_STRESS_RELOADS; i++)); do
		modprobe zec && zec0_build && ip link add zec1 type zec &&
			rmmod zec && [ ! -e /sys/class/net/zec0 ] &&
			[ ! -e /sys/class/net/zec1 ]
		check_err $? "reload round $i failed"
		[ "$RET" -eq 0 ] || break
	done
	senders_stop
	echo "unload and $((i - 1)) reloads took $(($(zec_ms) - start)) ms"
	no_trace_left
	check_err $? "zec left something behind: $(ip -br link)"
	for port in "${PORTS[@]}"; do
		ip -j link show dev "$port" | jq -e --arg mac "$ZEC_MAC_PREFIX:0${port:1:1}:0${port:3:1}:01" \
			'.[0].address == $mac and .[0].mtu == 1500' > /dev/null
		check_err $? "$port did not get its MAC and MTU back: $(ip -br link show dev "$port")"
	done
	out=$(dmesg | grep 'unregister_netdevice: waiting')
	[ -z "$out" ]
	check_err $? "$out"
	log_test "$ZEC_STRESS_RELOADS rounds of load, two devices, unload, under traffic"
}

mkdir -p "$STATE"
SENDERS=()
defer senders_stop
ip netns add "$NETNS"
defer ip netns del "$NETNS"
for port in "${PORTS[@]}"; do
	sysctl -qw "net.ipv6.conf.$port.disable_ipv6=1"
	defer sysctl -qw "net.ipv6.conf.$port.disable_ipv6=0"
done
zec_setup "${PORTS[@]}" || fail_all "cannot set zec0 up"
switch_probe_targets "${PORTS[@]}" || fail_all "cannot address the switch peers"
test_chaos
test_books
test_unload
exit "$EXIT_STATUS"
