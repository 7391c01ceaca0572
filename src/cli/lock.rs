use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global, Output};
use crate::integrity::{LOCK_FILE, update_lock, with_lock_file};
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
            if g.output == Output::Human {
                eprintln!(
                    "{LOCK_FILE} not written: revert the edits above, then run `evreg lock` again"
                );
            }
            return (None, (EXIT_FINDINGS, None));
        }
        let names: Vec<String> = added.iter().map(|(s, v)| format!("{s} v{v}")).collect();
        if args.check {
            if added.is_empty() {
                eprintln!("{LOCK_FILE} is up to date");
                return (None, (EXIT_OK, None));
            }
            eprintln!("{LOCK_FILE} lacks {}; run `evreg lock`", names.join(", "));
            return (None, (EXIT_FINDINGS, None));
        }
        if added.is_empty() && had_lock {
            eprintln!("{LOCK_FILE} is up to date");
            return (None, (EXIT_OK, None));
        }
        let said = format!(
            "recorded {} in {LOCK_FILE}",
            if names.is_empty() {
                "nothing new".to_string()
            } else {
                names.join(", ")
            }
        );
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
