//! Where a registry's files come from: the working tree, or (with the `git` feature) a commit,
//! a ref or the index. Discovery reads through this trait only, so every check works on both.

use super::LoadError;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// Present but not read, with the reason (a link leaving the registry, a broken link).
    Excluded(String),
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
}

/// Files on disk under a root folder.
pub struct FsTree {
    pub root: PathBuf,
}

impl FsTree {
    pub fn new(root: &Path) -> Result<FsTree, LoadError> {
        let root = root.canonicalize().map_err(|error| LoadError::Io {
            path: root.to_path_buf(),
            error,
        })?;
        Ok(FsTree { root })
    }

    fn path(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }
}

impl Tree for FsTree {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, LoadError> {
        let path = self.path(dir);
        if !path.is_dir() {
            return Ok(Vec::new());
        }
        let io = |error| LoadError::Io {
            path: path.clone(),
            error,
        };
        let mut out = Vec::new();
        for entry in fs::read_dir(&path).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let file_type = entry.file_type().map_err(io)?;
            let kind = if file_type.is_symlink() {
                match entry.path().canonicalize() {
                    Ok(target) if target.starts_with(&self.root) => {
                        if target.is_dir() {
                            EntryKind::Dir
                        } else {
                            EntryKind::File
                        }
                    }
                    Ok(target) => EntryKind::Excluded(format!(
                        "links to {}, outside the registry",
                        target.display()
                    )),
                    Err(_) => EntryKind::Excluded("is a broken link".to_string()),
                }
            } else if file_type.is_dir() {
                EntryKind::Dir
            } else {
                EntryKind::File
            };
            out.push(Entry { name, kind });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, LoadError> {
        let full = self.path(path);
        fs::read(&full).map_err(|error| LoadError::Io { path: full, error })
    }

    fn is_file(&self, path: &str) -> bool {
        self.path(path).is_file()
    }

    fn describe(&self) -> String {
        "the working tree".to_string()
    }
}
