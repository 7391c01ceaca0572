//! The registry at run time, over the Schema Registry REST API (Confluent's, which Apicurio's
//! ccompat API, Karapace and Redpanda also speak).
//!
//! - [`wire`]: the API's request and response bodies, once, for the server and the client.
//! - [`state`]: the registry as the API presents it (subjects under their served names, schema
//!   ids, references to shared files), built from a parsed [`crate::Registry`] and immutable.
//! - [`router`]: the API as a pure function, request in, response out, over a [`state::State`];
//!   the HTTP server (`evreg serve`) is a thin layer around it, the fuzz target calls it directly.
//! - [`engine`]: the one adapter through which this module reaches evreg's parsers and
//!   compatibility engines; no verdict is made here.
//! - `server`, `client`, `publish`, `import` (with the `cli` feature): the HTTP layers and the
//!   commands on them.
//!
//! API documentation followed: <https://docs.confluent.io/platform/current/schema-registry/develop/api.html>
//! (subjects, schemas, compatibility, config, mode) and its error codes.

pub mod engine;
pub mod router;
pub mod state;
pub mod wire;

#[cfg(feature = "cli")]
pub mod client;
#[cfg(feature = "cli")]
pub mod import;
#[cfg(feature = "cli")]
pub mod publish;
#[cfg(feature = "cli")]
pub mod server;

#[cfg(test)]
mod tests;
