//! Output for people: short when all is well, one screen per problem, and the same findings in
//! every text form (human, `--quiet`, `--output concise`).

use std::fs;
use std::path::Path;

mod common;
use common::{data, evreg};

/// An Avro record without docs (each version draws `avro-doc-missing` notes); `quantity` has
/// `quantity_type`.
fn record(name: &str, quantity_type: &str) -> String {
    format!(
        r#"{{
  "type": "record",
  "name": "{name}",
  "namespace": "shop",
  "fields": [
    {{"name": "id", "type": "string"}},
    {{"name": "quantity", "type": "{quantity_type}"}}
  ]
}}
"#
    )
}

/// A registry of `clean` subjects with two versions each and no docs, and `broken` subjects
/// whose v2 narrows `quantity` from long to int; the doc lint is on, as `evreg init` writes it.
fn registry(dir: &Path, clean: usize, broken: usize) {
    fs::write(
        dir.join("evreg.yaml"),
        "compatibility: BACKWARD\nrules:\n  avro-doc-missing: info\n",
    )
    .unwrap();
    let add = |name: &str, v2: &str| {
        let d = dir.join("schemas").join(name);
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("v1.avsc"), record("Item", "long")).unwrap();
        fs::write(d.join("v2.avsc"), record("Item", v2)).unwrap();
    };
    for i in 0..clean {
        add(&format!("shop.item{i:04}.changed"), "long");
    }
    for i in 0..broken {
        add(&format!("shop.broken{i}.changed"), "int");
    }
}

fn stdout(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_clean_large_registry_is_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    registry(tmp.path(), 500, 0);
    let text = stdout(evreg(tmp.path()).arg("check"), 0);
    insta::assert_snapshot!("clean_large_human", text);
    assert!(text.lines().count() <= 3, "{text}");
    // Every note is there when asked for.
    let all = stdout(evreg(tmp.path()).args(["check", "--show", "info"]), 0);
    assert_eq!(
        all.matches("avro-doc-missing\n").count(),
        1500,
        "three per subject"
    );
    let verbose = stdout(evreg(tmp.path()).args(["check", "-v", "-o", "concise"]), 0);
    assert_eq!(verbose.matches(" info avro-doc-missing: ").count(), 1500);
}

#[test]
fn the_doc_lint_runs_only_where_evreg_yaml_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    registry(tmp.path(), 3, 1);
    let rules_in = |settings: &str, args: &[&str], code: i32| {
        fs::write(tmp.path().join("evreg.yaml"), settings).unwrap();
        let out = stdout(evreg(tmp.path()).args(args), code);
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut rules: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["severity"]))
            .collect();
        rules.dedup();
        rules
    };
    let check = ["check", "-o", "json"];
    // Off by default: the break alone.
    assert_eq!(
        rules_in("compatibility: BACKWARD\n", &check, 1),
        ["avro-type-mismatch \"error\""]
    );
    // Named at a level: on at that level.
    let on = rules_in(
        "compatibility: BACKWARD\nrules:\n  avro-doc-missing: warning\n",
        &check,
        1,
    );
    assert!(
        on.contains(&"avro-doc-missing \"warning\"".to_string()),
        "{on:?}"
    );
    // Named `off`: off, as before.
    assert_eq!(
        rules_in(
            "compatibility: BACKWARD\nrules:\n  avro-doc-missing: off\n",
            &check,
            1
        ),
        ["avro-type-mismatch \"error\""]
    );
    // The catalogue says so.
    let listed = stdout(evreg(tmp.path()).args(["rules", "-o", "json"]), 0);
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let doc = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "avro-doc-missing")
        .unwrap();
    assert_eq!(
        (&doc["on_by_default"], &doc["severity"]),
        (&false.into(), &"info".into())
    );
    let explained = stdout(evreg(tmp.path()).args(["explain", "avro-doc-missing"]), 0);
    assert!(
        explained.starts_with(
            "avro-doc-missing (lint, off by default; info when turned on in evreg.yaml)"
        ),
        "{explained}"
    );
}

#[test]
fn notes_and_two_errors_in_every_text_form() {
    let tmp = tempfile::tempdir().unwrap();
    registry(tmp.path(), 1, 2);
    insta::assert_snapshot!(
        "two_errors_human",
        stdout(evreg(tmp.path()).arg("check"), 1)
    );
    insta::assert_snapshot!(
        "two_errors_quiet",
        stdout(evreg(tmp.path()).args(["check", "-q"]), 1)
    );
    insta::assert_snapshot!(
        "two_errors_concise",
        stdout(evreg(tmp.path()).args(["check", "--output", "concise"]), 1)
    );
}

#[test]
fn check_narrows_to_the_subjects_named() {
    let tmp = tempfile::tempdir().unwrap();
    registry(tmp.path(), 1, 2);
    let text = stdout(
        evreg(tmp.path()).args(["check", "-o", "concise", "shop.broken1.changed"]),
        1,
    );
    assert!(!text.contains("shop.broken0"), "{text}");
    assert!(
        text.contains("error avro-type-mismatch: shop.broken1.changed v2 reading v1"),
        "{text}"
    );
    assert!(
        text.contains("1 error, 3 notes in 1 subject (2 versions)"),
        "{text}"
    );
    let text = stdout(
        evreg(tmp.path()).args(["check", "shop.item0000.changed"]),
        0,
    );
    assert!(text.starts_with("✓ 3 notes in 1 subject"), "{text}");
    evreg(tmp.path())
        .args(["check", "shop.broken9.changed"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean"));
}

#[test]
fn an_allow_entry_for_a_subject_left_out_is_not_stale() {
    let text = stdout(
        evreg(&data("allow")).args(["check", "-o", "concise", "shop.order.placed"]),
        0,
    );
    assert!(text.contains("allow-unused"), "{text}");
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&data("allow"), tmp.path());
    registry(tmp.path(), 1, 0);
    let text = stdout(
        evreg(tmp.path()).args(["check", "-o", "concise", "shop.item0000.changed"]),
        0,
    );
    assert!(!text.contains("allow-unused"), "{text}");
}

#[test]
fn a_finding_at_column_5000_of_a_minified_schema_fits_a_screen() {
    let text = stdout(evreg(&data("minified")).arg("check"), 1);
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 160, "{widest} columns:\n{text}");
    assert!(text.contains("v2.avsc:1:5043]"), "{text}");
    insta::assert_snapshot!("minified_human", text);
}

#[test]
fn compatibility_findings_say_who_breaks() {
    let dir = data("pairs");
    let backward = stdout(evreg(&dir).args(["compat", "old.avsc", "new.avsc"]), 1);
    assert!(
        backward.contains("who breaks: consumers already on new.avsc cannot read events producers"),
        "{backward}"
    );
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("old.avsc"), record("Item", "int")).unwrap();
    fs::write(tmp.path().join("new.avsc"), record("Item", "long")).unwrap();
    let forward = stdout(
        evreg(tmp.path()).args(["compat", "old.avsc", "new.avsc", "--mode", "forward"]),
        1,
    );
    assert!(
        forward.contains("who breaks: consumers still on old.avsc cannot read events producers"),
        "{forward}"
    );
}

#[test]
fn colour_follows_the_usual_variables() {
    let tmp = tempfile::tempdir().unwrap();
    registry(tmp.path(), 0, 1);
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        let mut cmd = evreg(tmp.path());
        cmd.env_remove("NO_COLOR").arg("check").args(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        stdout(&mut cmd, 1).contains('\u{1b}')
    };
    assert!(!run(&[], &[]), "not a terminal");
    assert!(run(&[("FORCE_COLOR", "1")], &[]));
    assert!(run(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!run(&[("FORCE_COLOR", "0")], &[]));
    assert!(!run(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!run(&[("FORCE_COLOR", "1")], &["--color", "never"]));
    assert!(run(&[("NO_COLOR", "1")], &["--color", "always"]));
}

#[test]
fn lock_lists_what_it_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    registry(tmp.path(), 30, 0);
    let out = evreg(tmp.path()).arg("lock").assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines[0], "recorded 60 versions in evreg.lock:");
    assert_eq!(lines[1], "  shop.item0000.changed v1");
    assert_eq!(lines[21], "  … and 40 more (--verbose lists them all)");
    assert_eq!(lines.len(), 22);
}

#[test]
fn validate_names_the_place_the_expected_and_the_found() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("evreg.yaml"), "compatibility: BACKWARD\n").unwrap();
    let subject = dir.join("schemas/shop.cart.checked");
    fs::create_dir_all(&subject).unwrap();
    fs::write(
        subject.join("v1.schema.json"),
        r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["cartId", "lines"],
  "additionalProperties": false,
  "properties": {
    "cartId": {"type": "string", "minLength": 4},
    "lines": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["sku", "quantity"],
        "properties": {
          "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"},
          "quantity": {"type": "integer", "minimum": 1}
        }
      }
    }
  }
}
"#,
    )
    .unwrap();
    fs::write(
        dir.join("cart.json"),
        r#"{
  "cartId": "c1",
  "lines": [
    {"sku": "ABC-1", "quantity": "2"},
    {"sku": "abc", "quantity": 0}
  ],
  "note": "gift"
}
"#,
    )
    .unwrap();
    let text = stdout(
        evreg(dir).args(["validate", "--subject", "shop.cart.checked", "cart.json"]),
        1,
    );
    assert!(!text.contains("is not of type"), "validator text: {text}");
    insta::assert_snapshot!("validate_human", text);
}

#[test]
fn completions_and_the_manual_page_come_from_the_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef evreg"),
        ("fish", "complete -c evreg"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[evreg]"),
    ] {
        let text = stdout(evreg(tmp.path()).args(["completions", shell]), 0);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("validate"), "{shell} completes subcommands");
    }
    let man = stdout(evreg(tmp.path()).arg("man"), 0);
    assert!(man.contains(".TH evreg 1"), "{man}");
    assert!(man.contains("\\-\\-quiet"), "{man}");
    evreg(tmp.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn a_narrowed_check_reports_what_the_whole_check_says_of_those_subjects() {
    for (registry, subject) in [
        ("json-refs", "shop.refund.requested"),
        ("breaking", "shop.payment.taken"),
        ("layout", "shop.order.placed"),
    ] {
        let lines = |args: &[&str]| -> Vec<String> {
            let out = evreg(&data(registry))
                .args(["check", "-v", "-o", "concise"])
                .args(args)
                .output()
                .unwrap();
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with(['✓', '✗']))
                .map(str::to_string)
                .collect()
        };
        let whole: Vec<String> = lines(&[])
            .into_iter()
            .filter(|l| l.contains(&format!(" {subject}")) || l.contains(&format!("/{subject}/")))
            .collect();
        assert!(!whole.is_empty(), "{registry}");
        assert_eq!(lines(&[subject]), whole, "{registry}");
    }
}
