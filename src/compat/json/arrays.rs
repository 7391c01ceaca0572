//! Arrays: `items` (schema and tuple forms), `prefixItems`, `additionalItems`, `unevaluatedItems`,
//! `minItems`, `maxItems`, `uniqueItems`, `contains`, `minContains`, `maxContains`. Positions are
//! compared one by one up to the longer tuple; the last position stands for every later item.

use super::alt::Alt;
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

    pub(super) fn arrays(
        &mut self,
        a: &Alt,
        m: &Merged,
        r: NodeId,
        k: &Keywords,
        report: bool,
    ) -> bool {
        let a_arr = a.with_types(types::ARRAY);
        let mut ok = true;
        let w_prefix = m
            .arrs
            .iter()
            .filter_map(|&n| self.w.keywords(n).map(|k| k.prefix_items.len()))
            .max()
            .unwrap_or(0);
        let last = w_prefix.max(k.prefix_items.len());
        let w_max = view::max_items(self.w, m);
        for i in 0..=last {
            if w_max.is_some_and(|x| i as u64 >= x) {
                break;
            }
            let Some(wa) = view::item_alt(self.w, &m.arrs, i) else {
                break;
            };
            let (rs, kw) = self.reader_item(k, i);
            if rs.is_empty() {
                continue;
            }
            let step = if last == 0 {
                Step::Item(None)
            } else {
                Step::Item(Some(i))
            };
            self.trail.push((step, a_arr.clone()));
            let closes = rs.iter().any(|&x| self.r.is_false(x));
            if report && !closes {
                if !self.sub_every(&wa, &rs) {
                    ok = false;
                }
                self.trail.pop();
                continue;
            }
            let pass = rs.iter().all(|&x| self.sub(&wa, x, false));
            if !pass {
                ok = false;
                if !report {
                    self.trail.pop();
                    return false;
                }
                if rs.iter().any(|&x| self.r.is_false(x)) {
                    let ex = self.example(&wa, &rs, Vec::new());
                    let mut inc = self
                        .inc(
                            &rules::JSON_ITEMS_NARROWED,
                            self.rp(rs[0], ""),
                            self.wp(&a_arr, "items"),
                            format!(
                                "{{reader}} accepts at most {i} item{} (`{kw}: false`), but {{writer}}'s arrays may be longer",
                                if i == 1 { "" } else { "s" }
                            ),
                            "keep the tuple open while writers may send more items, or close it from the first version",
                        )
                        .example(ex);
                    inc.path = Checker::path_of(&self.trail[..self.trail.len() - 1]);
                    self.push(inc);
                } else {
                    for &x in &rs {
                        self.sub(&wa, x, true);
                    }
                }
            }
            self.trail.pop();
        }
        if let Some(rm) = k.min_items
            && rm > m.min_items
        {
            ok = false;
            if !report {
                return false;
            }
            let targeted = self
                .array_of(m, (rm - 1) as usize, false)
                .into_iter()
                .collect();
            let ex = self.example(a, &[r], targeted);
            let inc = self
                .inc(
                    &rules::JSON_MIN_ITEMS_INCREASED,
                    self.rp(r, "minItems"),
                    self.wp(&a_arr, "minItems"),
                    format!(
                        "{{reader}} needs at least {rm} items{}, but {{writer}} allows {}",
                        self.at_path(),
                        m.min_items
                    ),
                    "keep minItems at most what the other version allows",
                )
                .example(ex);
            self.push(inc);
        }
        if let Some(rx) = k.max_items
            && w_max.is_none_or(|w| w > rx)
        {
            ok = false;
            if !report {
                return false;
            }
            let targeted = self
                .array_of(m, (rx + 1) as usize, false)
                .into_iter()
                .collect();
            let ex = self.example(a, &[r], targeted);
            let inc = self
                .inc(
                    &rules::JSON_MAX_ITEMS_DECREASED,
                    self.rp(r, "maxItems"),
                    self.wp(&a_arr, "maxItems"),
                    format!(
                        "{{reader}} allows at most {rx} items{}, but {{writer}} allows {}",
                        self.at_path(),
                        w_max.map_or("any number".to_string(), |w| w.to_string())
                    ),
                    "keep maxItems at least what the other version allows",
                )
                .example(ex);
            self.push(inc);
        }
        if k.unique_items && !m.unique && w_max.is_none_or(|w| w > 1) {
            ok = false;
            if !report {
                return false;
            }
            let n = (m.min_items.max(2)) as usize;
            let targeted = self.array_of(m, n, true).into_iter().collect();
            let ex = self.example(a, &[r], targeted);
            let inc = self
                .inc(
                    &rules::JSON_UNIQUE_ITEMS_ADDED,
                    self.rp(r, "uniqueItems"),
                    self.wp(&a_arr, "uniqueItems"),
                    format!(
                        "{{reader}} requires unique items{}, but {{writer}} allows repeats",
                        self.at_path()
                    ),
                    "require uniqueness from the first version",
                )
                .example(ex);
            self.push(inc);
        }
        if let Some(c) = k.contains {
            let rmin = k.min_contains.unwrap_or(1);
            let covered_min = rmin == 0 || {
                let by_contains = m.arrs.clone().into_iter().any(|n| {
                    let Some(wk) = self.w.keywords(n) else {
                        return false;
                    };
                    let (wc, wmin) = (wk.contains, wk.min_contains.unwrap_or(1));
                    wc.is_some_and(|wc| wmin >= rmin && self.sub(&Alt::of(wc), c, false))
                });
                by_contains
                    || (m.min_items >= rmin
                        && (0..=w_prefix).all(|i| match view::item_alt(self.w, &m.arrs, i) {
                            Some(ia) => self.sub(&ia, c, false),
                            None => true,
                        }))
            };
            let covered_max = match k.max_contains {
                None => true,
                Some(rx) => {
                    w_max.is_some_and(|w| w <= rx)
                        || m.arrs.clone().into_iter().any(|n| {
                            let Some(wk) = self.w.keywords(n) else {
                                return false;
                            };
                            match (wk.contains, wk.max_contains) {
                                (Some(wc), Some(wx)) => wx <= rx && self.equal(wc, c),
                                _ => false,
                            }
                        })
                }
            };
            if !(covered_min && covered_max) {
                ok = false;
                if !report {
                    return false;
                }
                let mut targeted: Vec<Value> = Vec::new();
                for n in [m.min_items as usize, 1, 2] {
                    targeted.extend(self.array_of(m, n, false));
                    targeted.extend(self.array_of(m, n, true));
                }
                let ex = self.example(a, &[r], targeted);
                let inc = self
                    .inc(
                        &rules::JSON_CONTAINS_NARROWED,
                        self.rp(r, "contains"),
                        self.wp(&a_arr, "contains"),
                        format!(
                            "{{reader}} requires {} item{} matching its `contains` schema{}{}, which {{writer}} does not guarantee",
                            rmin,
                            if rmin == 1 { "" } else { "s" },
                            k.max_contains.map_or(String::new(), |x| format!(" (and at most {x})")),
                            self.at_path()
                        ),
                        "declare contains from the first version with the same or a wider schema",
                    )
                    .example(ex);
                self.push(inc);
            }
        }
        ok
    }
}
