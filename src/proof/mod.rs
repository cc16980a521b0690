//! Verifying a credential's Data Integrity proofs and reading its status lists, offline and
//! deterministically: no I/O, no clock (the time is handed in), no database.
//!
//! What is checked:
//! - each proof (`eddsa-rdfc-2022`, `eddsa-jcs-2022`, `Ed25519Signature2020`; a proof set or
//!   chain is one report per proof), per the W3C `vc-di-eddsa` specification: the proof
//!   configuration and the document without its proof are canonicalised (RDFC-1.0 over
//!   JSON-LD, or JCS), hashed with SHA-256, and the Ed25519 signature checked over
//!   `hash(config) || hash(document)` with the key of the verification method (from a
//!   `did:key`/`did:jwk` identifier, or a DID or controller document that lists it for
//!   `assertionMethod`). `proofPurpose` must be `assertionMethod` and `created` a date-time.
//!   Whether the method is the issuer's is reported beside the outcome ([`Signer`]): a valid
//!   signature by some other key proves only that its holder signed;
//! - the validity period (`validFrom`/`validUntil`, or `issuanceDate`/`expirationDate`);
//! - each `credentialStatus` entry (BitstringStatusList, StatusList2021), whose list is itself
//!   a credential checked the same way before its bit is believed;
//! - the subject's identity against an email the caller gives.
//!
//! What needs the network is the caller's step. Everything this module cannot find in the
//! binary (a context it does not bundle, a `did:web` DID document, a controller document, a
//! status list) it asks of [`Resources`], by URL. What the caller could not supply makes the
//! check "not checkable", never valid, and is listed in [`Report::needs`] so that the network
//! layer knows what to fetch before asking again:
//!
//! ```
//! use certfolio::proof::{self, Check, NoResources};
//! let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../shared/fixtures/real/vc/ob3_dcc_eddsa_rdfc_didkey_valid.json")).unwrap();
//! let report = proof::verify_credential(&bytes, &Check::new(1_700_000_000, &NoResources)).unwrap();
//! assert!(report.signature_verified());
//! assert_eq!(
//!     report.proofs[0].to_string(),
//!     "eddsa-rdfc-2022 proof by did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q\
//!      #z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q: valid (key read from the did:key identifier)"
//! );
//! ```
//!
//! The work is CPU-bound (tens of milliseconds for a badge in a debug build, about 1 ms per
//! nested object): an async caller runs it in `spawn_blocking`. JSON-LD processing runs on a
//! thread of its own with a large stack (see `rdf`).

mod contexts;
mod did;
mod jcs;
mod multibase;
mod rdf;
mod report;
mod status;
mod suites;
mod validity;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use contexts::{BUNDLED as BUNDLED_CONTEXTS, bundled as bundled_context};
pub use did::{KeyError, did_web_document_url, key_from_did_jwk, key_from_did_key, key_from_document};
pub use jcs::canonicalize as jcs_canonicalize;
pub use multibase::{decode_base58btc, encode_base58btc};
pub use rdf::{CanonError, canonical_nquads};
pub use report::*;
pub use status::{MAX_LIST_BYTES, decode_list, encode_list, read_bit};
pub use suites::{Suite, signing_input};
pub use validity::{parse_datetime, subject_identity};

/// Largest credential read (a status list credential carries its compressed list; real ones
/// are tens of kilobytes).
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// Bytes the caller has for a URL: a JSON-LD context, a DID or controller document, a status
/// list credential. The network layer implements it over its cache; `None` means "not had",
/// and whatever needed it is reported as not checkable and listed in [`Report::needs`].
/// `Sync`: JSON-LD processing runs on a thread of its own (see `rdf`), which asks for contexts.
pub trait Resources: Sync {
    fn get(&self, url: &str) -> Option<Vec<u8>>;
}

/// Nothing beyond what the binary bundles.
pub struct NoResources;

impl Resources for NoResources {
    fn get(&self, _url: &str) -> Option<Vec<u8>> {
        None
    }
}

impl<F: Fn(&str) -> Option<Vec<u8>> + Sync> Resources for F {
    fn get(&self, url: &str) -> Option<Vec<u8>> {
        self(url)
    }
}

impl Resources for HashMap<String, Vec<u8>> {
    fn get(&self, url: &str) -> Option<Vec<u8>> {
        HashMap::get(self, url).cloned()
    }
}

/// What to check a credential against.
pub struct Check<'a> {
    /// The time the validity period and status lists are read at (Unix seconds).
    pub now: i64,
    /// The learner's email, compared with the subject's identity; `None`: not compared.
    pub email: Option<&'a str>,
    pub resources: &'a dyn Resources,
}

impl<'a> Check<'a> {
    pub fn new(now: i64, resources: &'a dyn Resources) -> Self {
        Check { now, email: None, resources }
    }

    pub fn with_email(self, email: &'a str) -> Self {
        Check { email: Some(email), ..self }
    }
}

/// Why bytes could not be read as a credential at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotACredential(pub String);

/// Verifies a credential (JSON-LD with embedded proofs): every proof, the validity period,
/// every status entry, the subject's identity. Total: any input gives a report or an error.
pub fn verify_credential(bytes: &[u8], check: &Check<'_>) -> Result<Report, NotACredential> {
    let document = parse_document(bytes)?;
    let mut needs = Needs::default();
    let issuer = suites::issuer_id(&document);
    let proofs = suites::verify_proofs(&document, issuer.as_deref(), check, &mut needs);
    let validity = validity::period(&document, check.now);
    let status = status::check_entries(&document, issuer.as_deref(), check, &mut needs);
    let subject = validity::subject_identity(&document, check.email);
    Ok(Report { issuer, proofs, validity, status, subject, needs: needs.into_vec() })
}

pub(crate) fn parse_document(bytes: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, NotACredential> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(NotACredential(format!("larger than {MAX_DOCUMENT_BYTES} bytes")));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(NotACredential("JSON but not an object".into())),
        Err(e) => Err(NotACredential(format!("not valid JSON ({})", crate::domain::document::json_problem(&e)))),
    }
}

/// The URLs a check wanted and did not get, each once, in the order first wanted.
#[derive(Default)]
pub(crate) struct Needs(Vec<Needed>);

impl Needs {
    pub(crate) fn push(&mut self, need: Needed) {
        if !self.0.contains(&need) {
            self.0.push(need);
        }
    }

    fn into_vec(self) -> Vec<Needed> {
        self.0
    }
}
