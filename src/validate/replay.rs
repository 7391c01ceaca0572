//! Replay: encode a sample payload with the writer version's schema (Avro binary) and decode it
//! with the reader version's schema through Apache Avro's own schema resolution. What the static
//! engine predicts, this observes.

use super::formats;
use crate::schema::avro::{AvroSchema, Kind, Logical, TypeId};
use apache_avro::types::Value as Avro;
use serde_json::Value;

/// Parse a version with Apache Avro, for replay; `schema.shared` lists the shared files whose
/// named types it uses.
pub fn apache_schema(schema: &AvroSchema) -> Result<ApacheSchema, String> {
    if schema.shared.is_empty() {
        let main =
            apache_avro::Schema::parse_str(&schema.source.text).map_err(|e| e.to_string())?;
        return Ok(ApacheSchema {
            main,
            shared: Vec::new(),
        });
    }
    let shared: Vec<&str> = schema
        .shared
        .iter()
        .map(|f| f.source.text.as_str())
        .collect();
    let (main, shared) = apache_avro::Schema::parse_str_with_list(&schema.source.text, shared)
        .map_err(|e| e.to_string())?;
    Ok(ApacheSchema { main, shared })
}

/// A version as Apache Avro holds it: the schema, and the shared schemas its references name.
pub struct ApacheSchema {
    pub main: apache_avro::Schema,
    pub shared: Vec<apache_avro::Schema>,
}

/// Write `payload` (a JSON value that fits `writer`) as Avro binary with the writer schema, and
/// read it back with the reader schema. `Err` says why resolution failed.
pub fn replay(
    writer: &AvroSchema,
    writer_apache: &ApacheSchema,
    reader_apache: &ApacheSchema,
    payload: &Value,
) -> Result<(), String> {
    let value = to_avro(writer, writer.root, payload)
        .map_err(|e| format!("the payload does not convert to Avro: {e}"))?;
    #[allow(deprecated)]
    let bytes = apache_avro::to_avro_datum_schemata(
        &writer_apache.main,
        writer_apache.shared.iter().collect(),
        value,
    )
    .map_err(|e| format!("encoding with the writer schema failed: {e}"))?;
    #[allow(deprecated)]
    let read = apache_avro::from_avro_datum_reader_schemata(
        &writer_apache.main,
        writer_apache.shared.iter().collect(),
        &mut bytes.as_slice(),
        Some(&reader_apache.main),
        reader_apache.shared.iter().collect(),
    );
    read.map(|_| ()).map_err(|e| e.to_string())
}

fn unscaled(text: &str, scale: u64) -> Result<i128, String> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = format!("{int}{frac:0<width$}", width = scale as usize);
    let n: i128 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a decimal"))?;
    Ok(if neg { -n } else { n })
}

/// Two's complement, big-endian, as short as the value allows (or `size` bytes for a fixed).
fn decimal_bytes(n: i128, size: Option<usize>) -> Vec<u8> {
    let full = n.to_be_bytes();
    let mut start = 0;
    while start < 15
        && ((full[start] == 0 && full[start + 1] & 0x80 == 0)
            || (full[start] == 0xff && full[start + 1] & 0x80 != 0))
    {
        start += 1;
    }
    let mut out = full[start..].to_vec();
    if let Some(size) = size {
        let fill = if n < 0 { 0xff } else { 0 };
        while out.len() < size {
            out.insert(0, fill);
        }
    }
    out
}

fn epoch(v: &Value, per_second: i128) -> Result<i64, String> {
    match v {
        Value::String(s) => {
            let nanos = formats::parse_rfc3339(s).ok_or_else(|| {
                format!("{} is not an RFC 3339 timestamp", crate::suggest::quote(s))
            })?;
            i64::try_from(nanos / (1_000_000_000 / per_second))
                .map_err(|_| "timestamp out of range".to_string())
        }
        _ => v.as_i64().ok_or_else(|| "expected a timestamp".to_string()),
    }
}

fn to_avro(s: &AvroSchema, ty: TypeId, v: &Value) -> Result<Avro, String> {
    let t = s.ty(ty);
    let int = |v: &Value| {
        v.as_i64()
            .ok_or_else(|| format!("expected a whole number, found {v}"))
    };
    Ok(match (&t.kind, &t.logical) {
        (Kind::Null, _) => Avro::Null,
        (Kind::Boolean, _) => Avro::Boolean(v.as_bool().ok_or("expected a boolean")?),
        (Kind::Int, Some(Logical::Date)) => Avro::Date(match v {
            Value::String(x) => formats::parse_date(x).ok_or("not a date")? as i32,
            _ => int(v)? as i32,
        }),
        (Kind::Int, Some(Logical::TimeMillis)) => Avro::TimeMillis(match v {
            Value::String(x) => (formats::parse_time(x).ok_or("not a time")? / 1_000_000) as i32,
            _ => int(v)? as i32,
        }),
        (Kind::Int, _) => Avro::Int(i32::try_from(int(v)?).map_err(|_| "out of int range")?),
        (Kind::Long, Some(Logical::TimeMicros)) => Avro::TimeMicros(match v {
            Value::String(x) => formats::parse_time(x).ok_or("not a time")? / 1_000,
            _ => int(v)?,
        }),
        (Kind::Long, Some(Logical::TimestampMillis)) => Avro::TimestampMillis(epoch(v, 1_000)?),
        (Kind::Long, Some(Logical::TimestampMicros)) => Avro::TimestampMicros(epoch(v, 1_000_000)?),
        (Kind::Long, Some(Logical::TimestampNanos)) => {
            Avro::TimestampNanos(epoch(v, 1_000_000_000)?)
        }
        (Kind::Long, Some(Logical::LocalTimestampMillis)) => {
            Avro::LocalTimestampMillis(epoch(v, 1_000)?)
        }
        (Kind::Long, Some(Logical::LocalTimestampMicros)) => {
            Avro::LocalTimestampMicros(epoch(v, 1_000_000)?)
        }
        (Kind::Long, Some(Logical::LocalTimestampNanos)) => {
            Avro::LocalTimestampNanos(epoch(v, 1_000_000_000)?)
        }
        (Kind::Long, _) => Avro::Long(int(v)?),
        (Kind::Float, _) => Avro::Float(v.as_f64().ok_or("expected a number")? as f32),
        (Kind::Double, _) => Avro::Double(v.as_f64().ok_or("expected a number")?),
        (Kind::Bytes | Kind::Fixed(_), Some(Logical::Decimal { precision, scale })) => {
            let text = match v {
                Value::String(x) => x.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err("expected a decimal".into()),
            };
            // Apache Avro wants as many bytes as the precision could need, even for `bytes`.
            let size = match &t.kind {
                Kind::Fixed(f) => Some(f.size as usize),
                _ => Some(
                    (1..=16)
                        .find(|n| {
                            ((8.0 * *n as f64 - 1.0) * 2f64.log10()).floor() as u64 >= *precision
                        })
                        .unwrap_or(16),
                ),
            };
            let bytes = decimal_bytes(unscaled(&text, *scale)?, size);
            Avro::Decimal(apache_avro::Decimal::from(bytes))
        }
        (Kind::String, Some(Logical::Uuid)) => Avro::Uuid(
            apache_avro::Uuid::parse_str(v.as_str().ok_or("expected a UUID")?)
                .map_err(|e| e.to_string())?,
        ),
        (Kind::Bytes, _) => Avro::Bytes(code_points(v)?),
        (Kind::String, _) => Avro::String(v.as_str().ok_or("expected a string")?.to_string()),
        (Kind::Fixed(f), _) => Avro::Fixed(f.size as usize, code_points(v)?),
        (Kind::Enum(e), _) => {
            let sym = v.as_str().ok_or("expected an enum symbol")?;
            let i = e
                .symbols
                .iter()
                .position(|x| x == sym)
                .ok_or_else(|| format!("`{sym}` is not a symbol"))?;
            Avro::Enum(i as u32, sym.to_string())
        }
        (Kind::Array(items), _) => Avro::Array(
            v.as_array()
                .ok_or("expected an array")?
                .iter()
                .map(|x| to_avro(s, *items, x))
                .collect::<Result<_, _>>()?,
        ),
        (Kind::Map(values), _) => Avro::Map(
            v.as_object()
                .ok_or("expected an object")?
                .iter()
                .map(|(k, x)| Ok((k.clone(), to_avro(s, *values, x)?)))
                .collect::<Result<_, String>>()?,
        ),
        (Kind::Record(r), _) => {
            let m = v.as_object().ok_or("expected an object")?;
            let mut fields = Vec::with_capacity(r.fields.len());
            for f in &r.fields {
                let x = match (m.get(&f.name), &f.default) {
                    (Some(x), _) => x.clone(),
                    (None, Some(d)) => d.to_serde(),
                    (None, None) => return Err(format!("field `{}` is missing", f.name)),
                };
                fields.push((f.name.clone(), to_avro(s, f.ty, &x)?));
            }
            Avro::Record(fields)
        }
        (Kind::Union(branches), _) => {
            if let Value::Object(m) = v
                && m.len() == 1
            {
                let (k, inner) = m.iter().next().expect("one entry");
                let named = |b: &TypeId| {
                    let kind = &s.ty(*b).kind;
                    kind.name()
                        .map(|n| n.fullname() == *k || n.name == *k)
                        .unwrap_or(kind.type_name() == k)
                };
                if let Some(i) = branches.iter().position(named) {
                    return Ok(Avro::Union(
                        i as u32,
                        Box::new(to_avro(s, branches[i], inner)?),
                    ));
                }
            }
            let i = branches
                .iter()
                .position(|b| super::avro::fits(s, *b, v))
                .ok_or("no union branch fits the value")?;
            Avro::Union(i as u32, Box::new(to_avro(s, branches[i], v)?))
        }
    })
}

/// Avro's JSON encoding of bytes: one code point 0-255 per byte.
fn code_points(v: &Value) -> Result<Vec<u8>, String> {
    let s = v.as_str().ok_or("expected a string")?;
    s.chars()
        .map(|c| u8::try_from(c as u32).map_err(|_| "bytes are code points 0-255".to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::avro::parse;
    use crate::source::SourceFile;
    use serde_json::json;
    use std::sync::Arc;

    fn both(text: &str) -> (AvroSchema, ApacheSchema) {
        let s = parse(Arc::new(SourceFile::new("t.avsc", text)))
            .schema
            .unwrap();
        let a = apache_schema(&s).unwrap();
        (s, a)
    }

    #[test]
    fn decimals_encode_as_twos_complement() {
        assert_eq!(decimal_bytes(1999, None), vec![0x07, 0xcf]);
        assert_eq!(decimal_bytes(-1, None), vec![0xff]);
        assert_eq!(decimal_bytes(128, None), vec![0x00, 0x80]);
        assert_eq!(decimal_bytes(1, Some(4)), vec![0, 0, 0, 1]);
        assert_eq!(unscaled("19.9", 2), Ok(1990));
        assert_eq!(unscaled("-0.05", 2), Ok(-5));
    }

    #[test]
    fn resolution_is_observed_not_predicted() {
        let (w, wa) = both(
            r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "m", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}}, {"name": "u", "type": ["null", "string"], "default": null}]}"#,
        );
        let payload = json!({"a": 7, "m": "19.99", "u": {"string": "x"}});
        let (_, widened) = both(
            r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "long"}, {"name": "m", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}}, {"name": "u", "type": ["null", "string"], "default": null}, {"name": "z", "type": "int", "default": 0}]}"#,
        );
        assert_eq!(replay(&w, &wa, &widened, &payload), Ok(()));
        let (_, needs_b) = both(
            r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}]}"#,
        );
        assert!(replay(&w, &wa, &needs_b, &payload).is_err());
        let (_, narrowed) =
            both(r#"{"type": "record", "name": "R", "fields": [{"name": "u", "type": "string"}]}"#);
        assert!(replay(&w, &wa, &narrowed, &json!({"a": 7, "m": "1.00", "u": null})).is_err());
    }
}
