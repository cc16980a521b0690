//! Why a fetch did not give a usable response, in words a learner or an operator can read on a
//! verification result ("not checked: issuer.example resolves to 10.0.0.7, a private address").

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use super::guard::Refusal;

/// Which deadline ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Resolving, connecting and the TLS handshake (`FetchLimits::connect_timeout`).
    Connect,
    /// The whole request, redirects and body included (`FetchLimits::total_timeout`).
    Total,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The service runs with `--offline`: nothing was attempted.
    #[error("not checked: certfolio runs offline")]
    Offline,
    #[error("{url}: not a URL certfolio fetches: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{url}: the {scheme} scheme is not allowed (https only; http only for hosts the operator allows)")]
    SchemeNotAllowed { url: String, scheme: String },
    /// The host is, or resolves to, an address the guard refuses. Nothing was sent to it.
    #[error("{url}: {}", refused_text(host, *addr, refusal, *literal))]
    Refused { url: String, host: String, addr: IpAddr, refusal: Refusal, literal: bool },
    #[error("{from}: redirected to {to}, which leaves https")]
    Downgrade { from: String, to: String },
    #[error("{url}: more than {max} redirects")]
    TooManyRedirects { url: String, max: usize },
    #[error("{host}: no address found ({message})")]
    Dns { host: String, message: String },
    #[error("{host}: could not connect to {addr} ({message})")]
    Connect { host: String, addr: SocketAddr, message: String },
    #[error("{url}: {}", timeout_text(*phase, *after))]
    Timeout { url: String, phase: TimeoutPhase, after: Duration },
    #[error("{host}: TLS failed: {message}")]
    Tls { host: String, message: String },
    /// The final response's status was not 2xx (e.g. 404, or 410 Gone: a revoked Open Badges
    /// 2.0 assertion).
    #[error("{url}: the server answered {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: the response is larger than {cap} bytes; not read further")]
    TooLarge { url: String, cap: usize },
    #[error("{url}: {} where {expected} was expected", got_text(got.as_deref()))]
    ContentType { url: String, got: Option<String>, expected: String },
    #[error("{url}: the response is {encoding}-encoded, which certfolio does not decode")]
    Encoding { url: String, encoding: String },
    #[error("{url}: the server's response is not valid HTTP ({message})")]
    Malformed { url: String, message: String },
    /// Waited too long for one of the per-host or overall request slots.
    #[error("{host}: too many requests already under way; waited {} s", waited.as_secs())]
    Busy { host: String, waited: Duration },
}

impl FetchError {
    /// A stable short name, for storing with a verification result or matching in tests.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Offline => "offline",
            FetchError::BadUrl { .. } => "bad_url",
            FetchError::SchemeNotAllowed { .. } => "scheme_not_allowed",
            FetchError::Refused { .. } => "address_refused",
            FetchError::Downgrade { .. } => "https_downgrade",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::Dns { .. } => "dns",
            FetchError::Connect { .. } => "connect",
            FetchError::Timeout { phase: TimeoutPhase::Connect, .. } => "connect_timeout",
            FetchError::Timeout { phase: TimeoutPhase::Total, .. } => "timeout",
            FetchError::Tls { .. } => "tls",
            FetchError::Status { .. } => "status",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::ContentType { .. } => "content_type",
            FetchError::Encoding { .. } => "content_encoding",
            FetchError::Malformed { .. } => "malformed",
            FetchError::Busy { .. } => "busy",
        }
    }

    /// The HTTP status of a non-2xx answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

fn refused_text(host: &str, addr: IpAddr, refusal: &Refusal, literal: bool) -> String {
    if literal {
        format!("{addr} is {refusal}; certfolio fetches only from public addresses")
    } else {
        format!("{host} resolves to {addr}, {refusal}; certfolio fetches only from public addresses")
    }
}

fn timeout_text(phase: TimeoutPhase, after: Duration) -> String {
    let secs = after.as_secs_f64();
    match phase {
        TimeoutPhase::Connect => format!("no connection within {secs} s"),
        TimeoutPhase::Total => format!("not answered in full within {secs} s"),
    }
}

fn got_text(got: Option<&str>) -> String {
    match got {
        Some(t) => format!("the response is {t}"),
        None => "the response has no Content-Type".to_owned(),
    }
}
