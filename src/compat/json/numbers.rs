//! Numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (both forms, normalised to
//! open or closed bounds when loading), `multipleOf` (a finer divisor accepts a coarser one).
//! Integers compare by the integers a bound admits: `exclusiveMinimum: 0` equals `minimum: 1`.

use super::Checker;
use super::alt::Alt;
use super::eval::is_multiple;
use super::view::{Merged, int_lower, int_upper};
use crate::rules;
use crate::schema::json::{Bound, Keywords, NodeId, types};
use serde_json::Value;

pub(super) fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

fn describe(b: Option<Bound>, lower: bool) -> String {
    match b {
        None => if lower {
            "no lower bound"
        } else {
            "no upper bound"
        }
        .to_string(),
        Some(b) => format!("{} {}", b.keyword, num(b.value)),
    }
}

/// Is the reader's bound stricter than the writer's? (`lower`: lower bounds.)
fn stricter(r: Bound, w: Option<Bound>, lower: bool, integers_only: bool) -> bool {
    if integers_only {
        let (ri, wi) = if lower {
            (int_lower(Some(r)), int_lower(w))
        } else {
            (int_upper(Some(r)), int_upper(w))
        };
        return match (ri, wi) {
            (Some(ri), Some(wi)) => {
                if lower {
                    ri > wi
                } else {
                    ri < wi
                }
            }
            _ => true,
        };
    }
    match w {
        None => true,
        Some(w) => {
            if r.value == w.value {
                r.exclusive && !w.exclusive
            } else if lower {
                r.value > w.value
            } else {
                r.value < w.value
            }
        }
    }
}

impl Checker<'_> {
    pub(super) fn numbers(
        &mut self,
        a: &Alt,
        m: &Merged,
        t: u8,
        r: NodeId,
        k: &Keywords,
        report: bool,
    ) -> bool {
        let ints_only = t & types::FRACTION == 0;
        let mut ok = true;
        for lower in [true, false] {
            let (rb, wb) = if lower {
                (k.lower, m.lower)
            } else {
                (k.upper, m.upper)
            };
            let Some(rb) = rb else { continue };
            if !stricter(rb, wb, lower, ints_only) {
                continue;
            }
            ok = false;
            if !report {
                return false;
            }
            let sign = if lower { -1.0 } else { 1.0 };
            let mut targeted = vec![
                num(rb.value),
                num(rb.value + sign),
                num(rb.value + sign * 0.5),
                num(rb.value.floor()),
                num(rb.value.ceil()),
            ];
            if let Some(w) = wb {
                targeted.insert(0, num(w.value));
                targeted.push(num(if lower {
                    w.value.ceil()
                } else {
                    w.value.floor()
                }));
            }
            let ex = self.example(a, &[r], targeted);
            let (rule, help) = if lower {
                (
                    &rules::JSON_MINIMUM_INCREASED,
                    "keep the lower bound at most the other version's",
                )
            } else {
                (
                    &rules::JSON_MAXIMUM_DECREASED,
                    "keep the upper bound at least the other version's",
                )
            };
            let inc = self
                .inc(
                    rule,
                    self.rp(r, rb.keyword),
                    self.wp(a, wb.map_or(rb.keyword, |b| b.keyword)),
                    format!(
                        "{} has {} in {{reader}}, but {} in {{writer}}",
                        self.shown(),
                        describe(Some(rb), lower),
                        describe(wb, lower)
                    ),
                    help,
                )
                .example(ex);
            self.push(inc);
        }
        if let Some(d) = k.multiple_of {
            let covered = m.multiples.iter().any(|&w| is_multiple(w, d))
                || (ints_only && is_multiple(1.0, d));
            if !covered {
                ok = false;
                if !report {
                    return false;
                }
                let mut targeted: Vec<Value> = m.multiples.iter().map(|&w| num(w)).collect();
                targeted.extend([num(1.0), num(d / 2.0), num(d * 1.5), num(d + 1.0)]);
                let ex = self.example(a, &[r], targeted);
                let inc = self
                    .inc(
                        &rules::JSON_MULTIPLE_OF_CHANGED,
                        self.rp(r, "multipleOf"),
                        self.wp(a, "multipleOf"),
                        format!(
                            "{} must be a multiple of {} in {{reader}}, but {{writer}} {}",
                            self.shown(),
                            num(d),
                            match m.multiples.first() {
                                Some(&w) => format!("allows multiples of {}", num(w)),
                                None => "has no multipleOf".to_string(),
                            }
                        ),
                        "a reader's multipleOf must divide the writer's: keep it, or make it finer (0.01 accepts 0.05)",
                    )
                    .example(ex);
                self.push(inc);
            }
        }
        ok
    }
}
