#!/usr/bin/env python3
"""Generate a large evreg registry of evolving Avro schemas, for benchmarks.

Usage:
    python3 scripts/gen_registry.py OUT_DIR [--subjects 1000] [--versions 10]
        [--format avro] [--mode FULL_TRANSITIVE] [--seed 1] [--break-every K]

Writes OUT_DIR/evreg.yaml (`compatibility: MODE`), and for each subject
OUT_DIR/schemas/<svcNNN>.<aggN>.<event-N>/subject.yaml and v1.avsc .. vN.avsc.

Version 1 of a subject is a record of 10-30 fields: a uuid id, a timestamp, an enum with a
default, a Money record holding a decimal that is referenced by name again inside an array of
line items, maps, often an Address record (referenced by name again) and a fixed, and plain
fields of every primitive type.
Each later version makes one to three changes that are compatible under FULL_TRANSITIVE (so
under every mode): add a field with a default (to the event or to a nested record), add an
optional ["null", T] field (T possibly a named type referenced by name), add a symbol to an
enum that has a default, add a missing doc, or drop a field that has a default. A correct
checker therefore reports no compatibility finding, whatever MODE says.

--break-every K makes the last version of every K-th subject (the K-th, 2K-th, ...)
incompatible with its predecessor in a direction MODE checks: a field added without a default,
a field without a default removed, a type changed or narrowed, or an optional field made
required. The subjects broken and how are printed.

The output depends only on --seed and the subject's index, never on --subjects: subject 7 is the
same in a run of 30 subjects and in a run of 1000. OUT_DIR must be missing or empty.
Standard library only.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

MODES = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
NAMING = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*){2,}$")

ENTITIES = ["Order", "Shipment", "Invoice", "Subscription", "Ticket", "Refund", "Booking",
            "Account", "Parcel", "Quote", "Claim", "Delivery", "Return", "Voucher", "Cart"]
VERBS = ["Created", "Updated", "Approved", "Rejected", "Delayed", "Completed", "Cancelled",
         "Assigned", "Expired", "Reopened"]
ROOTS = ["customer", "merchant", "warehouse", "carrier", "tracking", "invoice", "discount", "tax",
         "region", "channel", "device", "session", "campaign", "promotion", "supplier", "agent",
         "store", "route", "batch", "contract", "partner", "priority", "loyalty", "gift", "risk",
         "fraud", "audit", "source", "target", "package", "label", "locale", "timezone", "review"]
# Suffixes by type, so a field's name hints at its type the way real schemas do.
SUFFIXES = {
    "string": ["Id", "Code", "Name", "Reference", "Label", "Url"],
    "int": ["Count", "Quantity", "Attempts", "Rank"],
    "long": ["Sequence", "SizeBytes", "DurationMs"],
    "boolean": ["Enabled", "Verified", "Requested"],
    "double": ["Score", "Ratio", "Weight"],
    "float": ["Factor", "Rate"],
    "bytes": ["Signature", "Token"],
    "timestamp": ["At"],
    "date": ["Date"],
    "strings": ["Tags", "Codes"],
    "stringmap": ["Attributes", "Labels"],
    "intmap": ["Counts", "Limits"],
    "optstring": ["Note", "Comment"],
    "optlong": ["ExternalSequence", "ParentSequence"],
}
REF_SUFFIXES = ["Snapshot", "Details", "Reference", "Context"]  # optional fields of a named type
DEFAULTS = {"string": "", "int": 0, "long": 0, "boolean": False, "double": 0.0, "float": 0.0,
            "bytes": "", "timestamp": 0, "date": 0, "strings": [], "stringmap": {},
            "intmap": {}, "optstring": None, "optlong": None}
ENUM_SYMBOLS = ["PENDING", "ACTIVE", "ON_HOLD", "SUSPENDED", "CLOSED", "ARCHIVED", "EXPIRED",
                "ESCALATED", "IN_REVIEW", "REFUNDED", "PARTIAL", "SCHEDULED", "DISPUTED",
                "VERIFIED", "BLOCKED", "MIGRATED", "MERGED", "SPLIT", "TRANSFERRED", "LOCKED"]
DECIMALS = [(12, 2), (18, 4), (10, 3), (20, 6)]


def avro_type(kind: str):
    """The Avro type of a plain field kind."""
    return {
        "timestamp": {"type": "long", "logicalType": "timestamp-millis"},
        "date": {"type": "int", "logicalType": "date"},
        "strings": {"type": "array", "items": "string"},
        "stringmap": {"type": "map", "values": "string"},
        "intmap": {"type": "map", "values": "int"},
        "optstring": ["null", "string"],
        "optlong": ["null", "long"],
    }.get(kind, kind)


def field(name, type_, doc=None, **rest):
    """A field with keys in the conventional order: name, type, doc, then the rest."""
    f = {"name": name, "type": type_}
    if doc:
        f["doc"] = doc
    f.update(rest)
    return f


def humanize(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r" \1", name).lower()


class Subject:
    """One subject's schema and the state its evolution needs across versions."""

    def __init__(self, index: int, seed: int):
        # Seeded by (seed, index) alone so a subject does not depend on how many are generated.
        self.rng = random.Random(f"{seed}:{index}")
        self.name = f"svc{index // 20:03d}.agg{(index // 5) % 4}.event-{index % 5 + 1}"
        self.service = f"svc{index // 20:03d}"
        self.namespace = f"com.example.bench.{self.service}"
        self.entity = self.rng.choice(ENTITIES)
        # Field names ever used per record, so a dropped field's name is never reused with
        # another type (which would break transitively).
        self.used: dict[str, set[str]] = {}
        # Fields that --break-every may alter; evolution never drops them.
        self.protected: set[str] = set()
        self.symbol_seq = 0
        self.schema = self.first_version()

    # -- version 1 ------------------------------------------------------------------------------

    def fresh_name(self, record: str, suffixes: list[str]) -> str:
        used = self.used.setdefault(record, set())
        for _ in range(50):
            name = self.rng.choice(ROOTS) + self.rng.choice(suffixes)
            if name not in used:
                break
        else:
            name = f"{self.rng.choice(ROOTS)}{self.rng.choice(suffixes)}{len(used)}"
        used.add(name)
        return name

    def plain_field(self, record: str, kind: str | None = None, with_default: bool = False, doc_p: float = 0.8):
        kind = kind or self.rng.choice(list(SUFFIXES))
        name = self.fresh_name(record, SUFFIXES[kind])
        doc = f"The {humanize(name)}." if self.rng.random() < doc_p else None
        rest = {"default": DEFAULTS[kind]} if with_default or kind.startswith("opt") else {}
        return field(name, avro_type(kind), doc, **rest)

    def record(self, name, doc, fields):
        self.used.setdefault(name, set()).update(f["name"] for f in fields)
        return {"type": "record", "name": name, "doc": doc, "fields": fields}

    def first_version(self):
        rng, e = self.rng, self.entity
        top = f"{e}{rng.choice(VERBS)}"
        precision, scale = rng.choice(DECIMALS)
        status = f"{e}Status"
        money = self.record("Money", "An amount of money in one currency.", [
            field("amount", {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale},
                  f"The amount, decimal({precision},{scale})."),
            field("currencyCode", "string", "ISO 4217 code of the amount."),
        ])
        line = self.record("LineItem", "One line of the event: a product, how many, at what price.", [
            field("sku", "string", "Stock-keeping unit."),
            field("quantity", "int", "Units, at least 1."),
            field("unitPrice", "Money", "Price of one unit."),  # Money referenced by name
            field("attributes", {"type": "map", "values": "string"}, "Free-form product attributes.", default={}),
        ])
        symbols = rng.sample(ENUM_SYMBOLS[:8], rng.randint(3, 5)) + ["UNKNOWN"]
        # Structural fields, in an order where every named type is defined before it is referenced.
        blocks = [
            field(f"{e[0].lower()}{e[1:]}Id", {"type": "string", "logicalType": "uuid"}, f"Unique id of the {e.lower()}."),
            field("occurredAt", {"type": "long", "logicalType": "timestamp-millis"}, "When it happened."),
            field("status", {"type": "enum", "name": status, "doc": f"Lifecycle state of the {e.lower()}.",
                             "symbols": symbols, "default": "UNKNOWN"}, "State after the event."),
            field("total", money, "Total amount."),
            field("lines", {"type": "array", "items": line}, "The lines, in display order."),
            field("sourceSystem", "string", "System that emitted the event."),
            field("revision", "long", "Revision of the aggregate after the event."),
            field("remark", ["null", "string"], "Optional free-text remark.", default=None),
        ]
        if rng.random() < 0.7:
            address = self.record("Address", "A postal address.", [
                field("street", "string", "Street and number."),
                field("city", "string", "City."),
                field("postalCode", "string", "Postal code."),
                field("countryCode", "string", "ISO 3166-1 alpha-2 country code."),
            ])
            blocks.append(field("shippingAddress", address, "Where goods go."))
            ref = "Address" if rng.random() < 0.5 else f"{self.namespace}.Address"
            blocks.append(field("billingAddress", ["null", ref], "Billing address, when it differs.", default=None))
        if rng.random() < 0.5:
            blocks.append(field("previousStatus", ["null", status], "State before the event.", default=None))
        if rng.random() < 0.4:
            blocks.append(field("checksum", {"type": "fixed", "name": "Md5", "doc": "An MD5 digest.", "size": 16},
                                "Digest of the source document."))
        blocks.append(field("discounts", {"type": "map", "values": "Money"}, "Discounts by promotion code.", default={}))
        self.used[top] = {f["name"] for f in blocks}
        self.protected = set(self.used[top])
        fields = list(blocks)
        for _ in range(max(0, rng.randint(10, 30) - len(blocks))):
            # Plain fields land anywhere: they neither define nor reference named types.
            fields.insert(rng.randint(0, len(fields)), self.plain_field(top, with_default=rng.random() < 0.3))
        return {"type": "record", "name": top, "namespace": self.namespace,
                "doc": f"A {humanize(top)} event ({self.name}).", "fields": fields}

    # -- later versions -------------------------------------------------------------------------

    def named(self, schema, kinds=("record", "enum", "fixed")):
        """Named type definitions in document order."""
        out = []

        def walk(t):
            if isinstance(t, list):
                for b in t:
                    walk(b)
            elif isinstance(t, dict):
                if t.get("type") in kinds and "name" in t:
                    out.append(t)
                for f in t.get("fields", []):
                    walk(f["type"])
                for key in ("items", "values"):
                    if key in t:
                        walk(t[key])

        walk(schema)
        return out

    def evolve(self):
        """The next version: one to three changes compatible under FULL_TRANSITIVE."""
        s = copy.deepcopy(self.schema)
        steps = [self.add_field, self.add_optional, self.add_symbol, self.add_doc, self.drop_defaulted]
        weights = [5, 3, 1, 2, 1]
        for _ in range(self.rng.randint(1, 3)):
            while not self.rng.choices(steps, weights)[0](s):
                pass  # that change did not apply to this schema; draw another
        self.schema = s
        return s

    def add_field(self, s):
        # Into the event or any nested record: old readers skip it, new readers use the default.
        rec = self.rng.choice(self.named(s, ("record",)))
        kind = self.rng.choice([k for k in SUFFIXES if not k.startswith("opt")])
        rec["fields"].append(self.plain_field(rec["name"], kind, with_default=True, doc_p=0.9))
        return True

    def add_optional(self, s):
        # At the end of the event, after every definition, so a named type can be referenced.
        if self.rng.random() < 0.5:
            target = self.rng.choice(self.named(s)[1:])  # [0] is the event itself: no recursion
            ref = target["name"] if self.rng.random() < 0.5 else f"{self.namespace}.{target['name']}"
            name = self.fresh_name(s["name"], REF_SUFFIXES)
            s["fields"].append(field(name, ["null", ref], f"Optional {target['name']}.", default=None))
        else:
            s["fields"].append(self.plain_field(s["name"], self.rng.choice(["optstring", "optlong"])))
        return True

    def add_symbol(self, s):
        # Safe both ways only because the enum has a default that old readers fall back to.
        enum = self.rng.choice(self.named(s, ("enum",)))
        assert "default" in enum
        free = [x for x in ENUM_SYMBOLS if x not in enum["symbols"]]
        if free:
            enum["symbols"].append(self.rng.choice(free))
        else:
            self.symbol_seq += 1
            enum["symbols"].append(f"EXTRA_{self.symbol_seq}")
        return True

    def add_doc(self, s):
        bare = [f for rec in self.named(s, ("record",)) for f in rec["fields"] if "doc" not in f]
        if not bare:
            return False
        f = self.rng.choice(bare)
        rest = {k: v for k, v in f.items() if k not in ("name", "type")}
        # Rebuilt in place to keep the key order name, type, doc, then the rest.
        name, type_ = f["name"], f["type"]
        f.clear()
        f.update(field(name, type_, f"The {humanize(name)}.", **rest))
        return True

    def drop_defaulted(self, s):
        # Readers that still have the field use its default; readers without it skip it.
        fields = s["fields"]
        candidates = [i for i, f in enumerate(fields)
                      if "default" in f and f["name"] not in self.protected and not self.defines_type(f["type"])]
        if len(fields) <= 10 or not candidates:  # keep the event at 10 fields or more
            return False
        del fields[self.rng.choice(candidates)]
        return True

    @staticmethod
    def defines_type(t) -> bool:
        if isinstance(t, list):
            return any(Subject.defines_type(b) for b in t)
        if isinstance(t, dict):
            return "name" in t or any(Subject.defines_type(t[k]) for k in ("items", "values") if k in t)
        return False

    # -- breaks ---------------------------------------------------------------------------------

    # Each break and the directions in which it makes the new version incompatible.
    BREAKS = {
        "add-required-field": {"backward"},  # the new reader has no value for old data
        "drop-required-field": {"forward"},  # old readers have no value for new data
        "change-type": {"backward", "forward"},  # string <-> int resolves neither way
        "narrow-long-to-int": {"backward"},  # int cannot read long; long can read int
        "optional-to-required": {"backward"},  # old data may hold null
    }

    def break_(self, s, directions: set[str]) -> str:
        """Make `s` incompatible with the previous version in one of `directions`; say how."""
        kinds = [k for k, d in self.BREAKS.items() if d & directions]
        kind = self.rng.choice(kinds)
        fields = s["fields"]
        by_name = {f["name"]: f for f in fields}
        if kind == "add-required-field":
            f = self.plain_field(s["name"], "string", doc_p=1.0)
            fields.append(f)
            return f"{kind} `{f['name']}`"
        if kind == "drop-required-field":
            candidates = [f for f in fields if "default" not in f and not self.defines_type(f["type"])]
            f = self.rng.choice(candidates)
            fields.remove(f)
            return f"{kind} `{f['name']}`"
        if kind == "change-type":
            by_name["sourceSystem"]["type"] = "int"
            return f"{kind} `sourceSystem` string -> int"
        if kind == "narrow-long-to-int":
            by_name["revision"]["type"] = "int"
            return f"{kind} `revision`"
        f = by_name["remark"]
        f["type"] = "string"
        del f["default"]
        return f"{kind} `remark`"


def directions(mode: str) -> set[str]:
    """The directions a mode checks."""
    if mode == "NONE":
        return set()
    if mode.startswith("BACKWARD"):
        return {"backward"}
    if mode.startswith("FORWARD"):
        return {"forward"}
    return {"backward", "forward"}


def positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def mode_arg(text: str) -> str:
    # Same leniency as evreg: full_transitive, Full-Transitive.
    m = text.upper().replace("-", "_")
    if m not in MODES:
        raise argparse.ArgumentTypeError(f"unknown mode `{text}` (one of {', '.join(MODES)})")
    return m


def dump(schema) -> bytes:
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Generate a large evreg registry of compatibly evolving Avro schemas.",
        epilog="Example: python3 scripts/gen_registry.py /tmp/bench --subjects 1000 --versions 10 --break-every 10",
    )
    ap.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="missing or empty folder to write the registry into")
    ap.add_argument("--subjects", type=positive, default=1000, help="number of subjects (default 1000)")
    ap.add_argument("--versions", type=positive, default=10, help="versions per subject (default 10)")
    ap.add_argument("--format", choices=["avro"], default="avro", help="schema format (only avro)")
    ap.add_argument("--mode", type=mode_arg, default="FULL_TRANSITIVE", help="compatibility mode in evreg.yaml (default FULL_TRANSITIVE)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--break-every", type=positive, metavar="K",
                    help="make the last version of every K-th subject incompatible under --mode")
    args = ap.parse_args(argv)
    if args.break_every and args.versions < 2:
        ap.error("--break-every needs --versions 2 or more: a break is a change from a previous version")
    if args.break_every and args.mode == "NONE":
        ap.error("--break-every needs a mode other than NONE: NONE checks nothing")

    out: Path = args.out_dir
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"gen_registry: {out} exists and is not an empty folder; refusing to write into it", file=sys.stderr)
        return 2

    files = 0
    size = 0

    def write(path: Path, data: bytes):
        nonlocal files, size
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files += 1
        size += len(data)

    write(out / "evreg.yaml", (
        "# Generated by scripts/gen_registry.py "
        f"--subjects {args.subjects} --versions {args.versions} --seed {args.seed}"
        + (f" --break-every {args.break_every}" if args.break_every else "") + "\n"
        f"compatibility: {args.mode}\n").encode())

    broken = []
    names = set()
    for i in range(args.subjects):
        sub = Subject(i, args.seed)
        assert NAMING.match(sub.name) and sub.name not in names, sub.name
        names.add(sub.name)
        folder = out / "schemas" / sub.name
        write(folder / "subject.yaml",
              f"owner: team-{sub.service}\ndescription: {sub.schema['doc']}\n".encode())
        write(folder / "v1.avsc", dump(sub.schema))
        for v in range(2, args.versions + 1):
            schema = sub.evolve()
            if v == args.versions and args.break_every and (i + 1) % args.break_every == 0:
                schema = copy.deepcopy(schema)
                broken.append((sub.name, v, sub.break_(schema, directions(args.mode))))
            write(folder / f"v{v}.avsc", dump(schema))

    print(f"wrote {out}: {args.subjects} subjects, {args.subjects * args.versions} versions "
          f"({args.format}, {args.mode}, seed {args.seed})")
    print(f"  {files} files, {size} bytes ({size / 1e6:.1f} MB)")
    if args.break_every:
        tally = Counter(how.split()[0] for _, _, how in broken)
        print(f"  {len(broken)} subjects broken in their last version: "
              + ", ".join(f"{k} {n}" for k, n in sorted(tally.items())))
        for name, v, how in broken:
            print(f"  broken {name} v{v}: {how}")
    else:
        print("  every version is compatible with every earlier one in both directions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
