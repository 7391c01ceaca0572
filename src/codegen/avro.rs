//! Avro onto the type model: records → structs, enums → enums, `["null", T]` → `Option<T>`,
//! other unions → unions, arrays → `Vec`, maps → string-keyed maps, fixed → fixed-size bytes,
//! logical types → their own model types.
//!
//! Event values are JSON as a service logs them, not Avro's JSON encoding: union values are bare
//! (not wrapped in `{"type": value}`), decimals are strings of the decimal number (`"19.99"`),
//! dates and times are the integers Avro keeps (epoch milliseconds, days), and bytes and fixed
//! are strings of code points 0-255, one per byte, as in Avro's JSON encoding and its defaults.

use super::model::{
    Def, DefId, DefKind, Enum, Field, Struct, Symbol, TimeKind, Ty, TypeSpace, Variant,
};
use super::names::{Scope, pascal, snake};
use crate::schema::avro::{AvroSchema, Kind, Logical, TypeId};
use serde_json::Value;
use std::collections::HashMap;

/// One version lowered: the definition of its payload (named `payload`, reserved by the caller).
#[derive(Debug)]
pub struct Lowered {
    pub root: DefId,
}

pub fn lower(
    space: &mut TypeSpace,
    scope: &mut Scope,
    schema: &AvroSchema,
    payload: &str,
    doc_head: &str,
) -> Lowered {
    let first = space.defs.len();
    let mut l = Lowerer {
        space,
        scope,
        schema,
        payload,
        named: HashMap::new(),
    };
    let root_ty = l.ty(schema.root, &|| payload.to_string(), true);
    let root = space.payload_root(root_ty, payload, None, doc_head, first);
    Lowered { root }
}

struct Lowerer<'a> {
    space: &'a mut TypeSpace,
    scope: &'a mut Scope,
    schema: &'a AvroSchema,
    payload: &'a str,
    named: HashMap<TypeId, DefId>,
}

impl Lowerer<'_> {
    /// The model type of Avro type `t`; `ctx` names anonymous definitions made for it (unions);
    /// `root` gives the payload's name to the root's definition.
    fn ty(&mut self, t: TypeId, ctx: &dyn Fn() -> String, root: bool) -> Ty {
        let s = self.schema;
        let at = s.ty(t);
        let logical = at.logical.as_ref();
        match &at.kind {
            Kind::Null => Ty::Unit,
            Kind::Boolean => Ty::Bool,
            Kind::Int => match logical {
                Some(Logical::Date) => Ty::Time(TimeKind::Date),
                Some(Logical::TimeMillis) => Ty::Time(TimeKind::TimeMillis),
                _ => Ty::I32,
            },
            Kind::Long => match logical {
                Some(Logical::TimeMicros) => Ty::Time(TimeKind::TimeMicros),
                Some(Logical::TimestampMillis) => Ty::Time(TimeKind::TimestampMillis),
                Some(Logical::TimestampMicros) => Ty::Time(TimeKind::TimestampMicros),
                Some(Logical::TimestampNanos) => Ty::Time(TimeKind::TimestampNanos),
                Some(Logical::LocalTimestampMillis) => Ty::Time(TimeKind::LocalTimestampMillis),
                Some(Logical::LocalTimestampMicros) => Ty::Time(TimeKind::LocalTimestampMicros),
                Some(Logical::LocalTimestampNanos) => Ty::Time(TimeKind::LocalTimestampNanos),
                _ => Ty::I64,
            },
            Kind::Float => Ty::F32,
            Kind::Double => Ty::F64,
            Kind::Bytes => match logical {
                Some(Logical::Decimal { precision, scale }) => Ty::Decimal {
                    precision: *precision,
                    scale: *scale,
                },
                _ => Ty::Bytes,
            },
            Kind::String => match logical {
                Some(Logical::Uuid) => Ty::Uuid,
                _ => Ty::String,
            },
            Kind::Array(items) => Ty::Vec(Box::new(self.ty(
                *items,
                &|| format!("{}Item", ctx()),
                false,
            ))),
            Kind::Map(values) => Ty::Map(Box::new(self.ty(
                *values,
                &|| format!("{}Value", ctx()),
                false,
            ))),
            Kind::Union(branches) => self.union(branches, ctx, root),
            Kind::Fixed(_) if matches!(logical, Some(Logical::Decimal { .. })) => {
                let Some(Logical::Decimal { precision, scale }) = logical else {
                    unreachable!()
                };
                Ty::Decimal {
                    precision: *precision,
                    scale: *scale,
                }
            }
            Kind::Record(_) | Kind::Enum(_) | Kind::Fixed(_) => Ty::Def(self.named(t, root)),
        }
    }

    fn union(&mut self, branches: &[TypeId], ctx: &dyn Fn() -> String, root: bool) -> Ty {
        let s = self.schema;
        let non_null: Vec<TypeId> = branches
            .iter()
            .copied()
            .filter(|b| !matches!(s.ty(*b).kind, Kind::Null))
            .collect();
        let nullable = non_null.len() < branches.len();
        let inner = match non_null.as_slice() {
            [] => Ty::Unit,
            [one] => self.ty(*one, ctx, root && !nullable),
            many => {
                let ctx = ctx();
                let ctx = ctx.as_str();
                // The payload's name is reserved by the caller; other names are taken here.
                let name = if root && !nullable {
                    self.payload.to_string()
                } else {
                    self.scope.take(&[ctx.to_string()])
                };
                let key = if root && !nullable {
                    String::new()
                } else {
                    ctx.strip_prefix(self.payload).unwrap_or(ctx).to_string()
                };
                let id = self.space.push(Def {
                    name,
                    key,
                    doc: None,
                    kind: DefKind::Pending,
                });
                let mut variants_scope = Scope::default();
                let mut variants = Vec::new();
                for &b in many {
                    let bt = s.ty(b);
                    let label = match bt.kind.name() {
                        Some(n) => pascal(&n.name),
                        None => pascal(bt.kind.type_name()),
                    };
                    let name = variants_scope.take(std::slice::from_ref(&label));
                    let ty = self.ty(b, &|| format!("{ctx}{label}"), false);
                    variants.push(Variant { name, ty });
                }
                self.space.defs[id].kind = DefKind::Union(variants);
                Ty::Def(id)
            }
        };
        if nullable && inner != Ty::Unit {
            Ty::Option(Box::new(inner))
        } else {
            inner
        }
    }

    fn named(&mut self, t: TypeId, root: bool) -> DefId {
        if let Some(&d) = self.named.get(&t) {
            return d;
        }
        let s = self.schema;
        let at = s.ty(t);
        let name = at.kind.name().expect("named kinds have names");
        let rust_name = if root {
            self.payload.to_string()
        } else {
            let mut c = vec![format!("{}{}", self.payload, pascal(&name.name))];
            if !name.namespace.is_empty() {
                c.push(format!(
                    "{}{}",
                    self.payload,
                    pascal(&name.fullname().replace('.', "_"))
                ));
            }
            self.scope.take(&c)
        };
        let id = self.space.push(Def {
            name: rust_name.clone(),
            key: if root { String::new() } else { name.fullname() },
            doc: None,
            kind: DefKind::Pending,
        });
        self.named.insert(t, id);
        let (doc, kind) = match &at.kind {
            Kind::Record(r) => {
                let mut fields_scope = Scope::default();
                let mut fields = Vec::with_capacity(r.fields.len());
                for f in &r.fields {
                    let ty = self.ty(f.ty, &|| format!("{rust_name}{}", pascal(&f.name)), false);
                    let default = f.default.as_ref().map(|d| to_data(s, f.ty, &d.to_serde()));
                    fields.push(Field {
                        name: fields_scope.take(&[snake(&f.name)]),
                        json: f.name.clone(),
                        aliases: f.aliases.clone(),
                        doc: f.doc.clone(),
                        ty,
                        default,
                        omit_none: false,
                        absent_only: false,
                    });
                }
                (
                    r.doc.clone(),
                    DefKind::Struct(Struct {
                        fields,
                        deny_unknown: false,
                    }),
                )
            }
            Kind::Enum(e) => {
                let mut symbols_scope = Scope::default();
                let symbols = e
                    .symbols
                    .iter()
                    .map(|sym| Symbol {
                        name: symbols_scope.take(&[pascal(sym)]),
                        json: sym.clone(),
                    })
                    .collect();
                let fallback = e
                    .default
                    .as_ref()
                    .and_then(|d| e.symbols.iter().position(|s| s == d));
                (e.doc.clone(), DefKind::Enum(Enum { symbols, fallback }))
            }
            Kind::Fixed(f) => (f.doc.clone(), DefKind::Fixed { size: f.size }),
            _ => unreachable!("only named kinds are definitions"),
        };
        self.space.defs[id].doc = doc;
        self.space.defs[id].kind = kind;
        id
    }
}

/// Does a JSON value have the shape of a value of this Avro type (enough to pick a union branch)?
fn shape_fits(schema: &AvroSchema, t: TypeId, v: &Value) -> bool {
    match (&schema.ty(t).kind, v) {
        (Kind::Null, Value::Null) => true,
        (Kind::Boolean, Value::Bool(_)) => true,
        (Kind::Int | Kind::Long, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Kind::Float | Kind::Double, Value::Number(_)) => true,
        (Kind::String | Kind::Bytes | Kind::Fixed(_) | Kind::Enum(_), Value::String(_)) => true,
        (Kind::Array(_), Value::Array(_)) => true,
        (Kind::Map(_) | Kind::Record(_), Value::Object(_)) => true,
        _ => false,
    }
}

/// A default written in Avro's JSON encoding, in the representation events use: decimals (Avro
/// writes their bytes) become decimal text; everything else is the same.
pub fn to_data(schema: &AvroSchema, t: TypeId, v: &Value) -> Value {
    let at = schema.ty(t);
    match (&at.kind, v) {
        (Kind::Bytes | Kind::Fixed(_), Value::String(s)) => match &at.logical {
            Some(Logical::Decimal { scale, .. }) => {
                let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
                Value::String(decimal_text(&bytes, *scale))
            }
            _ => v.clone(),
        },
        (Kind::Union(branches), _) => match branches.iter().find(|b| shape_fits(schema, **b, v)) {
            Some(b) => to_data(schema, *b, v),
            None => v.clone(),
        },
        (Kind::Array(items), Value::Array(xs)) => {
            Value::Array(xs.iter().map(|x| to_data(schema, *items, x)).collect())
        }
        (Kind::Map(values), Value::Object(m)) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), to_data(schema, *values, x)))
                .collect(),
        ),
        (Kind::Record(r), Value::Object(m)) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = match r.fields.iter().find(|f| &f.name == k) {
                        Some(f) => to_data(schema, f.ty, x),
                        None => x.clone(),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// The decimal text of a big-endian two's-complement unscaled integer with `scale` digits after
/// the point: `[0x04, 0xD2]`, scale 2 → `12.34`.
pub fn decimal_text(bytes: &[u8], scale: u64) -> String {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    // Magnitude as big-endian bytes: two's complement negated for negative numbers.
    let mut mag: Vec<u8> = if negative {
        let mut m: Vec<u8> = bytes.iter().map(|b| !b).collect();
        for b in m.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        m
    } else {
        bytes.to_vec()
    };
    // Repeated division by ten gives the decimal digits, least significant first.
    let mut digits = Vec::new();
    while mag.iter().any(|&b| b != 0) {
        let mut rem = 0u32;
        for b in mag.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    let scale = scale as usize;
    while digits.len() <= scale {
        digits.push(b'0');
    }
    digits.reverse();
    let text = String::from_utf8(digits).expect("ASCII digits");
    let (int, frac) = text.split_at(text.len() - scale);
    let sign = if negative && text.bytes().any(|b| b != b'0') {
        "-"
    } else {
        ""
    };
    if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_bytes_to_text() {
        assert_eq!(decimal_text(&[0x04, 0xD2], 2), "12.34");
        assert_eq!(decimal_text(&[], 2), "0.00");
        assert_eq!(decimal_text(&[0x00], 0), "0");
        assert_eq!(decimal_text(&[0xFF], 2), "-0.01");
        assert_eq!(decimal_text(&[0xFB, 0x2E], 2), "-12.34");
        assert_eq!(decimal_text(&[0x80], 0), "-128");
        assert_eq!(
            decimal_text(&[0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], 0),
            "18446744073709551616"
        );
    }
}
