//! In-memory login throttling, per account and per client address.
//!
//! Per account, the first few failures are free; after that each failure doubles a pause,
//! capped at `account_max_delay`, so a password-guesser is slowed to a crawl while the real
//! owner waits minutes at worst. Per address, a budget of failures per window stops one client
//! spraying passwords over many accounts. A success clears the account's count. State is lost
//! on restart, which only ever errs on the side of letting the owner in.

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

impl LoginThrottle {
    pub fn new(limits: LoginLimits) -> Self {
        LoginThrottle { limits, entries: Mutex::new(HashMap::new()) }
    }

    fn window(&self) -> i64 {
        i64::try_from(self.limits.window.as_secs()).unwrap_or(i64::MAX)
    }

    /// `Err(seconds)` when either key is paused.
    pub fn check(&self, account: &str, ip: &str, now: i64) -> Result<(), u64> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let wait = [account_key(account), ip_key(ip)]
            .iter()
            .filter_map(|k| entries.get(k))
            .map(|f| f.blocked_until - now)
            .max()
            .unwrap_or(0);
        if wait > 0 { Err(u64::try_from(wait).unwrap_or(1)) } else { Ok(()) }
    }

    pub fn record_failure(&self, account: &str, ip: &str, now: i64) {
        let window = self.window();
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, f| f.blocked_until > now || now - f.window_start < window);
        }
        let bump = |f: &mut Failures| {
            if f.count == 0 || now - f.window_start >= window {
                *f = Failures { count: 0, window_start: now, blocked_until: 0 };
            }
            f.count += 1;
        };

        let acc = entries.entry(account_key(account)).or_default();
        bump(acc);
        if acc.count >= self.limits.account_free_failures {
            let extra = acc.count - self.limits.account_free_failures;
            let delay = self.limits.account_base_delay.saturating_mul(1u32 << extra.min(20));
            let delay = delay.min(self.limits.account_max_delay).as_secs();
            acc.blocked_until = now + i64::try_from(delay).unwrap_or(i64::MAX / 2);
        }

        let addr = entries.entry(ip_key(ip)).or_default();
        bump(addr);
        if addr.count >= self.limits.ip_max_failures {
            addr.blocked_until = addr.window_start + window;
        }
    }

    pub fn record_success(&self, account: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.remove(&account_key(account));
    }
}

fn account_key(email: &str) -> String {
    format!("a:{email}")
}

fn ip_key(ip: &str) -> String {
    format!("i:{ip}")
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

    #[test]
    fn an_account_is_paused_after_its_free_failures_and_the_pause_is_capped() {
        let t = LoginThrottle::new(limits());
        for _ in 0..2 {
            t.record_failure("a@x.org", "1.1.1.1", 0);
            assert!(t.check("a@x.org", "2.2.2.2", 0).is_ok());
        }
        t.record_failure("a@x.org", "1.1.1.1", 0);
        assert_eq!(t.check("a@x.org", "2.2.2.2", 0), Err(10));
        for _ in 0..10 {
            t.record_failure("a@x.org", "3.3.3.3", 0);
        }
        assert_eq!(t.check("a@x.org", "4.4.4.4", 0), Err(60), "never more than the cap");
        assert!(t.check("a@x.org", "4.4.4.4", 61).is_ok(), "the owner gets back in");
        assert!(t.check("b@x.org", "4.4.4.4", 0).is_ok(), "other accounts are untouched");
    }

    #[test]
    fn an_address_spraying_many_accounts_is_paused() {
        let t = LoginThrottle::new(limits());
        for i in 0..5 {
            t.record_failure(&format!("u{i}@x.org"), "9.9.9.9", 100);
        }
        assert_eq!(t.check("new@x.org", "9.9.9.9", 100), Err(600));
        assert!(t.check("new@x.org", "8.8.8.8", 100).is_ok());
        assert!(t.check("new@x.org", "9.9.9.9", 700).is_ok());
    }

    #[test]
    fn a_success_clears_the_account() {
        let t = LoginThrottle::new(limits());
        t.record_failure("a@x.org", "1.1.1.1", 0);
        t.record_failure("a@x.org", "1.1.1.1", 0);
        t.record_success("a@x.org");
        t.record_failure("a@x.org", "1.1.1.1", 0);
        assert!(t.check("a@x.org", "5.5.5.5", 0).is_ok());
    }
}
