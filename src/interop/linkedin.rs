//! LinkedIn's `Certifications.csv` (from "Get a copy of your data"):
//! `Name,Url,Authority,Started On,Finished On,License Number`.
//!
//! LinkedIn's form calls the two dates "Issue date" and "Expiration date" (its Profile API
//! `startMonthYear` / `endMonthYear`, its add-to-profile link `issueYear` / `expirationYear`), so
//! `Started On` is when the certificate was issued, not when a course began: it becomes
//! `attestation.issued_on`, and `Finished On` its `expires_on` (the first day of that month).

use super::detect::{LINKEDIN_HEADER, strip_bom};
use super::{Collector, Imported, ImportedCourse, MAX_ROWS, kind_from_url, platform_from_url};
use crate::domain::problem::{Noun, Problem, at_cell, at_line};
use crate::domain::text::excerpt;
use crate::domain::{IsoDate, ValidationError};

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Reads every row; one bad row refuses the whole file, naming its line and column.
pub fn parse(bytes: &[u8]) -> Result<Imported, ValidationError> {
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(strip_bom(bytes));
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(super::csv::read_error(&e)),
        None => return Err(ValidationError::new(at_line(1), Problem::FileEmpty)),
    };
    let trimmed: Vec<String> = header.iter().map(|c| String::from_utf8_lossy(c).trim().to_owned()).collect();
    if !trimmed.iter().map(String::as_str).eq(LINKEDIN_HEADER) {
        return Err(ValidationError::new(
            at_line(1),
            Problem::NotLinkedInHeader { expected: LINKEDIN_HEADER.join(",") },
        ));
    }
    let mut courses = Collector::new(Noun::Certification);
    for record in records {
        let record = record.map_err(|e| super::csv::read_error(&e))?;
        let line = record.position().map_or(0, ::csv::Position::line);
        if courses.len() >= MAX_ROWS {
            let problem = Problem::TooManyRows { max: MAX_ROWS, noun: Noun::Certification };
            return Err(ValidationError::new(at_line(line), problem));
        }
        let cells = super::csv::cells(&record, &LINKEDIN_HEADER, line)?;
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let course = row(&cells, line)?;
        courses.push(ImportedCourse { at: at_line(line), record: course })?;
    }
    if courses.is_empty() {
        return Err(ValidationError::new(at_line(2), Problem::NoRows { noun: Noun::Certification }));
    }
    Ok(Imported { format: super::Format::LinkedIn, learner: None, courses: courses.into_courses() })
}

fn row(cells: &[String], line: u64) -> Result<crate::domain::CourseRecord, ValidationError> {
    let at = |column: &str| at_cell(line, column);
    let [name, url, authority, started, finished, license] = cells else {
        return Err(ValidationError::new(at_line(line), Problem::SixColumns));
    };
    if name.is_empty() {
        return Err(ValidationError::new(at("Name"), Problem::MissingName { noun: Noun::Certification }));
    }
    let mut course = super::bare(name.clone());
    let (platform, institution) = super::split_issuer(authority);
    course.institution = institution;
    course.platform = platform.or_else(|| platform_from_url(url).map(str::to_owned));
    let mut attestation = super::empty_attestation();
    if !url.is_empty() {
        crate::domain::text::check_url(&at("Url"), url).map_err(|e| {
            let value = excerpt(url).into_owned();
            ValidationError::new(e.path, Problem::ImportedLink { problem: Box::new(e.problem), value })
        })?;
        attestation.url = Some(url.clone());
        attestation.kind = kind_from_url(url);
    }
    attestation.issued_on = month_year(started).map_err(|p| ValidationError::new(at("Started On"), p))?;
    attestation.credential_id = (!license.is_empty()).then(|| license.clone());
    if !finished.is_empty() {
        let expires = month_year(finished).map_err(|p| ValidationError::new(at("Finished On"), p))?;
        if let (Some(issued), Some(expires)) = (attestation.issued_on, expires)
            && expires < issued
        {
            let problem = Problem::ExpiryBeforeIssue { issued: started.clone(), expires: finished.clone() };
            return Err(ValidationError::new(at("Finished On"), problem));
        }
        // LinkedIn asks for a month: the first day of it, so that a certificate is never shown
        // as valid for longer than the learner said.
        attestation.expires_on = expires;
    }
    course.attestation = Some(attestation);
    course.validate("").map_err(|e| {
        let column = match e.path.as_str() {
            "title" => "Name",
            "platform" | "institution" => "Authority",
            "attestation.url" => "Url",
            "attestation.credential_id" => "License Number",
            "attestation.expires_on" => "Finished On",
            other => other,
        };
        ValidationError::new(at(column), e.problem)
    })?;
    Ok(course)
}

/// `Mar 2015` (or `March 2015`) → 2015-03-01; `2015` → 2015-01-01; empty → none.
fn month_year(value: &str) -> Result<Option<IsoDate>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || Problem::NotAMonthYear { value: excerpt(value).into_owned() };
    let (month, year) = match value.split_once(' ') {
        Some((m, y)) => {
            let m = m.to_ascii_lowercase();
            let index = MONTHS
                .iter()
                .position(|short| m.len() >= 3 && m.starts_with(short))
                .filter(|_| m.chars().all(|c| c.is_ascii_alphabetic()))
                .ok_or_else(bad)?;
            (index + 1, y.trim())
        }
        None => (1, value),
    };
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    IsoDate::parse(&format!("{year}-{month:02}-01")).map(Some).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real(name: &str) -> Vec<u8> {
        crate::interop::test_support::real(&format!("linkedin/Certifications.{name}.csv"))
    }

    const HEADER: &str = "Name,Url,Authority,Started On,Finished On,License Number\n";

    fn one(row: &str) -> Result<crate::domain::CourseRecord, ValidationError> {
        parse(format!("{HEADER}{row}\n").as_bytes()).map(|i| i.courses[0].record.clone())
    }

    #[test]
    fn dates_are_month_and_year() {
        assert_eq!(month_year("Mar 2015").unwrap().unwrap().to_string(), "2015-03-01");
        assert_eq!(month_year("December 2020").unwrap().unwrap().to_string(), "2020-12-01");
        assert_eq!(month_year("2018").unwrap().unwrap().to_string(), "2018-01-01");
        assert_eq!(month_year("").unwrap(), None);
        for bad in ["Aug-26", "Mar 15", "Foo 2015", "13/2015", "Mar 2015 x", "Ma 2015"] {
            assert!(month_year(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_dineshbarri_export_imports_every_row() {
        let imported = parse(&real("dineshbarri")).unwrap();
        assert_eq!(imported.courses.len(), 22);
        let c = &imported.courses[0].record;
        assert_eq!(c.title, "Advanced Level Codechef Certified Data Structures and Algorithm Programme (CCDSAP)");
        assert_eq!(c.institution.as_deref(), Some("CodeChef"));
        assert_eq!(c.attestation.as_ref().unwrap().issued_on.unwrap().to_string(), "2019-02-01");
        // A quoted name with a comma; an IBM course on Coursera (platform read from the URL).
        let python = &imported.courses[9];
        assert_eq!(python.at, "line 11");
        assert_eq!(python.record.title, "Python for Data Science, AI & Development");
        assert_eq!(python.record.institution.as_deref(), Some("IBM"));
        assert_eq!(python.record.platform.as_deref(), Some("Coursera"));
        let att = python.record.attestation.as_ref().unwrap();
        assert_eq!(att.credential_id.as_deref(), Some("TU54AX2E1O17"));
        assert_eq!(att.url.as_deref(), Some("https://www.coursera.org/account/accomplishments/records/TU54AX2E1O17"));
        // Authority "Coursera" is the platform, not an institution.
        let regression = &imported.courses[5].record;
        assert_eq!((regression.platform.as_deref(), regression.institution.as_deref()), (Some("Coursera"), None));
        // The trailing space in a name is not kept; a Credly link is a badge.
        let last = &imported.courses[21].record;
        assert_eq!(last.title, "Prepare Data for ML APIs on Google Cloud");
        assert_eq!(last.attestation.as_ref().unwrap().kind, Some(crate::domain::AttestationKind::Badge));
        // An empty date stays empty.
        assert_eq!(imported.courses[17].record.attestation.as_ref().unwrap().issued_on, None);
    }

    #[test]
    fn the_other_real_exports_import() {
        let oracle = parse(&real("jayaprakash")).unwrap();
        assert_eq!(oracle.courses.len(), 2);
        let c = &oracle.courses[0].record;
        assert_eq!(c.title, "Oracle Cloud Infrastructure 2025 Certified Generative AI Professional");
        assert_eq!(c.institution.as_deref(), Some("Oracle"));
        assert!(c.attestation.as_ref().unwrap().url.as_deref().unwrap().contains("sharebadge?id=8B91"));
        let bsd = parse(&real("bsdpunk")).unwrap();
        let titles: Vec<_> = bsd.courses.iter().map(|c| c.record.title.as_str()).collect();
        assert_eq!(titles, ["Comptia A+", "Network+", "Microsoft Certified Professional"]);
        assert_eq!(bsd.courses[2].record.institution.as_deref(), Some("Microsoft"));
        assert!(bsd.courses.iter().all(|c| c.record.is_certified() && c.record.validate("").is_ok()));
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        assert_eq!(one(",,CompTIA,,,").unwrap_err().path, "line 2, column Name");
        let err = one("A,javascript:alert(1),X,,,").unwrap_err();
        assert_eq!(err.path, "line 2, column Url");
        assert_eq!(one("A,www.example.org,X,,,").unwrap_err().path, "line 2, column Url");
        assert_eq!(one("A,,X,Aug-26,,").unwrap_err().path, "line 2, column Started On");
        assert_eq!(one("A,,X,Mar 2020,Jan 2019,").unwrap_err().path, "line 2, column Finished On");
        assert_eq!(one(&format!("{},,X,,,", "x".repeat(400))).unwrap_err().path, "line 2, column Name");
        assert_eq!(one("A,,X,,").unwrap_err().path, "line 2");
        let err = parse(format!("{HEADER}A,,X,Mar 2020,,\nA,,X,Apr 2020,,\n").as_bytes()).unwrap_err();
        assert_eq!(err.path, "line 3");
        assert!(err.message().contains("line 2"), "{}", err.message());
        assert!(parse(HEADER.as_bytes()).is_err());
    }

    #[test]
    fn expiry_becomes_the_attestations_and_crlf_and_bom_are_read() {
        let text =
            format!("\u{feff}{}A,,X,Mar 2020,Mar 2023,\r\nA,,X,Mar 2020,Mar 2023,\r\n", HEADER.replace('\n', "\r\n"));
        let imported = parse(text.as_bytes()).unwrap();
        assert_eq!(imported.courses.len(), 1, "a row repeated word for word is read once");
        let att = imported.courses[0].record.attestation.as_ref().unwrap();
        assert_eq!(att.expires_on.map(|d| d.to_string()).as_deref(), Some("2023-03-01"));
        assert_eq!(imported.courses[0].record.notes, None);
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        for bad in [
            b"Name,Url\n".to_vec(),
            format!("{HEADER}\"unterminated").into_bytes(),
            [HEADER.as_bytes(), b"A,\xff\xfe,X,,,\n"].concat(),
            [HEADER.as_bytes(), b"\xff,,,,,\n"].concat(),
            b"\"".to_vec(),
        ] {
            assert!(parse(&bad).is_err(), "{}", String::from_utf8_lossy(&bad));
        }
        let many = format!("{HEADER}{}", (0..=MAX_ROWS).map(|i| format!("c{i},,X,,,\n")).collect::<String>());
        assert!(parse(many.as_bytes()).unwrap_err().message().contains("more than"));
    }
}
