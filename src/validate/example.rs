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

/// The most an example may hold, counting one per value plus the bytes of its strings. A schema
/// whose smallest instance is larger (a `fixed` of gigabytes, types that double at every level)
/// is refused before anything is built.
pub const MAX_EXAMPLE_SIZE: usize = 1 << 20;
/// The deepest an example may nest: fixtures are read by the strict parser, which allows
/// [`json::MAX_DEPTH`](crate::source::json::MAX_DEPTH) levels, and the envelope adds one.
pub const MAX_EXAMPLE_DEPTH: usize = crate::source::json::MAX_DEPTH - 8;
/// Down to this depth an example shows one item in each array and map and the first branch of
/// each union; below it, the smallest choice, so recursive types end.
const NATURAL_DEPTH: usize = 8;

/// Why no example can be written for a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoExample {
    /// Every value of the type contains another value of itself: records that require each
    /// other with no null, array, map or union branch to end the chain. The cycle, as
    /// `a.B.field → a.C.field → a.B`.
    Infinite(String),
    /// The smallest example is larger than [`MAX_EXAMPLE_SIZE`].
    TooLarge,
    /// The smallest example nests deeper than [`MAX_EXAMPLE_DEPTH`].
    TooDeep,
}

impl std::fmt::Display for NoExample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoExample::Infinite(cycle) => write!(
                f,
                "no finite value fits this schema: every value would contain itself ({cycle}), so \
                 no producer can ever write one\n  help: end the chain with a union with null \
                 (`[\"null\", …]`, default null), an array or a map"
            ),
            NoExample::TooLarge => write!(
                f,
                "the smallest value of this schema is larger than an example may be ({MAX_EXAMPLE_SIZE} values and bytes)\n  \
                 help: write the fixture by hand"
            ),
            NoExample::TooDeep => write!(
                f,
                "the smallest value of this schema nests deeper than {MAX_EXAMPLE_DEPTH} levels, more than fixtures may\n  \
                 help: write the fixture by hand"
            ),
        }
    }
}

impl std::error::Error for NoExample {}

/// An example payload for an Avro schema: the schema's defaults, first enum symbols and plain
/// values, or why there is none.
pub fn avro_payload(s: &AvroSchema) -> Result<Value, NoExample> {
    let sizes = avro_min_sizes(s);
    match sizes[s.root] {
        None => return Err(NoExample::Infinite(avro_cycle(s, &sizes))),
        Some(n) if n > MAX_EXAMPLE_SIZE => return Err(NoExample::TooLarge),
        Some(_) => {}
    }
    // Natural choices first; where they make too large an example, the smallest ones.
    for natural in [NATURAL_DEPTH, 0] {
        let mut g = AvroExample {
            s,
            sizes: &sizes,
            natural,
            used: 0,
        };
        match g.value(s.root, 0) {
            Err(NoExample::TooLarge) if natural > 0 => continue,
            other => return other,
        }
    }
    Err(NoExample::TooLarge)
}

/// What a value of `ty` costs on its own: one, plus the bytes of a string the generator writes.
fn avro_own_size(t: &crate::schema::avro::AvroType) -> usize {
    let bytes = match (&t.kind, &t.logical) {
        (_, Some(Logical::Decimal { scale, .. })) => (*scale as usize).saturating_add(2),
        (Kind::Fixed(f), _) => usize::try_from(f.size).unwrap_or(usize::MAX),
        (Kind::String, Some(Logical::Uuid)) => 36,
        (Kind::Enum(e), _) => e.symbols.first().map_or(0, String::len),
        _ => 0,
    };
    bytes.saturating_add(1)
}

/// The size of a JSON value as [`MAX_EXAMPLE_SIZE`] counts it (a default written as is).
fn node_size(n: &crate::source::json::Node) -> usize {
    use crate::source::json::Value as V;
    match &n.value {
        V::String(s) => 1 + s.len(),
        V::Array(items) => items.iter().fold(1, |a, i| a.saturating_add(node_size(i))),
        V::Object(members) => members.iter().fold(1, |a, m| {
            a.saturating_add(m.key.len() + node_size(&m.value))
        }),
        _ => 1,
    }
}

/// The size of the smallest value of every type (capped just above [`MAX_EXAMPLE_SIZE`]), or
/// `None` for types with no finite value. A least fixpoint: sizes only shrink from "none"; each
/// round settles at least the types whose smallest value nests one record deeper, and rounds in
/// reverse definition order (children are defined after their parents) settle most schemas in two.
fn avro_min_sizes(s: &AvroSchema) -> Vec<Option<usize>> {
    let cap = MAX_EXAMPLE_SIZE + 1;
    let mut sizes: Vec<Option<usize>> = vec![None; s.types.len()];
    loop {
        let mut changed = false;
        for id in (0..s.types.len()).rev() {
            let t = &s.types[id];
            let size = match &t.kind {
                Kind::Union(branches) => branches
                    .iter()
                    .filter_map(|b| sizes[*b])
                    .min()
                    .map(|n| n.saturating_add(1)),
                Kind::Record(r) => r.fields.iter().try_fold(1usize, |acc, f| {
                    let field = match &f.default {
                        Some(d) => Some(node_size(d)),
                        None => sizes[f.ty],
                    };
                    field.map(|n| acc.saturating_add(n).saturating_add(f.name.len()))
                }),
                _ => Some(avro_own_size(t)),
            }
            .map(|n| n.min(cap));
            if size.is_some() && (sizes[id].is_none() || size < sizes[id]) {
                sizes[id] = size;
                changed = true;
            }
        }
        if !changed {
            return sizes;
        }
    }
}

/// The chain of required fields through which a type without a finite value contains itself.
fn avro_cycle(s: &AvroSchema, sizes: &[Option<usize>]) -> String {
    let mut path: Vec<(TypeId, String)> = Vec::new();
    let mut ty = s.root;
    loop {
        if let Some(at) = path.iter().position(|(t, _)| *t == ty) {
            let mut steps: Vec<String> = path[at..].iter().map(|(_, step)| step.clone()).collect();
            steps.push(avro_name(s, ty));
            return steps.join(" → ");
        }
        let next = match &s.ty(ty).kind {
            Kind::Record(r) => r
                .fields
                .iter()
                .find(|f| f.default.is_none() && sizes[f.ty].is_none())
                .map(|f| (format!("{}.{}", r.name.fullname(), f.name), f.ty)),
            Kind::Union(branches) => branches.first().map(|b| (avro_name(s, ty), *b)),
            _ => None,
        };
        let Some((step, to)) = next else {
            return avro_name(s, ty);
        };
        path.push((ty, step));
        ty = to;
    }
}

fn avro_name(s: &AvroSchema, ty: TypeId) -> String {
    match &s.ty(ty).kind {
        Kind::Record(r) => r.name.fullname(),
        k => k.type_name().to_string(),
    }
}

struct AvroExample<'a> {
    s: &'a AvroSchema,
    sizes: &'a [Option<usize>],
    /// Depth down to which natural choices are made.
    natural: usize,
    used: usize,
}

impl AvroExample<'_> {
    fn spend(&mut self, n: usize) -> Result<(), NoExample> {
        self.used = self.used.saturating_add(n);
        if self.used > MAX_EXAMPLE_SIZE {
            return Err(NoExample::TooLarge);
        }
        Ok(())
    }

    fn value(&mut self, ty: TypeId, depth: usize) -> Result<Value, NoExample> {
        if depth > MAX_EXAMPLE_DEPTH {
            return Err(NoExample::TooDeep);
        }
        let (s, sizes) = (self.s, self.sizes);
        let t = s.ty(ty);
        self.spend(avro_own_size(t))?;
        let natural = depth < self.natural;
        let finite = |id: TypeId| sizes[id].is_some();
        Ok(match (&t.kind, &t.logical) {
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
            // The size was spent above, so it is within the budget.
            (Kind::Fixed(f), _) => json!("\u{0}".repeat(f.size as usize)),
            (Kind::Enum(e), _) => json!(
                e.default
                    .clone()
                    .or_else(|| e.symbols.first().cloned())
                    .unwrap_or_default()
            ),
            (Kind::Array(items), _) if natural && finite(*items) => {
                json!([self.value(*items, depth + 1)?])
            }
            (Kind::Array(_), _) => json!([]),
            (Kind::Map(values), _) if natural && finite(*values) => {
                json!({"key": self.value(*values, depth + 1)?})
            }
            (Kind::Map(_), _) => json!({}),
            (Kind::Union(branches), _) => {
                let pick = if natural {
                    branches.iter().copied().find(|b| finite(*b))
                } else {
                    // The smallest branch (null where there is one), so recursive types end.
                    branches
                        .iter()
                        .copied()
                        .filter(|b| finite(*b))
                        .min_by_key(|b| (sizes[*b], !matches!(s.ty(*b).kind, Kind::Null)))
                };
                match pick {
                    Some(b) => self.value(b, depth + 1)?,
                    None => return Err(NoExample::Infinite(avro_cycle(s, sizes))),
                }
            }
            (Kind::Record(r), _) => {
                let mut m = Map::new();
                for f in &r.fields {
                    let v = match &f.default {
                        Some(d) => {
                            self.spend(node_size(d))?;
                            d.to_serde()
                        }
                        None => self.value(f.ty, depth + 1)?,
                    };
                    self.spend(f.name.len())?;
                    m.insert(f.name.clone(), v);
                }
                Value::Object(m)
            }
        })
    }
}

/// An example instance of a JSON Schema (local `$ref`s followed): defaults, `const`, first `enum`
/// values, required properties, the smallest values the bounds allow; or why it would be too
/// large to write.
pub fn json_payload(root: &Value) -> Result<Value, NoExample> {
    let mut used = 0;
    json_value(root, root, 0, &mut used)
}

/// Count `n` against the example's size.
fn spend(used: &mut usize, n: usize) -> Result<(), NoExample> {
    *used = used.saturating_add(n);
    if *used > MAX_EXAMPLE_SIZE {
        return Err(NoExample::TooLarge);
    }
    Ok(())
}

/// The size of a JSON value as [`MAX_EXAMPLE_SIZE`] counts it.
fn value_size(v: &Value) -> usize {
    match v {
        Value::String(s) => 1 + s.len(),
        Value::Array(items) => items.iter().fold(1, |a, i| a.saturating_add(value_size(i))),
        Value::Object(m) => m
            .iter()
            .fold(1, |a, (k, v)| a.saturating_add(k.len() + value_size(v))),
        _ => 1,
    }
}

fn json_value(
    root: &Value,
    schema: &Value,
    depth: usize,
    used: &mut usize,
) -> Result<Value, NoExample> {
    let Some(obj) = schema.as_object() else {
        return Ok(Value::Null);
    };
    if depth > 16 {
        return Ok(Value::Null);
    }
    spend(used, 1)?;
    if let Some(r) = obj.get("$ref").and_then(Value::as_str)
        && let Some(target) = r.strip_prefix('#').and_then(|p| root.pointer(p))
    {
        return json_value(root, target, depth + 1, used);
    }
    if let Some(v) = obj.get("const").or_else(|| obj.get("default")) {
        spend(used, value_size(v))?;
        return Ok(v.clone());
    }
    if let Some(v) = obj
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        spend(used, value_size(v))?;
        return Ok(v.clone());
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = obj
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            && key != "allOf"
        {
            return json_value(root, first, depth + 1, used);
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
    let at_least = |key: &str, floor: u64| {
        let n = obj
            .get(key)
            .and_then(Value::as_u64)
            .unwrap_or(floor)
            .max(floor);
        usize::try_from(n).unwrap_or(usize::MAX)
    };
    Ok(match ty {
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
                        spend(used, k.len())?;
                        m.insert(k.clone(), json_value(root, p, depth + 1, used)?);
                    }
                }
            }
            Value::Object(m)
        }
        "array" => match obj.get("items") {
            Some(items) if items.is_object() => {
                let n = at_least("minItems", 1);
                let before = *used;
                let item = json_value(root, items, depth + 1, used)?;
                // The other copies cost what the first did; counted before they are made.
                spend(used, (*used - before).max(1).saturating_mul(n - 1))?;
                Value::Array(vec![item; n])
            }
            _ => json!([]),
        },
        "string" => match obj.get("format").and_then(Value::as_str) {
            Some("uuid") => json!(example_uuid()),
            Some("date-time") => json!(now_rfc3339()),
            Some("date") => json!(now_rfc3339()[..10]),
            Some("email") => json!("someone@example.com"),
            Some("uri") => json!("https://example.com/"),
            _ => {
                let n = at_least("minLength", 1);
                spend(used, n)?;
                json!("x".repeat(n))
            }
        },
        "integer" => json!(obj.get("minimum").and_then(Value::as_i64).unwrap_or(0)),
        "number" => json!(obj.get("minimum").and_then(Value::as_f64).unwrap_or(0.0)),
        "boolean" => json!(false),
        _ => Value::Null,
    })
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

    fn avro(text: &str) -> AvroSchema {
        let p = crate::schema::avro::parse(std::sync::Arc::new(crate::source::SourceFile::new(
            "t.avsc", text,
        )));
        p.schema
            .unwrap_or_else(|| panic!("invalid schema: {:?}", p.findings))
    }

    #[test]
    fn recursive_records_end_through_their_escapes() {
        // The first branch recurses: natural choices go down a few levels, then take null.
        let list = avro(
            r#"{"type": "record", "name": "Node", "namespace": "t", "fields": [
                {"name": "v", "type": "int"},
                {"name": "next", "type": ["Node", "null"]},
                {"name": "kids", "type": {"type": "array", "items": "Node"}},
                {"name": "byName", "type": {"type": "map", "values": "Node"}}]}"#,
        );
        let v = avro_payload(&list).unwrap();
        let mut depth = 0;
        let mut at = &v;
        while let Some(next) = at.get("next").filter(|n| !n.is_null()) {
            depth += 1;
            at = next;
        }
        assert!((1..=NATURAL_DEPTH).contains(&depth), "{depth}: {v}");
        assert_eq!(at["kids"], json!([]));
    }

    #[test]
    fn records_that_require_themselves_have_no_example() {
        let own = avro(
            r#"{"type": "record", "name": "Node", "namespace": "t", "fields": [
                {"name": "v", "type": "int"}, {"name": "next", "type": "Node"}]}"#,
        );
        assert_eq!(
            avro_payload(&own),
            Err(NoExample::Infinite("t.Node.next → t.Node".into()))
        );
        // Through another record and a union of two recursive branches.
        let pair = avro(
            r#"{"type": "record", "name": "A", "fields": [
                {"name": "ok", "type": ["null", "string"]},
                {"name": "b", "type": {"type": "record", "name": "B", "fields": [
                    {"name": "a", "type": ["A", {"type": "record", "name": "C", "fields": [{"name": "b", "type": "B"}]}]}]}}]}"#,
        );
        let Err(NoExample::Infinite(cycle)) = avro_payload(&pair) else {
            panic!("an example of a schema with no finite value");
        };
        assert!(cycle.starts_with("A.b → B.a"), "{cycle}");
    }

    #[test]
    fn examples_too_large_or_deep_are_refused_before_they_are_built() {
        let fixed = avro(r#"{"type": "fixed", "name": "Huge", "size": 2000000000}"#);
        assert_eq!(avro_payload(&fixed), Err(NoExample::TooLarge));
        let decimal = avro(
            r#"{"type": "bytes", "logicalType": "decimal", "precision": 2000000000, "scale": 1999999999}"#,
        );
        assert_eq!(avro_payload(&decimal), Err(NoExample::TooLarge));
        // Types that double at every level: each record holds two of the next, 2^40 at the bottom.
        let mut schema =
            r#"{"type": "record", "name": "T40", "fields": [{"name": "v", "type": "int"}]}"#
                .to_string();
        for i in (0..40).rev() {
            schema = format!(
                r#"{{"type": "record", "name": "T{i}", "fields": [{{"name": "a", "type": {schema}}}, {{"name": "b", "type": "T{}"}}]}}"#,
                i + 1
            );
        }
        assert_eq!(avro_payload(&avro(&schema)), Err(NoExample::TooLarge));
        // A chain of required records deeper than fixtures may nest: R0 needs R1 … needs R300
        // (defined flat in a union, each after the one it needs).
        let mut defs = vec![
            r#"{"type": "record", "name": "R300", "fields": [{"name": "v", "type": "int"}]}"#
                .to_string(),
        ];
        for i in (1..300).rev() {
            defs.push(format!(
                r#"{{"type": "record", "name": "R{i}", "fields": [{{"name": "r", "type": "R{}"}}]}}"#,
                i + 1
            ));
        }
        let chain = format!(
            r#"{{"type": "record", "name": "Top", "fields": [{{"name": "defs", "type": [{}]}},
                {{"name": "deep", "type": {{"type": "record", "name": "R0", "fields": [{{"name": "r", "type": "R1"}}]}}}}]}}"#,
            defs.join(",")
        );
        assert_eq!(avro_payload(&avro(&chain)), Err(NoExample::TooDeep));
        // Natural choices that grow too large fall back to the smallest ones.
        let wide: Vec<String> = (0..64)
            .map(|i| format!(r#"{{"name": "f{i}", "type": {{"type": "array", "items": "W"}}}}"#))
            .collect();
        let wide = avro(&format!(
            r#"{{"type": "record", "name": "W", "fields": [{}]}}"#,
            wide.join(",")
        ));
        let v = avro_payload(&wide).unwrap();
        assert_eq!(v["f0"], json!([]));
        // JSON Schema bounds.
        for schema in [
            json!({"type": "string", "minLength": 1_000_000_000_000u64}),
            json!({"type": "array", "minItems": 1_000_000_000_000u64, "items": {"type": "integer"}}),
            json!({"type": "array", "minItems": 1000, "items": {"type": "array", "minItems": 1000, "items": {"type": "string", "minLength": 10}}}),
        ] {
            assert_eq!(json_payload(&schema), Err(NoExample::TooLarge), "{schema}");
        }
    }

    #[test]
    fn json_examples_follow_the_schema() {
        let schema = json!({"type": "object", "required": ["id", "kind", "n"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "kind": {"enum": ["A", "B"]}, "n": {"$ref": "#/$defs/n"}, "opt": {"type": "string"}},
            "$defs": {"n": {"type": "integer", "minimum": 3}}});
        let v = json_payload(&schema).unwrap();
        assert_eq!(v["kind"], "A");
        assert_eq!(v["n"], 3);
        assert!(v.get("opt").is_none());
    }
}
