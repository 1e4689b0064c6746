#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# harness-check.sh: that selftests/vm/run.sh fails a boot whose guest is
# killed by the timeout, whose QEMU crashes, or whose guest stops before
# guest.sh finished (a panic), even when every test printed its result,
# and passes one that finished. A boot whose QEMU crashed with no test
# failed runs once more, and the TAP says so. run.sh runs against a
# stand-in QEMU that boots nothing: it writes a passing result for each
# planned test, then ends in the way under test. Last, that splat-scan.sh
# leaves out the known kernel report (selftests/vm/testdata) and nothing
# else, and that scripts/bench-report.py gives a goal's verdict only where
# the interval decides it. Seconds; needs kmod/zec.ko and the kernel
# run.sh boots (make test has both). Prints TAP.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${here%/scripts}
stub=$root/build/harness-check
test=$root/selftests/zec/module.sh

mkdir -p "$stub"
cat > "$stub/qemu-system-x86_64" <<'EOF'
#!/bin/bash
# The stand-in QEMU of scripts/harness-check.sh; HARNESS_CHECK says how
# the guest ends.
for a; do
	case $a in
	*zecout=*) out=${a#*zecout=}; out=${out%% *} ;;
	unix:*/qmp.sock,*) sock=${a#unix:}; sock=${sock%/qmp.sock,*} ;;
	esac
done
# The sockets run.sh waits for.
python3 -c 'import socket, sys
for p in sys.argv[1:]: socket.socket(socket.AF_UNIX).bind(p)' \
	"$sock/qmp.sock" "$sock/ctl.sock"
mapfile -t plan < "$out/plan"
{
	echo "TAP version 13"
	echo "1..${#plan[@]}"
	for ((i = 1; i <= ${#plan[@]}; i++)); do
		echo "ok $i selftests: zec: ${plan[i - 1]##* }"
	done
} > "$out/tap"
echo "Linux version (harness-check)" > "$out/dmesg.txt"
case $HARNESS_CHECK in
finished) : > "$out/finished" ;;
timeout) exec sleep 600 ;;
segv) kill -SEGV $$ ;;
segv-failed)
	sed -i '3s/^ok/not ok/' "$out/tap"
	kill -SEGV $$ ;;
segv-splat)
	echo "WARNING: CPU: 0 PID: 1 at xmit.c:1 zec_xmit+0x1/0x2 [zec]" >> "$out/dmesg.txt"
	kill -SEGV $$ ;;
segv-once)
	if [ -e "${0%/*}/crashed-once" ]; then
		: > "$out/finished"
	else
		: > "${0%/*}/crashed-once"
		kill -SEGV $$
	fi ;;
panic) ;;
esac
EOF
chmod +x "$stub/qemu-system-x86_64"

n=0 failed=0
# check HOW EXIT RESULT [LINE]: run.sh on the stand-in ending in HOW must
# exit EXIT (0 or 1) with its per-boot guest result RESULT, and a TAP line
# matching the extended regex LINE (none, if LINE starts with "!").
check()
{
	local how=$1 want_rc=$2 want=$3 line=${4:-.} rc=0

	n=$((n + 1))
	rm -f "$stub/$how.tap" "$stub/crashed-once"
	HARNESS_CHECK=$how ZEC_VM_DIR=$stub/vm PATH=$stub:$PATH "$root/selftests/vm/run.sh" \
		--timeout 5 --tap "$stub/$how.tap" "$test" > "$stub/$how.log" 2>&1 || rc=$?
	if [ "$rc" -eq "$want_rc" ] && [ -e "$stub/$how.tap" ] && grep -q -x -F "$want" <(
		sed -n 's/^\(not ok\|ok\) [0-9]* \(selftests: zec-vm: guest \)/\1 \2/p' "$stub/$how.tap") &&
		if [ "${line#!}" != "$line" ]; then
			! grep -q -E "${line#!}" "$stub/$how.tap"
		else
			grep -q -E "$line" "$stub/$how.tap"
		fi; then
		echo "ok $n - harness: a guest that ends by $how: exit $rc, $want"
	else
		echo "not ok $n - harness: a guest that ends by $how: want exit $want_rc, $want"
		echo "# run.sh exited $rc; its TAP and log: $stub/$how.{tap,log}"
		failed=$((failed + 1))
	fi
}

bed='[nodes=2 nics-per-node=1]'
echo "TAP version 13"
echo "1..15"
check finished 0 "ok selftests: zec-vm: guest $bed"
check timeout 1 "not ok selftests: zec-vm: guest $bed # timed out after 5 s, killed"
retried="^# \\[nodes=2 nics-per-node=1\\] qemu killed by SIGSEGV after [0-9]+ s, no test failed: booted again"
check segv 1 "not ok selftests: zec-vm: guest $bed # qemu killed by SIGSEGV" "$retried"
check segv-once 0 "ok selftests: zec-vm: guest $bed" "$retried"
check segv-failed 1 "not ok selftests: zec-vm: guest $bed # qemu killed by SIGSEGV" "!$retried"
check segv-splat 1 "not ok selftests: zec-vm: guest $bed # qemu killed by SIGSEGV" "!$retried"
check panic 1 "not ok selftests: zec-vm: guest $bed # guest stopped before guest.sh finished"

# scan WHAT RC LOG: splat-scan.sh on LOG exits RC.
scan()
{
	local rc=0

	n=$((n + 1))
	"$root/selftests/vm/splat-scan.sh" "$3" > "$stub/scan-$n.log" 2>&1 || rc=$?
	if [ "$rc" -eq "$2" ]; then
		echo "ok $n - splat-scan: $1"
	else
		echo "not ok $n - splat-scan: $1: exit $rc, want $2 ($stub/scan-$n.log)"
		failed=$((failed + 1))
	fi
}

known=$root/selftests/vm/testdata/lockdep-netpoll.log
scan "the netpoll report a bare port shows too is left out" 0 "$known"
scan "the same report with another chain fails" 1 \
	<(sed 's/target_list_lock --> _xmit_ETHER/target_list_lock --> zec_lock/' "$known")
scan "a splat printed into the known report fails" 1 \
	<(sed '/Possible interrupt unsafe/a [  116.714553] BUG: KASAN: use-after-free in zec_xmit+0x1/0x2 [zec]' "$known")
scan "a splat after the known report fails" 1 \
	<(cat "$known"; echo "[  200.000000] WARNING: CPU: 0 PID: 1 at xmit.c:1 zec_xmit+0x1/0x2 [zec]")
# verdict WHAT WANT ZEC_DUMMY PORT...: scripts/bench-report.py's goal line
# for the pktgen case says WANT, given zec@dummy's and each repetition's
# port instructions per packet (port@dummy: 3000 in each).
verdict()
{
	local what=$1 want=$2 zec=$3 rep=0 port line
	shift 3

	n=$((n + 1))
	mkdir -p "$stub/verdict-$n"
	for port; do
		for v in "port@dummy 3000" "zec@dummy $zec" "port $port"; do
			# shellcheck disable=SC2086 # "NAME NUMBER"
			set -- $v
			echo "{\"case\":\"pktgen\",\"variant\":\"$1\",\"rep\":$rep,\"pps\":1,\"errors\":0,\"count\":1000,\"insns\":$(($2 * 1000))}"
		done
		rep=$((rep + 1))
	done > "$stub/verdict-$n/results.jsonl"
	line=$("$root/scripts/bench-report.py" "$stub/verdict-$n/results.jsonl" 2>&1 |
		grep '^Goal: zec composed') || true
	case $line in
	"Goal: zec composed ratio to port >= 0.97 at 95 % confidence: $want ("*)
		echo "ok $n - bench-report: $what" ;;
	*)
		echo "not ok $n - bench-report: $what: want \"$want\", got \"$line\""
		failed=$((failed + 1)) ;;
	esac
}

verdict "a composed ratio whose interval is above the goal is met" met 3050 \
	5000 5010 4990 5000 5005
verdict "one whose interval is below it is not met" "NOT met" 3500 \
	5000 5010 4990 5000 5005
verdict "one whose interval holds it is not shown" "not shown" 3150 \
	3000 9000 3000 9000 5000

# The uplink case compares each path's zec to the same path's bond: two
# repetitions alike, bond's instructions per packet 1.1 (ovs) and 1.15
# (vxlan) times zec's.
n=$((n + 1))
mkdir -p "$stub/uplink"
for rep in 0 1; do
	for v in "ovs-zec@dummy 1000" "ovs-bond-xor@dummy 1100" \
		 "vxlan-zec@dummy 2000" "vxlan-bond-xor@dummy 2300"; do
		# shellcheck disable=SC2086 # "NAME NUMBER"
		set -- $v
		echo "{\"case\":\"uplink\",\"variant\":\"$1\",\"rep\":$rep,\"pps\":1,\"insns\":$(($2 * 1000)),\"tx_dummy0\":400,\"tx_dummy1\":600}"
	done
done > "$stub/uplink/results.jsonl"
table=$("$root/scripts/bench-report.py" "$stub/uplink/results.jsonl" 2>&1) || true
if grep -q '^| ovs-zec@dummy | 2 | 1.100 \[1.100, 1.100\] |' <<<"$table" &&
	grep -q '^| vxlan-zec@dummy | 2 | 1.150 \[1.150, 1.150\] |' <<<"$table"; then
	echo "ok $n - bench-report: uplink: zec against the bond of its own path"
else
	echo "not ok $n - bench-report: uplink: zec against the bond of its own path"
	mapfile -t lines <<<"$table"
	printf '# %s\n' "${lines[@]}"
	failed=$((failed + 1))
fi
[ "$failed" -eq 0 ]
