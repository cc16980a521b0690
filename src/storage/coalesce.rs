//! Concurrent lookups of one key answered by one query, never by an older one.
//!
//! A caller's answer comes from a query whose statement *was sent after the caller asked*:
//! callers who arrive while a query for their key is on its way wait for the next one, which
//! starts as soon as that one ends and answers all of them. So a change committed before a
//! caller asked (a revoked link, on any instance) is always in its answer, as it would be with
//! a query of its own, while a crowd of readers of one key costs one query per round trip
//! instead of one each.
//!
//! The callers a query answers are the ones waiting when the query is about to send its
//! statement ([`Claim::now`], called on the storage thread that runs it), not when it was
//! handed to that thread: those who asked while it waited for its turn are answered by it too.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

use super::{Error, Result};

type Waiters<V> = Vec<oneshot::Sender<Result<V>>>;
type Waiting<K, V> = Arc<Mutex<HashMap<K, Waiters<V>>>>;

pub(crate) struct Coalescer<K, V> {
    /// The callers waiting for the next query of each key; a key is present exactly while a
    /// task runs its queries.
    waiting: Waiting<K, V>,
}

impl<K, V> Default for Coalescer<K, V> {
    fn default() -> Self {
        Coalescer { waiting: Arc::default() }
    }
}

/// The callers one query answers, gathered at the moment its statement is sent.
pub(crate) struct Claim<K, V> {
    waiting: Waiting<K, V>,
    key: K,
    claimed: Arc<Mutex<Waiters<V>>>,
}

impl<K: Eq + Hash, V> Claim<K, V> {
    /// To be called right before the statement is sent (again if it is sent again): every
    /// caller who asked until now is answered by this query.
    pub(crate) fn now(&self) {
        let mut map = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(w) = map.get_mut(&self.key) {
            self.claimed.lock().unwrap_or_else(PoisonError::into_inner).append(w);
        }
    }
}

impl<K, V> Coalescer<K, V>
where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + 'static,
{
    /// The answer to `query(key, claim)`, from a run of it whose statement was sent after this
    /// call; `query` calls `claim.now()` right before it sends its statement.
    pub(crate) async fn get<F, Fut>(&self, key: K, query: F) -> Result<V>
    where
        F: Fn(K, Claim<K, V>) -> Fut + Send + 'static,
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
                    {
                        let mut map = waiting.lock().unwrap_or_else(PoisonError::into_inner);
                        if map.get(&key).is_none_or(Vec::is_empty) {
                            map.remove(&key);
                            return;
                        }
                    }
                    let claimed = Arc::default();
                    let claim =
                        Claim { waiting: Arc::clone(&waiting), key: key.clone(), claimed: Arc::clone(&claimed) };
                    let answer = query(key.clone(), claim).await;
                    let mut batch = std::mem::take(&mut *claimed.lock().unwrap_or_else(PoisonError::into_inner));
                    if batch.is_empty() {
                        // The query ended before sending anything (no connection, say): the
                        // callers waiting now get its error rather than another attempt
                        // each. A value without a claim would be a query that forgot to
                        // call `now`; its callers wait for the next run instead.
                        debug_assert!(answer.is_err(), "a coalesced query answered without claiming its callers");
                        if answer.is_err() {
                            let mut map = waiting.lock().unwrap_or_else(PoisonError::into_inner);
                            batch = map.get_mut(&key).map(std::mem::take).unwrap_or_default();
                        }
                    }
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
                    .get(7, move |_, claim| {
                        let (committed, runs) = (Arc::clone(&committed), Arc::clone(&runs));
                        async move {
                            // Its turn on a storage thread comes after a while; then the
                            // statement is sent and reads the data as it is at that moment.
                            tokio::time::sleep(Duration::from_millis(1)).await;
                            runs.fetch_add(1, Ordering::SeqCst);
                            claim.now();
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

    type Run = std::pin::Pin<Box<dyn std::future::Future<Output = Result<u64>> + Send>>;

    /// A query counting its runs, which waits `queued` for its turn before it claims.
    fn counting(
        runs: &Arc<AtomicU64>,
        queued: Duration,
        fail: bool,
    ) -> impl Fn(u8, Claim<u8, u64>) -> Run + Send + 'static {
        let runs = Arc::clone(runs);
        move |_, claim| {
            let runs = Arc::clone(&runs);
            Box::pin(async move {
                tokio::time::sleep(queued).await;
                let n = runs.fetch_add(1, Ordering::SeqCst) + 1;
                if fail {
                    return Err(Error::Closed);
                }
                claim.now();
                tokio::time::sleep(Duration::from_millis(1)).await;
                Ok(n)
            })
        }
    }

    /// Five callers of one key, `gap` apart, each with a query that waits `queued` for its
    /// turn; their answers, and how many times the query ran.
    async fn five_callers(queued: Duration, gap: Duration, fail: bool) -> (Vec<Result<u64>>, u64, bool) {
        let runs = Arc::new(AtomicU64::new(0));
        let c: Arc<Coalescer<u8, u64>> = Arc::default();
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let (c, runs) = (Arc::clone(&c), Arc::clone(&runs));
            tasks.push(tokio::spawn(async move { c.get(1, counting(&runs, queued, fail)).await }));
            tokio::time::sleep(gap).await;
        }
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap());
        }
        let left = !c.waiting.lock().unwrap().is_empty();
        (answers, runs.load(Ordering::SeqCst), left)
    }

    #[tokio::test]
    async fn callers_who_ask_while_the_query_waits_for_its_turn_are_answered_by_it() {
        let (answers, runs, _) = five_callers(Duration::from_millis(40), Duration::from_millis(2), false).await;
        for a in answers {
            assert_eq!(a.unwrap(), 1, "every caller is answered by the first run");
        }
        assert_eq!(runs, 1);
    }

    #[tokio::test]
    async fn a_query_failing_before_its_statement_answers_its_callers_with_the_error_once() {
        let (answers, runs, left) = five_callers(Duration::from_millis(20), Duration::from_millis(1), true).await;
        for a in answers {
            assert!(a.is_err());
        }
        assert_eq!(runs, 1, "one failed attempt, not one per caller");
        assert!(!left, "nothing left waiting");
    }
}
