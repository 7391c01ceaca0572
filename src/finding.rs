//! The one finding model every check yields and every renderer reads. It knows the rule
//! catalogue (which defines severities and categories) and the source map, nothing else.

use crate::rules::Rule;
pub use crate::rules::{Category, Severity};
use crate::source::{SourceFile, Span};
use serde::Serialize;

/// One way a value does not fit a schema: where in the value (a JSON pointer), where in the
/// schema, and why. A draft of a finding: whoever knows the subject, version and rule makes it one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub schema_pointer: String,
    pub message: String,
}

/// Which way data flows in a compatibility finding: BACKWARD means the newer version reads data
/// written with the older one, FORWARD the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Backward,
    Forward,
}

/// A place in a file: the JSON pointer (empty for the whole file or a non-JSON file) and, where the
/// parser kept it, the span with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub pointer: String,
    pub span: Option<Span>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: String::new(),
            span: None,
            line: None,
            column: None,
        }
    }

    /// `file:line:column`, or the file alone when the line is not known.
    pub fn position(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            _ => self.file.clone(),
        }
    }

    /// A location with its line and column computed from the file's text.
    pub fn at(file: &SourceFile, pointer: impl Into<String>, span: Option<Span>) -> Self {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = file.line_col(s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        Location {
            file: file.path.clone(),
            pointer: pointer.into(),
            span,
            line,
            column,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub subject: Option<String>,
    /// The version the finding is about; in a pair, the newer one.
    pub version: Option<u32>,
    /// In a pair, the older version.
    pub other_version: Option<u32>,
    pub direction: Option<Direction>,
    pub location: Option<Location>,
    /// In a pair, the matching place in the older version's file.
    pub other_location: Option<Location>,
    /// A readable path to the element, e.g. `lines[].price`.
    pub path: Option<String>,
    pub message: String,
    pub help: String,
    /// Set when `evreg.yaml`'s `allow` list accepted this finding: the reason given there.
    pub allowed: Option<String>,
    /// For a compatibility finding: a small instance the writer accepts and the reader rejects,
    /// checked against both schemas. `None` when none could be built; `Some(Value::Null)` is
    /// the instance `null`.
    pub example: Option<serde_json::Value>,
}

impl Finding {
    /// What the finding is about, as report titles name it: `shop.order v3/v2`, `shop.order v3`,
    /// `shop.order`, or empty.
    pub fn scope(&self) -> String {
        match (&self.subject, self.version, self.other_version) {
            (Some(s), Some(v), Some(o)) => format!("{s} v{v}/v{o}"),
            (Some(s), Some(v), None) => format!("{s} v{v}"),
            (Some(s), None, _) => s.clone(),
            _ => String::new(),
        }
    }

    pub fn new(rule: &'static Rule, message: impl Into<String>, help: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            subject: None,
            version: None,
            other_version: None,
            direction: None,
            location: None,
            other_location: None,
            path: None,
            message: message.into(),
            help: help.into(),
            allowed: None,
            example: None,
        }
    }
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }
    pub fn version(mut self, version: u32) -> Self {
        self.version = Some(version);
        self
    }
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
    pub fn category(&self) -> Category {
        self.rule.category
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// What a finding is about as text reports head it, with the direction of a pair:
    /// `orders.order.placed v3 reading v2 data (backward)`.
    pub fn heading(&self) -> String {
        let f = self;
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

    /// The message as text reports lead with it: scope, message, and the `allow` reason.
    pub fn headline(&self) -> String {
        let scope = self.heading();
        let mut line = if scope.is_empty() {
            self.message.clone()
        } else {
            format!("{scope}: {}", self.message)
        };
        if let Some(reason) = &self.allowed {
            line.push_str(&format!(" [accepted in evreg.yaml: {reason}]"));
        }
        line
    }

    /// The order reports list findings in: by subject, version, file position, then rule.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.subject.as_deref(),
            self.version,
            std::cmp::Reverse(self.other_version),
            self.location
                .as_ref()
                .map(|l| (l.file.as_str(), l.line, l.column)),
            self.rule.id,
        )
    }
}

/// Counts per severity, as reports summarise them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub allowed: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
            if f.allowed.is_some() {
                s.allowed += 1;
            }
        }
        s
    }
}
