//! One event: its envelope checked field by field, routed by the envelope to a subject version,
//! and its payload validated against that version's schema.

use super::{avro, formats};
use crate::envelope::{Envelope, Field, Kind as FieldKind, Role};
use crate::finding::Draft;
use crate::parsed::{Model, parse_subject};
use crate::registry::Registry;
use crate::rules;
use crate::schema::Format;
use crate::schema::avro::AvroSchema;
use crate::source::json::escape_pointer_token;
use serde_json::Value;
use std::collections::HashMap;

/// A version's schema, ready to validate payloads.
pub enum PayloadSchema {
    /// Apache Avro's parse, for replay, is made on first use (`AvroSchema::apache`).
    Avro(Box<AvroSchema>),
    Json(Box<jsonschema::Validator>),
}

/// Every version of every subject, compiled once, and the envelope.
pub struct Catalog {
    pub envelope: Envelope,
    pub schemas: HashMap<(String, u32), PayloadSchema>,
    /// The schema file of each version, for pointing findings at it.
    pub files: HashMap<(String, u32), std::sync::Arc<crate::source::SourceFile>>,
    pub latest: HashMap<String, u32>,
    pub versions: HashMap<String, Vec<u32>>,
    /// The JSON Schema versions' own files, parsed, to locate schema pointers (an Avro
    /// version's is in its model).
    docs: HashMap<(String, u32), std::sync::Arc<crate::source::json::Node>>,
    /// Schema places already located: many problems of one event (every item of a long array)
    /// point at the same schema element, and locating one in a minified schema reads its line.
    places: SchemaPlaces,
}

type SchemaPlaces =
    std::sync::Mutex<HashMap<(String, u32, String), Option<crate::finding::Location>>>;

impl Catalog {
    /// Compile every version that parses. Versions that do not are left out (their findings come
    /// from `check`), so events naming them get an `event-unknown-version`-free skip.
    pub fn new(reg: &Registry) -> Catalog {
        Catalog::for_subjects(reg, |_| true)
    }

    /// Compile only the subjects `wanted` picks.
    pub fn for_subjects(reg: &Registry, wanted: impl Fn(&str) -> bool) -> Catalog {
        let provider =
            crate::schema::json::FileProvider::in_memory(reg.root.clone(), reg.all_files());
        let models = reg
            .subjects
            .iter()
            .filter(|s| wanted(&s.name))
            .map(|s| (s.name.clone(), parse_subject(s, &provider).0));
        Catalog::from_models(reg, models)
    }

    /// Compile the subjects of `models` from their versions' models, parsed already (`check`
    /// parses each subject once and hands on those with fixtures): (subject, one model per
    /// version in order, None where a version does not parse).
    pub fn from_models(
        reg: &Registry,
        models: impl IntoIterator<Item = (String, Vec<Option<Model>>)>,
    ) -> Catalog {
        let mut schemas = HashMap::new();
        let mut files = HashMap::new();
        let mut latest = HashMap::new();
        let mut versions = HashMap::new();
        let mut docs = HashMap::new();
        for s in &reg.subjects {
            // Every subject routes; only those given are compiled.
            versions.insert(
                s.name.clone(),
                s.versions.iter().map(|v| v.number).collect(),
            );
            if let Some(v) = s.latest() {
                latest.insert(s.name.clone(), v.number);
            }
        }
        for (name, models) in models {
            let Some(s) = reg.subject(&name) else {
                continue;
            };
            for (v, model) in s.versions.iter().zip(models) {
                let key = (s.name.clone(), v.number);
                files.insert(key.clone(), v.source.clone());
                let compiled = match (model, v.format) {
                    (Some(Model::Avro(schema)), _) => Some(PayloadSchema::Avro(Box::new(schema))),
                    (Some(Model::Json(js)), Format::JsonSchema) => {
                        docs.insert(key.clone(), js.files[0].json.clone());
                        crate::compat::json::example::validator(&js, true)
                            .map(|v| PayloadSchema::Json(Box::new(v)))
                    }
                    _ => None,
                };
                if let Some(c) = compiled {
                    schemas.insert(key, c);
                }
            }
        }
        Catalog {
            envelope: reg.settings.envelope.clone(),
            schemas,
            files,
            latest,
            versions,
            docs,
            places: SchemaPlaces::default(),
        }
    }

    /// Where a schema pointer of a subject version is, for findings.
    pub fn schema_location(
        &self,
        subject: &str,
        version: u32,
        pointer: &str,
    ) -> Option<crate::finding::Location> {
        let key = (subject.to_string(), version);
        let place = (subject.to_string(), version, pointer.to_string());
        if let Some(known) = self.places.lock().ok()?.get(&place) {
            return known.clone();
        }
        let file = self.files.get(&key)?;
        let doc = match self.schemas.get(&key) {
            Some(PayloadSchema::Avro(schema)) => Some(&schema.json),
            _ => self.docs.get(&key).map(|d| d.as_ref()),
        };
        let span = doc.and_then(|d| d.pointer_span(pointer));
        let location = Some(crate::finding::Location::at(file, pointer, span));
        if let Ok(mut places) = self.places.lock() {
            places.insert(place, location.clone());
        }
        location
    }
}

/// A version as an event names it. A number too large to be a version is kept as written, so an
/// event naming one is reported as naming a version its subject does not have, never skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamedVersion {
    Number(u32),
    Other(String),
}

impl NamedVersion {
    /// From decimal digits (as written in an event or a schema URI).
    fn from_digits(digits: &str) -> NamedVersion {
        match digits.parse::<u32>() {
            Ok(n) => NamedVersion::Number(n),
            Err(_) => NamedVersion::Other(digits.to_string()),
        }
    }
}

impl std::fmt::Display for NamedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NamedVersion::Number(n) => write!(f, "{n}"),
            NamedVersion::Other(s) => f.write_str(s),
        }
    }
}

/// What an envelope says about the version of its payload.
enum VersionField {
    /// Nothing: no version field, or one that is optional and absent.
    Unnamed,
    /// A required version field is missing, or its value is not a version number; the field
    /// check has reported it, and the payload cannot be routed.
    Unusable,
    Named(NamedVersion),
}

/// The version a value of the envelope's version field names: a whole number (in a custom
/// envelope whose version field is a string, its decimal digits), or why it names none.
fn version_value(v: &Value) -> Result<NamedVersion, String> {
    let digits = match v {
        Value::Number(n) => match n.as_u64() {
            Some(u) if u >= 1 => u.to_string(),
            _ => {
                return Err(format!(
                    "must be a version number (a whole number from 1), found {n}"
                ));
            }
        },
        Value::String(s)
            if s.bytes().all(|b| b.is_ascii_digit()) && s.bytes().any(|b| b != b'0') =>
        {
            s.clone()
        }
        other => {
            return Err(format!(
                "must be a version number (a whole number from 1), found {}",
                crate::source::json::value_kind(other)
            ));
        }
    };
    Ok(NamedVersion::from_digits(&digits))
}

/// What an event is expected to be.
#[derive(Debug, Clone, Copy)]
pub enum Expect<'a> {
    /// Route by the envelope.
    Routed,
    /// A bare payload of this subject (at this version, or the latest).
    Payload(&'a str, Option<u32>),
}

/// The outcome for one event: where it was routed, and what is wrong with it.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub subject: Option<String>,
    pub version: Option<u32>,
    pub drafts: Vec<Draft>,
    /// The JSON pointer of the payload inside the event (`/payload`, `/data`, or empty).
    pub payload_pointer: String,
}

impl Catalog {
    /// Does this value look like a whole event (rather than a bare payload)?
    pub fn is_whole_event(&self, value: &Value) -> bool {
        match self.envelope.field(Role::EventType) {
            Some(f) => value.get(&f.name).is_some(),
            None => false,
        }
    }

    pub fn validate(&self, value: &Value, expect: Expect) -> Outcome {
        match expect {
            Expect::Payload(subject, version) => {
                let mut out = Outcome {
                    subject: Some(subject.to_string()),
                    ..Outcome::default()
                };
                let version = version.or_else(|| self.latest.get(subject).copied());
                match self.check_target(subject, version.map(NamedVersion::Number), "") {
                    Ok(v) => {
                        out.version = Some(v);
                        out.drafts = self.payload(subject, v, value, "");
                    }
                    Err(p) => out.drafts.push(p),
                }
                out
            }
            Expect::Routed => self.whole(value),
        }
    }

    fn check_target(
        &self,
        subject: &str,
        version: Option<NamedVersion>,
        at: &str,
    ) -> Result<u32, Draft> {
        let Some(versions) = self.versions.get(subject) else {
            let help = crate::suggest::hint(
                subject,
                self.versions.keys().map(String::as_str),
                "`evreg list` shows the subjects",
            );
            return Err(Draft::new(
                &rules::EVENT_UNKNOWN_SUBJECT,
                format!("no subject `{subject}` in the registry"),
                help,
            )
            .at(at));
        };
        match version {
            Some(NamedVersion::Number(v)) if versions.contains(&v) => Ok(v),
            Some(v) => Err(Draft::new(
                &rules::EVENT_UNKNOWN_VERSION,
                format!("`{subject}` has no version {v}"),
                format!(
                    "its versions are v1..v{}",
                    versions.iter().max().unwrap_or(&0)
                ),
            )
            .at(at)),
            None => Err(Draft::new(
                &rules::EVENT_UNKNOWN_VERSION,
                format!("`{subject}` has no versions"),
                "register one with `evreg add`",
            )
            .at(at)),
        }
    }

    /// A whole event: its envelope's fields, then the payload the envelope routes to.
    fn whole(&self, value: &Value) -> Outcome {
        let mut out = Outcome::default();
        let Some(obj) = value.as_object() else {
            out.drafts.push(Draft::new(
                &rules::ENVELOPE_FIELD_MISSING,
                format!(
                    "an event is a JSON object with the {} envelope's fields, not {}",
                    self.envelope.name,
                    crate::source::json::value_kind(value)
                ),
                "wrap the payload in the envelope, or validate bare payloads with --subject",
            ));
            return out;
        };
        self.envelope_fields(obj, &mut out.drafts);
        self.time_order(obj, &mut out.drafts);
        if self.envelope.name == "default" {
            self.unknown_fields(obj, &mut out.drafts);
        }
        self.route(obj, &mut out);
        out
    }

    /// Each envelope field: present when required, and a value of its kind.
    fn envelope_fields(&self, obj: &serde_json::Map<String, Value>, out: &mut Vec<Draft>) {
        for f in &self.envelope.fields {
            let at = format!("/{}", escape_pointer_token(&f.name));
            match obj.get(&f.name) {
                None if f.required => out.push(Draft::new(
                    &rules::ENVELOPE_FIELD_MISSING,
                    format!("the envelope has no `{}`", f.name),
                    format!("add `{}`: {}", f.name, f.doc),
                )),
                None => {}
                Some(v) => {
                    let why = field_problem(f, v).or_else(|| match f.role {
                        Role::EventVersion => version_value(v).err(),
                        _ => None,
                    });
                    if let Some(why) = why {
                        out.push(
                            Draft::new(
                                &rules::ENVELOPE_FIELD_INVALID,
                                format!("`{}` {why}", f.name),
                                f.doc.clone(),
                            )
                            .at(at),
                        );
                    }
                }
            }
        }
    }

    /// An event is published after it occurs.
    fn time_order(&self, obj: &serde_json::Map<String, Value>, out: &mut Vec<Draft>) {
        let time = |role| {
            self.envelope.field(role).and_then(|f| {
                obj.get(&f.name)
                    .and_then(Value::as_str)
                    .and_then(formats::parse_rfc3339)
                    .map(|t| (f, t))
            })
        };
        if let (Some((occurred, a)), Some((published, b))) =
            (time(Role::OccurredAt), time(Role::PublishedAt))
            && b < a
        {
            out.push(
                Draft::new(
                    &rules::ENVELOPE_TIME_ORDER,
                    format!("`{}` is before `{}`", published.name, occurred.name),
                    "an event is published after it occurs; check the producer's clock and mapping",
                )
                .at(format!("/{}", escape_pointer_token(&published.name))),
            );
        }
    }

    /// The default envelope's fields are fixed: any other top-level key is likely a misspelling
    /// or data that belongs in the payload.
    fn unknown_fields(&self, obj: &serde_json::Map<String, Value>, out: &mut Vec<Draft>) {
        for k in obj
            .keys()
            .filter(|k| !self.envelope.fields.iter().any(|f| &f.name == *k))
        {
            let near = crate::suggest::similar(
                &k.to_lowercase().replace('_', ""),
                self.envelope
                    .fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .filter(|n| n.to_lowercase() == k.to_lowercase().replace('_', ""))
                    .chain(self.envelope.fields.iter().map(|f| f.name.as_str())),
            );
            out.push(Draft::new(
                &rules::ENVELOPE_UNKNOWN_FIELD,
                format!("`{k}` is not a field of the default envelope"),
                match near.first() {
                    Some(f) => format!("did you mean `{f}`?"),
                    None => {
                        "put event data in the payload; envelope fields are listed in the README"
                            .into()
                    }
                },
            )
            .at(format!("/{}", escape_pointer_token(k))));
        }
    }

    /// Route by the envelope's type and version fields, and validate the payload there.
    fn route(&self, obj: &serde_json::Map<String, Value>, out: &mut Outcome) {
        let Some(type_field) = self.envelope.field(Role::EventType) else {
            return;
        };
        let Some(subject) = obj.get(&type_field.name).and_then(Value::as_str) else {
            return;
        };
        out.subject = Some(subject.to_string());
        let type_at = format!("/{}", escape_pointer_token(&type_field.name));
        let version = match self.version_of(obj) {
            VersionField::Named(v) => Some(v),
            // Already reported by the field checks.
            VersionField::Unusable => return,
            // No version named (CloudEvents without a versioned `dataschema`, or an optional
            // version field left out): the latest version.
            VersionField::Unnamed => self.latest.get(subject).copied().map(NamedVersion::Number),
        };
        let at = self
            .envelope
            .field(Role::EventVersion)
            .map(|f| format!("/{}", escape_pointer_token(&f.name)))
            .unwrap_or(type_at.clone());
        match self.check_target(
            subject,
            version,
            if self.versions.contains_key(subject) {
                &at
            } else {
                &type_at
            },
        ) {
            Ok(v) => {
                out.version = Some(v);
                if let Some(pf) = self.envelope.field(Role::Payload) {
                    out.payload_pointer = format!("/{}", escape_pointer_token(&pf.name));
                    if let Some(payload) = obj.get(&pf.name) {
                        let found = self.payload(subject, v, payload, &out.payload_pointer);
                        out.drafts.extend(found);
                    }
                }
            }
            Err(p) => out.drafts.push(p),
        }
    }

    /// The version an envelope names: its version field, or a CloudEvents `dataschema` ending in
    /// `/vN`, `/vN.avsc`, `/vN.schema.json` or `@N`.
    fn version_of(&self, obj: &serde_json::Map<String, Value>) -> VersionField {
        if let Some(f) = self.envelope.field(Role::EventVersion) {
            return match obj.get(&f.name) {
                None if f.required => VersionField::Unusable,
                None => VersionField::Unnamed,
                Some(v) => match version_value(v) {
                    Ok(n) => VersionField::Named(n),
                    Err(_) => VersionField::Unusable,
                },
            };
        }
        let uri = self
            .envelope
            .field(Role::DataSchema)
            .and_then(|f| obj.get(&f.name))
            .and_then(Value::as_str);
        match uri.and_then(version_in_uri) {
            Some(v) => VersionField::Named(v),
            None => VersionField::Unnamed,
        }
    }

    /// Validate a payload against a subject version: `payload-invalid` drafts at their places in
    /// the event (pointers prefixed with `at`), each with its place in the version's schema.
    pub fn payload(&self, subject: &str, version: u32, payload: &Value, at: &str) -> Vec<Draft> {
        let Some(schema) = self.schemas.get(&(subject.to_string(), version)) else {
            return Vec::new();
        };
        // Each draft with what to send instead, where the validator says which keyword failed.
        let drafts: Vec<(Draft, Option<String>)> = match schema {
            PayloadSchema::Avro(schema) => avro::validate(schema, payload)
                .into_iter()
                .map(|d| (d, None))
                .collect(),
            // Most events are valid: answer those without collecting errors.
            PayloadSchema::Json(v) if v.is_valid(payload) => Vec::new(),
            PayloadSchema::Json(v) => v
                .iter_errors(payload)
                .map(|e| {
                    let words = super::wording::json_error(&e);
                    let mut pointer = e.instance_path().to_string();
                    if let Some(member) = &words.member {
                        pointer = format!("{pointer}/{}", escape_pointer_token(member));
                    }
                    let draft = Draft::new(&rules::PAYLOAD_INVALID, shorten(words.message), "")
                        .at(pointer)
                        .other(e.schema_path().to_string());
                    (draft, Some(words.fix))
                })
                .collect(),
        };
        drafts
            .into_iter()
            .map(|(mut d, fix)| {
                // Where the payload sits in the event, and what the version asks there.
                d.at.pointer = format!("{at}{}", d.at.pointer);
                let place = place(&d.at.pointer);
                d.help = match fix {
                    Some(fix) => format!(
                        "{fix} at {place}, as {subject} v{version} requires; or name the version it was written with"
                    ),
                    None => format!(
                        "make {place} fit {subject} v{version}, or name the version it was written with"
                    ),
                }
                .into();
                d.message = format!("{place}: {}", d.message);
                d
            })
            .collect()
    }
}

/// A place in the event as messages name it: its JSON pointer, `/` for the whole event.
fn place(pointer: &str) -> String {
    if pointer.is_empty() {
        "`/`".to_string()
    } else {
        format!("`{pointer}`")
    }
}

/// Validator messages quote the offending value; keep a huge one from flooding the report.
fn shorten(message: String) -> String {
    if message.chars().count() <= 300 {
        message
    } else {
        format!("{}…", message.chars().take(300).collect::<String>())
    }
}

/// The version a schema URI names: `…@N` or a last path segment `vN` (`vN.avsc`, …). Digits too
/// many for a version are still a version named (one no subject has).
pub fn version_in_uri(uri: &str) -> Option<NamedVersion> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((_, n)) = uri.rsplit_once('@')
        && digits(n)
    {
        return Some(NamedVersion::from_digits(n));
    }
    let last = uri.trim_end_matches('/').rsplit('/').next()?;
    let stem = last.split('.').next()?;
    let n = stem.strip_prefix('v')?;
    digits(n).then(|| NamedVersion::from_digits(n))
}

/// Why a value does not fit an envelope field, if it does not.
fn field_problem(f: &Field, v: &Value) -> Option<String> {
    match &f.kind {
        FieldKind::Uuid => match v.as_str() {
            Some(s) if formats::is_uuid(s) => None,
            Some(s) => Some(format!(
                "must be a UUID, found {}",
                crate::suggest::quote(s)
            )),
            None => Some(format!(
                "must be a UUID string, found {}",
                crate::source::json::value_kind(v)
            )),
        },
        FieldKind::String => (!v.is_string()).then(|| {
            format!(
                "must be a string, found {}",
                crate::source::json::value_kind(v)
            )
        }),
        FieldKind::NonEmptyString => match v.as_str() {
            Some(s) if !s.trim().is_empty() => None,
            Some(_) => Some("must not be empty".into()),
            None => Some(format!(
                "must be a string, found {}",
                crate::source::json::value_kind(v)
            )),
        },
        FieldKind::Integer { min } => match v.as_i64() {
            Some(n) if min.is_none_or(|m| n >= m) => None,
            Some(n) => Some(format!("must be at least {}, found {n}", min.unwrap_or(0))),
            // Beyond i64 but whole: above any minimum.
            None if v.is_u64() => None,
            None => Some(match v {
                Value::Number(n) => format!("must be a whole number, found {n}"),
                _ => format!(
                    "must be a whole number, found {}",
                    crate::source::json::value_kind(v)
                ),
            }),
        },
        FieldKind::Timestamp => match v.as_str() {
            Some(s) if formats::parse_rfc3339(s).is_some() => None,
            Some(s) => Some(format!(
                "must be an RFC 3339 date-time with an offset (2026-11-25T08:30:00Z), found {}",
                crate::suggest::quote(s)
            )),
            None => Some(format!(
                "must be an RFC 3339 date-time string, found {}",
                crate::source::json::value_kind(v)
            )),
        },
        FieldKind::UriReference => match v.as_str() {
            Some(s) if !s.is_empty() && !s.contains(char::is_whitespace) => None,
            _ => Some("must be a URI reference".into()),
        },
        FieldKind::Const(c) => (v.as_str() != Some(c.as_str())).then(|| format!("must be \"{c}\"")),
        FieldKind::SubjectSchema => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_in_schema_uris() {
        let n = |v| Some(NamedVersion::Number(v));
        assert_eq!(
            version_in_uri("https://schemas.example.com/orders.order.placed/v2"),
            n(2)
        );
        assert_eq!(version_in_uri("schemas/orders.order.placed/v3.avsc"), n(3));
        assert_eq!(version_in_uri("urn:evreg:orders.order.placed@4"), n(4));
        assert_eq!(version_in_uri("https://ci@example.com/orders/v5"), n(5));
        assert_eq!(version_in_uri("https://example.com/orders"), None);
        assert_eq!(version_in_uri("https://example.com/orders/v-1"), None);
        assert_eq!(
            version_in_uri("urn:evreg:orders@4294967296"),
            Some(NamedVersion::Other("4294967296".into()))
        );
    }
}
