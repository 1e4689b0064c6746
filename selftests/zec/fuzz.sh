#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=420
# shellcheck disable=SC2317 # functions run by busywait and defer
#
# Hostile netlink input (selftests/nlfuzz): huge dumps of many devices with
# the most ports each, random and mutated requests of family zec from an
# unprivileged user and from root without CAP_NET_ADMIN, which must change
# nothing, then from root; afterwards the kernel must still be healthy:
# zec0 passes traffic, a dump is complete and consistent, the module
# unloads. The harness fails the run on any kernel warning.
#
#   zec0 192.0.2.1/24 ─┬─ n0p0 ══ sw-n0p0 (netns switch)
#                      └─ n1p0 ══ sw-n1p0
#   zec1 .. zec$BIG_DEVICES, each over $PORTS_PER_DEVICE dummies
#
# ZEC_FUZZ_COUNT (messages per run) and ZEC_FUZZ_SEED (default: random,
# printed) replay a run.

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NLFUZZ=$ROOT/selftests/nlfuzz
: "${ZEC_FUZZ_COUNT:=10000}"
: "${ZEC_FUZZ_SEED:=$((RANDOM << 30 | RANDOM << 15 | RANDOM))}"
BIG_DEVICES=4
# ZEC_MAX_PORTS in kmod/zec.h
PORTS_PER_DEVICE=32

zec_require_built "$ZECCTL" "$NLFUZZ"

# zec_config: every zec device as zecctl shows it, without the counters
# traffic moves; the generations are in it.
zec_config()
{
	"$ZECCTL" -j show |
		jq -c 'map(del(.nodes[].tx_local_packets, .nodes[].tx_cross_packets))'
}

# zec_port_total: netdevs enslaved to some zec device.
zec_port_total()
{
	ip -j link show | jq '[.[] | select((.master // "") | startswith("zec"))] | length'
}

test_setup()
{
	local d p batch=()

	zec_setup n0p0 n1p0
	check_err $? "zec0 setup failed"
	for ((d = 1; d <= BIG_DEVICES; d++)); do
		batch+=("link add zec$d type zec")
		for ((p = 0; p < PORTS_PER_DEVICE; p++)); do
			batch+=("link add z${d}d$p type dummy"
				"link set z${d}d$p master zec$d")
		done
		batch+=("link set zec$d up")
	done
	printf '%s\n' "${batch[@]}" | ip -batch -
	check_err $? "cannot build $BIG_DEVICES devices of $PORTS_PER_DEVICE ports"
	# Devices of other kinds for the fuzzer to pick as ports: their
	# drivers have notifiers of their own (bonding's crashed when a bond
	# was made a port).
	ip -batch - <<-EOF
	link add fz-bond type bond
	link add fz-team type team
	link add fz-br type bridge
	link add fz-veth0 type veth peer name fz-veth1
	link add fz-d type dummy
	link add fz-mv link fz-d type macvlan
	link add link fz-d name fz-d.7 type vlan id 7
	EOF
	check_err $? "cannot build the other kinds of devices"
	defer ip link del fz-d
	defer ip link del fz-veth0
	defer ip link del fz-br
	defer ip link del fz-team
	defer ip link del fz-bond
	[ "$(zec_port_total)" -eq $((2 + BIG_DEVICES * PORTS_PER_DEVICE)) ]
	check_err $? "$(zec_port_total) ports enslaved"
	log_test "$((BIG_DEVICES + 1)) devices, $((2 + BIG_DEVICES * PORTS_PER_DEVICE)) ports"
}

test_full_device()
{
	local out

	ip link add z1full type dummy
	defer ip link del z1full
	out=$("$ZECCTL" port add z1full master zec1 2>&1)
	check_fail $? "a port beyond the maximum was accepted"
	[[ $out == *"maximum number of ports"* ]]
	check_err $? "message: $out"
	log_test "port $((PORTS_PER_DEVICE + 1)) refused"
}

test_huge_dump()
{
	local out

	out=$("$NLFUZZ" dump $((BIG_DEVICES + 1)) \
		$((2 + BIG_DEVICES * PORTS_PER_DEVICE)) 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	indent "$out"
	[ "$("$ZECCTL" -j show | jq '[.[].ports | length] | add')" -eq \
	  $((2 + BIG_DEVICES * PORTS_PER_DEVICE)) ]
	check_err $? "zecctl show does not list every port"
	log_test "dumps of every device with every port"
}

# unprivileged_fuzz WHAT CMD...: CMD runs nlfuzz without CAP_NET_ADMIN
# over the init namespace; nothing may change.
unprivileged_fuzz()
{
	local what=$1 before after out
	shift

	before=$(zec_config)
	out=$("$@" "$NLFUZZ" fuzz -u -s "$ZEC_FUZZ_SEED" -n "$ZEC_FUZZ_COUNT" 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	indent "$out"
	after=$(zec_config)
	[ "$before" = "$after" ]
	check_err $? "state changed: $before -> $after"
	log_test "fuzz as $what: every reply sane, nothing changes"
}

test_fuzz_nobody()
{
	unprivileged_fuzz nobody "${AS_NOBODY[@]}"
}

# A user namespace would be the other way, but unshare(CLONE_NEWUSER)
# fails with EPERM in the chroot the guest runs the tests in.
test_fuzz_root_without_cap()
{
	unprivileged_fuzz "root without CAP_NET_ADMIN" \
		setpriv --bounding-set=-net_admin --inh-caps=-net_admin
}

test_fuzz_root()
{
	local out

	out=$("$NLFUZZ" fuzz -s "$ZEC_FUZZ_SEED" -n "$ZEC_FUZZ_COUNT" 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	indent "$out"
	log_test "fuzz as root: every reply sane"
}

# What the root fuzzer may have changed on zec0, put back.
restore_zec0()
{
	local port

	for port in $(zec_port_list); do
		case $port in
		n0p0 | n1p0) ;;
		*) ip link set dev "$port" nomaster || return 1 ;;
		esac
	done
	for port in n0p0 n1p0; do
		if [ "$(ip -j link show dev "$port" | jq -r '.[0].master // empty')" != zec0 ]; then
			ip link set dev "$port" nomaster 2> /dev/null
			ip link set dev "$port" master zec0 || return 1
		fi
		"$ZECCTL" port set "$port" master zec0 node auto enable on || return 1
	done
	"$ZECCTL" dev set zec0 mode lag updelay 0 garp 1 &&
		zec_rate_probe_clear zec0
}

test_healthy()
{
	local node before after out

	restore_zec0
	check_err $? "cannot put zec0 back together"
	for node in 0 1; do
		before=$(switch_rx "n${node}p0")
		send_from_node "$node" 200
		busywait 5000 sh -c "[ \$(ip -n switch -s -j link show dev sw-n${node}p0 |
			jq '.[0].stats64.rx.packets') -ge $((before + 200)) ]"
		check_err $? "node $node: $(( $(switch_rx "n${node}p0") - before )) of 200 packets at the switch; $("$ZECCTL" -j stats zec0 | jq -c '.[0] | [.stats, .ports, .nodes]')"
	done
	out=$("$NLFUZZ" dump "$(ip -d -j link show | jq '[.[] | select(.linkinfo.info_kind == "zec")] | length')" \
		"$(zec_port_total)" 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out")"
	indent "$out"
	defer_run
	rmmod zec
	check_err $? "rmmod zec failed"
	[ "$(zec_port_total)" -eq 0 ]
	check_err $? "ports still enslaved after rmmod"
	log_test "after the fuzzing: traffic passes, dump complete, rmmod"
}

modprobe zec || fail_all "cannot load zec"
modprobe dummy || skip_all "this kernel has no dummy module"
echo "seed $ZEC_FUZZ_SEED, $ZEC_FUZZ_COUNT messages per run"
test_setup
test_full_device
test_huge_dump
test_fuzz_nobody
test_fuzz_root_without_cap
test_fuzz_root
test_healthy
exit "$EXIT_STATUS"
