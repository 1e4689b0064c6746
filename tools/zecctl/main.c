// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl: configure and watch zec devices. Exits as ip(8) does: 1 for a
 * command line it refuses (nothing sent), 2 for a command that failed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>

#include "zecctl.h"

/*
 * zecctl's release is that of the libzec header it was built with; the
 * library's, that of the file the dynamic linker loaded (libzec.so.X.Y.Z).
 */
static void print_version(void)
{
	const char *file = NULL, *base;
	char path[PATH_MAX];
	Dl_info info;

	printf("zecctl %d.%d.%d", LIBZEC_VERSION_MAJOR, LIBZEC_VERSION_MINOR,
	       LIBZEC_VERSION_PATCH);
	if (dladdr((void *)zec_open, &info) && info.dli_fname &&
	    realpath(info.dli_fname, path))
		file = path;
	base = file ? strrchr(file, '/') + 1 : NULL;
	if (base && !strncmp(base, "libzec.so.", 10) && strchr(base + 10, '.'))
		printf(", libzec %s (%s)\n", base + 10, file);
	else
		printf(", libzec unknown version (%s)\n", file ? file : "?");
}

/*
 * As "ip -n NAME": into network namespace /run/netns/NAME before any
 * socket is opened, with a /sys of its own so that what vf and vhost read
 * there is that namespace's.
 */
static int netns_switch(struct zecctl_req *req)
{
	char path[PATH_MAX];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", req->netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		err = -errno;
		zecctl_invalid(req, "cannot enter network namespace \"%s\": %s",
			       req->netns, strerror(errno));
	} else if (unshare(CLONE_NEWNS) ||
		   mount("", "/", "none", MS_SLAVE | MS_REC, NULL) ||
		   umount2("/sys", MNT_DETACH) ||
		   mount(req->netns, "/sys", "sysfs", 0, NULL)) {
		err = -errno;
		zecctl_invalid(req, "cannot mount the sysfs of network namespace \"%s\": %s",
			       req->netns, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return err;
}

int main(int argc, char **argv)
{
	struct zec_handle *h = NULL;
	struct zecctl_req req;
	int err, status;

	err = zecctl_parse(argc, argv, &req);
	if (!err && req.cmd != ZECCTL_HELP) {
		if (req.version) {
			print_version();
			return 0;
		}
		err = req.netns ? netns_switch(&req) : 0;
		if (err) {
			zecctl_report(NULL, &req, err);
			return EXIT_FAILED;
		}
		if (req.batch) {
			status = zecctl_batch(&h, &req);
			zec_close(h);
			return status;
		}
	}
	status = zecctl_run(&h, &req, err);
	zec_close(h);
	return status;
}
