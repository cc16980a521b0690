//! The one way a learner page's form is submitted: what was typed is checked and saved by the
//! service; success redirects (post/redirect/get: a refresh never saves twice); a refusal the
//! learner can act on (a rule broken, a name already taken, a wrong current password, too many
//! attempts) shows the form again with everything typed and the message beside its field,
//! named by the field's label in the page's language; anything else is the error page.
//!
//! Each form says which fields it has and what they are called ([`FormFields`]); the course,
//! institution, settings, password, sign-up and share forms all go through [`submit`].

use std::future::Future;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::Lang;
use crate::error::{AppError, AppResult};
use crate::i18n;

/// A field's refusal, as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form's field (`finished_on`), or the record's path when the form has no such field.
    pub field: String,
    /// "Date de fin : « 2025-13-45 » n’est pas une date réelle (AAAA-MM-JJ)".
    pub message: String,
    /// The form shows this field: the message sits beside it (else in the form's alert).
    pub placed: bool,
}

/// The fields of one form.
pub trait FormFields {
    /// The label of `field` in `lang`, when the form shows that field.
    fn label(lang: Lang, field: &str) -> Option<&'static str>;

    /// The form's field a refused path belongs to (`attestation.url` → `url`).
    fn field_of(path: &str) -> &str {
        path
    }

    /// The field a refusal other than a broken rule is about, when the form can show it there
    /// (a name already taken: the name).
    fn field_for(_e: &AppError) -> Option<&'static str> {
        None
    }
}

/// What `e` says about one of `F`'s fields, in `lang`: `None` when it is no refusal a form shows.
pub fn field_error<F: FormFields>(lang: Lang, e: &AppError) -> Option<FieldError> {
    let (field, message) = match e {
        AppError::Validation(v) => (F::field_of(&v.path).to_owned(), v.message_in(lang)),
        other => (F::field_for(other)?.to_owned(), other.message_in(lang)),
    };
    let message = match F::label(lang, &field) {
        Some(label) => format!("{label}{}{message}", i18n::colon(lang)),
        // A rule on a part of the record this form does not show: said with its path.
        None if !field.is_empty() => format!("{}{}{message}", i18n::location(lang, &field), i18n::colon(lang)),
        None => i18n::capitalise_first(&message),
    };
    let placed = F::label(lang, &field).is_some();
    Some(FieldError { field, message, placed })
}

/// Runs one submission (see the module comment): `attempt` checks and saves, `done` answers its
/// success (a redirect), `refused` renders the form again with the refusal. The page keeps the
/// refusal's status (422 for a rule or a name taken, 403, 429 with its `Retry-After`) and is
/// private.
pub async fn submit<F, T, A, R>(
    lang: Lang,
    attempt: A,
    done: impl FnOnce(T) -> Response,
    refused: impl FnOnce(FieldError) -> R,
) -> Response
where
    F: FormFields,
    A: Future<Output = AppResult<T>>,
    R: Future<Output = Response>,
{
    let e = match attempt.await {
        Ok(saved) => return done(saved),
        Err(e) => e,
    };
    let Some(field_error) = field_error::<F>(lang, &e) else { return e.into_response() };
    let status = match e {
        // Taken names are the form's to fix, like any rule.
        AppError::Conflict(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ref other => other.status(),
    };
    let mut page = refused(field_error).await;
    *page.status_mut() = status;
    if let AppError::TooManyRequests { retry_after } = e {
        page.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    }
    super::private(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IsoDate, Problem, ValidationError};

    struct Course;

    impl FormFields for Course {
        fn label(lang: Lang, field: &str) -> Option<&'static str> {
            let t = &i18n::strings(lang).courses;
            match field {
                "finished_on" => Some(t.end_date),
                "title" => Some(t.title),
                _ => None,
            }
        }

        fn field_of(path: &str) -> &str {
            path.strip_prefix("attestation.").unwrap_or(path)
        }

        fn field_for(e: &AppError) -> Option<&'static str> {
            matches!(e, AppError::Conflict(_)).then_some("title")
        }
    }

    #[test]
    fn a_refusal_is_named_by_the_fields_label_in_the_pages_language() {
        let bad = IsoDate::parse("2025-13-45").unwrap_err();
        let e = AppError::Validation(ValidationError::new("finished_on", bad));
        let fr = field_error::<Course>(Lang::Fr, &e).unwrap();
        assert_eq!(fr.field, "finished_on");
        assert_eq!(fr.message, "Date de fin\u{a0}: «\u{a0}2025-13-45\u{a0}» n’est pas une date réelle (AAAA-MM-JJ)");
        assert!(fr.placed);
        let en = field_error::<Course>(Lang::En, &e).unwrap();
        assert_eq!(en.message, "End date: `2025-13-45` is not a real date of the form YYYY-MM-DD");
        // A conflict sits by the field it is about; a rule on a part the form does not show is
        // said with its path, in the alert.
        let taken = field_error::<Course>(Lang::Fr, &AppError::Conflict(Problem::CourseExists)).unwrap();
        assert_eq!((taken.field.as_str(), taken.placed), ("title", true));
        assert!(taken.message.starts_with("Titre\u{a0}: un cours de même titre"), "{}", taken.message);
        let themes = AppError::validation("themes[0]", Problem::Empty);
        let elsewhere = field_error::<Course>(Lang::En, &themes).unwrap();
        assert_eq!((elsewhere.message.as_str(), elsewhere.placed), ("themes[0]: must not be empty", false));
        assert!(field_error::<Course>(Lang::Fr, &AppError::NotFound).is_none(), "not a form's to show");
    }
}
