//! Every valid fixture (a whole event) of a registry read through the generated `AnyEvent`:
//! routed to its subject and version, serialized and read back to an equal value, and upgraded
//! to the subject's latest version with the defaults its schema states.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixture: subject, version, file.
struct Fixture {
    subject: String,
    version: u32,
    path: PathBuf,
    text: String,
}

/// `fixtures/<subject>/v<N>/*.json` of a registry: the valid ones, or those under `invalid/`.
fn fixtures(registry: &Path, invalid: bool) -> Vec<Fixture> {
    let mut out = Vec::new();
    let Ok(subjects) = fs::read_dir(registry.join("fixtures")) else {
        return out;
    };
    for subject in subjects.flatten().filter(|e| e.path().is_dir()) {
        let name = subject.file_name().to_string_lossy().into_owned();
        for version in fs::read_dir(subject.path()).unwrap().flatten() {
            let vname = version.file_name().to_string_lossy().into_owned();
            let Some(number) = vname.strip_prefix('v').and_then(|n| n.parse().ok()) else {
                continue;
            };
            let dir = if invalid {
                version.path().join("invalid")
            } else {
                version.path()
            };
            let Ok(files) = fs::read_dir(&dir) else {
                continue;
            };
            for file in files.flatten() {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "json") && path.is_file() {
                    out.push(Fixture {
                        subject: name.clone(),
                        version: number,
                        text: fs::read_to_string(&path).unwrap(),
                        path,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The schema of every version of a subject, as JSON.
fn schemas(registry: &Path, subject: &str) -> BTreeMap<u32, Value> {
    let mut out = BTreeMap::new();
    for file in fs::read_dir(registry.join("schemas").join(subject))
        .unwrap()
        .flatten()
    {
        let name = file.file_name().to_string_lossy().into_owned();
        if let Some(n) = name
            .strip_prefix('v')
            .and_then(|n| n.strip_suffix(".avsc"))
            .and_then(|n| n.parse().ok())
        {
            let text = fs::read_to_string(file.path()).unwrap();
            out.insert(n, serde_json::from_str(&text).unwrap());
        }
    }
    out
}

/// A field's schema default as an event carries it: an Avro decimal default (big-endian two's
/// complement bytes, one code point each) becomes its decimal text.
fn default_as_event_value(field: &Value) -> Value {
    let default = field["default"].clone();
    let ty = &field["type"];
    if ty["logicalType"] == "decimal"
        && let Some(s) = default.as_str()
    {
        let scale = ty["scale"].as_u64().unwrap_or(0) as usize;
        let bytes: Vec<u8> = s.chars().map(|c| c as u8).collect();
        let mut n: i128 = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
            -1
        } else {
            0
        };
        for b in bytes {
            n = (n << 8) | i128::from(b);
        }
        let digits = format!("{:0>width$}", n.unsigned_abs(), width = scale + 1);
        let (int, frac) = digits.split_at(digits.len() - scale);
        let sign = if n < 0 { "-" } else { "" };
        return Value::String(if scale == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        });
    }
    default
}

/// Does `actual` hold everything `expected` states? Members a record default leaves out are
/// filled by their own defaults, so `actual` may have more.
fn states(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|x| states(x, v))),
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(x, v)| states(x, v))
        }
        (Value::Number(a), Value::Number(e)) => a.as_f64() == e.as_f64(),
        (a, e) => a == e,
    }
}

/// Equal, with numbers equal to float precision.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-6 * x.abs().max(y.abs()).max(1.0)
        }
        (x, y) => x == y,
    }
}

/// The checks, for the `AnyEvent` of one generated module.
macro_rules! check_registry {
    ($module:path, $registry:expr) => {{
        use $module as events;
        let registry: PathBuf = $registry;
        let all = fixtures(&registry, false);
        for f in &all {
            let shown = f.path.display();
            let event = events::AnyEvent::from_json(&f.text)
                .unwrap_or_else(|e| panic!("{shown} does not read: {e}"));
            assert_eq!(event.event_type(), f.subject, "{shown}");
            assert_eq!(event.event_version(), f.version, "{shown}");

            // Serialized and read back: the same value.
            let json = serde_json::to_string(&event).unwrap();
            let again = events::AnyEvent::from_json(&json)
                .unwrap_or_else(|e| panic!("{shown} does not read back: {e}\n{json}"));
            assert_eq!(again, event, "{shown} round trip");

            // Upgraded to the latest version: fields the old version lacks take the defaults
            // the latest schema states, and reading the old payload as the latest version
            // directly (the dual read) gives the same value.
            let versions = schemas(&registry, &f.subject);
            let Some(&latest) = versions.keys().last() else {
                // A JSON Schema subject: where evreg proved each version reads the one before,
                // the upgrade equals reading the old payload as the newer version directly.
                let upgraded = event.clone().into_latest();
                if upgraded.event_version() != f.version {
                    let mut as_latest: Value = serde_json::from_str(&f.text).unwrap();
                    as_latest["eventVersion"] = upgraded.event_version().into();
                    let direct = events::AnyEvent::from_json(&as_latest.to_string())
                        .unwrap_or_else(|e| panic!("{shown} read as the latest version: {e}"));
                    assert_eq!(direct, upgraded, "{shown}: the dual read and the upcast differ");
                }
                continue;
            };
            let upgraded = event.clone().into_latest();
            if f.version == latest || upgraded.event_version() != latest {
                continue;
            }
            let old_fields: Vec<String> = versions[&f.version]["fields"]
                .as_array()
                .map(|fs| fs.iter().map(|x| x["name"].as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            let payload = serde_json::to_value(&upgraded).unwrap()["payload"].clone();
            for field in versions[&latest]["fields"].as_array().into_iter().flatten() {
                let name = field["name"].as_str().unwrap();
                let aliases: Vec<&str> = field["aliases"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let known = old_fields.iter().any(|o| o == name || aliases.contains(&o.as_str()));
                if !known && field.get("default").is_some() {
                    let expected = default_as_event_value(field);
                    assert!(
                        states(&payload[name], &expected),
                        "{shown}: `{name}` after the upgrade to v{latest} is {}, the default {expected}",
                        payload[name]
                    );
                }
            }
            // Where the old payload is also a valid payload of the latest version (no renamed
            // field, removed member or symbol: events carry their own version's names), reading
            // it directly equals the upgrade.
            let mut as_latest: Value = serde_json::from_str(&f.text).unwrap();
            as_latest["eventVersion"] = latest.into();
            let Ok(direct) = events::AnyEvent::from_json(&as_latest.to_string()) else {
                continue;
            };
            // A float widened to a double keeps the float's rounding; the direct read does not.
            let (direct, upgraded) = (
                serde_json::to_value(&direct).unwrap(),
                serde_json::to_value(&upgraded).unwrap(),
            );
            assert!(
                same(&direct, &upgraded),
                "{shown}: the dual read and the upcast differ:\n{direct}\n{upgraded}"
            );
        }
        all.len()
    }};
}

#[test]
fn every_fixture_of_the_codegen_registry_reads_round_trips_and_upgrades() {
    let n = check_registry!(events_consumer::events, repo().join("tests/data/codegen"));
    assert!(n >= 10, "only {n} fixtures found");
}

#[test]
fn invalid_fixtures_of_the_codegen_registry_do_not_read() {
    let invalid = fixtures(&repo().join("tests/data/codegen"), true);
    assert!(!invalid.is_empty());
    for f in invalid {
        assert!(
            events_consumer::events::AnyEvent::from_json(&f.text).is_err(),
            "{} reads",
            f.path.display()
        );
    }
}

#[cfg(bundled_registry)]
#[test]
fn every_fixture_of_the_bundled_registry_reads_round_trips_and_upgrades() {
    let n = check_registry!(events_consumer::bundled, repo());
    assert!(n > 0, "the repository's registry has no fixtures");
}

/// The same with `--uuid --chrono --rust-decimal` and with `--uuid --time --rust-decimal`
/// (feature `crate-types`): the crates' types read, write back and upgrade every fixture.
#[cfg(feature = "crate-types")]
#[test]
fn every_fixture_of_the_codegen_registry_reads_with_the_crate_types_too() {
    let n = check_registry!(
        events_consumer::events_chrono,
        repo().join("tests/data/codegen")
    );
    assert!(n >= 10, "only {n} fixtures found");
    let n = check_registry!(
        events_consumer::events_time,
        repo().join("tests/data/codegen")
    );
    assert!(n >= 10, "only {n} fixtures found");
}
