//! Helpers shared by the end-to-end test binaries.
#![allow(dead_code)]

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

/// A registry (or other test input) under tests/data/.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// `evreg` run in `dir` with a fixed terminal width and no colour, so output is reproducible.
pub fn evreg(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("evreg").unwrap();
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("EVREG_OUTPUT")
        .env_remove("EVREG_REGISTRY");
    cmd
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
