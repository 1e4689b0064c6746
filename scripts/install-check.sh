#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install-check.sh: make install into a temporary DESTDIR (the default
# PREFIX, /usr/local) puts exactly the expected files there, with the
# library's links; the installed zecctl has no RUNPATH or RPATH and runs
# on the installed library; an example built from its installed source
# with "pkg-config --cflags --libs libzec" (PKG_CONFIG_PATH and
# PKG_CONFIG_SYSROOT_DIR into the DESTDIR) runs on the installed library
# and fails with the library's known error (a kernel faked by
# libzec/tests/fake-zec.c, a sysfs root longer than PATH_MAX); make
# uninstall leaves no file. Seconds, once the module is built (make
# install builds it, against KDIR as make does). Prints TAP.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${here%/scripts}
dest=$(mktemp -d "${TMPDIR:-/tmp}/zec-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
prefix=/usr/local
log=$root/build/install-check.log
n=0 failed=0

# result NAME OK [DETAIL...]: a TAP line; DETAIL as comments when not OK
result()
{
	local name=$1 ok=$2

	shift 2
	n=$((n + 1))
	if [ "$ok" -eq 0 ]; then
		echo "ok $n - install: $name"
	else
		echo "not ok $n - install: $name"
		printf '%s\n' "$@" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

# make_var DIR VAR: VAR as the Makefile in DIR sets it
make_var()
{
	# shellcheck disable=SC2016 # $(...) is for make
	make -s --no-print-directory -C "$1" \
		--eval "install-check-var: ; @echo \$($2)" install-check-var
}

mkdir -p "$root/build"
kver=$(make_var "$root" kver)
lib=$(make_var "$root/libzec" VERSION)
soname=libzec.so.${lib%%.*}
ld="$dest$prefix/lib"

echo "TAP version 13"
echo "1..7"

make -C "$root" install DESTDIR="$dest" PREFIX="$prefix" > "$log" 2>&1
result "make install DESTDIR=... (kernel $kver, libzec $lib)" $? \
	"$(tail -n 20 "$log")"

want=$(sort <<EOF
/lib/modules/$kver/extra/zec.ko
$prefix/include/zec/zec-uapi.h
$prefix/include/zec/zec.h
$prefix/lib/libzec.so -> $soname
$prefix/lib/$soname -> libzec.so.$lib
$prefix/lib/libzec.so.$lib
$prefix/lib/pkgconfig/libzec.pc
$prefix/sbin/zecctl
$prefix/share/bash-completion/completions/zecctl
$prefix/share/doc/zec/examples/failover-watch.c
$prefix/share/doc/zec/examples/reattach-agent.c
$prefix/share/doc/zec/examples/vm-place.c
$prefix/share/doc/zec/examples/zec.json
$prefix/lib/systemd/system/zec.service
$prefix/share/man/man3/libzec.3
$prefix/share/man/man3/zec_reattach_plan_get.3
$prefix/share/man/man3/zec_vf_list_get.3
$prefix/share/man/man5/zecctl-config.5
$prefix/share/man/man8/zecctl.8
EOF
)
# what is there: each file, and where each link points
files()
{
	(cd "$dest" && find . ! -type d -printf '%p %l\n') |
		sed 's/^\.//; s/ $//; s/ \(.\)/ -> \1/' | sort
}
got=$(files)
result "the files installed, the library's links" \
	"$([ "$got" = "$want" ]; echo $?)" \
	"$(diff <(echo "$want") <(echo "$got") | grep '^[<>]')"

zecctl=$dest$prefix/sbin/zecctl
dyn=$(readelf -d "$zecctl" 2>&1)
path=$(grep -E '\((RUNPATH|RPATH)\)' <<< "$dyn")
result "the installed zecctl has no RUNPATH or RPATH" \
	"$([ -n "$dyn" ] && [ -z "$path" ]; echo $?)" "readelf -d: $path"

out=$(LD_LIBRARY_PATH=$ld ldd "$zecctl" 2>&1 | grep -F "$soname =>")
usage=$(LD_LIBRARY_PATH=$ld "$zecctl" help 2>&1)
status=$?
result "the installed zecctl runs on the installed $soname" \
	"$([ "${out%% (*}" = "	$soname => $ld/$soname" ] &&
	   [ $status -eq 0 ] && grep -q '^Usage: zecctl' <<< "$usage"; echo $?)" \
	"ldd: $out" "zecctl help: exit $status" "$usage"

# The example as a user builds it, with nothing from the checkout: the
# flags name the DESTDIR's header and library (and, with the sysroot, the
# include directories of libmnl and libnuma, which libzec.pc requires).
flags=$(PKG_CONFIG_PATH=$ld/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest \
	pkg-config --cflags --libs libzec 2>&1)
agent=$dest/reattach-agent
build_agent()
{
	[[ " $flags " == *" -I$dest$prefix/include "*" -L$ld -lzec "* ]] ||
		return 1
	# shellcheck disable=SC2086 # the flags are words
	cc -Wall -Wextra -Werror -o "$agent" \
		"$dest$prefix/share/doc/zec/examples/reattach-agent.c" $flags
}
built=$(build_agent 2>&1)
result "an example builds with pkg-config --cflags --libs libzec" $? \
	"pkg-config: $flags" "want -I$dest$prefix/include ... -L$ld -lzec" \
	"$built"

make -s -C "$root/libzec" tests/build/fake-zec.so > "$log" 2>&1
err=$(LD_LIBRARY_PATH=$ld LD_PRELOAD=$root/libzec/tests/build/fake-zec.so \
	"$agent" --once --sysfs-root "$(printf '/x%.0s' $(seq 3000))" zec0 2>&1)
status=$?
out=$(LD_LIBRARY_PATH=$ld ldd "$agent" 2>&1 | grep -F "$soname =>")
result "the example runs on the installed $soname" \
	"$([ $status -eq 1 ] && [ "$err" = "zec0: zec_vf_list_get: File name too long" ] &&
	   [ "${out%% (*}" = "	$soname => $ld/$soname" ]; echo $?)" \
	"exit $status: $err" "ldd: $out" "$(cat "$log")"
rm -f "$agent"

make -C "$root" uninstall DESTDIR="$dest" PREFIX="$prefix" > "$log" 2>&1
status=$?
left=$(files)
result "make uninstall DESTDIR=... leaves no file" \
	"$([ $status -eq 0 ] && [ -z "$left" ]; echo $?)" \
	"exit $status" "left: $left" "$(tail -n 20 "$log")"

[ "$failed" -eq 0 ]
