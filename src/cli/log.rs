use super::{Exit, Failure, Global};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The subject whose versions to trace.
    pub subject: String,
}

#[cfg(feature = "git")]
#[derive(serde::Serialize)]
struct Row<'a> {
    version: u32,
    file: &'a str,
    commit: Option<&'a str>,
    author: Option<&'a str>,
    email: Option<&'a str>,
    date: Option<String>,
    summary: Option<&'a str>,
    /// In a shallow clone: the commit is where the fetched history is cut, so the version may
    /// be older than it.
    history_cut: bool,
}

#[cfg(feature = "git")]
pub fn run(args: &Args, g: &Global) -> Result<Exit, Failure> {
    use super::{EXIT_OK, Output, print, to_json};
    let reg = g.registry()?;
    let subject = reg.subject(&args.subject).ok_or_else(|| {
        format!(
            "no subject `{}`\n  help: `evreg list` shows the subjects",
            args.subject
        )
    })?;
    let repo = crate::registry::git::Repo::open(&reg.root).map_err(|e| e.to_string())?;
    let paths: Vec<String> = subject
        .versions
        .iter()
        .map(|v| v.source.path.clone())
        .collect();
    let found = repo.introductions(&paths).map_err(|e| e.to_string())?;
    let rows: Vec<Row> = subject
        .versions
        .iter()
        .zip(&found)
        .map(|(v, c)| Row {
            version: v.number,
            file: &v.source.path,
            commit: c.as_ref().map(|c| c.id.as_str()),
            author: c.as_ref().map(|c| c.author.as_str()),
            email: c.as_ref().map(|c| c.email.as_str()),
            date: c.as_ref().map(|c| c.date()),
            summary: c.as_ref().map(|c| c.summary.as_str()),
            history_cut: c.as_ref().is_some_and(|c| c.history_cut),
        })
        .collect();
    if found.iter().flatten().any(|c| c.history_cut) {
        eprintln!(
            "note: this clone is shallow, so its history is cut; `git fetch --unshallow` fetches the rest, and then each version is credited to the commit that introduced it"
        );
    }
    match g.output {
        Output::Json => print(&to_json(&rows)),
        _ => {
            let mut out = String::new();
            for (row, c) in rows.iter().zip(&found) {
                match c {
                    Some(c) if c.history_cut => out.push_str(&format!(
                        "v{:<3} {} or earlier (the history is cut there: a shallow clone)\n",
                        row.version, c.short_id
                    )),
                    Some(c) => out.push_str(&format!(
                        "v{:<3} {}  {}  {:<20}  {}\n",
                        row.version,
                        c.short_id,
                        c.date(),
                        c.author,
                        c.summary
                    )),
                    None => out.push_str(&format!(
                        "v{:<3} (not committed yet)  {}\n",
                        row.version, row.file
                    )),
                }
            }
            print(&out);
        }
    }
    Ok(EXIT_OK)
}

#[cfg(not(feature = "git"))]
pub fn run(_args: &Args, _g: &Global) -> Result<Exit, Failure> {
    Err("this build of evreg has no git support (feature `git`)".into())
}
