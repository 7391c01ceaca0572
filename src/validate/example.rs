//! `evreg fixture new`: an example event for a subject version — the envelope filled in and a
//! payload built from the schema's defaults, first enum symbols and plain values — so teams start
//! from a sample that passes.

use crate::envelope::{Envelope, Kind as FieldKind, Role};
use crate::schema::avro::{AvroSchema, Kind, Logical, TypeId};
use serde_json::{Map, Value, json};
use std::time::{SystemTime, UNIX_EPOCH};

/// A version-4-shaped UUID from the clock and a counter (examples need uniqueness, not secrecy).
pub fn example_uuid() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = nanos
        ^ (u64::from(std::process::id()) << 32)
        ^ COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, std::sync::atomic::Ordering::Relaxed);
    let mut next = || {
        // xorshift64*
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let (a, b) = (next(), next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// Now, as RFC 3339 in UTC with milliseconds.
pub fn now_rfc3339() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// An example payload for an Avro schema.
pub fn avro_payload(s: &AvroSchema) -> Value {
    avro_value(s, s.root, 0)
}

fn avro_value(s: &AvroSchema, ty: TypeId, depth: usize) -> Value {
    let t = s.ty(ty);
    match (&t.kind, &t.logical) {
        (Kind::Null, _) => Value::Null,
        (Kind::Boolean, _) => json!(false),
        (Kind::Int, Some(Logical::Date)) => json!(now_rfc3339()[..10]),
        (Kind::Int | Kind::Long, _)
            if matches!(
                t.logical,
                Some(Logical::TimestampMillis | Logical::LocalTimestampMillis)
            ) =>
        {
            json!(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as i64)
            )
        }
        (Kind::Long, Some(Logical::TimestampMicros | Logical::LocalTimestampMicros)) => {
            json!(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_micros() as i64)
            )
        }
        (Kind::Int | Kind::Long, _) => json!(0),
        (Kind::Float | Kind::Double, _) => json!(0.0),
        (Kind::Bytes | Kind::Fixed(_), Some(Logical::Decimal { scale, .. })) => {
            json!(if *scale == 0 {
                "0".to_string()
            } else {
                format!("0.{}", "0".repeat(*scale as usize))
            })
        }
        (Kind::String, Some(Logical::Uuid)) => json!(example_uuid()),
        (Kind::String | Kind::Bytes, _) => json!(""),
        (Kind::Fixed(f), _) => json!("\u{0}".repeat(f.size as usize)),
        (Kind::Enum(e), _) => json!(
            e.default
                .clone()
                .or_else(|| e.symbols.first().cloned())
                .unwrap_or_default()
        ),
        (Kind::Array(items), _) if depth < 8 => json!([avro_value(s, *items, depth + 1)]),
        (Kind::Array(_), _) => json!([]),
        (Kind::Map(values), _) if depth < 8 => json!({"key": avro_value(s, *values, depth + 1)}),
        (Kind::Map(_), _) => json!({}),
        (Kind::Union(branches), _) => {
            // Past the depth budget prefer null, so recursive types end.
            let pick = if depth >= 8 {
                branches
                    .iter()
                    .copied()
                    .find(|b| matches!(s.ty(*b).kind, Kind::Null))
            } else {
                None
            };
            match pick.or_else(|| branches.first().copied()) {
                Some(b) => avro_value(s, b, depth + 1),
                None => Value::Null,
            }
        }
        (Kind::Record(r), _) => {
            let mut m = Map::new();
            for f in &r.fields {
                let v = match &f.default {
                    Some(d) => d.to_serde(),
                    None => avro_value(s, f.ty, depth + 1),
                };
                m.insert(f.name.clone(), v);
            }
            Value::Object(m)
        }
    }
}

/// An example instance of a JSON Schema (local `$ref`s followed): defaults, `const`, first `enum`
/// values, required properties, the smallest values the bounds allow.
pub fn json_payload(root: &Value) -> Value {
    json_value(root, root, 0)
}

fn json_value(root: &Value, schema: &Value, depth: usize) -> Value {
    let Some(obj) = schema.as_object() else {
        return Value::Null;
    };
    if depth > 16 {
        return Value::Null;
    }
    if let Some(r) = obj.get("$ref").and_then(Value::as_str)
        && let Some(target) = r.strip_prefix('#').and_then(|p| root.pointer(p))
    {
        return json_value(root, target, depth + 1);
    }
    if let Some(v) = obj.get("const").or_else(|| obj.get("default")) {
        return v.clone();
    }
    if let Some(v) = obj
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return v.clone();
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = obj
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            && key != "allOf"
        {
            return json_value(root, first, depth + 1);
        }
    }
    let ty = match obj.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if obj.contains_key("properties") => "object",
        _ => "null",
    };
    match ty {
        "object" => {
            let mut m = Map::new();
            let required: Vec<&str> = obj
                .get("required")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(props) = obj.get("properties").and_then(Value::as_object) {
                for (k, p) in props {
                    if required.contains(&k.as_str()) || p.get("default").is_some() {
                        m.insert(k.clone(), json_value(root, p, depth + 1));
                    }
                }
            }
            Value::Object(m)
        }
        "array" => {
            let min = obj
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(0)
                .max(1) as usize;
            match obj.get("items") {
                Some(items) if items.is_object() => {
                    Value::Array(vec![json_value(root, items, depth + 1); min])
                }
                _ => json!([]),
            }
        }
        "string" => match obj.get("format").and_then(Value::as_str) {
            Some("uuid") => json!(example_uuid()),
            Some("date-time") => json!(now_rfc3339()),
            Some("date") => json!(now_rfc3339()[..10]),
            Some("email") => json!("someone@example.com"),
            Some("uri") => json!("https://example.com/"),
            _ => json!(
                "x".repeat(
                    obj.get("minLength")
                        .and_then(Value::as_u64)
                        .unwrap_or(1)
                        .max(1) as usize
                )
            ),
        },
        "integer" => json!(obj.get("minimum").and_then(Value::as_i64).unwrap_or(0)),
        "number" => json!(obj.get("minimum").and_then(Value::as_f64).unwrap_or(0.0)),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

/// A whole event in the envelope around `payload`.
pub fn event(
    envelope: &Envelope,
    subject: &str,
    version: u32,
    schema_file: &str,
    payload: Value,
) -> Value {
    if envelope.fields.is_empty() {
        return payload;
    }
    let mut m = Map::new();
    for f in &envelope.fields {
        let v = match (f.role, &f.kind) {
            (Role::Payload, _) => payload.clone(),
            (Role::EventType, _) => json!(subject),
            (Role::EventVersion, _) => json!(version),
            (Role::EventId, _) => json!(example_uuid()),
            (Role::OccurredAt, _) => json!(now_rfc3339()),
            (Role::CorrelationId, _) => json!(example_uuid()),
            (Role::DataSchema, _) => json!(schema_file),
            (_, FieldKind::Const(c)) if f.required => json!(c),
            (_, FieldKind::UriReference) if f.required => {
                json!(format!("urn:evreg:example:{subject}"))
            }
            (_, _) if !f.required => continue,
            (_, FieldKind::Integer { min }) => json!(min.unwrap_or(1)),
            (_, FieldKind::Uuid) => json!(example_uuid()),
            (_, FieldKind::Timestamp) => json!(now_rfc3339()),
            _ => json!("example"),
        };
        m.insert(f.name.clone(), v);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_and_times_have_their_forms() {
        let u = example_uuid();
        assert!(super::super::formats::is_uuid(&u), "{u}");
        assert_ne!(u, example_uuid());
        assert!(super::super::formats::parse_rfc3339(&now_rfc3339()).is_some());
    }

    #[test]
    fn json_examples_follow_the_schema() {
        let schema = json!({"type": "object", "required": ["id", "kind", "n"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "kind": {"enum": ["A", "B"]}, "n": {"$ref": "#/$defs/n"}, "opt": {"type": "string"}},
            "$defs": {"n": {"type": "integer", "minimum": 3}}});
        let v = json_payload(&schema);
        assert_eq!(v["kind"], "A");
        assert_eq!(v["n"], 3);
        assert!(v.get("opt").is_none());
    }
}
