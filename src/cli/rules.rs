use super::{EXIT_OK, Exit, Failure, Global, Output, print, to_json};
use crate::rules::{self, Rule};
use serde::Serialize;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A rule id, e.g. avro-field-missing-default (`evreg rules` lists them).
    pub rule: String,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    category: &'a str,
    severity: &'a str,
    /// False for a rule that is off unless evreg.yaml turns it on (`severity` is its level then).
    on_by_default: bool,
    summary: &'a str,
    explanation: &'a str,
    bad: &'a str,
    good: &'a str,
}

fn json(r: &Rule) -> RuleJson<'_> {
    RuleJson {
        id: r.id,
        category: r.category.as_str(),
        severity: r.severity.as_str(),
        on_by_default: !r.opt_in,
        summary: r.summary,
        explanation: r.explanation,
        bad: r.bad,
        good: r.good,
    }
}

pub fn list(g: &Global) -> Result<Exit, Failure> {
    match g.output {
        Output::Json => print(&to_json(
            &rules::ALL.iter().map(|r| json(r)).collect::<Vec<_>>(),
        )),
        _ => {
            let width = rules::ALL.iter().map(|r| r.id.len()).max().unwrap_or(0);
            let mut out = String::new();
            for r in rules::ALL {
                out.push_str(&format!(
                    "{:width$}  {:13}  {:7}  {}\n",
                    r.id,
                    r.category.as_str(),
                    r.default_label(),
                    r.summary
                ));
            }
            out.push_str("\n`evreg explain RULE` shows one with examples; evreg.yaml `rules:` changes a severity, turns a rule off, or turns on one that is off by default.\n");
            print(&out);
        }
    }
    Ok(EXIT_OK)
}

pub fn explain(args: &ExplainArgs, g: &Global) -> Result<Exit, Failure> {
    let rule = rules::by_id(&args.rule).ok_or_else(|| {
        let hint = crate::suggest::hint(
            &args.rule,
            rules::ALL.iter().map(|r| r.id),
            "`evreg rules` lists every rule",
        );
        format!("unknown rule `{}`\n  help: {hint}", args.rule)
    })?;
    match g.output {
        Output::Json => print(&to_json(&json(rule))),
        _ => {
            let indent = |s: &str| s.lines().map(|l| format!("    {l}\n")).collect::<String>();
            print(&format!(
                "{} ({}, {})\n\n{}\n\n{}\n\nBad:\n{}\nGood:\n{}",
                rule.id,
                rule.category.as_str(),
                rule.default_text(),
                rule.summary,
                rule.explanation,
                indent(rule.bad),
                indent(rule.good)
            ));
        }
    }
    Ok(EXIT_OK)
}
