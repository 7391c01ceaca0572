//! `evreg completions SHELL` and `evreg man`: generated from the argument definitions, so they
//! always match the binary.

use super::{Cli, EXIT_OK, Exit, Failure};
use clap::CommandFactory;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn completions(args: &Args) -> Result<Exit, Failure> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "evreg", &mut out);
    super::print(&String::from_utf8_lossy(&out));
    Ok(EXIT_OK)
}

pub fn man() -> Result<Exit, Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| format!("cannot render the manual page: {e}"))?;
    super::print(&String::from_utf8_lossy(&out));
    Ok(EXIT_OK)
}
