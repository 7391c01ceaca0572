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
            example: f.example.as_ref(),
        }
    }
}

impl Renderer for Json {
    /// The report written as JSON as it is serialised: a report of tens of thousands of findings
    /// is never held as one string beside them.
    fn render(&self, report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
        let doc = Output {
            format_version: FORMAT_VERSION,
            ok: !report.has_errors(),
            compatible: ctx.compat.map(|(_, c)| c),
            mode: ctx.compat.map(|(m, _)| m.as_str()),
            findings: report.findings.iter().map(JsonFinding::of).collect(),
            summary: JsonSummary {
                counts: report.summary(),
                subjects: ctx.subjects,
                versions: ctx.versions,
                events: ctx.events.map(|e| e.0),
                rejected: ctx.events.map(|e| e.1),
            },
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn renders_the_fixed_report() {
        insta::assert_snapshot!(Json.render_to_string(&fixture::report(), &fixture::context()));
    }
}
