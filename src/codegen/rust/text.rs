//! Formatted Rust text for what is generated per subject (the bulk of a large module): items are
//! laid out as they are built, and expressions are a small tree printed on one line when it fits
//! in 100 columns and broken the way rustfmt breaks them otherwise. Parsing the whole module
//! back to format it would cost more than generating it many times over.

use std::fmt::Write;

/// The line width the layout aims for.
pub const WIDTH: usize = 100;
const INDENT: &str = "    ";

/// An expression, built by the generator and laid out when written.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Text that is one line already: `value.total`, `None`, `OrderPlacedV2Status::Paid`.
    Atom(String),
    /// `path(args)`.
    Call(String, Vec<Expr>),
    /// `name![items]`, or an array `[items]` when the name is empty.
    Macro(String, Vec<Expr>),
    /// `Name { field: value, .. }`.
    Struct(String, Vec<(String, Expr)>),
    /// `receiver.method(args)`.
    Method(Box<Expr>, String, Vec<Expr>),
    /// `|param| body`.
    Closure(String, Box<Expr>),
    /// `match scrutinee { pattern => value, .. }`, always on several lines.
    Match(Box<Expr>, Vec<(String, Expr)>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `inner?`.
    Try(Box<Expr>),
}

impl Expr {
    pub fn atom(s: impl Into<String>) -> Expr {
        Expr::Atom(s.into())
    }
    pub fn call(path: impl Into<String>, args: Vec<Expr>) -> Expr {
        Expr::Call(path.into(), args)
    }
    pub fn method(self, name: &str, args: Vec<Expr>) -> Expr {
        Expr::Method(Box::new(self), name.to_string(), args)
    }
    pub fn closure(param: &str, body: Expr) -> Expr {
        Expr::Closure(param.to_string(), Box::new(body))
    }
    /// `Some(inner)`, `Box::new(inner)`, …: the argument of a one-argument call to `path`.
    pub fn arg_of(&self, path: &str) -> Option<&Expr> {
        match self {
            Expr::Call(p, args) if p == path && args.len() == 1 => Some(&args[0]),
            _ => None,
        }
    }

    /// How many links a method chain has: its calls, and the field accesses of its receiver.
    fn chain_links(&self) -> usize {
        let mut links = 0;
        let mut cur = self;
        while let Expr::Method(recv, ..) = cur {
            links += 1;
            cur = recv;
        }
        if links > 0
            && let Expr::Atom(a) = cur
            && !a.contains(['(', ' '])
        {
            links += a.matches('.').count();
        }
        links
    }

    /// Does a call in the expression have arguments wider than rustfmt's `fn_call_width` (60
    /// columns), which rustfmt lays out one per line however short the line?
    fn wide_call(&self) -> bool {
        match self {
            Expr::Call(_, args) => {
                let width: usize = args
                    .iter()
                    .map(|a| a.flat().map_or(usize::MAX / 2, |f| f.len() + 2))
                    .sum::<usize>();
                width.saturating_sub(2) > 60 || args.iter().any(Expr::wide_call)
            }
            Expr::Try(inner) => inner.wide_call(),
            _ => false,
        }
    }

    /// The expression on one line, or None when it has to span several (a `match`).
    pub fn flat(&self) -> Option<String> {
        let mut s = String::new();
        self.flat_into(&mut s).then_some(s)
    }

    fn flat_into(&self, s: &mut String) -> bool {
        let list = |s: &mut String, items: &[Expr]| {
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                if !e.flat_into(s) {
                    return false;
                }
            }
            true
        };
        match self {
            Expr::Atom(a) => {
                s.push_str(a);
                true
            }
            Expr::Call(p, args) => {
                s.push_str(p);
                s.push('(');
                let ok = list(s, args);
                s.push(')');
                ok
            }
            Expr::Macro(name, items) => {
                s.push_str(name);
                s.push_str(if name.is_empty() { "[" } else { "![" });
                let ok = list(s, items);
                s.push(']');
                ok
            }
            Expr::Tuple(items) => {
                s.push('(');
                let ok = list(s, items);
                s.push(')');
                ok
            }
            Expr::Struct(name, fields) => {
                s.push_str(name);
                if fields.is_empty() {
                    s.push_str(" {}");
                    return true;
                }
                s.push_str(" { ");
                for (i, (f, e)) in fields.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(f);
                    s.push_str(": ");
                    if !e.flat_into(s) {
                        return false;
                    }
                }
                s.push_str(" }");
                true
            }
            Expr::Method(recv, name, args) => {
                if !recv.flat_into(s) {
                    return false;
                }
                s.push('.');
                s.push_str(name);
                s.push('(');
                let ok = list(s, args);
                s.push(')');
                ok
            }
            Expr::Closure(p, body) => {
                let _ = write!(s, "|{p}| ");
                body.flat_into(s)
            }
            Expr::Try(inner) => {
                let ok = inner.flat_into(s);
                s.push('?');
                ok
            }
            Expr::Match(..) => false,
        }
    }

    /// Lay the expression out at `indent` levels, `used` columns of its first line taken by
    /// what precedes it (and `tail` by what follows, e.g. `,`).
    pub fn render(&self, indent: usize, used: usize, tail: usize) -> String {
        // A struct literal with fields takes a line per field, as rustfmt lays most out.
        let multi = matches!(self, Expr::Struct(_, fields) if !fields.is_empty());
        if !multi
            && let Some(flat) = self.flat()
            && used + flat.len() + tail <= WIDTH
            && !self.wide_call()
            // rustfmt's `array_width`: an array literal wider than 60 columns breaks.
            && !matches!(self, Expr::Macro(name, _) if name.is_empty() && flat.len() > 60)
            // rustfmt lays a chain of two or more links longer than 60 columns out one per line.
            && !(self.chain_links() > 1 && flat.len() > 60)
        {
            return flat;
        }
        let inner = INDENT.repeat(indent + 1);
        let outer = INDENT.repeat(indent);
        let list = |open: &str, items: &[Expr], close: &str| {
            let mut s = String::from(open);
            s.push('\n');
            for e in items {
                s.push_str(&inner);
                s.push_str(&e.render(indent + 1, inner.len(), 1));
                s.push_str(",\n");
            }
            s.push_str(&outer);
            s.push_str(close);
            s
        };
        match self {
            Expr::Atom(a) => a.clone(),
            Expr::Call(p, args) => {
                // A lone struct or match argument breaks by itself and stays on the call's line.
                if let [only] = args.as_slice()
                    && matches!(only, Expr::Struct(..) | Expr::Match(..))
                {
                    return format!("{p}({})", only.render(indent, used + p.len() + 1, tail + 1));
                }
                // A lone call argument whose own arguments break overflows: `Err(f(\n…\n))`.
                if let [Expr::Call(q, inner)] = args.as_slice()
                    && !inner.is_empty()
                    && used + p.len() + q.len() + 2 <= WIDTH
                {
                    return format!("{p}({})", list(&format!("{q}("), inner, ")"));
                }
                list(&format!("{p}("), args, ")")
            }
            Expr::Macro(name, items) if name.is_empty() => list("[", items, "]"),
            Expr::Macro(name, items) => list(&format!("{name}!["), items, "]"),
            Expr::Tuple(items) => list("(", items, ")"),
            Expr::Struct(name, fields) => {
                let mut s = format!("{name} {{\n");
                for (f, e) in fields {
                    let prefix = format!("{inner}{f}: ");
                    s.push_str(&prefix);
                    s.push_str(&e.render(indent + 1, prefix.len(), 1));
                    s.push_str(",\n");
                }
                s.push_str(&outer);
                s.push('}');
                s
            }
            Expr::Method(..) => {
                // A chain: the receiver, then each call on its own line.
                let mut calls = Vec::new();
                let mut cur = self;
                while let Expr::Method(recv, name, args) = cur {
                    calls.push((name, args));
                    cur = recv;
                }
                // Field accesses of the receiver (`value.lines`) go on lines of their own too.
                let mut s = match cur {
                    Expr::Atom(a) if a.contains('.') && !a.contains(['(', ' ']) => {
                        let mut parts = a.split('.');
                        let mut s = parts.next().unwrap_or_default().to_string();
                        for p in parts {
                            s.push('\n');
                            s.push_str(&inner);
                            s.push('.');
                            s.push_str(p);
                        }
                        s
                    }
                    other => other.render(indent, used, 0),
                };
                for (name, args) in calls.into_iter().rev() {
                    let call = Expr::Call(format!(".{name}"), args.clone());
                    s.push('\n');
                    s.push_str(&inner);
                    s.push_str(&call.render(indent + 1, inner.len(), tail));
                }
                s
            }
            Expr::Try(inner) => format!("{}?", inner.render(indent, used, tail + 1)),
            Expr::Closure(p, body) => {
                let head = format!("|{p}| ");
                format!("{head}{}", body.render(indent, used + head.len(), tail))
            }
            Expr::Match(scrutinee, arms) => {
                let mut s = format!("match {} {{\n", scrutinee.render(indent, used + 6, 2));
                for (pat, e) in arms {
                    let prefix = format!("{inner}{pat} => ");
                    s.push_str(&prefix);
                    let fits = e.flat().is_some_and(|f| prefix.len() + f.len() < WIDTH);
                    // A value too long for a line of its own breaks on the arm's line.
                    let in_block = !e.wide_call()
                        && e.flat()
                            .is_some_and(|f| (indent + 2) * 4 + f.len() <= WIDTH);
                    if fits || !in_block || matches!(e, Expr::Struct(..) | Expr::Match(..)) {
                        s.push_str(&e.render(indent + 1, prefix.len(), 1));
                        s.push_str(",\n");
                    } else {
                        // A value too long for the arm's line goes in a block of its own.
                        let body = INDENT.repeat(indent + 2);
                        s.push_str("{\n");
                        s.push_str(&body);
                        s.push_str(&e.render(indent + 2, body.len(), 0));
                        s.push('\n');
                        s.push_str(&inner);
                        s.push_str("}\n");
                    }
                }
                s.push_str(&outer);
                s.push('}');
                s
            }
        }
    }
}

/// A line written at the writer's indentation: `wl!(w, "pub {}: {},", name, ty)`.
macro_rules! wl {
    ($w:expr, $($arg:tt)*) => {
        $w.line_fmt(format_args!($($arg)*))
    };
}
pub(crate) use wl;

/// Text written line by line at an indentation level.
#[derive(Debug, Default)]
pub struct Writer {
    pub out: String,
    indent: usize,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }
    /// The indentation level.
    pub fn depth(&self) -> usize {
        self.indent
    }
    pub fn with_capacity(bytes: usize) -> Writer {
        Writer {
            out: String::with_capacity(bytes),
            indent: 0,
        }
    }
    /// One line at the current indentation, formatted in place (`wl!(w, "{x},")`).
    pub fn line_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        for _ in 0..self.indent {
            self.out.push_str(INDENT);
        }
        let _ = self.out.write_fmt(args);
        self.out.push('\n');
    }

    /// One line at the current indentation.
    pub fn line(&mut self, text: &str) {
        if !text.is_empty() {
            for _ in 0..self.indent {
                self.out.push_str(INDENT);
            }
        }
        self.out.push_str(text);
        self.out.push('\n');
    }
    pub fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }
    /// `head {` and one level in.
    pub fn open(&mut self, head: &str) {
        self.line(&format!("{head} {{"));
        self.indent += 1;
    }
    /// One level in, after a line that opened a block.
    pub fn open_level(&mut self) {
        self.indent += 1;
    }
    /// One level out and `}` (with `tail`, e.g. `,`).
    pub fn close(&mut self, tail: &str) {
        self.indent -= 1;
        self.line(&format!("}}{tail}"));
    }
    /// One level out, after lines that continued a statement.
    pub fn close_level(&mut self) {
        self.indent -= 1;
    }
    /// `///` lines of schema text, made safe by [`doc_lines`].
    pub fn doc(&mut self, doc: Option<&str>) {
        for l in doc_lines(doc) {
            if l.is_empty() {
                self.line("///");
            } else {
                self.line_fmt(format_args!("/// {l}"));
            }
        }
    }
    /// `head expr tail` with the expression laid out to fit.
    pub fn expr(&mut self, head: &str, e: &Expr, tail: &str) {
        let used = self.indent * INDENT.len() + head.len();
        let text = e.render(self.indent, used, tail.len());
        self.line(&format!("{head}{text}{tail}"));
    }
    /// `head Type tail` (`pub name: Type,`, `pub fn f() -> Type {`), with the type's generic
    /// arguments one per line when the line would be too long.
    pub fn typed(&mut self, head: &str, ty: &str, tail: &str) {
        let line = format!("{head}{ty}{tail}");
        if self.indent * INDENT.len() + line.len() <= WIDTH {
            self.line(&line);
            return;
        }
        match split_generic(ty) {
            Some((outer, args)) => {
                self.line(&format!("{head}{outer}<"));
                self.indent += 1;
                for a in args {
                    self.typed("", a, ",");
                }
                self.indent -= 1;
                self.line(&format!(">{tail}"));
            }
            None => self.line(&line),
        }
    }

    /// `}` and `head {` on one line (`} else {`), staying at the same level.
    pub fn reopen(&mut self, head: &str) {
        self.indent -= 1;
        self.line(&format!("}} {head} {{"));
        self.indent += 1;
    }

    /// `#[serde(a, b)]`, broken over lines when long, as rustfmt does.
    pub fn attr_list(&mut self, name: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        let args = items.join(", ");
        let flat = format!("#[{name}({args})]");
        // rustfmt keeps an attribute's arguments on one line up to 70 columns.
        if args.len() <= 70 && self.indent * INDENT.len() + flat.len() <= WIDTH {
            self.line(&flat);
        } else {
            self.line(&format!("#[{name}("));
            self.indent += 1;
            for (n, i) in items.iter().enumerate() {
                let comma = if n + 1 < items.len() { "," } else { "" };
                self.line(&format!("{i}{comma}"));
            }
            self.indent -= 1;
            self.line(")]");
        }
    }
}

/// `Outer<A, B<C>>` → (`Outer`, [`A`, `B<C>`]).
fn split_generic(ty: &str) -> Option<(&str, Vec<&str>)> {
    let open = ty.find('<')?;
    let inner = ty.strip_suffix('>')?.get(open + 1..)?;
    let mut args = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(inner[start..].trim());
    Some((&ty[..open], args))
}

/// Schema text (a doc, a title, a description) as the lines of a doc comment. Every way text
/// can break a `///` line or the code around it is handled here, once for all generated docs:
/// any line break (CR, CRLF, LF, NEL, U+2028, U+2029, vertical tab, form feed) splits lines,
/// as rustc rejects a bare CR in a doc comment; other control characters and the bidirectional
/// overrides rustc denies in comments are written as `\u{..}`. Lines are trimmed so schema
/// text never becomes an indented code block, and code fences are neutralised so rustdoc never
/// runs schema text as a doc test. Leading and trailing blank lines are dropped.
pub fn doc_lines(doc: Option<&str>) -> Vec<String> {
    let Some(doc) = doc else {
        return Vec::new();
    };
    let breaks = |c: char| {
        matches!(
            c,
            '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    };
    // Bidirectional embeddings, overrides and isolates (rustc's text_direction_codepoint lints).
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let mut lines: Vec<String> = doc
        .replace("\r\n", "\n")
        .split(breaks)
        .map(|l| {
            let mut out = String::with_capacity(l.len());
            for c in l.trim().chars() {
                if (c.is_control() && c != '\t') || bidi(c) {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                } else {
                    out.push(c);
                }
            }
            out.replace("```", "'''")
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let blank = lines.iter().take_while(|l| l.is_empty()).count();
    lines.drain(..blank);
    lines
}

/// A Rust string literal.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_break_only_when_too_long() {
        let short = Expr::call("Some", vec![Expr::atom("x")]);
        assert_eq!(short.render(0, 0, 0), "Some(x)");
        let fields: Vec<(String, Expr)> = (0..6)
            .map(|i| {
                (
                    format!("field_number_{i}"),
                    Expr::atom(format!("value.field_number_{i}")),
                )
            })
            .collect();
        let s = Expr::Struct("LongName".into(), fields);
        let text = s.render(1, 4, 0);
        assert!(
            text.starts_with("LongName {\n        field_number_0: value.field_number_0,\n"),
            "{text}"
        );
        assert!(text.ends_with("\n    }"), "{text}");
        let m = Expr::Match(
            Box::new(Expr::atom("value")),
            vec![("A::B".into(), Expr::atom("C::D"))],
        );
        assert_eq!(m.render(0, 0, 0), "match value {\n    A::B => C::D,\n}");
    }

    #[test]
    fn doc_text_never_breaks_a_doc_comment() {
        let doc = "\n  Title\r\rfirst\r\nsecond\u{2028}third\u{2029}\u{85}x\u{0}y\u{1b}[0m \u{202e}evil\u{2066}\t```rust\n\n";
        assert_eq!(
            doc_lines(Some(doc)),
            [
                "Title",
                "",
                "first",
                "second",
                "third",
                "",
                "x\\u{0}y\\u{1b}[0m \\u{202e}evil\\u{2066}\t'''rust",
            ]
        );
        assert!(doc_lines(Some(" \r\n ")).is_empty());
        assert!(doc_lines(None).is_empty());
    }

    #[test]
    fn string_literals_escape() {
        assert_eq!(string_literal("a\"b\\c\n\u{0}ÿ"), r#""a\"b\\c\n\u{0}ÿ""#);
    }
}
