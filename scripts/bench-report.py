#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarise "make bench": read the result lines the guest wrote
(selftests/bench/*.sh, one JSON object per case, variant and repetition),
turn each repetition's raw figures into ratios to the baseline measured in
the same repetition, and write results.json and results.md next to them.
With --doc FILE, also replace the results section of FILE (between the
bench-results markers) with the Markdown table. With gnuplot, it plots each
case into CASE.png there too (--plots DIR copies them into DIR).

Several results files (oldest first) make one report: each case is taken
from the last file that has it, and its table names the day that file was
written, so that a re-run of some cases (BENCH_CASES) updates them alone.

Under TCG absolute figures mean little: the ratios are the result, the raw
figures are printed beside them so that a ratio can be checked.
"""

import argparse
import datetime
import json
import math
import os
import shutil
import statistics
import subprocess
import sys

BEGIN = "<!-- bench-results:begin -->"
END = "<!-- bench-results:end -->"


def packets(row):
    """The frames a window sent: pktgen's count when it had no errors (a
    dummy port is no port of the testbed's), else the ports' tx counters."""
    if "count" in row and row.get("errors") == 0:
        return row["count"]
    return sum(v for k, v in row.items() if k.startswith("tx_") and v is not None)


def insns_per_packet(row, _reps=None):
    """Metric: the guest's instructions (all vCPUs) per frame sent."""
    n = packets(row)
    return row["insns"] / n if "insns" in row and n else None


def baseline_of(baseline):
    """The baseline of a variant: BASELINE, or BASELINE@dummy for a
    variant over dummy ports."""
    return lambda variant: baseline + ("@dummy" if variant.endswith("@dummy") else "")


def path_baseline_of(baseline):
    """The baseline of a variant PATH-UPLINK of the uplink case: the same
    PATH over BASELINE (ovs-zec@dummy: ovs-bond-xor@dummy)."""
    over = baseline_of(baseline)
    return lambda variant: variant.split("-", 1)[0] + "-" + over(variant)


def ratio_to(baseline, metric=lambda row, _reps: row["pps"], inverse=False):
    """Metric: the row's METRIC over its baseline's in the same repetition
    (BASELINE is a name, or a function of the variant's name); INVERSE: the
    baseline's over the row's, for a cost such as instructions."""
    base_of = baseline if callable(baseline) else lambda _variant: baseline

    def ratio(row, reps):
        base = reps[row["rep"]].get(base_of(row["variant"]))
        if not base:
            return None
        mine, theirs = metric(row, reps), metric(base, reps)
        if inverse:
            mine, theirs = theirs, mine
        return mine / theirs if mine is not None and theirs else None
    return ratio


def field(name):
    """Metric: a raw field as it is."""
    return lambda row, _reps: row.get(name)


def rate_ratio(row, _reps):
    """Rate caps: bit/s on the wire to the cap."""
    return row["bps"] / row["cap_bps"] if "cap_bps" in row else None


def locality_share(row, _reps):
    return row["local"] / row["total"] if row["total"] else None


def transmit_case(title, baseline, raw, base=None):
    """A transmit-cost case: the baseline's instructions per packet over the
    variant's (above 1: the variant costs less), instructions per packet,
    and pps as a ratio to the baseline's, with the raw figures. BASELINE
    names the baseline variant; BASE, if given, maps a variant to its
    baseline's name (else BASELINE, over dummy ports for an @dummy one)."""
    base = base or baseline_of(baseline)
    return {
        "title": title,
        "baseline": baseline,
        # For insn-profile.py: a variant's baseline.
        "base_of": base,
        "metrics": [(f"ratio to {baseline} (instructions)",
                     ratio_to(base, insns_per_packet, inverse=True)),
                    ("instructions per packet", insns_per_packet),
                    (f"ratio to {baseline} (pps)", ratio_to(base))],
        "raw": raw,
        "plot": f"ratio to {baseline} (instructions)",
    }


# case -> title, baseline variant, metrics (name, function), raw fields
# shown beside them, the goal if the issue set one, and the metric to plot.
CASES = {
    "pktgen": dict(transmit_case(
        "Transmit cost: one pktgen thread, 60-byte UDP, queue_xmit, CPU 1 "
        "(node 0); over dummy ports (@dummy) and over the virtio ports",
        "port", ["insns", "pps", "errors", "tx_p0", "tx_p1"]),
        # What a layer adds over dummy ports, on the virtio port's cost.
        composed=("port@dummy", "port"),
        goal=("zec", "composed ratio to port", "interval", ">=", 0.97)),
    "pktgen-percpu": transmit_case(
        "Transmit cost: a pktgen thread on every CPU of both nodes, queue_xmit",
        "ports", ["insns", "pps", "tx_n0p0", "tx_n1p0"]),
    "udp-percpu": transmit_case(
        "Transmit cost: a UDP socket sender on every CPU of both nodes",
        "ports", ["insns", "pps", "tx_n0p0", "tx_n1p0", "refused"]),
    "uplink": transmit_case(
        "VM to uplink: UDP from a VM on node 1 through Open vSwitch (ovs-) "
        "or a VXLAN device (vxlan-) to zec0 or bond0 over dummy ports",
        "PATH-bond-xor",
        ["insns", "pps", "tx_dummy0", "tx_dummy1", "tx_n0p0", "tx_n1p0",
         "vm_rx", "dropped"],
        base=path_baseline_of("bond-xor")),
    "locality": {
        "title": "Locality: share of packets leaving through the sender's node's port",
        "baseline": None,
        "metrics": [("local share", locality_share)],
        "raw": ["local", "total"],
        "goal": ("zec", "local share", "interval", ">=", 1.0),
        "plot": "local share",
    },
    "failover": {
        "title": "Carrier failover of n1p0 under paced UDP from node 1",
        "baseline": None,
        "metrics": [("lost packets", field("lost")),
                    ("outage ms", field("outage_ms"))],
        "raw": ["lost", "outage_ms", "interval_us"],
        # At one datagram per interval, at most one is queued on the port.
        "goal": ("zec", "lost packets", "max", "<=", 1),
        "plot": "lost packets",
    },
    "independent": {
        "title": "Independent ports, VMs on a bridge: share of the fabric's "
                 "frames to a VM arriving on its node's port; time until a "
                 "silent VM is reached after a cable pull",
        "baseline": None,
        "metrics": [("rx local share", locality_share),
                     ("silent VM outage ms", field("outage_ms"))],
        "raw": ["local", "total", "outage_ms", "limit_ms"],
        "goal": ("zec", "rx local share", "interval", ">=", 1.0),
        "plot": "silent VM outage ms",
    },
    "rate": {
        "title": "Rate caps of n0p0: wire bit/s to a 50/90/100% cap of 1 Mbit/s",
        "baseline": None,
        "metrics": [("ratio", rate_ratio)],
        "raw": ["bps", "cap_bps", "drops"],
        "plot": "ratio",
    },
    "probe": {
        "title": "Dead switch with carrier up: detection by probes at the same interval",
        "baseline": None,
        "metrics": [("detect ms", field("detect_ms"))],
        "raw": ["detect_ms", "interval_ms", "miss"],
        "plot": "detect ms",
    },
}

def fmt(value):
    if value is None:
        return "-"
    if isinstance(value, float) and value < 10:
        return f"{value:.3f}"
    return f"{value:.0f}"


# Student's t for a two-sided 95 % interval, by degrees of freedom.
T95 = [None, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
       2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093,
       2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
       2.042]


def describe(values):
    """Median, min, max, and the mean with its 95 % interval (Student's t
    over the repetitions; none from a single one)."""
    n, mean = len(values), statistics.fmean(values)
    half = (T95[min(n - 1, 30)] * statistics.stdev(values) / math.sqrt(n)
            if n > 1 else None)
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "mean": mean, "n": n,
            "lo": mean - half if half is not None else None,
            "hi": mean + half if half is not None else None,
            "values": values}


def composed(variants, base_dummy, base_port):
    """For each layer measured over dummy ports (V@dummy): what it costs on
    the virtio port, C / (C + D), C the port's instructions per packet and
    D what V adds to a dummy port's (V@dummy's less BASE_DUMMY's). Its
    95 % interval is taken from the ends of C's and D's (each Student's t
    over its repetitions; D's from V@dummy's and BASE_DUMMY's ends), the
    least C with the most D and the other way round: wider than the exact
    interval, never narrower."""
    def metric(name):
        return variants.get(name, {}).get("metrics", {}).get("instructions per packet")

    cost, dummy = metric(base_port), metric(base_dummy)
    if not cost or not dummy:
        return {}
    out = {}
    for name in variants:
        layer = metric(name)
        if not name.endswith("@dummy") or name == base_dummy or not layer:
            continue
        added = layer["mean"] - dummy["mean"]
        m = {"mean": cost["mean"] / (cost["mean"] + added), "added": added,
             "port": cost["mean"], "lo": None, "hi": None,
             "n": min(cost["n"], layer["n"], dummy["n"])}
        m["median"] = m["mean"]
        if None not in (cost["lo"], layer["lo"], dummy["lo"]):
            most, least = layer["hi"] - dummy["lo"], layer["lo"] - dummy["hi"]
            m["lo"] = cost["lo"] / (cost["lo"] + most)
            m["hi"] = cost["hi"] / (cost["hi"] + least)
        out[name[:-len("@dummy")]] = m
    return out


def summarise(rows):
    out = {}
    for case, spec in CASES.items():
        mine = [r for r in rows if r.get("case") == case and "variant" in r]
        errors = [r["error"] for r in rows if r.get("case") == case and "error" in r]
        if not mine and not errors:
            continue
        by_rep = {}
        for r in mine:
            by_rep.setdefault(r["rep"], {})[r["variant"]] = r
        variants = {}
        for r in mine:
            v = variants.setdefault(r["variant"], {"reps": 0, "metrics": {}, "raw": []})
            v["reps"] += 1
            v["raw"].append({k: r.get(k) for k in ["rep"] + spec["raw"]})
            for name, fn in spec["metrics"]:
                value = fn(r, by_rep)
                if value is not None:
                    v["metrics"].setdefault(name, []).append(value)
        for v in variants.values():
            v["metrics"] = {name: describe(vals) for name, vals in v["metrics"].items()}
        out[case] = {"title": spec["title"], "baseline": spec["baseline"],
                     "variants": variants, "errors": errors}
        if "composed" in spec:
            out[case]["composed"] = composed(variants, *spec["composed"])
    return out


def goal_line(case, c):
    """'Goal: ...: met', 'NOT met' or 'not shown' for a case that has a goal
    and its variant's figures. By the interval: met if all of it meets the
    goal, not met if none of it does, not shown otherwise."""
    goal = CASES[case].get("goal")
    if not goal:
        return None
    variant, metric, stat, op, value = goal
    if metric.startswith("composed"):
        m = c.get("composed", {}).get(variant)
    else:
        m = c["variants"].get(variant, {}).get("metrics", {}).get(metric)
    if not m:
        return None
    meets = (lambda x: x >= value) if op == ">=" else (lambda x: x <= value)
    if stat != "interval":
        verdict = "met" if meets(m[stat]) else "NOT met"
        return (f"Goal: {variant} {metric} ({stat}) {op} {value}: "
                f"{verdict} ({stat} {fmt(m[stat])}).")
    if m["lo"] is None:
        return (f"Goal: {variant} {metric} {op} {value}: not shown "
                "(one repetition, no interval).")
    ends = [m["lo"], m["hi"]]
    verdict = ("met" if all(map(meets, ends)) else
               "NOT met" if not any(map(meets, ends)) else "not shown")
    return (f"Goal: {variant} {metric} {op} {value} at 95 % confidence: "
            f"{verdict} (mean {fmt(m['mean'])}, 95 % interval "
            f"[{fmt(m['lo'])}, {fmt(m['hi'])}]).")


def cell(m):
    """A table cell: the median, and the 95 % interval of the mean."""
    if not m:
        return "-"
    if m["lo"] is None:
        return fmt(m["median"])
    return f"{fmt(m['median'])} [{fmt(m['lo'])}, {fmt(m['hi'])}]"


def markdown(summary, dates):
    lines = ["Each figure: the median over the repetitions, and in brackets "
             "the 95 % confidence interval of their mean (Student's t); raw "
             "figures per repetition in the last column.", ""]
    for case, c in summary.items():
        lines.append(f"**{c['title']}** (measured {dates[case]}"
                     + (f"; baseline: {c['baseline']}, same repetition"
                        if c["baseline"] else "") + ")")
        lines.append("")
        names = [name for name, _fn in CASES[case]["metrics"]]
        lines.append("| variant | reps | " + " | ".join(names) + " | raw per rep |")
        lines.append("|---" * (len(names) + 3) + "|")
        for variant, v in c["variants"].items():
            cells = [cell(v["metrics"].get(name)) for name in names]
            raw = "; ".join(" ".join(f"{k}={r[k]}" for k in r
                                     if k != "rep" and r[k] is not None)
                            for r in sorted(v["raw"], key=lambda r: r["rep"]))
            lines.append(f"| {variant} | {v['reps']} | " + " | ".join(cells)
                         + f" | {raw} |")
        if c.get("composed"):
            base_dummy, base_port = CASES[case]["composed"]
            lines.append("")
            lines.append(f"Composed: what each layer costs on {base_port}: "
                         f"C / (C + D), C {base_port}'s instructions per packet, "
                         f"D what the layer adds to {base_dummy}'s (95 % "
                         "interval from the ends of C's and D's):")
            lines.append("")
            lines.append(f"| layer | composed ratio to {base_port} | D, added | C |")
            lines.append("|---|---|---|---|")
            for layer, m in c["composed"].items():
                lines.append(f"| {layer} | {cell(m)} | {m['added']:.1f} | {m['port']:.0f} |")
        goal = goal_line(case, c)
        if goal:
            lines.append(f"\n{goal}")
        for err in c["errors"]:
            lines.append(f"\nThe case failed in the guest (exit {err}); "
                         "see the console log.")
        lines.append("")
    return "\n".join(lines)


GNUPLOT = """set terminal pngcairo size 640,360 font ",10"
set output '{png}'
set title "{title}" noenhanced
set ylabel "{metric}" noenhanced
set style fill solid 0.4 border -1
set boxwidth 0.6
set xrange [-0.5:{n} - 0.5]
set yrange [0:*]
set grid ytics
unset key
plot '{data}' using 0:2:xtic(1) with boxes, \\
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt 0{reference}
"""


def plot(summary, outdir):
    """One PNG per case with gnuplot, CASE.png in OUTDIR: the plotted
    metric's median per variant as a bar, the 95 % interval of the mean as
    an error bar (min and max from one repetition); a
    ratio's plot has a dashed line at 1, the baseline. Yields their paths."""
    if not shutil.which("gnuplot"):
        print("bench-report: no gnuplot (make bench installs it), no plots")
        return
    for case, c in summary.items():
        metric = CASES[case].get("plot")
        rows = [(variant, v["metrics"][metric])
                for variant, v in c["variants"].items() if metric in v["metrics"]]
        if not rows:
            continue
        data = os.path.join(outdir, f"{case}.dat")
        with open(data, "w", encoding="utf-8") as f:
            for variant, m in rows:
                lo, hi = (m["lo"], m["hi"]) if m["lo"] is not None else (m["min"], m["max"])
                f.write(f"{variant} {m['median']} {lo} {hi}\n")
        script = GNUPLOT.format(
            png=os.path.join(outdir, f"{case}.png"), title=c["title"],
            metric=metric, n=len(rows), data=data,
            reference=", 1 with lines dt 2 lc rgb 'gray'"
            if metric.startswith("ratio") else "")
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        yield os.path.join(outdir, f"{case}.png")


def update_doc(path, text):
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"{path}: no {BEGIN} ... {END} section")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("results", nargs="+",
                   help="results.jsonl from the guest; several: oldest first")
    p.add_argument("--doc", help="Markdown file whose results section to replace")
    p.add_argument("--plots", help="also copy the PNG plots into this folder")
    args = p.parse_args()

    rows, dates = [], {}
    for path in args.results:
        with open(path, encoding="utf-8") as f:
            mine = [json.loads(line) for line in f if line.strip()]
        date = datetime.date.fromtimestamp(os.path.getmtime(path)).isoformat()
        cases = {r.get("case") for r in mine}
        rows = [r for r in rows if r.get("case") not in cases] + mine
        dates.update((case, date) for case in cases)
    summary = summarise(rows)
    text = markdown(summary, dates)
    outdir = os.path.dirname(os.path.abspath(args.results[-1]))
    with open(os.path.join(outdir, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"dates": dates, "cases": summary, "rows": rows}, f, indent=1)
    with open(os.path.join(outdir, "results.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    if args.doc:
        update_doc(args.doc, text)
    print(text)
    for png in plot(summary, outdir):
        if args.plots:
            os.makedirs(args.plots, exist_ok=True)
            shutil.copy(png, args.plots)
    if any(c["errors"] for c in summary.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
