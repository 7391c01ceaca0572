//! evreg.yaml and subject.yaml: never panic, whatever the YAML (aliases, tags, deep nesting).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    evreg_fuzz::keep_last_input(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = evreg::registry::config::parse_settings("evreg.yaml", text) {
        // Errors point into the file; YAML breaks lines at LF, CRLF and a lone CR.
        let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1;
        assert!(e.line <= lines, "{e}");
    }
    let _ = evreg::registry::config::parse_subject_meta("schemas/a.b.c/subject.yaml", text);
});
