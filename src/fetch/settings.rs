//! The operator's settings for outbound requests, and the parsing of their command-line and
//! environment spellings. Every parser returns a message that the command line prefixes with
//! the flag's name, so that a typo stops the start with one line instead of weakening a check.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::config::MIB;

#[derive(Debug, Clone, Default)]
pub struct FetchSettings {
    /// Refuse every request without opening a socket (`--offline`).
    pub offline: bool,
    /// Test/staging only, like curl's `--resolve`: `(host, port)` → the address to connect to.
    /// A mapped host is exempt from the address guard; TLS is still verified for the host name.
    pub resolve: BTreeMap<(String, u16), SocketAddr>,
    /// CA certificates trusted in addition to the built-in roots (`--fetch-ca`).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Host names that may be fetched over plain http (`--fetch-allow-http`), lower case.
    pub allow_http: Vec<String>,
    pub limits: FetchLimits,
}

/// Bounds on every request. The defaults suit verification: small JSON documents and images
/// from issuers' servers, a handful per badge.
#[derive(Debug, Clone, Copy)]
pub struct FetchLimits {
    /// Resolving, connecting and the TLS handshake, per connection.
    pub connect_timeout: Duration,
    /// One fetch from start to last body byte, redirects included.
    pub total_timeout: Duration,
    /// The largest body read, unless the caller asks for another cap.
    pub max_bytes: usize,
    /// Requests to one host at once; more wait for a slot.
    pub per_host: usize,
    /// Requests at once in all.
    pub overall: usize,
    /// How long a request waits for a slot before giving up with `Busy`.
    pub queue_wait: Duration,
    /// The response cache: at most this many entries…
    pub cache_entries: usize,
    /// …holding at most this many body bytes in all.
    pub cache_bytes: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_bytes: 2 * MIB,
            per_host: 4,
            overall: 16,
            queue_wait: Duration::from_secs(15),
            cache_entries: 512,
            cache_bytes: 32 * MIB,
        }
    }
}

/// `HOST:PORT=ADDR:PORT`, e.g. `issuer.test:443=127.0.0.1:38443` or `issuer.test:443=[::1]:8443`.
pub fn parse_resolve(rule: &str) -> Result<((String, u16), SocketAddr), String> {
    let form = "expected HOST:PORT=ADDR:PORT, e.g. issuer.test:443=127.0.0.1:8443";
    let (from, to) = rule.trim().split_once('=').ok_or_else(|| format!("`{rule}`: {form}"))?;
    let (host, port) = from.rsplit_once(':').ok_or_else(|| format!("`{rule}`: {form}"))?;
    let host = parse_host_name(host).map_err(|e| format!("`{rule}`: {e}"))?;
    let port: u16 = port.parse().ok().filter(|p| *p != 0).ok_or_else(|| format!("`{rule}`: `{port}` is not a port"))?;
    let addr: SocketAddr = to.parse().map_err(|_| format!("`{rule}`: `{to}` is not ADDR:PORT ({form})"))?;
    if addr.port() == 0 {
        return Err(format!("`{rule}`: `{to}` has no port"));
    }
    Ok(((host, port), addr))
}

/// A host name for `--fetch-allow-http`.
pub fn parse_allow_http(host: &str) -> Result<String, String> {
    parse_host_name(host).map_err(|e| format!("`{host}`: {e}"))
}

/// A DNS name, lower-cased the way the `url` crate writes hosts, so that it compares equal to
/// a parsed URL's host. IP addresses are refused: these settings name hosts.
fn parse_host_name(host: &str) -> Result<String, String> {
    let host = host.trim();
    let parsed = url::Host::parse(host).map_err(|_| "not a host name".to_owned())?;
    match parsed {
        url::Host::Domain(d) if !d.is_empty() && !d.contains(['/', '@', ':']) => Ok(d.trim_end_matches('.').to_owned()),
        url::Host::Domain(_) => Err("not a host name".into()),
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => Err("an IP address, not a host name".into()),
    }
}

/// Reads the PEM file of `--fetch-ca`: one or more `CERTIFICATE` blocks, each of which must be
/// usable as a trust anchor.
pub fn load_ca(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut certs = Vec::new();
    for (i, cert) in CertificateDer::pem_slice_iter(&bytes).enumerate() {
        let cert = cert.map_err(|e| format!("{}: certificate {}: not readable PEM ({e})", path.display(), i + 1))?;
        let mut probe = rustls::RootCertStore::empty();
        probe
            .add(cert.clone())
            .map_err(|e| format!("{}: certificate {}: not a usable CA certificate ({e})", path.display(), i + 1))?;
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err(format!("{}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it", path.display()));
    }
    Ok(certs)
}

/// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` (and empty), for `CERTFOLIO_OFFLINE`.
pub fn parse_switch(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        other => Err(format!("`{other}` is not 1/true or 0/false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_rules() {
        let ((host, port), addr) = parse_resolve("Issuer.Test:443=127.0.0.1:38443").expect("rule");
        assert_eq!((host.as_str(), port), ("issuer.test", 443));
        assert_eq!(addr, "127.0.0.1:38443".parse().expect("addr"));
        let (_, addr) = parse_resolve("issuer.test:443=[::1]:8443").expect("rule");
        assert_eq!(addr, "[::1]:8443".parse().expect("addr"));
        for bad in [
            "issuer.test=127.0.0.1:1",
            "issuer.test:443",
            "issuer.test:x=127.0.0.1:1",
            "issuer.test:0=127.0.0.1:1",
            "issuer.test:443=127.0.0.1",
            "issuer.test:443=localhost:80",
            "127.0.0.1:443=127.0.0.1:1",
            ":443=127.0.0.1:1",
            "a/b:443=127.0.0.1:1",
        ] {
            let e = parse_resolve(bad).expect_err(bad);
            assert!(e.starts_with(&format!("`{bad}`")), "{bad}: {e}");
        }
    }

    #[test]
    fn allow_http_hosts() {
        assert_eq!(parse_allow_http("Staging.Example.ORG").expect("host"), "staging.example.org");
        assert!(parse_allow_http("10.0.0.1").is_err());
        assert!(parse_allow_http("").is_err());
    }

    #[test]
    fn switches() {
        assert_eq!(parse_switch("1"), Ok(true));
        assert_eq!(parse_switch("TRUE"), Ok(true));
        assert_eq!(parse_switch("0"), Ok(false));
        assert_eq!(parse_switch(""), Ok(false));
        assert!(parse_switch("maybe").is_err());
    }

    #[test]
    fn ca_files_that_do_not_read_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("missing.pem");
        assert!(load_ca(&missing).expect_err("missing").contains("cannot read"));
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        assert!(load_ca(&empty).expect_err("empty").contains("no PEM certificate"));
        let garbage = dir.path().join("garbage.pem");
        std::fs::write(&garbage, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").expect("write");
        let e = load_ca(&garbage).expect_err("garbage");
        assert!(e.contains("certificate 1"), "{e}");
    }
}
