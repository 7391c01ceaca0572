//! `evreg validate` and the generated Rust judge the same events alike. A corpus of events is
//! generated from a valid event per subject of `tests/data/parity` (every schema construct): each
//! member of the envelope and the payload, nested ones included, in turn replaced by every probe
//! value (valid and invalid JSON forms of every construct), removed, or joined by an unknown
//! member. `evreg validate` (its library, on the corpus as one NDJSON stream) and `AnyEvent`
//! of the generated module must accept and reject exactly the same events.

use serde_json::{Value, json};
use std::path::Path;

fn base_avro() -> Value {
    json!({
        "eventId": "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
        "eventType": "parity.record.checked",
        "eventVersion": 1,
        "occurredAt": "2026-11-25T08:30:00Z",
        "correlationId": "flow-1",
        "payload": {
            "i": 1, "l": 2, "f": 1.5, "d": 2.5, "b": true, "s": "text",
            "raw": "\u{0}\u{ff}", "hash": "abcd", "color": "RED", "price": "19.99",
            "id": "5d2c8a1e-2f7b-4e0b-a9a4-3c2b1d0e9f11", "day": 20000, "tod": 1000,
            "todMicros": 1000000, "at": 1795248000000i64, "atMicros": 1795248000000000i64,
            "atLocal": 1795248000000i64, "dayMaybe": 20001, "days": [20002], "tags": ["a"], "counts": {"x": 1}, "note": "n",
            "gift": null, "choice": "s",
            "lines": [{"sku": "A-1", "quantity": 2, "unit": "1.25"}], "level": 1
        }
    })
}

fn base_json() -> Value {
    json!({
        "eventId": "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
        "eventType": "parity.document.checked",
        "eventVersion": 1,
        "occurredAt": "2026-11-25T08:30:00Z",
        "correlationId": "flow-2",
        "payload": {
            "id": "5d2c8a1e-2f7b-4e0b-a9a4-3c2b1d0e9f11", "at": "2026-11-25T08:30:00+01:00",
            "day": "2026-11-25", "dayMaybe": "2026-11-26", "since": "2026-11-24T08:00:00Z",
            "stamps": ["2026-11-25T08:30:00.5-02:00"], "count": 3, "ratio": 0.5, "flag": false, "kind": "a",
            "note": null, "label": "l", "items": [{"sku": "A-1", "qty": 1}],
            "attrs": {"x": 1}, "shape": {"r": 1.5}, "meta": {"source": "web", "other": 1}
        }
    })
}

/// Values of every JSON form the constructs take, well and badly.
fn probes() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(7),
        json!(2.0),
        json!(1.5),
        json!(2147483648i64),
        json!(86400000),
        json!(-9007199254740993i64),
        json!(1e39),
        json!(3.0e38),
        json!(""),
        json!("x"),
        json!(" "),
        json!("RED"),
        json!("BLUE"),
        json!("a"),
        json!("NaN"),
        json!("Infinity"),
        json!("\u{0}\u{ff}ab"),
        json!("€uro"),
        json!("19.99"),
        json!("-0.5"),
        json!("1234567.891"),
        json!("123456789"),
        json!("1e5"),
        json!(19.99),
        json!(12345678.5),
        json!("3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"),
        json!("3F2A1C9E-8B7D-4E6F-9A0B-1C2D3E4F5A6B"),
        json!("3f2a1c9e8b7d4e6f9a0b1c2d3e4f5a6b"),
        json!("2026-11-25T08:30:00Z"),
        json!("2026-11-25T08:30:00.123+05:30"),
        json!("2026-11-25T08:30:00"),
        json!("2016-12-31T23:59:60Z"),
        json!("2026-11-25t08:30:00z"),
        json!("9999-12-31T23:59:59.999999999Z"),
        json!("0000-01-01"),
        json!("2024-02-29"),
        json!("2026-02-30T00:00:00Z"),
        json!("yesterday"),
        json!("2026-11-25"),
        json!("2026-13-01"),
        json!("08:30:00"),
        json!("25:00:00"),
        json!([]),
        json!(["a", "b"]),
        json!([1]),
        json!([{"sku": "B", "quantity": 1}]),
        json!([{"sku": "B", "quantity": "1"}]),
        json!([{"sku": "B", "qty": 1}]),
        json!({}),
        json!({"x": 1, "y": 2}),
        json!({"x": "1"}),
        json!({"string": "gift"}),
        json!({"long": 5}),
        json!({"null": null}),
        json!({"int": 5}),
        json!({"parity.Box": {"w": 1}}),
        json!({"Box": {"w": "1"}}),
        json!({"w": 2}),
        json!({"r": 2}),
        json!({"r": 2, "s": 1}),
        json!({"source": 1}),
        json!({"bytes": "1.25"}),
    ]
}

/// Every object member (at any depth, through arrays) as a path of keys and indices.
fn paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(json!(k));
                out.push(at.clone());
                paths(x, at, out);
                at.pop();
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                at.push(json!(i));
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The parent of the member at `path`, and the member's key.
fn parent<'a>(v: &'a mut Value, path: &[Value]) -> (&'a mut Value, String) {
    let (last, init) = path.split_last().expect("a member path");
    let mut cur = v;
    for p in init {
        cur = match p {
            Value::String(k) => &mut cur[k.as_str()],
            Value::Number(i) => &mut cur[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    (cur, last.as_str().unwrap().to_string())
}

fn corpus() -> Vec<Value> {
    let mut out = Vec::new();
    for base in [base_avro(), base_json()] {
        let json_schema = base == base_json();
        out.push(base.clone());
        let mut all = Vec::new();
        paths(&base, &mut Vec::new(), &mut all);
        for path in &all {
            // A JSON Schema `integer` beyond i64 (`1e39`) is valid but does not fit the
            // generated `i64`: README lists it among the differences.
            for probe in probes()
                .into_iter()
                .filter(|p| !json_schema || p.as_f64().is_none_or(|f| f.abs() < 9.2e18))
            {
                let mut e = base.clone();
                let (p, k) = parent(&mut e, path);
                p[k.as_str()] = probe;
                out.push(e);
            }
            let mut removed = base.clone();
            let (p, k) = parent(&mut removed, path);
            p.as_object_mut().unwrap().remove(&k);
            out.push(removed);
            let mut extra = base.clone();
            let (p, _) = parent(&mut extra, path);
            p["unknownMember"] = json!(1);
            out.push(extra);
        }
        // Envelope times in and out of order.
        for published in [
            "2026-11-25T08:29:59Z",
            "2026-11-25T09:30:00+01:00",
            "2026-11-26T00:00:00Z",
        ] {
            let mut e = base.clone();
            e["publishedAt"] = json!(published);
            out.push(e);
        }
    }
    out
}

/// `evreg validate`'s verdict on each event of `events` (valid, and the errors if not).
fn validate(events: &[Value]) -> Vec<(bool, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/parity");
    let registry = evreg::Registry::load(&root).expect("the parity registry loads");
    let catalog = evreg::validate::events::Catalog::new(&registry);
    let stream: String = events.iter().map(|e| format!("{e}\n")).collect();
    let mut verdicts: Vec<(bool, String)> = Vec::with_capacity(events.len());
    evreg::validate::input::validate_stream(
        &catalog,
        "corpus.ndjson",
        stream.as_bytes(),
        evreg::validate::events::Expect::Routed,
        &mut |checked| {
            let errors: Vec<String> = registry
                .settings
                .apply_severities(checked.findings)
                .iter()
                .filter(|f| f.severity == evreg::Severity::Error)
                .map(|f| f.message.clone())
                .collect();
            verdicts.push((errors.is_empty(), errors.join("; ")));
            std::ops::ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert_eq!(verdicts.len(), events.len(), "one verdict per event");
    verdicts
}

/// Every event of the corpus through `evreg validate` and through `decode` (a generated
/// module's `AnyEvent`: the event read, then written back as JSON): the verdicts must match,
/// and what the generated code writes back must be an event `evreg validate` accepts and the
/// generated code reads to the same value. `beyond_range` says which refusals of a valid event
/// are the documented limit of a crate type (README: a date or time beyond its range).
fn agree(
    decode: impl Fn(&str) -> Result<(String, bool), String>,
    beyond_range: impl Fn(&str) -> bool,
) {
    let corpus = corpus();
    let verdicts = validate(&corpus);
    let mut disagree = Vec::new();
    let mut written = Vec::new();
    for (event, (valid, why)) in corpus.iter().zip(&verdicts) {
        let decoded = decode(&event.to_string());
        let limit = matches!(&decoded, Err(e) if *valid && beyond_range(e));
        if decoded.is_ok() != *valid && !limit {
            disagree.push(format!(
                "{event}\n  evreg validate: {}\n  generated: {}",
                if *valid {
                    "valid".to_string()
                } else {
                    why.clone()
                },
                match &decoded {
                    Ok(_) => "valid".to_string(),
                    Err(e) => e.clone(),
                }
            ));
        }
        if let Ok((text, round_trips)) = decoded {
            if !round_trips {
                disagree.push(format!(
                    "{event}\n  written back as {text}, read back differently"
                ));
            }
            written.push((event, serde_json::from_str::<Value>(&text).unwrap()));
        }
    }
    let again: Vec<Value> = written.iter().map(|(_, w)| w.clone()).collect();
    for ((event, w), (valid, why)) in written.iter().zip(validate(&again)) {
        if !valid {
            disagree.push(format!(
                "{event}\n  written back as {w}: evreg validate: {why}"
            ));
        }
    }
    let valid = verdicts.iter().filter(|(v, _)| *v).count();
    assert!(
        disagree.is_empty(),
        "{} of {} events judged differently:\n{}",
        disagree.len(),
        corpus.len(),
        disagree.join("\n")
    );
    // The corpus exercises both verdicts, many times over.
    assert!(
        valid >= 100 && corpus.len() - valid >= 300,
        "{valid} valid of {}",
        corpus.len()
    );
}

/// Read, write back, read again: (the text written, whether the second read writes the same
/// text — a fixed point; comparing the values would call `NaN` unequal to itself).
macro_rules! round_trip {
    ($module:path) => {
        |text: &str| {
            use $module as m;
            let event = m::AnyEvent::from_json(text).map_err(|e| e.to_string())?;
            let written = serde_json::to_string(&event).map_err(|e| e.to_string())?;
            let again = m::AnyEvent::from_json(&written)
                .ok()
                .and_then(|a| serde_json::to_string(&a).ok());
            Ok((written.clone(), again == Some(written)))
        }
    };
}

#[test]
fn evreg_validate_and_the_generated_code_agree_on_every_event_of_the_corpus() {
    agree(round_trip!(events_consumer::parity), |_| false);
}

/// The same with `--uuid --chrono --rust-decimal`: the crates' types read what validate accepts.
#[cfg(feature = "crate-types")]
#[test]
fn with_uuid_chrono_and_rust_decimal_types_too() {
    agree(round_trip!(events_consumer::parity_chrono), |e| {
        e.contains("is out of range for ::chrono::")
    });
}

/// The same with `--uuid --time --rust-decimal`.
#[cfg(feature = "crate-types")]
#[test]
fn with_uuid_time_and_rust_decimal_types_too() {
    agree(round_trip!(events_consumer::parity_time), |e| {
        e.contains("is out of range for ::time::")
    });
}
