//! `evreg serve` through its HTTP layer: the API over a socket, request logs, body limits,
//! reloads, graceful shutdown, ids that survive restarts, and Confluent's own Python client.
//! (Unix: the tests send signals.)
#![cfg(unix)]

mod common;
use common::Served;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

impl Served {
    /// One request on its own connection: status, content type, body.
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let status = head[9..12].parse().unwrap();
        let content_type = head
            .lines()
            .find_map(|l| l.strip_prefix("content-type: "))
            .unwrap_or("")
            .to_string();
        (status, content_type, body.to_string())
    }

    fn get(&self, path: &str) -> serde_json::Value {
        let (status, _, body) = self.request("GET", path, "");
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) with the pid of a child this test started.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    /// SIGTERM, and the exit status and log once it has stopped.
    fn stop(mut self) -> (bool, String) {
        self.signal(libc::SIGTERM);
        let status = self.child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let log = self.log.lock().unwrap().clone();
        (status.success(), log)
    }
}

#[test]
fn serve_answers_the_api_with_its_content_type_logs_each_request_and_stops_on_sigterm() {
    let reg = common::copy_of("remote");
    let served = Served::start(reg.path(), &["--max-body", "2000"]);
    assert_eq!(served.get("/health"), serde_json::json!({"status": "UP"}));
    let subjects = served.get("/subjects");
    assert!(
        subjects
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("shop.order.paid-value")),
        "{subjects}"
    );
    let (status, content_type, body) = served.request("GET", "/subjects/nobody/versions", "");
    assert_eq!(
        (status, content_type.as_str()),
        (404, "application/vnd.schemaregistry.v1+json")
    );
    assert_eq!(
        body,
        r#"{"error_code":40401,"message":"Subject 'nobody' not found."}"#
    );
    let (status, _, body) = served.request("POST", "/subjects/x/versions", &"x".repeat(3000));
    assert_eq!(status, 413, "{body}");
    let (ok, log) = served.stop();
    assert!(ok, "exits 0 on SIGTERM:\n{log}");
    assert!(log.contains("GET /health 200 "), "{log}");
    assert!(log.contains("GET /subjects/nobody/versions 404 "), "{log}");
    assert!(log.contains("shutting down"), "{log}");
}

/// The ids a registry's lock records, by evreg subject and version.
fn locked_ids(root: &Path) -> Vec<(String, u32, u64)> {
    std::fs::read_to_string(root.join("evreg.lock"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            let id = parts[3].strip_prefix("id:").unwrap().parse().unwrap();
            (parts[0].to_string(), parts[1].parse().unwrap(), id)
        })
        .collect()
}

#[test]
fn served_ids_are_those_evreg_lock_records_before_and_after_a_restart() {
    let reg = common::copy_of("remote");
    let locked = locked_ids(reg.path());
    assert_eq!(locked.len(), 5);
    for _ in 0..2 {
        let served = Served::start(reg.path(), &[]);
        for (subject, version, id) in &locked {
            let v = served.get(&format!("/subjects/{subject}-value/versions/{version}"));
            assert_eq!(v["id"].as_u64(), Some(*id), "{subject} v{version}");
            let by_id = served.get(&format!("/schemas/ids/{id}"));
            assert_eq!(by_id["schema"], v["schema"]);
        }
        assert!(served.stop().0);
    }
}

#[test]
fn a_version_added_on_disk_is_served_after_the_next_look_at_the_files() {
    let reg = common::copy_of("remote");
    let served = Served::start(reg.path(), &["--poll", "0.2"]);
    assert_eq!(
        served.get("/subjects/shop.order.paid-value/versions"),
        serde_json::json!([1, 2])
    );
    let v2 = std::fs::read_to_string(reg.path().join("schemas/shop.order.paid/v2.avsc")).unwrap();
    let v3 = v2.replace(
        r#""default": null}"#,
        r#""default": null}, {"name": "note", "type": "string", "default": ""}"#,
    );
    std::fs::write(reg.path().join("schemas/shop.order.paid/v3.avsc"), v3).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let versions = served.get("/subjects/shop.order.paid-value/versions");
        if versions == serde_json::json!([1, 2, 3]) {
            break;
        }
        assert!(Instant::now() < deadline, "not reloaded: {versions}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // SIGHUP reloads too (here: nothing changed, the state stays the same).
    served.signal(libc::SIGHUP);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !served.log.lock().unwrap().contains("reloaded (SIGHUP)") {
        assert!(Instant::now() < deadline, "no reload on SIGHUP");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        served.get("/subjects/shop.order.paid-value/versions"),
        serde_json::json!([1, 2, 3])
    );
    // A registry that no longer loads leaves the previous state served.
    std::fs::write(reg.path().join("evreg.yaml"), "compatibility: SIDEWAYS\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !served
        .log
        .lock()
        .unwrap()
        .contains("failed, still serving the previous state")
    {
        assert!(Instant::now() < deadline, "no failed reload logged");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        served.get("/subjects/shop.order.paid-value/versions"),
        serde_json::json!([1, 2, 3])
    );
    let (ok, log) = served.stop();
    assert!(ok && log.contains("reloaded (files changed)"), "{log}");
    assert!(
        log.contains("evreg.yaml:1:16"),
        "the reason, with its position: {log}"
    );
}

/// Confluent's Python client (scripts/confluent_client_check.py): subjects, ids, Avro and JSON
/// Schema serializers and deserializers, compatibility verdicts equal to `evreg compat`'s, ids
/// across a restart. CI installs the client (.ci/run); without it this test says it skipped.
#[test]
fn confluents_python_client_reads_writes_and_checks_through_serve() {
    let registry = common::data("remote");
    let Some((ok, text)) = common::confluent_client_check(&[registry.as_os_str()]) else {
        return;
    };
    assert!(ok, "{text}");
    assert!(text.contains("checks passed"), "{text}");
}
