//! The type model code generation works on, shared by the schema formats: Avro (`avro`) and JSON
//! Schema (`jsonschema`: objects → structs, `enum` → enums, `oneOf`/`anyOf` → unions, `$ref` → a
//! shared definition) lower onto the same types. Emitters read only this model.
//!
//! Values are described as they appear in events (JSON): a default is the JSON value the field
//! takes when it is absent, already in that representation (an Avro bytes default is turned into
//! the string the `Bytes` type reads, a decimal default into its decimal text).

/// Index of a definition in a [`TypeSpace`].
pub type DefId = usize;

/// A date or time that Avro keeps as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeKind {
    /// Days since 1970-01-01 (`int`).
    Date,
    /// Milliseconds after midnight (`int`).
    TimeMillis,
    /// Microseconds after midnight (`long`).
    TimeMicros,
    /// Milliseconds since the Unix epoch, UTC (`long`).
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    /// Milliseconds since 1970-01-01T00:00 in an unspecified local time zone (`long`).
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
}

impl TimeKind {
    /// Is the integer an `i32` (`date`, `time-millis`) rather than an `i64`?
    pub fn is_int(self) -> bool {
        matches!(self, TimeKind::Date | TimeKind::TimeMillis)
    }
    pub fn avro_name(self) -> &'static str {
        match self {
            TimeKind::Date => "date",
            TimeKind::TimeMillis => "time-millis",
            TimeKind::TimeMicros => "time-micros",
            TimeKind::TimestampMillis => "timestamp-millis",
            TimeKind::TimestampMicros => "timestamp-micros",
            TimeKind::TimestampNanos => "timestamp-nanos",
            TimeKind::LocalTimestampMillis => "local-timestamp-millis",
            TimeKind::LocalTimestampMicros => "local-timestamp-micros",
            TimeKind::LocalTimestampNanos => "local-timestamp-nanos",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// JSON `null` only.
    Unit,
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    /// Binary data.
    Bytes,
    /// An exact decimal number, written as a JSON string (`"19.99"`).
    Decimal {
        precision: u64,
        scale: u64,
    },
    /// A UUID in its string form.
    Uuid,
    /// An RFC 3339 date-time in its string form (JSON Schema `format: date-time`).
    DateTimeText,
    /// A `YYYY-MM-DD` date in its string form (JSON Schema `format: date`).
    DateText,
    Time(TimeKind),
    /// Any JSON value (what a schema does not constrain).
    Json,
    Option(Box<Ty>),
    Vec(Box<Ty>),
    /// String keys.
    Map(Box<Ty>),
    /// Indirection for a recursive type.
    Boxed(Box<Ty>),
    Def(DefId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Def {
    /// The Rust type name, unique in the generated module.
    pub name: String,
    pub doc: Option<String>,
    pub kind: DefKind,
    /// What the definition is in its schema, the same across versions (an Avro full name, or
    /// the path of an anonymous union); empty for a payload, which is never shared.
    pub key: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DefKind {
    Struct(Struct),
    /// A closed set of strings.
    Enum(Enum),
    /// One of several types, told apart by the JSON value itself (tried in order).
    Union(Vec<Variant>),
    /// Binary data of a fixed length.
    Fixed {
        size: u64,
    },
    /// A named wrapper around another type, the same in JSON (`#[serde(transparent)]`).
    Newtype(Ty),
    /// Reserved while a definition is being lowered (recursion reaches it before it is done).
    Pending,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// A closed content model: unknown members are an error.
    pub deny_unknown: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name (snake case, unique in the struct).
    pub name: String,
    /// The member name in JSON.
    pub json: String,
    /// Other member names read as this field (Avro field aliases: earlier names).
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub ty: Ty,
    /// The value an absent member takes, as JSON in the event representation.
    pub default: Option<serde_json::Value>,
    /// An optional member left out of the JSON when `None` (JSON Schema: not `required`), rather
    /// than written as `null` (Avro: a `["null", T]` field is always written).
    pub omit_none: bool,
    /// An `Option` that says only that the member may be absent: a JSON `null` is not a value
    /// (JSON Schema: a property not `required` whose schema does not allow `null`).
    pub absent_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub symbols: Vec<Symbol>,
    /// The symbol an unknown string reads as (Avro's enum default).
    pub fallback: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    /// The Rust variant name.
    pub name: String,
    /// The string in JSON.
    pub json: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub ty: Ty,
}

/// Every definition of the generated module, in the order they are emitted.
#[derive(Debug, Default)]
pub struct TypeSpace {
    pub defs: Vec<Def>,
}

impl TypeSpace {
    /// Finish lowering one version: its root type becomes the payload definition named
    /// `payload` (wrapped in a newtype when the root is not already that definition), documented
    /// with `doc_head` before the schema's own doc, and recursion among the definitions added
    /// since `first` boxed. Shared by every schema format's lowering.
    pub fn payload_root(
        &mut self,
        root: Ty,
        payload: &str,
        root_doc: Option<String>,
        doc_head: &str,
        first: DefId,
    ) -> DefId {
        let id = match root {
            Ty::Def(d) if self.defs[d].name == payload => d,
            other => self.push(Def {
                name: payload.to_string(),
                key: String::new(),
                doc: root_doc,
                kind: DefKind::Newtype(other),
            }),
        };
        let def = &mut self.defs[id];
        def.doc = Some(match def.doc.take() {
            Some(d) => format!("{doc_head}\n\n{d}"),
            None => doc_head.to_string(),
        });
        self.box_cycles(first);
        id
    }

    pub fn push(&mut self, def: Def) -> DefId {
        self.defs.push(def);
        self.defs.len() - 1
    }
    pub fn def(&self, id: DefId) -> &Def {
        &self.defs[id]
    }

    /// Box every by-value reference that closes a cycle (a struct holding itself through
    /// `Option` or a union), so every type has a finite size. References inside `Vec` and maps
    /// are already indirect. Only definitions from `first` on are visited.
    pub fn box_cycles(&mut self, first: DefId) {
        for id in first..self.defs.len() {
            let mut kind = std::mem::replace(&mut self.defs[id].kind, DefKind::Pending);
            match &mut kind {
                DefKind::Struct(s) => {
                    for f in &mut s.fields {
                        self.box_in(&mut f.ty, id);
                    }
                }
                DefKind::Union(vs) => {
                    for v in vs {
                        self.box_in(&mut v.ty, id);
                    }
                }
                DefKind::Newtype(t) => self.box_in(t, id),
                _ => {}
            }
            self.defs[id].kind = kind;
        }
    }

    fn box_in(&self, ty: &mut Ty, owner: DefId) {
        match ty {
            Ty::Option(inner) => self.box_in(inner, owner),
            Ty::Def(d) if self.reaches(*d, owner) => {
                *ty = Ty::Boxed(Box::new(ty.clone()));
            }
            _ => {}
        }
    }

    /// Does a value of `from` contain a value of `to` by value (not behind a Vec, map or Box)?
    fn reaches(&self, from: DefId, to: DefId) -> bool {
        let mut seen = vec![false; self.defs.len()];
        let mut stack = vec![from];
        while let Some(d) = stack.pop() {
            if d == to {
                return true;
            }
            if std::mem::replace(&mut seen[d], true) {
                continue;
            }
            let mut push = |t: &Ty| by_value(t, &mut stack);
            match &self.defs[d].kind {
                DefKind::Struct(s) => s.fields.iter().for_each(|f| push(&f.ty)),
                DefKind::Union(vs) => vs.iter().for_each(|v| push(&v.ty)),
                DefKind::Newtype(t) => push(t),
                _ => {}
            }
        }
        false
    }
}

impl TypeSpace {
    /// Share definitions among `range`: a definition equal to an earlier one of the same key
    /// (same fields, types, defaults and docs, once their own references are shared) is replaced
    /// by it everywhere, so a type unchanged across versions is one Rust type. Returns the
    /// replacement of every id (itself when kept); replaced definitions become `Pending`.
    pub fn share_equal(&mut self, range: std::ops::Range<DefId>) -> Vec<DefId> {
        let mut map: Vec<DefId> = (0..self.defs.len()).collect();
        // Candidates share a key; most keys have one definition per version.
        let mut by_key: std::collections::HashMap<&str, Vec<DefId>> = Default::default();
        for d in range.clone() {
            let key = self.defs[d].key.as_str();
            if !key.is_empty() {
                by_key.entry(key).or_default().push(d);
            }
        }
        let mut groups: Vec<Vec<DefId>> = by_key.into_values().filter(|g| g.len() > 1).collect();
        groups.sort();
        loop {
            let mut changed = false;
            for group in &groups {
                let kinds: Vec<DefKind> = group
                    .iter()
                    .map(|&d| remap_kind(&self.defs[d].kind, &map))
                    .collect();
                for (i, &d) in group.iter().enumerate() {
                    if map[d] != d {
                        continue;
                    }
                    let found = (0..i).find(|&j| {
                        let e = group[j];
                        map[e] == e && self.defs[e].doc == self.defs[d].doc && kinds[j] == kinds[i]
                    });
                    if let Some(j) = found {
                        map[d] = group[j];
                        changed = true;
                    }
                }
            }
            // A definition merged into one that was merged later points at the survivor.
            for d in range.clone() {
                let mut r = map[d];
                while map[r] != r {
                    r = map[r];
                }
                map[d] = r;
            }
            if !changed {
                break;
            }
        }
        for d in range {
            if map[d] != d {
                self.defs[d].kind = DefKind::Pending;
            } else {
                self.defs[d].kind = remap_kind(&self.defs[d].kind, &map);
            }
        }
        map
    }
}

fn remap_kind(kind: &DefKind, map: &[DefId]) -> DefKind {
    let mut kind = kind.clone();
    match &mut kind {
        DefKind::Struct(s) => s.fields.iter_mut().for_each(|f| remap(&mut f.ty, map)),
        DefKind::Union(vs) => vs.iter_mut().for_each(|v| remap(&mut v.ty, map)),
        DefKind::Newtype(t) => remap(t, map),
        _ => {}
    }
    kind
}

/// Point every reference at its shared definition.
pub fn remap(ty: &mut Ty, map: &[DefId]) {
    match ty {
        Ty::Def(d) => *d = map[*d],
        Ty::Option(t) | Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => remap(t, map),
        _ => {}
    }
}

fn by_value(t: &Ty, out: &mut Vec<DefId>) {
    match t {
        Ty::Option(inner) => by_value(inner, out),
        Ty::Def(d) => out.push(*d),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(key: &str, kind: DefKind) -> Def {
        Def {
            name: key.to_string(),
            doc: None,
            kind,
            key: key.to_string(),
        }
    }

    fn holder(child: DefId) -> DefKind {
        DefKind::Struct(Struct {
            fields: vec![Field {
                name: "c".into(),
                json: "c".into(),
                aliases: Vec::new(),
                doc: None,
                ty: Ty::Def(child),
                default: None,
                omit_none: false,
                absent_only: false,
            }],
            deny_unknown: false,
        })
    }

    #[test]
    fn shared_definitions_point_at_the_survivor() {
        let leaf = || DefKind::Fixed { size: 4 };
        let mut space = TypeSpace::default();
        // p3 equals p2 at once; p2 equals p1 only once c2 is shared with c1.
        for d in [
            def("P", holder(3)),
            def("P", holder(4)),
            def("P", holder(4)),
            def("C", leaf()),
            def("C", leaf()),
        ] {
            space.push(d);
        }
        let map = space.share_equal(0..5);
        assert_eq!(map, [0, 0, 0, 3, 3]);
        assert_eq!(space.def(0).kind, holder(3));
        assert!(
            (1..5)
                .filter(|&d| d != 3)
                .all(|d| space.def(d).kind == DefKind::Pending)
        );
    }
}
