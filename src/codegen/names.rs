//! Rust identifiers from schema names: `PascalCase` types and variants, `snake_case` fields,
//! keywords avoided, and a name space that hands out each type name once, deterministically.

use std::collections::HashSet;
use std::sync::Arc;

/// Words that cannot be identifiers (strict and reserved keywords of every edition up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code relies on (prelude, std and its own support types); a schema's
/// type never takes one of them.
pub const RESERVED_TYPES: &[&str] = &[
    "AnyEvent",
    "Box",
    "BTreeMap",
    "Bytes",
    "Clone",
    "Debug",
    "Decimal",
    "DecimalOf",
    "DecodeError",
    "Default",
    "Deserialize",
    "Deserializer",
    "Envelope",
    "Err",
    "Event",
    "From",
    "Into",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Serialize",
    "Serializer",
    "Some",
    "String",
    "ToString",
    "TryFrom",
    "Vec",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Split a name into words: at `_`, `-`, `.`, spaces and other non-alphanumerics, and at
/// lower→upper case changes (`orderId` → `order`, `Id`; `HTTPStatus` → `HTTP`, `Status`).
fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = cur.chars().last().as_ref() {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = (prev.is_ascii_lowercase() || prev.is_ascii_digit())
                && c.is_ascii_uppercase()
                || prev.is_ascii_uppercase() && c.is_ascii_uppercase() && next_lower;
            if boundary {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `PascalCase`: `order_line` → `OrderLine`, `CUSTOMER_REQUEST` → `CustomerRequest`,
/// `lineItem` → `LineItem`. Never empty, never starts with a digit, never a keyword.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() {
        out.push_str("Value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// `snake_case` for fields: `orderId` → `order_id`, `type` → `type_`, `2fa` → `_2fa`.
pub fn snake(s: &str) -> String {
    let mut out = words(s)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() {
        out.push_str("value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// Names taken in one scope (the module's types, or one struct's fields): the first free
/// candidate wins, else the first candidate with the smallest free numeric suffix.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
    /// Names taken in an enclosing scope, shared and never changed.
    outer: Option<Arc<Scope>>,
}

impl Scope {
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            outer: None,
        }
    }
    /// A scope that also avoids every name of `outer`.
    pub fn within(outer: Arc<Scope>) -> Scope {
        Scope {
            taken: HashSet::new(),
            outer: Some(outer),
        }
    }
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name) || self.outer.as_ref().is_some_and(|o| o.is_taken(name))
    }
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }
    pub fn take(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if !self.is_taken(c) {
                self.taken.insert(c.clone());
                return c.clone();
            }
        }
        let base = candidates.first().map_or("Value", String::as_str);
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|c| !self.is_taken(c))
            .inspect(|c| {
                self.taken.insert(c.clone());
            })
            .expect("an unbounded range has a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(pascal("order_line"), "OrderLine");
        assert_eq!(pascal("CUSTOMER_REQUEST"), "CustomerRequest");
        assert_eq!(pascal("lineItem"), "LineItem");
        assert_eq!(pascal("HTTPStatus"), "HttpStatus");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal("2fa"), "_2fa");
        assert_eq!(pascal("--"), "Value");
        assert_eq!(snake("orderId"), "order_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("HTTPStatus"), "http_status");
        assert_eq!(snake("a-b c"), "a_b_c");
        assert_eq!(snake("unitPriceV2"), "unit_price_v2");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("été"), "t");
    }

    #[test]
    fn scope_is_deterministic() {
        let mut s = Scope::with_reserved(&["String"]);
        assert_eq!(s.take(&["String".into()]), "String2");
        assert_eq!(s.take(&["A".into(), "B".into()]), "A");
        assert_eq!(s.take(&["A".into(), "B".into()]), "B");
        assert_eq!(s.take(&["A".into(), "B".into()]), "A2");
        assert_eq!(s.take(&["V1".into()]), "V1");
        assert_eq!(s.take(&["V1".into()]), "V1_2");
    }
}
