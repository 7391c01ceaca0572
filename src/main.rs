use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(evreg::cli::run(evreg::cli::Cli::parse()))
}
