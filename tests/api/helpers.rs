//! A fresh service per test: its own temporary data folder and database, a manual clock, and
//! the same `build_app()` that `serve` uses, driven through `tower::ServiceExt::oneshot`.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use certfolio::config::{Clock, Config};
use certfolio::{AppState, build_app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";
pub const START: i64 = 1_800_000_000;

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

/// A file of `../shared/fixtures/real/` (real files from other projects; see its SOURCES.md).
pub fn real(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../shared/fixtures/real/{path}", env!("CARGO_MANIFEST_DIR"))).expect("real fixture")
}

pub fn fixture_json(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).expect("fixture JSON")
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `error.field` of a JSON error.
    pub fn error_field(&self) -> String {
        self.json()["error"]["field"].as_str().unwrap_or("").to_owned()
    }

    pub fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or("").to_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// How a request proves who it is.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    Cookie(&'a str),
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with_config(|_| {})
    }

    /// A service on a fresh data folder, offline unless `change` says otherwise: tests send
    /// traffic only to loopback, and imported records name real issuers' hosts (R40).
    pub fn with_config(change: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config::new(dir.path().to_owned(), "http://127.0.0.1:8080".into());
        config.fetch.offline = true;
        change(&mut config);
        let state = AppState::open(config, Clock::manual(START)).expect("open state");
        TestApp { router: build_app(state.clone()), state, dir }
    }

    /// The same data folder opened again, as after a restart (nothing kept in memory).
    pub fn reopen(app: &TestApp) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = (*app.state.config).clone();
        let state = AppState::open(config, app.state.clock.clone()).expect("open state");
        TestApp { router: build_app(state.clone()), state, dir }
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, body }
    }

    pub fn builder(method: Method, path: &str, auth: Auth<'_>) -> axum::http::request::Builder {
        let b = Request::builder().method(method).uri(path);
        match auth {
            Auth::None => b,
            Auth::Bearer(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Auth::Cookie(t) => b.header(header::COOKIE, format!("other=1; certfolio={t}")),
        }
    }

    pub async fn call(&self, method: Method, path: &str, auth: Auth<'_>, body: Option<&Value>) -> TestResponse {
        let b = Self::builder(method, path, auth);
        let request = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(v).expect("json"))),
            None => b.body(Body::empty()),
        };
        self.send(request.expect("request")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> TestResponse {
        self.call(Method::GET, path, Auth::Bearer(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.call(Method::POST, path, Auth::Bearer(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.call(Method::PUT, path, Auth::Bearer(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> TestResponse {
        self.call(Method::DELETE, path, Auth::Bearer(token), None).await
    }

    pub async fn register(&self, email: &str, password: &str) -> TestResponse {
        let body = json!({"email": email, "password": password, "name": "Camille Lefèvre"});
        self.call(Method::POST, "/api/v1/accounts", Auth::None, Some(&body)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> TestResponse {
        let body = json!({"email": email, "password": password});
        self.call(Method::POST, "/api/v1/session", Auth::None, Some(&body)).await
    }

    /// Registers `email` and logs in; returns the session token.
    pub async fn learner(&self, email: &str) -> String {
        assert_eq!(self.register(email, PASSWORD).await.status, StatusCode::CREATED);
        let r = self.login(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["token"].as_str().expect("token").to_owned()
    }

    pub async fn course_count(&self, token: &str) -> u64 {
        let r = self.get("/api/v1/courses", token).await;
        assert_eq!(r.status, StatusCode::OK);
        r.json()["count"].as_u64().expect("count")
    }

    /// Opens the test's database file directly, to look at what is stored.
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join(certfolio::storage::DB_FILE)).expect("open db")
    }
}

/// A multipart body with one file part.
pub fn multipart(field: &str, file_name: &str, content_type: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "certfolio-test-boundary-7d3f";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `POST /api/v1/import` with `bytes` as the body, typed `content_type`, as a script sends a file.
pub async fn import_raw(app: &TestApp, token: &str, content_type: &str, bytes: Vec<u8>) -> TestResponse {
    let request = TestApp::builder(Method::POST, "/api/v1/import", Auth::Bearer(token))
        .header("content-type", content_type)
        .body(Body::from(bytes))
        .unwrap();
    app.send(request).await
}

impl TestApp {
    /// Sends every request at once (each on its own task of a multi-thread runtime), as many
    /// clients would, and returns the answers in the same order.
    pub async fn send_all(&self, requests: Vec<Request<Body>>) -> Vec<TestResponse> {
        let mut tasks = Vec::new();
        for request in requests {
            let router = self.router.clone();
            tasks.push(tokio::spawn(async move {
                let response = router.oneshot(request).await.expect("infallible");
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.into_body().collect().await.expect("body").to_bytes();
                TestResponse { status, headers, body }
            }));
        }
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.expect("request task"));
        }
        out
    }
}

/// A JSON request as a client behind a proxy sends it: `client` in `X-Forwarded-For`.
pub fn json_request_from(client: &str, method: Method, path: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", client)
        .body(Body::from(serde_json::to_vec(body).expect("json")))
        .expect("request")
}

/// Router tests have no socket: their peer is the unspecified address. Declaring it a trusted
/// proxy makes `X-Forwarded-For` name the client, so tests can play many clients.
pub fn behind_test_proxy(config: &mut Config) {
    config.trusted_proxies = vec![certfolio::auth::client::Cidr::parse("0.0.0.0").expect("cidr")];
}
