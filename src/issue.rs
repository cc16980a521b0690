//! Issuing portfolio PDFs from the service: every PDF handed out (API or share link) carries a
//! short verification code and the address of its verification page, and is registered by
//! its SHA-256 so that `POST /verify` can later say who it was made for, when, and whether
//! the bytes are unchanged. (The offline `certfolio render` registers nothing.)
//!
//! A PDF whose content has not changed is issued once: its registration is found again by a
//! fingerprint of what it shows (`content_key`) and the same bytes are handed out, so asking a
//! share link for its PDF in a loop neither grows the registry nor renders again. Recent PDFs
//! are kept in memory by record revision, and concurrent requests for one PDF wait for a single
//! render instead of each taking a render slot.

use axum::body::Bytes;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::assurance::badge_check;
use crate::domain::portfolio::{Scope, SelectError, Spec};
use crate::domain::{Lang, Problem};
use crate::error::{AppError, AppResult};
use crate::pdf::{RenderOptions, ShareLink, render};
use crate::presentation::{Portfolio, present};
use crate::state::AppState;
pub use crate::state::pdfs::Issued;
use crate::state::pdfs::PdfKey;
use crate::storage::shares::GeneratedPdf;

/// Which PDF is asked for: whose, for which link (none: the learner's own download), framed
/// how, and the record revision it is asked at.
pub struct PdfRequest {
    pub learner: Uuid,
    pub spec: Spec,
    pub lang: Option<Lang>,
    pub share: Option<Uuid>,
    pub revision: i64,
}

impl PdfRequest {
    fn cache_key(&self) -> PdfKey {
        let spec = &self.spec;
        let scope = match &spec.scope {
            Scope::All => String::new(),
            Scope::Field(f) => format!("f:{f}"),
            Scope::Theme(t) => format!("t:{t}"),
        };
        // The learner's choices too: two saved portfolios of one framing are two PDFs.
        let asked = format!(
            "{}|{scope}|{}|{}|{}|{:?}",
            spec.framing.as_str(),
            spec.include_uncertified,
            spec.include_expired,
            self.lang.map_or("", Lang::as_str),
            spec.shape
        );
        PdfKey { learner: self.learner, share: self.share, asked, revision: self.revision }
    }
}

/// The learner's portfolio PDF: the one already issued for this content when there is one,
/// else rendered on the blocking pool (at most `pdf_slots` at once, 503 beyond) and registered.
pub async fn issue_pdf(state: &AppState, request: PdfRequest) -> AppResult<Issued> {
    let key = request.cache_key();
    let now = state.clock.now();
    if let Some(hit) = state.issued_pdfs.get(&key, now) {
        return Ok(hit);
    }
    let flight = state.issued_pdfs.flight(&key);
    let _one_render = flight.lock().await;
    if let Some(hit) = state.issued_pdfs.get(&key, now) {
        return Ok(hit);
    }
    let result = issue_uncached(state, &request, now).await;
    state.issued_pdfs.land(&key);
    let (issued, stale_at) = result?;
    state.issued_pdfs.put(key, issued.clone(), stale_at);
    Ok(issued)
}

async fn issue_uncached(state: &AppState, request: &PdfRequest, now: i64) -> AppResult<(Issued, Option<i64>)> {
    let (profile, courses) = state.db.record(request.learner).await?;
    let record = crate::storage::courses::as_record(profile, &courses);
    let lang = request.lang.or(record.learner.lang).unwrap_or_default();
    let portfolio = present(&record, &request.spec, lang, now).map_err(select_error)?;
    refuse_empty(&portfolio)?;
    let content_key = content_key(&portfolio, request, &state.config.public_url)?;
    let stale_at = next_change(&record, now);
    let existing = state.db.pdf_by_content(request.learner, content_key.clone()).await?;
    let slot = state.pdf_slots.clone().try_acquire_owned().map_err(|_| AppError::Unavailable)?;
    let job = RenderJob { portfolio, public_url: state.config.public_url.clone() };
    if let Some(pdf) = existing {
        let bytes = job.render(&pdf.code, pdf.created_at).await?;
        if hex(&Sha256::digest(&bytes)) == pdf.sha256 {
            let file_name = file_name(&job.portfolio);
            return Ok((Issued { bytes: Bytes::from(bytes), code: pdf.code, file_name }, stale_at));
        }
        // Same content, other bytes: this version of certfolio lays it out differently. The
        // registered bytes stay verifiable; the new ones get a code and registration of their own.
    }
    let code = new_code()?;
    let bytes = job.render(&code, now).await?;
    drop(slot);
    let issued = register(state, request, &job.portfolio, content_key, code, now, bytes).await?;
    Ok((issued, stale_at))
}

/// The PDF as an HTTP answer, named after the learner and the framing (`Camille-Lefevre-
/// appetite.pdf`), never kept by a browser cache or a proxy.
pub fn pdf_response(issued: &Issued, disposition: &str) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let value = crate::service::evidence::content_disposition_as(disposition, &issued.file_name);
    let mut r =
        ([(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"))], issued.bytes.clone()).into_response();
    if let Ok(v) = HeaderValue::from_str(&value) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `Camille Lefèvre`, appetite → `Camille Lefèvre – portfolio appetite.pdf`: what a recruiter
/// sees in their downloads, in the portfolio's language.
fn file_name(p: &Portfolio) -> String {
    let (appetite, legitimacy) = crate::i18n::words(p.lang).pdf_file_words();
    let what = match p.framing {
        crate::domain::portfolio::Framing::Appetite => appetite.to_owned(),
        _ => format!("portfolio {}", p.field.as_deref().or(p.theme.as_deref()).unwrap_or(legitimacy)),
    };
    let name: String =
        format!("{} – {what}", p.learner.name)
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                    '-'
                } else {
                    c
                }
            })
            .take(150)
            .collect();
    format!("{}.pdf", name.trim())
}

/// A selection that cannot be made is the learner's to fix: a 422 naming the input.
pub fn select_error(e: SelectError) -> AppError {
    AppError::validation(e.input(), e)
}

/// An empty portfolio is never issued or shared: the learner is told what would fill it.
pub fn refuse_empty(p: &Portfolio) -> AppResult<()> {
    match &p.empty {
        None => Ok(()),
        Some(empty) => {
            let input = if empty.include_uncertified {
                "include_uncertified"
            } else if empty.include_expired {
                "include_expired"
            } else {
                "framing"
            };
            let scope = match (&p.field, &p.theme) {
                (Some(f), _) => Scope::Field(f.clone()),
                (None, Some(t)) => Scope::Theme(t.clone()),
                (None, None) => Scope::All,
            };
            let (uncertified, expired) = (empty.uncertified, empty.expired);
            Err(AppError::validation(input, Problem::EmptyPortfolio { scope, uncertified, expired }))
        }
    }
}

/// The first time, after `now`, that something the PDF shows changes with time alone: a
/// certificate or badge expires.
pub fn next_change(record: &crate::domain::record::Record, now: i64) -> Option<i64> {
    record
        .courses
        .iter()
        .flat_map(|c| {
            let badge = badge_check(&c.record).and_then(|b| b.expires_at);
            // Valid through its expiry day: the mark appears the next day (UTC).
            let day = c
                .record
                .attestation
                .as_ref()
                .and_then(|a| a.expires_on)
                .map(|d| d.0.next_day().map_or(i64::MAX, |n| n.midnight().assume_utc().unix_timestamp()));
            [badge, day]
        })
        .flatten()
        .filter(|t| *t > now)
        .min()
}

/// What a render needs besides the code and date it prints.
struct RenderJob {
    portfolio: Portfolio,
    public_url: String,
}

impl RenderJob {
    /// Renders on the blocking pool (the caller holds a render slot).
    async fn render(&self, code: &str, created_at: i64) -> AppResult<Vec<u8>> {
        let opts = RenderOptions {
            share: Some(ShareLink { url: format!("{}/verify/{code}", self.public_url), code: code.to_owned() }),
            created_at: time::OffsetDateTime::from_unix_timestamp(created_at).map_err(AppError::internal)?,
        };
        let portfolio = self.portfolio.clone();
        tokio::task::spawn_blocking(move || render(&portfolio, &opts))
            .await
            // A panic inside printpdf (its subsetter has panicked on odd fonts) is a 500, not a crash.
            .map_err(|e| AppError::internal(format!("the PDF renderer stopped: {e}")))?
            // `refuse_empty` turns an empty portfolio away before any render, so every render
            // error left (fonts, writing) is the service's fault.
            .map_err(AppError::internal)
    }
}

async fn register(
    state: &AppState,
    request: &PdfRequest,
    p: &Portfolio,
    content_key: String,
    code: String,
    created_at: i64,
    bytes: Vec<u8>,
) -> AppResult<Issued> {
    let record = GeneratedPdf {
        sha256: hex(&Sha256::digest(&bytes)),
        code: code.clone(),
        learner_name: p.learner.name.clone(),
        share_id: request.share,
        framing: p.framing.as_str().to_owned(),
        scope: p.field.clone().or_else(|| p.theme.clone()),
        lang: p.lang.as_str().to_owned(),
        size: i64::try_from(bytes.len()).map_err(AppError::internal)?,
        created_at,
        content_key: Some(content_key),
    };
    state.db.register_pdf(request.learner, record).await?;
    Ok(Issued { bytes: Bytes::from(bytes), code, file_name: file_name(p) })
}

/// A fingerprint of everything a PDF shows apart from its code and date: the portfolio as
/// presented (expiry marks included, so a certificate expiring changes it), the link it is
/// issued for, the address it points readers to, and the renderer's version.
fn content_key(p: &Portfolio, request: &PdfRequest, public_url: &str) -> AppResult<String> {
    let mut h = Sha256::new();
    let mut part = |bytes: &[u8]| {
        h.update(u64::try_from(bytes.len()).unwrap_or(u64::MAX).to_le_bytes());
        h.update(bytes);
    };
    part(env!("CARGO_PKG_VERSION").as_bytes());
    part(&serde_json::to_vec(p).map_err(AppError::internal)?);
    part(request.share.map(|s| s.to_string()).unwrap_or_default().as_bytes());
    part(public_url.as_bytes());
    Ok(hex(&h.finalize()))
}

/// 60 random bits in Crockford's base 32 (no I, L, O, U: nothing to misread when typed from
/// paper), grouped `XXXX-XXXX-XXXX`.
pub fn new_code() -> AppResult<String> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    let mut n = u64::from_le_bytes(bytes);
    let mut out = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[(n & 31) as usize]));
        n >>= 5;
    }
    Ok(out)
}

/// Normalises a code as typed (lower case, spaces, confusable letters) to its canonical form.
pub fn normalize_code(raw: &str) -> Option<String> {
    let chars: Vec<char> = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    if chars.len() != 12 || !chars.iter().all(|c| c.is_ascii_alphanumeric() && *c != 'U') {
        return None;
    }
    let s: String = chars.iter().collect();
    Some(format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12]))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_base32_and_read_back_leniently() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), 14);
        assert_eq!(normalize_code(&code).as_deref(), Some(code.as_str()));
        assert_eq!(normalize_code(&code.to_lowercase().replace('-', " ")).as_deref(), Some(code.as_str()));
        assert_eq!(normalize_code("ABCD-EFGH-JKOI").as_deref(), Some("ABCD-EFGH-JK01"));
        assert_eq!(normalize_code("too short"), None);
    }
}
