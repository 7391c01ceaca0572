//! `--output human`: miette diagnostics with source snippets, then a summary line.

use super::{Context, Hidden, Shown, Streaming};
use crate::finding::{Category, Direction, Finding, Location, Severity};
use crate::source::{SourceFile, SourceMap, Span};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use std::fmt::{self, Write as _};
use std::io::{self, Write};

/// The widest piece of a source line a snippet shows, in characters. Longer lines (a minified
/// schema is one line of megabytes, an NDJSON event one line of any length) are cut around the
/// span, so no output line is much wider than this and miette never sees a column it cannot pad.
const SNIPPET_CHARS: usize = 140;
/// A counterexample longer than this, in characters, is shown by its start.
const EXAMPLE_CHARS: usize = 120;
/// Lines of context before and after the span.
const CONTEXT_LINES: usize = 2;
/// A span over more lines than this is shown by its first line.
const SPAN_LINES: usize = 40;

/// The lines around a span, each cut to at most [`SNIPPET_CHARS`], as the text miette reads.
#[derive(Debug, Clone)]
struct Excerpt {
    text: String,
    /// The file's 0-based line of the excerpt's first line.
    first_line: usize,
    /// The span's start in the file, 0-based line and character column, for the header.
    start: (usize, usize),
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let c = self.text.as_str().read_span(span, before, after)?;
        // miette reads the label alone (no context) for the header's line:column.
        let (line, column) = if before == 0 && after == 0 {
            self.start
        } else {
            (c.line() + self.first_line, c.column())
        };
        Ok(Box::new(MietteSpanContents::new(
            c.data(),
            *c.span(),
            line,
            column,
            c.line_count(),
        )))
    }
}

/// A byte offset moved back to a character boundary, inside the text.
fn boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte offset `n` characters before (or after) `from` in `line`, stopping at its ends.
fn chars_back(line: &str, from: usize, n: usize) -> usize {
    line[..from]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(from, |(i, _)| i)
}
fn chars_ahead(line: &str, from: usize, n: usize) -> usize {
    line[from..]
        .char_indices()
        .nth(n)
        .map_or(line.len(), |(i, _)| from + i)
}

/// The lines of `text` from the one holding `start` through the one holding `end` (byte ranges,
/// without newlines), with up to `CONTEXT_LINES` on each side, and how many come before.
fn line_ranges(text: &str, start: usize, end: usize) -> (usize, Vec<(usize, usize)>) {
    let line_start = |i: usize| text[..i].rfind('\n').map_or(0, |n| n + 1);
    let line_end = |i: usize| text[i..].find('\n').map_or(text.len(), |n| i + n);
    let mut first = line_start(start);
    let mut before = 0;
    while before < CONTEXT_LINES && first > 0 {
        first = line_start(first - 1);
        before += 1;
    }
    let last = line_end(end);
    let mut ranges = vec![(first, line_end(first))];
    let mut after = 0;
    while let Some(&(_, e)) = ranges.last() {
        if e >= text.len() || (e >= last && after == CONTEXT_LINES) {
            break;
        }
        if e >= last {
            after += 1;
        }
        ranges.push((e + 1, line_end(e + 1)));
    }
    (before, ranges)
}

/// The excerpt of `file` showing `span`, and the span's place in it. `at` is the span's start
/// as 1-based line and column when the finding knows it.
fn excerpt(file: &SourceFile, span: Span, at: Option<(usize, usize)>) -> (Excerpt, SourceSpan) {
    let text = file.text.as_str();
    let start = boundary(text, span.start);
    let mut end = boundary(text, span.end.max(span.start));
    // A span over many lines is shown by its first line.
    if text[start..end].matches('\n').count() >= SPAN_LINES {
        end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    }
    let (line, column) = match at {
        Some((l, c)) => (l.saturating_sub(1), c.saturating_sub(1)),
        None => {
            let (l, c) = file.line_col(start);
            (l - 1, c - 1)
        }
    };
    let (before, ranges) = line_ranges(text, start, end);
    let mut out = String::new();
    let (mut ex_start, mut ex_end) = (None, None);
    for (i, &(a, b)) in ranges.iter().enumerate() {
        let piece = &text[a..b];
        // Where this line is cut: around the span's start or end when it holds one.
        let (from, to) = if b - a <= SNIPPET_CHARS || piece.chars().nth(SNIPPET_CHARS).is_none() {
            (a, b)
        } else {
            let anchor = if (a..=b).contains(&start) {
                start
            } else if (a..=b).contains(&end) {
                end
            } else {
                a
            };
            let from = a + chars_back(piece, anchor - a, SNIPPET_CHARS / 3);
            (from, a + chars_ahead(piece, from - a, SNIPPET_CHARS))
        };
        if i > 0 {
            out.push('\n');
        }
        if from > a {
            out.push('…');
        }
        let base = out.len();
        // A bare CR would start a new line for miette, not for the file.
        out.push_str(&text[from..to].replace('\r', " "));
        let map = |i: usize| base + i.clamp(from, to) - from;
        if (a..=b).contains(&start) && ex_start.is_none() {
            ex_start = Some(map(start));
        }
        if (a..=b).contains(&end) && ex_end.is_none() {
            ex_end = Some(map(end));
        }
        if to < b {
            out.push('…');
        }
    }
    let ex_start = ex_start.unwrap_or(0);
    let ex_end = ex_end.unwrap_or(out.len()).max(ex_start);
    let first_line = line.saturating_sub(before);
    (
        Excerpt {
            text: out,
            first_line,
            start: (line, column),
        },
        (ex_start, ex_end - ex_start).into(),
    )
}

struct Snippet {
    source: NamedSource<Excerpt>,
    label: LabeledSpan,
}

fn snippet(sources: &SourceMap, loc: Option<&Location>, label: String) -> Option<Snippet> {
    let loc = loc?;
    let span = loc.span?;
    let file = sources.get(&loc.file)?;
    let at = loc.line.zip(loc.column);
    let (text, span) = excerpt(file, span, at);
    Some(Snippet {
        source: NamedSource::new(&file.path, text).with_language("json"),
        label: LabeledSpan::new_primary_with_span(Some(label), span),
    })
}

struct Diag {
    code: String,
    severity: Severity,
    message: String,
    help: String,
    snippet: Option<Snippet>,
}

impl fmt::Debug for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| &s.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.snippet
            .as_ref()
            .map(|s| Box::new(std::iter::once(s.label.clone())) as _)
    }
}

/// How a pair finding names its reader and writer: `v2`, or (two loose files) their file names.
fn reader_writer_names(f: &Finding) -> (String, String) {
    let name = |loc: Option<&Location>, fallback: &str| {
        loc.map(|l| {
            std::path::Path::new(&l.file)
                .file_name()
                .map_or(l.file.clone(), |n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| fallback.to_string())
    };
    let new = f
        .version
        .map(|v| format!("v{v}"))
        .unwrap_or_else(|| name(f.location.as_ref(), "the new schema"));
    let old = f
        .other_version
        .map(|v| format!("v{v}"))
        .unwrap_or_else(|| name(f.other_location.as_deref(), "the old schema"));
    match f.direction {
        Some(Direction::Forward) => (old, new),
        _ => (new, old),
    }
}

/// Who a compatibility finding breaks, in producer and consumer terms, and the way round it.
fn who_breaks(f: &Finding) -> Option<String> {
    let direction = f.direction?;
    let (reader, writer) = reader_writer_names(f);
    Some(match direction {
        Direction::Backward => format!(
            "consumers already on {reader} cannot read events producers still write with {writer} \
             (or events already stored): upgrade every producer before any consumer, or change \
             {reader} so it reads them"
        ),
        Direction::Forward => format!(
            "consumers still on {reader} cannot read events producers already write with {writer}: \
             upgrade every consumer before any producer, or change {writer} so {reader} reads it"
        ),
    })
}

/// A counterexample as the message shows it: whole when short, else its start and how to see
/// the rest (JSON output always carries it whole).
fn shown_example(example: &serde_json::Value) -> String {
    let text = example.to_string();
    match text.char_indices().nth(EXAMPLE_CHARS) {
        None => text,
        Some((cut, _)) => format!(
            "{}… ({} characters; whole in --output json)",
            &text[..cut],
            text.chars().count()
        ),
    }
}

fn diag(f: &Finding, sources: &SourceMap) -> Diag {
    let mut message = f.headline();
    if let Some(who) = who_breaks(f) {
        message.push_str(&format!("\nwho breaks: {who}"));
    }
    if let Some(example) = &f.example {
        let (reader, writer) = reader_writer_names(f);
        message.push_str(&format!(
            "\nexample: {} is accepted by {writer} but rejected by {reader}",
            shown_example(example)
        ));
    }
    let here = match f.version {
        Some(v) => format!("v{v}"),
        None => "here".to_string(),
    };
    // The second place, when its file is not at hand for a snippet: named in the message.
    if let Some(other) = &f.other_location
        && sources.get(&other.file).is_none()
    {
        message.push_str(&format!("\n{}", other_header(f, other)));
    }
    let mut snip = snippet(sources, f.location.as_ref(), here);
    if snip.is_none() {
        // No span (a folder, a whole file): name the place in the message.
        if let Some(loc) = &f.location {
            message.push_str(&format!("\nat {}", loc.position()));
        }
        snip = None;
    }
    Diag {
        code: f.rule.id.to_string(),
        severity: f.severity,
        message,
        help: f.help.to_string(),
        snippet: snip,
    }
}

/// What the finding's second place is: the same place in the older version of a pair
/// (`v2 (old) at schemas/…/v2.avsc:8:26`), or the schema element an event breaks.
fn other_header(f: &Finding, loc: &Location) -> String {
    let what = match (f.direction, f.other_version, f.rule.category) {
        (_, _, Category::Integrity) => "as published".to_string(),
        (_, Some(v), _) => format!("v{v} (old)"),
        (Some(_), None, _) => "the old schema".to_string(),
        (None, None, _) => "the schema".to_string(),
    };
    format!("{what} at {}", loc.position())
}

/// The second place with its snippet, under its header.
fn other_diag(f: &Finding, sources: &SourceMap) -> Option<Diag> {
    let loc = f.other_location.as_ref()?;
    let name = match (f.direction, f.other_version, f.rule.category) {
        (_, _, Category::Integrity) => "published".to_string(),
        (_, Some(v), _) => format!("v{v}"),
        (Some(_), None, _) => "old".to_string(),
        (None, None, _) => "schema".to_string(),
    };
    let snippet = snippet(sources, Some(loc), name)?;
    Some(Diag {
        code: String::new(),
        severity: Severity::Info,
        message: other_header(f, loc),
        help: String::new(),
        snippet: Some(snippet),
    })
}

/// The human format: how it draws (colour, width) and which findings it shows in full.
#[derive(Debug, Clone, Copy)]
pub struct Human {
    pub color: bool,
    pub width: usize,
    pub shown: Shown,
}

impl Streaming for Human {
    /// Each finding shown as a diagnostic followed by a blank line.
    fn findings(
        &self,
        findings: &[Finding],
        sources: &SourceMap,
        _ctx: &Context,
        hidden: &mut Hidden,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let shown: Vec<&Finding> = findings
            .iter()
            .filter(|f| hidden.admit(&self.shown, f))
            .collect();
        super::print_in_order(&shown, out, |_, f, buf| {
            buf.extend_from_slice(self.diagnostic(f, sources).as_bytes());
            Ok(())
        })
    }
}

impl Human {
    /// One finding as a diagnostic (and its second place, if any) followed by a blank line.
    fn diagnostic(&self, f: &Finding, sources: &SourceMap) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_context_lines(CONTEXT_LINES);
        // miette writes to a `fmt::Write`; a diagnostic it cannot finish is replaced whole.
        let mut text = String::new();
        let d = diag(f, sources);
        if handler.render_report(&mut text, &d).is_err() {
            // A snippet miette could not read: fall back to the plain message.
            text.clear();
            let _ = write!(
                text,
                "{} [{}]: {}\n  help: {}\n",
                f.severity, f.rule.id, d.message, f.help
            );
        }
        if let Some(other) = other_diag(f, sources) {
            let len = text.len();
            if handler.render_report(&mut text, &other).is_err() {
                text.truncate(len);
            }
        }
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Renderer, fixture};

    #[test]
    fn renders_the_fixed_report() {
        let human = Human {
            color: false,
            width: 100,
            shown: Shown::default(),
        };
        let text = human.render_to_string(&fixture::report(), &fixture::context());
        insta::assert_snapshot!(text);
        let all = Human {
            shown: Shown::ALL,
            ..human
        };
        insta::assert_snapshot!(
            "all",
            all.render_to_string(&fixture::report(), &fixture::context())
        );
    }

    #[test]
    fn many_findings_printed_on_every_core_keep_their_order() {
        let human = Human {
            color: false,
            width: 100,
            shown: Shown::ALL,
        };
        let one = fixture::report();
        let mut report = one.clone();
        let n = crate::report::json::tests::MANY;
        report.findings = one.findings.iter().cycle().take(n).cloned().collect();
        // Distinct messages, so a finding out of place changes the text.
        for (i, f) in report.findings.iter_mut().enumerate() {
            f.message = format!("{} (#{i})", f.message);
        }
        let text = human.render_to_string(&report, &fixture::context());
        let one_by_one: String = report
            .findings
            .iter()
            .map(|f| human.diagnostic(f, &report.sources))
            .collect();
        assert!(
            text.starts_with(&one_by_one),
            "the findings in order, then the summary"
        );
        assert!(text[one_by_one.len()..].starts_with('✗'));
    }

    #[test]
    fn colour_is_a_field_of_the_renderer() {
        let colour = Human {
            color: true,
            width: 100,
            shown: Shown::default(),
        };
        let text = colour.render_to_string(&fixture::report(), &fixture::context());
        assert!(text.contains("\x1b["), "{text}");
    }

    /// The excerpt's text under the span, and its widest line in characters.
    fn cut(text: &str, target: &str) -> (String, String, usize) {
        let file = SourceFile::new("f.json", text);
        let start = text.find(target).unwrap();
        let (ex, span) = excerpt(&file, Span::new(start, start + target.len()), None);
        let shown = ex.text[span.offset()..span.offset() + span.len()].to_string();
        let widest = ex
            .text
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        (shown, ex.text, widest)
    }

    #[test]
    fn long_lines_are_cut_around_the_span_and_short_ones_kept() {
        let long = format!(
            "{{\"a\": \"{}\", \"b\": \"é{}\", \"target\": 1}}",
            "x".repeat(70_000),
            "ü".repeat(500)
        );
        let text = format!("[\n{long},\n  \"{}\",\n  2\n]", "y".repeat(400));
        let (shown, ex, widest) = cut(&text, "\"target\": 1");
        assert_eq!(shown, "\"target\": 1");
        assert!(widest <= SNIPPET_CHARS + 2, "{widest}");
        assert!(ex.starts_with("[\n…"), "{ex}");
        assert!(ex.ends_with("…\n  2"), "{ex}");
        // The line after is cut at its start.
        assert!(ex.contains("\n  \"yyy"), "{ex}");
    }

    #[test]
    fn the_header_names_the_place_in_the_file() {
        let text = format!("{{\"a\": \"{}\",\r\"b\": 1}}", "é".repeat(100_000));
        let file = SourceFile::new("f.json", text.as_str());
        let start = text.find("\"b\"").unwrap();
        let (ex, span) = excerpt(&file, Span::new(start, start + 6), None);
        let header = ex.read_span(&span, 0, 0).unwrap();
        assert_eq!((header.line(), header.column()), (0, 100_010));
        assert!(!ex.text.contains('\r'));
        let context = ex.read_span(&span, 2, 2).unwrap();
        assert_eq!(context.line(), 0);
    }

    #[test]
    fn long_counterexamples_are_shown_by_their_start() {
        let short = serde_json::json!({"note": 5});
        assert_eq!(shown_example(&short), r#"{"note":5}"#);
        let long = serde_json::json!({"note": "é".repeat(500)});
        let shown = shown_example(&long);
        assert_eq!(shown.chars().count(), EXAMPLE_CHARS + 42, "{shown}");
        assert!(
            shown.ends_with("… (511 characters; whole in --output json)"),
            "{shown}"
        );
    }

    #[test]
    fn pair_findings_say_who_breaks_in_their_direction() {
        let mut f = Finding::new(&crate::rules::AVRO_TYPE_MISMATCH, "m", "h");
        assert_eq!(who_breaks(&f), None);
        f.version = Some(3);
        f.other_version = Some(2);
        f.direction = Some(Direction::Backward);
        let backward = who_breaks(&f).unwrap();
        assert!(
            backward.starts_with(
                "consumers already on v3 cannot read events producers still write with v2"
            ),
            "{backward}"
        );
        f.direction = Some(Direction::Forward);
        let forward = who_breaks(&f).unwrap();
        assert!(
            forward.starts_with(
                "consumers still on v2 cannot read events producers already write with v3"
            ),
            "{forward}"
        );
    }

    #[test]
    fn a_span_over_many_lines_shows_its_first() {
        let text = format!("{{\n{}\"z\": 1\n}}", "\"k\": 1,\n".repeat(100));
        let file = SourceFile::new("f.json", text.as_str());
        let (ex, _) = excerpt(&file, Span::new(0, text.len()), None);
        assert_eq!(ex.text.lines().count(), 1 + CONTEXT_LINES);
    }
}
