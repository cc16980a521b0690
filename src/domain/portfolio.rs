//! What a portfolio shows, before any typesetting: which courses a framing keeps, in which
//! order, and every figure it prints, all computed from the record (PRODUCT.md, "The two
//! framings"). Pure functions, so the PDF, the shared page and the tests agree.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::course::str_enum;
use super::text::normalize_name;
use super::{CourseRecord, Document, IsoDate, Outcome};

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
}

/// Why a portfolio cannot be made from this record with this request. The messages name the
/// value and, where it helps, what would have worked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("the record has no courses; add at least one before making a portfolio")]
    Empty,
    #[error("the legitimacy framing needs a field or a theme (fields in this record: {available})")]
    ScopeRequired { available: String },
    #[error("a field or theme only applies to the legitimacy framing; the appetite framing covers the whole record")]
    ScopeNotAllowed,
    #[error("no course has the {kind} `{value}` (in this record: {available})")]
    NoMatch { kind: &'static str, value: String, available: String },
}

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

/// The courses one portfolio shows, already ordered, and its figures.
#[derive(Debug, Clone)]
pub struct Portfolio<'a> {
    pub doc: &'a Document,
    pub framing: Framing,
    /// The field or theme as the record spells it (the first matching course's spelling).
    pub scope: Scope,
    /// Certified courses, newest first.
    pub certified: Vec<&'a CourseRecord>,
    /// Uncertified courses shown as effort, newest first (never the in-progress ones in the
    /// appetite framing: those have their own "learning now" list).
    pub uncertified: Vec<&'a CourseRecord>,
    /// Courses in progress, newest first.
    pub in_progress: Vec<&'a CourseRecord>,
    /// Legitimacy in a field: the courses grouped by theme, strongest proof first.
    pub groups: Vec<ThemeGroup<'a>>,
    /// Figures over every course in scope (for legitimacy, the field or theme only).
    pub stats: Stats,
}

impl<'a> Portfolio<'a> {
    /// Every course the portfolio shows, once each (a legitimacy portfolio lists its courses
    /// both flat and by theme), in the order the lists give them.
    pub fn shown(&self) -> Vec<&'a CourseRecord> {
        let grouped = self.groups.iter().flat_map(|g| g.certified.iter().chain(g.uncertified.iter()));
        let mut out: Vec<&'a CourseRecord> = Vec::new();
        for course in self.certified.iter().chain(&self.uncertified).chain(&self.in_progress).chain(grouped) {
            if !out.iter().any(|seen| std::ptr::eq(*seen, *course)) {
                out.push(course);
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct ThemeGroup<'a> {
    /// `None` for courses of the field that carry no theme.
    pub theme: Option<String>,
    pub certified: Vec<&'a CourseRecord>,
    pub uncertified: Vec<&'a CourseRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub courses: usize,
    pub certified: usize,
    pub hours: f64,
    pub certified_hours: f64,
    pub ects: f64,
    /// Courses completed among those no longer in progress.
    pub completed: usize,
    pub settled: usize,
    pub in_progress: usize,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    /// Consecutive calendar years, up to the latest one, in which a course was taken.
    pub continuous_years: usize,
    /// Fields, institutions and platforms with their course counts, most frequent first.
    pub fields: Vec<(String, usize)>,
    pub institutions: Vec<(String, usize)>,
    pub platforms: Vec<(String, usize)>,
    /// Institutions of the certified courses only: the brands a legitimacy portfolio names.
    pub certifying_institutions: Vec<(String, usize)>,
    /// Among certified courses: skills acquired earlier, now formalised / new skills validated.
    pub prior_mastery: usize,
    pub new_skills: usize,
}

impl Stats {
    /// Completed share of the courses no longer in progress; `None` when nothing is settled.
    pub fn completion_rate(&self) -> Option<f64> {
        (self.settled > 0).then(|| self.completed as f64 / self.settled as f64)
    }
}

/// The date a course is placed at on a timeline: when it started, else when it ended.
pub fn course_date(c: &CourseRecord) -> Option<IsoDate> {
    c.started_on.or(c.finished_on).or_else(|| c.attestation.as_ref().and_then(|a| a.issued_on))
}

/// The date that orders entries newest first: the attestation's, else the end, else the start.
pub fn recency_date(c: &CourseRecord) -> Option<IsoDate> {
    c.attestation.as_ref().and_then(|a| a.issued_on).or(c.finished_on).or(c.started_on)
}

fn newest_first(courses: &mut [&CourseRecord]) {
    // Undated courses go last; ties keep a stable, readable order by title.
    courses.sort_by(|a, b| recency_date(b).cmp(&recency_date(a)).then_with(|| a.title.cmp(&b.title)));
}

fn is_in_progress(c: &CourseRecord) -> bool {
    c.outcome == Some(Outcome::InProgress) && !c.is_certified()
}

/// Builds the portfolio a spec asks for, or says why it cannot.
pub fn select<'a>(doc: &'a Document, spec: &Spec) -> Result<Portfolio<'a>, SelectError> {
    if doc.courses.is_empty() {
        return Err(SelectError::Empty);
    }
    match (spec.framing, &spec.scope) {
        (Framing::Appetite, Scope::All) => Ok(appetite(doc)),
        (Framing::Appetite, _) => Err(SelectError::ScopeNotAllowed),
        (Framing::Legitimacy, Scope::All) => Err(SelectError::ScopeRequired {
            available: list_available(&stats_of(&doc.courses.iter().collect::<Vec<_>>()).fields),
        }),
        (Framing::Legitimacy, Scope::Field(f)) => legitimacy(doc, true, f, spec.include_uncertified),
        (Framing::Legitimacy, Scope::Theme(t)) => legitimacy(doc, false, t, spec.include_uncertified),
    }
}

fn appetite(doc: &Document) -> Portfolio<'_> {
    let all: Vec<&CourseRecord> = doc.courses.iter().collect();
    let mut certified: Vec<_> = all.iter().copied().filter(|c| c.is_certified()).collect();
    let mut uncertified: Vec<_> = all.iter().copied().filter(|c| !c.is_certified() && !is_in_progress(c)).collect();
    let mut in_progress: Vec<_> = all.iter().copied().filter(|c| is_in_progress(c)).collect();
    newest_first(&mut certified);
    newest_first(&mut uncertified);
    newest_first(&mut in_progress);
    Portfolio {
        doc,
        framing: Framing::Appetite,
        scope: Scope::All,
        stats: stats_of(&all),
        certified,
        uncertified,
        in_progress,
        groups: Vec::new(),
    }
}

fn legitimacy<'a>(
    doc: &'a Document,
    by_field: bool,
    wanted: &str,
    include_uncertified: bool,
) -> Result<Portfolio<'a>, SelectError> {
    let kind = if by_field { "field" } else { "theme" };
    let key = normalize_name(wanted);
    let matches = |c: &CourseRecord| {
        if by_field {
            c.field.as_deref().is_some_and(|f| normalize_name(f) == key)
        } else {
            c.themes.iter().any(|t| normalize_name(t) == key)
        }
    };
    let in_scope: Vec<&CourseRecord> = doc.courses.iter().filter(|c| matches(c)).collect();
    if in_scope.is_empty() {
        let all: Vec<&CourseRecord> = doc.courses.iter().collect();
        let available =
            if by_field { list_available(&stats_of(&all).fields) } else { list_available(&theme_counts(&all)) };
        return Err(SelectError::NoMatch { kind, value: wanted.to_owned(), available });
    }
    // Show the name as the record writes it, not as the user typed it.
    let first = in_scope[0];
    let spelled = if by_field {
        Scope::Field(first.field.clone().unwrap_or_else(|| wanted.to_owned()))
    } else {
        Scope::Theme(
            first.themes.iter().find(|t| normalize_name(t) == key).cloned().unwrap_or_else(|| wanted.to_owned()),
        )
    };
    let mut certified: Vec<_> = in_scope.iter().copied().filter(|c| c.is_certified()).collect();
    let mut uncertified: Vec<_> =
        if include_uncertified { in_scope.iter().copied().filter(|c| !c.is_certified()).collect() } else { Vec::new() };
    newest_first(&mut certified);
    newest_first(&mut uncertified);
    let groups = if by_field { group_by_theme(&certified, &uncertified) } else { Vec::new() };
    // The figures describe what is shown: uncertified courses count only when included.
    let shown: Vec<&CourseRecord> = certified.iter().chain(uncertified.iter()).copied().collect();
    let mut in_progress: Vec<_> = uncertified.iter().copied().filter(|c| is_in_progress(c)).collect();
    newest_first(&mut in_progress);
    Ok(Portfolio {
        doc,
        framing: Framing::Legitimacy,
        scope: spelled,
        stats: stats_of(&shown),
        certified,
        uncertified,
        in_progress,
        groups,
    })
}

/// Groups a field's courses under their first theme; groups with the most certificates come
/// first, then the most courses, then by name; courses without a theme come last.
fn group_by_theme<'a>(certified: &[&'a CourseRecord], uncertified: &[&'a CourseRecord]) -> Vec<ThemeGroup<'a>> {
    let mut groups: Vec<ThemeGroup<'a>> = Vec::new();
    let mut index: HashMap<Option<String>, usize> = HashMap::new();
    for (course, is_cert) in certified.iter().map(|c| (*c, true)).chain(uncertified.iter().map(|c| (*c, false))) {
        let theme = course.themes.first().cloned();
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

fn theme_counts(courses: &[&CourseRecord]) -> Vec<(String, usize)> {
    tally(courses.iter().flat_map(|c| c.themes.iter().map(String::as_str)))
}

/// Counts names that agree once normalised, keeping the first spelling; most frequent first,
/// then alphabetical, so the order is stable.
fn tally<'s>(names: impl Iterator<Item = &'s str>) -> Vec<(String, usize)> {
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

/// Every figure the portfolio prints, over the given courses.
pub fn stats_of(courses: &[&CourseRecord]) -> Stats {
    let certified: Vec<&&CourseRecord> = courses.iter().filter(|c| c.is_certified()).collect();
    let years: Vec<i32> = courses.iter().filter_map(|c| course_date(c)).map(IsoDate::year).collect();
    let last_year = years.iter().copied().max();
    let continuous_years = match last_year {
        Some(last) => {
            let set: std::collections::HashSet<i32> = years.iter().copied().collect();
            (0..).take_while(|k| set.contains(&(last - k))).count()
        }
        None => 0,
    };
    let in_progress = courses.iter().filter(|c| is_in_progress(c)).count();
    Stats {
        courses: courses.len(),
        certified: certified.len(),
        hours: courses.iter().filter_map(|c| c.hours).sum(),
        certified_hours: certified.iter().filter_map(|c| c.hours).sum(),
        ects: certified.iter().filter_map(|c| c.attestation.as_ref().and_then(|a| a.ects)).sum(),
        // A certified course is completed even when its outcome was left blank.
        completed: courses.iter().filter(|c| c.outcome == Some(Outcome::Completed) || c.is_certified()).count(),
        settled: courses.len() - in_progress,
        in_progress,
        first_year: years.iter().copied().min(),
        last_year,
        continuous_years,
        fields: tally(courses.iter().filter_map(|c| c.field.as_deref())),
        institutions: tally(courses.iter().filter_map(|c| c.institution.as_deref())),
        platforms: tally(courses.iter().filter_map(|c| c.platform.as_deref())),
        certifying_institutions: tally(certified.iter().filter_map(|c| c.institution.as_deref())),
        prior_mastery: certified.iter().filter(|c| c.prior_mastery == Some(true)).count(),
        new_skills: certified.iter().filter(|c| c.prior_mastery != Some(true)).count(),
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

    fn doc() -> Document {
        parse_document(
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
        .unwrap()
    }

    fn spec(framing: Framing, scope: Scope, include_uncertified: bool) -> Spec {
        Spec { framing, scope, include_uncertified }
    }

    #[test]
    fn appetite_covers_everything_newest_first() {
        let d = doc();
        let p = select(&d, &spec(Framing::Appetite, Scope::All, false)).unwrap();
        let titles = |v: &[&CourseRecord]| v.iter().map(|c| c.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&p.certified), ["SQL", "Python"]);
        assert_eq!(titles(&p.uncertified), ["Anglais", "Gestion de projet"]);
        assert_eq!(titles(&p.in_progress), ["Machine Learning"]);
        assert_eq!(p.stats.courses, 5);
        assert_eq!(p.stats.certified, 2);
        assert!((p.stats.hours - 65.5).abs() < 1e-9);
        assert_eq!(p.stats.first_year, Some(2019));
        // 2019, 2020, 2021, 2022: four consecutive years up to the latest.
        assert_eq!(p.stats.continuous_years, 4);
        // "computing" and "Computing" are one field, spelled as first written.
        assert_eq!(p.stats.fields[0], ("computing".to_owned(), 3));
        assert_eq!(p.stats.completion_rate(), Some(0.5));
    }

    #[test]
    fn a_gap_year_ends_the_continuous_run() {
        let d = doc();
        let mut courses: Vec<&CourseRecord> = d.courses.iter().collect();
        courses.retain(|c| c.title != "Gestion de projet" && c.title != "SQL"); // 2019, 2022
        assert_eq!(stats_of(&courses).continuous_years, 1);
    }

    #[test]
    fn legitimacy_in_a_field_keeps_only_that_field() {
        let d = doc();
        let p = select(&d, &spec(Framing::Legitimacy, Scope::Field("COMPUTING".into()), false)).unwrap();
        assert_eq!(p.scope, Scope::Field("computing".into()));
        assert_eq!(p.certified.len(), 2);
        assert!(p.uncertified.is_empty(), "uncertified courses only on request");
        assert_eq!(p.groups.len(), 2);
        assert_eq!(p.stats.prior_mastery, 1);
        assert_eq!(p.stats.new_skills, 1);
        assert!((p.stats.ects - 2.0).abs() < 1e-9);

        let p = select(&d, &spec(Framing::Legitimacy, Scope::Field("computing".into()), true)).unwrap();
        assert_eq!(p.uncertified.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["Machine Learning"]);
        assert!(p.groups.iter().all(|g| g.certified.iter().chain(&g.uncertified).all(|c| c.field.is_some())));
    }

    #[test]
    fn legitimacy_in_a_theme_matches_without_accents_or_case() {
        let d = doc();
        let p = select(&d, &spec(Framing::Legitimacy, Scope::Theme("Bases de donnees".into()), false)).unwrap();
        assert_eq!(p.scope, Scope::Theme("bases de données".into()));
        assert_eq!(p.certified.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["SQL"]);
    }

    #[test]
    fn bad_requests_say_what_exists() {
        let d = doc();
        let err = select(&d, &spec(Framing::Legitimacy, Scope::Field("cooking".into()), false)).unwrap_err();
        assert_eq!(err.input(), "field");
        assert_eq!(
            err.to_string(),
            "no course has the field `cooking` (in this record: computing, languages, management)"
        );
        let err = select(&d, &spec(Framing::Legitimacy, Scope::All, false)).unwrap_err();
        assert!(err.to_string().contains("needs a field or a theme"), "{err}");
        let err = select(&d, &spec(Framing::Appetite, Scope::Theme("python".into()), false)).unwrap_err();
        assert_eq!(err, SelectError::ScopeNotAllowed);
        let empty = Document { courses: Vec::new(), ..d.clone() };
        assert_eq!(select(&empty, &spec(Framing::Appetite, Scope::All, false)).unwrap_err(), SelectError::Empty);
    }

    #[test]
    fn the_timeline_covers_every_year_and_goes_by_quarter_when_short() {
        let d = doc();
        let all: Vec<&CourseRecord> = d.courses.iter().collect();
        let t = timeline(&all);
        assert_eq!(t.granularity, Granularity::Year);
        assert_eq!(
            t.buckets.iter().map(|b| (b.year, b.total())).collect::<Vec<_>>(),
            [(2019, 1), (2020, 1), (2021, 1), (2022, 2)]
        );
        assert_eq!(t.fields[0].as_deref(), Some("computing"));
        let short: Vec<&CourseRecord> =
            d.courses.iter().filter(|c| c.started_on.is_some_and(|s| s.year() >= 2021)).collect();
        let t = timeline(&short);
        assert_eq!(t.granularity, Granularity::Quarter);
        assert_eq!(t.buckets.len(), 8);
        assert_eq!(t.buckets[4].quarter, Some(1));
        assert_eq!(t.buckets[4].total(), 1); // Anglais, January 2022
    }
}
