//! Uploads waiting for the learner's confirmation on the import page.
//!
//! Nothing of an uploaded file is stored before the learner confirms its preview, so the file
//! waits here, in memory: under a random id that only its learner can use, one per learner (a
//! new upload replaces the previous one), for at most [`TTL_SECS`], and within a total size
//! bound so that uploads cannot grow the process. A restart forgets them: the learner uploads
//! again. On confirmation the bytes are parsed again and imported in one transaction.
//!
//! The room is shared fairly, so that throwaway accounts cannot keep everyone else from
//! importing: one client address holds at most [`MAX_PER_ADDRESS`] bytes in
//! [`MAX_UPLOADS_PER_ADDRESS`] uploads, and when the pool is full a new upload takes the room
//! of the oldest upload of whichever *other* address holds the most. An address can thus only
//! ever push out an address holding more than it does, never a smaller one.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use uuid::Uuid;

/// How long an upload waits for its confirmation.
pub const TTL_SECS: i64 = 30 * 60;
/// At most this many bytes waiting in all (each upload is also capped by `import_max_bytes`).
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
/// At most this many bytes waiting for one client address (two uploads at the import limit).
pub const MAX_PER_ADDRESS: usize = 16 * 1024 * 1024;
/// At most this many uploads waiting for one client address (a few learners behind one NAT).
pub const MAX_UPLOADS_PER_ADDRESS: usize = 4;

struct Pending {
    learner: Uuid,
    address: String,
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

/// Why an upload cannot wait for its confirmation now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// This address already has as much waiting as it may: confirm or cancel those first.
    AddressFull,
    /// Every byte of the pool is held by addresses holding no more than this one.
    PoolFull,
}

impl PendingImports {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Pending>> {
        self.by_id.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps `bytes` for `learner` (from `address`), replacing their previous upload; the id
    /// to confirm it with, or why it cannot wait.
    pub fn put(
        &self,
        learner: Uuid,
        address: &str,
        file_name: String,
        bytes: Bytes,
        now: i64,
    ) -> Result<Uuid, Refused> {
        let mut all = self.lock();
        all.retain(|_, p| p.expires_at > now && p.learner != learner);
        let held = |all: &HashMap<Uuid, Pending>, address: &str| -> (usize, usize) {
            all.values().filter(|p| p.address == address).fold((0, 0), |(n, b), p| (n + 1, b + p.bytes.len()))
        };
        let (uploads, bytes_held) = held(&all, address);
        if uploads >= MAX_UPLOADS_PER_ADDRESS || bytes_held + bytes.len() > MAX_PER_ADDRESS {
            return Err(Refused::AddressFull);
        }
        let mine = bytes_held + bytes.len();
        while all.values().map(|p| p.bytes.len()).sum::<usize>() + bytes.len() > MAX_TOTAL_BYTES {
            // The address holding the most, other than this one, gives up its oldest upload —
            // but only if it holds more than this address will.
            let mut by_address: HashMap<&str, usize> = HashMap::new();
            for p in all.values().filter(|p| p.address != address) {
                *by_address.entry(p.address.as_str()).or_default() += p.bytes.len();
            }
            let Some((biggest, most)) = by_address.into_iter().max_by_key(|(_, b)| *b) else {
                return Err(Refused::PoolFull);
            };
            if most <= mine {
                return Err(Refused::PoolFull);
            }
            let biggest = biggest.to_owned();
            let oldest =
                all.iter().filter(|(_, p)| p.address == biggest).min_by_key(|(_, p)| p.expires_at).map(|(id, _)| *id);
            match oldest {
                Some(id) => all.remove(&id),
                None => return Err(Refused::PoolFull),
            };
        }
        let id = Uuid::new_v4();
        all.insert(id, Pending { learner, address: address.to_owned(), file_name, bytes, expires_at: now + TTL_SECS });
        Ok(id)
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

    const MIB: usize = 1024 * 1024;

    fn file(size: usize) -> Bytes {
        Bytes::from(vec![0u8; size])
    }

    #[test]
    fn an_upload_is_its_learners_only_expires_and_is_replaced_by_the_next() {
        let store = PendingImports::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let first = store.put(a, "1.1.1.1", "one.csv".into(), Bytes::from_static(b"x"), 0).unwrap();
        assert!(store.get(b, first, 1).is_none(), "another learner cannot see it");
        assert!(store.take(b, first, 1).is_none(), "nor take it");
        assert!(store.get(a, first, 1).is_some());
        let second = store.put(a, "1.1.1.1", "two.csv".into(), Bytes::from_static(b"y"), 2).unwrap();
        assert!(store.get(a, first, 3).is_none(), "replaced");
        assert!(store.get(a, second, TTL_SECS + 2).is_none(), "expired");
        let third = store.put(a, "1.1.1.1", "three.csv".into(), Bytes::from_static(b"z"), 10).unwrap();
        assert_eq!(store.take(a, third, 11).unwrap().file_name, "three.csv");
        assert!(store.take(a, third, 12).is_none(), "taken once");
    }

    #[test]
    fn one_address_holds_a_bounded_share() {
        let store = PendingImports::default();
        for _ in 0..2 {
            assert!(store.put(Uuid::new_v4(), "6.6.6.6", "a".into(), file(8 * MIB), 0).is_ok());
        }
        assert_eq!(store.put(Uuid::new_v4(), "6.6.6.6", "a".into(), file(1), 0), Err(Refused::AddressFull));
        for _ in 0..4 {
            assert!(store.put(Uuid::new_v4(), "7.7.7.7", "small".into(), file(10), 0).is_ok());
        }
        assert_eq!(store.put(Uuid::new_v4(), "7.7.7.7", "small".into(), file(10), 0), Err(Refused::AddressFull));
        assert!(store.put(Uuid::new_v4(), "8.8.8.8", "b".into(), file(8 * MIB), 0).is_ok(), "others are not");
    }

    #[test]
    fn throwaway_accounts_on_many_addresses_cannot_keep_a_learner_out() {
        let store = PendingImports::default();
        // Four addresses fill the whole pool with large uploads from throwaway accounts.
        for i in 0..4 {
            for _ in 0..2 {
                store.put(Uuid::new_v4(), &format!("6.6.6.{i}"), "big".into(), file(8 * MIB), 0).unwrap();
            }
        }
        // A real learner elsewhere still gets in, and keeps their place when the sprayers retry.
        let learner = Uuid::new_v4();
        let id = store.put(learner, "203.0.113.5", "mine.csv".into(), file(2 * MIB), 1).unwrap();
        for i in 0..4 {
            let _ = store.put(Uuid::new_v4(), &format!("6.6.6.{i}"), "big".into(), file(8 * MIB), 2);
        }
        assert!(store.get(learner, id, 3).is_some(), "a smaller holder is never pushed out by a bigger one");
        // Nobody can take the room of an address holding as much as they will.
        let store = PendingImports::default();
        for i in 0..8 {
            store.put(Uuid::new_v4(), &format!("9.9.9.{i}"), "x".into(), file(8 * MIB), 0).unwrap();
        }
        assert_eq!(store.put(Uuid::new_v4(), "9.9.9.200", "x".into(), file(8 * MIB), 0), Err(Refused::PoolFull));
        assert!(store.put(Uuid::new_v4(), "9.9.9.200", "x".into(), file(MIB), 0).is_ok());
        assert!(
            store.put(Uuid::new_v4(), "9.9.9.201", "x".into(), file(8 * MIB), TTL_SECS + 1).is_ok(),
            "expired room is reused"
        );
    }
}
