//! `certfolio backup`: a consistent copy of the live database.
//!
//! `VACUUM INTO` reads the whole database inside one read transaction, so the copy is one
//! snapshot even while the service writes (never copy the files: a copy taken mid-write is
//! corrupt). The copy goes to a temporary file beside the target, is checked with
//! `PRAGMA integrity_check`, synced, and only then renamed into place, so a failed or killed
//! backup never leaves a half-written file under the requested name.

use std::path::{Path, PathBuf};

use super::{Error, Result, open_connection};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub learners: i64,
    pub courses: i64,
}

pub fn backup_to(db_path: &Path, out: &Path) -> Result<BackupReport> {
    if !db_path.exists() {
        return Err(Error::Io {
            path: db_path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no database here (wrong --data?)"),
        });
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = out.file_name().ok_or_else(|| Error::Io {
        path: out.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
    })?;
    let tmp = dir.join(format!(".{}.{}.tmp", file_name.to_string_lossy(), std::process::id()));
    let _ = std::fs::remove_file(&tmp);

    let result = (|| {
        let source = open_connection(db_path, true)?;
        source.execute("VACUUM INTO ?1", [tmp.to_string_lossy().as_ref()])?;
        drop(source);
        let copy = rusqlite::Connection::open(&tmp)?;
        let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::Corrupt(format!("the copy failed its integrity check: {check}")));
        }
        let learners = copy.query_row("SELECT count(*) FROM learners", [], |r| r.get(0))?;
        let courses = copy.query_row("SELECT count(*) FROM courses", [], |r| r.get(0))?;
        drop(copy);
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(io(&tmp))?;
        std::fs::rename(&tmp, out).map_err(io(out))?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        let bytes = std::fs::metadata(out).map_err(io(out))?.len();
        Ok(BackupReport { path: out.to_owned(), bytes, learners, courses })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
