//! Apache Avro's schema of a version built from the JSON evreg has already parsed, instead of
//! letting Apache Avro read the text again: its own parse was a sixth of `evreg check` on
//! thousands of Avro pairs (reading the text into `serde_json` values, cloning every named type
//! into its table of names, dropping both). The build follows Apache Avro's parser step by step
//! (the same names through its own `Name` and `Alias` constructors, the same logical-type
//! fallbacks, unions through its own `UnionSchema::new`, the same attributes kept) and gives up
//! (`None`) wherever that parser would fail or takes a path not followed here; the caller then
//! lets Apache Avro parse the text itself. So a schema is either built exactly as Apache Avro
//! parses it, or parsed by Apache Avro: the tests and the `avro_schema` fuzz target hold every
//! built schema to Apache Avro's own parse of the same text, field for field (`Debug` forms
//! equal).

use crate::schema::avro::AvroSchema;
use crate::source::json::{Node, Value as Json};
use apache_avro::schema::{
    Alias, Aliases, ArraySchema, DecimalSchema, EnumSchema, FixedSchema, MapSchema, Name,
    RecordField, RecordSchema, ResolvedSchema, Schema, SchemaKind, UnionSchema, UuidSchema,
};
use std::collections::{BTreeMap, HashMap};

/// Apache Avro's schema of the version whose JSON is `json`, or `None` where Apache Avro's
/// own parse must decide (see the module's comment).
pub fn build(json: &Node) -> Option<Schema> {
    if !serde_json_reads(json) {
        return None;
    }
    let mut b = Builder::default();
    let schema = b.parse(json, None)?;
    if !b.defaults.is_empty() && !defaults_resolve(&schema, &b.defaults) {
        return None;
    }
    Some(schema)
}

/// Whether the build takes the version `schema` (`Ok(true)`) or leaves it to Apache Avro
/// (`Ok(false)`, also for a schema Apache Avro is never given); `Err` says how a built schema
/// differs from Apache Avro's own parse of the text, which must never happen (the tests and the
/// `avro_schema` fuzz target call this).
pub fn compare_with_apache(schema: &AvroSchema) -> Result<bool, String> {
    super::names::install();
    if !schema.shared.is_empty() || super::defaults_may_recurse(schema) {
        return Ok(false);
    }
    let Some(ours) = build(&schema.json) else {
        return Ok(false);
    };
    let theirs = Schema::parse_str(&schema.source.text)
        .map_err(|e| format!("built a schema Apache Avro refuses ({e}): {ours:?}"))?;
    // The `Debug` forms show every part but a record's table of field names and aliases.
    let (our_lookups, their_lookups) = (lookups(&ours), lookups(&theirs));
    let (ours, theirs) = (format!("{ours:#?}"), format!("{theirs:#?}"));
    if ours != theirs {
        return Err(format!(
            "built otherwise than Apache Avro parses:\n{ours}\nApache Avro:\n{theirs}"
        ));
    }
    if our_lookups != their_lookups {
        return Err(format!(
            "records' field tables differ: {our_lookups:?}\nApache Avro: {their_lookups:?}"
        ));
    }
    Ok(true)
}

/// Every record's table of field names and aliases, in the order the records are written.
fn lookups(schema: &Schema) -> Vec<&BTreeMap<String, usize>> {
    let mut out = Vec::new();
    let mut stack = vec![schema];
    while let Some(s) = stack.pop() {
        match s {
            Schema::Array(a) => stack.push(&a.items),
            Schema::Map(m) => stack.push(&m.types),
            Schema::Union(u) => stack.extend(u.variants().iter().rev()),
            Schema::Record(r) => {
                out.push(&r.lookup);
                stack.extend(r.fields.iter().rev().map(|f| &f.schema));
            }
            _ => {}
        }
    }
    out
}

/// The deepest nesting of arrays and objects serde_json reads (its recursion limit).
const SERDE_JSON_MAX_DEPTH: usize = 127;

/// Whether serde_json, which Apache Avro reads the text with, accepts the document evreg's
/// parser accepted: the two agree on JSON but for numbers beyond the range of f64 (evreg keeps
/// them as written, serde_json refuses them, anywhere in the text) and nesting deeper than
/// serde_json's limit.
fn serde_json_reads(json: &Node) -> bool {
    let mut stack = vec![(json, 1)];
    while let Some((node, depth)) = stack.pop() {
        match &node.value {
            // Without an exponent and short of 309 digits a number stays within f64's range.
            Json::Number(n)
                if (n.raw.contains(['e', 'E']) || n.raw.len() > 300)
                    && serde_json::from_str::<serde_json::Number>(&n.raw).is_err() =>
            {
                return false;
            }
            Json::Array(_) | Json::Object(_) if depth > SERDE_JSON_MAX_DEPTH => return false,
            Json::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Json::Object(members) => stack.extend(members.iter().map(|m| (&m.value, depth + 1))),
            _ => {}
        }
    }
    true
}

/// What Apache Avro's parser knows while it reads a schema.
#[derive(Default)]
struct Builder {
    /// Named types read to the end, by full name and by alias.
    parsed: std::collections::HashSet<Name, ahash::RandomState>,
    /// Records still being read (a field may refer to its own record), by full name and alias,
    /// each to the record's full name.
    resolving: HashMap<Name, Name, ahash::RandomState>,
    /// For each field default to check (any but `null` on a nullable type), in the order the
    /// fields are read: the names of the records still being read at that moment, which Apache
    /// Avro's check of the default cannot look up (see `defaults_resolve`).
    defaults: Vec<Vec<Name>>,
}

/// Keys Apache Avro never keeps as a named or complex type's custom attributes.
const NOT_ATTRIBUTES: [&str; 6] = ["type", "name", "namespace", "doc", "aliases", "logicalType"];

impl Builder {
    fn parse(&mut self, node: &Node, ns: Option<&str>) -> Option<Schema> {
        match &node.value {
            Json::String(t) => self.known(t, ns),
            Json::Object(_) => self.complex(node, ns),
            Json::Array(items) => self.union(items, ns),
            _ => None,
        }
    }

    /// A primitive type's name, or a reference to a named type read before.
    fn known(&mut self, name: &str, ns: Option<&str>) -> Option<Schema> {
        Some(match name {
            "null" => Schema::Null,
            "boolean" => Schema::Boolean,
            "int" => Schema::Int,
            "long" => Schema::Long,
            "double" => Schema::Double,
            "float" => Schema::Float,
            "bytes" => Schema::Bytes,
            "string" => Schema::String,
            _ => {
                let full = Name::new_with_enclosing_namespace(name, ns).ok()?;
                if self.parsed.contains(&full) {
                    Schema::Ref { name: full }
                } else if let Some(record) = self.resolving.get(&full) {
                    Schema::Ref {
                        name: record.clone(),
                    }
                } else {
                    return None;
                }
            }
        })
    }

    fn complex(&mut self, node: &Node, ns: Option<&str>) -> Option<Schema> {
        if let Some(logical) = node.get("logicalType") {
            // A logicalType that is not a string fails Apache Avro's parse.
            let logical = logical.as_str()?;
            if LOGICAL_TYPES.contains(&logical) {
                let native = match node.get("type")? {
                    t if t.as_str() == Some("fixed") => self.fixed(node, ns)?,
                    t => self.parse(t, ns)?,
                };
                return Some(with_logical_type(logical, native, node));
            }
        }
        let t = node.get("type")?;
        match &t.value {
            Json::String(s) => match s.as_str() {
                "record" => self.record(node, ns),
                "enum" => self.enumeration(node, ns),
                "array" => Some(Schema::Array(ArraySchema {
                    items: Box::new(self.parse(node.get("items")?, ns)?),
                    attributes: attributes(node, &["items"]),
                })),
                "map" => Some(Schema::Map(MapSchema {
                    types: Box::new(self.parse(node.get("values")?, ns)?),
                    attributes: attributes(node, &["values"]),
                })),
                "fixed" => self.fixed(node, ns),
                other => self.known(other, ns),
            },
            Json::Object(_) => self.complex(t, ns),
            Json::Array(items) => self.union(items, ns),
            _ => None,
        }
    }

    fn union(&mut self, items: &[Node], ns: Option<&str>) -> Option<Schema> {
        let variants = items
            .iter()
            .map(|v| self.parse(v, ns))
            .collect::<Option<Vec<_>>>()?;
        UnionSchema::new(variants).ok().map(Schema::Union)
    }

    /// The full name and aliases of a named type. A named type written again without its
    /// body (a record without `fields`…) takes a path of Apache Avro's parser not followed here.
    fn name(&self, node: &Node, ns: Option<&str>) -> Option<(Name, Aliases)> {
        let name = node.get("name")?.as_str()?;
        let ns = node.get("namespace").and_then(Node::as_str).or(ns);
        let full = Name::new_with_enclosing_namespace(name, ns).ok()?;
        // Aliases count only as an array of strings; one that is not a valid name fails.
        let aliases = match node.get("aliases").and_then(Node::as_array) {
            Some(items) if items.iter().all(|a| a.as_str().is_some()) => Some(
                items
                    .iter()
                    .filter_map(Node::as_str)
                    .map(|a| Alias::new_with_enclosing_namespace(a, full.namespace()).ok())
                    .collect::<Option<Vec<_>>>()?,
            ),
            _ => None,
        };
        Some((full, aliases))
    }

    fn done(&mut self, name: &Name, aliases: &Aliases) {
        self.parsed.insert(name.clone());
        self.resolving.remove(name);
        for alias in aliases.iter().flatten() {
            let full = alias.fully_qualified_name(name.namespace()).into_owned();
            self.resolving.remove(&full);
            self.parsed.insert(full);
        }
    }

    fn record(&mut self, node: &Node, ns: Option<&str>) -> Option<Schema> {
        let fields = node.get("fields")?;
        let (name, aliases) = self.name(node, ns)?;
        self.resolving.insert(name.clone(), name.clone());
        for alias in aliases.iter().flatten() {
            let full = alias.fully_qualified_name(name.namespace()).into_owned();
            self.resolving.insert(full, name.clone());
        }
        let fields = fields
            .as_array()?
            .iter()
            .filter(|f| f.as_object().is_some())
            .map(|f| self.field(f, &name))
            .collect::<Option<Vec<_>>>()?;
        let mut lookup = BTreeMap::new();
        for (position, field) in fields.iter().enumerate() {
            if lookup.insert(field.name.clone(), position).is_some() {
                return None;
            }
            for alias in &field.aliases {
                lookup.insert(alias.clone(), position);
            }
        }
        let schema = Schema::Record(RecordSchema {
            name: name.clone(),
            aliases: aliases.clone(),
            doc: doc(node),
            fields,
            lookup,
            attributes: attributes(node, &["fields"]),
        });
        self.done(&name, &aliases);
        Some(schema)
    }

    fn field(&mut self, node: &Node, record: &Name) -> Option<RecordField> {
        let name = node.get("name")?.as_str()?;
        if !super::names::is_name(name) {
            return None;
        }
        let schema = self.parse(node.get("type")?, record.namespace())?;
        let default = node.get("default").map(Node::to_serde);
        if default
            .as_ref()
            .is_some_and(|d| !trivial_default(d, &schema))
        {
            self.defaults.push(self.resolving.keys().cloned().collect());
        }
        let aliases = node
            .get("aliases")
            .and_then(Node::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let custom_attributes = node
            .as_object()?
            .iter()
            .filter(|m| {
                !matches!(
                    m.key.as_str(),
                    "type" | "name" | "doc" | "default" | "aliases"
                )
            })
            .map(|m| (m.key.clone(), m.value.to_serde()))
            .collect();
        Some(RecordField {
            name: name.to_string(),
            doc: doc(node),
            aliases,
            default,
            schema,
            custom_attributes,
        })
    }

    fn enumeration(&mut self, node: &Node, ns: Option<&str>) -> Option<Schema> {
        let symbols = node.get("symbols")?;
        let (name, aliases) = self.name(node, ns)?;
        let symbols = symbols
            .as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()?;
        let mut seen = std::collections::HashSet::with_capacity(symbols.len());
        if !symbols
            .iter()
            .all(|s| super::names::is_name(s) && seen.insert(s.as_str()))
        {
            return None;
        }
        let default = match node.get("default") {
            None => None,
            Some(d) => Some(
                d.as_str()
                    .filter(|d| symbols.iter().any(|s| s == d))?
                    .to_string(),
            ),
        };
        let schema = Schema::Enum(EnumSchema {
            name: name.clone(),
            aliases: aliases.clone(),
            doc: doc(node),
            symbols,
            default,
            attributes: attributes(node, &["symbols", "default"]),
        });
        self.done(&name, &aliases);
        Some(schema)
    }

    fn fixed(&mut self, node: &Node, ns: Option<&str>) -> Option<Schema> {
        let size = node.get("size")?.to_serde().as_u64()?;
        let (name, aliases) = self.name(node, ns)?;
        let schema = Schema::Fixed(FixedSchema {
            name: name.clone(),
            aliases: aliases.clone(),
            doc: doc(node),
            size: usize::try_from(size).ok()?,
            attributes: attributes(node, &["size"]),
        });
        self.done(&name, &aliases);
        Some(schema)
    }
}

/// The logical types Apache Avro reads into types of their own; any other is ignored.
const LOGICAL_TYPES: [&str; 13] = [
    "decimal",
    "big-decimal",
    "uuid",
    "date",
    "time-millis",
    "time-micros",
    "timestamp-millis",
    "timestamp-micros",
    "timestamp-nanos",
    "local-timestamp-millis",
    "local-timestamp-micros",
    "local-timestamp-nanos",
    "duration",
];

/// A logical type over the type it annotates, as Apache Avro reads it: on a type it does not
/// apply to, or with invalid parameters, the type stays as it is.
fn with_logical_type(logical: &str, native: Schema, node: &Node) -> Schema {
    let kind = SchemaKind::from(&native);
    let on = |kinds: &[SchemaKind]| kinds.contains(&kind);
    match logical {
        "decimal" if on(&[SchemaKind::Fixed, SchemaKind::Bytes]) => {
            match (
                decimal_number(node, "precision"),
                decimal_number(node, "scale"),
            ) {
                (Some(Some(precision)), Some(scale)) => {
                    let scale = scale.unwrap_or(0);
                    if precision < 1 || precision < scale {
                        return native;
                    }
                    match native.clone().try_into() {
                        Ok(inner) => Schema::Decimal(DecimalSchema {
                            precision,
                            scale,
                            inner,
                        }),
                        Err(_) => native,
                    }
                }
                _ => native,
            }
        }
        "big-decimal" if on(&[SchemaKind::Bytes]) => Schema::BigDecimal,
        "uuid" => match native {
            Schema::String => Schema::Uuid(UuidSchema::String),
            Schema::Bytes => Schema::Uuid(UuidSchema::Bytes),
            Schema::Fixed(fixed) if fixed.size == 16 => Schema::Uuid(UuidSchema::Fixed(fixed)),
            other => other,
        },
        "date" if on(&[SchemaKind::Int]) => Schema::Date,
        "time-millis" if on(&[SchemaKind::Int]) => Schema::TimeMillis,
        "time-micros" if on(&[SchemaKind::Long]) => Schema::TimeMicros,
        "timestamp-millis" if on(&[SchemaKind::Long]) => Schema::TimestampMillis,
        "timestamp-micros" if on(&[SchemaKind::Long]) => Schema::TimestampMicros,
        "timestamp-nanos" if on(&[SchemaKind::Long]) => Schema::TimestampNanos,
        "local-timestamp-millis" if on(&[SchemaKind::Long]) => Schema::LocalTimestampMillis,
        "local-timestamp-micros" if on(&[SchemaKind::Long]) => Schema::LocalTimestampMicros,
        "local-timestamp-nanos" if on(&[SchemaKind::Long]) => Schema::LocalTimestampNanos,
        "duration" => match native {
            Schema::Fixed(fixed) if fixed.size == 12 => Schema::Duration(fixed),
            other => other,
        },
        _ => native,
    }
}

/// A decimal's `precision` or `scale` as Apache Avro reads it: `Some(None)` when absent, `None`
/// when not a whole number that fits (which makes Apache Avro ignore the logical type).
fn decimal_number(node: &Node, key: &str) -> Option<Option<usize>> {
    let Some(n) = node.get(key) else {
        return Some(None);
    };
    let serde_json::Value::Number(n) = n.to_serde() else {
        return None;
    };
    let n = if let Some(u) = n.as_u64() {
        usize::try_from(u).ok()?
    } else {
        usize::try_from(n.as_i64()?).ok()?
    };
    Some(Some(n))
}

/// `doc` when it is a string; Apache Avro ignores any other.
fn doc(node: &Node) -> Option<String> {
    node.get("doc").and_then(Node::as_str).map(str::to_string)
}

/// The keys of a type's object that Apache Avro keeps as custom attributes.
fn attributes(node: &Node, also_not: &[&str]) -> BTreeMap<String, serde_json::Value> {
    node.as_object()
        .into_iter()
        .flatten()
        .filter(|m| {
            !NOT_ATTRIBUTES.contains(&m.key.as_str()) && !also_not.contains(&m.key.as_str())
        })
        .map(|m| (m.key.clone(), m.value.to_serde()))
        .collect()
}

/// A `null` default of a type that holds `null`: Apache Avro's check passes it without looking
/// up any name.
fn trivial_default(default: &serde_json::Value, schema: &Schema) -> bool {
    default.is_null()
        && match schema {
            Schema::Null => true,
            Schema::Union(u) => u.variants().iter().any(|v| matches!(v, Schema::Null)),
            _ => false,
        }
}

/// Apache Avro checks each field default while parsing: it must resolve to the field's type (to
/// any branch of a union) with the named types known at that moment, which are those read to
/// the end; the records still being read are not (a default that reaches one is refused). The
/// check here, once the whole schema is built, looks the names up in all its named types but
/// those (`unknown`, one list per default in the order the fields were read). Every other type
/// a default can reach was read to the end before its field: a reference to a type defined
/// later is no schema at all.
fn defaults_resolve(schema: &Schema, unknown: &[Vec<Name>]) -> bool {
    struct Check<'s> {
        all: Option<ResolvedSchema<'s>>,
        unknown: std::slice::Iter<'s, Vec<Name>>,
        /// Names without the unknown ones, for each list of unknown names met so far.
        known: Vec<(&'s [Name], HashMap<Name, &'s Schema>)>,
    }
    impl<'s> Check<'s> {
        /// Field defaults in the order the build read the fields: each after its type.
        fn visit(&mut self, root: &'s Schema, s: &'s Schema) -> Option<()> {
            match s {
                Schema::Array(a) => self.visit(root, &a.items),
                Schema::Map(m) => self.visit(root, &m.types),
                Schema::Union(u) => u.variants().iter().try_for_each(|v| self.visit(root, v)),
                Schema::Record(r) => r.fields.iter().try_for_each(|f| {
                    self.visit(root, &f.schema)?;
                    match &f.default {
                        Some(d) if !trivial_default(d, &f.schema) => {
                            let unknown = self.unknown.next()?;
                            self.resolves(root, d, &f.schema, unknown).then_some(())
                        }
                        _ => Some(()),
                    }
                }),
                _ => Some(()),
            }
        }

        fn resolves(
            &mut self,
            root: &'s Schema,
            default: &serde_json::Value,
            field: &Schema,
            unknown: &'s [Name],
        ) -> bool {
            let Ok(value) = apache_avro::types::Value::try_from(default.clone()) else {
                return false;
            };
            // A type without references resolves without names.
            if !refers(field) {
                let none: HashMap<Name, &Schema> = HashMap::new();
                return fits(value, field, &none);
            }
            if self.all.is_none() {
                match ResolvedSchema::try_from(root) {
                    Ok(all) => self.all = Some(all),
                    Err(_) => return false,
                }
            }
            let all = self.all.as_ref().map(ResolvedSchema::get_names);
            let i = match self.known.iter().position(|(u, _)| *u == unknown) {
                Some(i) => i,
                None => {
                    let known = all
                        .into_iter()
                        .flatten()
                        .filter(|(name, _)| !unknown.contains(name))
                        .map(|(name, s)| (name.clone(), *s))
                        .collect();
                    self.known.push((unknown, known));
                    self.known.len() - 1
                }
            };
            fits(value, field, &self.known[i].1)
        }
    }
    /// Apache Avro's check of a default: it resolves to the type, or to any branch of a union.
    fn fits(
        value: apache_avro::types::Value,
        field: &Schema,
        names: &HashMap<Name, &Schema>,
    ) -> bool {
        match field {
            Schema::Union(u) => u
                .variants()
                .iter()
                .any(|v| value.clone().resolve_with_names(v, names).is_ok()),
            other => value.resolve_with_names(other, names).is_ok(),
        }
    }
    /// Whether a type holds a reference to a named type anywhere.
    fn refers(s: &Schema) -> bool {
        match s {
            Schema::Ref { .. } => true,
            Schema::Array(a) => refers(&a.items),
            Schema::Map(m) => refers(&m.types),
            Schema::Union(u) => u.variants().iter().any(refers),
            Schema::Record(r) => r.fields.iter().any(|f| refers(&f.schema)),
            _ => false,
        }
    }
    let mut check = Check {
        all: None,
        unknown: unknown.iter(),
        known: Vec::new(),
    };
    check.visit(schema, schema).is_some() && check.unknown.next().is_none()
}

#[cfg(test)]
mod tests {
    use crate::schema::avro::parse;
    use crate::source::SourceFile;
    use std::path::Path;
    use std::sync::Arc;

    /// Whether the build took `text` (true) or left it to Apache Avro (false); either way, a
    /// built schema must be Apache Avro's own parse of the text, field for field. `None` when
    /// evreg refuses the schema or it uses shared files.
    fn built(text: &str) -> Option<bool> {
        let schema = parse(Arc::new(SourceFile::new("t.avsc", text))).schema?;
        if !schema.shared.is_empty() {
            return None;
        }
        Some(super::compare_with_apache(&schema).unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    fn takes(text: &str) {
        assert_eq!(built(text), Some(true), "left to Apache Avro: {text}");
    }

    fn rec(fields: &str) -> String {
        format!(r#"{{"type": "record", "name": "R", "namespace": "a.b", "fields": [{fields}]}}"#)
    }

    #[test]
    fn builds_each_kind_of_type_as_apache_avro_parses_it() {
        for fields in [
            r#"{"name": "n", "type": "null"}, {"name": "b", "type": "boolean", "default": true}, {"name": "i", "type": "int", "default": -3}, {"name": "l", "type": "long", "default": 12345678901}, {"name": "f", "type": "float", "default": 1.5}, {"name": "d", "type": "double", "default": 1e300}, {"name": "y", "type": "bytes", "default": "\u00ff"}, {"name": "s", "type": "string", "default": "x"}"#,
            r#"{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "B", "doc": "d", "aliases": ["Old"], "x-extra": {"k": [1]}}, "default": "A"}"#,
            r#"{"name": "f", "type": {"type": "fixed", "name": "F", "namespace": "other", "size": 4}, "default": "abcd"}, {"name": "g", "type": "other.F"}"#,
            r#"{"name": "a", "type": {"type": "array", "items": "string", "x": 1}, "default": ["p"]}, {"name": "m", "type": {"type": "map", "values": ["null", "long"]}, "default": {"k": null}}"#,
            r#"{"name": "u", "type": ["null", "string", {"type": "record", "name": "Inner", "fields": [{"name": "v", "type": "int"}]}], "default": null}, {"name": "again", "type": "Inner", "default": {"v": 1}}"#,
            r#"{"name": "second", "type": ["null", "string"], "default": "not first"}"#,
            r#"{"name": "nested", "type": {"type": {"type": "string"}}}, {"name": "wrapped", "type": {"type": "long", "x-note": "kept nowhere"}}"#,
            r#"{"name": "doc", "type": "int", "doc": "a field", "aliases": ["was"], "order": "descending", "logicalType": "ignored-here", "x-field": true}"#,
            r#"{"name": "rec", "type": {"type": "record", "name": "Sub", "namespace": "", "fields": [{"name": "z", "type": {"type": "enum", "name": "Z", "symbols": ["Q"]}}, {"name": "z2", "type": "Z"}]}}"#,
        ] {
            takes(&rec(fields));
        }
        takes(r#""string""#);
        takes(r#"["null", "int", {"type": "map", "values": "bytes"}]"#);
        takes(r#"{"type": "record", "name": "NoNamespace", "fields": [], "x": null}"#);
    }

    /// The field tables, which the `Debug` forms leave out, are compared too: names and aliases.
    #[test]
    fn records_field_tables_hold_names_and_aliases() {
        let text = rec(
            r#"{"name": "a", "type": "int", "aliases": ["was_a"]}, {"name": "r", "type": {"type": "record", "name": "S", "fields": [{"name": "x", "type": "int"}]}}"#,
        );
        takes(&text);
        let schema = parse(Arc::new(SourceFile::new("t.avsc", &text)))
            .schema
            .unwrap();
        let built = super::build(&schema.json).unwrap();
        let tables: Vec<Vec<(&str, usize)>> = super::lookups(&built)
            .iter()
            .map(|t| t.iter().map(|(k, v)| (k.as_str(), *v)).collect())
            .collect();
        assert_eq!(
            tables,
            [vec![("a", 0), ("r", 1), ("was_a", 0)], vec![("x", 0)]]
        );
    }

    #[test]
    fn logical_types_and_their_fallbacks_follow_apache_avro() {
        for t in [
            r#"{"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}"#,
            r#"{"type": "bytes", "logicalType": "decimal", "precision": 9}"#,
            r#"{"type": "fixed", "name": "D", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 4, "x": 1}"#,
            r#"{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 4}"#,
            r#"{"type": "bytes", "logicalType": "decimal", "precision": 0}"#,
            r#"{"type": "bytes", "logicalType": "decimal", "precision": 4.0}"#,
            r#"{"type": "bytes", "logicalType": "decimal", "precision": -1}"#,
            r#"{"type": "bytes", "logicalType": "decimal", "precision": "9"}"#,
            r#"{"type": "string", "logicalType": "decimal", "precision": 9}"#,
            r#"{"type": "bytes", "logicalType": "big-decimal"}"#,
            r#"{"type": "string", "logicalType": "uuid"}"#,
            r#"{"type": "bytes", "logicalType": "uuid"}"#,
            r#"{"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"}"#,
            r#"{"type": "fixed", "name": "U", "size": 15, "logicalType": "uuid"}"#,
            r#"{"type": "int", "logicalType": "uuid"}"#,
            r#"{"type": "int", "logicalType": "date"}"#,
            r#"{"type": "long", "logicalType": "date"}"#,
            r#"{"type": "int", "logicalType": "time-millis"}"#,
            r#"{"type": "long", "logicalType": "time-micros"}"#,
            r#"{"type": "long", "logicalType": "timestamp-millis"}"#,
            r#"{"type": "long", "logicalType": "timestamp-micros"}"#,
            r#"{"type": "long", "logicalType": "timestamp-nanos"}"#,
            r#"{"type": "long", "logicalType": "local-timestamp-millis"}"#,
            r#"{"type": "long", "logicalType": "local-timestamp-micros"}"#,
            r#"{"type": "long", "logicalType": "local-timestamp-nanos"}"#,
            r#"{"type": "fixed", "name": "Dur", "size": 12, "logicalType": "duration"}"#,
            r#"{"type": "fixed", "name": "Dur", "size": 11, "logicalType": "duration"}"#,
            r#"{"type": "string", "logicalType": "no-such-type"}"#,
            r#"{"type": {"type": "int"}, "logicalType": "date"}"#,
        ] {
            takes(&rec(&format!(r#"{{"name": "v", "type": {t}}}"#)));
        }
        // A reference carries no logical type in Apache Avro's reading.
        takes(&rec(
            r#"{"name": "f", "type": {"type": "fixed", "name": "F", "size": 16}}, {"name": "g", "type": {"type": "F", "logicalType": "uuid"}}"#,
        ));
    }

    #[test]
    fn recursion_aliases_and_defaults_are_built_or_left_to_apache_avro() {
        // Recursion through a nullable union with a null default: built.
        takes(
            r#"{"type": "record", "name": "Node", "fields": [{"name": "next", "type": ["null", "Node"], "default": null}, {"name": "kids", "type": {"type": "array", "items": "Node"}}]}"#,
        );
        // A default whose type reaches the record being read: Apache Avro checks it without
        // that record's name; an empty array never looks it up…
        takes(
            r#"{"type": "record", "name": "Node", "fields": [{"name": "kids", "type": {"type": "array", "items": "Node"}, "default": []}]}"#,
        );
        // …an item of that record's type would, directly or through a record read before that
        // refers back to it: built exactly when Apache Avro is given the schema and accepts it.
        for text in [
            r#"{"type": "record", "name": "A", "fields": [{"name": "n", "type": ["null", "A"], "default": null}, {"name": "c", "type": {"type": "array", "items": "A"}, "default": [{"n": null}]}]}"#,
            r#"{"type": "record", "name": "A", "fields": [{"name": "n", "type": ["null", "A"], "default": null}, {"name": "c", "type": {"type": "array", "items": ["null", "A"]}, "default": [null]}]}"#,
            r#"{"type": "record", "name": "A", "fields": [{"name": "b", "type": {"type": "record", "name": "B", "fields": [{"name": "a", "type": ["null", "A"], "default": null}]}}, {"name": "c", "type": "B", "default": {"a": null}}]}"#,
            r#"{"type": "record", "name": "A", "fields": [{"name": "b", "type": {"type": "record", "name": "B", "fields": [{"name": "a", "type": {"type": "array", "items": "A"}}]}}, {"name": "c", "type": "B", "default": {"a": [{"b": {"a": []}}]}}]}"#,
        ] {
            let schema = parse(Arc::new(SourceFile::new("t.avsc", text)))
                .schema
                .unwrap();
            // A default holding an object that leads back to its record is never handed to
            // Apache Avro (its resolution of it may not end).
            let handed = !super::super::defaults_may_recurse(&schema);
            let apache_accepts = handed && apache_avro::Schema::parse_str(text).is_ok();
            assert_eq!(built(text), Some(apache_accepts), "{text}");
        }
        // Once read to the end, a record's name is known to the defaults of later fields.
        takes(
            r#"{"type": "record", "name": "A", "fields": [{"name": "b", "type": {"type": "record", "name": "B", "fields": [{"name": "x", "type": "int"}]}}, {"name": "c", "type": {"type": "array", "items": "B"}, "default": [{"x": 1}]}]}"#,
        );
        // A type referred to by its alias.
        let by_alias = rec(
            r#"{"name": "e", "type": {"type": "enum", "name": "E", "aliases": ["Old"], "symbols": ["A"]}}, {"name": "f", "type": "Old"}"#,
        );
        assert_ne!(built(&by_alias), Some(false), "{by_alias}");
        // A name of the null namespace written without a dot inside a namespace: evreg finds it
        // there (as Java does), Apache Avro's Rust library does not.
        let outside = rec(
            r#"{"name": "rec", "type": {"type": "record", "name": "Sub", "namespace": "", "fields": [{"name": "z", "type": {"type": "enum", "name": "Z", "symbols": ["Q"]}}]}}, {"name": "z2", "type": "Z"}"#,
        );
        assert_ne!(built(&outside), Some(true), "{outside}");
        // Defaults Apache Avro refuses.
        for fields in [
            r#"{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}}"#,
            r#"{"name": "i", "type": "int", "default": 1.5}"#,
            r#"{"name": "i", "type": "int", "default": 3000000000}"#,
            r#"{"name": "u", "type": ["int", "null"], "default": "x"}"#,
            r#"{"name": "f", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "abc"}"#,
        ] {
            let text = rec(fields);
            assert_ne!(built(&text), Some(true), "{text}");
        }
    }

    /// What serde_json refuses in a text evreg reads, anywhere in it, leaves the schema to
    /// Apache Avro (which then refuses it).
    #[test]
    fn texts_serde_json_refuses_are_left_to_apache_avro() {
        let huge = rec(r#"{"name": "a", "type": {"type": "int", "x": 1.0e2075060001}}"#);
        assert_eq!(built(&huge), Some(false), "{huge}");
        let nest = |n: usize| {
            rec(&format!(
                r#"{{"name": "a", "type": "int", "x": {}1{}}}"#,
                "[".repeat(n),
                "]".repeat(n)
            ))
        };
        // The record's object and its fields' array and object hold the value 3 levels down.
        assert_eq!(built(&nest(124)), Some(true));
        assert_eq!(built(&nest(125)), Some(false));
        assert!(serde_json::from_str::<serde_json::Value>(&nest(124)).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&nest(125)).is_err());
    }

    /// Every Avro file of this repository's registries and test data (and, when
    /// EVREG_APACHE_SAMENESS_DIR names a folder, every `.avsc` under it: CI points it at the
    /// oracle's 2,000 generated schemas) is built exactly as Apache Avro parses it, and nearly
    /// all are built (the rest left to Apache Avro).
    #[test]
    fn every_schema_of_the_test_registries_is_built_as_apache_avro_parses_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("schemas"), root.join("tests/data")];
        if let Ok(extra) = std::env::var("EVREG_APACHE_SAMENESS_DIR") {
            dirs.push(extra.into());
        }
        let (mut taken, mut left) = (0, 0);
        for dir in dirs {
            for path in avsc_files(&dir) {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                match built(&text) {
                    Some(true) => taken += 1,
                    Some(false) => left += 1,
                    None => {}
                }
            }
        }
        eprintln!("{taken} schemas built, {left} left to Apache Avro");
        assert!(taken > 40, "{taken} schemas built");
        assert!(
            left * 10 <= taken,
            "{left} left to Apache Avro, {taken} built"
        );
    }

    fn avsc_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "avsc") {
                    out.push(p);
                }
            }
        }
        out
    }
}
