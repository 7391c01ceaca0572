//! Loading schema files into models that keep positions: `avro` for `.avsc`, `json` for JSON
//! Schema (`$ref` resolution across the registry's files included). And what a payload is under
//! one model, which the engines (confirming examples) and validation both need: `avro_payload`
//! (does a JSON value fit an Avro schema), `formats`/`syntax` (UUIDs, timestamps, decimals),
//! `wording` (validation errors in evreg's words), `apache` and `replay` (a version as Apache
//! Avro holds it, and Avro binary written with one version and read with another).

#[cfg(feature = "replay")]
pub mod apache;
pub mod avro;
pub mod avro_payload;
pub mod canonical;
pub mod formats;
pub mod json;
#[cfg(feature = "replay")]
pub mod replay;
pub mod syntax;
pub mod wording;

use crate::finding::{Finding, Location};
use crate::rules;
use crate::source::json::{self as source_json, Node};
use crate::source::{SourceFile, Span};
use std::sync::Arc;

/// The schema formats a subject can have, told apart by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Avro,
    JsonSchema,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Avro => "avsc",
            Format::JsonSchema => "schema.json",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Format::Avro => "avro",
            Format::JsonSchema => "json-schema",
        }
    }
    /// The format of a file, by its name: `.avsc` is Avro, `.json` JSON Schema.
    pub fn of_path(path: &str) -> Option<Format> {
        if path.ends_with(".avsc") {
            Some(Format::Avro)
        } else if path.ends_with(".json") {
            Some(Format::JsonSchema)
        } else {
            None
        }
    }
}

/// Decode a file's bytes; a non-UTF-8 file becomes a finding that points at the first bad byte.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Finding> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Arc::new(SourceFile::new(path, text))),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let file = SourceFile::new(path, valid);
            Err(Finding::new(
                &rules::SCHEMA_PARSE_ERROR,
                format!("{path} is not UTF-8 text (invalid byte at offset {offset})"),
                "save the file as UTF-8",
            )
            .at(Location::at(&file, "", Some(Span::new(offset, offset)))))
        }
    }
}

/// Parse a file as JSON, or say where and why it is not.
pub fn parse_json(file: &SourceFile) -> Result<Node, Finding> {
    source_json::parse(&file.text).map_err(|e| {
        Finding::new(
            &rules::SCHEMA_PARSE_ERROR,
            format!("{} is not valid JSON: {}", file.path, e.message),
            "fix the JSON at the position shown; `python3 -m json.tool FILE` shows the same error",
        )
        .at(Location::at(
            file,
            "",
            Some(Span::new(e.offset, e.offset + 1)),
        ))
    })
}
