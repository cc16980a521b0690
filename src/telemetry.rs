//! Logging set-up. Logs go to stderr; `RUST_LOG` overrides the default filter.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("certfolio=info,tower_http=warn"));
    // tower-http's CSRF layer writes the raw request path at trace level, and a path may hold
    // a share token: cap that one target whatever RUST_LOG says (ASVS V16.2.5).
    let filter = match "tower_http::csrf=debug".parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    // Ignored if a subscriber is already set (tests may call this twice).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
