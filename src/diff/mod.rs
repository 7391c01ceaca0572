//! `evreg diff`: what changed between two versions of a subject, as a semantic change list (each
//! change marked breaking or not, both directions) and a text diff of their normalised forms.
//!
//! Old and new elements are paired by the same matchers the compatibility engine uses
//! (`compat::avro::writer_field`, `names_match`), and "breaking" is the engine's own verdict at the
//! change's path, so diff and check cannot disagree.

use crate::compat::Mode;
use crate::compat::avro::{self as engine, join, names_match, promotes, shown as at, writer_field};
use crate::schema::Format;
use crate::schema::avro::{AvroSchema, Kind, TypeId};
use crate::source::json::{Node, Value};
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// A stable kind, e.g. `field-added`, `type-promoted`, `enum-symbol-removed`.
    pub kind: &'static str,
    /// Readable path to the element (`lines[].price`), empty at the root.
    pub path: String,
    pub message: String,
    /// Breaks readers of the new version reading old data.
    pub breaks_backward: bool,
    /// Breaks readers of the old version reading new data.
    pub breaks_forward: bool,
}

impl Change {
    /// Is this change breaking under a subject's mode?
    pub fn breaking_under(&self, mode: Mode) -> bool {
        let (b, f, _) = mode.promises();
        (b && self.breaks_backward) || (f && self.breaks_forward)
    }
}

/// The semantic changes from `old` to `new` (Avro).
pub fn avro_changes(old: &AvroSchema, new: &AvroSchema) -> Vec<Change> {
    let findings = |r, w| -> Vec<(String, &'static str)> {
        engine::check(r, w)
            .into_iter()
            .filter(|i| i.is_error())
            .map(|i| (i.path, i.rule.id))
            .collect()
    };
    let (backward, forward) = (findings(new, old), findings(old, new));
    let mut w = Walker {
        old,
        new,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    w.walk(old.root, new.root, "");
    let hits = |found: &[(String, &'static str)], c: &Change| {
        let rules = rules_of(c.kind);
        found
            .iter()
            .any(|(path, rule)| *path == c.path && rules.contains(rule))
    };
    for c in &mut w.out {
        c.breaks_backward = hits(&backward, c);
        c.breaks_forward = hits(&forward, c);
    }
    w.out
}

/// The engine rules through which a kind of change can break readers.
fn rules_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "field-added" | "field-removed" => &["avro-field-missing-default"],
        "type-changed" | "type-promoted" => &["avro-type-mismatch", "avro-union-branch-missing"],
        "union-branch-added" | "union-branch-removed" => &["avro-union-branch-missing"],
        "enum-symbol-added" | "enum-symbol-removed" | "enum-default-changed" => {
            &["avro-enum-symbol-missing"]
        }
        "fixed-size-changed" => &["avro-fixed-size-mismatch"],
        "name-changed" => &["avro-name-mismatch"],
        "logical-type-changed" => &["avro-decimal-mismatch"],
        // Defaults of fields present on both sides, docs, namespaces and renames covered by an
        // alias never stop resolution.
        _ => &[],
    }
}

struct Walker<'a> {
    old: &'a AvroSchema,
    new: &'a AvroSchema,
    seen: HashSet<(TypeId, TypeId)>,
    out: Vec<Change>,
}

impl Walker<'_> {
    fn push(&mut self, kind: &'static str, path: &str, message: String) {
        self.out.push(Change {
            kind,
            path: path.to_string(),
            message,
            breaks_backward: false,
            breaks_forward: false,
        });
    }

    fn walk(&mut self, o: TypeId, n: TypeId, path: &str) {
        if !self.seen.insert((o, n)) {
            return;
        }
        let (ot, nt) = (self.old.ty(o), self.new.ty(n));
        match (&ot.kind, &nt.kind) {
            (Kind::Record(or), Kind::Record(nr)) => {
                self.names(o, n, path);
                let mut matched = HashSet::new();
                for nf in &nr.fields {
                    let fpath = join(path, &nf.name);
                    match writer_field(nf, or) {
                        Some(of) => {
                            matched.insert(of.name.clone());
                            if of.name != nf.name {
                                self.push(
                                    "field-renamed",
                                    &fpath,
                                    format!(
                                        "field `{}` renamed to `{}` (alias `{}`)",
                                        of.name, nf.name, of.name
                                    ),
                                );
                            }
                            match (&of.default, &nf.default) {
                                (None, Some(d)) => self.push(
                                    "default-added",
                                    &fpath,
                                    format!("`{fpath}` gained the default {}", d.to_serde()),
                                ),
                                (Some(d), None) => self.push(
                                    "default-removed",
                                    &fpath,
                                    format!("`{fpath}` lost its default {}", d.to_serde()),
                                ),
                                (Some(a), Some(b)) if a.to_serde() != b.to_serde() => self.push(
                                    "default-changed",
                                    &fpath,
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
                        format!(
                            "field `{fpath}` ({}) removed; {how}",
                            self.old.describe(of.ty)
                        ),
                    );
                }
            }
            (Kind::Enum(oe), Kind::Enum(ne)) => {
                self.names(o, n, path);
                for s in ne.symbols.iter().filter(|s| !oe.has(s)) {
                    self.push(
                        "enum-symbol-added",
                        path,
                        format!("enum {} gained symbol `{s}`", at(path)),
                    );
                }
                for s in oe.symbols.iter().filter(|s| !ne.has(s)) {
                    self.push(
                        "enum-symbol-removed",
                        path,
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
                        None => self.push(
                            "union-branch-added",
                            path,
                            format!(
                                "{} may now also hold {}",
                                at(path),
                                self.new.describe(nb_id)
                            ),
                        ),
                    }
                }
                for &ob_id in ob.iter().filter(|b| !used.contains(b)) {
                    self.push(
                        "union-branch-removed",
                        path,
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
        let (ok, nk) = (&self.old.ty(o).kind, &self.new.ty(n).kind);
        let (Some(on), Some(nn)) = (ok.name(), nk.name()) else {
            return;
        };
        if on.name != nn.name {
            let how = if names_match(nk, ok) {
                "with an alias for the old name"
            } else {
                "without an alias for the old name"
            };
            self.push(
                "name-changed",
                path,
                format!(
                    "{} `{}` renamed to `{}` {how}",
                    nk.type_name(),
                    on.fullname(),
                    nn.fullname()
                ),
            );
        } else if on.namespace != nn.namespace {
            self.push(
                "namespace-changed",
                path,
                format!(
                    "{} `{}` moved to namespace `{}`",
                    nk.type_name(),
                    on.fullname(),
                    nn.namespace
                ),
            );
        }
    }

    fn logical(&mut self, o: TypeId, n: TypeId, path: &str) {
        let (ol, nl) = (&self.old.ty(o).logical, &self.new.ty(n).logical);
        if ol != nl {
            let show = |l: &Option<crate::schema::avro::Logical>| {
                l.as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_else(|| "no logical type".into())
            };
            self.push(
                "logical-type-changed",
                path,
                format!("{} changed from {} to {}", at(path), show(ol), show(nl)),
            );
        }
    }
}

/// A version's JSON pretty-printed with keys sorted, so a text diff shows content, not layout.
pub fn normalized(node: &Node) -> String {
    let mut out = String::new();
    pretty(node, 0, &mut out);
    out.push('\n');
    out
}

fn pretty(node: &Node, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match &node.value {
        Value::Array(items) if !items.is_empty() => {
            // Short arrays of scalars (unions, symbols) read best on one line.
            let scalars = items
                .iter()
                .all(|i| !matches!(i.value, Value::Array(_) | Value::Object(_)));
            if scalars {
                let parts: Vec<String> = items.iter().map(|i| i.to_serde().to_string()).collect();
                out.push_str(&format!("[{}]", parts.join(", ")));
                return;
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                pretty(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}]", pad(indent)));
        }
        Value::Object(members) if !members.is_empty() => {
            let mut sorted: Vec<_> = members.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            out.push_str("{\n");
            for (i, m) in sorted.iter().enumerate() {
                out.push_str(&format!(
                    "{}{}: ",
                    pad(indent + 1),
                    serde_json::Value::String(m.key.clone())
                ));
                pretty(&m.value, indent + 1, out);
                out.push_str(if i + 1 < sorted.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}}}", pad(indent)));
        }
        _ => out.push_str(&node.to_serde().to_string()),
    }
}

/// A unified diff of two texts with three lines of context.
pub fn unified(old_label: &str, new_label: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}

/// Everything `evreg diff` shows for one pair of versions.
#[derive(Debug, Clone, Serialize)]
pub struct VersionDiff {
    pub subject: String,
    pub from: String,
    pub to: String,
    pub mode: &'static str,
    pub changes: Vec<Change>,
    /// True when a change breaks the subject's mode.
    pub breaking: bool,
    pub text_diff: String,
}

/// Diff two versions' sources. `labels` name them (`v2`, `v3`, `origin/main:v3`).
pub fn diff_versions(
    subject: &str,
    mode: Mode,
    format: Format,
    old: (
        &str,
        &crate::source::SourceFile,
        &crate::schema::avro::SharedTypes,
    ),
    new: (
        &str,
        &crate::source::SourceFile,
        &crate::schema::avro::SharedTypes,
    ),
) -> VersionDiff {
    let parse = |f: &crate::source::SourceFile| crate::source::json::parse(&f.text).ok();
    let (old_json, new_json) = (parse(old.1), parse(new.1));
    let changes = match format {
        Format::Avro => {
            let a = crate::schema::avro::parse_with(
                std::sync::Arc::new(crate::source::SourceFile::new(
                    &old.1.path,
                    old.1.text.clone(),
                )),
                old.2,
            );
            let b = crate::schema::avro::parse_with(
                std::sync::Arc::new(crate::source::SourceFile::new(
                    &new.1.path,
                    new.1.text.clone(),
                )),
                new.2,
            );
            match (a.schema, b.schema) {
                (Some(a), Some(b)) => avro_changes(&a, &b),
                _ => Vec::new(),
            }
        }
        Format::JsonSchema => Vec::new(),
    };
    let text = |j: &Option<Node>, f: &crate::source::SourceFile| {
        j.as_ref().map(normalized).unwrap_or_else(|| f.text.clone())
    };
    let text_diff = unified(
        &format!("{subject} {}", old.0),
        &format!("{subject} {}", new.0),
        &text(&old_json, old.1),
        &text(&new_json, new.1),
    );
    let breaking = changes.iter().any(|c| c.breaking_under(mode));
    VersionDiff {
        subject: subject.to_string(),
        from: old.0.to_string(),
        to: new.0.to_string(),
        mode: mode.as_str(),
        changes,
        breaking,
        text_diff,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::avro::parse;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn schema(text: &str) -> AvroSchema {
        parse(Arc::new(SourceFile::new("t.avsc", text)))
            .schema
            .unwrap()
    }

    #[test]
    fn changes_are_listed_and_marked_by_the_engine() {
        let v1 = schema(
            r#"{"type": "record", "name": "R", "fields": [
            {"name": "qty", "type": "int"},
            {"name": "old", "type": "string", "default": ""},
            {"name": "status", "type": {"type": "enum", "name": "S", "symbols": ["A", "B"]}},
            {"name": "note", "type": ["null", "string"], "default": null}]}"#,
        );
        let v2 = schema(
            r#"{"type": "record", "name": "R", "fields": [
            {"name": "qty", "type": "long"},
            {"name": "status", "type": {"type": "enum", "name": "S", "symbols": ["A", "B", "C"]}},
            {"name": "note", "type": "string"},
            {"name": "currency", "type": "string"}]}"#,
        );
        let changes = avro_changes(&v1, &v2);
        let got: Vec<(&str, &str, bool, bool)> = changes
            .iter()
            .map(|c| (c.kind, c.path.as_str(), c.breaks_backward, c.breaks_forward))
            .collect();
        assert_eq!(
            got,
            [
                ("type-promoted", "qty", false, true),
                ("enum-symbol-added", "status", false, true),
                ("default-removed", "note", false, false),
                ("type-changed", "note", true, false),
                ("field-added", "currency", true, false),
                ("field-removed", "old", false, false),
            ]
        );
        assert!(changes[0].breaking_under(Mode::Full));
        assert!(!changes[0].breaking_under(Mode::Backward));
    }

    #[test]
    fn normalised_text_ignores_layout() {
        let a = crate::source::json::parse(r#"{"b": 1, "a": [1, 2]}"#).unwrap();
        let b = crate::source::json::parse("{\n\"a\": [1,2],\n    \"b\": 1}").unwrap();
        assert_eq!(normalized(&a), normalized(&b));
        assert_eq!(unified("x", "y", &normalized(&a), &normalized(&b)), "");
    }
}
