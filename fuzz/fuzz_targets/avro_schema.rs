//! The Avro schema parser: never panics; a schema it accepts reads itself, and the schema built
//! from its parse for Apache Avro is Apache Avro's own parse of the text.
#![no_main]
use evreg::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    evreg_fuzz::keep_last_input(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = evreg::schema::avro::parse(Arc::new(SourceFile::new("fuzz.avsc", text)));
    if let Some(schema) = parsed.schema {
        // Apache Avro's schema built from evreg's parse is Apache Avro's own parse of the text.
        if let Err(e) = evreg::schema::apache::from_json::compare_with_apache(&schema) {
            panic!("{text}\n{e}");
        }
        let errors: Vec<_> = evreg::compat::avro::check(&schema, &schema)
            .into_iter()
            .filter(|i| i.severity.unwrap_or(i.rule.severity) == evreg::Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "a schema does not read itself: {text}\n{errors:#?}"
        );
    }
});
