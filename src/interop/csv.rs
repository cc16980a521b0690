//! The generic CSV: one course per row, the header row naming document fields (README,
//! "Import and export"). Comma-separated, or semicolon-separated as French spreadsheets write;
//! UTF-8, with or without a byte-order mark.
//!
//! Export writes the same format, so a file exported can be edited in a spreadsheet and
//! imported back. Cells that a spreadsheet would run as a formula are written with a leading `'`
//! (OWASP "CSV injection"), which import removes again.

use super::detect::strip_bom;
use super::{Collector, Format, Imported, ImportedCourse, MAX_ROWS};
use crate::domain::text::excerpt;
use crate::domain::{
    AttestationKind, AttestationRecord, CourseRecord, Document, FollowMode, IsoDate, Outcome, ValidationError,
};

/// Every column, in the order export writes them. `certified` (yes/no) keeps a course whose
/// attestation has no details apart from one with none.
pub const COLUMNS: [&str; 21] = [
    "title",
    "platform",
    "institution",
    "field",
    "themes",
    "language",
    "started_on",
    "finished_on",
    "hours",
    "follow_mode",
    "outcome",
    "motive",
    "notes",
    "prior_mastery",
    "certified",
    "attestation_kind",
    "issued_on",
    "credential_id",
    "url",
    "grade",
    "ects",
];

/// Columns describing the attestation: any of them filled means the course is certified.
const ATTESTATION_COLUMNS: [&str; 6] = ["attestation_kind", "issued_on", "credential_id", "url", "grade", "ects"];

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub fn is_column(name: &str) -> bool {
    COLUMNS.contains(&name.trim().to_ascii_lowercase().as_str())
}

/// A semicolon when the header line has semicolons and no comma, else a comma.
pub fn delimiter(body: &[u8]) -> u8 {
    let first_line = body.split(|b| *b == b'\n').next().unwrap_or_default();
    if first_line.contains(&b';') && !first_line.contains(&b',') { b';' } else { b',' }
}

/// A CSV syntax error (unequal row lengths, mostly) as a located validation error.
pub(crate) fn read_error(e: &::csv::Error) -> ValidationError {
    let line = e.position().map_or(0, ::csv::Position::line);
    let message = match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} cells where the header has {expected_len}")
        }
        _ => format!("cannot be read as CSV: {e}"),
    };
    ValidationError::new(format!("line {line}"), message)
}

/// The row's cells as trimmed UTF-8 strings; invalid UTF-8 is an error naming the cell.
pub(crate) fn cells(record: &::csv::ByteRecord, header: &[&str], line: u64) -> Result<Vec<String>, ValidationError> {
    if record.len() != header.len() {
        return Err(ValidationError::new(
            format!("line {line}"),
            format!("has {} cells where the header has {}", record.len(), header.len()),
        ));
    }
    record
        .iter()
        .zip(header)
        .map(|(cell, column)| {
            std::str::from_utf8(cell).map(|s| s.trim().to_owned()).map_err(|_| {
                ValidationError::new(
                    format!("line {line}, column {column}"),
                    "is not UTF-8 text; save the file as UTF-8",
                )
            })
        })
        .collect()
}

/// Reads a generic CSV. Unknown or repeated columns, bad values and rows that break a rule
/// refuse the whole file, naming the line and the column.
pub fn parse(bytes: &[u8]) -> Result<Imported, ValidationError> {
    let body = strip_bom(bytes);
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(body)).from_reader(body);
    let mut records = reader.byte_records();
    let header_record = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(read_error(&e)),
        None => return Err(ValidationError::new("line 1", "the file is empty")),
    };
    let header = header(&header_record)?;
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut courses = Collector::new("course");
    for record in records {
        let record = record.map_err(|e| read_error(&e))?;
        let line = record.position().map_or(0, ::csv::Position::line);
        if courses.len() >= MAX_ROWS {
            return Err(ValidationError::new(
                format!("line {line}"),
                format!("more than {MAX_ROWS} courses in one file; split it"),
            ));
        }
        let cells = cells(&record, &names, line)?;
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let course = row(&names, &cells, line)?;
        courses.push(ImportedCourse { at: format!("line {line}"), record: course })?;
    }
    if courses.is_empty() {
        return Err(ValidationError::new("line 2", "the file has a header but no course"));
    }
    Ok(Imported { format: Format::Csv, learner: None, courses: courses.into_courses() })
}

fn header(record: &::csv::ByteRecord) -> Result<Vec<String>, ValidationError> {
    let mut names: Vec<String> = Vec::with_capacity(record.len());
    for cell in record {
        let name = String::from_utf8_lossy(cell).trim().to_ascii_lowercase();
        if !COLUMNS.contains(&name.as_str()) {
            let shown: String = name.chars().take(60).collect();
            return Err(ValidationError::new(
                format!("line 1, column {shown}"),
                format!("unknown column `{shown}`; the columns are: {}", COLUMNS.join(", ")),
            ));
        }
        if names.contains(&name) {
            return Err(ValidationError::new(format!("line 1, column {name}"), "this column appears twice"));
        }
        names.push(name);
    }
    if !names.iter().any(|n| n == "title") {
        return Err(ValidationError::new("line 1", "no `title` column; every course needs a title"));
    }
    Ok(names)
}

/// A cell as written by export: its formula guard removed.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

fn row(names: &[&str], cells: &[String], line: u64) -> Result<CourseRecord, ValidationError> {
    let at = |column: &str| format!("line {line}, column {column}");
    let mut course = super::certified(String::new());
    course.attestation = None;
    let mut attestation = AttestationRecord::default();
    let mut certified: Option<bool> = None;
    let mut has_attestation_cell = false;
    for (name, raw) in names.iter().zip(cells) {
        let value = unguard(raw);
        if value.is_empty() {
            continue;
        }
        let text = || Some(value.to_owned());
        let bad = |what: &str| ValidationError::new(at(name), format!("`{}` is not {what}", excerpt(value)));
        let date = || IsoDate::parse(value).map(Some).map_err(|m| ValidationError::new(at(name), m));
        has_attestation_cell |= ATTESTATION_COLUMNS.contains(name);
        match *name {
            "title" => course.title = value.to_owned(),
            "platform" => course.platform = text(),
            "institution" => course.institution = text(),
            "field" => course.field = text(),
            "themes" => {
                course.themes = value.split(';').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
            }
            "language" => course.language = text(),
            "started_on" => course.started_on = date()?,
            "finished_on" => course.finished_on = date()?,
            "hours" => course.hours = Some(number(value).ok_or_else(|| bad("a number of hours such as 20 or 1.5"))?),
            "follow_mode" => {
                course.follow_mode =
                    Some(FollowMode::from_str_opt(value).ok_or_else(|| bad("prescribed or selective"))?);
            }
            "outcome" => {
                course.outcome = Some(
                    Outcome::from_str_opt(value)
                        .ok_or_else(|| bad("completed, audited, disengaged, sampled or in_progress"))?,
                );
            }
            "motive" => course.motive = text(),
            "notes" => course.notes = text(),
            "prior_mastery" => course.prior_mastery = Some(yes_no(value).ok_or_else(|| bad("yes or no"))?),
            "certified" => certified = Some(yes_no(value).ok_or_else(|| bad("yes or no"))?),
            "attestation_kind" => {
                attestation.kind = Some(AttestationKind::from_str_opt(value).ok_or_else(|| {
                    bad("participation, completion, achievement, verified_certificate, badge or ects_credits")
                })?);
            }
            "issued_on" => attestation.issued_on = date()?,
            "credential_id" => attestation.credential_id = text(),
            "url" => attestation.url = text(),
            "grade" => attestation.grade = text(),
            "ects" => attestation.ects = Some(number(value).ok_or_else(|| bad("a number of ECTS credits"))?),
            _ => {}
        }
    }
    if course.title.is_empty() {
        return Err(ValidationError::new(at("title"), "is empty; every course needs a title"));
    }
    match (certified, has_attestation_cell) {
        (Some(false), true) => {
            return Err(ValidationError::new(
                at("certified"),
                "is `no` but the row has attestation details; say `yes` or empty those cells",
            ));
        }
        (Some(true), _) | (None, true) => course.attestation = Some(attestation),
        _ => {}
    }
    course.validate("").map_err(|e| {
        let field = e.path.strip_prefix("attestation.").unwrap_or(&e.path);
        let column = match field.split('[').next().unwrap_or(field) {
            "kind" => "attestation_kind",
            other => other,
        };
        ValidationError::new(at(column), e.message)
    })?;
    Ok(course)
}

/// `20`, `1.5`, or `1,5` as a French spreadsheet writes it.
fn number(value: &str) -> Option<f64> {
    value.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite())
}

fn yes_no(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "oui" => Some(true),
        "no" | "false" | "0" | "non" => Some(false),
        _ => None,
    }
}

/// The record as a generic CSV, one row per course in the record's order, every column.
/// A theme containing `;` cannot be told from two themes on import; themes are short labels
/// and none written by the web forms has one.
pub fn to_csv(doc: &Document) -> String {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    let rows = std::iter::once(COLUMNS.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>())
        .chain(doc.courses.iter().map(|c| cells_of(c).into_iter().map(|cell| guard(&cell)).collect()));
    for row in rows {
        // Writing to a Vec cannot fail; a failure would only lose this row, never panic.
        if writer.write_record(&row).is_err() {
            tracing::error!("CSV export: a row could not be written");
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn guard(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) { format!("'{cell}") } else { cell.to_owned() }
}

fn cells_of(c: &CourseRecord) -> Vec<String> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let d = |v: Option<IsoDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let n = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
    let yn = |v: Option<bool>| v.map(|b| if b { "yes" } else { "no" }.to_owned()).unwrap_or_default();
    let a = c.attestation.as_ref();
    vec![
        c.title.clone(),
        s(&c.platform),
        s(&c.institution),
        s(&c.field),
        c.themes.join("; "),
        s(&c.language),
        d(c.started_on),
        d(c.finished_on),
        n(c.hours),
        c.follow_mode.map(|m| m.as_str().to_owned()).unwrap_or_default(),
        c.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
        s(&c.motive),
        s(&c.notes),
        yn(c.prior_mastery),
        yn(Some(a.is_some())),
        a.and_then(|a| a.kind).map(|k| k.as_str().to_owned()).unwrap_or_default(),
        d(a.and_then(|a| a.issued_on)),
        a.map(|a| s(&a.credential_id)).unwrap_or_default(),
        a.map(|a| s(&a.url)).unwrap_or_default(),
        a.map(|a| s(&a.grade)).unwrap_or_default(),
        n(a.and_then(|a| a.ects)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_document;

    fn doc24() -> Document {
        parse_document(&std::fs::read(format!("{}/tests/fixtures/doc24.json", env!("CARGO_MANIFEST_DIR"))).unwrap())
            .unwrap()
    }

    fn records(imported: Imported) -> Vec<CourseRecord> {
        imported.courses.into_iter().map(|c| c.record).collect()
    }

    #[test]
    fn export_then_import_gives_back_every_course() {
        let doc = doc24();
        let text = to_csv(&doc);
        assert!(text.starts_with("title,platform,institution,field,themes,"), "{text}");
        assert_eq!(text.lines().count(), 25);
        assert_eq!(records(parse(text.as_bytes()).unwrap()), doc.courses);
    }

    #[test]
    fn tricky_values_survive_the_round_trip() {
        let mut doc = doc24();
        let c = &mut doc.courses[0];
        c.title = "=HYPERLINK(\"http://evil.example\",\"x\")".into();
        c.motive = Some("-2 ans\nligne deux, avec \"guillemets\"".into());
        c.notes = Some("@admin\tvoir".into());
        c.themes = vec!["python".into(), "données".into()];
        c.hours = Some(1.5);
        doc.courses[4].attestation = Some(AttestationRecord::default());
        let text = to_csv(&doc);
        assert!(text.contains("'=HYPERLINK"), "formula guarded: {text}");
        assert!(text.contains("\"'-2 ans"), "formula guarded: {text}");
        assert!(!text.lines().any(|l| l.starts_with('=') || l.starts_with("\"=")));
        assert_eq!(records(parse(text.as_bytes()).unwrap()), doc.courses);
    }

    /// Found writing the fuzz contract: a refused value was quoted whole, so a 7 MiB cell came back
    /// as a 7 MiB error message (and API answer, and log line).
    #[test]
    fn a_refused_huge_cell_is_quoted_as_an_excerpt() {
        let huge = "9".repeat(7 << 20);
        for (header, column) in [("hours", "hours"), ("started_on", "started_on"), ("ects", "ects")] {
            let err = parse(format!("title,{header}\nA,{huge}\n").as_bytes()).unwrap_err();
            assert_eq!(err.path, format!("line 2, column {column}"));
            assert!(err.message.len() < 200, "{column}: {} bytes", err.message.len());
            assert!(err.message.starts_with(&format!("`{}…` is not", "9".repeat(60))), "{}", err.message);
        }
    }

    #[test]
    fn a_hand_written_file_reads_with_few_columns() {
        let text = "\u{feff}Title;Hours;Themes;ects;prior_mastery\nGestion de projet;20,5;\"gestion ; agile\";2;oui\n\
                    Python;;;;\n;;;;\n";
        let courses = records(parse(text.as_bytes()).unwrap());
        assert_eq!(courses.len(), 2);
        assert_eq!(courses[0].hours, Some(20.5));
        assert_eq!(courses[0].themes, ["gestion", "agile"]);
        assert_eq!(courses[0].attestation.as_ref().unwrap().ects, Some(2.0));
        assert_eq!(courses[0].prior_mastery, Some(true));
        assert_eq!(courses[1].attestation, None);
    }

    #[test]
    fn bad_cells_are_named_by_line_and_column() {
        let cases = [
            ("title,colour\nx,red\n", "line 1, column colour"),
            ("title,title\nx,y\n", "line 1, column title"),
            ("platform\nx\n", "line 1"),
            ("title,hours\nx,lots\n", "line 2, column hours"),
            ("title,hours\nx,0\n", "line 2, column hours"),
            ("title,started_on\nx,01/02/2015\n", "line 2, column started_on"),
            ("title,outcome\nx,finished\n", "line 2, column outcome"),
            ("title,url\nx,javascript:alert(1)\n", "line 2, column url"),
            ("title,attestation_kind\nx,diploma\n", "line 2, column attestation_kind"),
            ("title,certified,grade\nx,no,A\n", "line 2, column certified"),
            ("title,started_on,finished_on\nx,2020-02-01,2020-01-01\n", "line 2, column finished_on"),
            ("title,language\nx,french\n", "line 2, column language"),
            ("title,hours\nx,1\ny\n", "line 3"),
            ("title,hours\n,3\n", "line 2, column title"),
            ("title,hours\nx,1\nx,2\n", "line 3"),
            ("title\n", "line 2"),
        ];
        for (text, path) in cases {
            let err = parse(text.as_bytes()).unwrap_err();
            assert_eq!(err.path, path, "{text:?}: {}", err.message);
        }
        let err = parse(b"title,colour\nx,red\n").unwrap_err();
        assert!(err.message.contains("unknown column `colour`"), "{}", err.message);
    }

    #[test]
    fn multi_line_cells_report_the_line_the_row_starts_on() {
        let err = parse(b"title,notes,hours\nx,\"a\nb\nc\",1\ny,,nope\n").unwrap_err();
        assert_eq!(err.path, "line 5, column hours");
    }
}
