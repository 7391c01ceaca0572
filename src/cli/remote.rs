//! What `evreg publish` and `evreg import` share: the Schema Registry named on the command line.

use super::Failure;
use crate::remote::client::Client;

/// Where the credentials come from, shown under both commands' `--help`.
pub const CREDENTIALS: &str = "Credentials come from the environment only: EVREG_SR_USER and EVREG_SR_PASSWORD (basic), or EVREG_SR_TOKEN (bearer).";

#[derive(clap::Args, Debug)]
pub struct Remote {
    /// The Schema Registry's base URL (https:// verifies against the system's roots).
    #[arg(long, value_name = "URL")]
    pub url: String,
}

impl Remote {
    /// A client of that registry, with the credentials of the environment.
    pub fn client(&self) -> Result<Client, Failure> {
        Client::new(&self.url)
    }
}
