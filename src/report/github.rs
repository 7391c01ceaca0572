//! `--output github`: GitHub Actions workflow commands, so findings appear as annotations on the
//! pull request's changed lines.

use super::{Context, Hidden, Streaming};
use crate::finding::{Finding, Severity, Summary};
use crate::source::SourceMap;
use std::io::{self, Write};

/// The GitHub Actions format: every finding is an annotation, nothing is left out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Github;

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

impl Streaming for Github {
    /// One command per finding; paths read from the repository root (`ctx.path_prefix`).
    fn findings(
        &self,
        findings: &[Finding],
        _sources: &SourceMap,
        ctx: &Context,
        _hidden: &mut Hidden,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        for f in findings {
            out.write_all(command(f, &ctx.path_prefix).as_bytes())?;
        }
        Ok(())
    }
    /// The closing summary line.
    fn close(
        &self,
        summary: &Summary,
        _has_errors: bool,
        ctx: &Context,
        _hidden: &Hidden,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        writeln!(out, "evreg: {}", ctx.summary_line(summary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Renderer, fixture};

    #[test]
    fn renders_the_fixed_report() {
        insta::assert_snapshot!(Github.render_to_string(&fixture::report(), &fixture::context()));
    }

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
