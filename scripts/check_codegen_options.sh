#!/usr/bin/env bash
# Compile the code `evreg codegen rust` generates with each crate option (uuid, chrono, time,
# rust_decimal) under #![deny(warnings)], in a scratch crate, and read a fixture through it.
# Not part of CI (it downloads and builds those crates); run it after changing the adapters:
#   bash scripts/check_codegen_options.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
evreg="$PWD/target/debug/evreg"
registry="$PWD/tests/data/codegen"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<'TOML'
[package]
name = "codegen-options"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
uuid = { version = "1", features = ["serde"] }
chrono = { version = "0.4.38", default-features = false, features = ["serde", "std"] }
time = { version = "0.3", features = ["serde-well-known"] }
rust_decimal = { version = "1", features = ["serde-str"] }
[workspace]
TOML
"$evreg" -C "$registry" codegen rust --uuid --chrono --rust-decimal --out "$dir/src/with_chrono.rs"
"$evreg" -C "$registry" codegen rust --uuid --time --rust-decimal --out "$dir/src/with_time.rs"
cat > "$dir/src/lib.rs" <<RS
#![deny(warnings)]
pub mod with_chrono { include!("with_chrono.rs"); }
pub mod with_time { include!("with_time.rs"); }
#[test]
fn fixtures_read_round_trip_and_upgrade_alike() {
    for f in ["orders.order.placed/v1/basic.json", "shop.item.added/v1/app.json", "shop.item.added/v2/kiosk.json"] {
        let text = std::fs::read_to_string(format!("$registry/fixtures/{f}")).unwrap();
        let a = with_chrono::AnyEvent::from_json(&text).unwrap();
        let b = with_time::AnyEvent::from_json(&text).unwrap();
        assert_eq!(with_chrono::AnyEvent::from_json(&serde_json::to_string(&a).unwrap()).unwrap(), a);
        assert_eq!(with_time::AnyEvent::from_json(&serde_json::to_string(&b).unwrap()).unwrap(), b);
        let (a, b) = (a.into_latest(), b.into_latest());
        assert_eq!(serde_json::to_value(&a).unwrap()["payload"], serde_json::to_value(&b).unwrap()["payload"], "{f}");
    }
}
RS
(cd "$dir" && cargo test --quiet)
