//! The JSON Schema draft assumed for files without `$schema`: a registry setting
//! (`json-schema-draft` in evreg.yaml), a subject setting (subject.yaml) and a `compat` flag. A
//! keyword the assumed draft does not define is reported, never skipped, so a break written in
//! another draft's keywords cannot pass.

mod common;

use common::{evreg, json_of, rules_of};
use serde_json::Value;
use std::fs;
use std::path::Path;

const V1: &str = r#"{
  "type": "object",
  "properties": {"card": {"type": "string"}, "expiry": {"type": "string"}}
}
"#;

/// v2 makes `expiry` required whenever `card` is present, in draft-07's words.
const V2: &str = r#"{
  "type": "object",
  "properties": {"card": {"type": "string"}, "expiry": {"type": "string"}},
  "dependencies": {"card": ["expiry"]}
}
"#;

fn registry(config: &str, subject_yaml: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(root.join("evreg.yaml"), config).unwrap();
    let dir = root.join("schemas/shop.payment.taken");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("v1.schema.json"), V1).unwrap();
    fs::write(dir.join("v2.schema.json"), V2).unwrap();
    if let Some(s) = subject_yaml {
        fs::write(dir.join("subject.yaml"), s).unwrap();
    }
    tmp
}

/// `evreg check` in `root`: the exit code and the findings.
fn check(root: &Path) -> (i32, Value) {
    let (report, code) = json_of(root, &["check"]);
    (code, report["findings"].clone())
}

#[test]
fn a_keyword_of_another_draft_under_the_default_draft_fails_check_and_names_the_setting() {
    let reg = registry("compatibility: BACKWARD\n", None);
    let (code, findings) = check(reg.path());
    assert_eq!(code, 1, "{findings:#?}");
    let f = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "json-keyword-other-draft")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("`dependencies`"), "{message}");
    assert!(message.contains("draft-07"), "{message}");
    assert!(message.contains("2020-12"), "{message}");
    assert_eq!(f["version"], 2);
    assert_eq!(f["line"], 4);
    let help = f["help"].as_str().unwrap();
    assert!(help.contains("json-schema-draft: draft-07"), "{help}");
}

#[test]
fn the_registry_setting_reads_the_keyword_and_finds_the_break() {
    let reg = registry(
        "compatibility: BACKWARD\njson-schema-draft: draft-07\n",
        None,
    );
    let (code, findings) = check(reg.path());
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&findings),
        ["json-dependent-required-added"],
        "{findings:#?}"
    );
}

#[test]
fn the_subject_setting_overrides_the_registry() {
    let reg = registry(
        "compatibility: BACKWARD\njson-schema-draft: 2020-12\n",
        Some("json-schema-draft: draft-07\n"),
    );
    let (code, findings) = check(reg.path());
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["json-dependent-required-added"]);
    // A subject on 2019-09 reads it as unknown again, and says so.
    let reg = registry(
        "compatibility: BACKWARD\njson-schema-draft: draft-07\n",
        Some("json-schema-draft: 2019-09\n"),
    );
    let (_, findings) = check(reg.path());
    assert_eq!(rules_of(&findings), ["json-keyword-other-draft"]);
    assert!(
        findings[0]["help"]
            .as_str()
            .unwrap()
            .contains("subject.yaml")
    );
}

#[test]
fn add_reads_the_new_file_with_the_subjects_draft() {
    let reg = registry(
        "compatibility: BACKWARD\njson-schema-draft: draft-07\n",
        None,
    );
    let dir = reg.path().join("schemas/shop.payment.taken");
    fs::remove_file(dir.join("v2.schema.json")).unwrap();
    fs::write(reg.path().join("next.schema.json"), V2).unwrap();
    let out = evreg(reg.path())
        .args(["add", "shop.payment.taken", "next.schema.json"])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("json-dependent-required-added"), "{text}");
}

#[test]
fn unknown_draft_names_and_misspelt_keys_are_errors_with_positions() {
    let reg = registry(
        "compatibility: BACKWARD\njson-schema-draft: draft-08\n",
        None,
    );
    let out = evreg(reg.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("evreg.yaml:2:20"), "{err}");
    assert!(err.contains("draft-08"), "{err}");
    let reg = registry("json-schema-drafts: draft-07\n", None);
    let out = evreg(reg.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("evreg.yaml:1:1"), "{err}");
    let reg = registry(
        "compatibility: BACKWARD\n",
        Some("json-schema-draft: 7.5\n"),
    );
    let out = evreg(reg.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("subject.yaml:1:20"), "{err}");
}

#[test]
fn compat_takes_the_draft_as_a_flag_and_never_calls_the_pair_compatible_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old.json"), tmp.path().join("new.json"));
    fs::write(&old, V1).unwrap();
    fs::write(&new, V2).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["compat", "old.json", "new.json"];
        args.extend_from_slice(extra);
        let (v, code) = json_of(tmp.path(), &args);
        (code, v)
    };
    let (code, v) = run(&[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["compatible"], false, "{v:#}");
    assert_eq!(rules_of(&v), ["json-keyword-other-draft"]);
    let (code, v) = run(&["--draft", "draft-07"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(rules_of(&v), ["json-dependent-required-added"]);
    // FORWARD under draft-07: v1 reads v2's data; the pair is compatible.
    let (code, v) = run(&["--draft", "7", "--mode", "forward"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["compatible"], true, "{v:#}");
    let out = evreg(tmp.path())
        .args(["compat", "old.json", "new.json", "--draft", "draft-08"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
