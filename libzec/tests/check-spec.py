#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check the YNL spec with the kernel's own schema and tool, and that the
uapi header the kernel's generator would make from it defines the same
names and values as the hand-kept include/uapi/linux/zec.h.

    check-spec.py HEADER YNL_TREE

YNL_TREE is laid out by scripts/ynl-tree.sh: the kernel's tools/net/ynl,
its Documentation/netlink/*.yaml schemas and a link to zec's spec in
Documentation/netlink/specs/. Prints one "PASS name" / "FAIL name: why"
line per check for run-tests.sh."""

import importlib.util
import os
import re
import sys
import tempfile

import jsonschema
import yaml


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
    """Map define -> value, a string literal or an integer."""
    defines = {}
    for name, value in re.findall(r"#define[ \t]+(\w+)[ \t]+(\S+)", text):
        value = value.rstrip("uU")
        defines[name] = value if value.startswith('"') else int(value, 0)
    return defines


def without_unspec(entries):
    """The hand-kept enums name their 0 (ZEC_CMD_UNSPEC, ZEC_A_*_UNSPEC);
    the generator leaves it unnamed and starts at 1."""
    return [(c, v) for c, v in entries
            if not (c.endswith("_UNSPEC") and v == 0)]


def pairs_diff(got, want):
    """Which (name, value) pairs only the header or only the spec has,
    or the order if both have the same."""
    only_header = [p for p in got if p not in want]
    only_spec = [p for p in want if p not in got]
    if not only_header and not only_spec:
        return f"order: header {got} != spec {want}"
    return f"only in header {only_header}, only in spec {only_spec}"


def load_generator(tree):
    """ynl-gen-c.py as a module: its Family (which validates the spec
    against the schema its protocol names and resolves every reference)
    and render_uapi()."""
    ynl = os.path.join(tree, "tools", "net", "ynl")
    sys.path.insert(0, ynl)
    spec = importlib.util.spec_from_file_location(
        "ynl_gen_c", os.path.join(ynl, "ynl-gen-c.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def generated_uapi(gen, spec_path):
    """The uapi header as "ynl-gen-c.py --mode uapi --header" writes it.
    Called as a library because the command line refuses specs that are
    not licensed GPL-2.0 WITH Linux-syscall-note OR BSD-3-Clause (zec's
    uapi is ... OR MIT); the rendering is the same."""
    family = gen.Family(spec_path, [])
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "zec.h")
        cw = gen.CodeWriter(gen.BaseNlLib(), out)
        gen.render_uapi(family, cw)
        cw.close_out_file()
        with open(out) as f:
            return f.read()


def main(header_path, tree):
    spec_path = os.path.join(tree, "Documentation", "netlink", "specs",
                             "zec.yaml")
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

    protocol = spec.get("protocol", "genetlink")
    schema_path = os.path.join(tree, "Documentation", "netlink",
                               f"{protocol}.yaml")
    with open(schema_path) as f:
        schema = yaml.safe_load(f)
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(spec), key=lambda e: list(e.path))
    report(f"spec: valid under the kernel's {protocol}.yaml schema",
           [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors])
    if errors:
        return 1

    try:
        generated = generated_uapi(load_generator(tree), spec_path)
    except Exception as e:
        report("spec: the kernel's ynl-gen-c.py renders its uapi header",
               [f"{type(e).__name__}: {e}"])
        return 1
    report("spec: the kernel's ynl-gen-c.py renders its uapi header", [])

    have = header_enums(text)
    for name, want in header_enums(generated).items():
        got = have.pop(name, None)
        report(f"spec: enum {name}",
               ["not in header"] if got is None else
               [] if without_unspec(got) == want else
               [pairs_diff(without_unspec(got), want)])
    report("spec: no header enum missing from the spec",
           [f"enum {n} only in header" for n in have])

    have = header_defines(text)
    problems = []
    for name, want in header_defines(generated).items():
        got = have.pop(name, None)
        if got != want:
            problems.append(f"{name}: header {got} != spec {want}")
    problems += [f"{n} only in header" for n in have]
    report("spec: constants, family and group names", problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
