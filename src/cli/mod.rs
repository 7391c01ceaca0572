//! The command line: arguments in, a library call, a report out. One file per subcommand.

mod add;
mod check;
mod codegen;
mod compat;
mod completions;
mod diff;
mod fixture;
mod hook;
mod import;
mod init;
mod list;
mod lock;
mod log;
mod publish;
mod remote;
mod rules;
mod serve;
mod validate;

use crate::registry::{LoadError, Registry};
use crate::report::{self, Context, Renderer, Report};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Keep versioned event schemas (Avro, JSON Schema) in git and guard their contracts.
#[derive(Parser, Debug)]
#[command(name = "evreg", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Report format.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = Output::Human, env = "EVREG_OUTPUT")]
    pub output: Output,
    /// Colour in human output. auto: on a terminal, or anywhere when FORCE_COLOR or
    /// CLICOLOR_FORCE is set (CI logs); off when NO_COLOR is set. always/never override both.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Human and concise output: show every finding, notes and accepted ones included (by default
    /// they are counted in the summary).
    #[arg(long, short = 'v', global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Human and concise output: also show these findings in full (`info` notes, `accepted` by
    /// evreg.yaml's allow list).
    #[arg(
        long,
        global = true,
        value_enum,
        value_delimiter = ',',
        value_name = "WHAT"
    )]
    pub show: Vec<Show>,
    /// Human and concise output: errors only (and what --show names), then the summary.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// The registry root (default: the nearest folder upwards holding evreg.yaml).
    #[arg(
        long,
        short = 'C',
        global = true,
        value_name = "DIR",
        env = "EVREG_REGISTRY"
    )]
    pub registry: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Diagnostics with source snippets and a summary line.
    Human,
    /// One line per finding, `path:line:col: severity rule: message`, then the summary.
    Concise,
    /// A stable JSON document (schemas/evreg-report.schema.json).
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: a test suite per subject, a test case per check.
    Junit,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// A Markdown table of errors and warnings, for a CI job summary or a pull-request comment.
    Markdown,
}

/// Findings the text outputs count by default and show when asked.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Notes: findings at `info` severity.
    Info,
    /// Findings accepted by evreg.yaml's `allow` list.
    Accepted,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scaffold a registry: evreg.yaml, schemas/, fixtures/ and a CI workflow example.
    Init(init::Args),
    /// List the registry's subjects with format, versions, mode and owner.
    List,
    /// Show one version of a subject (the latest unless SUBJECT@N).
    Show(list::ShowArgs),
    /// Register FILE as the next version of SUBJECT, only if the subject's mode accepts it.
    Add(add::Args),
    /// Compare two schema files under a mode; no registry needed.
    Compat(compat::Args),
    /// Check the registry: layout, schema validity, lint, compatibility of every version and
    /// evreg.lock; with --against REF, also that published versions are unchanged since REF.
    Check(check::Args),
    /// What changed between two versions (default: the last two), or in every subject since a
    /// git ref: a semantic change list, each marked breaking or not, and a text diff. Exits 1
    /// when a pair breaks its subject's mode or a version is not a valid schema.
    Diff(diff::Args),
    /// Git hooks: `evreg hook install` runs `evreg check --staged` before every commit.
    #[command(subcommand)]
    Hook(hook::HookCommand),
    /// Record the fingerprint of every version in evreg.lock (refuses if a locked version changed).
    Lock(lock::Args),
    /// Show the commit, author and date that introduced each version of a subject.
    Log(log::Args),
    /// Validate sample events (envelope and payload): the registry's fixtures, or event files and
    /// streams routed by their envelope.
    Validate(validate::Args),
    /// Sample events: `evreg fixture new SUBJECT[@N]` writes a valid example to start from.
    #[command(subcommand)]
    Fixture(fixture::FixtureCommand),
    /// Generate code from the schemas: `evreg codegen rust [--out FILE] [SUBJECT…]`.
    Codegen(codegen::Args),
    /// List the rule catalogue.
    Rules,
    /// Explain one rule, with a bad and a good example.
    Explain(rules::ExplainArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(completions::Args),
    /// Print the manual page (roff), e.g. `evreg man > ~/.local/share/man/man1/evreg.1`.
    Man,
    /// Serve the registry over the Schema Registry REST API (read-only unless --writable).
    Serve(serve::Args),
    /// Bring a remote Schema Registry up to date with git: register missing versions, set
    /// levels, never delete; drift is an error.
    Publish(publish::Args),
    /// Write a remote Schema Registry's subjects into the registry, then report what `check`
    /// finds in them.
    Import(import::Args),
}

/// What ends a command: its exit code (0 clean, 1 error findings, 2 could not run).
pub type Exit = u8;

pub const EXIT_OK: Exit = 0;
pub const EXIT_FINDINGS: Exit = 1;
pub const EXIT_FAILURE: Exit = 2;

pub fn run(cli: Cli) -> Exit {
    let g = &cli.global;
    let result = match &cli.command {
        Command::Init(a) => init::run(a, g),
        Command::List => list::list(g),
        Command::Show(a) => list::show(a, g),
        Command::Add(a) => add::run(a, g),
        Command::Compat(a) => compat::run(a, g),
        Command::Check(a) => check::run(a, g),
        Command::Diff(a) => diff::run(a, g),
        Command::Hook(a) => hook::run(a, g),
        Command::Lock(a) => lock::run(a, g),
        Command::Log(a) => log::run(a, g),
        Command::Validate(a) => validate::run(a, g),
        Command::Fixture(a) => fixture::run(a, g),
        Command::Codegen(a) => codegen::run(a, g),
        Command::Rules => rules::list(g),
        Command::Explain(a) => rules::explain(a, g),
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
        Command::Serve(a) => serve::run(a, g),
        Command::Publish(a) => publish::run(a, g),
        Command::Import(a) => import::run(a, g),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_FAILURE
        }
    }
}

/// A failure that stops a command, as the text shown to the user.
pub type Failure = String;

impl Global {
    pub fn registry(&self) -> Result<Registry, Failure> {
        let result = match &self.registry {
            Some(dir) => Registry::load(dir),
            None => {
                let cwd = std::env::current_dir()
                    .map_err(|e| format!("cannot read the current folder: {e}"))?;
                Registry::discover(&cwd)
            }
        };
        result.map_err(|e: LoadError| e.to_string())
    }

    pub fn color(&self) -> bool {
        let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto if set("NO_COLOR").is_some() => false,
            Color::Auto => {
                let forced = set("FORCE_COLOR").is_some_and(|v| v != "0" && v != "false")
                    || set("CLICOLOR_FORCE").is_some_and(|v| v != "0");
                forced || std::io::stdout().is_terminal()
            }
        }
    }

    /// What human and concise output show in full.
    pub fn shown(&self) -> report::Shown {
        if self.verbose {
            return report::Shown::ALL;
        }
        report::Shown {
            info: self.show.contains(&Show::Info),
            accepted: self.show.contains(&Show::Accepted),
            errors_only: self.quiet,
        }
    }

    /// The renderer of the chosen format, with what it needs decided here (colour, width, what
    /// is shown in full).
    pub fn renderer(&self) -> Box<dyn Renderer> {
        match self.output {
            Output::Human => Box::new(report::human::Human {
                color: self.color(),
                width: terminal_width(),
                shown: self.shown(),
            }),
            Output::Concise => Box::new(report::concise::Concise {
                shown: self.shown(),
            }),
            Output::Json => Box::new(report::json::Json),
            Output::Github => Box::new(report::github::Github),
            Output::Junit => Box::new(report::junit::Junit),
            Output::Sarif => Box::new(report::sarif::Sarif),
            Output::Markdown => Box::new(report::markdown::Markdown),
        }
    }

    /// Human or concise: output read by people, where the commands add their plain remarks.
    pub fn is_text(&self) -> bool {
        matches!(self.output, Output::Human | Output::Concise)
    }

    /// Render a report in the chosen format to stdout; the exit code follows its errors.
    pub fn emit(&self, report: &Report, ctx: &Context) -> Exit {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        // A closed pipe (`| head`) is not an error of the check.
        let _ = self
            .renderer()
            .render(report, ctx, &mut out)
            .and_then(|()| out.flush());
        if report.has_errors() {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
    }
}

/// The registry root as seen from the repository, with a trailing `/` (`events/`), or empty when
/// they are the same or unrelated. Annotations and code-scanning results resolve paths from the
/// repository root: GitHub's workspace when set, else the git work tree holding the registry,
/// else the current folder.
pub fn path_prefix(root: &std::path::Path) -> String {
    let base = std::env::var_os("GITHUB_WORKSPACE")
        .map(PathBuf::from)
        .or_else(|| work_tree_of(root))
        .or_else(|| std::env::current_dir().ok());
    let Some(base) = base.and_then(|b| b.canonicalize().ok()) else {
        return String::new();
    };
    match root.strip_prefix(&base) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{}/", parts.join("/"))
        }
        _ => String::new(),
    }
}

#[cfg(feature = "git")]
fn work_tree_of(root: &std::path::Path) -> Option<PathBuf> {
    crate::registry::git::Repo::open(root)
        .ok()?
        .repo
        .workdir()
        .map(std::path::Path::to_path_buf)
}

#[cfg(not(feature = "git"))]
fn work_tree_of(_root: &std::path::Path) -> Option<PathBuf> {
    None
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Print to stdout; a closed pipe (`evreg list | head`) is not an error worth a panic.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}
