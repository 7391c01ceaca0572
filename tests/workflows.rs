//! Everyday git workflows end to end, in real repositories made with the git command line: a
//! monorepo whose registry lives in `events/` (named types reused, a shared JSON definition, a
//! successor subject), branches behind main, pre-commit hooks, shallow clones, CI reports.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{copy_dir, data};

const PLACED: &str = "events/schemas/shop.order.placed";
const PLACED_V1: &str = "events/schemas/shop.order.placed/v1.avsc";

/// A git repository holding a copy of `tests/data/monorepo`, its registry locked and committed
/// on `main`.
struct Mono {
    dir: tempfile::TempDir,
    /// The registry's folder inside the repository.
    registry: String,
}

impl Mono {
    fn new() -> Mono {
        Mono::in_folder("events")
    }

    /// The monorepo with its registry folder named `folder`.
    fn in_folder(folder: &str) -> Mono {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        copy_dir(&data("monorepo"), &repo);
        if folder != "events" {
            fs::rename(repo.join("events"), repo.join(folder)).unwrap();
        }
        fs::create_dir_all(dir.path().join("home")).unwrap();
        let m = Mono {
            dir,
            registry: folder.to_string(),
        };
        m.git(&["init", "-q", "-b", "main"]);
        m.evreg().arg("lock").assert().success();
        m.commit_all("the shop's events");
        m
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn registry_dir(&self) -> PathBuf {
        self.root().join(&self.registry)
    }

    /// git with no user or system configuration, fixed identities and dates.
    fn git_command(&self, dir: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(dir)
            .env("HOME", self.dir.path().join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Dana Example")
            .env("GIT_AUTHOR_EMAIL", "dana@example.com")
            .env("GIT_COMMITTER_NAME", "Dana Example")
            .env("GIT_COMMITTER_EMAIL", "dana@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-24T17:00:00+01:00")
            .env("GIT_COMMITTER_DATE", "2026-11-24T17:00:00+01:00")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE");
        cmd
    }

    fn git_output(&self, args: &[&str]) -> Output {
        self.git_command(&self.root()).args(args).output().unwrap()
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
    }

    fn write(&self, rel: &str, text: &str) {
        common::write(&self.root(), rel, text);
    }

    fn read(&self, rel: &str) -> String {
        common::read(&self.root(), rel)
    }

    /// evreg run from the registry's folder.
    fn evreg(&self) -> Command {
        self.evreg_in(&self.registry_dir())
    }

    fn evreg_in(&self, dir: &Path) -> Command {
        let mut cmd = common::evreg(dir);
        cmd.env("HOME", self.dir.path().join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GITHUB_WORKSPACE");
        cmd
    }

    /// `evreg ARGS --output json`: the report, the exit code and stderr.
    fn json(&self, args: &[&str]) -> (Value, i32, String) {
        let out = self
            .evreg()
            .args(args)
            .args(["--output", "json"])
            .output()
            .unwrap();
        (
            common::report_of(&out),
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn human(&self, args: &[&str]) -> (String, i32) {
        let out = self.evreg().args(args).output().unwrap();
        (
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            out.status.code().unwrap(),
        )
    }
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"].as_array().unwrap().iter().collect()
}

fn with_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report)
        .into_iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn errors(report: &Value) -> Vec<(String, Option<u64>)> {
    findings(report)
        .into_iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["version"].as_u64(),
            )
        })
        .collect()
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u64 {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    text[..at].matches('\n').count() as u64 + 1
}

/// v1 of shop.order.placed with an alias added to `quantity`: still compatible with every
/// version, but an edit of a published one.
fn quantity_aliased(v1: &str) -> String {
    let edited = v1.replace(
        r#"{"name": "quantity", "type": "int","#,
        r#"{"name": "quantity", "type": "int", "aliases": ["qty"],"#,
    );
    assert_ne!(edited, v1);
    edited
}

#[test]
fn the_realistic_registry_is_clean_and_locked() {
    let m = Mono::new();
    let (report, code, _) = m.json(&["check"]);
    assert_eq!(code, 0, "{report}");
    assert!(errors(&report).is_empty(), "{report}");
    let lock = m.read("events/evreg.lock");
    assert_eq!(lock.lines().filter(|l| l.contains("sha256:")).count(), 6);
}

#[test]
fn an_edit_of_a_published_version_is_reported_once_at_its_change_with_the_old_text() {
    let m = Mono::new();
    let v1 = m.read(PLACED_V1);
    m.write(PLACED_V1, &quantity_aliased(&v1));
    let (report, code, _) = m.json(&["check", "--against", "main"]);
    assert_eq!(code, 1);
    let edits = with_rule(&report, "version-modified");
    assert_eq!(
        edits.len(),
        1,
        "the lock and the ref name the same edit: {report}"
    );
    let f = edits[0];
    assert_eq!(f["file"], "schemas/shop.order.placed/v1.avsc");
    assert_eq!(f["line"], line_of(&v1, r#"{"name": "quantity""#));
    // The other side is the baseline's file, as git names a blob at a revision.
    assert_eq!(f["other_file"], "main:schemas/shop.order.placed/v1.avsc");
    assert_eq!(f["other_line"], f["line"]);
    let (text, _) = m.human(&["check", "--against", "main"]);
    let old_side = text
        .split("main:schemas/shop.order.placed/v1.avsc")
        .skip(1)
        .last()
        .unwrap_or_else(|| panic!("no baseline snippet: {text}"));
    assert!(
        old_side.contains(r#"{"name": "quantity", "type": "int", "doc""#)
            && !old_side.contains("qty"),
        "the old side shows the baseline's text: {text}"
    );

    // A deletion, once.
    m.write(PLACED_V1, &v1);
    fs::remove_file(m.root().join(PLACED).join("v2.avsc")).unwrap();
    let (report, code, _) = m.json(&["check", "--against", "main"]);
    assert_eq!(code, 1);
    assert_eq!(with_rule(&report, "version-deleted").len(), 1, "{report}");
}

#[test]
fn without_a_ref_the_lock_finding_points_at_the_change() {
    let m = Mono::new();
    let v1 = m.read(PLACED_V1);
    m.write(PLACED_V1, &quantity_aliased(&v1));
    // In the repository, HEAD's text shows where the locked version changed.
    let (report, code, _) = m.json(&["check"]);
    assert_eq!(code, 1);
    let edits = with_rule(&report, "version-modified");
    assert_eq!(edits.len(), 1, "{report}");
    assert_eq!(edits[0]["line"], line_of(&v1, r#"{"name": "quantity""#));
    assert_eq!(
        edits[0]["other_file"],
        "HEAD:schemas/shop.order.placed/v1.avsc"
    );

    // Without history the lock says what its fingerprint covers.
    let loose = tempfile::tempdir().unwrap();
    copy_dir(&m.registry_dir(), loose.path());
    let shared = loose.path().join("schemas/money.schema.json");
    fs::write(
        &shared,
        fs::read_to_string(&shared)
            .unwrap()
            .replace("^[A-Z]{3}$", "^[A-Z]{2,3}$"),
    )
    .unwrap();
    let out = m
        .evreg_in(loose.path())
        .env("GIT_CEILING_DIRECTORIES", loose.path().parent().unwrap())
        .args(["check", "--output", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let refund: Vec<&Value> = with_rule(&report, "version-modified")
        .into_iter()
        .filter(|f| f["subject"] == "shop.refund.requested")
        .collect();
    assert_eq!(refund.len(), 2, "{report}");
    assert!(
        refund.iter().all(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("schemas/money.schema.json")),
        "{report}"
    );
}

#[test]
fn a_branch_behind_main_is_judged_on_its_own_changes() {
    let m = Mono::new();
    m.git(&["checkout", "-q", "-b", "feature"]);
    // The branch adds a JSON Schema version.
    let refund_v2 = m.read("events/schemas/shop.refund.requested/v2.schema.json");
    m.write(
        "events/schemas/shop.refund.requested/v3.schema.json",
        &refund_v2.replace(
            r#""note": {"type": "string"}"#,
            r#""note": {"type": "string"}, "channel": {"type": "string"}"#,
        ),
    );
    m.commit_all("refund v3");
    // Meanwhile main gains v4 of the order event.
    m.git(&["checkout", "-q", "main"]);
    let v3 = m.read(&format!("{PLACED}/v3.avsc"));
    m.write(&format!("{PLACED}/v4.avsc"), &v3);
    m.evreg().arg("lock").assert().success();
    m.commit_all("order v4");
    m.git(&["checkout", "-q", "feature"]);
    assert!(!m.root().join(PLACED).join("v4.avsc").exists());

    let (report, code, stderr) = m.json(&["check", "--against", "main"]);
    assert_eq!(code, 0, "main's v4 is not the branch's deletion: {report}");
    assert!(with_rule(&report, "version-deleted").is_empty(), "{report}");
    assert!(
        stderr.contains("your branch is 1 commit behind main"),
        "{stderr}"
    );
    // The branch's own edit of a published version is still caught.
    m.write(PLACED_V1, &quantity_aliased(&m.read(PLACED_V1)));
    let (report, code, _) = m.json(&["check", "--against", "main"]);
    assert_eq!(code, 1);
    assert_eq!(errors(&report), [("version-modified".into(), Some(1))]);
    assert!(
        with_rule(&report, "version-modified")[0]["message"]
            .as_str()
            .unwrap()
            .contains("merge base"),
        "{report}"
    );
}

/// v4 of the order event with a required field: BACKWARD readers cannot read v3 data.
fn breaking_v4(m: &Mono) -> String {
    let v3 = m.read(&format!("{PLACED}/v3.avsc"));
    let v4 = v3.replace(
        r#"{"name": "orderId", "type": "string", "doc": "The order."}"#,
        r#"{"name": "orderId", "type": "string", "doc": "The order."},
    {"name": "storeId", "type": "string", "doc": "The store."}"#,
    );
    assert_ne!(v3, v4);
    v4
}

#[test]
fn a_loosened_mode_does_not_let_a_break_through() {
    let m = Mono::new();
    m.git(&["checkout", "-q", "-b", "loosen"]);
    let meta = format!("{PLACED}/subject.yaml");
    m.write(&meta, &format!("{}compatibility: NONE\n", m.read(&meta)));
    m.write(&format!("{PLACED}/v4.avsc"), &breaking_v4(&m));
    let (report, code, _) = m.json(&["check", "--against", "main"]);
    assert_eq!(code, 1, "{report}");
    let mut errs = errors(&report);
    errs.sort();
    assert!(
        errs.contains(&("mode-loosened".into(), Some(4))),
        "a loosened mode is an error: {report}"
    );
    assert!(
        errs.contains(&("avro-field-missing-default".into(), Some(4))),
        "v4 is judged under main's mode: {report}"
    );
    assert_eq!(
        with_rule(&report, "mode-loosened")[0]["file"],
        "schemas/shop.order.placed/subject.yaml"
    );
    // Without the baseline, NONE is the subject's mode: nothing to say.
    let (plain, _, _) = m.json(&["check"]);
    assert!(
        with_rule(&plain, "avro-field-missing-default").is_empty(),
        "{plain}"
    );
    // Accepted only with reasons.
    let config = m.read("events/evreg.yaml");
    m.write(
        "events/evreg.yaml",
        &format!(
            "{config}allow:\n  - {{subject: shop.order.placed, version: 4, rule: mode-loosened, reason: \"every consumer moved to shop.order.placed.v2\"}}\n  - {{subject: shop.order.placed, version: 4, rule: avro-field-missing-default, reason: \"every consumer moved to shop.order.placed.v2\"}}\n"
        ),
    );
    let (report, code, _) = m.json(&["check", "--against", "main"]);
    assert_eq!(code, 0, "{report}");

    // A loosened registry default points at evreg.yaml.
    m.write(
        "events/evreg.yaml",
        &config.replace("BACKWARD_TRANSITIVE", "BACKWARD"),
    );
    m.write(&meta, &m.read(&meta).replace("compatibility: NONE\n", ""));
    fs::remove_file(m.root().join(PLACED).join("v4.avsc")).unwrap();
    let (report, _, _) = m.json(&["check", "--against", "main"]);
    let loosened = with_rule(&report, "mode-loosened");
    assert!(!loosened.is_empty(), "{report}");
    assert!(
        loosened.iter().all(|f| f["file"] == "evreg.yaml"),
        "{report}"
    );
}

#[test]
fn turning_an_integrity_rule_off_does_not_hide_an_edit_made_with_it() {
    let m = Mono::new();
    let config = m.read("events/evreg.yaml");
    m.write(
        "events/evreg.yaml",
        &format!("{config}rules:\n  version-modified: off\n"),
    );
    m.write(PLACED_V1, &quantity_aliased(&m.read(PLACED_V1)));
    let (report, code, _) = m.json(&["check", "--against", "main"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(errors(&report), [("version-modified".into(), Some(1))]);
    let lowered = with_rule(&report, "integrity-rule-lowered");
    assert_eq!(lowered.len(), 1, "{report}");
    assert_eq!(lowered[0]["file"], "evreg.yaml");
    assert!(
        lowered[0]["message"]
            .as_str()
            .unwrap()
            .contains("version-modified")
    );
    // The hook's implicit baseline (HEAD) judges the same way.
    m.git(&["add", "-A"]);
    let (report, code, _) = m.json(&["check", "--staged"]);
    assert_eq!(code, 1, "{report}");
}

#[test]
fn the_pre_commit_framework_hook_checks_what_is_staged() {
    let entry = hook_entry(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap(),
    );
    let words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words, ["evreg", "check", "--staged"]);
    let m = Mono::new();
    let run_hook = || {
        m.evreg()
            .args(&words[1..])
            .args(["--output", "json"])
            .output()
            .unwrap()
    };
    // Untracked work in progress does not block an unrelated commit.
    m.write(&format!("{PLACED}/v4.avsc"), &breaking_v4(&m));
    m.write("README.md", "# shop\n\nNow with docs.\n");
    m.git(&["add", "README.md"]);
    assert_eq!(run_hook().status.code(), Some(0));
    // Staged, it does.
    m.git(&["add", "-A"]);
    assert_eq!(run_hook().status.code(), Some(1));
    m.git(&["reset", "-q"]);
    fs::remove_file(m.root().join(PLACED).join("v4.avsc")).unwrap();

    // Deleting evreg.lock with an edit of v1, in one commit.
    fs::remove_file(m.registry_dir().join("evreg.lock")).unwrap();
    m.write(PLACED_V1, &quantity_aliased(&m.read(PLACED_V1)));
    m.git(&["add", "-A"]);
    let out = run_hook();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(errors(&report), [("version-modified".into(), Some(1))]);
    // The hook evreg installs refuses the commit as well.
    m.evreg().args(["hook", "install"]).assert().success();
    let refused = m.git_output(&["commit", "-q", "-m", "drop the lock, edit v1"]);
    assert!(!refused.status.success(), "the commit went through");
    // A lock rewritten to the edited text is no way around it either.
    m.evreg().arg("lock").assert().success();
    m.git(&["add", "-A"]);
    let out = run_hook();
    assert_eq!(out.status.code(), Some(1));
}

/// The `entry:` of .pre-commit-hooks.yaml, read without a YAML library.
fn hook_entry(text: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("entry:"))
        .expect("an entry")
        .trim()
        .to_string()
}

#[test]
fn ci_reports_name_paths_from_the_repository_root() {
    let m = Mono::new();
    m.write(PLACED_V1, &quantity_aliased(&m.read(PLACED_V1)));
    let run = |output: &str| {
        let out = m
            .evreg()
            .args(["check", "--against", "main", "--output", output])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let github = run("github");
    assert!(
        github.contains("file=events/schemas/shop.order.placed/v1.avsc,line="),
        "{github}"
    );
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "version-modified")
        .unwrap();
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "events/schemas/shop.order.placed/v1.avsc");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    let related = &result["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "events/schemas/shop.order.placed/v1.avsc"
    );
    assert_eq!(related["properties"]["revision"], "main");
    let junit = run("junit");
    assert!(
        junit.contains("events/schemas/shop.order.placed/v1.avsc:"),
        "{junit}"
    );
    // The same from the repository root.
    let out = m
        .evreg_in(&m.root())
        .args(["--registry", "events", "check", "--output", "github"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("file=events/schemas/shop.order.placed/v1.avsc")
    );
}

#[test]
fn init_in_a_subfolder_writes_the_workflow_where_github_reads_it() {
    let m = Mono::new();
    m.evreg_in(&m.root())
        .args(["init", "payments/events"])
        .assert()
        .success();
    assert!(m.root().join("payments/events/evreg.yaml").exists());
    assert!(!m.root().join("payments/events/.github").exists());
    let wf = m.read(".github/workflows/evreg.yml");
    assert!(
        wf.contains("working-directory: \"payments/events\""),
        "{wf}"
    );
    assert!(wf.contains("fetch-depth: 0"), "{wf}");
    // A second registry leaves the existing workflow alone and says what it needs.
    let out = m
        .evreg_in(&m.root())
        .args(["init", "billing"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("working-directory: billing"));
    assert_eq!(m.read(".github/workflows/evreg.yml"), wf);
}

#[test]
fn a_repository_without_commits_says_so() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&data("monorepo").join("events"), dir.path());
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .status()
        .unwrap();
    assert!(git.success());
    let out = Command::cargo_bin("evreg")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("GIT_DIR")
        .args(["check", "--against", "HEAD"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("no commits yet"), "{stderr}");
    assert!(!stderr.contains("git fetch"), "{stderr}");
}

#[test]
fn log_in_a_shallow_clone_says_the_history_is_cut() {
    let m = Mono::new();
    let v3 = m.read(&format!("{PLACED}/v3.avsc"));
    m.write(&format!("{PLACED}/v4.avsc"), &v3);
    m.commit_all("order v4");
    m.write(&format!("{PLACED}/v5.avsc"), &v3);
    m.commit_all("order v5");
    let clone = m.dir.path().join("clone");
    let url = format!("file://{}", m.root().display());
    m.git(&["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()]);
    let out = m
        .evreg_in(&clone.join("events"))
        .args(["log", "shop.order.placed", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cut: Vec<bool> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["history_cut"].as_bool().unwrap())
        .collect();
    assert_eq!(cut, [true; 5]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    let out = m
        .evreg_in(&clone.join("events"))
        .args(["log", "shop.order.placed"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("or earlier (the history is cut"));
    // The full history credits each version to its own commit.
    let out = m
        .evreg()
        .args(["log", "shop.order.placed", "--output", "json"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[4]["summary"], "order v5");
    assert_eq!(rows[4]["history_cut"], false);
}

#[cfg(unix)]
#[test]
fn the_hook_takes_the_registry_folder_literally() {
    let m = Mono::in_folder("events$(touch INJECTED)");
    m.evreg().args(["hook", "install"]).assert().success();
    // A commit that breaks the order event runs the hook.
    let dir = m.registry.clone();
    m.write(
        &format!("{dir}/schemas/shop.order.placed/v4.avsc"),
        &breaking_v4_in(&m, &dir),
    );
    m.git(&["add", "-A"]);
    let refused = m.git_output(&["commit", "-q", "-m", "break"]);
    assert!(!refused.status.success(), "the hook did not run evreg");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(said.contains("avro-field-missing-default"), "{said}");
    assert!(
        !m.root().join("INJECTED").exists() && !m.registry_dir().join("INJECTED").exists(),
        "the folder name ran as a command"
    );
}

fn breaking_v4_in(m: &Mono, dir: &str) -> String {
    let v3 = m.read(&format!("{dir}/schemas/shop.order.placed/v3.avsc"));
    v3.replace(
        r#"{"name": "orderId", "type": "string", "doc": "The order."}"#,
        r#"{"name": "orderId", "type": "string", "doc": "The order."},
    {"name": "storeId", "type": "string", "doc": "The store."}"#,
    )
}

#[cfg(unix)]
#[test]
fn foreign_hooks_are_refused_or_kept_never_lost() {
    use std::os::unix::fs::PermissionsExt;
    let m = Mono::new();
    let hooks = m.root().join(".git/hooks");
    fs::create_dir_all(&hooks).unwrap();
    let hook = hooks.join("pre-commit");
    let install = |force: bool| {
        let mut cmd = m.evreg();
        cmd.args(["hook", "install"]);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    // Not UTF-8.
    let latin1: &[u8] = b"#!/bin/sh\n# v\xe9rifie le code\nmake lint\n";
    fs::write(&hook, latin1).unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o750)).unwrap();
    assert_eq!(install(false).status.code(), Some(2));
    assert_eq!(fs::read(&hook).unwrap(), latin1);
    assert!(install(true).status.success());
    let backup = hooks.join("pre-commit.evreg-backup");
    assert_eq!(fs::read(&backup).unwrap(), latin1);
    assert_eq!(
        fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o750
    );
    assert!(
        fs::read_to_string(&hook)
            .unwrap()
            .contains("check --staged")
    );

    // A dangling link: refused, then kept as the link it was; the earlier backup stays.
    fs::remove_file(&hook).unwrap();
    std::os::unix::fs::symlink("../../scripts/pre-commit", &hook).unwrap();
    let out = install(false);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    assert_eq!(
        fs::read_link(&hook).unwrap(),
        Path::new("../../scripts/pre-commit")
    );
    assert!(install(true).status.success());
    let second = hooks.join("pre-commit.evreg-backup.1");
    assert_eq!(
        fs::read_link(&second).unwrap(),
        Path::new("../../scripts/pre-commit")
    );
    assert_eq!(
        fs::read(&backup).unwrap(),
        latin1,
        "an earlier backup is never overwritten"
    );

    // A link to a script in the repository: the script itself is never written through.
    m.write("scripts/pre-commit", "#!/bin/sh\nmake lint\n");
    fs::remove_file(&hook).unwrap();
    std::os::unix::fs::symlink("../../scripts/pre-commit", &hook).unwrap();
    assert!(install(true).status.success());
    assert_eq!(m.read("scripts/pre-commit"), "#!/bin/sh\nmake lint\n");
    assert_eq!(
        fs::read_link(hooks.join("pre-commit.evreg-backup.2")).unwrap(),
        Path::new("../../scripts/pre-commit")
    );
    // evreg's own hook is replaced without a backup.
    assert!(install(false).status.success());
    assert!(!hooks.join("pre-commit.evreg-backup.3").exists());
}
