// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sysfs fixtures of the host tests (fixture.c) for the in-guest
 * selftests: lays one out in a new directory under /tmp and prints its
 * root; its run directory (the VF reservations) is ROOT/run.
 *
 *   sysfs-fixture reattach PORT0 PORT1 PID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

int main(int argc, char **argv)
{
	const char *root;

	if (argc != 5 || strcmp(argv[1], "reattach") || atoi(argv[4]) <= 0) {
		fprintf(stderr, "usage: %s reattach PORT0 PORT1 PID\n",
			argv[0]);
		return 2;
	}
	root = fixture_reattach(argv[2], argv[3], atoi(argv[4]));
	if (!root) {
		perror("sysfs-fixture");
		return 1;
	}
	printf("%s\n", root);
	return 0;
}
