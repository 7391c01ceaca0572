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
# Severity per rule (error, warning, info, off); `evreg rules` lists them. The doc lint is off
# unless named here; as info its notes are counted in the summary (`--show info` lists them):
rules:
  avro-doc-missing: info
";

/// How the workflow names the action: the commit of this release when the release build was told
/// it (`EVREG_RELEASE_COMMIT`, set by the release workflow), so the action is pinned by digest as
/// supply-chain linters ask; otherwise this version's tag.
fn action_pin() -> String {
    pin_of(
        env!("CARGO_PKG_VERSION"),
        option_env!("EVREG_RELEASE_COMMIT"),
    )
}

fn pin_of(version: &str, commit: Option<&str>) -> String {
    match commit {
        Some(c) if c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("evreg/evreg@{c} # v{version}")
        }
        _ => format!("evreg/evreg@v{version}"),
    }
}

/// The CI workflow; `dir` is the registry's folder in the repository (`.` at its root). It asks
/// for read access only, keeps no git credentials in the checkout, and pins every action.
fn workflow(dir: &str) -> String {
    let input = if dir == "." {
        String::new()
    } else {
        format!(
            "\n        with:\n          working-directory: {}",
            yaml_quoted(dir)
        )
    };
    format!(
        "\
name: evreg
on: [pull_request, push]
permissions:
  contents: read
jobs:
  schemas:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          # The whole history, so a branch is compared with its merge base.
          fetch-depth: 0
          persist-credentials: false
      # Checks the registry; in pull requests also that no published version changed since the
      # base branch. Findings appear as annotations on the changed lines and as a table in the
      # job summary. The action downloads evreg's release binary (checked and cached).
      - uses: {action}{input}
",
        action = action_pin()
    )
}

/// A YAML double-quoted scalar.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where the workflow goes: GitHub reads `.github/workflows/` only at the repository root.
/// Returns the root and the registry's folder relative to it (`.` when they are the same).
#[cfg(feature = "git")]
fn repository_of(dir: &std::path::Path) -> Option<(PathBuf, String)> {
    let dir = dir.canonicalize().ok()?;
    let repo = git2::Repository::discover(&dir).ok()?;
    let root = repo.workdir()?.canonicalize().ok()?;
    let rel = dir.strip_prefix(&root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let rel = if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    };
    Some((root, rel))
}

#[cfg(not(feature = "git"))]
fn repository_of(_dir: &std::path::Path) -> Option<(PathBuf, String)> {
    None
}

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
    let mut notes = Vec::new();
    match repository_of(dir) {
        Some((root, rel)) => {
            let wf_dir = root.join(".github/workflows");
            let wf = wf_dir.join("evreg.yml");
            if wf.exists() {
                notes.push(format!(
                    "{} exists and was left alone; its evreg step needs `working-directory: {rel}`",
                    wf.display()
                ));
            } else {
                std::fs::create_dir_all(&wf_dir).map_err(|e| fail(&wf_dir, e))?;
                fsutil::create_new_atomic(&wf, workflow(&rel).as_bytes())
                    .map_err(|e| fail(&wf, e))?;
                created.push(wf.display().to_string());
            }
        }
        None => {
            // Not in a repository yet: the folder most likely becomes its root.
            let wf_dir = dir.join(".github/workflows");
            let wf = wf_dir.join("evreg.yml");
            if !wf.exists() {
                std::fs::create_dir_all(&wf_dir).map_err(|e| fail(&wf_dir, e))?;
                fsutil::create_new_atomic(&wf, workflow(".").as_bytes())
                    .map_err(|e| fail(&wf, e))?;
                created.push(wf.display().to_string());
                notes.push(format!(
                    "{} is not in a git repository; GitHub reads workflows only from .github/workflows at the repository root, so if this folder will not be the root, move the workflow there and add `with: {{working-directory: <this folder>}}` to its evreg step",
                    dir.display()
                ));
            }
        }
    }
    eprintln!(
        "created {}\nnext: `evreg add orders.order.placed order-placed.avsc`, then `evreg check`",
        created.join(", ")
    );
    for n in notes {
        eprintln!("note: {n}");
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_build_pins_the_action_by_its_commit_and_a_source_build_by_its_tag() {
        let commit = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        assert_eq!(
            pin_of("1.2.3", Some(commit)),
            format!("evreg/evreg@{commit} # v1.2.3")
        );
        assert_eq!(pin_of("1.2.3", None), "evreg/evreg@v1.2.3");
        // Anything but a full commit id is not trusted as one.
        assert_eq!(pin_of("1.2.3", Some("main")), "evreg/evreg@v1.2.3");
    }
}
