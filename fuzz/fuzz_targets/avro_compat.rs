//! Differential: for an Avro pair evreg calls compatible (no error finding), data generated for
//! the writer must decode with the reader through Apache Avro's own schema resolution.
#![no_main]
use arbitrary::Unstructured;
use evreg::schema::avro::parse;
use evreg::validate::replay::{ReplayError, apache_schema, replay};
use evreg_fuzz::{AvroGen, avro_datum, avro_source, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    evreg_fuzz::keep_last_input(data);
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
    // A writer type that one reader type matches by name and another by alias (reader `R2` and
    // `R2x` with alias `R2`): the specification resolves each place on its own, as evreg does,
    // while Apache Avro (like Java's applyAliases) renames the writer's type once for the whole
    // schema and then fails at one of the places. That is a known disagreement between
    // implementations, which `evreg check` reports through replay as engine-disagreement, not a
    // verdict this oracle can judge.
    if alias_names_another_type(&reader_json) {
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

/// Does some named type of the schema carry an alias that is the name of another of its types?
fn alias_names_another_type(schema: &serde_json::Value) -> bool {
    fn walk(v: &serde_json::Value, names: &mut Vec<String>, aliases: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(n) = m.get("name").and_then(|n| n.as_str())
                    && m.get("type")
                        .and_then(|t| t.as_str())
                        .is_some_and(|t| matches!(t, "record" | "enum" | "fixed" | "error"))
                {
                    names.push(n.to_string());
                    for a in m
                        .get("aliases")
                        .and_then(|a| a.as_array())
                        .into_iter()
                        .flatten()
                    {
                        aliases.extend(a.as_str().map(str::to_string));
                    }
                }
                m.values().for_each(|x| walk(x, names, aliases));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, names, aliases)),
            _ => {}
        }
    }
    let (mut names, mut aliases) = (Vec::new(), Vec::new());
    walk(schema, &mut names, &mut aliases);
    aliases.iter().any(|a| names.contains(a))
}
