//! `/verify`: is this PDF one this service generated, for whom, when, and unaltered?
//!
//! The answer comes from the registry of SHA-256 hashes written when each PDF was issued:
//! the exact bytes are recognised, one changed byte is not. It says no more than the PDF
//! itself shows (name, date, framing).

use askama::Template;
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Page, html, pick_lang};
use crate::config::rfc3339;
use crate::domain::{Lang, Problem};
use crate::error::AppError;
use crate::i18n::PageLabels;
use crate::issue::{hex, normalize_code};
use crate::state::AppState;
use crate::storage::shares::GeneratedPdf;

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    page: Page,
    l: &'static PageLabels,
    colon: &'static str,
    outcome: Option<Outcome>,
    code: Option<Found>,
}

struct Outcome {
    recognised: bool,
    found: Option<Found>,
    sha256: String,
}

struct Found {
    name: String,
    date: String,
    framing: String,
    code: String,
}

impl Found {
    fn of(pdf: &GeneratedPdf, lang: Lang) -> Found {
        let labels = crate::i18n::labels(lang);
        let framing = match (pdf.framing.as_str(), &pdf.scope) {
            ("legitimacy", Some(scope)) => format!("{} — {scope}", labels.legitimacy_field_title),
            ("legitimacy", None) => labels.legitimacy_field_title.to_owned(),
            _ => labels.appetite_title.to_owned(),
        };
        Found {
            name: pdf.learner_name.clone(),
            date: crate::i18n::date_time(lang, pdf.created_at),
            framing,
            code: pdf.code.clone(),
        }
    }
}

pub async fn form(headers: HeaderMap) -> Response {
    let lang = pick_lang(&headers);
    let l = &crate::i18n::strings(lang).public;
    html(
        StatusCode::OK,
        VerifyPage {
            page: Page::public(lang, l.verify_title.into(), "/verify"),
            l,
            colon: crate::i18n::colon(lang),
            outcome: None,
            code: None,
        }
        .render(),
    )
}

/// `/verify/{code}`: where the QR code and the printed address lead.
pub async fn code(State(state): State<AppState>, headers: HeaderMap, Path(raw): Path<String>) -> Response {
    let lang = pick_lang(&headers);
    let l = &crate::i18n::strings(lang).public;
    let found = match normalize_code(&raw) {
        Some(code) => match state.db.pdf_by_code(code).await {
            Ok(found) => found,
            Err(e) => return AppError::from(e).into_response(),
        },
        None => None,
    };
    let status = if found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let page = VerifyPage {
        page: Page::public(lang, l.verify_title.into(), "/verify"),
        l,
        colon: crate::i18n::colon(lang),
        outcome: None,
        code: found.map(|f| Found::of(&f, lang)),
    };
    html(status, page.render())
}

/// The JSON answer, for scripts (`Accept: application/json`).
#[derive(Serialize)]
struct VerifyJson {
    recognised: bool,
    sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated_for: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    framing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
}

pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = pick_lang(&headers);
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"));
    let sha256 = match read_file(&state, multipart).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let found = match state.db.pdf_by_sha256(sha256.clone()).await {
        Ok(f) => f,
        Err(e) => return AppError::from(e).into_response(),
    };
    if wants_json {
        return Json(VerifyJson {
            recognised: found.is_some(),
            sha256,
            generated_for: found.as_ref().map(|f| f.learner_name.clone()),
            generated_at: found.as_ref().map(|f| rfc3339(f.created_at)),
            framing: found.as_ref().map(|f| f.framing.clone()),
            code: found.as_ref().map(|f| f.code.clone()),
        })
        .into_response();
    }
    let l = &crate::i18n::strings(lang).public;
    let page = VerifyPage {
        page: Page::public(lang, l.verify_title.into(), "/verify"),
        l,
        colon: crate::i18n::colon(lang),
        outcome: Some(Outcome {
            recognised: found.is_some(),
            found: found.as_ref().map(|f| Found::of(f, lang)),
            sha256,
        }),
        code: None,
    };
    html(StatusCode::OK, page.render())
}

/// Hashes the uploaded `file` while it streams in (at most the evidence limit).
async fn read_file(state: &AppState, multipart: Result<Multipart, MultipartRejection>) -> Result<String, AppError> {
    let mut multipart = multipart.map_err(|e| AppError::BadRequest(Problem::NotMultipart { detail: e.body_text() }))?;
    let limit = state.config.evidence_max_bytes;
    let too_large = || AppError::PayloadTooLarge(Problem::VerifyTooLarge { mib: limit / (1024 * 1024) });
    while let Some(mut field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::BadRequest(Problem::MalformedMultipart { detail: e.body_text() })
        }
    })? {
        if field.name() != Some("file") {
            continue;
        }
        let mut hasher = Sha256::new();
        let mut size = 0usize;
        while let Some(chunk) = field.chunk().await.map_err(|_| too_large())? {
            size += chunk.len();
            if size > limit {
                return Err(too_large());
            }
            hasher.update(&chunk);
        }
        if size == 0 {
            return Err(AppError::validation("file", Problem::FileEmpty));
        }
        return Ok(hex(&hasher.finalize()));
    }
    Err(AppError::validation("file", Problem::ChooseAFile))
}
