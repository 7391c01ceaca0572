use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global};
use crate::integrity::update_lock;
use crate::registry::lock::{LOCK_FILE, with_lock_file};
use crate::report::{Context, Report};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Check that the lock is complete and unchanged; write nothing (exit 1 if it would change).
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let root = g.registry()?.root;
    // Under the registry's lock, on the registry as it is once the lock is held: a concurrent
    // `evreg add` is neither lost nor overwritten.
    with_lock_file(&root, |reg| {
        let had_lock = reg.lock.is_some();
        let lock = reg.lock.clone().unwrap_or_default();
        let (next, added, findings) = update_lock(reg, &lock);
        if !findings.is_empty() {
            // A locked version changed: recording it again would bless the edit.
            g.emit(&Report::new(findings, reg.sources()), &Context::default());
            if g.is_text() {
                eprintln!(
                    "{LOCK_FILE} not written: revert the edits above, then run `evreg lock` again"
                );
            }
            return (None, (EXIT_FINDINGS, None));
        }
        let names: Vec<String> = added.iter().map(|(s, v)| format!("{s} v{v}")).collect();
        let list = listing(&names, g.verbose);
        if args.check {
            if added.is_empty() {
                eprintln!("{LOCK_FILE} is up to date");
                return (None, (EXIT_OK, None));
            }
            eprintln!(
                "{LOCK_FILE} lacks {}:\n{list}  help: run `evreg lock` to record {}",
                versions(names.len()),
                if names.len() == 1 { "it" } else { "them" }
            );
            return (None, (EXIT_FINDINGS, None));
        }
        // A lock written before schema ids were recorded gets them (nothing else changes).
        let lacks_ids = next
            .entries
            .values()
            .flat_map(|v| v.values())
            .any(|e| e.id.is_none());
        if added.is_empty() && had_lock && !lacks_ids {
            eprintln!("{LOCK_FILE} is up to date");
            return (None, (EXIT_OK, None));
        }
        let said = if names.is_empty() && lacks_ids && had_lock {
            format!("recorded the schema ids of the locked versions in {LOCK_FILE}")
        } else if names.is_empty() {
            format!("recorded nothing new in {LOCK_FILE}")
        } else {
            format!(
                "recorded {} in {LOCK_FILE}:\n{}",
                versions(names.len()),
                list.trim_end()
            )
        };
        (Some(next), (EXIT_OK, Some(said)))
    })
    .map_err(|e| format!("{e}\n  help: {LOCK_FILE} was not changed"))
    .map(|(code, said)| {
        // Said once the new lock is on disk.
        if let Some(said) = said {
            eprintln!("{said}");
        }
        code
    })
}

/// `1 version`, `3 versions`.
fn versions(n: usize) -> String {
    format!("{n} version{}", if n == 1 { "" } else { "s" })
}

/// Versions one per line, indented; past [`LISTED`] (unless `all`) the rest as a count.
fn listing(names: &[String], all: bool) -> String {
    let shown = if all {
        names.len()
    } else {
        LISTED.min(names.len())
    };
    let mut out: String = names[..shown].iter().map(|n| format!("  {n}\n")).collect();
    if shown < names.len() {
        out.push_str(&format!(
            "  … and {} more (--verbose lists them all)\n",
            names.len() - shown
        ));
    }
    out
}

/// How many versions `evreg lock` names before it counts the rest.
const LISTED: usize = 20;
