//! certfolio checking proofs itself (issue 13): Open Badges 2.0 hosted and signed assertions,
//! Open Badges 3.0 / Verifiable Credentials (Data Integrity proofs, VC-JWT), their keys,
//! revocation and status lists and recipients, and known issuers' verification pages.
//!
//! How it runs:
//! - Writing a course queues the checks it calls for (`storage::checks::sync`); nothing is
//!   fetched while a learner waits, except at import the few documents needed to *read* a
//!   badge that names its badge class by URL ([`documents_for_import`], budgeted per learner).
//! - The job ([`run_job`], started by `serve`) claims due checks (new, changed, asked for with
//!   "check now", or older than the re-check age: a week by default), runs them with bounded
//!   concurrency through the one guarded fetcher, and stores each result with its date. Every
//!   check is idempotent and claimed under a lease, so several processes may run the job.
//! - A learner cannot make the server fetch at will: checks come only from what the record
//!   holds, each learner's checks are budgeted per hour, "check now" is rate-limited, and the
//!   fetcher refuses private, loopback and metadata addresses.
//! - Offline (`--offline`), the same checks run without the network: what the files alone
//!   prove is checked (a trust-file signature, a `did:key` proof, the recipient) and every
//!   check that needed an issuer's server says "not checked: offline".
//!
//! Pages never wait on the network: they show the stored results (`domain::check`).

mod badge;
mod fetching;
mod page;
mod recipient;

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use crate::domain::check::{CheckKind, CheckResult, NotChecked, Outcome, Reason, What};
use crate::state::AppState;
use crate::storage::checks::{Claim, ClaimLimits, Stored};

pub use fetching::{documents_for_import, reason_of};

/// The verification job's settings (`serve --recheck-days`, `--checks-per-hour`).
#[derive(Debug, Clone, Copy)]
pub struct VerifySettings {
    /// A result older than this is checked again.
    pub recheck_after: Duration,
    /// Checks one learner's proofs may take in any hour (further ones wait their turn).
    pub checks_per_hour: u32,
    /// Checks one process runs at once (each makes its requests through the fetcher's per-host
    /// and overall limits).
    pub concurrency: usize,
    /// How often the job looks for due checks.
    pub poll_every: Duration,
    /// "Check now" at most once per this long per learner.
    pub check_now_every: Duration,
    /// How long a "check now" request waits for the run before answering "still running".
    pub check_now_wait: Duration,
    /// Documents (badge classes, issuer profiles) fetched at import, per learner and hour.
    pub import_fetches_per_hour: u32,
    /// The longest one check may take, all its requests included.
    pub check_timeout: Duration,
}

impl Default for VerifySettings {
    fn default() -> Self {
        VerifySettings {
            recheck_after: Duration::from_secs(7 * 24 * 3600),
            checks_per_hour: 120,
            concurrency: 16,
            poll_every: Duration::from_secs(5),
            check_now_every: Duration::from_secs(10 * 60),
            check_now_wait: Duration::from_secs(20),
            import_fetches_per_hour: 30,
            check_timeout: Duration::from_secs(90),
        }
    }
}

/// A check's lease: longer than [`VerifySettings::check_timeout`], so that a running check is
/// never taken over, short enough that a crashed worker's checks come back the same hour.
const LEASE_SECS: i64 = 10 * 60;
/// A check that could not be made for a passing reason (busy, slow) is tried again after this.
const RETRY_SOON_SECS: i64 = 3600;

/// What one pass of the job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Checks run.
    pub ran: usize,
    /// Results whose outcome differs from the previous one.
    pub changed: usize,
    /// Results dropped because the course changed meanwhile.
    pub stale: usize,
}

/// Runs every check due now, in batches, until none is left that this process may claim (the
/// budget, or other processes' leases, leave the rest for later). Safe to call while another
/// pass runs, here or in another process.
pub async fn run_due(state: &AppState) -> Result<RunReport, crate::storage::Error> {
    let settings = state.config.verify;
    let limits = ClaimLimits {
        batch: settings.concurrency.max(1) * 4,
        lease_secs: LEASE_SECS,
        per_hour: settings.checks_per_hour,
    };
    let mut report = RunReport::default();
    loop {
        let claims = state.db.claim_checks(state.clock.now(), limits).await?;
        let full = claims.len() == limits.batch;
        if claims.is_empty() {
            break;
        }
        run_claims(state, claims, &mut report).await?;
        if !full {
            break;
        }
    }
    Ok(report)
}

/// Runs `claims` at most `concurrency` at once, storing each result as it comes.
async fn run_claims(state: &AppState, claims: Vec<Claim>, report: &mut RunReport) -> Result<(), crate::storage::Error> {
    let settings = state.config.verify;
    let mut running = tokio::task::JoinSet::new();
    let mut pending = claims.into_iter();
    loop {
        while running.len() < settings.concurrency.max(1) {
            let Some(claim) = pending.next() else { break };
            let ctx = Context {
                fetcher: state.fetcher.clone(),
                trust: state.trust.clone(),
                now: state.clock.now(),
                timeout: settings.check_timeout,
            };
            running.spawn(async move {
                let result = ctx.check(&claim).await;
                (claim, result)
            });
        }
        let Some(done) = running.join_next().await else { break };
        let (claim, result) = match done {
            Ok(pair) => pair,
            // A check that panicked is a bug; its lease runs out and it is tried again later.
            Err(e) => {
                tracing::error!(cause = %e, "a proof check failed");
                continue;
            }
        };
        let at = state.clock.now();
        let next = if result.outcome == Outcome::NotChecked && transient(&result) {
            at + RETRY_SOON_SECS
        } else {
            at + i64::try_from(settings.recheck_after.as_secs()).unwrap_or(i64::MAX / 2)
        };
        let (course, kind, outcome) = (claim.course_id, claim.kind, result.outcome);
        match state.db.store_check(claim, result, at, next).await? {
            Stored::Written { changed } => {
                report.ran += 1;
                if changed {
                    report.changed += 1;
                    tracing::info!(%course, kind = kind.as_str(), outcome = outcome.as_str(), "proof check changed");
                }
            }
            Stored::Stale => report.stale += 1,
        }
    }
    Ok(())
}

fn transient(r: &CheckResult) -> bool {
    let reasons: Vec<&Reason> = r.problem.iter().chain(&r.not_checked).map(|n| &n.reason).collect();
    !reasons.is_empty() && reasons.iter().all(|r| r.is_transient())
}

/// What one check runs with.
struct Context {
    fetcher: Arc<crate::fetch::Fetcher>,
    trust: Arc<crate::interop::TrustStore>,
    now: i64,
    timeout: Duration,
}

impl Context {
    async fn check(&self, claim: &Claim) -> CheckResult {
        let online = !self.fetcher.is_offline();
        let run = async {
            let mut docs = fetching::Fetch::new(self.fetcher.clone());
            match (claim.kind, &claim.payload, &claim.url) {
                (CheckKind::Badge, Some(payload), _) => {
                    badge::check(&mut docs, &self.trust, payload, &claim.emails, self.now).await
                }
                (CheckKind::Link, _, Some(url)) => page::check(&mut docs, url, &claim.learner_name, &claim.title).await,
                _ => {
                    let mut r = CheckResult::new(Outcome::NotChecked, online);
                    r.problem = Some(NotChecked {
                        what: if claim.kind == CheckKind::Badge { What::Signature } else { What::Page },
                        url: None,
                        reason: Reason::new("missing", "the course no longer holds what was to be checked"),
                    });
                    r
                }
            }
        };
        match tokio::time::timeout(self.timeout, run).await {
            Ok(result) => result,
            Err(_) => {
                let mut r = CheckResult::new(Outcome::NotChecked, online);
                r.problem = Some(NotChecked {
                    what: if claim.kind == CheckKind::Badge { What::Signature } else { What::Page },
                    url: claim.url.clone(),
                    reason: Reason::new(
                        "timeout",
                        format!("the check took longer than {} s in all", self.timeout.as_secs()),
                    ),
                });
                r
            }
        }
    }
}

/// The verification job's name among the background jobs (`crate::jobs`): whichever instance
/// holds its lease runs it, one at a time across every instance sharing the database.
pub const JOB: &str = "verify-proofs";
/// How long the job's lease lasts (renewed by its holder at every pass, so another instance
/// takes the job over this long after the holder stops).
pub const JOB_LEASE_SECS: i64 = 60;

/// One pass of the verification job, on the instance holding its lease (`crate::jobs`): the
/// first pass of a process queues what older databases lack, and every pass runs the checks
/// due. Says what it did, or nothing when there was nothing to do.
pub async fn job_pass(state: &AppState, first: bool) -> Result<String, crate::storage::Error> {
    let mut said = Vec::new();
    if first {
        let n = state.db.queue_missing_checks(state.clock.now()).await?;
        if n > 0 {
            said.push(format!("proof checks queued for {n} courses written before checks existed"));
        }
    }
    let r = run_due(state).await?;
    if r.ran > 0 {
        said.push(format!("proof checks run: {}, {} changed, {} stale", r.ran, r.changed, r.stale));
    }
    Ok(said.join("; "))
}

/// Why "check now" was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckNow {
    /// Asked too recently: seconds to wait.
    TooSoon(u64),
}

/// What "check now" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckNowDone {
    /// The learner's checks made due.
    pub queued: usize,
    /// The run finished within the wait (its results are stored); otherwise it goes on.
    pub finished: bool,
}

/// "Check now" for a learner: at most once per `check_now_every`; every check of the learner
/// is made due and a pass of the job started at once (within the learner's hourly budget, like
/// any other). Waits for the pass up to `check_now_wait`.
pub async fn check_now(
    state: &AppState,
    learner: Uuid,
) -> Result<Result<CheckNowDone, CheckNow>, crate::storage::Error> {
    let now = state.clock.now();
    if let Err(wait) = state.check_now_budget.take(&learner.to_string(), now).await? {
        return Ok(Err(CheckNow::TooSoon(wait)));
    }
    let queued = state.db.request_checks(learner, now).await?;
    let background = state.clone();
    // The pass runs here only if this instance holds (or can take) the job's lease; otherwise
    // the instance that holds it takes these checks, now due, at its next pass.
    let run = tokio::spawn(async move {
        let wall = time::OffsetDateTime::now_utc().unix_timestamp();
        match background.db.claim(JOB, &background.instance, wall, JOB_LEASE_SECS).await {
            Ok(true) => match run_due(&background).await {
                Ok(_) => true,
                Err(e) => {
                    tracing::error!(cause = %e, "proof checks could not run; will retry");
                    true
                }
            },
            Ok(false) => false,
            Err(e) => {
                tracing::error!(cause = %e, "could not claim the proof check job; its holder will run the checks");
                false
            }
        }
    });
    let finished = matches!(tokio::time::timeout(state.config.verify.check_now_wait, run).await, Ok(Ok(true)));
    Ok(Ok(CheckNowDone { queued, finished }))
}

/// A share page is being read: results older than the re-check age go to the front of the
/// queue (the page itself shows what is stored and never waits).
pub fn hurry_if_stale(state: &AppState, learner: Uuid, record: &crate::domain::record::Record) {
    let age = i64::try_from(state.config.verify.recheck_after.as_secs()).unwrap_or(i64::MAX / 2);
    let cutoff = state.clock.now().saturating_sub(age);
    let stale = record.courses.iter().flat_map(|c| &c.checks).any(|c| c.checked_at.is_some_and(|t| t < cutoff));
    if !stale {
        return;
    }
    let db = state.db.clone();
    tokio::spawn(async move {
        if let Err(e) = db.hurry_checks(learner, cutoff).await {
            tracing::warn!(cause = %e, "could not move stale proof checks forward");
        }
    });
}

/// Reads an uploaded file for import (`Incoming::read_with`), after fetching what an Open
/// Badges file names by URL and needs to be read (its badge class, issuer, or the assertion a
/// baked URL points at), within the learner's hourly budget of such requests. Every import
/// entry point of the service goes through here.
pub async fn read_import(
    state: &AppState,
    learner: Uuid,
    bytes: &[u8],
) -> Result<crate::interop::incoming::Incoming, crate::domain::ValidationError> {
    let now = state.clock.now();
    let key = learner.to_string();
    let docs = documents_for_import(&state.fetcher, Some((&state.import_fetch_budget, &key, now)), bytes).await;
    crate::interop::incoming::Incoming::read_with(bytes, &state.trust, now, &docs)
}
