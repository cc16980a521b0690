//! Other tools' formats in and out: LinkedIn's `Certifications.csv`, a generic CSV whose header
//! names document fields, JSON Resume `certificates[]` and Open Badges 2.0 / 3.0 files (JSON,
//! JWS, baked PNG or SVG); exports to JSON Resume and CSV.
//!
//! Pure functions from bytes to records and back: no SQL, no HTTP. The API and the command line
//! detect the format ([`detect`]), parse, then [`merge`] the imported courses into the learner's
//! current record so that one `Db::import_document` stores all of it or nothing.
//!
//! Every error is a [`ValidationError`] whose path names where in the file the problem is
//! (`line 4, column Started On`, `certificates[2].date`), so a user can find and fix it.

pub mod csv;
pub mod detect;
pub mod incoming;
pub mod jsonresume;
pub mod jws;
pub mod linkedin;
pub mod openbadges;
pub mod png;
pub mod svg;
pub mod trust;

use std::collections::HashMap;

use crate::domain::document::DOCUMENT_VERSION;
use crate::domain::problem::{Noun, Problem};
use crate::domain::text::normalize_name;
use crate::domain::{
    AttestationKind, AttestationRecord, CourseRecord, Document, IsoDate, LearnerRecord, ValidationError,
};

pub use detect::{Format, detect};
pub use trust::TrustStore;

/// At most this many rows or certificates in one file: the document's own course limit, so a
/// hostile file cannot make one import unbounded.
pub const MAX_ROWS: usize = crate::domain::document::MAX_COURSES;

/// What a foreign file holds, before it is merged into a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub format: Format,
    /// The learner, when the file names one (JSON Resume `basics`); LinkedIn and CSV files do not.
    pub learner: Option<LearnerRecord>,
    pub courses: Vec<ImportedCourse>,
}

/// One course and where it came from in the file (`line 4`, `certificates[2]`), so that a rule
/// broken only after merging can still be reported against the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCourse {
    pub at: String,
    pub record: CourseRecord,
}

/// Parses a LinkedIn, CSV, JSON Resume or Open Badges file (the format detected from its
/// content). Badge signatures are checked against `trust`; `now` is Unix seconds. A portfolio
/// document is not this function's business: it replaces the profile and is parsed by
/// `parse_document`, so it is refused here with a pointer to that path.
pub fn import_foreign(bytes: &[u8], trust: &TrustStore, now: i64) -> Result<Imported, ValidationError> {
    match detect(bytes)? {
        Format::LinkedIn => linkedin::parse(bytes),
        Format::Csv => csv::parse(bytes),
        Format::JsonResume => jsonresume::parse(bytes),
        Format::OpenBadges => openbadges::parse(bytes, trust, now),
        Format::Document => Err(ValidationError::new("certfolio", Problem::IsADocument)),
    }
}

/// The document that adds `imported` to the record `current` without losing anything: the
/// learner's profile stays as it is (a CSV has no profile to give), and a course already in the
/// record (same title, platform and start date) keeps the fields the file leaves empty.
/// `Db::import_document` then updates such courses in place and adds the others.
pub fn merge(current: &Document, imported: Vec<ImportedCourse>) -> Result<Document, ValidationError> {
    let existing: HashMap<String, &CourseRecord> = current.courses.iter().map(|c| (c.identity(), c)).collect();
    let mut courses = Vec::with_capacity(imported.len());
    for ImportedCourse { at, record } in imported {
        let merged = match existing.get(&record.identity()) {
            Some(existing) => overlay((*existing).clone(), record),
            None => record,
        };
        merged.validate("").map_err(|e| ValidationError::new(join_at(&at, &e.path), e.problem))?;
        courses.push(merged);
    }
    let doc =
        Document { certfolio: DOCUMENT_VERSION, learner: current.learner.clone(), courses, portfolios: Vec::new() };
    doc.validate()?;
    Ok(doc)
}

fn join_at(at: &str, field: &str) -> String {
    if field.is_empty() { at.to_owned() } else { format!("{at}, {field}") }
}

/// `new`'s values where it has them, `base`'s elsewhere.
fn overlay(base: CourseRecord, new: CourseRecord) -> CourseRecord {
    let attestation = match (base.attestation, new.attestation) {
        (Some(b), Some(n)) => Some(AttestationRecord {
            kind: n.kind.or(b.kind),
            issued_on: n.issued_on.or(b.issued_on),
            expires_on: n.expires_on.or(b.expires_on),
            credential_id: n.credential_id.or(b.credential_id),
            url: n.url.or(b.url),
            grade: n.grade.or(b.grade),
            ects: n.ects.or(b.ects),
            badge: n.badge.or(b.badge),
        }),
        (b, n) => n.or(b),
    };
    CourseRecord {
        title: new.title,
        platform: new.platform.or(base.platform),
        institution: new.institution.or(base.institution),
        field: new.field.or(base.field),
        themes: if new.themes.is_empty() { base.themes } else { new.themes },
        skills: if new.skills.is_empty() { base.skills } else { new.skills },
        language: new.language.or(base.language),
        started_on: new.started_on.or(base.started_on),
        finished_on: new.finished_on.or(base.finished_on),
        hours: new.hours.or(base.hours),
        follow_mode: new.follow_mode.or(base.follow_mode),
        outcome: new.outcome.or(base.outcome),
        motive: new.motive.or(base.motive),
        notes: new.notes.or(base.notes),
        prior_mastery: new.prior_mastery.or(base.prior_mastery),
        attestation,
    }
}

/// A course record with only a title.
pub(crate) fn bare(title: String) -> CourseRecord {
    CourseRecord::titled(title)
}

/// An attestation with no detail yet: the course is certified, nothing more is known.
pub(crate) fn empty_attestation() -> AttestationRecord {
    AttestationRecord::default()
}

/// A course record with only a title and an attestation, the shape every certificate list
/// (LinkedIn, JSON Resume) starts from.
pub(crate) fn certified(title: String) -> CourseRecord {
    CourseRecord { attestation: Some(empty_attestation()), ..bare(title) }
}

/// MOOC platforms, by their usual name, other spellings, and web host. An issuer that is one of
/// these is where the course was followed, not who taught it, so it goes to `platform`.
const PLATFORMS: &[(&str, &[&str], &str)] = &[
    ("Coursera", &["coursera"], "coursera.org"),
    ("edX", &["edx"], "edx.org"),
    ("FUN-MOOC", &["fun-mooc", "fun mooc", "france universite numerique"], "fun-mooc.fr"),
    ("OpenClassrooms", &["openclassrooms"], "openclassrooms.com"),
    ("FutureLearn", &["futurelearn"], "futurelearn.com"),
    ("Udemy", &["udemy"], "udemy.com"),
    ("LinkedIn Learning", &["linkedin learning", "lynda.com"], "linkedin.com/learning"),
    ("Udacity", &["udacity"], "udacity.com"),
];

/// The platform's usual name when `name` is one, whatever its case or accents.
pub fn known_platform(name: &str) -> Option<&'static str> {
    let n = normalize_name(name);
    PLATFORMS.iter().find(|(_, names, _)| names.contains(&n.as_str())).map(|(canon, _, _)| *canon)
}

/// The platform a certificate URL is on (`https://www.coursera.org/account/…` → Coursera).
pub fn platform_from_url(value: &str) -> Option<&'static str> {
    let url = url::Url::parse(value).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    PLATFORMS.iter().find_map(|(canon, _, site)| {
        let (site_host, site_path) = site.split_once('/').map_or((*site, None), |(h, p)| (h, Some(p)));
        let host_ok = host == site_host || host.ends_with(&format!(".{site_host}"));
        let path_ok = site_path.is_none_or(|p| url.path().trim_start_matches('/').starts_with(p));
        (host_ok && path_ok).then_some(*canon)
    })
}

/// Splits an issuer into (platform, institution). "Google / Coursera" (how JSON Resume samples
/// write a course owner and its platform) gives both; a known platform alone gives a platform;
/// anything else is the institution.
pub fn split_issuer(issuer: &str) -> (Option<String>, Option<String>) {
    let issuer = issuer.trim();
    if issuer.is_empty() {
        return (None, None);
    }
    if let Some(p) = known_platform(issuer) {
        return (Some(p.to_owned()), None);
    }
    let parts: Vec<&str> = issuer.split(" / ").map(str::trim).collect();
    if parts.len() == 2 {
        match (known_platform(parts[0]), known_platform(parts[1])) {
            (None, Some(p)) => return (Some(p.to_owned()), Some(parts[0].to_owned())),
            (Some(p), None) => return (Some(p.to_owned()), Some(parts[1].to_owned())),
            _ => {}
        }
    }
    (None, Some(issuer.to_owned()))
}

/// The issuer as one string, the inverse of [`split_issuer`]: "MIT / edX".
pub fn join_issuer(course: &CourseRecord) -> Option<String> {
    match (&course.institution, &course.platform) {
        (Some(i), Some(p)) => Some(format!("{i} / {p}")),
        (Some(i), None) => Some(i.clone()),
        (None, Some(p)) => Some(p.clone()),
        (None, None) => None,
    }
}

/// A badge host's URL says the attestation is a badge; nothing else about the kind can be read
/// from a link.
pub(crate) fn kind_from_url(value: &str) -> Option<AttestationKind> {
    let url = url::Url::parse(value).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let badge_host = host == "credly.com" || host.ends_with(".credly.com");
    (badge_host || url.path().contains("/badges/")).then_some(AttestationKind::Badge)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (JSON Resume's partial ISO dates); a missing month or day
/// is the first one.
pub(crate) fn partial_iso_date(value: &str) -> Option<IsoDate> {
    let full = match value.len() {
        4 => format!("{value}-01-01"),
        7 => format!("{value}-01"),
        10 => value.to_owned(),
        _ => return None,
    };
    if !value.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return None;
    }
    IsoDate::parse(&full).ok()
}

/// The courses of one file, in file order, each identity once. Two courses of one file with
/// the same identity: which should win is not ours to guess, but a row repeated word for word
/// loses nothing by being read once. Identities are hashed: a 5000-row file costs 5000 look-ups,
/// not 12 million comparisons.
pub(crate) struct Collector {
    noun: Noun,
    courses: Vec<ImportedCourse>,
    seen: HashMap<String, usize>,
}

impl Collector {
    pub(crate) fn new(noun: Noun) -> Self {
        Collector { noun, courses: Vec::new(), seen: HashMap::new() }
    }

    pub(crate) fn len(&self) -> usize {
        self.courses.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.courses.is_empty()
    }

    pub(crate) fn push(&mut self, course: ImportedCourse) -> Result<(), ValidationError> {
        match self.seen.get(&course.record.identity()) {
            Some(&i) if self.courses[i].record == course.record => Ok(()),
            Some(&i) => {
                let problem = Problem::RepeatsRow { noun: self.noun, first: self.courses[i].at.clone() };
                Err(ValidationError::new(course.at, problem))
            }
            None => {
                self.seen.insert(course.record.identity(), self.courses.len());
                self.courses.push(course);
                Ok(())
            }
        }
    }

    pub(crate) fn into_courses(self) -> Vec<ImportedCourse> {
        self.courses
    }
}

/// What the parsers' own tests share: the real fixture files beside the project, and a small
/// deterministic mutator (truncations and byte changes) for "never panics" checks that run in
/// `cargo test` without a fuzzer.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod test_support {
    /// A file of `../shared/fixtures/real/` (see its SOURCES.md).
    pub fn real(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../shared/fixtures/real/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// Calls `check` with every prefix of each file (every `cut_step` bytes) and with `rounds`
    /// copies of it where 1 to 4 bytes became one of `interesting`; fails past 60 s in all.
    pub fn mutations(files: &[Vec<u8>], cut_step: usize, rounds: usize, interesting: &[u8], check: impl Fn(&[u8])) {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let started = std::time::Instant::now();
        for file in files {
            for cut in (0..file.len()).step_by(cut_step) {
                check(&file[..cut]);
            }
            for _ in 0..rounds {
                let mut bytes = file.clone();
                for _ in 0..=(next() % 4) {
                    let at = usize::try_from(next() % bytes.len() as u64).unwrap();
                    bytes[at] = interesting[usize::try_from(next() % interesting.len() as u64).unwrap()];
                }
                check(&bytes);
            }
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_split_into_platform_and_institution() {
        assert_eq!(split_issuer("Coursera"), (Some("Coursera".into()), None));
        assert_eq!(split_issuer("fun mooc"), (Some("FUN-MOOC".into()), None));
        assert_eq!(split_issuer("Google / Coursera"), (Some("Coursera".into()), Some("Google".into())));
        assert_eq!(split_issuer("IBM"), (None, Some("IBM".into())));
        assert_eq!(split_issuer("A / B"), (None, Some("A / B".into())));
        assert_eq!(split_issuer("  "), (None, None));
    }

    #[test]
    fn platforms_are_read_from_urls() {
        assert_eq!(platform_from_url("https://www.coursera.org/account/accomplishments/records/X"), Some("Coursera"));
        assert_eq!(platform_from_url("https://www.linkedin.com/learning/certificates/1"), Some("LinkedIn Learning"));
        assert_eq!(platform_from_url("https://www.linkedin.com/in/someone"), None);
        assert_eq!(platform_from_url("https://notcoursera.org/x"), None);
        assert_eq!(platform_from_url("not a url"), None);
    }

    #[test]
    fn partial_dates_take_the_first_day() {
        assert_eq!(partial_iso_date("2024").map(|d| d.to_string()).as_deref(), Some("2024-01-01"));
        assert_eq!(partial_iso_date("2024-05").map(|d| d.to_string()).as_deref(), Some("2024-05-01"));
        assert_eq!(partial_iso_date("2024-05-17").map(|d| d.to_string()).as_deref(), Some("2024-05-17"));
        for bad in ["24", "2024-5", "2024-13", "May 2024", "+202", "2024-02-30"] {
            assert!(partial_iso_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn merging_keeps_the_profile_and_the_fields_the_file_lacks() {
        let mut existing = certified("Machine Learning".into());
        existing.platform = Some("Coursera".into());
        existing.hours = Some(40.0);
        existing.attestation = Some(AttestationRecord { grade: Some("92/100".into()), ..certified_att() });
        let current = Document {
            certfolio: 1,
            learner: LearnerRecord {
                name: "Camille".into(),
                headline: Some("Dev".into()),
                email: None,
                location: None,
                situation: None,
                lang: None,
            },
            courses: vec![existing],
            portfolios: Vec::new(),
        };
        let mut again = certified("machine learning".into());
        again.platform = Some("coursera".into());
        again.attestation = Some(AttestationRecord { credential_id: Some("ABC".into()), ..certified_att() });
        let new = certified("Statistics".into());
        let doc = merge(
            &current,
            vec![
                ImportedCourse { at: "line 2".into(), record: again },
                ImportedCourse { at: "line 3".into(), record: new.clone() },
            ],
        )
        .unwrap();
        assert_eq!(doc.learner, current.learner);
        assert_eq!(doc.courses[0].hours, Some(40.0));
        let att = doc.courses[0].attestation.as_ref().unwrap();
        assert_eq!((att.grade.as_deref(), att.credential_id.as_deref()), (Some("92/100"), Some("ABC")));
        assert_eq!(doc.courses[1], new);
    }

    #[test]
    fn a_rule_broken_by_merging_names_the_line() {
        let mut existing = certified("X".into());
        existing.started_on = Some(IsoDate::parse("2020-05-01").unwrap());
        let current = Document {
            certfolio: 1,
            learner: LearnerRecord::named("C"),
            courses: vec![existing],
            portfolios: Vec::new(),
        };
        let mut bad = certified("X".into());
        bad.started_on = Some(IsoDate::parse("2020-05-01").unwrap());
        bad.finished_on = Some(IsoDate::parse("2019-01-01").unwrap());
        let err = merge(&current, vec![ImportedCourse { at: "line 7".into(), record: bad }]).unwrap_err();
        assert_eq!(err.path, "line 7, finished_on");
    }

    fn certified_att() -> AttestationRecord {
        empty_attestation()
    }

    /// Not a fuzzer (issue 6 asks for cargo-fuzz targets, still to come) but its cheap cousin:
    /// every truncation and thousands of byte mutations of the real files must give a clean
    /// answer, never a panic, and whatever is accepted must pass the document's rules.
    #[test]
    fn truncated_and_mutated_real_files_never_panic() {
        let base = format!("{}/../shared/fixtures/real", env!("CARGO_MANIFEST_DIR"));
        let doc = crate::domain::parse_document(
            &std::fs::read(format!("{}/tests/fixtures/doc24.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
        )
        .unwrap();
        let mut files: Vec<Vec<u8>> = [
            "linkedin/Certifications.dineshbarri.csv",
            "linkedin/Certifications.jayaprakash.csv",
            "linkedin/Certifications.bsdpunk.csv",
            "jsonresume/career-changer.resume.json",
            "jsonresume/complete-resume.json",
        ]
        .iter()
        .map(|f| std::fs::read(format!("{base}/{f}")).unwrap())
        .collect();
        files.push(csv::to_csv(&doc).into_bytes());
        let interesting = [b'"', b',', b';', b'\n', b'\r', 0, 0xff, b'{', b'[', b'=', b'-', b' '];
        test_support::mutations(&files, 11, 600, &interesting, |bytes| {
            if let Ok(imported) = import_foreign(bytes, &TrustStore::default(), 0) {
                for c in &imported.courses {
                    assert!(c.record.validate("").is_ok(), "{}: accepted an invalid course", c.at);
                }
            }
        });
    }

    #[test]
    fn a_huge_single_line_is_refused_quickly() {
        let started = std::time::Instant::now();
        let huge = "x".repeat(8 << 20);
        assert!(import_foreign(huge.as_bytes(), &TrustStore::default(), 0).is_err());
        let long_title = format!("title\n{huge}\n");
        assert_eq!(
            import_foreign(long_title.as_bytes(), &TrustStore::default(), 0).unwrap_err().path,
            "line 2, column title"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }
}
