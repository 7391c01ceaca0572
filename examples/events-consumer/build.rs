//! Generate Rust types for the event registries at build time, as a consuming service would.

use std::path::{Path, PathBuf};

use evreg::codegen::rust::{Options, TimeCrate};

fn generate(registry: &Path, out: &Path) {
    generate_with(registry, out, &Options::default());
}

fn generate_with(registry: &Path, out: &Path, options: &Options) {
    let registry = evreg::Registry::load(registry)
        .unwrap_or_else(|e| panic!("cannot load the registry {}: {e}", registry.display()));
    let code = evreg::codegen::rust::generate(&registry, options)
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
    // With the crates' types (feature `crate-types`): the parity registry judged by the same
    // test, the codegen registry compiled and its fixtures read (tests/crate_types.rs).
    if std::env::var_os("CARGO_FEATURE_CRATE_TYPES").is_some() {
        for (suffix, time) in [("chrono", TimeCrate::Chrono), ("time", TimeCrate::Time)] {
            let options = Options {
                uuid: true,
                time: Some(time),
                rust_decimal: true,
                ..Options::default()
            };
            generate_with(&parity, &out.join(format!("parity_{suffix}.rs")), &options);
            generate_with(&codegen, &out.join(format!("events_{suffix}.rs")), &options);
        }
    }

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
