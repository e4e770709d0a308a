#!/usr/bin/env python3
"""Renders a swift-api-digester SDK dump (JSON) as a sorted text listing of a module's public
declarations, one per line: `<kind> <Parent.name(signature)>`, so a review sees every change to
the public interface as a line diff. Usage: api-listing.py DUMP.json > API/Module.txt"""
import json
import sys

DECLS = {"Constructor", "Function", "Subscript", "TypeAlias", "TypeDecl", "Var"}


def signature(node):
    # The first child of a function-like node is its result type; the rest are parameters.
    types = [c.get("printedName", "") for c in node.get("children", []) if c.get("kind", "").startswith("Type")]
    if node.get("kind") in ("Function", "Constructor", "Subscript") and types:
        return " -> " + types[0] if node.get("kind") != "Constructor" else ""
    if node.get("kind") == "Var" and types:
        return ": " + types[0]
    return ""


def walk(node, parents, out):
    kind = node.get("kind")
    if node.get("isInternal"):
        return  # package or @usableFromInline: not part of the public interface
    if kind in DECLS and node.get("moduleName") == module:
        name = ".".join(parents + [node.get("printedName", node.get("name", "?"))])
        flags = []
        if node.get("static"):
            flags.append("static")
        if node.get("isThrowing"):
            flags.append("throws")
        out.add(f"{node.get('declKind', kind)} {name}{signature(node)}{' [' + ' '.join(flags) + ']' if flags else ''}")
        if kind == "TypeDecl":
            for conformance in node.get("conformances", []):
                if conformance.get("printedName") in ("Copyable", "Escapable", "SendableMetatype", "BitwiseCopyable"):
                    continue
                out.add(f"Conformance {name}: {conformance.get('printedName')}")
            parents = parents + [node.get("printedName", "?")]
    for child in node.get("children", []):
        if child.get("kind", "").startswith("Type") and child.get("kind") != "TypeDecl" and child.get("kind") != "TypeAlias":
            continue
        walk(child, parents, out)


dump = json.load(open(sys.argv[1]))
module = sys.argv[2]
lines = set()
walk(dump["ABIRoot"], [], lines)
print("\n".join(sorted(lines)))
