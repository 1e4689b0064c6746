#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
#
# What make install puts on a machine works there, with nothing from the
# build tree: modprobe loads the installed zec.ko from the module index
# make install's depmod wrote; the installed zecctl, on the installed
# libzec, creates zec0 over n0p0 and n1p0 and shows it; libzec's example
# failover-watch, built from its installed source with "pkg-config
# --cflags --libs libzec", prints a failover of the live module; rmmod
# with zec0 present removes it.
#
# The guest cannot write the checkout: "make install-guest" (make test
# runs it before the guests boot) installs into build/install-guest, a
# root that has the kernel's module lists so that make install ran
# depmod -b there; install-guest-rt adds the PREEMPT_RT kernel's zec.ko.

. "$(dirname "$0")/../lib.sh"

DESTDIR=$(cd "$(dirname "$0")/../.." && pwd)/build/install-guest
PREFIX=/usr/local
LIBDIR=$DESTDIR$PREFIX/lib
ZECCTL=$DESTDIR$PREFIX/sbin/zecctl
EXAMPLE=$DESTDIR$PREFIX/share/doc/zec/examples/failover-watch.c
KVER=$(uname -r)
KO=$DESTDIR/lib/modules/$KVER/extra/zec.ko
WATCH=/tmp/zec-install-watch
OUT=/tmp/zec-install-watch.out
SHOW=/tmp/zec-install-show.json

[ -d "$DESTDIR" ] || fail_all "no $DESTDIR: run make install-guest first"
zec_require_built "$ZECCTL"
# Another kernel than those install-guest(-rt) installed for (cloud, debug)
[ -e "$KO" ] || skip_all "no zec.ko for kernel $KVER in $DESTDIR"

# zecctl ARGS: the installed one, on the installed library (it has no
# RUNPATH; LIBDIR stands for a line in /etc/ld.so.conf.d/).
zecctl()
{
	LD_LIBRARY_PATH=$LIBDIR "$ZECCTL" "$@"
}

zec_loaded()
{
	grep -q '^zec ' /proc/modules
}

unload()
{
	! zec_loaded || rmmod zec
}

test_modprobe()
{
	local out

	# Whatever zec an earlier test loaded (from run.sh's module root):
	# this test loads the installed one.
	unload
	check_err $? "a zec module was loaded and cannot be unloaded"
	defer unload
	out=$(command modprobe -v -d "$DESTDIR" zec 2>&1)
	check_err $? "modprobe -d $DESTDIR zec failed: $out"
	zec_loaded
	check_err $? "zec is not in /proc/modules after modprobe"
	[ "$out" = "insmod $KO " ] || [ "$out" = "insmod $KO" ]
	check_err $? "modprobe did not insmod $KO: $out"
	log_test "modprobe -d DESTDIR zec loads the installed zec.ko"
}

test_zecctl()
{
	local lib

	lib=$(LD_LIBRARY_PATH=$LIBDIR ldd "$ZECCTL" | grep -F 'libzec.so.1 =>')
	[ "${lib%% (*}" = "	libzec.so.1 => $LIBDIR/libzec.so.1" ]
	check_err $? "the installed zecctl does not run on $LIBDIR: $lib"
	zecctl link add zec0
	check_err $? "zecctl link add zec0 failed"
	zecctl dev set zec0 updelay 0
	check_err $? "zecctl dev set zec0 updelay 0 failed"
	zecctl port add n0p0 master zec0 && zecctl port add n1p0 master zec0
	check_err $? "zecctl port add failed"
	zecctl -j show zec0 > "$SHOW"
	check_err $? "zecctl -j show zec0 failed"
	jq -e '.[0] | .ifname == "zec0" and
	       ([.ports[].ifname] == ["n0p0", "n1p0"])' "$SHOW" > /dev/null
	check_err $? "zecctl -j show zec0 does not list n0p0 and n1p0: $(cat "$SHOW")"
	log_test "the installed zecctl adds zec0 and its ports, shows them"
}

both_up()
{
	zecctl -j show zec0 |
		jq -e '[.[0].ports[].state] == ["up", "up"]' > /dev/null
}

# failover_seen: disable n1p0 (node 1 fails over to n0p0) and look for
# the example's line; if it is not there yet (the example may not have
# subscribed when the port went down), enable n1p0 again for the next try.
failover_seen()
{
	zecctl port set n1p0 enable off
	grep -q '^zec0: node 1 moved from n1p0 to n0p0 (reason 1) at [0-9]* ns$' \
		"$OUT" && return 0
	zecctl port set n1p0 enable on
	busywait 10000 both_up
	return 1
}

reap_watch()
{
	kill "$1" 2> /dev/null
	wait "$1" 2> /dev/null
	true
}

test_example()
{
	local flags built pid

	flags=$(PKG_CONFIG_PATH=$LIBDIR/pkgconfig PKG_CONFIG_SYSROOT_DIR=$DESTDIR \
		pkg-config --cflags --libs libzec 2>&1)
	check_err $? "pkg-config --cflags --libs libzec: $flags"
	[[ " $flags " == *" -I$DESTDIR$PREFIX/include "*" -L$LIBDIR -lzec "* ]]
	check_err $? "pkg-config gave $flags: want -I$DESTDIR$PREFIX/include ... -L$LIBDIR -lzec"
	# shellcheck disable=SC2086 # the flags are words
	built=$(gcc -Wall -Wextra -Werror -o "$WATCH" "$EXAMPLE" $flags 2>&1)
	check_err $? "gcc failed: $built"
	log_test "failover-watch.c builds with pkg-config --cflags --libs libzec"

	busywait 10000 both_up
	check_err $? "n0p0 and n1p0 are not both up: $(zecctl show zec0)"
	LD_LIBRARY_PATH=$LIBDIR "$WATCH" > "$OUT" 2>&1 &
	pid=$!
	defer reap_watch "$pid"
	busywait 30000 failover_seen
	check_err $? "failover-watch printed no failover of node 1 to n0p0: $(cat "$OUT")"
	reap_watch "$pid"
	log_test "failover-watch, on the installed libzec, prints a failover"
}

test_rmmod()
{
	[ -e /sys/class/net/zec0 ]
	check_err $? "zec0 is gone before rmmod"
	rmmod zec
	check_err $? "rmmod zec with zec0 present failed"
	not zec_loaded
	check_err $? "zec still in /proc/modules"
	[ ! -e /sys/class/net/zec0 ] && [ -e /sys/class/net/n0p0 ] &&
		[ -e /sys/class/net/n1p0 ] &&
		[ ! -e /sys/class/net/n0p0/master ] &&
		[ ! -e /sys/class/net/n1p0/master ]
	check_err $? "after rmmod: zec0 left behind, or n0p0/n1p0 gone or still enslaved"
	log_test "rmmod zec with zec0 present removes it, frees its ports"
}

test_modprobe
test_zecctl
test_example
test_rmmod
exit "$EXIT_STATUS"
