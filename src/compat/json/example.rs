//! Example instances: a small JSON value the writer accepts and the reader rejects, built from the
//! structural difference (the values near a changed bound, the writer's own values, a minimal
//! instance of the writer) and placed where the difference is, inside a minimal writer instance.
//! Every example is checked with the `jsonschema` crate against both whole schemas before it is
//! shown; where none passes, there is no example.

use super::alt::Alt;
use super::eval;
use super::numbers::num;
use super::strings::strings_of_len;
use super::view::{self, int_lower, int_upper};
use super::{Checker, Step};
use crate::schema::json::{JsonSchema, NodeId, types};
use serde_json::{Map, Value, json};

/// Candidates tried per example.
const MAX_TRIES: usize = 64;

impl Checker<'_> {
    /// An instance of the whole writer schema that the whole reader rejects, whose value at the
    /// current trail is one the writer alternative `a` accepts and the reader nodes `rs` reject.
    pub(super) fn example(
        &mut self,
        a: &Alt,
        rs: &[NodeId],
        targeted: Vec<Value>,
    ) -> Option<Value> {
        let mut cands = targeted;
        cands.extend(self.generic_candidates(a, rs));
        let mut tried = 0;
        let mut seen: Vec<Value> = Vec::new();
        for c in cands {
            if tried >= MAX_TRIES {
                break;
            }
            if seen.contains(&c) {
                continue;
            }
            seen.push(c.clone());
            if eval::alt_accepts(self.w, a, &c) != Some(true) {
                continue;
            }
            if !rs
                .iter()
                .any(|&x| eval::accepts(self.r, x, &c) == Some(false))
            {
                continue;
            }
            tried += 1;
            let Some(full) = self.embed(c) else { continue };
            if self.verify(&full) {
                return Some(full);
            }
        }
        None
    }

    fn generic_candidates(&self, a: &Alt, rs: &[NodeId]) -> Vec<Value> {
        let mut out = Vec::new();
        if a.pos.is_empty() {
            // Anything goes in the writer: plain values read best.
            out.extend([
                json!(5),
                json!("text"),
                json!(true),
                Value::Null,
                json!(1.5),
            ]);
        }
        let alts = view::expand(self.w, a).unwrap_or_default();
        for alt in alts.iter().take(8) {
            let m = view::merged(self.w, alt);
            if let Some(vs) = &m.values {
                out.extend(vs.iter().cloned());
            }
            for t in EXAMPLE_TYPES {
                if m.types & t != 0
                    && let Some(v) = self.witness(&alt.with_types(t))
                {
                    out.push(v);
                }
            }
            for &x in rs {
                let Some(k) = self.r.keywords(x) else {
                    continue;
                };
                if let Some(n) = k.max_length {
                    out.extend(strings_of_len(&m, n + 1));
                }
                if let Some(n) = k.min_length
                    && n > 0
                {
                    out.extend(strings_of_len(&m, n - 1));
                }
                for b in [k.lower, k.upper].into_iter().flatten() {
                    for d in [0.0, -1.0, 1.0, -0.5, 0.5] {
                        out.push(num(b.value + d));
                    }
                }
                if let Some(d) = k.multiple_of {
                    out.extend([num(1.0), num(d / 2.0), num(d * 1.5)]);
                }
            }
            if let Some(l) = int_lower(m.lower) {
                out.push(num(l));
            }
            if let Some(u) = int_upper(m.upper) {
                out.push(num(u));
            }
        }
        // Fuller instances: the writer's optional members filled in, one at a time and all at
        // once, with each kind of value they allow (where a reader branch or a closed model
        // rejects what a minimal instance leaves out).
        out.extend(variants(self.w, a, 2));
        // Values the reader's `not` schemas accept.
        for &x in rs {
            if let Some(n) = self.r.keywords(x).and_then(|k| k.not) {
                out.extend(witness(self.r, &Alt::of(n), 0));
                if let Some(vs) = view::finite_values(self.r, &Alt::of(n)) {
                    out.extend(vs.into_iter().take(8));
                }
            }
        }
        out.extend([
            Value::Null,
            json!(true),
            json!(false),
            json!(0),
            json!(5),
            json!(-1),
            json!(1.5),
            json!(""),
            json!("a"),
            json!("text"),
            json!({}),
            json!([]),
            json!(["a"]),
            json!([1]),
            json!({"a": 1}),
        ]);
        out
    }

    /// Place `local` at the trail's position inside minimal writer instances.
    fn embed(&self, local: Value) -> Option<Value> {
        let mut cur = local;
        for (step, parent) in self.trail.iter().rev() {
            match step {
                Step::Prop(name) => {
                    let mut base = match self.witness(&parent.with_types(types::OBJECT)) {
                        Some(Value::Object(m)) => m,
                        _ => Map::new(),
                    };
                    base.insert(name.clone(), cur);
                    cur = Value::Object(base);
                }
                Step::Item(i) => {
                    let idx = i.unwrap_or(0);
                    let pa = parent.with_types(types::ARRAY);
                    let alts = view::expand(self.w, &pa).ok()?;
                    let alt = alts.first()?;
                    let m = view::merged(self.w, alt);
                    let mut items = Vec::new();
                    for j in 0..idx {
                        items.push(self.witness(&view::item_alt(self.w, &m.arrs, j)?)?);
                    }
                    items.push(cur);
                    let mut j = idx + 1;
                    while (items.len() as u64) < m.min_items && j < 1000 {
                        items.push(self.witness(&view::item_alt(self.w, &m.arrs, j)?)?);
                        j += 1;
                    }
                    cur = Value::Array(items);
                }
            }
        }
        Some(cur)
    }

    /// Is `v` valid under the whole writer schema and invalid under the whole reader schema,
    /// according to the `jsonschema` crate?
    fn verify(&mut self, v: &Value) -> bool {
        if self.validators.is_none() {
            self.validators = Some((validator(self.w, false), validator(self.r, false)));
        }
        match &self.validators {
            Some((Some(w), Some(r))) => w.is_valid(v) && !r.is_valid(v),
            _ => false,
        }
    }

    /// A minimal instance of writer alternative `a`.
    pub(super) fn witness(&self, a: &Alt) -> Option<Value> {
        witness(self.w, a, 0)
    }
}

/// A `jsonschema` validator for a loaded schema: offline, its other files in an in-memory
/// registry under the URIs evreg gave them. Formats are annotations when checking the engine's
/// examples (as the engine reads them) and assertions when validating events.
pub fn validator(s: &JsonSchema, assert_formats: bool) -> Option<jsonschema::Validator> {
    let (root, base, others) = s.resources();
    let mut builder = jsonschema::Registry::new();
    for (uri, value) in others {
        builder = builder.add(uri, value.clone()).ok()?;
    }
    let registry = builder.prepare().ok()?;
    jsonschema::options()
        .with_draft(s.draft.jsonschema())
        .with_base_uri(base)
        .with_registry(&registry)
        .should_validate_formats(assert_formats)
        .offline()
        .build(root)
        .ok()
}

/// A minimal instance of `a` in schema `s` (None where none is found quickly).
pub fn witness(s: &JsonSchema, a: &Alt, depth: usize) -> Option<Value> {
    if depth > 12 {
        return None;
    }
    let alts = view::expand(s, a).ok()?;
    for alt in alts.iter().take(8) {
        let m = view::merged(s, alt);
        if m.types == 0 {
            continue;
        }
        if let Some(vs) = &m.values {
            if let Some(v) = vs
                .iter()
                .find(|v| eval::alt_accepts(s, alt, v) != Some(false))
            {
                return Some(v.clone());
            }
            continue;
        }
        for t in EXAMPLE_TYPES {
            if m.types & t == 0 {
                continue;
            }
            let Some(v) = build(s, alt, &m, t, depth) else {
                continue;
            };
            if eval::alt_accepts(s, alt, &v) != Some(false) {
                return Some(v);
            }
        }
    }
    None
}

/// The order in which examples try the types a schema allows: richest first, so an example
/// exercises the most keywords.
const EXAMPLE_TYPES: [u8; 7] = [
    types::OBJECT,
    types::ARRAY,
    types::STRING,
    types::INTEGER,
    types::FRACTION,
    types::BOOLEAN,
    types::NULL,
];

fn build(s: &JsonSchema, a: &Alt, m: &view::Merged, t: u8, depth: usize) -> Option<Value> {
    match t {
        types::OBJECT => build_object(s, m, depth),
        types::ARRAY => build_array(s, m, depth),
        types::STRING => build_string(s, a, m),
        types::INTEGER => build_integer(m),
        types::FRACTION => build_fraction(m),
        types::BOOLEAN => Some(Value::Bool(true)),
        _ => Some(Value::Null),
    }
}

/// The required properties, and made-up ones up to `minProperties`.
fn build_object(s: &JsonSchema, m: &view::Merged, depth: usize) -> Option<Value> {
    let mut map = Map::new();
    for name in &m.required {
        let wa = view::member_alt(s, &m.objs, name)?;
        map.insert(name.clone(), witness(s, &wa, depth + 1)?);
    }
    let mut i = 0;
    while (map.len() as u64) < m.min_props && i < 64 {
        i += 1;
        let name = format!("p{i}");
        if let Some(wa) = view::member_alt(s, &m.objs, &name)
            && let Some(v) = witness(s, &wa, depth + 1)
        {
            map.insert(name, v);
        }
    }
    Some(Value::Object(map))
}

/// `minItems` items, the first ones meeting the `contains` schemas.
fn build_array(s: &JsonSchema, m: &view::Merged, depth: usize) -> Option<Value> {
    let mut need = m.min_items as usize;
    let mut contains: Vec<(NodeId, usize)> = Vec::new();
    for &n in &m.arrs {
        if let Some(k) = s.keywords(n)
            && let Some(c) = k.contains
        {
            let c_min = k.min_contains.unwrap_or(1) as usize;
            contains.push((c, c_min));
            need = need.max(c_min);
        }
    }
    let mut items = Vec::new();
    for i in 0..need.min(64) {
        let mut ia = view::item_alt(s, &m.arrs, i)?;
        for &(c, c_min) in &contains {
            if i < c_min {
                ia = ia.and(c);
            }
        }
        items.push(witness(s, &ia, depth + 1)?);
    }
    Some(Value::Array(items))
}

fn build_string(s: &JsonSchema, a: &Alt, m: &view::Merged) -> Option<Value> {
    let n = m.min_len;
    strings_of_len(m, n)
        .into_iter()
        .chain(
            m.patterns
                .iter()
                .filter_map(|p| jsonschema_regex::pattern_witness(p).map(Value::String)),
        )
        .find(|v| eval::alt_accepts(s, a, v) != Some(false))
}

/// The smallest multiple of every integral `multipleOf` within the bounds.
fn build_integer(m: &view::Merged) -> Option<Value> {
    let lo = int_lower(m.lower);
    let hi = int_upper(m.upper);
    let step = m
        .multiples
        .iter()
        .copied()
        .filter(|x| x.fract() == 0.0)
        .fold(1.0f64, lcm);
    let mut start = match (lo, hi) {
        (Some(l), _) => l,
        (None, Some(h)) => h.min(0.0),
        (None, None) => 0.0,
    };
    start = (start / step).ceil() * step;
    if hi.is_some_and(|h| start > h) {
        return None;
    }
    Some(num(start))
}

/// A number with a fraction inside the bounds.
fn build_fraction(m: &view::Merged) -> Option<Value> {
    if !m.multiples.is_empty() {
        let d = m.multiples[0];
        if d.fract() != 0.0 {
            let lo = m.lower.map_or(0.0, |b| b.value);
            let mut x = ((lo / d).floor() + 1.0) * d;
            if x.fract() == 0.0 {
                x += d;
            }
            return Some(num(x));
        }
        return None;
    }
    let x = match (m.lower, m.upper) {
        (Some(l), Some(h)) => (l.value + h.value) / 2.0,
        (Some(l), None) => l.value + 0.5,
        (None, Some(h)) => h.value - 0.5,
        (None, None) => 0.5,
    };
    let x = if x.fract() == 0.0 { x + 0.25 } else { x };
    Some(num(x))
}

fn lcm(a: f64, b: f64) -> f64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let (x, y) = (a as u64, b as u64);
    if x == 0 || y == 0 {
        return a.max(b);
    }
    (x / gcd(x, y) * y) as f64
}

/// Instances of `a` beyond the minimal one: one per JSON type it allows, objects with each
/// optional property it declares present (each with its own variants, to `depth`) and with all
/// of them, arrays with one item of each variant. A bounded list (members and items capped).
pub fn variants(s: &JsonSchema, a: &Alt, depth: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let Ok(alts) = view::expand(s, a) else {
        return out;
    };
    for alt in alts.iter().take(8) {
        let m = view::merged(s, alt);
        if let Some(vs) = &m.values {
            out.extend(vs.iter().take(16).cloned());
            continue;
        }
        for t in EXAMPLE_TYPES {
            if m.types & t == 0 {
                continue;
            }
            let at = alt.with_types(t);
            let Some(base) = witness(s, &at, 0) else {
                continue;
            };
            out.push(base.clone());
            if depth == 0 && !base.is_string() {
                continue;
            }
            match base {
                Value::String(_) => {
                    // Strings from each alternative of the writer's patterns, and with text
                    // around them (where a reader anchors what the writer does not).
                    for p in &m.patterns {
                        for part in top_level_alternatives(p) {
                            let Some(w) = jsonschema_regex::pattern_witness(&part) else {
                                continue;
                            };
                            for v in [format!("{w}!"), format!("!{w}"), w] {
                                let v = Value::String(v);
                                if eval::alt_accepts(s, &at, &v) != Some(false) {
                                    out.push(v);
                                }
                            }
                        }
                    }
                }
                Value::Object(base) => {
                    let mut names: Vec<&str> = Vec::new();
                    for &n in &m.objs {
                        if let Some(k) = s.keywords(n) {
                            names.extend(k.properties.iter().map(|(p, _)| p.as_str()));
                        }
                    }
                    names.dedup();
                    let mut all = base.clone();
                    for name in names.into_iter().take(16) {
                        let Some(ma) = view::member_alt(s, &m.objs, name) else {
                            continue;
                        };
                        for v in variants(s, &ma, depth - 1).into_iter().take(6) {
                            let mut o = base.clone();
                            o.insert(name.to_string(), v.clone());
                            all.entry(name.to_string()).or_insert(v);
                            out.push(Value::Object(o));
                        }
                    }
                    out.push(Value::Object(all));
                }
                Value::Array(items) if items.is_empty() => {
                    if let Some(ia) = view::item_alt(s, &m.arrs, 0) {
                        for v in variants(s, &ia, depth - 1).into_iter().take(6) {
                            out.push(Value::Array(vec![v]));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.truncate(256);
    out
}

/// The top-level alternatives of a pattern (`a|b(c|d)` → `a`, `b(c|d)`).
fn top_level_alternatives(p: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut depth, mut in_class, mut escaped) = (0usize, false, false);
    for c in p.chars() {
        let last = out.last_mut().expect("one part at least");
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if in_class {
            in_class = c != ']';
        } else if c == '[' {
            in_class = true;
        } else if c == '(' {
            depth += 1;
        } else if c == ')' {
            depth = depth.saturating_sub(1);
        } else if c == '|' && depth == 0 {
            out.push(String::new());
            continue;
        }
        last.push(c);
    }
    out
}
