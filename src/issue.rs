//! Issuing portfolio PDFs from the service: every PDF handed out (API or share link) carries a
//! short verification code and the address of its verification page, and is registered by
//! its SHA-256 so that `POST /verify` can later say who it was made for, when, and whether
//! the bytes are unchanged. (The offline `certfolio render` registers nothing.)

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::Lang;
use crate::domain::portfolio::{Scope, Spec};
use crate::error::{AppError, AppResult};
use crate::pdf::{RenderError, RenderOptions, ShareLink, render};
use crate::storage::shares::GeneratedPdf;

pub struct Issued {
    pub bytes: Vec<u8>,
    pub code: String,
}

/// Renders the learner's portfolio on the blocking pool (at most `pdf_slots` at once, 503
/// beyond), registers it, and returns its bytes.
pub async fn issue_pdf(
    state: &AppState,
    learner: Uuid,
    spec: Spec,
    lang: Option<Lang>,
    share: Option<Uuid>,
) -> AppResult<Issued> {
    let permit = state.pdf_slots.clone().try_acquire_owned().map_err(|_| AppError::Unavailable)?;
    let (profile, courses) = state.db.record(learner).await?;
    let evidence: Vec<bool> = courses.iter().map(|c| c.evidence.is_some()).collect();
    let doc = crate::storage::courses::as_document(profile, &courses);
    let now = state.clock.now();
    let code = new_code()?;
    let created_at = time::OffsetDateTime::from_unix_timestamp(now).map_err(AppError::internal)?;
    let lang_used = lang.or(doc.learner.lang).unwrap_or_default();
    let learner_name = doc.learner.name.clone();
    let scope = match &spec.scope {
        Scope::All => None,
        Scope::Field(v) | Scope::Theme(v) => Some(v.clone()),
    };
    let framing = spec.framing.as_str().to_owned();
    let opts = RenderOptions {
        spec,
        lang,
        share: Some(ShareLink {
            url: format!("{}/verify/{code}", state.config.public_url),
            code: code.clone(),
            evidence,
        }),
        created_at,
    };
    let bytes = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        render(&doc, &opts)
    })
    .await
    // A panic inside printpdf (its subsetter has panicked on odd fonts) is a 500, not a crash.
    .map_err(|e| AppError::internal(format!("the PDF renderer stopped: {e}")))?
    .map_err(|e| match e {
        RenderError::Select(e) => AppError::validation(e.input(), e.to_string()),
        other => AppError::internal(other),
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let size = i64::try_from(bytes.len()).map_err(AppError::internal)?;
    let record = GeneratedPdf {
        sha256,
        code: code.clone(),
        learner_name,
        share_id: share,
        framing,
        scope,
        lang: lang_used.as_str().to_owned(),
        size,
        created_at: now,
    };
    state.db.register_pdf(learner, record).await?;
    Ok(Issued { bytes, code })
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
