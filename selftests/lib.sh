# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # the ksft_* names and EXIT_STATUS are for the tests
#
# Helpers for zec selftests. Sourced inside the guest by every test in
# selftests/zec/ and by the in-guest runner (selftests/vm/guest.sh).
#
# The testbed (see Documentation/testing.md): ZEC_NODES NUMA nodes with
# ZEC_NICS_PER_NODE virtio-net "VPC" ports each, named n<node>p<idx>. Each
# port is cabled through its own QEMU hub to a peer sw-n<node>p<idx> that
# lives, up, in the network namespace "switch". Between tests the runner
# puts the testbed back into that state: ports down, cables plugged, every
# NIC present, no zec devices.
#
# Conventions follow kselftest's net/forwarding/lib.sh: accumulate errors
# with check_err/check_fail, report with log_test, exit $EXIT_STATUS.

ksft_pass=0
ksft_fail=1
ksft_xfail=2
ksft_skip=4

RET=0
EXIT_STATUS=0
retmsg=

: "${ZEC_NODES:=2}"
: "${ZEC_NICS_PER_NODE:=1}"
# How many times slower than generic this kernel runs (run.sh's
# --timeout-scale: the debug kernel). Waits grow with it; timing itself is
# checked on the kernels that run at full speed.
: "${ZEC_TIME_SCALE:=1}"
# The link speed the testbed's NICs report (a test's speed=, run.sh's
# --rate-speed).
: "${ZEC_LINK_SPEED_MBPS:=10000}"

# The MACs run.sh gives the NICs: 02:5a:ec:<node>:<idx>:<role>, role 01 for
# the VPC port, 02 for its peer in the switch namespace.
ZEC_MAC_PREFIX=02:5a:ec

check_err()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -ne 0 ]; then
		RET=$err
		retmsg=$msg
	fi
}

check_fail()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -eq 0 ]; then
		RET=1
		retmsg=$msg
	fi
}

# log_test NAME: print "TEST: NAME [ OK ]" or "[FAIL]" for the checks since
# the previous log_test, and start over.
log_test()
{
	local name=$1

	if [ -s "$__zec_missing" ]; then
		# Whatever the checks said: they read a counter as 0.
		retmsg="no such counter: $(sort -u "$__zec_missing" | paste -sd, -)${retmsg:+; $retmsg}"
		RET=$ksft_fail
		: > "$__zec_missing"
	fi
	if [ "$RET" -ne 0 ]; then
		EXIT_STATUS=$ksft_fail
		printf 'TEST: %-60s [FAIL]\n' "$name"
		[ -n "$retmsg" ] && printf '\t%s\n' "$retmsg"
	else
		printf 'TEST: %-60s [ OK ]\n' "$name"
	fi
	RET=0
	retmsg=
}

# modprobe: the host's modprobe on the module root run.sh built for the
# guest (the host's modules plus zec.ko), which module autoload uses too.
modprobe()
{
	command modprobe -d /tmp/modroot "$@"
}

# not CMD...: succeed when CMD fails, for busywait.
not()
{
	! "$@"
}

# skip_all REASON: the whole test cannot run here: what it needs is not
# in this environment (not something of ours that failed: see fail_all).
skip_all()
{
	echo "SKIP: $*"
	exit "$ksft_skip"
}

# fail_all REASON: the test cannot go on because its setup failed: a
# failure, never a skip.
fail_all()
{
	RET=$ksft_fail
	retmsg=$*
	log_test "setup"
	exit "$EXIT_STATUS"
}

# zec_require_built PROGRAM...: the repository's programs the test runs;
# the run is made after "make", so one missing is a failure.
zec_require_built()
{
	local prog

	for prog; do
		[ -x "$prog" ] || fail_all "$prog is not built: run make first"
	done
}

# zec_counter_missing NAME DEV: for the readers of counters (zec_stat):
# there is no counter NAME on DEV. Prints "missing", which arithmetic
# would read as 0, so the name is also written down, and the next
# log_test, or the test's exit, fails: a misspelt counter cannot pass.
__zec_missing=/tmp/zec-missing-counters.$$
zec_counter_missing()
{
	echo "no counter $1 on $2" >&2
	echo "$1 ($2)" >> "$__zec_missing"
	echo missing
}

# busywait TIMEOUT_MS CMD...: rerun CMD until it succeeds or TIMEOUT_MS
# (times ZEC_TIME_SCALE) passes; a sleep would either waste time or be too
# short under TCG.
busywait()
{
	local timeout_ms=$(($1 * ZEC_TIME_SCALE)) start
	shift

	# $EPOCHREALTIME, not date(1): a fork costs tens of ms under TCG.
	start=${EPOCHREALTIME/./}
	while true; do
		"$@" && return 0
		[ $(((${EPOCHREALTIME/./} - start) / 1000)) -gt "$timeout_ms" ] &&
			return 1
		sleep 0.01
	done
}

# zec_ms: a millisecond clock for timing in tests, without a fork.
zec_ms()
{
	echo $((${EPOCHREALTIME/./} / 1000))
}

# indent TEXT: TEXT with each line indented, for a helper's report lines
# under the test's.
indent()
{
	local line

	while IFS= read -r line; do
		echo "    $line"
	done <<<"$1"
}

# klog_mark NAME: a line of the kernel log, from which klog_since and
# klog_has read: what the kernel says after it is the test's.
klog_mark()
{
	__zec_klog_mark="zec-test mark: $1"
	echo "$__zec_klog_mark" > /dev/kmsg
}

# klog_since: the kernel log from the last klog_mark on.
klog_since()
{
	dmesg | awk -v mark="$__zec_klog_mark" 'index($0, mark) { on = 1 } on'
}

# klog_has TEXT: the kernel log since the last klog_mark has TEXT; that
# log is left in KLOG for the test's message.
klog_has()
{
	klog_since > "$KLOG" && grep -qF "$1" "$KLOG"
}

# defer CMD...: run CMD when the test exits, last deferred first, so a test
# that fails half-way still puts back what it changed.
__zec_deferred=()

defer()
{
	__zec_deferred+=("$(printf '%q ' "$@")")
}

# defer_mark: a mark for defer_run_since: what is deferred after it.
defer_mark()
{
	echo "${#__zec_deferred[@]}"
}

# defer_run_since MARK: run (and forget) what was deferred since MARK,
# last first, and keep what was deferred before it: a test that builds
# one setup after another on a common base undoes each in turn.
defer_run_since()
{
	local i

	for ((i = ${#__zec_deferred[@]} - 1; i >= $1; i--))
		do eval "${__zec_deferred[i]}" || true
	done
	__zec_deferred=("${__zec_deferred[@]:0:$1}")
}

# defer_run: run (and forget) what was deferred so far; also runs at exit.
defer_run()
{
	defer_run_since 0
}

# At exit: what was deferred, and a counter read but never reported by a
# log_test fails the test.
__zec_exit()
{
	local status=$?

	defer_run
	if [ -s "$__zec_missing" ]; then
		echo "FAIL: no such counter: $(sort -u "$__zec_missing" | paste -sd, -)"
		status=$ksft_fail
	fi
	rm -f "$__zec_missing"
	exit "$status"
}

trap __zec_exit EXIT

# zec_ports: the VPC port names the testbed was booted with.
zec_ports()
{
	local n i

	for ((i = 0; i < ZEC_NICS_PER_NODE; i++)); do
		for ((n = 0; n < ZEC_NODES; n++)); do
			echo "n${n}p${i}"
		done
	done
}

# zec_port_home PORT: the node the testbed put PORT on, from its name.
zec_port_home()
{
	local node=${1#n}

	echo "${node%p*}"
}

# zec_port_node PORT: NUMA node of the nearest ancestor device that has one
# (the netdev's parent is a virtio device without a node; its PCI parent has
# it), -1 if none does.
zec_port_node()
{
	local dev node

	dev=$(readlink -f "/sys/class/net/$1/device") || return 1
	while [ "$dev" != /sys/devices ] && [ "$dev" != / ]; do
		if [ -r "$dev/numa_node" ]; then
			node=$(<"$dev/numa_node")
			if [ "$node" -ge 0 ]; then
				echo "$node"
				return 0
			fi
		fi
		dev=${dev%/*}
	done
	echo -1
}

zec_carrier()
{
	local carrier

	read -r carrier 2>/dev/null < "/sys/class/net/$1/carrier"
	[ "$carrier" = 1 ]
}

zec_link_kind()
{
	ip -d -j link show dev "$1" | jq -r '.[0].linkinfo.info_kind // empty'
}

# zec_qmp JSON: send one QMP command to QEMU over the virtio-serial port that
# run.sh relays to the QMP socket, and wait for its answer, skipping events.
# Fails (printing the error) if QEMU answers with an error or not at all.
zec_qmp()
{
	local port name dev fd line

	for port in /sys/class/virtio-ports/vport*; do
		read -r name < "$port/name" 2>/dev/null
		[ "$name" = qmp ] && dev=/dev/${port##*/}
	done
	[ -n "${dev:-}" ] || { echo "zec_qmp: no qmp port" >&2; return 1; }

	exec {fd}<>"$dev"
	printf '%s\n' "$1" >&"$fd"
	while IFS= read -r -t 10 -u "$fd" line; do
		case $line in
		*'"return"'*)
			exec {fd}>&-
			return 0 ;;
		*'"error"'*)
			echo "zec_qmp: $line" >&2
			exec {fd}>&-
			return 1 ;;
		esac
	done
	exec {fd}>&-
	echo "zec_qmp: no answer to $1" >&2
	return 1
}

# zec_cable PORT on|off: plug or pull the cable of a VPC port (or of a
# switch peer, sw-n<node>p<idx>). The carrier flips at once in the guest.
zec_cable()
{
	local up

	case $2 in
	on) up=true ;;
	off) up=false ;;
	*) echo "zec_cable: $2: want on or off" >&2; return 1 ;;
	esac
	zec_qmp "{\"execute\":\"set_link\",\"arguments\":{\"name\":\"hub-$1\",\"up\":$up}}"
}

# zec_nic_remove PORT: hot-remove the PCI function behind PORT, as if the NIC
# died; the runner rescans the bus after the test (or call zec_pci_rescan).
zec_nic_remove()
{
	local dev

	dev=$(readlink -f "/sys/class/net/$1/device") || return 1
	echo 1 > "${dev%/*}/remove"
}

# zec_name_ports: give every testbed NIC its name from its MAC. There is no
# udev in the guest, so this runs at boot and after every PCI rescan. One
# ip -batch per namespace: each exec of ip costs a few hundred ms under TCG.
zec_name_ports()
{
	local path mac dev name node idx role here=() there=()

	ip netns list | grep -qw switch || ip netns add switch
	there+=("link set dev lo up")
	for path in /sys/class/net/*; do
		# Not every entry is a device: bonding adds bonding_masters.
		[ -r "$path/address" ] || continue
		# Only NICs, and only those not named yet: a bond or a zec
		# device takes a port's address, and so do a bond's ports.
		[ -e "$path/device" ] || continue
		case ${path##*/} in
		n[0-9]*p[0-9]*) continue ;;
		esac
		read -r mac < "$path/address"
		case $mac in
		"$ZEC_MAC_PREFIX":*) ;;
		*) continue ;;
		esac
		IFS=: read -r _ _ _ node idx role <<<"$mac"
		dev=${path##*/}
		name=n$((16#$node))p$((16#$idx))
		if [ "$role" = 01 ]; then
			[ "$dev" = "$name" ] || here+=("link set dev $dev name $name")
		else
			# Renaming first: a name given along with netns is
			# only a pattern for the move.
			here+=("link set dev $dev name sw-$name"
			       "link set dev sw-$name netns switch")
			there+=("link set dev sw-$name up")
		fi
	done
	if [ ${#here[@]} -gt 0 ]; then
		printf '%s\n' "${here[@]}" | ip -batch - || return 1
	fi
	printf '%s\n' "${there[@]}" | ip -n switch -batch -
}

# zec_netstamp_key: the enable count of the kernel's receive-timestamp
# static key, which guest.sh holds on (see hold_netstamp_key there).
zec_netstamp_key()
{
	"$(dirname "${BASH_SOURCE[0]}")/vm/static-key.py" netstamp_needed_key
}

zec_pci_rescan()
{
	echo 1 > /sys/bus/pci/rescan
	zec_name_ports
}

# zec_testbed_reset: undo what a test may have left behind.
zec_testbed_reset()
{
	local port dev down=() missing=0

	# Filtered here rather than with "type zec": the kernel ignores a
	# kind filter for a kind it does not know (module not loaded).
	for dev in $(ip -d -j link show |
		     jq -r '.[] | select(.linkinfo.info_kind == "zec") | .ifname'); do
		ip link del dev "$dev"
	done
	for port in $(zec_ports); do
		zec_cable "$port" on
		zec_cable "sw-$port" on
		if [ -e "/sys/class/net/$port" ]; then
			down+=("link set dev $port down")
		else
			missing=1
		fi
	done
	printf '%s\n' "${down[@]}" | ip -batch -
	[ "$missing" -eq 0 ] || zec_pci_rescan
}
