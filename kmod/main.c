// SPDX-License-Identifier: GPL-2.0
/*
 * nvgre: NVGRE (RFC 7637) virtual subnets, Hyper-V network virtualization
 * for Linux hypervisors. Module init and exit only.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include "nvgre.h"

static int __init nvgre_init(void)
{
	int err;

	err = nvgre_lookup_cache_init();
	if (err)
		return err;
	err = nvgre_device_init();
	if (err)
		goto err_lookup;
	err = nvgre_genl_init();
	if (err)
		goto err_device;
	err = nvgre_pa_notifier_init();
	if (err)
		goto err_genl;
	return 0;

err_genl:
	nvgre_genl_uninit();
err_device:
	nvgre_link_uninit();
	nvgre_pernet_uninit();
err_lookup:
	nvgre_lookup_cache_uninit();
	return err;
}

static void __exit nvgre_exit(void)
{
	/* Devices first, so their deletion is still notified. */
	nvgre_link_uninit();
	/* Replays NETDEV_UNREGISTER, whose PA_DEL needs the family. */
	nvgre_pa_notifier_uninit();
	nvgre_genl_uninit();
	nvgre_pernet_uninit();
	nvgre_lookup_cache_uninit();
}

module_init(nvgre_init);
module_exit(nvgre_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NVGRE (RFC 7637) network virtualization");
MODULE_AUTHOR("nvgre developers");
MODULE_VERSION("0.1");
MODULE_ALIAS_GENL_FAMILY(NVGRE_GENL_NAME);
