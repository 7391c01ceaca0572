//! Sample events: envelope and payload validation, fixtures, negative fixtures and replay.

pub mod avro;
pub mod events;
pub mod example;
pub mod fixtures;
pub mod formats;
pub mod input;
#[cfg(feature = "replay")]
pub mod replay;
pub mod syntax;
pub mod wording;

/// One way a value does not fit a schema: where in the value (a JSON pointer), where in the
/// schema, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub schema_pointer: String,
    pub message: String,
}
