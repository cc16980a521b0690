//! What a portfolio says, before any typesetting: one pure function from (record, options,
//! language, now) to a [`Portfolio`] value holding every sentence, figure, label and entry.
//!
//! The PDF (`pdf`) draws it, the recruiter's page and the builder's preview (`web`) render it,
//! and `GET /api/v1/portfolio` returns it as JSON, so that no text or figure of a portfolio is
//! computed in two places: a renderer lays out strings it is given and words nothing itself.
//! Which courses are shown and every figure's value come from `domain::portfolio`; the words
//! come from `i18n`.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::assurance::{Assurance, AssuranceSummary, assurance_of, badge_status};
use crate::domain::badge::BadgeStatus;
use crate::domain::portfolio::{
    self, FigureKey, Framing, Granularity, LeftOut, Measure, Scope, SelectError, Selection, Spec, course_date,
    expiry_date, recency_date,
};
use crate::domain::record::{HeldCourse, Record};
use crate::domain::{CourseRecord, Lang};
use crate::i18n::{self, Labels};

/// A portfolio as every output shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Portfolio {
    pub lang: Lang,
    pub framing: Framing,
    /// The discipline of a legitimacy portfolio, as the record spells it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The theme of a legitimacy portfolio, as the record spells it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    pub learner: LearnerView,
    /// "Appetite for self-training", "Legitimacy in the field “data”".
    pub heading: String,
    /// The document's title: the learner's name and the heading (PDF metadata, page title).
    pub title: String,
    /// Sentences computed from the figures below, saying nothing they do not support.
    pub cover: Vec<String>,
    /// The learner's own words, shown as theirs ("In my words"), apart from the generated ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<Statement>,
    pub figures: Vec<Figure>,
    /// The "not inflated" summary: how many claims stand at each level of proof.
    pub claims: Claims,
    /// Appetite: courses per year or quarter, by field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
    /// Appetite: how many fields, institutions and platforms, with the main names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diversity: Option<DiversityBlock>,
    /// Legitimacy: the institutions that issued the certificates, as brands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_by: Option<IssuedBy>,
    pub sections: Vec<Section>,
    /// Set when the selection shows nothing: what it is and what would fill it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty: Option<Empty>,
    /// The fixed words that entries are printed with.
    pub labels: EntryLabels,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Statement {
    /// "In my words", "En mes mots".
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LearnerView {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl LearnerView {
    /// The contact line's parts, in order.
    pub fn contact(&self) -> Vec<&str> {
        [self.email.as_deref(), self.location.as_deref()].into_iter().flatten().collect()
    }
}

/// One key figure, with what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Figure {
    pub key: FigureKey,
    /// The value as a number (a completion rate is a fraction of 1).
    pub value: f64,
    /// The value as printed: "1 240 h", "86 %".
    pub text: String,
    /// What it counts, with its coverage when not every course carries the data.
    pub label: String,
    /// The courses the value was computed from.
    pub courses: Vec<Uuid>,
    pub coverage: Coverage,
}

/// `known` of the `of` courses a figure speaks about carry the data it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Coverage {
    pub known: usize,
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Claims {
    /// "24 claims: 12 with issuer links, 12 self-declared".
    pub sentence: String,
    pub counts: AssuranceSummary,
    /// What certfolio checked itself and what it did not (offline, not checkable, queued), and
    /// that the rest is as the learner recorded it.
    pub note: String,
    /// Proofs certfolio tried and could not check, or has not checked yet.
    pub not_checked: usize,
    /// Some of those because the service runs offline.
    pub offline: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Chart {
    /// "Regularity".
    pub heading: String,
    /// "courses per year, by field".
    pub caption: String,
    /// The fields in legend order (the most frequent first, then "other"), each with its count.
    pub series: Vec<Series>,
    pub bars: Vec<Bar>,
    /// The same data as a sentence (a text alternative).
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Series {
    /// "data (12)".
    pub label: String,
    pub courses: usize,
    /// The series of every field beyond the first few, and of courses without a field.
    pub other: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Bar {
    /// "2019", or "T1 2019" / "T2" by quarter.
    pub label: String,
    /// The count as printed above the bar.
    pub total_text: String,
    pub total: usize,
    /// One count per series.
    pub stack: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DiversityBlock {
    /// "Diversity".
    pub heading: String,
    pub columns: Vec<Diversity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Diversity {
    /// "3".
    pub count: String,
    /// "fields", "at least 3 fields"…
    pub label: String,
    /// "data (12), computing (5), +2".
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IssuedBy {
    pub label: String,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Section {
    /// `pinned`, `now`, `certified`, `effort` or `proof`: stable, for anchors and styles.
    pub id: &'static str,
    pub heading: String,
    /// A count beside the heading: "12", "8 courses".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Group {
    /// A theme (legitimacy in a field); `None` for a section's one list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub entries: Vec<Entry>,
}

/// How an entry is laid out: a certificate with its proof, or a course shown as effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryStyle {
    Certified,
    Effort,
    InProgress,
}

crate::domain::course::str_enum!(EntryStyle { Certified => "certified", Effort => "effort", InProgress => "in_progress" });

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Entry {
    /// The course's stored id.
    pub id: Uuid,
    pub style: EntryStyle,
    /// The date column: the certificate's month ("March 2015"), else when the course happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The attestation's kind: "Verified certificate".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// "grade 92/100".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// "2 ECTS".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ects: Option<String>,
    /// "20 h".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// "February – April 2015".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// How an uncertified course was followed: "audited".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    /// The issuer's verification page (http or https only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceView>,
    pub level: Level,
    /// Marks beside the level: "expired on 31 January 2025", "revoked since 3 February 2027",
    /// "issued to someone else", "link broken since …".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Mark>,
    /// What certfolio checked of this claim, its result, against what and when: one line per
    /// proof (its badge; its verification link). Empty for a claim with neither.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckView>,
    /// Legitimacy: whether the certificate formalised earlier skills or validated new ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mastery: Option<Mastery>,
    /// The skills the course taught, as the record names them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EvidenceView {
    pub file_name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Level {
    pub code: Assurance,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Mark {
    /// `expired`, `badge_revoked` (declared by the badge, or found by certfolio's check),
    /// `suspended`, `other_recipient`, `signature_invalid`, `mismatch`, `link_broken`,
    /// `page_unconfirmed` or `status_unknown`.
    pub code: &'static str,
    pub text: String,
}

/// One proof of a claim as certfolio checked it (`domain::check`), worded for the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CheckView {
    /// `badge` (its Open Badges data) or `link` (its verification link).
    pub kind: &'static str,
    /// The outcome (`verified`, `confirmed`, `page_checked`, `unverified`, `page_unconfirmed`,
    /// `revoked`, `suspended`, `other_recipient`, `signature_invalid`, `mismatch`,
    /// `link_broken`, `not_checked`), `queued` before the first check, or `learner_link` for a
    /// link on a host certfolio does not check.
    pub code: &'static str,
    /// What was checked and found: "Signature verified by certfolio: signed by
    /// did:web:university.example, key fetched from university.example; not revoked (…)".
    pub text: String,
    /// "checked on 15 January 2027" (or "tried on …" when nothing could be checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_on: Option<String>,
    /// When, as RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
    /// Against what: the host a key, assertion or page came from, an identifier, the trust file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Mastery {
    /// `prior` (formalises skills acquired earlier) or `new` (validates new skills).
    pub code: &'static str,
    pub text: String,
}

/// Why a portfolio shows nothing, and what would make it show something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Empty {
    pub message: String,
    /// Each a choice that would fill it ("include the 3 courses followed without a certificate").
    pub fill: Vec<String>,
    /// The options that would, as data: include uncertified courses, include expired ones.
    pub include_uncertified: bool,
    pub include_expired: bool,
    /// How many courses each option would add (what a refusal words, in the reader's language).
    #[serde(skip)]
    pub uncertified: usize,
    #[serde(skip)]
    pub expired: usize,
}

/// The fixed words an entry is printed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EntryLabels {
    pub level: &'static str,
    pub skills: &'static str,
    pub credential: &'static str,
    pub verify: &'static str,
    pub evidence: &'static str,
    pub evidence_sha: &'static str,
    /// The words of a link on a host certfolio does not check (not "verify with the issuer").
    pub learner_link: &'static str,
}

/// Builds the portfolio `spec` asks for, in `lang`, with expiry read against `now`.
pub fn present(record: &Record, spec: &Spec, lang: Lang, now: i64) -> Result<Portfolio, SelectError> {
    let sel = portfolio::select(record, spec, now)?;
    let l = i18n::labels(lang);
    let learner = &record.learner;
    let heading = heading(&sel.scope, lang, l);
    let measures = portfolio::measures(&sel);
    let shown = sel.shown();
    let shown_records: Vec<&CourseRecord> = shown.iter().map(|c| &c.record).collect();
    let spread = portfolio::spread(&shown_records);
    let levels: Vec<Assurance> = shown.iter().map(|c| level_of(c, now)).collect();
    let counts = AssuranceSummary::of(levels);
    let (not_checked, offline) = unchecked_proofs(&shown, lang);
    let (field, theme) = match &sel.scope {
        Scope::All => (None, None),
        Scope::Field(f) => (Some(f.clone()), None),
        Scope::Theme(t) => (None, Some(t.clone())),
    };
    let empty = sel.is_empty().then(|| empty(&sel, lang));
    let cover = if empty.is_some() {
        Vec::new()
    } else {
        match sel.framing {
            Framing::Appetite => i18n::cover_appetite(lang, &learner.name, &measures, &spread),
            Framing::Legitimacy => i18n::cover_legitimacy(lang, &learner.name, &sel.scope, &measures),
        }
    };
    let appetite = sel.framing == Framing::Appetite;
    Ok(Portfolio {
        lang,
        framing: sel.framing,
        field,
        theme,
        learner: LearnerView {
            name: learner.name.clone(),
            headline: learner.headline.clone(),
            email: learner.email.clone(),
            location: learner.location.clone(),
        },
        title: format!("{} — {heading}", learner.name),
        heading,
        cover,
        statement: spec
            .shape
            .statement
            .as_ref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| Statement { label: i18n::in_my_words(lang).to_owned(), text: t.trim().to_owned() }),
        figures: measures.iter().map(|m| figure(m, lang)).collect(),
        claims: Claims {
            sentence: i18n::summary_sentence(lang, &counts),
            note: i18n::claims_note(lang, counts.claims, counts.checked(), not_checked, offline),
            counts,
            not_checked,
            offline,
        },
        chart: if appetite { chart(&shown_records, lang, l) } else { None },
        diversity: (appetite && !sel.is_empty())
            .then(|| DiversityBlock { heading: l.diversity.to_owned(), columns: diversity(&spread, lang) })
            .filter(|d| !d.columns.is_empty()),
        issued_by: (!appetite && !spread.certifying_institutions.is_empty()).then(|| IssuedBy {
            label: l.issued_by.to_owned(),
            names: spread.certifying_institutions.iter().map(|(n, _)| n.clone()).collect(),
        }),
        sections: sections(&sel, lang, l),
        empty,
        labels: EntryLabels {
            level: i18n::level_word(lang),
            skills: i18n::skills_word(lang),
            credential: l.credential,
            verify: l.verify,
            evidence: i18n::evidence_word(lang),
            evidence_sha: i18n::evidence_sha_word(lang),
            learner_link: i18n::open_learner_link(lang),
        },
    })
}

impl Entry {
    /// The entry's link is on a host certfolio does not check: the learner's, not the issuer's.
    pub fn is_learner_link(&self) -> bool {
        self.checks.iter().any(|c| c.code == "learner_link")
    }
}

impl Portfolio {
    /// Every entry, once, in reading order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.sections.iter().flat_map(|s| s.groups.iter()).flat_map(|g| g.entries.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.empty.is_some()
    }
}

/// "Appetite for self-training" / "Legitimacy in the field « data »".
pub fn heading(scope: &Scope, lang: Lang, l: &Labels) -> String {
    match scope {
        Scope::All => l.appetite_title.to_owned(),
        Scope::Field(f) => format!("{} {}", l.legitimacy_field_title, i18n::quoted(lang, f)),
        Scope::Theme(t) => format!("{} {}", l.legitimacy_theme_title, i18n::quoted(lang, t)),
    }
}

/// The highest level of proof the course reaches at `now`, with certfolio's stored checks.
pub fn level_of(c: &HeldCourse, now: i64) -> Assurance {
    assurance_of(&c.record, c.evidence.is_some(), &c.checks, now)
}

/// How many proofs of the shown courses certfolio could not check (or has not yet), and
/// whether being offline is among the reasons.
fn unchecked_proofs(shown: &[&HeldCourse], lang: Lang) -> (usize, bool) {
    let mut count = 0;
    let mut offline = false;
    for c in shown {
        let (views, _) = checks::views(&c.record, &c.checks, lang);
        count += views.iter().filter(|v| matches!(v.code, "not_checked" | "queued")).count();
        let (badge, link) = crate::domain::check::current_results(&c.record, &c.checks);
        offline |= [badge, link].into_iter().flatten().filter_map(|(_, r)| r).any(|r| r.missed_offline());
    }
    (count, offline)
}

fn figure(m: &Measure, lang: Lang) -> Figure {
    Figure {
        key: m.key,
        value: m.value,
        text: i18n::figure_value(lang, m),
        label: i18n::figure_label(lang, m),
        courses: m.courses.clone(),
        coverage: Coverage { known: m.known, of: m.of },
    }
}

fn empty(sel: &Selection<'_>, lang: Lang) -> Empty {
    let LeftOut { uncertified, expired } = sel.left_out;
    Empty {
        message: i18n::empty_message(lang, &sel.scope),
        fill: i18n::empty_fill(lang, uncertified, expired),
        include_uncertified: uncertified > 0,
        include_expired: expired > 0,
        uncertified,
        expired,
    }
}

/// At most this many fields get a colour of their own in the chart; the rest are "other".
pub const CHART_SERIES: usize = 6;

fn chart(courses: &[&CourseRecord], lang: Lang, l: &Labels) -> Option<Chart> {
    let t = portfolio::timeline(courses);
    if t.buckets.is_empty() {
        return None;
    }
    // Series: the most frequent named fields, then everything else (other fields, no field).
    let named = t.fields.iter().take_while(|f| f.is_some()).count().min(CHART_SERIES);
    let n_series = named + usize::from(t.fields.len() > named);
    let series_of = |field: usize| field.min(named);
    let mut totals = vec![0usize; n_series];
    let bars: Vec<Bar> = t
        .buckets
        .iter()
        .map(|b| {
            let mut stack = vec![0usize; n_series];
            for (i, &n) in b.counts.iter().enumerate() {
                stack[series_of(i)] += n;
                totals[series_of(i)] += n;
            }
            let label = match (t.granularity, b.quarter) {
                (Granularity::Quarter, Some(1)) => format!("{} {}", i18n::quarter(lang, 1), b.year),
                (Granularity::Quarter, Some(q)) => i18n::quarter(lang, q).to_owned(),
                _ => b.year.to_string(),
            };
            let total = b.total();
            Bar { label, total_text: i18n::integer(lang, total as u64), total, stack }
        })
        .collect();
    let series = totals
        .iter()
        .enumerate()
        .map(|(s, &courses)| {
            let name =
                if s < named { t.fields[s].clone().unwrap_or_default() } else { i18n::other_word(lang).to_owned() };
            Series { label: format!("{name} ({courses})"), courses, other: s >= named }
        })
        .collect();
    let caption = match t.granularity {
        Granularity::Year => l.regularity_by_year,
        Granularity::Quarter => l.regularity_by_quarter,
    };
    // Courses with no date at all have no bar: the caption says how many the bars cover.
    let caption = i18n::chart_caption(lang, caption, totals.iter().sum(), courses.len());
    let summary =
        bars.iter().map(|b| format!("{}{}{}", b.label, i18n::colon(lang), b.total_text)).collect::<Vec<_>>().join(", ");
    Some(Chart { heading: l.regularity.to_owned(), caption, series, bars, summary })
}

fn diversity(s: &portfolio::Spread, lang: Lang) -> Vec<Diversity> {
    use i18n::Dimension;
    [
        (&s.fields, s.fields_known, Dimension::Fields),
        (&s.institutions, s.institutions_known, Dimension::Institutions),
        (&s.platforms, s.platforms_known, Dimension::Platforms),
    ]
    .into_iter()
    .filter(|(names, _, _)| !names.is_empty())
    .map(|(names, known, which)| Diversity {
        count: i18n::integer(lang, names.len() as u64),
        label: {
            let word = i18n::dimension_word(lang, which, names.len());
            if known < s.courses { i18n::at_least(lang, word) } else { word.to_owned() }
        },
        names: names.iter().map(|(n, k)| format!("{n}{}({k})", i18n::NBSP)).collect(),
    })
    .collect()
}

fn sections<'a>(sel: &Selection<'a>, lang: Lang, l: &Labels) -> Vec<Section> {
    let mut out = Vec::new();
    // The courses the learner put first, each once: in their own section, not again below.
    let pinned: Vec<uuid::Uuid> = sel.pinned.iter().map(|c| c.id).collect();
    if !sel.pinned.is_empty() {
        let style = |c: &HeldCourse| {
            if c.record.is_certified() {
                EntryStyle::Certified
            } else if sel.in_progress.iter().any(|p| p.id == c.id) {
                EntryStyle::InProgress
            } else {
                EntryStyle::Effort
            }
        };
        out.push(Section {
            id: "pinned",
            heading: i18n::pinned_heading(lang).to_owned(),
            note: None,
            intro: None,
            groups: vec![Group {
                heading: None,
                note: None,
                entries: sel.pinned.iter().map(|c| entry(sel, c, style(c), lang, l)).collect(),
            }],
        });
    }
    fn unpinned<'a>(list: &[&'a HeldCourse], pinned: &[uuid::Uuid]) -> Vec<&'a HeldCourse> {
        list.iter().copied().filter(|c| !pinned.contains(&c.id)).collect()
    }
    let unpinned = |list: &[&'a HeldCourse]| unpinned(list, &pinned);
    let (certified_list, uncertified_list, in_progress_list) =
        (unpinned(&sel.certified), unpinned(&sel.uncertified), unpinned(&sel.in_progress));
    let entry = |c: &HeldCourse, style: EntryStyle| entry(sel, c, style, lang, l);
    let certified = |c: &&HeldCourse| entry(c, EntryStyle::Certified);
    let effort = |c: &&HeldCourse| {
        let style =
            if sel.in_progress.iter().any(|p| p.id == c.id) { EntryStyle::InProgress } else { EntryStyle::Effort };
        entry(c, style)
    };
    let one = |entries: Vec<Entry>| vec![Group { heading: None, note: None, entries }];
    let count = |n: usize| Some(i18n::integer(lang, n as u64));
    match sel.framing {
        Framing::Appetite => {
            if !in_progress_list.is_empty() {
                out.push(Section {
                    id: "now",
                    heading: l.learning_now.into(),
                    note: None,
                    intro: None,
                    groups: one(in_progress_list.iter().map(|c| entry(c, EntryStyle::InProgress)).collect()),
                });
            }
            if !certified_list.is_empty() {
                out.push(Section {
                    id: "certified",
                    heading: l.certified_courses.into(),
                    note: count(sel.certified.len()),
                    intro: None,
                    groups: one(certified_list.iter().map(certified).collect()),
                });
            }
            if !uncertified_list.is_empty() {
                out.push(Section {
                    id: "effort",
                    heading: l.uncertified_courses.into(),
                    note: count(sel.uncertified.len()),
                    intro: Some(l.uncertified_intro.into()),
                    groups: one(uncertified_list.iter().map(effort).collect()),
                });
            }
        }
        Framing::Legitimacy => {
            let total = sel.certified.len() + sel.uncertified.len();
            let note = Some(i18n::count(lang, total, i18n::course_word(lang, false), i18n::course_word(lang, true)));
            if sel.groups.is_empty() {
                if !certified_list.is_empty() {
                    out.push(Section {
                        id: "proof",
                        heading: l.proof.into(),
                        note,
                        intro: None,
                        groups: one(certified_list.iter().map(certified).collect()),
                    });
                }
                if !uncertified_list.is_empty() {
                    out.push(Section {
                        id: "effort",
                        heading: l.uncertified_courses.into(),
                        note: count(sel.uncertified.len()),
                        intro: None,
                        groups: one(uncertified_list.iter().map(effort).collect()),
                    });
                }
            } else {
                let groups = sel
                    .groups
                    .iter()
                    .filter(|g| g.certified.iter().chain(&g.uncertified).any(|c| !pinned.contains(&c.id)))
                    .map(|g| Group {
                        heading: Some(i18n::capitalise_first(g.theme.as_deref().unwrap_or(l.other_theme))),
                        note: Some(i18n::count(
                            lang,
                            g.certified.len(),
                            i18n::cert_word(lang, false),
                            i18n::cert_word(lang, true),
                        )),
                        entries: unpinned(&g.certified)
                            .iter()
                            .map(certified)
                            .chain(unpinned(&g.uncertified).iter().map(effort))
                            .collect(),
                    })
                    .collect();
                out.push(Section { id: "proof", heading: l.proof.into(), note, intro: None, groups });
            }
        }
    }
    out
}

fn entry(sel: &Selection<'_>, c: &HeldCourse, style: EntryStyle, lang: Lang, l: &Labels) -> Entry {
    let r = &c.record;
    let att = r.attestation.as_ref();
    let now = sel.now;
    let level = level_of(c, now);
    let date = match style {
        // A certificate is dated by when it was issued, else when the course ended.
        EntryStyle::Certified => recency_date(r),
        // In progress: when it started (the section says it is ongoing).
        EntryStyle::InProgress => r.started_on.or_else(|| course_date(r)),
        EntryStyle::Effort => course_date(r),
    };
    let mut marks = Vec::new();
    if portfolio::is_expired(r, now) {
        let on = expiry_date(r).map(|d| i18n::day_month_year(lang, d));
        marks.push(Mark { code: "expired", text: i18n::expired_on(lang, on.as_deref()) });
    }
    if let Some(status) = badge_status(r, now).filter(|s| *s == BadgeStatus::Revoked) {
        marks.push(Mark { code: "badge_revoked", text: i18n::badge_status_label(lang, status).to_owned() });
    }
    let (checks, check_marks) = checks::views(r, &c.checks, lang);
    for m in check_marks {
        if !marks.iter().any(|have| have.code == m.code) {
            marks.push(m);
        }
    }
    let legitimacy = sel.framing == Framing::Legitimacy;
    Entry {
        id: c.id,
        style,
        date: date.map(|d| i18n::month_year(lang, d)),
        title: r.title.clone(),
        institution: r.institution.clone(),
        platform: r.platform.clone(),
        kind: att
            .map(|a| a.kind.map_or(i18n::attestation_generic(lang), |k| i18n::attestation_kind(lang, k)).to_owned()),
        grade: att.and_then(|a| a.grade.as_ref()).map(|g| format!("{}{}{g}", l.grade, i18n::NBSP)),
        ects: att.and_then(|a| a.ects).map(|e| format!("{}{}{}", i18n::decimal(lang, e), i18n::NBSP, l.ects_unit)),
        hours: r.hours.map(|h| i18n::hours(lang, h)),
        period: i18n::period(lang, r.started_on, r.finished_on),
        outcome: match (att, r.outcome, style) {
            (None, Some(o), EntryStyle::Effort) => Some(i18n::outcome(lang, o).to_owned()),
            _ => None,
        },
        credential_id: att.and_then(|a| a.credential_id.clone()),
        // Validated as http(s) on the way in; only such URLs become links.
        verify_url: att.and_then(|a| a.url.clone()).filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        evidence: c
            .evidence
            .as_ref()
            .map(|e| EvidenceView { file_name: e.file_name.clone(), sha256: e.sha256.clone() }),
        level: Level { code: level, label: i18n::assurance_label(lang, level).to_owned() },
        marks,
        checks,
        mastery: match (legitimacy, att.is_some(), r.prior_mastery) {
            (true, true, Some(true)) => Some(Mastery { code: "prior", text: l.prior_mastery.to_owned() }),
            (true, true, Some(false)) => Some(Mastery { code: "new", text: l.new_skills.to_owned() }),
            _ => None,
        },
        skills: r.skills.iter().map(|s| s.name.clone()).collect(),
    }
}

pub mod checks;
#[cfg(test)]
mod tests;
