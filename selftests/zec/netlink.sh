#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=240
# shellcheck disable=SC2317 # functions run by busywait and defer
#
# The generic netlink family through zecctl and libzec against the real
# module: every zecctl command, options applied at port add, a node
# override moving a pinned sender's traffic, monitor events for a cable
# pull and its return, resync after an overrun, permissions, namespaces,
# malformed requests (selftests/nltest), and the counters and state in
# Prometheus's text format (python3-prometheus-client's parser).
#
#   zec0 192.0.2.1/24 ─┬─ n0p0 ══ sw-n0p0 (netns switch)
#                      └─ n1p0 ══ sw-n1p0

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NLTEST=$ROOT/selftests/nltest
PROMCHECK=$ROOT/selftests/promcheck.py
PROM=/tmp/zec-netlink.prom
MON=/tmp/zec-netlink-monitor.json
SHOW=/tmp/zec-netlink-show.json

zec_require_built "$ZECCTL" "$NLTEST"

zecctl()
{
	"$ZECCTL" "$@"
}

# show: "zecctl -j show zec0" into $SHOW, for jq checks.
show()
{
	zecctl -j show zec0 > "$SHOW"
}

# q FILTER: jq over the last show, -e so that false and null fail.
q()
{
	jq -e "$@" "$SHOW" > /dev/null
}

del_zec0()
{
	ip link del zec0 2> /dev/null
}

test_setup()
{
	zecctl link add zec0
	check_err $? "zecctl link add zec0 failed"
	defer del_zec0
	[ "$(zec_link_kind zec0)" = zec ]
	check_err $? "zec0 is not of kind zec"

	zecctl -j monitor > "$MON" 2>&1 &
	defer kill $!
	busywait 15000 poke_monitor 3 2
	check_err $? "no config event from the monitor"
	zecctl dev set zec0 garp 2 updelay 0
	check_err $? "zecctl dev set failed"
	busywait 5000 monitor_event '.event == "config" and .garp_count == 2'
	check_err $? "no config event for garp 2"

	zecctl port add n0p0 master zec0
	check_err $? "zecctl port add n0p0 failed"
	zecctl port add n1p0 master zec0 node 0 enable off
	check_err $? "zecctl port add n1p0 node 0 enable off failed"
	show
	q '.[0].ports | length == 2 and .[0].ifname == "n0p0"'
	check_err $? "zec0 does not list n0p0 and n1p0 in order"
	q '.[0].ports[1] | .enabled == false and .node_override == 0 and
	   .state == "down" and .down_reasons == ["admin"]'
	check_err $? "n1p0 did not get its options at add: $(jq -c '.[0].ports[1]' "$SHOW")"
	q '.[0].nodes[1] | .ports == ["n0p0"] and .select == "nearest"'
	check_err $? "node 1 is not served by n0p0: $(jq -c '.[0].nodes' "$SHOW")"
	monitor_event '.event == "port-added" and .port == "n1p0" and .enabled == false'
	check_err $? "no port-added event for n1p0"
	log_test "link add, port add with options, show, monitor"

	zecctl port set n1p0 node auto enable on
	check_err $? "zecctl port set n1p0 node auto enable on failed"
	show
	q '.[0].ports[1] | .enabled and .node_override == null and
	   .state == "up" and .node == 1'
	check_err $? "n1p0 is not back to auto and up: $(jq -c '.[0].ports[1]' "$SHOW")"
	q '.[0].nodes[1] | .ports == ["n1p0"] and .select == "local" and
	   .distance == 10'
	check_err $? "node 1 is not served by n1p0: $(jq -c '.[0].nodes' "$SHOW")"
	busywait 5000 monitor_event '.event == "failover" and .node == 1 and
	   .from == "n0p0" and .to == "n1p0" and .reason == "admin" and
	   .select == "local"'
	check_err $? "no admin failover event for node 1"
	log_test "port set: node auto and enable"
}

test_override_moves_traffic()
{
	local n0 n1

	ip addr add "$ZEC_ADDR/24" dev zec0
	ip link set zec0 up
	ip neigh replace "$SWITCH_ADDR" lladdr "$SWITCH_MAC" dev zec0 nud permanent

	n1=$(zec_sent n1p0)
	send_from_node 1 20
	[ "$(zec_sent n1p0)" -ge $((n1 + 20)) ]
	check_err $? "node 1's packets did not leave through n1p0"

	# n0p0 on node 1 too; independent: the first port of the tier serves.
	zecctl dev set zec0 mode independent
	check_err $? "zecctl dev set mode independent failed"
	zecctl port set n0p0 node 1
	check_err $? "zecctl port set n0p0 node 1 failed"
	show
	q '.[0].mode == "independent" and .[0].nodes[1].ports == ["n0p0"]'
	check_err $? "node 1 is not served by n0p0: $(jq -c '.[0].nodes' "$SHOW")"
	n0=$(zec_sent n0p0)
	n1=$(zec_sent n1p0)
	send_from_node 1 20
	[ "$(zec_sent n0p0)" -ge $((n0 + 20)) ] && [ "$(zec_sent n1p0)" -eq "$n1" ]
	check_err $? "node 1's packets did not move to n0p0"

	zecctl -j stats zec0 > "$SHOW"
	q '.[0].nodes[1].stats | .submitted_packets >= 40 and
	   .tx_local_packets >= 40'
	check_err $? "node 1 counters: $(jq -c '.[0].nodes[1].stats' "$SHOW")"
	q '.[0].stats.submitted_packets >= 40 and .[0].ports[0].stats.tx_local_packets >= 20'
	check_err $? "device or port counters: $(jq -c '.[0]' "$SHOW")"

	zecctl port set n0p0 node auto
	zecctl dev set zec0 mode lag
	log_test "node override moves a pinned sender; per-node stats"
}

test_cable_events()
{
	zec_cable n1p0 off
	busywait 10000 monitor_event '.event == "failover" and .node == 1 and
	   .from == "n1p0" and .to == "n0p0" and .reason == "carrier" and
	   .select == "nearest"'
	check_err $? "no failover event for node 1 to n0p0 on cable pull"
	monitor_event '.event == "port-state" and .port == "n1p0" and .state == "down" and
	   .reason == "carrier"'
	check_err $? "no port-state down event for n1p0"

	zec_cable n1p0 on
	busywait 10000 monitor_event '.event == "failover" and .node == 1 and
	   .from == "n0p0" and .to == "n1p0" and .reason == "carrier" and
	   .select == "local"'
	check_err $? "no failover event for node 1 back to n1p0"
	not monitor_event '.event == "failover" and .node == 0 and .reason == "carrier"'
	check_err $? "node 0 reported a carrier failover it did not have"
	# Generations of one device's events rise by one.
	jq -e -s '[.[] | select(.ifname == "zec0") | .generation] as $g |
		  all(range(1; $g | length); $g[.] == $g[. - 1] + 1)' "$MON" > /dev/null
	check_err $? "generation gap in the events: $(jq -c -s 'map(.generation)' "$MON")"
	log_test "monitor: cable pull and restore, failover from/to/reason"
}

# After the traffic and the failovers above: node_exporter's textfile,
# parsed, its counters between two "-j stats" taken around it; a failed
# dump writes nothing and fails, so "> f.tmp && mv f.tmp f" keeps f.
test_prometheus()
{
	local out

	zecctl -j stats > "$SHOW.before"
	zecctl stats -o prometheus > "$PROM"
	check_err $? "zecctl stats -o prometheus failed"
	zecctl -j stats > "$SHOW.after"
	out=$(/usr/bin/python3 "$PROMCHECK" "$PROM" "$SHOW.before" "$SHOW.after" 2>&1)
	check_err $? "$out"
	indent "$out"
	grep -qx 'zec_device_info{device="zec0",mode="lag"} 1' "$PROM" &&
		grep -qx 'zec_port_up{device="zec0",port="n1p0"} 1' "$PROM" &&
		grep -qx 'zec_port_down_reason{device="zec0",port="n1p0",reason="carrier"} 0' "$PROM" &&
		grep -qx 'zec_node_select{device="zec0",node="1",select="local"} 1' "$PROM"
	check_err $? "state: $(grep -E '^zec_(device_info|port_up|node_select)' "$PROM")"
	jq -e '.[0].stats.failovers >= 2 and .[0].nodes[1].stats.submitted_packets >= 40' \
		"$SHOW.before" > /dev/null
	check_err $? "no failovers or traffic to compare: $(jq -c '.[0].stats' "$SHOW.before")"
	zecctl stats -o prometheus zec-none > "$PROM" 2> /dev/null
	check_fail $? "zecctl stats -o prometheus of no device succeeded"
	[ ! -s "$PROM" ]
	check_err $? "a failed dump wrote: $(head -3 "$PROM")"
	log_test "stats -o prometheus: parses, counters as -j stats, port and node state"
}

test_resync()
{
	local out

	out=$("$NLTEST" resync zec0 n1p0 2>&1)
	check_err $? "$out"
	indent "$out"
	log_test "tiny receive buffer under an event flood resyncs"
}

# What a set command could change, without the counters show adds.
CONFIG='.[0] | del(.nodes[].tx_local_packets, .nodes[].tx_cross_packets)'

test_unprivileged()
{
	local before after out nobody_zecctl

	nobody_zecctl=$(zecctl_for_nobody)
	check_err $? "cannot copy zecctl for nobody"
	before=$(zecctl -j show zec0 | jq -c "$CONFIG")
	out=$("${AS_NOBODY[@]}" "$nobody_zecctl" -j show zec0 | jq -r '.[0].ifname')
	[ "$out" = zec0 ]
	check_err $? "nobody cannot show zec0"
	out=$("${AS_NOBODY[@]}" "$nobody_zecctl" dev set zec0 garp 7 2>&1)
	check_fail $? "nobody could set garp"
	[[ $out == *"Operation not permitted"* ]]
	check_err $? "not EPERM: $out"
	out=$("${AS_NOBODY[@]}" "$nobody_zecctl" port set n0p0 enable off 2>&1)
	check_fail $? "nobody could disable a port"
	after=$(zecctl -j show zec0 | jq -c "$CONFIG")
	[ "$before" = "$after" ]
	check_err $? "state changed: $before -> $after"
	log_test "unprivileged: show works, set is EPERM, nothing changes"
}

test_netns()
{
	ip netns add zec-nl
	defer ip netns del zec-nl
	ip netns exec zec-nl "$ZECCTL" link add zec9
	check_err $? "cannot add zec9 in another namespace"
	# A port, so that deleting the namespace notifies its removal.
	ip -n zec-nl link add v0 type veth peer name v1
	ip netns exec zec-nl "$ZECCTL" port add v0 master zec9
	check_err $? "cannot add a port to zec9"
	zecctl -j show > "$SHOW"
	q 'map(.ifname) == ["zec0"]'
	check_err $? "init namespace sees: $(jq -c 'map(.ifname)' "$SHOW")"
	not zecctl show zec9 2> /dev/null
	check_err $? "zec9 is visible from the init namespace"
	[ "$(ip netns exec zec-nl "$ZECCTL" -j show | jq -c 'map(.ifname)')" = '["zec9"]' ]
	check_err $? "the other namespace does not see only zec9"
	not ip netns exec zec-nl "$ZECCTL" show zec0 2> /dev/null
	check_err $? "zec0 is visible from the other namespace"
	log_test "a zec device in another namespace is invisible"
}

test_malformed()
{
	local out

	out=$("$NLTEST" malformed zec0 n0p0 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	indent "$out"
	log_test "malformed requests: errors with extack, nothing changes"
}

test_teardown()
{
	local out

	out=$(zecctl topology)
	check_err $? "zecctl topology failed"
	zecctl -j topology | jq -e 'length > 0' > /dev/null
	check_err $? "zecctl -j topology: $out"
	zecctl stats > /dev/null
	check_err $? "zecctl stats failed"

	zecctl port del n1p0
	check_err $? "zecctl port del n1p0 failed"
	show
	q '.[0].ports | map(.ifname) == ["n0p0"]'
	check_err $? "n1p0 still listed"
	busywait 5000 monitor_event '.event == "port-removed" and .port == "n1p0" and
	   .reason == "removed"'
	check_err $? "no port-removed event"
	zecctl link del zec0
	check_err $? "zecctl link del zec0 failed"
	not ip link show dev zec0 > /dev/null 2>&1
	check_err $? "zec0 still there"
	log_test "port del, link del, topology, stats"
}

modprobe zec || fail_all "cannot load zec"
test_setup
test_override_moves_traffic
test_cable_events
test_prometheus
test_resync
test_unprivileged
test_netns
test_malformed
test_teardown
exit "$EXIT_STATUS"
