//! Code generation from the registry's schemas: a type model shared by the schema formats
//! (`model`), the lowerings of Avro (`avro`) and JSON Schema (`jsonschema`) onto it, and the
//! Rust emitter (`rust`).

pub mod avro;
pub mod jsonschema;
pub mod model;
pub mod names;
pub mod rust;
