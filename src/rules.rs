//! The rule catalogue: every finding names one of these. Ids are stable: never reused or renamed.
//! `evreg rules` lists them, `evreg explain RULE` prints one with a bad and a good example.

use crate::finding::{Category, Severity};

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub bad: &'static str,
    pub good: &'static str,
}

macro_rules! rules {
    ($( $ident:ident { $id:literal, $cat:ident, $sev:ident, $summary:literal, $expl:literal, bad: $bad:literal, good: $good:literal } )*) => {
        $( pub static $ident: Rule = Rule {
            id: $id,
            category: Category::$cat,
            severity: Severity::$sev,
            summary: $summary,
            explanation: $expl,
            bad: $bad,
            good: $good,
        }; )*
        /// Every rule, in catalogue order.
        pub static ALL: &[&Rule] = &[$( &$ident ),*];
    };
}

rules! {
    AVRO_TYPE_MISMATCH { "avro-type-mismatch", Compatibility, Error,
        "the reader's type cannot read the writer's type",
        "Avro resolves a writer's value into the reader's type only when both have the same type or \
the writer's type promotes to the reader's: int to long, float or double; long to float or double; \
float to double; string to bytes and bytes to string. Any other change of type (a narrowing such as \
long to int, or string to int) makes the reader fail on every record written before.",
        bad: r#"v1: {"name": "quantity", "type": "long"}
v2: {"name": "quantity", "type": "int"}      long data cannot be read as int"#,
        good: r#"v1: {"name": "quantity", "type": "int"}
v2: {"name": "quantity", "type": "long"}     int promotes to long
(to narrow a type, add a new field and deprecate the old one, or publish a new subject)"# }

    AVRO_FIELD_MISSING_DEFAULT { "avro-field-missing-default", Compatibility, Error,
        "a reader field is absent from the writer and has no default",
        "When the reader schema has a field the writer schema lacks, Avro fills it from the reader \
field's default. Without a default, reading fails. Under BACKWARD this is a field added without a \
default; under FORWARD it is a field removed from the new version that old readers still need.",
        bad: r#"v1: {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}
v2: adds {"name": "currency", "type": "string"}"#,
        good: r#"v2: adds {"name": "currency", "type": "string", "default": "EUR"}
or, for an optional value: {"name": "coupon", "type": ["null", "string"], "default": null}"# }

    AVRO_ENUM_SYMBOL_MISSING { "avro-enum-symbol-missing", Compatibility, Error,
        "the writer's enum has symbols the reader's enum lacks, and the reader has no enum default",
        "A reader that meets a symbol it does not know fails, unless its enum declares a `default` \
symbol to use instead. Under BACKWARD this is a symbol removed; under FORWARD a symbol added. Give the \
enum a default (in every version that reads other versions' data) before adding symbols.",
        bad: r#"v1: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}
v2: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "REFUNDED"]}   (FORWARD: v1 cannot read REFUNDED)"#,
        good: r#"v1: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "UNKNOWN"], "default": "UNKNOWN"}
v2: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "UNKNOWN", "REFUNDED"], "default": "UNKNOWN"}"# }

    AVRO_UNION_BRANCH_MISSING { "avro-union-branch-missing", Compatibility, Error,
        "a type the writer may write has no matching branch in the reader",
        "Each branch of a writer's union must resolve against the reader (against some branch if the \
reader is a union too), and a non-union writer type must resolve against some branch of a reader \
union. Removing a branch, or making an optional field required (`[\"null\", T]` to `T`), breaks readers \
of data that used the removed branch.",
        bad: r#"v1: {"name": "coupon", "type": ["null", "string"], "default": null}
v2: {"name": "coupon", "type": "string"}          v1 data may hold null"#,
        good: r#"v2: keep {"name": "coupon", "type": ["null", "string"], "default": null}
(adding a branch is backward compatible: ["null", "string", "int"])"# }

    AVRO_FIXED_SIZE_MISMATCH { "avro-fixed-size-mismatch", Compatibility, Error,
        "the fixed types have different sizes",
        "A fixed value is exactly `size` bytes; a reader cannot read a fixed of another size.",
        bad: r#"v1: {"type": "fixed", "name": "Hash", "size": 16}
v2: {"type": "fixed", "name": "Hash", "size": 32}"#,
        good: r#"v2: add a new field {"name": "hash256", "type": {"type": "fixed", "name": "Hash256", "size": 32}, ...}"# }

    AVRO_NAME_MISMATCH { "avro-name-mismatch", Compatibility, Error,
        "the named types (record, enum, fixed) have different names and no alias links them",
        "Avro matches named types by unqualified name, or by an alias of the reader's type that names \
the writer's full name. A rename without an alias breaks resolution. A change of namespace alone is \
compatible.",
        bad: r#"v1: {"type": "record", "name": "Address", ...}
v2: {"type": "record", "name": "PostalAddress", ...}"#,
        good: r#"v2: {"type": "record", "name": "PostalAddress", "aliases": ["com.example.Address"], ...}"# }

    AVRO_DECIMAL_MISMATCH { "avro-decimal-mismatch", Compatibility, Error,
        "decimal precision or scale differs",
        "The Avro specification matches two decimals only when precision and scale are equal. A decimal \
stores an unscaled integer; read with another scale, 19.99 (1999 at scale 2) becomes 1.999 or 199.9 — \
amounts silently change by powers of ten. Apache Avro's Java checker does not catch this; evreg does.",
        bad: r#"v1: {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}
v2: {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 4}"#,
        good: r#"keep precision and scale; for more digits add a new field (amountPrecise) and deprecate the old one"# }

    AVRO_LOGICAL_TYPE_CHANGED { "avro-logical-type-changed", Compatibility, Warning,
        "the logical type changed while the underlying type still resolves",
        "The bytes still decode, but the reader interprets them differently: a long read as \
timestamp-micros where timestamp-millis was written is off by a factor of 1000; bytes read as a \
decimal were never meant as one.",
        bad: r#"v1: {"type": "long", "logicalType": "timestamp-millis"}
v2: {"type": "long", "logicalType": "timestamp-micros"}"#,
        good: r#"keep the logical type; add a new field for the new unit"# }

    SCHEMA_PARSE_ERROR { "schema-parse-error", Layout, Error,
        "the schema file is not valid JSON (or not UTF-8)",
        "Every schema version must be a UTF-8 JSON document. The finding points at the first byte that \
could not be read.",
        bad: r#"{"type": "record", "name": "Order", "fields": [],}     trailing comma"#,
        good: r#"{"type": "record", "name": "Order", "fields": []}"# }

    AVRO_SCHEMA_INVALID { "avro-schema-invalid", Layout, Error,
        "the Avro schema breaks the specification",
        "The file is JSON but not a valid Avro schema: an unknown type name, a duplicate name, an \
invalid name, a missing attribute, a union inside a union, a default that does not fit its type. A \
version that does not parse cannot be checked for compatibility.",
        bad: r#"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "strng"}]}"#,
        good: r#"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}"# }

    AVRO_LOGICAL_TYPE_INVALID { "avro-logical-type-invalid", Lint, Warning,
        "a logical type is malformed and readers will ignore it",
        "The specification tells readers to ignore an invalid logical type (a decimal with scale above \
its precision, a timestamp on a string) and use the underlying type. That is rarely what the author \
meant.",
        bad: r#"{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 4}"#,
        good: r#"{"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 4}"# }

    AVRO_UNION_DEFAULT_NOT_FIRST { "avro-union-default-not-first", Lint, Warning,
        "a union field's default matches a branch other than the first",
        "Avro 1.12 lets a union default match any branch, but readers before 1.12 (and many non-Java \
libraries) require it to match the first branch and reject the schema.",
        bad: r#"{"name": "note", "type": ["string", "null"], "default": null}"#,
        good: r#"{"name": "note", "type": ["null", "string"], "default": null}"# }

    AVRO_DOC_MISSING { "avro-doc-missing", Lint, Info,
        "a record, enum, fixed or field has no `doc`",
        "Schemas are the API of an event-driven system; consumers read the docs to know what a field \
means, its unit and its invariants.",
        bad: r#"{"name": "amount", "type": "long"}"#,
        good: r#"{"name": "amount", "type": "long", "doc": "Total in minor units (cents) of `currency`."}"# }

    LAYOUT_VERSION_GAP { "layout-version-gap", Layout, Error,
        "a subject's versions are not numbered 1..N without gaps",
        "Versions are whole numbers from 1 with no gaps, so `v3` always follows `v2`. A gap usually \
means a version was deleted or misnamed; a published version must never be deleted.",
        bad: "schemas/orders.order.placed/v1.avsc, v3.avsc",
        good: "schemas/orders.order.placed/v1.avsc, v2.avsc, v3.avsc" }

    LAYOUT_VERSION_DUPLICATE { "layout-version-duplicate", Layout, Error,
        "two files claim the same version",
        "One version is one file: `v2.avsc` beside `v2.schema.json` leaves it unclear which is v2.",
        bad: "schemas/orders.order.placed/v2.avsc and v2.schema.json",
        good: "schemas/orders.order.placed/v2.avsc" }

    LAYOUT_MIXED_FORMATS { "layout-mixed-formats", Layout, Error,
        "a subject has versions in more than one format",
        "One subject has one format: compatibility between an Avro and a JSON Schema version is not \
defined. Publish the new format as a new subject.",
        bad: "schemas/orders.order.placed/v1.avsc, v2.schema.json",
        good: "schemas/orders.order.placed/v1.avsc, v2.avsc; schemas/orders.order.placed-json/v1.schema.json" }

    LAYOUT_SUBJECT_NAME { "layout-subject-name", Layout, Error,
        "the subject folder's name does not follow the naming rule",
        "Subject names follow `naming` in evreg.yaml; by default `{service}.{aggregate}.{event}` in \
lower case, with an optional `.v2`-style suffix for a breaking successor.",
        bad: "schemas/OrderPlaced/",
        good: "schemas/orders.order.placed/" }

    LAYOUT_NO_VERSIONS { "layout-no-versions", Layout, Error,
        "a subject folder holds no schema versions",
        "A subject exists once it has `v1.avsc` or `v1.schema.json`. An empty folder is usually a \
misspelt name or a deleted subject.",
        bad: "schemas/orders.order.placed/subject.yaml and nothing else",
        good: "schemas/orders.order.placed/v1.avsc" }

    LAYOUT_UNKNOWN_FILE { "layout-unknown-file", Layout, Warning,
        "a file in a subject folder is not a schema version or subject.yaml",
        "Only `vN.avsc`, `vN.schema.json` and `subject.yaml` belong in a subject folder; anything else \
is ignored, which usually means a misnamed version (`V2.avsc`, `v2.json`, `v02.avsc`).",
        bad: "schemas/orders.order.placed/v2.json",
        good: "schemas/orders.order.placed/v2.schema.json" }

    LAYOUT_OUTSIDE_REGISTRY { "layout-outside-registry", Layout, Error,
        "a symbolic link points outside the registry",
        "Every schema must live in the repository so its history is reviewed and versioned with it. \
evreg does not follow links that leave the registry root.",
        bad: "schemas/orders.order.placed/v1.avsc -> /tmp/order.avsc",
        good: "copy the file into schemas/orders.order.placed/v1.avsc" }

    ENGINE_UNSUPPORTED { "engine-unsupported", Layout, Warning,
        "this subject's format has no compatibility engine in this build",
        "The subject is listed and its files are parsed as JSON, but its versions are not compared.",
        bad: "schemas/shipping.parcel.dispatched/v2.schema.json (not compared)",
        good: "use a build of evreg whose JSON Schema engine is enabled" }

    VERSION_MODIFIED { "version-modified", Integrity, Error,
        "a published version was edited",
        "A published version is immutable: producers and consumers in production hold it. Its \
canonical form (the schema without whitespace, key order and documentation) must never change — not \
a type, a default, an alias. The baseline is `evreg.lock` or, with `--against REF`, the registry at \
that git ref.",
        bad: "editing schemas/orders.order.placed/v2.avsc after it was released",
        good: "revert the edit and publish the change as v3 (`evreg add orders.order.placed v3.avsc`); docs may be edited freely" }

    VERSION_DELETED { "version-deleted", Integrity, Error,
        "a published version was deleted",
        "Data written with a published version may still be in topics, logs and archives; readers \
need its schema. A version is never deleted; retire a subject by marking it deprecated instead.",
        bad: "git rm schemas/orders.order.placed/v1.avsc",
        good: "restore the file (`git checkout REF -- schemas/orders.order.placed/v1.avsc`)" }

    MODE_LOOSENED { "mode-loosened", Integrity, Warning,
        "a subject's compatibility mode promises less than it did",
        "Consumers rely on the mode's promises (e.g. that any version can read all older data). \
Loosening it (FULL_TRANSITIVE to BACKWARD, BACKWARD to NONE) lets the next version break them.",
        bad: "subject.yaml: compatibility: FULL_TRANSITIVE -> NONE",
        good: "keep the mode; publish a breaking change as a new subject" }

    LOCK_STALE { "lock-stale", Integrity, Info,
        "a version is not recorded in evreg.lock",
        "`evreg.lock` records the fingerprint of every published version so edits are caught even \
without git history. A version missing from it is new; record it once it is published.",
        bad: "schemas/orders.order.placed/v4.avsc with no line in evreg.lock",
        good: "run `evreg lock` and commit evreg.lock with the new version" }

    ENVELOPE_FIELD_MISSING { "envelope-field-missing", Envelope, Error,
        "a required envelope field is missing",
        "The envelope is part of the API: without `eventId` consumers cannot deduplicate a redelivered \
event, without `correlationId` nobody can trace a flow, without `eventType` and `eventVersion` the \
event cannot be routed to its schema.",
        bad: r#"{"eventType": "orders.order.placed", "eventVersion": 2, "payload": {...}}"#,
        good: r#"{"eventId": "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", "eventType": "orders.order.placed", "eventVersion": 2, "occurredAt": "2026-11-25T08:30:00Z", "correlationId": "checkout-7f3a", "payload": {...}}"# }

    ENVELOPE_FIELD_INVALID { "envelope-field-invalid", Envelope, Error,
        "an envelope field has the wrong form",
        "Each envelope field has a form: `eventId` a UUID, `occurredAt` and `publishedAt` RFC 3339 \
date-times with an offset, `eventVersion` and `aggregateVersion` whole numbers from 1, ids non-empty \
strings.",
        bad: r#""occurredAt": "25/11/2026 08:30""#,
        good: r#""occurredAt": "2026-11-25T08:30:00Z""# }

    ENVELOPE_TIME_ORDER { "envelope-time-order", Envelope, Error,
        "the event was published before it occurred",
        "`publishedAt` can never be before `occurredAt`; when it is, one of the clocks or the mapping \
is wrong, and consumers ordering by time will misorder events.",
        bad: r#""occurredAt": "2026-11-25T08:30:00Z", "publishedAt": "2026-11-25T08:29:00Z""#,
        good: r#""occurredAt": "2026-11-25T08:30:00Z", "publishedAt": "2026-11-25T08:30:01Z""# }

    ENVELOPE_UNKNOWN_FIELD { "envelope-unknown-field", Envelope, Warning,
        "the envelope holds a field the configured envelope does not define",
        "Usually a misspelt metadata field (`eventID`, `correlation_id`), which consumers will not find.",
        bad: r#""correlation_id": "checkout-7f3a""#,
        good: r#""correlationId": "checkout-7f3a""# }

    EVENT_UNKNOWN_SUBJECT { "event-unknown-subject", Envelope, Error,
        "the event names a subject the registry does not have",
        "Events are routed to their schema by the envelope's event type. An unknown type is a typo or a \
subject that was never registered.",
        bad: r#""eventType": "orders.order.plcaed""#,
        good: r#""eventType": "orders.order.placed"   (see `evreg list`)"# }

    EVENT_UNKNOWN_VERSION { "event-unknown-version", Envelope, Error,
        "the event names a version its subject does not have",
        "The envelope's version must name a registered version of the subject.",
        bad: r#""eventType": "orders.order.placed", "eventVersion": 9"#,
        good: r#""eventVersion": 3   (the subject has v1..v3)"# }

    EVENT_INVALID_JSON { "event-invalid-json", Fixture, Error,
        "an event is not valid JSON",
        "Each event (each line of an NDJSON stream) must be one UTF-8 JSON value. The rest of the stream \
is still validated.",
        bad: r#"{"eventId": "3f2a…", "payload": {"qty": 2,}}"#,
        good: r#"{"eventId": "3f2a…", "payload": {"qty": 2}}"# }

    PAYLOAD_INVALID { "payload-invalid", Fixture, Error,
        "the payload does not fit the schema of the version its envelope names",
        "The event's data must be valid under the subject's schema at the envelope's version; the finding \
points at the value and at the schema element it breaks.",
        bad: r#""payload": {"quantity": "2"}     quantity is an int"#,
        good: r#""payload": {"quantity": 2}"# }

    FIXTURE_UNEXPECTEDLY_VALID { "fixture-unexpectedly-valid", Fixture, Error,
        "a negative fixture is accepted",
        "Files under `fixtures/<subject>/vN/invalid/` are samples the version must reject. One that \
validates means the schema is looser than intended (a missing `required`, an open enum) or the sample \
is no longer negative.",
        bad: "fixtures/orders.order.placed/v1/invalid/quantity-as-string.json validates",
        good: "tighten the schema in a new version, or move the sample out of invalid/" }

    FIXTURE_MISMATCH { "fixture-mismatch", Fixture, Error,
        "a fixture's envelope names another subject or version than its folder",
        "A sample under `fixtures/<subject>/vN/` must be an event of that subject and version, or the \
check proves nothing about the version it sits under.",
        bad: r#"fixtures/orders.order.placed/v2/a.json with "eventVersion": 1"#,
        good: r#""eventVersion": 2, or move the file to fixtures/orders.order.placed/v1/"# }

    FIXTURE_ORPHAN { "fixture-orphan", Fixture, Error,
        "fixtures for a subject or version that does not exist",
        "`fixtures/<subject>/vN/` must name a registered subject and version.",
        bad: "fixtures/orders.order.placd/v1/",
        good: "fixtures/orders.order.placed/v1/" }

    FIXTURE_REPLAY_FAILED { "fixture-replay-failed", Fixture, Error,
        "a sample of one version cannot be read by a version the mode promises can read it",
        "Each valid fixture of version N is replayed against every version the subject's mode says can \
read it (BACKWARD: later versions; FORWARD: earlier ones). Avro samples are really encoded with the \
writer schema and decoded with the reader schema; JSON Schema samples are validated against the reader.",
        bad: "v3 cannot decode a v2 sample: field `currency` has no default",
        good: "give the new field a default so old data stays readable" }

    ENGINE_DISAGREEMENT { "engine-disagreement", Fixture, Error,
        "replay failed where the static compatibility check passed",
        "The static engine said the reader can read the writer, but a real sample failed. One of the two \
is wrong: please report it with the schemas and the sample.",
        bad: "check passes, replay of fixtures/x/v1/a.json into v2 fails",
        good: "no disagreement" }

    FIXTURE_REPLAY_SKIPPED { "fixture-replay-skipped", Fixture, Info,
        "a replay could not run",
        "Replay needs both schemas to load in Apache Avro and the sample to convert to Avro; when either \
fails the sample is validated but not replayed.",
        bad: "schema uses a construct Apache Avro's parser rejects",
        good: "nothing to do unless the reason surprises you" }

    FIXTURE_MISSING { "fixture-missing", Fixture, Info,
        "a version has no sample events",
        "Samples document a version by example and feed validation and replay. `evreg fixture new \
SUBJECT@N` writes one to start from.",
        bad: "schemas/orders.order.placed/v3.avsc and no fixtures/orders.order.placed/v3/",
        good: "fixtures/orders.order.placed/v3/with-coupon.json" }

    ALLOW_UNUSED { "allow-unused", Lint, Warning,
        "an `allow` entry in evreg.yaml matches no finding",
        "An accepted breaking change that no longer occurs is stale: remove the entry so it cannot hide \
a future break of the same rule in the same version.",
        bad: r#"allow: [{subject: orders.order.placed, version: 4, rule: avro-type-mismatch, reason: "..."}]   (v4 is clean)"#,
        good: "delete the entry" }
}

/// The catalogue as Markdown: `docs/rules.md`, where SARIF's help links point.
pub fn markdown() -> String {
    let mut out = String::from(
        "# evreg rules\n\nEvery finding names one of these rules. Ids are stable: never reused or renamed. \
`evreg rules` lists them, `evreg explain RULE` prints one, and `rules:` in evreg.yaml changes a \
rule's severity or turns it off.\n\nThis file is generated from `src/rules.rs` (`EVREG_UPDATE_DOCS=1 cargo test rules`).\n\n\
| rule | category | default severity | summary |\n| --- | --- | --- | --- |\n",
    );
    for r in ALL {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            r.id,
            r.id,
            r.category.as_str(),
            r.severity.as_str(),
            r.summary
        ));
    }
    for r in ALL {
        out.push_str(&format!(
            "\n## {}\n\n{} · {} by default\n\n{}\n\nBad:\n\n```\n{}\n```\n\nGood:\n\n```\n{}\n```\n",
            r.id,
            r.category.as_str(),
            r.severity.as_str(),
            r.explanation,
            r.bad,
            r.good
        ));
    }
    out
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// docs/rules.md is the catalogue as generated; regenerate with EVREG_UPDATE_DOCS=1.
    #[test]
    fn rules_doc_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        let want = markdown();
        if std::env::var_os("EVREG_UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is stale: run `EVREG_UPDATE_DOCS=1 cargo test rules`"
        );
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in ALL {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                r.id
            );
            assert!(!r.summary.is_empty() && !r.explanation.is_empty());
            assert!(!r.bad.is_empty() && !r.good.is_empty());
        }
    }
}
