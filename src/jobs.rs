//! Background jobs of `serve`, each run once per period across every instance sharing the
//! database: before each run, the instance claims the job's lease for one period
//! (`storage::leases`, `Db::claim`), and only the instance that gets it runs the job. If that
//! instance dies, its lease expires and another one takes the next period.
//!
//! Adding a job is one more [`every`] line below with its own name and period; work spread over
//! many rows should also claim the rows it takes, in the transaction that reads them (see
//! `storage::leases`), as the proof re-checks do (`storage::checks`).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;

/// How often orphaned objects are looked for (they are removed an hour after they were
/// written at the earliest: `storage::files::ORPHAN_GRACE_SECS`).
pub const SWEEP_EVERY: Duration = Duration::from_secs(3600);
/// How often expired rows (attempt counters, waiting uploads, sessions) are removed.
pub const PURGE_EVERY: Duration = Duration::from_secs(600);

/// Starts every job; the handles stop them when aborted.
pub fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    // The proof checks: due ones every `poll_every` (a few seconds), on one instance at a time;
    // each check is also leased in the transaction that claims it (`storage::checks`), so a
    // "check now" pass on the same instance never runs one twice.
    let first = Arc::new(AtomicBool::new(true));
    let verify = move |state: AppState| {
        let first = first.clone();
        async move {
            let was_first = first.load(Ordering::Relaxed);
            let done = crate::verify::job_pass(&state, was_first).await?;
            first.store(false, Ordering::Relaxed);
            Ok(done)
        }
    };
    vec![
        every(state, "sweep-orphans", SWEEP_EVERY, sweep),
        every(state, "purge-expired", PURGE_EVERY, purge),
        every_leased(state, crate::verify::JOB, state.config.verify.poll_every, crate::verify::JOB_LEASE_SECS, verify),
    ]
}

/// Runs `job` every `period` on whichever instance claims `name` for that period.
pub fn every<F, Fut>(state: &AppState, name: &'static str, period: Duration, job: F) -> JoinHandle<()>
where
    F: Fn(AppState) -> Fut + Send + 'static,
    Fut: Future<Output = Result<String, crate::storage::Error>> + Send,
{
    let secs = i64::try_from(period.as_secs()).unwrap_or(i64::MAX / 4).max(1);
    every_leased(state, name, period, secs, job)
}

/// Runs `job` every `period` on whichever instance holds the lease `name`, taken (or renewed
/// by its holder) for `lease_secs` before each run: for a job that runs often, a lease longer
/// than its period keeps it on one instance while that instance lives. What the job says is
/// logged, unless it says nothing.
pub fn every_leased<F, Fut>(
    state: &AppState,
    name: &'static str,
    period: Duration,
    lease_secs: i64,
    job: F,
) -> JoinHandle<()>
where
    F: Fn(AppState) -> Fut + Send + 'static,
    Fut: Future<Output = Result<String, crate::storage::Error>> + Send,
{
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period.max(Duration::from_millis(10)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match state.db.claim(name, &state.instance, wall_clock(), lease_secs.max(1)).await {
                Ok(true) => match job(state.clone()).await {
                    Ok(done) if done.is_empty() => {}
                    Ok(done) => tracing::info!(job = name, "{done}"),
                    Err(e) => tracing::error!(job = name, cause = %e, "background job failed; will run again"),
                },
                Ok(false) => {}
                Err(e) => tracing::warn!(job = name, cause = %e, "could not claim a background job"),
            }
        }
    })
}

/// Leases and object times are compared across machines: the real clock, not a test's.
fn wall_clock() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn sweep(state: AppState) -> Result<String, crate::storage::Error> {
    let r = state.db.sweep_orphans(wall_clock()).await?;
    Ok(format!("object store swept: {} removed, {} named, {} too recent to judge", r.removed, r.named, r.young))
}

async fn purge(state: AppState) -> Result<String, crate::storage::Error> {
    let now = state.clock.now();
    let counters = state.db.purge_counters(now).await?;
    let uploads = state.db.purge_pending(now).await?;
    let idle = i64::try_from(state.config.session_idle.as_secs()).unwrap_or(i64::MAX / 2);
    let sessions = state.db.purge_sessions(now, idle).await?;
    Ok(format!("expired rows removed: {counters} counters, {uploads} waiting uploads, {sessions} sessions"))
}
