//! `evreg diff` restates the compatibility engine's verdict, never its own: on every ordered pair
//! of versions of every registry under tests/data/ (and the project's own registry at the root),
//! Avro and JSON Schema alike, the verdict `diff` prints equals the one `check` gives (from the
//! engine's findings for the pair, under the subject's mode, with the registry's rule settings and
//! `allow` list), every engine finding for the pair is attached to a listed change or kept as an
//! "other" finding, and where `check` itself judges the pair its findings are exactly those.
//! The same holds for every rule fixture pair against `evreg compat`, and for `diff --against`
//! in a real git repository.

use evreg::check::model_pair;
use evreg::compat::Pair;
use evreg::finding::{Direction, Finding};
use evreg::parsed::{Model, parse_subject};
use evreg::registry::{Registry, Subject};
use evreg::report::json::JsonFinding;
use evreg::schema::json::FileProvider;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{GitRepo, data, evreg, json_of};

/// Every registry under tests/data/ (at any depth) and the one at the repository root.
fn registries() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        if dir.join("evreg.yaml").is_file() {
            out.push(dir.to_path_buf());
        }
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for d in dirs {
            walk(&d, out);
        }
    }
    let mut out = Vec::new();
    walk(&data(""), &mut out);
    out.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    out
}

/// A finding as both sides print it: rule, direction, severity, places and message.
fn key(f: &Value) -> String {
    let s = |k: &str| f[k].as_str().unwrap_or("-").to_string();
    format!(
        "{} {} {} {}#{} {}#{} {}",
        s("rule"),
        s("direction"),
        s("severity"),
        s("file"),
        s("pointer"),
        s("other_file"),
        s("other_pointer"),
        s("message")
    )
}

/// (the finding keys of a printed diff, how many of them no listed change took).
fn printed_findings(d: &Value) -> (Vec<String>, usize) {
    let mut keys: Vec<String> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap().iter().map(key))
        .collect();
    let other = d["other_findings"].as_array().unwrap();
    keys.extend(other.iter().map(key));
    keys.sort();
    (keys, other.len())
}

/// What the engine says about a pair, called as `check` calls it (both directions), with the
/// registry's settings applied as `check` applies them; `None` when a side has no model.
fn engine(
    reg: &Registry,
    s: &Subject,
    models: &[Option<Model>],
    file_findings: &[Finding],
    a: u32,
    b: u32,
) -> Option<Vec<Finding>> {
    let model = |n: u32| {
        let i = s.versions.iter().position(|v| v.number == n)?;
        if Some(s.versions[i].format) != s.format {
            return None;
        }
        models[i].as_ref()
    };
    let (old, new) = (model(a)?, model(b)?);
    let labels = (format!("v{b}"), format!("v{a}"));
    let mut found = Vec::new();
    for direction in [Direction::Backward, Direction::Forward] {
        let pair = Pair {
            new: b,
            old: a,
            direction,
        };
        found.extend(
            model_pair(pair, new, old, s.policy(&reg.settings), &labels)
                .into_iter()
                .map(|f| f.subject(&s.name)),
        );
    }
    // What the loader says of either version by itself, as `check` reports it.
    found.extend(
        file_findings
            .iter()
            .filter(|f| f.version == Some(a) || f.version == Some(b))
            .cloned(),
    );
    Some(
        reg.settings
            .apply(found, "evreg.yaml")
            .into_iter()
            .filter(|f| f.rule.id != "allow-unused")
            .collect(),
    )
}

fn keys_of(found: &[Finding]) -> Vec<String> {
    let mut keys: Vec<String> = found
        .iter()
        .map(|f| key(&serde_json::to_value(JsonFinding::of(f)).unwrap()))
        .collect();
    keys.sort();
    keys
}

#[derive(Default, Debug)]
struct Seen {
    avro_pairs: usize,
    json_pairs: usize,
    avro_breaking: usize,
    json_breaking: usize,
    judged_by_check: usize,
    findings: usize,
    unattached: usize,
}

#[test]
fn diff_agrees_with_check_on_every_pair_of_every_registry() {
    let mut seen = Seen::default();
    for root in registries() {
        let Ok(reg) = Registry::load(&root) else {
            // A registry that does not load (a bad evreg.yaml) has no pairs; diff says so too.
            let subject = "any.subject.name";
            evreg(&root).args(["diff", subject]).assert().code(2);
            continue;
        };
        let (report, _) = json_of(&root, &["check"]);
        let check_findings = report["findings"].as_array().unwrap();
        let files = FileProvider::in_memory(reg.root.clone(), reg.all_files());
        for s in &reg.subjects {
            let (models, file_findings) = parse_subject(s, &files);
            let mode = s.mode(&reg.settings);
            let numbers: Vec<u32> = s.versions.iter().map(|v| v.number).collect();
            for &a in &numbers {
                for &b in numbers.iter().filter(|&&b| b != a) {
                    let at = format!("{} {} v{a} → v{b}", root.display(), s.name);
                    let (out, code) =
                        json_of(&root, &["diff", &s.name, &a.to_string(), &b.to_string()]);
                    let d = &out["diffs"][0];
                    // The exit code follows the verdict, as `check`'s follows its errors (a
                    // version that is not a valid schema is one).
                    let fails = d["verdict"] == "breaking" || d["verdict"] == "undecided";
                    assert_eq!(code, i32::from(fails), "{at}: {out}");
                    let expected = engine(&reg, s, &models, &file_findings, a, b);
                    let Some(expected) = expected else {
                        assert_eq!(d["verdict"], "undecided", "{at}: {d}");
                        assert!(!d["problems"].as_array().unwrap().is_empty(), "{at}: {d}");
                        continue;
                    };
                    let promised = mode.directions();
                    let breaking = expected.iter().any(|f| {
                        f.is_error() && f.direction.is_some_and(|x| promised.contains(&x))
                    });
                    let verdict = if breaking { "breaking" } else { "compatible" };
                    assert_eq!(d["verdict"], verdict, "{at}: {d}");
                    assert_eq!(d["breaking"], breaking, "{at}");
                    // Every engine finding is listed, once: under a change or as another finding.
                    let (printed, unattached) = printed_findings(d);
                    assert_eq!(printed, keys_of(&expected), "{at}");
                    seen.findings += printed.len();
                    seen.unattached += unattached;
                    if unattached > 0 {
                        eprintln!("{at}: {unattached} finding(s) under no change: {d}");
                    }
                    // A change is marked breaking exactly when a finding it holds fails the mode.
                    for c in d["changes"].as_array().unwrap() {
                        let fails = c["findings"].as_array().unwrap().iter().any(|f| {
                            f["severity"] == "error"
                                && promised
                                    .iter()
                                    .any(|p| f["direction"] == serde_json::to_value(p).unwrap())
                        });
                        assert_eq!(c["breaking"], fails, "{at}: {c}");
                    }
                    // Where `check` judges this pair itself, its compatibility findings are exactly
                    // these (replaying fixtures is a separate pass, not the engine's verdict).
                    if mode.pairs(b).iter().any(|p| p.old == a) {
                        seen.judged_by_check += 1;
                        let from_check: Vec<&Value> = check_findings
                            .iter()
                            .filter(|f| {
                                f["subject"] == s.name.as_str()
                                    && f["version"] == b
                                    && f["other_version"] == a
                                    && f["category"] == "compatibility"
                            })
                            .collect();
                        let mut check_keys: Vec<String> =
                            from_check.iter().map(|f| key(f)).collect();
                        check_keys.sort();
                        let mut in_mode: Vec<String> = expected
                            .iter()
                            .filter(|f| f.direction.is_some_and(|x| promised.contains(&x)))
                            .map(|f| key(&serde_json::to_value(JsonFinding::of(f)).unwrap()))
                            .collect();
                        in_mode.sort();
                        assert_eq!(check_keys, in_mode, "{at}");
                        let check_breaking = from_check.iter().any(|f| f["severity"] == "error");
                        assert_eq!(check_breaking, breaking, "{at}");
                    }
                    let json = s.format == Some(evreg::schema::Format::JsonSchema);
                    match (json, breaking) {
                        (true, b) => {
                            seen.json_pairs += 1;
                            seen.json_breaking += b as usize;
                        }
                        (false, b) => {
                            seen.avro_pairs += 1;
                            seen.avro_breaking += b as usize;
                        }
                    }
                }
            }
        }
    }
    eprintln!("{seen:?}");
    // Both formats, breaking and compatible pairs, and pairs `check` judges were all met.
    assert!(seen.avro_pairs > 10 && seen.json_pairs > 10, "{seen:?}");
    assert!(seen.avro_breaking > 0 && seen.json_breaking > 0, "{seen:?}");
    assert!(seen.judged_by_check > 10, "{seen:?}");
    // On these registries every finding is explained by a listed change.
    assert_eq!(seen.unattached, 0, "{seen:?}");
}

/// A registry in a temporary folder with one subject whose versions are `files`, under `mode`.
fn pair_registry(mode: &str, ext: &str, files: &[&Path]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("evreg.yaml"),
        format!("compatibility: {mode}\n"),
    )
    .unwrap();
    let dir = tmp.path().join("schemas/test.pair.changed");
    fs::create_dir_all(&dir).unwrap();
    for (i, f) in files.iter().enumerate() {
        fs::copy(f, dir.join(format!("v{}.{ext}", i + 1))).unwrap();
    }
    tmp
}

#[test]
fn diff_agrees_with_compat_on_every_fixture_pair() {
    let mut pairs: Vec<(String, PathBuf, PathBuf)> = Vec::new();
    let mut rules: Vec<PathBuf> = fs::read_dir(data("json-rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    rules.sort();
    for dir in rules {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        pairs.push((
            rule,
            dir.join("old.schema.json"),
            dir.join("new.schema.json"),
        ));
    }
    for (old, new) in [
        ("a.json", "b.json"),
        ("old.avsc", "new.avsc"),
        ("compatible-old.avsc", "compatible-new.avsc"),
    ] {
        pairs.push((
            String::new(),
            data("pairs").join(old),
            data("pairs").join(new),
        ));
    }
    let mut attached_named_rule = 0;
    for (rule, old, new) in &pairs {
        let ext = if old.extension().is_some_and(|e| e == "avsc") {
            "avsc"
        } else {
            "schema.json"
        };
        let tmp = pair_registry("FULL", ext, &[old, new]);
        for (a, b) in [(1, 2), (2, 1)] {
            let at = format!(
                "{} → {} ({rule})",
                if a == 1 { old } else { new }.display(),
                if a == 1 { new } else { old }.display()
            );
            let (out, _) = json_of(
                tmp.path(),
                &["diff", "test.pair.changed", &a.to_string(), &b.to_string()],
            );
            let d = &out["diffs"][0];
            let (compat, _) = json_of(
                tmp.path(),
                &[
                    "compat",
                    &format!("schemas/test.pair.changed/v{a}.{ext}"),
                    &format!("schemas/test.pair.changed/v{b}.{ext}"),
                    "--mode",
                    "FULL",
                ],
            );
            let verdict = match compat["compatible"].as_bool() {
                Some(true) => "compatible",
                Some(false) => "breaking",
                None => "undecided",
            };
            assert_eq!(d["verdict"], verdict, "{at}: {d}\n{compat}");
            // compat's findings (both directions under FULL, and what either file says by
            // itself) are exactly the ones diff lists.
            let mut from_compat: Vec<String> = compat["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    format!(
                        "{} {} {}",
                        f["rule"].as_str().unwrap(),
                        f["direction"].as_str().unwrap_or("-"),
                        f["pointer"].as_str().unwrap_or("-")
                    )
                })
                .collect();
            from_compat.sort();
            let (printed, unattached) = printed_findings(d);
            let mut from_diff: Vec<String> = printed
                .iter()
                .map(|k| {
                    let parts: Vec<&str> = k.splitn(5, ' ').collect();
                    let pointer = parts[3].split_once('#').map_or("-", |(_, p)| p);
                    format!("{} {} {}", parts[0], parts[1], pointer)
                })
                .collect();
            from_diff.sort();
            assert_eq!(from_diff, from_compat, "{at}: {d}");
            assert_eq!(
                unattached, 0,
                "{at}: every finding belongs to a listed change: {d}"
            );
            if !rule.is_empty() && a == 1 {
                let holder = d["changes"].as_array().unwrap().iter().find(|c| {
                    c["findings"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|f| f["rule"] == rule.as_str())
                });
                if holder.is_some() {
                    attached_named_rule += 1;
                }
            }
        }
    }
    // The rule each fixture is named after (reported backward) sits under a listed change.
    assert!(attached_named_rule >= 32, "{attached_named_rule}");
}

/// (subject, from, to, verdict) of each diff `--against` printed.
fn pairs(out: &Value) -> Vec<(String, String, String, String)> {
    out["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("subject"), s("from"), s("to"), s("verdict"))
        })
        .collect()
}

/// (kind, file, breaks backward, breaking) of a diff's changes.
fn kinds(d: &Value) -> Vec<(String, String, bool, bool)> {
    d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["file"].as_str().unwrap().to_string(),
                c["breaks_backward"].as_bool().unwrap(),
                c["breaking"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn diff_against_a_ref_judges_json_schema_changes_as_check_does() {
    const V2: &str = "schemas/shop.order.placed/v2.schema.json";
    const V3: &str = "schemas/shop.order.placed/v3.schema.json";
    let r = GitRepo::with("diff-json");
    let v3 = r.read(V3);
    fs::remove_file(r.path().join(V3)).unwrap();
    r.commit("v1 and v2");
    // A new version that narrows an enum, adds a required property, lowers a maxLength and bounds
    // a number in a definition.
    r.write(V3, &v3);
    let (out, code) = json_of(r.path(), &["diff", "--against", "HEAD"]);
    assert_eq!(code, 1, "a breaking pair fails the run: {out}");
    assert_eq!(
        pairs(&out),
        [(
            "shop.order.placed".into(),
            "HEAD:v2".into(),
            "v3".into(),
            "breaking".into()
        )]
    );
    let d = &out["diffs"][0];
    let v3_file = V3.to_string();
    assert_eq!(
        kinds(d),
        [
            ("enum-narrowed".into(), v3_file.clone(), true, true),
            ("max-length-lowered".into(), v3_file.clone(), true, true),
            ("required-added".into(), v3_file.clone(), true, true),
            ("maximum-added".into(), v3_file.clone(), true, true),
        ]
    );
    assert_eq!(d["other_findings"], serde_json::json!([]));
    // `check --against` fails on the same findings.
    let (report, code) = json_of(r.path(), &["check", "--against", "HEAD"]);
    assert_eq!(code, 1);
    let mut from_check: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["category"] == "compatibility" && f["severity"] == "error")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    from_check.sort();
    let (mut from_diff, _) = printed_findings(d);
    from_diff.retain(|k| k.contains(" backward error "));
    let mut from_diff: Vec<&str> = from_diff
        .iter()
        .map(|k| k.split(' ').next().unwrap())
        .collect();
    from_diff.sort();
    assert_eq!(from_diff, from_check);
    let human = evreg(r.path())
        .args(["diff", "--against", "HEAD"])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "diff_against_json_human",
        String::from_utf8_lossy(&human.stdout)
    );

    // A published version edited in place: the ref's text is the old side.
    r.commit("v3");
    let v2 = r.read(V2);
    r.write(
        V2,
        &v2.replace(
            r#""enum": ["NEW", "PAID", "CANCELLED"]"#,
            r#""enum": ["NEW", "PAID"]"#,
        ),
    );
    let (out, _) = json_of(r.path(), &["diff", "--against", "HEAD"]);
    assert_eq!(
        pairs(&out),
        [(
            "shop.order.placed".into(),
            "HEAD:v2".into(),
            "v2".into(),
            "breaking".into()
        )]
    );
    assert_eq!(
        kinds(&out["diffs"][0]),
        [("enum-narrowed".into(), V2.into(), true, true)]
    );
    r.write(V2, &v2);

    // A shared definition edited in place changes every version that uses it, at its own place.
    let money = "schemas/money.schema.json";
    r.write(
        money,
        &r.read(money).replace(
            r#""currency": {"type": "string","#,
            r#""currency": {"type": "string", "maxLength": 3,"#,
        ),
    );
    let (out, _) = json_of(r.path(), &["diff", "--against", "HEAD"]);
    let got = pairs(&out);
    assert_eq!(got.len(), 3, "{out}");
    for (i, d) in out["diffs"].as_array().unwrap().iter().enumerate() {
        assert_eq!(got[i].1, format!("HEAD:v{}", i + 1));
        assert_eq!(
            kinds(d),
            [("max-length-added".into(), money.into(), true, true)],
            "{d}"
        );
        assert_eq!(
            d["changes"][0]["pointer"],
            "/$defs/Money/properties/currency/maxLength"
        );
    }
}

#[test]
fn json_diff_human_output() {
    let out = evreg(&data("diff-json"))
        .args(["diff", "shop.order.placed", "1", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the pair is breaking");
    insta::assert_snapshot!("diff_json_human", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn unrelated_schemas_diff_without_losing_a_finding() {
    // Every rule fixture's old schema against every other fixture's new one: shapes no edit would
    // produce. Nothing may panic, every engine finding is printed once, and the verdict holds.
    let mut files: Vec<PathBuf> = fs::read_dir(data("json-rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("evreg.yaml"), "compatibility: FULL\n").unwrap();
    let dir = tmp.path().join("schemas/test.cross.pair");
    fs::create_dir_all(&dir).unwrap();
    let mut versions = 0;
    for f in &files {
        for side in ["old", "new"] {
            versions += 1;
            fs::copy(
                f.join(format!("{side}.schema.json")),
                dir.join(format!("v{versions}.schema.json")),
            )
            .unwrap();
        }
    }
    let reg = Registry::load(tmp.path()).unwrap();
    let s = &reg.subjects[0];
    let files = FileProvider::in_memory(reg.root.clone(), reg.all_files());
    let (models, file_findings) = parse_subject(s, &files);
    let (mut pairs, mut unattached) = (0, 0);
    for a in (1..=versions).step_by(2) {
        for b in (2..=versions).step_by(2) {
            let d = evreg::diff::diff_subject(&reg, s, a, b).unwrap();
            let expected = engine(&reg, s, &models, &file_findings, a, b).unwrap();
            let printed: Vec<Finding> = d.findings().cloned().collect();
            assert_eq!(keys_of(&printed), keys_of(&expected), "v{a} → v{b}");
            let breaking = expected.iter().any(Finding::is_error);
            assert_eq!(d.breaking, breaking, "v{a} → v{b}");
            pairs += 1;
            unattached += d.other_findings.len();
        }
    }
    eprintln!("{pairs} unrelated pairs, {unattached} findings under no change");
    assert_eq!(pairs, (versions / 2) * (versions / 2));
}
