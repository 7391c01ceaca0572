//! `--output sarif`: SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning and others).
//! Every rule of the catalogue is listed with its help; results point into the files.

use super::{Context, Renderer, Report};
use crate::finding::{Finding, Location, Severity};
use crate::rules;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The SARIF format; paths read from the repository root (`Context::path_prefix`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where each rule is documented: the catalogue in the project's repository.
pub fn help_uri(rule_id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{rule_id}",
        env!("CARGO_PKG_REPOSITORY")
    )
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn location(loc: &Location, message: Option<String>, prefix: &str) -> Value {
    let mut region = serde_json::Map::new();
    if let Some(line) = loc.line {
        region.insert("startLine".into(), json!(line));
    }
    if let Some(col) = loc.column {
        region.insert("startColumn".into(), json!(col));
    }
    let mut physical = json!({"artifactLocation": {"uri": format!("{prefix}{}", loc.file), "uriBaseId": "%SRCROOT%"}});
    if !region.is_empty() {
        physical["region"] = Value::Object(region);
    }
    let mut out = json!({"physicalLocation": physical});
    if !loc.pointer.is_empty() {
        out["logicalLocations"] = json!([{"fullyQualifiedName": loc.pointer, "kind": "member"}]);
    }
    if let Some(text) = message {
        out["message"] = json!({"text": text});
    }
    out
}

fn result(f: &Finding, prefix: &str) -> Value {
    let index = rules::ALL
        .iter()
        .position(|r| r.id == f.rule.id)
        .unwrap_or(0);
    let mut text = f.message.clone();
    if let Some(s) = &f.subject {
        let versions = match (f.version, f.other_version) {
            (Some(v), Some(o)) => format!(" v{v}/v{o}"),
            (Some(v), None) => format!(" v{v}"),
            _ => String::new(),
        };
        text = format!("{s}{versions}: {text}");
    }
    if !f.help.is_empty() {
        text.push_str(&format!(" Help: {}", f.help));
    }
    let mut r = json!({
        "ruleId": f.rule.id,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": text},
    });
    if let Some(loc) = &f.location {
        r["locations"] = json!([location(loc, None, prefix)]);
    }
    if let Some(other) = &f.other_location {
        let label = f
            .other_version
            .map(|v| format!("the same place in v{v}"))
            .unwrap_or_else(|| "the other version".into());
        // A baseline's file is named `REV:path`: the path is in the repository, as it was at REV.
        let at_revision = (f.category() == crate::finding::Category::Integrity)
            .then(|| crate::integrity::split_revision(&other.file))
            .flatten();
        let mut rel = match at_revision {
            Some((revision, path)) => {
                let mut plain = other.clone();
                plain.file = path.to_string();
                let mut rel = location(&plain, Some(format!("as it is at {revision}")), prefix);
                rel["properties"] = json!({"revision": revision});
                rel
            }
            None => location(other, Some(label), prefix),
        };
        rel["id"] = json!(0);
        r["relatedLocations"] = json!([rel]);
    }
    if let Some(reason) = &f.allowed {
        r["suppressions"] = json!([{"kind": "external", "justification": reason}]);
    }
    let mut props = serde_json::Map::new();
    props.insert("category".into(), json!(f.category().as_str()));
    if let Some(s) = &f.subject {
        props.insert("subject".into(), json!(s));
    }
    if let Some(p) = &f.path {
        props.insert("path".into(), json!(p));
    }
    r["properties"] = Value::Object(props);
    r
}

impl Renderer for Sarif {
    fn render(&self, report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
        // The results are spliced into the log's outline, one at a time on every core: a report
        // of thousands of findings is never one tree of values in memory.
        let outline = serde_json::to_vec_pretty(&log())?;
        let prefix = ctx.path_prefix.as_str();
        super::json::write_spliced(&outline, "results", &report.findings, out, |f, buf| {
            serde_json::to_writer_pretty(buf, &result(f, prefix)).map_err(io::Error::from)
        })?;
        out.write_all(b"\n")
    }
}

/// A rule's level when it runs; an opt-in rule is also marked as not enabled unless configured.
fn default_configuration(r: &rules::Rule) -> Value {
    if r.opt_in {
        json!({"level": level(r.severity), "enabled": false})
    } else {
        json!({"level": level(r.severity)})
    }
}

/// The SARIF log with an empty list of results: the catalogue as the tool's rules.
fn log() -> Value {
    let rule_list: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.explanation},
                "help": {
                    "text": format!("{}\n\nBad:\n{}\n\nGood:\n{}", r.explanation, r.bad, r.good),
                    "markdown": format!("{}\n\n**Bad**\n\n```\n{}\n```\n\n**Good**\n\n```\n{}\n```", r.explanation, r.bad, r.good),
                },
                "helpUri": help_uri(r.id),
                "defaultConfiguration": default_configuration(r),
                "properties": {"category": r.category.as_str()},
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "evreg",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rule_list,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the root of the git work tree holding the registry (the registry's own folder outside git); every uri is relative to it"}}},
            "results": [],
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn renders_the_fixed_report() {
        let text = Sarif.render_to_string(&fixture::report(), &fixture::context());
        let log: Value = serde_json::from_str(&text).unwrap();
        // The catalogue is listed whole; the results are the snapshot.
        let listed = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(listed.len(), rules::ALL.len());
        // An opt-in rule is listed as not enabled by default, every other one as enabled.
        for (r, listed) in rules::ALL.iter().zip(listed) {
            let enabled = listed["defaultConfiguration"]["enabled"]
                .as_bool()
                .unwrap_or(true);
            assert_eq!(enabled, !r.opt_in, "{}", r.id);
        }
        assert!(rules::ALL.iter().any(|r| r.opt_in));
        insta::assert_json_snapshot!(log["runs"][0]["results"]);
    }

    #[test]
    fn results_written_in_batches_read_as_the_whole_log_printed_at_once() {
        let one = fixture::report();
        let ctx = fixture::context();
        for n in [0, 2, super::super::json::tests::MANY] {
            let mut report = one.clone();
            report.findings = one.findings.iter().cycle().take(n).cloned().collect();
            let mut whole = log();
            whole["runs"][0]["results"] = report
                .findings
                .iter()
                .map(|f| result(f, &ctx.path_prefix))
                .collect();
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(
                Sarif.render_to_string(&report, &ctx),
                expected,
                "{n} results"
            );
        }
    }
}
