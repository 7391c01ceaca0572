//! Objects: `properties`, `required`, `additionalProperties`, `patternProperties`,
//! `unevaluatedProperties`, `minProperties`, `maxProperties`, `dependentRequired` /
//! `dependencies`, `propertyNames`, and the content model they make: open (any undeclared
//! property), partially open (undeclared properties must match a schema), closed.
//!
//! Each property name either side declares is compared by the schema each side applies to it;
//! what is left (undeclared names) is compared class by class: the writer's pattern classes and
//! its additional class against the reader's patterns and additional schema.

use super::alt::Alt;
use super::emit::{At, Go, Here};
use super::view::{self, Merged};
use super::{Checker, Policy, Step};
use crate::rules;
use crate::schema::json::{JsonSchema, Keywords, NodeId, types};
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

    pub(super) fn objects(&mut self, h: &Here) -> Go {
        let a_obj = h.a.with_types(types::OBJECT);
        let names = self.compared_names(h);
        for name in &names {
            self.property(h, &a_obj, name)?;
        }
        self.required_added(h, &a_obj)?;
        self.dependent_required_added(h, &a_obj)?;
        self.min_properties_increased(h, &a_obj)?;
        let closed_names = self.w_closed_names(h.m);
        self.max_properties_decreased(h, &a_obj, closed_names.as_deref())?;
        self.property_names_narrowed(h, &a_obj, closed_names.as_deref())?;
        if closed_names.is_none() {
            self.rest_properties(h, &a_obj, &names)?;
        }
        Ok(())
    }

    /// The property names either side declares, requires or names in a dependency, once each.
    fn compared_names(&self, h: &Here) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut add = |n: &str| {
            if seen.insert(n.to_string()) {
                names.push(n.to_string());
            }
        };
        for &n in &h.m.objs {
            if let Some(wk) = self.w.keywords(n) {
                for (p, _) in &wk.properties {
                    add(p);
                }
            }
        }
        for (p, _) in &h.k.properties {
            add(p);
        }
        for p in h.k.required.iter().chain(&h.m.required) {
            add(p);
        }
        for (p, deps) in &h.k.dependent_required {
            add(p);
            for d in deps {
                add(d);
            }
        }
        for (p, _) in &h.k.dependent_schemas {
            add(p);
        }
        names
    }

    /// Property `name`: the schema the reader applies to it against the writer's.
    fn property(&mut self, h: &Here, a_obj: &Alt, name: &str) -> Go {
        let Some(wa) = view::member_alt(self.w, &h.m.objs, name) else {
            return Ok(());
        };
        let (rs, class) = self.reader_member(h.r, h.k, name);
        if rs.is_empty() {
            return Ok(());
        }
        self.at_step(Step::Prop(name.to_string()), a_obj, |c| {
            let w_named = c.w_declares(h.m, name);
            let r_named = class == "properties";
            // Where both sides (or neither) declare the property, its own reasons are the
            // findings (warnings included); otherwise the change of content model is.
            if r_named == w_named {
                return c.descend(&wa, &rs);
            }
            if rs.iter().all(|&x| c.holds(&wa, x)) {
                return Ok(());
            }
            if r_named {
                c.property_added(h, a_obj, name, &wa, &rs)
            } else {
                c.property_removed(h, a_obj, (name, class), &wa, &rs)
            }
        })
    }

    /// A property new in the reader whose schema rejects values the writer's open or partially
    /// open object allows under that name.
    fn property_added(&mut self, h: &Here, a_obj: &Alt, name: &str, wa: &Alt, rs: &[NodeId]) -> Go {
        let open = wa.pos.is_empty();
        let lenient = self.policy == Policy::Lenient && open && !h.k.requires(name);
        let (rule, help) = if open {
            (
                &rules::JSON_PROPERTY_ADDED_TO_OPEN_MODEL,
                "close the model in the earlier version (\"additionalProperties\": false) before adding properties, give the new property no constraints, or use `policy: lenient` if no writer ever sent undeclared properties",
            )
        } else {
            (
                &rules::JSON_PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL,
                "make the new property's schema accept everything the additionalProperties/patternProperties schema allows",
            )
        };
        let at = At::new(rule, help, a_obj)
            .r(rs[0], "")
            .w("properties")
            .lenient(lenient);
        self.emit(
            at,
            |_, reader, writer| {
                if open {
                    format!(
                        "property `{name}` is new in {reader}, but {writer}'s object is open: its data may hold any value under `{name}`, and {reader} rejects some"
                    )
                } else {
                    format!(
                        "property `{name}` is new in {reader}, and the schema {writer} applies to undeclared properties allows values under `{name}` that {reader} rejects"
                    )
                }
            },
            |c| c.example(wa, rs, Vec::new()),
        )
    }

    /// A property of the writer's that the reader no longer declares, whose values the reader's
    /// schema for undeclared properties (`class`) rejects, or all of them (a closed model).
    fn property_removed(
        &mut self,
        h: &Here,
        a_obj: &Alt,
        (name, class): (&str, &'static str),
        wa: &Alt,
        rs: &[NodeId],
    ) -> Go {
        let closed = rs.iter().any(|&x| self.r.is_false(x));
        let lenient = self.policy == Policy::Lenient && closed;
        let (rule, help) = if closed {
            (
                &rules::JSON_PROPERTY_REMOVED_FROM_CLOSED_MODEL,
                "keep the property declared while any writer may send it",
            )
        } else {
            (
                &rules::JSON_PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL,
                "keep the property declared, or make the schema for undeclared properties accept its values",
            )
        };
        let at = At::new(rule, help, a_obj)
            .r(h.r, class)
            .w("properties")
            .w_node(wa.pos.first().copied())
            .lenient(lenient);
        self.emit(
            at,
            |_, reader, writer| {
                if closed {
                    format!(
                        "property `{name}` of {writer} is gone from {reader}, whose object is closed (`{class}: false`)"
                    )
                } else {
                    format!(
                        "property `{name}` of {writer} is gone from {reader}, and {reader}'s `{class}` schema rejects some of its values"
                    )
                }
            },
            |c| c.example(wa, rs, Vec::new()),
        )
    }

    fn required_added(&mut self, h: &Here, a_obj: &Alt) -> Go {
        let w_required: HashSet<&str> = h.m.required.iter().map(String::as_str).collect();
        for name in &h.k.required {
            if w_required.contains(name.as_str()) {
                continue;
            }
            let at = At::new(
                &rules::JSON_REQUIRED_ADDED,
                "add the property as optional; require it only in a new subject (or once every writer sends it)",
                a_obj,
            )
            .r(h.r, "required")
            .w("required");
            self.emit(
                at,
                |c, reader, writer| {
                    format!(
                        "{reader} requires property `{name}`{}, but {writer} does not: its data may omit it",
                        c.at_path()
                    )
                },
                |c| {
                    let targeted: Vec<Value> = c.witness(a_obj).into_iter().collect();
                    c.example(h.a, &[h.r], targeted)
                },
            )?;
        }
        Ok(())
    }

    fn dependent_required_added(&mut self, h: &Here, a_obj: &Alt) -> Go {
        let m = h.m;
        let w_required: HashSet<&str> = m.required.iter().map(String::as_str).collect();
        for (key, deps) in &h.k.dependent_required {
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
                let keyword = if self.r.draft >= crate::schema::json::Draft::D2019 {
                    "dependentRequired"
                } else {
                    "dependencies"
                };
                let at = At::new(
                    &rules::JSON_DEPENDENT_REQUIRED_ADDED,
                    "declare the dependency from the first version",
                    a_obj,
                )
                .r(h.r, keyword)
                .w("properties");
                let example = |c: &mut Self| {
                    let mut targeted = Vec::new();
                    if let (Some(Value::Object(mut base)), Some(v)) =
                        (c.witness(a_obj), c.witness(&ka))
                    {
                        base.insert(key.clone(), v);
                        base.remove(dep);
                        targeted.push(Value::Object(base));
                    }
                    c.example(h.a, &[h.r], targeted)
                };
                self.emit(
                    at,
                    |c, reader, writer| {
                        format!(
                            "{reader} requires `{dep}` whenever `{key}` is present{}, but {writer} does not",
                            c.at_path()
                        )
                    },
                    example,
                )?;
            }
        }
        Ok(())
    }

    fn min_properties_increased(&mut self, h: &Here, a_obj: &Alt) -> Go {
        let w_min = h.m.min_props.max(h.m.required.len() as u64);
        let Some(rm) = h.k.min_properties.filter(|&rm| rm > w_min) else {
            return Ok(());
        };
        let at = At::new(
            &rules::JSON_MIN_PROPERTIES_INCREASED,
            "keep minProperties at most what the other version guarantees",
            a_obj,
        )
        .r(h.r, "minProperties")
        .w("minProperties");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{reader} needs at least {rm} properties{}, but {writer} guarantees {w_min}",
                    c.at_path()
                )
            },
            |c| {
                let targeted: Vec<Value> = c.witness(a_obj).into_iter().collect();
                c.example(h.a, &[h.r], targeted)
            },
        )
    }

    fn max_properties_decreased(
        &mut self,
        h: &Here,
        a_obj: &Alt,
        closed_names: Option<&[String]>,
    ) -> Go {
        let mut w_max = h.m.max_props;
        if let Some(c) = closed_names {
            let l = c.len() as u64;
            w_max = Some(w_max.map_or(l, |x| x.min(l)));
        }
        let Some(rx) =
            h.k.max_properties
                .filter(|&rx| w_max.is_none_or(|w| w > rx))
        else {
            return Ok(());
        };
        let at = At::new(
            &rules::JSON_MAX_PROPERTIES_DECREASED,
            "keep maxProperties at least what the other version allows",
            a_obj,
        )
        .r(h.r, "maxProperties")
        .w("maxProperties");
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{reader} allows at most {rx} properties{}, but {writer} allows {}",
                    c.at_path(),
                    w_max.map_or("any number".to_string(), |w| w.to_string())
                )
            },
            |c| {
                let targeted = c.object_with_extra(a_obj, h.m, rx as usize + 1);
                c.example(h.a, &[h.r], targeted.into_iter().collect())
            },
        )
    }

    fn property_names_narrowed(
        &mut self,
        h: &Here,
        a_obj: &Alt,
        closed_names: Option<&[String]>,
    ) -> Go {
        let Some(pn) = h.k.property_names else {
            return Ok(());
        };
        let wpn: Vec<NodeId> =
            h.m.objs
                .iter()
                .filter_map(|&n| self.w.keywords(n).and_then(|wk| wk.property_names))
                .collect();
        let fine = if !wpn.is_empty() {
            let alt = Alt {
                pos: wpn,
                neg: Vec::new(),
                types: types::STRING,
            };
            self.holds(&alt, pn)
        } else if let Some(names) = closed_names {
            names
                .iter()
                .all(|n| super::eval::accepts(self.r, pn, &Value::String(n.clone())) == Some(true))
        } else {
            false
        };
        if fine {
            return Ok(());
        }
        let at = At::new(
            &rules::JSON_PROPERTY_NAMES_NARROWED,
            "declare propertyNames from the first version, or close the model",
            a_obj,
        )
        .r(h.r, "propertyNames")
        .w("propertyNames");
        let example = |c: &mut Self| {
            let mut targeted = Vec::new();
            for name in ["extra", "X", "a-b", "1", "Some Name", &"x".repeat(70)] {
                if super::eval::accepts(c.r, pn, &Value::String(name.into())) == Some(false)
                    && let Some(wa) = view::member_alt(c.w, &h.m.objs, name)
                    && let (Some(Value::Object(mut base)), Some(v)) =
                        (c.witness(a_obj), c.witness(&wa))
                {
                    base.insert(name.to_string(), v);
                    targeted.push(Value::Object(base));
                }
            }
            c.example(h.a, &[h.r], targeted)
        };
        self.emit(
            at,
            |c, reader, writer| {
                format!(
                    "{reader}'s `propertyNames`{} may reject names {writer} allows",
                    c.at_path()
                )
            },
            example,
        )
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
    fn rest_properties(&mut self, h: &Here, a_obj: &Alt, names: &[String]) -> Go {
        let mut rest = self.writer_classes(h.m, names);
        // Reader patterns. A pattern the writer has too (same text) applies the writer's schema
        // to every name it matches, whatever other class the name falls in: one comparison
        // decides it. A pattern new in the reader is compared with each writer class whose names
        // may match it, and reported once with every such class.
        for (q, t) in &h.k.pattern_properties {
            self.pattern_properties_changed(h, a_obj, &mut rest, q, *t)?;
        }
        // The reader's schema for undeclared names, against each writer class it applies to.
        let Some((ra, kw)) = reader_additional(self.r, h.k) else {
            return Ok(());
        };
        let r_patterns: HashSet<&str> =
            h.k.pattern_properties
                .iter()
                .map(|(q, _)| q.as_str())
                .collect();
        for i in 0..rest.classes.len() {
            if let Some(pp) = &rest.classes[i].0
                && r_patterns.contains(pp.as_str())
            {
                continue;
            }
            self.additional_properties_narrowed(h, a_obj, &rest, i, (ra, kw))?;
        }
        Ok(())
    }

    /// The writer's classes of undeclared names: one per pattern, and the additional one unless
    /// the writer closes its object.
    fn writer_classes<'n>(&self, m: &Merged, names: &'n [String]) -> Rest<'n> {
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
        let mut w_same: HashMap<String, Alt> = HashMap::new();
        for (p, wa) in &classes {
            if let Some(p) = p {
                w_same
                    .entry(p.clone())
                    .and_modify(|x| {
                        for &n in &wa.pos {
                            *x = x.and(n);
                        }
                    })
                    .or_insert_with(|| wa.clone());
            }
        }
        let shapes = classes
            .iter()
            .map(|(p, _)| p.as_deref().and_then(Shape::of))
            .collect();
        let mut rest = Rest {
            classes,
            w_patterns,
            names,
            w_same,
            shapes,
            interned: HashMap::new(),
            class_keys: Vec::new(),
            verdicts: HashMap::new(),
        };
        rest.class_keys = (0..rest.classes.len())
            .map(|i| rest.intern(format!("w{}", alt_key(self.w, &rest.classes[i].1))))
            .collect();
        rest
    }

    /// A reader pattern `q` (schema `t`) against each writer class whose names it may match.
    fn pattern_properties_changed(
        &mut self,
        h: &Here,
        a_obj: &Alt,
        rest: &mut Rest,
        q: &str,
        t: NodeId,
    ) -> Go {
        let q_shape = Shape::of(q);
        // (index into `classes`, or None for the writer's own schemas for `q`)
        let candidates: Vec<Option<usize>> = if rest.w_same.contains_key(q) {
            vec![None]
        } else {
            (0..rest.classes.len())
                .filter(|&i| match &rest.classes[i].0 {
                    Some(p) => self.may_overlap(p, rest.shapes[i].as_ref(), q, q_shape.as_ref()),
                    None => true,
                })
                .map(Some)
                .collect()
        };
        let rkey = rest.intern(format!("r{}", node_key(self.r, t)));
        let Some(first) =
            (0..candidates.len()).find(|&i| !self.class_holds(rest, candidates[i], q, (t, rkey)))
        else {
            return Ok(());
        };
        self.failed(|c| {
            let failed: Vec<Option<usize>> = candidates[first..]
                .iter()
                .copied()
                .filter(|&x| !c.class_holds(rest, x, q, (t, rkey)))
                .collect();
            let name = jsonschema_regex::pattern_witness(q)
                .filter(|n| !rest.names.contains(n))
                .unwrap_or_else(|| fresh_name(c, rest.names, &rest.w_patterns, h.k));
            let _ = c.at_step(Step::Prop(name), a_obj, |c| {
                c.pattern_properties_finding(a_obj, rest, (q, t), &failed)
            });
        })
    }

    /// Does reader schema `t` (interned as `rkey`) accept every value of writer class `class`
    /// (None: the writer's own schemas for pattern `q`)? Decided once per pair of schemas.
    fn class_holds(
        &mut self,
        rest: &mut Rest,
        class: Option<usize>,
        q: &str,
        (t, rkey): (NodeId, usize),
    ) -> bool {
        let wkey = match class {
            Some(i) => rest.class_keys[i],
            None => {
                let key = format!("w{}", alt_key(self.w, &rest.w_same[q]));
                rest.intern(key)
            }
        };
        if let Some(&v) = rest.verdicts.get(&(wkey, rkey)) {
            return v;
        }
        let wa = match class {
            Some(i) => &rest.classes[i].1,
            None => &rest.w_same[q],
        };
        let v = self.holds(wa, t);
        rest.verdicts.insert((wkey, rkey), v);
        v
    }

    /// The finding for reader pattern `q` (schema `t`), naming the writer classes that `failed`.
    fn pattern_properties_finding(
        &mut self,
        a_obj: &Alt,
        rest: &Rest,
        (q, t): (&str, NodeId),
        failed: &[Option<usize>],
    ) -> Go {
        let wa = match failed[0] {
            Some(i) => rest.classes[i].1.clone(),
            None => rest.w_same.get(q).cloned().unwrap_or_else(Alt::any),
        };
        let at = At::new(
            &rules::JSON_PATTERN_PROPERTIES_CHANGED,
            "keep each pattern with the same or a wider schema",
            a_obj,
        )
        .r(t, "")
        .w("patternProperties")
        .w_node(wa.pos.first().copied())
        .of_object();
        let message = |c: &Self, reader: &str, writer: &str| {
            let describe = |x: Option<usize>| match x.map(|i| &rest.classes[i].0) {
                None => format!("properties matching `{q}`"),
                Some(Some(p)) => format!("properties matching `{p}` (which may also match `{q}`)"),
                Some(None) => "undeclared properties".to_string(),
            };
            let mut whose: Vec<String> = failed.iter().take(3).map(|&x| describe(x)).collect();
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
            format!(
                "properties matching `{q}` must match its schema in {reader}{}, but {writer} allows other values for {whose}",
                c.parent_path()
            )
        };
        self.emit(at, message, |c| c.example(&wa, &[t], Vec::new()))
    }

    /// The reader's schema for undeclared names (`ra`, written as `kw`) against writer class `i`.
    fn additional_properties_narrowed(
        &mut self,
        h: &Here,
        a_obj: &Alt,
        rest: &Rest,
        i: usize,
        (ra, kw): (NodeId, &'static str),
    ) -> Go {
        let (p, wa) = &rest.classes[i];
        if self.holds(wa, ra) {
            return Ok(());
        }
        self.failed(|c| {
            let name = match p {
                Some(p) => jsonschema_regex::pattern_witness(p).unwrap_or_else(|| "x".into()),
                None => fresh_name(c, rest.names, &rest.w_patterns, h.k),
            };
            let at = At::new(
                &rules::JSON_ADDITIONAL_PROPERTIES_NARROWED,
                "close the model from the first version, or keep the schema for undeclared properties as wide as before",
                a_obj,
            )
            .r(h.r, kw)
            .w("additionalProperties")
            .of_object();
            let message = |c: &Self, reader: &str, writer: &str| {
                let whose = match p {
                    Some(pp) => format!("properties matching `{pp}`"),
                    None if wa.pos.is_empty() => {
                        "any undeclared property (its object is open)".to_string()
                    }
                    None => "undeclared properties".to_string(),
                };
                if c.r.is_false(ra) {
                    format!(
                        "{reader} accepts no undeclared properties{} (`{kw}: false`), but {writer} allows {whose}",
                        c.parent_path()
                    )
                } else {
                    format!(
                        "undeclared properties{} must match {reader}'s `{kw}` schema, but {writer} allows other values for {whose}",
                        c.parent_path()
                    )
                }
            };
            let _ = c.at_step(Step::Prop(name), a_obj, |c| {
                c.emit(at, message, |c| c.example(wa, &[ra], Vec::new()))
            });
        })
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
        let mut c = self.object_path();
        if !c.is_empty() {
            c = format!(" at `{c}`");
        }
        c
    }
}

/// The writer's classes of undeclared property names, and what deciding them has learnt.
struct Rest<'n> {
    /// Each writer pattern (Some) with its schema, and the additional class (None).
    classes: Vec<(Option<String>, Alt)>,
    w_patterns: Vec<String>,
    /// The declared names, which a made-up undeclared name avoids.
    names: &'n [String],
    /// Each writer pattern's text with the conjunction of its schemas.
    w_same: HashMap<String, Alt>,
    shapes: Vec<Option<Shape>>,
    /// Patterns often share one schema: a pair of schemas written alike is decided once.
    interned: HashMap<String, usize>,
    class_keys: Vec<usize>,
    verdicts: HashMap<(usize, usize), bool>,
}

impl Rest<'_> {
    fn intern(&mut self, key: String) -> usize {
        let next = self.interned.len();
        *self.interned.entry(key).or_insert(next)
    }
}

/// The reader's schema for undeclared names and the keyword it is written as, where one applies.
fn reader_additional(s: &JsonSchema, k: &Keywords) -> Option<(NodeId, &'static str)> {
    match (k.additional_properties, k.unevaluated_properties) {
        (Some(ap), _) => Some((ap, "additionalProperties")),
        (None, Some(u)) => {
            let sure = k
                .ref_
                .iter()
                .chain(&k.all_of)
                .any(|&c| view::evaluates_property(s, c, "\u{1}", true));
            (!sure).then_some((u, "unevaluatedProperties"))
        }
        _ => None,
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
