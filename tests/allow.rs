//! `allow` entries in evreg.yaml: by rule id, by rule glob, or for every finding of a version.

mod common;
use common::*;

fn check_json(dir: &std::path::Path) -> (serde_json::Value, i32) {
    let out = evreg(dir)
        .args(["check", "--output", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (report, out.status.code().unwrap())
}

fn with_allow(allow: &str) -> tempfile::TempDir {
    let tmp = copy_of("allow");
    std::fs::write(
        tmp.path().join("evreg.yaml"),
        format!("compatibility: BACKWARD\nallow:\n{allow}rules:\n  avro-doc-missing: off\n"),
    )
    .unwrap();
    tmp
}

#[test]
fn a_rule_glob_accepts_the_break_it_matches() {
    let tmp = with_allow(
        "  - {subject: shop.order.placed, version: 2, rule: 'avro-*-default', reason: OPS-42}\n",
    );
    let (report, code) = check_json(tmp.path());
    assert_eq!(code, 0, "{report:#}");
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "avro-field-missing-default")
        .unwrap();
    assert_eq!(f["allowed"], "OPS-42");
    assert_eq!(f["severity"], "info");
}

#[test]
fn an_entry_without_rule_accepts_every_finding_of_its_version_only() {
    let tmp = with_allow("  - {subject: shop.order.placed, version: 2, reason: OPS-43}\n");
    let (report, code) = check_json(tmp.path());
    assert_eq!(code, 0, "{report:#}");
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] != "allow-unused")
            .filter(|f| f["version"] == 2)
            .all(|f| f["allowed"] == "OPS-43")
    );

    // The same entry for another version accepts nothing, and says so.
    let tmp = with_allow("  - {subject: shop.order.placed, version: 1, reason: OPS-43}\n");
    let (report, code) = check_json(tmp.path());
    assert_eq!(code, 1, "{report:#}");
    let stale = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "allow-unused")
        .unwrap();
    assert!(
        stale["message"].as_str().unwrap().contains("every rule"),
        "{stale:#}"
    );
}

#[test]
fn a_glob_that_matches_no_rule_stops_the_command_with_its_position() {
    let tmp =
        with_allow("  - {subject: shop.order.placed, version: 2, rule: 'avor-*', reason: typo}\n");
    evreg(tmp.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("evreg.yaml:3:"))
        .stderr(predicates::str::contains("matches no rule"));
}
