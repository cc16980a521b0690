//! JSON Resume (jsonresume.org, schema v1.0.0 and v1.2.1): `certificates[]` items `{name, date,
//! issuer, url}` in, and the learner's `basics`. Every other section (work, education, …) is
//! not ours and is left alone; so are extra keys, which the schema allows on items.

use serde_json::{Map, Value, json};

use super::{Collector, Format, Imported, ImportedCourse, MAX_ROWS, certified, kind_from_url, partial_iso_date};
use crate::domain::problem::{Noun, Problem};
use crate::domain::text::excerpt;
use crate::domain::{CourseRecord, Document, Email, LearnerRecord, ValidationError};

pub fn parse(bytes: &[u8]) -> Result<Imported, ValidationError> {
    let root: Value = serde_json::from_slice(super::detect::strip_bom(bytes))
        .map_err(|e| crate::domain::document::invalid_json(&e))?;
    let Value::Object(root) = root else {
        return Err(ValidationError::new("", Problem::ResumeNotObject));
    };
    let learner = match root.get("basics") {
        None | Some(Value::Null) => None,
        Some(Value::Object(basics)) => learner(basics)?,
        Some(_) => return Err(ValidationError::new("basics", Problem::MustBeObject)),
    };
    let items = match root.get("certificates") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ValidationError::new("certificates", Problem::MustBeArray)),
    };
    if items.len() > MAX_ROWS {
        let problem = Problem::TooManyCertificates { count: items.len(), max: MAX_ROWS };
        return Err(ValidationError::new("certificates", problem));
    }
    let mut courses = Collector::new(Noun::Certificate);
    for (i, item) in items.iter().enumerate() {
        let at = format!("certificates[{i}]");
        let Value::Object(item) = item else {
            return Err(ValidationError::new(at, Problem::MustBeObject));
        };
        let record = certificate(item, &at)?;
        courses.push(ImportedCourse { at, record })?;
    }
    if courses.is_empty() {
        return Err(ValidationError::new("certificates", Problem::NoCertificate));
    }
    Ok(Imported { format: Format::JsonResume, learner, courses: courses.into_courses() })
}

/// A string member: absent, null and "" are all "not given" (the official samples write
/// `"image": ""`); any other type is an error naming it.
fn text<'a>(obj: &'a Map<String, Value>, key: &str, at: &str) -> Result<Option<&'a str>, ValidationError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim())),
        Some(_) => Err(ValidationError::new(format!("{at}.{key}"), Problem::MustBeString)),
    }
}

fn certificate(item: &Map<String, Value>, at: &str) -> Result<CourseRecord, ValidationError> {
    let field = |key: &str| format!("{at}.{key}");
    let name = text(item, "name", at)?
        .ok_or_else(|| ValidationError::new(field("name"), Problem::MissingName { noun: Noun::Certificate }))?;
    let mut course = certified(name.to_owned());
    let url = text(item, "url", at)?;
    let (platform, institution) = super::split_issuer(text(item, "issuer", at)?.unwrap_or_default());
    course.institution = institution;
    course.platform = platform.or_else(|| url.and_then(super::platform_from_url).map(str::to_owned));
    if let Some(attestation) = course.attestation.as_mut() {
        if let Some(date) = text(item, "date", at)? {
            attestation.issued_on = Some(partial_iso_date(date).ok_or_else(|| {
                ValidationError::new(field("date"), Problem::NotAPartialDate { value: excerpt(date).into_owned() })
            })?);
        }
        if let Some(url) = url {
            crate::domain::text::check_url(&field("url"), url).map_err(|e| {
                let value = excerpt(url).into_owned();
                ValidationError::new(e.path, Problem::ImportedLink { problem: Box::new(e.problem), value })
            })?;
            attestation.url = Some(url.to_owned());
            attestation.kind = kind_from_url(url);
        }
    }
    course.validate("").map_err(|e| {
        let key = match e.path.as_str() {
            "title" => "name",
            "platform" | "institution" => "issuer",
            "attestation.url" => "url",
            other => other,
        };
        ValidationError::new(field(key), e.problem)
    })?;
    Ok(course)
}

/// `basics` → the learner: name, label (as the headline), email and location.
fn learner(basics: &Map<String, Value>) -> Result<Option<LearnerRecord>, ValidationError> {
    let Some(name) = text(basics, "name", "basics")? else { return Ok(None) };
    let email = text(basics, "email", "basics")?
        .map(|e| Email::parse(e).map(|e| e.to_string()).map_err(|p| ValidationError::new("basics.email", p)))
        .transpose()?;
    let location = match basics.get("location") {
        Some(Value::Object(loc)) => {
            let mut parts = Vec::new();
            for key in ["city", "region", "countryCode"] {
                if let Some(v) = text(loc, key, "basics.location")? {
                    parts.push(v);
                }
            }
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        None | Some(Value::Null) => None,
        Some(_) => return Err(ValidationError::new("basics.location", Problem::MustBeObject)),
    };
    let record = LearnerRecord {
        name: name.to_owned(),
        headline: text(basics, "label", "basics")?.map(str::to_owned),
        email,
        location,
        situation: None,
        lang: None,
    };
    record.validate("").map_err(|e| {
        let key = if e.path == "headline" { "label" } else { e.path.as_str() };
        ValidationError::new(format!("basics.{key}"), e.problem)
    })?;
    Ok(Some(record))
}

/// The record as a JSON Resume: `basics` from the profile and one `certificates[]` item per
/// course with an attestation (courses without one are not certificates). The issuer is
/// "institution / platform", which import splits back.
pub fn to_json_resume(doc: &Document) -> Value {
    let l = &doc.learner;
    let mut basics = Map::new();
    basics.insert("name".into(), json!(l.name));
    if let Some(h) = &l.headline {
        basics.insert("label".into(), json!(h));
    }
    if let Some(e) = &l.email {
        basics.insert("email".into(), json!(e));
    }
    if let Some(loc) = &l.location {
        // A free-text place: JSON Resume's `address` is the free-text member of `location`.
        basics.insert("location".into(), json!({"address": loc}));
    }
    let certificates: Vec<Value> = doc
        .courses
        .iter()
        .filter_map(|c| {
            let a = c.attestation.as_ref()?;
            let mut item = Map::new();
            item.insert("name".into(), json!(c.title));
            if let Some(date) = a.issued_on.or(c.finished_on) {
                item.insert("date".into(), json!(date.to_string()));
            }
            if let Some(issuer) = super::join_issuer(c) {
                item.insert("issuer".into(), json!(issuer));
            }
            if let Some(url) = &a.url {
                item.insert("url".into(), json!(url));
            }
            Some(Value::Object(item))
        })
        .collect();
    let mut out = json!({"basics": basics, "certificates": certificates});
    // Skills: one entry per skill name (first spelling kept), its keywords the titles of the
    // courses that taught it, most taught first — what JSON Resume's `skills[]` is for.
    let mut skills: Vec<(String, String, Vec<String>)> = Vec::new();
    for c in &doc.courses {
        for skill in &c.skills {
            let key = crate::domain::text::normalize_name(&skill.name);
            match skills.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, courses)) => courses.push(c.title.clone()),
                None => skills.push((key, skill.name.clone(), vec![c.title.clone()])),
            }
        }
    }
    skills.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then_with(|| a.1.cmp(&b.1)));
    if !skills.is_empty() {
        out["skills"] = Value::Array(
            skills.into_iter().map(|(_, name, keywords)| json!({"name": name, "keywords": keywords})).collect(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real(name: &str) -> Vec<u8> {
        crate::interop::test_support::real(&format!("jsonresume/{name}"))
    }

    #[test]
    fn the_career_changer_sample_imports() {
        let imported = parse(&real("career-changer.resume.json")).unwrap();
        assert_eq!(imported.learner.as_ref().unwrap().name, "Daniel Reyes");
        assert_eq!(imported.learner.as_ref().unwrap().location.as_deref(), Some("Austin, Texas, US"));
        assert_eq!(imported.courses.len(), 3);
        let google = &imported.courses[0].record;
        assert_eq!(google.title, "Google Data Analytics Professional Certificate");
        assert_eq!((google.institution.as_deref(), google.platform.as_deref()), (Some("Google"), Some("Coursera")));
        assert_eq!(google.attestation.as_ref().unwrap().issued_on.unwrap().to_string(), "2024-05-01");
        let tableau = &imported.courses[2].record;
        assert_eq!((tableau.institution.as_deref(), tableau.platform.as_deref()), (Some("Tableau"), None));
    }

    #[test]
    fn the_complete_sample_imports() {
        let imported = parse(&real("complete-resume.json")).unwrap();
        assert_eq!(imported.learner.unwrap().headline.as_deref(), Some("Full Stack Software Engineer"));
        let aws = &imported.courses[0].record;
        assert_eq!(aws.title, "AWS Certified Solutions Architect - Professional");
        assert_eq!(aws.institution.as_deref(), Some("Amazon Web Services"));
        assert_eq!(aws.attestation.as_ref().unwrap().issued_on.unwrap().to_string(), "2023-04-10");
        assert_eq!(imported.courses[1].record.institution.as_deref(), Some("Cloud Native Computing Foundation"));
    }

    #[test]
    fn bad_certificates_are_named() {
        let cases = [
            (json!({"certificates": [{"date": "2020"}]}), "certificates[0].name"),
            (json!({"certificates": [{"name": "x"}, {"name": "y", "date": "May 2020"}]}), "certificates[1].date"),
            (json!({"certificates": [{"name": "x", "url": "ftp://example.org"}]}), "certificates[0].url"),
            (json!({"certificates": [{"name": "x", "issuer": 3}]}), "certificates[0].issuer"),
            (json!({"certificates": [{"name": "x".repeat(301)}]}), "certificates[0].name"),
            (json!({"certificates": ["x"]}), "certificates[0]"),
            (json!({"certificates": {"name": "x"}}), "certificates"),
            (json!({"basics": {"name": "A"}, "certificates": []}), "certificates"),
            (json!({"basics": {"name": "A", "email": "nope"}, "certificates": [{"name": "x"}]}), "basics.email"),
            (
                json!({"certificates": [{"name": "x", "date": "2020"}, {"name": "x", "date": "2021"}]}),
                "certificates[1]",
            ),
        ];
        for (value, path) in cases {
            let err = parse(value.to_string().as_bytes()).unwrap_err();
            assert_eq!(err.path, path, "{value}: {}", err.message());
        }
        assert!(parse(b"{\"certificates\": [").unwrap_err().message().contains("invalid JSON"));
        assert!(parse(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).as_bytes()).is_err());
    }

    fn validator(schema_file: &str) -> jsonschema::Validator {
        let schema: Value = serde_json::from_slice(&real(schema_file)).unwrap();
        jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
    }

    #[test]
    fn the_export_of_the_24_course_document_is_valid_against_the_official_schemas() {
        let path = format!("{}/tests/fixtures/doc24.json", env!("CARGO_MANIFEST_DIR"));
        let doc = crate::domain::parse_document(&std::fs::read(path).unwrap()).unwrap();
        let exported = to_json_resume(&doc);
        for schema in ["schema-v1.0.0.json", "schema-v1.2.1.json"] {
            let validator = validator(schema);
            let errors: Vec<String> =
                validator.iter_errors(&exported).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{schema}: {errors:?}");
            // The validator does check: the official samples pass, a broken export fails.
            assert!(validator.is_valid(&serde_json::from_slice(&real("complete-resume.json")).unwrap()));
            let mut broken = exported.clone();
            broken["certificates"][0]["date"] = json!("28/03/2013");
            assert!(!validator.is_valid(&broken), "{schema}");
        }
        let mut unknown_root = exported.clone();
        unknown_root["certfolio"] = json!(1);
        assert!(!validator("schema-v1.0.0.json").is_valid(&unknown_root), "v1.0.0 forbids unknown root keys");

        let certified: Vec<&CourseRecord> = doc.courses.iter().filter(|c| c.is_certified()).collect();
        assert_eq!(exported["certificates"].as_array().unwrap().len(), certified.len());
        assert_eq!(
            exported["certificates"][0],
            json!({"name": "Gestion de projet", "date": "2013-03-28",
            "issuer": "MIT / edX", "url": "https://verify.example.org/0d969a1de644"})
        );
        assert_eq!(exported["basics"]["name"], "Camille Lefèvre");
        // What JSON Resume can carry comes back on import: title, institution, platform, date, URL.
        let back = parse(exported.to_string().as_bytes()).unwrap();
        assert_eq!(back.learner.unwrap().name, "Camille Lefèvre");
        for (c, b) in certified.iter().zip(&back.courses) {
            let (a, ba) = (c.attestation.as_ref().unwrap(), b.record.attestation.as_ref().unwrap());
            assert_eq!(
                (&b.record.title, &b.record.institution, &b.record.platform),
                (&c.title, &c.institution, &c.platform)
            );
            assert_eq!((ba.issued_on, &ba.url), (a.issued_on, &a.url));
        }
    }
}
