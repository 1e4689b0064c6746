#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check "zecctl stats -o prometheus" output against "zecctl -j stats".

    promcheck.py PROM [BEFORE AFTER]

PROM is parsed with prometheus_client's text parser (Debian's
python3-prometheus-client), which is lax, so on top of it: every family is
a counter or a gauge with HELP (a sample outside its family's block would
come out as an untyped family of its own), appears once, and has no two
samples with the same labels. BEFORE and AFTER, if given, are "zecctl -j stats" taken
just before and after PROM: each counter KEY of a device, port or node in
them must be zec_LEVEL_KEY_total in PROM, labelled device, port or node,
with a value from BEFORE's to AFTER's (as floats), if the family exists; the families
that every level has (tx_local_packets, failovers) must. Prints what it
compared; exits 1 with the reasons if anything is wrong.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

# Counters the kernel sends at every level: their absence is an error.
EVERY_LEVEL = ("tx_local_packets", "failovers")


def load_prometheus(path, errors):
    """{(family, frozenset(labels)): value}, the names of the families"""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    samples, names = {}, set()
    for family in text_string_to_metric_families(text):
        if family.type not in ("counter", "gauge"):
            errors.append(f"{family.name}: type {family.type}")
        if not family.documentation:
            errors.append(f"{family.name}: no HELP")
        if family.name in names:
            errors.append(f"{family.name}: more than one block")
        names.add(family.name)
        for s in family.samples:
            key = (s.name, frozenset(s.labels.items()))
            if key in samples:
                errors.append(f"{s.name}{s.labels}: twice")
            samples[key] = s.value
    return samples, names


def entities(stats):
    """(level, labels, counters) of every device, port and node"""
    for dev in stats:
        name = dev["ifname"]
        yield "device", {"device": name}, dev["stats"]
        for port in dev["ports"]:
            yield "port", {"device": name, "port": port["ifname"]}, \
                port["stats"]
        for node in dev["nodes"]:
            yield "node", {"device": name, "node": str(node["node"])}, \
                node["stats"]


def compare(before_path, after_path, samples, names, errors):
    """How many counters of PROM agree with the two -j stats"""
    with open(before_path, encoding="utf-8") as f:
        before = list(entities(json.load(f)))
    with open(after_path, encoding="utf-8") as f:
        after = {(lvl, frozenset(lab.items())): c
                 for lvl, lab, c in entities(json.load(f))}
    compared = 0
    for level, labels, counters in before:
        later = after.get((level, frozenset(labels.items())))
        if later is None:
            errors.append(f"{level} {labels}: gone from the second -j stats")
            continue
        for key, low in counters.items():
            family = f"zec_{level}_{key}"
            if family not in names and key not in EVERY_LEVEL:
                continue
            value = samples.get((family + "_total",
                                 frozenset(labels.items())))
            if value is None:
                errors.append(f"{family}_total{labels}: missing")
            # float: Prometheus's values are, and so are big counters
            elif not float(low) <= value <= float(later[key]):
                errors.append(f"{family}_total{labels} = {value:.0f}, "
                              f"-j stats said {low} then {later[key]}")
            else:
                compared += 1
    if not compared:
        errors.append("no counter compared")
    return compared


def main():
    if len(sys.argv) not in (2, 4):
        print(__doc__, file=sys.stderr)
        return 2
    errors = []
    samples, names = load_prometheus(sys.argv[1], errors)
    summary = f"{len(names)} families, {len(samples)} samples"
    if len(sys.argv) == 4:
        compared = compare(sys.argv[2], sys.argv[3], samples, names, errors)
        summary += f"; {compared} counters within -j stats's before and after"
    if not samples:
        errors.append("no sample")
    for error in errors:
        print(error, file=sys.stderr)
    print(summary)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
