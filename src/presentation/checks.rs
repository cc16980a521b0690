//! The check lines and marks of an entry: what certfolio checked of the claim (issue 13), worded
//! from the stored results (`domain::check`) by `i18n`. Kept apart so that the entry builder
//! only gathers them.

use super::{CheckView, Mark};
use crate::domain::check::{CheckKind, CheckResult, Outcome, ProofCheck, current_results};
use crate::domain::issuers::{host_of, known_issuer};
use crate::domain::{CourseRecord, Lang};
use crate::i18n;

fn day(lang: Lang, at: Option<i64>) -> Option<String> {
    at.and_then(crate::domain::portfolio::day_of).map(|d| i18n::day_month_year(lang, d))
}

fn dated(view: &mut CheckView, lang: Lang, check: &ProofCheck, result: &CheckResult) {
    let tried = result.outcome == Outcome::NotChecked;
    view.checked_on = day(lang, check.checked_at).map(|d| i18n::checked_on(lang, &d, tried));
    view.checked_at = check.checked_at.map(crate::config::rfc3339);
}

fn mark(code: &'static str, text: String) -> Mark {
    Mark { code, text }
}

fn mark_code(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Revoked => "badge_revoked",
        other => other.as_str(),
    }
}

/// The check lines of a course (badge, then link) and the marks they call for, from its stored
/// `checks`.
pub fn views(record: &CourseRecord, checks: &[ProofCheck], lang: Lang) -> (Vec<CheckView>, Vec<Mark>) {
    let mut views = Vec::new();
    let mut marks = Vec::new();
    let Some(att) = record.attestation.as_ref() else { return (views, marks) };
    let (badge, link) = current_results(record, checks);
    if att.badge.is_some() {
        let mut view = CheckView {
            kind: CheckKind::Badge.as_str(),
            code: "queued",
            text: i18n::check_queued(lang, None),
            checked_on: None,
            checked_at: None,
            source: None,
        };
        if let Some((check, Some(result))) = badge {
            view.code = result.outcome.as_str();
            view.text = i18n::badge_check_text(lang, result);
            view.source = result.source.as_ref().map(|s| i18n::source_text(lang, s));
            dated(&mut view, lang, check, result);
            let since = day(lang, check.since);
            if let Some(text) = i18n::check_mark(lang, result.outcome, since.as_deref()) {
                marks.push(mark(mark_code(result.outcome), text));
            }
            if result.outcome == Outcome::Verified && result.status_unknown() {
                marks.push(mark("status_unknown", i18n::status_unknown_mark(lang).to_owned()));
            }
        }
        views.push(view);
    }
    if let Some(url) = att.url.as_deref() {
        match known_issuer(url) {
            Some((_, host)) => {
                let mut view = CheckView {
                    kind: CheckKind::Link.as_str(),
                    code: "queued",
                    text: i18n::check_queued(lang, Some(&host)),
                    checked_on: None,
                    checked_at: None,
                    source: Some(host),
                };
                if let Some((check, Some(result))) = link {
                    let since = day(lang, check.since);
                    view.code = result.outcome.as_str();
                    view.text = i18n::link_check_text(lang, result, since.as_deref());
                    dated(&mut view, lang, check, result);
                    if let Some(text) = i18n::check_mark(lang, result.outcome, since.as_deref()) {
                        marks.push(mark(mark_code(result.outcome), text));
                    }
                }
                views.push(view);
            }
            // A badge's own link (a hosted assertion's address) is the badge's, checked with it.
            None if att.badge.is_none() => {
                if let Some(host) = host_of(url) {
                    views.push(CheckView {
                        kind: CheckKind::Link.as_str(),
                        code: "learner_link",
                        text: i18n::learner_link(lang, &host),
                        checked_on: None,
                        checked_at: None,
                        source: Some(host),
                    });
                }
            }
            None => {}
        }
    }
    (views, marks)
}
