//! The gate to the file system: every read and write of a registry's files goes through here.
//!
//! - **Confined.** A registry path is relative (`schemas/orders.order.placed/v1.avsc`), made of
//!   plain names (no `..`, no absolute or drive paths, no NUL or backslash). Each component is
//!   resolved on disk; a link is followed only when its target stays inside the registry's real
//!   root. A `schemas/` folder, a subject folder or a file that links out is refused.
//! - **Regular files only.** A FIFO, socket or device is never opened for reading (it could block
//!   forever or never end): the type is checked before opening, and the file is opened
//!   non-blocking and checked again, so a swap in between cannot hang a command either.
//! - **Atomic writes.** New content goes to a temporary file in the target's folder, is synced,
//!   renamed over the target, and the folder is synced: readers see the old or the new file,
//!   never half, also after a crash. A replaced file keeps its permissions; a link inside the
//!   registry is written through (the link stays a link); anything that is not a regular file
//!   is refused rather than replaced.
//! - **Serialised read-modify-writes.** [`Gate::lock`] takes an exclusive lock on the registry,
//!   held until the guard drops, for changes such as recording versions in `evreg.lock`.
//!
//! Paths the user names explicitly outside a registry (`codegen --out FILE`, a git hook) are
//! written with [`replace_atomic`] / [`create_new_atomic`]: the same atomic write and the same
//! refusal to replace a link, FIFO or device, without confinement (the user chose the place).

use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Why the gate refused, or what failed; every message names the path and the way out.
#[derive(Debug)]
pub enum GateError {
    /// A registry path that is not a plain relative path.
    BadPath {
        rel: String,
        why: &'static str,
    },
    /// The path (or a folder on the way) links to `target`, outside the registry.
    Outside {
        rel: String,
        target: PathBuf,
    },
    /// A link whose target does not exist.
    BrokenLink {
        path: PathBuf,
    },
    /// Exists, but is a FIFO, socket, device or folder where a regular file is needed.
    NotRegular {
        path: PathBuf,
        kind: &'static str,
    },
    /// A path outside a registry that is a symbolic link: replacing it would cut the link.
    Link {
        path: PathBuf,
    },
    AlreadyExists {
        path: PathBuf,
    },
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

impl fmt::Display for GateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateError::BadPath { rel, why } => write!(
                f,
                "`{rel}` is not a path inside the registry: {why}\n  help: name a file by a plain relative name, without `..`, `/` at the start or backslashes"
            ),
            GateError::Outside { rel, target } => write!(
                f,
                "{rel} leads to {}, outside the registry; evreg reads and writes only inside it\n  help: replace the link with the folder or file itself (copy it into the registry)",
                target.display()
            ),
            GateError::BrokenLink { path } => write!(
                f,
                "{} is a link to nothing\n  help: remove the link, or restore what it points to",
                path.display()
            ),
            GateError::NotRegular { path, kind } => write!(
                f,
                "{} is {kind}, not a regular file; evreg does not read or replace it\n  help: remove it or choose another path",
                path.display()
            ),
            GateError::Link { path } => write!(
                f,
                "{} is a symbolic link; evreg does not replace links\n  help: pass the path it points to (`readlink -f {}`), or remove the link",
                path.display(),
                path.display()
            ),
            GateError::AlreadyExists { path } => write!(
                f,
                "{} already exists; nothing was overwritten\n  help: choose another name, or remove the file first",
                path.display()
            ),
            GateError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for GateError {}

impl GateError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> GateError + '_ {
        move |error| GateError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
    /// True when the path simply does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, GateError::Io { error, .. } if error.kind() == io::ErrorKind::NotFound)
    }
}

impl From<GateError> for io::Error {
    fn from(e: GateError) -> io::Error {
        let kind = match &e {
            GateError::Io { error, .. } => error.kind(),
            GateError::AlreadyExists { .. } => io::ErrorKind::AlreadyExists,
            _ => io::ErrorKind::PermissionDenied,
        };
        io::Error::new(kind, e.to_string())
    }
}

/// What a path on disk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// A FIFO, socket or device (named for messages).
    Special(&'static str),
}

fn kind_of(ft: &fs::FileType) -> Kind {
    if ft.is_file() {
        return Kind::File;
    }
    if ft.is_dir() {
        return Kind::Dir;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Kind::Special("a FIFO (named pipe)");
        }
        if ft.is_socket() {
            return Kind::Special("a socket");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Kind::Special("a device");
        }
    }
    Kind::Special("not a regular file")
}

/// A registry root on disk, resolved once; every path handed out lies inside it.
#[derive(Debug, Clone)]
pub struct Gate {
    root: PathBuf,
    /// Folders already resolved (registry path → real path inside the root): reading a
    /// registry's thousands of files walks `schemas/` and each subject's folder once, not once per
    /// file. A folder swapped for a link during the run is no more a risk than it is between any
    /// check and the use that follows it.
    dirs: Arc<Mutex<HashMap<String, PathBuf>>>,
    /// Registry paths a listing showed as regular files (not links): reading one opens it
    /// without another lookup, and still refuses it if it changed since (see `read`).
    listed_files: Arc<Mutex<std::collections::HashSet<String>>>,
}

impl Gate {
    pub fn new(root: &Path) -> Result<Gate, GateError> {
        let root = root.canonicalize().map_err(GateError::io(root))?;
        Ok(Gate {
            root,
            dirs: Arc::default(),
            listed_files: Arc::default(),
        })
    }

    /// The root's real path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of `rel` (a `/`-separated registry path; `""` is the root), every link on
    /// the way followed and confined to the root. The last components need not exist.
    pub fn resolve(&self, rel: &str) -> Result<PathBuf, GateError> {
        self.resolve_kind(rel).map(|(path, _)| path)
    }

    /// `resolve`, and what the path is when it exists (a link: what it leads to).
    fn resolve_kind(&self, rel: &str) -> Result<(PathBuf, Option<Kind>), GateError> {
        let parts = components(rel)?;
        let (mut cur, start) = self.known_folder(&parts);
        let mut kind = Some(Kind::Dir);
        for (i, part) in parts.iter().enumerate().skip(start) {
            let next = cur.join(part);
            match fs::symlink_metadata(&next) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    for rest in &parts[i..] {
                        cur.push(rest);
                    }
                    return Ok((cur, None));
                }
                Err(e) => return Err(GateError::io(&next)(e)),
                Ok(md) if md.file_type().is_symlink() => {
                    let target = next
                        .canonicalize()
                        .map_err(|_| GateError::BrokenLink { path: next.clone() })?;
                    if !target.starts_with(&self.root) {
                        return Err(GateError::Outside {
                            rel: parts[..=i].join("/"),
                            target,
                        });
                    }
                    kind = fs::metadata(&target)
                        .ok()
                        .map(|md| kind_of(&md.file_type()));
                    cur = target;
                }
                Ok(md) => {
                    kind = Some(kind_of(&md.file_type()));
                    cur = next;
                }
            }
            if kind == Some(Kind::Dir) {
                self.dirs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(parts[..=i].join("/"), cur.clone());
            }
        }
        Ok((cur, kind))
    }

    /// The real path of the longest leading folder of `parts` (`parts` itself included) resolved
    /// or listed before, and how many parts it covers (the root and 0 when none).
    fn known_folder(&self, parts: &[&str]) -> (PathBuf, usize) {
        let dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        (1..=parts.len())
            .rev()
            .find_map(|n| Some((dirs.get(&parts[..n].join("/"))?.clone(), n)))
            .unwrap_or_else(|| (self.root.clone(), 0))
    }

    /// What `rel` is, or `None` when it does not exist.
    pub fn kind(&self, rel: &str) -> Result<Option<Kind>, GateError> {
        let path = self.resolve(rel)?;
        match fs::metadata(&path) {
            Ok(md) => Ok(Some(kind_of(&md.file_type()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(GateError::io(&path)(e)),
        }
    }

    /// The bytes of the regular file `rel`.
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, GateError> {
        #[cfg(unix)]
        if let Some(bytes) = self.read_in_known_folder(rel)? {
            return Ok(bytes);
        }
        let (path, kind) = self.resolve_kind(rel)?;
        read_known(&path, kind)
    }

    /// The common case without a lookup per file: the folder's listing showed the file as a
    /// regular file, so it is opened at once, without following a link, and checked again once
    /// open (the same guarantee as looking first). `None` when it was not listed so: the full
    /// resolution then confines it.
    #[cfg(unix)]
    fn read_in_known_folder(&self, rel: &str) -> Result<Option<Vec<u8>>, GateError> {
        use std::os::unix::fs::OpenOptionsExt;
        let listed = self
            .listed_files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(rel);
        if !listed {
            return Ok(None);
        }
        let parts = components(rel)?;
        let Some((name, folder)) = parts.split_last() else {
            return Ok(None);
        };
        let dir = if folder.is_empty() {
            self.root.clone()
        } else {
            let dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            match dirs.get(&folder.join("/")) {
                Some(dir) => dir.clone(),
                None => return Ok(None),
            }
        };
        let path = dir.join(name);
        let mut options = OpenOptions::new();
        // Non-blocking: a FIFO opens without waiting for a writer, and is refused below.
        options
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
        match options.open(&path) {
            Ok(file) => read_opened(file, &path).map(Some),
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Ok(None),
            Err(e) => Err(GateError::io(&path)(e)),
        }
    }

    /// The entries of the folder `rel` (empty when it does not exist), each with what it is:
    /// links are classified by their target, and refused (as `Err` in the entry) when the target
    /// leaves the root or does not exist.
    pub fn list(&self, rel: &str) -> Result<Vec<Listed>, GateError> {
        self.list_reading(rel, &|_| false).map(|(listed, _)| listed)
    }

    /// `list`, and the bytes of the regular files listed whose names `wanted` accepts, read from
    /// the folder as it was opened for the listing: each file is opened by its name relative to
    /// the open folder (on unix), which spares the kernel a walk of the whole path per file (a
    /// tenth of reading a registry of thousands of small files), never following a link and
    /// refused if it is no longer a regular file. A file swapped for a link since the listing is
    /// left out, to be read through the full resolution (`read`).
    pub fn list_reading(
        &self,
        rel: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<(Vec<Listed>, Vec<ReadFile>), GateError> {
        let dir = self.resolve(rel)?;
        let Some(mut folder) = Folder::open(&dir)? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let mut out = Vec::new();
        let mut files = Vec::new();
        let mut regular = Vec::new();
        // Folders listed here (not links) need no lookup of their own when read next.
        let mut folders = Vec::new();
        for (name, ft) in folder.entries()? {
            let child = || {
                if rel.is_empty() {
                    name.clone()
                } else {
                    format!("{rel}/{name}")
                }
            };
            let kind = match ft {
                Entry::Link => self.resolve(&child()).and_then(|real| {
                    fs::metadata(&real)
                        .map(|md| kind_of(&md.file_type()))
                        .map_err(|_| GateError::BrokenLink {
                            path: dir.join(&name),
                        })
                }),
                Entry::Other(Kind::File) => {
                    if wanted(&name)
                        && let Some(bytes) = folder.read(&name)
                    {
                        files.push((child(), bytes));
                    }
                    regular.push(child());
                    Ok(Kind::File)
                }
                Entry::Other(Kind::Dir) => {
                    folders.push((child(), dir.join(&name)));
                    Ok(Kind::Dir)
                }
                Entry::Other(k) => Ok(k),
            };
            out.push((name, kind));
        }
        self.listed_files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(regular);
        self.dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(folders);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok((out, files))
    }

    /// Create the folder `rel` and its parents inside the root.
    pub fn create_dirs(&self, rel: &str) -> Result<PathBuf, GateError> {
        let mut done = String::new();
        for part in components(rel)? {
            if !done.is_empty() {
                done.push('/');
            }
            done.push_str(part);
            let path = self.resolve(&done)?;
            match fs::metadata(&path) {
                Ok(md) if md.is_dir() => {}
                Ok(md) => {
                    return Err(GateError::NotRegular {
                        path,
                        kind: match kind_of(&md.file_type()) {
                            Kind::File => "a file where a folder is needed",
                            Kind::Special(k) => k,
                            Kind::Dir => "a folder",
                        },
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(GateError::io(&path)(e)),
                },
                Err(e) => return Err(GateError::io(&path)(e)),
            }
        }
        self.resolve(rel)
    }

    /// Write a new file `rel` (its folders created), never replacing anything.
    pub fn create_new(&self, rel: &str, bytes: &[u8]) -> Result<PathBuf, GateError> {
        let parent = rel.rsplit_once('/').map_or("", |(p, _)| p);
        if !parent.is_empty() {
            self.create_dirs(parent)?;
        }
        let path = self.resolve(rel)?;
        create_new_at(&path, bytes)?;
        Ok(path)
    }

    /// Replace (or create) the file `rel` atomically, keeping its permissions; a link inside
    /// the registry is written through.
    pub fn replace(&self, rel: &str, bytes: &[u8]) -> Result<PathBuf, GateError> {
        let path = self.resolve(rel)?;
        write_atomic(&path, bytes)?;
        Ok(path)
    }

    /// An exclusive lock on the registry for a read-modify-write: other evreg processes that ask
    /// for it wait until the guard drops. Read what you change after taking it. `anchor` is the
    /// file locked where a folder cannot be opened (not Unix): one evreg never replaces.
    pub fn lock(&self, anchor: &str) -> Result<RegistryLock, GateError> {
        // The root folder itself where folders can be opened (Unix); elsewhere the anchor file.
        #[cfg(unix)]
        let path = {
            let _ = anchor;
            self.root.clone()
        };
        #[cfg(not(unix))]
        let path = self.resolve(anchor)?;
        let file = File::open(&path).map_err(GateError::io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                // Another evreg is changing the registry: say why nothing happens, then wait.
                eprintln!(
                    "note: another evreg process is changing {} (add or lock); waiting for it to finish",
                    self.root.display()
                );
                file.lock().map_err(GateError::io(&path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(GateError::io(&path)(e)),
        }
        Ok(RegistryLock { _file: file })
    }
}

/// A folder entry's name, and what it is (or why it is refused).
pub type Listed = (String, Result<Kind, GateError>);

/// A file read with its folder's listing: its registry path and its bytes.
pub type ReadFile = (String, Result<Vec<u8>, GateError>);

/// Held while a registry is being changed; dropping it releases the lock.
#[derive(Debug)]
pub struct RegistryLock {
    _file: File,
}

/// A registry path's components, refused when it is not plain and relative.
fn components(rel: &str) -> Result<Vec<&str>, GateError> {
    let bad = |why| GateError::BadPath {
        rel: rel.to_string(),
        why,
    };
    if rel.is_empty() {
        return Ok(Vec::new());
    }
    if rel.contains('\0') {
        return Err(bad("it contains a NUL byte"));
    }
    if rel.contains('\\') {
        return Err(bad("it contains a backslash"));
    }
    if rel.starts_with('/') || Path::new(rel).is_absolute() || rel.get(1..2) == Some(":") {
        return Err(bad("it is absolute"));
    }
    let parts: Vec<&str> = rel.split('/').collect();
    for p in &parts {
        match *p {
            "" => return Err(bad("it has an empty component")),
            "." | ".." => return Err(bad("it climbs with `.` or `..`")),
            _ => {}
        }
    }
    Ok(parts)
}

/// Is `name` a plain file name (one component, not hidden), safe to join under a folder?
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control)
        && !Path::new(name).is_absolute()
        && name.get(1..2) != Some(":")
}

/// The bytes of the regular file at `path` (followed if a link). A FIFO, socket or device is
/// refused without blocking.
pub fn read_regular(path: &Path) -> Result<Vec<u8>, GateError> {
    let md = fs::metadata(path).map_err(GateError::io(path))?;
    read_known(path, Some(kind_of(&md.file_type())))
}

/// `read_regular` of a path whose kind was just looked up (None: it did not exist).
fn read_known(path: &Path, kind: Option<Kind>) -> Result<Vec<u8>, GateError> {
    // Never open a folder, FIFO or device at all (opening a device may act on it).
    if let Some(k @ (Kind::Dir | Kind::Special(_))) = kind {
        return Err(GateError::NotRegular {
            path: path.to_path_buf(),
            kind: special_name(k),
        });
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Opening a FIFO that replaced the file since the check would block until a writer
        // appears; non-blocking, the open returns and the check below refuses it.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(GateError::io(path))?;
    read_opened(file, path)
}

/// The bytes of a file just opened, refused when it is not a regular file.
fn read_opened(file: File, path: &Path) -> Result<Vec<u8>, GateError> {
    let md = file.metadata().map_err(GateError::io(path))?;
    if let k @ (Kind::Dir | Kind::Special(_)) = kind_of(&md.file_type()) {
        return Err(GateError::NotRegular {
            path: path.to_path_buf(),
            kind: special_name(k),
        });
    }
    // The size is a hint only (a sparse file may claim terabytes): never reserve beyond 64 MiB.
    let hint = usize::try_from(md.len())
        .unwrap_or(usize::MAX)
        .min(64 << 20);
    // The file as it was when opened: as many bytes as it had then, read without asking for
    // more (one read call for a small file, not two; the limit ends the read, not the kernel), into
    // memory not zeroed first (a registry's files are tens of megabytes); a file beyond the hint
    // is read to its end.
    let mut bytes = Vec::with_capacity(hint);
    let reader = &file;
    reader
        .take(hint as u64)
        .read_to_end(&mut bytes)
        .map_err(GateError::io(path))?;
    let filled = bytes.len();
    if filled == hint && md.len() > hint as u64 {
        reader
            .take(u64::MAX)
            .read_to_end(&mut bytes)
            .map_err(GateError::io(path))?;
    }
    Ok(bytes)
}

/// What a folder entry is, as its listing tells without following it.
enum Entry {
    Link,
    Other(Kind),
}

/// A folder opened once, its entries listed and its files read relative to it.
struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    dir: rustix::fs::Dir,
}

#[cfg(unix)]
impl Folder {
    /// The folder at the real path `path`; `None` when there is none.
    fn open(path: &Path) -> Result<Option<Folder>, GateError> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        let fd = match rustix::fs::open(path, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => return Ok(None),
            Err(e) => return Err(GateError::io(path)(e.into())),
        };
        let dir = rustix::fs::Dir::new(fd).map_err(|e| GateError::io(path)(e.into()))?;
        Ok(Some(Folder {
            path: path.to_path_buf(),
            dir,
        }))
    }

    /// Every entry but `.` and `..`, by name (lossy UTF-8, as everywhere in the gate).
    fn entries(&mut self) -> Result<Vec<(String, Entry)>, GateError> {
        use rustix::fs::{AtFlags, FileType};
        let path = &self.path;
        let io = |e: rustix::io::Errno| GateError::io(path)(e.into());
        let mut out = Vec::new();
        while let Some(entry) = self.dir.read() {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            let name = String::from_utf8_lossy(name).into_owned();
            let ft = match entry.file_type() {
                // Some file systems leave the type out of listings: ask, without following.
                FileType::Unknown => {
                    let fd = self.dir.fd().map_err(io)?;
                    let st = rustix::fs::statat(fd, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW)
                        .map_err(io)?;
                    FileType::from_raw_mode(st.st_mode)
                }
                ft => ft,
            };
            let kind = match ft {
                FileType::Symlink => Entry::Link,
                FileType::RegularFile => Entry::Other(Kind::File),
                FileType::Directory => Entry::Other(Kind::Dir),
                FileType::Fifo => Entry::Other(Kind::Special("a FIFO (named pipe)")),
                FileType::Socket => Entry::Other(Kind::Special("a socket")),
                FileType::CharacterDevice | FileType::BlockDevice => {
                    Entry::Other(Kind::Special("a device"))
                }
                _ => Entry::Other(Kind::Special("not a regular file")),
            };
            out.push((name, kind));
        }
        Ok(out)
    }

    /// The bytes of the file `name` in this folder, opened without following a link and
    /// non-blocking, refused unless regular; `None` when it became a link since it was listed.
    fn read(&self, name: &str) -> Option<Result<Vec<u8>, GateError>> {
        use rustix::fs::{Mode, OFlags};
        let path = self.path.join(name);
        let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let opened = self
            .dir
            .fd()
            .and_then(|fd| rustix::fs::openat(fd, name, flags, Mode::empty()));
        match opened {
            Ok(fd) => Some(read_opened(File::from(fd), &path)),
            Err(rustix::io::Errno::LOOP) => None,
            Err(e) => Some(Err(GateError::io(&path)(e.into()))),
        }
    }
}

#[cfg(not(unix))]
impl Folder {
    fn open(path: &Path) -> Result<Option<Folder>, GateError> {
        match fs::metadata(path) {
            Ok(md) if md.is_dir() => Ok(Some(Folder {
                path: path.to_path_buf(),
            })),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(GateError::io(path)(e)),
        }
    }

    fn entries(&mut self) -> Result<Vec<(String, Entry)>, GateError> {
        let mut out = Vec::new();
        for entry in fs::read_dir(&self.path).map_err(GateError::io(&self.path))? {
            let entry = entry.map_err(GateError::io(&self.path))?;
            let ft = entry.file_type().map_err(GateError::io(&self.path))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = if ft.is_symlink() {
                Entry::Link
            } else {
                Entry::Other(kind_of(&ft))
            };
            out.push((name, kind));
        }
        Ok(out)
    }

    fn read(&self, name: &str) -> Option<Result<Vec<u8>, GateError>> {
        Some(read_known(&self.path.join(name), Some(Kind::File)))
    }
}

fn special_name(k: Kind) -> &'static str {
    match k {
        Kind::Dir => "a folder",
        Kind::Special(s) => s,
        Kind::File => "a regular file",
    }
}

fn temp_path(dest: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dest.with_file_name(format!(".{name}.evreg-tmp-{}-{n}", std::process::id()))
}

/// A new file with `bytes`, flushed to disk before anyone links or renames it into place.
fn write_synced(path: &Path, bytes: &[u8], permissions: Option<fs::Permissions>) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    if let Some(p) = permissions {
        f.set_permissions(p)?;
    }
    f.sync_all()
}

/// Make a rename or link in `dir` durable.
fn sync_dir(dir: &Path) {
    // Folders cannot be opened (or synced) everywhere; where they cannot, the rename is as
    // durable as the platform makes it.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn parent_of(dest: &Path) -> PathBuf {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Write `bytes` to `dest`, which must not exist: written to a temporary file beside it, synced,
/// then linked into place (linking fails if `dest` appeared meanwhile, so nothing is overwritten).
/// For paths outside a registry; the error's message names the path and the way out.
pub fn create_new_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    Ok(create_new_at(dest, bytes)?)
}

/// [`create_new_atomic`] with the given permissions (a backup that keeps the original's mode).
pub fn create_new_with_permissions(
    dest: &Path,
    bytes: &[u8],
    permissions: fs::Permissions,
) -> io::Result<()> {
    Ok(create_new_inner(dest, bytes, Some(permissions))?)
}

fn create_new_at(dest: &Path, bytes: &[u8]) -> Result<(), GateError> {
    create_new_inner(dest, bytes, None)
}

fn create_new_inner(
    dest: &Path,
    bytes: &[u8],
    permissions: Option<fs::Permissions>,
) -> Result<(), GateError> {
    if fs::symlink_metadata(dest).is_ok() {
        return Err(GateError::AlreadyExists {
            path: dest.to_path_buf(),
        });
    }
    let tmp = temp_path(dest);
    let result = (|| {
        write_synced(&tmp, bytes, permissions)?;
        match fs::hard_link(&tmp, dest) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            // File systems without hard links: rename, after checking again.
            Err(_) if fs::symlink_metadata(dest).is_err() => fs::rename(&tmp, dest),
            Err(e) => Err(e),
        }
    })();
    let _ = fs::remove_file(&tmp);
    match result {
        Ok(()) => {
            sync_dir(&parent_of(dest));
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(GateError::AlreadyExists {
            path: dest.to_path_buf(),
        }),
        Err(e) => Err(GateError::io(dest)(e)),
    }
}

/// Replace `dest` (or create it) atomically: readers see the old or the new content, never
/// half. The file keeps its permissions. A symbolic link, FIFO, socket, device or folder at
/// `dest` is refused, never replaced: for a path the user chose (`--out`, a git hook), the link
/// or the pipe is theirs. The error's message names the path and the way out.
pub fn replace_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    Ok(replace_at(dest, bytes)?)
}

/// [`replace_atomic`] with the gate's own error.
pub fn replace_at(dest: &Path, bytes: &[u8]) -> Result<(), GateError> {
    if fs::symlink_metadata(dest).is_ok_and(|md| md.file_type().is_symlink()) {
        return Err(GateError::Link {
            path: dest.to_path_buf(),
        });
    }
    write_atomic(dest, bytes)
}

/// The atomic replace, `dest` being a real path (links already resolved by the caller).
fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<(), GateError> {
    let permissions = match fs::symlink_metadata(dest) {
        Ok(md) if md.file_type().is_symlink() => {
            return Err(GateError::Link {
                path: dest.to_path_buf(),
            });
        }
        Ok(md) => match kind_of(&md.file_type()) {
            Kind::File => Some(md.permissions()),
            k => {
                return Err(GateError::NotRegular {
                    path: dest.to_path_buf(),
                    kind: special_name(k),
                });
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(GateError::io(dest)(e)),
    };
    let tmp = temp_path(dest);
    let result = (|| {
        write_synced(&tmp, bytes, permissions)?;
        fs::rename(&tmp, dest)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(GateError::io(dest)(e));
    }
    sync_dir(&parent_of(dest));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_whole_at_every_size_through_a_listing_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let sizes = [0, 1, 31, 32, 33, 4095, 4096, 4097, 100_000];
        for n in sizes {
            let bytes: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
            fs::write(dir.path().join(format!("f{n}")), &bytes).unwrap();
        }
        // Read once by path alone, once as a file a listing showed (opened without a lookup).
        for listed in [false, true] {
            let gate = Gate::new(dir.path()).unwrap();
            if listed {
                gate.list("").unwrap();
            }
            for n in sizes {
                let expected: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
                let read = gate.read(&format!("f{n}")).unwrap();
                assert_eq!(read.len(), n, "f{n}, listed: {listed}");
                assert_eq!(read, expected, "f{n}, listed: {listed}");
            }
        }
    }

    /// Reading a folder's files with its listing gives what reading each by path gives; links
    /// (inside or out), FIFOs, folders and unwanted names are not read with it, and a file that
    /// became a link since it was opened is not read through the open folder.
    #[cfg(unix)]
    #[test]
    fn a_folder_read_with_its_listing_reads_regular_files_only() {
        use std::os::unix::fs::symlink;
        let outside = outside_with_a_secret();
        let dir = tempfile::tempdir().unwrap();
        let s = dir.path().join("s");
        fs::create_dir(&s).unwrap();
        let sizes = [0, 1, 4096, 100_000];
        for n in sizes {
            fs::write(s.join(format!("f{n}.avsc")), vec![b'x'; n]).unwrap();
        }
        fs::write(s.join("notes.txt"), "skip").unwrap();
        fs::create_dir(s.join("sub")).unwrap();
        symlink(s.join("f1.avsc"), s.join("in.avsc")).unwrap();
        symlink(outside.path().join("secret.avsc"), s.join("out.avsc")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(s.join("pipe.avsc"))
            .status()
            .is_ok_and(|st| st.success());
        let gate = Gate::new(dir.path()).unwrap();
        let (listed, files) = gate
            .list_reading("s", &|name: &str| name.ends_with(".avsc"))
            .unwrap();
        let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
        let mut expected = vec![
            "f0.avsc",
            "f1.avsc",
            "f100000.avsc",
            "f4096.avsc",
            "in.avsc",
            "notes.txt",
            "out.avsc",
            "sub",
        ];
        if fifo {
            expected.insert(7, "pipe.avsc");
        }
        assert_eq!(names, expected);
        assert_eq!(gate.list("s").unwrap().len(), listed.len());
        let read: Vec<(&str, usize)> = files
            .iter()
            .map(|(rel, bytes)| (rel.as_str(), bytes.as_ref().unwrap().len()))
            .collect();
        let mut read_sorted = read.clone();
        read_sorted.sort();
        assert_eq!(
            read_sorted,
            [
                ("s/f0.avsc", 0),
                ("s/f1.avsc", 1),
                ("s/f100000.avsc", 100_000),
                ("s/f4096.avsc", 4096)
            ]
        );
        for (rel, bytes) in &files {
            assert_eq!(bytes.as_ref().unwrap(), &gate.read(rel).unwrap());
        }
        let kind = |name: &str| &listed.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(matches!(kind("in.avsc"), Ok(Kind::File)));
        assert!(matches!(kind("out.avsc"), Err(GateError::Outside { .. })));
        assert!(matches!(kind("sub"), Ok(Kind::Dir)));
        if fifo {
            assert!(matches!(kind("pipe.avsc"), Ok(Kind::Special(_))));
        }
        // A name that is a link by the time it is opened is not read through the folder.
        let folder = Folder::open(&gate.resolve("s").unwrap()).unwrap().unwrap();
        assert!(folder.read("out.avsc").is_none());
        assert!(folder.read("in.avsc").is_none());
        assert_eq!(folder.read("f1.avsc").unwrap().unwrap(), b"x");
        if fifo {
            assert!(matches!(
                folder.read("pipe.avsc"),
                Some(Err(GateError::NotRegular { .. }))
            ));
        }
        // No folder at all: nothing listed, nothing read.
        let (listed, files) = gate.list_reading("none", &|_: &str| true).unwrap();
        assert!(listed.is_empty() && files.is_empty());
        fs::write(dir.path().join("plain"), "x").unwrap();
        assert!(
            gate.list_reading("plain", &|_: &str| true)
                .unwrap()
                .0
                .is_empty()
        );
    }

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

    #[test]
    fn paths_must_be_plain_and_relative() {
        let dir = tempfile::tempdir().unwrap();
        let gate = Gate::new(dir.path()).unwrap();
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "a\\b",
            "C:/x",
        ] {
            assert!(
                matches!(gate.resolve(bad), Err(GateError::BadPath { .. })),
                "{bad}"
            );
        }
        assert_eq!(
            gate.resolve("schemas/a/v1.avsc").unwrap(),
            gate.root().join("schemas/a/v1.avsc")
        );
        assert!(is_plain_name("example.json"));
        for bad in ["../x", "a/b", "/x", ".hidden", "", "a\\b"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    /// A folder outside any registry, holding `secret.avsc`: what links out must not reach.
    #[cfg(unix)]
    fn outside_with_a_secret() -> tempfile::TempDir {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.avsc"), "secret").unwrap();
        outside
    }

    #[cfg(unix)]
    #[test]
    fn a_listed_file_swapped_since_is_refused_still() {
        use std::os::unix::fs::symlink;
        let outside = outside_with_a_secret();
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("s")).unwrap();
        for name in ["a.avsc", "b.avsc", "c.avsc"] {
            fs::write(dir.path().join("s").join(name), name).unwrap();
        }
        let gate = Gate::new(dir.path()).unwrap();
        assert_eq!(gate.list("s").unwrap().len(), 3);
        assert_eq!(gate.read("s/a.avsc").unwrap(), b"a.avsc");
        // Listed as regular files, then replaced by a link out and by a FIFO.
        fs::remove_file(dir.path().join("s/b.avsc")).unwrap();
        symlink(
            outside.path().join("secret.avsc"),
            dir.path().join("s/b.avsc"),
        )
        .unwrap();
        assert!(matches!(
            gate.read("s/b.avsc"),
            Err(GateError::Outside { .. })
        ));
        fs::remove_file(dir.path().join("s/c.avsc")).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("s/c.avsc"))
            .status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                gate.read("s/c.avsc"),
                Err(GateError::NotRegular { .. })
            ));
        }
    }

    #[test]
    fn links_out_fifos_and_permissions() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let outside = outside_with_a_secret();
        let dir = tempfile::tempdir().unwrap();
        let gate = Gate::new(dir.path()).unwrap();
        symlink(outside.path(), dir.path().join("schemas")).unwrap();
        assert!(matches!(
            gate.read("schemas/secret.avsc"),
            Err(GateError::Outside { .. })
        ));
        assert!(matches!(
            gate.create_new("schemas/new.avsc", b"x"),
            Err(GateError::Outside { .. })
        ));
        assert!(!outside.path().join("new.avsc").exists());

        // A link inside the root is followed, and written through.
        fs::create_dir(dir.path().join("real")).unwrap();
        fs::write(dir.path().join("real/a.json"), "old").unwrap();
        symlink("real/a.json", dir.path().join("a.json")).unwrap();
        fs::set_permissions(
            dir.path().join("real/a.json"),
            fs::Permissions::from_mode(0o640),
        )
        .unwrap();
        gate.replace("a.json", b"new").unwrap();
        assert!(
            fs::symlink_metadata(dir.path().join("a.json"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let real = dir.path().join("real/a.json");
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );

        // A FIFO is refused, for reading and for replacing, without blocking.
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                gate.read("pipe.json"),
                Err(GateError::NotRegular { .. })
            ));
            assert!(matches!(
                replace_at(&fifo, b"x"),
                Err(GateError::NotRegular { .. })
            ));
            use std::os::unix::fs::FileTypeExt;
            assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        }
        // A new file can take another's mode (a backup of an executable hook stays executable).
        let backup = dir.path().join("pre-commit.bak");
        create_new_with_permissions(&backup, b"#!/bin/sh\n", fs::Permissions::from_mode(0o755))
            .unwrap();
        assert_eq!(
            fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
            0o755
        );
        assert!(
            create_new_with_permissions(&backup, b"", fs::Permissions::from_mode(0o755)).is_err()
        );
        // A link the user named is not replaced.
        let link = dir.path().join("out.rs");
        symlink("real/a.json", &link).unwrap();
        assert!(matches!(
            replace_at(&link, b"x"),
            Err(GateError::Link { .. })
        ));
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }
}
