use super::{Exit, Failure, Global};
use crate::check::{CheckOptions, check_with};
use crate::registry::Registry;
use crate::report::Context;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Compare with the registry at this git ref, tag or commit (`origin/main`, `v1.4`, `HEAD~1`):
    /// published versions must be unchanged, modes not loosened.
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
    let reg = if args.staged {
        staged(&working)?
    } else {
        working
    };
    let base = match &args.against {
        Some(reference) => Some(baseline(&reg, reference)?),
        None => None,
    };
    let options = CheckOptions {
        baseline: base.as_ref().map(|(r, label)| (r, label.clone())),
        only_new: args.only_new,
    };
    let report = check_with(&reg, &options);
    let ctx = Context {
        subjects: Some(reg.subjects.len()),
        versions: Some(reg.subjects.iter().map(|s| s.versions.len()).sum()),
        subject_names: reg.subjects.iter().map(|s| s.name.clone()).collect(),
        path_prefix: super::path_prefix(&reg.root),
        ..Context::default()
    };
    Ok(g.emit(&report, &ctx))
}

#[cfg(feature = "git")]
fn baseline(reg: &Registry, reference: &str) -> Result<(Registry, String), Failure> {
    let repo = crate::registry::git::Repo::open(&reg.root).map_err(|e| e.to_string())?;
    let base = repo.registry_at(reference).map_err(|e| e.to_string())?;
    Ok((base, reference.to_string()))
}

#[cfg(feature = "git")]
fn staged(working: &Registry) -> Result<Registry, Failure> {
    let repo = crate::registry::git::Repo::open(&working.root).map_err(|e| e.to_string())?;
    let tree = repo.staged_tree().map_err(|e| e.to_string())?;
    Registry::from_tree(&tree, working.root.clone()).map_err(|e| e.to_string())
}

#[cfg(not(feature = "git"))]
fn baseline(_reg: &Registry, _reference: &str) -> Result<(Registry, String), Failure> {
    Err("this build of evreg has no git support (feature `git`)".into())
}

#[cfg(not(feature = "git"))]
fn staged(_working: &Registry) -> Result<Registry, Failure> {
    Err("this build of evreg has no git support (feature `git`)".into())
}
