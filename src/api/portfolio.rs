//! The portfolio PDF and the framing advice for the logged-in learner.
//!
//! Rendering is CPU work (a few milliseconds to tens of milliseconds): it runs on the blocking
//! pool, and at most `AppState::pdf_slots` renders run at once. When all slots are taken the
//! answer is an immediate 503, rather than a queue that would grow without bound.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::AuthLearner;
use super::views::AdviceView;
use crate::domain::Lang;
use crate::domain::advice::advise;
use crate::domain::portfolio::{Framing, Scope, Spec};
use crate::domain::problem::{Expected, Problem};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::presentation::Portfolio;
use crate::state::AppState;

// The parameters are read as text and checked here, so that a bad value is a 422 naming its
// parameter; the description still declares exactly the values accepted (`value_type`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PdfQuery {
    /// `appetite` (default) or `legitimacy`.
    #[param(value_type = Option<Framing>)]
    framing: Option<String>,
    /// Legitimacy in a discipline: every course of this field, grouped by theme (empty: none).
    field: Option<String>,
    /// Legitimacy in one theme: only the courses with this theme (empty: none).
    theme: Option<String>,
    /// `fr` or `en`; default: the learner's language, else `fr`.
    #[param(value_type = Option<Lang>)]
    lang: Option<String>,
    /// Legitimacy: also list courses of the field followed without a certificate.
    #[param(value_type = Option<bool>)]
    include_uncertified: Option<String>,
    /// Legitimacy: also list expired certificates (marked as such).
    #[param(value_type = Option<bool>)]
    include_expired: Option<String>,
}

/// Reads the query into a render spec; each bad value is a 422 naming its parameter. A
/// parameter given must have one of its values (an empty `framing=` is refused, not read as the
/// default), as the description says.
fn parse_query(q: PdfQuery) -> Result<(Spec, Option<Lang>), AppError> {
    let framing = match q.framing.as_deref() {
        None => Framing::Appetite,
        Some(f) => {
            Framing::from_str_opt(f).ok_or_else(|| AppError::validation("framing", not_a(f, Expected::Framing)))?
        }
    };
    let field = q.field.filter(|f| !f.trim().is_empty());
    let theme = q.theme.filter(|t| !t.trim().is_empty());
    let scope = match (field, theme) {
        (Some(_), Some(_)) => return Err(AppError::validation("theme", Problem::FieldOrTheme)),
        (Some(f), None) => Scope::Field(f),
        (None, Some(t)) => Scope::Theme(t),
        (None, None) => Scope::All,
    };
    let flag = |name: &str, value: Option<&str>| match value {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(AppError::validation(name, not_a(other, Expected::TrueFalse))),
    };
    let include_uncertified = flag("include_uncertified", q.include_uncertified.as_deref())?;
    let include_expired = flag("include_expired", q.include_expired.as_deref())?;
    let lang = parse_lang(q.lang.as_deref())?;
    Ok((Spec { framing, scope, include_uncertified, include_expired, shape: Default::default() }, lang))
}

/// A query value that is none of those expected, quoted back.
fn not_a(value: &str, expected: Expected) -> Problem {
    Problem::NotA { value: crate::domain::text::excerpt(value).into_owned(), expected }
}

/// `fr`, `en`, or nothing; anything else (an empty value too) is a 422 naming `lang`.
pub(super) fn parse_lang(lang: Option<&str>) -> Result<Option<Lang>, AppError> {
    match lang {
        None => Ok(None),
        Some(l) => {
            Lang::from_str_opt(l).map(Some).ok_or_else(|| AppError::validation("lang", not_a(l, Expected::Language)))
        }
    }
}

/// The learner's portfolio as a PDF, in the framing asked for.
#[utoipa::path(get, path = "/api/v1/portfolio.pdf", tag = "portfolio",
    params(PdfQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The portfolio", content_type = "application/pdf"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Unknown framing or language, a field or theme with no course, or an empty record; `field` names the parameter", body = ErrorBody),
        (status = 503, description = "Too many portfolios being rendered; try again shortly", body = ErrorBody),
    ))]
pub async fn pdf(
    State(state): State<AppState>,
    who: AuthLearner,
    query: Result<Query<PdfQuery>, QueryRejection>,
) -> AppResult<Response> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(Problem::BadQuery { detail: e.body_text() }))?;
    let (spec, lang) = parse_query(query)?;
    // Issued like every PDF the service hands out: with a verification code, registered.
    let revision = state.db.revision(who.id).await?;
    let request = crate::issue::PdfRequest { learner: who.id, spec, lang, share: None, revision };
    let issued = crate::issue::issue_pdf(&state, request).await?;
    Ok(crate::issue::pdf_response(&issued, "inline"))
}

/// The learner's portfolio as every output shows it (`presentation::Portfolio`): heading,
/// cover sentences, each figure with the ids of the courses it was computed from and its
/// coverage, sections and entries with their levels of proof and marks. The PDF and the
/// recruiter's page print exactly these texts.
#[utoipa::path(get, path = "/api/v1/portfolio", tag = "portfolio",
    params(PdfQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = Portfolio),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Unknown framing or language, a field or theme with no course, or an empty record; `field` names the parameter", body = ErrorBody),
    ))]
pub async fn portfolio(
    State(state): State<AppState>,
    who: AuthLearner,
    query: Result<Query<PdfQuery>, QueryRejection>,
) -> AppResult<Json<Portfolio>> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(Problem::BadQuery { detail: e.body_text() }))?;
    let (spec, lang) = parse_query(query)?;
    let (profile, courses) = state.db.record(who.id).await?;
    let record = crate::storage::courses::as_record(profile, &courses);
    let lang = lang.or(record.learner.lang).unwrap_or_default();
    let p =
        crate::presentation::present(&record, &spec, lang, state.clock.now()).map_err(crate::issue::select_error)?;
    Ok(Json(p))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdviceQuery {
    /// Language of the reasons, `fr` or `en`; default: the learner's language, else `en`.
    #[param(value_type = Option<Lang>)]
    lang: Option<String>,
}

/// The framing advised for the learner's record (registers of use), with the reasons.
#[utoipa::path(get, path = "/api/v1/advice", tag = "portfolio",
    params(AdviceQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = AdviceView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Unknown language; `field` names the parameter", body = ErrorBody),
    ))]
pub async fn advice(
    State(state): State<AppState>,
    who: AuthLearner,
    query: Result<Query<AdviceQuery>, QueryRejection>,
) -> AppResult<Json<AdviceView>> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(Problem::BadQuery { detail: e.body_text() }))?;
    let lang = parse_lang(query.lang.as_deref())?;
    let doc = state.db.export_document(who.id).await?;
    // English by default, as the reasons always were, unless the learner chose a language.
    let lang = lang.or(doc.learner.lang).unwrap_or(Lang::En);
    Ok(Json(AdviceView::new(advise(&doc, state.clock.now()), lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> PdfQuery {
        let get = |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned());
        PdfQuery {
            framing: get("framing"),
            field: get("field"),
            theme: get("theme"),
            lang: get("lang"),
            include_uncertified: get("include_uncertified"),
            include_expired: get("include_expired"),
        }
    }

    fn field_of(e: AppError) -> String {
        match e {
            AppError::Validation(v) => v.path,
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn the_query_becomes_a_spec() {
        let (spec, lang) = parse_query(q(&[])).unwrap();
        assert_eq!((spec.framing, spec.scope, lang), (Framing::Appetite, Scope::All, None));
        let (spec, lang) = parse_query(q(&[
            ("framing", "legitimacy"),
            ("theme", "python"),
            ("lang", "en"),
            ("include_uncertified", "true"),
        ]))
        .unwrap();
        assert_eq!(spec.scope, Scope::Theme("python".into()));
        assert!(spec.include_uncertified);
        assert_eq!(lang, Some(Lang::En));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        assert_eq!(field_of(parse_query(q(&[("framing", "vanity")])).unwrap_err()), "framing");
        assert_eq!(field_of(parse_query(q(&[("lang", "de")])).unwrap_err()), "lang");
        assert_eq!(field_of(parse_query(q(&[("include_uncertified", "yes")])).unwrap_err()), "include_uncertified");
        // A parameter given has one of the values the description lists: no empty or padded value.
        for (name, value) in [
            ("framing", ""),
            ("framing", " appetite"),
            ("lang", ""),
            ("include_uncertified", ""),
            ("include_uncertified", "1"),
        ] {
            assert_eq!(field_of(parse_query(q(&[(name, value)])).unwrap_err()), name, "{name}={value:?}");
        }
        assert_eq!(field_of(parse_query(q(&[("field", "a"), ("theme", "b")])).unwrap_err()), "theme");
    }
}
