//! Helpers shared by the end-to-end test binaries: the binary run reproducibly, its JSON report
//! read, registries copied, git repositories made, `evreg serve` started.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};

/// A registry (or other test input) under tests/data/.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// `evreg` run in `dir` with a fixed terminal width and no colour, so output is reproducible,
/// and none of the caller's settings (a git hook running the tests sets `GIT_DIR`).
pub fn evreg(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("evreg").unwrap();
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("EVREG_OUTPUT")
        .env_remove("EVREG_REGISTRY")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE");
    cmd
}

/// The JSON report a run of `evreg … --output json` printed; a panic showing what it printed
/// instead.
pub fn report_of(out: &std::process::Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `evreg ARGS --output json` in `dir`: the report and the exit code.
pub fn json_of(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = evreg(dir)
        .args(args)
        .args(["--output", "json"])
        .output()
        .unwrap();
    let code = out.status.code().expect("evreg was killed");
    (report_of(&out), code)
}

/// The rule ids of a report's findings (or of a findings array), in order.
pub fn rules_of(report: &Value) -> Vec<String> {
    report
        .get("findings")
        .unwrap_or(report)
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect()
}

/// A writable copy of a data registry.
pub fn copy_of(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&data(name), tmp.path());
    tmp
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Write `text` to `root/rel`, making its folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

pub fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

/// A git repository (made with git2) holding a copy of a test registry.
pub struct GitRepo {
    pub dir: tempfile::TempDir,
    pub repo: git2::Repository,
}

impl GitRepo {
    /// The registry copied into a new repository, nothing committed.
    pub fn with(registry: &str) -> GitRepo {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&data(registry), dir.path());
        let repo = git2::Repository::init(dir.path()).unwrap();
        GitRepo { dir, repo }
    }

    /// The registry copied into a new repository and committed once.
    pub fn committed(registry: &str) -> GitRepo {
        let r = GitRepo::with(registry);
        r.commit("initial registry");
        r
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Stage every change, as `git add -A`.
    pub fn stage_all(&self) {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
    }

    /// Stage everything and commit it with a fixed author and date.
    pub fn commit(&self, message: &str) {
        self.stage_all();
        let mut index = self.repo.index().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new(
            "Dana Example",
            "dana@example.com",
            &git2::Time::new(1_764_000_000, 60),
        )
        .unwrap();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap();
    }

    pub fn write(&self, rel: &str, text: &str) {
        write(self.path(), rel, text);
    }

    pub fn read(&self, rel: &str) -> String {
        read(self.path(), rel)
    }

    pub fn evreg(&self) -> Command {
        evreg(self.path())
    }

    /// `evreg ARGS --output json` in the repository: the report and the exit code.
    pub fn json(&self, args: &[&str]) -> (Value, i32) {
        json_of(self.path(), args)
    }
}

/// A running `evreg serve`: its address and what it logged so far. Stopped when dropped.
pub struct Served {
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    pub log: Arc<Mutex<String>>,
}

impl Served {
    /// `evreg serve ARGS` on a free local port in `root`, once it says where it listens.
    pub fn start(root: &Path, args: &[&str]) -> Served {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_evreg"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(root)
            .env_remove("EVREG_REGISTRY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        Served { child, addr, log }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `scripts/confluent_client_check.py ARGS` (Confluent's Python client against `evreg serve`):
/// what it printed, or `None`, said on stdout, where the client is not installed (CI installs
/// it).
pub fn confluent_client_check(args: &[&std::ffi::OsStr]) -> Option<(bool, String)> {
    let probe = std::process::Command::new("python3")
        .args([
            "-c",
            "import confluent_kafka.schema_registry.avro, confluent_kafka.schema_registry.json_schema",
        ])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!(
            "SKIPPED: Confluent's Python client is not installed here (python3 -m pip install 'confluent-kafka[avro,json,schemaregistry]'); .ci/run installs it and runs this test"
        );
        return None;
    }
    let out = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/confluent_client_check.py"))
        .arg(env!("CARGO_BIN_EXE_evreg"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.success(), text))
}
