//! Uploads waiting for the learner's confirmation on the import page.
//!
//! Nothing of an uploaded file is stored before the learner confirms its preview, so the file
//! waits here, in memory: under a random id that only its learner can use, one per learner (a
//! new upload replaces the previous one), for at most [`TTL_SECS`], and within a total size
//! bound so that uploads cannot grow the process. A restart forgets them: the learner uploads
//! again. On confirmation the bytes are parsed again and imported in one transaction.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use uuid::Uuid;

/// How long an upload waits for its confirmation.
pub const TTL_SECS: i64 = 30 * 60;
/// At most this many bytes waiting in all (each upload is also capped by `import_max_bytes`).
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;

struct Pending {
    learner: Uuid,
    file_name: String,
    bytes: Bytes,
    expires_at: i64,
}

#[derive(Default)]
pub struct PendingImports {
    by_id: Mutex<HashMap<Uuid, Pending>>,
}

/// An upload waiting for confirmation, as its learner sees it.
pub struct Waiting {
    pub file_name: String,
    pub bytes: Bytes,
}

impl PendingImports {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Pending>> {
        self.by_id.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps `bytes` for `learner`, replacing their previous upload; the id to confirm it with,
    /// or `None` when the uploads waiting already take all the room.
    pub fn put(&self, learner: Uuid, file_name: String, bytes: Bytes, now: i64) -> Option<Uuid> {
        let mut all = self.lock();
        all.retain(|_, p| p.expires_at > now && p.learner != learner);
        let used: usize = all.values().map(|p| p.bytes.len()).sum();
        if used + bytes.len() > MAX_TOTAL_BYTES {
            return None;
        }
        let id = Uuid::new_v4();
        all.insert(id, Pending { learner, file_name, bytes, expires_at: now + TTL_SECS });
        Some(id)
    }

    /// The upload `id` if it is `learner`'s and has not expired (it stays waiting).
    pub fn get(&self, learner: Uuid, id: Uuid, now: i64) -> Option<Waiting> {
        let all = self.lock();
        let p = all.get(&id).filter(|p| p.learner == learner && p.expires_at > now)?;
        Some(Waiting { file_name: p.file_name.clone(), bytes: p.bytes.clone() })
    }

    /// Removes and returns the upload `id` if it is `learner`'s and has not expired. Another
    /// learner's id is left alone, as if it did not exist.
    pub fn take(&self, learner: Uuid, id: Uuid, now: i64) -> Option<Waiting> {
        let mut all = self.lock();
        if all.get(&id).is_none_or(|p| p.learner != learner) {
            return None;
        }
        let p = all.remove(&id)?;
        (p.expires_at > now).then_some(Waiting { file_name: p.file_name, bytes: p.bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_its_learners_only_expires_and_is_replaced_by_the_next() {
        let store = PendingImports::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let first = store.put(a, "one.csv".into(), Bytes::from_static(b"x"), 0).unwrap();
        assert!(store.get(b, first, 1).is_none(), "another learner cannot see it");
        assert!(store.take(b, first, 1).is_none(), "nor take it");
        assert!(store.get(a, first, 1).is_some());
        let second = store.put(a, "two.csv".into(), Bytes::from_static(b"y"), 2).unwrap();
        assert!(store.get(a, first, 3).is_none(), "replaced");
        assert!(store.get(a, second, TTL_SECS + 2).is_none(), "expired");
        let third = store.put(a, "three.csv".into(), Bytes::from_static(b"z"), 10).unwrap();
        assert_eq!(store.take(a, third, 11).unwrap().file_name, "three.csv");
        assert!(store.take(a, third, 12).is_none(), "taken once");
    }

    #[test]
    fn the_total_size_is_bounded() {
        let store = PendingImports::default();
        let big = Bytes::from(vec![0u8; MAX_TOTAL_BYTES / 2 + 1]);
        assert!(store.put(Uuid::new_v4(), "a".into(), big.clone(), 0).is_some());
        assert!(store.put(Uuid::new_v4(), "b".into(), big.clone(), 0).is_none());
        assert!(store.put(Uuid::new_v4(), "c".into(), big, TTL_SECS + 1).is_some(), "expired room is reused");
    }
}
