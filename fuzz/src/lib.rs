//! Generators shared by the fuzz targets: Avro and JSON Schema pairs (a writer and a reader made
//! from it by small evolutions, the kind real version histories hold), and data for a writer.
//! Everything is bounded in depth and width so one input stays far below a second.

use arbitrary::{Result, Unstructured};
use evreg::schema::avro::{AvroSchema, Kind, TypeId};
use evreg::source::SourceFile;
use serde_json::{Map, Value, json};
use std::sync::Arc;

const MAX_DEPTH: u32 = 4;

/// An Avro type as the generator builds it. Named types carry their name, so a reader made from a
/// writer keeps the names that resolution matches on.
#[derive(Debug, Clone)]
pub enum AType {
    Prim(&'static str),
    Array(Box<AType>),
    Map(Box<AType>),
    Union(Vec<AType>),
    Record {
        name: String,
        aliases: Vec<String>,
        fields: Vec<AField>,
    },
    Enum {
        name: String,
        symbols: Vec<String>,
        default: Option<String>,
    },
    Fixed {
        name: String,
        size: u8,
    },
}

#[derive(Debug, Clone)]
pub struct AField {
    pub name: String,
    pub aliases: Vec<String>,
    pub ty: AType,
    pub has_default: bool,
}

const PRIMS: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];
const SYMBOLS: [&str; 5] = ["A", "B", "C", "D", "E"];
const FIELDS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

/// Builds Avro types; `named` keeps earlier named types so a later place may reuse one by name.
pub struct AvroGen {
    next: u32,
    pub named: Vec<AType>,
}

impl Default for AvroGen {
    fn default() -> Self {
        Self::new()
    }
}

impl AvroGen {
    pub fn new() -> Self {
        AvroGen {
            next: 0,
            named: Vec::new(),
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    pub fn record(&mut self, u: &mut Unstructured, depth: u32) -> Result<AType> {
        let n = u.int_in_range(0..=4)?;
        let mut fields: Vec<AField> = Vec::new();
        for i in 0..n {
            let ty = self.ty(u, depth + 1)?;
            fields.push(AField {
                name: FIELDS[i].to_string(),
                aliases: Vec::new(),
                ty,
                has_default: u.arbitrary()?,
            });
        }
        let name = self.fresh("R");
        let r = AType::Record {
            name,
            aliases: Vec::new(),
            fields,
        };
        self.named.push(r.clone());
        Ok(r)
    }

    pub fn ty(&mut self, u: &mut Unstructured, depth: u32) -> Result<AType> {
        let leaf = depth >= MAX_DEPTH;
        let choice = if leaf {
            u.int_in_range(0..=9)?
        } else {
            u.int_in_range(0..=14)?
        };
        Ok(match choice {
            0..=7 => AType::Prim(PRIMS[choice as usize]),
            8 => {
                let n = u.int_in_range(1..=4)?;
                let name = self.fresh("E");
                let symbols: Vec<String> = SYMBOLS[..n].iter().map(|s| s.to_string()).collect();
                let default = if u.arbitrary()? {
                    Some(symbols[0].clone())
                } else {
                    None
                };
                let e = AType::Enum {
                    name,
                    symbols,
                    default,
                };
                self.named.push(e.clone());
                e
            }
            9 => {
                let size = u.int_in_range(1..=4)?;
                let f = AType::Fixed {
                    name: self.fresh("F"),
                    size,
                };
                self.named.push(f.clone());
                f
            }
            10 => AType::Array(Box::new(self.ty(u, depth + 1)?)),
            11 => AType::Map(Box::new(self.ty(u, depth + 1)?)),
            12 => {
                let n = u.int_in_range(1..=3)?;
                let mut branches: Vec<AType> = Vec::new();
                for _ in 0..n {
                    let b = self.ty(u, depth + 1)?;
                    push_branch(&mut branches, b);
                }
                AType::Union(branches)
            }
            13 if !self.named.is_empty() => {
                // A named type used again: rendered as a reference to its first definition.
                u.choose(&self.named)?.clone()
            }
            _ => self.record(u, depth)?,
        })
    }

    /// A reader made from a writer by the changes schema histories make: promotions, added and
    /// removed fields (with and without defaults), aliases, enum symbols, union branches, sizes.
    pub fn evolve(&mut self, u: &mut Unstructured, t: &AType, depth: u32) -> Result<AType> {
        if depth > MAX_DEPTH + 1 || u.ratio(2, 3)? {
            return Ok(match t {
                AType::Array(i) => AType::Array(Box::new(self.evolve(u, i, depth + 1)?)),
                AType::Map(i) => AType::Map(Box::new(self.evolve(u, i, depth + 1)?)),
                AType::Union(bs) => {
                    let mut out = Vec::new();
                    for b in bs {
                        let b = self.evolve(u, b, depth + 1)?;
                        push_branch(&mut out, b);
                    }
                    AType::Union(out)
                }
                AType::Record {
                    name,
                    aliases,
                    fields,
                } => {
                    let mut out = Vec::new();
                    for f in fields {
                        out.push(AField {
                            ty: self.evolve(u, &f.ty, depth + 1)?,
                            ..f.clone()
                        });
                    }
                    AType::Record {
                        name: name.clone(),
                        aliases: aliases.clone(),
                        fields: out,
                    }
                }
                other => other.clone(),
            });
        }
        Ok(match (t, u.int_in_range(0..=5)?) {
            (AType::Prim(p), 0..=2) => AType::Prim(match *p {
                "int" => *u.choose(&["long", "float", "double"])?,
                "long" => *u.choose(&["float", "double", "int"])?,
                "float" => *u.choose(&["double", "long"])?,
                "string" => "bytes",
                "bytes" => "string",
                "double" => "float",
                other => other,
            }),
            (AType::Record { name, fields, .. }, 0) => {
                // Renamed, the old name kept as an alias.
                let mut aliases = vec![name.clone()];
                if u.arbitrary()? {
                    aliases.clear();
                }
                AType::Record {
                    name: format!("{name}x"),
                    aliases,
                    fields: fields.clone(),
                }
            }
            (
                AType::Record {
                    name,
                    aliases,
                    fields,
                },
                1..=3,
            ) => {
                let mut fields = fields.clone();
                match u.int_in_range(0..=3)? {
                    0 if !fields.is_empty() => {
                        let i = u.choose_index(fields.len())?;
                        fields.remove(i);
                    }
                    1 if fields.len() < FIELDS.len() => {
                        let used: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        if let Some(n) = FIELDS.iter().find(|n| !used.contains(n)) {
                            fields.push(AField {
                                name: n.to_string(),
                                aliases: Vec::new(),
                                ty: self.ty(u, depth + 1)?,
                                has_default: u.arbitrary()?,
                            });
                        }
                    }
                    2 if !fields.is_empty() => {
                        let i = u.choose_index(fields.len())?;
                        fields[i].has_default = !fields[i].has_default;
                    }
                    _ if !fields.is_empty() => {
                        // Renamed field, the old name kept as an alias (or not).
                        let i = u.choose_index(fields.len())?;
                        let old = fields[i].name.clone();
                        fields[i].name = format!("{old}2");
                        if u.arbitrary()? {
                            fields[i].aliases.push(old);
                        }
                    }
                    _ => {}
                }
                AType::Record {
                    name: name.clone(),
                    aliases: aliases.clone(),
                    fields,
                }
            }
            (
                AType::Enum {
                    name,
                    symbols,
                    default,
                },
                0..=3,
            ) => {
                let mut symbols = symbols.clone();
                let mut default = default.clone();
                match u.int_in_range(0..=2)? {
                    0 if symbols.len() < SYMBOLS.len() => {
                        symbols.push(SYMBOLS[symbols.len()].to_string())
                    }
                    1 if symbols.len() > 1 => {
                        let gone = symbols.pop();
                        if default == gone {
                            default = None;
                        }
                    }
                    _ => default = Some(symbols[0].clone()),
                }
                AType::Enum {
                    name: name.clone(),
                    symbols,
                    default,
                }
            }
            (AType::Fixed { name, size }, 0) => AType::Fixed {
                name: name.clone(),
                size: size.saturating_add(1),
            },
            (AType::Union(bs), 0..=2) => {
                let mut bs = bs.clone();
                if bs.len() > 1 && u.arbitrary()? {
                    let i = u.choose_index(bs.len())?;
                    bs.remove(i);
                } else {
                    let b = self.ty(u, depth + 1)?;
                    push_branch(&mut bs, b);
                }
                AType::Union(bs)
            }
            (other, 4) if !matches!(other, AType::Union(_)) => {
                // Made optional: a writer value is then read as the union's branch.
                let mut bs = vec![AType::Prim("null")];
                push_branch(&mut bs, other.clone());
                AType::Union(bs)
            }
            (other, _) => other.clone(),
        })
    }
}

fn branch_key(t: &AType) -> String {
    match t {
        AType::Prim(p) => p.to_string(),
        AType::Array(_) => "array".into(),
        AType::Map(_) => "map".into(),
        AType::Union(_) => "union".into(),
        AType::Record { name, .. } | AType::Enum { name, .. } | AType::Fixed { name, .. } => {
            name.clone()
        }
    }
}

/// Unions hold no union and no two branches of the same type or name.
fn push_branch(branches: &mut Vec<AType>, b: AType) {
    if let AType::Union(inner) = b {
        for b in inner {
            push_branch(branches, b);
        }
        return;
    }
    let key = branch_key(&b);
    if !branches.iter().any(|x| branch_key(x) == key) {
        branches.push(b);
    }
}

/// The schema's JSON. A named type seen before is written by name; `defined` tracks them.
pub fn render(t: &AType, defined: &mut Vec<String>) -> Value {
    match t {
        AType::Prim(p) => json!(p),
        AType::Array(i) => json!({"type": "array", "items": render(i, defined)}),
        AType::Map(i) => json!({"type": "map", "values": render(i, defined)}),
        AType::Union(bs) => Value::Array(bs.iter().map(|b| render(b, defined)).collect()),
        AType::Record {
            name,
            aliases,
            fields,
        } => {
            if defined.contains(name) {
                return json!(name);
            }
            defined.push(name.clone());
            let fields: Vec<Value> = fields
                .iter()
                .map(|f| {
                    let mut o = Map::new();
                    o.insert("name".into(), json!(f.name));
                    o.insert("type".into(), render(&f.ty, defined));
                    if !f.aliases.is_empty() {
                        o.insert("aliases".into(), json!(f.aliases));
                    }
                    if f.has_default {
                        o.insert("default".into(), default_of(&f.ty));
                    }
                    Value::Object(o)
                })
                .collect();
            let mut o = json!({"type": "record", "name": name, "fields": fields});
            if !aliases.is_empty() {
                o["aliases"] = json!(aliases);
            }
            o
        }
        AType::Enum {
            name,
            symbols,
            default,
        } => {
            if defined.contains(name) {
                return json!(name);
            }
            defined.push(name.clone());
            let mut o = json!({"type": "enum", "name": name, "symbols": symbols});
            if let Some(d) = default {
                o["default"] = json!(d);
            }
            o
        }
        AType::Fixed { name, size } => {
            if defined.contains(name) {
                return json!(name);
            }
            defined.push(name.clone());
            json!({"type": "fixed", "name": name, "size": size})
        }
    }
}

/// A default value that fits the type (for a union: its first branch).
fn default_of(t: &AType) -> Value {
    match t {
        AType::Prim("null") => Value::Null,
        AType::Prim("boolean") => json!(false),
        AType::Prim("int" | "long") => json!(0),
        AType::Prim("float" | "double") => json!(0.5),
        AType::Prim(_) => json!(""),
        AType::Array(_) => json!([]),
        AType::Map(_) => json!({}),
        AType::Union(bs) => bs.first().map(default_of).unwrap_or(Value::Null),
        AType::Record { fields, .. } => Value::Object(
            fields
                .iter()
                .map(|f| (f.name.clone(), default_of(&f.ty)))
                .collect(),
        ),
        AType::Enum { symbols, .. } => json!(symbols[0]),
        AType::Fixed { size, .. } => json!("\u{0}".repeat(*size as usize)),
    }
}

pub fn avro_source(path: &str, schema: &Value) -> Arc<SourceFile> {
    Arc::new(SourceFile::new(path, schema.to_string()))
}

/// A datum that fits a parsed writer schema, as events carry it (union values in Avro's JSON
/// encoding, so the branch is never ambiguous). `None` when the input ran out or the schema has
/// no finite value within the depth bound.
pub fn avro_datum(
    u: &mut Unstructured,
    s: &AvroSchema,
    ty: TypeId,
    depth: u32,
) -> Result<Option<Value>> {
    if depth > 12 {
        return Ok(None);
    }
    let t = s.ty(ty);
    Ok(Some(match &t.kind {
        Kind::Null => Value::Null,
        Kind::Boolean => json!(u.arbitrary::<bool>()?),
        Kind::Int => json!(u.arbitrary::<i32>()?),
        Kind::Long => json!(u.arbitrary::<i64>()?),
        Kind::Float => json!(u.int_in_range(-1000i32..=1000)? as f32 / 8.0),
        Kind::Double => json!(u.int_in_range(-100_000i64..=100_000)? as f64 / 16.0),
        Kind::Bytes | Kind::String => {
            let n = u.int_in_range(0..=3)?;
            json!((0..n).map(|i| (b'a' + i) as char).collect::<String>())
        }
        Kind::Array(i) => {
            let n = u.int_in_range(0..=2)?;
            let mut items = Vec::new();
            for _ in 0..n {
                match avro_datum(u, s, *i, depth + 1)? {
                    Some(v) => items.push(v),
                    None => return Ok(None),
                }
            }
            Value::Array(items)
        }
        Kind::Map(i) => {
            let n = u.int_in_range(0..=2)?;
            let mut m = Map::new();
            for k in 0..n {
                match avro_datum(u, s, *i, depth + 1)? {
                    Some(v) => m.insert(format!("k{k}"), v),
                    None => return Ok(None),
                };
            }
            Value::Object(m)
        }
        Kind::Union(bs) => {
            let b = *u.choose(bs)?;
            let Some(v) = avro_datum(u, s, b, depth + 1)? else {
                return Ok(None);
            };
            let bt = s.ty(b);
            match &bt.kind {
                Kind::Null => Value::Null,
                k => {
                    let key = match k.name() {
                        Some(n) => n.fullname(),
                        None => k.type_name().to_string(),
                    };
                    json!({ key: v })
                }
            }
        }
        Kind::Record(r) => {
            let mut m = Map::new();
            for f in &r.fields {
                match avro_datum(u, s, f.ty, depth + 1)? {
                    Some(v) => m.insert(f.name.clone(), v),
                    None => return Ok(None),
                };
            }
            Value::Object(m)
        }
        Kind::Enum(e) => json!(u.choose(&e.symbols)?),
        Kind::Fixed(f) => json!("z".repeat(f.size as usize)),
    }))
}

/// JSON Schema generation: a subset of 2020-12 that the engine decides structurally.
pub fn json_schema(u: &mut Unstructured, depth: u32) -> Result<Value> {
    if depth >= MAX_DEPTH {
        return leaf_schema(u);
    }
    Ok(match u.int_in_range(0..=9)? {
        0..=3 => leaf_schema(u)?,
        4 | 5 => {
            let mut props = Map::new();
            let n = u.int_in_range(0..=3)?;
            for name in &FIELDS[..n] {
                props.insert(name.to_string(), json_schema(u, depth + 1)?);
            }
            let required: Vec<&str> = FIELDS[..n]
                .iter()
                .copied()
                .filter(|_| u.arbitrary().unwrap_or(false))
                .collect();
            let mut o = json!({"type": "object", "properties": props, "required": required});
            match u.int_in_range(0..=3)? {
                0 => o["additionalProperties"] = json!(false),
                1 => o["additionalProperties"] = json_schema(u, depth + 1)?,
                2 => {
                    o["patternProperties"] = json!({"^x": json_schema(u, depth + 1)?});
                    o["additionalProperties"] = json!(false);
                }
                _ => {}
            }
            o
        }
        6 => {
            let mut o = json!({"type": "array", "items": json_schema(u, depth + 1)?});
            if u.arbitrary()? {
                o["minItems"] = json!(u.int_in_range(0..=2)?);
            }
            if u.arbitrary()? {
                o["maxItems"] = json!(u.int_in_range(1..=3)?);
            }
            o
        }
        7 => {
            let key = *u.choose(&["anyOf", "oneOf", "allOf"])?;
            let n = u.int_in_range(1..=3)?;
            let mut branches = Vec::new();
            for _ in 0..n {
                branches.push(json_schema(u, depth + 1)?);
            }
            json!({ key: branches })
        }
        8 => json!({"not": json_schema(u, depth + 1)?}),
        _ => json!({"type": ["string", "null"], "maxLength": u.int_in_range(0..=3)?}),
    })
}

fn small_value(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.int_in_range(-2i64..=3)?),
        3 => json!(u.int_in_range(-4i64..=4)? as f64 / 2.0),
        4 => json!(*u.choose(&["", "a", "ab", "x1"])?),
        _ => json!(*u.choose(&["b", "abc"])?),
    })
}

fn leaf_schema(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=10)? {
        0 => json!({}),
        1 => json!(true),
        2 => json!(false),
        3 => {
            let mut o = json!({"type": "string"});
            if u.arbitrary()? {
                o["minLength"] = json!(u.int_in_range(0..=2)?);
            }
            if u.arbitrary()? {
                o["maxLength"] = json!(u.int_in_range(0..=3)?);
            }
            if u.ratio(1, 4)? {
                o["pattern"] = json!(*u.choose(&["^a", "b$", "^[a-z]*$"])?);
            }
            o
        }
        4 => {
            let t = *u.choose(&["number", "integer"])?;
            let mut o = json!({ "type": t });
            if u.arbitrary()? {
                o["minimum"] = json!(u.int_in_range(-2i64..=2)?);
            }
            if u.arbitrary()? {
                o["exclusiveMaximum"] = json!(u.int_in_range(-1i64..=4)?);
            }
            if u.ratio(1, 4)? {
                o["multipleOf"] = json!(*u.choose(&[1, 2, 3])?);
            }
            o
        }
        5 => json!({"type": *u.choose(&["boolean", "null", "integer", "string"])?}),
        6 => {
            let n = u.int_in_range(1..=4)?;
            let mut values = Vec::new();
            for _ in 0..n {
                let v = small_value(u)?;
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            json!({ "enum": values })
        }
        7 => json!({"const": small_value(u)?}),
        8 => json!({"type": ["integer", "string"]}),
        _ => json!({"type": "number"}),
    })
}

/// A reader made from a writer by one or a few local changes (or the writer itself).
pub fn json_evolve(u: &mut Unstructured, s: &Value, depth: u32) -> Result<Value> {
    if u.ratio(1, 6)? || depth > MAX_DEPTH + 1 {
        return json_schema(u, depth);
    }
    let Value::Object(o) = s else {
        return Ok(s.clone());
    };
    let mut o = o.clone();
    for (k, v) in o.iter_mut() {
        match (k.as_str(), v) {
            ("properties" | "patternProperties", Value::Object(props)) => {
                for p in props.values_mut() {
                    *p = json_evolve(u, p, depth + 1)?;
                }
                if u.ratio(1, 5)? {
                    let name = *u.choose(&FIELDS)?;
                    props.insert(name.into(), json_schema(u, depth + 1)?);
                }
                if u.ratio(1, 5)? && !props.is_empty() {
                    let i = u.choose_index(props.len())?;
                    let key = props.keys().nth(i).cloned().unwrap_or_default();
                    props.remove(&key);
                }
            }
            ("required", Value::Array(req)) => {
                if u.ratio(1, 4)? {
                    req.push(json!(*u.choose(&FIELDS)?));
                    req.dedup();
                } else if u.ratio(1, 4)? {
                    req.pop();
                }
            }
            ("items" | "not" | "additionalProperties", v) => *v = json_evolve(u, v, depth + 1)?,
            ("anyOf" | "oneOf" | "allOf", Value::Array(bs)) => {
                for b in bs.iter_mut() {
                    *b = json_evolve(u, b, depth + 1)?;
                }
                if u.ratio(1, 4)? {
                    bs.push(json_schema(u, depth + 1)?);
                } else if bs.len() > 1 && u.ratio(1, 4)? {
                    bs.pop();
                }
            }
            ("enum", Value::Array(vs)) => {
                if u.arbitrary()? {
                    vs.push(small_value(u)?);
                    vs.dedup();
                } else if vs.len() > 1 {
                    vs.pop();
                }
            }
            (
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minimum"
                | "exclusiveMaximum",
                Value::Number(n),
            ) => {
                if u.arbitrary()? {
                    let d: i64 = *u.choose(&[-1, 1])?;
                    let x = n.as_i64().unwrap_or(0) + d;
                    *n = serde_json::Number::from(x.max(0));
                }
            }
            _ => {}
        }
    }
    if u.ratio(1, 8)? {
        o.remove("additionalProperties");
    }
    Ok(Value::Object(o))
}

/// Instances to try against a compatible pair: small values, and values built from the writer's
/// own `enum`/`const` and property names, so the interesting ones are reached.
pub fn json_instance(u: &mut Unstructured, depth: u32) -> Result<Value> {
    if depth > 3 {
        return small_value(u);
    }
    Ok(match u.int_in_range(0..=5)? {
        0..=2 => small_value(u)?,
        3 => {
            let n = u.int_in_range(0..=3)?;
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(json_instance(u, depth + 1)?);
            }
            Value::Array(items)
        }
        _ => {
            let mut m = Map::new();
            for name in FIELDS.iter().chain(["x1"].iter()) {
                if u.ratio(1, 3)? {
                    m.insert(name.to_string(), json_instance(u, depth + 1)?);
                }
            }
            Value::Object(m)
        }
    })
}

pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// With `EVREG_FUZZ_LAST_INPUT=FILE` set, each input is written to FILE before it runs: a crash
/// that kills the process before libFuzzer can save its input (a stack overflow in a build
/// without a sanitizer leaves no handler able to run) still leaves the input there.
pub fn keep_last_input(data: &[u8]) {
    static PATH: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    if let Some(path) = PATH.get_or_init(|| {
        std::env::var_os("EVREG_FUZZ_LAST_INPUT").map(std::path::PathBuf::from)
    }) {
        let _ = std::fs::write(path, data);
    }
}
