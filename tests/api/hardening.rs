//! Defects a black-box probe found (issue 10), each with the test that would have caught it:
//! issued PDFs registered once per content, a saturated PDF route that sheds load quietly,
//! security headers.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp, fixture_json};

async fn with_record(app: &TestApp, email: &str) -> String {
    let token = app.learner(email).await;
    let r = app.post("/api/v1/import", &token, &fixture_json("doc24.json")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    token
}

async fn link(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post("/api/v1/shares", token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    format!("/s/{}", r.json()["token"].as_str().unwrap())
}

async fn pdf_rows(app: &TestApp) -> i64 {
    app.count("generated_pdfs").await
}

fn get(path: &str) -> Request<Body> {
    Request::builder().uri(path).body(Body::empty()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_links_pdf_is_registered_once_while_its_content_is_unchanged() {
    let app = TestApp::new();
    let token = with_record(&app, "a@example.org").await;
    let path = format!("{}/portfolio.pdf", link(&app, &token, json!({"framing": "appetite"})).await);
    // Many readers at once, then one after another: one render, one registration, one file.
    let answers = app.send_all((0..40).map(|_| get(&path)).collect()).await;
    assert!(
        answers.iter().all(|r| r.status == StatusCode::OK),
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for _ in 0..10 {
        answers.iter().for_each(|r| assert_eq!(r.body, answers[0].body, "the same bytes for everyone"));
        assert_eq!(app.send(get(&path)).await.body, answers[0].body);
    }
    assert_eq!(pdf_rows(&app).await, 1);

    // After a restart (nothing cached in memory) the registered PDF is found again.
    let again = TestApp::reopen(&app);
    assert_eq!(again.send(get(&path)).await.body, answers[0].body);
    assert_eq!(pdf_rows(&app).await, 1);

    // A change to the record is a new PDF, registered once too.
    let courses = app.get("/api/v1/courses", &token).await.json();
    let id = courses["courses"][0]["id"].as_str().unwrap();
    let mut course = courses["courses"][0].clone();
    for view_only in ["id", "assurance", "badge_check", "checks", "import_id", "evidence", "created_at", "updated_at"] {
        course.as_object_mut().unwrap().remove(view_only);
    }
    course["title"] = json!("Renamed course");
    assert_eq!(app.put(&format!("/api/v1/courses/{id}"), &token, &course).await.status, StatusCode::OK);
    let changed = app.send(get(&path)).await;
    assert_ne!(changed.body, answers[0].body);
    assert_eq!(app.send(get(&path)).await.body, changed.body);
    assert_eq!(pdf_rows(&app).await, 2);

    // The learner's own download is registered once per content as well, and never cached.
    let mine = app.get("/api/v1/portfolio.pdf?framing=appetite", &token).await;
    assert_eq!(mine.header("cache-control"), Some("no-store"));
    app.get("/api/v1/portfolio.pdf?framing=appetite", &token).await;
    let page = app.call(Method::GET, "/portfolio.pdf?framing=appetite", Auth::Cookie(&token), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), Some("no-store"), "the learner page's PDF is private");
    assert_eq!(pdf_rows(&app).await, 3, "the API and the page give the learner the same PDF");
}

/// Log lines written while a test runs (tracing's output captured in memory).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[test]
fn a_saturated_pdf_route_answers_503_pages_and_logs_a_counted_warning() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt().with_writer(log.clone()).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let app = TestApp::new();
        let token = with_record(&app, "a@example.org").await;
        let path = format!("{}/portfolio.pdf", link(&app, &token, json!({"framing": "appetite"})).await);
        // Every render slot taken (renders in flight): the link's PDF cannot be made now.
        let slots = app.state.pdf_slots.available_permits();
        let _busy = app.state.pdf_slots.clone().acquire_many_owned(u32::try_from(slots).unwrap()).await.unwrap();
        let started = std::time::Instant::now();
        for _ in 0..300 {
            let r = app.send(get(&path)).await;
            assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(r.header("retry-after"), Some("2"));
            assert!(r.header("content-type").unwrap().starts_with("text/html"), "a page for a recruiter's browser");
            assert!(r.text().contains("Service occupé"), "{}", r.text());
        }
        // The API says it in JSON, with the same Retry-After.
        let r = app.get("/api/v1/portfolio.pdf?framing=legitimacy&field=computing", &token).await;
        assert_eq!((r.status, r.error_code().as_str()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
        assert_eq!(r.header("retry-after"), Some("2"));
        let seconds = started.elapsed().as_secs() + 1;
        assert_eq!(pdf_rows(&app).await, 0);
        let text = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
        assert!(!text.contains("ERROR"), "no error per refused request:\n{text}");
        let warnings = text.lines().filter(|l| l.contains("busy: requests refused with 503")).count();
        assert!(warnings <= usize::try_from(seconds).unwrap() + 1, "{warnings} warnings in {seconds} s:\n{text}");
    });
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    let plain = TestApp::new();
    assert_eq!(plain.send(get("/healthz")).await.header("strict-transport-security"), None);
    let tls = TestApp::with_config(|c| c.public_url = "https://certfolio.example.org".into());
    for path in ["/healthz", "/login", "/api/openapi.json", "/s/unknown"] {
        let r = tls.send(get(path)).await;
        assert_eq!(r.header("strict-transport-security"), Some("max-age=63072000"), "{path}");
    }
}

/// The import page's upload, from `client` behind the test proxy.
fn import_upload(cookie: &str, client: &str, bytes: &[u8]) -> Request<Body> {
    let (content_type, body) = crate::helpers::multipart("file", "courses.csv", "text/csv", bytes);
    TestApp::builder(Method::POST, "/import", Auth::Cookie(cookie))
        .header("content-type", content_type)
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", client)
        .body(Body::from(body))
        .unwrap()
}

/// A valid CSV of about `mib` MiB (long notes), as a large real export would be.
fn big_csv(mib: usize) -> Vec<u8> {
    let mut csv = String::from("title,notes\n");
    let notes = "n".repeat(1900);
    let mut i = 0;
    while csv.len() < mib * 1024 * 1024 {
        csv.push_str(&format!("Course {i},{notes}\n"));
        i += 1;
    }
    csv.into_bytes()
}

#[tokio::test]
async fn throwaway_accounts_cannot_fill_the_import_preview_pool() {
    let app = TestApp::with_config(|c| {
        crate::helpers::behind_test_proxy(c);
        c.signups_per_hour = 100;
    });
    let big = big_csv(3);
    // Accounts on one address are refused past that address's share…
    for i in 0..4 {
        let token = app.learner(&format!("same{i}@example.org")).await;
        let r = app.send(import_upload(&token, "198.51.100.200", &big)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{i}: {}", r.text());
    }
    let token = app.learner("same-last@example.org").await;
    let r = app.send(import_upload(&token, "198.51.100.200", &big)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "one address holds at most its share");
    // …and 24 fresh accounts on 12 addresses upload 3 MiB each (72 MiB against a 64 MiB pool).
    let mut waiting = 0;
    for i in 0..24 {
        let token = app.learner(&format!("throwaway{i}@example.org")).await;
        let r = app.send(import_upload(&token, &format!("198.51.100.{}", i / 2), &big)).await;
        // Past 64 MiB, an address cannot push out one holding no more than itself: 503.
        assert!(matches!(r.status.as_u16(), 303 | 503), "{i}: {}", r.status);
        waiting += usize::from(r.status == StatusCode::SEE_OTHER);
    }
    assert!((21..24).contains(&waiting), "the pool is full: {waiting} of 24 accepted");
    // A learner elsewhere can still import, and confirm.
    let token = app.learner("real@example.org").await;
    let r = app.send(import_upload(&token, "203.0.113.77", b"title\nAnalyse numerique\n")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let preview = r.header("location").unwrap().trim_start_matches("/import/").to_owned();
    let r = crate::pages::form(&app, "/import/confirm", Some(&token), &[("id", &preview)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(app.course_count(&token).await, 1);
}
