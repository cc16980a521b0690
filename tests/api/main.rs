//! One integration-test binary (one link step): the service through its router, and the
//! real binary end to end.

// Tests fail loudly by design: an unwrap is an assertion here.
#![allow(clippy::unwrap_used)]

mod accounts;
mod badges;
mod builder_pages;
mod courses;
mod e2e;
mod evidence;
mod fetch;
mod hardening;
mod helpers;
mod import;
mod instances;
mod interop;
mod issuer;
mod learner_pages;
mod openapi;
mod pages;
mod pdf;
mod portfolio_model;
mod robustness;
mod saved_portfolios;
mod shares;
mod throttling;
mod verification;
