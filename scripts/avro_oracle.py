#!/usr/bin/env python3
"""Differential test of evreg's Avro compatibility verdicts against Apache Avro's Python checker.

The reference Python package `avro` ships `avro.compatibility`, a port of the Java
SchemaCompatibility checker. This script uses it as an oracle: it generates random but realistic
(old, new) schema evolutions from a seed, asks both the oracle and `evreg compat` whether the new
version can read the old one's data (backward) and the other way round (forward), and reports
every pair on which they disagree.

Setup and run (from the repository root):

    pip install -r scripts/requirements-dev.txt     # avro==1.12.2, a development tool only
    cargo build --release
    python3 scripts/avro_oracle.py --pairs 2000     # exits 1 on an unexplained disagreement

Other uses:

    python3 scripts/avro_oracle.py --pairs 2000 --seed 7 --out /tmp/oracle --json
    python3 scripts/avro_oracle.py --pairs 2000 --time           # also time both tools
    python3 scripts/avro_oracle.py --oracle-only /tmp/oracle     # Python verdicts of a work dir

The work dir (--out, default a new temporary directory that is kept for inspection) holds
`pairs/NNNN/old.avsc` and `new.avsc`, `manifest.json` (the evolution kind of every pair) and a
registry for `evreg check`: `registry/evreg.yaml` (`compatibility: FULL`) and
`registry/schemas/bench.pair.pNNNN/v1.avsc` (old) and `v2.avsc` (new).

Some disagreements are deliberate and documented in the README: evreg follows the Avro
specification where the Python checker does not. They are counted as "expected (spec)":

- decimal: a decimal whose precision or scale changed does not match under the specification
  ("Schema Resolution": decimals match only with equal precision and scale), while the checker
  ignores logical types; evreg reports `avro-decimal-mismatch`. Recognised by the evolution kind.
- relative-alias: a type alias without a dot is relative to the namespace of the type it is an
  alias for ("Aliases"), so in namespace `com.acme` the alias `A` names `com.acme.A`. The checker
  compares the alias as written with the writer's full name: it rejects a rename from
  `com.acme.A` to `com.acme.B` with alias `A`, and accepts one from `A` (null namespace) to
  `com.acme.B` with alias `A`. Recognised by re-running the checker on the schemas with their
  aliases fully qualified: when that verdict is evreg's, the alias was the only difference.

Any other disagreement is "unexplained" and makes the script exit 1.

Every generated schema is valid for both tools: names are unique, named types are defined before
they are referenced by name, and every default fits its type (a union's default fits its first
branch, which readers before Avro 1.12 require).

Standard library and `avro` only.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVREG = REPO / "target" / "release" / "evreg"
SUBJECT = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*){2,}$")  # evreg's default naming
MARKER = ".avro-oracle"  # marks a work dir this script created, so a rerun may overwrite it
PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
# Writer type -> reader types it promotes to (Avro 1.12, "Schema Resolution").
PROMOTIONS = [("int", "long"), ("int", "float"), ("int", "double"), ("long", "float"),
              ("long", "double"), ("float", "double"), ("string", "bytes"), ("bytes", "string")]
# Pairs that neither match nor promote in either direction.
UNRELATED = [("boolean", "int"), ("string", "int"), ("long", "string"), ("boolean", "string"),
             ("double", "bytes"), ("float", "boolean"), ("int", "bytes")]
# Evolution families whose disagreements are documented, deliberate departures from the checker,
# with the only evreg error rules that may explain them.
EXPECTED_SPEC = {"decimal-change": {"avro-decimal-mismatch"}}
# Why an "expected (spec)" disagreement is one, by reason.
REASONS = {
    "decimal": "decimal precision or scale changed: the specification says such decimals do "
               "not match; the Python checker ignores logical types",
    "relative-alias": "a relative alias of a named type: the specification resolves it in the "
                      "type's namespace, the Python checker compares the raw alias with the "
                      "writer's full name (the oracle agrees with evreg once aliases are "
                      "qualified)",
}

FIELD_WORDS = ["amount", "status", "customer", "region", "channel", "sku", "quantity", "note",
               "priority", "carrier", "tracking", "discount", "currency", "source", "label",
               "score", "weight", "code", "reference", "comment", "reason", "attempt", "total",
               "tax", "locale", "device", "session", "campaign", "agent", "store", "route",
               "batch", "partner", "rating", "flag", "tier", "origin", "target", "version"]
TYPE_WORDS = ["Address", "Money", "LineItem", "Customer", "Parcel", "Discount", "Payment",
              "Shipment", "Contact", "Window", "Tracking", "Rating", "Refund", "Voucher",
              "Carrier", "Route", "Stop", "Invoice", "Tax", "Device", "Status", "Channel",
              "Digest", "Token", "Region", "Tier", "Reason", "Quote"]
EVENT_NAMES = ["OrderPlaced", "OrderCancelled", "ShipmentDelayed", "PaymentCaptured",
               "RefundIssued", "InvoiceSent", "TicketOpened", "CartAbandoned"]
NAMESPACES = ["com.acme.orders", "com.acme.billing", "com.acme.shipping", "io.shop.events"]
SYMBOLS = ["NEW", "PENDING", "ACTIVE", "PAUSED", "DONE", "FAILED", "UNKNOWN", "LOW", "HIGH",
           "RED", "GREEN", "BLUE", "CARD", "CASH", "WIRE"]


def die(message: str) -> None:
    """Stop with exit code 2: the comparison could not run."""
    print(f"avro_oracle: {message}", file=sys.stderr)
    sys.exit(2)


# --------------------------------------------------------------------------- schema helpers

def collect_named(schema: Any, out: Optional[dict] = None) -> dict:
    """Map each named type's short name to its definition (names are unique per schema)."""
    out = {} if out is None else out
    if isinstance(schema, list):
        for branch in schema:
            collect_named(branch, out)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("record", "enum", "fixed"):
            out[schema["name"].rsplit(".", 1)[-1]] = schema
        if kind == "record":
            for f in schema["fields"]:
                collect_named(f["type"], out)
        elif kind == "array":
            collect_named(schema["items"], out)
        elif kind == "map":
            collect_named(schema["values"], out)
    return out


def lookup(name: str, named: dict) -> Any:
    return named[name.rsplit(".", 1)[-1]]


def default_for(t: Any, named: dict) -> Any:
    """A JSON default that fits `t` (a union's default fits its first branch)."""
    if isinstance(t, list):
        return default_for(t[0], named)
    if isinstance(t, str):
        if t == "null":
            return None
        if t == "boolean":
            return False
        if t in ("int", "long", "float", "double"):
            return 0  # a JSON integer fits every numeric type, so promotions keep it valid
        if t in ("string", "bytes"):
            return ""
        return default_for(lookup(t, named), named)
    kind = t["type"]
    if kind == "record":
        return {f["name"]: f["default"] if "default" in f else default_for(f["type"], named)
                for f in t["fields"]}
    if kind == "enum":
        return t["symbols"][0]
    if kind == "fixed":
        return "\u0000" * t["size"]
    if kind == "array":
        return []
    if kind == "map":
        return {}
    if kind == "bytes" and t.get("logicalType") == "decimal":
        return "\u0000"
    return default_for(kind, named)


def default_fits(t: Any, value: Any, named: dict) -> bool:
    """Whether `value` is a valid JSON default for `t`, strictly (unions: the first branch)."""
    if isinstance(t, list):
        return default_fits(t[0], value, named)
    if isinstance(t, str):
        if t == "null":
            return value is None
        if t == "boolean":
            return isinstance(value, bool)
        if t in ("int", "long"):
            return isinstance(value, int) and not isinstance(value, bool)
        if t in ("float", "double"):
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if t == "string":
            return isinstance(value, str)
        if t == "bytes":
            return isinstance(value, str) and all(ord(c) < 256 for c in value)
        return default_fits(lookup(t, named), value, named)
    kind = t["type"]
    if kind == "record":
        return (isinstance(value, dict) and set(value) <= {f["name"] for f in t["fields"]}
                and all(default_fits(f["type"], value[f["name"]], named) if f["name"] in value
                        else False for f in t["fields"]))
    if kind == "enum":
        return value in t["symbols"]
    if kind == "fixed":
        return (isinstance(value, str) and len(value) == t["size"]
                and all(ord(c) < 256 for c in value))
    if kind == "array":
        return isinstance(value, list) and all(default_fits(t["items"], v, named) for v in value)
    if kind == "map":
        return isinstance(value, dict) and all(default_fits(t["values"], v, named)
                                               for v in value.values())
    return default_fits(kind, value, named)


def fix_defaults(schema: dict) -> None:
    """Replace every field default that an evolution made invalid by one that fits."""
    named = collect_named(schema)

    def walk(t: Any) -> None:
        if isinstance(t, list):
            for b in t:
                walk(b)
        elif isinstance(t, dict):
            if t.get("type") == "record":
                for f in t["fields"]:
                    walk(f["type"])
                    if "default" in f and not default_fits(f["type"], f["default"], named):
                        f["default"] = default_for(f["type"], named)
            elif t.get("type") == "array":
                walk(t["items"])
            elif t.get("type") == "map":
                walk(t["values"])

    walk(schema)


def qualify_aliases(schema: Any) -> Any:
    """A copy of `schema` whose named-type aliases are fully qualified, as the specification
    reads them ("Aliases": relative to the namespace of the name they alias). The Python
    checker compares the alias strings as written with the writer's full name."""

    def walk(t: Any, ns: Optional[str]) -> Any:
        if isinstance(t, list):
            return [walk(b, ns) for b in t]
        if not isinstance(t, dict):
            return t
        t = dict(t)
        kind = t.get("type")
        if kind in ("record", "enum", "fixed"):
            if "." in t["name"]:
                ns = t["name"].rsplit(".", 1)[0]
            elif "namespace" in t:
                ns = t["namespace"] or None
            if "aliases" in t:
                t["aliases"] = [a if "." in a or not ns else f"{ns}.{a}" for a in t["aliases"]]
        if kind == "record":
            t["fields"] = [dict(f, type=walk(f["type"], ns)) for f in t["fields"]]
        elif kind == "array":
            t["items"] = walk(t["items"], ns)
        elif kind == "map":
            t["values"] = walk(t["values"], ns)
        return t

    return walk(schema, None)


def rename_refs(t: Any, old: str, new: str) -> Any:
    """Rewrite references by name from `old` to `new` (definitions are renamed by the caller)."""
    if isinstance(t, str):
        return new if t == old else t
    if isinstance(t, list):
        return [rename_refs(b, old, new) for b in t]
    d = dict(t)
    if d["type"] == "record":
        d["fields"] = [dict(f, type=rename_refs(f["type"], old, new)) for f in d["fields"]]
    elif d["type"] == "array":
        d["items"] = rename_refs(d["items"], old, new)
    elif d["type"] == "map":
        d["values"] = rename_refs(d["values"], old, new)
    return d


def fld(name: str, t: Any, default: Any = ..., **extra: Any) -> dict:
    f = {"name": name, "type": t}
    f.update(extra)
    if default is not ...:
        f["default"] = default
    return f


# --------------------------------------------------------------------------- generator

@dataclass
class Change:
    """One evolution: the fields of a slot before and after, and whole-schema edits."""
    kind: str
    old: list
    new: list
    # Edits of the complete (old, new) schemas, for changes of the root record itself; may
    # return a more precise kind once the root's namespace is known.
    whole: Optional[Callable[[dict, dict], Optional[str]]] = None


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set = set()

    def _fresh(self, words: list) -> str:
        base = self.rng.choice(words)
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}{n}", n + 1
        self.used.add(name)
        return name

    def fname(self) -> str:
        return self._fresh(FIELD_WORDS)

    def tname(self) -> str:
        return self._fresh(TYPE_WORDS)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def enum(self, n: Optional[int] = None, default: bool = False) -> dict:
        symbols = self.rng.sample(SYMBOLS, n or self.rng.randint(2, 5))
        e = {"type": "enum", "name": self.tname(), "symbols": symbols}
        if default:
            e["default"] = self.rng.choice(symbols)
        return e

    def simple_type(self) -> Any:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(PRIMITIVES[1:])
        if r < 0.60:
            return ["null", self.rng.choice(PRIMITIVES[1:])]
        if r < 0.70:
            return {"type": "array", "items": self.rng.choice(PRIMITIVES[1:])}
        if r < 0.80:
            return {"type": "map", "values": self.rng.choice(PRIMITIVES[1:])}
        if r < 0.92:
            return self.enum(default=self.chance(0.5))
        return {"type": "fixed", "name": self.tname(), "size": self.rng.choice([4, 8, 16])}

    def field(self, t: Any = None, default: Optional[bool] = None) -> dict:
        t = self.simple_type() if t is None else t
        if default is None:
            default = self.chance(0.4)
        return fld(self.fname(), t, default_for(t, collect_named(t)) if default else ...)

    def filler(self, lo: int = 0, hi: int = 2) -> list:
        return [self.field() for _ in range(self.rng.randint(lo, hi))]

    def wrap(self, t_old: Any, t_new: Any) -> tuple:
        """Put a changed type inside an array, a map or an optional union, or leave it bare."""
        how = self.rng.choice(["bare", "bare", "array", "map", "optional"])
        if how == "array":
            return {"type": "array", "items": t_old}, {"type": "array", "items": t_new}, how
        if how == "map":
            return {"type": "map", "values": t_old}, {"type": "map", "values": t_new}, how
        if how == "optional":
            return ["null", t_old], ["null", t_new], how
        return t_old, t_new, how


def dflt_label(has: bool) -> str:
    return "default" if has else "no-default"


# Each kind builds a Change from a fresh Gen; kinds receive old and new slot contents that
# `place` then puts at the root, in a nested record, an array/map of records, and so on.

def k_add_field(g: Gen) -> Change:
    base = g.filler(1, 3)
    has = g.chance(0.5)
    new = g.field(default=has)
    return Change(f"add-field:{dflt_label(has)}", base, base + [new])


def k_remove_field(g: Gen) -> Change:
    base = g.filler(1, 3)
    has = g.chance(0.5)
    gone = g.field(default=has)
    at = g.rng.randint(0, len(base))
    return Change(f"remove-field:{dflt_label(has)}", base[:at] + [gone] + base[at:], base)


def k_rename_field(g: Gen) -> Change:
    base = g.filler(0, 2)
    t = g.simple_type()
    has_old, has_new, alias = g.chance(0.5), g.chance(0.5), g.chance(0.6)
    old_name, new_name = g.fname(), g.fname()
    named = collect_named(t)
    old_f = fld(old_name, t, default_for(t, named) if has_old else ...)
    new_f = fld(new_name, t, default_for(t, named) if has_new else ...)
    if alias:
        new_f["aliases"] = [old_name]
    kind = (f"rename-field:{'alias' if alias else 'no-alias'}:old-{dflt_label(has_old)}"
            f":new-{dflt_label(has_new)}")
    return Change(kind, base + [old_f], base + [new_f])


def _type_change(g: Gen, label: str, w: str, r: str) -> Change:
    t_old, t_new, how = g.wrap(w, r)
    has = g.chance(0.5)
    name = g.fname()
    old_f = fld(name, t_old, default_for(t_old, {}) if has else ...)
    new_f = fld(name, t_new, default_for(t_new, {}) if has else ...)
    base = g.filler(0, 2)
    return Change(f"{label}:{w}->{r}:{how}", base + [old_f], [*base, new_f])


def k_promote(g: Gen) -> Change:
    return _type_change(g, "promote", *g.rng.choice(PROMOTIONS))


def k_narrow(g: Gen) -> Change:
    w, r = g.rng.choice(PROMOTIONS)
    return _type_change(g, "narrow", r, w)


def k_unrelated(g: Gen) -> Change:
    a, b = g.rng.choice(UNRELATED)
    return _type_change(g, "type-change", *((a, b) if g.chance(0.5) else (b, a)))


def _enum_change(g: Gen, add: bool) -> Change:
    old_def, new_def = g.chance(0.5), g.chance(0.5)
    symbols = g.rng.sample(SYMBOLS, g.rng.randint(3, 6))
    name = g.tname()
    if add:
        old_syms, new_syms = symbols[:-1], symbols
    else:
        old_syms, new_syms = symbols, symbols[:-1]
    common = [s for s in old_syms if s in new_syms]
    default_sym = g.rng.choice(common)  # kept by both versions, so it is always a symbol
    e_old = {"type": "enum", "name": name, "symbols": old_syms}
    e_new = {"type": "enum", "name": name, "symbols": new_syms}
    if old_def:
        e_old["default"] = default_sym
    if new_def:
        e_new["default"] = default_sym
    t_old, t_new, how = g.wrap(e_old, e_new)
    fname = g.fname()
    has = g.chance(0.4)
    base = g.filler(0, 2)
    kind = (f"enum-{'add' if add else 'remove'}-symbol:old-{'default' if old_def else 'none'}"
            f":new-{'default' if new_def else 'none'}:{how}")
    return Change(kind,
                  base + [fld(fname, t_old, default_for(t_old, {name: e_old}) if has else ...)],
                  base + [fld(fname, t_new, default_for(t_new, {name: e_new}) if has else ...)])


def k_enum_add(g: Gen) -> Change:
    return _enum_change(g, True)


def k_enum_remove(g: Gen) -> Change:
    return _enum_change(g, False)


def _union_variants(g: Gen) -> tuple:
    """(narrower, wider, label): the wider type accepts every value of the narrower one."""
    variant = g.rng.choice(["optional", "optional-last", "extra-branch", "plain-to-union",
                            "record-branch", "optional-named", "promote-into-union"])
    p, q = g.rng.sample(["int", "long", "string", "boolean", "double", "bytes"], 2)
    if variant == "optional-named":
        named = g.rng.choice([
            {"type": "record", "name": g.tname(), "fields": [fld(g.fname(), "string")]},
            g.enum(),
            {"type": "fixed", "name": g.tname(), "size": 8}])
        return named, ["null", copy.deepcopy(named)], variant
    if variant == "promote-into-union":
        # The reader's union has no branch of the writer's type, only one it promotes to.
        w, r = g.rng.choice(PROMOTIONS)
        return w, ["null", r], f"{variant}:{w}->{r}"
    if variant == "optional":
        return p, ["null", p], variant
    if variant == "optional-last":
        return p, [p, "null"], variant
    if variant == "extra-branch":
        return ["null", p], ["null", p, q], variant
    if variant == "plain-to-union":
        return p, [p, q], variant
    r1 = {"type": "record", "name": g.tname(), "fields": [fld(g.fname(), "string")]}
    r2 = {"type": "record", "name": g.tname(), "fields": [fld(g.fname(), "long")]}
    return ["null", r1], ["null", r1, r2], variant


def _union_change(g: Gen, add: bool) -> Change:
    narrow, wide, variant = _union_variants(g)
    t_old, t_new = (narrow, wide) if add else (wide, narrow)
    has = g.chance(0.5)
    name = g.fname()
    base = g.filler(0, 2)
    return Change(f"union-{'add' if add else 'remove'}-branch:{variant}:{dflt_label(has)}",
                  base + [fld(name, t_old, default_for(t_old, collect_named(t_old)) if has else ...)],
                  base + [fld(name, t_new, default_for(t_new, collect_named(t_new)) if has else ...)])


def k_union_add(g: Gen) -> Change:
    return _union_change(g, True)


def k_union_remove(g: Gen) -> Change:
    return _union_change(g, False)


def _alias_for(variant: str, old_short: str, namespace: Optional[str]) -> Optional[list]:
    """The `aliases` a renamed type gets: none, the old full name, the old name relative to the
    type's namespace, or a name that does not match the writer."""
    if variant == "full":
        return [f"{namespace}.{old_short}" if namespace else old_short]
    if variant == "relative":
        return [old_short]
    if variant == "wrong":
        return [f"{namespace}.Other{old_short}" if namespace else f"Other{old_short}"]
    return None


def k_fixed(g: Gen) -> Change:
    name = g.tname()
    size = g.rng.choice([4, 8, 12, 16])
    old = {"type": "fixed", "name": name, "size": size}
    new = dict(old)
    what = g.rng.choice(["size", "name", "name", "both"])
    variant = "none"
    if what in ("size", "both"):
        new["size"] = size + g.rng.choice([-2, 4])
    if what in ("name", "both"):
        variant = g.rng.choice(["none", "full", "relative", "wrong"])
        # The whole-schema hook fills in the aliases once it knows the root's namespace, which
        # the type inherits.
        new.update(name=g.tname(), _alias=variant, _was=name)
    t_old, t_new, how = g.wrap(old, new)
    fname = g.fname()
    base = g.filler(0, 2)
    return Change(f"fixed-{what}-change:alias-{variant}:{how}",
                  base + [fld(fname, t_old)], base + [fld(fname, t_new)],
                  whole=_resolve_alias_marks)


def _resolve_alias_marks(old: dict, new: dict) -> None:
    """Turn the `_alias` marks of renamed types into real aliases, now that the namespace they
    inherit from the root is known (old and new types of a pair share that namespace)."""
    ns = new.get("namespace")
    old_named = collect_named(old)
    new_named = collect_named(new)
    for t in new_named.values():
        variant = t.pop("_alias", None)
        if variant is None:
            continue
        old_short = t.pop("_was")
        assert old_short in old_named
        aliases = _alias_for(variant, old_short, ns)
        if aliases:
            t["aliases"] = aliases


def k_record_rename_nested(g: Gen) -> Change:
    name, new_name = g.tname(), g.tname()
    inner = [g.field(t=g.rng.choice(["string", "long", "int"]), default=g.chance(0.3))
             for _ in range(g.rng.randint(1, 3))]
    old = {"type": "record", "name": name, "fields": inner}
    variant = g.rng.choice(["none", "full", "relative", "relative", "wrong"])
    new = dict(old, name=new_name, _alias=variant, _was=name)
    old_f = fld(g.fname(), old)
    new_f = fld(old_f["name"], new)
    base = g.filler(0, 1)
    old_slot, new_slot = base + [old_f], base + [new_f]
    referenced = g.chance(0.5)
    if referenced:  # a later reference by name must follow the rename
        rname = g.fname()
        old_slot.append(fld(rname, ["null", name], None))
        new_slot.append(fld(rname, ["null", new_name], None))
    return Change(f"record-rename-nested:alias-{variant}:{'referenced' if referenced else 'once'}",
                  old_slot, new_slot, whole=_resolve_alias_marks)


def k_record_rename_root(g: Gen) -> Change:
    base = g.filler(1, 3)
    variant = g.rng.choice(["none", "full", "relative", "relative", "wrong", "full-new-namespace"])

    def edit(old: dict, new: dict) -> Optional[str]:
        old_short = old["name"]
        ns = old.get("namespace")
        new["name"] = old_short + "V2"
        if variant == "full-new-namespace":
            # Moved and renamed at once: only the old full name as an alias links them. A name
            # in the null namespace has no full form that differs from a relative alias, and a
            # relative alias resolves in the new namespace: nothing can link them.
            new["namespace"] = "com.acme.moved"
            new["aliases"] = [f"{ns}.{old_short}" if ns else old_short]
            if not ns:
                return "record-rename-root:alias-from-null-namespace"
        else:
            aliases = _alias_for(variant, old_short, ns)
            if aliases:
                new["aliases"] = aliases
        return None

    return Change(f"record-rename-root:alias-{variant}", base, copy.deepcopy(base), whole=edit)


def k_namespace(g: Gen) -> Change:
    variant = g.rng.choice(["root", "root-removed", "nested"])
    base = g.filler(1, 2)
    if variant == "nested":
        inner = [g.field(t="string"), g.field(t="long", default=True)]
        name = g.tname()
        old_r = {"type": "record", "name": name, "namespace": "com.acme.common", "fields": inner}
        new_r = dict(old_r, namespace="com.acme.shared")
        fname = g.fname()
        return Change("namespace-change:nested", base + [fld(fname, old_r)],
                      base + [fld(fname, new_r)])

    def edit(old: dict, new: dict) -> Optional[str]:
        if variant == "root-removed" and "namespace" in new:
            del new["namespace"]
            return None
        new["namespace"] = "com.acme.renamed"
        return None if "namespace" in old else "namespace-change:root-added"

    return Change(f"namespace-change:{variant}", base, copy.deepcopy(base), whole=edit)


def _record_body_change(g: Gen, fields: list) -> tuple:
    """Change the field list of a record that is referenced by name: (new fields, label)."""
    what = g.rng.choice(["add-default", "add-no-default", "remove-default", "remove-no-default",
                         "promote", "narrow", "none"])
    new = copy.deepcopy(fields)
    if what == "add-default":
        new.append(g.field(t=g.rng.choice(["string", "long", ["null", "string"]]), default=True))
    elif what == "add-no-default":
        new.append(g.field(t=g.rng.choice(["string", "long", "boolean"]), default=False))
    elif what.startswith("remove"):
        fields.append(g.field(t="string", default=what == "remove-default"))
    elif what in ("promote", "narrow"):
        w, r = g.rng.choice(PROMOTIONS)
        if what == "narrow":
            w, r = r, w
        f = g.field(t=w, default=g.chance(0.5))
        fields.append(f)
        new.append(dict(f, type=r))
    return new, what


def k_named_ref(g: Gen) -> Change:
    """A record defined once and referenced by name later in the same schema, then changed."""
    name = g.tname()
    fields = [g.field(t="string"), g.field(t=g.rng.choice(["long", "double"]))]
    new_fields, what = _record_body_change(g, fields)
    old_r = {"type": "record", "name": name, "fields": fields}
    new_r = {"type": "record", "name": name, "fields": new_fields}
    ref_how = g.rng.choice(["optional", "array", "map", "bare"])
    ref = {"optional": ["null", name], "array": {"type": "array", "items": name},
           "map": {"type": "map", "values": name}, "bare": name}[ref_how]
    first, second = g.fname(), g.fname()
    base = g.filler(0, 1)
    ref_default = ... if ref_how == "bare" or g.chance(0.3) else default_for(ref, {name: old_r})
    return Change(f"named-ref:{what}:ref-{ref_how}",
                  base + [fld(first, old_r), fld(second, ref, ref_default)],
                  base + [fld(first, new_r), fld(second, copy.deepcopy(ref), ref_default)])


def k_recursive(g: Gen) -> Change:
    """A linked list or a tree: the type refers to itself by name."""
    shape = g.rng.choice(["list", "tree"])
    name = g._fresh(["Node"] if shape == "list" else ["Tree"])
    value = g.field(t=g.rng.choice(["long", "int", "string"]))
    link = (fld("next", ["null", name], None) if shape == "list"
            else fld("children", {"type": "array", "items": name}, []))
    fields = [value, link]
    what = g.rng.choice(["body", "body", "rename"])
    if what == "body":
        new_fields, label = _record_body_change(g, fields)
        old_r = {"type": "record", "name": name, "fields": fields}
        new_r = {"type": "record", "name": name, "fields": new_fields}
        whole = None
    else:
        variant = g.rng.choice(["none", "full", "relative"])
        label = f"rename-alias-{variant}"
        new_name = g._fresh([name + "V2"])
        old_r = {"type": "record", "name": name, "fields": fields}
        new_r = rename_refs(old_r, name, new_name)
        new_r.update(name=new_name, _alias=variant, _was=name)
        whole = _resolve_alias_marks
    fname = g.fname()
    base = g.filler(0, 1)
    return Change(f"recursive-{shape}:{label}", base + [fld(fname, old_r)],
                  base + [fld(fname, new_r)], whole=whole)


def _decimal(p: int, s: int) -> dict:
    return {"type": "bytes", "logicalType": "decimal", "precision": p, "scale": s}


def k_decimal(g: Gen) -> Change:
    p, s = g.rng.randint(6, 18), g.rng.randint(0, 4)
    what = g.rng.choice(["precision", "scale", "both", "to-bytes", "from-bytes", "same"])
    old_t = _decimal(p, s)
    if what == "precision":
        new_t, fam = _decimal(p + g.rng.choice([-2, 2, 4]), s), "decimal-change"
    elif what == "scale":
        new_t, fam = _decimal(p, s + g.rng.choice([1, 2])), "decimal-change"
    elif what == "both":
        new_t, fam = _decimal(p + 4, s + 2), "decimal-change"
    elif what == "to-bytes":
        new_t, fam = "bytes", "decimal-bytes"
    elif what == "from-bytes":
        old_t, new_t, fam = "bytes", old_t, "decimal-bytes"
    else:
        new_t, fam = copy.deepcopy(old_t), "decimal-same"
    t_old, t_new, how = g.wrap(old_t, new_t)
    has = g.chance(0.4)
    name = g.fname()
    base = g.filler(0, 2)
    return Change(f"{fam}:{what}:{how}",
                  base + [fld(name, t_old, default_for(t_old, {}) if has else ...)],
                  base + [fld(name, t_new, default_for(t_new, {}) if has else ...)])


def k_timestamp(g: Gen) -> Change:
    millis = {"type": "long", "logicalType": "timestamp-millis"}
    micros = {"type": "long", "logicalType": "timestamp-micros"}
    forward = g.chance(0.7)
    t_old, t_new, how = g.wrap(*((millis, micros) if forward else (micros, millis)))
    name = g.fname()
    base = g.filler(0, 2)
    label = "millis->micros" if forward else "micros->millis"
    return Change(f"timestamp-unit:{label}:{how}", base + [fld(name, t_old)],
                  base + [fld(name, t_new)])


def k_cosmetic(g: Gen) -> Change:
    """Changes that never matter for resolution: none, reordered fields, docs, new defaults."""
    base = g.filler(2, 4)
    what = g.rng.choice(["identical", "reorder", "doc", "default-value"])
    new = copy.deepcopy(base)
    if what == "reorder":
        g.rng.shuffle(new)
    elif what == "doc":
        for f in new:
            f["doc"] = f"The {f['name']} of the event."
    elif what == "default-value":
        for f in new:
            if "default" in f and f["type"] == "string":
                f["default"] = "n/a"
            elif "default" in f and f["type"] in ("int", "long"):
                f["default"] = 7
    return Change(f"cosmetic:{what}", base, new)


KINDS: list = [
    (k_add_field, 8), (k_remove_field, 8), (k_rename_field, 8), (k_promote, 9), (k_narrow, 7),
    (k_unrelated, 3), (k_enum_add, 6), (k_enum_remove, 6), (k_union_add, 6), (k_union_remove, 6),
    (k_fixed, 5), (k_record_rename_nested, 6), (k_record_rename_root, 5), (k_namespace, 4),
    (k_named_ref, 7), (k_recursive, 6), (k_decimal, 6), (k_timestamp, 3), (k_cosmetic, 3),
]
# Kinds that combine into a "multi" pair; decimal changes stay alone so that a documented
# disagreement never hides another one.
MULTI_OK = [k for k, _ in KINDS if k not in (k_decimal, k_record_rename_root, k_namespace)]


def place(g: Gen, change: Change) -> tuple:
    """Put the slot in the root record, or inside a nested record reached through a field, an
    array, a map, an optional union or a named reference; returns (old fields, new fields, where)."""
    where = g.rng.choice(["root", "root", "root", "nested", "array", "map", "optional", "ref"])
    if where == "root":
        return change.old, change.new, where
    rname, fname = g.tname(), g.fname()
    rec_old = {"type": "record", "name": rname, "fields": change.old}
    rec_new = {"type": "record", "name": rname, "fields": change.new}

    def shape(rec: dict) -> list:
        if where == "nested":
            return [fld(fname, rec)]
        if where == "array":
            return [fld(fname, {"type": "array", "items": rec}, [] if g.chance(0.3) else ...)]
        if where == "map":
            return [fld(fname, {"type": "map", "values": rec})]
        if where == "optional":
            return [fld(fname, ["null", rec], None)]
        return [fld(fname, rec), fld(fname + "Again", ["null", rname], None)]

    state = g.rng.getstate()  # both shapes make the same random choices
    old = shape(rec_old)
    g.rng.setstate(state)
    new = shape(rec_new)
    return old, new, where


def make_pair(seed: int, index: int) -> tuple:
    """(kind, old schema, new schema) of pair `index`, independent of how many pairs are made."""
    rng = random.Random(f"{seed}:{index}")
    g = Gen(rng)
    event = rng.choice(EVENT_NAMES)
    g.used.add(event)
    namespace = rng.choice(NAMESPACES) if rng.random() < 0.85 else None
    kinds, weights = zip(*KINDS)
    if rng.random() < 0.12:
        parts = [rng.choice(MULTI_OK)(g) for _ in range(2)]
        change = Change("multi(" + " + ".join(p.kind for p in parts) + ")",
                        [f for p in parts for f in p.old], [f for p in parts for f in p.new],
                        whole=_resolve_alias_marks)
    else:
        change = rng.choices(kinds, weights)[0](g)
    old_slot, new_slot, where = place(g, change)
    head = [fld("eventId", {"type": "string", "logicalType": "uuid"}),
            fld("occurredAt", {"type": "long", "logicalType": "timestamp-millis"})]
    tail = g.filler(0, 2)

    def root(slot: list) -> dict:
        r = {"type": "record", "name": event}
        if namespace:
            r["namespace"] = namespace
        r["fields"] = copy.deepcopy(head) + slot + copy.deepcopy(tail)
        return r

    old, new = root(copy.deepcopy(old_slot)), root(copy.deepcopy(new_slot))
    if change.whole:
        change.kind = change.whole(old, new) or change.kind
    _strip_marks(old)
    _strip_marks(new)
    fix_defaults(old)
    fix_defaults(new)
    kind = change.kind if where == "root" else f"{change.kind}@{where}"
    return kind, old, new


def _strip_marks(t: Any) -> None:
    """Drop generator bookkeeping keys (a `_was` left over when no hook consumed it)."""
    if isinstance(t, list):
        for b in t:
            _strip_marks(b)
    elif isinstance(t, dict):
        for k in [k for k in t if k.startswith("_")]:
            del t[k]
        for f in t.get("fields", []):
            _strip_marks(f["type"])
        for k in ("items", "values"):
            if k in t:
                _strip_marks(t[k])


def family(kind: str) -> str:
    """The evolution family of a kind label: `decimal-change:scale:bare@map` -> `decimal-change`,
    `multi(a:x + b:y)@map` -> `multi`."""
    return kind.split("(", 1)[0].split(":", 1)[0].split("@", 1)[0]


# --------------------------------------------------------------------------- oracle

def load_avro():
    try:
        import avro  # noqa: F401
        import avro.schema
        from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
    except ImportError:
        die("the Python package `avro` is missing: pip install -r scripts/requirements-dev.txt")
    return avro.schema, ReaderWriterCompatibilityChecker, SchemaCompatibilityType


def parse_strict(schema_mod, text: str):
    """Parse with python avro; a warning (e.g. an ignored logical type) is a generator bug."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return schema_mod.parse(text)


def _check(avro_mods, old, new) -> dict:
    _, Checker, CompatType = avro_mods
    out = {}
    for direction, reader, writer in (("backward", new, old), ("forward", old, new)):
        # A fresh checker per question: it memoises results by schema identity.
        res = Checker().get_compatibility(reader=reader, writer=writer)
        ok = res.compatibility is CompatType.compatible
        out[direction] = {
            "compatible": ok,
            "incompatibilities": [] if ok else sorted({i.value for i in res.incompatibilities}),
            "messages": [] if ok else sorted(res.messages),
            "locations": [] if ok else sorted(res.locations),
        }
    return out


def oracle_verdicts(old_text: str, new_text: str, avro_mods, qualify: bool = True) -> dict:
    """The checker's verdicts both ways; with `qualify`, each direction also carries under
    "qualified" the verdict once relative aliases are made full, when that changes a schema."""
    schema_mod = avro_mods[0]
    out = _check(avro_mods, parse_strict(schema_mod, old_text), parse_strict(schema_mod, new_text))
    if qualify:
        old_j, new_j = json.loads(old_text), json.loads(new_text)
        old_q, new_q = qualify_aliases(old_j), qualify_aliases(new_j)
        if (old_q, new_q) != (old_j, new_j):
            q = _check(avro_mods, schema_mod.parse(json.dumps(old_q)),
                       schema_mod.parse(json.dumps(new_q)))
            for d in out:
                out[d]["qualified"] = q[d]
    return out


def read_pairs(work: Path) -> list:
    pairs_dir = work / "pairs"
    if not pairs_dir.is_dir():
        die(f"{pairs_dir} does not exist")
    manifest = {}
    if (work / "manifest.json").exists():
        manifest = json.loads((work / "manifest.json").read_text())["kinds"]
    out = []
    for d in sorted(p for p in pairs_dir.iterdir() if p.is_dir()):
        out.append((d.name, manifest.get(d.name, "?"), (d / "old.avsc").read_text(),
                    (d / "new.avsc").read_text()))
    return out


def oracle_only(work: Path, as_json: bool) -> int:
    avro_mods = load_avro()
    counts = {"pairs": 0, "backward_compatible": 0, "forward_compatible": 0}
    for _, _, old, new in read_pairs(work):
        v = oracle_verdicts(old, new, avro_mods, qualify=False)
        counts["pairs"] += 1
        counts["backward_compatible"] += v["backward"]["compatible"]
        counts["forward_compatible"] += v["forward"]["compatible"]
    if as_json:
        print(json.dumps(counts))
    else:
        print(f"{counts['pairs']} pairs: {counts['backward_compatible']} backward compatible, "
              f"{counts['forward_compatible']} forward compatible (python avro)")
    return 0


# --------------------------------------------------------------------------- evreg

def run_evreg(evreg: str, old: Path, new: Path, direction: str, cwd: Path) -> dict:
    cmd = [evreg, "compat", str(old), str(new), "--mode", direction, "--output", "json",
           "--color", "never"]
    env = {k: v for k, v in os.environ.items() if k not in ("EVREG_OUTPUT", "EVREG_REGISTRY")}
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=cwd, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"compatible": None, "exit": None, "rules": [], "error": str(e)}
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError:
        return {"compatible": None, "exit": p.returncode, "rules": [],
                "error": (p.stderr or p.stdout).strip()[:500]}
    errors = [f for f in doc.get("findings", []) if f.get("severity") == "error"]
    return {
        "compatible": doc.get("compatible"),
        "exit": p.returncode,
        "rules": sorted({f["rule"] for f in errors}),
        "warnings": sorted({f["rule"] for f in doc.get("findings", [])
                            if f.get("severity") == "warning"}),
        "messages": [f"{f['rule']}: {f.get('message', '')}" for f in errors],
        "error": None if doc.get("compatible") is not None else
        "; ".join(f.get("message", "") for f in doc.get("findings", []))[:500],
    }


# --------------------------------------------------------------------------- work dir

def prepare_out(out: Optional[str]) -> Path:
    if out is None:
        return Path(tempfile.mkdtemp(prefix="avro-oracle-"))
    work = Path(out)
    if work.exists() and any(work.iterdir()):
        if not (work / MARKER).exists():
            die(f"{work} is not empty and was not made by this script")
        for sub in ("pairs", "registry"):
            shutil.rmtree(work / sub, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    (work / MARKER).write_text("work dir of scripts/avro_oracle.py; safe to delete\n")
    return work


def write_pairs(work: Path, pairs: list) -> None:
    reg = work / "registry"
    (reg / "schemas").mkdir(parents=True)
    (reg / "evreg.yaml").write_text("compatibility: FULL\n")
    for pid, _, old, new in pairs:
        d = work / "pairs" / pid
        d.mkdir(parents=True)
        (d / "old.avsc").write_text(old)
        (d / "new.avsc").write_text(new)
        subject = f"bench.pair.p{pid}"
        assert SUBJECT.match(subject), subject
        s = reg / "schemas" / subject
        s.mkdir()
        (s / "v1.avsc").write_text(old)
        (s / "v2.avsc").write_text(new)
    (work / "manifest.json").write_text(json.dumps(
        {"kinds": {pid: kind for pid, kind, _, _ in pairs}}, indent=1) + "\n")


# --------------------------------------------------------------------------- comparison

def classify(kind: str, oracle: dict, ev: dict) -> tuple:
    """(None, None) when both agree; else ("expected", reason) or ("unexplained", None)."""
    if ev["compatible"] is not None and ev["compatible"] == oracle["compatible"]:
        return None, None
    qualified = oracle.get("qualified")
    if (qualified is not None and ev["compatible"] is not None
            and ev["compatible"] == qualified["compatible"]):
        return "expected", "relative-alias"
    allowed = EXPECTED_SPEC.get(family(kind))
    if (allowed and oracle["compatible"] and ev["compatible"] is False
            and set(ev["rules"]) <= allowed):
        return "expected", "decimal"
    return "unexplained", None


def compare(work: Path, pairs: list, verdicts: dict, evreg: str, workers: int) -> dict:
    jobs = [(pid, d) for pid, *_ in pairs for d in ("backward", "forward")]
    results: dict = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futs = {pool.submit(run_evreg, evreg, work / "pairs" / pid / "old.avsc",
                            work / "pairs" / pid / "new.avsc", d, work): (pid, d)
                for pid, d in jobs}
        for n, fut in enumerate(concurrent.futures.as_completed(futs), 1):
            results[futs[fut]] = fut.result()
            if n % 500 == 0:
                print(f"  evreg: {n}/{len(jobs)} runs", file=sys.stderr)

    kinds = {pid: kind for pid, kind, _, _ in pairs}
    summary: dict = {"pairs": len(pairs), "directions": {}, "disagreements": []}
    for d in ("backward", "forward"):
        stats = {"agree": 0, "expected": 0, "unexplained": 0,
                 "both_compatible": 0, "both_incompatible": 0}
        for pid, *_ in pairs:
            o, e = verdicts[pid][d], results[(pid, d)]
            c, reason = classify(kinds[pid], o, e)
            if c is None:
                stats["agree"] += 1
                stats["both_compatible" if o["compatible"] else "both_incompatible"] += 1
                continue
            stats[c] += 1
            summary["disagreements"].append({
                "pair": pid, "direction": d, "kind": kinds[pid], "class": c, "reason": reason,
                "oracle": o, "evreg": e,
                "old": str(work / "pairs" / pid / "old.avsc"),
                "new": str(work / "pairs" / pid / "new.avsc"),
            })
        summary["directions"][d] = stats
    summary["unexplained"] = sum(s["unexplained"] for s in summary["directions"].values())
    summary["expected"] = sum(s["expected"] for s in summary["directions"].values())
    return summary


def verdict_word(v: Optional[bool]) -> str:
    return {True: "compatible", False: "incompatible", None: "could not run"}[v]


def print_report(summary: dict, seed: int, work: Path) -> None:
    print(f"evreg vs python avro (avro.compatibility): {summary['pairs']} pairs, seed {seed}")
    print(f"work dir: {work}")
    fams: dict = {}
    for k in summary["kinds"].values():
        fams[family(k)] = fams.get(family(k), 0) + 1
    print("evolution families: " + ", ".join(f"{f} {n}" for f, n in sorted(fams.items())))
    for d, s in summary["directions"].items():
        print(f"{d:9} agree {s['agree']}/{summary['pairs']} "
              f"({s['both_compatible']} both compatible, {s['both_incompatible']} both "
              f"incompatible); expected (spec) {s['expected']}; unexplained {s['unexplained']}")
    for cls, title in (("expected", "Expected (spec) disagreements"),
                       ("unexplained", "Unexplained disagreements")):
        rows = [x for x in summary["disagreements"] if x["class"] == cls]
        if not rows:
            continue
        print(f"\n{title} ({len(rows)}):")
        if cls == "expected":
            for reason, why in REASONS.items():
                sub = [x for x in rows if x["reason"] == reason]
                if sub:
                    print(f"  {reason} ({len(sub)}): {why}")
                for x in sub:
                    print(f"    pair {x['pair']} {x['direction']:8} oracle "
                          f"{verdict_word(x['oracle']['compatible'])}, evreg "
                          f"{verdict_word(x['evreg']['compatible'])} "
                          f"{' '.join(x['evreg']['rules'])}  kind {x['kind']}")
            continue
        for x in rows:
            o, e = x["oracle"], x["evreg"]
            print(f"  pair {x['pair']} {x['direction']}  kind {x['kind']}")
            print(f"    oracle: {verdict_word(o['compatible'])}"
                  + (f" {o['incompatibilities']} {o['messages']} at {o['locations']}"
                     if not o["compatible"] else ""))
            print(f"    evreg:  {verdict_word(e['compatible'])} (exit {e['exit']})"
                  + (f" {e['rules']}" if e["rules"] else ""))
            for m in e.get("messages", [])[:3]:
                print(f"      {m}")
            if e.get("error"):
                print(f"      {e['error']}")
            print(f"    files: {x['old']} {x['new']}")


# --------------------------------------------------------------------------- timing

def timed(cmd: list, cwd: Path) -> tuple:
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, p


def run_timing(work: Path, evreg: str, repeat: int) -> dict:
    py_cmd = [sys.executable, str(Path(__file__).resolve()), "--oracle-only", str(work)]
    ev_cmd = [evreg, "check", "--output", "json", "--color", "never"]
    py_times, ev_times = [], []
    for _ in range(repeat):
        t, p = timed(py_cmd, REPO)
        if p.returncode != 0:
            die(f"the timed oracle run failed: {p.stderr.strip()}")
        py_times.append(t)
        t, p = timed(ev_cmd, work / "registry")
        if p.returncode not in (0, 1):
            die(f"the timed `evreg check` failed (exit {p.returncode}): {p.stderr.strip()[:500]}")
        ev_times.append(t)
        try:
            ev_summary = json.loads(p.stdout).get("summary", {})
        except json.JSONDecodeError:
            ev_summary = {}
    return {"repeat": repeat,
            "python_oracle_s": {"best": min(py_times), "median": statistics.median(py_times)},
            "evreg_check_s": {"best": min(ev_times), "median": statistics.median(ev_times)},
            "evreg_check_summary": ev_summary}


# --------------------------------------------------------------------------- main

def main(argv: Optional[list] = None) -> int:
    ap = argparse.ArgumentParser(
        description="Compare evreg's Avro compatibility verdicts with Apache Avro's Python "
                    "checker (avro.compatibility) on randomly generated schema evolutions.",
        epilog="Exit codes: 0 every disagreement is documented (or none), 1 an unexplained "
               "disagreement, 2 setup error. Needs `pip install -r scripts/requirements-dev.txt` "
               "and `cargo build --release`.")
    ap.add_argument("--pairs", type=int, default=2000, metavar="N",
                    help="number of (old, new) schema pairs to generate (default: 2000)")
    ap.add_argument("--seed", type=int, default=1,
                    help="random seed; pair K is the same for any --pairs >= K (default: 1)")
    ap.add_argument("--out", metavar="DIR",
                    help="work dir for pairs/, registry/ and manifest.json (default: a new "
                         "temporary directory, kept for inspection); a rerun may reuse it")
    ap.add_argument("--evreg", default=str(DEFAULT_EVREG), metavar="PATH",
                    help=f"evreg binary (default: {DEFAULT_EVREG.relative_to(REPO)} of this repo)")
    ap.add_argument("--workers", type=int, default=2,
                    help="parallel evreg processes (default: 2, the cores of a CI machine)")
    ap.add_argument("--json", action="store_true",
                    help="print the summary (counts and every disagreement) as JSON")
    ap.add_argument("--generate-only", action="store_true",
                    help="write the pairs and the registry and check they parse; run no evreg")
    ap.add_argument("--time", action="store_true",
                    help="also time one Python process checking every pair both ways "
                         "(`--oracle-only DIR`) against `evreg check` on DIR/registry")
    ap.add_argument("--repeat", type=int, default=3,
                    help="timing runs per tool with --time; best and median are shown (default: 3)")
    ap.add_argument("--skip-compare", action="store_true",
                    help="with --time: time only, without the per-pair comparison")
    ap.add_argument("--oracle-only", metavar="DIR",
                    help="only compute python avro verdicts for the pairs in DIR (used by --time)")
    args = ap.parse_args(argv)

    if args.oracle_only:
        return oracle_only(Path(args.oracle_only), args.json)

    avro_mods = load_avro()
    if not args.generate_only and not os.access(args.evreg, os.X_OK):
        print(f"avro_oracle: no evreg binary at {args.evreg}: run `cargo build --release` "
              "or pass --evreg", file=sys.stderr)
        return 2

    work = prepare_out(args.out)
    pairs, verdicts = [], {}
    width = max(4, len(str(args.pairs)))
    for i in range(1, args.pairs + 1):
        pid = f"{i:0{width}d}"
        kind, old, new = make_pair(args.seed, i)
        old_text, new_text = json.dumps(old, indent=2) + "\n", json.dumps(new, indent=2) + "\n"
        try:
            verdicts[pid] = oracle_verdicts(old_text, new_text, avro_mods)
        except Exception as e:  # a schema python avro rejects is a bug in this generator
            print(f"avro_oracle: generated pair {pid} ({kind}) does not parse: {e}\n"
                  f"old: {old_text}\nnew: {new_text}", file=sys.stderr)
            return 2
        pairs.append((pid, kind, old_text, new_text))
    write_pairs(work, pairs)
    if args.generate_only:
        print(f"{len(pairs)} pairs written to {work}; every schema parses with python avro")
        return 0

    summary: dict = {"pairs": len(pairs), "seed": args.seed, "work_dir": str(work),
                     "reasons": REASONS}
    if not args.skip_compare:
        summary.update(compare(work, pairs, verdicts, args.evreg, args.workers))
        summary["kinds"] = {pid: kind for pid, kind, _, _ in pairs}
    if args.time:
        summary["timing"] = run_timing(work, args.evreg, args.repeat)

    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        if not args.skip_compare:
            print_report(summary, args.seed, work)
        if args.time:
            t = summary["timing"]
            print(f"\ntiming ({t['repeat']} runs, whole processes, {len(pairs)} pairs both ways):")
            print(f"  python avro oracle (--oracle-only): best {t['python_oracle_s']['best']:.2f} s,"
                  f" median {t['python_oracle_s']['median']:.2f} s")
            print(f"  evreg check (FULL):                 best {t['evreg_check_s']['best']:.2f} s,"
                  f" median {t['evreg_check_s']['median']:.2f} s")
    return 1 if summary.get("unexplained") else 0


if __name__ == "__main__":
    sys.exit(main())
