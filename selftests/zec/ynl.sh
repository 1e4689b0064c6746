#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
# shellcheck disable=SC2317 # functions run by defer
#
# The YNL spec against the real module, through the kernel's own YNL tool
# (tools/net/ynl from linux-source-6.12, laid out in build/ynl by
# scripts/ynl-tree.sh): a dump and a do decoded by the spec alone (an
# attribute the spec does not know fails the decoding), a notification on
# the spec's group, and the module's registered policies (nlctrl
# GETPOLICY) against the spec's types and checks (selftests/ynl.py).
#
#   zec0 ─┬─ n0p0
#         └─ n1p0

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
YNL=$ROOT/build/ynl
HELPER=$ROOT/selftests/ynl.py
OUT=/tmp/zec-ynl.json

if [ ! -e "$YNL/done" ]; then
	skip_all "no $YNL: run make first"
fi

# ynl ARGS...: the kernel's cli.py on zec's spec, JSON (or the error)
# into $OUT.
ynl()
{
	python3 "$YNL/tools/net/ynl/cli.py" --output-json \
		--spec "$YNL/Documentation/netlink/specs/zec.yaml" "$@" \
		> "$OUT" 2>&1
}

# q FILTER: jq over the last reply, -e so that false and null fail.
q()
{
	jq -e "$@" "$OUT" > /dev/null
}

del_zec0()
{
	ip link del zec0 2> /dev/null
}

test_setup()
{
	ip link add zec0 type zec
	check_err $? "ip link add zec0 type zec failed"
	defer del_zec0
	ip link set n0p0 master zec0 && ip link set n1p0 master zec0
	check_err $? "cannot enslave n0p0 and n1p0"
	ip link set zec0 up
	check_err $? "cannot bring zec0 up"
	log_test "setup over rtnetlink"
}

test_dump()
{
	local ifindex

	ifindex=$(< /sys/class/net/zec0/ifindex)
	ynl --dump dev-get
	check_err $? "dev-get dump failed: $(cat "$OUT")"
	# shellcheck disable=SC2016 # $i is jq's
	q --argjson i "$ifindex" 'length == 1 and .[0].ifindex == $i and
	   .[0].ifname == "zec0" and .[0].mode == "lag"'
	check_err $? "dump is not zec0 (ifindex $ifindex, lag): $(cat "$OUT")"
	q '.[0].port | map([.ifname, .node]) == [["n0p0", 0], ["n1p0", 1]]'
	check_err $? "ports are not n0p0 on 0, n1p0 on 1: $(cat "$OUT")"
	q '.[0].node | map(.id) == [0, 1] and all(.select == "local")'
	check_err $? "nodes 0 and 1 are not served locally: $(cat "$OUT")"
	log_test "dev-get dump decoded by the spec"

	ynl --do stats-get --json '{"ifname": "zec0"}'
	check_err $? "stats-get failed: $(cat "$OUT")"
	q '.stats | has("tx-local-packets") and has("drop-no-port")'
	check_err $? "no device counters: $(cat "$OUT")"
	q '.port | length == 2 and all(.stats | has("rx-packets"))'
	check_err $? "no per-port counters: $(cat "$OUT")"
	log_test "stats-get do decoded by the spec"
}

test_set_notify()
{
	python3 "$HELPER" "$YNL" notify dev-set \
		'{"ifname": "zec0", "garp-count": 7, "up-delay-ms": 250}' \
		> "$OUT" 2>&1
	check_err $? "dev-set failed: $(cat "$OUT")"
	q 'map(select(.name == "dev-change-ntf") | .msg) | length == 1 and
	   .[0].ifname == "zec0" and .[0]."garp-count" == 7'
	check_err $? "no dev-change-ntf with garp-count 7: $(cat "$OUT")"
	ynl --do dev-get --json '{"ifname": "zec0"}'
	check_err $? "dev-get failed: $(cat "$OUT")"
	q '."garp-count" == 7 and ."up-delay-ms" == 250'
	check_err $? "dev-set did not take: $(cat "$OUT")"
	log_test "dev-set do, dev-change-ntf on monitor"
}

test_mac_get()
{
	ynl --do dev-set --json '{"ifname": "zec0", "mode": "independent", "mac-table-size": 100, "announce-count": 2}'
	check_err $? "dev-set of independent mode failed: $(cat "$OUT")"
	ynl --do dev-get --json '{"ifname": "zec0"}'
	check_err $? "dev-get failed: $(cat "$OUT")"
	# shellcheck disable=SC2016 # $i is jq's
	q --argjson i "$(< /sys/class/net/n0p0/ifindex)" '.mode == "independent" and
	   ."mac-table-size" == 128 and ."announce-count" == 2 and
	   ."rx-port-active" == $i'
	check_err $? "independent mode's settings did not take: $(cat "$OUT")"
	ynl --dump mac-get --json '{"ifname": "zec0"}'
	check_err $? "mac-get dump failed: $(cat "$OUT")"
	q 'length == 1 and .[0].ifname == "zec0"'
	check_err $? "mac-get dump is not one message of zec0: $(cat "$OUT")"
	log_test "independent mode's settings and mac-get decoded by the spec"
}

test_policy()
{
	local out bad

	out=$(python3 "$HELPER" "$YNL" policy 2>&1)
	check_err $? "the module's policies differ from the spec"
	bad=$(grep -v '^ok ' <<<"$out")
	[ -z "$bad" ] || indent "$bad"
	indent "$(grep -c '^ok ' <<<"$out") attributes and requests match"
	grep -q '^ok probe\.interval-ms: ' <<<"$out"
	check_err $? "probe.interval-ms was not compared"
	log_test "module policies (nlctrl) match the spec's types and checks"
}

modprobe zec || skip_all "no zec module"
test_setup
test_dump
test_set_notify
test_mac_get
test_policy
exit "$EXIT_STATUS"
