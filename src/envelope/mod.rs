//! The event envelope: the metadata every event carries around its payload. An envelope is data —
//! a list of fields, each with a role and a value kind — so validation, fixtures and code
//! generation all read the same definition. Presets: `default`, `cloudevents`, `none`.

/// What a field means to evreg (how events are routed, deduplicated and traced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Unique per event; consumers deduplicate on it.
    EventId,
    /// Names the subject.
    EventType,
    /// Names the subject's version the payload follows.
    EventVersion,
    /// When the event happened.
    OccurredAt,
    /// When it was published; never before `OccurredAt`.
    PublishedAt,
    /// Ties together the events of one request or flow.
    CorrelationId,
    /// The event that caused this one.
    CausationId,
    /// Where the version is named by a schema URI (CloudEvents `dataschema`).
    DataSchema,
    /// The event's own data, validated against the subject's schema.
    Payload,
    /// Any other metadata.
    Metadata,
}

/// The value a field holds, as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Uuid,
    String,
    NonEmptyString,
    /// A whole number, at least `min` when given.
    Integer {
        min: Option<i64>,
    },
    /// An RFC 3339 date-time.
    Timestamp,
    UriReference,
    /// Exactly this string.
    Const(String),
    /// A value of the subject's schema at the event's version.
    SubjectSchema,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub role: Role,
    pub kind: Kind,
    pub required: bool,
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `default`, `cloudevents`, `none` or `custom`.
    pub name: String,
    /// Empty for `none`: events are bare payloads.
    pub fields: Vec<Field>,
}

fn field(name: &str, role: Role, kind: Kind, required: bool, doc: &str) -> Field {
    Field {
        name: name.into(),
        role,
        kind,
        required,
        doc: doc.into(),
    }
}

impl Envelope {
    /// The default envelope: `eventId`, `eventType`, `eventVersion`, `occurredAt`,
    /// `correlationId` and `payload` required; causation, publishing and aggregate metadata optional.
    pub fn default_preset() -> Envelope {
        use Kind::*;
        use Role::*;
        Envelope {
            name: "default".into(),
            fields: vec![
                field(
                    "eventId",
                    EventId,
                    Uuid,
                    true,
                    "Unique id of this event (UUID); consumers deduplicate on it.",
                ),
                field(
                    "eventType",
                    EventType,
                    NonEmptyString,
                    true,
                    "The subject, e.g. `orders.order.placed`.",
                ),
                field(
                    "eventVersion",
                    EventVersion,
                    Integer { min: Some(1) },
                    true,
                    "The subject version the payload follows.",
                ),
                field(
                    "occurredAt",
                    OccurredAt,
                    Timestamp,
                    true,
                    "When the event happened (RFC 3339).",
                ),
                field(
                    "correlationId",
                    CorrelationId,
                    NonEmptyString,
                    true,
                    "Ties together the events of one request or flow.",
                ),
                field(
                    "causationId",
                    CausationId,
                    NonEmptyString,
                    false,
                    "The `eventId` of the event that caused this one.",
                ),
                field(
                    "publishedAt",
                    PublishedAt,
                    Timestamp,
                    false,
                    "When the event was published (RFC 3339), never before `occurredAt`.",
                ),
                field(
                    "producer",
                    Metadata,
                    NonEmptyString,
                    false,
                    "The service that produced the event.",
                ),
                field(
                    "aggregateId",
                    Metadata,
                    NonEmptyString,
                    false,
                    "Id of the aggregate the event belongs to.",
                ),
                field(
                    "aggregateType",
                    Metadata,
                    NonEmptyString,
                    false,
                    "Type of the aggregate the event belongs to.",
                ),
                field(
                    "aggregateVersion",
                    Metadata,
                    Integer { min: Some(1) },
                    false,
                    "Version of the aggregate after the event, for ordering.",
                ),
                field(
                    "payload",
                    Payload,
                    Kind::SubjectSchema,
                    true,
                    "The event's data, per the subject's schema at `eventVersion`.",
                ),
            ],
        }
    }

    /// CloudEvents 1.0 (structured JSON mode), with `correlationid` and `causationid` extensions.
    /// The version comes from `dataschema` (`…/<subject>/v2…` or `…@2`).
    pub fn cloudevents_preset() -> Envelope {
        use Kind::*;
        use Role::*;
        Envelope {
            name: "cloudevents".into(),
            fields: vec![
                field(
                    "specversion",
                    Metadata,
                    Const("1.0".into()),
                    true,
                    "The CloudEvents version, `1.0`.",
                ),
                field(
                    "id",
                    EventId,
                    NonEmptyString,
                    true,
                    "Unique per `source`; consumers deduplicate on `source` + `id`.",
                ),
                field(
                    "source",
                    Metadata,
                    UriReference,
                    true,
                    "The context the event happened in (URI reference).",
                ),
                field(
                    "type",
                    EventType,
                    NonEmptyString,
                    true,
                    "The subject, e.g. `orders.order.placed`.",
                ),
                field(
                    "time",
                    OccurredAt,
                    Timestamp,
                    false,
                    "When the event happened (RFC 3339).",
                ),
                field(
                    "datacontenttype",
                    Metadata,
                    NonEmptyString,
                    false,
                    "Media type of `data`, e.g. `application/json`.",
                ),
                field(
                    "dataschema",
                    DataSchema,
                    UriReference,
                    false,
                    "URI of the payload schema; names the subject version.",
                ),
                field(
                    "correlationid",
                    CorrelationId,
                    NonEmptyString,
                    false,
                    "Extension: ties together the events of one flow.",
                ),
                field(
                    "causationid",
                    CausationId,
                    NonEmptyString,
                    false,
                    "Extension: the `id` of the event that caused this one.",
                ),
                field(
                    "data",
                    Payload,
                    Kind::SubjectSchema,
                    true,
                    "The event's data, per the subject's schema.",
                ),
            ],
        }
    }

    /// No envelope: events are bare payloads.
    pub fn none() -> Envelope {
        Envelope {
            name: "none".into(),
            fields: Vec::new(),
        }
    }

    pub fn preset(name: &str) -> Option<Envelope> {
        match name {
            "default" => Some(Envelope::default_preset()),
            "cloudevents" => Some(Envelope::cloudevents_preset()),
            "none" => Some(Envelope::none()),
            _ => None,
        }
    }

    /// The field playing a role, if the envelope has one.
    pub fn field(&self, role: Role) -> Option<&Field> {
        self.fields.iter().find(|f| f.role == role)
    }
}

impl Envelope {
    /// The envelope as a JSON Schema (draft 2020-12), published under `schemas/` for producers and
    /// consumers that validate with other tools. The payload is any value here: its schema depends
    /// on the event's type and version.
    pub fn json_schema(&self) -> serde_json::Value {
        use serde_json::json;
        let mut properties = serde_json::Map::new();
        for f in &self.fields {
            let mut p = match &f.kind {
                Kind::Uuid => json!({"type": "string", "format": "uuid"}),
                Kind::String => json!({"type": "string"}),
                Kind::NonEmptyString => json!({"type": "string", "minLength": 1}),
                Kind::Integer { min: Some(m) } => json!({"type": "integer", "minimum": m}),
                Kind::Integer { min: None } => json!({"type": "integer"}),
                Kind::Timestamp => json!({"type": "string", "format": "date-time"}),
                Kind::UriReference => {
                    json!({"type": "string", "format": "uri-reference", "minLength": 1})
                }
                Kind::Const(c) => json!({"const": c}),
                Kind::SubjectSchema => json!({}),
            };
            p["description"] = json!(f.doc);
            properties.insert(f.name.clone(), p);
        }
        let required: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name.as_str())
            .collect();
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": format!("urn:evreg:envelope:{}", self.name),
            "title": format!("evreg `{}` event envelope", self.name),
            "type": "object",
            "required": required,
            "properties": properties,
        })
    }
}

/// The `envelope:` setting: a preset name, or a mapping that starts from a preset (`preset`,
/// default `default`), drops fields (`remove`) and adds or replaces fields (`fields`).
pub fn from_setting(v: &serde_json::Value) -> Result<Envelope, String> {
    use serde_json::Value;
    if let Value::String(name) = v {
        return Envelope::preset(name).ok_or_else(|| {
            format!("unknown envelope `{name}`; the presets are default, cloudevents and none")
        });
    }
    let Value::Object(m) = v else {
        return Err("`envelope` must be a preset name or a mapping".into());
    };
    if let Some(k) = m
        .keys()
        .find(|k| !["preset", "fields", "remove"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown key `{k}` in `envelope`; it takes preset, fields and remove"
        ));
    }
    let base = match m.get("preset") {
        None => "default",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err("`envelope.preset` must be a preset name".into()),
    };
    let mut env =
        Envelope::preset(base).ok_or_else(|| format!("unknown envelope preset `{base}`"))?;
    env.name = "custom".into();
    if let Some(remove) = m.get("remove") {
        let names = remove
            .as_array()
            .ok_or("`envelope.remove` must be a list of field names")?;
        for n in names {
            let n = n
                .as_str()
                .ok_or("`envelope.remove` must be a list of field names")?;
            let before = env.fields.len();
            env.fields.retain(|f| f.name != n);
            if env.fields.len() == before {
                return Err(format!(
                    "`envelope.remove` names `{n}`, which the `{base}` envelope does not have"
                ));
            }
        }
    }
    for (i, f) in m
        .get("fields")
        .map(|f| f.as_array().ok_or("`envelope.fields` must be a list"))
        .transpose()?
        .into_iter()
        .flatten()
        .enumerate()
    {
        let f = f
            .as_object()
            .ok_or_else(|| format!("`envelope.fields[{i}]` must be a mapping"))?;
        if let Some(k) = f
            .keys()
            .find(|k| !["name", "type", "required", "role", "doc"].contains(&k.as_str()))
        {
            return Err(format!(
                "unknown key `{k}` in `envelope.fields[{i}]`; a field takes name, type, required, role and doc"
            ));
        }
        let name = f
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("`envelope.fields[{i}]` needs a `name`"))?;
        let ty = f.get("type").and_then(Value::as_str).unwrap_or("string");
        let kind = match ty {
            "uuid" => Kind::Uuid,
            "string" => Kind::String,
            "non-empty-string" => Kind::NonEmptyString,
            "integer" => Kind::Integer { min: None },
            "positive-integer" => Kind::Integer { min: Some(1) },
            "timestamp" => Kind::Timestamp,
            "uri-reference" => Kind::UriReference,
            "payload" => Kind::SubjectSchema,
            t if t.starts_with("const:") => Kind::Const(t["const:".len()..].to_string()),
            t => {
                return Err(format!(
                    "`envelope.fields[{i}].type` `{t}` is not a field type (uuid, string, non-empty-string, integer, positive-integer, timestamp, uri-reference, payload, const:VALUE)"
                ));
            }
        };
        let role = match f.get("role").and_then(Value::as_str).unwrap_or(
            if kind == Kind::SubjectSchema {
                "payload"
            } else {
                "metadata"
            },
        ) {
            "event-id" => Role::EventId,
            "event-type" => Role::EventType,
            "event-version" => Role::EventVersion,
            "occurred-at" => Role::OccurredAt,
            "published-at" => Role::PublishedAt,
            "correlation-id" => Role::CorrelationId,
            "causation-id" => Role::CausationId,
            "data-schema" => Role::DataSchema,
            "payload" => Role::Payload,
            "metadata" => Role::Metadata,
            r => {
                return Err(format!(
                    "`envelope.fields[{i}].role` `{r}` is not a role (event-id, event-type, event-version, occurred-at, published-at, correlation-id, causation-id, data-schema, payload, metadata)"
                ));
            }
        };
        let required = match f.get("required") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(format!(
                    "`envelope.fields[{i}].required` must be true or false"
                ));
            }
        };
        let doc = f
            .get("doc")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        // A field with a routing role takes that role over from the preset's field.
        if role != Role::Metadata {
            env.fields.retain(|g| g.role != role || g.name == name);
        }
        let field = Field {
            name: name.to_string(),
            role,
            kind,
            required,
            doc,
        };
        match env.fields.iter_mut().find(|g| g.name == name) {
            Some(g) => *g = field,
            None => env.fields.push(field),
        }
    }
    for role in [Role::EventType, Role::Payload] {
        if !env.fields.is_empty() && env.field(role).is_none() {
            return Err(format!(
                "the envelope has no field with role `{}`; events could not be routed",
                if role == Role::EventType {
                    "event-type"
                } else {
                    "payload"
                }
            ));
        }
    }
    Ok(env)
}

impl Default for Envelope {
    fn default() -> Self {
        Envelope::default_preset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// schemas/envelope-*.schema.json are the presets as generated; EVREG_UPDATE_DOCS=1 rewrites them.
    #[test]
    fn published_envelope_schemas_are_current() {
        for name in ["default", "cloudevents"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("schemas/envelope-{name}.schema.json"));
            let want = format!(
                "{}\n",
                serde_json::to_string_pretty(&Envelope::preset(name).unwrap().json_schema())
                    .unwrap()
            );
            if std::env::var_os("EVREG_UPDATE_DOCS").is_some() {
                std::fs::write(&path, &want).unwrap();
            }
            assert_eq!(
                std::fs::read_to_string(&path).unwrap_or_default(),
                want,
                "{} is stale: run `EVREG_UPDATE_DOCS=1 cargo test envelope`",
                path.display()
            );
        }
    }

    #[test]
    fn custom_envelopes_start_from_a_preset() {
        let v = serde_json::json!({"preset": "default", "remove": ["producer"], "fields": [
            {"name": "tenantId", "type": "non-empty-string", "doc": "Tenant."},
            {"name": "id", "type": "uuid", "role": "event-id"}]});
        let e = from_setting(&v).unwrap();
        assert!(
            e.fields
                .iter()
                .all(|f| f.name != "producer" && f.name != "eventId")
        );
        assert_eq!(e.field(Role::EventId).unwrap().name, "id");
        assert!(e.fields.iter().any(|f| f.name == "tenantId" && f.required));
        assert!(
            from_setting(&serde_json::json!({"preset": "default", "colour": 1}))
                .unwrap_err()
                .contains("colour")
        );
        assert!(
            from_setting(&serde_json::json!({"remove": ["payload"]}))
                .unwrap_err()
                .contains("payload")
        );
        assert!(from_setting(&serde_json::json!("soap")).is_err());
    }

    #[test]
    fn presets_route_events() {
        for name in ["default", "cloudevents"] {
            let e = Envelope::preset(name).unwrap();
            assert!(e.field(Role::EventType).is_some(), "{name}");
            assert!(e.field(Role::Payload).is_some(), "{name}");
            assert!(e.field(Role::EventId).is_some(), "{name}");
        }
        assert!(Envelope::preset("none").unwrap().fields.is_empty());
        assert!(Envelope::preset("soap").is_none());
    }
}
