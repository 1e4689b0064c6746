#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Where a transmit case's instructions go, per kernel function.

insn-profile.py RESULTS.jsonl PROFILES-DIR [--case CASE] [--top N]

Each measured window of "make bench" left PROFILES-DIR/CASE.VARIANT.REP.prof
(instructions per translation block, from the insn-count QEMU plugin) and
.modsyms (the modules' symbols then); PROFILES-DIR/kallsyms has the kernel's
own. A block's instructions are charged to the function it starts in. For
each case, prints per variant the median over the repetitions of each
function's instructions per packet sent (the ports' tx counters in
RESULTS), and the difference to the case's baseline variant (over dummy
ports for a variant over them): what the layer under test adds, function by
function.
"""

import argparse
import bisect
import collections
import importlib.util
import json
import os
import statistics
import sys

# bench-report.py's cases (their baselines) and its count of packets, so
# that both reports divide by the same number and compare with the same
# variant.
_spec = importlib.util.spec_from_file_location(
    "bench_report", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 "bench-report.py"))
bench_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_report)
packets = bench_report.packets


def read_symbols(*paths):
    syms = []
    for path in paths:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 3 and fields[1] in "tTwW":
                    name = fields[2] + (" " + fields[3] if len(fields) > 3 else "")
                    syms.append((int(fields[0], 16), name))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def functions(prof, addrs, names):
    """{function: instructions} of one window."""
    per_function = collections.Counter()
    with open(prof) as f:
        for line in f:
            vaddr, insns = line.split()
            vaddr = int(vaddr, 16)
            if vaddr < 1 << 63:
                name = "(user space)"
            else:
                i = bisect.bisect_right(addrs, vaddr) - 1
                name = names[i] if i >= 0 else "(unknown)"
            per_function[name] += int(insns)
    return per_function


def load(results, profiles, only_case):
    """{case: {variant: [ {function: insns per packet}, ... per rep ]}}"""
    rows = []
    with open(results) as f:
        for line in f:
            row = json.loads(line)
            if "variant" in row and (not only_case or row["case"] == only_case):
                rows.append(row)
    kallsyms = os.path.join(profiles, "kallsyms")
    out = collections.defaultdict(lambda: collections.defaultdict(list))
    for row in rows:
        name = f'{row["case"]}.{row["variant"]}.{row["rep"]}'
        prof = os.path.join(profiles, name + ".prof")
        if not os.path.exists(prof) or not packets(row):
            continue
        addrs, names = read_symbols(kallsyms, os.path.join(profiles, name + ".modsyms"))
        n = packets(row)
        out[row["case"]][row["variant"]].append(
            {fn: insns / n for fn, insns in functions(prof, addrs, names).items()})
    return out


def medians(reps):
    fns = set().union(*reps)
    return {fn: statistics.median(r.get(fn, 0.0) for r in reps) for fn in fns}


def baseline(case, variant):
    """The variant's baseline in its case (bench-report.py's), over dummy
    ports for a variant over them; none for a case without one."""
    base_of = bench_report.CASES.get(case, {}).get("base_of")
    return base_of and base_of(variant)


def report(case, variants, top):
    lines = [f"### {case}: instructions per packet, by function "
             f"(median of {min(len(r) for r in variants.values())}+ repetitions)", ""]
    for variant, reps in sorted(variants.items()):
        base = baseline(case, variant)
        base_med = medians(variants[base]) if base in variants else {}
        med = medians(reps)
        total = sum(med.values())
        lines.append(f"**{variant}**: {total:.0f} in all"
                     + (f", {total - sum(base_med.values()):+.0f} to {base}"
                        if base_med and variant != base else ""))
        lines.append("")
        if base_med and variant != base:
            rows = sorted(set(med) | set(base_med),
                          key=lambda fn: (-abs(med.get(fn, 0) - base_med.get(fn, 0)), fn))
            lines.append(f"| function | {variant} | {base} | difference |")
            lines.append("|---|---|---|---|")
            for fn in rows[:top]:
                a, b = med.get(fn, 0.0), base_med.get(fn, 0.0)
                lines.append(f"| {fn} | {a:.1f} | {b:.1f} | {a - b:+.1f} |")
        else:
            lines.append(f"| function | {variant} |")
            lines.append("|---|---|")
            for fn, v in sorted(med.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
                lines.append(f"| {fn} | {v:.1f} |")
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("profiles")
    ap.add_argument("--case")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    data = load(args.results, args.profiles, args.case)
    if not data:
        sys.exit("insn-profile.py: no profiled results")
    for case, variants in data.items():
        print(report(case, variants, args.top))


if __name__ == "__main__":
    main()
