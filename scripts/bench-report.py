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
import os
import shutil
import statistics
import subprocess
import sys

BEGIN = "<!-- bench-results:begin -->"
END = "<!-- bench-results:end -->"


def ratio_to(baseline, field="pps"):
    """Metric: the row's FIELD over BASELINE's in the same repetition."""
    def ratio(row, reps):
        base = reps[row["rep"]].get(baseline)
        return row[field] / base[field] if base and base[field] else None
    return ratio


def field(name):
    """Metric: a raw field as it is."""
    return lambda row, _reps: row[name]


def rate_ratio(row, reps):
    """Rate caps: bit/s on the wire to the cap, or pps to no cap."""
    if "cap_bps" in row:
        return row["bps"] / row["cap_bps"]
    return ratio_to("zec")(row, reps)


def locality_share(row, _reps):
    return row["local"] / row["total"] if row["total"] else None


def transmit_case(title, baseline, raw):
    """A transmit-cost case: pps as a ratio to BASELINE, and raw."""
    return {
        "title": title,
        "baseline": baseline,
        "metrics": [(f"ratio to {baseline}", ratio_to(baseline)),
                    ("pps", field("pps"))],
        "raw": raw,
        # variant, metric, statistic, least value that meets the goal
        "goal": ("zec", f"ratio to {baseline}", "median", ">=", 0.97),
        "plot": f"ratio to {baseline}",
    }


# case -> title, baseline variant, metrics (name, function), raw fields
# shown beside them, the goal if the issue set one, and the metric to plot.
CASES = {
    "pktgen": transmit_case(
        "Transmit cost: one pktgen thread, 60-byte UDP, queue_xmit, CPU 1 (node 0)",
        "port", ["pps", "tx_n0p0", "tx_n1p0"]),
    "pktgen-percpu": transmit_case(
        "Transmit cost: a pktgen thread on every CPU of both nodes, queue_xmit",
        "ports", ["pps", "tx_n0p0", "tx_n1p0"]),
    "udp-percpu": transmit_case(
        "Transmit cost: a UDP socket sender on every CPU of both nodes",
        "ports", ["pps", "tx_n0p0", "tx_n1p0", "refused"]),
    "locality": {
        "title": "Locality: share of packets leaving through the sender's node's port",
        "baseline": None,
        "metrics": [("local share", locality_share)],
        "raw": ["local", "total"],
        "goal": ("zec", "local share", "median", ">=", 1.0),
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
        "goal": ("zec", "rx local share", "median", ">=", 1.0),
        "plot": "silent VM outage ms",
    },
    "rate": {
        "title": "Rate caps of n0p0: pps with an unreached cap (zec-cap) to "
                 "none (zec); wire bit/s to a 50/90/100% cap of 1 Mbit/s",
        "baseline": "zec",
        "metrics": [("ratio", rate_ratio)],
        "raw": ["pps", "bps", "cap_bps", "drops"],
        # The goal for the cost: under 3%.
        "goal": ("zec-cap", "ratio", "median", ">=", 0.97),
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
            v["metrics"] = {name: {"median": statistics.median(vals),
                                   "min": min(vals), "max": max(vals),
                                   "values": vals}
                            for name, vals in v["metrics"].items()}
        out[case] = {"title": spec["title"], "baseline": spec["baseline"],
                     "variants": variants, "errors": errors}
    return out


def goal_line(case, c):
    """'Goal: ...: met' for a case that has a goal and its variant's figures."""
    goal = CASES[case].get("goal")
    if not goal:
        return None
    variant, metric, stat, op, value = goal
    m = c["variants"].get(variant, {}).get("metrics", {}).get(metric)
    if not m:
        return None
    met = m[stat] >= value if op == ">=" else m[stat] <= value
    return (f"Goal: {variant} {metric} ({stat}) {op} {value}: "
            f"{'met' if met else 'NOT met'} ({stat} {fmt(m[stat])}).")


def markdown(summary, dates):
    lines = ["Median [min, max] over the repetitions; raw figures per "
             "repetition in the last column.", ""]
    for case, c in summary.items():
        lines.append(f"**{c['title']}** (measured {dates[case]}"
                     + (f"; baseline: {c['baseline']}, same repetition"
                        if c["baseline"] else "") + ")")
        lines.append("")
        names = [name for name, _fn in CASES[case]["metrics"]]
        lines.append("| variant | reps | " + " | ".join(names) + " | raw per rep |")
        lines.append("|---" * (len(names) + 3) + "|")
        for variant, v in c["variants"].items():
            cells = []
            for name in names:
                m = v["metrics"].get(name)
                cells.append(f"{fmt(m['median'])} [{fmt(m['min'])}, {fmt(m['max'])}]"
                             if m else "-")
            raw = "; ".join(" ".join(f"{k}={r[k]}" for k in r
                                     if k != "rep" and r[k] is not None)
                            for r in sorted(v["raw"], key=lambda r: r["rep"]))
            lines.append(f"| {variant} | {v['reps']} | " + " | ".join(cells)
                         + f" | {raw} |")
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
    metric's median per variant as a bar, min and max as an error bar; a
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
                f.write(f"{variant} {m['median']} {m['min']} {m['max']}\n")
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
