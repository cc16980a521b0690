//! An institution as the learner describes it (the schema's `institutions` row): its name,
//! where it is, what sort of body it is, its website.
//!
//! Country: an ISO 3166-1 alpha-2 code (two letters, kept upper case: `FR`, `CH`) or, when the
//! learner prefers, a country name in free text (one line, at most 100 characters). Checking
//! names against a list would refuse "Suisse" or "Côte d'Ivoire" for no gain: the value is
//! only ever displayed. Kind: one of a short closed list, so that pages can translate it.
//! Website: an absolute http(s) URL, the same rule as every link a recruiter may follow.

use super::ValidationError;
use super::course::str_enum;
use super::problem::{Expected, Problem};
use super::text::excerpt;
use super::text::{MAX_NAME, MAX_SHORT, check_line, check_url};

/// What sort of body issued or taught the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstitutionKind {
    University,
    School,
    Company,
    PublicBody,
    Association,
    Other,
}

str_enum!(InstitutionKind {
    University => "university", School => "school", Company => "company",
    PublicBody => "public_body", Association => "association", Other => "other",
});

/// The editable fields of an institution, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstitutionInfo {
    pub name: String,
    pub country: Option<String>,
    pub kind: Option<InstitutionKind>,
    pub website: Option<String>,
}

impl InstitutionInfo {
    /// Builds the record from text as typed (blank means "not known"), or the first field at
    /// fault. Values are trimmed; a two-letter country is taken as an ISO code and upper-cased.
    pub fn from_text(name: &str, country: &str, kind: &str, website: &str) -> Result<Self, ValidationError> {
        let name = name.trim();
        check_line("name", name, MAX_NAME)?;
        let country = match country.trim() {
            "" => None,
            c => {
                check_line("country", c, MAX_SHORT)?;
                let iso = c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic());
                Some(if iso { c.to_ascii_uppercase() } else { c.to_owned() })
            }
        };
        let kind = match kind.trim() {
            "" => None,
            k => Some(InstitutionKind::from_str_opt(k).ok_or_else(|| {
                ValidationError::new(
                    "kind",
                    Problem::NotA { value: excerpt(k).into_owned(), expected: Expected::InstitutionKind },
                )
            })?),
        };
        let website = match website.trim() {
            "" => None,
            w => {
                check_url("website", w)?;
                Some(w.to_owned())
            }
        };
        Ok(InstitutionInfo { name: name.to_owned(), country, kind, website })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_letter_country_is_an_iso_code_and_anything_else_free_text() {
        let i = InstitutionInfo::from_text(" EPFL ", "ch", "university", "https://www.epfl.ch").unwrap();
        assert_eq!(i.name, "EPFL");
        assert_eq!(i.country.as_deref(), Some("CH"));
        let i = InstitutionInfo::from_text("Inria", "Côte d'Ivoire", "", "").unwrap();
        assert_eq!(i.country.as_deref(), Some("Côte d'Ivoire"));
        assert_eq!(i.kind, None);
    }

    #[test]
    fn each_bad_value_names_its_field() {
        let path = |r: Result<InstitutionInfo, ValidationError>| r.unwrap_err().path;
        assert_eq!(path(InstitutionInfo::from_text(" ", "", "", "")), "name");
        assert_eq!(path(InstitutionInfo::from_text("A", "", "castle", "")), "kind");
        assert_eq!(path(InstitutionInfo::from_text("A", "", "", "javascript:alert(1)")), "website");
        assert_eq!(path(InstitutionInfo::from_text("A", "", "", "www.example.org")), "website");
        assert_eq!(path(InstitutionInfo::from_text("A", &"x".repeat(101), "", "")), "country");
    }
}
