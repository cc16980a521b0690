//! Open Badges through `POST /api/v1/import`: every real fixture of
//! ../shared/fixtures/real/openbadges{2,3}, badges signed here with keys made in the test and a
//! trust file in the test's data folder, baked PNG and SVG images, hostile files, and the
//! levels surviving export → import without ever being taken from the document.

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use certfolio::interop::jws::{self, SigningKey};
use certfolio::interop::png;
use serde_json::{Value, json};

use crate::helpers::{Auth, START, TestApp, TestResponse, import_raw as upload, real};

/// The learner the test badges are issued to (their `recipient`).
const LEARNER: &str = "camille@example.org";

/// Runs certfolio's checks of every queued proof (what the verification job does in `serve`).
/// Test services are offline: what needs an issuer's server is "not checked: offline".
async fn run_checks(app: &TestApp) {
    certfolio::verify::run_due(&app.state).await.unwrap();
}

async fn course(app: &TestApp, token: &str, title: &str) -> Value {
    let list = app.get("/api/v1/courses", token).await.json();
    list["courses"].as_array().unwrap().iter().find(|c| c["title"] == title).cloned().unwrap_or_else(|| {
        panic!("no course {title} in {list}");
    })
}

fn message(r: &TestResponse) -> String {
    r.json()["error"]["message"].as_str().unwrap_or("").to_owned()
}

const UNIVERSITY: &str = "https://badges.example.edu/issuer";
const ACADEMY: &str = "https://academy.example.org/issuer";

fn ed_key(seed: u8) -> SigningKey {
    SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[seed; 32]))
}

fn ec_key(seed: u8) -> SigningKey {
    SigningKey::P256(p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap())
}

/// A service whose data folder trusts the university (Ed25519) and the academy (P-256).
fn trusting_app() -> TestApp {
    let trust = json!({"issuers": [
        {"name": "Example University", "id": UNIVERSITY, "jwk": ed_key(1).public_jwk()},
        {"name": "Example Academy", "id": ACADEMY, "jwk": ec_key(2).public_jwk()},
    ]});
    TestApp::with_config(|c| {
        std::fs::write(c.data_dir.join("trusted-issuers.json"), trust.to_string()).unwrap();
    })
}

/// An Open Badges 2.0 assertion with its badge class and issuer embedded.
fn ob2(name: &str, issuer: &str, extra: Value) -> Value {
    let mut a = json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": format!("urn:uuid:{}", name.len()),
        "recipient": {"type": "email", "hashed": false, "identity": "camille@example.org"},
        "issuedOn": "2026-03-14T10:00:00Z",
        "badge": {
            "type": "BadgeClass", "id": "urn:uuid:badge", "name": name,
            "description": "Earned by finishing every module.",
            "criteria": {"narrative": "Finish the course."},
            "issuer": {"type": "Profile", "id": issuer, "name": "Example University"}
        },
        "verification": {"type": "signed", "creator": format!("{issuer}#key-1")}
    });
    for (k, v) in extra.as_object().unwrap() {
        a[k] = v.clone();
    }
    a
}

/// An Open Badges 3.0 VC-JWT claims set.
fn ob3_claims(name: &str, issuer: &str, extra: Value) -> Value {
    let mut vc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example Academy"},
        "validFrom": "2025-09-01T00:00:00Z",
        "name": format!("{name} credential"),
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "https://academy.example.org/achievements/1", "type": ["Achievement"], "name": name,
            "description": "Project management fundamentals.", "criteria": {"narrative": "Pass the exam."}
        }}
    });
    for (k, v) in extra.as_object().unwrap() {
        vc[k] = v.clone();
    }
    json!({"vc": vc, "iss": issuer, "nbf": 1_756_684_800, "jti": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002"})
}

fn sign(alg: &str, claims: &Value, key: &SigningKey) -> String {
    jws::sign(&json!({"alg": alg, "typ": "JWT"}), claims.to_string().as_bytes(), key)
}

/// The same token with its payload replaced (the signature kept).
fn with_payload(token: &str, payload: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(payload.to_string()), parts[2])
}

/// The same token with one character of its signature changed.
fn flip_signature(token: &str) -> String {
    let at = token.rfind('.').unwrap() + 3;
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

enum Expect {
    /// title, institution, issued_on, assurance, badge status
    Imports(&'static str, Option<&'static str>, &'static str, &'static str, &'static str),
    /// the error's field (or ""), and what its message says
    Refused(&'static str, &'static str),
}

/// Every Open Badges fixture, by name: what it imports as, or the reason it is refused
/// (fixtures/real/SOURCES.md: the NEGATIVE files, and badges whose class or data is only a URL,
/// which certfolio never fetches).
#[tokio::test]
async fn each_real_open_badges_fixture_imports_or_is_refused_for_its_reason() {
    use Expect::{Imports, Refused};
    let url_only = "badge class given by URL only";
    let table: &[(&str, Expect)] = &[
        (
            "openbadges2/assertion_embedded_badgeclass_endorsements.json",
            Imports("Awesome Robotics Badge", None, "2016-12-31", "badge_data", "valid"),
        ),
        (
            "openbadges2/assertion_embedded_badgeclass_issuer_badgr.json",
            Imports("Embedded badgeclass", Some("Basic Issuer"), "2017-06-29", "badge_data", "valid"),
        ),
        ("openbadges2/assertion_hosted.json", Refused("badge", url_only)),
        ("openbadges2/assertion_signed.jws", Refused("badge", url_only)),
        ("openbadges2/bad_png_unbaked_bakery.png", Refused("PNG", "holds no Open Badges data")),
        ("openbadges2/bad_svg_invalid_json_bakery.svg", Refused("SVG <openbadges:assertion>", "not valid JSON")),
        ("openbadges2/bad_svg_malformed_json_badgr.svg", Refused("SVG <openbadges:assertion>", "not valid JSON")),
        ("openbadges2/badgeclass.json", Refused("type", "badge class")),
        ("openbadges2/baked_ob2_json_itxt.png", Refused("PNG chunk `openbadges`, badge", url_only)),
        ("openbadges2/baked_ob2_json_itxt_heart.png", Refused("PNG chunk `openbadges`, badge", url_only)),
        (
            "openbadges2/baked_svg_assertion_bakery.svg",
            Refused("SVG <openbadges:assertion>, badge", "only a verification URL"),
        ),
        ("openbadges2/issuer.json", Refused("type", "issuer profile")),
        (
            "openbadges2/legacy_ob05_assertion.json",
            Imports("Basic McBadge", Some("Basic Issuer"), "2011-12-31", "badge_data", "valid"),
        ),
        ("openbadges2/legacy_ob1_assertion.json", Refused("badge", url_only)),
        ("openbadges2/legacy_ob1_badgeclass.json", Refused("type", "badge class")),
        ("openbadges2/legacy_ob1_baked_itxt_badgr.png", Refused("PNG chunk `openbadges`, badge", url_only)),
        ("openbadges2/legacy_ob1_baked_text_url.png", Refused("PNG chunk `openbadges`", "only a URL")),
        ("openbadges2/legacy_ob1_issuer.json", Refused("", "unrecognised format")),
        (
            "openbadges3/ob3_baked_json.svg",
            Imports("Teamwork", Some("Example Corp"), "2010-01-01", "badge_data", "valid"),
        ),
        (
            "openbadges3/ob3_baked_json_itxt.png",
            Imports("Teamwork", Some("Example Corp"), "2010-01-01", "badge_data", "valid"),
        ),
        // Signed RS256 with a key in the JWS header: the signature checks, but nothing says whose
        // key it is, so the data is imported unverified.
        (
            "openbadges3/ob3_baked_jwt.svg",
            Imports("Teamwork", Some("Example Corp"), "2010-01-01", "badge_data", "valid"),
        ),
        (
            "openbadges3/ob3_baked_jwt_itxt.png",
            Imports("Teamwork", Some("Example Corp"), "2010-01-01", "badge_data", "valid"),
        ),
        (
            "openbadges3/ob3_complete.json",
            Imports("1EdTech University Degree", Some("1EdTech University"), "2010-01-01", "badge_data", "valid"),
        ),
        (
            "openbadges3/ob3_dcc_revoked_expired_two_proofs.json",
            Imports("Bachelors - v2 - revoked", Some("Example Corp"), "2010-01-01", "badge_data", "expired"),
        ),
        ("openbadges3/ob3_endorsement.json", Refused("type", "EndorsementCredential")),
        (
            "openbadges3/ob3_simple_eddsa.json",
            Imports("Teamwork", Some("Example Corp"), "2010-01-01", "badge_data", "valid"),
        ),
        (
            "openbadges3/ob3_simple_vcjwt.jwt",
            Imports("Example University Degree", Some("Example University"), "2010-01-01", "badge_data", "valid"),
        ),
        (
            "openbadges3/ob3_velocity_network.jwt",
            Imports("Velocity Network Board Member 2022", None, "2022-12-31", "badge_data", "valid"),
        ),
        (
            "openbadges3/ob3_vc1_simple.json",
            Imports("Teamwork", Some("Example Corp"), "2010-01-01", "badge_data", "valid"),
        ),
    ];
    let app = TestApp::new();
    let token = app.learner("badges@example.org").await;
    for (file, expect) in table {
        let before = app.course_count(&token).await;
        let r = upload(&app, &token, "application/octet-stream", real(file)).await;
        match expect {
            Imports(title, institution, date, level, status) => {
                assert_eq!(r.status, StatusCode::CREATED, "{file}: {}", r.text());
                let c = course(&app, &token, title).await;
                assert_eq!(c["institution"].as_str(), *institution, "{file}: {c}");
                assert_eq!(c["attestation"]["issued_on"], *date, "{file}");
                assert_eq!(c["finished_on"], *date, "{file}");
                assert_eq!(c["attestation"]["kind"], "badge", "{file}");
                assert_eq!(c["assurance"], *level, "{file}: {c}");
                assert_eq!(c["badge_check"]["status"], *status, "{file}: {c}");
                assert!(c["attestation"]["badge"]["payload"].as_str().is_some_and(|p| !p.is_empty()), "{file}");
            }
            Refused(field, reason) => {
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{file}: {}", r.text());
                assert_eq!(r.error_field(), *field, "{file}: {}", r.text());
                assert!(message(&r).contains(reason), "{file}: {}", r.text());
                assert_eq!(app.course_count(&token).await, before, "{file}: nothing stored");
            }
        }
    }
    // Every file of both folders is in the table.
    for dir in ["openbadges2", "openbadges3"] {
        for entry in std::fs::read_dir(format!("{}/../shared/fixtures/real/{dir}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        {
            let name = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(table.iter().any(|(f, _)| *f == name), "{name} is not in the table");
        }
    }
}

#[tokio::test]
async fn badges_signed_by_a_trusted_key_are_verified_and_altered_ones_refused() {
    let app = trusting_app();
    let token = app.learner(LEARNER).await;

    // OB 2.0 signed assertion (EdDSA) and OB 3.0 VC-JWT (ES256), each by its trusted issuer.
    let assertion = ob2("Data Science Foundations", UNIVERSITY, json!({}));
    let jws_ob2 = sign("EdDSA", &assertion, &ed_key(1));
    let r = upload(&app, &token, "application/jwt", jws_ob2.clone().into_bytes()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // Until certfolio has checked it (the recipient included), a signed badge is badge data.
    assert_eq!(course(&app, &token, "Data Science Foundations").await["assurance"], "badge_data");
    run_checks(&app).await;
    let c = course(&app, &token, "Data Science Foundations").await;
    assert_eq!(c["assurance"], "known_issuer", "{c}");
    let check = &c["checks"][0];
    assert_eq!(check["code"], "verified", "{c}");
    assert!(
        check["text"].as_str().unwrap().starts_with(
            "Signature verified by certfolio with the key the operator trusts for Example University; issued to this account’s email"
        ),
        "{check}"
    );
    assert_eq!(check["source"], "the operator’s trust file");
    assert_eq!(check["checked_on"], "checked on 15 January 2027");
    assert_eq!(c["badge_check"]["verified_by"], "Example University");
    assert_eq!(c["badge_check"]["format"], "ob2");
    assert_eq!(c["institution"], "Example University");
    assert_eq!(c["attestation"]["issued_on"], "2026-03-14");
    assert_eq!(c["notes"], "Earned by finishing every module.");

    let claims = ob3_claims("Project Management", ACADEMY, json!({}));
    let vc_jwt = sign("ES256", &claims, &ec_key(2));
    let r = upload(&app, &token, "text/plain", vc_jwt.clone().into_bytes()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    let c = course(&app, &token, "Project Management").await;
    assert_eq!(c["assurance"], "known_issuer", "{c}");
    assert_eq!(
        (&c["badge_check"]["verified_by"], &c["badge_check"]["format"]),
        (&json!("Example Academy"), &json!("ob3"))
    );
    assert_eq!(c["attestation"]["issued_on"], "2025-09-01");

    // Altered: a changed payload under the old signature, or a changed signature.
    let count = app.course_count(&token).await;
    let forged = with_payload(&jws_ob2, &ob2("Quantum Physics PhD", UNIVERSITY, json!({})));
    for altered in [forged, flip_signature(&jws_ob2), flip_signature(&vc_jwt)] {
        let r = upload(&app, &token, "application/jwt", altered.into_bytes()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.error_field(), "signature", "{}", r.text());
        assert!(message(&r).contains("signature does not match the badge data"), "{}", r.text());
    }
    // Claiming a trusted issuer but signed by another key: refused too.
    let r = upload(&app, &token, "application/jwt", sign("EdDSA", &assertion, &ed_key(9)).into_bytes()).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::UNPROCESSABLE_ENTITY, "signature".to_owned()), "{}", r.text());
    assert_eq!(app.course_count(&token).await, count, "nothing stored");

    // Signed by a key the trust file does not list, for an issuer it does not list: imported,
    // not verified.
    let stranger = ob2("Stranger Badge", "https://elsewhere.example.net/issuer", json!({}));
    let r = upload(&app, &token, "application/jwt", sign("EdDSA", &stranger, &ed_key(9)).into_bytes()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    let c = course(&app, &token, "Stranger Badge").await;
    assert_eq!(c["assurance"], "badge_data");
    assert!(c["badge_check"].get("verified_by").is_none());
    // Its key would have to be fetched, and this service is offline: it says so.
    assert_eq!(c["checks"][0]["code"], "not_checked", "{c}");
    assert!(
        c["checks"][0]["text"]
            .as_str()
            .unwrap()
            .contains("the signing key at elsewhere.example.net (certfolio runs offline)"),
        "{c}"
    );

    // R38: the recruiter's page and the PDF name each level honestly.
    let r = app.post("/api/v1/shares", &token, &json!({"framing": "appetite", "lang": "en"})).await;
    let url = r.json()["url"].as_str().unwrap().to_owned();
    let html = app.call(Method::GET, &format!("/s/{}", url.rsplit('/').next().unwrap()), Auth::None, None).await.text();
    assert_eq!(html.matches("level known_issuer").count(), 2, "{html}");
    assert_eq!(html.matches("level badge_data").count(), 1, "{html}");
    assert!(html.contains("Known issuer") && html.contains("Badge data imported"));
    assert!(html.contains("This service runs offline"), "the trust note says what was not checked: {html}");
    let pdf = app.get("/api/v1/portfolio.pdf?framing=appetite&lang=en", &token).await;
    let path = app.dir.path().join("levels.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    let text = crate::pdf::flat(&crate::pdf::text_of(&path));
    assert_eq!(text.matches("Level of proof: Known issuer").count(), 2, "{text}");
    assert_eq!(text.matches("Level of proof: Badge data imported").count(), 1, "{text}");
    assert_eq!(text.matches("Signature verified by certfolio with the key the operator trusts").count(), 2, "{text}");
}

#[tokio::test]
async fn expired_and_revoked_badges_are_marked_and_not_counted_as_verified() {
    let app = trusting_app();
    let token = app.learner(LEARNER).await;
    let expired = ob2("Old Certification", UNIVERSITY, json!({"expires": "2026-12-31T00:00:00Z"}));
    let revoked = ob2("Withdrawn Badge", UNIVERSITY, json!({"revoked": true, "revocationReason": "issued in error"}));
    let later = ob2("Expires Later", UNIVERSITY, json!({"expires": "2027-01-15T12:00:00Z"}));
    let vc_expired = ob3_claims("Expired Credential", ACADEMY, json!({"validUntil": "2026-06-30T00:00:00Z"}));
    for token_text in [
        sign("EdDSA", &expired, &ed_key(1)),
        sign("EdDSA", &revoked, &ed_key(1)),
        sign("EdDSA", &later, &ed_key(1)),
        sign("ES256", &vc_expired, &ec_key(2)),
    ] {
        let r = upload(&app, &token, "application/jwt", token_text.into_bytes()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    run_checks(&app).await;
    // The test clock is START (2027-01-15T08:00Z).
    let c = course(&app, &token, "Old Certification").await;
    assert_eq!((&c["assurance"], &c["badge_check"]["status"]), (&json!("badge_data"), &json!("expired")), "{c}");
    let c = course(&app, &token, "Expired Credential").await;
    assert_eq!((&c["assurance"], &c["badge_check"]["status"]), (&json!("badge_data"), &json!("expired")), "{c}");
    let c = course(&app, &token, "Withdrawn Badge").await;
    assert_eq!((&c["assurance"], &c["badge_check"]["status"]), (&json!("self_declared"), &json!("revoked")), "{c}");
    let c = course(&app, &token, "Expires Later").await;
    assert_eq!((&c["assurance"], &c["badge_check"]["status"]), (&json!("known_issuer"), &json!("valid")));

    // The recruiter's page says so, before and after the clock passes the later expiry (a
    // cached page must not outlive it).
    let r = app.post("/api/v1/shares", &token, &json!({"framing": "appetite", "lang": "en"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let url = r.json()["url"].as_str().unwrap().to_owned();
    let page_path = format!("/s/{}", url.rsplit('/').next().unwrap());
    let html = app.call(Method::GET, &page_path, Auth::None, None).await.text();
    assert_eq!(html.matches("class=\"mark expired\">expired on ").count(), 2, "{html}");
    assert_eq!(html.matches("badge revoked").count(), 1, "{html}");
    assert_eq!(html.matches("level known_issuer").count(), 1, "{html}");

    // Time passes (START is 08:00 that day): the same stored badge expires at its hour.
    app.state.clock.advance(Duration::from_secs(5 * 3600));
    let c = course(&app, &token, "Expires Later").await;
    assert_eq!((&c["assurance"], &c["badge_check"]["status"]), (&json!("badge_data"), &json!("expired")), "{c}");
    let html = app.call(Method::GET, &page_path, Auth::None, None).await.text();
    assert_eq!(html.matches("class=\"mark expired\">expired on ").count(), 3, "{html}");
    assert_eq!(html.matches("level known_issuer").count(), 0, "{html}");

    let r = app.get("/api/v1/portfolio.pdf?framing=appetite&lang=en", &token).await;
    assert_eq!(r.status, StatusCode::OK);
    let path = app.dir.path().join("badges.pdf");
    std::fs::write(&path, &r.body).unwrap();
    let text = crate::pdf::flat(&crate::pdf::text_of(&path));
    assert!(text.contains("expired on 31 December 2026") && text.contains("badge revoked"), "{text}");
}

#[tokio::test]
async fn baked_png_and_svg_badges_are_checked_like_the_files_they_carry() {
    let app = trusting_app();
    let token = app.learner(LEARNER).await;
    let jws_ob2 = sign("EdDSA", &ob2("Baked Robotics", UNIVERSITY, json!({})), &ed_key(1));
    let r = upload(&app, &token, "image/png", png::baked(400, 400, "openbadges", &jws_ob2)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    assert_eq!(course(&app, &token, "Baked Robotics").await["assurance"], "known_issuer");

    let vc_jwt = sign("ES256", &ob3_claims("Baked Credential", ACADEMY, json!({})), &ec_key(2));
    let r = upload(&app, &token, "image/png", png::baked(400, 400, "openbadgecredential", &vc_jwt)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    assert_eq!(course(&app, &token, "Baked Credential").await["assurance"], "known_issuer");

    let svg = format!(
        r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="{}"></openbadges:credential><circle r="4"/></svg>"#,
        sign("ES256", &ob3_claims("Baked SVG Credential", ACADEMY, json!({})), &ec_key(2))
    );
    let r = upload(&app, &token, "image/svg+xml", svg.into_bytes()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    assert_eq!(course(&app, &token, "Baked SVG Credential").await["assurance"], "known_issuer");

    // Altered inside the image: refused, naming the chunk and the signature.
    let r = upload(&app, &token, "image/png", png::baked(400, 400, "openbadges", &flip_signature(&jws_ob2))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.error_field(), "PNG chunk `openbadges`, signature");
    // Signed by a stranger: imported as badge data.
    let stranger = ob2("Baked Stranger", "https://elsewhere.example.net/issuer", json!({}));
    let r =
        upload(&app, &token, "image/png", png::baked(1, 1, "openbadges", &sign("EdDSA", &stranger, &ed_key(5)))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    run_checks(&app).await;
    assert_eq!(course(&app, &token, "Baked Stranger").await["assurance"], "badge_data");
}

#[tokio::test]
async fn hostile_images_and_json_are_refused_quickly_and_cleanly() {
    let app = TestApp::new();
    let token = app.learner("hostile@example.org").await;
    let assertion = ob2("Huge Image Badge", UNIVERSITY, json!({}));

    // 100000×100000 pixels claimed: the badge chunk is read, no pixel is ever decoded.
    let started = Instant::now();
    let r = upload(&app, &token, "image/png", png::baked(100_000, 100_000, "openbadges", &assertion.to_string())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());

    let good = png::baked(10, 10, "openbadges", &assertion.to_string());
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (good[..40].to_vec(), "truncated"),
        (b"\x89PNG\r\n\x1a\n".to_vec(), "truncated"),
        (b"\x89PNG\r\n\x1a\ngarbage garbage garbage".to_vec(), "not a valid PNG chunk"),
        (b"\x89PNG but not really".to_vec(), "PNG signature"),
    ];
    for (bytes, reason) in cases {
        let r = upload(&app, &token, "image/png", bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.error_field().starts_with("PNG"), "{}", r.text());
        assert!(message(&r).contains(reason), "{reason}: {}", r.text());
    }

    // 10 000 levels of nesting: serde_json's recursion limit answers, no stack overflow,
    // whether the JSON is the file, the text of a PNG chunk, or a JWS payload.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!(r#"{{"@context": "https://w3id.org/openbadges/v2", "badge": {deep}}}"#);
    let token_text = format!("eyJhbGciOiJFZERTQSJ9.{}.AAAA", URL_SAFE_NO_PAD.encode(&deep_object));
    for (ct, bytes) in [
        ("application/json", deep_object.clone().into_bytes()),
        ("image/png", png::baked(1, 1, "openbadges", &deep_object)),
        ("application/jwt", token_text.into_bytes()),
    ] {
        let r = upload(&app, &token, ct, bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{ct}: {}", r.text());
        let said = message(&r);
        assert!(said.contains("nested more than 128 levels") || said.contains("recursion limit"), "{ct}: {}", r.text());
        assert!(!said.starts_with(':'), "{ct}: {said}");
    }
    assert_eq!(app.course_count(&token).await, 1);
}

#[tokio::test]
async fn export_then_import_keeps_the_levels_and_a_document_cannot_forge_one() {
    let app = trusting_app();
    let a = app.learner(LEARNER).await;
    let verified = sign("EdDSA", &ob2("Portable Badge", UNIVERSITY, json!({})), &ed_key(1));
    let stranger = sign("EdDSA", &ob2("Stranger Badge", "https://elsewhere.example.net/i", json!({})), &ed_key(8));
    for t in [&verified, &stranger] {
        assert_eq!(upload(&app, &a, "application/jwt", t.clone().into_bytes()).await.status, StatusCode::CREATED);
    }
    run_checks(&app).await;
    assert_eq!(course(&app, &a, "Portable Badge").await["assurance"], "known_issuer");
    assert_eq!(course(&app, &a, "Stranger Badge").await["assurance"], "badge_data");
    let doc = app.get("/api/v1/export", &a).await.json();
    let badge = &doc["courses"][0]["attestation"]["badge"];
    assert_eq!(badge, &json!({"payload": verified}), "the payload travels, the check does not");

    // Into another account: no level comes with the document, and certfolio's own check finds
    // that the badges were issued to someone else (A's email, not B's).
    let b = app.learner("export-b@example.org").await;
    let r = app.post("/api/v1/import", &b, &doc).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(course(&app, &b, "Portable Badge").await["assurance"], "badge_data");
    assert_eq!(course(&app, &b, "Stranger Badge").await["assurance"], "badge_data");
    run_checks(&app).await;
    for title in ["Portable Badge", "Stranger Badge"] {
        let c = course(&app, &b, title).await;
        assert_eq!(c["assurance"], "self_declared", "{title}: {c}");
        assert_eq!(c["checks"][0]["code"], "other_recipient", "{title}: {c}");
    }
    assert_eq!(
        app.get("/api/v1/export", &b).await.json()["courses"],
        doc["courses"],
        "export → import → export is stable"
    );

    // A level written into the document is refused as an unknown field, never believed.
    let mut forged = doc.clone();
    forged["courses"][1]["attestation"]["badge"]["check"] = json!({"verified_by": "Example University"});
    let r = app.post("/api/v1/import", &b, &forged).await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "courses[1].attestation.badge.check".to_owned())
    );
    // An altered payload is refused with the course's path.
    let mut forged = doc.clone();
    forged["courses"][0]["attestation"]["badge"]["payload"] = json!(flip_signature(&verified));
    let r = app.post("/api/v1/import", &b, &forged).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.error_field(), "courses[0].attestation.badge.payload, signature");
    // A retitled course keeps its badge, but the badge no longer vouches for it.
    let mut retitled = doc.clone();
    retitled["courses"][0]["title"] = json!("Quantum Physics PhD");
    let c = app.learner("export-c@example.org").await;
    assert_eq!(app.post("/api/v1/import", &c, &retitled).await.status, StatusCode::CREATED);
    assert_eq!(course(&app, &c, "Quantum Physics PhD").await["assurance"], "self_declared");
    // Through the course API too: a badge pasted into a course is checked like an import.
    let body = json!({"title": "Portable Badge", "attestation": {"kind": "badge", "badge": {"payload": verified}}});
    let r = app.post("/api/v1/courses", &c, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["assurance"], "badge_data", "checked once stored, not before");
    assert_eq!(r.json()["checks"][0]["code"], "queued");

    // Another service that does not trust the university: the same document gives badge data.
    let elsewhere = TestApp::new();
    let d = elsewhere.learner("export-d@example.org").await;
    assert_eq!(elsewhere.post("/api/v1/import", &d, &doc).await.status, StatusCode::CREATED);
    assert_eq!(course(&elsewhere, &d, "Portable Badge").await["assurance"], "badge_data");
}

#[tokio::test]
async fn a_bad_trust_file_stops_the_start_naming_the_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trusted-issuers.json"),
        r#"{"issuers": [{"name": "Good", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}, {"name": "Bad", "jwk": {"kty": "RSA"}}]}"#,
    )
    .unwrap();
    let config = certfolio::config::Config::new(dir.path().to_owned(), "http://127.0.0.1:8080".into());
    let Err(err) = certfolio::AppState::open(config, certfolio::config::Clock::manual(START)) else {
        panic!("a bad trust file must stop the start")
    };
    let text = err.to_string();
    assert!(text.contains("trusted-issuers.json") && text.contains("issuers[1].jwk") && text.contains("`n`"), "{text}");
}

#[tokio::test]
async fn the_command_line_checks_badges_against_the_same_trust_file() {
    let app = trusting_app();
    let token = app.learner(LEARNER).await;
    let file = app.dir.path().join("badge.png");
    std::fs::write(
        &file,
        png::baked(2, 2, "openbadges", &sign("EdDSA", &ob2("CLI Badge", UNIVERSITY, json!({})), &ed_key(1))),
    )
    .unwrap();
    let out = app
        .command()
        .args(["import", file.to_str().unwrap(), "--user", LEARNER, "--data"])
        .arg(app.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Open Badges"));
    // Stored queued; the service's verification job checks it.
    run_checks(&app).await;
    assert_eq!(course(&app, &token, "CLI Badge").await["assurance"], "known_issuer");

    let bad = app.dir.path().join("altered.jws");
    std::fs::write(&bad, flip_signature(&sign("EdDSA", &ob2("CLI Badge", UNIVERSITY, json!({})), &ed_key(1)))).unwrap();
    let out = app
        .command()
        .args(["import", bad.to_str().unwrap(), "--user", LEARNER, "--data"])
        .arg(app.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("altered.jws: signature: the signature does not match"), "{err}");
}

/// R40: the one way out is the guarded fetcher (`src/fetch`, hyper's client on a connection it
/// opens itself): no other HTTP client crate is in the build, so nothing can fetch around it.
#[test]
fn no_http_client_is_in_the_build() {
    let lock = std::fs::read_to_string(format!("{}/Cargo.lock", env!("CARGO_MANIFEST_DIR"))).unwrap();
    for client in ["reqwest", "ureq", "isahc", "attohttpc", "curl", "surf", "hyper-tls", "hyper-rustls"] {
        assert!(!lock.contains(&format!("name = \"{client}\"")), "{client} is in Cargo.lock");
    }
}
