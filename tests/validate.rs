//! Sample events end to end: fixtures, negative fixtures, replay, streams and bad input.

use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

mod common;
use common::{data, evreg, report_of};

fn json(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> (Value, i32) {
    let mut cmd = evreg(dir);
    cmd.args(args).args(["--output", "json"]);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.output().unwrap();
    (report_of(&out), out.status.code().unwrap())
}

fn rows(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
                f["pointer"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn fixtures_negative_fixtures_and_replay() {
    let (report, code) = json(&data("events"), &["validate"], None);
    assert_eq!(code, 1);
    let mut rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "fixture-mismatch",
            "fixture-missing",
            "fixture-orphan",
            "fixture-replay-failed",
            "fixture-unexpectedly-valid"
        ]
    );
    let replay = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "fixture-replay-failed")
        .unwrap();
    assert_eq!(
        (replay["version"].as_u64(), replay["other_version"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(
        replay["message"].as_str().unwrap().contains("reason"),
        "{replay}"
    );
    // check includes the fixtures.
    let (all, _) = json(&data("events"), &["check"], None);
    assert!(
        all["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "fixture-unexpectedly-valid")
    );
}

#[test]
fn a_stream_reports_each_bad_line_and_validates_the_rest() {
    let (report, code) = json(&data("events"), &["validate", "streams/mixed.ndjson"], None);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!("mixed_stream", rows(&report));
    assert_eq!(report["summary"]["events"], 6);
    assert_eq!(report["summary"]["rejected"], 5);
    let amount = &report["findings"][0];
    assert_eq!(amount["other_file"], "schemas/shop.order.placed/v2.avsc");
    assert_eq!(amount["subject"], "shop.order.placed");
}

#[test]
fn hostile_streams_never_stop_validation() {
    let good =
        std::fs::read_to_string(data("events/fixtures/shop.order.placed/v1/basic.json")).unwrap();
    let line: String =
        serde_json::to_string(&serde_json::from_str::<Value>(&good).unwrap()).unwrap();
    let mut input = Vec::new();
    input.extend_from_slice("\u{feff}".as_bytes());
    input.extend_from_slice(line.as_bytes());
    input.extend_from_slice(b"\n\x00\x01\x02\xff\xfe garbage\n");
    input.extend_from_slice(line.as_bytes());
    input.extend_from_slice(b"\n");
    // A 100 MB line: longer than an event may be, skipped as it is read; still just one bad line.
    input.extend_from_slice(b"{\"eventId\": \"");
    input.extend(std::iter::repeat_n(b'a', 100 * 1024 * 1024));
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(line.as_bytes());
    input.extend_from_slice(b"\n{\"eventType\": \"shop.order.placed\", \"eventVer");
    let (report, code) = json(&data("events"), &["validate", "-"], Some(input));
    assert_eq!(code, 1);
    let lines: Vec<(String, Option<u64>)> = rows(&report)
        .into_iter()
        .map(|(r, l, _)| (r, l))
        .filter(|(r, _)| r != "envelope-field-missing")
        .collect();
    assert_eq!(
        lines,
        [
            ("event-invalid-json".to_string(), Some(1)),
            ("event-invalid-json".to_string(), Some(2)),
            ("event-invalid-json".to_string(), Some(4)),
            ("event-invalid-json".to_string(), Some(6)),
        ]
    );
    assert_eq!(report["summary"]["events"], 6);
    // Lines 3 and 5 are good; line 1 is a good event behind a byte-order mark, which is reported.
    assert_eq!(report["summary"]["rejected"], 4);
}

#[test]
fn bare_payloads_and_single_files() {
    let dir = data("events");
    let payload = r#"{"orderId": "9b2f6c1e-0d3a-4f5b-8c7d-6e5f4a3b2c1d", "quantity": 1, "amount": 5, "placedAt": 0, "status": "PAID"}"#;
    evreg(&dir)
        .args(["validate", "--subject", "shop.order.placed@1", "-"])
        .write_stdin(payload)
        .assert()
        .success();
    let (report, code) = json(
        &dir,
        &["validate", "--subject", "shop.order.placed", "-"],
        Some(br#"{"quantity": 1.5}"#.to_vec()),
    );
    assert_eq!(code, 1);
    assert!(
        rows(&report)
            .iter()
            .any(|(r, _, p)| r == "payload-invalid" && p == "/quantity")
    );
    evreg(&dir)
        .args(["validate", "--subject", "shop.nope", "-"])
        .write_stdin("{}")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("event-unknown-subject"));
    // A whole-event file: findings carry line and column of the value.
    let (report, _) = json(
        &dir,
        &[
            "validate",
            "fixtures/shop.order.placed/v1/invalid/quantity-as-string.json",
        ],
        None,
    );
    let f = &report["findings"][0];
    assert_eq!(
        (
            f["rule"].as_str(),
            f["line"].as_u64(),
            f["pointer"].as_str()
        ),
        (Some("payload-invalid"), Some(10), Some("/payload/quantity"))
    );
    evreg(&dir)
        .args(["validate", "missing.json"])
        .assert()
        .code(2);
}

#[test]
fn fixture_new_writes_a_sample_that_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for (from, to) in [
        ("evreg.yaml", "evreg.yaml"),
        (
            "schemas/shop.order.placed/v1.avsc",
            "schemas/shop.order.placed/v1.avsc",
        ),
    ] {
        let dest = root.join(to);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(data("events").join(from), dest).unwrap();
    }
    evreg(root)
        .args(["fixture", "new", "shop.order.placed"])
        .assert()
        .success();
    evreg(root)
        .args(["fixture", "new", "shop.order.placed@1"])
        .assert()
        .success();
    assert!(
        root.join("fixtures/shop.order.placed/v1/example.json")
            .exists()
    );
    assert!(
        root.join("fixtures/shop.order.placed/v1/example-2.json")
            .exists()
    );
    evreg(root)
        .args(["fixture", "new", "shop.order.placed", "--name", "example"])
        .assert()
        .code(2);
    evreg(root).arg("validate").assert().success();
    evreg(root).arg("check").assert().success();
}

#[test]
fn cloudevents_route_by_type_and_dataschema() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(
        root.join("evreg.yaml"),
        "compatibility: BACKWARD\nenvelope: cloudevents\n",
    )
    .unwrap();
    let dest = root.join("schemas/shop.order.placed");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::copy(
        data("events/schemas/shop.order.placed/v1.avsc"),
        dest.join("v1.avsc"),
    )
    .unwrap();
    std::fs::copy(
        data("events/schemas/shop.order.placed/v2.avsc"),
        dest.join("v2.avsc"),
    )
    .unwrap();
    let event = |dataschema: &str, qty: &str| {
        format!(
            r#"{{"specversion": "1.0", "id": "e-1", "source": "/shop/orders", "type": "shop.order.placed", "time": "2026-11-25T08:30:00Z", "dataschema": "{dataschema}", "data": {{"orderId": "9b2f6c1e-0d3a-4f5b-8c7d-6e5f4a3b2c1d", "quantity": {qty}, "amount": "1.00", "placedAt": 0, "status": "NEW", "channel": "web"}}}}"#
        )
    };
    let stream = format!(
        "{}\n{}\n",
        event("https://schemas.example.com/shop.order.placed/v2", "1"),
        event("https://schemas.example.com/shop.order.placed/v1", "1")
    );
    let (report, code) = json(root, &["validate", "-"], Some(stream.into_bytes()));
    assert_eq!(code, 1, "{report}");
    // v1 has no `channel` field: the second event is rejected against v1.
    assert_eq!(
        rows(&report),
        [(
            "payload-invalid".to_string(),
            Some(2),
            "/data/channel".to_string()
        )]
    );
}
