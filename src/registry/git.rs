//! The registry as git holds it: at any ref, tag, commit or `REF~N`, or as staged in the index,
//! read straight from the object database (no checkout, no `git` process). Also the history of a
//! subject's files.

use super::tree::{Entry, EntryKind, Tree};
use super::{LoadError, Registry};
use git2::{ObjectType, Repository};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why git could not give what was asked: the command stops (exit 2).
#[derive(Debug)]
pub enum GitError {
    NotARepository {
        path: PathBuf,
    },
    RefNotFound {
        reference: String,
        shallow: bool,
    },
    /// The repository has no commits yet, so no ref names anything.
    NoCommits {
        reference: String,
    },
    OutsideRepository {
        root: PathBuf,
    },
    Git(git2::Error),
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::NotARepository { path } => write!(
                f,
                "{} is not inside a git repository\n  help: `--against` and `--staged` read the registry from git; run `git init`, or check without them",
                path.display()
            ),
            GitError::RefNotFound { reference, shallow } => {
                let remote = reference
                    .split_once('/')
                    .map(|(r, b)| (r, b.split('~').next().unwrap_or(b)));
                let fetch = match remote {
                    Some((remote, branch)) => format!("git fetch {remote} {branch}"),
                    None => format!("git fetch origin {reference}"),
                };
                write!(f, "git ref `{reference}` does not exist in this repository")?;
                if *shallow {
                    write!(
                        f,
                        " (it is a shallow clone, which holds only recent commits)"
                    )?;
                }
                write!(
                    f,
                    "\n  help: fetch it first (`{fetch}`), or in GitHub Actions check out full history with `fetch-depth: 0` in actions/checkout"
                )
            }
            GitError::NoCommits { reference } => write!(
                f,
                "this repository has no commits yet, so `{reference}` names nothing to compare with\n  help: commit the registry first (`git add . && git commit`); until then check without --against (evreg.lock still guards published versions)"
            ),
            GitError::OutsideRepository { root } => {
                write!(
                    f,
                    "the registry at {} is outside the repository's work tree",
                    root.display()
                )
            }
            GitError::Git(e) => write!(f, "git: {}", e.message()),
        }
    }
}

impl std::error::Error for GitError {}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        GitError::Git(e)
    }
}

/// The repository holding a registry, and where in it the registry lives.
pub struct Repo {
    pub repo: Repository,
    /// The registry root relative to the work tree, `/`-separated, empty at the top.
    pub prefix: String,
    pub root: PathBuf,
}

impl Repo {
    /// Open the repository around `root`. In a hook, git's own `GIT_DIR` is honoured.
    pub fn open(root: &Path) -> Result<Repo, GitError> {
        let repo = if std::env::var_os("GIT_DIR").is_some() {
            Repository::open_from_env()
        } else {
            Repository::discover(root)
        }
        .map_err(|_| GitError::NotARepository {
            path: root.to_path_buf(),
        })?;
        let workdir = repo.workdir().ok_or_else(|| GitError::NotARepository {
            path: root.to_path_buf(),
        })?;
        let workdir = workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf());
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let prefix = root
            .strip_prefix(&workdir)
            .map_err(|_| GitError::OutsideRepository { root: root.clone() })?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        Ok(Repo { repo, prefix, root })
    }

    /// The path of a registry file inside the repository.
    pub fn repo_path(&self, rel: &str) -> String {
        match (self.prefix.is_empty(), rel.is_empty()) {
            (true, _) => rel.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}/{rel}", self.prefix),
        }
    }

    /// The commit named by any revision git understands (`main`, `v1.2`, `HEAD~3`).
    fn commit_at(&self, reference: &str) -> Result<git2::Commit<'_>, GitError> {
        let object = self.repo.revparse_single(reference).map_err(|_| {
            if self
                .repo
                .head()
                .is_err_and(|e| e.code() == git2::ErrorCode::UnbornBranch)
                && self
                    .repo
                    .references()
                    .map_or(true, |mut r| r.next().is_none())
            {
                GitError::NoCommits {
                    reference: reference.to_string(),
                }
            } else {
                GitError::RefNotFound {
                    reference: reference.to_string(),
                    shallow: self.repo.is_shallow(),
                }
            }
        })?;
        Ok(object.peel_to_commit()?)
    }

    fn tree_of<'s>(
        &'s self,
        commit: &git2::Commit<'s>,
        label: String,
    ) -> Result<GitTree<'s>, GitError> {
        Ok(GitTree::new(self, commit.tree()?, label))
    }

    /// The tree of a commit named by any revision git understands (`main`, `v1.2`, `HEAD~3`).
    pub fn tree_at(&self, reference: &str) -> Result<GitTree<'_>, GitError> {
        let commit = self.commit_at(reference)?;
        let label = format!("{reference} ({})", short_id(&commit));
        self.tree_of(&commit, label)
    }

    /// What `--against REF` compares with: the merge base of HEAD and REF, the tree `git diff
    /// REF...HEAD` starts from. A branch made before REF gained commits is judged on its own
    /// changes only, never on what REF added since (which it would appear to delete).
    pub fn baseline(&self, reference: &str) -> Result<BaseCommit<'_>, GitError> {
        let target = self.commit_at(reference)?;
        let head = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let base = head
            .as_ref()
            .and_then(|h| self.repo.merge_base(h.id(), target.id()).ok())
            .and_then(|id| self.repo.find_commit(id).ok());
        let behind = match (&head, &base) {
            (Some(h), Some(b)) if b.id() != target.id() => self
                .repo
                .graph_ahead_behind(h.id(), target.id())
                .map_or(0, |(_, behind)| behind),
            _ => 0,
        };
        let base_found = base.as_ref().map(git2::Commit::id);
        let (commit, label, revision) = match base {
            Some(b) if b.id() != target.id() => {
                let short = short_id(&b);
                (b, format!("{reference} (at the merge base {short})"), short)
            }
            _ => {
                let short = short_id(&target);
                let label = format!("{reference} ({short})");
                // `REV:path` must read back unambiguously: a revision such as `:/fix` cannot.
                let revision = if reference.contains(':') {
                    short
                } else {
                    reference.to_string()
                };
                (target, label, revision)
            }
        };
        let merge_base = short_id(&commit);
        let unrelated = head.is_some() && base_found.is_none();
        Ok(BaseCommit {
            tree: self.tree_of(&commit, label.clone())?,
            label,
            revision,
            behind,
            merge_base,
            unrelated,
        })
    }

    /// The text of a registry file at HEAD (`None` without commits or without the file).
    pub fn file_at_head(&self, rel: &str) -> Option<Vec<u8>> {
        let tree = self.tree_at("HEAD").ok()?;
        tree.read(rel).ok()
    }

    /// The tree staged for the next commit. `GIT_INDEX_FILE` (set by `git commit -a` and partial
    /// commits) is honoured, so a hook sees exactly what is being committed.
    pub fn staged_tree(&self) -> Result<GitTree<'_>, GitError> {
        let mut index = match std::env::var_os("GIT_INDEX_FILE") {
            Some(path) => {
                let path = PathBuf::from(path);
                let path = if path.is_relative() {
                    self.repo
                        .path()
                        .parent()
                        .unwrap_or(Path::new("."))
                        .join(path)
                } else {
                    path
                };
                git2::Index::open(&path)?
            }
            None => self.repo.index()?,
        };
        let id = index.write_tree_to(&self.repo)?;
        Ok(GitTree::new(
            self,
            self.repo.find_tree(id)?,
            "the index (staged changes)".to_string(),
        ))
    }

    /// The registry as it stands at `reference`.
    pub fn registry_at(&self, reference: &str) -> Result<Registry, GitRegistryError> {
        let tree = self.tree_at(reference)?;
        Ok(Registry::from_tree(&tree, self.root.clone())?)
    }

    /// The commits at which a shallow clone's history is cut (empty for a full clone).
    pub fn shallow_boundaries(&self) -> Vec<git2::Oid> {
        if !self.repo.is_shallow() {
            return Vec::new();
        }
        std::fs::read_to_string(self.repo.path().join("shallow"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| git2::Oid::from_str(l.trim()).ok())
            .collect()
    }

    /// Each version file's introduction: the commit where the path first appears, walking the
    /// history oldest first along first parents and merges alike.
    pub fn introductions(&self, rel_paths: &[String]) -> Result<Vec<Option<CommitInfo>>, GitError> {
        let mut found: Vec<Option<CommitInfo>> = vec![None; rel_paths.len()];
        let paths: Vec<String> = rel_paths.iter().map(|p| self.repo_path(p)).collect();
        let mut walk = self.repo.revwalk()?;
        if walk.push_head().is_err() {
            return Ok(found); // no commits yet
        }
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        // In a shallow clone the oldest commits held stand in for the history cut off below
        // them: a file they hold may be older than they are.
        let boundaries = self.shallow_boundaries();
        for oid in walk {
            let oid = oid?;
            let commit = self.repo.find_commit(oid)?;
            let tree = commit.tree()?;
            for (i, path) in paths.iter().enumerate() {
                if found[i].is_some() {
                    continue;
                }
                if tree.get_path(Path::new(path)).is_ok() {
                    let mut info = CommitInfo::of(&commit);
                    info.history_cut = boundaries.contains(&oid);
                    found[i] = Some(info);
                }
            }
            if found.iter().all(Option::is_some) {
                break;
            }
        }
        Ok(found)
    }
}

fn short_id(commit: &git2::Commit<'_>) -> String {
    commit
        .as_object()
        .short_id()
        .ok()
        .and_then(|b| b.as_str().ok().map(str::to_string))
        .unwrap_or_else(|| commit.id().to_string()[..7].to_string())
}

/// The commit `--against REF` compares with, and how to name it.
pub struct BaseCommit<'r> {
    pub tree: GitTree<'r>,
    /// How messages name it: `main (1a2b3c4)`, or `main (at the merge base 1a2b3c4)`.
    pub label: String,
    /// How locations in its files are written (`REV:path`, as `git show` takes them): the ref as
    /// given, or the merge base's short id when that is what is compared.
    pub revision: String,
    /// Commits REF has that HEAD does not (0 when the branch contains REF).
    pub behind: usize,
    /// The short id of the commit compared with.
    pub merge_base: String,
    /// HEAD and REF share no commit this clone holds (a shallow clone, or unrelated
    /// histories): REF itself is compared with.
    pub unrelated: bool,
}

/// Either git failed or the registry at the ref could not be read.
#[derive(Debug)]
pub enum GitRegistryError {
    Git(GitError),
    Load(LoadError),
}

impl fmt::Display for GitRegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitRegistryError::Git(e) => e.fmt(f),
            GitRegistryError::Load(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for GitRegistryError {}

impl From<GitError> for GitRegistryError {
    fn from(e: GitError) -> Self {
        GitRegistryError::Git(e)
    }
}

impl From<LoadError> for GitRegistryError {
    fn from(e: LoadError) -> Self {
        GitRegistryError::Load(e)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub short_id: String,
    pub author: String,
    pub email: String,
    /// Seconds since the epoch, and the author's offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    pub summary: String,
    /// The commit is where a shallow clone's history is cut: the file may be older.
    pub history_cut: bool,
}

impl CommitInfo {
    fn of(commit: &git2::Commit<'_>) -> CommitInfo {
        let author = commit.author();
        let when = author.when();
        CommitInfo {
            id: commit.id().to_string(),
            short_id: commit.id().to_string()[..7].to_string(),
            author: author.name().unwrap_or("").to_string(),
            email: author.email().unwrap_or("").to_string(),
            time: when.seconds(),
            offset_minutes: when.offset_minutes(),
            summary: commit.summary().ok().flatten().unwrap_or("").to_string(),
            history_cut: false,
        }
    }

    /// The author date as RFC 3339 in the author's offset.
    pub fn date(&self) -> String {
        let local = self.time + i64::from(self.offset_minutes) * 60;
        let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            off / 60,
            off % 60
        )
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A commit's (or the index's) tree, seen from the registry root.
pub struct GitTree<'r> {
    repo: &'r Repo,
    tree: git2::Tree<'r>,
    label: String,
    /// Folders already looked up, by path in the repository. A registry's files share a few
    /// large folders (`schemas/` holds every subject), which libgit2 would otherwise inflate
    /// and hash again for every file read through them.
    folders: RefCell<HashMap<String, git2::Tree<'r>>>,
}

impl<'r> GitTree<'r> {
    fn new(repo: &'r Repo, tree: git2::Tree<'r>, label: String) -> Self {
        GitTree {
            repo,
            tree,
            label,
            folders: RefCell::new(HashMap::new()),
        }
    }

    /// The folder at `path` (in the repository; empty for the top), if it is one.
    fn folder(&self, path: &str) -> Option<git2::Tree<'r>> {
        if path.is_empty() {
            return Some(self.tree.clone());
        }
        if let Some(tree) = self.folders.borrow().get(path) {
            return Some(tree.clone());
        }
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        let tree = self
            .folder(parent)?
            .get_name(name)?
            .to_object(&self.repo.repo)
            .ok()?
            .into_tree()
            .ok()?;
        self.folders
            .borrow_mut()
            .insert(path.to_string(), tree.clone());
        Some(tree)
    }

    fn object(&self, rel: &str) -> Option<git2::Object<'r>> {
        let path = self.repo.repo_path(rel);
        if path.is_empty() {
            return Some(self.tree.as_object().clone());
        }
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", &path));
        self.folder(parent)?
            .get_name(name)?
            .to_object(&self.repo.repo)
            .ok()
    }
}

impl Tree for GitTree<'_> {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, LoadError> {
        let Some(tree) = self.folder(&self.repo.repo_path(dir)) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<Entry> = tree
            .iter()
            .map(|e| {
                let kind = match (e.kind(), e.filemode()) {
                    (Some(ObjectType::Tree), _) => EntryKind::Dir,
                    (_, 0o120000) => EntryKind::Excluded(
                        "is a symbolic link (links are not followed)".to_string(),
                    ),
                    (Some(ObjectType::Blob), _) => EntryKind::File,
                    _ => EntryKind::Excluded("is a submodule".to_string()),
                };
                Entry {
                    name: e.name().unwrap_or("").to_string(),
                    kind,
                }
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, LoadError> {
        let missing = || LoadError::Io {
            path: PathBuf::from(format!("{path} at {}", self.label)),
            error: std::io::Error::new(std::io::ErrorKind::NotFound, "not a file in this commit"),
        };
        let object = self.object(path).ok_or_else(missing)?;
        let blob = object.as_blob().ok_or_else(missing)?;
        Ok(blob.content().to_vec())
    }

    fn is_file(&self, path: &str) -> bool {
        self.object(path)
            .is_some_and(|o| o.kind() == Some(ObjectType::Blob))
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository whose index holds `files`, with the registry at `prefix`.
    fn repo_with(files: &[(&str, &str)], prefix: &str) -> (tempfile::TempDir, Repo) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut index = repo.index().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, text).unwrap();
            index.add_path(Path::new(path)).unwrap();
        }
        index.write().unwrap();
        let root = dir.path().join(prefix);
        std::fs::create_dir_all(&root).unwrap();
        let repo = Repo::open(&root).unwrap();
        (dir, repo)
    }

    #[test]
    fn a_tree_reads_and_lists_through_folders_it_has_seen_before() {
        let (_dir, repo) = repo_with(
            &[
                ("events/schemas/a/v1.avsc", "A1"),
                ("events/schemas/a/v2.avsc", "A2"),
                ("events/schemas/b/v1.avsc", "B1"),
                ("events/evreg.yaml", "compatibility: FULL"),
                ("schemas/a/v1.avsc", "outside the registry"),
            ],
            "events",
        );
        let tree = repo.staged_tree().unwrap();
        // Twice each: the second read goes through the folders seen by the first.
        for _ in 0..2 {
            assert_eq!(tree.read("schemas/a/v1.avsc").unwrap(), b"A1");
            assert_eq!(tree.read("schemas/a/v2.avsc").unwrap(), b"A2");
            assert_eq!(tree.read("schemas/b/v1.avsc").unwrap(), b"B1");
            assert_eq!(tree.read("evreg.yaml").unwrap(), b"compatibility: FULL");
            let names = |dir| -> Vec<String> {
                tree.list(dir)
                    .unwrap()
                    .into_iter()
                    .map(|e| e.name)
                    .collect()
            };
            assert_eq!(names("schemas"), ["a", "b"]);
            assert_eq!(names(""), ["evreg.yaml", "schemas"]);
            assert_eq!(names("schemas/a"), ["v1.avsc", "v2.avsc"]);
            // Not there, or not a folder: nothing, never another file.
            assert!(names("schemas/c").is_empty());
            assert!(names("evreg.yaml").is_empty());
            assert!(tree.read("schemas/a").is_err());
            assert!(tree.read("schemas/a/v3.avsc").is_err());
            assert!(tree.read("evreg.yaml/x").is_err());
            assert!(tree.read("schemas//a/v1.avsc").is_err());
            assert!(tree.is_file("schemas/b/v1.avsc"));
            assert!(!tree.is_file("schemas/b"));
        }
    }

    #[test]
    fn dates_are_rfc3339_in_the_authors_offset() {
        let c = |time, offset_minutes| CommitInfo {
            id: String::new(),
            short_id: String::new(),
            author: String::new(),
            email: String::new(),
            time,
            offset_minutes,
            summary: String::new(),
            history_cut: false,
        };
        assert_eq!(c(0, 0).date(), "1970-01-01T00:00:00+00:00");
        assert_eq!(c(1_764_045_600, 60).date(), "2025-11-25T05:40:00+01:00");
        assert_eq!(c(951_782_400, -300).date(), "2000-02-28T19:00:00-05:00");
    }
}
