#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=480
#
# XDP on zec0 (Documentation/datapath.md, "XDP"). A program attached
# natively to zec0 runs on every port, one that joins later too, and leaves
# a port that leaves; detached from zec0, or zec0 deleted, it leaves them
# all. The core shows it on zec0 only, so that it runs on a port is read
# from virtio-net's own count of the frames its XDP program saw
# (rx_queue_0_xdp_packets). A port
# without native XDP (a dummy) makes the attach fail, named in the kernel
# log, with nothing changed, and cannot join while zec0 has a program;
# nor can a port with a program of its own.
#
# XDP_REDIRECT into zec0: a program on each VM's tap (vms.sh, its NAPI on
# the VM's node) sends what the VM sends into zec0, which is on no bridge:
# without a program on zec0 virtio-net refuses XDP frames (counted as the
# port's tx_errors); with one, each VM's frames leave through its node's
# port, counted there; after a cable pull, node 1's leave through n0p0;
# with no port left, they are counted in tx_drop_no_port.
#
#   vm1 ── tap-vm1 ─(XDP_REDIRECT)─> zec0 (xdpdrv: pass) ─┬─ n0p0 ══ sw-n0p0
#   vm0 ── tap-vm0 ─(XDP_REDIRECT)─┘                      └─ n1p0 ══ sw-n1p0

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../datapath.sh"
. "$(dirname "$0")/../vms.sh"

SRC=$(dirname "$0")/xdp
OBJ=/tmp/zec-xdp
COUNT=100
FEED=20
KLOG=/tmp/zec-xdp-dmesg.txt

# xdp_build NAME [CLANG ARG...]: $SRC/NAME.bpf.c into $OBJ-NAME.o.
xdp_build()
{
	local name=$1
	shift

	clang -O2 -g -Wall -Werror -target bpf \
		-I"/usr/include/$(cc -dumpmachine)" "$@" \
		-c -o "$OBJ-$name.o" "$SRC/$name.bpf.c"
}

# xdp_attach DEV NAME: $OBJ-NAME.o's program on DEV, natively.
xdp_attach()
{
	ip link set dev "$1" xdpdrv obj "$OBJ-$2.o" sec xdp
}

# xdp_mode DEV: the XDP mode ip shows for DEV (1: native), empty for none.
xdp_mode()
{
	ip -j link show dev "$1" | jq -r '.[0].xdp.mode // empty'
}

# reaches NAME DEV VALUE: DEV's ethtool counter NAME is at least VALUE.
reaches()
{
	[ "$(zec_stat "$1" "$2")" -ge "$3" ]
}

# feed PORT: FEED broadcast frames from the switch into PORT.
feed()
{
	in_switch /usr/bin/python3 "$MACS" send to --dev "sw-$1" \
		--base ff:ff:ff:ff:ff:ff --count 1 --rounds "$FEED" --interval 0
}

# xdp_runs_on PORT: frames fed into PORT pass its XDP program.
xdp_runs_on()
{
	local seen

	seen=$(zec_stat rx_queue_0_xdp_packets "$1") || return 1
	feed "$1" && busywait 5000 reaches rx_queue_0_xdp_packets "$1" $((seen + FEED))
}

# xdp_off_on PORT: frames fed into PORT arrive, and pass no XDP program.
xdp_off_on()
{
	local seen rx

	seen=$(zec_stat rx_queue_0_xdp_packets "$1") &&
		rx=$(zec_stat rx_queue_0_packets "$1") || return 1
	feed "$1" && busywait 5000 reaches rx_queue_0_packets "$1" $((rx + FEED)) &&
		[ "$(zec_stat rx_queue_0_xdp_packets "$1")" -eq "$seen" ]
}

# vm_send VM N: N frames from vmVM to the switch (SWITCH_MAC), which its
# tap's program redirects into zec0 on node VM's CPUs.
vm_send()
{
	in_vm "$1" /usr/bin/python3 "$MACS" send from --dev eth0 \
		--base "$(vm_macs "$1" 1)" --count 1 --rounds "$2" --interval 0 \
		--peer "$SWITCH_MAC"
}

# switch_grows PORT BEFORE: sw-PORT received COUNT frames more than BEFORE.
switch_grows()
{
	[ "$(switch_rx "$1")" -ge $(($2 + COUNT)) ]
}

test_propagation()
{
	local port

	zec_setup n0p0
	check_err $? "setup failed"
	xdp_attach zec0 pass
	check_err $? "cannot attach a program to zec0 natively"
	[ "$(xdp_mode zec0)" = 1 ]
	check_err $? "zec0 shows XDP mode '$(xdp_mode zec0)', not native (1)"
	ip link set dev n1p0 master zec0
	check_err $? "n1p0 cannot join zec0 while it has a program"
	for port in n0p0 n1p0; do
		xdp_runs_on "$port"
		check_err $? "zec0's program does not run on $port"
	done
	log_test "a program on zec0 runs natively on every port, a late one too"

	ip link set dev n1p0 nomaster && ip link set dev n1p0 up &&
		busywait 5000 zec_carrier n1p0
	check_err $? "n1p0 cannot leave zec0 and come up alone"
	xdp_off_on n1p0
	check_err $? "n1p0 keeps zec0's program after leaving it"
	xdp_runs_on n0p0
	check_err $? "n0p0 lost zec0's program when n1p0 left"
	log_test "a port that leaves zec0 leaves its program"

	ip link set dev zec0 xdpdrv off
	check_err $? "cannot detach zec0's program"
	[ -z "$(xdp_mode zec0)" ]
	check_err $? "zec0 shows XDP mode '$(xdp_mode zec0)' after detaching"
	xdp_off_on n0p0
	check_err $? "n0p0 keeps zec0's program after it was detached"
	log_test "detaching zec0's program detaches it from its ports"

	xdp_attach zec0 pass && ip link del zec0
	check_err $? "cannot delete zec0 with a program attached"
	ip link set dev n0p0 up && busywait 5000 zec_carrier n0p0
	check_err $? "n0p0 not up alone after zec0 was deleted"
	xdp_off_on n0p0
	check_err $? "n0p0 keeps zec0's program after zec0 was deleted"
	log_test "zec0 deleted with a program attached: its ports lose it"
}

test_refusal()
{
	local out port

	zec_setup n0p0 n1p0 &&
		ip link add zxdp0 type dummy &&
		defer ip link del zxdp0 &&
		ip link set dev zxdp0 master zec0
	check_err $? "setup failed"
	klog_mark xdp-refusal
	out=$(xdp_attach zec0 pass 2>&1)
	check_fail $? "zec0 took a program though zxdp0 has no native XDP"
	grep -q "Port does not support native XDP" <<<"$out"
	check_err $? "the refusal does not say why: $out"
	klog_has "port zxdp0 cannot take the XDP program"
	check_err $? "the kernel log does not name zxdp0: $(grep zec0 "$KLOG")"
	[ -z "$(xdp_mode zec0)" ]
	check_err $? "zec0 shows XDP mode '$(xdp_mode zec0)' after the refusal"
	# They come before zxdp0 in zec0's list: they had it, and lost it.
	for port in n0p0 n1p0; do
		xdp_off_on "$port"
		check_err $? "$port keeps the program zec0 refused"
	done
	log_test "a port without native XDP: attach refused, named, undone"

	ip link set dev zec0 xdpgeneric obj "$OBJ-pass.o" sec xdp
	check_err $? "zec0 refuses a generic program over zxdp0"
	[ "$(xdp_mode zec0)" = 2 ]
	check_err $? "zec0 shows XDP mode '$(xdp_mode zec0)', not generic (2)"
	ip link set dev zec0 xdpgeneric off
	check_err $? "cannot detach zec0's generic program"
	log_test "generic XDP on zec0 needs no port to support XDP"

	ip link set dev zxdp0 nomaster && xdp_attach zec0 pass
	check_err $? "zec0 takes no program once zxdp0 left"
	out=$(ip link set dev zxdp0 master zec0 2>&1)
	check_fail $? "zxdp0 joined zec0, which has a program it cannot run"
	grep -q "Port does not support native XDP" <<<"$out"
	check_err $? "the refusal does not say why: $out"
	! zec_port_list | grep -qx zxdp0
	check_err $? "zxdp0 is a port of zec0 after its refusal"
	xdp_runs_on n1p0
	check_err $? "zec0's program does not run on n1p0 after the refusal"
	log_test "while zec0 has a program, a port without native XDP cannot join"

	ip link set dev n1p0 nomaster && ip link set dev n1p0 up &&
		xdp_attach n1p0 pass
	check_err $? "n1p0 cannot take a program of its own once out of zec0"
	defer ip link set dev n1p0 xdp off
	out=$(ip link set dev n1p0 master zec0 2>&1)
	check_fail $? "n1p0 joined zec0, whose program would replace its own"
	grep -q "Port has an XDP program of its own" <<<"$out"
	check_err $? "the refusal does not say why: $out"
	[ "$(xdp_mode n1p0)" = 1 ]
	check_err $? "n1p0 lost its own program: XDP mode '$(xdp_mode n1p0)'"
	log_test "a port with a program of its own cannot join zec0 while it has one"
}

test_redirect()
{
	local vm other errors local_tx sw sw_other cross drops

	zec_setup n0p0 n1p0 && vms_setup zec0 &&
		ip link set dev zec0 nomaster &&
		xdp_build redirect -DZEC_IFINDEX="$(< /sys/class/net/zec0/ifindex)"
	check_err $? "setup failed"
	for vm in 0 1; do
		xdp_attach "tap-vm$vm" redirect
		check_err $? "cannot attach the redirecting program to tap-vm$vm"
	done
	# virtio-net takes XDP frames only while it runs a program itself.
	errors=$(zec_stat n1p0.tx_errors)
	vm_send 1 "$COUNT"
	busywait 5000 reaches n1p0.tx_errors zec0 $((errors + COUNT))
	check_err $? "n1p0 refused node 1's frames uncounted: tx_errors $errors -> $(zec_stat n1p0.tx_errors)"
	log_test "redirected frames the port refuses count as its tx_errors"

	xdp_attach zec0 pass
	check_err $? "cannot attach a program to zec0"
	for vm in 0 1; do
		other=$((1 - vm))
		local_tx=$(zec_stat "n${vm}p0.tx_local_packets")
		sw=$(switch_rx "n${vm}p0")
		sw_other=$(switch_rx "n${other}p0")
		vm_send "$vm" "$COUNT"
		busywait 5000 switch_grows "n${vm}p0" "$sw"
		check_err $? "vm$vm's frames did not leave through n${vm}p0: $((sw + COUNT)) wanted, $(switch_rx "n${vm}p0") seen"
		busywait 5000 reaches "n${vm}p0.tx_local_packets" zec0 $((local_tx + COUNT))
		check_err $? "n${vm}p0.tx_local_packets $local_tx -> $(zec_stat "n${vm}p0.tx_local_packets"), $COUNT more wanted"
		[ "$(switch_rx "n${other}p0")" -lt $((sw_other + COUNT / 2)) ]
		check_err $? "vm$vm's frames left through n${other}p0 too"
	done
	log_test "XDP_REDIRECT into zec0 leaves through the node's port, counted"

	zec_cable n1p0 off && busywait 2000 not zec_carrier n1p0
	check_err $? "carrier of n1p0 did not drop"
	cross=$(zec_stat n0p0.tx_cross_node_packets)
	sw=$(switch_rx n0p0)
	vm_send 1 "$COUNT"
	busywait 5000 switch_grows n0p0 "$sw"
	check_err $? "node 1's frames did not move to n0p0"
	busywait 5000 reaches n0p0.tx_cross_node_packets zec0 $((cross + COUNT))
	check_err $? "n0p0.tx_cross_node_packets $cross -> $(zec_stat n0p0.tx_cross_node_packets), $COUNT more wanted"
	log_test "cable pull: node 1's redirected frames leave through n0p0"

	zec_cable n0p0 off && busywait 2000 not zec_carrier n0p0
	check_err $? "carrier of n0p0 did not drop"
	drops=$(zec_stat tx_drop_no_port)
	vm_send 1 "$COUNT"
	busywait 5000 reaches tx_drop_no_port zec0 $((drops + COUNT))
	check_err $? "tx_drop_no_port $drops -> $(zec_stat tx_drop_no_port), $COUNT more wanted"
	log_test "no port left: redirected frames count as tx_drop_no_port"
}

command -v clang > /dev/null || fail_all "clang is not installed (scripts/deps.sh)"
xdp_build pass || fail_all "cannot build $SRC/pass.bpf.c"

test_propagation
defer_run
test_refusal
defer_run
test_redirect
defer_run
exit "$EXIT_STATUS"
