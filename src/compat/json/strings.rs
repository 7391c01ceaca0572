//! Strings: `minLength`, `maxLength`, `pattern` (a reader pattern must match every string the
//! writer's patterns match: decided on their automata, `patterns`), `format` (an annotation: a
//! warning).

use super::Checker;
use super::alt::Alt;
use super::emit::{At, Go, Here};
use super::patterns::{self, Inclusion};
use super::view::Merged;
use crate::rules;
use crate::schema::json::NodeId;
use serde_json::Value;

/// Strings of length `n` that may fit the writer's patterns.
pub(super) fn strings_of_len(m: &Merged, n: u64) -> Vec<Value> {
    let n = n.min(10_000) as usize;
    let mut out = Vec::new();
    for p in &m.patterns {
        if let Some(w) = jsonschema_regex::pattern_witness(p) {
            let len = w.chars().count();
            if len == n {
                out.push(Value::String(w));
            } else if len < n {
                let last = w.chars().last().unwrap_or('a');
                let mut s = w.clone();
                s.extend(std::iter::repeat_n(last, n - len));
                out.push(Value::String(s));
            } else {
                out.push(Value::String(w.chars().take(n).collect()));
            }
        }
    }
    for c in ['a', '0', 'A', ' '] {
        out.push(Value::String(std::iter::repeat_n(c, n).collect()));
    }
    out
}

impl Checker<'_> {
    pub(super) fn strings(&mut self, h: &Here) -> Go {
        self.min_length_increased(h)?;
        self.max_length_decreased(h)?;
        self.pattern_changed(h)?;
        self.format_changed(h)
    }

    fn min_length_increased(&mut self, h: &Here) -> Go {
        let m = h.m;
        let Some(rmin) = h.k.min_length.filter(|&x| x > m.min_len) else {
            return Ok(());
        };
        let at = At::new(
            &rules::JSON_MIN_LENGTH_INCREASED,
            "keep minLength at most what the other version allows",
            h.a,
        )
        .r(h.r, "minLength")
        .w("minLength");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} needs at least {rmin} characters in {reader}, but {writer} allows {}",
                    c.shown(),
                    if m.min_len == 0 {
                        "any length".to_string()
                    } else {
                        format!("{}", m.min_len)
                    }
                )
            },
            |c| c.example(h.a, &[h.r], strings_of_len(m, rmin - 1)),
        )
    }

    fn max_length_decreased(&mut self, h: &Here) -> Go {
        let m = h.m;
        let Some(rmax) = h.k.max_length.filter(|&x| m.max_len.is_none_or(|w| w > x)) else {
            return Ok(());
        };
        let at = At::new(
            &rules::JSON_MAX_LENGTH_DECREASED,
            "keep maxLength at least what the other version allows",
            h.a,
        )
        .r(h.r, "maxLength")
        .w("maxLength");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} may have at most {rmax} characters in {reader}, but {writer} allows {}",
                    c.shown(),
                    match m.max_len {
                        Some(w) => format!("{w}"),
                        None => "any length".to_string(),
                    }
                )
            },
            |c| c.example(h.a, &[h.r], strings_of_len(m, rmax + 1)),
        )
    }

    fn pattern_changed(&mut self, h: &Here) -> Go {
        let m = h.m;
        let Some(p) = h.k.pattern.as_ref().filter(|p| !m.patterns.contains(p)) else {
            return Ok(());
        };
        let verdict = match self.pattern_inclusion(&m.patterns, p) {
            // The search finds a shortest string: one longer than the writer allows means
            // none within its length does.
            Inclusion::No(s) if m.max_len.is_some_and(|x| s.chars().count() as u64 > x) => {
                Inclusion::Yes
            }
            v => v,
        };
        if verdict == Inclusion::Yes {
            return Ok(());
        }
        self.failed(|c| c.report_pattern(h.a, m, h.r, p, verdict))
    }

    /// `format` is an annotation: a changed one is a warning, and the pair still holds.
    fn format_changed(&mut self, h: &Here) -> Go {
        let m = h.m;
        let Some(f) = h.k.format.as_ref().filter(|f| !m.formats.contains(f)) else {
            return Ok(());
        };
        let at = At::new(
            &rules::JSON_FORMAT_CHANGED,
            "formats are annotations by default; readers that assert them will reject other values",
            h.a,
        )
        .r(h.r, "format")
        .w("format")
        .passing();
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} declares format `{f}` in {reader}, but {writer} {}",
                    c.shown(),
                    match m.formats.first() {
                        Some(g) => format!("declares `{g}`"),
                        None => "declares none".to_string(),
                    }
                )
            },
            |_| None,
        )
    }
}

impl Checker<'_> {
    /// `patterns::includes`, once per (writer patterns, reader pattern).
    fn pattern_inclusion(&mut self, writer: &[String], reader: &str) -> Inclusion {
        let key = (writer.to_vec(), reader.to_string());
        if let Some(v) = self.pattern_memo.get(&key) {
            return v.clone();
        }
        let v = patterns::includes(writer, reader);
        self.pattern_memo.insert(key, v.clone());
        v
    }

    /// A reader pattern that rejects strings the writer allows (`No`, with one of them), or that
    /// evreg cannot compare with the writer's (`Unknown`: an incompatibility when an example
    /// shows one, else `json-undecidable`).
    fn report_pattern(&mut self, a: &Alt, m: &Merged, r: NodeId, p: &str, verdict: Inclusion) {
        let mut targeted: Vec<Value> = Vec::new();
        if let Inclusion::No(s) = &verdict {
            targeted.push(Value::String(s.clone()));
        }
        targeted.extend(self.witness(&a.with_types(crate::schema::json::types::STRING)));
        for n in [0, 1, 3, 8] {
            targeted.extend(strings_of_len(m, n.max(m.min_len)));
        }
        let ex = self.example(a, &[r], targeted);
        if verdict == Inclusion::Unknown && ex.is_none() {
            let at = At::new(
                &rules::JSON_UNDECIDABLE,
                "review the pattern change by hand; keeping the old pattern, or only dropping anchors or adding alternatives, is decided",
                a,
            )
            .r(r, "pattern")
            .w("pattern");
            let message = |c: &Self, _: &str, _: &str| {
                let what = match m.patterns.first() {
                    None => format!("whether every string matches pattern `{p}`"),
                    Some(q) => format!("whether pattern `{p}` matches every string `{q}` matches"),
                };
                format!(
                    "{}: evreg cannot decide {what} (backreferences, word boundaries and lookarounds in the reader are outside the patterns it compares); compatibility of this part is not decided",
                    c.shown()
                )
            };
            let _ = self.emit(at, message, |_| None);
            return;
        }
        let at = At::new(
            &rules::JSON_PATTERN_CHANGED,
            "keep the pattern, or only widen it (drop an anchor, add an alternative); for a new format add a new property",
            a,
        )
        .r(r, "pattern")
        .w("pattern");
        let message = |c: &Self, reader: &str, writer: &str| match (&verdict, m.patterns.first()) {
            (Inclusion::No(s), None) => format!(
                "{} must match pattern `{p}` in {reader}, but {writer} has no pattern: it allows {}",
                c.shown(),
                crate::schema::json::show(&Value::String(s.clone()))
            ),
            (Inclusion::No(s), Some(q)) => format!(
                "{} must match pattern `{p}` in {reader}, but {writer}'s pattern `{q}` also allows {}",
                c.shown(),
                crate::schema::json::show(&Value::String(s.clone()))
            ),
            (_, None) => format!(
                "{} must match pattern `{p}` in {reader}, but {writer} has no pattern",
                c.shown()
            ),
            (_, Some(q)) => format!(
                "{} must match pattern `{p}` in {reader}, but {writer}'s pattern `{q}` allows strings it rejects",
                c.shown()
            ),
        };
        let _ = self.emit(at, message, |_| ex);
    }
}
