//! `evreg import`: a remote Schema Registry's subjects into the registry layout. Each version
//! becomes a pretty-printed file, each subject a `subject.yaml` with the remote's level (and its
//! remote name where the naming template would not give it), referenced subjects become shared
//! files; evreg.lock records the versions with the remote's ids, so `evreg serve` gives the ids
//! that messages already carry. Files that exist are never overwritten. All writes go through
//! the file gate, under the registry's lock.

use super::client::{Client, ClientError};
use super::engine;
use super::state;
use super::wire;
use crate::fsutil::Gate;
use crate::registry::{Registry, SCHEMAS_DIR, SUBJECT_FILE};
use crate::schema::Format;
use std::collections::BTreeMap;

/// What an import did, per subject and in total.
#[derive(Default)]
pub struct Imported {
    /// One line per subject: what was written or why not.
    pub lines: Vec<String>,
    /// Versions written.
    pub written: usize,
    /// Remote subjects not imported (names that do not fit, conflicts).
    pub skipped: usize,
}

/// A remote subject as fetched.
struct Remote {
    name: String,
    versions: Vec<wire::SubjectVersion>,
    level: Option<String>,
}

/// Import `only` (remote names; empty: every subject) into the registry at `root`.
pub fn import(
    root: &std::path::Path,
    client: &Client,
    only: &[String],
    progress: &mut dyn FnMut(&str),
) -> Result<Imported, String> {
    let err = |e: ClientError| e.to_string();
    let mut names = client.subjects().map_err(err)?;
    if !only.is_empty() {
        for o in only {
            if !names.contains(o) {
                return Err(format!("the remote has no subject `{o}`"));
            }
        }
        names.retain(|n| only.contains(n));
    }
    let mut remotes = Vec::new();
    for name in names {
        let mut versions = Vec::new();
        for n in client.versions(&name).map_err(err)? {
            versions.push(client.version(&name, n).map_err(err)?);
        }
        let level = client.subject_level(&name).map_err(err)?;
        progress(&format!("{name}: fetched {} versions", versions.len()));
        remotes.push(Remote {
            name,
            versions,
            level,
        });
    }
    // Referenced subjects (at the version referenced) are shared files.
    let mut referenced: BTreeMap<String, u32> = BTreeMap::new();
    for r in remotes
        .iter()
        .flat_map(|r| &r.versions)
        .flat_map(|v| &v.references)
    {
        let e = referenced.entry(r.subject.clone()).or_insert(r.version);
        *e = (*e).max(r.version);
    }
    // Referenced subjects outside `only` are fetched too.
    for (name, version) in &referenced {
        if !remotes.iter().any(|r| &r.name == name) {
            let v = client.version(name, *version).map_err(err)?;
            remotes.push(Remote {
                name: name.clone(),
                versions: vec![v],
                level: None,
            });
        }
    }
    let gate = Gate::new(root).map_err(|e| e.to_string())?;
    let held = gate
        .lock(crate::registry::CONFIG_FILE)
        .map_err(|e| e.to_string())?;
    let reg = Registry::load(root).map_err(|e| e.to_string())?;
    let mut out = Imported::default();
    // Remote ids by the evreg (subject, version) they were written to.
    let mut ids: Vec<(String, u32, u32)> = Vec::new();
    for r in &remotes {
        if let Some(&version) = referenced.get(&r.name) {
            let Some(v) = r.versions.iter().find(|v| v.version == version) else {
                continue;
            };
            let line = write_shared(&gate, r, v, &mut out);
            progress(&line);
            out.lines.push(line);
            continue;
        }
        let line = write_subject(&gate, &reg, r, &mut out, &mut ids);
        progress(&line);
        out.lines.push(line);
    }
    // Record what was written, with the remote's ids where they are free.
    crate::registry::lock::change_lock_file(&gate, &held, |now| {
        let lock = now.lock.clone().unwrap_or_default();
        let (mut next, _, _) = crate::integrity::update_lock(now, &lock);
        let table = crate::registry::lock::IdTable::of(&next);
        for (subject, version, id) in &ids {
            if let Some(e) = next
                .entries
                .get_mut(subject)
                .and_then(|v| v.get_mut(version))
                && e.id.is_none()
                && table.fingerprint(*id).is_none_or(|fp| fp == e.fingerprint)
            {
                e.id = Some(*id);
            }
        }
        (Some(next), ())
    })
    .map_err(|e| e.to_string())?;
    Ok(out)
}

fn format_of(v: &wire::SubjectVersion) -> Option<Format> {
    wire::format_of(v.schema_type.as_deref())
}

/// A schema text pretty-printed (in `evreg diff`'s layout, keys in their order), or as it came
/// when it is not JSON (the check after the import reports it).
fn pretty(text: &str) -> String {
    match crate::source::json::parse(text) {
        Ok(node) => crate::diff::pretty_printed(&node),
        Err(_) => text.to_string(),
    }
}

/// Write `rel` unless it exists; an existing file with another canonical form is a conflict.
fn put(gate: &Gate, rel: &str, text: &str, format: Format) -> Result<bool, String> {
    match gate.read(rel) {
        Ok(bytes) => {
            let have = String::from_utf8_lossy(&bytes);
            if engine::canonical(&have, format) == engine::canonical(text, format) {
                Ok(false)
            } else {
                Err(format!(
                    "{rel} exists with other content; it is left as it is"
                ))
            }
        }
        Err(e) if e.is_not_found() => {
            gate.create_new(rel, pretty(text).as_bytes())
                .map_err(|e| e.to_string())?;
            Ok(true)
        }
        Err(e) => Err(e.to_string()),
    }
}

fn write_shared(gate: &Gate, r: &Remote, v: &wire::SubjectVersion, out: &mut Imported) -> String {
    let Some(format) = format_of(v) else {
        out.skipped += 1;
        return format!(
            "{}: skipped, schema type {} is not kept by evreg",
            r.name,
            v.schema_type.as_deref().unwrap_or("")
        );
    };
    // A name that is already a shared file's (as `evreg serve` names them) is kept.
    let file = if crate::fsutil::is_plain_name(&r.name) && Format::of_path(&r.name) == Some(format)
    {
        r.name.clone()
    } else {
        format!("{}.{}", sanitize(&r.name), format.extension())
    };
    match put(gate, &format!("{SCHEMAS_DIR}/{file}"), &v.schema, format) {
        Ok(true) => {
            out.written += 1;
            format!(
                "{}: written as the shared file {SCHEMAS_DIR}/{file} (v{} is referenced)",
                r.name, v.version
            )
        }
        Ok(false) => format!("{}: {SCHEMAS_DIR}/{file} is already there", r.name),
        Err(e) => {
            out.skipped += 1;
            format!("{}: {e}", r.name)
        }
    }
}

/// The evreg subject a remote name maps to: a subject whose `schema-registry-subject` gives that
/// name, else the name with the naming template undone.
fn evreg_name(reg: &Registry, remote: &str) -> Option<String> {
    if let Some(s) = reg
        .subjects
        .iter()
        .find(|s| state::served_name(reg, s) == remote)
    {
        return Some(s.name.clone());
    }
    let template = reg
        .settings
        .schema_registry_subject
        .as_deref()
        .unwrap_or("{subject}");
    let (prefix, suffix) = template.split_once("{subject}")?;
    remote
        .strip_prefix(prefix)
        .and_then(|n| n.strip_suffix(suffix))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// A name the naming rule may accept: lower case, other characters as `-`, dots kept.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '.' | '-') => c,
            _ => '-',
        })
        .collect::<String>()
        .trim_matches(|c| c == '-' || c == '.')
        .to_string()
}

fn write_subject(
    gate: &Gate,
    reg: &Registry,
    r: &Remote,
    out: &mut Imported,
    ids: &mut Vec<(String, u32, u32)>,
) -> String {
    let fits =
        |n: &str| crate::registry::is_safe_subject_name(n) && reg.settings.naming.is_match(n);
    let Some(name) = evreg_name(reg, &r.name).filter(|n| fits(n)) else {
        out.skipped += 1;
        let mut suggestion = sanitize(&r.name);
        while suggestion.matches('.').count() < 2 {
            suggestion.push_str(".event");
        }
        return format!(
            "{}: skipped, its name does not fit the naming rule\n  help: map it to an evreg subject: create {SCHEMAS_DIR}/{suggestion}/{SUBJECT_FILE} with `schema-registry-subject: {}` (or another name the rule accepts), then run the import again",
            r.name, r.name
        );
    };
    let mut written = Vec::new();
    let mut problems = Vec::new();
    let format = r.versions.first().and_then(format_of);
    for v in &r.versions {
        let Some(f) = format_of(v).filter(|f| Some(*f) == format) else {
            problems.push(format!(
                "v{} has schema type {}, not kept",
                v.version,
                v.schema_type.as_deref().unwrap_or("AVRO")
            ));
            continue;
        };
        let rel = format!(
            "{}/v{}.{}",
            Registry::subject_dir(&name),
            v.version,
            f.extension()
        );
        match put(gate, &rel, &v.schema, f) {
            Ok(true) => {
                written.push(format!("v{}", v.version));
                out.written += 1;
                ids.push((name.clone(), v.version, v.id));
            }
            Ok(false) => ids.push((name.clone(), v.version, v.id)),
            Err(e) => problems.push(e),
        }
    }
    // subject.yaml: the remote's level, and the remote name where the template would not give it.
    let meta = format!("{}/{SUBJECT_FILE}", Registry::subject_dir(&name));
    if gate.read(&meta).is_err_and(|e| e.is_not_found()) {
        let mut text = String::new();
        if let Some(level) = &r.level {
            text.push_str(&format!("compatibility: {level}\n"));
        }
        let template = reg
            .settings
            .schema_registry_subject
            .as_deref()
            .unwrap_or("{subject}");
        if template.replace("{subject}", &name) != r.name {
            text.push_str(&format!(
                "schema-registry-subject: '{}'\n",
                r.name.replace('\'', "''")
            ));
        }
        if !text.is_empty()
            && let Err(e) = gate.create_new(&meta, text.as_bytes())
        {
            problems.push(e.to_string());
        }
    }
    let mut line = if written.is_empty() {
        format!(
            "{}: nothing new ({} versions already in {})",
            r.name,
            r.versions.len(),
            Registry::subject_dir(&name)
        )
    } else {
        format!(
            "{}: wrote {} to {}",
            r.name,
            written.join(", "),
            Registry::subject_dir(&name)
        )
    };
    for p in problems {
        line.push_str(&format!("\n  {p}"));
    }
    line
}
