//! Model types as Rust: the type expressions, the definitions (structs, enums, unions, fixed
//! bytes, newtypes) and the support types they use (`Bytes`, `Decimal`, date/time adapters).

use super::{Options, TimeCrate};
use crate::codegen::model::{Def, DefKind, Enum, Struct, TimeKind, Ty, TypeSpace, Variant};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` lines. Lines are trimmed so schema text never becomes an indented code block,
/// and code fences are neutralised so rustdoc never runs schema text as a doc test.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc.map(str::trim).filter(|d| !d.is_empty()) else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|l| {
        let l = l.trim().replace("```", "'''");
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
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
    pub fn ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Unit => quote!(()),
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F32 => quote!(f32),
            Ty::F64 => quote!(f64),
            Ty::String => quote!(String),
            Ty::Bytes => quote!(Bytes),
            Ty::Decimal { precision, .. } if self.rust_decimal(*precision) => {
                quote!(::rust_decimal::Decimal)
            }
            Ty::Decimal { .. } => quote!(Decimal),
            Ty::Uuid if self.options.uuid => quote!(::uuid::Uuid),
            Ty::Uuid => quote!(String),
            Ty::Time(k) if k.is_int() => quote!(i32),
            Ty::Time(_) => quote!(i64),
            Ty::Json => quote!(::serde_json::Value),
            Ty::Option(t) => {
                let t = self.ty(t);
                quote!(Option<#t>)
            }
            Ty::Vec(t) => {
                let t = self.ty(t);
                quote!(Vec<#t>)
            }
            Ty::Map(t) => {
                let t = self.ty(t);
                quote!(::std::collections::BTreeMap<String, #t>)
            }
            Ty::Boxed(t) => {
                let t = self.ty(t);
                quote!(Box<#t>)
            }
            Ty::Def(d) => {
                let i = ident(&self.space.def(*d).name);
                quote!(#i)
            }
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
    pub fn field_ty(&self, ty: &Ty) -> (TokenStream, Option<String>) {
        match (self.converted_time(ty), self.options.time) {
            (Some((k, optional)), Some(c)) => {
                let t = time_type(c, k);
                let module = time_module(k);
                if optional {
                    (
                        quote!(Option<#t>),
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

    pub fn def(&self, def: &Def) -> TokenStream {
        let name = ident(&def.name);
        let doc = doc_attrs(def.doc.as_deref());
        match &def.kind {
            DefKind::Struct(s) => self.structure(&name, doc, s),
            DefKind::Enum(e) => enumeration(&name, doc, e),
            DefKind::Union(vs) => self.union(&name, doc, vs),
            DefKind::Fixed { size } => fixed(&name, doc, *size),
            DefKind::Newtype(t) => {
                let t = self.ty(t);
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                    #[serde(transparent)]
                    pub struct #name(pub #t);
                }
            }
            DefKind::Pending => TokenStream::new(),
        }
    }

    fn structure(&self, name: &Ident, doc: TokenStream, s: &Struct) -> TokenStream {
        let mut fields = Vec::new();
        let mut defaults = Vec::new();
        for f in &s.fields {
            let fname = ident(&f.name);
            let fdoc = doc_attrs(f.doc.as_deref());
            let (ty, with) = self.field_ty(&f.ty);
            let mut serde = Vec::new();
            if f.name != f.json {
                let json = &f.json;
                serde.push(quote!(rename = #json));
            }
            for alias in &f.aliases {
                serde.push(quote!(alias = #alias));
            }
            if let Some(with) = with {
                serde.push(quote!(with = #with));
            }
            let null_default = matches!(f.default, Some(Value::Null));
            if let Some(default) = &f.default
                && let Some(expr) = self.value(&f.ty, default)
            {
                let dname = format_ident!("default_{}", f.name.trim_start_matches('_'));
                let path = format!("{name}::{dname}");
                let ddoc = format!(" The schema's default for `{}`.", f.json);
                defaults.push(quote! {
                    #[doc = #ddoc]
                    pub fn #dname() -> #ty {
                        #expr
                    }
                });
                // A missing `Option` reads as `None` by itself, unless an adapter reads it.
                if !null_default || with_is_some(&serde) {
                    serde.push(quote!(default = #path));
                }
            } else if matches!(f.ty, Ty::Option(_)) && with_is_some(&serde) {
                serde.push(quote!(default));
            }
            let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
            fields.push(quote! {
                #fdoc
                #serde
                pub #fname: #ty,
            });
        }
        let deny = s
            .deny_unknown
            .then(|| quote!(#[serde(deny_unknown_fields)]));
        let defaults = (!defaults.is_empty()).then(|| {
            quote! {
                impl #name {
                    #(#defaults)*
                }
            }
        });
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #deny
            pub struct #name {
                #(#fields)*
            }
            #defaults
        }
    }

    fn union(&self, name: &Ident, doc: TokenStream, vs: &[Variant]) -> TokenStream {
        let variants = vs.iter().map(|v| {
            let vname = ident(&v.name);
            if v.ty == Ty::Unit {
                quote!(#vname,)
            } else {
                let t = self.ty(&v.ty);
                quote!(#vname(#t),)
            }
        });
        let doc = if doc.is_empty() {
            let text = " One of several types; in JSON the bare value, read as the first variant that accepts it.";
            quote!(#[doc = #text])
        } else {
            doc
        };
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        }
    }

    /// A Rust expression of type `ty` for a JSON value in the event representation, or None when
    /// the value does not fit the type.
    pub fn value(&self, ty: &Ty, v: &Value) -> Option<TokenStream> {
        Some(match (ty, v) {
            (Ty::Unit, Value::Null) => quote!(()),
            (Ty::Bool, Value::Bool(b)) => quote!(#b),
            (Ty::I32 | Ty::Time(TimeKind::Date | TimeKind::TimeMillis), Value::Number(n)) => {
                let n = i32::try_from(n.as_i64()?).ok()?;
                int_literal(i64::from(n))
            }
            (Ty::I64 | Ty::Time(_), Value::Number(n)) => int_literal(n.as_i64()?),
            (Ty::F32, Value::Number(n)) => {
                let f = n.as_f64()?;
                if !(f as f32).is_finite() {
                    return None;
                }
                float_literal(f)
            }
            (Ty::F64, Value::Number(n)) => float_literal(n.as_f64()?),
            (Ty::String, Value::String(s)) => quote!(String::from(#s)),
            (Ty::Bytes, Value::String(s)) => {
                let bytes = code_point_bytes(s)?;
                quote!(Bytes(vec![#(#bytes),*]))
            }
            (Ty::Decimal { precision, scale }, Value::String(s)) => {
                if self.rust_decimal(*precision) {
                    let (unscaled, scale) = unscaled(s, *scale)?;
                    let unscaled = Literal::i128_unsuffixed(unscaled.unsigned_abs() as i128);
                    let sign = (s.starts_with('-')).then(|| quote!(-));
                    let scale = Literal::u32_unsuffixed(scale);
                    quote!(::rust_decimal::Decimal::from_i128_with_scale(#sign #unscaled, #scale))
                } else {
                    if !decimal_syntax(s) {
                        return None;
                    }
                    quote!(Decimal(String::from(#s)))
                }
            }
            (Ty::Uuid, Value::String(s)) if self.options.uuid => {
                let n = parse_uuid(s)?;
                let n = Literal::u128_unsuffixed(n);
                quote!(::uuid::Uuid::from_u128(#n))
            }
            (Ty::Uuid, Value::String(s)) => quote!(String::from(#s)),
            (Ty::Json, v) => json_literal(v),
            (Ty::Option(_), Value::Null) => quote!(None),
            (Ty::Option(t), v) => {
                let inner = self.value(t, v)?;
                quote!(Some(#inner))
            }
            (Ty::Vec(t), Value::Array(xs)) => {
                let items = xs
                    .iter()
                    .map(|x| self.value(t, x))
                    .collect::<Option<Vec<_>>>()?;
                if items.is_empty() {
                    quote!(Vec::new())
                } else {
                    quote!(vec![#(#items),*])
                }
            }
            (Ty::Map(t), Value::Object(m)) => {
                let entries = m
                    .iter()
                    .map(|(k, x)| {
                        let x = self.value(t, x)?;
                        Some(quote!((String::from(#k), #x)))
                    })
                    .collect::<Option<Vec<_>>>()?;
                if entries.is_empty() {
                    quote!(::std::collections::BTreeMap::new())
                } else {
                    quote!(::std::collections::BTreeMap::from([#(#entries),*]))
                }
            }
            (Ty::Boxed(t), v) => {
                let inner = self.value(t, v)?;
                quote!(Box::new(#inner))
            }
            (Ty::Def(d), v) => self.def_value(*d, v)?,
            _ => return None,
        })
    }

    fn def_value(&self, d: usize, v: &Value) -> Option<TokenStream> {
        let def = self.space.def(d);
        let name = ident(&def.name);
        Some(match (&def.kind, v) {
            (DefKind::Struct(s), Value::Object(m)) => {
                let fields = s
                    .fields
                    .iter()
                    .map(|f| {
                        let fname = ident(&f.name);
                        let x = match m.get(&f.json) {
                            Some(x) => self.value(&f.ty, x)?,
                            None => self.value(&f.ty, f.default.as_ref()?)?,
                        };
                        Some(quote!(#fname: #x))
                    })
                    .collect::<Option<Vec<_>>>()?;
                quote!(#name { #(#fields),* })
            }
            (DefKind::Enum(e), Value::String(s)) => {
                let sym = e.symbols.iter().find(|x| &x.json == s)?;
                let variant = ident(&sym.name);
                quote!(#name::#variant)
            }
            (DefKind::Union(vs), v) => vs.iter().find_map(|var| {
                let vname = ident(&var.name);
                if var.ty == Ty::Unit {
                    v.is_null().then(|| quote!(#name::#vname))
                } else {
                    let x = self.value(&var.ty, v)?;
                    Some(quote!(#name::#vname(#x)))
                }
            })?,
            (DefKind::Fixed { size }, Value::String(s)) => {
                let bytes = code_point_bytes(s)?;
                if bytes.len() as u64 != *size {
                    return None;
                }
                quote!(#name(vec![#(#bytes),*]))
            }
            (DefKind::Newtype(t), v) => {
                let x = self.value(t, v)?;
                quote!(#name(#x))
            }
            _ => return None,
        })
    }
}

fn with_is_some(serde: &[TokenStream]) -> bool {
    serde.iter().any(|t| t.to_string().starts_with("with"))
}

fn enumeration(name: &Ident, doc: TokenStream, e: &Enum) -> TokenStream {
    // serde reads unknown strings as the `other` variant, which must come last.
    let mut order: Vec<usize> = (0..e.symbols.len())
        .filter(|i| e.fallback != Some(*i))
        .collect();
    order.extend(e.fallback);
    let variants = order.into_iter().map(|i| (i, &e.symbols[i])).map(|(i, s)| {
        let vname = ident(&s.name);
        let json = &s.json;
        let other = (e.fallback == Some(i)).then(|| quote!(, other));
        let rename =
            (s.name != s.json || other.is_some()).then(|| quote!(#[serde(rename = #json #other)]));
        quote! {
            #rename
            #vname,
        }
    });
    let fallback_doc = e.fallback.map(|i| {
        let text = format!(
            " A symbol this version does not know reads as `{}` (the schema's default).",
            e.symbols[i].name
        );
        let gap = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
        quote!(#gap #[doc = #text])
    });
    quote! {
        #doc
        #fallback_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn fixed(name: &Ident, doc: TokenStream, size: u64) -> TokenStream {
    let size_lit = Literal::u64_unsuffixed(size);
    let size_doc = format!(" Exactly {size} bytes; in JSON like [`Bytes`].");
    quote! {
        #doc
        #[doc = #size_doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "Bytes", into = "Bytes")]
        pub struct #name(pub Vec<u8>);

        impl TryFrom<Bytes> for #name {
            type Error = String;
            fn try_from(bytes: Bytes) -> Result<Self, String> {
                if bytes.0.len() == #size_lit {
                    Ok(#name(bytes.0))
                } else {
                    Err(format!("expected {} bytes, found {}", #size_lit, bytes.0.len()))
                }
            }
        }

        impl From<#name> for Bytes {
            fn from(value: #name) -> Bytes {
                Bytes(value.0)
            }
        }
    }
}

pub fn int_literal(n: i64) -> TokenStream {
    let lit = Literal::u64_unsuffixed(n.unsigned_abs());
    if n < 0 { quote!(-#lit) } else { quote!(#lit) }
}

fn float_literal(f: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(f.abs());
    if f.is_sign_negative() {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

fn code_point_bytes(s: &str) -> Option<Vec<Literal>> {
    s.chars()
        .map(|c| u8::try_from(c).ok().map(Literal::u8_unsuffixed))
        .collect()
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

fn json_literal(v: &Value) -> TokenStream {
    let text = v.to_string();
    quote!(::serde_json::from_str::<::serde_json::Value>(#text).unwrap_or_default())
}

/// The date/time crate type of a kind.
pub fn time_type(c: TimeCrate, k: TimeKind) -> TokenStream {
    use TimeKind::*;
    match (c, k) {
        (TimeCrate::Chrono, Date) => quote!(::chrono::NaiveDate),
        (TimeCrate::Chrono, TimeMillis | TimeMicros) => quote!(::chrono::NaiveTime),
        (TimeCrate::Chrono, TimestampMillis | TimestampMicros | TimestampNanos) => {
            quote!(::chrono::DateTime<::chrono::Utc>)
        }
        (TimeCrate::Chrono, _) => quote!(::chrono::NaiveDateTime),
        (TimeCrate::Time, Date) => quote!(::time::Date),
        (TimeCrate::Time, TimeMillis | TimeMicros) => quote!(::time::Time),
        (TimeCrate::Time, TimestampMillis | TimestampMicros | TimestampNanos) => {
            quote!(::time::OffsetDateTime)
        }
        (TimeCrate::Time, _) => quote!(::time::PrimitiveDateTime),
    }
}

pub fn time_module(k: TimeKind) -> String {
    k.avro_name().replace('-', "_")
}
