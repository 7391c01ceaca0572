//! The registry parsed: each version in its format's model, with the findings parsing makes.
//! Below `check`, `validate` (fixtures, events), `diff`, codegen and serve: each reads models from
//! here, and none imports another to get them. A subject is parsed once per command (`check`
//! hands the models of subjects with fixtures on to the fixture checks).

use crate::finding::{Finding, Location};
use crate::registry::Subject;
use crate::schema::avro::{self, AvroSchema};
use crate::schema::json::{Draft, FileProvider, JsonSchema};
use crate::schema::{self, Format};
use crate::source::SourceFile;
use std::sync::Arc;

/// A parsed version of a subject, in its format's model.
pub enum Model {
    Avro(AvroSchema),
    Json(JsonSchema),
}

/// A schema model that maps (file, pointer) to a location: file 0 is the version's own file,
/// others are files its references reach.
pub trait Locate {
    fn locate(&self, file: usize, pointer: &str) -> Location;
}

impl Locate for AvroSchema {
    fn locate(&self, _file: usize, pointer: &str) -> Location {
        self.location(pointer)
    }
}

impl Locate for JsonSchema {
    fn locate(&self, file: usize, pointer: &str) -> Location {
        self.location(file, pointer)
    }
}

/// Parse every version of a subject once. Returns the models (None where a version is invalid)
/// and the parse findings, tagged with subject and version. `provider` reads the other files
/// JSON Schema `$ref`s reach.
pub fn parse_subject(
    subject: &Subject,
    provider: &FileProvider,
) -> (Vec<Option<Model>>, Vec<Finding>) {
    let mut models = Vec::with_capacity(subject.versions.len());
    let mut findings = Vec::new();
    for v in &subject.versions {
        if !v.readable {
            models.push(None);
            continue;
        }
        let (model, found) = parse_file(
            v.source.clone(),
            &v.source.path,
            v.format,
            provider,
            subject.json_schema_draft,
        );
        findings.extend(
            found
                .into_iter()
                .map(|f| f.subject(&subject.name).version(v.number)),
        );
        models.push(model);
    }
    (models, findings)
}

/// Parse one file in its format; `rel` is its path relative to the provider's root, `draft` the
/// JSON Schema draft assumed when the file has no `$schema`.
pub fn parse_file(
    source: Arc<SourceFile>,
    rel: &str,
    format: Format,
    provider: &FileProvider,
    draft: Draft,
) -> (Option<Model>, Vec<Finding>) {
    match format {
        Format::Avro => {
            let parsed = avro::parse_with(source, provider.avro_shared());
            (parsed.schema.map(Model::Avro), parsed.findings)
        }
        Format::JsonSchema => {
            let loaded = schema::json::load(source, rel, provider, draft);
            (loaded.schema.map(Model::Json), loaded.findings)
        }
    }
}
