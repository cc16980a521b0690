//! Share links, the recruiter's page, and PDF verification.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp, TestResponse, fixture, fixture_json, multipart};

async fn with_record(app: &TestApp, email: &str) -> String {
    let token = app.learner(email).await;
    let r = app.post("/api/v1/import", &token, &fixture_json("doc24.json")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    token
}

async fn share(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post("/api/v1/shares", token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

fn path_of(created: &Value) -> String {
    let url = created["url"].as_str().unwrap();
    format!("/s/{}", url.rsplit('/').next().unwrap())
}

async fn open(app: &TestApp, path: &str) -> TestResponse {
    app.call(Method::GET, path, Auth::None, None).await
}

#[tokio::test]
async fn a_link_shows_its_framing_in_its_language() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let created = share(&app, &token, json!({"framing": "appetite", "label": "Acme, tech lead"})).await;
    assert_eq!(created["token"].as_str().unwrap().len(), 43);
    assert!(created["url"].as_str().unwrap().ends_with(created["token"].as_str().unwrap()));
    let page = open(&app, &path_of(&created)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<html lang=\"fr\">"), "the learner's language by default");
    assert!(html.contains("Camille Lefèvre"));
    assert!(html.contains("Appétence pour l’autoformation"));
    assert!(html.contains("Attestations obtenues"));

    let en = share(&app, &token, json!({"framing": "appetite", "lang": "en"})).await;
    let html = open(&app, &path_of(&en)).await.text();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Appetite for self-training"));
    assert!(html.contains("Certificates earned"));
    assert!(!html.contains("Attestations obtenues"));
}

#[tokio::test]
async fn a_legitimacy_link_for_one_field_shows_only_that_field() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let doc = fixture_json("doc24.json");
    let created = share(&app, &token, json!({"framing": "legitimacy", "field": "computing", "lang": "en"})).await;
    let html = open(&app, &path_of(&created)).await.text();
    // The heading as the PDF and the API word it (one source: `presentation`).
    assert!(html.contains("Legitimacy in the field “computing”"), "{html}");
    let mut shown = 0;
    for course in doc["courses"].as_array().unwrap() {
        let title = course["title"].as_str().unwrap().replace('\'', "&#39;");
        let certified = course.get("attestation").is_some();
        let present = html.contains(&format!("<h4>{title}</h4>"));
        if course["field"] == "computing" && certified {
            assert!(present, "{title} belongs to the field");
            shown += 1;
        } else if course["field"] != "computing" {
            assert!(!present, "{title} is outside the field");
        }
    }
    assert!(shown > 0);
    let r = app.post("/api/v1/shares", &token, &json!({"framing": "legitimacy", "field": "astrology"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_field(), "field");
}

#[tokio::test]
async fn only_real_gets_count_as_views() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let created = share(&app, &token, json!({"framing": "appetite"})).await;
    let path = path_of(&created);
    for _ in 0..3 {
        assert_eq!(open(&app, &path).await.status, StatusCode::OK);
    }
    for _ in 0..2 {
        assert_eq!(app.call(Method::HEAD, &path, Auth::None, None).await.status, StatusCode::OK);
    }
    let prefetch =
        TestApp::builder(Method::GET, &path, Auth::None).header("sec-purpose", "prefetch").body(Body::empty());
    assert_eq!(app.send(prefetch.unwrap()).await.status, StatusCode::OK);
    let list = app.get("/api/v1/shares", &token).await.json();
    assert_eq!(list["shares"][0]["views"], 3);
    assert!(list["shares"][0]["first_viewed_at"].is_string());
    // Written to the database by the flusher, the count stays the same.
    app.state.db.add_views(app.state.views.take()).await.unwrap();
    let list = app.get("/api/v1/shares", &token).await.json();
    assert_eq!(list["shares"][0]["views"], 3);
}

#[tokio::test]
async fn revoked_expired_and_unknown_links_look_the_same() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let revoked = share(&app, &token, json!({"framing": "appetite"})).await;
    let r = app.delete(&format!("/api/v1/shares/{}", revoked["id"].as_str().unwrap()), &token).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let gone = open(&app, &path_of(&revoked)).await;

    let in_2s = time::OffsetDateTime::from_unix_timestamp(app.state.clock.now() + 2).unwrap();
    let expiring = share(
        &app,
        &token,
        json!({"framing": "appetite", "expires_at": in_2s.format(&time::format_description::well_known::Rfc3339).unwrap()}),
    )
    .await;
    assert_eq!(open(&app, &path_of(&expiring)).await.status, StatusCode::OK);
    app.state.clock.advance(Duration::from_secs(3));
    let expired = open(&app, &path_of(&expiring)).await;

    let random = open(&app, "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    let garbage = open(&app, "/s/not-a-token").await;
    for r in [&gone, &expired, &random, &garbage] {
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.body, gone.body, "no detail tells them apart");
    }
    let list = app.get("/api/v1/shares", &token).await.json();
    let statuses: Vec<&str> =
        list["shares"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["expired", "revoked"]);
}

#[tokio::test]
async fn a_learner_sees_and_revokes_only_their_own_links() {
    let app = TestApp::new();
    let alice = with_record(&app, "alice@example.org").await;
    let bob = app.learner("bob@example.org").await;
    let created = share(&app, &alice, json!({"framing": "appetite"})).await;
    assert_eq!(app.get("/api/v1/shares", &bob).await.json()["count"], 0);
    let r = app.delete(&format!("/api/v1/shares/{}", created["id"].as_str().unwrap()), &bob).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(open(&app, &path_of(&created)).await.status, StatusCode::OK, "still live");
}

#[tokio::test]
async fn learner_text_is_escaped_and_only_http_urls_become_links() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let evil = json!({"title": "<script>alert(1)</script>", "institution": "\"><img src=x onerror=alert(1)>",
                      "attestation": {"kind": "completion", "url": "https://example.org/v?a=1&b=\"2\""}});
    assert_eq!(app.post("/api/v1/courses", &token, &evil).await.status, StatusCode::CREATED);
    let created = share(&app, &token, json!({"framing": "appetite"})).await;
    let html = open(&app, &path_of(&created)).await.text();
    assert!(!html.contains("<script>"), "no live script");
    assert!(html.contains("<h3>&#60;script&#62;alert(1)&#60;/script&#62;</h3>"), "shown as text: {html}");
    assert!(!html.contains("<img"), "no injected element");
    assert!(html.contains("href=\"https://example.org/v?a=1&#38;b=&#34;2&#34;\""), "{html}");
}

/// Every resource the page loads is same-origin (no fonts, scripts or images from elsewhere),
/// and the headers keep the link private.
#[tokio::test]
async fn the_page_loads_nothing_from_elsewhere_and_is_kept_private() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let created = share(&app, &token, json!({"framing": "appetite"})).await;
    let page = open(&app, &path_of(&created)).await;
    let html = page.text();
    let resource = regex::Regex::new(r#"<(link|script|img|iframe|source|video|audio|embed|object)\b[^>]*>"#).unwrap();
    let attr = regex::Regex::new(r#"\b(src|href|data)\s*=\s*"([^"]*)""#).unwrap();
    let mut loaded = 0;
    for tag in resource.find_iter(&html) {
        for cap in attr.captures_iter(tag.as_str()) {
            let url = &cap[2];
            assert!(url.starts_with('/') && !url.starts_with("//"), "third-party resource: {}", tag.as_str());
            loaded += 1;
        }
    }
    assert!(loaded >= 1, "the stylesheet");
    assert!(!html.contains("<script"), "no script needed to read the page");
    assert_eq!(page.header("x-robots-tag"), Some("noindex, nofollow"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("http"), "no other origin allowed: {csp}");
    let robots = open(&app, "/robots.txt").await.text();
    assert!(robots.contains("Disallow: /s/"));
    let css = open(&app, "/static/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(!css.text().contains("url("), "no remote fonts or images in the stylesheet");
}

#[tokio::test]
async fn the_page_says_how_much_of_each_claim_can_be_checked() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    for (title, attestation) in [
        ("Linked", json!({"kind": "completion", "url": "https://www.coursera.org/verify/1"})),
        ("Declared", json!({"kind": "completion"})),
        ("With file", json!({"kind": "achievement"})),
    ] {
        app.post("/api/v1/courses", &token, &json!({"title": title, "attestation": attestation})).await;
    }
    let courses = app.get("/api/v1/courses", &token).await.json();
    let with_file = courses["courses"][2]["id"].as_str().unwrap().to_owned();
    let (content_type, body) = multipart("file", "c.pdf", "application/pdf", &fixture("certificate.pdf"));
    let upload = TestApp::builder(Method::POST, &format!("/api/v1/courses/{with_file}/evidence"), Auth::Bearer(&token))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    let sha = app.send(upload).await.json()["sha256"].as_str().unwrap().to_owned();
    let created = share(&app, &token, json!({"framing": "appetite", "lang": "en"})).await;
    let html = open(&app, &path_of(&created)).await.text().replace('\u{a0}', " ");
    assert!(html.contains("3 claims: 1 with an issuer link, 1 with an evidence file, 1 self-declared"), "{html}");
    assert!(!html.to_lowercase().contains(">verified<"), "nothing is called verified");
    // The known issuer's page is not checked yet (and this service is offline): it says so.
    assert!(html.contains("Issuer page (www.coursera.org): check by certfolio queued"), "{html}");
    assert!(
        html.contains("certfolio has not checked any of these claims itself"),
        "the trust note says what was not checked: {html}"
    );
    assert!(html.contains(&sha), "the evidence's SHA-256 is shown");
    // The evidence file can be downloaded from the page, byte for byte.
    let href = format!("{}/evidence/{with_file}", path_of(&created));
    assert!(html.contains(&href));
    let file = open(&app, &href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_ref(), fixture("certificate.pdf").as_slice());
    // Nothing else is reachable through the link.
    let other = format!("{}/evidence/5a0b7d4e-2f6c-4b8e-9d1a-3c5e7f9a1b2d", path_of(&created));
    assert_eq!(open(&app, &other).await.status, StatusCode::NOT_FOUND);
    // Every answer under the link is kept private, not the page alone: the file, the 404 for
    // what the link does not show, the PDF and the 404 for an unknown token.
    let pdf = format!("{}/portfolio.pdf", path_of(&created));
    for path in [href.as_str(), other.as_str(), pdf.as_str(), "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        let r = open(&app, path).await;
        assert_eq!(r.header("x-robots-tag"), Some("noindex, nofollow"), "{path} ({})", r.status);
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
    }
}

#[tokio::test]
async fn a_pdf_from_the_link_is_recognised_and_a_changed_byte_is_not() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let created = share(&app, &token, json!({"framing": "appetite", "lang": "en"})).await;
    let pdf = open(&app, &format!("{}/portfolio.pdf", path_of(&created))).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    let bytes = pdf.body.to_vec();

    let verify = |bytes: Vec<u8>| {
        let (content_type, body) = multipart("file", "portfolio.pdf", "application/pdf", &bytes);
        TestApp::builder(Method::POST, "/verify", Auth::None)
            .header("content-type", content_type)
            .header("accept", "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let r = app.send(verify(bytes.clone())).await.json();
    assert_eq!(r["recognised"], true, "{r}");
    assert_eq!(r["generated_for"], "Camille Lefèvre");
    assert_eq!(r["framing"], "appetite");
    let code = r["code"].as_str().unwrap().to_owned();
    // The PDF itself carries the code, its verification address, and each claim's level.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &bytes).unwrap();
    let text = crate::pdf::flat(&crate::pdf::text_of(file.path()).replace('\u{a0}', " "));
    assert!(text.contains(&format!("/verify/{code}")), "{text}");
    assert!(text.contains("Verify this portfolio"));
    assert!(text.contains("24 claims:"), "the not-inflated summary");
    // doc24's links are on a host certfolio does not check: the learner's word, with the host.
    assert!(text.contains("Level of proof: Self-declared"), "{text}");
    assert!(text.contains("Link given by the learner (verify.example.org)"), "{text}");
    assert!(!text.contains("Issuer verification link"), "{text}");

    let mut altered = bytes.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    let r = app.send(verify(altered)).await.json();
    assert_eq!(r["recognised"], false);

    // The code printed in the PDF leads to its verification page.
    let page = open(&app, &format!("/verify/{code}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Camille Lefèvre"));
    assert_eq!(open(&app, "/verify/0000-0000-0000").await.status, StatusCode::NOT_FOUND);
    // The HTML form answers in the browser's language.
    let (content_type, body) = multipart("file", "p.pdf", "application/pdf", &bytes);
    let request = TestApp::builder(Method::POST, "/verify", Auth::None)
        .header("content-type", content_type)
        .header("accept-language", "en-GB,en;q=0.9")
        .body(Body::from(body))
        .unwrap();
    let html = app.send(request).await.text();
    assert!(html.contains("Recognised and unaltered"), "{html}");
}

#[tokio::test]
async fn pdfs_from_the_api_are_registered_too() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let pdf = app.get("/api/v1/portfolio.pdf?framing=legitimacy&field=computing", &token).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    let (content_type, body) = multipart("file", "p.pdf", "application/pdf", &pdf.body);
    let request = TestApp::builder(Method::POST, "/verify", Auth::None)
        .header("content-type", content_type)
        .header("accept", "application/json")
        .body(Body::from(body))
        .unwrap();
    let r = app.send(request).await.json();
    assert_eq!(r["recognised"], true);
    assert_eq!(r["framing"], "legitimacy");
}

#[tokio::test]
async fn guessing_tokens_is_throttled_but_valid_links_are_always_served() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let created = share(&app, &token, json!({"framing": "appetite"})).await;
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..80 {
        let r = open(&app, &format!("/s/{:A>43}", i)).await;
        *statuses.entry(r.status.as_u16()).or_insert(0) += 1;
    }
    assert_eq!(statuses.keys().copied().collect::<Vec<_>>(), [404, 429], "{statuses:?}");
    assert_eq!(open(&app, &path_of(&created)).await.status, StatusCode::OK, "the real link still opens");
}

#[tokio::test]
async fn each_claim_is_counted_once_in_the_summary() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let created = share(&app, &token, json!({"framing": "legitimacy", "field": "computing", "lang": "en"})).await;
    let html = open(&app, &path_of(&created)).await.text().replace('\u{a0}', " ");
    let entries = html.matches("<li class=\"entry ").count();
    assert!(html.contains(&format!("{entries} claims:")), "{entries} entries shown");
}

/// Pages are cached by record revision: a change made through the API, on this instance or
/// on another one sharing the database, shows on the next read.
#[tokio::test]
async fn a_changed_record_shows_at_once_on_the_page() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let id = app.post("/api/v1/courses", &token, &json!({"title": "Première version"})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = share(&app, &token, json!({"framing": "appetite"})).await;
    let path = path_of(&created);
    assert!(open(&app, &path).await.text().contains("Première version"));
    assert!(open(&app, &path).await.text().contains("Première version"), "served from the cache");
    app.put(&format!("/api/v1/courses/{id}"), &token, &json!({"title": "Deuxième version"})).await;
    assert!(open(&app, &path).await.text().contains("Deuxième version"));
    let other = TestApp::another_instance(&app);
    let r = other.put(&format!("/api/v1/courses/{id}"), &token, &json!({"title": "Troisième version"})).await;
    assert_eq!(r.status, StatusCode::OK);
    // No waiting: the revision is read with the link on every request.
    assert!(open(&app, &path).await.text().contains("Troisième version"), "another instance's write");
}

#[tokio::test]
async fn the_not_found_page_speaks_the_readers_language() {
    let app = TestApp::new();
    let fr = TestApp::builder(Method::GET, "/s/nothing-here", Auth::None).header("accept-language", "fr-FR,fr;q=0.9");
    let en = TestApp::builder(Method::GET, "/s/nothing-here", Auth::None).header("accept-language", "en-GB,en;q=0.8");
    let fr = app.send(fr.body(Body::empty()).unwrap()).await;
    let en = app.send(en.body(Body::empty()).unwrap()).await;
    assert_eq!((fr.status, en.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert!(fr.text().contains("Lien introuvable"));
    assert!(en.text().contains("Link not found"));
}

/// On PostgreSQL the page's lookups have a connection of their own: when the server drops it
/// (a restart, a failover, an operator's `pg_terminate_backend`), the next view opens another
/// instead of failing, and still sees a revocation made after. (SQLite has no connection to
/// lose; there the test has nothing to do.)
#[tokio::test]
async fn a_page_view_after_the_server_dropped_the_connections_opens_new_ones() {
    let app = TestApp::new();
    let (Some(name), Some(admin)) = (app.pg_database.clone(), crate::helpers::test_database()) else { return };
    let token = with_record(&app, "a@example.org").await;
    let created = share(&app, &token, json!({"framing": "appetite"})).await;
    assert_eq!(open(&app, &path_of(&created)).await.status, StatusCode::OK);
    crate::helpers::pg_admin(
        &admin,
        vec![format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")],
    );
    let again = open(&app, &path_of(&created)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    let r = app.delete(&format!("/api/v1/shares/{}", created["id"].as_str().unwrap()), &token).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(open(&app, &path_of(&created)).await.status, StatusCode::NOT_FOUND);
}
