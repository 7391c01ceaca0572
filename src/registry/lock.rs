//! `evreg.lock`: the fingerprint and schema id of every published version, its parsing and
//! rendering, the ids it hands out, and its read-modify-write under the registry's lock. What
//! a fingerprint is, and what a changed one means, is `crate::integrity`'s.

use super::{ConfigError, LoadError, Registry};
use sha2::Digest;
use std::collections::BTreeMap;

pub const LOCK_FILE: &str = "evreg.lock";

const LOCK_HEADER: &str = "# evreg.lock: the fingerprint (sha256 of the canonical form) of every published version,\n# and its schema id as `evreg serve` and `evreg publish` give it to Schema Registry clients.\n# Written by `evreg lock` and `evreg add`; `evreg check` fails when a locked version changes.\n";

/// `evreg.lock`: subject → version → fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    pub entries: BTreeMap<String, BTreeMap<u32, LockEntry>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockEntry {
    pub fingerprint: String,
    /// The schema id (`id:N`); absent in lock files written before ids were recorded, until
    /// the next `evreg lock` or `evreg add` assigns one.
    pub id: Option<u32>,
    /// 1-based line in evreg.lock (0 for entries not read from a file).
    pub line: usize,
}

impl Lock {
    /// Parse the lock file: `SUBJECT VERSION sha256:HEX [id:N]` per line, `#` comments.
    pub fn parse(text: &str) -> Result<Lock, ConfigError> {
        let mut lock = Lock::default();
        // id → (fingerprint, line): one id names one schema.
        let mut ids: std::collections::HashMap<u32, (String, usize)> = Default::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: String| {
                ConfigError {
                file: LOCK_FILE.into(),
                line: i + 1,
                column: 1,
                message,
                help: "evreg.lock is written by `evreg lock`; restore it from git (`git checkout -- evreg.lock`) rather than editing it".into(),
            }
            };
            let parts: Vec<&str> = line.split_whitespace().collect();
            let (subject, version, fingerprint, id) = match parts[..] {
                [s, v, f] => (s, v, f, None),
                [s, v, f, id] => (s, v, f, Some(id)),
                _ => {
                    return Err(err(format!(
                        "expected `SUBJECT VERSION sha256:HEX [id:N]`, found `{line}`"
                    )));
                }
            };
            let version: u32 = version
                .parse()
                .map_err(|_| err(format!("`{version}` is not a version number")))?;
            let hex = fingerprint.strip_prefix("sha256:").unwrap_or("");
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err(format!("`{fingerprint}` is not a sha256 fingerprint")));
            }
            let id = match id {
                None => None,
                Some(id) => {
                    let n = id
                        .strip_prefix("id:")
                        .and_then(|n| n.parse::<u32>().ok())
                        .filter(|n| (1..=MAX_SCHEMA_ID).contains(n))
                        .ok_or_else(|| {
                            err(format!(
                                "`{id}` is not a schema id (`id:N`, N from 1 to {MAX_SCHEMA_ID})"
                            ))
                        })?;
                    match ids.get(&n) {
                        Some((fp, at)) if fp != fingerprint => {
                            return Err(err(format!(
                                "schema id {n} is also given to a different schema on line {at}"
                            )));
                        }
                        _ => {
                            ids.insert(n, (fingerprint.to_string(), i + 1));
                        }
                    }
                    Some(n)
                }
            };
            let previous = lock.entries.entry(subject.to_string()).or_default().insert(
                version,
                LockEntry {
                    fingerprint: fingerprint.to_string(),
                    id,
                    line: i + 1,
                },
            );
            if previous.is_some() {
                return Err(err(format!("{subject} v{version} is listed twice")));
            }
        }
        Ok(lock)
    }

    pub fn render(&self) -> String {
        let mut out = String::from(LOCK_HEADER);
        for (subject, versions) in &self.entries {
            for (v, e) in versions {
                match e.id {
                    Some(id) => out.push_str(&format!("{subject} {v} {} id:{id}\n", e.fingerprint)),
                    None => out.push_str(&format!("{subject} {v} {}\n", e.fingerprint)),
                }
            }
        }
        out
    }

    pub fn get(&self, subject: &str, version: u32) -> Option<&LockEntry> {
        self.entries.get(subject)?.get(&version)
    }

    /// Give every entry without a schema id one, in (subject, version) order; ids already
    /// recorded never change.
    pub fn assign_ids(&mut self) {
        let mut table = IdTable::of(self);
        for versions in self.entries.values_mut() {
            for e in versions.values_mut() {
                if e.id.is_none() {
                    e.id = Some(table.assign(&e.fingerprint));
                }
            }
        }
    }
}

/// The largest schema id: Schema Registry clients read ids as a Java `int`.
pub const MAX_SCHEMA_ID: u32 = i32::MAX as u32;

/// The schema ids a registry hands out. An id is derived from the fingerprint (the first 31 bits
/// of `sha256(FINGERPRINT#k)` for k = 0, 1, …, the first that is not 0 and not taken by another
/// schema), so equal schemas get equal ids, and two clones that lock different versions
/// independently agree on every id except after a 31-bit collision. Recorded in evreg.lock, an
/// id is never changed or reused.
#[derive(Debug, Clone, Default)]
pub struct IdTable {
    by_id: std::collections::HashMap<u32, String>,
    by_fingerprint: std::collections::HashMap<String, u32>,
}

impl IdTable {
    /// The ids the lock records.
    pub fn of(lock: &Lock) -> IdTable {
        let mut table = IdTable::default();
        for e in lock.entries.values().flat_map(|v| v.values()) {
            if let Some(id) = e.id {
                table.by_id.insert(id, e.fingerprint.clone());
                table
                    .by_fingerprint
                    .entry(e.fingerprint.clone())
                    .or_insert(id);
            }
        }
        table
    }

    /// The id of a schema by its fingerprint: the one it has, else the first free candidate.
    pub fn assign(&mut self, fingerprint: &str) -> u32 {
        if let Some(&id) = self.by_fingerprint.get(fingerprint) {
            return id;
        }
        let id = (0u64..)
            .map(|k| {
                let digest = sha2::Sha256::digest(format!("{fingerprint}#{k}").as_bytes());
                u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) & MAX_SCHEMA_ID
            })
            .find(|id| *id != 0 && !self.by_id.contains_key(id))
            .unwrap_or(MAX_SCHEMA_ID);
        self.by_id.insert(id, fingerprint.to_string());
        self.by_fingerprint.insert(fingerprint.to_string(), id);
        id
    }

    /// Record an id given out elsewhere (a schema `serve --writable` accepted).
    pub fn claim(&mut self, id: u32, fingerprint: &str) {
        self.by_id
            .entry(id)
            .or_insert_with(|| fingerprint.to_string());
        self.by_fingerprint
            .entry(fingerprint.to_string())
            .or_insert(id);
    }

    /// The fingerprint an id was given to.
    pub fn fingerprint(&self, id: u32) -> Option<&str> {
        self.by_id.get(&id).map(String::as_str)
    }
}

/// Read-modify-write `evreg.lock` under the registry's exclusive lock. Once the lock is held the
/// registry is read afresh (lock file included), `change` returns the lock to write (or `None`
/// to leave it) and a value for the caller, and the new lock is written atomically before the
/// lock is released. Concurrent `evreg add` and `evreg lock` runs are thereby serialised: none
/// writes a lock read before another's change.
pub fn with_lock_file<T>(
    root: &std::path::Path,
    change: impl FnOnce(&Registry) -> (Option<Lock>, T),
) -> Result<T, LoadError> {
    let gate = crate::fsutil::Gate::new(root)?;
    let held = gate.lock(super::CONFIG_FILE)?;
    change_lock_file(&gate, &held, change)
}

/// [`with_lock_file`] for a caller that already holds the registry's lock (to write other files
/// in the same change, as `evreg add` writes the version it records).
pub fn change_lock_file<T>(
    gate: &crate::fsutil::Gate,
    _held: &crate::fsutil::RegistryLock,
    change: impl FnOnce(&Registry) -> (Option<Lock>, T),
) -> Result<T, LoadError> {
    let reg = Registry::load(gate.root())?;
    let (mut next, out) = change(&reg);
    // Every version written to the lock gets its schema id in the same write.
    if let Some(lock) = &mut next {
        lock.assign_ids();
    }
    if let Some(lock) = next
        && reg.lock.as_ref().map(Lock::render) != Some(lock.render())
    {
        gate.replace(LOCK_FILE, lock.render().as_bytes())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_round_trips_and_rejects_garbage() {
        let fp = format!("sha256:{}", "ab".repeat(32));
        let text = format!("# comment\norders.order.placed 1 {fp}\norders.order.placed 2 {fp}\n");
        let lock = Lock::parse(&text).unwrap();
        assert_eq!(lock.get("orders.order.placed", 2).unwrap().line, 3);
        let again = Lock::parse(&lock.render()).unwrap();
        assert_eq!(again.get("orders.order.placed", 1).unwrap().fingerprint, fp);
        assert_eq!(again.entries.values().map(|v| v.len()).sum::<usize>(), 2);
        assert_eq!(Lock::parse("a.b.c x sha256:00\n").unwrap_err().line, 1);
        assert!(
            Lock::parse(&format!("a.b.c 1 {fp}\na.b.c 1 {fp}\n"))
                .unwrap_err()
                .message
                .contains("twice")
        );
    }

    #[test]
    fn lock_files_without_ids_stay_readable_and_ids_round_trip() {
        let fp = format!("sha256:{}", "ab".repeat(32));
        let other = format!("sha256:{}", "cd".repeat(32));
        // Written before ids were recorded: three columns.
        let old = format!("a.b.c 1 {fp}\na.b.c 2 {other}\n");
        let mut lock = Lock::parse(&old).unwrap();
        assert_eq!(lock.get("a.b.c", 1).unwrap().id, None);
        lock.assign_ids();
        let (one, two) = (
            lock.get("a.b.c", 1).unwrap().id.unwrap(),
            lock.get("a.b.c", 2).unwrap().id.unwrap(),
        );
        assert_ne!(one, two);
        assert_eq!(
            one,
            IdTable::default().assign(&fp),
            "derived from the fingerprint"
        );
        let again = Lock::parse(&lock.render()).unwrap();
        assert_eq!(again.get("a.b.c", 2).unwrap().id, Some(two));
        // Recorded ids never change; equal schemas share one.
        let mut more = again.clone();
        more.entries.get_mut("a.b.c").unwrap().insert(
            3,
            LockEntry {
                fingerprint: fp.clone(),
                id: None,
                line: 0,
            },
        );
        more.assign_ids();
        assert_eq!(more.get("a.b.c", 3).unwrap().id, Some(one));
        assert_eq!(more.get("a.b.c", 2).unwrap().id, Some(two));
        // One id for two schemas is refused with its line.
        let e = Lock::parse(&format!("a.b.c 1 {fp} id:5\nx.y.z 1 {other} id:5\n")).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(Lock::parse(&format!("a.b.c 1 {fp} id:0\n")).is_err());
        assert!(Lock::parse(&format!("a.b.c 1 {fp} 5\n")).is_err());
    }

    #[test]
    fn a_taken_id_sends_the_next_schema_to_its_next_candidate() {
        let mut t = IdTable::default();
        let a = t.assign("sha256:a");
        let mut forced = IdTable::default();
        forced.claim(a, "sha256:other");
        let moved = forced.assign("sha256:a");
        assert_ne!(moved, a);
        assert!((1..=MAX_SCHEMA_ID).contains(&moved));
    }
}
