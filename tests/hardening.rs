//! Hostile and unlucky inputs end to end: files that leave the registry or are no regular files,
//! references in every spelling, concurrent writers, absurd version numbers, mistyped subjects.
//! Every run here has a time limit: a hang is a failure, not a stuck test.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::time::Duration;

mod common;
use common::{report_of, rules_of};

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
        common::write(root, rel, text);
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
    for huge in [
        "v4294967295.avsc",
        "v20000000.avsc",
        "v99999999999999999999.avsc",
    ] {
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
        assert!(
            json.len() < 20_000,
            "{huge}: {} bytes of report",
            json.len()
        );
        assert!(
            json.contains("the highest version evreg reads"),
            "{huge}: {json}"
        );
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

const MONEY: &str =
    r#"{"$defs":{"Money":{"type":"object","properties":{"amount":{"type":"integer"}}}}}"#;
const MONEY_EDITED: &str =
    r#"{"$defs":{"Money":{"type":"object","properties":{"amount":{"type":"string"}}}}}"#;

#[test]
fn editing_a_shared_file_is_caught_whatever_spelling_the_reference_uses() {
    let forms = [
        (
            "root-relative",
            r##"{"$ref":"/schemas/money.schema.json#/$defs/Money"}"##,
        ),
        (
            "evreg: URI",
            r##"{"$ref":"evreg:/schemas/money.schema.json#/$defs/Money"}"##,
        ),
        (
            "percent-encoded",
            r##"{"$ref":"../money%2Eschema.json#/$defs/Money"}"##,
        ),
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
        let out = evreg(root)
            .args(["check", "--output", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{form}: {}", stdout_of(&out));
        evreg(root).arg("lock").assert().success();
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", "v1"]);

        fs::write(root.join("schemas/money.schema.json"), MONEY_EDITED).unwrap();
        // Plain check, through the fingerprint in evreg.lock; then against the last commit with
        // the lock gone, so the git baseline alone must catch it.
        for args in [&["check"][..], &["check", "--against", "HEAD"]] {
            if args.len() > 1 {
                fs::remove_file(root.join("evreg.lock")).unwrap();
            }
            let out = evreg(root)
                .args(args)
                .args(["--output", "json"])
                .output()
                .unwrap();
            let rules = rules_of(&report_of(&out));
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
                    .args(["add", "--new-subject"])
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

// ---- one gate for files ----

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_schemas_is_refused_without_hanging() {
    let reg = registry(&[
        ("evreg.yaml", CONFIG),
        ("schemas/shop.order.placed/v1.avsc", AVRO_V1),
        ("fixtures/shop.order.placed/v1/ok.json", r#"{"id":"1"}"#),
    ]);
    let root = reg.path();
    for fifo in [
        "schemas/shop.order.placed/v2.avsc",
        "schemas/shared.avsc",
        "schemas/shop.order.placed/subject.yaml",
        "fixtures/shop.order.placed/v1/pipe.json",
    ] {
        if !mkfifo(&root.join(fifo)) {
            return; // no mkfifo here
        }
    }
    for args in [&["list"][..], &["check"], &["lock"], &["codegen", "rust"]] {
        let out = evreg(root).args(args).output().unwrap();
        let said = stderr_of(&out) + &stdout_of(&out);
        assert!(out.status.code().is_some(), "{args:?} did not finish");
        if args == ["check"] {
            assert!(said.contains("FIFO"), "{args:?}: {said}");
            let out = evreg(root)
                .args(["check", "--output", "json"])
                .output()
                .unwrap();
            let rules = rules_of(&report_of(&out));
            assert_eq!(
                rules
                    .iter()
                    .filter(|r| *r == "layout-not-regular-file")
                    .count(),
                4,
                "{rules:?}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn folders_and_files_that_link_out_of_the_registry_are_not_read() {
    use std::os::unix::fs::symlink;
    let outside = registry(&[
        ("shop.secret.leaked/v1.avsc", AVRO_V1),
        ("v1.avsc", AVRO_V1),
        ("secret.yaml", "compatibility: NONE\n"),
    ]);
    // A subject folder and a version file that link out: findings, not read.
    let reg = registry(&[
        ("evreg.yaml", CONFIG),
        ("schemas/shop.order.placed/v1.avsc", AVRO_V1),
    ]);
    let root = reg.path();
    symlink(
        outside.path().join("shop.secret.leaked"),
        root.join("schemas/shop.secret.leaked"),
    )
    .unwrap();
    symlink(
        outside.path().join("v1.avsc"),
        root.join("schemas/shop.order.placed/v2.avsc"),
    )
    .unwrap();
    let out = evreg(root)
        .args(["check", "--output", "json"])
        .output()
        .unwrap();
    let report = report_of(&out);
    assert!(
        rules_of(&report)
            .iter()
            .filter(|r| *r == "layout-outside-registry")
            .count()
            == 2,
        "{report}"
    );
    let list = evreg(root).arg("list").output().unwrap();
    assert!(
        !stdout_of(&list).contains("shop.secret.leaked"),
        "{}",
        stdout_of(&list)
    );

    // A `schemas/` or `fixtures/` folder that links out: the command refuses, naming it.
    for folder in ["schemas", "fixtures"] {
        let reg = registry(&[("evreg.yaml", CONFIG)]);
        if folder == "fixtures" {
            write_all(
                reg.path(),
                &[("schemas/shop.order.placed/v1.avsc", AVRO_V1)],
            );
        }
        symlink(outside.path(), reg.path().join(folder)).unwrap();
        let out = evreg(reg.path()).arg("check").output().unwrap();
        let said = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{folder}: {said}");
        assert!(
            said.contains(&format!("{folder} leads to")) && said.contains("outside the registry"),
            "{said}"
        );
    }

    // Settings that link out are refused too.
    let reg = registry(&[("schemas/shop.order.placed/v1.avsc", AVRO_V1)]);
    symlink(
        outside.path().join("secret.yaml"),
        reg.path().join("evreg.yaml"),
    )
    .unwrap();
    let out = evreg(reg.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("outside the registry"),
        "{}",
        stderr_of(&out)
    );
}

#[cfg(unix)]
#[test]
fn writes_stay_inside_the_registry() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let reg = registry(&[
        ("evreg.yaml", CONFIG),
        ("schemas/shop.order.placed/v1.avsc", AVRO_V1),
    ]);
    let root = reg.path();
    // `fixture new --name` takes a file name, not a path.
    let escape = outside.path().join("x").display().to_string();
    for name in ["../../x", "../x.json", escape.as_str(), "a/b", ".hidden"] {
        let out = evreg(root)
            .args(["fixture", "new", "shop.order.placed", "--name", name])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "--name {name}: {}",
            stderr_of(&out)
        );
        assert!(
            stderr_of(&out).contains("not a plain file name"),
            "{}",
            stderr_of(&out)
        );
    }
    // A subject's fixture folder that links out is not written into.
    fs::create_dir_all(root.join("fixtures")).unwrap();
    symlink(outside.path(), root.join("fixtures/shop.order.placed")).unwrap();
    let out = evreg(root)
        .args(["fixture", "new", "shop.order.placed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert_eq!(
        fs::read_dir(outside.path()).unwrap().count(),
        0,
        "written outside the registry"
    );
    // A subject folder that links out is not written into by `add`.
    let new = root.join("new.avsc");
    fs::write(&new, AVRO_V1).unwrap();
    symlink(outside.path(), root.join("schemas/shop.order.refunded")).unwrap();
    let out = evreg(root)
        .args(["add", "shop.order.refunded"])
        .arg(&new)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        fs::read_dir(outside.path()).unwrap().count(),
        0,
        "written outside the registry"
    );
}

#[cfg(unix)]
#[test]
fn codegen_out_replaces_a_regular_file_keeping_its_mode_and_refuses_links_pipes_and_devices() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let reg = registry(&[
        ("evreg.yaml", CONFIG),
        ("schemas/shop.order.placed/v1.avsc", AVRO_V1),
    ]);
    let root = reg.path();
    let build = tempfile::tempdir().unwrap(); // build output, outside the registry
    let out_file = build.path().join("events.rs");
    fs::write(&out_file, "old").unwrap();
    fs::set_permissions(&out_file, fs::Permissions::from_mode(0o640)).unwrap();
    evreg(root)
        .args(["codegen", "rust", "--out"])
        .arg(&out_file)
        .assert()
        .success();
    assert!(
        fs::read_to_string(&out_file)
            .unwrap()
            .contains("pub struct")
    );
    assert_eq!(
        fs::metadata(&out_file).unwrap().permissions().mode() & 0o777,
        0o640
    );

    let link = build.path().join("link.rs");
    symlink(&out_file, &link).unwrap();
    let fifo = build.path().join("pipe.rs");
    let has_fifo = mkfifo(&fifo);
    let mut targets = vec![link.clone(), Path::new("/dev/null").to_path_buf()];
    if has_fifo {
        targets.push(fifo.clone());
    }
    for target in &targets {
        let before = fs::symlink_metadata(target).unwrap().file_type();
        let out = evreg(root)
            .args(["codegen", "rust", "--out"])
            .arg(target)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: {}",
            target.display(),
            stderr_of(&out)
        );
        assert!(
            stderr_of(&out).contains(&target.display().to_string()),
            "{}",
            stderr_of(&out)
        );
        assert_eq!(fs::symlink_metadata(target).unwrap().file_type(), before);
    }
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

// ---- evreg add ----

#[test]
fn add_to_a_misspelt_subject_is_refused_with_a_suggestion() {
    let reg = registry(&[
        ("evreg.yaml", CONFIG),
        ("schemas/orders.order.placed/v1.avsc", AVRO_V1),
    ]);
    let root = reg.path();
    let file = root.join("next.avsc");
    fs::write(&file, AVRO_V1).unwrap();
    let out = evreg(root)
        .args(["add", "orders.order.plcaed"])
        .arg(&file)
        .output()
        .unwrap();
    let said = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("did you mean `orders.order.placed`?"),
        "{said}"
    );
    assert!(said.contains("--new-subject"), "{said}");
    assert!(!root.join("schemas/orders.order.plcaed").exists());
    // Said to be new, it is added; the right name adds v2.
    evreg(root)
        .args(["add", "--new-subject", "orders.order.plcaed"])
        .arg(&file)
        .assert()
        .success();
    assert!(root.join("schemas/orders.order.plcaed/v1.avsc").is_file());
    evreg(root)
        .args(["add", "orders.order.placed"])
        .arg(&file)
        .assert()
        .success();
    assert!(root.join("schemas/orders.order.placed/v2.avsc").is_file());
    // A first subject, with nothing like it, needs no flag.
    let empty = registry(&[("evreg.yaml", CONFIG)]);
    evreg(empty.path())
        .args(["add", "orders.order.placed"])
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn a_refused_add_cites_the_file_the_user_gave() {
    let reg = registry(&[
        ("evreg.yaml", CONFIG),
        ("schemas/orders.order.placed/v1.avsc", AVRO_V1),
    ]);
    let root = reg.path();
    let breaking = AVRO_V1.replace(
        r#"{"name":"id","type":"string"}"#,
        "{\"name\":\"id\",\"type\":\"string\"},\n  {\"name\":\"total\",\"type\":\"long\"}",
    );
    fs::write(root.join("candidate.avsc"), &breaking).unwrap();
    let out = evreg(root)
        .args([
            "add",
            "orders.order.placed",
            "candidate.avsc",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let v = report_of(&out);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "avro-field-missing-default", "{v}");
    assert_eq!(f["file"], "candidate.avsc", "{v}");
    assert_eq!(f["line"], 2, "{v}");
    assert!(
        !v.to_string().contains("v2.avsc"),
        "cites a file that does not exist: {v}"
    );
    assert!(!root.join("schemas/orders.order.placed/v2.avsc").exists());
    // Human output quotes the user's file with the line.
    let out = evreg(root)
        .args(["add", "orders.order.placed", "candidate.avsc"])
        .output()
        .unwrap();
    assert!(
        stdout_of(&out).contains("candidate.avsc:2:"),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn add_accepts_exactly_what_check_accepts_afterwards() {
    let base: &[(&str, &str)] = &[
        ("evreg.yaml", CONFIG),
        ("schemas/money.schema.json", MONEY),
        ("common/money.schema.json", MONEY),
        (
            "schemas/shop.order.paid/v1.schema.json",
            r#"{"type":"object","properties":{"id":{"type":"string"}}}"#,
        ),
    ];
    let candidates = [
        (
            "compatible",
            r#"{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}}}"#,
        ),
        (
            "breaking",
            r#"{"type":"object","properties":{"id":{"type":"integer"}}}"#,
        ),
        ("not JSON", r#"{"type":"object","#),
        (
            "shared file",
            r##"{"type":"object","properties":{"id":{"type":"string"},"total":{"$ref":"../money.schema.json#/$defs/Money"}}}"##,
        ),
        (
            "outside schemas/",
            r##"{"type":"object","properties":{"id":{"type":"string"},"total":{"$ref":"../../common/money.schema.json#/$defs/Money"}}}"##,
        ),
        (
            "outside the registry",
            r##"{"type":"object","properties":{"total":{"$ref":"../../../money.schema.json"}}}"##,
        ),
        ("bad keyword", r#"{"type":"object","minProperties":"two"}"#),
    ];
    for (what, text) in candidates {
        // add --dry-run on one copy …
        let a = registry(base);
        fs::write(a.path().join("c.schema.json"), text).unwrap();
        let added = evreg(a.path())
            .args(["add", "--dry-run", "shop.order.paid", "c.schema.json"])
            .output()
            .unwrap();
        // … check with the file put in place by hand on another.
        let b = registry(base);
        write_all(
            b.path(),
            &[("schemas/shop.order.paid/v2.schema.json", text)],
        );
        let checked = evreg(b.path()).arg("check").output().unwrap();
        assert_eq!(
            added.status.code(),
            checked.status.code(),
            "{what}: add says {}\ncheck says {}",
            stdout_of(&added) + &stderr_of(&added),
            stdout_of(&checked)
        );
    }
}

#[cfg(unix)]
#[test]
fn settings_or_lock_that_are_fifos_stop_the_command_with_the_reason() {
    for name in ["evreg.yaml", "evreg.lock"] {
        let reg = registry(&[("schemas/shop.order.placed/v1.avsc", AVRO_V1)]);
        if name == "evreg.lock" {
            write_all(reg.path(), &[("evreg.yaml", CONFIG)]);
        }
        if !mkfifo(&reg.path().join(name)) {
            return;
        }
        for args in [&["list"][..], &["check"], &["lock"]] {
            let out = evreg(reg.path()).args(args).output().unwrap();
            let said = stderr_of(&out);
            assert_eq!(out.status.code(), Some(2), "{name}, {args:?}: {said}");
            assert!(said.contains(name) && said.contains("FIFO"), "{said}");
        }
    }
}
