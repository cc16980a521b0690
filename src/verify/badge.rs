//! Checking a badge's payload with the issuer's documents.
//!
//! - Open Badges 2.0 hosted: the assertion is fetched at its `id` (410 Gone or `revoked: true`
//!   is revoked) and must be the one held, hosted within its issuer's domain (or an origin the
//!   issuer's profile allows); the badge class and issuer are fetched when named by URL.
//! - Open Badges 2.0 signed: the JWS is checked with the key its `verification.creator` names,
//!   which must belong to the issuer (the key's `owner`, listed by the issuer's profile or on
//!   the issuer's host), or with the operator's trusted key; the issuer's `revocationList`.
//! - Open Badges 3.0 / VC with Data Integrity proofs: `proof::verify_credential`, fed the
//!   documents it asks for (DID documents, controller documents, contexts, status lists).
//! - VC-JWT: the key from `did:key`/`did:jwk` (no fetch), `did:web` (its `did.json`), a JWK or
//!   JWKS at an https `kid`, or the trust file; status lists and validity as above.
//!
//! And for every badge: the recipient against the learner's emails. What could not be had is
//! listed with its reason; nothing not checked is ever reported as valid.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::fetching::Fetch;
use super::recipient;
use crate::domain::check::{
    CheckResult, NotChecked, Outcome, Reason, Recipient, Source, StatusFinding, StatusResult, What,
};
use crate::domain::issuers::host_of;
use crate::fetch::Expect;
use crate::interop::TrustStore;
use crate::interop::jws::{self, Jws};
use crate::interop::openbadges;
use crate::interop::trust::PublicKey;
use crate::proof::{self, IdentityOutcome, KeySource, NeedKind, ProofOutcome, Signer, StatusOutcome};

const JSON: &[Expect] = &[Expect::Json, Expect::JsonLd];

fn str_at<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

fn object(bytes: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn missing(what: What, url: Option<&str>, code: &str, detail: impl Into<String>) -> NotChecked {
    NotChecked { what, url: url.map(str::to_owned), reason: Reason::new(code, detail) }
}

fn fetched(host_url: &str) -> Option<Source> {
    host_of(host_url).map(|host| Source::Fetched { host, url: host_url.to_owned() })
}

/// Checks a badge payload (as stored: JSON, a compact JWS, or an assertion's URL).
pub(super) async fn check(
    f: &mut Fetch,
    trust: &TrustStore,
    payload: &str,
    emails: &[String],
    now: i64,
) -> CheckResult {
    let payload = payload.trim();
    if is_url(payload) {
        // A baked URL: what the issuer's server holds there is the badge.
        return ob2_hosted(f, trust, payload, None, emails, now).await;
    }
    if payload.starts_with('{') {
        let Some(doc) = object(payload.as_bytes()) else {
            return unreadable(f, "the badge data is not a JSON object");
        };
        if openbadges::is_ob3(&doc) {
            return data_integrity(f, payload.as_bytes(), &doc, emails, now).await;
        }
        return ob2_hosted(f, trust, payload, Some(&doc), emails, now).await;
    }
    let token = match jws::parse(payload) {
        Ok(t) => t,
        Err(e) => return unreadable(f, &format!("the badge data is not a compact JWS ({})", e.message())),
    };
    let Some(claims) = object(&token.payload) else {
        return unreadable(f, "the JWS payload is not a JSON object");
    };
    if let Some(Value::Object(vc)) = claims.get("vc") {
        return vc_jwt(f, trust, payload, &token, &claims, vc, emails, now).await;
    }
    if openbadges::is_ob3(&claims) {
        return vc_jwt(f, trust, payload, &token, &claims, &claims, emails, now).await;
    }
    ob2_signed(f, trust, payload, &token, &claims, emails, now).await
}

fn unreadable(f: &Fetch, why: &str) -> CheckResult {
    let mut r = CheckResult::new(Outcome::NotChecked, f.online());
    r.problem = Some(missing(What::Signature, None, "malformed", why));
    r
}

/// What the file alone says (name, expiry, a trust-file signature), read with what was fetched.
fn read_file(f: &Fetch, trust: &TrustStore, payload: &str, now: i64, r: &mut CheckResult) -> Result<(), String> {
    match openbadges::read_with(payload, trust, now, &f.docs()) {
        Ok(course) => {
            if let Some(check) = course.attestation.and_then(|a| a.badge).and_then(|b| b.check) {
                r.name = Some(check.name);
                r.valid_until = check.expires_at;
                r.known_as = check.verified_by;
                if check.revoked {
                    r.outcome = Outcome::Revoked;
                    r.problem = Some(missing(What::Assertion, None, "declared", "the badge data itself says revoked"));
                }
            }
            Ok(())
        }
        // The trusted key of the issuer the badge names does not verify it: altered.
        Err(e) if e.path.ends_with("signature") => Err(e.message()),
        Err(_) => Ok(()),
    }
}

/// The recipient decides last: a badge issued to someone else vouches for nothing, whatever
/// its signature; revoked or altered stays what it is.
fn apply_recipient(r: &mut CheckResult) {
    if r.recipient == Recipient::OtherRecipient && !r.outcome.disqualifies() {
        r.outcome = Outcome::OtherRecipient;
    }
}

/// The badge class an assertion names (embedded, or fetched by URL).
async fn badge_class(f: &mut Fetch, a: &Map<String, Value>, r: &mut CheckResult) -> Option<Map<String, Value>> {
    match a.get("badge") {
        Some(Value::Object(class)) => Some(class.clone()),
        Some(Value::String(url)) => match f.get(url.trim(), JSON).await {
            Ok(doc) => object(&doc.body).or_else(|| {
                r.not_checked.push(missing(What::BadgeClass, Some(url), "malformed", "not a JSON object"));
                None
            }),
            Err(reason) => {
                r.not_checked.push(NotChecked { what: What::BadgeClass, url: Some(url.trim().to_owned()), reason });
                None
            }
        },
        _ => None,
    }
}

/// The issuer a badge class names: its id, and its profile (embedded, or fetched by URL; an
/// embedded one lacking `want` is fetched at its id).
async fn issuer_of(
    f: &mut Fetch,
    class: Option<&Map<String, Value>>,
    want: &str,
    r: &mut CheckResult,
) -> (Option<String>, Option<Map<String, Value>>) {
    let (id, embedded) = match class.and_then(|c| c.get("issuer")) {
        Some(Value::String(url)) => (Some(url.trim().to_owned()), None),
        Some(Value::Object(o)) => (str_at(o, "id").or_else(|| str_at(o, "url")).map(str::to_owned), Some(o.clone())),
        _ => (None, None),
    };
    if let Some(profile) = embedded.filter(|o| o.contains_key(want)) {
        return (id, Some(profile));
    }
    let Some(url) = id.clone().filter(|u| is_url(u)) else { return (id, None) };
    match f.get(&url, JSON).await {
        Ok(doc) => (id, object(&doc.body)),
        Err(reason) => {
            r.not_checked.push(NotChecked { what: What::IssuerProfile, url: Some(url), reason });
            (id, None)
        }
    }
}

fn as_strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.trim().to_owned()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.trim().to_owned()),
                Value::Object(o) => str_at(o, "id").map(str::to_owned),
                _ => None,
            })
            .collect(),
        Some(Value::Object(o)) => str_at(o, "id").map(str::to_owned).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Open Badges 2.0 HostedBadge: within the issuer's domain, unless its profile says otherwise
/// (`verification.allowedOrigins`, `verification.startsWith`).
fn hosted_by_issuer(url: &str, issuer: Option<&str>, profile: Option<&Map<String, Value>>) -> bool {
    let host = host_of(url);
    if host.is_some() && issuer.and_then(host_of) == host {
        return true;
    }
    let Some(policy) = profile.and_then(|p| p.get("verification")).and_then(Value::as_object) else { return false };
    let origins = as_strings(policy.get("allowedOrigins"));
    let prefixes = as_strings(policy.get("startsWith"));
    host.is_some_and(|h| origins.iter().any(|o| o.eq_ignore_ascii_case(&h)))
        || prefixes.iter().any(|p| url.starts_with(p))
}

/// The first field where the issuer's copy differs from the one held.
fn differs(held: &Map<String, Value>, theirs: &Map<String, Value>) -> Option<&'static str> {
    let badge_ref = |a: &Map<String, Value>| match a.get("badge") {
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(Value::Object(o)) => str_at(o, "id").map(str::to_owned),
        _ => None,
    };
    let identity = |a: &Map<String, Value>| match a.get("recipient") {
        Some(Value::Object(o)) => o.get("identity").and_then(Value::as_str).map(|s| s.trim().to_lowercase()),
        Some(Value::String(s)) => Some(s.trim().to_lowercase()),
        _ => None,
    };
    if str_at(held, "id") != str_at(theirs, "id") {
        return Some("id");
    }
    if identity(held) != identity(theirs) {
        return Some("recipient");
    }
    if badge_ref(held) != badge_ref(theirs) {
        return Some("badge");
    }
    let issued = |a: &Map<String, Value>| a.get("issuedOn").map(|v| v.to_string());
    if issued(held) != issued(theirs) {
        return Some("issuedOn");
    }
    None
}

/// Open Badges 2.0 hosted: `held` is the assertion the learner imported (`None` when the badge
/// is only its URL, `payload`).
async fn ob2_hosted(
    f: &mut Fetch,
    trust: &TrustStore,
    payload: &str,
    held: Option<&Map<String, Value>>,
    emails: &[String],
    now: i64,
) -> CheckResult {
    let mut r = CheckResult::new(Outcome::NotChecked, f.online());
    let url = match held {
        None => Some(payload.to_owned()),
        Some(a) => {
            let verify = a.get("verification").or_else(|| a.get("verify")).and_then(Value::as_object);
            str_at(a, "id").filter(|i| is_url(i)).or_else(|| verify.and_then(|v| str_at(v, "url"))).map(str::to_owned)
        }
    };
    // The badge class held (for the name, whatever the issuer's server says).
    let mut class = None;
    if let Some(a) = held {
        r.recipient = recipient::of_ob2(a.get("recipient"), emails);
        class = badge_class(f, a, &mut r).await;
        let _ = read_file(f, trust, payload, now, &mut r);
        if r.outcome == Outcome::Revoked {
            return r;
        }
    }
    let Some(url) = url.filter(|u| u.starts_with("https://")) else {
        r.outcome = Outcome::Unverified;
        r.problem = Some(missing(
            What::Assertion,
            None,
            "missing",
            "the assertion has no https address where its issuer hosts it (its id is not a URL)",
        ));
        apply_recipient(&mut r);
        return r;
    };
    r.source = fetched(&url);
    let theirs = match f.get(&url, JSON).await {
        Ok(doc) => match object(&doc.body) {
            Some(o) => o,
            None => {
                r.problem =
                    Some(missing(What::Assertion, Some(&url), "malformed", "the issuer's answer is not a JSON object"));
                return r;
            }
        },
        Err(reason) => {
            // 410 Gone: the issuer withdrew the assertion.
            r.outcome = if reason.status == Some(410) { Outcome::Revoked } else { Outcome::NotChecked };
            r.problem = Some(NotChecked { what: What::Assertion, url: Some(url), reason });
            apply_recipient(&mut r);
            return r;
        }
    };
    if held.is_none() {
        r.recipient = recipient::of_ob2(theirs.get("recipient"), emails);
        class = badge_class(f, &theirs, &mut r).await;
        let text = serde_json::to_string(&theirs).unwrap_or_default();
        let _ = read_file(f, trust, &text, now, &mut r);
    }
    r.name = class.as_ref().and_then(|c| str_at(c, "name")).map(str::to_owned).or(r.name.take());
    let (issuer, profile) = issuer_of(f, class.as_ref(), "verification", &mut r).await;
    r.signer = issuer.clone();
    if theirs.get("revoked").and_then(Value::as_bool) == Some(true) {
        r.outcome = Outcome::Revoked;
        let why = str_at(&theirs, "revocationReason").map_or_else(
            || "the issuer's copy says revoked".to_owned(),
            |reason| format!("the issuer's copy says revoked ({reason})"),
        );
        r.problem = Some(missing(What::Assertion, Some(&url), "revoked", why));
        return r;
    }
    if let Some(field) = held.and_then(|a| differs(a, &theirs)) {
        r.outcome = Outcome::Mismatch;
        r.problem = Some(missing(
            What::Assertion,
            Some(&url),
            "mismatch",
            format!("the issuer's copy differs from the one held ({field})"),
        ));
        return r;
    }
    if hosted_by_issuer(&url, issuer.as_deref(), profile.as_ref()) {
        r.outcome = Outcome::Confirmed;
    } else {
        r.outcome = Outcome::Unverified;
        r.problem = Some(missing(
            What::Assertion,
            Some(&url),
            "origin",
            match &issuer {
                Some(i) => format!("the assertion is not hosted within its issuer's domain ({i})"),
                None => "the badge class names no issuer the assertion could be hosted by".to_owned(),
            },
        ));
    }
    apply_recipient(&mut r);
    r
}

/// Open Badges 2.0 signed (a JWS over the assertion).
async fn ob2_signed(
    f: &mut Fetch,
    trust: &TrustStore,
    payload: &str,
    token: &Jws,
    a: &Map<String, Value>,
    emails: &[String],
    now: i64,
) -> CheckResult {
    let mut r = CheckResult::new(Outcome::NotChecked, f.online());
    r.recipient = recipient::of_ob2(a.get("recipient"), emails);
    let class = badge_class(f, a, &mut r).await;
    let (issuer, profile) = issuer_of(f, class.as_ref(), "publicKey", &mut r).await;
    r.signer = issuer.clone();
    if let Err(why) = read_file(f, trust, payload, now, &mut r) {
        r.outcome = Outcome::SignatureInvalid;
        r.problem = Some(missing(What::Signature, None, "signature", why));
        return r;
    }
    r.name = class.as_ref().and_then(|c| str_at(c, "name")).map(str::to_owned).or(r.name.take());
    if r.outcome == Outcome::Revoked {
        return r;
    }
    let verification = a.get("verification").or_else(|| a.get("verify")).and_then(Value::as_object);
    let creator = verification.and_then(|v| str_at(v, "creator")).map(str::to_owned);
    if r.known_as.is_some() {
        r.outcome = Outcome::Verified;
        r.source = Some(Source::TrustFile);
    } else if let Some(key_url) = creator.filter(|c| c.starts_with("https://")) {
        match f.get(&key_url, JSON).await {
            Err(reason) => r.problem = Some(NotChecked { what: What::Key, url: Some(key_url.clone()), reason }),
            Ok(doc) => {
                let key_doc = object(&doc.body).unwrap_or_default();
                let key = str_at(&key_doc, "publicKeyPem").map(PublicKey::from_pem);
                match key {
                    None | Some(Err(_)) => r.not_checked.push(missing(
                        What::Key,
                        Some(&key_url),
                        "malformed",
                        "the key document has no usable publicKeyPem",
                    )),
                    Some(Ok(_)) if !token.supported() => r.not_checked.push(missing(
                        What::Signature,
                        None,
                        "unsupported",
                        format!("the JWS algorithm {} is not one certfolio checks (RS256, ES256, EdDSA)", token.alg),
                    )),
                    Some(Ok(key)) if !token.verify(&key) => {
                        r.outcome = Outcome::SignatureInvalid;
                        r.problem = Some(missing(
                            What::Signature,
                            Some(&key_url),
                            "signature",
                            format!("the signature does not match the data for the key at {key_url}"),
                        ));
                        return r;
                    }
                    Some(Ok(_)) => {
                        let owner = str_at(&key_doc, "owner");
                        let listed =
                            profile.as_ref().is_some_and(|p| as_strings(p.get("publicKey")).contains(&key_url));
                        let same_host =
                            issuer.as_deref().and_then(host_of).is_some_and(|h| host_of(&key_url) == Some(h));
                        let owned = owner.is_some() && owner == issuer.as_deref();
                        if owned && (listed || same_host) {
                            r.outcome = Outcome::Verified;
                            r.source = fetched(&key_url);
                        } else {
                            r.outcome = Outcome::Unverified;
                            r.problem = Some(missing(
                                What::Key,
                                Some(&key_url),
                                "not_the_issuer",
                                match (owner, &issuer) {
                                    (Some(o), Some(i)) if Some(o) != Some(i.as_str()) => {
                                        format!("the key belongs to {o}, not to the issuer {i}")
                                    }
                                    _ => "nothing ties the key to the badge's issuer (its owner, or the issuer's profile)"
                                        .to_owned(),
                                },
                            ));
                        }
                    }
                }
            }
        }
    } else {
        r.outcome = Outcome::Unverified;
        r.problem =
            Some(missing(What::Key, None, "missing", "the signed badge names no https key (verification.creator)"));
    }
    if r.outcome == Outcome::NotChecked && r.not_checked.is_empty() && r.problem.is_none() {
        r.outcome = Outcome::Unverified;
    }
    // The issuer's revocation list, when its profile names one.
    if let Some(list_url) = profile.as_ref().and_then(|p| str_at(p, "revocationList")).map(str::to_owned) {
        let finding = match f.get(&list_url, JSON).await {
            Err(reason) => StatusResult::NotChecked { reason },
            Ok(doc) => {
                let list = object(&doc.body).unwrap_or_default();
                let id = str_at(a, "id").or_else(|| str_at(a, "uid")).unwrap_or_default().to_owned();
                let revoked = match list.get("revokedAssertions") {
                    Some(Value::Array(items)) => items.iter().any(|i| match i {
                        Value::String(s) => s.trim() == id,
                        Value::Object(o) => {
                            str_at(o, "id") == Some(id.as_str()) || str_at(o, "uid") == Some(id.as_str())
                        }
                        _ => false,
                    }),
                    _ => false,
                };
                if revoked { StatusResult::Revoked } else { StatusResult::NotRevoked }
            }
        };
        if finding == StatusResult::Revoked {
            r.outcome = Outcome::Revoked;
        }
        r.status.push(StatusFinding { url: Some(list_url), result: finding });
    }
    apply_recipient(&mut r);
    r
}

/// What a Data Integrity check needs fetched, as what the fetcher should expect.
fn accept_for(kind: NeedKind) -> &'static [Expect] {
    match kind {
        NeedKind::Context => &[Expect::JsonLd, Expect::Json],
        NeedKind::DidDocument => &[Expect::DidJson, Expect::Json, Expect::JsonLd],
        NeedKind::ControllerDocument => &[Expect::Json, Expect::JsonLd],
        NeedKind::StatusList => &[Expect::Vc, Expect::JsonLd, Expect::Json],
    }
}

fn what_for(kind: NeedKind) -> What {
    match kind {
        NeedKind::Context => What::Context,
        NeedKind::DidDocument | NeedKind::ControllerDocument => What::DidDocument,
        NeedKind::StatusList => What::Status,
    }
}

/// Runs `proof::verify_credential` on `bytes` (on the blocking pool: JSON-LD is CPU work),
/// fetching what each report asks for, until it asks for nothing new.
async fn proof_report(
    f: &mut Fetch,
    bytes: &[u8],
    now: i64,
) -> (Option<proof::Report>, HashMap<String, Reason>, Vec<NotChecked>) {
    let mut resources: HashMap<String, Vec<u8>> = HashMap::new();
    let mut failed: HashMap<String, Reason> = HashMap::new();
    let mut asked: HashSet<String> = HashSet::new();
    let mut report = None;
    let mut problems = Vec::new();
    for _ in 0..6 {
        let (doc, res) = (bytes.to_vec(), resources.clone());
        let run = tokio::task::spawn_blocking(move || proof::verify_credential(&doc, &proof::Check::new(now, &res)));
        let got = match run.await {
            Ok(Ok(rep)) => rep,
            Ok(Err(e)) => {
                problems.push(missing(What::Signature, None, "malformed", format!("not a credential: {e}")));
                return (None, failed, problems);
            }
            Err(e) => {
                problems.push(missing(What::Signature, None, "internal", format!("the check failed ({e})")));
                return (None, failed, problems);
            }
        };
        let new: Vec<proof::Needed> = got.needs.iter().filter(|n| !asked.contains(&n.url)).cloned().collect();
        report = Some(got);
        if new.is_empty() {
            break;
        }
        for need in new {
            asked.insert(need.url.clone());
            match f.get(&need.url, accept_for(need.kind)).await {
                Ok(doc) => {
                    resources.insert(need.url.clone(), doc.body.to_vec());
                }
                Err(reason) => {
                    failed.insert(need.url.clone(), reason);
                }
            }
        }
    }
    (report, failed, problems)
}

fn key_source(source: &KeySource) -> Source {
    match source {
        KeySource::DidKey { .. } => Source::Identifier { method: "did:key".into() },
        KeySource::DidJwk { .. } => Source::Identifier { method: "did:jwk".into() },
        KeySource::DidDocument { url, .. } | KeySource::ControllerDocument { url } => {
            fetched(url).unwrap_or(Source::Fetched { host: String::new(), url: url.clone() })
        }
    }
}

/// The reason a document was not had: the fetch's, or "not supplied".
fn reason_for(failed: &HashMap<String, Reason>, url: &str) -> Reason {
    failed.get(url).cloned().unwrap_or_else(|| Reason::new("missing", format!("{url} was not available")))
}

/// Status entries, subject and validity of a credential's report, into `r`.
fn status_and_subject(
    report: &proof::Report,
    doc: &Map<String, Value>,
    failed: &HashMap<String, Reason>,
    emails: &[String],
    r: &mut CheckResult,
) {
    for s in &report.status {
        let result = match &s.outcome {
            StatusOutcome::Revoked => StatusResult::Revoked,
            StatusOutcome::Suspended => StatusResult::Suspended,
            StatusOutcome::NotSet => StatusResult::NotRevoked,
            StatusOutcome::Set { purpose } => StatusResult::Refused { reason: format!("set for {purpose}") },
            StatusOutcome::Refused { reason } => StatusResult::Refused { reason: reason.clone() },
            StatusOutcome::NotCheckable { reason } => StatusResult::NotChecked {
                reason: match &s.list {
                    Some(url) if failed.contains_key(url) => reason_for(failed, url),
                    _ => Reason::new("unsupported", reason.clone()),
                },
            },
        };
        match result {
            StatusResult::Revoked if !r.outcome.disqualifies() => r.outcome = Outcome::Revoked,
            StatusResult::Suspended if !r.outcome.disqualifies() => r.outcome = Outcome::Suspended,
            _ => {}
        }
        r.status.push(StatusFinding { url: s.list.clone(), result });
    }
    r.valid_until = report.validity.valid_until.as_ref().and_then(|d| proof::parse_datetime(&d.value));
    r.recipient = subject(doc, emails);
}

/// The credential subject's identity against each of the learner's emails.
fn subject(doc: &Map<String, Value>, emails: &[String]) -> Recipient {
    let mut outcome = Recipient::NotStated;
    for email in emails {
        match proof::subject_identity(doc, Some(email)).outcome {
            IdentityOutcome::Matches { by } => return Recipient::Matches { by },
            IdentityOutcome::DoesNotMatch => outcome = Recipient::OtherRecipient,
            IdentityOutcome::NoEmailIdentity if outcome == Recipient::NotStated => {
                let identified = doc
                    .get("credentialSubject")
                    .is_some_and(|s| s.get("id").is_some() || s.get("identifier").is_some());
                outcome = if identified { Recipient::NoEmail } else { Recipient::NotStated };
            }
            IdentityOutcome::NotComparable { reason } => outcome = Recipient::NotComparable { reason },
            _ => {}
        }
    }
    outcome
}

/// Open Badges 3.0 / VC with embedded Data Integrity proofs.
async fn data_integrity(
    f: &mut Fetch,
    bytes: &[u8],
    doc: &Map<String, Value>,
    emails: &[String],
    now: i64,
) -> CheckResult {
    let mut r = CheckResult::new(Outcome::NotChecked, f.online());
    r.name = achievement_name(doc);
    let (report, failed, problems) = proof_report(f, bytes, now).await;
    r.not_checked.extend(problems);
    let Some(report) = report else { return r };
    r.signer = report.issuer.clone();
    for need in &report.needs {
        if let Some(reason) = failed.get(&need.url) {
            r.not_checked.push(NotChecked {
                what: what_for(need.kind),
                url: Some(need.url.clone()),
                reason: reason.clone(),
            });
        }
    }
    if report.proofs.is_empty() {
        r.outcome = Outcome::Unverified;
        r.problem = Some(missing(What::Signature, None, "missing", "the credential carries no proof"));
    } else if report.signature_mismatch() {
        r.outcome = Outcome::SignatureInvalid;
        r.problem = Some(missing(What::Signature, None, "signature", "the signature does not match the data"));
    } else if report.signature_verified() {
        r.outcome = Outcome::Verified;
        let valid = report.proofs.iter().find(|p| p.outcome == ProofOutcome::Valid && p.signer == Signer::Issuer);
        r.source = valid.and_then(|p| p.key_source.as_ref()).map(key_source);
    } else {
        // Not verified: say why, from the first proof.
        let first = &report.proofs[0];
        match (&first.outcome, &first.signer) {
            (ProofOutcome::Valid, Signer::NotTheIssuer { controller, issuer }) => {
                r.outcome = Outcome::Unverified;
                r.problem = Some(missing(
                    What::Signature,
                    None,
                    "not_the_issuer",
                    format!(
                        "signed by {controller}, not by the issuer it names ({})",
                        issuer.as_deref().unwrap_or("none")
                    ),
                ));
            }
            (ProofOutcome::Rejected { reason }, _) => {
                r.outcome = Outcome::Unverified;
                r.problem = Some(missing(What::Signature, None, "rejected", format!("the proof is refused: {reason}")));
            }
            (ProofOutcome::NotCheckable { reason }, _) => {
                let reason = match reason {
                    proof::NotCheckable::DocumentUnavailable { url }
                    | proof::NotCheckable::ContextUnavailable { url } => reason_for(&failed, url),
                    other => Reason::new("unsupported", other.to_string()),
                };
                r.problem = Some(NotChecked { what: What::Signature, url: None, reason });
            }
            _ => {}
        }
    }
    status_and_subject(&report, doc, &failed, emails, &mut r);
    apply_recipient(&mut r);
    r
}

fn achievement_name(vc: &Map<String, Value>) -> Option<String> {
    let subject = match vc.get("credentialSubject") {
        Some(Value::Object(s)) => Some(s),
        Some(Value::Array(a)) => a.first().and_then(Value::as_object),
        _ => None,
    };
    subject
        .and_then(|s| s.get("achievement"))
        .and_then(Value::as_object)
        .and_then(|a| str_at(a, "name"))
        .or_else(|| str_at(vc, "name"))
        .map(str::to_owned)
}

/// The public key a VC-JWT's `kid` names, and where it came from.
async fn jwt_key(f: &mut Fetch, kid: &str, r: &mut CheckResult) -> Option<(PublicKey, Source, String)> {
    let base = kid.split('#').next().unwrap_or(kid).to_owned();
    if base.starts_with("did:key:") {
        return match proof::key_from_did_key(&base) {
            Ok(k) => Some((PublicKey::Ed25519(k), Source::Identifier { method: "did:key".into() }, base)),
            Err(e) => {
                r.not_checked.push(missing(What::Key, None, "unsupported", format!("{base}: {e}")));
                None
            }
        };
    }
    if let Some(encoded) = base.strip_prefix("did:jwk:") {
        use base64::Engine;
        let jwk = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(encoded)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        return match jwk.as_ref().map(PublicKey::from_jwk) {
            Some(Ok(k)) => Some((k, Source::Identifier { method: "did:jwk".into() }, base)),
            _ => {
                r.not_checked.push(missing(What::Key, None, "malformed", format!("{base} holds no usable JWK")));
                None
            }
        };
    }
    if base.starts_with("did:web:") {
        let url = match proof::did_web_document_url(&base) {
            Ok(u) => u,
            Err(m) => {
                r.not_checked.push(missing(What::DidDocument, None, "malformed", m));
                return None;
            }
        };
        let doc = match f.get(&url, &[Expect::DidJson, Expect::Json, Expect::JsonLd]).await {
            Ok(d) => d,
            Err(reason) => {
                r.not_checked.push(NotChecked { what: What::DidDocument, url: Some(url), reason });
                return None;
            }
        };
        let vm = if kid.contains('#') { kid.to_owned() } else { format!("{base}#0") };
        return match method_key(&doc.body, &base, &vm) {
            Ok(k) => Some((k, fetched(&url)?, base)),
            Err(m) => {
                r.not_checked.push(missing(What::Key, Some(&url), "malformed", m));
                None
            }
        };
    }
    if kid.starts_with("https://") {
        let doc = match f
            .get(
                &base,
                &[Expect::Json, Expect::Media("application/jwk+json"), Expect::Media("application/jwk-set+json")],
            )
            .await
        {
            Ok(d) => d,
            Err(reason) => {
                r.not_checked.push(NotChecked { what: What::Key, url: Some(base), reason });
                return None;
            }
        };
        let json: Value = serde_json::from_slice(&doc.body).unwrap_or(Value::Null);
        let jwk = match json.get("keys").and_then(Value::as_array) {
            // A JWKS: the key of this `kid` (its fragment, or the whole kid), or the only one.
            Some(keys) => {
                let fragment = kid.split_once('#').map(|(_, f)| f);
                keys.iter()
                    .find(|k| {
                        let id = k.get("kid").and_then(Value::as_str);
                        id == Some(kid) || (fragment.is_some() && id == fragment)
                    })
                    .or(if keys.len() == 1 { keys.first() } else { None })
                    .cloned()
            }
            None => Some(json),
        };
        return match jwk.as_ref().map(PublicKey::from_jwk) {
            Some(Ok(k)) => Some((k, fetched(&base)?, base)),
            _ => {
                r.not_checked.push(missing(What::Key, Some(kid), "malformed", "no usable JWK for this kid there"));
                None
            }
        };
    }
    r.not_checked.push(missing(
        What::Key,
        None,
        "unsupported",
        format!("the kid {kid} is neither a DID nor an https URL"),
    ));
    None
}

/// A verification method's key in a DID document (any key type a JWS may use).
fn method_key(bytes: &[u8], did: &str, vm: &str) -> Result<PublicKey, String> {
    let doc = object(bytes).ok_or("the DID document is not a JSON object")?;
    if str_at(&doc, "id") != Some(did) {
        return Err(format!("the DID document is not for {did}"));
    }
    let names = |s: &str| s == vm || (s.starts_with('#') && format!("{did}{s}") == vm);
    let methods: Vec<Value> = ["verificationMethod", "assertionMethod"]
        .iter()
        .flat_map(|k| match doc.get(*k) {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        })
        .collect();
    let listed = as_strings(doc.get("assertionMethod")).iter().any(|s| names(s));
    if !listed {
        return Err(format!("{vm} is not listed under assertionMethod"));
    }
    let method = methods
        .iter()
        .filter_map(Value::as_object)
        .find(|m| str_at(m, "id").is_some_and(names))
        .ok_or_else(|| format!("{vm} is listed but not described"))?;
    if let Some(jwk) = method.get("publicKeyJwk") {
        return PublicKey::from_jwk(jwk)
            .map_err(|p| crate::i18n::problem(crate::domain::Lang::En, &crate::domain::problem::Problem::from(p)));
    }
    proof::key_from_document(bytes, did, vm).map(PublicKey::Ed25519).map_err(|e| e.to_string())
}

/// A VC-JWT (`vc` claim, or the credential as the payload).
#[allow(clippy::too_many_arguments)] // The token's parts, each read once; a struct would only rename them.
async fn vc_jwt(
    f: &mut Fetch,
    trust: &TrustStore,
    payload: &str,
    token: &Jws,
    claims: &Map<String, Value>,
    vc: &Map<String, Value>,
    emails: &[String],
    now: i64,
) -> CheckResult {
    let mut r = CheckResult::new(Outcome::NotChecked, f.online());
    r.name = achievement_name(vc);
    let issuer = match vc.get("issuer") {
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(Value::Object(o)) => str_at(o, "id").map(str::to_owned),
        _ => None,
    }
    .or_else(|| str_at(claims, "iss").map(str::to_owned));
    r.signer = issuer.clone();
    if let Err(why) = read_file(f, trust, payload, now, &mut r) {
        r.outcome = Outcome::SignatureInvalid;
        r.problem = Some(missing(What::Signature, None, "signature", why));
        return r;
    }
    r.name = achievement_name(vc).or(r.name.take());
    if r.known_as.is_some() {
        r.outcome = Outcome::Verified;
        r.source = Some(Source::TrustFile);
    } else if let Some(kid) = token.kid().map(str::to_owned) {
        if let Some((key, source, controller)) = jwt_key(f, &kid, &mut r).await {
            if !token.supported() {
                r.not_checked.push(missing(
                    What::Signature,
                    None,
                    "unsupported",
                    format!("the JWS algorithm {} is not one certfolio checks (RS256, ES256, EdDSA)", token.alg),
                ));
            } else if !token.verify(&key) {
                r.outcome = Outcome::SignatureInvalid;
                r.problem = Some(missing(
                    What::Signature,
                    None,
                    "signature",
                    format!("the signature does not match the data for the key of {kid}"),
                ));
                return r;
            } else {
                // Tied to the issuer: the key's DID is the issuer's, or the key is served from
                // the issuer's own host.
                let tied = match &issuer {
                    Some(i) if i.starts_with("did:") => *i == controller,
                    Some(i) => host_of(i).is_some() && host_of(i) == host_of(&controller),
                    None => false,
                };
                if tied {
                    r.outcome = Outcome::Verified;
                    r.source = Some(source);
                    r.signer = Some(controller);
                } else {
                    r.outcome = Outcome::Unverified;
                    r.problem = Some(missing(
                        What::Key,
                        None,
                        "not_the_issuer",
                        format!(
                            "signed by {controller}, not by the issuer it names ({})",
                            issuer.as_deref().unwrap_or("none")
                        ),
                    ));
                }
            }
        }
    } else if token.embedded_key().is_some() {
        r.outcome = Outcome::Unverified;
        r.problem = Some(missing(
            What::Key,
            None,
            "embedded_key",
            "signed with a key the token carries itself: this proves the data was not altered, not who signed it",
        ));
    } else {
        r.outcome = Outcome::Unverified;
        r.problem = Some(missing(What::Key, None, "missing", "the token names no key (kid) certfolio could fetch"));
    }
    if r.outcome == Outcome::NotChecked && r.not_checked.is_empty() {
        r.outcome = Outcome::Unverified;
    }
    // Status, subject and validity of the credential itself (its proofs, if any, are not the JWT's).
    let vc_bytes = serde_json::to_vec(vc).unwrap_or_default();
    let (report, failed, problems) = proof_report(f, &vc_bytes, now).await;
    if let Some(report) = report {
        let expires = r.valid_until;
        status_and_subject(&report, vc, &failed, emails, &mut r);
        // A JWT `exp` earlier than `validUntil` is the earlier of the two.
        r.valid_until = match (expires, r.valid_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    } else {
        r.not_checked.extend(problems);
    }
    apply_recipient(&mut r);
    r
}
