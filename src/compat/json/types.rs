//! `type`, `enum` and `const`: which kinds of values, and which values, the reader accepts. When
//! the writer's values form a known finite set (an `enum`, a `const`, only `null`/`boolean`), each
//! value is checked against the reader directly.

use super::Checker;
use super::alt::Alt;
use super::eval::{self, Ev};
use super::view::Merged;
use crate::rules::{self, Rule};
use crate::schema::json::{Keywords, NodeId, show, types};
use serde_json::Value;

/// The rule for a keyword that rejects a value.
pub(super) fn rule_for(keyword: &str) -> &'static Rule {
    match keyword {
        "type" | "false" => &rules::JSON_TYPE_NARROWED,
        "const" => &rules::JSON_CONST_CHANGED,
        "minLength" => &rules::JSON_MIN_LENGTH_INCREASED,
        "maxLength" => &rules::JSON_MAX_LENGTH_DECREASED,
        "pattern" => &rules::JSON_PATTERN_CHANGED,
        "minimum" => &rules::JSON_MINIMUM_INCREASED,
        "maximum" => &rules::JSON_MAXIMUM_DECREASED,
        "multipleOf" => &rules::JSON_MULTIPLE_OF_CHANGED,
        "required" => &rules::JSON_REQUIRED_ADDED,
        "minProperties" => &rules::JSON_MIN_PROPERTIES_INCREASED,
        "maxProperties" => &rules::JSON_MAX_PROPERTIES_DECREASED,
        "dependentRequired" => &rules::JSON_DEPENDENT_REQUIRED_ADDED,
        "minItems" => &rules::JSON_MIN_ITEMS_INCREASED,
        "maxItems" => &rules::JSON_MAX_ITEMS_DECREASED,
        "uniqueItems" => &rules::JSON_UNIQUE_ITEMS_ADDED,
        "contains" => &rules::JSON_CONTAINS_NARROWED,
        "oneOf" => &rules::JSON_ONE_OF_NARROWED,
        "anyOf" => &rules::JSON_ANY_OF_NARROWED,
        "not" => &rules::JSON_NOT_CHANGED,
        "if" => &rules::JSON_CONDITIONAL_CHANGED,
        _ => &rules::JSON_ENUM_NARROWED,
    }
}

/// The keyword a rule's finding points at in the reader.
fn pointer_keyword(keyword: &str) -> &str {
    match keyword {
        "minimum" => "minimum",
        "maximum" => "maximum",
        "false" => "",
        k => k,
    }
}

impl Checker<'_> {
    /// Decide a writer whose instances are a known finite set by validating each against the
    /// reader as a whole (applicators included). None when the set is not finite, or the
    /// engine's validator cannot decide a value: then the structural comparison runs.
    pub(super) fn by_values(&mut self, a: &Alt, r: NodeId, report: bool) -> Option<bool> {
        let vals = super::view::finite_values(self.w, a)?;
        let mut failing: Vec<(&'static str, Vec<Value>)> = Vec::new();
        for v in vals {
            match eval::eval(self.r, r, &v, false, 0) {
                Ev::Pass => {}
                Ev::Unknown => return None,
                Ev::Fail(kw) => match failing.iter_mut().find(|(k, _)| *k == kw) {
                    Some((_, vs)) => vs.push(v),
                    None => failing.push((kw, vec![v])),
                },
            }
        }
        if failing.is_empty() {
            return Some(true);
        }
        if report {
            let wkw = ["const", "enum", "oneOf", "anyOf"]
                .into_iter()
                .find(|kw| {
                    a.pos
                        .first()
                        .is_some_and(|&n| self.w.keyword_pointer(n, kw) != self.w.node(n).pointer)
                })
                .unwrap_or("");
            self.report_values(a, r, wkw, failing);
        }
        Some(false)
    }

    /// One finding per reader keyword that rejects some of the writer's values.
    fn report_values(
        &mut self,
        a: &Alt,
        r: NodeId,
        wkw: &str,
        failing: Vec<(&'static str, Vec<Value>)>,
    ) {
        for (kw, vs) in failing {
            let list: Vec<String> = vs.iter().take(5).map(show).collect();
            let more = if vs.len() > 5 {
                format!(" (and {} more)", vs.len() - 5)
            } else {
                String::new()
            };
            let rule = rule_for(kw);
            // The first values make the example; a few candidates are enough.
            let ex = self.example(a, &[r], vs.into_iter().take(8).collect());
            let what = if kw == "false" {
                "accepts no value".to_string()
            } else {
                format!("rejects it (`{kw}`)")
            };
            let inc = self
                .inc(
                    rule,
                    self.rp(r, pointer_keyword(kw)),
                    self.wp(a, wkw),
                    format!(
                        "{} may be {}{more} in {{writer}}, and {{reader}} {what}",
                        self.shown(),
                        list.join(", ")
                    ),
                    "keep every value the other version may hold: widen the reader, or add the values back",
                )
                .example(ex);
            self.push(inc);
        }
    }

    /// Checks `type`, `enum`, `const`, and finite writer value sets. Returns the types whose
    /// keywords are still to be compared structurally (None: nothing left).
    pub(super) fn types_and_values(
        &mut self,
        a: &Alt,
        m: &Merged,
        r: NodeId,
        k: &Keywords,
        report: bool,
        ok: &mut bool,
    ) -> Option<u8> {
        if let Some(vals) = &m.values {
            let mut failing: Vec<(&'static str, Vec<Value>)> = Vec::new();
            let mut unknown = 0u8;
            for v in vals {
                match eval::eval(self.r, r, v, true, 0) {
                    Ev::Pass => {}
                    Ev::Unknown => unknown |= types::of_value(v),
                    Ev::Fail(kw) => match failing.iter_mut().find(|(k, _)| *k == kw) {
                        Some((_, vs)) => vs.push(v.clone()),
                        None => failing.push((kw, vec![v.clone()])),
                    },
                }
            }
            if !failing.is_empty() {
                *ok = false;
                if !report {
                    return None;
                }
                let wkw = if k.const_value.is_some() {
                    "const"
                } else {
                    "enum"
                };
                self.report_values(a, r, wkw, failing);
            }
            return (unknown != 0).then_some(unknown);
        }
        let mut t = m.types;
        if let Some(rt) = k.types {
            let missing = t & !rt;
            if missing != 0 {
                *ok = false;
                if !report {
                    return None;
                }
                let targeted = self.witness(&a.with_types(missing)).into_iter().collect();
                let ex = self.example(a, &[r], targeted);
                let inc = self
                    .inc(
                        &rules::JSON_TYPE_NARROWED,
                        self.rp(r, "type"),
                        self.wp(a, "type"),
                        format!(
                            "{} may be {} in {{writer}}, but {{reader}} accepts only {}",
                            self.shown(),
                            types::describe(missing),
                            types::describe(rt)
                        ),
                        "keep the types the other version allows (widen with a type array, e.g. [\"string\", \"null\"]); to change a type, add a new property",
                    )
                    .example(ex);
                self.push(inc);
                t &= rt;
            }
        }
        if t != 0 && (k.enum_values.is_some() || k.const_value.is_some()) {
            *ok = false;
            if !report {
                return None;
            }
            let (rule, kw, what) = match (&k.const_value, &k.enum_values) {
                (Some(c), _) => (
                    &rules::JSON_CONST_CHANGED,
                    "const",
                    format!("only {}", show(c)),
                ),
                (None, Some(e)) => (
                    &rules::JSON_ENUM_NARROWED,
                    "enum",
                    format!(
                        "only the values {}",
                        e.iter().take(6).map(show).collect::<Vec<_>>().join(", ")
                    ),
                ),
                _ => unreachable!(),
            };
            let ex = self.example(a, &[r], Vec::new());
            let inc = self
                .inc(
                    rule,
                    self.rp(r, kw),
                    self.wp(a, ""),
                    format!(
                        "{} may be any {} in {{writer}}, but {{reader}} accepts {what}",
                        self.shown(),
                        types::describe(t)
                    ),
                    "list the values from the first version; adding an enum to an open value narrows it",
                )
                .example(ex);
            self.push(inc);
            return None;
        }
        (t != 0).then_some(t)
    }
}
