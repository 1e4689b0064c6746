#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Frames from and to many MACs, for the independent-mode tests and bench.

Each MAC stands for a VM: BASE, BASE + 1, ... (the last byte counts up).
send: one frame of Ethertype 0x88b5 from each MAC (from) or to each MAC
      (to), out of DEV through a packet socket; ROUNDS times, INTERVAL
      apart.
recv: print "ready" once listening, then count the MACs that frames of
      that Ethertype arrive for on DEV until all COUNT did, or TIMEOUT
      passed since the first frame, or WAIT passed without any, and print
      that count and when the last of them first arrived (ms of the
      realtime clock, "-" if none did). The sender starts after "ready",
      seconds later under TCG: TIMEOUT does not count that wait.
"""

import argparse
import socket
import struct
import time

ETHERTYPE = 0x88B5


def macs(base, count):
    first = bytes.fromhex(base.replace(":", ""))
    return [first[:5] + bytes([first[5] + i]) for i in range(count)]


def send(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args.dev, 0))
    own = s.getsockname()[4]
    other = bytes.fromhex(args.peer.replace(":", "")) if args.peer else own
    for round in range(args.rounds):
        if round:
            time.sleep(args.interval)
        for mac in macs(args.base, args.count):
            src, dst = (mac, other) if args.direction == "from" else (own, mac)
            s.send(dst + src + struct.pack("!H", ETHERTYPE) + bytes(46))


def recv(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETHERTYPE))
    s.bind((args.dev, 0))
    print("ready", flush=True)
    s.settimeout(0.1)
    want = set(macs(args.base, args.count))
    seen = set()
    last = None
    end = time.monotonic() + args.wait
    while seen != want and time.monotonic() < end:
        try:
            frame = s.recv(2048)
        except socket.timeout:
            continue
        if frame[:6] in want and frame[:6] not in seen:
            if not seen:
                end = time.monotonic() + args.timeout
            seen.add(frame[:6])
            last = round(time.time() * 1000)
    print(len(seen), last if last is not None else "-", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("send")
    ps.add_argument("direction", choices=["from", "to"])
    ps.add_argument("--peer", help="the other end's MAC (default: DEV's)")
    ps.add_argument("--rounds", type=int, default=1,
                    help="send every frame this many times")
    ps.add_argument("--interval", type=float, default=0.5,
                    help="seconds between rounds")
    pr = sub.add_parser("recv")
    pr.add_argument("--timeout", type=float, default=2,
                    help="seconds from the first frame")
    pr.add_argument("--wait", type=float, default=10,
                    help="seconds for the first frame")
    for q in (ps, pr):
        q.add_argument("--dev", required=True)
        q.add_argument("--base", required=True)
        q.add_argument("--count", type=int, required=True)
    args = p.parse_args()
    send(args) if args.cmd == "send" else recv(args)


if __name__ == "__main__":
    main()
