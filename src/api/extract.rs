//! Extractors of the JSON API: strict JSON bodies (`ApiJson`) whose errors come back in the
//! contract's shape, naming the field, and path ids. Who is asking and from where are shared
//! with the pages (`crate::extract`).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::domain::Problem;
use crate::domain::document::parse_strict;
use crate::error::AppError;
pub use crate::extract::{AuthLearner, ClientIp};

/// A JSON body parsed strictly: `application/json` only (415 otherwise, which also keeps
/// cross-site HTML forms out), unknown fields refused, errors naming the JSON path.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBody(bytes) = JsonBody::from_request(req, state).await?;
        Ok(ApiJson(parse_strict(&bytes)?))
    }
}

/// The raw bytes of a JSON body (content type checked, size limited), for handlers that
/// parse it themselves.
pub struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge(Problem::BodyTooLarge)
            } else {
                AppError::BadRequest(Problem::UnreadableBody { detail: e.body_text() })
            }
        })?;
        Ok(JsonBody(bytes))
    }
}

pub(crate) fn require_json(headers: &axum::http::HeaderMap) -> Result<(), AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json")) {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType(Problem::NotJsonBody {
            content_type: crate::domain::text::excerpt(content_type).into_owned(),
        }))
    }
}

/// A path id; anything that is not a UUID cannot name a record, so it is "not found".
pub fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}
