//! What a check found: plain data saying what was checked, against what, and the outcome, so
//! that a page can print it as it is ("signed by did:key:z6Mk…, key read from the identifier")
//! and a job can store it (serde).

use serde::Serialize;
use std::fmt;

/// The whole check of one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The issuer's id (`issuer`, or `issuer.id`), as the credential gives it.
    pub issuer: Option<String>,
    /// One entry per proof, in document order; empty when the credential has none.
    pub proofs: Vec<ProofReport>,
    pub validity: ValidityReport,
    /// One entry per `credentialStatus` entry.
    pub status: Vec<StatusReport>,
    pub subject: SubjectReport,
    /// What the check wanted and the caller did not supply: fetch these and check again.
    pub needs: Vec<Needed>,
}

impl Report {
    /// At least one proof verified with a key of the issuer the credential names, and no proof
    /// failed its signature: what "signature verified" may be said of. Says nothing about the
    /// validity period or status: see [`Report::revoked`], [`ValidityReport::outcome`].
    pub fn signature_verified(&self) -> bool {
        self.proofs.iter().any(|p| p.outcome == ProofOutcome::Valid && p.signer == Signer::Issuer)
            && !self.signature_mismatch()
    }

    /// Some proof's signature does not match the data: altered, or signed with another key.
    pub fn signature_mismatch(&self) -> bool {
        self.proofs.iter().any(|p| p.outcome == ProofOutcome::SignatureMismatch)
    }

    /// A verified status list says revoked.
    pub fn revoked(&self) -> bool {
        self.status.iter().any(|s| s.outcome == StatusOutcome::Revoked)
    }

    /// A verified status list says suspended.
    pub fn suspended(&self) -> bool {
        self.status.iter().any(|s| s.outcome == StatusOutcome::Suspended)
    }
}

/// The check of one proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofReport {
    /// `type` as written (`DataIntegrityProof`, `Ed25519Signature2020`, …).
    pub proof_type: Option<String>,
    /// `cryptosuite` as written, for a `DataIntegrityProof`.
    pub cryptosuite: Option<String>,
    /// The suite recognised from the two, when certfolio implements it.
    pub suite: Option<super::Suite>,
    pub verification_method: Option<String>,
    /// Where the public key was read from, once it was.
    pub key_source: Option<KeySource>,
    /// Whether the verification method belongs to the issuer the credential names (its DID or
    /// controller URL is the issuer's id). A valid signature by another key proves only that
    /// its holder signed the data.
    pub signer: Signer,
    pub created: Option<String>,
    pub outcome: ProofOutcome,
}

/// Who the verification method belongs to, relative to the issuer the credential names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signer {
    /// The method's DID or controller URL is the issuer's id.
    Issuer,
    /// The method belongs to `controller`, the credential names `issuer` (or none).
    NotTheIssuer { controller: String, issuer: Option<String> },
    /// The proof names no verification method.
    Unknown,
}

/// Where a verification method's public key came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeySource {
    /// Decoded from the `did:key` identifier itself (the key is the identifier).
    DidKey { did: String },
    /// Decoded from the JWK inside the `did:jwk` identifier.
    DidJwk { did: String },
    /// Read from the `did:web` DID document fetched from `url`, where it is listed for
    /// `assertionMethod`.
    DidDocument { did: String, url: String },
    /// Read from the controller document at `url` (an https issuer profile), where it is
    /// listed for `assertionMethod`.
    ControllerDocument { url: String },
}

/// What one proof's check came to. Only [`ProofOutcome::Valid`] vouches for anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProofOutcome {
    /// The signature checks with the issuer's key over the canonical data.
    Valid,
    /// The signature does not match the data for the issuer's key: the credential was altered
    /// after signing, or signed with another key.
    SignatureMismatch,
    /// The proof is not acceptable whatever its signature (wrong purpose, a key that is not
    /// the issuer's, a malformed value, missing `created`…).
    Rejected { reason: String },
    /// Could not be checked; never counted as valid.
    NotCheckable { reason: NotCheckable },
}

/// Why a proof could not be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotCheckable {
    /// A JSON-LD context neither bundled nor supplied.
    ContextUnavailable { url: String },
    /// A DID or controller document not supplied.
    DocumentUnavailable { url: String },
    /// A proof type or cryptosuite certfolio does not implement.
    UnsupportedSuite { proof_type: Option<String>, cryptosuite: Option<String> },
    /// A DID method or key type certfolio does not read.
    UnsupportedKey { detail: String },
    /// Past the work limits (RDFC-1.0 worst case, size).
    TooComplex { detail: String },
    /// The credential is not valid JSON-LD, or uses a term no context defines (which the
    /// signature would not cover).
    InvalidJsonLd { detail: String },
}

/// A URL the check wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Needed {
    pub kind: NeedKind,
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedKind {
    /// A JSON-LD context document.
    Context,
    /// A `did:web` DID document (`…/did.json`).
    DidDocument,
    /// An https controller document (issuer profile) holding a verification method.
    ControllerDocument,
    /// A status list credential.
    StatusList,
}

/// A date the credential gives, and the property it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dated {
    /// `validFrom`, `issuanceDate`, `validUntil` or `expirationDate`.
    pub field: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidityReport {
    pub valid_from: Option<Dated>,
    pub valid_until: Option<Dated>,
    pub outcome: ValidityOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValidityOutcome {
    /// `now` is within the period (or the credential gives none).
    Current,
    NotYetValid,
    Expired,
    /// A date that is not an XML Schema dateTime.
    Malformed {
        field: String,
    },
}

/// The check of one `credentialStatus` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// `type` as written (`BitstringStatusListEntry`, `StatusList2021Entry`, …).
    pub entry_type: Option<String>,
    /// `statusPurpose` (`revocation`, `suspension`, …).
    pub purpose: Option<String>,
    pub index: Option<u64>,
    /// `statusListCredential`: where the list is.
    pub list: Option<String>,
    /// The issuer of the list credential, once read.
    pub list_issuer: Option<String>,
    /// The list's issuer is the credential's. The specification does not require it (the DCC's
    /// lists are signed by another key than their credentials), but only then does "not set"
    /// come from the issuer itself; "revoked" from the list the issuer named is believed
    /// either way.
    pub same_issuer: bool,
    /// The list credential's own proofs, once read: its bit is believed only when they verify.
    pub list_proofs: Vec<ProofReport>,
    pub outcome: StatusOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatusOutcome {
    /// The bit is set in a verified revocation list.
    Revoked,
    /// The bit is set in a verified suspension list.
    Suspended,
    /// The bit is set in a verified list of another purpose.
    Set { purpose: String },
    /// The bit is not set in a verified list.
    NotSet,
    /// The list was read and cannot be believed (its proof fails, it expired, its purpose
    /// differs, the index is beyond it…).
    Refused { reason: String },
    /// The list could not be had or read: not known, never "not revoked".
    NotCheckable { reason: String },
}

/// The subject's identity against the caller's email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectReport {
    /// The identities the credential gives its subject (kinds only: no values, which are
    /// personal data or hashes of it).
    pub identities: Vec<Identity>,
    pub outcome: IdentityOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// `id` (the subject's `id`), or the `identityType` of an `identifier` entry.
    pub kind: String,
    pub hashed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IdentityOutcome {
    /// The email matches `by` (`id mailto:`, `identifier emailAddress`, `identifier
    /// emailAddress (sha256, salted)`).
    Matches { by: String },
    /// The credential names an email and it is another.
    DoesNotMatch,
    /// The credential names its subject by no email (a DID, a student id, or nothing).
    NoEmailIdentity,
    /// The email identities are hashed in a way certfolio does not compute.
    NotComparable { reason: String },
    /// No email was given to compare with.
    NotCompared,
}

impl fmt::Display for ProofReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.suite, &self.proof_type) {
            (Some(s), _) => write!(f, "{} proof", s.name())?,
            (None, Some(t)) => write!(f, "{t} proof")?,
            (None, None) => write!(f, "proof")?,
        }
        if let Some(vm) = &self.verification_method {
            write!(f, " by {vm}")?;
        }
        write!(f, ": {}", self.outcome)?;
        if let Some(source) = &self.key_source {
            write!(f, " ({source})")?;
        }
        if let Signer::NotTheIssuer { controller, issuer } = &self.signer {
            match issuer {
                Some(issuer) => write!(f, "; signed by {controller}, not by the issuer it names ({issuer})")?,
                None => write!(f, "; signed by {controller}, the credential names no issuer")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::DidKey { .. } => write!(f, "key read from the did:key identifier"),
            KeySource::DidJwk { .. } => write!(f, "key read from the did:jwk identifier"),
            KeySource::DidDocument { url, .. } => write!(f, "key read from the DID document at {url}"),
            KeySource::ControllerDocument { url } => write!(f, "key read from the controller document at {url}"),
        }
    }
}

impl fmt::Display for ProofOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProofOutcome::Valid => write!(f, "valid"),
            ProofOutcome::SignatureMismatch => write!(f, "signature does not match"),
            ProofOutcome::Rejected { reason } => write!(f, "rejected: {reason}"),
            ProofOutcome::NotCheckable { reason } => write!(f, "not checkable: {reason}"),
        }
    }
}

impl fmt::Display for NotCheckable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotCheckable::ContextUnavailable { url } => write!(f, "context {url} unavailable"),
            NotCheckable::DocumentUnavailable { url } => write!(f, "document {url} unavailable"),
            NotCheckable::UnsupportedSuite { proof_type, cryptosuite } => write!(
                f,
                "unsupported proof type {}{}",
                proof_type.as_deref().unwrap_or("(none)"),
                cryptosuite.as_deref().map(|c| format!(" / cryptosuite {c}")).unwrap_or_default()
            ),
            NotCheckable::UnsupportedKey { detail } => write!(f, "{detail}"),
            NotCheckable::TooComplex { detail } => write!(f, "too complex to canonicalise ({detail})"),
            NotCheckable::InvalidJsonLd { detail } => write!(f, "not valid JSON-LD ({detail})"),
        }
    }
}

impl fmt::Display for StatusReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let purpose = self.purpose.as_deref().unwrap_or("status");
        write!(f, "{purpose} list")?;
        if let Some(list) = &self.list {
            write!(f, " {list}")?;
        }
        if let Some(i) = self.index {
            write!(f, " at index {i}")?;
        }
        match &self.outcome {
            StatusOutcome::Revoked => write!(f, ": revoked")?,
            StatusOutcome::Suspended => write!(f, ": suspended")?,
            StatusOutcome::Set { purpose } => write!(f, ": set ({purpose})")?,
            StatusOutcome::NotSet => write!(f, ": not set")?,
            StatusOutcome::Refused { reason } => return write!(f, ": list refused ({reason})"),
            StatusOutcome::NotCheckable { reason } => return write!(f, ": not checkable ({reason})"),
        }
        match (&self.list_issuer, self.same_issuer) {
            (Some(by), false) => write!(f, " (list signed by {by}, not by the credential's issuer)"),
            _ => Ok(()),
        }
    }
}
