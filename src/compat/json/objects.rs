//! Objects: `properties`, `required`, `additionalProperties`, `patternProperties`,
//! `unevaluatedProperties`, `minProperties`, `maxProperties`, `dependentRequired` /
//! `dependencies`, `propertyNames`, and the content model they make: open (any undeclared
//! property), partially open (undeclared properties must match a schema), closed.
//!
//! Each property name either side declares is compared by the schema each side applies to it;
//! what is left (undeclared names) is compared class by class: the writer's pattern classes and
//! its additional class against the reader's patterns and additional schema.

use super::alt::Alt;
use super::view::{self, Merged};
use super::{Checker, Policy, Step};
use crate::finding::Severity;
use crate::rules;
use crate::schema::json::{Keywords, NodeId, types};
use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use serde_json::Value;

impl Checker<'_> {
    /// The reader's schemas for property `name` (all must hold) and the keyword they come from.
    fn reader_member(&self, r: NodeId, k: &Keywords, name: &str) -> (Vec<NodeId>, &'static str) {
        let (own, matched) = k.named(name, self.r);
        if matched {
            let kw = if k.property(name).is_some() {
                "properties"
            } else {
                "patternProperties"
            };
            return (own, kw);
        }
        if let Some(ap) = k.additional_properties {
            return (vec![ap], "additionalProperties");
        }
        if let Some(u) = k.unevaluated_properties {
            let sure = k
                .ref_
                .iter()
                .chain(&k.all_of)
                .any(|&c| view::evaluates_property(self.r, c, name, true));
            let _ = r;
            if !sure {
                return (vec![u], "unevaluatedProperties");
            }
        }
        (Vec::new(), "")
    }

    fn w_declares(&self, m: &Merged, name: &str) -> bool {
        m.objs.iter().any(|&n| {
            self.w
                .keywords(n)
                .is_some_and(|k| k.property(name).is_some())
        })
    }

    /// The writer's object closed to undeclared names: the names it may hold, if finite.
    fn w_closed_names(&self, m: &Merged) -> Option<Vec<String>> {
        m.objs.iter().find_map(|&n| {
            let k = self.w.keywords(n)?;
            let closed = k.additional_properties.is_some_and(|a| self.w.is_false(a))
                && k.pattern_properties.is_empty();
            closed.then(|| k.properties.iter().map(|(p, _)| p.clone()).collect())
        })
    }

    pub(super) fn objects(
        &mut self,
        a: &Alt,
        m: &Merged,
        r: NodeId,
        k: &Keywords,
        report: bool,
    ) -> bool {
        let a_obj = a.with_types(types::OBJECT);
        let mut ok = true;
        let mut names: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut add = |n: &str| {
            if seen.insert(n.to_string()) {
                names.push(n.to_string());
            }
        };
        let w_required: HashSet<&str> = m.required.iter().map(String::as_str).collect();
        for &n in &m.objs {
            if let Some(wk) = self.w.keywords(n) {
                for (p, _) in &wk.properties {
                    add(p);
                }
            }
        }
        for (p, _) in &k.properties {
            add(p);
        }
        for p in k.required.iter().chain(&m.required) {
            add(p);
        }
        for (p, deps) in &k.dependent_required {
            add(p);
            for d in deps {
                add(d);
            }
        }
        for (p, _) in &k.dependent_schemas {
            add(p);
        }
        let lenient = self.policy == Policy::Lenient;
        for name in &names {
            let Some(wa) = view::member_alt(self.w, &m.objs, name) else {
                continue;
            };
            let (rs, class) = self.reader_member(r, k, name);
            if rs.is_empty() {
                continue;
            }
            self.trail.push((Step::Prop(name.clone()), a_obj.clone()));
            let w_named = self.w_declares(m, name);
            let r_named = class == "properties";
            // Where both sides (or neither) declare the property, its own reasons are the
            // findings (warnings included); otherwise the change of content model is.
            let detailed = report && r_named == w_named;
            let pass = if detailed {
                self.sub_every(&wa, &rs)
            } else {
                rs.iter().all(|&x| self.sub(&wa, x, false))
            };
            if detailed {
                if !pass {
                    ok = false;
                }
            } else if !pass {
                let open = wa.pos.is_empty();
                let closed = rs.iter().any(|&x| self.r.is_false(x));
                let required = k.requires(name);
                let lenient_pass = lenient
                    && ((r_named && !w_named && open && !required)
                        || (w_named && !r_named && closed));
                if !lenient_pass {
                    ok = false;
                }
                if !report && !lenient_pass {
                    self.trail.pop();
                    return false;
                }
                if report {
                    let severity = lenient_pass.then_some(Severity::Warning);
                    if r_named && !w_named {
                        let ex = self.example(&wa, &rs, Vec::new());
                        let rule = if open {
                            &rules::JSON_PROPERTY_ADDED_TO_OPEN_MODEL
                        } else {
                            &rules::JSON_PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL
                        };
                        let msg = if open {
                            format!(
                                "property `{name}` is new in {{reader}}, but {{writer}}'s object is open: its data may hold any value under `{name}`, and {{reader}} rejects some"
                            )
                        } else {
                            format!(
                                "property `{name}` is new in {{reader}}, and the schema {{writer}} applies to undeclared properties allows values under `{name}` that {{reader}} rejects"
                            )
                        };
                        let help = if open {
                            "close the model in the earlier version (\"additionalProperties\": false) before adding properties, give the new property no constraints, or use `policy: lenient` if no writer ever sent undeclared properties"
                        } else {
                            "make the new property's schema accept everything the additionalProperties/patternProperties schema allows"
                        };
                        let inc = self
                            .inc(
                                rule,
                                self.rp(rs[0], ""),
                                self.wp(&a_obj, "properties"),
                                msg,
                                help,
                            )
                            .example(ex)
                            .severity(severity);
                        self.push(inc);
                    } else if w_named && !r_named {
                        let ex = self.example(&wa, &rs, Vec::new());
                        let (rule, msg, help) = if closed {
                            (
                                &rules::JSON_PROPERTY_REMOVED_FROM_CLOSED_MODEL,
                                format!(
                                    "property `{name}` of {{writer}} is gone from {{reader}}, whose object is closed (`{class}: false`)"
                                ),
                                "keep the property declared while any writer may send it",
                            )
                        } else {
                            (
                                &rules::JSON_PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL,
                                format!(
                                    "property `{name}` of {{writer}} is gone from {{reader}}, and {{reader}}'s `{class}` schema rejects some of its values"
                                ),
                                "keep the property declared, or make the schema for undeclared properties accept its values",
                            )
                        };
                        let parent = self.trail.len() - 1;
                        let rp = self.rp(r, class);
                        let wp = {
                            let pa = self.trail[parent].1.clone();
                            match wa.pos.first() {
                                Some(&n) => (self.w.node(n).file, self.w.node(n).pointer.clone()),
                                None => self.wp(&pa, "properties"),
                            }
                        };
                        let inc = self
                            .inc(rule, rp, wp, msg, help)
                            .example(ex)
                            .severity(severity);
                        self.push(inc);
                    }
                }
            }
            self.trail.pop();
        }
        for name in &k.required {
            if w_required.contains(name.as_str()) {
                continue;
            }
            ok = false;
            if !report {
                return false;
            }
            let targeted: Vec<Value> = self.witness(&a_obj).into_iter().collect();
            let ex = self.example(a, &[r], targeted);
            let inc = self
                .inc(
                    &rules::JSON_REQUIRED_ADDED,
                    self.rp(r, "required"),
                    self.wp(&a_obj, "required"),
                    format!(
                        "{{reader}} requires property `{name}`{}, but {{writer}} does not: its data may omit it",
                        self.at_path()
                    ),
                    "add the property as optional; require it only in a new subject (or once every writer sends it)",
                )
                .example(ex);
            self.push(inc);
        }
        for (key, deps) in &k.dependent_required {
            let Some(ka) = view::member_alt(self.w, &m.objs, key) else {
                continue;
            };
            for dep in deps {
                let covered = w_required.contains(dep.as_str())
                    || m.objs.iter().any(|&n| {
                        self.w.keywords(n).is_some_and(|wk| {
                            wk.dependent_required
                                .iter()
                                .any(|(kk, ds)| kk == key && ds.contains(dep))
                        })
                    });
                if covered {
                    continue;
                }
                ok = false;
                if !report {
                    return false;
                }
                let mut targeted = Vec::new();
                if let (Some(Value::Object(mut base)), Some(v)) =
                    (self.witness(&a_obj), self.witness(&ka))
                {
                    base.insert(key.clone(), v);
                    base.remove(dep);
                    targeted.push(Value::Object(base));
                }
                let ex = self.example(a, &[r], targeted);
                let inc = self
                    .inc(
                        &rules::JSON_DEPENDENT_REQUIRED_ADDED,
                        self.rp(r, if self.r.draft >= crate::schema::json::Draft::D2019 { "dependentRequired" } else { "dependencies" }),
                        self.wp(&a_obj, "properties"),
                        format!(
                            "{{reader}} requires `{dep}` whenever `{key}` is present{}, but {{writer}} does not",
                            self.at_path()
                        ),
                        "declare the dependency from the first version",
                    )
                    .example(ex);
                self.push(inc);
            }
        }
        let w_min = m.min_props.max(m.required.len() as u64);
        if let Some(rm) = k.min_properties
            && rm > w_min
        {
            ok = false;
            if !report {
                return false;
            }
            let targeted: Vec<Value> = self.witness(&a_obj).into_iter().collect();
            let ex = self.example(a, &[r], targeted);
            let inc = self
                .inc(
                    &rules::JSON_MIN_PROPERTIES_INCREASED,
                    self.rp(r, "minProperties"),
                    self.wp(&a_obj, "minProperties"),
                    format!(
                        "{{reader}} needs at least {rm} properties{}, but {{writer}} guarantees {w_min}",
                        self.at_path()
                    ),
                    "keep minProperties at most what the other version guarantees",
                )
                .example(ex);
            self.push(inc);
        }
        let closed_names = self.w_closed_names(m);
        let mut w_max = m.max_props;
        if let Some(c) = &closed_names {
            let l = c.len() as u64;
            w_max = Some(w_max.map_or(l, |x| x.min(l)));
        }
        if let Some(rx) = k.max_properties
            && w_max.is_none_or(|w| w > rx)
        {
            ok = false;
            if !report {
                return false;
            }
            let targeted = self.object_with_extra(&a_obj, m, rx as usize + 1);
            let ex = self.example(a, &[r], targeted.into_iter().collect());
            let inc = self
                .inc(
                    &rules::JSON_MAX_PROPERTIES_DECREASED,
                    self.rp(r, "maxProperties"),
                    self.wp(&a_obj, "maxProperties"),
                    format!(
                        "{{reader}} allows at most {rx} properties{}, but {{writer}} allows {}",
                        self.at_path(),
                        w_max.map_or("any number".to_string(), |w| w.to_string())
                    ),
                    "keep maxProperties at least what the other version allows",
                )
                .example(ex);
            self.push(inc);
        }
        if let Some(pn) = k.property_names {
            let wpn: Vec<NodeId> = m
                .objs
                .iter()
                .filter_map(|&n| self.w.keywords(n).and_then(|wk| wk.property_names))
                .collect();
            let fine = if !wpn.is_empty() {
                let alt = Alt {
                    pos: wpn,
                    neg: Vec::new(),
                    types: types::STRING,
                };
                self.sub(&alt, pn, false)
            } else if let Some(names) = &closed_names {
                names.iter().all(|n| {
                    super::eval::accepts(self.r, pn, &Value::String(n.clone())) == Some(true)
                })
            } else {
                false
            };
            if !fine {
                ok = false;
                if !report {
                    return false;
                }
                let mut targeted = Vec::new();
                for name in ["extra", "X", "a-b", "1", "Some Name", &"x".repeat(70)] {
                    if super::eval::accepts(self.r, pn, &Value::String(name.into())) == Some(false)
                        && let Some(wa) = view::member_alt(self.w, &m.objs, name)
                        && let (Some(Value::Object(mut base)), Some(v)) =
                            (self.witness(&a_obj), self.witness(&wa))
                    {
                        base.insert(name.to_string(), v);
                        targeted.push(Value::Object(base));
                    }
                }
                let ex = self.example(a, &[r], targeted);
                let inc = self
                    .inc(
                        &rules::JSON_PROPERTY_NAMES_NARROWED,
                        self.rp(r, "propertyNames"),
                        self.wp(&a_obj, "propertyNames"),
                        format!(
                            "{{reader}}'s `propertyNames`{} may reject names {{writer}} allows",
                            self.at_path()
                        ),
                        "declare propertyNames from the first version, or close the model",
                    )
                    .example(ex);
                self.push(inc);
            }
        }
        if closed_names.is_none() && !self.rest_properties(&a_obj, m, r, k, &names, report) {
            ok = false;
        }
        ok
    }

    /// " at `path`" or "".
    pub(super) fn at_path(&self) -> String {
        let p = self.path();
        if p.is_empty() {
            String::new()
        } else {
            format!(" at `{p}`")
        }
    }

    /// A writer object with `n` properties, for maxProperties examples.
    fn object_with_extra(&self, a_obj: &Alt, m: &Merged, n: usize) -> Option<Value> {
        let Some(Value::Object(mut base)) = self.witness(a_obj) else {
            return None;
        };
        let mut declared: Vec<String> = Vec::new();
        for &o in &m.objs {
            if let Some(k) = self.w.keywords(o) {
                declared.extend(k.properties.iter().map(|(p, _)| p.clone()));
            }
        }
        let mut i = 0;
        let mut extra = 0;
        while base.len() < n && i < n + declared.len() + 8 {
            let name = if i < declared.len() {
                declared[i].clone()
            } else {
                extra += 1;
                format!("extra{extra}")
            };
            i += 1;
            if base.contains_key(&name) {
                continue;
            }
            if let Some(wa) = view::member_alt(self.w, &m.objs, &name)
                && let Some(v) = self.witness(&wa)
            {
                base.insert(name, v);
            }
        }
        (base.len() >= n).then_some(Value::Object(base))
    }

    /// Undeclared property names: the writer's pattern classes and additional class against the
    /// reader's patterns and its additional (or unevaluated) schema.
    fn rest_properties(
        &mut self,
        a_obj: &Alt,
        m: &Merged,
        r: NodeId,
        k: &Keywords,
        names: &[String],
        report: bool,
    ) -> bool {
        let mut classes: Vec<(Option<String>, Alt)> = Vec::new();
        let mut w_patterns: Vec<String> = Vec::new();
        let mut additional = Alt::any();
        let mut has_additional = true;
        for &n in &m.objs {
            let Some(wk) = self.w.keywords(n) else {
                continue;
            };
            for (p, s) in &wk.pattern_properties {
                classes.push((Some(p.clone()), Alt::of(*s)));
                w_patterns.push(p.clone());
            }
            if let Some(ap) = wk.additional_properties {
                if self.w.is_false(ap) {
                    has_additional = false;
                }
                additional = additional.and(ap);
            } else if let Some(u) = wk.unevaluated_properties
                && wk.in_place().next().is_none()
            {
                if self.w.is_false(u) {
                    has_additional = false;
                }
                additional = additional.and(u);
            }
        }
        if has_additional {
            classes.push((None, additional));
        }
        let r_add: Option<(NodeId, &'static str)> =
            match (k.additional_properties, k.unevaluated_properties) {
                (Some(ap), _) => Some((ap, "additionalProperties")),
                (None, Some(u)) => {
                    let sure = k
                        .ref_
                        .iter()
                        .chain(&k.all_of)
                        .any(|&c| view::evaluates_property(self.r, c, "\u{1}", true));
                    (!sure).then_some((u, "unevaluatedProperties"))
                }
                _ => None,
            };
        let mut ok = true;
        // Reader patterns. A pattern the writer has too (same text) applies the writer's schema
        // to every name it matches, whatever other class the name falls in: one comparison
        // decides it. A pattern new in the reader is compared with each writer class whose names
        // may match it, and reported once with every such class.
        let mut w_same: HashMap<&str, Alt> = HashMap::new();
        for (p, wa) in &classes {
            if let Some(p) = p {
                w_same
                    .entry(p.as_str())
                    .and_modify(|x| {
                        for &n in &wa.pos {
                            *x = x.and(n);
                        }
                    })
                    .or_insert_with(|| wa.clone());
            }
        }
        let shapes: Vec<Option<Shape>> = classes
            .iter()
            .map(|(p, _)| p.as_deref().and_then(Shape::of))
            .collect();
        // Patterns often share one schema: a pair of schemas written alike is decided once.
        let mut interned: HashMap<String, usize> = HashMap::new();
        let mut intern = |key: String| {
            let next = interned.len();
            *interned.entry(key).or_insert(next)
        };
        let class_keys: Vec<usize> = classes
            .iter()
            .map(|(_, wa)| intern(format!("w{}", alt_key(self.w, wa))))
            .collect();
        let mut verdicts: HashMap<(usize, usize), bool> = HashMap::new();
        for (q, t) in &k.pattern_properties {
            let q_shape = Shape::of(q);
            // (index into `classes`, or None for the writer's own schemas for `q`)
            let same = w_same.get(q.as_str());
            let candidates: Vec<Option<usize>> = match same {
                Some(_) => vec![None],
                None => (0..classes.len())
                    .filter(|&i| match &classes[i].0 {
                        Some(p) => self.may_overlap(p, shapes[i].as_ref(), q, q_shape.as_ref()),
                        None => true,
                    })
                    .map(Some)
                    .collect(),
            };
            let witness = jsonschema_regex::pattern_witness(q)
                .filter(|n| !names.contains(n))
                .unwrap_or_else(|| fresh_name(self, names, &w_patterns, k));
            self.trail.push((Step::Prop(witness), a_obj.clone()));
            let mut failed: Vec<Option<usize>> = Vec::new();
            let rkey = intern(format!("r{}", node_key(self.r, *t)));
            for c in candidates {
                let (wa, wkey) = match (c, same) {
                    (Some(i), _) => (&classes[i].1, class_keys[i]),
                    (None, Some(wa)) => (wa, intern(format!("w{}", alt_key(self.w, wa)))),
                    (None, None) => continue,
                };
                let pass = match verdicts.get(&(wkey, rkey)) {
                    Some(&v) => v,
                    None => {
                        let v = self.sub(wa, *t, false);
                        verdicts.insert((wkey, rkey), v);
                        v
                    }
                };
                if !pass {
                    failed.push(c);
                    if !report {
                        break;
                    }
                }
            }
            if !failed.is_empty() {
                ok = false;
                if !report {
                    self.trail.pop();
                    return false;
                }
                let wa = match failed[0] {
                    Some(i) => classes[i].1.clone(),
                    None => same.cloned().unwrap_or_else(Alt::any),
                };
                let ex = self.example(&wa, &[*t], Vec::new());
                let describe = |c: Option<usize>| match c.map(|i| &classes[i].0) {
                    None => format!("properties matching `{q}`"),
                    Some(Some(p)) => {
                        format!("properties matching `{p}` (which may also match `{q}`)")
                    }
                    Some(None) => "undeclared properties".to_string(),
                };
                let mut whose: Vec<String> = failed.iter().take(3).map(|&c| describe(c)).collect();
                if failed.len() > 3 {
                    whose.push(format!("{} more pattern classes", failed.len() - 3));
                }
                let whose = match whose.len() {
                    1 => whose.remove(0),
                    _ => {
                        let last = whose.pop().unwrap_or_default();
                        format!("{} and {last}", whose.join(", "))
                    }
                };
                let rp = (self.r.node(*t).file, self.r.node(*t).pointer.clone());
                let wp = match wa.pos.first() {
                    Some(&n) => (self.w.node(n).file, self.w.node(n).pointer.clone()),
                    None => self.wp(a_obj, "patternProperties"),
                };
                let inc = Checker::inc_at(
                    self,
                    &rules::JSON_PATTERN_PROPERTIES_CHANGED,
                    rp,
                    wp,
                    format!(
                        "properties matching `{q}` must match its schema in {{reader}}{}, but {{writer}} allows other values for {whose}",
                        self.parent_path()
                    ),
                    "keep each pattern with the same or a wider schema",
                )
                .example(ex);
                self.push(inc);
            }
            self.trail.pop();
        }
        // The reader's schema for undeclared names, against each writer class it applies to.
        if let Some((ra, kw)) = r_add {
            let r_patterns: HashSet<&str> = k
                .pattern_properties
                .iter()
                .map(|(q, _)| q.as_str())
                .collect();
            for (p, wa) in &classes {
                if let Some(pp) = p
                    && r_patterns.contains(pp.as_str())
                {
                    continue;
                }
                let name = match p {
                    Some(p) => jsonschema_regex::pattern_witness(p).unwrap_or_else(|| "x".into()),
                    None => fresh_name(self, names, &w_patterns, k),
                };
                self.trail.push((Step::Prop(name.clone()), a_obj.clone()));
                let pass = self.sub(wa, ra, false);
                if !pass {
                    ok = false;
                    if !report {
                        self.trail.pop();
                        return false;
                    }
                    let ex = self.example(wa, &[ra], Vec::new());
                    let closed = self.r.is_false(ra);
                    let whose = match p {
                        Some(pp) => format!("properties matching `{pp}`"),
                        None if wa.pos.is_empty() => {
                            "any undeclared property (its object is open)".to_string()
                        }
                        None => "undeclared properties".to_string(),
                    };
                    let msg = if closed {
                        format!(
                            "{{reader}} accepts no undeclared properties{} (`{kw}: false`), but {{writer}} allows {whose}",
                            self.parent_path()
                        )
                    } else {
                        format!(
                            "undeclared properties{} must match {{reader}}'s `{kw}` schema, but {{writer}} allows other values for {whose}",
                            self.parent_path()
                        )
                    };
                    let rp = self.rp(r, kw);
                    let wp = self.wp(a_obj, "additionalProperties");
                    let inc = Checker::inc_at(
                        self,
                        &rules::JSON_ADDITIONAL_PROPERTIES_NARROWED,
                        rp,
                        wp,
                        msg,
                        "close the model from the first version, or keep the schema for undeclared properties as wide as before",
                    )
                    .example(ex);
                    self.push(inc);
                }
                self.trail.pop();
            }
        }
        ok
    }

    /// May a property name match both `p` (a writer pattern) and `q` (a reader pattern)? False
    /// only when the patterns' literal shapes prove it cannot.
    fn may_overlap(&self, p: &str, ps: Option<&Shape>, q: &str, qs: Option<&Shape>) -> bool {
        match (ps, qs) {
            (Some(Shape::Prefix(a)), Some(Shape::Prefix(b))) => {
                a.starts_with(b.as_str()) || b.starts_with(a.as_str())
            }
            (Some(Shape::Finite(words)), _) => words
                .iter()
                .any(|w| self.r.pattern_matches(q, w) != Some(false)),
            (_, Some(Shape::Finite(words))) => words
                .iter()
                .any(|w| self.w.pattern_matches(p, w) != Some(false)),
            _ => true,
        }
    }

    /// " at `path`" of the object whose member is being checked (the trail's last step is the member).
    fn parent_path(&self) -> String {
        let mut c = Checker::path_of(&self.trail[..self.trail.len().saturating_sub(1)]);
        if !c.is_empty() {
            c = format!(" at `{c}`");
        }
        c
    }

    /// Like `inc`, with the path of the object rather than of the (made-up) member.
    fn inc_at(
        &self,
        rule: &'static crate::rules::Rule,
        r: (usize, String),
        w: (usize, String),
        message: String,
        help: &str,
    ) -> crate::compat::Incompatibility {
        let mut i = self.inc(rule, r, w, message, help);
        i.path = Checker::path_of(&self.trail[..self.trail.len().saturating_sub(1)]);
        i
    }
}

/// The language of a pattern when its text alone tells it: a finite set of names (`^a$`,
/// `^(a|b)$`) or every name with a literal prefix (`^x-`).
enum Shape {
    Finite(Vec<String>),
    Prefix(String),
}

impl Shape {
    fn of(pattern: &str) -> Option<Shape> {
        use jsonschema_regex::PatternAnalysis as P;
        Some(match jsonschema_regex::analyze_pattern(pattern)? {
            P::Exact(s) => Shape::Finite(vec![s.into_owned()]),
            P::Alternation(v) => Shape::Finite(v),
            P::Prefix(s) => Shape::Prefix(s.into_owned()),
            _ => return None,
        })
    }
}

/// A key such that two nodes of one schema with the same key accept the same instances: the file
/// and the text of the node, where that text holds no reference (whose target could depend on
/// where it is written); otherwise the node itself.
fn node_key(s: &crate::schema::json::JsonSchema, n: NodeId) -> String {
    let node = s.node(n);
    let text = s.files[node.file]
        .value
        .pointer(&node.pointer)
        .map(Value::to_string);
    match text {
        Some(t)
            if ![
                "\"$ref\"",
                "\"$id\"",
                "\"id\"",
                "\"$dynamicRef\"",
                "\"$recursiveRef\"",
            ]
            .iter()
            .any(|k| t.contains(k)) =>
        {
            format!("{}:{t}", node.file)
        }
        _ => format!("#{n}"),
    }
}

/// `node_key` of a conjunction of nodes.
fn alt_key(s: &crate::schema::json::JsonSchema, a: &Alt) -> String {
    let mut keys: Vec<String> = a.pos.iter().map(|&n| node_key(s, n)).collect();
    keys.sort();
    keys.dedup();
    let mut neg: Vec<String> = a.neg.iter().map(|&n| node_key(s, n)).collect();
    neg.sort();
    format!("{}|{}|{}", a.types, keys.join("&"), neg.join("&"))
}

/// A property name no schema declares and no pattern matches, for undeclared-property examples.
fn fresh_name(c: &Checker<'_>, names: &[String], w_patterns: &[String], k: &Keywords) -> String {
    for cand in ["extra", "note", "other", "x_extra", "zz9"] {
        if names.iter().any(|n| n == cand) {
            continue;
        }
        if w_patterns
            .iter()
            .any(|p| c.w.pattern_matches(p, cand) != Some(false))
        {
            continue;
        }
        if k.pattern_properties
            .iter()
            .any(|(p, _)| c.r.pattern_matches(p, cand) != Some(false))
        {
            continue;
        }
        return cand.to_string();
    }
    "extra_property".to_string()
}
