//! The one finding model every check yields and every renderer reads, and the one draft
//! (`Draft`) every engine and validator builds it from. It knows the rule catalogue (which
//! defines severities and categories) and the source map, nothing else.

use crate::rules::Rule;
pub use crate::rules::{Category, Severity};
use crate::source::{SourceFile, Span};
use serde::Serialize;
use std::borrow::Cow;

/// A place in one of the files a draft is about: a JSON pointer (empty: the whole file) and which
/// file it is in (0: the schema's or the event's own file; others are files its `$ref`s reach).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub file: usize,
    pub pointer: String,
}

impl From<&str> for Place {
    /// A place in the own file.
    fn from(pointer: &str) -> Place {
        Place {
            file: 0,
            pointer: pointer.to_string(),
        }
    }
}

impl From<String> for Place {
    /// A place in the own file.
    fn from(pointer: String) -> Place {
        Place { file: 0, pointer }
    }
}

impl From<(usize, String)> for Place {
    /// A place in file `file`.
    fn from((file, pointer): (usize, String)) -> Place {
        Place { file, pointer }
    }
}

/// A finding as an engine or validator makes it: everything but what only its caller knows (the
/// subject, the versions and direction, and the files its places are in), which
/// [`Draft::finding`] adds. Every check builds one the same way:
/// `Draft::new(rule, message, help).at(..).other(..).path(..)`.
///
/// `at` is where the finding is, `other` the matching place on the other side:
/// - in a compatibility pair, `at` is in the reader and `other` in the writer (`check` maps them
///   to the new and old versions by the pair's direction);
/// - for an event, `at` is in the event and `other`, for a payload that does not fit, in the
///   schema of the version it was validated against.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub rule: &'static Rule,
    /// Overrides the rule's default severity (a lenient policy's warnings).
    pub severity: Option<Severity>,
    pub message: String,
    /// Mostly a fixed text: borrowed, not allocated for each of thousands of findings.
    pub help: Cow<'static, str>,
    pub at: Place,
    pub other: Option<Place>,
    /// A readable path to the element, e.g. `lines[].price`; empty at the root or where there is
    /// none.
    pub path: String,
    /// For a compatibility finding: a small instance the writer accepts and the reader rejects,
    /// checked against both schemas (`None`: none was built).
    pub example: Option<serde_json::Value>,
}

/// What a draft lacks to be a finding, besides the locations of its places.
#[derive(Debug, Clone, Copy, Default)]
pub struct About<'a> {
    pub subject: Option<&'a str>,
    /// The version the finding is about; in a pair, the newer one.
    pub version: Option<u32>,
    /// In a pair, the older version.
    pub other_version: Option<u32>,
    pub direction: Option<Direction>,
}

impl Draft {
    pub fn new(
        rule: &'static Rule,
        message: impl Into<String>,
        help: impl Into<Cow<'static, str>>,
    ) -> Self {
        Draft {
            rule,
            severity: None,
            message: message.into(),
            help: help.into(),
            at: Place::default(),
            other: None,
            path: String::new(),
            example: None,
        }
    }
    pub fn at(mut self, place: impl Into<Place>) -> Self {
        self.at = place.into();
        self
    }
    pub fn other(mut self, place: impl Into<Place>) -> Self {
        self.other = Some(place.into());
        self
    }
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
    pub fn example(mut self, example: Option<serde_json::Value>) -> Self {
        self.example = example;
        self
    }

    /// Does it stop the reader (its own severity, else its rule's, is an error)?
    pub fn is_error(&self) -> bool {
        self.severity.unwrap_or(self.rule.severity) == Severity::Error
    }

    /// The finding, once `about` says what it is about and the caller has located its places:
    /// `location` is where the finding is shown, `other_location` the matching place.
    pub fn finding(
        self,
        about: About<'_>,
        location: Option<Location>,
        other_location: Option<Location>,
    ) -> Finding {
        Finding {
            rule: self.rule,
            severity: self.severity.unwrap_or(self.rule.severity),
            subject: about.subject.map(str::to_string),
            version: about.version,
            other_version: about.other_version,
            direction: about.direction,
            location,
            other_location: other_location.map(Box::new),
            path: (!self.path.is_empty()).then_some(self.path),
            message: self.message,
            help: self.help,
            allowed: None,
            example: self.example.map(Box::new),
        }
    }
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
    /// In a pair, the matching place in the older version's file (boxed, as `example`: most
    /// findings have neither, and a large report holds tens of thousands of findings).
    pub other_location: Option<Box<Location>>,
    /// A readable path to the element, e.g. `lines[].price`.
    pub path: Option<String>,
    pub message: String,
    pub help: Cow<'static, str>,
    /// Set when `evreg.yaml`'s `allow` list accepted this finding: the reason given there.
    pub allowed: Option<String>,
    /// For a compatibility finding: a small instance the writer accepts and the reader rejects,
    /// checked against both schemas. `None` when none could be built; `Some(Value::Null)` is
    /// the instance `null`.
    pub example: Option<Box<serde_json::Value>>,
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

    /// A finding whose maker knows its place already (a schema's lint, a file's layout): a
    /// draft with nothing to add.
    pub fn new(
        rule: &'static Rule,
        message: impl Into<String>,
        help: impl Into<Cow<'static, str>>,
    ) -> Self {
        Draft::new(rule, message, help).finding(About::default(), None, None)
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

/// Sort findings into report order (`Finding::sort_key`), stably, without the scratch copy of
/// them a merge sort makes: an order of indices is sorted and then applied by swaps. On a report
/// of 20,000 findings the scratch copy was 8 MB of the process's peak.
pub fn sort_in_report_order(findings: &mut [Finding]) {
    if findings.is_sorted_by(|a, b| a.sort_key() <= b.sort_key()) {
        return;
    }
    let mut order: Vec<u32> = (0..findings.len() as u32).collect();
    order.sort_by(|&a, &b| {
        findings[a as usize]
            .sort_key()
            .cmp(&findings[b as usize].sort_key())
    });
    // Position i takes the finding first at order[i]; one already moved away was swapped to
    // where the order of its old position leads.
    for i in 0..order.len() {
        let mut from = order[i] as usize;
        while from < i {
            from = order[from] as usize;
        }
        order[i] = from as u32;
        findings.swap(i, from);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_order_is_a_stable_sort_by_the_sort_key() {
        // Subjects and versions in a scrambled order, with ties told apart by their message.
        let findings: Vec<Finding> = (0..500u32)
            .map(|i| {
                let scrambled = (i * 7919) % 500;
                Finding::new(&crate::rules::AVRO_DOC_MISSING, format!("{i}"), "h")
                    .subject(format!("s{}", scrambled % 13))
                    .version(scrambled % 5)
            })
            .collect();
        let mut expected = findings.clone();
        expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut sorted = findings;
        sort_in_report_order(&mut sorted);
        let messages = |v: &[Finding]| v.iter().map(|f| f.message.clone()).collect::<Vec<_>>();
        assert_eq!(messages(&sorted), messages(&expected));
        sort_in_report_order(&mut sorted);
        assert_eq!(messages(&sorted), messages(&expected));
    }
}
