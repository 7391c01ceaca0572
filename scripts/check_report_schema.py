#!/usr/bin/env python3
"""Validate evreg's machine-readable outputs on the test registries.

- `--output json` against the published schema (schemas/evreg-report.schema.json);
- `--output sarif` against the SARIF 2.1.0 schema, when its path is given (--sarif-schema);
- `--output junit` as well-formed XML whose failures match the error findings.

Validation uses the Python `jsonschema` package, an implementation independent of evreg.
Usage: python3 scripts/check_report_schema.py target/debug/evreg [--sarif-schema FILE]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

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


def run(evreg, folder, args, output):
    out = subprocess.run([str(evreg), *args, "--output", output], cwd=ROOT / folder, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"evreg {' '.join(args)} --output {output} in {folder} could not run:\n{out.stderr}")
    return out.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("evreg", type=pathlib.Path)
    parser.add_argument("--sarif-schema", type=pathlib.Path, help="the SARIF 2.1.0 JSON Schema")
    opts = parser.parse_args()
    evreg = opts.evreg.resolve()
    schema = json.loads((ROOT / "schemas/evreg-report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validators = {"json": jsonschema.Draft202012Validator(schema)}
    if opts.sarif_schema:
        sarif = json.loads(opts.sarif_schema.read_text())
        cls = jsonschema.validators.validator_for(sarif)
        validators["sarif"] = cls(sarif)
    passed = failed = 0
    for folder, args in CASES:
        for output, validator in validators.items():
            report = json.loads(run(evreg, folder, args, output))
            errors = list(validator.iter_errors(report))
            for e in errors[:5]:
                print(f"{output} {folder}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
            passed, failed = (passed, failed + 1) if errors else (passed + 1, failed)
        if args[0] == "check":
            errors = json.loads(run(evreg, folder, args, "json"))["summary"]["errors"]
            suites = ET.fromstring(run(evreg, folder, args, "junit"))
            failures = sum(int(s.get("failures")) for s in suites.iter("testsuite"))
            ok = (failures > 0) == (errors > 0) and int(suites.get("failures")) == failures
            if not ok:
                print(f"junit {folder}: {failures} failing checks for {errors} errors")
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print(f"report formats: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
