//! The API over small registries built here: naming, ids, references, lookups, verdicts, and
//! answers to requests that make no sense.

use super::router::{Request, Response, handle};
use super::state::{Change, State};
use super::wire;
use crate::registry::Registry;
use std::path::Path;

const MONEY: &str = r#"{"type": "record", "name": "Money", "namespace": "shop", "doc": "An amount.",
  "fields": [{"name": "amount", "type": "long", "doc": "Cents."}, {"name": "currency", "type": "string", "doc": "ISO 4217."}]}"#;
const PAID_V1: &str = r#"{"type": "record", "name": "OrderPaid", "namespace": "shop", "doc": "Paid.",
  "fields": [{"name": "orderId", "type": "string", "doc": "The order."}, {"name": "total", "type": "shop.Money", "doc": "Paid."}]}"#;
const PAID_V2: &str = r#"{"type": "record", "name": "OrderPaid", "namespace": "shop", "doc": "Paid.",
  "fields": [{"name": "orderId", "type": "string", "doc": "The order."}, {"name": "total", "type": "shop.Money", "doc": "Paid."},
             {"name": "tip", "type": ["null", "shop.Money"], "default": null, "doc": "Tip."}]}"#;
/// v2 with a field added without a default: a BACKWARD break.
const PAID_BREAKING: &str = r#"{"type": "record", "name": "OrderPaid", "namespace": "shop", "doc": "Paid.",
  "fields": [{"name": "orderId", "type": "string", "doc": "The order."}, {"name": "total", "type": "shop.Money", "doc": "Paid."},
             {"name": "tip", "type": ["null", "shop.Money"], "default": null, "doc": "Tip."}, {"name": "channel", "type": "string", "doc": "Where."}]}"#;
const COMMON: &str = r#"{"$defs": {"Id": {"type": "string", "minLength": 1}}}"#;
const REFUND_V1: &str = r#"{"type": "object", "properties": {"id": {"$ref": "../common.schema.json#/$defs/Id"}}, "required": ["id"]}"#;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn registry(dir: &Path, config: &str) -> Registry {
    write(dir, "evreg.yaml", config);
    write(dir, "schemas/shop.Money.avsc", MONEY);
    write(dir, "schemas/shop.order.paid/v1.avsc", PAID_V1);
    write(dir, "schemas/shop.order.paid/v2.avsc", PAID_V2);
    // The same schema as another subject's version, reformatted.
    write(
        dir,
        "schemas/shop.order.copied/v1.avsc",
        &PAID_V1.replace(", ", ",\n  "),
    );
    write(dir, "schemas/common.schema.json", COMMON);
    write(
        dir,
        "schemas/shop.refund.requested/v1.schema.json",
        REFUND_V1,
    );
    write(
        dir,
        "schemas/shop.refund.requested/subject.yaml",
        "compatibility: FULL\nschema-registry-subject: refunds\n",
    );
    Registry::load(dir).unwrap()
}

fn state(config: &str, writable: bool) -> (tempfile::TempDir, State) {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry(dir.path(), config);
    let state = State::build(&reg, writable).unwrap();
    (dir, state)
}

fn call(state: &State, method: &str, path: &str, body: &str) -> (Response, Option<Change>) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    handle(
        state,
        &Request {
            method,
            path,
            query,
            body: body.as_bytes(),
        },
    )
}

fn get(state: &State, path: &str) -> serde_json::Value {
    let (r, _) = call(state, "GET", path, "");
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// POST `schema` (of `schema_type`, Avro when `None`) to `path`.
fn post_schema(
    state: &State,
    path: &str,
    schema: &str,
    schema_type: Option<&str>,
) -> (Response, Option<Change>) {
    call(state, "POST", path, &schema_body(schema, schema_type))
}

/// Register a version of `shop.order.paid` that adds a field without a default (a break).
fn register_breaking(state: &State) -> (Response, Option<Change>) {
    post_schema(
        state,
        "/subjects/shop.order.paid/versions",
        PAID_BREAKING,
        None,
    )
}

fn schema_body(schema: &str, schema_type: Option<&str>) -> String {
    serde_json::to_string(&wire::SchemaRequest {
        schema: schema.into(),
        schema_type: schema_type.map(str::to_string),
        references: Vec::new(),
    })
    .unwrap()
}

fn error_code(r: &Response) -> u32 {
    serde_json::from_str::<wire::ErrorBody>(&r.body)
        .unwrap_or_else(|_| panic!("not an error body: {}", r.body))
        .error_code
}

#[test]
fn subjects_are_served_under_the_template_and_shared_files_as_subjects_of_their_own() {
    let (_d, s) = state("schema-registry-subject: '{subject}-value'\n", false);
    assert_eq!(
        get(&s, "/subjects"),
        serde_json::json!([
            "common.schema.json",
            "refunds",
            "shop.Money.avsc",
            "shop.order.copied-value",
            "shop.order.paid-value"
        ])
    );
    let v = get(&s, "/subjects/shop.order.paid-value/versions/latest");
    assert_eq!(v["version"], 2);
    assert!(v.get("schemaType").is_none(), "AVRO is implied");
    assert_eq!(
        v["references"],
        serde_json::json!([{"name": "shop.Money", "subject": "shop.Money.avsc", "version": 1}])
    );
    let r = get(&s, "/subjects/refunds/versions/1");
    assert_eq!(r["schemaType"], "JSON");
    assert_eq!(
        r["references"],
        serde_json::json!([{"name": "../common.schema.json", "subject": "common.schema.json", "version": 1}])
    );
    assert_eq!(
        get(&s, "/config/refunds"),
        serde_json::json!({"compatibilityLevel": "FULL"})
    );
    let (r, _) = call(&s, "GET", "/config/shop.order.paid-value", "");
    assert_eq!(error_code(&r), wire::code::SUBJECT_CONFIG_NOT_FOUND);
    assert_eq!(
        get(&s, "/config/shop.order.paid-value?defaultToGlobal=true"),
        serde_json::json!({"compatibilityLevel": "BACKWARD"})
    );
    // Percent-encoded names are decoded.
    assert_eq!(
        get(&s, "/subjects/shop.order.paid%2Dvalue/versions"),
        serde_json::json!([1, 2])
    );
}

#[test]
fn a_registry_wide_template_without_the_subject_is_refused_with_its_position() {
    let e = crate::registry::config::parse_settings(
        "evreg.yaml",
        "compatibility: FULL\nschema-registry-subject: events\n",
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (2, 26), "{e}");
    assert!(e.message.contains("{subject}"), "{e}");
}

#[test]
fn two_subjects_served_under_one_name_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    registry(dir.path(), "");
    write(
        dir.path(),
        "schemas/shop.order.copied/subject.yaml",
        "schema-registry-subject: shop.order.paid\n",
    );
    let reg = Registry::load(dir.path()).unwrap();
    let e = State::build(&reg, false).err().unwrap();
    assert!(
        e.contains("would both be served as subject `shop.order.paid`"),
        "{e}"
    );
}

fn ids(s: &State) -> Vec<(String, u32, u32)> {
    s.subjects
        .values()
        .flat_map(|sub| {
            sub.versions
                .iter()
                .map(|v| (sub.name.clone(), v.number, v.id))
        })
        .collect()
}

#[test]
fn ids_are_the_same_across_restarts_and_clones_and_equal_for_equal_schemas() {
    let (dir, a) = state("", false);
    let again = State::build(&Registry::load(dir.path()).unwrap(), false).unwrap();
    assert_eq!(ids(&a), ids(&again));
    // Another clone, elsewhere.
    let (_other, b) = state("", false);
    assert_eq!(ids(&a), ids(&b));
    let id = |subject: &str, n: u32| {
        get(&a, &format!("/subjects/{subject}/versions/{n}"))["id"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(id("shop.order.paid", 1), id("shop.order.copied", 1));
    assert_ne!(id("shop.order.paid", 1), id("shop.order.paid", 2));
    let mut all: Vec<u32> = ids(&a).into_iter().map(|(_, _, id)| id).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(
        all.len(),
        ids(&a).len() - 1,
        "only the equal pair shares an id"
    );
    assert!(
        all.iter()
            .all(|i| (1..=crate::registry::lock::MAX_SCHEMA_ID).contains(i))
    );
    // Both holders are listed under the id.
    let holders = get(
        &a,
        &format!("/schemas/ids/{}/versions", id("shop.order.paid", 1)),
    );
    assert_eq!(holders.as_array().unwrap().len(), 2);
}

#[test]
fn ids_recorded_in_the_lock_are_served_and_the_lock_assigns_the_derived_ones() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry(dir.path(), "");
    let derived = ids(&State::build(&reg, false).unwrap());
    let (mut lock, _, _) = crate::integrity::update_lock(&reg, &Default::default());
    lock.assign_ids();
    let locked: Vec<u32> = lock
        .entries
        .values()
        .flat_map(|v| v.values())
        .map(|e| e.id.unwrap())
        .collect();
    // What the lock assigns is what serve derived for the unlocked registry.
    for (subject, n, id) in &derived {
        if let Some(e) = lock.get(&subject.replace("refunds", "shop.refund.requested"), *n) {
            assert_eq!(e.id, Some(*id), "{subject} v{n}");
        }
    }
    assert!(!locked.is_empty());
    // A recorded id wins over the derived one (an id given out once is kept).
    let e = lock
        .entries
        .get_mut("shop.order.paid")
        .unwrap()
        .get_mut(&2)
        .unwrap();
    e.id = Some(7);
    write(dir.path(), "evreg.lock", &lock.render());
    let reg = Registry::load(dir.path()).unwrap();
    let s = State::build(&reg, false).unwrap();
    assert_eq!(get(&s, "/subjects/shop.order.paid/versions/2")["id"], 7);
    assert_eq!(
        get(&s, "/schemas/ids/7/subjects"),
        serde_json::json!(["shop.order.paid"])
    );
}

#[test]
fn lookups_find_an_equal_schema_whatever_its_layout_and_docs() {
    let (_d, s) = state("", false);
    let reformatted = PAID_V2
        .replace("\"doc\": \"Tip.\"", "\"doc\": \"A tip if any.\"")
        .replace(", ", ",\n");
    let (r, _) = post_schema(
        &s,
        "/subjects/shop.order.paid?normalize=False",
        &reformatted,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v: wire::SubjectVersion = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v.version, 2);
    // Registering it again is the id of the version that has it, read-only or not.
    let (r, change) = post_schema(
        &s,
        "/subjects/shop.order.paid/versions",
        &reformatted,
        Some("AVRO"),
    );
    assert_eq!(r.body, format!("{{\"id\":{}}}", v.id));
    assert!(change.is_none());
    let (r, _) = post_schema(&s, "/subjects/shop.order.paid", PAID_BREAKING, None);
    assert_eq!(error_code(&r), wire::code::SCHEMA_NOT_FOUND);
    let (r, _) = post_schema(&s, "/subjects/nobody", PAID_V1, None);
    assert_eq!(error_code(&r), wire::code::SUBJECT_NOT_FOUND);
}

#[test]
fn a_read_only_registry_refuses_new_schemas_with_confluents_error() {
    let (_d, s) = state("", false);
    let (r, change) = register_breaking(&s);
    assert_eq!(
        (r.status, error_code(&r)),
        (422, wire::code::OPERATION_NOT_PERMITTED)
    );
    assert!(change.is_none());
    assert_eq!(get(&s, "/mode"), serde_json::json!({"mode": "READONLY"}));
    let (r, _) = call(
        &s,
        "PUT",
        "/config/shop.order.paid",
        r#"{"compatibility":"NONE"}"#,
    );
    assert_eq!(error_code(&r), wire::code::OPERATION_NOT_PERMITTED);
}

#[test]
fn compatibility_verdicts_are_those_of_evreg_compat() {
    let (dir, s) = state("", false);
    let candidates = [PAID_V1, PAID_V2, PAID_BREAKING];
    for (i, text) in candidates.iter().enumerate() {
        for against in [1u32, 2] {
            let cand = dir.path().join(format!("schemas/cand{i}.avsc.tmp"));
            std::fs::write(&cand, text).unwrap();
            let old = dir
                .path()
                .join(format!("schemas/shop.order.paid/v{against}.avsc"));
            let expected = crate::check::compat_files(
                &old,
                &cand,
                crate::Mode::Backward,
                Some(crate::schema::Format::Avro),
                Default::default(),
                Default::default(),
            )
            .unwrap()
            .compatible;
            let (r, _) = post_schema(
                &s,
                &format!("/compatibility/subjects/shop.order.paid/versions/{against}?verbose=true"),
                text,
                None,
            );
            let got: wire::Compatibility = serde_json::from_str(&r.body).unwrap();
            assert_eq!(
                Some(got.is_compatible),
                expected,
                "candidate {i} against v{against}: {:?}",
                got.messages
            );
            assert_eq!(got.is_compatible, got.messages.is_empty());
        }
    }
    let (r, _) = post_schema(
        &s,
        "/compatibility/subjects/shop.order.paid/versions/latest?verbose=true",
        PAID_BREAKING,
        None,
    );
    let got: wire::Compatibility = serde_json::from_str(&r.body).unwrap();
    assert!(!got.is_compatible);
    assert!(
        got.messages[0].starts_with("avro-field-missing-default"),
        "{:?}",
        got.messages
    );
}

#[test]
fn a_writable_registry_accepts_compatible_schemas_in_memory_and_refuses_breaks_with_409() {
    let (_d, s) = state("", true);
    let (r, change) = register_breaking(&s);
    assert_eq!(
        (r.status, error_code(&r)),
        (409, wire::code::INCOMPATIBLE),
        "{}",
        r.body
    );
    assert!(r.body.contains("avro-field-missing-default"), "{}", r.body);
    assert!(change.is_none());
    let compatible = PAID_BREAKING.replace(
        r#""type": "string", "doc": "Where.""#,
        r#""type": "string", "default": "web", "doc": "Where.""#,
    );
    let (r, change) = post_schema(&s, "/subjects/shop.order.paid/versions", &compatible, None);
    assert_eq!(r.status, 200, "{}", r.body);
    let id: wire::Registered = serde_json::from_str(&r.body).unwrap();
    let s = s.apply(&change.unwrap());
    let v = get(&s, "/subjects/shop.order.paid/versions/latest");
    assert_eq!(
        (v["version"].as_u64(), v["id"].as_u64()),
        (Some(3), Some(id.id as u64))
    );
    assert_eq!(
        get(&s, &format!("/schemas/ids/{}", id.id))["schema"],
        compatible.as_str()
    );
    // A new subject, and a mode set through the API.
    let (r, change) = post_schema(
        &s,
        "/subjects/brand-new/versions",
        r#"{"type":"string"}"#,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let s = s.apply(&change.unwrap());
    let (r, change) = call(
        &s,
        "PUT",
        "/config/brand-new",
        r#"{"compatibility":"full_transitive"}"#,
    );
    assert_eq!(r.body, r#"{"compatibility":"FULL_TRANSITIVE"}"#);
    let s = s.apply(&change.unwrap());
    assert_eq!(
        get(&s, "/config/brand-new"),
        serde_json::json!({"compatibilityLevel": "FULL_TRANSITIVE"})
    );
    assert_eq!(get(&s, "/mode"), serde_json::json!({"mode": "READWRITE"}));
}

#[test]
fn requests_that_make_no_sense_get_error_bodies() {
    let (_d, s) = state("", true);
    let cases: &[(&str, &str, &str, u16)] = &[
        ("GET", "/nowhere", "", 404),
        ("DELETE", "/subjects", "", 405),
        ("GET", "/subjects/shop.order.paid/versions/0", "", 422),
        ("GET", "/subjects/shop.order.paid/versions/99", "", 404),
        (
            "GET",
            "/subjects/shop.order.paid/versions/99999999999",
            "",
            422,
        ),
        ("GET", "/schemas/ids/1", "", 404),
        ("GET", "/schemas/ids/-3/subjects", "", 404),
        (
            "POST",
            "/subjects/shop.order.paid/versions",
            "not json",
            422,
        ),
        (
            "POST",
            "/subjects/shop.order.paid/versions",
            r#"{"schema":"{}","schemaType":"PROTOBUF"}"#,
            422,
        ),
        (
            "POST",
            "/subjects/shop.order.paid/versions",
            r#"{"schema":"{\"type\":\"nope\"}"}"#,
            422,
        ),
        (
            "POST",
            "/compatibility/subjects/nobody/versions/latest",
            "{}",
            404,
        ),
        ("PUT", "/config", r#"{"compatibility":"SIDEWAYS"}"#, 422),
        ("DELETE", "/subjects/shop.order.paid/versions/1", "", 422),
        ("GET", "/subjects/%ff%fe/versions", "", 404),
    ];
    for (method, path, body, status) in cases {
        let (r, change) = call(&s, method, path, body);
        assert_eq!(r.status, *status, "{method} {path}: {}", r.body);
        assert!(error_code(&r) >= 400, "{method} {path}");
        assert!(change.is_none());
    }
}

#[cfg(feature = "cli")]
#[test]
fn publish_orders_shared_files_before_the_subjects_that_reference_them() {
    let (_d, s) = state("schema-registry-subject: '{subject}-value'\n", false);
    let names = |only: &[&str]| -> Vec<String> {
        let only: Vec<String> = only.iter().map(|n| n.to_string()).collect();
        super::publish::order(&s, &only)
            .unwrap()
            .iter()
            .map(|s| s.name.clone())
            .collect()
    };
    // By evreg name or served name; the shared file it references comes first.
    assert_eq!(
        names(&["shop.order.paid"]),
        ["shop.Money.avsc", "shop.order.paid-value"]
    );
    assert_eq!(names(&["refunds"]), ["common.schema.json", "refunds"]);
    let all = names(&[]);
    assert_eq!(all.len(), 5);
    let at = |n: &str| all.iter().position(|x| x == n).unwrap();
    assert!(at("shop.Money.avsc") < at("shop.order.paid-value"));
    assert!(at("shop.Money.avsc") < at("shop.order.copied-value"));
    assert!(at("common.schema.json") < at("refunds"));
    let e = super::publish::order(&s, &["nobody".to_string()])
        .err()
        .unwrap();
    assert!(e.contains("no subject `nobody`"), "{e}");
}
