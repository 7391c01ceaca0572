//! Avro findings end to end on the shop registry: what a decimal change says, where findings
//! point, and the limits bad schemas meet.

use serde_json::Value;
use std::fs;

mod common;
use common::{copy_of, evreg};

fn check_json(dir: &std::path::Path) -> (Value, i32) {
    let out = evreg(dir)
        .args(["check", "--output", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    (
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
        out.status.code().unwrap(),
    )
}

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
    let (report, code) = check_json(tmp.path());
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
    let (report, code) = check_json(tmp.path());
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
    let (report, _) = check_json(tmp.path());
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
