#!/usr/bin/env python3
"""The Python `jsonschema` baseline for `evreg validate`: validate every event of an NDJSON stream
against the JSON Schema of the subject version its envelope names (payload only, formats asserted,
`$ref`s to the registry's shared files resolved in memory), as `evreg validate` does.

Usage: python3 scripts/bench_validate_python.py REGISTRY_ROOT EVENTS.ndjson
Prints the number of events and of invalid ones; used by scripts/bench.sh for the comparison.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource


def main() -> int:
    root = pathlib.Path(sys.argv[1]).resolve()
    resources = []
    for path in (root / "schemas").rglob("*.json"):
        uri = f"file:///evreg/{path.relative_to(root).as_posix()}"
        resources.append((uri, Resource.from_contents(json.loads(path.read_text()))))
    registry = Registry().with_resources(resources)
    validators = {}
    for path in (root / "schemas").glob("*/v*.schema.json"):
        subject, version = path.parent.name, int(path.name[1:].split(".")[0])
        uri = f"file:///evreg/{path.relative_to(root).as_posix()}"
        schema = registry.contents(uri)
        cls = jsonschema.validators.validator_for(schema)
        validators[(subject, version)] = cls({"$ref": uri}, registry=registry, format_checker=cls.FORMAT_CHECKER)
    events = invalid = 0
    with open(sys.argv[2], encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            events += 1
            event = json.loads(line)
            validator = validators.get((event.get("eventType"), event.get("eventVersion")))
            if validator is None or any(True for _ in validator.iter_errors(event.get("payload"))):
                invalid += 1
    print(f"{events} events, {invalid} invalid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
