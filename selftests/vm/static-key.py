#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""static-key.py NAME: print the enable count of the running kernel's
static key NAME (its atomic_t "enabled", the key's first member), read
through /proc/kallsyms and /proc/kcore. Root only."""

import struct
import sys


def symbol_address(name):
    with open("/proc/kallsyms") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3 and fields[2] == name:
                return int(fields[0], 16)
    sys.exit(f"static-key.py: no symbol {name} in /proc/kallsyms")


def read_kernel(addr, size):
    """Read SIZE bytes at kernel virtual address ADDR from /proc/kcore,
    an ELF core file: find the PT_LOAD segment that maps ADDR."""
    with open("/proc/kcore", "rb") as f:
        ehdr = f.read(64)
        phoff, = struct.unpack_from("<Q", ehdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", ehdr, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, p_vaddr, _, p_filesz = \
                struct.unpack("<IIQQQQ", f.read(40))
            if p_type == 1 and p_vaddr <= addr < p_vaddr + p_filesz:
                f.seek(p_offset + addr - p_vaddr)
                return f.read(size)
    sys.exit(f"static-key.py: {addr:#x} is in no segment of /proc/kcore")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: static-key.py NAME")
    count, = struct.unpack("<i", read_kernel(symbol_address(sys.argv[1]), 4))
    print(count)


if __name__ == "__main__":
    main()
