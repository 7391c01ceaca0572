//! Fixtures: every sample must be accepted by its version, every negative sample rejected, and
//! every sample replayed into the versions its subject's mode promises can read it.

use super::events::{Catalog, EventProblem, Expect, Outcome, PayloadSchema};
use crate::compat::Pair;
use crate::finding::{Direction, Finding, Location};
use crate::registry::{Fixture, Registry};
use crate::rules;
use crate::source::json::{self, Node};
use serde_json::Value;

/// `evreg validate` without files: the registry's fixtures, with the layout findings about
/// them, as one report.
pub fn report(reg: &Registry) -> crate::report::Report {
    let catalog = Catalog::new(reg);
    let mut findings: Vec<Finding> = reg
        .findings
        .iter()
        .filter(|f| f.category() == crate::Category::Fixture)
        .cloned()
        .collect();
    findings.extend(check_fixtures(reg, &catalog));
    let mut sources = reg.sources();
    for f in &reg.fixtures {
        sources.insert(f.source.clone());
    }
    crate::report::Report::new(reg.settings.apply_severities(findings), sources)
}

/// Check every fixture of the registry.
pub fn check_fixtures(reg: &Registry, catalog: &Catalog) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in reg.fixtures.iter().filter(|f| f.readable) {
        out.extend(check_fixture(reg, catalog, f));
    }
    // Once a registry keeps samples, a version without any is worth a note.
    for s in reg.subjects.iter().filter(|_| !reg.fixtures.is_empty()) {
        for v in &s.versions {
            if !reg
                .fixtures
                .iter()
                .any(|f| f.subject == s.name && f.version == v.number && !f.negative)
            {
                out.push(
                    Finding::new(
                        &rules::FIXTURE_MISSING,
                        format!("{} v{} has no sample events", s.name, v.number),
                        format!(
                            "`evreg fixture new {}@{}` writes one to start from",
                            s.name, v.number
                        ),
                    )
                    .subject(&s.name)
                    .version(v.number)
                    .at(Location::file(format!("fixtures/{}/v{}", s.name, v.number))),
                );
            }
        }
    }
    out
}

fn check_fixture(reg: &Registry, catalog: &Catalog, fx: &Fixture) -> Vec<Finding> {
    let file = &fx.source;
    let doc = match json::parse(&file.text) {
        Ok(d) => d,
        Err(e) => {
            let span = crate::source::Span::new(e.offset, e.offset + 1);
            return vec![
                Finding::new(
                    &rules::EVENT_INVALID_JSON,
                    format!("{} is not valid JSON: {}", file.path, e.message),
                    "fix the JSON at the position shown",
                )
                .subject(&fx.subject)
                .version(fx.version)
                .at(Location::at(file, "", Some(span))),
            ];
        }
    };
    let value = doc.to_serde();
    let whole = catalog.is_whole_event(&value);
    let outcome = if whole {
        catalog.validate(&value, Expect::Routed)
    } else {
        catalog.validate(&value, Expect::Payload(&fx.subject, Some(fx.version)))
    };
    let mut out = Vec::new();
    let named_elsewhere = whole
        && (outcome.subject.as_deref() != Some(fx.subject.as_str())
            || outcome.version.is_some_and(|v| v != fx.version));
    if named_elsewhere {
        let named = format!(
            "{} v{}",
            outcome.subject.as_deref().unwrap_or("?"),
            outcome.version.map_or("?".to_string(), |v| v.to_string())
        );
        out.push(
            Finding::new(
                &rules::FIXTURE_MISMATCH,
                format!(
                    "{} sits under {} v{} but its envelope names {named}",
                    file.path, fx.subject, fx.version
                ),
                format!(
                    "fix the envelope, or move the file to fixtures/{}/v{}/",
                    outcome.subject.as_deref().unwrap_or("<subject>"),
                    outcome.version.unwrap_or(1)
                ),
            )
            .subject(&fx.subject)
            .version(fx.version)
            .at(Location::at(file, "", Some(doc.span))),
        );
    }
    let errors: Vec<&EventProblem> = outcome
        .problems
        .iter()
        .filter(|p| p.rule.severity == crate::Severity::Error)
        .collect();
    if fx.negative {
        if errors.is_empty() && !named_elsewhere {
            out.push(
                Finding::new(
                    &rules::FIXTURE_UNEXPECTEDLY_VALID,
                    format!(
                        "{} is a negative sample, but {} v{} accepts it",
                        file.path, fx.subject, fx.version
                    ),
                    "tighten the schema in a new version, or move the sample out of invalid/",
                )
                .subject(&fx.subject)
                .version(fx.version)
                .at(Location::at(file, "", Some(doc.span))),
            );
        }
        return out;
    }
    out.extend(super::input::event_findings(
        catalog,
        &outcome.problems,
        (Some(&fx.subject), Some(fx.version)),
        &doc,
        &file.text,
        &super::input::Place::File(&file.path),
    ));
    if errors.is_empty() && !named_elsewhere {
        out.extend(replay(reg, catalog, fx, &doc, &value, &outcome));
    }
    out
}

/// Replay a valid sample into every version the mode promises can read it.
fn replay(
    reg: &Registry,
    catalog: &Catalog,
    fx: &Fixture,
    doc: &Node,
    value: &Value,
    outcome: &Outcome,
) -> Vec<Finding> {
    let Some(subject) = reg.subject(&fx.subject) else {
        return Vec::new();
    };
    let mode = subject.mode(&reg.settings);
    let payload = if outcome.payload_pointer.is_empty() {
        Some(value)
    } else {
        value.pointer(&outcome.payload_pointer)
    };
    let Some(payload) = payload else {
        return Vec::new();
    };
    let mut readers: Vec<(u32, Direction)> = Vec::new();
    for v in &subject.versions {
        for pair in mode.pairs(v.number) {
            let (reader, writer) = Pair::reader_writer(pair);
            if writer == fx.version && !readers.iter().any(|(r, _)| *r == reader) {
                readers.push((reader, pair.direction));
            }
        }
    }
    let file = &fx.source;
    let span = doc
        .pointer_span(&outcome.payload_pointer)
        .or(Some(doc.span));
    let at = || Location::at(file, outcome.payload_pointer.clone(), span);
    let mut out = Vec::new();
    let Some(written) = catalog.schemas.get(&(fx.subject.clone(), fx.version)) else {
        return out;
    };
    // An Avro sample is written once with its own version's schema, then read by each reader.
    // When it cannot be written, replay did not run: that says nothing about any reader.
    #[cfg(feature = "replay")]
    let bytes = match written {
        PayloadSchema::Avro(schema) if !readers.is_empty() => match schema.apache() {
            Ok(wa) => match super::replay::encode(schema, wa, payload) {
                Ok(bytes) => Some(bytes),
                Err(why) => {
                    out.push(
                        Finding::new(
                            &rules::FIXTURE_REPLAY_ERROR,
                            format!(
                                "{} could not be replayed: evreg validate accepts it as a v{} sample, but Apache Avro cannot write it: {why}",
                                file.path, fx.version
                            ),
                            "no reader was tried; check the sample's values against the Avro specification, and report it if they are right",
                        )
                        .subject(&fx.subject)
                        .version(fx.version)
                        .at(at()),
                    );
                    return out;
                }
            },
            Err(e) => {
                out.push(
                    Finding::new(
                        &rules::FIXTURE_REPLAY_SKIPPED,
                        format!(
                            "{} not replayed: Apache Avro cannot load the schema of v{}: {e}",
                            file.path, fx.version
                        ),
                        "the sample is still validated against its own version",
                    )
                    .subject(&fx.subject)
                    .version(fx.version)
                    .at(at()),
                );
                return out;
            }
        },
        _ => None,
    };
    for (reader, direction) in readers {
        let Some(read_by) = catalog.schemas.get(&(fx.subject.clone(), reader)) else {
            continue;
        };
        let failure: Result<(), String> = match (written, read_by) {
            (PayloadSchema::Json(_), PayloadSchema::Json(_)) => {
                let problems = catalog.payload(&fx.subject, reader, payload, "");
                match problems.first() {
                    None => Ok(()),
                    // The message starts with the place in the payload.
                    Some(p) => Err(p.message.clone()),
                }
            }
            #[cfg(feature = "replay")]
            (PayloadSchema::Avro(ws), PayloadSchema::Avro(rs)) if ws.apache().is_ok() => {
                match (ws.apache(), rs.apache(), &bytes) {
                    (Ok(wa), Ok(ra), Some(bytes)) => match super::replay::decode(wa, ra, bytes) {
                        Ok(()) => Ok(()),
                        // Apache Avro's own words, said to be its: they name no place in the sample.
                        Err(super::replay::ReplayError::Read(why)) => {
                            Err(format!("Apache Avro's schema resolution says: {why}"))
                        }
                        Err(super::replay::ReplayError::NotRun(why)) => {
                            out.push(
                                Finding::new(
                                    &rules::FIXTURE_REPLAY_ERROR,
                                    format!("{} could not be replayed into v{reader}: {why}", file.path),
                                    format!("nothing is known about v{reader} reading this sample; please report it with both schema versions"),
                                )
                                .subject(&fx.subject)
                                .version(fx.version)
                                .at(at()),
                            );
                            continue;
                        }
                    },
                    (_, Err(e), _) => {
                        out.push(
                            Finding::new(
                                &rules::FIXTURE_REPLAY_SKIPPED,
                                format!(
                                    "{} not replayed into v{reader}: Apache Avro cannot load the schema of v{reader}: {e}",
                                    file.path
                                ),
                                "the sample is still validated against its own version",
                            )
                            .subject(&fx.subject)
                            .version(fx.version)
                            .at(at()),
                        );
                        continue;
                    }
                    _ => continue,
                }
            }
            _ => continue,
        };
        let Err(why) = failure else { continue };
        let (new, old) = match direction {
            Direction::Backward => (reader, fx.version),
            Direction::Forward => (fx.version, reader),
        };
        let mut f = Finding::new(
            &rules::FIXTURE_REPLAY_FAILED,
            format!(
                "v{reader} cannot read this v{} sample ({}): {why}",
                fx.version, file.path
            ),
            format!(
                "{} promises v{reader} reads v{} data; fix the schema change, not the sample",
                mode, fx.version
            ),
        )
        .subject(&fx.subject)
        .at(at());
        f.version = Some(new);
        f.other_version = Some(old);
        f.direction = Some(direction);
        let statically_compatible = static_verdict(catalog, &fx.subject, reader, fx.version);
        out.push(f.clone());
        if statically_compatible == Some(true) {
            let mut d = f;
            d.rule = &rules::ENGINE_DISAGREEMENT;
            d.severity = rules::ENGINE_DISAGREEMENT.severity;
            d.message = format!(
                "the compatibility check says v{reader} reads v{} data, but replaying {} failed: {why}",
                fx.version, file.path
            );
            d.help = "one of the two is wrong; please report it with both schema versions and this sample".into();
            out.push(d);
        }
    }
    out
}

/// What the static engine says about `reader` reading `writer` (Avro only).
fn static_verdict(catalog: &Catalog, subject: &str, reader: u32, writer: u32) -> Option<bool> {
    let get = |v: u32| match catalog.schemas.get(&(subject.to_string(), v)) {
        Some(PayloadSchema::Avro(schema)) => Some(schema),
        _ => None,
    };
    let found = crate::compat::avro::check(get(reader)?, get(writer)?);
    Some(!found.iter().any(|i| i.is_error()))
}
