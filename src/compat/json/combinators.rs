//! The reader's applicators: `anyOf`, `oneOf` (branches matched per writer type; a `oneOf` branch
//! must also be provably exclusive of the others), `not`, `if`/`then`/`else`,
//! `dependentSchemas`. (`$ref` and `allOf` are plain conjunctions, walked in `mod.rs`.)

use super::Checker;
use super::alt::Alt;
use super::emit::{At, Go, Here};
use super::eval;
use super::view::{self, Merged, TYPE_BITS};
use crate::rules;
use crate::schema::json::{Keywords, Kind, NodeId, types, value_key};
use serde_json::Value;

/// How deep `disjoint` follows properties and branches (each level one keyword deeper).
const MAX_DISJOINT_DEPTH: usize = 8;

/// "an object", "a string".
fn a_or_an(what: String) -> String {
    let vowel = what.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {what}", if vowel { "an" } else { "a" })
}

impl Checker<'_> {
    pub(super) fn combinators(&mut self, h: &Here) -> Go {
        if !h.k.any_of.is_empty() {
            self.branches(h, &h.k.any_of, false)?;
        }
        if !h.k.one_of.is_empty() {
            self.branches(h, &h.k.one_of, true)?;
        }
        self.not_changed(h)?;
        if let Some(i) = h.k.if_ {
            self.conditional(h, i)?;
        }
        for (p, s) in &h.k.dependent_schemas {
            self.dependent_schema_added(h, p, *s)?;
        }
        Ok(())
    }

    fn not_changed(&mut self, h: &Here) -> Go {
        let Some(x) = h.k.not else {
            return Ok(());
        };
        if self.disjoint(h.a, x, 0) {
            return Ok(());
        }
        let at = At::new(
            &rules::JSON_NOT_CHANGED,
            "declare the exclusion from the first version",
            h.a,
        )
        .r(h.r, "not")
        .w("not");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} must not match {reader}'s `not` schema, but {writer} may write values that do (or evreg cannot show they do not)",
                    c.shown()
                )
            },
            |c| c.example(h.a, &[h.r], Vec::new()),
        )
    }

    /// The reader's `dependentSchemas` entry for property `p` (schema `s`).
    fn dependent_schema_added(&mut self, h: &Here, p: &str, s: NodeId) -> Go {
        let Some(pa) = view::member_alt(self.w, &h.m.objs, p) else {
            return Ok(());
        };
        let ao = h.a.with_types(types::OBJECT);
        let own: Vec<NodeId> =
            h.a.pos
                .iter()
                .filter_map(|&n| {
                    self.w.keywords(n).and_then(|wk| {
                        wk.dependent_schemas
                            .iter()
                            .find(|(q, _)| q == p)
                            .map(|(_, x)| *x)
                    })
                })
                .collect();
        let mut with = ao.clone();
        for &x in &own {
            with = with.and(x);
        }
        if self.holds(&with, s) {
            return Ok(());
        }
        // The writer's own dependent schema for `p`: its reasons are the findings.
        if !own.is_empty() {
            return self.failed(|c| c.report(&with, s));
        }
        let at = At::new(
            &rules::JSON_DEPENDENT_SCHEMA_ADDED,
            "declare the dependent schema from the first version",
            h.a,
        )
        .r(s, "");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "when `{p}` is present{}, {reader} applies a dependent schema {writer} does not guarantee",
                    c.at_path()
                )
            },
            |c| {
                let mut targeted = Vec::new();
                if let Some(Value::Object(mut base)) = c.witness(&ao)
                    && let Some(v) = c.witness(&pa)
                {
                    base.insert(p.to_string(), v);
                    targeted.push(Value::Object(base));
                }
                c.example(&ao, &[h.r], targeted)
            },
        )
    }

    /// `anyOf` (or, with `one`, `oneOf`): each writer value must match a branch (exactly one).
    fn branches(&mut self, h: &Here, bs: &[NodeId], one: bool) -> Go {
        if self.branch_fits(h.a, bs, one).is_some() {
            return Ok(());
        }
        for t in TYPE_BITS {
            if h.m.types & t == 0 {
                continue;
            }
            let at = h.a.with_types(t);
            if view::merged(self.w, &at).types == 0 {
                continue;
            }
            if self.branch_fits(&at, bs, one).is_some() {
                continue;
            }
            self.failed(|c| c.branch_missing(h, &at, bs, one))?;
        }
        Ok(())
    }

    /// Writer values of one type (`at`) that no branch of the reader's anyOf/oneOf (`bs`) is
    /// shown to accept: reported by the one branch meant for them, else as the rule's finding.
    fn branch_missing(&mut self, h: &Here, at: &Alt, bs: &[NodeId], one: bool) {
        let t = at.types;
        let cands: Vec<NodeId> = bs
            .iter()
            .copied()
            .filter(|&b| self.reader_types(b, 0) & t != 0)
            .collect();
        let accepting: Vec<usize> = bs
            .iter()
            .enumerate()
            .filter(|&(_, &b)| self.holds(at, b))
            .map(|(i, _)| i)
            .collect();
        if cands.len() == 1 && accepting.is_empty() {
            // One branch is meant for these values: its own reasons say why it rejects them.
            let before = self.out.len();
            self.report(at, cands[0]);
            if self.out[before..]
                .iter()
                .any(|i| i.rule.severity == crate::finding::Severity::Error)
            {
                return;
            }
        }
        let kw = if one { "oneOf" } else { "anyOf" };
        let (rule, help) = if one {
            (
                &rules::JSON_ONE_OF_NARROWED,
                "keep every branch; add only branches disjoint from the others (another type, or another const discriminator)",
            )
        } else {
            (
                &rules::JSON_ANY_OF_NARROWED,
                "keep every branch (and its width); adding branches is safe",
            )
        };
        let place = At::new(rule, help, h.a).r(h.r, kw).w(kw);
        let message = |c: &Self, reader: &str, writer: &str| {
            if one && !accepting.is_empty() {
                format!(
                    "{} may be {} in {writer} that matches branch {} of {reader}'s oneOf, but evreg cannot show it matches no other branch (oneOf needs exactly one)",
                    c.shown(),
                    a_or_an(types::describe(t)),
                    accepting[0]
                )
            } else {
                format!(
                    "{} may be {} in {writer} that no branch of {reader}'s {kw} accepts",
                    c.shown(),
                    a_or_an(types::describe(t))
                )
            }
        };
        let _ = self.emit(place, message, |c| c.example(at, &[h.r], Vec::new()));
    }

    fn branch_fits(&mut self, a: &Alt, bs: &[NodeId], one: bool) -> Option<usize> {
        for (i, &b) in bs.iter().enumerate() {
            if self.holds(a, b)
                && (!one
                    || bs
                        .iter()
                        .enumerate()
                        .all(|(j, &o)| j == i || self.disjoint(a, o, 0)))
            {
                return Some(i);
            }
        }
        None
    }

    /// The types a reader schema may accept (an upper bound).
    pub(super) fn reader_types(&self, r: NodeId, depth: usize) -> u8 {
        if depth > 32 {
            return types::ALL;
        }
        let k = match &self.r.node(r).kind {
            Kind::Bool(true) => return types::ALL,
            Kind::Bool(false) => return 0,
            Kind::Keywords(k) => k,
        };
        let mut t = k.types.unwrap_or(types::ALL);
        if let Some(c) = &k.const_value {
            t &= types::of_value(c);
        }
        if let Some(e) = &k.enum_values {
            t &= e.iter().fold(0, |acc, v| acc | types::of_value(v));
        }
        for &x in k.ref_.iter().chain(&k.all_of) {
            t &= self.reader_types(x, depth + 1);
        }
        for list in [&k.any_of, &k.one_of] {
            if !list.is_empty() {
                t &= list
                    .iter()
                    .fold(0, |acc, &b| acc | self.reader_types(b, depth + 1));
            }
        }
        t
    }

    /// The reader nodes that always apply with `r` (through `$ref` and `allOf`).
    fn reader_conj(&self, r: NodeId) -> Vec<NodeId> {
        let mut out = vec![r];
        let mut i = 0;
        while i < out.len() && out.len() < 64 {
            if let Some(k) = self.r.keywords(out[i]) {
                for &x in k.ref_.iter().chain(&k.all_of) {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// Can no instance of `a` match reader schema `r`? (true only when shown.)
    pub(super) fn disjoint(&mut self, a: &Alt, r: NodeId, depth: usize) -> bool {
        if depth > MAX_DISJOINT_DEPTH {
            self.disjoint_cut = true;
            return false;
        }
        let key = (a.clone(), r);
        if let Some(&v) = self.disjoint_memo.get(&key) {
            return v;
        }
        let outer = std::mem::replace(&mut self.disjoint_cut, false);
        let v = self.disjoint_uncached(a, r, depth);
        // An answer cut short by the depth bound may differ at another depth: not kept.
        if !self.disjoint_cut {
            self.disjoint_memo.insert(key, v);
        }
        self.disjoint_cut |= outer;
        v
    }

    fn disjoint_uncached(&mut self, a: &Alt, r: NodeId, depth: usize) -> bool {
        if self.r.is_false(r) || a.neg.iter().any(|&n| self.equal(n, r)) {
            return true;
        }
        // The writer excludes a schema that accepts everything `r` does (an `if` the reader
        // narrowed, a oneOf branch it narrowed).
        let neg = a.neg.clone();
        if neg.into_iter().any(|n| self.within(r, n)) {
            return true;
        }
        let m = view::merged(self.w, a);
        if m.types == 0 {
            return true;
        }
        let rt = self.reader_types(r, 0);
        if m.types & rt == 0 {
            return true;
        }
        if let Some(vals) = &m.values
            && vals
                .iter()
                .all(|v| eval::accepts(self.r, r, v) == Some(false))
        {
            return true;
        }
        for rn in self.reader_conj(r) {
            let Some(rk) = self.r.keywords(rn) else {
                continue;
            };
            let rvals: Option<Vec<Value>> = match (&rk.const_value, &rk.enum_values) {
                (Some(c), _) => Some(vec![c.clone()]),
                (None, Some(e)) => Some(e.clone()),
                _ => None,
            };
            if let Some(vs) = rvals {
                if vs
                    .iter()
                    .all(|v| eval::alt_accepts(self.w, a, v) == Some(false))
                {
                    return true;
                }
                if let Some(wv) = &m.values
                    && {
                        let keys: ahash::AHashSet<String> = vs.iter().map(value_key).collect();
                        wv.iter().all(|x| !keys.contains(&value_key(x)))
                    }
                {
                    return true;
                }
            }
            // Every branch of the reader's anyOf/oneOf is disjoint from the writer.
            for list in [&rk.any_of, &rk.one_of] {
                if !list.is_empty() && list.iter().all(|&b| self.disjoint(a, b, depth + 1)) {
                    return true;
                }
            }
            if m.types & rt & !types::OBJECT == 0 && self.objects_disjoint(&m, rk, depth) {
                return true;
            }
        }
        false
    }

    /// Do the writer's objects (`m`, only objects) and reader node `rk`'s share no instance? A
    /// property one side always has and the other never may, or a property the writer always
    /// has whose schemas on both sides are disjoint (a discriminator).
    fn objects_disjoint(&mut self, m: &Merged, rk: &Keywords, depth: usize) -> bool {
        for name in &rk.required {
            if view::member_alt(self.w, &m.objs, name).is_none() {
                return true;
            }
        }
        for name in &m.required {
            let Some(wa) = view::member_alt(self.w, &m.objs, name) else {
                return true;
            };
            let (own, matched) = rk.named(name, self.r);
            let rs: Vec<NodeId> = if matched {
                own
            } else if let Some(ap) = rk.additional_properties {
                vec![ap]
            } else {
                Vec::new()
            };
            if rs.into_iter().any(|o| self.disjoint(&wa, o, depth + 1)) {
                return true;
            }
        }
        false
    }

    /// Does writer node `n` accept every instance of reader node `r`? Decided by a checker with
    /// the roles swapped (one level deep: it does not swap again).
    fn within(&mut self, r: NodeId, n: NodeId) -> bool {
        if self.swapped {
            return false;
        }
        if let Some(&v) = self.within_memo.get(&(r, n)) {
            return v;
        }
        let mut c = super::Checker::new(self.w, self.r, self.policy, self.labels);
        c.swapped = true;
        let v = c.holds(&Alt::of(r), n);
        self.within_memo.insert((r, n), v);
        v
    }

    /// Set the properties a reader schema pins with `const`/`enum` (so the value meets an `if`).
    fn satisfy_consts(&self, v: Value, r: NodeId) -> Value {
        let (Value::Object(mut m), Some(k)) = (v.clone(), self.r.keywords(r)) else {
            return v;
        };
        for (name, s) in &k.properties {
            if let Some(sk) = self.r.keywords(*s) {
                let pinned = sk
                    .const_value
                    .clone()
                    .or_else(|| sk.enum_values.as_ref().and_then(|e| e.first().cloned()));
                if let Some(p) = pinned {
                    m.insert(name.clone(), p);
                }
            }
        }
        Value::Object(m)
    }

    /// The reader's `if`/`then`/`else` (`if` is node `i`).
    fn conditional(&mut self, h: &Here, i: NodeId) -> Go {
        let same_if = h.a.pos.iter().any(|&w| self.equal(w, i));
        let not_if = h.a.neg.iter().any(|&w| self.equal(w, i));
        if let Some(t) = h.k.then_ {
            let fine = not_if || self.holds(h.a, t) || self.disjoint(h.a, i, 0);
            if !fine {
                self.conditional_changed(h, i, (t, "then"), same_if)?;
            }
        }
        if let Some(e) = h.k.else_ {
            let fine = same_if || self.holds(h.a, e) || self.holds(h.a, i);
            if !fine {
                self.conditional_changed(h, i, (e, "else"), not_if)?;
            }
        }
        Ok(())
    }

    /// The reader's `then` (or `else`) branch `b` rejects writer values where its `if` holds
    /// (fails). Where the writer has the same condition (`same`), the branch's own reasons are
    /// the findings.
    fn conditional_changed(
        &mut self,
        h: &Here,
        i: NodeId,
        (b, kw): (NodeId, &'static str),
        same: bool,
    ) -> Go {
        if same {
            return self.failed(|c| c.report(h.a, b));
        }
        let at = At::new(
            &rules::JSON_CONDITIONAL_CHANGED,
            "declare the conditional from the first version; later, only widen its branches",
            h.a,
        )
        .r(h.r, kw)
        .w("if");
        self.emit(
            at,
            |c, reader, writer| {
                let (holds, branch) = if kw == "then" {
                    ("holds", "then")
                } else {
                    ("fails", "else")
                };
                format!(
                    "where {reader}'s `if` {holds}, {} must match its `{branch}`, which {writer} does not guarantee",
                    c.shown()
                )
            },
            |c| {
                let targeted = if kw == "then" {
                    c.witness(h.a)
                        .map(|w| c.satisfy_consts(w, i))
                        .into_iter()
                        .collect()
                } else {
                    Vec::new()
                };
                c.example(h.a, &[h.r], targeted)
            },
        )
    }
}
