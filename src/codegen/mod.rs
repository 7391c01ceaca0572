//! Code generation from the registry's schemas: a type model shared by the schema formats
//! (`model`), the lowering of Avro onto it (`avro`), and the Rust emitter (`rust`).

pub mod avro;
pub mod model;
pub mod names;
pub mod rust;
