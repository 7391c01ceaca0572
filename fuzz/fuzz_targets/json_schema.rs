//! The JSON Schema loader: never panics, never reads a file (in-memory provider); a schema it
//! accepts reads itself.
#![no_main]
use evreg::schema::json::{Draft, FileProvider, load};
use evreg::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    evreg_fuzz::keep_last_input(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rel = "schemas/fuzz.event.happened/v1.schema.json";
    let source = Arc::new(SourceFile::new(rel, text));
    let provider = FileProvider::in_memory("/nonexistent-registry", [source.clone()]);
    // The draft assumed for a file without `$schema`, picked by the input so each is reached.
    let drafts = [Draft::D4, Draft::D6, Draft::D7, Draft::D2019, Draft::D2020];
    let draft = drafts[data.len() % drafts.len()];
    let loaded = load(source, rel, &provider, draft);
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
