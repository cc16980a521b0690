//! Building the service: router and middleware around the state (`crate::state`).
//! `build_app()` is used by `serve` and by the tests alike, so what is tested is what runs.

use std::net::SocketAddr;
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

use crate::error::{AppError, log_server_errors};
use crate::state::AppState;

/// How often counted page views are written.
const VIEW_FLUSH_EVERY: Duration = Duration::from_secs(5);

/// The whole HTTP surface.
pub fn build_app(state: AppState) -> Router {
    let (api, _) = crate::api::router(state.clone());
    // Over https (behind a TLS proxy), browsers are told to come back over https only. Not
    // `includeSubDomains`: the operator's other hosts are not ours to decide for.
    let hsts = state.config.secure_cookies().then(|| HeaderValue::from_static("max-age=63072000"));
    let pages = state.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api)
        .merge(crate::web::router(&state))
        .fallback(not_found)
        .with_state(state)
        // Cross-site requests that change state are refused (Fetch Metadata, then Origin);
        // clients that send neither header, like curl or scripts using a bearer token, pass.
        .layer(CsrfLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            AppError::internal("a handler panicked").into_response()
        }))
        // Outside the cross-site check, the timeout and the panic catcher, whose answers are
        // bodiless or JSON: under `/api` every error is JSON, elsewhere an HTML page.
        .layer(axum::middleware::from_fn(crate::api::json_errors))
        .layer(axum::middleware::from_fn_with_state(pages, crate::web::error_pages::error_pages))
        // Outside everything that answers, error pages included, so that every answer has them.
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
    // Background jobs, each run by one instance at a time (`crate::jobs`): the orphan sweep,
    // the housekeeping of expired rows, and certfolio's own checks of proofs (due ones every few
    // seconds, each re-checked weekly).
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
