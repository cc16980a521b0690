//! Public keys of verification methods: `did:key` and `did:jwk` (the key is in the
//! identifier), `did:web` (a DID document the caller fetched, from the URL
//! [`did_web_document_url`] gives) and https controller documents (an issuer profile listing its
//! keys). Only Ed25519 keys: every suite certfolio verifies is Ed25519.
//!
//! A document's key answers for assertions only when listed under `assertionMethod` by the
//! document of the DID (or URL) the method belongs to. Whether that is the credential's issuer
//! is weighed by the caller (`suites`). A key fragment is never decoded as a key by itself (`https://x#z6Mk…`
//! names a key, it does not prove one).

use ed25519_dalek::VerifyingKey;
use serde_json::{Map, Value};

use super::multibase::{base64url_decode, decode_base58btc};
use super::{KeySource, NeedKind, Needed, Needs, NotCheckable, Resources};

/// Multicodec `ed25519-pub` (0xed) as an unsigned varint.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// What looking a key up came to.
pub(crate) enum Lookup {
    Found(VerifyingKey, KeySource),
    /// The method cannot be this credential's key (not the issuer's, not for assertions,
    /// malformed).
    Rejected(String),
    NotCheckable(NotCheckable),
}

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Malformed(String),
    Unsupported(String),
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyError::Malformed(m) | KeyError::Unsupported(m) => f.write_str(m),
        }
    }
}

/// The Ed25519 key of a `did:key` DID (with or without a `#fragment`).
pub fn key_from_did_key(did: &str) -> Result<VerifyingKey, KeyError> {
    let did = did.split('#').next().unwrap_or(did);
    let msid = did.strip_prefix("did:key:").ok_or_else(|| KeyError::Malformed(format!("{did} is not a did:key")))?;
    ed25519_multikey(msid).map_err(|e| match e {
        KeyError::Malformed(m) => KeyError::Malformed(format!("{did}: {m}")),
        KeyError::Unsupported(m) => KeyError::Unsupported(format!("{did}: {m}")),
    })
}

/// A multibase, multicodec-prefixed Ed25519 public key (`z6Mk…`).
fn ed25519_multikey(value: &str) -> Result<VerifyingKey, KeyError> {
    let bytes = decode_base58btc(value).map_err(|e| KeyError::Malformed(format!("the key {e}")))?;
    let Some(raw) = bytes.strip_prefix(&ED25519_PUB[..]) else {
        return Err(KeyError::Unsupported("the key is not an Ed25519 key (multicodec 0xed)".into()));
    };
    raw_ed25519(raw)
}

fn raw_ed25519(raw: &[u8]) -> Result<VerifyingKey, KeyError> {
    let raw: [u8; 32] = raw
        .try_into()
        .map_err(|_| KeyError::Malformed(format!("an Ed25519 key is 32 bytes, this one {}", raw.len())))?;
    VerifyingKey::from_bytes(&raw).map_err(|_| KeyError::Malformed("not a point of Ed25519".into()))
}

/// The Ed25519 key of a `did:jwk` DID (base64url of a public JWK; `#0` allowed).
pub fn key_from_did_jwk(did: &str) -> Result<VerifyingKey, KeyError> {
    let did = did.split('#').next().unwrap_or(did);
    let msid = did.strip_prefix("did:jwk:").ok_or_else(|| KeyError::Malformed(format!("{did} is not a did:jwk")))?;
    let bytes = base64url_decode(msid).ok_or_else(|| KeyError::Malformed("the did:jwk is not base64url".into()))?;
    let jwk: Value = serde_json::from_slice(&bytes)
        .map_err(|_| KeyError::Malformed("the did:jwk does not hold a JSON JWK".into()))?;
    if jwk.get("d").is_some() {
        return Err(KeyError::Malformed("the did:jwk holds a private key".into()));
    }
    jwk_ed25519(&jwk)
}

fn jwk_ed25519(jwk: &Value) -> Result<VerifyingKey, KeyError> {
    let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or("");
    let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or("");
    if (kty, crv) != ("OKP", "Ed25519") {
        return Err(KeyError::Unsupported(format!("the JWK is {kty} {crv}, not an Ed25519 (OKP) key")));
    }
    let x = jwk.get("x").and_then(Value::as_str).ok_or_else(|| KeyError::Malformed("the JWK has no `x`".into()))?;
    let raw = base64url_decode(x).ok_or_else(|| KeyError::Malformed("the JWK's `x` is not base64url".into()))?;
    raw_ed25519(&raw)
}

/// Where a `did:web` DID's document is: `did:web:host` → `https://host/.well-known/did.json`,
/// `did:web:host:a:b` → `https://host/a/b/did.json`; a port is written `host%3A8443`.
pub fn did_web_document_url(did: &str) -> Result<String, String> {
    let did = did.split('#').next().unwrap_or(did);
    let msid = did.strip_prefix("did:web:").ok_or_else(|| format!("{did} is not a did:web"))?;
    let mut parts = msid.split(':');
    let host = parts.next().unwrap_or("");
    let (name, port) = match host.split_once("%3A").or_else(|| host.split_once("%3a")) {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 253
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !name.starts_with(['.', '-']);
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    if !name_ok || !port_ok {
        return Err(format!("{did}: `{host}` is not a host name"));
    }
    let path: Vec<&str> = parts.collect();
    let segment_ok = |s: &&str| {
        !s.is_empty()
            && *s != "."
            && *s != ".."
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%'))
    };
    if !path.iter().all(segment_ok) {
        return Err(format!("{did}: the path is not a list of URL segments"));
    }
    let authority = match port {
        Some(p) => format!("{}:{p}", name.to_ascii_lowercase()),
        None => name.to_ascii_lowercase(),
    };
    Ok(if path.is_empty() {
        format!("https://{authority}/.well-known/did.json")
    } else {
        format!("https://{authority}/{}/did.json", path.join("/"))
    })
}

/// The DID or controller URL a verification method belongs to (`did:…#key` → `did:…`).
pub(crate) fn controller_of(vm: &str) -> &str {
    vm.split('#').next().unwrap_or(vm)
}

/// The key of verification method `vm`, from its identifier or its controller's document.
pub(crate) fn lookup(vm: &str, resources: &dyn Resources, needs: &mut Needs) -> Lookup {
    let (base, fragment) = match vm.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (vm, None),
    };
    let from_identifier = |key: Result<VerifyingKey, KeyError>, source: KeySource| match key {
        Ok(key) => Lookup::Found(key, source),
        Err(KeyError::Malformed(m)) => Lookup::Rejected(m),
        Err(KeyError::Unsupported(m)) => Lookup::NotCheckable(NotCheckable::UnsupportedKey { detail: m }),
    };
    if let Some(msid) = base.strip_prefix("did:key:") {
        // The did:key method says the fragment is the key itself; the bare DID (accepted by the
        // 1EdTech validator) names the same key.
        if fragment.is_some_and(|f| f != msid) {
            return Lookup::Rejected(format!("{vm}: a did:key's fragment must repeat its key"));
        }
        return from_identifier(key_from_did_key(base), KeySource::DidKey { did: base.to_owned() });
    }
    if base.starts_with("did:jwk:") {
        if fragment.is_some_and(|f| f != "0") {
            return Lookup::Rejected(format!("{vm}: a did:jwk has one verification method, #0"));
        }
        return from_identifier(key_from_did_jwk(base), KeySource::DidJwk { did: base.to_owned() });
    }
    if base.starts_with("did:web:") {
        let url = match did_web_document_url(base) {
            Ok(url) => url,
            Err(m) => return Lookup::Rejected(m),
        };
        let source = KeySource::DidDocument { did: base.to_owned(), url: url.clone() };
        return from_document(vm, base, &url, NeedKind::DidDocument, source, resources, needs);
    }
    if let Some(method) = base.strip_prefix("did:") {
        let method = method.split(':').next().unwrap_or("");
        return Lookup::NotCheckable(NotCheckable::UnsupportedKey {
            detail: format!("DID method did:{method} is not supported (did:key, did:jwk and did:web are)"),
        });
    }
    if base.starts_with("https://") && fragment.is_some() {
        let source = KeySource::ControllerDocument { url: base.to_owned() };
        return from_document(vm, base, base, NeedKind::ControllerDocument, source, resources, needs);
    }
    Lookup::NotCheckable(NotCheckable::UnsupportedKey {
        detail: format!("the verification method {vm} is neither a DID nor an https URL with a fragment"),
    })
}

fn from_document(
    vm: &str,
    controller: &str,
    url: &str,
    kind: NeedKind,
    source: KeySource,
    resources: &dyn Resources,
    needs: &mut Needs,
) -> Lookup {
    let Some(bytes) = resources.get(url) else {
        needs.push(Needed { kind, url: url.to_owned() });
        return Lookup::NotCheckable(NotCheckable::DocumentUnavailable { url: url.to_owned() });
    };
    match key_from_document(&bytes, controller, vm) {
        Ok(key) => Lookup::Found(key, source),
        Err(KeyError::Malformed(m)) => Lookup::Rejected(format!("{url}: {m}")),
        Err(KeyError::Unsupported(m)) => {
            Lookup::NotCheckable(NotCheckable::UnsupportedKey { detail: format!("{url}: {m}") })
        }
    }
}

/// The Ed25519 key of verification method `vm` in the DID or controller document `bytes` of
/// `controller`, which must list it under `assertionMethod`. Verification methods may be
/// `Multikey` or `Ed25519VerificationKey2020` (`publicKeyMultibase`),
/// `Ed25519VerificationKey2018` (`publicKeyBase58`), `JsonWebKey`/`JsonWebKey2020`
/// (`publicKeyJwk`).
pub fn key_from_document(bytes: &[u8], controller: &str, vm: &str) -> Result<VerifyingKey, KeyError> {
    if bytes.len() > super::MAX_DOCUMENT_BYTES {
        return Err(KeyError::Malformed(format!("the document is larger than {} bytes", super::MAX_DOCUMENT_BYTES)));
    }
    let doc: Map<String, Value> = match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => map,
        _ => return Err(KeyError::Malformed("the document is not a JSON object".into())),
    };
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("");
    if id != controller {
        return Err(KeyError::Malformed(format!("the document is for `{id}`, not {controller}")));
    }
    let names = |s: &str| s == vm || (s.starts_with('#') && format!("{controller}{s}") == vm);
    let as_list = |v: Option<&Value>| -> Vec<Value> {
        match v {
            Some(Value::Array(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        }
    };
    let assertion = as_list(doc.get("assertionMethod"));
    let listed = assertion.iter().any(|a| match a {
        Value::String(s) => names(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str).is_some_and(names),
        _ => false,
    });
    if !listed {
        return Err(KeyError::Malformed(format!("{vm} is not listed under assertionMethod")));
    }
    let method = as_list(doc.get("verificationMethod"))
        .into_iter()
        .chain(assertion)
        .filter_map(|m| match m {
            Value::Object(o) => Some(o),
            _ => None,
        })
        .find(|o| o.get("id").and_then(Value::as_str).is_some_and(names))
        .ok_or_else(|| KeyError::Malformed(format!("{vm} is listed but not described")))?;
    if let Some(c) = method.get("controller").and_then(Value::as_str)
        && c != controller
    {
        return Err(KeyError::Malformed(format!("{vm} is controlled by {c}, not {controller}")));
    }
    let ty = method.get("type").and_then(Value::as_str).unwrap_or("");
    if let Some(mb) = method.get("publicKeyMultibase").and_then(Value::as_str) {
        return ed25519_multikey(mb);
    }
    if let Some(jwk) = method.get("publicKeyJwk") {
        return jwk_ed25519(jwk);
    }
    if let (Some(b58), "Ed25519VerificationKey2018") = (method.get("publicKeyBase58").and_then(Value::as_str), ty) {
        let raw = super::multibase::base58_decode(b58)
            .ok_or_else(|| KeyError::Malformed("publicKeyBase58 is not base58".into()))?;
        return raw_ed25519(&raw);
    }
    Err(KeyError::Unsupported(format!("{vm} is a `{ty}` with no key certfolio reads")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const W3C_DID: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    #[test]
    fn did_key_with_and_without_fragment() {
        let bare = key_from_did_key(W3C_DID).unwrap();
        let frag = key_from_did_key(&format!("{W3C_DID}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")).unwrap();
        assert_eq!(bare, frag);
        let short = super::super::multibase::encode_base58btc(&[&ED25519_PUB[..], &[1; 31]].concat());
        assert!(matches!(key_from_did_key(&format!("did:key:{short}")), Err(KeyError::Malformed(_))));
        assert!(matches!(
            key_from_did_key("did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"),
            Err(KeyError::Unsupported(_))
        ));
        assert!(key_from_did_key("did:key:0OIl").is_err());
    }

    #[test]
    fn did_jwk_reads_an_okp_key() {
        use base64::Engine;
        let sk = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sk.verifying_key().as_bytes());
        let jwk = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}"#);
        let did = format!("did:jwk:{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(jwk));
        assert_eq!(key_from_did_jwk(&format!("{did}#0")).unwrap(), sk.verifying_key());
        assert!(key_from_did_jwk("did:jwk:!!").is_err());
        let p256 =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"kty":"EC","crv":"P-256","x":"a","y":"b"}"#);
        assert!(matches!(key_from_did_jwk(&format!("did:jwk:{p256}")), Err(KeyError::Unsupported(_))));
    }

    #[test]
    fn did_web_urls() {
        assert_eq!(
            did_web_document_url("did:web:w3c-ccg.github.io").unwrap(),
            "https://w3c-ccg.github.io/.well-known/did.json"
        );
        assert_eq!(
            did_web_document_url("did:web:w3c-ccg.github.io:user:alice").unwrap(),
            "https://w3c-ccg.github.io/user/alice/did.json"
        );
        assert_eq!(
            did_web_document_url("did:web:example.com%3A3000#key-1").unwrap(),
            "https://example.com:3000/.well-known/did.json"
        );
        assert_eq!(
            did_web_document_url("did:web:digitalcredentials.github.io:vc-test-fixtures:dids:legacy").unwrap(),
            "https://digitalcredentials.github.io/vc-test-fixtures/dids/legacy/did.json"
        );
        for bad in [
            "did:web:",
            "did:web:exa/mple.com",
            "did:web:e.com:..",
            "did:web:e.com::a",
            "did:web:e.com%3Ax",
            "did:key:z",
        ] {
            assert!(did_web_document_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn documents_must_list_the_key_for_assertions() {
        let did = "did:web:issuer.example";
        let sk = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        let mb = super::super::multibase::encode_base58btc(&[&ED25519_PUB[..], sk.verifying_key().as_bytes()].concat());
        let doc = |assertion: Value| {
            serde_json::to_vec(&serde_json::json!({
                "id": did,
                "verificationMethod": [{"id": format!("{did}#k1"), "type": "Multikey", "controller": did, "publicKeyMultibase": mb}],
                "assertionMethod": assertion,
            }))
            .unwrap()
        };
        let vm = format!("{did}#k1");
        assert_eq!(key_from_document(&doc(serde_json::json!(["#k1"])), did, &vm).unwrap(), sk.verifying_key());
        assert_eq!(key_from_document(&doc(serde_json::json!([vm])), did, &vm).unwrap(), sk.verifying_key());
        assert!(key_from_document(&doc(serde_json::json!([])), did, &vm).is_err());
        assert!(key_from_document(&doc(serde_json::json!(["#k1"])), "did:web:other.example", &vm).is_err());
        assert!(key_from_document(b"[1]", did, &vm).is_err());
    }
}
