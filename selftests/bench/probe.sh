#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Case "probe": the switch behind n1p0 dies with the carrier up (its side
# of the cable unplugged at the hub, zec_cable sw-n1p0 off). How long until
# the device under test stops using n1p0, probing every INTERVAL_MS:
#
#   zec      zec0, probe targets 192.0.2.10 (sw-n0p0) and 192.0.2.11
#            (sw-n1p0), each answering only on its own port; miss 3
#   bond-arp bond0 active-backup, n1p0 primary, arp_interval INTERVAL_MS,
#            arp_ip_target 192.0.2.254 on a bridge over both peers,
#            arp_missed_max 3; its ARP monitor replaces miimon (bonding
#            cannot run both)
#
# Measured: ms from just before the unplug to the verdict. zec's is the
# CLOCK_MONOTONIC timestamp of its port-state event against the clock read
# (/proc/timer_list) before the unplug; bonding's is when its active_slave
# turns to n0p0, polled without forking by this script on CPU 0. Both
# include the unplug's QMP round trip.
set -euo pipefail

bench_dir=$(dirname "$0")
# shellcheck source=selftests/lib.sh
. "$bench_dir/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$bench_dir/../datapath.sh"
# shellcheck source=selftests/bench/common.sh
. "$bench_dir/common.sh"

INTERVAL_MS=20
MISS=3
MON=/tmp/bench-probe-monitor.json
# What a variant measured (not echoed: a command substitution would lose
# what it deferred).
DETECT_MS=

# monotonic_ns: CLOCK_MONOTONIC now, without a fork.
monotonic_ns()
{
	local line

	while read -r line; do
		case $line in
		"now at "*)
			line=${line#now at }
			echo "${line%% *}"
			return ;;
		esac
	done < /proc/timer_list
}

zec_variant()
{
	local t0 ts

	dut_setup zec
	switch_probe_targets
	"$ZECCTL" probe set zec0 target 192.0.2.10 target 192.0.2.11 \
		interval "${INTERVAL_MS}ms" miss "$MISS"
	sleep 1
	"$ZECCTL" -j monitor > "$MON" &
	defer reap "$!"
	sleep 1
	t0=$(monotonic_ns)
	zec_cable sw-n1p0 off
	busywait 5000 n1p0_down_ts > /dev/null || true
	ts=$(n1p0_down_ts) || ts=0
	DETECT_MS=5000
	[ "$ts" -eq 0 ] || DETECT_MS=$(((ts - t0) / 1000000))
}

# n1p0_down_ts: the timestamp of zec's event taking n1p0 down, if any.
n1p0_down_ts()
{
	jq -e -s '[.[] | select(.event == "port-state" and .port == "n1p0" and
		   .state == "down")][0].timestamp_ns' "$MON" 2> /dev/null
}

active_is()
{
	[ "$(cat /sys/class/net/bond0/bonding/active_slave)" = "$1" ]
}

# active_slave_ms PORT T0: spin until bond0's active slave is PORT; print
# the ms since T0 (5000 if it never is).
active_slave_ms()
{
	local active now

	while true; do
		read -r active < /sys/class/net/bond0/bonding/active_slave || active=
		now=$(((${EPOCHREALTIME/./} / 1000) - $2))
		if [ "$active" = "$1" ] || [ "$now" -ge 5000 ]; then
			echo "$now"
			return
		fi
	done
}

bond_variant()
{
	local t0

	bond_setup mode active-backup arp_interval "$INTERVAL_MS" \
		arp_ip_target "$SWITCH_ADDR" arp_missed_max "$MISS" > /dev/null
	ip link set dev bond0 type bond primary n1p0
	switch_bridge bond0
	busywait 5000 active_is n1p0
	sleep 1
	t0=$(zec_ms)
	zec_cable sw-n1p0 off
	DETECT_MS=$(active_slave_ms n0p0 "$t0")
}

taskset -pc 0 $$ > /dev/null
in_switch sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for ((rep = 0; rep < BENCH_REPS; rep++)); do
	for variant in $(rotated "$rep" zec bond-arp); do
		if [ "$variant" = zec ]; then
			zec_variant
		else
			bond_variant
		fi
		bench_result probe "$variant" "$rep" "detect_ms=$DETECT_MS" \
			"interval_ms=$INTERVAL_MS" "miss=$MISS"
		zec_cable sw-n1p0 on
		dut_teardown
	done
done
