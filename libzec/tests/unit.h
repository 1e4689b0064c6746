/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal harness: each test prints "PASS name" or "FAIL name: why";
 * run-tests.sh numbers them into TAP.
 */
#ifndef ZEC_UNIT_H
#define ZEC_UNIT_H

#include <stdio.h>

struct unit_test {
	const char *name;
	/* returns NULL on success, else the failed check */
	const char *(*run)(void);
};

#define STR2(x) #x
#define STR(x) STR2(x)
#define CHECK(cond) do { \
	if (!(cond)) \
		return __FILE__ ":" STR(__LINE__) ": " #cond; \
} while (0)


extern const struct unit_test parse_tests[], zecctl_tests[], output_tests[],
	api_tests[], vf_tests[], prometheus_tests[], config_tests[];

#endif /* ZEC_UNIT_H */
