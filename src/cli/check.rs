use super::{Exit, Failure, Global};
use crate::check::{CheckOptions, check_with};
use crate::registry::Registry;
use crate::report::{Context, Report};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Report only on these subjects (default: all). Every file is still read, so references
    /// into other subjects resolve; findings about the registry as a whole are kept.
    #[arg(value_name = "SUBJECT")]
    pub subjects: Vec<String>,
    /// Compare with the registry at this git ref, tag or commit (`origin/main`, `v1.4`, `HEAD~1`):
    /// published versions must be unchanged, modes not loosened. A branch behind REF is compared
    /// with its merge base, so only its own changes are judged (as `git diff REF...HEAD` shows them).
    #[arg(long, value_name = "REF")]
    pub against: Option<String>,
    /// With --against: report only findings the registry at REF does not already have.
    #[arg(long, requires = "against")]
    pub only_new: bool,
    /// Check what is staged in the git index instead of the working tree (for pre-commit hooks).
    #[arg(long)]
    pub staged: bool,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let working = g.registry()?;
    for name in &args.subjects {
        if working.subject(name).is_none() {
            let hint = crate::suggest::hint(
                name,
                working.subjects.iter().map(|s| s.name.as_str()),
                "`evreg list` shows the subjects",
            );
            return Err(format!(
                "no subject `{name}` in the registry\n  help: {hint}"
            ));
        }
    }
    let (mut report, reg) = checked(args, working)?;
    let selected = |name: &str| args.subjects.is_empty() || args.subjects.iter().any(|s| s == name);
    if !args.subjects.is_empty() {
        report.findings.retain(|f| match &f.subject {
            Some(s) => selected(s),
            None => allow_entry_subject(&reg, f).is_none_or(selected),
        });
    }
    let subjects: Vec<_> = reg.subjects.iter().filter(|s| selected(&s.name)).collect();
    let ctx = Context {
        subjects: Some(subjects.len()),
        versions: Some(subjects.iter().map(|s| s.versions.len()).sum()),
        subject_names: subjects.iter().map(|s| s.name.clone()).collect(),
        path_prefix: super::path_prefix(&reg.root),
        ..Context::default()
    };
    let exit = g.emit(&report, &ctx);
    // The process ends here: freeing every finding and file one at a time is work nobody waits
    // for (a tenth of a large registry's run). They hold memory only, no files or locks.
    std::mem::forget((report, reg));
    Ok(exit)
}

/// The subject of the `allow` entry a stale-entry finding points at (it carries no subject).
fn allow_entry_subject<'r>(reg: &'r Registry, f: &crate::finding::Finding) -> Option<&'r str> {
    if f.rule.id != crate::rules::ALLOW_UNUSED.id {
        return None;
    }
    let loc = f.location.as_ref()?;
    reg.settings
        .allow
        .iter()
        .find(|a| loc.line == Some(a.line) && loc.column == Some(a.column))
        .map(|a| a.subject.as_str())
}

/// The report and the registry checked (the working tree's, or the index's with --staged).
#[cfg(feature = "git")]
fn checked(args: &Args, working: Registry) -> Result<(Report, Registry), Failure> {
    use crate::integrity::{Baseline, Scope};
    use crate::registry::git::Repo;
    let repo = Repo::open(&working.root);
    let needs_git = args.staged || args.against.is_some();
    // Without a baseline: the registry alone, narrowed to the subjects named.
    let unbased = CheckOptions {
        subjects: &args.subjects,
        ..CheckOptions::default()
    };
    let repo = match repo {
        Ok(repo) => Some(repo),
        Err(e) if needs_git => return Err(e.to_string()),
        Err(_) => None,
    };
    let Some(repo) = repo else {
        return Ok((check_with(&working, &unbased), working));
    };
    let reg = if args.staged {
        let tree = repo.staged_tree().map_err(|e| e.to_string())?;
        Registry::from_tree(&tree, working.root.clone()).map_err(|e| e.to_string())?
    } else {
        working
    };
    if let Some(reference) = &args.against {
        let base = repo.baseline(reference).map_err(|e| e.to_string())?;
        if base.behind > 0 {
            eprintln!(
                "note: your branch is {} commit{} behind {reference}; only its own changes are judged, against the merge base {} (what `git diff {reference}...HEAD` shows)",
                base.behind,
                if base.behind == 1 { "" } else { "s" },
                base.merge_base
            );
        }
        if base.unrelated {
            eprintln!(
                "note: HEAD and {reference} share no commit in this clone, so {reference} itself is the baseline; if {reference} gained versions since the branch was made, they will look deleted. Fetch the history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout) to compare with the merge base"
            );
        }
        let registry =
            Registry::from_tree(&base.tree, reg.root.clone()).map_err(|e| e.to_string())?;
        let options = CheckOptions {
            baseline: Some(Baseline {
                registry: &registry,
                label: base.label.clone(),
                revision: base.revision.clone(),
                scope: Scope::Everything,
            }),
            only_new: args.only_new,
            subjects: &args.subjects,
        };
        let report = check_with(&reg, &options);
        return Ok((report, reg));
    }
    // Without a baseline evreg.lock guards published versions. When the lock is gone or changed
    // (in the commit being made, or the working tree), or reports an edit it cannot locate, the
    // versions HEAD's lock records are compared with HEAD as well.
    let head_lock = repo
        .file_at_head(crate::registry::lock::LOCK_FILE)
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| crate::registry::lock::Lock::parse(&t).ok());
    let lock_changed = head_lock
        .as_ref()
        .is_some_and(|h| reg.lock.as_ref().map(|l| l.render()) != Some(h.render()));
    // Settings that turn an integrity rule down are judged at HEAD's levels.
    let head_settings = repo
        .file_at_head(crate::registry::CONFIG_FILE)
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| {
            crate::registry::config::parse_settings(crate::registry::CONFIG_FILE, &t).ok()
        });
    let lowered = head_lock.is_some()
        && head_settings.is_some_and(|h| crate::integrity::lowers_integrity(&h, &reg.settings));
    let mut report = None;
    if !lock_changed && !lowered {
        let plain = check_with(&reg, &unbased);
        let lock_edit = plain.findings.iter().any(|f| {
            crate::integrity::is_version_finding(f)
                && f.other_location
                    .as_deref()
                    .or(f.location.as_ref())
                    .is_some_and(|l| l.file == crate::registry::lock::LOCK_FILE)
        });
        if !lock_edit || head_lock.is_none() {
            report = Some(plain);
        }
    }
    let report = match report {
        Some(r) => r,
        None => {
            let head = repo.baseline("HEAD").map_err(|e| e.to_string())?;
            let registry =
                Registry::from_tree(&head.tree, reg.root.clone()).map_err(|e| e.to_string())?;
            let options = CheckOptions {
                baseline: Some(Baseline {
                    registry: &registry,
                    label: format!("evreg.lock as committed at {}", head.label),
                    revision: head.revision.clone(),
                    scope: Scope::LockedVersions,
                }),
                only_new: false,
                subjects: &args.subjects,
            };
            check_with(&reg, &options)
        }
    };
    Ok((report, reg))
}

#[cfg(not(feature = "git"))]
fn checked(args: &Args, working: Registry) -> Result<(Report, Registry), Failure> {
    if args.staged || args.against.is_some() {
        return Err("this build of evreg has no git support (feature `git`)".into());
    }
    let unbased = CheckOptions {
        subjects: &args.subjects,
        ..CheckOptions::default()
    };
    Ok((check_with(&working, &unbased), working))
}
