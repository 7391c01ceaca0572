//! Model types as Rust: the type expressions, the definitions (structs, enums, unions, fixed
//! bytes, newtypes) and the support types they use (`Bytes`, `Decimal`, date/time adapters).

use super::text::{Expr, Writer, doc_lines, string_literal, wl};
use super::{Options, TimeCrate};
use crate::codegen::model::{Def, DefKind, Enum, Struct, TimeKind, Ty, TypeSpace, Variant};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` lines of schema text, made safe by [`doc_lines`].
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let lines = doc_lines(doc).into_iter().map(|l| {
        let text = if l.is_empty() { l } else { format!(" {l}") };
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

/// Does the model use a support type, so it must be emitted?
#[derive(Debug, Default, Clone, Copy)]
pub struct Support {
    pub bytes: bool,
    pub decimal: bool,
    /// Date/time kinds mapped to a date/time crate, as a bit set over `TIME_KINDS`.
    pub times: u16,
}

impl Support {
    /// What either needs.
    pub fn or(self, other: Support) -> Support {
        Support {
            bytes: self.bytes || other.bytes,
            decimal: self.decimal || other.decimal,
            times: self.times | other.times,
        }
    }
}

pub const TIME_KINDS: [TimeKind; 9] = [
    TimeKind::Date,
    TimeKind::TimeMillis,
    TimeKind::TimeMicros,
    TimeKind::TimestampMillis,
    TimeKind::TimestampMicros,
    TimeKind::TimestampNanos,
    TimeKind::LocalTimestampMillis,
    TimeKind::LocalTimestampMicros,
    TimeKind::LocalTimestampNanos,
];

fn time_bit(k: TimeKind) -> u16 {
    1 << TIME_KINDS.iter().position(|x| *x == k).unwrap_or(0)
}

pub struct Emitter<'a> {
    pub space: &'a TypeSpace,
    pub options: &'a Options,
}

impl Emitter<'_> {
    fn rust_decimal(&self, precision: u64) -> bool {
        // rust_decimal holds 28 significant digits; wider decimals keep the text type.
        self.options.rust_decimal && precision <= 28
    }

    /// The Rust type of a model type. Date/time kinds are their integers here; only a field (or
    /// an optional field) holds a date/time crate's type, through `field_ty`.
    pub fn ty(&self, ty: &Ty) -> String {
        match ty {
            Ty::Unit => "()".into(),
            Ty::Bool => "bool".into(),
            Ty::I32 => "i32".into(),
            Ty::I64 => "i64".into(),
            Ty::F32 => "f32".into(),
            Ty::F64 => "f64".into(),
            Ty::String => "String".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::Decimal { precision, .. } if self.rust_decimal(*precision) => {
                "::rust_decimal::Decimal".into()
            }
            Ty::Decimal { .. } => "Decimal".into(),
            Ty::Uuid if self.options.uuid => "::uuid::Uuid".into(),
            Ty::Uuid => "String".into(),
            Ty::Time(k) if k.is_int() => "i32".into(),
            Ty::Time(_) => "i64".into(),
            Ty::Json => "::serde_json::Value".into(),
            Ty::Option(t) => format!("Option<{}>", self.ty(t)),
            Ty::Vec(t) => format!("Vec<{}>", self.ty(t)),
            Ty::Map(t) => format!("::std::collections::BTreeMap<String, {}>", self.ty(t)),
            Ty::Boxed(t) => format!("Box<{}>", self.ty(t)),
            Ty::Def(d) => self.space.def(*d).name.clone(),
        }
    }

    /// A date/time kind a field holds as a date/time crate's type: (kind, optional).
    pub fn converted_time(&self, ty: &Ty) -> Option<(TimeKind, bool)> {
        self.options.time?;
        match ty {
            Ty::Time(k) => Some((*k, false)),
            Ty::Option(inner) => match inner.as_ref() {
                Ty::Time(k) => Some((*k, true)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A field's type and the serde adapter it needs, if any.
    pub fn field_ty(&self, ty: &Ty) -> (String, Option<String>) {
        match (self.converted_time(ty), self.options.time) {
            (Some((k, optional)), Some(c)) => {
                let t = time_type(c, k);
                let module = time_module(k);
                if optional {
                    (
                        format!("Option<{t}>"),
                        Some(format!("time_serde::{module}::option")),
                    )
                } else {
                    (t, Some(format!("time_serde::{module}")))
                }
            }
            _ => (self.ty(ty), None),
        }
    }

    pub fn support(&self) -> Support {
        let mut s = Support::default();
        for def in &self.space.defs {
            match &def.kind {
                DefKind::Struct(st) => {
                    for f in &st.fields {
                        if let Some((k, _)) = self.converted_time(&f.ty) {
                            s.times |= time_bit(k);
                        }
                        self.note(&f.ty, &mut s);
                    }
                }
                DefKind::Union(vs) => vs.iter().for_each(|v| self.note(&v.ty, &mut s)),
                DefKind::Newtype(t) => self.note(t, &mut s),
                DefKind::Fixed { .. } => s.bytes = true,
                DefKind::Enum(_) | DefKind::Pending => {}
            }
        }
        s
    }

    fn note(&self, ty: &Ty, s: &mut Support) {
        match ty {
            Ty::Bytes => s.bytes = true,
            Ty::Decimal { precision, .. } if !self.rust_decimal(*precision) => s.decimal = true,
            Ty::Option(t) | Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => self.note(t, s),
            _ => {}
        }
    }

    /// Write a definition (nothing for one shared with an earlier version).
    pub fn def(&self, def: &Def, w: &mut Writer) {
        let name = &def.name;
        match &def.kind {
            DefKind::Struct(s) => self.structure(name, def.doc.as_deref(), s, w),
            DefKind::Enum(e) => enumeration(name, def.doc.as_deref(), e, w),
            DefKind::Union(vs) => self.union(name, def.doc.as_deref(), vs, w),
            DefKind::Fixed { size } => fixed(name, def.doc.as_deref(), *size, w),
            DefKind::Newtype(t) => {
                w.blank();
                w.doc(def.doc.as_deref());
                w.line("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]");
                w.line("#[serde(transparent)]");
                wl!(w, "pub struct {name}(pub {});", self.ty(t));
            }
            DefKind::Pending => {}
        }
    }

    fn structure(&self, name: &str, doc: Option<&str>, s: &Struct, w: &mut Writer) {
        let mut defaults: Vec<(String, String, Expr, &str)> = Vec::new();
        w.blank();
        w.doc(doc);
        w.line("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]");
        if s.deny_unknown {
            w.line("#[serde(deny_unknown_fields)]");
        }
        if s.fields.is_empty() {
            wl!(w, "pub struct {name} {{}}");
        } else {
            w.open(&format!("pub struct {name}"));
            for f in &s.fields {
                let (ty, with) = self.field_ty(&f.ty);
                let mut serde = Vec::new();
                if f.name != f.json {
                    serde.push(format!("rename = {}", string_literal(&f.json)));
                }
                for alias in &f.aliases {
                    serde.push(format!("alias = {}", string_literal(alias)));
                }
                let adapter = with.is_some();
                if let Some(with) = with {
                    serde.push(format!("with = {}", string_literal(&with)));
                }
                let null_default = matches!(f.default, Some(Value::Null));
                if let Some(default) = &f.default
                    && let Some(expr) = self.value(&f.ty, default)
                {
                    let dname = default_fn(&f.name);
                    // A missing `Option` reads as `None` by itself, unless an adapter reads it.
                    if !null_default || adapter {
                        serde.push(format!("default = \"{name}::{dname}\""));
                    }
                    defaults.push((dname, ty.clone(), expr, &f.json));
                } else if matches!(f.ty, Ty::Option(_)) && (adapter || f.omit_none) {
                    serde.push("default".into());
                }
                if f.omit_none && matches!(f.ty, Ty::Option(_)) {
                    serde.push("skip_serializing_if = \"Option::is_none\"".into());
                }
                w.doc(f.doc.as_deref());
                w.attr_list("serde", &serde);
                w.typed(&format!("pub {}: ", f.name), &ty, ",");
            }
            w.close("");
        }
        if !defaults.is_empty() {
            w.blank();
            w.open(&format!("impl {name}"));
            for (dname, ty, expr, json) in &defaults {
                wl!(w, "/// The schema's default for `{json}`.");
                let sig = format!("pub fn {dname}() -> {ty} {{");
                if (w.depth() + 1) * 4 + sig.len() <= super::text::WIDTH {
                    w.line(&sig);
                } else {
                    // As rustfmt: the return type on a line of its own.
                    wl!(w, "pub fn {dname}()");
                    w.typed("-> ", ty, " {");
                }
                w.open_level();
                w.expr("", expr, "");
                w.close("");
            }
            w.close("");
        }
    }

    fn union(&self, name: &str, doc: Option<&str>, vs: &[Variant], w: &mut Writer) {
        w.blank();
        match doc {
            Some(d) => w.doc(Some(d)),
            None => w.line(
                "/// One of several types; in JSON the bare value, read as the first variant that accepts it.",
            ),
        }
        w.line("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]");
        w.line("#[serde(untagged)]");
        w.open(&format!("pub enum {name}"));
        for v in vs {
            if v.ty == Ty::Unit {
                wl!(w, "{},", v.name);
            } else {
                wl!(w, "{}({}),", v.name, self.ty(&v.ty));
            }
        }
        w.close("");
    }

    /// A Rust expression of type `ty` for a JSON value in the event representation, or None when
    /// the value does not fit the type.
    pub fn value(&self, ty: &Ty, v: &Value) -> Option<Expr> {
        Some(match (ty, v) {
            (Ty::Unit, Value::Null) => Expr::atom("()"),
            (Ty::Bool, Value::Bool(b)) => Expr::atom(b.to_string()),
            (Ty::I32 | Ty::Time(TimeKind::Date | TimeKind::TimeMillis), Value::Number(n)) => {
                let n = i32::try_from(n.as_i64()?).ok()?;
                self.time_value(ty, Expr::atom(n.to_string()))
            }
            (Ty::I64 | Ty::Time(_), Value::Number(n)) => {
                self.time_value(ty, Expr::atom(n.as_i64()?.to_string()))
            }
            (Ty::F32, Value::Number(n)) => {
                let f = n.as_f64()?;
                if !(f as f32).is_finite() {
                    return None;
                }
                Expr::atom(float_literal(f))
            }
            (Ty::F64, Value::Number(n)) => Expr::atom(float_literal(n.as_f64()?)),
            (Ty::String, Value::String(s)) => {
                Expr::call("String::from", vec![Expr::atom(string_literal(s))])
            }
            (Ty::Bytes, Value::String(s)) => Expr::call("Bytes", vec![bytes_expr(s)?]),
            (Ty::Decimal { precision, scale }, Value::String(s)) => {
                if self.rust_decimal(*precision) {
                    let (unscaled, scale) = unscaled(s, *scale)?;
                    Expr::call(
                        "::rust_decimal::Decimal::from_i128_with_scale",
                        vec![
                            Expr::atom(unscaled.to_string()),
                            Expr::atom(scale.to_string()),
                        ],
                    )
                } else {
                    if !decimal_syntax(s) {
                        return None;
                    }
                    Expr::call(
                        "Decimal",
                        vec![Expr::call(
                            "String::from",
                            vec![Expr::atom(string_literal(s))],
                        )],
                    )
                }
            }
            (Ty::Uuid, Value::String(s)) if self.options.uuid => {
                let n = parse_uuid(s)?;
                Expr::call(
                    "::uuid::Uuid::from_u128",
                    vec![Expr::atom(format!("{n:#034x}"))],
                )
            }
            (Ty::Uuid, Value::String(s)) => {
                Expr::call("String::from", vec![Expr::atom(string_literal(s))])
            }
            (Ty::Json, v) => Expr::call(
                "::serde_json::from_str::<::serde_json::Value>",
                vec![Expr::atom(string_literal(&v.to_string()))],
            )
            .method("unwrap_or_default", vec![]),
            (Ty::Option(_), Value::Null) => Expr::atom("None"),
            (Ty::Option(t), v) => Expr::call("Some", vec![self.value(t, v)?]),
            (Ty::Vec(t), Value::Array(xs)) => {
                let items = xs
                    .iter()
                    .map(|x| self.value(t, x))
                    .collect::<Option<Vec<_>>>()?;
                if items.is_empty() {
                    Expr::atom("Vec::new()")
                } else {
                    Expr::Macro("vec".into(), items)
                }
            }
            (Ty::Map(t), Value::Object(m)) => {
                let entries = m
                    .iter()
                    .map(|(k, x)| {
                        let k = Expr::call("String::from", vec![Expr::atom(string_literal(k))]);
                        Some(Expr::Tuple(vec![k, self.value(t, x)?]))
                    })
                    .collect::<Option<Vec<_>>>()?;
                if entries.is_empty() {
                    Expr::atom("::std::collections::BTreeMap::new()")
                } else {
                    Expr::call(
                        "::std::collections::BTreeMap::from",
                        vec![Expr::Macro(String::new(), entries)],
                    )
                }
            }
            (Ty::Boxed(t), v) => Expr::call("Box::new", vec![self.value(t, v)?]),
            (Ty::Def(d), v) => self.def_value(*d, v)?,
            _ => return None,
        })
    }

    /// An integer default of a date/time kind, as the date/time type a field holds (the adapter
    /// converts; the schema's default is in range, or `evreg check` says so).
    fn time_value(&self, ty: &Ty, raw: Expr) -> Expr {
        match (ty, self.options.time) {
            (Ty::Time(k), Some(_)) => Expr::call(
                format!("time_serde::{}::from_raw", time_module(*k)),
                vec![raw],
            )
            .method(
                "expect",
                vec![Expr::atom(
                    "\"the schema's default is a valid date or time\"",
                )],
            ),
            _ => raw,
        }
    }

    fn def_value(&self, d: usize, v: &Value) -> Option<Expr> {
        let def = self.space.def(d);
        let name = &def.name;
        Some(match (&def.kind, v) {
            (DefKind::Struct(s), Value::Object(m)) => {
                let fields = s
                    .fields
                    .iter()
                    .map(|f| {
                        let x = match m.get(&f.json) {
                            Some(x) => self.value(&f.ty, x)?,
                            None => self.value(&f.ty, f.default.as_ref()?)?,
                        };
                        Some((f.name.clone(), x))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Expr::Struct(name.clone(), fields)
            }
            (DefKind::Enum(e), Value::String(s)) => {
                let sym = e.symbols.iter().find(|x| &x.json == s)?;
                Expr::atom(format!("{name}::{}", sym.name))
            }
            (DefKind::Union(vs), v) => vs.iter().find_map(|var| {
                if var.ty == Ty::Unit {
                    v.is_null()
                        .then(|| Expr::atom(format!("{name}::{}", var.name)))
                } else {
                    let x = self.value(&var.ty, v)?;
                    Some(Expr::call(format!("{name}::{}", var.name), vec![x]))
                }
            })?,
            (DefKind::Fixed { size }, Value::String(s)) => {
                let bytes = bytes_expr(s)?;
                if s.chars().count() as u64 != *size {
                    return None;
                }
                Expr::call(name.clone(), vec![bytes])
            }
            (DefKind::Newtype(t), v) => Expr::call(name.clone(), vec![self.value(t, v)?]),
            _ => return None,
        })
    }
}

/// The name of the function that gives a field's default.
pub fn default_fn(field: &str) -> String {
    format!("default_{}", field.trim_start_matches('_'))
}

fn enumeration(name: &str, doc: Option<&str>, e: &Enum, w: &mut Writer) {
    w.blank();
    w.doc(doc);
    if let Some(i) = e.fallback {
        if doc.is_some_and(|d| !d.trim().is_empty()) {
            w.line("///");
        }
        wl!(
            w,
            "/// A symbol this version does not know reads as `{}` (the schema's default).",
            e.symbols[i].name
        );
    }
    w.line("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]");
    w.open(&format!("pub enum {name}"));
    // serde reads unknown strings as the `other` variant, which must come last.
    let mut order: Vec<usize> = (0..e.symbols.len())
        .filter(|i| e.fallback != Some(*i))
        .collect();
    order.extend(e.fallback);
    for i in order {
        let s = &e.symbols[i];
        let json = string_literal(&s.json);
        if e.fallback == Some(i) {
            wl!(w, "#[serde(rename = {json}, other)]");
        } else if s.name != s.json {
            wl!(w, "#[serde(rename = {json})]");
        }
        wl!(w, "{},", s.name);
    }
    w.close("");
}

fn fixed(name: &str, doc: Option<&str>, size: u64, w: &mut Writer) {
    w.blank();
    w.doc(doc);
    if doc.is_some_and(|d| !d.trim().is_empty()) {
        w.line("///");
    }
    wl!(w, "/// Exactly {size} bytes; in JSON like [`Bytes`].");
    w.line("#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]");
    w.line("#[serde(try_from = \"Bytes\", into = \"Bytes\")]");
    wl!(w, "pub struct {name}(pub Vec<u8>);");
    w.blank();
    w.open(&format!("impl TryFrom<Bytes> for {name}"));
    w.line("type Error = String;");
    w.open("fn try_from(bytes: Bytes) -> Result<Self, String>");
    w.open(&format!("if bytes.0.len() == {size}"));
    wl!(w, "Ok({name}(bytes.0))");
    w.reopen("else");
    wl!(
        w,
        "Err(format!(\"expected {size} bytes, found {{}}\", bytes.0.len()))"
    );
    w.close("");
    w.close("");
    w.close("");
    w.blank();
    w.open(&format!("impl From<{name}> for Bytes"));
    w.open(&format!("fn from(value: {name}) -> Bytes"));
    w.line("Bytes(value.0)");
    w.close("");
    w.close("");
}

/// A float literal that reads back as the same value (`1.0`, `0.25`, `1e300`).
fn float_literal(f: f64) -> String {
    let s = format!("{f:?}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// `vec![0, 1, 255]` from a string of code points 0-255.
fn bytes_expr(s: &str) -> Option<Expr> {
    let bytes = s
        .chars()
        .map(|c| u8::try_from(c).ok().map(|b| Expr::atom(b.to_string())))
        .collect::<Option<Vec<_>>>()?;
    Some(if bytes.is_empty() {
        Expr::atom("Vec::new()")
    } else {
        Expr::Macro("vec".into(), bytes)
    })
}

/// `-?digits(.digits)?`
pub fn decimal_syntax(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// The unscaled integer and scale of decimal text, at least `scale` digits after the point.
fn unscaled(s: &str, scale: u64) -> Option<(i128, u32)> {
    if !decimal_syntax(s) {
        return None;
    }
    let neg = s.starts_with('-');
    let s = s.trim_start_matches('-');
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let scale = (scale as usize).max(frac.len());
    let digits = format!("{int}{frac:0<scale$}");
    let n: i128 = digits.parse().ok()?;
    Some((if neg { -n } else { n }, u32::try_from(scale).ok()?))
}

fn parse_uuid(s: &str) -> Option<u128> {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || s.len() != 36 {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

/// The date/time crate type of a kind.
pub fn time_type(c: TimeCrate, k: TimeKind) -> String {
    use TimeKind::*;
    match (c, k) {
        (TimeCrate::Chrono, Date) => "::chrono::NaiveDate",
        (TimeCrate::Chrono, TimeMillis | TimeMicros) => "::chrono::NaiveTime",
        (TimeCrate::Chrono, TimestampMillis | TimestampMicros | TimestampNanos) => {
            "::chrono::DateTime<::chrono::Utc>"
        }
        (TimeCrate::Chrono, _) => "::chrono::NaiveDateTime",
        (TimeCrate::Time, Date) => "::time::Date",
        (TimeCrate::Time, TimeMillis | TimeMicros) => "::time::Time",
        (TimeCrate::Time, TimestampMillis | TimestampMicros | TimestampNanos) => {
            "::time::OffsetDateTime"
        }
        (TimeCrate::Time, _) => "::time::PrimitiveDateTime",
    }
    .to_string()
}

pub fn time_module(k: TimeKind) -> String {
    k.avro_name().replace('-', "_")
}
