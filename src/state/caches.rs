//! In-memory bookkeeping for the public pages: view counts waiting to be written, and the cache
//! of rendered pages (the per-address budget of missed tokens is an `auth::WindowBudget`).
//!
//! Neither depends on what other instances of the service do: views are added to the stored
//! count (each instance adds its own), and a page is cached for one record revision, which every
//! instance reads from the database with the link on each request. There is no cache of links
//! themselves: a link revoked on one instance is a 404 on every other at once.

use std::collections::HashMap;
use std::sync::Mutex;

use uuid::Uuid;

use crate::storage::shares::ViewBatch;

/// Views are counted in memory and written in batches (every few seconds, and at shutdown):
/// a recruiter's page view never waits for a disk sync, and a burst of views is one
/// transaction. The count is approximate by design: a crash may lose the last seconds.
#[derive(Debug, Default)]
pub struct ViewCounter {
    pending: Mutex<HashMap<Uuid, (i64, i64, i64)>>,
}

impl ViewCounter {
    pub fn record(&self, share: Uuid, now: i64) {
        let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = pending.entry(share).or_insert((0, now, now));
        entry.0 += 1;
        entry.2 = now;
    }

    /// Views not yet written for one link: (count, first, last).
    pub fn pending(&self, share: Uuid) -> Option<(i64, i64, i64)> {
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&share).copied()
    }

    /// Hands over everything counted so far.
    pub fn take(&self) -> ViewBatch {
        let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pending.drain().map(|(id, (count, first, last))| (id, count, first, last)).collect()
    }

    /// Puts a batch back after a failed write, so no view is dropped.
    pub fn restore(&self, batch: ViewBatch) {
        let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (id, count, first, last) in batch {
            let entry = pending.entry(id).or_insert((0, first, last));
            entry.0 += count;
            entry.1 = entry.1.min(first);
            entry.2 = entry.2.max(last);
        }
    }
}

/// Rendered share pages by link, valid for one revision of the owner's record: reading a
/// link costs one indexed lookup, and any change to the record (from this instance or
/// another) bumps the revision in the same transaction, so a stale page is never served.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: Mutex<HashMap<Uuid, CachedPage>>,
}

/// A link's page: the record revision and the time it goes stale (an expiry it shows).
type CachedPage = (i64, Option<i64>, axum::body::Bytes);

/// Beyond this many cached pages the cache starts afresh (bounded memory).
const MAX_PAGES: usize = 10_000;

impl PageCache {
    /// The page, shared (no copy), if cached for this revision and not stale at `now`.
    pub fn get(&self, share: Uuid, revision: i64, now: i64) -> Option<axum::body::Bytes> {
        let pages = self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pages
            .get(&share)
            .filter(|(r, stale_at, _)| *r == revision && stale_at.is_none_or(|t| now < t))
            .map(|(_, _, page)| page.clone())
    }

    pub fn put(&self, share: Uuid, revision: i64, stale_at: Option<i64>, page: axum::body::Bytes) {
        let mut pages = self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if pages.len() >= MAX_PAGES {
            pages.clear();
        }
        pages.insert(share, (revision, stale_at, page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_accumulate_until_taken_and_survive_a_failed_write() {
        let c = ViewCounter::default();
        let id = Uuid::new_v4();
        c.record(id, 10);
        c.record(id, 12);
        assert_eq!(c.pending(id), Some((2, 10, 12)));
        let batch = c.take();
        assert_eq!(batch, vec![(id, 2, 10, 12)]);
        assert_eq!(c.pending(id), None);
        c.record(id, 20);
        c.restore(batch);
        assert_eq!(c.pending(id), Some((3, 10, 20)));
    }
}
