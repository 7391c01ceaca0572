use super::{Exit, Failure, Global};
use crate::report::{Context, Report};
use crate::validate::events::{Catalog, Expect};
use crate::validate::input::{Input, validate_inputs};
use std::io::Read;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event files: `.json` is one event, `.ndjson`/`.jsonl` one per line, `-` standard input
    /// (one per line). Without files, the registry's fixtures are validated.
    pub files: Vec<PathBuf>,
    /// The events are bare payloads of SUBJECT (at version N, default the latest).
    #[arg(long, value_name = "SUBJECT[@N]")]
    pub subject: Option<String>,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    if args.files.is_empty() {
        let ctx = Context {
            events: Some((reg.fixtures.len(), 0)),
            ..Context::default()
        };
        return Ok(g.emit(&crate::validate::fixtures::report(&reg), &ctx));
    }
    let catalog = Catalog::new(&reg);
    let bare = match &args.subject {
        Some(s) => {
            let (name, version) = super::list::parse_subject_ref(s)?;
            Some((name.to_string(), version))
        }
        None => None,
    };
    let expect = match &bare {
        Some((name, version)) => Expect::Payload(name, *version),
        None => Expect::Routed,
    };
    let mut inputs = Vec::new();
    for path in &args.files {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            inputs.push(Input {
                name: "<stdin>".into(),
                bytes,
                stream: true,
            });
        } else {
            let name = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
            inputs.push(Input {
                stream: Input::is_stream_name(&name),
                name,
                bytes,
            });
        }
    }
    let (findings, sources, tally) = validate_inputs(&catalog, &inputs, expect);
    let findings = reg.settings.apply_severities(findings);
    let ctx = Context {
        events: Some((tally.events, tally.rejected)),
        ..Context::default()
    };
    Ok(g.emit(&Report::in_file_order(findings, sources), &ctx))
}
