//! Large JSON Schemas are decided in time roughly linear in their size, with one finding per
//! element that changed. Each test generates its input and asserts a time budget generous enough
//! for an unoptimised build on a busy machine; an engine quadratic in these sizes takes minutes.

use evreg::Mode;
use evreg::compat::json::Policy;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

/// Per pair, both directions (`--mode full`), debug build included.
const BUDGET: Duration = Duration::from_secs(10);

fn compat(dir: &Path, old: &Value, new: &Value) -> (Vec<String>, Duration) {
    let (o, n) = (dir.join("old.schema.json"), dir.join("new.schema.json"));
    // One line, as minified schemas come.
    std::fs::write(&o, old.to_string()).unwrap();
    std::fs::write(&n, new.to_string()).unwrap();
    let start = Instant::now();
    let outcome =
        evreg::compat_files(&o, &n, Mode::Full, None, Policy::Strict, Default::default()).unwrap();
    let took = start.elapsed();
    let rules = outcome
        .report
        .findings
        .iter()
        .map(|f| f.rule.id.to_string())
        .collect();
    (rules, took)
}

#[test]
fn an_enum_of_50000_values_is_compared_as_a_set() {
    let dir = tempfile::tempdir().unwrap();
    let values: Vec<Value> = (0..50_000).map(|i| json!(format!("v{i}"))).collect();
    let old = json!({"type": "string", "enum": values});
    let new = json!({"type": "string", "enum": values[..49_999]});
    let (rules, took) = compat(dir.path(), &old, &new);
    assert_eq!(rules, ["json-enum-narrowed"], "{rules:?}");
    assert!(took < BUDGET, "took {took:?}");
}

#[test]
fn a_oneof_of_2000_const_branches_is_compared_as_a_set() {
    let dir = tempfile::tempdir().unwrap();
    let branches: Vec<Value> = (0..2_000)
        .map(|i| json!({"const": format!("v{i}"), "description": format!("value {i}")}))
        .collect();
    let old = json!({"oneOf": branches});
    let new = json!({"oneOf": branches[1..]});
    let (rules, took) = compat(dir.path(), &old, &new);
    assert_eq!(rules, ["json-one-of-narrowed"], "{rules:?}");
    assert!(took < BUDGET, "took {took:?}");
}

#[test]
fn an_object_of_10000_properties_reports_the_one_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut props = serde_json::Map::new();
    for i in 0..10_000 {
        props.insert(format!("p{i}"), json!({"type": "string"}));
    }
    let old = json!({"type": "object", "properties": props, "required": ["p1", "p2"]});
    props.insert("p9999".into(), json!({"type": "integer"}));
    let new = json!({"type": "object", "properties": props, "required": ["p1", "p2"]});
    let (rules, took) = compat(dir.path(), &old, &new);
    // Both directions narrow p9999's type.
    assert_eq!(
        rules,
        ["json-type-narrowed", "json-type-narrowed"],
        "{rules:?}"
    );
    assert!(took < BUDGET, "took {took:?}");
}

#[test]
fn two_hundred_pattern_properties_give_one_finding_per_changed_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let mut pats = serde_json::Map::new();
    for i in 0..200 {
        pats.insert(format!("^x{i}-"), json!({"type": "string"}));
    }
    let old = json!({"type": "object", "additionalProperties": false, "patternProperties": pats});
    // Unchanged patterns beside a new property: nothing breaks backward.
    let with_x = json!({"type": "object", "additionalProperties": false, "patternProperties": pats, "properties": {"x": {}}});
    let (rules, took) = compat(dir.path(), &old, &with_x);
    assert_eq!(
        rules,
        ["json-property-removed-from-closed-model"],
        "{rules:?}"
    );
    assert!(took < BUDGET, "took {took:?}");
    // 200 patterns replaced by 200 others that may overlap every old one: one finding each
    // (not one per pair), plus the closed model's two directions.
    let mut new_pats = serde_json::Map::new();
    for i in 0..200 {
        new_pats.insert(
            format!("x{i}.*y"),
            json!({"type": "string", "maxLength": 3}),
        );
    }
    let new =
        json!({"type": "object", "additionalProperties": false, "patternProperties": new_pats});
    let (rules, took) = compat(dir.path(), &old, &new);
    let patterns = rules
        .iter()
        .filter(|r| *r == "json-pattern-properties-changed")
        .count();
    assert_eq!(patterns, 200, "{rules:?}");
    assert!(rules.len() <= 202, "{rules:?}");
    assert!(took < BUDGET, "took {took:?}");
}

/// A form-builder shape: `item` is one of `inputs` (a oneOf of `n` closed objects told apart by
/// a `type` const) or a `fieldset` whose `items` are `item`s again. `extra` adds one optional
/// property to the first input.
fn nested_one_of(n: usize, extra: bool) -> Value {
    let inputs: Vec<Value> = (0..n)
        .map(|i| {
            let mut props =
                json!({"type": {"const": format!("t{i}")}, "label": {"type": "string"}});
            if extra && i == 0 {
                props["placeholder"] = json!({"type": "string"});
            }
            json!({"type": "object", "properties": props, "required": ["type"],
                   "additionalProperties": false})
        })
        .collect();
    json!({
        "$defs": {
            "item": {"oneOf": [{"$ref": "#/$defs/inputs"}, {"$ref": "#/$defs/fieldset"}]},
            "inputs": {"oneOf": inputs},
            "fieldset": {"type": "object", "properties": {
                "type": {"const": "fieldset"},
                "items": {"type": "array", "items": {"$ref": "#/$defs/item"}}},
                "required": ["type"], "additionalProperties": false}
        },
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/item"}}}
    })
}

#[test]
fn nested_one_of_is_decided_in_polynomial_time() {
    let dir = tempfile::tempdir().unwrap();
    // 22 inputs, as in a real form schema; the writer's branches are expanded once per pair,
    // so time grows with the square of the branches, not with their powers.
    for n in [2, 22] {
        let (rules, took) = compat(
            dir.path(),
            &nested_one_of(n, false),
            &nested_one_of(n, true),
        );
        // Backward is compatible (a branch widened); forward, the old reader's first input
        // rejects the new property.
        assert_eq!(rules, ["json-one-of-narrowed"], "n = {n}");
        assert!(took < BUDGET, "n = {n}: took {took:?}");
    }
}
