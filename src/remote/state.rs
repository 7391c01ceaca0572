//! The registry as the Schema Registry API presents it: subjects under their served names, each
//! version with its schema id and references, shared files as subjects of their own. Built once
//! from a parsed [`Registry`] and never changed in place: a reload or an accepted registration
//! (`serve --writable`) makes a new state.

use super::engine::{self, SchemaModel};
use super::wire::Reference;
use crate::compat::Mode;
use crate::compat::json::Policy;
use crate::integrity::{self, Files};
use crate::registry::lock::IdTable;
use crate::registry::{Registry, Settings, Version};
use crate::schema::Format;
use crate::schema::json::{Draft, FileProvider};
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the API serves.
#[derive(Clone)]
pub struct State {
    /// By served name.
    pub subjects: BTreeMap<String, ServedSubject>,
    /// Schema id → the (subject, version)s that hold it.
    pub by_id: BTreeMap<u32, Vec<(String, u32)>>,
    /// The registry's default compatibility mode.
    pub default_mode: Mode,
    /// Levels set through the API (`serve --writable`), by served subject name; a subject may
    /// get one before its first version.
    pub levels: BTreeMap<String, Mode>,
    /// Whether new schemas are accepted (in memory, after the compatibility check).
    pub writable: bool,
    /// Why some files are not served (invalid schemas, edited published versions).
    pub warnings: Vec<String>,
    settings: Arc<Settings>,
    provider: Arc<FileProvider>,
    files: Arc<Files>,
    ids: IdTable,
    root: std::path::PathBuf,
    /// The registry's schema files (versions and shared files), for providers that add files.
    all_files: Arc<Vec<Arc<SourceFile>>>,
}

#[derive(Clone)]
pub struct ServedSubject {
    /// The name clients use.
    pub name: String,
    /// The evreg subject (or, for a shared file, its path under `schemas/`).
    pub evreg: String,
    pub format: Format,
    /// The subject's own mode (`subject.yaml`, or set through the API when writable).
    pub mode: Option<Mode>,
    pub policy: Policy,
    pub draft: Draft,
    /// Sorted by number.
    pub versions: Vec<ServedVersion>,
}

#[derive(Clone)]
pub struct ServedVersion {
    pub number: u32,
    pub id: u32,
    pub schema: Arc<str>,
    /// Canonical form, for lookups of an equal schema.
    pub canonical: Arc<str>,
    pub references: Vec<Reference>,
    /// The parsed model, for compatibility checks (`None`: not valid under evreg's checks).
    pub model: Option<Arc<SchemaModel>>,
}

/// An accepted change of a writable state, made by the router and applied by the server.
#[derive(Clone)]
pub enum Change {
    Register {
        subject: String,
        format: Format,
        number: u32,
        id: u32,
        fingerprint: String,
        schema: Arc<str>,
        canonical: Arc<str>,
        references: Vec<Reference>,
        model: Arc<SchemaModel>,
    },
    SetMode {
        subject: Option<String>,
        mode: Mode,
    },
}

/// The served name of a subject: its own `schema-registry-subject`, else the registry's
/// template with `{subject}` replaced, else the evreg name.
pub fn served_name(reg: &Registry, subject: &crate::registry::Subject) -> String {
    let template = subject
        .meta
        .schema_registry_subject
        .as_deref()
        .or(reg.settings.schema_registry_subject.as_deref())
        .unwrap_or("{subject}");
    template.replace("{subject}", &subject.name)
}

/// A shared file's subject name: its path under `schemas/`.
pub fn shared_name(path: &str) -> String {
    path.strip_prefix("schemas/").unwrap_or(path).to_string()
}

impl State {
    /// The state of a registry. Fails when two subjects would be served under one name.
    pub fn build(reg: &Registry, writable: bool) -> Result<State, String> {
        let files = Arc::new(integrity::files_of(reg));
        let provider = Arc::new(FileProvider::in_memory(reg.root.clone(), reg.all_files()));
        let lock = reg.lock.clone().unwrap_or_default();
        let mut ids = IdTable::of(&lock);
        let mut state = State {
            subjects: BTreeMap::new(),
            by_id: BTreeMap::new(),
            default_mode: reg.settings.compatibility,
            levels: BTreeMap::new(),
            writable,
            warnings: Vec::new(),
            settings: Arc::new(reg.settings.clone()),
            provider: provider.clone(),
            files: files.clone(),
            ids: IdTable::default(),
            root: reg.root.clone(),
            all_files: Arc::new(reg.all_files()),
        };
        let mut shared: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
        let mut subjects: Vec<&crate::registry::Subject> = reg.subjects.iter().collect();
        subjects.sort_by(|a, b| a.name.cmp(&b.name));
        for s in subjects {
            let Some(format) = s.format else { continue };
            let name = served_name(reg, s);
            let models = engine::parse_versions(s, &provider);
            let mut served = ServedSubject {
                name: name.clone(),
                evreg: s.name.clone(),
                format,
                mode: s.meta.compatibility,
                policy: s.policy(&reg.settings),
                draft: s.json_schema_draft,
                versions: Vec::new(),
            };
            for (v, model) in s.versions.iter().zip(models) {
                if v.format != format || !v.readable {
                    continue;
                }
                let (Some(fp), Some(canonical)) = (
                    integrity::fingerprint(&files, v),
                    engine::canonical(&v.source.text, format),
                ) else {
                    state.warnings.push(format!(
                        "{} is not served: it is not valid JSON",
                        v.source.path
                    ));
                    continue;
                };
                let id = match lock.get(&s.name, v.number) {
                    Some(e) if e.fingerprint == fp && e.id.is_some() => e.id.unwrap_or_default(),
                    Some(e) if e.fingerprint != fp => {
                        state.warnings.push(format!(
                            "{} was edited since evreg.lock recorded it; served under the id of its new content",
                            v.source.path
                        ));
                        ids.assign(&fp)
                    }
                    _ => ids.assign(&fp),
                };
                let references = refs(&files, v, &mut shared);
                served.versions.push(ServedVersion {
                    number: v.number,
                    id,
                    schema: v.source.text.as_str().into(),
                    canonical: canonical.into(),
                    references,
                    model,
                });
            }
            state.insert_subject(served)?;
        }
        // Shared files, and the shared files they reach, each as a subject with one version.
        let mut done: std::collections::BTreeSet<String> = Default::default();
        while let Some((path, source)) = shared.iter().find(|(p, _)| !done.contains(*p)) {
            let (path, source) = (path.clone(), source.clone());
            done.insert(path.clone());
            let Some(format) = Format::of_path(&path) else {
                continue;
            };
            let v = Version {
                number: 1,
                format,
                source: source.clone(),
                readable: true,
            };
            let (Some(fp), Some(canonical)) = (
                integrity::fingerprint(&files, &v),
                engine::canonical(&source.text, format),
            ) else {
                continue;
            };
            let references = refs(&files, &v, &mut shared);
            let model = engine::parse(
                &source.text,
                &path,
                format,
                &provider,
                reg.settings.json_schema_draft,
            )
            .ok()
            .map(|(m, _)| Arc::new(m));
            let served = ServedSubject {
                name: shared_name(&path),
                evreg: shared_name(&path),
                format,
                mode: None,
                policy: reg.settings.policy,
                draft: reg.settings.json_schema_draft,
                versions: vec![ServedVersion {
                    number: 1,
                    id: ids.assign(&fp),
                    schema: source.text.as_str().into(),
                    canonical: canonical.into(),
                    references,
                    model,
                }],
            };
            state.insert_subject(served)?;
        }
        state.ids = ids;
        Ok(state)
    }

    fn insert_subject(&mut self, s: ServedSubject) -> Result<(), String> {
        if let Some(other) = self.subjects.get(&s.name) {
            return Err(format!(
                "`{}` and `{}` would both be served as subject `{}`\n  help: give one of them another `schema-registry-subject` in its subject.yaml",
                other.evreg, s.evreg, s.name
            ));
        }
        for v in &s.versions {
            self.by_id
                .entry(v.id)
                .or_default()
                .push((s.name.clone(), v.number));
        }
        self.subjects.insert(s.name.clone(), s);
        Ok(())
    }

    /// The version holding an id first (its schema is the id's schema).
    pub fn schema_by_id(&self, id: u32) -> Option<(&ServedSubject, &ServedVersion)> {
        let (subject, number) = self.by_id.get(&id)?.first()?;
        let s = self.subjects.get(subject)?;
        Some((s, s.versions.iter().find(|v| v.number == *number)?))
    }

    /// A subject's own level: set through the API, else its `subject.yaml`'s.
    pub fn level_of(&self, name: &str) -> Option<Mode> {
        self.levels
            .get(name)
            .copied()
            .or_else(|| self.subjects.get(name).and_then(|s| s.mode))
    }

    /// A subject's effective mode.
    pub fn mode_of(&self, s: &ServedSubject) -> Mode {
        self.level_of(&s.name).unwrap_or(self.default_mode)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn provider(&self) -> &FileProvider {
        &self.provider
    }

    /// The registry path a new version of a subject would have (its references resolve from
    /// there).
    pub fn path_for(&self, evreg: &str, number: u32, format: Format) -> String {
        format!(
            "{}/v{number}.{}",
            Registry::subject_dir(evreg),
            format.extension()
        )
    }

    /// The files a schema's references name, placed where its references resolve to from
    /// `path` (a JSON Schema `$ref` URI relative to it, an Avro shared file under `schemas/`),
    /// with the files those name in turn. Fails on a reference to nothing served.
    pub fn reference_files(
        &self,
        path: &str,
        format: Format,
        refs: &[Reference],
    ) -> Result<Vec<Arc<SourceFile>>, String> {
        let mut out: Vec<Arc<SourceFile>> = Vec::new();
        let mut queue: Vec<(String, Reference)> =
            refs.iter().map(|r| (path.to_string(), r.clone())).collect();
        let mut seen = std::collections::BTreeSet::new();
        while let Some((from, r)) = queue.pop() {
            if !seen.insert((from.clone(), r.name.clone(), r.subject.clone(), r.version))
                || seen.len() > 1000
            {
                continue;
            }
            let found = self
                .subjects
                .get(&r.subject)
                .and_then(|s| s.versions.iter().find(|v| v.number == r.version));
            let Some(v) = found else {
                return Err(format!(
                    "reference `{}` names {} version {}, which is not registered",
                    r.name, r.subject, r.version
                ));
            };
            let rel = match format {
                Format::JsonSchema => {
                    let uri = r.name.split('#').next().unwrap_or("");
                    let target = crate::schema::json::resolve_uri(
                        &crate::schema::json::file_uri(&from),
                        uri,
                    );
                    match target.strip_prefix("evreg:/") {
                        Some(rel) => rel.to_string(),
                        None => {
                            return Err(format!(
                                "reference `{}` is not a path relative to the schema; evreg resolves references among files",
                                r.name
                            ));
                        }
                    }
                }
                Format::Avro if r.subject.ends_with(".avsc") && !r.subject.contains('/') => {
                    format!("schemas/{}", r.subject)
                }
                Format::Avro => format!("schemas/{}.avsc", r.subject.replace('/', "_")),
            };
            for next in &v.references {
                queue.push((rel.clone(), next.clone()));
            }
            out.push(Arc::new(SourceFile::new(rel, &*v.schema)));
        }
        Ok(out)
    }

    /// A provider over the registry's files and `extra` (see [`State::reference_files`]).
    pub fn provider_with(&self, extra: &[Arc<SourceFile>]) -> FileProvider {
        FileProvider::in_memory(
            self.root.clone(),
            self.all_files.iter().cloned().chain(extra.iter().cloned()),
        )
    }

    /// The fingerprint and id a new schema would get (equal schemas share one), its references'
    /// files being `extra`.
    pub fn id_for(
        &self,
        path: &str,
        number: u32,
        format: Format,
        text: &str,
        extra: &[Arc<SourceFile>],
    ) -> (String, u32) {
        let v = Version {
            number,
            format,
            source: Arc::new(SourceFile::new(path, text)),
            readable: true,
        };
        let fp = if extra.is_empty() {
            integrity::fingerprint(&self.files, &v)
        } else {
            let files = integrity::files_from(
                self.root.clone(),
                self.all_files.iter().cloned().chain(extra.iter().cloned()),
            );
            integrity::fingerprint(&files, &v)
        }
        .unwrap_or_else(|| crate::schema::canonical::fingerprint_of(text));
        let id = self.ids.clone().assign(&fp);
        (fp, id)
    }

    /// The state with a change made.
    pub fn apply(&self, change: &Change) -> State {
        let mut next = self.clone();
        match change {
            Change::Register {
                subject,
                format,
                number,
                id,
                fingerprint,
                schema,
                canonical,
                references,
                model,
            } => {
                let s = next
                    .subjects
                    .entry(subject.clone())
                    .or_insert_with(|| ServedSubject {
                        name: subject.clone(),
                        evreg: subject.clone(),
                        format: *format,
                        mode: None,
                        policy: self.settings.policy,
                        draft: self.settings.json_schema_draft,
                        versions: Vec::new(),
                    });
                // Re-applied after a reload: the files may hold it by now.
                if s.versions.iter().any(|v| *v.canonical == **canonical) {
                    return next;
                }
                let number = (*number).max(s.versions.last().map_or(1, |v| v.number + 1));
                s.versions.push(ServedVersion {
                    number,
                    id: *id,
                    schema: schema.clone(),
                    canonical: canonical.clone(),
                    references: references.clone(),
                    model: Some(model.clone()),
                });
                next.ids.claim(*id, fingerprint);
                next.by_id
                    .entry(*id)
                    .or_default()
                    .push((subject.clone(), number));
            }
            Change::SetMode {
                subject: None,
                mode,
            } => next.default_mode = *mode,
            Change::SetMode {
                subject: Some(subject),
                mode,
            } => {
                next.levels.insert(subject.clone(), *mode);
            }
        }
        next
    }
}

/// A version's references as the API gives them, adding the shared files it names to `shared`.
fn refs(
    files: &Files,
    v: &Version,
    shared: &mut BTreeMap<String, Arc<SourceFile>>,
) -> Vec<Reference> {
    integrity::direct_references(files, v)
        .into_iter()
        .map(|(f, name)| {
            shared.entry(f.path.clone()).or_insert_with(|| f.clone());
            Reference {
                name,
                subject: shared_name(&f.path),
                version: 1,
            }
        })
        .collect()
}
