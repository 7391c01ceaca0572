//! Writing files without losing data: a new file appears whole or not at all, and never replaces
//! an existing one.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

fn temp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.evreg-tmp-{}", std::process::id()))
}

/// A new file with `bytes`, flushed to disk before anyone links or renames it into place.
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Write `bytes` to `dest`, which must not exist: written to a temporary file beside it, synced,
/// then linked into place (linking fails if `dest` appeared meanwhile, so nothing is overwritten).
pub fn create_new_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    if dest.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists", dest.display()),
        ));
    }
    let tmp = temp_path(dest);
    let result = (|| {
        write_synced(&tmp, bytes)?;
        match fs::hard_link(&tmp, dest) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            // File systems without hard links: rename, after checking again.
            Err(_) if !dest.exists() => fs::rename(&tmp, dest),
            Err(e) => Err(e),
        }
    })();
    let _ = fs::remove_file(&tmp);
    result
}

/// Replace `dest` (or create it) atomically: readers see the old or the new content, never half.
pub fn replace_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_path(dest);
    let result = (|| {
        write_synced(&tmp, bytes)?;
        fs::rename(&tmp, dest)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v1.avsc");
        create_new_atomic(&p, b"one").unwrap();
        assert_eq!(
            create_new_atomic(&p, b"two").unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert_eq!(fs::read(&p).unwrap(), b"one");
        replace_atomic(&p, b"three").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"three");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left behind"
        );
    }
}
