use super::{EXIT_OK, Exit, Failure, Global};
use crate::codegen::rust::{self, Options, TimeCrate};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub target: Target,
}

#[derive(clap::Subcommand, Debug)]
pub enum Target {
    /// Rust types for the events: payload structs per version, upcasts, `Envelope<P>`, one enum
    /// per subject and `AnyEvent`. Needs only serde and serde_json unless options say otherwise.
    Rust(RustArgs),
}

#[derive(clap::Args, Debug)]
pub struct RustArgs {
    /// Subjects to generate (default: every subject).
    pub subjects: Vec<String>,
    /// Write to FILE instead of standard output: replaced atomically, keeping its permissions.
    /// FILE may lie outside the registry (build output); a symbolic link, FIFO or device there
    /// is refused, never replaced (omit --out to write to standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// UUIDs as `uuid::Uuid` (the crate needs uuid with its `serde` feature).
    #[arg(long)]
    pub uuid: bool,
    /// Dates, times and timestamps as chrono types (chrono with its `serde` feature).
    #[arg(long, conflicts_with = "time")]
    pub chrono: bool,
    /// Dates, times and timestamps as `time` types (time with `serde-well-known`).
    #[arg(long)]
    pub time: bool,
    /// Decimals as `rust_decimal::Decimal` (rust_decimal with `serde-str`) instead of the
    /// generated exact text type `Decimal`.
    #[arg(long)]
    pub rust_decimal: bool,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    match &args.target {
        Target::Rust(a) => rust_code(a, g),
    }
}

fn rust_code(args: &RustArgs, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let options = Options {
        subjects: args.subjects.clone(),
        uuid: args.uuid,
        time: if args.chrono {
            Some(TimeCrate::Chrono)
        } else if args.time {
            Some(TimeCrate::Time)
        } else {
            None
        },
        rust_decimal: args.rust_decimal,
    };
    let code = rust::generate(&reg, &options).map_err(|e| e.to_string())?;
    match &args.out {
        Some(path) => crate::fsutil::replace_at(path, code.as_bytes()).map_err(|e| match e {
            crate::fsutil::GateError::Io { error, .. } => format!(
                "cannot write {}: {error}\n  help: nothing was written; check that the folder exists and is writable",
                path.display()
            ),
            e => format!("--out: {e}; leave out --out to print the code to standard output"),
        })?,
        None => super::print(&code),
    }
    Ok(EXIT_OK)
}
