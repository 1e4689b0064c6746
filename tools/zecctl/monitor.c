// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl monitor: one line (or one JSON object per line) per event.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "zecctl.h"

static const char *const event_names[] = {
	[ZEC_EVENT_PORT_ADDED] = "port-added",
	[ZEC_EVENT_PORT_REMOVED] = "port-removed",
	[ZEC_EVENT_PORT_STATE] = "port-state",
	[ZEC_EVENT_FAILOVER] = "failover",
	[ZEC_EVENT_CONFIG] = "config",
	[ZEC_EVENT_RESYNC] = "resync",
	[ZEC_EVENT_RX_PORT] = "rx-port",
};

static int monitor_parse(int argc, char **argv, struct zecctl_req *req)
{
	return zecctl_parse_no_args(argc, argv, req, ZECCTL_MONITOR);
}

void zecctl_format_time(const struct timespec *ts, char *buf, size_t size)
{
	char date[32], zone[8];
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, size, "%s.%06ld%s", date, ts->tv_nsec / 1000, zone);
}

void zecctl_print_event(struct out *o, const struct zec_event *ev,
			const char *time)
{
	const struct zec_port *port = ev->port;

	/* a type of a later libzec */
	if ((size_t)ev->type >= ARRAY_SIZE(event_names) ||
	    !event_names[ev->type])
		return;
	out_open_object(o, NULL);
	if (time)
		out_string(o, "time", "[%s] ", time);
	out_string(o, "event", "%s", event_names[ev->type]);
	if (ev->type == ZEC_EVENT_RESYNC) {
		out_text(o, ": events were lost, state re-read\n");
		out_close_object(o);
		return;
	}
	out_string(o, "ifname", " %s", ev->ifname);
	out_uint(o, "ifindex", NULL, ev->ifindex);
	out_uint(o, "generation", " generation %llu", ev->generation);
	switch (ev->type) {
	case ZEC_EVENT_PORT_REMOVED:	/* the kernel names the port only */
		out_string(o, "port", " port %s", port->ifname);
		break;
	case ZEC_EVENT_PORT_ADDED:
	case ZEC_EVENT_PORT_STATE:
		out_string(o, "port", " port %s", port->ifname);
		out_string(o, "state", " %s",
			   port->state == ZEC_PORT_STATE_UP ? "up" : "down");
		zecctl_print_down_reasons(o, port->down_reasons);
		out_bool(o, "enabled", " enable %s", port->enabled);
		zecctl_print_port_probe(o, port);
		break;
	case ZEC_EVENT_FAILOVER:
		out_uint(o, "node", " node %llu", ev->node);
		zecctl_print_ifindex(o, "from", " from ", ev->from_ifindex,
				     "none");
		zecctl_print_ifindex(o, "to", " to ", ev->to_ifindex, "none");
		out_string(o, "select", " (%s)",
			   zecctl_select_name(ev->select));
		break;
	case ZEC_EVENT_RX_PORT:
		zecctl_print_ifindex(o, "from", " from ", ev->from_ifindex,
				     "none");
		zecctl_print_ifindex(o, "to", " to ", ev->to_ifindex, "none");
		break;
	default:
		out_string(o, "mode", " mode %s",
			   zecctl_mode_name(ev->config->mode));
		out_uint(o, "updelay_ms", " updelay %llums",
			 ev->config->up_delay_ms);
		out_uint(o, "garp_count", " garp %llu",
			 ev->config->garp_count);
		zecctl_print_rx_config(o, ev->config, NULL);
		if (ev->probe)
			zecctl_print_probe(o, ev->probe);
	}
	if (ev->type != ZEC_EVENT_PORT_ADDED && ev->type != ZEC_EVENT_CONFIG) {
		out_string(o, "reason", " reason %s",
			   zecctl_reason_name(ev->reason));
		out_uint(o, "timestamp_ns", " at %llu ns", ev->timestamp_ns);
	}
	out_text(o, "\n");
	out_close_object(o);
}

static int monitor_run(struct zec_handle *h, struct zecctl_req *req,
		       struct out *o)
{
	struct zec_event evs[32] = { { .sz = sizeof(evs[0]) } };
	struct pollfd pfd = { .events = POLLIN };
	struct timespec now;
	char time[48];
	int i, n;

	o->pretty = false;	/* one object per line */
	pfd.fd = zec_event_fd(h);
	if (pfd.fd < 0)
		return pfd.fd;
	for (;;) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return -errno;
		/* until 0: one datagram may hold more than evs */
		do {
			n = zec_event_read(h, evs, ARRAY_SIZE(evs));
			if (n < 0)
				return n;
			clock_gettime(CLOCK_REALTIME, &now);
			zecctl_format_time(&now, time, sizeof(time));
			for (i = 0; i < n; i++)
				zecctl_print_event(o, &evs[i],
						   req->timestamp ? time : NULL);
		} while (n > 0);
		fflush(o->fp);
	}
}

const struct zecctl_object monitor_object = {
	"monitor", monitor_parse, monitor_run, "zecctl [ -t ] monitor",
};
