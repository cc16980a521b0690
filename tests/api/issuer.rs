//! A test issuer: a CA and server certificates made at test time (rcgen), and servers on
//! 127.0.0.1 (plain or TLS) that count the connections they accept. The fetcher reaches them
//! only through the test/staging resolve rule and trusts them only through the CA setting, as
//! an operator's staging set-up would. Shared by the fetcher's and the verification's tests.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// A CA and certificates, made at test time.

pub fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

pub fn server_config(ca: &CertifiedIssuer<'static, KeyPair>, names: &[&str]) -> Arc<rustls::ServerConfig> {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, names[0]);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.signed_by(&key, ca).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(cert.der().to_vec())], key)
        .unwrap();
    Arc::new(config)
}

// ---------------------------------------------------------------------------------------------
// Test servers on 127.0.0.1, counting the connections they accept.

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub struct Server {
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Accepts connections (TLS when `tls` is given) and hands each to `on_connection`.
pub async fn spawn_server<F, Fut>(tls: Option<Arc<rustls::ServerConfig>>, on_connection: F) -> Server
where
    F: Fn(Box<dyn Io>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let on_connection = Arc::new(on_connection);
    let task = tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { continue };
            counted.fetch_add(1, Ordering::SeqCst);
            let tls = tls.clone();
            let on_connection = on_connection.clone();
            tokio::spawn(async move {
                let io: Box<dyn Io> = match tls {
                    Some(config) => match tokio_rustls::TlsAcceptor::from(config).accept(tcp).await {
                        Ok(stream) => Box::new(stream),
                        Err(_) => return,
                    },
                    None => Box::new(tcp),
                };
                on_connection(io).await;
            });
        }
    });
    Server { addr, connections, task }
}

/// An axum app served over one connection per client connection.
pub async fn serve_app(tls: Option<Arc<rustls::ServerConfig>>, app: Router) -> Server {
    spawn_server(tls, move |io| {
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(io), service)
                .await;
        }
    })
    .await
}

/// A listener that must never be contacted: it accepts, counts and says nothing.
pub async fn trap() -> Server {
    spawn_server(None, |_io| async {}).await
}

/// Reads a request head (up to the blank line), for servers that answer by hand.
pub async fn read_head(io: &mut Box<dyn Io>) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match io.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}
