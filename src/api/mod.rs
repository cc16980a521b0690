//! The JSON API under `/api`. Each resource module owns its handlers; this module gathers
//! them into one router and one OpenAPI description, both generated from the same
//! registrations, so the description cannot drift from what is served.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::AppError;

pub mod accounts;
pub mod courses;
pub mod evidence;
pub mod extract;
pub mod import;
pub mod portfolio;
pub mod views;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "certfolio",
        description = "Record MOOCs and attestations; turn them into verifiable portfolios. \
                       Errors are always `{\"error\": {\"code\", \"message\", \"field\"?}}`."
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "accounts", description = "Accounts and sessions"),
        (name = "courses", description = "The learner's courses and their attestations"),
        (name = "evidence", description = "Evidence files (PDF, PNG, JPEG)"),
        (name = "documents", description = "Portfolio document import and export"),
        (name = "portfolio", description = "The portfolio PDF and framing advice"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("certfolio"))));
    }
}

/// The `/api` router and its OpenAPI description.
pub fn router(state: AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let evidence_limit = state.config.evidence_max_bytes + evidence::MULTIPART_OVERHEAD;
    let import_limit = state.config.import_max_bytes;
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login, accounts::logout))
        .routes(routes!(accounts::me, accounts::update_me))
        .routes(routes!(accounts::change_password))
        .routes(routes!(courses::list, courses::create))
        .routes(routes!(courses::show, courses::replace, courses::delete))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(evidence::upload, evidence::download, evidence::remove))
                .layer(axum::extract::DefaultBodyLimit::max(evidence_limit)),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import::import))
                .layer(axum::extract::DefaultBodyLimit::max(import_limit)),
        )
        .routes(routes!(import::export))
        .routes(routes!(portfolio::pdf))
        .routes(routes!(portfolio::advice))
        .split_for_parts();
    let spec = Arc::new(openapi.clone());
    let router = router
        .route(
            "/api/openapi.json",
            get(move || {
                let spec = Arc::clone(&spec);
                async move { Json(spec.as_ref().clone()) }
            }),
        )
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .layer(axum::middleware::map_response(no_store))
        .layer(axum::middleware::map_response(json_method_errors));
    (router, openapi)
}

async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// API answers are private and current: never cached by browsers or proxies.
async fn no_store(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

/// axum answers a wrong method with an empty 405; under `/api` every error is JSON.
async fn json_method_errors(response: axum::response::Response) -> axum::response::Response {
    if response.status() == axum::http::StatusCode::METHOD_NOT_ALLOWED
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        let allow = response.headers().get(header::ALLOW).cloned();
        let mut json = (
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            Json(crate::error::ErrorBody {
                error: crate::error::ErrorDetail {
                    code: "method_not_allowed".into(),
                    message: "this method is not allowed on this route".into(),
                    field: None,
                },
            }),
        )
            .into_response();
        if let Some(allow) = allow {
            json.headers_mut().insert(header::ALLOW, allow);
        }
        return json;
    }
    response
}

/// The OpenAPI description as JSON text (for `certfolio openapi` and tests).
pub fn openapi_json(state: AppState) -> String {
    let (_, spec) = router(state);
    spec.to_pretty_json().unwrap_or_default()
}
