/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of iproute2 6.1's json_print.h and color.h that iplink_zec.c
 * uses: ip exports print_color_*(); print_*() are inline wrappers.
 */
#ifndef ZEC_COMPAT_JSON_PRINT_H
#define ZEC_COMPAT_JSON_PRINT_H

#include <stdbool.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

void open_json_object(const char *str);
void close_json_object(void);
void open_json_array(enum output_type type, const char *delim);
void close_json_array(enum output_type type, const char *delim);

#define _PRINT_FUNC(type_name, type)					\
	int print_color_##type_name(enum output_type t,			\
				    enum color_attr color,		\
				    const char *key,			\
				    const char *fmt,			\
				    type value);			\
									\
	static inline int print_##type_name(enum output_type t,		\
					    const char *key,		\
					    const char *fmt,		\
					    type value)			\
	{								\
		return print_color_##type_name(t, COLOR_NONE, key, fmt,	\
					       value);			\
	}

_PRINT_FUNC(bool, bool)
_PRINT_FUNC(string, const char *)
_PRINT_FUNC(uint, unsigned int)

#endif
