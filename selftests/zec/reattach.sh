#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=240
#
# For VMMs, against the real module: libzec's example agent receives the
# failover of a cable pull and prints the re-attach plan of the VF held on
# the dead port's PF as QMP commands; zecctl vhost cpus names the node of a
# VM's CPUs and the port that serves it, where its traffic then leaves.
#
#   zec0 ─┬─ n0p0  PF 0000:03:00.0 (node 0), VFs 03:10.0 03:10.2 free
#         └─ n1p0  PF 0000:81:00.0 (node 1), VF 81:01.0 held, cable pulled
#
# There is no SR-IOV in the guest: the PFs and VFs are libzec's host-test
# fixture (libzec/tests/build/sysfs-fixture, fixture_reattach() of
# libzec/tests/fixture.c) laid out in /tmp with the PF netdevs named after
# the guest's real ports, so that the agent matches zec's ports, whose
# state comes from the kernel, to them.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"

AGENT=$(dirname "$0")/../../libzec/examples/reattach-agent
FIXTURE=$(dirname "$0")/../../libzec/tests/build/sysfs-fixture
OUT=/tmp/zec-reattach.out
COUNT=200
STRAY=3
# QEMU's announce defaults, which the agent passes
ANNOUNCE='{"initial":50,"max":550,"rounds":5,"step":100}'

zec_require_built "$ZECCTL" "$AGENT" "$FIXTURE"

# hostdev_id PCI_ADDR: the agent's QEMU device id of a VF.
hostdev_id()
{
	local id=${1//:/-}

	echo "hostdev-${id//./-}"
}

# pf_vfs PORT: the VFs of the PF of PORT in the fixture, one a line.
pf_vfs()
{
	local vf

	for vf in "$ROOT/class/net/$1/device"/virtfn*; do
		basename "$(readlink "$vf")"
	done
}

# lock_owner PCI_ADDR: the pid in the VF's reservation, "" if none.
lock_owner()
{
	cat "$ROOT/run/$1" 2> /dev/null
}

# agent ARGS...: the agent over the fixture, watching zec0.
agent()
{
	"$AGENT" --sysfs-root "$ROOT" --run-dir "$ROOT/run" "$@" zec0
}

# vhost NODE_CPUS: "NODE PORT,..." as zecctl vhost cpus says for a VM there.
vhost()
{
	"$ZECCTL" -j vhost cpus "$1" dev zec0 |
		jq -r '"\(.node) \(.ports | join(","))"'
}

# serves NODE PORT: zecctl vhost cpus says a VM on NODE's CPUs is on NODE
# and PORT serves it.
serves()
{
	[ "$(vhost "$(node_cpus "$1")")" = "$1 $2" ]
}

# vhost_sends CPUS PORT OTHER LABEL: COUNT datagrams from the vhost CPUs
# that zecctl gave leave through PORT only (and at most STRAY more: the
# gratuitous ARPs of a takeover).
vhost_sends()
{
	local cpus=$1 port=$2 other=$3 label=$4 via_port via_other

	via_port=$(zec_sent "$port") via_other=$(zec_sent "$other")
	taskset -c "$cpus" /usr/bin/python3 "$UDP" send --dst "$SWITCH_ADDR" \
		--count "$COUNT" > /dev/null
	via_port=$(($(zec_sent "$port") - via_port))
	via_other=$(($(zec_sent "$other") - via_other))
	[ "$via_port" -ge "$COUNT" ] && [ "$via_port" -le $((COUNT + STRAY)) ] &&
		[ "$via_other" -eq 0 ]
	check_err $? "$label: from vhost CPUs $cpus $port sent $via_port, $other $via_other; want $COUNT and 0"
}

# vhost_node1 PORT OTHER LABEL: zecctl vhost cpus for a VM on node 1's CPUs
# names node 1 and PORT, and traffic from the CPUs it gives leaves there.
vhost_node1()
{
	local port=$1 other=$2 label=$3 cpus

	serves 1 "$port"
	check_err $? "$label: vhost cpus $(node_cpus 1): '$(vhost "$(node_cpus 1)")', want node 1 served by $port"
	cpus=$("$ZECCTL" -j vhost cpus "$(node_cpus 1)" | jq -r '.cpus | join(",")')
	vhost_sends "$cpus" "$port" "$other" "$label"
}

test_vhost_local()
{
	vhost_node1 n1p0 n0p0 "cable in"
	log_test "vhost cpus: node 1's CPUs, served by n1p0, leave through it"
}

test_agent_idle()
{
	agent --once > "$OUT"
	check_err $? "reattach-agent --once failed"
	[ ! -s "$OUT" ]
	check_err $? "a plan with every port up: $(cat "$OUT")"
	log_test "reattach agent: no plan while every port is up"
}

# The plan the agent printed for the held VF: device_del of it, device_add
# of a free VF of n0p0's PF, announce-self; reservations handed over.
check_plan()
{
	local held=$1 new id

	[ "$(wc -l < "$OUT")" -eq 3 ]
	check_err $? "want 3 QMP commands, got: $(cat "$OUT")"
	sed -n 1p "$OUT" | jq -e --arg id "$(hostdev_id "$held")" \
		'. == {execute: "device_del", arguments: {id: $id}}' > /dev/null
	check_err $? "not a device_del of $held: $(sed -n 1p "$OUT")"
	new=$(sed -n 2p "$OUT" | jq -r '.arguments.host // empty')
	pf_vfs n0p0 | grep -qx "$new"
	check_err $? "device_add of '$new', not a VF of n0p0's PF ($(pf_vfs n0p0 | paste -sd,))"
	id=$(hostdev_id "$new")
	sed -n 2p "$OUT" | jq -e --arg host "$new" --arg id "$id" \
		'. == {execute: "device_add", arguments: {driver: "vfio-pci", host: $host, id: $id}}' > /dev/null
	check_err $? "not a vfio-pci device_add of $new as $id: $(sed -n 2p "$OUT")"
	sed -n 3p "$OUT" | jq -e --argjson a "$ANNOUNCE" \
		'. == {execute: "announce-self", arguments: $a}' > /dev/null
	check_err $? "not announce-self $ANNOUNCE: $(sed -n 3p "$OUT")"
	[ "$(lock_owner "$new")" = $$ ] && [ -z "$(lock_owner "$held")" ]
	check_err $? "reservations: $new held by '$(lock_owner "$new")', $held by '$(lock_owner "$held")'; want $$ and none"
}

test_agent_failover()
{
	local held=0000:81:01.0 agent_pid status

	agent --count 1 --timeout $((30 * ZEC_TIME_SCALE)) > "$OUT" 2> "$OUT.err" &
	agent_pid=$!
	defer reap "$agent_pid"
	busywait 10000 grep -q "zec0: watching" "$OUT.err"
	check_err $? "the agent did not start: $(cat "$OUT.err")"
	[ ! -s "$OUT" ]
	check_err $? "a plan before the cable pull: $(cat "$OUT")"

	zec_cable n1p0 off
	check_err $? "could not pull n1p0's cable"
	defer zec_cable n1p0 on
	busywait 2000 not zec_carrier n1p0
	check_err $? "n1p0 kept its carrier"
	# it exits after one plan, or fails after its --timeout
	wait "$agent_pid"
	status=$?
	[ "$status" -eq 0 ]
	check_err $? "agent exited with $status: $(cat "$OUT.err")"
	check_plan "$held"
	log_test "reattach agent: n1p0's cable pulled, held VF moved to n0p0's PF"

	agent --once > "$OUT"
	check_err $? "reattach-agent --once failed"
	[ ! -s "$OUT" ]
	check_err $? "a second plan for VFs already moved: $(cat "$OUT")"
	log_test "reattach agent: nothing left to move once handed over"
}

test_vhost_failover()
{
	vhost_node1 n0p0 n1p0 "cable out"
	log_test "vhost cpus: node 1 served by n0p0 while n1p0 is down"

	zec_cable n1p0 on
	check_err $? "could not plug n1p0's cable back"
	busywait 5000 serves 1 n1p0
	check_err $? "cable back: '$(vhost "$(node_cpus 1)")', want node 1 served by n1p0"
	log_test "vhost cpus: n1p0 serves node 1 again with its cable back"
}

zec_setup n0p0 n1p0 || fail_all "zec0 over n0p0 n1p0"
ROOT=$("$FIXTURE" reattach n0p0 n1p0 $$) || fail_all "sysfs fixture"
defer rm -rf "$ROOT" "$OUT" "$OUT.err"
# zec's ports take traffic once up
{ busywait 10000 serves 0 n0p0 && busywait 10000 serves 1 n1p0; } ||
	fail_all "ports of zec0 not serving their nodes: $(vhost "$(node_cpus 0)"), $(vhost "$(node_cpus 1)")"

test_vhost_local
test_agent_idle
test_agent_failover
test_vhost_failover
exit "$EXIT_STATUS"
