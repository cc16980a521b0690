//! One way from an uploaded file to what is stored, for every entry point (the API's
//! `POST /import`, the import page's preview and confirmation, the command line): detect the
//! format, parse, then apply to the learner's current record. Formats are told apart only by
//! [`detect`]; everything that is not a portfolio document goes through [`import_foreign`], so
//! a format `import_foreign` learns is at once importable everywhere.

use super::openbadges::Docs;
use super::trust::TrustStore;
use super::{Format, ImportedCourse, detect, import_foreign, merge};
use crate::domain::{CourseRecord, Document, ValidationError, parse_document};

/// A file read and checked on its own, not yet applied to any record.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub format: Format,
    content: Content,
}

#[derive(Debug, Clone, PartialEq)]
enum Content {
    /// A portfolio document: replaces the profile, and adds or updates its courses.
    Document(Document),
    /// Another tool's courses: merged into the record, the profile kept.
    Courses(Vec<ImportedCourse>),
}

/// What importing one course would do to the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Updated,
    Unchanged,
}

impl Incoming {
    /// Detects and parses `bytes`; the error's path names where in the file the problem is.
    /// Badges (in a foreign file, or carried by a document's attestations) are checked against
    /// `trust` at `now`: a level is never taken from the file.
    pub fn read(bytes: &[u8], trust: &TrustStore, now: i64) -> Result<Incoming, ValidationError> {
        Incoming::read_with(bytes, trust, now, &Docs::new())
    }

    /// [`Incoming::read`] with the documents fetched for an Open Badges file that names its
    /// badge class, issuer or assertion by URL (`openbadges::wanted_documents`; the network
    /// step is `verify::documents_for_import`).
    pub fn read_with(bytes: &[u8], trust: &TrustStore, now: i64, docs: &Docs) -> Result<Incoming, ValidationError> {
        let format = detect(bytes)?;
        let content = if format == Format::Document {
            let mut doc = parse_document(bytes)?;
            super::openbadges::check_document(&mut doc, trust, now)?;
            Content::Document(doc)
        } else if format == Format::OpenBadges {
            Content::Courses(super::openbadges::parse_with(bytes, trust, now, docs)?.courses)
        } else {
            Content::Courses(import_foreign(bytes, trust, now)?.courses)
        };
        Ok(Incoming { format, content })
    }

    /// Whether importing replaces the learner's profile (name, headline…) with the file's.
    pub fn replaces_profile(&self) -> bool {
        matches!(self.content, Content::Document(_))
    }

    /// The document to store on top of `current` (see `Db::import_document`): a portfolio
    /// document as it is, other files' courses merged into the record. A rule broken only once
    /// merged is reported against the file (`line 4, …`).
    pub fn apply(self, current: &Document) -> Result<Document, ValidationError> {
        match self.content {
            Content::Document(doc) => Ok(doc),
            Content::Courses(courses) => merge(current, courses),
        }
    }
}

/// Each course of `planned` (from [`Incoming::apply`]) with what storing it would do, judged
/// the way `Db::import_document` does: same identity and same record is unchanged.
pub fn changes<'a>(current: &Document, planned: &'a Document) -> Vec<(Change, &'a CourseRecord)> {
    let existing: std::collections::HashMap<String, &CourseRecord> =
        current.courses.iter().map(|c| (c.identity(), c)).collect();
    planned
        .courses
        .iter()
        .map(|c| {
            let change = match existing.get(&c.identity()) {
                None => Change::New,
                Some(old) if *old == c => Change::Unchanged,
                Some(_) => Change::Updated,
            };
            (change, c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LearnerRecord;

    fn record(titles: &[&str]) -> Document {
        Document {
            certfolio: crate::domain::document::DOCUMENT_VERSION,
            learner: LearnerRecord::named("Camille"),
            courses: titles.iter().map(|t| CourseRecord::titled(*t)).collect(),
            portfolios: Vec::new(),
        }
    }

    #[test]
    fn a_csv_adds_and_updates_courses_and_keeps_the_profile() {
        let current = record(&["Gestion de projet", "Python"]);
        let csv = b"title,platform,hours\nGestion de projet,,\nPython,,20\nRust,,12\n";
        let incoming = Incoming::read(csv, &TrustStore::default(), 0).unwrap();
        assert_eq!(incoming.format, Format::Csv);
        assert!(!incoming.replaces_profile());
        let planned = incoming.apply(&current).unwrap();
        assert_eq!(planned.learner, current.learner);
        let seen: Vec<Change> = changes(&current, &planned).into_iter().map(|(c, _)| c).collect();
        assert_eq!(seen, [Change::Unchanged, Change::Updated, Change::New]);
    }

    #[test]
    fn a_bad_row_names_its_line_and_column() {
        let err = Incoming::read(b"title,hours\nPython,many\n", &TrustStore::default(), 0).unwrap_err();
        assert!(err.path.contains("line 2"), "{err}");
    }
}
