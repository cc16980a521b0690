//! The proof suites, per W3C `vc-di-eddsa`: `eddsa-rdfc-2022` and `eddsa-jcs-2022`
//! (`DataIntegrityProof`), and the legacy `Ed25519Signature2020`, which signs the same way as
//! `eddsa-rdfc-2022`. Each: the proof configuration (the proof without `proofValue`, with the
//! document's `@context`) and the document without its proof are canonicalised, each hashed
//! with SHA-256, and the Ed25519 signature checked over `hash(config) || hash(document)`.

use std::collections::HashMap;

use ed25519_dalek::{Signature, VerifyingKey};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::did::{self, Lookup};
use super::rdf::{self, CanonError};
use super::{
    Check, NeedKind, Needed, Needs, NotCheckable, ProofOutcome, ProofReport, Resources, Signer, jcs, multibase,
};

/// A proof suite certfolio verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Suite {
    /// `DataIntegrityProof` with `cryptosuite: eddsa-rdfc-2022`.
    #[serde(rename = "eddsa-rdfc-2022")]
    EddsaRdfc2022,
    /// `DataIntegrityProof` with `cryptosuite: eddsa-jcs-2022`.
    #[serde(rename = "eddsa-jcs-2022")]
    EddsaJcs2022,
    /// `Ed25519Signature2020` (W3C CCG, the predecessor of eddsa-rdfc-2022).
    Ed25519Signature2020,
}

impl Suite {
    pub fn name(&self) -> &'static str {
        match self {
            Suite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Suite::EddsaJcs2022 => "eddsa-jcs-2022",
            Suite::Ed25519Signature2020 => "Ed25519Signature2020",
        }
    }

    fn from_proof(proof_type: Option<&str>, cryptosuite: Option<&str>) -> Option<Suite> {
        match (proof_type?, cryptosuite) {
            ("DataIntegrityProof", Some("eddsa-rdfc-2022")) => Some(Suite::EddsaRdfc2022),
            ("DataIntegrityProof", Some("eddsa-jcs-2022")) => Some(Suite::EddsaJcs2022),
            ("Ed25519Signature2020", None) => Some(Suite::Ed25519Signature2020),
            _ => None,
        }
    }

    fn uses_rdf(&self) -> bool {
        !matches!(self, Suite::EddsaJcs2022)
    }
}

/// The issuer's id: `issuer` as a string, or `issuer.id`.
pub(crate) fn issuer_id(document: &Map<String, Value>) -> Option<String> {
    match document.get("issuer") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// The proofs of `document` (`proof`, one object or an array), each checked.
pub(crate) fn verify_proofs(
    document: &Map<String, Value>,
    issuer: Option<&str>,
    check: &Check<'_>,
    needs: &mut Needs,
) -> Vec<ProofReport> {
    let proofs: Vec<&Value> = match document.get("proof") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    let mut hashes = HashCache::default();
    proofs.iter().map(|p| verify_one(document, p, &proofs, issuer, check, needs, &mut hashes)).collect()
}

/// Canonical-document hashes by (suite kind, document text): the proofs of a proof set sign
/// the same document, which is canonicalised once.
#[derive(Default)]
struct HashCache(HashMap<(bool, String), Result<[u8; 32], CanonError>>);

fn str_field<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Value::as_str)
}

fn verify_one(
    document: &Map<String, Value>,
    proof: &Value,
    all: &[&Value],
    issuer: Option<&str>,
    check: &Check<'_>,
    needs: &mut Needs,
    hashes: &mut HashCache,
) -> ProofReport {
    let Value::Object(p) = proof else {
        return ProofReport {
            proof_type: None,
            cryptosuite: None,
            suite: None,
            verification_method: None,
            key_source: None,
            signer: Signer::Unknown,
            created: None,
            outcome: ProofOutcome::Rejected { reason: "the proof is not a JSON object".into() },
        };
    };
    let proof_type = str_field(p, "type").map(str::to_owned);
    let cryptosuite = str_field(p, "cryptosuite").map(str::to_owned);
    let vm = match p.get("verificationMethod") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => str_field(o, "id").map(str::to_owned),
        _ => None,
    };
    let mut report = ProofReport {
        suite: Suite::from_proof(proof_type.as_deref(), cryptosuite.as_deref()),
        proof_type,
        cryptosuite,
        verification_method: vm.clone(),
        key_source: None,
        signer: match vm.as_deref() {
            None => Signer::Unknown,
            Some(vm) if Some(did::controller_of(vm)) == issuer => Signer::Issuer,
            Some(vm) => Signer::NotTheIssuer {
                controller: did::controller_of(vm).to_owned(),
                issuer: issuer.map(str::to_owned),
            },
        },
        created: str_field(p, "created").map(str::to_owned),
        outcome: ProofOutcome::Valid,
    };
    let outcome = (|| -> ProofOutcome {
        let Some(suite) = report.suite else {
            return ProofOutcome::NotCheckable {
                reason: NotCheckable::UnsupportedSuite {
                    proof_type: report.proof_type.clone(),
                    cryptosuite: report.cryptosuite.clone(),
                },
            };
        };
        let rejected = |reason: String| ProofOutcome::Rejected { reason };
        match str_field(p, "proofPurpose") {
            Some("assertionMethod") => {}
            Some(other) => return rejected(format!("proofPurpose is `{other}`, not `assertionMethod`")),
            None => return rejected("the proof has no proofPurpose".into()),
        }
        match &report.created {
            None => return rejected("the proof has no `created` date".into()),
            Some(c) if super::validity::parse_datetime(c).is_none() => {
                return rejected(format!("`created` ({c}) is not a date-time"));
            }
            Some(_) => {}
        }
        if let Some(expires) = str_field(p, "expires") {
            match super::validity::parse_datetime(expires) {
                Some(t) if t <= check.now => return rejected(format!("the proof expired on {expires}")),
                Some(_) => {}
                None => return rejected(format!("`expires` ({expires}) is not a date-time")),
            }
        }
        let Some(vm) = vm.as_deref() else { return rejected("the proof has no verificationMethod".into()) };
        let signature = match str_field(p, "proofValue").map(multibase::decode_base58btc) {
            None => return rejected("the proof has no proofValue".into()),
            Some(Err(e)) => return rejected(format!("proofValue {e}")),
            Some(Ok(bytes)) => match Signature::from_slice(&bytes) {
                Ok(s) => s,
                Err(_) => return rejected(format!("proofValue is {} bytes, an Ed25519 signature 64", bytes.len())),
            },
        };
        let key = match did::lookup(vm, check.resources, needs) {
            Lookup::Found(key, source) => {
                report.key_source = Some(source);
                key
            }
            Lookup::Rejected(reason) => return rejected(reason),
            Lookup::NotCheckable(reason) => return ProofOutcome::NotCheckable { reason },
        };
        let hash = match signed_hash(suite, document, p, all, check.resources, hashes) {
            Ok(hash) => hash,
            Err(Refusal::Rejected(reason)) => return rejected(reason),
            Err(Refusal::Canon(e)) => return not_checkable(e, needs),
        };
        verify_signature(&key, &hash, &signature)
    })();
    report.outcome = outcome;
    report
}

fn verify_signature(key: &VerifyingKey, message: &[u8], signature: &Signature) -> ProofOutcome {
    if key.verify_strict(message, signature).is_ok() { ProofOutcome::Valid } else { ProofOutcome::SignatureMismatch }
}

fn not_checkable(e: CanonError, needs: &mut Needs) -> ProofOutcome {
    let reason = match e {
        CanonError::ContextUnavailable(url) => {
            needs.push(Needed { kind: NeedKind::Context, url: url.clone() });
            NotCheckable::ContextUnavailable { url }
        }
        CanonError::TooComplex(detail) => NotCheckable::TooComplex { detail },
        CanonError::JsonLd(detail) => NotCheckable::InvalidJsonLd { detail },
    };
    ProofOutcome::NotCheckable { reason }
}

enum Refusal {
    Rejected(String),
    Canon(CanonError),
}

/// `sha256(canonical proof configuration) || sha256(canonical document without proof)`.
fn signed_hash(
    suite: Suite,
    document: &Map<String, Value>,
    proof: &Map<String, Value>,
    all: &[&Value],
    resources: &dyn Resources,
    hashes: &mut HashCache,
) -> Result<Vec<u8>, Refusal> {
    let mut unsecured = document.clone();
    unsecured.remove("proof");
    // A proof chained to earlier ones (`previousProof`) signs the document with those proofs.
    if let Some(previous) = proof.get("previousProof") {
        let ids: Vec<&str> = match previous {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return Err(Refusal::Rejected("previousProof is neither an id nor a list of ids".into())),
        };
        let mut chained = Vec::new();
        for id in ids {
            let found = all.iter().find(|q| q.get("id").and_then(Value::as_str) == Some(id));
            match found {
                Some(q) => chained.push((*q).clone()),
                None => return Err(Refusal::Rejected(format!("previousProof {id} is not in the document"))),
            }
        }
        let value = if chained.len() == 1 { chained.remove(0) } else { Value::Array(chained) };
        unsecured.insert("proof".into(), value);
    }
    let mut config = proof.clone();
    config.remove("proofValue");
    if let Some(proof_context) = config.get("@context") {
        // vc-di-eddsa: a proof's own @context must be where the document's starts.
        let as_list = |v: &Value| match v {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        let doc_context = unsecured.get("@context").map(as_list).unwrap_or_default();
        let prefix = as_list(proof_context);
        if !doc_context.starts_with(&prefix) {
            return Err(Refusal::Rejected("the proof's @context is not the start of the document's".into()));
        }
        if !suite.uses_rdf() {
            unsecured.insert("@context".into(), proof_context.clone());
        }
    }
    match unsecured.get("@context") {
        Some(context) => {
            config.insert("@context".into(), context.clone());
        }
        None if suite.uses_rdf() => {
            return Err(Refusal::Canon(CanonError::JsonLd("the document has no @context".into())));
        }
        None => {}
    }
    let config_hash = hash(suite, &Value::Object(config), resources).map_err(Refusal::Canon)?;
    let unsecured = Value::Object(unsecured);
    let key = (suite.uses_rdf(), unsecured.to_string());
    let document_hash = match hashes.0.get(&key) {
        Some(cached) => cached.clone(),
        None => {
            let computed = hash(suite, &unsecured, resources);
            hashes.0.insert(key, computed.clone());
            computed
        }
    }
    .map_err(Refusal::Canon)?;
    Ok([config_hash, document_hash].concat())
}

fn hash(suite: Suite, value: &Value, resources: &dyn Resources) -> Result<[u8; 32], CanonError> {
    let text = if suite.uses_rdf() { rdf::canonical_nquads(value, resources)? } else { jcs::canonicalize(value) };
    Ok(Sha256::digest(text.as_bytes()).into())
}

/// What is signed for a proof configuration and document (`hash(config) || hash(document)`),
/// with the bundled contexts only: for tests and benchmarks that issue credentials of their own
/// (certfolio itself never signs a credential).
pub fn signing_input(
    suite: Suite,
    document: &Map<String, Value>,
    proof_config: &Map<String, Value>,
) -> Result<Vec<u8>, String> {
    let mut hashes = HashCache::default();
    signed_hash(suite, document, proof_config, &[], &super::NoResources, &mut hashes).map_err(|e| match e {
        Refusal::Rejected(r) => r,
        Refusal::Canon(c) => c.to_string(),
    })
}
