//! What certfolio found when it checked a course's proof itself, over the network or from the
//! file alone: plain data saying what was checked, against what, with what result, so that a
//! page can print it as it is ("signed by did:web:university.example, key fetched from
//! university.example") and storage can keep it (serde JSON in `proof_checks.result`).
//!
//! A course has at most one check of each [`CheckKind`]: its badge, and its verification link
//! when the link is on a known issuer's host (`domain::issuers`). Each check is about one
//! *subject* (the badge payload's SHA-256, the link and the title it must name): when the course
//! changes what it holds, the old result says nothing about the new subject and is dropped.
//!
//! Levels of proof are read from these results only (`domain::assurance`), never from a
//! document.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::CourseRecord;
use super::course::str_enum;
use super::text::normalize_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The attestation's Open Badges data (hosted or signed assertion, credential).
    Badge,
    /// The attestation's verification page on a known issuer's host.
    Link,
}

str_enum!(CheckKind { Badge => "badge", Link => "link" });

/// The headline of a check: what it came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A signature verified with a key tied to the issuer (or listed in the operator's trust file).
    Verified,
    /// The issuer's own server answers with the same assertion, at its https address within the
    /// issuer's domain (an Open Badges 2.0 hosted badge).
    Confirmed,
    /// The known issuer's page answers and names the learner and the course.
    PageChecked,
    /// Read, but nothing ties it to the issuer (no proof, a key the token carries itself, a
    /// signer that is not the issuer, a hosted assertion outside the issuer's domain).
    Unverified,
    /// The known issuer's page answers but does not name the learner or the course.
    PageUnconfirmed,
    /// The issuer says it is revoked (410 Gone, `revoked: true`, its revocation or status list).
    Revoked,
    /// The issuer's status list says it is suspended.
    Suspended,
    /// The badge names another recipient than the learner's emails.
    OtherRecipient,
    /// The signature does not match the data for the issuer's key.
    SignatureInvalid,
    /// The issuer's copy of the assertion differs from the one held.
    Mismatch,
    /// The known issuer's page does not answer (an error status, no such host, no connection).
    LinkBroken,
    /// What the check needed could not be had (offline, a refused address, a timeout, an
    /// unsupported method): nothing is said either way.
    NotChecked,
}

str_enum!(Outcome {
    Verified => "verified", Confirmed => "confirmed", PageChecked => "page_checked", Unverified => "unverified",
    PageUnconfirmed => "page_unconfirmed", Revoked => "revoked", Suspended => "suspended",
    OtherRecipient => "other_recipient", SignatureInvalid => "signature_invalid", Mismatch => "mismatch",
    LinkBroken => "link_broken", NotChecked => "not_checked",
});

impl Outcome {
    /// An outcome the learner is told about when a check turns to it (the dashboard, the API).
    pub fn is_alarm(self) -> bool {
        matches!(
            self,
            Outcome::Revoked
                | Outcome::Suspended
                | Outcome::OtherRecipient
                | Outcome::SignatureInvalid
                | Outcome::Mismatch
                | Outcome::LinkBroken
                | Outcome::PageUnconfirmed
        )
    }

    /// The claim vouches for nothing whatever else holds: the issuer withdrew it, it is someone
    /// else's, or its data was altered.
    pub fn disqualifies(self) -> bool {
        matches!(
            self,
            Outcome::Revoked
                | Outcome::Suspended
                | Outcome::OtherRecipient
                | Outcome::SignatureInvalid
                | Outcome::Mismatch
        )
    }
}

/// Where a key, or a confirmation, came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// The key is written in the identifier itself (`did:key`, `did:jwk`): nothing was fetched,
    /// and the identifier names no organisation.
    Identifier { method: String },
    /// Fetched from `host` (a DID document, a key document, a hosted assertion, a page).
    Fetched { host: String, url: String },
    /// A key of the operator's trust file (`trusted-issuers.json`).
    TrustFile,
}

/// Why something could not be checked, as the fetcher or the verifier said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// A stable short name: a fetch error's code (`offline`, `address_refused`, `timeout`,
    /// `status`…), or `unsupported`, `malformed`, `missing`, `budget`.
    pub code: String,
    /// The whole explanation, in English, for the API and logs.
    pub detail: String,
    /// For a refused address: the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr: Option<String>,
    /// For an HTTP answer that is not 2xx: the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

impl Reason {
    pub fn new(code: &str, detail: impl Into<String>) -> Reason {
        Reason { code: code.to_owned(), detail: detail.into(), addr: None, status: None }
    }

    pub fn offline() -> Reason {
        Reason::new("offline", "not checked: certfolio runs offline")
    }

    pub fn is_offline(&self) -> bool {
        self.code == "offline"
    }

    /// Worth trying again soon: the server was busy or slow, not wrong.
    pub fn is_transient(&self) -> bool {
        matches!(self.code.as_str(), "busy" | "timeout" | "connect_timeout" | "budget")
    }
}

/// One document or step a check could not make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotChecked {
    pub what: What,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub reason: Reason,
}

/// The parts of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// The hosted assertion at its `id`.
    Assertion,
    BadgeClass,
    IssuerProfile,
    /// A signing key (Open Badges 2.0 `verification.creator`, a JWK or JWKS).
    Key,
    /// A `did:web` DID document or a controller document.
    DidDocument,
    /// A JSON-LD context the credential names and certfolio does not bundle.
    Context,
    /// A signature or Data Integrity proof.
    Signature,
    /// A status list (BitstringStatusList, StatusList2021) or an Open Badges revocation list.
    Status,
    /// A known issuer's verification page.
    Page,
}

/// The recipient the badge names, against the learner's emails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recipient {
    /// One of the learner's emails is the recipient (`by`: how it was compared).
    Matches { by: String },
    /// The badge names an email (plain or hashed) and it is none of the learner's.
    OtherRecipient,
    /// The badge names its recipient in a way that is not an email (a DID, a URL, a student id).
    NoEmail,
    /// Hashed in a way certfolio does not compute.
    NotComparable { reason: String },
    /// Not a badge (a link check), or the data gives no recipient at all.
    NotStated,
}

/// One status or revocation list consulted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusFinding {
    /// Where the list is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub result: StatusResult,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatusResult {
    /// A list the check believed says not revoked (not set).
    NotRevoked,
    Revoked,
    Suspended,
    /// The list was read and cannot be believed (its proof fails, it expired…).
    Refused {
        reason: String,
    },
    /// The list could not be had.
    NotChecked {
        reason: Reason,
    },
}

/// What a known issuer's page was found to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageFinding {
    pub host: String,
    /// The known issuer the host belongs to ("Coursera").
    pub issuer: String,
    /// The learner's name and the course title looked for, as they were at the check.
    pub learner: String,
    pub course: String,
    pub names_learner: bool,
    pub names_course: bool,
}

/// A check's whole result, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub outcome: Outcome,
    /// The network was used (false: offline, or the file alone was read).
    pub online: bool,
    /// The badge's (achievement's) name as the checked data gives it: the claim it vouches for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Who the check ties the claim to: the issuer's id, DID or the page's host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The trust file entry that names the signer ("known issuer").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_as: Option<String>,
    pub recipient: Recipient,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<StatusFinding>,
    /// When the checked data stops being valid (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<i64>,
    /// What decided an outcome other than a success: "the server answered 410", "the key
    /// belongs to …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<NotChecked>,
    /// What could not be checked, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<NotChecked>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageFinding>,
}

impl CheckResult {
    /// A result with nothing found yet.
    pub fn new(outcome: Outcome, online: bool) -> CheckResult {
        CheckResult {
            outcome,
            online,
            name: None,
            signer: None,
            source: None,
            known_as: None,
            recipient: Recipient::NotStated,
            status: Vec::new(),
            valid_until: None,
            problem: None,
            not_checked: Vec::new(),
            page: None,
        }
    }

    /// Something the network would have answered was not asked because certfolio is offline.
    pub fn missed_offline(&self) -> bool {
        self.not_checked.iter().any(|n| n.reason.is_offline())
            || self.problem.as_ref().is_some_and(|p| p.reason.is_offline())
            || self
                .status
                .iter()
                .any(|s| matches!(&s.result, StatusResult::NotChecked { reason } if reason.is_offline()))
    }

    /// A status list the check could not believe or could not read.
    pub fn status_unknown(&self) -> bool {
        self.status.iter().any(|s| matches!(s.result, StatusResult::Refused { .. } | StatusResult::NotChecked { .. }))
    }
}

/// A check as stored for a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofCheck {
    pub kind: CheckKind,
    pub subject: String,
    /// The last result; `None` before the first check (or when it no longer reads).
    pub result: Option<CheckResult>,
    pub checked_at: Option<i64>,
    /// Since when the outcome is what it is ("revoked since …", "link broken since …").
    pub since: Option<i64>,
    /// A check is waiting to run (new, changed, asked for, or due).
    pub queued: bool,
}

impl ProofCheck {
    /// The check's result, when it is about what the course holds now.
    pub fn current(&self, subject: &str) -> Option<&CheckResult> {
        (self.subject == subject).then_some(self.result.as_ref()).flatten()
    }
}

/// The check of `kind` among a course's checks.
pub fn check_of(checks: &[ProofCheck], kind: CheckKind) -> Option<&ProofCheck> {
    checks.iter().find(|c| c.kind == kind)
}

/// What a badge check is about: the payload's SHA-256 (hex), so that a changed payload is a
/// new subject.
pub fn badge_subject(payload: &str) -> String {
    Sha256::digest(payload.trim().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// What a link check is about: the link and the title the page must name.
pub fn link_subject(url: &str, title: &str) -> String {
    format!("{} {}", url.trim(), normalize_name(title))
}

/// The checks a course calls for, as (kind, subject): its badge, and its link when the link is
/// on a known issuer's host.
pub fn wanted(course: &CourseRecord) -> Vec<(CheckKind, String)> {
    let Some(a) = &course.attestation else { return Vec::new() };
    let mut out = Vec::new();
    if let Some(b) = &a.badge {
        out.push((CheckKind::Badge, badge_subject(&b.payload)));
    }
    if let Some(url) = &a.url
        && super::issuers::known_issuer(url).is_some()
    {
        out.push((CheckKind::Link, link_subject(url, &course.title)));
    }
    out
}

/// A stored check about what the course holds now, with its result once there is one.
pub type Current<'a> = Option<(&'a ProofCheck, Option<&'a CheckResult>)>;

/// The course's current badge result and link result (each only when about what it holds now).
pub fn current_results<'a>(course: &CourseRecord, checks: &'a [ProofCheck]) -> (Current<'a>, Current<'a>) {
    let mut badge = None;
    let mut link = None;
    for (kind, subject) in wanted(course) {
        if let Some(c) = check_of(checks, kind)
            && c.subject == subject
        {
            let pair = (c, c.current(&subject));
            match kind {
                CheckKind::Badge => badge = Some(pair),
                CheckKind::Link => link = Some(pair),
            }
        }
    }
    (badge, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_round_trip_through_json() {
        let mut r = CheckResult::new(Outcome::Verified, true);
        r.signer = Some("did:web:university.example".into());
        r.source = Some(Source::Fetched {
            host: "university.example".into(),
            url: "https://university.example/.well-known/did.json".into(),
        });
        r.recipient = Recipient::Matches { by: "email (sha256, salted)".into() };
        r.status.push(StatusFinding {
            url: Some("https://university.example/status/1".into()),
            result: StatusResult::NotRevoked,
        });
        r.not_checked.push(NotChecked { what: What::Context, url: None, reason: Reason::offline() });
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<CheckResult>(&text).unwrap(), r);
        assert!(r.missed_offline());
        assert!(!r.status_unknown());
    }

    #[test]
    fn a_course_wants_a_badge_check_and_a_known_link_check() {
        let c: CourseRecord = serde_json::from_value(serde_json::json!({
            "title": "ML", "attestation": {"url": "https://www.coursera.org/verify/1", "badge": {"payload": "{}"}}
        }))
        .unwrap();
        let kinds: Vec<CheckKind> = wanted(&c).into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, [CheckKind::Badge, CheckKind::Link]);
        let other: CourseRecord = serde_json::from_value(
            serde_json::json!({"title": "ML", "attestation": {"url": "https://example.org/v/1"}}),
        )
        .unwrap();
        assert!(wanted(&other).is_empty(), "a link on another host is never fetched");
        assert_ne!(link_subject("https://a.example/1", "ML"), link_subject("https://a.example/1", "Stats"));
        assert_eq!(badge_subject(" x "), badge_subject("x"));
    }
}
