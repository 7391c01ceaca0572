//! The one adapter between the API and evreg's parsers, canonical forms and compatibility
//! engines. Every verdict the API gives is made by the engines `evreg check` and `evreg compat`
//! use, through the entry points of `crate::check` and the models of `crate::parsed`; nothing
//! here judges a pair itself.

use crate::check;
use crate::compat::{Mode, Pair, json::Policy};
use crate::finding::Finding;
use crate::parsed::{self, Model};
use crate::registry::{self, Settings, Subject};
use crate::schema::json::{Draft, FileProvider};
use crate::schema::{Format, canonical};
use crate::source::SourceFile;
use std::sync::Arc;

pub use crate::parsed::Model as SchemaModel;

/// Every version of a subject parsed once, as `check` parses it (`None` where invalid).
pub fn parse_versions(subject: &Subject, provider: &FileProvider) -> Vec<Option<Arc<Model>>> {
    parsed::parse_subject(subject, provider)
        .0
        .into_iter()
        .map(|m| m.map(Arc::new))
        .collect()
}

/// Parse a schema text as if it were the registry file `path` (its relative references resolve
/// from there). Returns the model and the findings of parsing (notes, and errors of a schema
/// that still loads), or the findings that say why it is not a schema.
pub fn parse(
    text: &str,
    path: &str,
    format: Format,
    provider: &FileProvider,
    draft: Draft,
) -> Result<(Model, Vec<Finding>), Vec<Finding>> {
    let source = Arc::new(SourceFile::new(path, text));
    match parsed::parse_file(source, path, format, provider, draft) {
        (Some(model), findings) => Ok((model, findings)),
        (None, findings) => Err(findings),
    }
}

/// The canonical form of a schema text (`None` when it is not JSON): equal forms are equal
/// schemas, as `evreg.lock` and `check --against` compare versions.
pub fn canonical(text: &str, format: Format) -> Option<String> {
    let node = crate::source::json::parse(text).ok()?;
    Some(canonical::canonical_form(&node, format))
}

/// What a new schema (as version `number` of `subject`) breaks against the versions `pairs`
/// name, under the registry's settings (rule severities, `allow`). `old` gives a version's model.
pub fn judge(
    subject: &str,
    new: &Model,
    parse_findings: &[Finding],
    pairs: &[Pair],
    old: &dyn Fn(u32) -> Option<Arc<Model>>,
    policy: Policy,
    settings: &Settings,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = parse_findings.to_vec();
    for &pair in pairs {
        let Some(o) = old(pair.old) else { continue };
        let labels = (format!("v{}", pair.new), format!("v{}", pair.old));
        findings.extend(
            check::model_pair(pair, new, &o, policy, &labels)
                .into_iter()
                .map(|f| f.subject(subject)),
        );
    }
    settings.apply(findings, registry::CONFIG_FILE)
}

/// The pairs a mode asks for when `new` joins versions `1..new`.
pub fn pairs(mode: Mode, new: u32) -> Vec<Pair> {
    mode.pairs(new)
}

/// The pairs of a test against one version only (`POST /compatibility/…/versions/{v}`): the
/// mode's directions, that version as the old side.
pub fn pairs_against(mode: Mode, new: u32, old: u32) -> Vec<Pair> {
    mode.directions()
        .iter()
        .map(|&direction| Pair {
            new,
            old,
            direction,
        })
        .collect()
}

/// Whether findings leave a change compatible: no finding at error severity.
pub fn compatible(findings: &[Finding]) -> bool {
    !findings.iter().any(Finding::is_error)
}

/// One line per finding at error severity, for API messages and 409 bodies.
pub fn messages(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| {
            let at = f
                .location
                .as_ref()
                .map(|l| l.pointer.as_str())
                .filter(|p| !p.is_empty())
                .map(|p| format!(" at {p}"))
                .unwrap_or_default();
            let pair = match (f.version, f.other_version) {
                (Some(n), Some(o)) => format!(" (v{n} against v{o})"),
                _ => String::new(),
            };
            format!("{}: {}{at}{pair}", f.rule.id, f.message)
        })
        .collect()
}
