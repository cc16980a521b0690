//! Objects in a local folder: `DIR/sha256/ab/abcd…` (two hex digits of fan-out), written to a
//! temporary file in `DIR/tmp`, synced, renamed into place and the folder synced, so that an
//! object is either whole or absent, and present after a crash once `put` returned.

use std::path::{Path, PathBuf};

use bytes::Bytes;

use super::Listed;
use crate::storage::{Error, Result};

#[derive(Clone)]
pub struct LocalStore {
    dir: PathBuf,
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Files(format!("{}: {e}", path.display()))
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Files(format!("a file task failed: {e}")))?
}

fn sync_dir(dir: &Path) {
    // Makes a rename or removal durable; some file systems refuse to open folders for this.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

impl LocalStore {
    pub fn open(dir: &Path) -> Result<LocalStore> {
        for sub in ["sha256", "tmp"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
        }
        Ok(LocalStore { dir: dir.to_owned() })
    }

    pub fn describe(&self) -> String {
        self.dir.display().to_string()
    }

    fn path_of(&self, sha256: &str) -> PathBuf {
        self.dir.join("sha256").join(&sha256[..2]).join(sha256)
    }

    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<()> {
        let (path, tmp_dir) = (self.path_of(sha256), self.dir.join("tmp"));
        blocking(move || {
            use std::io::Write;
            let folder = path.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
            std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
            let tmp = tmp_dir.join(format!("{}.{}", uuid::Uuid::new_v4(), std::process::id()));
            let written = (|| {
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(&bytes)?;
                f.sync_all()
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(io(&tmp, e));
            }
            // Also over an existing object (the same bytes): its time is then fresh.
            std::fs::rename(&tmp, &path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                io(&path, e)
            })?;
            sync_dir(&folder);
            Ok(())
        })
        .await
    }

    pub async fn get(&self, sha256: &str) -> Result<Option<Bytes>> {
        let path = self.path_of(sha256);
        blocking(move || match std::fs::read(&path) {
            Ok(b) => Ok(Some(Bytes::from(b))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path, e)),
        })
        .await
    }

    pub async fn delete(&self, sha256: &str) -> Result<()> {
        let path = self.path_of(sha256);
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => {
                if let Some(folder) = path.parent() {
                    sync_dir(folder);
                }
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(&path, e)),
        })
        .await
    }

    pub async fn list(&self) -> Result<Vec<Listed>> {
        let root = self.dir.join("sha256");
        blocking(move || {
            let mut out = Vec::new();
            for fan in std::fs::read_dir(&root).map_err(|e| io(&root, e))? {
                let fan = fan.map_err(|e| io(&root, e))?.path();
                if !fan.is_dir() {
                    continue;
                }
                for entry in std::fs::read_dir(&fan).map_err(|e| io(&fan, e))? {
                    let entry = entry.map_err(|e| io(&fan, e))?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if !super::is_sha256(&name) {
                        continue;
                    }
                    let modified = entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
                    out.push(Listed { sha256: name, modified });
                }
            }
            out.sort_by(|a, b| a.sha256.cmp(&b.sha256));
            Ok(out)
        })
        .await
    }

    pub async fn ping(&self) -> Result<()> {
        let dir = self.dir.join("sha256");
        blocking(move || {
            if dir.is_dir() { Ok(()) } else { Err(Error::Files(format!("{}: the folder is missing", dir.display()))) }
        })
        .await
    }
}
