//! The span-keeping JSON parser: never panics, and what it accepts is JSON (serde_json agrees).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    evreg_fuzz::keep_last_input(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(node) = evreg::source::json::parse(text) {
        // Numbers beyond f64 are JSON (RFC 8259 leaves their range to implementations): the
        // strict parser keeps them as written, serde_json refuses them. Anything else must agree.
        if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
            assert!(
                e.to_string().contains("number out of range"),
                "the strict parser accepted what serde_json rejects ({e}): {text:?}"
            );
        }
        // Every span lies inside the text.
        fn spans(n: &evreg::source::json::Node, len: usize) {
            assert!(n.span.start <= n.span.end && n.span.end <= len);
            match &n.value {
                evreg::source::json::Value::Array(items) => {
                    items.iter().for_each(|i| spans(i, len))
                }
                evreg::source::json::Value::Object(members) => {
                    for m in members {
                        assert!(m.key_span.end <= len);
                        spans(&m.value, len);
                    }
                }
                _ => {}
            }
        }
        spans(&node, text.len());
    }
});
