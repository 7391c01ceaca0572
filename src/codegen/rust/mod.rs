//! Rust types for a registry's events: one module of source text, for `evreg codegen rust` and
//! for `build.rs`.
//!
//! ```no_run
//! // build.rs
//! let registry = evreg::Registry::load(std::path::Path::new("events")).unwrap();
//! let code = evreg::codegen::rust::generate(&registry, &Default::default()).unwrap();
//! let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("events.rs");
//! std::fs::write(out, code).unwrap();
//! ```
//!
//! What is generated, in order: support types the schemas need (`Bytes`, `Decimal`), the
//! envelope `Envelope<P>` with `DecodeError`, then per subject its payload types for every
//! version (`OrderPlacedV1`, `OrderPlacedV2`, nested types prefixed by their payload's name),
//! the upcasts between versions (`From`), and the subject's enum over its versions
//! (`OrderPlaced::V1(Envelope<OrderPlacedV1>)`), and last `AnyEvent` over every subject.
//!
//! The fixed parts (support types, envelope, `AnyEvent`) are tokens formatted by prettyplease;
//! the per-subject parts, which grow with the registry, are written as formatted text directly
//! (`text`), laid out as rustfmt lays them out, and generated on every core: parsing tens of
//! megabytes of tokens back into a syntax tree only to print them would dominate the run.

mod events;
#[cfg(test)]
#[allow(dead_code)]
mod runtime;
mod support;
mod text;
mod types;
mod upcast;

use crate::codegen::avro::{self as lower_avro, Lowered};
use crate::codegen::jsonschema;
use crate::codegen::model::{DefKind, TypeSpace};
use crate::codegen::names::{RESERVED_TYPES, Scope, pascal};
use crate::envelope::Envelope;
use crate::finding::Severity;
use crate::parsed::{Model, parse_subject};
use crate::registry::{Registry, Subject};
use crate::schema::Format;
use crate::schema::avro::AvroSchema;
use events::{EnvelopeFields, SubjectItem};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use text::Writer;
use types::{Emitter, Support};
use upcast::{Side, Upcaster};

/// Which date/time crate the generated types use for Avro's date and time logical types and the
/// envelope's timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeCrate {
    Chrono,
    Time,
}

/// What to generate. The default needs only `serde` and `serde_json` in the consuming crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The subjects to generate, by name; all when empty.
    pub subjects: Vec<String>,
    /// UUIDs as `uuid::Uuid` (needs `uuid` with its `serde` feature) instead of `String`.
    pub uuid: bool,
    /// Dates and times (Avro logical types, JSON Schema `date-time` / `date`, the envelope's
    /// timestamps) as `chrono` or `time` types instead of integers and strings.
    pub time: Option<TimeCrate>,
    /// Decimals of up to 28 digits as `rust_decimal::Decimal` (needs its `serde-str` feature)
    /// instead of the generated text type `Decimal`.
    pub rust_decimal: bool,
}

/// Why code could not be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A subject named in the options is not in the registry.
    UnknownSubject(String),
    /// A version's schema is invalid; `evreg check` shows every problem.
    InvalidSchema {
        subject: String,
        version: u32,
        message: String,
    },
    /// The generated tokens are not valid Rust (a bug in evreg).
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownSubject(s) => write!(f, "no subject `{s}` in the registry"),
            Error::InvalidSchema {
                subject,
                version,
                message,
            } => write!(
                f,
                "{subject} v{version} is not a valid schema: {message} (`evreg check` shows every problem)"
            ),
            Error::Internal(m) => write!(f, "internal error in code generation: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// What one subject contributes to the module.
struct SubjectOut {
    /// Its payload types, upcasts and enum, formatted.
    text: String,
    item: SubjectItem,
    /// The names of its nested types (payload names are unique already).
    nested: Vec<String>,
    support: Support,
}

/// What every subject's generation shares.
struct Job<'a> {
    options: &'a Options,
    /// The registry's root folder, for files JSON Schemas refer to.
    root: &'a std::path::Path,
    envelope: &'a Envelope,
    routable: bool,
}

/// One subject from schema files to formatted code: parse every version, lower it, share the
/// types that do not change, write the types, the upcasts and the subject's enum. Names taken
/// in `outer` are avoided.
fn subject_code(
    job: &Job<'_>,
    s: &Subject,
    base: &str,
    payloads: &[String],
    outer: &Arc<Scope>,
) -> Result<SubjectOut, Error> {
    let mut space = TypeSpace::default();
    let mut scope = Scope::within(outer.clone());
    let head = |n: u32| format!("`{}` version {n}.", s.name);
    // Avro versions are kept for the upcasts; JSON Schema versions are lowered from their JSON.
    let mut schemas: Vec<(u32, AvroSchema)> = Vec::new();
    let mut lowered: Vec<Lowered> = Vec::with_capacity(s.versions.len());
    if s.format == Some(Format::Avro) {
        // Avro schemas reach no other files: the provider is never asked.
        let (models, findings) =
            parse_subject(s, &crate::schema::json::FileProvider::new(job.root));
        for (v, model) in s.versions.iter().zip(models) {
            match model {
                Some(Model::Avro(schema)) => schemas.push((v.number, schema)),
                _ => return Err(invalid_version(s, v.number, &findings)),
            }
        }
        for ((n, schema), payload) in schemas.iter_mut().zip(payloads) {
            lowered.push(lower_avro::lower(
                &mut space,
                &mut scope,
                schema,
                payload,
                &head(*n),
            ));
            // The upcasts need the types only: free the schema's JSON tree now.
            schema.json = crate::source::json::Node {
                value: crate::source::json::Value::Null,
                span: Default::default(),
            };
        }
    } else {
        let provider = crate::schema::json::FileProvider::new(job.root);
        let (models, findings) = parse_subject(s, &provider);
        for ((v, model), payload) in s.versions.iter().zip(models).zip(payloads) {
            let Some(Model::Json(schema)) = model else {
                return Err(invalid_version(s, v.number, &findings));
            };
            lowered.push(jsonschema::lower(
                &mut space,
                &mut scope,
                &schema,
                payload,
                &head(v.number),
            ));
        }
    }
    // A type unchanged from one version to the next is one Rust type.
    space.share_equal(0..space.defs.len());

    let em = Emitter {
        space: &space,
        options: job.options,
        avro: s.format == Some(Format::Avro),
    };
    let mut w = Writer::with_capacity(64 * 1024);
    for def in &space.defs {
        em.def(def, &mut w);
    }
    // `From<V(n-1)> for Vn` wherever version n reads version n-1.
    let mut upcaster = Upcaster::new(&em);
    let n = schemas.len();
    let mut all_upgrade = n > 1;
    // Whether version j+1 reads version j, per step.
    let mut steps = vec![false; s.versions.len().saturating_sub(1)];
    for j in 1..n {
        let side = |i: usize| Side {
            schema: &schemas[i].1,
            lowered: &lowered[i],
        };
        let upcast = crate::compat::avro::check(&schemas[j].1, &schemas[j - 1].1)
            .is_empty()
            .then(|| upcaster.upcast(side(j), side(j - 1)))
            .flatten();
        match upcast {
            Some(impls) => {
                steps[j - 1] = true;
                for i in impls {
                    w.blank();
                    w.out.push_str(&i);
                }
            }
            None => all_upgrade = false,
        }
    }
    // JSON Schema: `From<V(n-1)> for Vn` wherever the JSON Schema engine proves every instance
    // of version n-1 is an instance of version n (strict set semantics); the conversion goes
    // through the payload's JSON, which is then a valid version-n payload by that proof.
    if s.format == Some(Format::JsonSchema) && lowered.len() > 1 {
        let provider = crate::schema::json::FileProvider::new(job.root);
        let (models, _) = parse_subject(s, &provider);
        let json_models: Vec<Option<&crate::schema::json::JsonSchema>> = models
            .iter()
            .map(|m| match m {
                Some(Model::Json(js)) => Some(js),
                _ => None,
            })
            .collect();
        all_upgrade = true;
        for j in 1..lowered.len() {
            let reads = match (json_models[j], json_models[j - 1]) {
                (Some(r), Some(w)) => {
                    crate::compat::json::check(r, w, crate::compat::json::Policy::Strict)
                        .iter()
                        .all(|i| i.rule.severity != Severity::Error)
                }
                _ => false,
            };
            if !reads {
                all_upgrade = false;
                continue;
            }
            steps[j - 1] = true;
            let (old, new) = (
                &space.def(lowered[j - 1].root).name,
                &space.def(lowered[j].root).name,
            );
            if old == new {
                continue; // the same type: nothing to convert
            }
            w.blank();
            w.out.push_str(&format!(
                "impl From<{old}> for {new} {{\n    /// evreg's compatibility check proved every `{old}` is a valid `{new}`.\n    fn from(value: {old}) -> Self {{\n        let json = ::serde_json::to_value(value).expect(\"payloads serialize\");\n        ::serde_json::from_value(json).expect(\"the newer version reads the older\")\n    }}\n}}\n"
            ));
        }
    }
    let item = SubjectItem {
        subject: s.name.clone(),
        name: base.to_string(),
        doc: s.meta.description.clone(),
        versions: s
            .versions
            .iter()
            .zip(&lowered)
            .map(|(v, low)| (v.number, space.def(low.root).name.clone()))
            .collect(),
        upgrades_to_latest: all_upgrade,
        steps,
    };
    if job.routable {
        w.blank();
        w.out.push_str(&events::subject_enum(
            &item,
            &EnvelopeFields::new(job.envelope, job.options),
        ));
    }
    let roots: Vec<usize> = lowered.iter().map(|l| l.root).collect();
    let nested = space
        .defs
        .iter()
        .enumerate()
        .filter(|(i, d)| !roots.contains(i) && !matches!(d.kind, DefKind::Pending))
        .map(|(_, d)| d.name.clone())
        .collect();
    Ok(SubjectOut {
        text: w.out,
        item,
        nested,
        support: em.support(),
    })
}

/// A version that does not load: the first error loading it reported.
fn invalid_version(s: &Subject, version: u32, findings: &[crate::finding::Finding]) -> Error {
    let message = findings
        .iter()
        .find(|f| f.version == Some(version) && f.severity == Severity::Error)
        .map_or_else(|| "unreadable".to_string(), |f| f.message.clone());
    Error::InvalidSchema {
        subject: s.name.clone(),
        version,
        message,
    }
}

/// The Rust source of a module with types for the registry's events: deterministic (the same
/// registry and options give the same bytes) and formatted.
pub fn generate(registry: &Registry, options: &Options) -> Result<String, Error> {
    for s in &options.subjects {
        if registry.subject(s).is_none() {
            return Err(Error::UnknownSubject(s.clone()));
        }
    }
    let selected: Vec<&Subject> = registry
        .subjects
        .iter()
        .filter(|s| options.subjects.is_empty() || options.subjects.contains(&s.name))
        .filter(|s| !s.versions.is_empty())
        .collect();
    let mut notes: Vec<String> = Vec::new();
    // A subject whose versions mix formats is a layout error `evreg check` reports; skip it.
    let mut subjects_selected: Vec<&Subject> = Vec::new();
    for s in &selected {
        if s.versions.iter().any(|v| Some(v.format) != s.format) {
            notes.push(format!("`{}` mixes schema formats: skipped.", s.name));
            continue;
        }
        subjects_selected.push(s);
    }
    let envelope = &registry.settings.envelope;
    let routable = EnvelopeFields::new(envelope, options).routable();
    if !routable {
        notes.push(format!(
            "The `{}` envelope names no event type, version and payload: no `Envelope`, subject enums or `AnyEvent` are generated.",
            envelope.name
        ));
    }

    // Names: subject enums first, then every payload; each subject names its nested types
    // avoiding those, and a nested name another subject took first is resolved below.
    let mut scope = Scope::with_reserved(RESERVED_TYPES);
    let names: Vec<&str> = subject_names_input(&subjects_selected);
    // Successor subjects (`….v2`) are named after the others, so a successor never takes the
    // name of its predecessor's payload (`RefundRequestedV2`): it is then `RefundRequestedV2Event`.
    let wanted = subject_names(&names);
    let mut bases = vec![String::new(); names.len()];
    let mut payload_names: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    for successors in [false, true] {
        let group: Vec<usize> = (0..names.len())
            .filter(|&k| successor_of(names[k]).is_some() == successors)
            .collect();
        for &k in &group {
            bases[k] = scope.take(&[wanted[k].clone(), format!("{}Event", wanted[k])]);
        }
        for &k in &group {
            payload_names[k] = subjects_selected[k]
                .versions
                .iter()
                .map(|v| scope.take(&[format!("{}V{}", bases[k], v.number)]))
                .collect();
        }
    }
    let outer = Arc::new(scope);
    let job = Job {
        options,
        root: &registry.root,
        envelope,
        routable,
    };
    let indices: Vec<usize> = (0..subjects_selected.len()).collect();
    let code = |k: usize, outer: &Arc<Scope>| {
        subject_code(
            &job,
            subjects_selected[k],
            &bases[k],
            &payload_names[k],
            outer,
        )
    };
    let mut parts = crate::parallel::map(&indices, |&k| code(k, &outer))
        .into_iter()
        .collect::<Result<Vec<SubjectOut>, Error>>()?;

    // Two subjects that named a nested type alike (both `{payload}{Name}`, so it takes
    // contrived names): the later one, in subject order, is generated again avoiding the names
    // taken before it. Deterministic, and rare.
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (k, part) in parts.iter_mut().enumerate() {
        if part.nested.iter().any(|n| taken.contains(n)) {
            let mut avoid = (*outer).clone();
            for n in &taken {
                avoid.reserve(n);
            }
            *part = code(k, &Arc::new(avoid))?;
        }
        taken.extend(part.nested.iter().cloned());
    }

    let support = parts
        .iter()
        .fold(Support::default(), |a, p| a.or(p.support));
    let support = support::emit(support, options.time);
    let mut head = quote! {
        use ::serde::{Deserialize, Serialize};
        #support
    };
    if routable {
        // Only the default envelope's unknown members are findings, errors when raised so.
        let closed = envelope.name == "default"
            && registry
                .settings
                .rules
                .get(crate::rules::ENVELOPE_UNKNOWN_FIELD.id)
                .is_some_and(|s| *s == Some(Severity::Error));
        head.extend(events::envelope(
            envelope,
            &EnvelopeFields::new(envelope, options),
            closed,
        ));
    }
    let mut text = header_comment(&notes);
    format_into(head, &mut text)?;
    text.push_str(&support::runtime(options));
    text.reserve(parts.iter().map(|p| p.text.len() + 1).sum::<usize>() + 64 * parts.len());
    let mut items = Vec::with_capacity(parts.len());
    for part in parts {
        if !text.ends_with("\n\n") {
            text.push('\n');
        }
        text.push_str(&part.text);
        items.push(part.item);
    }
    if routable && !items.is_empty() {
        text.push('\n');
        text.push_str(&events::any_event(&items));
    }
    Ok(allow_unused(&text))
}

/// Every top-level item marked `#[allow(dead_code)]`: a service uses a few of the generated
/// types, and a private `mod events;` under `#![deny(warnings)]` must still compile. An outer
/// attribute on each item, because an inner `#![allow]` is refused in an `include!`d file.
fn allow_unused(code: &str) -> String {
    const ITEM_STARTS: [&str; 9] = [
        "pub struct ",
        "pub enum ",
        "pub mod ",
        "pub fn ",
        "pub const ",
        "pub trait ",
        "pub type ",
        "impl ",
        "impl<",
    ];
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    for line in code.split_inclusive('\n') {
        if ITEM_STARTS.iter().any(|s| line.starts_with(s)) {
            out.push_str("#[allow(dead_code)]\n");
        }
        out.push_str(line);
    }
    out
}

/// Format tokens as a file and append them.
fn format_into(tokens: TokenStream, out: &mut String) -> Result<(), Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal(e.to_string()))?;
    space_items(&prettyplease::unparse(&file), out);
    Ok(())
}

/// Append formatted code with a blank line between top-level items (the printer writes none).
fn space_items(code: &str, out: &mut String) {
    let mut prev: Option<&str> = None;
    for line in code.lines() {
        let item_start = !line.starts_with([' ', '}', ')', ']']) && !line.is_empty();
        let prev_ends_item =
            prev.is_some_and(|p| p == "}" || (!p.starts_with(' ') && p.ends_with(';')));
        if item_start && (prev_ends_item || (prev.is_none() && !out.ends_with("\n\n"))) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
}

fn header_comment(notes: &[String]) -> String {
    let mut s = String::from(
        "// @generated by evreg (`evreg codegen rust`): do not edit; change the schemas and generate again.\n",
    );
    for n in notes {
        s.push_str("// ");
        s.push_str(n);
        s.push('\n');
    }
    s
}

fn subject_names_input<'a>(subjects: &[&'a Subject]) -> Vec<&'a str> {
    subjects.iter().map(|s| s.name.as_str()).collect()
}

/// A successor subject (`payments.refund.requested.v2`, made for a breaking change): the subject
/// it succeeds and the number in its last segment.
fn successor_of(subject: &str) -> Option<(&str, &str)> {
    let (stem, last) = subject.rsplit_once('.')?;
    let n = last.strip_prefix(['v', 'V'])?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && stem.contains('.'))
        .then_some((stem, n))
}

/// The type name of each subject: its last two segments (`orders.order.placed` →
/// `OrderPlaced`), a successor's number after them (`payments.refund.requested.v2` →
/// `RefundRequestedV2`); subjects that would share one are prefixed with their service
/// (`OrdersOrderPlaced`), and if that still collides, named by every segment.
pub fn subject_names(subjects: &[&str]) -> Vec<String> {
    let tail = |s: &str, k: usize| -> String {
        let (stem, marker) = match successor_of(s) {
            Some((stem, n)) => (stem, format!("V{n}")),
            None => (s, String::new()),
        };
        let segs: Vec<&str> = stem.split('.').collect();
        let k = k.min(segs.len());
        format!("{}{marker}", pascal(&segs[segs.len() - k..].join("_")))
    };
    let count = |names: &[String]| -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for n in names {
            *m.entry(n.clone()).or_insert(0) += 1;
        }
        m
    };
    let mut names: Vec<String> = subjects.iter().map(|s| tail(s, 2)).collect();
    let counts = count(&names);
    for (i, s) in subjects.iter().enumerate() {
        if counts[&names[i]] > 1 {
            let service = s.split('.').next().unwrap_or(s);
            names[i] = format!("{}{}", pascal(service), names[i]);
        }
    }
    let counts = count(&names);
    for (i, s) in subjects.iter().enumerate() {
        if counts[&names[i]] > 1 {
            names[i] = tail(s, usize::MAX);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(files: &[(&str, &str)]) -> (tempfile::TempDir, Registry) {
        let dir = tempfile::tempdir().unwrap();
        if !files.iter().any(|(p, _)| *p == "evreg.yaml") {
            std::fs::write(dir.path().join("evreg.yaml"), "compatibility: NONE\n").unwrap();
        }
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let reg = Registry::load(dir.path()).unwrap();
        (dir, reg)
    }

    #[test]
    fn nested_names_two_subjects_share_are_made_unique_in_subject_order() {
        let a = r#"{"type": "record", "name": "B", "fields": [{"name": "x", "type":
            {"type": "record", "name": "CdV1Line", "fields": [{"name": "n", "type": "int"}]}}]}"#;
        let b = r#"{"type": "record", "name": "Cd", "fields": [{"name": "x", "type":
            {"type": "record", "name": "Line", "fields": [{"name": "s", "type": "string"}]}}]}"#;
        let (_dir, reg) = registry(&[
            ("schemas/s.a.b/v1.avsc", a),
            ("schemas/s.a.b-v1-cd/v1.avsc", b),
        ]);
        let code = generate(&reg, &Options::default()).unwrap();
        assert!(code.contains("pub struct ABV1CdV1Line {"), "{code}");
        assert!(code.contains("pub struct ABV1CdV1Line2 {"), "{code}");
        assert_eq!(code, generate(&reg, &Options::default()).unwrap());
    }

    #[test]
    fn without_an_envelope_only_payload_types_are_generated() {
        let (_dir, reg) = registry(&[
            ("evreg.yaml", "envelope: none\n"),
            (
                "schemas/a.b.c/v1.avsc",
                r#"{"type": "record", "name": "C", "fields": [{"name": "n", "type": "int"}]}"#,
            ),
        ]);
        let code = generate(&reg, &Options::default()).unwrap();
        assert!(code.contains("pub struct BCV1 {"), "{code}");
        assert!(
            code.contains("// The `none` envelope names no event type"),
            "{code}"
        );
        assert!(!code.contains("pub enum AnyEvent") && !code.contains("pub struct Envelope"));
    }

    /// Docs with every kind of line break, control and direction character, from Avro, JSON
    /// Schema and the envelope settings, give code that parses, and doc comments rustc accepts.
    #[test]
    fn hostile_doc_text_gives_code_rustc_accepts() {
        let hostile = r"a\rb\r\nc\u2028d\u2029e\u0085f\u000bg\u000ch\u0000i\u001b[31m\u202eevil\u2066 */ /* ``` \\";
        let avro = format!(
            r#"{{"type": "record", "name": "C", "doc": "{hostile}", "fields": [
                {{"name": "n", "type": "int", "doc": "{hostile}"}},
                {{"name": "e", "type": {{"type": "enum", "name": "E", "doc": "{hostile}", "symbols": ["A"]}}}}]}}"#
        );
        let json = format!(
            r#"{{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "{hostile}",
                "description": "{hostile}", "type": "object",
                "properties": {{"n": {{"type": "integer", "description": "{hostile}"}}}}}}"#
        );
        let settings = format!(
            "envelope:\n  preset: default\n  fields:\n    - {{name: tenant, type: string, doc: \"{}\"}}\n",
            hostile
                .replace('\\', "\\\\")
                .replace(r"\\u", r"\u")
                .replace(r"\\r", r"\r")
                .replace(r"\\n", r"\n")
        );
        let (_dir, reg) = registry(&[
            ("evreg.yaml", settings.as_str()),
            ("schemas/s.a.b/v1.avsc", avro.as_str()),
            ("schemas/s.a.j/v1.schema.json", json.as_str()),
        ]);
        let tenant = reg
            .settings
            .envelope
            .fields
            .iter()
            .find(|f| f.name == "tenant");
        assert!(tenant.is_some_and(|f| f.doc.contains('\r')), "{settings}");
        let code = generate(&reg, &Options::default()).unwrap();
        syn::parse_file(&code).unwrap_or_else(|e| panic!("{e}\n{code}"));
        for bad in [
            '\r', '\u{0}', '\u{1b}', '\u{202e}', '\u{2066}', '\u{2028}', '\u{2029}', '\u{85}',
        ] {
            assert!(!code.contains(bad), "{:?} in the code", bad);
        }
        // Every doc comment written, compiled by rustc (lexing, and its deny-by-default lints).
        let docs: String = code
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("///"))
            .enumerate()
            .map(|(i, l)| format!("{l}\npub struct S{i};\n"))
            .collect();
        assert!(docs.matches("evil").count() >= 6, "{docs}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("docs.rs");
        std::fs::write(&file, &docs).unwrap();
        let out = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
            .args([
                "--crate-type=lib",
                "--edition=2021",
                "--emit=metadata",
                "-o",
            ])
            .arg(dir.path().join("docs.rmeta"))
            .arg(&file)
            .output()
            .expect("rustc runs");
        assert!(
            out.status.success(),
            "{}\n{docs}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn successor_subjects_keep_their_event_name_and_number() {
        assert_eq!(
            subject_names(&[
                "payments.refund.requested",
                "payments.refund.requested.v2",
                "billing.refund.requested.v2",
                "a.v2",
            ]),
            [
                "RefundRequested",
                "PaymentsRefundRequestedV2",
                "BillingRefundRequestedV2",
                "AV2"
            ]
        );
        // A successor's name never takes its predecessor's payload name.
        let avro = |n: &str| {
            format!(
                r#"{{"type": "record", "name": "{n}", "fields": [{{"name": "n", "type": "int"}}]}}"#
            )
        };
        let (v1, v2) = (avro("R"), avro("R"));
        let (_dir, reg) = registry(&[
            ("schemas/payments.refund.requested/v1.avsc", v1.as_str()),
            ("schemas/payments.refund.requested/v2.avsc", v2.as_str()),
            ("schemas/payments.refund.requested.v2/v1.avsc", v1.as_str()),
        ]);
        let code = generate(&reg, &Options::default()).unwrap();
        for name in [
            "pub enum RefundRequested {",
            "pub struct RefundRequestedV1 {",
            "pub struct RefundRequestedV2 {",
            "pub enum RefundRequestedV2Event {",
            "pub struct RefundRequestedV2EventV1 {",
        ] {
            assert!(code.contains(name), "{name}");
        }
        let (_dir, reg) =
            registry(&[("schemas/payments.refund.requested.v2/v1.avsc", v1.as_str())]);
        let code = generate(&reg, &Options::default()).unwrap();
        assert!(code.contains("pub struct RefundRequestedV2V1 {"), "{code}");
        assert!(!code.contains("RequestedV2V1V"));
    }

    #[test]
    fn subject_names_prefix_the_service_on_collision() {
        assert_eq!(
            subject_names(&[
                "orders.order.placed",
                "billing.order.placed",
                "orders.order.cancelled"
            ]),
            ["OrdersOrderPlaced", "BillingOrderPlaced", "OrderCancelled"]
        );
        assert_eq!(
            subject_names(&["a.x.order.placed", "a.y.order.placed"]),
            ["AXOrderPlaced", "AYOrderPlaced"]
        );
    }
}
