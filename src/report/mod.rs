//! Renderers: one file per output format, each turning the same findings into text. Renderers
//! never decide; they only show what the checks found.

pub mod github;
#[cfg(feature = "cli")]
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use crate::finding::{Finding, Summary};
use crate::source::SourceMap;

/// The findings of one command with the files they point into.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub sources: SourceMap,
}

impl Report {
    /// A report with its findings in a stable order.
    pub fn new(mut findings: Vec<Finding>, sources: SourceMap) -> Report {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Report { findings, sources }
    }
    /// A report in the order of the files' lines (event streams read best that way).
    pub fn in_file_order(mut findings: Vec<Finding>, sources: SourceMap) -> Report {
        findings.sort_by(|a, b| {
            let key = |f: &Finding| {
                f.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column))
            };
            key(a).cmp(&key(b)).then_with(|| a.rule.id.cmp(b.rule.id))
        });
        Report { findings, sources }
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// What a report is about, for the summary renderers print.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub subjects: Option<usize>,
    pub versions: Option<usize>,
    /// For `compat`: the mode and the verdict.
    pub compat: Option<(crate::compat::Mode, Option<bool>)>,
    /// The subjects checked, so reports that list passes (JUnit) can name clean ones.
    pub subject_names: Vec<String>,
    /// The registry root relative to the repository root (`events/` or empty), for renderers
    /// whose consumers resolve paths from the repository (GitHub annotations, SARIF).
    pub path_prefix: String,
    /// For `validate`: events read and events rejected.
    pub events: Option<(usize, usize)>,
}

impl Context {
    pub fn summary_line(&self, s: &Summary) -> String {
        let counts = {
            let mut parts = Vec::new();
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            if s.errors > 0 {
                parts.push(plural(s.errors, "error"));
            }
            if s.warnings > 0 {
                parts.push(plural(s.warnings, "warning"));
            }
            if s.infos > 0 {
                parts.push(plural(s.infos, "note"));
            }
            if parts.is_empty() {
                "no findings".to_string()
            } else {
                parts.join(", ")
            }
        };
        let scope = match (self.subjects, self.versions) {
            (Some(s), Some(v)) => format!(
                " in {s} subject{} ({v} version{})",
                if s == 1 { "" } else { "s" },
                if v == 1 { "" } else { "s" }
            ),
            _ => String::new(),
        };
        let allowed = if s.allowed > 0 {
            format!("; {} accepted by evreg.yaml `allow`", s.allowed)
        } else {
            String::new()
        };
        if let Some((n, rejected)) = self.events {
            let events = format!("{n} event{}", if n == 1 { "" } else { "s" });
            let rejected = if rejected > 0 {
                format!(", {rejected} rejected")
            } else {
                String::new()
            };
            return format!("{counts} in {events}{rejected}{allowed}");
        }
        match self.compat {
            Some((mode, Some(true))) => format!("compatible under {mode} ({counts}{allowed})"),
            Some((mode, Some(false))) => format!("incompatible under {mode}: {counts}{allowed}"),
            Some((_, None)) => format!("could not decide: {counts}"),
            None => format!("{counts}{scope}{allowed}"),
        }
    }
}
