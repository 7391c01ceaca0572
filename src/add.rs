//! `evreg add`: register the next version of a subject, only if the subject's mode accepts it.

use crate::check::{CheckOptions, check_with};
use crate::finding::{Finding, Location};
use crate::fsutil;
use crate::integrity::{Baseline, Scope};
use crate::registry::{self, Registry};
use crate::report::Report;
use crate::rules;
use crate::schema::Format;
use crate::source::SourceFile;
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
    /// A subject that does not exist, named like one that does.
    NewSubject {
        subject: String,
        similar: Vec<String>,
    },
    /// The subject already has the highest version number evreg reads.
    VersionLimit {
        subject: String,
    },
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
            AddError::NewSubject { subject, similar } => write!(
                f,
                "there is no subject `{subject}`; did you mean {}?\n  help: to add to an existing subject, fix the name; to start `{subject}` as a new subject, pass --new-subject",
                similar
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            AddError::VersionLimit { subject } => write!(
                f,
                "`{subject}` already has v{}, the highest version evreg reads\n  help: publish further changes as a new subject (e.g. `{subject}.v2`)",
                registry::MAX_VERSION
            ),
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

    /// Write the new version and record it in `evreg.lock`. The caller holds the registry's
    /// lock (`fsutil::Gate::lock`) and planned on the registry read after taking it, so the
    /// plan, the version file and the lock entry form one change that no concurrent `add` or
    /// `lock` interleaves with. Fails rather than overwrite.
    pub fn write(
        &self,
        gate: &fsutil::Gate,
        held: &fsutil::RegistryLock,
    ) -> Result<PathBuf, AddError> {
        let err = |error: std::io::Error| AddError::Write {
            path: self.file.clone(),
            error,
        };
        let dest = gate
            .create_new(&self.file, &self.bytes)
            .map_err(|e| err(e.into()))?;
        // Recorded with the fingerprint `check` computes for it (read back from the registry,
        // so shared files it references count), into the lock as it is on disk now.
        crate::registry::lock::change_lock_file(gate, held, |updated| {
            let fingerprint = updated
                .subject(&self.subject)
                .and_then(|s| s.version(self.version))
                .and_then(|v| {
                    crate::integrity::fingerprint(&crate::integrity::files_of(updated), v)
                });
            let Some(fingerprint) = fingerprint else {
                return (None, ());
            };
            let mut lock = updated.lock.clone().unwrap_or_default();
            lock.entries
                .entry(self.subject.clone())
                .or_default()
                .insert(
                    self.version,
                    crate::registry::lock::LockEntry {
                        fingerprint,
                        id: None,
                        line: 0,
                    },
                );
            (Some(lock), ())
        })
        .map_err(|e| AddError::Lock {
            path: crate::registry::lock::LOCK_FILE.into(),
            error: std::io::Error::other(e.to_string()),
        })?;
        Ok(dest)
    }
}

/// Check `file` as the next version of `subject` (a new subject starts at v1).
///
/// The check is `evreg check` itself, run on the registry as it would be with the file written
/// (compared with the registry as it is, so only what the new version brings counts): `add`
/// accepts exactly what `check` accepts afterwards. Findings in the new file name `file` as the
/// user gave it, since the registry's copy does not exist yet.
///
/// A subject that does not exist yet is refused when its name is close to an existing one (a
/// typo would silently start a new subject) unless `new_subject` says it is meant to be new.
pub fn plan(
    reg: &Registry,
    subject: &str,
    file: &Path,
    new_subject: bool,
) -> Result<AddPlan, AddError> {
    if !registry::is_safe_subject_name(subject) || !reg.settings.naming.is_match(subject) {
        return Err(AddError::SubjectName(format!(
            "`{subject}` is not a valid subject name (naming rule `{}`)\n  help: use {{service}}.{{aggregate}}.{{event}} in lower case, e.g. orders.order.placed",
            reg.settings.naming.as_str()
        )));
    }
    let shown = file.display().to_string();
    let format = Format::of_path(&shown).ok_or_else(|| AddError::UnknownFormat(shown.clone()))?;
    let existing = reg.subject(subject);
    if existing.is_none() && !new_subject {
        let similar: Vec<String> =
            crate::suggest::similar(subject, reg.subjects.iter().map(|s| s.name.as_str()))
                .into_iter()
                .map(str::to_string)
                .collect();
        if !similar.is_empty() {
            return Err(AddError::NewSubject {
                subject: subject.into(),
                similar,
            });
        }
    }
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
    if version > registry::MAX_VERSION {
        return Err(AddError::VersionLimit {
            subject: subject.into(),
        });
    }
    let rel = format!(
        "{}/v{version}.{}",
        Registry::subject_dir(subject),
        format.extension()
    );
    let bytes = std::fs::read(file).map_err(|error| AddError::Read {
        path: shown.clone(),
        error,
    })?;
    let report = would_be_report(reg, subject, version, &rel, &bytes, &shown)?;
    Ok(AddPlan {
        subject: subject.into(),
        version,
        format,
        file: rel,
        bytes,
        report,
    })
}

/// `check` on the registry with `bytes` at `rel`, reporting what is new against the registry as
/// it is; the new file is cited as `shown`.
fn would_be_report(
    reg: &Registry,
    subject: &str,
    version: u32,
    rel: &str,
    bytes: &[u8],
    shown: &str,
) -> Result<Report, AddError> {
    let load_err = |e: registry::LoadError| AddError::Read {
        path: reg.root.display().to_string(),
        error: std::io::Error::other(e.to_string()),
    };
    let tree = registry::FsTree::new(&reg.root).map_err(load_err)?;
    let overlay = registry::tree::WithFile {
        base: &tree,
        rel: rel.to_string(),
        bytes: bytes.to_vec(),
    };
    let after = Registry::from_tree(&overlay, reg.root.clone()).map_err(load_err)?;
    let options = CheckOptions {
        baseline: Some(Baseline {
            registry: reg,
            label: "the registry before this add".to_string(),
            revision: String::new(),
            scope: Scope::Everything,
        }),
        only_new: true,
        subjects: &[],
    };
    let report = check_with(&after, &options);
    let cite = |loc: Option<&mut Location>| {
        if let Some(l) = loc
            && l.file == rel
        {
            l.file = shown.to_string();
        }
    };
    let findings: Vec<Finding> = report
        .findings
        .into_iter()
        // `add` records the version in evreg.lock itself; stale allow entries of other
        // subjects are `check`'s business, not this command's.
        .filter(|f| {
            !(f.rule.id == rules::LOCK_STALE.id
                && f.subject.as_deref() == Some(subject)
                && f.version == Some(version))
                && f.rule.id != rules::ALLOW_UNUSED.id
        })
        .map(|mut f| {
            cite(f.location.as_mut());
            cite(f.other_location.as_deref_mut());
            f
        })
        .collect();
    let mut sources = report.sources;
    if let Some(source) = after
        .subject(subject)
        .and_then(|s| s.version(version))
        .map(|v| v.source.clone())
    {
        sources.insert(std::sync::Arc::new(SourceFile::new(
            shown,
            source.text.clone(),
        )));
    }
    Ok(Report::new(findings, sources))
}
