use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global, print};
use crate::parsed::{Model, parse_subject};
use crate::validate::events::{Catalog, Expect};
use crate::validate::example;

#[derive(clap::Subcommand, Debug)]
pub enum FixtureCommand {
    /// Write a valid example event for SUBJECT[@N] (default: the latest version) under
    /// fixtures/<subject>/vN/, built from the schema's defaults and first enum symbols.
    New(NewArgs),
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// SUBJECT or SUBJECT@N.
    pub subject: String,
    /// File name under fixtures/<subject>/vN/ (default: example.json, example-2.json, …).
    #[arg(long)]
    pub name: Option<String>,
    /// Print the event instead of writing it.
    #[arg(long)]
    pub stdout: bool,
}

pub fn run(command: &FixtureCommand, g: &Global) -> Result<Exit, Failure> {
    let FixtureCommand::New(args) = command;
    let reg = g.registry()?;
    let (name, number) = super::list::parse_subject_ref(&args.subject)?;
    let subject = reg
        .subject(name)
        .ok_or_else(|| format!("no subject `{name}`\n  help: `evreg list` shows the subjects"))?;
    let number = number
        .or(subject.latest().map(|v| v.number))
        .ok_or_else(|| format!("`{name}` has no versions"))?;
    let index = subject
        .versions
        .iter()
        .position(|v| v.number == number)
        .ok_or_else(|| format!("`{name}` has no version {number}"))?;
    let version = &subject.versions[index];
    let provider = crate::schema::json::FileProvider::in_memory(reg.root.clone(), reg.all_files());
    let (models, _) = parse_subject(subject, &provider);
    let no_example = |e: example::NoExample| {
        format!(
            "cannot write an example of {name} v{number} ({}): {e}",
            version.source.path
        )
    };
    let payload = match &models[index] {
        Some(Model::Avro(s)) => example::avro_payload(s).map_err(no_example)?,
        Some(_) => {
            let value: serde_json::Value = serde_json::from_str(&version.source.text)
                .map_err(|e| format!("{}: {e}", version.source.path))?;
            example::json_payload(&value).map_err(no_example)?
        }
        None => {
            return Err(format!(
                "{} does not parse; `evreg check` says why",
                version.source.path
            ));
        }
    };
    let event = example::event(
        &reg.settings.envelope,
        name,
        number,
        &version.source.path,
        payload,
    );
    // Never hand out an example that fails: say what to fill in instead.
    let catalog = Catalog::new(&reg);
    let expect = if catalog.is_whole_event(&event) {
        Expect::Routed
    } else {
        Expect::Payload(name, Some(number))
    };
    let problems: Vec<String> = catalog
        .validate(&event, expect)
        .drafts
        .iter()
        .filter(|p| p.rule.severity == crate::Severity::Error)
        .map(|p| format!("{}: {}", p.at.pointer, p.message))
        .collect();
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&event).unwrap_or_default()
    );
    if args.stdout {
        print(&text);
    } else {
        // Through the gate: inside fixtures/ of this registry, never replacing a file.
        let gate = crate::fsutil::Gate::new(&reg.root).map_err(|e| e.to_string())?;
        let dir = format!("{}/{name}/v{number}", crate::registry::FIXTURES_DIR);
        let rel = match &args.name {
            Some(n) => {
                let file = if n.ends_with(".json") {
                    n.clone()
                } else {
                    format!("{n}.json")
                };
                if !crate::fsutil::is_plain_name(&file) {
                    return Err(format!(
                        "--name `{n}` is not a plain file name\n  help: give a name such as `refund-large`; the file is written in {dir}/"
                    ));
                }
                format!("{dir}/{file}")
            }
            None => {
                let mut i = 1;
                loop {
                    let rel = if i == 1 {
                        format!("{dir}/example.json")
                    } else {
                        format!("{dir}/example-{i}.json")
                    };
                    if gate.kind(&rel).map_err(|e| e.to_string())?.is_none() || i >= 10_000 {
                        break rel;
                    }
                    i += 1;
                }
            }
        };
        let file = gate
            .create_new(&rel, text.as_bytes())
            .map_err(|e| match e {
                crate::fsutil::GateError::Io { error, .. } => format!(
                    "cannot write {rel}: {error}\n  help: check the folder's permissions; nothing was written"
                ),
                e => format!("cannot write {rel}: {e}"),
            })?;
        eprintln!("wrote {}", file.display());
    }
    if problems.is_empty() {
        Ok(EXIT_OK)
    } else {
        eprintln!(
            "the example does not validate yet; fill in:\n  {}",
            problems.join("\n  ")
        );
        Ok(EXIT_FINDINGS)
    }
}
