//! The issuers whose badge signatures certfolio vouches for: `trusted-issuers.json` in the data
//! folder, read once at start (by `serve` and by the command line).
//!
//! A key the operator lists is the strongest tie between a signature and an issuer: the badge
//! is then from a "known issuer", named as the operator names it. Without an entry, the
//! verification job (`verify`) checks the key the badge itself names (a DID, a key URL) and says
//! where it came from; this file is read at import too, offline, so that a badge altered under
//! a trusted issuer's name is refused at once.
//!
//! ```json
//! {"issuers": [
//!   {"name": "Example University", "id": "https://example.edu/issuers/565049",
//!    "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "…"}},
//!   {"name": "Other Academy", "pem": "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n"}
//! ]}
//! ```

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::Value;

use crate::domain::ValidationError;
use crate::domain::problem::{KeyProblem, Problem};
use crate::domain::text::excerpt;

/// The trust file's name inside the data folder.
pub const FILE_NAME: &str = "trusted-issuers.json";

/// A public key certfolio can check a JWS with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// RS256.
    Rsa(Box<rsa::RsaPublicKey>),
    /// ES256.
    P256(p256::ecdsa::VerifyingKey),
    /// EdDSA (Ed25519).
    Ed25519(ed25519_dalek::VerifyingKey),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedIssuer {
    /// Shown beside a verified badge: who the operator says holds this key.
    pub name: String,
    /// The issuer's id (OB 2.0 issuer `id` or `url`, OB 3.0 issuer `id`, a JWT `iss`). When
    /// set, the key answers only for badges that name this issuer, and a badge that names it
    /// must carry this key's signature.
    pub id: Option<String>,
    /// The key id a JWS header names (`kid`), when the JWK has one.
    pub kid: Option<String>,
    pub key: PublicKey,
}

/// The trusted issuers. Empty when the data folder has no trust file: every signature is then
/// "not checked against a trusted key", never "verified".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustStore {
    pub issuers: Vec<TrustedIssuer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    issuers: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryShape {
    name: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    jwk: Option<Value>,
    #[serde(default)]
    pem: Option<String>,
}

impl TrustStore {
    /// Parses the trust file's text; the error path names the entry (`issuers[2].jwk`).
    pub fn from_json(bytes: &[u8]) -> Result<TrustStore, ValidationError> {
        let file: FileShape = serde_json::from_slice(bytes)
            .map_err(|e| ValidationError::new("", Problem::TrustFile { detail: e.to_string() }))?;
        let mut issuers = Vec::with_capacity(file.issuers.len());
        for (i, raw) in file.issuers.into_iter().enumerate() {
            let at = |f: &str| if f.is_empty() { format!("issuers[{i}]") } else { format!("issuers[{i}].{f}") };
            let entry: EntryShape = serde_json::from_value(raw)
                .map_err(|e| ValidationError::new(at(""), Problem::TrustEntry { detail: e.to_string() }))?;
            if entry.name.trim().is_empty() {
                return Err(ValidationError::new(at("name"), Problem::Empty));
            }
            let (key, kid) = match (&entry.jwk, &entry.pem) {
                (Some(jwk), None) => {
                    let key = PublicKey::from_jwk(jwk).map_err(|m| ValidationError::new(at("jwk"), m))?;
                    (key, jwk.get("kid").and_then(Value::as_str).map(str::to_owned))
                }
                (None, Some(pem)) => (PublicKey::from_pem(pem).map_err(|m| ValidationError::new(at("pem"), m))?, None),
                _ => return Err(ValidationError::new(at(""), Problem::TrustKeyChoice)),
            };
            let id = entry.id.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            issuers.push(TrustedIssuer { name: entry.name.trim().to_owned(), id, kid, key });
        }
        Ok(TrustStore { issuers })
    }
}

fn b64(value: &Value, field: &'static str) -> Result<Vec<u8>, KeyProblem> {
    let s = value.get(field).and_then(Value::as_str).ok_or(KeyProblem::NoMember { member: field })?;
    URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|e| KeyProblem::NotBase64 { member: field, detail: e.to_string() })
}

impl PublicKey {
    /// A public JWK: RSA (`n`, `e`), EC P-256 (`x`, `y`) or OKP Ed25519 (`x`).
    pub fn from_jwk(jwk: &Value) -> Result<PublicKey, KeyProblem> {
        let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or("");
        let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or("");
        match (kty, crv) {
            ("RSA", _) => {
                let n = rsa::BigUint::from_bytes_be(&b64(jwk, "n")?);
                let e = rsa::BigUint::from_bytes_be(&b64(jwk, "e")?);
                rsa::RsaPublicKey::new(n, e)
                    .map(|k| PublicKey::Rsa(Box::new(k)))
                    .map_err(|e| KeyProblem::BadRsa { detail: e.to_string() })
            }
            ("EC", "P-256") => {
                let (x, y) = (b64(jwk, "x")?, b64(jwk, "y")?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(KeyProblem::P256Size);
                }
                let point = p256::EncodedPoint::from_affine_coordinates(
                    p256::FieldBytes::from_slice(&x),
                    p256::FieldBytes::from_slice(&y),
                    false,
                );
                p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                    .map(PublicKey::P256)
                    .map_err(|_| KeyProblem::NotOnCurve)
            }
            ("OKP", "Ed25519") => {
                let x: [u8; 32] = b64(jwk, "x")?.try_into().map_err(|_| KeyProblem::Ed25519Size)?;
                ed25519_dalek::VerifyingKey::from_bytes(&x)
                    .map(PublicKey::Ed25519)
                    .map_err(|e| KeyProblem::BadEd25519 { detail: e.to_string() })
            }
            _ => Err(KeyProblem::Unsupported { kty: excerpt(kty).into_owned(), crv: excerpt(crv).into_owned() }),
        }
    }

    /// A PEM public key: SPKI (`BEGIN PUBLIC KEY`, RSA, P-256 or Ed25519) or PKCS#1
    /// (`BEGIN RSA PUBLIC KEY`).
    pub fn from_pem(pem: &str) -> Result<PublicKey, KeyProblem> {
        use p256::pkcs8::DecodePublicKey;
        use rsa::pkcs1::DecodeRsaPublicKey;
        let pem = pem.trim();
        if let Ok(k) = rsa::RsaPublicKey::from_public_key_pem(pem) {
            return Ok(PublicKey::Rsa(Box::new(k)));
        }
        if let Ok(k) = rsa::RsaPublicKey::from_pkcs1_pem(pem) {
            return Ok(PublicKey::Rsa(Box::new(k)));
        }
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey::P256(k));
        }
        if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey::Ed25519(k));
        }
        Err(KeyProblem::NotPem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_named_in_errors() {
        let e = TrustStore::from_json(br#"{"issuers": [{"name": "A", "jwk": {"kty": "oct"}}]}"#).unwrap_err();
        assert_eq!(e.path, "issuers[0].jwk");
        let e = TrustStore::from_json(br#"{"issuers": [{"name": "A"}]}"#).unwrap_err();
        assert_eq!(e.path, "issuers[0]");
        let e = TrustStore::from_json(br#"{"issuers": [{"name": "A", "pem": "x", "colour": 1}]}"#).unwrap_err();
        assert!(e.message().contains("colour"), "{}", e.message());
        assert!(TrustStore::from_json(b"[]").is_err());
        assert_eq!(TrustStore::from_json(br#"{"issuers": []}"#).unwrap(), TrustStore::default());
    }

    #[test]
    fn keys_of_each_kind_load() {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let x = URL_SAFE_NO_PAD.encode(sk.verifying_key().as_bytes());
        let store = TrustStore::from_json(
            format!(r#"{{"issuers": [{{"name": "Ed", "id": "https://e.example", "jwk": {{"kty": "OKP", "crv": "Ed25519", "x": "{x}", "kid": "k1"}}}}]}}"#)
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(store.issuers[0].kid.as_deref(), Some("k1"));
        let ec = p256::ecdsa::SigningKey::from_slice(&[9; 32]).unwrap();
        let point = ec.verifying_key().to_encoded_point(false);
        let jwk = serde_json::json!({"kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(point.x().unwrap()), "y": URL_SAFE_NO_PAD.encode(point.y().unwrap())});
        assert!(matches!(PublicKey::from_jwk(&jwk), Ok(PublicKey::P256(_))));
        let pem = {
            use p256::pkcs8::EncodePublicKey;
            ec.verifying_key().to_public_key_pem(p256::pkcs8::LineEnding::LF).unwrap()
        };
        assert!(matches!(PublicKey::from_pem(&pem), Ok(PublicKey::P256(_))));
        assert!(PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").is_err());
    }
}
