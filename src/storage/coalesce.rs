//! Concurrent lookups of one key answered by one query, never by an older one.
//!
//! A caller's answer comes from a query that *started after the caller asked*: callers who
//! arrive while a query for their key is in flight wait for the next one, which starts as soon
//! as that one ends and answers all of them. So a change committed before a caller asked (a
//! revoked link, on any instance) is always in its answer, as it would be with a query of its
//! own, while a crowd of readers of one key costs one query per round trip instead of one each.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

use super::{Error, Result};

type Waiters<V> = Vec<oneshot::Sender<Result<V>>>;

pub(crate) struct Coalescer<K, V> {
    /// The callers waiting for the next query of each key; a key is present exactly while a
    /// task runs its queries.
    waiting: Arc<Mutex<HashMap<K, Waiters<V>>>>,
}

impl<K, V> Default for Coalescer<K, V> {
    fn default() -> Self {
        Coalescer { waiting: Arc::default() }
    }
}

impl<K, V> Coalescer<K, V>
where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + 'static,
{
    /// The answer to `query(key)`, from a run of it that started after this call.
    pub(crate) async fn get<F, Fut>(&self, key: K, query: F) -> Result<V>
    where
        F: Fn(K) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<V>> + Send,
    {
        let (tx, rx) = oneshot::channel();
        let lead = {
            let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
            match waiting.get_mut(&key) {
                Some(w) => {
                    w.push(tx);
                    false
                }
                None => {
                    waiting.insert(key.clone(), vec![tx]);
                    true
                }
            }
        };
        if lead {
            // A task of its own: a caller that goes away must not strand the others.
            let waiting = Arc::clone(&self.waiting);
            tokio::spawn(async move {
                loop {
                    let batch = {
                        let mut map = waiting.lock().unwrap_or_else(PoisonError::into_inner);
                        match map.get_mut(&key) {
                            Some(w) if !w.is_empty() => std::mem::take(w),
                            _ => {
                                map.remove(&key);
                                return;
                            }
                        }
                    };
                    // Started after every caller in `batch` asked.
                    let answer = query(key.clone()).await;
                    for tx in batch {
                        let _ = tx.send(match &answer {
                            Ok(v) => Ok(v.clone()),
                            Err(e) => Err(e.duplicate()),
                        });
                    }
                }
            });
        }
        rx.await.map_err(|_| Error::Closed)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn a_crowd_shares_queries_and_each_answer_started_after_its_caller_asked() {
        // The "database" is a counter of committed changes; a query reads it after a pause.
        let committed = Arc::new(AtomicU64::new(0));
        let runs = Arc::new(AtomicU64::new(0));
        let c: Arc<Coalescer<u8, u64>> = Arc::default();
        let mut tasks = Vec::new();
        for i in 0..200u64 {
            let (c, committed, runs) = (Arc::clone(&c), Arc::clone(&committed), Arc::clone(&runs));
            tasks.push(tokio::spawn(async move {
                if i % 20 == 0 {
                    committed.fetch_add(1, Ordering::SeqCst);
                }
                // What was committed when this caller asked: its answer may not be older.
                let asked = committed.load(Ordering::SeqCst);
                let seen = c
                    .get(7, move |_| {
                        let (committed, runs) = (Arc::clone(&committed), Arc::clone(&runs));
                        async move {
                            runs.fetch_add(1, Ordering::SeqCst);
                            let v = committed.load(Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(2)).await;
                            Ok(v)
                        }
                    })
                    .await
                    .unwrap();
                assert!(seen >= asked, "caller {i} asked after {asked} changes and was told {seen}");
            }));
            if i % 10 == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        for t in tasks {
            t.await.unwrap();
        }
        let runs = runs.load(Ordering::SeqCst);
        assert!(runs < 200, "{runs} queries for 200 callers");
        assert!(c.waiting.lock().unwrap().is_empty(), "nothing left waiting");
    }
}
