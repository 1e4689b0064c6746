#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Host check of link_zec.so against the installed ip (no zec module
# needed): RTM_NEWLINK messages of a zec device and a port, as the module
# sends them, fed to "ip -d monitor file", printed by the stock ip (the
# kinds alone) and with the plugin (the settings and the port's state);
# and the plugin's parser. TAP on stdout.

cd "$(dirname "$0")" || exit 1
msgs=$(mktemp)
trap 'rm -f "$msgs"' EXIT
n=0
status=0

# ok NAME: the previous command's status as a TAP line.
ok()
{
	local rc=$?

	n=$((n + 1))
	if [ $rc -eq 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		status=1
	fi
}

# zec0 (ifindex 5): independent, updelay 300, garp 3, the defaults, no
# receive port; n1p0 (6): node 1, detected 1, enabled, down for carrier,
# speed unknown. Attribute numbers from include/uapi/linux/zec.h.
python3 - > "$msgs" <<'PY'
import struct, sys

def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, t) + payload + b"\0" * (-n % 4)

def u32(v):
    return struct.pack("I", v)

def link(idx, name, linkinfo):
    body = struct.pack("BxHiII", 0, 1, idx, 0x1003, 0)
    body += nla(3, name + b"\0") + nla(18, linkinfo)      # IFNAME, LINKINFO
    return struct.pack("IHHII", 16 + len(body), 16, 0, 0, 0) + body

data = b"".join(nla(t, u32(v)) for t, v in
                [(1, 1), (2, 300), (3, 3), (4, 0), (5, 4096), (6, 300000),
                 (7, 3), (8, 100), (9, 10000), (10, 0)])
port = (nla(1, u32(1)) + nla(2, u32(1)) + nla(4, b"\1") + nla(5, u32(0)) +
        nla(6, u32(1)) + nla(7, u32(0xffffffff)))
sys.stdout.buffer.write(
    link(5, b"zec0", nla(1, b"zec\0") + nla(2, data)) +        # KIND, DATA
    link(6, b"n1p0", nla(4, b"zec\0") + nla(5, port)))   # SLAVE_KIND, SLAVE_DATA
PY

stock=$(env -u IP_LIB_DIR ip -d monitor file "$msgs")
grep -qx '    zec ' <<<"$stock" && grep -qx '    zec_slave ' <<<"$stock"
ok "stock ip prints the kinds alone"

out=$(IP_LIB_DIR=$PWD ip -d monitor file "$msgs")
grep -qx '    zec mode independent updelay 300 garp_count 3 mac_table_size 4096 mac_ageing 300000 announce_count 3 announce_interval 100 announce_rate 10000 rx_port auto rx_port_active none ' <<<"$out"
ok "plugin prints zec0's settings"
grep -qx '    zec_slave node 1 detected_node 1 enabled true state down down_reasons carrier ' <<<"$out"
ok "plugin prints the port's node and state"

IP_LIB_DIR=$PWD ip link add zec9 type zec help 2>&1 | grep -q '^Usage: ... zec \[ mode { lag | independent } \]'
ok "ip link add ... type zec help: usage"
IP_LIB_DIR=$PWD ip link add zec9 type zec mode bogus 2>&1 | grep -q 'invalid mode'
ok "an unknown mode refused before the kernel"

echo "1..$n"
exit $status
