//! Fixtures: every sample must be accepted by its version, every negative sample rejected, and
//! every sample replayed into the versions its subject's mode promises can read it.

use super::events::{Catalog, Expect, Outcome, PayloadSchema};
use crate::compat::{Mode, Pair};
use crate::finding::{Direction, Draft, Finding, Location};
use crate::registry::{Fixture, Registry, Subject};
use crate::rules;
#[cfg(feature = "replay")]
use crate::schema::avro::AvroSchema;
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
    let errors: Vec<&Draft> = outcome
        .drafts
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
        &outcome,
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
    let Some(sample) = Sample::new(fx, doc, value, outcome) else {
        return Vec::new();
    };
    let Some(written) = catalog.schemas.get(&(fx.subject.clone(), fx.version)) else {
        return Vec::new();
    };
    let readers = readers_of(subject, mode, fx.version);
    // An Avro sample is written once with its own version's schema, then read by each reader.
    // When it cannot be written, replay did not run: that says nothing about any reader.
    #[cfg(feature = "replay")]
    let avro = match written {
        PayloadSchema::Avro(schema) if !readers.is_empty() => match sample.write_avro(schema) {
            Ok(w) => Some(w),
            Err(refused) => return vec![refused],
        },
        _ => None,
    };
    let mut out = Vec::new();
    for (reader, direction) in readers {
        let Some(read_by) = catalog.schemas.get(&(fx.subject.clone(), reader)) else {
            continue;
        };
        let read = match (written, read_by) {
            (PayloadSchema::Json(_), PayloadSchema::Json(_)) => sample.read_json(catalog, reader),
            #[cfg(feature = "replay")]
            (PayloadSchema::Avro(_), PayloadSchema::Avro(rs)) => match &avro {
                Some(w) => sample.read_avro(w, rs, reader),
                None => continue,
            },
            _ => continue,
        };
        match read {
            Reading::Ok => {}
            Reading::NotRun(f) => out.push(*f),
            Reading::Failed(why) => {
                out.extend(sample.replay_failed(catalog, mode, reader, direction, &why))
            }
        }
    }
    out
}

/// The versions `mode` promises can read data of `writer`, each once, with the direction of
/// the promise.
fn readers_of(subject: &Subject, mode: Mode, writer: u32) -> Vec<(u32, Direction)> {
    let mut readers: Vec<(u32, Direction)> = Vec::new();
    for v in &subject.versions {
        for pair in mode.pairs(v.number) {
            let (reader, w) = Pair::reader_writer(pair);
            if w == writer && !readers.iter().any(|(r, _)| *r == reader) {
                readers.push((reader, pair.direction));
            }
        }
    }
    readers
}

/// A valid sample on its way through replay: what every replay finding about it names.
struct Sample<'a> {
    fx: &'a Fixture,
    payload: &'a Value,
    at: Location,
}

/// What came of one reader reading the sample.
enum Reading {
    Ok,
    /// The reader cannot read it: why, starting with the place in the payload where there is one.
    Failed(String),
    /// Replay into this reader did not run, which says nothing about the reader.
    #[cfg_attr(not(feature = "replay"), allow(dead_code))]
    NotRun(Box<Finding>),
}

/// An Avro sample as its own version's schema writes it.
#[cfg(feature = "replay")]
struct Written<'a> {
    apache: &'a super::replay::ApacheSchema,
    bytes: Vec<u8>,
}

impl<'a> Sample<'a> {
    /// The sample's payload (the whole document, or the part its envelope holds) and where it
    /// is; none when the envelope's payload pointer finds nothing.
    fn new(fx: &'a Fixture, doc: &Node, value: &'a Value, outcome: &Outcome) -> Option<Self> {
        let pointer = &outcome.payload_pointer;
        let payload = if pointer.is_empty() {
            value
        } else {
            value.pointer(pointer)?
        };
        let span = doc.pointer_span(pointer).or(Some(doc.span));
        Some(Sample {
            fx,
            payload,
            at: Location::at(&fx.source, pointer.clone(), span),
        })
    }

    /// A finding about the sample as a sample of its own version.
    fn finding(
        &self,
        rule: &'static rules::Rule,
        message: String,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Finding {
        Finding::new(rule, message, help)
            .subject(&self.fx.subject)
            .version(self.fx.version)
            .at(self.at.clone())
    }

    /// The writing step: Avro binary with the writer's Apache Avro schema, or the finding that
    /// says why replay did not run at all.
    #[cfg(feature = "replay")]
    fn write_avro<'s>(&self, schema: &'s AvroSchema) -> Result<Written<'s>, Finding> {
        let path = &self.fx.source.path;
        let version = self.fx.version;
        let apache = schema.apache().map_err(|e| {
            self.finding(
                &rules::FIXTURE_REPLAY_SKIPPED,
                format!(
                    "{path} not replayed: Apache Avro cannot load the schema of v{version}: {e}"
                ),
                "the sample is still validated against its own version",
            )
        })?;
        match super::replay::encode(schema, apache, self.payload) {
            Ok(bytes) => Ok(Written { apache, bytes }),
            Err(why) => Err(self.finding(
                &rules::FIXTURE_REPLAY_ERROR,
                format!(
                    "{path} could not be replayed: evreg validate accepts it as a v{version} sample, but Apache Avro cannot write it: {why}"
                ),
                "no reader was tried; check the sample's values against the Avro specification, and report it if they are right",
            )),
        }
    }

    /// The reading step for a JSON Schema sample: does the reader's schema accept the payload?
    fn read_json(&self, catalog: &Catalog, reader: u32) -> Reading {
        let problems = catalog.payload(&self.fx.subject, reader, self.payload, "");
        match problems.first() {
            None => Reading::Ok,
            // The message starts with the place in the payload.
            Some(p) => Reading::Failed(p.message.clone()),
        }
    }

    /// The reading step for an Avro sample: decode what was written with the reader's schema.
    #[cfg(feature = "replay")]
    fn read_avro(&self, written: &Written, reader_schema: &AvroSchema, reader: u32) -> Reading {
        let path = &self.fx.source.path;
        let reader_apache = match reader_schema.apache() {
            Ok(ra) => ra,
            Err(e) => {
                return Reading::NotRun(Box::new(self.finding(
                    &rules::FIXTURE_REPLAY_SKIPPED,
                    format!(
                        "{path} not replayed into v{reader}: Apache Avro cannot load the schema of v{reader}: {e}"
                    ),
                    "the sample is still validated against its own version",
                )));
            }
        };
        match super::replay::decode(written.apache, reader_apache, &written.bytes) {
            Ok(()) => Reading::Ok,
            // Apache Avro's own words, said to be its: they name no place in the sample.
            Err(super::replay::ReplayError::Read(why)) => {
                Reading::Failed(format!("Apache Avro's schema resolution says: {why}"))
            }
            Err(super::replay::ReplayError::NotRun(why)) => Reading::NotRun(Box::new(self.finding(
                &rules::FIXTURE_REPLAY_ERROR,
                format!("{path} could not be replayed into v{reader}: {why}"),
                format!("nothing is known about v{reader} reading this sample; please report it with both schema versions"),
            ))),
        }
    }

    /// `reader` cannot read the sample although `mode` promises it can; where the static
    /// engine said it could, the two engines disagree as well.
    fn replay_failed(
        &self,
        catalog: &Catalog,
        mode: Mode,
        reader: u32,
        direction: Direction,
        why: &str,
    ) -> Vec<Finding> {
        let fx = self.fx;
        let path = &fx.source.path;
        let (new, old) = match direction {
            Direction::Backward => (reader, fx.version),
            Direction::Forward => (fx.version, reader),
        };
        let mut f = self.finding(
            &rules::FIXTURE_REPLAY_FAILED,
            format!(
                "v{reader} cannot read this v{} sample ({path}): {why}",
                fx.version
            ),
            format!(
                "{mode} promises v{reader} reads v{} data; fix the schema change, not the sample",
                fx.version
            ),
        );
        f.version = Some(new);
        f.other_version = Some(old);
        f.direction = Some(direction);
        let mut out = vec![f.clone()];
        if static_verdict(catalog, &fx.subject, reader, fx.version) == Some(true) {
            let mut d = f;
            d.rule = &rules::ENGINE_DISAGREEMENT;
            d.severity = rules::ENGINE_DISAGREEMENT.severity;
            d.message = format!(
                "the compatibility check says v{reader} reads v{} data, but replaying {path} failed: {why}",
                fx.version
            );
            d.help = "one of the two is wrong; please report it with both schema versions and this sample".into();
            out.push(d);
        }
        out
    }
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
