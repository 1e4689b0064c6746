#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-kernel.sh: build, or reuse, the zec debug kernel (KASAN, lockdep,
# kmemleak, debug objects, UBSAN; selftests/vm/debug-kernel.config) from
# Debian's linux-source-6.1 and print the directory that holds it:
#
#   DIR/build/                      the kernel tree (KDIR for zec.ko),
#                                   DIR/build/arch/x86/boot/bzImage
#   DIR/modules/lib/modules/KVER/   its (nearly empty) module directory
#
# DIR is $ZEC_CACHE (default /var/tmp/zec-cache)/debug-kernel-<hash of the
# config fragment and the source package version>, outside the tree so that
# a clean checkout or "make clean" does not cost a rebuild. DIR/done marks
# a finished build; DIR/build.log has the build's output and DIR/build-time
# its wall time in seconds. The build runs "nice -n 19 make -j$JOBS" (JOBS
# defaults to the number of CPUs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment=$here/../selftests/vm/debug-kernel.config
cache=${ZEC_CACHE:-/var/tmp/zec-cache}
jobs=${JOBS:-$(nproc)}

die()
{
	echo "debug-kernel.sh: $*" >&2
	exit 1
}

tarball=$(find /usr/src -maxdepth 1 -name 'linux-source-6.1.tar.xz' | head -n 1)
[ -n "$tarball" ] || die "no /usr/src/linux-source-6.1.tar.xz: run make deps"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$({ echo "linux-source-6.1 $srcver"; cat "$fragment"; } | sha256sum | cut -c1-16)
dir=$cache/debug-kernel-$key

if [ ! -e "$dir/done" ]; then
	mkdir -p "$cache"
	# One build at a time per configuration; a second caller waits and
	# then finds it done.
	exec {lock}> "$dir.lock"
	flock "$lock"
fi
if [ -e "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

# verify_config CONFIG: every line of the fragment must have survived
# olddefconfig (an option it cannot have, or one another selects, does not).
verify_config()
{
	local line opt bad=0

	while read -r line; do
		case $line in
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			if grep -q "^$opt=" "$1"; then
				echo "debug-kernel.sh: $opt is set: $(grep "^$opt=" "$1")" >&2
				bad=1
			fi ;;
		CONFIG_*)
			if ! grep -qxF "$line" "$1"; then
				opt=${line%%=*}
				echo "debug-kernel.sh: wanted $line, got: $(grep -E "^(# )?${opt}[= ]" "$1" || echo nothing)" >&2
				bad=1
			fi ;;
		esac
	done < "$fragment"
	return "$bad"
}

start=$SECONDS
echo "debug-kernel.sh: building the debug kernel in $dir (log: $dir/build.log)" >&2
# An interrupted build resumes where make stopped.
if [ ! -e "$dir/configured" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	{
		tar -xJf "$tarball" -C "$dir"
		mv "$dir/linux-source-6.1" "$dir/src"
		make -C "$dir/src" O="$dir/build" x86_64_defconfig kvm_guest.config
		"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/build" \
			"$dir/build/.config" "$fragment"
		make -C "$dir/src" O="$dir/build" olddefconfig
	} >> "$dir/build.log" 2>&1 || die "configuration failed, see $dir/build.log"
	touch "$dir/configured"
fi
verify_config "$dir/build/.config" || die "the .config lacks options above"
nice -n 19 make -C "$dir/src" O="$dir/build" -j"$jobs" bzImage modules \
	>> "$dir/build.log" 2>&1 || die "build failed, see $dir/build.log"
make -C "$dir/src" O="$dir/build" INSTALL_MOD_PATH="$dir/modules" \
	modules_install >> "$dir/build.log" 2>&1 ||
	die "modules_install failed, see $dir/build.log"
echo $((SECONDS - start)) > "$dir/build-time"
touch "$dir/done"
echo "debug-kernel.sh: built in $((SECONDS - start)) s" >&2
echo "$dir"
