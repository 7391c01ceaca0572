#!/usr/bin/env python3
"""Generate a large JSON Schema registry for the benchmark: every subject's versions are compatible
under BACKWARD_TRANSITIVE (each version widens its predecessor: a new optional property in a
closed object, a longer maxLength, one more enum value), and every schema is an object with nested
arrays, local `$ref`s and a `$ref` to a shared definition in another file.

Usage: python3 scripts/gen_json_registry.py OUT --subjects 1000 --versions 10
"""
import argparse
import json
import pathlib

MONEY = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Money": {
            "type": "object",
            "properties": {
                "amount": {"type": "integer", "minimum": 0, "description": "minor units"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
            "required": ["amount", "currency"],
            "additionalProperties": False,
        }
    },
}


def version(subject: int, v: int) -> dict:
    statuses = ["NEW", "PAID", "SHIPPED"] + [f"STATE_{i}" for i in range(v)]
    line_props = {
        "sku": {"type": "string", "maxLength": 32 + v},
        "quantity": {"type": "integer", "minimum": 1},
        "price": {"$ref": "../money.schema.json#/$defs/Money"},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 16 + v}, "maxItems": 10 + v},
    }
    props = {
        "id": {"type": "string", "minLength": 1, "maxLength": 64},
        "status": {"enum": statuses},
        "total": {"$ref": "../money.schema.json#/$defs/Money"},
        "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}, "minItems": 1},
        "customer": {"$ref": "#/$defs/customer"},
    }
    for i in range(1, v):
        props[f"extra{i}"] = {"type": ["string", "null"], "maxLength": 100 + subject % 7}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Event {subject} v{v}",
        "type": "object",
        "properties": props,
        "required": ["id", "status", "total", "lines"],
        "additionalProperties": False,
        "$defs": {
            "line": {
                "type": "object",
                "properties": line_props,
                "required": ["sku", "quantity"],
                "additionalProperties": False,
            },
            "customer": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "addresses": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"city": {"type": "string"}, "zip": {"type": "string", "maxLength": 10 + v}},
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--subjects", type=int, default=1000)
    ap.add_argument("--versions", type=int, default=10)
    args = ap.parse_args()
    root = pathlib.Path(args.out)
    schemas = root / "schemas"
    schemas.mkdir(parents=True, exist_ok=True)
    (root / "evreg.yaml").write_text("compatibility: BACKWARD_TRANSITIVE\n")
    (schemas / "money.schema.json").write_text(json.dumps(MONEY, indent=2) + "\n")
    for s in range(args.subjects):
        d = schemas / f"bench.subject{s:04d}.happened"
        d.mkdir(exist_ok=True)
        for v in range(1, args.versions + 1):
            (d / f"v{v}.schema.json").write_text(json.dumps(version(s, v), indent=2) + "\n")
    print(f"{args.subjects} subjects x {args.versions} versions in {root}")


if __name__ == "__main__":
    main()
