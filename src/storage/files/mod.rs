//! The object store: evidence files and uploads waiting for confirmation, outside the database.
//!
//! Objects are named by the SHA-256 of their bytes (`sha256/<hex>`): content-addressed, so a
//! write never changes what a name means, two rows may name one object, and every read is
//! checked against its name. The rule that keeps rows and objects consistent without a
//! transaction spanning both:
//! - an object is written (and synced) **before** the row naming it commits, so a committed
//!   row never names a missing object;
//! - an object no row names is an orphan (a failed or rolled-back write, a deleted row); the
//!   sweep ([`Db::sweep_orphans`](super::Db::sweep_orphans)) removes orphans older than
//!   [`ORPHAN_GRACE_SECS`], and every write of an object refreshes its modification time (even
//!   when the object already exists), so an object about to be named again by a transaction in
//!   flight is never old enough to be swept.
//!
//! Two stores: a local folder (the default, `DATA/files`), and an S3-compatible bucket
//! (`s3://bucket/prefix?endpoint=…&region=…`, credentials from `AWS_ACCESS_KEY_ID` /
//! `AWS_SECRET_ACCESS_KEY`), which every instance of a scaled-out installation shares.

use std::path::PathBuf;

use bytes::Bytes;

use super::{Error, Result};

mod local;
pub mod s3;

/// An unnamed object younger than this is left alone by the sweep: long enough for any
/// transaction that is about to name it to commit.
pub const ORPHAN_GRACE_SECS: i64 = 3600;

/// `--files`: where the objects are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesUrl {
    /// A folder (`file://PATH` or a path), created when missing.
    Local(PathBuf),
    S3(s3::S3Url),
}

impl FilesUrl {
    /// Reads `--files`; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<FilesUrl, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("give a folder or s3://bucket?endpoint=…&region=…".into());
        }
        if let Some(rest) = text.strip_prefix("s3://") {
            return s3::S3Url::parse(rest).map(FilesUrl::S3);
        }
        if let Some(path) = text.strip_prefix("file://") {
            return Ok(FilesUrl::Local(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(format!("`{scheme}://…` is not a folder, file://PATH or s3://bucket"));
        }
        Ok(FilesUrl::Local(PathBuf::from(text)))
    }

    pub fn describe(&self) -> String {
        match self {
            FilesUrl::Local(p) => p.display().to_string(),
            FilesUrl::S3(u) => u.describe(),
        }
    }

    /// The setting as `--files` takes it back.
    pub fn url(&self) -> String {
        match self {
            FilesUrl::Local(p) => p.display().to_string(),
            FilesUrl::S3(u) => u.url(),
        }
    }
}

/// An object as listed: its name's hash and when it was last written (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub sha256: String,
    pub modified: i64,
}

/// The store an installation uses.
#[derive(Clone)]
pub enum FileStore {
    Local(local::LocalStore),
    S3(s3::S3Store),
}

pub(crate) fn is_sha256(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl FileStore {
    /// The store `url` names (a folder is created; a bucket is only checked by [`ping`]).
    ///
    /// [`ping`]: FileStore::ping
    pub fn open(url: &FilesUrl) -> Result<FileStore> {
        match url {
            FilesUrl::Local(dir) => local::LocalStore::open(dir).map(FileStore::Local),
            FilesUrl::S3(u) => s3::S3Store::new(u).map(FileStore::S3),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            FileStore::Local(l) => l.describe(),
            FileStore::S3(s) => s.describe(),
        }
    }

    /// Stores `bytes` under their SHA-256, durably, and returns it. Writing an object that
    /// exists rewrites it (same bytes), which refreshes its modification time (see the
    /// module's documentation).
    pub async fn put(&self, bytes: Bytes) -> Result<String> {
        let sha256 = super::sha256_hex(&bytes);
        match self {
            FileStore::Local(l) => l.put(&sha256, bytes).await?,
            FileStore::S3(s) => s.put(&sha256, bytes).await?,
        }
        Ok(sha256)
    }

    /// The object named `sha256`, checked against its name; `None` when there is none.
    pub async fn get(&self, sha256: &str) -> Result<Option<Bytes>> {
        if !is_sha256(sha256) {
            return Err(Error::Files(format!("`{sha256}` is not a SHA-256 name")));
        }
        let bytes = match self {
            FileStore::Local(l) => l.get(sha256).await?,
            FileStore::S3(s) => s.get(sha256).await?,
        };
        match bytes {
            Some(b) if super::sha256_hex(&b) != sha256 => {
                Err(Error::Files(format!("sha256/{sha256}: the stored bytes do not match their name")))
            }
            other => Ok(other),
        }
    }

    pub async fn delete(&self, sha256: &str) -> Result<()> {
        if !is_sha256(sha256) {
            return Err(Error::Files(format!("`{sha256}` is not a SHA-256 name")));
        }
        match self {
            FileStore::Local(l) => l.delete(sha256).await,
            FileStore::S3(s) => s.delete(sha256).await,
        }
    }

    /// Every object of the store.
    pub async fn list(&self) -> Result<Vec<Listed>> {
        match self {
            FileStore::Local(l) => l.list().await,
            FileStore::S3(s) => s.list().await,
        }
    }

    /// Answers when the store does (a start-up check, and `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        match self {
            FileStore::Local(l) => l.ping().await,
            FileStore::S3(s) => s.ping().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_urls_are_read() {
        assert_eq!(FilesUrl::parse("/srv/files").unwrap(), FilesUrl::Local("/srv/files".into()));
        assert_eq!(FilesUrl::parse("file:///srv/files").unwrap(), FilesUrl::Local("/srv/files".into()));
        let FilesUrl::S3(u) =
            FilesUrl::parse("s3://evidence/prod?endpoint=http://127.0.0.1:8333&region=eu-west-3").unwrap()
        else {
            panic!()
        };
        assert_eq!(u.describe(), "s3://evidence/prod (http://127.0.0.1:8333, eu-west-3)");
        assert!(FilesUrl::parse("ftp://x").unwrap_err().contains("ftp://"));
        assert!(FilesUrl::parse("s3://?region=x").is_err());
        assert!(FilesUrl::parse("s3://bkt?endpoint=ftp://x").is_err());
        assert!(FilesUrl::parse("s3://bkt?colour=red").unwrap_err().contains("colour"));
    }

    #[tokio::test]
    async fn a_local_store_keeps_objects_by_hash_and_checks_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(&FilesUrl::Local(dir.path().join("files"))).unwrap();
        store.ping().await.unwrap();
        let sha = store.put(Bytes::from_static(b"hello")).await.unwrap();
        assert_eq!(sha, super::super::sha256_hex(b"hello"));
        assert_eq!(store.put(Bytes::from_static(b"hello")).await.unwrap(), sha, "idempotent");
        assert_eq!(store.get(&sha).await.unwrap().unwrap(), Bytes::from_static(b"hello"));
        let listed = store.list().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].sha256, sha);
        // Bytes that no longer match their name are refused, not served.
        let path = dir.path().join("files/sha256").join(&sha[..2]).join(&sha);
        std::fs::write(&path, b"jello").unwrap();
        assert!(store.get(&sha).await.is_err());
        store.delete(&sha).await.unwrap();
        assert!(store.get(&sha).await.unwrap().is_none());
        assert!(store.list().await.unwrap().is_empty());
        assert!(store.get("../../etc/passwd").await.is_err(), "only hashes name objects");
    }
}
