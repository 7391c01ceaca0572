//! The `example` of a JSON finding: present only when there is an instance, so a counterexample
//! `null` (`"example": null`) is told apart from "no example could be built" (no key). Each report
//! is also validated against the published contract, schemas/evreg-report.schema.json.

mod common;

use common::evreg;
use serde_json::Value;
use std::fs;

fn compat_json(old: &str, new: &str) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("old.schema.json"), old).unwrap();
    fs::write(tmp.path().join("new.schema.json"), new).unwrap();
    let out = evreg(tmp.path())
        .args([
            "compat",
            "old.schema.json",
            "new.schema.json",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("schemas/evreg-report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{report:#}");
    report
}

#[test]
fn a_counterexample_null_is_shown_as_null() {
    let r = compat_json(
        r#"{"type": "object", "properties": {"note": {"type": ["string", "null"]}}}"#,
        r#"{"type": "object", "properties": {"note": {"type": "string"}}}"#,
    );
    let f = &r["findings"][0];
    assert_eq!(f["rule"], "json-type-narrowed", "{r:#}");
    assert_eq!(f.get("example"), Some(&serde_json::json!({"note": null})));
    let r = compat_json(r#"{"type": ["string", "null"]}"#, r#"{"type": "string"}"#);
    let f = &r["findings"][0];
    assert_eq!(f.get("example"), Some(&Value::Null), "{r:#}");
}

#[test]
fn a_finding_without_an_example_has_no_example_key() {
    let r = compat_json(
        r#"{"type": "string", "format": "email"}"#,
        r#"{"type": "string", "format": "uri"}"#,
    );
    let f = &r["findings"][0];
    assert_eq!(f["rule"], "json-format-changed", "{r:#}");
    assert!(f.get("example").is_none(), "{f:#}");
}
