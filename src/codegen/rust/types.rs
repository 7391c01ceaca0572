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
    /// JSON Schema `format: date` fields as `time::Date` (their text adapter).
    pub date_text: bool,
}

/// A value a field holds as a date/time crate's type through a serde adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Converted {
    /// An Avro date/time logical type, kept as an integer in JSON.
    Avro(TimeKind),
    /// JSON Schema `format: date-time` as `time::OffsetDateTime` (RFC 3339 text).
    DateTimeText,
    /// JSON Schema `format: date` as `time::Date` (`YYYY-MM-DD`).
    DateText,
}

impl Support {
    /// What either needs.
    pub fn or(self, other: Support) -> Support {
        Support {
            bytes: self.bytes || other.bytes,
            decimal: self.decimal || other.decimal,
            times: self.times | other.times,
            date_text: self.date_text || other.date_text,
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
    /// The subject is Avro: unions read Avro's JSON encoding too, numbers follow Avro's types.
    pub avro: bool,
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
            Ty::DateTimeText if self.options.time == Some(TimeCrate::Chrono) => {
                "::chrono::DateTime<::chrono::FixedOffset>".into()
            }
            Ty::DateText if self.options.time == Some(TimeCrate::Chrono) => {
                "::chrono::NaiveDate".into()
            }
            Ty::DateTimeText | Ty::DateText => "String".into(),
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

    /// The decoder (a value of the generated `de` module's `Decoder` types) that reads a model
    /// type from JSON as `evreg validate` accepts it.
    pub fn decoder(&self, ty: &Ty) -> String {
        match ty {
            Ty::Unit => "de::Null".into(),
            Ty::Bool => "de::Bool".into(),
            Ty::I32 => "de::Int".into(),
            Ty::I64 if self.avro => "de::Long".into(),
            Ty::I64 => "de::Integer".into(),
            Ty::F32 => "de::Float".into(),
            Ty::F64 if self.avro => "de::Double".into(),
            Ty::F64 => "de::Number".into(),
            Ty::String => "de::Str".into(),
            Ty::Bytes => "de::of::<Bytes>()".into(),
            Ty::Decimal { precision, scale } if self.rust_decimal(*precision) => {
                format!("de::RustDecimal::<{precision}, {scale}>")
            }
            Ty::Decimal { precision, scale } => format!("DecimalOf::<{precision}, {scale}>"),
            Ty::Uuid if self.options.uuid => "de::Uuid".into(),
            Ty::Uuid => "de::UuidText".into(),
            Ty::DateTimeText if self.options.time == Some(TimeCrate::Chrono) => {
                "de::ChronoDateTime".into()
            }
            Ty::DateText if self.options.time == Some(TimeCrate::Chrono) => "de::ChronoDate".into(),
            Ty::DateTimeText => "de::DateTimeText".into(),
            Ty::DateText => "de::DateText".into(),
            Ty::Time(k) => raw_time_decoder(*k).into(),
            Ty::Json => "de::Any".into(),
            Ty::Option(t) if self.avro => format!("de::Opt({})", self.decoder(t)),
            Ty::Option(t) => format!("de::Nullable({})", self.decoder(t)),
            Ty::Vec(t) => format!("de::Vec({})", self.decoder(t)),
            Ty::Map(t) => format!("de::Map({})", self.decoder(t)),
            Ty::Boxed(t) => format!("de::Boxed({})", self.decoder(t)),
            Ty::Def(d) => format!("de::of::<{}>()", self.space.def(*d).name),
        }
    }

    /// The encoder (`runtime.rs`'s `en` module) a value of `ty` is written through, when its
    /// derived `Serialize` would not write the JSON the event needs: Avro's non-finite floats,
    /// at any depth.
    pub fn encoder(&self, ty: &Ty) -> Option<String> {
        let inner = |t: &Ty, wrap: &str| self.encoder(t).map(|e| format!("de::en::{wrap}<{e}>"));
        match ty {
            Ty::F32 if self.avro => Some("de::en::Float".into()),
            Ty::F64 if self.avro => Some("de::en::Double".into()),
            Ty::Option(t) => inner(t, "Opt"),
            Ty::Vec(t) => inner(t, "Vec"),
            Ty::Map(t) => inner(t, "Map"),
            Ty::Boxed(t) => inner(t, "Boxed"),
            _ => None,
        }
    }

    /// The `serialize_with` attribute value for a value of `ty` that needs an encoder.
    fn serialize_with(&self, ty: &Ty) -> Option<String> {
        let e = self.encoder(ty)?;
        Some(format!(
            "serialize_with = {}",
            string_literal(&format!("de::en::ser::<{e}, _>"))
        ))
    }

    /// A field's decoder: a date/time crate's type through its adapter, else `decoder`.
    /// `absent_only`: the field is `Option` only because it may be absent (null is no value).
    fn field_decoder(&self, ty: &Ty, absent_only: bool) -> String {
        let Some((conv, optional)) = self.converted_time(ty) else {
            return self.decoder(ty);
        };
        let d = match conv {
            Converted::Avro(k) => format!("time_serde::{}::Read", time_module(k)),
            Converted::DateTimeText => "de::TimeDateTime".to_string(),
            Converted::DateText => "de::TimeDate".to_string(),
        };
        match (optional && !absent_only, self.avro) {
            (false, _) => d,
            (true, true) => format!("de::Opt({d})"),
            (true, false) => format!("de::Nullable({d})"),
        }
    }

    /// The names a definition goes by in Avro's JSON encoding of a union: its full name and
    /// its name (an Avro definition's key is its full name).
    fn tags(&self, def: &Def) -> Vec<Expr> {
        if !self.avro || def.key.is_empty() {
            return Vec::new();
        }
        let short = def.key.rsplit('.').next().unwrap_or(&def.key);
        let mut tags = vec![Expr::atom(string_literal(&def.key))];
        if short != def.key {
            tags.push(Expr::atom(string_literal(short)));
        }
        tags
    }

    /// `impl de::Decode for Name` around a body that reads `v` at `at` into `Self`, and the
    /// serde `Deserialize` that goes through it.
    fn decode_impl(&self, def: &Def, body: impl FnOnce(&mut Writer), w: &mut Writer) {
        let name = &def.name;
        w.blank();
        w.open(&format!("impl de::Decode for {name}"));
        let tags = Expr::Macro(String::new(), self.tags(def));
        let head = "const TAGS: &'static [&'static str] =";
        let flat = tags.flat().unwrap_or_default();
        let depth = w.depth() * 4;
        // rustfmt lays an array wider than 60 columns (`array_width`) out one item per line.
        if flat.len() <= 60
            && depth + head.len() + flat.len() + 3 > super::text::WIDTH
            && depth + 4 + flat.len() + 2 <= super::text::WIDTH
        {
            // As rustfmt: a value that fits on the next line goes there whole.
            w.line(head);
            w.open_level();
            wl!(w, "&{flat};");
            w.close_level();
        } else {
            w.expr(&format!("{head} &"), &tags, ";");
        }
        w.open("fn decode(v: &::serde_json::Value, at: &de::At<'_>) -> de::Result<Self>");
        body(w);
        w.close("");
        w.close("");
        w.blank();
        w.open(&format!("impl<'de> Deserialize<'de> for {name}"));
        w.open(
            "fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>",
        );
        w.line("de::deserialize(deserializer)");
        w.close("");
        w.close("");
    }

    /// A date/time value a field holds as a date/time crate's type through an adapter:
    /// (what it is, optional). Chrono's text types need none: their serde writes the text.
    pub fn converted_time(&self, ty: &Ty) -> Option<(Converted, bool)> {
        let time = self.options.time?;
        let one = |t: &Ty| match t {
            Ty::Time(k) => Some(Converted::Avro(*k)),
            Ty::DateTimeText if time == TimeCrate::Time => Some(Converted::DateTimeText),
            Ty::DateText if time == TimeCrate::Time => Some(Converted::DateText),
            _ => None,
        };
        match ty {
            Ty::Option(inner) => one(inner).map(|c| (c, true)),
            t => one(t).map(|c| (c, false)),
        }
    }

    /// A field's type and the serde adapter it needs, if any.
    pub fn field_ty(&self, ty: &Ty) -> (String, Option<String>) {
        let Some((conv, optional)) = self.converted_time(ty) else {
            return (self.ty(ty), None);
        };
        let (t, module) = match (conv, self.options.time) {
            (Converted::Avro(k), Some(c)) => {
                (time_type(c, k), format!("time_serde::{}", time_module(k)))
            }
            (Converted::DateTimeText, _) => (
                "::time::OffsetDateTime".to_string(),
                "::time::serde::rfc3339".to_string(),
            ),
            (Converted::DateText | Converted::Avro(_), _) => (
                "::time::Date".to_string(),
                "time_serde::date_text".to_string(),
            ),
        };
        if optional {
            (format!("Option<{t}>"), Some(format!("{module}::option")))
        } else {
            (t, Some(module))
        }
    }

    pub fn support(&self) -> Support {
        let mut s = Support::default();
        for def in &self.space.defs {
            match &def.kind {
                DefKind::Struct(st) => {
                    for f in &st.fields {
                        match self.converted_time(&f.ty) {
                            Some((Converted::Avro(k), _)) => s.times |= time_bit(k),
                            Some((Converted::DateText, _)) => s.date_text = true,
                            _ => {}
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
            DefKind::Struct(s) => self.structure(def, s, w),
            DefKind::Enum(e) => {
                enumeration(name, def.doc.as_deref(), e, w);
                let arms = e
                    .symbols
                    .iter()
                    .map(|s| {
                        let pat = format!("Some({})", string_literal(&s.json));
                        (pat, Expr::atom(format!("Ok({name}::{})", s.name)))
                    })
                    .chain(std::iter::once((
                        "_".to_string(),
                        Expr::call(
                            "Err",
                            vec![Expr::call(
                                "de::not_symbol",
                                vec![
                                    Expr::atom("v"),
                                    Expr::atom("at"),
                                    Expr::atom(string_literal(&symbol_list(e))),
                                ],
                            )],
                        ),
                    )))
                    .collect();
                let m = Expr::Match(Box::new(Expr::atom("v.as_str()")), arms);
                self.decode_impl(def, |w| w.expr("", &m, ""), w);
            }
            DefKind::Union(vs) => self.union(def, vs, w),
            DefKind::Fixed { size } => {
                fixed(name, def.doc.as_deref(), *size, w);
                self.decode_impl(def, |w| wl!(w, "de::fixed(v, at, {size}).map({name})"), w);
            }
            DefKind::Newtype(t) => {
                w.blank();
                w.doc(def.doc.as_deref());
                w.line("#[derive(Debug, Clone, PartialEq, Serialize)]");
                w.line("#[serde(transparent)]");
                match self.serialize_with(t) {
                    Some(with) => wl!(w, "pub struct {name}(#[serde({with})] pub {});", self.ty(t)),
                    None => wl!(w, "pub struct {name}(pub {});", self.ty(t)),
                }
                let read = Expr::call(
                    "de::read",
                    vec![
                        Expr::atom(self.decoder(t)),
                        Expr::atom("v"),
                        Expr::atom("at"),
                    ],
                )
                .method("map", vec![Expr::atom(name.clone())]);
                self.decode_impl(def, |w| w.expr("", &read, ""), w);
            }
            DefKind::Pending => {}
        }
    }

    fn structure(&self, def: &Def, s: &Struct, w: &mut Writer) {
        let name = &def.name;
        let mut defaults: Vec<(String, String, Expr, &str)> = Vec::new();
        // How each field reads: `r.req("json", decoder)?` and the like.
        let mut reads: Vec<(String, Expr)> = Vec::new();
        w.blank();
        w.doc(def.doc.as_deref());
        w.line("#[derive(Debug, Clone, PartialEq, Serialize)]");
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
                if let Some(with) = with {
                    serde.push(format!(
                        "serialize_with = {}",
                        string_literal(&format!("{with}::serialize"))
                    ));
                } else if let Some(with) = self.serialize_with(&f.ty) {
                    serde.push(with);
                }
                let json = Expr::atom(string_literal(&f.json));
                let (decoder, optional) = match (&f.ty, f.absent_only) {
                    // Absent is `None`; present, the value itself.
                    (Ty::Option(inner), true) if self.converted_time(&f.ty).is_none() => {
                        (Expr::atom(self.decoder(inner)), true)
                    }
                    (_, absent_only) => (
                        Expr::atom(self.field_decoder(&f.ty, absent_only)),
                        absent_only,
                    ),
                };
                let null_default = matches!(f.default, Some(Value::Null));
                let default = f
                    .default
                    .as_ref()
                    .and_then(|d| Some((d, self.field_value(&f.ty, d)?)));
                let dname = default_fn(&f.name);
                let has_default = default.is_some();
                if let Some((_, expr)) = default {
                    defaults.push((dname.clone(), ty.clone(), expr, &f.json));
                }
                let read = match has_default {
                    _ if optional => Expr::call("r.opt", vec![json, decoder]),
                    true if null_default && matches!(f.ty, Ty::Option(_)) => {
                        Expr::call("r.or_none", vec![json, decoder])
                    }
                    true => Expr::call(
                        "r.or",
                        vec![json, decoder, Expr::atom(format!("{name}::{dname}"))],
                    ),
                    // A JSON Schema property that is not required, nullable.
                    false if f.omit_none && matches!(f.ty, Ty::Option(_)) => {
                        Expr::call("r.or_none", vec![json, decoder])
                    }
                    false => Expr::call("r.req", vec![json, decoder]),
                };
                reads.push((f.name.clone(), Expr::Try(Box::new(read))));
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
        let what = string_literal(&format!("record {name}"));
        let closed = s.deny_unknown || self.avro;
        self.decode_impl(
            def,
            |w| {
                w.expr(
                    "let r = ",
                    &Expr::Try(Box::new(Expr::call(
                        "de::Record::new",
                        vec![Expr::atom("v"), Expr::atom("at"), Expr::atom(what)],
                    ))),
                    ";",
                );
                let value = Expr::Struct(name.clone(), reads);
                if closed {
                    w.expr("let value = ", &value, ";");
                    w.line("r.end()?;");
                    w.line("Ok(value)");
                } else {
                    w.expr("Ok(", &value, ")");
                }
            },
            w,
        );
    }

    fn union(&self, def: &Def, vs: &[Variant], w: &mut Writer) {
        let name = &def.name;
        w.blank();
        match def.doc.as_deref() {
            Some(d) => w.doc(Some(d)),
            None => w.line(
                "/// One of several types; in JSON the bare value, read as the first variant that accepts it.",
            ),
        }
        w.line("#[derive(Debug, Clone, PartialEq, Serialize)]");
        w.line("#[serde(untagged)]");
        w.open(&format!("pub enum {name}"));
        for v in vs {
            if v.ty == Ty::Unit {
                wl!(w, "{},", v.name);
            } else {
                if let Some(with) = self.serialize_with(&v.ty) {
                    wl!(w, "#[serde({with})]");
                }
                wl!(w, "{}({}),", v.name, self.ty(&v.ty));
            }
        }
        w.close("");
        let variant = |v: &Variant| {
            if v.ty == Ty::Unit {
                format!("|()| {name}::{}", v.name)
            } else {
                format!("{name}::{}", v.name)
            }
        };
        let branches: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
        self.decode_impl(
            def,
            |w| {
                // Avro's JSON encoding names the branch: `{"string": "gift"}`.
                if self.avro {
                    for v in vs {
                        let call = Expr::call(
                            "de::wrapped",
                            vec![
                                Expr::atom(self.decoder(&v.ty)),
                                Expr::atom("v"),
                                Expr::atom("at"),
                            ],
                        );
                        w.expr("if let Some(x) = ", &call, " {");
                        w.open_level();
                        wl!(w, "return x.map({});", variant(v));
                        w.close("");
                    }
                }
                for v in vs {
                    let call = Expr::call(
                        "de::read",
                        vec![
                            Expr::atom(self.decoder(&v.ty)),
                            Expr::atom("v"),
                            Expr::atom("at"),
                        ],
                    );
                    w.expr("if let Ok(x) = ", &call, " {");
                    w.open_level();
                    if v.ty == Ty::Unit {
                        wl!(w, "return Ok({name}::{});", v.name);
                    } else {
                        wl!(w, "return Ok({name}::{}(x));", v.name);
                    }
                    w.close("");
                }
                let err = Expr::call(
                    "Err",
                    vec![Expr::call(
                        "de::no_branch",
                        vec![
                            Expr::atom("v"),
                            Expr::atom("at"),
                            Expr::atom(string_literal(&branches.join(", "))),
                        ],
                    )],
                );
                w.expr("", &err, "");
            },
            w,
        );
    }

    /// A Rust expression of type `ty` for a JSON value in the event representation, or None when
    /// the value does not fit the type.
    pub fn value(&self, ty: &Ty, v: &Value) -> Option<Expr> {
        Some(match (ty, v) {
            (Ty::Unit, Value::Null) => Expr::atom("()"),
            (Ty::Bool, Value::Bool(b)) => Expr::atom(b.to_string()),
            (Ty::I32 | Ty::Time(TimeKind::Date | TimeKind::TimeMillis), Value::Number(n)) => {
                Expr::atom(i32::try_from(n.as_i64()?).ok()?.to_string())
            }
            (Ty::I64 | Ty::Time(_), Value::Number(n)) => Expr::atom(n.as_i64()?.to_string()),
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
                    if !crate::validate::syntax::is_decimal(s) {
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
            (Ty::DateTimeText | Ty::DateText, Value::String(s))
                if self.options.time != Some(TimeCrate::Chrono) =>
            {
                Expr::call("String::from", vec![Expr::atom(string_literal(s))])
            }
            // A default that is no date-time or date has no value of the type.
            (Ty::DateTimeText, Value::String(s)) => {
                crate::validate::syntax::parse_rfc3339(s)?;
                Expr::call(
                    "::chrono::DateTime::parse_from_rfc3339",
                    vec![Expr::atom(string_literal(s))],
                )
                .method("expect", vec![Expr::atom("\"a valid RFC 3339 date-time\"")])
            }
            (Ty::DateText, Value::String(s)) => {
                crate::validate::syntax::parse_date(s)?;
                Expr::atom(format!(
                    "{}.parse::<::chrono::NaiveDate>()",
                    string_literal(s)
                ))
                .method("expect", vec![Expr::atom("\"a valid date\"")])
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

    /// A Rust expression for a field's value: a date/time it holds as a crate's type (see
    /// `converted_time`) converted from its JSON, else `value`. A default out of range or not a
    /// date has no expression (`evreg check` reports such defaults).
    fn field_value(&self, ty: &Ty, v: &Value) -> Option<Expr> {
        let Some((conv, optional)) = self.converted_time(ty) else {
            return self.value(ty, v);
        };
        let inner = match ty {
            Ty::Option(t) => t.as_ref(),
            t => t,
        };
        if optional && v.is_null() {
            return Some(Expr::atom("None"));
        }
        let expect = |e: Expr| {
            e.method(
                "expect",
                vec![Expr::atom(
                    "\"the schema's default is a valid date or time\"",
                )],
            )
        };
        let converted = match (conv, v) {
            (Converted::Avro(k), v) => expect(Expr::call(
                format!("time_serde::{}::from_raw", time_module(k)),
                vec![self.value(inner, v)?],
            )),
            (Converted::DateTimeText, Value::String(s)) => {
                crate::validate::syntax::parse_rfc3339(s)?;
                expect(Expr::call(
                    "::time::OffsetDateTime::parse",
                    vec![
                        Expr::atom(string_literal(s)),
                        Expr::atom("&::time::format_description::well_known::Rfc3339"),
                    ],
                ))
            }
            (Converted::DateText, Value::String(s)) => {
                crate::validate::syntax::parse_date(s)?;
                expect(Expr::call(
                    "time_serde::date_text::parse",
                    vec![Expr::atom(string_literal(s))],
                ))
            }
            _ => return None,
        };
        Some(if optional {
            Expr::call("Some", vec![converted])
        } else {
            converted
        })
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
                            Some(x) => self.field_value(&f.ty, x)?,
                            None => self.field_value(&f.ty, f.default.as_ref()?)?,
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

/// An enum's symbols as a decode error lists them: the first twelve, and how many.
fn symbol_list(e: &Enum) -> String {
    let shown: Vec<&str> = e.symbols.iter().take(12).map(|s| s.json.as_str()).collect();
    if e.symbols.len() > 12 {
        format!("{}, … ({} symbols)", shown.join(", "), e.symbols.len())
    } else {
        shown.join(", ")
    }
}

/// The decoder of a date or time kind kept as Avro's integer.
pub fn raw_time_decoder(k: TimeKind) -> &'static str {
    use TimeKind::*;
    match k {
        Date => "de::Date",
        TimeMillis => "de::TimeOfDay::<1_000>",
        TimeMicros => "de::TimeOfDay::<1_000_000>",
        TimestampMillis | LocalTimestampMillis => "de::Timestamp::<1_000>",
        TimestampMicros | LocalTimestampMicros => "de::Timestamp::<1_000_000>",
        TimestampNanos | LocalTimestampNanos => "de::Timestamp::<1_000_000_000>",
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
            "/// An upgrade from an older version reads a symbol this version lacks as `{}` (the schema's default); an event of this version carries one of its symbols.",
            e.symbols[i].name
        );
    }
    w.line("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]");
    w.open(&format!("pub enum {name}"));
    for s in &e.symbols {
        let json = string_literal(&s.json);
        if s.name != s.json {
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
    w.line("#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]");
    w.line("#[serde(into = \"Bytes\")]");
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

/// The unscaled integer and scale of decimal text, at least `scale` digits after the point.
fn unscaled(s: &str, scale: u64) -> Option<(i128, u32)> {
    if !crate::validate::syntax::is_decimal(s) {
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
