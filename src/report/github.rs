//! `--output github`: GitHub Actions workflow commands, so findings appear as annotations on the
//! pull request's changed lines.

use super::{Context, Report};
use crate::finding::{Finding, Severity};

/// Escape a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(f: &Finding, prefix: &str) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props = Vec::new();
    if let Some(loc) = &f.location {
        props.push(format!(
            "file={}",
            property(&format!("{prefix}{}", loc.file))
        ));
        if let Some(line) = loc.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = loc.column {
            props.push(format!("col={col}"));
        }
    }
    let scope = match f.scope() {
        s if s.is_empty() => s,
        s => format!("{s}: "),
    };
    props.push(format!(
        "title={}",
        property(&format!("{scope}{}", f.rule.id))
    ));
    let mut message = f.message.clone();
    if let Some(reason) = &f.allowed {
        message.push_str(&format!(" (accepted in evreg.yaml: {reason})"));
    }
    if !f.help.is_empty() {
        message.push_str(&format!("\nhelp: {}", f.help));
    }
    format!("::{level} {}::{}\n", props.join(","), data(&message))
}

pub fn render(report: &Report, ctx: &Context) -> String {
    let mut out = render_findings(&report.findings, ctx);
    out.push_str(&summary(&report.summary(), ctx));
    out
}

/// The findings alone, one command each (streams render as they go).
pub fn render_findings(findings: &[Finding], ctx: &Context) -> String {
    findings
        .iter()
        .map(|f| command(f, &ctx.path_prefix))
        .collect()
}

/// The closing summary line.
pub fn summary(summary: &crate::finding::Summary, ctx: &Context) -> String {
    format!("evreg: {}\n", ctx.summary_line(summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
