//! evreg: versioned event schemas (Avro, JSON Schema) kept in a git repository, and the contract
//! checker that guards them.
//!
//! Data flows one way: files → [`Registry`] → checks → [`Finding`]s → a renderer in [`report`].
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
