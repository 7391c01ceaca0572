//! Replay: encode a sample payload with the writer version's schema (Avro binary) and decode it
//! with the reader version's schema through Apache Avro's own schema resolution. What the static
//! engine predicts, this observes. Where Apache Avro's Rust library falls short of the
//! specification, replay makes up for it rather than reporting the library's gap as a break: every
//! named type a version defines (inline or in shared files) is handed to it, and the reader's
//! field aliases are applied to the writer schema first, as the specification (and Java) do.

use super::formats;
pub use crate::schema::apache::{ApacheSchema, apache_schema};
use crate::schema::avro::{AvroSchema, Kind, Logical, TypeId};
use apache_avro::Schema;
use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::schema::ResolvedSchema;
use apache_avro::types::Value as Avro;
use apache_avro::writer::datum::GenericDatumWriter;
use serde_json::Value;
use std::collections::HashMap;

/// Why a replay did not succeed: replay could not run (the sample could not be written with its
/// own version's schema, or Apache Avro could not resolve a schema's names), which says nothing
/// about the reader; or the reader failed to read what the writer wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayError {
    NotRun(String),
    Read(String),
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::NotRun(e) | ReplayError::Read(e) => f.write_str(e),
        }
    }
}

impl ApacheSchema {
    /// The named types a reference may reach: the version's own definitions (inline, possibly
    /// used again by name further on, or recursively) and those of its shared files. Apache
    /// Avro's `*_schemata` helpers resolve names from the list they are given only, so the main
    /// schema must be in it; and a schema is only accepted once every name it references is
    /// already known, so shared files go first, each after those it uses.
    fn names(&self) -> Result<ResolvedSchema<'_>, String> {
        let mut order: Vec<&Schema> = Vec::with_capacity(self.shared.len() + 1);
        let mut pending: Vec<&Schema> = self.shared.iter().collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut last_error = None;
            pending.retain(|s| {
                let mut trial = order.clone();
                trial.push(s);
                match ResolvedSchema::new_with_schemata(trial) {
                    Ok(_) => {
                        order.push(s);
                        false
                    }
                    Err(e) => {
                        last_error = Some(e.to_string());
                        true
                    }
                }
            });
            if pending.len() == before {
                return Err(last_error.unwrap_or_default());
            }
        }
        order.push(&self.main);
        ResolvedSchema::new_with_schemata(order).map_err(|e| e.to_string())
    }

    /// This writer schema as `reader` sees it: Apache Avro's Rust resolution matches record
    /// fields by name only, while the specification (and Java, through `Schema.applyAliases`)
    /// first renames the writer's fields by the reader's field aliases. Binary data carries no
    /// names, so decoding with the renamed writer schema reads the same bytes.
    fn read_by(&self, reader: &ApacheSchema) -> Result<Option<ApacheSchema>, String> {
        let mut aliases = Aliases::default();
        for s in std::iter::once(&reader.main).chain(&reader.shared) {
            aliases.collect(s, None);
        }
        if aliases.fields.is_empty() {
            return Ok(None);
        }
        let rename = |s: &Schema| aliases.apply(s, None).map_err(|e| e.to_string());
        Ok(Some(ApacheSchema {
            main: rename(&self.main)?,
            shared: self.shared.iter().map(rename).collect::<Result<_, _>>()?,
        }))
    }
}

/// The reader's aliases, collected as Java's `Schema.applyAliases` does: named-type alias →
/// the reader's full name, and per reader record (full name) field alias → field name.
#[derive(Default)]
struct Aliases {
    types: HashMap<String, String>,
    fields: HashMap<String, HashMap<String, String>>,
}

impl Aliases {
    fn collect(&mut self, s: &Schema, ns: Option<&str>) {
        match s {
            Schema::Array(a) => self.collect(&a.items, ns),
            Schema::Map(m) => self.collect(&m.types, ns),
            Schema::Union(u) => u.variants().iter().for_each(|v| self.collect(v, ns)),
            Schema::Record(r) => {
                let full = r.name.fully_qualified_name(ns);
                let own_ns = full.namespace();
                for a in r.aliases.iter().flatten() {
                    self.types.insert(a.fullname(own_ns), full.fullname(None));
                }
                let mut by_alias = HashMap::new();
                for f in &r.fields {
                    for a in &f.aliases {
                        by_alias.insert(a.clone(), f.name.clone());
                    }
                    self.collect(&f.schema, own_ns);
                }
                if !by_alias.is_empty() {
                    self.fields.insert(full.fullname(None), by_alias);
                }
            }
            _ => {}
        }
    }

    fn apply(&self, s: &Schema, ns: Option<&str>) -> apache_avro::AvroResult<Schema> {
        Ok(match s {
            Schema::Array(a) => Schema::Array(apache_avro::schema::ArraySchema {
                items: Box::new(self.apply(&a.items, ns)?),
                attributes: a.attributes.clone(),
            }),
            Schema::Map(m) => Schema::Map(apache_avro::schema::MapSchema {
                types: Box::new(self.apply(&m.types, ns)?),
                attributes: m.attributes.clone(),
            }),
            Schema::Union(u) => Schema::Union(apache_avro::schema::UnionSchema::new(
                u.variants()
                    .iter()
                    .map(|v| self.apply(v, ns))
                    .collect::<Result<_, _>>()?,
            )?),
            Schema::Record(r) => {
                let full = r.name.fully_qualified_name(ns);
                let own_ns = full.namespace();
                let as_reader = self.types.get(&full.fullname(None)).cloned();
                let renames = self
                    .fields
                    .get(as_reader.as_deref().unwrap_or(&full.fullname(None)));
                let mut out = r.clone();
                for f in &mut out.fields {
                    f.schema = self.apply(&f.schema, own_ns)?;
                    // A writer field the reader knows by an alias takes the reader's name, unless
                    // the writer also has a field of that name (which the reader then reads).
                    if let Some(to) = renames.and_then(|m| m.get(&f.name))
                        && !r.lookup.contains_key(to)
                    {
                        f.name = to.clone();
                    }
                }
                out.lookup = out
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name.clone(), i))
                    .collect();
                Schema::Record(out)
            }
            other => other.clone(),
        })
    }
}

/// Write `payload` (a JSON value that fits `writer`) as Avro binary with the writer schema, and
/// read it back with the reader schema.
pub fn replay(
    writer: &AvroSchema,
    writer_apache: &ApacheSchema,
    reader_apache: &ApacheSchema,
    payload: &Value,
) -> Result<(), ReplayError> {
    let read_by = ReadBy::new(writer_apache, reader_apache);
    Replayer::new(writer, writer_apache, &read_by, reader_apache).replay(payload)
}

/// The writer schema as a reader sees it (see `ApacheSchema::read_by`), made once for a pair and
/// kept here for the pair's decoder to borrow.
pub struct ReadBy(Result<Option<ApacheSchema>, String>);

impl ReadBy {
    pub fn new(writer_apache: &ApacheSchema, reader_apache: &ApacheSchema) -> Self {
        ReadBy(writer_apache.read_by(reader_apache))
    }
}

/// A writer and a reader made ready once to replay many payloads: Apache Avro's encoder and
/// decoder each index the named types of their schemas when built, which costs more than
/// replaying a small payload, so a pair's payloads share one of each.
pub struct Replayer<'s> {
    writer: &'s AvroSchema,
    encoder: Result<GenericDatumWriter<'s>, String>,
    decoder: Result<GenericDatumReader<'s>, ReplayError>,
}

impl<'s> Replayer<'s> {
    pub fn new(
        writer: &'s AvroSchema,
        writer_apache: &'s ApacheSchema,
        read_by: &'s ReadBy,
        reader_apache: &'s ApacheSchema,
    ) -> Self {
        let decoder = match &read_by.0 {
            Ok(renamed) => decoder(renamed.as_ref().unwrap_or(writer_apache), reader_apache),
            Err(e) => Err(not_resolved(e.clone())),
        };
        Replayer {
            writer,
            encoder: encoder(writer_apache),
            decoder,
        }
    }

    /// Whether the reader reads `payload` as the writer writes it (`None`: replay cannot run),
    /// without the words of why not: a pair's examples only need the answer.
    pub fn reads(&self, payload: &Value) -> Option<bool> {
        let encoder = self.encoder.as_ref().ok()?;
        let bytes = write(encoder, self.writer, payload).ok()?;
        match &self.decoder {
            Ok(decoder) => Some(decoder.read_value(&mut bytes.as_slice()).is_ok()),
            // Apache Avro refused to read the writer's data with the reader at all.
            Err(ReplayError::Read(_)) => Some(false),
            Err(ReplayError::NotRun(_)) => None,
        }
    }

    /// Write `payload` with the writer schema and read the bytes with the reader schema.
    pub fn replay(&self, payload: &Value) -> Result<(), ReplayError> {
        let encoder = self
            .encoder
            .as_ref()
            .map_err(|e| ReplayError::NotRun(e.clone()))?;
        let bytes = write(encoder, self.writer, payload).map_err(ReplayError::NotRun)?;
        read(self.decoder.as_ref().map_err(Clone::clone)?, &bytes)
    }
}

/// `payload` as Avro binary written with the writer schema.
pub fn encode(
    writer: &AvroSchema,
    writer_apache: &ApacheSchema,
    payload: &Value,
) -> Result<Vec<u8>, String> {
    write(&encoder(writer_apache)?, writer, payload)
}

/// Read Avro binary written with the writer schema through the reader schema.
pub fn decode(
    writer_apache: &ApacheSchema,
    reader_apache: &ApacheSchema,
    bytes: &[u8],
) -> Result<(), ReplayError> {
    let renamed = writer_apache.read_by(reader_apache).map_err(not_resolved)?;
    read(
        &decoder(renamed.as_ref().unwrap_or(writer_apache), reader_apache)?,
        bytes,
    )
}

fn not_resolved(e: String) -> ReplayError {
    ReplayError::NotRun(format!("Apache Avro cannot resolve a schema: {e}"))
}

fn encoder(writer_apache: &ApacheSchema) -> Result<GenericDatumWriter<'_>, String> {
    let names = writer_apache
        .names()
        .map_err(|e| format!("Apache Avro cannot resolve the writer's named types: {e}"))?;
    GenericDatumWriter::builder(&writer_apache.main)
        .resolved_schemata(names)
        .build()
        .map_err(|e| format!("encoding with the writer schema failed: {e}"))
}

fn write(
    encoder: &GenericDatumWriter,
    writer: &AvroSchema,
    payload: &Value,
) -> Result<Vec<u8>, String> {
    let value = to_avro(writer, writer.root, payload)
        .map_err(|e| format!("the payload does not convert to Avro: {e}"))?;
    encoder
        .write_value_to_vec(value)
        .map_err(|e| format!("encoding with the writer schema failed: {e}"))
}

/// The decoder of bytes written with `writer_apache` (as the reader sees it) into the reader.
fn decoder<'s>(
    writer_apache: &'s ApacheSchema,
    reader_apache: &'s ApacheSchema,
) -> Result<GenericDatumReader<'s>, ReplayError> {
    let wnames = writer_apache.names().map_err(not_resolved)?;
    let rnames = reader_apache.names().map_err(not_resolved)?;
    GenericDatumReader::builder(&writer_apache.main)
        .resolved_writer_schemata(wnames)
        .reader_schema(&reader_apache.main)
        .resolved_reader_schemata(rnames)
        .build()
        .map_err(|e| ReplayError::Read(e.to_string()))
}

fn read(decoder: &GenericDatumReader, bytes: &[u8]) -> Result<(), ReplayError> {
    let mut input = bytes;
    decoder
        .read_value(&mut input)
        .map(|_| ())
        .map_err(|e| ReplayError::Read(e.to_string()))
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
        (Kind::Float, _) => Avro::Float(number(v)? as f32),
        (Kind::Double, _) => Avro::Double(number(v)?),
        (Kind::Bytes | Kind::Fixed(_), Some(Logical::Decimal { scale, .. })) => {
            let text = match v {
                Value::String(x) => x.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err("expected a decimal".into()),
            };
            // A fixed takes its size. For `bytes`, Apache Avro's Rust resolution refuses a value
            // whose byte count could not hold the *reader's* precision, a bound the specification
            // does not set (it would fail every widened precision on short values): write the
            // sign-extended 16 bytes an i128 takes, a valid encoding of the same value, so replay
            // tests the data rather than that library's length check.
            let size = match &t.kind {
                Kind::Fixed(f) => Some(f.size as usize),
                _ => Some(16),
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
                .position(sym)
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
                if let Some(i) = branches.iter().position(|&b| s.names_branch(b, k)) {
                    return Ok(Avro::Union(
                        i as u32,
                        Box::new(to_avro(s, branches[i], inner)?),
                    ));
                }
            }
            let i = branches
                .iter()
                .position(|b| super::avro_payload::fits(s, *b, v))
                .ok_or("no union branch fits the value")?;
            Avro::Union(i as u32, Box::new(to_avro(s, branches[i], v)?))
        }
    })
}

/// A float or double as payloads carry it: a number, or the strings Avro's JSON encoding uses
/// for values JSON numbers cannot hold.
fn number(v: &Value) -> Result<f64, String> {
    match v {
        Value::String(s) if s == "NaN" => Ok(f64::NAN),
        Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Value::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => v
            .as_f64()
            .ok_or_else(|| format!("expected a number, found {v}")),
    }
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

    /// Found by fuzzing: a reader whose union names the enclosing record, with record-valued
    /// defaults, sent Apache Avro's resolution into endless recursion (the process died of
    /// SIGSEGV). Replay now says it cannot run; a recursive reader without such defaults still
    /// replays.
    #[test]
    fn a_reader_whose_defaults_recurse_is_not_handed_to_apache_avro() {
        let writer = r#"{"type": "record", "name": "R3", "fields": [
            {"name": "a", "default": {"a": {}, "c": ""}, "type": {"type": "record", "name": "R2", "fields": [
                {"name": "a", "default": {}, "type": [{"type": "map", "values": "null"}, "null"]},
                {"name": "c", "default": "", "type": "bytes"}]}}]}"#;
        let reader = writer.replace(r#""null"]},"#, r#""null", "R3"]},"#);
        both(writer);
        let r = parse(Arc::new(SourceFile::new("r.avsc", reader.as_str())))
            .schema
            .unwrap();
        match apache_schema(&r) {
            Err(why) => assert!(why.contains("leads back"), "{why}"),
            Ok(_) => panic!("handed to Apache Avro"),
        }
        // Recursion alone (a linked list, a tree with `[]` defaults) still replays.
        let list = r#"{"type": "record", "name": "Node", "fields": [
            {"name": "v", "type": "int"}, {"name": "next", "type": ["null", "Node"], "default": null}]}"#;
        let (l, la) = both(list);
        let value = json!({"v": 1, "next": {"Node": {"v": 2, "next": null}}});
        assert_eq!(replay(&l, &la, &la, &value), Ok(()));
    }

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

    #[test]
    fn named_types_reused_by_name_and_recursion_replay() {
        let (s, a) = both(
            r#"{"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "total", "type": {"type": "record", "name": "Money", "fields": [{"name": "amount", "type": "string"}]}},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [{"name": "unitPrice", "type": "shop.Money"}]}}},
              {"name": "tip", "type": ["null", "shop.Money"], "default": null},
              {"name": "next", "type": ["null", "Order"], "default": null}]}"#,
        );
        let leaf = json!({"total": {"amount": "1"}, "lines": [], "tip": null, "next": null});
        let payload = json!({"total": {"amount": "1"}, "lines": [{"unitPrice": {"amount": "2"}}],
            "tip": {"shop.Money": {"amount": "3"}}, "next": {"Order": leaf}});
        assert_eq!(replay(&s, &a, &a, &payload), Ok(()));
    }

    #[test]
    fn floats_replay_the_special_values_payloads_may_carry() {
        let (w, wa) = both(
            r#"{"type": "record", "name": "R", "fields": [{"name": "f", "type": "float"}, {"name": "d", "type": "double"}]}"#,
        );
        for (f, d) in [("NaN", "Infinity"), ("-Infinity", "NaN")] {
            assert_eq!(replay(&w, &wa, &wa, &json!({"f": f, "d": d})), Ok(()));
        }
    }

    #[test]
    fn every_logical_type_replays_in_the_forms_validate_accepts() {
        let (w, wa) = both(
            r#"{"type": "record", "name": "R", "fields": [
              {"name": "date", "type": {"type": "int", "logicalType": "date"}},
              {"name": "tm", "type": {"type": "int", "logicalType": "time-millis"}},
              {"name": "tu", "type": {"type": "long", "logicalType": "time-micros"}},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "tn", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
              {"name": "lt", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
              {"name": "dur", "type": {"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}},
              {"name": "dec", "type": {"type": "fixed", "name": "M", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 3}},
              {"name": "id", "type": {"type": "string", "logicalType": "uuid"}}]}"#,
        );
        let forms = [
            json!({"date": "2026-11-25", "tm": "08:30:00", "tu": "08:30:00.5", "ts": "2026-11-25T08:30:00Z",
                   "tn": "2026-11-25T08:30:00.123456789Z", "lt": "2026-11-25T08:30:00Z",
                   "dur": "\u{0}\u{0}\u{0}\u{1}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{0}\u{3}", "dec": "-12.5",
                   "id": "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"}),
            json!({"date": 20000, "tm": 1000, "tu": 1000, "ts": 1, "tn": 1, "lt": 1,
                   "dur": "abcdefghijkl", "dec": 7, "id": "00000000-0000-4000-8000-000000000000"}),
        ];
        for payload in forms {
            assert!(
                super::super::avro_payload::validate(&w, &payload).is_empty(),
                "{payload}"
            );
            assert_eq!(replay(&w, &wa, &wa, &payload), Ok(()), "{payload}");
        }
    }

    #[test]
    fn a_sample_the_writer_cannot_write_is_not_blamed_on_the_reader() {
        let (w, wa) =
            both(r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}"#);
        let Err(ReplayError::NotRun(why)) = replay(&w, &wa, &wa, &json!({"a": "x"})) else {
            panic!("expected a write failure")
        };
        assert!(why.contains("does not convert"), "{why}");
    }

    #[test]
    fn reader_field_aliases_apply_as_the_specification_says() {
        let (w, wa) = both(
            r#"{"type": "record", "name": "R", "namespace": "n", "fields": [{"name": "why", "type": "string"}, {"name": "inner", "type": {"type": "record", "name": "I", "fields": [{"name": "old", "type": "int"}]}}]}"#,
        );
        let (_, ra) = both(
            r#"{"type": "record", "name": "R", "namespace": "n", "fields": [{"name": "reason", "aliases": ["why"], "type": "string"}, {"name": "inner", "type": {"type": "record", "name": "J", "aliases": ["I"], "fields": [{"name": "new", "aliases": ["old"], "type": "long"}]}}]}"#,
        );
        assert_eq!(
            replay(&w, &wa, &ra, &json!({"why": "x", "inner": {"old": 1}})),
            Ok(())
        );
    }

    #[test]
    fn shared_files_resolve_in_any_order_beside_inline_types() {
        use crate::schema::avro::{SharedTypes, parse_with};
        let money = Arc::new(SourceFile::new(
            "schemas/shop.Money.avsc",
            r#"{"type": "record", "name": "Money", "namespace": "shop", "fields": [{"name": "cents", "type": "long"}, {"name": "currency", "type": "shop.Currency"}]}"#,
        ));
        let currency = Arc::new(SourceFile::new(
            "schemas/shop.Currency.avsc",
            r#"{"type": "enum", "name": "Currency", "namespace": "shop", "symbols": ["EUR", "USD"]}"#,
        ));
        let shared = SharedTypes::new([money, currency]);
        let s = parse_with(
            Arc::new(SourceFile::new(
                "v1.avsc",
                r#"{"type": "record", "name": "Paid", "namespace": "shop", "fields": [{"name": "total", "type": "Money"}, {"name": "tag", "type": {"type": "fixed", "name": "Tag", "size": 2}}, {"name": "again", "type": "Tag"}]}"#,
            )),
            &shared,
        )
        .schema
        .unwrap();
        let a = apache_schema(&s).unwrap();
        let payload = json!({"total": {"cents": 5, "currency": "EUR"}, "tag": "ab", "again": "cd"});
        assert_eq!(replay(&s, &a, &a, &payload), Ok(()));
    }
}
