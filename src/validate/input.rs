//! Events from files and streams. A `.json` file is one event; `.ndjson` / `.jsonl` files and
//! standard input are streams, read as they arrive: each event is validated and handed on before
//! the next line is read, so a never-ending stream reports as it goes, and memory stays bounded
//! by the longest event plus a constant. One bad line never stops the rest.
//!
//! A stream holds one event per line (NDJSON). An event may also span lines, as pretty-printers
//! write JSON: a line that leaves an object or array open continues on the next lines until it
//! closes. A line starting with `{` or `[` in the first column always starts a new event, so a
//! truncated line costs only itself.

use super::events::{Catalog, Expect, Outcome};
use crate::finding::{About, Finding, Location};
use crate::rules;
use crate::source::json;
use crate::source::{SourceFile, Span};
use std::collections::HashMap;
use std::io::{self, BufRead};
use std::ops::ControlFlow;
use std::sync::Arc;

/// The longest event a stream may hold, in bytes (a line, or the lines of one pretty-printed
/// event together). A longer one is an `event-invalid-json` finding, skipped as it is read
/// without being kept, so no input can make memory grow beyond this plus a constant.
pub const MAX_EVENT_BYTES: usize = 16 << 20;

/// Streams by extension; everything else is one document.
pub fn is_stream_name(name: &str) -> bool {
    name.ends_with(".ndjson") || name.ends_with(".jsonl")
}

/// One event's verdict, handed on as soon as it is known.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// In the order of their places in the event.
    pub findings: Vec<Finding>,
    /// The event's file, for findings whose spans point into it (a whole `.json` document).
    pub source: Option<Arc<SourceFile>>,
}

impl Checked {
    fn new(mut findings: Vec<Finding>, source: Option<Arc<SourceFile>>) -> Checked {
        findings.sort_by(|a, b| {
            let key = |f: &Finding| f.location.as_ref().map(|l| (l.line, l.column));
            key(a).cmp(&key(b)).then_with(|| a.rule.id.cmp(b.rule.id))
        });
        Checked { findings, source }
    }
}

/// Validate a whole file as one event.
pub fn validate_document(catalog: &Catalog, name: &str, bytes: Vec<u8>, expect: Expect) -> Checked {
    let file = match crate::schema::decode(name, bytes) {
        Ok(f) => f,
        Err(mut f) => {
            f.rule = &rules::EVENT_INVALID_JSON;
            return Checked::new(vec![f], None);
        }
    };
    let (doc, value) = match parse_event(&file.text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let f = Finding::new(
                &rules::EVENT_INVALID_JSON,
                format!("{name} is not valid JSON: {}", e.message),
                "fix the JSON at the position shown",
            )
            .at(Location::at(
                &file,
                "",
                Some(Span::new(e.offset, e.offset + 1)),
            ));
            return Checked::new(vec![f], Some(file));
        }
    };
    let outcome = catalog.validate(&value, expect);
    let found = event_findings(
        catalog,
        &outcome,
        (outcome.subject.as_deref(), outcome.version),
        &doc,
        &file.text,
        &Place::File(&file.path),
    );
    Checked::new(found, Some(file))
}

/// Events already read are validated together, split over the cores, up to this many bytes.
/// A batch never waits for input: it is validated as soon as no complete line is left to read,
/// so a slow stream is still reported line by line.
const BATCH_BYTES: usize = 1 << 20;

/// An event of a stream, read and ready to validate, or already judged (too long to keep).
enum Unit {
    Text { first_line: usize, bytes: Vec<u8> },
    Done(Checked),
}

/// Validate every event of a stream in order, handing each verdict to `each` before waiting for
/// more input. `each` may stop the stream (its reader has gone); a read error ends it with that
/// error.
pub fn validate_stream(
    catalog: &Catalog,
    name: &str,
    reader: impl io::Read,
    expect: Expect,
    each: &mut dyn FnMut(Checked) -> ControlFlow<()>,
) -> io::Result<()> {
    let mut reader = io::BufReader::with_capacity(BATCH_BYTES, reader);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let mut batch: Vec<Unit> = Vec::new();
    let mut batch_bytes = 0;
    let mut line = Vec::new();
    let mut line_no = 0;
    let mut pending: Option<Pending> = None;
    loop {
        // Before a read that may wait, or when the batch is full, validate what is read.
        let ready = reader.buffer().contains(&b'\n');
        if !batch.is_empty() && (!ready || batch_bytes >= BATCH_BYTES) {
            let units = std::mem::take(&mut batch);
            batch_bytes = 0;
            if check_units(catalog, name, expect, threads, units, each).is_break() {
                return Ok(());
            }
        }
        let Some(len) = read_line(&mut reader, &mut line, MAX_EVENT_BYTES)? else {
            break;
        };
        line_no += 1;
        batch_bytes += len.min(MAX_EVENT_BYTES);
        let whole = len <= MAX_EVENT_BYTES;
        if whole && line.last() == Some(&b'\r') {
            line.pop();
        }
        if let Some(mut p) = pending.take() {
            if !(whole && matches!(line.first(), Some(b'{' | b'['))) {
                p.push(&line, whole);
                if p.scan.open() {
                    pending = Some(p);
                } else {
                    batch.push(p.finish(name));
                }
                continue;
            }
            // A new event starts: the open one was cut short.
            batch.push(p.finish(name));
        }
        if !whole {
            batch.push(Unit::Done(too_long(name, line_no, "line", len)));
        } else if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        } else {
            let mut scan = Scan::default();
            scan.feed(&line);
            if scan.open() {
                pending = Some(Pending {
                    first_line: line_no,
                    text: line.clone(),
                    scan,
                    len: line.len(),
                });
            } else {
                batch.push(Unit::Text {
                    first_line: line_no,
                    bytes: line.clone(),
                });
            }
        }
    }
    batch.extend(pending.map(|p| p.finish(name)));
    let _ = check_units(catalog, name, expect, threads, batch, each);
    Ok(())
}

/// Validate a batch of events on up to `threads` cores and hand on the verdicts in order.
fn check_units(
    catalog: &Catalog,
    name: &str,
    expect: Expect,
    threads: usize,
    units: Vec<Unit>,
    each: &mut dyn FnMut(Checked) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let check = |unit: Unit| match unit {
        Unit::Text { first_line, bytes } => check_event(catalog, name, first_line, &bytes, expect),
        Unit::Done(checked) => checked,
    };
    // Below this many events a thread costs more than it saves.
    let results: Vec<Checked> = if threads < 2 || units.len() < 64 {
        units.into_iter().map(check).collect()
    } else {
        let size = units.len().div_ceil(threads);
        let mut units = units.into_iter();
        let chunks: Vec<Vec<Unit>> = std::iter::from_fn(|| {
            let chunk: Vec<Unit> = units.by_ref().take(size).collect();
            (!chunk.is_empty()).then_some(chunk)
        })
        .collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| scope.spawn(move || chunk.into_iter().map(check).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    for checked in results {
        each(checked)?;
    }
    ControlFlow::Continue(())
}

/// Read one line into `buf` (without its newline) and return its length, or `None` at the end of
/// the input. A line longer than `max` is consumed to its end but not kept: its length is
/// returned and `buf` holds only its start.
fn read_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(total));
        }
        any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        if total + chunk.len() <= max {
            buf.extend_from_slice(chunk);
        }
        total += chunk.len();
        let used = newline.map_or(available.len(), |i| i + 1);
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(total));
        }
    }
}

/// Where a JSON text stands after the bytes seen so far: open objects and arrays, and whether it
/// is inside a string. Enough to tell a complete line from the first line of a longer event.
#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// A closing bracket with none open, a line ending inside a string or a line too long to
    /// read: no later line can complete this text.
    broken: bool,
}

impl Scan {
    fn feed(&mut self, line: &[u8]) {
        for &b in line {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => match self.depth.checked_sub(1) {
                    Some(d) => self.depth = d,
                    None => self.broken = true,
                },
                _ => {}
            }
        }
        // JSON strings never span lines.
        self.broken |= self.in_string;
    }

    /// Does the event go on to the next line?
    fn open(&self) -> bool {
        self.depth > 0 && !self.broken
    }
}

/// An event spanning lines, read so far.
struct Pending {
    first_line: usize,
    /// Its text; dropped once it is longer than [`MAX_EVENT_BYTES`].
    text: Vec<u8>,
    scan: Scan,
    /// Its length in bytes, counted on when the text is dropped.
    len: usize,
}

impl Pending {
    fn push(&mut self, line: &[u8], whole: bool) {
        self.len += 1 + line.len();
        if !whole || self.len > MAX_EVENT_BYTES {
            self.text = Vec::new();
        } else {
            self.text.push(b'\n');
            self.text.extend_from_slice(line);
        }
        if whole {
            self.scan.feed(line);
        } else {
            self.scan.broken = true;
        }
    }

    fn finish(self, name: &str) -> Unit {
        if self.len > MAX_EVENT_BYTES || self.text.len() < self.len {
            Unit::Done(too_long(
                name,
                self.first_line,
                "the event starting on line",
                self.len,
            ))
        } else {
            Unit::Text {
                first_line: self.first_line,
                bytes: self.text,
            }
        }
    }
}

fn too_long(name: &str, line_no: usize, what: &str, len: usize) -> Checked {
    Checked::new(
        vec![invalid_json(
            name,
            (line_no, 1),
            format!(
                "{what} {line_no} is {len} bytes long, more than the {} MiB an event may have; it was skipped",
                MAX_EVENT_BYTES >> 20
            ),
        )],
        None,
    )
}

/// Parse one event, from a file or a stream alike: the strict parser (duplicate keys and
/// over-deep nesting are errors) keeping every value's span, and the value to validate.
fn parse_event(text: &str) -> Result<(json::Node, serde_json::Value), json::ParseError> {
    let doc = json::parse(text)?;
    let value = doc.to_serde();
    Ok((doc, value))
}

fn invalid_json(name: &str, (line, column): (usize, usize), message: String) -> Finding {
    Finding::new(
        &rules::EVENT_INVALID_JSON,
        message,
        "each line of a stream must be one JSON value (NDJSON); the other lines were still validated",
    )
    .at(Location {
        file: name.to_string(),
        pointer: String::new(),
        span: None,
        line: Some(line),
        column: Some(column),
    })
}

/// One event of a stream, starting on line `line_no`.
fn check_event(
    catalog: &Catalog,
    name: &str,
    line_no: usize,
    raw: &[u8],
    expect: Expect,
) -> Checked {
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => {
            let valid = String::from_utf8_lossy(&raw[..e.valid_up_to()]);
            let (line, column) = at_line(line_no, line_columns(&valid, &[valid.len()])[0]);
            return Checked::new(
                vec![invalid_json(
                    name,
                    (line, column),
                    format!("line {line} is not UTF-8 text (invalid byte at column {column})"),
                )],
                None,
            );
        }
    };
    let mut out = Vec::new();
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            out.push(invalid_json(name, (line_no, 1), format!("line {line_no} starts with a UTF-8 byte-order mark; NDJSON has none (the event after it was still validated)")));
            rest
        }
        None => text,
    };
    let (doc, value) = match parse_event(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let (line, column) = at_line(line_no, line_columns(text, &[e.offset])[0]);
            out.push(invalid_json(
                name,
                (line, column),
                format!("line {line} is not valid JSON: {}", e.message),
            ));
            return Checked::new(out, None);
        }
    };
    let outcome = catalog.validate(&value, expect);
    out.extend(event_findings(
        catalog,
        &outcome,
        (outcome.subject.as_deref(), outcome.version),
        &doc,
        text,
        &Place::Lines(name, line_no),
    ));
    Checked::new(out, None)
}

/// A (line, column) within an event that starts on line `first` of its stream, in the stream.
fn at_line(first: usize, (line, column): (usize, usize)) -> (usize, usize) {
    (first + line - 1, column)
}

/// Where an event's text is: a whole file (findings keep spans for snippets), or lines of a
/// stream from the given one on (findings name the line and column).
pub enum Place<'a> {
    File(&'a str),
    Lines(&'a str, usize),
}

/// The findings for one event's drafts (`outcome`, about `subject` and `version`), each at the
/// place its pointer names in `text` (the event `doc` was parsed from) and, for a payload that
/// does not fit, at the schema element it breaks in the version it was validated against. Linear
/// in the event's size plus the drafts: the event is parsed once, objects are indexed once, and
/// all positions are found in one pass.
pub fn event_findings(
    catalog: &Catalog,
    outcome: &Outcome,
    (subject, version): (Option<&str>, Option<u32>),
    doc: &json::Node,
    text: &str,
    place: &Place,
) -> Vec<Finding> {
    let drafts = &outcome.drafts;
    let mut locator = Locator::new(doc);
    let spans: Vec<Option<Span>> = drafts.iter().map(|d| locator.span(&d.at.pointer)).collect();
    let offsets: Vec<usize> = spans.iter().flatten().map(|s| s.start).collect();
    let mut positions = line_columns(text, &offsets).into_iter();
    let about = About {
        subject,
        version,
        ..About::default()
    };
    // The version the payload was validated against, whose schema the drafts' other places are in.
    let validated = outcome.subject.as_deref().zip(outcome.version);
    drafts
        .iter()
        .zip(spans)
        .map(|(d, span)| {
            let at = span.map(|_| positions.next().unwrap_or((1, 1)));
            let mut d = d.clone();
            let pointer = std::mem::take(&mut d.at.pointer);
            let location = match *place {
                Place::File(path) => Location {
                    file: path.to_string(),
                    pointer,
                    span,
                    line: at.map(|(l, _)| l),
                    column: at.map(|(_, c)| c),
                },
                Place::Lines(name, first) => {
                    let (line, column) = at_line(first, at.unwrap_or((1, 1)));
                    Location {
                        file: name.to_string(),
                        pointer,
                        span: None,
                        line: Some(line),
                        column: Some(column),
                    }
                }
            };
            let in_schema = match (&d.other, validated) {
                (Some(other), Some((s, v))) => catalog.schema_location(s, v, &other.pointer),
                _ => None,
            };
            d.finding(about, Some(location), in_schema)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_measured_but_not_kept() {
        let input = b"short\n0123456789abcdef\nlast";
        let mut reader = io::BufReader::with_capacity(4, &input[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), Some(5));
        assert_eq!(buf, b"short");
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), Some(16));
        assert!(buf.len() <= 8);
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), Some(4));
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), None);
    }

    #[test]
    fn a_line_goes_on_only_while_a_value_is_open() {
        let open = |lines: &[&str]| {
            let mut scan = Scan::default();
            lines.iter().all(|l| {
                scan.feed(l.as_bytes());
                scan.open()
            })
        };
        assert!(open(&["{"]));
        assert!(open(&["{\"a\": [", "  1,"]));
        assert!(open(&[r#"{"s": "}\"]", "#]));
        assert!(!open(&["{}"]));
        assert!(!open(&["{\"a\": 1}}{"]));
        assert!(!open(&["{\"s\": \"unterminated"]));
        assert!(!open(&["\"text\""]));
    }

    #[test]
    fn positions_are_found_in_one_pass_in_any_order() {
        let text = "ab\nçd\n\nx";
        let offsets = [text.len(), 0, 3, 5, 7];
        assert_eq!(
            line_columns(text, &offsets),
            [(4, 2), (1, 1), (2, 1), (2, 2), (3, 1)]
        );
    }
}
