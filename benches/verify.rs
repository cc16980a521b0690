//! certfolio's own checks, in process: `cargo bench --bench verify` (figures in
//! docs/PERFORMANCE.md). One pass of the verification job over 100 proofs of one learner (50
//! Open Badges 2.0 hosted assertions, 50 known issuers' pages) against a test issuer over https
//! on loopback that answers every request after 50 ms, reached through the resolve setting.
//! The target: ≤ 2 s of wall time, which only bounded concurrency gives (100 requests one after
//! another would take 5 s at least).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, Uri, header};
use axum::response::IntoResponse;
use certfolio::config::{Clock, Config};
use certfolio::domain::{AttestationKind, AttestationRecord, CourseRecord, Document, LearnerRecord};
use certfolio::storage::accounts::NewLearner;
use certfolio::{AppState, verify};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::json;

fn main() {
    divan::main();
}

const PROOFS: usize = 100;
const ANSWER_AFTER: Duration = Duration::from_millis(50);
const LEARNER: &str = "Bench Learner";
const EMAIL: &str = "bench@example.org";

fn assertion(i: usize) -> serde_json::Value {
    json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": format!("https://issuer.test/assertions/{i}"),
        "recipient": {"type": "email", "hashed": false, "identity": EMAIL},
        "issuedOn": "2026-03-14T10:00:00Z", "verification": {"type": "hosted"},
        "badge": {"type": "BadgeClass", "id": format!("https://issuer.test/badges/{i}"), "name": format!("Badge {i}"),
                  "criteria": {"narrative": "n"},
                  "issuer": {"type": "Profile", "id": "https://issuer.test/issuer", "name": "Bench University"}}
    })
}

/// The test issuer: every answer after [`ANSWER_AFTER`].
fn issuer_app() -> Router {
    Router::new().fallback(|headers: HeaderMap, uri: Uri| async move {
        tokio::time::sleep(ANSWER_AFTER).await;
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
        let path = uri.path().to_owned();
        let n = |prefix: &str| path.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok());
        match (host.as_str(), n("/assertions/"), n("/verify/")) {
            ("issuer.test", Some(i), _) => {
                ([(header::CONTENT_TYPE, "application/json")], assertion(i).to_string()).into_response()
            }
            ("issuer.test", None, _) if path == "/issuer" => (
                [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "max-age=600")],
                json!({"type": "Profile", "id": "https://issuer.test/issuer", "name": "Bench University"}).to_string(),
            )
                .into_response(),
            ("www.coursera.org", _, Some(i)) => (
                [(header::CONTENT_TYPE, "text/html")],
                format!("<html><body><h1>Course {i}</h1><p>Completed by {LEARNER}</p></body></html>"),
            )
                .into_response(),
            _ => axum::http::StatusCode::NOT_FOUND.into_response(),
        }
    })
}

fn tls(names: &[&str]) -> (Arc<rustls::ServerConfig>, String) {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "certfolio bench CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().expect("key")).expect("ca");
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).expect("params");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.signed_by(&key, &ca).expect("cert");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(cert.der().to_vec())], key)
        .expect("server config");
    (Arc::new(config), ca.pem())
}

async fn serve(config: Arc<rustls::ServerConfig>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = issuer_app();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { continue };
            let (config, app) = (config.clone(), app.clone());
            tokio::spawn(async move {
                let Ok(stream) = tokio_rustls::TlsAcceptor::from(config).accept(tcp).await else { return };
                let service = hyper_util::service::TowerToHyperService::new(app);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

struct Setup {
    runtime: tokio::runtime::Runtime,
    state: AppState,
    learner: uuid::Uuid,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let hosts = ["issuer.test", "www.coursera.org"];
    let (config, ca_pem) = tls(&hosts);
    let addr = runtime.block_on(serve(config));
    let dir = tempfile::tempdir().expect("tempdir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).expect("write CA");
    let mut config = Config::new(dir.path().join("data"), "http://127.0.0.1:8080".into());
    config.fetch.extra_roots = certfolio::fetch::settings::load_ca(&ca_file).expect("CA");
    for host in hosts {
        config.fetch.resolve.insert((host.to_owned(), 443), addr);
    }
    config.verify.checks_per_hour = 10_000;
    let state = AppState::open(config, Clock::system()).expect("state");
    let learner = uuid::Uuid::new_v4();
    let now = state.clock.now();
    let courses: Vec<CourseRecord> = (0..PROOFS)
        .map(|i| {
            let attestation = if i % 2 == 0 {
                AttestationRecord {
                    kind: Some(AttestationKind::Badge),
                    badge: Some(certfolio::domain::badge::BadgeData { payload: assertion(i).to_string(), check: None }),
                    ..AttestationRecord::default()
                }
            } else {
                AttestationRecord {
                    kind: Some(AttestationKind::Completion),
                    url: Some(format!("https://www.coursera.org/verify/{i}")),
                    ..AttestationRecord::default()
                }
            };
            let title = if i % 2 == 0 { format!("Badge {i}") } else { format!("Course {i}") };
            CourseRecord { attestation: Some(attestation), ..CourseRecord::titled(title) }
        })
        .collect();
    runtime.block_on(async {
        state
            .db
            .create_learner(NewLearner {
                id: learner,
                email: EMAIL.into(),
                password_hash: "unused".into(),
                name: LEARNER.into(),
                now,
            })
            .await
            .expect("learner");
        let doc = Document { certfolio: 1, learner: LearnerRecord::named(LEARNER), courses, portfolios: Vec::new() };
        state.db.import_document(learner, doc, now).await.expect("import");
        // A first pass, as a running service would have made.
        let first = verify::run_due(&state).await.expect("run");
        assert_eq!(first.ran, PROOFS, "{first:?}");
    });
    Setup { runtime, state, learner, _dir: dir }
}

/// One pass over the 100 proofs, all due ("check now" for the learner).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn check_100_proofs(bencher: divan::Bencher) {
    let s = setup();
    bencher
        .with_inputs(|| {
            let now = s.state.clock.now();
            s.runtime.block_on(s.state.db.request_checks(s.learner, now)).expect("queue")
        })
        .bench_local_values(|queued| {
            assert_eq!(queued, PROOFS);
            let report = s.runtime.block_on(verify::run_due(&s.state)).expect("run");
            assert_eq!(report.ran, PROOFS, "{report:?}");
        });
}
