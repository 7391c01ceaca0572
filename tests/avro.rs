//! Avro findings end to end on the shop registry: what a decimal change says, where findings
//! point, and the limits bad schemas meet.

use serde_json::Value;
use std::fs;

mod common;
use common::{copy_of, json_of};

/// shop.order.placed v4: v3 with Money's decimal changed by `edit`.
fn with_v4(edit: (&str, &str)) -> tempfile::TempDir {
    let tmp = copy_of("shop");
    let dir = tmp.path().join("schemas/shop.order.placed");
    let v3 = fs::read_to_string(dir.join("v3.avsc")).unwrap();
    let v4 = v3.replace(edit.0, edit.1);
    assert_ne!(v3, v4);
    fs::write(dir.join("v4.avsc"), v4).unwrap();
    let fixtures = tmp.path().join("fixtures/shop.order.placed/v4");
    fs::create_dir_all(&fixtures).unwrap();
    let sample = fs::read_to_string(
        tmp.path()
            .join("fixtures/shop.order.placed/v3/bulk-from-app.json"),
    )
    .unwrap()
    .replace("\"eventVersion\": 3", "\"eventVersion\": 4");
    fs::write(fixtures.join("bulk.json"), sample).unwrap();
    tmp
}

fn decimal_findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "avro-decimal-mismatch")
        .collect()
}

#[test]
fn widening_a_decimal_precision_is_a_warning_that_says_so() {
    let tmp = with_v4((
        r#""precision": 12, "scale": 2"#,
        r#""precision": 16, "scale": 2"#,
    ));
    let (report, code) = json_of(tmp.path(), &["check"]);
    assert_eq!(code, 0, "{report:#}");
    let found = decimal_findings(&report);
    // Money is defined once and used three times: one finding per pair (v4 reads v3, v2, v1).
    assert_eq!(found.len(), 3, "{report:#}");
    for f in found {
        assert_eq!(f["severity"], "warning");
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("precision 12 → 16"), "{message}");
        assert!(message.contains("still reads exactly"), "{message}");
        assert!(!message.contains("scale"), "{message}");
        assert!(
            f["pointer"].as_str().unwrap().ends_with("/precision"),
            "{f:#}"
        );
        assert_eq!(f["line"], 17);
    }
}

#[test]
fn changing_a_decimal_scale_is_an_error_that_names_the_scale() {
    let tmp = with_v4((
        r#""precision": 12, "scale": 2"#,
        r#""precision": 12, "scale": 3"#,
    ));
    let (report, code) = json_of(tmp.path(), &["check"]);
    assert_eq!(code, 1);
    let found = decimal_findings(&report);
    assert_eq!(found.len(), 3, "{report:#}");
    for f in found {
        assert_eq!(f["severity"], "error");
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("scale 2 → 3"), "{message}");
        assert!(!message.contains("precision 12 →"), "{message}");
        assert!(f["pointer"].as_str().unwrap().ends_with("/scale"), "{f:#}");
    }
}

#[test]
fn a_fixed_size_change_at_a_shared_schema_root_points_at_size() {
    let tmp = copy_of("shop");
    let dir = tmp.path().join("schemas/shop.order.placed.v2");
    let v2 = fs::read_to_string(dir.join("v2.avsc")).unwrap();
    fs::write(
        tmp.path().join("schemas/shop.common.Code.avsc"),
        r#"{"type": "fixed", "name": "Code", "namespace": "shop.common", "doc": "A code.", "size": 3}"#,
    )
    .unwrap();
    fs::write(
        tmp.path().join("schemas/shop.common.Code2.avsc"),
        r#"{"type": "fixed", "name": "Code", "namespace": "shop.common2", "aliases": ["shop.common.Code"], "doc": "A code.",
  "size": 5}"#,
    )
    .unwrap();
    let v3 = v2.replace(
        r#"{"name": "orderId", "type": "string", "doc": "The order."},"#,
        r#"{"name": "orderId", "type": "string", "doc": "The order."}, {"name": "code", "type": "shop.common2.Code", "doc": "A code."},"#,
    );
    let v2 = v2.replace(
        r#"{"name": "orderId", "type": "string", "doc": "The order."},"#,
        r#"{"name": "orderId", "type": "string", "doc": "The order."}, {"name": "code", "type": "shop.common.Code", "doc": "A code."},"#,
    );
    // v3 uses a shared fixed, v4 a renamed one (aliased) of another size.
    fs::write(dir.join("v3.avsc"), v2).unwrap();
    fs::write(dir.join("v4.avsc"), v3).unwrap();
    let (report, _) = json_of(tmp.path(), &["check"]);
    let sizes: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "avro-fixed-size-mismatch")
        .collect();
    assert_eq!(sizes.len(), 1, "{report:#}");
    assert_eq!(sizes[0]["file"], "schemas/shop.common.Code2.avsc");
    assert_eq!(sizes[0]["pointer"], "/size");
    assert_eq!(
        (sizes[0]["line"].as_u64(), sizes[0]["column"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(sizes[0]["other_file"], "schemas/shop.common.Code.avsc");
    assert_eq!(sizes[0]["other_pointer"], "/size");
}

/// Time budgets: each schema below is generated here, a few megabytes large, and decided in time
/// roughly linear in its size. The bound is generous for unoptimised test builds on a loaded
/// machine; the quadratic versions these guard against took minutes.
mod budgets {
    use evreg::compat::avro::check;
    use evreg::schema::avro::{AvroSchema, parse};
    use evreg::source::SourceFile;
    use serde_json::{Value, json};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    const BUDGET: Duration = if cfg!(debug_assertions) {
        Duration::from_secs(20)
    } else {
        Duration::from_secs(2)
    };

    fn schema(v: &Value) -> AvroSchema {
        let parsed = parse(Arc::new(SourceFile::new("big.avsc", v.to_string())));
        parsed.schema.expect("a valid schema")
    }

    fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        let took = start.elapsed();
        eprintln!("{what}: {took:?}");
        assert!(took < BUDGET, "{what} took {took:?} (budget {BUDGET:?})");
        out
    }

    /// Messages and help stay short: memory grows with the number of findings, not with the
    /// schema's size times it.
    fn bounded(found: &[evreg::finding::Draft]) {
        for i in found {
            assert!(
                i.message.len() + i.help.len() < 600,
                "{}: {} / {}",
                i.rule.id,
                i.message,
                i.help
            );
        }
    }

    fn enumeration(step: usize) -> Value {
        let symbols: Vec<String> = (0..100_000)
            .step_by(step)
            .map(|i| format!("S{i}"))
            .collect();
        json!({"type": "enum", "name": "E", "symbols": symbols})
    }

    #[test]
    fn an_enum_of_100_000_symbols() {
        let found = timed("an enum of 100,000 symbols against itself", || {
            let a = schema(&enumeration(1));
            let b = schema(&enumeration(1));
            check(&a, &b)
        });
        assert!(found.is_empty());
        let found = timed("an enum that lost half of 100,000 symbols", || {
            let reader = schema(&enumeration(2));
            let writer = schema(&enumeration(1));
            check(&reader, &writer)
        });
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("and 49990 more"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].example, Some(json!("S1")));
        bounded(&found);
        // A payload of another symbol says so without listing all of them.
        let e = schema(&enumeration(1));
        let problems = evreg::validate::avro::validate(&e, &json!("nope"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.len() < 300, "{}", problems[0].message);
    }

    fn record(n: usize, ty: &str) -> Value {
        let fields: Vec<Value> = (0..n)
            .map(|i| json!({"name": format!("f{i}"), "type": ty}))
            .collect();
        json!({"type": "record", "name": "R", "fields": fields})
    }

    #[test]
    fn a_record_of_120_000_fields() {
        let found = timed("a record of 120,000 fields against itself", || {
            let a = schema(&record(120_000, "int"));
            let b = schema(&record(120_000, "int"));
            check(&a, &b)
        });
        assert!(found.is_empty());
        let found = timed("a record of 120,000 fields, every one changed", || {
            let reader = schema(&record(120_000, "string"));
            let writer = schema(&record(120_000, "int"));
            check(&reader, &writer)
        });
        assert_eq!(found.len(), 120_000);
        bounded(&found);
        // A payload of the record validates in time too.
        let r = schema(&record(120_000, "int"));
        let payload: serde_json::Map<String, Value> =
            (0..120_000).map(|i| (format!("f{i}"), json!(i))).collect();
        let problems = timed("a payload of 120,000 fields", || {
            evreg::validate::avro::validate(&r, &Value::Object(payload))
        });
        assert!(problems.is_empty());
    }

    #[test]
    fn a_chain_of_8_000_named_types() {
        // Each type holds the one before it, by name; the last one breaks.
        let chain = |last: &str| {
            let mut fields = vec![
                json!({"name": "t0", "type": {"type": "record", "name": "N0", "fields": [{"name": "x", "type": last}]}}),
            ];
            for i in 1..8_000 {
                fields.push(json!({"name": format!("t{i}"), "type": {"type": "record", "name": format!("N{i}"),
                    "fields": [{"name": "a", "type": format!("N{}", i - 1)}, {"name": "b", "type": format!("N{}", i - 1)}]}}));
            }
            json!({"type": "record", "name": "Root", "fields": fields})
        };
        let found = timed("a chain of 8,000 named types", || {
            let reader = schema(&chain("string"));
            let writer = schema(&chain("int"));
            check(&reader, &writer)
        });
        assert_eq!(found.len(), 1, "{found:?}");
        bounded(&found);
        // The same chain with every reference ahead of its definition: 8,000 errors, each short.
        let mut fields = Vec::new();
        for i in 0..8_000 {
            fields.push(
                json!({"name": format!("t{i}"), "type": {"type": "record", "name": format!("N{i}"),
                "fields": [{"name": "next", "type": format!("N{}", i + 1)}]}}),
            );
        }
        let text = json!({"type": "record", "name": "Root", "fields": fields}).to_string();
        let parsed = timed("8,000 references ahead of their definitions", || {
            parse(Arc::new(SourceFile::new("ahead.avsc", text)))
        });
        assert!(parsed.schema.is_none());
        assert_eq!(parsed.findings.len(), 8_000);
        assert!(
            parsed.findings[0]
                .help
                .contains("defined later, at `/fields/1/type`"),
            "{}",
            parsed.findings[0].help
        );
        let total: usize = parsed
            .findings
            .iter()
            .map(|f| f.message.len() + f.help.len())
            .sum();
        assert!(total < 8_000 * 300, "{total} bytes of messages");
    }
}
