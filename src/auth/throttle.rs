//! In-memory attempt budgets: login and password checks per account and per client address,
//! and simple per-address budgets per window (sign-ups, unknown share tokens).
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
//! back. State is lost on restart, which only ever errs on the side of letting the owner in.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::config::LoginLimits;

#[derive(Debug, Default, Clone, Copy)]
struct Failures {
    count: u32,
    window_start: i64,
    blocked_until: i64,
}

#[derive(Debug)]
pub struct LoginThrottle {
    limits: LoginLimits,
    entries: Mutex<HashMap<String, Failures>>,
}

/// Beyond this many tracked keys, stale ones are dropped (bounded memory under a flood).
const MAX_ENTRIES: usize = 100_000;

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

impl LoginThrottle {
    pub fn new(limits: LoginLimits) -> Self {
        LoginThrottle { limits, entries: Mutex::new(HashMap::new()) }
    }

    fn window(&self) -> i64 {
        i64::try_from(self.limits.window.as_secs()).unwrap_or(i64::MAX)
    }

    /// Reserves one attempt for `subject` from `ip`, atomically: either both budgets have room
    /// and the attempt is counted against both (as a failure, until [`succeeded`] says
    /// otherwise), or nothing is counted and the answer is `Err(seconds to wait)`.
    ///
    /// [`succeeded`]: LoginThrottle::succeeded
    pub fn reserve(&self, subject: Subject<'_>, ip: &str, now: i64) -> Result<(), u64> {
        let window = self.window();
        let (account, addr) = (subject.key(), ip_key(ip));
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, f| f.blocked_until > now || now - f.window_start < window);
        }
        let wait =
            [&account, &addr].iter().filter_map(|k| entries.get(*k)).map(|f| f.blocked_until - now).max().unwrap_or(0);
        if wait > 0 {
            return Err(u64::try_from(wait).unwrap_or(1));
        }
        let bump = |f: &mut Failures| {
            if f.count == 0 || now - f.window_start >= window {
                *f = Failures { count: 0, window_start: now, blocked_until: 0 };
            }
            f.count += 1;
        };

        let acc = entries.entry(account).or_default();
        bump(acc);
        if acc.count >= self.limits.account_free_failures {
            let extra = acc.count - self.limits.account_free_failures;
            let delay = self.limits.account_base_delay.saturating_mul(1u32 << extra.min(20));
            let delay = delay.min(self.limits.account_max_delay).as_secs();
            acc.blocked_until = now + i64::try_from(delay).unwrap_or(i64::MAX / 2);
        }

        let addr = entries.entry(addr).or_default();
        bump(addr);
        if addr.count >= self.limits.ip_max_failures {
            addr.blocked_until = addr.window_start + window;
        }
        Ok(())
    }

    /// The reserved attempt succeeded: the subject's failures are forgotten, and the address
    /// gets its reservation back (a success is not a failure of that address).
    pub fn succeeded(&self, subject: Subject<'_>, ip: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.remove(&subject.key());
        if let Some(addr) = entries.get_mut(&ip_key(ip)) {
            addr.count = addr.count.saturating_sub(1);
            if addr.count < self.limits.ip_max_failures {
                addr.blocked_until = 0;
            }
        }
    }
}

fn ip_key(ip: &str) -> String {
    format!("i:{ip}")
}

/// A budget of `max` uses per `window` seconds and per key (a client address): sign-ups, and
/// unknown share tokens asked for. Taking is atomic, so parallel requests cannot overdraw it.
#[derive(Debug)]
pub struct WindowBudget {
    max: u32,
    window: i64,
    uses: Mutex<HashMap<String, (i64, u32)>>,
}

impl WindowBudget {
    pub fn new(max: u32, window: i64) -> Self {
        WindowBudget { max, window, uses: Mutex::new(HashMap::new()) }
    }

    /// Takes one use for `key`; `Err(seconds until the window ends)` when none is left (and
    /// then nothing is taken).
    pub fn take(&self, key: &str, now: i64) -> Result<(), u64> {
        let mut uses = self.uses.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if uses.len() >= MAX_ENTRIES {
            let window = self.window;
            uses.retain(|_, (start, _)| now - *start < window);
        }
        let entry = uses.entry(key.to_owned()).or_insert((now, 0));
        if now - entry.0 >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            return Err(u64::try_from(entry.0 + self.window - now).unwrap_or(1).max(1));
        }
        entry.1 += 1;
        Ok(())
    }

    /// Gives back a use taken for something that did not happen after all (a sign-up refused
    /// for a weak password is not an account made).
    pub fn give_back(&self, key: &str) {
        let mut uses = self.uses.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(entry) = uses.get_mut(key) {
            entry.1 = entry.1.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

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

    #[test]
    fn an_account_is_paused_after_its_free_failures_and_the_pause_is_capped() {
        // A long window, so that the waits below do not start a fresh one.
        let t = LoginThrottle::new(LoginLimits { window: Duration::from_secs(100_000), ..limits() });
        for _ in 0..2 {
            assert!(t.reserve(A, "1.1.1.1", 0).is_ok());
        }
        assert!(t.reserve(A, "1.1.1.1", 0).is_ok(), "the third attempt is still checked");
        assert_eq!(t.reserve(A, "2.2.2.2", 0), Err(10), "then a pause, from any address");
        let mut at = 10;
        for i in 0..10 {
            while t.reserve(A, &format!("3.3.3.{i}"), at).is_err() {
                at += 1;
            }
        }
        assert_eq!(t.reserve(A, "4.4.4.4", at), Err(60), "never more than the cap");
        assert!(t.reserve(A, "4.4.4.4", at + 60).is_ok(), "the owner gets back in");
        assert!(t.reserve(Subject::Login("b@x.org"), "4.4.4.4", 0).is_ok(), "other accounts are untouched");
    }

    #[test]
    fn parallel_attempts_cannot_overdraw_the_budget() {
        // Reservations made before any of them is answered: only the free ones get through.
        let t = LoginThrottle::new(limits());
        let through = (0..150).filter(|i| t.reserve(A, &format!("10.0.0.{i}"), 0).is_ok()).count();
        assert_eq!(through, 3);
        let t = LoginThrottle::new(limits());
        let through = (0..150).filter(|i| t.reserve(Subject::Login(&format!("u{i}@x.org")), "9.9.9.9", 0).is_ok());
        assert_eq!(through.count(), 5);
    }

    #[test]
    fn an_address_spraying_many_accounts_is_paused() {
        let t = LoginThrottle::new(limits());
        for i in 0..5 {
            assert!(t.reserve(Subject::Login(&format!("u{i}@x.org")), "9.9.9.9", 100).is_ok());
        }
        assert_eq!(t.reserve(Subject::Login("new@x.org"), "9.9.9.9", 100), Err(600));
        assert!(t.reserve(Subject::Login("new@x.org"), "8.8.8.8", 100).is_ok());
        assert!(t.reserve(Subject::Login("new2@x.org"), "9.9.9.9", 700).is_ok());
    }

    #[test]
    fn a_success_clears_the_account_and_refunds_the_address() {
        let t = LoginThrottle::new(limits());
        t.reserve(A, "1.1.1.1", 0).unwrap();
        t.reserve(A, "1.1.1.1", 0).unwrap();
        t.reserve(A, "1.1.1.1", 0).unwrap();
        t.succeeded(A, "1.1.1.1");
        assert!(t.reserve(A, "5.5.5.5", 0).is_ok(), "the owner's success ends the pause");
        // Many successful logins from one address (a shared office) never block it.
        let t = LoginThrottle::new(limits());
        for i in 0..50 {
            let who = format!("u{i}@x.org");
            t.reserve(Subject::Login(&who), "7.7.7.7", 0).unwrap();
            t.succeeded(Subject::Login(&who), "7.7.7.7");
        }
        assert!(t.reserve(A, "7.7.7.7", 0).is_ok());
    }

    #[test]
    fn password_changes_and_logins_are_separate_budgets() {
        let t = LoginThrottle::new(limits());
        let id = uuid::Uuid::new_v4();
        for _ in 0..3 {
            t.reserve(Subject::PasswordChange(id), "1.1.1.1", 0).unwrap();
        }
        assert!(t.reserve(Subject::PasswordChange(id), "2.2.2.2", 0).is_err());
        assert!(t.reserve(A, "2.2.2.2", 0).is_ok());
    }

    #[test]
    fn a_window_budget_is_taken_atomically_and_given_back() {
        let b = WindowBudget::new(3, 60);
        for _ in 0..3 {
            assert!(b.take("1.2.3.4", 100).is_ok());
        }
        assert_eq!(b.take("1.2.3.4", 110), Err(50));
        assert!(b.take("5.6.7.8", 110).is_ok(), "other addresses are not affected");
        b.give_back("1.2.3.4");
        assert!(b.take("1.2.3.4", 110).is_ok(), "a use given back can be taken again");
        assert!(b.take("1.2.3.4", 160).is_ok(), "a new window");
    }
}
