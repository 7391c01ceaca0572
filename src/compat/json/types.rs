//! `type`, `enum` and `const`: which kinds of values, and which values, the reader accepts. When
//! the writer's values form a known finite set (an `enum`, a `const`, only `null`/`boolean`), each
//! value is checked against the reader directly.

use super::Checker;
use super::alt::Alt;
use super::emit::{At, Go, Here, Stop};
use super::eval::{self, Ev};
use crate::rules::{self, Rule};
use crate::schema::json::{NodeId, show, types};
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
    pub(super) fn by_values(&mut self, a: &Alt, r: NodeId) -> Option<Go> {
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
            return Some(Ok(()));
        }
        Some(self.failed(|c| {
            let wkw = ["const", "enum", "oneOf", "anyOf"]
                .into_iter()
                .find(|kw| {
                    a.pos
                        .first()
                        .is_some_and(|&n| c.w.keyword_pointer(n, kw) != c.w.node(n).pointer)
                })
                .unwrap_or("");
            let _ = c.values_rejected(a, r, wkw, failing);
        }))
    }

    /// One finding per reader keyword that rejects some of the writer's values (the rule is the
    /// keyword's: `rule_for`).
    fn values_rejected(
        &mut self,
        a: &Alt,
        r: NodeId,
        wkw: &str,
        failing: Vec<(&'static str, Vec<Value>)>,
    ) -> Go {
        for (kw, vs) in failing {
            let at = At::new(
                rule_for(kw),
                "keep every value the other version may hold: widen the reader, or add the values back",
                a,
            )
            .r(r, pointer_keyword(kw))
            .w(wkw);
            let message = |c: &Self, reader: &str, writer: &str| {
                let list: Vec<String> = vs.iter().take(5).map(show).collect();
                let more = if vs.len() > 5 {
                    format!(" (and {} more)", vs.len() - 5)
                } else {
                    String::new()
                };
                let what = if kw == "false" {
                    "accepts no value".to_string()
                } else {
                    format!("rejects it (`{kw}`)")
                };
                format!(
                    "{} may be {}{more} in {writer}, and {reader} {what}",
                    c.shown(),
                    list.join(", ")
                )
            };
            // The first values make the example; a few candidates are enough.
            let example = |c: &mut Self| c.example(a, &[r], vs.iter().take(8).cloned().collect());
            self.emit(at, message, example)?;
        }
        Ok(())
    }

    /// Checks `type`, `enum`, `const`, and finite writer value sets. Returns the types whose
    /// keywords are still to be compared structurally (None: nothing left).
    pub(super) fn types_and_values(&mut self, h: &Here) -> Result<Option<u8>, Stop> {
        if let Some(vals) = &h.m.values {
            return self.writer_values(h, vals);
        }
        let t = self.type_narrowed(h)?;
        if t != 0 && (h.k.enum_values.is_some() || h.k.const_value.is_some()) {
            self.values_listed(h, t)?;
            return Ok(None);
        }
        Ok((t != 0).then_some(t))
    }

    /// A writer whose values are listed: each checked by the reader's own keywords. Returns the
    /// types of the values those keywords alone cannot decide.
    fn writer_values(&mut self, h: &Here, vals: &[Value]) -> Result<Option<u8>, Stop> {
        let mut failing: Vec<(&'static str, Vec<Value>)> = Vec::new();
        let mut unknown = 0u8;
        for v in vals {
            match eval::eval(self.r, h.r, v, true, 0) {
                Ev::Pass => {}
                Ev::Unknown => unknown |= types::of_value(v),
                Ev::Fail(kw) => match failing.iter_mut().find(|(k, _)| *k == kw) {
                    Some((_, vs)) => vs.push(v.clone()),
                    None => failing.push((kw, vec![v.clone()])),
                },
            }
        }
        if !failing.is_empty() {
            let wkw = if h.k.const_value.is_some() {
                "const"
            } else {
                "enum"
            };
            self.values_rejected(h.a, h.r, wkw, failing)?;
        }
        Ok((unknown != 0).then_some(unknown))
    }

    /// `type`: the writer's types the reader's `type` leaves out. Returns the types left.
    fn type_narrowed(&mut self, h: &Here) -> Result<u8, Stop> {
        let t = h.m.types;
        let Some(rt) = h.k.types else {
            return Ok(t);
        };
        let missing = t & !rt;
        if missing == 0 {
            return Ok(t);
        }
        let at = At::new(
            &rules::JSON_TYPE_NARROWED,
            "keep the types the other version allows (widen with a type array, e.g. [\"string\", \"null\"]); to change a type, add a new property",
            h.a,
        )
        .r(h.r, "type")
        .w("type");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} may be {} in {writer}, but {reader} accepts only {}",
                    c.shown(),
                    types::describe(missing),
                    types::describe(rt)
                )
            },
            |c| {
                let targeted = c.witness(&h.a.with_types(missing)).into_iter().collect();
                c.example(h.a, &[h.r], targeted)
            },
        )?;
        Ok(t & rt)
    }

    /// `enum` or `const` in the reader where the writer allows any value of type(s) `t`.
    fn values_listed(&mut self, h: &Here, t: u8) -> Go {
        let (rule, kw) = match (&h.k.const_value, &h.k.enum_values) {
            (Some(_), _) => (&rules::JSON_CONST_CHANGED, "const"),
            _ => (&rules::JSON_ENUM_NARROWED, "enum"),
        };
        let at = At::new(
            rule,
            "list the values from the first version; adding an enum to an open value narrows it",
            h.a,
        )
        .r(h.r, kw);
        self.emit(
            at,
            |c, reader, writer| {
                let what = match (&h.k.const_value, &h.k.enum_values) {
                    (Some(v), _) => format!("only {}", show(v)),
                    (None, Some(e)) => format!(
                        "only the values {}",
                        e.iter().take(6).map(show).collect::<Vec<_>>().join(", ")
                    ),
                    (None, None) => String::new(),
                };
                format!(
                    "{} may be any {} in {writer}, but {reader} accepts {what}",
                    c.shown(),
                    types::describe(t)
                )
            },
            |c| c.example(h.a, &[h.r], Vec::new()),
        )
    }
}
