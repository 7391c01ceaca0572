//! The binary end to end, on the small registries under tests/data/.

use predicates::prelude::*;
use serde_json::Value;
use std::fs;

mod common;
use common::{copy_dir, copy_of, data, evreg, json_of, rules_of};

#[test]
fn a_clean_registry_passes() {
    let out = evreg(&data("ok")).arg("check").assert().success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout), @"✓ no findings in 2 subjects (4 versions)");
}

#[test]
fn the_registry_is_found_from_a_subfolder() {
    evreg(&data("ok").join("schemas/shop.order.placed"))
        .arg("check")
        .assert()
        .success();
}

#[test]
fn breaking_changes_are_all_reported_with_locations() {
    let out = evreg(&data("breaking")).arg("check").assert().code(1);
    insta::assert_snapshot!(
        "breaking_human",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    let (report, code) = json_of(&data("breaking"), &["check"]);
    assert_eq!(code, 1);
    assert_eq!(report["ok"], false);
    insta::assert_json_snapshot!("breaking_json", report);
}

#[test]
fn transitive_findings_name_both_versions() {
    let (report, _) = json_of(&data("breaking"), &["check"]);
    let pairs: Vec<(u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["subject"] == "shop.order.placed" && f["rule"] == "avro-field-missing-default"
        })
        .map(|f| {
            (
                f["version"].as_u64().unwrap(),
                f["other_version"].as_u64().unwrap(),
            )
        })
        .collect();
    // v3 adds `currency` without a default (against v2 and v1) and drops `channel`'s default,
    // which v1 never wrote.
    assert!(
        pairs.contains(&(3, 2)) && pairs.contains(&(3, 1)),
        "{pairs:?}"
    );
}

#[test]
fn layout_problems_are_findings() {
    let (report, code) = json_of(&data("layout"), &["check"]);
    assert_eq!(code, 1);
    let mut found = rules_of(&report);
    found.sort();
    found.dedup();
    assert_eq!(
        found,
        [
            "layout-mixed-formats",
            "layout-no-versions",
            "layout-subject-name",
            "layout-unknown-file",
            "layout-version-duplicate",
            "layout-version-gap",
        ]
    );
    let gap = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "layout-version-gap")
        .unwrap();
    assert!(
        gap["message"].as_str().unwrap().contains("lacks v2"),
        "{gap}"
    );
}

#[test]
fn invalid_schemas_are_findings_with_positions() {
    let (report, code) = json_of(&data("invalid"), &["check"]);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!("invalid_json", report);
}

#[test]
fn a_bad_settings_file_stops_with_its_position() {
    evreg(&data("bad-config"))
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("evreg.yaml:2:1").and(predicate::str::contains("namig")));
}

#[test]
fn outside_a_registry_the_command_says_how_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    evreg(tmp.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("evreg init"));
}

#[test]
fn allow_entries_accept_a_break_and_stale_ones_are_reported() {
    let (report, code) = json_of(&data("allow"), &["check"]);
    assert_eq!(code, 0, "{report}");
    let findings = report["findings"].as_array().unwrap();
    let accepted = findings
        .iter()
        .find(|f| f["rule"] == "avro-field-missing-default")
        .unwrap();
    assert_eq!(accepted["severity"], "info");
    assert_eq!(
        accepted["allowed"],
        "all consumers were migrated first (OPS-42)"
    );
    let stale = findings
        .iter()
        .find(|f| f["rule"] == "allow-unused")
        .unwrap();
    assert_eq!(
        (stale["file"].as_str(), stale["line"].as_u64()),
        (Some("evreg.yaml"), Some(7))
    );
    assert!(
        !rules_of(&report).contains(&"avro-doc-missing".to_string()),
        "turned off in evreg.yaml"
    );
}

#[test]
fn compat_compares_two_files() {
    let dir = data("pairs");
    let (report, code) = json_of(&dir, &["compat", "old.avsc", "new.avsc"]);
    assert_eq!(code, 1);
    assert_eq!(report["compatible"], false);
    assert_eq!(report["mode"], "BACKWARD");
    insta::assert_json_snapshot!("compat_json", report);
    let (report, code) = json_of(
        &dir,
        &[
            "compat",
            "compatible-old.avsc",
            "compatible-new.avsc",
            "--mode",
            "full_transitive",
        ],
    );
    assert_eq!((code, &report["compatible"]), (0, &Value::Bool(true)));
    // v3 only widens what v2 may read (int to long is a promotion): forward holds.
    evreg(&dir)
        .args(["compat", "old.avsc", "new.avsc", "--mode", "forward"])
        .assert()
        .success();
    let out = evreg(&dir)
        .args(["compat", "old.avsc", "new.avsc", "--mode", "FULL"])
        .assert()
        .code(1);
    insta::assert_snapshot!(
        "compat_full_human",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    evreg(&dir)
        .args(["compat", "new.avsc", "old.avsc", "--mode", "none"])
        .assert()
        .success();
}

#[test]
fn compat_refuses_what_it_cannot_decide() {
    let dir = data("pairs");
    evreg(&dir)
        .args(["compat", "a.json", "old.avsc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("different formats"));
    evreg(&dir)
        .args(["compat", "old.avsc", "a.json"])
        .assert()
        .code(2);
    evreg(&dir)
        .args(["compat", "old.avsc", "missing.avsc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.avsc"));
    evreg(&dir)
        .args(["compat", "old.avsc", "new.avsc", "--mode", "sideways"])
        .assert()
        .code(2);
    let bad = data("invalid").join("schemas/shop.bad.type/v1.avsc");
    let (report, code) = json_of(&dir, &["compat", "old.avsc", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(report["compatible"], Value::Null);
}

#[test]
fn compat_reports_an_invalid_file_once_when_it_is_both_sides() {
    let dir = data("invalid");
    let bad = "schemas/shop.bad.type/v1.avsc";
    let (one_side, _) = json_of(
        &dir,
        &["compat", bad, "../ok/schemas/shop.order.placed/v1.avsc"],
    );
    let (report, code) = json_of(&dir, &["compat", bad, "./schemas/shop.bad.type/v1.avsc"]);
    assert_eq!(code, 2);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert_eq!(
        findings,
        one_side["findings"].as_array().unwrap(),
        "{report:#}"
    );
}

#[test]
fn add_writes_the_next_version_only_when_compatible() {
    let reg = copy_of("ok");
    let dir = reg.path();
    let subject = dir.join("schemas/shop.order.placed");
    let good = dir.join("good.avsc");
    let v2 = fs::read_to_string(subject.join("v2.avsc")).unwrap();
    fs::write(
        &good,
        v2.replace(
            r#""doc": "Coupon code."}"#,
            r#""doc": "Coupon code."},
    {"name": "channel", "type": "string", "default": "web", "doc": "Sales channel."}"#,
        ),
    )
    .unwrap();
    let bad = dir.join("bad.avsc");
    fs::write(&bad, v2.replace(r#""type": "int""#, r#""type": "string""#)).unwrap();

    evreg(dir)
        .args(["add", "shop.order.placed", "bad.avsc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!subject.join("v3.avsc").exists());
    evreg(dir)
        .args(["add", "shop.order.placed", "good.avsc", "--dry-run"])
        .assert()
        .success();
    assert!(!subject.join("v3.avsc").exists());
    evreg(dir)
        .args(["add", "shop.order.placed", "good.avsc"])
        .assert()
        .success()
        .stderr(predicate::str::contains("v3.avsc"));
    assert_eq!(
        fs::read_to_string(subject.join("v3.avsc")).unwrap(),
        fs::read_to_string(&good).unwrap()
    );
    evreg(dir)
        .args(["add", "shop.order.shipped", "good.avsc"])
        .assert()
        .success();
    assert!(dir.join("schemas/shop.order.shipped/v1.avsc").exists());
    evreg(dir)
        .args(["add", "../escape.x.y", "good.avsc"])
        .assert()
        .code(2);
    evreg(dir)
        .args(["add", "shop.order.placed", "a.json"])
        .assert()
        .code(2);
    evreg(dir).arg("check").assert().success();
    let leftovers: Vec<_> = fs::read_dir(&subject)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        4,
        "v1, v2, v3 and subject.yaml, no temporary files: {leftovers:?}"
    );
}

#[test]
fn init_scaffolds_once() {
    let tmp = tempfile::tempdir().unwrap();
    evreg(tmp.path()).args(["init", "reg"]).assert().success();
    let root = tmp.path().join("reg");
    for p in [
        "evreg.yaml",
        "schemas",
        "fixtures",
        ".github/workflows/evreg.yml",
    ] {
        assert!(root.join(p).exists(), "{p}");
    }
    evreg(&root).arg("check").assert().success();
    fs::write(root.join("evreg.yaml"), "compatibility: FULL\n").unwrap();
    evreg(tmp.path())
        .args(["init", "reg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        fs::read_to_string(root.join("evreg.yaml")).unwrap(),
        "compatibility: FULL\n"
    );
}

#[test]
fn list_and_show_describe_the_registry() {
    let dir = data("ok");
    let out = evreg(&dir).arg("list").assert().success();
    insta::assert_snapshot!(
        "list_human",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    let out = evreg(&dir)
        .args(["list", "--output", "json"])
        .assert()
        .success();
    let list: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(list[1]["subject"], "shop.order.placed");
    assert_eq!(list[1]["owner"], "team-orders");
    assert_eq!(list[1]["compatibility"], "FULL_TRANSITIVE");
    let (shown, _) = json_of(&dir, &["show", "shop.order.placed@1"]);
    assert_eq!(shown["version"], 1);
    assert_eq!(shown["schema"]["name"], "OrderPlaced");
    evreg(&dir)
        .args(["show", "shop.order.placed"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"coupon\""));
    evreg(&dir)
        .args(["show", "shop.order.placed@9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("v1..v2"));
    evreg(&dir)
        .args(["show", "order.placed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean shop.order.placed"));
}

#[test]
fn rules_and_explain() {
    let out = evreg(&data("ok")).arg("rules").assert().success();
    insta::assert_snapshot!(
        "rules_human",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    evreg(&data("ok"))
        .args(["explain", "avro-field-missing-default"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Bad:").and(predicate::str::contains("Good:")));
    evreg(&data("ok"))
        .args(["explain", "field-missing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("avro-field-missing-default"));
}

#[test]
fn hostile_files_are_findings_not_crashes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(root.join("evreg.yaml"), "compatibility: BACKWARD\n").unwrap();
    let dir = |name: &str| {
        let d = root.join("schemas").join(name);
        fs::create_dir_all(&d).unwrap();
        d
    };
    fs::write(
        dir("shop.bad.utf8").join("v1.avsc"),
        b"{\"type\": \"str\xffing\"}",
    )
    .unwrap();
    fs::write(
        dir("shop.bad.deep").join("v1.avsc"),
        "[".repeat(10_000) + &"]".repeat(10_000),
    )
    .unwrap();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.avsc"), "\"string\"").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("x.avsc"),
        dir("shop.bad.link").join("v1.avsc"),
    )
    .unwrap();
    let (report, code) = json_of(root, &["check"]);
    assert_eq!(code, 1);
    let by_subject = |s: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["subject"] == s)
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(by_subject("shop.bad.utf8"), ["schema-parse-error"]);
    assert_eq!(by_subject("shop.bad.deep"), ["schema-parse-error"]);
    #[cfg(unix)]
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "layout-outside-registry")
    );
    let utf8 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["subject"] == "shop.bad.utf8")
        .unwrap();
    assert_eq!(
        (utf8["line"].as_u64(), utf8["column"].as_u64()),
        (Some(1), Some(14))
    );
}

#[test]
fn output_can_be_chosen_by_environment() {
    let out = evreg(&data("ok"))
        .arg("check")
        .env("EVREG_OUTPUT", "json")
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["ok"], true);
}

#[test]
fn ci_output_formats() {
    let dir = data("breaking");
    // Paths are named from the repository root: here, the registry's own folder.
    let out = evreg(&dir)
        .args(["check", "--output", "github"])
        .env("GITHUB_WORKSPACE", &dir)
        .assert()
        .code(1);
    insta::assert_snapshot!(
        "breaking_github",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    let out = evreg(&dir)
        .args(["check", "--output", "junit"])
        .env("GITHUB_WORKSPACE", &dir)
        .assert()
        .code(1);
    insta::assert_snapshot!(
        "breaking_junit",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    let out = evreg(&dir)
        .args(["check", "--output", "sarif"])
        .env("GITHUB_WORKSPACE", &dir)
        .assert()
        .code(1);
    let sarif: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().all(|r| {
        r["helpUri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#{}", r["id"].as_str().unwrap()))
    }));
    insta::assert_json_snapshot!("breaking_sarif_results", sarif["runs"][0]["results"]);
    // Run from above the registry, annotations name files from the workspace root.
    let out = evreg(&data(""))
        .args(["-C", "breaking", "check", "--output", "github"])
        .env("GITHUB_WORKSPACE", data(""))
        .assert()
        .code(1);
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .starts_with("::error file=breaking/schemas/")
    );
}

#[test]
fn json_schema_refs_across_files_are_followed_and_located() {
    let dir = data("json-refs");
    let (report, code) = json_of(&dir, &["check"]);
    assert_eq!(code, 1, "{report}");
    insta::assert_json_snapshot!("json_refs_json", report);
    let findings = report["findings"].as_array().unwrap();
    // v3 narrows the shared Money (maximum 1000): found against v2 and v1, located in the shared file.
    let maxes: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "json-maximum-decreased")
        .collect();
    assert_eq!(maxes.len(), 2, "{report}");
    for f in maxes {
        assert_eq!(f["file"], "schemas/common.schema.json");
        assert_eq!(f["path"], "total.amount");
        assert!(
            f["example"]["total"]["amount"].as_i64().unwrap() > 1000,
            "{f}"
        );
    }
    let out = evreg(&dir).arg("check").assert().code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("schemas/common.schema.json:"), "{text}");
    assert!(text.contains("example: {"), "{text}");
}

#[test]
fn json_compat_compares_two_files() {
    let dir = data("json-rules/json-property-added-to-open-model");
    let out = evreg(&dir)
        .args(["compat", "old.schema.json", "new.schema.json"])
        .assert()
        .code(1);
    insta::assert_snapshot!(
        "json_compat_human",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    evreg(&dir)
        .args([
            "compat",
            "old.schema.json",
            "new.schema.json",
            "--policy",
            "lenient",
        ])
        .assert()
        .success();
    evreg(&dir)
        .args([
            "compat",
            "old.schema.json",
            "new.schema.json",
            "--mode",
            "forward",
        ])
        .assert()
        .success();
    evreg(&data("pairs"))
        .args(["compat", "a.json", "b.json", "--type", "json-schema"])
        .assert()
        .success();
}

#[test]
fn hostile_json_schemas_are_errors_with_positions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(root.join("evreg.yaml"), "compatibility: BACKWARD\n").unwrap();
    let cases: &[(&str, String)] = &[
        ("shop.bad.keyword", r#"{"type": "object", "properties": {"a": {"maxLength": "5"}}}"#.into()),
        ("shop.bad.type", r#"{"type": "strng"}"#.into()),
        ("shop.bad.ref", r##"{"properties": {"a": {"$ref": "#/$defs/nope"}}}"##.into()),
        ("shop.bad.remote", r#"{"$ref": "https://example.com/schemas/money.json"}"#.into()),
        ("shop.bad.outside", r#"{"$ref": "../../../etc/passwd"}"#.into()),
        ("shop.bad.cycle", r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##.into()),
        ("shop.bad.regex", r#"{"type": "string", "pattern": "([a-z"}"#.into()),
        ("shop.bad.deep", "{\"not\": ".repeat(10_000) + "{}" + &"}".repeat(10_000)),
    ];
    for (name, text) in cases {
        let d = root.join("schemas").join(name);
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("v1.schema.json"), text).unwrap();
    }
    let (report, code) = json_of(root, &["check"]);
    assert_eq!(code, 1);
    for (name, _) in cases {
        let f: Vec<_> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["subject"] == *name)
            .collect();
        assert_eq!(f.len(), 1, "{name}: {f:?}");
        let rule = if *name == "shop.bad.deep" {
            "schema-parse-error"
        } else {
            "json-schema-invalid"
        };
        assert_eq!(f[0]["rule"], rule, "{name}");
        assert!(f[0]["line"].as_u64().is_some(), "{name}: no position");
    }
    let msg = |name: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["subject"] == name)
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(msg("shop.bad.remote").contains("network"));
    assert!(msg("shop.bad.outside").contains("leaves the registry"));
    assert!(msg("shop.bad.cycle").contains("cycle"));
    assert!(msg("shop.bad.regex").contains("regular expression"));
    assert!(msg("shop.bad.ref").contains("points to nothing"));
}

#[test]
fn add_checks_json_schema_versions_and_their_refs() {
    let reg = tempfile::tempdir().unwrap();
    copy_dir(&data("json-refs"), reg.path());
    let dir = reg.path();
    let subject = dir.join("schemas/shop.refund.requested");
    // v3 breaks v1/v2 already; start the new subject from v2's shape.
    let v2 = fs::read_to_string(subject.join("v2.schema.json")).unwrap();
    fs::create_dir_all(dir.join("schemas/shop.refund.approved")).unwrap();
    fs::write(dir.join("schemas/shop.refund.approved/v1.schema.json"), &v2).unwrap();
    let same = dir.join("same.schema.json");
    fs::write(&same, &v2).unwrap();
    evreg(dir)
        .args(["add", "shop.refund.approved", "same.schema.json"])
        .assert()
        .success();
    assert!(
        dir.join("schemas/shop.refund.approved/v2.schema.json")
            .exists()
    );
    // Adding a required property breaks BACKWARD: refused, nothing written.
    let mut value: Value = serde_json::from_str(&v2).unwrap();
    value["required"]
        .as_array_mut()
        .unwrap()
        .push(Value::String("approvedBy".into()));
    value["properties"]["approvedBy"] = serde_json::json!({"type": "string"});
    fs::write(
        dir.join("stricter.schema.json"),
        serde_json::to_string_pretty(&value).unwrap(),
    )
    .unwrap();
    let out = evreg(dir)
        .args([
            "add",
            "shop.refund.approved",
            "stricter.schema.json",
            "--output",
            "json",
        ])
        .assert()
        .code(1);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"].as_str().unwrap().starts_with("json-")),
        "{report}"
    );
    assert!(
        !dir.join("schemas/shop.refund.approved/v3.schema.json")
            .exists()
    );
}

#[test]
fn codegen_rust_writes_the_golden_module() {
    let dir = data("codegen");
    let out = evreg(&dir).args(["codegen", "rust"]).assert().success();
    let code = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("codegen_rust", code);
    // The same input gives the same bytes.
    let again = evreg(&dir).args(["codegen", "rust"]).output().unwrap();
    assert_eq!(again.stdout, code.as_bytes());
}

#[test]
fn codegen_rust_options_select_crate_types() {
    let dir = data("codegen");
    let out = evreg(&dir)
        .args(["codegen", "rust", "--uuid", "--chrono", "--rust-decimal"])
        .args(["orders.order.placed", "shop.item.added"])
        .assert()
        .success();
    let code = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("codegen_rust_options", code);
    assert!(
        !code.contains("CategoryUpdated"),
        "only the subjects asked for"
    );
    let time = evreg(&dir)
        .args(["codegen", "rust", "--time", "shop.item.added"])
        .assert()
        .success();
    let code = String::from_utf8(time.get_output().stdout.clone()).unwrap();
    assert!(code.contains("pub added_on: ::time::Date"), "{code}");
    assert!(
        code.contains("serialize_with = \"::time::serde::rfc3339::serialize\""),
        "{code}"
    );
}

#[test]
fn codegen_rust_out_writes_a_file_and_refuses_unknown_subjects() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("events.rs");
    evreg(&data("codegen"))
        .args(["codegen", "rust", "--out"])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    let written = fs::read_to_string(&file).unwrap();
    assert!(written.starts_with("// @generated by evreg"));
    assert!(written.contains("pub enum AnyEvent"));
    assert!(written.contains("pub struct LogWrittenV2 {"));
    evreg(&data("codegen"))
        .args(["codegen", "rust", "orders.order.shipped"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no subject `orders.order.shipped`",
        ));
    evreg(&data("invalid"))
        .args(["codegen", "rust"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a valid schema"));
}

/// The part of the module that grows with the registry is laid out exactly as rustfmt would.
#[test]
fn codegen_rust_subjects_are_laid_out_as_rustfmt_does() {
    let out = evreg(&data("codegen"))
        .args(["codegen", "rust"])
        .output()
        .unwrap();
    let code = String::from_utf8(out.stdout).unwrap();
    let Ok(mut rustfmt) = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("rustfmt is not installed; skipped");
        return;
    };
    use std::io::Write;
    rustfmt
        .stdin
        .take()
        .unwrap()
        .write_all(code.as_bytes())
        .unwrap();
    let formatted = String::from_utf8(rustfmt.wait_with_output().unwrap().stdout).unwrap();
    let from_subjects = |s: &str| {
        let start = s.find("/// `audit.log.written` version 1.").unwrap();
        s[start..].to_string()
    };
    assert_eq!(from_subjects(&code), from_subjects(&formatted));
}

#[test]
fn avro_named_types_from_shared_files() {
    // shop.order.paid references `shop.Money`, defined once in schemas/shop.Money.avsc.
    let (report, code) = json_of(&data("avro-shared"), &["check"]);
    assert_eq!(
        (code, rules_of(&report)),
        (0, Vec::<String>::new()),
        "{report}"
    );
    let reg = copy_of("avro-shared");
    let dir = reg.path();
    // v3 brings its own Money with another scale: the break is located in both files.
    let v2 = fs::read_to_string(dir.join("schemas/shop.order.paid/v2.avsc")).unwrap();
    let inline = r#"{"type": "record", "name": "Money", "namespace": "shop", "doc": "Money.", "fields": [{"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 4}, "doc": "a"}, {"name": "currency", "type": "string", "doc": "c"}]}"#;
    fs::write(
        dir.join("schemas/shop.order.paid/v3.avsc"),
        v2.replace(
            r#""type": "Money", "doc": "What was paid.""#,
            &format!(r#""type": {inline}, "doc": "What was paid.""#),
        ),
    )
    .unwrap();
    let (report, code) = json_of(dir, &["check"]);
    assert_eq!(code, 1);
    let decimal = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "avro-decimal-mismatch" && f["other_version"] == 2)
        .unwrap();
    assert_eq!(decimal["file"], "schemas/shop.order.paid/v3.avsc");
    assert_eq!(decimal["other_file"], "schemas/shop.Money.avsc");
    assert_eq!(decimal["other_line"], 7);
    assert_eq!(decimal["path"], "total.amount");
    // Editing the shared type in place changes every published version that uses it.
    fs::remove_file(dir.join("schemas/shop.order.paid/v3.avsc")).unwrap();
    evreg(dir).arg("lock").assert().success();
    let money = dir.join("schemas/shop.Money.avsc");
    fs::write(
        &money,
        fs::read_to_string(&money).unwrap().replace(
            r#""type": "string", "doc": "ISO 4217 code.""#,
            r#""type": "string", "default": "EUR", "doc": "ISO 4217 code.""#,
        ),
    )
    .unwrap();
    let (report, _) = json_of(dir, &["check"]);
    let modified: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "version-modified")
        .map(|f| f["version"].as_u64().unwrap())
        .collect();
    assert_eq!(modified, [1, 2], "{report}");
}

#[test]
fn markdown_output_is_a_job_summary_of_errors_and_warnings() {
    let out = evreg(&data("breaking"))
        .args(["check", "--output", "markdown"])
        .env("GITHUB_WORKSPACE", data(""))
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    insta::assert_snapshot!("breaking_markdown", text);
    // Every row has the table's five cells: nothing in a message breaks the table.
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 6, "{line}");
    }
    // A clean registry is one headline.
    let out = evreg(&data("ok"))
        .args(["check", "--output", "markdown"])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.starts_with("### evreg ✅"), "{text}");
    assert!(!text.contains("| "), "{text}");
}
