//! Deciding and reporting, kept apart as the `jsonschema` crate keeps `is_valid` apart from
//! `validate`. Every check is written once and runs in one of two modes: a probe (`holds`), which
//! stops at the first failure and builds nothing, or a report (`report`), which records every
//! reason and goes on. A check never asks which mode it runs in: it hands each failure to `emit`
//! (the rule, the places in both schemas, and closures for the message and the example, called
//! only when reporting) and passes the result on with `?`.

use super::alt::Alt;
use super::view::Merged;
use super::{Checker, Step};
use crate::finding::{Draft, Severity};
use crate::rules::Rule;
use crate::schema::json::{Keywords, NodeId};
use serde_json::Value;

/// A probe's first failure: the pair does not hold, and nothing more is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stop;

/// How a check ends: `Err(Stop)` only in a probe (a report records and goes on).
pub(crate) type Go = Result<(), Stop>;

/// The pair a check looks at: writer alternative `a` (its facts merged in `m`) against reader
/// node `r` (its keywords `k`).
pub(crate) struct Here<'x> {
    pub a: &'x Alt,
    pub m: &'x Merged,
    pub r: NodeId,
    pub k: &'x Keywords,
}

/// Where a finding sits and what it is, short of its message and example.
pub(crate) struct At<'x> {
    rule: &'static Rule,
    help: &'static str,
    /// The reader node and the keyword in it (None: the reader's root file, no place).
    reader: Option<(NodeId, &'x str)>,
    /// The writer alternative and its keyword, unless `writer_node` names the place.
    writer: (&'x Alt, &'x str),
    writer_node: Option<NodeId>,
    /// The finding is about the object, not the member the trail's last step made up.
    of_object: bool,
    severity: Option<Severity>,
    /// A failure (false: a finding that lets the pair hold, such as a lenient policy's warning).
    fails: bool,
}

impl<'x> At<'x> {
    pub(crate) fn new(rule: &'static Rule, help: &'static str, writer: &'x Alt) -> At<'x> {
        At {
            rule,
            help,
            reader: None,
            writer: (writer, ""),
            writer_node: None,
            of_object: false,
            severity: None,
            fails: true,
        }
    }
    /// In the reader: `keyword` of node `r` (the node itself for "").
    pub(crate) fn r(mut self, r: NodeId, keyword: &'x str) -> Self {
        self.reader = Some((r, keyword));
        self
    }
    /// In the writer: the first node of the alternative that writes `keyword`.
    pub(crate) fn w(mut self, keyword: &'x str) -> Self {
        self.writer.1 = keyword;
        self
    }
    /// In the writer: this node, when there is one.
    pub(crate) fn w_node(mut self, node: Option<NodeId>) -> Self {
        self.writer_node = node;
        self
    }
    pub(crate) fn of_object(mut self) -> Self {
        self.of_object = true;
        self
    }
    /// A finding that does not fail, but is still shown.
    pub(crate) fn passing(mut self) -> Self {
        self.fails = false;
        self
    }
    /// Passes, shown as a warning, when `lenient` (a lenient policy's pass).
    pub(crate) fn lenient(self, lenient: bool) -> Self {
        if !lenient {
            return self;
        }
        let mut at = self.passing();
        at.severity = Some(Severity::Warning);
        at
    }
}

impl Checker<'_> {
    /// One finding. A probe stops at a failure without calling `message` or `example`; a report
    /// builds and records the finding and goes on. A finding that does not fail is recorded only
    /// by a report.
    pub(crate) fn emit(
        &mut self,
        at: At<'_>,
        message: impl FnOnce(&Self, &str, &str) -> String,
        example: impl FnOnce(&mut Self) -> Option<Value>,
    ) -> Go {
        if !self.reporting {
            return if at.fails { Err(Stop) } else { Ok(()) };
        }
        let ex = example(self);
        let labels = self.labels;
        let message = message(self, labels.reader, labels.writer);
        let r = match at.reader {
            Some((n, kw)) => self.rp(n, kw),
            None => (0, String::new()),
        };
        let w = match at.writer_node {
            Some(n) => (self.w.node(n).file, self.w.node(n).pointer.clone()),
            None => self.wp(at.writer.0, at.writer.1),
        };
        let path = if at.of_object {
            self.object_path()
        } else {
            self.path()
        };
        let mut draft = Draft::new(at.rule, message, at.help)
            .at(r)
            .other(w)
            .path(path)
            .example(ex);
        if let Some(severity) = at.severity {
            draft = draft.severity(severity);
        }
        self.push(draft);
        Ok(())
    }

    /// A failure that other findings explain: a probe stops; a report runs `explain` (which
    /// reports them) and goes on.
    pub(crate) fn failed(&mut self, explain: impl FnOnce(&mut Self)) -> Go {
        if !self.reporting {
            return Err(Stop);
        }
        explain(self);
        Ok(())
    }

    /// Nested pairs in the current mode: a probe stops when one fails, a report reports each.
    pub(crate) fn descend(&mut self, alt: &Alt, rs: &[NodeId]) -> Go {
        if self.reporting {
            for &x in rs {
                self.report(alt, x);
            }
            return Ok(());
        }
        for &x in rs {
            if !self.holds(alt, x) {
                return Err(Stop);
            }
        }
        Ok(())
    }

    /// Runs `check` with `step` pushed on the trail (the member or item it looks at).
    pub(crate) fn at_step(
        &mut self,
        step: Step,
        parent: &Alt,
        check: impl FnOnce(&mut Self) -> Go,
    ) -> Go {
        self.trail.push((step, parent.clone()));
        let v = check(self);
        self.trail.pop();
        v
    }

    /// A report meets the writer's alternatives with an example instance first: a finding met
    /// again through another alternative keeps the first one's example. A probe takes them as
    /// they come.
    pub(crate) fn examples_first(&self, alts: Vec<Alt>) -> Vec<Alt> {
        if !self.reporting || alts.len() < 2 {
            return alts;
        }
        let (mut built, empty): (Vec<Alt>, Vec<Alt>) =
            alts.into_iter().partition(|a| self.witness(a).is_some());
        built.extend(empty);
        built
    }
}
