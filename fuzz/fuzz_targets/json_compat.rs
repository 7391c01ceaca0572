//! Differential: for a JSON Schema pair evreg calls compatible, no generated instance valid under
//! the writer may be invalid under the reader (the jsonschema crate decides validity).
#![no_main]
use arbitrary::Unstructured;
use evreg::schema::json::{FileProvider, load};
use evreg::source::SourceFile;
use evreg_fuzz::{DRAFT_2020_12, json_evolve, json_instance, json_schema};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::Arc;

fn with_draft(mut s: Value) -> Value {
    if let Value::Object(o) = &mut s {
        o.insert("$schema".into(), Value::String(DRAFT_2020_12.into()));
    }
    s
}

fn compile(s: &Value) -> Option<jsonschema::Validator> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(s)
        .ok()
}

fuzz_target!(|data: &[u8]| {
    evreg_fuzz::keep_last_input(data);
    let mut u = Unstructured::new(data);
    let Ok(writer) = json_schema(&mut u, 0) else {
        return;
    };
    let Ok(reader) = json_evolve(&mut u, &writer, 0) else {
        return;
    };
    let (writer, reader) = (with_draft(writer), with_draft(reader));
    let model = |path: &str, s: &Value| {
        let source = Arc::new(SourceFile::new(path, s.to_string()));
        let provider = FileProvider::in_memory("/nonexistent-registry", [source.clone()]);
        load(source, path, &provider, Default::default()).schema
    };
    let (Some(w), Some(r)) = (
        model("schemas/a.b.c/v1.schema.json", &writer),
        model("schemas/a.b.c/v2.schema.json", &reader),
    ) else {
        return;
    };
    let compatible = evreg::compat::json::check(&r, &w, evreg::compat::json::Policy::Strict)
        .iter()
        .all(|i| i.severity.unwrap_or(i.rule.severity) != evreg::Severity::Error);
    if !compatible {
        return;
    }
    let (Some(wv), Some(rv)) = (compile(&writer), compile(&reader)) else {
        return;
    };
    for _ in 0..16 {
        let Ok(instance) = json_instance(&mut u, 0) else {
            return;
        };
        if wv.is_valid(&instance) && !rv.is_valid(&instance) {
            panic!(
                "evreg says the reader accepts the writer, but {instance} is valid under the writer and not the reader\nwriter: {writer}\nreader: {reader}"
            );
        }
    }
});
