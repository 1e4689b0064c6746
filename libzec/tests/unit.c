// SPDX-License-Identifier: LGPL-2.1-or-later
#include "unit.h"

static int run_group(const struct unit_test *tests)
{
	int failed = 0;

	for (; tests->name; tests++) {
		const char *why = tests->run();

		if (why)
			printf("FAIL %s: %s\n", tests->name, why);
		else
			printf("PASS %s\n", tests->name);
		failed |= why != NULL;
		fflush(stdout);
	}
	return failed;
}

int main(void)
{
	int failed = run_group(parse_tests);

	failed |= run_group(zecctl_tests);
	failed |= run_group(output_tests);
	failed |= run_group(api_tests);
	failed |= run_group(vf_tests);
	failed |= run_group(prometheus_tests);
	failed |= run_group(config_tests);
	return failed;
}
