//! Settings of a running service, and the clock it reads (injectable, so that tests can
//! move time forward past an expiry instead of sleeping).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// `--database`: `None` is SQLite in the data folder.
    pub database: Option<crate::storage::DatabaseUrl>,
    /// `--files`: `None` is the `files` folder in the data folder.
    pub files: Option<crate::storage::files::FilesUrl>,
    /// `--db-connections`: PostgreSQL connections of this instance.
    pub db_connections: usize,
    /// `--database-ca`: CA certificates trusted for TLS to PostgreSQL, besides Mozilla's.
    pub database_ca: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// The address users reach the service at, e.g. `https://certfolio.example.org`. When it
    /// is https, cookies are `Secure` and `__Host-` prefixed.
    pub public_url: String,
    /// A session ends after this long without use…
    pub session_idle: Duration,
    /// …and after this long in any case.
    pub session_absolute: Duration,
    pub evidence_max_bytes: usize,
    pub evidence_quota_files: i64,
    pub evidence_quota_bytes: i64,
    pub import_max_bytes: usize,
    pub login: LoginLimits,
    /// Accounts one client address may create per hour (throwaway accounts are how one
    /// visitor would multiply every per-account budget).
    pub signups_per_hour: u32,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` headers say who the client is (see
    /// `auth::client`); empty: the socket's peer is the client.
    pub trusted_proxies: Vec<crate::auth::client::Cidr>,
    /// Outbound requests made by verification (`crate::fetch`): offline mode, the test/staging
    /// resolve rules, extra trusted CAs, http-allowed hosts, limits.
    pub fetch: crate::fetch::FetchSettings,
    /// certfolio's own checks of proofs (`crate::verify`): re-check age, per-learner budget,
    /// concurrency, "check now" rate.
    pub verify: crate::verify::VerifySettings,
}

/// Login throttling (ASVS V6.3.1): per account, a few free failures and then a growing
/// pause capped low enough that the real owner is never locked out for long; per client
/// address, a budget of failures per window against password spraying.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub account_free_failures: u32,
    pub account_base_delay: Duration,
    pub account_max_delay: Duration,
    pub ip_max_failures: u32,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            account_free_failures: 5,
            account_base_delay: Duration::from_secs(30),
            account_max_delay: Duration::from_secs(15 * 60),
            ip_max_failures: 50,
            window: Duration::from_secs(15 * 60),
        }
    }
}

pub const MIB: usize = 1024 * 1024;

/// The largest file an import takes, over HTTP (`Config::import_max_bytes`) and on the command
/// line: a 5000-course document is about 3 MiB.
pub const IMPORT_MAX_BYTES: usize = 8 * MIB;

impl Config {
    pub fn new(data_dir: PathBuf, public_url: String) -> Config {
        Config {
            data_dir,
            database: None,
            files: None,
            db_connections: crate::storage::DEFAULT_CONNECTIONS,
            database_ca: Vec::new(),
            public_url: public_url.trim_end_matches('/').to_owned(),
            session_idle: Duration::from_secs(24 * 3600),
            session_absolute: Duration::from_secs(14 * 24 * 3600),
            evidence_max_bytes: 10 * MIB,
            evidence_quota_files: 200,
            evidence_quota_bytes: 200 * 1024 * 1024,
            import_max_bytes: IMPORT_MAX_BYTES,
            login: LoginLimits::default(),
            signups_per_hour: 20,
            trusted_proxies: Vec::new(),
            fetch: crate::fetch::FetchSettings::default(),
            verify: crate::verify::VerifySettings::default(),
        }
    }

    /// Where the database and the object store are: as configured, else both in the data folder.
    pub fn storage(&self) -> crate::storage::Settings {
        let default = crate::storage::Settings::in_data_dir(&self.data_dir);
        crate::storage::Settings {
            database: self.database.clone().unwrap_or(default.database),
            files: self.files.clone().unwrap_or(default.files),
            connections: self.db_connections,
            database_ca: self.database_ca.clone(),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `__Host-` requires `Secure`, which browsers refuse on plain http (other than localhost).
    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies() { "__Host-certfolio" } else { "certfolio" }
    }
}

/// The issuers whose badge signatures are trusted: `trusted-issuers.json` in the data folder
/// (format in the README and `interop::trust`). No file means no trusted issuer; a file that
/// does not read is an error naming the file and the entry, so that a typo never silently
/// stops badges from being verified.
pub fn load_trust_store(data_dir: &std::path::Path) -> Result<crate::interop::TrustStore, String> {
    let path = data_dir.join(crate::interop::trust::FILE_NAME);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(crate::interop::TrustStore::default()),
        Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
    };
    crate::interop::TrustStore::from_json(&bytes).map_err(|e| {
        let at = if e.path.is_empty() { String::new() } else { format!("{}: ", e.path) };
        format!("{}: {at}{}", path.display(), e.message())
    })
}

/// Wall-clock seconds, or a manual clock in tests.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    pub fn system() -> Clock {
        Clock(None)
    }

    pub fn manual(start: i64) -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(start))))
    }

    /// Unix seconds, UTC.
    pub fn now(&self) -> i64 {
        match &self.0 {
            Some(t) => t.load(Ordering::SeqCst),
            None => time::OffsetDateTime::now_utc().unix_timestamp(),
        }
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, by: Duration) {
        if let Some(t) = &self.0 {
            t.fetch_add(i64::try_from(by.as_secs()).unwrap_or(i64::MAX), Ordering::SeqCst);
        }
    }
}

/// Unix seconds as RFC 3339 (`2026-11-21T23:18:51Z`) for API responses.
pub fn rfc3339(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}
