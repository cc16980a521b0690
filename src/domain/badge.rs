//! Open Badges data kept with an attestation, and what certfolio found when it checked it.
//!
//! The payload (the badge as its issuer wrote it) travels in the portfolio document so that an
//! export imported elsewhere can be checked again. The check never does: a document is the
//! learner's to edit, so a level read from one would be a level the learner chose. Every import
//! recomputes the check from the payload and the service's trust file (`interop::openbadges`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::course::str_enum;
use super::text::normalize_name;
use super::{IsoDate, ValidationError};
use crate::domain::assurance::Assurance;

/// A badge payload is a few kilobytes; a JWS with an embedded key and a long description stays
/// well under this. The bound keeps a document (and a database row) from carrying megabytes.
pub const MAX_BADGE_PAYLOAD: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BadgeData {
    /// The badge as issued: an Open Badges 2.0 assertion or 3.0 credential as JSON, or a compact
    /// JWS (a signed 2.0 assertion, a 3.0 VC-JWT). From a baked PNG or SVG, the payload it held.
    /// Not blank; at most 262144 bytes.
    #[schema(max_length = 262144, pattern = "^[\\s\\S]*\\S[\\s\\S]*$")]
    pub payload: String,
    /// What certfolio found when it checked `payload`: computed at import, never read from a
    /// document.
    #[serde(skip)]
    pub check: Option<BadgeCheck>,
}

/// Which Open Badges generation a payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeFormat {
    /// Open Badges 2.0 (and the 1.0 / 0.5 shapes it grew from).
    Ob2,
    /// Open Badges 3.0 (a W3C verifiable credential).
    Ob3,
}

str_enum!(BadgeFormat { Ob2 => "ob2", Ob3 => "ob3" });

/// The result of checking a payload, as stored beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct BadgeCheck {
    pub format: BadgeFormat,
    /// The badge's (achievement's) name as the payload gives it: the claim it vouches for.
    pub name: String,
    pub issuer: Option<String>,
    pub issued_on: Option<IsoDate>,
    /// The trust-file entry whose key verified the signature; `None` when no trusted key did
    /// (unsigned, hosted, signed by a key certfolio does not trust, or a proof it cannot check).
    pub verified_by: Option<String>,
    /// When the badge stops being valid (Unix seconds), as the payload says.
    pub expires_at: Option<i64>,
    /// The payload itself declares the badge revoked.
    pub revoked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeStatus {
    Valid,
    Expired,
    Revoked,
}

str_enum!(BadgeStatus { Valid => "valid", Expired => "expired", Revoked => "revoked" });

impl BadgeCheck {
    /// Expiry is read against `now` every time, not frozen at import: a badge valid when
    /// imported expires on its date.
    pub fn status(&self, now: i64) -> BadgeStatus {
        if self.revoked {
            BadgeStatus::Revoked
        } else if self.expires_at.is_some_and(|t| t <= now) {
            BadgeStatus::Expired
        } else {
            BadgeStatus::Valid
        }
    }

    /// The level the badge vouches for. A revoked badge vouches for nothing; an expired one
    /// still shows what the issuer once said, but is not counted as verified.
    pub fn level(&self, now: i64) -> Option<Assurance> {
        match self.status(now) {
            BadgeStatus::Revoked => None,
            BadgeStatus::Expired => Some(Assurance::BadgeData),
            BadgeStatus::Valid if self.verified_by.is_some() => Some(Assurance::SignatureVerified),
            BadgeStatus::Valid => Some(Assurance::BadgeData),
        }
    }

    /// The badge vouches for a course only while the course still says what the badge says: a
    /// title edited after import is the learner's word again.
    pub fn vouches_for(&self, title: &str) -> bool {
        normalize_name(title) == normalize_name(&self.name)
    }
}

impl BadgeData {
    pub fn validate(&self, path: &str) -> Result<(), ValidationError> {
        if self.payload.trim().is_empty() {
            return Err(ValidationError::new(path, super::Problem::Empty));
        }
        if self.payload.len() > MAX_BADGE_PAYLOAD {
            return Err(ValidationError::new(
                path,
                super::Problem::TooManyBytes { len: self.payload.len(), max: MAX_BADGE_PAYLOAD },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check() -> BadgeCheck {
        BadgeCheck {
            format: BadgeFormat::Ob3,
            name: "Teamwork".into(),
            issuer: None,
            issued_on: None,
            verified_by: Some("Example Corp".into()),
            expires_at: Some(100),
            revoked: false,
        }
    }

    #[test]
    fn expired_and_revoked_badges_are_not_verified() {
        let c = check();
        assert_eq!(c.level(99), Some(Assurance::SignatureVerified));
        assert_eq!((c.status(100), c.level(100)), (BadgeStatus::Expired, Some(Assurance::BadgeData)));
        let revoked = BadgeCheck { revoked: true, ..check() };
        assert_eq!((revoked.status(0), revoked.level(0)), (BadgeStatus::Revoked, None));
        let unsigned = BadgeCheck { verified_by: None, ..check() };
        assert_eq!(unsigned.level(0), Some(Assurance::BadgeData));
    }

    #[test]
    fn a_check_is_never_read_from_a_document() {
        let b: BadgeData = serde_json::from_str(r#"{"payload": "x"}"#).unwrap();
        assert!(b.check.is_none());
        assert!(serde_json::from_str::<BadgeData>(r#"{"payload": "x", "check": {}}"#).is_err());
        assert_eq!(serde_json::to_string(&BadgeData { check: Some(check()), ..b }).unwrap(), r#"{"payload":"x"}"#);
    }
}
