//! `evreg check` and `evreg compat` as library calls: files → models → engines → findings.
//! Nothing here prints.

use crate::compat::json::Policy;
use crate::compat::{self, Labels, Mode, Pair};
use crate::finding::{self, About, Direction, Finding, Summary};
use crate::parsed::{Locate, Model, parse_file, parse_subject};
use crate::registry::{self, Registry, Subject};
use crate::report::Report;
use crate::rules;
use crate::schema::avro::{AvroSchema, Kind};
use crate::schema::json::{Draft, FileProvider, JsonSchema};
use crate::schema::{self, Format};
use crate::source::{SourceFile, SourceMap};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `check` compares against besides the registry itself.
#[derive(Default)]
pub struct CheckOptions<'a> {
    /// The registry at a baseline (a git ref, or HEAD for a commit being made): published
    /// versions must be unchanged there, modes not loosened, and versions added since are judged
    /// under the baseline's mode too.
    pub baseline: Option<crate::integrity::Baseline<'a>>,
    /// Report only findings the baseline does not already have (adopting evreg on an old registry).
    pub only_new: bool,
    /// Check only these subjects' versions (empty: all). Every file is still read, so references
    /// resolve; findings of other subjects may remain and are for the caller to filter.
    pub subjects: &'a [String],
}

/// Everything `evreg check` verifies on a registry: layout, schema validity, lint of each
/// subject's latest version, compatibility of every version with the versions its mode names,
/// and the fingerprints in `evreg.lock`.
pub fn check(reg: &Registry) -> Report {
    check_with(reg, &CheckOptions::default())
}

/// `check`, with a git baseline.
pub fn check_with(reg: &Registry, options: &CheckOptions) -> Report {
    let Some(baseline) = &options.baseline else {
        return check_subjects(reg, options.subjects);
    };
    let full = baseline.scope == crate::integrity::Scope::Everything;
    let (mut findings, mut sources) =
        collect(reg, full.then_some(baseline.registry), options.subjects);
    let comparison = crate::integrity::compare(baseline, reg);
    for f in comparison.sources {
        sources.insert(f);
    }
    crate::integrity::drop_repeated_lock_findings(&mut findings, &comparison.findings);
    findings.extend(comparison.findings);
    // Integrity is judged at the baseline's levels where the change lowers them.
    let settings = crate::integrity::effective_settings(&baseline.registry.settings, &reg.settings);
    let mut findings = settings.apply(findings, registry::CONFIG_FILE);
    if options.only_new {
        let known: std::collections::HashSet<_> = check_registry(baseline.registry)
            .findings
            .iter()
            .map(identity)
            .collect();
        findings.retain(|f| !known.contains(&identity(f)));
    }
    Report::new(findings, sources)
}

/// What makes two findings "the same" across versions of a registry: rule, subject, versions,
/// direction, element path and pointer (not the message, whose wording may change).
type Identity = (
    &'static str,
    Option<String>,
    Option<u32>,
    Option<u32>,
    Option<crate::finding::Direction>,
    Option<String>,
    String,
);

fn identity(f: &Finding) -> Identity {
    (
        f.rule.id,
        f.subject.clone(),
        f.version,
        f.other_version,
        f.direction,
        f.path.clone(),
        f.location
            .as_ref()
            .map(|l| l.pointer.clone())
            .unwrap_or_default(),
    )
}

fn check_registry(reg: &Registry) -> Report {
    check_subjects(reg, &[])
}

fn check_subjects(reg: &Registry, only: &[String]) -> Report {
    let (findings, sources) = collect(reg, None, only);
    let findings = reg.settings.apply(findings, registry::CONFIG_FILE);
    Report::new(findings, sources)
}

/// Every finding of the registry itself, before severities and `allow` are applied. With a
/// baseline, versions added since are also judged under the baseline's mode. With `only`, the
/// other subjects' schemas are not checked.
fn collect(reg: &Registry, base: Option<&Registry>, only: &[String]) -> (Vec<Finding>, SourceMap) {
    // evreg.lock's fingerprints are taken from the models parsed below (each version once).
    let lock_files = reg.lock.as_ref().map(|_| crate::integrity::files_of(reg));
    let lock_files = lock_files.as_ref();
    let mut fingerprints = std::collections::HashMap::new();
    // Fixtures sit under their subjects: the models of those subjects go on to the fixture
    // checks below, the rest are dropped subject by subject.
    let with_fixtures: std::collections::HashSet<&str> =
        reg.fixtures.iter().map(|f| f.subject.as_str()).collect();
    let with_fixtures = &with_fixtures;
    let mut sources = reg.sources();
    // `$ref`s resolve among the files the registry was read from (the working tree, a git ref
    // or the index alike), never from whatever else is on disk.
    let provider = FileProvider::in_memory(reg.root.clone(), reg.all_files());
    let provider = &provider;
    let subjects: Vec<&Subject> = reg
        .subjects
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.name) || with_fixtures.contains(&*s.name))
        .collect();
    /// What checking one subject yields.
    #[derive(Default)]
    struct Checked {
        /// Its findings, in report order (none when it is checked only for its fixtures).
        findings: Option<Vec<Finding>>,
        /// Files its JSON Schema versions reach besides their own.
        files: Vec<Arc<SourceFile>>,
        /// Its versions' models, kept for the fixture checks.
        models: Option<Vec<Option<Model>>>,
        /// evreg.lock fingerprints of its versions, by file.
        fingerprints: Vec<(String, Option<String>)>,
    }
    // Subjects are independent: check them on every core.
    let checked = crate::parallel::map(&subjects, |s| {
        let mut out = Checked::default();
        let (models, mut mine) = parse_subject(s, provider);
        if let Some(lock_files) = lock_files {
            for (v, m) in s.versions.iter().zip(&models) {
                if let Some(m) = m {
                    let fp = crate::integrity::fingerprint_parsed(lock_files, v, m);
                    out.fingerprints.push((v.source.path.clone(), fp));
                }
            }
        }
        if only.is_empty() || only.contains(&s.name) {
            mine.extend(check_subject(reg, s, &models, base, &mut out.files));
            // In report order already, so the report's sort of all findings meets long
            // sorted runs.
            crate::finding::sort_in_report_order(&mut mine);
            out.findings = Some(mine);
        }
        if with_fixtures.contains(&*s.name) {
            out.models = Some(models);
        }
        out
    });
    // Each subject's findings, in subject order.
    let mut per_subject: Vec<Vec<Finding>> = Vec::with_capacity(checked.len());
    let mut kept: Vec<(String, Vec<Option<Model>>)> = Vec::new();
    for (s, c) in subjects.iter().zip(checked) {
        per_subject.extend(c.findings);
        fingerprints.extend(c.fingerprints);
        for f in c.files {
            sources.insert(f);
        }
        if let Some(models) = c.models {
            kept.push((s.name.clone(), models));
        }
    }
    let mut others = reg.findings.clone();
    if let (Some(lock), Some(lock_files)) = (&reg.lock, lock_files) {
        others.extend(crate::integrity::check_lock_with(
            reg,
            lock,
            lock_files,
            &fingerprints,
        ));
    }
    let catalog = crate::validate::events::Catalog::from_models(reg, kept);
    others.extend(crate::validate::fixtures::check_fixtures(reg, &catalog));
    // One vector of exactly the size of all findings, each subject's moved in and freed in
    // turn: the threads' growing vectors and the report's doubling one were the run's peak.
    let total = others.len() + per_subject.iter().map(Vec::len).sum::<usize>();
    let mut findings = Vec::with_capacity(total);
    findings.append(&mut others);
    for mut mine in per_subject {
        findings.append(&mut mine);
    }
    (findings, sources)
}

/// Lint and compatibility of one subject, from its versions' models.
fn check_subject(
    reg: &Registry,
    subject: &Subject,
    models: &[Option<Model>],
    base: Option<&Registry>,
    files: &mut Vec<Arc<SourceFile>>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for m in models.iter().flatten() {
        if let Model::Json(s) = m {
            for f in s.files.iter().skip(1) {
                if !files.iter().any(|x| x.path == f.source.path) {
                    files.push(f.source.clone());
                }
            }
        }
    }
    // A lint that is off (by default, or in evreg.yaml) is not run at all: thousands of notes
    // nobody reads would be built, sorted and dropped.
    if let Some(Some(Model::Avro(latest))) = models.last()
        && reg.settings.level(&rules::AVRO_DOC_MISSING).is_some()
    {
        let n = subject.versions.last().map_or(0, |v| v.number);
        findings.extend(
            lint_avro(latest)
                .into_iter()
                .map(|f| f.subject(&subject.name).version(n)),
        );
    }
    let mode = subject.mode(&reg.settings);
    let policy = subject.policy(&reg.settings);
    let model_of = |n: u32| -> Option<&Model> {
        let i = subject.versions.iter().position(|v| v.number == n)?;
        if Some(subject.versions[i].format) != subject.format {
            return None;
        }
        models.get(i)?.as_ref()
    };
    // A mode loosened in the same change does not apply to the versions that change adds.
    let base_subject = base.and_then(|b| Some((b.subject(&subject.name)?, &b.settings)));
    let mut chain = Chain::default();
    for v in &subject.versions {
        let mut pairs = mode.pairs(v.number);
        if let Some((was, settings)) = base_subject
            && was.version(v.number).is_none()
        {
            for p in was.mode(settings).pairs(v.number) {
                if !pairs.contains(&p) {
                    pairs.push(p);
                }
            }
        }
        for pair in pairs {
            let (Some(new), Some(old)) = (model_of(pair.new), model_of(pair.old)) else {
                continue;
            };
            let json = matches!((new, old), (Model::Json(_), Model::Json(_)));
            if json && chain.settles(pair) {
                continue;
            }
            let labels = (format!("v{}", pair.new), format!("v{}", pair.old));
            let found = model_pair(pair, new, old, policy, &labels);
            if json {
                chain.record(pair, found.is_empty());
            }
            findings.extend(found.into_iter().map(|f| f.subject(&subject.name)));
        }
    }
    findings
}

/// JSON Schema compatibility is inclusion of instance sets, which is transitive: where every step
/// from one version to the next between two versions was checked and found nothing in a pair's
/// direction, the pair holds by that chain and is not checked again, so a transitive mode costs
/// checks linear in the versions, not quadratic. Avro's resolution is not transitive (a field
/// removed, then added back with another type), so every Avro pair is checked.
#[derive(Debug, Default)]
struct Chain {
    /// Steps (version n from version n-1, in a direction) that were checked and found nothing.
    clean: HashSet<(u32, Direction)>,
}

impl Chain {
    /// Does `pair` hold by a chain of such steps?
    fn settles(&self, pair: Pair) -> bool {
        pair.new > pair.old + 1
            && (pair.old + 1..=pair.new).all(|n| self.clean.contains(&(n, pair.direction)))
    }

    /// A pair was checked: a step that found nothing joins the chain.
    fn record(&mut self, pair: Pair, found_nothing: bool) {
        if pair.new == pair.old + 1 && found_nothing {
            self.clean.insert((pair.new, pair.direction));
        }
    }
}

/// The findings of one pair of models of the same format (none for models of different formats).
pub fn model_pair(
    pair: Pair,
    new: &Model,
    old: &Model,
    policy: Policy,
    labels: &(String, String),
) -> Vec<Finding> {
    match (new, old) {
        (Model::Avro(n), Model::Avro(o)) => avro_pair(pair, n, o, labels),
        (Model::Json(n), Model::Json(o)) => json_pair(pair, n, o, policy, labels),
        _ => Vec::new(),
    }
}

/// The findings of one Avro pair.
pub fn avro_pair(
    pair: Pair,
    new: &AvroSchema,
    old: &AvroSchema,
    labels: &(String, String),
) -> Vec<Finding> {
    let (reader, writer) = match pair.direction {
        Direction::Backward => (new, old),
        Direction::Forward => (old, new),
    };
    let drafts = compat::avro::check_labelled(reader, writer, pair_labels(pair, labels));
    pair_findings(pair, drafts, new, old)
}

/// The findings of one JSON Schema pair.
pub fn json_pair(
    pair: Pair,
    new: &JsonSchema,
    old: &JsonSchema,
    policy: Policy,
    labels: &(String, String),
) -> Vec<Finding> {
    let (reader, writer) = match pair.direction {
        Direction::Backward => (new, old),
        Direction::Forward => (old, new),
    };
    let drafts = compat::json::check_labelled(reader, writer, policy, pair_labels(pair, labels));
    pair_findings(pair, drafts, new, old)
}

/// The labels of `pair`'s reader and writer, given the (new, old) versions' labels: the engines
/// build each message with them.
fn pair_labels(pair: Pair, (new, old): &(String, String)) -> Labels<'_> {
    match pair.direction {
        Direction::Backward => Labels {
            reader: new,
            writer: old,
        },
        Direction::Forward => Labels {
            reader: old,
            writer: new,
        },
    }
}

/// Turn an engine's drafts into findings: each located in the new version's files, with the
/// matching place in the old one (the draft's reader place is in the new version when the new
/// version reads, its writer place when the old one does).
pub fn pair_findings(
    pair: Pair,
    drafts: Vec<finding::Draft>,
    new: &dyn Locate,
    old: &dyn Locate,
) -> Vec<Finding> {
    let about = About {
        subject: None,
        version: (pair.new > 0).then_some(pair.new),
        other_version: (pair.old > 0).then_some(pair.old),
        direction: Some(pair.direction),
    };
    drafts
        .into_iter()
        .map(|d| {
            let whole = finding::Place::default();
            let (reader, writer) = (&d.at, d.other.as_ref().unwrap_or(&whole));
            let (new_at, old_at) = match pair.direction {
                Direction::Backward => (reader, writer),
                Direction::Forward => (writer, reader),
            };
            let location = new.locate(new_at.file, &new_at.pointer);
            let other_location = old.locate(old_at.file, &old_at.pointer);
            d.finding(about, Some(location), Some(other_location))
        })
        .collect()
}

/// Lint of one Avro version: docs on every named type and field.
pub fn lint_avro(s: &AvroSchema) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut named: Vec<_> = s.named.values().copied().collect();
    named.sort_by(|a, b| s.ty(*a).pointer.cmp(&s.ty(*b).pointer));
    for id in named {
        let t = s.ty(id);
        let (doc, fields) = match &t.kind {
            Kind::Record(r) => (&r.doc, Some(&r.fields)),
            Kind::Enum(e) => (&e.doc, None),
            Kind::Fixed(f) => (&f.doc, None),
            _ => continue,
        };
        let name = t.kind.name().map(|n| n.fullname()).unwrap_or_default();
        if doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            out.push(
                Finding::new(
                    &rules::AVRO_DOC_MISSING,
                    format!("{} `{name}` has no doc", t.kind.type_name()),
                    "add \"doc\": \"what it is and when it is sent\"",
                )
                .at(s.location(&t.pointer)),
            );
        }
        for f in fields.into_iter().flatten() {
            if f.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
                out.push(
                    Finding::new(
                        &rules::AVRO_DOC_MISSING,
                        format!("field `{}` of `{name}` has no doc", f.name),
                        "add \"doc\": \"meaning, unit, invariants\"",
                    )
                    .at(s.location(&f.pointer)),
                );
            }
        }
    }
    out
}

/// Why `compat` could not decide.
#[derive(Debug)]
pub enum CompatError {
    Io { path: String, error: std::io::Error },
    UnknownFormat { path: String },
    FormatsDiffer,
}

impl fmt::Display for CompatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompatError::Io { path, error } => write!(f, "cannot read {path}: {error}"),
            CompatError::UnknownFormat { path } => write!(
                f,
                "cannot tell the format of {path}\n  help: name Avro files *.avsc and JSON Schema files *.json, or pass --type avro|json-schema"
            ),
            CompatError::FormatsDiffer => write!(
                f,
                "the two files have different formats; compatibility is defined between versions of one format"
            ),
        }
    }
}

impl std::error::Error for CompatError {}

/// The answer of `compat`: the findings, and whether the pair is compatible under the mode
/// (`None` when a schema is invalid, so nothing could be decided).
pub struct CompatOutcome {
    pub report: Report,
    pub compatible: Option<bool>,
}

/// Compare two schema files under a mode, no registry needed. `old` plays version 1 and `new`
/// version 2 for the mode's pairs; `draft` is the JSON Schema draft assumed for a file without
/// `$schema`.
pub fn compat_files(
    old: &Path,
    new: &Path,
    mode: Mode,
    format: Option<Format>,
    policy: Policy,
    draft: Draft,
) -> Result<CompatOutcome, CompatError> {
    let read = |p: &Path| -> Result<(Result<Arc<SourceFile>, Finding>, Format), CompatError> {
        let path = p.display().to_string();
        let format = match format {
            Some(f) => f,
            None => Format::of_path(&path)
                .ok_or_else(|| CompatError::UnknownFormat { path: path.clone() })?,
        };
        let bytes = std::fs::read(p).map_err(|error| CompatError::Io {
            path: path.clone(),
            error,
        })?;
        Ok((schema::decode(&path, bytes), format))
    };
    let (old_src, old_fmt) = read(old)?;
    let (new_src, new_fmt) = read(new)?;
    if old_fmt != new_fmt {
        return Err(CompatError::FormatsDiffer);
    }
    let mut sources = SourceMap::default();
    let mut findings = Vec::new();
    let mut models = Vec::new();
    // One file named as both sides: its problems are reported once.
    let same_file = matches!(
        (old.canonicalize(), new.canonicalize()),
        (Ok(a), Ok(b)) if a == b
    );
    for (i, (src, path)) in [(old_src, old), (new_src, new)].into_iter().enumerate() {
        let report = i == 0 || !same_file;
        match src {
            Ok(src) => {
                sources.insert(src.clone());
                let (root, rel) = loose_root(path);
                let provider = FileProvider::new(root);
                let (model, found) = parse_file(src, &rel, old_fmt, &provider, draft);
                if let Some(Model::Json(s)) = &model {
                    for f in s.files.iter().skip(1) {
                        sources.insert(f.source.clone());
                    }
                }
                if report {
                    findings.extend(found);
                }
                models.push(model);
            }
            Err(f) => {
                if report {
                    findings.push(f);
                }
                models.push(None);
            }
        }
    }
    let compatible = match (&models[0], &models[1]) {
        (Some(old_s), Some(new_s)) => {
            // File names say which is which; when both are called the same, the paths do.
            let (new_path, old_path) = (new.display().to_string(), old.display().to_string());
            let labels = match (display_name(&new_path), display_name(&old_path)) {
                (n, o) if n == o => (new_path, old_path),
                names => names,
            };
            for pair in mode.pairs(2) {
                let pair = Pair {
                    new: 0,
                    old: 0,
                    ..pair
                };
                findings.extend(model_pair(pair, new_s, old_s, policy, &labels));
            }
            // Errors of a schema that still loads (a keyword its draft ignores) leave the verdict
            // open as much as the pair's own.
            Some(!findings.iter().any(Finding::is_error))
        }
        _ => None,
    };
    Ok(CompatOutcome {
        report: Report::new(findings, sources),
        compatible,
    })
}

/// Where a loose file's `$ref`s to other files are read from: the registry it lies in (the
/// nearest folder upwards with evreg.yaml), else its own folder. Returns the root and the file's
/// path relative to it.
fn loose_root(path: &Path) -> (PathBuf, String) {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = dir
        .ancestors()
        .find(|d| d.join(registry::CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.clone());
    let rel = abs
        .strip_prefix(&root)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_else(|_| display_name(&path.display().to_string()));
    (root, rel)
}

fn display_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

impl Report {
    pub fn summary(&self) -> Summary {
        Summary::of(&self.findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(new: u32, old: u32, direction: Direction) -> Pair {
        Pair {
            new,
            old,
            direction,
        }
    }

    #[test]
    fn a_pair_is_settled_only_by_clean_steps_over_its_whole_span_in_its_direction() {
        use Direction::{Backward, Forward};
        let mut chain = Chain::default();
        chain.record(pair(2, 1, Backward), true);
        chain.record(pair(3, 2, Backward), true);
        chain.record(pair(3, 2, Forward), true);
        chain.record(pair(4, 3, Backward), false);
        // A longer pair that found nothing is no step.
        chain.record(pair(5, 3, Backward), true);
        assert!(chain.settles(pair(3, 1, Backward)));
        // Not the other direction (2 from 1 was not checked forward).
        assert!(!chain.settles(pair(3, 1, Forward)));
        // Not across the step that found something.
        assert!(!chain.settles(pair(4, 1, Backward)));
        assert!(!chain.settles(pair(5, 3, Backward)));
        // A step itself is always checked.
        assert!(!chain.settles(pair(2, 1, Backward)));
    }
}
