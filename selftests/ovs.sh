# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # the names are for the scripts that source this
#
# Open vSwitch of a test's own, sourced after lib.sh, for zec/uplink.sh and
# the bench's uplink case: ovsdb-server and ovs-vswitchd (kernel datapath)
# with their database, sockets and logs in OVS_DIR, which the caller sets
# (the guest's root is read-only).

OVS_VSCTL=(ovs-vsctl --timeout=$((30 * ZEC_TIME_SCALE)))

# ovs_start: the daemons, stopped at exit (defer) with the kernel datapath
# they made.
ovs_start()
{
	export OVS_RUNDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR \
		OVS_SYSCONFDIR=$OVS_DIR
	mkdir -p "$OVS_DIR" || return 1
	defer rm -rf "$OVS_DIR"
	ovsdb-tool create "$OVS_DIR/conf.db" \
		/usr/share/openvswitch/vswitch.ovsschema &&
		ovsdb-server --remote="punix:$OVS_DIR/db.sock" --pidfile \
			--detach --log-file -vconsole:off "$OVS_DIR/conf.db" ||
		return 1
	defer ovs-appctl -t ovsdb-server exit
	"${OVS_VSCTL[@]}" --no-wait init &&
		ovs-vswitchd --pidfile --detach --log-file -vconsole:off ||
		return 1
	defer ovs-appctl -t ovs-vswitchd exit --cleanup
}
