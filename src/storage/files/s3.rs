//! A small S3 client for the object store: PUT, GET, DELETE, ListObjectsV2 and a bucket check,
//! signed with AWS Signature Version 4, over hyper's HTTP/1.1 client (plain http for a store on
//! a private network or loopback, https with rustls and the `ring` provider otherwise).
//!
//! This is **storage**, not a way out for verification: it talks only to the one endpoint the
//! operator configured (`--files`), never to an address taken from a request or a badge, and it
//! shares nothing with `crate::fetch` (the guarded client verification uses), which stays the
//! only way out for anything else. It is ours rather than `object_store`'s because the project
//! already builds hyper and rustls(ring): `object_store`'s `aws` feature brings reqwest and
//! a second TLS stack for what is ~400 lines here.
//!
//! Tested against SeaweedFS's S3 gateway; the same requests are what AWS S3, MinIO, Garage or
//! Ceph RGW take (path-style addressing by default with an `endpoint`, virtual-hosted without).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use hmac::{Hmac, Mac};
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use sha2::{Digest, Sha256};

use super::Listed;
use crate::storage::{Error, Result};

/// A request (its body included) that takes longer than this fails.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Idle connections kept for the next requests.
const IDLE_CONNECTIONS: usize = 8;
/// The largest answer read (objects are at most the evidence or import limit, 10 MiB).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// `s3://bucket/prefix?endpoint=…&region=…&path_style=true|false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    /// Prepended to every object's name (`prefix/sha256/…`), empty for none.
    pub prefix: String,
    /// `http(s)://host[:port]`; none: AWS (`https://s3.REGION.amazonaws.com`).
    pub endpoint: Option<String>,
    pub region: String,
    pub path_style: bool,
}

impl S3Url {
    /// `rest` is what follows `s3://`.
    pub fn parse(rest: &str) -> Result<S3Url, String> {
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid_bucket {
            return Err(format!("`{bucket}` is not a bucket name (3 to 63 of a-z, 0-9, `-`, `.`)"));
        }
        let (mut endpoint, mut region, mut path_style) = (None, None, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "endpoint" => {
                    let v = v.trim_end_matches('/');
                    let url = url::Url::parse(v).map_err(|e| format!("endpoint `{v}`: {e}"))?;
                    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || url.path() != "/" {
                        return Err(format!("endpoint `{v}`: give http(s)://host[:port] and nothing else"));
                    }
                    endpoint = Some(v.to_owned());
                }
                "region" if !v.is_empty() => region = Some(v.to_owned()),
                "path_style" => {
                    path_style = Some(match v {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        other => return Err(format!("path_style: `{other}` is not true or false")),
                    });
                }
                other => return Err(format!("`{other}` is not a setting of s3:// (endpoint, region, path_style)")),
            }
        }
        let prefix = prefix.trim_matches('/').to_owned();
        Ok(S3Url {
            bucket: bucket.to_owned(),
            path_style: path_style.unwrap_or(endpoint.is_some()),
            prefix,
            endpoint,
            region: region.unwrap_or_else(|| "us-east-1".to_owned()),
        })
    }

    /// The URL `parse` reads back.
    pub fn url(&self) -> String {
        let prefix = if self.prefix.is_empty() { String::new() } else { format!("/{}", self.prefix) };
        let endpoint = self.endpoint.as_ref().map(|e| format!("endpoint={e}&")).unwrap_or_default();
        format!("s3://{}{prefix}?{endpoint}region={}&path_style={}", self.bucket, self.region, self.path_style)
    }

    pub fn describe(&self) -> String {
        let prefix = if self.prefix.is_empty() { String::new() } else { format!("/{}", self.prefix) };
        let endpoint = self.endpoint.as_deref().unwrap_or("AWS");
        format!("s3://{}{prefix} ({endpoint}, {})", self.bucket, self.region)
    }
}

#[derive(Clone)]
struct Credentials {
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
}

#[derive(Clone)]
pub struct S3Store {
    inner: Arc<Inner>,
}

struct Inner {
    url: S3Url,
    credentials: Credentials,
    https: bool,
    /// The host:port connected to, and the `Host` header's value.
    connect: (String, u16),
    host_header: String,
    /// The path of the bucket's root: `/bucket` (path style) or `` (virtual-hosted).
    base_path: String,
    tls: Option<tokio_rustls::TlsConnector>,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

impl S3Store {
    /// The client for `url`, with the credentials of the environment (`AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, optionally `AWS_SESSION_TOKEN`). Makes no request.
    pub fn new(url: &S3Url) -> Result<S3Store> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let (Some(access_key), Some(secret_key)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) else {
            return Err(Error::Files(
                "s3:// needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment".into(),
            ));
        };
        let credentials = Credentials { access_key, secret_key, session_token: var("AWS_SESSION_TOKEN") };
        let endpoint = url.endpoint.clone().unwrap_or_else(|| format!("https://s3.{}.amazonaws.com", url.region));
        let parsed = url::Url::parse(&endpoint).map_err(|e| Error::Files(format!("endpoint: {e}")))?;
        let https = parsed.scheme() == "https";
        let host = parsed.host_str().unwrap_or_default().to_owned();
        let port = parsed.port_or_known_default().unwrap_or(if https { 443 } else { 80 });
        let default_port = parsed.port().is_none();
        let (connect_host, base_path) = if url.path_style {
            (host.clone(), format!("/{}", url.bucket))
        } else {
            (format!("{}.{host}", url.bucket), String::new())
        };
        let host_header = if default_port { connect_host.clone() } else { format!("{connect_host}:{port}") };
        let tls = if https {
            let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| Error::Files(format!("TLS set-up failed: {e}")))?
                .with_root_certificates(roots)
                .with_no_client_auth();
            Some(tokio_rustls::TlsConnector::from(Arc::new(config)))
        } else {
            None
        };
        Ok(S3Store {
            inner: Arc::new(Inner {
                url: url.clone(),
                credentials,
                https,
                connect: (connect_host, port),
                host_header,
                base_path,
                tls,
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    pub fn describe(&self) -> String {
        self.inner.url.describe()
    }

    fn key(&self, sha256: &str) -> String {
        if self.inner.url.prefix.is_empty() {
            format!("sha256/{sha256}")
        } else {
            format!("{}/sha256/{sha256}", self.inner.url.prefix)
        }
    }

    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<()> {
        let key = self.key(sha256);
        let answer = self.send(Method::PUT, &key, &[], bytes, &[("content-type", "application/octet-stream")]).await?;
        answer.expect_ok(&format!("PUT {key}"))?;
        Ok(())
    }

    pub async fn get(&self, sha256: &str) -> Result<Option<Bytes>> {
        let key = self.key(sha256);
        let answer = self.send(Method::GET, &key, &[], Bytes::new(), &[]).await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        Ok(Some(answer.expect_ok(&format!("GET {key}"))?))
    }

    pub async fn delete(&self, sha256: &str) -> Result<()> {
        let key = self.key(sha256);
        let answer = self.send(Method::DELETE, &key, &[], Bytes::new(), &[]).await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(());
        }
        answer.expect_ok(&format!("DELETE {key}"))?;
        Ok(())
    }

    pub async fn list(&self) -> Result<Vec<Listed>> {
        let prefix = self.key("");
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![("list-type", "2".to_owned()), ("prefix", prefix.clone())];
            if let Some(t) = &token {
                query.push(("continuation-token", t.clone()));
            }
            let answer = self.send(Method::GET, "", &query, Bytes::new(), &[]).await?;
            let body = answer.expect_ok("ListObjectsV2")?;
            let xml = String::from_utf8_lossy(&body);
            for item in elements(&xml, "Contents") {
                let key = element(item, "Key").map(unescape).unwrap_or_default();
                let Some(name) = key.strip_prefix(&prefix).filter(|n| super::is_sha256(n)) else { continue };
                let modified = element(item, "LastModified").and_then(parse_time).unwrap_or(0);
                out.push(Listed { sha256: name.to_owned(), modified });
            }
            let truncated = element(&xml, "IsTruncated").is_some_and(|t| t.trim() == "true");
            token = element(&xml, "NextContinuationToken").map(unescape);
            if !truncated || token.is_none() {
                break;
            }
        }
        out.sort_by(|a, b| a.sha256.cmp(&b.sha256));
        Ok(out)
    }

    /// The bucket exists and these credentials may list it.
    pub async fn ping(&self) -> Result<()> {
        let query = vec![("list-type", "2".to_owned()), ("max-keys", "1".to_owned())];
        let answer = self.send(Method::GET, "", &query, Bytes::new(), &[]).await?;
        answer.expect_ok(&format!("bucket {}", self.inner.url.bucket))?;
        Ok(())
    }

    /// Creates the bucket (tests and first set-up; an existing bucket of ours is fine).
    pub async fn create_bucket(&self) -> Result<()> {
        let answer = self.send(Method::PUT, "", &[], Bytes::new(), &[]).await?;
        if answer.status.is_success() || answer.code() == "BucketAlreadyOwnedByYou" {
            return Ok(());
        }
        answer.expect_ok(&format!("create bucket {}", self.inner.url.bucket)).map(|_| ())
    }

    async fn send(
        &self,
        method: Method,
        key: &str,
        query: &[(&str, String)],
        body: Bytes,
        extra: &[(&str, &str)],
    ) -> Result<Answer> {
        let request = self.signed(method, key, query, body, extra, time::OffsetDateTime::now_utc())?;
        tokio::time::timeout(REQUEST_TIMEOUT, self.exchange(request))
            .await
            .map_err(|_| Error::Files(format!("{}: no answer within {REQUEST_TIMEOUT:?}", self.describe())))?
    }

    fn signed(
        &self,
        method: Method,
        key: &str,
        query: &[(&str, String)],
        body: Bytes,
        extra: &[(&str, &str)],
        at: time::OffsetDateTime,
    ) -> Result<Request<Full<Bytes>>> {
        let inner = &self.inner;
        let path = if key.is_empty() {
            if inner.base_path.is_empty() { "/".to_owned() } else { inner.base_path.clone() }
        } else {
            format!("{}/{}", inner.base_path, uri_encode(key, false))
        };
        let mut query: Vec<(String, String)> =
            query.iter().map(|(k, v)| (uri_encode(k, true), uri_encode(v, true))).collect();
        query.sort();
        let canonical_query: String = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let payload_hash = hex(&Sha256::digest(&body));
        let (amz_date, date) = amz_dates(at);
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), inner.host_header.clone()),
            ("x-amz-content-sha256".into(), payload_hash.clone()),
            ("x-amz-date".into(), amz_date.clone()),
        ];
        if let Some(token) = &inner.credentials.session_token {
            headers.push(("x-amz-security-token".into(), token.clone()));
        }
        for (k, v) in extra {
            headers.push(((*k).to_ascii_lowercase(), (*v).to_owned()));
        }
        headers.sort();
        let signed_headers = headers.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
        let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{}\n", v.trim())).collect();
        let canonical =
            format!("{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}");
        let scope = format!("{date}/{}/s3/aws4_request", inner.url.region);
        let to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex(&Sha256::digest(canonical.as_bytes())));
        let key = signing_key(&inner.credentials.secret_key, &date, &inner.url.region)?;
        let signature = hex(&hmac(&key, to_sign.as_bytes())?);
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            inner.credentials.access_key
        );
        let uri = if canonical_query.is_empty() { path } else { format!("{path}?{canonical_query}") };
        let mut builder = Request::builder().method(method).uri(uri);
        for (k, v) in &headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        builder
            .header("authorization", authorization)
            .header("content-length", body.len())
            .body(Full::new(body))
            .map_err(|e| Error::Files(format!("bad request: {e}")))
    }

    async fn exchange(&self, request: Request<Full<Bytes>>) -> Result<Answer> {
        let mut sender = match self.idle_connection() {
            Some(s) => s,
            None => self.connect().await?,
        };
        let failed = |e: &dyn std::fmt::Display| Error::Files(format!("{}: {e}", self.describe()));
        sender.ready().await.map_err(|e| failed(&e))?;
        let response = sender.send_request(request).await.map_err(|e| failed(&e))?;
        let status = response.status();
        let body = http_body_util::Limited::new(response.into_body(), MAX_BODY)
            .collect()
            .await
            .map_err(|e| failed(&e))?
            .to_bytes();
        let mut idle = self.inner.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < IDLE_CONNECTIONS && !sender.is_closed() {
            idle.push(sender);
        }
        Ok(Answer { status, body })
    }

    fn idle_connection(&self) -> Option<SendRequest<Full<Bytes>>> {
        let mut idle = self.inner.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some(s) = idle.pop() {
            if !s.is_closed() {
                return Some(s);
            }
        }
        None
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>> {
        let (host, port) = &self.inner.connect;
        let failed = |e: &dyn std::fmt::Display| Error::Files(format!("{}: cannot connect: {e}", self.describe()));
        let tcp = tokio::net::TcpStream::connect((host.as_str(), *port)).await.map_err(|e| failed(&e))?;
        let _ = tcp.set_nodelay(true);
        match (&self.inner.tls, self.inner.https) {
            (Some(tls), true) => {
                let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| failed(&e))?;
                let stream = tls.connect(name, tcp).await.map_err(|e| failed(&e))?;
                let (sender, conn) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| failed(&e))?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                Ok(sender)
            }
            _ => {
                let (sender, conn) =
                    hyper::client::conn::http1::handshake(TokioIo::new(tcp)).await.map_err(|e| failed(&e))?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                Ok(sender)
            }
        }
    }
}

struct Answer {
    status: StatusCode,
    body: Bytes,
}

impl Answer {
    /// S3's error code (`NoSuchBucket`, `AccessDenied`…), from the XML body.
    fn code(&self) -> String {
        element(&String::from_utf8_lossy(&self.body), "Code").map(unescape).unwrap_or_default()
    }

    fn expect_ok(self, what: &str) -> Result<Bytes> {
        if self.status.is_success() {
            return Ok(self.body);
        }
        let code = self.code();
        let code = if code.is_empty() { String::new() } else { format!(" {code}") };
        Err(Error::Files(format!("{what}: {}{code}", self.status)))
    }
}

/// `20261201T101500Z` and `20261201`.
fn amz_dates(at: time::OffsetDateTime) -> (String, String) {
    let date = format!("{:04}{:02}{:02}", at.year(), u8::from(at.month()), at.day());
    (format!("{date}T{:02}{:02}{:02}Z", at.hour(), at.minute(), at.second()), date)
}

fn hmac(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| Error::Files(format!("HMAC: {e}")))?;
    mac.update(data);
    Ok(mac.finalize().into_bytes().to_vec())
}

fn signing_key(secret: &str, date: &str, region: &str) -> Result<Vec<u8>> {
    let k = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes())?;
    let k = hmac(&k, region.as_bytes())?;
    let k = hmac(&k, b"s3")?;
    hmac(&k, b"aws4_request")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SigV4's URI encoding: everything but `A-Za-z0-9-_.~` percent-encoded; `/` too, unless it
/// separates the segments of an object's name.
fn uri_encode(s: &str, slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b'/' if !slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The text of each `<tag>…</tag>` in `xml` (S3's answers are flat enough for this).
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    elements(xml, tag).into_iter().next()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// `2026-12-01T10:15:00.000Z` → Unix seconds.
fn parse_time(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's documented example (Signature V4 for S3, "GET Object" with a range): the same
    /// credentials, time and request give the same signature.
    #[test]
    fn signatures_match_the_aws_example() {
        let url = S3Url {
            bucket: "examplebucket".into(),
            prefix: String::new(),
            endpoint: None,
            region: "us-east-1".into(),
            path_style: false,
        };
        let store = S3Store {
            inner: Arc::new(Inner {
                url,
                credentials: Credentials {
                    access_key: "AKIAIOSFODNN7EXAMPLE".into(),
                    secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
                    session_token: None,
                },
                https: true,
                connect: ("examplebucket.s3.amazonaws.com".into(), 443),
                host_header: "examplebucket.s3.amazonaws.com".into(),
                base_path: String::new(),
                tls: None,
                idle: Mutex::new(Vec::new()),
            }),
        };
        let at = time::macros::datetime!(2013-05-24 00:00:00 UTC);
        let r = store.signed(Method::GET, "test.txt", &[], Bytes::new(), &[("range", "bytes=0-9")], at).unwrap();
        let auth = r.headers()["authorization"].to_str().unwrap();
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn listings_are_read() {
        let xml = "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>p/sha256/aa</Key>\
                   <LastModified>2026-12-01T10:15:00.000Z</LastModified></Contents>\
                   <NextContinuationToken>a&amp;b</NextContinuationToken></ListBucketResult>";
        assert_eq!(elements(xml, "Contents").len(), 1);
        assert_eq!(element(xml, "NextContinuationToken").map(unescape).as_deref(), Some("a&b"));
        assert_eq!(parse_time("2026-12-01T10:15:00.000Z"), Some(1_796_120_100));
        assert_eq!(uri_encode("a b/c=d", false), "a%20b/c%3Dd");
        assert_eq!(uri_encode("a/b", true), "a%2Fb");
    }
}
