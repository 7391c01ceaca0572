//! `evreg diff`: what changed between two versions of a subject, as a semantic change list (each
//! change marked breaking or not, both directions) and a text diff of their normalised forms.
//!
//! The change list comes from a structural walk of the two versions (`avro`, `json`), pairing
//! old and new elements as the engines pair them (`compat::avro::writer_field`, `names_match`;
//! JSON Schema keywords by name, properties by name, definitions by name). Whether a change
//! breaks is never judged here: both versions are parsed and compared by the very calls `check`
//! makes (`parsed::parse_file`, `check::model_pair`), in both directions, with the registry's rule
//! severities and `allow` list applied as `check` applies them. Each engine finding is then
//! attached to the listed change it is about (the same place in either version, then the rule —
//! each change's `ChangeKind` names the catalogue rules it can break through — then the names it
//! mentions); a finding no change explains is kept as an "other" finding, never
//! dropped. So the verdict diff prints is check's verdict for the pair by construction.

mod avro;
mod json;

use crate::check::model_pair;
use crate::compat::json::Policy;
use crate::compat::{Mode, Pair};
use crate::finding::{Direction, Finding, Severity};
use crate::parsed::{Model, parse_file};
use crate::registry::config::Settings;
use crate::registry::{Registry, Subject, Version};
use crate::rules::Rule;
use crate::schema::Format;
use crate::schema::json::FileProvider;
use crate::source::json::{Node, Value};
use serde::{Serialize, Serializer};

pub use avro::{AvroChange, avro_changes};

/// What part of a schema a change is about, for grouping the change list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// `type`; Avro types, promotions, logical types, fixed sizes.
    Types,
    /// JSON Schema `enum` and `const`.
    Enum,
    /// Avro enum symbols and defaults.
    Symbols,
    /// `minLength`, `maxLength`, `pattern`, `format`.
    Strings,
    /// `minimum`, `maximum`, their exclusive forms, `multipleOf`.
    Numbers,
    /// `properties`, `required`, `additionalProperties`, `patternProperties`, … of JSON Schema.
    Objects,
    /// Avro record fields.
    Fields,
    /// Avro field defaults.
    Defaults,
    /// `items`, `prefixItems`, `contains`, `minItems`, …
    Arrays,
    /// Avro union branches.
    Unions,
    /// `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`.
    Combinators,
    /// `$ref`, `$defs`/`definitions`, `$id`, anchors.
    Refs,
    /// Avro names and namespaces.
    Names,
    /// `$schema`: the draft the schema is read under.
    Dialect,
    /// Keywords that do not change which data is valid: docs, titles, defaults, examples.
    Annotations,
    /// Keywords evreg does not know.
    Other,
}

impl Family {
    pub fn label(self) -> &'static str {
        match self {
            Family::Types => "types",
            Family::Enum => "enum/const",
            Family::Symbols => "enum symbols",
            Family::Strings => "strings",
            Family::Numbers => "numbers",
            Family::Objects => "object properties",
            Family::Fields => "fields",
            Family::Defaults => "defaults",
            Family::Arrays => "arrays",
            Family::Unions => "unions",
            Family::Combinators => "combinators",
            Family::Refs => "references",
            Family::Names => "names",
            Family::Dialect => "dialect",
            Family::Annotations => "annotations",
            Family::Other => "other keywords",
        }
    }
}

/// The catalogue rules named, as a `'static` list.
macro_rules! rule_list {
    ($($rule:ident),* $(,)?) => {
        const { &[$(&crate::rules::$rule),*] as &[&'static crate::rules::Rule] }
    };
}
pub(crate) use rule_list;

/// What a change is: its stable name in the change list, its family, and the catalogue rules
/// through which a change of its kind can break readers (the engine's findings pair by them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Avro(AvroChange),
    /// A JSON Schema keyword changed: `name` says how (`max-length-lowered`, `property-removed`);
    /// the keyword decides the family and the rules (`json::family_of`, `json::rules_of`).
    Keyword {
        keyword: String,
        name: String,
    },
}

impl ChangeKind {
    /// The stable name, e.g. `field-added`, `type-promoted`, `enum-narrowed`.
    pub fn as_str(&self) -> &str {
        match self {
            ChangeKind::Avro(a) => a.as_str(),
            ChangeKind::Keyword { name, .. } => name,
        }
    }

    pub fn family(&self) -> Family {
        match self {
            ChangeKind::Avro(a) => a.family(),
            ChangeKind::Keyword { keyword, .. } => json::family_of(keyword),
        }
    }

    /// The catalogue rules through which a change of this kind can break readers.
    pub fn rules(&self) -> &'static [&'static Rule] {
        match self {
            ChangeKind::Avro(a) => a.rules(),
            ChangeKind::Keyword { keyword, .. } => json::rules_of(keyword),
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ChangeKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ChangeKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One semantic change between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub family: Family,
    pub kind: ChangeKind,
    /// Readable path to the element (`lines[].price`), empty at the root.
    pub path: String,
    /// Where the change is in the new version: its file and JSON pointer (where the element is
    /// gone, its nearest parent).
    pub file: String,
    pub pointer: String,
    /// Where the change is in the old version.
    pub old_file: String,
    pub old_pointer: String,
    pub message: String,
    /// The engine found that it breaks readers of the new version reading old data.
    pub breaks_backward: bool,
    /// The engine found that it breaks readers of the old version reading new data.
    pub breaks_forward: bool,
    /// It breaks a promise of the subject's mode (an error `check` reports for this pair).
    pub breaking: bool,
    /// The engine's findings about this change.
    #[serde(serialize_with = "findings_json")]
    pub findings: Vec<Finding>,
    #[serde(skip)]
    anchor: Anchor,
}

/// How findings find their change.
#[derive(Debug, Clone, Default)]
struct Anchor {
    /// `pointer` / `old_pointer` name the changed element itself (not a parent standing in for it).
    new_exact: bool,
    old_exact: bool,
    /// Engine rules through which this kind of change can break readers (its own, and those of
    /// the applicators it sits in: a changed `anyOf` branch is reported at the `anyOf`).
    rules: Vec<&'static Rule>,
    /// A name the engine's message quotes when it is about this change (`` `status` ``).
    mention: Option<String>,
    /// The readable path is the engine's own (Avro), so it pairs findings too.
    by_path: bool,
    /// The change swaps the whole schema at its path (a `$ref` to another target): findings
    /// anywhere under that path, in whatever file the target is, are about it.
    subtree: bool,
}

/// One side of a change: (file, pointer, the pointer names the element itself).
pub(crate) type Place = (String, String, bool);

impl Change {
    pub(crate) fn new(
        kind: ChangeKind,
        path: &str,
        new: Place,
        old: Place,
        message: String,
    ) -> Change {
        let rules = kind.rules();
        Change {
            family: kind.family(),
            kind,
            path: path.to_string(),
            file: new.0,
            pointer: new.1,
            old_file: old.0,
            old_pointer: old.1,
            message,
            breaks_backward: false,
            breaks_forward: false,
            breaking: false,
            findings: Vec::new(),
            anchor: Anchor {
                new_exact: new.2,
                old_exact: old.2,
                ..Anchor::default()
            },
        }
        .rules(rules)
    }
    /// The element is gone from the new version: only `old_pointer` names it.
    pub fn removed(&self) -> bool {
        self.anchor.old_exact && !self.anchor.new_exact
    }
    pub(crate) fn rules(mut self, rules: &[&'static Rule]) -> Change {
        for r in rules {
            if !self.anchor.rules.iter().any(|have| have.id == r.id) {
                self.anchor.rules.push(r);
            }
        }
        self
    }
    pub(crate) fn mention(mut self, name: &str) -> Change {
        self.anchor.mention = Some(format!("`{name}`"));
        self
    }
    pub(crate) fn by_path(mut self) -> Change {
        self.anchor.by_path = true;
        self
    }
    pub(crate) fn subtree(mut self) -> Change {
        self.anchor.subtree = true;
        self
    }
}

fn findings_json<S: Serializer>(findings: &[Finding], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(findings.iter().map(crate::report::json::JsonFinding::of))
}

/// The answer for one pair, as `check` would give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No error for the pair under the subject's mode.
    Compatible,
    /// At least one error for the pair under the subject's mode.
    Breaking,
    /// A version is not a valid schema (or the formats differ): nothing could be compared.
    Undecided,
}

/// Everything `evreg diff` shows for one pair of versions.
#[derive(Debug, Clone, Serialize)]
pub struct VersionDiff {
    pub subject: String,
    pub from: String,
    pub to: String,
    pub mode: &'static str,
    /// The new version's file (changes elsewhere are in files its references reach).
    pub file: Option<String>,
    pub verdict: Verdict,
    /// `verdict == breaking`.
    pub breaking: bool,
    /// Why there is no verdict (invalid versions), as sentences naming the file and place.
    pub problems: Vec<String>,
    pub changes: Vec<Change>,
    /// Engine findings that no listed change explains (kept, so none is lost).
    #[serde(serialize_with = "findings_json")]
    pub other_findings: Vec<Finding>,
    pub text_diff: String,
}

impl VersionDiff {
    /// Every engine finding for the pair, attached or not.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.changes
            .iter()
            .flat_map(|c| &c.findings)
            .chain(&self.other_findings)
    }
}

/// What a diff is judged under: the subject and the registry settings `check` applies.
pub struct Judge<'a> {
    pub subject: &'a str,
    /// The subject's format: versions of another format are layout errors, never compared.
    pub format: Option<Format>,
    pub mode: Mode,
    pub policy: Policy,
    /// The JSON Schema draft of files without `$schema`, as `check` assumes it.
    pub draft: crate::schema::json::Draft,
    pub settings: &'a Settings,
}

impl<'a> Judge<'a> {
    pub fn of(reg: &'a Registry, subject: &'a Subject) -> Judge<'a> {
        Judge {
            subject: &subject.name,
            format: subject.format,
            mode: subject.mode(&reg.settings),
            policy: subject.policy(&reg.settings),
            draft: subject.json_schema_draft,
            settings: &reg.settings,
        }
    }
}

/// One side of a diff: a version (none when the subject did not exist there), its label (`v2`,
/// `origin/main:v2`) and the files its references resolve among.
pub struct Side<'a> {
    pub label: String,
    pub version: Option<&'a Version>,
    pub files: &'a FileProvider,
}

/// Diff two versions of one subject in a registry.
pub fn diff_subject(reg: &Registry, subject: &Subject, a: u32, b: u32) -> Option<VersionDiff> {
    let files = FileProvider::in_memory(reg.root.clone(), reg.all_files());
    let side = |n: u32| -> Option<Side> {
        Some(Side {
            label: format!("v{n}"),
            version: Some(subject.version(n)?),
            files: &files,
        })
    };
    Some(diff_versions(&Judge::of(reg, subject), side(a)?, side(b)?))
}

/// Diff two versions: changes, the engine's findings for both directions attached to them, the
/// verdict under the subject's mode, and the text diff.
pub fn diff_versions(judge: &Judge, old: Side, new: Side) -> VersionDiff {
    let text = |v: Option<&Version>| {
        v.map(|v| match crate::source::json::parse(&v.source.text) {
            Ok(node) => normalized(&node),
            Err(_) => v.source.text.clone(),
        })
        .unwrap_or_default()
    };
    let mut d = VersionDiff {
        subject: judge.subject.to_string(),
        from: old.label.clone(),
        to: new.label.clone(),
        mode: judge.mode.as_str(),
        file: new.version.map(|v| v.source.path.clone()),
        verdict: Verdict::Compatible,
        breaking: false,
        problems: Vec::new(),
        changes: Vec::new(),
        other_findings: Vec::new(),
        text_diff: unified(
            &format!("{} {}", judge.subject, old.label),
            &format!("{} {}", judge.subject, new.label),
            &text(old.version),
            &text(new.version),
        ),
    };
    // A subject new (or gone) on one side has nothing to be compatible with.
    let (Some(ov), Some(nv)) = (old.version, new.version) else {
        return d;
    };
    if let Some(why) = mixed_formats(judge, (&old, ov), (&new, nv)) {
        d.verdict = Verdict::Undecided;
        d.problems.push(format!(
            "{why}: compatibility is defined between versions of one format"
        ));
        return d;
    }
    // What the loader says of a file it still loads (a keyword another draft defines): `check`
    // reports it on the version, so the diff carries it too.
    let mut file_findings: Vec<Finding> = Vec::new();
    let old_model = parse_side(judge, &old, ov, &mut d.problems, &mut file_findings);
    let new_model = parse_side(judge, &new, nv, &mut d.problems, &mut file_findings);
    let (Some(om), Some(nm)) = (old_model, new_model) else {
        d.verdict = Verdict::Undecided;
        return d;
    };
    let mut findings = engine_findings(judge, (&old, ov, &om), (&new, nv, &nm));
    findings.extend(file_findings);
    let findings: Vec<Finding> = judge
        .settings
        .apply(findings, crate::registry::CONFIG_FILE)
        .into_iter()
        .filter(|f| f.rule.id != crate::rules::ALLOW_UNUSED.id)
        .collect();
    d.changes = match (&om, &nm) {
        (Model::Avro(o), Model::Avro(n)) => avro::changes(o, n),
        (Model::Json(o), Model::Json(n)) => json::changes(o, n),
        _ => Vec::new(),
    };
    d.other_findings = attach(&mut d.changes, findings);
    judge_changes(&mut d, judge.mode);
    d
}

/// Why two versions cannot be compared: their formats differ from each other or from the
/// subject's.
fn mixed_formats(judge: &Judge, old: (&Side, &Version), new: (&Side, &Version)) -> Option<String> {
    let name = |f: Format| match f {
        Format::Avro => "Avro",
        Format::JsonSchema => "JSON Schema",
    };
    let ((old, ov), (new, nv)) = (old, new);
    if ov.format != nv.format {
        return Some(format!(
            "{} is {} and {} is {}",
            old.label,
            name(ov.format),
            new.label,
            name(nv.format)
        ));
    }
    judge.format.filter(|&f| f != ov.format).map(|f| {
        format!(
            "{} and {} are {}, but the subject is {} (the format of its first version)",
            old.label,
            new.label,
            name(ov.format),
            name(f)
        )
    })
}

/// One side's version parsed as `check` parses it. Why it cannot be goes to `problems`; what the
/// loader says of a file it still loads goes to `file_findings`.
fn parse_side(
    judge: &Judge,
    side: &Side,
    v: &Version,
    problems: &mut Vec<String>,
    file_findings: &mut Vec<Finding>,
) -> Option<Model> {
    if !v.readable {
        problems.push(format!(
            "{} ({}) is not UTF-8 text",
            side.label, v.source.path
        ));
        return None;
    }
    let (model, found) = parse_file(
        v.source.clone(),
        &v.source.path,
        v.format,
        side.files,
        judge.draft,
    );
    if model.is_none() {
        problems.extend(found.iter().map(|f| {
            let at = f
                .location
                .as_ref()
                .map(|l| match (l.line, l.column) {
                    (Some(line), Some(col)) => format!("{}:{line}:{col}", l.file),
                    _ => l.file.clone(),
                })
                .unwrap_or_else(|| v.source.path.clone());
            format!("{} is not a valid schema: {} ({at})", side.label, f.message)
        }));
    } else {
        file_findings.extend(
            found
                .into_iter()
                .map(|f| f.subject(judge.subject).version(v.number)),
        );
    }
    model
}

/// The engine, both directions, exactly as `check` calls it for a pair of its mode.
fn engine_findings(
    judge: &Judge,
    (old, ov, om): (&Side, &Version, &Model),
    (new, nv, nm): (&Side, &Version, &Model),
) -> Vec<Finding> {
    let labels = (new.label.clone(), old.label.clone());
    let mut findings = Vec::new();
    for direction in [Direction::Backward, Direction::Forward] {
        let pair = Pair {
            new: nv.number,
            old: ov.number,
            direction,
        };
        findings.extend(
            model_pair(pair, nm, om, judge.policy, &labels)
                .into_iter()
                .map(|f| f.subject(judge.subject)),
        );
    }
    findings
}

/// Mark each change by its attached findings, and the pair by all of them, as `check` judges
/// the pair under `mode`.
fn judge_changes(d: &mut VersionDiff, mode: Mode) {
    let promised = mode.directions();
    let breaks = |f: &Finding, dir: Direction| {
        f.direction == Some(dir) && (f.severity == Severity::Error || f.allowed.is_some())
    };
    // An error about a version itself (no direction) fails the pair as `check` fails it.
    let fails = |f: &Finding| {
        f.severity == Severity::Error && f.direction.is_none_or(|x| promised.contains(&x))
    };
    for c in &mut d.changes {
        c.breaks_backward = c.findings.iter().any(|f| breaks(f, Direction::Backward));
        c.breaks_forward = c.findings.iter().any(|f| breaks(f, Direction::Forward));
        c.breaking = c.findings.iter().any(fails);
    }
    let breaking = d.findings().any(fails);
    d.breaking = breaking;
    d.verdict = if d.breaking {
        Verdict::Breaking
    } else {
        Verdict::Compatible
    };
}

/// Attach each finding to the change it is about; return those no change explains.
fn attach(changes: &mut [Change], findings: Vec<Finding>) -> Vec<Finding> {
    let mut other = Vec::new();
    for f in findings {
        let best = changes
            .iter()
            .enumerate()
            .filter_map(|(i, c)| score(c, &f).map(|s| (s, i)))
            // The best score; among equals, the change listed first.
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        match best {
            Some((_, i)) => changes[i].findings.push(f),
            None => other.push(f),
        }
    }
    other
}

/// How well a change explains a finding: (place, rule, mention, depth), higher is better;
/// `None` when it does not explain it at all.
///
/// Place: 3 — the finding is at the change's own pointer in either version (or, for Avro, at its
/// path); 2 — inside the changed element; 1 — at an element that encloses the change (only when
/// the rule is one this kind of change can cause, or the finding is about a version by itself).
/// A change whose pointer merely stands in for a
/// removed element pairs only by equality there.
fn score(c: &Change, f: &Finding) -> Option<(u8, bool, bool, i64)> {
    let rule = c.anchor.rules.iter().any(|r| r.id == f.rule.id);
    if c.family == Family::Annotations && !rule {
        return None;
    }
    let mut best: Option<(u8, i64)> = None;
    // A finding about one version by itself (no direction: a keyword the draft ignores) may sit
    // in either file, and explains any change it encloses.
    let own = f.direction.is_none();
    let sides = [
        (f.location.as_ref(), &c.file, &c.pointer, c.anchor.new_exact),
        (
            f.other_location.as_deref(),
            &c.old_file,
            &c.old_pointer,
            c.anchor.old_exact,
        ),
        (
            if own { f.location.as_ref() } else { None },
            &c.old_file,
            &c.old_pointer,
            c.anchor.old_exact,
        ),
    ];
    for (loc, file, pointer, exact) in sides {
        let Some(loc) = loc else { continue };
        if loc.file != *file {
            continue;
        }
        let here = depth(pointer);
        let place = if loc.pointer == *pointer {
            Some((3, here))
        } else if exact && inside(&loc.pointer, pointer) {
            Some((2, here))
        } else if exact && (rule || own) && inside(pointer, &loc.pointer) {
            Some((1, depth(&loc.pointer) - here))
        } else {
            None
        };
        best = best.max(place);
    }
    let fpath = f.path.as_deref().unwrap_or("");
    if c.anchor.by_path && fpath == c.path {
        best = best.max(Some((3, 0)));
    }
    if c.anchor.subtree && under_path(fpath, &c.path) {
        best = best.max(Some((2, c.path.matches(['.', '[']).count() as i64)));
    }
    let (place, d) = best?;
    let mention = c
        .anchor
        .mention
        .as_ref()
        .is_some_and(|m| f.message.contains(m.as_str()));
    Some((place, rule, mention, d))
}

/// Is readable path `path` (`total.amount`, `lines[].sku`) at or under `parent`?
fn under_path(path: &str, parent: &str) -> bool {
    parent.is_empty()
        || path == parent
        || path
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
}

fn depth(pointer: &str) -> i64 {
    pointer.matches('/').count() as i64
}

/// Is `pointer` strictly inside `parent`?
fn inside(pointer: &str, parent: &str) -> bool {
    pointer.len() > parent.len()
        && pointer.starts_with(parent)
        && pointer.as_bytes()[parent.len()] == b'/'
}

/// A version's JSON pretty-printed with keys sorted, so a text diff shows content, not layout.
pub fn normalized(node: &Node) -> String {
    let mut out = String::new();
    pretty(node, 0, true, &mut out);
    out.push('\n');
    out
}

/// A JSON document pretty-printed in the same layout, keys in their order (files `evreg import`
/// writes).
pub fn pretty_printed(node: &Node) -> String {
    let mut out = String::new();
    pretty(node, 0, false, &mut out);
    out.push('\n');
    out
}

fn pretty(node: &Node, indent: usize, sort: bool, out: &mut String) {
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
                pretty(item, indent + 1, sort, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}]", pad(indent)));
        }
        Value::Object(members) if !members.is_empty() => {
            let mut sorted: Vec<_> = members.iter().collect();
            if sort {
                sorted.sort_by(|a, b| a.key.cmp(&b.key));
            }
            out.push_str("{\n");
            for (i, m) in sorted.iter().enumerate() {
                out.push_str(&format!(
                    "{}{}: ",
                    pad(indent + 1),
                    serde_json::Value::String(m.key.clone())
                ));
                pretty(&m.value, indent + 1, sort, out);
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

#[cfg(test)]
mod tests;
