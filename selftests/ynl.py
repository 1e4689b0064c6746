#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The kernel's YNL library (tools/net/ynl) against the loaded zec module,
for selftests/zec/ynl.sh. YNL_TREE as laid out by scripts/ynl-tree.sh.

    ynl.py YNL_TREE policy
        Compare the input policies the module registered, read back with
        nlctrl's GETPOLICY dump, with the spec: every attribute the kernel
        accepts must be in the spec with the same type and bounds, every
        attribute a spec operation's request names must be accepted, and
        every bound (checks) the spec states must be enforced. Prints one
        line per attribute ("ok ..." or "MISMATCH ..."), exits 1 on a
        mismatch.

    ynl.py YNL_TREE notify OP JSON
        Do OP with the attributes JSON from one socket while another
        listens on the spec's multicast group; print the notifications as
        a JSON list. (cli.py --subscribe --do in one socket fails in 6.12's
        library when a notification arrives between request and ack.)
"""

import json
import os
import sys

import yaml

TYPE_MAX = {"u8": 0xff, "u16": 0xffff, "u32": 0xffffffff,
            "u64": 0xffffffffffffffff}
# spec type -> the type nlctrl reports (NLA_BE32 reports as u32)
KERNEL_TYPE = {"string": "nul-string", "nest": "nested"}


def expected(attr, consts, enums):
    """What the kernel's policy entry should say about a spec attribute."""
    checks = {k: consts.get(v, v) for k, v in attr.get("checks", {}).items()}
    kind = attr["type"]
    want = {"type": KERNEL_TYPE.get(kind, kind)}
    if kind in TYPE_MAX:
        top = TYPE_MAX[kind]
        enum = enums.get(attr.get("enum"))
        if enum and enum["type"] == "enum" and "max" not in checks:
            top = len(enum["entries"]) - 1
        want["min-value-u"] = checks.get("min", 0)
        want["max-value-u"] = checks.get("max", top)
    if "max-len" in checks:
        want["max-length"] = checks["max-len"]
    if "exact-len" in checks:
        want["min-length"] = want["max-length"] = checks["exact-len"]
    return want


def notify(specs, op, attrs):
    zec = os.path.join(specs, "zec.yaml")
    listener = YnlFamily(zec)
    for group in listener.yaml["mcast-groups"]["list"]:
        listener.ntf_subscribe(group["name"])
    YnlFamily(zec).do(op, json.loads(attrs))
    # sent before the ack of the request: queued by now
    listener.check_ntf()
    print(json.dumps([{"name": n["name"], "msg": n["msg"]}
                      for n in listener.async_msg_queue]))
    return 0


def policy(specs):
    with open(os.path.join(specs, "zec.yaml")) as f:
        spec = yaml.safe_load(f)
    ctrl = YnlFamily(os.path.join(specs, "nlctrl.yaml"))
    dump = ctrl.dump("getpolicy", {"family-name": spec["name"]})

    policies, op_policy = {}, {}
    for msg in dump:
        if "policy" in msg:
            p = dict(msg["policy"])
            policies.setdefault(p.pop("policy-id"), {})[p.pop("attr-id")] = p
        elif "op-policy" in msg:
            p = dict(msg["op-policy"])
            op_policy[p.pop("op-id")] = p

    consts = {d["name"]: d["value"] for d in spec["definitions"]
              if d["type"] == "const"}
    enums = {d["name"]: d for d in spec["definitions"] if d["type"] != "const"}
    sets = {s["name"]: s["attributes"] for s in spec["attribute-sets"]}
    bad = 0

    def report(ok, what):
        nonlocal bad
        bad += not ok
        print(("ok " if ok else "MISMATCH ") + what)

    # Walk each request policy with the attribute set it is the kernel's
    # side of, into nests; seen: (policy, set) pairs compared already.
    seen, checked = set(), set()

    def walk(pid, set_name):
        if (pid, set_name) in seen:
            return
        seen.add((pid, set_name))
        attrs = sets[set_name]
        for attr_id, got in sorted(policies.get(pid, {}).items()):
            where = f"{set_name} attr {attr_id}"
            if not 0 < attr_id <= len(attrs):
                report(False, f"{where}: accepted by the kernel, "
                       "not in the spec")
                continue
            attr = attrs[attr_id - 1]
            where = f"{set_name}.{attr['name']}"
            want = expected(attr, consts, enums)
            have = {k: v for k, v in got.items()
                    if k not in ("policy-idx", "policy-maxtype")}
            report(have == want, f"{where}: kernel {have}"
                   + ("" if have == want else f" != spec {want}"))
            checked.add((set_name, attr["name"]))
            if "policy-idx" in got:
                walk(got["policy-idx"], attr["nested-attributes"])

    for value, op in enumerate(spec["operations"]["list"], 1):
        request = op.get("do", {}).get("request")
        if request is None:
            continue
        pid = op_policy.get(value, {}).get("do")
        if pid is None:
            report(False, f"{op['name']}: the kernel has no do policy")
            continue
        walk(pid, op["attribute-set"])
        accepted = {sets[op["attribute-set"]][i - 1]["name"]
                    for i in policies.get(pid, {})
                    if 0 < i <= len(sets[op["attribute-set"]])}
        missing = set(request["attributes"]) - accepted
        report(not missing, f"{op['name']}: request attributes accepted"
               + (f", except {sorted(missing)}" if missing else ""))

    for set_name, attrs in sets.items():
        for attr in attrs:
            if "checks" in attr and (set_name, attr["name"]) not in checked:
                report(False, f"{set_name}.{attr['name']}: the spec's checks "
                       "are in no kernel policy")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(sys.argv[1], "tools", "net", "ynl"))
    from lib import YnlFamily
    specs = os.path.join(sys.argv[1], "Documentation", "netlink", "specs")
    if sys.argv[2] == "policy":
        sys.exit(policy(specs))
    sys.exit(notify(specs, *sys.argv[3:5]))
