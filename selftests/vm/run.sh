#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the zec test guest in QEMU and run selftests in it (see
# Documentation/testing.md).
#
#   selftests/vm/run.sh [--tap FILE] [--nodes 2|4] [--nics-per-node 1|2]
#                       [--kernel-flavour F] [--timeout SECONDS] [TEST...]
#                       [--kernel IMAGE --modules-dir DIR] [--append ARGS]
#                       [--timeout-scale N] [--rate-speed MBPS]
#   selftests/vm/run.sh --demo [--nodes 2|4] [--nics-per-node 1|2]
#   selftests/vm/run.sh --bench DIR [--timeout SECONDS]
#
# TESTs default to selftests/zec/*.sh. A test names the testbeds it needs in
# its header, one line each (none means nodes=2 nics-per-node=1):
#   # zec-vm: nodes=4 nics-per-node=2 timeout=120
# "alone" boots a guest for the test by itself (one that leaves the kernel
# changed for the tests after it). speed=MBPS sets the link speed the
# guest's virtio-net NICs report (default 10000), for tests that measure
# rates against it (rate caps);
# they read it from ZEC_LINK_SPEED_MBPS. --rate-speed gives those testbeds
# MBPS instead, for a kernel too slow under TCG to carry their load.
# The tests are grouped by testbed and each testbed boots once. --nodes and
# --nics-per-node run every chosen test on that one testbed instead.
#
# The guest kernel is /boot/vmlinuz-$KVER with modules from /lib/modules/$KVER;
# KVER is the release of KDIR (the tree kmod/zec.ko was built against), or of
# the newest installed kernel of --kernel-flavour (e.g. rt, cloud; its zec.ko
# is build/kmod-FLAVOUR/zec.ko, from make module-FLAVOUR). KVER= and ZEC_KO=
# override. A kernel that is not installed is booted from IMAGE with the
# modules in DIR (a /lib/modules/KVER-like directory, named after its
# release); ARGS go on its command line. --timeout-scale multiplies every
# timeout, and the tests' waits (ZEC_TIME_SCALE), for kernels that run N
# times slower (the debug kernel). --bench
# runs selftests/bench/bench.sh on the two-node testbed instead of tests and
# copies its results.jsonl to DIR (make bench); BENCH_REPS= and BENCH_CASES=
# (a list) override its repetitions and cases.
# Runs go to ZEC_VM_DIR (default build/vm), which keeps the last ten.
# ZEC_STRESS_* and ZEC_FUZZ_* in the environment reach the tests (their knobs:
# stress.sh's duration, seed and reloads, fuzz.sh's count and seed).
# The exit status is non-zero if any test failed, the guest
# hung or crashed, or its kernel log shows a splat.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${here%/selftests/vm}
vmdir=${ZEC_VM_DIR:-$root/build/vm}

die()
{
	echo "run.sh: $*" >&2
	exit 1
}

usage()
{
	sed -n '/^#   /p' "$0" | cut -c2-
	exit 2
}

tapfile='' demo=0 bench='' want_nodes='' want_nics='' flavour='' wall=''
kernel='' moddir='' append='' scale=1 rate_speed=''
tests=()
while [ $# -gt 0 ]; do
	case $1 in
	--tap) tapfile=$2; shift ;;
	--demo) demo=1 ;;
	--bench) bench=$(realpath -m "$2"); shift ;;
	--nodes) want_nodes=$2; shift ;;
	--nics-per-node) want_nics=$2; shift ;;
	--kernel-flavour) flavour=$2; shift ;;
	--timeout) wall=$2; shift ;;
	--kernel) kernel=$(realpath "$2"); shift ;;
	--modules-dir) moddir=$(realpath "$2"); shift ;;
	--append) append=$2; shift ;;
	--timeout-scale) scale=$2; shift ;;
	--rate-speed) rate_speed=$2; shift ;;
	-h|--help) usage ;;
	-*) die "unknown option $1" ;;
	*) tests+=("$(realpath "$1")") ;;
	esac
	shift
done

# The guest sees the host's root read-only, except /tmp and /run, which are
# its own tmpfs: anything it must read has to live elsewhere.
case $root/ in
/tmp/*|/run/*) die "the guest cannot see $root (under /tmp or /run)" ;;
esac

newest_kdir()
{
	local dirs

	# shellcheck disable=SC2012 # names are plain release strings
	dirs=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V)
	case $1 in
	generic) grep -v -e '-rt-' -e '-cloud-' <<<"$dirs" | tail -n 1 ;;
	*) grep -e "-$1-" <<<"$dirs" | tail -n 1 ;;
	esac
}

[ -n "$moddir" ] && KVER=${KVER:-${moddir##*/}}
if [ -z "${KVER:-}" ]; then
	if [ -n "$flavour" ]; then
		KDIR=$(newest_kdir "$flavour")
	elif [ -z "${KDIR:-}" ]; then
		KDIR=/lib/modules/$(uname -r)/build
		[ -d "$KDIR" ] || KDIR=$(newest_kdir generic)
	fi
	[ -d "$KDIR" ] || die "no kernel tree (KDIR=$KDIR): run make deps"
	# Debian's headers say 6.1.x in include/config/kernel.release; the
	# release the kernel reports (and vermagic carries) is UTS_RELEASE.
	KVER=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$KDIR/include/generated/utsrelease.h" 2>/dev/null || true)
	[ -n "$KVER" ] || KVER=$(<"$KDIR/include/config/kernel.release")
fi
case ${flavour:-generic} in
generic) ZEC_KO=${ZEC_KO:-$root/kmod/zec.ko} build_rule=module ;;
*) ZEC_KO=${ZEC_KO:-$root/build/kmod-$flavour/zec.ko} build_rule=module-$flavour ;;
esac
kernel=${kernel:-/boot/vmlinuz-$KVER}
moddir=${moddir:-/lib/modules/$KVER}
case $scale in
[1-9]|[1-9][0-9]) ;;
*) die "--timeout-scale $scale: a whole number from 1 to 99" ;;
esac
[[ -z $rate_speed || $rate_speed =~ ^[1-9][0-9]*$ ]] ||
	die "--rate-speed $rate_speed: a whole number of Mbit/s"
[ -r "$kernel" ] || die "no $kernel to boot"
[ -r "$moddir/modules.dep" ] || die "no modules in $moddir"
[ -r "$ZEC_KO" ] || die "no $ZEC_KO: run make $build_rule"
vermagic=$(modinfo -F vermagic "$ZEC_KO")
[ "${vermagic%% *}" = "$KVER" ] ||
	die "$ZEC_KO is built for ${vermagic%% *}, not $KVER: make $build_rule KDIR=..."

# Modules the initramfs loads before it can mount the host root; their
# dependencies come from modules.dep, in load order.
initramfs_modules=(virtio_ring virtio virtio_pci_modern_dev
	virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p
	failover net_failover virtio_net virtio_console)

resolve_modules()
{
	local -A seen=()
	local m line dep deps j

	for m in "${initramfs_modules[@]}"; do
		if ! line=$(grep -E "/$m\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep"); then
			grep -q -E "/$m\.ko$" "$moddir/modules.builtin" ||
				die "module $m is neither in modules.dep nor built in"
			continue
		fi
		read -r -a deps <<<"${line#*:}"
		for ((j = ${#deps[@]} - 1; j >= -1; j--)); do
			if [ "$j" -ge 0 ]; then dep=${deps[j]}; else dep=${line%%:*}; fi
			[ -n "${seen[$dep]:-}" ] && continue
			seen[$dep]=1
			echo "$dep"
		done
	done
}

# build_initramfs: print the path of an initramfs for $KVER, building it
# only when busybox, the modules or the init scripts changed.
build_initramfs()
{
	local mods key out tmp m name

	mapfile -t mods < <(resolve_modules)
	key=$({
		echo "$KVER"
		stat -c '%n %s %Y' /bin/busybox "${mods[@]/#/$moddir/}"
		# run.sh itself: it holds the recipe.
		cat "$here/init.sh" "$here/modprobe" "$here/run.sh"
	} | sha256sum | cut -c1-16)
	out=$vmdir/initramfs-$KVER-$key.cpio.gz
	if [ ! -e "$out" ]; then
		tmp=$(mktemp -d "$vmdir/initramfs.XXXXXX")
		mkdir -p "$tmp"/{bin,sbin,dev,proc,sys,mnt,tmp,lib/modules}
		# Empty for a kernel that has all of them built in.
		: > "$tmp/lib/modules/load-order"
		cp /bin/busybox "$tmp/bin/busybox"
		# The interpreter of /init; init.sh links the other applets.
		ln -s busybox "$tmp/bin/sh"
		cp "$here/init.sh" "$tmp/init"
		cp "$here/modprobe" "$tmp/sbin/modprobe"
		for m in "${mods[@]}"; do
			name=${m##*/}
			name=${name%%.ko*}
			# busybox insmod takes only uncompressed modules.
			case $m in
			*.xz) xz -dc "$moddir/$m" ;;
			*.zst) zstd -qdc "$moddir/$m" ;;
			*.gz) gzip -dc "$moddir/$m" ;;
			*) cat "$moddir/$m" ;;
			esac > "$tmp/lib/modules/$name.ko"
			echo "$name" >> "$tmp/lib/modules/load-order"
		done
		(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$tmp.cpio.gz"
		rm -rf "$tmp"
		rm -f "$vmdir/initramfs-$KVER-"*.cpio.gz
		mv "$tmp.cpio.gz" "$out"
	fi
	echo "$out"
}

# build_modroot DIR: the host's modules plus zec.ko, indexed, for the guest's
# modprobe (-d DIR) so that "ip link add ... type zec" autoloads zec.ko.
build_modroot()
{
	local mr=$1/lib/modules/$KVER f

	mkdir -p "$mr/extra"
	ln -s "$moddir/kernel" "$mr/kernel"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -e "$moddir/$f" ] && cp "$moddir/$f" "$mr/"
	done
	cp "$ZEC_KO" "$mr/extra/"
	depmod -b "$1" "$KVER"
}

# qemu_args NODES NICS DIR SOCKDIR SPEED: fill the array qemu for one testbed; see
# the diagram in Documentation/testing.md. The unquoted expansions are
# numbers and port names.
# shellcheck disable=SC2054,SC2206
qemu_args()
{
	local nodes=$1 nics=$2 dir=$3 sock=$4 speed=$5 mem=512 n i k port mac

	qemu=(qemu-system-x86_64 -machine q35 -accel "$accel" -cpu max
		-m $((mem * nodes))M
		# One socket per node: CPUs of two nodes sharing an LLC make
		# the guest warn in topology_sane().
		-smp $((nodes * 2)),sockets="$nodes",cores=2,threads=1
		-nodefaults -display none -serial stdio -no-reboot
		-kernel "$kernel" -initrd "$initrd"
		-append "console=ttyS0 quiet panic=-1 zecout=$dir zecroot=$root${append:+ $append}"
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot,bus=pcie.0
		-fsdev local,id=zecout,path="$dir",security_model=none
		-device virtio-9p-pci,fsdev=zecout,mount_tag=zecout,bus=pcie.0
		-qmp unix:"$sock/qmp.sock",server=on,wait=off
		-qmp unix:"$sock/host-qmp.sock",server=on,wait=off
		-chardev socket,id=ctl,path="$sock/ctl.sock",server=on,wait=off
		-device virtio-serial-pci,bus=pcie.0
		-device virtserialport,chardev=ctl,name=qmp)
	for ((n = 0; n < nodes; n++)); do
		qemu+=(-object memory-backend-ram,id=mem$n,size=${mem}M
			-numa node,nodeid=$n,cpus=$((2 * n))-$((2 * n + 1)),memdev=mem$n
			-device pxb-pcie,id=pxb$n,bus_nr=$((32 * (n + 1))),numa_node=$n,bus=pcie.0)
	done
	# Four nodes: two pairs (0,1) and (2,3) at 12, every node has one
	# node at 20 and one at 32, so each has a distinct nearest, second
	# and farthest node for fallback tests. Two nodes keep 10/20.
	if [ "$nodes" -eq 4 ]; then
		qemu+=(-numa dist,src=0,dst=1,val=12 -numa dist,src=2,dst=3,val=12
			-numa dist,src=0,dst=2,val=20 -numa dist,src=1,dst=3,val=20
			-numa dist,src=0,dst=3,val=32 -numa dist,src=1,dst=2,val=32)
	fi
	for ((i = 0; i < nics; i++)); do
		for ((n = 0; n < nodes; n++)); do
			k=$((n * nics + i))
			port=n${n}p${i}
			mac=02:5a:ec:$(printf '%02x:%02x' "$n" "$i")
			qemu+=(-device pcie-root-port,id=rp-$port,bus=pxb$n,chassis=$((k + 1))
				-netdev hubport,id=hub-$port,hubid=$k
				-device virtio-net-pci,id=nic-$port,netdev=hub-$port,bus=rp-$port,mac=$mac:01,speed=$speed,duplex=full
				-netdev hubport,id=hub-sw-$port,hubid=$k
				-device virtio-net-pci,id=nic-sw-$port,netdev=hub-sw-$port,bus=pcie.0,mac=$mac:02,speed=$speed,duplex=full)
		done
	done
}

qemu_pid='' relay_pid='' watch_pid='' sock=''
cleanup()
{
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
	[ -n "$sock" ] && rm -rf "$sock"
	return 0
}
trap cleanup EXIT

# The guest kernel's own words for a hang. Each of them fails the boot's
# kernel-log check anyway (splat-scan.sh), so the stack dumps pressed out
# of the guest after one cannot fail a boot that would have passed.
hang_signs='rcu: INFO:|soft lockup|hard LOCKUP|blocked for more than'

# watch_for_hang DIR DEADLINE CPUS: 15 s after the console shows a sign of
# a hang, save QEMU's view of the vCPUs in DIR/qemu-state.txt and have the
# guest print its stacks (SysRq-8 lets everything through to the console,
# -l dumps the CPUs, -t the tasks). At DEADLINE (seconds since the epoch)
# without a sign, QEMU's view only.
watch_for_hang()
{
	local dir=$1 deadline=$2 cpus=$3 now sleeper='' keys=()

	# A sleep of its own, which the TERM of run.sh's kill ends too.
	nap()
	{
		sleep "$1" &
		sleeper=$!
		wait "$sleeper"
	}
	trap 'kill "$sleeper" 2> /dev/null; exit' TERM
	while now=$(date +%s); [ "$now" -lt "$deadline" ]; do
		if grep -q -E "$hang_signs" "$dir/console.log" 2> /dev/null; then
			# The guest's own report of the stall comes first.
			keys=(8 l t)
			now=$((deadline - now))
			nap $((now < 15 ? now : 15))
			break
		fi
		nap 5
	done
	"$here/qemu-state.sh" "$sock/host-qmp.sock" "$cpus" "${keys[@]}" > "$dir/qemu-state.txt" 2>&1
}

# boot NODES NICS DIR MODE TIMEOUT [SPEED]: run one guest; DIR holds its
# plan and receives its console log, TAP and dmesg. Returns 1, with the
# reason in boot_error, if QEMU was killed by the timeout, crashed or
# failed, or the guest stopped before guest.sh wrote DIR/finished (a
# panic, or a failure in init.sh): whatever TAP the guest wrote before.
boot_error='' qemu_crashed=0
boot()
{
	local nodes=$1 nics=$2 dir=$3 mode=$4 timeout=$5 speed=${6:-10000} rc=0 i
	local deadline=$(($(date +%s) + timeout - 20)) start=$SECONDS

	qemu_crashed=0

	cat > "$dir/config" <<-EOF
	ZEC_NODES=$nodes
	ZEC_NICS_PER_NODE=$nics
	ZEC_MODE=$mode
	ZEC_ROOT=$root
	ZEC_LINK_SPEED_MBPS=$speed
	ZEC_TIME_SCALE=$scale
	BENCH_REPS=${BENCH_REPS:-}
	BENCH_CASES="${BENCH_CASES:-}"
	EOF
	# Knobs of single tests (ZEC_STRESS_SECONDS, ZEC_FUZZ_SEED, ...).
	for i in $(compgen -v | grep -E '^(ZEC_(STRESS|FUZZ)_|BENCH_(VARIANTS|UPLINK_RATE)$|PKTGEN_COUNT$)'); do
		printf 'export %s=%q\n' "$i" "${!i}"
	done >> "$dir/config"
	sock=$(mktemp -d /tmp/zec-vm.XXXXXX)
	accel=tcg,thread=multi
	# The bench counts instructions (selftests/bench/insn/insn-count.c),
	# exactly only with one TCG thread for all vCPUs; it also makes the
	# guest's timing steadier (about 3 % for one sender instead of 30 %).
	[ "$mode" != bench ] || accel=tcg,thread=single
	qemu_args "$nodes" "$nics" "$dir" "$sock" "$speed"
	[ "$mode" != bench ] ||
		qemu+=(-plugin "$root/build/insn-count.so,out=$dir/insn-counts,profile=$dir/insn-profile")
	if [ "$mode" != test ]; then
		timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null \
			> >(tee "$dir/console.log") 2> "$dir/qemu.log" &
	else
		timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null \
			> "$dir/console.log" 2> "$dir/qemu.log" &
	fi
	qemu_pid=$!
	# The guest drives QMP through its virtio-serial port: relay that
	# port's socket to the QMP socket once QEMU has made both.
	for ((i = 0; i < 100; i++)); do
		[ -S "$sock/ctl.sock" ] && [ -S "$sock/qmp.sock" ] && break
		sleep 0.1
	done
	socat "UNIX-CONNECT:$sock/ctl.sock" "UNIX-CONNECT:$sock/qmp.sock" 2> /dev/null &
	relay_pid=$!
	watch_for_hang "$dir" "$deadline" $((nodes * 2)) < /dev/null > /dev/null 2>&1 &
	watch_pid=$!
	wait "$qemu_pid" || rc=$?
	qemu_pid=
	kill "$watch_pid" 2> /dev/null || true
	wait "$watch_pid" 2> /dev/null || true
	watch_pid=
	kill "$relay_pid" 2> /dev/null || true
	wait "$relay_pid" 2> /dev/null || true
	relay_pid=
	rm -rf "$sock"
	sock=
	# timeout(1) exits 124 when it stopped QEMU with TERM, 137 when it
	# had to KILL it, and 128 + N when QEMU died of signal N.
	if [ "$rc" -eq 124 ] ||
		{ [ "$rc" -eq 137 ] && [ $((SECONDS - start)) -ge "$timeout" ]; }; then
		boot_error="timed out after $timeout s, killed"
	elif [ "$rc" -gt 128 ]; then
		boot_error="qemu killed by SIG$(kill -l $((rc - 128)))"
		[ "$rc" -ne 139 ] || qemu_crashed=1
	elif [ "$rc" -ne 0 ]; then
		boot_error="qemu exited with $rc"
	elif [ ! -e "$dir/finished" ]; then
		boot_error="guest stopped before guest.sh finished"
	else
		boot_error=''
		return 0
	fi
	echo "run.sh: $boot_error"
	[ ! -s "$dir/qemu.log" ] || tail -n 5 "$dir/qemu.log" | sed 's/^/run.sh: qemu: /'
	return 1
}

show_failure()
{
	echo "run.sh: last lines of $1/console.log:"
	tail -n 60 "$1/console.log" | sed 's/^/  | /'
}

# kernel_log_of DIR: the guest's dmesg if it got to write it, else what
# reached the console before it died.
kernel_log_of()
{
	if [ -s "$1/dmesg.txt" ]; then
		echo "$1/dmesg.txt"
	else
		echo "$1/console.log"
	fi
}

scan_kernel_log()
{
	"$here/splat-scan.sh" "$(kernel_log_of "$1")"
}

# testbeds_of TEST: one "NODES NICS TIMEOUT SPEED" line per testbed it
# declares.
testbeds_of()
{
	local line kv nodes nics timeout speed alone found=0

	while read -r line; do
		nodes=2 nics=1 timeout=120 speed=10000 alone=-
		for kv in ${line#*zec-vm:}; do
			case $kv in
			alone) alone=${1##*/} ;;
			nodes=*) nodes=${kv#*=} ;;
			nics-per-node=*) nics=${kv#*=} ;;
			timeout=*) timeout=${kv#*=} ;;
			speed=*) speed=${rate_speed:-${kv#*=}} ;;
			*) die "$1: unknown zec-vm setting $kv" ;;
			esac
		done
		[[ $speed =~ ^[1-9][0-9]*$ ]] || die "$1: speed=$speed is not a number of Mbit/s"
		echo "${want_nodes:-$nodes} ${want_nics:-$nics} $timeout $speed $alone"
		found=1
		# With an explicit testbed the test runs once, on it.
		[ -n "$want_nodes$want_nics" ] && break
	done < <(grep '^# zec-vm:' "$1")
	[ "$found" -eq 1 ] || echo "${want_nodes:-2} ${want_nics:-1} 120 10000 -"
}

check_testbed()
{
	case $1 in 2|4) ;; *) die "nodes=$1: the testbed has 2 or 4 nodes" ;; esac
	case $2 in 1|2) ;; *) die "nics-per-node=$2: the testbed has 1 or 2" ;; esac
}

mkdir -p "$vmdir"
initrd=$(build_initramfs)
# Keep the last ten runs' logs; each holds a module index of a few MB.
find "$vmdir" -maxdepth 1 -name 'out-*' -printf '%T@ %p\n' | sort -rn |
	tail -n +10 | cut -d' ' -f2- | xargs -r rm -rf
run=$(mktemp -d "$vmdir/out-XXXXXX")
build_modroot "$run/modroot"
echo "run.sh: kernel $KVER, output in $run"

if [ "$demo" -eq 1 ]; then
	check_testbed "${want_nodes:-2}" "${want_nics:-1}"
	mkdir "$run/demo"
	: > "$run/demo/plan"
	boot "${want_nodes:-2}" "${want_nics:-1}" "$run/demo" demo "${wall:-600}" ||
		exit 1
	scan_kernel_log "$run/demo"
	exit
fi

if [ -n "$bench" ]; then
	mkdir -p "$run/bench" "$bench"
	: > "$run/bench/plan"
	boot 2 1 "$run/bench" bench "${wall:-3600}" || exit 1
	scan_kernel_log "$run/bench" || exit 1
	[ -s "$run/bench/results.jsonl" ] || { show_failure "$run/bench"; exit 1; }
	cp "$run/bench/results.jsonl" "$bench/"
	rm -rf "$bench/profiles"
	[ ! -d "$run/bench/profiles" ] || cp -r "$run/bench/profiles" "$bench/"
	exit
fi

[ ${#tests[@]} -gt 0 ] || tests=("$root"/selftests/zec/*.sh)

# plan: testbed "NODES NICS SPEED" -> lines of "TIMEOUT PATH NAME" for its
# guest.
declare -A plan=()
for t in "${tests[@]}"; do
	[ -r "$t" ] || die "no test $t"
	mapfile -t beds < <(testbeds_of "$t")
	for bed in "${beds[@]}"; do
		read -r nodes nics timeout speed alone <<<"$bed"
		check_testbed "$nodes" "$nics"
		name=${t##*/}
		[ ${#beds[@]} -gt 1 ] && name+=" [nodes=$nodes nics-per-node=$nics]"
		plan["$nodes $nics $speed $alone"]+="$((timeout * scale)) $t $name"$'\n'
	done
done

total=0 failed=0
results=()
add_result()
{
	total=$((total + 1))
	case $1 in not*) failed=$((failed + 1)) ;; esac
	results+=("$1 $total $2")
}

while read -r nodes nics speed alone; do
	bed="nodes=$nodes nics-per-node=$nics"
	dir=$run/${nodes}x$nics
	if [ "$speed" -ne 10000 ]; then
		bed+=" speed=$speed"
		dir+=-${speed}M
	fi
	if [ "$alone" != - ]; then
		bed+=" alone=$alone"
		dir+=-${alone%.sh}
	fi
	mkdir "$dir"
	printf '%s' "${plan["$nodes $nics $speed $alone"]}" > "$dir/plan"
	# Boot and setup take about a minute under TCG on two cores.
	timeout=${wall:-$(awk -v boot=$((120 * scale)) '{ s += $1 } END { print s + boot }' "$dir/plan")}
	echo "run.sh: booting $bed ($(wc -l < "$dir/plan") tests)"
	start=$SECONDS
	ok=1
	boot "$nodes" "$nics" "$dir" test "$timeout" "$speed" || ok=0
	# QEMU 7.2's multi-threaded TCG sometimes dies of a SIGSEGV in
	# memory_region_dispatch_write() (a NULL region) while the guest
	# enumerates or removes PCI devices: QEMU's crash, not a result of
	# the guest's. Such a boot runs once more, unless a test had
	# already failed in it or its kernel had warned; the summary says so.
	if [ "$qemu_crashed" -eq 1 ] && ! grep -q '^not ok' "$dir/tap" 2> /dev/null &&
		scan_kernel_log "$dir" > /dev/null; then
		results+=("# [$bed] $boot_error after $((SECONDS - start)) s, no test failed: booted again (logs in $dir-crashed)")
		echo "run.sh: $boot_error, no test failed; booting $bed again"
		mv "$dir" "$dir-crashed"
		mkdir "$dir"
		cp "$dir-crashed/plan" "$dir/plan"
		ok=1
		boot "$nodes" "$nics" "$dir" test "$timeout" "$speed" || ok=0
	fi
	echo "run.sh: guest ran $((SECONDS - start)) s"

	[ -e "$dir/tap" ] && cat "$dir/tap"
	# Renumber the guest's results into the run's; a planned test with
	# no result line means the guest died or hung during it.
	done_tests=0
	if [ -e "$dir/tap" ]; then
		while read -r line; do
			case $line in
			"ok "*|"not ok "*)
				[[ $line =~ ^(not ok|ok)\ [0-9]+\ (.*)$ ]]
				add_result "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
				done_tests=$((done_tests + 1)) ;;
			esac
		done < "$dir/tap"
	fi
	tail -n +$((done_tests + 1)) "$dir/plan" | while read -r _ _ name; do
		echo "$name"
	done > "$dir/missing"
	while read -r name; do
		add_result "not ok" "selftests: zec: $name # no result: guest crashed or hung"
		ok=0
	done < "$dir/missing"
	# Fails even when every test printed its result.
	if [ -n "$boot_error" ]; then
		add_result "not ok" "selftests: zec-vm: guest [$bed] # $boot_error"
	else
		add_result ok "selftests: zec-vm: guest [$bed]"
	fi

	kernel_ok=1
	if scan_kernel_log "$dir"; then
		add_result ok "selftests: zec-vm: kernel log [$bed]"
	else
		add_result "not ok" "selftests: zec-vm: kernel log [$bed]"
		ok=0 kernel_ok=0
	fi
	# Only a debug kernel has kmemleak; guest.sh saved its report.
	if [ -e "$dir/kmemleak.txt" ]; then
		if "$here/kmemleak-scan.sh" "$dir/kmemleak.txt"; then
			add_result ok "selftests: zec-vm: kmemleak [$bed]"
		else
			add_result "not ok" "selftests: zec-vm: kmemleak [$bed]"
			ok=0
		fi
	fi
	# The failed checks as TAP comments: they reach the summary at the
	# end of make test, which is all a CI log's tail may show.
	[ -e "$dir/tap" ] && while read -r line; do
		results+=("# [$bed] ${line#\# }")
	done < <(grep -F '[FAIL]' "$dir/tap")
	# And what a crash, hang or splat left in the kernel log.
	if [ "$kernel_ok" -eq 0 ] || [ -s "$dir/missing" ]; then
		while read -r line; do
			results+=("# [$bed] kernel: $line")
		done < <("$here/splat-scan.sh" --digest "$(kernel_log_of "$dir")")
	fi
	[ -s "$dir/qemu-state.txt" ] && while read -r line; do
		results+=("# [$bed] qemu: $line")
	done < <("$here/qemu-state.sh" --summary "$dir/qemu-state.txt")
	[ "$ok" -eq 1 ] || show_failure "$dir"
done < <(printf '%s\n' "${!plan[@]}" | sort -n)

{
	echo "TAP version 13"
	echo "1..$total"
	printf '%s\n' "${results[@]}"
} > "$run/tap"
[ -n "$tapfile" ] && cp "$run/tap" "$tapfile"
echo "run.sh: $((total - failed)) of $total passed; TAP in $run/tap${tapfile:+ and $tapfile}"
[ "$failed" -eq 0 ]
