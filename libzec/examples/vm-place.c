// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Place a VM that runs on the CPUs of CPULIST: reserve a VF on its node
 * for the VMM of pid PID and print the QEMU arguments for it, and the CPUs
 * its vhost workers should run on. Without the zec module (or without
 * DEV) it uses sysfs alone.
 *
 *   cc -o vm-place vm-place.c $(pkg-config --cflags --libs libzec)
 *   vm-place CPULIST PID [DEV]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zec/zec.h>

int main(int argc, char **argv)
{
	struct zec_handle *h = NULL;
	struct zec_vf_list *list = NULL;
	struct zec_vhost *vhost = NULL;
	const char *dev = argc > 3 ? argv[3] : NULL;
	const struct zec_vf *vf;
	size_t i;
	int err;

	if (argc < 3 || argc > 4 || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: %s CPULIST PID [DEV]\n", argv[0]);
		return 2;
	}
	err = dev ? zec_open(&h) : 0;
	if (!err)
		err = zec_vf_list_get(NULL, NULL, &list);
	/* the reservation lives as long as the VMM: its pid owns it */
	if (!err)
		err = zec_vf_pick_cpus(list, argv[1], h, dev, atoi(argv[2]),
				       &vf);
	if (!err)
		err = zec_vhost_cpus(NULL, argv[1], h, dev, &vhost);
	if (err) {
		fprintf(stderr, "%s: %s\n", argv[1],
			h && zec_last_error(h) ? zec_last_error(h) :
			strerror(-err));
		zec_vf_list_free(list);
		zec_close(h);
		return 1;
	}
	printf("-device vfio-pci,host=%s\n", zec_vf_pci_addr(vf));
	printf("# VF %u of %s, node %d; vhost workers on node %d, CPUs",
	       zec_vf_index(vf), zec_vf_pf_ifname(vf) ?: "(no netdev)",
	       zec_vf_node(vf), zec_vhost_node(vhost));
	for (i = 0; i < zec_vhost_cpu_count(vhost); i++)
		printf("%s%u", i ? "," : " ", zec_vhost_cpu_at(vhost, i));
	for (i = 0; i < zec_vhost_port_count(vhost); i++)
		printf("%s%s", i ? "," : "; served by ",
		       zec_vhost_port_at(vhost, i));
	printf("\n");
	zec_vhost_free(vhost);
	zec_vf_list_free(list);
	zec_close(h);
	return 0;
}
