//! How much certfolio can vouch for each claim of a portfolio, from least to most.
//!
//! certfolio never calls a claim "verified" unless it checked it itself (a badge signature,
//! issue 6). An issuer's verification link is something a recruiter can follow, an evidence
//! file is something they can read; neither was checked by certfolio, and the labels say so.

use serde::Serialize;
use utoipa::ToSchema;

use super::CourseRecord;
use super::badge::{BadgeCheck, BadgeStatus};
use super::course::str_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// Only the learner's word.
    SelfDeclared,
    /// The learner uploaded the certificate file (its SHA-256 is shown).
    EvidenceFile,
    /// The issuer's own verification page is linked: one click to check.
    IssuerLink,
    /// Imported from badge data (Open Badges) whose signature was not checked.
    BadgeData,
    /// An Open Badges signature checked by certfolio against a trusted issuer key.
    SignatureVerified,
}

str_enum!(Assurance {
    SelfDeclared => "self_declared", EvidenceFile => "evidence_file", IssuerLink => "issuer_link",
    BadgeData => "badge_data", SignatureVerified => "signature_verified",
});

/// The highest level a course reaches with what is recorded about it at `now` (Unix seconds:
/// a badge's expiry is read against it). Badge levels come only from a check certfolio made
/// (`BadgeData::check`, never from a document) and only while the course keeps the badge's name.
pub fn assurance_of(course: &CourseRecord, has_evidence: bool, now: i64) -> Assurance {
    let has_link = course.attestation.as_ref().is_some_and(|a| a.url.is_some());
    let recorded = if has_link {
        Assurance::IssuerLink
    } else if has_evidence {
        Assurance::EvidenceFile
    } else {
        Assurance::SelfDeclared
    };
    let badge = badge_check(course).filter(|c| c.vouches_for(&course.title)).and_then(|c| c.level(now));
    badge.map_or(recorded, |b| b.max(recorded))
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
    pub signature_verified: usize,
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
                Assurance::SignatureVerified => s.signature_verified += 1,
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(json: serde_json::Value) -> CourseRecord {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_highest_recorded_proof_decides() {
        let bare = course(serde_json::json!({"title": "x"}));
        let cert = course(serde_json::json!({"title": "x", "attestation": {"kind": "completion"}}));
        let linked = course(serde_json::json!({"title": "x", "attestation": {"url": "https://example.org/v/1"}}));
        assert_eq!(assurance_of(&bare, false, 0), Assurance::SelfDeclared);
        assert_eq!(assurance_of(&cert, false, 0), Assurance::SelfDeclared, "a claimed certificate is still a claim");
        assert_eq!(assurance_of(&cert, true, 0), Assurance::EvidenceFile);
        assert_eq!(assurance_of(&linked, true, 0), Assurance::IssuerLink);
    }

    #[test]
    fn the_summary_counts_every_claim_once() {
        let s = AssuranceSummary::of([Assurance::SelfDeclared, Assurance::IssuerLink, Assurance::IssuerLink]);
        assert_eq!((s.claims, s.self_declared, s.issuer_link, s.evidence_file), (3, 1, 2, 0));
    }
}
