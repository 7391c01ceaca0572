//! Arrays: `items` (schema and tuple forms), `prefixItems`, `additionalItems`, `unevaluatedItems`,
//! `minItems`, `maxItems`, `uniqueItems`, `contains`, `minContains`, `maxContains`. Positions are
//! compared one by one up to the longer tuple; the last position stands for every later item.

use super::alt::Alt;
use super::emit::{At, Go, Here};
use super::view::{self, Merged};
use super::{Checker, Step};
use crate::rules;
use crate::schema::json::{Keywords, NodeId, types};
use serde_json::Value;

impl Checker<'_> {
    fn reader_item(&self, k: &Keywords, i: usize) -> (Vec<NodeId>, &'static str) {
        if i < k.prefix_items.len() {
            let kw = if self.r.draft >= crate::schema::json::Draft::D2020 {
                "prefixItems"
            } else {
                "items"
            };
            return (vec![k.prefix_items[i]], kw);
        }
        if let Some(it) = k.items {
            let kw =
                if self.r.draft < crate::schema::json::Draft::D2020 && !k.prefix_items.is_empty() {
                    "additionalItems"
                } else {
                    "items"
                };
            return (vec![it], kw);
        }
        if let Some(u) = k.unevaluated_items {
            let sure = k
                .ref_
                .iter()
                .chain(&k.all_of)
                .any(|&c| view::evaluates_item(self.r, c, i, true));
            if !sure {
                return (vec![u], "unevaluatedItems");
            }
        }
        (Vec::new(), "")
    }

    /// A writer array of `n` items (None where the writer's items cannot be built).
    fn array_of(&self, m: &Merged, n: usize, same: bool) -> Option<Value> {
        let mut items: Vec<Value> = Vec::new();
        for i in 0..n.min(1000) {
            if same && i > 0 {
                items.push(items[0].clone());
                continue;
            }
            let ia = view::item_alt(self.w, &m.arrs, i)?;
            items.push(self.witness(&ia)?);
        }
        Some(Value::Array(items))
    }

    pub(super) fn arrays(&mut self, h: &Here) -> Go {
        let a_arr = h.a.with_types(types::ARRAY);
        let w_prefix =
            h.m.arrs
                .iter()
                .filter_map(|&n| self.w.keywords(n).map(|k| k.prefix_items.len()))
                .max()
                .unwrap_or(0);
        let w_max = view::max_items(self.w, h.m);
        self.items(h, &a_arr, w_prefix, w_max)?;
        self.min_items_increased(h, &a_arr)?;
        self.max_items_decreased(h, &a_arr, w_max)?;
        self.unique_items_added(h, &a_arr, w_max)?;
        self.contains_narrowed(h, &a_arr, w_prefix, w_max)
    }

    /// Item by item up to the longer tuple (the last position stands for every later item).
    fn items(&mut self, h: &Here, a_arr: &Alt, w_prefix: usize, w_max: Option<u64>) -> Go {
        let last = w_prefix.max(h.k.prefix_items.len());
        for i in 0..=last {
            if w_max.is_some_and(|x| i as u64 >= x) {
                break;
            }
            let Some(wa) = view::item_alt(self.w, &h.m.arrs, i) else {
                break;
            };
            let (rs, kw) = self.reader_item(h.k, i);
            if rs.is_empty() {
                continue;
            }
            let step = if last == 0 {
                Step::Item(None)
            } else {
                Step::Item(Some(i))
            };
            self.at_step(step, a_arr, |c| {
                if rs.iter().any(|&x| c.r.is_false(x)) {
                    c.items_narrowed(a_arr, &wa, &rs, (i, kw))
                } else {
                    c.descend(&wa, &rs)
                }
            })?;
        }
        Ok(())
    }

    /// A reader that closes its tuple after `i` items (`kw: false`) where the writer's arrays
    /// may be longer.
    fn items_narrowed(
        &mut self,
        a_arr: &Alt,
        wa: &Alt,
        rs: &[NodeId],
        (i, kw): (usize, &'static str),
    ) -> Go {
        if rs.iter().all(|&x| self.holds(wa, x)) {
            return Ok(());
        }
        let at = At::new(
            &rules::JSON_ITEMS_NARROWED,
            "keep the tuple open while writers may send more items, or close it from the first version",
            a_arr,
        )
        .r(rs[0], "")
        .w("items")
        .of_object();
        self.emit(
            at,
            |_, reader, writer| {
                format!(
                    "{reader} accepts at most {i} item{} (`{kw}: false`), but {writer}'s arrays may be longer",
                    if i == 1 { "" } else { "s" }
                )
            },
            |c| c.example(wa, rs, Vec::new()),
        )
    }

    fn min_items_increased(&mut self, h: &Here, a_arr: &Alt) -> Go {
        let m = h.m;
        let Some(rm) = h.k.min_items.filter(|&rm| rm > m.min_items) else {
            return Ok(());
        };
        let at = At::new(
            &rules::JSON_MIN_ITEMS_INCREASED,
            "keep minItems at most what the other version allows",
            a_arr,
        )
        .r(h.r, "minItems")
        .w("minItems");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{reader} needs at least {rm} items{}, but {writer} allows {}",
                    c.at_path(),
                    m.min_items
                )
            },
            |c| {
                let targeted = c
                    .array_of(m, (rm - 1) as usize, false)
                    .into_iter()
                    .collect();
                c.example(h.a, &[h.r], targeted)
            },
        )
    }

    fn max_items_decreased(&mut self, h: &Here, a_arr: &Alt, w_max: Option<u64>) -> Go {
        let Some(rx) = h.k.max_items.filter(|&rx| w_max.is_none_or(|w| w > rx)) else {
            return Ok(());
        };
        let at = At::new(
            &rules::JSON_MAX_ITEMS_DECREASED,
            "keep maxItems at least what the other version allows",
            a_arr,
        )
        .r(h.r, "maxItems")
        .w("maxItems");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{reader} allows at most {rx} items{}, but {writer} allows {}",
                    c.at_path(),
                    w_max.map_or("any number".to_string(), |w| w.to_string())
                )
            },
            |c| {
                let targeted = c
                    .array_of(h.m, (rx + 1) as usize, false)
                    .into_iter()
                    .collect();
                c.example(h.a, &[h.r], targeted)
            },
        )
    }

    fn unique_items_added(&mut self, h: &Here, a_arr: &Alt, w_max: Option<u64>) -> Go {
        if !(h.k.unique_items && !h.m.unique && w_max.is_none_or(|w| w > 1)) {
            return Ok(());
        }
        let at = At::new(
            &rules::JSON_UNIQUE_ITEMS_ADDED,
            "require uniqueness from the first version",
            a_arr,
        )
        .r(h.r, "uniqueItems")
        .w("uniqueItems");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{reader} requires unique items{}, but {writer} allows repeats",
                    c.at_path()
                )
            },
            |c| {
                let n = (h.m.min_items.max(2)) as usize;
                let targeted = c.array_of(h.m, n, true).into_iter().collect();
                c.example(h.a, &[h.r], targeted)
            },
        )
    }

    fn contains_narrowed(
        &mut self,
        h: &Here,
        a_arr: &Alt,
        w_prefix: usize,
        w_max: Option<u64>,
    ) -> Go {
        let Some(c) = h.k.contains else {
            return Ok(());
        };
        let rmin = h.k.min_contains.unwrap_or(1);
        if self.contains_at_least(h.m, (c, rmin), w_prefix) && self.contains_at_most(h, c, w_max) {
            return Ok(());
        }
        let at = At::new(
            &rules::JSON_CONTAINS_NARROWED,
            "declare contains from the first version with the same or a wider schema",
            a_arr,
        )
        .r(h.r, "contains")
        .w("contains");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{reader} requires {} item{} matching its `contains` schema{}{}, which {writer} does not guarantee",
                    rmin,
                    if rmin == 1 { "" } else { "s" },
                    h.k.max_contains.map_or(String::new(), |x| format!(" (and at most {x})")),
                    c.at_path()
                )
            },
            |c| {
                let mut targeted: Vec<Value> = Vec::new();
                for n in [h.m.min_items as usize, 1, 2] {
                    targeted.extend(c.array_of(h.m, n, false));
                    targeted.extend(c.array_of(h.m, n, true));
                }
                c.example(h.a, &[h.r], targeted)
            },
        )
    }

    /// Does every writer array hold at least `rmin` items matching reader schema `c`?
    fn contains_at_least(&mut self, m: &Merged, (c, rmin): (NodeId, u64), w_prefix: usize) -> bool {
        if rmin == 0 {
            return true;
        }
        let by_contains = m.arrs.clone().into_iter().any(|n| {
            let Some(wk) = self.w.keywords(n) else {
                return false;
            };
            let (wc, wmin) = (wk.contains, wk.min_contains.unwrap_or(1));
            wc.is_some_and(|wc| wmin >= rmin && self.holds(&Alt::of(wc), c))
        });
        by_contains
            || (m.min_items >= rmin
                && (0..=w_prefix).all(|i| match view::item_alt(self.w, &m.arrs, i) {
                    Some(ia) => self.holds(&ia, c),
                    None => true,
                }))
    }

    /// Does every writer array hold at most the reader's `maxContains` items matching `c`?
    fn contains_at_most(&mut self, h: &Here, c: NodeId, w_max: Option<u64>) -> bool {
        let Some(rx) = h.k.max_contains else {
            return true;
        };
        w_max.is_some_and(|w| w <= rx)
            || h.m.arrs.clone().into_iter().any(|n| {
                let Some(wk) = self.w.keywords(n) else {
                    return false;
                };
                match (wk.contains, wk.max_contains) {
                    (Some(wc), Some(wx)) => wx <= rx && self.equal(wc, c),
                    _ => false,
                }
            })
    }
}
