//! The engine on small schema pairs, in both directions. `backward(old, new)` lists the rule ids
//! when `new` reads `old`'s data; every example shown must be valid under the writer and invalid
//! under the reader (checked again here with the jsonschema crate).

use super::*;
use crate::finding::Severity;
use crate::rules;
use crate::schema::json::{FileProvider, load};
use crate::source::SourceFile;
use std::sync::Arc;

fn schema(text: &str) -> JsonSchema {
    let dir = std::env::temp_dir();
    let provider = FileProvider::new(dir);
    let l = load(
        Arc::new(SourceFile::new("x.schema.json", text)),
        "x.schema.json",
        &provider,
        Default::default(),
    );
    assert!(
        l.findings.is_empty(),
        "{text}: {:?}",
        l.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    l.schema.unwrap()
}

fn incs(reader: &str, writer: &str, policy: Policy) -> Vec<Draft> {
    let (r, w) = (schema(reader), schema(writer));
    let out = check(&r, &w, policy);
    let verdict = accepts(&r, &w, policy);
    let errors = out.iter().any(Draft::is_error);
    let undecidable = out.iter().any(|i| i.rule.id == "json-undecidable");
    assert!(
        undecidable || verdict != errors,
        "probe and report disagree for reader {reader} / writer {writer}: {verdict} {out:#?}"
    );
    let (rv, wv) = (
        example::validator(&r, false).unwrap(),
        example::validator(&w, false).unwrap(),
    );
    for i in &out {
        if let Some(ex) = &i.example {
            assert!(
                wv.is_valid(ex) && !rv.is_valid(ex),
                "bad example {ex} for {}",
                i.rule.id
            );
        }
    }
    out
}

/// Rule ids when `new` reads data written with `old`.
fn backward(old: &str, new: &str) -> Vec<&'static str> {
    incs(new, old, Policy::Strict)
        .iter()
        .map(|i| i.rule.id)
        .collect()
}

/// Rule ids when `old` reads data written with `new`.
fn forward(old: &str, new: &str) -> Vec<&'static str> {
    backward(new, old)
}

#[test]
fn types_widen_and_narrow() {
    assert!(backward(r#"{"type": "integer"}"#, r#"{"type": "number"}"#).is_empty());
    assert_eq!(
        forward(r#"{"type": "integer"}"#, r#"{"type": "number"}"#),
        ["json-type-narrowed"]
    );
    assert_eq!(
        backward(r#"{"type": ["string", "null"]}"#, r#"{"type": "string"}"#),
        ["json-type-narrowed"]
    );
    assert_eq!(
        backward("{}", r#"{"type": "string"}"#),
        ["json-type-narrowed"]
    );
    assert_eq!(backward("true", "false"), ["json-type-narrowed"]);
    assert!(backward("false", r#"{"type": "string"}"#).is_empty());
    assert!(
        backward(
            r#"{"type": "number", "multipleOf": 1}"#,
            r#"{"type": "integer"}"#
        )
        .is_empty()
    );
}

#[test]
fn enums_and_consts() {
    let v1 = r#"{"enum": ["NEW", "PAID", "REFUNDED"]}"#;
    let v2 = r#"{"enum": ["NEW", "PAID"]}"#;
    assert_eq!(backward(v1, v2), ["json-enum-narrowed"]);
    assert!(forward(v1, v2).is_empty());
    assert_eq!(
        backward(r#"{"const": "a"}"#, r#"{"const": "b"}"#),
        ["json-const-changed"]
    );
    assert_eq!(
        backward(r#"{"type": "string"}"#, r#"{"enum": ["a"]}"#),
        ["json-enum-narrowed"]
    );
    assert!(backward(r#"{"type": "boolean"}"#, r#"{"enum": [true, false]}"#).is_empty());
    assert!(
        backward(
            r#"{"enum": [1, 2]}"#,
            r#"{"type": "integer", "maximum": 2}"#
        )
        .is_empty()
    );
    assert_eq!(
        backward(
            r#"{"enum": [1, 5]}"#,
            r#"{"type": "integer", "maximum": 2}"#
        ),
        ["json-maximum-decreased"]
    );
    assert!(backward(r#"{"const": 1.0}"#, r#"{"const": 1}"#).is_empty());
}

#[test]
fn strings() {
    let s = |k: &str| format!(r#"{{"type": "string", {k}}}"#);
    assert_eq!(
        backward(&s(r#""maxLength": 64"#), &s(r#""maxLength": 32"#)),
        ["json-max-length-decreased"]
    );
    assert!(forward(&s(r#""maxLength": 64"#), &s(r#""maxLength": 32"#)).is_empty());
    assert_eq!(
        backward(r#"{"type": "string"}"#, &s(r#""maxLength": 32"#)),
        ["json-max-length-decreased"]
    );
    assert_eq!(
        backward(&s(r#""minLength": 1"#), &s(r#""minLength": 3"#)),
        ["json-min-length-increased"]
    );
    assert_eq!(
        backward(&s(r#""pattern": "^a""#), &s(r#""pattern": "^b""#)),
        ["json-pattern-changed"]
    );
    assert!(
        backward(
            &s(r#""pattern": "^[a-z]+$""#),
            &s(r#""pattern": "^[a-z]+$""#)
        )
        .is_empty()
    );
    assert!(backward(&s(r#""pattern": "^[a-z]+$""#), r#"{"type": "string"}"#).is_empty());
    // format is an annotation: a warning, not a break
    let out = incs(
        &s(r#""format": "date-time""#),
        r#"{"type": "string"}"#,
        Policy::Strict,
    );
    assert_eq!(
        out.iter().map(|i| i.rule.id).collect::<Vec<_>>(),
        ["json-format-changed"]
    );
    assert_eq!(out[0].rule.severity, Severity::Warning);
}

#[test]
fn numbers_and_exclusive_bounds() {
    let n = |k: &str| format!(r#"{{"type": "number", {k}}}"#);
    let i = |k: &str| format!(r#"{{"type": "integer", {k}}}"#);
    assert_eq!(
        backward(&n(r#""minimum": 0"#), &n(r#""exclusiveMinimum": 0"#)),
        ["json-minimum-increased"]
    );
    assert!(forward(&n(r#""minimum": 0"#), &n(r#""exclusiveMinimum": 0"#)).is_empty());
    // for integers, exclusiveMinimum 0 is minimum 1
    assert!(backward(&i(r#""minimum": 1"#), &i(r#""exclusiveMinimum": 0"#)).is_empty());
    assert!(forward(&i(r#""minimum": 1"#), &i(r#""exclusiveMinimum": 0"#)).is_empty());
    assert_eq!(
        backward(&n(r#""maximum": 100"#), &n(r#""exclusiveMaximum": 100"#)),
        ["json-maximum-decreased"]
    );
    let d4 = |k: &str| {
        format!(
            r#"{{"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", {k}}}"#
        )
    };
    assert_eq!(
        backward(
            &d4(r#""maximum": 5"#),
            &d4(r#""maximum": 5, "exclusiveMaximum": true"#)
        ),
        ["json-maximum-decreased"]
    );
    assert!(
        backward(
            &d4(r#""maximum": 5, "exclusiveMaximum": true"#),
            &n(r#""exclusiveMaximum": 5"#)
        )
        .is_empty()
    );
    assert!(backward(&n(r#""multipleOf": 0.05"#), &n(r#""multipleOf": 0.01"#)).is_empty());
    assert_eq!(
        backward(&n(r#""multipleOf": 0.01"#), &n(r#""multipleOf": 0.05"#)),
        ["json-multiple-of-changed"]
    );
    assert!(backward(r#"{"type": "integer"}"#, &i(r#""multipleOf": 1"#)).is_empty());
}

#[test]
fn content_models() {
    let open1 = r#"{"type": "object", "properties": {"id": {"type": "string"}}}"#;
    let open2 = r#"{"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}"#;
    assert_eq!(
        backward(open1, open2),
        ["json-property-added-to-open-model"]
    );
    assert!(
        forward(open1, open2).is_empty(),
        "removing from an open model is fine"
    );
    let closed1 = r#"{"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": false}"#;
    let closed2 = r#"{"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}, "additionalProperties": false}"#;
    assert!(
        backward(closed1, closed2).is_empty(),
        "adding optional to a closed model is fine"
    );
    assert_eq!(
        forward(closed1, closed2),
        ["json-property-removed-from-closed-model"]
    );
    let part1 = r#"{"type": "object", "additionalProperties": {"type": "string"}}"#;
    let covered = r#"{"type": "object", "properties": {"note": {"type": "string"}}, "additionalProperties": {"type": "string"}}"#;
    let uncovered = r#"{"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": {"type": "string"}}"#;
    assert!(backward(part1, covered).is_empty());
    assert_eq!(
        backward(part1, uncovered),
        ["json-property-added-to-partially-open-model"]
    );
    assert_eq!(
        forward(part1, uncovered),
        ["json-property-removed-from-partially-open-model"]
    );
    assert_eq!(
        backward(
            r#"{"type": "object"}"#,
            r#"{"type": "object", "additionalProperties": false}"#
        ),
        ["json-additional-properties-narrowed"]
    );
    assert_eq!(
        backward(
            r#"{"type": "object"}"#,
            r#"{"type": "object", "unevaluatedProperties": false}"#
        ),
        ["json-additional-properties-narrowed"]
    );
    assert_eq!(
        backward(
            r#"{"patternProperties": {"^x-": {"type": "string"}}}"#,
            r#"{"patternProperties": {"^x-": {"type": "string", "maxLength": 3}}}"#
        ),
        ["json-pattern-properties-changed"]
    );
}

#[test]
fn the_example_answers_why_adding_a_field_breaks() {
    let out = incs(
        r#"{"type": "object", "properties": {"note": {"type": "string"}}}"#,
        r#"{"type": "object"}"#,
        Policy::Strict,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].example, Some(serde_json::json!({"note": 5})));
    assert_eq!(out[0].path, "note");
}

#[test]
fn lenient_policy_turns_two_breaks_into_warnings() {
    let open1 = r#"{"type": "object", "properties": {"id": {}}}"#;
    let open2 = r#"{"type": "object", "properties": {"id": {}, "note": {"type": "string"}}}"#;
    let out = incs(open2, open1, Policy::Lenient);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].severity, Some(Severity::Warning));
    let required = r#"{"type": "object", "properties": {"id": {}, "note": {"type": "string"}}, "required": ["note"]}"#;
    let out = incs(required, open1, Policy::Lenient);
    assert!(
        out.iter().any(|i| i.severity.is_none()),
        "a required addition stays an error"
    );
    let closed1 = r#"{"properties": {"id": {}, "note": {}}, "additionalProperties": false}"#;
    let closed2 = r#"{"properties": {"id": {}}, "additionalProperties": false}"#;
    let out = incs(closed2, closed1, Policy::Lenient);
    assert_eq!(out[0].rule.id, "json-property-removed-from-closed-model");
    assert_eq!(out[0].severity, Some(Severity::Warning));
}

#[test]
fn object_constraints() {
    assert_eq!(
        backward(
            r#"{"required": ["id"]}"#,
            r#"{"required": ["id", "currency"]}"#
        ),
        ["json-required-added"]
    );
    assert!(
        forward(
            r#"{"required": ["id"]}"#,
            r#"{"required": ["id", "currency"]}"#
        )
        .is_empty()
    );
    assert_eq!(
        backward("{}", r#"{"minProperties": 1}"#),
        ["json-min-properties-increased"]
    );
    assert_eq!(
        backward(r#"{"maxProperties": 10}"#, r#"{"maxProperties": 5}"#),
        ["json-max-properties-decreased"]
    );
    assert!(
        backward(
            r#"{"properties": {"a": {}, "b": {}}, "additionalProperties": false}"#,
            r#"{"maxProperties": 2}"#
        )
        .is_empty()
    );
    assert_eq!(
        backward("{}", r#"{"dependentRequired": {"card": ["expiry"]}}"#),
        ["json-dependent-required-added"]
    );
    assert_eq!(
        backward("{}", r#"{"propertyNames": {"maxLength": 8}}"#),
        ["json-property-names-narrowed"]
    );
    assert!(
        backward(
            r#"{"propertyNames": {"maxLength": 4}}"#,
            r#"{"propertyNames": {"maxLength": 8}}"#
        )
        .is_empty()
    );
    assert_eq!(
        backward(
            "{}",
            r#"{"dependentSchemas": {"card": {"required": ["expiry"]}}}"#
        ),
        ["json-dependent-schema-added"]
    );
    let d7 = r#"{"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"card": ["expiry"]}}"#;
    assert!(backward(d7, d7).is_empty());
}

#[test]
fn arrays() {
    assert_eq!(
        backward(
            r#"{"type": "array", "items": {"type": "integer"}}"#,
            r#"{"type": "array", "items": {"type": "string"}}"#
        ),
        ["json-type-narrowed"]
    );
    assert_eq!(
        backward(
            r#"{"type": "array"}"#,
            r#"{"type": "array", "minItems": 1}"#
        ),
        ["json-min-items-increased"]
    );
    assert_eq!(
        backward(
            r#"{"type": "array", "maxItems": 100}"#,
            r#"{"type": "array", "maxItems": 10}"#
        ),
        ["json-max-items-decreased"]
    );
    assert_eq!(
        backward(
            r#"{"type": "array"}"#,
            r#"{"type": "array", "uniqueItems": true}"#
        ),
        ["json-unique-items-added"]
    );
    assert_eq!(
        backward(
            r#"{"type": "array"}"#,
            r#"{"type": "array", "contains": {"const": "x"}}"#
        ),
        ["json-contains-narrowed"]
    );
    assert!(
        backward(
            r#"{"contains": {"const": "x"}, "minContains": 2}"#,
            r#"{"contains": {"type": "string"}}"#
        )
        .is_empty()
    );
    let t1 = r#"{"prefixItems": [{"type": "string"}]}"#;
    let t2 = r#"{"prefixItems": [{"type": "string"}], "items": false}"#;
    assert_eq!(backward(t1, t2), ["json-items-narrowed"]);
    assert!(forward(t1, t2).is_empty());
    let d7a = r#"{"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}], "additionalItems": {"type": "integer"}}"#;
    let d7b = r#"{"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}"#;
    assert!(backward(d7b, d7a).is_empty());
    assert_eq!(backward(d7a, d7b), ["json-items-narrowed"]);
}

#[test]
fn combinators() {
    let any2 = r#"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#;
    let any1 = r#"{"anyOf": [{"type": "string"}]}"#;
    assert_eq!(backward(any2, any1), ["json-any-of-narrowed"]);
    assert!(forward(any2, any1).is_empty());
    assert!(backward(r#"{"type": ["string", "integer"]}"#, any2).is_empty());
    let one2 = r#"{"oneOf": [{"type": "string"}, {"type": "integer"}]}"#;
    let one3 = r#"{"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}"#;
    let overlap = r#"{"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}]}"#;
    assert!(backward(one2, one3).is_empty(), "a disjoint branch widens");
    assert_eq!(forward(one2, one3), ["json-one-of-narrowed"]);
    assert_eq!(backward(one2, overlap), ["json-one-of-narrowed"]);
    let disc = |extra: &str| {
        format!(
            r#"{{"oneOf": [{{"properties": {{"kind": {{"const": "a"}}}}, "required": ["kind"]}}, {{"properties": {{"kind": {{"const": "b"}}}}, "required": ["kind"]}}{extra}]}}"#
        )
    };
    assert!(
        backward(
            &disc(""),
            &disc(r#", {"properties": {"kind": {"const": "c"}}, "required": ["kind"]}"#)
        )
        .is_empty()
    );
    assert_eq!(
        backward(
            r#"{"type": "string"}"#,
            r#"{"type": "string", "not": {"const": ""}}"#
        ),
        ["json-not-changed"]
    );
    let n = r#"{"type": "string", "not": {"const": ""}}"#;
    assert!(backward(n, n).is_empty());
    assert!(backward(r#"{"type": "integer"}"#, r#"{"not": {"type": "string"}}"#).is_empty());
    let cond = r#"{"if": {"properties": {"m": {"const": "card"}}, "required": ["m"]}, "then": {"required": ["last4"]}}"#;
    assert_eq!(backward("{}", cond), ["json-conditional-changed"]);
    assert!(backward(cond, cond).is_empty());
    let narrower = r#"{"if": {"properties": {"m": {"const": "card"}}, "required": ["m"]}, "then": {"required": ["last4"], "properties": {"last4": {"maxLength": 4}}}}"#;
    assert_eq!(
        backward(cond, narrower),
        ["json-property-added-to-open-model"]
    );
    assert!(
        backward(
            r#"{"allOf": [{"type": "string"}, {"maxLength": 4}]}"#,
            r#"{"type": "string", "maxLength": 5}"#
        )
        .is_empty()
    );
}

#[test]
fn refs_and_recursion() {
    let list = |leaf: &str| {
        format!(
            r##"{{"$defs": {{"node": {{"type": "object", "properties": {{"value": {leaf}, "next": {{"$ref": "#/$defs/node"}}}}}}}}, "$ref": "#/$defs/node"}}"##
        )
    };
    let ints = list(r#"{"type": "integer"}"#);
    let nums = list(r#"{"type": "number"}"#);
    assert!(backward(&ints, &ints).is_empty());
    assert!(
        backward(&ints, &nums).is_empty(),
        "number reads integer, at every depth"
    );
    let out = incs(&ints, &nums, Policy::Strict);
    assert_eq!(
        out.iter().map(|i| i.rule.id).collect::<Vec<_>>(),
        ["json-type-narrowed"]
    );
    assert_eq!(
        out[0].path, "value",
        "reported once, where the recursive definition is first met"
    );
    // A reference and the schema it names inline are the same schema.
    let inline = r#"{"type": "object", "properties": {"a": {"type": "string", "maxLength": 3}}}"#;
    let via_ref = r##"{"type": "object", "properties": {"a": {"$ref": "#/$defs/short"}}, "$defs": {"short": {"$anchor": "s", "type": "string", "maxLength": 3}}}"##;
    let via_anchor = r##"{"type": "object", "properties": {"a": {"$ref": "#s"}}, "$defs": {"short": {"$anchor": "s", "type": "string", "maxLength": 3}}}"##;
    assert!(backward(inline, via_ref).is_empty());
    assert!(backward(via_anchor, inline).is_empty());
    let longer = r##"{"type": "object", "properties": {"a": {"$ref": "#/definitions/s"}}, "definitions": {"s": {"type": "string", "maxLength": 5}}}"##;
    assert_eq!(backward(longer, via_ref), ["json-max-length-decreased"]);
}

#[test]
fn annotations_change_nothing() {
    let a = r#"{"type": "object", "title": "A", "description": "x", "properties": {"id": {"type": "string", "default": "a", "examples": ["b"], "$comment": "c"}}}"#;
    let b = r#"{"type": "object", "title": "B", "properties": {"id": {"type": "string", "description": "the id"}}}"#;
    assert!(backward(a, b).is_empty());
    assert!(forward(a, b).is_empty());
}

#[test]
fn undecidable_constructs_are_named() {
    let dynamic =
        r##"{"$defs": {"n": {"$dynamicAnchor": "n", "type": "object"}}, "$dynamicRef": "#n"}"##;
    let out = incs(dynamic, r#"{"type": "object"}"#, Policy::Strict);
    assert!(
        out.iter()
            .any(|i| i.rule.id == "json-undecidable" && i.message.contains("$dynamicRef")),
        "{out:#?}"
    );
}

#[test]
fn a_named_property_beside_unchanged_pattern_properties_is_judged_alone() {
    let old = r#"{"additionalProperties": false, "patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}}}"#;
    let new = r#"{"additionalProperties": false, "patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}}, "properties": {"x": {}}}"#;
    // Adding `x` to a closed model is safe; removing it is the only break, both ways round.
    assert!(backward(old, new).is_empty(), "{:?}", backward(old, new));
    assert_eq!(
        forward(old, new),
        ["json-property-removed-from-closed-model"]
    );
    // Unchanged patterns that do overlap (`^a` and `^ab`) are still one comparison each.
    let old = r#"{"patternProperties": {"^a": {"type": "string"}, "^ab": {"maxLength": 3}}, "additionalProperties": false}"#;
    let new = r#"{"patternProperties": {"^a": {"type": "string"}, "^ab": {"maxLength": 3}}, "additionalProperties": false, "properties": {"zz": {"type": "integer"}}}"#;
    assert!(backward(old, new).is_empty());
    assert_eq!(
        forward(old, new),
        ["json-property-removed-from-closed-model"]
    );
    // Open models: the new named property is judged against the writer's undeclared class.
    let old = r#"{"patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}}}"#;
    let new = r#"{"patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}}, "properties": {"x": {"type": "string"}}}"#;
    assert_eq!(backward(old, new), ["json-property-added-to-open-model"]);
    assert!(forward(old, new).is_empty());
}

#[test]
fn a_new_pattern_is_compared_with_the_writer_classes_it_may_overlap_once() {
    let old = r#"{"patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}, "^x-": {"type": "boolean"}}, "additionalProperties": false}"#;
    // `^c$` overlaps no writer class of a closed model: nothing can break.
    let new = r#"{"patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}, "^x-": {"type": "boolean"}, "^c$": {"type": "null"}}, "additionalProperties": false}"#;
    assert!(backward(old, new).is_empty());
    // `^x-y` lies inside `^x-` and narrows it: one finding that names `^x-`, none about `^a$`.
    let new = r#"{"patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}, "^x-": {"type": "boolean"}, "^x-y": {"const": true}}, "additionalProperties": false}"#;
    let out = incs(new, old, Policy::Strict);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].rule.id, "json-pattern-properties-changed");
    assert!(
        out[0]
            .message
            .contains("`^x-` (which may also match `^x-y`)"),
        "{}",
        out[0].message
    );
    assert!(!out[0].message.contains("`^a$`"), "{}", out[0].message);
    // A pattern that may match anything (`b`) is reported once with every class it narrows.
    let new = r#"{"patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}, "^x-": {"type": "boolean"}, "b": {"type": "null"}}, "additionalProperties": false}"#;
    let out = incs(new, old, Policy::Strict);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert!(
        out[0].message.contains("`^b$`") && out[0].message.contains("`^x-`"),
        "{}",
        out[0].message
    );
    assert!(!out[0].message.contains("`^a$`"), "{}", out[0].message);
    // An unchanged pattern whose schema narrows is still reported, against itself only.
    let new = r#"{"patternProperties": {"^a$": {"type": "string", "maxLength": 2}, "^b$": {"type": "integer"}, "^x-": {"type": "boolean"}}, "additionalProperties": false}"#;
    let out = incs(new, old, Policy::Strict);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert!(
        out[0]
            .message
            .starts_with("properties matching `^a$` must match its schema"),
        "{}",
        out[0].message
    );
    assert!(
        out[0]
            .message
            .ends_with("other values for properties matching `^a$`"),
        "{}",
        out[0].message
    );
}

/// `{"oneOf": [{"const": "v0"}, …]}` with the values `from..to`.
fn const_branches(kw: &str, n: usize, skip: Option<usize>) -> String {
    let branches: Vec<String> = (0..n)
        .filter(|i| Some(*i) != skip)
        .map(|i| format!(r#"{{"const": "v{i}", "description": "value {i}"}}"#))
        .collect();
    format!(r#"{{"type": "string", "{kw}": [{}]}}"#, branches.join(", "))
}

#[test]
fn const_branch_sets_of_any_size_are_compared_as_sets() {
    for kw in ["oneOf", "anyOf"] {
        for n in [60, 65, 300] {
            let all = const_branches(kw, n, None);
            let fewer = const_branches(kw, n, Some(n / 2));
            let out = incs(&fewer, &all, Policy::Strict);
            let ids: Vec<&str> = out.iter().map(|i| i.rule.id).collect();
            let want = if kw == "oneOf" {
                "json-one-of-narrowed"
            } else {
                "json-any-of-narrowed"
            };
            assert_eq!(ids, [want], "{kw} of {n}: {out:#?}");
            assert!(
                out[0].message.contains(&format!("\"v{}\"", n / 2)),
                "{}",
                out[0].message
            );
            assert_eq!(
                out[0].example,
                Some(serde_json::json!(format!("v{}", n / 2)))
            );
            assert!(backward(&fewer, &all).is_empty(), "{kw} of {n}");
        }
    }
    // The same set written as an enum on one side and as branches on the other is the same set.
    let e = r#"{"enum": ["a", "b", "c"]}"#;
    let b = r#"{"oneOf": [{"const": "a"}, {"const": "b"}, {"const": "c"}]}"#;
    assert!(backward(e, b).is_empty());
    assert!(backward(b, e).is_empty());
    assert_eq!(
        backward(e, r#"{"oneOf": [{"const": "a"}, {"const": "b"}]}"#),
        ["json-one-of-narrowed"]
    );
}

#[test]
fn undecidable_keeps_a_pair_from_being_compatible() {
    assert_eq!(rules::JSON_UNDECIDABLE.severity, Severity::Error);
    let dynamic =
        r##"{"$defs": {"n": {"$dynamicAnchor": "n", "type": "object"}}, "$dynamicRef": "#n"}"##;
    let (r, w) = (schema(dynamic), schema(r#"{"type": "object"}"#));
    assert!(!accepts(&r, &w, Policy::Strict));
}

#[test]
fn draft_04_booleans_in_additional_properties_and_items() {
    let closed = r#"{"$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false}"#;
    let open = r#"{"$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": true}"#;
    assert!(backward(closed, closed).is_empty());
    assert!(backward(closed, open).is_empty());
    assert_eq!(
        forward(closed, open),
        ["json-additional-properties-narrowed"]
    );
    let tuple = |extra: &str| {
        format!(
            r#"{{"$schema": "http://json-schema.org/draft-04/schema#",
            "type": "array", "items": [{{"type": "string"}}], "additionalItems": {extra}}}"#
        )
    };
    assert!(backward(&tuple("false"), &tuple("false")).is_empty());
    assert!(backward(&tuple("false"), &tuple("true")).is_empty());
    assert!(!forward(&tuple("false"), &tuple("true")).is_empty());
    // Elsewhere a boolean is still no schema in draft-04.
    let dir = std::env::temp_dir();
    let text =
        r#"{"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"a": true}}"#;
    let l = load(
        Arc::new(SourceFile::new("x.schema.json", text)),
        "x.schema.json",
        &FileProvider::new(dir),
        Default::default(),
    );
    assert!(!l.findings.is_empty());
}

#[test]
fn reordered_enums_and_branches_are_the_same_schema() {
    let cond = |e: &str| {
        format!(
            r#"{{"if": {{"properties": {{"k": {{"enum": {e}}}}}}}, "then": {{"required": ["x"]}}}}"#
        )
    };
    assert!(backward(&cond(r#"["a", "b"]"#), &cond(r#"["b", "a"]"#)).is_empty());
    assert!(forward(&cond(r#"["a", "b"]"#), &cond(r#"["b", "a"]"#)).is_empty());
    let a = r#"{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}"#;
    let b = r#"{"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}"#;
    let c = r#"{"type": "object", "properties": {"c": {"minimum": 3}}, "required": ["c"]}"#;
    for kw in ["anyOf", "oneOf", "allOf"] {
        let one = format!(r#"{{"not": {{"{kw}": [{a}, {b}, {c}]}}}}"#);
        let two = format!(r#"{{"not": {{"{kw}": [{c}, {a}, {b}]}}}}"#);
        assert!(backward(&one, &two).is_empty(), "{kw}");
        assert!(forward(&one, &two).is_empty(), "{kw}");
    }
    // Not the same set: a branch changed while the others moved.
    let one = format!(r#"{{"not": {{"anyOf": [{a}, {b}]}}}}"#);
    let two = format!(r#"{{"not": {{"anyOf": [{b}, {c}]}}}}"#);
    assert!(!backward(&one, &two).is_empty());
}

#[test]
fn one_of_branches_of_closed_objects_with_different_required_keys_are_exclusive() {
    let branch = |req: &str, extra: &str| {
        format!(
            r#"{{"type": "object", "properties": {{"{req}": {{"type": "string"}}{extra}}}, "required": ["{req}"], "additionalProperties": false}}"#
        )
    };
    let old = format!(r#"{{"oneOf": [{}, {}]}}"#, branch("a", ""), branch("b", ""));
    let new = format!(
        r#"{{"oneOf": [{}, {}]}}"#,
        branch("a", r#", "c": {"type": "string"}"#),
        branch("b", "")
    );
    assert!(
        backward(&old, &new).is_empty(),
        "{:?}",
        backward(&old, &new)
    );
    assert_eq!(forward(&old, &new), ["json-one-of-narrowed"]);
    // Open branches are not exclusive: {"a": "x", "b": "y"} matches both.
    let open = |req: &str, extra: &str| {
        format!(
            r#"{{"type": "object", "properties": {{"{req}": {{"type": "string"}}{extra}}}, "required": ["{req}"]}}"#
        )
    };
    let old = format!(r#"{{"oneOf": [{}, {}]}}"#, open("a", ""), open("b", ""));
    let new = format!(
        r#"{{"oneOf": [{}, {}]}}"#,
        open("a", r#", "c": {"type": "string"}"#),
        open("b", "")
    );
    assert!(!backward(&old, &new).is_empty());
}

#[test]
fn a_condition_on_a_value_the_writer_never_has_leaves_it_alone() {
    let old = r#"{"type": "object", "properties": {"k": {"enum": ["a", "b"]}, "x": {"type": "string"}}, "required": ["k"]}"#;
    let new = r#"{"type": "object", "properties": {"k": {"enum": ["a", "b", "c"]}, "x": {"type": "string"}}, "required": ["k"],
        "if": {"properties": {"k": {"const": "c"}}}, "then": {"required": ["x"]}}"#;
    assert!(backward(old, new).is_empty(), "{:?}", backward(old, new));
    // A value the writer allows: the condition binds old data.
    let new_b = new.replace(r#"{"const": "c"}"#, r#"{"const": "b"}"#);
    assert_eq!(backward(old, &new_b), ["json-conditional-changed"]);
}

#[test]
fn patterns_are_compared_by_the_strings_they_match() {
    let pat = |p: &str| {
        format!(
            r#"{{"type": "string", "pattern": {}}}"#,
            serde_json::json!(p)
        )
    };
    // Widened: an anchor dropped, an alternative added, a lookahead removed.
    assert!(backward(&pat("^[a-z]+$"), &pat("^[a-z]+")).is_empty());
    assert!(backward(&pat("^(get|put)$"), &pat("^(get|put|post)$")).is_empty());
    assert!(backward(&pat("^(?=.*[0-9])[a-z0-9]+$"), &pat("^[a-z0-9]+$")).is_empty());
    // Narrowed: the example is a string only the writer allows.
    let old = pat(r"^Ctrl\+[A-Z]+$");
    let new = pat(r"^Ctrl\+[A-Z]$");
    let out = incs(&new, &old, Policy::Strict);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].rule.id, "json-pattern-changed");
    assert_eq!(out[0].example, Some(serde_json::json!("Ctrl+AA")));
    // A longer string would differ, but the writer's maxLength rules it out.
    let old = r#"{"type": "string", "pattern": "^[a-z]+$", "maxLength": 3}"#;
    let new = r#"{"type": "string", "pattern": "^[a-z]{1,3}$"}"#;
    assert!(backward(old, new).is_empty());
    // Outside the regular subset: not decided, and not passed; or shown by an example.
    assert_eq!(
        backward(&pat("^a$"), &pat(r"^([a-z])\1*$")),
        ["json-undecidable"]
    );
    assert_eq!(
        backward(&pat("^[a-z]+$"), &pat(r"^([a-z])\1*$")),
        ["json-pattern-changed"]
    );
}

#[test]
fn branch_and_not_findings_come_with_examples() {
    let with_example = |old: &str, new: &str, rule: &str| {
        let out = incs(new, old, Policy::Strict);
        let f = out
            .iter()
            .find(|i| i.rule.id == rule)
            .unwrap_or_else(|| panic!("{rule}: {out:#?}"));
        assert!(f.example.is_some(), "{rule}: {f:#?}");
    };
    // A closed branch that lost an optional property: a fuller instance shows it.
    let closed = |extra: &str| {
        format!(
            r#"{{"oneOf": [{{"type": "object", "properties": {{"k": {{"const": "a"}}{extra}}}, "required": ["k"], "additionalProperties": false}}, {{"type": "object", "properties": {{"k": {{"const": "b"}}}}, "required": ["k"]}}]}}"#
        )
    };
    with_example(
        &closed(r#", "p": {"type": "string"}"#),
        &closed(""),
        "json-one-of-narrowed",
    );
    with_example(
        r#"{"anyOf": [{"type": "object", "properties": {"x": {"type": ["string", "integer"]}}}]}"#,
        r#"{"anyOf": [{"type": "object", "properties": {"x": {"type": "string"}}}]}"#,
        "json-type-narrowed",
    );
    with_example(
        r#"{"type": "string"}"#,
        r#"{"type": "string", "not": {"const": "x"}}"#,
        "json-not-changed",
    );
}

#[test]
fn a_narrower_if_with_the_same_then_is_compatible_one_way() {
    let old = r#"{"type": "object", "if": {"properties": {"k": {"const": "a"}}, "required": ["k"]},
        "then": {"required": ["x"]}}"#;
    let new = r#"{"type": "object", "if": {"properties": {"k": {"const": "a"}, "t": {"type": "object"}}, "required": ["k"]},
        "then": {"required": ["x"]}}"#;
    // Where the new `if` holds the old one did, and the same `then` was guaranteed.
    assert!(backward(old, new).is_empty(), "{:?}", backward(old, new));
    // The old `if` holds for {"k": "a", "t": 1}, which the new schema lets go without `x`.
    assert_eq!(forward(old, new), ["json-conditional-changed"]);
}

#[test]
fn a_finding_met_through_several_writer_alternatives_keeps_an_example() {
    // Two conditionals on `kind` expand the writer into four alternatives, one of which (no
    // `if` holds) has no instance: the finding still carries an example.
    let schema = |extra: &str| {
        format!(
            r#"{{"type": "object", "required": ["v", "kind"],
            "properties": {{"v": {{"enum": ["a", "b"{extra}]}}, "kind": {{"enum": ["D", "S"]}}, "spec": {{"type": "object"}}}},
            "allOf": [
                {{"if": {{"properties": {{"kind": {{"const": "D"}}}}, "required": ["kind"]}}, "then": {{"properties": {{"spec": {{"required": ["r"]}}}}}}}},
                {{"if": {{"properties": {{"kind": {{"const": "S"}}}}, "required": ["kind"]}}, "then": {{"properties": {{"spec": {{"required": ["p"]}}}}}}}}
            ]}}"#
        )
    };
    let out = incs(&schema(""), &schema(r#", "c""#), Policy::Strict);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].rule.id, "json-enum-narrowed");
    assert!(out[0].example.is_some(), "{out:#?}");
}

#[test]
fn messages_name_the_sides_by_the_labels_given() {
    let (r, w) = (
        schema(r#"{"type": "string"}"#),
        schema(r#"{"type": ["string", "null"]}"#),
    );
    let labels = Labels {
        reader: "v2",
        writer: "v1",
    };
    let out = check_labelled(&r, &w, Policy::Strict, labels);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert!(
        out[0].message.contains("in v1, but v2 accepts only"),
        "{}",
        out[0].message
    );
    let by_role = check(&r, &w, Policy::Strict);
    assert!(
        by_role[0]
            .message
            .contains("in the writer, but the reader accepts only"),
        "{}",
        by_role[0].message
    );
}
