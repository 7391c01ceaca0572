//! Sample events: envelope and payload validation, fixtures, negative fixtures and their replay
//! between versions.

pub mod events;
pub mod example;
pub mod fixtures;
pub mod input;

// What a payload is under one schema lives with the schemas (the compatibility engines confirm
// their examples with it too); validation reads it from there.
pub use crate::schema::avro_payload as avro;
#[cfg(feature = "replay")]
pub use crate::schema::replay;
pub use crate::schema::{formats, syntax, wording};
