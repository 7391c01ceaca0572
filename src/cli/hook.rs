//! `evreg hook install`: a git pre-commit hook that checks what is staged. A hook evreg did not
//! write is never lost: it is refused, or with `--force` kept under a name no earlier backup has.

use super::{Exit, Failure, Global};
#[cfg(feature = "git")]
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum HookCommand {
    /// Install a git pre-commit hook that runs `evreg check --staged`.
    Install(InstallArgs),
}

#[derive(clap::Args, Debug)]
pub struct InstallArgs {
    /// Replace a pre-commit hook evreg did not write (the old one is kept as
    /// pre-commit.evreg-backup, or .evreg-backup.N when that exists).
    #[arg(long)]
    pub force: bool,
}

#[cfg(feature = "git")]
/// Marks hooks this command wrote, so it can replace them and never a foreign one unasked.
const MARKER: &str = "Installed by `evreg hook install`";

#[cfg(feature = "git")]
/// `s` as one word of POSIX shell, taken literally: nothing in it is expanded.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(feature = "git")]
pub fn script(evreg: &str, prefix: &str) -> String {
    let dir = if prefix.is_empty() {
        String::new()
    } else {
        sh_quote(&format!("/{prefix}"))
    };
    format!(
        "#!/bin/sh\n# {MARKER}: checks the staged event schemas before each commit.\n\
# Skip once with `git commit --no-verify`; remove this file to uninstall.\n\
EVREG=$(command -v evreg || echo {})\n\
cd \"$(git rev-parse --show-toplevel)\"{dir} || exit 1\n\
exec \"$EVREG\" check --staged\n",
        sh_quote(evreg)
    )
}

#[cfg(feature = "git")]
/// What is at the hook's path now.
enum Existing {
    None,
    /// A hook this command wrote: replaced freely.
    Ours,
    /// Anything else (a script, a link, even a dangling one): kept.
    Foreign(String),
}

#[cfg(feature = "git")]
fn existing(path: &Path) -> Result<Existing, Failure> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".into());
        let state = if path.exists() {
            ""
        } else {
            ", which does not exist"
        };
        return Ok(Existing::Foreign(format!("a link to {target}{state}")));
    }
    if !meta.is_file() {
        return Err(format!(
            "{} is not a regular file; nothing was changed\n  help: move it away yourself, then run `evreg hook install` again",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let ours = bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes());
    Ok(if ours {
        Existing::Ours
    } else {
        Existing::Foreign("a hook evreg did not write".into())
    })
}

#[cfg(feature = "git")]
/// Keep the hook at `path` under the first backup name not taken: `pre-commit.evreg-backup`,
/// then `.1`, `.2`, …. The hook is linked, not copied, so its mode, owner and content stay as
/// they were; a symbolic link is kept as the link itself (pointing where it pointed).
fn back_up(path: &Path) -> Result<PathBuf, Failure> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pre-commit".into());
    for n in 0..1000u32 {
        let backup = match n {
            0 => path.with_file_name(format!("{name}.evreg-backup")),
            n => path.with_file_name(format!("{name}.evreg-backup.{n}")),
        };
        if std::fs::symlink_metadata(&backup).is_ok() {
            continue;
        }
        // A hard link is created only if the name is free, so an earlier backup is never
        // overwritten, even by a concurrent install.
        match std::fs::hard_link(path, &backup) {
            Ok(()) => return Ok(backup),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                // File systems without hard links: a link is recreated, a file copied, each
                // created only where nothing is.
                copy_new(path, &backup).map_err(|e2| {
                    format!(
                        "cannot keep {} as {}: {e}; {e2}; nothing was changed",
                        path.display(),
                        backup.display()
                    )
                })?;
                return Ok(backup);
            }
        }
    }
    Err(format!(
        "{} has 1000 backups already; nothing was changed\n  help: remove the old pre-commit.evreg-backup* files you do not need",
        path.display()
    ))
}

#[cfg(feature = "git")]
fn copy_new(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(from)?;
    #[cfg(unix)]
    if meta.file_type().is_symlink() {
        return std::os::unix::fs::symlink(std::fs::read_link(from)?, to);
    }
    let bytes = std::fs::read(from)?;
    crate::fsutil::create_new_atomic(to, &bytes)?;
    std::fs::set_permissions(to, meta.permissions())
}

#[cfg(feature = "git")]
pub fn run(command: &HookCommand, g: &Global) -> Result<Exit, Failure> {
    use super::EXIT_OK;
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
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "evreg".into());
    let script = script(&exe, &repo.prefix);
    match existing(&path)? {
        Existing::Foreign(what) if !args.force => {
            return Err(format!(
                "{} exists ({what}); nothing was changed\n  help: add `evreg check --staged` to it yourself, or pass --force (the old hook is kept as pre-commit.evreg-backup)",
                path.display()
            ));
        }
        Existing::Foreign(what) => {
            let backup = back_up(&path)?;
            // The backup holds the hook now; the name is freed rather than written through, so
            // a link's target is never changed.
            std::fs::remove_file(&path).map_err(fail)?;
            crate::fsutil::create_new_atomic(&path, script.as_bytes()).map_err(fail)?;
            eprintln!("kept the previous hook ({what}) as {}", backup.display());
        }
        Existing::None => {
            std::fs::create_dir_all(&hooks).map_err(fail)?;
            crate::fsutil::create_new_atomic(&path, script.as_bytes()).map_err(fail)?;
        }
        Existing::Ours => {
            crate::fsutil::replace_atomic(&path, script.as_bytes()).map_err(fail)?;
        }
    }
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

#[cfg(all(test, feature = "git"))]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_taken_literally() {
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's $(x)"), "'it'\\''s $(x)'");
        let s = script("/opt/evreg", "events$(touch INJECTED)`id`");
        assert!(
            s.contains("\"$(git rev-parse --show-toplevel)\"'/events$(touch INJECTED)`id`'"),
            "{s}"
        );
    }
}
