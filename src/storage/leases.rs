//! Named leases: which instance may do a thing that must be done by one at a time — migrate
//! the schema, or run a background job — shared through one row per name of `leases`.
//!
//! Taking a lease is one upsert that succeeds only when the row is free, expired, or already
//! ours (`ON CONFLICT (name) DO UPDATE … WHERE`), and says so by returning the row: atomic on
//! every engine, no advisory lock (CockroachDB has none), a plain-column conflict target.
//! Times are the instances' clocks: keep them synchronised (NTP), and leases much longer than
//! any clock skew.
//!
//! # Background jobs, once across instances
//!
//! A periodic job (the orphan sweep, the housekeeping of expired rows, a proof re-check) calls
//! [`Db::claim`] with its name, a holder id of the process and the period as the lease: only
//! the instance that gets the lease runs it, and nobody else can until the lease expires, so the
//! job runs once per period however many instances there are, and goes on running when the
//! instance that ran it dies (another one takes the expired lease). See `crate::jobs` for the
//! loop every job shares: a new job is one `jobs::every(...)` line with its own name.
//! Per-item work (re-checking proof *k*) claims `recheck:k` the same way, or better, marks its
//! rows in the same transaction that reads them (`UPDATE … SET claimed_by = $me, claimed_until =
//! $t WHERE id = $k AND (claimed_until IS NULL OR claimed_until < $now)`): one winner per row.

use super::sql::{Tx, vals};
use super::{Db, Mode, Result, Worker};

const TAKE: &str = "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.expires_at <= $4 OR leases.holder = excluded.holder
     RETURNING holder";

fn take_in(tx: &Tx<'_>, name: &str, holder: &str, now: i64, secs: i64) -> Result<bool> {
    Ok(tx.query_opt(TAKE, vals![name, holder, now + secs, now])?.is_some())
}

fn run_write(worker: &mut dyn Worker, f: impl Fn(&Tx<'_>) -> Result<bool>) -> Result<bool> {
    let mut out = false;
    worker.transaction(Mode::Write, &mut |tx| {
        out = f(tx)?;
        Ok(())
    })?;
    Ok(out)
}

/// Takes (or renews) the lease `name` for `secs` seconds from `now`; whether it is ours now.
pub(super) fn take(worker: &mut dyn Worker, name: &str, holder: &str, now: i64, secs: i64) -> Result<bool> {
    run_write(worker, |tx| take_in(tx, name, holder, now, secs))
}

/// Extends a lease we hold; `false` when it is no longer ours.
pub(super) fn renew(worker: &mut dyn Worker, name: &str, holder: &str, now: i64, secs: i64) -> Result<bool> {
    take(worker, name, holder, now, secs)
}

/// Frees a lease we hold (another holder's is left alone).
pub(super) fn free(worker: &mut dyn Worker, name: &str, holder: &str) -> Result<()> {
    run_write(worker, |tx| {
        tx.execute("DELETE FROM leases WHERE name = $1 AND holder = $2", vals![name, holder])?;
        Ok(true)
    })
    .map(|_| ())
}

impl Db {
    /// Claims the job `name` for `secs` seconds from `now` on behalf of `holder` (this
    /// process): `true` when this instance is the one to run it now.
    pub async fn claim(&self, name: &str, holder: &str, now: i64, secs: i64) -> Result<bool> {
        let (name, holder) = (name.to_owned(), holder.to_owned());
        self.write(move |tx| take_in(tx, &name, &holder, now, secs)).await
    }

    /// Gives a claim back before it expires (a job that stops early).
    pub async fn release(&self, name: &str, holder: &str) -> Result<()> {
        let (name, holder) = (name.to_owned(), holder.to_owned());
        self.write(move |tx| {
            tx.execute("DELETE FROM leases WHERE name = $1 AND holder = $2", vals![name, holder])?;
            Ok(())
        })
        .await
    }
}
