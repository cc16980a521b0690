//! Acceptance: the W3C `vc-di-eddsa` vectors byte for byte, the real DCC and 1EdTech files,
//! credentials and status lists signed here, and totality on mutated input.

use std::collections::HashMap;

use ed25519_dalek::{Signer as _, SigningKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::*;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../shared/fixtures/real/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn fixture_text(path: &str) -> String {
    String::from_utf8(fixture(path)).unwrap()
}

fn object(bytes: &[u8]) -> Map<String, Value> {
    match serde_json::from_slice(bytes).unwrap() {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 2026-12-01T00:00:00Z.
const NOW: i64 = 1_796_083_200;

fn verify(bytes: &[u8], resources: &dyn Resources) -> Report {
    verify_credential(bytes, &Check::new(NOW, resources)).unwrap()
}

/// The W3C vector's secret key: multibase, multicodec `ed25519-priv` (0x1300) + 32 bytes.
fn w3c_secret_key() -> SigningKey {
    let pair = object(&fixture("vc/w3c_eddsa_keyPair.json"));
    let bytes = decode_base58btc(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(&bytes[..2], &[0x80, 0x26]);
    SigningKey::from_bytes(&bytes[2..].try_into().unwrap())
}

#[test]
fn w3c_eddsa_rdfc_2022_vector_byte_for_byte() {
    let unsigned: Value = serde_json::from_slice(&fixture("vc/w3c_eddsa_unsigned.json")).unwrap();
    let canon_doc = canonical_nquads(&unsigned, &NoResources).unwrap();
    assert_eq!(canon_doc, fixture_text("vc/w3c_eddsa_rdfc_2022_canonDoc.nq"));

    let config: Value = serde_json::from_slice(&fixture("vc/w3c_eddsa_rdfc_2022_proofConfig.json")).unwrap();
    let canon_config = canonical_nquads(&config, &NoResources).unwrap();
    assert_eq!(canon_config, fixture_text("vc/w3c_eddsa_rdfc_2022_proofCanon.nq"));

    let combined = [Sha256::digest(canon_config.as_bytes()), Sha256::digest(canon_doc.as_bytes())].concat();
    assert_eq!(hex(&combined), fixture_text("vc/w3c_eddsa_rdfc_2022_combinedHash.hex").trim());

    // The same bytes through the suite's own path (proof config from the proof, @context from
    // the document).
    let mut proof_config = object(&fixture("vc/w3c_eddsa_rdfc_2022_proofConfig.json"));
    proof_config.remove("@context");
    let input = suites::signing_input(Suite::EddsaRdfc2022, unsigned.as_object().unwrap(), &proof_config).unwrap();
    assert_eq!(input, combined);

    let key = w3c_secret_key();
    let pair = object(&fixture("vc/w3c_eddsa_keyPair.json"));
    assert_eq!(
        key_from_did_key(&format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap())).unwrap(),
        key.verifying_key()
    );
    let signature = key.sign(&combined);
    assert_eq!(hex(&signature.to_bytes()), fixture_text("vc/w3c_eddsa_rdfc_2022_sig.hex").trim());

    let report = verify(&fixture("vc/w3c_eddsa_rdfc_2022_signed.json"), &NoResources);
    let proof = &report.proofs[0];
    assert_eq!(proof.outcome, ProofOutcome::Valid, "{proof}");
    assert_eq!(proof.suite, Some(Suite::EddsaRdfc2022));
    let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    assert_eq!(proof.key_source, Some(KeySource::DidKey { did: did.into() }));
    // The vector's issuer is an https URL the did:key has nothing to do with: the signature is
    // valid, and the report says whose it is.
    assert_eq!(
        proof.signer,
        Signer::NotTheIssuer { controller: did.into(), issuer: Some("https://vc.example/issuers/5678".into()) }
    );
    assert!(!report.signature_verified());
    assert!(report.needs.is_empty());
    assert!(proof.to_string().contains("valid (key read from the did:key identifier)"), "{proof}");
}

#[test]
fn w3c_ed25519signature2020_vector() {
    let report = verify(&fixture("vc/w3c_ed25519signature2020_signed.json"), &NoResources);
    let proof = &report.proofs[0];
    assert_eq!((proof.suite, &proof.outcome), (Some(Suite::Ed25519Signature2020), &ProofOutcome::Valid), "{proof}");
}

#[test]
fn dcc_credentials_verify_offline_and_the_tampered_one_does_not() {
    for file in ["vc/ob3_dcc_eddsa_rdfc_didkey_valid.json", "vc/ob3_dcc_ed25519sig2020_didkey_valid.json"] {
        let report = verify(&fixture(file), &NoResources);
        assert!(report.signature_verified(), "{file}: {}", report.proofs[0]);
        assert_eq!(report.proofs[0].signer, Signer::Issuer);
        assert_eq!(report.validity.outcome, ValidityOutcome::Current);
        assert!(report.needs.is_empty(), "{file}: {:?}", report.needs);
    }
    let report = verify(&fixture("vc/ob3_dcc_ed25519sig2020_didkey_TAMPERED.json"), &NoResources);
    assert_eq!(report.proofs[0].outcome, ProofOutcome::SignatureMismatch);
    assert!(report.proofs[0].to_string().contains("signature does not match"));
    assert!(!report.signature_verified() && report.signature_mismatch());
}

// --- Credentials signed here -------------------------------------------------------------

const CREATED: &str = "2026-01-01T00:00:00Z";

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn did_key(key: &SigningKey) -> String {
    format!("did:key:{}", encode_base58btc(&[&[0xed, 0x01][..], key.verifying_key().as_bytes()].concat()))
}

/// Adds a proof of `suite` by `vm` to `document`.
fn sign(mut document: Map<String, Value>, suite: Suite, key: &SigningKey, vm: &str) -> Map<String, Value> {
    let mut config = Map::new();
    match suite {
        Suite::Ed25519Signature2020 => {
            config.insert("type".into(), json!("Ed25519Signature2020"));
        }
        other => {
            config.insert("type".into(), json!("DataIntegrityProof"));
            config.insert("cryptosuite".into(), json!(other.name()));
        }
    }
    config.insert("created".into(), json!(CREATED));
    config.insert("verificationMethod".into(), json!(vm));
    config.insert("proofPurpose".into(), json!("assertionMethod"));
    let input = suites::signing_input(suite, &document, &config).unwrap();
    config.insert("proofValue".into(), json!(encode_base58btc(&key.sign(&input).to_bytes())));
    document.insert("proof".into(), Value::Object(config));
    document
}

fn badge(issuer: &str) -> Map<String, Value> {
    match json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2c1d6b4e-6a52-4d0c-9f39-0b6f8c9b1a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Test Issuer"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Rust Badge",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {"id": "https://issuer.example/achievements/rust", "type": ["Achievement"],
                            "name": "Rust", "criteria": {"narrative": "Wrote Rust."}, "description": "Knows Rust."}
        }
    }) {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

fn bytes(doc: &Map<String, Value>) -> Vec<u8> {
    serde_json::to_vec(doc).unwrap()
}

#[test]
fn credentials_signed_here_verify_and_one_changed_character_fails() {
    let k = key(1);
    let did = did_key(&k);
    for suite in [Suite::EddsaRdfc2022, Suite::EddsaJcs2022, Suite::Ed25519Signature2020] {
        let mut doc = badge(&did);
        if suite == Suite::Ed25519Signature2020 {
            doc["@context"].as_array_mut().unwrap().push(json!("https://w3id.org/security/suites/ed25519-2020/v1"));
        }
        // The bare did:key form, as the 1EdTech validator accepts, and the fragment form.
        let vm = if suite == Suite::EddsaJcs2022 { did.clone() } else { format!("{did}#{}", &did[8..]) };
        let signed = sign(doc, suite, &k, &vm);
        let report = verify(&bytes(&signed), &NoResources);
        assert!(report.signature_verified(), "{}: {}", suite.name(), report.proofs[0]);

        let mut tampered = signed.clone();
        tampered["credentialSubject"]["achievement"]["name"] = json!("Rusu");
        let report = verify(&bytes(&tampered), &NoResources);
        assert_eq!(report.proofs[0].outcome, ProofOutcome::SignatureMismatch, "{}", suite.name());

        // The same signature presented as another key's: the other key does not verify it.
        let mut other = signed.clone();
        let other_did = did_key(&key(2));
        other["issuer"]["id"] = json!(other_did);
        other["proof"]["verificationMethod"] = json!(other_did);
        assert_eq!(verify(&bytes(&other), &NoResources).proofs[0].outcome, ProofOutcome::SignatureMismatch);
    }
}

#[test]
fn proofs_must_be_for_assertions_with_a_date_and_a_known_suite() {
    let k = key(3);
    let did = did_key(&k);
    let signed = sign(badge(&did), Suite::EddsaRdfc2022, &k, &did);
    let with = |f: &dyn Fn(&mut Map<String, Value>)| {
        let mut d = signed.clone();
        f(d["proof"].as_object_mut().unwrap());
        verify(&bytes(&d), &NoResources).proofs.remove(0)
    };
    let purpose = with(&|p| {
        p.insert("proofPurpose".into(), json!("authentication"));
    });
    assert!(matches!(&purpose.outcome, ProofOutcome::Rejected { reason } if reason.contains("authentication")));
    let undated = with(&|p| {
        p.remove("created");
    });
    assert!(matches!(&undated.outcome, ProofOutcome::Rejected { reason } if reason.contains("created")));
    let suite = with(&|p| {
        p.insert("cryptosuite".into(), json!("ecdsa-rdfc-2019"));
    });
    assert!(matches!(suite.outcome, ProofOutcome::NotCheckable { reason: NotCheckable::UnsupportedSuite { .. } }));
    let short = with(&|p| {
        p.insert("proofValue".into(), json!("z3mF"));
    });
    assert!(matches!(short.outcome, ProofOutcome::Rejected { .. }));
    let other_method = with(&|p| {
        p.insert("verificationMethod".into(), json!("did:example:123#k"));
    });
    assert!(matches!(other_method.outcome, ProofOutcome::NotCheckable { reason: NotCheckable::UnsupportedKey { .. } }));
}

#[test]
fn did_web_and_controller_documents_are_asked_of_the_caller() {
    let k = key(4);
    let did = "did:web:issuer.example:org";
    let vm = format!("{did}#key-1");
    let signed = bytes(&sign(badge(did), Suite::EddsaRdfc2022, &k, &vm));
    let report = verify(&signed, &NoResources);
    let url = "https://issuer.example/org/did.json";
    assert_eq!(report.needs, vec![Needed { kind: NeedKind::DidDocument, url: url.into() }]);
    assert_eq!(
        report.proofs[0].outcome,
        ProofOutcome::NotCheckable { reason: NotCheckable::DocumentUnavailable { url: url.into() } }
    );
    let multikey = encode_base58btc(&[&[0xed, 0x01][..], k.verifying_key().as_bytes()].concat());
    let document = |listed: bool| {
        serde_json::to_vec(&json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did,
            "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did, "publicKeyMultibase": multikey}],
            "assertionMethod": if listed { json!(["#key-1"]) } else { json!([]) },
        }))
        .unwrap()
    };
    let resources: HashMap<String, Vec<u8>> = [(url.to_owned(), document(true))].into();
    let report = verify(&signed, &resources);
    assert!(report.signature_verified(), "{}", report.proofs[0]);
    assert_eq!(report.proofs[0].key_source, Some(KeySource::DidDocument { did: did.into(), url: url.into() }));
    let unlisted: HashMap<String, Vec<u8>> = [(url.to_owned(), document(false))].into();
    assert!(matches!(verify(&signed, &unlisted).proofs[0].outcome, ProofOutcome::Rejected { .. }));
}

#[test]
fn an_unbundled_context_the_loader_lacks_is_not_checkable_naming_it() {
    let k = key(5);
    let did = did_key(&k);
    let context = "https://contexts.example/extra/v1";
    let mut doc = badge(&did);
    doc["@context"].as_array_mut().unwrap().push(json!(context));
    doc.insert("shoeSize".into(), json!(42));
    let extra = json!({"@context": {"shoeSize": "https://contexts.example/extra#shoeSize"}}).to_string().into_bytes();
    // Signed with the context at hand.
    let mut config = Map::new();
    config.insert("type".into(), json!("DataIntegrityProof"));
    config.insert("cryptosuite".into(), json!("eddsa-rdfc-2022"));
    config.insert("created".into(), json!(CREATED));
    config.insert("verificationMethod".into(), json!(did));
    config.insert("proofPurpose".into(), json!("assertionMethod"));
    let loader = |url: &str| (url == context).then(|| extra.clone());
    let input = match signed_hash_with(&doc, &config, &loader) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    config.insert("proofValue".into(), json!(encode_base58btc(&k.sign(&input).to_bytes())));
    doc.insert("proof".into(), Value::Object(config));

    let report = verify(&bytes(&doc), &NoResources);
    assert_eq!(
        report.proofs[0].outcome,
        ProofOutcome::NotCheckable { reason: NotCheckable::ContextUnavailable { url: context.into() } }
    );
    assert!(report.proofs[0].to_string().contains(&format!("not checkable: context {context} unavailable")));
    assert_eq!(report.needs, vec![Needed { kind: NeedKind::Context, url: context.into() }]);
    assert!(verify(&bytes(&doc), &loader).signature_verified());
}

/// What eddsa-rdfc-2022 signs, with contexts from `resources` (the suite's own helper uses
/// only the bundled ones).
fn signed_hash_with(
    doc: &Map<String, Value>,
    config: &Map<String, Value>,
    resources: &dyn Resources,
) -> Result<Vec<u8>, String> {
    let mut unsecured = doc.clone();
    unsecured.remove("proof");
    let mut config = config.clone();
    config.insert("@context".into(), doc["@context"].clone());
    let c = canonical_nquads(&Value::Object(config), resources).map_err(|e| e.to_string())?;
    let d = canonical_nquads(&Value::Object(unsecured), resources).map_err(|e| e.to_string())?;
    Ok([Sha256::digest(c.as_bytes()), Sha256::digest(d.as_bytes())].concat())
}

// --- Status lists ------------------------------------------------------------------------

const LIST_URL: &str = "https://issuer.example/status/1";

fn status_list(issuer_key: &SigningKey, bits: &[u8], purpose: &str) -> Map<String, Value> {
    let did = did_key(issuer_key);
    let doc = match json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": format!("{LIST_URL}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": status::encode_list(bits),
        }
    }) {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    sign(doc, Suite::EddsaRdfc2022, issuer_key, &did)
}

fn with_status(issuer_key: &SigningKey, index: u64, purpose: &str) -> Vec<u8> {
    let did = did_key(issuer_key);
    let mut doc = badge(&did);
    doc.insert(
        "credentialStatus".into(),
        json!({
            "id": format!("{LIST_URL}#{index}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": index.to_string(),
            "statusListCredential": LIST_URL,
        }),
    );
    bytes(&sign(doc, Suite::EddsaRdfc2022, issuer_key, &did))
}

#[test]
fn status_lists_signed_here() {
    let k = key(6);
    let mut bits = vec![0u8; 16 * 1024];
    let revoked_index = 12_345u64;
    bits[(revoked_index / 8) as usize] |= 0x80 >> (revoked_index % 8);
    let list = bytes(&status_list(&k, &bits, "revocation"));
    let resources: HashMap<String, Vec<u8>> = [(LIST_URL.to_owned(), list.clone())].into();

    let report = verify(&with_status(&k, revoked_index, "revocation"), &resources);
    assert!(report.signature_verified());
    assert_eq!(report.status[0].outcome, StatusOutcome::Revoked, "{}", report.status[0]);
    assert!(report.revoked());
    assert_eq!(report.status[0].list_proofs[0].outcome, ProofOutcome::Valid);

    let report = verify(&with_status(&k, revoked_index + 1, "revocation"), &resources);
    assert_eq!(report.status[0].outcome, StatusOutcome::NotSet, "{}", report.status[0]);
    assert!(!report.revoked());

    // A bit flipped after signing: the list's proof fails, the list is never read.
    let mut tampered_bits = bits.clone();
    tampered_bits[(revoked_index / 8) as usize] = 0;
    let mut tampered = status_list(&k, &bits, "revocation");
    tampered["credentialSubject"]["encodedList"] = json!(status::encode_list(&tampered_bits));
    let resources: HashMap<String, Vec<u8>> = [(LIST_URL.to_owned(), bytes(&tampered))].into();
    let report = verify(&with_status(&k, revoked_index, "revocation"), &resources);
    assert!(
        matches!(&report.status[0].outcome, StatusOutcome::Refused { reason } if reason.contains("signature does not match")),
        "{}",
        report.status[0]
    );
    assert!(!report.revoked());

    // The wrong purpose, an index beyond the list, no list at all.
    let resources: HashMap<String, Vec<u8>> = [(LIST_URL.to_owned(), list)].into();
    let report = verify(&with_status(&k, 3, "suspension"), &resources);
    assert!(matches!(report.status[0].outcome, StatusOutcome::Refused { .. }), "{}", report.status[0]);
    let report = verify(&with_status(&k, 131_072, "revocation"), &resources);
    assert!(matches!(&report.status[0].outcome, StatusOutcome::Refused { reason } if reason.contains("beyond")));
    let report = verify(&with_status(&k, 1, "revocation"), &NoResources);
    assert!(matches!(report.status[0].outcome, StatusOutcome::NotCheckable { .. }));
    assert_eq!(report.needs, vec![Needed { kind: NeedKind::StatusList, url: LIST_URL.into() }]);
}

#[test]
fn a_suspension_list_says_suspended() {
    let k = key(7);
    let mut bits = vec![0u8; 16 * 1024];
    bits[0] = 0x80;
    let resources: HashMap<String, Vec<u8>> =
        [(LIST_URL.to_owned(), bytes(&status_list(&k, &bits, "suspension")))].into();
    let report = verify(&with_status(&k, 0, "suspension"), &resources);
    assert_eq!(report.status[0].outcome, StatusOutcome::Suspended);
}

// --- The real Open Badges 3.0 files ------------------------------------------------------

#[test]
fn open_badges_3_fixtures() {
    // Two proofs by a did:web key, a BitstringStatusList entry, expired.
    let report = verify(&fixture("openbadges3/ob3_dcc_revoked_expired_two_proofs.json"), &NoResources);
    assert_eq!(report.proofs.len(), 2);
    let did_url = "https://digitalcredentials.github.io/vc-test-fixtures/dids/legacy/did.json";
    for p in &report.proofs {
        assert_eq!(
            p.outcome,
            ProofOutcome::NotCheckable { reason: NotCheckable::DocumentUnavailable { url: did_url.into() } }
        );
    }
    assert_eq!(report.validity.outcome, ValidityOutcome::Expired);
    assert!(matches!(report.status[0].outcome, StatusOutcome::NotCheckable { .. }));
    assert_eq!(report.needs.iter().map(|n| n.kind).collect::<Vec<_>>(), [NeedKind::DidDocument, NeedKind::StatusList]);

    // The 1EdTech files name https issuers whose profiles would have to be fetched.
    for file in ["ob3_simple_eddsa.json", "ob3_vc1_simple.json", "ob3_endorsement.json"] {
        let report = verify(&fixture(&format!("openbadges3/{file}")), &NoResources);
        assert!(
            matches!(
                report.proofs[0].outcome,
                ProofOutcome::NotCheckable { reason: NotCheckable::DocumentUnavailable { .. } }
            ),
            "{file}: {}",
            report.proofs[0]
        );
        assert_eq!(report.needs[0].kind, NeedKind::ControllerDocument);
    }
    // complete.json: its identifiers are plain emails.
    let complete = fixture("openbadges3/ob3_complete.json");
    let report =
        verify_credential(&complete, &Check::new(NOW, &NoResources).with_email("student@1edtech.edu")).unwrap();
    assert_eq!(report.subject.outcome, IdentityOutcome::Matches { by: "identifier emailAddress".into() });
}

/// Prints what each real file comes to (`cargo test --lib proof::tests::survey -- --nocapture`).
#[test]
fn survey() {
    let mut files: Vec<String> = Vec::new();
    for dir in ["vc", "openbadges3"] {
        let full = format!("{}/../shared/fixtures/real/{dir}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(full).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".json")
                && !name.contains("keyPair")
                && !name.contains("proofConfig")
                && !name.contains("unsigned")
            {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    for file in files {
        match verify_credential(&fixture(&file), &Check::new(NOW, &NoResources)) {
            Ok(r) => {
                println!("{file}: verified={} validity={:?}", r.signature_verified(), r.validity.outcome);
                for p in &r.proofs {
                    println!("    {p}");
                }
                for s in &r.status {
                    println!("    {s}");
                }
            }
            Err(e) => println!("{file}: {e}"),
        }
    }
}

// --- Totality ----------------------------------------------------------------------------

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    for bad in [&b""[..], b"[]", b"null", b"{", b"\xff\xfe", b"{\"proof\": 1}", b"{\"proof\": [null, {}]}"] {
        let _ = verify_credential(bad, &Check::new(0, &NoResources));
    }
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(verify_credential(deep.as_bytes(), &Check::new(0, &NoResources)).is_err());
    let huge = vec![b' '; MAX_DOCUMENT_BYTES + 1];
    assert!(verify_credential(&huge, &Check::new(0, &NoResources)).is_err());
}

/// Nesting: a document as deep as real credentials get (and then some) verifies on a test
/// thread's 2 MiB stack; deeper is refused as too complex, never a stack overflow.
#[test]
fn deep_documents_do_not_overflow_the_stack() {
    let k = key(8);
    let did = did_key(&k);
    let nested_doc = |levels: usize| {
        let mut nested = json!("bottom");
        for _ in 0..levels {
            nested = json!({"narrative": nested});
        }
        let mut doc = badge(&did);
        doc["credentialSubject"]["achievement"]["criteria"] = nested;
        doc
    };
    // 4 levels down to criteria, + 26 = 30 deep.
    let signed = bytes(&sign(nested_doc(26), Suite::EddsaRdfc2022, &k, &did));
    assert!(verify(&signed, &NoResources).signature_verified());
    let mut deep = nested_doc(120);
    deep.insert("proof".into(), serde_json::from_slice::<Value>(&signed).unwrap()["proof"].clone());
    let report = verify(&bytes(&deep), &NoResources);
    assert!(
        matches!(report.proofs[0].outcome, ProofOutcome::NotCheckable { reason: NotCheckable::TooComplex { .. } }),
        "{}",
        report.proofs[0]
    );
}

/// A context that imports itself, and a chain of contexts handed in by a hostile loader.
#[test]
fn recursive_contexts_end() {
    let selfref = "https://contexts.example/self";
    let doc = json!({"@context": [selfref], "@id": "https://e.example/s", "https://e.example/p": "x"});
    let looping = |url: &str| Some(json!({"@context": [url, {"p": "https://e.example/p"}]}).to_string().into_bytes());
    let _ = canonical_nquads(&doc, &looping);
    let chain = |url: &str| {
        let n: u64 = url.rsplit('/').next().and_then(|s| s.parse().ok()).unwrap_or(0);
        Some(json!({"@context": [format!("https://contexts.example/{}", n + 1)]}).to_string().into_bytes())
    };
    let doc = json!({"@context": ["https://contexts.example/0"], "@id": "https://e.example/s"});
    assert!(matches!(canonical_nquads(&doc, &chain), Err(CanonError::TooComplex(_))));
}

/// RDFC-1.0's worst case: many blank nodes that all look alike (a clique). Refused as too
/// complex within the call limit, quickly, rather than running for hours.
#[test]
fn poison_graphs_are_refused_quickly() {
    let n = 40;
    let nodes: Vec<Value> = (0..n)
        .map(|i| {
            let links: Vec<Value> = (0..n).filter(|j| *j != i).map(|j| json!({"@id": format!("_:n{j}")})).collect();
            json!({"@id": format!("_:n{i}"), "https://e.example/p": links})
        })
        .collect();
    let doc = json!({"@context": {}, "@graph": nodes});
    let started = std::time::Instant::now();
    let result = canonical_nquads(&doc, &NoResources);
    assert!(matches!(result, Err(CanonError::TooComplex(_))), "{result:?}");
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
}

/// Mutated fixture bytes (bit flips, cuts, byte swaps, spliced values) through the whole
/// check: every run returns, none panics, each within a bound.
#[test]
fn mutated_fixtures_never_panic() {
    let seeds: Vec<Vec<u8>> = [
        "vc/w3c_eddsa_rdfc_2022_signed.json",
        "vc/ob3_dcc_eddsa_rdfc_didkey_valid.json",
        "vc/ob3_dcc_ed25519sig2020_didkey_valid.json",
        "openbadges3/ob3_dcc_revoked_expired_two_proofs.json",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let k = key(9);
    let list = bytes(&status_list(&k, &[0u8; 16 * 1024], "revocation"));
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let splices: [&[u8]; 8] =
        [b"null", b"[]", b"{}", b"1e999", b"-0", b"\"z\"", b"\"did:key:z6Mk\"", b"99999999999999999999999"];
    let resources = |url: &str| (url.contains("status")).then(|| list.clone());
    let started = std::time::Instant::now();
    let mut runs = 0;
    for round in 0..120 {
        let seed = &seeds[round % seeds.len()];
        let mut bytes = seed.clone();
        for _ in 0..=(next() % 4) {
            let at = (next() as usize) % bytes.len().max(1);
            match next() % 4 {
                0 => bytes[at] ^= 1 << (next() % 8),
                1 => bytes.truncate(at),
                2 => {
                    let s = splices[(next() as usize) % splices.len()];
                    let end = (at + (next() as usize % 12)).min(bytes.len());
                    bytes.splice(at..end, s.iter().copied());
                }
                _ => {
                    let other = (next() as usize) % bytes.len().max(1);
                    bytes.swap(at, other);
                }
            }
            if bytes.is_empty() {
                break;
            }
        }
        let one = std::time::Instant::now();
        let _ = verify_credential(&bytes, &Check::new(NOW, &resources).with_email("a@b.c"));
        assert!(one.elapsed().as_secs() < 10, "round {round} took {:?}", one.elapsed());
        runs += 1;
    }
    assert_eq!(runs, 120);
    assert!(started.elapsed().as_secs() < 120);
}

#[test]
fn reports_serialise() {
    let report = verify(&fixture("vc/ob3_dcc_eddsa_rdfc_didkey_valid.json"), &NoResources);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["proofs"][0]["outcome"]["kind"], "valid");
    assert_eq!(json["proofs"][0]["suite"], "eddsa-rdfc-2022");
    assert_eq!(json["proofs"][0]["key_source"]["kind"], "did_key");
    assert_eq!(json["proofs"][0]["signer"]["kind"], "issuer");
}

/// The DCC's two-proof, revoked, expired credential with its real DID document and status
/// list handed in (as the network layer will): both proofs verify, the list says revoked.
#[test]
fn dcc_revoked_expired_with_its_did_document_and_status_list() {
    let did_url = "https://digitalcredentials.github.io/vc-test-fixtures/dids/legacy/did.json";
    let list_url = "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj";
    let resources: HashMap<String, Vec<u8>> = [
        (did_url.to_owned(), include_bytes!("testdata/dcc_legacy_did.json").to_vec()),
        (list_url.to_owned(), include_bytes!("testdata/dcc_status_e5WK8CbZ1GjycuPombrj.json").to_vec()),
    ]
    .into();
    let report = verify(&fixture("openbadges3/ob3_dcc_revoked_expired_two_proofs.json"), &resources);
    assert_eq!(report.proofs.len(), 2);
    for p in &report.proofs {
        assert_eq!(p.outcome, ProofOutcome::Valid, "{p}");
        assert_eq!(p.signer, Signer::Issuer);
    }
    assert_eq!(report.proofs[0].suite, Some(Suite::EddsaRdfc2022));
    assert_eq!(report.proofs[1].suite, Some(Suite::Ed25519Signature2020));
    assert!(report.signature_verified());
    assert_eq!(report.validity.outcome, ValidityOutcome::Expired);
    let status = &report.status[0];
    assert_eq!(status.outcome, StatusOutcome::Revoked, "{status}");
    assert_eq!(status.index, Some(8));
    assert!(!status.same_issuer);
    assert_eq!(status.list_proofs[0].outcome, ProofOutcome::Valid);
    assert!(report.needs.is_empty(), "{:?}", report.needs);
    // The subject has a name and no identity.
    let report = verify_credential(
        &fixture("openbadges3/ob3_dcc_revoked_expired_two_proofs.json"),
        &Check::new(NOW, &resources).with_email("sam@example.org"),
    )
    .unwrap();
    assert_eq!(report.subject.outcome, IdentityOutcome::NoEmailIdentity);
}

/// The 1EdTech files' issuers are https profiles that cannot be fetched (example.com…). Given
/// profiles made up here listing the key their verification method's fragment names, the
/// signatures verify: certfolio's canonical form of those credentials (including
/// complete.json, with nested endorsements and every optional field) is the one 1EdTech signed.
#[test]
fn one_edtech_files_verify_against_a_profile_listing_their_key() {
    for file in ["ob3_simple_eddsa.json", "ob3_vc1_simple.json", "ob3_endorsement.json", "ob3_complete.json"] {
        let bytes = fixture(&format!("openbadges3/{file}"));
        let doc = object(&bytes);
        let proof = match &doc["proof"] {
            Value::Array(items) => items[0].clone(),
            one => one.clone(),
        };
        let vm = proof["verificationMethod"].as_str().unwrap().to_owned();
        let (profile_url, fragment) = vm.split_once('#').unwrap();
        let profile = json!({
            "id": profile_url,
            "verificationMethod": [{"id": vm, "type": "Multikey", "controller": profile_url, "publicKeyMultibase": fragment}],
            "assertionMethod": [vm],
        });
        let resources: HashMap<String, Vec<u8>> =
            [(profile_url.to_owned(), serde_json::to_vec(&profile).unwrap())].into();
        let report = verify(&bytes, &resources);
        assert_eq!(report.proofs[0].outcome, ProofOutcome::Valid, "{file}: {}", report.proofs[0]);
        assert_eq!(report.proofs[0].key_source, Some(KeySource::ControllerDocument { url: profile_url.to_owned() }));
    }
}

/// Every bundled context goes through json-ld's context processing (credentials v1 and
/// security v2 carry `"@version": 1.1`, a JSON number that must reach it as written).
#[test]
fn every_bundled_context_processes() {
    for (url, _) in BUNDLED_CONTEXTS {
        let doc = json!({"@context": [url], "@id": "https://e.example/s"});
        if let Err(e) = canonical_nquads(&doc, &NoResources) {
            panic!("{url}: {e}");
        }
    }
}

// --- More W3C vc-di-eddsa vectors (src/proof/testdata/vc-di-eddsa) ------------------------

fn vector(name: &str) -> String {
    let path = format!("{}/src/proof/testdata/vc-di-eddsa/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn w3c_eddsa_jcs_2022_vector_byte_for_byte() {
    let unsigned: Value = serde_json::from_slice(&fixture("vc/w3c_eddsa_unsigned.json")).unwrap();
    let canon_doc = jcs_canonicalize(&unsigned);
    assert_eq!(canon_doc, vector("eddsa-jcs-2022_canonDocJCS.txt"));
    let signed = object(vector("eddsa-jcs-2022_signedJCS.json").as_bytes());
    let mut config = signed["proof"].as_object().unwrap().clone();
    config.remove("proofValue");
    let canon_config = jcs_canonicalize(&Value::Object(config.clone()));
    assert_eq!(canon_config, vector("eddsa-jcs-2022_proofCanonJCS.txt"));
    let combined = [Sha256::digest(canon_config.as_bytes()), Sha256::digest(canon_doc.as_bytes())].concat();
    assert_eq!(hex(&combined), vector("eddsa-jcs-2022_combinedHashJCS.txt").trim());
    assert_eq!(suites::signing_input(Suite::EddsaJcs2022, unsigned.as_object().unwrap(), &config).unwrap(), combined);
    assert_eq!(hex(&w3c_secret_key().sign(&combined).to_bytes()), vector("eddsa-jcs-2022_sigHexJCS.txt").trim());
    let report = verify(vector("eddsa-jcs-2022_signedJCS.json").as_bytes(), &NoResources);
    assert_eq!((report.proofs[0].suite, &report.proofs[0].outcome), (Some(Suite::EddsaJcs2022), &ProofOutcome::Valid));
}

#[test]
fn w3c_ed25519signature2020_intermediates_byte_for_byte() {
    let mut doc = object(&fixture("vc/w3c_ed25519signature2020_signed.json"));
    let mut config = doc.remove("proof").and_then(|p| p.as_object().cloned()).unwrap();
    config.remove("proofValue");
    assert_eq!(
        canonical_nquads(&Value::Object(doc.clone()), &NoResources).unwrap(),
        vector("Ed25519Signature2020_canonDocEdSig.txt")
    );
    let mut with_context = config.clone();
    with_context.insert("@context".into(), doc["@context"].clone());
    assert_eq!(
        canonical_nquads(&Value::Object(with_context), &NoResources).unwrap(),
        vector("Ed25519Signature2020_proofCanonEdSig.txt")
    );
    let input = suites::signing_input(Suite::Ed25519Signature2020, &doc, &config).unwrap();
    assert_eq!(hex(&input), vector("Ed25519Signature2020_combinedHashEdSig.txt").trim());
}

#[test]
fn w3c_proof_sets_and_chains() {
    for (file, count) in [("proof-set-chain_signedProofSet2.json", 2), ("proof-set-chain_signedProofChain2.json", 4)] {
        let report = verify(vector(file).as_bytes(), &NoResources);
        assert_eq!(report.proofs.len(), count, "{file}");
        for p in &report.proofs {
            assert_eq!(p.outcome, ProofOutcome::Valid, "{file}: {p}");
        }
    }
    // A chained proof whose predecessor is gone no longer verifies.
    let mut chain = object(vector("proof-set-chain_signedProofChain2.json").as_bytes());
    chain["proof"].as_array_mut().unwrap().remove(0);
    let report = verify(&bytes(&chain), &NoResources);
    assert!(
        matches!(&report.proofs[1].outcome, ProofOutcome::Rejected { reason } if reason.contains("previousProof")),
        "{}",
        report.proofs[1]
    );
}

#[test]
fn a_real_credential_with_an_unbundled_context_names_it() {
    let report = verify(vector("eddsa-rdfc-2022_employ_signedDataInt.json").as_bytes(), &NoResources);
    let url = "https://w3id.org/citizenship/v4rc1";
    assert_eq!(
        report.proofs[0].outcome,
        ProofOutcome::NotCheckable { reason: NotCheckable::ContextUnavailable { url: url.into() } }
    );
    assert_eq!(report.needs, vec![Needed { kind: NeedKind::Context, url: url.into() }]);
}

/// StatusList2021 in VCDM 1.1 form (credentials/v1, issuanceDate, Ed25519Signature2020), with
/// the list written without the multibase `u`, as that specification had it.
#[test]
fn status_list_2021_in_vcdm_1_1() {
    let k = key(10);
    let did = did_key(&k);
    let v1 = json!([
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/vc/status-list/2021/v1",
        "https://w3id.org/security/suites/ed25519-2020/v1"
    ]);
    let mut bits = vec![0u8; 16 * 1024];
    bits[1] = 0b0010_0000; // index 10
    let encoded = status::encode_list(&bits);
    let list = match json!({
        "@context": v1,
        "id": LIST_URL,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": did,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": format!("{LIST_URL}#list"), "type": "StatusList2021",
                              "statusPurpose": "revocation", "encodedList": &encoded[1..]}
    }) {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let list = sign(list, Suite::Ed25519Signature2020, &k, &format!("{did}#{}", &did[8..]));
    let resources: HashMap<String, Vec<u8>> = [(LIST_URL.to_owned(), bytes(&list))].into();
    let credential = |index: u64| {
        let doc = match json!({
            "@context": v1,
            "id": "urn:uuid:6f1c7e0a-3d7b-4a59-a9b2-5c1f9d0e2b44",
            "type": ["VerifiableCredential"],
            "issuer": did,
            "issuanceDate": "2026-01-01T00:00:00Z",
            "expirationDate": "2030-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner"},
            "credentialStatus": {"id": format!("{LIST_URL}#{index}"), "type": "StatusList2021Entry",
                                 "statusPurpose": "revocation", "statusListIndex": index.to_string(),
                                 "statusListCredential": LIST_URL}
        }) {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        bytes(&sign(doc, Suite::Ed25519Signature2020, &k, &format!("{did}#{}", &did[8..])))
    };
    let revoked = verify(&credential(10), &resources);
    assert!(revoked.signature_verified(), "{}", revoked.proofs[0]);
    assert_eq!(revoked.validity.outcome, ValidityOutcome::Current);
    assert_eq!(revoked.status[0].outcome, StatusOutcome::Revoked, "{}", revoked.status[0]);
    assert!(revoked.status[0].same_issuer);
    assert_eq!(verify(&credential(11), &resources).status[0].outcome, StatusOutcome::NotSet);
}

/// A CLR-like credential holding many credentials, each with its own `@context`: every
/// `@context` is a context load, and sixty of them stay well within the limits.
#[test]
fn many_nested_credentials_with_their_own_contexts() {
    let k = key(11);
    let did = did_key(&k);
    let mut doc = badge(&did);
    let nested: Vec<Value> = (0..60)
        .map(|i| {
            let mut inner = badge(&did);
            inner.insert("id".into(), json!(format!("urn:uuid:00000000-0000-4000-8000-{i:012}")));
            Value::Object(inner)
        })
        .collect();
    doc["credentialSubject"]["achievement"]["endorsement"] = Value::Array(nested);
    let started = std::time::Instant::now();
    let report = verify(&bytes(&sign(doc, Suite::EddsaRdfc2022, &k, &did)), &NoResources);
    assert!(report.signature_verified(), "{}", report.proofs[0]);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
