//! The git-aware surface end to end, in real temporary repositories made with git2.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;

mod common;
use common::{GitRepo, copy_dir, data, rules_of};

const V2: &str = "schemas/shop.order.placed/v2.avsc";

#[test]
fn an_edited_published_version_is_caught_at_the_change() {
    let r = GitRepo::committed("ok");
    // A doc edit and reformatting are fine.
    r.write(
        V2,
        &r.read(V2)
            .replace("Units.", "Units ordered.")
            .replace("  ", "    "),
    );
    let (report, code) = r.json(&["check", "--against", "HEAD"]);
    assert_eq!((code, rules_of(&report)), (0, vec![]), "{report}");
    // A changed type is not.
    r.write(
        V2,
        &r.read(V2).replace(r#""type": "int""#, r#""type": "long""#),
    );
    let (report, code) = r.json(&["check", "--against", "HEAD"]);
    assert_eq!(code, 1);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "version-modified")
        .unwrap();
    assert_eq!(f["pointer"], "/fields/1/type");
    assert_eq!(f["line"], 8);
    // The other side is the file as it is at HEAD.
    assert_eq!(f["other_file"], format!("HEAD:{V2}"));
    assert!(f["message"].as_str().unwrap().contains("HEAD"));
}

#[test]
fn a_deleted_version_and_a_loosened_mode_are_caught() {
    let r = GitRepo::committed("ok");
    fs::remove_file(r.path().join("schemas/shop.order.cancelled/v2.avsc")).unwrap();
    r.write(
        "schemas/shop.order.placed/subject.yaml",
        "compatibility: BACKWARD\nowner: team-orders\n",
    );
    let (report, code) = r.json(&["check", "--against", "HEAD"]);
    assert_eq!(code, 1);
    let mut found = rules_of(&report);
    found.sort();
    assert_eq!(found, ["mode-loosened", "version-deleted"]);
}

#[test]
fn new_versions_are_checked_by_mode_against_the_ref() {
    let r = GitRepo::committed("ok");
    let v3 = r.read(V2).replace(
        r#""doc": "Coupon code."}"#,
        r#""doc": "Coupon code."}, {"name": "channel", "type": "string", "doc": "Channel."}"#,
    );
    r.write("schemas/shop.order.placed/v3.avsc", &v3);
    let (report, code) = r.json(&["check", "--against", "HEAD"]);
    assert_eq!(code, 1);
    assert!(
        rules_of(&report)
            .iter()
            .all(|r| *r == "avro-field-missing-default"),
        "{report}"
    );
    let v3 = v3.replace(
        r#""type": "string", "doc": "Channel."#,
        r#""type": "string", "default": "web", "doc": "Channel."#,
    );
    r.write("schemas/shop.order.placed/v3.avsc", &v3);
    r.evreg()
        .args(["check", "--against", "HEAD"])
        .assert()
        .success();
}

#[test]
fn a_missing_ref_says_how_to_fetch_it() {
    let r = GitRepo::committed("ok");
    r.evreg()
        .args(["check", "--against", "origin/main"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("`origin/main` does not exist")
                .and(predicate::str::contains("git fetch origin main"))
                .and(predicate::str::contains("fetch-depth: 0")),
        );
}

#[test]
fn outside_git_against_is_a_clear_failure() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&data("ok"), dir.path());
    let mut cmd = Command::cargo_bin("evreg").unwrap();
    cmd.current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["check", "--against", "main"]);
    cmd.assert()
        .code(2)
        .stderr(predicate::str::contains("not inside a git repository"));
}

#[test]
fn only_new_hides_what_the_ref_already_had() {
    let r = GitRepo::committed("breaking");
    let (before, _) = r.json(&["check"]);
    assert!(!rules_of(&before).is_empty());
    r.evreg()
        .args(["check", "--against", "HEAD", "--only-new"])
        .assert()
        .success();
    // A new break shows; the old ones stay hidden.
    let v2 = r.read("schemas/shop.payment.taken/v2.avsc");
    r.write(
        "schemas/shop.payment.taken/v3.avsc",
        &v2.replace(
            r#""fields": ["#,
            r#""fields": [{"name": "fee", "type": "int", "doc": "Fee."},"#,
        ),
    );
    let (report, code) = r.json(&["check", "--against", "HEAD", "--only-new"]);
    assert_eq!(code, 1);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["version"] == 3),
        "{report}"
    );
    assert!(
        rules_of(&report)
            .iter()
            .any(|r| r == "avro-field-missing-default")
    );
    let (all, _) = r.json(&["check", "--against", "HEAD"]);
    assert!(
        all["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["version"] == 2)
    );
}

#[test]
fn the_lock_catches_edits_without_history() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&data("ok"), dir.path());
    let evreg = || {
        let mut c = Command::cargo_bin("evreg").unwrap();
        c.current_dir(dir.path()).env("NO_COLOR", "1");
        c
    };
    evreg()
        .arg("lock")
        .assert()
        .success()
        .stderr(predicate::str::contains("shop.order.placed v2"));
    let lock = fs::read_to_string(dir.path().join("evreg.lock")).unwrap();
    assert_eq!(lock.lines().filter(|l| l.contains("sha256:")).count(), 4);
    evreg()
        .arg("lock")
        .assert()
        .success()
        .stderr(predicate::str::contains("up to date"));
    evreg().arg("check").assert().success();
    let v2 = dir.path().join(V2);
    fs::write(
        &v2,
        fs::read_to_string(&v2).unwrap().replace(
            "\"default\": null",
            "\"default\": null, \"aliases\": [\"promo\"]",
        ),
    )
    .unwrap();
    evreg()
        .args(["check", "--output", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("version-modified"));
    evreg()
        .arg("lock")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not written"));
    assert_eq!(
        fs::read_to_string(dir.path().join("evreg.lock")).unwrap(),
        lock,
        "a refused lock leaves the file alone"
    );
}

#[test]
fn add_records_the_new_version_in_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&data("ok"), dir.path());
    let evreg = || {
        let mut c = Command::cargo_bin("evreg").unwrap();
        c.current_dir(dir.path()).env("NO_COLOR", "1");
        c
    };
    evreg().arg("lock").assert().success();
    fs::write(
        dir.path().join("next.avsc"),
        fs::read_to_string(dir.path().join(V2)).unwrap(),
    )
    .unwrap();
    evreg()
        .args(["add", "shop.order.placed", "next.avsc"])
        .assert()
        .success();
    let lock = fs::read_to_string(dir.path().join("evreg.lock")).unwrap();
    assert!(lock.contains("shop.order.placed 3 sha256:"), "{lock}");
    evreg().arg("check").assert().success();
}

#[test]
fn log_names_the_commit_of_each_version() {
    let r = GitRepo::committed("ok");
    let v3 = r.read(V2);
    r.write("schemas/shop.order.placed/v3.avsc", &v3);
    r.commit("shop.order.placed v3: same as v2");
    let out = r
        .evreg()
        .args(["log", "shop.order.placed", "--output", "json"])
        .assert()
        .success();
    let rows: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(rows[0]["summary"], "initial registry");
    assert_eq!(rows[2]["summary"], "shop.order.placed v3: same as v2");
    assert_eq!(rows[2]["author"], "Dana Example");
    assert_eq!(rows[2]["date"], "2025-11-24T17:00:00+01:00");
    r.write("schemas/shop.order.placed/v4.avsc", &v3);
    r.evreg()
        .args(["log", "shop.order.placed"])
        .assert()
        .success()
        .stdout(predicate::str::contains("v4   (not committed yet)"));
}

#[test]
fn staged_checks_the_index_not_the_working_tree() {
    let r = GitRepo::committed("ok");
    let bad = r
        .read(V2)
        .replace(r#""type": "int""#, r#""type": "string""#);
    r.write("schemas/shop.order.placed/v3.avsc", &bad);
    r.stage_all();
    // Fixed in the working tree but not staged: the commit would still carry the break.
    fs::remove_file(r.path().join("schemas/shop.order.placed/v3.avsc")).unwrap();
    r.evreg().arg("check").assert().success();
    r.evreg()
        .args(["check", "--staged"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("avro-type-mismatch"));
}

#[test]
fn the_pre_commit_hook_blocks_a_staged_break() {
    let r = GitRepo::committed("ok");
    r.evreg().args(["hook", "install"]).assert().success();
    let hook = r.path().join(".git/hooks/pre-commit");
    let script = fs::read_to_string(&hook).unwrap();
    assert!(script.contains("check --staged"), "{script}");
    // Installing again replaces evreg's own hook.
    r.evreg().args(["hook", "install"]).assert().success();
    let bad = r
        .read(V2)
        .replace(r#""type": "int""#, r#""type": "string""#);
    r.write("schemas/shop.order.placed/v3.avsc", &bad);
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-c", "user.name=Dana", "-c", "user.email=dana@example.com"])
            .args(args)
            .current_dir(r.path())
            .env(
                "PATH",
                format!(
                    "/usr/bin:/bin:{}",
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .output()
            .unwrap()
    };
    assert!(git(&["add", "-A"]).status.success());
    let refused = git(&["commit", "-m", "break the order event"]);
    assert!(!refused.status.success(), "the hook lets a break through");
    // Git hands the hook's output to the committer's terminal.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(said.contains("avro-type-mismatch"), "{said}");
    r.write("schemas/shop.order.placed/v3.avsc", &r.read(V2));
    assert!(git(&["add", "-A"]).status.success());
    let accepted = git(&["commit", "-m", "v3"]);
    assert!(
        accepted.status.success(),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
}

#[test]
fn a_foreign_hook_is_never_overwritten_unasked() {
    let r = GitRepo::committed("ok");
    let hook = r.path().join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    fs::write(&hook, "#!/bin/sh\nmake lint\n").unwrap();
    r.evreg()
        .args(["hook", "install"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(fs::read_to_string(&hook).unwrap(), "#!/bin/sh\nmake lint\n");
    r.evreg()
        .args(["hook", "install", "--force"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(r.path().join(".git/hooks/pre-commit.evreg-backup")).unwrap(),
        "#!/bin/sh\nmake lint\n"
    );
}

#[test]
fn diff_lists_changes_and_marks_the_breaking_ones() {
    let r = GitRepo::committed("breaking");
    let out = r
        .evreg()
        .args(["diff", "shop.order.placed"])
        .assert()
        .code(1);
    insta::assert_snapshot!(
        "diff_human",
        String::from_utf8_lossy(&out.get_output().stdout)
    );
    let (d, code) = r.json(&["diff", "shop.order.placed", "1", "2"]);
    assert_eq!(code, 0, "a compatible pair: {d}");
    let d = &d["diffs"][0];
    assert_eq!(
        (
            d["from"].as_str(),
            d["to"].as_str(),
            d["breaking"].as_bool()
        ),
        (Some("v1"), Some("v2"), Some(false))
    );
    assert_eq!(d["changes"][0]["kind"], "field-added");
    // Since a ref: an edited published version and a new version.
    r.write(
        "schemas/shop.payment.taken/v1.avsc",
        &r.read("schemas/shop.payment.taken/v1.avsc")
            .replace("\"CASH\", ", ""),
    );
    r.write(
        "schemas/shop.order.placed/v4.avsc",
        &r.read("schemas/shop.order.placed/v3.avsc"),
    );
    let (d, code) = r.json(&["diff", "--against", "HEAD"]);
    // The edited v1 lost a symbol events already written use.
    assert_eq!(code, 1, "{d}");
    let verdicts: Vec<&str> = d["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["compatible", "breaking"]);
    let pairs: Vec<(&str, &str, &str)> = d["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["subject"].as_str().unwrap(),
                d["from"].as_str().unwrap(),
                d["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("shop.order.placed", "HEAD:v3", "v4"),
            ("shop.payment.taken", "HEAD:v1", "v1")
        ]
    );
}

#[test]
fn a_shared_definition_edited_in_place_changes_every_version_that_uses_it() {
    let r = GitRepo::committed("json-refs");
    // Reached through common.schema.json: a transitive `$ref`.
    let shared = "schemas/currency.schema.json";
    let before = r.read(shared);
    r.write(
        shared,
        &before.replace(
            "\"pattern\"",
            "\"description\": \"ISO 4217 code.\", \"pattern\"",
        ),
    );
    let (report, _) = r.json(&["check", "--against", "HEAD"]);
    assert!(
        !rules_of(&report).iter().any(|r| r == "version-modified"),
        "docs may change: {report}"
    );
    r.write(shared, &before.replace("[A-Z]{3}", "[A-Z]{2,3}"));
    let (report, code) = r.json(&["check", "--against", "HEAD"]);
    assert_eq!(code, 1);
    let modified: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "version-modified")
        .collect();
    assert_eq!(
        modified.len(),
        3,
        "every version refs the shared file: {report}"
    );
    // Located at the change in the shared file, its old side the file at HEAD.
    assert!(
        modified
            .iter()
            .all(|f| f["file"] == shared && f["other_file"] == format!("HEAD:{shared}")),
        "{report}"
    );
    // The lock sees it too, without history.
    r.write(shared, &before);
    r.evreg().arg("lock").assert().success();
    r.write(shared, &before.replace("[A-Z]{3}", "[A-Z]{2,3}"));
    let (report, _) = r.json(&["check"]);
    assert_eq!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "version-modified")
            .count(),
        3,
        "{report}"
    );
}
