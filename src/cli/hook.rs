use super::{EXIT_OK, Exit, Failure, Global};

#[derive(clap::Subcommand, Debug)]
pub enum HookCommand {
    /// Install a git pre-commit hook that runs `evreg check --staged`.
    Install(InstallArgs),
}

#[derive(clap::Args, Debug)]
pub struct InstallArgs {
    /// Replace a pre-commit hook evreg did not write (the old one is kept as pre-commit.evreg-backup).
    #[arg(long)]
    pub force: bool,
}

/// Marks hooks this command wrote, so it can replace them and never a foreign one unasked.
const MARKER: &str = "Installed by `evreg hook install`";

pub fn script(evreg: &str, prefix: &str) -> String {
    let dir = if prefix.is_empty() {
        String::new()
    } else {
        format!("/{prefix}")
    };
    format!(
        "#!/bin/sh\n# {MARKER}: checks the staged event schemas before each commit.\n\
# Skip once with `git commit --no-verify`; remove this file to uninstall.\n\
EVREG=$(command -v evreg || echo '{}')\n\
cd \"$(git rev-parse --show-toplevel){dir}\" || exit 1\n\
exec \"$EVREG\" check --staged\n",
        evreg.replace('\'', "'\\''")
    )
}

#[cfg(feature = "git")]
pub fn run(command: &HookCommand, g: &Global) -> Result<Exit, Failure> {
    let HookCommand::Install(args) = command;
    let reg = g.registry()?;
    let repo = crate::registry::git::Repo::open(&reg.root).map_err(|e| e.to_string())?;
    let hooks = match repo
        .repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.hooksPath").ok())
    {
        Some(p) if p.is_absolute() => p,
        Some(p) => repo.repo.workdir().unwrap_or(repo.repo.path()).join(p),
        None => repo.repo.path().join("hooks"),
    };
    let path = hooks.join("pre-commit");
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.contains(MARKER)
    {
        if !args.force {
            return Err(format!(
                "{} exists and was not written by evreg; nothing was changed\n  help: add `evreg check --staged` to it yourself, or pass --force (the old hook is kept as pre-commit.evreg-backup)",
                path.display()
            ));
        }
        let backup = hooks.join("pre-commit.evreg-backup");
        crate::fsutil::replace_atomic(&backup, existing.as_bytes()).map_err(fail)?;
        eprintln!("kept the previous hook as {}", backup.display());
    }
    std::fs::create_dir_all(&hooks).map_err(fail)?;
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "evreg".into());
    crate::fsutil::replace_atomic(&path, script(&exe, &repo.prefix).as_bytes()).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(fail)?;
    }
    eprintln!(
        "installed {}: every commit now runs `evreg check --staged`",
        path.display()
    );
    Ok(EXIT_OK)
}

#[cfg(not(feature = "git"))]
pub fn run(_command: &HookCommand, _g: &Global) -> Result<Exit, Failure> {
    Err("this build of evreg has no git support (feature `git`)".into())
}
