//! The JSON Schema change list: the two versions' documents walked together, schema object by
//! schema object and keyword by keyword, in file order. Properties, pattern properties,
//! definitions and dependencies pair by name, tuple items by position, `allOf`/`anyOf`/`oneOf`
//! branches first by equality and then by position; every other keyword is compared as a value.
//! Each change names its keyword family and its pointer in both versions (where an element is
//! missing on one side, its parent stands in, marked so), which is how the engine's findings —
//! located by pointer in both versions — find it. Files both versions' `$ref`s reach are walked
//! too, so a shared definition that differs between them shows where it differs.

use super::{Change, ChangeKind, Family, Place, rule_list};
use crate::compat::avro::join;
use crate::rules::Rule;
use crate::schema::json::{JsonSchema, types};
use crate::source::json::{Member, Node, Value, escape_pointer_token};

pub(super) fn changes(old: &JsonSchema, new: &JsonSchema) -> Vec<Change> {
    let mut w = Walker {
        out: Vec::new(),
        old_file: String::new(),
        new_file: String::new(),
        inherit: Vec::new(),
    };
    let pairs = std::iter::once((&old.files[0], &new.files[0])).chain(
        new.files.iter().skip(1).filter_map(|nf| {
            let of = old
                .files
                .iter()
                .skip(1)
                .find(|of| of.source.path == nf.source.path)?;
            Some((of, nf))
        }),
    );
    for (of, nf) in pairs {
        w.old_file = of.source.path.clone();
        w.new_file = nf.source.path.clone();
        w.schema(&of.json, &nf.json, &At::root());
    }
    w.out
}

/// Where a pair of schema objects sits: its pointer on each side, the readable instance path,
/// and the keyword it sits under (`""` at a file's root).
#[derive(Clone)]
struct At {
    op: String,
    np: String,
    path: String,
    under: String,
    /// Rules of the applicators this schema sits in (`anyOf`, `not`, `items`, …): the engine
    /// may report a change inside them at the applicator.
    inherit: Vec<&'static Rule>,
}

impl At {
    fn root() -> At {
        At {
            op: String::new(),
            np: String::new(),
            path: String::new(),
            under: String::new(),
            inherit: Vec::new(),
        }
    }
    /// The schemas at `tokens` below this one on both sides.
    fn down(&self, under: &str, old: &[&str], new: &[&str], path: String) -> At {
        let ext = |base: &str, tokens: &[&str]| {
            let mut p = base.to_string();
            for t in tokens {
                p.push('/');
                p.push_str(&escape_pointer_token(t));
            }
            p
        };
        At {
            op: ext(&self.op, old),
            np: ext(&self.np, new),
            path,
            under: under.to_string(),
            inherit: match under {
                "properties" | "$defs" | "definitions" => self.inherit.clone(),
                _ => [self.inherit.as_slice(), rules_of(under)].concat(),
            },
        }
    }
    /// The path as messages quote it.
    fn shown(&self) -> String {
        if self.path.is_empty() {
            "the root".into()
        } else {
            format!("`{}`", self.path)
        }
    }
}

fn ptr(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_pointer_token(token))
}

/// The keyword's family in the change list.
pub(super) fn family_of(keyword: &str) -> Family {
    match keyword {
        "type" => Family::Types,
        "enum" | "const" => Family::Enum,
        "minLength" | "maxLength" | "pattern" | "format" => Family::Strings,
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            Family::Numbers
        }
        "properties"
        | "patternProperties"
        | "additionalProperties"
        | "unevaluatedProperties"
        | "required"
        | "minProperties"
        | "maxProperties"
        | "dependentRequired"
        | "dependentSchemas"
        | "dependencies"
        | "propertyNames" => Family::Objects,
        "items" | "prefixItems" | "additionalItems" | "unevaluatedItems" | "contains"
        | "minContains" | "maxContains" | "minItems" | "maxItems" | "uniqueItems" => Family::Arrays,
        "allOf" | "anyOf" | "oneOf" | "not" | "if" | "then" | "else" => Family::Combinators,
        "$ref" | "$dynamicRef" | "$recursiveRef" | "$defs" | "definitions" | "$id" | "$anchor"
        | "$dynamicAnchor" | "$recursiveAnchor" => Family::Refs,
        "$schema" | "$vocabulary" => Family::Dialect,
        "title" | "description" | "default" | "examples" | "$comment" | "deprecated"
        | "readOnly" | "writeOnly" | "contentEncoding" | "contentMediaType" | "contentSchema" => {
            Family::Annotations
        }
        _ => Family::Other,
    }
}

const OBJECT_MODEL: &[&Rule] = rule_list![
    JSON_PROPERTY_ADDED_TO_OPEN_MODEL,
    JSON_PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL,
    JSON_PROPERTY_REMOVED_FROM_CLOSED_MODEL,
    JSON_PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL,
    JSON_ADDITIONAL_PROPERTIES_NARROWED,
    JSON_PATTERN_PROPERTIES_CHANGED,
];

/// The engine rules a change of this keyword can cause.
pub(super) fn rules_of(keyword: &str) -> &'static [&'static Rule] {
    match keyword {
        "type" => rule_list![JSON_TYPE_NARROWED],
        "enum" | "const" => rule_list![JSON_ENUM_NARROWED, JSON_CONST_CHANGED, JSON_TYPE_NARROWED],
        "format" => rule_list![JSON_FORMAT_CHANGED],
        "minLength" => rule_list![JSON_MIN_LENGTH_INCREASED],
        "maxLength" => rule_list![JSON_MAX_LENGTH_DECREASED],
        "pattern" => rule_list![JSON_PATTERN_CHANGED],
        "minimum" | "exclusiveMinimum" => rule_list![JSON_MINIMUM_INCREASED],
        "maximum" | "exclusiveMaximum" => rule_list![JSON_MAXIMUM_DECREASED],
        "multipleOf" => rule_list![JSON_MULTIPLE_OF_CHANGED],
        "properties" | "patternProperties" | "additionalProperties" | "unevaluatedProperties" => {
            OBJECT_MODEL
        }
        "required" => rule_list![JSON_REQUIRED_ADDED],
        "minProperties" => rule_list![JSON_MIN_PROPERTIES_INCREASED],
        "maxProperties" => rule_list![JSON_MAX_PROPERTIES_DECREASED],
        "dependentRequired" | "dependencies" => {
            rule_list![JSON_DEPENDENT_REQUIRED_ADDED, JSON_DEPENDENT_SCHEMA_ADDED]
        }
        "dependentSchemas" => rule_list![JSON_DEPENDENT_SCHEMA_ADDED],
        "propertyNames" => rule_list![JSON_PROPERTY_NAMES_NARROWED],
        "items" | "prefixItems" | "additionalItems" | "unevaluatedItems" => {
            rule_list![JSON_ITEMS_NARROWED, JSON_MAX_ITEMS_DECREASED]
        }
        "minItems" => rule_list![JSON_MIN_ITEMS_INCREASED],
        "maxItems" => rule_list![JSON_MAX_ITEMS_DECREASED],
        "uniqueItems" => rule_list![JSON_UNIQUE_ITEMS_ADDED],
        "contains" | "minContains" | "maxContains" => rule_list![JSON_CONTAINS_NARROWED],
        "anyOf" => rule_list![JSON_ANY_OF_NARROWED],
        "oneOf" => rule_list![JSON_ONE_OF_NARROWED],
        "not" => rule_list![JSON_NOT_CHANGED],
        "if" | "then" | "else" => rule_list![JSON_CONDITIONAL_CHANGED],
        _ => &[],
    }
}

/// `maxLength` → `max-length`, for change kinds.
fn kebab(keyword: &str) -> String {
    let mut out = String::new();
    for c in keyword.trim_start_matches('$').chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// JSON Schema's equality (`1` equals `1.0`, members in any order).
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Number(x), Value::Number(y)) => x.raw == y.raw || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return false;
            }
            let by_key: std::collections::HashMap<&str, &Node> =
                y.iter().map(|m| (m.key.as_str(), &m.value)).collect();
            x.iter().all(|m| {
                by_key
                    .get(m.key.as_str())
                    .is_some_and(|v| same(&m.value, v))
            })
        }
        (x, y) => x == y,
    }
}

/// A schema's keywords: an object's members, none for `true`; `None` for `false` (or a value
/// that is no schema).
fn members(x: &Node) -> Option<&[Member]> {
    match &x.value {
        Value::Object(m) => Some(m),
        Value::Bool(true) => Some(&[]),
        _ => None,
    }
}

/// A map keyword's entries (none when absent); `None` when it is not an object.
fn entries(x: Option<&Node>) -> Option<&[Member]> {
    match x {
        None => Some(&[]),
        Some(v) => v.as_object(),
    }
}

fn member<'a>(members: &'a [Member], key: &str) -> Option<&'a Node> {
    members.iter().find(|m| m.key == key).map(|m| &m.value)
}

/// A value as messages show it: compact JSON, long ones shortened.
fn show(n: &Node) -> String {
    crate::schema::json::show(&n.to_serde())
}

fn number(n: &Node) -> Option<f64> {
    match &n.value {
        Value::Number(x) => Some(x.as_f64()),
        _ => None,
    }
}

/// The type names a `type` keyword lists (absent: every type).
fn type_names(n: Option<&Node>) -> Option<Vec<String>> {
    let n = n?;
    Some(match &n.value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    })
}

fn type_mask(names: &Option<Vec<String>>) -> u8 {
    match names {
        None => types::ALL,
        Some(ns) => ns
            .iter()
            .filter_map(|n| types::of_name(n))
            .fold(0, |a, b| a | b),
    }
}

struct Walker {
    out: Vec<Change>,
    old_file: String,
    new_file: String,
    /// The inherited rules of the schema whose keywords are being compared.
    inherit: Vec<&'static Rule>,
}

impl Walker {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        keyword: &str,
        kind: String,
        path: &str,
        new: (String, bool),
        old: (String, bool),
        message: String,
        mention: Option<&str>,
    ) {
        let inherit = self.inherit.clone();
        let place = |file: &str, p: (String, bool)| -> Place { (file.to_string(), p.0, p.1) };
        let kind = ChangeKind::Keyword {
            keyword: keyword.to_string(),
            name: kind,
        };
        let mut c = Change::new(
            kind,
            path,
            place(&self.new_file, new),
            place(&self.old_file, old),
            message,
        )
        .rules(&inherit);
        if matches!(keyword, "$ref" | "$dynamicRef" | "$recursiveRef") {
            c = c.subtree();
        }
        if let Some(m) = mention {
            c = c.mention(m);
        }
        self.out.push(c);
    }

    /// Pointers of `keyword` on both sides: the keyword itself where written, else its schema.
    fn places(
        at: &At,
        keyword: &str,
        o: Option<&Node>,
        n: Option<&Node>,
    ) -> ((String, bool), (String, bool)) {
        let side = |base: &str, v: Option<&Node>| match v {
            Some(_) => (ptr(base, keyword), true),
            None => (base.to_string(), false),
        };
        (side(&at.np, n), side(&at.op, o))
    }

    /// Two schemas at the same place.
    fn schema(&mut self, o: &Node, n: &Node, at: &At) {
        if same(o, n) {
            return;
        }
        let outer = std::mem::replace(&mut self.inherit, at.inherit.clone());
        self.schema_inner(o, n, at);
        self.inherit = outer;
    }

    fn schema_inner(&mut self, o: &Node, n: &Node, at: &At) {
        // `true` is the empty schema; compare it keyword by keyword like one.
        match (members(o), members(n)) {
            (Some(om), Some(nm)) => self.keywords(om, nm, at),
            _ => {
                let what = |x: &Node| match &x.value {
                    Value::Bool(false) => "nothing (`false`)".to_string(),
                    Value::Bool(true) => "anything (`true`)".to_string(),
                    _ => show(x),
                };
                let message = format!(
                    "{}: the schema changed from {} to {}",
                    at.shown(),
                    what(o),
                    what(n)
                );
                self.push(
                    &at.under.clone(),
                    "schema-replaced".into(),
                    &at.path,
                    (at.np.clone(), true),
                    (at.op.clone(), true),
                    message,
                    None,
                );
            }
        }
    }

    fn keywords(&mut self, om: &[Member], nm: &[Member], at: &At) {
        let mut keys: Vec<&str> = nm.iter().map(|m| m.key.as_str()).collect();
        keys.extend(
            om.iter()
                .map(|m| m.key.as_str())
                .filter(|k| member(nm, k).is_none()),
        );
        for key in keys {
            let (o, n) = (member(om, key), member(nm, key));
            if let (Some(a), Some(b)) = (o, n)
                && same(a, b)
            {
                continue;
            }
            self.keyword(key, o, n, at);
        }
    }

    fn keyword(&mut self, key: &str, o: Option<&Node>, n: Option<&Node>, at: &At) {
        match key {
            "type" => self.types(o, n, at),
            "enum" => self.enum_(o, n, at),
            "minLength" | "maxLength" | "minimum" | "maximum" | "exclusiveMinimum"
            | "exclusiveMaximum" | "minProperties" | "maxProperties" | "minItems" | "maxItems"
            | "minContains" | "maxContains"
                if o.is_none_or(|v| number(v).is_some())
                    && n.is_none_or(|v| number(v).is_some()) =>
            {
                self.bound(key, o, n, at)
            }
            "required" => self.required(o, n, at),
            "properties" => self.map(key, "property", o, n, at, |at, name| join(&at.path, name)),
            "patternProperties" => self.map(key, "pattern property", o, n, at, |at, p| {
                join(&at.path, &format!("/{p}/"))
            }),
            "$defs" | "definitions" => self.map(key, "definition", o, n, at, |_, name| {
                format!("{key}.{name}")
            }),
            "dependentSchemas" => self.map(key, "dependent schema of", o, n, at, |at, _| {
                at.path.clone()
            }),
            "dependentRequired" | "dependencies" => self.dependencies(key, o, n, at),
            "additionalProperties" | "unevaluatedProperties" => {
                self.sub(key, o, n, at, join(&at.path, "*"))
            }
            "propertyNames" | "not" | "if" | "then" | "else" => {
                self.sub(key, o, n, at, at.path.clone())
            }
            "additionalItems" | "unevaluatedItems" | "contains" => {
                self.sub(key, o, n, at, format!("{}[]", at.path))
            }
            "items" | "prefixItems" => self.items(key, o, n, at),
            "allOf" | "anyOf" | "oneOf" => self.branches(key, o, n, at),
            _ => self.value(key, o, n, at),
        }
    }

    /// Any keyword compared as a value: added, removed or changed.
    fn value(&mut self, key: &str, o: Option<&Node>, n: Option<&Node>, at: &At) {
        let (np, op) = Walker::places(at, key, o, n);
        let w = at.shown();
        let (kind, message) = match (o, n) {
            (None, Some(v)) => ("added", format!("{w}: gained `{key}` {}", show(v))),
            (Some(v), None) => ("removed", format!("{w}: lost `{key}` {}", show(v))),
            (Some(a), Some(b)) => (
                "changed",
                format!("{w}: `{key}` changed from {} to {}", show(a), show(b)),
            ),
            (None, None) => return,
        };
        let kind = format!("{}-{kind}", kebab(key));
        self.push(key, kind, &at.path, np, op, message, None);
    }

    fn types(&mut self, o: Option<&Node>, n: Option<&Node>, at: &At) {
        let (on, nn) = (type_names(o), type_names(n));
        let (om, nm) = (type_mask(&on), type_mask(&nn));
        if om == nm && o.is_some() == n.is_some() {
            return;
        }
        let show = |ns: &Option<Vec<String>>| match ns {
            None => "any type".to_string(),
            Some(ns) => ns.join(" or "),
        };
        let kind = if nm & !om == 0 && nm != om {
            "type-narrowed"
        } else if om & !nm == 0 && nm != om {
            "type-widened"
        } else if nm == om {
            // `type` written or dropped without changing the set (every type listed).
            "type-rewritten"
        } else {
            "type-changed"
        };
        let (np, op) = Walker::places(at, "type", o, n);
        let message = format!(
            "{}: `type` changed from {} to {}",
            at.shown(),
            show(&on),
            show(&nn)
        );
        self.push("type", kind.into(), &at.path, np, op, message, None);
    }

    fn enum_(&mut self, o: Option<&Node>, n: Option<&Node>, at: &At) {
        fn items(x: Option<&Node>) -> Option<Vec<&Node>> {
            match &x?.value {
                Value::Array(a) => Some(a.iter().collect()),
                _ => None,
            }
        }
        let (np, op) = Walker::places(at, "enum", o, n);
        let w = at.shown();
        let list = |vs: &[&Node]| vs.iter().map(|v| show(v)).collect::<Vec<_>>().join(", ");
        let (kind, message) = match (items(o), items(n)) {
            (Some(ov), Some(nv)) => {
                let lost: Vec<&Node> = ov
                    .iter()
                    .copied()
                    .filter(|v| !nv.iter().any(|x| same(v, x)))
                    .collect();
                let gained: Vec<&Node> = nv
                    .iter()
                    .copied()
                    .filter(|v| !ov.iter().any(|x| same(v, x)))
                    .collect();
                match (lost.is_empty(), gained.is_empty()) {
                    (true, true) => return,
                    (false, true) => ("enum-narrowed", format!("{w}: `enum` lost {}", list(&lost))),
                    (true, false) => (
                        "enum-widened",
                        format!("{w}: `enum` gained {}", list(&gained)),
                    ),
                    (false, false) => (
                        "enum-changed",
                        format!(
                            "{w}: `enum` lost {} and gained {}",
                            list(&lost),
                            list(&gained)
                        ),
                    ),
                }
            }
            (None, Some(nv)) if o.is_none() => (
                "enum-added",
                format!("{w}: `enum` added, limiting it to {}", list(&nv)),
            ),
            (Some(ov), None) if n.is_none() => (
                "enum-removed",
                format!("{w}: `enum` removed, which limited it to {}", list(&ov)),
            ),
            _ => return self.value("enum", o, n, at),
        };
        self.push("enum", kind.into(), &at.path, np, op, message, None);
    }

    /// A numeric bound or count: raised, lowered, added, removed.
    fn bound(&mut self, key: &str, o: Option<&Node>, n: Option<&Node>, at: &At) {
        let (np, op) = Walker::places(at, key, o, n);
        let w = at.shown();
        let (kind, message) = match (o.and_then(number), n.and_then(number)) {
            (Some(a), Some(b)) if a == b => return,
            (Some(a), Some(b)) => {
                let how = if b > a { "raised" } else { "lowered" };
                (
                    how,
                    format!(
                        "{w}: `{key}` {how} from {} to {}",
                        o.map(show).unwrap_or_default(),
                        n.map(show).unwrap_or_default()
                    ),
                )
            }
            (None, Some(_)) => (
                "added",
                format!("{w}: gained `{key}` {}", n.map(show).unwrap_or_default()),
            ),
            (Some(_), None) => (
                "removed",
                format!("{w}: lost `{key}` {}", o.map(show).unwrap_or_default()),
            ),
            (None, None) => return,
        };
        let kind = format!("{}-{kind}", kebab(key));
        self.push(key, kind, &at.path, np, op, message, None);
    }

    fn required(&mut self, o: Option<&Node>, n: Option<&Node>, at: &At) {
        let names = |x: Option<&Node>| -> Option<Vec<(usize, String)>> {
            match &x?.value {
                Value::Array(a) => Some(
                    a.iter()
                        .enumerate()
                        .filter_map(|(i, v)| v.as_str().map(|s| (i, s.to_string())))
                        .collect(),
                ),
                _ => None,
            }
        };
        let (Some(on), Some(nn)) = (
            names(o).or_else(|| o.is_none().then(Vec::new)),
            names(n).or_else(|| n.is_none().then(Vec::new)),
        ) else {
            return self.value("required", o, n, at);
        };
        let base = |p: &str, x: Option<&Node>| match x {
            Some(_) => (ptr(p, "required"), false),
            None => (p.to_string(), false),
        };
        for (i, name) in nn.iter().filter(|(_, s)| !on.iter().any(|(_, t)| t == s)) {
            let path = join(&at.path, name);
            self.push(
                "required",
                "required-added".into(),
                &path,
                (ptr(&ptr(&at.np, "required"), &i.to_string()), true),
                base(&at.op, o),
                format!("`{path}` is now required"),
                Some(name),
            );
        }
        for (i, name) in on.iter().filter(|(_, s)| !nn.iter().any(|(_, t)| t == s)) {
            let path = join(&at.path, name);
            self.push(
                "required",
                "required-removed".into(),
                &path,
                base(&at.np, n),
                (ptr(&ptr(&at.op, "required"), &i.to_string()), true),
                format!("`{path}` is no longer required"),
                Some(name),
            );
        }
    }

    /// A map of schemas by name (`properties`, `patternProperties`, `$defs`, …): entries added,
    /// removed, and the schemas of entries on both sides compared.
    fn map(
        &mut self,
        key: &str,
        what: &str,
        o: Option<&Node>,
        n: Option<&Node>,
        at: &At,
        path_of: impl Fn(&At, &str) -> String,
    ) {
        let (Some(om), Some(nm)) = (entries(o), entries(n)) else {
            return self.value(key, o, n, at);
        };
        let (base_n, base_o) = Walker::places(at, key, o, n);
        let kind = kebab(what).replace(' ', "-");
        let kind = kind.trim_end_matches("-of");
        // Large maps (thousands of properties) are looked up by key, not scanned.
        let old_by_key: std::collections::HashMap<&str, &Node> =
            om.iter().map(|m| (m.key.as_str(), &m.value)).collect();
        let new_keys: std::collections::HashSet<&str> = nm.iter().map(|m| m.key.as_str()).collect();
        for m in nm {
            let path = path_of(at, &m.key);
            match old_by_key.get(m.key.as_str()).copied() {
                Some(ov) => {
                    let below = at.down(key, &[key, &m.key], &[key, &m.key], path);
                    self.schema(ov, &m.value, &below);
                }
                None => {
                    let message = format!(
                        "{what} `{}` added{}",
                        if key == "properties" { &path } else { &m.key },
                        summary(&m.value)
                    );
                    self.push(
                        key,
                        format!("{kind}-added"),
                        &path,
                        (ptr(&ptr(&at.np, key), &m.key), true),
                        (base_o.0.clone(), false),
                        message,
                        Some(&m.key),
                    );
                }
            }
        }
        for m in om.iter().filter(|m| !new_keys.contains(m.key.as_str())) {
            let path = path_of(at, &m.key);
            let message = format!(
                "{what} `{}` removed{}",
                if key == "properties" { &path } else { &m.key },
                summary(&m.value)
            );
            self.push(
                key,
                format!("{kind}-removed"),
                &path,
                (base_n.0.clone(), false),
                (ptr(&ptr(&at.op, key), &m.key), true),
                message,
                Some(&m.key),
            );
        }
    }

    /// `dependentRequired` (names) and draft-7 `dependencies` (names or a schema), by key.
    fn dependencies(&mut self, key: &str, o: Option<&Node>, n: Option<&Node>, at: &At) {
        let (Some(om), Some(nm)) = (entries(o), entries(n)) else {
            return self.value(key, o, n, at);
        };
        let (base_n, base_o) = Walker::places(at, key, o, n);
        let w = at.shown();
        for m in nm {
            match member(om, &m.key) {
                Some(ov) if same(ov, &m.value) => {}
                Some(ov) => self.dependency(key, &m.key, ov, &m.value, at),
                None => self.push(
                    key,
                    "dependency-added".into(),
                    &at.path,
                    (ptr(&ptr(&at.np, key), &m.key), true),
                    (base_o.0.clone(), false),
                    format!(
                        "{w}: `{}`, when present, now requires {}",
                        m.key,
                        show(&m.value)
                    ),
                    Some(&m.key),
                ),
            }
        }
        for m in om.iter().filter(|m| member(nm, &m.key).is_none()) {
            self.push(
                key,
                "dependency-removed".into(),
                &at.path,
                (base_n.0.clone(), false),
                (ptr(&ptr(&at.op, key), &m.key), true),
                format!(
                    "{w}: `{}`, when present, no longer requires {}",
                    m.key,
                    show(&m.value)
                ),
                Some(&m.key),
            );
        }
    }

    /// The dependency of property `name` on both sides: names gained or lost, two schemas
    /// compared, or one form swapped for the other.
    fn dependency(&mut self, key: &str, name: &str, ov: &Node, nv: &Node, at: &At) {
        let names = |x: &Node| -> Option<Vec<String>> {
            x.as_array().map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
        };
        let w = at.shown();
        let np = ptr(&ptr(&at.np, key), name);
        let op = ptr(&ptr(&at.op, key), name);
        let (kind, message) = match (names(ov), names(nv)) {
            (Some(a), Some(b)) => {
                let list = |v: Vec<&String>| {
                    v.iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let gained: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
                let lost: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
                let mut parts = Vec::new();
                if !gained.is_empty() {
                    parts.push(format!("now also requires {}", list(gained)));
                }
                if !lost.is_empty() {
                    parts.push(format!("no longer requires {}", list(lost)));
                }
                (
                    "dependent-required-changed",
                    format!("{w}: `{name}`, when present, {}", parts.join(" and ")),
                )
            }
            (None, None) => {
                let below = at.down(key, &[key, name], &[key, name], at.path.clone());
                return self.schema(ov, nv, &below);
            }
            _ => (
                "dependency-changed",
                format!(
                    "{w}: the dependency of `{name}` changed from {} to {}",
                    show(ov),
                    show(nv)
                ),
            ),
        };
        let (np, op) = ((np, true), (op, true));
        self.push(key, kind.into(), &at.path, np, op, message, Some(name));
    }

    /// A keyword whose value is one schema.
    fn sub(&mut self, key: &str, o: Option<&Node>, n: Option<&Node>, at: &At, path: String) {
        match (o, n) {
            (Some(a), Some(b)) => {
                let below = at.down(key, &[key], &[key], path);
                self.schema(a, b, &below);
            }
            (None, None) => {}
            _ => {
                let w = at.shown();
                let (np, op) = Walker::places(at, key, o, n);
                let closed =
                    |x: Option<&Node>| matches!(x.map(|x| &x.value), Some(Value::Bool(false)));
                let message = match (key, o, n) {
                    ("additionalProperties" | "unevaluatedProperties", None, _) if closed(n) => {
                        format!("{w}: closed to undeclared properties (`{key}: false` added)")
                    }
                    ("additionalProperties" | "unevaluatedProperties", _, None) if closed(o) => {
                        format!("{w}: open to undeclared properties again (`{key}: false` removed)")
                    }
                    (_, None, Some(v)) => format!("{w}: gained `{key}` {}", show(v)),
                    (_, Some(v), _) => format!("{w}: lost `{key}` {}", show(v)),
                    _ => return,
                };
                let kind = format!(
                    "{}-{}",
                    kebab(key),
                    if o.is_none() { "added" } else { "removed" }
                );
                self.push(key, kind, &at.path, np, op, message, None);
            }
        }
    }

    /// `items` (one schema, or a tuple before 2020-12) and `prefixItems` (a tuple).
    fn items(&mut self, key: &str, o: Option<&Node>, n: Option<&Node>, at: &At) {
        match (o.map(|x| x.as_array()), n.map(|x| x.as_array())) {
            (Some(Some(a)), Some(Some(b))) => {
                for i in 0..a.len().max(b.len()) {
                    let idx = i.to_string();
                    let path = format!("{}[{i}]", at.path);
                    match (a.get(i), b.get(i)) {
                        (Some(x), Some(y)) => {
                            let below = at.down(key, &[key, &idx], &[key, &idx], path);
                            self.schema(x, y, &below);
                        }
                        (None, Some(y)) => self.push(
                            key,
                            "tuple-item-added".into(),
                            &path,
                            (ptr(&ptr(&at.np, key), &idx), true),
                            (ptr(&at.op, key), false),
                            format!("tuple item `{path}` added: {}", show(y)),
                            None,
                        ),
                        (Some(x), None) => self.push(
                            key,
                            "tuple-item-removed".into(),
                            &path,
                            (ptr(&at.np, key), false),
                            (ptr(&ptr(&at.op, key), &idx), true),
                            format!("tuple item `{path}` removed: {}", show(x)),
                            None,
                        ),
                        (None, None) => {}
                    }
                }
            }
            (Some(None) | None, Some(None) | None) => {
                self.sub(key, o, n, at, format!("{}[]", at.path))
            }
            _ => self.value(key, o, n, at),
        }
    }

    /// `allOf`/`anyOf`/`oneOf` on both sides: branches paired first by equality, then in order.
    fn branches(&mut self, key: &str, o: Option<&Node>, n: Option<&Node>, at: &At) {
        let (Some(Some(a)), Some(Some(b))) = (o.map(|x| x.as_array()), n.map(|x| x.as_array()))
        else {
            return self.value(key, o, n, at);
        };
        let mut old_used = vec![false; a.len()];
        let mut pair: Vec<Option<usize>> = vec![None; b.len()];
        for (j, y) in b.iter().enumerate() {
            if let Some(i) = (0..a.len()).find(|&i| !old_used[i] && same(&a[i], y)) {
                old_used[i] = true;
                pair[j] = Some(i);
            }
        }
        for p in pair.iter_mut() {
            if p.is_none()
                && let Some(i) = (0..a.len()).find(|&i| !old_used[i])
            {
                old_used[i] = true;
                *p = Some(i);
            }
        }
        let w = at.shown();
        for (j, y) in b.iter().enumerate() {
            let jdx = j.to_string();
            match pair[j] {
                Some(i) => {
                    let idx = i.to_string();
                    let below = at.down(key, &[key, &idx], &[key, &jdx], at.path.clone());
                    self.schema(&a[i], y, &below);
                }
                None => self.push(
                    key,
                    format!("{}-branch-added", kebab(key)),
                    &at.path,
                    (ptr(&ptr(&at.np, key), &jdx), true),
                    (ptr(&at.op, key), false),
                    format!("{w}: `{key}` gained the branch {}", show(y)),
                    None,
                ),
            }
        }
        for (i, x) in a.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
            self.push(
                key,
                format!("{}-branch-removed", kebab(key)),
                &at.path,
                (ptr(&at.np, key), false),
                (ptr(&ptr(&at.op, key), &i.to_string()), true),
                format!("{w}: `{key}` lost the branch {}", show(x)),
                None,
            );
        }
    }
}

/// ` (string)`: a short note on an added or removed element's schema.
fn summary(schema: &Node) -> String {
    let Some(members) = schema.as_object() else {
        return format!(" ({})", show(schema));
    };
    if let Some(r) = member(members, "$ref").and_then(Node::as_str) {
        return format!(" (`{r}`)");
    }
    match type_names(member(members, "type")) {
        Some(ns) if !ns.is_empty() => format!(" ({})", ns.join(" or ")),
        _ => String::new(),
    }
}
