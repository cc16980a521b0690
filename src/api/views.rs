//! Response shapes, kept apart from storage rows so that only what a client needs leaves the
//! service (never a password hash, never another learner's data).

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::config::rfc3339;
use crate::domain::advice::{Advice, Register};
use crate::domain::assurance::{Assurance, assurance_of, badge_check};
use crate::domain::portfolio::Framing;
use crate::domain::{CourseRecord, Lang, Situation};
use crate::i18n;
use crate::storage::accounts::Learner;
use crate::storage::{EvidenceMeta, ImportCounts, StoredCourse};

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: Uuid,
    /// The login email.
    pub email: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// The contact address shown on portfolios (the document's `learner.email`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub situation: Option<Situation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    pub created_at: String,
}

impl From<Learner> for AccountView {
    fn from(l: Learner) -> Self {
        AccountView {
            id: l.id,
            email: l.email,
            name: l.profile.name,
            headline: l.profile.headline,
            contact_email: l.profile.email,
            location: l.profile.location,
            situation: l.profile.situation,
            lang: l.profile.lang,
            created_at: rfc3339(l.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Send as `Authorization: Bearer TOKEN`; also set as an HttpOnly cookie.
    pub token: String,
    /// When the session ends at the latest (it also ends after a day without use).
    pub expires_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceView {
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    /// The name the file was uploaded under (display text only).
    pub file_name: String,
    pub uploaded_at: String,
}

impl From<EvidenceMeta> for EvidenceView {
    fn from(e: EvidenceMeta) -> Self {
        EvidenceView {
            sha256: e.sha256,
            size: e.size,
            media_type: e.media_type,
            file_name: e.file_name,
            uploaded_at: rfc3339(e.created_at),
        }
    }
}

/// A course as the API returns it: the document's fields, plus its id, evidence, and how much
/// certfolio can vouch for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseView {
    pub id: Uuid,
    #[serde(flatten)]
    pub record: CourseRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceView>,
    /// The level of proof of this claim now (`domain::assurance`), from least to most:
    /// `self_declared` (the learner's word; a link on a host certfolio does not check included),
    /// `evidence_file`, `issuer_link` (a known issuer's page, not checked yet or not checkable),
    /// `badge_data` (Open Badges data nothing ties to its issuer yet), `issuer_page_checked`
    /// (certfolio fetched the known issuer's page: it names the learner and the course),
    /// `issuer_confirmed` (the issuer's server serves the same hosted assertion),
    /// `signature_verified` (a signature by a key tied to the issuer), `known_issuer` (signed
    /// with a key of the operator's trust file). Revoked, expired, someone else's or altered
    /// badges raise nothing (see `checks`).
    pub assurance: Assurance,
    /// What the attestation's Open Badges data says, read from the file alone at import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub badge_check: Option<BadgeCheckView>,
    /// What certfolio itself checked of the claim's proofs (its badge, its verification link),
    /// with the result, the source and the date, in English (`GET /api/v1/checks` for French).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<crate::presentation::CheckView>,
    /// The last import that created or changed the course (`GET /api/v1/imports`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import_id: Option<Uuid>,
    pub created_at: String,
    pub updated_at: String,
}

/// The check of a badge (never part of the document: recomputed at every import).
#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeCheckView {
    /// `ob2` or `ob3`.
    pub format: &'static str,
    /// The badge's name as its data gives it.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The trusted issuer (trust file entry) whose key verified the signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    /// `valid`, `expired` or `revoked`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl CourseView {
    /// The view of a stored course at `now` (a badge's expiry is read against it).
    pub fn of(c: StoredCourse, now: i64) -> Self {
        let assurance = assurance_of(&c.record, c.evidence.is_some(), &c.checks, now);
        let (checks, _) = crate::presentation::checks::views(&c.record, &c.checks, Lang::En);
        let badge_check = badge_check(&c.record).map(|b| BadgeCheckView {
            format: b.format.as_str(),
            name: b.name.clone(),
            issuer: b.issuer.clone(),
            verified_by: b.verified_by.clone(),
            status: b.status(now).as_str(),
            expires_at: b.expires_at.map(rfc3339),
        });
        CourseView {
            id: c.id,
            record: c.record,
            evidence: c.evidence.map(Into::into),
            assurance,
            badge_check,
            checks,
            import_id: c.import_id,
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseList {
    pub count: usize,
    pub courses: Vec<CourseView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportView {
    /// Courses added to the record.
    pub created: usize,
    /// Courses already in the record (same title, platform and start date) whose fields changed.
    pub updated: usize,
    /// Courses already in the record exactly as in the document.
    pub unchanged: usize,
    /// Courses in the record after the import.
    pub total: usize,
}

impl ImportView {
    pub fn new(c: ImportCounts, total: usize) -> Self {
        ImportView { created: c.created, updated: c.updated, unchanged: c.unchanged, total }
    }
}

/// The advised framing, with its reasons worded in one language.
// The domain keeps the reasons as data; this is the API's shape, still named `Advice` in the
// OpenAPI description as before the reasons were localised.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Advice)]
pub struct AdviceView {
    pub framing: Framing,
    /// The field to pass as `field` (legitimacy in a discipline), if advised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The theme to pass as `theme` (legitimacy in one theme), if advised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    pub register: Register,
    /// Pass as `include_uncertified`: the advised field or theme holds no valid certificate, so
    /// its courses are shown as followed (the advised portfolio is never empty).
    pub include_uncertified: bool,
    /// Why, in a few sentences a learner can check against their record, in the language asked for.
    pub reasons: Vec<String>,
}

impl AdviceView {
    pub fn new(a: Advice, lang: Lang) -> Self {
        let reasons = i18n::advice_reasons(lang, &a.reasons);
        AdviceView {
            framing: a.framing,
            field: a.field,
            theme: a.theme,
            register: a.register,
            include_uncertified: a.include_uncertified,
            reasons,
        }
    }
}

/// One import, as the course list offers it for a bulk edit.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportBatchView {
    pub id: Uuid,
    /// What was imported, as certfolio read it (`LinkedIn Certifications.csv`, `portfolio document`…).
    pub format: String,
    pub created: i64,
    pub updated: i64,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportList {
    pub count: usize,
    pub imports: Vec<ImportBatchView>,
}
