//! `--output human`: miette diagnostics with source snippets, then a summary line.

use super::{Context, Report};
use crate::finding::{Direction, Finding, Location, Severity, Summary};
use crate::source::{SourceFile, SourceMap, Span};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, NamedSource,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::sync::Arc;

/// A file's text shared with the report, as miette reads it.
#[derive(Debug, Clone)]
struct Text(Arc<SourceFile>);

impl SourceCode for Text {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.0.text.as_str().read_span(span, before, after)
    }
}

/// A span miette can show: inside the text and on character boundaries.
fn clamp(text: &str, span: Span) -> SourceSpan {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (fix(span.start), fix(span.end.max(span.start)));
    (start, end - start).into()
}

struct Snippet {
    source: NamedSource<Text>,
    label: LabeledSpan,
}

fn snippet(sources: &SourceMap, loc: Option<&Location>, label: String) -> Option<Snippet> {
    let loc = loc?;
    let span = loc.span?;
    let file = sources.get(&loc.file)?;
    let span = clamp(&file.text, span);
    Some(Snippet {
        source: NamedSource::new(&file.path, Text(file.clone())).with_language("json"),
        label: LabeledSpan::new_primary_with_span(Some(label), span),
    })
}

struct Diag {
    code: String,
    severity: Severity,
    message: String,
    help: String,
    snippet: Option<Snippet>,
    related: Vec<Diag>,
}

impl fmt::Debug for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| &s.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.snippet
            .as_ref()
            .map(|s| Box::new(std::iter::once(s.label.clone())) as _)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)) as _)
    }
}

/// The header naming what a finding is about: `orders.order.placed v3 reading v2 data`.
fn scope(f: &Finding) -> String {
    let mut s = f.subject.clone().unwrap_or_default();
    match (f.version, f.other_version, f.direction) {
        (Some(n), Some(o), Some(Direction::Backward)) => {
            s.push_str(&format!(" v{n} reading v{o} data (backward)"))
        }
        (Some(n), Some(o), Some(Direction::Forward)) => {
            s.push_str(&format!(" v{o} reading v{n} data (forward)"))
        }
        (Some(n), _, _) => s.push_str(&format!(" v{n}")),
        (None, _, Some(Direction::Backward)) => s.push_str("new reading old data (backward)"),
        (None, _, Some(Direction::Forward)) => s.push_str("old reading new data (forward)"),
        _ => {}
    }
    s.trim().to_string()
}

/// How a pair finding names its reader and writer: `v2`, or (two loose files) their file names.
fn reader_writer_names(f: &Finding) -> (String, String) {
    let name = |loc: Option<&Location>, fallback: &str| {
        loc.map(|l| {
            std::path::Path::new(&l.file)
                .file_name()
                .map_or(l.file.clone(), |n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| fallback.to_string())
    };
    let new = f
        .version
        .map(|v| format!("v{v}"))
        .unwrap_or_else(|| name(f.location.as_ref(), "the new schema"));
    let old = f
        .other_version
        .map(|v| format!("v{v}"))
        .unwrap_or_else(|| name(f.other_location.as_ref(), "the old schema"));
    match f.direction {
        Some(Direction::Forward) => (old, new),
        _ => (new, old),
    }
}

fn diag(f: &Finding, sources: &SourceMap) -> Diag {
    let scope = scope(f);
    let mut message = if scope.is_empty() {
        f.message.clone()
    } else {
        format!("{scope}: {}", f.message)
    };
    if let Some(reason) = &f.allowed {
        message.push_str(&format!(" [accepted in evreg.yaml: {reason}]"));
    }
    if let Some(example) = &f.example {
        let (reader, writer) = reader_writer_names(f);
        message.push_str(&format!(
            "\n  example: {example} is accepted by {writer} but rejected by {reader}"
        ));
    }
    let here = match f.version {
        Some(v) => format!("v{v}"),
        None => "here".to_string(),
    };
    let mut related = Vec::new();
    if let Some(other) = snippet(
        sources,
        f.other_location.as_ref(),
        f.other_version
            .map(|v| format!("v{v}"))
            .unwrap_or_else(|| "old".into()),
    ) {
        related.push(Diag {
            code: String::new(),
            severity: Severity::Info,
            message: match f.other_version {
                Some(v) => format!("the same place in v{v}"),
                None => "the same place in the old schema".to_string(),
            },
            help: String::new(),
            snippet: Some(other),
            related: Vec::new(),
        });
    }
    let mut snip = snippet(sources, f.location.as_ref(), here);
    if snip.is_none() {
        // No span (a folder, a whole file): name the place in the message.
        if let Some(loc) = &f.location {
            let pos = match (loc.line, loc.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", loc.file),
                _ => loc.file.clone(),
            };
            message.push_str(&format!("\n  at {pos}"));
        }
        snip = None;
    }
    Diag {
        code: f.rule.id.to_string(),
        severity: f.severity,
        message,
        help: f.help.clone(),
        snippet: snip,
        related,
    }
}

pub fn render(report: &Report, ctx: &Context, color: bool, width: usize) -> String {
    let mut out = render_findings(&report.findings, &report.sources, color, width);
    out.push_str(&summary(&report.summary(), report.has_errors(), ctx));
    out
}

/// The findings alone, each as a diagnostic followed by a blank line (streams render as they go).
pub fn render_findings(
    findings: &[Finding],
    sources: &SourceMap,
    color: bool,
    width: usize,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(2);
    let mut out = String::new();
    for f in findings {
        let d = diag(f, sources);
        let mut text = String::new();
        if handler.render_report(&mut text, &d).is_err() {
            // A snippet miette could not read: fall back to the plain message.
            text = format!(
                "{} [{}]: {}\n  help: {}\n",
                f.severity, f.rule.id, d.message, f.help
            );
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// The closing summary line.
pub fn summary(summary: &Summary, has_errors: bool, ctx: &Context) -> String {
    let mark = if has_errors { "✗" } else { "✓" };
    format!("{mark} {}\n", ctx.summary_line(summary))
}
