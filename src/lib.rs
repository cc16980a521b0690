//! certfolio: a learner's record of MOOCs and attestations, and the portfolios made from it.
//!
//! Layout: `domain` (pure types and rules) · `storage` (the only SQL, and the object store;
//! SQLite or PostgreSQL) · `jobs` (background work, once across instances) · `auth` (passwords,
//! tokens, throttling) · `state` (`AppState`: the storage and the in-memory caches every
//! handler shares) · `service` (the jobs the API and the pages share: accounts, sessions,
//! courses, evidence, shares) · `api` (JSON handlers) · `web` (HTML pages) · `app`
//! (`build_app`, shared by `serve` and the tests) · `cli` (the command line) · `error` (one
//! error type, mapped to JSON under `/api` and to pages elsewhere) · `i18n` (every word, one
//! file per language) · `fetch` (the only outbound HTTP client, guarded, for verification) ·
//! `proof` (Data Integrity proofs, offline) · `verify` (certfolio's own checks of the proofs a
//! record holds, and their job).

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod extract;
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
pub mod service;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod verify;
pub mod web;

pub use app::build_app;
pub use state::AppState;
