// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl: configure and watch zec devices.
 */
#include <string.h>

#include "zecctl.h"

static void report(const struct zec_handle *h, const struct zecctl_req *req,
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

int main(int argc, char **argv)
{
	struct zec_handle *h = NULL;
	struct zecctl_req req;
	struct out o;
	int err;

	err = zecctl_parse(argc, argv, &req);
	if (err) {
		report(NULL, &req, err);
		return 1;
	}
	if (req.cmd == ZECCTL_HELP) {
		zecctl_usage(stdout, req.object);
		return 0;
	}
	err = zec_open(&h);
	if (!err) {
		out_init(&o, stdout, req.json, req.pretty);
		err = req.object->run(h, &req, &o);
	}
	if (err)
		report(h, &req, err);
	zec_close(h);
	return err ? 1 : 0;
}
