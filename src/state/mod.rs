//! The application's state: the storage (database and object store), the configuration and
//! clock, the budgets (in the database, shared by every instance) and every in-memory cache the
//! handlers share. It lives apart from the router (`app`), the JSON API
//! (`api`) and the pages (`web`), which all read it and none of which owns it, so none of them
//! imports another to reach it.

use std::sync::Arc;

use crate::auth::{LoginThrottle, Passwords, WindowBudget};
use crate::config::{Clock, Config};
use crate::interop::TrustStore;
use crate::storage::{self, Db};

pub mod caches;
pub mod pdfs;
pub mod pending;

pub use caches::{PageCache, ViewCounter};
pub use pdfs::IssuedPdfs;
pub use pending::PendingImports;

/// Unknown share tokens one address may ask for per minute before getting 429.
const MISSES_PER_WINDOW: u32 = 60;

/// Everything a handler may need, behind one reference count: axum clones the state for every
/// extractor and middleware of every request, and cloning a struct of seventeen `Arc`s cost a
/// fifth of the service's CPU under load (two cores contending on each counter).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    /// The database and the object store (every instance of the service shares them).
    pub db: Db,
    /// This process, among the instances sharing the database (holder of job claims).
    pub instance: Arc<str>,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub passwords: Passwords,
    /// Login and password-change budgets (in the database: shared by every instance).
    pub throttle: Arc<LoginThrottle>,
    /// Portfolio PDFs rendered at once (CPU-bound); one more is answered 503.
    pub pdf_slots: Arc<tokio::sync::Semaphore>,
    /// Share-page views waiting to be written (see `caches`).
    pub views: Arc<ViewCounter>,
    /// Per-address budget of unknown share tokens (in the database).
    pub miss_budget: Arc<WindowBudget>,
    /// Per-address budget of accounts created (in the database).
    pub signup_budget: Arc<WindowBudget>,
    /// Rendered share pages, by link and record revision.
    pub page_cache: Arc<PageCache>,
    /// Issuers whose badge signatures count as verified (`trusted-issuers.json`, read at start).
    pub trust: Arc<TrustStore>,
    /// PDFs recently issued, and renders in flight (`issue`).
    pub issued_pdfs: Arc<IssuedPdfs>,
    /// Import-page uploads waiting for the learner's confirmation (in the store, with a row).
    pub pending_imports: Arc<PendingImports>,
    /// The only way out to the network, for verification alone (`crate::fetch`).
    pub fetcher: Arc<crate::fetch::Fetcher>,
    /// Per-learner budget of badge documents fetched at import (`verify::documents_for_import`;
    /// in the database).
    pub import_fetch_budget: Arc<WindowBudget>,
    /// Per-learner rate of "check now" (`verify::check_now`; in the database).
    pub check_now_budget: Arc<WindowBudget>,
}

/// Why the service could not start on its data folder.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Storage(#[from] storage::Error),
    /// The trust file does not read: the message names the file and the entry.
    #[error("{0}")]
    Trust(String),
    /// The outbound-request settings do not make a client: the message names the setting.
    #[error("{0}")]
    Fetch(String),
}

impl AppState {
    /// Opens (creating if needed) the configured database and object store (by default both
    /// in the data folder), migrating the database or waiting while another instance does,
    /// and reads the trust file in the data folder.
    pub fn open(config: Config, clock: Clock) -> Result<AppState, OpenError> {
        let trust = crate::config::load_trust_store(&config.data_dir).map_err(OpenError::Trust)?;
        let fetcher =
            crate::fetch::Fetcher::new(&config.fetch, &config.public_url, clock.clone()).map_err(OpenError::Fetch)?;
        let db = Db::open(&config.storage())?;
        let signups_per_hour = config.signups_per_hour;
        let verify = config.verify;
        Ok(AppState(Arc::new(Shared {
            instance: uuid::Uuid::new_v4().to_string().into(),
            throttle: Arc::new(LoginThrottle::new(config.login, db.clone())),
            config: Arc::new(config),
            clock,
            passwords: Passwords::default(),
            pdf_slots: Arc::new(tokio::sync::Semaphore::new(pdf_slots())),
            views: Arc::new(ViewCounter::default()),
            miss_budget: Arc::new(WindowBudget::new("miss", MISSES_PER_WINDOW, 60, db.clone())),
            signup_budget: Arc::new(WindowBudget::new("signup", signups_per_hour, 3600, db.clone())),
            page_cache: Arc::new(PageCache::default()),
            trust: Arc::new(trust),
            issued_pdfs: Arc::new(IssuedPdfs::default()),
            pending_imports: Arc::new(PendingImports::new(db.clone())),
            fetcher: Arc::new(fetcher),
            import_fetch_budget: Arc::new(WindowBudget::new(
                "import-fetch",
                verify.import_fetches_per_hour,
                3600,
                db.clone(),
            )),
            check_now_budget: Arc::new(WindowBudget::new(
                "check-now",
                1,
                i64::try_from(verify.check_now_every.as_secs()).unwrap_or(i64::MAX).max(1),
                db.clone(),
            )),
            db,
        })))
    }
}

/// One render per core: more would only queue on the blocking pool and hold memory.
fn pdf_slots() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}
