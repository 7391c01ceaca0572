//! JSON Schema compatibility under set semantics: a reader accepts a writer when every instance
//! valid under the writer is valid under the reader. Decided structurally and conservatively —
//! where the engine cannot prove acceptance it reports an incompatibility, or, for constructs it
//! cannot reason about, a `json-undecidable` warning that names the construct.
//!
//! The writer is handled as a conjunction of schema nodes with its disjunctions expanded
//! (`view`); the reader is walked node by node: its own keywords one family per file (`types`,
//! `strings`, `numbers`, `objects`, `arrays`), its applicators in `combinators`. Each finding
//! carries an example instance (`example`), checked with the `jsonschema` crate against both
//! schemas before it is shown. Recursive schemas terminate: a (writer, reader) pair met again
//! while it is being decided is assumed to hold, which is sound because every cycle passes
//! through a keyword that descends into the instance (cycles that do not are refused when the
//! schema is loaded), so the assumption is only ever used on a smaller instance. Answers are
//! memoised per pair (`fixpoint`), so each pair is decided about once.

pub mod alt;
mod arrays;
mod combinators;
pub mod eval;
pub mod example;
mod fixpoint;
mod numbers;
mod objects;
mod patterns;
mod strings;
mod types;
pub mod view;

use super::Incompatibility;
use crate::finding::Severity;
use crate::rules::{self, Rule};
use crate::schema::json::{JsonSchema, Keywords, Kind, NodeId, json_eq};
use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use alt::Alt;

/// How the engine treats open content models, per subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// Set semantics throughout.
    #[default]
    Strict,
    /// Confluent's lenient set: adding an optional property to an open model and removing a
    /// property from a closed model pass, as warnings.
    Lenient,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Strict => "strict",
            Policy::Lenient => "lenient",
        }
    }
    pub fn parse(s: &str) -> Option<Policy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "strict" => Some(Policy::Strict),
            "lenient" => Some(Policy::Lenient),
            _ => None,
        }
    }
}

/// Every reason `reader` may reject an instance valid under `writer` (empty when it cannot).
pub fn check(reader: &JsonSchema, writer: &JsonSchema, policy: Policy) -> Vec<Incompatibility> {
    let mut c = Checker::new(reader, writer, policy);
    let root = Alt::of(writer.root);
    c.sub(&root, reader.root, true);
    c.out
}

/// A yes/no verdict, without findings.
pub fn accepts(reader: &JsonSchema, writer: &JsonSchema, policy: Policy) -> bool {
    let mut c = Checker::new(reader, writer, policy);
    let root = Alt::of(writer.root);
    c.sub(&root, reader.root, false)
}

/// One step from a value to a member: a property, or an array item (`None`: any item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Prop(String),
    Item(Option<usize>),
}

/// How deep the engine follows nested pairs before it says it cannot decide.
const MAX_DEPTH: usize = 200;

pub(crate) struct Checker<'a> {
    pub(crate) r: &'a JsonSchema,
    pub(crate) w: &'a JsonSchema,
    pub(crate) policy: Policy,
    pub(crate) out: Vec<Incompatibility>,
    memo: fixpoint::Fix<(Alt, NodeId)>,
    reported: HashSet<(Alt, NodeId)>,
    eq_memo: fixpoint::Fix<(NodeId, NodeId)>,
    disjoint_memo: HashMap<(Alt, NodeId), bool>,
    disjoint_cut: bool,
    pattern_memo: HashMap<(Vec<String>, String), patterns::Inclusion>,
    /// (reader node, writer node) pairs where the writer node accepts all the reader's does.
    within_memo: HashMap<(NodeId, NodeId), bool>,
    /// A checker with the roles swapped, asked by `within`.
    swapped: bool,
    /// From the root to the pair being checked: each step with the writer's alternative at the
    /// parent (for building example instances).
    pub(crate) trail: Vec<(Step, Alt)>,
    depth: usize,
    validators: Option<(Option<jsonschema::Validator>, Option<jsonschema::Validator>)>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(r: &'a JsonSchema, w: &'a JsonSchema, policy: Policy) -> Self {
        Checker {
            r,
            w,
            policy,
            out: Vec::new(),
            memo: fixpoint::Fix::new(),
            reported: HashSet::new(),
            eq_memo: fixpoint::Fix::new(),
            disjoint_memo: HashMap::new(),
            disjoint_cut: false,
            pattern_memo: HashMap::new(),
            within_memo: HashMap::new(),
            swapped: false,
            trail: Vec::new(),
            depth: 0,
            validators: None,
        }
    }

    /// Does `r` accept every instance of `alt`? In report mode every reason becomes a finding
    /// (and checking goes on after the first); otherwise the first failure ends it.
    pub(crate) fn sub(&mut self, alt: &Alt, r: NodeId, report: bool) -> bool {
        if self.r.is_true(r) || alt.pos.iter().any(|&w| self.w.is_false(w)) {
            return true;
        }
        if alt.pos.iter().any(|&w| self.equal(w, r)) {
            return true;
        }
        if self.depth > MAX_DEPTH {
            if report {
                self.undecidable(r, "nesting deeper than the engine follows".into());
            }
            return false;
        }
        let key = (alt.clone(), r);
        if report {
            if !self.reported.insert(key) {
                return self.sub(alt, r, false);
            }
            self.depth += 1;
            let v = self.decide(alt, r, true);
            self.depth -= 1;
            return v;
        }
        if let Some(v) = self.memo.get(&key) {
            return v;
        }
        let frame = self.memo.enter(key.clone());
        self.depth += 1;
        let v = self.decide(alt, r, false);
        self.depth -= 1;
        self.memo.leave(key, frame, v);
        v
    }

    /// `sub` in report mode against every node of a conjunction, reporting all of them.
    pub(crate) fn sub_every(&mut self, alt: &Alt, rs: &[NodeId]) -> bool {
        let mut ok = true;
        for &x in rs {
            ok &= self.sub(alt, x, true);
        }
        ok
    }

    fn decide(&mut self, alt: &Alt, r: NodeId, report: bool) -> bool {
        if let Some(v) = self.by_values(alt, r, report) {
            return v;
        }
        let alts = match view::expand(self.w, alt) {
            Ok(a) => a,
            Err(view::TooMany) => {
                if report {
                    let w = alt.pos.first().copied();
                    self.undecidable_w(
                        w,
                        format!(
                            "the writer's anyOf/oneOf/if combinations expand into more than {} alternatives",
                            view::MAX_ALTS
                        ),
                    );
                }
                return false;
            }
        };
        // Findings met again through another alternative are reported once, with the first
        // alternative's example: the alternatives with an instance evreg can build go first.
        let alts = if report && alts.len() > 1 {
            let (mut built, empty): (Vec<Alt>, Vec<Alt>) =
                alts.into_iter().partition(|a| self.witness(a).is_some());
            built.extend(empty);
            built
        } else {
            alts
        };
        let mut ok = true;
        for a in &alts {
            if !self.sub_alt(a, r, report) {
                ok = false;
                if !report {
                    return false;
                }
            }
        }
        ok
    }

    /// One expanded writer alternative against reader node `r`.
    fn sub_alt(&mut self, a: &Alt, r: NodeId, report: bool) -> bool {
        if a.pos.iter().any(|&w| self.equal(w, r)) {
            return true;
        }
        let m = view::merged(self.w, a);
        if m.types == 0 {
            return true;
        }
        let k = match &self.r.node(r).kind {
            Kind::Bool(true) => return true,
            Kind::Bool(false) => {
                if report {
                    let ex = self.example(a, &[r], Vec::new());
                    let inc = self
                        .inc(
                            &rules::JSON_TYPE_NARROWED,
                            self.rp(r, ""),
                            self.wp(a, "type"),
                            format!(
                                "{} accepts no value at all in {{reader}} (`false`), but {{writer}} allows {}",
                                self.shown(),
                                crate::schema::json::types::describe(m.types)
                            ),
                            "keep the schema as wide as before; to retire a property, stop writing it before closing it",
                        )
                        .example(ex);
                    self.push(inc);
                }
                return false;
            }
            Kind::Keywords(k) => k,
        };
        let mut ok = true;
        macro_rules! step {
            ($e:expr) => {
                if !$e {
                    ok = false;
                    if !report {
                        return false;
                    }
                }
            };
        }
        if !k.undecidable.is_empty() {
            if report {
                let kw = k.undecidable[0];
                self.undecidable(r, format!("`{kw}` (dynamic scope) is not decided by evreg"));
            }
            if !report {
                return false;
            }
        }
        step!(self.own(a, &m, r, k, report));
        if let Some(x) = k.ref_ {
            step!(self.sub(a, x, report));
        }
        for &x in &k.all_of {
            step!(self.sub(a, x, report));
        }
        step!(self.combinators(a, &m, r, k, report));
        ok
    }

    /// The reader's own keywords (not its applicators) against the writer's merged facts.
    fn own(&mut self, a: &Alt, m: &view::Merged, r: NodeId, k: &Keywords, report: bool) -> bool {
        let mut ok = true;
        let Some(t) = self.types_and_values(a, m, r, k, report, &mut ok) else {
            return ok;
        };
        if !report && !ok {
            return false;
        }
        use crate::schema::json::types as ty;
        if t & ty::STRING != 0 && !self.strings(a, m, r, k, report) {
            ok = false;
            if !report {
                return false;
            }
        }
        if t & ty::NUMBER != 0 && !self.numbers(a, m, t, r, k, report) {
            ok = false;
            if !report {
                return false;
            }
        }
        if t & ty::OBJECT != 0 && !self.objects(a, m, r, k, report) {
            ok = false;
            if !report {
                return false;
            }
        }
        if t & ty::ARRAY != 0 && !self.arrays(a, m, r, k, report) {
            ok = false;
        }
        ok
    }

    // ---- equality -------------------------------------------------------------------------

    /// Are writer node `w` and reader node `r` the same schema (structurally, through `$ref`s)?
    pub(crate) fn equal(&mut self, w: NodeId, r: NodeId) -> bool {
        let w = deref(self.w, w);
        let r = deref(self.r, r);
        if let Some(v) = self.eq_memo.get(&(w, r)) {
            return v;
        }
        let frame = self.eq_memo.enter((w, r));
        let v = self.equal_nodes(w, r);
        self.eq_memo.leave((w, r), frame, v);
        v
    }

    fn equal_nodes(&mut self, w: NodeId, r: NodeId) -> bool {
        let (wk, rk) = match (&self.w.node(w).kind, &self.r.node(r).kind) {
            (Kind::Bool(a), Kind::Bool(b)) => return a == b,
            (Kind::Keywords(a), Kind::Keywords(b)) => (a, b),
            _ => return false,
        };
        // An enum is a set: its order and repeats mean nothing.
        let values_eq =
            |a: &Option<Vec<serde_json::Value>>, b: &Option<Vec<serde_json::Value>>| match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    let keys = |vs: &[serde_json::Value]| -> HashSet<String> {
                        vs.iter().map(crate::schema::json::value_key).collect()
                    };
                    keys(a) == keys(b)
                }
                _ => false,
            };
        let scalar = wk.types == rk.types
            && values_eq(&wk.enum_values, &rk.enum_values)
            && match (&wk.const_value, &rk.const_value) {
                (None, None) => true,
                (Some(a), Some(b)) => json_eq(a, b),
                _ => false,
            }
            && wk.format == rk.format
            && wk.min_length == rk.min_length
            && wk.max_length == rk.max_length
            && wk.pattern == rk.pattern
            && wk.lower == rk.lower
            && wk.upper == rk.upper
            && wk.multiple_of == rk.multiple_of
            && wk.required_set == rk.required_set
            && wk.min_properties == rk.min_properties
            && wk.max_properties == rk.max_properties
            && wk.min_items == rk.min_items
            && wk.max_items == rk.max_items
            && wk.unique_items == rk.unique_items
            && wk.min_contains == rk.min_contains
            && wk.max_contains == rk.max_contains
            && wk.undecidable.is_empty()
            && rk.undecidable.is_empty()
            && wk.properties.len() == rk.properties.len()
            && wk.pattern_properties.len() == rk.pattern_properties.len()
            && wk.dependent_schemas.len() == rk.dependent_schemas.len()
            && wk.prefix_items.len() == rk.prefix_items.len()
            && wk.all_of.len() == rk.all_of.len()
            && wk.any_of.len() == rk.any_of.len()
            && wk.one_of.len() == rk.one_of.len()
            && {
                let mut a = wk.dependent_required.clone();
                let mut b = rk.dependent_required.clone();
                a.sort();
                b.sort();
                a == b
            };
        if !scalar {
            return false;
        }
        let mut pairs: Vec<(NodeId, NodeId)> = Vec::new();
        for (n, s) in &wk.properties {
            match rk.property(n) {
                Some(t) => pairs.push((*s, t)),
                None => return false,
            }
        }
        for (n, s) in &wk.pattern_properties {
            match rk.pattern_properties.iter().find(|(m, _)| m == n) {
                Some((_, t)) => pairs.push((*s, *t)),
                None => return false,
            }
        }
        for (n, s) in &wk.dependent_schemas {
            match rk.dependent_schemas.iter().find(|(m, _)| m == n) {
                Some((_, t)) => pairs.push((*s, *t)),
                None => return false,
            }
        }
        for (a, b) in [
            (wk.additional_properties, rk.additional_properties),
            (wk.unevaluated_properties, rk.unevaluated_properties),
            (wk.property_names, rk.property_names),
            (wk.items, rk.items),
            (wk.unevaluated_items, rk.unevaluated_items),
            (wk.contains, rk.contains),
            (wk.not, rk.not),
            (wk.if_, rk.if_),
            (wk.then_, rk.then_),
            (wk.else_, rk.else_),
            (wk.ref_, rk.ref_),
        ] {
            match (a, b) {
                (None, None) => {}
                (Some(a), Some(b)) => pairs.push((a, b)),
                _ => return false,
            }
        }
        pairs.extend(
            wk.prefix_items
                .iter()
                .copied()
                .zip(rk.prefix_items.iter().copied()),
        );
        if !pairs.into_iter().all(|(a, b)| self.equal(a, b)) {
            return false;
        }
        // The branches of allOf/anyOf/oneOf are sets too: match each writer branch with an equal
        // reader branch not yet taken (structural equality is an equivalence, so a greedy
        // matching finds one when any exists).
        for (x, y) in [
            (&wk.all_of, &rk.all_of),
            (&wk.any_of, &rk.any_of),
            (&wk.one_of, &rk.one_of),
        ] {
            let mut taken = vec![false; y.len()];
            for &a in x {
                let hit = (0..y.len()).find(|&j| !taken[j] && self.equal(a, y[j]));
                match hit {
                    Some(j) => taken[j] = true,
                    None => return false,
                }
            }
        }
        true
    }

    // ---- findings -------------------------------------------------------------------------

    /// The readable path of the pair being checked: `lines[].price`.
    pub(crate) fn path(&self) -> String {
        Checker::path_of(&self.trail)
    }

    pub(crate) fn path_of(trail: &[(Step, Alt)]) -> String {
        let mut s = String::new();
        for (step, _) in trail {
            match step {
                Step::Prop(p) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(p);
                }
                Step::Item(None) => s.push_str("[]"),
                Step::Item(Some(i)) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// The path for messages: `` `lines[].price` `` or "the schema root".
    pub(crate) fn shown(&self) -> String {
        let p = self.path();
        if p.is_empty() {
            "the value at the root".into()
        } else {
            format!("`{p}`")
        }
    }

    /// (file, pointer) of `keyword` in reader node `r` (the node itself if not written there).
    pub(crate) fn rp(&self, r: NodeId, keyword: &str) -> (usize, String) {
        let n = self.r.node(r);
        if keyword.is_empty() {
            return (n.file, n.pointer.clone());
        }
        (n.file, self.r.keyword_pointer(r, keyword))
    }

    /// (file, pointer) in the writer: the first node of `a` that writes `keyword`, else its first
    /// node, else the nearest enclosing writer node.
    pub(crate) fn wp(&self, a: &Alt, keyword: &str) -> (usize, String) {
        if !keyword.is_empty() {
            for &n in &a.pos {
                let p = self.w.keyword_pointer(n, keyword);
                if p != self.w.node(n).pointer {
                    return (self.w.node(n).file, p);
                }
            }
        }
        if let Some(&n) = a.pos.first() {
            let node = self.w.node(n);
            return (node.file, node.pointer.clone());
        }
        for (_, pa) in self.trail.iter().rev() {
            if let Some(&n) = pa.pos.first() {
                let node = self.w.node(n);
                return (node.file, node.pointer.clone());
            }
        }
        let node = self.w.node(self.w.root);
        (node.file, node.pointer.clone())
    }

    pub(crate) fn inc(
        &self,
        rule: &'static Rule,
        r: (usize, String),
        w: (usize, String),
        message: String,
        help: &str,
    ) -> Incompatibility {
        Incompatibility {
            rule,
            reader_pointer: r.1,
            writer_pointer: w.1,
            reader_file: r.0,
            writer_file: w.0,
            path: self.path(),
            message,
            help: help.to_string(),
            severity: None,
            example: None,
        }
    }

    pub(crate) fn push(&mut self, inc: Incompatibility) {
        let dup = self.out.iter_mut().find(|o| {
            o.rule.id == inc.rule.id
                && o.reader_pointer == inc.reader_pointer
                && o.reader_file == inc.reader_file
                && o.writer_pointer == inc.writer_pointer
                && o.path == inc.path
        });
        match dup {
            // The same finding met through another writer alternative: keep the first, with
            // the first example any of them found (an alternative evreg cannot show empty may
            // have no instance to build one from).
            Some(o) => {
                if o.example.is_none() {
                    o.example = inc.example;
                }
            }
            None => self.out.push(inc),
        }
    }

    fn undecidable(&mut self, r: NodeId, what: String) {
        let rp = self.rp(r, "");
        let wp = self.wp(&Alt::any(), "");
        let inc = self.inc(
            &rules::JSON_UNDECIDABLE,
            rp,
            wp,
            format!(
                "{}: {what}; compatibility of this part is not decided",
                self.shown()
            ),
            "review this part of the change by hand",
        );
        self.push(inc);
    }

    fn undecidable_w(&mut self, w: Option<NodeId>, what: String) {
        let a = w.map(Alt::of).unwrap_or_else(Alt::any);
        let wp = self.wp(&a, "");
        let rp = (0, String::new());
        let inc = self.inc(
            &rules::JSON_UNDECIDABLE,
            rp,
            wp,
            format!(
                "{}: {what}; compatibility of this part is not decided",
                self.shown()
            ),
            "review this part of the change by hand, or simplify the combinators",
        );
        self.push(inc);
    }
}

impl Incompatibility {
    pub(crate) fn example(mut self, example: Option<serde_json::Value>) -> Self {
        self.example = example;
        self
    }
    pub(crate) fn severity(mut self, severity: Option<Severity>) -> Self {
        self.severity = severity;
        self
    }
}

/// Follow a node that is only a `$ref` to its target.
fn deref(s: &JsonSchema, mut id: NodeId) -> NodeId {
    for _ in 0..64 {
        match s.keywords(id) {
            Some(k) if k.only_ref => match k.ref_ {
                Some(t) => id = t,
                None => return id,
            },
            _ => return id,
        }
    }
    id
}

#[cfg(test)]
mod tests;
