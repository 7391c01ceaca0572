use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global, Output};
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
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let plan = add::plan(&reg, &args.subject, &args.file).map_err(|e| e.to_string())?;
    let ctx = Context::default();
    let code = g.emit(&plan.report, &ctx);
    if !plan.accepted() {
        if g.output == Output::Human {
            eprintln!(
                "not added: {} v{} breaks the subject's compatibility mode; nothing was written",
                plan.subject, plan.version
            );
        }
        return Ok(EXIT_FINDINGS);
    }
    if args.dry_run {
        if g.output == Output::Human {
            eprintln!("dry run: {} would be written", plan.file);
        }
        return Ok(code);
    }
    plan.write(&reg).map_err(|e| e.to_string())?;
    if g.output == Output::Human {
        eprintln!("added {} v{} as {}", plan.subject, plan.version, plan.file);
    }
    Ok(EXIT_OK)
}
