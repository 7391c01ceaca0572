//! The canonical form of a schema version, and its fingerprint. A published version's canonical
//! form never changes: whitespace, key order and documentation may, nothing else.
//!
//! The form is the schema's JSON with object keys sorted, no insignificant whitespace, and the
//! documentation keys dropped where they are documentation: Avro `doc`; JSON Schema `title`,
//! `description`, `$comment` and `examples` in schema positions (a property that happens to be
//! called `description` stays). Defaults, aliases, custom attributes and everything else count.

use crate::schema::Format;
use crate::source::json::{Node, Value};
use sha2::{Digest, Sha256};

/// Compact canonical JSON.
pub fn canonical_form(node: &Node, format: Format) -> String {
    let mut out = String::new();
    write(node, format, Position::Schema, &mut out);
    out
}

/// `sha256:<hex>` of the canonical form.
pub fn fingerprint(node: &Node, format: Format) -> String {
    fingerprint_of(&canonical_form(node, format))
}

/// `sha256:<hex>` of a text (canonical forms joined by the caller).
pub fn fingerprint_of(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in digest {
        hex.push(HEX[usize::from(b >> 4)] as char);
        hex.push(HEX[usize::from(b & 15)] as char);
    }
    hex
}

/// A JSON string literal spelled as serde_json spells it: `"` and `\\` escaped, control
/// characters as `\n`-style or `\u00xx` escapes, everything else as it is. The fingerprints in
/// existing `evreg.lock` files depend on this spelling.
fn push_string(s: &str, out: &mut String) {
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        plain = i + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

/// Where a JSON value sits, which decides whether its keys are keywords.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    /// A schema (or, for Avro, a field or any schema-level object).
    Schema,
    /// An object whose keys are names and whose values are schemas (`properties`, `$defs`).
    SchemaMap,
    /// An array of schemas (`allOf`, Avro unions and fields).
    SchemaList,
    /// Plain data (`default`, `enum`, `const`): nothing is dropped.
    Data,
}

fn is_doc(key: &str, format: Format) -> bool {
    match format {
        Format::Avro => key == "doc",
        Format::JsonSchema => matches!(key, "title" | "description" | "$comment" | "examples"),
    }
}

/// The position of a keyword's value inside a schema object.
fn child_position(key: &str, format: Format) -> Position {
    match format {
        Format::Avro => match key {
            "default" => Position::Data,
            "fields" | "type" | "items" | "values" => Position::Schema,
            // symbols, aliases, sizes, custom attributes: data.
            _ => Position::Data,
        },
        Format::JsonSchema => match key {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                Position::SchemaMap
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => Position::SchemaList,
            "items"
            | "additionalItems"
            | "additionalProperties"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "propertyNames"
            | "contains"
            | "not"
            | "if"
            | "then"
            | "else" => Position::Schema,
            _ => Position::Data,
        },
    }
}

fn write(node: &Node, format: Format, pos: Position, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&canonical_number(&n.raw)),
        Value::String(s) => push_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // Items of a schema array (JSON Schema `items` in tuple form, Avro unions and
                // field lists) are schemas themselves.
                let item_pos = match pos {
                    Position::Schema | Position::SchemaList => Position::Schema,
                    _ => Position::Data,
                };
                write(item, format, item_pos, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<_> = members
                .iter()
                .filter(|m| !(pos == Position::Schema && is_doc(&m.key, format)))
                .collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for (i, m) in sorted.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_string(&m.key, out);
                out.push(':');
                let child = match pos {
                    Position::Schema => child_position(&m.key, format),
                    Position::SchemaMap => Position::Schema,
                    _ => Position::Data,
                };
                write(&m.value, format, child, out);
            }
            out.push('}');
        }
    }
}

/// `1.0`, `1e0` and `1` are one number to a reader of the schema; spell them one way.
fn canonical_number(raw: &str) -> String {
    if !raw.contains(['.', 'e', 'E']) {
        return raw.trim_start_matches('+').to_string();
    }
    match raw.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Ok(f) if f.is_finite() => format!("{f:?}"),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json::parse;

    #[test]
    fn strings_are_spelled_as_serde_json_spells_them() {
        let mut every: String = (0u8..0x80).map(char::from).collect();
        every.push_str("é ☃ \u{1F600} \u{2028} end");
        for s in [every.as_str(), "", "plain", "\"\\", "a\u{7f}b"] {
            let mut ours = String::new();
            push_string(s, &mut ours);
            assert_eq!(ours, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    fn canon(text: &str, format: Format) -> String {
        canonical_form(&parse(text).unwrap(), format)
    }

    #[test]
    fn whitespace_order_and_docs_do_not_count() {
        let a = r#"{"type": "record", "name": "R", "doc": "one", "fields": [{"name": "a", "type": "int", "doc": "x"}]}"#;
        let b = r#"{
            "fields": [{"type": "int", "name": "a"}],
            "name": "R", "type": "record", "doc": "another text"
        }"#;
        assert_eq!(canon(a, Format::Avro), canon(b, Format::Avro));
        assert_eq!(
            fingerprint(&parse(a).unwrap(), Format::Avro),
            fingerprint(&parse(b).unwrap(), Format::Avro)
        );
        assert!(fingerprint(&parse(a).unwrap(), Format::Avro).starts_with("sha256:"));
    }

    #[test]
    fn defaults_and_data_count_even_when_they_hold_doc_keys() {
        let a = r#"{"type": "record", "name": "R", "fields": [{"name": "m", "type": {"type": "map", "values": "string"}, "default": {"doc": "x"}}]}"#;
        let b = r#"{"type": "record", "name": "R", "fields": [{"name": "m", "type": {"type": "map", "values": "string"}, "default": {}}]}"#;
        assert_ne!(canon(a, Format::Avro), canon(b, Format::Avro));
        let c = r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": 1}]}"#;
        let d = r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": 2}]}"#;
        assert_ne!(canon(c, Format::Avro), canon(d, Format::Avro));
    }

    #[test]
    fn json_schema_annotations_drop_but_properties_named_like_them_stay() {
        let a = r#"{"type": "object", "title": "T", "properties": {"description": {"type": "string", "description": "d"}}}"#;
        let b = r#"{"type": "object", "properties": {"description": {"type": "string"}}}"#;
        let c = r#"{"type": "object", "properties": {}}"#;
        assert_eq!(canon(a, Format::JsonSchema), canon(b, Format::JsonSchema));
        assert_ne!(canon(b, Format::JsonSchema), canon(c, Format::JsonSchema));
        assert_eq!(
            canon(b, Format::JsonSchema),
            r#"{"properties":{"description":{"type":"string"}},"type":"object"}"#
        );
        let e1 = r#"{"enum": [{"title": "x"}]}"#;
        let e2 = r#"{"enum": [{}]}"#;
        assert_ne!(canon(e1, Format::JsonSchema), canon(e2, Format::JsonSchema));
    }

    #[test]
    fn numbers_have_one_spelling() {
        assert_eq!(
            canon(r#"{"maximum": 1.0}"#, Format::JsonSchema),
            canon(r#"{"maximum": 1}"#, Format::JsonSchema)
        );
        assert_eq!(
            canon(r#"{"maximum": 1e2}"#, Format::JsonSchema),
            canon(r#"{"maximum": 100}"#, Format::JsonSchema)
        );
        assert_ne!(
            canon(r#"{"maximum": 1.5}"#, Format::JsonSchema),
            canon(r#"{"maximum": 1}"#, Format::JsonSchema)
        );
    }
}

/// The JSON pointer (into `new`) of the first place where two versions' canonical forms differ,
/// or `None` when they are the same: what `version-modified` points at.
pub fn first_difference(old: &Node, new: &Node, format: Format) -> Option<String> {
    diff_at(old, new, format, Position::Schema, String::new())
}

fn subtree(node: &Node, format: Format, pos: Position) -> String {
    let mut out = String::new();
    write(node, format, pos, &mut out);
    out
}

fn diff_at(old: &Node, new: &Node, format: Format, pos: Position, ptr: String) -> Option<String> {
    if subtree(old, format, pos) == subtree(new, format, pos) {
        return None;
    }
    match (&old.value, &new.value) {
        (Value::Object(a), Value::Object(b)) => {
            let keep = |k: &str| !(pos == Position::Schema && is_doc(k, format));
            for m in b.iter().filter(|m| keep(&m.key)) {
                let child = match pos {
                    Position::Schema => child_position(&m.key, format),
                    Position::SchemaMap => Position::Schema,
                    _ => Position::Data,
                };
                let here = format!(
                    "{ptr}/{}",
                    crate::source::json::escape_pointer_token(&m.key)
                );
                match a.iter().find(|x| x.key == m.key) {
                    None => return Some(here),
                    Some(x) => {
                        if let Some(p) = diff_at(&x.value, &m.value, format, child, here) {
                            return Some(p);
                        }
                    }
                }
            }
            // Something was removed: the object itself is where it changed.
            Some(ptr)
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            let item_pos = match pos {
                Position::Schema | Position::SchemaList => Position::Schema,
                _ => Position::Data,
            };
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| diff_at(x, y, format, item_pos, format!("{ptr}/{i}")))
                .or(Some(ptr))
        }
        _ => Some(ptr),
    }
}

#[cfg(test)]
mod difference_tests {
    use super::*;
    use crate::source::json::parse;

    #[test]
    fn points_at_the_first_change() {
        let a = parse(r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}]}"#).unwrap();
        let b = parse(r#"{"type": "record", "name": "R", "doc": "new doc", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "long"}]}"#).unwrap();
        assert_eq!(
            first_difference(&a, &b, Format::Avro).as_deref(),
            Some("/fields/1/type")
        );
        assert_eq!(first_difference(&a, &a, Format::Avro), None);
        let c =
            parse(r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}"#)
                .unwrap();
        assert_eq!(
            first_difference(&a, &c, Format::Avro).as_deref(),
            Some("/fields")
        );
    }
}
