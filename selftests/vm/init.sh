#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the zec test guest (busybox, in the initramfs run.sh builds).
# Loads virtio and 9p, mounts the host's root read-only and the run's output
# directory read-write at the same path it has on the host, then chroots
# into the host root so the tests use the host's bash, iproute2 and kmod.
# run.sh passes the output directory and the repository on the kernel
# command line as zecout=DIR zecroot=DIR, which the kernel hands to init as
# environment variables.

/bin/busybox --install -s /bin
export PATH=/bin

die()
{
	echo "zec-init: $*"
	echo o > /proc/sysrq-trigger
	sleep 60
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

while read -r mod; do
	insmod "/lib/modules/$mod.ko" || die "insmod $mod failed"
done < /lib/modules/load-order

if [ -z "$zecout" ] || [ -z "$zecroot" ]; then
	die "no zecout= or zecroot= on the kernel command line"
fi
# cache=loose: without a page cache every exec reads its binary and
# libraries again through 9p (a bare /bin/true took 600 ms, ip 2 s). The
# host's files are not expected to change under a test run; the output
# directory, which does change, is mounted without a cache.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /mnt ||
	die "cannot mount the host root"
mount -t tmpfs tmpfs /mnt/tmp
mount -t tmpfs tmpfs /mnt/run
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 zecout "/mnt$zecout" ||
	die "cannot mount $zecout"
mount -t proc proc /mnt/proc
mount -t sysfs sysfs /mnt/sys
mount -t debugfs debugfs /mnt/sys/kernel/debug
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -o rbind /dev /mnt/dev

# /sbin/modprobe (our wrapper, for module autoload) looks for this module
# root: the host's modules plus zec.ko, indexed by run.sh next to zecout.
ln -s "${zecout%/*}/modroot" /mnt/tmp/modroot

chroot /mnt /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp \
	LC_ALL=C.UTF-8 TERM=dumb /bin/bash "$zecroot/selftests/vm/guest.sh" "$zecout"

sync
echo o > /proc/sysrq-trigger
sleep 60
