//! JSON Schema compatibility under set semantics: a reader accepts a writer when every instance
//! valid under the writer is valid under the reader. Decided structurally and conservatively —
//! where the engine cannot prove acceptance it reports an incompatibility, or, for constructs it
//! cannot reason about, a `json-undecidable` warning that names the construct.
//!
//! The writer is handled as a conjunction of schema nodes (`alt`) with its disjunctions expanded
//! (`view`); the reader is walked node by node (`walk`): its own keywords one family per file
//! (`types`, `strings`, `numbers`, `objects`, `arrays`), one function per rule, its applicators in
//! `combinators`. Every check runs either as a probe, which stops at the first failure and builds
//! nothing, or as a report, which records every reason (`emit`). Each finding
//! carries an example instance (`example`), checked with the `jsonschema` crate against both
//! schemas before it is shown. Recursive schemas terminate: a (writer, reader) pair met again
//! while it is being decided is assumed to hold, which is sound because every cycle passes
//! through a keyword that descends into the instance (cycles that do not are refused when the
//! schema is loaded), so the assumption is only ever used on a smaller instance. Answers are
//! memoised per pair (`fixpoint`), so each pair is decided about once.

pub mod alt;
mod arrays;
mod combinators;
mod emit;
mod equal;
pub mod eval;
pub mod example;
mod fixpoint;
mod numbers;
mod objects;
mod patterns;
mod strings;
mod types;
pub mod view;
mod walk;

use super::Labels;
use crate::finding::Draft;
use crate::schema::json::{JsonSchema, NodeId};
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

/// Every reason `reader` may reject an instance valid under `writer` (empty when it cannot), the
/// sides named by their roles.
pub fn check(reader: &JsonSchema, writer: &JsonSchema, policy: Policy) -> Vec<Draft> {
    check_labelled(reader, writer, policy, Labels::ROLES)
}

/// `check`, with messages that name the sides by `labels` (`v2`, `old.schema.json`).
pub fn check_labelled(
    reader: &JsonSchema,
    writer: &JsonSchema,
    policy: Policy,
    labels: Labels,
) -> Vec<Draft> {
    let mut c = Checker::new(reader, writer, policy, labels);
    c.report(&Alt::of(writer.root), reader.root);
    c.out
}

/// A yes/no verdict, without findings.
pub fn accepts(reader: &JsonSchema, writer: &JsonSchema, policy: Policy) -> bool {
    let mut c = Checker::new(reader, writer, policy, Labels::ROLES);
    c.holds(&Alt::of(writer.root), reader.root)
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
    /// The names messages give the reader and the writer.
    labels: Labels<'a>,
    pub(crate) out: Vec<Draft>,
    /// Reporting (every reason a finding) rather than probing (the first failure ends it).
    reporting: bool,
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
    pub(crate) fn new(
        r: &'a JsonSchema,
        w: &'a JsonSchema,
        policy: Policy,
        labels: Labels<'a>,
    ) -> Self {
        Checker {
            r,
            w,
            policy,
            labels,
            out: Vec::new(),
            reporting: false,
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

    /// The path of the object whose member the trail's last step is.
    pub(crate) fn object_path(&self) -> String {
        Checker::path_of(&self.trail[..self.trail.len().saturating_sub(1)])
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

    pub(crate) fn push(&mut self, draft: Draft) {
        let dup = self.out.iter_mut().find(|o| {
            o.rule.id == draft.rule.id
                && o.at == draft.at
                && o.other.as_ref().map(|p| &p.pointer) == draft.other.as_ref().map(|p| &p.pointer)
                && o.path == draft.path
        });
        match dup {
            // The same finding met through another writer alternative: keep the first, with
            // the first example any of them found (an alternative evreg cannot show empty may
            // have no instance to build one from).
            Some(o) => {
                if o.example.is_none() {
                    o.example = draft.example;
                }
            }
            None => self.out.push(draft),
        }
    }
}

#[cfg(test)]
mod tests;
