#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check that the uapi header and the YNL spec define the same names and
values, so that neither can drift from the other. Prints one
"PASS name" / "FAIL name: why" line per enum for run-tests.sh."""

import re
import sys

import yaml


def c_name(*parts):
    return "".join(parts).upper().replace("-", "_")


def header_enums(text):
    """Map enum name -> ordered list of (constant, value) pairs."""
    enums = {}
    for name, body in re.findall(r"enum\s+(\w+)\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        known, entries, next_value = {}, [], 0
        for item in filter(None, (i.strip() for i in body.split(","))):
            const, _, expr = item.partition("=")
            const = const.strip()
            if expr:
                if not re.fullmatch(r"[\w\s<+\-()]+", expr):
                    raise ValueError(f"{const}: unexpected value {expr!r}")
                next_value = eval(expr, {"__builtins__": {}}, dict(known))
            known[const] = next_value
            entries.append((const, next_value))
            next_value += 1
        enums[name] = entries
    return enums


def header_defines(text):
    return dict(re.findall(r"#define[ \t]+(\w+)[ \t]+(\S+)", text))


def with_max(prefix, entries):
    last = entries[-1][1]
    return entries + [(f"__{prefix}MAX", last + 1), (f"{prefix}MAX", last)]


def spec_definition(d):
    prefix = c_name(d["name-prefix"])
    names = [e["name"] if isinstance(e, dict) else e for e in d["entries"]]
    if d["type"] == "flags":
        return [(c_name(prefix, n), 1 << i) for i, n in enumerate(names)]
    entries = [(c_name(prefix, n), i) for i, n in enumerate(names)]
    return with_max(prefix, entries) if d.get("render-max") else entries


def spec_sequence(prefix, names, first):
    entries = [(c_name(prefix, "unspec"), 0)]
    entries += [(c_name(prefix, n), first + i) for i, n in enumerate(names)]
    return with_max(c_name(prefix), entries)


def expected_enums(spec):
    enums = {}
    for d in spec["definitions"]:
        if d["type"] in ("enum", "flags"):
            enums[c_name(d["enum-name"]).lower()] = spec_definition(d)
    for s in spec["attribute-sets"]:
        names = [a["name"] for a in s["attributes"]]
        enums[c_name(s["enum-name"]).lower()] = spec_sequence(
            s["name-prefix"], names, 1)
    ops = spec["operations"]
    enums[c_name(ops["enum-name"]).lower()] = spec_sequence(
        ops["name-prefix"], [o["name"] for o in ops["list"]], 1)
    return enums


def expected_defines(spec):
    defines = {"ZEC_GENL_NAME": f'"{spec["name"]}"'}
    for group in spec["mcast-groups"]["list"]:
        defines[c_name("zec-mcgrp-", group["name"])] = f'"{group["name"]}"'
    for d in spec["definitions"]:
        if d["type"] == "const":
            defines[c_name("zec-", d["name"])] = d["value"]
    return defines


def define_value(text):
    text = text.rstrip("uU")
    return text if text.startswith('"') else int(text, 0)


def main(header_path, spec_path):
    with open(header_path) as f:
        text = f.read()
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    failed = False

    def report(name, problems):
        nonlocal failed
        failed |= bool(problems)
        print(f"FAIL {name}: {'; '.join(problems)}" if problems
              else f"PASS {name}")

    have = header_enums(text)
    for name, want in expected_enums(spec).items():
        got = have.pop(name, None)
        report(f"spec: enum {name}",
               [] if got == want else
               [f"header {got} != spec {want}" if got else "not in header"])
    report("spec: no header enum missing from the spec",
           [f"enum {n} only in header" for n in have])

    defines = header_defines(text)
    problems = []
    for name, want in expected_defines(spec).items():
        got = defines.get(name)
        if got is None or define_value(got) != want:
            problems.append(f"{name}: header {got} != spec {want}")
    report("spec: constants, family and group names", problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
