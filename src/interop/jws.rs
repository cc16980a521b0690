//! Compact JWS (`header.payload.signature`, base64url): the form of a signed Open Badges 2.0
//! assertion and of an Open Badges 3.0 VC-JWT. Parsing is total; checking a signature needs a
//! key handed in (the trust file's, see `trust`, or one the verification job fetched).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::trust::PublicKey;
use crate::domain::ValidationError;
use crate::domain::problem::{BadgeProblem as B, KeyProblem};

/// A compact JWS, decoded but not yet checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Jws {
    pub header: Map<String, Value>,
    pub payload: Vec<u8>,
    /// `alg` from the header, as written.
    pub alg: String,
    signing_input: String,
    signature: Vec<u8>,
}

fn err(problem: B) -> ValidationError {
    ValidationError::new("JWS", problem)
}

/// Three base64url segments separated by dots, nothing else (whitespace around allowed).
pub fn looks_like(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split('.').collect();
    parts.len() == 3
        && !parts[0].is_empty()
        && !parts[2].is_empty()
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// Decodes a compact JWS. The header must be a JSON object with an `alg`; the payload is
/// returned as bytes (the caller decides what JSON it must be).
pub fn parse(text: &str) -> Result<Jws, ValidationError> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        return Err(err(B::JwsParts { count: parts.len() }));
    };
    let decode = |what: &'static str, part: &str| {
        URL_SAFE_NO_PAD.decode(part).map_err(|e| err(B::JwsNotBase64 { part: what, detail: e.to_string() }))
    };
    let header_bytes = decode("header", h)?;
    let header: Map<String, Value> =
        serde_json::from_slice(&header_bytes).map_err(|e| err(B::JwsHeaderNotObject { detail: e.to_string() }))?;
    let alg = header.get("alg").and_then(Value::as_str).ok_or_else(|| err(B::JwsNoAlg))?.to_owned();
    let payload = decode("payload", p)?;
    let signature = decode("signature", s)?;
    Ok(Jws { header, payload, alg, signing_input: format!("{h}.{p}"), signature })
}

impl Jws {
    /// The algorithm is one certfolio can check (RS256, ES256, EdDSA).
    pub fn supported(&self) -> bool {
        matches!(self.alg.as_str(), "RS256" | "ES256" | "EdDSA")
    }

    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The public key the header itself carries (`jwk`), if any. Such a key proves only that
    /// the badge was not altered since someone signed it, not who that someone is.
    pub fn embedded_key(&self) -> Option<Result<PublicKey, KeyProblem>> {
        self.header.get("jwk").map(PublicKey::from_jwk)
    }

    /// True when `key` made this signature under the header's algorithm. A key of another
    /// kind than the algorithm says never verifies (no algorithm confusion).
    pub fn verify(&self, key: &PublicKey) -> bool {
        let msg = self.signing_input.as_bytes();
        match (self.alg.as_str(), key) {
            ("RS256", PublicKey::Rsa(k)) => {
                use rsa::signature::Verifier;
                let Ok(sig) = rsa::pkcs1v15::Signature::try_from(self.signature.as_slice()) else { return false };
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new((**k).clone()).verify(msg, &sig).is_ok()
            }
            ("ES256", PublicKey::P256(k)) => {
                use p256::ecdsa::signature::Verifier;
                let Ok(sig) = p256::ecdsa::Signature::from_slice(&self.signature) else { return false };
                k.verify(msg, &sig).is_ok()
            }
            ("EdDSA", PublicKey::Ed25519(k)) => {
                let Ok(sig) = ed25519_dalek::Signature::from_slice(&self.signature) else { return false };
                k.verify_strict(msg, &sig).is_ok()
            }
            _ => false,
        }
    }
}

/// Signs `payload` as a compact JWS with an Ed25519 or P-256 key: for tests and fuzz seeds
/// (certfolio itself never signs badges).
pub fn sign(header: &Value, payload: &[u8], key: &SigningKey) -> String {
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let p = URL_SAFE_NO_PAD.encode(payload);
    let input = format!("{h}.{p}");
    let sig = match key {
        SigningKey::Ed25519(k) => {
            use ed25519_dalek::Signer;
            k.sign(input.as_bytes()).to_bytes().to_vec()
        }
        SigningKey::P256(k) => {
            use p256::ecdsa::signature::Signer;
            let s: p256::ecdsa::Signature = k.sign(input.as_bytes());
            s.to_bytes().to_vec()
        }
    };
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// A private key for [`sign`].
pub enum SigningKey {
    Ed25519(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
}

impl SigningKey {
    /// The public half as a JWK.
    pub fn public_jwk(&self) -> Value {
        match self {
            SigningKey::Ed25519(k) => serde_json::json!({
                "kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(k.verifying_key().as_bytes())
            }),
            SigningKey::P256(k) => {
                let point = k.verifying_key().to_encoded_point(false);
                let coord = |c: Option<&p256::FieldBytes>| c.map(|c| URL_SAFE_NO_PAD.encode(c)).unwrap_or_default();
                serde_json::json!({"kty": "EC", "crv": "P-256", "x": coord(point.x()), "y": coord(point.y())})
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_check_with_the_right_key_only() {
        let ed = SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
        let ec = SigningKey::P256(p256::ecdsa::SigningKey::from_slice(&[2; 32]).unwrap());
        for (key, alg) in [(&ed, "EdDSA"), (&ec, "ES256")] {
            let token = sign(&serde_json::json!({"alg": alg}), b"{\"a\":1}", key);
            assert!(looks_like(&token));
            let jws = parse(&token).unwrap();
            let public = PublicKey::from_jwk(&key.public_jwk()).unwrap();
            assert!(jws.verify(&public), "{alg}");
            let other = if alg == "EdDSA" { &ec } else { &ed };
            assert!(!jws.verify(&PublicKey::from_jwk(&other.public_jwk()).unwrap()));
            let mut tampered = token.clone().into_bytes();
            let dot = token.find('.').unwrap() + 2;
            tampered[dot] = if tampered[dot] == b'A' { b'B' } else { b'A' };
            let tampered = parse(std::str::from_utf8(&tampered).unwrap());
            assert!(tampered.is_err() || !tampered.unwrap().verify(&public));
        }
    }

    #[test]
    fn the_real_rs256_token_checks_with_its_embedded_key() {
        let png = std::fs::read(format!(
            "{}/../shared/fixtures/real/openbadges3/ob3_baked_jwt_itxt.png",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let jws = parse(&crate::interop::png::badge_chunk(&png).unwrap().text).unwrap();
        assert_eq!(jws.alg, "RS256");
        let key = jws.embedded_key().unwrap().unwrap();
        assert!(jws.verify(&key));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in ["", "a.b", "a.b.c.d", "!!.e30.x", "e30.e30.", "eyJ4IjoxfQ.e30.AA"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
