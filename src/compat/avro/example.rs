//! Evidence for an Avro incompatibility: a payload, in the JSON form events carry (as `evreg
//! validate` reads Avro payloads), that the writer schema accepts and encodes and the reader
//! schema cannot decode. The engine records where each break sits in the writer's structure (a
//! [`Witness`]); this module builds the smallest datum that reaches that place, and keeps it only
//! when Apache Avro confirms it: the writer validates and encodes it, and resolving the bytes into
//! the reader fails. Without that confirmation (or without the `replay` feature) there is no
//! example rather than a wrong one.

use crate::schema::avro::{AvroSchema, Kind, Logical, TypeId};
use serde_json::{Map, Value, json};

/// One step down the writer's structure from its root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The writer record's field at this index.
    Field(usize),
    /// An element of an array.
    Item,
    /// A value of a map.
    Value,
    /// This branch of a union.
    Branch(usize),
}

/// Where an incompatibility sits in the writer, and what to put there.
#[derive(Debug, Clone)]
pub struct Witness {
    pub steps: Vec<Step>,
    /// The writer type at the end of the steps.
    pub leaf: TypeId,
    /// An enum symbol the reader does not know, to write at the leaf.
    pub symbol: Option<String>,
}

/// Examples are built for this many incompatibilities of a pair at most: each is a whole payload,
/// so a pair with thousands of breaks must not cost thousands of payloads.
pub const MAX_EXAMPLES: usize = 16;

/// The largest example built (JSON values in it); bigger writers get no example.
const MAX_NODES: usize = 2_000;

/// Nesting beyond this is a type that cannot end (a record that requires itself).
const MAX_DEPTH: usize = 64;

/// The payload that reaches the witness's place, every other part as small as the writer allows.
pub fn build(writer: &AvroSchema, w: &Witness) -> Option<Value> {
    let mut budget = MAX_NODES;
    along(writer, writer.root, &w.steps, w, &mut budget, 0)
}

fn spend(budget: &mut usize) -> Option<()> {
    *budget = budget.checked_sub(1)?;
    Some(())
}

fn along(
    s: &AvroSchema,
    ty: TypeId,
    steps: &[Step],
    w: &Witness,
    budget: &mut usize,
    depth: usize,
) -> Option<Value> {
    spend(budget)?;
    let Some((step, rest)) = steps.split_first() else {
        let t = s.ty(ty);
        return match (&w.symbol, &t.kind, &t.logical) {
            (Some(symbol), ..) => Some(json!(symbol)),
            // At the break, a value the reader's type could not hold even where a library
            // converts leniently (Apache Avro's Rust resolution reads a long 0 as an int).
            (None, Kind::Long, None) => Some(json!(1_i64 << 40)),
            (None, Kind::Double, None) => Some(json!(1e300)),
            (None, Kind::Float, None) => Some(json!(3.0e38)),
            (None, Kind::String | Kind::Bytes, None) => Some(json!("x")),
            _ => sample(s, ty, budget, depth),
        };
    };
    match (step, &s.ty(ty).kind) {
        (Step::Field(i), Kind::Record(r)) => {
            let mut out = Map::new();
            for (j, f) in r.fields.iter().enumerate() {
                let v = if j == *i {
                    along(s, f.ty, rest, w, budget, depth + 1)?
                } else {
                    sample(s, f.ty, budget, depth + 1)?
                };
                out.insert(f.name.clone(), v);
            }
            Some(Value::Object(out))
        }
        (Step::Item, Kind::Array(items)) => {
            Some(json!([along(s, *items, rest, w, budget, depth + 1)?]))
        }
        (Step::Value, Kind::Map(values)) => {
            Some(json!({"key": along(s, *values, rest, w, budget, depth + 1)?}))
        }
        (Step::Branch(i), Kind::Union(branches)) => {
            let b = *branches.get(*i)?;
            let v = along(s, b, rest, w, budget, depth + 1)?;
            Some(tagged(s, b, v))
        }
        _ => None,
    }
}

/// A union value in Avro's JSON encoding: null bare, anything else under its branch's name.
fn tagged(s: &AvroSchema, branch: TypeId, v: Value) -> Value {
    let kind = &s.ty(branch).kind;
    if matches!(kind, Kind::Null) {
        return v;
    }
    let name = kind
        .name()
        .map(|n| n.fullname())
        .unwrap_or_else(|| kind.type_name().to_string());
    let mut out = Map::new();
    out.insert(name, v);
    Value::Object(out)
}

/// The smallest value of a type: zeros, empty strings and collections, first symbols, null
/// branches where a union has one (so recursive types end).
fn sample(s: &AvroSchema, ty: TypeId, budget: &mut usize, depth: usize) -> Option<Value> {
    spend(budget)?;
    if depth > MAX_DEPTH {
        return None;
    }
    let t = s.ty(ty);
    Some(match (&t.kind, &t.logical) {
        (Kind::Null, _) => Value::Null,
        (Kind::Boolean, _) => json!(false),
        (Kind::Int, Some(Logical::Date)) => json!("1970-01-01"),
        (Kind::Int, Some(Logical::TimeMillis)) | (Kind::Long, Some(Logical::TimeMicros)) => {
            json!("00:00:00")
        }
        (Kind::Long, Some(l)) if l.is_timestamp() => json!("1970-01-01T00:00:00Z"),
        (Kind::Int | Kind::Long, _) => json!(0),
        (Kind::Float | Kind::Double, _) => json!(0.0),
        (Kind::Bytes | Kind::Fixed(_), Some(Logical::Decimal { .. })) => json!("0"),
        (Kind::String, Some(Logical::Uuid)) => json!("00000000-0000-4000-8000-000000000000"),
        (Kind::Bytes | Kind::String, _) => json!(""),
        (Kind::Fixed(f), _) => {
            let size = usize::try_from(f.size).ok().filter(|&n| n <= *budget)?;
            *budget -= size;
            json!("\u{0}".repeat(size))
        }
        (Kind::Enum(e), _) => json!(e.symbols.first()?),
        (Kind::Array(_), _) => json!([]),
        (Kind::Map(_), _) => json!({}),
        (Kind::Record(r), _) => {
            let mut out = Map::new();
            for f in &r.fields {
                out.insert(f.name.clone(), sample(s, f.ty, budget, depth + 1)?);
            }
            Value::Object(out)
        }
        (Kind::Union(branches), _) => {
            if branches.iter().any(|&b| matches!(s.ty(b).kind, Kind::Null)) {
                Value::Null
            } else {
                let b = *branches.first()?;
                let v = sample(s, b, budget, depth + 1)?;
                tagged(s, b, v)
            }
        }
    })
}

/// Give each incompatibility its checked example, where one can be built and confirmed.
///
/// Attribution: off its path an example holds the smallest values, the same as the neutral
/// payload (the smallest payload of all). When the reader reads the neutral payload, an example
/// that fails fails because of what lies on its path. When the neutral payload fails too, some
/// break meets every payload; the examples that differ from it could fail for that break, and
/// the neutral payload itself proves a break only when it is the example of one finding alone.
#[cfg(feature = "replay")]
pub fn attach(
    reader: &AvroSchema,
    writer: &AvroSchema,
    found: &mut [crate::finding::Draft],
    witnesses: &[Option<Witness>],
) {
    use crate::schema::replay;
    let examples: Vec<Option<Value>> = witnesses
        .iter()
        .take(MAX_EXAMPLES)
        .map(|w| {
            let e = build(writer, w.as_ref()?)?;
            // `evreg validate` must accept it as the writer's payload…
            crate::schema::avro_payload::validate(writer, &e)
                .is_empty()
                .then_some(e)
        })
        .collect();
    if examples.iter().all(Option::is_none) {
        return;
    }
    let (Ok(wa), Ok(ra)) = (writer.apache(), reader.apache()) else {
        return;
    };
    let Some(neutral) = sample(writer, writer.root, &mut MAX_NODES.clone(), 0) else {
        return;
    };
    let read_by = replay::ReadBy::new(wa, ra);
    let replayer = replay::Replayer::new(writer, wa, &read_by, ra);
    // The neutral payload is replayed once, and only when some example needs its outcome (an
    // example is often the neutral payload itself).
    let neutral_outcome = std::cell::OnceCell::new();
    let neutral_reads = || *neutral_outcome.get_or_init(|| replayer.reads(&neutral));
    let neutral_owners = examples
        .iter()
        .filter(|e| e.as_ref() == Some(&neutral))
        .count();
    for (draft, example) in found.iter_mut().zip(examples) {
        let Some(example) = example else { continue };
        let is_neutral = example == neutral;
        let attributable = (is_neutral && neutral_owners == 1) || neutral_reads() == Some(true);
        // …and Apache Avro must write it with the writer and fail to read it with the reader.
        let reads = if is_neutral {
            neutral_reads()
        } else if attributable {
            replayer.reads(&example)
        } else {
            None
        };
        if attributable && reads == Some(false) {
            draft.example = Some(example);
        }
    }
}

/// Without Apache Avro no example can be confirmed, so none is shown.
#[cfg(not(feature = "replay"))]
pub fn attach(
    _reader: &AvroSchema,
    _writer: &AvroSchema,
    _found: &mut [crate::finding::Draft],
    _witnesses: &[Option<Witness>],
) {
}

#[cfg(all(test, feature = "replay"))]
mod tests {
    use super::super::check;
    use crate::schema::avro::{AvroSchema, parse};
    use crate::source::SourceFile;
    use serde_json::{Value, json};
    use std::sync::Arc;

    fn schema(text: &str) -> AvroSchema {
        parse(Arc::new(SourceFile::new("t.avsc", text)))
            .schema
            .unwrap()
    }

    fn examples(reader: &str, writer: &str) -> Vec<(&'static str, Option<Value>)> {
        check(&schema(reader), &schema(writer))
            .into_iter()
            .map(|i| (i.rule.id, i.example))
            .collect()
    }

    fn rec(fields: &str) -> String {
        format!(r#"{{"type": "record", "name": "R", "namespace": "n", "fields": [{fields}]}}"#)
    }

    #[test]
    fn each_break_gets_a_payload_that_reaches_it() {
        let writer = rec(
            r#"{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
               {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "L", "fields": [{"name": "n", "type": "long"}]}}},
               {"name": "u", "type": ["null", "string", "int"], "default": null}"#,
        );
        let reader = rec(
            r#"{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
               {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "L", "fields": [{"name": "n", "type": "int"}]}}},
               {"name": "u", "type": ["null", "string"], "default": null}"#,
        );
        assert_eq!(
            examples(&reader, &writer),
            [
                (
                    "avro-enum-symbol-missing",
                    Some(json!({"e": "C", "lines": [], "u": null}))
                ),
                (
                    "avro-type-mismatch",
                    Some(json!({"e": "A", "lines": [{"n": 1_i64 << 40}], "u": null}))
                ),
                (
                    "avro-union-branch-missing",
                    Some(json!({"e": "A", "lines": [], "u": {"int": 0}}))
                ),
            ]
        );
    }

    #[test]
    fn a_break_every_payload_meets_is_shown_by_the_smallest_payload() {
        let writer = rec(r#"{"name": "a", "type": "int"}"#);
        let reader = rec(r#"{"name": "a", "type": "int"}, {"name": "b", "type": "int"}"#);
        assert_eq!(
            examples(&reader, &writer),
            [("avro-field-missing-default", Some(json!({"a": 0})))]
        );
        // Two such breaks: the smallest payload cannot say which one it shows.
        let reader = rec(r#"{"name": "a", "type": "string"}, {"name": "b", "type": "int"}"#);
        assert_eq!(
            examples(&reader, &writer),
            [
                ("avro-type-mismatch", None),
                ("avro-field-missing-default", None)
            ]
        );
    }

    #[test]
    fn no_example_where_the_data_still_decodes_or_cannot_be_built() {
        let d = |p: u32, s: u32| {
            rec(&format!(
                r#"{{"name": "d", "type": {{"type": "bytes", "logicalType": "decimal", "precision": {p}, "scale": {s}}}}}"#
            ))
        };
        assert_eq!(
            examples(&d(12, 4), &d(12, 2)),
            [("avro-decimal-mismatch", None)]
        );
        // A record that requires itself has no finite payload.
        let endless =
            r#"{"type": "record", "name": "R", "fields": [{"name": "next", "type": "R"}]}"#;
        let endless2 = r#"{"type": "record", "name": "R", "fields": [{"name": "next", "type": "R"}, {"name": "x", "type": "int"}]}"#;
        assert_eq!(
            examples(endless2, endless),
            [("avro-field-missing-default", None)]
        );
    }

    #[test]
    fn recursion_is_followed_to_the_break() {
        let node = |extra: &str| {
            format!(
                r#"{{"type": "record", "name": "Node", "fields": [{{"name": "kids", "type": {{"type": "array", "items": "Node"}}}}, {{"name": "tag", "type": {{"type": "enum", "name": "T", "symbols": ["A"{extra}]}}}}]}}"#
            )
        };
        assert_eq!(
            examples(&node(""), &node(r#", "B""#)),
            [(
                "avro-enum-symbol-missing",
                Some(json!({"kids": [], "tag": "B"}))
            )]
        );
    }
}
