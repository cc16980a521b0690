//! `certfolio backup`: a consistent copy of the live SQLite database. (PostgreSQL has its own
//! tools, `pg_dump` and base backups; evidence files are in the object store, which is copied
//! or versioned on its own, or both together with `certfolio copy`.)
//!
//! `VACUUM INTO` reads the whole database inside one read transaction, so the copy is one
//! snapshot even while the service writes (never copy the files: a copy taken mid-write is
//! corrupt). The copy goes to a temporary file beside the target, is checked with
//! `PRAGMA integrity_check`, synced, and only then renamed into place, so a failed or killed
//! backup never leaves a half-written file under the requested name.
//!
//! That rename is also what makes a wrong target dangerous: renamed over the live database,
//! its `-wal` or `-shm`, it silently swaps the file under the running service, and the next
//! writes (or the next crash) leave a malformed database or an empty one. So the target is
//! checked first, before anything is created or opened for writing: it must not be, or lead
//! to (through links, or another mount of the same folder), the database, its WAL or
//! shared-memory file, or anything else inside the data folder.

use std::fs::Metadata;
use std::path::{Path, PathBuf};

use super::{DB_FILE, Error, open_connection};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub learners: i64,
    pub courses: i64,
}

/// Why a backup was not written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// No database in the data folder (a wrong `--data`, mostly).
    #[error("{}: no certfolio database here (wrong --data?)", .0.display())]
    NoDatabase(PathBuf),
    /// The output cannot be used; the message says why, and reads after the output's name.
    #[error("{0}")]
    Output(String),
    /// Copying or checking the copy failed; nothing was left under the output's name.
    #[error("{0}")]
    Copy(#[from] Error),
}

/// Copies the database of `data_dir` to `out`, refusing a target that would touch the live
/// database (see the module's documentation) before touching anything.
pub fn backup_to(data_dir: &Path, out: &Path) -> Result<BackupReport, BackupError> {
    backup_file(&data_dir.join(DB_FILE), out)
}

/// The same for the database file `db_path` (its folder is the data folder no backup goes in).
pub fn backup_file(db_path: &Path, out: &Path) -> Result<BackupReport, BackupError> {
    let db_path = db_path.to_owned();
    let live = LiveFiles::find(&db_path).ok_or_else(|| BackupError::NoDatabase(db_path.clone()))?;
    let target = check_output(out, &live).map_err(BackupError::Output)?;
    copy_into(&db_path, out, &target).map_err(|e| match e {
        CopyError::Output(m) => BackupError::Output(m),
        CopyError::Db(e) => BackupError::Copy(e),
    })
}

/// The live files, resolved: what no backup may be written over or into.
struct LiveFiles {
    /// The data folder, canonical.
    dir: PathBuf,
    dir_meta: Metadata,
    /// The database, its write-ahead log and its shared-memory file, with what they are.
    files: [(PathBuf, &'static str); 3],
}

impl LiveFiles {
    fn find(db_path: &Path) -> Option<LiveFiles> {
        let parent = match db_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let dir = std::fs::canonicalize(parent).ok()?;
        let dir_meta = std::fs::metadata(&dir).ok()?;
        let name = db_path.file_name()?.to_string_lossy().into_owned();
        let db = dir.join(&name);
        if !db.is_file() {
            return None;
        }
        let with = |suffix: &str| dir.join(format!("{name}{suffix}"));
        let files = [
            (db.clone(), "the live database"),
            (with("-wal"), "the live database's write-ahead log"),
            (with("-shm"), "the live database's shared-memory file"),
        ];
        Some(LiveFiles { dir, dir_meta, files })
    }

    /// What `path` (canonical) is among the live files, comparing names and, for files that
    /// exist, identities (a hard link or another mount of the data folder has another name).
    fn which(&self, path: &Path) -> Option<&'static str> {
        let meta = std::fs::metadata(path).ok();
        self.files.iter().find_map(|(live, what)| {
            let same_name = live == path;
            let same_file = match (&meta, std::fs::metadata(live).ok()) {
                (Some(a), Some(b)) => same_file(a, &b),
                _ => false,
            };
            (same_name || same_file).then_some(*what)
        })
    }

    /// `dir` (canonical) is the data folder or inside it.
    fn contains(&self, dir: &Path) -> bool {
        dir.ancestors().any(|a| a == self.dir || std::fs::metadata(a).is_ok_and(|m| same_file(&m, &self.dir_meta)))
    }
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    false
}

/// Where the copy will go: the folder to write the temporary file in, and the file's name.
struct Target {
    dir: PathBuf,
    file_name: std::ffi::OsString,
}

/// Every check that can be made without writing: the message says what is wrong with `out`.
fn check_output(out: &Path, live: &LiveFiles) -> Result<Target, String> {
    let outside = format!("write the backup outside the data folder {}", live.dir.display());
    if out.as_os_str().as_encoded_bytes().ends_with(b"/") {
        return Err("names a folder; give the backup a file name".into());
    }
    let file_name = out.file_name().ok_or("is not a file name")?.to_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    // The output as it will be written: through its links when it exists, else its folder's
    // real path and its name (a rename replaces a link; refusing one that leads to a live file
    // is still right: the person meant that file).
    let resolved = match std::fs::symlink_metadata(out) {
        Ok(link) => {
            let meta = std::fs::metadata(out).map_err(|_| match std::fs::read_link(out) {
                Ok(to) => format!("is a broken link (to {}); remove it or choose another name", to.display()),
                Err(e) => format!("cannot be read: {e}"),
            })?;
            let resolved = std::fs::canonicalize(out).map_err(|e| format!("cannot be resolved: {e}"))?;
            if let Some(what) = live.which(&resolved) {
                return Err(leads_to(out, &resolved, link.file_type().is_symlink(), what, &outside));
            }
            if meta.is_dir() {
                return Err("is a folder; give the backup a file name inside it".into());
            }
            if !meta.is_file() {
                return Err("exists and is not a regular file; choose another name".into());
            }
            resolved
        }
        Err(_) => {
            let dir = std::fs::canonicalize(&parent).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => format!("the folder {} does not exist", parent.display()),
                std::io::ErrorKind::NotADirectory => format!("{} is not a folder", parent.display()),
                _ => format!("the folder {} cannot be used: {e}", parent.display()),
            })?;
            if !dir.is_dir() {
                return Err(format!("{} is not a folder", parent.display()));
            }
            let resolved = dir.join(&file_name);
            if let Some(what) = live.which(&resolved) {
                return Err(leads_to(out, &resolved, false, what, &outside));
            }
            resolved
        }
    };
    let dir = resolved.parent().map_or_else(|| PathBuf::from("/"), Path::to_owned);
    if live.contains(&dir) {
        return Err(format!("is inside the data folder {}; write the backup outside it", live.dir.display()));
    }
    Ok(Target { dir, file_name: resolved.file_name().map_or(file_name, ToOwned::to_owned) })
}

fn leads_to(out: &Path, resolved: &Path, link: bool, what: &str, outside: &str) -> String {
    if link || std::path::absolute(out).ok().as_deref() != Some(resolved) {
        format!("leads to {}, {what}; {outside}", resolved.display())
    } else {
        format!("is {what}; {outside}")
    }
}

enum CopyError {
    Output(String),
    Db(Error),
}

impl From<Error> for CopyError {
    fn from(e: Error) -> Self {
        CopyError::Db(e)
    }
}

impl From<rusqlite::Error> for CopyError {
    fn from(e: rusqlite::Error) -> Self {
        CopyError::Db(e.into())
    }
}

fn copy_into(db_path: &Path, out: &Path, target: &Target) -> Result<BackupReport, CopyError> {
    let tmp = target.dir.join(format!(".{}.{}.tmp", target.file_name.to_string_lossy(), std::process::id()));
    let cannot_write = |e: std::io::Error| CopyError::Output(format!("cannot write in {}: {e}", target.dir.display()));
    // Created here, empty (which `VACUUM INTO` accepts), so that a folder we may not write in is
    // reported as such rather than as "unable to open database" on a hidden file name.
    std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(cannot_write)?;
    let result = (|| {
        let source = open_connection(db_path, true)?;
        source.execute("VACUUM INTO ?1", [tmp.to_string_lossy().as_ref()])?;
        drop(source);
        let copy = rusqlite::Connection::open(&tmp)?;
        let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::Corrupt(format!("the copy failed its integrity check: {check}")).into());
        }
        let learners = copy.query_row("SELECT count(*) FROM learners", [], |r| r.get(0))?;
        let courses = copy.query_row("SELECT count(*) FROM courses", [], |r| r.get(0))?;
        drop(copy);
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(cannot_write)?;
        let dest = target.dir.join(&target.file_name);
        std::fs::rename(&tmp, &dest).map_err(cannot_write)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(&target.dir) {
            let _ = d.sync_all();
        }
        let bytes = std::fs::metadata(&dest).map_err(cannot_write)?.len();
        Ok(BackupReport { path: out.to_owned(), bytes, learners, courses })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
