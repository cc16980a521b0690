//! Uploads waiting for the learner's confirmation on the import page.
//!
//! Nothing of an uploaded file is added to the record before the learner confirms its preview,
//! so the file waits apart: its bytes in the object store, a row naming them (`storage::pending`),
//! under a random id that only its learner can use, one per learner (a new upload replaces the
//! previous one), for at most [`TTL_SECS`], and within a total size bound so that uploads cannot
//! fill the store. Any instance can show the preview or take the confirmation. On confirmation
//! the bytes are parsed again and imported in one transaction.
//!
//! The room is shared fairly, so that throwaway accounts cannot keep everyone else from
//! importing: one client address holds at most [`MAX_PER_ADDRESS`] bytes in
//! [`MAX_UPLOADS_PER_ADDRESS`] uploads, and when the pool is full a new upload takes the room
//! of the oldest upload of whichever *other* address holds the most. An address can thus only
//! ever push out an address holding more than it does, never a smaller one ([`plan`]).

use std::collections::HashMap;

use axum::body::Bytes;
use uuid::Uuid;

use crate::storage::pending::Entry;
pub use crate::storage::pending::Waiting;
use crate::storage::{Db, Result};

/// How long an upload waits for its confirmation.
pub const TTL_SECS: i64 = 30 * 60;
/// At most this many bytes waiting in all (each upload is also capped by `import_max_bytes`).
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
/// At most this many bytes waiting for one client address (two uploads at the import limit).
pub const MAX_PER_ADDRESS: usize = 16 * 1024 * 1024;
/// At most this many uploads waiting for one client address (a few learners behind one NAT).
pub const MAX_UPLOADS_PER_ADDRESS: usize = 4;

/// Why an upload cannot wait for its confirmation now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// This address already has as much waiting as it may: confirm or cancel those first.
    AddressFull,
    /// Every byte of the pool is held by addresses holding no more than this one.
    PoolFull,
}

/// The room rule: which waiting uploads to remove so that `learner`'s new upload of `size`
/// bytes from `address` may wait (the expired ones and the learner's previous upload, plus
/// whatever the pool's fairness takes), or why it may not.
pub fn plan(entries: &[Entry], learner: Uuid, address: &str, size: usize, now: i64) -> Result<Vec<Uuid>, Refused> {
    let mut evict: Vec<Uuid> =
        entries.iter().filter(|p| p.expires_at <= now || p.learner == learner).map(|p| p.id).collect();
    let mut all: Vec<&Entry> = entries.iter().filter(|p| !evict.contains(&p.id)).collect();
    let (uploads, bytes_held) =
        all.iter().filter(|p| p.address == address).fold((0, 0), |(n, b), p| (n + 1, b + p.size));
    if uploads >= MAX_UPLOADS_PER_ADDRESS || bytes_held + size > MAX_PER_ADDRESS {
        return Err(Refused::AddressFull);
    }
    let mine = bytes_held + size;
    while all.iter().map(|p| p.size).sum::<usize>() + size > MAX_TOTAL_BYTES {
        // The address holding the most, other than this one, gives up its oldest upload —
        // but only if it holds more than this address will.
        let mut by_address: HashMap<&str, usize> = HashMap::new();
        for p in all.iter().filter(|p| p.address != address) {
            *by_address.entry(p.address.as_str()).or_default() += p.size;
        }
        let Some((biggest, most)) = by_address.into_iter().max_by_key(|(a, b)| (*b, std::cmp::Reverse(*a))) else {
            return Err(Refused::PoolFull);
        };
        if most <= mine {
            return Err(Refused::PoolFull);
        }
        let biggest = biggest.to_owned();
        let Some(oldest) =
            all.iter().filter(|p| p.address == biggest).min_by_key(|p| (p.expires_at, p.id)).map(|p| p.id)
        else {
            return Err(Refused::PoolFull);
        };
        all.retain(|p| p.id != oldest);
        evict.push(oldest);
    }
    Ok(evict)
}

/// The uploads waiting, shared by every instance through the database and the object store.
#[derive(Clone)]
pub struct PendingImports {
    db: Db,
}

impl PendingImports {
    pub fn new(db: Db) -> Self {
        PendingImports { db }
    }

    /// Keeps `bytes` for `learner` (from `address`), replacing their previous upload; the id
    /// to confirm it with, or why it cannot wait.
    pub async fn put(
        &self,
        learner: Uuid,
        address: &str,
        file_name: String,
        bytes: Bytes,
        now: i64,
    ) -> Result<Result<Uuid, Refused>> {
        self.db.put_pending(learner, address.to_owned(), file_name, bytes, now, now + TTL_SECS, plan).await
    }

    /// The upload `id` if it is `learner`'s and has not expired (it stays waiting).
    pub async fn get(&self, learner: Uuid, id: Uuid, now: i64) -> Result<Option<Waiting>> {
        self.db.pending(learner, id, now).await
    }

    /// Removes and returns the upload `id` if it is `learner`'s and has not expired. Another
    /// learner's id is left alone, as if it did not exist.
    pub async fn take(&self, learner: Uuid, id: Uuid, now: i64) -> Result<Option<Waiting>> {
        self.db.take_pending(learner, id, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: usize = 1024 * 1024;

    /// The rule applied to an in-memory pool, as the database applies it.
    #[derive(Default)]
    struct Pool(Vec<Entry>);

    impl Pool {
        fn put(&mut self, learner: Uuid, address: &str, size: usize, now: i64) -> Result<Uuid, Refused> {
            let evict = plan(&self.0, learner, address, size, now)?;
            self.0.retain(|e| !evict.contains(&e.id));
            let id = Uuid::new_v4();
            self.0.push(Entry { id, learner, address: address.to_owned(), size, expires_at: now + TTL_SECS });
            Ok(id)
        }

        fn has(&self, id: Uuid, now: i64) -> bool {
            self.0.iter().any(|e| e.id == id && e.expires_at > now)
        }
    }

    #[test]
    fn one_address_holds_a_bounded_share() {
        let mut pool = Pool::default();
        for _ in 0..2 {
            assert!(pool.put(Uuid::new_v4(), "6.6.6.6", 8 * MIB, 0).is_ok());
        }
        assert_eq!(pool.put(Uuid::new_v4(), "6.6.6.6", 1, 0), Err(Refused::AddressFull));
        for _ in 0..4 {
            assert!(pool.put(Uuid::new_v4(), "7.7.7.7", 10, 0).is_ok());
        }
        assert_eq!(pool.put(Uuid::new_v4(), "7.7.7.7", 10, 0), Err(Refused::AddressFull));
        assert!(pool.put(Uuid::new_v4(), "8.8.8.8", 8 * MIB, 0).is_ok(), "others are not");
    }

    #[test]
    fn a_new_upload_replaces_the_learners_previous_one_and_expired_ones_go() {
        let mut pool = Pool::default();
        let a = Uuid::new_v4();
        let first = pool.put(a, "1.1.1.1", 1, 0).unwrap();
        let second = pool.put(a, "1.1.1.1", 1, 2).unwrap();
        assert!(!pool.has(first, 3) && pool.has(second, 3), "replaced");
        let other = pool.put(Uuid::new_v4(), "2.2.2.2", 1, 3).unwrap();
        pool.put(Uuid::new_v4(), "3.3.3.3", 1, TTL_SECS + 10).unwrap();
        assert!(pool.0.iter().all(|e| e.id != other && e.id != second), "expired uploads make room");
    }

    #[test]
    fn throwaway_accounts_on_many_addresses_cannot_keep_a_learner_out() {
        let mut pool = Pool::default();
        // Four addresses fill the whole pool with large uploads from throwaway accounts.
        for i in 0..4 {
            for _ in 0..2 {
                pool.put(Uuid::new_v4(), &format!("6.6.6.{i}"), 8 * MIB, 0).unwrap();
            }
        }
        // A real learner elsewhere still gets in, and keeps their place when the sprayers retry.
        let learner = Uuid::new_v4();
        let id = pool.put(learner, "203.0.113.5", 2 * MIB, 1).unwrap();
        for i in 0..4 {
            let _ = pool.put(Uuid::new_v4(), &format!("6.6.6.{i}"), 8 * MIB, 2);
        }
        assert!(pool.has(id, 3), "a smaller holder is never pushed out by a bigger one");
        // Nobody can take the room of an address holding as much as they will.
        let mut pool = Pool::default();
        for i in 0..8 {
            pool.put(Uuid::new_v4(), &format!("9.9.9.{i}"), 8 * MIB, 0).unwrap();
        }
        assert_eq!(pool.put(Uuid::new_v4(), "9.9.9.200", 8 * MIB, 0), Err(Refused::PoolFull));
        assert!(pool.put(Uuid::new_v4(), "9.9.9.200", MIB, 0).is_ok());
        assert!(pool.put(Uuid::new_v4(), "9.9.9.201", 8 * MIB, TTL_SECS + 1).is_ok(), "expired room is reused");
    }

    #[tokio::test]
    async fn an_upload_waits_in_the_store_for_its_learner_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        for (id, email) in [(a, "a@x.org"), (b, "b@x.org")] {
            let new = crate::storage::accounts::NewLearner {
                id,
                email: email.into(),
                password_hash: "x".into(),
                name: "N".into(),
                now: 0,
            };
            db.create_learner(new).await.unwrap();
        }
        let store = PendingImports::new(db.clone());
        let first = store.put(a, "1.1.1.1", "one.csv".into(), Bytes::from_static(b"x"), 0).await.unwrap().unwrap();
        assert!(store.get(b, first, 1).await.unwrap().is_none(), "another learner cannot see it");
        assert!(store.take(b, first, 1).await.unwrap().is_none(), "nor take it");
        assert_eq!(store.get(a, first, 1).await.unwrap().unwrap().bytes, Bytes::from_static(b"x"));
        let second = store.put(a, "1.1.1.1", "two.csv".into(), Bytes::from_static(b"y"), 2).await.unwrap().unwrap();
        assert!(store.get(a, first, 3).await.unwrap().is_none(), "replaced");
        assert!(store.get(a, second, TTL_SECS + 2).await.unwrap().is_none(), "expired");
        let third = store.put(a, "1.1.1.1", "three.csv".into(), Bytes::from_static(b"z"), 10).await.unwrap().unwrap();
        // Another handle on the same database (another instance) sees it and takes it.
        let elsewhere = PendingImports::new(Db::open_in(dir.path()).unwrap());
        assert_eq!(elsewhere.take(a, third, 11).await.unwrap().unwrap().file_name, "three.csv");
        assert!(store.take(a, third, 12).await.unwrap().is_none(), "taken once");
    }
}
