// SPDX-License-Identifier: GPL-2.0-only
/*
 * zec: a NUMA-aware pseudo-bond. Module entry: bring the parts up in order
 * and take them down in reverse.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "netlink.h"
#include "version.h"
#include "zec.h"

static int __init zec_mod_init(void)
{
	int ret;

	ret = zec_port_notifier_init();
	if (ret)
		return ret;
	/* Before the link kind: devices notify from their first port on. */
	ret = zec_genl_init();
	if (ret)
		goto err_genl;
	ret = zec_device_init();
	if (ret)
		goto err_device;

	pr_info("version %s loaded\n", ZEC_VERSION);
	return 0;

err_device:
	zec_genl_exit();
err_genl:
	zec_port_notifier_exit();
	return ret;
}

static void __exit zec_mod_exit(void)
{
	/* Deleting the devices still sends their port removals. */
	zec_device_exit();
	zec_genl_exit();
	zec_port_notifier_exit();
	/* Ports freed after a grace period must be gone with the module. */
	rcu_barrier();
}

module_init(zec_mod_init);
module_exit(zec_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NUMA-aware pseudo-bond: egress through the submitting CPU's node");
MODULE_AUTHOR("The zec authors");
MODULE_VERSION(ZEC_VERSION);
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
MODULE_ALIAS_GENL_FAMILY(ZEC_GENL_NAME);
