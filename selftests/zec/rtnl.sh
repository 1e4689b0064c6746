#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
# shellcheck disable=SC2317 # functions run by busywait and defer
#
# The link kind zec over rtnetlink, as ip and the tools that speak only
# rtnetlink see it: what a stock ip (iproute2 6.1) shows; with the plugin
# of contrib/iproute2, "ip link add zec0 type zec mode independent" and
# "ip link set zec0 type zec mode lag" set what zecctl then reports, a
# value out of range is refused with the kernel's extack message and
# changes nothing, "ip -d -j link" shows the settings and each port's
# node and state; a cable pull writes the failover line to the kernel
# log, as does the way back; and "ip monitor link" sees zec0's settings
# change (zecctl, generic netlink) and its ports' state change, each only
# when it does.
#
#   zec0 (independent) ─┬─ n0p0 ══ sw-n0p0
#                       └─ n1p0 ══ sw-n1p0

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLUGIN_DIR=$ROOT/contrib/iproute2
KLOG=/tmp/zec-rtnl-dmesg.txt
ERR=/tmp/zec-rtnl-ip.err

zec_require_built "$ZECCTL" "$PLUGIN_DIR/link_zec.so"

# ipz ARGS...: ip with the zec plugin; the stock ip is plain "ip".
ipz()
{
	IP_LIB_DIR=$PLUGIN_DIR ip "$@"
}

# zshow FILTER: jq -e FILTER over "zecctl -j show zec0".
zshow()
{
	"$ZECCTL" -j show zec0 | jq -e ".[0] | $1" > /dev/null
}

# linkinfo DEV FILTER [IP]: jq -e FILTER over DEV's linkinfo, as "ip -d -j
# link show" prints it (the stock ip unless IP is ipz).
linkinfo()
{
	"${3:-ip}" -d -j link show dev "$1" | jq -e ".[0].linkinfo | $2" > /dev/null
}

linkinfo_text()
{
	"${2:-ip}" -d -j link show dev "$1" | jq -c '.[0].linkinfo'
}

test_stock_ip()
{
	ip link add zec0 type zec
	check_err $? "stock ip cannot create zec0"
	defer ip link del zec0
	ip link set dev n0p0 master zec0
	check_err $? "cannot enslave n0p0"
	# iproute2 6.1 decodes the kinds it has a link_util for: of zec's
	# linkinfo it prints the kinds alone.
	linkinfo zec0 '. == {"info_kind": "zec"}'
	check_err $? "stock ip shows zec0's linkinfo as $(linkinfo_text zec0)"
	linkinfo n0p0 '. == {"info_slave_kind": "zec"}'
	check_err $? "stock ip shows n0p0's linkinfo as $(linkinfo_text n0p0)"
	# ... and has no words for its options.
	ip link set zec0 type zec mode lag 2> "$ERR"
	check_fail $? "stock ip took zec options"
	grep -q 'Garbage instead of arguments' "$ERR"
	check_err $? "stock ip said: $(cat "$ERR")"
	log_test "stock ip: kinds only, no zec options"
}

test_create_change()
{
	ipz link add zec0 type zec mode independent updelay 300 garp_count 3 \
		announce_count 5
	check_err $? "ip link add zec0 type zec mode independent ... failed"
	defer ip link del zec0
	zshow '.mode == "independent" and .updelay_ms == 300 and .garp_count == 3'
	check_err $? "zecctl shows $("$ZECCTL" -j show zec0 | jq -c '.[0] | {mode, updelay_ms, garp_count}')"
	linkinfo zec0 '.info_kind == "zec" and .info_data.mode == "independent" and
		.info_data.updelay == 300 and .info_data.garp_count == 3 and
		.info_data.announce_count == 5 and .info_data.rx_port == "auto"' ipz
	check_err $? "ip -d -j link shows $(linkinfo_text zec0 ipz)"
	log_test "ip link add zec0 type zec mode independent: applied at creation"

	ipz link set zec0 type zec mode lag
	check_err $? "ip link set zec0 type zec mode lag failed"
	zshow '.mode == "lag" and .updelay_ms == 300'
	check_err $? "zecctl shows $("$ZECCTL" -j show zec0 | jq -c '.[0] | {mode, updelay_ms}')"
	linkinfo zec0 '.info_data.mode == "lag" and .info_data.updelay == 300' ipz
	check_err $? "ip -d -j link shows $(linkinfo_text zec0 ipz)"
	log_test "ip link set zec0 type zec mode lag: changed, the rest kept"
}

test_refused()
{
	ipz link add zec0 type zec mode independent
	check_err $? "cannot create zec0"
	defer ip link del zec0

	ipz link set zec0 type zec mode lag updelay 600001 2> "$ERR"
	check_fail $? "updelay 600001 accepted"
	grep -q 'Error: integer out of range' "$ERR"
	check_err $? "ip said: $(cat "$ERR")"
	zshow '.mode == "independent" and .updelay_ms == 0'
	check_err $? "a refused change changed zec0: $("$ZECCTL" -j show zec0 | jq -c '.[0] | {mode, updelay_ms}')"
	log_test "out of range: refused with the kernel's message, nothing changed"

	# All or nothing: the mode is valid, the receive port is no port.
	ipz link set zec0 type zec mode lag rx_port n1p0 2> "$ERR"
	check_fail $? "a receive port that is no port accepted"
	grep -q 'Error: Receive port is not a port of this zec device' "$ERR"
	check_err $? "ip said: $(cat "$ERR")"
	zshow '.mode == "independent"'
	check_err $? "mode changed with a refused receive port: $("$ZECCTL" -j show zec0 | jq -c '.[0].mode')"

	ipz link add zec1 type zec garp_count 256 2> "$ERR"
	check_fail $? "zec1 created with garp_count 256"
	if ip link show dev zec1 > /dev/null 2>&1; then
		check_err 1 "a refused ip link add left zec1 behind"
		ip link del zec1
	fi
	grep -q 'Error: integer out of range' "$ERR"
	check_err $? "ip said: $(cat "$ERR")"
	log_test "a refused receive port and creation: extack, no device left"
}

# port_is PORT FILTER: PORT's slave data, as the plugin prints it.
port_is()
{
	linkinfo "$1" ".info_slave_kind == \"zec\" and (.info_slave_data | $2)" ipz
}

test_ports_failover()
{
	local node1

	klog_mark rtnl-failover
	ipz link add zec0 type zec mode independent
	check_err $? "cannot create zec0"
	defer ip link del zec0
	ip link set dev n0p0 master zec0 && ip link set dev n1p0 master zec0
	check_err $? "cannot enslave the ports"
	ip link set zec0 up
	node1=$(zec_port_home n1p0)

	busywait 5000 port_is n1p0 ".state == \"up\" and .node == $node1 and
		.enabled == true and .down_reasons == []"
	check_err $? "n1p0 as ip shows it: $(linkinfo_text n1p0 ipz)"
	ipz link set zec0 type zec rx_port n1p0
	check_err $? "ip link set zec0 type zec rx_port n1p0 failed"
	busywait 5000 linkinfo zec0 '.info_data.rx_port == "n1p0" and
		.info_data.rx_port_active == "n1p0"' ipz
	check_err $? "receive port as ip shows it: $(linkinfo_text zec0 ipz)"
	log_test "slave data: a port's node and state; the receive port by name"

	zec_cable n1p0 off
	busywait 5000 port_is n1p0 '.state == "down" and .down_reasons == ["carrier"]'
	check_err $? "n1p0 after its cable was pulled: $(linkinfo_text n1p0 ipz)"
	busywait 5000 klog_has "zec0: n1p0 down (carrier), node $node1 now served by n0p0"
	check_err $? "no failover line in the kernel log: $(grep zec0 "$KLOG" | tail -3)"
	log_test "cable pull: port down in ip, failover line in the kernel log"

	zec_cable n1p0 on
	busywait 5000 port_is n1p0 '.state == "up"'
	check_err $? "n1p0 after its cable came back: $(linkinfo_text n1p0 ipz)"
	busywait 5000 klog_has "zec0: node $node1 now served by n1p0, was n0p0 (carrier)"
	check_err $? "no failback line in the kernel log: $(grep zec0 "$KLOG" | tail -3)"
	log_test "cable back: port up in ip, failback line in the kernel log"
}

# What "ip -d -o monitor link" printed (with the plugin: one line per
# RTM_NEWLINK, with the zec linkinfo), and the line of its last sentinel.
MON=
MON_SYNC=0
__mon_seq=0

# mon_sync: a sentinel: zec0's alias set to a new word, and the
# monitor's line of that change awaited (briefly: busywait retries), into
# MON_SYNC. rtnetlink sends under RTNL, in order: what was sent before
# the alias change is above MON_SYNC. zec0 must be up (the kernel tells
# of an alias only then).
mon_sync()
{
	local word line

	__mon_seq=$((__mon_seq + 1))
	word=zec-mon-$__mon_seq.
	ip link set dev zec0 alias "$word" || return 1
	busywait 500 grep -qF "alias $word" "$MON" || return 1
	line=$(grep -nF -m1 "alias $word" "$MON")
	MON_SYNC=${line%%:*}
}

# mon_has FROM DEV TEXT [TO]: a line of the monitor after line FROM (and
# before line TO) is about DEV and has TEXT.
mon_has()
{
	awk -v from="$1" -v to="${4:-0}" 'NR > from && (!to || NR < to)' "$MON" |
		grep -E "^[0-9]+: $2[:@]" | grep -qF -- "$3"
}

# mon_last DEV: the monitor's last lines about DEV, for the messages.
mon_last()
{
	grep -E "^[0-9]+: $1[:@]" "$MON" | tail -n 2 | cut -c 1-400
}

operstate_up()
{
	ip -j link show dev "$1" | jq -e '.[0].operstate == "UP"' > /dev/null
}

test_link_notifications()
{
	local dir base updelay=$((3000 * ZEC_TIME_SCALE))

	dir=$(mktemp -d) || fail_all "mktemp -d failed"
	defer rm -rf "$dir"
	MON=$dir/monitor.txt
	ip link add zec0 type zec
	check_err $? "cannot create zec0"
	defer ip link del zec0
	ip link set dev n0p0 master zec0 && ip link set dev n1p0 master zec0
	check_err $? "cannot enslave the ports"
	ip link set zec0 up
	busywait 5000 port_is n1p0 '.state == "up"'
	check_err $? "n1p0 as ip shows it: $(linkinfo_text n1p0 ipz)"
	# zec0's carrier goes through linkwatch, up to a second late: its
	# RTM_NEWLINK is sent once the operstate is up, before the monitor.
	busywait 5000 operstate_up zec0
	check_err $? "zec0 is not up: $(ip -j link show dev zec0 | jq -c '.[0].operstate')"
	# The guest has no /dev/fd: into a file.
	IP_LIB_DIR=$PLUGIN_DIR ip -d -o monitor link > "$MON" 2>&1 &
	defer kill $!
	busywait 15000 mon_sync
	check_err $? "ip monitor link printed no change of zec0's alias"

	base=$MON_SYNC
	"$ZECCTL" dev set zec0 updelay "$updelay"
	check_err $? "zecctl dev set zec0 updelay $updelay failed"
	busywait 5000 mon_has "$base" zec0 " updelay $updelay "
	check_err $? "no RTM_NEWLINK of zec0 with updelay $updelay: $(mon_last zec0)"
	# The same value again: nothing changes, nothing is sent.
	busywait 5000 mon_sync
	base=$MON_SYNC
	"$ZECCTL" dev set zec0 updelay "$updelay"
	check_err $? "zecctl dev set zec0 updelay $updelay (again) failed"
	busywait 5000 mon_sync
	check_err $? "ip monitor link printed no sentinel"
	not mon_has "$base" zec0 "" "$MON_SYNC"
	check_err $? "RTM_NEWLINK of zec0 for a setting given its own value: $(mon_last zec0)"
	log_test "ip monitor link: zec0's settings changed, and only then"

	base=$MON_SYNC
	"$ZECCTL" port set n1p0 enable off
	check_err $? "zecctl port set n1p0 enable off failed"
	busywait 5000 mon_has "$base" n1p0 "enabled false state down down_reasons admin "
	check_err $? "no RTM_NEWLINK of n1p0 disabled: $(mon_last n1p0)"
	busywait 5000 mon_sync
	check_err $? "ip monitor link printed no sentinel"
	base=$MON_SYNC
	"$ZECCTL" port set n1p0 enable on
	check_err $? "zecctl port set n1p0 enable on failed"
	busywait 5000 mon_has "$base" n1p0 "enabled true state up "
	check_err $? "no RTM_NEWLINK of n1p0 enabled: $(mon_last n1p0)"
	log_test "ip monitor link: a port disabled and enabled"

	# The carrier's own RTM_NEWLINK says a port went down and came back;
	# the end of its up delay has only zec's.
	busywait 5000 mon_sync
	base=$MON_SYNC
	zec_cable n1p0 off
	busywait 5000 mon_has "$base" n1p0 "state down down_reasons carrier "
	check_err $? "no RTM_NEWLINK of n1p0 down: $(mon_last n1p0)"
	zec_cable n1p0 on
	busywait 5000 port_is n1p0 '.down_reasons == ["up_delay"]'
	check_err $? "n1p0 after its cable came back: $(linkinfo_text n1p0 ipz)"
	busywait 5000 mon_sync
	check_err $? "ip monitor link printed no sentinel"
	base=$MON_SYNC
	port_is n1p0 '.down_reasons == ["up_delay"]'
	check_err $? "the up delay of $updelay ms ended before the sentinel: $(linkinfo_text n1p0 ipz)"
	busywait 8000 mon_has "$base" n1p0 "enabled true state up "
	check_err $? "no RTM_NEWLINK of n1p0 at the end of its up delay: $(mon_last n1p0)"
	log_test "ip monitor link: a port's cable pulled, back, up after its up delay"
}

# Deleting zec0 releases its ports: that is no failover, and the log says
# none.
test_delete_quiet()
{
	ip link add zec0 type zec
	ip link set dev n0p0 master zec0 && ip link set dev n1p0 master zec0
	check_err $? "cannot make zec0 over both ports"
	klog_mark rtnl-delete
	ip link del zec0
	check_err $? "cannot delete zec0"
	klog_since > "$KLOG"
	! grep -q "served by" "$KLOG"
	check_err $? "failover lines for a deleted zec0: $(grep "served by" "$KLOG")"
	log_test "zec0 deleted: no failover line for the ports it released"
}

test_stock_ip
defer_run
test_create_change
defer_run
test_refused
defer_run
test_ports_failover
defer_run
test_link_notifications
defer_run
test_delete_quiet
exit "$EXIT_STATUS"
