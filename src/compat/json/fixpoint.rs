//! Memoised greatest fixed points, for the engine's recursive questions ("does reader node R
//! accept every instance of writer alternative W?", "are these two nodes equal?"). A question met
//! again while it is being decided is assumed to hold; an answer that leaned on such an
//! assumption is kept as provisional, reusable while the assumption stands, and becomes final
//! once the question it leaned on is answered `true` (the assumptions were consistent) or is
//! discarded when that question is answered `false`. A `false` never depends on an assumption
//! (assuming less can only turn answers false), so it is final at once.
//!
//! Without provisional answers nothing inside a recursive schema is remembered until the
//! outermost question ends, and nested recursions re-decide the same pairs exponentially often;
//! with them each pair is decided about once per outermost question.

use ahash::AHashMap as HashMap;
use std::hash::Hash;

pub(crate) struct Fix<K> {
    done: HashMap<K, bool>,
    /// Provisional `true`s: the lowest stack depth of an assumption each leaned on.
    provisional: HashMap<K, usize>,
    order: Vec<K>,
    stack: HashMap<K, usize>,
    /// The lowest stack depth of an assumption the current question leaned on.
    low: usize,
}

/// A question being decided (from `enter` to `leave`).
pub(crate) struct Frame {
    depth: usize,
    order_len: usize,
    outer_low: usize,
}

impl<K: Hash + Eq + Clone> Fix<K> {
    pub(crate) fn new() -> Self {
        Fix {
            done: HashMap::new(),
            provisional: HashMap::new(),
            order: Vec::new(),
            stack: HashMap::new(),
            low: usize::MAX,
        }
    }

    /// The answer when known (finally, provisionally, or assumed because it is being decided).
    pub(crate) fn get(&mut self, k: &K) -> Option<bool> {
        if let Some(&v) = self.done.get(k) {
            return Some(v);
        }
        if let Some(&l) = self.provisional.get(k).or_else(|| self.stack.get(k)) {
            self.low = self.low.min(l);
            return Some(true);
        }
        None
    }

    pub(crate) fn enter(&mut self, k: K) -> Frame {
        let depth = self.stack.len();
        self.stack.insert(k, depth);
        Frame {
            depth,
            order_len: self.order.len(),
            outer_low: std::mem::replace(&mut self.low, usize::MAX),
        }
    }

    pub(crate) fn leave(&mut self, k: K, f: Frame, v: bool) {
        self.stack.remove(&k);
        let low = self.low;
        if !v {
            for key in self.order.drain(f.order_len..) {
                self.provisional.remove(&key);
            }
            self.done.insert(k, false);
            self.low = f.outer_low;
        } else if low >= f.depth {
            for key in self.order.drain(f.order_len..) {
                if self.provisional.remove(&key).is_some() {
                    self.done.insert(key, true);
                }
            }
            self.done.insert(k, true);
            self.low = f.outer_low;
        } else {
            for key in &self.order[f.order_len..] {
                if let Some(l) = self.provisional.get_mut(key) {
                    *l = low;
                }
            }
            self.provisional.insert(k.clone(), low);
            self.order.push(k);
            self.low = f.outer_low.min(low);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reachability of a `false` leaf in a graph, as a greatest fixed point: a node holds when
    /// it is no `false` leaf and every successor holds.
    fn holds(fix: &mut Fix<usize>, g: &[Vec<usize>], bad: &[usize], n: usize) -> bool {
        if let Some(v) = fix.get(&n) {
            return v;
        }
        let f = fix.enter(n);
        let v = !bad.contains(&n) && g[n].iter().all(|&m| holds(fix, g, bad, m));
        fix.leave(n, f, v);
        v
    }

    #[test]
    fn provisional_answers_are_dropped_with_the_assumption_they_leaned_on() {
        // 0 -> 1 -> 2 -> 1 (a cycle), 2 -> 3 (bad). 1 and 2 fail; asked again, they still do.
        let g = vec![vec![1], vec![2], vec![1, 3], vec![]];
        let mut fix = Fix::new();
        assert!(!holds(&mut fix, &g, &[3], 0));
        assert!(!holds(&mut fix, &g, &[3], 2));
        assert!(!holds(&mut fix, &g, &[3], 1));
        // 0 -> 1 -> 2 -> 1, and 0 -> 3 bad: 1 and 2 hold although 0 fails.
        let g = vec![vec![1, 3], vec![2], vec![1], vec![]];
        let mut fix = Fix::new();
        assert!(!holds(&mut fix, &g, &[3], 0));
        assert!(holds(&mut fix, &g, &[3], 1));
        assert!(holds(&mut fix, &g, &[3], 2));
        // Order of a cycle's discovery: 0 -> 1 -> 0, 1 -> 2 -> 1, 2 -> 3 bad.
        let g = vec![vec![1], vec![0, 2], vec![1, 3], vec![]];
        let mut fix = Fix::new();
        assert!(!holds(&mut fix, &g, &[3], 0));
        for n in 0..4 {
            assert!(!holds(&mut fix, &g, &[3], n), "{n}");
        }
    }
}
