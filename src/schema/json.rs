//! JSON Schema loading: the draft (`$schema`; 4, 6, 7, 2019-09, 2020-12), every keyword checked
//! for its type with its position, and `$ref`s resolved — inside the file (`#/$defs/…`,
//! `#/definitions/…`, `$anchor`, embedded `$id`s) and to other files of the registry by relative
//! path, confined to the registry root. A remote `http(s)` reference is refused: nothing ever
//! reaches the network.
//!
//! The result is an arena of nodes, each remembering its file and JSON pointer, which the
//! compatibility engine (`compat::json`) walks. Recursive schemas are graphs, not trees: a `$ref`
//! is an edge to the node of its target, compiled once.

use crate::finding::{Finding, Location};
use crate::rules;
use crate::source::SourceFile;
use crate::source::json::{self as sj, Node, escape_pointer_token, unescape_pointer_token};
use ahash::AHashMap as HashMap;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

pub type NodeId = usize;

/// The JSON Schema drafts evreg reads.
/// The default (`#[default]`) is the one assumed for a file without `$schema` when no setting
/// names another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Draft {
    D4,
    D6,
    D7,
    D2019,
    #[default]
    D2020,
}

impl Draft {
    pub fn name(self) -> &'static str {
        match self {
            Draft::D4 => "draft-04",
            Draft::D6 => "draft-06",
            Draft::D7 => "draft-07",
            Draft::D2019 => "2019-09",
            Draft::D2020 => "2020-12",
        }
    }
    /// The draft a `$schema` URI names.
    pub fn from_uri(uri: &str) -> Option<Draft> {
        let u = uri.trim_end_matches('#').trim_end_matches('/');
        let u = u
            .strip_prefix("https://")
            .or_else(|| u.strip_prefix("http://"))?;
        match u {
            "json-schema.org/draft-04/schema" => Some(Draft::D4),
            "json-schema.org/draft-06/schema" => Some(Draft::D6),
            "json-schema.org/draft-07/schema" => Some(Draft::D7),
            "json-schema.org/draft/2019-09/schema" => Some(Draft::D2019),
            "json-schema.org/draft/2020-12/schema" => Some(Draft::D2020),
            _ => None,
        }
    }
    /// A draft as settings and flags name it: `draft-07` (also `draft7`, `7`), `2019-09`,
    /// `2020-12`, or a `$schema` URI.
    pub fn parse(s: &str) -> Option<Draft> {
        let t = s.trim().to_ascii_lowercase();
        if let Some(d) = Draft::from_uri(&t) {
            return Some(d);
        }
        let t = t
            .strip_prefix("draft")
            .unwrap_or(&t)
            .trim_start_matches(['-', '/', ' ']);
        Some(match t {
            "04" | "4" => Draft::D4,
            "06" | "6" => Draft::D6,
            "07" | "7" => Draft::D7,
            "2019-09" => Draft::D2019,
            "2020-12" => Draft::D2020,
            _ => return None,
        })
    }
    /// The `$schema` URI that declares this draft.
    pub fn uri(self) -> &'static str {
        match self {
            Draft::D4 => "http://json-schema.org/draft-04/schema#",
            Draft::D6 => "http://json-schema.org/draft-06/schema#",
            Draft::D7 => "http://json-schema.org/draft-07/schema#",
            Draft::D2019 => "https://json-schema.org/draft/2019-09/schema",
            Draft::D2020 => "https://json-schema.org/draft/2020-12/schema",
        }
    }
    pub fn jsonschema(self) -> jsonschema::Draft {
        match self {
            Draft::D4 => jsonschema::Draft::Draft4,
            Draft::D6 => jsonschema::Draft::Draft6,
            Draft::D7 => jsonschema::Draft::Draft7,
            Draft::D2019 => jsonschema::Draft::Draft201909,
            Draft::D2020 => jsonschema::Draft::Draft202012,
        }
    }
}

/// JSON types as bits; `number` is `INTEGER | FRACTION`, so integer ⊂ number falls out of set
/// inclusion.
pub mod types {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const OBJECT: u8 = 4;
    pub const ARRAY: u8 = 8;
    pub const STRING: u8 = 16;
    pub const INTEGER: u8 = 32;
    /// Numbers that are not integers.
    pub const FRACTION: u8 = 64;
    pub const NUMBER: u8 = INTEGER | FRACTION;
    pub const ALL: u8 = 127;

    pub fn of_name(name: &str) -> Option<u8> {
        Some(match name {
            "null" => NULL,
            "boolean" => BOOLEAN,
            "object" => OBJECT,
            "array" => ARRAY,
            "string" => STRING,
            "integer" => INTEGER,
            "number" => NUMBER,
            _ => return None,
        })
    }

    /// The type bit of a JSON value.
    pub fn of_value(v: &serde_json::Value) -> u8 {
        use serde_json::Value::*;
        match v {
            Null => NULL,
            Bool(_) => BOOLEAN,
            Object(_) => OBJECT,
            Array(_) => ARRAY,
            String(_) => STRING,
            Number(n) => {
                if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) {
                    INTEGER
                } else {
                    FRACTION
                }
            }
        }
    }

    /// `string`, `integer or null`, `number` …
    pub fn describe(t: u8) -> String {
        let mut names = Vec::new();
        for (bit, name) in [
            (NULL, "null"),
            (BOOLEAN, "boolean"),
            (OBJECT, "object"),
            (ARRAY, "array"),
            (STRING, "string"),
        ] {
            if t & bit != 0 {
                names.push(name);
            }
        }
        match t & NUMBER {
            NUMBER => names.push("number"),
            INTEGER => names.push("integer"),
            FRACTION => names.push("non-integer number"),
            _ => {}
        }
        match names.len() {
            0 => "nothing".into(),
            1 => names[0].into(),
            _ => {
                let last = names.pop().unwrap_or_default();
                format!("{} or {last}", names.join(", "))
            }
        }
    }
}

/// A numeric bound: `minimum` (closed) or `exclusiveMinimum` (open), and the keyword it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
    pub keyword: &'static str,
}

#[derive(Debug)]
pub struct SchemaNode {
    /// Index into `JsonSchema::files`.
    pub file: usize,
    pub pointer: String,
    pub kind: Kind,
}

#[derive(Debug)]
pub enum Kind {
    Bool(bool),
    Keywords(Box<Keywords>),
}

/// The keywords of one schema object, parsed. Absent keywords are empty; annotations (`title`,
/// `description`, `default`, `examples`, `$comment`) and unknown keywords are not kept: they do not
/// change which instances are valid.
#[derive(Debug, Default)]
pub struct Keywords {
    pub types: Option<u8>,
    pub enum_values: Option<Vec<Value>>,
    /// `value_key` of each `enum` value, so membership is one lookup, not a scan.
    pub enum_keys: Option<ahash::AHashSet<String>>,
    /// For `anyOf` and `oneOf` whose branches each accept only values they list (`const` or
    /// `enum`): how many branches accept each value, by `value_key`; `None` when some branch is
    /// not such a set. Built on first use by the engine's evaluator, so a value is matched with
    /// one lookup instead of against every branch (the documented-enum idiom has thousands).
    pub any_of_values: std::sync::OnceLock<Option<ahash::AHashMap<String, u32>>>,
    pub one_of_values: std::sync::OnceLock<Option<ahash::AHashMap<String, u32>>>,
    pub const_value: Option<Value>,
    pub format: Option<String>,
    // strings
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    // numbers
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
    pub multiple_of: Option<f64>,
    // objects
    pub properties: Vec<(String, NodeId)>,
    /// `properties` by name, so looking one up is one step (objects may declare thousands).
    pub property_index: HashMap<String, NodeId>,
    pub pattern_properties: Vec<(String, NodeId)>,
    pub additional_properties: Option<NodeId>,
    pub unevaluated_properties: Option<NodeId>,
    pub required: Vec<String>,
    /// `required` as a set.
    pub required_set: ahash::AHashSet<String>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub dependent_required: Vec<(String, Vec<String>)>,
    pub dependent_schemas: Vec<(String, NodeId)>,
    pub property_names: Option<NodeId>,
    // arrays
    /// `prefixItems`, or the array form of `items` before 2020-12.
    pub prefix_items: Vec<NodeId>,
    /// The schema for items after the prefix: `items` (2020-12, or the schema form before), or
    /// `additionalItems` after an `items` array.
    pub items: Option<NodeId>,
    pub unevaluated_items: Option<NodeId>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub contains: Option<NodeId>,
    pub min_contains: Option<u64>,
    pub max_contains: Option<u64>,
    // combinators
    pub all_of: Vec<NodeId>,
    pub any_of: Vec<NodeId>,
    pub one_of: Vec<NodeId>,
    pub not: Option<NodeId>,
    pub if_: Option<NodeId>,
    pub then_: Option<NodeId>,
    pub else_: Option<NodeId>,
    pub ref_: Option<NodeId>,
    /// Constructs the engine cannot reason about (`$dynamicRef`, `$recursiveRef`), by keyword.
    pub undecidable: Vec<&'static str>,
    /// The schema is a `$ref` and nothing else that constrains instances.
    pub only_ref: bool,
}

impl Keywords {
    /// The schema `properties` declares for `name`.
    pub fn property(&self, name: &str) -> Option<NodeId> {
        self.property_index.get(name).copied()
    }
    /// Does `required` list `name`?
    pub fn requires(&self, name: &str) -> bool {
        self.required_set.contains(name)
    }
    /// Does `enum` list `v` (as JSON Schema compares values)? True when there is no `enum`.
    pub fn enum_contains(&self, v: &Value) -> bool {
        match &self.enum_keys {
            Some(keys) => keys.contains(&value_key(v)),
            None => true,
        }
    }
    /// Does this schema constrain objects at all (its own keywords, not its applicators)?
    pub fn has_object_keywords(&self) -> bool {
        !self.properties.is_empty()
            || !self.pattern_properties.is_empty()
            || self.additional_properties.is_some()
            || self.unevaluated_properties.is_some()
            || !self.required.is_empty()
            || self.min_properties.is_some()
            || self.max_properties.is_some()
            || !self.dependent_required.is_empty()
            || self.property_names.is_some()
    }
    pub fn has_array_keywords(&self) -> bool {
        !self.prefix_items.is_empty()
            || self.items.is_some()
            || self.unevaluated_items.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique_items
            || self.contains.is_some()
    }
    /// Applicators that apply to the instance itself (not to a member or item).
    pub fn in_place(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.all_of
            .iter()
            .chain(&self.any_of)
            .chain(&self.one_of)
            .chain(self.not.iter())
            .chain(self.if_.iter())
            .chain(self.then_.iter())
            .chain(self.else_.iter())
            .chain(self.ref_.iter())
            .chain(self.dependent_schemas.iter().map(|(_, s)| s))
            .copied()
    }
    /// The own schema of property `name` before additional/unevaluated: `properties[name]` and
    /// every matching `patternProperties` schema.
    pub fn named(&self, name: &str, schema: &JsonSchema) -> (Vec<NodeId>, bool) {
        let mut out: Vec<NodeId> = self.property(name).into_iter().collect();
        let mut matched = !out.is_empty();
        for (p, s) in &self.pattern_properties {
            if schema.pattern_matches(p, name).unwrap_or(true) {
                out.push(*s);
                matched = true;
            }
        }
        (out, matched)
    }
}

/// A file a schema reads: the version itself or one its `$ref`s reach.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub source: Arc<SourceFile>,
    pub json: Arc<Node>,
    pub value: Arc<Value>,
}

/// One version's schema, with every file it references.
#[derive(Debug)]
pub struct JsonSchema {
    pub nodes: Vec<SchemaNode>,
    pub root: NodeId,
    /// `files[0]` is the version's own file.
    pub files: Vec<LoadedFile>,
    /// The base URI of each file (`evreg:/schemas/…` for registry files).
    pub uris: Vec<String>,
    pub draft: Draft,
    regexes: Mutex<HashMap<String, Option<Arc<fancy_regex::Regex>>>>,
    /// Where each `$ref` led: (file, pointer of the schema holding it) → (file, pointer of the
    /// target). The one resolution of references, which code generation reads too.
    refs: HashMap<(usize, String), (usize, String)>,
}

impl JsonSchema {
    pub fn node(&self, id: NodeId) -> &SchemaNode {
        &self.nodes[id]
    }
    pub fn keywords(&self, id: NodeId) -> Option<&Keywords> {
        match &self.nodes[id].kind {
            Kind::Keywords(k) => Some(k),
            Kind::Bool(_) => None,
        }
    }
    pub fn is_true(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].kind, Kind::Bool(true))
    }
    pub fn is_false(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].kind, Kind::Bool(false))
    }
    /// The location of a pointer in one of the schema's files.
    pub fn location(&self, file: usize, pointer: &str) -> Location {
        let f = &self.files[file.min(self.files.len() - 1)];
        Location::at(&f.source, pointer, f.json.pointer_span(pointer))
    }
    /// The pointer of `keyword` in node `id` if it is written there, else the node's pointer.
    pub fn keyword_pointer(&self, id: NodeId, keyword: &str) -> String {
        let n = &self.nodes[id];
        let p = format!("{}/{}", n.pointer, escape_pointer_token(keyword));
        if self.files[n.file].json.pointer(&p).is_some() {
            p
        } else {
            n.pointer.clone()
        }
    }
    /// Whether the ECMA-262 `pattern` matches `text` (None when the regex cannot run).
    pub fn pattern_matches(&self, pattern: &str, text: &str) -> Option<bool> {
        let re = {
            let mut cache = self.regexes.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .entry(pattern.to_string())
                .or_insert_with(|| compile_pattern(pattern).ok())
                .clone()
        };
        re?.is_match(text).ok()
    }
    /// The target of the `$ref` in the schema at (file, pointer), as loading resolved it
    /// (through `$id`s, anchors, percent-encoded pointers and other files of the registry).
    pub fn ref_target(&self, file: usize, pointer: &str) -> Option<(usize, &str)> {
        self.refs
            .get(&(file, pointer.to_string()))
            .map(|(f, p)| (*f, p.as_str()))
    }
    /// The resources the `jsonschema` crate needs to validate an instance against this schema:
    /// the root document with its base URI, and every other file under its URI.
    pub fn resources(&self) -> (&Value, &str, Vec<(&str, &Value)>) {
        let others = self
            .files
            .iter()
            .zip(&self.uris)
            .skip(1)
            .map(|(f, u)| (u.as_str(), f.value.as_ref()))
            .collect();
        (&self.files[0].value, &self.uris[0], others)
    }
}

/// Compile an ECMA-262 pattern as the jsonschema crate does. Compiled once per process: the
/// versions of a subject repeat their patterns, and loading checks each one before use.
pub fn compile_pattern(pattern: &str) -> Result<Arc<fancy_regex::Regex>, String> {
    type Compiled = Result<Arc<fancy_regex::Regex>, String>;
    static COMPILED: std::sync::OnceLock<Mutex<HashMap<String, Compiled>>> =
        std::sync::OnceLock::new();
    let cache = COMPILED.get_or_init(Mutex::default);
    if let Some(done) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(pattern) {
        return done.clone();
    }
    let translated = jsonschema_regex::to_rust_regex(pattern)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| pattern.to_string());
    let compiled = fancy_regex::Regex::new(&translated)
        .map(Arc::new)
        .map_err(|e| {
            let text = e.to_string();
            text.lines().last().unwrap_or(&text).trim().to_string()
        });
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(pattern.to_string(), compiled.clone());
    compiled
}

/// Where `$ref`s to other files are read from: the registry root (or, for two loose files, the
/// folder `compat` was given), with a cache shared by every version that reads the same file.
pub struct FileProvider {
    pub root: PathBuf,
    cache: Mutex<HashMap<String, Result<LoadedFile, String>>>,
    /// When set, the only files there are (a registry read from git holds its files in memory).
    files: Option<HashMap<String, Arc<SourceFile>>>,
    /// Named types of the shared Avro files (`schemas/*.avsc`), indexed on first use.
    avro_shared: std::sync::OnceLock<crate::schema::avro::SharedTypes>,
}

impl FileProvider {
    pub fn new(root: impl Into<PathBuf>) -> FileProvider {
        FileProvider {
            root: root.into(),
            cache: Mutex::new(HashMap::new()),
            files: None,
            avro_shared: std::sync::OnceLock::new(),
        }
    }

    /// A provider serving only `files` (by their registry-relative paths).
    pub fn in_memory(
        root: impl Into<PathBuf>,
        files: impl IntoIterator<Item = Arc<SourceFile>>,
    ) -> FileProvider {
        FileProvider {
            root: root.into(),
            cache: Mutex::new(HashMap::new()),
            files: Some(files.into_iter().map(|f| (f.path.clone(), f)).collect()),
            avro_shared: std::sync::OnceLock::new(),
        }
    }

    /// The named types shared Avro files define: plain `.avsc` files directly under `schemas/`.
    pub fn avro_shared(&self) -> &crate::schema::avro::SharedTypes {
        self.avro_shared.get_or_init(|| {
            let is_shared = |p: &str| {
                p.strip_prefix("schemas/")
                    .is_some_and(|n| !n.contains('/') && n.ends_with(".avsc"))
            };
            let files: Vec<Arc<SourceFile>> = match &self.files {
                Some(files) => files
                    .values()
                    .filter(|f| is_shared(&f.path))
                    .cloned()
                    .collect(),
                None => crate::fsutil::Gate::new(&self.root)
                    .and_then(|gate| gate.list("schemas"))
                    .into_iter()
                    .flatten()
                    .filter_map(|(name, _)| {
                        let rel = format!("schemas/{name}");
                        is_shared(&rel).then(|| self.read_disk(&rel).ok()).flatten()
                    })
                    .collect(),
            };
            let mut files = files;
            files.sort_by(|a, b| a.path.cmp(&b.path));
            crate::schema::avro::SharedTypes::new(files)
        })
    }

    /// Read `rel` (a `/`-separated path relative to the root, already normalised); refuses paths
    /// that leave the root, also through symbolic links.
    pub fn load(&self, rel: &str) -> Result<LoadedFile, String> {
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel)
        {
            return hit.clone();
        }
        let result = self.read(rel);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), result.clone());
        result
    }

    fn read(&self, rel: &str) -> Result<LoadedFile, String> {
        let source = match &self.files {
            Some(files) => files
                .get(rel)
                .cloned()
                .ok_or_else(|| format!("{rel} is not a file of the registry"))?,
            None => self.read_disk(rel)?,
        };
        let json = sj::parse(&source.text).map_err(|e| {
            let (l, c) = source.line_col(e.offset);
            format!("{rel}:{l}:{c}: not valid JSON: {}", e.message)
        })?;
        let value = json.to_serde();
        Ok(LoadedFile {
            source,
            json: Arc::new(json),
            value: Arc::new(value),
        })
    }

    /// Through the gate: confined to the root (links included), regular files only.
    fn read_disk(&self, rel: &str) -> Result<Arc<SourceFile>, String> {
        let gate = crate::fsutil::Gate::new(&self.root).map_err(|e| e.to_string())?;
        let bytes = gate.read(rel).map_err(|e| match e {
            crate::fsutil::GateError::Outside { .. } => {
                format!("{rel} lies outside the registry; it is not read")
            }
            crate::fsutil::GateError::Io { error, .. } => format!("cannot read {rel}: {error}"),
            e => format!(
                "cannot read {rel}: {}",
                e.to_string().lines().next().unwrap_or("")
            ),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{rel} is not UTF-8 text"))?;
        Ok(Arc::new(SourceFile::new(rel, text)))
    }
}

/// The base URI of a registry file.
pub fn file_uri(rel: &str) -> String {
    format!("evreg:/{rel}")
}

/// Resolve a URI reference against a base (RFC 3986 §5.2, enough for schema references).
pub fn resolve_uri(base: &str, reference: &str) -> String {
    fn scheme_of(s: &str) -> Option<usize> {
        let i = s.find(':')?;
        let head = &s[..i];
        (!head.is_empty()
            && head.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(i)
    }
    if scheme_of(reference).is_some() {
        return normalise(reference);
    }
    let base = base.split('#').next().unwrap_or("");
    if reference.is_empty() {
        return base.to_string();
    }
    if let Some(frag) = reference.strip_prefix('#') {
        return format!("{base}#{frag}");
    }
    let Some(si) = scheme_of(base) else {
        return reference.to_string();
    };
    let scheme = &base[..=si];
    let rest = &base[si + 1..];
    if reference.starts_with("//") {
        return normalise(&format!("{scheme}{reference}"));
    }
    let (authority, path) = if let Some(r) = rest.strip_prefix("//") {
        match r.find('/') {
            Some(i) => (format!("//{}", &r[..i]), &r[i..]),
            None => (format!("//{r}"), ""),
        }
    } else {
        (String::new(), rest)
    };
    let path = path.split('?').next().unwrap_or("");
    let merged = if reference.starts_with('/') {
        reference.to_string()
    } else if reference.starts_with('?') {
        format!("{path}{reference}")
    } else {
        let dir = match path.rfind('/') {
            Some(i) => &path[..=i],
            None => "/",
        };
        format!("{dir}{reference}")
    };
    normalise(&format!("{scheme}{authority}{merged}"))
}

/// Remove `.` and `..` segments from a URI's path (never above its root).
fn normalise(uri: &str) -> String {
    let (main, frag) = match uri.split_once('#') {
        Some((m, f)) => (m, Some(f)),
        None => (uri, None),
    };
    let Some(ci) = main.find(':') else {
        return uri.to_string();
    };
    let (scheme, rest) = main.split_at(ci + 1);
    let (authority, path) = if let Some(r) = rest.strip_prefix("//") {
        match r.find('/') {
            Some(i) => (format!("//{}", &r[..i]), r[i..].to_string()),
            None => (format!("//{r}"), String::new()),
        }
    } else {
        (String::new(), rest.to_string())
    };
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (path, None),
    };
    let absolute = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                out.pop();
            }
            "" if i > 0 && i + 1 < segments.len() => {}
            s => out.push(s),
        }
    }
    let mut p = out.join("/");
    if absolute && !p.starts_with('/') {
        p.insert(0, '/');
    }
    if matches!(segments.last(), Some(&"." | &"..")) && !p.ends_with('/') {
        p.push('/');
    }
    let mut s = format!("{scheme}{authority}{p}");
    if let Some(q) = query {
        s.push('?');
        s.push_str(&q);
    }
    if let Some(f) = frag {
        s.push('#');
        s.push_str(f);
    }
    s
}

/// Decode `%XX` escapes (bytes that do not form UTF-8 become U+FFFD).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or(""), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The outcome of loading: a schema, or the findings that say why not (each with its position).
pub struct Loaded {
    pub schema: Option<JsonSchema>,
    pub findings: Vec<Finding>,
    /// The other files its `$ref`s reached, in the order they were read — also when loading
    /// failed. What a version means depends on exactly these files: fingerprints and baselines
    /// take them from here rather than resolving references a second way.
    pub reached: Vec<Arc<SourceFile>>,
}

/// The deepest chain of nested schemas (across `$ref`s) compiled before giving up.
const MAX_COMPILE_DEPTH: usize = 512;

/// Load a JSON Schema version. `rel` is its path relative to `provider.root`, where its relative
/// `$ref`s are resolved from (for a registry version, its `source.path`).
/// `draft` is the one assumed for files without `$schema` (the subject's or registry's
/// `json-schema-draft` setting).
///
/// A keyword that the file's draft does not define but another draft does is reported
/// (`json-keyword-other-draft`) beside a schema that still loads: it is valid JSON Schema, but
/// whoever wrote it expected the keyword to constrain something.
pub fn load(source: Arc<SourceFile>, rel: &str, provider: &FileProvider, draft: Draft) -> Loaded {
    let json = match super::parse_json(&source) {
        Ok(n) => n,
        Err(f) => {
            return Loaded {
                schema: None,
                findings: vec![f],
                reached: Vec::new(),
            };
        }
    };
    let value = json.to_serde();
    let root_file = LoadedFile {
        source: source.clone(),
        json: Arc::new(json),
        value: Arc::new(value),
    };
    let mut c = Compiler {
        provider,
        files: vec![root_file],
        uris: vec![file_uri(rel)],
        drafts: Vec::new(),
        explicit: Vec::new(),
        resources: HashMap::new(),
        refs: HashMap::new(),
        memo: HashMap::new(),
        nodes: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
        depth: 0,
    };
    let default = draft;
    let draft = match c.draft_of(0, default) {
        Ok(d) => d,
        Err(f) => {
            return Loaded {
                schema: None,
                findings: vec![f],
                reached: Vec::new(),
            };
        }
    };
    c.drafts.push(draft);
    c.explicit.push(c.files[0].value.get("$schema").is_some());
    if !c.check_numbers(0) {
        return Loaded {
            schema: None,
            findings: c.findings,
            reached: Vec::new(),
        };
    }
    c.index(0);
    let root = c.compile(0, "");
    if c.findings.is_empty() {
        c.check_cycles(root);
    }
    let mut findings = std::mem::take(&mut c.findings);
    let reached = c.files.iter().skip(1).map(|f| f.source.clone()).collect();
    let invalid = !findings.is_empty();
    findings.append(&mut c.notes);
    if invalid {
        return Loaded {
            schema: None,
            findings,
            reached,
        };
    }
    Loaded {
        schema: Some(JsonSchema {
            nodes: c.nodes,
            root,
            files: c.files,
            uris: c.uris,
            draft,
            regexes: Mutex::new(HashMap::new()),
            refs: c.refs,
        }),
        findings,
        reached,
    }
}

struct Compiler<'p> {
    provider: &'p FileProvider,
    files: Vec<LoadedFile>,
    uris: Vec<String>,
    drafts: Vec<Draft>,
    /// Whether each file declares its draft with `$schema` (else the setting's draft is assumed).
    explicit: Vec<bool>,
    /// Absolute URIs (of `$id`s, `$anchor`s and files) → (file, pointer).
    resources: HashMap<String, (usize, String)>,
    /// Each `$ref` resolved: (file, pointer) of its schema → (file, pointer) of the target.
    refs: HashMap<(usize, String), (usize, String)>,
    memo: HashMap<usize, HashMap<String, NodeId>>,
    nodes: Vec<SchemaNode>,
    /// What makes the schema invalid: it is not loaded.
    findings: Vec<Finding>,
    /// What the schema says that its draft ignores: reported, the schema still loads.
    notes: Vec<Finding>,
    depth: usize,
}

/// Keywords that do not constrain instances (beside a `$ref`, they leave it a plain reference).
const NOT_CONSTRAINTS: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Keywords that constrain instances (or name schemas `$ref`s reach) in some drafts only, with
/// the drafts that define them. Annotations and containers (`definitions`, `$defs`, `examples`,
/// `$comment`, `readOnly`, `content*`) are not listed: ignoring them changes no verdict.
const DRAFT_KEYWORDS: &[(&str, &[Draft])] = {
    use Draft::*;
    const D6_ON: &[Draft] = &[D6, D7, D2019, D2020];
    const D7_ON: &[Draft] = &[D7, D2019, D2020];
    const D2019_ON: &[Draft] = &[D2019, D2020];
    &[
        ("id", &[D4]),
        ("$id", D6_ON),
        ("const", D6_ON),
        ("contains", D6_ON),
        ("propertyNames", D6_ON),
        ("if", D7_ON),
        ("then", D7_ON),
        ("else", D7_ON),
        ("dependencies", &[D4, D6, D7]),
        ("additionalItems", &[D4, D6, D7, D2019]),
        ("dependentRequired", D2019_ON),
        ("dependentSchemas", D2019_ON),
        ("unevaluatedProperties", D2019_ON),
        ("unevaluatedItems", D2019_ON),
        ("minContains", D2019_ON),
        ("maxContains", D2019_ON),
        ("$anchor", D2019_ON),
        ("$recursiveRef", &[D2019]),
        ("$recursiveAnchor", &[D2019]),
        ("prefixItems", &[D2020]),
        ("$dynamicRef", &[D2020]),
        ("$dynamicAnchor", &[D2020]),
    ]
};

/// What `draft` writes for `key`, a keyword of other drafts (None: it has no equivalent).
fn written_instead(key: &str, draft: Draft) -> Option<&'static str> {
    let d19 = draft >= Draft::D2019;
    Some(match key {
        "id" => "`$id`",
        "$id" => "`id`",
        "const" => "`enum` with one value",
        "dependencies" => "`dependentRequired` (names) or `dependentSchemas` (schemas)",
        "dependentRequired" | "dependentSchemas" => "`dependencies`",
        "additionalItems" => "`items` after `prefixItems`",
        "prefixItems" => "`items` as an array",
        "$recursiveRef" if draft == Draft::D2020 => "`$dynamicRef`",
        "$dynamicRef" if d19 => "`$recursiveRef`",
        _ => return None,
    })
}

/// Keywords that constrain instances in some draft (for what `$ref` hides before 2019-09).
fn is_keyword(key: &str) -> bool {
    const ALWAYS: &[&str] = &[
        "type",
        "enum",
        "format",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    ];
    ALWAYS.contains(&key)
        || DRAFT_KEYWORDS
            .iter()
            .any(|(k, _)| *k == key && !k.starts_with('$') && *k != "id")
}

/// Keywords whose value is a schema / a map of schemas / an array of schemas.
const SCHEMA_KEYWORDS: &[&str] = &[
    "additionalItems",
    "additionalProperties",
    "contains",
    "if",
    "then",
    "else",
    "not",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "items",
];
const MAP_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    "dependencies",
];
const ARRAY_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];

impl Compiler<'_> {
    fn invalid(&mut self, file: usize, pointer: &str, message: String, help: &str) {
        let f = &self.files[file];
        let loc = Location::at(&f.source, pointer, f.json.pointer_span(pointer));
        self.findings
            .push(Finding::new(&rules::JSON_SCHEMA_INVALID, message, help.to_string()).at(loc));
    }

    fn draft_of(&mut self, file: usize, default: Draft) -> Result<Draft, Finding> {
        let f = &self.files[file];
        let Some(s) = f.value.get("$schema") else {
            return Ok(default);
        };
        let loc = || Location::at(&f.source, "/$schema", f.json.pointer_span("/$schema"));
        match s.as_str().map(Draft::from_uri) {
            Some(Some(d)) => Ok(d),
            _ => Err(Finding::new(
                &rules::JSON_SCHEMA_INVALID,
                format!("`$schema` {s} names no draft evreg reads"),
                "use https://json-schema.org/draft/2020-12/schema (or draft/2019-09, draft-07, draft-06, draft-04)",
            )
            .at(loc())),
        }
    }

    /// Every number of a file must be one a 64-bit float holds: a literal such as `1e999` has no
    /// value to compare (serde_json, and so every step after loading, cannot represent it), and
    /// must never stand for another value silently.
    /// False (with findings) when one is not: the file is not compiled further.
    fn check_numbers(&mut self, file: usize) -> bool {
        let mut bad: Vec<(String, String)> = Vec::new();
        unrepresentable(&self.files[file].json, &mut String::new(), &mut bad);
        let ok = bad.is_empty();
        for (pointer, raw) in bad {
            self.invalid(
                file,
                &pointer,
                format!("the number {raw} is beyond what a 64-bit float holds (±1.8e308, or closer to 0 than 4.9e-324), so it has no value evreg (or a validator) can compare"),
                "write a number within range; for an identifier or an exact decimal, use a string",
            );
        }
        ok
    }

    /// Record every `$id` and `$anchor` of a file with the pointer it names.
    fn index(&mut self, file: usize) {
        let uri = self.uris[file].clone();
        self.resources
            .entry(uri.clone())
            .or_insert((file, String::new()));
        let text = &self.files[file].source.text;
        let draft = self.drafts[file];
        // Only draft-04 names its identifier `id`; elsewhere that is a property like any other
        // (and a common one), so it does not send the whole file through the walk below.
        let may_name_resources = text.contains("$id")
            || text.contains("$anchor")
            || text.contains("$dynamicAnchor")
            || (draft == Draft::D4 && text.contains("\"id\""));
        if !may_name_resources {
            return;
        }
        let value = self.files[file].value.clone();
        self.index_at(file, &value, String::new(), &uri, draft, 0);
    }

    fn index_at(
        &mut self,
        file: usize,
        v: &Value,
        pointer: String,
        base: &str,
        draft: Draft,
        depth: usize,
    ) {
        let Some(obj) = v.as_object() else { return };
        if depth > sj::MAX_DEPTH {
            return;
        }
        let mut base = base.to_string();
        let id_key = if draft == Draft::D4 { "id" } else { "$id" };
        // Before 2019-09 a `$ref` hides its siblings, `$id` included.
        let hidden = draft <= Draft::D7 && obj.contains_key("$ref");
        if let Some(Value::String(id)) = obj.get(id_key)
            && !hidden
        {
            if let Some(anchor) = id.strip_prefix('#') {
                // draft 6/7 plain-name fragment: an anchor
                let key = format!("{}#{anchor}", base.split('#').next().unwrap_or(""));
                self.resources.entry(key).or_insert((file, pointer.clone()));
            } else {
                base = resolve_uri(&base, id);
                let key = base.trim_end_matches('#').to_string();
                self.resources.entry(key).or_insert((file, pointer.clone()));
            }
        }
        if draft >= Draft::D2019
            && let Some(Value::String(a)) = obj.get("$anchor")
        {
            let key = format!("{}#{a}", base.split('#').next().unwrap_or(""));
            self.resources.entry(key).or_insert((file, pointer.clone()));
        }
        if draft == Draft::D2020
            && let Some(Value::String(a)) = obj.get("$dynamicAnchor")
        {
            let key = format!("{}#{a}", base.split('#').next().unwrap_or(""));
            self.resources.entry(key).or_insert((file, pointer.clone()));
        }
        for (k, child) in obj {
            let (schema, map, array) = (
                SCHEMA_KEYWORDS.contains(&k.as_str()),
                MAP_KEYWORDS.contains(&k.as_str()),
                ARRAY_KEYWORDS.contains(&k.as_str()),
            );
            if !(schema || map || array) {
                continue;
            }
            let kp = sj::child_pointer(&pointer, &escape_pointer_token(k));
            if schema && child.is_object() {
                self.index_at(file, child, kp.clone(), &base, draft, depth + 1);
            }
            if map && let Some(m) = child.as_object() {
                for (name, s) in m {
                    let p = sj::child_pointer(&kp, &escape_pointer_token(name));
                    self.index_at(file, s, p, &base, draft, depth + 1);
                }
            }
            if array && let Some(a) = child.as_array() {
                for (i, s) in a.iter().enumerate() {
                    self.index_at(file, s, format!("{kp}/{i}"), &base, draft, depth + 1);
                }
            }
        }
    }

    /// The base URI in force at `pointer` of `file`.
    fn base_at(&self, file: usize, pointer: &str) -> String {
        let mut base = self.uris[file].clone();
        let draft = self.drafts[file];
        let id_key = if draft == Draft::D4 { "id" } else { "$id" };
        let mut v: &Value = &self.files[file].value;
        let apply = |v: &Value, base: &mut String| {
            if let Some(Value::String(id)) = v.get(id_key)
                && !id.starts_with('#')
                && !(draft <= Draft::D7 && v.get("$ref").is_some())
            {
                *base = resolve_uri(base, id);
            }
        };
        apply(v, &mut base);
        if pointer.is_empty() {
            return base;
        }
        for tok in pointer.trim_start_matches('/').split('/') {
            let tok = unescape_pointer_token(tok);
            let next = match v {
                Value::Object(m) => m.get(tok.as_ref()),
                Value::Array(a) => tok.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            };
            let Some(n) = next else { break };
            v = n;
            apply(v, &mut base);
        }
        base
    }

    fn new_node(&mut self, file: usize, pointer: &str, kind: Kind) -> NodeId {
        self.nodes.push(SchemaNode {
            file,
            pointer: pointer.to_string(),
            kind,
        });
        self.nodes.len() - 1
    }

    /// Compile the schema at (file, pointer), once.
    fn compile(&mut self, file: usize, pointer: &str) -> NodeId {
        if let Some(&id) = self.memo.get(&file).and_then(|m| m.get(pointer)) {
            return id;
        }
        let value = self.files[file].value.clone();
        match value.pointer(pointer) {
            Some(v) => self.compile_v(file, pointer, v),
            None => self.new_node(file, pointer, Kind::Bool(true)),
        }
    }

    /// `additionalProperties` / `additionalItems`: a schema, or a boolean in every draft (draft-04
    /// allows booleans in exactly these two keywords).
    fn compile_or_bool(&mut self, file: usize, pointer: &str, v: &Value) -> NodeId {
        let Value::Bool(b) = v else {
            return self.compile_v(file, pointer, v);
        };
        if let Some(&id) = self.memo.get(&file).and_then(|m| m.get(pointer)) {
            return id;
        }
        let id = self.new_node(file, pointer, Kind::Bool(*b));
        self.memo
            .entry(file)
            .or_default()
            .insert(pointer.to_string(), id);
        id
    }

    /// Compile `v`, the schema at (file, pointer), once.
    fn compile_v(&mut self, file: usize, pointer: &str, v: &Value) -> NodeId {
        if let Some(&id) = self.memo.get(&file).and_then(|m| m.get(pointer)) {
            return id;
        }
        let id = self.new_node(file, pointer, Kind::Bool(true));
        self.memo
            .entry(file)
            .or_default()
            .insert(pointer.to_string(), id);
        self.depth += 1;
        if self.depth > MAX_COMPILE_DEPTH {
            self.invalid(
                file,
                pointer,
                format!("schemas nest deeper than {MAX_COMPILE_DEPTH} levels (through `$ref`s)"),
                "flatten the schema; real event schemas nest a few dozen levels at most",
            );
            self.depth -= 1;
            return id;
        }
        let kind = self.compile_value(file, pointer, v);
        self.nodes[id].kind = kind;
        self.depth -= 1;
        id
    }

    fn compile_value(&mut self, file: usize, pointer: &str, v: &Value) -> Kind {
        let draft = self.drafts[file];
        let obj = match v {
            Value::Bool(b) if draft >= Draft::D6 => return Kind::Bool(*b),
            Value::Object(o) => o,
            _ => {
                self.invalid(
                    file,
                    pointer,
                    format!(
                        "a schema must be an object{}, not {}",
                        if draft >= Draft::D6 {
                            " or a boolean"
                        } else {
                            ""
                        },
                        crate::source::json::value_kind(v)
                    ),
                    "write {} (any value), {\"type\": \"string\"}, …",
                );
                return Kind::Bool(true);
            }
        };
        let mut k = Keywords::default();
        let at = |kw: &str| sj::child_pointer(pointer, &escape_pointer_token(kw));
        if let Some(r) = obj.get("$ref") {
            let Some(r) = r.as_str() else {
                self.invalid(
                    file,
                    &at("$ref"),
                    "`$ref` must be a string".into(),
                    "write a URI reference such as \"#/$defs/Money\"",
                );
                return Kind::Bool(true);
            };
            if let Some(target) = self.reference(file, pointer, &at("$ref"), r) {
                k.ref_ = Some(target);
            }
            if draft <= Draft::D7 {
                // Before 2019-09, `$ref` replaces the whole schema object.
                for key in obj.keys() {
                    if key != "$ref" && !NOT_CONSTRAINTS.contains(&key.as_str()) && is_keyword(key)
                    {
                        self.ignored_beside_ref(file, draft, &at(key), key);
                    }
                }
                k.only_ref = true;
                return Kind::Keywords(Box::new(k));
            }
        }
        for (key, val) in obj {
            let p = at(key);
            self.keyword(file, draft, &p, key, val, obj, &mut k);
        }
        k.only_ref = k.ref_.is_some()
            && obj
                .keys()
                .all(|key| NOT_CONSTRAINTS.contains(&key.as_str()));
        Kind::Keywords(Box::new(k))
    }

    fn reference(
        &mut self,
        file: usize,
        pointer: &str,
        ref_pointer: &str,
        r: &str,
    ) -> Option<NodeId> {
        let base = self.base_at(file, pointer);
        if base.starts_with("evreg:/") && escapes_root(&base["evreg:/".len()..], r) {
            self.invalid(
                file,
                ref_pointer,
                format!("`$ref` \"{r}\" leaves the registry; evreg reads only files inside it"),
                "keep shared definitions inside the registry (e.g. schemas/money.schema.json) and refer to them by relative path",
            );
            return None;
        }
        let abs = resolve_uri(&base, r);
        let (doc, frag) = match abs.split_once('#') {
            Some((d, f)) => (d.to_string(), percent_decode(f)),
            None => (abs.clone(), String::new()),
        };
        let target = if let Some((f, p)) = self.resources.get(&doc).cloned() {
            Some((f, p))
        } else if let Some(rel) = doc.strip_prefix("evreg:/") {
            match self.load_file(rel, file) {
                Ok(f) => Some((f, String::new())),
                Err(e) => {
                    self.invalid(
                        file,
                        ref_pointer,
                        format!("`$ref` \"{r}\": {e}"),
                        "a `$ref` to another file names it by its path relative to this file, e.g. \"../money.schema.json#/$defs/Money\"",
                    );
                    return None;
                }
            }
        } else {
            let remote = doc.starts_with("http://") || doc.starts_with("https://");
            // A relative reference is remote only because an `$id` made the base remote.
            let by_id = remote && !has_scheme(r) && !base.starts_with("evreg:/");
            let (message, help) = if by_id {
                (
                    format!(
                        "`$ref` \"{r}\" is relative, but the `$id` in scope (\"{base}\") makes it {doc}, a remote URI; evreg never fetches schemas from the network"
                    ),
                    format!(
                        "a relative `$ref` resolves against the nearest `$id`, not against the file's path: remove that `$id`, or make it relative (e.g. \"a.schema.json\"), so \"{r}\" names a file of the registry"
                    ),
                )
            } else if remote {
                (
                    format!(
                        "`$ref` \"{r}\" is remote ({doc}); evreg never fetches schemas from the network"
                    ),
                    "copy the referenced schema into the registry and refer to it by relative path, e.g. \"../money.schema.json\"".to_string(),
                )
            } else {
                (
                    format!("`$ref` \"{r}\" resolves to {doc}, which is no file of the registry and no `$id` of the loaded schemas"),
                    "copy the referenced schema into the registry and refer to it by relative path, e.g. \"../money.schema.json\"".to_string(),
                )
            };
            self.invalid(file, ref_pointer, message, &help);
            return None;
        };
        let (tf, tp) = target?;
        let ptr = if frag.is_empty() {
            tp
        } else if frag.starts_with('/') {
            format!("{tp}{frag}")
        } else {
            let key = format!("{doc}#{frag}");
            match self.resources.get(&key).cloned() {
                Some((af, ap)) => {
                    self.refs
                        .insert((file, pointer.to_string()), (af, ap.clone()));
                    return Some(self.compile(af, &ap));
                }
                None => {
                    self.invalid(
                        file,
                        ref_pointer,
                        format!("`$ref` \"{r}\" names anchor `{frag}`, which no schema declares"),
                        "declare it with \"$anchor\" (2019-09 and later) or point at the schema with a JSON pointer (#/$defs/…)",
                    );
                    return None;
                }
            }
        };
        if self.files[tf].value.pointer(&ptr).is_none() {
            self.invalid(
                file,
                ref_pointer,
                format!(
                    "`$ref` \"{r}\" points to nothing: {} has no {}",
                    self.files[tf].source.path,
                    if ptr.is_empty() { "root" } else { &ptr }
                ),
                "fix the pointer (a typo in $defs/definitions?) or add the definition",
            );
            return None;
        }
        self.refs
            .insert((file, pointer.to_string()), (tf, ptr.clone()));
        Some(self.compile(tf, &ptr))
    }

    fn load_file(&mut self, rel: &str, from: usize) -> Result<usize, String> {
        let clean = clean_rel(rel).ok_or_else(|| format!("{rel} leaves the registry"))?;
        if let Some(i) = self.files.iter().position(|f| f.source.path == clean) {
            return Ok(i);
        }
        let loaded = self.provider.load(&clean)?;
        self.files.push(loaded);
        self.uris.push(file_uri(&clean));
        let i = self.files.len() - 1;
        let default = self.drafts[from];
        let d = self.draft_of(i, default).map_err(|f| f.message)?;
        self.drafts.push(d);
        self.explicit
            .push(self.files[i].value.get("$schema").is_some() || self.explicit[from]);
        if !self.check_numbers(i) {
            return Err(format!(
                "{clean} holds a number beyond what a 64-bit float holds"
            ));
        }
        self.index(i);
        Ok(i)
    }

    #[allow(clippy::too_many_arguments)]
    fn keyword(
        &mut self,
        file: usize,
        draft: Draft,
        p: &str,
        key: &str,
        val: &Value,
        obj: &serde_json::Map<String, Value>,
        k: &mut Keywords,
    ) {
        let d6 = draft >= Draft::D6;
        let d7 = draft >= Draft::D7;
        let d19 = draft >= Draft::D2019;
        let d20 = draft >= Draft::D2020;
        match key {
            "type" => {
                let names: Vec<&Value> = match val {
                    Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                let mut t = 0u8;
                for n in names {
                    match n.as_str().and_then(types::of_name) {
                        Some(b) => t |= b,
                        None => {
                            self.invalid(file, p, format!("`type` names an unknown type {n}"), "types are null, boolean, object, array, number, integer and string");
                            return;
                        }
                    }
                }
                k.types = Some(t);
            }
            "enum" => match val.as_array() {
                Some(a) => {
                    k.enum_keys = Some(a.iter().map(value_key).collect());
                    k.enum_values = Some(a.clone());
                }
                None => self.invalid(file, p, "`enum` must be an array".into(), "write \"enum\": [\"a\", \"b\"]"),
            },
            "const" if d6 => k.const_value = Some(val.clone()),
            "format" => match val.as_str() {
                Some(s) => k.format = Some(s.to_string()),
                None => self.invalid(file, p, "`format` must be a string".into(), "e.g. \"format\": \"date-time\""),
            },
            "minLength" => k.min_length = self.count(file, p, key, val),
            "maxLength" => k.max_length = self.count(file, p, key, val),
            "pattern" => match val.as_str() {
                Some(s) => match compile_pattern(s) {
                    Ok(_) => k.pattern = Some(s.to_string()),
                    Err(e) => self.invalid(file, p, format!("`pattern` is not a valid regular expression: {e}"), "write an ECMA-262 regular expression; escape backslashes in JSON (\"\\\\d+\")"),
                },
                None => self.invalid(file, p, "`pattern` must be a string".into(), "e.g. \"pattern\": \"^[A-Z]{3}$\""),
            },
            "minimum" | "maximum" => {
                let Some(n) = self.number(file, p, key, val) else { return };
                let excl_key = if key == "minimum" { "exclusiveMinimum" } else { "exclusiveMaximum" };
                let exclusive = draft == Draft::D4 && obj.get(excl_key) == Some(&Value::Bool(true));
                let b = Bound { value: n, exclusive, keyword: if key == "minimum" { "minimum" } else { "maximum" } };
                let slot = if key == "minimum" { &mut k.lower } else { &mut k.upper };
                *slot = tighter(*slot, b, key == "minimum");
            }
            "exclusiveMinimum" | "exclusiveMaximum" => {
                if draft == Draft::D4 {
                    if !val.is_boolean() {
                        self.invalid(file, p, format!("in draft-04 `{key}` is a boolean that modifies `{}`", if key == "exclusiveMinimum" { "minimum" } else { "maximum" }), "write \"exclusiveMinimum\": true beside \"minimum\", or move to a later draft where it is a number");
                    }
                    return;
                }
                if val.is_boolean() {
                    self.invalid(file, p, format!("`{key}` is a number since draft-06 (the boolean form is draft-04's)"), "write \"exclusiveMinimum\": 0 instead of \"minimum\": 0, \"exclusiveMinimum\": true");
                    return;
                }
                let Some(n) = self.number(file, p, key, val) else { return };
                let lower = key == "exclusiveMinimum";
                let b = Bound { value: n, exclusive: true, keyword: if lower { "exclusiveMinimum" } else { "exclusiveMaximum" } };
                let slot = if lower { &mut k.lower } else { &mut k.upper };
                *slot = tighter(*slot, b, lower);
            }
            "multipleOf" => {
                if let Some(n) = self.number(file, p, key, val) {
                    if n > 0.0 {
                        k.multiple_of = Some(n);
                    } else {
                        self.invalid(file, p, "`multipleOf` must be greater than 0".into(), "e.g. \"multipleOf\": 0.01");
                    }
                }
            }
            "properties" | "patternProperties" | "dependentSchemas" if key != "dependentSchemas" || d19 => {
                let Some(m) = val.as_object() else {
                    self.invalid(file, p, format!("`{key}` must be an object of schemas"), "e.g. \"properties\": {\"id\": {\"type\": \"string\"}}");
                    return;
                };
                let mut out = Vec::new();
                for name in self.keys_in_order(file, p, m) {
                    let name = &name;
                    if key == "patternProperties"
                        && let Err(e) = compile_pattern(name)
                    {
                        self.invalid(file, &format!("{p}/{}", escape_pointer_token(name)), format!("`patternProperties` key is not a valid regular expression: {e}"), "write an ECMA-262 regular expression");
                        continue;
                    }
                    let id = self.compile_v(
                        file,
                        &format!("{p}/{}", escape_pointer_token(name)),
                        &m[name.as_str()],
                    );
                    out.push((name.clone(), id));
                }
                match key {
                    "properties" => {
                        k.property_index = out.iter().map(|(n, s)| (n.clone(), *s)).collect();
                        k.properties = out;
                    }
                    "patternProperties" => k.pattern_properties = out,
                    _ => k.dependent_schemas = out,
                }
            }
            "additionalProperties" => k.additional_properties = Some(self.compile_or_bool(file, p, val)),
            "unevaluatedProperties" if d19 => k.unevaluated_properties = Some(self.compile_v(file, p, val)),
            "propertyNames" if d6 => k.property_names = Some(self.compile_v(file, p, val)),
            "required" => {
                match val.as_array().filter(|a| a.iter().all(Value::is_string)) {
                    Some(a) => {
                        k.required = a.iter().filter_map(|s| s.as_str().map(String::from)).collect();
                        k.required_set = k.required.iter().cloned().collect();
                    }
                    None => self.invalid(file, p, "`required` must be an array of property names".into(), "e.g. \"required\": [\"id\", \"amount\"]"),
                }
            }
            "minProperties" => k.min_properties = self.count(file, p, key, val),
            "maxProperties" => k.max_properties = self.count(file, p, key, val),
            "dependentRequired" if d19 => {
                let Some(m) = val.as_object() else {
                    self.invalid(file, p, "`dependentRequired` must be an object of arrays of names".into(), "e.g. \"dependentRequired\": {\"card\": [\"expiry\"]}");
                    return;
                };
                for (name, deps) in m {
                    match deps.as_array().filter(|a| a.iter().all(Value::is_string)) {
                        Some(a) => k.dependent_required.push((name.clone(), a.iter().filter_map(|s| s.as_str().map(String::from)).collect())),
                        None => self.invalid(file, &format!("{p}/{}", escape_pointer_token(name)), "each `dependentRequired` value must be an array of names".into(), "e.g. [\"expiry\"]"),
                    }
                }
            }
            "dependencies" if !d19 => {
                let Some(m) = val.as_object() else {
                    self.invalid(file, p, "`dependencies` must be an object".into(), "e.g. \"dependencies\": {\"card\": [\"expiry\"]}");
                    return;
                };
                for name in self.keys_in_order(file, p, m) {
                    let dep = &m[&name];
                    let name = &name;
                    let dp = format!("{p}/{}", escape_pointer_token(name));
                    match dep {
                        Value::Array(a) if a.iter().all(Value::is_string) => k.dependent_required.push((name.clone(), a.iter().filter_map(|s| s.as_str().map(String::from)).collect())),
                        Value::Object(_) | Value::Bool(_) => {
                            let id = self.compile_v(file, &dp, dep);
                            k.dependent_schemas.push((name.clone(), id));
                        }
                        _ => self.invalid(file, &dp, "each `dependencies` value must be an array of names or a schema".into(), "e.g. [\"expiry\"]"),
                    }
                }
            }
            "items" => match val {
                Value::Array(a) if !d20 => {
                    k.prefix_items = (0..a.len()).map(|i| self.compile_v(file, &format!("{p}/{i}"), &a[i])).collect();
                    if let Some(ai) = obj.get("additionalItems") {
                        k.items = Some(self.compile_or_bool(
                            file,
                            &format!("{}/additionalItems", parent(p)),
                            ai,
                        ));
                    }
                }
                Value::Array(_) => self.invalid(file, p, "in 2020-12 `items` is one schema; the array form is `prefixItems`".into(), "rename `items` to `prefixItems` (and `additionalItems` to `items`)"),
                _ => k.items = Some(self.compile_v(file, p, val)),
            },
            // Without an `items` array, additionalItems has no effect; it is still checked.
            "additionalItems" if !d20 && !obj.get("items").is_some_and(Value::is_array) => {
                self.compile_or_bool(file, p, val);
            }
            "prefixItems" if d20 => match val.as_array() {
                Some(a) => k.prefix_items = (0..a.len()).map(|i| self.compile_v(file, &format!("{p}/{i}"), &a[i])).collect(),
                None => self.invalid(file, p, "`prefixItems` must be an array of schemas".into(), "e.g. \"prefixItems\": [{\"type\": \"string\"}]"),
            },
            "unevaluatedItems" if d19 => k.unevaluated_items = Some(self.compile_v(file, p, val)),
            "minItems" => k.min_items = self.count(file, p, key, val),
            "maxItems" => k.max_items = self.count(file, p, key, val),
            "uniqueItems" => match val.as_bool() {
                Some(b) => k.unique_items = b,
                None => self.invalid(file, p, "`uniqueItems` must be a boolean".into(), "\"uniqueItems\": true"),
            },
            "contains" if d6 => k.contains = Some(self.compile_v(file, p, val)),
            "minContains" if d19 => k.min_contains = self.count(file, p, key, val),
            "maxContains" if d19 => k.max_contains = self.count(file, p, key, val),
            "allOf" | "anyOf" | "oneOf" => {
                let Some(a) = val.as_array().filter(|a| !a.is_empty()) else {
                    self.invalid(file, p, format!("`{key}` must be a non-empty array of schemas"), "e.g. \"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]");
                    return;
                };
                let ids = (0..a.len()).map(|i| self.compile_v(file, &format!("{p}/{i}"), &a[i])).collect();
                match key {
                    "allOf" => k.all_of = ids,
                    "anyOf" => k.any_of = ids,
                    _ => k.one_of = ids,
                }
            }
            "not" => k.not = Some(self.compile_v(file, p, val)),
            "if" if d7 => k.if_ = Some(self.compile_v(file, p, val)),
            "then" if d7 => k.then_ = Some(self.compile_v(file, p, val)),
            "else" if d7 => k.else_ = Some(self.compile_v(file, p, val)),
            "$defs" | "definitions" if !val.is_object() => {
                self.invalid(file, p, format!("`{key}` must be an object of schemas"), "e.g. \"$defs\": {\"Money\": {…}}");
            }
            "$dynamicRef" if d20 => k.undecidable.push("$dynamicRef"),
            "$recursiveRef" if draft == Draft::D2019 => k.undecidable.push("$recursiveRef"),
            "$id" | "$anchor" | "$dynamicAnchor" | "$schema" if !val.is_string() => {
                self.invalid(file, p, format!("`{key}` must be a string"), "write a string");
            }
            _ => self.other_draft(file, draft, p, key),
        }
        if (key == "then" || key == "else") && d7 && obj.get("if").is_none() {
            // Without `if`, `then` and `else` are ignored.
            match key {
                "then" => k.then_ = None,
                _ => k.else_ = None,
            }
        }
        if draft >= Draft::D2019 && key == "minContains" && obj.get("contains").is_none() {
            k.min_contains = None;
        }
        if draft >= Draft::D2019 && key == "maxContains" && obj.get("contains").is_none() {
            k.max_contains = None;
        }
    }

    /// Report `key` when `draft` does not define it but another draft does.
    fn other_draft(&mut self, file: usize, draft: Draft, p: &str, key: &str) {
        let Some(&(_, defined)) = DRAFT_KEYWORDS.iter().find(|(k, _)| *k == key) else {
            return;
        };
        if defined.contains(&draft) {
            return;
        }
        let names: Vec<&str> = defined.iter().map(|d| d.name()).collect();
        let target = defined[defined.len() - 1];
        let instead = match written_instead(key, draft) {
            Some(w) => format!("; under {} write {w}", draft.name()),
            None => String::new(),
        };
        let (why, help) = if self.explicit[file] {
            (
                format!("{}, which `$schema` declares", draft.name()),
                format!(
                    "change `$schema` to a draft that defines `{key}` (\"{}\"){instead}",
                    target.uri()
                ),
            )
        } else {
            (
                format!(
                    "{}, the draft assumed for a file without `$schema`",
                    draft.name()
                ),
                format!(
                    "declare the draft the schema is written for (\"$schema\": \"{}\"), or set `json-schema-draft: {}` in evreg.yaml (one subject: its subject.yaml; `evreg compat`: --draft {}){instead}",
                    target.uri(),
                    target.name(),
                    target.name()
                ),
            )
        };
        let message = format!(
            "`{key}` is a keyword of {} but not of {why}: it is ignored and constrains nothing",
            names.join(", ")
        );
        self.note(file, p, message, help);
    }

    /// Report a keyword beside `$ref` that `draft` (before 2019-09) ignores.
    fn ignored_beside_ref(&mut self, file: usize, draft: Draft, p: &str, key: &str) {
        let why = if self.explicit[file] {
            format!("{}, which `$schema` declares", draft.name())
        } else {
            format!(
                "{}, the draft assumed for a file without `$schema`",
                draft.name()
            )
        };
        let message = format!(
            "`{key}` beside `$ref` is ignored under {why} (before 2019-09 `$ref` replaces its whole schema object); 2019-09 and later apply it"
        );
        let help = if self.explicit[file] {
            "move the keyword and the `$ref` into \"allOf\": [{\"$ref\": …}, {…}], or declare 2019-09 or later in `$schema`".to_string()
        } else {
            "move the keyword and the `$ref` into \"allOf\": [{\"$ref\": …}, {…}], or assume 2019-09 or later (`json-schema-draft: 2020-12` in evreg.yaml, or \"$schema\")".to_string()
        };
        self.note(file, p, message, help);
    }

    fn note(&mut self, file: usize, pointer: &str, message: String, help: String) {
        let f = &self.files[file];
        let loc = Location::at(&f.source, pointer, f.json.pointer_span(pointer));
        self.notes
            .push(Finding::new(&rules::JSON_KEYWORD_OTHER_DRAFT, message, help).at(loc));
    }

    /// An object's keys in the order the file writes them (findings follow the document).
    fn keys_in_order(
        &self,
        file: usize,
        p: &str,
        m: &serde_json::Map<String, Value>,
    ) -> Vec<String> {
        match self.files[file].json.pointer(p).and_then(|n| n.as_object()) {
            Some(members) => members.iter().map(|mb| mb.key.clone()).collect(),
            None => m.keys().cloned().collect(),
        }
    }

    fn count(&mut self, file: usize, p: &str, key: &str, val: &Value) -> Option<u64> {
        let n = val.as_u64().or_else(|| {
            val.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u64)
        });
        if n.is_none() {
            self.invalid(
                file,
                p,
                format!(
                    "`{key}` must be a non-negative integer, not {}",
                    kind_name_or_value(val)
                ),
                "e.g. \"maxLength\": 64",
            );
        }
        n
    }

    fn number(&mut self, file: usize, p: &str, key: &str, val: &Value) -> Option<f64> {
        let n = val.as_f64();
        if n.is_none() {
            self.invalid(
                file,
                p,
                format!(
                    "`{key}` must be a number, not {}",
                    crate::source::json::value_kind(val)
                ),
                "e.g. \"minimum\": 0",
            );
        }
        n
    }

    /// A cycle of `$ref`s (or other in-place applicators) that never reaches a keyword that
    /// descends into the instance would make validation loop forever: it is an error.
    fn check_cycles(&mut self, root: NodeId) {
        let n = self.nodes.len();
        let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        let _ = root;
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            // iterative DFS over in-place edges
            let mut stack: Vec<(NodeId, Vec<NodeId>, usize)> = vec![(start, self.edges(start), 0)];
            state[start] = 1;
            while let Some((node, edges, i)) = stack.last_mut() {
                if *i < edges.len() {
                    let next = edges[*i];
                    *i += 1;
                    match state[next] {
                        0 => {
                            state[next] = 1;
                            let e = self.edges(next);
                            stack.push((next, e, 0));
                        }
                        1 => {
                            let _ = node;
                            let (file, pointer) =
                                (self.nodes[next].file, self.nodes[next].pointer.clone());
                            let ptr = if self.files[file]
                                .json
                                .pointer(&format!("{pointer}/$ref"))
                                .is_some()
                            {
                                format!("{pointer}/$ref")
                            } else {
                                pointer
                            };
                            self.invalid(
                                file,
                                &ptr,
                                "this `$ref` is part of a cycle that never descends into the instance (a schema defined as itself); validating it would never end".into(),
                                "break the cycle: a recursive schema must recurse through `properties`, `items` or similar",
                            );
                            return;
                        }
                        _ => {}
                    }
                } else {
                    state[*node] = 2;
                    stack.pop();
                }
            }
        }
    }

    fn edges(&self, id: NodeId) -> Vec<NodeId> {
        match &self.nodes[id].kind {
            Kind::Keywords(k) => k.in_place().collect(),
            Kind::Bool(_) => Vec::new(),
        }
    }
}

/// The (pointer, literal) of each number in `node` a 64-bit float cannot hold: out of range, or
/// a non-zero literal that rounds to zero.
fn unrepresentable(node: &Node, pointer: &mut String, out: &mut Vec<(String, String)>) {
    match &node.value {
        sj::Value::Number(n) => {
            let f: f64 = n.raw.parse().unwrap_or(f64::NAN);
            let mantissa = n.raw.split(['e', 'E']).next().unwrap_or("");
            let nonzero = mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b));
            if !f.is_finite() || (f == 0.0 && nonzero) {
                out.push((pointer.clone(), n.raw.clone()));
            }
        }
        sj::Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                unrepresentable(x, pointer, out);
                pointer.truncate(len);
            }
        }
        sj::Value::Object(members) => {
            for m in members {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(&m.key));
                unrepresentable(&m.value, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Does a relative reference climb above the root from `base_path` (a root-relative file path)?
fn escapes_root(base_path: &str, reference: &str) -> bool {
    let path = reference.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with('/') || path.contains(':') {
        return false;
    }
    let mut depth = base_path.trim_start_matches('/').split('/').count() as i64 - 1;
    for seg in path.split('/') {
        match seg {
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            "." | "" => {}
            _ => depth += 1,
        }
    }
    false
}

fn parent(p: &str) -> &str {
    p.rsplit_once('/').map_or("", |(a, _)| a)
}

/// Does a URI reference start with a scheme (`https:`, `urn:`)?
fn has_scheme(r: &str) -> bool {
    match r.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Normalise a registry-relative path; None when it climbs above the root.
fn clean_rel(rel: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(&percent_decode(rel)).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir | Component::RootDir => {}
            Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The tighter of two bounds (lower: the larger, upper: the smaller; open beats closed at a tie).
pub fn tighter(a: Option<Bound>, b: Bound, lower: bool) -> Option<Bound> {
    Some(match a {
        None => b,
        Some(a) => {
            if a.value == b.value {
                if b.exclusive { b } else { a }
            } else if (a.value < b.value) == lower {
                b
            } else {
                a
            }
        }
    })
}

fn kind_name_or_value(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        v => crate::source::json::value_kind(v).to_string(),
    }
}

/// JSON Schema's equality: numbers compare by value (`1` equals `1.0`), objects by members.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A key for a value such that `value_key(a) == value_key(b)` exactly when `json_eq(a, b)`:
/// numbers by value (`1` and `1.0` alike), object members in key order. For sets of values.
pub fn value_key(v: &Value) -> String {
    use std::fmt::Write;
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Null => out.push('z'),
            Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
            Value::Number(n) => match n.as_f64() {
                // `-0.0 == 0.0`, as json_eq compares.
                Some(f) => {
                    let _ = write!(out, "n{:x};", (f + 0.0).to_bits());
                }
                None => {
                    let _ = write!(out, "N{n};");
                }
            },
            // Length-prefixed, so no text needs escaping.
            Value::String(s) => {
                let _ = write!(out, "s{}:", s.len());
                out.push_str(s);
            }
            Value::Array(a) => {
                out.push('[');
                for x in a {
                    write(x, out);
                }
                out.push(']');
            }
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for k in keys {
                    let _ = write!(out, "{}:", k.len());
                    out.push_str(k);
                    write(&m[k.as_str()], out);
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// A stable short rendering of a value for messages.
pub fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_resolve_like_rfc_3986() {
        let b = "evreg:/schemas/a.b.c/v1.schema.json";
        assert_eq!(
            resolve_uri(b, "../money.schema.json"),
            "evreg:/schemas/money.schema.json"
        );
        assert_eq!(
            resolve_uri(b, "#/$defs/x"),
            "evreg:/schemas/a.b.c/v1.schema.json#/$defs/x"
        );
        assert_eq!(resolve_uri(b, "../../../../x.json"), "evreg:/x.json");
        assert_eq!(
            resolve_uri("https://example.com/a/b.json", "c.json#x"),
            "https://example.com/a/c.json#x"
        );
        assert_eq!(resolve_uri(b, "https://e.com/x"), "https://e.com/x");
        assert_eq!(clean_rel("schemas/../x.json").as_deref(), Some("x.json"));
        assert_eq!(clean_rel("../x.json"), None);
    }

    fn load_text(text: &str) -> Loaded {
        let dir = tempfile::tempdir().unwrap();
        let provider = FileProvider::new(dir.path());
        load(
            Arc::new(SourceFile::new("v1.schema.json", text)),
            "v1.schema.json",
            &provider,
            Draft::default(),
        )
    }

    fn errors(text: &str) -> Vec<String> {
        load_text(text)
            .findings
            .into_iter()
            .map(|f| {
                let l = f.location.unwrap();
                format!("{}:{}: {}", l.pointer, l.line.unwrap_or(0), f.message)
            })
            .collect()
    }

    #[test]
    fn a_relative_ref_made_remote_by_an_id_names_the_id() {
        let l = load_text(
            r#"{"$id": "https://example.com/s/a.json", "properties": {"m": {"$ref": "money.json"}}}"#,
        );
        assert_eq!(l.findings.len(), 1);
        let f = &l.findings[0];
        assert!(f.message.contains("is relative"), "{}", f.message);
        assert!(
            f.message.contains("https://example.com/s/a.json"),
            "{}",
            f.message
        );
        let help = &f.help;
        assert!(help.contains("remove that `$id`"), "{help}");
        assert!(!help.contains("refer to it by relative path"), "{help}");
        // An absolute remote reference keeps the advice to copy it in.
        let l = load_text(r#"{"$ref": "https://example.com/x.json"}"#);
        assert!(l.findings[0].message.contains("is remote"));
    }

    #[test]
    fn bad_keywords_are_errors_with_positions() {
        let e = errors(r##"{"type": "object", "properties": {"a": {"maxLength": "5"}}}"##);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("/properties/a/maxLength:1:"), "{e:?}");
        assert!(errors(r##"{"type": "strin"}"##)[0].contains("unknown type"));
        assert!(errors(r##"{"pattern": "(unclosed"}"##)[0].contains("regular expression"));
        assert!(errors(r##"{"$ref": "#/$defs/nope"}"##)[0].contains("points to nothing"));
        assert!(errors(r##"{"$ref": "https://example.com/x.json"}"##)[0].contains("remote"));
        assert!(errors(r##"{"$ref": "#"}"##)[0].contains("cycle"));
        assert!(
            errors(r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##)[0]
                .contains("cycle")
        );
        assert!(errors(r##"{"$ref": "../../x.json"}"##)[0].contains("leaves the registry"));
        assert!(errors(r##"{"$schema": "http://example.com/s"}"##)[0].contains("no draft"));
        assert!(errors(r##"{"items": [true]}"##)[0].contains("prefixItems"));
        assert!(
            errors(r##"{"$schema": "http://json-schema.org/draft-07/schema#", "exclusiveMinimum": true}"##)[0]
                .contains("draft-06")
        );
        assert!(errors(r##"{"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 0, "exclusiveMinimum": true}"##).is_empty());
    }

    #[test]
    fn numbers_beyond_f64_are_invalid_never_null() {
        let e = errors(r##"{"enum": [1e999, "x"]}"##);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("/enum/0:1: the number 1e999 is beyond"),
            "{e:?}"
        );
        let e =
            errors("{\n  \"properties\": {\"a\": {\"maximum\": -2E+400}},\n  \"const\": 1e-400\n}");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("/properties/a/maximum:2:"), "{e:?}");
        assert!(e[1].starts_with("/const:3:"), "{e:?}");
        assert!(
            errors(
                r##"{"enum": [0e999, 0.000, 1.7e308, 123456789012345678901234567890, 5e-324]}"##
            )
            .is_empty()
        );
    }

    #[test]
    fn recursive_schemas_compile_to_graphs() {
        let l = load_text(
            r##"{"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}}, "$ref": "#/$defs/node"}"##,
        );
        assert!(l.findings.is_empty());
        let s = l.schema.unwrap();
        assert!(s.nodes.len() < 10);
    }

    #[test]
    fn anchors_and_ids_resolve() {
        let l = load_text(
            r##"{"$defs": {"m": {"$anchor": "money", "type": "integer"}, "e": {"$id": "urn:x:e", "type": "string"}}, "properties": {"a": {"$ref": "#money"}, "b": {"$ref": "urn:x:e"}}}"##,
        );
        assert!(l.findings.is_empty(), "{:?}", l.findings);
    }

    #[test]
    fn draft_04_names_resources_with_id_and_later_drafts_do_not() {
        let l = load_text(
            r##"{"$schema": "http://json-schema.org/draft-04/schema#", "definitions": {"e": {"id": "urn:x:e", "type": "string"}, "m": {"id": "#money", "type": "integer"}}, "properties": {"a": {"$ref": "#money"}, "b": {"$ref": "urn:x:e"}}}"##,
        );
        assert!(l.findings.is_empty(), "{:?}", l.findings);
        let l = load_text(
            r##"{"$defs": {"e": {"id": "urn:x:e", "type": "string"}}, "properties": {"b": {"$ref": "urn:x:e"}}}"##,
        );
        assert!(l.schema.is_none() || !l.findings.is_empty());
    }

    #[test]
    fn drafts_are_read() {
        let l = load_text(
            r##"{"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 5, "exclusiveMaximum": true}"##,
        );
        let s = l.schema.unwrap();
        assert_eq!(s.draft, Draft::D4);
        let k = s.keywords(s.root).unwrap();
        assert!(k.upper.unwrap().exclusive);
    }

    fn notes(text: &str, draft: Draft) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let provider = FileProvider::new(dir.path());
        let l = load(
            Arc::new(SourceFile::new("v1.schema.json", text)),
            "v1.schema.json",
            &provider,
            draft,
        );
        assert!(l.schema.is_some(), "{:?}", l.findings);
        l.findings
            .into_iter()
            .map(|f| {
                assert_eq!(f.rule.id, "json-keyword-other-draft");
                let l = f.location.unwrap();
                format!("{} {} | {}", l.pointer, f.message, f.help)
            })
            .collect()
    }

    #[test]
    fn keywords_of_another_draft_are_reported_not_skipped() {
        let n = notes(
            r#"{"type": "object", "dependencies": {"card": ["expiry"]}}"#,
            Draft::D2020,
        );
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(n[0].starts_with("/dependencies `dependencies` is a keyword of draft-04, draft-06, draft-07 but not of 2020-12, the draft assumed"), "{n:?}");
        assert!(n[0].contains("json-schema-draft: draft-07"), "{n:?}");
        assert!(n[0].contains("dependentRequired"), "{n:?}");
        // Under the draft that defines it, it is read (and constrains).
        assert!(notes(r#"{"dependencies": {"card": ["expiry"]}}"#, Draft::D7).is_empty());
        let s = load_text(r#"{"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"card": ["expiry"]}}"#)
            .schema
            .unwrap();
        assert_eq!(s.keywords(s.root).unwrap().dependent_required.len(), 1);
        // A declared draft is named as declared, and the help says to change `$schema`.
        let n = notes(
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"dependentRequired": {"x": ["y"]}, "prefixItems": [true]}}}"#,
            Draft::D2020,
        );
        assert_eq!(n.len(), 2, "{n:?}");
        assert!(n[0].starts_with("/properties/a/dependentRequired"), "{n:?}");
        assert!(n[0].contains("which `$schema` declares"), "{n:?}");
        assert!(n[1].contains("2020-12 but not of draft-07"), "{n:?}");
        // Newer keywords under an older assumed draft, and what draft-04 lacks.
        assert_eq!(
            notes(r#"{"if": {}, "then": {}, "const": 1}"#, Draft::D4).len(),
            3
        );
        assert_eq!(
            notes(r#"{"unevaluatedProperties": false}"#, Draft::D7).len(),
            1
        );
        assert_eq!(
            notes(r#"{"additionalItems": false}"#, Draft::D2020).len(),
            1
        );
        // Annotations and containers change nothing and are not reported.
        assert!(
            notes(
                r#"{"definitions": {}, "$comment": "x", "examples": [1], "readOnly": true}"#,
                Draft::D2020
            )
            .is_empty()
        );
        assert!(notes(r#"{"$defs": {}, "title": "t"}"#, Draft::D7).is_empty());
    }

    #[test]
    fn keywords_beside_a_ref_before_2019_09_are_reported() {
        let n = notes(
            r##"{"$defs": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a", "maxLength": 3, "description": "d"}}}"##,
            Draft::D7,
        );
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(
            n[0].starts_with(
                "/properties/x/maxLength `maxLength` beside `$ref` is ignored under draft-07"
            ),
            "{n:?}"
        );
        assert!(
            notes(
                r##"{"$defs": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a", "maxLength": 3}}}"##,
                Draft::D2020,
            )
            .is_empty()
        );
    }
}
