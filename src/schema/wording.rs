//! JSON Schema validation errors in evreg's words: what the schema expects at the place, what
//! the event holds there, and what to send instead. The validator's own text never reaches users.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

/// How many enum options or property names a message lists before it counts the rest.
const LISTED: usize = 8;

/// Why a value does not fit, and what to send instead (a phrase such as "send an integer" that
/// the place completes).
pub struct Wording {
    pub message: String,
    pub fix: String,
    /// The one property at fault, when the error is about an object's members: the finding
    /// points at it rather than at the whole object.
    pub member: Option<String>,
}

/// The words for one validator error.
pub fn json_error(e: &ValidationError<'_>) -> Wording {
    let found = describe(e.instance());
    let w = |message: String, fix: String| Wording {
        message,
        fix,
        member: None,
    };
    match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let want = types(kind);
            w(
                format!("expected {want}, found {found}"),
                format!("send {want}"),
            )
        }
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            w(
                format!("required property `{name}` is missing"),
                format!("add `{name}`"),
            )
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => Wording {
            message: format!(
                "{} not allowed here: the schema lists the properties this object may have",
                names(unexpected)
            ),
            fix: if unexpected.len() == 1 {
                "remove the property".to_string()
            } else {
                "remove these properties".to_string()
            },
            member: match unexpected.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            },
        },
        ValidationErrorKind::Enum { options } => {
            let listed = list_values(options);
            w(
                format!("expected one of {listed}, found {found}"),
                "send one of the listed values".to_string(),
            )
        }
        ValidationErrorKind::Constant { expected_value } => w(
            format!("expected {expected_value}, found {found}"),
            format!("send {expected_value}"),
        ),
        ValidationErrorKind::Minimum { limit } => bound("at least", limit, &found),
        ValidationErrorKind::ExclusiveMinimum { limit } => bound("more than", limit, &found),
        ValidationErrorKind::Maximum { limit } => bound("at most", limit, &found),
        ValidationErrorKind::ExclusiveMaximum { limit } => bound("less than", limit, &found),
        ValidationErrorKind::MultipleOf { multiple_of } => w(
            format!("expected a multiple of {multiple_of}, found {found}"),
            format!("send a multiple of {multiple_of}"),
        ),
        ValidationErrorKind::MinLength { limit } => size("at least", *limit, "character", &found),
        ValidationErrorKind::MaxLength { limit } => size("at most", *limit, "character", &found),
        ValidationErrorKind::MinItems { limit } => size("at least", *limit, "item", &found),
        ValidationErrorKind::MaxItems { limit } => size("at most", *limit, "item", &found),
        ValidationErrorKind::AdditionalItems { limit } => {
            size("at most", *limit as u64, "item", &found)
        }
        ValidationErrorKind::MinProperties { limit } => {
            size("at least", *limit, "property", &found)
        }
        ValidationErrorKind::MaxProperties { limit } => size("at most", *limit, "property", &found),
        ValidationErrorKind::Pattern { pattern } => w(
            format!(
                "expected a string matching the pattern {}, found {found}",
                crate::suggest::quote(pattern)
            ),
            "send a string the pattern matches".to_string(),
        ),
        ValidationErrorKind::Format { format } => w(
            format!("expected a string in the `{format}` format, found {found}"),
            format!("send a valid `{format}` string"),
        ),
        ValidationErrorKind::UniqueItems => w(
            "expected items that are all different, found a repeated one".to_string(),
            "remove the repeated items".to_string(),
        ),
        ValidationErrorKind::Contains => w(
            format!("expected at least one item the schema's `contains` accepts, found {found}"),
            "add an item of the kind `contains` names".to_string(),
        ),
        ValidationErrorKind::UnevaluatedItems { unexpected } => w(
            format!(
                "{} not allowed here: the schema lists the items this array may have",
                names(unexpected)
            ),
            "drop the extra items".to_string(),
        ),
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            w(
                format!(
                    "{found} fits none of the {} alternatives of `{}`",
                    context.len(),
                    e.kind().keyword()
                ),
                "send a value that fits one of the alternatives".to_string(),
            )
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => w(
            format!("{found} fits more than one alternative of `oneOf`, which allows exactly one"),
            "send a value that fits exactly one alternative".to_string(),
        ),
        ValidationErrorKind::Not { .. } => w(
            format!("{found} fits the schema that `not` forbids here"),
            "send a value the `not` schema rejects".to_string(),
        ),
        ValidationErrorKind::FalseSchema => w(
            "no value is allowed here (the schema is `false`)".to_string(),
            "leave out the value".to_string(),
        ),
        ValidationErrorKind::PropertyNames { error } => w(
            format!(
                "property name {found} is not allowed: {}",
                json_error(error).message
            ),
            "rename the property as `propertyNames` requires".to_string(),
        ),
        ValidationErrorKind::ContentEncoding { content_encoding } => w(
            format!("expected {content_encoding}-encoded content, found {found}"),
            format!("encode the content as {content_encoding}"),
        ),
        ValidationErrorKind::FromUtf8 { .. } => w(
            "the decoded content is not UTF-8 text".to_string(),
            "encode UTF-8 text".to_string(),
        ),
        ValidationErrorKind::ContentMediaType { content_media_type } => w(
            format!("expected content of type {content_media_type}, found {found}"),
            format!("send valid {content_media_type} content"),
        ),
        ValidationErrorKind::BacktrackLimitExceeded { .. }
        | ValidationErrorKind::RegexEngineFailure { .. } => w(
            format!("the schema's pattern could not be decided on {found} (too costly to match)"),
            "simplify the pattern in a new version of the schema".to_string(),
        ),
        ValidationErrorKind::Referencing(_) => w(
            "a `$ref` here could not be resolved".to_string(),
            "fix the reference in the schema (`evreg check` locates it)".to_string(),
        ),
        ValidationErrorKind::Custom { keyword, message } => w(
            format!("`{keyword}`: {message}"),
            format!("send a value `{keyword}` accepts"),
        ),
    }
}

fn bound(relation: &str, limit: &Value, found: &str) -> Wording {
    Wording {
        message: format!("expected a number {relation} {limit}, found {found}"),
        fix: format!("send a number {relation} {limit}"),
        member: None,
    }
}

fn size(relation: &str, limit: u64, unit: &str, found: &str) -> Wording {
    let units = if limit == 1 {
        unit.to_string()
    } else if let Some(stem) = unit.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{unit}s")
    };
    Wording {
        message: format!("expected {relation} {limit} {units}, found {found}"),
        fix: format!("send {relation} {limit} {units}"),
        member: None,
    }
}

/// A JSON type with its article: `an integer`, `null`.
fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "an array",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "an object",
        JsonType::String => "a string",
    }
}

fn types(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => type_name(*t).to_string(),
        TypeKind::Multiple(set) => {
            let all: Vec<&str> = set.iter().map(type_name).collect();
            match all.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => all.join(""),
            }
        }
    }
}

/// What an event holds, as a message names it: `the string `abc``, `the number 5`, `an array of
/// 3 items`.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", crate::suggest::quote(s)),
        Value::Array(a) => format!(
            "an array of {} item{}",
            a.len(),
            if a.len() == 1 { "" } else { "s" }
        ),
        Value::Object(o) => format!(
            "an object with {} propert{}",
            o.len(),
            if o.len() == 1 { "y" } else { "ies" }
        ),
    }
}

fn names(unexpected: &[String]) -> String {
    let shown: Vec<String> = unexpected
        .iter()
        .take(LISTED)
        .map(|n| crate::suggest::quote(n))
        .collect();
    let more = unexpected.len().saturating_sub(LISTED);
    let list = if more > 0 {
        format!("{}, … ({more} more)", shown.join(", "))
    } else {
        shown.join(", ")
    };
    format!(
        "propert{} {list} {}",
        if unexpected.len() == 1 { "y" } else { "ies" },
        if unexpected.len() == 1 { "is" } else { "are" }
    )
}

fn list_values(options: &Value) -> String {
    let Some(all) = options.as_array() else {
        return options.to_string();
    };
    let mut shown: Vec<String> = all.iter().take(LISTED).map(Value::to_string).collect();
    if all.len() > LISTED {
        shown.push(format!("… ({} values)", all.len()));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(schema: Value, instance: Value) -> Vec<(String, String)> {
        let v = jsonschema::validator_for(&schema).unwrap();
        v.iter_errors(&instance)
            .map(|e| {
                let w = json_error(&e);
                (w.message, w.fix)
            })
            .collect()
    }

    #[test]
    fn type_errors_name_the_expected_and_the_found() {
        let got = words(json!({"type": "integer"}), json!("3"));
        assert_eq!(
            got,
            [(
                "expected an integer, found the string `3`".to_string(),
                "send an integer".to_string()
            )]
        );
        let got = words(json!({"type": ["string", "null"]}), json!(1));
        assert_eq!(got[0].0, "expected null or a string, found the number 1");
    }

    #[test]
    fn constraints_say_the_bound_and_the_value() {
        let got = words(json!({"minimum": 1}), json!(0));
        assert_eq!(got[0].0, "expected a number at least 1, found the number 0");
        let got = words(json!({"maxItems": 1}), json!([1, 2]));
        assert_eq!(
            got[0].0,
            "expected at most 1 item, found an array of 2 items"
        );
        let got = words(json!({"required": ["sku"]}), json!({}));
        assert_eq!(got[0].0, "required property `sku` is missing");
        let got = words(
            json!({"properties": {}, "additionalProperties": false}),
            json!({"a": 1, "b": 2}),
        );
        assert_eq!(
            got[0].0,
            "properties `a`, `b` are not allowed here: the schema lists the properties this object may have"
        );
        let got = words(json!({"enum": ["A", "B"]}), json!("C"));
        assert_eq!(
            got[0].0,
            "expected one of \"A\", \"B\", found the string `C`"
        );
    }
}
