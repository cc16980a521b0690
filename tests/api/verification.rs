//! certfolio checking proofs itself (issue 13, points 2–6), end to end: import, the
//! verification job, the recruiter's page, the PDF and the API, against a test issuer served
//! over https on loopback under the hosts the badges name (`example.org`, `issuer.test`,
//! `www.coursera.org`), reached only through the resolve setting and trusted only through the
//! CA setting (`crate::issuer`).
//!
//! Every other address these tests name is one the fetcher refuses before any socket exists;
//! "trap" listeners count connections to show that nothing reached them. No name is sent to a
//! DNS resolver.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use certfolio::fetch::{FetchSettings, settings};
use certfolio::interop::jws::{self, SigningKey};
use certfolio::interop::png;
use certfolio::proof::{Suite, encode_base58btc, encode_list, signing_input};
use ed25519_dalek::Signer;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Auth, TestApp, import_raw as upload, real};
use crate::issuer::{Server, ca, serve_app, server_config, trap};

// ---------------------------------------------------------------------------------------------
// The test issuer: documents by host and path, answers that can change during a test.

/// Hosts the test issuer answers for (its certificate names them all).
const HOSTS: &[&str] = &["example.org", "issuer.test", "www.coursera.org", "www.fun-mooc.fr"];

/// A served document: status, content type, body.
type Served = (StatusCode, &'static str, Vec<u8>);

#[derive(Default)]
struct Docs {
    /// `host/path` → what is served there.
    answers: Mutex<HashMap<String, Served>>,
    /// `host/path` → requests seen.
    hits: Mutex<HashMap<String, usize>>,
}

impl Docs {
    fn put(&self, url: &str, status: StatusCode, content_type: &'static str, body: impl Into<Vec<u8>>) {
        let key = url.trim_start_matches("https://").to_owned();
        self.answers.lock().unwrap().insert(key, (status, content_type, body.into()));
    }

    fn json(&self, url: &str, body: &Value) {
        self.put(url, StatusCode::OK, "application/json", serde_json::to_vec(body).unwrap());
    }

    fn hits(&self, url: &str) -> usize {
        self.hits.lock().unwrap().get(url.trim_start_matches("https://")).copied().unwrap_or(0)
    }
}

async fn answer(State(docs): State<Arc<Docs>>, headers: HeaderMap, uri: Uri) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").split(':').next().unwrap_or("");
    let key = format!("{host}{}", uri.path());
    *docs.hits.lock().unwrap().entry(key.clone()).or_default() += 1;
    match docs.answers.lock().unwrap().get(&key).cloned() {
        Some((status, content_type, body)) => (status, [(header::CONTENT_TYPE, content_type)], body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

struct Issuer {
    server: Server,
    docs: Arc<Docs>,
    /// The test CA's certificate, for the `--fetch-ca` setting.
    ca_file: tempfile::NamedTempFile,
}

async fn issuer() -> Issuer {
    let test_ca = ca("certfolio verification test CA");
    let mut ca_file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut ca_file, test_ca.pem().as_bytes()).unwrap();
    let docs = Arc::new(Docs::default());
    let app = Router::new().fallback(answer).with_state(docs.clone());
    let server = serve_app(Some(server_config(&test_ca, HOSTS)), app).await;
    Issuer { server, docs, ca_file }
}

impl Issuer {
    /// Outbound settings that reach this issuer for each of [`HOSTS`], and nothing else.
    fn settings(&self) -> FetchSettings {
        let mut s =
            FetchSettings { extra_roots: settings::load_ca(self.ca_file.path()).unwrap(), ..Default::default() };
        for host in HOSTS {
            s.resolve.insert(((*host).to_owned(), 443), self.server.addr);
        }
        s
    }

    /// A service (online) that reaches this issuer.
    fn app(&self) -> TestApp {
        let s = self.settings();
        TestApp::with_config(move |c| c.fetch = s)
    }
}

/// A new session: a week of test time outlives the last one.
async fn sign_in_again(app: &TestApp, email: &str) -> String {
    let r = app.login(email, crate::helpers::PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["token"].as_str().unwrap().to_owned()
}

/// What the verification job does in `serve`.
async fn run_checks(app: &TestApp) -> certfolio::verify::RunReport {
    certfolio::verify::run_due(&app.state).await.unwrap()
}

async fn course(app: &TestApp, token: &str, title: &str) -> Value {
    let list = app.get("/api/v1/courses", token).await.json();
    list["courses"].as_array().unwrap().iter().find(|c| c["title"] == title).cloned().unwrap_or_else(|| {
        panic!("no course {title} in {list}");
    })
}

/// The recruiter's page of a new appetite link, in English, with no-break spaces as spaces.
async fn recruiter_page(app: &TestApp, token: &str) -> String {
    let r = app.post("/api/v1/shares", token, &json!({"framing": "appetite", "lang": "en"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let url = r.json()["url"].as_str().unwrap().to_owned();
    let path = format!("/s/{}", url.rsplit('/').next().unwrap());
    app.call(Method::GET, &path, Auth::None, None).await.text().replace('\u{a0}', " ").replace("&#x27;", "'")
}

/// The learner's appetite PDF, as text (lines joined).
async fn pdf_text(app: &TestApp, token: &str, lang: &str) -> String {
    let r = app.get(&format!("/api/v1/portfolio.pdf?framing=appetite&lang={lang}"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let path = app.dir.path().join(format!("portfolio-{lang}.pdf"));
    std::fs::write(&path, &r.body).unwrap();
    crate::pdf::flat(&crate::pdf::text_of(&path).replace('\u{a0}', " "))
}

// ---------------------------------------------------------------------------------------------
// Open Badges 2.0, hosted: the real linked fixtures, served where their ids say.

/// The address the OB 2.0 specification's example assertion was issued to (its salted hash,
/// `sha256$ecf5409f…` with salt `deadsea`, is of this address).
const SPEC_RECIPIENT: &str = "nobody@example.org";
const ASSERTION: &str = "https://example.org/beths-robotics-badge.json";

fn serve_linked_fixtures(docs: &Docs) {
    docs.put(ASSERTION, StatusCode::OK, "application/ld+json", real("openbadges2/assertion_hosted.json"));
    docs.put(
        "https://example.org/robotics-badge.json",
        StatusCode::OK,
        "application/json",
        real("openbadges2/badgeclass.json"),
    );
    docs.put(
        "https://example.org/organization.json",
        StatusCode::OK,
        "application/json",
        real("openbadges2/issuer.json"),
    );
}

#[tokio::test]
async fn a_baked_ob2_png_with_its_badge_class_by_url_imports_and_is_checked() {
    let issuer = issuer().await;
    serve_linked_fixtures(&issuer.docs);
    let app = issuer.app();
    let token = app.learner(SPEC_RECIPIENT).await;

    // The baked PNG holds the assertion; its badge class and issuer are only URLs, fetched at
    // import to read the badge (the course's title and institution).
    let r = upload(&app, &token, "image/png", real("openbadges2/baked_ob2_json_itxt.png")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let c = course(&app, &token, "Awesome Robotics Badge").await;
    assert_eq!(c["institution"], "An Example Badge Issuer", "{c}");
    assert_eq!(c["assurance"], "badge_data", "not checked yet: {c}");
    assert_eq!(c["checks"][0]["code"], "queued");
    assert_eq!(issuer.docs.hits(ASSERTION), 0, "import fetches only what it needs to read the badge");

    let report = run_checks(&app).await;
    assert_eq!(report.ran, 1, "{report:?}");
    let c = course(&app, &token, "Awesome Robotics Badge").await;
    assert_eq!(c["assurance"], "issuer_confirmed", "{c}");
    let check = &c["checks"][0];
    assert_eq!(check["code"], "confirmed", "{c}");
    assert_eq!(
        check["text"],
        "Confirmed by the issuer’s server: example.org serves the same assertion; issued to this account’s email"
    );
    assert_eq!(
        (check["source"].as_str(), check["checked_on"].as_str()),
        (Some("example.org"), Some("checked on 15 January 2027"))
    );
    assert_eq!(issuer.docs.hits(ASSERTION), 1);

    // The recruiter reads what was checked, against what, and when.
    let html = recruiter_page(&app, &token).await;
    assert!(html.contains("level issuer_confirmed"), "{html}");
    assert!(html.contains("Confirmed by the issuer’s server: example.org serves the same assertion"), "{html}");
    assert!(html.contains("(checked on 15 January 2027)"), "{html}");
    assert!(html.contains("certfolio checked 1 of these claims itself"), "{html}");
    let text = pdf_text(&app, &token, "en").await;
    assert!(text.contains("Level of proof: Confirmed by the issuer"), "{text}");
    assert!(text.contains("example.org serves the same assertion"), "{text}");
}

#[tokio::test]
async fn the_same_assertion_answering_410_gone_is_revoked() {
    let issuer = issuer().await;
    serve_linked_fixtures(&issuer.docs);
    issuer.docs.put(ASSERTION, StatusCode::GONE, "application/json", r#"{"revoked": true}"#);
    let app = issuer.app();
    let token = app.learner(SPEC_RECIPIENT).await;
    let r = upload(&app, &token, "image/png", real("openbadges2/baked_ob2_json_itxt.png")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    let c = course(&app, &token, "Awesome Robotics Badge").await;
    assert_eq!(c["assurance"], "self_declared", "a revoked badge vouches for nothing: {c}");
    assert_eq!(c["checks"][0]["code"], "revoked");
    assert_eq!(
        c["checks"][0]["text"],
        "Revoked by the issuer (example.org answers 410 Gone); issued to this account’s email"
    );
    let html = recruiter_page(&app, &token).await;
    assert!(html.contains("class=\"mark badge_revoked\">revoked since 15 January 2027"), "{html}");
    assert!(html.contains("Revoked by the issuer (example.org answers 410 Gone)"), "{html}");
    assert!(!html.contains("level issuer_confirmed"), "{html}");
}

#[tokio::test]
async fn a_badge_hashed_for_another_email_is_issued_to_someone_else() {
    let issuer = issuer().await;
    serve_linked_fixtures(&issuer.docs);
    let app = issuer.app();
    let token = app.learner(SPEC_RECIPIENT).await;
    // The "heart" copy names another recipient hash (the issuer's copy is the same one: its
    // server confirms it), so it is someone else's badge.
    let mut theirs: Value = serde_json::from_slice(&real("openbadges2/assertion_hosted.json")).unwrap();
    theirs["recipient"]["identity"] = json!("sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5");
    issuer.docs.json(ASSERTION, &theirs);
    let r = upload(&app, &token, "image/png", real("openbadges2/baked_ob2_json_itxt_heart.png")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    let c = course(&app, &token, "Awesome Robotics Badge").await;
    assert_eq!(c["assurance"], "self_declared", "never counted as verified: {c}");
    assert_eq!(c["checks"][0]["code"], "other_recipient");
    let html = recruiter_page(&app, &token).await;
    assert!(html.contains("class=\"mark other_recipient\">issued to someone else"), "{html}");
    assert!(html.contains("Issued to someone else: the badge names another email than this account’s"), "{html}");
    let text = pdf_text(&app, &token, "en").await;
    assert!(text.contains("issued to someone else"), "{text}");
}

#[tokio::test]
async fn the_issuer_s_copy_differing_from_the_held_one_is_not_confirmed() {
    let issuer = issuer().await;
    serve_linked_fixtures(&issuer.docs);
    let mut theirs: Value = serde_json::from_slice(&real("openbadges2/assertion_hosted.json")).unwrap();
    theirs["issuedOn"] = json!("2015-01-01T00:00:00Z");
    issuer.docs.json(ASSERTION, &theirs);
    let app = issuer.app();
    let token = app.learner(SPEC_RECIPIENT).await;
    upload(&app, &token, "image/png", real("openbadges2/baked_ob2_json_itxt.png")).await;
    run_checks(&app).await;
    let c = course(&app, &token, "Awesome Robotics Badge").await;
    assert_eq!(
        (c["assurance"].as_str(), c["checks"][0]["code"].as_str()),
        (Some("self_declared"), Some("mismatch")),
        "{c}"
    );
}

// ---------------------------------------------------------------------------------------------
// Open Badges 3.0 with Data Integrity proofs, signed here by did:web:issuer.test, with status
// lists served by the test issuer.

const DID: &str = "did:web:issuer.test";
const VM: &str = "did:web:issuer.test#key-1";

fn did_key_of(key: &ed25519_dalek::SigningKey) -> String {
    encode_base58btc(&[&[0xed, 0x01][..], key.verifying_key().as_bytes()].concat())
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// Adds an eddsa-rdfc-2022 proof by `vm` to `document`.
fn sign_di(mut document: Map<String, Value>, key: &ed25519_dalek::SigningKey, vm: &str) -> Map<String, Value> {
    let config = object(json!({
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-06-01T00:00:00Z",
        "verificationMethod": vm, "proofPurpose": "assertionMethod"
    }));
    let input = signing_input(Suite::EddsaRdfc2022, &document, &config).unwrap();
    let mut proof = config;
    proof.insert("proofValue".into(), json!(encode_base58btc(&key.sign(&input).to_bytes())));
    document.insert("proof".into(), Value::Object(proof));
    document
}

fn did_document(key: &ed25519_dalek::SigningKey) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [{"id": VM, "type": "Multikey", "controller": DID, "publicKeyMultibase": did_key_of(key)}],
        "assertionMethod": [VM]
    })
}

fn status_list(key: &ed25519_dalek::SigningKey, url: &str, revoked: &[u64]) -> Map<String, Value> {
    let mut bits = vec![0u8; 16 * 1024];
    for i in revoked {
        bits[(*i / 8) as usize] |= 0x80 >> (*i % 8);
    }
    let doc = object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": DID,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": format!("{url}#list"), "type": "BitstringStatusList",
                              "statusPurpose": "revocation", "encodedList": encode_list(&bits)}
    }));
    sign_di(doc, key, VM)
}

/// An OpenBadgeCredential for `email`, issued by did:web:issuer.test, with its status at
/// `index` of the list at `list`.
fn credential(key: &ed25519_dalek::SigningKey, name: &str, email: &str, list: &str, index: u64) -> Vec<u8> {
    let doc = object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": format!("urn:uuid:00000000-0000-4000-8000-{index:012}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": DID, "type": ["Profile"], "name": "Test University"},
        "validFrom": "2026-06-01T00:00:00Z",
        "name": format!("{name} credential"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": false, "identityHash": email}],
            "achievement": {"id": format!("https://issuer.test/achievements/{index}"), "type": ["Achievement"],
                            "name": name, "criteria": {"narrative": "Pass the exam."}, "description": "A course."}
        },
        "credentialStatus": {
            "id": format!("{list}#{index}"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": index.to_string(), "statusListCredential": list
        }
    }));
    serde_json::to_vec(&sign_di(doc, key, VM)).unwrap()
}

const LIST: &str = "https://issuer.test/status/1";
const TAMPERED_LIST: &str = "https://issuer.test/status/2";

#[tokio::test]
async fn credentials_with_status_lists_revoked_valid_and_a_tampered_list_refused() {
    let issuer = issuer().await;
    let key = ed25519_dalek::SigningKey::from_bytes(&[42; 32]);
    issuer.docs.put(
        "https://issuer.test/.well-known/did.json",
        StatusCode::OK,
        "application/did+json",
        serde_json::to_vec(&did_document(&key)).unwrap(),
    );
    issuer.docs.json(LIST, &Value::Object(status_list(&key, LIST, &[7])));
    // A list whose bit 9 was cleared after signing: its proof fails, its bit is never believed.
    let mut tampered = status_list(&key, TAMPERED_LIST, &[9]);
    tampered["credentialSubject"]["encodedList"] = json!(encode_list(&vec![0u8; 16 * 1024]));
    issuer.docs.json(TAMPERED_LIST, &Value::Object(tampered));

    let app = issuer.app();
    let email = "camille@example.org";
    let token = app.learner(email).await;
    for (name, list, index) in
        [("Revoked Course", LIST, 7), ("Valid Course", LIST, 8), ("Tampered List Course", TAMPERED_LIST, 9)]
    {
        let r = upload(&app, &token, "application/json", credential(&key, name, email, list, index)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text());
    }
    run_checks(&app).await;

    let c = course(&app, &token, "Revoked Course").await;
    assert_eq!(
        (c["assurance"].as_str(), c["checks"][0]["code"].as_str()),
        (Some("self_declared"), Some("revoked")),
        "{c}"
    );
    let c = course(&app, &token, "Valid Course").await;
    assert_eq!(c["assurance"], "signature_verified", "{c}");
    assert_eq!(
        c["checks"][0]["text"],
        "Signature verified by certfolio: signed by did:web:issuer.test, key fetched from issuer.test; \
         not revoked (status list at issuer.test); issued to this account’s email"
    );
    assert_eq!(c["checks"][0]["source"], "issuer.test");
    let c = course(&app, &token, "Tampered List Course").await;
    assert_eq!(c["assurance"], "signature_verified", "the credential's own signature holds: {c}");
    let text = c["checks"][0]["text"].as_str().unwrap();
    assert!(text.contains("status list at issuer.test refused (its eddsa-rdfc-2022 proof"), "{text}");
    assert!(text.contains("signature does not match"), "{text}");

    let html = recruiter_page(&app, &token).await;
    assert!(html.contains("Revoked by the issuer"), "{html}");
    assert!(html.contains("class=\"mark badge_revoked\">revoked since 15 January 2027"), "{html}");
    assert!(html.contains("key fetched from issuer.test; not revoked (status list at issuer.test)"), "{html}");
    assert!(html.contains("class=\"mark status_unknown\">revocation status unknown"), "{html}");
    assert_eq!(html.matches("level signature_verified").count(), 2, "{html}");
    let text = pdf_text(&app, &token, "en").await;
    assert!(text.contains("revocation status unknown") && text.contains("revoked since 15 January 2027"), "{text}");
    // In French too.
    let fr = pdf_text(&app, &token, "fr").await;
    assert!(
        fr.contains("Signature vérifiée par certfolio : signé par did:web:issuer.test, clé obtenue de issuer.test"),
        "{fr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Addresses the fetcher refuses: named by a badge's id, badge class, key or status list.

fn ob2_hosted(id: &str, name: &str, email: &str) -> Value {
    json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": id,
        "recipient": {"type": "email", "hashed": false, "identity": email},
        "issuedOn": "2026-03-14T10:00:00Z", "verification": {"type": "hosted"},
        "badge": {"type": "BadgeClass", "id": "urn:uuid:class", "name": name, "criteria": {"narrative": "n"},
                  "issuer": {"type": "Profile", "id": "https://issuer.test/issuer", "name": "Test University"}}
    })
}

#[tokio::test]
async fn badges_naming_internal_addresses_are_not_checked_and_nothing_is_contacted() {
    let issuer = issuer().await;
    let trap = trap().await;
    let port = trap.addr.port();
    let app = issuer.app();
    let email = "camille@example.org";
    let token = app.learner(email).await;

    // The hosted assertion's id.
    for (n, host) in [(1, format!("127.0.0.1:{port}")), (2, format!("localhost:{port}"))] {
        let badge = ob2_hosted(&format!("https://{host}/assertion.json"), &format!("Internal Id {n}"), email);
        let r = upload(&app, &token, "application/json", serde_json::to_vec(&badge).unwrap()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    // A signed badge whose key (verification.creator) is on a private address.
    let signer = SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[5; 32]));
    let mut signed = ob2_hosted("urn:uuid:signed", "Private Key Badge", email);
    signed["verification"] = json!({"type": "signed", "creator": "https://10.0.0.1/key.json"});
    let jws = jws::sign(&json!({"alg": "EdDSA"}), signed.to_string().as_bytes(), &signer);
    assert_eq!(upload(&app, &token, "application/jwt", jws.into_bytes()).await.status, StatusCode::CREATED);
    // A credential whose status list is at the cloud metadata address (signed by a did:key:
    // nothing else to fetch).
    let key = ed25519_dalek::SigningKey::from_bytes(&[6; 32]);
    let did = format!("did:key:{}", did_key_of(&key));
    let mut vc: Value = serde_json::from_slice(&credential(
        &key,
        "Metadata List Course",
        email,
        "https://169.254.169.254/latest/status",
        3,
    ))
    .unwrap();
    vc["issuer"]["id"] = json!(did);
    vc.as_object_mut().unwrap().remove("proof");
    let vc = sign_di(object(vc), &key, &did);
    assert_eq!(
        upload(&app, &token, "application/json", serde_json::to_vec(&vc).unwrap()).await.status,
        StatusCode::CREATED
    );
    // A badge class at [::1], carried by a portfolio document (a file naming it could not be
    // read at import: its class is fetched to be read, and refused).
    issuer.docs.json("https://issuer.test/assertions/v6", &json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://issuer.test/assertions/v6",
        "recipient": {"type": "email", "hashed": false, "identity": email}, "issuedOn": "2026-03-14T10:00:00Z",
        "verification": {"type": "hosted"}, "badge": format!("https://[::1]:{port}/class.json")
    }));
    let by_url = json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://issuer.test/assertions/v6",
        "recipient": {"type": "email", "hashed": false, "identity": email}, "issuedOn": "2026-03-14T10:00:00Z",
        "verification": {"type": "hosted"}, "badge": format!("https://[::1]:{port}/class.json")
    });
    let r = upload(&app, &token, "application/json", serde_json::to_vec(&by_url).unwrap()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("is a loopback address; certfolio fetches only from public addresses"), "{}", r.text());
    let doc = json!({"certfolio": 1, "learner": {"name": "Camille Lefèvre"}, "courses": [
        {"title": "Loopback Class Badge", "attestation": {"kind": "badge", "badge": {"payload": by_url.to_string()}}}
    ]});
    let r = app.post("/api/v1/import", &token, &doc).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // The document replaced the profile; the earlier courses stay.
    run_checks(&app).await;

    let refused = |title: &str, addr: &str| {
        let app = &app;
        let token = token.clone();
        let title = title.to_owned();
        let addr = addr.to_owned();
        async move {
            let c = course(app, &token, &title).await;
            let text = c["checks"][0]["text"].as_str().unwrap_or_default().to_owned();
            assert!(
                text.contains(&format!("refused address {addr} (certfolio reaches public addresses only)")),
                "{title}: {c}"
            );
            assert!(text.contains("not checked") || text.starts_with("Not checked"), "{title}: {text}");
            c
        }
    };
    let c = refused("Internal Id 1", "127.0.0.1").await;
    assert_eq!((c["assurance"].as_str(), c["checks"][0]["code"].as_str()), (Some("badge_data"), Some("not_checked")));
    refused("Internal Id 2", "127.0.0.1").await;
    let c = refused("Private Key Badge", "10.0.0.1").await;
    assert!(c["checks"][0]["text"].as_str().unwrap().starts_with("Not checked: the signing key at 10.0.0.1"), "{c}");
    let c = refused("Metadata List Course", "169.254.169.254").await;
    assert_eq!(c["assurance"], "signature_verified", "its did:key signature needs nothing fetched: {c}");
    assert!(
        c["checks"][0]["text"].as_str().unwrap().contains("status list not checked (refused address 169.254.169.254")
    );
    let c = refused("Loopback Class Badge", "::1").await;
    assert!(c["checks"][0]["text"].as_str().unwrap().contains("not checked: the badge class at [::1]"), "{c}");
    assert_eq!(issuer.docs.hits("https://issuer.test/assertions/v6"), 1, "the public part was fetched");
    assert_eq!(trap.connections(), 0, "a refused address was contacted");
}

// ---------------------------------------------------------------------------------------------
// Known issuers' pages, and links on other hosts.

#[tokio::test]
async fn known_issuer_pages_are_checked_and_other_links_are_the_learner_s() {
    let issuer = issuer().await;
    let trap = trap().await;
    let mut s = issuer.settings();
    // A link on a host certfolio does not know is never fetched: its host leads to a trap.
    s.resolve.insert(("verify.example.net".into(), 443), trap.addr);
    let app = TestApp::with_config(move |c| c.fetch = s);
    let token = app.learner("alex@example.org").await;
    app.put("/api/v1/me", &token, &json!({"name": "Alex Martin"})).await;
    let page = |body: &str| format!("<!doctype html><html><body><h1>{body}</h1></body></html>");
    issuer.docs.put(
        "https://www.coursera.org/verify/ML1",
        StatusCode::OK,
        "text/html; charset=utf-8",
        page("Machine Learning for Everyone — completed by Alex&nbsp;Martin"),
    );
    issuer.docs.put(
        "https://www.coursera.org/verify/OTHER",
        StatusCode::OK,
        "text/html",
        page("Completed by Someone Else"),
    );
    for (title, url) in [
        ("Machine Learning for Everyone", "https://www.coursera.org/verify/ML1"),
        ("Statistics with R", "https://www.coursera.org/verify/OTHER"),
        ("Gestion de projet", "https://www.fun-mooc.fr/fr/verify/gone"),
        ("Homemade Certificate", "https://verify.example.net/cert/1"),
    ] {
        let r = app
            .post(
                "/api/v1/courses",
                &token,
                &json!({"title": title, "attestation": {"kind": "completion", "url": url}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let report = run_checks(&app).await;
    assert_eq!(report.ran, 3, "three known pages, no fetch for the other host: {report:?}");
    let c = course(&app, &token, "Machine Learning for Everyone").await;
    assert_eq!(c["assurance"], "issuer_page_checked", "{c}");
    assert_eq!(
        c["checks"][0]["text"],
        "Issuer page checked by certfolio: www.coursera.org answers and names Alex Martin and the course"
    );
    let c = course(&app, &token, "Statistics with R").await;
    assert_eq!(
        (c["assurance"].as_str(), c["checks"][0]["code"].as_str()),
        (Some("self_declared"), Some("page_unconfirmed"))
    );
    let c = course(&app, &token, "Gestion de projet").await;
    assert_eq!(
        (c["assurance"].as_str(), c["checks"][0]["code"].as_str()),
        (Some("self_declared"), Some("link_broken"))
    );
    assert_eq!(c["checks"][0]["text"], "Link broken since 15 January 2027: www.fun-mooc.fr, the server answered 404");
    let c = course(&app, &token, "Homemade Certificate").await;
    assert_eq!(c["assurance"], "self_declared");
    assert_eq!(
        c["checks"][0]["text"],
        "Link given by the learner (verify.example.net): certfolio does not check pages of this host"
    );
    assert_eq!(trap.connections(), 0);

    let html = recruiter_page(&app, &token).await;
    assert!(html.contains("class=\"mark link_broken\">link broken since 15 January 2027"), "{html}");
    assert!(html.contains("Link given by the learner (verify.example.net)"), "{html}");
    assert!(html.contains("level issuer_page_checked"), "{html}");
    let text = pdf_text(&app, &token, "en").await;
    assert!(text.contains("Level of proof: Issuer page checked"), "{text}");
    assert!(text.contains("Link given by the learner (verify.example.net)"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Offline: only what the files prove, and the page says which checks were not made.

#[tokio::test]
async fn offline_checks_only_what_the_files_prove_and_says_what_was_not_made() {
    let app = TestApp::new();
    assert!(app.state.fetcher.is_offline());
    let token = app.learner(SPEC_RECIPIENT).await;
    // A badge whose class is only a URL cannot even be read offline.
    let r = upload(&app, &token, "image/png", real("openbadges2/baked_ob2_json_itxt.png")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("certfolio could not fetch it (not checked: certfolio runs offline)"), "{}", r.text());
    // The same assertion with its class embedded, and a did:key credential whose proof needs
    // nothing fetched.
    let r =
        upload(&app, &token, "application/json", real("openbadges2/assertion_embedded_badgeclass_endorsements.json"))
            .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = upload(&app, &token, "application/json", real("vc/ob3_dcc_eddsa_rdfc_didkey_valid.json")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    let c = course(&app, &token, "Awesome Robotics Badge").await;
    assert_eq!(c["assurance"], "badge_data", "{c}");
    assert!(
        c["checks"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Not checked: the hosted assertion at example.org (certfolio runs offline)"),
        "{c}"
    );
    let dcc = course(&app, &token, "Teamwork").await;
    assert_eq!(dcc["assurance"], "signature_verified", "a did:key proof is checked offline: {dcc}");
    let html = recruiter_page(&app, &token).await;
    assert!(
        html.contains("This service runs offline: certfolio checked only what the files themselves prove; 1 check that needs the issuers’ servers was not made."),
        "{html}"
    );
}

// ---------------------------------------------------------------------------------------------
// Re-checks: the schedule, changes shown to the learner, "check now", idempotent runs, budgets.

#[tokio::test]
async fn a_weekly_recheck_finds_a_revocation_and_tells_the_learner() {
    let issuer = issuer().await;
    serve_linked_fixtures(&issuer.docs);
    let app = issuer.app();
    let token = app.learner(SPEC_RECIPIENT).await;
    upload(&app, &token, "image/png", real("openbadges2/baked_ob2_json_itxt.png")).await;
    assert_eq!(run_checks(&app).await.ran, 1);
    assert_eq!(run_checks(&app).await.ran, 0, "nothing is due again before the re-check age");

    // The issuer revokes it; a week later the job checks again.
    issuer.docs.put(ASSERTION, StatusCode::GONE, "application/json", "{}");
    app.state.clock.advance(Duration::from_secs(6 * 24 * 3600));
    assert_eq!(run_checks(&app).await.ran, 0);
    app.state.clock.advance(Duration::from_secs(24 * 3600 + 1));
    let report = run_checks(&app).await;
    assert_eq!((report.ran, report.changed), (1, 1), "{report:?}");
    assert_eq!(issuer.docs.hits(ASSERTION), 2);
    let token = sign_in_again(&app, SPEC_RECIPIENT).await;

    let checks = app.get("/api/v1/checks", &token).await.json();
    let change = &checks["changes"][0];
    assert_eq!(
        (change["from"].as_str(), change["to"].as_str(), change["alarm"].as_bool()),
        (Some("confirmed"), Some("revoked"), Some(true)),
        "{checks}"
    );
    assert_eq!(change["at"], "2027-01-22T08:00:01Z");
    assert_eq!(checks["courses"][0]["checks"][0]["code"], "revoked");
    let dashboard = crate::pages::page(&app, "/dashboard", Some(&token)).await.text();
    assert!(dashboard.contains("Checks by certfolio"), "{dashboard}");
    assert!(dashboard.contains("revoked (badge), on 22 January 2027"), "{dashboard}");
}

#[tokio::test]
async fn check_now_is_rate_limited_and_runs_are_idempotent_under_a_budget() {
    let issuer = issuer().await;
    for n in 1..=3 {
        issuer.docs.put(
            &format!("https://www.coursera.org/verify/{n}"),
            StatusCode::OK,
            "text/html",
            format!("<p>Course {n} — Camille Lefèvre</p>"),
        );
    }
    let s = issuer.settings();
    let app = TestApp::with_config(move |c| {
        c.fetch = s;
        c.verify.checks_per_hour = 2;
    });
    let token = app.learner("camille@example.org").await;
    for n in 1..=3 {
        let body = json!({"title": format!("Course {n}"), "attestation": {"url": format!("https://www.coursera.org/verify/{n}")}});
        assert_eq!(app.post("/api/v1/courses", &token, &body).await.status, StatusCode::CREATED);
    }
    // Two passes at once (two processes would do the same): each check runs once, and the
    // learner's budget of 2 an hour holds the third back.
    let (a, b) = tokio::join!(run_checks(&app), run_checks(&app));
    assert_eq!(a.ran + b.ran, 2, "{a:?} {b:?}");
    let fetched: usize = (1..=3).map(|n| issuer.docs.hits(&format!("https://www.coursera.org/verify/{n}"))).sum();
    assert_eq!(fetched, 2);
    let checks = app.get("/api/v1/checks", &token).await.json();
    assert_eq!(checks["courses"].as_array().unwrap().iter().filter(|c| c["queued"] == true).count(), 1, "{checks}");
    // An hour later the budget allows the rest.
    app.state.clock.advance(Duration::from_secs(3601));
    assert_eq!(run_checks(&app).await.ran, 1);

    // "Check now": once, then 429 until its time has passed.
    app.state.clock.advance(Duration::from_secs(3601));
    let r = app.post("/api/v1/checks", &token, &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!((r.json()["queued"].as_u64(), r.json()["finished"].as_bool()), (Some(3), Some(true)));
    let fetched: usize = (1..=3).map(|n| issuer.docs.hits(&format!("https://www.coursera.org/verify/{n}"))).sum();
    assert_eq!(fetched, 5, "within the budget: two more now, the third later");
    let again = app.post("/api/v1/checks", &token, &json!({})).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS, "{}", again.text());
    assert!(again.header("retry-after").is_some());
    // From the dashboard, the same rate: back to the dashboard, saying so.
    let r = crate::pages::form(&app, "/dashboard/check-now", Some(&token), &[]).await;
    assert_eq!(r.header("location"), Some("/dashboard?checks=wait"));
    let page = crate::pages::page(&app, "/dashboard?checks=wait", Some(&token)).await.text();
    assert!(page.contains("You asked for a check a moment ago"), "{page}");
}

#[tokio::test]
async fn a_share_page_read_after_the_age_moves_its_checks_forward_and_never_waits() {
    let issuer = issuer().await;
    issuer.docs.put(
        "https://www.coursera.org/verify/1",
        StatusCode::OK,
        "text/html",
        "<p>Course 1 — Camille Lefèvre</p>",
    );
    let app = issuer.app();
    let token = app.learner("camille@example.org").await;
    let body = json!({"title": "Course 1", "attestation": {"url": "https://www.coursera.org/verify/1"}});
    app.post("/api/v1/courses", &token, &body).await;
    run_checks(&app).await;
    app.state.clock.advance(Duration::from_secs(8 * 24 * 3600));
    let token = sign_in_again(&app, "camille@example.org").await;
    // The page shows the stored result; it fetches nothing itself.
    let html = recruiter_page(&app, &token).await;
    assert!(html.contains("(checked on 15 January 2027)"), "{html}");
    assert_eq!(issuer.docs.hits("https://www.coursera.org/verify/1"), 1);
    // …and its stale check went to the front of the queue.
    let mut due = i64::MAX;
    for _ in 0..100 {
        due = app.sql_value::<i64>("SELECT due_at FROM proof_checks").await;
        if due == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(due, 0);
}

#[test]
fn the_payload_hash_names_the_subject_of_a_badge_check() {
    // What storage keys a badge check on: the payload's SHA-256, so that a changed payload is a
    // new check. (Guards the migration's and the domain's agreement.)
    let payload = r#"{"a":1}"#;
    let hex: String = Sha256::digest(payload.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(certfolio::domain::check::badge_subject(payload), hex);
    let _ = png::baked(1, 1, "openbadges", payload);
}

#[tokio::test]
async fn the_check_job_runs_on_one_instance_and_check_now_is_counted_for_all() {
    // Two instances on one database and store (issue 14): the verification job runs where its
    // lease is held; "check now" asked on the other queues the checks for the holder and is
    // counted against the same budget wherever it is asked next.
    let issuer = issuer().await;
    issuer.docs.put(
        "https://www.coursera.org/verify/1",
        StatusCode::OK,
        "text/html",
        "<p>Course 1 — Camille Lefèvre</p>".to_owned(),
    );
    let a = issuer.app();
    let b = TestApp::another_instance(&a);
    let token = a.learner("camille@example.org").await;
    let body = json!({"title": "Course 1", "attestation": {"url": "https://www.coursera.org/verify/1"}});
    assert_eq!(a.post("/api/v1/courses", &token, &body).await.status, StatusCode::CREATED);
    let wall = time::OffsetDateTime::now_utc().unix_timestamp();
    let job = certfolio::verify::JOB;
    let lease = certfolio::verify::JOB_LEASE_SECS;
    assert!(b.state.db.claim(job, &b.state.instance, wall, lease).await.unwrap(), "B takes the job");
    assert!(!a.state.db.claim(job, &a.state.instance, wall, lease).await.unwrap(), "A cannot while B holds it");
    assert!(b.state.db.claim(job, &b.state.instance, wall, lease).await.unwrap(), "B renews its own lease");

    let r = a.post("/api/v1/checks", &token, &json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "still to run: {}", r.text());
    assert_eq!((r.json()["queued"].as_u64(), r.json()["finished"].as_bool()), (Some(1), Some(false)));
    assert_eq!(issuer.docs.hits("https://www.coursera.org/verify/1"), 0, "A ran nothing itself");
    // The holder's next pass takes the checks A queued.
    assert_eq!(run_checks(&b).await.ran, 1);
    assert_eq!(issuer.docs.hits("https://www.coursera.org/verify/1"), 1);
    let checks = a.get("/api/v1/checks", &token).await.json();
    assert_eq!(checks["courses"][0]["queued"], false, "{checks}");
    // The rate of "check now" is the database's: asked again on B, too soon.
    let again = b.post("/api/v1/checks", &token, &json!({})).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS, "{}", again.text());
}
