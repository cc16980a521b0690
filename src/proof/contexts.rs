//! The JSON-LD contexts bundled in the binary, by the URL credentials name them with. Their
//! exact published bytes matter: a signature covers the RDF that a context makes of the
//! credential, so a context edited by one character can turn a valid proof invalid, or worse.
//! Provenance of each file (repository, commit, path): `contexts/README.md`.
//!
//! Any other context is asked of the caller ([`super::Resources`]), never assumed.

/// `(URL, bytes)` for every bundled context.
pub const BUNDLED: &[(&str, &str)] = &[
    ("https://www.w3.org/2018/credentials/v1", include_str!("contexts/credentials-v1.jsonld")),
    ("https://www.w3.org/ns/credentials/v2", include_str!("contexts/credentials-v2.jsonld")),
    ("https://www.w3.org/ns/credentials/examples/v2", include_str!("contexts/credentials-examples-v2.jsonld")),
    ("https://w3id.org/security/data-integrity/v1", include_str!("contexts/data-integrity-v1.jsonld")),
    ("https://w3id.org/security/data-integrity/v2", include_str!("contexts/data-integrity-v2.jsonld")),
    (
        "https://w3id.org/security/suites/ed25519-2020/v1",
        include_str!("contexts/security-suites-ed25519-2020-v1.jsonld"),
    ),
    ("https://w3id.org/security/multikey/v1", include_str!("contexts/security-multikey-v1.jsonld")),
    ("https://w3id.org/security/v1", include_str!("contexts/security-v1.jsonld")),
    ("https://w3id.org/security/v2", include_str!("contexts/security-v2.jsonld")),
    ("https://www.w3.org/ns/credentials/status/v1", include_str!("contexts/credentials-status-v1.jsonld")),
    ("https://w3id.org/vc/status-list/2021/v1", include_str!("contexts/vc-status-list-2021-v1.jsonld")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context.json", include_str!("contexts/ob-v3p0-context.json")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", include_str!("contexts/ob-v3p0-context-3.0.1.json")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", include_str!("contexts/ob-v3p0-context-3.0.2.json")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", include_str!("contexts/ob-v3p0-context-3.0.3.json")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", include_str!("contexts/ob-v3p0-extensions.json")),
    ("https://purl.imsglobal.org/spec/clr/v2p0/context.json", include_str!("contexts/clr-v2p0-context.json")),
    (
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        include_str!("contexts/clr-v2p0-context-2.0.1.json"),
    ),
];

/// The bundled bytes of the context at `url`, if it is one of [`BUNDLED`].
pub fn bundled(url: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(u, _)| *u == url).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_is_a_json_ld_context_document() {
        for (url, text) in BUNDLED {
            let value: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(value.get("@context").is_some(), "{url} has no @context");
        }
        let mut urls: Vec<&str> = BUNDLED.iter().map(|(u, _)| *u).collect();
        urls.sort_unstable();
        urls.dedup();
        assert_eq!(urls.len(), BUNDLED.len(), "a URL is bundled twice");
    }

    /// The fixtures' copies are the published bytes (see SOURCES.md there); the bundled ones
    /// must not have drifted from them.
    #[test]
    fn bundled_contexts_equal_the_fixture_copies() {
        let dir = format!("{}/../shared/fixtures/real/vc/contexts", env!("CARGO_MANIFEST_DIR"));
        let pairs = [
            ("https://www.w3.org/2018/credentials/v1", "w3c.credentials-v1.jsonld"),
            ("https://www.w3.org/ns/credentials/v2", "w3c.credentials-v2.jsonld"),
            ("https://www.w3.org/ns/credentials/examples/v2", "w3c.credentials-examples-v2.jsonld"),
            ("https://w3id.org/security/data-integrity/v1", "w3c.data-integrity-v1.jsonld"),
            ("https://w3id.org/security/data-integrity/v2", "w3c.data-integrity-v2.jsonld"),
            ("https://www.w3.org/ns/credentials/status/v1", "w3c.credentials-status-v1.jsonld"),
            ("https://w3id.org/vc/status-list/2021/v1", "w3c.vc-status-list-2021-v1.jsonld"),
            (
                "https://w3id.org/security/suites/ed25519-2020/v1",
                "1edtech-validator.security-suites-ed25519-2020-v1.jsonld",
            ),
            ("https://purl.imsglobal.org/spec/ob/v3p0/context.json", "1edtech-validator.ob-v3p0.json"),
            ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", "1edtech-validator.ob-v3p0-3.0.1.json"),
            ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", "1edtech-validator.ob-v3p0-3.0.2.json"),
            ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "1edtech-validator.ob-v3p0-3.0.3.json"),
            ("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", "1edtech-validator.ob-v3p0-extensions.json"),
            ("https://purl.imsglobal.org/spec/clr/v2p0/context.json", "1edtech-validator.clr-v2p0.json"),
            ("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", "1edtech-validator.clr-v2p0-2.0.1.json"),
        ];
        for (url, file) in pairs {
            let fixture = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
            assert_eq!(bundled(url), Some(fixture.as_str()), "{url}");
        }
    }
}
