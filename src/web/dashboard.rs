//! The dashboard: counts and hours, a timeline of courses by year (inline SVG drawn here: no
//! script, and no inline style, which the page CSP forbids), the advised framing with its
//! reasons, and what to do next.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::account_pages::ui;
use super::{Page, SignedIn, html, private};
use crate::domain::Lang;
use crate::domain::advice::advise;
use crate::error::AppError;
use crate::i18n::{self, UiLabels};
use crate::state::AppState;
use crate::storage::StoredCourse;

/// One year's bar of the timeline, already placed in the SVG's coordinates. Bars run
/// sideways, one row per year, so the chart keeps readable text on a phone.
pub struct Bar {
    pub y: u32,
    pub text_y: u32,
    pub length: u32,
    pub count_x: u32,
    pub year: i32,
    pub count: String,
}

pub struct Timeline {
    pub width: u32,
    pub height: u32,
    pub bar_x: u32,
    pub bar_height: u32,
    pub bars: Vec<Bar>,
    /// The same data as a sentence, for screen readers.
    pub text: String,
}

const WIDTH: u32 = 340;
const LABEL: u32 = 46;
const PLOT: u32 = 250;
const ROW: u32 = 24;
const BAR_HEIGHT: u32 = 16;
/// The timeline shows at most this many years, the most recent.
const MAX_YEARS: i32 = 15;

/// Courses per year, placed by the one rule every chart uses (`domain::portfolio::course_date`:
/// start, else end, else the attestation's issue date), every year of the span listed so gaps
/// show; empty when no course is dated.
pub fn by_year(courses: &[StoredCourse]) -> Vec<(i32, usize)> {
    let years: Vec<i32> =
        courses.iter().filter_map(|c| crate::domain::portfolio::course_date(&c.record)).map(|d| d.year()).collect();
    let (Some(first), Some(last)) = (years.iter().min(), years.iter().max()) else { return Vec::new() };
    let first = (*first).max(last - MAX_YEARS + 1);
    (first..=*last).map(|y| (y, years.iter().filter(|v| **v == y).count())).collect()
}

fn timeline(lang: Lang, t: &UiLabels, years: &[(i32, usize)]) -> Option<Timeline> {
    let max = years.iter().map(|(_, n)| *n).max().filter(|m| *m > 0)?;
    let max32 = u32::try_from(max).unwrap_or(1);
    let bars = years
        .iter()
        .enumerate()
        .map(|(i, (year, n))| {
            let y = u32::try_from(i).unwrap_or(0) * ROW + (ROW - BAR_HEIGHT) / 2;
            let n32 = u32::try_from(*n).unwrap_or(u32::MAX);
            let length = if *n == 0 { 0 } else { (n32.min(max32) * PLOT / max32).max(3) };
            Bar {
                y,
                text_y: y + BAR_HEIGHT - 3,
                length,
                count_x: LABEL + length + 6,
                year: *year,
                count: i18n::integer(lang, *n as u64),
            }
        })
        .collect::<Vec<_>>();
    let height = u32::try_from(years.len()).unwrap_or(0) * ROW;
    let text = years
        .iter()
        .map(|(y, n)| format!("{y}{}{}", i18n::colon(lang), i18n::count(lang, *n, t.course_one, t.course_many)))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Timeline { width: WIDTH, height, bar_x: LABEL, bar_height: BAR_HEIGHT, bars, text })
}

/// Something worth doing now, with where to do it.
pub struct Step {
    pub text: String,
    pub href: &'static str,
    pub action: &'static str,
}

/// What to do next, most useful first: fill in what makes certificates checkable, then share.
pub fn next_steps(
    lang: Lang,
    t: &UiLabels,
    courses: &[StoredCourse],
    live_shares: usize,
    has_situation: bool,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let certified: Vec<&StoredCourse> = courses.iter().filter(|c| c.record.is_certified()).collect();
    let no_url = certified.iter().filter(|c| c.record.attestation.as_ref().is_none_or(|a| a.url.is_none())).count();
    let no_file = certified.iter().filter(|c| c.evidence.is_none()).count();
    let n = |k: usize| i18n::integer(lang, k as u64);
    if courses.is_empty() {
        steps.push(Step { text: t.step_add.into(), href: "/courses/new", action: t.add_course });
        steps.push(Step { text: t.step_import.into(), href: "/import", action: t.import });
        return steps;
    }
    if no_url > 0 {
        let text = t.step_url.replace("{n}", &n(no_url)).replace("{courses}", course_word(lang, t, no_url));
        steps.push(Step { text, href: "/courses", action: t.courses_link });
    }
    if no_file > 0 {
        let text = t.step_file.replace("{n}", &n(no_file)).replace("{courses}", course_word(lang, t, no_file));
        steps.push(Step { text, href: "/courses", action: t.courses_link });
    }
    if !has_situation {
        steps.push(Step { text: t.step_situation.into(), href: "/settings", action: t.settings });
    }
    if live_shares == 0 {
        steps.push(Step { text: t.step_share.into(), href: "/portfolio", action: t.portfolio });
    }
    steps.push(Step { text: t.step_import_more.into(), href: "/import", action: t.import });
    steps
}

fn course_word(lang: Lang, t: &UiLabels, n: usize) -> &'static str {
    i18n::plural(lang, n as u64, t.certified_course_one, t.certified_course_many)
}

/// A certificate whose validity ends soon (or has just ended), with the day it does.
pub struct Expiring {
    pub id: uuid::Uuid,
    pub title: String,
    pub when: String,
    pub past: bool,
}

/// Certificates expiring within this many days are listed on the dashboard.
const EXPIRY_NOTICE_DAYS: i64 = 60;

/// Certificates whose expiry falls within the next [`EXPIRY_NOTICE_DAYS`] (or within the last
/// ones: just expired), soonest first.
pub fn expiring(lang: Lang, courses: &[StoredCourse], now: i64) -> Vec<Expiring> {
    use crate::domain::portfolio::{day_of, expiry_date, is_expired};
    let Some(today) = day_of(now) else { return Vec::new() };
    let window = time::Duration::days(EXPIRY_NOTICE_DAYS);
    let mut out: Vec<(crate::domain::IsoDate, Expiring)> = courses
        .iter()
        .filter_map(|c| {
            let on = expiry_date(&c.record)?;
            let near = on.0 <= today.0 + window && on.0 >= today.0 - window;
            near.then(|| {
                let past = is_expired(&c.record, now);
                let day = i18n::day_month_year(lang, on);
                let when = if past { i18n::expired_on(lang, Some(&day)) } else { i18n::expires_on(lang, &day) };
                (on, Expiring { id: c.id, title: c.record.title.clone(), when, past })
            })
        })
        .collect();
    out.sort_by_key(|(on, _)| *on);
    out.into_iter().map(|(_, e)| e).collect()
}

/// certfolio's checks of the record, for the learner (issue 13): how many, the changes of
/// outcome that call for action, and "check now".
pub struct ChecksBlock {
    pub w: &'static i18n::CheckWords,
    pub summary: String,
    /// (course id, title, what changed) for each alarm of the last three months, newest first.
    pub changes: Vec<(uuid::Uuid, String, String)>,
    /// What the last "check now" did, from the redirect after it.
    pub notice: Option<&'static str>,
}

/// Changes of outcome are shown for this long.
const CHANGES_FOR_SECS: i64 = 90 * 24 * 3600;

fn checks_block(
    lang: Lang,
    courses: &[StoredCourse],
    changes: Vec<crate::storage::checks::CheckChange>,
    notice: Option<&str>,
) -> Option<ChecksBlock> {
    let all: Vec<&crate::domain::check::ProofCheck> = courses.iter().flat_map(|c| &c.checks).collect();
    if all.is_empty() && changes.is_empty() {
        return None;
    }
    let w = i18n::check_words(lang);
    let checked = all
        .iter()
        .filter(|c| c.result.as_ref().is_some_and(|r| r.outcome != crate::domain::check::Outcome::NotChecked))
        .count();
    let last = all.iter().filter_map(|c| c.checked_at).max().and_then(crate::domain::portfolio::day_of);
    let last = last.map(|d| i18n::day_month_year(lang, d));
    let queued = all.iter().filter(|c| c.queued).count();
    let changes = changes
        .into_iter()
        .filter(|c| c.to.is_alarm())
        .map(|c| {
            let on = crate::domain::portfolio::day_of(c.at).map(|d| i18n::day_month_year(lang, d)).unwrap_or_default();
            (c.course_id, c.title, i18n::check_change(lang, c.kind, c.to, &on))
        })
        .collect();
    let notice = match notice {
        Some("done") => Some(w.done),
        Some("running") => Some(w.running),
        Some("wait") => Some(w.too_soon),
        _ => None,
    };
    Some(ChecksBlock { w, summary: i18n::checks_summary(lang, checked, last.as_deref(), queued), changes, notice })
}

/// `?checks=` after "check now": which notice to show (nothing else is read from the query).
#[derive(Debug, serde::Deserialize)]
pub struct DashboardQuery {
    checks: Option<String>,
}

/// "Check now" from the dashboard: the API's rate and budget, then back to the dashboard with
/// what happened.
pub async fn check_now(State(state): State<AppState>, SignedIn { who, .. }: SignedIn) -> Response {
    let to = match crate::verify::check_now(&state, who.id).await {
        Ok(Ok(done)) if done.finished => "/dashboard?checks=done",
        Ok(Ok(_)) => "/dashboard?checks=running",
        Ok(Err(_)) => "/dashboard?checks=wait",
        Err(e) => return AppError::from(e).into_response(),
    };
    axum::response::Redirect::to(to).into_response()
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: Page,
    t: &'static UiLabels,
    name: String,
    /// The appetite portfolio's figures: the same numbers, with the same coverage, as the PDF.
    figures: Vec<crate::presentation::Figure>,
    expiring: Vec<Expiring>,
    advice: Option<(String, Vec<String>)>,
    empty: bool,
    timeline: Option<Timeline>,
    steps: Vec<Step>,
    checks: Option<ChecksBlock>,
}

pub async fn page(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    query: Result<axum::extract::Query<DashboardQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let (profile, courses) = match state.db.record(who.id).await {
        Ok(r) => r,
        Err(e) => return AppError::from(e).into_response(),
    };
    let shares = match state.db.list_shares(who.id).await {
        Ok(s) => s,
        Err(e) => return AppError::from(e).into_response(),
    };
    let now = state.clock.now();
    let changes = match state.db.check_changes(who.id, now - CHANGES_FOR_SECS).await {
        Ok(c) => c,
        Err(e) => return AppError::from(e).into_response(),
    };
    let notice = query.as_ref().ok().and_then(|q| q.checks.as_deref());
    let checks = checks_block(lang, &courses, changes, notice);
    let live_shares = shares.iter().filter(|s| s.is_live(now)).count();
    let t = ui(lang);
    let has_situation = profile.situation.is_some();
    let record = crate::storage::courses::as_record(profile, &courses);
    let doc = record.to_document();
    let figures = crate::presentation::present(&record, &crate::domain::portfolio::Spec::appetite(), lang, now)
        .map(|p| p.figures)
        .unwrap_or_default();
    let advice = (!doc.courses.is_empty()).then(|| {
        let a = advise(&doc, state.clock.now());
        let what = match a.field.as_ref().or(a.theme.as_ref()) {
            Some(scope) => format!("{} — {scope}", super::account_pages::framing_name(a.framing, lang)),
            None => super::account_pages::framing_name(a.framing, lang).to_owned(),
        };
        (what, i18n::advice_reasons(lang, &a.reasons))
    });
    let page = DashboardPage {
        page: Page::learner(lang, t.dashboard.into(), "/dashboard"),
        t,
        name: doc.learner.name.clone(),
        figures,
        expiring: expiring(lang, &courses, now),
        advice,
        empty: doc.courses.is_empty(),
        timeline: timeline(lang, t, &by_year(&courses)),
        steps: next_steps(lang, t, &courses, live_shares, has_situation),
        checks,
    };
    private(html(StatusCode::OK, page.render()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CourseRecord, IsoDate};

    fn stored(title: &str, start: Option<&str>) -> StoredCourse {
        let mut record = CourseRecord::titled(title);
        record.started_on = start.map(|s| IsoDate::parse(s).unwrap());
        StoredCourse {
            id: uuid::Uuid::new_v4(),
            record,
            evidence: None,
            checks: Vec::new(),
            import_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn the_timeline_counts_courses_per_year_and_shows_the_gaps() {
        let courses = [
            stored("a", Some("2014-03-01")),
            stored("b", Some("2016-01-10")),
            stored("c", Some("2016-05-01")),
            stored("d", None),
        ];
        assert_eq!(by_year(&courses), [(2014, 1), (2015, 0), (2016, 2)]);
        let tl = timeline(Lang::En, ui(Lang::En), &by_year(&courses)).unwrap();
        assert_eq!(tl.bars[2].length, PLOT);
        assert_eq!(tl.bars[1].length, 0);
        assert!(tl.text.starts_with("2014: 1\u{a0}course, 2015: 0\u{a0}courses"), "{}", tl.text);
        assert!(by_year(&[stored("x", None)]).is_empty());
    }

    #[test]
    fn the_timeline_places_a_course_with_only_an_issue_date() {
        let mut linkedin = stored("cert", None);
        linkedin.record.attestation = Some(crate::domain::AttestationRecord {
            issued_on: Some(IsoDate::parse("2025-11-01").unwrap()),
            ..Default::default()
        });
        assert_eq!(by_year(&[stored("a", Some("2024-01-01")), linkedin]), [(2024, 1), (2025, 1)]);
    }

    #[test]
    fn certificates_expiring_within_sixty_days_are_listed_soonest_first() {
        let with_expiry = |title: &str, on: &str| {
            let mut c = stored(title, None);
            c.record.attestation = Some(crate::domain::AttestationRecord {
                expires_on: Some(IsoDate::parse(on).unwrap()),
                ..Default::default()
            });
            c
        };
        let now = 1_795_262_400; // 2026-11-21
        let list = expiring(
            Lang::En,
            &[with_expiry("later", "2027-06-01"), with_expiry("soon", "2027-01-10"), with_expiry("gone", "2026-11-01")],
            now,
        );
        let seen: Vec<(&str, &str, bool)> = list.iter().map(|e| (e.title.as_str(), e.when.as_str(), e.past)).collect();
        assert_eq!(seen, [("gone", "expired on 1 November 2026", true), ("soon", "expires on 10 January 2027", false)]);
    }

    #[test]
    fn next_steps_point_at_what_makes_certificates_checkable() {
        let mut certified = stored("a", None);
        certified.record.attestation = Some(crate::domain::AttestationRecord::default());
        let steps = next_steps(Lang::En, ui(Lang::En), &[certified], 0, false);
        let texts: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
        assert!(texts[0].contains("1 certified course") && texts[0].contains("verification"), "{texts:?}");
        assert!(steps.iter().any(|s| s.href == "/portfolio") && steps.iter().any(|s| s.href == "/settings"));
        assert_eq!(next_steps(Lang::En, ui(Lang::En), &[], 0, false)[0].href, "/courses/new");
    }
}
