//! Replay end to end: every valid fixture of every registry under tests/data/ (and the project's
//! own registry at the repository root) is replayed into the versions its mode promises can read
//! it, and only the registries built to break report a replay failure — each one listed here.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{copy_of, data, evreg};

/// The rules that say a replay went wrong (or could not run).
const REPLAY_RULES: [&str; 4] = [
    "fixture-replay-failed",
    "engine-disagreement",
    "fixture-replay-error",
    "fixture-replay-skipped",
];

/// Replay findings a registry is built to produce: (registry, rule, subject, fixture file).
const EXPECTED: [(&str, &str, &str, &str); 2] = [
    (
        "codegen",
        "fixture-replay-failed",
        "audit.log.written",
        "fixtures/audit.log.written/v1/plain.json",
    ),
    (
        "events",
        "fixture-replay-failed",
        "shop.order.refunded",
        "fixtures/shop.order.refunded/v1/a.json",
    ),
];

/// Registries whose settings do not load, so nothing is replayed (the command stops with 2).
const UNLOADABLE: [&str; 1] = ["bad-config"];

fn registries(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("evreg.yaml").is_file() {
        out.push(dir.to_path_buf());
    }
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            registries(&path, out);
        }
    }
}

fn check(dir: &Path) -> (Value, i32) {
    let out = evreg(dir)
        .args(["check", "--output", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let code = out.status.code().unwrap();
    (serde_json::from_str(&text).unwrap_or(Value::Null), code)
}

fn replay_findings(report: &Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| REPLAY_RULES.contains(&f["rule"].as_str().unwrap()))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn every_valid_fixture_of_every_test_registry_replays_except_the_deliberate_breaks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = vec![root.to_path_buf()];
    registries(&root.join("tests/data"), &mut all);
    assert!(all.len() > 5, "registries found: {all:?}");
    for dir in &all {
        let name = dir
            .strip_prefix(root.join("tests/data"))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (report, code) = check(dir);
        if UNLOADABLE.contains(&name.as_str()) {
            assert_eq!(code, 2, "{name} was expected not to load");
            continue;
        }
        assert!(report.is_object(), "{}: no JSON report", dir.display());
        let expected: Vec<(String, String, String)> = EXPECTED
            .iter()
            .filter(|(r, ..)| *r == name)
            .map(|(_, rule, subject, file)| {
                (rule.to_string(), subject.to_string(), file.to_string())
            })
            .collect();
        assert_eq!(
            replay_findings(&report),
            expected,
            "replay findings of {}",
            dir.display()
        );
    }
}

#[test]
fn the_shop_registry_passes_check() {
    let (report, code) = check(&data("shop"));
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
}

/// Proof that replay really runs on the shop registry: the same fixtures, with v3's new enum
/// field losing its default, fail to replay into v3 (and the static check agrees, so there is
/// no disagreement).
#[test]
fn a_real_break_in_the_shop_registry_fails_replay_and_no_more() {
    let tmp = copy_of("shop");
    let v3 = tmp.path().join("schemas/shop.order.placed/v3.avsc");
    let text = fs::read_to_string(&v3).unwrap();
    let broken = text.replace(
        r#""symbols": ["WEB", "APP", "STORE", "UNKNOWN"], "default": "UNKNOWN"},
      "default": "UNKNOWN""#,
        r#""symbols": ["WEB", "APP", "STORE", "UNKNOWN"], "default": "UNKNOWN"}"#,
    );
    assert_ne!(text, broken);
    fs::write(&v3, broken).unwrap();
    // The edit of a published version is reported too; only replay matters here.
    let (report, code) = check(tmp.path());
    assert_eq!(code, 1);
    let found = replay_findings(&report);
    let failed = |file: &str| {
        (
            "fixture-replay-failed".to_string(),
            "shop.order.placed".to_string(),
            file.to_string(),
        )
    };
    assert_eq!(
        found,
        [
            failed("fixtures/shop.order.placed/v1/two-lines.json"),
            failed("fixtures/shop.order.placed/v1/with-discount.json"),
            failed("fixtures/shop.order.placed/v2/gift-with-billing-address.json"),
        ]
    );
    let message = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "fixture-replay-failed")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("channel"), "{message}");
    // The engine's finding carries a payload of the older version that the new one cannot read,
    // one `evreg validate` accepts as that version's payload.
    let missing: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "avro-field-missing-default")
        .collect();
    assert_eq!(missing.len(), 2, "v3 reading v2 and v1: {report:#}");
    for f in missing {
        let example = &f["example"];
        assert!(example["orderId"].is_string(), "{f:#}");
        assert!(example.get("channel").is_none(), "{f:#}");
        let payload = tmp.path().join("payload.json");
        fs::write(&payload, example.to_string()).unwrap();
        let subject = format!("shop.order.placed@{}", f["other_version"]);
        evreg(tmp.path())
            .args(["validate", "--subject", &subject, "payload.json"])
            .assert()
            .success();
    }
}
