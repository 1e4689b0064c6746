#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
# shellcheck disable=SC2317 # functions run by busywait and defer
#
# What the generic netlink family tells about state that changes under it:
# a dump while zec devices come and go never skips one silently (it is
# flagged NLM_F_DUMP_INTR), DEV_SET refuses a probe nest in so many words,
# a port rename reaches the monitor, and the monitor group is for
# CAP_NET_ADMIN only.

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NLTEST=$ROOT/selftests/nltest
MON=/tmp/zec-nlstate-monitor.json
CHURNED=/tmp/zec-nlstate-churned
# Enough zec devices that a STATS_GET dump takes several parts of 32 KiB
# (66 devices without ports in one).
NR_DEVS=200

if [ ! -x "$ZECCTL" ] || [ ! -x "$NLTEST" ]; then
	skip_all "run make first"
fi

# The dump tests' devices live in a namespace of their own: deleting it
# unregisters them all in one batch (one by one, a device takes seconds
# under TCG).
NS=zec-dump

in_ns()
{
	ip netns exec "$NS" "$@"
}

# churn: delete and create zd1..zd$NR_DEVS in turn, each with generation
# 1, until killed: devices leave from the front of the list, where a dump
# that resumes by position notices. Counts its rounds in $CHURNED.
churn()
{
	local i n=0

	for ((i = 1; ; i = i % (NR_DEVS - 1) + 1)); do
		ip -n "$NS" link del "zd$i" 2> /dev/null
		ip -n "$NS" link add "zd$i" type zec &&
			in_ns "$ZECCTL" dev set "zd$i" garp 2 &&
			echo $((++n)) > "$CHURNED"
	done
}

test_dump()
{
	local i out pid

	ip netns add "$NS"
	defer ip netns del "$NS"
	for ((i = 0; i < NR_DEVS; i++)); do
		echo "link add zd$i type zec"
	done | ip -n "$NS" -batch -
	check_err $? "cannot create the zd devices"
	# Generation 1, as the devices the dump's sequence summed used to lose.
	in_ns "$ZECCTL" dev set zd0 garp 2
	check_err $? "zecctl dev set zd0 failed"
	out=$(in_ns "$NLTEST" dump-skip zd zd0 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	indent "$out"
	log_test "device deleted between the parts of a dump: flagged"

	echo 0 > "$CHURNED"
	churn > /dev/null 2>&1 &
	pid=$!
	out=$(in_ns "$NLTEST" dump-loop zd $((20 * ZEC_TIME_SCALE)) 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	kill "$pid"
	wait "$pid" 2> /dev/null
	indent "$out"
	indent "devices deleted and created again meanwhile: $(cat "$CHURNED")"
	log_test "dumps while devices are created and deleted in a loop"
}

test_devset_probe()
{
	local out

	ip link add zec0 type zec
	check_err $? "cannot create zec0"
	defer ip link del zec0
	out=$("$NLTEST" devset-probe zec0 - 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	indent "$out"
	log_test "DEV_SET with a probe nest is refused with a reason"
}

test_rename()
{
	"$ZECCTL" -j monitor > "$MON" 2>&1 &
	defer kill $!
	busywait 15000 poke_monitor 3 2
	check_err $? "the monitor does not listen"
	ip link set n1p0 master zec0
	check_err $? "cannot enslave n1p0"
	busywait 10000 monitor_event '.event == "port-added" and .port == "n1p0"'
	check_err $? "the monitor did not see n1p0 join"
	# Only a down netdev can be renamed.
	ip link set n1p0 down
	ip link set n1p0 name zren1
	check_err $? "cannot rename n1p0"
	defer ip link set zren1 name n1p0
	busywait 10000 monitor_event '.event == "port-state" and .port == "zren1" and
	   .reason == "renamed"'
	check_err $? "no renamed event for zren1: $(tail -n 3 "$MON")"
	[ "$("$ZECCTL" -j show zec0 | jq -r '.[0].ports[0].ifname')" = zren1 ]
	check_err $? "zecctl show does not list zren1"
	log_test "a port rename reaches the monitor"
}

test_monitor_cap()
{
	local out rc nobody_zecctl

	nobody_zecctl=$(zecctl_for_nobody)
	check_err $? "cannot copy zecctl for nobody"
	out=$("${AS_NOBODY[@]}" timeout 10 "$nobody_zecctl" monitor 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
	check_err $? "nobody could listen to the monitor group (exit $rc)"
	[[ $out == *"Operation not permitted"* ]]
	check_err $? "not EPERM: $out"
	log_test "the monitor group takes CAP_NET_ADMIN"
}

modprobe zec || skip_all "no zec module"
test_dump
test_devset_probe
test_rename
test_monitor_cap
exit "$EXIT_STATUS"
