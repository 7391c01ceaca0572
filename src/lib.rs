//! evreg: versioned event schemas (Avro, JSON Schema) kept in a git repository, and the contract
//! checker that guards them.
//!
//! Data flows one way: files → [`Registry`] → checks → [`Finding`]s → a renderer in [`report`].
//! Modules import one way too, each only from the floors below it (tests/structure.rs keeps
//! this true):
//!
//! 1. `source` (texts, JSON with positions), `rules` (the catalogue, severities, categories),
//!    `fsutil` (the file gate), `envelope`, `suggest`, `parallel` (work on every core);
//! 2. `finding` (findings and the drafts engines and validators build them from);
//! 3. `schema` (models of Avro and JSON Schema files, what a payload is under one, Apache
//!    Avro's view of a version and replay);
//! 4. `compat` (the two engines, on two models);
//! 5. `registry` (layout, settings, `evreg.lock`, where files come from);
//! 6. `parsed` (the one parsed view of a registry's versions), `integrity` (fingerprints,
//!    baselines);
//! 7. `report` (renderers); 8. `validate` (events, fixtures); 9. `check`, `codegen`;
//! 10. `add`, `diff`; 11. `remote`; 12. `cli`.
//!
//! ```no_run
//! let registry = evreg::Registry::discover(std::path::Path::new(".")).unwrap();
//! let report = evreg::check(&registry);
//! for finding in &report.findings {
//!     println!("{}: {}", finding.rule.id, finding.message);
//! }
//! ```

// A `Finding` is a few hundred bytes and is returned only on the failure path; boxing it would
// cost every caller for nothing.
#![allow(clippy::result_large_err)]

pub mod add;
pub mod check;
#[cfg(feature = "codegen")]
pub mod codegen;
pub mod compat;
pub mod diff;
pub mod envelope;
pub mod finding;
pub mod fsutil;
pub mod integrity;
pub mod parallel;
pub mod parsed;
pub mod registry;
#[cfg(feature = "remote")]
pub mod remote;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod validate;

#[cfg(feature = "cli")]
pub mod cli;

pub use check::{CompatOutcome, check, compat_files};
pub use compat::Mode;
pub use finding::{Category, Finding, Severity};
pub use registry::Registry;
pub use report::Report;
