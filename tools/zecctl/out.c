// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal JSON writer with a text twin, so that every command prints
 * both forms from one description of its output.
 */
#include <stdarg.h>

#include "out.h"

void out_init(struct out *o, FILE *fp, bool json, bool pretty)
{
	o->fp = fp;
	o->json = json;
	o->pretty = json && pretty;
	o->depth = 0;
	o->empty[0] = true;
}

static void newline_indent(struct out *o, int depth)
{
	if (o->pretty)
		fprintf(o->fp, "\n%*s", depth * 2, "");
}

static void json_string(FILE *fp, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *c;

	fputc('"', fp);
	for (c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*c < 0x20)
				fprintf(fp, "\\u00%c%c", hex[*c >> 4],
					hex[*c & 0xf]);
			else
				fputc(*c, fp);
		}
	}
	fputc('"', fp);
}

/* Separator, indentation and key before a member of the innermost level. */
static void json_member(struct out *o, const char *key)
{
	if (o->depth > 0) {
		if (!o->empty[o->depth])
			fputc(',', o->fp);
		newline_indent(o, o->depth);
	}
	o->empty[o->depth] = false;
	if (key) {
		json_string(o->fp, key);
		fputs(o->pretty ? ": " : ":", o->fp);
	}
}

static void open_level(struct out *o, const char *key, char bracket)
{
	if (!o->json)
		return;
	json_member(o, key);
	fputc(bracket, o->fp);
	if (o->depth + 1 < OUT_MAX_DEPTH)
		o->depth++;
	o->empty[o->depth] = true;
}

static void close_level(struct out *o, char bracket)
{
	bool empty;

	if (!o->json || o->depth == 0)
		return;
	empty = o->empty[o->depth];
	o->depth--;
	if (!empty)
		newline_indent(o, o->depth);
	fputc(bracket, o->fp);
	if (o->depth == 0)
		fputc('\n', o->fp);
}

void out_open_object(struct out *o, const char *key)
{
	open_level(o, key, '{');
}

void out_close_object(struct out *o)
{
	close_level(o, '}');
}

void out_open_array(struct out *o, const char *key)
{
	open_level(o, key, '[');
}

void out_close_array(struct out *o)
{
	close_level(o, ']');
}

void out_string(struct out *o, const char *key, const char *text_fmt,
		const char *value)
{
	if (o->json) {
		json_member(o, key);
		json_string(o->fp, value);
	} else if (text_fmt) {
		fprintf(o->fp, text_fmt, value);
	}
}

void out_uint(struct out *o, const char *key, const char *text_fmt,
	      uint64_t value)
{
	if (o->json) {
		json_member(o, key);
		fprintf(o->fp, "%llu", (unsigned long long)value);
	} else if (text_fmt) {
		fprintf(o->fp, text_fmt, (unsigned long long)value);
	}
}

void out_bool(struct out *o, const char *key, const char *text_fmt,
	      bool value)
{
	if (o->json) {
		json_member(o, key);
		fputs(value ? "true" : "false", o->fp);
	} else if (text_fmt) {
		fprintf(o->fp, text_fmt, value ? "on" : "off");
	}
}

void out_null(struct out *o, const char *key, const char *text)
{
	if (o->json) {
		json_member(o, key);
		fputs("null", o->fp);
	} else if (text) {
		fputs(text, o->fp);
	}
}

void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}
