#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=120
#
# Module life cycle: autoload on "ip link add type zec", the link kind,
# deletion, unload with live devices, reload.

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

zec_loaded()
{
	grep -q '^zec ' /proc/modules
}

test_autoload()
{
	if zec_loaded; then
		rmmod zec
		check_err $? "zec was loaded and cannot be unloaded"
	fi
	ip link add zec0 type zec
	check_err $? "ip link add zec0 type zec failed"
	zec_loaded
	check_err $? "zec.ko was not autoloaded"
	[ "$(zec_link_kind zec0)" = zec ]
	check_err $? "zec0 has kind '$(zec_link_kind zec0)'"
	log_test "ip link add type zec autoloads zec.ko"
}

test_two_devices()
{
	ip link add zec1 type zec
	check_err $? "cannot add a second device"
	[ "$(zec_link_kind zec1)" = zec ] && [ "$(zec_link_kind zec0)" = zec ]
	check_err $? "zec0 and zec1 are not both of kind zec"
	ip link del zec1
	check_err $? "ip link del zec1 failed"
	not ip link show dev zec1 > /dev/null 2>&1
	check_err $? "zec1 still there after delete"
	log_test "two devices, delete one"
}

test_unload_live()
{
	ip link add zec1 type zec
	rmmod zec
	check_err $? "rmmod zec with live devices failed"
	not zec_loaded
	check_err $? "zec still in /proc/modules"
	[ ! -e /sys/class/net/zec0 ] && [ ! -e /sys/class/net/zec1 ]
	check_err $? "devices left behind by rmmod"
	log_test "rmmod with live devices removes them"
}

test_reload()
{
	modprobe zec
	check_err $? "modprobe zec failed"
	ip link add zec0 type zec && ip link del zec0
	check_err $? "no device after reload"
	rmmod zec
	check_err $? "rmmod after reload failed"
	log_test "load again after unload"
}

test_autoload
test_two_devices
test_unload_live
test_reload
exit "$EXIT_STATUS"
