//! Generate Rust types for the event registries at build time, as a consuming service would.

use std::path::{Path, PathBuf};

fn generate(registry: &Path, out: &Path) {
    let registry = evreg::Registry::load(registry)
        .unwrap_or_else(|e| panic!("cannot load the registry {}: {e}", registry.display()));
    let code = evreg::codegen::rust::generate(&registry, &Default::default())
        .unwrap_or_else(|e| panic!("cannot generate code: {e}"));
    std::fs::write(out, code).expect("write the generated code");
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    let root = manifest.join("../..");

    // The registry made to exercise code generation.
    let codegen = root.join("tests/data/codegen");
    println!("cargo::rerun-if-changed={}", codegen.display());
    generate(&codegen, &out.join("events.rs"));

    // The same for events in the CloudEvents envelope (the version comes from `dataschema`).
    let cloudevents = root.join("tests/data/codegen-cloudevents");
    println!("cargo::rerun-if-changed={}", cloudevents.display());
    generate(&cloudevents, &out.join("cloudevents.rs"));

    // The registry of the parity test: every construct, judged alike by `evreg validate`.
    let parity = root.join("tests/data/parity");
    println!("cargo::rerun-if-changed={}", parity.display());
    generate(&parity, &out.join("parity.rs"));

    // The project's own example registry, when the repository has one.
    println!("cargo::rustc-check-cfg=cfg(bundled_registry)");
    println!(
        "cargo::rerun-if-changed={}",
        root.join("evreg.yaml").display()
    );
    println!("cargo::rerun-if-changed={}", root.join("schemas").display());
    if root.join("evreg.yaml").is_file() && root.join("schemas").is_dir() {
        generate(&root, &out.join("bundled.rs"));
        println!("cargo::rustc-cfg=bundled_registry");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
