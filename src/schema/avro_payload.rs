//! Does a JSON value, as a service logs an Avro payload, fit an Avro schema? Plain JSON values;
//! a union value bare or in Avro's JSON encoding (`{"string": "x"}`); bytes and fixed as strings;
//! logical types by their JSON forms (a decimal as `"19.99"` or a number, a timestamp as epoch
//! units or RFC 3339, a date as days or `YYYY-MM-DD`, a uuid as its text).
//!
//! This is not the default-value check of the schema parser: defaults follow Avro's stricter
//! default encoding, logged payloads the looser forms above.

use super::formats;
use crate::finding::Problem;
use crate::schema::avro::{AvroSchema, Kind, Logical, TypeId};
use crate::source::json::escape_pointer_token;
use serde_json::Value;

/// Every way `value` does not fit the schema's root type.
pub fn validate(schema: &AvroSchema, value: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    walk(schema, schema.root, value, "", &mut out);
    out
}

/// Does `value` fit `ty` (no details)?
pub fn fits(schema: &AvroSchema, ty: TypeId, value: &Value) -> bool {
    let mut out = Vec::new();
    walk(schema, ty, value, "", &mut out);
    out.is_empty()
}

fn problem(out: &mut Vec<Problem>, s: &AvroSchema, ty: TypeId, at: &str, message: String) {
    out.push(Problem {
        pointer: at.to_string(),
        schema_pointer: s.ty(ty).pointer.clone(),
        message,
    });
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

/// The name a union branch goes by in Avro's JSON encoding.
fn branch_name(s: &AvroSchema, ty: TypeId) -> String {
    let k = &s.ty(ty).kind;
    k.name()
        .map(|n| n.fullname())
        .unwrap_or_else(|| k.type_name().to_string())
}

fn walk(s: &AvroSchema, ty: TypeId, v: &Value, at: &str, out: &mut Vec<Problem>) {
    let t = s.ty(ty);
    let expected = |out: &mut Vec<Problem>, what: &str| {
        problem(
            out,
            s,
            ty,
            at,
            format!("expected {what}, found {}", super::wording::describe(v)),
        )
    };
    match (&t.kind, &t.logical) {
        (Kind::Null, _) => {
            if !v.is_null() {
                expected(out, "null");
            }
        }
        (Kind::Boolean, _) => {
            if !v.is_boolean() {
                expected(out, "a boolean");
            }
        }
        (Kind::Int, Some(Logical::Date)) => match v {
            Value::String(x) if formats::parse_date(x).is_some() => {}
            Value::String(x) => problem(
                out,
                s,
                ty,
                at,
                format!("{} is not a date (YYYY-MM-DD)", crate::suggest::quote(x)),
            ),
            _ => int_in(
                s,
                ty,
                v,
                at,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
                "a date (days since 1970-01-01 or YYYY-MM-DD)",
                out,
            ),
        },
        (Kind::Int, Some(Logical::TimeMillis)) | (Kind::Long, Some(Logical::TimeMicros)) => match v
        {
            Value::String(x) if formats::parse_time(x).is_some() => {}
            Value::String(x) => problem(
                out,
                s,
                ty,
                at,
                format!(
                    "{} is not a time of day (HH:MM:SS)",
                    crate::suggest::quote(x)
                ),
            ),
            // Within the day, in the logical type's units.
            _ => {
                let day = match t.logical {
                    Some(Logical::TimeMillis) => 86_400_000,
                    _ => 86_400_000_000,
                };
                int_in(s, ty, v, at, 0, day - 1, "a time of day", out)
            }
        },
        (Kind::Int, _) => int_in(
            s,
            ty,
            v,
            at,
            i64::from(i32::MIN),
            i64::from(i32::MAX),
            "an int (32-bit whole number)",
            out,
        ),
        (Kind::Long, Some(l)) if l.is_timestamp() => match v {
            Value::String(x) if formats::parse_rfc3339(x).is_some() => {}
            Value::String(x) => problem(
                out,
                s,
                ty,
                at,
                format!("{} is not an RFC 3339 timestamp", crate::suggest::quote(x)),
            ),
            _ => int_in(
                s,
                ty,
                v,
                at,
                i64::MIN,
                i64::MAX,
                "a timestamp (epoch units or RFC 3339)",
                out,
            ),
        },
        (Kind::Long, _) => int_in(
            s,
            ty,
            v,
            at,
            i64::MIN,
            i64::MAX,
            "a long (64-bit whole number)",
            out,
        ),
        // A float holds ±3.4e38 at most: a larger number would be written as infinity.
        (Kind::Float, _) if v.as_f64().is_some_and(|x| x.abs() > f64::from(f32::MAX)) => problem(
            out,
            s,
            ty,
            at,
            format!("{v} is beyond the range of a float (32-bit, ±3.4e38)"),
        ),
        (Kind::Float | Kind::Double, _) => match v {
            Value::Number(_) => {}
            Value::String(x) if matches!(x.as_str(), "NaN" | "Infinity" | "-Infinity") => {}
            _ => expected(out, "a number"),
        },
        (Kind::Bytes | Kind::Fixed(_), Some(Logical::Decimal { precision, scale })) => {
            let text = match v {
                Value::String(x) => Some(x.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            match text {
                Some(x) => {
                    if let Err(why) = formats::check_decimal(&x, *precision, *scale) {
                        problem(out, s, ty, at, why);
                    }
                }
                None => expected(out, "a decimal (a string such as \"19.99\")"),
            }
        }
        (Kind::String, Some(Logical::Uuid)) | (Kind::Fixed(_), Some(Logical::Uuid)) => match v {
            Value::String(x) if formats::is_uuid(x) => {}
            Value::String(x) => problem(
                out,
                s,
                ty,
                at,
                format!("{} is not a UUID", crate::suggest::quote(x)),
            ),
            _ => expected(out, "a UUID string"),
        },
        (Kind::String, _) => {
            if !v.is_string() {
                expected(out, "a string");
            }
        }
        // Avro's JSON encoding: one code point 0-255 per byte.
        (Kind::Bytes, _) => match v {
            Value::String(x) if x.chars().all(|c| (c as u32) < 256) => {}
            Value::String(_) => problem(
                out,
                s,
                ty,
                at,
                "expected bytes (a string of code points 0-255)".to_string(),
            ),
            _ => expected(out, "a string"),
        },
        (Kind::Fixed(f), _) => match v {
            // Avro's JSON encoding: one code point 0-255 per byte.
            Value::String(x)
                if x.chars().all(|c| (c as u32) < 256) && x.chars().count() as u64 == f.size => {}
            Value::String(_) => problem(
                out,
                s,
                ty,
                at,
                format!(
                    "expected {} bytes (a string of {} code points 0-255)",
                    f.size, f.size
                ),
            ),
            _ => expected(out, "a string"),
        },
        (Kind::Enum(e), _) => match v {
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
            _ => expected(out, "an enum symbol string"),
        },
        (Kind::Array(items), _) => match v {
            Value::Array(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    walk(s, *items, x, &format!("{at}/{i}"), out);
                }
            }
            _ => expected(out, "an array"),
        },
        (Kind::Map(values), _) => match v {
            Value::Object(m) => {
                for (k, x) in m {
                    walk(
                        s,
                        *values,
                        x,
                        &format!("{at}/{}", escape_pointer_token(k)),
                        out,
                    );
                }
            }
            _ => expected(out, "an object (a map)"),
        },
        (Kind::Record(r), _) => match v {
            Value::Object(m) => {
                for f in &r.fields {
                    let fat = format!("{at}/{}", escape_pointer_token(&f.name));
                    match m.get(&f.name) {
                        Some(x) => walk(s, f.ty, x, &fat, out),
                        None if f.default.is_some() => {}
                        None => out.push(Problem {
                            pointer: at.to_string(),
                            schema_pointer: f.pointer.clone(),
                            message: format!("field `{}` is missing (it has no default)", f.name),
                        }),
                    }
                }
                for k in m.keys().filter(|k| r.position(k).is_none()) {
                    out.push(Problem {
                        pointer: format!("{at}/{}", escape_pointer_token(k)),
                        schema_pointer: t.pointer.clone(),
                        message: format!("`{k}` is not a field of record {}", r.name.name),
                    });
                }
            }
            _ => expected(out, &format!("an object (record {})", r.name.name)),
        },
        (Kind::Union(branches), _) => {
            // Avro's JSON encoding wraps a non-null value as {"<branch name>": value}.
            if let Value::Object(m) = v
                && m.len() == 1
            {
                let (k, inner) = m.iter().next().expect("one entry");
                if let Some(&b) = branches.iter().find(|&&b| {
                    branch_name(s, b) == *k || s.ty(b).kind.name().is_some_and(|n| n.name == *k)
                }) {
                    walk(
                        s,
                        b,
                        inner,
                        &format!("{at}/{}", escape_pointer_token(k)),
                        out,
                    );
                    return;
                }
            }
            if branches.iter().any(|&b| fits(s, b, v)) {
                return;
            }
            // No branch fits: explain by the closest one (same JSON kind), else list them.
            let same_kind = branches.iter().copied().find(|&b| {
                matches!(
                    (&s.ty(b).kind, v),
                    (Kind::Record(_) | Kind::Map(_), Value::Object(_))
                        | (Kind::Array(_), Value::Array(_))
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
    }
}

#[allow(clippy::too_many_arguments)]
fn int_in(
    s: &AvroSchema,
    ty: TypeId,
    v: &Value,
    at: &str,
    min: i64,
    max: i64,
    what: &str,
    out: &mut Vec<Problem>,
) {
    match v.as_i64() {
        Some(n) if n >= min && n <= max => {}
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
            .map(|p| (p.pointer, p.message))
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
