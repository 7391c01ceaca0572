//! Where a registry's files come from: the working tree, or (with the `git` feature) a commit,
//! a ref or the index. Discovery reads through this trait only, so every check works on both.

use super::LoadError;
use crate::fsutil::{Gate, GateError, Kind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// Present but not read, with the reason (a link leaving the registry, a broken link).
    Excluded(String),
    /// A FIFO, socket or device (named): never opened.
    Special(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
}

/// A read-only view of a registry's files, by paths relative to its root (`""` is the root).
pub trait Tree {
    /// The folder's entries sorted by name; empty when the folder does not exist.
    fn list(&self, dir: &str) -> Result<Vec<Entry>, LoadError>;
    fn read(&self, path: &str) -> Result<Vec<u8>, LoadError>;
    fn is_file(&self, path: &str) -> bool;
    /// What the tree is, for messages: `the working tree`, `origin/main (3f2a1c9)`.
    fn describe(&self) -> String;
    /// A hint that the folders `dirs` and their files whose names `wanted` accepts are about to
    /// be read, so a tree may read them ahead (on every core); reading them afterwards gives the
    /// same results either way. Each call drops what an earlier one read and nobody took.
    fn prefetch(&self, _dirs: &[String], _wanted: &(dyn Fn(&str) -> bool + Sync)) {}
}

/// Files on disk under a root folder, read through the gate (`crate::fsutil`): confined to the
/// root, regular files only.
pub struct FsTree {
    pub root: PathBuf,
    gate: Gate,
    /// Listings and files read ahead by `prefetch`, each handed out once.
    ahead: Mutex<ReadAhead>,
}

#[derive(Default)]
struct ReadAhead {
    lists: HashMap<String, Result<Vec<Entry>, LoadError>>,
    files: HashMap<String, Result<Vec<u8>, LoadError>>,
}

impl FsTree {
    pub fn new(root: &Path) -> Result<FsTree, LoadError> {
        let gate = Gate::new(root)?;
        Ok(FsTree {
            root: gate.root().to_path_buf(),
            gate,
            ahead: Mutex::default(),
        })
    }

    pub fn gate(&self) -> &Gate {
        &self.gate
    }
}

impl FsTree {
    fn ahead(&self) -> std::sync::MutexGuard<'_, ReadAhead> {
        self.ahead.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn list_now(&self, dir: &str) -> Result<Vec<Entry>, LoadError> {
        Ok(entries(self.gate.list(dir)?))
    }

    /// List `dir` and read its regular files into the read-ahead store.
    fn read_ahead(&self, dir: &str, wanted: &(dyn Fn(&str) -> bool + Sync)) {
        let (listed, files) = match self.gate.list_reading(dir, wanted) {
            Ok((listed, files)) => (Ok(entries(listed)), files),
            Err(e) => (Err(e.into()), Vec::new()),
        };
        let mut ahead = self.ahead();
        ahead.lists.insert(dir.to_string(), listed);
        ahead.files.extend(
            files
                .into_iter()
                .map(|(rel, bytes)| (rel, bytes.map_err(LoadError::from))),
        );
    }
}

/// A folder's listing as the gate gives it, in the tree's terms.
fn entries(listed: Vec<crate::fsutil::Listed>) -> Vec<Entry> {
    listed
        .into_iter()
        .map(|(name, kind)| {
            let kind = match kind {
                Ok(Kind::File) => EntryKind::File,
                Ok(Kind::Dir) => EntryKind::Dir,
                Ok(Kind::Special(what)) => EntryKind::Special(what),
                Err(GateError::Outside { target, .. }) => EntryKind::Excluded(format!(
                    "links to {}, outside the registry",
                    target.display()
                )),
                Err(GateError::BrokenLink { .. }) => {
                    EntryKind::Excluded("is a broken link".to_string())
                }
                Err(e) => EntryKind::Excluded(format!("cannot be read ({e})")),
            };
            Entry { name, kind }
        })
        .collect()
}

impl Tree for FsTree {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, LoadError> {
        match self.ahead().lists.remove(dir) {
            Some(listed) => listed,
            None => self.list_now(dir),
        }
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, LoadError> {
        match self.ahead().files.remove(path) {
            Some(bytes) => bytes,
            None => Ok(self.gate.read(path)?),
        }
    }

    /// Thousands of small files: listing and reading them is mostly system time, which the
    /// cores share out well.
    fn prefetch(&self, dirs: &[String], wanted: &(dyn Fn(&str) -> bool + Sync)) {
        *self.ahead() = ReadAhead::default();
        if crate::parallel::cores() < 2 {
            return;
        }
        crate::parallel::map(dirs, |dir| self.read_ahead(dir, wanted));
    }

    /// Present and not a folder: a FIFO or a link out is "a file" here, so that reading it
    /// says why it is refused instead of the registry seeming to lack it.
    fn is_file(&self, path: &str) -> bool {
        !matches!(self.gate.kind(path), Ok(None | Some(Kind::Dir)))
    }

    fn describe(&self) -> String {
        "the working tree".to_string()
    }
}

/// A tree with one more file: the registry as it would be once `rel` is written (what `evreg
/// add` checks before writing anything).
pub struct WithFile<'a> {
    pub base: &'a dyn Tree,
    pub rel: String,
    pub bytes: Vec<u8>,
}

impl WithFile<'_> {
    /// The entry `dir` gains: the file itself, or the first folder on its way.
    fn added_entry(&self, dir: &str) -> Option<Entry> {
        let rest = if dir.is_empty() {
            self.rel.as_str()
        } else {
            self.rel.strip_prefix(dir)?.strip_prefix('/')?
        };
        Some(match rest.split_once('/') {
            Some((folder, _)) => Entry {
                name: folder.to_string(),
                kind: EntryKind::Dir,
            },
            None => Entry {
                name: rest.to_string(),
                kind: EntryKind::File,
            },
        })
    }
}

impl Tree for WithFile<'_> {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, LoadError> {
        let mut entries = self.base.list(dir)?;
        if let Some(added) = self.added_entry(dir)
            && !entries.iter().any(|e| e.name == added.name)
        {
            entries.push(added);
            entries.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(entries)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, LoadError> {
        if path == self.rel {
            return Ok(self.bytes.clone());
        }
        self.base.read(path)
    }

    fn is_file(&self, path: &str) -> bool {
        path == self.rel || self.base.is_file(path)
    }

    fn describe(&self) -> String {
        format!("{} with {} added", self.base.describe(), self.rel)
    }
}
