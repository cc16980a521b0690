//! A learner's record as the service holds it: the profile, and each course with its stored id
//! and what the service knows beyond the document (an evidence file, its proofs' checks). Portfolios are built from
//! it, so that a course keeps its identity, its id, through selection, figures and pages.

use uuid::Uuid;

use super::{CourseRecord, Document, LearnerRecord};

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub learner: LearnerRecord,
    pub courses: Vec<HeldCourse>,
}

/// A course of the record.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldCourse {
    /// The stored id (offline: the course's place in the document, see [`Record::from_document`]).
    pub id: Uuid,
    pub record: CourseRecord,
    /// The evidence file uploaded for the course, if any.
    pub evidence: Option<EvidenceRef>,
    /// What certfolio found when it checked the course's proofs itself (its badge, its link on
    /// a known issuer's host); empty offline (`render`) and before the first check.
    pub checks: Vec<super::check::ProofCheck>,
}

/// What a portfolio shows of an evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRef {
    pub file_name: String,
    pub sha256: String,
}

impl Record {
    /// A document read from a file, as the offline renderer sees it: no evidence, and each
    /// course numbered by its place (the first is `00000000-0000-0000-0000-000000000001`).
    pub fn from_document(doc: Document) -> Record {
        let courses = doc
            .courses
            .into_iter()
            .enumerate()
            .map(|(i, record)| HeldCourse {
                id: Uuid::from_u128(i as u128 + 1),
                record,
                evidence: None,
                checks: Vec::new(),
            })
            .collect();
        Record { learner: doc.learner, courses }
    }

    /// The portfolio document of this record (course order kept).
    pub fn to_document(&self) -> Document {
        Document {
            certfolio: super::document::DOCUMENT_VERSION,
            learner: self.learner.clone(),
            courses: self.courses.iter().map(|c| c.record.clone()).collect(),
            portfolios: Vec::new(),
        }
    }

    pub fn course(&self, id: Uuid) -> Option<&HeldCourse> {
        self.courses.iter().find(|c| c.id == id)
    }
}
