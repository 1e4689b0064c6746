/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One call per value prints it as text or as JSON, like iproute2's
 * json_print: text mode uses the printf format given, JSON mode the key.
 */
#ifndef ZECCTL_OUT_H
#define ZECCTL_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OUT_MAX_DEPTH 16

struct out {
	FILE *fp;
	bool json;
	bool pretty;
	int depth;
	/* per open object or array: nothing printed in it yet */
	bool empty[OUT_MAX_DEPTH];
};

void out_init(struct out *o, FILE *fp, bool json, bool pretty);

/* key is NULL for the top level and for array elements; JSON only. */
void out_open_object(struct out *o, const char *key);
void out_close_object(struct out *o);
void out_open_array(struct out *o, const char *key);
void out_close_array(struct out *o);

/*
 * text_fmt takes the value as %s (strings; bools as "on"/"off") or %llu;
 * NULL prints the value in JSON only.
 */
void out_string(struct out *o, const char *key, const char *text_fmt,
		const char *value);
void out_uint(struct out *o, const char *key, const char *text_fmt,
	      uint64_t value);
void out_bool(struct out *o, const char *key, const char *text_fmt,
	      bool value);
/* JSON null; text, if not NULL, is printed as is in text mode. */
void out_null(struct out *o, const char *key, const char *text);
/* Text mode only. */
void out_text(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* ZECCTL_OUT_H */
