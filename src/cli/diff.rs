use super::{EXIT_FINDINGS, EXIT_OK, Exit, Failure, Global, Output, print, to_json};
use crate::diff::{Family, Verdict, VersionDiff, diff_subject};
use crate::finding::{Direction, Finding, Severity};
use crate::registry::{Registry, Subject};

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
        let have: Vec<String> = s
            .versions
            .iter()
            .map(|v| format!("v{}", v.number))
            .collect();
        format!(
            "`{}` has no version {n}; it has {}",
            s.name,
            if have.is_empty() {
                "none".to_string()
            } else {
                have.join(", ")
            }
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
    version(s, a)?;
    version(s, b)?;
    diff_subject(reg, s, a, b).ok_or_else(|| format!("`{name}` has no v{a} or v{b}"))
}

#[cfg(feature = "git")]
fn against(reg: &Registry, reference: &str) -> Result<Vec<VersionDiff>, Failure> {
    use crate::diff::{Judge, Side, diff_versions};
    use crate::schema::json::FileProvider;
    let repo = crate::registry::git::Repo::open(&reg.root).map_err(|e| e.to_string())?;
    let base = repo.registry_at(reference).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let (then_files, now_files) = (
        FileProvider::in_memory(base.root.clone(), base.all_files()),
        FileProvider::in_memory(reg.root.clone(), reg.all_files()),
    );
    // A published version differs when its text does or when a file its references reach does.
    let (then_refs, now_refs) = (
        crate::integrity::files_of(&base),
        crate::integrity::files_of(reg),
    );
    fn side<'a>(
        label: String,
        version: Option<&'a crate::registry::Version>,
        files: &'a FileProvider,
    ) -> Side<'a> {
        Side {
            label,
            version,
            files,
        }
    }
    let then = |label: &str, version| side(format!("{reference}:{label}"), version, &then_files);
    let now = |label: &str, version| side(label.to_string(), version, &now_files);
    for s in &reg.subjects {
        let Some(latest) = s.latest() else { continue };
        let judge = Judge::of(reg, s);
        let old = base.subject(&s.name);
        // Published versions edited in place come first: they are the worst news.
        for v in &s.versions {
            if let Some(was) = old.and_then(|o| o.version(v.number))
                && (was.source.text != v.source.text
                    || crate::integrity::fingerprint(&then_refs, was)
                        != crate::integrity::fingerprint(&now_refs, v))
            {
                let label = format!("v{}", v.number);
                let d = diff_versions(&judge, then(&label, Some(was)), now(&label, Some(v)));
                // Layout alone (whitespace, key order) is not news.
                if !d.text_diff.is_empty() || !d.changes.is_empty() {
                    out.push(d);
                }
            }
        }
        match old.and_then(|o| o.latest()) {
            Some(was) if was.number < latest.number => out.push(diff_versions(
                &judge,
                then(&format!("v{}", was.number), Some(was)),
                now(&format!("v{}", latest.number), Some(latest)),
            )),
            Some(_) => {}
            None => out.push(diff_versions(
                &judge,
                then("(none)", None),
                now(&format!("v{}", latest.number), Some(latest)),
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
    // As `check` exits for the same pairs: 1 when one breaks its subject's mode, or cannot be
    // compared because a version is not a valid schema (an error `check` reports too).
    Ok(
        if diffs
            .iter()
            .any(|d| d.breaking || d.verdict == crate::diff::Verdict::Undecided)
        {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        },
    )
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
        let verdict = match d.verdict {
            Verdict::Breaking => paint("1;31", "breaking"),
            Verdict::Compatible => paint("32", "compatible"),
            Verdict::Undecided => paint("1;33", "undecided"),
        };
        out.push_str(&format!(
            "{} {} → {} ({}): {verdict}\n",
            paint("1", &d.subject),
            d.from,
            d.to,
            d.mode
        ));
        for p in &d.problems {
            out.push_str(&format!("  {} {p}\n", paint("33", "!")));
        }
        if d.verdict != Verdict::Undecided && d.changes.is_empty() {
            let none = if d.from.ends_with("(none)") {
                "  a new subject: nothing to be compatible with\n"
            } else if d.text_diff.is_empty() {
                "  no change\n"
            } else {
                "  no semantic change\n"
            };
            out.push_str(none);
        }
        let mut families: Vec<Family> = d.changes.iter().map(|c| c.family).collect();
        families.sort();
        families.dedup();
        for family in families {
            out.push_str(&format!("  {}\n", paint("1", family.label())));
            for c in d.changes.iter().filter(|c| c.family == family) {
                let mark = if c.breaking {
                    paint("31", "✗")
                } else {
                    " ".to_string()
                };
                let at = if c.removed() {
                    format!(" at {} {}", d.from, c.old_pointer)
                } else if c.pointer.is_empty() {
                    String::new()
                } else if d.file.as_deref() == Some(c.file.as_str()) {
                    format!(" at {}", c.pointer)
                } else {
                    format!(" at {}#{}", c.file, c.pointer)
                };
                out.push_str(&format!(
                    "    {mark} {}{}  ({}{at})\n",
                    c.message,
                    tags(&c.findings),
                    c.kind
                ));
            }
        }
        if !d.other_findings.is_empty() {
            out.push_str(&format!(
                "  {}\n",
                paint("1", "other findings of the compatibility check")
            ));
            for f in &d.other_findings {
                let mark = if f.severity == Severity::Error {
                    paint("31", "✗")
                } else {
                    " ".to_string()
                };
                out.push_str(&format!(
                    "    {mark} {}{}\n",
                    f.message,
                    tags(std::slice::from_ref(f))
                ));
            }
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

/// `  [breaks backward: rule-a; warning forward: rule-b]`: what the engine said about a change.
fn tags(findings: &[Finding]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for dir in [Direction::Backward, Direction::Forward] {
        let name = match dir {
            Direction::Backward => "backward",
            Direction::Forward => "forward",
        };
        for f in findings.iter().filter(|f| f.direction == Some(dir)) {
            let how = match (&f.allowed, f.severity) {
                (Some(reason), _) => format!("breaks {name}, allowed: {reason}"),
                (None, Severity::Error) => format!("breaks {name}"),
                (None, Severity::Warning) => format!("warning {name}"),
                (None, Severity::Info) => format!("note {name}"),
            };
            let tag = format!("{how}: {}", f.rule.id);
            if !parts.contains(&tag) {
                parts.push(tag);
            }
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  [{}]", parts.join("; "))
    }
}
