//! A small validator over the compiled schema graph, for the engine's own use: deciding finite
//! value sets (`enum`, `const`), choosing example instances. It answers `Unknown` rather than
//! guess (`$dynamicRef`, `unevaluated*` beside applicators, a regex that cannot run), so the
//! engine never leans on a wrong answer.

use super::alt::Alt;
use crate::schema::json::{JsonSchema, Keywords, Kind, NodeId, json_eq, types};
use serde_json::Value;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ev {
    Pass,
    /// Rejected, by this keyword.
    Fail(&'static str),
    Unknown,
}

impl Ev {
    fn and(self, other: Ev) -> Ev {
        match (self, other) {
            (Ev::Fail(k), _) | (_, Ev::Fail(k)) => Ev::Fail(k),
            (Ev::Unknown, _) | (_, Ev::Unknown) => Ev::Unknown,
            _ => Ev::Pass,
        }
    }
    pub fn ok(self) -> Option<bool> {
        match self {
            Ev::Pass => Some(true),
            Ev::Fail(_) => Some(false),
            Ev::Unknown => None,
        }
    }
}

const MAX_DEPTH: usize = 96;

/// How many of `branches` accept each value, when every branch accepts only scalar values it
/// lists in `const` or `enum` and has no applicators (each listed value is evaluated against
/// its branch once, so the branch's other keywords still count); `None` when some branch is not
/// such a set or a value cannot be decided.
fn value_branches(
    s: &JsonSchema,
    branches: &[NodeId],
    depth: usize,
) -> Option<ahash::AHashMap<String, u32>> {
    let mut counts: ahash::AHashMap<String, u32> = ahash::AHashMap::new();
    for &b in branches {
        let Kind::Keywords(k) = &s.node(b).kind else {
            return None;
        };
        // Scalars judged by the branch's own keywords only: evaluating them reaches no other
        // node, so building this table never comes back to the table being built.
        if k.in_place().next().is_some() {
            return None;
        }
        let listed: Vec<&Value> = match (&k.const_value, &k.enum_values) {
            (Some(c), _) => vec![c],
            (None, Some(vs)) => vs.iter().collect(),
            (None, None) => return None,
        };
        if listed
            .iter()
            .any(|v| matches!(v, Value::Object(_) | Value::Array(_)))
        {
            return None;
        }
        let mut mine = ahash::AHashSet::new();
        for v in listed {
            match eval(s, b, v, false, depth) {
                Ev::Pass => {
                    mine.insert(crate::schema::json::value_key(v));
                }
                Ev::Fail(_) => {}
                Ev::Unknown => return None,
            }
        }
        for key in mine {
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    Some(counts)
}

/// Does the schema accept `v`? (None: cannot tell.)
pub fn accepts(s: &JsonSchema, id: NodeId, v: &Value) -> Option<bool> {
    eval(s, id, v, false, 0).ok()
}

/// Does every node of `alt.pos` accept `v`, no node of `alt.neg`, and its type fit `alt.types`?
pub fn alt_accepts(s: &JsonSchema, alt: &Alt, v: &Value) -> Option<bool> {
    if types::of_value(v) & alt.types == 0 {
        return Some(false);
    }
    let mut r = Ev::Pass;
    for &p in &alt.pos {
        r = r.and(eval(s, p, v, false, 0));
        if matches!(r, Ev::Fail(_)) {
            return Some(false);
        }
    }
    for &n in &alt.neg {
        r = r.and(match eval(s, n, v, false, 0) {
            Ev::Pass => Ev::Fail("not"),
            Ev::Fail(_) => Ev::Pass,
            Ev::Unknown => Ev::Unknown,
        });
    }
    r.ok()
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Evaluate a schema on a value; with `own_only`, the in-place applicators (`$ref`, `allOf`,
/// `anyOf`, `oneOf`, `not`, `if`, `dependentSchemas`) are skipped.
pub fn eval(s: &JsonSchema, id: NodeId, v: &Value, own_only: bool, depth: usize) -> Ev {
    if depth > MAX_DEPTH {
        return Ev::Unknown;
    }
    let k = match &s.node(id).kind {
        Kind::Bool(true) => return Ev::Pass,
        Kind::Bool(false) => return Ev::Fail("false"),
        Kind::Keywords(k) => k,
    };
    if !k.undecidable.is_empty() {
        return Ev::Unknown;
    }
    let d = depth + 1;
    if let Some(ts) = k.types
        && ts & types::of_value(v) == 0
    {
        return Ev::Fail("type");
    }
    if let Some(c) = &k.const_value
        && !json_eq(c, v)
    {
        return Ev::Fail("const");
    }
    if !k.enum_contains(v) {
        return Ev::Fail("enum");
    }
    let r = match v {
        Value::String(st) => eval_string(s, k, st),
        Value::Number(_) => eval_number(k, num(v).unwrap_or(f64::NAN)),
        Value::Object(map) => eval_object(s, k, v, map, own_only, d),
        Value::Array(items) => eval_array(s, k, items, d),
        _ => Ev::Pass,
    };
    if own_only || matches!(r, Ev::Fail(_)) {
        return r;
    }
    eval_applicators(s, k, v, r, d)
}

fn eval_string(s: &JsonSchema, k: &Keywords, st: &str) -> Ev {
    let len = st.chars().count() as u64;
    if k.min_length.is_some_and(|m| len < m) {
        return Ev::Fail("minLength");
    }
    if k.max_length.is_some_and(|m| len > m) {
        return Ev::Fail("maxLength");
    }
    match k.pattern.as_ref().map(|p| s.pattern_matches(p, st)) {
        Some(Some(false)) => Ev::Fail("pattern"),
        Some(None) => Ev::Unknown,
        _ => Ev::Pass,
    }
}

fn eval_number(k: &Keywords, x: f64) -> Ev {
    if let Some(b) = k.lower
        && (x < b.value || (b.exclusive && x == b.value))
    {
        return Ev::Fail("minimum");
    }
    if let Some(b) = k.upper
        && (x > b.value || (b.exclusive && x == b.value))
    {
        return Ev::Fail("maximum");
    }
    if let Some(m) = k.multiple_of
        && !is_multiple(x, m)
    {
        return Ev::Fail("multipleOf");
    }
    Ev::Pass
}

fn eval_object(
    s: &JsonSchema,
    k: &Keywords,
    v: &Value,
    map: &serde_json::Map<String, Value>,
    own_only: bool,
    d: usize,
) -> Ev {
    for req in &k.required {
        if !map.contains_key(req) {
            return Ev::Fail("required");
        }
    }
    let n = map.len() as u64;
    if k.min_properties.is_some_and(|m| n < m) {
        return Ev::Fail("minProperties");
    }
    if k.max_properties.is_some_and(|m| n > m) {
        return Ev::Fail("maxProperties");
    }
    for (key, deps) in &k.dependent_required {
        if map.contains_key(key) && deps.iter().any(|dp| !map.contains_key(dp)) {
            return Ev::Fail("dependentRequired");
        }
    }
    let mut r = Ev::Pass;
    for (name, val) in map {
        r = r.and(eval_member(s, k, name, val, d));
        if let Ev::Fail(_) = r {
            return Ev::Fail("properties");
        }
    }
    if !own_only {
        for (key, ds) in &k.dependent_schemas {
            if map.contains_key(key) {
                r = r.and(eval(s, *ds, v, false, d));
            }
        }
    }
    r
}

/// One property of an object: the schemas its name selects, and `propertyNames`.
fn eval_member(s: &JsonSchema, k: &Keywords, name: &str, val: &Value, d: usize) -> Ev {
    let mut r = Ev::Pass;
    let mut matched = false;
    if let Some(ps) = k.property(name) {
        matched = true;
        r = r.and(eval(s, ps, val, false, d));
    }
    for (pat, ps) in &k.pattern_properties {
        match s.pattern_matches(pat, name) {
            Some(true) => {
                matched = true;
                r = r.and(eval(s, *ps, val, false, d));
            }
            Some(false) => {}
            None => r = r.and(Ev::Unknown),
        }
    }
    if !matched {
        if let Some(a) = k.additional_properties {
            r = r.and(eval(s, a, val, false, d));
        } else if let Some(u) = k.unevaluated_properties {
            let applicators = k.in_place().next().is_some();
            r = r.and(if applicators {
                Ev::Unknown
            } else {
                eval(s, u, val, false, d)
            });
        }
    }
    if let Some(pn) = k.property_names {
        r = r.and(eval(s, pn, &Value::String(name.to_string()), false, d));
    }
    r
}

fn eval_array(s: &JsonSchema, k: &Keywords, items: &[Value], d: usize) -> Ev {
    let n = items.len() as u64;
    if k.min_items.is_some_and(|m| n < m) {
        return Ev::Fail("minItems");
    }
    if k.max_items.is_some_and(|m| n > m) {
        return Ev::Fail("maxItems");
    }
    if k.unique_items {
        for i in 0..items.len() {
            for j in i + 1..items.len() {
                if json_eq(&items[i], &items[j]) {
                    return Ev::Fail("uniqueItems");
                }
            }
        }
    }
    let applicators = k.in_place().next().is_some() || k.contains.is_some();
    let mut r = Ev::Pass;
    for (i, item) in items.iter().enumerate() {
        let schema = if i < k.prefix_items.len() {
            Some(k.prefix_items[i])
        } else {
            k.items
        };
        match schema {
            Some(sc) => r = r.and(eval(s, sc, item, false, d)),
            None => {
                if let Some(u) = k.unevaluated_items {
                    r = r.and(if applicators {
                        Ev::Unknown
                    } else {
                        eval(s, u, item, false, d)
                    });
                }
            }
        }
        if let Ev::Fail(_) = r {
            return Ev::Fail("items");
        }
    }
    match k.contains {
        Some(c) => r.and(eval_contains(s, k, c, items, d)),
        None => r,
    }
}

fn eval_contains(s: &JsonSchema, k: &Keywords, c: NodeId, items: &[Value], d: usize) -> Ev {
    let mut count = 0u64;
    let mut unknown = false;
    for item in items {
        match eval(s, c, item, false, d) {
            Ev::Pass => count += 1,
            Ev::Unknown => unknown = true,
            Ev::Fail(_) => {}
        }
    }
    let min = k.min_contains.unwrap_or(1);
    if unknown {
        Ev::Unknown
    } else if count < min || k.max_contains.is_some_and(|m| count > m) {
        Ev::Fail("contains")
    } else {
        Ev::Pass
    }
}

/// The in-place applicators, given the verdict `r` of the node's own keywords.
fn eval_applicators(s: &JsonSchema, k: &Keywords, v: &Value, mut r: Ev, d: usize) -> Ev {
    if let Some(x) = k.ref_ {
        r = r.and(eval(s, x, v, false, d));
    }
    for &a in &k.all_of {
        r = r.and(eval(s, a, v, false, d));
    }
    if let Ev::Fail(_) = r {
        return r;
    }
    if !k.any_of.is_empty() {
        r = r.and(eval_any_of(s, k, v, d));
    }
    if !k.one_of.is_empty() {
        r = r.and(eval_one_of(s, k, v, d));
    }
    if let Some(n) = k.not {
        r = r.and(match eval(s, n, v, false, d) {
            Ev::Pass => Ev::Fail("not"),
            Ev::Fail(_) => Ev::Pass,
            Ev::Unknown => Ev::Unknown,
        });
    }
    if let Some(i) = k.if_ {
        let branch = match eval(s, i, v, false, d) {
            Ev::Pass => k.then_,
            Ev::Fail(_) => k.else_,
            Ev::Unknown => return r.and(Ev::Unknown),
        };
        if let Some(b) = branch {
            r = r.and(match eval(s, b, v, false, d) {
                Ev::Fail(_) => Ev::Fail("if"),
                e => e,
            });
        }
    }
    r
}

fn eval_any_of(s: &JsonSchema, k: &Keywords, v: &Value, d: usize) -> Ev {
    if let Some(counts) = k
        .any_of_values
        .get_or_init(|| value_branches(s, &k.any_of, d))
    {
        let found = counts.get(&crate::schema::json::value_key(v)).is_some();
        return if found { Ev::Pass } else { Ev::Fail("anyOf") };
    }
    let mut any = Ev::Fail("anyOf");
    for &b in &k.any_of {
        match eval(s, b, v, false, d) {
            Ev::Pass => return Ev::Pass,
            Ev::Unknown => any = Ev::Unknown,
            Ev::Fail(_) => {}
        }
    }
    any
}

fn eval_one_of(s: &JsonSchema, k: &Keywords, v: &Value, d: usize) -> Ev {
    if let Some(counts) = k
        .one_of_values
        .get_or_init(|| value_branches(s, &k.one_of, d))
    {
        let passes = counts.get(&crate::schema::json::value_key(v)).copied();
        return if passes == Some(1) {
            Ev::Pass
        } else {
            Ev::Fail("oneOf")
        };
    }
    let mut passes = 0;
    let mut unknown = false;
    for &b in &k.one_of {
        match eval(s, b, v, false, d) {
            Ev::Pass => passes += 1,
            Ev::Unknown => unknown = true,
            Ev::Fail(_) => {}
        }
    }
    if unknown {
        Ev::Unknown
    } else if passes == 1 {
        Ev::Pass
    } else {
        Ev::Fail("oneOf")
    }
}

/// Is `x` a multiple of `m`, allowing for binary floating point (0.3 is a multiple of 0.1)?
pub fn is_multiple(x: f64, m: f64) -> bool {
    if m <= 0.0 || !x.is_finite() {
        return false;
    }
    let q = x / m;
    if !q.is_finite() {
        return false;
    }
    (q - q.round()).abs() < 1e-9
}
