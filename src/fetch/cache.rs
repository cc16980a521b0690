//! A small in-memory HTTP cache (RFC 9111, the parts a verifier needs): `Cache-Control`
//! `max-age`/`no-store`/`no-cache`, `Expires`, `Age`, and revalidation with `ETag`
//! (`If-None-Match`) or `Last-Modified` (`If-Modified-Since`).
//!
//! Issuers' assertions, keys, contexts and revocation lists are read again and again while
//! badges are verified; the cache spares their servers and keeps verification fast. Entries are
//! keyed by the URL that answered 200 (the last one of a redirect chain; redirects themselves
//! are not cached) and keep when the server last vouched for the bytes, which is what a
//! verification result reports as "checked on". Bounded in entries and bytes; the least
//! recently used entries go first.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use http::HeaderMap;
use http::header::{AGE, CACHE_CONTROL, DATE, EXPIRES};

/// What the cache keeps of a 200 response.
#[derive(Debug, Clone)]
pub struct Entry {
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Bytes,
    /// Unix seconds: when the server last sent or confirmed (304) these bytes.
    pub fetched_at: i64,
    /// Unix seconds until which the entry may be used without asking the server.
    pub fresh_until: i64,
    /// How long the entry stays fresh after a revalidation that says nothing new.
    pub lifetime: i64,
}

impl Entry {
    pub fn is_fresh(&self, now: i64) -> bool {
        now < self.fresh_until
    }

    pub fn can_revalidate(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }
}

/// What a response's headers allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// `no-store`: keep nothing, and drop what was kept.
    NoStore,
    /// Keep, fresh for this many seconds (0 with `no-cache`: always revalidate).
    Store { lifetime: i64 },
    /// Nothing said about freshness.
    Unspecified,
}

/// Reads `Cache-Control` (every occurrence), then `Expires` against `Date`, then `Age`.
pub fn policy(headers: &HeaderMap, now: i64) -> Policy {
    let mut max_age: Option<i64> = None;
    let mut no_cache = false;
    for value in headers.get_all(CACHE_CONTROL) {
        let Ok(value) = value.to_str() else { continue };
        for directive in value.split(',') {
            let directive = directive.trim();
            let (name, arg) = match directive.split_once('=') {
                Some((n, a)) => (n.trim(), Some(a.trim().trim_matches('"'))),
                None => (directive, None),
            };
            match name.to_ascii_lowercase().as_str() {
                "no-store" => return Policy::NoStore,
                // `no-cache="Set-Cookie"` only restricts those fields; treating it as plain
                // no-cache is stricter, never looser.
                "no-cache" => no_cache = true,
                // A malformed max-age means stale (RFC 9111 §4.2.1).
                "max-age" => max_age = Some(arg.and_then(|a| a.parse::<i64>().ok()).unwrap_or(0).max(0)),
                _ => {}
            }
        }
    }
    let age = header_str(headers, AGE).and_then(|a| a.trim().parse::<i64>().ok()).unwrap_or(0).max(0);
    if no_cache {
        return Policy::Store { lifetime: 0 };
    }
    if let Some(max_age) = max_age {
        return Policy::Store { lifetime: (max_age - age).max(0) };
    }
    if let Some(expires) = header_str(headers, EXPIRES) {
        // An Expires that does not parse (often "0" or "-1") means already expired.
        let expires = parse_http_date(expires).unwrap_or(0);
        let date = header_str(headers, DATE).and_then(parse_http_date).unwrap_or(now);
        return Policy::Store { lifetime: (expires - date - age).max(0) };
    }
    Policy::Unspecified
}

fn header_str(headers: &HeaderMap, name: http::header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form servers must send; the obsolete
/// forms are treated as absent.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(s.trim(), format).ok().map(|t| t.assume_utc().unix_timestamp())
}

pub struct Cache {
    inner: Mutex<Inner>,
    max_entries: usize,
    max_bytes: usize,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, (Entry, u64)>,
    bytes: usize,
    /// A use counter: the entry with the smallest stamp is the least recently used.
    tick: u64,
}

impl Cache {
    pub fn new(max_entries: usize, max_bytes: usize) -> Cache {
        Cache { inner: Mutex::new(Inner::default()), max_entries, max_bytes }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves at worst a stale entry: keep going.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn get(&self, url: &str) -> Option<Entry> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        inner.entries.get_mut(url).map(|(entry, used)| {
            *used = tick;
            entry.clone()
        })
    }

    pub fn remove(&self, url: &str) {
        let mut inner = self.lock();
        if let Some((old, _)) = inner.entries.remove(url) {
            inner.bytes -= old.body.len();
        }
    }

    /// Keeps `entry` unless it is too large to be worth a share of the cache; evicts the least
    /// recently used entries to stay within bounds.
    pub fn put(&self, url: String, entry: Entry) {
        if self.max_entries == 0 || entry.body.len() > self.max_bytes / 4 {
            self.remove(&url);
            return;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let size = entry.body.len();
        if let Some((old, _)) = inner.entries.insert(url, (entry, tick)) {
            inner.bytes -= old.body.len();
        }
        inner.bytes += size;
        while inner.entries.len() > self.max_entries || inner.bytes > self.max_bytes {
            let Some(oldest) = inner.entries.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some((old, _)) = inner.entries.remove(&oldest) {
                inner.bytes -= old.body.len();
            }
        }
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cache_control_is_read() {
        let now = 1_000;
        assert_eq!(policy(&headers(&[("cache-control", "max-age=60")]), now), Policy::Store { lifetime: 60 });
        assert_eq!(
            policy(&headers(&[("cache-control", "public, max-age=\"60\""), ("age", "20")]), now),
            Policy::Store { lifetime: 40 }
        );
        assert_eq!(policy(&headers(&[("cache-control", "max-age=60, no-store")]), now), Policy::NoStore);
        let both = headers(&[("cache-control", "max-age=60"), ("cache-control", "no-cache")]);
        assert_eq!(policy(&both, now), Policy::Store { lifetime: 0 });
        assert_eq!(policy(&headers(&[("cache-control", "max-age=soon")]), now), Policy::Store { lifetime: 0 });
        assert_eq!(policy(&headers(&[]), now), Policy::Unspecified);
        assert_eq!(
            policy(
                &headers(&[("date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("expires", "Sun, 06 Nov 1994 09:49:37 GMT")]),
                now
            ),
            Policy::Store { lifetime: 3600 }
        );
        assert_eq!(policy(&headers(&[("expires", "0")]), now), Policy::Store { lifetime: 0 });
    }

    fn entry(len: usize) -> Entry {
        Entry {
            content_type: None,
            etag: None,
            last_modified: None,
            body: Bytes::from(vec![0; len]),
            fetched_at: 0,
            fresh_until: 10,
            lifetime: 10,
        }
    }

    #[test]
    fn bounded_in_entries_and_bytes_least_recently_used_first() {
        let cache = Cache::new(2, 400);
        cache.put("a".into(), entry(10));
        cache.put("b".into(), entry(10));
        assert!(cache.get("a").is_some()); // b is now the least recently used
        cache.put("c".into(), entry(10));
        assert!(cache.get("b").is_none());
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        // Too large for a share of the cache: not kept.
        cache.put("d".into(), entry(101));
        assert!(cache.get("d").is_none());
        // 400 bytes hold four entries of 100: the fifth pushes out the first.
        let cache = Cache::new(10, 400);
        for k in ["1", "2", "3", "4", "5"] {
            cache.put(k.into(), entry(100));
        }
        assert_eq!(cache.len(), 4);
        assert!(cache.get("1").is_none());
    }
}
