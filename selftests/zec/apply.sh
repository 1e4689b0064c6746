#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zec-vm: nodes=2 nics-per-node=1 timeout=300
# shellcheck disable=SC2317 # functions run by defer
#
# Declarative configuration (zecctl-config(5)) on the module: zecctl apply
# creates zec0 with its ports, node override, caps, probes and mode as the
# file says (the probes with a warning: zec0 has no address yet, as at
# boot) and "zecctl -j show" reflects it; applying it again says "no
# changes" and changes nothing (its mac-table 5000 is the kernel's 8192,
# its probe lists an IPv6 target before an IPv4 one, the kernel's order
# the other way round); dump-config | apply is no change; an
# invalid file (a bad value, a port that does not exist, a syntax error)
# is refused naming its line and changes nothing; --prune removes what
# the file leaves out; the ExecStart line of tools/zecctl/zec.service,
# run as it is on a file, applies it.
#
#   zec0 ─┬─ n0p0
#         └─ n1p0

# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/datapath.sh
. "$(dirname "$0")/../datapath.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$ROOT/tools/zecctl/zec.service
DIR=/tmp/zec-apply
OUT=$DIR/out.txt

zec_require_built "$ZECCTL"

zecctl()
{
	"$ZECCTL" "$@"
}

# config: zec0's settings as "zecctl -j show" reports them, sorted: what
# is configured only, not what the kernel derives (a cap's active_bps,
# active_pps, active_burst from the link speed); nothing if no zec0.
config()
{
	zecctl -j show zec0 | jq -S '
		def cap: if . then {percent, bps, pps, burst, mode, inherited}
			 else . end;
		.[0] | {mode, updelay_ms, garp_count, rx_port, mac_table_size,
			rate: (.rate | cap), probe,
			ports: [.ports[] | {ifname, node_override, enabled,
					    rate: (.rate | cap)}]}'
}

# config_before: config into $before, failing if there is none.
config_before()
{
	before=$(config)
	[ -n "$before" ]
	check_err $? "no zec0 to compare with: $(zecctl -j show zec0 2>&1)"
}

# shows FILTER: jq -e FILTER over config.
shows()
{
	config | jq -e "$1" > /dev/null
}

# said TEXT: apply's output ($OUT) is TEXT, line for line.
said()
{
	[ "$(cat "$OUT")" = "$1" ]
}

write_config()
{
	cat > "$DIR/zec.json" <<'EOF'
{
  "devices": [
    {
      "name": "zec0",
      "mode": "independent",
      "updelay": "2s",
      "garp": 3,
      "rxport": "n1p0",
      "mac-table": 5000,
      "rate": { "rate": "50%", "fallback": "5gbit" },
      "probe": { "targets": [ "2001:db8::254", "192.0.2.254" ],
                 "interval": "100ms", "miss": 4 },
      "ports": [
        { "name": "n0p0", "enable": false },
        { "name": "n1p0", "node": 0, "enable": true,
          "rate": { "rate": "1gbit", "burst": "64k", "mode": "shape" } }
      ]
    }
  ]
}
EOF
}

test_apply_twice()
{
	local before

	zecctl apply -f "$DIR/zec.json" > "$OUT" 2>&1
	check_err $? "apply failed: $(cat "$OUT")"
	defer ip link del zec0
	# The probes are taken before zec0 has an address, as at boot.
	said "zec0: device added
zec0: port n0p0 added, enable off
zec0: port n1p0 added, node 0, enable on
zec0: port n1p0 rate none -> 1gbit burst 65536 mode shape
zec0: mode independent
zec0: updelay 2s
zec0: garp 3
zec0: rxport n1p0
zec0: mac-table 8192
zec0: rate none -> 50% fallback 5gbit mode police
zec0: probe none -> target 2001:db8::254 target 192.0.2.254 interval 100ms miss 4 recover 1
Warning: The zec device has no IPv4 address to send ARP probes from yet: they start once it has one"
	check_err $? "the first apply said: $(cat "$OUT")"
	shows '.mode == "independent" and .updelay_ms == 2000 and
		.garp_count == 3 and .rx_port == "n1p0" and
		.mac_table_size == 8192 and
		.rate.percent == 50 and .rate.bps == 5000000000 and
		.rate.mode == "police" and
		.probe.targets == ["192.0.2.254", "2001:db8::254"] and
		.probe.interval_ms == 100 and
		.probe.miss == 4 and
		(.ports | map(.ifname)) == ["n0p0", "n1p0"] and
		.ports[0].enabled == false and .ports[0].node_override == null and
		.ports[0].rate.inherited == true and
		.ports[1].enabled == true and .ports[1].node_override == 0 and
		.ports[1].rate.inherited == false and
		.ports[1].rate.bps == 1000000000 and .ports[1].rate.burst == 65536 and
		.ports[1].rate.mode == "shape"'
	check_err $? "zecctl -j show: $(config | jq -c .)"
	log_test "apply: zec0, its ports, caps, probes and mode as the file says"

	# mac-table 5000 is 8192, the probe's IPv6 target listed first: the
	# kernel's size and order, no change
	config_before
	zecctl apply -f "$DIR/zec.json" > "$OUT" 2>&1
	check_err $? "the second apply failed: $(cat "$OUT")"
	said "no changes"
	check_err $? "the second apply said: $(cat "$OUT")"
	[ "$(config)" = "$before" ]
	check_err $? "the second apply changed zec0: $(config | jq -c .)"
	log_test "apply twice: \"no changes\" the second time"

	zecctl dump-config > "$DIR/dump.json"
	check_err $? "dump-config failed"
	zecctl dump-config | zecctl apply -f - > "$OUT" 2>&1
	check_err $? "dump-config | apply failed: $(cat "$OUT")"
	said "no changes"
	check_err $? "dump-config | apply said: $(cat "$OUT")"
	[ "$(config)" = "$before" ]
	check_err $? "dump-config | apply changed zec0: $(config | jq -c .)"
	jq -e '.devices[0].ports[1] == {"name": "n1p0", "node": 0,
		"enable": true, "rate": {"rate": "1gbit", "burst": 65536,
		"mode": "shape"}}' "$DIR/dump.json" > /dev/null
	check_err $? "dump-config wrote $(jq -c '.devices[0].ports[1]' "$DIR/dump.json")"
	log_test "dump-config | apply -f -: no change"
}

# refused WANT_STATUS WANT_ERROR: apply of $DIR/bad.json exits
# WANT_STATUS with WANT_ERROR and leaves zec0 as it was.
refused()
{
	local want=$1 error=$2 before status

	config_before
	zecctl apply -f "$DIR/bad.json" > "$OUT" 2>&1
	status=$?
	[ $status -eq "$want" ]
	check_err $? "apply of an invalid file exited $status, want $want"
	[ "$(cat "$OUT")" = "$error" ]
	check_err $? "apply of an invalid file said: $(cat "$OUT")"
	[ "$(config)" = "$before" ]
	check_err $? "an invalid file changed zec0: $(config | jq -c .)"
}

test_invalid()
{
	# a valid change (mode lag) before the bad value: nothing sent
	printf '{"devices": [{"name": "zec0",\n "mode": "lag",\n "garp": 256}]}\n' \
		> "$DIR/bad.json"
	refused 1 "Error: $DIR/bad.json:3: devices[0].garp: invalid argument \"256\": expected a number from 0 to 255"
	printf '{"devices": [{"name": "zec0", "mode": "lag",\n "ports": [\n  {"name": "n0p0"},\n  {"name": "zec-none9"}]}]}\n' \
		> "$DIR/bad.json"
	refused 2 "Error: $DIR/bad.json:4: devices[0].ports[1].name: no network device \"zec-none9\""
	printf '{"devices": [{"name": "zec0", "mode": "lag",\n "updelay": 5,,\n}]}\n' \
		> "$DIR/bad.json"
	refused 1 "Error: $DIR/bad.json:2: JSON syntax error: quoted object property name expected"
	log_test "an invalid file: refused naming its line, zec0 unchanged"
}

test_prune()
{
	printf '{"devices": [{"name": "zec0", "ports": [{"name": "n1p0"}]}]}\n' \
		> "$DIR/prune.json"
	zecctl apply -f "$DIR/prune.json" > "$OUT" 2>&1
	check_err $? "apply without --prune failed: $(cat "$OUT")"
	said "no changes"
	check_err $? "apply without --prune said: $(cat "$OUT")"
	zecctl apply --prune -f "$DIR/prune.json" > "$OUT" 2>&1
	check_err $? "apply --prune failed: $(cat "$OUT")"
	said "zec0: port n0p0 removed
zec0: port n1p0 rate 1gbit burst 65536 mode shape -> none
zec0: rate 50% fallback 5gbit mode police -> none
zec0: probe target 192.0.2.254 target 2001:db8::254 interval 100ms miss 4 recover 1 -> none"
	check_err $? "apply --prune said: $(cat "$OUT")"
	shows '(.ports | map(.ifname)) == ["n1p0"] and .rate == null and
		.probe == null and .ports[0].rate == null and
		.mode == "independent"'
	check_err $? "after --prune: $(config | jq -c .)"
	log_test "apply --prune: ports, caps and probes the file leaves out go"
}

# The unit's ExecStart as systemd runs it: ${ZEC_CONFIG} from its
# Environment= (pointed at our file, as a drop-in would), "zecctl" found
# in systemd's search path (here: the one built).
test_unit()
{
	local exec cmd

	exec=$(sed -n 's/^ExecStart=//p' "$UNIT")
	grep -qx 'Environment=ZEC_CONFIG=/etc/zec/zec.json' "$UNIT"
	check_err $? "$UNIT has no Environment=ZEC_CONFIG=/etc/zec/zec.json"
	# shellcheck disable=SC2016 # the unit's text, unexpanded
	[ "$exec" = 'zecctl apply -f ${ZEC_CONFIG}' ]
	check_err $? "$UNIT runs \"$exec\""
	printf '{"devices": [{"name": "zec0", "updelay": "3s"}]}\n' \
		> "$DIR/unit.json"
	cmd=${exec//\$\{ZEC_CONFIG\}/$DIR/unit.json}
	# word splitting as systemd's, for a line without quotes
	read -ra cmd <<< "$cmd"
	"${cmd[@]}" > "$OUT" 2>&1
	check_err $? "\"${cmd[*]}\" failed: $(cat "$OUT")"
	said "zec0: updelay 2s -> 3s"
	check_err $? "\"${cmd[*]}\" said: $(cat "$OUT")"
	shows '.updelay_ms == 3000'
	check_err $? "after the unit's command: $(config | jq -c .)"
	"${cmd[@]}" > "$OUT" 2>&1
	said "no changes"
	check_err $? "the unit's command again said: $(cat "$OUT")"
	log_test "zec.service's ExecStart applies the file"
}

mkdir -p "$DIR"
defer rm -rf "$DIR"
write_config
test_apply_twice
test_invalid
test_prune
test_unit
defer_run
exit "$EXIT_STATUS"
