//! What every handler, page or API, may ask of a request: who it acts for (`AuthLearner`, from
//! the bearer token or the session cookie) and where it comes from (`ClientIp`, for throttling).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use crate::auth::{hash_token, looks_like_token};
use crate::error::AppError;
use crate::state::AppState;

pub use crate::service::accounts::AuthLearner;

/// The learner a request acts for, from `Authorization: Bearer TOKEN` or the session cookie.
/// Add it as a handler parameter to require a live session (401 otherwise).
impl FromRequestParts<AppState> for AuthLearner {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer_token(parts)
            .or_else(|| cookie_value(parts, state.config.session_cookie_name()))
            .ok_or(AppError::Unauthorized)?;
        if !looks_like_token(&token) {
            return Err(AppError::Unauthorized);
        }
        crate::service::accounts::authenticate(state, hash_token(&token)).await
    }
}

fn bearer_token(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

pub(crate) fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    cookie_in(&parts.headers, name)
}

/// The value of the cookie `name` among a request's headers.
pub(crate) fn cookie_in(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address for throttling (`auth::client`: the peer, or behind a trusted proxy
/// the address it forwarded for). Router tests have no connection info: their peer is taken
/// as the unspecified address, which a test may declare a trusted proxy.
pub fn client_ip(parts: &Parts, trusted: &[crate::auth::client::Cidr]) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
    crate::auth::client::client_addr(peer, &parts.headers, trusted).to_string()
}

/// The client address as an extractor.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, &state.config.trusted_proxies)))
    }
}

/// `Option<AuthLearner>`: pages that show something else (a redirect to sign in) when no one
/// is signed in. Only "no valid session" becomes `None`; a database failure stays an error.
impl axum::extract::OptionalFromRequestParts<AppState> for AuthLearner {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <AuthLearner as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(who) => Ok(Some(who)),
            Err(AppError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
