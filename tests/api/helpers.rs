//! A fresh service per test: its own temporary data folder and database, a manual clock, and
//! the same `build_app()` that `serve` uses, driven through `tower::ServiceExt::oneshot`.
//!
//! The engine is chosen by the environment (scripts/test.sh runs the suite once each way):
//! - `CERTFOLIO_TEST_DATABASE=postgres://…/postgres` (a maintenance database): each test gets a
//!   database of its own, `CREATE DATABASE … TEMPLATE` a template migrated once per run, dropped
//!   at the end of the test; unset, each test has a SQLite file in its data folder.
//! - `CERTFOLIO_TEST_FILES=s3://bucket?endpoint=…` (credentials in `AWS_*`): each test stores its
//!   files under a prefix of its own in that bucket; unset, in its data folder.

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
    /// The PostgreSQL database made for this test, dropped with it.
    pub pg_database: Option<String>,
}

/// The maintenance database's URL, when the suite runs on PostgreSQL.
pub fn test_database() -> Option<String> {
    std::env::var("CERTFOLIO_TEST_DATABASE").ok().filter(|v| !v.trim().is_empty())
}

/// The S3 URL the suite's files go to, when they go to an object store.
pub fn test_files() -> Option<String> {
    std::env::var("CERTFOLIO_TEST_FILES").ok().filter(|v| !v.trim().is_empty())
}

/// `postgres://…/postgres` with another database name.
pub fn pg_url_for(admin: &str, database: &str) -> String {
    let (base, query) = admin.split_once('?').map_or((admin, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

/// Runs SQL on the maintenance database, on a thread of its own (the synchronous client must
/// not run on the test's async thread).
pub fn pg_admin(admin: &str, statements: Vec<String>) {
    let admin = admin.to_owned();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to the test PostgreSQL");
        for sql in statements {
            let mut tries = 0;
            loop {
                match client.batch_execute(&sql) {
                    Ok(()) => break,
                    // A template is busy while another test's CREATE DATABASE copies it.
                    Err(e) if tries < 50 && e.code() == Some(&postgres::error::SqlState::OBJECT_IN_USE) => {
                        tries += 1;
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                    Err(e) => panic!("{sql}: {e}"),
                }
            }
        }
    })
    .join()
    .expect("admin thread");
}

static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// A database migrated once per run, copied for each test.
fn template(admin: &str) -> &'static str {
    TEMPLATE.get_or_init(|| {
        let name = format!("certfolio_tpl_{}", std::process::id());
        pg_admin(admin, vec![format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")]);
        let url = pg_url_for(admin, &name);
        let opened = std::thread::spawn(move || {
            let mut settings = certfolio::storage::Settings::in_data_dir(&std::env::temp_dir());
            settings.database = certfolio::storage::DatabaseUrl::parse(&url).expect("url");
            settings.connections = 1;
            let files = tempfile::tempdir().expect("tempdir");
            settings.files = certfolio::storage::files::FilesUrl::Local(files.path().to_owned());
            drop(certfolio::storage::Db::open(&settings).expect("migrate the template database"));
        });
        opened.join().expect("template");
        // No one may be connected to a template while it is copied.
        pg_admin(
            admin,
            vec![
                format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true"),
                format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                ),
            ],
        );
        name
    })
}

static BUCKET: std::sync::OnceLock<()> = std::sync::OnceLock::new();

/// The suite's S3 URL with a prefix of this test's, the bucket created on first use.
fn test_files_for(url: &str, prefix: &str) -> certfolio::storage::files::FilesUrl {
    let parsed = certfolio::storage::files::FilesUrl::parse(url).expect("CERTFOLIO_TEST_FILES");
    BUCKET.get_or_init(|| {
        let parsed = parsed.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            let certfolio::storage::files::FilesUrl::S3(u) = parsed else { return };
            let store = certfolio::storage::files::s3::S3Store::new(&u).expect("S3 credentials");
            rt.block_on(store.create_bucket()).expect("create the test bucket");
        })
        .join()
        .expect("bucket");
    });
    match parsed {
        certfolio::storage::files::FilesUrl::S3(mut u) => {
            u.prefix = if u.prefix.is_empty() { prefix.to_owned() } else { format!("{}/{prefix}", u.prefix) };
            certfolio::storage::files::FilesUrl::S3(u)
        }
        local => local,
    }
}

/// Points `config` at a fresh database and store of the suite's engine (see the module's
/// documentation); the PostgreSQL database's name, to drop at the end.
pub fn fresh_storage(config: &mut Config) -> Option<String> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    if let Some(files) = test_files() {
        config.files = Some(test_files_for(&files, &id));
    }
    let admin = test_database()?;
    let name = format!("test_{id}");
    pg_admin(&admin, vec![format!("CREATE DATABASE {name} TEMPLATE {}", template(&admin))]);
    config.database = Some(certfolio::storage::DatabaseUrl::parse(&pg_url_for(&admin, &name)).expect("url"));
    // Fewer connections per test: tests run in parallel against one server.
    config.db_connections = 3;
    Some(name)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let (Some(name), Some(admin)) = (self.pg_database.take(), test_database()) {
            if std::thread::panicking() {
                return;
            }
            pg_admin(&admin, vec![format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")]);
        }
    }
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
        let pg_database = fresh_storage(&mut config);
        config.fetch.offline = true;
        change(&mut config);
        let state = AppState::open(config, Clock::manual(START)).expect("open state");
        TestApp { router: build_app(state.clone()), state, dir, pg_database }
    }

    /// The same storage opened again, as after a restart or by another instance of the
    /// service (nothing shared in memory with `app`).
    pub fn reopen(app: &TestApp) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = (*app.state.config).clone();
        let state = AppState::open(config, app.state.clock.clone()).expect("open state");
        TestApp { router: build_app(state.clone()), state, dir, pg_database: None }
    }

    /// Another instance of the service on the same database and store.
    pub fn another_instance(app: &TestApp) -> TestApp {
        TestApp::reopen(app)
    }

    /// The first column of the first row of `sql`, through the app's own storage (either engine).
    pub async fn sql_value<T: certfolio::storage::sql::FromValue + Send + 'static>(&self, sql: &str) -> T {
        let text = sql.to_owned();
        self.state.db.read(move |tx| tx.query_value::<T>(&text, &[])).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The command line, pointed at this test's database and store (through the variables
    /// `--database` and `--files` read), as an operator would run it beside the service.
    pub fn command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_certfolio"));
        let config = &self.state.config;
        cmd.env_remove("CERTFOLIO_DATABASE_URL").env_remove("CERTFOLIO_FILES_URL");
        if let Some(certfolio::storage::DatabaseUrl::Postgres(url)) = &config.database {
            cmd.env("CERTFOLIO_DATABASE_URL", url);
        }
        if let Some(files) = &config.files {
            cmd.env("CERTFOLIO_FILES_URL", files.url());
        }
        cmd
    }

    /// `SELECT count(*) FROM table`.
    pub async fn count(&self, table: &str) -> i64 {
        self.sql_value(&format!("SELECT count(*) FROM {table}")).await
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
}

/// A multipart body with one file part.
pub fn multipart(field: &str, file_name: &str, content_type: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    multipart_with(&[], field, file_name, content_type, bytes)
}

/// A multipart body with text fields, then one file part (as a form with a file input sends it).
pub fn multipart_with(
    fields: &[(&str, &str)],
    field: &str,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "certfolio-test-boundary-7d3f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
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
