//! The builder's live preview after one change (issue 12): `cargo bench --bench preview`.
//!
//! `request` is the server's whole answer to what `/static/builder.js` asks after a change:
//! `GET /portfolios/{id}?fragment=1&…` through the app's router (session check, the saved
//! portfolio and the record read from SQLite, the draft parsed, the presentation model built,
//! the preview fragment rendered), on the 24-course record (tests/fixtures/doc24.json), one
//! course excluded, two pinned, the order set and a statement. `fragment` is the same without
//! the router and the database. Figures in docs/PERFORMANCE.md.

use axum::body::Body;
use axum::http::{Request, header};
use certfolio::config::{Clock, Config};
use certfolio::{AppState, build_app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn main() {
    divan::main();
}

struct Setup {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    cookie: String,
    query: String,
    record: certfolio::domain::record::Record,
    _dir: tempfile::TempDir,
}

async fn call(router: &axum::Router, method: &str, path: &str, auth: Option<&str>, body: Option<Value>) -> Value {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(t) = auth {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let request = match body {
        Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    };
    let response = router.clone().oneshot(request.expect("request")).await.expect("infallible");
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = Config::new(dir.path().to_owned(), "http://127.0.0.1:8080".into());
    let state = AppState::open(config, Clock::system()).expect("state");
    let router = build_app(state.clone());
    let (cookie, query) = runtime.block_on(async {
        let password = "correct horse battery staple";
        call(&router, "POST", "/api/v1/accounts", None, Some(json!({"email": "b@example.org", "password": password, "name": "B"})))
            .await;
        let token = call(&router, "POST", "/api/v1/session", None, Some(json!({"email": "b@example.org", "password": password})))
            .await["token"]
            .as_str()
            .expect("token")
            .to_owned();
        let doc: Value = serde_json::from_slice(include_bytes!("../tests/fixtures/doc24.json")).expect("fixture");
        call(&router, "POST", "/api/v1/import", Some(&token), Some(doc)).await;
        let courses = call(&router, "GET", "/api/v1/courses", Some(&token), None).await;
        let ids: Vec<String> =
            courses["courses"].as_array().expect("courses").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect();
        assert_eq!(ids.len(), 24, "the 24-course record");
        let saved = call(
            &router,
            "POST",
            "/api/v1/portfolios",
            Some(&token),
            Some(json!({"name": "Bench", "framing": "appetite", "exclude": [ids[3]], "pinned": [ids[5], ids[1]]})),
        )
        .await;
        let id = saved["id"].as_str().expect("saved").to_owned();
        // What builder.js sends after one change: every field of the form, the order moved.
        let mut order = ids.clone();
        order.swap(0, 1);
        let mut q = format!(
            "/portfolios/{id}?fragment=1&ordered=1&name=Bench&framing=appetite&scope=&lang=en&statement=I+learn+in+the+evenings.&shown.{}=out&pin={}&pin={}",
            ids[3], ids[5], ids[1]
        );
        for c in &order {
            q.push_str(&format!("&order={c}&shown.{c}=auto"));
        }
        (token, q)
    });
    let (profile, courses) = runtime.block_on(async {
        let learner = state.db.learner_by_email("b@example.org".into()).await.expect("learner");
        state.db.record(learner.id).await.expect("record")
    });
    let record = certfolio::storage::courses::as_record(profile, &courses);
    Setup { runtime, router, cookie, query, record, _dir: dir }
}

/// The whole answer through the router, as the browser gets it (body read to its end).
#[divan::bench]
fn request(bencher: divan::Bencher) {
    let s = setup();
    let get = || {
        let request = Request::builder()
            .uri(&s.query)
            .header(header::COOKIE, format!("certfolio={}", s.cookie))
            .body(Body::empty())
            .expect("request");
        s.runtime.block_on(async {
            let response = s.router.clone().oneshot(request).await.expect("infallible");
            assert!(response.status().is_success(), "{}", response.status());
            response.into_body().collect().await.expect("body").to_bytes()
        })
    };
    let first = get();
    assert!(std::str::from_utf8(&first).expect("utf-8").contains("In my words"), "the fragment");
    bencher.bench_local(get);
}

/// The fragment alone: the draft parsed, the model built, the HTML rendered.
#[divan::bench]
fn fragment(bencher: divan::Bencher) {
    let s = setup();
    let raw = s.query.split_once('?').expect("query").1.to_owned();
    let ids: Vec<uuid::Uuid> = s.record.courses.iter().map(|c| c.id).collect();
    let now = 1_795_262_400;
    bencher.bench_local(|| {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect();
        let draft = certfolio::web::saved_pages::Draft::from_pairs(&pairs, &ids);
        certfolio::web::saved_pages::render_preview(&s.record, &draft, certfolio::domain::Lang::En, now)
            .expect("renders")
    });
}
