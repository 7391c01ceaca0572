use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global};
use crate::finding::{Finding, Summary};
use crate::registry::config::Settings;
use crate::report::{self, Context, Renderer, Report};
use crate::source::SourceMap;
use crate::validate::events::{Catalog, Expect};
use crate::validate::input::{self, Checked};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event files: `.json` is one event, `.ndjson`/`.jsonl` one per line, `-` standard input
    /// (one per line, validated as it arrives). Without files, the registry's fixtures are
    /// validated.
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
    let mut out = Emitter::new(g, &reg.settings);
    for path in &args.files {
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin().lock();
            input::validate_stream(&catalog, "<stdin>", stdin, expect, &mut |c| out.event(c))
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            continue;
        }
        let name = path.display().to_string();
        if input::is_stream_name(&name) {
            let file = std::fs::File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
            input::validate_stream(&catalog, &name, file, expect, &mut |c| out.event(c))
                .map_err(|e| format!("cannot read {name}: {e}"))?;
        } else {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
            let _ = out.event(input::validate_document(&catalog, &name, bytes, expect));
        }
        if out.closed {
            break;
        }
    }
    Ok(out.finish())
}

/// Takes each event's findings as they come: streaming formats (human, concise, GitHub) are
/// written (and flushed) at once, so nothing accumulates; formats that are one document are
/// written at the end.
struct Emitter<'a> {
    g: &'a Global,
    /// The chosen format, decided once.
    renderer: Box<dyn Renderer>,
    settings: &'a Settings,
    /// For one-document formats: every finding, in input order, and the files they point into.
    findings: Vec<Finding>,
    sources: SourceMap,
    summary: Summary,
    errors: bool,
    events: usize,
    rejected: usize,
    /// Standard output is gone (`evreg validate - | head`): stop reading.
    closed: bool,
    /// What human and concise output left out so far.
    hidden: report::Hidden,
}

impl<'a> Emitter<'a> {
    fn new(g: &'a Global, settings: &'a Settings) -> Self {
        Emitter {
            g,
            renderer: g.renderer(),
            settings,
            findings: Vec::new(),
            sources: SourceMap::default(),
            summary: Summary::default(),
            errors: false,
            events: 0,
            rejected: 0,
            closed: false,
            hidden: report::Hidden::default(),
        }
    }

    fn event(&mut self, checked: Checked) -> ControlFlow<()> {
        let findings = self.settings.apply_severities(checked.findings);
        self.events += 1;
        let rejected = findings.iter().any(Finding::is_error);
        self.rejected += usize::from(rejected);
        self.errors |= rejected;
        let s = Summary::of(&findings);
        self.summary.errors += s.errors;
        self.summary.warnings += s.warnings;
        self.summary.infos += s.infos;
        self.summary.allowed += s.allowed;
        let Some(format) = self.renderer.streaming() else {
            if !findings.is_empty()
                && let Some(source) = checked.source
            {
                self.sources.insert(source);
            }
            self.findings.extend(findings);
            return ControlFlow::Continue(());
        };
        if findings.is_empty() {
            return ControlFlow::Continue(());
        }
        let mut sources = SourceMap::default();
        if let Some(source) = checked.source {
            sources.insert(source);
        }
        let mut text = Vec::new();
        let ctx = Context::default();
        let _ = format.findings(&findings, &sources, &ctx, &mut self.hidden, &mut text);
        self.write(&text)
    }

    fn write(&mut self, text: &[u8]) -> ControlFlow<()> {
        let mut stdout = std::io::stdout().lock();
        if stdout
            .write_all(text)
            .and_then(|()| stdout.flush())
            .is_err()
        {
            self.closed = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    fn finish(mut self) -> Exit {
        let ctx = Context {
            events: Some((self.events, self.rejected)),
            ..Context::default()
        };
        let Some(format) = self.renderer.streaming() else {
            let report = Report {
                findings: std::mem::take(&mut self.findings),
                sources: std::mem::take(&mut self.sources),
            };
            return self.g.emit(&report, &ctx);
        };
        let mut text = Vec::new();
        let _ = format.close(&self.summary, self.errors, &ctx, &self.hidden, &mut text);
        let _ = self.write(&text);
        if self.errors { EXIT_FINDINGS } else { EXIT_OK }
    }
}
