#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What a new user's first run on a fresh Debian 12 machine does.
#
#   scripts/fresh-machine.sh --quick
#   scripts/fresh-machine.sh [--test] [--keep] DIR
#
# --quick (make test runs it, in a second) checks what the first "make
# demo" or "make test" on a machine without kernel headers depends on:
# the make re-entered after deps.sh installed them is handed the parent's
# KDIR, empty, and must look for the headers again, while a KDIR the user
# set still wins. It prints TAP.
#
# DIR (as root, on the host; about 30 minutes with make demo) debootstraps
# Debian 12 with only its base system into DIR, which must not exist,
# installs make there (a new user's one step before the README's), clones
# this checkout's HEAD into DIR/root/zec (committed work only: not under
# /tmp or /run, which the test guest replaces) and runs "make demo" in it
# as root, then with --test "make test" (hours: the whole suite on two
# kernels). Each runs the first time, as a new user's would. The Debian
# mirror is the one the host's apt uses. The logs are DIR/root/*.log;
# DIR is removed at the end unless --keep or a step failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${here%/scripts}

usage()
{
	sed -n '/^#   /p' "$0" | cut -c2-
	exit 2
}

# quick: the KDIR checks, as TAP. make_kdir ARGS...: the KDIR a make of
# this checkout computes, run from outside any make (no MAKEFLAGS) with
# the environment and arguments given.
make_kdir()
{
	# shellcheck disable=SC2016 # $(KDIR) is for make
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$@" \
		make -s --no-print-directory -C "$root" \
		--eval 'fresh-machine-kdir: ; @echo "$(KDIR)"' fresh-machine-kdir
}

quick()
{
	local n=0 failed=0 found got

	check()
	{
		n=$((n + 1))
		if [ "$got" = "$2" ]; then
			echo "ok $n - $1"
		else
			echo "not ok $n - $1"
			echo "# KDIR is \"$got\", expected \"$2\""
			failed=$((failed + 1))
		fi
	}
	echo "TAP version 13"
	echo "1..4"
	found=$(make_kdir env -u KDIR)
	got=$found
	n=$((n + 1))
	if [ -n "$found" ]; then
		echo "ok $n - fresh-machine: kernel headers found: $found"
	else
		echo "not ok $n - fresh-machine: kernel headers found: none (run make deps)"
		failed=$((failed + 1))
	fi
	# What demo: deps and test: deps re-enter make with when the parent
	# was parsed before deps.sh installed the headers.
	got=$(make_kdir env KDIR=)
	check "fresh-machine: an empty inherited KDIR is looked up again" "$found"
	got=$(make_kdir env KDIR=/zec/kdir-env)
	check "fresh-machine: KDIR from the environment wins" /zec/kdir-env
	got=$(make_kdir env KDIR= KDIR=/zec/kdir-arg)
	check "fresh-machine: KDIR= on the command line wins" /zec/kdir-arg
	[ "$failed" -eq 0 ]
}

# apt_uri SUITE: the first URI the host's apt sources serve SUITE from,
# in the one-line (.list) or the deb822 (.sources) format.
apt_uri()
{
	local files

	mapfile -t files < <(ls -d /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null)
	awk -v suite="$1" '
		function has(list, w,   a, i, k) {
			k = split(list, a, /[ \t]+/)
			for (i = 1; i <= k; i++) if (a[i] == w) return 1
			return 0
		}
		function stanza() {
			if (types ~ /(^|[ \t])deb([ \t]|$)/ && has(suites, suite) && uri == "") {
				split(uris, u, /[ \t]+/); uri = u[1]
			}
			types = uris = suites = ""
		}
		FILENAME ~ /\.sources$/ {
			if (FNR == 1 || /^[ \t]*$/) stanza()
			if (/^Types:/) { sub(/^Types:[ \t]*/, ""); types = $0 }
			if (/^URIs:/) { sub(/^URIs:[ \t]*/, ""); uris = $0 }
			if (/^Suites:/) { sub(/^Suites:[ \t]*/, ""); suites = $0 }
			next
		}
		/^deb[ \t]/ && uri == "" {
			sub(/^deb[ \t]+(\[[^]]*\][ \t]+)?/, "")
			if ($2 == suite) uri = $1
		}
		END { stanza(); if (uri == "") exit 1; print uri }
	' "${files[@]}" 2>/dev/null
}

# chroot_run DIR LOG COMMAND: COMMAND in DIR's /root/zec as a root login
# would, timed, its output in DIR/root/LOG and on stdout.
chroot_run()
{
	local dir=$1 log=$2 status=0

	shift 2
	echo "fresh-machine: $* (log: $dir/root/$log)"
	SECONDS=0
	env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		chroot "$dir" /bin/bash -c 'cd /root/zec && "$@"' bash "$@" \
		< /dev/null 2>&1 | tee "$dir/root/$log" || status=$?
	echo "fresh-machine: $*: exit $status after $SECONDS s"
	return "$status"
}

mounted=()
unmount_all()
{
	local i

	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount -l "${mounted[i]}" 2>/dev/null || true
	done
	mounted=()
}

fresh()
{
	local dir=$1 test=$2 keep=$3 mirror security m rc=0

	[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: run as root" >&2; exit 1; }
	[ ! -e "$dir" ] || { echo "fresh-machine: $dir exists; give a new directory" >&2; exit 1; }
	case $(realpath -m "$dir")/ in
	/tmp/*|/run/*) echo "fresh-machine: $dir: not under /tmp or /run" >&2; exit 1 ;;
	esac
	mirror=$(apt_uri bookworm) ||
		{ echo "fresh-machine: no bookworm source in the host's apt sources" >&2; exit 1; }
	security=$(apt_uri bookworm-security) || security=''
	command -v debootstrap > /dev/null || apt-get install -y -q debootstrap
	echo "fresh-machine: debootstrap bookworm from $mirror into $dir"
	SECONDS=0
	debootstrap bookworm "$dir" "$mirror"
	echo "fresh-machine: debootstrap took $SECONDS s"
	{
		echo "deb $mirror bookworm main"
		echo "deb $mirror bookworm-updates main"
		[ -z "$security" ] || echo "deb $security bookworm-security main"
	} > "$dir/etc/apt/sources.list"
	cp /etc/resolv.conf "$dir/etc/resolv.conf"
	git clone -q --no-hardlinks "$(git -C "$root" rev-parse --show-toplevel)" "$dir/root/zec"
	echo "fresh-machine: cloned $(git -C "$dir/root/zec" log -1 --format='%h %s')"

	trap unmount_all EXIT
	for m in proc sys dev dev/pts; do
		mount --bind "/$m" "$dir/$m"
		mounted+=("$dir/$m")
	done
	chroot_run "$dir" apt-make.log sh -c \
		'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q make' || rc=1
	[ "$rc" -ne 0 ] || chroot_run "$dir" demo.log make demo || rc=1
	[ "$rc" -ne 0 ] || [ "$test" -eq 0 ] || chroot_run "$dir" test.log make test || rc=1
	unmount_all
	if [ "$rc" -eq 0 ] && [ "$keep" -eq 0 ]; then
		rm -rf --one-file-system "$dir"
	else
		echo "fresh-machine: kept $dir"
	fi
	return "$rc"
}

test=0 keep=0
case ${1:-} in
--quick) [ $# -eq 1 ] || usage; quick; exit ;;
esac
while [ $# -gt 0 ]; do
	case $1 in
	--test) test=1 ;;
	--keep) keep=1 ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || usage
fresh "$1" "$test" "$keep"
