use super::*;

/// A registry on disk: `evreg.yaml` and `files` (path, text).
fn registry(config: &str, files: &[(&str, &str)]) -> Registry {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![("evreg.yaml", config)];
    all.extend(files.iter().copied());
    for (path, text) in all {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    Registry::load(dir.path()).unwrap()
}

fn diff(reg: &Registry, a: u32, b: u32) -> VersionDiff {
    let s = &reg.subjects[0];
    diff_subject(reg, s, a, b).unwrap()
}

/// (kind, pointer, breaks backward, breaks forward) of each change.
fn listed(d: &VersionDiff) -> Vec<(&str, &str, bool, bool)> {
    d.changes
        .iter()
        .map(|c| {
            (
                c.kind.as_str(),
                c.pointer.as_str(),
                c.breaks_backward,
                c.breaks_forward,
            )
        })
        .collect()
}

fn rules_of(c: &Change) -> Vec<&'static str> {
    c.findings.iter().map(|f| f.rule.id).collect()
}

#[test]
fn avro_changes_are_listed_and_marked_by_the_engine() {
    let reg = registry(
        "compatibility: BACKWARD\n",
        &[
            (
                "schemas/a.b.c/v1.avsc",
                r#"{"type": "record", "name": "R", "fields": [
            {"name": "qty", "type": "int"},
            {"name": "old", "type": "string", "default": ""},
            {"name": "status", "type": {"type": "enum", "name": "S", "symbols": ["A", "B"]}},
            {"name": "note", "type": ["null", "string"], "default": null}]}"#,
            ),
            (
                "schemas/a.b.c/v2.avsc",
                r#"{"type": "record", "name": "R", "fields": [
            {"name": "qty", "type": "long"},
            {"name": "status", "type": {"type": "enum", "name": "S", "symbols": ["A", "B", "C"]}},
            {"name": "note", "type": "string"},
            {"name": "currency", "type": "string"}]}"#,
            ),
        ],
    );
    let d = diff(&reg, 1, 2);
    assert_eq!(
        listed(&d),
        [
            ("type-promoted", "/fields/0/type", false, true),
            ("enum-symbol-added", "/fields/1/type/symbols", false, true),
            ("default-removed", "/fields/2", false, false),
            ("type-changed", "/fields/2/type", true, false),
            ("field-added", "/fields/3", true, false),
            ("field-removed", "", false, false),
        ]
    );
    assert!(d.other_findings.is_empty(), "{:?}", d.other_findings);
    // BACKWARD promises only the backward direction.
    assert_eq!(d.verdict, Verdict::Breaking);
    assert!(!d.changes[0].breaking && d.changes[3].breaking);
    assert_eq!(rules_of(&d.changes[4]), ["avro-field-missing-default"]);
}

const OLD_JSON: &str = r#"{
  "type": "object",
  "properties": {
    "status": {"enum": ["NEW", "PAID", "CANCELLED"]},
    "note": {"type": "string", "maxLength": 200, "description": "Free text."},
    "customer": {"type": "string"}
  },
  "required": ["status"]
}"#;

const NEW_JSON: &str = r#"{
  "type": "object",
  "properties": {
    "status": {"enum": ["NEW", "PAID"]},
    "note": {"type": "string", "maxLength": 100, "description": "Free text, short."},
    "customer": {"type": "string"}
  },
  "required": ["status", "customer"]
}"#;

fn json_registry(mode: &str, old: &str, new: &str) -> Registry {
    registry(
        &format!("compatibility: {mode}\n"),
        &[
            ("schemas/a.b.c/v1.schema.json", old),
            ("schemas/a.b.c/v2.schema.json", new),
        ],
    )
}

#[test]
fn json_schema_narrowing_is_listed_by_family_and_breaks_backward() {
    let reg = json_registry("BACKWARD", OLD_JSON, NEW_JSON);
    let d = diff(&reg, 1, 2);
    assert_eq!(
        listed(&d),
        [
            ("enum-narrowed", "/properties/status/enum", true, false),
            (
                "max-length-lowered",
                "/properties/note/maxLength",
                true,
                false
            ),
            (
                "description-changed",
                "/properties/note/description",
                false,
                false
            ),
            ("required-added", "/required/1", true, false),
        ]
    );
    let families: Vec<Family> = d.changes.iter().map(|c| c.family).collect();
    assert_eq!(
        families,
        [
            Family::Enum,
            Family::Strings,
            Family::Annotations,
            Family::Objects
        ]
    );
    assert_eq!(rules_of(&d.changes[0]), ["json-enum-narrowed"]);
    assert_eq!(rules_of(&d.changes[1]), ["json-max-length-decreased"]);
    assert_eq!(rules_of(&d.changes[3]), ["json-required-added"]);
    assert!(d.other_findings.is_empty(), "{:?}", d.other_findings);
    assert_eq!(d.verdict, Verdict::Breaking);
    // The same edit read the other way widens: breaks forward only, and FORWARD says so.
    let d = diff(&reg, 2, 1);
    assert!(d.changes.iter().all(|c| !c.breaks_backward));
    assert_eq!(d.verdict, Verdict::Compatible);
    let reg = json_registry("FORWARD", NEW_JSON, OLD_JSON);
    assert_eq!(diff(&reg, 1, 2).verdict, Verdict::Breaking);
}

#[test]
fn the_verdict_follows_the_rule_settings_and_allow_list_as_check_does() {
    let allow = "compatibility: BACKWARD\nallow:\n  - {subject: a.b.c, version: 2, rule: json-enum-narrowed, reason: nobody sends CANCELLED}\n  - {subject: a.b.c, version: 2, rule: json-max-length-decreased, reason: checked}\nrules:\n  json-required-added: warning\n";
    let reg = registry(
        allow,
        &[
            ("schemas/a.b.c/v1.schema.json", OLD_JSON),
            ("schemas/a.b.c/v2.schema.json", NEW_JSON),
        ],
    );
    let d = diff(&reg, 1, 2);
    assert_eq!(d.verdict, Verdict::Compatible);
    // An allowed break is still a break, shown with its reason; it no longer fails.
    assert!(d.changes[0].breaks_backward && !d.changes[0].breaking);
    assert_eq!(
        d.changes[0].findings[0].allowed.as_deref(),
        Some("nobody sends CANCELLED")
    );
    let check = crate::check::check(&reg);
    assert!(!check.findings.iter().any(Finding::is_error), "{check:?}");
}

#[test]
fn json_schema_walks_every_keyword_family() {
    let old = r##"{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "n": {"type": "number", "minimum": 0, "multipleOf": 1},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
        "kind": {"const": "a"},
        "shape": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "code": {"$ref": "#/$defs/Code"},
        "gone": {"type": "boolean"}
      },
      "$defs": {"Code": {"type": "string", "pattern": "^[A-Z]+$"}}
    }"##;
    let new = r##"{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "n": {"type": "integer", "minimum": 1, "multipleOf": 1},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3, "uniqueItems": true},
        "kind": {"const": "b"},
        "shape": {"anyOf": [{"type": "string"}]},
        "code": {"$ref": "#/$defs/Code"},
        "added": {"type": "boolean"}
      },
      "$defs": {"Code": {"type": "string", "pattern": "^[A-Z]{2}$"}}
    }"##;
    let reg = json_registry("FULL", old, new);
    let d = diff(&reg, 1, 2);
    let got: Vec<(Family, &str, &str)> = d
        .changes
        .iter()
        .map(|c| (c.family, c.kind.as_str(), c.pointer.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Family::Types, "type-narrowed", "/properties/n/type"),
            (Family::Numbers, "minimum-raised", "/properties/n/minimum"),
            (
                Family::Arrays,
                "max-items-lowered",
                "/properties/tags/maxItems"
            ),
            (
                Family::Arrays,
                "unique-items-added",
                "/properties/tags/uniqueItems"
            ),
            (Family::Enum, "const-changed", "/properties/kind/const"),
            (
                Family::Combinators,
                "any-of-branch-removed",
                "/properties/shape/anyOf"
            ),
            (Family::Objects, "property-added", "/properties/added"),
            (Family::Objects, "property-removed", "/properties"),
            (Family::Strings, "pattern-changed", "/$defs/Code/pattern"),
        ]
    );
    assert_eq!(d.changes[7].old_pointer, "/properties/gone");
    assert_eq!(d.verdict, Verdict::Breaking);
    // Every finding found its change.
    assert!(d.other_findings.is_empty(), "{:#?}", d.other_findings);
    let pattern = &d.changes[8];
    // `^[A-Z]{2}$` matches only strings `^[A-Z]+$` matches: a break one way only.
    assert_eq!(rules_of(pattern), ["json-pattern-changed"]);
    assert!(pattern.breaks_backward && !pattern.breaks_forward);
}

#[test]
fn an_invalid_version_leaves_the_pair_undecided() {
    let reg = json_registry("BACKWARD", OLD_JSON, r#"{"type": "strin"}"#);
    let d = diff(&reg, 1, 2);
    assert_eq!(d.verdict, Verdict::Undecided);
    assert!(!d.breaking);
    assert!(
        d.problems[0].starts_with("v2 is not a valid schema"),
        "{:?}",
        d.problems
    );
}

#[test]
fn places_nest_by_pointer_token_and_path_segment() {
    assert!(inside("/a/b", "/a"));
    assert!(inside("/a", ""));
    assert!(!inside("/ab", "/a"));
    assert!(!inside("/a", "/a"));
    assert!(under_path("total.amount", "total"));
    assert!(under_path("lines[].sku", "lines"));
    assert!(under_path("total", "total"));
    assert!(under_path("x", ""));
    assert!(!under_path("totals", "total"));
}

#[test]
fn normalised_text_ignores_layout() {
    let a = crate::source::json::parse(r#"{"b": 1, "a": [1, 2]}"#).unwrap();
    let b = crate::source::json::parse("{\n\"a\": [1,2],\n    \"b\": 1}").unwrap();
    assert_eq!(normalized(&a), normalized(&b));
    assert_eq!(unified("x", "y", &normalized(&a), &normalized(&b)), "");
}

#[test]
fn boolean_schemas_tuples_and_dependencies_are_compared_as_their_drafts_mean_them() {
    let old = r#"{
      "$schema": "http://json-schema.org/draft-07/schema#",
      "properties": {
        "a": true,
        "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
        "n": {"type": "number", "maximum": 1.0}
      },
      "dependencies": {"card": ["cvv"], "bank": {"required": ["iban"]}}
    }"#;
    let new = r#"{
      "$schema": "http://json-schema.org/draft-07/schema#",
      "properties": {
        "a": false,
        "pair": {"type": "array", "items": [{"type": "string"}]},
        "n": {"type": "number", "maximum": 1}
      },
      "dependencies": {"card": ["cvv", "expiry"], "bank": {"required": ["iban", "bic"]}}
    }"#;
    let reg = json_registry("FULL", old, new);
    let d = diff(&reg, 1, 2);
    let got: Vec<(&str, &str)> = d
        .changes
        .iter()
        .map(|c| (c.kind.as_str(), c.pointer.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("schema-replaced", "/properties/a"),
            ("tuple-item-removed", "/properties/pair/items"),
            ("dependent-required-changed", "/dependencies/card"),
            ("required-added", "/dependencies/bank/required/1"),
        ]
    );
    assert_eq!(d.changes[1].old_pointer, "/properties/pair/items/1");
    assert!(d.other_findings.is_empty(), "{:#?}", d.other_findings);
    assert_eq!(d.verdict, Verdict::Breaking);
    assert!(d.changes[0].breaks_backward);
}

#[test]
fn a_schema_with_thousands_of_properties_diffs_promptly() {
    let props = |extra: &str| {
        let mut p: Vec<String> = (0..4000)
            .map(|i| format!("\"p{i}\": {{\"type\": \"string\", \"maxLength\": 10}}"))
            .collect();
        if !extra.is_empty() {
            p.push(extra.to_string());
        }
        format!(
            "{{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {{{}}}}}",
            p.join(",")
        )
    };
    let reg = json_registry(
        "BACKWARD",
        &props(""),
        &props("\"new\": {\"type\": \"string\"}"),
    );
    let start = std::time::Instant::now();
    let d = diff(&reg, 1, 2);
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].kind, "property-added");
    assert_eq!(d.verdict, Verdict::Compatible);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}
