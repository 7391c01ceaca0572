//! `--output json`: a stable contract, described by `schemas/evreg-report.schema.json`.

use super::{Context, Renderer, Report};
use crate::finding::{Direction, Finding, Severity, Summary};
use serde::Serialize;
use std::io::{self, Write};

/// The JSON format: one document, written as it is serialised.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

/// The version of this output's shape; it changes only with a breaking change to the contract.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    format_version: u32,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    compatible: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
}

impl<'a> Output<'a> {
    /// The document for a report, with the findings given (none when they are spliced in).
    fn of(report: &Report, ctx: &Context, findings: Vec<JsonFinding<'a>>) -> Self {
        Output {
            format_version: FORMAT_VERSION,
            ok: !report.has_errors(),
            compatible: ctx.compat.map(|(_, c)| c),
            mode: ctx.compat.map(|(m, _)| m.as_str()),
            findings,
            summary: JsonSummary {
                counts: report.summary(),
                subjects: ctx.subjects,
                versions: ctx.versions,
                events: ctx.events.map(|e| e.0),
                rejected: ctx.events.map(|e| e.1),
            },
        }
    }
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    subjects: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    versions: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rejected: Option<usize>,
}

/// One finding, flat, so `jq '.findings[] | .file'` needs no nesting.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub rule: &'a str,
    pub category: &'a str,
    pub severity: Severity,
    pub subject: Option<&'a str>,
    pub version: Option<u32>,
    pub other_version: Option<u32>,
    pub direction: Option<Direction>,
    pub file: Option<&'a str>,
    pub pointer: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub other_file: Option<&'a str>,
    pub other_pointer: Option<&'a str>,
    pub other_line: Option<usize>,
    pub other_column: Option<usize>,
    pub path: Option<&'a str>,
    pub message: &'a str,
    pub help: &'a str,
    pub allowed: Option<&'a str>,
    /// An instance the writer accepts and the reader rejects (compatibility findings). The key
    /// is absent when there is none, so `"example": null` always means the instance `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<&'a serde_json::Value>,
}

impl<'a> JsonFinding<'a> {
    pub fn of(f: &'a Finding) -> Self {
        let loc = f.location.as_ref();
        let other = f.other_location.as_ref();
        JsonFinding {
            rule: f.rule.id,
            category: f.category().as_str(),
            severity: f.severity,
            subject: f.subject.as_deref(),
            version: f.version,
            other_version: f.other_version,
            direction: f.direction,
            file: loc.map(|l| l.file.as_str()),
            pointer: loc.map(|l| l.pointer.as_str()),
            line: loc.and_then(|l| l.line),
            column: loc.and_then(|l| l.column),
            other_file: other.map(|l| l.file.as_str()),
            other_pointer: other.map(|l| l.pointer.as_str()),
            other_line: other.and_then(|l| l.line),
            other_column: other.and_then(|l| l.column),
            path: f.path.as_deref(),
            message: &f.message,
            help: &f.help,
            allowed: f.allowed.as_deref(),
            example: f.example.as_deref(),
        }
    }
}

impl Renderer for Json {
    fn render(&self, report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
        let doc = Output::of(report, ctx, Vec::new());
        let outline = serde_json::to_vec_pretty(&doc)?;
        write_spliced(&outline, "findings", &report.findings, out, |f, buf| {
            serde_json::to_writer_pretty(buf, &JsonFinding::of(f)).map_err(io::Error::from)
        })?;
        out.write_all(b"\n")
    }
}

/// Write a pretty-printed document whose list under `key` (printed empty in `outline`, the one
/// member of that name) holds `findings`, each printed by `print` as a document of its own. The
/// list is most of a large report: it is printed on every core in bounded batches, in order, and
/// reads exactly as serde_json prints the whole document.
pub(super) fn write_spliced(
    outline: &[u8],
    key: &str,
    findings: &[Finding],
    out: &mut dyn Write,
    print: impl Fn(&Finding, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let empty = format!("\"{key}\": []");
    let at = outline
        .windows(empty.len())
        .position(|w| w == empty.as_bytes())
        .ok_or_else(|| io::Error::other(format!("no empty `{key}` list in the report")))?;
    let open = at + empty.len() - 1;
    out.write_all(&outline[..open])?;
    if !findings.is_empty() {
        // The key's own indentation; elements sit one level (two spaces) deeper.
        let line_start = outline[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let indent = " ".repeat(at - line_start + 2);
        write_elements(findings, indent.as_bytes(), out, &print)?;
        out.write_all(b"\n")?;
        out.write_all(&indent.as_bytes()[2..])?;
    }
    out.write_all(&outline[open..])
}

/// The elements of the list, each on a new line at `indent`, separated by commas.
fn write_elements(
    findings: &[Finding],
    indent: &[u8],
    out: &mut dyn Write,
    print: &(impl Fn(&Finding, &mut Vec<u8>) -> io::Result<()> + Sync),
) -> io::Result<()> {
    super::print_in_order(findings, out, |i, f, part| {
        if i > 0 {
            part.push(b',');
        }
        part.push(b'\n');
        part.extend_from_slice(indent);
        let mut one = Vec::with_capacity(1024);
        print(f, &mut one)?;
        // JSON strings hold no raw line breaks, so every one is the pretty printer's.
        let mut lines = one.split(|&b| b == b'\n');
        part.extend_from_slice(lines.next().unwrap_or_default());
        for line in lines {
            part.push(b'\n');
            part.extend_from_slice(indent);
            part.extend_from_slice(line);
        }
        Ok(())
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn renders_the_fixed_report() {
        insta::assert_snapshot!(Json.render_to_string(&fixture::report(), &fixture::context()));
    }

    /// Several batches on every core, with a part left over.
    pub(in crate::report) const MANY: usize = crate::report::BATCH * 5 + 7;

    /// The whole document as serde_json prints it in one piece.
    fn printed_whole(report: &Report, ctx: &Context) -> String {
        let doc = Output::of(
            report,
            ctx,
            report.findings.iter().map(JsonFinding::of).collect(),
        );
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    }

    #[test]
    fn findings_written_in_batches_on_every_core_read_as_one_document() {
        let one = fixture::report();
        let mut ctx = fixture::context();
        ctx.compat = Some((crate::compat::Mode::Full, Some(false)));
        // None, fewer than a batch, and several batches with a part left over.
        for n in [0, 3, MANY] {
            let mut report = one.clone();
            report.findings = one.findings.iter().cycle().take(n).cloned().collect();
            let rendered = Json.render_to_string(&report, &ctx);
            assert_eq!(rendered, printed_whole(&report, &ctx), "{n} findings");
            let parsed: serde_json::Value = serde_json::from_str(&rendered).unwrap();
            assert_eq!(parsed["findings"].as_array().unwrap().len(), n);
        }
    }
}
