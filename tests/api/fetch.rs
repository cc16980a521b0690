//! The guarded fetcher (`certfolio::fetch`) against a test issuer served over https on
//! loopback, with a CA and a certificate for `issuer.test` made at test time. The fetcher
//! reaches it only through the test/staging resolve rule and trusts it only through the CA
//! setting, exactly as an operator's staging set-up would.
//!
//! Every address these tests ask for is either a loopback listener of the test's own, or one
//! the guard refuses before any socket exists: "trap" listeners count connections to show that
//! a refused URL was never contacted. No name is ever sent to a DNS resolver (only mapped
//! names and the `localhost`/`.invalid` names the fetcher answers itself are used).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use certfolio::config::Clock;
use certfolio::fetch::guard::AddrClass;
use certfolio::fetch::{Expect, FetchError, FetchSettings, Fetcher, Source, TimeoutPhase, settings};
use tokio::io::AsyncWriteExt;

use crate::issuer::{Server, ca, read_head, serve_app, server_config, spawn_server, trap};

use crate::helpers::{START, TestApp};

const JSON: &[Expect] = &[Expect::Json, Expect::JsonLd];

// ---------------------------------------------------------------------------------------------
// A CA and certificates, made at test time (servers: `crate::issuer`).

struct Pki {
    /// The test CA's certificate, in a PEM file for the `--fetch-ca` setting.
    ca_file: tempfile::NamedTempFile,
    /// `issuer.test` and `other.test`, signed by the test CA.
    good: Arc<rustls::ServerConfig>,
    /// `issuer.test`, signed by a CA nobody trusts.
    untrusted: Arc<rustls::ServerConfig>,
    /// `elsewhere.test` only, signed by the test CA.
    wrong_name: Arc<rustls::ServerConfig>,
}

fn pki() -> Pki {
    let test_ca = ca("certfolio test CA");
    let rogue_ca = ca("nobody's CA");
    let mut ca_file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut ca_file, test_ca.pem().as_bytes()).unwrap();
    Pki {
        good: server_config(&test_ca, &["issuer.test", "other.test"]),
        untrusted: server_config(&rogue_ca, &["issuer.test"]),
        wrong_name: server_config(&test_ca, &["elsewhere.test"]),
        ca_file,
    }
}

// ---------------------------------------------------------------------------------------------
// The fetcher under test.

fn settings_for(pki: &Pki, rules: &[(&str, u16, SocketAddr)]) -> FetchSettings {
    let mut s =
        FetchSettings { extra_roots: settings::load_ca(pki.ca_file.path()).unwrap(), ..FetchSettings::default() };
    for (host, port, addr) in rules {
        s.resolve.insert(((*host).to_owned(), *port), *addr);
    }
    s
}

fn fetcher(settings: &FetchSettings) -> Fetcher {
    Fetcher::new(settings, "https://certfolio.test", Clock::system()).unwrap()
}

/// A fetcher that reaches `server` as `issuer.test` (port 443).
fn issuer_fetcher(pki: &Pki, server: &Server) -> Fetcher {
    fetcher(&settings_for(pki, &[("issuer.test", 443, server.addr)]))
}

fn json_response(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// What the test issuer saw of the last request.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    headers: std::sync::Mutex<Option<HeaderMap>>,
    conditional: std::sync::Mutex<Vec<String>>,
}

fn issuer_app(seen: Arc<Seen>) -> Router {
    Router::new()
        .route(
            "/assertion.json",
            get(|State(seen): State<Arc<Seen>>, headers: HeaderMap| async move {
                seen.requests.fetch_add(1, Ordering::SeqCst);
                *seen.headers.lock().unwrap() = Some(headers);
                json_response(r#"{"type":"Assertion","id":"https://issuer.test/assertion.json"}"#)
            }),
        )
        .route("/revoked.json", get(|| async { (StatusCode::GONE, json_response(r#"{"revoked":true}"#)) }))
        .route("/missing.json", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/page.html",
            get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], "<p>hi</p>").into_response() }),
        )
        .route("/untyped", get(|| async { Response::new(axum::body::Body::from("{}")) }))
        .route(
            "/gzipped.json",
            get(|| async {
                ([(header::CONTENT_TYPE, "application/json"), (header::CONTENT_ENCODING, "gzip")], "\x1f\u{8b}")
                    .into_response()
            }),
        )
        .route("/bare-redirect", get(|| async { StatusCode::FOUND }))
        .route(
            "/r/{n}",
            get(|Path(n): Path<u32>| async move {
                if n == 0 {
                    return json_response(r#"{"end":true}"#);
                }
                // Relative and absolute Locations alternate: both must be followed.
                let next =
                    if n % 2 == 0 { format!("/r/{}", n - 1) } else { format!("https://issuer.test/r/{}", n - 1) };
                (StatusCode::FOUND, [(header::LOCATION, next)]).into_response()
            }),
        )
        .route(
            "/to",
            get(|axum::extract::RawQuery(q): axum::extract::RawQuery| async move {
                let target = q.unwrap_or_default();
                (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, target)]).into_response()
            }),
        )
        .route(
            "/etag.json",
            get(|State(seen): State<Arc<Seen>>, headers: HeaderMap| async move {
                seen.requests.fetch_add(1, Ordering::SeqCst);
                if let Some(v) = headers.get(header::IF_NONE_MATCH) {
                    seen.conditional.lock().unwrap().push(v.to_str().unwrap().to_owned());
                    if v == "\"v1\"" {
                        return (StatusCode::NOT_MODIFIED, [(header::ETAG, "\"v1\"")]).into_response();
                    }
                }
                (
                    [
                        (header::CONTENT_TYPE, "application/ld+json"),
                        (header::ETAG, "\"v1\""),
                        (header::CACHE_CONTROL, "no-cache"),
                    ],
                    r#"{"@context":{}}"#,
                )
                    .into_response()
            }),
        )
        .route(
            "/dated.json",
            get(|State(seen): State<Arc<Seen>>, headers: HeaderMap| async move {
                seen.requests.fetch_add(1, Ordering::SeqCst);
                const DATE: &str = "Sun, 06 Nov 2026 08:49:37 GMT";
                if let Some(v) = headers.get(header::IF_MODIFIED_SINCE) {
                    seen.conditional.lock().unwrap().push(v.to_str().unwrap().to_owned());
                    if v == DATE {
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                }
                ([(header::CONTENT_TYPE, "application/json"), (header::LAST_MODIFIED, DATE)], "{}").into_response()
            }),
        )
        .route(
            "/fresh.json",
            get(|State(seen): State<Arc<Seen>>| async move {
                seen.requests.fetch_add(1, Ordering::SeqCst);
                ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=60")], "{}")
                    .into_response()
            }),
        )
        .route(
            "/no-store.json",
            get(|State(seen): State<Arc<Seen>>| async move {
                seen.requests.fetch_add(1, Ordering::SeqCst);
                ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store, max-age=600")], "{}")
                    .into_response()
            }),
        )
        .route(
            "/slow/{n}",
            get(|State(seen): State<Arc<Seen>>| async move {
                let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(300)).await;
                seen.in_flight.fetch_sub(1, Ordering::SeqCst);
                ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], "{}")
                    .into_response()
            }),
        )
        .route(
            "/hold",
            get(|State(seen): State<Arc<Seen>>| async move {
                seen.in_flight.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_secs(30)).await;
                json_response("{}")
            }),
        )
        .route(
            "/big",
            get(|| async {
                ([(header::CONTENT_TYPE, "application/json")], vec![b' '; 4 * 1024 * 1024]).into_response()
            }),
        )
        .route(
            "/exact",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], vec![b' '; 64 * 1024]).into_response() }),
        )
        .with_state(seen)
}

async fn test_issuer(pki: &Pki) -> (Server, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    (serve_app(Some(pki.good.clone()), issuer_app(seen.clone())).await, seen)
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_json_document_is_fetched_over_https_from_the_test_issuer() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let got = f.get("https://issuer.test/assertion.json", &[Expect::Json]).await.unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.url.as_str(), "https://issuer.test/assertion.json");
    assert_eq!(got.media_type().as_deref(), Some("application/json"));
    assert_eq!(got.source, Source::Network);
    assert!(got.fetched_at >= before && got.fetched_at <= before + 60);
    let doc: serde_json::Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(doc["type"], "Assertion");

    let headers = seen.headers.lock().unwrap().clone().unwrap();
    let h = |n: header::HeaderName| headers.get(n).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        h(header::USER_AGENT).unwrap(),
        format!("certfolio/{} (+https://certfolio.test)", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(h(header::HOST).unwrap(), "issuer.test");
    assert_eq!(h(header::ACCEPT).unwrap(), "application/json");
    assert_eq!(h(header::COOKIE), None);
    assert_eq!(h(header::AUTHORIZATION), None);
    assert_eq!(h(header::REFERER), None);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_410_gone_and_a_404_are_errors_that_carry_their_status() {
    let pki = pki();
    let (server, _) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    let e = f.get("https://issuer.test/revoked.json", JSON).await.unwrap_err();
    assert_eq!(e.status(), Some(410), "{e}");
    assert!(matches!(e, FetchError::Status { status: 410, .. }));
    assert_eq!(e.to_string(), "https://issuer.test/revoked.json: the server answered 410");
    let e = f.get("https://issuer.test/missing.json", JSON).await.unwrap_err();
    assert_eq!(e.status(), Some(404));
    // A redirect that says nowhere is an answer of its own status.
    let e = f.get("https://issuer.test/bare-redirect", JSON).await.unwrap_err();
    assert_eq!(e.status(), Some(302));
}

#[tokio::test]
async fn a_content_type_other_than_expected_is_a_clear_error() {
    let pki = pki();
    let (server, _) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    let e = f.get("https://issuer.test/page.html", JSON).await.unwrap_err();
    assert_eq!(e.code(), "content_type");
    assert_eq!(
        e.to_string(),
        "https://issuer.test/page.html: the response is text/html; charset=utf-8 where application/json or application/ld+json was expected"
    );
    let e = f.get("https://issuer.test/untyped", &[Expect::Json]).await.unwrap_err();
    assert!(matches!(e, FetchError::ContentType { got: None, .. }), "{e}");
    // The same page is fine for a caller that expects HTML.
    assert!(f.get("https://issuer.test/page.html", &[Expect::Html]).await.is_ok());
    // Identity was asked for; a compressed body is refused rather than misread.
    let e = f.get("https://issuer.test/gzipped.json", JSON).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "https://issuer.test/gzipped.json: the response is gzip-encoded, which certfolio does not decode"
    );
}

#[tokio::test]
async fn redirects_are_followed_up_to_five_and_a_sixth_is_refused() {
    let pki = pki();
    let (server, _) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    let got = f.get("https://issuer.test/r/5", JSON).await.unwrap();
    assert_eq!(got.url.as_str(), "https://issuer.test/r/0");
    assert_eq!(&got.body[..], br#"{"end":true}"#);
    let before = server.connections();
    let e = f.get("https://issuer.test/r/6", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::TooManyRedirects { max: 5, .. }), "{e}");
    assert_eq!(e.to_string(), "https://issuer.test/r/0: more than 5 redirects");
    // Six requests were answered; the seventh URL was never asked for.
    assert_eq!(server.connections() - before, 6);
}

/// Asserts a refusal of `addr` (as text) for the `class` reason.
fn assert_refused(e: &FetchError, addr: &str, class: AddrClass) {
    match e {
        FetchError::Refused { addr: a, refusal, .. } => {
            assert_eq!(a.to_string(), addr, "{e}");
            assert_eq!(refusal.class, class, "{e}");
        }
        other => panic!("expected a refused address, got: {other}"),
    }
}

#[tokio::test]
async fn redirects_to_internal_addresses_are_refused_without_connecting() {
    let pki = pki();
    let (server, _) = test_issuer(&pki).await;
    let trap = trap().await;
    let port = trap.addr.port();
    let f = issuer_fetcher(&pki, &server);
    let cases = [
        (format!("https://127.0.0.1:{port}/key.json"), "127.0.0.1", AddrClass::Loopback),
        (format!("https://[::1]:{port}/key.json"), "::1", AddrClass::Loopback),
        ("https://10.0.0.1/key.json".to_owned(), "10.0.0.1", AddrClass::Private),
        ("https://169.254.169.254/latest/meta-data/".to_owned(), "169.254.169.254", AddrClass::CloudMetadata),
        (format!("https://localhost:{port}/key.json"), "127.0.0.1", AddrClass::Loopback),
        (format!("https://[::ffff:127.0.0.1]:{port}/"), "::ffff:127.0.0.1", AddrClass::Loopback),
    ];
    for (target, addr, class) in cases {
        let e = f.get(&format!("https://issuer.test/to?{target}"), JSON).await.unwrap_err();
        assert_refused(&e, addr, class);
    }
    let e = f.get(&format!("https://issuer.test/to?https://localhost:{port}/"), JSON).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "https://localhost:{port}/: localhost resolves to 127.0.0.1, a loopback address; certfolio fetches only from public addresses"
        )
    );
    assert_eq!(trap.connections(), 0, "a refused address was contacted");
}

#[tokio::test]
async fn a_redirect_from_https_to_http_is_refused_even_to_an_allowed_host() {
    let pki = pki();
    let (server, _) = test_issuer(&pki).await;
    let trap = trap().await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr), ("plain.test", 80, trap.addr)]);
    s.allow_http.push("plain.test".into());
    let f = fetcher(&s);
    let e = f.get("https://issuer.test/to?http://plain.test/key.json", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::Downgrade { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "https://issuer.test/to?http://plain.test/key.json: redirected to http://plain.test/key.json, which leaves https"
    );
    assert_eq!(trap.connections(), 0);
}

#[tokio::test]
async fn urls_to_internal_addresses_are_refused_without_connecting() {
    let trap = trap().await;
    let port = trap.addr.port();
    let f = fetcher(&FetchSettings::default());
    let cases = [
        (format!("https://127.0.0.1:{port}/"), "127.0.0.1", AddrClass::Loopback),
        (format!("https://[::1]:{port}/"), "::1", AddrClass::Loopback),
        (format!("https://localhost:{port}/"), "127.0.0.1", AddrClass::Loopback),
        (format!("https://api.localhost:{port}/"), "127.0.0.1", AddrClass::Loopback),
        (format!("https://0.0.0.0:{port}/"), "0.0.0.0", AddrClass::Unspecified),
        ("https://10.0.0.1/".to_owned(), "10.0.0.1", AddrClass::Private),
        ("https://172.16.5.4/".to_owned(), "172.16.5.4", AddrClass::Private),
        ("https://192.168.1.1/".to_owned(), "192.168.1.1", AddrClass::Private),
        ("https://100.64.1.1/".to_owned(), "100.64.1.1", AddrClass::SharedCgnat),
        ("https://169.254.169.254/latest/meta-data/".to_owned(), "169.254.169.254", AddrClass::CloudMetadata),
        ("https://100.100.100.200/".to_owned(), "100.100.100.200", AddrClass::CloudMetadata),
        ("https://[fd00:ec2::254]/".to_owned(), "fd00:ec2::254", AddrClass::CloudMetadata),
        ("https://[fe80::1]/".to_owned(), "fe80::1", AddrClass::LinkLocal),
        ("https://[fc00::1]/".to_owned(), "fc00::1", AddrClass::UniqueLocal),
        ("https://224.0.0.1/".to_owned(), "224.0.0.1", AddrClass::Multicast),
        ("https://255.255.255.255/".to_owned(), "255.255.255.255", AddrClass::Broadcast),
        ("https://192.0.2.10/".to_owned(), "192.0.2.10", AddrClass::Documentation),
    ];
    for (url, addr, class) in cases {
        let e = f.get(&url, JSON).await.unwrap_err();
        assert_refused(&e, addr, class);
    }
    let e = f.get("https://10.0.0.1/", JSON).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "https://10.0.0.1/: 10.0.0.1 is a private address; certfolio fetches only from public addresses"
    );
    assert_eq!(trap.connections(), 0, "a refused address was contacted");
}

#[tokio::test]
async fn numeric_spellings_of_internal_addresses_do_not_slip_through() {
    let trap = trap().await;
    let port = trap.addr.port();
    let f = fetcher(&FetchSettings::default());
    let loopback = [
        "2130706433",
        "0x7f.1",
        "0x7f000001",
        "0177.0.0.1",
        "017700000001",
        "127.1",
        "127.0.1",
        "127.0.0.1.",
        "%31%32%37.0.0.1",
        "0x7F.0.0.1",
    ];
    for host in loopback {
        let e = f.get(&format!("https://{host}:{port}/"), JSON).await.unwrap_err();
        assert_refused(&e, "127.0.0.1", AddrClass::Loopback);
    }
    let v6 = [
        (format!("https://[::ffff:127.0.0.1]:{port}/"), "::ffff:127.0.0.1", AddrClass::Loopback),
        (format!("https://[::ffff:7f00:1]:{port}/"), "::ffff:127.0.0.1", AddrClass::Loopback),
        (format!("https://[0:0:0:0:0:ffff:127.0.0.1]:{port}/"), "::ffff:127.0.0.1", AddrClass::Loopback),
        (format!("https://[::127.0.0.1]:{port}/"), "::7f00:1", AddrClass::Loopback),
        ("https://[64:ff9b::7f00:1]/".to_owned(), "64:ff9b::7f00:1", AddrClass::Loopback),
        ("https://[2002:7f00:1::]/".to_owned(), "2002:7f00:1::", AddrClass::Loopback),
        ("https://[::ffff:a9fe:a9fe]/".to_owned(), "::ffff:169.254.169.254", AddrClass::CloudMetadata),
        ("https://0/".to_owned(), "0.0.0.0", AddrClass::Unspecified),
        ("https://3232235777/".to_owned(), "192.168.1.1", AddrClass::Private),
        ("https://0xa9.0xfe.0xa9.0xfe/".to_owned(), "169.254.169.254", AddrClass::CloudMetadata),
        ("https://0251.0376.0251.0376/".to_owned(), "169.254.169.254", AddrClass::CloudMetadata),
        ("https://012.1/".to_owned(), "10.0.0.1", AddrClass::Private),
    ];
    for (url, addr, class) in v6 {
        let e = f.get(&url, JSON).await.unwrap_err();
        assert_refused(&e, addr, class);
    }
    // Names that are localhost however they are written.
    for host in ["LOCALHOST", "localhost.", "%6c%6f%63%61%6c%68%6f%73%74", "x.LocalHost"] {
        let e = f.get(&format!("https://{host}:{port}/"), JSON).await.unwrap_err();
        assert_refused(&e, "127.0.0.1", AddrClass::Loopback);
    }
    assert_eq!(trap.connections(), 0, "a refused address was contacted");
}

#[tokio::test]
async fn http_and_other_schemes_are_refused_unless_the_operator_allows_the_host() {
    let seen = Arc::new(Seen::default());
    let plain = serve_app(None, issuer_app(seen)).await;
    let rules = [("issuer.test", 80, plain.addr)];
    let mut s = FetchSettings::default();
    for (host, port, addr) in rules {
        s.resolve.insert((host.to_owned(), port), addr);
    }
    let f = fetcher(&s);
    let e = f.get("http://issuer.test/assertion.json", JSON).await.unwrap_err();
    assert!(matches!(&e, FetchError::SchemeNotAllowed { scheme, .. } if scheme == "http"), "{e}");
    for url in ["ftp://issuer.test/a.json", "file:///etc/passwd", "gopher://issuer.test/", "data:,{}"] {
        let e = f.get(url, JSON).await.unwrap_err();
        assert_eq!(e.code(), "scheme_not_allowed", "{url}: {e}");
    }
    let e = f.get("https://user:secret@issuer.test/a.json", JSON).await.unwrap_err();
    assert_eq!(e.code(), "bad_url", "{e}");
    let e = f.get("not a url", JSON).await.unwrap_err();
    assert_eq!(e.code(), "bad_url", "{e}");
    assert_eq!(plain.connections(), 0);

    s.allow_http.push("issuer.test".into());
    let f = fetcher(&s);
    let got = f.get("http://issuer.test/assertion.json", JSON).await.unwrap();
    assert_eq!(got.url.as_str(), "http://issuer.test/assertion.json");
    assert_eq!(plain.connections(), 1);
    // Allowing a name never allows an address.
    let e = f.get(&format!("http://127.0.0.1:{}/assertion.json", plain.addr.port()), JSON).await.unwrap_err();
    assert_eq!(e.code(), "scheme_not_allowed");
    assert_eq!(plain.connections(), 1);
}

#[tokio::test]
async fn a_server_that_never_answers_ends_with_the_total_timeout() {
    let pki = pki();
    let server = spawn_server(Some(pki.good.clone()), |mut io| async move {
        read_head(&mut io).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr)]);
    s.limits.total_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let e = fetcher(&s).get("https://issuer.test/a.json", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::Timeout { phase: TimeoutPhase::Total, .. }), "{e}");
    assert_eq!(e.to_string(), "https://issuer.test/a.json: not answered in full within 1 s");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_trickling_body_ends_with_the_total_timeout() {
    let pki = pki();
    let server = spawn_server(Some(pki.good.clone()), |mut io| async move {
        read_head(&mut io).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 300\r\n\r\n";
        if io.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..300 {
            if io.write_all(b" ").await.is_err() || io.flush().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr)]);
    s.limits.total_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let e = fetcher(&s).get("https://issuer.test/a.json", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::Timeout { phase: TimeoutPhase::Total, .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_handshake_that_never_comes_ends_with_the_connect_timeout() {
    let pki = pki();
    // Plain TCP that accepts and stays silent: the TLS handshake never completes.
    let server = spawn_server(None, |io| async move {
        let _held_open = io;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr)]);
    s.limits.connect_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let e = fetcher(&s).get("https://issuer.test/a.json", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::Timeout { phase: TimeoutPhase::Connect, .. }), "{e}");
    assert_eq!(e.code(), "connect_timeout");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_huge_body_is_cut_at_the_cap() {
    let pki = pki();
    let (server, _) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    // Declared larger than the cap: refused from its Content-Length.
    let e = f.get_capped("https://issuer.test/big", JSON, 64 * 1024).await.unwrap_err();
    assert!(matches!(e, FetchError::TooLarge { cap: 65536, .. }), "{e}");
    // Exactly the cap is fine.
    let got = f.get_capped("https://issuer.test/exact", JSON, 64 * 1024).await.unwrap();
    assert_eq!(got.body.len(), 64 * 1024);

    // Of unknown length (chunked, endless until the client goes): cut while streaming.
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    let endless = spawn_server(Some(pki.good.clone()), move |mut io| {
        let counter = counter.clone();
        async move {
            read_head(&mut io).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if io.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = format!("4000\r\n{}\r\n", " ".repeat(0x4000));
            // Bounded: 64 MiB at most, then the server stops by itself.
            for _ in 0..4096 {
                if io.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
                counter.fetch_add(0x4000, Ordering::SeqCst);
            }
        }
    })
    .await;
    let f = issuer_fetcher(&pki, &endless);
    let e = f.get_capped("https://issuer.test/stream", JSON, 64 * 1024).await.unwrap_err();
    assert!(matches!(e, FetchError::TooLarge { cap: 65536, .. }), "{e}");
    assert_eq!(e.to_string(), "https://issuer.test/stream: the response is larger than 65536 bytes; not read further");
    // The server could not push the whole 64 MiB: the client stopped reading.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(written.load(Ordering::SeqCst) < 64 * 1024 * 1024);
}

#[tokio::test]
async fn malformed_responses_are_reported() {
    let pki = pki();
    for answer in [&b"HTTP/1.1 two hundred OK\r\n\r\n"[..], b"\x00\x01\x02 not http at all\r\n\r\n", b""] {
        let server = spawn_server(Some(pki.good.clone()), move |mut io| async move {
            read_head(&mut io).await;
            let _ = io.write_all(answer).await;
            let _ = io.shutdown().await;
        })
        .await;
        let e = issuer_fetcher(&pki, &server).get("https://issuer.test/a.json", JSON).await.unwrap_err();
        assert!(matches!(e, FetchError::Malformed { .. }), "{:?}: {e}", String::from_utf8_lossy(answer));
    }
}

#[tokio::test]
async fn an_etag_is_revalidated_and_a_304_serves_the_cached_bytes() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    let first = f.get("https://issuer.test/etag.json", JSON).await.unwrap();
    assert_eq!(first.source, Source::Network);
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    let second = f.get("https://issuer.test/etag.json", JSON).await.unwrap();
    assert_eq!(second.source, Source::Revalidated);
    assert_eq!(second.body, first.body);
    assert_eq!(second.status, 200);
    assert_eq!(seen.requests.load(Ordering::SeqCst), 2, "no-cache: the server is asked each time");
    assert_eq!(*seen.conditional.lock().unwrap(), vec!["\"v1\"".to_owned()]);
    // Confirmed by a 304, but not what this caller expects: the type is checked all the same.
    let e = f.get("https://issuer.test/etag.json", &[Expect::Json]).await.unwrap_err();
    assert_eq!(e.code(), "content_type", "{e}");
    assert_eq!(seen.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn last_modified_is_revalidated_with_if_modified_since() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    f.get("https://issuer.test/dated.json", JSON).await.unwrap();
    let second = f.get("https://issuer.test/dated.json", JSON).await.unwrap();
    assert_eq!(second.source, Source::Revalidated);
    assert_eq!(*seen.conditional.lock().unwrap(), vec!["Sun, 06 Nov 2026 08:49:37 GMT".to_owned()]);
}

#[tokio::test]
async fn max_age_spares_the_server_until_it_runs_out() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let clock = Clock::manual(START);
    let f = Fetcher::new(
        &settings_for(&pki, &[("issuer.test", 443, server.addr)]),
        "https://certfolio.test",
        clock.clone(),
    )
    .unwrap();
    let first = f.get("https://issuer.test/fresh.json", JSON).await.unwrap();
    assert_eq!(first.fetched_at, START);
    clock.advance(Duration::from_secs(30));
    let second = f.get("https://issuer.test/fresh.json", JSON).await.unwrap();
    assert_eq!(second.source, Source::Cache);
    assert_eq!(second.fetched_at, START, "a cached result says when it was fetched");
    assert_eq!(seen.requests.load(Ordering::SeqCst), 1);
    // Still fresh, but not what this caller expects: the cache does not bypass the type check.
    let e = f.get("https://issuer.test/fresh.json", &[Expect::Png]).await.unwrap_err();
    assert_eq!(e.code(), "content_type");
    clock.advance(Duration::from_secs(31));
    let third = f.get("https://issuer.test/fresh.json", JSON).await.unwrap();
    assert_eq!(third.source, Source::Network);
    assert_eq!(third.fetched_at, START + 61);
    assert_eq!(seen.requests.load(Ordering::SeqCst), 2);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn no_store_is_never_cached() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let f = issuer_fetcher(&pki, &server);
    for _ in 0..2 {
        assert_eq!(f.get("https://issuer.test/no-store.json", JSON).await.unwrap().source, Source::Network);
    }
    assert_eq!(seen.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn offline_refuses_everything_without_any_connection() {
    let pki = pki();
    let (server, _) = test_issuer(&pki).await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr)]);
    s.offline = true;
    let f = fetcher(&s);
    assert!(f.is_offline());
    for url in ["https://issuer.test/assertion.json", "https://127.0.0.1/", "not even a url"] {
        let e = f.get(url, JSON).await.unwrap_err();
        assert!(matches!(e, FetchError::Offline), "{e}");
        assert_eq!(e.to_string(), "not checked: certfolio runs offline");
    }
    assert_eq!(server.connections(), 0);

    // The service's own fetcher follows the setting.
    let app = TestApp::with_config(|c| c.fetch.offline = true);
    assert!(app.state.fetcher.is_offline());
    assert!(!TestApp::with_config(|c| c.fetch.offline = false).state.fetcher.is_offline());
}

#[tokio::test]
async fn requests_to_one_host_never_exceed_the_per_host_limit() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr)]);
    s.limits.per_host = 3;
    let f = Arc::new(fetcher(&s));
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let f = f.clone();
            tokio::spawn(async move { f.get(&format!("https://issuer.test/slow/{i}"), JSON).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let max = seen.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=3).contains(&max), "{max} requests at once to one host");
}

#[tokio::test]
async fn requests_in_all_never_exceed_the_overall_limit() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr), ("other.test", 443, server.addr)]);
    s.limits.per_host = 4;
    s.limits.overall = 3;
    let f = Arc::new(fetcher(&s));
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let f = f.clone();
            let host = if i % 2 == 0 { "issuer.test" } else { "other.test" };
            tokio::spawn(async move { f.get(&format!("https://{host}/slow/{i}"), JSON).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let max = seen.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=3).contains(&max), "{max} requests at once in all");
}

#[tokio::test]
async fn a_request_waits_for_a_slot_only_so_long() {
    let pki = pki();
    let (server, seen) = test_issuer(&pki).await;
    let mut s = settings_for(&pki, &[("issuer.test", 443, server.addr)]);
    s.limits.per_host = 1;
    s.limits.queue_wait = Duration::from_millis(300);
    s.limits.total_timeout = Duration::from_secs(3);
    let f = Arc::new(fetcher(&s));
    let holder = {
        let f = f.clone();
        tokio::spawn(async move { f.get("https://issuer.test/hold", JSON).await })
    };
    // Wait (bounded) until the first request holds the host's only slot at the server.
    let waited = Instant::now();
    while seen.in_flight.load(Ordering::SeqCst) == 0 {
        assert!(waited.elapsed() < Duration::from_secs(10), "the first request never arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let e = f.get("https://issuer.test/assertion.json", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::Busy { .. }), "{e}");
    let e = holder.await.unwrap().unwrap_err();
    assert_eq!(e.code(), "timeout");
}

#[tokio::test]
async fn certificates_that_do_not_check_out_are_refused() {
    let pki = pki();
    let untrusted = serve_app(Some(pki.untrusted.clone()), issuer_app(Arc::new(Seen::default()))).await;
    let e = issuer_fetcher(&pki, &untrusted).get("https://issuer.test/assertion.json", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::Tls { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "issuer.test: TLS failed: the certificate is not signed by an authority certfolio trusts"
    );

    let wrong_name = serve_app(Some(pki.wrong_name.clone()), issuer_app(Arc::new(Seen::default()))).await;
    let e = issuer_fetcher(&pki, &wrong_name).get("https://issuer.test/assertion.json", JSON).await.unwrap_err();
    assert_eq!(e.to_string(), "issuer.test: TLS failed: the certificate is not valid for issuer.test");

    // The good certificate, without the CA setting: only the built-in roots, which do not know it.
    let (good, _) = test_issuer(&pki).await;
    let mut s = FetchSettings::default();
    s.resolve.insert(("issuer.test".into(), 443), good.addr);
    let e = fetcher(&s).get("https://issuer.test/assertion.json", JSON).await.unwrap_err();
    assert_eq!(e.code(), "tls", "{e}");
}

#[tokio::test]
async fn names_under_invalid_fail_without_a_query() {
    let e = fetcher(&FetchSettings::default()).get("https://issuer.invalid/a.json", JSON).await.unwrap_err();
    assert!(matches!(e, FetchError::Dns { .. }), "{e}");
}

#[test]
fn bad_fetch_settings_stop_the_start_with_one_line_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_certfolio"));
        cmd.args(args).arg("--data").arg(dir.path());
        for var in ["CERTFOLIO_OFFLINE", "CERTFOLIO_FETCH_RESOLVE", "CERTFOLIO_FETCH_CA", "CERTFOLIO_FETCH_ALLOW_HTTP"]
        {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr
    };
    let serve = ["serve", "--addr", "127.0.0.1:0"];
    let with = |extra: &[&'static str]| [&serve[..], extra].concat();
    assert!(run(&with(&["--fetch-resolve", "issuer.test=127.0.0.1"]), &[]).starts_with("certfolio: --fetch-resolve: "));
    assert!(
        run(&serve, &[("CERTFOLIO_FETCH_RESOLVE", "a.test:443=127.0.0.1:1,oops")]).contains("--fetch-resolve: `oops`")
    );
    assert!(run(&with(&["--fetch-ca", "/nonexistent/ca.pem"]), &[]).starts_with("certfolio: --fetch-ca: "));
    assert!(run(&with(&["--fetch-allow-http", "10.0.0.1"]), &[]).starts_with("certfolio: --fetch-allow-http: "));
    assert!(run(&serve, &[("CERTFOLIO_OFFLINE", "perhaps")]).starts_with("certfolio: --offline: "));
    // import takes the same settings, checked before anything else.
    let import = ["import", "missing.json", "--user", "a@example.org", "--fetch-resolve", "nonsense"];
    assert!(run(&import, &[]).starts_with("certfolio: --fetch-resolve: "));
}
