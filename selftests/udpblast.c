// SPDX-License-Identifier: GPL-2.0-only
/*
 * udpblast: UDP datagrams through the whole socket stack as fast as it takes
 * them, for the benchmarks' socket case (udp.py's Python loop cannot load a
 * port under TCG).
 *
 *   udpblast DEV DST SPORT FLOWS SECONDS [RATE]
 *
 * FLOWS sockets, bound to DEV and to source ports SPORT, SPORT + 1, ...,
 * connected to DST port 9, each in turn send a batch of BATCH 18-byte
 * datagrams (64-byte frames) with one sendmmsg() until SECONDS have passed.
 * With RATE, at most RATE datagrams a second: a batch waits (asleep, so
 * that the wait costs a timer and not a loop) until its time has come.
 * Prints "sent=N errors=N" (errors: datagrams the stack refused).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		32
#define MAX_FLOWS	256
#define PAYLOAD		18

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wait_until(double t)
{
	struct timespec ts = {
		.tv_sec = (time_t)t,
		.tv_nsec = (long)((t - (time_t)t) * 1e9),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int flow_socket(const char *dev, const struct sockaddr_in *dst,
		       unsigned int sport)
{
	struct sockaddr_in src = {
		.sin_family = AF_INET,
		.sin_port = htons(sport),
	};
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev) + 1) ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) ||
	    connect(fd, (const struct sockaddr *)dst, sizeof(*dst))) {
		perror("udpblast: socket");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	static char payload[BATCH][PAYLOAD];
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long long sent = 0, errors = 0;
	int fds[MAX_FLOWS], flows, flow, i, n;
	double start, end, due, rate = 0;
	char *rest;

	if (argc < 6 || argc > 7 ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: udpblast DEV DST SPORT FLOWS SECONDS [RATE]\n");
		return 2;
	}
	if (argc == 7) {
		rate = strtod(argv[6], &rest);
		if (*rest || !isfinite(rate) || rate <= 0) {
			fprintf(stderr, "udpblast: RATE is datagrams a second, above 0\n");
			return 2;
		}
	}
	flows = atoi(argv[4]);
	if (flows < 1 || flows > MAX_FLOWS) {
		fprintf(stderr, "udpblast: FLOWS is 1 to %d\n", MAX_FLOWS);
		return 2;
	}
	for (flow = 0; flow < flows; flow++)
		fds[flow] = flow_socket(argv[1], &dst, atoi(argv[3]) + flow);

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = payload[i];
		iov[i].iov_len = PAYLOAD;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	start = now();
	end = start + atof(argv[5]);
	for (flow = 0; now() < end; flow = (flow + 1) % flows) {
		if (rate) {
			due = start + (sent + errors) / rate;
			wait_until(due < end ? due : end);
		}
		n = sendmmsg(fds[flow], msgs, BATCH, 0);
		if (n < 0) {
			/* A full qdisc or socket buffer: count and go on. */
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("udpblast: sendmmsg");
				return 1;
			}
			errors += BATCH;
			continue;
		}
		sent += n;
		errors += BATCH - n;
	}
	printf("sent=%llu errors=%llu\n", sent, errors);
	return 0;
}
