//! A course taken and the attestation it earned, exactly as the portfolio document and the
//! JSON API carry them, with the rules a record must satisfy.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::{
    MAX_LONG, MAX_NAME, MAX_SHORT, MAX_THEMES, MAX_TITLE, check_line, check_paragraph, check_url, normalize_name,
};
use super::{IsoDate, Problem, ValidationError, join};

/// How the course was followed (research paper, Tableau 1): the whole course at its pace, or
/// only chosen parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowMode {
    Prescribed,
    Selective,
}

/// What became of the course. Not finishing is a legitimate use, never a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Completed,
    Audited,
    Disengaged,
    Sampled,
    InProgress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttestationKind {
    Participation,
    Completion,
    Achievement,
    VerifiedCertificate,
    Badge,
    EctsCredits,
}

macro_rules! str_enum {
    ($ty:ty { $($variant:ident => $s:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
            /// Every value as written, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($s),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $s),+ }
            }
            pub fn from_str_opt(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(FollowMode { Prescribed => "prescribed", Selective => "selective" });
str_enum!(Outcome {
    Completed => "completed", Audited => "audited", Disengaged => "disengaged",
    Sampled => "sampled", InProgress => "in_progress",
});
str_enum!(AttestationKind {
    Participation => "participation", Completion => "completion", Achievement => "achievement",
    VerifiedCertificate => "verified_certificate", Badge => "badge", EctsCredits => "ects_credits",
});

/// A course as the document writes it. Only `title` is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseRecord {
    #[schema(
        example = "Gestion de projet",
        min_length = 1,
        max_length = 300,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        example = "FUN-MOOC",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        example = "Centrale Lille",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub institution: Option<String>,
    /// The discipline (e.g. `computing`, `management`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 100,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 20, value_type = Vec<ThemeText>)]
    pub themes: Vec<String>,
    /// What the course taught: short names, each with an optional framework URI (ESCO…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 30)]
    pub skills: Vec<super::skill::Skill>,
    /// The language the course was taught in, as a BCP 47 tag (`fr`, `en`, `pt-BR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 35, pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<IsoDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_on: Option<IsoDate>,
    /// Study time in hours, in (0, 2000].
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "number::serialize_opt")]
    #[schema(exclusive_minimum = 0, maximum = 2000)]
    pub hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_mode: Option<FollowMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 2000,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub motive: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 2000,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub notes: Option<String>,
    /// The course formalised skills acquired earlier (true) or validated new ones (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_mastery: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<AttestationRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttestationRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AttestationKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<IsoDate>,
    /// The last day the certificate is valid, when it expires (a cloud certification, a
    /// first-aid certificate). Not before `issued_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<IsoDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub credential_id: Option<String>,
    /// The issuer's verification page: http or https only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2048, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\\s]*)?$")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 100,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub grade: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "number::serialize_opt")]
    #[schema(exclusive_minimum = 0, maximum = 300)]
    pub ects: Option<f64>,
    /// The Open Badges data this attestation was imported from (`interop::openbadges`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<super::badge::BadgeData>,
}

/// The schema of one theme (a non-blank single line of at most 100 characters), for the
/// OpenAPI description; the value itself stays a `String`.
pub struct ThemeText;

impl utoipa::PartialSchema for ThemeText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_SHORT))
            .pattern(Some(super::text::LINE_PATTERN))
            .into()
    }
}

impl utoipa::ToSchema for ThemeText {}

pub const MAX_HOURS: f64 = 2000.0;
pub const MAX_ECTS: f64 = 300.0;

impl CourseRecord {
    /// A course known only by its title (the start of a form or an import row).
    pub fn titled(title: impl Into<String>) -> CourseRecord {
        CourseRecord {
            title: title.into(),
            platform: None,
            institution: None,
            field: None,
            themes: Vec::new(),
            skills: Vec::new(),
            language: None,
            started_on: None,
            finished_on: None,
            hours: None,
            follow_mode: None,
            outcome: None,
            motive: None,
            notes: None,
            prior_mastery: None,
            attestation: None,
        }
    }

    /// Checks every rule of the contract; `prefix` is the JSON path of this course
    /// (`courses[3]`, or empty for an API body).
    pub fn validate(&self, prefix: &str) -> Result<(), ValidationError> {
        let at = |field: &str| join(prefix, field);
        check_line(&at("title"), &self.title, MAX_TITLE)?;
        for (name, value, max) in [
            ("platform", &self.platform, MAX_NAME),
            ("institution", &self.institution, MAX_NAME),
            ("field", &self.field, MAX_SHORT),
        ] {
            if let Some(v) = value {
                check_line(&at(name), v, max)?;
            }
        }
        if self.themes.len() > MAX_THEMES {
            return Err(ValidationError::new(at("themes"), Problem::TooManyThemes { max: MAX_THEMES }));
        }
        for (i, theme) in self.themes.iter().enumerate() {
            check_line(&at(&format!("themes[{i}]")), theme, MAX_SHORT)?;
        }
        if self.skills.len() > super::skill::MAX_SKILLS {
            return Err(ValidationError::new(at("skills"), Problem::TooManySkills { max: super::skill::MAX_SKILLS }));
        }
        for (i, skill) in self.skills.iter().enumerate() {
            skill.validate(&at(&format!("skills[{i}]")))?;
        }
        if let Some(lang) = &self.language {
            check_language_tag(&at("language"), lang)?;
        }
        if let (Some(start), Some(end)) = (self.started_on, self.finished_on)
            && end < start
        {
            return Err(ValidationError::new(at("finished_on"), Problem::EndsBeforeStart { start, end }));
        }
        if let Some(h) = self.hours {
            check_range(&at("hours"), h, MAX_HOURS)?;
        }
        for (name, value) in [("motive", &self.motive), ("notes", &self.notes)] {
            if let Some(v) = value {
                check_paragraph(&at(name), v, MAX_LONG)?;
            }
        }
        if let Some(a) = &self.attestation {
            a.validate(&at("attestation"))?;
        }
        Ok(())
    }

    /// The identity of a course within one learner's record: the same title, on the same
    /// platform, started on the same day is the same course (names compared without accents,
    /// case or extra spaces). Re-importing a document updates such courses instead of
    /// duplicating them.
    pub fn identity(&self) -> String {
        let platform = self.platform.as_deref().map(normalize_name).unwrap_or_default();
        let start = self.started_on.map(|d| d.to_string()).unwrap_or_default();
        format!("{}\u{1f}{platform}\u{1f}{start}", normalize_name(&self.title))
    }

    /// A certificate-like proof was earned (an attestation of any kind is recorded).
    pub fn is_certified(&self) -> bool {
        self.attestation.is_some()
    }
}

impl AttestationRecord {
    pub fn validate(&self, prefix: &str) -> Result<(), ValidationError> {
        let at = |field: &str| join(prefix, field);
        if let Some(v) = &self.credential_id {
            check_line(&at("credential_id"), v, MAX_NAME)?;
        }
        if let Some(v) = &self.url {
            check_url(&at("url"), v)?;
        }
        if let Some(v) = &self.grade {
            check_line(&at("grade"), v, MAX_SHORT)?;
        }
        if let Some(e) = self.ects {
            check_range(&at("ects"), e, MAX_ECTS)?;
        }
        if let (Some(issued), Some(expires)) = (self.issued_on, self.expires_on)
            && expires < issued
        {
            return Err(ValidationError::new(at("expires_on"), Problem::ExpiresBeforeIssued { issued, expires }));
        }
        if let Some(b) = &self.badge {
            b.validate(&at("badge.payload"))?;
        }
        Ok(())
    }
}

fn check_range(path: &str, value: f64, max: f64) -> Result<(), ValidationError> {
    if !value.is_finite() || value <= 0.0 || value > max {
        return Err(ValidationError::new(path, Problem::OutOfRange { value: value.to_string(), max: max.to_string() }));
    }
    Ok(())
}

/// A BCP 47-shaped tag: a 2–3 letter language, then optional subtags (`pt-BR`, `zh-Hant`).
fn check_language_tag(path: &str, tag: &str) -> Result<(), ValidationError> {
    let mut parts = tag.split('-');
    let primary_ok =
        parts.next().is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok = parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok && tag.len() <= 35 {
        Ok(())
    } else {
        Err(ValidationError::new(path, Problem::NotALanguageTag { value: super::text::excerpt(tag).into_owned() }))
    }
}

/// Numbers that are whole print without a fractional part, so that `"hours": 20` comes back
/// as `20`, not `20.0`, and export → import → export is byte-stable.
pub(crate) mod number {
    use serde::Serializer;

    #[allow(clippy::ref_option)] // serde's `serialize_with` hands us `&Option<T>`.
    pub fn serialize_opt<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(v) => serialize(*v, s),
        }
    }

    pub fn serialize<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
        #[allow(clippy::cast_possible_truncation)] // guarded: whole and well inside i64.
        if v.fract() == 0.0 && v.abs() < 9.0e15 { s.serialize_i64(v as i64) } else { s.serialize_f64(v) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(json: serde_json::Value) -> CourseRecord {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_minimal_course_is_a_title() {
        let c = course(serde_json::json!({"title": "Gestion de projet"}));
        assert!(c.validate("").is_ok());
        assert_eq!(serde_json::to_value(&c).unwrap(), serde_json::json!({"title": "Gestion de projet"}));
    }

    #[test]
    fn hours_must_be_in_range() {
        for h in [0.0, -3.0, 2000.5] {
            let mut c = course(serde_json::json!({"title": "x"}));
            c.hours = Some(h);
            let err = c.validate("courses[2]").unwrap_err();
            assert_eq!(err.path, "courses[2].hours");
        }
        let c = course(serde_json::json!({"title": "x", "hours": 2000}));
        assert!(c.validate("").is_ok());
    }

    #[test]
    fn a_course_cannot_end_before_it_starts() {
        let c = course(serde_json::json!({"title": "x", "started_on": "2015-02-01", "finished_on": "2015-01-31"}));
        assert_eq!(c.validate("").unwrap_err().path, "finished_on");
    }

    #[test]
    fn whole_numbers_keep_their_integer_form() {
        let c = course(serde_json::json!({"title": "x", "hours": 20, "attestation": {"ects": 2.5}}));
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"title":"x","hours":20,"attestation":{"ects":2.5}}"#);
    }

    #[test]
    fn the_identity_ignores_accents_and_case() {
        let a = course(
            serde_json::json!({"title": "Économie circulaire", "platform": "FUN-MOOC", "started_on": "2016-01-01"}),
        );
        let b = course(
            serde_json::json!({"title": "economie  circulaire", "platform": "fun-mooc", "started_on": "2016-01-01"}),
        );
        let c = course(
            serde_json::json!({"title": "economie circulaire", "platform": "fun-mooc", "started_on": "2017-01-01"}),
        );
        assert_eq!(a.identity(), b.identity());
        assert_ne!(a.identity(), c.identity());
    }

    #[test]
    fn language_tags_are_checked() {
        for ok in ["fr", "en", "pt-BR", "zh-Hant"] {
            assert!(check_language_tag("l", ok).is_ok(), "{ok}");
        }
        for bad in ["french", "f", "fr_FR", "fr-", ""] {
            assert!(check_language_tag("l", bad).is_err(), "{bad}");
        }
    }
}
