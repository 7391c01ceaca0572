//! `evreg publish`: bring a remote Schema Registry up to date with git.

use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global};
use crate::remote::client;
use crate::remote::publish;
use crate::remote::state::State;

#[derive(clap::Args, Debug)]
#[command(after_help = super::remote::CREDENTIALS)]
pub struct Args {
    #[command(flatten)]
    pub remote: super::remote::Remote,
    /// Print the plan and write nothing; exit 1 when the remote has drifted from git.
    #[arg(long)]
    pub dry_run: bool,
    /// Register git's missing versions despite drift (the remote's own versions stay: nothing is
    /// ever deleted).
    #[arg(long)]
    pub force: bool,
    /// Subjects to publish, by evreg or served name (default: all); the shared files they
    /// reference come along.
    pub subjects: Vec<String>,
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let state = State::build(&reg, false)?;
    let client = args.remote.client()?;
    let subjects = publish::order(&state, &args.subjects)?;
    let mut plans = Vec::new();
    for s in &subjects {
        let plan = publish::plan_subject(&state, s, &client).map_err(|e| {
            format!(
                "{}: {e}\n  help: check --url and the credentials ({}/{} or {})",
                s.name,
                client::ENV_USER,
                client::ENV_PASSWORD,
                client::ENV_TOKEN
            )
        })?;
        plans.push(plan);
    }
    let drifted = plans.iter().filter(|p| !p.drift.is_empty()).count();
    let mut out = String::new();
    for p in &plans {
        out.push_str(&describe(p));
    }
    let versions: usize = plans.iter().map(|p| p.register.len()).sum();
    let levels = plans.iter().filter(|p| p.level.is_some()).count();
    let todo = plans.iter().filter(|p| !p.is_noop()).count();
    if drifted > 0 {
        out.push_str(&format!(
            "drift: the remote differs from git in {drifted} subject{}\n",
            plural(drifted)
        ));
    }
    if todo == 0 && drifted > 0 {
        out.push_str("nothing to register or set\n");
    } else if todo == 0 {
        out.push_str(&format!(
            "the remote is up to date: nothing to do ({} subject{})\n",
            plans.len(),
            plural(plans.len())
        ));
    } else {
        out.push_str(&format!(
            "{} {versions} version{} to register and {levels} level{} to set in {todo} subject{}\n",
            if args.dry_run { "plan:" } else { "publishing:" },
            plural(versions),
            plural(levels),
            plural(todo)
        ));
    }
    super::print(&out);
    if drifted > 0 && (args.dry_run || !args.force) {
        if !args.dry_run {
            eprintln!(
                "nothing written: the remote has drifted from git\n  help: make them agree (bring the remote's versions into git with `evreg import`, or correct the remote), or pass --force to register git's missing versions anyway (nothing is deleted)"
            );
        }
        return Ok(EXIT_FINDINGS);
    }
    if args.dry_run || todo == 0 {
        return Ok(EXIT_OK);
    }
    if drifted > 0 {
        eprintln!(
            "--force: registering git's missing versions despite the drift above; the remote keeps its own versions, so its version numbers may differ from git's"
        );
    }
    let mut failed = 0;
    for p in plans.iter().filter(|p| !p.is_noop()) {
        match publish::apply(p, &client) {
            Ok(lines) => {
                let level = p
                    .level
                    .as_ref()
                    .map(|(_, l)| format!("level {l}"))
                    .into_iter();
                let all: Vec<String> = level.chain(lines).collect();
                eprintln!("{}: {}", p.subject, all.join(", "));
            }
            Err(e) => {
                failed += 1;
                eprintln!("{}: failed: {e}", p.subject);
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "{failed} subject{} not published; the rest was",
            plural(failed)
        );
        return Ok(if failed == todo {
            EXIT_FAILURE
        } else {
            EXIT_FINDINGS
        });
    }
    eprintln!("published {versions} version{}", plural(versions));
    Ok(EXIT_OK)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A subject's plan in a line (and its drift below it).
fn describe(p: &publish::SubjectPlan) -> String {
    let mut parts = Vec::new();
    if !p.register.is_empty() {
        let vs: Vec<String> = p.register.iter().map(|(n, ..)| format!("v{n}")).collect();
        parts.push(format!("register {}", vs.join(", ")));
    }
    if let Some((remote, local)) = &p.level {
        parts.push(format!(
            "set level {local} (remote: {})",
            remote.as_deref().unwrap_or("the registry's default")
        ));
    }
    let mut line = if parts.is_empty() && p.drift.is_empty() {
        format!(
            "{}: up to date ({} version{})\n",
            p.subject,
            p.same,
            plural(p.same)
        )
    } else if parts.is_empty() {
        format!("{}: nothing to register\n", p.subject)
    } else {
        format!("{}: {}\n", p.subject, parts.join("; "))
    };
    for d in &p.drift {
        line.push_str(&format!("  drift: {d}\n"));
    }
    line
}
