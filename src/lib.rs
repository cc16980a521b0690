//! certfolio: a learner's record of MOOCs and attestations, and the portfolios made from it.
//!
//! Layout: `domain` (pure types and rules) · `storage` (the only SQL, and the object store;
//! SQLite or PostgreSQL) · `jobs` (background work, once across instances) · `auth` (passwords,
//! tokens, throttling) · `api` (JSON handlers) · `app` (`build_app`, shared by `serve` and the
//! tests) · `cli` (the command line) · `error` (one error type, mapped to JSON) · `fetch` (the
//! only outbound HTTP client, guarded, for verification).

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod fetch;
// The fuzz targets' bodies: built for `cargo test` (corpus replay) and for cargo-fuzz (which
// sets `--cfg fuzzing`), never into the service, whose requests must not reach an assertion.
#[cfg(any(test, fuzzing))]
pub mod fuzz_entry;
pub mod i18n;
pub mod interop;
pub mod issue;
pub mod jobs;
pub mod pdf;
pub mod presentation;
pub mod proof;
pub mod storage;
pub mod telemetry;
pub mod web;

pub use app::{AppState, build_app};
