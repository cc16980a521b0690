//! Editing many courses at once (issue 12): a field, themes, skills, outcome, follow mode or
//! prior mastery set on every course chosen, in one transaction. A key left out leaves that
//! value as it is; `null` clears it.

use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

use super::skill::Skill;
use super::{CourseRecord, FollowMode, Outcome, ValidationError};

/// Reads a key that is present as `Some(value)`, `null` included (`Some(None)`): with
/// `#[serde(default)]`, an absent key stays `None` — "leave it as it is".
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkSet {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub field: Option<Option<String>>,
    /// Replaces the themes (`[]` clears them).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub themes: Option<Vec<String>>,
    /// Replaces the skills (`[]` clears them).
    #[serde(default)]
    #[schema(max_items = 30)]
    pub skills: Option<Vec<Skill>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Outcome>)]
    pub outcome: Option<Option<Outcome>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<FollowMode>)]
    pub follow_mode: Option<Option<FollowMode>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<bool>)]
    pub prior_mastery: Option<Option<bool>>,
}

impl BulkSet {
    /// Whether it sets anything at all.
    pub fn is_empty(&self) -> bool {
        *self == BulkSet::default()
    }

    /// Applies the edit to one course, then checks the course's rules (a theme too long is
    /// named as `set.themes[0]`, the course as it stands).
    pub fn apply(&self, course: &mut CourseRecord) -> Result<(), ValidationError> {
        if let Some(field) = &self.field {
            course.field = field.as_ref().map(|f| f.trim().to_owned()).filter(|f| !f.is_empty());
        }
        if let Some(themes) = &self.themes {
            course.themes = themes.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
        }
        if let Some(skills) = &self.skills {
            course.skills = skills.clone();
        }
        if let Some(outcome) = self.outcome {
            course.outcome = outcome;
        }
        if let Some(mode) = self.follow_mode {
            course.follow_mode = mode;
        }
        if let Some(prior) = self.prior_mastery {
            course.prior_mastery = prior;
        }
        course.validate("").map_err(|e| ValidationError::new(format!("set.{}", e.path), e.problem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_keys_leave_values_null_clears_them() {
        let mut c = CourseRecord::titled("SQL");
        c.field = Some("computing".into());
        c.outcome = Some(Outcome::Audited);
        let set: BulkSet = serde_json::from_str(r#"{"field": "data", "outcome": null}"#).unwrap();
        set.apply(&mut c).unwrap();
        assert_eq!((c.field.as_deref(), c.outcome), (Some("data"), None));
        let keep: BulkSet = serde_json::from_str(r#"{"themes": ["sql"]}"#).unwrap();
        keep.apply(&mut c).unwrap();
        assert_eq!((c.field.as_deref(), c.themes.as_slice()), (Some("data"), &["sql".to_owned()][..]));
        assert!(serde_json::from_str::<BulkSet>("{}").unwrap().is_empty());
        let bad: BulkSet = serde_json::from_str(&format!(r#"{{"field": "{}"}}"#, "x".repeat(101))).unwrap();
        assert_eq!(bad.apply(&mut c).unwrap_err().path, "set.field");
        assert!(serde_json::from_str::<BulkSet>(r#"{"title": "x"}"#).is_err(), "only the fields a bulk edit sets");
    }
}
