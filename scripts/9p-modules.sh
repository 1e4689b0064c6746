#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 9p-modules.sh KDIR OUT: for a kernel flavour built without 9p (Debian's
# cloud kernel), which the test guest mounts the host's root with, build
# 9pnet, 9pnet_virtio and 9p from Debian's linux-source-6.1 against KDIR
# (that flavour's headers), and make OUT/lib/modules/KVER: the flavour's
# modules (a link to /lib/modules/KVER/kernel) plus these in extra/,
# indexed by depmod. Prints that directory, for run.sh --modules-dir.
set -euo pipefail

kdir=${1:?usage: 9p-modules.sh KDIR OUT}
out=$(realpath -m "${2:?usage: 9p-modules.sh KDIR OUT}")

die()
{
	echo "9p-modules.sh: $*" >&2
	exit 1
}

kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
[ -n "$kver" ] || die "no kernel release in $kdir"
tarball=/usr/src/linux-source-6.1.tar.xz
[ -r "$tarball" ] || die "no $tarball: run make deps"

src=$out/src
if [ ! -d "$src/fs/9p" ]; then
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1 \
		linux-source-6.1/net/9p linux-source-6.1/fs/9p
fi
# The Kconfig symbols the flavour lacks are given on the command line; the
# sources then see them unset in autoconf.h, which leaves out what this
# guest does not use (fscache, ACLs).
make -C "$kdir" M="$src/net/9p" CONFIG_NET_9P=m CONFIG_NET_9P_VIRTIO=m \
	modules >&2
make -C "$kdir" M="$src/fs/9p" CONFIG_9P_FS=m \
	KBUILD_EXTRA_SYMBOLS="$src/net/9p/Module.symvers" modules >&2

moddir=$out/lib/modules/$kver
rm -rf "$moddir"
mkdir -p "$moddir/extra"
ln -s "/lib/modules/$kver/kernel" "$moddir/kernel"
cp "/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$moddir/"
cp "$src"/net/9p/9pnet.ko "$src"/net/9p/9pnet_virtio.ko "$src"/fs/9p/9p.ko \
	"$moddir/extra/"
depmod -b "$out" "$kver"
echo "$moddir"
