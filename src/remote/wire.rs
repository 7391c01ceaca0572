//! Request and response bodies of the Schema Registry REST API, as its documentation names them.

use serde::{Deserialize, Serialize};

/// The content type of every response (and of requests this crate sends).
pub const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// A schema type as the API spells it; `AVRO` is implied when a body omits `schemaType`.
pub fn schema_type(format: crate::schema::Format) -> &'static str {
    match format {
        crate::schema::Format::Avro => "AVRO",
        crate::schema::Format::JsonSchema => "JSON",
    }
}

/// The format a `schemaType` names (`None`: a type evreg does not keep, such as PROTOBUF).
pub fn format_of(schema_type: Option<&str>) -> Option<crate::schema::Format> {
    match schema_type.unwrap_or("AVRO").to_ascii_uppercase().as_str() {
        "AVRO" => Some(crate::schema::Format::Avro),
        "JSON" => Some(crate::schema::Format::JsonSchema),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub name: String,
    pub subject: String,
    pub version: u32,
}

/// The body of `POST /subjects/{s}`, `POST /subjects/{s}/versions` and
/// `POST /compatibility/subjects/{s}/versions/{v}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SchemaRequest {
    pub schema: String,
    #[serde(
        rename = "schemaType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schema_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// `GET /subjects/{s}/versions/{v}` and `POST /subjects/{s}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectVersion {
    pub subject: String,
    pub version: u32,
    pub id: u32,
    pub schema: String,
    #[serde(
        rename = "schemaType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schema_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// `GET /schemas/ids/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SchemaById {
    pub schema: String,
    #[serde(
        rename = "schemaType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schema_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// `GET /schemas/ids/{id}/versions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionOf {
    pub subject: String,
    pub version: u32,
}

/// `POST /subjects/{s}/versions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registered {
    pub id: u32,
}

/// `POST /compatibility/…`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Compatibility {
    pub is_compatible: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

/// `GET /config`, `GET /config/{s}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    #[serde(rename = "compatibilityLevel")]
    pub compatibility_level: String,
}

/// `PUT /config`, `PUT /config/{s}` (request and response).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfigUpdate {
    pub compatibility: String,
}

/// `GET /mode`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModeBody {
    pub mode: String,
}

/// Every error: an HTTP status and a Schema Registry error code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error_code: u32,
    pub message: String,
}

/// The error codes evreg answers with, as Schema Registry documents them.
pub mod code {
    pub const SUBJECT_NOT_FOUND: u32 = 40401;
    pub const VERSION_NOT_FOUND: u32 = 40402;
    pub const SCHEMA_NOT_FOUND: u32 = 40403;
    pub const SUBJECT_CONFIG_NOT_FOUND: u32 = 40408;
    pub const INCOMPATIBLE: u32 = 409;
    pub const INVALID_SCHEMA: u32 = 42201;
    pub const INVALID_VERSION: u32 = 42202;
    pub const INVALID_COMPATIBILITY_LEVEL: u32 = 42203;
    pub const OPERATION_NOT_PERMITTED: u32 = 42205;
    pub const STORE_ERROR: u32 = 50001;
}
