//! Attempt budgets in the database, so that every instance counts against the same ones:
//! login and password-change failures per account and per client address (`throttle`), and
//! uses per window (sign-ups and unknown share tokens per address, `budgets`). The rules
//! (how long a pause lasts) are `auth::throttle`'s; these are the counters.
//!
//! Each count is one atomic upsert that increments and returns the new count — and refuses
//! (returns no row) when the budget is spent or paused — so parallel attempts, on one instance
//! or many, cannot all pass a check before any of them is counted. These transactions run at
//! READ COMMITTED on PostgreSQL ([`Db::write_counting`]): the upsert's row lock, held until
//! `COMMIT`, orders attempts on one key, so no serialization failure needs retrying under a
//! flood of guesses at one account; on SQLite the single writer orders them.

use std::sync::Arc;

use super::sql::vals;
use super::{Db, Error, Result};

/// One budget an attempt is counted against, and what its count means.
#[derive(Clone)]
pub struct Counter {
    pub key: String,
    /// Failures older than this many seconds start a new window.
    pub window: i64,
    /// Given the failures in the window (this one included) and the window's start, the time
    /// until which the key is paused (0: not paused).
    pub pause_until: Arc<dyn Fn(i64, i64) -> i64 + Send + Sync>,
}

impl Db {
    /// Counts one attempt against every counter, atomically: either none is paused and the
    /// attempt is counted against all (as a failure, until [`Db::attempt_succeeded`]), or
    /// nothing is counted and the answer is `Err(seconds to wait)`.
    pub async fn reserve_attempt(&self, counters: Vec<Counter>, now: i64) -> Result<Result<(), u64>> {
        let result = self
            .write_counting(move |tx| {
                for c in &counters {
                    let counted = tx.query_opt(
                        "INSERT INTO throttle (key, failures, window_start, blocked_until) VALUES ($1, 1, $2, 0)
                         ON CONFLICT (key) DO UPDATE SET
                            failures = CASE WHEN throttle.failures = 0 OR throttle.window_start <= $3 THEN 1
                                            ELSE throttle.failures + 1 END,
                            window_start = CASE WHEN throttle.failures = 0 OR throttle.window_start <= $3 THEN $2
                                                ELSE throttle.window_start END
                         WHERE throttle.blocked_until <= $2
                         RETURNING failures, window_start",
                        vals![c.key, now, now - c.window],
                    )?;
                    let Some(row) = counted else {
                        // Paused: nothing of this attempt is kept (the transaction rolls back).
                        let until: i64 =
                            tx.query_value("SELECT blocked_until FROM throttle WHERE key = $1", vals![c.key])?;
                        return Err(Error::Throttled(u64::try_from(until - now).unwrap_or(1).max(1)));
                    };
                    let (failures, window_start): (i64, i64) = (row.get(0)?, row.get(1)?);
                    let until = (c.pause_until)(failures, window_start);
                    if until > now {
                        tx.execute("UPDATE throttle SET blocked_until = $2 WHERE key = $1", vals![c.key, until])?;
                    }
                }
                Ok(())
            })
            .await;
        match result {
            Ok(()) => Ok(Ok(())),
            Err(Error::Throttled(wait)) => Ok(Err(wait)),
            Err(e) => Err(e),
        }
    }

    /// The attempt reserved succeeded: `forget`'s failures are forgotten, and `refund` (the
    /// address) gets its reservation back, unpaused once under `limit` failures.
    pub async fn attempt_succeeded(&self, forget: String, refund: String, limit: i64) -> Result<()> {
        self.write_counting(move |tx| {
            tx.execute("DELETE FROM throttle WHERE key = $1", vals![forget])?;
            tx.execute(
                "UPDATE throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
                        blocked_until = CASE WHEN failures - 1 < $2 THEN 0 ELSE blocked_until END
                 WHERE key = $1",
                vals![refund, limit],
            )?;
            Ok(())
        })
        .await
    }

    /// Takes one use of the budget `key` (`max` per `window` seconds); `Err(seconds until the
    /// window ends)` when none is left, and then nothing is taken.
    pub async fn take_budget(&self, key: String, max: i64, window: i64, now: i64) -> Result<Result<(), u64>> {
        self.write_counting(move |tx| {
            let taken = tx.query_opt(
                "INSERT INTO budgets (key, window_start, used) VALUES ($1, $2, 1)
                 ON CONFLICT (key) DO UPDATE SET
                    window_start = CASE WHEN budgets.window_start <= $3 THEN $2 ELSE budgets.window_start END,
                    used = CASE WHEN budgets.window_start <= $3 THEN 1 ELSE budgets.used + 1 END
                 WHERE budgets.window_start <= $3 OR budgets.used < $4
                 RETURNING used",
                vals![key, now, now - window, max],
            )?;
            if taken.is_some() {
                return Ok(Ok(()));
            }
            let start: i64 = tx.query_value("SELECT window_start FROM budgets WHERE key = $1", vals![key])?;
            Ok(Err(u64::try_from(start + window - now).unwrap_or(1).max(1)))
        })
        .await
    }

    /// Gives back a use taken for something that did not happen after all.
    pub async fn give_back_budget(&self, key: String) -> Result<()> {
        self.write_counting(move |tx| {
            tx.execute("UPDATE budgets SET used = used - 1 WHERE key = $1 AND used > 0", vals![key])?;
            Ok(())
        })
        .await
    }

    /// Forgets counters that no longer pause or count anything (older than a day: longer
    /// than any window), so the tables stay the size of recent activity.
    pub async fn purge_counters(&self, now: i64) -> Result<u64> {
        self.write(move |tx| {
            let day = now - 86_400;
            let a =
                tx.execute("DELETE FROM throttle WHERE blocked_until <= $1 AND window_start <= $2", vals![now, day])?;
            let b = tx.execute("DELETE FROM budgets WHERE window_start <= $1", vals![day])?;
            Ok(a + b)
        })
        .await
    }
}
