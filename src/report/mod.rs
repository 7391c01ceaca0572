//! Renderers: one file per output format, each a [`Renderer`] turning the same findings into
//! text. Renderers never decide; they only show what the checks found.

pub mod concise;
pub mod github;
#[cfg(feature = "cli")]
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use crate::finding::{Finding, Severity, Summary};
use crate::source::SourceMap;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One output format. What a format needs beyond the report and its context (colour, width,
/// what is shown in full) is a field of its struct, decided once by the caller.
pub trait Renderer {
    /// The whole report, written to `out` as it is produced.
    fn render(&self, report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()>;

    /// This format as one written finding by finding (event streams), when it is one.
    fn streaming(&self) -> Option<&dyn Streaming> {
        None
    }

    /// The whole report as text (tests, and callers that embed it).
    fn render_to_string(&self, report: &Report, ctx: &Context) -> String {
        let mut bytes = Vec::new();
        // Writing to memory fails only if a renderer's serialiser does, which these never do.
        let _ = self.render(report, ctx, &mut bytes);
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Items per thread and batch in `print_in_order`.
const BATCH: usize = 1024;

/// Print `items` into `out` in their order, `print` given each item's index: the printing is done
/// on every core, a bounded batch at a time, so a large report is neither printed on one core
/// nor held whole in memory. One worker per core takes every `threads`-th batch and hands each
/// on as soon as the one before it was taken (threads started once, not per batch: each start
/// costs the kernel and leaves the allocator a thread's pages to reclaim).
pub(crate) fn print_in_order<T: Sync>(
    items: &[T],
    out: &mut dyn Write,
    print: impl Fn(usize, &T, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let print = &print;
    let part = move |b: usize| -> io::Result<Vec<u8>> {
        let start = b * BATCH;
        let items = &items[start..items.len().min(start + BATCH)];
        let mut buf = Vec::with_capacity(items.len() * 512);
        for (i, item) in items.iter().enumerate() {
            print(start + i, item, &mut buf)?;
        }
        Ok(buf)
    };
    let batches = items.len().div_ceil(BATCH);
    if threads == 1 || batches <= 1 {
        for b in 0..batches {
            out.write_all(&part(b)?)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(batches))
            .map(|k| {
                let (parts, taken) = std::sync::mpsc::sync_channel(1);
                scope.spawn(move || {
                    for b in (k..batches).step_by(threads) {
                        // The receiver is gone when writing failed: stop.
                        if parts.send(part(b)).is_err() {
                            return;
                        }
                    }
                });
                taken
            })
            .collect();
        for b in 0..batches {
            // A worker that panicked sent nothing more; the scope re-raises its panic.
            let Ok(bytes) = workers[b % workers.len()].recv() else {
                break;
            };
            out.write_all(&bytes?)?;
        }
        Ok(())
    })
}

/// A format made of a piece per finding and closing lines, so a stream of events is written as
/// it is read and nothing accumulates.
pub trait Streaming {
    /// The findings this format shows, in order; those it leaves out are counted in `hidden`.
    fn findings(
        &self,
        findings: &[Finding],
        sources: &SourceMap,
        ctx: &Context,
        hidden: &mut Hidden,
        out: &mut dyn Write,
    ) -> io::Result<()>;

    /// The closing lines: the summary line (✓ or ✗) and what was left out.
    fn close(
        &self,
        summary: &Summary,
        has_errors: bool,
        ctx: &Context,
        hidden: &Hidden,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mark = if has_errors { "✗" } else { "✓" };
        write!(
            out,
            "{mark} {}\n{}",
            ctx.summary_line(summary),
            hidden.lines()
        )
    }
}

/// A streaming format's whole report: its findings, then its closing lines.
impl<S: Streaming> Renderer for S {
    fn render(&self, report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
        let mut hidden = Hidden::default();
        self.findings(&report.findings, &report.sources, ctx, &mut hidden, out)?;
        self.close(&report.summary(), report.has_errors(), ctx, &hidden, out)
    }
    fn streaming(&self) -> Option<&dyn Streaming> {
        Some(self)
    }
}

/// The findings of one command with the files they point into.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub sources: SourceMap,
}

impl Report {
    /// A report with its findings in a stable order.
    pub fn new(mut findings: Vec<Finding>, sources: SourceMap) -> Report {
        crate::finding::sort_in_report_order(&mut findings);
        Report { findings, sources }
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// What a report is about, for the summary renderers print.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub subjects: Option<usize>,
    pub versions: Option<usize>,
    /// For `compat`: the mode and the verdict.
    pub compat: Option<(crate::compat::Mode, Option<bool>)>,
    /// The subjects checked, so reports that list passes (JUnit) can name clean ones.
    pub subject_names: Vec<String>,
    /// The registry root relative to the repository root (`events/` or empty), for renderers
    /// whose consumers resolve paths from the repository (GitHub annotations, SARIF).
    pub path_prefix: String,
    /// For `validate`: events read and events rejected.
    pub events: Option<(usize, usize)>,
}

impl Context {
    pub fn summary_line(&self, s: &Summary) -> String {
        let counts = {
            let mut parts = Vec::new();
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            if s.errors > 0 {
                parts.push(plural(s.errors, "error"));
            }
            if s.warnings > 0 {
                parts.push(plural(s.warnings, "warning"));
            }
            if s.infos > 0 {
                parts.push(plural(s.infos, "note"));
            }
            if parts.is_empty() {
                "no findings".to_string()
            } else {
                parts.join(", ")
            }
        };
        let scope = match (self.subjects, self.versions) {
            (Some(s), Some(v)) => format!(
                " in {s} subject{} ({v} version{})",
                if s == 1 { "" } else { "s" },
                if v == 1 { "" } else { "s" }
            ),
            _ => String::new(),
        };
        let allowed = if s.allowed > 0 {
            format!("; {} accepted by evreg.yaml `allow`", s.allowed)
        } else {
            String::new()
        };
        if let Some((n, rejected)) = self.events {
            let events = format!("{n} event{}", if n == 1 { "" } else { "s" });
            let rejected = if rejected > 0 {
                format!(", {rejected} rejected")
            } else {
                String::new()
            };
            return format!("{counts} in {events}{rejected}{allowed}");
        }
        match self.compat {
            Some((mode, Some(true))) => format!("compatible under {mode} ({counts}{allowed})"),
            Some((mode, Some(false))) => format!("incompatible under {mode}: {counts}{allowed}"),
            Some((_, None)) => format!("could not decide: {counts}"),
            None => format!("{counts}{scope}{allowed}"),
        }
    }
}

/// What the text renderers (human, concise) show in full; the rest is counted in the summary.
/// By default errors and warnings are shown, notes and accepted findings counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shown {
    /// Notes (`info` findings not accepted by `allow`).
    pub info: bool,
    /// Findings `evreg.yaml`'s `allow` list accepted.
    pub accepted: bool,
    /// No warnings (`--quiet`): they are counted too.
    pub errors_only: bool,
}

impl Shown {
    pub const ALL: Shown = Shown {
        info: true,
        accepted: true,
        errors_only: false,
    };

    /// Whether `f` is shown in full; what `--show` names is shown under `--quiet` too.
    pub fn shows(&self, f: &Finding) -> bool {
        if f.allowed.is_some() {
            return self.accepted;
        }
        match f.severity {
            Severity::Error => true,
            Severity::Warning => !self.errors_only,
            Severity::Info => self.info,
        }
    }
}

/// The findings a text renderer left out, by kind and (for notes) by rule, for the line that
/// says how to see them.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    warnings: usize,
    notes: BTreeMap<&'static str, usize>,
    accepted: usize,
}

impl Hidden {
    /// Count `f` when `shown` leaves it out; true when it is shown.
    pub fn admit(&mut self, shown: &Shown, f: &Finding) -> bool {
        if shown.shows(f) {
            return true;
        }
        if f.allowed.is_some() {
            self.accepted += 1;
        } else {
            match f.severity {
                Severity::Warning => self.warnings += 1,
                Severity::Info => *self.notes.entry(f.rule.id).or_default() += 1,
                Severity::Error => {}
            }
        }
        false
    }

    /// The lines (each ending in a newline) saying what was left out and how to see it.
    pub fn lines(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut out = String::new();
        if self.warnings > 0 {
            out.push_str(&format!(
                "  {} not shown (--quiet)\n",
                plural(self.warnings, "warning")
            ));
        }
        let notes: usize = self.notes.values().sum();
        if notes > 0 {
            let mut by_rule: Vec<(&str, usize)> =
                self.notes.iter().map(|(r, n)| (*r, *n)).collect();
            by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let mut rules: Vec<String> = by_rule
                .iter()
                .take(3)
                .map(|(r, n)| format!("{r} ×{n}"))
                .collect();
            if by_rule.len() > 3 {
                rules.push(format!("{} more rules", by_rule.len() - 3));
            }
            out.push_str(&format!(
                "  {} not shown ({}): see {} with --show info or --verbose\n",
                plural(notes, "note"),
                rules.join(", "),
                if notes == 1 { "it" } else { "them" }
            ));
        }
        if self.accepted > 0 {
            out.push_str(&format!(
                "  {} accepted by evreg.yaml `allow` not shown: see {} with --show accepted or --verbose\n",
                plural(self.accepted, "finding"),
                if self.accepted == 1 { "it" } else { "them" }
            ));
        }
        out
    }
}

/// The one report every renderer's snapshot test renders (as ruff tests its emitters): a
/// finding of every category at every severity, a pair with a counterexample in both files, an
/// accepted finding, findings without a place or without a span, in a registry under `events/`.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::finding::{Direction, Location};
    use crate::rules::{self, Rule};
    use crate::source::{SourceFile, Span};
    use std::sync::Arc;

    const V1: &str = "{\n  \"type\": \"record\",\n  \"name\": \"Placed\",\n  \"fields\": [\n    {\"name\": \"total\", \"type\": \"long\"}\n  ]\n}\n";
    const V2: &str = "{\n  \"type\": \"record\",\n  \"name\": \"Placed\",\n  \"fields\": [\n    {\"name\": \"total\", \"type\": \"string\"},\n    {\"name\": \"note\", \"type\": \"string\"}\n  ]\n}\n";
    const SUBJECT: &str = "shop.order.placed";

    fn at(file: &SourceFile, needle: &str, pointer: &str) -> Location {
        let start = file.text.find(needle).expect("the fixture holds it");
        Location::at(file, pointer, Some(Span::new(start, start + needle.len())))
    }

    fn of(rule: &'static Rule, message: &str, help: &'static str) -> Finding {
        Finding::new(rule, message, help).subject(SUBJECT)
    }

    pub fn context() -> Context {
        Context {
            subjects: Some(2),
            versions: Some(3),
            subject_names: vec![SUBJECT.into(), "shop.order.shipped".into()],
            path_prefix: "events/".into(),
            ..Context::default()
        }
    }

    pub fn report() -> Report {
        let v1 = SourceFile::new("schemas/shop.order.placed/v1.avsc", V1);
        let v2 = SourceFile::new("schemas/shop.order.placed/v2.avsc", V2);
        let pair = |rule, message: &str, direction| {
            let mut f = of(
                rule,
                message,
                "give the field its old type back, or add a version under a new subject",
            )
            .version(2)
            .at(at(&v2, "\"string\"", "/fields/0/type"));
            f.other_version = Some(1);
            f.other_location = Some(Box::new(at(&v1, "\"long\"", "/fields/0/type")));
            f.direction = Some(direction);
            f.path = Some("total".into());
            f
        };
        let mut mismatch = pair(
            &rules::AVRO_TYPE_MISMATCH,
            "`total` changed from long to string",
            Direction::Backward,
        );
        mismatch.example = Some(Box::new(serde_json::json!({"total": 5})));
        let mut accepted = pair(
            &rules::AVRO_FIELD_MISSING_DEFAULT,
            "field `note` (string) added without a default",
            Direction::Backward,
        );
        accepted.location = Some(at(
            &v2,
            "{\"name\": \"note\", \"type\": \"string\"}",
            "/fields/1",
        ));
        accepted.other_location = Some(Box::new(at(&v1, "\"fields\"", "/fields")));
        accepted.allowed = Some("no producer writes v1 any more".into());
        accepted.severity = Severity::Info;
        let logical = pair(
            &rules::AVRO_LOGICAL_TYPE_CHANGED,
            "`total` lost its logical type | <b>&amp;</b>",
            Direction::Forward,
        );
        let findings = vec![
            mismatch,
            accepted,
            logical,
            of(
                &rules::AVRO_DOC_MISSING,
                "record `Placed` has no doc",
                "add a \"doc\"",
            )
            .version(1)
            .at(at(&v1, "\"Placed\"", "/name")),
            of(
                &rules::AVRO_SCHEMA_INVALID,
                "unknown type `lnog`",
                "use a primitive or a named type",
            )
            .version(3)
            .at(Location {
                line: Some(5),
                column: Some(30),
                ..Location::file("schemas/shop.order.placed/v3.avsc")
            }),
            of(
                &rules::ENGINE_UNSUPPORTED,
                "the JSON engine does not decide `$dynamicRef`",
                "",
            )
            .version(2),
            Finding::new(
                &rules::ALLOW_UNUSED,
                "the allow entry for `shop.order.gone` matched nothing",
                "remove it",
            )
            .at(Location::file("evreg.yaml")),
            of(
                &rules::MODE_LOOSENED,
                "the mode went from FULL to BACKWARD",
                "restore FULL",
            ),
            of(
                &rules::INTEGRITY_RULE_LOWERED,
                "`avro-type-mismatch` lowered to warning",
                "keep it an error",
            ),
            Finding::new(
                &rules::LOCK_STALE,
                "evreg.lock lacks shop.order.shipped v1",
                "run `evreg lock`",
            ),
            of(
                &rules::ENGINE_DISAGREEMENT,
                "Apache Avro reads fixtures/ok.json, evreg does not",
                "report it",
            )
            .version(2)
            .at(Location::file("fixtures/shop.order.placed/ok.json")),
            of(
                &rules::FIXTURE_REPLAY_ERROR,
                "replay failed: \"bad\"\nsecond line",
                "",
            ),
            Finding::new(
                &rules::FIXTURE_MISSING,
                "shop.order.shipped has no fixture",
                "run `evreg fixture new`",
            ),
            Finding::new(
                &rules::ENVELOPE_FIELD_INVALID,
                "`version` is not a whole number",
                "write 1, 2, …",
            )
            .at(Location {
                line: Some(3),
                column: Some(1),
                ..Location::file("events.ndjson")
            }),
            Finding::new(
                &rules::ENVELOPE_UNKNOWN_FIELD,
                "unknown envelope field `vesrion`",
                "",
            )
            .at(Location {
                line: Some(4),
                column: Some(1),
                ..Location::file("events.ndjson")
            }),
        ];
        let mut sources = SourceMap::default();
        sources.insert(Arc::new(v1));
        sources.insert(Arc::new(v2));
        Report::new(findings, sources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    /// A writer that takes `room` bytes and then fails, as a closed pipe does.
    struct Closes {
        room: usize,
    }

    impl Write for Closes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn printing_in_order_keeps_the_order_and_stops_when_the_reader_goes() {
        let items: Vec<usize> = (0..BATCH * 7 + 3).collect();
        let line = |i: usize, item: &usize, buf: &mut Vec<u8>| {
            assert_eq!(i, *item);
            writeln!(buf, "{item}")
        };
        let mut out = Vec::new();
        print_in_order(&items, &mut out, line).unwrap();
        let expected: String = items.iter().map(|i| format!("{i}\n")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        // A reader that leaves after the first batches: an error, and every worker stops.
        let err = print_in_order(&items, &mut Closes { room: 10_000 }, line).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        // An item that fails to print is the error too.
        let failing = |i: usize, _: &usize, _: &mut Vec<u8>| {
            if i == BATCH * 3 {
                Err(io::Error::other("no"))
            } else {
                Ok(())
            }
        };
        assert!(print_in_order(&items, &mut Vec::new(), failing).is_err());
    }

    fn findings() -> Vec<Finding> {
        let mut accepted = Finding::new(&rules::AVRO_TYPE_MISMATCH, "m", "h");
        accepted.allowed = Some("migrated".into());
        accepted.severity = Severity::Info;
        vec![
            Finding::new(&rules::AVRO_TYPE_MISMATCH, "m", "h"),
            Finding::new(&rules::ALLOW_UNUSED, "m", "h"),
            Finding::new(&rules::AVRO_DOC_MISSING, "m", "h"),
            Finding::new(&rules::AVRO_DOC_MISSING, "m", "h"),
            Finding::new(&rules::FIXTURE_MISSING, "m", "h"),
            accepted,
        ]
    }

    fn shown(s: Shown) -> (Vec<&'static str>, String) {
        let mut hidden = Hidden::default();
        let ids = findings()
            .iter()
            .filter(|f| hidden.admit(&s, f))
            .map(|f| f.rule.id)
            .collect();
        (ids, hidden.lines())
    }

    #[test]
    fn notes_and_accepted_findings_are_counted_by_rule_unless_asked_for() {
        let (ids, lines) = shown(Shown::default());
        assert_eq!(ids, ["avro-type-mismatch", "allow-unused"]);
        assert_eq!(
            lines,
            "  3 notes not shown (avro-doc-missing ×2, fixture-missing ×1): see them with --show info or --verbose\n  \
             1 finding accepted by evreg.yaml `allow` not shown: see it with --show accepted or --verbose\n"
        );
        let (ids, lines) = shown(Shown::ALL);
        assert_eq!(ids.len(), 6);
        assert_eq!(lines, "");
    }

    #[test]
    fn quiet_keeps_errors_and_what_show_names() {
        let quiet = Shown {
            errors_only: true,
            ..Shown::default()
        };
        let (ids, lines) = shown(quiet);
        assert_eq!(ids, ["avro-type-mismatch"]);
        assert!(
            lines.starts_with("  1 warning not shown (--quiet)\n"),
            "{lines}"
        );
        let (ids, _) = shown(Shown {
            accepted: true,
            ..quiet
        });
        assert_eq!(ids, ["avro-type-mismatch", "avro-type-mismatch"]);
    }
}
