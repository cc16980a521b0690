//! The application's state: the database, the configuration and clock, and every in-memory
//! cache or budget the handlers share. It lives apart from the router (`app`), the JSON API
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

pub use caches::{PageCache, TokenCache, ViewCounter};
pub use pdfs::IssuedPdfs;
pub use pending::PendingImports;

/// Unknown share tokens one address may ask for per minute before getting 429.
const MISSES_PER_WINDOW: u32 = 60;

/// Everything a handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub passwords: Passwords,
    pub throttle: Arc<LoginThrottle>,
    /// Portfolio PDFs rendered at once (CPU-bound); one more is answered 503.
    pub pdf_slots: Arc<tokio::sync::Semaphore>,
    /// Share-page views waiting to be written (see `caches`).
    pub views: Arc<ViewCounter>,
    /// Per-address budget of unknown share tokens.
    pub miss_budget: Arc<WindowBudget>,
    /// Per-address budget of accounts created.
    pub signup_budget: Arc<WindowBudget>,
    /// Rendered share pages, by link and record revision.
    pub page_cache: Arc<PageCache>,
    /// Share links recently read, by token hash.
    pub token_cache: Arc<TokenCache>,
    /// Issuers whose badge signatures count as verified (`trusted-issuers.json`, read at start).
    pub trust: Arc<TrustStore>,
    /// PDFs recently issued, and renders in flight (`issue`).
    pub issued_pdfs: Arc<IssuedPdfs>,
    /// Import-page uploads waiting for the learner's confirmation.
    pub pending_imports: Arc<PendingImports>,
    /// The only way out to the network, for verification alone (`crate::fetch`).
    pub fetcher: Arc<crate::fetch::Fetcher>,
    /// Per-learner budget of badge documents fetched at import (`verify::documents_for_import`).
    pub import_fetch_budget: Arc<WindowBudget>,
    /// Per-learner rate of "check now" (`verify::check_now`).
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
    /// Opens (creating if needed) the database in the configured data folder, and reads the
    /// trust file beside it.
    pub fn open(config: Config, clock: Clock) -> Result<AppState, OpenError> {
        let trust = crate::config::load_trust_store(&config.data_dir).map_err(OpenError::Trust)?;
        let fetcher =
            crate::fetch::Fetcher::new(&config.fetch, &config.public_url, clock.clone()).map_err(OpenError::Fetch)?;
        let db = Db::open_in(&config.data_dir)?;
        let signups_per_hour = config.signups_per_hour;
        let verify = config.verify;
        Ok(AppState {
            db,
            throttle: Arc::new(LoginThrottle::new(config.login)),
            config: Arc::new(config),
            clock,
            passwords: Passwords::default(),
            pdf_slots: Arc::new(tokio::sync::Semaphore::new(pdf_slots())),
            views: Arc::new(ViewCounter::default()),
            miss_budget: Arc::new(WindowBudget::new(MISSES_PER_WINDOW, 60)),
            signup_budget: Arc::new(WindowBudget::new(signups_per_hour, 3600)),
            page_cache: Arc::new(PageCache::default()),
            token_cache: Arc::new(TokenCache::default()),
            trust: Arc::new(trust),
            issued_pdfs: Arc::new(IssuedPdfs::default()),
            pending_imports: Arc::new(PendingImports::default()),
            fetcher: Arc::new(fetcher),
            import_fetch_budget: Arc::new(WindowBudget::new(verify.import_fetches_per_hour, 3600)),
            check_now_budget: Arc::new(WindowBudget::new(
                1,
                i64::try_from(verify.check_now_every.as_secs()).unwrap_or(i64::MAX).max(1),
            )),
        })
    }
}

/// One render per core: more would only queue on the blocking pool and hold memory.
fn pdf_slots() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}
