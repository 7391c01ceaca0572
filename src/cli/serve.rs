//! `evreg serve`: the registry over the Schema Registry REST API.

use super::{EXIT_OK, Exit, Failure, Global};
use crate::remote::server;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port (the bound address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8081")]
    pub listen: String,
    /// Accept new schemas in memory, after evreg's compatibility check under the subject's mode
    /// (409 when incompatible); the files are never written. Without it, registering a schema
    /// that equals an existing version returns its id, and anything new is refused.
    #[arg(long)]
    pub writable: bool,
    /// The largest request body accepted, in bytes (413 beyond).
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_body: usize,
    /// Seconds between looks at the registry's files; a change reloads them (as SIGHUP does).
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub poll: f64,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let root = g.registry()?.root;
    let poll = Duration::try_from_secs_f64(args.poll)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("--poll {} is not a positive number of seconds", args.poll))?;
    let again = root.clone();
    server::run(
        server::Options {
            listen: args.listen.clone(),
            writable: args.writable,
            max_body: args.max_body,
            poll,
        },
        &root,
        Box::new(move || crate::registry::Registry::load(&again).map_err(|e| e.to_string())),
    )?;
    Ok(EXIT_OK)
}
