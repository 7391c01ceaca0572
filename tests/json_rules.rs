//! One fixture pair per JSON Schema rule (`tests/data/json-rules/<rule>/old|new.schema.json`):
//! the JSON report of `compat` in both directions is snapshotted, and the backward direction must
//! report the rule the folder is named after, with an example where the rule gives one.

use evreg::Mode;
use evreg::compat::json::Policy;
use evreg::report::json::Json;
use evreg::report::{Context, Renderer};
use serde_json::Value;
use std::path::Path;

fn report(old: &Path, new: &Path, mode: Mode) -> Value {
    let outcome =
        evreg::compat_files(old, new, mode, None, Policy::Strict, Default::default()).unwrap();
    let ctx = Context {
        compat: Some((mode, outcome.compatible)),
        ..Context::default()
    };
    serde_json::from_str(&Json.render_to_string(&outcome.report, &ctx)).unwrap()
}

#[test]
fn each_rule_has_a_fixture_pair() {
    let root = Path::new("tests/data/json-rules");
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 32);
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(evreg::rules::by_id(&rule).is_some(), "{rule} is no rule");
        let (old, new) = (dir.join("old.schema.json"), dir.join("new.schema.json"));
        let backward = report(&old, &new, Mode::Backward);
        let forward = report(&old, &new, Mode::Forward);
        let found: Vec<&str> = backward["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert!(
            found.contains(&rule.as_str()),
            "{rule}: backward found {found:?}"
        );
        let needs_example = !matches!(
            rule.as_str(),
            "json-format-changed" | "json-undecidable" | "json-keyword-other-draft"
        );
        if needs_example {
            let f = backward["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["rule"] == rule.as_str())
                .unwrap();
            assert!(f.get("example").is_some(), "{rule}: no example in {f}");
            assert!(
                f["line"].as_u64().is_some() && f["other_line"].as_u64().is_some(),
                "{rule}: {f}"
            );
        }
        insta::assert_json_snapshot!(
            format!("json_rule_{rule}"),
            serde_json::json!({"backward": backward, "forward": forward})
        );
    }
}
