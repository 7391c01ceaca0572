//! `evreg add`: register the next version of a subject, only if the subject's mode accepts it.

use crate::check::{Model, model_pair, parse_file, parse_subject};
use crate::finding::Finding;
use crate::fsutil;
use crate::registry::{self, Registry};
use crate::report::Report;
use crate::schema::json::FileProvider;
use crate::schema::{self, Format};
use crate::source::SourceMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// What `add` would write, and the findings that decide whether it may.
pub struct AddPlan {
    pub subject: String,
    pub version: u32,
    pub format: Format,
    /// Relative to the registry root.
    pub file: String,
    pub bytes: Vec<u8>,
    pub report: Report,
}

#[derive(Debug)]
pub enum AddError {
    SubjectName(String),
    UnknownFormat(String),
    FormatDiffers {
        subject: String,
        has: Format,
        given: Format,
    },
    Read {
        path: String,
        error: std::io::Error,
    },
    Write {
        path: String,
        error: std::io::Error,
    },
    /// The version was written but `evreg.lock` could not be updated.
    Lock {
        path: String,
        error: std::io::Error,
    },
}

impl fmt::Display for AddError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::SubjectName(m) => f.write_str(m),
            AddError::UnknownFormat(p) => write!(
                f,
                "cannot tell the format of {p}\n  help: name Avro files *.avsc and JSON Schema files *.json"
            ),
            AddError::FormatDiffers {
                subject,
                has,
                given,
            } => write!(
                f,
                "subject `{subject}` is {} but the file is {}\n  help: a subject has one format; publish the new format as a new subject",
                has.name(),
                given.name()
            ),
            AddError::Read { path, error } => write!(f, "cannot read {path}: {error}"),
            AddError::Lock { path, error } => write!(
                f,
                "the version was added, but {path} could not be updated: {error}\n  help: run `evreg lock`"
            ),
            AddError::Write { path, error } => write!(
                f,
                "cannot write {path}: {error}\n  help: nothing was written; check the folder's permissions and try again"
            ),
        }
    }
}

impl std::error::Error for AddError {}

impl AddPlan {
    /// Blocked when the new version breaks the subject's mode (or does not parse).
    pub fn accepted(&self) -> bool {
        !self.report.has_errors()
    }

    /// Write the new version; fails rather than overwrite.
    pub fn write(&self, reg: &Registry) -> Result<PathBuf, AddError> {
        let dest = reg.root.join(&self.file);
        let err = |error| AddError::Write {
            path: self.file.clone(),
            error,
        };
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        fsutil::create_new_atomic(&dest, &self.bytes).map_err(err)?;
        self.record(reg)?;
        Ok(dest)
    }

    /// Record the new version in `evreg.lock`, with the fingerprint `check` computes for it (read
    /// back from the registry, so shared files it references count).
    fn record(&self, reg: &Registry) -> Result<(), AddError> {
        let lock_err = |error| AddError::Lock {
            path: crate::integrity::LOCK_FILE.into(),
            error,
        };
        let updated = Registry::load(&reg.root)
            .map_err(|e| lock_err(std::io::Error::other(e.to_string())))?;
        let Some(v) = updated
            .subject(&self.subject)
            .and_then(|s| s.version(self.version))
        else {
            return Ok(());
        };
        let Some(fingerprint) =
            crate::integrity::fingerprint(&crate::integrity::files_of(&updated), v)
        else {
            return Ok(());
        };
        let mut lock = reg.lock.clone().unwrap_or_default();
        lock.entries
            .entry(self.subject.clone())
            .or_default()
            .insert(
                self.version,
                crate::integrity::LockEntry {
                    fingerprint,
                    line: 0,
                },
            );
        fsutil::replace_atomic(
            &reg.root.join(crate::integrity::LOCK_FILE),
            lock.render().as_bytes(),
        )
        .map_err(lock_err)
    }
}

/// Check `file` as the next version of `subject` (a new subject starts at v1).
pub fn plan(reg: &Registry, subject: &str, file: &Path) -> Result<AddPlan, AddError> {
    if !registry::is_safe_subject_name(subject) || !reg.settings.naming.is_match(subject) {
        return Err(AddError::SubjectName(format!(
            "`{subject}` is not a valid subject name (naming rule `{}`)\n  help: use {{service}}.{{aggregate}}.{{event}} in lower case, e.g. orders.order.placed",
            reg.settings.naming.as_str()
        )));
    }
    let shown = file.display().to_string();
    let format = Format::of_path(&shown).ok_or_else(|| AddError::UnknownFormat(shown.clone()))?;
    let existing = reg.subject(subject);
    if let Some(has) = existing.and_then(|s| s.format)
        && has != format
    {
        return Err(AddError::FormatDiffers {
            subject: subject.into(),
            has,
            given: format,
        });
    }
    let version = existing.map_or(1, |s| s.next_number());
    let rel = format!(
        "{}/v{version}.{}",
        Registry::subject_dir(subject),
        format.extension()
    );
    let bytes = std::fs::read(file).map_err(|error| AddError::Read {
        path: shown.clone(),
        error,
    })?;
    let mut sources = SourceMap::default();
    let mut findings: Vec<Finding> = Vec::new();
    match schema::decode(&rel, bytes.clone()) {
        Err(f) => findings.push(f),
        Ok(source) => {
            sources.insert(source.clone());
            let provider = FileProvider::new(&reg.root);
            let draft = existing.map_or(reg.settings.json_schema_draft, |s| s.json_schema_draft);
            let (model, found) = parse_file(source, &rel, format, &provider, draft);
            findings.extend(found);
            if let Some(Model::Json(s)) = &model {
                for f in s.files.iter().skip(1) {
                    sources.insert(f.source.clone());
                }
            }
            if let (Some(new), Some(subj)) = (model, existing) {
                let (models, _) = parse_subject(subj, &provider);
                let mode = subj.mode(&reg.settings);
                let policy = subj.policy(&reg.settings);
                for pair in mode.pairs(version) {
                    let Some(i) = subj.versions.iter().position(|v| v.number == pair.old) else {
                        continue;
                    };
                    let Some(old) = &models[i] else {
                        continue;
                    };
                    sources.insert(subj.versions[i].source.clone());
                    if let Model::Json(s) = old {
                        for f in s.files.iter().skip(1) {
                            sources.insert(f.source.clone());
                        }
                    }
                    let labels = (format!("v{version}"), format!("v{}", pair.old));
                    findings.extend(model_pair(pair, &new, old, policy, &labels));
                }
            }
        }
    }
    let findings = findings
        .into_iter()
        .map(|f| {
            let v = f.version.unwrap_or(version);
            f.subject(subject).version(v)
        })
        .collect();
    let findings = reg.settings.apply(findings, registry::CONFIG_FILE);
    // Stale allow entries of other subjects are `check`'s business, not this command's.
    let findings = findings
        .into_iter()
        .filter(|f| f.rule.id != crate::rules::ALLOW_UNUSED.id)
        .collect();
    Ok(AddPlan {
        subject: subject.into(),
        version,
        format,
        file: rel,
        bytes,
        report: Report::new(findings, sources),
    })
}
