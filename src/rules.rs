//! The rule catalogue: every finding names one of these. Ids are stable: never reused or renamed.
//! `evreg rules` lists them, `evreg explain RULE` prints one with a bad and a good example.
//! Each names the functions that emit it (`emitted_by`, linked from docs/rules.md), so a reader
//! goes from a rule id to its code in one step.

/// How much a finding matters; a rule's default, which evreg.yaml may change per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Compatibility,
    Lint,
    Layout,
    Integrity,
    Fixture,
    Envelope,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Compatibility => "compatibility",
            Category::Lint => "lint",
            Category::Layout => "layout",
            Category::Integrity => "integrity",
            Category::Fixture => "fixture",
            Category::Envelope => "envelope",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub category: Category,
    /// The severity of its findings, unless evreg.yaml's `rules:` sets another.
    pub severity: Severity,
    /// Off unless evreg.yaml's `rules:` names it (at any severity): a lint many registries do not
    /// want, whose findings would bury the rest of a report.
    pub opt_in: bool,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub bad: &'static str,
    pub good: &'static str,
    /// The functions that emit it, as `file::function` (none: the id is kept, never reused).
    pub emitted_by: &'static [&'static str],
}

/// `opt_in` after a rule's severity marks it [`Rule::opt_in`].
impl Rule {
    /// Its severity when evreg.yaml does not name it (`None`: off).
    pub fn default_level(&self) -> Option<Severity> {
        (!self.opt_in).then_some(self.severity)
    }

    /// Its default as `evreg rules` and the catalogue's table show it: a severity, or `off`.
    pub fn default_label(&self) -> &'static str {
        self.default_level().map_or("off", Severity::as_str)
    }

    /// Its default in words: `error by default`, or `off by default; info when turned on …`.
    pub fn default_text(&self) -> String {
        if self.opt_in {
            format!(
                "off by default; {} when turned on in evreg.yaml",
                self.severity
            )
        } else {
            format!("{} by default", self.severity)
        }
    }
}

macro_rules! opt_in {
    () => {
        false
    };
    (opt_in) => {
        true
    };
}

macro_rules! rules {
    ($( $ident:ident { $id:literal, $cat:ident, $sev:ident, $($opt_in:ident,)? $summary:literal, $expl:literal, bad: $bad:literal, good: $good:literal, emitted_by: [$($by:literal),*] } )*) => {
        $( pub static $ident: Rule = Rule {
            id: $id,
            category: Category::$cat,
            severity: Severity::$sev,
            opt_in: opt_in!($($opt_in)?),
            summary: $summary,
            explanation: $expl,
            bad: $bad,
            good: $good,
            emitted_by: &[$($by),*],
        }; )*
        /// Every rule, in catalogue order.
        pub static ALL: &[&Rule] = &[$( &$ident ),*];
    };
}

rules! {
    AVRO_TYPE_MISMATCH { "avro-type-mismatch", Compatibility, Error,
        "the reader's type cannot read the writer's type",
        "Avro resolves a writer's value into the reader's type only when both have the same type or \
the writer's type promotes to the reader's: int to long, float or double; long to float or double; \
float to double; string to bytes and bytes to string. Any other change of type (a narrowing such as \
long to int, or string to int) makes the reader fail on every record written before.",
        bad: r#"v1: {"name": "quantity", "type": "long"}
v2: {"name": "quantity", "type": "int"}      long data cannot be read as int"#,
        good: r#"v1: {"name": "quantity", "type": "int"}
v2: {"name": "quantity", "type": "long"}     int promotes to long
(to narrow a type, add a new field and deprecate the old one, or publish a new subject)"#,
        emitted_by: ["src/compat/avro/mod.rs::type_mismatch"] }

    AVRO_FIELD_MISSING_DEFAULT { "avro-field-missing-default", Compatibility, Error,
        "a reader field is absent from the writer and has no default",
        "When the reader schema has a field the writer schema lacks, Avro fills it from the reader \
field's default. Without a default, reading fails. Under BACKWARD this is a field added without a \
default; under FORWARD it is a field removed from the new version that old readers still need.",
        bad: r#"v1: {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}
v2: adds {"name": "currency", "type": "string"}"#,
        good: r#"v2: adds {"name": "currency", "type": "string", "default": "EUR"}
or, for an optional value: {"name": "coupon", "type": ["null", "string"], "default": null}"#,
        emitted_by: ["src/compat/avro/mod.rs::field_missing_default"] }

    AVRO_ENUM_SYMBOL_MISSING { "avro-enum-symbol-missing", Compatibility, Error,
        "the writer's enum has symbols the reader's enum lacks, and the reader has no enum default",
        "A reader that meets a symbol it does not know fails, unless its enum declares a `default` \
symbol to use instead. Under BACKWARD this is a symbol removed; under FORWARD a symbol added. Give the \
enum a default (in every version that reads other versions' data) before adding symbols.",
        bad: r#"v1: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}
v2: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "REFUNDED"]}   (FORWARD: v1 cannot read REFUNDED)"#,
        good: r#"v1: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "UNKNOWN"], "default": "UNKNOWN"}
v2: {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "UNKNOWN", "REFUNDED"], "default": "UNKNOWN"}"#,
        emitted_by: ["src/compat/avro/mod.rs::enum_symbol_missing"] }

    AVRO_UNION_BRANCH_MISSING { "avro-union-branch-missing", Compatibility, Error,
        "a type the writer may write has no matching branch in the reader",
        "Each branch of a writer's union must resolve against the reader (against some branch if the \
reader is a union too), and a non-union writer type must resolve against some branch of a reader \
union. Removing a branch, or making an optional field required (`[\"null\", T]` to `T`), breaks readers \
of data that used the removed branch.",
        bad: r#"v1: {"name": "coupon", "type": ["null", "string"], "default": null}
v2: {"name": "coupon", "type": "string"}          v1 data may hold null"#,
        good: r#"v2: keep {"name": "coupon", "type": ["null", "string"], "default": null}
(adding a branch is backward compatible: ["null", "string", "int"])"#,
        emitted_by: ["src/compat/avro/mod.rs::report_branch"] }

    AVRO_FIXED_SIZE_MISMATCH { "avro-fixed-size-mismatch", Compatibility, Error,
        "the fixed types have different sizes",
        "A fixed value is exactly `size` bytes; a reader cannot read a fixed of another size.",
        bad: r#"v1: {"type": "fixed", "name": "Hash", "size": 16}
v2: {"type": "fixed", "name": "Hash", "size": 32}"#,
        good: r#"v2: add a new field {"name": "hash256", "type": {"type": "fixed", "name": "Hash256", "size": 32}, ...}"#,
        emitted_by: ["src/compat/avro/mod.rs::fixed_size_mismatch"] }

    AVRO_NAME_MISMATCH { "avro-name-mismatch", Compatibility, Error,
        "the named types (record, enum, fixed) have different names and no alias links them",
        "Avro matches named types by unqualified name, or by an alias of the reader's type that names \
the writer's full name. A rename without an alias breaks resolution. A change of namespace alone is \
compatible.",
        bad: r#"v1: {"type": "record", "name": "Address", ...}
v2: {"type": "record", "name": "PostalAddress", ...}"#,
        good: r#"v2: {"type": "record", "name": "PostalAddress", "aliases": ["com.example.Address"], ...}"#,
        emitted_by: ["src/compat/avro/mod.rs::report_names"] }

    AVRO_DECIMAL_MISMATCH { "avro-decimal-mismatch", Compatibility, Error,
        "decimal precision or scale differs",
        "The Avro specification matches two decimals only when precision and scale are equal. A decimal \
stores an unscaled integer; read with another scale, 19.99 (1999 at scale 2) becomes 1.999 or 199.9 — \
amounts silently change by powers of ten. A narrower precision cannot hold every amount the writer may \
write. Apache Avro's Java checker does not catch either; evreg does (errors). A wider precision at the \
same scale keeps every amount exact, so it is only a warning: the specification still calls the two \
unmatched, and a reader that resolves to the letter may refuse the data.",
        bad: r#"v1: {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}
v2: {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 4}"#,
        good: r#"keep precision and scale; for more digits add a new field (amountPrecise) and deprecate the old one"#,
        emitted_by: ["src/compat/avro/mod.rs::decimal_mismatch"] }

    AVRO_LOGICAL_TYPE_CHANGED { "avro-logical-type-changed", Compatibility, Warning,
        "the logical type changed while the underlying type still resolves",
        "The bytes still decode, but the reader interprets them differently: a long read as \
timestamp-micros where timestamp-millis was written is off by a factor of 1000; bytes read as a \
decimal were never meant as one.",
        bad: r#"v1: {"type": "long", "logicalType": "timestamp-millis"}
v2: {"type": "long", "logicalType": "timestamp-micros"}"#,
        good: r#"keep the logical type; add a new field for the new unit"#,
        emitted_by: ["src/compat/avro/mod.rs::report_logical"] }

    JSON_TYPE_NARROWED { "json-type-narrowed", Compatibility, Error,
        "the reader accepts fewer JSON types than the writer may write",
        "A value's type must be one the reader's `type` allows. Removing a type (`[\"string\", \"null\"]` to \
`\"string\"`), changing it (`string` to `integer`), narrowing `number` to `integer`, or giving a type to a \
place that had none (`{}` or `true` accepts anything) rejects data the writer produced. `integer` widening \
to `number` is compatible.",
        bad: r#"v1: {"properties": {"note": {"type": ["string", "null"]}}}
v2: {"properties": {"note": {"type": "string"}}}       v1 data may hold "note": null"#,
        good: r#"v2: {"properties": {"note": {"type": ["string", "null"]}}}
(widening is safe: "integer" → "number", "string" → ["string", "null"])"#,
        emitted_by: ["src/compat/json/types.rs::values_rejected", "src/compat/json/types.rs::type_narrowed", "src/compat/json/walk.rs::reader_accepts_nothing"] }

    JSON_ENUM_NARROWED { "json-enum-narrowed", Compatibility, Error,
        "the reader's `enum` lacks a value the writer may write",
        "An `enum` lists every accepted value. Removing a value, or adding an `enum` where any value \
was allowed, rejects data that holds the other values. Adding values widens the set (backward compatible, \
forward incompatible).",
        bad: r#"v1: {"enum": ["NEW", "PAID", "REFUNDED"]}
v2: {"enum": ["NEW", "PAID"]}          v1 data may hold "REFUNDED""#,
        good: r#"v2: {"enum": ["NEW", "PAID", "REFUNDED", "CANCELLED"]}   (adding is backward compatible)"#,
        emitted_by: ["src/compat/json/types.rs::values_rejected", "src/compat/json/types.rs::values_listed"] }

    JSON_CONST_CHANGED { "json-const-changed", Compatibility, Error,
        "the reader's `const` differs from what the writer may write",
        "`const` accepts exactly one value. Changing it, or adding it where other values were allowed, \
rejects every other value the writer produced.",
        bad: r#"v1: {"properties": {"kind": {"const": "refund"}}}
v2: {"properties": {"kind": {"const": "refund.v2"}}}"#,
        good: r#"keep the const; a different kind of event is a new subject"#,
        emitted_by: ["src/compat/json/types.rs::values_rejected", "src/compat/json/types.rs::values_listed"] }

    JSON_FORMAT_CHANGED { "json-format-changed", Compatibility, Warning,
        "the reader declares a `format` the writer did not",
        "`format` is an annotation by default (drafts 2019-09 and 2020-12, and how most validators run): it \
does not change which instances are valid, so the change is compatible under set semantics. But readers \
that assert formats (or generated code that parses `date-time`) will reject values the writer never \
promised to format that way.",
        bad: r#"v1: {"type": "string"}
v2: {"type": "string", "format": "date-time"}"#,
        good: r#"declare the format from the first version, or add a new property with the format"#,
        emitted_by: ["src/compat/json/strings.rs::format_changed"] }

    JSON_MIN_LENGTH_INCREASED { "json-min-length-increased", Compatibility, Error,
        "the reader's `minLength` is larger than the writer's",
        "Strings shorter than the reader's `minLength` that the writer allowed are rejected.",
        bad: r#"v1: {"type": "string", "minLength": 1}
v2: {"type": "string", "minLength": 3}      "ab" is valid under v1 only"#,
        good: r#"v2: {"type": "string", "minLength": 1}   (lowering minLength is backward compatible)"#,
        emitted_by: ["src/compat/json/strings.rs::min_length_increased", "src/compat/json/types.rs::values_rejected"] }

    JSON_MAX_LENGTH_DECREASED { "json-max-length-decreased", Compatibility, Error,
        "the reader's `maxLength` is smaller than the writer's (or new)",
        "Strings longer than the reader's `maxLength` that the writer allowed are rejected. Adding a \
`maxLength` where there was none is a decrease from unbounded.",
        bad: r#"v1: {"type": "string", "maxLength": 64}
v2: {"type": "string", "maxLength": 32}"#,
        good: r#"v2: {"type": "string", "maxLength": 128}   (raising maxLength is backward compatible)"#,
        emitted_by: ["src/compat/json/strings.rs::max_length_decreased", "src/compat/json/types.rs::values_rejected"] }

    JSON_PATTERN_CHANGED { "json-pattern-changed", Compatibility, Error,
        "the reader's `pattern` rejects strings the writer allows",
        "evreg compares patterns by the strings they match: for the regular part of ECMA-262 (literals, \
classes, anchors, groups, alternatives, repetition; leading lookaheads) it explores both patterns' \
automata together and either shows the reader's pattern matches every string the writer's does (an \
anchor dropped, an alternative added, a lookahead removed: compatible) or finds a shortest string it \
does not, the example. Patterns it cannot compare (backreferences, word boundaries) are \
`json-undecidable` unless an example shows the break.",
        bad: r#"v1: {"type": "string", "pattern": "^[A-Z]{3}$"}
v2: {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"}"#,
        good: r#"keep the pattern; remove it to widen; for a new format add a new property"#,
        emitted_by: ["src/compat/json/strings.rs::report_pattern", "src/compat/json/types.rs::values_rejected"] }

    JSON_MINIMUM_INCREASED { "json-minimum-increased", Compatibility, Error,
        "the reader's lower bound (`minimum`/`exclusiveMinimum`) is higher than the writer's (or new)",
        "Numbers between the writer's lower bound and the reader's are rejected. `exclusiveMinimum` is \
compared with its openness: `minimum: 0` to `exclusiveMinimum: 0` rejects 0 (and for integers, \
`exclusiveMinimum: 0` equals `minimum: 1`). Both the draft-04 boolean form and the numeric form are read.",
        bad: r#"v1: {"type": "integer", "minimum": 0}
v2: {"type": "integer", "minimum": 1}       0 is valid under v1 only"#,
        good: r#"v2: {"type": "integer", "minimum": -10}   (lowering it is backward compatible)"#,
        emitted_by: ["src/compat/json/numbers.rs::minimum_increased", "src/compat/json/types.rs::values_rejected"] }

    JSON_MAXIMUM_DECREASED { "json-maximum-decreased", Compatibility, Error,
        "the reader's upper bound (`maximum`/`exclusiveMaximum`) is lower than the writer's (or new)",
        "Numbers between the reader's upper bound and the writer's are rejected.",
        bad: r#"v1: {"type": "number", "maximum": 100}
v2: {"type": "number", "exclusiveMaximum": 100}      100 is valid under v1 only"#,
        good: r#"v2: {"type": "number", "maximum": 1000}"#,
        emitted_by: ["src/compat/json/numbers.rs::maximum_decreased", "src/compat/json/types.rs::values_rejected"] }

    JSON_MULTIPLE_OF_CHANGED { "json-multiple-of-changed", Compatibility, Error,
        "the reader's `multipleOf` does not divide every value the writer allows",
        "A reader with `multipleOf: d` accepts a writer with `multipleOf: m` only when m is a multiple of d: \
a finer divisor accepts a coarser one (0.01 accepts 0.05, 1 accepts 5), not the reverse.",
        bad: r#"v1: {"type": "number", "multipleOf": 0.01}
v2: {"type": "number", "multipleOf": 0.05}      0.01 is valid under v1 only"#,
        good: r#"v2: {"type": "number", "multipleOf": 0.001}   (finer: backward compatible)"#,
        emitted_by: ["src/compat/json/numbers.rs::multiple_of_changed", "src/compat/json/types.rs::values_rejected"] }

    JSON_PROPERTY_ADDED_TO_OPEN_MODEL { "json-property-added-to-open-model", Compatibility, Error,
        "a property with constraints is new in the reader, but the writer's object is open",
        "An open content model (no `additionalProperties`, or `true`) lets writers put any value under \
any name. A reader that adds property `note` with a type rejects old data that used `note` for something \
else. Confluent's lenient policy (`policy: lenient`) passes an optional added property as a warning.",
        bad: r#"v1: {"type": "object", "properties": {"id": {"type": "string"}}}
v2: adds "note": {"type": "string"}       {"id": "a", "note": 5} is valid under v1 only"#,
        good: r#"close the model in v1 ("additionalProperties": false), then adding an optional property is safe;
or use policy: lenient if no producer ever wrote undeclared properties"#,
        emitted_by: ["src/compat/json/objects.rs::property_added"] }

    JSON_PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL { "json-property-added-to-partially-open-model", Compatibility, Error,
        "a property is new in the reader, and the writer's `additionalProperties`/`patternProperties` schema allows values the new property rejects",
        "In a partially open model, undeclared properties must match the `additionalProperties` (or a \
matching `patternProperties`/`unevaluatedProperties`) schema. Adding a property is safe only when that \
schema covers the new property's schema.",
        bad: r#"v1: {"additionalProperties": {"type": "string"}}
v2: adds "count": {"type": "integer"}      {"count": "x"} is valid under v1 only"#,
        good: r#"v2: adds "label": {"type": "string"}   (the additionalProperties schema covers it)"#,
        emitted_by: ["src/compat/json/objects.rs::property_added"] }

    JSON_PROPERTY_REMOVED_FROM_CLOSED_MODEL { "json-property-removed-from-closed-model", Compatibility, Error,
        "a property the writer may write is gone from the reader, whose model is closed",
        "With `additionalProperties: false` the reader rejects every undeclared property, so removing a \
property rejects old data that had it. Confluent's lenient policy passes this as a warning.",
        bad: r#"v1: {"properties": {"id": {}, "note": {}}, "additionalProperties": false}
v2: {"properties": {"id": {}}, "additionalProperties": false}"#,
        good: r#"keep the property (mark it deprecated in its description) while any writer may send it"#,
        emitted_by: ["src/compat/json/objects.rs::property_removed"] }

    JSON_PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL { "json-property-removed-from-partially-open-model", Compatibility, Error,
        "a property the writer may write is gone from the reader, and the reader's additional/pattern schema does not accept its values",
        "After a removal, the property falls under the reader's `additionalProperties` (or matching \
`patternProperties`/`unevaluatedProperties`) schema, which must accept every value the writer allowed \
there.",
        bad: r#"v1: {"properties": {"n": {"type": "integer"}}, "additionalProperties": {"type": "string"}}
v2: {"additionalProperties": {"type": "string"}}"#,
        good: r#"keep the property, or make the additionalProperties schema accept its values"#,
        emitted_by: ["src/compat/json/objects.rs::property_removed"] }

    JSON_ADDITIONAL_PROPERTIES_NARROWED { "json-additional-properties-narrowed", Compatibility, Error,
        "the reader accepts fewer undeclared properties than the writer",
        "Closing an open model (`additionalProperties: false`, or `unevaluatedProperties: false`), or \
narrowing the schema of undeclared properties, rejects data whose extra properties the writer allowed.",
        bad: r#"v1: {"type": "object"}
v2: {"type": "object", "additionalProperties": false}"#,
        good: r#"close the model in the first version; later, declare every property writers may send"#,
        emitted_by: ["src/compat/json/objects.rs::additional_properties_narrowed"] }

    JSON_PATTERN_PROPERTIES_CHANGED { "json-pattern-properties-changed", Compatibility, Error,
        "the reader's `patternProperties` may reject properties the writer allows",
        "evreg compares `patternProperties` by pattern text: a new or changed pattern, or a narrower schema \
under the same pattern, may reject properties the writer allowed (whether two patterns overlap is not \
decided).",
        bad: r#"v1: {"patternProperties": {"^x-": {"type": "string"}}}
v2: {"patternProperties": {"^x-": {"type": "string", "maxLength": 8}}}"#,
        good: r#"keep each pattern and its schema; widen the schema if needed"#,
        emitted_by: ["src/compat/json/objects.rs::pattern_properties_finding"] }

    JSON_REQUIRED_ADDED { "json-required-added", Compatibility, Error,
        "the reader requires a property the writer does not",
        "Data written without the property is rejected. Under BACKWARD this is a newly required property; \
under FORWARD, a property no longer required by the new version that old readers still require.",
        bad: r#"v1: {"required": ["id"]}
v2: {"required": ["id", "currency"]}       {"id": "a"} is valid under v1 only"#,
        good: r#"add the property as optional; require it in a new subject, or once every writer sends it (FORWARD)"#,
        emitted_by: ["src/compat/json/objects.rs::required_added", "src/compat/json/types.rs::values_rejected"] }

    JSON_DEPENDENT_REQUIRED_ADDED { "json-dependent-required-added", Compatibility, Error,
        "the reader requires a property when another is present (`dependentRequired`/`dependencies`), the writer does not",
        "Data that has the trigger property without the dependent one is rejected.",
        bad: r#"v1: {"properties": {"card": {}, "expiry": {}}}
v2: adds "dependentRequired": {"card": ["expiry"]}"#,
        good: r#"declare the dependency from the first version"#,
        emitted_by: ["src/compat/json/objects.rs::dependent_required_added", "src/compat/json/types.rs::values_rejected"] }

    JSON_DEPENDENT_SCHEMA_ADDED { "json-dependent-schema-added", Compatibility, Error,
        "the reader applies a `dependentSchemas`/`dependencies` schema the writer does not satisfy",
        "When the trigger property is present, the whole object must match the dependent schema; the \
writer's data was never held to it.",
        bad: r#"v2: adds "dependentSchemas": {"card": {"required": ["expiry"]}}"#,
        good: r#"declare the dependent schema from the first version"#,
        emitted_by: ["src/compat/json/combinators.rs::dependent_schema_added"] }

    JSON_MIN_PROPERTIES_INCREASED { "json-min-properties-increased", Compatibility, Error,
        "the reader's `minProperties` is larger than the writer guarantees",
        "Objects with fewer properties than the reader's `minProperties` are rejected.",
        bad: r#"v1: {"type": "object"}
v2: {"type": "object", "minProperties": 1}       {} is valid under v1 only"#,
        good: r#"keep minProperties at most the number of required properties the writer has"#,
        emitted_by: ["src/compat/json/objects.rs::min_properties_increased", "src/compat/json/types.rs::values_rejected"] }

    JSON_MAX_PROPERTIES_DECREASED { "json-max-properties-decreased", Compatibility, Error,
        "the reader's `maxProperties` is smaller than the writer's (or new)",
        "Objects with more properties than the reader's `maxProperties` are rejected.",
        bad: r#"v1: {"maxProperties": 10}
v2: {"maxProperties": 5}"#,
        good: r#"v2: {"maxProperties": 20}"#,
        emitted_by: ["src/compat/json/objects.rs::max_properties_decreased", "src/compat/json/types.rs::values_rejected"] }

    JSON_PROPERTY_NAMES_NARROWED { "json-property-names-narrowed", Compatibility, Error,
        "the reader's `propertyNames` may reject names the writer allows",
        "Every property name must match the reader's `propertyNames` schema.",
        bad: r#"v1: {"type": "object"}
v2: {"type": "object", "propertyNames": {"maxLength": 8}}"#,
        good: r#"declare propertyNames from the first version, or close the model"#,
        emitted_by: ["src/compat/json/objects.rs::property_names_narrowed"] }

    JSON_ITEMS_NARROWED { "json-items-narrowed", Compatibility, Error,
        "the reader accepts fewer array items (positions) than the writer",
        "The reader's `items: false` (or `additionalItems: false`, `unevaluatedItems: false`) after a shorter \
tuple rejects arrays the writer allowed to be longer.",
        bad: r#"v1: {"prefixItems": [{"type": "string"}]}
v2: {"prefixItems": [{"type": "string"}], "items": false}      ["a", 1] is valid under v1 only"#,
        good: r#"keep the tuple open, or close it from the first version"#,
        emitted_by: ["src/compat/json/arrays.rs::items_narrowed"] }

    JSON_MIN_ITEMS_INCREASED { "json-min-items-increased", Compatibility, Error,
        "the reader's `minItems` is larger than the writer's",
        "Arrays shorter than the reader's `minItems` are rejected.",
        bad: r#"v1: {"type": "array"}
v2: {"type": "array", "minItems": 1}      [] is valid under v1 only"#,
        good: r#"v2: {"type": "array", "minItems": 0}"#,
        emitted_by: ["src/compat/json/arrays.rs::min_items_increased", "src/compat/json/types.rs::values_rejected"] }

    JSON_MAX_ITEMS_DECREASED { "json-max-items-decreased", Compatibility, Error,
        "the reader's `maxItems` is smaller than the writer's (or new)",
        "Arrays longer than the reader's `maxItems` are rejected.",
        bad: r#"v1: {"type": "array", "maxItems": 100}
v2: {"type": "array", "maxItems": 10}"#,
        good: r#"v2: {"type": "array", "maxItems": 1000}"#,
        emitted_by: ["src/compat/json/arrays.rs::max_items_decreased", "src/compat/json/types.rs::values_rejected"] }

    JSON_UNIQUE_ITEMS_ADDED { "json-unique-items-added", Compatibility, Error,
        "the reader requires unique items, the writer does not",
        "Arrays with repeated items that the writer allowed are rejected.",
        bad: r#"v1: {"type": "array"}
v2: {"type": "array", "uniqueItems": true}     [1, 1] is valid under v1 only"#,
        good: r#"require uniqueness from the first version"#,
        emitted_by: ["src/compat/json/arrays.rs::unique_items_added", "src/compat/json/types.rs::values_rejected"] }

    JSON_CONTAINS_NARROWED { "json-contains-narrowed", Compatibility, Error,
        "the reader's `contains` (with `minContains`/`maxContains`) is not guaranteed by the writer",
        "The reader requires a number of items matching its `contains` schema; the writer must guarantee \
at least as many matching items (and at most `maxContains`).",
        bad: r#"v1: {"type": "array"}
v2: {"type": "array", "contains": {"const": "primary"}}      [] is valid under v1 only"#,
        good: r#"declare contains from the first version, with the same or a wider schema"#,
        emitted_by: ["src/compat/json/arrays.rs::contains_narrowed", "src/compat/json/types.rs::values_rejected"] }

    JSON_ANY_OF_NARROWED { "json-any-of-narrowed", Compatibility, Error,
        "no branch of the reader's `anyOf` accepts some value the writer allows",
        "Each writer value must match at least one branch of the reader's `anyOf`. Removing a branch, or \
narrowing the branch that matched, rejects data. Adding a branch widens.",
        bad: r#"v1: {"anyOf": [{"type": "string"}, {"type": "integer"}]}
v2: {"anyOf": [{"type": "string"}]}"#,
        good: r#"v2: {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}"#,
        emitted_by: ["src/compat/json/combinators.rs::branch_missing", "src/compat/json/types.rs::values_rejected"] }

    JSON_ONE_OF_NARROWED { "json-one-of-narrowed", Compatibility, Error,
        "a writer value may match no branch, or more than one branch, of the reader's `oneOf`",
        "`oneOf` requires exactly one matching branch. Removing a branch narrows; adding a branch is safe \
only when it is disjoint from the others (different types, or a different `const` discriminator), \
otherwise a value may now match two branches and be rejected.",
        bad: r#"v1: {"oneOf": [{"type": "string"}, {"type": "integer"}]}
v2: {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}]}    1 matches two branches"#,
        good: r#"v2: {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}   (disjoint branch)"#,
        emitted_by: ["src/compat/json/combinators.rs::branch_missing", "src/compat/json/types.rs::values_rejected"] }

    JSON_NOT_CHANGED { "json-not-changed", Compatibility, Error,
        "the reader's `not` may exclude values the writer allows",
        "A reader with `not: S` rejects everything S accepts; the writer's values must be provably outside \
S (for example the writer has the same `not`, or a type S does not accept).",
        bad: r#"v1: {"type": "string"}
v2: {"type": "string", "not": {"const": ""}}      "" is valid under v1 only"#,
        good: r#"declare the exclusion from the first version"#,
        emitted_by: ["src/compat/json/combinators.rs::not_changed", "src/compat/json/types.rs::values_rejected"] }

    JSON_CONDITIONAL_CHANGED { "json-conditional-changed", Compatibility, Error,
        "the reader's `if`/`then`/`else` may reject values the writer allows",
        "Where the reader's `if` holds, values must match `then`, elsewhere `else`. evreg proves this when \
the writer has the same condition with narrower branches, when the writer's values all match the \
branch, or when they cannot match the condition.",
        bad: r#"v2: adds "if": {"properties": {"method": {"const": "card"}}}, "then": {"required": ["last4"]}"#,
        good: r#"declare the conditional from the first version; later only widen its branches"#,
        emitted_by: ["src/compat/json/combinators.rs::conditional_changed", "src/compat/json/types.rs::values_rejected"] }

    JSON_UNDECIDABLE { "json-undecidable", Compatibility, Error,
        "evreg cannot decide this construct; review the change by hand",
        "Some constructs are outside what evreg decides structurally: `$dynamicRef`/`$recursiveRef`, \
combinations that expand into too many alternatives (writer values that form a finite set, such as \
`oneOf` of `const` branches, are decided value by value however many there are), nesting deeper than \
the engine follows, a `pattern` outside the regular part of ECMA-262 (a backreference, a word \
boundary) where no example shows a break. Rather than pass them silently, evreg names the construct; as it cannot show the \
reader accepts the writer, the pair is not called compatible. Once the change is reviewed by hand, \
accept it with an `allow` entry, or lower the rule's severity in evreg.yaml (`rules: \
{json-undecidable: warning}`).",
        bad: r##"{"$dynamicRef": "#node"}"##,
        good: r#"use a plain $ref where the schema is not meant to be extended"#,
        emitted_by: ["src/compat/json/strings.rs::report_pattern", "src/compat/json/walk.rs::undecidable", "src/compat/json/walk.rs::undecidable_w"] }

    JSON_SCHEMA_INVALID { "json-schema-invalid", Layout, Error,
        "the JSON Schema is invalid or a `$ref` cannot be resolved",
        "The file is JSON but not a schema evreg can compare: a keyword with the wrong type (`\"maxLength\": \
\"5\"`), an unknown type name, a regular expression that does not compile, a `$ref` to nothing, to a \
remote URL (evreg never fetches) or outside the registry, or a `$ref` cycle with no structure in between.",
        bad: r##"{"type": "object", "properties": {"amount": {"$ref": "#/$defs/Mony"}}, "$defs": {"Money": {}}}"##,
        good: r##"{"type": "object", "properties": {"amount": {"$ref": "#/$defs/Money"}}, "$defs": {"Money": {}}}"##,
        emitted_by: ["src/schema/json.rs::invalid", "src/schema/json.rs::draft_of"] }

    JSON_KEYWORD_OTHER_DRAFT { "json-keyword-other-draft", Compatibility, Error,
        "a keyword of another JSON Schema draft is ignored under the draft the file is read with",
        "Each draft defines its own keywords; a validator ignores the others as unknown annotations. A \
file without `$schema` is read with the registry's `json-schema-draft` (evreg.yaml, or the subject's \
subject.yaml; 2020-12 when unset), so `dependencies` in a draft-07 schema read as 2020-12 constrains \
nothing, and a change to it would pass every check. evreg reports each such keyword (and, before \
2019-09, each keyword beside a `$ref`, which those drafts ignore) instead of skipping it. Declare the \
draft with `$schema`, set `json-schema-draft`, or write the keyword of the draft in force.",
        bad: r#"evreg.yaml without json-schema-draft (2020-12 assumed)
{"type": "object", "dependencies": {"card": ["expiry"]}}      draft-07's keyword, ignored"#,
        good: r#"evreg.yaml: json-schema-draft: draft-07      (or "$schema": "http://json-schema.org/draft-07/schema#")
or, under 2020-12: {"type": "object", "dependentRequired": {"card": ["expiry"]}}"#,
        emitted_by: ["src/schema/json.rs::note"] }

    SCHEMA_PARSE_ERROR { "schema-parse-error", Layout, Error,
        "the schema file is not valid JSON (or not UTF-8)",
        "Every schema version must be a UTF-8 JSON document. The finding points at the first byte that \
could not be read.",
        bad: r#"{"type": "record", "name": "Order", "fields": [],}     trailing comma"#,
        good: r#"{"type": "record", "name": "Order", "fields": []}"#,
        emitted_by: ["src/schema/mod.rs::decode", "src/schema/mod.rs::parse_json"] }

    AVRO_SCHEMA_INVALID { "avro-schema-invalid", Layout, Error,
        "the Avro schema breaks the specification",
        "The file is JSON but not a valid Avro schema: an unknown type name, a duplicate name, an \
invalid name, a missing attribute, a union inside a union, a default that does not fit its type. A \
version that does not parse cannot be checked for compatibility.",
        bad: r#"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "strng"}]}"#,
        good: r#"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}"#,
        emitted_by: ["src/schema/avro.rs::error"] }

    AVRO_LOGICAL_TYPE_INVALID { "avro-logical-type-invalid", Lint, Warning,
        "a logical type is malformed and readers will ignore it",
        "The specification tells readers to ignore an invalid logical type (a decimal with scale above \
its precision, a timestamp on a string) and use the underlying type. That is rarely what the author \
meant.",
        bad: r#"{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 4}"#,
        good: r#"{"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 4}"#,
        emitted_by: ["src/schema/avro.rs::logical", "src/schema/avro.rs::decimal"] }

    AVRO_UNION_DEFAULT_NOT_FIRST { "avro-union-default-not-first", Lint, Warning,
        "a union field's default matches a branch other than the first",
        "Avro 1.12 lets a union default match any branch, but readers before 1.12 (and many non-Java \
libraries) require it to match the first branch and reject the schema.",
        bad: r#"{"name": "note", "type": ["string", "null"], "default": null}"#,
        good: r#"{"name": "note", "type": ["null", "string"], "default": null}"#,
        emitted_by: ["src/schema/avro.rs::check_default"] }

    AVRO_DOC_MISSING { "avro-doc-missing", Lint, Info, opt_in,
        "a record, enum, fixed or field has no `doc`",
        "Schemas are the API of an event-driven system; consumers read the docs to know what a field \
means, its unit and its invariants. Off unless evreg.yaml turns it on (`rules: {avro-doc-missing: \
info}`, as `evreg init` writes it): on a registry adopted with thousands of undocumented fields its \
notes would outnumber everything else in every report.",
        bad: r#"{"name": "amount", "type": "long"}"#,
        good: r#"{"name": "amount", "type": "long", "doc": "Total in minor units (cents) of `currency`."}"#,
        emitted_by: ["src/check.rs::lint_avro"] }

    LAYOUT_VERSION_GAP { "layout-version-gap", Layout, Error,
        "a subject's versions are not numbered 1..N without gaps",
        "Versions are whole numbers from 1 with no gaps, so `v3` always follows `v2`. A gap usually \
means a version was deleted or misnamed; a published version must never be deleted.",
        bad: "schemas/orders.order.placed/v1.avsc, v3.avsc",
        good: "schemas/orders.order.placed/v1.avsc, v2.avsc, v3.avsc",
        emitted_by: ["src/registry/mod.rs::layout_versions"] }

    LAYOUT_VERSION_DUPLICATE { "layout-version-duplicate", Layout, Error,
        "two files claim the same version",
        "One version is one file: `v2.avsc` beside `v2.schema.json` leaves it unclear which is v2.",
        bad: "schemas/orders.order.placed/v2.avsc and v2.schema.json",
        good: "schemas/orders.order.placed/v2.avsc",
        emitted_by: ["src/registry/mod.rs::read_subject"] }

    LAYOUT_MIXED_FORMATS { "layout-mixed-formats", Layout, Error,
        "a subject has versions in more than one format",
        "One subject has one format: compatibility between an Avro and a JSON Schema version is not \
defined. Publish the new format as a new subject.",
        bad: "schemas/orders.order.placed/v1.avsc, v2.schema.json",
        good: "schemas/orders.order.placed/v1.avsc, v2.avsc; schemas/orders.order.placed-json/v1.schema.json",
        emitted_by: ["src/registry/mod.rs::layout_versions"] }

    LAYOUT_SUBJECT_NAME { "layout-subject-name", Layout, Error,
        "the subject folder's name does not follow the naming rule",
        "Subject names follow `naming` in evreg.yaml; by default `{service}.{aggregate}.{event}` in \
lower case, with an optional `.v2`-style suffix for a breaking successor.",
        bad: "schemas/OrderPlaced/",
        good: "schemas/orders.order.placed/",
        emitted_by: ["src/registry/mod.rs::read_subject"] }

    LAYOUT_NO_VERSIONS { "layout-no-versions", Layout, Error,
        "a subject folder holds no schema versions",
        "A subject exists once it has `v1.avsc` or `v1.schema.json`. An empty folder is usually a \
misspelt name or a deleted subject.",
        bad: "schemas/orders.order.placed/subject.yaml and nothing else",
        good: "schemas/orders.order.placed/v1.avsc",
        emitted_by: ["src/registry/mod.rs::layout_versions"] }

    LAYOUT_UNKNOWN_FILE { "layout-unknown-file", Layout, Warning,
        "a file in a subject folder is not a schema version or subject.yaml",
        "Only `vN.avsc`, `vN.schema.json` and `subject.yaml` belong in a subject folder; anything else \
is ignored, which usually means a misnamed version (`V2.avsc`, `v2.json`, `v02.avsc`).",
        bad: "schemas/orders.order.placed/v2.json",
        good: "schemas/orders.order.placed/v2.schema.json",
        emitted_by: ["src/registry/mod.rs::unknown_fixture_file", "src/registry/mod.rs::read_subject"] }

    LAYOUT_OUTSIDE_REGISTRY { "layout-outside-registry", Layout, Error,
        "a symbolic link points outside the registry",
        "Every schema must live in the repository so its history is reviewed and versioned with it. \
evreg does not follow links that leave the registry root.",
        bad: "schemas/orders.order.placed/v1.avsc -> /tmp/order.avsc",
        good: "copy the file into schemas/orders.order.placed/v1.avsc",
        emitted_by: ["src/registry/mod.rs::excluded"] }

    LAYOUT_NOT_REGULAR_FILE { "layout-not-regular-file", Layout, Error,
        "a FIFO, socket or device sits where a schema or sample belongs",
        "evreg reads only regular files. A named pipe could block a command forever and a device could never end, so such an entry under schemas/ or fixtures/ is reported and never opened.",
        bad: "mkfifo schemas/orders.order.placed/v2.avsc",
        good: "a regular file: schemas/orders.order.placed/v2.avsc",
        emitted_by: ["src/registry/mod.rs::special"] }

    ENGINE_UNSUPPORTED { "engine-unsupported", Layout, Warning,
        "this subject's format has no compatibility engine in this build",
        "The subject is listed and its files are parsed as JSON, but its versions are not compared.",
        bad: "schemas/shipping.parcel.dispatched/v2.schema.json (not compared)",
        good: "use a build of evreg whose JSON Schema engine is enabled",
        emitted_by: [] }

    VERSION_MODIFIED { "version-modified", Integrity, Error,
        "a published version was edited",
        "A published version is immutable: producers and consumers in production hold it. Its \
canonical form (the schema without whitespace, key order and documentation) must never change — not \
a type, a default, an alias. The baseline is `evreg.lock` or, with `--against REF`, the registry at \
that git ref.",
        bad: "editing schemas/orders.order.placed/v2.avsc after it was released",
        good: "revert the edit and publish the change as v3 (`evreg add orders.order.placed v3.avsc`); docs may be edited freely",
        emitted_by: ["src/integrity.rs::modified"] }

    VERSION_DELETED { "version-deleted", Integrity, Error,
        "a published version was deleted",
        "Data written with a published version may still be in topics, logs and archives; readers \
need its schema. A version is never deleted; retire a subject by marking it deprecated instead.",
        bad: "git rm schemas/orders.order.placed/v1.avsc",
        good: "restore the file (`git checkout REF -- schemas/orders.order.placed/v1.avsc`)",
        emitted_by: ["src/integrity.rs::deleted"] }

    MODE_LOOSENED { "mode-loosened", Integrity, Error,
        "a subject's compatibility mode promises less than it did",
        "Consumers rely on the mode's promises (e.g. that any version can read all older data). \
Loosening it (FULL_TRANSITIVE to BACKWARD, BACKWARD to NONE) lets the next version break them. \
Against a baseline (`--against REF`), versions added in the same change are still judged under the \
baseline's mode; a loosening everyone agreed to is accepted by an `allow` entry with its reason, \
naming the subject's latest version.",
        bad: "subject.yaml: compatibility: FULL_TRANSITIVE -> NONE",
        good: "keep the mode; publish a breaking change as a new subject",
        emitted_by: ["src/integrity.rs::compare"] }

    LOCK_STALE { "lock-stale", Integrity, Info,
        "a version is not recorded in evreg.lock",
        "`evreg.lock` records the fingerprint of every published version so edits are caught even \
without git history. A version missing from it is new; record it once it is published.",
        bad: "schemas/orders.order.placed/v4.avsc with no line in evreg.lock",
        good: "run `evreg lock` and commit evreg.lock with the new version",
        emitted_by: ["src/integrity.rs::check_lock"] }

    INTEGRITY_RULE_LOWERED { "integrity-rule-lowered", Integrity, Warning,
        "evreg.yaml lowers the level of an integrity rule",
        "Turning `version-modified` off (or down to a warning) in the same change as an edit of a \
published version would let the edit through. Against a baseline, integrity is judged at the \
stricter of the baseline's and the change's levels, and the lowering itself is reported; later \
changes are judged at the new level.",
        bad: "rules: {version-modified: off}   (together with an edit of v1)",
        good: "keep the level; accept a single agreed edit with an `allow` entry and its reason",
        emitted_by: ["src/integrity.rs::severities_lowered"] }

    ENVELOPE_FIELD_MISSING { "envelope-field-missing", Envelope, Error,
        "a required envelope field is missing",
        "The envelope is part of the API: without `eventId` consumers cannot deduplicate a redelivered \
event, without `correlationId` nobody can trace a flow, without `eventType` and `eventVersion` the \
event cannot be routed to its schema.",
        bad: r#"{"eventType": "orders.order.placed", "eventVersion": 2, "payload": {...}}"#,
        good: r#"{"eventId": "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", "eventType": "orders.order.placed", "eventVersion": 2, "occurredAt": "2026-11-25T08:30:00Z", "correlationId": "checkout-7f3a", "payload": {...}}"#,
        emitted_by: ["src/validate/events.rs::whole", "src/validate/events.rs::envelope_fields"] }

    ENVELOPE_FIELD_INVALID { "envelope-field-invalid", Envelope, Error,
        "an envelope field has the wrong form",
        "Each envelope field has a form: `eventId` a UUID, `occurredAt` and `publishedAt` RFC 3339 \
date-times with an offset, `eventVersion` and `aggregateVersion` whole numbers from 1, ids non-empty \
strings.",
        bad: r#""occurredAt": "25/11/2026 08:30""#,
        good: r#""occurredAt": "2026-11-25T08:30:00Z""#,
        emitted_by: ["src/validate/events.rs::envelope_fields"] }

    ENVELOPE_TIME_ORDER { "envelope-time-order", Envelope, Error,
        "the event was published before it occurred",
        "`publishedAt` can never be before `occurredAt`; when it is, one of the clocks or the mapping \
is wrong, and consumers ordering by time will misorder events.",
        bad: r#""occurredAt": "2026-11-25T08:30:00Z", "publishedAt": "2026-11-25T08:29:00Z""#,
        good: r#""occurredAt": "2026-11-25T08:30:00Z", "publishedAt": "2026-11-25T08:30:01Z""#,
        emitted_by: ["src/validate/events.rs::time_order"] }

    ENVELOPE_UNKNOWN_FIELD { "envelope-unknown-field", Envelope, Warning,
        "the envelope holds a field the configured envelope does not define",
        "Usually a misspelt metadata field (`eventID`, `correlation_id`), which consumers will not find.",
        bad: r#""correlation_id": "checkout-7f3a""#,
        good: r#""correlationId": "checkout-7f3a""#,
        emitted_by: ["src/validate/events.rs::unknown_fields"] }

    EVENT_UNKNOWN_SUBJECT { "event-unknown-subject", Envelope, Error,
        "the event names a subject the registry does not have",
        "Events are routed to their schema by the envelope's event type. An unknown type is a typo or a \
subject that was never registered.",
        bad: r#""eventType": "orders.order.plcaed""#,
        good: r#""eventType": "orders.order.placed"   (see `evreg list`)"#,
        emitted_by: ["src/validate/events.rs::check_target"] }

    EVENT_UNKNOWN_VERSION { "event-unknown-version", Envelope, Error,
        "the event names a version its subject does not have",
        "The envelope's version must name a registered version of the subject.",
        bad: r#""eventType": "orders.order.placed", "eventVersion": 9"#,
        good: r#""eventVersion": 3   (the subject has v1..v3)"#,
        emitted_by: ["src/validate/events.rs::check_target"] }

    EVENT_INVALID_JSON { "event-invalid-json", Fixture, Error,
        "an event is not valid JSON",
        "Each event (each line of an NDJSON stream) must be one UTF-8 JSON value. The rest of the stream \
is still validated.",
        bad: r#"{"eventId": "3f2a…", "payload": {"qty": 2,}}"#,
        good: r#"{"eventId": "3f2a…", "payload": {"qty": 2}}"#,
        emitted_by: ["src/registry/mod.rs::read_fixture_dir", "src/validate/fixtures.rs::check_fixture", "src/validate/input.rs::validate_document", "src/validate/input.rs::invalid_json"] }

    PAYLOAD_INVALID { "payload-invalid", Fixture, Error,
        "the payload does not fit the schema of the version its envelope names",
        "The event's data must be valid under the subject's schema at the envelope's version; the finding \
points at the value and at the schema element it breaks.",
        bad: r#""payload": {"quantity": "2"}     quantity is an int"#,
        good: r#""payload": {"quantity": 2}"#,
        emitted_by: ["src/validate/events.rs::payload", "src/schema/avro_payload.rs::draft"] }

    FIXTURE_UNEXPECTEDLY_VALID { "fixture-unexpectedly-valid", Fixture, Error,
        "a negative fixture is accepted",
        "Files under `fixtures/<subject>/vN/invalid/` are samples the version must reject. One that \
validates means the schema is looser than intended (a missing `required`, an open enum) or the sample \
is no longer negative.",
        bad: "fixtures/orders.order.placed/v1/invalid/quantity-as-string.json validates",
        good: "tighten the schema in a new version, or move the sample out of invalid/",
        emitted_by: ["src/validate/fixtures.rs::check_fixture"] }

    FIXTURE_MISMATCH { "fixture-mismatch", Fixture, Error,
        "a fixture's envelope names another subject or version than its folder",
        "A sample under `fixtures/<subject>/vN/` must be an event of that subject and version, or the \
check proves nothing about the version it sits under.",
        bad: r#"fixtures/orders.order.placed/v2/a.json with "eventVersion": 1"#,
        good: r#""eventVersion": 2, or move the file to fixtures/orders.order.placed/v1/"#,
        emitted_by: ["src/validate/fixtures.rs::check_fixture"] }

    FIXTURE_ORPHAN { "fixture-orphan", Fixture, Error,
        "fixtures for a subject or version that does not exist",
        "`fixtures/<subject>/vN/` must name a registered subject and version.",
        bad: "fixtures/orders.order.placd/v1/",
        good: "fixtures/orders.order.placed/v1/",
        emitted_by: ["src/registry/mod.rs::discover_fixtures"] }

    FIXTURE_REPLAY_FAILED { "fixture-replay-failed", Fixture, Error,
        "a sample of one version cannot be read by a version the mode promises can read it",
        "Each valid fixture of version N is replayed against every version the subject's mode says can \
read it (BACKWARD: later versions; FORWARD: earlier ones). Avro samples are really encoded with the \
writer schema and decoded with the reader schema; JSON Schema samples are validated against the reader.",
        bad: "v3 cannot decode a v2 sample: field `currency` has no default",
        good: "give the new field a default so old data stays readable",
        emitted_by: ["src/validate/fixtures.rs::replay_failed"] }

    ENGINE_DISAGREEMENT { "engine-disagreement", Fixture, Error,
        "replay failed where the static compatibility check passed",
        "The static engine said the reader can read the writer, but a real sample failed. One of the two \
is wrong: please report it with the schemas and the sample.",
        bad: "check passes, replay of fixtures/x/v1/a.json into v2 fails",
        good: "no disagreement",
        emitted_by: ["src/validate/fixtures.rs::replay_failed"] }

    FIXTURE_REPLAY_SKIPPED { "fixture-replay-skipped", Fixture, Info,
        "a replay could not run",
        "Replay needs both schemas to load in Apache Avro; when one does not, the sample is validated but \
not replayed. (A sample Apache Avro cannot write is `fixture-replay-error`.)",
        bad: "schema uses a construct Apache Avro's parser rejects",
        good: "nothing to do unless the reason surprises you",
        emitted_by: ["src/validate/fixtures.rs::write_avro", "src/validate/fixtures.rs::read_avro"] }

    FIXTURE_REPLAY_ERROR { "fixture-replay-error", Fixture, Warning,
        "Apache Avro could not write a valid sample or resolve its schema, so it was not replayed",
        "Replay writes each valid Avro sample as Avro binary with its own version's schema, then reads it \
with each reader. When Apache Avro refuses to write a sample that `evreg validate` accepts, or cannot \
resolve a schema's named types, replay did not run and says nothing about the readers: the sample is \
not known to be unreadable, and not known to be readable either.",
        bad: "fixtures/x/v1/a.json could not be replayed: Apache Avro cannot write it",
        good: "every valid sample is replayed",
        emitted_by: ["src/validate/fixtures.rs::write_avro", "src/validate/fixtures.rs::read_avro"] }

    FIXTURE_MISSING { "fixture-missing", Fixture, Info,
        "a version has no sample events",
        "Samples document a version by example and feed validation and replay. `evreg fixture new \
SUBJECT@N` writes one to start from.",
        bad: "schemas/orders.order.placed/v3.avsc and no fixtures/orders.order.placed/v3/",
        good: "fixtures/orders.order.placed/v3/with-coupon.json",
        emitted_by: ["src/validate/fixtures.rs::check_fixtures"] }

    ALLOW_UNUSED { "allow-unused", Lint, Warning,
        "an `allow` entry in evreg.yaml matches no finding",
        "An accepted breaking change that no longer occurs is stale: remove the entry so it cannot hide \
a future break of the same rule in the same version.",
        bad: r#"allow: [{subject: orders.order.placed, version: 4, rule: avro-type-mismatch, reason: "..."}]   (v4 is clean)"#,
        good: "delete the entry",
        emitted_by: ["src/registry/config.rs::apply"] }
}

/// The catalogue as Markdown: `docs/rules.md`, where SARIF's help links point.
pub fn markdown() -> String {
    let mut out = String::from(
        "# evreg rules\n\nEvery finding names one of these rules. Ids are stable: never reused or renamed. \
`evreg rules` lists them, `evreg explain RULE` prints one, and `rules:` in evreg.yaml changes a \
rule's severity, turns it off, or turns on one that is off by default.\n\nThis file is generated from `src/rules.rs` (`EVREG_UPDATE_DOCS=1 cargo test rules`).\n\n\
| rule | category | default severity | summary |\n| --- | --- | --- | --- |\n",
    );
    for r in ALL {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            r.id,
            r.id,
            r.category.as_str(),
            r.default_label(),
            r.summary
        ));
    }
    for r in ALL {
        out.push_str(&format!(
            "\n## {}\n\n{} · {}\n\n{}\n\nBad:\n\n```\n{}\n```\n\nGood:\n\n```\n{}\n```\n\n{}\n",
            r.id,
            r.category.as_str(),
            r.default_text(),
            r.explanation,
            r.bad,
            r.good,
            emitted_by_markdown(r)
        ));
    }
    out
}

/// "Emitted by:" with a link to each function's file (docs/rules.md sits one level down).
fn emitted_by_markdown(r: &Rule) -> String {
    if r.emitted_by.is_empty() {
        return "Emitted by: no check in this version (the id stays reserved, never reused)."
            .into();
    }
    let links: Vec<String> = r
        .emitted_by
        .iter()
        .map(|e| {
            let file = e.split_once("::").map_or(*e, |(f, _)| f);
            format!("[`{e}`](../{file})")
        })
        .collect();
    format!("Emitted by: {}.", links.join(", "))
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// docs/rules.md is the catalogue as generated; regenerate with EVREG_UPDATE_DOCS=1.
    #[test]
    fn rules_doc_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        let want = markdown();
        if std::env::var_os("EVREG_UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is stale: run `EVREG_UPDATE_DOCS=1 cargo test rules`"
        );
    }

    /// Each rule's `emitted_by` names a file that defines the function, so the link from a rule
    /// to its code cannot rot; a rule without one must be the reserved id.
    #[test]
    fn each_rule_links_to_functions_that_exist() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for r in ALL {
            assert!(
                !r.emitted_by.is_empty() || std::ptr::eq(*r, &ENGINE_UNSUPPORTED),
                "{} names no function that emits it",
                r.id
            );
            for e in r.emitted_by {
                let (file, name) = e
                    .split_once("::")
                    .unwrap_or_else(|| panic!("{}: `{e}` is not file::function", r.id));
                let text = std::fs::read_to_string(root.join(file))
                    .unwrap_or_else(|err| panic!("{}: {file}: {err}", r.id));
                let defines = [format!("fn {name}("), format!("fn {name}<")]
                    .iter()
                    .any(|d| text.contains(d.as_str()));
                assert!(defines, "{}: {file} defines no `fn {name}`", r.id);
            }
        }
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in ALL {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                r.id
            );
            assert!(!r.summary.is_empty() && !r.explanation.is_empty());
            assert!(!r.bad.is_empty() && !r.good.is_empty());
        }
    }
}
