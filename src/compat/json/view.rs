//! The writer's side as the engine sees it: a conjunction of schema nodes (`Alt`), with the
//! disjunctions (`anyOf`, `oneOf`, `if`/`then`/`else`) expanded into alternatives, and the facts
//! its keywords establish together (`Merged`): types, finite value sets, bounds, required
//! properties.

use super::alt::Alt;
use super::eval;
use crate::schema::json::{Bound, JsonSchema, Keywords, Kind, NodeId, json_eq, types, value_key};
use serde_json::Value;

/// Each JSON type bit on its own (integers and fractions apart).
pub(crate) const TYPE_BITS: [u8; 7] = [
    types::NULL,
    types::BOOLEAN,
    types::OBJECT,
    types::ARRAY,
    types::STRING,
    types::INTEGER,
    types::FRACTION,
];

/// An expansion would exceed `MAX_ALTS` alternatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany;

/// The most alternatives one expansion may produce before the engine gives up (and says so).
pub const MAX_ALTS: usize = 64;

enum Task {
    Node(NodeId),
    Any(Vec<NodeId>),
    One(Vec<NodeId>),
    If(NodeId, Option<NodeId>, Option<NodeId>),
}

/// Expand an alternative's disjunctions: the result's union is the same instance set (a `oneOf`
/// branch carries the other branches as negations; an `else` carries its `if` as one). `Err` when
/// there would be more than `MAX_ALTS` alternatives.
pub fn expand(s: &JsonSchema, alt: &Alt) -> Result<Vec<Alt>, TooMany> {
    let acc = Alt {
        pos: Vec::new(),
        neg: alt.neg.clone(),
        types: alt.types,
    };
    let tasks = alt.pos.iter().rev().map(|&n| Task::Node(n)).collect();
    let mut out = Vec::new();
    go(s, tasks, acc, &mut out)?;
    Ok(out)
}

fn go(
    s: &JsonSchema,
    mut tasks: Vec<Task>,
    mut acc: Alt,
    out: &mut Vec<Alt>,
) -> Result<(), TooMany> {
    loop {
        if let Some(i) = tasks.iter().rposition(|t| matches!(t, Task::Node(_))) {
            let Task::Node(n) = tasks.remove(i) else {
                unreachable!()
            };
            if !conjoin(s, n, &mut acc, &mut tasks) {
                return Ok(());
            }
            continue;
        }
        return match tasks.pop() {
            None => {
                if out.len() >= MAX_ALTS {
                    return Err(TooMany);
                }
                out.push(acc);
                Ok(())
            }
            Some(Task::Node(_)) => unreachable!(),
            Some(Task::Any(bs)) => {
                for b in bs {
                    let mut t = clone_tasks(&tasks);
                    t.push(Task::Node(b));
                    go(s, t, acc.clone(), out)?;
                }
                Ok(())
            }
            Some(Task::One(bs)) => go_one_of(s, &tasks, &acc, &bs, out),
            Some(Task::If(i, then_, else_)) => go_if(s, tasks, acc, (i, then_, else_), out),
        };
    }
}

/// Add node `n` to the conjunction `acc`, its in-place applicators to `tasks`. False when the
/// conjunction has no instance.
fn conjoin(s: &JsonSchema, n: NodeId, acc: &mut Alt, tasks: &mut Vec<Task>) -> bool {
    if acc.pos.contains(&n) {
        return true;
    }
    // A node both required and excluded: no instance (re-expanding an expanded
    // alternative meets its other branches this way).
    if acc.neg.contains(&n) {
        return false;
    }
    let k = match &s.node(n).kind {
        Kind::Bool(b) => return *b,
        Kind::Keywords(k) => k,
    };
    acc.pos.push(n);
    if let Some(t) = k.types {
        acc.types &= t;
        if acc.types == 0 {
            return false;
        }
    }
    if let Some(x) = k.not
        && !acc.neg.contains(&x)
    {
        acc.neg.push(x);
    }
    if let Some(r) = k.ref_ {
        tasks.push(Task::Node(r));
    }
    for &a in k.all_of.iter().rev() {
        tasks.push(Task::Node(a));
    }
    if !k.any_of.is_empty() {
        tasks.insert(0, Task::Any(k.any_of.clone()));
    }
    if !k.one_of.is_empty() {
        tasks.insert(0, Task::One(k.one_of.clone()));
    }
    if let Some(i) = k.if_ {
        tasks.insert(0, Task::If(i, k.then_, k.else_));
    }
    true
}

/// One alternative per `oneOf` branch, each carrying the other branches as negations.
fn go_one_of(
    s: &JsonSchema,
    tasks: &[Task],
    acc: &Alt,
    bs: &[NodeId],
    out: &mut Vec<Alt>,
) -> Result<(), TooMany> {
    // A branch already among the conjuncts is the only consistent choice.
    let chosen: Vec<usize> = (0..bs.len())
        .filter(|&i| acc.pos.contains(&bs[i]))
        .collect();
    let negated: ahash::AHashSet<NodeId> = acc.neg.iter().copied().collect();
    for (i, &b) in bs.iter().enumerate() {
        if !chosen.is_empty() && chosen != [i] {
            continue;
        }
        let mut a = acc.clone();
        let mut added = ahash::AHashSet::new();
        for (j, &o) in bs.iter().enumerate() {
            if j != i && !negated.contains(&o) && added.insert(o) {
                a.neg.push(o);
            }
        }
        let mut t = clone_tasks(tasks);
        t.push(Task::Node(b));
        go(s, t, a, out)?;
    }
    Ok(())
}

/// `if`/`then` as one alternative, and (unless the `if` is already a conjunct) `else` with
/// the `if` negated as another.
fn go_if(
    s: &JsonSchema,
    tasks: Vec<Task>,
    acc: Alt,
    (i, then_, else_): (NodeId, Option<NodeId>, Option<NodeId>),
    out: &mut Vec<Alt>,
) -> Result<(), TooMany> {
    let mut t = clone_tasks(&tasks);
    t.push(Task::Node(i));
    if let Some(th) = then_ {
        t.push(Task::Node(th));
    }
    go(s, t, acc.clone(), out)?;
    if acc.pos.contains(&i) {
        return Ok(());
    }
    let mut a = acc;
    if !a.neg.contains(&i) {
        a.neg.push(i);
    }
    let mut t = tasks;
    if let Some(e) = else_ {
        t.push(Task::Node(e));
    }
    go(s, t, a, out)
}

fn clone_tasks(t: &[Task]) -> Vec<Task> {
    t.iter()
        .map(|t| match t {
            Task::Node(n) => Task::Node(*n),
            Task::Any(v) => Task::Any(v.clone()),
            Task::One(v) => Task::One(v.clone()),
            Task::If(a, b, c) => Task::If(*a, *b, *c),
        })
        .collect()
}

/// The exact instance set of `alt` when it is finite and the engine's own validator decides each
/// member: `const`/`enum`s (also as `anyOf`/`oneOf` branches, however many), or only
/// null/boolean. Comparing such a set with a reader is deciding each value, whatever the
/// reader's shape, so no expansion into alternatives is needed.
pub fn finite_values(s: &JsonSchema, alt: &Alt) -> Option<Vec<Value>> {
    let mut best: Option<Vec<Value>> = None;
    for &n in &alt.pos {
        if let Some(c) = candidates(s, n, 0)
            && best.as_ref().is_none_or(|b| c.len() < b.len())
        {
            best = Some(c);
        }
    }
    let mut seen = ahash::AHashSet::new();
    let mut out = Vec::new();
    for v in best? {
        if !seen.insert(value_key(&v)) {
            continue;
        }
        if eval::alt_accepts(s, alt, &v)? {
            out.push(v);
        }
    }
    Some(out)
}

/// A finite superset of what node `n` accepts, if its keywords show one: its own `const` or
/// `enum` (or a `type` of only null/boolean), a conjunct's (`$ref`, `allOf`), or the union of
/// every branch of an `anyOf`/`oneOf`.
fn candidates(s: &JsonSchema, n: NodeId, depth: usize) -> Option<Vec<Value>> {
    if depth > 32 {
        return None;
    }
    let k = match &s.node(n).kind {
        Kind::Bool(false) => return Some(Vec::new()),
        Kind::Bool(true) => return None,
        Kind::Keywords(k) => k,
    };
    if let Some(c) = &k.const_value {
        return Some(vec![c.clone()]);
    }
    if let Some(e) = &k.enum_values {
        return Some(e.clone());
    }
    if let Some(t) = k.types
        && t & !(types::NULL | types::BOOLEAN) == 0
    {
        let mut vs = Vec::new();
        if t & types::NULL != 0 {
            vs.push(Value::Null);
        }
        if t & types::BOOLEAN != 0 {
            vs.extend([Value::Bool(false), Value::Bool(true)]);
        }
        return Some(vs);
    }
    let mut best: Option<Vec<Value>> = None;
    for &c in k.ref_.iter().chain(&k.all_of) {
        if let Some(v) = candidates(s, c, depth + 1)
            && best.as_ref().is_none_or(|b| v.len() < b.len())
        {
            best = Some(v);
        }
    }
    if best.is_some() {
        return best;
    }
    'lists: for list in [&k.any_of, &k.one_of] {
        if list.is_empty() {
            continue;
        }
        let mut all = Vec::new();
        for &b in list {
            match candidates(s, b, depth + 1) {
                Some(v) => all.extend(v),
                None => continue 'lists,
            }
        }
        return Some(all);
    }
    None
}

/// What an (expanded) alternative's keywords establish together.
#[derive(Debug, Clone)]
pub struct Merged {
    pub types: u8,
    /// The instances, when they form a known finite set (`enum`, `const`, or only null/boolean).
    pub values: Option<Vec<Value>>,
    pub min_len: u64,
    pub max_len: Option<u64>,
    pub patterns: Vec<String>,
    pub formats: Vec<String>,
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
    pub multiples: Vec<f64>,
    /// Nodes with object keywords.
    pub objs: Vec<NodeId>,
    pub required: Vec<String>,
    pub min_props: u64,
    pub max_props: Option<u64>,
    /// Nodes with array keywords.
    pub arrs: Vec<NodeId>,
    pub min_items: u64,
    pub max_items: Option<u64>,
    pub unique: bool,
}

fn kw(s: &JsonSchema, id: NodeId) -> Option<&Keywords> {
    s.keywords(id)
}

pub fn merged(s: &JsonSchema, alt: &Alt) -> Merged {
    let mut m = Merged {
        types: alt.types,
        values: None,
        min_len: 0,
        max_len: None,
        patterns: Vec::new(),
        formats: Vec::new(),
        lower: None,
        upper: None,
        multiples: Vec::new(),
        objs: Vec::new(),
        required: Vec::new(),
        min_props: 0,
        max_props: None,
        arrs: Vec::new(),
        min_items: 0,
        max_items: None,
        unique: false,
    };
    let mut required: ahash::AHashSet<&str> = ahash::AHashSet::new();
    for &n in &alt.pos {
        match kw(s, n) {
            Some(k) => m.add(n, k, &mut required),
            None if s.is_false(n) => m.types = 0,
            None => {}
        }
    }
    m.exclude_negated(s, alt);
    m.settle_values(s, alt);
    m.drop_contradictions(s);
    m
}

impl Merged {
    /// The facts one writer node adds.
    fn add<'k>(&mut self, n: NodeId, k: &'k Keywords, required: &mut ahash::AHashSet<&'k str>) {
        if let Some(t) = k.types {
            self.types &= t;
        }
        let mut set: Option<Vec<Value>> = k.enum_values.clone();
        if let Some(c) = &k.const_value {
            set = Some(match set {
                Some(vs) => vs.into_iter().filter(|v| json_eq(v, c)).collect(),
                None => vec![c.clone()],
            });
        }
        if let Some(vs) = set {
            self.values = Some(match self.values.take() {
                None => vs,
                Some(old) => {
                    let keys: ahash::AHashSet<String> = vs.iter().map(value_key).collect();
                    old.into_iter()
                        .filter(|v| keys.contains(&value_key(v)))
                        .collect()
                }
            });
        }
        if let Some(x) = k.min_length {
            self.min_len = self.min_len.max(x);
        }
        if let Some(x) = k.max_length {
            self.max_len = Some(self.max_len.map_or(x, |y| y.min(x)));
        }
        if let Some(p) = &k.pattern {
            self.patterns.push(p.clone());
        }
        if let Some(f) = &k.format {
            self.formats.push(f.clone());
        }
        if let Some(b) = k.lower {
            self.lower = crate::schema::json::tighter(self.lower, b, true);
        }
        if let Some(b) = k.upper {
            self.upper = crate::schema::json::tighter(self.upper, b, false);
        }
        if let Some(x) = k.multiple_of {
            self.multiples.push(x);
        }
        if k.has_object_keywords() {
            self.objs.push(n);
        }
        for r in &k.required {
            if required.insert(r.as_str()) {
                self.required.push(r.clone());
            }
        }
        if let Some(x) = k.min_properties {
            self.min_props = self.min_props.max(x);
        }
        if let Some(x) = k.max_properties {
            self.max_props = Some(self.max_props.map_or(x, |y| y.min(x)));
        }
        if k.has_array_keywords() {
            self.arrs.push(n);
        }
        if let Some(x) = k.min_items {
            self.min_items = self.min_items.max(x);
        }
        if let Some(x) = k.max_items {
            self.max_items = Some(self.max_items.map_or(x, |y| y.min(x)));
        }
        self.unique |= k.unique_items;
    }
    /// A negated schema that accepts every value of a type excludes that type.
    fn exclude_negated(&mut self, s: &JsonSchema, alt: &Alt) {
        for &n in &alt.neg {
            for t in TYPE_BITS {
                if self.types & t != 0 && accepts_all_of_type(s, n, t, 0) {
                    self.types &= !t;
                }
            }
        }
    }
    /// Finite value sets: the listed values each alternative keeps, or every null/boolean value.
    fn settle_values(&mut self, s: &JsonSchema, alt: &Alt) {
        // An integral multipleOf admits no fractions.
        if self.multiples.iter().any(|x| x.fract() == 0.0) {
            self.types &= !types::FRACTION;
        }
        if self.values.is_none()
            && self.types != 0
            && self.types & !(types::NULL | types::BOOLEAN) == 0
        {
            let mut vs = Vec::new();
            if self.types & types::NULL != 0 {
                vs.push(Value::Null);
            }
            if self.types & types::BOOLEAN != 0 {
                vs.push(Value::Bool(false));
                vs.push(Value::Bool(true));
            }
            self.values = Some(vs);
        }
        if let Some(vs) = self.values.take() {
            let kept: Vec<Value> = vs
                .into_iter()
                .filter(|v| types::of_value(v) & self.types != 0)
                .filter(|v| eval::alt_accepts(s, alt, v) != Some(false))
                .collect();
            self.types &= kept.iter().fold(0, |t, v| t | types::of_value(v));
            self.values = Some(kept);
        }
    }
    /// Contradictions leave a type empty.
    fn drop_contradictions(&mut self, s: &JsonSchema) {
        if self.max_len.is_some_and(|x| x < self.min_len) {
            self.types &= !types::STRING;
        }
        if let (Some(lo), Some(hi)) = (self.lower, self.upper)
            && (lo.value > hi.value || (lo.value == hi.value && (lo.exclusive || hi.exclusive)))
        {
            self.types &= !types::NUMBER;
        }
        if let (Some(lo), Some(hi)) = (int_lower(self.lower), int_upper(self.upper))
            && lo > hi
        {
            self.types &= !types::INTEGER;
        }
        if self
            .max_props
            .is_some_and(|x| x < self.min_props.max(self.required.len() as u64))
        {
            self.types &= !types::OBJECT;
        }
        if self.types & types::OBJECT != 0
            && self
                .required
                .iter()
                .any(|r| member_alt(s, &self.objs, r).is_none())
        {
            self.types &= !types::OBJECT;
        }
        if self.max_items.is_some_and(|x| x < self.min_items) {
            self.types &= !types::ARRAY;
        }
    }
}

/// Does schema `n` accept every value of type `t`? (true only when shown.)
pub fn accepts_all_of_type(s: &JsonSchema, n: NodeId, t: u8, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let k = match &s.node(n).kind {
        Kind::Bool(b) => return *b,
        Kind::Keywords(k) => k,
    };
    if k.types.is_some_and(|ts| ts & t != t)
        || k.enum_values.is_some()
        || k.const_value.is_some()
        || !k.undecidable.is_empty()
        || !k.any_of.is_empty()
        || !k.one_of.is_empty()
        || k.not.is_some()
        || k.if_.is_some()
    {
        return false;
    }
    let own = match t {
        types::STRING => {
            k.min_length.is_none_or(|x| x == 0) && k.max_length.is_none() && k.pattern.is_none()
        }
        types::INTEGER | types::FRACTION => {
            k.lower.is_none() && k.upper.is_none() && k.multiple_of.is_none()
        }
        types::OBJECT => !k.has_object_keywords() && k.dependent_schemas.is_empty(),
        types::ARRAY => !k.has_array_keywords(),
        _ => true,
    };
    own && k
        .ref_
        .iter()
        .chain(&k.all_of)
        .all(|&c| accepts_all_of_type(s, c, t, depth + 1))
}

/// The smallest integer a lower bound admits.
pub fn int_lower(b: Option<Bound>) -> Option<f64> {
    let b = b?;
    let c = b.value.ceil();
    Some(if b.exclusive && c == b.value {
        c + 1.0
    } else {
        c
    })
}

/// The largest integer an upper bound admits.
pub fn int_upper(b: Option<Bound>) -> Option<f64> {
    let b = b?;
    let f = b.value.floor();
    Some(if b.exclusive && f == b.value {
        f - 1.0
    } else {
        f
    })
}

/// Does `node`, or any schema it applies in place, evaluate property `name`? With `sure`, only
/// through applicators that always apply (`$ref`, `allOf`).
pub fn evaluates_property(s: &JsonSchema, node: NodeId, name: &str, sure: bool) -> bool {
    let mut seen = Vec::new();
    eval_prop(s, node, name, sure, &mut seen)
}

fn eval_prop(s: &JsonSchema, node: NodeId, name: &str, sure: bool, seen: &mut Vec<NodeId>) -> bool {
    if seen.contains(&node) || seen.len() > 256 {
        return false;
    }
    seen.push(node);
    let Some(k) = s.keywords(node) else {
        return false;
    };
    if k.additional_properties.is_some()
        || k.unevaluated_properties.is_some() && seen.len() > 1
        || k.property(name).is_some()
        || k.pattern_properties
            .iter()
            .any(|(p, _)| s.pattern_matches(p, name).unwrap_or(true))
    {
        return true;
    }
    let mut children: Vec<NodeId> = k.ref_.iter().chain(&k.all_of).copied().collect();
    if !sure {
        children.extend(k.any_of.iter().chain(&k.one_of).copied());
        children.extend(
            k.if_
                .iter()
                .chain(k.then_.iter())
                .chain(k.else_.iter())
                .copied(),
        );
        children.extend(k.dependent_schemas.iter().map(|(_, x)| *x));
    }
    children
        .into_iter()
        .any(|c| eval_prop(s, c, name, sure, seen))
}

/// Like `evaluates_property` for array item `index`.
pub fn evaluates_item(s: &JsonSchema, node: NodeId, index: usize, sure: bool) -> bool {
    let mut seen = Vec::new();
    eval_item(s, node, index, sure, &mut seen)
}

fn eval_item(
    s: &JsonSchema,
    node: NodeId,
    index: usize,
    sure: bool,
    seen: &mut Vec<NodeId>,
) -> bool {
    if seen.contains(&node) || seen.len() > 256 {
        return false;
    }
    seen.push(node);
    let Some(k) = s.keywords(node) else {
        return false;
    };
    if k.items.is_some()
        || index < k.prefix_items.len()
        || (!sure && k.contains.is_some())
        || k.unevaluated_items.is_some() && seen.len() > 1
    {
        return true;
    }
    let mut children: Vec<NodeId> = k.ref_.iter().chain(&k.all_of).copied().collect();
    if !sure {
        children.extend(k.any_of.iter().chain(&k.one_of).copied());
        children.extend(
            k.if_
                .iter()
                .chain(k.then_.iter())
                .chain(k.else_.iter())
                .copied(),
        );
    }
    children
        .into_iter()
        .any(|c| eval_item(s, c, index, sure, seen))
}

/// The writer's schema for property `name` of an object the nodes `objs` constrain (the
/// conjunction of each node's own schema for it); `None` when the property cannot be present.
/// `unevaluatedProperties` is applied only where no in-place applicator may evaluate the name,
/// which widens the writer (a sound approximation).
pub fn member_alt(s: &JsonSchema, objs: &[NodeId], name: &str) -> Option<Alt> {
    let mut alt = Alt::any();
    for &n in objs {
        let Some(k) = s.keywords(n) else { continue };
        if let Some(pn) = k.property_names
            && eval::accepts(s, pn, &Value::String(name.to_string())) == Some(false)
        {
            return None;
        }
        let (own, matched) = k.named(name, s);
        if matched {
            for o in own {
                alt = alt.and(o);
            }
        } else if let Some(ap) = k.additional_properties {
            alt = alt.and(ap);
        } else if let Some(u) = k.unevaluated_properties {
            let others = k.in_place().any(|c| evaluates_property(s, c, name, false));
            if !others {
                alt = alt.and(u);
            }
        }
    }
    if alt.pos.iter().any(|&p| s.is_false(p)) {
        return None;
    }
    Some(alt)
}

/// The writer's schema for array item `index` (None when no array may have that item).
pub fn item_alt(s: &JsonSchema, arrs: &[NodeId], index: usize) -> Option<Alt> {
    let mut alt = Alt::any();
    for &n in arrs {
        let Some(k) = s.keywords(n) else { continue };
        if index < k.prefix_items.len() {
            alt = alt.and(k.prefix_items[index]);
        } else if let Some(it) = k.items {
            alt = alt.and(it);
        } else if let Some(u) = k.unevaluated_items {
            let others =
                k.contains.is_some() || k.in_place().any(|c| evaluates_item(s, c, index, false));
            if !others {
                alt = alt.and(u);
            }
        }
    }
    if alt.pos.iter().any(|&p| s.is_false(p)) {
        return None;
    }
    Some(alt)
}

/// The most items the writer's arrays may hold, from `maxItems` and closed tuples.
pub fn max_items(s: &JsonSchema, m: &Merged) -> Option<u64> {
    let mut max = m.max_items;
    for &n in &m.arrs {
        let Some(k) = s.keywords(n) else { continue };
        if k.items.is_some_and(|i| s.is_false(i)) {
            let l = k.prefix_items.len() as u64;
            max = Some(max.map_or(l, |x| x.min(l)));
        }
    }
    max
}
