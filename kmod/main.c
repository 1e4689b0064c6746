// SPDX-License-Identifier: GPL-2.0-only
/*
 * zec: a NUMA-aware pseudo-bond. Module entry: bring the parts up in order
 * and take them down in reverse.
 */

#include <linux/module.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "version.h"

static int __init zec_init(void)
{
	int ret;

	ret = zec_device_init();
	if (ret)
		return ret;

	pr_info("version %s loaded\n", ZEC_VERSION);
	return 0;
}

static void __exit zec_exit(void)
{
	zec_device_exit();
}

module_init(zec_init);
module_exit(zec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NUMA-aware pseudo-bond: egress through the submitting CPU's node");
MODULE_AUTHOR("The zec authors");
MODULE_VERSION(ZEC_VERSION);
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
