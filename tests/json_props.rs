//! Property test of the JSON Schema engine against an independent validator: whenever evreg says
//! a reader accepts a writer, no generated instance valid under the writer may be rejected by the
//! reader (the `jsonschema` crate decides validity). Schemas are drawn from a grammar covering the
//! keyword families; readers are drawn both independently and as small edits of the writer, so
//! that "accepts" verdicts are common.

use evreg::compat::json::{Policy, accepts, check};
use evreg::schema::json::{FileProvider, JsonSchema, load};
use evreg::source::SourceFile;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::Arc;

fn leaf_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(true)),
        Just(json!(false)),
        Just(json!({})),
        prop::sample::select(vec![
            "null", "boolean", "integer", "number", "string", "object", "array"
        ])
        .prop_map(|t| json!({"type": t})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": ["integer", "string"]})),
        (
            prop::option::of(0u64..3),
            prop::option::of(0u64..4),
            prop::option::of(prop::sample::select(vec!["^a", "^[a-z]*$"]))
        )
            .prop_map(|(min, max, pat)| {
                let mut m = serde_json::Map::new();
                m.insert("type".into(), json!("string"));
                if let Some(x) = min {
                    m.insert("minLength".into(), json!(x));
                }
                if let Some(x) = max {
                    m.insert("maxLength".into(), json!(x));
                }
                if let Some(p) = pat {
                    m.insert("pattern".into(), json!(p));
                }
                Value::Object(m)
            }),
        (
            prop::sample::select(vec!["integer", "number"]),
            prop::option::of(-2i64..3),
            prop::option::of(0i64..4),
            any::<bool>(),
            prop::option::of(prop::sample::select(vec![0.5, 1.0, 2.0]))
        )
            .prop_map(|(t, lo, hi, excl, mult)| {
                let mut m = serde_json::Map::new();
                m.insert("type".into(), json!(t));
                if let Some(x) = lo {
                    m.insert(
                        if excl { "exclusiveMinimum" } else { "minimum" }.into(),
                        json!(x),
                    );
                }
                if let Some(x) = hi {
                    m.insert("maximum".into(), json!(x));
                }
                if let Some(x) = mult {
                    m.insert("multipleOf".into(), json!(x));
                }
                Value::Object(m)
            }),
        prop::collection::vec(small_value(), 1..4).prop_map(|v| json!({"enum": v})),
        small_value().prop_map(|v| json!({"const": v})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map(
                    prop::sample::select(vec!["a", "b", "c"]),
                    inner.clone(),
                    0..3
                ),
                prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..2),
                prop::option::of(prop_oneof![
                    Just(json!(false)),
                    Just(json!(true)),
                    inner.clone()
                ]),
                prop::option::of(0u64..3),
            )
                .prop_map(|(props, req, add, maxp)| {
                    let mut m = serde_json::Map::new();
                    m.insert("type".into(), json!("object"));
                    m.insert("properties".into(), json!(props));
                    let mut req = req;
                    req.sort();
                    req.dedup();
                    m.insert("required".into(), json!(req));
                    if let Some(a) = add {
                        m.insert("additionalProperties".into(), a);
                    }
                    if let Some(x) = maxp {
                        m.insert("maxProperties".into(), json!(x));
                    }
                    Value::Object(m)
                }),
            (
                inner.clone(),
                prop::option::of(0u64..2),
                prop::option::of(1u64..3),
                any::<bool>()
            )
                .prop_map(|(items, min, max, unique)| {
                    let mut m = serde_json::Map::new();
                    m.insert("type".into(), json!("array"));
                    m.insert("items".into(), items);
                    if let Some(x) = min {
                        m.insert("minItems".into(), json!(x));
                    }
                    if let Some(x) = max {
                        m.insert("maxItems".into(), json!(x));
                    }
                    if unique {
                        m.insert("uniqueItems".into(), json!(true));
                    }
                    Value::Object(m)
                }),
            (
                prop::collection::vec(inner.clone(), 1..3),
                prop::option::of(inner.clone())
            )
                .prop_map(|(p, rest)| match rest {
                    Some(r) => json!({"prefixItems": p, "items": r}),
                    None => json!({"prefixItems": p}),
                }),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"anyOf": v})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"oneOf": v})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"allOf": v})),
            inner.clone().prop_map(|v| json!({"not": v})),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(i, t, e)| json!({"if": i, "then": t, "else": e})),
            inner
                .clone()
                .prop_map(|v| json!({"type": "array", "contains": v})),
            inner.prop_map(|v| json!({"$defs": {"d": v}, "$ref": "#/$defs/d"})),
        ]
    })
}

fn small_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-2i64..4).prop_map(|i| json!(i)),
        prop::sample::select(vec![0.5, 1.5, -0.5]).prop_map(|f| json!(f)),
        prop::sample::select(vec!["", "a", "ab", "abc", "B", "zz"]).prop_map(|s| json!(s)),
    ]
}

fn instance() -> impl Strategy<Value = Value> {
    small_value().prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["a", "b", "c", "d"]),
                inner,
                0..3
            )
            .prop_map(|m| json!(m)),
        ]
    })
}

fn compile(v: &Value) -> Option<JsonSchema> {
    let provider = FileProvider::new(std::env::temp_dir());
    let text = serde_json::to_string(v).ok()?;
    load(
        Arc::new(SourceFile::new("p.schema.json", text)),
        "p.schema.json",
        &provider,
        Default::default(),
    )
    .schema
}

fn validator(v: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .offline()
        .build(v)
        .expect("generated schemas are valid")
}

/// A reader that is often a small, often widening, edit of the writer.
fn edit(w: &Value, choice: u8) -> Value {
    match choice % 6 {
        0 => w.clone(),
        1 => json!({"anyOf": [w, {"type": "null"}]}),
        2 => json!({"allOf": [w]}),
        3 => json!({"oneOf": [w, {"type": "boolean"}]}),
        4 => match w {
            Value::Object(m) => {
                let mut m = m.clone();
                m.remove("maxLength");
                m.remove("maximum");
                m.remove("required");
                m.remove("additionalProperties");
                Value::Object(m)
            }
            other => other.clone(),
        },
        _ => json!({}),
    }
}

fn check_pair(writer: &Value, reader: &Value, instances: &[Value]) -> Result<(), TestCaseError> {
    let (Some(w), Some(r)) = (compile(writer), compile(reader)) else {
        return Ok(());
    };
    let verdict = accepts(&r, &w, Policy::Strict);
    let findings = check(&r, &w, Policy::Strict);
    if !verdict {
        prop_assert!(
            !findings.is_empty(),
            "rejected without a finding: writer {writer}, reader {reader}"
        );
        return Ok(());
    }
    let (wv, rv) = (validator(writer), validator(reader));
    for i in instances {
        if wv.is_valid(i) {
            prop_assert!(
                rv.is_valid(i),
                "evreg says {reader} accepts {writer}, but {i} is valid under the writer only"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn accepts_means_no_writer_instance_is_rejected(
        writer in schema(),
        other in schema(),
        choice in 0u8..12,
        instances in prop::collection::vec(instance(), 40),
    ) {
        let reader = if choice < 6 { edit(&writer, choice) } else { other };
        check_pair(&writer, &reader, &instances)?;
        check_pair(&reader, &writer, &instances)?;
    }

    #[test]
    fn every_schema_accepts_itself(writer in schema()) {
        if let Some(w) = compile(&writer) {
            prop_assert!(accepts(&w, &w, Policy::Strict), "{writer} does not accept itself");
        }
    }
}
