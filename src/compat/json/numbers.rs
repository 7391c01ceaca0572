//! Numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (both forms, normalised to
//! open or closed bounds when loading), `multipleOf` (a finer divisor accepts a coarser one).
//! Integers compare by the integers a bound admits: `exclusiveMinimum: 0` equals `minimum: 1`.

use super::Checker;
use super::emit::{At, Go, Here};
use super::eval::is_multiple;
use super::view::{int_lower, int_upper};
use crate::rules;
use crate::schema::json::{Bound, types};
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
    pub(super) fn numbers(&mut self, h: &Here, t: u8) -> Go {
        let ints_only = t & types::FRACTION == 0;
        self.minimum_increased(h, ints_only)?;
        self.maximum_decreased(h, ints_only)?;
        self.multiple_of_changed(h, ints_only)
    }

    fn minimum_increased(&mut self, h: &Here, ints_only: bool) -> Go {
        let at = At::new(
            &rules::JSON_MINIMUM_INCREASED,
            "keep the lower bound at most the other version's",
            h.a,
        );
        self.bound_narrowed(h, at, (h.k.lower, h.m.lower), true, ints_only)
    }

    fn maximum_decreased(&mut self, h: &Here, ints_only: bool) -> Go {
        let at = At::new(
            &rules::JSON_MAXIMUM_DECREASED,
            "keep the upper bound at least the other version's",
            h.a,
        );
        self.bound_narrowed(h, at, (h.k.upper, h.m.upper), false, ints_only)
    }

    /// A reader bound stricter than the writer's (`lower`: lower bounds), reported `at`.
    fn bound_narrowed(
        &mut self,
        h: &Here,
        at: At<'_>,
        (rb, wb): (Option<Bound>, Option<Bound>),
        lower: bool,
        ints_only: bool,
    ) -> Go {
        let Some(rb) = rb.filter(|&rb| stricter(rb, wb, lower, ints_only)) else {
            return Ok(());
        };
        let at = at
            .r(h.r, rb.keyword)
            .w(wb.map_or(rb.keyword, |b| b.keyword));
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} has {} in {reader}, but {} in {writer}",
                    c.shown(),
                    describe(Some(rb), lower),
                    describe(wb, lower)
                )
            },
            |c| {
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
                c.example(h.a, &[h.r], targeted)
            },
        )
    }

    fn multiple_of_changed(&mut self, h: &Here, ints_only: bool) -> Go {
        let m = h.m;
        let Some(d) = h.k.multiple_of else {
            return Ok(());
        };
        let covered =
            m.multiples.iter().any(|&w| is_multiple(w, d)) || (ints_only && is_multiple(1.0, d));
        if covered {
            return Ok(());
        }
        let at = At::new(
            &rules::JSON_MULTIPLE_OF_CHANGED,
            "a reader's multipleOf must divide the writer's: keep it, or make it finer (0.01 accepts 0.05)",
            h.a,
        )
        .r(h.r, "multipleOf")
        .w("multipleOf");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{} must be a multiple of {} in {reader}, but {writer} {}",
                    c.shown(),
                    num(d),
                    match m.multiples.first() {
                        Some(&w) => format!("allows multiples of {}", num(w)),
                        None => "has no multipleOf".to_string(),
                    }
                )
            },
            |c| {
                let mut targeted: Vec<Value> = m.multiples.iter().map(|&w| num(w)).collect();
                targeted.extend([num(1.0), num(d / 2.0), num(d * 1.5), num(d + 1.0)]);
                c.example(h.a, &[h.r], targeted)
            },
        )
    }
}
