//! `--output junit`: JUnit XML for CI test dashboards. One test suite per subject (and one for
//! registry-wide findings), one test case per check (layout, lint, compatibility, integrity, …);
//! a check with error findings fails, carrying every message.

use super::{Context, Renderer, Report};
use crate::finding::{Category, Finding, Severity};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The JUnit format: a suite for every subject of `Context::subject_names`, paths read from the
/// repository root (`Context::path_prefix`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Junit;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to carry other control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const CHECKS: [Category; 6] = [
    Category::Layout,
    Category::Lint,
    Category::Compatibility,
    Category::Integrity,
    Category::Fixture,
    Category::Envelope,
];

/// One finding as a line; `prefix` is the registry's folder in the repository (`events/`), so
/// paths read from the repository root as CI dashboards link them.
fn line(f: &Finding, prefix: &str) -> String {
    let at = f
        .location
        .as_ref()
        .map(|l| match (l.line, l.column) {
            (Some(a), Some(b)) => format!("{prefix}{}:{a}:{b}: ", l.file),
            _ => format!("{prefix}{}: ", l.file),
        })
        .unwrap_or_default();
    format!(
        "{at}{} [{}] {}\n  help: {}",
        f.severity, f.rule.id, f.message, f.help
    )
}

impl Renderer for Junit {
    fn render(&self, report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
        let suites = suites(report, &ctx.subject_names);
        let checks = checks(report);
        let failures: usize = suites.values().map(|fs| failed(fs, &checks)).sum();
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        writeln!(
            out,
            "<testsuites name=\"evreg\" tests=\"{}\" failures=\"{failures}\">",
            suites.len() * checks.len()
        )?;
        for (subject, findings) in &suites {
            writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
                xml(subject),
                checks.len(),
                failed(findings, &checks)
            )?;
            for check in &checks {
                out.write_all(testcase(subject, *check, findings, &ctx.path_prefix).as_bytes())?;
            }
            out.write_all(b"  </testsuite>\n")?;
        }
        out.write_all(b"</testsuites>\n")
    }
}

/// The findings by subject (`(registry)` for registry-wide ones). Every subject gets a suite,
/// so a clean subject shows as passing checks.
fn suites<'a>(report: &'a Report, subjects: &[String]) -> BTreeMap<String, Vec<&'a Finding>> {
    let mut suites: BTreeMap<String, Vec<&Finding>> =
        subjects.iter().map(|s| (s.clone(), Vec::new())).collect();
    for f in &report.findings {
        suites
            .entry(
                f.subject
                    .clone()
                    .unwrap_or_else(|| "(registry)".to_string()),
            )
            .or_default()
            .push(f);
    }
    if suites.is_empty() {
        suites.insert("(registry)".to_string(), Vec::new());
    }
    suites
}

/// The checks every suite lists: the four every run makes, and the others when they found
/// something.
fn checks(report: &Report) -> Vec<Category> {
    CHECKS
        .into_iter()
        .filter(|c| {
            matches!(
                c,
                Category::Layout | Category::Lint | Category::Compatibility | Category::Integrity
            ) || report.findings.iter().any(|f| f.category() == *c)
        })
        .collect()
}

/// How many of `checks` have an error among `findings`.
fn failed(findings: &[&Finding], checks: &[Category]) -> usize {
    checks
        .iter()
        .filter(|c| {
            findings
                .iter()
                .any(|f| f.category() == **c && f.severity == Severity::Error)
        })
        .count()
}

/// One check of one subject: a failure carrying its errors, the other findings as output.
fn testcase(subject: &str, check: Category, findings: &[&Finding], prefix: &str) -> String {
    let mine: Vec<&&Finding> = findings.iter().filter(|f| f.category() == check).collect();
    let mut out = format!(
        "    <testcase classname=\"{}\" name=\"{}\"",
        xml(subject),
        check.as_str()
    );
    if mine.is_empty() {
        out.push_str("/>\n");
        return out;
    }
    out.push_str(">\n");
    let errors: Vec<&&Finding> = mine
        .iter()
        .copied()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if let Some(first) = errors.first() {
        let body: Vec<String> = errors.iter().map(|f| line(f, prefix)).collect();
        out.push_str(&format!(
            "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
            first.rule.id,
            xml(&first.message),
            xml(&body.join("\n"))
        ));
    }
    let others: Vec<String> = mine
        .iter()
        .filter(|f| f.severity != Severity::Error)
        .map(|f| line(f, prefix))
        .collect();
    if !others.is_empty() {
        out.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            xml(&others.join("\n"))
        ));
    }
    out.push_str("    </testcase>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn renders_the_fixed_report() {
        insta::assert_snapshot!(Junit.render_to_string(&fixture::report(), &fixture::context()));
    }
}
