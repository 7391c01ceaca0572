//! Differential: for an Avro pair evreg calls compatible (no error finding), data generated for
//! the writer must decode with the reader through Apache Avro's own schema resolution.
#![no_main]
use arbitrary::Unstructured;
use evreg::schema::avro::parse;
use evreg::validate::replay::{ReplayError, apache_schema, replay};
use evreg_fuzz::{AvroGen, avro_datum, avro_source, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut g = AvroGen::new();
    let Ok(writer) = g.record(&mut u, 0) else {
        return;
    };
    let Ok(reader) = g.evolve(&mut u, &writer, 0) else {
        return;
    };
    let writer_json = render(&writer, &mut Vec::new());
    let reader_json = render(&reader, &mut Vec::new());
    let (Some(w), Some(r)) = (
        parse(avro_source("w.avsc", &writer_json)).schema,
        parse(avro_source("r.avsc", &reader_json)).schema,
    ) else {
        return;
    };
    let compatible = evreg::compat::avro::check(&r, &w)
        .iter()
        .all(|i| i.severity.unwrap_or(i.rule.severity) != evreg::Severity::Error);
    if !compatible {
        return;
    }
    let (Ok(wa), Ok(ra)) = (apache_schema(&w), apache_schema(&r)) else {
        return;
    };
    for _ in 0..4 {
        let Ok(Some(datum)) = avro_datum(&mut u, &w, w.root, 0) else {
            return;
        };
        // Replay that cannot run (a generated datum the writer cannot encode) says nothing.
        if let Err(ReplayError::Read(e)) = replay(&w, &wa, &ra, &datum) {
            panic!(
                "evreg says the reader reads the writer, Apache Avro fails: {e}\nwriter: {writer_json}\nreader: {reader_json}\ndatum: {datum}"
            );
        }
    }
});
