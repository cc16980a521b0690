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

use crate::error::AppError;
use crate::state::AppState;

pub mod accounts;
pub mod checks;
pub mod courses;
pub mod evidence;
pub mod extract;
pub mod import;
pub mod portfolio;
pub mod portfolios;
pub mod shares;
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
        (name = "shares", description = "Share links for recruiters"),
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
    let evidence_limit = state.config.evidence_max_bytes + crate::service::evidence::MULTIPART_OVERHEAD;
    let import_limit = state.config.import_max_bytes;
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login, accounts::logout))
        .routes(routes!(accounts::me, accounts::update_me))
        .routes(routes!(accounts::change_password))
        .routes(routes!(courses::list, courses::create))
        .routes(routes!(courses::show, courses::replace, courses::delete))
        .routes(routes!(courses::bulk))
        .routes(routes!(checks::list, checks::check_now))
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
        .routes(routes!(import::imports))
        .routes(routes!(shares::create, shares::list))
        .routes(routes!(shares::revoke, shares::change))
        .routes(routes!(shares::replace))
        .routes(routes!(portfolio::pdf))
        .routes(routes!(portfolio::portfolio))
        .routes(routes!(portfolio::advice))
        .routes(routes!(portfolios::list, portfolios::create))
        .routes(routes!(portfolios::show, portfolios::replace, portfolios::delete))
        .routes(routes!(portfolios::present))
        .routes(routes!(portfolios::pdf))
        .split_for_parts();
    let mut openapi = openapi;
    add_shared_responses(&mut openapi);
    let spec = Arc::new(spec_json(&openapi));
    let router = router
        .route(
            "/api/openapi.json",
            get(move || {
                let spec = Arc::clone(&spec);
                async move { Json(spec.as_ref().clone()) }
            }),
        )
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .layer(axum::middleware::map_response(no_store));
    (router, openapi)
}

/// Statuses that shared extractors and layers answer, added in one place to every operation
/// they apply to (each handler's annotation lists its own), so that the description names
/// every status the service can send, each with its JSON error body.
fn add_shared_responses(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::Operation;
    let shared = |op: &mut Operation, unsafe_method: bool| {
        let has_body = op.request_body.is_some();
        let json_body = op
            .request_body
            .as_ref()
            .is_some_and(|b| matches!(b, utoipa::openapi::RefOr::T(b) if b.content.contains_key("application/json")));
        let has_query = op.parameters.as_ref().is_some_and(|ps| {
            ps.iter().any(|p| matches!(p, utoipa::openapi::RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Query))
        });
        let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
        let mut add = |status: &str, description: &str| {
            op.responses.responses.entry(status.to_owned()).or_insert_with(|| error_response(description).into());
        };
        if secured {
            add("401", "Not logged in");
        }
        if has_query {
            add("400", "The query cannot be read (a parameter given twice, bad percent-encoding)");
        }
        if has_body {
            add("400", "The body cannot be read");
            add("413", "The body is larger than this route accepts");
        }
        if json_body {
            add("415", "The body is not JSON (`Content-Type: application/json`)");
            add("422", "The body is not valid JSON of this shape, or a value breaks a rule; `field` names it");
        }
        if unsafe_method {
            add("403", "A cross-site request (Fetch Metadata or Origin of another site): refused");
        }
        add("408", "The request took longer than 60 seconds");
        add("500", "An internal error (logged; the answer says nothing of the cause)");
    };
    for item in openapi.paths.paths.values_mut() {
        for (op, unsafe_method) in [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.delete, true),
            (&mut item.patch, true),
        ] {
            if let Some(op) = op {
                shared(op, unsafe_method);
            }
        }
    }
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{Content, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
        .build()
}

async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// API answers are private and current: never cached by browsers or proxies.
async fn no_store(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

/// Under `/api` every error is JSON (the contract), also those answered with no body before or
/// around any handler: axum's 405 for a wrong method, the cross-site check's 403, the
/// timeout's 408. Installed around the whole app (`app::build_app`), outside those layers.
pub async fn json_errors(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::StatusCode;
    let under_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !under_api
        || !(status.is_client_error() || status.is_server_error())
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this method is not allowed on this route"),
        StatusCode::FORBIDDEN => ("forbidden", "cross-site requests that change state are refused"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        _ => ("error", status.canonical_reason().unwrap_or("error")),
    };
    let body = crate::error::ErrorBody {
        error: crate::error::ErrorDetail { code: code.into(), message: message.into(), field: None, problem: None },
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let json = Json(body).into_response();
    parts.headers.extend(json.headers().clone());
    parts.headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    axum::response::Response::from_parts(parts, json.into_body())
}

/// The OpenAPI description as served.
///
/// One fix-up: a response that adds fields to a flattened record (`CourseView` = the
/// document's `CourseRecord` + `id`, `evidence`, timestamps) comes out of utoipa as
/// `allOf: [CourseRecord, {…}]`, and since `CourseRecord` forbids additional properties (an
/// unknown field is refused), no course could ever validate against it. The parts are merged
/// into one closed object instead.
fn spec_json(openapi: &utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut spec = serde_json::to_value(openapi).unwrap_or_default();
    merge_all_of(&mut spec, "CourseView");
    spec
}

fn merge_all_of(spec: &mut serde_json::Value, name: &str) {
    use serde_json::{Map, Value};
    let schemas = &spec["components"]["schemas"];
    let Some(parts) = schemas[name]["allOf"].as_array() else { return };
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut description = schemas[name].get("description").cloned();
    for part in parts {
        let resolved = match part["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
            Some(target) => &schemas[target],
            None => part,
        };
        if let Some(props) = resolved["properties"].as_object() {
            properties.extend(props.clone());
        }
        if let Some(req) = resolved["required"].as_array() {
            required.extend(req.iter().cloned());
        }
        if description.is_none() {
            description = part.get("description").cloned();
        }
    }
    let mut merged = Map::new();
    merged.insert("type".into(), "object".into());
    if let Some(d) = description {
        merged.insert("description".into(), d);
    }
    merged.insert("properties".into(), Value::Object(properties));
    merged.insert("required".into(), Value::Array(required));
    merged.insert("additionalProperties".into(), false.into());
    spec["components"]["schemas"][name] = Value::Object(merged);
}
