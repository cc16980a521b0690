//! How much certfolio can vouch for each claim of a portfolio, from least to most.
//!
//! certfolio never calls a claim "verified" or "checked" unless it checked it itself and stored
//! what it found (`domain::check`, the verification job): a signature by a key tied to the
//! issuer, a hosted assertion the issuer's server confirms, a known issuer's page naming the
//! learner and the course. A link to an unchecked page is something a recruiter can follow, an
//! evidence file is something they can read; neither was checked by certfolio, and the labels
//! say so. A link on a host certfolio does not know raises nothing: anyone can make a page.

use serde::Serialize;
use utoipa::ToSchema;

use super::CourseRecord;
use super::badge::{BadgeCheck, BadgeStatus};
use super::check::{CheckResult, Outcome, ProofCheck, current_results};
use super::course::str_enum;
use super::issuers::known_issuer;
use super::text::normalize_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// Only the learner's word (a link on a host certfolio does not check included: it is shown
    /// as "a link given by the learner", with its host).
    SelfDeclared,
    /// The learner uploaded the certificate file (its SHA-256 is shown).
    EvidenceFile,
    /// A link to a known issuer's verification page that certfolio has not (yet, or could not)
    /// checked: one click to check.
    IssuerLink,
    /// Imported from badge data (Open Badges) that nothing ties to its issuer yet.
    BadgeData,
    /// certfolio fetched the known issuer's page: it answers and names the learner and the course.
    IssuerPageChecked,
    /// The issuer's own server answers with the same assertion (Open Badges 2.0 hosted badge).
    IssuerConfirmed,
    /// certfolio verified a signature by a key tied to the issuer (a DID of the issuer, a key
    /// the issuer's profile lists, a key fetched from the issuer's domain).
    SignatureVerified,
    /// The signature checks with a key the operator lists for this issuer (`trusted-issuers.json`).
    KnownIssuer,
}

str_enum!(Assurance {
    SelfDeclared => "self_declared", EvidenceFile => "evidence_file", IssuerLink => "issuer_link",
    BadgeData => "badge_data", IssuerPageChecked => "issuer_page_checked", IssuerConfirmed => "issuer_confirmed",
    SignatureVerified => "signature_verified", KnownIssuer => "known_issuer",
});

impl Assurance {
    /// certfolio itself checked the claim (and may say "checked" or "verified" of it).
    pub fn checked_by_certfolio(self) -> bool {
        self >= Assurance::IssuerPageChecked
    }
}

/// The highest level a course reaches at `now` (Unix seconds: expiry is read against it) with
/// what is recorded and what certfolio's own stored `checks` found. A signature, a hosted
/// assertion or an issuer page raises a claim only through a check certfolio made and stored
/// (never from a document), only while the check is about what the course holds now (the same
/// payload, link and title), and a badge only while the course keeps the badge's name.
pub fn assurance_of(course: &CourseRecord, has_evidence: bool, checks: &[ProofCheck], now: i64) -> Assurance {
    let recorded = if has_evidence { Assurance::EvidenceFile } else { Assurance::SelfDeclared };
    let (badge, link) = current_results(course, checks);
    let link = link_level(course, link.and_then(|(_, r)| r));
    let badge = badge_level(course, badge.and_then(|(_, r)| r), now);
    [Some(recorded), link, badge].into_iter().flatten().max().unwrap_or(recorded)
}

/// A known issuer's link: checked and naming the learner and course, not checked yet (or not
/// checkable), or broken / not naming them (which raises nothing).
fn link_level(course: &CourseRecord, result: Option<&CheckResult>) -> Option<Assurance> {
    let url = course.attestation.as_ref()?.url.as_deref()?;
    known_issuer(url)?;
    match result.map(|r| r.outcome) {
        Some(Outcome::PageChecked) => Some(Assurance::IssuerPageChecked),
        Some(Outcome::LinkBroken | Outcome::PageUnconfirmed) => None,
        _ => Some(Assurance::IssuerLink),
    }
}

fn badge_level(course: &CourseRecord, result: Option<&CheckResult>, now: i64) -> Option<Assurance> {
    let data = badge_check(course);
    let name = result.and_then(|r| r.name.as_deref()).or(data.map(|d| d.name.as_str()))?;
    if normalize_name(name) != normalize_name(&course.title) || data.is_some_and(|d| d.revoked) {
        return None;
    }
    let level = match result {
        // Never checked yet: what the file says, and nothing it claims about its signer.
        None => Assurance::BadgeData,
        Some(r) if r.outcome.disqualifies() => return None,
        Some(r) => match r.outcome {
            Outcome::Verified if r.known_as.is_some() => Assurance::KnownIssuer,
            Outcome::Verified => Assurance::SignatureVerified,
            Outcome::Confirmed => Assurance::IssuerConfirmed,
            _ => Assurance::BadgeData,
        },
    };
    let expires = result.and_then(|r| r.valid_until).or(data.and_then(|d| d.expires_at));
    // An expired badge still shows what the issuer once said, but is not counted as checked.
    Some(if expires.is_some_and(|t| t <= now) { level.min(Assurance::BadgeData) } else { level })
}

/// The check of the course's badge, when it has one that certfolio checked.
pub fn badge_check(course: &CourseRecord) -> Option<&BadgeCheck> {
    course.attestation.as_ref()?.badge.as_ref()?.check.as_ref()
}

/// `Expired` or `Revoked` when the course's badge is: the mark shown beside its level.
pub fn badge_status(course: &CourseRecord, now: i64) -> Option<BadgeStatus> {
    badge_check(course).map(|c| c.status(now)).filter(|s| *s != BadgeStatus::Valid)
}

/// The "not inflated" summary: how many claims stand at each level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct AssuranceSummary {
    pub claims: usize,
    pub self_declared: usize,
    pub evidence_file: usize,
    pub issuer_link: usize,
    pub badge_data: usize,
    pub issuer_page_checked: usize,
    pub issuer_confirmed: usize,
    pub signature_verified: usize,
    pub known_issuer: usize,
}

impl AssuranceSummary {
    pub fn of(levels: impl IntoIterator<Item = Assurance>) -> Self {
        let mut s = AssuranceSummary::default();
        for level in levels {
            s.claims += 1;
            match level {
                Assurance::SelfDeclared => s.self_declared += 1,
                Assurance::EvidenceFile => s.evidence_file += 1,
                Assurance::IssuerLink => s.issuer_link += 1,
                Assurance::BadgeData => s.badge_data += 1,
                Assurance::IssuerPageChecked => s.issuer_page_checked += 1,
                Assurance::IssuerConfirmed => s.issuer_confirmed += 1,
                Assurance::SignatureVerified => s.signature_verified += 1,
                Assurance::KnownIssuer => s.known_issuer += 1,
            }
        }
        s
    }

    /// Claims certfolio checked itself.
    pub fn checked(&self) -> usize {
        self.issuer_page_checked + self.issuer_confirmed + self.signature_verified + self.known_issuer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::check::{CheckKind, badge_subject, link_subject};

    fn course(json: serde_json::Value) -> CourseRecord {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_highest_recorded_proof_decides() {
        let bare = course(serde_json::json!({"title": "x"}));
        let cert = course(serde_json::json!({"title": "x", "attestation": {"kind": "completion"}}));
        let linked = course(serde_json::json!({"title": "x", "attestation": {"url": "https://example.org/v/1"}}));
        let known =
            course(serde_json::json!({"title": "x", "attestation": {"url": "https://www.coursera.org/verify/1"}}));
        assert_eq!(assurance_of(&bare, false, &[], 0), Assurance::SelfDeclared);
        assert_eq!(
            assurance_of(&cert, false, &[], 0),
            Assurance::SelfDeclared,
            "a claimed certificate is still a claim"
        );
        assert_eq!(assurance_of(&cert, true, &[], 0), Assurance::EvidenceFile);
        assert_eq!(assurance_of(&linked, false, &[], 0), Assurance::SelfDeclared, "a link anyone could make");
        assert_eq!(assurance_of(&linked, true, &[], 0), Assurance::EvidenceFile);
        assert_eq!(assurance_of(&known, false, &[], 0), Assurance::IssuerLink, "a known issuer's page, unchecked");
    }

    fn stored(kind: CheckKind, subject: String, outcome: Outcome, known_as: Option<&str>) -> ProofCheck {
        let mut r = CheckResult::new(outcome, true);
        r.known_as = known_as.map(str::to_owned);
        r.name = Some("x".into());
        ProofCheck { kind, subject, result: Some(r), checked_at: Some(1), since: Some(1), queued: false }
    }

    #[test]
    fn levels_come_from_stored_checks_about_what_the_course_holds() {
        let known =
            course(serde_json::json!({"title": "x", "attestation": {"url": "https://www.coursera.org/verify/1"}}));
        let subject = link_subject("https://www.coursera.org/verify/1", "x");
        let checked = [stored(CheckKind::Link, subject.clone(), Outcome::PageChecked, None)];
        assert_eq!(assurance_of(&known, false, &checked, 0), Assurance::IssuerPageChecked);
        let broken = [stored(CheckKind::Link, subject, Outcome::LinkBroken, None)];
        assert_eq!(assurance_of(&known, false, &broken, 0), Assurance::SelfDeclared);
        // A check of another title (the course was renamed since) says nothing about this one.
        let stale = [stored(
            CheckKind::Link,
            link_subject("https://www.coursera.org/verify/1", "y"),
            Outcome::PageChecked,
            None,
        )];
        assert_eq!(assurance_of(&known, false, &stale, 0), Assurance::IssuerLink);

        let badge = course(serde_json::json!({"title": "x", "attestation": {"badge": {"payload": "{}"}}}));
        let s = badge_subject("{}");
        for (outcome, known_as, level) in [
            (Outcome::Verified, Some("Uni"), Assurance::KnownIssuer),
            (Outcome::Verified, None, Assurance::SignatureVerified),
            (Outcome::Confirmed, None, Assurance::IssuerConfirmed),
            (Outcome::Unverified, None, Assurance::BadgeData),
            (Outcome::NotChecked, None, Assurance::BadgeData),
            (Outcome::Revoked, None, Assurance::SelfDeclared),
            (Outcome::OtherRecipient, Some("Uni"), Assurance::SelfDeclared),
            (Outcome::SignatureInvalid, None, Assurance::SelfDeclared),
        ] {
            let checks = [stored(CheckKind::Badge, s.clone(), outcome, known_as)];
            assert_eq!(assurance_of(&badge, false, &checks, 0), level, "{outcome:?}");
        }
        // Expired: at most badge data.
        let mut expiring = stored(CheckKind::Badge, s.clone(), Outcome::Verified, None);
        expiring.result.as_mut().unwrap().valid_until = Some(100);
        assert_eq!(assurance_of(&badge, false, std::slice::from_ref(&expiring), 99), Assurance::SignatureVerified);
        assert_eq!(assurance_of(&badge, false, &[expiring], 100), Assurance::BadgeData);
        // Another payload's check, and a retitled course, vouch for nothing.
        let other = [stored(CheckKind::Badge, badge_subject("{ }"), Outcome::Verified, None)];
        assert_eq!(assurance_of(&badge, false, &other, 0), Assurance::SelfDeclared);
        let mut retitled = badge.clone();
        retitled.title = "Quantum physics".into();
        assert_eq!(
            assurance_of(&retitled, false, &[stored(CheckKind::Badge, s, Outcome::Verified, None)], 0),
            Assurance::SelfDeclared
        );
    }

    #[test]
    fn the_summary_counts_every_claim_once() {
        let s = AssuranceSummary::of([Assurance::SelfDeclared, Assurance::IssuerLink, Assurance::IssuerLink]);
        assert_eq!((s.claims, s.self_declared, s.issuer_link, s.evidence_file), (3, 1, 2, 0));
    }
}
