//! A version as Apache Avro's Rust library holds it, for replay and for confirming examples:
//! parsed at most once per version (the first use caches it in the `AvroSchema`), and never
//! when Apache Avro could not finish with it.

use crate::schema::avro::{AvroSchema, Kind, TypeId};

pub mod from_json;

impl AvroSchema {
    /// This version as Apache Avro parses it, parsed on first use and kept: confirming the
    /// examples of every pair a version is in, and replaying every fixture, share one parse.
    pub fn apache(&self) -> Result<&ApacheSchema, &str> {
        self.apache
            .get_or_init(|| apache_schema(self))
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Parse a version with Apache Avro; `schema.shared` lists the shared files whose
/// named types it uses.
pub fn apache_schema(schema: &AvroSchema) -> Result<ApacheSchema, String> {
    names::install();
    // Apache Avro resolves every field default while parsing, and reads with the same
    // resolution: such a schema is never handed to it.
    if defaults_may_recurse(schema) {
        return Err(RECURSIVE_DEFAULTS.to_string());
    }
    if schema.shared.is_empty() {
        // Built from evreg's own parse where that gives exactly Apache Avro's schema; the
        // checks of names are Apache Avro's as installed here (a library user's own checks,
        // installed first, leave the text to Apache Avro).
        let built = names::ours()
            .then(|| from_json::build(&schema.json))
            .flatten();
        let main = match built {
            Some(main) => main,
            None => {
                apache_avro::Schema::parse_str(&schema.source.text).map_err(|e| e.to_string())?
            }
        };
        return Ok(ApacheSchema {
            main,
            shared: Vec::new(),
        });
    }
    let shared: Vec<&str> = schema
        .shared
        .iter()
        .map(|f| f.source.text.as_str())
        .collect();
    let (main, shared) = apache_avro::Schema::parse_str_with_list(&schema.source.text, shared)
        .map_err(|e| e.to_string())?;
    Ok(ApacheSchema { main, shared })
}

/// A version as Apache Avro holds it: the schema, and the shared schemas its references name.
#[derive(Debug)]
pub struct ApacheSchema {
    pub main: apache_avro::Schema,
    pub shared: Vec<apache_avro::Schema>,
}

/// Why a schema is not handed to Apache Avro (see `defaults_may_recurse`).
const RECURSIVE_DEFAULTS: &str = "a field default of the schema holds an object and the field's type leads back to its own record: Apache Avro's resolution of such a default may never end, so Apache Avro is not run on it (the compatibility verdict is evreg's own)";

/// Whether Apache Avro's schema resolution may recurse without end on this schema (when parsing
/// it, which checks each default, or reading with it). It resolves a missing field's default against the field's type and, at a union,
/// tries every named branch even after another branch matched; so an object in a default that
/// reaches a union naming the record the field belongs to is resolved as that record, whose
/// missing field takes the same default again, and again, until the stack overflows (found by
/// fuzzing: a process killed by SIGSEGV). Conservative: some record field has a default holding
/// a JSON object, and the field's type leads back to that record. A recursive schema whose
/// defaults are `null`, `[]` or scalars (a tree with `"children": [] `) is read as usual.
pub(crate) fn defaults_may_recurse(schema: &AvroSchema) -> bool {
    fn holds_object(v: &crate::source::json::Node) -> bool {
        v.as_object().is_some() || v.as_array().is_some_and(|a| a.iter().any(holds_object))
    }
    schema
        .types
        .iter()
        .enumerate()
        .any(|(id, t)| match &t.kind {
            Kind::Record(r) => r
                .fields
                .iter()
                .any(|f| f.default.as_ref().is_some_and(holds_object) && reaches(schema, f.ty, id)),
            _ => false,
        })
}

/// Whether type `to` is `from` or lies inside it (through record fields, array items, map
/// values and union branches), found by a walk without recursion.
fn reaches(schema: &AvroSchema, from: TypeId, to: TypeId) -> bool {
    let mut seen = vec![false; schema.types.len()];
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if std::mem::replace(&mut seen[id], true) {
            continue;
        }
        match &schema.types[id].kind {
            Kind::Array(t) | Kind::Map(t) => stack.push(*t),
            Kind::Union(branches) => stack.extend(branches),
            Kind::Record(r) => stack.extend(r.fields.iter().map(|f| f.ty)),
            _ => {}
        }
    }
    false
}

/// Apache Avro checks every name it parses with a regular expression, the largest part of its
/// parsing time (~9% of `evreg check` on 2,000 Avro pairs, each pair's examples confirmed by
/// parsing both schemas). The same rules of the specification as plain code, installed once
/// before the first parse; evreg's own parser has already checked every name.
pub(crate) mod names {
    use apache_avro::AvroResult;
    use apache_avro::error::Details;
    use apache_avro::validator::{
        EnumSymbolNameValidator, RecordFieldNameValidator, SchemaNameValidator,
        SchemaNamespaceValidator,
    };

    /// What Apache Avro's own messages show for a bad full name and namespace.
    const FULL_NAME: &str = r"^((?P<namespace>([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)?)\.)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)$";
    const NAMESPACE: &str = r"^([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)?$";

    /// `[A-Za-z_][A-Za-z0-9_]*`
    pub fn is_name(s: &str) -> bool {
        let mut bytes = s.bytes();
        bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    /// Empty, or names joined by dots.
    pub fn is_namespace(s: &str) -> bool {
        s.is_empty() || s.split('.').all(is_name)
    }

    struct Spec;

    impl SchemaNameValidator for Spec {
        fn validate(&self, full: &str) -> AvroResult<usize> {
            let start = full.rfind('.').map_or(0, |i| i + 1);
            let namespace_ok = start == 0 || is_namespace(&full[..start - 1]);
            if namespace_ok && is_name(&full[start..]) {
                Ok(start)
            } else {
                Err(Details::InvalidSchemaName(full.to_string(), FULL_NAME).into())
            }
        }
    }

    impl SchemaNamespaceValidator for Spec {
        fn validate(&self, namespace: &str) -> AvroResult<()> {
            if is_namespace(namespace) {
                Ok(())
            } else {
                Err(Details::InvalidNamespace(namespace.to_string(), NAMESPACE).into())
            }
        }
    }

    impl EnumSymbolNameValidator for Spec {
        fn validate(&self, symbol: &str) -> AvroResult<()> {
            if is_name(symbol) {
                Ok(())
            } else {
                Err(Details::EnumSymbolName(symbol.to_string()).into())
            }
        }
    }

    impl RecordFieldNameValidator for Spec {
        fn validate(&self, name: &str) -> AvroResult<()> {
            if is_name(name) {
                Ok(())
            } else {
                Err(Details::FieldName(name.to_string()).into())
            }
        }
    }

    /// Whether these rules are the ones Apache Avro applies (set by `install`, not by a
    /// library user before it).
    static OURS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

    pub fn install() {
        OURS.get_or_init(|| {
            // Already set (by a library user, first) is fine: theirs stays.
            [
                apache_avro::validator::set_schema_name_validator(Box::new(Spec)).is_ok(),
                apache_avro::validator::set_schema_namespace_validator(Box::new(Spec)).is_ok(),
                apache_avro::validator::set_enum_symbol_name_validator(Box::new(Spec)).is_ok(),
                apache_avro::validator::set_record_field_name_validator(Box::new(Spec)).is_ok(),
            ]
            .iter()
            .all(|&set| set)
        });
    }

    /// Whether Apache Avro checks names by these rules (after `install`).
    pub fn ours() -> bool {
        OURS.get().copied().unwrap_or(false)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// The plain-code rules accept exactly what Apache Avro's regular expressions accept.
        #[test]
        fn names_follow_the_specification_as_the_regular_expressions_do() {
            let full = regex::Regex::new(FULL_NAME).unwrap();
            let namespace = regex::Regex::new(NAMESPACE).unwrap();
            let field = regex::Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").unwrap();
            let parts = [
                "", "a", "_", "A1", "1a", "a-b", "é", "a.b", ".", "..", "a.", ".a", "a..b",
                "a.b.c", "_.__", "a1.2b",
            ];
            let mut cases: Vec<String> = Vec::new();
            for x in parts {
                for y in parts {
                    cases.push(format!("{x}{y}"));
                    cases.push(format!("{x}.{y}"));
                }
            }
            for c in &cases {
                let ours = Spec.validate_full(c);
                let theirs = full.captures(c).map(|m| m.name("name").unwrap().start());
                assert_eq!(ours, theirs, "full name {c:?}");
                assert_eq!(is_namespace(c), namespace.is_match(c), "namespace {c:?}");
                assert_eq!(is_name(c), field.is_match(c), "name {c:?}");
            }
        }

        impl Spec {
            fn validate_full(&self, s: &str) -> Option<usize> {
                SchemaNameValidator::validate(self, s).ok()
            }
        }
    }
}
