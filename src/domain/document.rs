//! The portfolio document, version 1 (`CONTRACT.md`): one JSON file holding a learner and
//! their courses. Import, export and offline rendering read and write it.
//!
//! Parsing is strict: an unknown field is an error naming its path, because a typo
//! (`"finshed_on"`) must never silently lose data.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::course::str_enum;
use super::problem::{JsonFault, JsonKind, Problem};
use super::text::{MAX_NAME, MAX_TITLE, check_line};
use super::{CourseRecord, Email, IsoDate, ValidationError};

/// The only document version this build reads and writes.
pub const DOCUMENT_VERSION: u32 = 1;
/// More courses than anyone takes in a lifetime, few enough to import in one transaction.
pub const MAX_COURSES: usize = 5000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The document format version; must be 1.
    #[schema(example = 1, minimum = 1, maximum = 1)]
    pub certfolio: u32,
    pub learner: LearnerRecord,
    #[serde(default)]
    #[schema(max_items = 5000)]
    pub courses: Vec<CourseRecord>,
    /// Portfolios the learner keeps (issue 12), naming courses by their place in `courses`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 100)]
    pub portfolios: Vec<super::saved::DocumentPortfolio>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LearnerRecord {
    #[schema(
        example = "Camille Lefèvre",
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 300,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub headline: Option<String>,
    /// A contact address shown on the portfolio (not necessarily the login email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 254,
        pattern = "^[^@\\s<>\\u0000-\\u001F\\u007F-\\u009F]{1,64}@[^@\\s<>.\\u0000-\\u001F\\u007F-\\u009F-]([^@\\s<>\\u0000-\\u001F\\u007F-\\u009F]*[^@\\s<>.\\u0000-\\u001F\\u007F-\\u009F-])?\\.[^@\\s<>.\\u0000-\\u001F\\u007F-\\u009F-]+$"
    )]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub situation: Option<Situation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

/// The learner's situation, one of the dimensions of the registers of use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    Student,
    JobSeeker,
    Employed,
    Independent,
    Retired,
}

str_enum!(Situation {
    Student => "student", JobSeeker => "job_seeker", Employed => "employed",
    Independent => "independent", Retired => "retired",
});

/// The languages certfolio writes portfolios in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

str_enum!(Lang { Fr => "fr", En => "en" });

impl LearnerRecord {
    /// A learner with only a name: what a record built from another tool's list starts from.
    pub fn named(name: impl Into<String>) -> Self {
        LearnerRecord { name: name.into(), headline: None, email: None, location: None, situation: None, lang: None }
    }

    pub fn validate(&self, prefix: &str) -> Result<(), ValidationError> {
        let at = |field: &str| super::join(prefix, field);
        check_line(&at("name"), &self.name, MAX_NAME)?;
        if let Some(v) = &self.headline {
            check_line(&at("headline"), v, MAX_TITLE)?;
        }
        if let Some(v) = &self.email {
            Email::parse(v).map_err(|p| ValidationError::new(at("email"), p))?;
        }
        if let Some(v) = &self.location {
            check_line(&at("location"), v, MAX_NAME)?;
        }
        Ok(())
    }
}

impl Document {
    /// Every rule of the contract, checked before anything is stored. Two courses with the
    /// same identity in one document are refused: which of the two should win is not ours to
    /// guess.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.certfolio != DOCUMENT_VERSION {
            let problem = Problem::UnsupportedVersion { version: self.certfolio, supported: DOCUMENT_VERSION };
            return Err(ValidationError::new("certfolio", problem));
        }
        self.learner.validate("learner")?;
        if self.courses.len() > MAX_COURSES {
            let problem = Problem::TooManyCourses { count: self.courses.len(), max: MAX_COURSES };
            return Err(ValidationError::new("courses", problem));
        }
        let mut seen = std::collections::HashMap::new();
        for (i, course) in self.courses.iter().enumerate() {
            course.validate(&format!("courses[{i}]"))?;
            if let Some(first) = seen.insert(course.identity(), i) {
                let problem = Problem::RepeatsCourse { first: format!("courses[{first}]") };
                return Err(ValidationError::new(format!("courses[{i}]"), problem));
            }
        }
        if self.portfolios.len() > super::saved::MAX_SAVED {
            return Err(ValidationError::new(
                "portfolios",
                Problem::TooManyPortfolios { max: super::saved::MAX_SAVED },
            ));
        }
        let mut names = std::collections::HashMap::new();
        for (i, p) in self.portfolios.iter().enumerate() {
            let at = format!("portfolios[{i}]");
            p.validate(&at, |place| place < self.courses.len())?;
            if let Some(first) = names.insert(p.name.trim().to_owned(), i) {
                let problem = Problem::RepeatsPortfolioName { first: format!("portfolios[{first}]") };
                return Err(ValidationError::new(format!("{at}.name"), problem));
            }
        }
        Ok(())
    }
}

/// Parses and validates a document from raw JSON. Errors name the JSON path of the problem:
/// `courses[3].colour: unknown field`.
/// A UTF-8 byte-order mark (Windows Notepad writes one) is skipped, as every other importer does.
pub fn parse_document(bytes: &[u8]) -> Result<Document, ValidationError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Document = parse_strict(bytes)?;
    doc.validate()?;
    Ok(doc)
}

/// Deserialises JSON into `T`, turning serde's error into a [`ValidationError`] whose path
/// names the offending value (including the name of an unknown or missing field) and whose
/// problem says what is wrong with it.
pub fn parse_strict<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ValidationError> {
    // Parsed to a tree first: it rejects trailing garbage and nesting deeper than 128 levels,
    // and lets `check_objects` see the shape before serde fills any struct.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| invalid_json(&e))?;
    if !value.is_object() {
        return Err(ValidationError::new("", Problem::BodyNotObject));
    }
    check_objects(&value, "")?;
    let err = match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(parsed) => return Ok(parsed),
        Err(err) => err,
    };
    let at = value_at(&value, err.path());
    let mut path = err.path().to_string();
    if path == "." {
        path.clear();
    }
    let message = err.into_inner().to_string();
    let (problem, field) = serde_problem(&message, at);
    if let Some(field) = field
        && !path.ends_with(field)
    {
        path = super::join(&path, field);
    }
    Err(ValidationError::new(path, problem))
}

/// The value a serde path points at in the tree it was read from.
fn value_at<'v>(root: &'v serde_json::Value, path: &serde_path_to_error::Path) -> Option<&'v serde_json::Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(root, |v, segment| match segment {
        Segment::Seq { index } => v.get(index),
        Segment::Map { key } => v.get(key.as_str()),
        Segment::Enum { .. } | Segment::Unknown => Some(v),
    })
}

/// serde's message as a problem, and the name of the field it is about when the message names
/// one the path does not (an unknown or missing field). Our one custom error (a date) is found
/// again by reading the value itself with its own parser.
fn serde_problem<'m>(message: &'m str, value: Option<&serde_json::Value>) -> (Problem, Option<&'m str>) {
    let short = |s: &str| super::text::excerpt(s).into_owned();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = named_then_list(rest);
        return (Problem::UnknownField { field: short(field), expected }, Some(field));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.strip_suffix('`').unwrap_or(rest);
        return (Problem::MissingField { field: short(field) }, Some(field));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (variant, expected) = named_then_list(rest);
        return (Problem::UnknownVariant { value: short(variant), expected }, None);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((_, wanted)) = rest.rsplit_once(", expected ")
        && let Some(expected) = json_kind(wanted)
    {
        return (Problem::WrongType { expected }, None);
    }
    if message == super::skill::NOT_A_SKILL {
        return (Problem::NotASkill, None);
    }
    if let Some(serde_json::Value::String(s)) = value
        && let Err(problem) = IsoDate::parse(s)
    {
        return (problem, None);
    }
    (Problem::Invalid { detail: message.to_owned() }, None)
}

/// `NAME`, expected one of `a`, `b`` (serde's unknown field or variant, after its opening
/// backtick) as the name and the list. The name is the user's and may hold anything, so it
/// ends at the last "`, expected" or "`, there are no": the listed names are ours.
fn named_then_list(rest: &str) -> (&str, Vec<String>) {
    let end = rest.rfind("`, expected ").or_else(|| rest.rfind("`, there are no")).unwrap_or(rest.len());
    let name = &rest[..end];
    let list = rest.get(end..).unwrap_or("");
    let expected = list.split('`').skip(2).step_by(2).filter(|n| !n.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    // `list` starts with the name's closing backtick: the names are every other piece from
    // the third on.
    (name, expected)
}

/// What serde expected, as a JSON kind: `a string`, `u32`, `f64`, `a boolean`, `a sequence`,
/// `struct CourseRecord`.
fn json_kind(expected: &str) -> Option<JsonKind> {
    let e = expected.trim();
    Some(match e {
        _ if e.contains("string") => JsonKind::Text,
        _ if e.contains("bool") => JsonKind::Boolean,
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" | "integer" => JsonKind::WholeNumber,
        "f32" | "f64" | "number" => JsonKind::Number,
        _ if e.contains("sequence") || e.contains("array") => JsonKind::List,
        _ if e.starts_with("struct") || e.contains("map") => JsonKind::Object,
        _ => return None,
    })
}

/// How deep serde_json nests before it gives up (its fixed recursion limit).
pub const MAX_JSON_DEPTH: usize = 128;

/// What is wrong with some JSON, in English (the proof module's errors quote it): nesting past
/// serde_json's limit is said in words ("recursion limit exceeded" names serde's problem, not
/// the file's); anything else is serde's own message, which gives line and column.
pub fn json_problem(e: &serde_json::Error) -> String {
    crate::i18n::json_fault(super::Lang::En, &JsonFault::of(e))
}

/// A JSON syntax error as a validation error of the whole file.
pub fn invalid_json(e: &serde_json::Error) -> ValidationError {
    ValidationError::new("", Problem::InvalidJson(JsonFault::of(e)))
}

/// serde also accepts a struct written as an array of its field values in declaration order
/// (`"attestation": ["badge", "2015-05-02"]`). Nobody means that, and reading it positionally
/// would file values under fields nobody named, so the objects of our formats must be objects.
fn check_objects(value: &serde_json::Value, path: &str) -> Result<(), ValidationError> {
    use serde_json::Value;
    let not_object = |p: String| ValidationError::new(p, Problem::MustBeObject);
    if let Value::Object(map) = value {
        for (key, child) in map {
            let at = super::join(path, key);
            match (key.as_str(), child) {
                ("learner" | "attestation", Value::Array(_)) => return Err(not_object(at)),
                ("courses", Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let at = format!("{at}[{i}]");
                        if !item.is_object() {
                            return Err(not_object(at));
                        }
                        check_objects(item, &at)?;
                    }
                }
                _ => check_objects(child, &at)?,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "certfolio": 1,
      "learner": {"name": "Camille Lefèvre", "headline": "Développeuse web", "email": "c@example.org",
                  "location": "Nancy, France", "situation": "job_seeker", "lang": "fr"},
      "courses": [{
        "title": "Gestion de projet", "platform": "FUN-MOOC", "institution": "Centrale Lille",
        "field": "management", "themes": ["project management"], "language": "fr",
        "started_on": "2015-02-01", "finished_on": "2015-04-28", "hours": 20,
        "follow_mode": "prescribed", "outcome": "completed", "motive": "required by job offers",
        "prior_mastery": false,
        "attestation": {"kind": "achievement", "issued_on": "2015-05-02", "credential_id": "FUN-8B9D2434",
                        "url": "https://example.org/verify/8b9d2434", "grade": "92/100", "ects": null}
      }]
    }"#;

    #[test]
    fn the_contract_example_parses() {
        let doc = parse_document(SAMPLE.as_bytes()).unwrap();
        assert_eq!(doc.courses[0].hours, Some(20.0));
        assert_eq!(doc.learner.situation, Some(Situation::JobSeeker));
    }

    #[test]
    fn an_unknown_field_is_named_with_its_path() {
        let bad = SAMPLE.replace(r#""field": "management""#, r#""field": "management", "colour": "red""#);
        let err = parse_document(bad.as_bytes()).unwrap_err();
        assert_eq!(err.path, "courses[0].colour");
        assert!(err.message().contains("unknown field"), "{}", err.message());
    }

    #[test]
    fn a_bad_enum_names_the_field_and_the_choices() {
        let bad = SAMPLE.replace(r#""outcome": "completed""#, r#""outcome": "finished""#);
        let err = parse_document(bad.as_bytes()).unwrap_err();
        assert_eq!(err.path, "courses[0].outcome");
        assert!(err.message().contains("in_progress"), "{}", err.message());
    }

    #[test]
    fn a_bad_date_is_named() {
        let bad = SAMPLE.replace("2015-04-28", "28/04/2015");
        let err = parse_document(bad.as_bytes()).unwrap_err();
        assert_eq!(err.path, "courses[0].finished_on");
    }

    #[test]
    fn only_version_1_is_read() {
        let bad = SAMPLE.replace(r#""certfolio": 1"#, r#""certfolio": 2"#);
        assert_eq!(parse_document(bad.as_bytes()).unwrap_err().path, "certfolio");
    }

    #[test]
    fn duplicate_courses_in_one_document_are_refused() {
        let mut doc = parse_document(SAMPLE.as_bytes()).unwrap();
        doc.courses.push(doc.courses[0].clone());
        assert_eq!(doc.validate().unwrap_err().path, "courses[1]");
    }

    #[test]
    fn deep_or_broken_json_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000);
        assert!(parse_document(deep.as_bytes()).is_err());
        assert!(parse_document(b"{\"certfolio\": 1,").is_err());
        assert!(parse_document(b"{\"certfolio\":1,\"learner\":{\"name\":\"x\"}} trailing").is_err());
        assert_eq!(parse_document(b"[1, {}]").unwrap_err().path, "");
    }

    /// `detect` skipped a byte-order mark and said "portfolio document", then this parser
    /// choked on the mark: a document saved by Windows Notepad could not be imported.
    #[test]
    fn a_byte_order_mark_is_skipped() {
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), SAMPLE.as_bytes()].concat();
        assert_eq!(parse_document(&with_bom).unwrap(), parse_document(SAMPLE.as_bytes()).unwrap());
        assert!(parse_document(&[b"\xEF\xBB\xBF".as_slice(), &with_bom].concat()).is_err(), "one mark, not two");
    }

    #[test]
    fn nesting_too_deep_is_said_in_words() {
        let deep = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
        let err = parse_document(deep.as_bytes()).unwrap_err();
        assert_eq!(err.path, "");
        assert!(err.message().starts_with("invalid JSON: nested more than 128 levels deep (line 1, column"), "{err}");
        let fine =
            format!(r#"{{"certfolio": 1, "learner": {{"name": "x"}}, "z": {}1{}}}"#, "[".repeat(120), "]".repeat(120));
        assert!(!parse_document(fine.as_bytes()).unwrap_err().message().contains("nested"));
    }

    #[test]
    fn records_written_as_arrays_are_refused() {
        let positional = SAMPLE.replace(r#""attestation": {"kind""#, r#""attestation": ["badge"], "x": {"kind""#);
        assert_eq!(parse_document(positional.as_bytes()).unwrap_err().path, "courses[0].attestation");
        let err = parse_document(br#"{"certfolio": 1, "learner": ["Camille"]}"#).unwrap_err();
        assert_eq!(err.path, "learner");
        let err =
            parse_document(br#"{"certfolio": 1, "learner": {"name": "C"}, "courses": [["Gestion"]]}"#).unwrap_err();
        assert_eq!(err.path, "courses[0]");
    }
}
