//! The generic CSV: one course per row, the header row naming document fields (README,
//! "Import and export"). Comma-separated, or semicolon-separated as French spreadsheets write;
//! UTF-8, with or without a byte-order mark.
//!
//! Export writes the same format, so a file exported can be edited in a spreadsheet and
//! imported back, and export → import gives back exactly the same courses. Cells that a
//! spreadsheet would run as a formula are written with a leading `'` (OWASP "CSV injection");
//! so are cells that import would otherwise read differently: one that itself starts with `'`
//! (else `'=1` and `=1` would come back the same), or starts or ends with white space (import
//! trims cells typed by hand). Import removes exactly that one `'` again (see [`guard`] and
//! [`unguard`], each the other's inverse).

use super::detect::strip_bom;
use super::{Collector, Format, Imported, ImportedCourse, MAX_ROWS};
use crate::domain::problem::{Expected, Noun, Problem, at_cell, at_line};
use crate::domain::text::excerpt;
use crate::domain::{
    AttestationKind, AttestationRecord, CourseRecord, Document, FollowMode, IsoDate, Outcome, ValidationError,
};

/// Every column, in the order export writes them. `certified` (yes/no) keeps a course whose
/// attestation has no details apart from one with none.
pub const COLUMNS: [&str; 23] = [
    "title",
    "platform",
    "institution",
    "field",
    "themes",
    "skills",
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
    "expires_on",
    "credential_id",
    "url",
    "grade",
    "ects",
];

/// Columns describing the attestation: any of them filled means the course is certified.
const ATTESTATION_COLUMNS: [&str; 7] =
    ["attestation_kind", "issued_on", "expires_on", "credential_id", "url", "grade", "ects"];

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
    let problem = match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Problem::CellCount {
            cells: usize::try_from(*len).unwrap_or(usize::MAX),
            header: usize::try_from(*expected_len).unwrap_or(usize::MAX),
        },
        _ => Problem::NotCsv { detail: e.to_string() },
    };
    ValidationError::new(at_line(line), problem)
}

/// The row's cells as trimmed UTF-8 strings; invalid UTF-8 is an error naming the cell.
pub(crate) fn cells(record: &::csv::ByteRecord, header: &[&str], line: u64) -> Result<Vec<String>, ValidationError> {
    let mut cells = untrimmed_cells(record, header, line)?;
    for cell in &mut cells {
        *cell = cell.trim().to_owned();
    }
    Ok(cells)
}

/// The row's cells exactly as written (the generic CSV trims them itself: see [`unguard`]).
fn untrimmed_cells(record: &::csv::ByteRecord, header: &[&str], line: u64) -> Result<Vec<String>, ValidationError> {
    if record.len() != header.len() {
        return Err(ValidationError::new(
            at_line(line),
            Problem::CellCount { cells: record.len(), header: header.len() },
        ));
    }
    record
        .iter()
        .zip(header)
        .map(|(cell, column)| {
            std::str::from_utf8(cell)
                .map(str::to_owned)
                .map_err(|_| ValidationError::new(at_cell(line, column), Problem::NotUtf8Cell))
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
        None => return Err(ValidationError::new(at_line(1), Problem::FileEmpty)),
    };
    let header = header(&header_record)?;
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut courses = Collector::new(Noun::Course);
    for record in records {
        let record = record.map_err(|e| read_error(&e))?;
        let line = record.position().map_or(0, ::csv::Position::line);
        if courses.len() >= MAX_ROWS {
            return Err(ValidationError::new(
                at_line(line),
                Problem::TooManyRows { max: MAX_ROWS, noun: Noun::Course },
            ));
        }
        let cells = untrimmed_cells(&record, &names, line)?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let course = row(&names, &cells, line)?;
        courses.push(ImportedCourse { at: at_line(line), record: course })?;
    }
    if courses.is_empty() {
        return Err(ValidationError::new(at_line(2), Problem::NoRows { noun: Noun::Course }));
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
                at_cell(1, &shown),
                Problem::UnknownColumn { column: shown.clone(), columns: &COLUMNS },
            ));
        }
        if names.contains(&name) {
            return Err(ValidationError::new(at_cell(1, &name), Problem::RepeatedColumn));
        }
        names.push(name);
    }
    if !names.iter().any(|n| n == "title") {
        return Err(ValidationError::new(at_line(1), Problem::NoTitleColumn));
    }
    Ok(names)
}

/// A cell as export wrote it: one leading `'` removed when what follows is something
/// [`guard`] puts a `'` before, kept as typed otherwise (`'Tis` stays `'Tis`); a cell without
/// that guard is trimmed, as hand-typed cells often carry stray spaces.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell.trim(),
    }
}

fn row(names: &[&str], cells: &[String], line: u64) -> Result<CourseRecord, ValidationError> {
    let at = |column: &str| at_cell(line, column);
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
        let bad = |expected: Expected| {
            ValidationError::new(at(name), Problem::NotA { value: excerpt(value).into_owned(), expected })
        };
        let date = || IsoDate::parse(value).map(Some).map_err(|p| ValidationError::new(at(name), p));
        has_attestation_cell |= ATTESTATION_COLUMNS.contains(name);
        match *name {
            "title" => course.title = value.to_owned(),
            "platform" => course.platform = text(),
            "institution" => course.institution = text(),
            "field" => course.field = text(),
            "themes" => course.themes = read_themes(value),
            "skills" => course.skills = read_skills(value).ok_or_else(|| bad(Expected::Skills))?,
            "language" => course.language = text(),
            "started_on" => course.started_on = date()?,
            "finished_on" => course.finished_on = date()?,
            "hours" => course.hours = Some(number(value).ok_or_else(|| bad(Expected::Hours))?),
            "follow_mode" => {
                course.follow_mode =
                    Some(FollowMode::from_str_opt(value).ok_or_else(|| bad(Expected::OneOf(FollowMode::NAMES)))?);
            }
            "outcome" => {
                course.outcome =
                    Some(Outcome::from_str_opt(value).ok_or_else(|| bad(Expected::OneOf(Outcome::NAMES)))?);
            }
            "motive" => course.motive = text(),
            "notes" => course.notes = text(),
            "prior_mastery" => course.prior_mastery = Some(yes_no(value).ok_or_else(|| bad(Expected::YesNo))?),
            "certified" => certified = Some(yes_no(value).ok_or_else(|| bad(Expected::YesNo))?),
            "attestation_kind" => {
                attestation.kind = Some(
                    AttestationKind::from_str_opt(value).ok_or_else(|| bad(Expected::OneOf(AttestationKind::NAMES)))?,
                );
            }
            "issued_on" => attestation.issued_on = date()?,
            "expires_on" => attestation.expires_on = date()?,
            "credential_id" => attestation.credential_id = text(),
            "url" => attestation.url = text(),
            "grade" => attestation.grade = text(),
            "ects" => attestation.ects = Some(number(value).ok_or_else(|| bad(Expected::Ects))?),
            _ => {}
        }
    }
    if course.title.is_empty() {
        return Err(ValidationError::new(at("title"), Problem::MissingTitle));
    }
    match (certified, has_attestation_cell) {
        (Some(false), true) => {
            return Err(ValidationError::new(at("certified"), Problem::CertifiedNoButDetails));
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
        ValidationError::new(at(column), e.problem)
    })?;
    Ok(course)
}

/// The themes as separated by `;` (`python; data`), or as the JSON array export writes when
/// `;` cannot carry them (see [`themes_cell`]).
fn read_themes(value: &str) -> Vec<String> {
    if value.starts_with('[')
        && let Ok(themes) = serde_json::from_str::<Vec<String>>(value)
    {
        return themes;
    }
    value.split(';').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Skills as separated by `;` (`SQL; Python`), or the JSON array export writes when a skill
/// has a framework URI or `;` cannot carry them; `None` for a JSON array that is not skills.
fn read_skills(value: &str) -> Option<Vec<crate::domain::skill::Skill>> {
    if value.starts_with('[') {
        return serde_json::from_str(value).ok();
    }
    Some(read_themes(value).into_iter().map(crate::domain::skill::Skill::named).collect())
}

/// The skills cell: names joined like themes, or a JSON array when a skill has a URI or a
/// name the plain form would not read back.
fn skills_cell(skills: &[crate::domain::skill::Skill]) -> String {
    let names: Vec<String> = skills.iter().map(|s| s.name.clone()).collect();
    let plain = skills.iter().all(|s| s.uri.is_none()) && !themes_cell(&names).starts_with('[');
    if plain { themes_cell(&names) } else { serde_json::to_string(skills).unwrap_or_default() }
}

/// The themes cell: `python; data`, readable and editable in a spreadsheet; but a JSON array
/// (`["a;b"," c"]`) when that form would not read back the same themes: a theme holding `;`,
/// with outer white space, or empty, or a first theme starting with `[` (which import takes
/// for the JSON form).
fn themes_cell(themes: &[String]) -> String {
    let plain = themes.iter().all(|t| !t.is_empty() && !t.contains(';') && t.trim() == t)
        && !themes.first().is_some_and(|t| t.starts_with('['));
    if plain { themes.join("; ") } else { serde_json::to_string(themes).unwrap_or_default() }
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
/// Importing it gives back the same courses, value for value (the badge payload aside: the
/// CSV has no column for it, and importing onto the record keeps the one stored).
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

/// A cell as export writes it: with a leading `'` when a spreadsheet would run it as a formula,
/// or when import would not read it back as it is (it starts with `'`, or has outer white space).
fn guard(cell: &str) -> String {
    if needs_guard(cell) { format!("'{cell}") } else { cell.to_owned() }
}

fn needs_guard(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS)
        || cell.starts_with('\'')
        || cell.starts_with(char::is_whitespace)
        || cell.ends_with(char::is_whitespace)
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
        themes_cell(&c.themes),
        skills_cell(&c.skills),
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
        d(a.and_then(|a| a.expires_on)),
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

    /// Values that a CSV round trip can get wrong: the guard character itself, once or several
    /// times, before and after formula characters, outer white space, quotes, separators,
    /// brackets (the themes' JSON form), non-ASCII and invisible characters.
    const TRICKY: [&str; 40] = [
        "'",
        "''",
        "'''",
        "'=1+1 quoted",
        "''=1+1",
        "'''quoted'''",
        "'Tis the season",
        "it's",
        "=1+1",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+33 6 12 34 56 78",
        "-2 ans",
        "@admin",
        "'@admin",
        "'-",
        "=",
        "+",
        "-",
        "@",
        " leading space",
        "trailing space ",
        "  both  ",
        "' ",
        " '",
        "'\u{a0}",
        "\u{a0}no-break space",
        "ideographic space\u{3000}",
        "\"quoted\"",
        "\"",
        "a,b;c",
        "; semicolon first",
        "[draft]",
        "[\"json\"]",
        "École — 日本語 🎓",
        "\u{feff}byte-order mark",
        "zero\u{200b}width",
        "ﬁ ligature",
        "x",
        "1",
        "yes",
    ];

    /// Paragraphs (motive, notes) may also hold tabs and line breaks, even at their ends.
    const TRICKY_PARAGRAPHS: [&str; 8] =
        ["\t=1+1", "\tindented", "two\nlines", "ends with a line break\n", "\r\nleading break", "'\t", "a\r", "=\n'"];

    fn round_trip(doc: &Document) -> Vec<CourseRecord> {
        let text = to_csv(doc);
        // No exported cell starts with a formula character, whatever the value.
        let mut reader = ::csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(FORMULA_STARTS), "unguarded cell {cell:?} in {text}");
            }
        }
        records(parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e} in {text}")))
    }

    /// Course by course, so that a failure shows the one course that came back different.
    fn assert_same(back: &[CourseRecord], sent: &[CourseRecord], case: &str) {
        assert_eq!(back.len(), sent.len(), "{case}");
        for (b, s) in back.iter().zip(sent) {
            assert_eq!(b, s, "{case}");
        }
    }

    fn attestation(c: &mut CourseRecord) -> &mut AttestationRecord {
        c.attestation.get_or_insert_with(AttestationRecord::default)
    }

    /// Issue 10: `'=1+1 quoted` came back `=1+1 quoted` (a duplicate at re-import). Every text
    /// column, set to every tricky value, comes back exactly as it was.
    #[test]
    fn every_text_value_survives_export_then_import() {
        type Set = fn(&mut CourseRecord, &str);
        let columns: [(&str, Set); 11] = [
            ("title", |c, v| c.title = v.into()),
            ("platform", |c, v| c.platform = Some(v.into())),
            ("institution", |c, v| c.institution = Some(v.into())),
            ("field", |c, v| c.field = Some(v.into())),
            ("themes", |c, v| c.themes = vec![v.into()]),
            ("themes (first of two)", |c, v| c.themes = vec![v.into(), "data".into()]),
            ("themes (second of two)", |c, v| c.themes = vec!["data".into(), v.into()]),
            ("motive", |c, v| c.motive = Some(v.into())),
            ("notes", |c, v| c.notes = Some(v.into())),
            ("credential_id", |c, v| attestation(c).credential_id = Some(v.into())),
            ("grade", |c, v| attestation(c).grade = Some(v.into())),
        ];
        let base = doc24();
        let mut tested = 0;
        for (column, set) in columns {
            let paragraphs = if matches!(column, "motive" | "notes") { &TRICKY_PARAGRAPHS[..] } else { &[] };
            for value in TRICKY.iter().chain(paragraphs) {
                let mut doc = base.clone();
                set(&mut doc.courses[0], value);
                set(&mut doc.courses[3], value);
                doc.validate().unwrap_or_else(|e| panic!("{column}: {value:?}: {e}"));
                assert_same(&round_trip(&doc), &doc.courses, &format!("{column}: {value:?}"));
                tested += 1;
            }
        }
        assert_eq!(tested, 11 * TRICKY.len() + 2 * TRICKY_PARAGRAPHS.len());
    }

    /// The same for values side by side (every column of a course tricky at once), the URL
    /// column (any http(s) URL the record accepts), empty values, and theme lists that `;`
    /// cannot carry.
    #[test]
    fn whole_tricky_courses_and_theme_lists_survive_export_then_import() {
        let mut doc = doc24();
        doc.courses.truncate(1);
        let mut empty = doc.courses[0].clone();
        empty.title = "only a title".into();
        (empty.platform, empty.institution, empty.field, empty.motive, empty.notes) = (None, None, None, None, None);
        empty.themes = vec![];
        empty.attestation = Some(AttestationRecord::default());
        doc.courses.push(empty);
        for (i, value) in TRICKY.iter().enumerate() {
            let mut c = doc.courses[0].clone();
            c.title = format!("{value}{i}");
            c.platform = Some((*value).into());
            c.institution = Some((*value).into());
            c.field = Some((*value).into());
            c.motive = Some(format!("{value}{}", TRICKY_PARAGRAPHS[i % TRICKY_PARAGRAPHS.len()]));
            c.notes = Some(format!("{}{value}", TRICKY_PARAGRAPHS[i % TRICKY_PARAGRAPHS.len()]));
            c.themes = vec![(*value).into(), TRICKY[(i + 1) % TRICKY.len()].into()];
            c.attestation = Some(AttestationRecord {
                credential_id: Some((*value).into()),
                grade: Some((*value).into()),
                url: Some(format!("https://example.org/verify?q={i}")),
                ..AttestationRecord::default()
            });
            doc.courses.push(c);
        }
        let theme_lists: [&[&str]; 7] = [
            &["a;b"],
            &["a; b", "c"],
            &[" padded", "padded "],
            &["[x]"],
            &["[\"x\"]", "y"],
            &["x", "[y"],
            &["'", "''"],
        ];
        for (i, themes) in theme_lists.iter().enumerate() {
            let mut c = doc.courses[0].clone();
            c.title = format!("themes {i}");
            c.themes = themes.iter().map(|t| (*t).to_owned()).collect();
            doc.courses.push(c);
        }
        let urls = [" https://example.org/lead", "https://example.org/trail ", "https://example.org/'=1"];
        for (i, url) in urls.iter().enumerate() {
            let mut c = doc.courses[0].clone();
            c.title = format!("url {i}");
            c.attestation = Some(AttestationRecord { url: Some((*url).into()), ..AttestationRecord::default() });
            doc.courses.push(c);
        }
        doc.validate().unwrap();
        assert_same(&round_trip(&doc), &doc.courses, "whole courses");
    }

    /// Cells typed by hand keep reading as before: trimmed, a `'` before a formula removed (as
    /// spreadsheets write text that looks like one), any other leading `'` kept.
    #[test]
    fn hand_typed_quotes_and_spaces_read_as_meant() {
        let text = "title,grade,notes,themes\n  Padded  ,'=A1, 'Tis ,\" a ; b \"\n'Tis,'+1,'',\n";
        let courses = records(parse(text.as_bytes()).unwrap());
        assert_eq!(courses[0].title, "Padded");
        assert_eq!(courses[0].attestation.as_ref().unwrap().grade.as_deref(), Some("=A1"));
        assert_eq!(courses[0].notes.as_deref(), Some("'Tis"));
        assert_eq!(courses[0].themes, ["a", "b"]);
        assert_eq!(courses[1].title, "'Tis");
        assert_eq!(courses[1].attestation.as_ref().unwrap().grade.as_deref(), Some("+1"));
        assert_eq!(courses[1].notes.as_deref(), Some("'"));
    }

    /// Found writing the fuzz contract: a refused value was quoted whole, so a 7 MiB cell came back
    /// as a 7 MiB error message (and API answer, and log line).
    #[test]
    fn a_refused_huge_cell_is_quoted_as_an_excerpt() {
        let huge = "9".repeat(7 << 20);
        for (header, column) in [("hours", "hours"), ("started_on", "started_on"), ("ects", "ects")] {
            let err = parse(format!("title,{header}\nA,{huge}\n").as_bytes()).unwrap_err();
            assert_eq!(err.path, format!("line 2, column {column}"));
            assert!(err.message().len() < 200, "{column}: {} bytes", err.message().len());
            assert!(err.message().starts_with(&format!("`{}…` is not", "9".repeat(60))), "{}", err.message());
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
            assert_eq!(err.path, path, "{text:?}: {}", err.message());
        }
        let err = parse(b"title,colour\nx,red\n").unwrap_err();
        assert!(err.message().contains("unknown column `colour`"), "{}", err.message());
    }

    #[test]
    fn multi_line_cells_report_the_line_the_row_starts_on() {
        let err = parse(b"title,notes,hours\nx,\"a\nb\nc\",1\ny,,nope\n").unwrap_err();
        assert_eq!(err.path, "line 5, column hours");
    }
}
