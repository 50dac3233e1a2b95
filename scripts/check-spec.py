#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that docs/netlink/nvgre.yaml agrees with the header and the module.

For every attribute set, enum definition and the operations of the spec,
the C enum of the header must list the same names (prefix + name, upper
case, '-' -> '_') at the same values, and nothing else before its
__*_MAX; the constants and the family, version-less name and multicast
groups must match too. The policy of each operation in kmod/netlink.c
must accept exactly the attributes of its do and dump requests.
Prints KTAP; exit status 1 on any difference.
"""

import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def header_enums(text):
    """{first member: [(name, value)...]} of every enum, up to __*_MAX."""
    enums = {}
    for body in re.findall(r"enum\s*\w*\s*\{([^}]*)\}", text):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        members, value = [], -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"(\w+)(?:\s*=\s*(\w+))?$", item)
            if not m:
                continue
            value = int(m.group(2), 0) if m.group(2) else value + 1
            if m.group(1).startswith("__"):
                break
            members.append((m.group(1), value))
        if members:
            enums[members[0][0]] = members
    return enums


def spec_members(prefix, entries):
    members, value = [], -1
    for e in entries:
        value = e.get("value", value + 1)
        members.append((c_name(prefix, e["name"]), value))
    return members


def kernel_policies(text):
    """{NVGRE_CMD_*: set of NVGRE_A_*} from the op table of kmod/netlink.c."""
    policies = {}
    for name, body in re.findall(
            r"nla_policy\s+(\w+)\[[^]]*\]\s*=\s*\{(.*?)\n\};", text, re.S):
        policies[name] = set(re.findall(r"\[(NVGRE_A_\w+)\]", body))
    ops = {}
    for cmd, policy in re.findall(
            r"NVGRE_NL_OP\(([A-Z0-9_]+),\s*(\w+),", text):
        ops["NVGRE_CMD_" + cmd] = policies.get(policy)
    return ops


def check_policies(spec, check):
    with open(os.path.join(ROOT, "kmod/netlink.c")) as f:
        ops = kernel_policies(f.read())
    prefix = spec["operations"]["name-prefix"]
    aprefix = spec["attribute-sets"][0]["name-prefix"]
    for op in spec["operations"]["list"]:
        if "do" not in op and "dump" not in op:
            continue
        cmd = c_name(prefix, op["name"])
        want = set()
        for kind in ("do", "dump"):
            req = op.get(kind, {}).get("request", {})
            want |= {c_name(aprefix, a) for a in req.get("attributes", [])}
        got = ops.get(cmd)
        check("policy of %s: %d attributes" % (cmd, len(want)), got == want,
              "kernel %s, spec %s" % (sorted(got) if got is not None
                                      else "none", sorted(want)))
    extra = set(ops) - {c_name(prefix, o["name"])
                        for o in spec["operations"]["list"]}
    check("every op of the module is in the spec", not extra,
          "not in the spec: %s" % sorted(extra))


def main():
    with open(os.path.join(ROOT, "docs/netlink/nvgre.yaml")) as f:
        spec = yaml.safe_load(f)
    with open(os.path.join(ROOT, "include/uapi/linux/nvgre.h")) as f:
        header = f.read()
    enums = header_enums(header)
    results = []

    def check(name, ok, why=""):
        results.append((name, ok, why))

    sets = [(s["name-prefix"], s["attributes"]) for s in spec["attribute-sets"]]
    sets.append((spec["operations"]["name-prefix"], spec["operations"]["list"]))
    sets += [(d["name-prefix"], d["entries"]) for d in spec.get("definitions", [])
             if d["type"] == "enum"]
    for prefix, entries in sets:
        want = spec_members(prefix, entries)
        got = enums.get(want[0][0])
        if got == want:
            check("enum %s*: %d names and values agree" % (c_name(prefix, ""), len(want)), True)
        else:
            diff = sorted(set(want) ^ set(got or []))
            check("enum %s*" % c_name(prefix, ""), False, "differs: %r" % diff)

    for d in spec.get("definitions", []):
        if d["type"] != "const":
            continue
        cname = c_name("nvgre-", d["name"])
        m = re.search(r"#define\s+%s\s+(\w+)" % cname, header)
        check("const %s = %s" % (cname, d["value"]),
              bool(m) and int(m.group(1), 0) == d["value"],
              "header: %s" % (m.group(1) if m else "missing"))

    m = re.search(r'#define\s+NVGRE_GENL_NAME\s+"(\w+)"', header)
    check("family name %s" % spec["name"], bool(m) and m.group(1) == spec["name"])
    for g in spec["mcast-groups"]["list"]:
        cname = c_name("nvgre-mcgrp-", g["name"])
        m = re.search(r'#define\s+%s\s+"([\w-]+)"' % cname, header)
        check("multicast group %s" % cname, bool(m) and m.group(1) == g["name"])

    check_policies(spec, check)

    print("TAP version 13")
    print("1..%d" % len(results))
    failed = 0
    for i, (name, ok, why) in enumerate(results, 1):
        print("%sok %d spec: %s" % ("" if ok else "not ", i, name))
        if not ok:
            failed += 1
            print("# " + why)
    print("# %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
