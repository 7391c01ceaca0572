//! Published versions are immutable. The baselines: `evreg.lock` (fingerprints, checked on every
//! `check`) and the registry at a git ref (`check --against REF`).

use crate::compat::Mode;
use crate::finding::{Finding, Location};
use crate::parsed::Model;
use crate::registry::lock::{LOCK_FILE, Lock, LockEntry};
use crate::registry::{Registry, Subject, Version};
use crate::rules;
use crate::schema::canonical;
use crate::schema::parse_json;
use crate::source::json::Node;
use std::collections::{BTreeMap, HashMap};

/// A version's parsed JSON, or `None` if it does not parse (its finding is made elsewhere).
fn json_of(v: &Version) -> Option<Node> {
    if !v.readable {
        return None;
    }
    parse_json(&v.source).ok()
}

/// Can a JSON document reach another file? Only through a reference that is not a bare
/// `#fragment`, or through a `$id` (`id` in draft 4) that moves the base a fragment resolves
/// against. Documents with neither need no resolver run (the common case: local `$defs` only).
fn may_reach_other_files(node: &Node) -> bool {
    use crate::source::json::Value;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Object(members) => {
                for m in members {
                    match (m.key.as_str(), m.value.as_str()) {
                        ("$ref" | "$dynamicRef" | "$recursiveRef", Some(r))
                            if !r.starts_with('#') =>
                        {
                            return true;
                        }
                        ("$id" | "id", Some(_)) => return true,
                        _ => {}
                    }
                    stack.push(&m.value);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

type Shared = std::sync::Arc<crate::source::SourceFile>;
/// Version path → (its file, the files it reaches).
type Reached = std::collections::HashMap<String, (Shared, Vec<Shared>)>;

/// Every registry file a version's references reach, transitively, sorted by path: their
/// content is part of what the version means. Found by the resolvers the engines use (Avro named
/// types from shared files; JSON Schema `$ref`s in every spelling the loader accepts: relative,
/// root-relative, `evreg:/…`, percent-encoded, under a `$id`), so what is fingerprinted is
/// exactly what is checked.
pub fn references(files: &Files, v: &Version) -> Vec<Shared> {
    // Versions of the registry `files` was made from are resolved once, all together.
    let all = files.reached.get_or_init(|| resolve_all(files));
    match all.get(&v.source.path) {
        Some((source, reached)) if std::sync::Arc::ptr_eq(source, &v.source) => reached.clone(),
        _ => {
            // A version from elsewhere: the draft of the registry's file at its path, if any.
            let draft = files
                .versions
                .iter()
                .find(|(mine, _)| mine.source.path == v.source.path)
                .map_or_else(Default::default, |(_, d)| *d);
            resolve(files, v, draft)
        }
    }
}

/// The registry files a version names itself (not only through another file), each with the
/// name a Schema Registry reference gives it: for Avro the full name of the file's first named
/// type, for JSON Schema the `$ref` URI as the version writes it (without its fragment), which is
/// what a client registers the referenced document under. Found among [`references`].
pub fn direct_references(files: &Files, v: &Version) -> Vec<(Shared, String)> {
    let reached = references(files, v);
    let Some(node) = json_of(v) else {
        return Vec::new();
    };
    let mut out: Vec<(Shared, String)> = Vec::new();
    if v.format == crate::schema::Format::Avro {
        for f in files.provider.avro_shared().used_by(&node) {
            if f.path != v.source.path && !out.iter().any(|(o, _)| o.path == f.path) {
                let name = parse_json(&f)
                    .ok()
                    .and_then(|n| avro_first_name(&n))
                    .unwrap_or_else(|| f.path.clone());
                out.push((f, name));
            }
        }
        return out;
    }
    use crate::source::json::Value;
    let base = crate::schema::json::file_uri(&v.source.path);
    let mut stack = vec![&node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Object(members) => {
                for m in members {
                    if let ("$ref", Some(r)) = (m.key.as_str(), m.value.as_str()) {
                        let uri = r.split('#').next().unwrap_or("");
                        let target = crate::schema::json::resolve_uri(&base, uri);
                        if let Some(f) = reached.iter().find(|f| {
                            !uri.is_empty() && crate::schema::json::file_uri(&f.path) == target
                        }) && !out.iter().any(|(_, name)| name == uri)
                        {
                            out.push((f.clone(), uri.to_string()));
                        }
                    }
                    stack.push(&m.value);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// The full name of the first named type an Avro document defines (an object with `name`, or
/// the first of a union of them).
fn avro_first_name(node: &Node) -> Option<String> {
    use crate::source::json::Value;
    match &node.value {
        Value::Array(items) => items.iter().find_map(avro_first_name),
        Value::Object(members) => {
            let get = |k: &str| {
                members
                    .iter()
                    .find(|m| m.key == k)
                    .and_then(|m| m.value.as_str())
            };
            let name = get("name")?;
            match get("namespace") {
                Some(ns) if !ns.is_empty() && !name.contains('.') => Some(format!("{ns}.{name}")),
                _ => Some(name.to_string()),
            }
        }
        _ => None,
    }
}

/// [`references`] of every version of the registry, on every core (loading a JSON Schema
/// version that reaches other files costs about as much as checking it).
fn resolve_all(files: &Files) -> Reached {
    crate::parallel::map(&files.versions, |(v, draft)| {
        (
            v.source.path.clone(),
            (v.source.clone(), resolve(files, v, *draft)),
        )
    })
    .into_iter()
    .collect()
}

/// The shared files whose named types an Avro version (its JSON `node`), or those files in turn,
/// name; sorted by path.
fn avro_reached(files: &Files, v: &Version, node: &Node) -> Vec<Shared> {
    let mut found: BTreeMap<String, Shared> = BTreeMap::new();
    let mut queue = Vec::new();
    let mut take = |node: &Node, queue: &mut Vec<Shared>| {
        for f in files.provider.avro_shared().used_by(node) {
            if f.path != v.source.path && !found.contains_key(&f.path) {
                found.insert(f.path.clone(), f.clone());
                queue.push(f);
            }
        }
    };
    take(node, &mut queue);
    while let Some(file) = queue.pop() {
        if let Ok(node) = parse_json(&file) {
            take(&node, &mut queue);
        }
    }
    found.into_values().collect()
}

fn resolve(files: &Files, v: &Version, draft: crate::schema::json::Draft) -> Vec<Shared> {
    let mut found: BTreeMap<String, Shared> = BTreeMap::new();
    if v.format == crate::schema::Format::Avro {
        return match parse_json(&v.source) {
            Ok(node) => avro_reached(files, v, &node),
            Err(_) => Vec::new(),
        };
    }
    match json_of(v) {
        Some(node) if may_reach_other_files(&node) => {}
        _ => return Vec::new(),
    }
    let loaded =
        crate::schema::json::load(v.source.clone(), &v.source.path, &files.provider, draft);
    for f in loaded.reached {
        if f.path != v.source.path {
            found.insert(f.path.clone(), f);
        }
    }
    found.into_values().collect()
}

/// A registry's files as the engines read them: `$ref`s and shared Avro types resolve among
/// exactly the files the registry was read from (working tree, git ref or index alike).
pub struct Files {
    provider: crate::schema::json::FileProvider,
    /// Each version with the JSON Schema draft its subject assumes (`$id`/`id` decide where
    /// references lead).
    versions: Vec<(Version, crate::schema::json::Draft)>,
    /// What each version reaches, resolved on first use.
    reached: std::sync::OnceLock<Reached>,
}

pub fn files_of(reg: &Registry) -> Files {
    Files {
        provider: crate::schema::json::FileProvider::in_memory(reg.root.clone(), reg.all_files()),
        versions: reg
            .subjects
            .iter()
            .flat_map(|s| s.versions.iter().map(|v| (v.clone(), s.json_schema_draft)))
            .collect(),
        reached: std::sync::OnceLock::new(),
    }
}

/// Files to resolve references among when no registry holds them as versions: the registry's
/// files plus others (schemas a Schema Registry client names by reference).
pub fn files_from(
    root: std::path::PathBuf,
    files: impl IntoIterator<Item = std::sync::Arc<crate::source::SourceFile>>,
) -> Files {
    Files {
        provider: crate::schema::json::FileProvider::in_memory(root, files),
        versions: Vec::new(),
        reached: std::sync::OnceLock::new(),
    }
}

/// The fingerprint of a version as it stands, if its JSON parses: its canonical form, and for a
/// JSON Schema version the canonical forms of the registry files its `$ref`s reach (a shared
/// definition that changes changes every version that uses it).
pub fn fingerprint(files: &Files, v: &Version) -> Option<String> {
    let node = json_of(v)?;
    fingerprint_of(&node, v.format, references(files, v))
}

/// [`fingerprint`] from the model `check` has parsed anyway: the version's JSON and, for JSON
/// Schema, the files its `$ref`s reached while loading, so nothing is parsed or resolved twice
/// (a test holds both equal over every version of the test registries).
pub fn fingerprint_parsed(files: &Files, v: &Version, model: &Model) -> Option<String> {
    if !v.readable {
        return None;
    }
    let (node, refs) = match model {
        Model::Json(s) => {
            let reached: BTreeMap<&str, Shared> = s
                .files
                .iter()
                .skip(1)
                .filter(|f| f.source.path != v.source.path)
                .map(|f| (f.source.path.as_str(), f.source.clone()))
                .collect();
            (&*s.files[0].json, reached.into_values().collect())
        }
        Model::Avro(s) => (&s.json, avro_reached(files, v, &s.json)),
    };
    fingerprint_of(node, v.format, refs)
}

fn fingerprint_of(node: &Node, format: crate::schema::Format, refs: Vec<Shared>) -> Option<String> {
    if refs.is_empty() {
        return Some(canonical::fingerprint(node, format));
    }
    let mut text = canonical::canonical_form(node, format);
    for f in refs {
        let r = parse_json(&f).ok()?;
        text.push_str(&format!(
            "\n{}\n{}",
            f.path,
            canonical::canonical_form(&r, format)
        ));
    }
    Some(canonical::fingerprint_of(&text))
}

/// The span of `pointer` in `node`, or of its nearest ancestor that exists there: a change that
/// removed or added a member is shown at the object that holds it.
fn nearest_span(node: &Node, pointer: &str) -> (String, Option<crate::source::Span>) {
    let mut p = pointer.to_string();
    loop {
        if let Some(span) = node.pointer_span(&p) {
            return (p, Some(span));
        }
        match p.rfind('/') {
            Some(i) => p.truncate(i),
            None => return (String::new(), Some(node.span)),
        }
    }
}

fn modified(subject: &Subject, v: &Version, pointer: Option<String>, baseline: &str) -> Finding {
    let json = json_of(v);
    let (pointer, span) = match (&json, pointer) {
        (Some(n), Some(p)) => nearest_span(n, &p),
        (_, p) => (p.unwrap_or_default(), None),
    };
    Finding::new(
        &rules::VERSION_MODIFIED,
        format!("published version {} v{} was edited: its canonical form differs from {baseline}", subject.name, v.number),
        format!("revert the edit and publish the change as v{} instead (`evreg add`); only whitespace, key order and docs may change", subject.next_number()),
    )
    .subject(&subject.name)
    .version(v.number)
    .at(Location::at(&v.source, pointer, span))
}

fn deleted(subject: &str, version: u32, baseline: &str, file: &str) -> Finding {
    Finding::new(
        &rules::VERSION_DELETED,
        format!("published version {subject} v{version} is gone; {baseline} has it"),
        format!("restore {file} (e.g. `git checkout <ref> -- {file}`); a published version is never deleted"),
    )
    .subject(subject)
    .version(version)
    .at(Location::file(file))
}

/// Locked versions that changed or disappeared, and versions not yet locked.
pub fn check_lock(reg: &Registry, lock: &Lock) -> Vec<Finding> {
    check_lock_with(reg, lock, &files_of(reg), &HashMap::new())
}

/// [`check_lock`] with the fingerprints already taken (version path → fingerprint; see
/// [`fingerprint_parsed`]); a version not among them is fingerprinted here.
pub fn check_lock_with(
    reg: &Registry,
    lock: &Lock,
    files: &Files,
    known: &HashMap<String, Option<String>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, versions) in &lock.entries {
        let subject = reg.subject(name);
        for (&number, entry) in versions {
            let lock_loc = || Location {
                file: LOCK_FILE.into(),
                pointer: String::new(),
                span: None,
                line: Some(entry.line),
                column: Some(1),
            };
            match subject.and_then(|s| s.version(number)) {
                None => {
                    let mut f = deleted(
                        name,
                        number,
                        "evreg.lock",
                        &format!("{}/v{number}.*", Registry::subject_dir(name)),
                    );
                    f.location = Some(lock_loc());
                    out.push(f);
                }
                Some(v) => {
                    let now = match known.get(&v.source.path) {
                        Some(taken) => taken.clone(),
                        None => fingerprint(files, v),
                    };
                    if now.as_deref() != Some(entry.fingerprint.as_str()) {
                        let Some(s) = subject else { continue };
                        let mut f = modified(s, v, None, "the fingerprint in evreg.lock");
                        // The lock holds a fingerprint, not the text: say what it covers.
                        let used: Vec<String> = references(files, v)
                            .iter()
                            .map(|f| f.path.clone())
                            .collect();
                        if !used.is_empty() {
                            f.message = format!(
                                "published version {} v{} was edited: the canonical form of {} or of a file it uses ({}) differs from the fingerprint in evreg.lock",
                                s.name,
                                number,
                                v.source.path,
                                used.join(", ")
                            );
                        }
                        f.help.to_mut().push_str("; `git diff` shows the edit");
                        f.other_location = Some(Box::new(lock_loc()));
                        out.push(f);
                    }
                }
            }
        }
    }
    for s in &reg.subjects {
        for v in &s.versions {
            if lock.get(&s.name, v.number).is_none() {
                out.push(
                    Finding::new(
                        &rules::LOCK_STALE,
                        format!("{} v{} is not recorded in evreg.lock", s.name, v.number),
                        "run `evreg lock` once the version is published, and commit evreg.lock",
                    )
                    .subject(&s.name)
                    .version(v.number)
                    .at(Location::file(&v.source.path)),
                );
            }
        }
    }
    out
}

/// The lock with every version of the registry recorded. Versions already locked keep their
/// entry; a locked version that changed is returned as a finding and not re-recorded.
pub fn update_lock(reg: &Registry, lock: &Lock) -> (Lock, Vec<(String, u32)>, Vec<Finding>) {
    let files = files_of(reg);
    let mut next = lock.clone();
    let mut added = Vec::new();
    let findings: Vec<Finding> = check_lock(reg, lock)
        .into_iter()
        .filter(|f| f.rule.id != rules::LOCK_STALE.id)
        .collect();
    for s in &reg.subjects {
        for v in &s.versions {
            if lock.get(&s.name, v.number).is_some() {
                continue;
            }
            if let Some(fp) = fingerprint(&files, v) {
                next.entries.entry(s.name.clone()).or_default().insert(
                    v.number,
                    LockEntry {
                        fingerprint: fp,
                        id: None,
                        line: 0,
                    },
                );
                added.push((s.name.clone(), v.number));
            }
        }
    }
    (next, added, findings)
}

/// A registry to compare with: the registry at a git ref (`--against REF`), or at HEAD when a
/// commit is being made, and how to name it.
pub struct Baseline<'a> {
    pub registry: &'a Registry,
    /// How messages name it: `main (1a2b3c4)`.
    pub label: String,
    /// How locations in its files are written: `REV:path`, as `git show` takes them; empty for
    /// a baseline read from the working tree itself (its files keep their plain paths).
    pub revision: String,
    /// What is judged against it.
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every version the baseline has, and the subjects' modes.
    Everything,
    /// Only the versions the baseline's own evreg.lock records: HEAD standing in for a lock that
    /// is gone or changed in the commit being made.
    LockedVersions,
}

/// What a comparison found, and the baseline's files its findings point into (named `REV:path`).
pub struct Comparison {
    pub findings: Vec<Finding>,
    pub sources: Vec<std::sync::Arc<crate::source::SourceFile>>,
}

/// A baseline file under the name findings give it: `REV:path` (the plain path without a
/// revision).
fn at_revision(
    revision: &str,
    file: &crate::source::SourceFile,
) -> std::sync::Arc<crate::source::SourceFile> {
    let name = if revision.is_empty() {
        file.path.clone()
    } else {
        format!("{revision}:{}", file.path)
    };
    std::sync::Arc::new(crate::source::SourceFile::new(name, file.text.clone()))
}

/// The revision and path of a baseline file's name (`REV:path`, as [`compare`] names them);
/// `None` for a plain path (evreg.lock).
pub fn split_revision(file: &str) -> Option<(&str, &str)> {
    if file == LOCK_FILE {
        return None;
    }
    file.split_once(':')
        .filter(|(rev, path)| !rev.is_empty() && !path.is_empty())
}

/// What changed between the registry at a baseline and now: edited or deleted published
/// versions, and loosened modes. Each edit is located at its first change in the working file,
/// with the same place in the baseline's file as the other location.
pub fn compare(baseline: &Baseline, current: &Registry) -> Comparison {
    let base = baseline.registry;
    let label = baseline.label.as_str();
    let (base_files, current_files) = (files_of(base), files_of(current));
    let mut out = Vec::new();
    let mut sources: std::collections::BTreeMap<String, std::sync::Arc<crate::source::SourceFile>> =
        Default::default();
    let mut old_side = |file: &crate::source::SourceFile, node: Option<&Node>, pointer: &str| {
        let blob = sources
            .entry(file.path.clone())
            .or_insert_with(|| at_revision(&baseline.revision, file))
            .clone();
        let (pointer, span) = match node {
            Some(n) => nearest_span(n, pointer),
            None => (String::new(), None),
        };
        Location::at(&blob, pointer, span)
    };
    // Whether any file of both registries has other text now. When none has, no version can
    // have changed through a file it uses, and no reference needs resolving.
    let any_file_edited = {
        let before: std::collections::HashMap<&str, &str> = base
            .subjects
            .iter()
            .flat_map(|s| s.versions.iter().map(|v| &v.source))
            .chain(&base.shared)
            .map(|f| (f.path.as_str(), f.text.as_str()))
            .collect();
        current
            .subjects
            .iter()
            .flat_map(|s| s.versions.iter().map(|v| &v.source))
            .chain(&current.shared)
            .any(|f| before.get(f.path.as_str()).is_some_and(|t| *t != f.text))
    };
    let judged = |subject: &str, number: u32| match baseline.scope {
        Scope::Everything => true,
        Scope::LockedVersions => base
            .lock
            .as_ref()
            .is_some_and(|l| l.get(subject, number).is_some()),
    };
    for old_subject in &base.subjects {
        let new_subject = current.subject(&old_subject.name);
        for old in &old_subject.versions {
            if !judged(&old_subject.name, old.number) {
                continue;
            }
            let Some(new) = new_subject.and_then(|s| s.version(old.number)) else {
                out.push(deleted(
                    &old_subject.name,
                    old.number,
                    label,
                    &old.source.path,
                ));
                continue;
            };
            let Some(s) = new_subject else { continue };
            // The same text in the same format is the same schema: nothing to parse.
            if old.format != new.format || old.source.text != new.source.text {
                let (Some(a), Some(b)) = (json_of(old), json_of(new)) else {
                    // A version that parsed at the baseline and does not now was edited.
                    if let Some(a) = json_of(old) {
                        let mut f = modified(s, new, None, label);
                        f.other_location = Some(Box::new(old_side(&old.source, Some(&a), "")));
                        out.push(f);
                    }
                    continue;
                };
                if old.format != new.format {
                    let mut f = modified(s, new, None, label);
                    f.other_location = Some(Box::new(old_side(&old.source, Some(&a), "")));
                    out.push(f);
                    continue;
                }
                if let Some(pointer) = canonical::first_difference(&a, &b, new.format) {
                    let mut f = modified(s, new, Some(pointer.clone()), label);
                    f.other_location = Some(Box::new(old_side(&old.source, Some(&a), &pointer)));
                    out.push(f);
                    continue;
                }
            }
            if !any_file_edited {
                continue;
            }
            // The version's own file is unchanged; the shared files it uses must be too.
            let before: std::collections::HashMap<
                String,
                std::sync::Arc<crate::source::SourceFile>,
            > = references(&base_files, old)
                .into_iter()
                .map(|f| (f.path.clone(), f))
                .collect();
            for now in references(&current_files, new) {
                let was = before.get(&now.path);
                let (Some(was), Ok(n)) = (was, parse_json(&now)) else {
                    continue;
                };
                let Ok(w) = parse_json(was) else { continue };
                if let Some(pointer) = canonical::first_difference(&w, &n, new.format) {
                    let (at, span) = nearest_span(&n, &pointer);
                    let mut f = modified(s, new, None, label);
                    f.message = format!(
                        "published version {} v{} changed through {}, which it uses: that file differs from {label}",
                        s.name, new.number, now.path
                    );
                    f.help = format!(
                        "revert the edit to {}, and publish the change as a new shared definition used by a new version",
                        now.path
                    )
                    .into();
                    f.location = Some(Location::at(&now, at, span));
                    f.other_location = Some(Box::new(old_side(was, Some(&w), &pointer)));
                    out.push(f);
                    break;
                }
            }
        }
        if baseline.scope != Scope::Everything {
            continue;
        }
        if let Some(s) = new_subject {
            let (was, now) = (old_subject.mode(&base.settings), s.mode(&current.settings));
            if loosened(was, now) {
                // The file that changed the mode: the subject's own setting, else the default.
                let file = if old_subject.meta.compatibility != s.meta.compatibility {
                    format!(
                        "{}/{}",
                        Registry::subject_dir(&s.name),
                        crate::registry::SUBJECT_FILE
                    )
                } else {
                    crate::registry::CONFIG_FILE.to_string()
                };
                let mut f = Finding::new(
                    &rules::MODE_LOOSENED,
                    format!("{}'s compatibility mode went from {was} to {now} (in {file}), which promises less than {label} did", s.name),
                    format!(
                        "keep {was}, and publish a breaking change as a new subject; versions added in this change are judged under {was} either way. If every consumer agreed, accept it in evreg.yaml: `allow: [{{subject: {}, version: {}, rule: mode-loosened, reason: \"…\"}}]`",
                        s.name,
                        s.versions.last().map_or(1, |v| v.number)
                    ),
                )
                .subject(&s.name)
                .at(Location::file(file));
                // The version the looser mode first applies to, so an `allow` entry can name it.
                f.version = s.versions.last().map(|v| v.number);
                out.push(f);
            }
        }
    }
    out.extend(severities_lowered(baseline, current));
    Comparison {
        findings: out,
        sources: sources.into_values().collect(),
    }
}

/// The level a rule has under some settings (`None`: off), ordered so that a smaller one is
/// stricter.
fn level(
    settings: &crate::registry::Settings,
    rule: &rules::Rule,
) -> (u8, Option<crate::finding::Severity>) {
    use crate::finding::Severity;
    let s = settings.level(rule);
    let rank = match s {
        Some(Severity::Error) => 0,
        Some(Severity::Warning) => 1,
        Some(Severity::Info) => 2,
        None => 3,
    };
    (rank, s)
}

fn integrity_rules() -> impl Iterator<Item = &'static rules::Rule> {
    rules::ALL
        .iter()
        .copied()
        .filter(|r| r.category == crate::finding::Category::Integrity)
}

/// The settings to judge a change against a baseline with: the current ones, except that each
/// integrity rule keeps the stricter of its two levels. A change that turns `version-modified`
/// off cannot hide an edit made in the same change.
pub fn effective_settings(
    base: &crate::registry::Settings,
    now: &crate::registry::Settings,
) -> crate::registry::Settings {
    let mut out = now.clone();
    for r in integrity_rules() {
        let (was, is) = (level(base, r), level(now, r));
        if was.0 < is.0 {
            out.rules.insert(r.id.to_string(), was.1);
        }
    }
    out
}

/// Does `now` set any integrity rule lower than `base` did?
pub fn lowers_integrity(base: &crate::registry::Settings, now: &crate::registry::Settings) -> bool {
    integrity_rules().any(|r| level(base, r).0 < level(now, r).0)
}

/// Integrity rules whose level the change lowers: reported, since they are judged at the
/// baseline's level for this change only.
fn severities_lowered(baseline: &Baseline, current: &Registry) -> Vec<Finding> {
    let (base, now) = (&baseline.registry.settings, &current.settings);
    integrity_rules()
        .filter(|r| level(base, r).0 < level(now, r).0)
        .map(|r| {
            let name = |l: (u8, Option<crate::finding::Severity>)| {
                l.1.map_or("off".to_string(), |s| s.to_string())
            };
            let (was, is) = (name(level(base, r)), name(level(now, r)));
            Finding::new(
                &rules::INTEGRITY_RULE_LOWERED,
                format!(
                    "evreg.yaml lowers `{}` from {was} to {is}; this change is still judged at {was}, as {} was",
                    r.id, baseline.label
                ),
                format!(
                    "keep `{}` at {was} unless the team agreed to weaken what published versions promise; to accept one finding, add an `allow` entry with its reason instead",
                    r.id
                ),
            )
            .at(Location::file(crate::registry::CONFIG_FILE))
        })
        .collect()
}

/// Is this a finding about a published version being edited or deleted?
pub fn is_version_finding(f: &Finding) -> bool {
    f.rule.id == rules::VERSION_MODIFIED.id || f.rule.id == rules::VERSION_DELETED.id
}

/// Drop the lock's finding for a version the baseline comparison reports too: one edit, one
/// finding (the one that can show the baseline's text).
pub fn drop_repeated_lock_findings(findings: &mut Vec<Finding>, from_baseline: &[Finding]) {
    let about_version = is_version_finding;
    let from_lock = |f: &Finding| {
        [f.location.as_ref(), f.other_location.as_deref()]
            .into_iter()
            .flatten()
            .any(|l| l.file == LOCK_FILE)
    };
    findings.retain(|f| {
        !(about_version(f)
            && from_lock(f)
            && from_baseline
                .iter()
                .any(|b| about_version(b) && b.subject == f.subject && b.version == f.version))
    });
}

/// Does `now` drop a promise `was` made (a direction, or transitivity)?
pub fn loosened(was: Mode, now: Mode) -> bool {
    let (wb, wf, wt) = was.promises();
    let (nb, nf, nt) = now.promises();
    (wb && !nb) || (wf && !nf) || (wt && !nt && (nb || nf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_from_models_equal_fingerprints_from_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut registries = vec![root.to_path_buf()];
        for entry in std::fs::read_dir(root.join("tests/data")).unwrap() {
            let dir = entry.unwrap().path();
            if dir.join("evreg.yaml").is_file() {
                registries.push(dir);
            }
        }
        let mut compared = 0;
        let mut with_shared = std::collections::BTreeSet::new();
        for dir in registries {
            let Ok(reg) = Registry::load(&dir) else {
                continue;
            };
            let files = files_of(&reg);
            let provider =
                crate::schema::json::FileProvider::in_memory(reg.root.clone(), reg.all_files());
            for s in &reg.subjects {
                let (models, _) = crate::parsed::parse_subject(s, &provider);
                for (v, m) in s.versions.iter().zip(&models) {
                    let Some(m) = m else { continue };
                    let at = format!("{} {}", dir.display(), v.source.path);
                    assert_eq!(
                        fingerprint_parsed(&files, v, m),
                        fingerprint(&files, v),
                        "{at}"
                    );
                    compared += 1;
                    if !references(&files, v).is_empty() {
                        with_shared.insert(v.format);
                    }
                }
            }
        }
        // Avro and JSON Schema versions, with and without shared files, across the registries.
        assert!(compared > 50, "only {compared} versions compared");
        assert_eq!(with_shared.len(), 2, "{with_shared:?}");
    }

    #[test]
    fn only_documents_that_may_reach_other_files_need_the_resolver() {
        let reach = |text: &str| may_reach_other_files(&crate::source::json::parse(text).unwrap());
        assert!(!reach(
            r##"{"$defs":{"a":{"type":"string"}},"properties":{"x":{"$ref":"#/$defs/a"},"id":{"type":"string"}}}"##
        ));
        assert!(reach(
            r##"{"properties":{"x":{"$ref":"../money.schema.json"}}}"##
        ));
        assert!(reach(
            r##"{"allOf":[{"$ref":"/schemas/money.schema.json#/$defs/M"}]}"##
        ));
        // A `$id` moves the base even a bare fragment resolves against.
        assert!(reach(
            r##"{"$id":"../money.schema.json","properties":{"x":{"$ref":"#/$defs/M"}}}"##
        ));
    }

    #[test]
    fn loosening_is_losing_a_promise() {
        assert!(loosened(Mode::FullTransitive, Mode::Backward));
        assert!(loosened(Mode::Backward, Mode::None));
        assert!(loosened(Mode::BackwardTransitive, Mode::Backward));
        assert!(!loosened(Mode::Backward, Mode::Full));
        assert!(!loosened(Mode::None, Mode::Forward));
        assert!(!loosened(Mode::Full, Mode::Full));
    }
}
