//! Events from files and streams. A `.json` file is one event; `.ndjson` / `.jsonl` files and
//! standard input are streams of one event per line. One bad line never stops the rest.

use super::events::{Catalog, EventProblem, Expect};
use crate::finding::{Finding, Location};
use crate::rules;
use crate::source::json;
use crate::source::{SourceFile, SourceMap, Span};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Input {
    /// As findings name it: the path, or `<stdin>`.
    pub name: String,
    pub bytes: Vec<u8>,
    pub stream: bool,
}

impl Input {
    /// Streams by extension; everything else is one document.
    pub fn is_stream_name(name: &str) -> bool {
        name.ends_with(".ndjson") || name.ends_with(".jsonl")
    }
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub events: usize,
    pub rejected: usize,
}

/// Validate every event of every input.
pub fn validate_inputs(
    catalog: &Catalog,
    inputs: &[Input],
    expect: Expect,
) -> (Vec<Finding>, SourceMap, Tally) {
    let mut findings = Vec::new();
    let mut sources = SourceMap::default();
    let mut tally = Tally::default();
    for input in inputs {
        // A stream that is one JSON document over several lines (pretty-printed) is one event:
        // two or more NDJSON events never parse as one document.
        let one_document = input.stream
            && first_line_is_partial(&input.bytes)
            && serde_json::from_slice::<serde::de::IgnoredAny>(&input.bytes).is_ok();
        let (found, t) = if input.stream && !one_document {
            stream(catalog, input, expect)
        } else {
            let (found, t, source) = document(catalog, input, expect);
            if let Some(s) = source {
                sources.insert(s);
            }
            (found, t)
        };
        findings.extend(found);
        tally.events += t.events;
        tally.rejected += t.rejected;
    }
    (findings, sources, tally)
}

/// Is the first non-empty line not a JSON value on its own (so the input may be one document
/// spread over lines)? Cheap: NDJSON streams answer on their first line.
fn first_line_is_partial(bytes: &[u8]) -> bool {
    let Some(line) = bytes
        .split(|b| *b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
    else {
        return false;
    };
    line.len() < bytes.len() && serde_json::from_slice::<serde::de::IgnoredAny>(line).is_err()
}

/// Parse one event, from a file or a line of a stream alike: the strict parser (duplicate keys
/// and over-deep nesting are errors) keeping every value's span, and the value to validate.
fn parse_event(text: &str) -> Result<(json::Node, serde_json::Value), json::ParseError> {
    let doc = json::parse(text)?;
    let value = doc.to_serde();
    Ok((doc, value))
}

/// The 1-based column (in characters) of a byte offset in one line.
fn column(line: &str, offset: usize) -> usize {
    let mut offset = offset.min(line.len());
    while !line.is_char_boundary(offset) {
        offset -= 1;
    }
    line[..offset].chars().count() + 1
}

fn document(
    catalog: &Catalog,
    input: &Input,
    expect: Expect,
) -> (Vec<Finding>, Tally, Option<Arc<SourceFile>>) {
    let tally = Tally {
        events: 1,
        rejected: 1,
    };
    let file = match crate::schema::decode(&input.name, input.bytes.clone()) {
        Ok(f) => f,
        Err(mut f) => {
            f.rule = &rules::EVENT_INVALID_JSON;
            return (vec![f], tally, None);
        }
    };
    let (doc, value) = match parse_event(&file.text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let f = Finding::new(
                &rules::EVENT_INVALID_JSON,
                format!("{} is not valid JSON: {}", input.name, e.message),
                "fix the JSON at the position shown",
            )
            .at(Location::at(
                &file,
                "",
                Some(Span::new(e.offset, e.offset + 1)),
            ));
            return (vec![f], tally, Some(file));
        }
    };
    let outcome = catalog.validate(&value, expect);
    let found = event_findings(
        catalog,
        &outcome.problems,
        (outcome.subject.as_deref(), outcome.version),
        &doc,
        &file.text,
        &Place::File(&file.path),
    );
    let rejected = usize::from(found.iter().any(Finding::is_error));
    (
        found,
        Tally {
            events: 1,
            rejected,
        },
        Some(file),
    )
}

fn invalid_line(name: &str, line_no: usize, column: usize, message: String) -> Finding {
    Finding::new(&rules::EVENT_INVALID_JSON, message, "each line of a stream must be one JSON value (NDJSON); the other lines were still validated").at(Location {
        file: name.to_string(),
        pointer: String::new(),
        span: None,
        line: Some(line_no),
        column: Some(column),
    })
}

fn stream(catalog: &Catalog, input: &Input, expect: Expect) -> (Vec<Finding>, Tally) {
    // Split into lines first (cheap), then validate them on every core.
    let lines: Vec<(usize, &[u8])> = input
        .bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = lines.len().div_ceil(threads).max(1);
    let mut results: Vec<(Vec<Finding>, Tally)> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| scope.spawn(move || validate_lines(catalog, &input.name, part, expect)))
            .collect();
        for h in handles {
            match h.join() {
                Ok(r) => results.push(r),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    let mut findings = Vec::new();
    let mut tally = Tally::default();
    for (f, t) in results {
        findings.extend(f);
        tally.events += t.events;
        tally.rejected += t.rejected;
    }
    (findings, tally)
}

fn validate_lines(
    catalog: &Catalog,
    name: &str,
    lines: &[(usize, &[u8])],
    expect: Expect,
) -> (Vec<Finding>, Tally) {
    let mut out = Vec::new();
    let mut tally = Tally::default();
    for &(line_no, raw) in lines {
        tally.events += 1;
        let before = out.len();
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(e) => {
                let col = String::from_utf8_lossy(&raw[..e.valid_up_to()])
                    .chars()
                    .count()
                    + 1;
                out.push(invalid_line(
                    name,
                    line_no,
                    col,
                    format!("line {line_no} is not UTF-8 text (invalid byte at column {col})"),
                ));
                tally.rejected += 1;
                continue;
            }
        };
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => {
                out.push(invalid_line(name, line_no, 1, format!("line {line_no} starts with a UTF-8 byte-order mark; NDJSON has none (the event after it was still validated)")));
                rest
            }
            None => text,
        };
        let (doc, value) = match parse_event(text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let col = column(text, e.offset);
                out.push(invalid_line(
                    name,
                    line_no,
                    col,
                    format!("line {line_no} is not valid JSON: {}", e.message),
                ));
                tally.rejected += 1;
                continue;
            }
        };
        let outcome = catalog.validate(&value, expect);
        out.extend(event_findings(
            catalog,
            &outcome.problems,
            (outcome.subject.as_deref(), outcome.version),
            &doc,
            text,
            &Place::Line(name, line_no),
        ));
        if out[before..].iter().any(Finding::is_error) {
            tally.rejected += 1;
        }
    }
    (out, tally)
}

/// Where an event's text is: a whole file (findings keep spans for snippets), or one line of a
/// stream (findings name the line and column).
pub enum Place<'a> {
    File(&'a str),
    Line(&'a str, usize),
}

/// The findings for one event's problems, each at the place its pointer names in `text` (the
/// event `doc` was parsed from). Linear in the event's size plus the problems: the event is
/// parsed once, objects are indexed once, and all positions are found in one pass.
pub fn event_findings(
    catalog: &Catalog,
    problems: &[EventProblem],
    (subject, version): (Option<&str>, Option<u32>),
    doc: &json::Node,
    text: &str,
    place: &Place,
) -> Vec<Finding> {
    let mut locator = Locator::new(doc);
    let spans: Vec<Option<Span>> = problems.iter().map(|p| locator.span(&p.pointer)).collect();
    let offsets: Vec<usize> = spans.iter().flatten().map(|s| s.start).collect();
    let mut positions = line_columns(text, &offsets).into_iter();
    problems
        .iter()
        .zip(spans)
        .map(|(p, span)| {
            let at = span.map(|_| positions.next().unwrap_or((1, 1)));
            let location = match *place {
                Place::File(path) => Location {
                    file: path.to_string(),
                    pointer: p.pointer.clone(),
                    span,
                    line: at.map(|(l, _)| l),
                    column: at.map(|(_, c)| c),
                },
                Place::Line(name, line_no) => Location {
                    file: name.to_string(),
                    pointer: p.pointer.clone(),
                    span: None,
                    line: Some(line_no),
                    column: Some(at.map_or(1, |(_, c)| c)),
                },
            };
            p.finding(location, catalog, subject, version)
        })
        .collect()
}

/// The 1-based line and column (in characters, lines split at `\n`) of each byte offset, in the
/// order given, in one pass over the text.
fn line_columns(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![(1, 1); offsets.len()];
    let (mut line, mut column) = (1, 1);
    let mut chars = text.char_indices().peekable();
    for i in order {
        let target = offsets[i].min(text.len());
        while let Some(&(at, c)) = chars.peek() {
            if at >= target {
                break;
            }
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            chars.next();
        }
        out[i] = (line, column);
    }
    out
}

/// Spans of JSON pointers in one parsed event. A pointer is resolved token by token; objects with
/// many members are indexed on first use, so many problems in one wide object stay linear.
struct Locator<'d> {
    doc: &'d json::Node,
    index: HashMap<*const json::Node, HashMap<&'d str, usize>>,
}

impl<'d> Locator<'d> {
    /// Objects this small are searched; larger ones are indexed.
    const SCAN: usize = 16;

    fn new(doc: &'d json::Node) -> Self {
        Locator {
            doc,
            index: HashMap::new(),
        }
    }

    fn member(&mut self, node: &'d json::Node, key: &str) -> Option<&'d json::Member> {
        let members = node.as_object()?;
        if members.len() <= Self::SCAN {
            return members.iter().find(|m| m.key == key);
        }
        let index = self.index.entry(node as *const _).or_insert_with(|| {
            members
                .iter()
                .enumerate()
                .map(|(i, m)| (m.key.as_str(), i))
                .collect()
        });
        index.get(key).map(|&i| &members[i])
    }

    /// As [`json::Node::pointer_span`]: an object member's key and value together.
    fn span(&mut self, pointer: &str) -> Option<Span> {
        let Some(rest) = pointer.strip_prefix('/') else {
            return pointer.is_empty().then_some(self.doc.span);
        };
        let mut node = self.doc;
        let mut tokens = rest.split('/').peekable();
        while let Some(token) = tokens.next() {
            let token = json::unescape_pointer_token(token);
            let last = tokens.peek().is_none();
            match &node.value {
                json::Value::Object(_) => {
                    let m = self.member(node, &token)?;
                    if last {
                        return Some(Span::new(m.key_span.start, m.value.span.end));
                    }
                    node = &m.value;
                }
                json::Value::Array(items) => node = items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            }
        }
        Some(node.span)
    }
}
