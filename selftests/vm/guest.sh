#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# In-guest runner, started by init.sh in the chroot of the host root.
# OUT (the only argument) is the run's output directory, shared with the
# host: run.sh left "config" (shell variables) and "plan" (one test per line:
# TIMEOUT PATH NAME) there; this writes "tap" and "dmesg.txt" back, and
# "finished" last.
# Not set -e: a failing test must not stop the run.
set -uo pipefail

out=$1
# shellcheck source=/dev/null
. "$out/config"
export ZEC_NODES ZEC_NICS_PER_NODE ZEC_ROOT ZEC_LINK_SPEED_MBPS ZEC_TIME_SCALE
# shellcheck source=selftests/lib.sh
. "$ZEC_ROOT/selftests/lib.sh"

tapf=$out/tap

tap()
{
	echo "$*"
	echo "$*" >> "$tapf"
}

# Hold the receive-timestamp static key on from boot, so that it is never
# patched while a test keeps the receive path busy: QEMU's TCG can run a
# stale int3 of such a patch forever ("The hang of the 2x2 guest" in
# Documentation/testing.md). Python has no SO_TIMESTAMP: 29 on x86.
hold_netstamp_key()
{
	python3 -c 'import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)
signal.pause()' < /dev/null > /dev/null 2>&1 &
	# The key is switched by a work item, which must be done before
	# the first test: testbed.sh checks that it is.
	busywait 10000 netstamp_key_on ||
		echo "zec-vm: netstamp_needed_key not on after 10 s"
}

netstamp_key_on()
{
	[ "$(zec_netstamp_key)" -ge 1 ]
}

setup_testbed()
{
	local port

	hold_netstamp_key
	# run.sh presses SysRq-8, -l and -t when the guest hangs: Debian
	# leaves those off.
	echo 1 > /proc/sys/kernel/sysrq
	# PREEMPT_RT 6.1 warns when a function call IPI raises a softirq
	# (do_softirq_post_smp_call_flush), which TCP's deferred free of an
	# skb on the CPU that allocated it does: free them where they are.
	if uname -v | grep -q PREEMPT_RT; then
		sysctl -qw net.core.skb_defer_max=0
	fi
	ip link set lo up
	zec_name_ports
	# The first command of a QMP session must be this one; the session
	# outlives every open of the port, so it is done once per boot.
	zec_qmp '{"execute":"qmp_capabilities"}'
	for port in $(zec_ports); do
		[ -e "/sys/class/net/$port" ] || echo "zec-vm: port $port missing"
	done
}

# timeout puts the test in a process group of its own, with timeout's pid
# as its id. Once the test is over, kill what it left running there: a
# stray background process would hold the pipe to sed open and hang the
# boot until run.sh's deadline.
run_one()
{
	local timeout=$1 path=$2 pid rc

	cd "${path%/*}" || return
	timeout -k 5 "$timeout" bash "$path" < /dev/null &
	pid=$!
	wait "$pid"
	rc=$?
	kill -KILL -- "-$pid" 2> /dev/null
	return "$rc"
}

run_tests()
{
	local i=0 timeout name path rc line plan

	# Read whole: a test or a helper it leaves behind inherits open
	# files, and must not be able to move the runner through its plan.
	mapfile -t plan < "$out/plan"
	: > "$tapf"
	tap "TAP version 13"
	tap "1..${#plan[@]}"
	for line in "${plan[@]}"; do
		read -r timeout path name <<<"$line"
		i=$((i + 1))
		# Marks in the kernel log which test a splat came from.
		echo "zec-vm: test $name" > /dev/kmsg
		tap "# selftests: zec: $name"
		run_one "$timeout" "$path" 2>&1 | sed -u 's/^/# /' | tee -a "$tapf"
		rc=${PIPESTATUS[0]}
		case $rc in
		0) tap "ok $i selftests: zec: $name" ;;
		"$ksft_skip") tap "ok $i selftests: zec: $name # SKIP" ;;
		124|137) tap "not ok $i selftests: zec: $name # TIMEOUT $timeout seconds" ;;
		*) tap "not ok $i selftests: zec: $name # exit=$rc" ;;
		esac
		# In a subshell: whatever goes wrong in it cannot end the run.
		if ! (zec_testbed_reset) > /tmp/zec-reset.log 2>&1; then
			tap "# zec-vm: testbed reset failed:"
			sed 's/^/#   /' /tmp/zec-reset.log | tee -a "$tapf"
		fi
	done
}

# Only a debug kernel has kmemleak, with its periodic scan off: scan once
# the tests are done and leave the report to run.sh. The second scan, a
# moment later, drops objects that were only in flight during the first.
kmemleak_report()
{
	local f=/sys/kernel/debug/kmemleak

	[ -e "$f" ] || return 0
	# kmemleak turns itself off on an internal error: say so, or the
	# report would be empty and pass.
	if ! { echo scan > "$f" && sleep 2 && echo scan > "$f"; } 2> /dev/null; then
		echo "kmemleak: no scan: $(dmesg | grep -m 1 'kmemleak:')" > "$out/kmemleak.txt"
		return 0
	fi
	cat "$f" > "$out/kmemleak.txt"
}

setup_testbed
case ${ZEC_MODE:-test} in
demo)
	bash "$ZEC_ROOT/selftests/vm/demo.sh" < /dev/null
	;;
bench)
	# run.sh's choice of cases and repetitions (empty: all, 5).
	BENCH_CASES=$BENCH_CASES BENCH_REPS=$BENCH_REPS \
	BENCH_INSN_COUNTS=$out/insn-counts BENCH_INSN_PROFILE=$out/insn-profile \
	BENCH_PROFILES=$out/profiles \
		bash "$ZEC_ROOT/selftests/bench/bench.sh" "$out/results.jsonl" < /dev/null
	;;
test)
	# Let warnings reach the console too, for a guest that hangs before
	# dmesg.txt is written.
	echo 5 > /proc/sys/kernel/printk
	run_tests
	kmemleak_report
	;;
esac
dmesg > "$out/dmesg.txt"
# run.sh fails a boot that stops before this line, whatever TAP it wrote.
: > "$out/finished"
sync
