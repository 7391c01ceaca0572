//! Structural equality of a writer node and a reader node: the same keywords with the same
//! values, their subschemas equal in turn (through `$ref`s, recursion included). Equal nodes
//! need no comparison of their instance sets.

use super::Checker;
use crate::schema::json::{JsonSchema, Keywords, Kind, NodeId, json_eq};

impl Checker<'_> {
    /// Are writer node `w` and reader node `r` the same schema (structurally, through `$ref`s)?
    pub(crate) fn equal(&mut self, w: NodeId, r: NodeId) -> bool {
        let w = deref(self.w, w);
        let r = deref(self.r, r);
        if let Some(v) = self.eq_memo.get(&(w, r)) {
            return v;
        }
        let frame = self.eq_memo.enter((w, r));
        let v = self.equal_nodes(w, r);
        self.eq_memo.leave((w, r), frame, v);
        v
    }

    fn equal_nodes(&mut self, w: NodeId, r: NodeId) -> bool {
        let (wk, rk) = match (&self.w.node(w).kind, &self.r.node(r).kind) {
            (Kind::Bool(a), Kind::Bool(b)) => return a == b,
            (Kind::Keywords(a), Kind::Keywords(b)) => (a, b),
            _ => return false,
        };
        if !scalars_equal(wk, rk) {
            return false;
        }
        let Some(pairs) = subschema_pairs(wk, rk) else {
            return false;
        };
        if !pairs.into_iter().all(|(a, b)| self.equal(a, b)) {
            return false;
        }
        self.branches_equal(wk, rk)
    }

    /// The branches of allOf/anyOf/oneOf are sets too: match each writer branch with an equal
    /// reader branch not yet taken (structural equality is an equivalence, so a greedy matching
    /// finds one when any exists).
    fn branches_equal(&mut self, wk: &Keywords, rk: &Keywords) -> bool {
        for (x, y) in [
            (&wk.all_of, &rk.all_of),
            (&wk.any_of, &rk.any_of),
            (&wk.one_of, &rk.one_of),
        ] {
            let mut taken = vec![false; y.len()];
            for &a in x {
                let hit = (0..y.len()).find(|&j| !taken[j] && self.equal(a, y[j]));
                match hit {
                    Some(j) => taken[j] = true,
                    None => return false,
                }
            }
        }
        true
    }
}

/// The keywords with values of their own (no subschemas) agree, and the subschema lists have the
/// same lengths.
fn scalars_equal(wk: &Keywords, rk: &Keywords) -> bool {
    wk.types == rk.types
        // An enum is a set: its order and repeats mean nothing (its keys were made at load).
        && wk.enum_keys == rk.enum_keys
        && match (&wk.const_value, &rk.const_value) {
            (None, None) => true,
            (Some(a), Some(b)) => json_eq(a, b),
            _ => false,
        }
        && wk.format == rk.format
        && wk.min_length == rk.min_length
        && wk.max_length == rk.max_length
        && wk.pattern == rk.pattern
        && wk.lower == rk.lower
        && wk.upper == rk.upper
        && wk.multiple_of == rk.multiple_of
        && wk.required_set == rk.required_set
        && wk.min_properties == rk.min_properties
        && wk.max_properties == rk.max_properties
        && wk.min_items == rk.min_items
        && wk.max_items == rk.max_items
        && wk.unique_items == rk.unique_items
        && wk.min_contains == rk.min_contains
        && wk.max_contains == rk.max_contains
        && wk.undecidable.is_empty()
        && rk.undecidable.is_empty()
        && wk.properties.len() == rk.properties.len()
        && wk.pattern_properties.len() == rk.pattern_properties.len()
        && wk.dependent_schemas.len() == rk.dependent_schemas.len()
        && wk.prefix_items.len() == rk.prefix_items.len()
        && wk.all_of.len() == rk.all_of.len()
        && wk.any_of.len() == rk.any_of.len()
        && wk.one_of.len() == rk.one_of.len()
        && (wk.dependent_required.is_empty() && rk.dependent_required.is_empty()
            || {
                let mut a = wk.dependent_required.clone();
                let mut b = rk.dependent_required.clone();
                a.sort();
                b.sort();
                a == b
            })
}

/// The (writer, reader) subschemas that must be equal, keyword by keyword; None when one side
/// has a subschema the other lacks.
fn subschema_pairs(wk: &Keywords, rk: &Keywords) -> Option<Vec<(NodeId, NodeId)>> {
    let mut pairs: Vec<(NodeId, NodeId)> = Vec::new();
    for (n, s) in &wk.properties {
        pairs.push((*s, rk.property(n)?));
    }
    for (n, s) in &wk.pattern_properties {
        let (_, t) = rk.pattern_properties.iter().find(|(m, _)| m == n)?;
        pairs.push((*s, *t));
    }
    for (n, s) in &wk.dependent_schemas {
        let (_, t) = rk.dependent_schemas.iter().find(|(m, _)| m == n)?;
        pairs.push((*s, *t));
    }
    for (a, b) in [
        (wk.additional_properties, rk.additional_properties),
        (wk.unevaluated_properties, rk.unevaluated_properties),
        (wk.property_names, rk.property_names),
        (wk.items, rk.items),
        (wk.unevaluated_items, rk.unevaluated_items),
        (wk.contains, rk.contains),
        (wk.not, rk.not),
        (wk.if_, rk.if_),
        (wk.then_, rk.then_),
        (wk.else_, rk.else_),
        (wk.ref_, rk.ref_),
    ] {
        match (a, b) {
            (None, None) => {}
            (Some(a), Some(b)) => pairs.push((a, b)),
            _ => return None,
        }
    }
    pairs.extend(
        wk.prefix_items
            .iter()
            .copied()
            .zip(rk.prefix_items.iter().copied()),
    );
    Some(pairs)
}

/// Follow a node that is only a `$ref` to its target.
fn deref(s: &JsonSchema, mut id: NodeId) -> NodeId {
    for _ in 0..64 {
        match s.keywords(id) {
            Some(k) if k.only_ref => match k.ref_ {
                Some(t) => id = t,
                None => return id,
            },
            _ => return id,
        }
    }
    id
}
