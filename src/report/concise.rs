//! `--output concise`: one line per finding, `path:line:col: severity rule: message`, as
//! compilers and ruff print them, for editors and grep; then the summary.

use super::{Context, Hidden, Report, Shown};
use crate::finding::Finding;

/// One finding as one line.
pub fn line(f: &Finding) -> String {
    let place = f
        .location
        .as_ref()
        .map(|l| format!("{}: ", l.position()))
        .unwrap_or_default();
    let message = f.headline();
    // One line whatever the message holds.
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{place}{} {}: {message}\n", f.severity, f.rule.id)
}

/// The findings `shown` keeps, one line each; the others are counted in `hidden`.
pub fn render_findings(findings: &[Finding], shown: &Shown, hidden: &mut Hidden) -> String {
    findings
        .iter()
        .filter(|f| hidden.admit(shown, f))
        .map(line)
        .collect()
}

pub fn render(report: &Report, ctx: &Context, shown: &Shown) -> String {
    let mut hidden = Hidden::default();
    let mut out = render_findings(&report.findings, shown, &mut hidden);
    out.push_str(&report.closing(ctx, &hidden));
    out
}
