use super::{EXIT_FAILURE, Exit, Failure, Global};
use crate::compat::Mode;
use crate::report::Context;
use crate::schema::Format;
use crate::schema::json::Draft;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The older schema file (the published version).
    pub old: PathBuf,
    /// The newer schema file (the candidate).
    pub new: PathBuf,
    /// Compatibility mode: none, backward, forward, full (the _transitive forms act alike for two files).
    #[arg(long, short, default_value = "backward", value_parser = parse_mode)]
    pub mode: Mode,
    /// Schema format; by default from the extension (.avsc Avro, .json JSON Schema).
    #[arg(long = "type", value_enum)]
    pub format: Option<FormatArg>,
    /// JSON Schema policy: strict (set semantics) or lenient (Confluent's lenient checks).
    #[arg(long, value_enum, default_value = "strict")]
    pub policy: PolicyArg,
    /// JSON Schema draft assumed for a file without `$schema`: draft-04, draft-06, draft-07,
    /// 2019-09 or 2020-12 (a registry's `json-schema-draft` setting).
    #[arg(long, default_value = "2020-12", value_parser = parse_draft)]
    pub draft: Draft,
}

fn parse_draft(s: &str) -> Result<Draft, String> {
    Draft::parse(s).ok_or_else(|| {
        format!("unknown draft `{s}`: drafts are draft-04, draft-06, draft-07, 2019-09, 2020-12")
    })
}

#[derive(clap::ValueEnum, Debug, Clone, Copy)]
pub enum PolicyArg {
    Strict,
    Lenient,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy)]
pub enum FormatArg {
    Avro,
    JsonSchema,
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse()
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let format = args.format.map(|f| match f {
        FormatArg::Avro => Format::Avro,
        FormatArg::JsonSchema => Format::JsonSchema,
    });
    let policy = match args.policy {
        PolicyArg::Strict => crate::compat::json::Policy::Strict,
        PolicyArg::Lenient => crate::compat::json::Policy::Lenient,
    };
    let outcome = crate::compat_files(&args.old, &args.new, args.mode, format, policy, args.draft)
        .map_err(|e| e.to_string())?;
    let ctx = Context {
        compat: Some((args.mode, outcome.compatible)),
        ..Context::default()
    };
    let code = g.emit(&outcome.report, &ctx);
    Ok(if outcome.compatible.is_none() {
        EXIT_FAILURE
    } else {
        code
    })
}
