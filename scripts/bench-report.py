#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarise "make bench": read the result lines the guest wrote
(selftests/bench/*.sh, one JSON object per case, variant and repetition),
turn each repetition's raw figures into ratios to the baseline measured in
the same repetition, and write results.json and results.md next to them.
With --doc FILE, also replace the results section of FILE (between the
bench-results markers) with the Markdown table.

Under TCG absolute figures mean little: the ratios are the result, the raw
figures are printed beside them so that a ratio can be checked.
"""

import argparse
import datetime
import json
import os
import statistics
import sys

BEGIN = "<!-- bench-results:begin -->"
END = "<!-- bench-results:end -->"


def pktgen_ratio(row, reps):
    base = reps[row["rep"]].get("port")
    return row["pps"] / base["pps"] if base else None


def locality_share(row, _reps):
    return row["local"] / row["total"] if row["total"] else None


# case -> title, baseline variant, metrics (name, unit, function), raw
# fields shown beside them.
CASES = {
    "pktgen": {
        "title": "Transmit cost: pktgen, 60-byte UDP, queue_xmit, CPU 1 (node 0)",
        "baseline": "port",
        "metrics": [("ratio to port", "", pktgen_ratio),
                     ("pps", "", lambda row, _: row["pps"])],
        "raw": ["pps", "tx_n0p0", "tx_n1p0"],
        # variant, metric, least median that meets the goal
        "goal": ("zec", "ratio to port", 0.97),
    },
    "locality": {
        "title": "Locality: share of packets leaving through the sender's node's port",
        "baseline": None,
        "metrics": [("local share", "", locality_share)],
        "raw": ["local", "total"],
        "goal": ("zec", "local share", 1.0),
    },
    "failover": {
        "title": "Carrier failover of n1p0 under paced UDP from node 1",
        "baseline": None,
        "metrics": [("lost packets", "", lambda row, _: row["lost"]),
                    ("outage ms", "", lambda row, _: row["outage_ms"])],
        "raw": ["lost", "outage_ms", "interval_us"],
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
            for name, _unit, fn in spec["metrics"]:
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


def markdown(summary, date):
    lines = [f"Measured {date}; median [min, max] over the repetitions; "
             "raw figures per repetition in the last column.", ""]
    for case, c in summary.items():
        lines.append(f"**{c['title']}**"
                     + (f" (baseline: {c['baseline']}, same repetition)"
                        if c["baseline"] else ""))
        lines.append("")
        names = [m[0] for m in CASES[case]["metrics"]]
        lines.append("| variant | reps | " + " | ".join(names) + " | raw per rep |")
        lines.append("|---" * (len(names) + 3) + "|")
        for variant, v in c["variants"].items():
            cells = []
            for name in names:
                m = v["metrics"].get(name)
                cells.append(f"{fmt(m['median'])} [{fmt(m['min'])}, {fmt(m['max'])}]"
                             if m else "-")
            raw = "; ".join(" ".join(f"{k}={r[k]}" for k in r if k != "rep")
                            for r in sorted(v["raw"], key=lambda r: r["rep"]))
            lines.append(f"| {variant} | {v['reps']} | " + " | ".join(cells)
                         + f" | {raw} |")
        goal = CASES[case].get("goal")
        m = c["variants"].get(goal[0], {}).get("metrics", {}).get(goal[1]) if goal else None
        if m:
            met = "met" if m["median"] >= goal[2] else "NOT met"
            lines.append(f"\nGoal: {goal[0]} {goal[1]} >= {goal[2]}: {met} "
                         f"(median {fmt(m['median'])}).")
        for err in c["errors"]:
            lines.append(f"\nThe case failed in the guest (exit {err}); "
                         "see the console log.")
        lines.append("")
    return "\n".join(lines)


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
    p.add_argument("results", help="results.jsonl from the guest")
    p.add_argument("--doc", help="Markdown file whose results section to replace")
    args = p.parse_args()

    with open(args.results, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    date = datetime.date.today().isoformat()
    summary = summarise(rows)
    text = markdown(summary, date)
    outdir = os.path.dirname(os.path.abspath(args.results))
    with open(os.path.join(outdir, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"date": date, "cases": summary, "rows": rows}, f, indent=1)
    with open(os.path.join(outdir, "results.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    if args.doc:
        update_doc(args.doc, text)
    print(text)
    if any(c["errors"] for c in summary.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
