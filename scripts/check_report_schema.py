#!/usr/bin/env python3
"""Validate evreg's --output json against the published schema (schemas/evreg-report.schema.json).

Runs the given evreg binary on the test registries and validates each report with the Python
`jsonschema` package. Usage: python3 scripts/check_report_schema.py target/debug/evreg
"""
import json
import pathlib
import subprocess
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent
CASES = [
    ("tests/data/ok", ["check"]),
    ("tests/data/breaking", ["check"]),
    ("tests/data/invalid", ["check"]),
    ("tests/data/layout", ["check"]),
    ("tests/data/allow", ["check"]),
    ("tests/data/pairs", ["compat", "old.avsc", "new.avsc", "--mode", "full"]),
    ("tests/data/json-refs", ["check"]),
    ("tests/data/json-rules/json-required-added", ["compat", "old.schema.json", "new.schema.json", "--mode", "full"]),
    (".", ["check"]),
]


def main() -> int:
    evreg = pathlib.Path(sys.argv[1]).resolve()
    schema = json.loads((ROOT / "schemas/evreg-report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for folder, args in CASES:
        out = subprocess.run([str(evreg), *args, "--output", "json"], cwd=ROOT / folder, capture_output=True, text=True)
        errors = list(validator.iter_errors(json.loads(out.stdout)))
        for e in errors:
            print(f"{folder}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        failed += bool(errors)
    print(f"report schema: {len(CASES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
