//! The Avro schema model: every type, field and name with the JSON pointer it came from, so the
//! compatibility engine can say where a break is. Parsing follows the Avro 1.12 specification and
//! reports every problem it finds, each at its position.

use crate::finding::{Finding, Location};
use crate::rules::{self, Rule};
use crate::schema::parse_json;
use crate::source::SourceFile;
use crate::source::json::{Node, Value};
use std::collections::HashMap;

/// Maps keyed by names: lookups by name are a large part of parsing and checking, and aHash is
/// several times faster than the default SipHash on short keys (randomly keyed all the same, so
/// names chosen to collide gain nothing).
pub type NameMap<K, V> = HashMap<K, V, ahash::RandomState>;
use std::sync::Arc;

pub type TypeId = usize;

#[derive(Debug)]
pub struct AvroSchema {
    pub types: Vec<AvroType>,
    pub root: TypeId,
    /// Named types by full name.
    pub named: NameMap<String, TypeId>,
    pub source: Arc<SourceFile>,
    pub json: Node,
    /// Shared files (plain `.avsc` files under `schemas/`) this schema took named types from;
    /// pointers into them read `<path>#<pointer>`.
    pub shared: Vec<Arc<SharedFile>>,
    /// Apache Avro's parse of this version, made on first use (`AvroSchema::apache`).
    #[cfg(feature = "replay")]
    pub(crate) apache: std::sync::OnceLock<Result<crate::schema::apache::ApacheSchema, String>>,
}

/// A shared Avro file: named types that versions of any subject reference by full name.
#[derive(Debug)]
pub struct SharedFile {
    pub source: Arc<SourceFile>,
    pub json: Node,
}

/// The named types the registry's shared `.avsc` files define, by full name.
#[derive(Debug, Default)]
pub struct SharedTypes {
    /// full name → (file, JSON pointer of the definition, namespace the definition sits in)
    by_name: NameMap<String, (Arc<SharedFile>, String, String)>,
}

impl SharedTypes {
    /// Index the named types of shared files (files that do not parse are left out: `check`
    /// reports them through the versions that need them).
    pub fn new(files: impl IntoIterator<Item = Arc<SourceFile>>) -> SharedTypes {
        let mut index = SharedTypes::default();
        for source in files {
            let Ok(json) = parse_json(&source) else {
                continue;
            };
            let file = Arc::new(SharedFile { source, json });
            let mut found = Vec::new();
            collect_named(&file.json, "", "", &mut found);
            for (full, pointer, ns) in found {
                index
                    .by_name
                    .entry(full)
                    .or_insert_with(|| (file.clone(), pointer, ns));
            }
        }
        index
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The shared files whose types `node` names (any string equal to a shared full name).
    pub fn used_by(&self, node: &Node) -> Vec<Arc<SourceFile>> {
        let mut out: Vec<Arc<SourceFile>> = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match &n.value {
                // A full name, or a short one a namespace may complete: counting a file too many
                // only makes the fingerprint stricter.
                Value::String(s) => {
                    for (full, (f, ..)) in &self.by_name {
                        let short = full.rsplit('.').next().unwrap_or(full);
                        if (full == s || short == s) && !out.iter().any(|o| o.path == f.source.path)
                        {
                            out.push(f.source.clone());
                        }
                    }
                }
                Value::Array(items) => stack.extend(items),
                Value::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
                _ => {}
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }
}

/// Named type definitions in a JSON document: (full name, pointer, enclosing namespace).
fn collect_named(node: &Node, ptr: &str, ns: &str, out: &mut Vec<(String, String, String)>) {
    match &node.value {
        Value::Object(_) => {
            let is_named = matches!(
                node.get("type").and_then(Node::as_str),
                Some("record" | "error" | "enum" | "fixed")
            );
            let mut inner_ns = ns.to_string();
            if is_named && let Some(name) = node.get("name").and_then(Node::as_str) {
                let (full, own_ns) = match name.rsplit_once('.') {
                    Some((n, _)) => (name.to_string(), n.to_string()),
                    None => {
                        let n = node
                            .get("namespace")
                            .and_then(Node::as_str)
                            .unwrap_or(ns)
                            .to_string();
                        (
                            if n.is_empty() {
                                name.to_string()
                            } else {
                                format!("{n}.{name}")
                            },
                            n,
                        )
                    }
                };
                out.push((full, ptr.to_string(), ns.to_string()));
                inner_ns = own_ns;
            }
            for m in node.as_object().unwrap_or_default() {
                let child = format!(
                    "{ptr}/{}",
                    crate::source::json::escape_pointer_token(&m.key)
                );
                collect_named(&m.value, &child, &inner_ns, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_named(item, &format!("{ptr}/{i}"), ns, out);
            }
        }
        _ => {}
    }
}

#[derive(Debug)]
pub struct AvroType {
    pub kind: Kind,
    /// Where the type is defined (for a named type referenced by name: its definition).
    pub pointer: String,
    pub logical: Option<Logical>,
}

#[derive(Debug)]
pub enum Kind {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(TypeId),
    Map(TypeId),
    Union(Vec<TypeId>),
    Record(Record),
    Enum(Enum),
    Fixed(Fixed),
}

impl Kind {
    /// The type's name as Avro spells it (`record`, `int`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Int => "int",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Bytes => "bytes",
            Kind::String => "string",
            Kind::Array(_) => "array",
            Kind::Map(_) => "map",
            Kind::Union(_) => "union",
            Kind::Record(_) => "record",
            Kind::Enum(_) => "enum",
            Kind::Fixed(_) => "fixed",
        }
    }
    pub fn name(&self) -> Option<&Name> {
        match self {
            Kind::Record(r) => Some(&r.name),
            Kind::Enum(e) => Some(&e.name),
            Kind::Fixed(f) => Some(&f.name),
            _ => None,
        }
    }
    /// Full names of the aliases of a named type.
    pub fn aliases(&self) -> &[String] {
        match self {
            Kind::Record(r) => &r.aliases,
            Kind::Enum(e) => &e.aliases,
            Kind::Fixed(f) => &f.aliases,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    /// Empty for the null namespace.
    pub namespace: String,
}

impl Name {
    pub fn fullname(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.namespace, self.name)
        }
    }
    /// Whether `full` is this full name (`fullname() == full`, without building it).
    pub fn is_fullname(&self, full: &str) -> bool {
        if self.namespace.is_empty() {
            return full == self.name;
        }
        full.strip_prefix(self.namespace.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            == Some(self.name.as_str())
    }
}

#[derive(Debug)]
pub struct Record {
    pub name: Name,
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
    /// Field name → index in `fields`, so matching fields costs linear time in wide records.
    by_name: NameMap<String, usize>,
}

impl Record {
    /// The index of the field called `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.position(name).map(|i| &self.fields[i])
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: String,
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub ty: TypeId,
    pub default: Option<Node>,
    pub pointer: String,
}

#[derive(Debug)]
pub struct Enum {
    pub name: Name,
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub symbols: Vec<String>,
    pub default: Option<String>,
    /// Symbol → index in `symbols`, so comparing enums costs linear time in long ones.
    by_symbol: NameMap<String, usize>,
}

impl Enum {
    /// The index of `symbol`.
    pub fn position(&self, symbol: &str) -> Option<usize> {
        self.by_symbol.get(symbol).copied()
    }
    pub fn has(&self, symbol: &str) -> bool {
        self.by_symbol.contains_key(symbol)
    }
}

#[derive(Debug)]
pub struct Fixed {
    pub name: Name,
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logical {
    Decimal {
        precision: u64,
        scale: u64,
    },
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
    Duration,
    /// A logical type this version of the specification does not define; readers ignore it.
    Other(String),
}

impl Logical {
    /// A point in time on a `long` (instant or local, any unit): events carry it as a number or
    /// as RFC 3339 text.
    pub fn is_timestamp(&self) -> bool {
        matches!(
            self,
            Logical::TimestampMillis
                | Logical::TimestampMicros
                | Logical::TimestampNanos
                | Logical::LocalTimestampMillis
                | Logical::LocalTimestampMicros
                | Logical::LocalTimestampNanos
        )
    }
}

impl std::fmt::Display for Logical {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Logical::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            Logical::Uuid => f.write_str("uuid"),
            Logical::Date => f.write_str("date"),
            Logical::TimeMillis => f.write_str("time-millis"),
            Logical::TimeMicros => f.write_str("time-micros"),
            Logical::TimestampMillis => f.write_str("timestamp-millis"),
            Logical::TimestampMicros => f.write_str("timestamp-micros"),
            Logical::TimestampNanos => f.write_str("timestamp-nanos"),
            Logical::LocalTimestampMillis => f.write_str("local-timestamp-millis"),
            Logical::LocalTimestampMicros => f.write_str("local-timestamp-micros"),
            Logical::LocalTimestampNanos => f.write_str("local-timestamp-nanos"),
            Logical::Duration => f.write_str("duration"),
            Logical::Other(name) => f.write_str(name),
        }
    }
}

const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// What parsing a file yields: the model when it is valid, and every finding (errors, and the
/// warnings a valid schema may still carry).
pub struct Parsed {
    pub schema: Option<AvroSchema>,
    pub findings: Vec<Finding>,
}

pub fn parse(source: Arc<SourceFile>) -> Parsed {
    parse_with(source, &SharedTypes::default())
}

/// Parse a version whose named-type references may reach the registry's shared files.
pub fn parse_with(source: Arc<SourceFile>, shared: &SharedTypes) -> Parsed {
    let json = match parse_json(&source) {
        Ok(node) => node,
        Err(finding) => {
            return Parsed {
                schema: None,
                findings: vec![finding],
            };
        }
    };
    let mut p = Parser {
        source: &source,
        json: &json,
        types: Vec::new(),
        named: NameMap::default(),
        findings: Vec::new(),
        failed: false,
        pending_defaults: Vec::new(),
        shared,
        used: Vec::new(),
        defined_later: None,
    };
    let root = p.schema(&json, "", "");
    for (ty, pointer) in std::mem::take(&mut p.pending_defaults) {
        p.check_default(ty, &pointer);
    }
    let Parser {
        types,
        named,
        findings,
        failed,
        used,
        ..
    } = p;
    let schema = (!failed).then(|| AvroSchema {
        types,
        root,
        named,
        source: source.clone(),
        json,
        shared: used,
        #[cfg(feature = "replay")]
        apache: std::sync::OnceLock::new(),
    });
    Parsed { schema, findings }
}

impl AvroSchema {
    pub fn ty(&self, id: TypeId) -> &AvroType {
        &self.types[id]
    }
    /// Whether `key`, the key of a union value in Avro's JSON encoding (`{"string": "x"}`), names
    /// the branch `branch`: a named type by its full name (or, leniently, its short name), any
    /// other by its type name.
    pub fn names_branch(&self, branch: TypeId, key: &str) -> bool {
        let kind = &self.types[branch].kind;
        match kind.name() {
            Some(n) => n.is_fullname(key) || n.name == key,
            None => kind.type_name() == key,
        }
    }
    /// The location of a pointer into this schema's file.
    pub fn location(&self, pointer: &str) -> Location {
        if let Some((path, inner)) = pointer.split_once('#')
            && let Some(f) = self.shared.iter().find(|f| f.source.path == path)
        {
            return Location::at(&f.source, inner, f.json.pointer_span(inner));
        }
        Location::at(&self.source, pointer, self.json.pointer_span(pointer))
    }
    /// The pointer of a keyword of the type written at `pointer` — the first of `keys` its JSON
    /// object has (`size`, `precision`, `type`…) — else `pointer` itself (a bare type name or a
    /// union has no keywords).
    pub fn keyword(&self, pointer: &str, keys: &[&str]) -> String {
        let node = match pointer.split_once('#') {
            Some((path, inner)) => self
                .shared
                .iter()
                .find(|f| f.source.path == path)
                .and_then(|f| f.json.pointer(inner)),
            None => self.json.pointer(pointer),
        };
        match node.and_then(|n| keys.iter().find(|k| n.get(k).is_some())) {
            Some(k) => format!("{pointer}/{}", crate::source::json::escape_pointer_token(k)),
            None => pointer.to_string(),
        }
    }
    /// A readable type name for messages: `string`, `record com.example.Order`, `decimal(12,2)`.
    pub fn describe(&self, id: TypeId) -> String {
        let t = &self.types[id];
        let base = match &t.kind {
            Kind::Record(_) | Kind::Enum(_) | Kind::Fixed(_) => {
                format!(
                    "{} {}",
                    t.kind.type_name(),
                    t.kind.name().map(Name::fullname).unwrap_or_default()
                )
            }
            Kind::Array(items) => format!("array<{}>", self.describe(*items)),
            Kind::Map(values) => format!("map<{}>", self.describe(*values)),
            Kind::Union(branches) => {
                let names: Vec<String> = branches.iter().map(|b| self.describe(*b)).collect();
                format!("[{}]", names.join(", "))
            }
            other => other.type_name().to_string(),
        };
        match &t.logical {
            Some(l) => format!("{base} ({l})"),
            None => base,
        }
    }
}

struct Parser<'a> {
    source: &'a Arc<SourceFile>,
    json: &'a Node,
    types: Vec<AvroType>,
    named: NameMap<String, TypeId>,
    findings: Vec<Finding>,
    failed: bool,
    /// Defaults are checked once every type is known (a record may default a field of its own type).
    pending_defaults: Vec<(TypeId, String)>,
    shared: &'a SharedTypes,
    /// Shared files types were taken from.
    used: Vec<Arc<SharedFile>>,
    /// Every named type the file defines (full name → pointer), built at the first unknown
    /// reference to tell "defined later" from "unknown".
    defined_later: Option<NameMap<String, String>>,
}

fn valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl<'a> Parser<'a> {
    fn finding(
        &mut self,
        rule: &'static Rule,
        pointer: &str,
        message: String,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) {
        if rule.severity == crate::finding::Severity::Error {
            self.failed = true;
        }
        let location = self.locate(pointer);
        self.findings
            .push(Finding::new(rule, message, help).at(location));
    }

    /// The node and location of a pointer, which may lead into a shared file (`<path>#<pointer>`).
    fn node_at(&self, pointer: &str) -> Option<&'a Node> {
        match pointer.split_once('#') {
            Some((path, inner)) => self.shared_file(path)?.json.pointer(inner),
            None => self.json.pointer(pointer),
        }
    }

    fn shared_file(&self, path: &str) -> Option<&'a Arc<SharedFile>> {
        let shared: &'a SharedTypes = self.shared;
        shared
            .by_name
            .values()
            .map(|(f, ..)| f)
            .find(|f| f.source.path == path)
    }

    fn locate(&self, pointer: &str) -> Location {
        match pointer.split_once('#') {
            Some((path, inner)) => match self.shared_file(path) {
                Some(f) => Location::at(&f.source, inner, f.json.pointer_span(inner)),
                None => Location::file(path),
            },
            None => Location::at(self.source, pointer, self.json.pointer_span(pointer)),
        }
    }

    fn error(
        &mut self,
        pointer: &str,
        message: String,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) {
        self.finding(&rules::AVRO_SCHEMA_INVALID, pointer, message, help);
    }

    fn push(&mut self, kind: Kind, pointer: &str) -> TypeId {
        self.types.push(AvroType {
            kind,
            pointer: pointer.to_string(),
            logical: None,
        });
        self.types.len() - 1
    }

    /// A placeholder for a type that failed to parse, so parsing goes on and finds more problems.
    fn invalid(&mut self, pointer: &str) -> TypeId {
        self.push(Kind::Null, pointer)
    }

    fn schema(&mut self, node: &Node, ptr: &str, ns: &str) -> TypeId {
        match &node.value {
            Value::String(name) => self.reference(name, ptr, ns),
            Value::Array(branches) => self.union(branches, ptr, ns),
            Value::Object(_) => self.object(node, ptr, ns),
            _ => {
                let msg = format!(
                    "expected a schema (a type name, an object or a union array), found {}",
                    node.kind_name()
                );
                self.error(
                    ptr,
                    msg,
                    "write a type such as \"string\" or {\"type\": \"record\", ...}",
                );
                self.invalid(ptr)
            }
        }
    }

    fn primitive(name: &str) -> Option<Kind> {
        Some(match name {
            "null" => Kind::Null,
            "boolean" => Kind::Boolean,
            "int" => Kind::Int,
            "long" => Kind::Long,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "bytes" => Kind::Bytes,
            "string" => Kind::String,
            _ => return None,
        })
    }

    fn reference(&mut self, name: &str, ptr: &str, ns: &str) -> TypeId {
        if let Some(kind) = Self::primitive(name) {
            return self.push(kind, ptr);
        }
        let candidates = if name.contains('.') || ns.is_empty() {
            vec![name.to_string()]
        } else {
            vec![format!("{ns}.{name}"), name.to_string()]
        };
        if let Some(id) = candidates.iter().find_map(|c| self.named.get(c)) {
            return *id;
        }
        // A named type of a shared file: parsed into this schema where first used, its places
        // kept in the shared file.
        let shared: &'a SharedTypes = self.shared;
        if let Some((file, def_ptr, def_ns)) = candidates.iter().find_map(|c| shared.by_name.get(c))
            && let Some(node) = file.json.pointer(def_ptr)
        {
            if !self.used.iter().any(|f| Arc::ptr_eq(f, file)) {
                self.used.push(file.clone());
            }
            let id = self.schema(node, &format!("{}#{def_ptr}", file.source.path), def_ns);
            return id;
        }
        let help = self.unknown_type_help(name, &candidates);
        self.error(ptr, format!("unknown type `{name}`"), help);
        self.invalid(ptr)
    }

    /// Help for a reference to an unknown type: where it is defined when that is later in the
    /// file, else the close names. Bounded per reference, so a schema with thousands of bad
    /// references costs linear time and memory.
    fn unknown_type_help(&mut self, name: &str, candidates: &[String]) -> String {
        let json: &'a Node = self.json;
        let later = self.defined_later.get_or_insert_with(|| {
            let mut found = Vec::new();
            collect_named(json, "", "", &mut found);
            found
                .into_iter()
                .map(|(full, ptr, _)| (full, ptr))
                .collect()
        });
        if let Some(at) = candidates.iter().find_map(|c| later.get(c)) {
            return format!(
                "`{name}` is defined later, at `{at}`; a named type must be defined before it is used: move the definition to its first use"
            );
        }
        const LISTED: usize = 5;
        const COMPARED: usize = 500;
        let mut known: Vec<&str> = self.named.keys().map(String::as_str).collect();
        if known.is_empty() {
            return "use a primitive type, define the named type before its first use, or define it in a shared file schemas/<name>.avsc".to_string();
        }
        if known.len() <= COMPARED {
            let near = crate::suggest::similar(name, known.iter().copied());
            if !near.is_empty() {
                return format!("did you mean {}?", near.join(", "));
            }
        }
        known.sort_unstable();
        let more = known.len().saturating_sub(LISTED);
        format!(
            "named types defined before this point: {}{}; a named type must be defined before it is used",
            known[..known.len().min(LISTED)].join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    }

    fn union(&mut self, branches: &[Node], ptr: &str, ns: &str) -> TypeId {
        let mut ids = Vec::with_capacity(branches.len());
        let mut seen: Vec<String> = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            let bptr = format!("{ptr}/{i}");
            let id = self.schema(b, &bptr, ns);
            let t = &self.types[id];
            let key = match &t.kind {
                Kind::Union(_) => {
                    self.error(
                        &bptr,
                        "a union may not directly contain another union".into(),
                        "list the inner union's branches in the outer union",
                    );
                    continue;
                }
                k => k
                    .name()
                    .map(Name::fullname)
                    .unwrap_or_else(|| k.type_name().to_string()),
            };
            if seen.contains(&key) {
                self.error(
                    &bptr,
                    format!("the union lists `{key}` twice"),
                    "each type may appear once in a union (named types once per full name)",
                );
            }
            seen.push(key);
            ids.push(id);
        }
        self.push(Kind::Union(ids), ptr)
    }

    fn str_attr(&mut self, node: &Node, key: &str, ptr: &str) -> Option<String> {
        let v = node.get(key)?;
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                let msg = format!("`{key}` must be a string, found {}", v.kind_name());
                self.error(&format!("{ptr}/{key}"), msg, "quote the value");
                None
            }
        }
    }

    fn object(&mut self, node: &Node, ptr: &str, ns: &str) -> TypeId {
        let Some(type_node) = node.get("type") else {
            self.error(
                ptr,
                "a schema object needs a `type`".into(),
                "add \"type\": \"record\" (or enum, fixed, array, map, or a primitive)",
            );
            return self.invalid(ptr);
        };
        let tptr = crate::source::json::child_pointer(ptr, "type");
        let type_name = match &type_node.value {
            Value::String(s) => s.as_str(),
            // `{"type": {...}}` and `{"type": [...]}` wrap a schema; Java and Python accept them.
            Value::Object(_) | Value::Array(_) => return self.schema(type_node, &tptr, ns),
            _ => {
                let msg = format!("`type` must be a string, found {}", type_node.kind_name());
                self.error(&tptr, msg, "write a type name such as \"record\"");
                return self.invalid(ptr);
            }
        };
        let id = match type_name {
            "record" | "error" => self.record(node, ptr, ns),
            "enum" => self.enumeration(node, ptr, ns),
            "fixed" => self.fixed(node, ptr, ns),
            "array" => match node.get("items") {
                Some(items) => {
                    let items =
                        self.schema(items, &crate::source::json::child_pointer(ptr, "items"), ns);
                    self.push(Kind::Array(items), ptr)
                }
                None => {
                    self.error(
                        ptr,
                        "an array schema needs `items`".into(),
                        "add \"items\": \"string\" (the element type)",
                    );
                    self.invalid(ptr)
                }
            },
            "map" => match node.get("values") {
                Some(values) => {
                    let values = self.schema(
                        values,
                        &crate::source::json::child_pointer(ptr, "values"),
                        ns,
                    );
                    self.push(Kind::Map(values), ptr)
                }
                None => {
                    self.error(
                        ptr,
                        "a map schema needs `values`".into(),
                        "add \"values\": \"string\" (the value type)",
                    );
                    self.invalid(ptr)
                }
            },
            // A primitive in object form is the object itself (it may carry a logical type);
            // `{"type": "com.example.Money"}` is a reference, pointed at by `type`.
            other if Self::primitive(other).is_some() => self.reference(other, ptr, ns),
            other => return self.reference(other, &tptr, ns),
        };
        if let Some(logical) = node.get("logicalType") {
            self.logical(id, node, logical, ptr);
        }
        id
    }

    fn logical(&mut self, id: TypeId, node: &Node, logical: &Node, ptr: &str) {
        let lptr = crate::source::json::child_pointer(ptr, "logicalType");
        let Some(name) = logical.as_str() else {
            self.error(
                &lptr,
                "`logicalType` must be a string".into(),
                "write e.g. \"logicalType\": \"timestamp-millis\"",
            );
            return;
        };
        let kind = &self.types[id].kind;
        let underlying = kind.type_name();
        let fixed_size = match kind {
            Kind::Fixed(f) => Some(f.size),
            _ => None,
        };
        let expect = |ok: bool, l: Logical| if ok { Ok(l) } else { Err(()) };
        let result = match name {
            "decimal" => return self.decimal(id, node, ptr, underlying, fixed_size),
            "uuid" => expect(
                underlying == "string" || fixed_size == Some(16),
                Logical::Uuid,
            ),
            "date" => expect(underlying == "int", Logical::Date),
            "time-millis" => expect(underlying == "int", Logical::TimeMillis),
            "time-micros" => expect(underlying == "long", Logical::TimeMicros),
            "timestamp-millis" => expect(underlying == "long", Logical::TimestampMillis),
            "timestamp-micros" => expect(underlying == "long", Logical::TimestampMicros),
            "timestamp-nanos" => expect(underlying == "long", Logical::TimestampNanos),
            "local-timestamp-millis" => expect(underlying == "long", Logical::LocalTimestampMillis),
            "local-timestamp-micros" => expect(underlying == "long", Logical::LocalTimestampMicros),
            "local-timestamp-nanos" => expect(underlying == "long", Logical::LocalTimestampNanos),
            "duration" => expect(fixed_size == Some(12), Logical::Duration),
            other => Ok(Logical::Other(other.to_string())),
        };
        match result {
            Ok(l) => self.types[id].logical = Some(l),
            Err(()) => self.finding(
                &rules::AVRO_LOGICAL_TYPE_INVALID,
                &lptr,
                format!(
                    "logical type `{name}` cannot annotate `{underlying}`; readers will ignore it"
                ),
                "see the Avro specification's Logical Types for the underlying type each one needs",
            ),
        }
    }

    fn decimal(
        &mut self,
        id: TypeId,
        node: &Node,
        ptr: &str,
        underlying: &str,
        fixed_size: Option<u64>,
    ) {
        let int = |key: &str| {
            node.get(key)
                .and_then(|n| n.as_number())
                .and_then(|n| n.as_i64())
        };
        let precision = int("precision");
        let scale = if node.get("scale").is_some() {
            int("scale")
        } else {
            Some(0)
        };
        let problem = match (precision, scale) {
            _ if underlying != "bytes" && underlying != "fixed" => Some(format!(
                "decimal cannot annotate `{underlying}`; it needs bytes or fixed"
            )),
            (Some(p), Some(s)) if p >= 1 && s >= 0 && s <= p => {
                let max = fixed_size.map(|size| {
                    // Digits that fit in a signed two's-complement number of `size` bytes.
                    ((8.0 * size as f64 - 1.0) * 2f64.log10()).floor() as i64
                });
                match max {
                    Some(max) if p > max => Some(format!(
                        "precision {p} does not fit in a fixed of {} bytes (at most {max} digits)",
                        fixed_size.unwrap_or(0)
                    )),
                    _ => {
                        self.types[id].logical = Some(Logical::Decimal {
                            precision: p as u64,
                            scale: s as u64,
                        });
                        None
                    }
                }
            }
            (None, _) => Some("decimal needs a whole-number `precision` of at least 1".to_string()),
            (Some(p), _) => Some(format!(
                "decimal `scale` must be a whole number from 0 to the precision ({p})"
            )),
        };
        if let Some(problem) = problem {
            self.finding(
                &rules::AVRO_LOGICAL_TYPE_INVALID,
                &crate::source::json::child_pointer(ptr, "logicalType"),
                format!("{problem}; readers will ignore the logical type"),
                "write e.g. {\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 12, \"scale\": 2}",
            );
        }
    }

    /// Resolve a named type's name and namespace, validate them and return the `Name`.
    fn name(&mut self, node: &Node, ptr: &str, ns: &str) -> Option<Name> {
        let Some(raw) = self.str_attr(node, "name", ptr) else {
            if node.get("name").is_none() {
                self.error(
                    ptr,
                    "a named type (record, enum, fixed) needs a `name`".into(),
                    "add \"name\": \"MyType\"",
                );
            }
            return None;
        };
        let (namespace, name) = match raw.rsplit_once('.') {
            Some((namespace, name)) => (namespace.to_string(), name.to_string()),
            None => match node.get("namespace") {
                Some(n) => match n.as_str() {
                    Some(s) => (s.to_string(), raw.clone()),
                    None => {
                        self.error(
                            &crate::source::json::child_pointer(ptr, "namespace"),
                            "`namespace` must be a string".into(),
                            "write e.g. \"namespace\": \"com.example\"",
                        );
                        (ns.to_string(), raw.clone())
                    }
                },
                None => (ns.to_string(), raw.clone()),
            },
        };
        let nptr = crate::source::json::child_pointer(ptr, "name");
        if !valid_name(&name) {
            self.error(
                &nptr,
                format!("`{name}` is not a valid Avro name"),
                "names start with a letter or `_` and hold only letters, digits and `_`",
            );
        }
        if !namespace.is_empty() && !namespace.split('.').all(valid_name) {
            self.error(
                &nptr,
                format!("`{namespace}` is not a valid Avro namespace"),
                "a namespace is dot-separated names, e.g. com.example.orders",
            );
        }
        if namespace.is_empty() && PRIMITIVES.contains(&name.as_str()) {
            self.error(
                &nptr,
                format!("`{name}` is a primitive type and cannot name a defined type"),
                "choose another name",
            );
        }
        Some(Name { name, namespace })
    }

    fn aliases(&mut self, node: &Node, ptr: &str, namespace: &str, qualify: bool) -> Vec<String> {
        let Some(aliases) = node.get("aliases") else {
            return Vec::new();
        };
        let aptr = crate::source::json::child_pointer(ptr, "aliases");
        let Some(items) = aliases.as_array() else {
            self.error(
                &aptr,
                "`aliases` must be an array of names".into(),
                "write e.g. \"aliases\": [\"OldName\"]",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, a) in items.iter().enumerate() {
            match a.as_str() {
                Some(s) if s.split('.').all(valid_name) && (qualify || !s.contains('.')) => {
                    out.push(if qualify && !s.contains('.') && !namespace.is_empty() {
                        format!("{namespace}.{s}")
                    } else {
                        s.to_string()
                    });
                }
                _ => self.error(&format!("{aptr}/{i}"), "an alias must be a valid name".into(), "names hold only letters, digits and `_` (type aliases may be dotted full names)"),
            }
        }
        out
    }

    fn define(&mut self, name: &Name, id: TypeId, ptr: &str) {
        let full = name.fullname();
        if let std::collections::hash_map::Entry::Vacant(e) = self.named.entry(full.clone()) {
            e.insert(id);
        } else {
            self.error(
                &crate::source::json::child_pointer(ptr, "name"),
                format!("`{full}` is defined twice"),
                "define a named type once and refer to it by name afterwards",
            );
        }
    }

    fn doc(&mut self, node: &Node, ptr: &str) -> Option<String> {
        self.str_attr(node, "doc", ptr)
    }

    fn record(&mut self, node: &Node, ptr: &str, ns: &str) -> TypeId {
        let name = self.name(node, ptr, ns);
        let id = self.invalid(ptr);
        let Some(name) = name else { return id };
        self.define(&name, id, ptr);
        let aliases = self.aliases(node, ptr, &name.namespace, true);
        let doc = self.doc(node, ptr);
        // The record is known by name before its fields parse: they may refer to it.
        let namespace = name.namespace.clone();
        self.types[id].kind = Kind::Record(Record {
            name,
            aliases,
            doc,
            fields: Vec::new(),
            by_name: NameMap::default(),
        });
        let mut fields: Vec<Field> = Vec::new();
        let mut by_name: NameMap<String, usize> = NameMap::default();
        match node.get("fields").map(|f| f.as_array()) {
            Some(Some(items)) => {
                for (i, f) in items.iter().enumerate() {
                    let fptr = format!("{ptr}/fields/{i}");
                    if let Some(field) = self.field(f, &fptr, &namespace) {
                        if by_name.contains_key(&field.name) {
                            self.error(
                                &format!("{fptr}/name"),
                                format!("field `{}` is defined twice", field.name),
                                "field names are unique within a record",
                            );
                        } else {
                            by_name.insert(field.name.clone(), fields.len());
                        }
                        fields.push(field);
                    }
                }
            }
            Some(None) => self.error(
                &crate::source::json::child_pointer(ptr, "fields"),
                "`fields` must be an array".into(),
                "write \"fields\": [{\"name\": ..., \"type\": ...}]",
            ),
            None => self.error(
                ptr,
                "a record needs `fields`".into(),
                "add \"fields\": [] (an array of fields)",
            ),
        }
        if let Kind::Record(r) = &mut self.types[id].kind {
            r.fields = fields;
            r.by_name = by_name;
        }
        id
    }

    fn field(&mut self, node: &Node, ptr: &str, ns: &str) -> Option<Field> {
        if node.as_object().is_none() {
            self.error(
                ptr,
                format!("a field must be an object, found {}", node.kind_name()),
                "write {\"name\": \"id\", \"type\": \"string\"}",
            );
            return None;
        }
        let name = self.str_attr(node, "name", ptr);
        let Some(name) = name else {
            if node.get("name").is_none() {
                self.error(
                    ptr,
                    "a field needs a `name`".into(),
                    "add \"name\": \"myField\"",
                );
            }
            return None;
        };
        if !valid_name(&name) {
            self.error(
                &crate::source::json::child_pointer(ptr, "name"),
                format!("`{name}` is not a valid Avro field name"),
                "names start with a letter or `_` and hold only letters, digits and `_`",
            );
        }
        let Some(type_node) = node.get("type") else {
            self.error(
                ptr,
                format!("field `{name}` needs a `type`"),
                "add \"type\": \"string\" (or any schema)",
            );
            return None;
        };
        let ty = self.schema(
            type_node,
            &crate::source::json::child_pointer(ptr, "type"),
            ns,
        );
        if let Some(order) = node.get("order")
            && !matches!(order.as_str(), Some("ascending" | "descending" | "ignore"))
        {
            self.error(
                &crate::source::json::child_pointer(ptr, "order"),
                "`order` must be \"ascending\", \"descending\" or \"ignore\"".into(),
                "remove `order` to sort ascending",
            );
        }
        let default = node.get("default").cloned();
        if default.is_some() {
            self.pending_defaults.push((ty, ptr.to_string()));
        }
        Some(Field {
            aliases: self.aliases(node, ptr, ns, false),
            doc: self.doc(node, ptr),
            name,
            ty,
            default,
            pointer: ptr.to_string(),
        })
    }

    fn enumeration(&mut self, node: &Node, ptr: &str, ns: &str) -> TypeId {
        let name = self.name(node, ptr, ns);
        let id = self.invalid(ptr);
        let Some(name) = name else { return id };
        self.define(&name, id, ptr);
        let aliases = self.aliases(node, ptr, &name.namespace, true);
        let doc = self.doc(node, ptr);
        let mut symbols: Vec<String> = Vec::new();
        let mut seen: NameMap<String, usize> = NameMap::default();
        match node.get("symbols").map(|s| s.as_array()) {
            Some(Some(items)) => {
                for (i, s) in items.iter().enumerate() {
                    let sptr = format!("{ptr}/symbols/{i}");
                    match s.as_str() {
                        Some(s) if !valid_name(s) => self.error(&sptr, format!("`{s}` is not a valid enum symbol"), "symbols start with a letter or `_` and hold only letters, digits and `_`"),
                        Some(s) if seen.contains_key(s) => self.error(&sptr, format!("symbol `{s}` is listed twice"), "list each symbol once"),
                        Some(s) => {
                            seen.insert(s.to_string(), symbols.len());
                            symbols.push(s.to_string());
                        }
                        None => self.error(&sptr, "an enum symbol must be a string".into(), "quote the symbol"),
                    }
                }
            }
            _ => self.error(
                ptr,
                format!(
                    "enum `{}` needs `symbols`, an array of names",
                    name.fullname()
                ),
                "add \"symbols\": [\"A\", \"B\"]",
            ),
        }
        let default = self.str_attr(node, "default", ptr);
        if let Some(d) = &default
            && !seen.contains_key(d)
        {
            self.error(
                &crate::source::json::child_pointer(ptr, "default"),
                format!("the enum default `{d}` is not one of its symbols"),
                "name one of the symbols as the default",
            );
        }
        self.types[id].kind = Kind::Enum(Enum {
            name,
            aliases,
            doc,
            symbols,
            default,
            by_symbol: seen,
        });
        id
    }

    fn fixed(&mut self, node: &Node, ptr: &str, ns: &str) -> TypeId {
        let name = self.name(node, ptr, ns);
        let id = self.invalid(ptr);
        let Some(name) = name else { return id };
        self.define(&name, id, ptr);
        let aliases = self.aliases(node, ptr, &name.namespace, true);
        let doc = self.doc(node, ptr);
        let size = match node
            .get("size")
            .and_then(|s| s.as_number())
            .and_then(|n| n.as_i64())
        {
            // Java reads `size` as an int: a larger fixed is a schema no Avro reader accepts.
            Some(n) if n > i64::from(i32::MAX) => {
                self.error(
                    &crate::source::json::child_pointer(ptr, "size"),
                    format!(
                        "fixed `{}` has size {n}, more than Avro implementations accept (at most {} bytes)",
                        name.fullname(),
                        i32::MAX
                    ),
                    "a fixed holds a handful of bytes (a hash, an id); use `bytes` for large values",
                );
                0
            }
            Some(n) if n >= 0 => n as u64,
            _ => {
                self.error(
                    ptr,
                    format!(
                        "fixed `{}` needs `size`, a whole number of bytes",
                        name.fullname()
                    ),
                    "add e.g. \"size\": 16",
                );
                0
            }
        };
        self.types[id].kind = Kind::Fixed(Fixed {
            name,
            aliases,
            doc,
            size,
        });
        id
    }

    fn check_default(&mut self, ty: TypeId, field_ptr: &str) {
        let Some(field_node) = self.node_at(field_ptr) else {
            return;
        };
        let Some(default) = field_node.get("default") else {
            return;
        };
        let dptr = format!("{field_ptr}/default");
        if let Kind::Union(branches) = &self.types[ty].kind {
            let fits: Vec<usize> = (0..branches.len())
                .filter(|&i| self.fits(branches[i], default).is_ok())
                .collect();
            match fits.first() {
                None => {
                    let msg = format!(
                        "the default {} fits no branch of the union {}",
                        short_json(default),
                        self.describe(ty)
                    );
                    self.error(
                        &dptr,
                        msg,
                        "give a default of the union's first branch, e.g. null for [\"null\", ...]",
                    );
                }
                Some(0) => {}
                Some(&i) => {
                    let msg = format!(
                        "the default {} matches branch {} of the union, not the first; readers before Avro 1.12 reject this schema",
                        short_json(default),
                        i + 1
                    );
                    self.finding(
                        &rules::AVRO_UNION_DEFAULT_NOT_FIRST,
                        &dptr,
                        msg,
                        "move the branch the default belongs to first in the union",
                    );
                }
            }
        } else if let Err(why) = self.fits(ty, default) {
            let msg = format!(
                "the default {} does not fit the field's type {}: {why}",
                short_json(default),
                self.describe(ty)
            );
            self.error(
                &dptr,
                msg,
                "change the default to a value of the field's type",
            );
        }
    }

    fn describe(&self, id: TypeId) -> String {
        match &self.types[id].kind {
            Kind::Union(b) => {
                let names: Vec<&str> = b.iter().map(|b| self.types[*b].kind.type_name()).collect();
                format!("[{}]", names.join(", "))
            }
            k => k
                .name()
                .map(|n| format!("{} {}", k.type_name(), n.fullname()))
                .unwrap_or_else(|| k.type_name().to_string()),
        }
    }

    /// Does a JSON default value fit a type (Avro's JSON encoding of defaults)?
    fn fits(&self, ty: TypeId, v: &Node) -> Result<(), String> {
        let want = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(format!("expected {what}, found {}", v.kind_name()))
            }
        };
        match &self.types[ty].kind {
            Kind::Null => want(matches!(v.value, Value::Null), "null"),
            Kind::Boolean => want(v.as_bool().is_some(), "a boolean"),
            Kind::Int => match v.as_number().and_then(|n| n.as_i64()) {
                Some(n) if i32::try_from(n).is_ok() => Ok(()),
                _ => want(false, "a whole number within the int range"),
            },
            Kind::Long => want(
                v.as_number().and_then(|n| n.as_i64()).is_some(),
                "a whole number within the long range",
            ),
            Kind::Float => want(
                v.as_number()
                    .is_some_and(|n| n.as_f64().abs() <= f64::from(f32::MAX)),
                "a number within the float range (±3.4e38)",
            ),
            Kind::Double => want(
                v.as_number().is_some_and(|n| n.as_f64().is_finite()),
                "a number within the double range",
            ),
            Kind::String => want(v.as_str().is_some(), "a string"),
            Kind::Bytes => match v.as_str() {
                Some(s) if s.chars().all(|c| (c as u32) < 256) => Ok(()),
                _ => want(false, "a string of code points 0-255 (one per byte)"),
            },
            Kind::Fixed(f) => match v.as_str() {
                Some(s)
                    if s.chars().all(|c| (c as u32) < 256)
                        && s.chars().count() as u64 == f.size =>
                {
                    Ok(())
                }
                _ => want(
                    false,
                    &format!("a string of exactly {} code points 0-255", f.size),
                ),
            },
            Kind::Enum(e) => match v.as_str() {
                Some(s) if e.has(s) => Ok(()),
                Some(s) => Err(format!("`{s}` is not a symbol of {}", e.name.fullname())),
                None => want(false, "an enum symbol"),
            },
            Kind::Array(items) => match v.as_array() {
                Some(a) => a.iter().try_for_each(|x| self.fits(*items, x)),
                None => want(false, "an array"),
            },
            Kind::Map(values) => match v.as_object() {
                Some(m) => m.iter().try_for_each(|x| self.fits(*values, &x.value)),
                None => want(false, "an object"),
            },
            Kind::Union(branches) => match branches.iter().any(|b| self.fits(*b, v).is_ok()) {
                true => Ok(()),
                false => want(false, "a value of one of the union's branches"),
            },
            Kind::Record(r) => {
                let Some(_) = v.as_object() else {
                    return want(false, "an object");
                };
                for f in &r.fields {
                    match v.get(&f.name) {
                        Some(x) => self
                            .fits(f.ty, x)
                            .map_err(|e| format!("field `{}`: {e}", f.name))?,
                        None if f.default.is_some() => {}
                        None => {
                            return Err(format!(
                                "field `{}` is missing and has no default",
                                f.name
                            ));
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

fn short_json(n: &Node) -> String {
    let s = n.to_serde().to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Parsed {
        parse(Arc::new(SourceFile::new("t.avsc", text)))
    }

    fn errors(text: &str) -> Vec<String> {
        parse_str(text)
            .findings
            .iter()
            .map(|f| f.message.clone())
            .collect()
    }

    #[test]
    fn parses_records_with_references_and_recursion() {
        let p = parse_str(
            r#"{"type": "record", "name": "Node", "namespace": "com.x", "fields": [
                {"name": "value", "type": "int"},
                {"name": "next", "type": ["null", "Node"], "default": null},
                {"name": "same", "type": "com.x.Node", "default": {"value": 1}}]}"#,
        );
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let s = p.schema.unwrap();
        let Kind::Record(r) = &s.ty(s.root).kind else {
            panic!()
        };
        assert_eq!(r.name.fullname(), "com.x.Node");
        for (full, is) in [
            ("com.x.Node", true),
            ("Node", false),
            ("com.xNode", false),
            ("com.x.Nod", false),
            ("com.x.Node.", false),
            ("x.Node", false),
        ] {
            assert_eq!(r.name.is_fullname(full), is, "{full}");
        }
        let Kind::Union(b) = &s.ty(r.fields[1].ty).kind else {
            panic!()
        };
        assert_eq!(b[1], s.root);
        // A union value's key names a branch by full name, short name or type name.
        assert!(s.names_branch(b[1], "com.x.Node") && s.names_branch(b[1], "Node"));
        assert!(s.names_branch(b[0], "null") && !s.names_branch(b[0], "com.x.Node"));
        assert!(!s.names_branch(b[1], "record"));
        assert_eq!(r.fields[2].ty, s.root);
    }

    #[test]
    fn reports_every_problem_with_its_pointer() {
        let p = parse_str(
            r#"{"type": "record", "name": "R", "fields": [
                {"name": "a", "type": "strng"},
                {"name": "b", "type": "int", "default": "x"},
                {"name": "a", "type": "long"}]}"#,
        );
        assert!(p.schema.is_none());
        let pointers: Vec<&str> = p
            .findings
            .iter()
            .map(|f| f.location.as_ref().unwrap().pointer.as_str())
            .collect();
        assert_eq!(
            pointers,
            ["/fields/0/type", "/fields/2/name", "/fields/1/default"]
        );
        assert_eq!(p.findings[0].location.as_ref().unwrap().line, Some(2));
    }

    #[test]
    fn rejects_invalid_definitions() {
        assert!(
            errors(r#"{"type": "enum", "name": "E", "symbols": ["A", "A"]}"#)[0].contains("twice")
        );
        assert!(
            errors(r#"{"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}"#)[0]
                .contains("not one of its symbols")
        );
        assert!(errors(r#"["null", ["int"]]"#)[0].contains("another union"));
        assert!(errors(r#"["int", "int"]"#)[0].contains("twice"));
        assert!(errors(r#"{"type": "fixed", "name": "F"}"#)[0].contains("size"));
        assert!(
            errors(r#"{"type": "fixed", "name": "F", "size": 2147483648}"#)[0]
                .contains("at most 2147483647 bytes")
        );
        assert!(errors(r#"{"type": "fixed", "name": "F", "size": 2147483647}"#).is_empty());
        assert!(
            errors(r#"{"type": "record", "name": "R", "fields": [{"name": "f", "type": "float", "default": 1e308}]}"#)[0]
                .contains("float range")
        );
        assert!(
            errors(r#"{"type": "record", "name": "int", "fields": []}"#)[0].contains("primitive")
        );
        assert!(
            errors(r#"{"type": "record", "name": "R", "fields": [{"name": "x", "type": "R2"}]}"#)
                [0]
            .contains("unknown type")
        );
        assert!(errors("").iter().any(|m| m.contains("empty")));
    }

    #[test]
    fn union_defaults_follow_avro_1_12_and_warn_when_not_first() {
        let p = parse_str(
            r#"{"type": "record", "name": "R", "fields": [{"name": "n", "type": ["string", "null"], "default": null}]}"#,
        );
        assert!(p.schema.is_some());
        assert_eq!(p.findings[0].rule.id, "avro-union-default-not-first");
    }

    #[test]
    fn invalid_logical_types_are_ignored_with_a_warning() {
        let p =
            parse_str(r#"{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 4}"#);
        let s = p.schema.unwrap();
        assert_eq!(s.ty(s.root).logical, None);
        assert_eq!(p.findings[0].rule.id, "avro-logical-type-invalid");
        let p = parse_str(
            r#"{"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}"#,
        );
        let s = p.schema.unwrap();
        assert_eq!(
            s.ty(s.root).logical,
            Some(Logical::Decimal {
                precision: 12,
                scale: 2
            })
        );
    }
}
