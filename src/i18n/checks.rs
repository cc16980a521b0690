//! What certfolio checked itself (issue 13, `verify`, `domain::check`): the check line of each
//! claim, its marks, and the trust note of the "not inflated" summary. Built from the stored
//! result's facts only; technical details that come from the network (an HTTP status, an
//! address) are quoted as they are.
//!
//! Why these sentences are here, keyed by `Lang`, rather than in `fr.rs` / `en.rs`: each one
//! is assembled from the same facts in the same order in both languages, and reading both
//! wordings side by side is how a reviewer checks that neither claims more than the other.

use super::{integer, plural};
use crate::domain::Lang;
use crate::domain::check::{
    CheckResult, NotChecked as CheckMiss, Outcome as CheckOutcome, Reason as CheckReason, Recipient, Source,
    StatusResult, What,
};

/// "checked on 15 January 2027" (or "tried on …" when nothing could be checked).
pub fn checked_on(lang: Lang, day: &str, tried_only: bool) -> String {
    match (lang, tried_only) {
        (Lang::Fr, false) => format!("vérifié le {day}"),
        (Lang::Fr, true) => format!("tenté le {day}"),
        (Lang::En, false) => format!("checked on {day}"),
        (Lang::En, true) => format!("tried on {day}"),
    }
}

/// A check waiting for its first run.
pub fn check_queued(lang: Lang, page: Option<&str>) -> String {
    match (lang, page) {
        (Lang::Fr, None) => "Vérification par certfolio en attente : le badge n’a pas encore été contrôlé".into(),
        (Lang::Fr, Some(host)) => format!("Page de l’émetteur ({host}) : contrôle par certfolio en attente"),
        (Lang::En, None) => "Check by certfolio queued: the badge has not been checked yet".into(),
        (Lang::En, Some(host)) => format!("Issuer page ({host}): check by certfolio queued"),
    }
}

/// The words of a link on a host certfolio does not check, on the page.
pub fn open_learner_link(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Ouvrir le lien donné par l’apprenant",
        Lang::En => "Open the learner’s link",
    }
}

/// A link on a host certfolio does not check.
pub fn learner_link(lang: Lang, host: &str) -> String {
    match lang {
        Lang::Fr => format!("Lien donné par l’apprenant ({host}) : certfolio ne contrôle pas les pages de ce site"),
        Lang::En => format!("Link given by the learner ({host}): certfolio does not check pages of this host"),
    }
}

/// Where a key or a confirmation came from, as a source: "university.example".
pub fn source_text(lang: Lang, source: &Source) -> String {
    match (lang, source) {
        (_, Source::Fetched { host, .. }) => host.clone(),
        (Lang::Fr, Source::Identifier { method }) => format!("l’identifiant {method}"),
        (Lang::En, Source::Identifier { method }) => format!("the {method} identifier"),
        (Lang::Fr, Source::TrustFile) => "le fichier des émetteurs de confiance de l’opérateur".into(),
        (Lang::En, Source::TrustFile) => "the operator’s trust file".into(),
    }
}

fn what_text(lang: Lang, what: What) -> &'static str {
    match (lang, what) {
        (Lang::Fr, What::Assertion) => "l’assertion hébergée",
        (Lang::Fr, What::BadgeClass) => "la classe du badge",
        (Lang::Fr, What::IssuerProfile) => "le profil de l’émetteur",
        (Lang::Fr, What::Key) => "la clé de signature",
        (Lang::Fr, What::DidDocument) => "le document DID",
        (Lang::Fr, What::Context) => "un contexte JSON-LD",
        (Lang::Fr, What::Signature) => "la signature",
        (Lang::Fr, What::Status) => "la liste de statut",
        (Lang::Fr, What::Page) => "la page de l’émetteur",
        (Lang::En, What::Assertion) => "the hosted assertion",
        (Lang::En, What::BadgeClass) => "the badge class",
        (Lang::En, What::IssuerProfile) => "the issuer’s profile",
        (Lang::En, What::Key) => "the signing key",
        (Lang::En, What::DidDocument) => "the DID document",
        (Lang::En, What::Context) => "a JSON-LD context",
        (Lang::En, What::Signature) => "the signature",
        (Lang::En, What::Status) => "the status list",
        (Lang::En, What::Page) => "the issuer’s page",
    }
}

/// Why something was not checked, in a few words: "refused address 127.0.0.1".
pub fn reason_text(lang: Lang, r: &CheckReason) -> String {
    let fr = lang == Lang::Fr;
    let addr = r.addr.as_deref().unwrap_or("?");
    match r.code.as_str() {
        "offline" if fr => "certfolio fonctionne hors ligne".into(),
        "offline" => "certfolio runs offline".into(),
        "address_refused" if fr => format!("adresse refusée {addr} (certfolio ne contacte que des adresses publiques)"),
        "address_refused" => format!("refused address {addr} (certfolio reaches public addresses only)"),
        "status" if fr => format!("le serveur a répondu {}", r.status.unwrap_or_default()),
        "status" => format!("the server answered {}", r.status.unwrap_or_default()),
        "timeout" | "connect_timeout" if fr => "le serveur n’a pas répondu à temps".into(),
        "timeout" | "connect_timeout" => "the server did not answer in time".into(),
        "dns" if fr => "ce nom de domaine n’existe pas".into(),
        "dns" => "no such host".into(),
        "connect" if fr => "connexion impossible".into(),
        "connect" => "no connection".into(),
        "tls" if fr => "certificat TLS refusé".into(),
        "tls" => "its TLS certificate was refused".into(),
        "busy" | "budget" if fr => "trop de vérifications en cours ; nouvel essai bientôt".into(),
        "busy" | "budget" => "too many checks under way; will try again soon".into(),
        "scheme_not_allowed" | "https_downgrade" if fr => "adresse non https".into(),
        "scheme_not_allowed" | "https_downgrade" => "not an https address".into(),
        "content_type" | "content_encoding" | "malformed" | "too_large" if fr => "réponse illisible".into(),
        "content_type" | "content_encoding" | "malformed" | "too_large" => "an answer certfolio cannot read".into(),
        "unsupported" if fr => "méthode que certfolio ne sait pas vérifier".into(),
        "unsupported" => "a method certfolio does not check".into(),
        _ if fr => "document indisponible".into(),
        _ => "not available".into(),
    }
}

fn miss_text(lang: Lang, m: &CheckMiss) -> String {
    let on = m.url.as_deref().and_then(crate::domain::issuers::host_of).map(|h| match lang {
        Lang::Fr => format!(" sur {h}"),
        Lang::En => format!(" at {h}"),
    });
    format!("{}{} ({})", what_text(lang, m.what), on.unwrap_or_default(), reason_text(lang, &m.reason))
}

fn host_in(m: Option<&CheckMiss>) -> Option<String> {
    m.and_then(|m| m.url.as_deref()).and_then(crate::domain::issuers::host_of)
}

/// Why a badge is not tied to its issuer, from the problem's code.
fn untied_text(lang: Lang, problem: Option<&CheckMiss>) -> &'static str {
    let code = problem.map_or("", |p| p.reason.code.as_str());
    match (lang, code) {
        (Lang::Fr, "embedded_key") => "signé avec une clé que le badge porte lui-même, qui ne dit pas qui a signé",
        (Lang::Fr, "not_the_issuer") => "la clé de signature n’est pas celle de l’émetteur",
        (Lang::Fr, "origin") => "l’assertion n’est pas hébergée sur le domaine de son émetteur",
        (Lang::Fr, "rejected") => "sa preuve est refusée",
        (Lang::Fr, _) => "aucune signature que certfolio puisse vérifier",
        (Lang::En, "embedded_key") => "signed with a key the badge carries itself, which says nothing of who signed",
        (Lang::En, "not_the_issuer") => "the signing key is not the issuer’s",
        (Lang::En, "origin") => "the assertion is not hosted within its issuer’s domain",
        (Lang::En, "rejected") => "its proof is refused",
        (Lang::En, _) => "no signature certfolio could check",
    }
}

/// What a badge check found, as one sentence: the outcome, who signed and where the key came
/// from, the status lists, the recipient, what could not be checked.
pub fn badge_check_text(lang: Lang, r: &CheckResult) -> String {
    let fr = lang == Lang::Fr;
    let signer = r.signer.as_deref().unwrap_or(if fr { "un signataire inconnu" } else { "an unknown signer" });
    let problem = r.problem.as_ref();
    let mut parts: Vec<String> = Vec::new();
    let head = match r.outcome {
        CheckOutcome::Verified => match (&r.known_as, &r.source) {
            (Some(name), _) if fr => {
                format!("Signature vérifiée par certfolio avec la clé que l’opérateur reconnaît pour {name}")
            }
            (Some(name), _) => format!("Signature verified by certfolio with the key the operator trusts for {name}"),
            (None, Some(Source::Identifier { method })) if fr => format!(
                "Signature vérifiée par certfolio : signé par {signer}, clé lue dans l’identifiant {method} (qui ne nomme aucune organisation)"
            ),
            (None, Some(Source::Identifier { method })) => format!(
                "Signature verified by certfolio: signed by {signer}, key read from the {method} identifier (which names no organisation)"
            ),
            (None, Some(Source::Fetched { host, .. })) if fr => {
                format!("Signature vérifiée par certfolio : signé par {signer}, clé obtenue de {host}")
            }
            (None, Some(Source::Fetched { host, .. })) => {
                format!("Signature verified by certfolio: signed by {signer}, key fetched from {host}")
            }
            (None, _) if fr => format!("Signature vérifiée par certfolio : signé par {signer}"),
            (None, _) => format!("Signature verified by certfolio: signed by {signer}"),
        },
        CheckOutcome::Confirmed => {
            let host = match &r.source {
                Some(Source::Fetched { host, .. }) => host.clone(),
                _ => signer.to_owned(),
            };
            if fr {
                format!("Confirmé par le serveur de l’émetteur : {host} sert la même assertion")
            } else {
                format!("Confirmed by the issuer’s server: {host} serves the same assertion")
            }
        }
        CheckOutcome::Revoked => {
            let how = match (problem.and_then(|p| p.reason.status), host_in(problem)) {
                (Some(410), Some(h)) if fr => format!(" ({h} répond 410 Gone)"),
                (Some(410), Some(h)) => format!(" ({h} answers 410 Gone)"),
                _ if problem.is_some_and(|p| p.reason.code == "declared") => {
                    if fr {
                        " (les données du badge le disent)".to_owned()
                    } else {
                        " (the badge data says so)".to_owned()
                    }
                }
                (_, Some(h)) if fr => format!(" (selon {h})"),
                (_, Some(h)) => format!(" (says {h})"),
                _ => String::new(),
            };
            if fr { format!("Révoqué par l’émetteur{how}") } else { format!("Revoked by the issuer{how}") }
        }
        CheckOutcome::Suspended if fr => "Suspendu par l’émetteur (liste de statut)".into(),
        CheckOutcome::Suspended => "Suspended by the issuer (status list)".into(),
        CheckOutcome::OtherRecipient if fr => {
            "Délivré à quelqu’un d’autre : le badge nomme une autre adresse que celles de ce compte".into()
        }
        CheckOutcome::OtherRecipient => {
            "Issued to someone else: the badge names another email than this account’s".into()
        }
        CheckOutcome::SignatureInvalid if fr => {
            "La signature ne correspond pas aux données : badge modifié, ou non signé par son émetteur".into()
        }
        CheckOutcome::SignatureInvalid => {
            "The signature does not match the data: altered, or not signed by its issuer".into()
        }
        CheckOutcome::Mismatch if fr => "La copie de l’émetteur diffère de ce badge".into(),
        CheckOutcome::Mismatch => "The issuer’s copy differs from this badge".into(),
        CheckOutcome::Unverified if fr => {
            format!("Données du badge lues, non liées à l’émetteur : {}", untied_text(lang, problem))
        }
        CheckOutcome::Unverified => format!("Badge data read, not tied to its issuer: {}", untied_text(lang, problem)),
        CheckOutcome::NotChecked => {
            let why = problem.or(r.not_checked.first()).map(|m| miss_text(lang, m));
            match (fr, why) {
                (true, Some(w)) => format!("Non vérifié : {w}"),
                (true, None) => "Non vérifié".into(),
                (false, Some(w)) => format!("Not checked: {w}"),
                (false, None) => "Not checked".into(),
            }
        }
        // Page outcomes are worded by `link_check_text`.
        CheckOutcome::PageChecked | CheckOutcome::PageUnconfirmed | CheckOutcome::LinkBroken => String::new(),
    };
    parts.push(head);
    for s in &r.status {
        let host = s.url.as_deref().and_then(crate::domain::issuers::host_of).unwrap_or_default();
        let text = match (&s.result, fr) {
            (StatusResult::NotRevoked, true) => format!("non révoqué (liste de statut sur {host})"),
            (StatusResult::NotRevoked, false) => format!("not revoked (status list at {host})"),
            (StatusResult::Revoked | StatusResult::Suspended, true) => format!("liste de statut sur {host}"),
            (StatusResult::Revoked | StatusResult::Suspended, false) => format!("status list at {host}"),
            (StatusResult::Refused { reason }, true) => format!("liste de statut sur {host} refusée ({reason})"),
            (StatusResult::Refused { reason }, false) => format!("status list at {host} refused ({reason})"),
            (StatusResult::NotChecked { reason }, true) => {
                format!("liste de statut non consultée ({})", reason_text(lang, reason))
            }
            (StatusResult::NotChecked { reason }, false) => {
                format!("status list not checked ({})", reason_text(lang, reason))
            }
        };
        parts.push(text);
    }
    match (&r.recipient, fr) {
        (Recipient::Matches { .. }, true) => parts.push("délivré à l’adresse de ce compte".into()),
        (Recipient::Matches { .. }, false) => parts.push("issued to this account’s email".into()),
        (Recipient::NoEmail, true) => parts.push("destinataire non désigné par une adresse e-mail".into()),
        (Recipient::NoEmail, false) => parts.push("recipient not named by an email".into()),
        (Recipient::NotComparable { .. }, true) => parts.push("destinataire non comparable".into()),
        (Recipient::NotComparable { .. }, false) => parts.push("recipient not comparable".into()),
        _ => {}
    }
    // What else could not be checked (the first of them is the headline when nothing was).
    let skip = usize::from(r.outcome == CheckOutcome::NotChecked && problem.is_none());
    {
        for m in r.not_checked.iter().skip(skip).take(2) {
            parts.push(if fr {
                format!("non vérifié : {}", miss_text(lang, m))
            } else {
                format!("not checked: {}", miss_text(lang, m))
            });
        }
    }
    let sep = if fr { "\u{a0}; " } else { "; " };
    parts.retain(|p| !p.is_empty());
    parts.join(sep)
}

/// What the check of a known issuer's page found.
pub fn link_check_text(lang: Lang, r: &CheckResult, since: Option<&str>) -> String {
    let fr = lang == Lang::Fr;
    let host = r.page.as_ref().map(|p| p.host.clone()).or_else(|| host_in(r.problem.as_ref())).unwrap_or_default();
    match (r.outcome, &r.page) {
        (CheckOutcome::PageChecked, Some(p)) if fr => {
            format!("Page de l’émetteur contrôlée par certfolio : {host} répond et nomme {} et le cours", p.learner)
        }
        (CheckOutcome::PageChecked, Some(p)) => {
            format!("Issuer page checked by certfolio: {host} answers and names {} and the course", p.learner)
        }
        (CheckOutcome::PageUnconfirmed, Some(p)) => {
            let missing = match (p.names_learner, p.names_course, fr) {
                (false, false, true) => "ni l’apprenant ni le cours",
                (false, _, true) => "pas l’apprenant",
                (_, _, true) => "pas le cours",
                (false, false, false) => "neither the learner nor the course",
                (false, _, false) => "not the learner",
                (_, _, false) => "not the course",
            };
            if fr {
                format!("La page de l’émetteur répond ({host}) mais ne nomme {missing}")
            } else {
                format!("The issuer’s page answers ({host}) but names {missing}")
            }
        }
        (CheckOutcome::LinkBroken, _) => {
            let why = r.problem.as_ref().map(|m| reason_text(lang, &m.reason)).unwrap_or_default();
            match (since, fr) {
                (Some(d), true) => format!("Lien rompu depuis le {d} : {host}, {why}"),
                (None, true) => format!("Lien rompu : {host}, {why}"),
                (Some(d), false) => format!("Link broken since {d}: {host}, {why}"),
                (None, false) => format!("Link broken: {host}, {why}"),
            }
        }
        _ => {
            let why = r.problem.as_ref().map(|m| reason_text(lang, &m.reason)).unwrap_or_default();
            if fr {
                format!("Page de l’émetteur ({host}) non contrôlée : {why}")
            } else {
                format!("Issuer page ({host}) not checked: {why}")
            }
        }
    }
}

/// The short mark beside a claim's level for what a check found against it.
pub fn check_mark(lang: Lang, outcome: CheckOutcome, since: Option<&str>) -> Option<String> {
    let fr = lang == Lang::Fr;
    let with_since = |fr_word: &str, en_word: &str| match (since, fr) {
        (Some(d), true) => format!("{fr_word} depuis le {d}"),
        (None, true) => fr_word.to_owned(),
        (Some(d), false) => format!("{en_word} since {d}"),
        (None, false) => en_word.to_owned(),
    };
    Some(match outcome {
        CheckOutcome::Revoked => with_since("révoqué", "revoked"),
        CheckOutcome::Suspended => with_since("suspendu", "suspended"),
        CheckOutcome::LinkBroken => with_since("lien rompu", "link broken"),
        CheckOutcome::OtherRecipient if fr => "délivré à quelqu’un d’autre".into(),
        CheckOutcome::OtherRecipient => "issued to someone else".into(),
        CheckOutcome::SignatureInvalid if fr => "signature invalide".into(),
        CheckOutcome::SignatureInvalid => "signature does not match".into(),
        CheckOutcome::Mismatch if fr => "diffère de la copie de l’émetteur".into(),
        CheckOutcome::Mismatch => "differs from the issuer’s copy".into(),
        CheckOutcome::PageUnconfirmed if fr => "page de l’émetteur sans ce nom".into(),
        CheckOutcome::PageUnconfirmed => "issuer page does not name it".into(),
        _ => return None,
    })
}

/// The mark of a verified credential whose revocation status could not be established.
pub fn status_unknown_mark(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "statut de révocation inconnu",
        Lang::En => "revocation status unknown",
    }
}

/// The dashboard's words for certfolio's checks.
pub struct CheckWords {
    pub heading: &'static str,
    pub intro: &'static str,
    pub changes: &'static str,
    pub no_change: &'static str,
    pub check_now: &'static str,
    pub done: &'static str,
    pub running: &'static str,
    pub too_soon: &'static str,
}

pub fn check_words(lang: Lang) -> &'static CheckWords {
    match lang {
        Lang::Fr => &CheckWords {
            heading: "Vérifications par certfolio",
            intro: "certfolio vérifie lui-même vos badges et les pages des émetteurs connus, puis recommence chaque semaine : les recruteurs voient ce qui a été vérifié, quand et auprès de quoi.",
            changes: "Ce qui a changé",
            no_change: "Aucun changement depuis trois mois.",
            check_now: "Vérifier maintenant",
            done: "Vérifications faites : les résultats ci-dessous sont à jour.",
            running: "Vérifications en cours : les résultats arrivent dans quelques minutes.",
            too_soon: "Vous venez de demander une vérification : réessayez dans quelques minutes.",
        },
        Lang::En => &CheckWords {
            heading: "Checks by certfolio",
            intro: "certfolio checks your badges and known issuers’ pages itself, then again every week: recruiters see what was checked, when and against what.",
            changes: "What changed",
            no_change: "No change in the last three months.",
            check_now: "Check now",
            done: "Checks done: the results below are up to date.",
            running: "Checks under way: the results come in a few minutes.",
            too_soon: "You asked for a check a moment ago: try again in a few minutes.",
        },
    }
}

/// "3 proofs checked by certfolio, last on 15 January 2027; 1 queued."
pub fn checks_summary(lang: Lang, checked: usize, last: Option<&str>, queued: usize) -> String {
    let n = |v: usize| integer(lang, v as u64);
    let mut out = match (lang, last) {
        (Lang::Fr, Some(d)) => format!(
            "{} {} par certfolio, la dernière le {d}",
            n(checked),
            plural(lang, checked as u64, "preuve vérifiée", "preuves vérifiées")
        ),
        (Lang::Fr, None) => "Aucune preuve vérifiée pour l’instant".to_owned(),
        (Lang::En, Some(d)) => format!(
            "{} {} by certfolio, last on {d}",
            n(checked),
            plural(lang, checked as u64, "proof checked", "proofs checked")
        ),
        (Lang::En, None) => "No proof checked yet".to_owned(),
    };
    if queued > 0 {
        out.push_str(&match lang {
            Lang::Fr => format!("\u{a0}; {} en attente.", n(queued)),
            Lang::En => format!("; {} queued.", n(queued)),
        });
    } else {
        out.push('.');
    }
    out
}

/// A change of outcome, for the learner: "revoked (badge), on 3 February 2027".
pub fn check_change(lang: Lang, kind: crate::domain::check::CheckKind, to: CheckOutcome, on: &str) -> String {
    use crate::domain::check::CheckKind;
    let what = match (lang, kind) {
        (Lang::Fr, CheckKind::Badge) => "badge",
        (Lang::Fr, CheckKind::Link) => "lien",
        (Lang::En, CheckKind::Badge) => "badge",
        (Lang::En, CheckKind::Link) => "link",
    };
    let outcome = check_mark(lang, to, None).unwrap_or_else(|| match (lang, to) {
        (Lang::Fr, CheckOutcome::Verified | CheckOutcome::Confirmed | CheckOutcome::PageChecked) => "vérifié".into(),
        (Lang::En, CheckOutcome::Verified | CheckOutcome::Confirmed | CheckOutcome::PageChecked) => "checked".into(),
        (Lang::Fr, _) => "non vérifié".into(),
        (Lang::En, _) => "not checked".into(),
    });
    match lang {
        Lang::Fr => format!("{outcome} ({what}), le {on}"),
        Lang::En => format!("{outcome} ({what}), on {on}"),
    }
}

/// The trust note under the "not inflated" summary: exactly what certfolio checked and what it
/// did not. `checked`: claims at a level certfolio checked; `unchecked`: proofs certfolio tried
/// and could not check (or has not yet); `offline`: some of those because it runs offline.
pub fn claims_note(lang: Lang, claims: usize, checked: usize, unchecked: usize, offline: bool) -> String {
    let n = |v: usize| integer(lang, v as u64);
    let mut out = Vec::new();
    match lang {
        Lang::Fr => {
            if checked > 0 {
                out.push(format!(
                    "certfolio a lui-même vérifié {} de ces affirmations (signatures, serveurs et pages des émetteurs, listes de révocation)\u{a0}; chacune dit ce qui a été vérifié, auprès de quoi et quand.",
                    n(checked)
                ));
            }
            if offline {
                out.push(format!(
                    "Ce service fonctionne hors ligne\u{a0}: certfolio n’a vérifié que ce que les fichiers prouvent d’eux-mêmes\u{a0}; {} {} les serveurs des émetteurs {} pas été {}.",
                    n(unchecked),
                    plural(lang, unchecked as u64, "vérification qui demande", "vérifications qui demandent"),
                    if unchecked <= 1 { "n’a" } else { "n’ont" },
                    plural(lang, unchecked as u64, "faite", "faites"),
                ));
            } else if unchecked > 0 {
                out.push(format!(
                    "{} {} pas pu être {} ou attend son tour (chaque affirmation dit pourquoi).",
                    n(unchecked),
                    plural(lang, unchecked as u64, "preuve n’a", "preuves n’ont"),
                    plural(lang, unchecked as u64, "vérifiée", "vérifiées"),
                ));
            }
            if checked < claims {
                out.push(if checked == 0 {
                    "certfolio n’a lui-même vérifié aucune de ces affirmations\u{a0}: elles sont telles que l’apprenant les a saisies\u{a0}; suivez le lien de chaque émetteur pour les contrôler.".to_owned()
                } else {
                    "Les autres sont telles que l’apprenant les a saisies\u{a0}: suivez le lien de chaque émetteur pour les contrôler.".to_owned()
                });
            }
        }
        Lang::En => {
            if checked > 0 {
                out.push(format!(
                    "certfolio checked {} of these claims itself (signatures, issuers’ servers and pages, revocation lists); each says what was checked, against what and when.",
                    n(checked)
                ));
            }
            if offline {
                out.push(format!(
                    "This service runs offline: certfolio checked only what the files themselves prove; {} {} the issuers’ servers {} not made.",
                    n(unchecked),
                    plural(lang, unchecked as u64, "check that needs", "checks that need"),
                    if unchecked == 1 { "was" } else { "were" },
                ));
            } else if unchecked > 0 {
                out.push(format!(
                    "{} {} not be checked or {} still queued (each claim says why).",
                    n(unchecked),
                    plural(lang, unchecked as u64, "proof could", "proofs could"),
                    if unchecked == 1 { "is" } else { "are" },
                ));
            }
            if checked < claims {
                out.push(if checked == 0 {
                    "certfolio has not checked any of these claims itself: they are as the learner recorded them; follow each issuer’s link to check them.".to_owned()
                } else {
                    "The others are as the learner recorded them: follow each issuer’s link to check them.".to_owned()
                });
            }
        }
    }
    out.join(" ")
}
