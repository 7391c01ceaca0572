//! A strict JSON parser (RFC 8259) that keeps the byte span of every value and key, so a JSON
//! pointer into a schema maps back to a line:column in its file. It rejects duplicate keys and
//! bounds nesting, so a hostile file gives an error, never a stack overflow.

use super::Span;
use std::fmt;

/// Deeper documents are refused: real schemas and events nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// A number as written, so integers beyond f64 precision and `1.0` vs `1` stay distinguishable.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub raw: String,
}

impl Number {
    pub fn is_integer(&self) -> bool {
        !self.raw.contains(['.', 'e', 'E'])
    }
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer() {
            self.raw.parse().ok()
        } else {
            None
        }
    }
    pub fn as_f64(&self) -> f64 {
        self.raw.parse().unwrap_or(f64::NAN)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

impl Node {
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    /// The member named `key` of an object.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The node at an RFC 6901 pointer (`""` is the node itself).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = unescape_pointer_token(token);
            node = match &node.value {
                Value::Object(_) => node.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The span a finding about `pointer` should underline: for an object member, the key and its
    /// value together read best, so the key's start to the value's end.
    pub fn pointer_span(&self, pointer: &str) -> Option<Span> {
        if pointer.is_empty() {
            return Some(self.span);
        }
        let (parent, last) = pointer.rsplit_once('/')?;
        let parent = self.pointer(parent)?;
        let last = unescape_pointer_token(last);
        match &parent.value {
            Value::Object(_) => {
                let m = parent.member(&last)?;
                Some(Span::new(m.key_span.start, m.value.span.end))
            }
            Value::Array(items) => items.get(last.parse::<usize>().ok()?).map(|n| n.span),
            _ => None,
        }
    }

    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(&n.raw).unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_serde).collect()),
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|m| (m.key.clone(), m.value.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// What kind of JSON value a `serde_json::Value` is, for messages (`a string`, `an array`).
pub fn value_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The pointer of `parent`'s member `token` (already escaped): built for every type, field and
/// keyword of every schema, so without the formatter.
pub fn child_pointer(parent: &str, token: &str) -> String {
    let mut p = String::with_capacity(parent.len() + 1 + token.len());
    p.push_str(parent);
    p.push('/');
    p.push_str(token);
    p
}

// Most tokens need no escaping: those are borrowed, not copied (pointers are built and followed
// for every type and keyword of every schema).
pub fn escape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

pub fn unescape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// Parse one JSON document. Leading and trailing whitespace is allowed; anything else after the
/// value is an error.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    if text.starts_with('\u{feff}') {
        return Err(ParseError {
            message: "the file starts with a UTF-8 byte-order mark; save it without one".into(),
            offset: 0,
        });
    }
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    if p.pos == p.bytes.len() {
        return Err(p.err("the file is empty; expected a JSON value"));
    }
    let node = p.value()?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn found(&self) -> String {
        match self.text[self.pos..].chars().next() {
            None => "the end of the file".into(),
            Some(c) => format!("`{}`", c.escape_debug()),
        }
    }

    fn value(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.err(format!("expected a JSON value, found {}", self.found()))),
        };
        Ok(Node {
            value,
            span: Span::new(start, self.pos),
        })
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.err(format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        // Large objects check duplicates through a set, so a hostile file cannot make this quadratic.
        let mut seen: Option<std::collections::HashSet<String>> = None;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.err(format!("expected a quoted key, found {}", self.found())));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            let duplicate = match &mut seen {
                Some(set) => !set.insert(key.clone()),
                None if members.len() >= 16 => {
                    let mut set: std::collections::HashSet<String> =
                        members.iter().map(|m| m.key.clone()).collect();
                    let dup = !set.insert(key.clone());
                    seen = Some(set);
                    dup
                }
                None => members.iter().any(|m| m.key == key),
            };
            if duplicate {
                return Err(ParseError {
                    message: format!("duplicate key `{key}`: a key may appear once per object"),
                    offset: key_start,
                });
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err(format!("expected `:` after a key, found {}", self.found())));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    return Err(self.err(format!(
                        "expected `,` or `}}` in an object, found {}",
                        self.found()
                    )));
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Object(members))
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    return Err(self.err(format!(
                        "expected `,` or `]` in an array, found {}",
                        self.found()
                    )));
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(v) if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()) => {
                self.pos += 4;
                Ok(v)
            }
            _ => Err(self.err("expected four hex digits after `\\u`")),
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                None => {
                    return Err(ParseError {
                        message: "unterminated string".into(),
                        offset: open,
                    });
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if !self.bytes[self.pos..].starts_with(b"\\u") {
                                    return Err(self.err("unpaired surrogate in a `\\u` escape"));
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("unpaired surrogate in a `\\u` escape"));
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            match c {
                                Some(c) => out.push(c),
                                None => {
                                    return Err(self.err("unpaired surrogate in a `\\u` escape"));
                                }
                            }
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.err("invalid escape in a string"));
                        }
                    }
                }
                Some(_) => {
                    return Err(self.err(
                        "control character in a string: escape it (`\\n`, `\\t`, `\\u0000`)",
                    ));
                }
            }
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.err("numbers may not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err("expected digits in a number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("expected digits after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("expected digits in the exponent"));
            }
            self.digits();
        }
        Ok(Value::Number(Number {
            raw: self.text[start..self.pos].to_string(),
        }))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_keeps_spans() {
        let text = r#"{"a": [1, 2.5, "x\n"], "b~/c": {"d": null}}"#;
        let node = parse(text).unwrap();
        let a1 = node.pointer("/a/1").unwrap();
        assert_eq!(&text[a1.span.start..a1.span.end], "2.5");
        let d = node.pointer("/b~0~1c/d").unwrap();
        assert_eq!(d.value, Value::Null);
        let span = node.pointer_span("/a").unwrap();
        assert_eq!(&text[span.start..span.end], r#""a": [1, 2.5, "x\n"]"#);
        assert_eq!(
            node.pointer("/a/0").unwrap().as_number().unwrap().as_i64(),
            Some(1)
        );
        assert_eq!(node.to_serde()["a"][2], "x\n");
    }

    #[test]
    fn decodes_escapes_and_surrogates() {
        let node = parse(r#""\u00e9\ud83d\ude00\t""#).unwrap();
        assert_eq!(node.as_str(), Some("é😀\t"));
        assert!(parse(r#""\ud83d""#).is_err());
    }

    #[test]
    fn rejects_what_json_rejects() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "'a'",
            "{a:1}",
            "[1] 2",
            "\"\t\"",
            "\u{feff}{}",
            "tru",
            "\"abc",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let err = parse(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert_eq!(err.offset, 9);
        assert!(err.message.contains("duplicate key `a`"));
    }

    #[test]
    fn wide_objects_stay_linear() {
        let mut text = String::from("{");
        for i in 0..200_000 {
            text.push_str(&format!("\"k{i}\": {i},"));
        }
        text.push_str("\"k7\": 0}");
        let started = std::time::Instant::now();
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("duplicate key `k7`"));
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("nesting deeper"));
    }
}
