//! Open Badges files in: 2.0 assertions (JSON, signed JWS, baked PNG or SVG, and the 1.0 / 0.5
//! shapes still found in backpacks) and 3.0 credentials (JSON-LD in VCDM 1.1 or 2.0 form,
//! VC-JWT, baked PNG or SVG). One file is one badge, so one course.
//!
//! Reading is pure: a badge that names its badge class or issuer only by URL (or a baked image
//! holding only the assertion's URL) is read with the documents the caller fetched for it
//! ([`Docs`], see [`wanted_documents`] and `verify::documents_for_import`), or refused naming
//! what could not be had. The badge's payload is kept with the course ([`BadgeData`]) so that
//! it can be checked again, by the verification job and by every later import of an exported
//! document. What this module records of a signature (the trust file's key, `check_signature`)
//! is what the file alone proves; levels of proof come from certfolio's stored checks
//! (`domain::check`, `verify`).
//!
//! Mapping: the badge's (achievement's) name is the course title, its issuer the institution
//! (or the platform when it is a known MOOC platform), its issue date the attestation's
//! `issued_on` and the course's `finished_on`, its id the `credential_id`, a hosted assertion's
//! (or an evidence) http(s) URL the attestation's `url`, its description the notes.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::jws::{self, Jws};
use super::png::{self, Baking};
use super::trust::TrustStore;
use super::{Format, Imported, ImportedCourse, known_platform};
use crate::domain::badge::{BadgeCheck, BadgeData, BadgeFormat, MAX_BADGE_PAYLOAD};
use crate::domain::problem::{BadgePart, BadgeProblem as B, JsonFault, Problem, Unfetched};
use crate::domain::text::{MAX_LONG, MAX_NAME, MAX_TITLE, check_url};
use crate::domain::{AttestationKind, AttestationRecord, CourseRecord, Document, IsoDate, ValidationError};

/// Documents fetched for a badge, by URL: the bytes, or why they could not be had.
pub type Docs = HashMap<String, Result<Vec<u8>, String>>;

/// Why a document named by URL is missing, for an error message.
fn not_had(docs: &Docs, url: &str) -> Unfetched {
    match docs.get(url) {
        Some(Err(why)) => Unfetched::Failed { why: shorten(why, 300) },
        Some(Ok(_)) => Unfetched::NotObject,
        None => Unfetched::NotFetched,
    }
}

fn fetched_object(docs: &Docs, url: &str) -> Option<Map<String, Value>> {
    match docs.get(url) {
        Some(Ok(bytes)) => match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

/// Parses an Open Badges file (JSON, JWS, baked PNG or SVG, told apart by content) into one
/// course whose attestation keeps the badge and its check against `trust` at `now` (Unix
/// seconds).
pub fn parse(bytes: &[u8], trust: &TrustStore, now: i64) -> Result<Imported, ValidationError> {
    parse_with(bytes, trust, now, &Docs::new())
}

/// [`parse`] with the documents fetched for the badge (its badge class, issuer or assertion
/// named by URL).
pub fn parse_with(bytes: &[u8], trust: &TrustStore, now: i64, docs: &Docs) -> Result<Imported, ValidationError> {
    let (payload, at) = extract(bytes)?;
    let record = read_with(&payload, trust, now, docs).map_err(|e| locate(&at, e))?;
    // Every imported course says where in the file it came from; a bare badge is the file.
    let at = if at.is_empty() { "badge".to_owned() } else { at };
    Ok(Imported { format: Format::OpenBadges, learner: None, courses: vec![ImportedCourse { at, record }] })
}

/// The course an Open Badges payload (JSON or compact JWS) describes, with its check. A
/// signature that does not match its data is an error, not a lower level.
///
/// `now` is not used yet: expiry is read against the clock each time a level is shown (see
/// `BadgeCheck::status`), not frozen at import. It is taken so that a check needing the time
/// (a status list cached offline) does not change every caller.
pub fn read(payload: &str, trust: &TrustStore, now: i64) -> Result<CourseRecord, ValidationError> {
    read_with(payload, trust, now, &Docs::new())
}

/// [`read`] with the documents fetched for the badge. A payload that is only the assertion's
/// URL (an early baker's `tEXt` chunk) is read as the assertion fetched there, which becomes the
/// payload kept.
pub fn read_with(payload: &str, trust: &TrustStore, _now: i64, docs: &Docs) -> Result<CourseRecord, ValidationError> {
    let payload = payload.trim();
    if payload.starts_with("http://") || payload.starts_with("https://") {
        return match docs.get(payload) {
            Some(Ok(bytes)) => {
                let text =
                    std::str::from_utf8(bytes).map_err(|_| ValidationError::new("", B::FetchedAssertionNotUtf8))?;
                if !text.trim_start().starts_with('{') {
                    return Err(ValidationError::new("", B::FetchedAssertionNotJson));
                }
                read_with(text, trust, _now, docs)
            }
            _ => Err(ValidationError::new("", B::OnlyUrl { url: shorten(payload, 200), why: not_had(docs, payload) })),
        };
    }
    if payload.len() > MAX_BADGE_PAYLOAD {
        return Err(ValidationError::new("", B::PayloadTooLarge { max: MAX_BADGE_PAYLOAD }));
    }
    let (mapped, verified_by) = if payload.starts_with('{') {
        let value = json_object(payload.as_bytes(), BadgePart::Badge)?;
        (map(&value, None, docs)?, None)
    } else if jws::looks_like(payload) {
        let token = jws::parse(payload)?;
        let value = json_object(&token.payload, BadgePart::JwsPayload)?;
        let mapped = map(&value, Some(&token), docs)?;
        let verified_by = check_signature(&token, trust, &mapped.issuer_ids)?;
        (mapped, verified_by)
    } else {
        return Err(ValidationError::new("", B::NeitherJsonNorJws));
    };
    let check = BadgeCheck { verified_by, ..mapped.check };
    let mut record = mapped.record;
    if let Some(a) = record.attestation.as_mut() {
        a.badge = Some(BadgeData { payload: payload.to_owned(), check: Some(check) });
    }
    Ok(record)
}

/// Recomputes the check of every badge in a document (an import must never trust a level it
/// is handed). A badge whose payload no longer reads, or whose signature fails, refuses the
/// document with the course's path.
pub fn check_document(doc: &mut Document, trust: &TrustStore, now: i64) -> Result<(), ValidationError> {
    for (i, course) in doc.courses.iter_mut().enumerate() {
        check_course(course, &format!("courses[{i}]"), trust, now)?;
    }
    Ok(())
}

/// [`check_document`] for one course (an API body, a form).
pub fn check_course(
    course: &mut CourseRecord,
    prefix: &str,
    trust: &TrustStore,
    now: i64,
) -> Result<(), ValidationError> {
    let Some(badge) = course.attestation.as_mut().and_then(|a| a.badge.as_mut()) else { return Ok(()) };
    // A badge whose class is only a URL cannot be read here: its course keeps the document's
    // fields, and the verification job reads and checks the badge with the issuer's documents.
    if !wanted_for_payload(&badge.payload, &Docs::new()).is_empty() {
        badge.check = None;
        return Ok(());
    }
    let path = crate::domain::join(prefix, "attestation.badge.payload");
    let read = read(&badge.payload, trust, now).map_err(|e| locate(&path, e))?;
    badge.check = read.attestation.and_then(|a| a.badge).and_then(|b| b.check);
    Ok(())
}

fn locate(at: &str, e: ValidationError) -> ValidationError {
    let path = match (at.is_empty(), e.path.is_empty()) {
        (true, _) => e.path,
        (false, true) => at.to_owned(),
        (false, false) => format!("{at}, {}", e.path),
    };
    ValidationError::new(path, e.problem)
}

/// The payload of the file and where in the file it was (empty for a JSON or JWS file, whose
/// payload is the whole file).
fn extract(bytes: &[u8]) -> Result<(String, String), ValidationError> {
    let body = super::detect::strip_bom(bytes);
    if body.starts_with(b"\x89PNG") {
        let baked = png::badge_chunk(body)?;
        let at = match baked.baking {
            Baking::OpenBadges => "PNG chunk `openbadges`",
            Baking::OpenBadgeCredential => "PNG chunk `openbadgecredential`",
        };
        return Ok((baked.text, at.to_owned()));
    }
    let text = std::str::from_utf8(body).map_err(|e| ValidationError::new("", B::NotUtf8 { detail: e.to_string() }))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        let baked = super::svg::badge_payload(body)?;
        let at = match baked.baking {
            Baking::OpenBadges => "SVG <openbadges:assertion>",
            Baking::OpenBadgeCredential => "SVG <openbadges:credential>",
        };
        return Ok((baked.text, at.to_owned()));
    }
    Ok((text.to_owned(), String::new()))
}

/// A JSON object, or an error naming what did not parse (serde_json's own 128-level nesting
/// limit applies: a deeply nested file is an error, not a stack overflow).
fn json_object(bytes: &[u8], part: BadgePart) -> Result<Map<String, Value>, ValidationError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ValidationError::new("", B::JsonNotObject { part })),
        Err(e) => Err(ValidationError::new("", B::NotJson { part, fault: JsonFault::of(&e) })),
    }
}

/// What a payload says, before its signature is weighed.
struct Mapped {
    record: CourseRecord,
    check: BadgeCheck,
    /// Ids the issuer goes by in this badge (issuer id or url, key creator, JWT `iss`), to find
    /// the trusted key it must be signed with.
    issuer_ids: Vec<String>,
}

fn map(value: &Map<String, Value>, token: Option<&Jws>, docs: &Docs) -> Result<Mapped, ValidationError> {
    // A VC-JWT carries the credential in `vc`; a VCDM 2.0 JOSE payload is the credential.
    if let Some(Value::Object(vc)) = value.get("vc") {
        return map_ob3(vc, Some(value));
    }
    if is_ob3(value) {
        return map_ob3(value, token.map(|_| value));
    }
    map_ob2(value, docs)
}

/// The URLs a badge file names and needs fetched to be read, beyond those in `docs`: the
/// assertion a baked URL points at, the badge class given by URL, then its issuer's profile
/// when the class names it by URL (for the issuer's name). Empty for any other file.
pub fn wanted_documents(bytes: &[u8], docs: &Docs) -> Vec<String> {
    match extract(bytes) {
        Ok((payload, _)) => wanted_for_payload(&payload, docs),
        Err(_) => Vec::new(),
    }
}

fn wanted_for_payload(payload: &str, docs: &Docs) -> Vec<String> {
    let payload = payload.trim();
    let https = |u: &str| u.starts_with("https://") || u.starts_with("http://");
    if https(payload) {
        return match docs.get(payload) {
            None => vec![payload.to_owned()],
            Some(Ok(bytes)) => std::str::from_utf8(bytes).map(|t| wanted_for_payload(t, docs)).unwrap_or_default(),
            Some(Err(_)) => Vec::new(),
        };
    }
    let object = if payload.starts_with('{') {
        json_object(payload.as_bytes(), BadgePart::Badge).ok()
    } else if jws::looks_like(payload) {
        jws::parse(payload).ok().and_then(|t| json_object(&t.payload, BadgePart::JwsPayload).ok())
    } else {
        None
    };
    let Some(a) = object.filter(|o| !o.contains_key("vc") && !is_ob3(o)) else { return Vec::new() };
    let class = match a.get("badge") {
        Some(Value::String(url)) if https(url.trim()) => match fetched_object(docs, url.trim()) {
            Some(class) => class,
            None if docs.contains_key(url.trim()) => return Vec::new(),
            None => return vec![url.trim().to_owned()],
        },
        Some(Value::Object(class)) => class.clone(),
        _ => return Vec::new(),
    };
    match class.get("issuer") {
        Some(Value::String(url)) if https(url.trim()) && !docs.contains_key(url.trim()) => vec![url.trim().to_owned()],
        _ => Vec::new(),
    }
}

fn types(value: &Map<String, Value>) -> Vec<&str> {
    match value.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn is_ob3(value: &Map<String, Value>) -> bool {
    let t = types(value);
    t.iter().any(|t| t.ends_with("Credential"))
        || value.contains_key("credentialSubject")
        || value.get("@context").is_some_and(|c| c.to_string().contains("/credentials/"))
}

fn str_at<'a>(value: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn obj_at<'a>(value: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    value.get(key).and_then(Value::as_object)
}

/// Open Badges 2.0, and 1.0 / 0.5 when the badge class is embedded (or fetched: `docs`).
fn map_ob2(a: &Map<String, Value>, docs: &Docs) -> Result<Mapped, ValidationError> {
    let t = types(a);
    if t.contains(&"BadgeClass") || (!a.contains_key("badge") && a.contains_key("criteria")) {
        return Err(ValidationError::new("type", B::BadgeClass));
    }
    if t.iter().any(|t| matches!(*t, "Issuer" | "Profile")) {
        return Err(ValidationError::new("type", B::IssuerProfile));
    }
    if t.contains(&"Endorsement") {
        return Err(ValidationError::new("type", B::Endorsement));
    }
    let fetched_class;
    let badge = match a.get("badge") {
        Some(Value::Object(b)) => b,
        Some(Value::String(url)) => match fetched_object(docs, url.trim()) {
            Some(class) => {
                fetched_class = class;
                &fetched_class
            }
            None => {
                let why = not_had(docs, url.trim());
                return Err(ValidationError::new("badge", B::ClassByUrl { url: shorten(url, 200), why }));
            }
        },
        Some(_) => return Err(ValidationError::new("badge", B::ClassNotObject)),
        None => {
            let verify = obj_at(a, "verify").or_else(|| obj_at(a, "verification"));
            let problem = match verify.and_then(|v| str_at(v, "url")) {
                Some(url) => B::OnlyVerificationUrl { url: shorten(url, 200) },
                None => B::NoBadge,
            };
            return Err(ValidationError::new("badge", problem));
        }
    };
    let name = str_at(badge, "name").ok_or_else(|| ValidationError::new("badge.name", B::NoName))?;
    let (issuer, mut issuer_ids) = match badge.get("issuer") {
        Some(Value::Object(i)) => (
            str_at(i, "name").map(str::to_owned),
            [str_at(i, "id"), str_at(i, "url"), str_at(i, "origin")].into_iter().flatten().map(str::to_owned).collect(),
        ),
        // Issuer by URL only: its name from the profile fetched there, if it was; its id is
        // still an id.
        Some(Value::String(url)) => {
            let name = fetched_object(docs, url.trim()).and_then(|p| str_at(&p, "name").map(str::to_owned));
            (name, vec![url.trim().to_owned()])
        }
        _ => (None, Vec::new()),
    };
    let verification = obj_at(a, "verification").or_else(|| obj_at(a, "verify"));
    if let Some(creator) = verification.and_then(|v| str_at(v, "creator")) {
        issuer_ids.push(creator.to_owned());
    }
    let issued = date_field(a, "issuedOn")?.or(date_field(a, "issued_on")?);
    let expires_at = instant_field(a, "expires")?;
    let revoked = a.get("revoked").and_then(Value::as_bool).unwrap_or(false);
    let hosted = verification.and_then(|v| str_at(v, "type")).is_some_and(|t| t.eq_ignore_ascii_case("hosted"));
    let verify_url = verification
        .and_then(|v| str_at(v, "url"))
        .or_else(|| if hosted { str_at(a, "id") } else { None })
        .or_else(|| str_at(a, "evidence"));
    let credential_id = str_at(a, "id").or_else(|| str_at(a, "uid"));
    let description = str_at(badge, "description");
    let mut mapped = build(
        BadgeFormat::Ob2,
        name,
        issuer,
        issued,
        expires_at,
        revoked,
        credential_id,
        verify_url,
        description,
        issuer_ids,
    );
    mapped.record.skills = skills_of(badge, "alignment", "tags");
    Ok(mapped)
}

/// The skills a badge class (2.0) or an achievement (3.0) names: each alignment's
/// `targetName` with its `targetUrl` (an ESCO or framework URI), then each tag; the same name
/// once (compared without accents or case), at most `MAX_SKILLS`, only what is a valid skill.
fn skills_of(of: &Map<String, Value>, alignment: &str, tags: &str) -> Vec<crate::domain::skill::Skill> {
    use crate::domain::skill::{MAX_SKILLS, Skill};
    let aligned = match of.get(alignment) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect::<Vec<_>>(),
        Some(Value::Object(one)) => vec![one],
        _ => Vec::new(),
    };
    let from_alignments = aligned.into_iter().filter_map(|a| {
        let name = str_at(a, "targetName").and_then(|n| line(n, crate::domain::text::MAX_SHORT))?;
        let uri = str_at(a, "targetUrl").filter(|u| check_url("", u).is_ok()).map(str::to_owned);
        Some(Skill { name, uri })
    });
    let tag_list: Vec<&str> = match of.get(tags) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(one)) => vec![one.as_str()],
        _ => Vec::new(),
    };
    let from_tags = tag_list.into_iter().filter_map(|t| line(t, crate::domain::text::MAX_SHORT)).map(Skill::named);
    let mut out: Vec<Skill> = Vec::new();
    for skill in from_alignments.chain(from_tags) {
        let key = crate::domain::text::normalize_name(&skill.name);
        if out.len() < MAX_SKILLS
            && skill.validate("").is_ok()
            && !out.iter().any(|s| crate::domain::text::normalize_name(&s.name) == key)
        {
            out.push(skill);
        }
    }
    out
}

/// Open Badges 3.0; `jwt` is the JWT claims set around it, when there is one.
fn map_ob3(vc: &Map<String, Value>, jwt: Option<&Map<String, Value>>) -> Result<Mapped, ValidationError> {
    let t = types(vc);
    if t.contains(&"EndorsementCredential") {
        return Err(ValidationError::new("type", B::EndorsementCredential));
    }
    if !t.iter().any(|t| matches!(*t, "OpenBadgeCredential" | "AchievementCredential")) {
        return Err(ValidationError::new("type", B::NotOb3));
    }
    let subject = match vc.get("credentialSubject") {
        Some(Value::Object(s)) => Some(s),
        Some(Value::Array(a)) => a.first().and_then(Value::as_object),
        _ => None,
    };
    let achievement = subject.and_then(|s| obj_at(s, "achievement"));
    let name = achievement
        .and_then(|a| str_at(a, "name"))
        .or_else(|| str_at(vc, "name"))
        .ok_or_else(|| ValidationError::new("credentialSubject.achievement.name", B::NoName))?;
    let (issuer, mut issuer_ids) = match vc.get("issuer") {
        Some(Value::Object(i)) => {
            (str_at(i, "name").map(str::to_owned), str_at(i, "id").map(str::to_owned).into_iter().collect())
        }
        Some(Value::String(id)) => (None, vec![id.trim().to_owned()]),
        _ => (None, Vec::new()),
    };
    if let Some(iss) = jwt.and_then(|j| str_at(j, "iss")) {
        issuer_ids.push(iss.to_owned());
    }
    let mut issued = date_field(vc, "validFrom")?.or(date_field(vc, "issuanceDate")?);
    if issued.is_none()
        && let Some(j) = jwt
    {
        issued = date_field(j, "nbf")?.or(date_field(j, "iat")?);
    }
    let mut expires_at = instant_field(vc, "validUntil")?.or(instant_field(vc, "expirationDate")?);
    if let Some(exp) = jwt.map(|j| instant_field(j, "exp")).transpose()?.flatten() {
        expires_at = Some(expires_at.map_or(exp, |e| e.min(exp)));
    }
    let revoked = declared_revoked(vc.get("credentialStatus"));
    let evidence_url = match vc.get("evidence") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).find_map(|e| str_at(e, "id")),
        Some(Value::Object(e)) => str_at(e, "id"),
        _ => None,
    };
    let description = achievement.and_then(|a| str_at(a, "description")).or_else(|| str_at(vc, "description"));
    let credential_id = str_at(vc, "id").or_else(|| jwt.and_then(|j| str_at(j, "jti")));
    let mut mapped = build(
        BadgeFormat::Ob3,
        name,
        issuer,
        issued,
        expires_at,
        revoked,
        credential_id,
        evidence_url,
        description,
        issuer_ids,
    );
    if let Some(a) = achievement {
        mapped.record.skills = skills_of(a, "alignment", "tag");
    }
    Ok(mapped)
}

/// A status the file itself declares revoked (`"revoked": true`, `"status": "revoked"`). A
/// status list entry only points at a list that would have to be fetched: not revoked here.
fn declared_revoked(status: Option<&Value>) -> bool {
    let one = |s: &Value| {
        s.get("revoked").and_then(Value::as_bool) == Some(true)
            || s.get("status").and_then(Value::as_str).is_some_and(|v| v.eq_ignore_ascii_case("revoked"))
    };
    match status {
        Some(Value::Array(a)) => a.iter().any(one),
        Some(s) => one(s),
        None => false,
    }
}

#[allow(clippy::too_many_arguments)] // One call per generation; a struct would only rename them.
fn build(
    format: BadgeFormat,
    name: &str,
    issuer: Option<String>,
    issued: Option<IsoDate>,
    expires_at: Option<i64>,
    revoked: bool,
    credential_id: Option<&str>,
    url: Option<&str>,
    description: Option<&str>,
    issuer_ids: Vec<String>,
) -> Mapped {
    let title = line(name, MAX_TITLE).unwrap_or_else(|| "Open Badge".to_owned());
    let issuer = issuer.as_deref().and_then(|i| line(i, MAX_NAME));
    let (platform, institution) = match issuer.as_deref().map(|i| (i, known_platform(i))) {
        Some((_, Some(p))) => (Some(p.to_owned()), None),
        Some((i, None)) => (None, Some(i.to_owned())),
        None => (None, None),
    };
    // Ids longer than the field allows (some DIDs) are left out rather than cut: a truncated
    // id identifies nothing.
    let credential_id = credential_id.filter(|c| c.chars().count() <= MAX_NAME).and_then(|c| line(c, MAX_NAME));
    let url = url.filter(|u| check_url("", u).is_ok()).map(str::to_owned);
    let attestation = AttestationRecord {
        kind: Some(AttestationKind::Badge),
        issued_on: issued,
        // The badge's own expiry (2.0 `expires`, 3.0 `validUntil` / `expirationDate`), as a day.
        expires_on: expires_at.and_then(crate::domain::portfolio::day_of),
        credential_id,
        url,
        ..AttestationRecord::default()
    };
    let mut record = CourseRecord::titled(title.clone());
    record.platform = platform;
    record.institution = institution;
    record.finished_on = issued;
    record.notes = description.and_then(paragraph);
    record.attestation = Some(attestation);
    let check = BadgeCheck { format, name: title, issuer, issued_on: issued, verified_by: None, expires_at, revoked };
    Mapped { record, check, issuer_ids }
}

/// Which trusted issuer's key made this signature, if any. A signature that fails for the key
/// it must have been made with (the trusted key of the issuer the badge names, or the key the
/// token itself carries) means the data was altered: refused.
pub(crate) fn check_signature(
    token: &Jws,
    trust: &TrustStore,
    issuer_ids: &[String],
) -> Result<Option<String>, ValidationError> {
    let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
    let kid = token.kid();
    let expected: Vec<_> = trust
        .issuers
        .iter()
        .filter(|t| {
            t.id.as_deref().is_some_and(|id| {
                issuer_ids.iter().any(|i| same(i, id)) || kid.is_some_and(|k| k.starts_with(&format!("{id}#")))
            }) || (t.kid.is_some() && t.kid.as_deref() == kid)
        })
        .collect();
    if !expected.is_empty() {
        if let Some(t) = expected.iter().find(|t| token.verify(&t.key)) {
            return Ok(Some(t.name.clone()));
        }
        let names: Vec<&str> = expected.iter().map(|t| t.name.as_str()).collect();
        return Err(ValidationError::new("signature", B::SignatureMismatchTrusted { issuers: names.join(", ") }));
    }
    // Keys trusted without an issuer id answer for any badge they signed.
    if let Some(t) = trust.issuers.iter().filter(|t| t.id.is_none()).find(|t| token.verify(&t.key)) {
        return Ok(Some(t.name.clone()));
    }
    if let Some(embedded) = token.embedded_key() {
        let key = embedded.map_err(|k| ValidationError::new("signature", B::EmbeddedKey(k)))?;
        if !token.supported() {
            return Ok(None);
        }
        if !token.verify(&key) {
            return Err(ValidationError::new("signature", B::SignatureMismatchEmbedded));
        }
    }
    // Signed by a key certfolio does not trust or cannot see: the data is imported, unverified.
    Ok(None)
}

/// A date or date-time (RFC 3339, or a plain `YYYY-MM-DD`; a number is Unix seconds, as 1.0
/// badges and JWT claims write it) as the calendar date the issuer wrote.
fn date_field(value: &Map<String, Value>, key: &str) -> Result<Option<IsoDate>, ValidationError> {
    let Some(raw) = value.get(key) else { return Ok(None) };
    let bad = || ValidationError::new(key, Problem::NotADateValue { value: shorten(&raw.to_string(), 60) });
    match raw {
        Value::Null => Ok(None),
        Value::Number(n) => {
            let secs = n.as_i64().ok_or_else(bad)?;
            let t = time::OffsetDateTime::from_unix_timestamp(secs).map_err(|_| bad())?;
            IsoDate::parse(&t.date().to_string()).map(Some).map_err(|_| bad())
        }
        Value::String(s) => {
            let s = s.trim();
            if let Ok(t) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
                return IsoDate::parse(&t.date().to_string()).map(Some).map_err(|_| bad());
            }
            s.get(..10)
                .filter(|_| s.len() == 10 || s[10..].starts_with('T'))
                .and_then(|d| IsoDate::parse(d).ok())
                .map(Some)
                .ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

/// An instant (RFC 3339, a date meaning its first second UTC, or Unix seconds).
fn instant_field(value: &Map<String, Value>, key: &str) -> Result<Option<i64>, ValidationError> {
    let Some(raw) = value.get(key) else { return Ok(None) };
    let bad = || ValidationError::new(key, Problem::NotADateValue { value: shorten(&raw.to_string(), 60) });
    match raw {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(bad),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(t) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
                return Ok(Some(t.unix_timestamp()));
            }
            let format = time::macros::format_description!("[year]-[month]-[day]");
            let date = s.get(..10).and_then(|d| time::Date::parse(d, format).ok()).ok_or_else(bad)?;
            Ok(Some(date.midnight().assume_utc().unix_timestamp()))
        }
        _ => Err(bad()),
    }
}

/// One line of text as the record allows it: control characters and runs of spaces become one
/// space, and a text longer than `max` characters is cut with an ellipsis.
fn line(s: &str, max: usize) -> Option<String> {
    let joined =
        s.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then(|| cut(&joined, max))
}

/// A paragraph as notes allow it: newlines kept, other control characters dropped, cut to the
/// notes' length.
fn paragraph(s: &str) -> Option<String> {
    let clean: String = s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    let clean = clean.trim();
    (!clean.is_empty()).then(|| cut(clean, MAX_LONG))
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_owned();
    out.push('…');
    out
}

/// A value quoted in an error, cut so that a hostile file cannot fill the message.
fn shorten(s: &str, max: usize) -> String {
    cut(s, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assurance::{Assurance, assurance_of};

    use crate::interop::test_support::real;

    fn one(bytes: &[u8]) -> Result<CourseRecord, ValidationError> {
        parse(bytes, &TrustStore::default(), 1_800_000_000).map(|i| i.courses.into_iter().next().unwrap().record)
    }

    #[test]
    fn ob3_credentials_map_to_a_course() {
        let c = one(&real("openbadges3/ob3_simple_eddsa.json")).unwrap();
        assert_eq!((c.title.as_str(), c.institution.as_deref()), ("Teamwork", Some("Example Corp")));
        let a = c.attestation.as_ref().unwrap();
        assert_eq!(a.issued_on.map(|d| d.to_string()).as_deref(), Some("2010-01-01"));
        assert_eq!(a.credential_id.as_deref(), Some("http://example.com/credentials/3527"));
        assert_eq!(assurance_of(&c, false, &[], 1_800_000_000), Assurance::BadgeData);
        assert!(c.validate("").is_ok());
    }

    #[test]
    fn ob2_legacy_and_refusals() {
        let c = one(&real("openbadges2/legacy_ob05_assertion.json")).unwrap();
        assert_eq!((c.title.as_str(), c.institution.as_deref()), ("Basic McBadge", Some("Basic Issuer")));
        let e = one(&real("openbadges2/assertion_hosted.json")).unwrap_err();
        assert!(e.message().contains("badge class given by URL only"), "{e}");
        let e = one(&real("openbadges2/legacy_ob1_baked_text_url.png")).unwrap_err();
        assert!(e.message().contains("only a URL"), "{e}");
    }

    /// The fuzz targets' cheap cousin (R35): every truncation and thousands of byte mutations
    /// of the real badge files and of a signed one give a clean answer, never a panic, and
    /// whatever is accepted passes the record's rules.
    #[test]
    fn truncated_and_mutated_badges_never_panic() {
        let key = super::jws::SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[3; 32]));
        let public = super::super::trust::PublicKey::from_jwk(&key.public_jwk()).unwrap();
        let trust = TrustStore {
            issuers: vec![super::super::trust::TrustedIssuer { name: "T".into(), id: None, kid: None, key: public }],
        };
        let signed = jws::sign(
            &serde_json::json!({"alg": "EdDSA"}),
            br#"{"badge": {"name": "N", "issuer": {"name": "I"}}, "issuedOn": "2020-01-01", "recipient": {}}"#,
            &key,
        );
        assert!(one(signed.as_bytes()).is_ok());
        let mut files: Vec<Vec<u8>> = [
            "openbadges2/assertion_embedded_badgeclass_issuer_badgr.json",
            "openbadges2/baked_ob2_json_itxt.png",
            "openbadges2/legacy_ob05_assertion.json",
            "openbadges2/baked_svg_assertion_bakery.svg",
            "openbadges3/ob3_simple_vcjwt.jwt",
            "openbadges3/ob3_baked_jwt.svg",
            "openbadges3/ob3_vc1_simple.json",
        ]
        .iter()
        .map(|f| real(f))
        .collect();
        files.push(signed.into_bytes());
        files.push(png::baked(
            1,
            1,
            "openbadgecredential",
            &String::from_utf8_lossy(&real("openbadges3/ob3_vc1_simple.json")),
        ));
        let interesting = [b'"', b'.', b'<', b'>', b'{', b'}', 0, 0xff, b'A', b'-', b' ', b'['];
        super::super::test_support::mutations(&files, 7, 400, &interesting, |bytes| {
            if let Ok(imported) = parse(bytes, &trust, 0) {
                for c in &imported.courses {
                    assert!(c.record.validate("").is_ok(), "{}: accepted an invalid course", c.at);
                }
            }
        });
    }

    #[test]
    fn which_key_a_signature_must_match() {
        use super::super::trust::{PublicKey, TrustedIssuer};
        let key = |seed| super::jws::SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[seed; 32]));
        let public = |seed| PublicKey::from_jwk(&key(seed).public_jwk()).unwrap();
        let entry = |id: Option<&str>, kid: Option<&str>, seed| TrustedIssuer {
            name: format!("key {seed}"),
            id: id.map(str::to_owned),
            kid: kid.map(str::to_owned),
            key: public(seed),
        };
        let badge = br#"{"badge": {"name": "N", "issuer": {"id": "https://i.example", "name": "I"}}, "recipient": {}}"#;
        let signed = |seed, header: serde_json::Value| jws::sign(&header, badge, &key(seed));
        let level = |trust: &TrustStore, token: &str| {
            read(token, trust, 0).map(|c| c.attestation.unwrap().badge.unwrap().check.unwrap().verified_by)
        };
        let alg = serde_json::json!({"alg": "EdDSA"});
        // A key trusted without an id verifies whatever it signed.
        let any = TrustStore { issuers: vec![entry(None, None, 1)] };
        assert_eq!(level(&any, &signed(1, alg.clone())).unwrap().as_deref(), Some("key 1"));
        assert_eq!(level(&any, &signed(2, alg.clone())).unwrap(), None, "another key: unverified");
        // A key matched by `kid`: the signature must be its.
        let by_kid = TrustStore { issuers: vec![entry(None, Some("k1"), 1)] };
        let with_kid = serde_json::json!({"alg": "EdDSA", "kid": "k1"});
        assert_eq!(level(&by_kid, &signed(1, with_kid.clone())).unwrap().as_deref(), Some("key 1"));
        assert_eq!(level(&by_kid, &signed(2, with_kid)).unwrap_err().path, "signature");
        // A key for another issuer answers nothing for this one.
        let other = TrustStore { issuers: vec![entry(Some("https://other.example"), None, 1)] };
        assert_eq!(level(&other, &signed(1, alg.clone())).unwrap(), None);
        // The key a token carries: integrity, not identity; a mismatch is refused.
        let carried = serde_json::json!({"alg": "EdDSA", "jwk": key(3).public_jwk()});
        assert_eq!(level(&TrustStore::default(), &signed(3, carried.clone())).unwrap(), None);
        assert!(
            level(&TrustStore::default(), &signed(4, carried))
                .unwrap_err()
                .message()
                .contains("the key the badge carries")
        );
        // The real RS256 token with its key in the header, one signature byte changed.
        let baked = png::badge_chunk(&real("openbadges3/ob3_baked_jwt_itxt.png")).unwrap().text;
        let at = baked.rfind('.').unwrap() + 5;
        let mut altered = baked.into_bytes();
        altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
        let e = read(std::str::from_utf8(&altered).unwrap(), &TrustStore::default(), 0).unwrap_err();
        assert!(e.message().contains("signature does not match"), "{e}");
    }

    #[test]
    fn dates_and_lines() {
        let m: Map<String, Value> = serde_json::from_str(
            r#"{"a": "2017-06-29T21:50:14+02:00", "b": "2015-04-30", "c": 1262304000, "d": "yesterday"}"#,
        )
        .unwrap();
        assert_eq!(date_field(&m, "a").unwrap().unwrap().to_string(), "2017-06-29");
        assert_eq!(date_field(&m, "b").unwrap().unwrap().to_string(), "2015-04-30");
        assert_eq!(date_field(&m, "c").unwrap().unwrap().to_string(), "2010-01-01");
        assert_eq!(date_field(&m, "d").unwrap_err().path, "d");
        assert_eq!(instant_field(&m, "b").unwrap(), Some(1_430_352_000));
        assert_eq!(line(" a\n\tb  ", 10).as_deref(), Some("a b"));
        assert_eq!(line("abcdef", 4).as_deref(), Some("abc…"));
        assert_eq!(line("\u{0}", 4), None);
    }
}
