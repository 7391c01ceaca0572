//! The Avro change list: old and new types walked together, paired by the matchers the engine
//! uses (`writer_field` for fields and aliases, `names_match` for named types and union branches).
//! Each change carries the engine's readable path and its pointers in both versions, so findings
//! attach by either.

use super::{Change, Family, Place};
use crate::compat::avro::{join, names_match, promotes, shown as at, writer_field};
use crate::schema::avro::{AvroSchema, Kind, TypeId};
use std::collections::HashSet;

/// The semantic changes from `old` to `new`, not yet judged (see `diff_versions`).
pub fn avro_changes(old: &AvroSchema, new: &AvroSchema) -> Vec<Change> {
    changes(old, new)
}

pub(super) fn changes(old: &AvroSchema, new: &AvroSchema) -> Vec<Change> {
    let mut w = Walker {
        old,
        new,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    w.walk(old.root, new.root, "");
    w.out
}

/// The engine rules through which a kind of change can break readers.
fn rules_of(kind: &str) -> &'static [&'static str] {
    match kind {
        // A rename is read through the reader's alias: readers of the old name cannot find it.
        "field-added" | "field-removed" | "field-renamed" => &["avro-field-missing-default"],
        "type-changed" | "type-promoted" => &["avro-type-mismatch", "avro-union-branch-missing"],
        "union-branch-added" | "union-branch-removed" => &["avro-union-branch-missing"],
        "enum-symbol-added" | "enum-symbol-removed" | "enum-default-changed" => {
            &["avro-enum-symbol-missing"]
        }
        "fixed-size-changed" => &["avro-fixed-size-mismatch"],
        "name-changed" => &["avro-name-mismatch"],
        "logical-type-changed" => &["avro-decimal-mismatch", "avro-logical-type-changed"],
        // Defaults of fields present on both sides, docs, namespaces and renames covered by an
        // alias never stop resolution.
        _ => &[],
    }
}

fn family_of(kind: &str) -> Family {
    match kind {
        "field-added" | "field-removed" | "field-renamed" => Family::Fields,
        "default-added" | "default-removed" | "default-changed" => Family::Defaults,
        "doc-changed" => Family::Annotations,
        "enum-symbol-added" | "enum-symbol-removed" | "enum-default-changed" => Family::Symbols,
        "union-branch-added" | "union-branch-removed" => Family::Unions,
        "name-changed" | "namespace-changed" => Family::Names,
        _ => Family::Types,
    }
}

struct Walker<'a> {
    old: &'a AvroSchema,
    new: &'a AvroSchema,
    seen: HashSet<(TypeId, TypeId)>,
    out: Vec<Change>,
}

fn place(s: &AvroSchema, pointer: &str, exact: bool) -> Place {
    let l = s.location(pointer);
    (l.file, l.pointer, exact)
}

impl Walker<'_> {
    /// A change at `new_ptr` / `old_ptr` (each with whether it names the element itself).
    fn push(
        &mut self,
        kind: &'static str,
        path: &str,
        new_ptr: (&str, bool),
        old_ptr: (&str, bool),
        message: String,
    ) {
        let c = Change::new(
            family_of(kind),
            kind,
            path,
            place(self.new, new_ptr.0, new_ptr.1),
            place(self.old, old_ptr.0, old_ptr.1),
            message,
        )
        .rules(rules_of(kind))
        .by_path();
        self.out.push(c);
    }

    fn walk(&mut self, o: TypeId, n: TypeId, path: &str) {
        if !self.seen.insert((o, n)) {
            return;
        }
        let (ot, nt) = (self.old.ty(o), self.new.ty(n));
        let (op, np) = (ot.pointer.clone(), nt.pointer.clone());
        match (&ot.kind, &nt.kind) {
            (Kind::Record(or), Kind::Record(nr)) => {
                self.names(o, n, path);
                let mut matched = HashSet::new();
                for nf in &nr.fields {
                    let fpath = join(path, &nf.name);
                    match writer_field(nf, or) {
                        Some(of) => {
                            matched.insert(of.name.clone());
                            let (ofp, nfp) = (of.pointer.as_str(), nf.pointer.as_str());
                            if of.name != nf.name {
                                self.push(
                                    "field-renamed",
                                    &fpath,
                                    (&format!("{nfp}/name"), true),
                                    (&format!("{ofp}/name"), true),
                                    format!(
                                        "field `{}` renamed to `{}` (alias `{}`)",
                                        of.name, nf.name, of.name
                                    ),
                                );
                            }
                            let (od, nd) = (format!("{ofp}/default"), format!("{nfp}/default"));
                            match (&of.default, &nf.default) {
                                (None, Some(d)) => self.push(
                                    "default-added",
                                    &fpath,
                                    (&nd, true),
                                    (ofp, false),
                                    format!("`{fpath}` gained the default {}", d.to_serde()),
                                ),
                                (Some(d), None) => self.push(
                                    "default-removed",
                                    &fpath,
                                    (nfp, false),
                                    (&od, true),
                                    format!("`{fpath}` lost its default {}", d.to_serde()),
                                ),
                                (Some(a), Some(b)) if a.to_serde() != b.to_serde() => self.push(
                                    "default-changed",
                                    &fpath,
                                    (&nd, true),
                                    (&od, true),
                                    format!(
                                        "`{fpath}`'s default changed from {} to {}",
                                        a.to_serde(),
                                        b.to_serde()
                                    ),
                                ),
                                _ => {}
                            }
                            if of.doc != nf.doc {
                                self.push(
                                    "doc-changed",
                                    &fpath,
                                    (&format!("{nfp}/doc"), nf.doc.is_some()),
                                    (&format!("{ofp}/doc"), of.doc.is_some()),
                                    format!("`{fpath}`'s doc changed"),
                                );
                            }
                            self.walk(of.ty, nf.ty, &fpath);
                        }
                        None => {
                            let how = match &nf.default {
                                Some(d) => format!("with default {}", d.to_serde()),
                                None => "without a default".to_string(),
                            };
                            self.push(
                                "field-added",
                                &fpath,
                                (&nf.pointer, true),
                                (&op, false),
                                format!(
                                    "field `{fpath}` ({}) added {how}",
                                    self.new.describe(nf.ty)
                                ),
                            );
                        }
                    }
                }
                for of in or.fields.iter().filter(|f| !matched.contains(&f.name)) {
                    let fpath = join(path, &of.name);
                    let how = if of.default.is_some() {
                        "it had a default"
                    } else {
                        "it had no default"
                    };
                    self.push(
                        "field-removed",
                        &fpath,
                        (&np, false),
                        (&of.pointer, true),
                        format!(
                            "field `{fpath}` ({}) removed; {how}",
                            self.old.describe(of.ty)
                        ),
                    );
                }
            }
            (Kind::Enum(oe), Kind::Enum(ne)) => {
                self.names(o, n, path);
                let (os, ns) = (format!("{op}/symbols"), format!("{np}/symbols"));
                for s in ne.symbols.iter().filter(|s| !oe.has(s)) {
                    self.push(
                        "enum-symbol-added",
                        path,
                        (&ns, true),
                        (&os, true),
                        format!("enum {} gained symbol `{s}`", at(path)),
                    );
                }
                for s in oe.symbols.iter().filter(|s| !ne.has(s)) {
                    self.push(
                        "enum-symbol-removed",
                        path,
                        (&ns, true),
                        (&os, true),
                        format!("enum {} lost symbol `{s}`", at(path)),
                    );
                }
                if oe.default != ne.default {
                    let show = |d: &Option<String>| {
                        d.as_ref()
                            .map(|d| format!("`{d}`"))
                            .unwrap_or_else(|| "none".into())
                    };
                    self.push(
                        "enum-default-changed",
                        path,
                        (&format!("{np}/default"), ne.default.is_some()),
                        (&format!("{op}/default"), oe.default.is_some()),
                        format!(
                            "enum {}'s default changed from {} to {}",
                            at(path),
                            show(&oe.default),
                            show(&ne.default)
                        ),
                    );
                }
            }
            (Kind::Fixed(of), Kind::Fixed(nf)) => {
                self.names(o, n, path);
                if of.size != nf.size {
                    self.push(
                        "fixed-size-changed",
                        path,
                        (&format!("{np}/size"), true),
                        (&format!("{op}/size"), true),
                        format!(
                            "fixed {} changed size from {} to {} bytes",
                            at(path),
                            of.size,
                            nf.size
                        ),
                    );
                }
                self.logical(o, n, path);
            }
            (Kind::Array(oi), Kind::Array(ni)) => self.walk(*oi, *ni, &format!("{path}[]")),
            (Kind::Map(ov), Kind::Map(nv)) => self.walk(*ov, *nv, &format!("{path}{{}}")),
            (Kind::Union(ob), Kind::Union(nb)) => {
                // Pair branches as resolution would: same kind and name.
                let mut used = HashSet::new();
                for &nb_id in nb {
                    match ob
                        .iter()
                        .find(|&&ob_id| !used.contains(&ob_id) && self.same_branch(ob_id, nb_id))
                    {
                        Some(&ob_id) => {
                            used.insert(ob_id);
                            self.walk(ob_id, nb_id, path);
                        }
                        None => {
                            let bp = self.new.ty(nb_id).pointer.clone();
                            self.push(
                                "union-branch-added",
                                path,
                                (&bp, true),
                                (&op, false),
                                format!(
                                    "{} may now also hold {}",
                                    at(path),
                                    self.new.describe(nb_id)
                                ),
                            )
                        }
                    }
                }
                for &ob_id in ob.iter().filter(|b| !used.contains(b)) {
                    let bp = self.old.ty(ob_id).pointer.clone();
                    self.push(
                        "union-branch-removed",
                        path,
                        (&np, false),
                        (&bp, true),
                        format!(
                            "{} may no longer hold {}",
                            at(path),
                            self.old.describe(ob_id)
                        ),
                    );
                }
            }
            (_, Kind::Union(_)) => self.push(
                "type-changed",
                path,
                (&np, true),
                (&op, true),
                format!(
                    "{} changed from {} to the union {}",
                    at(path),
                    self.old.describe(o),
                    self.new.describe(n)
                ),
            ),
            (Kind::Union(_), _) => self.push(
                "type-changed",
                path,
                (&np, true),
                (&op, true),
                format!(
                    "{} changed from the union {} to {}",
                    at(path),
                    self.old.describe(o),
                    self.new.describe(n)
                ),
            ),
            (ok, nk) if std::mem::discriminant(ok) == std::mem::discriminant(nk) => {
                self.logical(o, n, path)
            }
            _ => {
                let kind = if promotes(&nt.kind, &ot.kind) {
                    "type-promoted"
                } else {
                    "type-changed"
                };
                self.push(
                    kind,
                    path,
                    (&np, true),
                    (&op, true),
                    format!(
                        "{} changed from {} to {}",
                        at(path),
                        self.old.describe(o),
                        self.new.describe(n)
                    ),
                );
            }
        }
    }

    fn same_branch(&self, o: TypeId, n: TypeId) -> bool {
        let (ok, nk) = (&self.old.ty(o).kind, &self.new.ty(n).kind);
        match (ok.name(), nk.name()) {
            (Some(_), Some(_)) => {
                std::mem::discriminant(ok) == std::mem::discriminant(nk)
                    && (names_match(nk, ok) || names_match(ok, nk))
            }
            (None, None) => std::mem::discriminant(ok) == std::mem::discriminant(nk),
            _ => false,
        }
    }

    fn names(&mut self, o: TypeId, n: TypeId, path: &str) {
        let (ot, nt) = (self.old.ty(o), self.new.ty(n));
        let (ok, nk) = (&ot.kind, &nt.kind);
        let (Some(on), Some(nn)) = (ok.name(), nk.name()) else {
            return;
        };
        let (op, np) = (ot.pointer.clone(), nt.pointer.clone());
        if on.name != nn.name {
            let how = if names_match(nk, ok) {
                "with an alias for the old name"
            } else {
                "without an alias for the old name"
            };
            let message = format!(
                "{} `{}` renamed to `{}` {how}",
                nk.type_name(),
                on.fullname(),
                nn.fullname()
            );
            self.push(
                "name-changed",
                path,
                (&format!("{np}/name"), true),
                (&format!("{op}/name"), true),
                message,
            );
        } else if on.namespace != nn.namespace {
            let message = format!(
                "{} `{}` moved to namespace `{}`",
                nk.type_name(),
                on.fullname(),
                nn.namespace
            );
            self.push(
                "namespace-changed",
                path,
                (&np, false),
                (&op, false),
                message,
            );
        }
    }

    fn logical(&mut self, o: TypeId, n: TypeId, path: &str) {
        let (ot, nt) = (self.old.ty(o), self.new.ty(n));
        if ot.logical != nt.logical {
            let show = |l: &Option<crate::schema::avro::Logical>| {
                l.as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_else(|| "no logical type".into())
            };
            let message = format!(
                "{} changed from {} to {}",
                at(path),
                show(&ot.logical),
                show(&nt.logical)
            );
            let (op, np) = (ot.pointer.clone(), nt.pointer.clone());
            self.push(
                "logical-type-changed",
                path,
                (&np, true),
                (&op, true),
                message,
            );
        }
    }
}
