// SPDX-License-Identifier: GPL-2.0-only
/*
 * Words for the kernel's enum values, shared by output and parsing so
 * that what zecctl prints is what it accepts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "zecctl.h"

static const char *const mode_names[] = {
	[ZEC_MODE_LAG] = "lag",
	[ZEC_MODE_INDEPENDENT] = "independent",
};

static const char *const rate_mode_names[] = {
	[ZEC_RATE_MODE_POLICE] = "police",
	[ZEC_RATE_MODE_SHAPE] = "shape",
};

static const char *const select_names[] = {
	[ZEC_SELECT_NONE] = "none",
	[ZEC_SELECT_LOCAL] = "local",
	[ZEC_SELECT_NEAREST] = "nearest",
	[ZEC_SELECT_UNKNOWN] = "unknown-node",
};

static const char *const reason_names[] = {
	[ZEC_REASON_CARRIER] = "carrier",
	[ZEC_REASON_ADMIN] = "admin",
	[ZEC_REASON_REMOVED] = "removed",
	[ZEC_REASON_PROBE] = "probe",
	[ZEC_REASON_ADDED] = "added",
	[ZEC_REASON_DAMPED] = "damped",
	[ZEC_REASON_RENAMED] = "renamed",
};

/* Bit i of ZEC_A_PORT_DOWN_REASONS. */
static const char *const down_names[] = {
	"carrier", "admin", "up-delay", "probe", "damped",
};

/* Values a newer kernel added are shown as "unknown", not dropped. */
static const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *zecctl_mode_name(uint32_t mode)
{
	return name_of(mode_names, ARRAY_SIZE(mode_names), mode);
}

static int parse_name(const char *const *names, size_t n, const char *word,
		      uint32_t *value)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(word, names[i])) {
			*value = i;
			return 0;
		}
	}
	return -EINVAL;
}

int zecctl_mode_parse(const char *word, uint32_t *mode)
{
	return parse_name(mode_names, ARRAY_SIZE(mode_names), word, mode);
}

const char *zecctl_rate_mode_name(uint32_t mode)
{
	return name_of(rate_mode_names, ARRAY_SIZE(rate_mode_names), mode);
}

int zecctl_rate_mode_parse(const char *word, uint32_t *mode)
{
	return parse_name(rate_mode_names, ARRAY_SIZE(rate_mode_names), word,
			  mode);
}

const char *zecctl_select_name(uint32_t select)
{
	return name_of(select_names, ARRAY_SIZE(select_names), select);
}

const char *zecctl_reason_name(uint32_t reason)
{
	return name_of(reason_names, ARRAY_SIZE(reason_names), reason);
}

void zecctl_down_reasons(uint32_t bits, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < 32 && used < size; i++) {
		const char *name = i < ARRAY_SIZE(down_names) ?
				   down_names[i] : "unknown";

		if (!(bits & (1U << i)))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 used ? "," : "", name);
	}
}

void zecctl_cpulist(const unsigned int *cpus, size_t n, char *buf,
		    size_t size)
{
	size_t i = 0, used = 0;

	buf[0] = 0;
	while (i < n) {
		size_t last = i;
		int len;

		while (last + 1 < n && cpus[last + 1] == cpus[last] + 1)
			last++;
		if (last == i)
			len = snprintf(buf + used, size - used, "%s%u",
				       used ? "," : "", cpus[i]);
		else
			len = snprintf(buf + used, size - used, "%s%u-%u",
				       used ? "," : "", cpus[i], cpus[last]);
		if (len < 0 || (size_t)len >= size - used) {
			/* mark the cut rather than print a wrong range */
			if (size >= 4)
				strcpy(buf + size - 4, "...");
			return;
		}
		used += (size_t)len;
		i = last + 1;
	}
}
