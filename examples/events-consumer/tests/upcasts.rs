//! The generated upcasts on the codegen registry's fixtures, value by value: what the schemas'
//! defaults, promotions, aliases and enum defaults say an old event becomes.

use events_consumer::events::*;
use std::collections::BTreeMap;
use std::path::Path;

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/codegen/fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn an_order_placed_v1_upgrades_to_v3_with_the_schema_defaults() {
    let event = OrderPlaced::from_json(&fixture("orders.order.placed/v1/basic.json")).unwrap();
    let OrderPlaced::V1(v1) = &event else {
        panic!("read as {event:?}")
    };
    assert_eq!(v1.payload.total.as_str(), "24.48");
    let latest = event.clone().into_latest();
    assert_eq!(
        latest.event_version, 3,
        "the envelope names the new version"
    );
    assert_eq!(latest.event_id, v1.event_id);
    let p = latest.payload;
    assert_eq!(p.currency, "EUR");
    assert_eq!(p.type_, "standard");
    assert_eq!(p.coupon, None);
    assert_eq!(
        p.discount.as_str(),
        "0.00",
        "the bytes default \\u0000 at scale 2"
    );
    assert!(!p.gift_wrap);
    assert_eq!(p.priority, OrderPlacedV3Priority::Int(0));
    assert_eq!(
        p.tags,
        BTreeMap::from([("source".to_string(), "web".to_string())])
    );
    assert!(p.weights.is_empty());
    assert_eq!(p.channel, OrderPlacedV3Channel::Web);
    assert_eq!(p.ship_to.kind, OrderPlacedV3AddressKind::Pickup);
    assert_eq!(p.ship_to.postcode, None);
    assert_eq!(
        p.status,
        OrderPlacedV2Status::Placed,
        "v2 and v3 share the enum"
    );
    assert_eq!(p.lines.len(), 2);
    assert_eq!(p.lines[0].quantity, 2_i64, "int widened to long");
    assert_eq!(p.lines[1].unit_price.as_str(), "4.50");
    assert_eq!(p.lines[0].note, None);
    // The same as upgrading step by step.
    let stepwise = OrderPlacedV3::from(OrderPlacedV2::from(v1.payload.clone()));
    assert_eq!(p, stepwise);
}

#[test]
fn an_unknown_enum_symbol_reads_as_the_enum_default() {
    let event =
        OrderCancelled::from_json(&fixture("orders.order.cancelled/v1/out-of-stock.json")).unwrap();
    let OrderCancelled::V1(v1) = &event else {
        panic!()
    };
    assert_eq!(v1.payload.checksum.0, vec![0xDE, 0xAD, 0xBE, 0xEF]);
    assert_eq!(v1.payload.attachment, Some(Bytes(vec![0, 1, 255])));
    let p = event.into_latest().payload;
    assert_eq!(
        p.reason,
        OrderCancelledV2Reason::Other,
        "OUT_OF_STOCK is gone from v2"
    );
    assert_eq!(p.refund_cents, 2448_i64);
    assert_eq!(p.refund_ratio, 1.0);
    assert_eq!(
        p.attachment,
        Some(OrderCancelledV2Attachment::Bytes(Bytes(vec![0, 1, 255])))
    );
    // A symbol v1 does not know reads as nothing (v1 has no enum default): an error.
    let v2 = fixture("orders.order.cancelled/v2/fraud.json")
        .replace("\"eventVersion\": 2", "\"eventVersion\": 1");
    assert!(AnyEvent::from_json(&v2).is_err());
}

#[test]
fn unions_of_records_upgrade_branch_by_branch() {
    let event = ShopItemAdded::from_json(&fixture("shop.item.added/v1/app.json")).unwrap();
    let p = event.into_latest().payload;
    assert_eq!(
        p.source,
        ShopItemAddedV2Source::App(ShopItemAddedV2App {
            build: 512,
            platform: "ios".into()
        })
    );
    let event = ShopItemAdded::from_json(&fixture("shop.item.added/v1/web.json")).unwrap();
    let ShopItemAddedV2Source::Web(web) = event.into_latest().payload.source else {
        panic!()
    };
    assert_eq!(web.referrer, None);
    let kiosk = ShopItemAdded::from_json(&fixture("shop.item.added/v2/kiosk.json")).unwrap();
    let ShopItemAdded::V2(kiosk) = kiosk else {
        panic!()
    };
    assert_eq!(
        kiosk.payload.source,
        ShopItemAddedV2Source::String("kiosk-3".into())
    );
}

#[test]
fn a_breaking_version_gets_no_upcast() {
    let text = fixture("payments.charge.failed/v1/declined.json");
    let event = AnyEvent::from_json(&text).unwrap();
    assert_eq!(
        event.clone().into_latest(),
        event,
        "v2 cannot read v1: left as it is"
    );
    assert_eq!(ChargeFailed::LATEST_VERSION, 2);
}

#[test]
fn recursive_types_are_boxed() {
    let event = AnyEvent::from_json(&fixture("catalog.category.updated/v1/tree.json")).unwrap();
    let AnyEvent::CategoryUpdated(CategoryUpdated::V1(e)) = event else {
        panic!()
    };
    let parent: Box<CategoryUpdatedV1> = e.payload.parent.unwrap();
    assert_eq!(parent.name, "Drinks");
    let child = &e.payload.children[0];
    assert_eq!(
        child.attributes["caffeine"],
        Some(CategoryUpdatedV1AttributesValue::Long(47))
    );
    assert_eq!(child.attributes["discontinued"], None);
}

#[test]
fn colliding_subject_names_are_prefixed_with_their_service() {
    assert_eq!(ShopItemAdded::EVENT_TYPE, "shop.item.added");
    assert_eq!(WarehouseItemAdded::EVENT_TYPE, "warehouse.item.added");
}

#[test]
fn routing_errors_say_what_is_wrong() {
    let text = fixture("warehouse.item.added/v1/restock.json");
    let unknown = text.replace("warehouse.item.added", "warehouse.item.removed");
    assert!(matches!(
        AnyEvent::from_json(&unknown),
        Err(DecodeError::UnknownEventType(t)) if t == "warehouse.item.removed"
    ));
    let future = text.replace("\"eventVersion\": 1", "\"eventVersion\": 9");
    assert!(matches!(
        AnyEvent::from_json(&future),
        Err(DecodeError::UnknownVersion { version: 9, .. })
    ));
    assert!(matches!(
        ShopItemAdded::from_json(&text),
        Err(DecodeError::WrongEventType { .. })
    ));
    let bad = text.replace("\"quantity\": 120", "\"quantity\": \"many\"");
    let err = AnyEvent::from_json(&bad).unwrap_err();
    assert!(
        err.to_string().contains("warehouse.item.added` v1"),
        "{err}"
    );
    // The error names the place, as `evreg validate` does.
    assert!(
        err.to_string()
            .ends_with("/payload/quantity: expected i32, found string \"many\""),
        "{err}"
    );
    assert!(matches!(
        AnyEvent::from_json("[]"),
        Err(DecodeError::Envelope(_))
    ));
    assert!(matches!(
        AnyEvent::from_json("[1,"),
        Err(DecodeError::Json(_))
    ));
}

#[test]
fn decimals_and_bytes_keep_their_text() {
    assert!(Decimal::new("19.99").is_ok());
    assert!(Decimal::new("-0.5").is_ok());
    for bad in ["1e3", "", ".5", "5.", "1,5", "NaN"] {
        assert!(Decimal::new(bad).is_err(), "{bad}");
    }
    let json = serde_json::to_string(&Bytes(vec![0, 0x41, 0xFF])).unwrap();
    assert_eq!(json, r#""\u0000Aÿ""#);
    assert!(serde_json::from_str::<Bytes>(r#""€""#).is_err());
    assert!(serde_json::from_str::<OrderCancelledV1Checksum>(r#""abc""#).is_err());
}

#[test]
fn an_event_is_built_in_one_call_under_its_payload_types_name() {
    let payload = WarehouseItemAddedV1 {
        sku: "MUG-01".into(),
        quantity: 3,
        bin: None,
    };
    let envelope = Envelope::new(
        "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b".into(),
        "2026-11-25T08:30:00Z".into(),
        "flow-1".into(),
        payload.clone(),
    );
    assert_eq!(envelope.event_type, "warehouse.item.added");
    assert_eq!(envelope.event_version, 1);
    assert_eq!(envelope.causation_id, None);
    let json = serde_json::to_string(&envelope).unwrap();
    match AnyEvent::from_json(&json).unwrap() {
        AnyEvent::WarehouseItemAdded(WarehouseItemAdded::V1(read)) => {
            assert_eq!(read.payload, payload)
        }
        other => panic!("{other:?}"),
    }
}

/// `payments.charge.failed` v1 → v2 is breaking: evreg derives no upcast, the service supplies
/// it, and `into_latest_with` reaches the latest version through it.
#[test]
fn a_breaking_step_is_supplied_by_the_user() {
    struct Bridge;
    impl ChargeFailedSteps for Bridge {
        fn v1_to_v2(&self, payload: ChargeFailedV1) -> ChargeFailedV2 {
            serde_json::from_value(serde_json::json!({
                "chargeId": serde_json::to_value(&payload).unwrap()["chargeId"],
                "code": 51
            }))
            .unwrap()
        }
    }
    let AnyEvent::ChargeFailed(event) =
        AnyEvent::from_json(&fixture("payments.charge.failed/v1/declined.json")).unwrap()
    else {
        panic!("not a charge.failed event")
    };
    assert_eq!(event.event_version(), 1);
    let latest = event.into_latest_with(&Bridge);
    assert_eq!(latest.event_version, 2);
    assert_eq!(latest.payload.code, 51);
}
