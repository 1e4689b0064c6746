#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian 12 packages zec needs to build, test and run its demo,
# with the kernel flavours the tests boot (generic, PREEMPT_RT, cloud) and
# what building the debug kernel from linux-source takes.
# Only missing packages are installed, so a second run costs one dpkg query.
# "deps.sh --check" lists what is missing and exits non-zero if anything is;
# "deps.sh --bench" adds what only "make bench" needs (gnuplot for its plots);
# "deps.sh --dkms" what only "make dkms-install" does (dkms; make test does
# not run it); "deps.sh --deb" what "make deb" does (debhelper, dh-dkms).
set -euo pipefail

check=0 bench=0 dkms=0 deb=0
for arg; do
	case $arg in
	--check) check=1 ;;
	--bench) bench=1 ;;
	--dkms) dkms=1 ;;
	--deb) deb=1 ;;
	*) echo "usage: deps.sh [--check] [--bench] [--dkms] [--deb]" >&2; exit 2 ;;
	esac
done

packages=(
	build-essential pkg-config kmod cpio
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	linux-image-rt-amd64 linux-headers-rt-amd64
	linux-image-cloud-amd64 linux-headers-cloud-amd64
	bc bison flex libelf-dev libssl-dev xz-utils
	qemu-system-x86 busybox-static socat
	libmnl-dev libnuma-dev numactl
	# zecctl apply / dump-config read and write their JSON file with it
	libjson-c-dev
	iproute2 ethtool tcpdump iputils-ping jq python3 python3-yaml python3-jsonschema
	iperf3
	# zec/uplink.sh runs ovsdb-server and ovs-vswitchd (kernel datapath)
	openvswitch-switch
	# netlink.sh parses "zecctl stats -o prometheus" with it (promcheck.py)
	python3-prometheus-client
	# tools/net/ynl and its schemas, which 6.1's source does not have yet
	linux-source-6.12
	libteam-utils
	sparse
	clang libclang-rt-dev
	# abidiff: make -C libzec test checks the ABI against libzec/abi/
	abigail-tools
)
bench_packages=(gnuplot-nox)
[ "$bench" -eq 0 ] || packages+=("${bench_packages[@]}")
[ "$dkms" -eq 0 ] || packages+=(dkms)
[ "$deb" -eq 0 ] || packages+=(debhelper dh-dkms)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done

if [ "$check" -eq 1 ]; then
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "missing: ${missing[*]}"
	exit 1
fi

[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${missing[@]}"
