//! The event reader and validator: arbitrary bytes as an NDJSON stream and as one `.json` event,
//! routed by their envelope against the test registry with Avro and JSON Schema subjects. Never
//! panics; every finding's line lies inside the input.
#![no_main]
use evreg::validate::events::{Catalog, Expect};
use evreg::validate::input::{Checked, validate_document, validate_stream};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static REGISTRY: LazyLock<evreg::Registry> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/events");
    evreg::Registry::load(&dir).expect("the events test registry loads")
});

fuzz_target!(|data: &[u8]| {
    evreg_fuzz::keep_last_input(data);
    let catalog = Catalog::new(&REGISTRY);
    let lines = data.iter().filter(|b| **b == b'\n').count() + 1;
    let within = |name: &str, checked: &Checked| {
        for f in &checked.findings {
            if let Some(line) = f.location.as_ref().and_then(|l| l.line) {
                assert!(
                    line <= lines,
                    "{name}: finding on line {line} of {lines}: {f:?}"
                );
            }
        }
    };
    let mut events = 0;
    validate_stream(&catalog, "fuzz.ndjson", data, Expect::Routed, &mut |c| {
        within("fuzz.ndjson", &c);
        events += 1;
        std::ops::ControlFlow::Continue(())
    })
    .expect("reading from memory cannot fail");
    assert!(events <= lines, "{events} verdicts for {lines} lines");
    within(
        "fuzz.json",
        &validate_document(&catalog, "fuzz.json", data.to_vec(), Expect::Routed),
    );
});
