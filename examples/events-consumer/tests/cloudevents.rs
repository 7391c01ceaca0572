//! Events in the CloudEvents envelope: the version is read from, and written back to, the
//! `dataschema` URI.

use events_consumer::cloudevents::*;
use std::path::Path;

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/codegen-cloudevents/fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_version_comes_from_dataschema() {
    for (rel, version) in [
        ("billing.invoice.issued/v1/issued.json", 1),
        ("billing.invoice.issued/v2/issued.json", 2),
    ] {
        let event = AnyEvent::from_json(&fixture(rel)).unwrap();
        assert_eq!(event.event_type(), "billing.invoice.issued");
        assert_eq!(event.event_version(), version, "{rel}");
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(
            AnyEvent::from_json(&json).unwrap(),
            event,
            "{rel} round trip"
        );
    }
}

#[test]
fn an_upgraded_event_names_the_new_schema_and_reads_back_as_it() {
    let event =
        InvoiceIssued::from_json(&fixture("billing.invoice.issued/v1/issued.json")).unwrap();
    let latest = event.into_latest();
    assert_eq!(
        latest.dataschema.as_deref(),
        Some("https://schemas.example.com/billing.invoice.issued/v2.avsc")
    );
    assert_eq!(latest.data.due_in_days, 30);
    assert_eq!(latest.type_, "billing.invoice.issued");
    let again = InvoiceIssued::from_json(&serde_json::to_string(&latest).unwrap()).unwrap();
    assert_eq!(again, InvoiceIssued::V2(latest));
}

#[test]
fn schema_uris_name_versions() {
    assert_eq!(
        version_in_schema_uri("urn:evreg:billing.invoice.issued@12"),
        Some(12)
    );
    assert_eq!(
        version_in_schema_uri("https://s.example/x/v3/schema.avsc"),
        Some(3)
    );
    assert_eq!(version_in_schema_uri("https://s.example/x/latest"), None);
    assert_eq!(with_schema_version("urn:x@1", 2), "urn:x@2");
    assert_eq!(
        with_schema_version("https://s.example/x/v1.avsc", 2),
        "https://s.example/x/v2.avsc"
    );
    assert_eq!(
        with_schema_version("https://s.example/x/latest", 2),
        "https://s.example/x/latest"
    );
}

#[test]
fn the_constructor_names_type_and_schema_version_from_the_payload_type() {
    let AnyEvent::InvoiceIssued(InvoiceIssued::V2(read)) =
        AnyEvent::from_json(&fixture("billing.invoice.issued/v2/issued.json")).unwrap()
    else {
        panic!("not an invoice v2")
    };
    let built = Envelope::new("evt-1".into(), "/billing".into(), read.data.clone());
    assert_eq!(built.specversion, "1.0");
    assert_eq!(built.type_, "billing.invoice.issued");
    let json = serde_json::to_string(&built).unwrap();
    let again = AnyEvent::from_json(&json).unwrap();
    assert_eq!(again.event_version(), 2, "{json}");
}
