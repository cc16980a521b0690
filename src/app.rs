//! Building the service: state, router and middleware. `build_app()` is used by `serve` and
//! by the tests alike, so what is tested is what runs.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{LoginThrottle, Passwords, WindowBudget};
use crate::config::{Clock, Config};
use crate::error::{AppError, log_server_errors};
use crate::interop::TrustStore;
use crate::storage::{self, Db};
use crate::web::limits::{PageCache, ViewCounter};

/// Unknown share tokens one address may ask for per minute before getting 429.
const MISSES_PER_WINDOW: u32 = 60;
/// How often counted page views are written.
const VIEW_FLUSH_EVERY: Duration = Duration::from_secs(5);

/// Everything a handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
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
    /// Share-page views waiting to be written (see `web::limits`).
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
    pub issued_pdfs: Arc<crate::issue::IssuedPdfs>,
    /// Import-page uploads waiting for the learner's confirmation (in the store, with a row).
    pub pending_imports: Arc<crate::web::pending::PendingImports>,
    /// The only way out to the network, for verification alone (`crate::fetch`).
    pub fetcher: Arc<crate::fetch::Fetcher>,
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
        Ok(AppState {
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
            issued_pdfs: Arc::new(crate::issue::IssuedPdfs::default()),
            pending_imports: Arc::new(crate::web::pending::PendingImports::new(db.clone())),
            fetcher: Arc::new(fetcher),
            db,
        })
    }
}

/// One render per core: more would only queue on the blocking pool and hold memory.
fn pdf_slots() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// The whole HTTP surface.
pub fn build_app(state: AppState) -> Router {
    let (api, _) = crate::api::router(state.clone());
    // Over https (behind a TLS proxy), browsers are told to come back over https only. Not
    // `includeSubDomains`: the operator's other hosts are not ours to decide for.
    let hsts = state.config.secure_cookies().then(|| HeaderValue::from_static("max-age=63072000"));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api)
        .merge(crate::web::router(&state))
        .fallback(not_found)
        .with_state(state)
        // Cross-site requests that change state are refused (Fetch Metadata, then Origin);
        // clients that send neither header, like curl or scripts using a bearer token, pass.
        .layer(CsrfLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::STRICT_TRANSPORT_SECURITY, move |_: &_| hsts.clone()))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
        // Outside the cross-site check and the timeout, whose answers have no body.
        .layer(axum::middleware::from_fn(crate::api::json_errors))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            AppError::internal("a handler panicked").into_response()
        }))
        // Outside the panic catcher, so that a panic's 500 is logged too; inside the trace
        // layer, so that every line carries the request's span.
        .layer(axum::middleware::from_fn(log_server_errors))
        .layer(
            // Spans carry the route template (`/s/{token}`), never the raw path or query,
            // so tokens and ids typed into URLs stay out of the logs.
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let route = req.extensions().get::<MatchedPath>().map_or("(unmatched)", MatchedPath::as_str);
                    tracing::info_span!("request", method = %req.method(), route = %route)
                })
                // 5xx are logged by `log_server_errors` (the cause of a 500, a counted warning
                // for 503s), not once more per request here.
                .on_failure(()),
        )
}

/// 200 when the database and the object store both answer, 503 otherwise; the body says
/// which (for a load balancer's health check and for the operator reading it).
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let (db, files) = tokio::join!(state.db.ping(), state.db.files().ping());
    let word = |r: &crate::storage::Result<()>| if r.is_ok() { "ok" } else { "unavailable" };
    let body = format!("database {}, files {}\n", word(&db), word(&files));
    for (what, r) in [("database", &db), ("files", &files)] {
        if let Err(e) = r {
            tracing::error!(cause = %e, "health check failed: the {what} does not answer");
        }
    }
    let status = if db.is_ok() && files.is_ok() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, body)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Serves until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = build_app(state.clone());
    let flusher = tokio::spawn(flush_views(state.clone()));
    let jobs = crate::jobs::start(&state);
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    flusher.abort();
    for job in jobs {
        job.abort();
    }
    // The last views counted before the stop.
    write_views(&state).await;
    served
}

async fn flush_views(state: AppState) {
    let mut tick = tokio::time::interval(VIEW_FLUSH_EVERY);
    loop {
        tick.tick().await;
        write_views(&state).await;
    }
}

async fn write_views(state: &AppState) {
    let batch = state.views.take();
    if batch.is_empty() {
        return;
    }
    if let Err(e) = state.db.add_views(batch.clone()).await {
        tracing::error!(cause = %e, "could not record share views; will retry");
        state.views.restore(batch);
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
