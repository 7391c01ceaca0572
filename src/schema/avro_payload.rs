//! Does a JSON value, as a service logs an Avro payload, fit an Avro schema? Plain JSON values;
//! a union value bare or in Avro's JSON encoding (`{"string": "x"}`); bytes and fixed as strings;
//! logical types by their JSON forms (a decimal as `"19.99"` or a number, a timestamp as epoch
//! units or RFC 3339, a date as days or `YYYY-MM-DD`, a uuid as its text).
//!
//! This is not the default-value check of the schema parser: defaults follow Avro's stricter
//! default encoding, logged payloads the looser forms above.

use super::formats;
use crate::finding::Draft;
use crate::rules;
use crate::schema::avro::{AvroSchema, Enum, Kind, Logical, Record, TypeId};
use crate::source::json::escape_pointer_token;
use serde_json::Value;
use std::ops::RangeInclusive;

/// Every way `value` does not fit the schema's root type: `payload-invalid` drafts, each at its
/// place in the value with the schema element as its other place. Their help is the caller's to
/// write: it names the subject and version the payload was meant for.
pub fn validate(schema: &AvroSchema, value: &Value) -> Vec<Draft> {
    let mut out = Vec::new();
    walk(schema, schema.root, value, At::Root, &mut out);
    out
}

/// Does `value` fit `ty` (no details)?
pub fn fits(schema: &AvroSchema, ty: TypeId, value: &Value) -> bool {
    let mut out = Vec::new();
    walk(schema, ty, value, At::Root, &mut out);
    out.is_empty()
}

/// Where a value sits in the payload: its JSON pointer, written out only when a problem is found
/// there (most payloads fit, and writing out the pointer of every value was a tenth of checking
/// one).
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Key(parent, key) => write!(f, "{parent}/{}", escape_pointer_token(key)),
            At::Index(parent, i) => write!(f, "{parent}/{i}"),
        }
    }
}

fn problem(out: &mut Vec<Draft>, s: &AvroSchema, ty: TypeId, at: At<'_>, message: String) {
    out.push(draft(at.to_string(), s.ty(ty).pointer.clone(), message));
}

/// A payload that does not fit: at `at` in the value, breaking the schema element at `schema`.
fn draft(at: String, schema: String, message: String) -> Draft {
    Draft::new(&rules::PAYLOAD_INVALID, message, String::new())
        .at(at)
        .other(schema)
}

/// An enum's symbols as a message lists them: the first few of a long enum, and how many.
fn some_symbols(symbols: &[String]) -> String {
    const LISTED: usize = 12;
    if symbols.len() <= LISTED {
        symbols.join(", ")
    } else {
        format!(
            "{}, … ({} symbols)",
            symbols[..LISTED].join(", "),
            symbols.len()
        )
    }
}

fn expected(out: &mut Vec<Draft>, s: &AvroSchema, ty: TypeId, at: At<'_>, v: &Value, what: &str) {
    problem(
        out,
        s,
        ty,
        at,
        format!("expected {what}, found {}", super::wording::describe(v)),
    )
}

/// Dispatches on the Avro kind and, where it changes the JSON forms accepted, the logical type.
fn walk(s: &AvroSchema, ty: TypeId, v: &Value, at: At<'_>, out: &mut Vec<Draft>) {
    let t = s.ty(ty);
    match (&t.kind, &t.logical) {
        (Kind::Null, _) if !v.is_null() => expected(out, s, ty, at, v, "null"),
        (Kind::Boolean, _) if !v.is_boolean() => expected(out, s, ty, at, v, "a boolean"),
        (Kind::Null | Kind::Boolean, _) => {}
        (Kind::Int, Some(l @ (Logical::Date | Logical::TimeMillis)))
        | (Kind::Long, Some(l @ Logical::TimeMicros)) => walk_temporal(s, ty, l, v, at, out),
        (Kind::Long, Some(l)) if l.is_timestamp() => walk_temporal(s, ty, l, v, at, out),
        (Kind::Int, _) => int_in(s, ty, v, at, INT, "an int (32-bit whole number)", out),
        (Kind::Long, _) => int_in(
            s,
            ty,
            v,
            at,
            i64::MIN..=i64::MAX,
            "a long (64-bit whole number)",
            out,
        ),
        (Kind::Float | Kind::Double, _) => walk_number(s, ty, v, at, out),
        (Kind::Bytes | Kind::Fixed(_), Some(Logical::Decimal { precision, scale })) => {
            walk_decimal(s, ty, v, at, *precision, *scale, out)
        }
        (Kind::String | Kind::Fixed(_), Some(Logical::Uuid)) => walk_uuid(s, ty, v, at, out),
        (Kind::String, _) if !v.is_string() => expected(out, s, ty, at, v, "a string"),
        (Kind::String, _) => {}
        (Kind::Bytes, _) => walk_bytes(s, ty, v, at, None, out),
        (Kind::Fixed(f), _) => walk_bytes(s, ty, v, at, Some(f.size), out),
        (Kind::Enum(e), _) => walk_enum(s, ty, e, v, at, out),
        (Kind::Array(items), _) => match v {
            Value::Array(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    walk(s, *items, x, At::Index(&at, i), out);
                }
            }
            _ => expected(out, s, ty, at, v, "an array"),
        },
        (Kind::Map(values), _) => match v {
            Value::Object(m) => {
                for (k, x) in m {
                    walk(s, *values, x, At::Key(&at, k), out);
                }
            }
            _ => expected(out, s, ty, at, v, "an object (a map)"),
        },
        (Kind::Record(r), _) => walk_record(s, ty, r, v, at, out),
        (Kind::Union(branches), _) => walk_union(s, ty, branches, v, at, out),
    }
}

/// A date, time of day or timestamp (`logical`): its text form, or a whole number of its units
/// (days since 1970-01-01, units since midnight, epoch units) within its range.
fn walk_temporal(
    s: &AvroSchema,
    ty: TypeId,
    logical: &Logical,
    v: &Value,
    at: At<'_>,
    out: &mut Vec<Draft>,
) {
    const TIME_OF_DAY: &str = "a time of day (HH:MM:SS)";
    let (parses, form, units, what): (fn(&str) -> bool, _, _, _) = match logical {
        Logical::Date => (
            |x| formats::parse_date(x).is_some(),
            "a date (YYYY-MM-DD)",
            INT,
            "a date (days since 1970-01-01 or YYYY-MM-DD)",
        ),
        Logical::TimeMillis => (
            |x| formats::parse_time(x).is_some(),
            TIME_OF_DAY,
            0..=86_400_000 - 1,
            "a time of day",
        ),
        Logical::TimeMicros => (
            |x| formats::parse_time(x).is_some(),
            TIME_OF_DAY,
            0..=86_400_000_000 - 1,
            "a time of day",
        ),
        _ => (
            |x| formats::parse_rfc3339(x).is_some(),
            "an RFC 3339 timestamp",
            i64::MIN..=i64::MAX,
            "a timestamp (epoch units or RFC 3339)",
        ),
    };
    match v {
        Value::String(x) if parses(x) => {}
        Value::String(x) => problem(
            out,
            s,
            ty,
            at,
            format!("{} is not {form}", crate::suggest::quote(x)),
        ),
        _ => int_in(s, ty, v, at, units, what, out),
    }
}

/// A float or double: a number, or Avro's JSON names for the non-finite values.
fn walk_number(s: &AvroSchema, ty: TypeId, v: &Value, at: At<'_>, out: &mut Vec<Draft>) {
    // A float holds ±3.4e38 at most: a larger number would be written as infinity.
    if matches!(s.ty(ty).kind, Kind::Float)
        && v.as_f64().is_some_and(|x| x.abs() > f64::from(f32::MAX))
    {
        return problem(
            out,
            s,
            ty,
            at,
            format!("{v} is beyond the range of a float (32-bit, ±3.4e38)"),
        );
    }
    match v {
        Value::Number(_) => {}
        Value::String(x) if matches!(x.as_str(), "NaN" | "Infinity" | "-Infinity") => {}
        _ => expected(out, s, ty, at, v, "a number"),
    }
}

/// A decimal (bytes or fixed) as its text (`"19.99"`) or a JSON number.
fn walk_decimal(
    s: &AvroSchema,
    ty: TypeId,
    v: &Value,
    at: At<'_>,
    precision: u64,
    scale: u64,
    out: &mut Vec<Draft>,
) {
    let text = match v {
        Value::String(x) => x.clone(),
        Value::Number(n) => n.to_string(),
        _ => return expected(out, s, ty, at, v, "a decimal (a string such as \"19.99\")"),
    };
    if let Err(why) = formats::check_decimal(&text, precision, scale) {
        problem(out, s, ty, at, why);
    }
}

/// A uuid (string or fixed) as its text.
fn walk_uuid(s: &AvroSchema, ty: TypeId, v: &Value, at: At<'_>, out: &mut Vec<Draft>) {
    match v {
        Value::String(x) if formats::is_uuid(x) => {}
        Value::String(x) => problem(
            out,
            s,
            ty,
            at,
            format!("{} is not a UUID", crate::suggest::quote(x)),
        ),
        _ => expected(out, s, ty, at, v, "a UUID string"),
    }
}

/// Bytes, or a fixed of `size` bytes, in Avro's JSON encoding: one code point 0-255 per byte.
fn walk_bytes(
    s: &AvroSchema,
    ty: TypeId,
    v: &Value,
    at: At<'_>,
    size: Option<u64>,
    out: &mut Vec<Draft>,
) {
    let Value::String(x) = v else {
        return expected(out, s, ty, at, v, "a string");
    };
    let bytes = x.chars().all(|c| (c as u32) < 256);
    match size {
        None if !bytes => problem(
            out,
            s,
            ty,
            at,
            "expected bytes (a string of code points 0-255)".to_string(),
        ),
        Some(n) if !bytes || x.chars().count() as u64 != n => problem(
            out,
            s,
            ty,
            at,
            format!("expected {n} bytes (a string of {n} code points 0-255)"),
        ),
        _ => {}
    }
}

fn walk_enum(s: &AvroSchema, ty: TypeId, e: &Enum, v: &Value, at: At<'_>, out: &mut Vec<Draft>) {
    match v {
        Value::String(x) if e.has(x) => {}
        Value::String(x) => problem(
            out,
            s,
            ty,
            at,
            format!(
                "{} is not a symbol of enum {} ({})",
                crate::suggest::quote(x),
                e.name.name,
                some_symbols(&e.symbols)
            ),
        ),
        _ => expected(out, s, ty, at, v, "an enum symbol string"),
    }
}

/// A record: each field present or defaulted, and no field the record does not declare.
fn walk_record(
    s: &AvroSchema,
    ty: TypeId,
    r: &Record,
    v: &Value,
    at: At<'_>,
    out: &mut Vec<Draft>,
) {
    let Value::Object(m) = v else {
        return expected(
            out,
            s,
            ty,
            at,
            v,
            &format!("an object (record {})", r.name.name),
        );
    };
    for f in &r.fields {
        match m.get(&f.name) {
            Some(x) => walk(s, f.ty, x, At::Key(&at, &f.name), out),
            None if f.default.is_some() => {}
            None => out.push(draft(
                at.to_string(),
                f.pointer.clone(),
                format!("field `{}` is missing (it has no default)", f.name),
            )),
        }
    }
    for k in m.keys().filter(|k| r.position(k).is_none()) {
        out.push(draft(
            At::Key(&at, k).to_string(),
            s.ty(ty).pointer.clone(),
            format!("`{k}` is not a field of record {}", r.name.name),
        ));
    }
}

/// A union value, bare or wrapped as Avro's JSON encoding writes it.
fn walk_union(
    s: &AvroSchema,
    ty: TypeId,
    branches: &[TypeId],
    v: &Value,
    at: At<'_>,
    out: &mut Vec<Draft>,
) {
    // Avro's JSON encoding wraps a non-null value as {"<branch name>": value}.
    if let Value::Object(m) = v
        && m.len() == 1
    {
        let (k, inner) = m.iter().next().expect("one entry");
        if let Some(&b) = branches.iter().find(|&&b| s.names_branch(b, k)) {
            return walk(s, b, inner, At::Key(&at, k), out);
        }
    }
    if branches.iter().any(|&b| fits(s, b, v)) {
        return;
    }
    // No branch fits: explain by the closest one (same JSON kind), else list them.
    let same_kind = branches.iter().copied().find(|&b| {
        matches!(
            (&s.ty(b).kind, v),
            (Kind::Record(_) | Kind::Map(_), Value::Object(_)) | (Kind::Array(_), Value::Array(_))
        )
    });
    match same_kind {
        Some(b) => walk(s, b, v, at, out),
        None => {
            let names: Vec<String> = branches.iter().map(|&b| s.describe(b)).collect();
            problem(
                out,
                s,
                ty,
                at,
                format!(
                    "{} fits no branch of the union [{}]",
                    super::wording::describe(v),
                    names.join(", ")
                ),
            );
        }
    }
}

/// The range of an Avro int (32-bit).
const INT: RangeInclusive<i64> = i32::MIN as i64..=i32::MAX as i64;

/// A whole number within `range`.
fn int_in(
    s: &AvroSchema,
    ty: TypeId,
    v: &Value,
    at: At<'_>,
    range: RangeInclusive<i64>,
    what: &str,
    out: &mut Vec<Draft>,
) {
    match v.as_i64() {
        Some(n) if range.contains(&n) => {}
        Some(n) => problem(out, s, ty, at, format!("{n} is out of range for {what}")),
        None => problem(
            out,
            s,
            ty,
            at,
            format!(
                "expected {what}, found {}",
                if v.is_number() {
                    "a fraction or too large a number".to_string()
                } else {
                    super::wording::describe(v)
                }
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::avro::parse;
    use crate::source::SourceFile;
    use serde_json::json;
    use std::sync::Arc;

    fn schema(text: &str) -> AvroSchema {
        parse(Arc::new(SourceFile::new("t.avsc", text)))
            .schema
            .unwrap()
    }

    fn problems(s: &AvroSchema, v: Value) -> Vec<(String, String)> {
        validate(s, &v)
            .into_iter()
            .map(|p| (p.at.pointer, p.message))
            .collect()
    }

    #[test]
    fn a_float_holds_no_more_than_its_range() {
        let f = schema(r#""float""#);
        assert_eq!(problems(&f, json!(3.0e38)), []);
        assert_eq!(problems(&f, json!(-1.5)), []);
        let too_big = problems(&f, json!(1e308));
        assert_eq!(too_big.len(), 1);
        assert!(too_big[0].1.contains("range of a float"), "{too_big:?}");
        assert_eq!(problems(&f, json!(-4e38)).len(), 1);
        assert_eq!(problems(&schema(r#""double""#), json!(1e308)), []);
        // In a union, the double branch takes what the float branch cannot.
        assert_eq!(
            problems(&schema(r#"["float", "double"]"#), json!(1e308)),
            []
        );
        assert_eq!(
            problems(&schema(r#"["null", "float"]"#), json!(1e308)).len(),
            1
        );
    }

    #[test]
    fn records_fields_and_paths() {
        let s = schema(
            r#"{"type": "record", "name": "Order", "fields": [
            {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                {"name": "qty", "type": "int"},
                {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}}]}}},
            {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "coupon", "type": ["null", "string"], "default": null},
            {"name": "status", "type": {"type": "enum", "name": "S", "symbols": ["NEW", "PAID"]}}]}"#,
        );
        let ok = json!({"id": "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", "lines": [{"qty": 2, "price": "19.99"}], "at": 1764059400000i64, "status": "NEW"});
        assert!(problems(&s, ok).is_empty());
        let wrapped = json!({"id": "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", "lines": [], "at": "2026-11-25T08:30:00Z", "coupon": {"string": "X"}, "status": "PAID"});
        assert!(problems(&s, wrapped).is_empty());
        let bad = json!({"id": "nope", "lines": [{"qty": "2", "price": "19.999"}], "at": 1, "coupon": 5, "status": "LOST", "extra": 1});
        let got = problems(&s, bad);
        let pointers: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/id",
                "/lines/0/qty",
                "/lines/0/price",
                "/coupon",
                "/status",
                "/extra"
            ],
            "{got:?}"
        );
        assert_eq!(
            problems(&s, json!({}))[0].1,
            "field `id` is missing (it has no default)"
        );
    }

    #[test]
    fn ints_have_ranges() {
        let s = schema(r#""int""#);
        assert!(problems(&s, json!(2147483647)).is_empty());
        assert!(!problems(&s, json!(2147483648i64)).is_empty());
        assert!(!problems(&s, json!(1.5)).is_empty());
    }
}
