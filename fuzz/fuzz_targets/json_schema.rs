//! The JSON Schema loader: never panics, never reads a file (in-memory provider); a schema it
//! accepts reads itself.
#![no_main]
use evreg::schema::json::{FileProvider, load};
use evreg::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rel = "schemas/fuzz.event.happened/v1.schema.json";
    let source = Arc::new(SourceFile::new(rel, text));
    let provider = FileProvider::in_memory("/nonexistent-registry", [source.clone()]);
    let loaded = load(source, rel, &provider);
    if let Some(schema) = loaded.schema {
        let policy = evreg::compat::json::Policy::Strict;
        let errors: Vec<_> = evreg::compat::json::check(&schema, &schema, policy)
            .into_iter()
            .filter(|i| i.severity.unwrap_or(i.rule.severity) == evreg::Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "a schema does not read itself: {text}\n{errors:#?}"
        );
    }
});
