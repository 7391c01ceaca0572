use super::{EXIT_OK, Exit, Failure, Global, Output, print, to_json};
use crate::diff::{VersionDiff, diff_versions};
use crate::registry::{Registry, Subject};
use crate::schema::json::FileProvider;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The subject to diff (default versions: the last two). Omit with --against.
    #[arg(required_unless_present = "against")]
    pub subject: Option<String>,
    /// The older version (default: the one before B).
    pub a: Option<u32>,
    /// The newer version (default: the latest).
    pub b: Option<u32>,
    /// Diff every subject that changed since this git ref.
    #[arg(long, value_name = "REF", conflicts_with_all = ["subject", "a", "b"])]
    pub against: Option<String>,
}

fn version(s: &Subject, n: u32) -> Result<&crate::registry::Version, Failure> {
    s.version(n).ok_or_else(|| {
        format!(
            "`{}` has no version {n}; it has v1..v{}",
            s.name,
            s.latest().map_or(0, |v| v.number)
        )
    })
}

fn subject_diff(reg: &Registry, args: &Args, name: &str) -> Result<VersionDiff, Failure> {
    let s = reg
        .subject(name)
        .ok_or_else(|| format!("no subject `{name}`\n  help: `evreg list` shows the subjects"))?;
    let latest = s.latest().map_or(0, |v| v.number);
    let b = args.b.unwrap_or(latest);
    let a = match args.a {
        Some(a) => a,
        None if b > 1 => b - 1,
        None => {
            return Err(format!(
                "`{name}` has only v1; there is nothing to diff it with"
            ));
        }
    };
    let (va, vb) = (version(s, a)?, version(s, b)?);
    let format = s.format.unwrap_or(va.format);
    let files = FileProvider::in_memory(reg.root.clone(), reg.all_files());
    let shared = files.avro_shared();
    Ok(diff_versions(
        &s.name,
        s.mode(&reg.settings),
        format,
        (&format!("v{a}"), &va.source, shared),
        (&format!("v{b}"), &vb.source, shared),
    ))
}

#[cfg(feature = "git")]
fn against(reg: &Registry, reference: &str) -> Result<Vec<VersionDiff>, Failure> {
    let repo = crate::registry::git::Repo::open(&reg.root).map_err(|e| e.to_string())?;
    let base = repo.registry_at(reference).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let empty = crate::source::SourceFile::new("", "");
    let (then_files, now_files) = (
        FileProvider::in_memory(base.root.clone(), base.all_files()),
        FileProvider::in_memory(reg.root.clone(), reg.all_files()),
    );
    let (then, now_shared) = (then_files.avro_shared(), now_files.avro_shared());
    for s in &reg.subjects {
        let Some(now) = s.latest() else { continue };
        let format = s.format.unwrap_or(now.format);
        let mode = s.mode(&reg.settings);
        let old = base.subject(&s.name);
        // Published versions edited in place come first: they are the worst news.
        for v in &s.versions {
            if let Some(was) = old.and_then(|o| o.version(v.number))
                && was.source.text != v.source.text
            {
                let label = format!("{reference}:v{}", v.number);
                let d = diff_versions(
                    &s.name,
                    mode,
                    format,
                    (&label, &was.source, then),
                    (&format!("v{}", v.number), &v.source, now_shared),
                );
                if !d.text_diff.is_empty() {
                    out.push(d);
                }
            }
        }
        match old.and_then(|o| o.latest()) {
            Some(was) if was.number < now.number => {
                out.push(diff_versions(
                    &s.name,
                    mode,
                    format,
                    (&format!("{reference}:v{}", was.number), &was.source, then),
                    (&format!("v{}", now.number), &now.source, now_shared),
                ));
            }
            Some(_) => {}
            None => out.push(diff_versions(
                &s.name,
                mode,
                format,
                (&format!("{reference}:(none)"), &empty, then),
                (&format!("v{}", now.number), &now.source, now_shared),
            )),
        }
    }
    Ok(out)
}

#[cfg(not(feature = "git"))]
fn against(_reg: &Registry, _reference: &str) -> Result<Vec<VersionDiff>, Failure> {
    Err("this build of evreg has no git support (feature `git`)".into())
}

pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let diffs = match (&args.against, &args.subject) {
        (Some(reference), _) => against(&reg, reference)?,
        (None, Some(name)) => vec![subject_diff(&reg, args, name)?],
        (None, None) => unreachable!("clap requires SUBJECT unless --against"),
    };
    match g.output {
        Output::Json => print(&to_json(&serde_json::json!({ "diffs": diffs }))),
        _ => print(&human(&diffs, g.color())),
    }
    Ok(EXIT_OK)
}

fn human(diffs: &[VersionDiff], color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    if diffs.is_empty() {
        return "no subject changed\n".to_string();
    }
    let mut out = String::new();
    for d in diffs {
        let verdict = if d.breaking {
            paint("1;31", "breaking")
        } else {
            paint("32", "compatible")
        };
        out.push_str(&format!(
            "{} {} → {} ({}): {verdict}\n",
            paint("1", &d.subject),
            d.from,
            d.to,
            d.mode
        ));
        for c in &d.changes {
            let mut dirs = Vec::new();
            if c.breaks_backward {
                dirs.push("backward");
            }
            if c.breaks_forward {
                dirs.push("forward");
            }
            let mark = if c.breaking_under(d.mode.parse().unwrap_or(crate::Mode::Backward)) {
                paint("31", "✗")
            } else {
                " ".to_string()
            };
            let breaks = if dirs.is_empty() {
                String::new()
            } else {
                format!(" [breaks {}]", dirs.join(" and "))
            };
            out.push_str(&format!("  {mark} {}{breaks}  ({})\n", c.message, c.kind));
        }
        if !d.text_diff.is_empty() {
            out.push('\n');
            for line in d.text_diff.lines() {
                let styled = match line.as_bytes().first() {
                    Some(b'+') if !line.starts_with("+++") => paint("32", line),
                    Some(b'-') if !line.starts_with("---") => paint("31", line),
                    Some(b'@') => paint("36", line),
                    _ => line.to_string(),
                };
                out.push_str(&styled);
                out.push('\n');
            }
        }
        out.push('\n');
    }
    out
}
