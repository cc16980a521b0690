//! A skill a course taught or a badge vouches for: a short name, and optionally the identifier
//! of that skill in a framework (an ESCO skill URI, an Open Badges alignment's `targetUrl`).
//!
//! In the document a skill is written as its name alone (`"SQL"`) or, with a framework
//! identifier, as `{"name": "SQL", "uri": "http://data.europa.eu/esco/skill/…"}`; it is written
//! back the same way, so that export then import gives back the same bytes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ValidationError;
use super::text::{MAX_SHORT, check_line, check_url};

/// What a value that is no skill is told (`Problem::NotASkill`, found again by this text).
pub const NOT_A_SKILL: &str = "a skill is a name, or an object {\"name\": …, \"uri\": …}";

/// At most this many skills per course (LinkedIn allows 5 per certification, Credly a few
/// dozen per badge; 30 keeps a course readable).
pub const MAX_SKILLS: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    pub name: String,
    /// The skill's identifier in a framework (ESCO, O*NET, an issuer's own), http(s) only.
    pub uri: Option<String>,
}

impl Skill {
    pub fn named(name: impl Into<String>) -> Skill {
        Skill { name: name.into(), uri: None }
    }

    pub fn validate(&self, path: &str) -> Result<(), ValidationError> {
        check_line(&super::join(path, "name"), &self.name, MAX_SHORT)?;
        if let Some(uri) = &self.uri {
            check_url(&super::join(path, "uri"), uri)?;
        }
        Ok(())
    }
}

impl Serialize for Skill {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.uri {
            None => s.serialize_str(&self.name),
            Some(uri) => {
                use serde::ser::SerializeStruct;
                let mut st = s.serialize_struct("Skill", 2)?;
                st.serialize_field("name", &self.name)?;
                st.serialize_field("uri", uri)?;
                st.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Skill {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            name: String,
            #[serde(default)]
            uri: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Name(String),
            Full(Full),
        }
        match Either::deserialize(d).map_err(|_| serde::de::Error::custom(NOT_A_SKILL))? {
            Either::Name(name) => Ok(Skill { name, uri: None }),
            Either::Full(f) => Ok(Skill { name: f.name, uri: f.uri }),
        }
    }
}

/// The schema of a skill for the OpenAPI description: a name, or a name with a framework URI.
impl utoipa::PartialSchema for Skill {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        let name = || {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(MAX_SHORT))
                .pattern(Some(super::text::LINE_PATTERN))
        };
        OneOfBuilder::new()
            .item(name())
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("name", name())
                    // `null` reads as no URI, as serde reads it.
                    .property(
                        "uri",
                        ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]))
                            .max_length(Some(2048)),
                    )
                    .required("name")
                    .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false))),
            )
            .into()
    }
}

impl utoipa::ToSchema for Skill {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skill_reads_and_writes_as_a_name_or_with_its_framework_uri() {
        let plain: Skill = serde_json::from_str(r#""SQL""#).unwrap();
        assert_eq!(plain, Skill::named("SQL"));
        assert_eq!(serde_json::to_string(&plain).unwrap(), r#""SQL""#);
        let esco = r#"{"name":"use databases","uri":"http://data.europa.eu/esco/skill/1"}"#;
        let s: Skill = serde_json::from_str(esco).unwrap();
        assert_eq!(s.uri.as_deref(), Some("http://data.europa.eu/esco/skill/1"));
        assert_eq!(serde_json::to_string(&s).unwrap(), esco);
        assert!(serde_json::from_str::<Skill>(r#"{"name":"x","level":3}"#).is_err(), "unknown fields refused");
        assert!(Skill { name: "x".into(), uri: Some("javascript:alert(1)".into()) }.validate("skills[0]").is_err());
        assert_eq!(Skill::named(" ").validate("skills[2]").unwrap_err().path, "skills[2].name");
    }
}
