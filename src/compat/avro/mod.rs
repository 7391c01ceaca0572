//! Avro compatibility: can a reader schema read data written with a writer schema? Decided by the
//! Avro 1.12 specification's "Schema Resolution" rules as Apache Avro's reference checker decides
//! them, plus the decimal rule the specification states and that checker skips. Every
//! incompatibility is reported (a `finding::Draft`), each with its place in both schemas and,
//! where Apache Avro confirms one, an example payload (`example`: built from where the break sits
//! in the writer, which the report walk records).
//!
//! Messages and help name the two sides by the labels the caller passes (`v2`, `old.avsc`).

pub mod example;

use super::Labels;
use crate::finding::{Draft, Severity};
use crate::rules::{self, Rule};
use crate::schema::avro::{AvroSchema, Field, Kind, Logical, Record, TypeId};
use ahash::{AHashMap, AHashSet};
use example::{Step, Witness};

/// Every reason `reader` cannot read data written with `writer` (empty when it can), the sides
/// named by their roles.
pub fn check(reader: &AvroSchema, writer: &AvroSchema) -> Vec<Draft> {
    check_labelled(reader, writer, Labels::ROLES)
}

/// `check`, with messages that name the sides by `labels` (`v2`, `old.avsc`).
pub fn check_labelled(reader: &AvroSchema, writer: &AvroSchema, labels: Labels) -> Vec<Draft> {
    let mut c = Checker::new(reader, writer, labels);
    // Most pairs in a healthy registry are compatible: decide first without building paths and
    // messages, and walk again for the details only when something breaks.
    if c.compatible(reader.root, writer.root) && !c.logical_changed {
        return Vec::new();
    }
    c.report(reader.root, writer.root, "");
    example::attach(reader, writer, &mut c.out, &c.witnesses);
    c.out
}

/// The writer field a reader field reads from: same name, else the first reader alias that names
/// a writer field. Shared by compatibility and diff, so both pair fields alike.
pub fn writer_field<'a>(reader_field: &Field, writer: &'a Record) -> Option<&'a Field> {
    writer
        .field(&reader_field.name)
        .or_else(|| reader_field.aliases.iter().find_map(|a| writer.field(a)))
}

/// Do two named types match: the same unqualified name, or a reader alias naming the writer's
/// full name? (A namespace-only change therefore matches.)
pub fn names_match(reader: &Kind, writer: &Kind) -> bool {
    match (reader.name(), writer.name()) {
        (Some(r), Some(w)) => r.name == w.name || reader.aliases().contains(&w.fullname()),
        _ => false,
    }
}

/// Can a writer primitive be promoted to the reader's?
pub fn promotes(reader: &Kind, writer: &Kind) -> bool {
    use Kind::*;
    matches!(
        (reader, writer),
        (Long, Int)
            | (Float, Int | Long)
            | (Double, Int | Long | Float)
            | (Bytes, String)
            | (String, Bytes)
    )
}

struct Checker<'a> {
    r: &'a AvroSchema,
    w: &'a AvroSchema,
    /// The names messages give the reader and the writer.
    labels: Labels<'a>,
    /// Pairs already reported (a named type reached twice, or through recursion, reports once).
    reported: AHashSet<(TypeId, TypeId)>,
    /// Settled verdicts of `compatible`.
    memo: AHashMap<(TypeId, TypeId), bool>,
    /// Pairs being decided, and whether a verdict leaned on one of them.
    in_progress: AHashSet<(TypeId, TypeId)>,
    assumed: bool,
    /// Set when a pair under comparison differs in logical type.
    logical_changed: bool,
    out: Vec<Draft>,
    /// The way down the writer's structure to the pair being reported.
    steps: Vec<Step>,
    /// Where each of `out` sits in the writer, for building its example.
    witnesses: Vec<Option<Witness>>,
}

/// `lines[]` + `price` → `lines[].price`: the readable paths findings and diffs name.
pub fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// A path as messages quote it.
pub fn shown(path: &str) -> String {
    if path.is_empty() {
        "the root".to_string()
    } else {
        format!("`{path}`")
    }
}

impl<'a> Checker<'a> {
    fn new(reader: &'a AvroSchema, writer: &'a AvroSchema, labels: Labels<'a>) -> Checker<'a> {
        Checker {
            r: reader,
            w: writer,
            labels,
            reported: AHashSet::default(),
            memo: AHashMap::default(),
            in_progress: AHashSet::default(),
            assumed: false,
            logical_changed: false,
            out: Vec::new(),
            steps: Vec::new(),
            witnesses: Vec::new(),
        }
    }
}

impl Checker<'_> {
    fn kinds(&self, r: TypeId, w: TypeId) -> (&Kind, &Kind) {
        (&self.r.ty(r).kind, &self.w.ty(w).kind)
    }

    /// The specification's "match" for picking a union branch: same type (and name, for named
    /// types) or a promotion. Deep resolution comes after.
    fn shallow_match(&self, r: TypeId, w: TypeId) -> bool {
        let (rk, wk) = self.kinds(r, w);
        match (rk, wk) {
            (Kind::Record(_), Kind::Record(_))
            | (Kind::Enum(_), Kind::Enum(_))
            | (Kind::Fixed(_), Kind::Fixed(_)) => names_match(rk, wk),
            (Kind::Union(_), _) | (_, Kind::Union(_)) => false,
            _ => std::mem::discriminant(rk) == std::mem::discriminant(wk) || promotes(rk, wk),
        }
    }

    /// A yes/no verdict, for choosing union branches without reporting. Recursion: a pair met
    /// again while it is being decided is assumed compatible (the coinductive reading recursive
    /// types need); a verdict that leaned on such an assumption is cached only once the outermost
    /// pair is decided, so a later failure cannot leave a wrong "compatible" behind.
    fn compatible(&mut self, r: TypeId, w: TypeId) -> bool {
        // Only a record can recur or be reached again by name (an enum or fixed holds no type):
        // everything else is decided on the spot, without a table entry per pair.
        if !matches!(self.r.ty(r).kind, Kind::Record(_))
            && !matches!(self.w.ty(w).kind, Kind::Record(_))
        {
            return self.decide(r, w);
        }
        if let Some(&v) = self.memo.get(&(r, w)) {
            return v;
        }
        if self.in_progress.contains(&(r, w)) {
            self.assumed = true;
            return true;
        }
        self.in_progress.insert((r, w));
        let outer = std::mem::replace(&mut self.assumed, false);
        let v = self.decide(r, w);
        self.in_progress.remove(&(r, w));
        let used = self.assumed;
        if !v || !used || self.in_progress.is_empty() {
            self.memo.insert((r, w), v);
        }
        self.assumed = outer || used;
        v
    }

    fn decide(&mut self, r: TypeId, w: TypeId) -> bool {
        let (rt, wt) = (self.r.ty(r), self.w.ty(w));
        if rt.logical != wt.logical {
            // A warning `report` would give; `compatible` alone cannot say so.
            self.logical_changed = true;
        }
        if let Kind::Union(wbs) = &wt.kind {
            return wbs.iter().all(|&wb| self.compatible(r, wb));
        }
        if let Kind::Union(rbs) = &rt.kind {
            return rbs.iter().any(|&rb| self.compatible(rb, w));
        }
        match (&rt.kind, &wt.kind) {
            (Kind::Array(ri), Kind::Array(wi)) => self.compatible(*ri, *wi),
            (Kind::Map(rv), Kind::Map(wv)) => self.compatible(*rv, *wv),
            (Kind::Fixed(rf), Kind::Fixed(wf)) => {
                names_match(&rt.kind, &wt.kind)
                    && rf.size == wf.size
                    && decimals_agree(&rt.logical, &wt.logical)
            }
            (Kind::Enum(re), Kind::Enum(we)) => {
                names_match(&rt.kind, &wt.kind)
                    && (re.default.is_some() || we.symbols.iter().all(|s| re.has(s)))
            }
            (Kind::Record(rr), Kind::Record(wr)) => {
                if !names_match(&rt.kind, &wt.kind) {
                    return false;
                }
                rr.fields.iter().all(|rf| match writer_field(rf, wr) {
                    Some(wf) => self.compatible(rf.ty, wf.ty),
                    None => rf.default.is_some(),
                })
            }
            (rk, wk) if std::mem::discriminant(rk) == std::mem::discriminant(wk) => {
                decimals_agree(&rt.logical, &wt.logical)
            }
            (rk, wk) => promotes(rk, wk),
        }
    }

    /// Record an incompatibility found at writer type `w` (and the enum symbol that shows it).
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        rule: &'static Rule,
        w: TypeId,
        symbol: Option<String>,
        r_ptr: &str,
        w_ptr: &str,
        path: &str,
        message: String,
        help: String,
    ) {
        // A changed decimal or logical type still decodes (the specification falls back to the
        // underlying type): the data changes meaning, which no failing example can show.
        let decodes = std::ptr::eq(rule, &rules::AVRO_DECIMAL_MISMATCH)
            || std::ptr::eq(rule, &rules::AVRO_LOGICAL_TYPE_CHANGED);
        let witness = (!decodes && self.witnesses.len() < example::MAX_EXAMPLES).then(|| Witness {
            steps: self.steps.clone(),
            leaf: w,
            symbol,
        });
        self.witnesses.push(witness);
        self.out.push(
            Draft::new(rule, message, help)
                .at(r_ptr)
                .other(w_ptr)
                .path(path),
        );
    }

    fn report(&mut self, r: TypeId, w: TypeId, path: &str) {
        if !self.reported.insert((r, w)) {
            return;
        }
        let (rt, wt) = (self.r.ty(r), self.w.ty(w));
        if let Kind::Union(wbs) = &wt.kind {
            for (i, &wb) in wbs.iter().enumerate() {
                self.steps.push(Step::Branch(i));
                self.report_branch(r, wb, path, true);
                self.steps.pop();
            }
            return;
        }
        if let Kind::Union(_) = &rt.kind {
            self.report_branch(r, w, path, false);
            return;
        }
        match (&rt.kind, &wt.kind) {
            (Kind::Array(ri), Kind::Array(wi)) => {
                self.steps.push(Step::Item);
                self.report(*ri, *wi, &format!("{path}[]"));
                self.steps.pop();
            }
            (Kind::Map(rv), Kind::Map(wv)) => {
                self.steps.push(Step::Value);
                self.report(*rv, *wv, &format!("{path}{{}}"));
                self.steps.pop();
            }
            (Kind::Fixed(_), Kind::Fixed(_)) => {
                self.report_names(r, w, path);
                self.fixed_size_mismatch(r, w, path);
                self.report_logical(r, w, path);
            }
            (Kind::Enum(_), Kind::Enum(_)) => {
                self.report_names(r, w, path);
                self.enum_symbol_missing(r, w, path);
            }
            (Kind::Record(rr), Kind::Record(wr)) => {
                self.report_names(r, w, path);
                for rf in &rr.fields {
                    self.report_field(rf, w, wr, path);
                }
            }
            (rk, wk) if std::mem::discriminant(rk) == std::mem::discriminant(wk) => {
                self.report_logical(r, w, path)
            }
            (rk, wk) if promotes(rk, wk) => self.report_logical(r, w, path),
            _ => self.type_mismatch(r, w, path),
        }
    }

    fn fixed_size_mismatch(&mut self, r: TypeId, w: TypeId, path: &str) {
        let Labels { reader, writer } = self.labels;
        let (rt, wt) = (self.r.ty(r), self.w.ty(w));
        let (Kind::Fixed(rf), Kind::Fixed(wf)) = (&rt.kind, &wt.kind) else {
            return;
        };
        if rf.size == wf.size {
            return;
        }
        let msg = format!(
            "{} is a fixed of {} bytes in {reader} but {} bytes in {writer}",
            shown(path),
            rf.size,
            wf.size
        );
        self.emit(
            &rules::AVRO_FIXED_SIZE_MISMATCH,
            w,
            None,
            &self.r.keyword(&rt.pointer, &["size"]),
            &self.w.keyword(&wt.pointer, &["size"]),
            path,
            msg,
            "keep the size; for another size add a new field of a new fixed type".into(),
        );
    }

    fn enum_symbol_missing(&mut self, r: TypeId, w: TypeId, path: &str) {
        let Labels { reader, writer } = self.labels;
        let (rt, wt) = (self.r.ty(r), self.w.ty(w));
        let (Kind::Enum(re), Kind::Enum(we)) = (&rt.kind, &wt.kind) else {
            return;
        };
        let missing: Vec<&String> = we.symbols.iter().filter(|s| !re.has(s)).collect();
        if missing.is_empty() || re.default.is_some() {
            return;
        }
        // A long list is cut: the message stays readable and its size bounded.
        const LISTED: usize = 10;
        let mut list = missing
            .iter()
            .take(LISTED)
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if missing.len() > LISTED {
            list.push_str(&format!(" and {} more", missing.len() - LISTED));
        }
        let w_ptr = we
            .symbols
            .iter()
            .position(|s| s == missing[0])
            .map(|i| format!("{}/symbols/{i}", wt.pointer))
            .unwrap_or_else(|| wt.pointer.clone());
        let msg = format!(
            "enum {} in {writer} has symbol{} {list} that {reader} does not know, and {reader}'s enum has no default",
            shown(path),
            if missing.len() > 1 { "s" } else { "" }
        );
        let help = format!(
            "give enum `{}` a default symbol in {reader} (e.g. \"default\": \"{}\"), or keep the symbol list",
            re.name.name,
            re.symbols.first().map(String::as_str).unwrap_or("UNKNOWN")
        );
        let symbol = Some(missing[0].clone());
        self.emit(
            &rules::AVRO_ENUM_SYMBOL_MISSING,
            w,
            symbol,
            &format!("{}/symbols", rt.pointer),
            &w_ptr,
            path,
            msg,
            help,
        );
    }

    /// Reader field `rf` of a record read from writer record `wr` (type `w`): resolved against
    /// the writer's field, or filled from its default.
    fn report_field(&mut self, rf: &Field, w: TypeId, wr: &Record, path: &str) {
        let fpath = join(path, &rf.name);
        match writer_field(rf, wr) {
            Some(wf) => {
                let i = wr
                    .position(&wf.name)
                    .expect("the writer field is one of the writer's fields");
                self.steps.push(Step::Field(i));
                self.report(rf.ty, wf.ty, &fpath);
                self.steps.pop();
            }
            None if rf.default.is_some() => {}
            None => self.field_missing_default(rf, w, &fpath),
        }
    }

    fn field_missing_default(&mut self, rf: &Field, w: TypeId, fpath: &str) {
        let Labels { reader, writer } = self.labels;
        let msg = format!(
            "field `{fpath}` is in {reader} with no default, and {writer} does not write it"
        );
        let help = format!(
            "give `{}` a default in {reader}, e.g. \"default\": {}",
            rf.name,
            example_default(self.r, rf.ty)
        );
        self.emit(
            &rules::AVRO_FIELD_MISSING_DEFAULT,
            w,
            None,
            &rf.pointer,
            &format!("{}/name", self.w.ty(w).pointer),
            fpath,
            msg,
            help,
        );
    }

    fn type_mismatch(&mut self, r: TypeId, w: TypeId, path: &str) {
        let Labels { reader, writer } = self.labels;
        let (rt, wt) = (self.r.ty(r), self.w.ty(w));
        let msg = format!(
            "{} is {} in {reader} but {} in {writer}, which does not promote to it",
            shown(path),
            self.r.describe(r),
            self.w.describe(w)
        );
        let help = "keep the type, or widen it along Avro's promotions (int→long→float→double, string↔bytes); to change it otherwise add a new field and deprecate this one".to_string();
        self.emit(
            &rules::AVRO_TYPE_MISMATCH,
            w,
            None,
            &self.r.keyword(&rt.pointer, &["type"]),
            &self.w.keyword(&wt.pointer, &["type"]),
            path,
            msg,
            help,
        );
    }

    /// One non-union writer type `w` (a branch of the writer's union when `from_writer_union`)
    /// against reader `r`, which is a union or (only when `from_writer_union`) a plain type.
    fn report_branch(&mut self, r: TypeId, w: TypeId, path: &str, from_writer_union: bool) {
        let Labels { reader, writer } = self.labels;
        let rbranches: Vec<TypeId> = match &self.r.ty(r).kind {
            Kind::Union(b) => b.clone(),
            _ => vec![r],
        };
        if let Some(&rb) = rbranches.iter().find(|&&rb| self.compatible(rb, w)) {
            // Readable; walked anyway for the warnings (a changed logical type) inside.
            self.report(rb, w, path);
            return;
        }
        // A branch of the same kind and name explains the failure best by its own reasons.
        if let Some(&rb) = rbranches.iter().find(|&&rb| self.shallow_match(rb, w)) {
            self.report(rb, w, path);
            return;
        }
        let rt = self.r.ty(r);
        let wdesc = self.w.describe(w);
        let (msg, help) = if rbranches.len() == 1 && from_writer_union {
            (
                format!(
                    "{} in {writer} may hold {wdesc} (a branch of its union), but {reader} reads it as {}",
                    shown(path),
                    self.r.describe(r)
                ),
                format!(
                    "keep the union in {reader}, e.g. [\"null\", ...] with \"default\": null, so values of every branch stay readable"
                ),
            )
        } else {
            (
                format!(
                    "{} in {writer} may hold {wdesc}, which no branch of {reader}'s union {} can read",
                    shown(path),
                    self.r.describe(r)
                ),
                format!("add a branch for {wdesc} to the union in {reader}"),
            )
        };
        self.emit(
            &rules::AVRO_UNION_BRANCH_MISSING,
            w,
            None,
            &self.r.keyword(&rt.pointer, &["type"]),
            &self.w.keyword(&self.w.ty(w).pointer, &["type"]),
            path,
            msg,
            help,
        );
    }

    fn report_names(&mut self, r: TypeId, w: TypeId, path: &str) {
        let Labels { reader, writer } = self.labels;
        let (rk, wk) = self.kinds(r, w);
        if names_match(rk, wk) {
            return;
        }
        let (Some(rn), Some(wn)) = (rk.name(), wk.name()) else {
            return;
        };
        let msg = format!(
            "{} is {} `{}` in {reader} but `{}` in {writer}, and no alias links them",
            shown(path),
            rk.type_name(),
            rn.fullname(),
            wn.fullname()
        );
        let help = format!(
            "add \"aliases\": [\"{}\"] to `{}` in {reader}",
            wn.fullname(),
            rn.name
        );
        let (r_ptr, w_ptr) = (
            format!("{}/name", self.r.ty(r).pointer),
            format!("{}/name", self.w.ty(w).pointer),
        );
        self.emit(
            &rules::AVRO_NAME_MISMATCH,
            w,
            None,
            &r_ptr,
            &w_ptr,
            path,
            msg,
            help,
        );
    }

    fn report_logical(&mut self, r: TypeId, w: TypeId, path: &str) {
        let Labels { reader, writer } = self.labels;
        let (rl, wl) = (&self.r.ty(r).logical, &self.w.ty(w).logical);
        if rl == wl {
            return;
        }
        if let (Some(Logical::Decimal { .. }), Some(Logical::Decimal { .. })) = (rl, wl) {
            self.decimal_mismatch(r, w, path);
            return;
        }
        let (r_ptr, w_ptr) = (&self.r.ty(r).pointer, &self.w.ty(w).pointer);
        // A uuid annotation on a string changes nothing about how the string reads.
        if matches!(
            (rl, wl),
            (Some(Logical::Uuid), None) | (None, Some(Logical::Uuid))
        ) {
            return;
        }
        let msg = format!(
            "{} has {} in {reader} but {} in {writer}: the data still decodes, but its meaning changes",
            shown(path),
            show(rl),
            show(wl)
        );
        self.emit(
            &rules::AVRO_LOGICAL_TYPE_CHANGED,
            w,
            None,
            &self.r.keyword(r_ptr, &["logicalType", "type"]),
            &self.w.keyword(w_ptr, &["logicalType", "type"]),
            path,
            msg,
            "keep the logical type; for another unit or representation add a new field".into(),
        );
    }

    /// Two decimals with another scale or precision.
    fn decimal_mismatch(&mut self, r: TypeId, w: TypeId, path: &str) {
        let Labels { reader, writer } = self.labels;
        let (rl, wl) = (&self.r.ty(r).logical, &self.w.ty(w).logical);
        let (r_ptr, w_ptr) = (&self.r.ty(r).pointer, &self.w.ty(w).pointer);
        let (
            Some(Logical::Decimal {
                precision: rp,
                scale: rs,
            }),
            Some(Logical::Decimal {
                precision: wp,
                scale: ws,
            }),
        ) = (rl, wl)
        else {
            return;
        };
        let what = if rs != ws && rp != wp {
            format!("precision {wp} → {rp} and scale {ws} → {rs}")
        } else if rs != ws {
            format!("scale {ws} → {rs}")
        } else {
            format!("precision {wp} → {rp}")
        };
        let (msg, help, severity) = if rs != ws {
            (
                format!(
                    "{} is {} in {reader} but {} in {writer} ({what}): a decimal stores an unscaled integer, so read with another scale every amount changes by a power of ten",
                    shown(path),
                    show(rl),
                    show(wl)
                ),
                "keep the scale; for another scale add a new field and deprecate this one",
                None,
            )
        } else if rp > wp {
            // Widening the precision at the same scale keeps every written value exact: the
            // unscaled integer and its scale are unchanged, and the reader holds more digits.
            // The specification still calls such decimals unmatched, so a reader that follows
            // it to the letter may refuse them: a warning, not an error.
            (
                format!(
                    "{} is {} in {reader} but {} in {writer} ({what}): every written amount still reads exactly, but the Avro specification matches decimals only with equal precision, so a strict reader may refuse the data",
                    shown(path),
                    show(rl),
                    show(wl)
                ),
                "safe for the data; keep the precision if any consumer resolves schemas strictly",
                Some(Severity::Warning),
            )
        } else {
            (
                format!(
                    "{} is {} in {reader} but {} in {writer} ({what}): amounts with more than {rp} digits, which {writer} may write, do not fit {reader}",
                    shown(path),
                    show(rl),
                    show(wl)
                ),
                "keep the precision, or widen it; to narrow it add a new field and deprecate this one",
                None,
            )
        };
        let key = if rs != ws { "scale" } else { "precision" };
        self.emit(
            &rules::AVRO_DECIMAL_MISMATCH,
            w,
            None,
            &self.r.keyword(r_ptr, &[key]),
            &self.w.keyword(w_ptr, &[key]),
            path,
            msg,
            help.into(),
        );
        if let Some(last) = self.out.last_mut() {
            last.severity = severity;
        }
    }
}

/// A logical type as messages name it.
fn show(l: &Option<Logical>) -> String {
    l.as_ref()
        .map(|l| l.to_string())
        .unwrap_or_else(|| "no logical type".into())
}

/// Two decimals agree with equal scale and a reader precision at least the writer's (widening is
/// reported as a warning, see `report_logical`); anything else about logical types does not stop
/// resolution (it is reported as a warning).
fn decimals_agree(r: &Option<Logical>, w: &Option<Logical>) -> bool {
    match (r, w) {
        (
            Some(Logical::Decimal {
                precision: rp,
                scale: rs,
            }),
            Some(Logical::Decimal {
                precision: wp,
                scale: ws,
            }),
        ) => rs == ws && rp >= wp,
        _ => true,
    }
}

/// A default to suggest in help text for a field of this type.
fn example_default(s: &AvroSchema, ty: TypeId) -> String {
    match &s.ty(ty).kind {
        Kind::Null => "null".into(),
        Kind::Boolean => "false".into(),
        Kind::Int | Kind::Long => "0".into(),
        Kind::Float | Kind::Double => "0.0".into(),
        Kind::Bytes | Kind::String => "\"\"".into(),
        Kind::Array(_) => "[]".into(),
        Kind::Map(_) => "{}".into(),
        Kind::Enum(e) => format!(
            "\"{}\"",
            e.symbols.first().map(String::as_str).unwrap_or("")
        ),
        Kind::Fixed(f) => format!("\"{}\"", "\\u0000".repeat(f.size.min(4) as usize)),
        Kind::Union(b) => match b.first() {
            Some(&first) => example_default(s, first),
            None => "null".into(),
        },
        Kind::Record(_) => "{...} (a value for every field)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::avro::parse;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn schema(text: &str) -> AvroSchema {
        let p = parse(Arc::new(SourceFile::new("t.avsc", text)));
        p.schema
            .unwrap_or_else(|| panic!("invalid schema: {:?}", p.findings))
    }

    /// Rule ids of every incompatibility when `reader` reads `writer`'s data.
    fn rules_for(reader: &str, writer: &str) -> Vec<&'static str> {
        check(&schema(reader), &schema(writer))
            .iter()
            .map(|i| i.rule.id)
            .collect()
    }

    fn rec(fields: &str) -> String {
        format!(r#"{{"type": "record", "name": "R", "namespace": "n", "fields": [{fields}]}}"#)
    }

    #[test]
    fn promotions_follow_the_specification() {
        for (reader, writer, ok) in [
            ("long", "int", true),
            ("float", "int", true),
            ("double", "int", true),
            ("float", "long", true),
            ("double", "long", true),
            ("double", "float", true),
            ("bytes", "string", true),
            ("string", "bytes", true),
            ("int", "long", false),
            ("long", "float", false),
            ("float", "double", false),
            ("int", "string", false),
            ("boolean", "int", false),
            ("null", "int", false),
        ] {
            let got = rules_for(&format!("\"{reader}\""), &format!("\"{writer}\""));
            assert_eq!(got.is_empty(), ok, "{reader} reading {writer}: {got:?}");
        }
    }

    #[test]
    fn messages_name_the_sides_by_the_labels_given() {
        let labels = Labels {
            reader: "v2",
            writer: "v1",
        };
        let v1 = rec(r#"{"name": "a", "type": "int"}"#);
        let v2 = rec(r#"{"name": "a", "type": "int"}, {"name": "b", "type": "int"}"#);
        let found = check_labelled(&schema(&v2), &schema(&v1), labels);
        assert_eq!(
            found[0].message,
            "field `b` is in v2 with no default, and v1 does not write it"
        );
        assert!(found[0].help.contains("in v2, e.g."), "{}", found[0].help);
        let by_role = check(&schema(&v2), &schema(&v1));
        assert!(
            by_role[0]
                .message
                .contains("in the reader with no default, and the writer")
        );
    }

    #[test]
    fn fields_need_defaults_and_every_break_is_reported() {
        let v1 = rec(r#"{"name": "a", "type": "int"}, {"name": "b", "type": "string"}"#);
        let v2 = rec(
            r#"{"name": "a", "type": "string"}, {"name": "c", "type": "int"}, {"name": "d", "type": "int", "default": 0}"#,
        );
        let found = check(&schema(&v2), &schema(&v1));
        let rules: Vec<&str> = found.iter().map(|i| i.rule.id).collect();
        assert_eq!(rules, ["avro-type-mismatch", "avro-field-missing-default"]);
        assert_eq!(found[1].path, "c");
        assert_eq!(found[1].at.pointer, "/fields/1");
        assert!(found[1].help.contains("\"default\": 0"));
        // The other way round: v1 reads v2 data; `b` is missing and has no default.
        assert_eq!(
            rules_for(&v1, &v2),
            ["avro-type-mismatch", "avro-field-missing-default"]
        );
    }

    #[test]
    fn field_aliases_and_type_aliases_match() {
        let v1 = rec(r#"{"name": "old", "type": "int"}"#);
        let v2 = r#"{"type": "record", "name": "S", "namespace": "m", "aliases": ["n.R"], "fields": [{"name": "new", "aliases": ["old"], "type": "int"}]}"#;
        assert!(rules_for(v2, &v1).is_empty());
        let relative = r#"{"type": "record", "name": "S", "namespace": "n", "aliases": ["R"], "fields": [{"name": "old", "type": "int"}]}"#;
        assert!(rules_for(relative, &v1).is_empty());
        let renamed = r#"{"type": "record", "name": "S", "namespace": "n", "fields": [{"name": "old", "type": "int"}]}"#;
        assert_eq!(rules_for(renamed, &v1), ["avro-name-mismatch"]);
        let moved = r#"{"type": "record", "name": "R", "namespace": "other", "fields": [{"name": "old", "type": "int"}]}"#;
        assert!(
            rules_for(moved, &v1).is_empty(),
            "a namespace-only change is compatible"
        );
    }

    #[test]
    fn enums_need_a_default_for_unknown_symbols() {
        let small = r#"{"type": "enum", "name": "E", "symbols": ["A", "B"]}"#;
        let big = r#"{"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}"#;
        let small_default =
            r#"{"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "A"}"#;
        assert!(rules_for(big, small).is_empty());
        assert_eq!(rules_for(small, big), ["avro-enum-symbol-missing"]);
        assert!(rules_for(small_default, big).is_empty());
    }

    #[test]
    fn unions_resolve_branch_by_branch() {
        assert!(rules_for(r#"["null", "string"]"#, r#""string""#).is_empty());
        assert_eq!(
            rules_for(r#""string""#, r#"["null", "string"]"#),
            ["avro-union-branch-missing"]
        );
        assert!(rules_for(r#"["null", "string", "int"]"#, r#"["null", "string"]"#).is_empty());
        assert_eq!(
            rules_for(r#"["null", "string"]"#, r#"["null", "string", "int"]"#),
            ["avro-union-branch-missing"]
        );
        // int is read through promotion by the long branch.
        assert!(rules_for(r#"["null", "long"]"#, r#"["null", "int"]"#).is_empty());
        // A same-named record branch explains the failure by its own field.
        let r1 = rec(r#"{"name": "a", "type": "int"}"#);
        let r2 = rec(r#"{"name": "a", "type": "int"}, {"name": "b", "type": "int"}"#);
        assert_eq!(
            rules_for(&format!(r#"["null", {r2}]"#), &format!(r#"["null", {r1}]"#)),
            ["avro-field-missing-default"]
        );
    }

    #[test]
    fn fixed_sizes_and_decimals_must_agree() {
        assert_eq!(
            rules_for(
                r#"{"type": "fixed", "name": "F", "size": 4}"#,
                r#"{"type": "fixed", "name": "F", "size": 8}"#
            ),
            ["avro-fixed-size-mismatch"]
        );
        let d = |p: u32, s: u32| {
            format!(
                r#"{{"type": "bytes", "logicalType": "decimal", "precision": {p}, "scale": {s}}}"#
            )
        };
        assert!(rules_for(&d(12, 2), &d(12, 2)).is_empty());
        assert_eq!(rules_for(&d(12, 4), &d(12, 2)), ["avro-decimal-mismatch"]);
        assert_eq!(rules_for(&d(10, 2), &d(12, 2)), ["avro-decimal-mismatch"]);
        assert_eq!(
            rules_for(&d(12, 2), r#""bytes""#),
            ["avro-logical-type-changed"]
        );
        assert_eq!(
            rules_for(
                r#"{"type": "long", "logicalType": "timestamp-micros"}"#,
                r#"{"type": "long", "logicalType": "timestamp-millis"}"#
            ),
            ["avro-logical-type-changed"]
        );
        assert!(
            rules_for(
                r#"{"type": "string", "logicalType": "uuid"}"#,
                r#""string""#
            )
            .is_empty()
        );
    }

    #[test]
    fn decimal_findings_say_what_changed_and_widening_is_only_a_warning() {
        let d = |p: u32, s: u32| {
            schema(&format!(
                r#"{{"type": "bytes", "logicalType": "decimal", "precision": {p}, "scale": {s}}}"#
            ))
        };
        let one = |reader, writer| {
            let mut found = check(&d(reader, 2), &d(writer, 2));
            assert_eq!(found.len(), 1);
            found.remove(0)
        };
        let widened = one(14, 12);
        assert_eq!(widened.severity, Some(Severity::Warning));
        assert!(
            widened.message.contains("precision 12 → 14"),
            "{}",
            widened.message
        );
        assert!(
            widened.message.contains("still reads exactly"),
            "{}",
            widened.message
        );
        assert!(!widened.message.contains("scale"), "{}", widened.message);
        assert_eq!(
            (
                widened.at.pointer.as_str(),
                widened.other.as_ref().map(|p| p.pointer.as_str())
            ),
            ("/precision", Some("/precision"))
        );
        let narrowed = one(10, 12);
        assert_eq!(narrowed.severity, None);
        assert!(
            narrowed.message.contains("precision 12 → 10"),
            "{}",
            narrowed.message
        );
        assert!(
            narrowed.message.contains("more than 10 digits"),
            "{}",
            narrowed.message
        );
        let rescaled = check(&d(12, 4), &d(12, 2)).remove(0);
        assert_eq!(rescaled.severity, None);
        assert!(
            rescaled.message.contains("scale 2 → 4"),
            "{}",
            rescaled.message
        );
        assert!(
            !rescaled.message.contains("precision 12"),
            "{}",
            rescaled.message
        );
        assert_eq!(rescaled.at.pointer, "/scale");
        // Widening inside a union still picks the decimal branch.
        let in_union = |p: u32| {
            schema(&format!(
                r#"["null", {{"type": "bytes", "logicalType": "decimal", "precision": {p}, "scale": 2}}]"#
            ))
        };
        let found = check(&in_union(14), &in_union(12));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Some(Severity::Warning));
    }

    #[test]
    fn findings_at_a_schema_root_point_at_the_keyword() {
        let pointers = |reader: &str, writer: &str| {
            check(&schema(reader), &schema(writer))
                .into_iter()
                .map(|i| (i.rule.id, i.at.pointer, i.other.unwrap_or_default().pointer))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            pointers(
                r#"{"type": "fixed", "name": "F", "size": 4}"#,
                r#"{"type": "fixed", "name": "F", "size": 8}"#
            ),
            [(
                "avro-fixed-size-mismatch",
                "/size".to_string(),
                "/size".to_string()
            )]
        );
        assert_eq!(
            pointers(
                r#"{"type": "record", "name": "R", "fields": []}"#,
                r#"{"type": "string"}"#
            ),
            [(
                "avro-type-mismatch",
                "/type".to_string(),
                "/type".to_string()
            )]
        );
        assert_eq!(
            pointers(
                r#"{"type": "long", "logicalType": "timestamp-micros"}"#,
                r#"{"type": "long", "logicalType": "timestamp-millis"}"#
            ),
            [(
                "avro-logical-type-changed",
                "/logicalType".to_string(),
                "/logicalType".to_string()
            )]
        );
        // A bare type name has no keyword to point at.
        assert_eq!(
            pointers(r#""int""#, r#""string""#),
            [("avro-type-mismatch", String::new(), String::new())]
        );
    }

    #[test]
    fn recursive_types_terminate() {
        let list = |extra: &str| {
            format!(
                r#"{{"type": "record", "name": "L", "fields": [{{"name": "v", "type": "int"}}, {{"name": "next", "type": ["null", "L"], "default": null}}{extra}]}}"#
            )
        };
        assert!(rules_for(&list(""), &list("")).is_empty());
        assert_eq!(
            rules_for(&list(r#", {"name": "w", "type": "int"}"#), &list("")),
            ["avro-field-missing-default"]
        );
    }

    #[test]
    fn nested_paths_name_the_element() {
        let v1 = rec(
            r#"{"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [{"name": "price", "type": "double"}]}}}"#,
        );
        let v2 = rec(
            r#"{"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [{"name": "price", "type": "float"}]}}}"#,
        );
        let found = check(&schema(&v2), &schema(&v1));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "lines[].price");
        assert_eq!(found[0].at.pointer, "/fields/0/type/items/fields/0/type");
    }
}

#[cfg(test)]
mod recursion_tests {
    use super::*;
    use crate::schema::avro::parse;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn schema(text: &str) -> AvroSchema {
        parse(Arc::new(SourceFile::new("t.avsc", text)))
            .schema
            .unwrap()
    }

    /// A record reached through a union inside a cycle whose outer pair fails: the inner verdict
    /// leaned on the outer one and must not be cached as compatible.
    #[test]
    fn a_failed_cycle_leaves_no_false_verdict_behind() {
        let v = |extra: &str| {
            format!(
                r#"{{"type": "record", "name": "A", "fields": [
                    {{"name": "b", "type": ["null", {{"type": "record", "name": "B", "fields": [{{"name": "a", "type": ["null", "A"]}}]}}]}},
                    {{"name": "x", "type": "int"}}{extra}],
                 "aliases": []}}"#
            )
        };
        let reader = schema(&v(r#", {"name": "y", "type": "int"}"#));
        let writer = schema(&v(""));
        let mut c = Checker::new(&reader, &writer, Labels::ROLES);
        let (ra, wa) = (reader.root, writer.root);
        assert!(!c.compatible(ra, wa));
        // B contains A, so B is incompatible too.
        let b = |s: &AvroSchema| s.named["B"];
        assert!(!c.compatible(b(&reader), b(&writer)));
        let found = check(&reader, &writer);
        assert_eq!(found.len(), 1, "reported once, at A: {found:?}");
    }
}
