//! Hostile and unlucky input end to end: every case runs under a time limit on generated input,
//! and must end in findings (or a clear refusal), never a panic, a hang or a silent pass.

use serde_json::Value;
use std::path::Path;
use std::time::Duration;

mod common;
use common::{copy_of, data, evreg, report_of, rules_of};

/// Generous for a debug build on a busy machine, far below what quadratic work would take.
const LIMIT: Duration = Duration::from_secs(20);

/// A valid whole event of `shop.order.placed` v1 in the `events` registry, on one line.
fn good_event() -> Value {
    let text =
        std::fs::read_to_string(data("events/fixtures/shop.order.placed/v1/basic.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `evreg validate -` on `input` with JSON output: the report and the exit code.
fn validate_stdin(dir: &Path, extra: &[&str], input: Vec<u8>) -> (Value, i32) {
    let out = evreg(dir)
        .args(["validate", "--output", "json"])
        .args(extra)
        .arg("-")
        .write_stdin(input)
        .timeout(LIMIT)
        .output()
        .unwrap();
    (
        report_of(&out),
        out.status.code().expect("evreg was killed"),
    )
}

#[test]
fn event_versions_that_name_no_registered_version_are_findings() {
    let dir = data("events");
    for (version, rule) in [
        ("4294967296", "event-unknown-version"),
        ("4294967297", "event-unknown-version"),
        ("18446744073709551615", "event-unknown-version"),
        ("18446744073709551616", "envelope-field-invalid"),
        ("-1", "envelope-field-invalid"),
        ("0", "envelope-field-invalid"),
        ("1.5", "envelope-field-invalid"),
        ("1e3", "envelope-field-invalid"),
        ("\"1\"", "envelope-field-invalid"),
        ("null", "envelope-field-invalid"),
    ] {
        let line = serde_json::to_string(&good_event())
            .unwrap()
            .replace("\"eventVersion\":1", &format!("\"eventVersion\":{version}"));
        assert!(line.contains(version), "{line}");
        let (report, code) = validate_stdin(&dir, &[], line.into_bytes());
        assert_eq!(code, 1, "eventVersion {version}: {report}");
        assert_eq!(
            rules_of(&report),
            [rule],
            "eventVersion {version}: {report}"
        );
    }
}

#[test]
fn custom_version_fields_and_schema_uris_route_or_report() {
    let reg = copy_of("events");
    std::fs::write(
        reg.path().join("evreg.yaml"),
        "compatibility: BACKWARD\nenvelope:\n  preset: default\n  fields:\n    - {name: eventVersion, type: integer, role: event-version, required: false}\n    - {name: release, type: string}\n",
    )
    .unwrap();
    let mut event = good_event();
    // An optional version field left out: the payload is validated against the latest version.
    event.as_object_mut().unwrap().remove("eventVersion");
    event["release"] = "x".into();
    event["payload"]["quantity"] = "two".into();
    let (report, _) = validate_stdin(reg.path(), &[], event.to_string().into_bytes());
    assert_eq!(rules_of(&report), ["payload-invalid"], "{report}");
    assert_eq!(report["findings"][0]["version"], 2, "{report}");
    event["payload"]["quantity"] = 2.into();
    for (version, rule) in [
        (serde_json::json!(-3), "envelope-field-invalid"),
        (serde_json::json!(4294967296u64), "event-unknown-version"),
        (serde_json::json!("v1"), "envelope-field-invalid"),
    ] {
        event["eventVersion"] = version.clone();
        let (report, code) = validate_stdin(reg.path(), &[], event.to_string().into_bytes());
        assert_eq!(code, 1, "{version}: {report}");
        assert_eq!(rules_of(&report), [rule], "{version}: {report}");
    }
    std::fs::write(reg.path().join("evreg.yaml"), "envelope: cloudevents\n").unwrap();
    for (uri, rule) in [
        (
            "https://schemas.example.com/shop.order.placed/v4294967296",
            Some("event-unknown-version"),
        ),
        (
            "urn:evreg:shop.order.placed@99999999999999999999999",
            Some("event-unknown-version"),
        ),
        (
            "https://schemas.example.com/shop.order.placed/v1.avsc",
            None,
        ),
    ] {
        let event = serde_json::json!({"specversion": "1.0", "id": "1", "source": "/shop",
            "type": "shop.order.placed", "dataschema": uri, "data": good_event()["payload"]});
        let (report, _) = validate_stdin(reg.path(), &[], event.to_string().into_bytes());
        assert_eq!(
            rules_of(&report),
            Vec::from_iter(rule.map(String::from)),
            "{uri}: {report}"
        );
    }
}

#[test]
fn a_stream_line_is_parsed_as_strictly_as_an_event_file() {
    let dir = tempfile::tempdir().unwrap();
    // The payload is invalid for v1 (quantity "two") unless the duplicate key's last value wins.
    let mut event = good_event();
    event["payload"]["quantity"] = "two".into();
    let line = event.to_string().replacen(
        "\"quantity\":\"two\"",
        "\"quantity\":\"two\",\"quantity\":2",
        1,
    );
    assert!(line.contains("\"quantity\":2"), "{line}");
    std::fs::write(dir.path().join("one.json"), &line).unwrap();
    std::fs::write(dir.path().join("many.ndjson"), format!("{line}\n")).unwrap();
    let registry = data("events");
    let file = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    for args in [vec![file("one.json")], vec![file("many.ndjson")]] {
        let out = evreg(&registry)
            .args(["validate", "--output", "json"])
            .args(&args)
            .timeout(LIMIT)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {report}");
        assert_eq!(
            rules_of(&report),
            ["event-invalid-json"],
            "{args:?}: {report}"
        );
        let message = report["findings"][0]["message"].as_str().unwrap();
        assert!(message.contains("duplicate key `quantity`"), "{message}");
    }
    let (report, code) = validate_stdin(&registry, &[], format!("{line}\n").into_bytes());
    assert_eq!(
        (code, rules_of(&report)),
        (1, vec!["event-invalid-json".to_string()])
    );
    // The column points at the second key.
    let column = report["findings"][0]["column"].as_u64().unwrap() as usize;
    assert!(line[column - 1..].starts_with("\"quantity\":2"), "{report}");
}

/// A registry in a temporary folder: `evreg.yaml` and the given files.
fn registry(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evreg.yaml"), "compatibility: BACKWARD\n").unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const JSON_ITEMS: &str = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object", "properties": {"items": {"type": "array", "items": {"type": "integer"}}}}"#;
const AVRO_ITEMS: &str = r#"{"type": "record", "name": "Filled", "namespace": "shop",
  "fields": [{"name": "items", "type": {"type": "array", "items": "int"}}]}"#;

#[test]
fn one_line_with_many_invalid_items_takes_linear_time() {
    let reg = registry(&[
        ("schemas/shop.cart.filled/v1.schema.json", JSON_ITEMS),
        ("schemas/shop.cart.emptied/v1.avsc", AVRO_ITEMS),
    ]);
    let n = 20_000;
    let items: Vec<String> = (0..n).map(|i| format!("\"{i}\"")).collect();
    let line = format!("{{\"items\": [{}]}}\n", items.join(","));
    for subject in ["shop.cart.filled", "shop.cart.emptied"] {
        let started = std::time::Instant::now();
        let (report, code) = validate_stdin(
            reg.path(),
            &["--subject", subject],
            line.clone().into_bytes(),
        );
        let took = started.elapsed();
        assert_eq!(code, 1);
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(findings.len(), n, "{subject}");
        // Each finding points at its own item, in line order.
        let last = &findings[n - 1];
        assert_eq!(last["pointer"], format!("/items/{}", n - 1));
        let column = last["column"].as_u64().unwrap() as usize;
        assert!(
            line[column - 1..].starts_with(&format!("\"{}\"", n - 1)),
            "{last}"
        );
        assert!(took < Duration::from_secs(10), "{subject}: {took:?}");
    }
}

/// Read lines from a child's stdout on a thread, so a test can wait for one with a time limit.
fn line_reader(out: std::process::ChildStdout) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Wait for a line containing `needle`; the lines read on the way are returned with it.
fn wait_for(rx: &std::sync::mpsc::Receiver<String>, needle: &str) -> Vec<String> {
    let deadline = std::time::Instant::now() + LIMIT;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let found = line.contains(needle);
                seen.push(line);
                if found {
                    return seen;
                }
            }
            Err(e) => panic!("no line with {needle:?} ({e}); read so far: {seen:#?}"),
        }
    }
}

fn spawn_validate(dir: &Path, output: &str) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("evreg"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("EVREG_OUTPUT")
        .env_remove("EVREG_REGISTRY")
        .args(["validate", "--output", output, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn findings_of_standard_input_appear_while_it_is_still_open() {
    use std::io::Write;
    let good = good_event().to_string();
    let mut bad = good_event();
    bad["payload"]["quantity"] = "many".into();
    for (output, first, summary) in [
        (
            "human",
            "payload-invalid",
            "✗ 3 errors in 5 events, 3 rejected",
        ),
        (
            "github",
            "::error ",
            "evreg: 3 errors in 5 events, 3 rejected",
        ),
    ] {
        let mut child = spawn_validate(&data("events"), output);
        let mut stdin = child.stdin.take().unwrap();
        let rx = line_reader(child.stdout.take().unwrap());
        writeln!(stdin, "{good}").unwrap();
        writeln!(stdin, "{bad}").unwrap();
        stdin.flush().unwrap();
        let seen = wait_for(&rx, first);
        assert!(
            seen.iter().all(|l| !l.contains("event")),
            "{output}: {seen:#?}"
        );
        // The stream is still open: a later bad line is reported too, in order.
        std::thread::sleep(Duration::from_millis(200));
        writeln!(stdin, "{good}").unwrap();
        writeln!(stdin, "{{\"eventId\": 1,").unwrap();
        writeln!(stdin, "{{not json").unwrap();
        stdin.flush().unwrap();
        let seen = wait_for(&rx, "event-invalid-json");
        assert!(
            seen.iter()
                .all(|l| !l.contains("✗") && !l.starts_with("evreg:")),
            "{seen:#?}"
        );
        drop(stdin);
        let rest = wait_for(&rx, summary);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{output}: {rest:#?}");
    }
}

#[test]
fn standard_input_is_validated_in_bounded_memory() {
    use std::io::Write;
    let mut child = spawn_validate(&data("events"), "human");
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let rx = line_reader(child.stdout.take().unwrap());
    // Lines of 1 MB (a long producer name), every eighth one invalid.
    let mut event = good_event();
    event["producer"] = "p".repeat(1 << 20).into();
    let good = format!("{event}\n");
    event["payload"]["quantity"] = "many".into();
    let bad = format!("{event}\n");
    let mut written = 0;
    let mut lines = 0;
    while written < 64 << 20 {
        let line = if lines % 8 == 0 { &bad } else { &good };
        stdin.write_all(line.as_bytes()).unwrap();
        written += line.len();
        lines += 1;
    }
    stdin.flush().unwrap();
    // All but a pipe's worth of input has been read: its peak memory so far is nearly the whole.
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    // Findings came while the input was still open.
    assert!(rx.try_iter().any(|l| l.contains("payload-invalid")));
    drop(stdin);
    let rest = wait_for(&rx, "rejected");
    assert!(
        rest.last().unwrap().contains(&format!("in {lines} events")),
        "{rest:?}"
    );
    child.wait().unwrap();
    // Peak memory (where /proc tells it) stays below the input: it is never held whole.
    if let Some(kb) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    {
        eprintln!("peak {kb} kB for 64 MB of input");
        assert!(kb < 48 * 1024, "peak {kb} kB for 64 MB of input");
    }
}

#[test]
fn pretty_printed_events_in_a_stream_are_events_and_a_cut_line_costs_only_itself() {
    let mut bad = good_event();
    bad["payload"]["quantity"] = "many".into();
    let pretty_bad = serde_json::to_string_pretty(&bad).unwrap();
    let quantity_line = pretty_bad
        .lines()
        .position(|l| l.contains("\"many\""))
        .unwrap()
        + 1;
    let good = good_event().to_string();
    let pretty_good = serde_json::to_string_pretty(&good_event()).unwrap();
    let stream = format!("{pretty_bad}\n{good}\n{pretty_good}\n{{\"eventId\": \"x\",\n{good}\n");
    let cut_line = pretty_bad.lines().count() + 1 + pretty_good.lines().count() + 1;
    let (report, code) = validate_stdin(&data("events"), &[], stream.into_bytes());
    assert_eq!(code, 1);
    let rows: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("payload-invalid".to_string(), quantity_line as u64),
            ("event-invalid-json".to_string(), cut_line as u64),
        ],
        "{report}"
    );
    assert_eq!(report["summary"]["events"], 5);
    assert_eq!(report["summary"]["rejected"], 2);
}

#[test]
fn an_over_long_line_is_one_finding_and_the_next_lines_are_still_read() {
    let good = good_event().to_string();
    let mut input = format!("{good}\n").into_bytes();
    // An open object that never closes, longer than any event may be.
    input.extend_from_slice(b"{\"eventId\": [");
    input.extend(std::iter::repeat_n(b'[', 17 << 20));
    input.extend_from_slice(format!("\n{good}\n").as_bytes());
    let (report, code) = validate_stdin(&data("events"), &[], input);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&report), ["event-invalid-json"], "{report}");
    assert_eq!(report["findings"][0]["line"], 2);
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("more than the 16 MiB"), "{message}");
    assert_eq!(report["summary"]["events"], 3);
}

/// Human output of `args` in `dir`: it ends with findings (exit 1), and no line is wide.
fn human_lines_are_narrow(dir: &Path, args: &[&str]) -> String {
    let out = evreg(dir).args(args).timeout(LIMIT).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in text.lines() {
        assert!(
            line.chars().count() <= 170,
            "{args:?}: a line of {} characters",
            line.chars().count()
        );
    }
    text
}

#[test]
fn findings_far_into_one_long_line_render_cut_around_the_span() {
    // Minified schemas of ~190 KB, one property changed in the middle of the line.
    let props = |changed: bool| -> serde_json::Map<String, Value> {
        (0..3000)
            .map(|i| {
                let ty = if changed && i == 1500 {
                    "integer"
                } else {
                    "string"
                };
                (
                    format!("p{i:05}"),
                    serde_json::json!({"type": ty, "description": "x".repeat(20)}),
                )
            })
            .collect()
    };
    let schema = |changed| {
        serde_json::json!({"$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object", "properties": props(changed)})
        .to_string()
    };
    let (v1, v2) = (schema(false), schema(true));
    let reg = registry(&[
        ("schemas/shop.cart.filled/v1.schema.json", &v1),
        ("schemas/shop.cart.filled/v2.schema.json", &v2),
    ]);
    let text = human_lines_are_narrow(reg.path(), &["check"]);
    let column = v2.find("\"type\":\"integer\"").unwrap() + 1;
    assert!(
        text.contains(&format!("v2.schema.json:1:{column}]")),
        "{text}"
    );
    assert!(text.contains(" │ …p01500\":{\"description\":"), "{text}");
    // A one-line event file whose bad value is far along its line.
    let mut event = good_event();
    event["eventVersion"] = 2.into();
    event["eventType"] = "shop.cart.filled".into();
    event["payload"] = (0..3000)
        .map(|i| (format!("p{i:05}"), Value::from("y".repeat(30))))
        .collect();
    let file = reg.path().join("event.json");
    let line = event.to_string();
    std::fs::write(&file, &line).unwrap();
    let text = human_lines_are_narrow(reg.path(), &["validate", "event.json"]);
    let column = line.find("\"p01500\"").unwrap() + 1;
    assert!(text.contains(&format!("event.json:1:{column}]")), "{text}");
    // And the same event in a stream, as NDJSON.
    std::fs::write(
        reg.path().join("events.ndjson"),
        format!("{line}\n{line}\n"),
    )
    .unwrap();
    let text = human_lines_are_narrow(reg.path(), &["validate", "events.ndjson"]);
    assert!(
        text.contains(&format!("events.ndjson:2:{column}")),
        "{text}"
    );
}

#[test]
fn fixture_new_ends_on_recursive_and_huge_schemas() {
    let reg = registry(&[
        (
            "schemas/shop.tree.grown/v1.avsc",
            r#"{"type": "record", "name": "Node", "namespace": "shop", "fields": [
                {"name": "id", "type": "string"},
                {"name": "parent", "type": "Node"}]}"#,
        ),
        (
            "schemas/shop.list.grown/v1.avsc",
            r#"{"type": "record", "name": "Item", "namespace": "shop", "fields": [
                {"name": "next", "type": ["Item", "null"]},
                {"name": "children", "type": {"type": "array", "items": "Item"}}]}"#,
        ),
        (
            "schemas/shop.blob.stored/v1.avsc",
            r#"{"type": "fixed", "name": "Blob", "size": 4294967296}"#,
        ),
        (
            "schemas/shop.text.stored/v1.schema.json",
            r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string", "minLength": 1000000000000}"#,
        ),
    ]);
    let run = |subject: &str| {
        evreg(reg.path())
            .args(["fixture", "new", subject, "--stdout"])
            .timeout(LIMIT)
            .output()
            .unwrap()
    };
    let out = run("shop.tree.grown");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no finite value fits this schema"),
        "{stderr}"
    );
    assert!(stderr.contains("shop.Node.parent → shop.Node"), "{stderr}");
    // A recursive record with an escape gets an example that passes.
    let out = run("shop.list.grown");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let example: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(example["payload"]["next"].is_object(), "{example}");
    // Too large to build: refused (or, where the schema itself is refused, that), never built.
    for subject in ["shop.blob.stored", "shop.text.stored"] {
        let out = run(subject);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{subject}: {stderr}");
        assert!(
            stderr.contains("larger than an example may be") || stderr.contains("does not parse"),
            "{subject}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}
