//! What a portfolio shows, before any wording or typesetting: which courses a framing keeps, in
//! which order, and every figure, each with the courses it was computed from (PRODUCT.md, "The
//! two framings"). Pure functions; `presentation` words them for the PDF, the pages and the API.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::course::str_enum;
use super::record::{HeldCourse, Record};
use super::text::normalize_name;
use super::{CourseRecord, IsoDate, Outcome};

/// The two framings of one record (seed 003): what the certificates are made to prove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Framing {
    /// The capacity and will to self-train, whatever the topic.
    Appetite,
    /// Mastery of one field or one theme.
    Legitimacy,
}

str_enum!(Framing { Appetite => "appetite", Legitimacy => "legitimacy" });

/// Which part of the record a framing covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole record (appetite).
    All,
    /// A discipline: every course of that field, grouped by theme.
    Field(String),
    /// One theme: only the courses carrying it.
    Theme(String),
}

/// What the learner asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub framing: Framing,
    pub scope: Scope,
    /// Legitimacy leaves uncertified courses out unless asked (appetite always shows them).
    pub include_uncertified: bool,
    /// Legitimacy leaves expired certificates out unless asked (then they are marked); appetite
    /// shows them, marked, as the effort they were.
    pub include_expired: bool,
    /// The learner's own choices course by course (a saved portfolio): none by default.
    pub shape: Shape,
}

impl Spec {
    pub fn appetite() -> Spec {
        Spec::new(Framing::Appetite, Scope::All)
    }

    /// A framing and scope with the framing's own rules and no choice of the learner's.
    pub fn new(framing: Framing, scope: Scope) -> Spec {
        Spec { framing, scope, include_uncertified: false, include_expired: false, shape: Shape::default() }
    }
}

/// What a learner chose course by course (issue 12), on top of the framing's rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Shown although the framing's rule would leave them out (uncertified, expired, another field).
    pub include: Vec<Uuid>,
    /// Never shown, whatever the rule says.
    pub exclude: Vec<Uuid>,
    /// Shown first, in this order, at most [`MAX_PINNED`].
    pub pinned: Vec<Uuid>,
    /// Within each list, these first in this order, then the others newest first.
    pub order: Vec<Uuid>,
    /// A few sentences of the learner's own, shown as theirs beside the generated ones.
    pub statement: Option<String>,
}

/// The learner's own statement is at most this long: a paragraph, not a cover letter.
pub const MAX_STATEMENT: usize = 600;

/// A portfolio puts at most this many courses first: a recruiter reads the first few.
pub const MAX_PINNED: usize = 5;

/// Why a portfolio cannot be made from this record with this request. The messages name the
/// value and, where it helps, what would have worked.
/// Worded by `crate::i18n` (`Problem::Select`); `Display` is the English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// The record has no courses.
    Empty,
    /// The legitimacy framing without a field or theme; the record's fields, listed.
    ScopeRequired { available: String },
    /// A field or theme with the appetite framing.
    ScopeNotAllowed,
    /// No course has this `field` or `theme`; what the record has, listed.
    NoMatch { kind: &'static str, value: String, available: String },
}

impl std::fmt::Display for SelectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::problem(super::Lang::En, &super::Problem::Select(self.clone())))
    }
}

impl std::error::Error for SelectError {}

impl SelectError {
    /// The input to blame: `field`, `theme` or `framing`.
    pub fn input(&self) -> &'static str {
        match self {
            SelectError::Empty => "courses",
            SelectError::ScopeRequired { .. } | SelectError::ScopeNotAllowed => "framing",
            SelectError::NoMatch { kind, .. } => kind,
        }
    }
}

/// The courses one portfolio shows, already ordered.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub record: &'a Record,
    pub framing: Framing,
    /// The field or theme as the record spells it (the first matching course's spelling).
    pub scope: Scope,
    /// Certified courses, newest first.
    pub certified: Vec<&'a HeldCourse>,
    /// Uncertified courses shown as effort, newest first (never the in-progress ones in the
    /// appetite framing: those have their own "learning now" list).
    pub uncertified: Vec<&'a HeldCourse>,
    /// Courses in progress, newest first.
    pub in_progress: Vec<&'a HeldCourse>,
    /// Legitimacy in a field: the courses grouped by theme, strongest proof first.
    pub groups: Vec<ThemeGroup<'a>>,
    /// The courses the learner put first (also in the lists above, where they belong).
    pub pinned: Vec<&'a HeldCourse>,
    /// What the framing's rules left out of the scope, so that an empty portfolio can say
    /// what would fill it.
    pub left_out: LeftOut,
    /// When expiry is read against (Unix seconds).
    pub now: i64,
}

/// Courses of the scope the framing's rules left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Followed without a certificate (legitimacy, unless included).
    pub uncertified: usize,
    /// Certified, but the certificate has expired (legitimacy, unless included).
    pub expired: usize,
}

impl<'a> Selection<'a> {
    /// Every course the portfolio shows, once each, in the order the lists give them.
    pub fn shown(&self) -> Vec<&'a HeldCourse> {
        let grouped = self.groups.iter().flat_map(|g| g.certified.iter().chain(g.uncertified.iter()));
        let mut out: Vec<&'a HeldCourse> = Vec::new();
        let lists = self.pinned.iter().chain(&self.certified).chain(&self.uncertified).chain(&self.in_progress);
        for course in lists.chain(grouped) {
            if !out.iter().any(|seen| seen.id == course.id) {
                out.push(course);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.certified.is_empty() && self.uncertified.is_empty() && self.in_progress.is_empty()
    }

    pub fn is_expired(&self, course: &HeldCourse) -> bool {
        is_expired(&course.record, self.now)
    }
}

#[derive(Debug, Clone)]
pub struct ThemeGroup<'a> {
    /// `None` for courses of the field that carry no theme.
    pub theme: Option<String>,
    pub certified: Vec<&'a HeldCourse>,
    pub uncertified: Vec<&'a HeldCourse>,
}

/// The one rule for when a course happened (issue 11): when it started, else when it ended,
/// else when its attestation was issued. Charts, figures and timelines all place courses by it.
pub fn course_date(c: &CourseRecord) -> Option<IsoDate> {
    c.started_on.or(c.finished_on).or_else(|| c.attestation.as_ref().and_then(|a| a.issued_on))
}

/// The date that orders entries newest first: the attestation's, else the end, else the start.
pub fn recency_date(c: &CourseRecord) -> Option<IsoDate> {
    c.attestation.as_ref().and_then(|a| a.issued_on).or(c.finished_on).or(c.started_on)
}

/// The calendar day (UTC) of a Unix time.
pub fn day_of(now: i64) -> Option<IsoDate> {
    time::OffsetDateTime::from_unix_timestamp(now).ok().map(|t| IsoDate(t.date()))
}

/// When the course's certificate stops being valid: the attestation's `expires_on`, else the
/// day its badge says it expires.
pub fn expiry_date(c: &CourseRecord) -> Option<IsoDate> {
    let att = c.attestation.as_ref()?;
    att.expires_on.or_else(|| {
        let at = att.badge.as_ref()?.check.as_ref()?.expires_at?;
        day_of(at)
    })
}

/// A certificate is expired the day after its expiry date (it is valid through that day), or
/// once its badge says so.
pub fn is_expired(c: &CourseRecord, now: i64) -> bool {
    let badge_expired = super::assurance::badge_status(c, now) == Some(super::badge::BadgeStatus::Expired);
    let date_passed = c.attestation.as_ref().and_then(|a| a.expires_on).zip(day_of(now)).is_some_and(|(e, d)| e < d);
    c.is_certified() && (badge_expired || date_passed)
}

fn newest_first(courses: &mut [&HeldCourse]) {
    // Undated courses go last; ties keep a stable, readable order by title.
    courses.sort_by(|a, b| {
        recency_date(&b.record).cmp(&recency_date(&a.record)).then_with(|| a.record.title.cmp(&b.record.title))
    });
}

fn is_in_progress(c: &CourseRecord) -> bool {
    c.outcome == Some(Outcome::InProgress) && !c.is_certified()
}

/// Builds the portfolio a spec asks for, or says why it cannot. `now` (Unix seconds) is when
/// certificates' expiry is read against.
pub fn select<'a>(record: &'a Record, spec: &Spec, now: i64) -> Result<Selection<'a>, SelectError> {
    if record.courses.is_empty() {
        return Err(SelectError::Empty);
    }
    let all: Vec<&CourseRecord> = record.courses.iter().map(|c| &c.record).collect();
    let mut sel = match (spec.framing, &spec.scope) {
        (Framing::Appetite, Scope::All) => appetite(record, &spec.shape, now),
        (Framing::Appetite, _) => return Err(SelectError::ScopeNotAllowed),
        (Framing::Legitimacy, Scope::All) => {
            return Err(SelectError::ScopeRequired {
                available: list_available(&tally(all.iter().filter_map(|c| c.field.as_deref()))),
            });
        }
        (Framing::Legitimacy, Scope::Field(f)) => legitimacy(record, true, f, spec, now)?,
        (Framing::Legitimacy, Scope::Theme(t)) => legitimacy(record, false, t, spec, now)?,
    };
    arrange(&mut sel, &spec.shape);
    Ok(sel)
}

/// The learner's order within each list, and the pinned courses (those the selection shows,
/// in the order given, at most [`MAX_PINNED`]).
fn arrange(sel: &mut Selection<'_>, shape: &Shape) {
    let rank = |c: &&HeldCourse| shape.order.iter().position(|id| *id == c.id).unwrap_or(usize::MAX);
    // Stable: courses the order does not name keep their newest-first places after it.
    for list in [&mut sel.certified, &mut sel.uncertified, &mut sel.in_progress] {
        list.sort_by_key(rank);
    }
    for g in &mut sel.groups {
        g.certified.sort_by_key(rank);
        g.uncertified.sort_by_key(rank);
    }
    let shown = sel.shown();
    sel.pinned =
        shape.pinned.iter().filter_map(|id| shown.iter().find(|c| c.id == *id).copied()).take(MAX_PINNED).collect();
}

fn appetite<'a>(record: &'a Record, shape: &Shape, now: i64) -> Selection<'a> {
    let all: Vec<&HeldCourse> = record.courses.iter().filter(|c| !shape.exclude.contains(&c.id)).collect();
    let mut certified: Vec<_> = all.iter().copied().filter(|c| c.record.is_certified()).collect();
    let mut uncertified: Vec<_> =
        all.iter().copied().filter(|c| !c.record.is_certified() && !is_in_progress(&c.record)).collect();
    let mut in_progress: Vec<_> = all.iter().copied().filter(|c| is_in_progress(&c.record)).collect();
    newest_first(&mut certified);
    newest_first(&mut uncertified);
    newest_first(&mut in_progress);
    Selection {
        record,
        framing: Framing::Appetite,
        scope: Scope::All,
        certified,
        uncertified,
        in_progress,
        groups: Vec::new(),
        pinned: Vec::new(),
        left_out: LeftOut::default(),
        now,
    }
}

/// Whether a course belongs to a field or theme, compared normalised (accents, case, spaces).
/// A theme is also met by a skill of that name: a badge's "SQL" skill puts it in the "SQL" theme.
pub fn in_scope(c: &CourseRecord, scope: &Scope) -> bool {
    match scope {
        Scope::All => true,
        Scope::Field(f) => c.field.as_deref().is_some_and(|x| normalize_name(x) == normalize_name(f)),
        Scope::Theme(t) => {
            let t = normalize_name(t);
            c.themes.iter().any(|x| normalize_name(x) == t) || c.skills.iter().any(|s| normalize_name(&s.name) == t)
        }
    }
}

fn legitimacy<'a>(
    record: &'a Record,
    by_field: bool,
    wanted: &str,
    spec: &Spec,
    now: i64,
) -> Result<Selection<'a>, SelectError> {
    let kind = if by_field { "field" } else { "theme" };
    let key = normalize_name(wanted);
    let asked = if by_field { Scope::Field(wanted.to_owned()) } else { Scope::Theme(wanted.to_owned()) };
    let shape = &spec.shape;
    let scoped: Vec<&HeldCourse> = record
        .courses
        .iter()
        .filter(|c| (in_scope(&c.record, &asked) || shape.include.contains(&c.id)) && !shape.exclude.contains(&c.id))
        .collect();
    if scoped.is_empty() {
        let all: Vec<&CourseRecord> = record.courses.iter().map(|c| &c.record).collect();
        let available = if by_field {
            list_available(&tally(all.iter().filter_map(|c| c.field.as_deref())))
        } else {
            list_available(&theme_counts(&all))
        };
        return Err(SelectError::NoMatch { kind, value: wanted.to_owned(), available });
    }
    // Show the name as the record writes it, not as the user typed it.
    let first = &scoped[0].record;
    let spelled = if by_field {
        Scope::Field(first.field.clone().unwrap_or_else(|| wanted.to_owned()))
    } else {
        let names = first.themes.iter().cloned().chain(first.skills.iter().map(|s| s.name.clone()));
        Scope::Theme(names.into_iter().find(|t| normalize_name(t) == key).unwrap_or_else(|| wanted.to_owned()))
    };
    let expired = |c: &&HeldCourse| is_expired(&c.record, now);
    // A course the learner included is shown whatever the framing's rules say.
    let included = |c: &&HeldCourse| shape.include.contains(&c.id);
    let mut certified: Vec<_> = scoped
        .iter()
        .copied()
        .filter(|c| c.record.is_certified() && (spec.include_expired || !expired(c) || included(c)))
        .collect();
    let uncertified_in_scope: Vec<_> = scoped.iter().copied().filter(|c| !c.record.is_certified()).collect();
    let left_out = LeftOut {
        uncertified: if spec.include_uncertified {
            0
        } else {
            uncertified_in_scope.iter().filter(|c| !included(c)).count()
        },
        expired: if spec.include_expired {
            0
        } else {
            scoped.iter().filter(|c| c.record.is_certified() && expired(c) && !included(c)).count()
        },
    };
    let mut uncertified: Vec<_> =
        uncertified_in_scope.into_iter().filter(|c| spec.include_uncertified || included(c)).collect();
    newest_first(&mut certified);
    newest_first(&mut uncertified);
    let groups = if by_field { group_by_theme(&certified, &uncertified) } else { Vec::new() };
    let mut in_progress: Vec<_> = uncertified.iter().copied().filter(|c| is_in_progress(&c.record)).collect();
    newest_first(&mut in_progress);
    Ok(Selection {
        record,
        framing: Framing::Legitimacy,
        scope: spelled,
        certified,
        uncertified,
        in_progress,
        groups,
        pinned: Vec::new(),
        left_out,
        now,
    })
}

/// Groups a field's courses under their first theme; groups with the most certificates come
/// first, then the most courses, then by name; courses without a theme come last.
fn group_by_theme<'a>(certified: &[&'a HeldCourse], uncertified: &[&'a HeldCourse]) -> Vec<ThemeGroup<'a>> {
    let mut groups: Vec<ThemeGroup<'a>> = Vec::new();
    let mut index: HashMap<Option<String>, usize> = HashMap::new();
    for (course, is_cert) in certified.iter().map(|c| (*c, true)).chain(uncertified.iter().map(|c| (*c, false))) {
        let theme = course.record.themes.first().cloned();
        let key = theme.as_deref().map(normalize_name);
        let i = *index.entry(key).or_insert_with(|| {
            groups.push(ThemeGroup { theme, certified: Vec::new(), uncertified: Vec::new() });
            groups.len() - 1
        });
        if is_cert {
            groups[i].certified.push(course);
        } else {
            groups[i].uncertified.push(course);
        }
    }
    groups.sort_by(|a, b| {
        a.theme
            .is_none()
            .cmp(&b.theme.is_none())
            .then_with(|| b.certified.len().cmp(&a.certified.len()))
            .then_with(|| (b.certified.len() + b.uncertified.len()).cmp(&(a.certified.len() + a.uncertified.len())))
            .then_with(|| a.theme.cmp(&b.theme))
    });
    groups
}

fn list_available(counts: &[(String, usize)]) -> String {
    if counts.is_empty() {
        return "none".into();
    }
    counts.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", ")
}

/// Themes and skills, as a theme can be either.
fn theme_counts(courses: &[&CourseRecord]) -> Vec<(String, usize)> {
    tally(
        courses
            .iter()
            .flat_map(|c| c.themes.iter().map(String::as_str).chain(c.skills.iter().map(|s| s.name.as_str()))),
    )
}

/// Counts names that agree once normalised, keeping the first spelling; most frequent first,
/// then alphabetical, so the order is stable.
pub fn tally<'s>(names: impl Iterator<Item = &'s str>) -> Vec<(String, usize)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(String, usize)> = Vec::new();
    for name in names {
        let i = *seen.entry(normalize_name(name)).or_insert_with(|| {
            out.push((name.to_owned(), 0));
            out.len() - 1
        });
        out[i].1 += 1;
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// What a figure counts. Part of the API (`GET /api/v1/portfolio`): do not rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureKey {
    /// Courses shown.
    Courses,
    /// Certified courses shown.
    Certificates,
    /// Hours of study declared (appetite: every course; legitimacy: the certified ones).
    Hours,
    /// Consecutive calendar years up to the latest one in which a course happened.
    ContinuousYears,
    /// Completed share of the courses whose outcome is known (and not in progress).
    Completion,
    /// Institutions that issued the certificates shown.
    Institutions,
    /// ECTS credits of the certificates shown.
    Ects,
    /// Certificates that formalised skills acquired earlier (where that is recorded).
    PriorMastery,
    /// Certificates that validated new skills (where that is recorded).
    NewSkills,
}

str_enum!(FigureKey {
    Courses => "courses", Certificates => "certificates", Hours => "hours", ContinuousYears => "continuous_years",
    Completion => "completion", Institutions => "institutions", Ects => "ects", PriorMastery => "prior_mastery",
    NewSkills => "new_skills",
});

/// One figure as computed: its value, the courses it was computed from, and how many of the
/// courses it speaks about carry the data it needs (`known` of `of`). Language-free: the
/// presentation words it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub key: FigureKey,
    pub value: f64,
    /// The courses the value was computed from (every one of them carries the data).
    pub courses: Vec<Uuid>,
    /// Courses that carry the data…
    pub known: usize,
    /// …among the courses the figure speaks about.
    pub of: usize,
    /// Continuous years: the first year of the run.
    pub since: Option<i32>,
}

/// Hours are summed (and a completion rate given) only when at least half the courses carry
/// the data: a total over a few of them reads as a total over all.
fn enough(known: usize, of: usize) -> bool {
    known > 0 && known * 2 >= of
}

/// The figures of a selection, in the order they are shown; a figure with nothing to stand on
/// (no hours declared, no outcome known…) is left out rather than shown as zero.
pub fn measures(sel: &Selection<'_>) -> Vec<Measure> {
    let shown = sel.shown();
    let ids = |v: &[&HeldCourse]| v.iter().map(|c| c.id).collect::<Vec<_>>();
    let certified: Vec<&HeldCourse> = shown.iter().copied().filter(|c| c.record.is_certified()).collect();
    let count = |key, of: &[&HeldCourse]| Measure {
        key,
        value: of.len() as f64,
        courses: ids(of),
        known: of.len(),
        of: of.len(),
        since: None,
    };
    let hours_of = |over: &[&HeldCourse]| {
        let with: Vec<&HeldCourse> = over.iter().copied().filter(|c| c.record.hours.is_some()).collect();
        enough(with.len(), over.len()).then(|| Measure {
            key: FigureKey::Hours,
            value: with.iter().filter_map(|c| c.record.hours).sum(),
            courses: ids(&with),
            known: with.len(),
            of: over.len(),
            since: None,
        })
    };
    let mut out = Vec::new();
    match sel.framing {
        Framing::Appetite => {
            out.push(count(FigureKey::Courses, &shown));
            out.push(count(FigureKey::Certificates, &certified));
            out.extend(hours_of(&shown));
            let dated: Vec<(&HeldCourse, i32)> =
                shown.iter().filter_map(|c| course_date(&c.record).map(|d| (*c, d.year()))).collect();
            if let Some(last) = dated.iter().map(|(_, y)| *y).max() {
                let years: std::collections::HashSet<i32> = dated.iter().map(|(_, y)| *y).collect();
                let run = (0..).take_while(|k| years.contains(&(last - k))).count();
                let since = last - i32::try_from(run).unwrap_or(0) + 1;
                let in_run: Vec<&HeldCourse> = dated.iter().filter(|(_, y)| *y >= since).map(|(c, _)| *c).collect();
                out.push(Measure {
                    key: FigureKey::ContinuousYears,
                    value: run as f64,
                    courses: ids(&in_run),
                    known: dated.len(),
                    of: shown.len(),
                    since: Some(since),
                });
            }
            let settled: Vec<&HeldCourse> =
                shown.iter().copied().filter(|c| c.record.outcome.is_some_and(|o| o != Outcome::InProgress)).collect();
            let not_in_progress = shown.iter().filter(|c| c.record.outcome != Some(Outcome::InProgress)).count();
            // A rate over a few known outcomes reads as a rate over all: left out below half.
            if enough(settled.len(), not_in_progress) {
                let completed = settled.iter().filter(|c| c.record.outcome == Some(Outcome::Completed)).count();
                out.push(Measure {
                    key: FigureKey::Completion,
                    value: completed as f64 / settled.len() as f64,
                    courses: ids(&settled),
                    known: settled.len(),
                    of: not_in_progress,
                    since: None,
                });
            }
        }
        Framing::Legitimacy => {
            out.push(count(FigureKey::Certificates, &certified));
            out.extend(hours_of(&certified));
            let with_inst: Vec<&HeldCourse> =
                certified.iter().copied().filter(|c| c.record.institution.is_some()).collect();
            if !with_inst.is_empty() {
                let brands = tally(with_inst.iter().filter_map(|c| c.record.institution.as_deref()));
                out.push(Measure {
                    key: FigureKey::Institutions,
                    value: brands.len() as f64,
                    courses: ids(&with_inst),
                    known: with_inst.len(),
                    of: certified.len(),
                    since: None,
                });
            }
            let with_ects: Vec<&HeldCourse> = certified
                .iter()
                .copied()
                .filter(|c| c.record.attestation.as_ref().and_then(|a| a.ects).is_some())
                .collect();
            if !with_ects.is_empty() {
                out.push(Measure {
                    key: FigureKey::Ects,
                    value: with_ects.iter().filter_map(|c| c.record.attestation.as_ref().and_then(|a| a.ects)).sum(),
                    courses: ids(&with_ects),
                    known: with_ects.len(),
                    of: certified.len(),
                    since: None,
                });
            }
            let known = certified.iter().filter(|c| c.record.prior_mastery.is_some()).count();
            for (key, flag) in [(FigureKey::PriorMastery, true), (FigureKey::NewSkills, false)] {
                let these: Vec<&HeldCourse> =
                    certified.iter().copied().filter(|c| c.record.prior_mastery == Some(flag)).collect();
                if !these.is_empty() {
                    out.push(Measure {
                        key,
                        value: these.len() as f64,
                        courses: ids(&these),
                        known,
                        of: certified.len(),
                        since: None,
                    });
                }
            }
        }
    }
    out
}

/// The names behind a selection's courses, for the cover and the diversity block: each tally
/// with how many of the courses record that dimension at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub courses: usize,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    /// Courses that can be placed in time (`course_date`).
    pub dated: usize,
    pub fields: Vec<(String, usize)>,
    pub fields_known: usize,
    pub institutions: Vec<(String, usize)>,
    pub institutions_known: usize,
    pub platforms: Vec<(String, usize)>,
    pub platforms_known: usize,
    /// Institutions of the certified courses: the brands a legitimacy portfolio names.
    pub certifying_institutions: Vec<(String, usize)>,
    pub in_progress: usize,
}

pub fn spread(courses: &[&CourseRecord]) -> Spread {
    let years: Vec<i32> = courses.iter().filter_map(|c| course_date(c)).map(IsoDate::year).collect();
    let known = |f: fn(&CourseRecord) -> Option<&str>| courses.iter().filter(|c| f(c).is_some()).count();
    Spread {
        courses: courses.len(),
        first_year: years.iter().copied().min(),
        last_year: years.iter().copied().max(),
        dated: years.len(),
        fields: tally(courses.iter().filter_map(|c| c.field.as_deref())),
        fields_known: known(|c| c.field.as_deref()),
        institutions: tally(courses.iter().filter_map(|c| c.institution.as_deref())),
        institutions_known: known(|c| c.institution.as_deref()),
        platforms: tally(courses.iter().filter_map(|c| c.platform.as_deref())),
        platforms_known: known(|c| c.platform.as_deref()),
        certifying_institutions: tally(
            courses.iter().filter(|c| c.is_certified()).filter_map(|c| c.institution.as_deref()),
        ),
        in_progress: courses.iter().filter(|c| is_in_progress(c)).count(),
    }
}

/// Granularity of the regularity chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Year,
    Quarter,
}

/// Courses started per period, split by field: the data behind the regularity chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub granularity: Granularity,
    /// Fields in legend order (most courses first); `None` for courses without a field.
    pub fields: Vec<Option<String>>,
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub year: i32,
    /// 1–4 when the timeline is by quarter.
    pub quarter: Option<u8>,
    /// One count per entry of `Timeline::fields`.
    pub counts: Vec<usize>,
}

impl Bucket {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// Builds the timeline of dated courses, every period from the first to the last included
/// (an empty year is information too). Short records (three years or less) go by quarter.
pub fn timeline(courses: &[&CourseRecord]) -> Timeline {
    let dated: Vec<(&CourseRecord, IsoDate)> = courses.iter().filter_map(|c| course_date(c).map(|d| (*c, d))).collect();
    let mut fields: Vec<Option<String>> =
        tally(dated.iter().filter_map(|(c, _)| c.field.as_deref())).into_iter().map(|(name, _)| Some(name)).collect();
    if dated.iter().any(|(c, _)| c.field.is_none()) {
        fields.push(None);
    }
    let (Some(first), Some(last)) =
        (dated.iter().map(|(_, d)| d.year()).min(), dated.iter().map(|(_, d)| d.year()).max())
    else {
        return Timeline { granularity: Granularity::Year, fields, buckets: Vec::new() };
    };
    let granularity = if last - first < 3 { Granularity::Quarter } else { Granularity::Year };
    let slot = |d: IsoDate| -> usize {
        let years_in = usize::try_from(d.year() - first).unwrap_or(0);
        match granularity {
            Granularity::Year => years_in,
            Granularity::Quarter => years_in * 4 + usize::from((u8::from(d.0.month()) - 1) / 3),
        }
    };
    let span = usize::try_from(last - first).unwrap_or(0) + 1;
    let n = match granularity {
        Granularity::Year => span,
        Granularity::Quarter => span * 4,
    };
    let mut buckets: Vec<Bucket> = (0..n)
        .map(|i| match granularity {
            Granularity::Year => Bucket { year: first + i as i32, quarter: None, counts: vec![0; fields.len()] },
            Granularity::Quarter => {
                Bucket { year: first + (i / 4) as i32, quarter: Some((i % 4) as u8 + 1), counts: vec![0; fields.len()] }
            }
        })
        .collect();
    let field_index: HashMap<Option<String>, usize> =
        fields.iter().enumerate().map(|(i, f)| (f.as_deref().map(normalize_name), i)).collect();
    for (course, date) in &dated {
        let key = course.field.as_deref().map(normalize_name);
        if let (Some(b), Some(&f)) = (buckets.get_mut(slot(*date)), field_index.get(&key)) {
            b.counts[f] += 1;
        }
    }
    Timeline { granularity, fields, buckets }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_document;

    fn doc() -> Record {
        Record::from_document(parse_document(
            serde_json::json!({
                "certfolio": 1,
                "learner": {"name": "Camille Lefèvre", "situation": "job_seeker"},
                "courses": [
                    {"title": "Python", "field": "computing", "themes": ["python"], "started_on": "2019-01-10",
                     "hours": 30, "outcome": "completed", "institution": "Inria", "prior_mastery": true,
                     "attestation": {"kind": "achievement", "issued_on": "2019-03-01", "ects": 2}},
                    {"title": "SQL", "field": "Computing", "themes": ["bases de données"], "started_on": "2021-01-10",
                     "hours": 20, "outcome": "completed", "institution": "MIT",
                     "attestation": {"kind": "badge", "issued_on": "2021-02-01"}},
                    {"title": "Gestion de projet", "field": "management", "themes": ["gestion de projet"],
                     "started_on": "2020-05-01", "hours": 15.5, "outcome": "audited", "institution": "Inria"},
                    {"title": "Machine Learning", "field": "computing", "themes": ["python"],
                     "started_on": "2022-09-01", "outcome": "in_progress"},
                    {"title": "Anglais", "field": "languages", "started_on": "2022-01-01", "outcome": "sampled"}
                ]
            })
            .to_string()
            .as_bytes(),
        )
        .unwrap())
    }

    fn spec(framing: Framing, scope: Scope, include_uncertified: bool) -> Spec {
        Spec { include_uncertified, ..Spec::new(framing, scope) }
    }

    fn figure(sel: &Selection<'_>, key: FigureKey) -> Option<Measure> {
        measures(sel).into_iter().find(|m| m.key == key)
    }

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn appetite_covers_everything_newest_first() {
        let d = doc();
        let p = select(&d, &spec(Framing::Appetite, Scope::All, false), NOW).unwrap();
        let titles = |v: &[&HeldCourse]| v.iter().map(|c| c.record.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&p.certified), ["SQL", "Python"]);
        assert_eq!(titles(&p.uncertified), ["Anglais", "Gestion de projet"]);
        assert_eq!(titles(&p.in_progress), ["Machine Learning"]);
        assert_eq!(figure(&p, FigureKey::Courses).unwrap().value, 5.0);
        assert_eq!(figure(&p, FigureKey::Certificates).unwrap().value, 2.0);
        let hours = figure(&p, FigureKey::Hours).unwrap();
        assert!((hours.value - 65.5).abs() < 1e-9);
        assert_eq!((hours.known, hours.of), (3, 5), "declared for 3 of the 5 courses");
        // 2019, 2020, 2021, 2022: four consecutive years up to the latest.
        let years = figure(&p, FigureKey::ContinuousYears).unwrap();
        assert_eq!((years.value, years.since), (4.0, Some(2019)));
        let all: Vec<&CourseRecord> = d.courses.iter().map(|c| &c.record).collect();
        // "computing" and "Computing" are one field, spelled as first written.
        assert_eq!(spread(&all).fields[0], ("computing".to_owned(), 3));
        // Outcomes known: 2 completed, 1 audited, 1 sampled (in progress left aside).
        let completion = figure(&p, FigureKey::Completion).unwrap();
        assert_eq!((completion.value, completion.known), (0.5, 4));
    }

    #[test]
    fn a_gap_year_ends_the_continuous_run() {
        let mut d = doc();
        d.courses.retain(|c| c.record.title != "Gestion de projet" && c.record.title != "SQL"); // 2019, 2022
        let p = select(&d, &spec(Framing::Appetite, Scope::All, false), NOW).unwrap();
        assert_eq!(figure(&p, FigureKey::ContinuousYears).unwrap().value, 1.0);
    }

    #[test]
    fn legitimacy_in_a_field_keeps_only_that_field() {
        let d = doc();
        let p = select(&d, &spec(Framing::Legitimacy, Scope::Field("COMPUTING".into()), false), NOW).unwrap();
        assert_eq!(p.scope, Scope::Field("computing".into()));
        assert_eq!(p.certified.len(), 2);
        assert!(p.uncertified.is_empty(), "uncertified courses only on request");
        assert_eq!(p.left_out, LeftOut { uncertified: 1, expired: 0 });
        assert_eq!(p.groups.len(), 2);
        // Prior mastery is recorded for one of the two certificates only: one figure, no guess.
        let prior = figure(&p, FigureKey::PriorMastery).unwrap();
        assert_eq!((prior.value, prior.known, prior.of), (1.0, 1, 2));
        assert_eq!(figure(&p, FigureKey::NewSkills), None, "unknown is not \"new skills\"");
        assert!((figure(&p, FigureKey::Ects).unwrap().value - 2.0).abs() < 1e-9);

        let p = select(&d, &spec(Framing::Legitimacy, Scope::Field("computing".into()), true), NOW).unwrap();
        assert_eq!(p.uncertified.iter().map(|c| c.record.title.as_str()).collect::<Vec<_>>(), ["Machine Learning"]);
        assert!(p.groups.iter().all(|g| g.certified.iter().chain(&g.uncertified).all(|c| c.record.field.is_some())));
    }

    #[test]
    fn legitimacy_in_a_theme_matches_without_accents_or_case() {
        let d = doc();
        let p = select(&d, &spec(Framing::Legitimacy, Scope::Theme("Bases de donnees".into()), false), NOW).unwrap();
        assert_eq!(p.scope, Scope::Theme("bases de données".into()));
        assert_eq!(p.certified.iter().map(|c| c.record.title.as_str()).collect::<Vec<_>>(), ["SQL"]);
    }

    #[test]
    fn bad_requests_say_what_exists() {
        let d = doc();
        let err = select(&d, &spec(Framing::Legitimacy, Scope::Field("cooking".into()), false), NOW).unwrap_err();
        assert_eq!(err.input(), "field");
        assert_eq!(
            err.to_string(),
            "no course has the field `cooking` (in this record: computing, languages, management)"
        );
        let err = select(&d, &spec(Framing::Legitimacy, Scope::All, false), NOW).unwrap_err();
        assert!(err.to_string().contains("needs a field or a theme"), "{err}");
        let err = select(&d, &spec(Framing::Appetite, Scope::Theme("python".into()), false), NOW).unwrap_err();
        assert_eq!(err, SelectError::ScopeNotAllowed);
        let empty = Record { courses: Vec::new(), ..d.clone() };
        assert_eq!(select(&empty, &spec(Framing::Appetite, Scope::All, false), NOW).unwrap_err(), SelectError::Empty);
    }

    #[test]
    fn the_timeline_covers_every_year_and_goes_by_quarter_when_short() {
        let d = doc();
        let all: Vec<&CourseRecord> = d.courses.iter().map(|c| &c.record).collect();
        let t = timeline(&all);
        assert_eq!(t.granularity, Granularity::Year);
        assert_eq!(
            t.buckets.iter().map(|b| (b.year, b.total())).collect::<Vec<_>>(),
            [(2019, 1), (2020, 1), (2021, 1), (2022, 2)]
        );
        assert_eq!(t.fields[0].as_deref(), Some("computing"));
        let short: Vec<&CourseRecord> =
            all.iter().copied().filter(|c| c.started_on.is_some_and(|s| s.year() >= 2021)).collect();
        let t = timeline(&short);
        assert_eq!(t.granularity, Granularity::Quarter);
        assert_eq!(t.buckets.len(), 8);
        assert_eq!(t.buckets[4].quarter, Some(1));
        assert_eq!(t.buckets[4].total(), 1); // Anglais, January 2022
    }

    #[test]
    fn expired_certificates_leave_legitimacy_unless_included_and_stay_in_appetite() {
        let mut d = doc();
        let sql = d.courses.iter_mut().find(|c| c.record.title == "SQL").unwrap();
        sql.record.attestation.as_mut().unwrap().expires_on = Some(IsoDate::parse("2025-01-31").unwrap());
        let jan31 = 1_738_281_600; // 2025-01-31 00:00 UTC: still valid that day
        let p = select(&d, &spec(Framing::Legitimacy, Scope::Field("computing".into()), false), jan31).unwrap();
        assert_eq!(p.certified.len(), 2);
        let later = jan31 + 86_400;
        let p = select(&d, &spec(Framing::Legitimacy, Scope::Field("computing".into()), false), later).unwrap();
        assert_eq!(p.certified.iter().map(|c| c.record.title.as_str()).collect::<Vec<_>>(), ["Python"]);
        assert_eq!(p.left_out.expired, 1);
        let with = Spec { include_expired: true, ..spec(Framing::Legitimacy, Scope::Field("computing".into()), false) };
        let p = select(&d, &with, later).unwrap();
        assert_eq!(p.certified.len(), 2);
        assert!(p.is_expired(p.certified[0]));
        let p = select(&d, &spec(Framing::Appetite, Scope::All, false), later).unwrap();
        assert_eq!(p.certified.len(), 2, "appetite keeps it, marked");
    }

    #[test]
    fn the_learners_choices_include_exclude_pin_and_order_courses() {
        let d = doc();
        let id = |title: &str| d.courses.iter().find(|c| c.record.title == title).unwrap().id;
        let titles = |v: &[&HeldCourse]| v.iter().map(|c| c.record.title.clone()).collect::<Vec<String>>();
        // Legitimacy in computing: an uncertified course included, a certified one excluded.
        let mut s = spec(Framing::Legitimacy, Scope::Field("computing".into()), false);
        s.shape = Shape {
            include: vec![id("Machine Learning"), id("Anglais")],
            exclude: vec![id("SQL")],
            ..Shape::default()
        };
        let p = select(&d, &s, NOW).unwrap();
        assert_eq!(titles(&p.certified), ["Python"]);
        assert_eq!(titles(&p.uncertified), ["Machine Learning", "Anglais"], "included, even from another field");
        // Appetite: pinned first (at most five, only shown ones), and the learner's order.
        let mut s = Spec::appetite();
        s.shape = Shape {
            pinned: vec![id("Gestion de projet"), id("Python"), uuid::Uuid::nil()],
            order: vec![id("Python"), id("SQL")],
            exclude: vec![id("Anglais")],
            ..Shape::default()
        };
        let p = select(&d, &s, NOW).unwrap();
        assert_eq!(titles(&p.pinned), ["Gestion de projet", "Python"]);
        assert_eq!(titles(&p.certified), ["Python", "SQL"], "the learner's order over newest first");
        assert!(p.shown().iter().all(|c| c.record.title != "Anglais"));
        assert_eq!(p.shown().len(), 4, "pinned courses are shown once");
    }

    #[test]
    fn one_rule_dates_a_course() {
        let c: CourseRecord = serde_json::from_value(serde_json::json!(
            {"title": "x", "attestation": {"issued_on": "2025-03-01"}}
        ))
        .unwrap();
        assert_eq!(course_date(&c), IsoDate::parse("2025-03-01").ok(), "an issue date alone places the course");
    }
}
