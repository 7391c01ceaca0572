//! Strings: `minLength`, `maxLength`, `pattern` (compared by text: a changed pattern is reported
//! unless identical), `format` (an annotation: a warning).

use super::Checker;
use super::view::{Alt, Merged};
use crate::rules;
use crate::schema::json::{Keywords, NodeId};
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
    pub(super) fn strings(
        &mut self,
        a: &Alt,
        m: &Merged,
        r: NodeId,
        k: &Keywords,
        report: bool,
    ) -> bool {
        let mut ok = true;
        if let Some(rmin) = k.min_length
            && rmin > m.min_len
        {
            ok = false;
            if !report {
                return false;
            }
            let ex = self.example(a, &[r], strings_of_len(m, rmin - 1));
            let inc = self
                .inc(
                    &rules::JSON_MIN_LENGTH_INCREASED,
                    self.rp(r, "minLength"),
                    self.wp(a, "minLength"),
                    format!(
                        "{} needs at least {rmin} characters in {{reader}}, but {{writer}} allows {}",
                        self.shown(),
                        if m.min_len == 0 {
                            "any length".to_string()
                        } else {
                            format!("{}", m.min_len)
                        }
                    ),
                    "keep minLength at most what the other version allows",
                )
                .example(ex);
            self.push(inc);
        }
        if let Some(rmax) = k.max_length
            && m.max_len.is_none_or(|w| w > rmax)
        {
            ok = false;
            if !report {
                return false;
            }
            let ex = self.example(a, &[r], strings_of_len(m, rmax + 1));
            let inc = self
                .inc(
                    &rules::JSON_MAX_LENGTH_DECREASED,
                    self.rp(r, "maxLength"),
                    self.wp(a, "maxLength"),
                    format!(
                        "{} may have at most {rmax} characters in {{reader}}, but {{writer}} allows {}",
                        self.shown(),
                        match m.max_len {
                            Some(w) => format!("{w}"),
                            None => "any length".to_string(),
                        }
                    ),
                    "keep maxLength at least what the other version allows",
                )
                .example(ex);
            self.push(inc);
        }
        if let Some(p) = &k.pattern
            && !m.patterns.contains(p)
        {
            ok = false;
            if !report {
                return false;
            }
            let mut targeted: Vec<Value> = self
                .witness(&a.with_types(crate::schema::json::types::STRING))
                .into_iter()
                .collect();
            for n in [0, 1, 3, 8] {
                targeted.extend(strings_of_len(m, n.max(m.min_len)));
            }
            let ex = self.example(a, &[r], targeted);
            let msg = match m.patterns.first() {
                None => format!(
                    "{} must match pattern `{p}` in {{reader}}, but {{writer}} has no pattern",
                    self.shown()
                ),
                Some(q) => format!(
                    "{} must match pattern `{p}` in {{reader}}, but {{writer}}'s pattern is `{q}` (patterns are compared by text)",
                    self.shown()
                ),
            };
            let inc = self
                .inc(
                    &rules::JSON_PATTERN_CHANGED,
                    self.rp(r, "pattern"),
                    self.wp(a, "pattern"),
                    msg,
                    "keep the pattern unchanged; remove it to widen; for a new format add a new property",
                )
                .example(ex);
            self.push(inc);
        }
        if report
            && let Some(f) = &k.format
            && !m.formats.contains(f)
        {
            let inc = self.inc(
                &rules::JSON_FORMAT_CHANGED,
                self.rp(r, "format"),
                self.wp(a, "format"),
                format!(
                    "{} declares format `{f}` in {{reader}}, but {{writer}} {}",
                    self.shown(),
                    match m.formats.first() {
                        Some(g) => format!("declares `{g}`"),
                        None => "declares none".to_string(),
                    }
                ),
                "formats are annotations by default; readers that assert them will reject other values",
            );
            self.push(inc);
        }
        ok
    }
}
