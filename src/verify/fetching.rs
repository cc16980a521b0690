//! The documents one check fetches, each once, through the guarded fetcher; and the few a badge
//! needs fetched at import to be read at all.

use std::collections::HashMap;
use std::sync::Arc;

use crate::auth::WindowBudget;
use crate::domain::check::Reason;
use crate::fetch::{Expect, FetchError, Fetched, Fetcher};
use crate::interop::openbadges::{Docs, wanted_documents};

/// Documents one check may fetch in all (a badge needs at most its assertion, class, issuer,
/// key, a list and a few contexts): a badge naming a hundred URLs cannot make one check a
/// hundred requests.
const PER_CHECK: usize = 12;

/// The largest document a check reads (status lists are the largest; real ones are tens of KiB).
pub(super) const MAX_DOC: usize = 4 * 1024 * 1024;

/// The stored form of a fetch error.
pub fn reason_of(e: &FetchError) -> Reason {
    let mut r = Reason::new(e.code(), e.to_string());
    if let FetchError::Refused { addr, .. } = e {
        r.addr = Some(addr.to_string());
    }
    r.status = e.status();
    r
}

/// What one check fetched, by URL.
pub(super) struct Fetch {
    fetcher: Arc<Fetcher>,
    seen: HashMap<String, Result<Fetched, Reason>>,
    left: usize,
}

impl Fetch {
    pub(super) fn new(fetcher: Arc<Fetcher>) -> Fetch {
        Fetch { fetcher, seen: HashMap::new(), left: PER_CHECK }
    }

    pub(super) fn online(&self) -> bool {
        !self.fetcher.is_offline()
    }

    /// The document at `url`, fetched once per check whatever is asked again.
    pub(super) async fn get(&mut self, url: &str, accept: &[Expect]) -> Result<Fetched, Reason> {
        let key = url.trim().to_owned();
        if let Some(got) = self.seen.get(&key) {
            return got.clone();
        }
        let got = if self.left == 0 {
            Err(Reason::new("budget", format!("{url}: not fetched: one check fetches at most {PER_CHECK} documents")))
        } else {
            self.left -= 1;
            self.fetcher.get_capped(&key, accept, MAX_DOC).await.map_err(|e| reason_of(&e))
        };
        self.seen.insert(key, got.clone());
        got
    }

    /// Everything fetched so far, as the badge reader takes it.
    pub(super) fn docs(&self) -> Docs {
        self.seen
            .iter()
            .map(|(url, got)| (url.clone(), got.as_ref().map(|f| f.body.to_vec()).map_err(|r| r.detail.clone())))
            .collect()
    }
}

/// Badge classes and issuer profiles are JSON (or JSON-LD).
const JSON: &[Expect] = &[Expect::Json, Expect::JsonLd];
/// At most this many documents are fetched to read one imported badge.
const PER_IMPORT: usize = 4;
/// A badge class or issuer profile is small.
const MAX_IMPORT_DOC: usize = 512 * 1024;

/// The documents an imported file needs to be read, fetched: for an Open Badges file whose
/// badge class (then issuer) is given only by URL, or a baked image holding only the
/// assertion's URL. Nothing for any other file. Each request made over the network takes one
/// use of `budget` (per learner: `key`); once it is spent, or offline, the missing document is
/// recorded with the reason, and reading the badge says so.
pub async fn documents_for_import(fetcher: &Fetcher, budget: Option<(&WindowBudget, &str, i64)>, bytes: &[u8]) -> Docs {
    let mut docs = Docs::new();
    for _ in 0..PER_IMPORT {
        let wanted = wanted_documents(bytes, &docs);
        let Some(url) = wanted.into_iter().next() else { break };
        if let Some((budget, key, now)) = budget {
            let refused = match budget.take(key, now).await {
                Ok(Ok(())) => None,
                Ok(Err(wait)) => Some(format!(
                    "this account has fetched its share of badge documents for the hour; try again in {} min",
                    wait.div_ceil(60)
                )),
                // The budget is in the database: when it cannot be counted, nothing goes out.
                Err(e) => {
                    tracing::error!(cause = %e, "could not count a badge document fetch");
                    Some(
                        "the service could not count this request against the account's budget; try again later".into(),
                    )
                }
            };
            if let Some(why) = refused {
                docs.insert(url, Err(why));
                break;
            }
        }
        let got = fetcher.get_capped(&url, JSON, MAX_IMPORT_DOC).await;
        // The budget counts requests that went out: not a cached answer, nor one refused
        // before any connection (offline, a refused address or scheme).
        let went_out = match &got {
            Ok(f) => f.source == crate::fetch::Source::Network,
            Err(e) => !matches!(e.code(), "offline" | "address_refused" | "bad_url" | "scheme_not_allowed"),
        };
        if let (false, Some((budget, key, _))) = (went_out, budget)
            && let Err(e) = budget.give_back(key).await
        {
            tracing::warn!(cause = %e, "could not give back a badge document fetch");
        }
        docs.insert(url, got.map(|f| f.body.to_vec()).map_err(|e| e.to_string()));
    }
    docs
}
