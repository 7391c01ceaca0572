use super::{EXIT_OK, Exit, Failure, Global, Output, print, to_json};
use crate::registry::Registry;
use serde::Serialize;

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// SUBJECT or SUBJECT@N (default: the latest version).
    pub subject: String,
}

#[derive(Serialize)]
struct SubjectJson<'a> {
    subject: &'a str,
    format: Option<&'a str>,
    versions: Vec<u32>,
    latest: Option<u32>,
    compatibility: &'a str,
    owner: Option<&'a str>,
    description: Option<&'a str>,
}

pub fn list(g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let rows: Vec<SubjectJson> = reg
        .subjects
        .iter()
        .map(|s| SubjectJson {
            subject: &s.name,
            format: s.format.map(|f| f.name()),
            versions: s.versions.iter().map(|v| v.number).collect(),
            latest: s.latest().map(|v| v.number),
            compatibility: s.mode(&reg.settings).as_str(),
            owner: s.meta.owner.as_deref(),
            description: s.meta.description.as_deref(),
        })
        .collect();
    match g.output {
        Output::Json => print(&to_json(&rows)),
        _ => {
            let w = rows
                .iter()
                .map(|r| r.subject.len())
                .max()
                .unwrap_or(7)
                .max(7);
            let mut out = format!(
                "{:w$}  {:11}  {:8}  {:19}  {}\n",
                "SUBJECT", "FORMAT", "VERSIONS", "COMPATIBILITY", "OWNER"
            );
            for r in &rows {
                out.push_str(&format!(
                    "{:w$}  {:11}  {:8}  {:19}  {}\n",
                    r.subject,
                    r.format.unwrap_or("-"),
                    r.latest
                        .map(|n| format!("v1..v{n}"))
                        .unwrap_or_else(|| "-".into()),
                    r.compatibility,
                    r.owner.unwrap_or("-")
                ));
            }
            if rows.is_empty() {
                out.push_str("(no subjects yet: `evreg add SUBJECT FILE` registers one)\n");
            }
            print(&out);
        }
    }
    Ok(EXIT_OK)
}

/// `orders.order.placed@2` → ("orders.order.placed", Some(2)).
pub fn parse_subject_ref(s: &str) -> Result<(&str, Option<u32>), Failure> {
    match s.rsplit_once('@') {
        None => Ok((s, None)),
        Some((name, n)) => {
            let n = n.strip_prefix('v').unwrap_or(n);
            match n.parse::<u32>() {
                Ok(v) if v >= 1 => Ok((name, Some(v))),
                _ => Err(format!(
                    "`{s}`: the version after @ must be a whole number from 1, e.g. {name}@2"
                )),
            }
        }
    }
}

pub fn show(args: &ShowArgs, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let (name, number) = parse_subject_ref(&args.subject)?;
    let subject = reg.subject(name).ok_or_else(|| {
        let hint = crate::suggest::hint(
            name,
            reg.subjects.iter().map(|s| s.name.as_str()),
            "`evreg list` shows the subjects",
        );
        format!(
            "no subject `{name}` in {}\n  help: {hint}",
            Registry::subject_dir("")
        )
    })?;
    let version = match number {
        Some(n) => subject.version(n).ok_or_else(|| {
            format!(
                "`{name}` has no version {n}; it has v1..v{}",
                subject.latest().map_or(0, |v| v.number)
            )
        })?,
        None => subject
            .latest()
            .ok_or_else(|| format!("`{name}` has no versions yet"))?,
    };
    match g.output {
        Output::Json => {
            #[derive(Serialize)]
            struct ShowJson<'a> {
                subject: &'a str,
                version: u32,
                latest: u32,
                format: &'a str,
                file: &'a str,
                compatibility: &'a str,
                owner: Option<&'a str>,
                schema: serde_json::Value,
            }
            let schema =
                serde_json::from_str(&version.source.text).unwrap_or(serde_json::Value::Null);
            print(&to_json(&ShowJson {
                subject: &subject.name,
                version: version.number,
                latest: subject.latest().map_or(0, |v| v.number),
                format: version.format.name(),
                file: &version.source.path,
                compatibility: subject.mode(&reg.settings).as_str(),
                owner: subject.meta.owner.as_deref(),
                schema,
            }));
        }
        _ => {
            let mut out = format!(
                "# {} v{} of {} ({}, {}{})\n# {}\n",
                subject.name,
                version.number,
                subject.latest().map_or(0, |v| v.number),
                version.format.name(),
                subject.mode(&reg.settings),
                subject
                    .meta
                    .owner
                    .as_deref()
                    .map(|o| format!(", owner {o}"))
                    .unwrap_or_default(),
                version.source.path
            );
            out.push_str(&version.source.text);
            if !out.ends_with('\n') {
                out.push('\n');
            }
            print(&out);
        }
    }
    Ok(EXIT_OK)
}
