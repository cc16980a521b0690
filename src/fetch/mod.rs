//! The one way out: every outbound HTTP request certfolio makes goes through [`Fetcher`], and
//! only verification calls it (hosted Open Badges assertions, badge classes, issuer profiles and
//! keys, revocation and status lists, `did:web` documents, JSON-LD contexts, known issuers'
//! verification pages). What is fetched is decided by verification, never by a URL a learner
//! types, but those URLs come from badges, i.e. from whoever made them, so every request is
//! treated as hostile input (SSRF):
//!
//! - https only; plain http only for host names the operator lists (`allow_http`);
//! - the host is resolved once per connection by the fetcher itself, every address is checked
//!   by [`guard`], and the connection goes to the address that was checked: there is no second
//!   resolution for a DNS rebinding to slip into, and no proxy from the environment;
//! - redirects are followed by hand, at most [`MAX_REDIRECTS`], each one checked like the first,
//!   and never from https to http;
//! - connect and total timeouts, a streamed size cap, the content types the caller expects,
//!   per-host and overall concurrency limits;
//! - `--offline` refuses everything before any socket exists; the TLS client is not even built.
//!
//! Each request is one fresh connection (HTTP/1.1, no pool): verification makes a handful of
//! requests per badge and the cache spares most repeats, and a connection that is never reused
//! is one whose address is always the one just checked.

pub mod cache;
mod error;
pub mod guard;
pub mod settings;

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http_body_util::{BodyExt, Empty};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, timeout_at};
use url::{Host, Position, Url};

use crate::config::Clock;
pub use error::{FetchError, TimeoutPhase};
pub use settings::{FetchLimits, FetchSettings};

/// Redirects followed for one request; the next one is refused (`TooManyRedirects`).
pub const MAX_REDIRECTS: usize = 5;

/// Headers larger than this are refused as malformed: no issuer needs 64 KiB of headers.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// A content type the caller accepts. The response's `Content-Type` (its media type, without
/// parameters, case-insensitively) must be one of the kinds asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `application/json`.
    Json,
    /// `application/ld+json`.
    JsonLd,
    /// A DID document: `application/did+json` or `application/did+ld+json`.
    DidJson,
    /// A Verifiable Credential as JSON-LD: `application/vc`, `application/vc+ld+json`.
    Vc,
    /// A JWT: `application/jwt`, `application/vc+jwt`.
    Jwt,
    /// `text/html` or `application/xhtml+xml`.
    Html,
    /// `image/png`.
    Png,
    /// `image/svg+xml`.
    Svg,
    /// Any other media type, written in lower case (`text/plain`).
    Media(&'static str),
}

impl Expect {
    fn media_types(self) -> Vec<&'static str> {
        match self {
            Expect::Json => vec!["application/json"],
            Expect::JsonLd => vec!["application/ld+json"],
            Expect::DidJson => vec!["application/did+json", "application/did+ld+json"],
            Expect::Vc => vec!["application/vc", "application/vc+ld+json"],
            Expect::Jwt => vec!["application/jwt", "application/vc+jwt"],
            Expect::Html => vec!["text/html", "application/xhtml+xml"],
            Expect::Png => vec!["image/png"],
            Expect::Svg => vec!["image/svg+xml"],
            Expect::Media(m) => vec![m],
        }
    }
}

/// `application/ld+json; charset=utf-8` → `application/ld+json`.
fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Where the bytes of a [`Fetched`] come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Sent by the server for this request.
    Network,
    /// From the cache, after the server answered 304 Not Modified to a conditional request.
    Revalidated,
    /// From the cache, still fresh: the server was not asked.
    Cache,
}

/// A successful (2xx) response, read in full.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// The URL that answered, after redirects (without fragment).
    pub url: Url,
    /// The `Content-Type` as sent (one of the expected kinds).
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Bytes,
    /// Unix seconds: when the server sent, or last confirmed (304), these bytes. What a
    /// verification result reports as "checked on".
    pub fetched_at: i64,
    pub source: Source,
}

impl Fetched {
    /// The media type without parameters, lower case (`application/ld+json`).
    pub fn media_type(&self) -> Option<String> {
        self.content_type.as_deref().map(essence)
    }
}

/// The guarded HTTP client. Built once (`AppState::open`) and shared as `Arc<Fetcher>`.
pub struct Fetcher {
    /// `None` in offline mode: no TLS configuration, cache or slot exists at all.
    online: Option<Online>,
}

struct Online {
    tls: tokio_rustls::TlsConnector,
    resolve: BTreeMap<(String, u16), SocketAddr>,
    allow_http: Vec<String>,
    limits: FetchLimits,
    user_agent: HeaderValue,
    cache: cache::Cache,
    hosts: HostSlots,
    overall: Arc<Semaphore>,
    clock: Clock,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").field("offline", &self.is_offline()).finish_non_exhaustive()
    }
}

impl Fetcher {
    /// The fetcher the settings describe. `public_url` goes into the User-Agent, so that an
    /// issuer's operator can tell who is asking. Offline, nothing else is built.
    pub fn new(settings: &FetchSettings, public_url: &str, clock: Clock) -> Result<Fetcher, String> {
        if settings.offline {
            return Ok(Fetcher::offline());
        }
        let limits = settings.limits;
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        for cert in &settings.extra_roots {
            roots.add(cert.clone()).map_err(|e| format!("--fetch-ca: not a usable CA certificate ({e})"))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS set-up failed: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let user_agent = format!("certfolio/{} (+{public_url})", env!("CARGO_PKG_VERSION"));
        let user_agent = HeaderValue::from_str(&user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static(concat!("certfolio/", env!("CARGO_PKG_VERSION"))));
        Ok(Fetcher {
            online: Some(Online {
                tls: tokio_rustls::TlsConnector::from(Arc::new(tls)),
                resolve: settings.resolve.clone(),
                allow_http: settings.allow_http.clone(),
                limits,
                user_agent,
                cache: cache::Cache::new(limits.cache_entries, limits.cache_bytes),
                hosts: HostSlots::new(limits.per_host.max(1)),
                overall: Arc::new(Semaphore::new(limits.overall.max(1))),
                clock,
            }),
        })
    }

    /// A fetcher that refuses everything with [`FetchError::Offline`].
    pub fn offline() -> Fetcher {
        Fetcher { online: None }
    }

    pub fn is_offline(&self) -> bool {
        self.online.is_none()
    }

    /// GETs `url`, expecting one of the `accept` kinds (an empty list accepts any type), with
    /// the configured size cap. Only a 2xx response read in full is `Ok`; everything else,
    /// including 404 and 410, is a [`FetchError`] that says why.
    pub async fn get(&self, url: &str, accept: &[Expect]) -> Result<Fetched, FetchError> {
        match &self.online {
            None => Err(FetchError::Offline),
            Some(online) => online.fetch(url, accept, online.limits.max_bytes).await,
        }
    }

    /// [`Fetcher::get`] with another size cap (e.g. larger for a badge image).
    pub async fn get_capped(&self, url: &str, accept: &[Expect], max_bytes: usize) -> Result<Fetched, FetchError> {
        match &self.online {
            None => Err(FetchError::Offline),
            Some(online) => online.fetch(url, accept, max_bytes).await,
        }
    }
}

/// Where one hop connects.
enum Target {
    /// An operator's `resolve` rule: exempt from the guard.
    Mapped(SocketAddr),
    /// An IP address written in the URL, already checked.
    Literal(IpAddr),
    /// A name to resolve (and check) when connecting.
    Name,
}

/// One URL of a redirect chain, checked for scheme and host.
struct Hop {
    url: Url,
    /// The host without a trailing dot, lower case; for SNI, resolution and the slots.
    host: String,
    port: u16,
    https: bool,
    target: Target,
}

/// What one request on one connection gave.
enum Answer {
    Redirect(Url),
    NotModified(HeaderMap),
    Done { status: u16, headers: HeaderMap, body: Bytes },
}

/// Runs `fut` until the deadline; on expiry the error names `phase`.
async fn within<T>(
    deadline: Instant,
    url: &Url,
    phase: TimeoutPhase,
    after: Duration,
    fut: impl Future<Output = T>,
) -> Result<T, FetchError> {
    timeout_at(deadline, fut).await.map_err(|_| FetchError::Timeout { url: url.to_string(), phase, after })
}

impl Online {
    async fn fetch(&self, url: &str, accept: &[Expect], cap: usize) -> Result<Fetched, FetchError> {
        let deadline = Instant::now() + self.limits.total_timeout;
        let mut url =
            Url::parse(url.trim()).map_err(|e| FetchError::BadUrl { url: url.to_owned(), reason: e.to_string() })?;
        url.set_fragment(None);
        let mut redirects = 0;
        loop {
            let hop = self.check(url)?;
            let key = hop.url.as_str().to_owned();
            let cached = self.cache.get(&key);
            if let Some(entry) = &cached
                && entry.is_fresh(self.clock.now())
            {
                check_type(&hop.url, entry.content_type.as_deref(), accept)?;
                return Ok(from_entry(hop.url, entry.clone(), Source::Cache));
            }
            let conditional = cached.filter(cache::Entry::can_revalidate);
            match self.hop(&hop, accept, cap, conditional.as_ref(), deadline).await? {
                Answer::Redirect(next) => {
                    redirects += 1;
                    if redirects > MAX_REDIRECTS {
                        return Err(FetchError::TooManyRedirects { url: next.to_string(), max: MAX_REDIRECTS });
                    }
                    if hop.https && next.scheme() != "https" {
                        return Err(FetchError::Downgrade { from: hop.url.to_string(), to: next.to_string() });
                    }
                    url = next;
                }
                Answer::NotModified(headers) => {
                    let Some(mut entry) = conditional else {
                        return Err(FetchError::Status { url: key, status: 304 });
                    };
                    let now = self.clock.now();
                    let lifetime = match cache::policy(&headers, now) {
                        cache::Policy::NoStore => None,
                        cache::Policy::Store { lifetime } => Some(lifetime),
                        cache::Policy::Unspecified => Some(entry.lifetime),
                    };
                    if let Some(etag) = header_string(&headers, header::ETAG) {
                        entry.etag = Some(etag);
                    }
                    entry.fetched_at = now;
                    match lifetime {
                        None => self.cache.remove(&key),
                        Some(lifetime) => {
                            entry.lifetime = lifetime;
                            entry.fresh_until = now.saturating_add(lifetime);
                            self.cache.put(key, entry.clone());
                        }
                    }
                    check_type(&hop.url, entry.content_type.as_deref(), accept)?;
                    return Ok(from_entry(hop.url, entry, Source::Revalidated));
                }
                Answer::Done { status, headers, body } => {
                    let now = self.clock.now();
                    let content_type = header_string(&headers, header::CONTENT_TYPE);
                    let etag = header_string(&headers, header::ETAG);
                    let last_modified = header_string(&headers, header::LAST_MODIFIED);
                    if status == 200 {
                        self.store(&key, &headers, now, || cache::Entry {
                            content_type: content_type.clone(),
                            etag: etag.clone(),
                            last_modified: last_modified.clone(),
                            body: body.clone(),
                            fetched_at: now,
                            fresh_until: now,
                            lifetime: 0,
                        });
                    }
                    tracing::debug!(url = %hop.url, status, bytes = body.len(), "fetched");
                    return Ok(Fetched {
                        status,
                        url: hop.url,
                        content_type,
                        etag,
                        last_modified,
                        body,
                        fetched_at: now,
                        source: Source::Network,
                    });
                }
            }
        }
    }

    /// Keeps a 200 response when its headers allow and it can be of use later: fresh for a
    /// while, or revalidatable.
    fn store(&self, key: &str, headers: &HeaderMap, now: i64, entry: impl FnOnce() -> cache::Entry) {
        let lifetime = match cache::policy(headers, now) {
            cache::Policy::NoStore => {
                self.cache.remove(key);
                return;
            }
            cache::Policy::Store { lifetime } => lifetime,
            cache::Policy::Unspecified => 0,
        };
        let mut entry = entry();
        if lifetime == 0 && !entry.can_revalidate() {
            self.cache.remove(key);
            return;
        }
        entry.lifetime = lifetime;
        entry.fresh_until = now.saturating_add(lifetime);
        self.cache.put(key.to_owned(), entry);
    }

    /// The scheme and host rules, before anything is resolved or connected.
    fn check(&self, url: Url) -> Result<Hop, FetchError> {
        let name = match url.host() {
            Some(Host::Domain(d)) => Some(d.trim_end_matches('.').to_ascii_lowercase()),
            _ => None,
        };
        // Only names can be allowed plain http: an address never is.
        let https = match url.scheme() {
            "https" => true,
            "http" if name.as_ref().is_some_and(|n| self.allow_http.contains(n)) => false,
            other => return Err(FetchError::SchemeNotAllowed { url: url.to_string(), scheme: other.to_owned() }),
        };
        let host = match (name, url.host()) {
            (Some(name), _) => name,
            (None, Some(Host::Ipv4(ip))) => ip.to_string(),
            (None, Some(Host::Ipv6(ip))) => ip.to_string(),
            (None, _) => return Err(FetchError::BadUrl { url: url.to_string(), reason: "it has no host".into() }),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FetchError::BadUrl {
                url: url.to_string(),
                reason: "it carries a user name or password".into(),
            });
        }
        let port = url.port_or_known_default().unwrap_or(if https { 443 } else { 80 });
        let literal = |ip: IpAddr, url: &Url| match guard::check(ip) {
            Some(refusal) => Err(FetchError::Refused {
                url: url.to_string(),
                host: ip.to_string(),
                addr: ip,
                refusal,
                literal: true,
            }),
            None => Ok(Target::Literal(ip.to_canonical())),
        };
        let target = match url.host() {
            Some(Host::Ipv4(ip)) => literal(IpAddr::V4(ip), &url)?,
            Some(Host::Ipv6(ip)) => literal(IpAddr::V6(ip), &url)?,
            _ => match self.resolve.get(&(host.clone(), port)) {
                Some(addr) => Target::Mapped(*addr),
                None => Target::Name,
            },
        };
        Ok(Hop { url, host, port, https, target })
    }

    /// One request on one new connection, holding a slot of the host and an overall one.
    async fn hop(
        &self,
        hop: &Hop,
        accept: &[Expect],
        cap: usize,
        conditional: Option<&cache::Entry>,
        deadline: Instant,
    ) -> Result<Answer, FetchError> {
        let _slots = self.slots(&hop.host, deadline).await?;
        let total = self.limits.total_timeout;
        let request = self.request(hop, accept, conditional)?;
        let (response, _driver) = self.connect_and_send(hop, request, deadline).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let url = &hop.url;
        // A redirect without a Location is left to fail below as its status.
        if matches!(status, 301 | 302 | 303 | 307 | 308)
            && let Some(location) = headers.get(header::LOCATION)
        {
            let location = location.to_str().map_err(|_| FetchError::Malformed {
                url: url.to_string(),
                message: "the redirect's Location is not text".into(),
            })?;
            let mut next = url.join(location).map_err(|e| FetchError::BadUrl {
                url: location.to_owned(),
                reason: format!("the redirect from {url} does not lead to a URL ({e})"),
            })?;
            next.set_fragment(None);
            return Ok(Answer::Redirect(next));
        }
        if status == 304 && conditional.is_some() {
            return Ok(Answer::NotModified(headers));
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status { url: url.to_string(), status });
        }
        check_type(url, header_string(&headers, header::CONTENT_TYPE).as_deref(), accept)?;
        if let Some(encoding) = header_string(&headers, header::CONTENT_ENCODING)
            && !encoding.trim().eq_ignore_ascii_case("identity")
        {
            return Err(FetchError::Encoding { url: url.to_string(), encoding });
        }
        let too_large = || FetchError::TooLarge { url: url.to_string(), cap };
        let declared = header_string(&headers, header::CONTENT_LENGTH).and_then(|l| l.trim().parse::<u64>().ok());
        if declared.is_some_and(|l| l > cap as u64) {
            return Err(too_large());
        }
        // Read frame by frame: at most `cap` bytes (plus one frame) are ever held.
        let mut body = response.into_body();
        let mut bytes = Vec::with_capacity(declared.map_or(0, |l| l as usize).min(cap));
        let malformed = |e: hyper::Error| FetchError::Malformed { url: url.to_string(), message: e.to_string() };
        while let Some(frame) = within(deadline, url, TimeoutPhase::Total, total, body.frame()).await? {
            if let Ok(data) = frame.map_err(malformed)?.into_data() {
                if bytes.len() + data.len() > cap {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&data);
            }
        }
        Ok(Answer::Done { status, headers, body: Bytes::from(bytes) })
    }

    /// A slot of the host and an overall slot, waiting at most `queue_wait` (and never past the
    /// deadline). The host's slot is taken first, so that a request queued behind a busy host
    /// does not hold one of the overall slots other hosts could use.
    async fn slots(
        &self,
        host: &str,
        deadline: Instant,
    ) -> Result<(OwnedSemaphorePermit, OwnedSemaphorePermit), FetchError> {
        let wait = self.limits.queue_wait;
        let until = deadline.min(Instant::now() + wait);
        let busy = || FetchError::Busy { host: host.to_owned(), waited: wait };
        let host_slot = timeout_at(until, self.hosts.semaphore(host).acquire_owned()).await.map_err(|_| busy())?;
        let host_slot = host_slot.map_err(|_| busy())?;
        let overall = timeout_at(until, self.overall.clone().acquire_owned()).await.map_err(|_| busy())?;
        Ok((host_slot, overall.map_err(|_| busy())?))
    }

    fn request(
        &self,
        hop: &Hop,
        accept: &[Expect],
        conditional: Option<&cache::Entry>,
    ) -> Result<http::Request<Empty<Bytes>>, FetchError> {
        let url = &hop.url;
        let bad = |reason: &str| FetchError::BadUrl { url: url.to_string(), reason: reason.to_owned() };
        // Origin-form target and Host header from the parsed URL: the connection is already
        // decided, so nothing in the request line can redirect it.
        let target = &url[Position::BeforePath..Position::AfterQuery];
        let authority = &url[Position::BeforeHost..Position::AfterPort];
        let accept_value = if accept.is_empty() {
            "*/*".to_owned()
        } else {
            accept.iter().flat_map(|e| e.media_types()).collect::<Vec<_>>().join(", ")
        };
        let mut builder = http::Request::builder()
            .method(http::Method::GET)
            .uri(target)
            .header(header::HOST, authority)
            .header(header::USER_AGENT, self.user_agent.clone())
            .header(header::ACCEPT, accept_value)
            .header(header::ACCEPT_ENCODING, "identity");
        if let Some(entry) = conditional {
            if let Some(etag) = &entry.etag {
                builder = builder.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(date) = &entry.last_modified {
                builder = builder.header(header::IF_MODIFIED_SINCE, date);
            }
        }
        builder.body(Empty::new()).map_err(|_| bad("its path or host cannot be sent in an HTTP request"))
    }

    /// Resolves (once), checks, connects, shakes hands and sends the request; returns the
    /// response head with its body still to read, and the task driving the connection.
    async fn connect_and_send(
        &self,
        hop: &Hop,
        request: http::Request<Empty<Bytes>>,
        deadline: Instant,
    ) -> Result<(http::Response<hyper::body::Incoming>, AbortOnDrop), FetchError> {
        let url = &hop.url;
        let connect_deadline = deadline.min(Instant::now() + self.limits.connect_timeout);
        let (phase, after) = if connect_deadline < deadline {
            (TimeoutPhase::Connect, self.limits.connect_timeout)
        } else {
            (TimeoutPhase::Total, self.limits.total_timeout)
        };
        let addrs = match hop.target {
            Target::Mapped(addr) => vec![addr],
            Target::Literal(ip) => vec![SocketAddr::new(ip, hop.port)],
            Target::Name => within(connect_deadline, url, phase, after, resolve_checked(hop)).await??,
        };
        let tcp = within(connect_deadline, url, phase, after, connect_any(&hop.host, &addrs)).await??;
        let sent = if hop.https {
            let name = match hop.target {
                Target::Literal(ip) => rustls::pki_types::ServerName::IpAddress(ip.into()),
                _ => rustls::pki_types::ServerName::try_from(hop.host.clone()).map_err(|_| FetchError::Tls {
                    host: hop.host.clone(),
                    message: "the host is not a valid TLS server name".into(),
                })?,
            };
            let tls = within(connect_deadline, url, phase, after, self.tls.connect(name, tcp))
                .await?
                .map_err(|e| tls_error(&hop.host, &e))?;
            within(
                deadline,
                url,
                TimeoutPhase::Total,
                self.limits.total_timeout,
                send(hyper_util::rt::TokioIo::new(tls), request),
            )
            .await?
        } else {
            within(
                deadline,
                url,
                TimeoutPhase::Total,
                self.limits.total_timeout,
                send(hyper_util::rt::TokioIo::new(tcp), request),
            )
            .await?
        };
        sent.map_err(|e| FetchError::Malformed { url: url.to_string(), message: e.to_string() })
    }
}

/// The addresses of a host name, every one of them allowed by the guard. One bad address
/// refuses the name: which one a later connection would pick is not ours to predict.
async fn resolve_checked(hop: &Hop) -> Result<Vec<SocketAddr>, FetchError> {
    let host = hop.host.as_str();
    let addrs: Vec<SocketAddr> = match special_name(host) {
        Some(Ok(ips)) => ips.into_iter().map(|ip| SocketAddr::new(ip, hop.port)).collect(),
        Some(Err(message)) => return Err(FetchError::Dns { host: host.to_owned(), message }),
        None => tokio::net::lookup_host((host, hop.port))
            .await
            .map_err(|e| FetchError::Dns { host: host.to_owned(), message: e.to_string() })?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(FetchError::Dns { host: host.to_owned(), message: "the name has no address".into() });
    }
    for addr in &addrs {
        if let Some(refusal) = guard::check(addr.ip()) {
            return Err(FetchError::Refused {
                url: hop.url.to_string(),
                host: host.to_owned(),
                addr: addr.ip(),
                refusal,
                literal: false,
            });
        }
    }
    // A mapped form (`::ffff:a.b.c.d`) is connected to as the IPv4 address it is.
    Ok(addrs.into_iter().map(|a| SocketAddr::new(a.ip().to_canonical(), a.port())).collect())
}

/// Names that RFC 6761 says resolvers must answer themselves: `localhost` (and below) is the
/// loopback, `invalid` (and below) never exists. Answered here, with no query sent, so that they
/// cannot be redirected by a DNS server either way.
fn special_name(host: &str) -> Option<Result<Vec<IpAddr>, String>> {
    if host == "localhost" || host.ends_with(".localhost") {
        return Some(Ok(vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)]));
    }
    if host == "invalid" || host.ends_with(".invalid") {
        return Some(Err("names under .invalid never exist".into()));
    }
    None
}

async fn connect_any(host: &str, addrs: &[SocketAddr]) -> Result<TcpStream, FetchError> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(tcp) => {
                // Requests are one small write: no reason to wait for more.
                let _ = tcp.set_nodelay(true);
                return Ok(tcp);
            }
            Err(e) => last = Some(FetchError::Connect { host: host.to_owned(), addr: *addr, message: e.to_string() }),
        }
    }
    Err(last.unwrap_or_else(|| FetchError::Dns { host: host.to_owned(), message: "the name has no address".into() }))
}

/// Aborts the connection's task when the request is done with, or abandoned at a deadline.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn send<IO>(
    io: IO,
    request: http::Request<Empty<Bytes>>,
) -> Result<(http::Response<hyper::body::Incoming>, AbortOnDrop), hyper::Error>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::Builder::new().max_buf_size(MAX_HEADER_BYTES).handshake(io).await?;
    let driver = AbortOnDrop(tokio::spawn(async move {
        // Its errors surface through the request and the body being read.
        let _ = connection.await;
    }));
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    Ok((response, driver))
}

fn tls_error(host: &str, e: &std::io::Error) -> FetchError {
    use rustls::CertificateError as C;
    let message = match e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
        Some(rustls::Error::InvalidCertificate(C::UnknownIssuer)) => {
            "the certificate is not signed by an authority certfolio trusts".to_owned()
        }
        Some(rustls::Error::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. })) => {
            format!("the certificate is not valid for {host}")
        }
        Some(rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. })) => {
            "the certificate has expired".to_owned()
        }
        Some(other) => other.to_string(),
        None => format!("the connection failed during the handshake ({e})"),
    };
    FetchError::Tls { host: host.to_owned(), message }
}

fn check_type(url: &Url, content_type: Option<&str>, accept: &[Expect]) -> Result<(), FetchError> {
    if accept.is_empty() {
        return Ok(());
    }
    let wanted: Vec<&str> = accept.iter().flat_map(|e| e.media_types()).collect();
    if content_type.is_some_and(|t| wanted.contains(&essence(t).as_str())) {
        return Ok(());
    }
    Err(FetchError::ContentType {
        url: url.to_string(),
        got: content_type.map(str::to_owned),
        expected: wanted.join(" or "),
    })
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn from_entry(url: Url, entry: cache::Entry, source: Source) -> Fetched {
    Fetched {
        status: 200,
        url,
        content_type: entry.content_type,
        etag: entry.etag,
        last_modified: entry.last_modified,
        body: entry.body,
        fetched_at: entry.fetched_at,
        source,
    }
}

/// One semaphore per host name, made on first use. Entries nobody holds or waits for are
/// dropped once the map grows, so that a stream of distinct hosts cannot grow it without bound.
struct HostSlots {
    per_host: usize,
    map: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl HostSlots {
    const TIDY_ABOVE: usize = 256;

    fn new(per_host: usize) -> HostSlots {
        HostSlots { per_host, map: Mutex::new(HashMap::new()) }
    }

    fn semaphore(&self, host: &str) -> Arc<Semaphore> {
        let mut map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > Self::TIDY_ABOVE {
            // Held or waited for means another `Arc` (a permit or a pending acquire) exists.
            map.retain(|_, s| Arc::strong_count(s) > 1);
        }
        map.entry(host.to_owned()).or_insert_with(|| Arc::new(Semaphore::new(self.per_host))).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn online(settings: FetchSettings) -> Fetcher {
        Fetcher::new(&settings, "https://certfolio.test", Clock::system()).expect("fetcher")
    }

    #[test]
    fn offline_builds_nothing() {
        let f =
            Fetcher::new(&FetchSettings { offline: true, ..Default::default() }, "", Clock::system()).expect("fetcher");
        assert!(f.is_offline());
        assert!(!online(FetchSettings::default()).is_offline());
    }

    #[test]
    fn content_types_match_without_parameters_or_case() {
        let url = Url::parse("https://issuer.example/a").expect("url");
        assert!(check_type(&url, Some("Application/LD+JSON; charset=utf-8"), &[Expect::JsonLd]).is_ok());
        assert!(check_type(&url, Some("application/did+ld+json"), &[Expect::DidJson]).is_ok());
        let e = check_type(&url, Some("text/html"), &[Expect::Json, Expect::JsonLd]).expect_err("mismatch");
        assert_eq!(
            e.to_string(),
            "https://issuer.example/a: the response is text/html where application/json or application/ld+json was expected"
        );
        assert!(check_type(&url, None, &[Expect::Png]).is_err());
        assert!(check_type(&url, None, &[]).is_ok());
    }

    #[test]
    fn special_names_never_reach_a_resolver() {
        assert!(matches!(special_name("localhost"), Some(Ok(_))));
        assert!(matches!(special_name("api.localhost"), Some(Ok(_))));
        assert!(matches!(special_name("issuer.invalid"), Some(Err(_))));
        assert!(special_name("localhost.example.org").is_none());
    }

    #[test]
    fn host_slots_are_tidied() {
        let slots = HostSlots::new(2);
        let held = slots.semaphore("kept.example");
        for i in 0..300 {
            let _ = slots.semaphore(&format!("h{i}.example"));
        }
        let len = slots.map.lock().expect("lock").len();
        assert!(len <= HostSlots::TIDY_ABOVE + 1, "{len}");
        assert!(Arc::ptr_eq(&held, &slots.semaphore("kept.example")));
    }
}
