//! `evreg publish`: bring a remote Schema Registry up to date with git. Register the versions
//! it lacks, in order, shared files first (as the subjects references name), set each subject's
//! level to its evreg mode, never delete. What the remote has that git does not, or has
//! differently (compared in canonical form), is drift: reported, and nothing is written unless
//! forced.

use super::client::{Client, ClientError};
use super::engine;
use super::state::{ServedSubject, State};
use super::wire;
use std::collections::BTreeSet;

/// What publishing one subject takes.
pub struct SubjectPlan {
    pub subject: String,
    /// Versions the remote lacks, in order: (number, request, evreg's id for it).
    pub register: Vec<(u32, wire::SchemaRequest, u32)>,
    /// The level to set: (the remote's own level, evreg's mode).
    pub level: Option<(Option<String>, String)>,
    /// What the remote holds that git does not, or differently.
    pub drift: Vec<String>,
    /// How many versions both have alike.
    pub same: usize,
}

impl SubjectPlan {
    pub fn is_noop(&self) -> bool {
        self.register.is_empty() && self.level.is_none()
    }
}

/// The subjects to publish, shared files before the subjects that reference them. `only`
/// names subjects by their evreg or served name (empty: all); the shared files they reference
/// come along.
pub fn order<'a>(state: &'a State, only: &[String]) -> Result<Vec<&'a ServedSubject>, String> {
    let mut wanted: BTreeSet<&str> = BTreeSet::new();
    for name in only {
        let s = state
            .subjects
            .values()
            .find(|s| &s.name == name || &s.evreg == name)
            .ok_or_else(|| {
                format!(
                    "no subject `{name}` in the registry\n  help: `evreg list` shows the subjects"
                )
            })?;
        wanted.insert(&s.name);
    }
    // References, transitively.
    let mut queue: Vec<&str> = wanted.iter().copied().collect();
    while let Some(n) = queue.pop() {
        for r in state.subjects[n]
            .versions
            .iter()
            .flat_map(|v| &v.references)
        {
            if state.subjects.contains_key(&r.subject) && wanted.insert(&r.subject) {
                queue.push(&r.subject);
            }
        }
    }
    let chosen: Vec<&ServedSubject> = state
        .subjects
        .values()
        .filter(|s| only.is_empty() || wanted.contains(s.name.as_str()))
        .collect();
    // Each round takes the subjects whose references are all placed.
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < chosen.len() {
        let before = out.len();
        for s in &chosen {
            if placed.contains(s.name.as_str()) {
                continue;
            }
            let ready = s.versions.iter().flat_map(|v| &v.references).all(|r| {
                r.subject == s.name
                    || placed.contains(r.subject.as_str())
                    || !chosen.iter().any(|c| c.name == r.subject)
            });
            if ready {
                placed.insert(&s.name);
                out.push(*s);
            }
        }
        if out.len() == before {
            // A reference cycle: the rest in name order (the remote will say what it refuses).
            out.extend(chosen.iter().filter(|s| !placed.contains(s.name.as_str())));
            break;
        }
    }
    Ok(out)
}

/// Compare one subject with the remote.
pub fn plan_subject(
    state: &State,
    s: &ServedSubject,
    client: &Client,
) -> Result<SubjectPlan, ClientError> {
    let remote_versions = client.versions(&s.name)?;
    let mut plan = SubjectPlan {
        subject: s.name.clone(),
        register: Vec::new(),
        level: None,
        drift: Vec::new(),
        same: 0,
    };
    for &n in &remote_versions {
        let remote = client.version(&s.name, n)?;
        let Some(local) = s.versions.iter().find(|v| v.number == n) else {
            plan.drift
                .push(format!("the remote has v{n}, git does not"));
            continue;
        };
        let format = wire::format_of(remote.schema_type.as_deref());
        let canonical = format.and_then(|f| engine::canonical(&remote.schema, f));
        if format != Some(s.format) {
            plan.drift.push(format!(
                "v{n} is {} on the remote, {} in git",
                remote.schema_type.as_deref().unwrap_or("AVRO"),
                wire::schema_type(s.format)
            ));
        } else if canonical.as_deref() != Some(&*local.canonical) {
            plan.drift.push(format!(
                "v{n} differs from git's v{n} (canonical forms differ)"
            ));
        } else {
            plan.same += 1;
        }
    }
    for v in &s.versions {
        if !remote_versions.contains(&v.number) {
            plan.register.push((
                v.number,
                wire::SchemaRequest {
                    schema: v.schema.to_string(),
                    schema_type: (s.format != crate::schema::Format::Avro)
                        .then(|| wire::schema_type(s.format).into()),
                    references: v.references.clone(),
                },
                v.id,
            ));
        }
    }
    // Shared files follow the remote's default level, as they follow evreg's.
    if let Some(mode) = state
        .level_of(&s.name)
        .or_else(|| (!is_shared(state, s)).then_some(state.default_mode))
    {
        let remote = client.subject_level(&s.name)?;
        if remote.as_deref() != Some(mode.as_str()) {
            plan.level = Some((remote, mode.as_str().into()));
        }
    }
    Ok(plan)
}

/// Whether a subject is a shared file (named by other subjects' references, no mode of its own).
fn is_shared(state: &State, s: &ServedSubject) -> bool {
    s.mode.is_none()
        && state
            .subjects
            .values()
            .flat_map(|o| o.versions.iter().flat_map(|v| &v.references))
            .any(|r| r.subject == s.name)
}

/// Carry out a subject's plan: its level first (so its versions are judged under it), then its
/// versions in order. Returns a line per registered version.
pub fn apply(plan: &SubjectPlan, client: &Client) -> Result<Vec<String>, ClientError> {
    let mut said = Vec::new();
    if let Some((_, level)) = &plan.level {
        client.set_subject_level(&plan.subject, level)?;
    }
    for (n, request, local_id) in &plan.register {
        let id = client.register(&plan.subject, request)?;
        said.push(if id == *local_id {
            format!("v{n} registered (id {id})")
        } else {
            format!("v{n} registered (the remote gave it id {id}; evreg serve gives {local_id})")
        });
    }
    Ok(said)
}
