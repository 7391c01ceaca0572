#!/usr/bin/env python3
"""`evreg serve` through Confluent's own Python client (confluent-kafka[avro,json,schemaregistry]).

Copies a registry to a temporary folder, serves it with `evreg serve --listen 127.0.0.1:0` and
checks, with the client's SchemaRegistryClient, serializers and deserializers:
  - subjects, versions, schemas by id, references to shared files;
  - AvroSerializer with auto.register.schemas off and on and with use.latest.version, read back
    with AvroDeserializer; the same with JSONSerializer / JSONDeserializer for a JSON Schema
    subject whose schema `$ref`s a shared file;
  - test_compatibility verdicts, each equal to `evreg compat OLD NEW --mode MODE`'s;
  - schema ids unchanged after a restart.
Exits 1 on the first disagreement, 2 when it cannot run.

With --url, the registry at URL is checked instead (no server is started, no restart): a remote
that `evreg publish` filled from REGISTRY_DIR, served by `evreg serve --writable`, where a new
compatible schema is accepted and an incompatible one refused with 409.

Usage: confluent_client_check.py EVREG_BINARY REGISTRY_DIR [--url URL]
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print(f"FAIL: {what}", file=sys.stderr)
        sys.exit(1)


class Server:
    def __init__(self, evreg, root, *extra):
        self.proc = subprocess.Popen(
            [evreg, "serve", "--listen", "127.0.0.1:0", "--poll", "0.2", *extra],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            err = self.proc.stderr.read()
            print(f"cannot start evreg serve: {line}{err}", file=sys.stderr)
            sys.exit(2)
        self.url = m.group(1)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=20)
        check(code == 0, f"evreg serve exits 0 on SIGTERM (got {code})")
        return self.proc.stderr.read()


def round_trips(label, serializer, deserializer, event, ctx, schema_id):
    """The three ways a producer finds its writer schema: each message names `schema_id` and
    reads back as the event."""
    for conf in ({"auto.register.schemas": False},
                 {"auto.register.schemas": True},
                 {"auto.register.schemas": False, "use.latest.version": True}):
        data = serializer(conf)(event, ctx)
        check(int.from_bytes(data[1:5], "big") == schema_id, f"{label} {conf}: the message names v2's id")
        check(deserializer(data, ctx) == event, f"{label} {conf}: the deserializer reads the event back")


def ids_of(client):
    out = {}
    for s in client.get_subjects():
        for v in client.get_versions(s):
            out[(s, v)] = client.get_version(s, v).schema_id
    return out


def refs(registered):
    return [SchemaReference(r.name, r.subject, r.version) for r in registered.schema.references or []]


def evreg_compat(evreg, old, new, mode):
    p = subprocess.run([evreg, "compat", old, new, "--mode", mode, "-q"], capture_output=True, text=True)
    check(p.returncode in (0, 1), f"evreg compat runs: {p.stdout}{p.stderr}")
    return p.returncode == 0


def main():
    args = sys.argv[1:]
    url = None
    if len(args) == 4 and args[2] == "--url":
        url = args[3]
    elif len(args) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    evreg, source = os.path.abspath(args[0]), args[1]
    work = tempfile.mkdtemp(prefix="evreg-confluent-")
    root = os.path.join(work, "registry")
    shutil.copytree(source, root)
    try:
        if url:
            client = SchemaRegistryClient({"url": url})
            verdicts = use(evreg, root, client, writable=True)
            print(f"confluent client: {verdicts} compatibility verdicts agree with evreg compat on {url}")
        else:
            run(evreg, root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"confluent client: {checks} checks passed")


def run(evreg, root):
    server = Server(evreg, root)
    client = SchemaRegistryClient({"url": server.url})
    verdicts = use(evreg, root, client, writable=False)
    # Ids survive a restart.
    before = ids_of(client)
    log = server.stop()
    check(re.search(r"^GET /subjects(\?\S*)? 200 \d+B ", log, re.M) is not None, f"one log line per request: {log[-500:]}")
    server = Server(evreg, root)
    client = SchemaRegistryClient({"url": server.url})
    check(ids_of(client) == before, "ids unchanged after a restart")
    server.stop()
    print(f"confluent client: {len(before)} subject versions, ids stable across a restart; "
          f"{verdicts} compatibility verdicts agree with evreg compat")


def use(evreg, root, client, writable):
    """Read, serialize, deserialize and test compatibility; returns the number of verdicts."""

    # Subjects, versions, schemas by id, references.
    subjects = client.get_subjects()
    check("shop.order.paid-value" in subjects, f"the naming template applies: {subjects}")
    check("shop.Money.avsc" in subjects and "common.schema.json" in subjects,
          f"shared files are subjects: {subjects}")
    check(client.get_versions("shop.order.paid-value") == [1, 2], "versions of shop.order.paid")
    latest = client.get_latest_version("shop.order.paid-value")
    check(latest.version == 2, "latest is v2")
    by_id = client.get_schema(latest.schema_id)
    check(json.loads(by_id.schema_str) == json.loads(latest.schema.schema_str), "schema by id")
    check([(r.name, r.subject, r.version) for r in by_id.references]
          == [("shop.Money", "shop.Money.avsc", 1)], f"Avro references: {by_id.references}")
    refund = client.get_latest_version("shop.refund.requested-value")
    check(refund.schema.schema_type == "JSON", "JSON Schema type")
    check([(r.name, r.subject) for r in refund.schema.references]
          == [("../common.schema.json", "common.schema.json")], f"JSON references: {refund.schema.references}")
    check(client.get_compatibility("shop.order.shipped-value") == "FULL_TRANSITIVE", "subject level")
    check(client.get_compatibility() == "BACKWARD", "registry level")
    check(set(client.get_schema_types()) == {"AVRO", "JSON"}, "schema types")
    try:
        client.get_version("shop.order.paid-value", 9)
        check(False, "a missing version is an error")
    except SchemaRegistryError as e:
        check(e.error_code == 40402, f"missing version: 40402, got {e.error_code}")
    try:
        client.get_latest_version("nobody")
        check(False, "a missing subject is an error")
    except SchemaRegistryError as e:
        check(e.error_code == 40401, f"missing subject: 40401, got {e.error_code}")

    # Avro: serialize and read back, three ways of finding the writer schema.
    paid_text = open(os.path.join(root, "schemas/shop.order.paid/v2.avsc")).read()
    paid = Schema(paid_text, "AVRO", refs(latest))
    event = {"orderId": "o-1", "total": {"cents": 1250, "currency": "EUR"}, "tip": None}
    ctx = SerializationContext("shop.order.paid", MessageField.VALUE)
    reader = AvroDeserializer(client)
    round_trips("Avro", lambda conf: AvroSerializer(client, paid, conf=conf), reader,
                event, ctx, latest.schema_id)
    # A schema git does not have: refused read-only; writable, accepted when compatible (409
    # otherwise).
    breaking = paid_text.replace('"default": null', '"default": null}, {"name": "note", "type": "string"')
    if not writable:
        try:
            AvroSerializer(client, Schema(breaking, "AVRO", refs(latest)),
                           conf={"auto.register.schemas": True})(event, ctx)
            check(False, "registering a new schema on a read-only registry fails")
        except Exception as e:  # the serializer wraps the client's error
            check("42205" in str(e) or "read-only" in str(e), f"read-only refusal: {e}")
    else:
        try:
            client.register_schema("shop.order.paid-value", Schema(breaking, "AVRO", refs(latest)))
            check(False, "an incompatible schema is refused")
        except SchemaRegistryError as e:
            check(e.http_status_code == 409, f"409 for an incompatible schema: {e}")
        compatible = breaking.replace('"type": "string"}', '"type": "string", "default": ""}')
        new_event = dict(event, note="gift")
        data = AvroSerializer(client, Schema(compatible, "AVRO", refs(latest)),
                              conf={"auto.register.schemas": True})(new_event, ctx)
        check(AvroDeserializer(client)(data, ctx) == new_event, "a registered v3 serializes and reads back")
        check(client.get_versions("shop.order.paid-value") == [1, 2, 3], "v3 is registered")
        check(client.get_version("shop.order.paid-value", 3).schema_id == int.from_bytes(data[1:5], "big"),
              "the message names v3's id")

    # JSON Schema with `$ref`s to a shared file.
    refund_text = open(os.path.join(root, "schemas/shop.refund.requested/v2.schema.json")).read()
    refund_schema = Schema(refund_text, "JSON", refs(refund))
    rctx = SerializationContext("shop.refund.requested", MessageField.VALUE)
    revent = {"refundId": "r-1", "amount": {"cents": 300, "currency": "EUR"}, "reason": "late"}
    jreader = JSONDeserializer(None, schema_registry_client=client)
    round_trips("JSON", lambda conf: JSONSerializer(refund_schema, client, conf=conf), jreader,
                revent, rctx, refund.schema_id)
    try:
        JSONSerializer(refund_schema, client, conf={"auto.register.schemas": False})(
            {"refundId": "r-1", "amount": {"cents": -1, "currency": "EUR"}}, rctx)
        check(False, "an event the schema (through its $ref) rejects is not serialized")
    except Exception as e:
        check("cents" in str(e) or "minimum" in str(e) or "-1" in str(e), f"validation error: {e}")

    # test_compatibility verdicts equal `evreg compat`'s.
    candidates = {
        "shop.order.paid": [
            paid_text,
            open(os.path.join(root, "schemas/shop.order.paid/v1.avsc")).read(),
            paid_text.replace('"default": null}', '"default": null},\n    {"name": "note", "type": "string"}'),
            paid_text.replace('"default": null}', '"default": null},\n    {"name": "note", "type": "string", "default": ""}'),
            paid_text.replace('{"name": "orderId", "type": "string"}', '{"name": "orderId", "type": "long"}'),
        ],
        "shop.order.shipped": [
            open(os.path.join(root, "schemas/shop.order.shipped/v1.avsc")).read().replace('"UPS", ', ''),
            open(os.path.join(root, "schemas/shop.order.shipped/v1.avsc")).read().replace('"OTHER"]', '"OTHER", "FEDEX"]'),
        ],
        "shop.refund.requested": [
            refund_text,
            refund_text.replace('"maxLength": 200', '"maxLength": 20'),
            refund_text.replace('"required": ["refundId", "amount"]', '"required": ["refundId", "amount", "reason"]'),
            refund_text.replace('"maxLength": 200', '"maxLength": 500'),
        ],
    }
    verdicts = {True: 0, False: 0}
    for subject, texts in candidates.items():
        served = f"{subject}-value"
        try:
            mode = client.get_compatibility(served)
        except SchemaRegistryError:
            mode = client.get_compatibility()
        folder = os.path.join(root, "schemas", subject)
        kind = "JSON" if subject.startswith("shop.refund") else "AVRO"
        ext = ".schema.json" if kind == "JSON" else ".avsc"
        # The versions git has (a writable remote may have more by now).
        versions = [v for v in client.get_versions(served) if os.path.exists(os.path.join(folder, f"v{v}{ext}"))]
        base_refs = refs(client.get_latest_version(served))
        for i, text in enumerate(texts):
            # Beside the versions, so that its references resolve as theirs do.
            cand = os.path.join(folder, f"candidate{i}{ext}")
            with open(cand, "w") as f:
                f.write(text)
            for v in versions:
                got = client.test_compatibility(served, Schema(text, kind, base_refs), version=v)
                want = evreg_compat(evreg, os.path.join(folder, f"v{v}{ext}"), cand, mode)
                check(got == want, f"{subject} candidate {i} against v{v} under {mode}: client {got}, evreg compat {want}")
                verdicts[got] += 1
            os.remove(cand)
    check(verdicts[True] > 0 and verdicts[False] > 0, f"both verdicts were exercised: {verdicts}")
    return verdicts[True] + verdicts[False]


if __name__ == "__main__":
    main()
