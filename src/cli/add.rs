use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global};
use crate::add;
use crate::report::Context;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The subject, e.g. orders.order.placed (a new subject starts at v1).
    pub subject: String,
    /// The schema file to register (.avsc or .schema.json).
    pub file: PathBuf,
    /// Check only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// SUBJECT is a new subject. Without it, a subject that does not exist yet but is named
    /// like one that does is refused as a likely typo.
    #[arg(long)]
    pub new_subject: bool,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let found = g.registry()?;
    // Plan and write under the registry's lock, on the registry as it is once the lock is held:
    // a concurrent `add` is then wholly before or wholly after this one.
    let gate = crate::fsutil::Gate::new(&found.root).map_err(|e| e.to_string())?;
    let held = if args.dry_run {
        None
    } else {
        Some(
            gate.lock(crate::registry::CONFIG_FILE)
                .map_err(|e| e.to_string())?,
        )
    };
    let reg = match held {
        Some(_) => crate::registry::Registry::load(gate.root()).map_err(|e| e.to_string())?,
        None => found,
    };
    let is_new = reg.subject(&args.subject).is_none();
    let plan =
        add::plan(&reg, &args.subject, &args.file, args.new_subject).map_err(|e| e.to_string())?;
    let ctx = Context::default();
    let code = g.emit(&plan.report, &ctx);
    if !plan.accepted() {
        if g.is_text() {
            eprintln!(
                "not added: {} v{} has the errors above, which `evreg check` would report once it is written; nothing was written",
                plan.subject, plan.version
            );
        }
        return Ok(EXIT_FINDINGS);
    }
    if args.dry_run {
        if g.is_text() {
            eprintln!("dry run: {} would be written", plan.file);
        }
        return Ok(code);
    }
    let Some(held) = &held else {
        return Ok(code);
    };
    plan.write(&gate, held).map_err(|e| e.to_string())?;
    if g.is_text() {
        eprintln!(
            "added {} v{} as {}{}",
            plan.subject,
            plan.version,
            plan.file,
            if is_new { " (a new subject)" } else { "" }
        );
    }
    Ok(EXIT_OK)
}
