#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Numbered UDP traffic for the datapath selftests.

send: COUNT datagrams over FLOWS sockets (one source port each, so each is
      a flow of its own), optionally paced, each carrying its sequence number.
recv: count datagrams until DURATION passes or a sender says it is done
      (send --done);
      print received, highest sequence, how many numbers never arrived and
      how many arrived more than once.
"""

import argparse
import json
import signal
import socket
import struct
import time

HEADER = struct.Struct("!QI")   # sequence number, flow
DONE = 0xFFFFFFFF


def send(args):
    stop = []
    # A test may end a long sender early; it still reports and says done.
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    socks = []
    for flow in range(args.flows):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if args.broadcast:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.bind(("0.0.0.0", args.sport + flow))
        socks.append(s)
    sent = errors = 0
    start = time.monotonic()
    for seq in range(args.count):
        if stop:
            break
        flow = seq % args.flows
        payload = HEADER.pack(seq, flow).ljust(args.size, b"\0")
        try:
            socks[flow].sendto(payload, (args.dst, args.dport))
            sent += 1
        except OSError:
            errors += 1
        if args.interval_us:
            # Pace against the clock, not by sleeping a fixed time per packet.
            due = start + (seq + 1) * args.interval_us / 1e6
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    for _ in range(3 if args.done else 0):
        try:
            socks[0].sendto(HEADER.pack(sent, DONE), (args.dst, args.dport))
        except OSError:
            pass
    print(json.dumps({"sent": sent, "errors": errors}), flush=True)


def recv(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # The receiver may stall for a second on a busy TCG guest, and
    # SO_RCVBUF stops at net.core.rmem_max (208 KiB, a few hundred
    # datagrams): as root, force a buffer that outlasts the stall.
    try:
        # SO_RCVBUFFORCE, which the socket module does not name
        s.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)
    except PermissionError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("0.0.0.0", args.port))
    s.settimeout(0.2)
    seen = set()
    datagrams = 0
    end = time.monotonic() + args.duration
    while time.monotonic() < end:
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        seq, flow = HEADER.unpack_from(data)
        if flow == DONE:
            break
        seen.add(seq)
        datagrams += 1
    top = max(seen) if seen else -1
    # The runs of missing sequence numbers, [first, count], to tell one
    # outage from another.
    gaps = []
    for seq in range(top + 1):
        if seq in seen:
            continue
        if gaps and gaps[-1][0] + gaps[-1][1] == seq:
            gaps[-1][1] += 1
        else:
            gaps.append([seq, 1])
    print(json.dumps({"received": len(seen), "max_seq": top,
                      "missing": top + 1 - len(seen), "gaps": gaps,
                      "duplicates": datagrams - len(seen)}))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("send")
    ps.add_argument("--dst", required=True)
    ps.add_argument("--dport", type=int, default=9)
    ps.add_argument("--sport", type=int, default=40000)
    ps.add_argument("--count", type=int, required=True)
    ps.add_argument("--flows", type=int, default=1)
    ps.add_argument("--size", type=int, default=64)
    ps.add_argument("--interval-us", type=int, default=0)
    ps.add_argument("--broadcast", action="store_true",
                    help="allow a broadcast destination (SO_BROADCAST)")
    ps.add_argument("--done", action="store_true",
                    help="end with three end-of-test datagrams for recv")
    pr = sub.add_parser("recv")
    pr.add_argument("--port", type=int, default=9)
    pr.add_argument("--duration", type=float, required=True)
    args = p.parse_args()
    send(args) if args.cmd == "send" else recv(args)


if __name__ == "__main__":
    main()
