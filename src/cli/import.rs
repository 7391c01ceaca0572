//! `evreg import`: a remote Schema Registry's subjects into the registry, then `check`.

use super::{EXIT_OK, Exit, Failure, Global};
use crate::report::Context;

#[derive(clap::Args, Debug)]
#[command(after_help = super::remote::CREDENTIALS)]
pub struct Args {
    #[command(flatten)]
    pub remote: super::remote::Remote,
    /// Remote subjects to import (default: all); subjects they reference come along as shared
    /// files.
    pub subjects: Vec<String>,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let root = g.registry()?.root;
    let client = args.remote.client()?;
    let done = crate::remote::import::import(&root, &client, &args.subjects, &mut |line| {
        eprintln!("{line}")
    })?;
    eprintln!(
        "imported {} file{}{}; evreg.lock records them with the remote's ids",
        done.written,
        if done.written == 1 { "" } else { "s" },
        if done.skipped > 0 {
            format!(", {} skipped (see above)", done.skipped)
        } else {
            String::new()
        }
    );
    // What evreg thinks of the history: reported, never a failure of the import.
    let reg = g.registry()?;
    let report = crate::check::check(&reg);
    g.emit(&report, &Context::default());
    if report.has_errors() {
        eprintln!(
            "the imported history does not pass `evreg check` (a registry's history often never passed a strict check): the files are kept; fix what is reported, or accept it in evreg.yaml's `allow` list with a reason"
        );
    }
    Ok(EXIT_OK)
}
