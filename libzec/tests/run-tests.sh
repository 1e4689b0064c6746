#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run the host tests and print kselftest-style TAP on stdout. Each program
# prints "PASS name" / "FAIL name: why" lines ("# " lines pass through as
# TAP comments); a program that exits non-zero without a FAIL line (a
# sanitizer abort) counts as a failure too.
#
#   run-tests.sh BUILD_DIR FUZZ_SECONDS LIBRARY
set -u

build=$1
fuzz_seconds=$2
library=$3
here=$(dirname "$0")
results=$(mktemp)
trap 'rm -f "$results" "$results.log"' EXIT

# run NAME COMMAND...: append the command's PASS/FAIL lines to $results
run() {
	name=$1
	shift
	"$@" > "$results.log" 2>&1
	status=$?
	grep -E '^(PASS|FAIL|#) ' "$results.log" >> "$results"
	if [ $status -ne 0 ] && ! grep -q '^FAIL ' "$results.log"; then
		echo "FAIL $name: exit status $status" >> "$results"
		sed 's/^/# /' "$results.log" | tail -n 40 >> "$results"
	fi
}

rm -f "$build/sample.prom"
run unit env ZEC_PROM_SAMPLE="$build/sample.prom" "$build/unit"
# The unit test's "zecctl stats -o prometheus" text through the parser of
# Debian's python3-prometheus-client (selftests/promcheck.py); netlink.sh
# does the same in the guest with the module's counters.
prometheus() {
	/usr/bin/python3 "$here/../../selftests/promcheck.py" \
		"$build/sample.prom" &&
		echo "PASS prometheus: the unit test's text parses with prometheus_client"
}
run prometheus prometheus

# zecctl's exit status, as ip(8)'s: 0, 1 for a command line it refuses
# (before sending anything), 2 for a command that failed when run. Here no
# zec module answers: a command that needs it fails, with 2.
#   zecctl_exit WANT_STATUS WANT_OUTPUT ARGS...: its first line of
#   output (stdout, then stderr) starts with WANT_OUTPUT.
zecctl_exit() {
	want=$1 text=$2
	shift 2
	out=$("$build/zecctl" "$@" 2>&1)
	status=$?
	case $out in
	"$text"*)
		[ $status -eq "$want" ] && {
			echo "PASS zecctl exit: $want for \"zecctl $*\""
			return
		} ;;
	esac
	echo "FAIL zecctl exit: \"zecctl $*\" exited $status, want $want; said:"
	echo "$out" | sed 's/^/# /'
}
zecctl_exits() {
	version=${library#libzec.so.}
	zecctl_exit 0 "Usage: zecctl link" link add help
	zecctl_exit 0 "Usage: zecctl rate" rate set zec0 1gbit fallback 2gbit help
	zecctl_exit 0 "Usage: zecctl [ -t ] monitor" -t monitor help
	zecctl_exit 0 "zecctl $version, libzec $version (" -V
	zecctl_exit 0 "zecctl $version, libzec $version (" show --version
	zecctl_exit 1 'Error: unknown option "-s"' show -s
	zecctl_exit 1 'Error: unknown option "-s"' -s show
	zecctl_exit 1 'Error: option "-t" is for "monitor" only' -t show
	zecctl_exit 1 'Error: option "-n" needs' show -n
	zecctl_exit 1 'Error: "fallback" goes with a percentage only' \
		rate set zec0 1gbit fallback 2gbit
	zecctl_exit 1 'Error: "master" given twice' \
		port add eth1 master a master b
	zecctl_exit 1 'Error: invalid updelay "2.5ms"' dev set zec0 updelay 2.5ms
	zecctl_exit 2 'Error: cannot enter network namespace "zec-no-such-ns"' \
		-n zec-no-such-ns show
	zecctl_exit 2 'Error: ' port del zec-none0
}
run zecctl zecctl_exits

# zecctl apply and dump-config on the kernel of fake-zec.c (zec0 over
# n0p0 and n1p0), which logs every request that changes something to
# FAKE_ZEC_LOG: dump-config | apply changes nothing; an invalid file, or
# one naming a port that does not exist, is refused naming its line
# before anything is sent; a change is reported and sent.
#   apply_case NAME WANT_STATUS WANT_OUTPUT WANT_REQUESTS FILE_TEXT [ARG...]
apply_case() {
	name=$1 want=$2 text=$3 requests=$4
	dir=$(mktemp -d)
	printf '%s\n' "$5" > "$dir/zec.json"
	shift 5
	bin=$(cd "$build" && pwd)
	out=$(cd "$dir" && FAKE_ZEC_LOG="$dir/log" \
		ASAN_OPTIONS=verify_asan_link_order=0 \
		LD_PRELOAD="$bin/fake-zec.so" "$bin/zecctl" apply -f zec.json \
		"$@" 2>&1)
	status=$?
	: >> "$dir/log"
	sent=$(wc -l < "$dir/log")
	if [ $status -eq "$want" ] && [ "$out" = "$text" ] &&
	   [ "$sent" -eq "$requests" ]; then
		echo "PASS apply: $name"
	else
		echo "FAIL apply: $name: exit $status (want $want), $sent requests (want $requests), said:"
		echo "$out" | sed 's/^/# /'
	fi
	rm -rf "$dir"
}
apply_tests() {
	fake() {
		FAKE_ZEC_LOG=$log ASAN_OPTIONS=verify_asan_link_order=0 \
			LD_PRELOAD="$build/fake-zec.so" "$build/zecctl" "$@"
	}
	log=$(mktemp)
	out=$(fake dump-config | fake apply -f - 2>&1)
	if [ "$out" = "no changes" ] && [ ! -s "$log" ]; then
		echo "PASS apply: dump-config | apply -f - is no change"
	else
		echo "FAIL apply: dump-config | apply -f - said:"
		{ echo "$out"; cat "$log"; } | sed 's/^/# /'
	fi
	# twice: the fake kernel keeps what the first sent (FAKE_ZEC_LOG.state)
	file='{"devices": [{"name": "zec0", "mode": "independent", "updelay": "2s",
  "garp": 3, "ports": [{"name": "n0p0", "enable": false},
                       {"name": "n1p0", "node": 1}]}]}'
	first=$(echo "$file" | fake apply -f - 2>&1)
	sent=$(wc -l < "$log")
	second=$(echo "$file" | fake apply -f - 2>&1)
	again=$(fake dump-config | fake apply -f - 2>&1)
	if [ "$first" = "zec0: port n0p0 enable on -> off
zec0: port n1p0 node auto -> 1
zec0: mode lag -> independent
zec0: updelay 0ms -> 2s
zec0: garp 0 -> 3" ] && [ "$sent" -eq 3 ] && [ "$second" = "no changes" ] &&
	   [ "$again" = "no changes" ] && [ "$(wc -l < "$log")" -eq 3 ]; then
		echo "PASS apply: twice, the second time \"no changes\" and nothing sent"
	else
		echo "FAIL apply: twice: $sent requests, then $(wc -l < "$log"); said:"
		printf '%s\n--\n%s\n--\n%s\n' "$first" "$second" "$again" |
			sed 's/^/# /'
	fi
	rm -f "$log" "$log.state"
	apply_case "a change reported and sent" 0 "zec0: port n1p0 node auto -> 1
zec0: updelay 0ms -> 2s" 2 '{"devices": [{"name": "zec0", "updelay": "2s",
  "ports": [{"name": "n0p0"}, {"name": "n1p0", "node": 1}]}]}'
	apply_case "an invalid value refused by line, nothing sent" 1 \
		'Error: zec.json:3: devices[0].garp: invalid argument "256": expected a number from 0 to 255' \
		0 '{"devices": [{"name": "zec0",
  "updelay": "2s",
  "garp": 256}]}'
	apply_case "a JSON syntax error refused by line, nothing sent" 1 \
		'Error: zec.json:3: JSON syntax error: quoted object property name expected' \
		0 '{"devices": [{"name": "zec0",
  "updelay": "2s",
  garp: 256}]}'
	# the kernel's reason whole, however long the report of the step
	reason='announce-interval 100ms times announce 3 is longer than the updelay of 2s: lower announce or announce-interval, or raise updelay'
	export FAKE_ZEC_REFUSE="$reason"
	apply_case "a step the kernel refuses fails with its reason whole" 2 \
		"zec0: port n0p0 enable on -> off
Error: zec0: dev set: $reason" 1 '{"devices": [{"name": "zec0",
  "mode": "independent", "updelay": "2s", "garp": 3,
  "mac-table": 8192, "mac-ageing": "300s", "announce": 3,
  "announce-interval": "100ms", "announce-rate": 100,
  "ports": [{"name": "n0p0", "enable": false}, {"name": "n1p0"}]}]}'
	unset FAKE_ZEC_REFUSE
	apply_case "a port that does not exist refused, nothing sent" 2 \
		'Error: zec.json:4: devices[0].ports[1].name: no network device "zec-none9"' \
		0 '{"devices": [{"name": "zec0", "updelay": "2s",
  "ports": [
    {"name": "n0p0"},
    {"name": "zec-none9"}]}]}'
	# what the kernel would refuse half way, refused before any change
	apply_case "a device name a netdev other than zec's has refused" 2 \
		'Error: zec.json:2: devices[1].name: "lo" is a network device, not a zec device' \
		0 '{"devices": [{"name": "zec0", "updelay": "2s"},
  {"name": "lo"}]}'
	apply_case "a port of another zec device refused without --prune" 2 \
		'Error: zec.json:2: devices[1].ports[0].name: "n1p0" is a port of zec0: --prune moves it' \
		0 '{"devices": [{"name": "zec0", "updelay": "2s"},
  {"name": "zec1", "ports": [{"name": "n1p0"}]}]}'
	apply_case "a port moved to another zec device with --prune" 0 \
		'zec0: port n1p0 removed
zec1: device added
zec1: port n1p0 added' 3 '{"devices": [{"name": "zec0", "rate": null,
  "probe": null, "ports": [{"name": "n0p0"}]},
  {"name": "zec1", "ports": [{"name": "n1p0"}]}]}' --prune
	apply_case "a receive port --prune removes refused" 2 \
		'Error: zec.json:2: devices[0].rxport: "n1p0" is not a port of zec0: --prune removes it' \
		0 '{"devices": [{"name": "zec0", "updelay": "2s",
  "rxport": "n1p0", "ports": [{"name": "n0p0"}]}]}' --prune
	sysfs=$(mktemp -d)
	mkdir -p "$sysfs/class/net/lo"
	ln -s ../br0 "$sysfs/class/net/lo/master"
	export ZEC_SYSFS_ROOT="$sysfs"
	apply_case "a port enslaved elsewhere refused" 2 \
		'Error: zec.json:2: devices[0].ports[0].name: "lo" is enslaved to br0' \
		0 '{"devices": [{"name": "zec0", "updelay": "2s",
  "ports": [{"name": "lo"}]}]}'
	unset ZEC_SYSFS_ROOT
	rm -rf "$sysfs"
}
run apply apply_tests
# zecctl-config(5)'s example is the file installed as examples/zec.json
# (which the unit test applies the parser to).
config_example() {
	man=$here/../../Documentation/man/zecctl-config.5
	example=$(sed -n '/^\.SH EXAMPLE/,/^\.fi/p' "$man" | sed '1,2d;$d')
	if [ "$example" = "$(cat "$here/../../tools/zecctl/zec.json")" ]; then
		echo "PASS apply: zecctl-config(5)'s example is tools/zecctl/zec.json"
	else
		echo "FAIL apply: zecctl-config(5)'s example differs from tools/zecctl/zec.json"
		echo "$example" | diff - "$here/../../tools/zecctl/zec.json" |
			sed 's/^/# /'
	fi
}
run apply config_example
# zec.service: its condition is the file it applies by default;
# /etc/default/zec may set another (after Environment=, so it wins), and
# zecctl-config(5) says to reset the condition then.
unit_file() {
	unit=$here/../../tools/zecctl/zec.service
	man=$here/../../Documentation/man/zecctl-config.5
	config=$(sed -n 's/^Environment=ZEC_CONFIG=//p' "$unit")
	env=$(grep -n '^Environment=ZEC_CONFIG=' "$unit" | cut -d: -f1)
	envfile=$(grep -nx 'EnvironmentFile=-/etc/default/zec' "$unit" |
		cut -d: -f1)
	if [ -n "$config" ] &&
	   grep -qx "ConditionPathExists=$config" "$unit" &&
	   [ -n "$envfile" ] && [ "$envfile" -gt "$env" ] &&
	   grep -qx 'ConditionPathExists=' "$man"; then
		echo "PASS apply: zec.service takes ZEC_CONFIG from /etc/default/zec, zecctl-config(5) resets its condition"
	else
		echo "FAIL apply: zec.service: condition, Environment= and EnvironmentFile= disagree, or zecctl-config(5) does not reset the condition"
		grep -E '^(Condition|Environment)' "$unit" | sed 's/^/# /'
	fi
}
run apply unit_file

# zecctl -b FILE, as ip -b: comments and blank lines skipped, stops at the
# first command that fails, naming its line, with its exit status (here
# no zec module answers: 1 for a line refused, 2 for one that fails).
#   batch_case WANT_STATUS WANT_LINE FILE_TEXT
batch_case() {
	want=$1 line=$2
	file=$(mktemp)
	printf '%s\n' "$3" > "$file"
	out=$("$build/zecctl" -b "$file" 2>&1)
	status=$?
	last=$(echo "$out" | tail -n 1)
	if [ $status -eq "$want" ] && [ "$last" = "Command failed $file:$line" ] &&
	   [ "$(echo "$out" | grep -c '^Usage: zecctl link')" -eq 1 ]; then
		echo "PASS batch: exit $want at line $line"
	else
		echo "FAIL batch: exit $status (want $want), want line $line; said:"
		echo "$out" | sed 's/^/# /'
	fi
	rm -f "$file"
}
batch_tests() {
	batch_case 1 5 '# a comment

   link add help
# link add
link add
link add help'
	batch_case 2 3 'link add help
  # indented comment
port del zec-none0
link add help'
	zecctl_exit 1 'Error: option "-b" takes no command' -b cmds show
	for o in "-f zec.json" --prune -t "-o prometheus"; do
		zecctl_exit 1 'Error: options -f, --prune, -t and -o go on a line of the batch file' \
			-b cmds $o
	done
	zecctl_exit 1 'Error: options "-f" and "--prune" are for "apply" only' \
		-f zec.json show
	zecctl_exit 1 'Error: "apply" needs "-f FILE"' apply --prune
	zecctl_exit 1 'Error: cannot open "zec-none.json"' apply -f zec-none.json
	big=$(mktemp)
	head -c 17000000 /dev/zero | tr '\0' ' ' > "$big"
	zecctl_exit 1 "Error: \"$big\": file too large: more than 16 MiB" \
		apply -f "$big"
	rm -f "$big"
	out=$(printf 'link add help\n\n# only help\n' | "$build/zecctl" -b - 2>&1)
	status=$?
	if [ $status -eq 0 ] && [ "$out" = "Usage: zecctl link { add | del } NAME" ]; then
		echo "PASS batch: -b - runs every line of standard input"
	else
		echo "FAIL batch: -b -: exit $status, said:"
		echo "$out" | sed 's/^/# /'
	fi
}
run batch batch_tests
run headers "$here/check-headers.sh" cc c++

# The library's ABI against the committed baseline of libzec 1.0, with the
# changes libzec's ABI policy allows suppressed (abi/libzec.supp). Leaf
# changes only: else a suppressed struct hides a change in a struct it
# points to (zec_probe_config and its zec_probe_target array).
abi() {
	lib=$here/../$library
	out=$(abidiff --leaf-changes-only --drop-private-types \
		--suppressions "$here/../abi/libzec.supp" \
		--headers-dir2 "$here/../include/zec" \
		"$here/../abi/libzec.abi" "$lib" 2>&1)
	status=$?
	if [ $status -eq 0 ]; then
		echo "PASS abi: $(basename "$lib") against abi/libzec.abi (abidiff)"
	else
		echo "FAIL abi: abidiff status $status against abi/libzec.abi"
		echo "$out" | sed 's/^/# /'
	fi
}
run abi abi
# A program built against the 1.0 header on a library whose structs grew.
grown() {
	LD_LIBRARY_PATH="$build/grown" ldd "$build/abi-grow" |
		grep -q "$build/grown/libzec.so.1" || {
			echo "FAIL abi: abi-grow does not load the grown library"
			return 1
		}
	LD_LIBRARY_PATH="$build/grown" "$build/abi-grow"
}
run abi-grow grown
# The spec against the kernel's own YNL schema and generator, laid out by
# scripts/ynl-tree.sh from linux-source-6.12 in build/ynl (shared with the
# in-guest selftests/zec/ynl.sh).
spec() {
	ynl=$here/../../build/ynl
	"$here/../../scripts/ynl-tree.sh" "$ynl" &&
		python3 "$here/check-spec.py" \
			"$here/../../include/uapi/linux/zec.h" "$ynl"
}
run spec spec

# The example agent over the reattach fixture with a kernel preloaded into
# it (fake-zec.c): no plan while zec0's ports are up, then, on n1p0's
# PORT_STATE notification (with resync: from the state of the resync that
# lost notifications bring), the plan for the VF held on n1p0's PF as QMP
# commands, and the reservation handed over to the new VF. eintr: its
# poll() is interrupted first, which it must take as no error.
#   agent [resync|eintr]
agent() {
	root=$("$build/sysfs-fixture" reattach n0p0 n1p0 $$) || return 1
	resync=
	eintr=
	what="a port state event"
	case ${1:-} in
	resync) resync=1 what="a resync event" ;;
	eintr) eintr=1 what="a port state event after an interrupted poll" ;;
	esac
	out=$(FAKE_ZEC_RESYNC=$resync FAKE_ZEC_EINTR=$eintr \
		LD_PRELOAD="$build/fake-zec.so" \
		"$here/../examples/reattach-agent" \
		--sysfs-root "$root" --run-dir "$root/run" --count 1 \
		--timeout 10 zec0 2> "$root/err")
	status=$?
	want='{"execute":"device_del","arguments":{"id":"hostdev-0000-81-01-0"}}
{"execute":"device_add","arguments":{"driver":"vfio-pci","host":"0000:03:10.0","id":"hostdev-0000-03-10-0"}}
{"execute":"announce-self","arguments":{"initial":50,"max":550,"rounds":5,"step":100}}'
	if [ $status -eq 0 ] && [ "$out" = "$want" ] &&
	   grep -qx "zec0: watching" "$root/err" &&
	   [ "$(cat "$root/run/0000:03:10.0")" = $$ ] &&
	   [ ! -e "$root/run/0000:81:01.0" ]; then
		echo "PASS agent: reattach-agent prints the plan of $what"
	else
		echo "FAIL agent: $what: reattach-agent exited $status"
		{ echo "$out"; cat "$root/err"; ls "$root/run"; } | sed 's/^/# /'
	fi
	rm -rf "$root"
}
run agent agent
run agent agent resync
run agent agent eintr

# The agent's own errors: junk as a number, and the call that failed named
# (zec_vf_list_get: a sysfs root longer than PATH_MAX).
agent_errors() {
	agent=$here/../examples/reattach-agent
	"$agent" --owner abc zec0 2> /dev/null
	owner=$?
	err=$(LD_PRELOAD="$build/fake-zec.so" "$agent" --once \
		--sysfs-root "$(printf '/x%.0s' $(seq 3000))" zec0 2>&1)
	status=$?
	if [ $owner -eq 2 ] && [ $status -eq 1 ] &&
	   [ "$err" = "zec0: zec_vf_list_get: File name too long" ]; then
		echo "PASS agent: refuses --owner abc, names the call that failed"
	else
		echo "FAIL agent: --owner abc: exit $owner; a too long sysfs root: exit $status"
		echo "$err" | sed 's/^/# /'
	fi
}
run agent agent_errors

# libzec.pc carries the library's version: a program built against the
# 1.1 header requires "libzec >= 1.1" with it (libzec(3), "ABI POLICY").
pc() {
	version=${library#libzec.so.}
	got=$(PKG_CONFIG_PATH="$here/.." pkg-config --modversion libzec)
	if [ "$got" = "$version" ] &&
	   PKG_CONFIG_PATH="$here/.." pkg-config "libzec >= ${version%.*}"; then
		echo "PASS pc: libzec.pc says version $got"
	else
		echo "FAIL pc: libzec.pc says version \"$got\", want $version"
	fi
}
run pc pc

# Every man page names the release of the header's LIBZEC_VERSION_* (the
# version the library is built as), MAJOR.MINOR, in its .TH line.
manpages() {
	version=${library#libzec.so.}
	version=${version%.*}
	wrong=
	n=0
	for page in "$here"/../../Documentation/man/*.[1-8]; do
		n=$((n + 1))
		source=$(sed -n 's/^\.TH [^"]*"[^"]*" "\([^"]*\)".*/\1/p' "$page")
		[ "${source##* }" = "$version" ] ||
			wrong="$wrong ${page##*/} (\"$source\")"
	done
	if [ -n "$wrong" ]; then
		echo "FAIL man: not version $version:$wrong"
	else
		echo "PASS man: $n pages say version $version"
	fi
}
run man manpages

# Bound by time only; the PASS line quotes what libFuzzer says it did.
fuzz() {
	mkdir -p "$build/corpus"
	"$build/fuzz-parse" -max_total_time="$fuzz_seconds" "$build/corpus" \
		> "$build/fuzz.log" 2>&1 || { cat "$build/fuzz.log"; return 1; }
	echo "PASS fuzz: message parsers, $(grep -o -m 1 'Done [0-9]* runs in [0-9]* second' \
		"$build/fuzz.log" | sed 's/^Done //; s/second$/s/')"
}
run fuzz fuzz

echo "TAP version 13"
echo "1..$(grep -c -E '^(PASS|FAIL) ' "$results")"
n=0
failed=0
while IFS= read -r line; do
	case $line in
	"PASS "*)
		n=$((n + 1))
		echo "ok $n - ${line#PASS }"
		;;
	"FAIL "*)
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - ${line#FAIL }"
		;;
	*)
		echo "$line"
		;;
	esac
done < "$results"
echo "# $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
