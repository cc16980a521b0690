//! PDFs recently issued (`crate::issue`), kept in memory by record revision, and the renders in
//! flight, so that concurrent requests for one PDF wait for a single render.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use uuid::Uuid;

/// A PDF as handed out: its bytes, the verification code it prints, the name it downloads as.
#[derive(Clone)]
pub struct Issued {
    pub bytes: Bytes,
    pub code: String,
    /// What the downloaded file is called (`file_name`).
    pub file_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PdfKey {
    pub learner: Uuid,
    pub share: Option<Uuid>,
    /// The framing, scope, options and language asked for, as one string.
    pub asked: String,
    pub revision: i64,
}

struct Cached {
    issued: Issued,
    /// The PDF shows a badge that expires at this time: from then on it is stale.
    stale_at: Option<i64>,
}

/// Recently issued PDFs, and the renders in flight (see the module comment).
#[derive(Default)]
pub struct IssuedPdfs {
    recent: Mutex<HashMap<PdfKey, Cached>>,
    flights: Mutex<HashMap<PdfKey, Arc<tokio::sync::Mutex<()>>>>,
}

/// Beyond this many bytes of cached PDFs the cache starts afresh (bounded memory).
const MAX_CACHED_BYTES: usize = 32 * 1024 * 1024;

impl IssuedPdfs {
    pub fn get(&self, key: &PdfKey, now: i64) -> Option<Issued> {
        let recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        recent.get(key).filter(|c| c.stale_at.is_none_or(|t| now < t)).map(|c| c.issued.clone())
    }

    pub fn put(&self, key: PdfKey, issued: Issued, stale_at: Option<i64>) {
        let mut recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let used: usize = recent.values().map(|c| c.issued.bytes.len()).sum();
        if used + issued.bytes.len() > MAX_CACHED_BYTES {
            recent.clear();
        }
        recent.insert(key, Cached { issued, stale_at });
    }

    pub fn flight(&self, key: &PdfKey) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        flights.entry(key.clone()).or_default().clone()
    }

    pub fn land(&self, key: &PdfKey) {
        self.flights.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(key);
    }
}
