//! The registry on disk: `evreg.yaml`, `schemas/<subject>/vN.<ext>`, `subject.yaml`. Discovery
//! reads every file once into the source map and reports layout problems as findings; only what
//! stops the command (no registry, a bad settings file, an unreadable folder) is an error.

pub mod config;
#[cfg(feature = "git")]
pub mod git;
pub mod lock;
pub mod tree;

use crate::compat::Mode;
use crate::finding::{Finding, Location};
use crate::rules;
use crate::schema::{self, Format};
use crate::source::{SourceFile, SourceMap};
pub use config::{ConfigError, Settings, SubjectMeta};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub use tree::{Entry, EntryKind, FsTree, Tree};

pub const CONFIG_FILE: &str = "evreg.yaml";
pub const SCHEMAS_DIR: &str = "schemas";
pub const FIXTURES_DIR: &str = "fixtures";
pub const SUBJECT_FILE: &str = "subject.yaml";

#[derive(Debug)]
pub struct Registry {
    pub root: PathBuf,
    pub settings: Settings,
    pub subjects: Vec<Subject>,
    /// Layout findings from discovery.
    pub findings: Vec<Finding>,
    /// `evreg.lock`, when the registry has one.
    pub lock: Option<crate::registry::lock::Lock>,
    /// Sample events under `fixtures/`.
    pub fixtures: Vec<Fixture>,
    /// Plain files directly under `schemas/`: shared definitions that versions `$ref`.
    pub shared: Vec<Arc<SourceFile>>,
}

/// A sample event: `fixtures/<subject>/vN/NAME.json`, or under `invalid/` for one the version
/// must reject.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub subject: String,
    pub version: u32,
    pub negative: bool,
    pub source: Arc<SourceFile>,
    pub readable: bool,
}

#[derive(Debug)]
pub struct Subject {
    pub name: String,
    /// The format of its first version (a subject has one format; others are layout errors).
    pub format: Option<Format>,
    pub meta: SubjectMeta,
    /// The JSON Schema draft assumed for its files without `$schema`: the subject's own
    /// `json-schema-draft`, else the registry's.
    pub json_schema_draft: crate::schema::json::Draft,
    /// Sorted by number; a number appears once.
    pub versions: Vec<Version>,
}

#[derive(Debug, Clone)]
pub struct Version {
    pub number: u32,
    pub format: Format,
    pub source: Arc<SourceFile>,
    /// False when the file is not UTF-8: the finding is already made and the text is empty.
    pub readable: bool,
}

impl Subject {
    pub fn mode(&self, settings: &Settings) -> Mode {
        self.meta.compatibility.unwrap_or(settings.compatibility)
    }
    /// The JSON Schema policy: the subject's own, else the registry's.
    pub fn policy(&self, settings: &Settings) -> crate::compat::json::Policy {
        self.meta.policy.unwrap_or(settings.policy)
    }
    pub fn version(&self, number: u32) -> Option<&Version> {
        self.versions.iter().find(|v| v.number == number)
    }
    pub fn latest(&self) -> Option<&Version> {
        self.versions.last()
    }
    pub fn next_number(&self) -> u32 {
        self.versions.last().map_or(1, |v| v.number + 1)
    }
}

/// Why a registry could not be read: the command stops with exit 2.
#[derive(Debug)]
pub enum LoadError {
    NotFound {
        start: PathBuf,
    },
    Config(ConfigError),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A file or folder the gate refuses (leaves the registry, is no regular file).
    Refused(crate::fsutil::GateError),
}

impl From<crate::fsutil::GateError> for LoadError {
    fn from(e: crate::fsutil::GateError) -> Self {
        match e {
            crate::fsutil::GateError::Io { path, error } => LoadError::Io { path, error },
            e => LoadError::Refused(e),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound { start } => write!(
                f,
                "no {CONFIG_FILE} in {} or any parent folder\n  help: run `evreg init` to create a registry here, or pass --registry DIR",
                start.display()
            ),
            LoadError::Config(e) => e.fmt(f),
            LoadError::Io { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            LoadError::Refused(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ConfigError> for LoadError {
    fn from(e: ConfigError) -> Self {
        LoadError::Config(e)
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Is this a safe single folder name for a subject? Names come from users and from disk; a name
/// that could leave `schemas/` is refused whatever the naming rule says.
pub fn is_safe_subject_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.chars().all(|c| !c.is_control())
}

/// The highest version number a subject may have. Schema Registry numbers versions with a Java
/// `int`; evreg keeps well inside it so that every pass over a subject's versions (transitive
/// pairs, gap reports) stays small. A file named beyond it is not a version (`layout-unknown-file`).
pub const MAX_VERSION: u32 = 1_000_000;

/// The version number and format a file name claims: `v3.avsc` → (3, Avro); `None` for other
/// names and for numbers above [`MAX_VERSION`].
pub fn parse_version_file(name: &str) -> Option<(u32, Format)> {
    let (stem, format) = if let Some(s) = name.strip_suffix(".avsc") {
        (s, Format::Avro)
    } else if let Some(s) = name.strip_suffix(".schema.json") {
        (s, Format::JsonSchema)
    } else {
        return None;
    };
    let digits = stem.strip_prefix('v')?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 7 {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    (n <= MAX_VERSION).then_some((n, format))
}

/// A fixture folder's version: `v3` → 3, within the same bounds as version files.
pub fn parse_version_dir(name: &str) -> Option<u32> {
    let digits = name.strip_prefix('v')?;
    if digits.is_empty() || digits.len() > 7 || digits.starts_with('0') {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse()
        .ok()
        .filter(|n| (1..=MAX_VERSION).contains(n))
}

/// Missing numbers as ranges, in order: `v2, v4..v9` — as long as the number of gaps, never
/// the number of missing versions.
pub fn missing_ranges(present: &[u32]) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = 1u32;
    for &n in present {
        if n > next {
            out.push(if n - 1 == next {
                format!("v{next}")
            } else {
                format!("v{next}..v{}", n - 1)
            });
        }
        next = next.max(n.saturating_add(1));
    }
    out
}

impl Registry {
    /// The registry whose root is `start` or its nearest ancestor holding `evreg.yaml`.
    pub fn discover(start: &Path) -> Result<Registry, LoadError> {
        let start = start.canonicalize().map_err(io(start))?;
        let root = start
            .ancestors()
            // Any entry but a folder counts: a settings file that is a FIFO or a link out is
            // then refused with its reason rather than passed over for a parent's.
            .find(|dir| std::fs::symlink_metadata(dir.join(CONFIG_FILE)).is_ok_and(|m| !m.is_dir()))
            .ok_or_else(|| LoadError::NotFound {
                start: start.clone(),
            })?;
        Registry::load(root)
    }

    /// The registry rooted at `root` (which must hold `evreg.yaml`), from the working tree.
    pub fn load(root: &Path) -> Result<Registry, LoadError> {
        let tree = FsTree::new(root)?;
        if !tree.is_file(CONFIG_FILE) {
            return Err(LoadError::NotFound {
                start: tree.root.clone(),
            });
        }
        let root = tree.root.clone();
        Registry::from_tree(&tree, root)
    }

    /// The registry as `tree` holds it; `root` is where it lives on disk (for writes and messages).
    pub fn from_tree(tree: &dyn Tree, root: PathBuf) -> Result<Registry, LoadError> {
        let settings = if tree.is_file(CONFIG_FILE) {
            let text = read_text(tree, CONFIG_FILE)?;
            config::parse_settings(CONFIG_FILE, &text)?
        } else {
            Settings::default()
        };
        let lock = if tree.is_file(crate::registry::lock::LOCK_FILE) {
            let text = read_text(tree, crate::registry::lock::LOCK_FILE)?;
            Some(crate::registry::lock::Lock::parse(&text)?)
        } else {
            None
        };
        let mut reg = Registry {
            root,
            settings,
            subjects: Vec::new(),
            findings: Vec::new(),
            lock,
            fixtures: Vec::new(),
            shared: Vec::new(),
        };
        reg.discover_subjects(tree)?;
        reg.discover_fixtures(tree)?;
        Ok(reg)
    }

    pub fn subject(&self, name: &str) -> Option<&Subject> {
        self.subjects.iter().find(|s| s.name == name)
    }

    /// Every file read, for renderers to quote.
    pub fn sources(&self) -> SourceMap {
        let mut map = SourceMap::default();
        for s in &self.subjects {
            for v in &s.versions {
                map.insert(v.source.clone());
            }
        }
        map
    }

    /// Every schema file read: versions and shared definitions (what `$ref`s may reach).
    pub fn all_files(&self) -> Vec<Arc<SourceFile>> {
        let mut files: Vec<Arc<SourceFile>> = self
            .subjects
            .iter()
            .flat_map(|s| s.versions.iter().map(|v| v.source.clone()))
            .collect();
        files.extend(self.shared.iter().cloned());
        files
    }

    /// The folder path of a subject, relative to the root, as findings show it.
    pub fn subject_dir(name: &str) -> String {
        format!("{SCHEMAS_DIR}/{name}")
    }

    fn discover_subjects(&mut self, tree: &dyn Tree) -> Result<(), LoadError> {
        let entries = tree.list(SCHEMAS_DIR)?;
        let folders: Vec<String> = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Dir && !e.name.starts_with('.'))
            .map(|e| Registry::subject_dir(&e.name))
            .collect();
        let wanted = |name: &str| name == SUBJECT_FILE || parse_version_file(name).is_some();
        tree.prefetch(&folders, &wanted);
        for entry in entries {
            let rel = format!("{SCHEMAS_DIR}/{}", entry.name);
            match entry.kind {
                EntryKind::Excluded(why) => self.excluded(&rel, &why),
                EntryKind::Special(what) => self.special(&rel, what),
                // Plain files beside the subject folders are not subjects: shared definitions
                // that versions `$ref` (and published documents such as evreg's report schema).
                EntryKind::File
                    if entry.name.ends_with(".json") || entry.name.ends_with(".avsc") =>
                {
                    let bytes = tree.read(&rel)?;
                    if let Ok(source) = schema::decode(&rel, bytes) {
                        self.shared.push(source);
                    }
                }
                EntryKind::File => {}
                EntryKind::Dir if entry.name.starts_with('.') => {}
                EntryKind::Dir => {
                    let subject = self.read_subject(tree, entry.name)?;
                    self.subjects.push(subject);
                }
            }
        }
        // What was read ahead and not taken (a second file claiming a version) is dropped.
        tree.prefetch(&[], &wanted);
        Ok(())
    }

    fn discover_fixtures(&mut self, tree: &dyn Tree) -> Result<(), LoadError> {
        for subject_dir in tree.list(FIXTURES_DIR)? {
            let rel = format!("{FIXTURES_DIR}/{}", subject_dir.name);
            if self.refused(&rel, &subject_dir.kind) {
                continue;
            }
            match &subject_dir.kind {
                EntryKind::File => {
                    if !subject_dir.name.starts_with('.') {
                        self.unknown_fixture_file(&rel, None);
                    }
                    continue;
                }
                EntryKind::Dir if subject_dir.name.starts_with('.') => continue,
                // Refused above.
                EntryKind::Dir | EntryKind::Excluded(_) | EntryKind::Special(_) => {}
            }
            let name = subject_dir.name.clone();
            let Some(versions) = self
                .subject(&name)
                .map(|s| s.versions.iter().map(|v| v.number).collect::<Vec<_>>())
            else {
                self.findings.push(
                    Finding::new(
                        &rules::FIXTURE_ORPHAN,
                        format!("{rel} holds samples for `{name}`, which is not a subject"),
                        "rename the folder after a subject (`evreg list`), or remove it",
                    )
                    .at(Location::file(&rel)),
                );
                continue;
            };
            for version_dir in tree.list(&rel)? {
                let vrel = format!("{rel}/{}", version_dir.name);
                if version_dir.name.starts_with('.') {
                    continue;
                }
                let number = parse_version_dir(&version_dir.name);
                match (&version_dir.kind, number) {
                    (EntryKind::Excluded(why), _) => self.excluded(&vrel, why),
                    (EntryKind::Special(what), _) => self.special(&vrel, what),
                    (EntryKind::Dir, Some(n)) if versions.contains(&n) => {
                        self.read_fixture_dir(tree, &name, n, &vrel, false)?;
                        let invalid = format!("{vrel}/invalid");
                        self.read_fixture_dir(tree, &name, n, &invalid, true)?;
                    }
                    (EntryKind::Dir, Some(n)) => self.findings.push(
                        Finding::new(
                            &rules::FIXTURE_ORPHAN,
                            format!("{vrel} holds samples for v{n}, which `{name}` does not have"),
                            "move the samples to an existing version's folder",
                        )
                        .subject(&name)
                        .at(Location::file(&vrel)),
                    ),
                    _ => self.unknown_fixture_file(&vrel, Some(&name)),
                }
            }
        }
        Ok(())
    }

    fn read_fixture_dir(
        &mut self,
        tree: &dyn Tree,
        subject: &str,
        version: u32,
        rel: &str,
        negative: bool,
    ) -> Result<(), LoadError> {
        for entry in tree.list(rel)? {
            let frel = format!("{rel}/{}", entry.name);
            match entry.kind {
                _ if entry.name.starts_with('.') => {}
                EntryKind::Excluded(why) => self.excluded(&frel, &why),
                EntryKind::Special(what) => self.special(&frel, what),
                EntryKind::Dir if !negative && entry.name == "invalid" => {}
                EntryKind::File if entry.name.ends_with(".json") => {
                    let bytes = tree.read(&frel)?;
                    let (source, readable) = match schema::decode(&frel, bytes) {
                        Ok(source) => (source, true),
                        Err(mut finding) => {
                            finding.rule = &rules::EVENT_INVALID_JSON;
                            self.findings
                                .push(finding.subject(subject).version(version));
                            (Arc::new(SourceFile::new(&frel, String::new())), false)
                        }
                    };
                    self.fixtures.push(Fixture {
                        subject: subject.to_string(),
                        version,
                        negative,
                        source,
                        readable,
                    });
                }
                _ => self.unknown_fixture_file(&frel, Some(subject)),
            }
        }
        Ok(())
    }

    fn unknown_fixture_file(&mut self, rel: &str, subject: Option<&str>) {
        let mut f = Finding::new(
            &rules::LAYOUT_UNKNOWN_FILE,
            format!("{rel} is not where evreg looks for samples; it is ignored"),
            "samples live in fixtures/<subject>/vN/*.json, negative ones in fixtures/<subject>/vN/invalid/*.json",
        )
        .at(Location::file(rel));
        f.subject = subject.map(str::to_string);
        self.findings.push(f);
    }

    /// Report an entry the gate refused (a link out, a FIFO or device); true when it was one.
    fn refused(&mut self, rel: &str, kind: &EntryKind) -> bool {
        match kind {
            EntryKind::Excluded(why) => self.excluded(rel, why),
            EntryKind::Special(what) => self.special(rel, what),
            _ => return false,
        }
        true
    }

    fn excluded(&mut self, rel: &str, why: &str) {
        self.findings.push(
            Finding::new(
                &rules::LAYOUT_OUTSIDE_REGISTRY,
                format!("{rel} {why}; it is not read"),
                "keep schemas and samples as regular files inside the registry, not links that leave it",
            )
            .at(Location::file(rel)),
        );
    }

    fn special(&mut self, rel: &str, what: &str) {
        self.findings.push(
            Finding::new(
                &rules::LAYOUT_NOT_REGULAR_FILE,
                format!("{rel} is {what}, not a regular file; it is not read"),
                "remove it; schemas and samples are regular files",
            )
            .at(Location::file(rel)),
        );
    }

    fn read_subject(&mut self, tree: &dyn Tree, name: String) -> Result<Subject, LoadError> {
        let rel_dir = Registry::subject_dir(&name);
        if !is_safe_subject_name(&name) || !self.settings.naming.is_match(&name) {
            self.findings.push(
                Finding::new(
                    &rules::LAYOUT_SUBJECT_NAME,
                    format!("subject `{name}` does not match the naming rule `{}`", self.settings.naming.as_str()),
                    "rename the folder to {service}.{aggregate}.{event} in lower case (e.g. orders.order.placed), or change `naming` in evreg.yaml",
                )
                .subject(&name)
                .at(Location::file(&rel_dir)),
            );
        }
        let mut meta = SubjectMeta::default();
        let mut versions: Vec<Version> = Vec::new();
        for entry in tree.list(&rel_dir)? {
            let file_name = entry.name;
            let rel = format!("{rel_dir}/{file_name}");
            if file_name.starts_with('.') {
                continue;
            }
            if self.refused(&rel, &entry.kind) {
                continue;
            }
            let is_file = entry.kind == EntryKind::File;
            if file_name == SUBJECT_FILE && is_file {
                let text = read_text(tree, &rel)?;
                meta = config::parse_subject_meta(&rel, &text)?;
                continue;
            }
            let Some((number, format)) = parse_version_file(&file_name).filter(|_| is_file) else {
                let too_high = file_name
                    .strip_prefix('v')
                    .and_then(|n| n.split('.').next())
                    .is_some_and(|n| {
                        n.len() > 1 && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0')
                    })
                    && Format::of_path(&file_name).is_some();
                let message = if too_high {
                    format!(
                        "{rel} is numbered above v{MAX_VERSION}, the highest version evreg reads; it is ignored"
                    )
                } else {
                    format!("{rel} is not a schema version or {SUBJECT_FILE}; it is ignored")
                };
                self.findings.push(
                    Finding::new(
                        &rules::LAYOUT_UNKNOWN_FILE,
                        message,
                        format!("name versions v1.avsc, v2.avsc, … (or vN.schema.json), without leading zeros, up to v{MAX_VERSION}"),
                    )
                    .subject(&name)
                    .at(Location::file(&rel)),
                );
                continue;
            };
            if let Some(existing) = versions.iter().find(|v| v.number == number) {
                let msg = format!(
                    "{rel} and {} both claim version {number}",
                    existing.source.path
                );
                self.findings.push(
                    Finding::new(
                        &rules::LAYOUT_VERSION_DUPLICATE,
                        msg,
                        "keep one file per version: remove or renumber the other",
                    )
                    .subject(&name)
                    .version(number)
                    .at(Location::file(&rel)),
                );
                continue;
            }
            let bytes = tree.read(&rel)?;
            let (source, readable) = match schema::decode(&rel, bytes) {
                Ok(source) => (source, true),
                Err(finding) => {
                    self.findings.push(finding.subject(&name).version(number));
                    // Keep the version so numbering stays whole.
                    (Arc::new(SourceFile::new(&rel, String::new())), false)
                }
            };
            versions.push(Version {
                number,
                format,
                source,
                readable,
            });
        }
        versions.sort_by_key(|v| v.number);
        self.layout_versions(&name, &rel_dir, &versions);
        let format = versions.first().map(|v| v.format);
        Ok(Subject {
            name,
            format,
            json_schema_draft: meta
                .json_schema_draft
                .unwrap_or(self.settings.json_schema_draft),
            meta,
            versions,
        })
    }

    fn layout_versions(&mut self, name: &str, rel_dir: &str, versions: &[Version]) {
        if versions.is_empty() {
            self.findings.push(
                Finding::new(
                    &rules::LAYOUT_NO_VERSIONS,
                    format!("subject `{name}` has no schema versions"),
                    "add v1.avsc (or v1.schema.json), or remove the folder",
                )
                .subject(name)
                .at(Location::file(rel_dir)),
            );
            return;
        }
        let max = versions.last().map_or(0, |v| v.number);
        let numbers: Vec<u32> = versions.iter().map(|v| v.number).collect();
        let missing = missing_ranges(&numbers);
        if !missing.is_empty() {
            self.findings.push(
                Finding::new(
                    &rules::LAYOUT_VERSION_GAP,
                    format!("subject `{name}` has versions up to v{max} but lacks {}", missing.join(", ")),
                    "restore the missing version from git history (a published version is never deleted), or renumber unpublished ones",
                )
                .subject(name)
                .at(Location::file(rel_dir)),
            );
        }
        let first = versions[0].format;
        for v in versions.iter().filter(|v| v.format != first) {
            self.findings.push(
                Finding::new(
                    &rules::LAYOUT_MIXED_FORMATS,
                    format!(
                        "{} is {} but the subject's v{} is {}",
                        v.source.path,
                        v.format.name(),
                        versions[0].number,
                        first.name()
                    ),
                    "a subject has one format: publish the new format as a new subject",
                )
                .subject(name)
                .version(v.number)
                .at(Location::file(&v.source.path)),
            );
        }
    }
}

fn read_text(tree: &dyn Tree, rel: &str) -> Result<String, LoadError> {
    let bytes = tree.read(rel)?;
    String::from_utf8(bytes).map_err(|e| {
        LoadError::Config(ConfigError {
            file: rel.into(),
            line: 0,
            column: 0,
            message: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            help: "save the file as UTF-8".into(),
        })
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_file_names() {
        assert_eq!(parse_version_file("v1.avsc"), Some((1, Format::Avro)));
        assert_eq!(
            parse_version_file("v12.schema.json"),
            Some((12, Format::JsonSchema))
        );
        for bad in [
            "v0.avsc",
            "v01.avsc",
            "V1.avsc",
            "v1.json",
            "v.avsc",
            "v1a.avsc",
            "1.avsc",
            "v99999999999.avsc",
            "v4294967295.avsc",
            "v1000001.avsc",
        ] {
            assert_eq!(parse_version_file(bad), None, "{bad}");
        }
        assert_eq!(
            parse_version_file("v1000000.avsc"),
            Some((MAX_VERSION, Format::Avro))
        );
        assert_eq!(parse_version_dir("v3"), Some(3));
        for bad in ["v0", "v03", "v", "v1000001", "v4294967296", "3"] {
            assert_eq!(parse_version_dir(bad), None, "{bad}");
        }
    }

    #[test]
    fn gaps_are_ranges() {
        assert_eq!(missing_ranges(&[1, 2, 3]), Vec::<String>::new());
        assert_eq!(missing_ranges(&[2]), vec!["v1"]);
        assert_eq!(missing_ranges(&[1, 3, 9]), vec!["v2", "v4..v8"]);
        assert_eq!(
            missing_ranges(&[MAX_VERSION]),
            vec![format!("v1..v{}", MAX_VERSION - 1)]
        );
    }

    #[test]
    fn unsafe_subject_names() {
        for bad in ["..", ".", "", "a/b", ".hidden", "a\\b"] {
            assert!(!is_safe_subject_name(bad), "{bad:?}");
        }
        assert!(is_safe_subject_name("orders.order.placed"));
    }
}
