//! The Avro change list: old and new types walked together, paired by the matchers the engine
//! uses (`writer_field` for fields and aliases, `names_match` for named types and union branches).
//! Each change carries the engine's readable path and its pointers in both versions, so findings
//! attach by either.

use super::{Change, ChangeKind, Family, Place, rule_list};
use crate::compat::avro::{join, names_match, promotes, shown as at, writer_field};
use crate::rules::Rule;
use crate::schema::avro::{AvroSchema, Enum, Field, Kind, Record, TypeId};
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

/// An Avro change, one of a fixed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvroChange {
    FieldAdded,
    FieldRemoved,
    /// Renamed with an alias for the old name.
    FieldRenamed,
    DefaultAdded,
    DefaultRemoved,
    DefaultChanged,
    DocChanged,
    EnumSymbolAdded,
    EnumSymbolRemoved,
    EnumDefaultChanged,
    FixedSizeChanged,
    UnionBranchAdded,
    UnionBranchRemoved,
    TypeChanged,
    /// To a type the old one promotes to (`int` → `long`).
    TypePromoted,
    NameChanged,
    NamespaceChanged,
    LogicalTypeChanged,
}

impl AvroChange {
    pub fn as_str(self) -> &'static str {
        use AvroChange::*;
        match self {
            FieldAdded => "field-added",
            FieldRemoved => "field-removed",
            FieldRenamed => "field-renamed",
            DefaultAdded => "default-added",
            DefaultRemoved => "default-removed",
            DefaultChanged => "default-changed",
            DocChanged => "doc-changed",
            EnumSymbolAdded => "enum-symbol-added",
            EnumSymbolRemoved => "enum-symbol-removed",
            EnumDefaultChanged => "enum-default-changed",
            FixedSizeChanged => "fixed-size-changed",
            UnionBranchAdded => "union-branch-added",
            UnionBranchRemoved => "union-branch-removed",
            TypeChanged => "type-changed",
            TypePromoted => "type-promoted",
            NameChanged => "name-changed",
            NamespaceChanged => "namespace-changed",
            LogicalTypeChanged => "logical-type-changed",
        }
    }

    /// The engine rules through which this change can break readers.
    pub fn rules(self) -> &'static [&'static Rule] {
        use AvroChange::*;
        match self {
            // A rename is read through the reader's alias: readers of the old name cannot find it.
            FieldAdded | FieldRemoved | FieldRenamed => rule_list![AVRO_FIELD_MISSING_DEFAULT],
            TypeChanged | TypePromoted => {
                rule_list![AVRO_TYPE_MISMATCH, AVRO_UNION_BRANCH_MISSING]
            }
            UnionBranchAdded | UnionBranchRemoved => rule_list![AVRO_UNION_BRANCH_MISSING],
            EnumSymbolAdded | EnumSymbolRemoved | EnumDefaultChanged => {
                rule_list![AVRO_ENUM_SYMBOL_MISSING]
            }
            FixedSizeChanged => rule_list![AVRO_FIXED_SIZE_MISMATCH],
            NameChanged => rule_list![AVRO_NAME_MISMATCH],
            LogicalTypeChanged => rule_list![AVRO_DECIMAL_MISMATCH, AVRO_LOGICAL_TYPE_CHANGED],
            // Defaults of fields present on both sides, docs, namespaces and renames covered by
            // an alias never stop resolution.
            DefaultAdded | DefaultRemoved | DefaultChanged | DocChanged | NamespaceChanged => &[],
        }
    }

    pub fn family(self) -> Family {
        use AvroChange::*;
        match self {
            FieldAdded | FieldRemoved | FieldRenamed => Family::Fields,
            DefaultAdded | DefaultRemoved | DefaultChanged => Family::Defaults,
            DocChanged => Family::Annotations,
            EnumSymbolAdded | EnumSymbolRemoved | EnumDefaultChanged => Family::Symbols,
            UnionBranchAdded | UnionBranchRemoved => Family::Unions,
            NameChanged | NamespaceChanged => Family::Names,
            TypeChanged | TypePromoted | FixedSizeChanged | LogicalTypeChanged => Family::Types,
        }
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
        kind: AvroChange,
        path: &str,
        new_ptr: (&str, bool),
        old_ptr: (&str, bool),
        message: String,
    ) {
        let c = Change::new(
            ChangeKind::Avro(kind),
            path,
            place(self.new, new_ptr.0, new_ptr.1),
            place(self.old, old_ptr.0, old_ptr.1),
            message,
        )
        .by_path();
        self.out.push(c);
    }

    fn walk(&mut self, o: TypeId, n: TypeId, path: &str) {
        if !self.seen.insert((o, n)) {
            return;
        }
        let (ot, nt) = (self.old.ty(o), self.new.ty(n));
        match (&ot.kind, &nt.kind) {
            (Kind::Record(or), Kind::Record(nr)) => {
                self.names(o, n, path);
                self.record(or, nr, (&ot.pointer, &nt.pointer), path);
            }
            (Kind::Enum(oe), Kind::Enum(ne)) => {
                self.names(o, n, path);
                self.symbols(oe, ne, (&ot.pointer, &nt.pointer), path);
            }
            (Kind::Fixed(of), Kind::Fixed(nf)) => {
                self.names(o, n, path);
                if of.size != nf.size {
                    self.push(
                        AvroChange::FixedSizeChanged,
                        path,
                        (&format!("{}/size", nt.pointer), true),
                        (&format!("{}/size", ot.pointer), true),
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
                self.union(ob, nb, (&ot.pointer, &nt.pointer), path)
            }
            (ok, nk) if std::mem::discriminant(ok) == std::mem::discriminant(nk) => {
                self.logical(o, n, path)
            }
            _ => self.type_changed(o, n, path),
        }
    }

    /// Two records' fields, paired by name or alias as the engine pairs them.
    fn record(&mut self, or: &Record, nr: &Record, (op, np): (&str, &str), path: &str) {
        let mut matched = HashSet::new();
        for nf in &nr.fields {
            let fpath = join(path, &nf.name);
            match writer_field(nf, or) {
                Some(of) => {
                    matched.insert(of.name.clone());
                    self.field(of, nf, &fpath);
                }
                None => {
                    let how = match &nf.default {
                        Some(d) => format!("with default {}", d.to_serde()),
                        None => "without a default".to_string(),
                    };
                    let message =
                        format!("field `{fpath}` ({}) added {how}", self.new.describe(nf.ty));
                    let (new_at, old_at) = ((nf.pointer.as_str(), true), (op, false));
                    self.push(AvroChange::FieldAdded, &fpath, new_at, old_at, message);
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
            let message = format!(
                "field `{fpath}` ({}) removed; {how}",
                self.old.describe(of.ty)
            );
            let (new_at, old_at) = ((np, false), (of.pointer.as_str(), true));
            self.push(AvroChange::FieldRemoved, &fpath, new_at, old_at, message);
        }
    }

    /// A field present in both versions: its name, default, doc and type.
    fn field(&mut self, of: &Field, nf: &Field, fpath: &str) {
        let (ofp, nfp) = (of.pointer.as_str(), nf.pointer.as_str());
        if of.name != nf.name {
            self.push(
                AvroChange::FieldRenamed,
                fpath,
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
                AvroChange::DefaultAdded,
                fpath,
                (&nd, true),
                (ofp, false),
                format!("`{fpath}` gained the default {}", d.to_serde()),
            ),
            (Some(d), None) => self.push(
                AvroChange::DefaultRemoved,
                fpath,
                (nfp, false),
                (&od, true),
                format!("`{fpath}` lost its default {}", d.to_serde()),
            ),
            (Some(a), Some(b)) if a.to_serde() != b.to_serde() => self.push(
                AvroChange::DefaultChanged,
                fpath,
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
                AvroChange::DocChanged,
                fpath,
                (&format!("{nfp}/doc"), nf.doc.is_some()),
                (&format!("{ofp}/doc"), of.doc.is_some()),
                format!("`{fpath}`'s doc changed"),
            );
        }
        self.walk(of.ty, nf.ty, fpath);
    }

    /// Two enums' symbols and defaults.
    fn symbols(&mut self, oe: &Enum, ne: &Enum, (op, np): (&str, &str), path: &str) {
        let (os, ns) = (format!("{op}/symbols"), format!("{np}/symbols"));
        for s in ne.symbols.iter().filter(|s| !oe.has(s)) {
            self.push(
                AvroChange::EnumSymbolAdded,
                path,
                (&ns, true),
                (&os, true),
                format!("enum {} gained symbol `{s}`", at(path)),
            );
        }
        for s in oe.symbols.iter().filter(|s| !ne.has(s)) {
            self.push(
                AvroChange::EnumSymbolRemoved,
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
                AvroChange::EnumDefaultChanged,
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

    /// Two unions' branches, paired as resolution pairs them: same kind and name.
    fn union(&mut self, ob: &[TypeId], nb: &[TypeId], (op, np): (&str, &str), path: &str) {
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
                    let message = format!(
                        "{} may now also hold {}",
                        at(path),
                        self.new.describe(nb_id)
                    );
                    self.push(
                        AvroChange::UnionBranchAdded,
                        path,
                        (&bp, true),
                        (op, false),
                        message,
                    )
                }
            }
        }
        for &ob_id in ob.iter().filter(|b| !used.contains(b)) {
            let bp = self.old.ty(ob_id).pointer.clone();
            let message = format!(
                "{} may no longer hold {}",
                at(path),
                self.old.describe(ob_id)
            );
            self.push(
                AvroChange::UnionBranchRemoved,
                path,
                (np, false),
                (&bp, true),
                message,
            );
        }
    }

    /// Types of different kinds at one place: a promotion, or a change of type.
    fn type_changed(&mut self, o: TypeId, n: TypeId, path: &str) {
        let (ot, nt) = (self.old.ty(o), self.new.ty(n));
        let (was, now) = (self.old.describe(o), self.new.describe(n));
        let (kind, message) = match (&ot.kind, &nt.kind) {
            (_, Kind::Union(_)) => (
                AvroChange::TypeChanged,
                format!("{} changed from {was} to the union {now}", at(path)),
            ),
            (Kind::Union(_), _) => (
                AvroChange::TypeChanged,
                format!("{} changed from the union {was} to {now}", at(path)),
            ),
            (ok, nk) if promotes(nk, ok) => (
                AvroChange::TypePromoted,
                format!("{} changed from {was} to {now}", at(path)),
            ),
            _ => (
                AvroChange::TypeChanged,
                format!("{} changed from {was} to {now}", at(path)),
            ),
        };
        let (op, np) = (ot.pointer.clone(), nt.pointer.clone());
        self.push(kind, path, (&np, true), (&op, true), message);
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
                AvroChange::NameChanged,
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
                AvroChange::NamespaceChanged,
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
                AvroChange::LogicalTypeChanged,
                path,
                (&np, true),
                (&op, true),
                message,
            );
        }
    }
}
