// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn-mark COUNTS-FILE: the guest's side of insn-count.c, the QEMU plugin
 * that counts instructions. For each line on stdin ("counts",
 * "profile-start" or "profile-end") it executes that command's marker and
 * prints the line the plugin appended to COUNTS-FILE ("counts SEQ N0 N1
 * ...", each vCPU's instructions so far).
 *
 * It runs as a coprocess of the bench script, so that a window costs the
 * same few thousand instructions each time, not a program's start-up.
 * Without the plugin the markers are plain NOPs: it then says so and exits.
 */
#include <stdio.h>
#include <string.h>

#define MARKER(cmd) asm volatile(".byte 0x0f, 0x1f, 0x84, 0x00, " #cmd ", 0x63, 0x65, 0x7a")

/* The line the plugin has just appended to F, which is read up to its end. */
static int next_line(FILE *f, char *line, size_t size)
{
	char buf[4096];
	int found = 0;

	while (fgets(buf, sizeof(buf), f)) {
		snprintf(line, size, "%s", buf);
		found = 1;
	}
	clearerr(f);
	return found;
}

int main(int argc, char **argv)
{
	char cmd[64], line[4096];
	FILE *counts;

	if (argc != 2) {
		fprintf(stderr, "usage: insn-mark COUNTS-FILE\n");
		return 2;
	}
	counts = fopen(argv[1], "r");
	if (!counts) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(cmd, sizeof(cmd), stdin)) {
		if (!strcmp(cmd, "counts\n"))
			MARKER(0);
		else if (!strcmp(cmd, "profile-start\n"))
			MARKER(1);
		else if (!strcmp(cmd, "profile-end\n"))
			MARKER(2);
		else {
			fprintf(stderr, "insn-mark: unknown command %s", cmd);
			return 2;
		}
		if (!next_line(counts, line, sizeof(line))) {
			fprintf(stderr, "insn-mark: no counts from the plugin in %s\n", argv[1]);
			return 1;
		}
		fputs(line, stdout);
	}
	return 0;
}
