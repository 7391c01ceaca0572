//! `--output junit`: JUnit XML for CI test dashboards. One test suite per subject (and one for
//! registry-wide findings), one test case per check (layout, lint, compatibility, integrity, …);
//! a check with error findings fails, carrying every message.

use super::Report;
use crate::finding::{Category, Finding, Severity};
use std::collections::BTreeMap;

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

pub fn render(report: &Report, subjects: &[String], prefix: &str) -> String {
    // Every subject gets a suite, so a clean subject shows as passing checks.
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
    let checks: Vec<Category> = CHECKS
        .into_iter()
        .filter(|c| {
            matches!(
                c,
                Category::Layout | Category::Lint | Category::Compatibility | Category::Integrity
            ) || report.findings.iter().any(|f| f.category() == *c)
        })
        .collect();
    let total_failures: usize = suites
        .values()
        .map(|fs| {
            checks
                .iter()
                .filter(|c| {
                    fs.iter()
                        .any(|f| f.category() == **c && f.severity == Severity::Error)
                })
                .count()
        })
        .sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"evreg\" tests=\"{}\" failures=\"{total_failures}\">\n",
        suites.len() * checks.len()
    ));
    for (subject, findings) in &suites {
        let failures = checks
            .iter()
            .filter(|c| {
                findings
                    .iter()
                    .any(|f| f.category() == **c && f.severity == Severity::Error)
            })
            .count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">\n",
            xml(subject),
            checks.len()
        ));
        for check in &checks {
            let mine: Vec<&&Finding> = findings.iter().filter(|f| f.category() == *check).collect();
            let errors: Vec<&&Finding> = mine
                .iter()
                .copied()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(subject),
                check.as_str()
            ));
            if mine.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
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
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
