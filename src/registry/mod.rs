//! The registry on disk: `evreg.yaml`, `schemas/<subject>/vN.<ext>`, `subject.yaml`. Discovery
//! reads every file once into the source map and reports layout problems as findings; only what
//! stops the command (no registry, a bad settings file, an unreadable folder) is an error.

pub mod config;

use crate::compat::Mode;
use crate::finding::{Finding, Location};
use crate::rules;
use crate::schema::{self, Format};
use crate::source::{SourceFile, SourceMap};
pub use config::{ConfigError, Settings, SubjectMeta};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

#[derive(Debug)]
pub struct Subject {
    pub name: String,
    /// The format of its first version (a subject has one format; others are layout errors).
    pub format: Option<Format>,
    pub meta: SubjectMeta,
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

/// The version number and format a file name claims: `v3.avsc` → (3, Avro).
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
    Some((digits.parse().ok()?, format))
}

impl Registry {
    /// The registry whose root is `start` or its nearest ancestor holding `evreg.yaml`.
    pub fn discover(start: &Path) -> Result<Registry, LoadError> {
        let start = start.canonicalize().map_err(io(start))?;
        let root = start
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file())
            .ok_or_else(|| LoadError::NotFound {
                start: start.clone(),
            })?;
        Registry::load(root)
    }

    /// The registry rooted at `root` (which must hold `evreg.yaml`).
    pub fn load(root: &Path) -> Result<Registry, LoadError> {
        let root = root.canonicalize().map_err(io(root))?;
        let config_path = root.join(CONFIG_FILE);
        if !config_path.is_file() {
            return Err(LoadError::NotFound { start: root });
        }
        let text = read_text(&config_path, CONFIG_FILE)?;
        let settings = config::parse_settings(CONFIG_FILE, &text)?;
        let mut reg = Registry {
            root,
            settings,
            subjects: Vec::new(),
            findings: Vec::new(),
        };
        reg.discover_subjects()?;
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

    /// The folder path of a subject, relative to the root, as findings show it.
    pub fn subject_dir(name: &str) -> String {
        format!("{SCHEMAS_DIR}/{name}")
    }

    fn discover_subjects(&mut self) -> Result<(), LoadError> {
        let schemas = self.root.join(SCHEMAS_DIR);
        if !schemas.is_dir() {
            return Ok(());
        }
        let mut dirs: Vec<(String, PathBuf)> = Vec::new();
        for entry in fs::read_dir(&schemas).map_err(io(&schemas))? {
            let entry = entry.map_err(io(&schemas))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{SCHEMAS_DIR}/{name}");
            // Plain files beside the subject folders (like a published JSON Schema) are not subjects.
            let Some(path) = self.inside(&entry.path(), &rel) else {
                continue;
            };
            if path.is_dir() && !name.starts_with('.') {
                dirs.push((name, path));
            }
        }
        dirs.sort();
        for (name, path) in dirs {
            let subject = self.read_subject(name, &path)?;
            self.subjects.push(subject);
        }
        Ok(())
    }

    /// Follow `path` if it stays inside the registry; a link leaving it becomes a finding.
    fn inside(&mut self, path: &Path, rel: &str) -> Option<PathBuf> {
        let meta = fs::symlink_metadata(path).ok()?;
        if !meta.file_type().is_symlink() {
            return Some(path.to_path_buf());
        }
        match path.canonicalize() {
            Ok(target) if target.starts_with(&self.root) => Some(target),
            Ok(target) => {
                self.findings.push(
                    Finding::new(
                        &rules::LAYOUT_OUTSIDE_REGISTRY,
                        format!(
                            "{rel} links to {}, outside the registry; it is not read",
                            target.display()
                        ),
                        "copy the file into the repository instead of linking to it",
                    )
                    .at(Location::file(rel)),
                );
                None
            }
            Err(_) => {
                self.findings.push(
                    Finding::new(
                        &rules::LAYOUT_OUTSIDE_REGISTRY,
                        format!("{rel} is a broken link; it is not read"),
                        "remove the link or restore its target",
                    )
                    .at(Location::file(rel)),
                );
                None
            }
        }
    }

    fn read_subject(&mut self, name: String, dir: &Path) -> Result<Subject, LoadError> {
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
        let mut entries: Vec<String> = Vec::new();
        for entry in fs::read_dir(dir).map_err(io(dir))? {
            let entry = entry.map_err(io(dir))?;
            entries.push(entry.file_name().to_string_lossy().into_owned());
        }
        entries.sort();
        let mut meta = SubjectMeta::default();
        let mut versions: Vec<Version> = Vec::new();
        for file_name in entries {
            let rel = format!("{rel_dir}/{file_name}");
            if file_name.starts_with('.') {
                continue;
            }
            let Some(path) = self.inside(&dir.join(&file_name), &rel) else {
                continue;
            };
            if file_name == SUBJECT_FILE && path.is_file() {
                let text = read_text(&path, &rel)?;
                meta = config::parse_subject_meta(&rel, &text)?;
                continue;
            }
            let Some((number, format)) = parse_version_file(&file_name).filter(|_| path.is_file())
            else {
                self.findings.push(
                    Finding::new(
                        &rules::LAYOUT_UNKNOWN_FILE,
                        format!("{rel} is not a schema version or {SUBJECT_FILE}; it is ignored"),
                        "name versions v1.avsc, v2.avsc, … (or vN.schema.json), without leading zeros",
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
            let bytes = fs::read(&path).map_err(io(&path))?;
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
        let missing: Vec<String> = (1..=max)
            .filter(|n| !versions.iter().any(|v| v.number == *n))
            .map(|n| format!("v{n}"))
            .collect();
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

fn read_text(path: &Path, rel: &str) -> Result<String, LoadError> {
    let bytes = fs::read(path).map_err(io(path))?;
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
        ] {
            assert_eq!(parse_version_file(bad), None, "{bad}");
        }
    }

    #[test]
    fn unsafe_subject_names() {
        for bad in ["..", ".", "", "a/b", ".hidden", "a\\b"] {
            assert!(!is_safe_subject_name(bad), "{bad:?}");
        }
        assert!(is_safe_subject_name("orders.order.placed"));
    }
}
