use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global, Output};
use crate::fsutil;
use crate::integrity::{LOCK_FILE, update_lock};
use crate::report::{Context, Report};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Check that the lock is complete and unchanged; write nothing (exit 1 if it would change).
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let lock = reg.lock.clone().unwrap_or_default();
    let (next, added, findings) = update_lock(&reg, &lock);
    if !findings.is_empty() {
        // A locked version changed: recording it again would bless the edit.
        g.emit(&Report::new(findings, reg.sources()), &Context::default());
        if g.output == Output::Human {
            eprintln!(
                "{LOCK_FILE} not written: revert the edits above, then run `evreg lock` again"
            );
        }
        return Ok(EXIT_FINDINGS);
    }
    let names: Vec<String> = added.iter().map(|(s, v)| format!("{s} v{v}")).collect();
    if args.check {
        if added.is_empty() {
            eprintln!("{LOCK_FILE} is up to date");
            return Ok(EXIT_OK);
        }
        eprintln!("{LOCK_FILE} lacks {}; run `evreg lock`", names.join(", "));
        return Ok(EXIT_FINDINGS);
    }
    if added.is_empty() && reg.lock.is_some() {
        eprintln!("{LOCK_FILE} is up to date");
        return Ok(EXIT_OK);
    }
    let path = reg.root.join(LOCK_FILE);
    fsutil::replace_atomic(&path, next.render().as_bytes()).map_err(|e| {
        format!(
            "cannot write {}: {e}\n  help: nothing was changed",
            path.display()
        )
    })?;
    eprintln!(
        "recorded {} in {LOCK_FILE}",
        if names.is_empty() {
            "nothing new".to_string()
        } else {
            names.join(", ")
        }
    );
    Ok(EXIT_OK)
}
