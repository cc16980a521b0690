//! Attempt budgets: login and password checks per account and per client address, and simple
//! per-address budgets per window (sign-ups, unknown share tokens). The counters are in the
//! database (`storage::limits`), so that every instance of a scaled-out service counts against
//! the same budgets; the rules are here.
//!
//! Per account, the first few failures are free; after that each failure doubles a pause,
//! capped at `account_max_delay`, so a password-guesser is slowed to a crawl while the real
//! owner waits minutes at worst. Per address, a budget of failures per window stops one client
//! spraying passwords over many accounts.
//!
//! An attempt is **reserved before the password is checked** and counts as a failure until it
//! succeeds: checking the budget and recording the failure afterwards would let every guess
//! sent in parallel through the check before the first failure is written (the probe got 84
//! of 150 parallel guesses checked against a budget of 5). A success gives the reservation
//! back. The reservation and the check of every budget are one atomic step in the database
//! (an upsert that increments and returns the count, refusing when paused), so parallel guesses
//! spread over several instances cannot overdraw it either.

use std::sync::Arc;

use crate::config::LoginLimits;
use crate::storage::limits::Counter;
use crate::storage::{Db, Result};

/// Login and password-change throttling, per account and per client address.
#[derive(Clone)]
pub struct LoginThrottle {
    limits: LoginLimits,
    db: Db,
}

/// What an attempt is checked against: a login names an account by its email, a password
/// change by the learner's id (two name spaces, so that one cannot exhaust the other).
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Login(&'a str),
    PasswordChange(uuid::Uuid),
}

impl Subject<'_> {
    fn key(&self) -> String {
        match self {
            Subject::Login(email) => format!("a:{email}"),
            Subject::PasswordChange(id) => format!("p:{id}"),
        }
    }
}

fn ip_key(ip: &str) -> String {
    format!("i:{ip}")
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4)
}

/// Until when an account is paused after `failures` failures at `now`: the first
/// `account_free_failures - 1` are free, then each failure doubles the pause, up to the cap.
pub fn account_pause_until(limits: &LoginLimits, failures: i64, now: i64) -> i64 {
    let free = i64::from(limits.account_free_failures);
    if failures < free {
        return 0;
    }
    let extra = u32::try_from(failures - free).unwrap_or(u32::MAX).min(20);
    let delay = limits.account_base_delay.saturating_mul(1u32 << extra).min(limits.account_max_delay);
    now.saturating_add(secs(delay))
}

/// Until when an address is paused: from its `ip_max_failures`-th failure, to its window's end.
pub fn address_pause_until(limits: &LoginLimits, failures: i64, window_start: i64) -> i64 {
    if failures >= i64::from(limits.ip_max_failures) { window_start.saturating_add(secs(limits.window)) } else { 0 }
}

impl LoginThrottle {
    pub fn new(limits: LoginLimits, db: Db) -> Self {
        LoginThrottle { limits, db }
    }

    /// Reserves one attempt for `subject` from `ip`, atomically: either both budgets have room
    /// and the attempt is counted against both (as a failure, until [`succeeded`] says
    /// otherwise), or nothing is counted and the answer is `Err(seconds to wait)`.
    ///
    /// [`succeeded`]: LoginThrottle::succeeded
    pub async fn reserve(&self, subject: Subject<'_>, ip: &str, now: i64) -> Result<Result<(), u64>> {
        let limits = self.limits;
        let window = secs(limits.window);
        let counters = vec![
            Counter {
                key: subject.key(),
                window,
                pause_until: Arc::new(move |failures, _| account_pause_until(&limits, failures, now)),
            },
            Counter {
                key: ip_key(ip),
                window,
                pause_until: Arc::new(move |failures, start| address_pause_until(&limits, failures, start)),
            },
        ];
        self.db.reserve_attempt(counters, now).await
    }

    /// The reserved attempt succeeded: the subject's failures are forgotten, and the address
    /// gets its reservation back (a success is not a failure of that address).
    pub async fn succeeded(&self, subject: Subject<'_>, ip: &str) -> Result<()> {
        self.db.attempt_succeeded(subject.key(), ip_key(ip), i64::from(self.limits.ip_max_failures)).await
    }
}

/// A budget of `max` uses per `window` seconds and per key (a client address): sign-ups, and
/// unknown share tokens asked for. Taking is atomic, so parallel requests cannot overdraw it.
#[derive(Clone)]
pub struct WindowBudget {
    name: &'static str,
    max: u32,
    window: i64,
    db: Db,
}

impl WindowBudget {
    /// `name` keeps budgets apart in the shared table (`signup`, `miss`).
    pub fn new(name: &'static str, max: u32, window: i64, db: Db) -> Self {
        WindowBudget { name, max, window, db }
    }

    /// Takes one use for `key`; `Err(seconds until the window ends)` when none is left (and
    /// then nothing is taken).
    pub async fn take(&self, key: &str, now: i64) -> Result<Result<(), u64>> {
        self.db.take_budget(format!("{}:{key}", self.name), i64::from(self.max), self.window, now).await
    }

    /// Gives back a use taken for something that did not happen after all (a sign-up refused
    /// for a weak password is not an account made).
    pub async fn give_back(&self, key: &str) -> Result<()> {
        self.db.give_back_budget(format!("{}:{key}", self.name)).await
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        (dir, db)
    }

    fn limits() -> LoginLimits {
        LoginLimits {
            account_free_failures: 3,
            account_base_delay: Duration::from_secs(10),
            account_max_delay: Duration::from_secs(60),
            ip_max_failures: 5,
            window: Duration::from_secs(600),
        }
    }

    const A: Subject<'static> = Subject::Login("a@x.org");

    async fn ok(t: &LoginThrottle, s: Subject<'_>, ip: &str, now: i64) -> bool {
        t.reserve(s, ip, now).await.unwrap().is_ok()
    }

    #[tokio::test]
    async fn an_account_is_paused_after_its_free_failures_and_the_pause_is_capped() {
        let (_dir, db) = db();
        // A long window, so that the waits below do not start a fresh one.
        let t = LoginThrottle::new(LoginLimits { window: Duration::from_secs(100_000), ..limits() }, db);
        for _ in 0..2 {
            assert!(ok(&t, A, "1.1.1.1", 0).await);
        }
        assert!(ok(&t, A, "1.1.1.1", 0).await, "the third attempt is still checked");
        assert_eq!(t.reserve(A, "2.2.2.2", 0).await.unwrap(), Err(10), "then a pause, from any address");
        let mut at = 10;
        for i in 0..10 {
            while !ok(&t, A, &format!("3.3.3.{i}"), at).await {
                at += 1;
            }
        }
        assert_eq!(t.reserve(A, "4.4.4.4", at).await.unwrap(), Err(60), "never more than the cap");
        assert!(ok(&t, A, "4.4.4.4", at + 60).await, "the owner gets back in");
        assert!(ok(&t, Subject::Login("b@x.org"), "4.4.4.4", 0).await, "other accounts are untouched");
    }

    #[tokio::test]
    async fn parallel_attempts_cannot_overdraw_the_budget() {
        // Reservations made at once, before any of them is answered: only the free ones get through.
        let (_dir, db) = db();
        let t = LoginThrottle::new(limits(), db.clone());
        let tries = (0..150).map(|i| {
            let t = t.clone();
            tokio::spawn(async move { t.reserve(A, &format!("10.0.0.{i}"), 0).await.unwrap().is_ok() })
        });
        let mut through = 0;
        for r in tries.collect::<Vec<_>>() {
            through += usize::from(r.await.unwrap());
        }
        assert_eq!(through, 3);
        let t = LoginThrottle::new(limits(), db);
        let mut through = 0;
        for i in 0..150 {
            through += usize::from(ok(&t, Subject::Login(&format!("u{i}@x.org")), "9.9.9.9", 0).await);
        }
        assert_eq!(through, 5);
    }

    #[tokio::test]
    async fn an_address_spraying_many_accounts_is_paused() {
        let (_dir, db) = db();
        let t = LoginThrottle::new(limits(), db);
        for i in 0..5 {
            assert!(ok(&t, Subject::Login(&format!("u{i}@x.org")), "9.9.9.9", 100).await);
        }
        assert_eq!(t.reserve(Subject::Login("new@x.org"), "9.9.9.9", 100).await.unwrap(), Err(600));
        assert!(ok(&t, Subject::Login("new@x.org"), "8.8.8.8", 100).await);
        assert!(ok(&t, Subject::Login("new2@x.org"), "9.9.9.9", 700).await);
    }

    #[tokio::test]
    async fn a_success_clears_the_account_and_refunds_the_address() {
        let (_dir, db) = db();
        let t = LoginThrottle::new(limits(), db.clone());
        for _ in 0..3 {
            assert!(ok(&t, A, "1.1.1.1", 0).await);
        }
        t.succeeded(A, "1.1.1.1").await.unwrap();
        assert!(ok(&t, A, "5.5.5.5", 0).await, "the owner's success ends the pause");
        // Many successful logins from one address (a shared office) never block it.
        let t = LoginThrottle::new(limits(), db);
        for i in 0..50 {
            let who = format!("u{i}@x.org");
            assert!(ok(&t, Subject::Login(&who), "7.7.7.7", 0).await);
            t.succeeded(Subject::Login(&who), "7.7.7.7").await.unwrap();
        }
        assert!(ok(&t, A, "7.7.7.7", 0).await);
    }

    #[tokio::test]
    async fn password_changes_and_logins_are_separate_budgets() {
        let (_dir, db) = db();
        let t = LoginThrottle::new(limits(), db);
        let id = uuid::Uuid::new_v4();
        for _ in 0..3 {
            assert!(ok(&t, Subject::PasswordChange(id), "1.1.1.1", 0).await);
        }
        assert!(!ok(&t, Subject::PasswordChange(id), "2.2.2.2", 0).await);
        assert!(ok(&t, A, "2.2.2.2", 0).await);
    }

    #[tokio::test]
    async fn a_window_budget_is_taken_atomically_and_given_back() {
        let (_dir, db) = db();
        let b = WindowBudget::new("test", 3, 60, db.clone());
        for _ in 0..3 {
            assert!(b.take("1.2.3.4", 100).await.unwrap().is_ok());
        }
        assert_eq!(b.take("1.2.3.4", 110).await.unwrap(), Err(50));
        assert!(b.take("5.6.7.8", 110).await.unwrap().is_ok(), "other addresses are not affected");
        assert!(WindowBudget::new("other", 3, 60, db).take("1.2.3.4", 110).await.unwrap().is_ok(), "nor other budgets");
        b.give_back("1.2.3.4").await.unwrap();
        assert!(b.take("1.2.3.4", 110).await.unwrap().is_ok(), "a use given back can be taken again");
        assert!(b.take("1.2.3.4", 160).await.unwrap().is_ok(), "a new window");
    }
}
