//! Hostile and unlucky inputs end to end: files that leave the registry or are no regular files,
//! references in every spelling, concurrent writers, absurd version numbers, mistyped subjects.
//! Every run here has a time limit: a hang is a failure, not a stuck test.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::time::Duration;

mod common;

const LIMIT: Duration = Duration::from_secs(20);

/// `evreg` in `dir` under the time limit.
fn evreg(dir: &Path) -> Command {
    let mut cmd = common::evreg(dir);
    cmd.timeout(LIMIT);
    cmd
}

/// A registry in a temporary folder from (path, text) pairs.
fn registry(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), files);
    dir
}

fn write_all(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const CONFIG: &str = "compatibility: BACKWARD_TRANSITIVE\n";
const AVRO_V1: &str = r#"{"type":"record","name":"Placed","namespace":"shop","fields":[{"name":"id","type":"string"}]}"#;

// ---- version numbers ----

#[test]
fn an_absurd_version_number_is_ignored_with_a_finding_not_enumerated() {
    for huge in ["v4294967295.avsc", "v20000000.avsc", "v99999999999999999999.avsc"] {
        let reg = registry(&[
            ("evreg.yaml", CONFIG),
            ("schemas/shop.order.placed/v1.avsc", AVRO_V1),
            (&format!("schemas/shop.order.placed/{huge}"), AVRO_V1),
        ]);
        for args in [&["check"][..], &["list"], &["lock", "--check"]] {
            let out = evreg(reg.path()).args(args).output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{huge}, {args:?}: {}",
                stderr_of(&out)
            );
        }
        let out = evreg(reg.path())
            .args(["check", "--output", "json"])
            .output()
            .unwrap();
        let json = stdout_of(&out);
        assert!(json.len() < 20_000, "{huge}: {} bytes of report", json.len());
        assert!(json.contains("the highest version evreg reads"), "{huge}: {json}");
    }
}

#[test]
fn a_gap_up_to_the_highest_version_is_summarised_as_a_range() {
    let reg = registry(&[
        ("evreg.yaml", CONFIG),
        ("schemas/shop.order.placed/v1.avsc", AVRO_V1),
        ("schemas/shop.order.placed/v3.avsc", AVRO_V1),
        ("schemas/shop.order.placed/v1000000.avsc", AVRO_V1),
    ]);
    let out = evreg(reg.path())
        .args(["check", "--output", "json"])
        .output()
        .unwrap();
    let said = stdout_of(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("lacks v2, v4..v999999"), "{said}");
    assert!(said.len() < 20_000);
}

// ---- one resolver for references ----

/// Run git in `dir` with a fixed identity.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Dana",
            "-c",
            "user.email=dana@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr_of(&out));
}

const MONEY: &str = r#"{"$defs":{"Money":{"type":"object","properties":{"amount":{"type":"integer"}}}}}"#;
const MONEY_EDITED: &str = r#"{"$defs":{"Money":{"type":"object","properties":{"amount":{"type":"string"}}}}}"#;

fn rules_of(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn editing_a_shared_file_is_caught_whatever_spelling_the_reference_uses() {
    let forms = [
        ("root-relative", r##"{"$ref":"/schemas/money.schema.json#/$defs/Money"}"##),
        ("evreg: URI", r##"{"$ref":"evreg:/schemas/money.schema.json#/$defs/Money"}"##),
        ("percent-encoded", r##"{"$ref":"../money%2Eschema.json#/$defs/Money"}"##),
        (
            "under a $id",
            r##"{"$id":"../","properties":{"total":{"$ref":"money.schema.json#/$defs/Money"}}}"##,
        ),
    ];
    for (form, v1) in forms {
        let reg = registry(&[
            ("evreg.yaml", CONFIG),
            ("schemas/money.schema.json", MONEY),
            ("schemas/shop.order.placed/v1.schema.json", v1),
        ]);
        let root = reg.path();
        let out = evreg(root).args(["check", "--output", "json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{form}: {}", stdout_of(&out));
        evreg(root).arg("lock").assert().success();
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", "v1"]);

        fs::write(root.join("schemas/money.schema.json"), MONEY_EDITED).unwrap();
        for args in [&["check"][..], &["check", "--against", "HEAD"]] {
            let out = evreg(root)
                .args(args)
                .args(["--output", "json"])
                .output()
                .unwrap();
            let rules = rules_of(&stdout_of(&out));
            assert!(
                rules.iter().any(|r| r == "version-modified"),
                "{form}, {args:?}: the edit of the shared file passes: {rules:?}"
            );
            assert_eq!(out.status.code(), Some(1), "{form}, {args:?}");
        }
    }
}

// ---- evreg.lock under an exclusive lock ----

#[test]
fn concurrent_adds_of_different_subjects_all_end_up_in_the_lock() {
    const N: usize = 8;
    let reg = registry(&[("evreg.yaml", "compatibility: BACKWARD\n")]);
    let root = reg.path();
    let mut files = Vec::new();
    for i in 0..N {
        let f = root.join(format!("new{i}.avsc"));
        fs::write(&f, AVRO_V1).unwrap();
        files.push(f);
    }
    for round in 0..3 {
        let children: Vec<_> = (0..N)
            .map(|i| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("evreg"))
                    .current_dir(root)
                    .arg("add")
                    .arg(format!("shop.order.e{round}x{i}"))
                    .arg(&files[i])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr_of(&out));
        }
        let lock = fs::read_to_string(root.join("evreg.lock")).unwrap();
        for r in 0..=round {
            for i in 0..N {
                assert!(
                    lock.contains(&format!("shop.order.e{r}x{i} 1 sha256:")),
                    "round {round}: shop.order.e{r}x{i} is missing from evreg.lock:\n{lock}"
                );
            }
        }
    }
    evreg(root).args(["lock", "--check"]).assert().success();
    evreg(root).arg("check").assert().success();
}
