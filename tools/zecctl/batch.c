// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl -b FILE: as "ip -b", one zecctl command per line (words split at
 * blanks, no quoting), blank lines and lines starting with # skipped; it
 * stops at the first command that fails, with "Command failed FILE:LINE"
 * and that command's exit status. The options given with -b (-j, -p)
 * apply to every line; -b, -n and -V cannot be given in the file, and
 * -f, --prune, -t and -o only there.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zecctl.h"

#define BATCH_WORDS 256

void zecctl_report(const struct zec_handle *h, const struct zecctl_req *req,
		   int err)
{
	const char *kernel = h ? zec_last_error(h) : NULL;

	if (req->error[0])
		fprintf(stderr, "Error: %s\n", req->error);
	else if (kernel)
		fprintf(stderr, "Error: %s\n", kernel);
	else
		fprintf(stderr, "Error: %s\n", strerror(-err));
}

void zecctl_warn(const struct zec_handle *h)
{
	const char *kernel = zec_last_error(h);

	if (kernel)
		fprintf(stderr, "Warning: %s\n", kernel);
}

/* Splits line at blanks into argv[1..]; the new argc, -1 if too many. */
static int split(char *line, char **argv)
{
	char *save, *word;
	int argc = 1;

	argv[0] = (char *)"zecctl";
	for (word = strtok_r(line, " \t\r\n", &save); word;
	     word = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == BATCH_WORDS - 1)
			return -1;
		argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}

int zecctl_run(struct zec_handle **h, struct zecctl_req *req, int err)
{
	struct out o;

	if (err) {
		zecctl_report(NULL, req, err);
		zecctl_config_free(req->config);
		return EXIT_USAGE;
	}
	if (req->cmd == ZECCTL_HELP) {
		zecctl_usage(stdout, req->object);
		fflush(stdout);
		return 0;
	}
	err = *h ? 0 : zec_open(h);
	if (!err) {
		out_init(&o, stdout, req->json, req->pretty);
		err = req->object->run(*h, req, &o);
		fflush(stdout);
	}
	if (err)
		zecctl_report(*h, req, err);
	zecctl_config_free(req->config);
	return err ? EXIT_FAILED : 0;
}

/* One line; its exit status. */
static int batch_line(struct zec_handle **h, const struct zecctl_req *batch,
		      char *line)
{
	char *argv[BATCH_WORDS];
	struct zecctl_req req;
	int argc = split(line, argv), err;

	memset(&req, 0, sizeof(req));
	err = argc < 0 ? zecctl_invalid(&req, "more than %d words",
					BATCH_WORDS - 2) :
			 zecctl_parse(argc, argv, &req);
	if (!err && (req.batch || req.netns || req.version))
		err = zecctl_invalid(&req, "options -b, -n and -V go on zecctl's command line, not in a batch file");
	req.json |= batch->json;
	req.pretty |= batch->pretty;
	return zecctl_run(h, &req, err);
}

int zecctl_batch(struct zec_handle **h, const struct zecctl_req *req)
{
	const char *name = strcmp(req->batch, "-") ? req->batch : "<stdin>";
	FILE *fp = strcmp(req->batch, "-") ? fopen(req->batch, "r") : stdin;
	size_t size = 0;
	char *line = NULL, *start;
	int n = 0, status = 0;

	if (!fp) {
		fprintf(stderr, "Error: cannot open \"%s\": %s\n", req->batch,
			strerror(errno));
		return EXIT_USAGE;
	}
	while (!status && getline(&line, &size, fp) >= 0) {
		n++;
		start = line + strspn(line, " \t\r\n");
		if (!*start || *start == '#')
			continue;
		status = batch_line(h, req, start);
		if (status)
			fprintf(stderr, "Command failed %s:%d\n", name, n);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return status;
}
