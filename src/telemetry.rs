//! Logging set-up. Logs go to stderr; `RUST_LOG` overrides the default filter.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("certfolio=info,tower_http=warn"));
    // Ignored if a subscriber is already set (tests may call this twice).
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
