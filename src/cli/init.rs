use super::{EXIT_OK, Exit, Failure, Global};
use crate::fsutil;
use crate::registry::{CONFIG_FILE, FIXTURES_DIR, SCHEMAS_DIR};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to create the registry (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

const CONFIG: &str = "\
# evreg registry settings. Every key is optional; see `evreg --help` and the README.
# Default compatibility mode of every subject (a subject's subject.yaml may override it):
# NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.
compatibility: BACKWARD
# Subject names ({service}.{aggregate}.{event}, optionally .v2):
# naming: '^[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*){2,}$'
# Accepted breaking changes, each with the reason it is accepted:
# allow:
#   - {subject: orders.order.placed, version: 4, rule: avro-field-missing-default, reason: \"all consumers migrated (TICKET-123)\"}
# Severity per rule (error, warning, info, off); `evreg rules` lists them:
# rules:
#   avro-doc-missing: warning
";

const WORKFLOW: &str = "\
name: evreg
on: [pull_request, push]
jobs:
  schemas:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      # Checks the registry; in pull requests also that no published version changed since the
      # base branch. Findings appear as annotations on the changed lines.
      - uses: evreg/evreg@main
";

pub fn run(args: &Args, _g: &Global) -> Result<Exit, Failure> {
    let dir = &args.dir;
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Err(format!(
            "{} already exists; nothing was changed\n  help: `evreg check` checks the existing registry",
            config.display()
        ));
    }
    let fail = |what: &PathBuf, e: std::io::Error| format!("cannot create {}: {e}", what.display());
    for sub in [SCHEMAS_DIR, FIXTURES_DIR] {
        let p = dir.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| fail(&p, e))?;
        let keep = p.join(".gitkeep");
        if !keep.exists() {
            fsutil::create_new_atomic(&keep, b"").map_err(|e| fail(&keep, e))?;
        }
    }
    fsutil::create_new_atomic(&config, CONFIG.as_bytes()).map_err(|e| fail(&config, e))?;
    let mut created = vec![
        config.display().to_string(),
        dir.join(SCHEMAS_DIR).display().to_string() + "/",
        dir.join(FIXTURES_DIR).display().to_string() + "/",
    ];
    let wf_dir = dir.join(".github/workflows");
    let wf = wf_dir.join("evreg.yml");
    if !wf.exists() {
        std::fs::create_dir_all(&wf_dir).map_err(|e| fail(&wf_dir, e))?;
        fsutil::create_new_atomic(&wf, WORKFLOW.as_bytes()).map_err(|e| fail(&wf, e))?;
        created.push(wf.display().to_string());
    }
    eprintln!(
        "created {}\nnext: `evreg add orders.order.placed order-placed.avsc`, then `evreg check`",
        created.join(", ")
    );
    Ok(EXIT_OK)
}
