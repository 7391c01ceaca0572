//! `--output markdown`: a GitHub-flavoured Markdown summary — a headline with the counts, then a
//! table of errors and warnings. Written for a CI job summary (`$GITHUB_STEP_SUMMARY`) or a pull
//! request comment, where a reader wants what failed at a glance; notes are counted, not listed.

use super::{Context, Renderer, Report};
use crate::finding::{Finding, Severity};
use std::io::{self, Write};

/// The Markdown format: errors and warnings listed, notes counted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

/// Rows listed before the table is cut (a job summary is limited to 1 MiB; nobody reads more).
const MAX_ROWS: usize = 200;

/// Text made safe inside a table cell: pipes escaped, line breaks as `<br>`, HTML inert.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Code in a cell: backticks cannot be escaped inside a code span, so a longer fence is used.
fn code(s: &str) -> String {
    let fence = if s.contains('`') { "``" } else { "`" };
    format!("{fence}{}{fence}", cell(s).replace("<br>", " "))
}

fn row(f: &Finding, prefix: &str) -> String {
    let level = match f.severity {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ note",
    };
    let scope = f.scope();
    let place = f.location.as_ref().map_or(String::new(), |l| {
        let mut at = format!("{prefix}{}", l.file);
        if let Some(line) = l.line {
            at.push_str(&format!(":{line}"));
            if let Some(col) = l.column {
                at.push_str(&format!(":{col}"));
            }
        }
        code(&at)
    });
    let mut message = cell(&f.message);
    if let Some(reason) = &f.allowed {
        message.push_str(&format!(" (accepted in evreg.yaml: {})", cell(reason)));
    }
    if !f.help.is_empty() {
        message.push_str(&format!("<br>*help:* {}", cell(&f.help)));
    }
    format!(
        "| {level} | {} | {} | {place} | {message} |\n",
        code(f.rule.id),
        cell(&scope)
    )
}

impl Renderer for Markdown {
    fn render(&self, report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(table(report, ctx).as_bytes())
    }
}

/// The headline and the table (small: at most `MAX_ROWS` rows).
fn table(report: &Report, ctx: &Context) -> String {
    let summary = report.summary();
    let mark = if report.has_errors() { "❌" } else { "✅" };
    let mut out = format!("### evreg {mark} {}\n", cell(&ctx.summary_line(&summary)));
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    if !shown.is_empty() {
        out.push_str("\n| | Rule | Subject | Where | Finding |\n|---|---|---|---|---|\n");
        for f in shown.iter().take(MAX_ROWS) {
            out.push_str(&row(f, &ctx.path_prefix));
        }
        if shown.len() > MAX_ROWS {
            out.push_str(&format!(
                "\n{} more not listed here; the job log and `evreg check` show every finding.\n",
                shown.len() - MAX_ROWS
            ));
        }
    }
    let notes = report.findings.len() - shown.len();
    if notes > 0 {
        out.push_str(&format!(
            "\n{notes} note{} not listed (`evreg check` shows them).\n",
            if notes == 1 { "" } else { "s" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn renders_the_fixed_report() {
        insta::assert_snapshot!(Markdown.render_to_string(&fixture::report(), &fixture::context()));
    }

    #[test]
    fn cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(cell("a|b\nc<script>"), "a\\|b<br>c&lt;script&gt;");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }
}
