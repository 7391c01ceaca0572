//! The walk: a (writer alternative, reader node) pair, probed (`holds`) or reported (`report`);
//! the writer's disjunctions expanded into alternatives; each alternative against the reader's
//! own keywords, one family per file, then its applicators.

use super::alt::Alt;
use super::emit::{At, Go, Here};
use super::{Checker, MAX_DEPTH, view};
use crate::rules;
use crate::schema::json::{Kind, NodeId, types};

impl Checker<'_> {
    /// Does `r` accept every instance of `alt`? The probe: the first failure ends it, nothing is
    /// built, and the answer is memoised.
    pub(crate) fn holds(&mut self, alt: &Alt, r: NodeId) -> bool {
        if self.trivially_holds(alt, r) {
            return true;
        }
        if self.depth > MAX_DEPTH {
            return false;
        }
        let key = (alt.clone(), r);
        if let Some(v) = self.memo.get(&key) {
            return v;
        }
        let frame = self.memo.enter(key.clone());
        let outer = std::mem::replace(&mut self.reporting, false);
        self.depth += 1;
        let v = self.decide(alt, r).is_ok();
        self.depth -= 1;
        self.reporting = outer;
        self.memo.leave(key, frame, v);
        v
    }

    /// Every reason `r` may reject an instance of `alt`, as findings. A pair is reported once.
    pub(crate) fn report(&mut self, alt: &Alt, r: NodeId) {
        if self.trivially_holds(alt, r) {
            return;
        }
        let outer = std::mem::replace(&mut self.reporting, true);
        if self.depth > MAX_DEPTH {
            let _ = self.undecidable(r, || "nesting deeper than the engine follows".into());
        } else if self.reported.insert((alt.clone(), r)) {
            self.depth += 1;
            let _ = self.decide(alt, r);
            self.depth -= 1;
        }
        self.reporting = outer;
    }

    fn trivially_holds(&mut self, alt: &Alt, r: NodeId) -> bool {
        self.r.is_true(r)
            || alt.pos.iter().any(|&w| self.w.is_false(w))
            || alt.pos.iter().any(|&w| self.equal(w, r))
    }

    fn decide(&mut self, alt: &Alt, r: NodeId) -> Go {
        if let Some(v) = self.by_values(alt, r) {
            return v;
        }
        let alts = match view::expand(self.w, alt) {
            Ok(a) => a,
            Err(view::TooMany) => {
                return self.undecidable_w(alt.pos.first().copied(), || {
                    format!(
                        "the writer's anyOf/oneOf/if combinations expand into more than {} alternatives",
                        view::MAX_ALTS
                    )
                });
            }
        };
        for a in &self.examples_first(alts) {
            self.sub_alt(a, r)?;
        }
        Ok(())
    }

    /// One expanded writer alternative against reader node `r`.
    fn sub_alt(&mut self, a: &Alt, r: NodeId) -> Go {
        if a.pos.iter().any(|&w| self.equal(w, r)) {
            return Ok(());
        }
        let m = view::merged(self.w, a);
        if m.types == 0 {
            return Ok(());
        }
        let k = match &self.r.node(r).kind {
            Kind::Bool(true) => return Ok(()),
            Kind::Bool(false) => return self.reader_accepts_nothing(a, &m, r),
            Kind::Keywords(k) => k,
        };
        if let Some(kw) = k.undecidable.first() {
            self.undecidable(r, || {
                format!("`{kw}` (dynamic scope) is not decided by evreg")
            })?;
        }
        let h = Here { a, m: &m, r, k };
        self.own(&h)?;
        if let Some(x) = k.ref_ {
            self.descend(a, &[x])?;
        }
        self.descend(a, &k.all_of)?;
        self.combinators(&h)
    }

    /// The reader's own keywords (not its applicators) against the writer's merged facts.
    fn own(&mut self, h: &Here) -> Go {
        let Some(t) = self.types_and_values(h)? else {
            return Ok(());
        };
        if t & types::STRING != 0 {
            self.strings(h)?;
        }
        if t & types::NUMBER != 0 {
            self.numbers(h, t)?;
        }
        if t & types::OBJECT != 0 {
            self.objects(h)?;
        }
        if t & types::ARRAY != 0 {
            self.arrays(h)?;
        }
        Ok(())
    }

    /// A reader schema `false` where the writer allows values.
    fn reader_accepts_nothing(&mut self, a: &Alt, m: &view::Merged, r: NodeId) -> Go {
        let at = At::new(
            &rules::JSON_TYPE_NARROWED,
            "keep the schema as wide as before; to retire a property, stop writing it before closing it",
            a,
        )
        .r(r, "")
        .w("type");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} accepts no value at all in {reader} (`false`), but {writer} allows {}",
                    c.shown(),
                    types::describe(m.types)
                )
            },
            |c| c.example(a, &[r], Vec::new()),
        )
    }

    /// A part of reader node `r` evreg does not decide: a warning, and the pair does not hold.
    pub(crate) fn undecidable(&mut self, r: NodeId, what: impl FnOnce() -> String) -> Go {
        let any = Alt::any();
        let at = At::new(
            &rules::JSON_UNDECIDABLE,
            "review this part of the change by hand",
            &any,
        )
        .r(r, "");
        self.emit(at, |c, _, _| c.not_decided(what()), |_| None)
    }

    /// A part of the writer (at node `w`) evreg does not decide.
    fn undecidable_w(&mut self, w: Option<NodeId>, what: impl FnOnce() -> String) -> Go {
        let a = w.map(Alt::of).unwrap_or_else(Alt::any);
        let at = At::new(
            &rules::JSON_UNDECIDABLE,
            "review this part of the change by hand, or simplify the combinators",
            &a,
        );
        self.emit(at, |c, _, _| c.not_decided(what()), |_| None)
    }

    fn not_decided(&self, what: String) -> String {
        format!(
            "{}: {what}; compatibility of this part is not decided",
            self.shown()
        )
    }
}
