//! Portfolios a learner keeps (issue 12): "Data analyst — Acme", with its framing, field or
//! theme, language, and the learner's choices course by course (in, out, first, in which order)
//! and their own statement. A share link and a PDF can be made from one.
//!
//! The API names courses by their stored ids; the portfolio document, which has no ids, names
//! them by their place in its `courses` list (`DocumentPortfolio`), so that an export imported
//! into another account gives back the same portfolio.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Problem;
use super::portfolio::SelectError;
use super::portfolio::{Framing, MAX_PINNED, MAX_STATEMENT, Scope, Shape, Spec};
use super::text::{MAX_NAME, MAX_SHORT, check_line, check_paragraph};
use super::{Lang, ValidationError, join};

/// At most this many saved portfolios per learner (one per application is plenty).
pub const MAX_SAVED: usize = 100;

fn is_false(b: &bool) -> bool {
    !*b
}

/// The settings shared by both forms, with the course references of type `R`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings<R> {
    /// What the learner calls it ("Data analyst — Acme"); unique among theirs.
    pub name: String,
    pub framing: Framing,
    /// Legitimacy in a discipline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Legitimacy in one theme (or skill).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The portfolio's language; default: the learner's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub include_uncertified: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub include_expired: bool,
    /// Courses shown although the framing's rule leaves them out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<R>,
    /// Courses never shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<R>,
    /// Courses shown first, in this order (at most 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<R>,
    /// The order within each section: these first, then the others newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<R>,
    /// The learner's own words (at most 600 characters), shown as theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

/// As the API carries it: courses by id.
pub type SavedPortfolio = Settings<Uuid>;
/// As the portfolio document carries it: courses by their place (0 is the first).
pub type DocumentPortfolio = Settings<usize>;

impl<R: Copy + PartialEq> Settings<R> {
    /// Every rule, with paths under `prefix` (`portfolios[2]`, or empty for an API body);
    /// `known(r)` says whether a course reference names a course of the record.
    pub fn validate(&self, prefix: &str, known: impl Fn(R) -> bool) -> Result<(), ValidationError> {
        let at = |f: &str| join(prefix, f);
        check_line(&at("name"), &self.name, MAX_NAME)?;
        for (name, value) in [("field", &self.field), ("theme", &self.theme)] {
            if let Some(v) = value {
                check_line(&at(name), v, MAX_SHORT)?;
            }
        }
        match (self.framing, &self.field, &self.theme) {
            (_, Some(_), Some(_)) => {
                return Err(ValidationError::new(at("theme"), Problem::FieldOrTheme));
            }
            (Framing::Appetite, Some(_), _) | (Framing::Appetite, _, Some(_)) => {
                return Err(ValidationError::new(at("framing"), Problem::Select(SelectError::ScopeNotAllowed)));
            }
            (Framing::Legitimacy, None, None) => {
                return Err(ValidationError::new(at("field"), Problem::LegitimacyNeedsScope));
            }
            _ => {}
        }
        if let Some(s) = &self.statement {
            check_paragraph(&at("statement"), s, MAX_STATEMENT)?;
        }
        if self.pinned.len() > MAX_PINNED {
            let problem = Problem::TooManyPinned { count: self.pinned.len(), max: MAX_PINNED };
            return Err(ValidationError::new(at("pinned"), problem));
        }
        for (list, refs) in
            [("include", &self.include), ("exclude", &self.exclude), ("pinned", &self.pinned), ("order", &self.order)]
        {
            if refs.len() > super::document::MAX_COURSES {
                return Err(ValidationError::new(at(list), Problem::TooManyListed));
            }
            for (i, r) in refs.iter().enumerate() {
                if !known(*r) {
                    return Err(ValidationError::new(at(&format!("{list}[{i}]")), Problem::NoSuchCourse));
                }
                if refs[..i].contains(r) {
                    return Err(ValidationError::new(at(&format!("{list}[{i}]")), Problem::RepeatedCourse));
                }
            }
        }
        if let Some((i, _)) = self.include.iter().enumerate().find(|(_, r)| self.exclude.contains(r)) {
            return Err(ValidationError::new(at(&format!("include[{i}]")), Problem::IncludedAndExcluded));
        }
        if let Some((i, _)) = self.pinned.iter().enumerate().find(|(_, r)| self.exclude.contains(r)) {
            return Err(ValidationError::new(at(&format!("pinned[{i}]")), Problem::ExcludedPinned));
        }
        Ok(())
    }

    /// The same settings with each course reference mapped, the references that no longer map
    /// (a course deleted since) left out.
    pub fn map_known<T>(&self, f: impl Fn(R) -> Option<T>) -> Settings<T> {
        let map = |v: &[R]| v.iter().filter_map(|r| f(*r)).collect::<Vec<T>>();
        Settings {
            name: self.name.clone(),
            framing: self.framing,
            field: self.field.clone(),
            theme: self.theme.clone(),
            lang: self.lang,
            include_uncertified: self.include_uncertified,
            include_expired: self.include_expired,
            include: map(&self.include),
            exclude: map(&self.exclude),
            pinned: map(&self.pinned),
            order: map(&self.order),
            statement: self.statement.clone(),
        }
    }

    /// The same settings with each course reference mapped (index ↔ id); `None` when one does not map.
    pub fn map_refs<T>(&self, f: impl Fn(R) -> Option<T>) -> Option<Settings<T>> {
        let map = |v: &[R]| v.iter().map(|r| f(*r)).collect::<Option<Vec<T>>>();
        Some(Settings {
            name: self.name.clone(),
            framing: self.framing,
            field: self.field.clone(),
            theme: self.theme.clone(),
            lang: self.lang,
            include_uncertified: self.include_uncertified,
            include_expired: self.include_expired,
            include: map(&self.include)?,
            exclude: map(&self.exclude)?,
            pinned: map(&self.pinned)?,
            order: map(&self.order)?,
            statement: self.statement.clone(),
        })
    }
}

impl SavedPortfolio {
    /// What to select and show.
    pub fn spec(&self) -> Spec {
        let scope = match (&self.field, &self.theme) {
            (Some(f), _) => Scope::Field(f.clone()),
            (None, Some(t)) => Scope::Theme(t.clone()),
            (None, None) => Scope::All,
        };
        Spec {
            framing: self.framing,
            scope,
            include_uncertified: self.include_uncertified,
            include_expired: self.include_expired,
            shape: Shape {
                include: self.include.clone(),
                exclude: self.exclude.clone(),
                pinned: self.pinned.clone(),
                order: self.order.clone(),
                statement: self.statement.clone().filter(|s| !s.trim().is_empty()),
            },
        }
    }
}

/// The schema of a saved portfolio in the API (courses by id).
impl utoipa::PartialSchema for Settings<Uuid> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        schema(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Uuid)))
                .into(),
        )
    }
}

impl utoipa::ToSchema for Settings<Uuid> {
    fn name() -> std::borrow::Cow<'static, str> {
        "SavedPortfolio".into()
    }
}

/// The schema of a portfolio in the document (courses by their place in `courses`).
impl utoipa::PartialSchema for Settings<usize> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        schema(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::Integer)
                .minimum(Some(0))
                .into(),
        )
    }
}

impl utoipa::ToSchema for Settings<usize> {
    fn name() -> std::borrow::Cow<'static, str> {
        "DocumentPortfolio".into()
    }
}

fn schema(
    course_ref: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::AdditionalProperties;
    settings_object(course_ref).additional_properties(Some(AdditionalProperties::FreeForm(false))).into()
}

/// A saved portfolio as the API answers it: its settings (courses by id), its id and dates.
/// Written out rather than derived because the settings' own schema refuses other members.
pub fn view_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{AdditionalProperties, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    let uuid =
        || ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
    let time = || {
        ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
    };
    settings_object(uuid().into())
        .property("id", uuid())
        .property("created_at", time())
        .property("updated_at", time())
        .required("id")
        .required("created_at")
        .required("updated_at")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .into()
}

fn settings_object(
    course_ref: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
) -> utoipa::openapi::ObjectBuilder {
    use utoipa::PartialSchema;
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let text = |max: usize| ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(max));
    let list = |max: Option<usize>| ArrayBuilder::new().items(course_ref.clone()).max_items(max);
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("name", text(MAX_NAME).pattern(Some(super::text::LINE_PATTERN)))
        .property("framing", Framing::schema())
        .property("field", text(MAX_SHORT))
        .property("theme", text(MAX_SHORT))
        .property("lang", Lang::schema())
        .property("include_uncertified", ObjectBuilder::new().schema_type(Type::Boolean))
        .property("include_expired", ObjectBuilder::new().schema_type(Type::Boolean))
        .property("include", list(None))
        .property("exclude", list(None))
        .property("pinned", list(Some(MAX_PINNED)))
        .property("order", list(None))
        .property("statement", text(MAX_STATEMENT))
        .required("name")
        .required("framing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(json: serde_json::Value) -> SavedPortfolio {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_saved_portfolio_checks_its_rules_naming_the_field() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let known = |id: Uuid| id == a || id == b;
        let ok = saved(serde_json::json!({"name": "Acme", "framing": "legitimacy", "field": "data",
            "pinned": [a], "exclude": [b], "statement": "J’ai appris seule, le soir."}));
        assert!(ok.validate("", known).is_ok());
        let spec = ok.spec();
        assert_eq!((spec.shape.pinned, spec.shape.exclude), (vec![a], vec![b]));
        let cases = [
            (serde_json::json!({"name": "x", "framing": "legitimacy"}), "field"),
            (serde_json::json!({"name": "x", "framing": "appetite", "theme": "t"}), "framing"),
            (serde_json::json!({"name": "x", "framing": "appetite", "statement": "é".repeat(601)}), "statement"),
            (serde_json::json!({"name": "x", "framing": "appetite", "pinned": [Uuid::from_u128(9)]}), "pinned[0]"),
            (serde_json::json!({"name": "x", "framing": "appetite", "include": [a], "exclude": [a]}), "include[0]"),
            (serde_json::json!({"name": "x", "framing": "appetite", "order": [a, a]}), "order[1]"),
            (serde_json::json!({"name": " ", "framing": "appetite"}), "name"),
        ];
        for (json, path) in cases {
            assert_eq!(saved(json.clone()).validate("", known).unwrap_err().path, path, "{json}");
        }
        let six: Vec<Uuid> = (1..=6).map(Uuid::from_u128).collect();
        let many = saved(serde_json::json!({"name": "x", "framing": "appetite", "pinned": six}));
        assert_eq!(many.validate("", |_| true).unwrap_err().path, "pinned");
        assert!(
            serde_json::from_value::<SavedPortfolio>(
                serde_json::json!({"name": "x", "framing": "appetite", "colour": 1})
            )
            .is_err()
        );
    }

    #[test]
    fn references_map_between_ids_and_places() {
        let ids = [Uuid::from_u128(7), Uuid::from_u128(8)];
        let doc: DocumentPortfolio =
            serde_json::from_value(serde_json::json!({"name": "x", "framing": "appetite", "pinned": [1, 0]})).unwrap();
        let api = doc.map_refs(|i| ids.get(i).copied()).unwrap();
        assert_eq!(api.pinned, [ids[1], ids[0]]);
        assert_eq!(api.map_refs(|id| ids.iter().position(|x| *x == id)).unwrap(), doc);
        assert!(doc.map_refs(|i| [ids[0]].get(i).copied()).is_none(), "a place past the end maps to nothing");
    }
}
