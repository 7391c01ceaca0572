//! The Schema Registry REST API as a pure function: a request (method, path, query, body) and
//! the state in, a response (status, JSON body) and possibly an accepted [`Change`] out. No I/O,
//! no clock, no locks: the HTTP server, tests and the fuzz target call it alike, and whatever
//! the request, it answers (errors as `{"error_code", "message"}` bodies), never panics.

use super::engine;
use super::state::{Change, ServedSubject, ServedVersion, State};
use super::wire::{self, ErrorBody, code};
use crate::compat::Mode;
use crate::schema::Format;
use serde::Serialize;
use std::sync::Arc;

/// An HTTP request as the router sees it. `path` and `query` are raw (percent-encoded).
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub body: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    fn json<T: Serialize>(status: u16, value: &T) -> Response {
        Response {
            status,
            body: serde_json::to_string(value).unwrap_or_else(|_| "{}".into()),
        }
    }
    fn ok<T: Serialize>(value: &T) -> Response {
        Response::json(200, value)
    }
    fn error(status: u16, error_code: u32, message: impl Into<String>) -> Response {
        Response::json(
            status,
            &ErrorBody {
                error_code,
                message: message.into(),
            },
        )
    }
}

fn subject_not_found(s: &str) -> Response {
    Response::error(
        404,
        code::SUBJECT_NOT_FOUND,
        format!("Subject '{s}' not found."),
    )
}

fn not_found() -> Response {
    Response::error(404, 404, "HTTP 404 Not Found")
}

fn method_not_allowed() -> Response {
    Response::error(405, 405, "HTTP 405 Method Not Allowed")
}

fn read_only(what: &str) -> Response {
    Response::error(
        422,
        code::OPERATION_NOT_PERMITTED,
        format!(
            "{what}: this registry is served read-only from git; add versions with `evreg add` and commit them (or run `evreg serve --writable` to accept them in memory)"
        ),
    )
}

/// Answer one request.
pub fn handle(state: &State, req: &Request) -> (Response, Option<Change>) {
    let segments: Vec<String> = req
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(crate::schema::json::percent_decode)
        .collect();
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    let q = Query::parse(req.query);
    let m = req.method;
    let only = |allowed: &str, f: &dyn Fn() -> Response| -> (Response, Option<Change>) {
        if m == allowed {
            (f(), None)
        } else {
            (method_not_allowed(), None)
        }
    };
    match seg[..] {
        [] => only("GET", &|| Response::ok(&serde_json::json!({}))),
        ["health"] => only("GET", &|| {
            Response::ok(&serde_json::json!({"status": "UP"}))
        }),
        ["subjects"] => only("GET", &|| {
            let prefix = q.get("subjectPrefix").unwrap_or("");
            let names: Vec<&String> = state
                .subjects
                .keys()
                .filter(|n| n.starts_with(prefix))
                .collect();
            Response::ok(&names)
        }),
        ["subjects", s] => match m {
            "POST" => (lookup(state, s, req.body), None),
            "DELETE" => (read_only("Subjects are never deleted"), None),
            _ => (method_not_allowed(), None),
        },
        ["subjects", s, "versions"] => match m {
            "GET" => (
                with_subject(state, s, |sub| {
                    Response::ok(&sub.versions.iter().map(|v| v.number).collect::<Vec<_>>())
                }),
                None,
            ),
            "POST" => register(state, s, req.body),
            _ => (method_not_allowed(), None),
        },
        ["subjects", s, "versions", v] => match m {
            "GET" => (
                with_version(state, s, v, |sub, ver| {
                    Response::ok(&subject_version(sub, ver))
                }),
                None,
            ),
            "DELETE" => (read_only("Versions are never deleted"), None),
            _ => (method_not_allowed(), None),
        },
        ["subjects", s, "versions", v, "schema"] => only("GET", &|| {
            with_version(state, s, v, |_, ver| Response {
                status: 200,
                body: ver.schema.to_string(),
            })
        }),
        ["subjects", s, "versions", v, "referencedby"] => only("GET", &|| {
            with_version(state, s, v, |sub, ver| {
                let mut ids: Vec<u32> = state
                    .subjects
                    .values()
                    .flat_map(|o| &o.versions)
                    .filter(|o| {
                        o.references
                            .iter()
                            .any(|r| r.subject == sub.name && r.version == ver.number)
                    })
                    .map(|o| o.id)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                Response::ok(&ids)
            })
        }),
        ["schemas", "types"] => only("GET", &|| Response::ok(&["AVRO", "JSON"])),
        ["schemas", "ids", id] => only("GET", &|| {
            with_id(state, id, |sub, ver| {
                Response::ok(&wire::SchemaById {
                    schema: ver.schema.to_string(),
                    schema_type: schema_type_field(sub.format),
                    references: ver.references.clone(),
                })
            })
        }),
        ["schemas", "ids", id, "schema"] => only("GET", &|| {
            with_id(state, id, |_, ver| Response {
                status: 200,
                body: ver.schema.to_string(),
            })
        }),
        ["schemas", "ids", id, "subjects"] => only("GET", &|| {
            with_holders(state, id, |holders| {
                let mut names: Vec<&str> = holders.iter().map(|(s, _)| s.as_str()).collect();
                names.dedup();
                Response::ok(&names)
            })
        }),
        ["schemas", "ids", id, "versions"] => only("GET", &|| {
            with_holders(state, id, |holders| {
                Response::ok(
                    &holders
                        .iter()
                        .map(|(subject, version)| wire::VersionOf {
                            subject: subject.clone(),
                            version: *version,
                        })
                        .collect::<Vec<_>>(),
                )
            })
        }),
        ["config"] => match m {
            "GET" => (
                Response::ok(&wire::Config {
                    compatibility_level: state.default_mode.as_str().into(),
                }),
                None,
            ),
            "PUT" => set_mode(state, None, req.body),
            _ => (method_not_allowed(), None),
        },
        ["config", s] => match m {
            "GET" => (
                match state.level_of(s) {
                    Some(mode) => Response::ok(&wire::Config {
                        compatibility_level: mode.as_str().into(),
                    }),
                    None if !state.subjects.contains_key(s) => subject_not_found(s),
                    None if q.flag("defaultToGlobal") => Response::ok(&wire::Config {
                        compatibility_level: state.default_mode.as_str().into(),
                    }),
                    None => Response::error(
                        404,
                        code::SUBJECT_CONFIG_NOT_FOUND,
                        format!(
                            "Subject '{s}' does not have subject-level compatibility configured"
                        ),
                    ),
                },
                None,
            ),
            "PUT" => set_mode(state, Some(s), req.body),
            _ => (method_not_allowed(), None),
        },
        ["mode"] | ["mode", _] => only("GET", &|| {
            Response::ok(&wire::ModeBody {
                mode: if state.writable {
                    "READWRITE"
                } else {
                    "READONLY"
                }
                .into(),
            })
        }),
        ["compatibility", "subjects", s, "versions"] => only("POST", &|| {
            compatibility(state, s, None, req.body, q.flag("verbose"))
        }),
        ["compatibility", "subjects", s, "versions", v] => only("POST", &|| {
            compatibility(state, s, Some(v), req.body, q.flag("verbose"))
        }),
        _ => (not_found(), None),
    }
}

/// Query parameters (`a=b&c`), decoded.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(raw: &str) -> Query {
        Query(
            raw.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    let dec = |s: &str| crate::schema::json::percent_decode(&s.replace('+', " "));
                    (dec(k), dec(v))
                })
                .collect(),
        )
    }
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// `schemaType` as responses give it: omitted for Avro, as Schema Registry does.
fn schema_type_field(format: Format) -> Option<String> {
    (format != Format::Avro).then(|| wire::schema_type(format).into())
}

fn subject_version(sub: &ServedSubject, ver: &ServedVersion) -> wire::SubjectVersion {
    wire::SubjectVersion {
        subject: sub.name.clone(),
        version: ver.number,
        id: ver.id,
        schema: ver.schema.to_string(),
        schema_type: schema_type_field(sub.format),
        references: ver.references.clone(),
    }
}

fn with_subject(state: &State, s: &str, f: impl FnOnce(&ServedSubject) -> Response) -> Response {
    match state.subjects.get(s) {
        Some(sub) => f(sub),
        None => subject_not_found(s),
    }
}

/// `latest` (or -1), or a version number from 1 to 2^31-1.
fn parse_version(v: &str) -> Result<Option<u32>, Response> {
    if v == "latest" || v == "-1" {
        return Ok(None);
    }
    match v.parse::<u32>() {
        Ok(n) if (1..=i32::MAX as u32).contains(&n) => Ok(Some(n)),
        _ => Err(Response::error(
            422,
            code::INVALID_VERSION,
            format!(
                "The specified version '{v}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
            ),
        )),
    }
}

fn find_version<'a>(sub: &'a ServedSubject, v: &str) -> Result<&'a ServedVersion, Response> {
    let wanted = parse_version(v)?;
    let found = match wanted {
        None => sub.versions.last(),
        Some(n) => sub.versions.iter().find(|x| x.number == n),
    };
    found.ok_or_else(|| {
        Response::error(
            404,
            code::VERSION_NOT_FOUND,
            format!("Version {v} not found."),
        )
    })
}

fn with_version(
    state: &State,
    s: &str,
    v: &str,
    f: impl FnOnce(&ServedSubject, &ServedVersion) -> Response,
) -> Response {
    with_subject(state, s, |sub| match find_version(sub, v) {
        Ok(ver) => f(sub, ver),
        Err(r) => r,
    })
}

fn schema_not_found(id: &str) -> Response {
    Response::error(
        404,
        code::SCHEMA_NOT_FOUND,
        format!("Schema {id} not found"),
    )
}

fn with_id(
    state: &State,
    id: &str,
    f: impl FnOnce(&ServedSubject, &ServedVersion) -> Response,
) -> Response {
    match id.parse::<u32>().ok().and_then(|n| state.schema_by_id(n)) {
        Some((sub, ver)) => f(sub, ver),
        None => schema_not_found(id),
    }
}

fn with_holders(state: &State, id: &str, f: impl FnOnce(&[(String, u32)]) -> Response) -> Response {
    match id.parse::<u32>().ok().and_then(|n| state.by_id.get(&n)) {
        Some(holders) if !holders.is_empty() => f(holders),
        _ => schema_not_found(id),
    }
}

/// A request body naming a schema, its format and canonical form.
struct Candidate {
    request: wire::SchemaRequest,
    format: Format,
    canonical: String,
}

fn candidate(body: &[u8]) -> Result<Candidate, Response> {
    let request: wire::SchemaRequest = serde_json::from_slice(body).map_err(|e| {
        Response::error(
            422,
            422,
            format!("Unrecognized request body: {e}; expected {{\"schema\": \"…\", \"schemaType\": \"AVRO\"|\"JSON\", \"references\": […]}}"),
        )
    })?;
    let format = wire::format_of(request.schema_type.as_deref()).ok_or_else(|| {
        Response::error(
            422,
            code::INVALID_SCHEMA,
            format!(
                "Invalid schema type {}: evreg keeps AVRO and JSON schemas",
                request.schema_type.as_deref().unwrap_or("")
            ),
        )
    })?;
    let canonical = engine::canonical(&request.schema, format).ok_or_else(|| {
        Response::error(
            422,
            code::INVALID_SCHEMA,
            "Invalid schema: the schema is not JSON",
        )
    })?;
    Ok(Candidate {
        request,
        format,
        canonical,
    })
}

fn equal_version<'a>(sub: &'a ServedSubject, c: &Candidate) -> Option<&'a ServedVersion> {
    if sub.format != c.format {
        return None;
    }
    sub.versions.iter().find(|v| *v.canonical == *c.canonical)
}

/// `POST /subjects/{s}`: the version of the subject whose schema equals the one sent.
fn lookup(state: &State, s: &str, body: &[u8]) -> Response {
    let c = match candidate(body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    with_subject(state, s, |sub| match equal_version(sub, &c) {
        Some(v) => Response::ok(&subject_version(sub, v)),
        None => Response::error(404, code::SCHEMA_NOT_FOUND, "Schema not found"),
    })
}

/// A candidate parsed as the next version of a subject: its references resolve among the
/// registry's files and the schemas its `references` name, as they would for that version's file.
struct Parsed {
    model: engine::SchemaModel,
    findings: Vec<crate::finding::Finding>,
    path: String,
    /// The files its references name.
    extra: Vec<Arc<crate::source::SourceFile>>,
}

fn parse_candidate(
    state: &State,
    evreg: &str,
    number: u32,
    c: &Candidate,
    draft: crate::schema::json::Draft,
) -> Result<Parsed, Response> {
    let invalid =
        |why: String| Response::error(422, code::INVALID_SCHEMA, format!("Invalid schema: {why}"));
    let path = state.path_for(evreg, number, c.format);
    let extra = state
        .reference_files(&path, c.format, &c.request.references)
        .map_err(invalid)?;
    let provider = state.provider_with(&extra);
    match engine::parse(&c.request.schema, &path, c.format, &provider, draft) {
        Ok((model, findings)) => Ok(Parsed {
            model,
            findings,
            path,
            extra,
        }),
        Err(findings) => {
            let why: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
            Err(invalid(why.join("; ")))
        }
    }
}

fn model_of(sub: &ServedSubject) -> impl Fn(u32) -> Option<Arc<engine::SchemaModel>> + '_ {
    move |n| {
        sub.versions
            .iter()
            .find(|v| v.number == n)
            .and_then(|v| v.model.clone())
    }
}

/// `POST /subjects/{s}/versions`: an equal schema's id; a new one only when writable and
/// compatible under the subject's mode.
fn register(state: &State, s: &str, body: &[u8]) -> (Response, Option<Change>) {
    let c = match candidate(body) {
        Ok(c) => c,
        Err(r) => return (r, None),
    };
    let existing = state.subjects.get(s);
    if let Some(sub) = existing
        && let Some(v) = equal_version(sub, &c)
    {
        return (Response::ok(&wire::Registered { id: v.id }), None);
    }
    if !state.writable {
        return (
            read_only(&format!(
                "Subject '{s}' has no version equal to this schema"
            )),
            None,
        );
    }
    if let Some(sub) = existing
        && sub.format != c.format
    {
        return (
            Response::error(
                409,
                code::INCOMPATIBLE,
                format!(
                    "Schema being registered is incompatible with an earlier schema for subject \"{s}\": the subject holds {} schemas",
                    wire::schema_type(sub.format)
                ),
            ),
            None,
        );
    }
    let evreg = existing.map_or(s, |sub| sub.evreg.as_str());
    let number = existing.map_or(1, |sub| sub.versions.last().map_or(1, |v| v.number + 1));
    let draft = existing.map_or(state.settings().json_schema_draft, |sub| sub.draft);
    let parsed = match parse_candidate(state, evreg, number, &c, draft) {
        Ok(p) => p,
        Err(r) => return (r, None),
    };
    if let Some(sub) = existing {
        let mode = state.mode_of(sub);
        let findings = engine::judge(
            s,
            &parsed.model,
            &parsed.findings,
            &engine::pairs(mode, number),
            &model_of(sub),
            sub.policy,
            state.settings(),
        );
        if !engine::compatible(&findings) {
            return (
                Response::error(
                    409,
                    code::INCOMPATIBLE,
                    format!(
                        "Schema being registered is incompatible with an earlier schema for subject \"{s}\" under {}, details: [{}]",
                        mode.as_str(),
                        engine::messages(&findings).join("; ")
                    ),
                ),
                None,
            );
        }
    }
    let (fingerprint, id) = state.id_for(
        &parsed.path,
        number,
        c.format,
        &c.request.schema,
        &parsed.extra,
    );
    let change = Change::Register {
        subject: s.to_string(),
        format: c.format,
        number,
        id,
        fingerprint,
        schema: c.request.schema.as_str().into(),
        canonical: c.canonical.as_str().into(),
        references: c.request.references.clone(),
        model: Arc::new(parsed.model),
    };
    (Response::ok(&wire::Registered { id }), Some(change))
}

/// `POST /compatibility/subjects/{s}/versions[/{v}]`: the engines' verdict on the schema sent
/// as the subject's next version, against version `v` or (without it) the versions its mode
/// names.
fn compatibility(state: &State, s: &str, v: Option<&str>, body: &[u8], verbose: bool) -> Response {
    let Some(sub) = state.subjects.get(s) else {
        return subject_not_found(s);
    };
    let against = match v.map(|v| find_version(sub, v)).transpose() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let c = match candidate(body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if c.format != sub.format {
        return Response::ok(&wire::Compatibility {
            is_compatible: false,
            messages: if verbose {
                vec![format!(
                    "the subject holds {} schemas, this is {}",
                    wire::schema_type(sub.format),
                    wire::schema_type(c.format)
                )]
            } else {
                Vec::new()
            },
        });
    }
    let number = sub.versions.last().map_or(1, |v| v.number + 1);
    let parsed = match parse_candidate(state, &sub.evreg, number, &c, sub.draft) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let mode = state.mode_of(sub);
    let pairs = match against {
        Some(old) => engine::pairs_against(mode, number, old.number),
        None => engine::pairs(mode, number),
    };
    let findings = engine::judge(
        s,
        &parsed.model,
        &parsed.findings,
        &pairs,
        &model_of(sub),
        sub.policy,
        state.settings(),
    );
    Response::ok(&wire::Compatibility {
        is_compatible: engine::compatible(&findings),
        messages: if verbose {
            engine::messages(&findings)
        } else {
            Vec::new()
        },
    })
}

/// `PUT /config[/{s}]`: the mode, in memory, when writable.
fn set_mode(state: &State, s: Option<&str>, body: &[u8]) -> (Response, Option<Change>) {
    if !state.writable {
        return (
            read_only("Compatibility levels are set in evreg.yaml and subject.yaml"),
            None,
        );
    }
    let update: wire::ConfigUpdate = match serde_json::from_slice(body) {
        Ok(u) => u,
        Err(e) => {
            return (
                Response::error(422, 422, format!("Unrecognized request body: {e}")),
                None,
            );
        }
    };
    let mode: Mode = match update.compatibility.parse() {
        Ok(m) => m,
        Err(_) => {
            return (
                Response::error(
                    422,
                    code::INVALID_COMPATIBILITY_LEVEL,
                    format!("Invalid compatibility level {}", update.compatibility),
                ),
                None,
            );
        }
    };
    (
        Response::ok(&wire::ConfigUpdate {
            compatibility: mode.as_str().into(),
        }),
        Some(Change::SetMode {
            subject: s.map(str::to_string),
            mode,
        }),
    )
}
