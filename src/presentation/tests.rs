use super::*;
use crate::domain::parse_document;

const NOW: i64 = 1_795_262_400; // 2026-11-21

fn record(json: serde_json::Value) -> Record {
    Record::from_document(parse_document(json.to_string().as_bytes()).unwrap())
}

#[test]
fn a_figure_over_few_courses_says_so_or_is_left_out() {
    let r = record(serde_json::json!({"certfolio": 1, "learner": {"name": "A"}, "courses": [
        {"title": "a", "hours": 60, "started_on": "2020-01-01"}, {"title": "b", "started_on": "2021-01-01"},
        {"title": "c"}, {"title": "d", "attestation": {"issued_on": "2025-01-01"}}
    ]}));
    let p = present(&r, &Spec::appetite(), Lang::En, NOW).unwrap();
    assert!(p.figures.iter().all(|f| f.key != FigureKey::Hours), "1 of 4 courses declares hours: no total");
    let r = record(serde_json::json!({"certfolio": 1, "learner": {"name": "A"}, "courses": [
        {"title": "a", "hours": 60}, {"title": "b", "hours": 4}, {"title": "c"}
    ]}));
    let p = present(&r, &Spec::appetite(), Lang::En, NOW).unwrap();
    let hours = p.figures.iter().find(|f| f.key == FigureKey::Hours).unwrap();
    assert_eq!(hours.label, "of study, declared for 2 of 3 courses");
    assert_eq!(
        p.cover[0],
        "A has taken 3\u{a0}online courses, none of them certified yet, and declares 64\u{a0}h of study for 2 of them."
    );
}

#[test]
fn singular_and_plural_are_right_in_both_languages() {
    let r = record(serde_json::json!({"certfolio": 1, "learner": {"name": "A"}, "courses": [
        {"title": "a", "field": "data", "institution": "X", "platform": "P", "started_on": "2020-01-01",
         "attestation": {"kind": "completion"}},
        {"title": "b", "field": "data", "institution": "X", "platform": "P", "started_on": "2020-05-01"}
    ]}));
    let en = present(&r, &Spec::appetite(), Lang::En, NOW).unwrap();
    assert_eq!(en.cover[1], "They span 1\u{a0}field, 1\u{a0}institution and 1\u{a0}platform.");
    let fr = present(&r, &Spec::appetite(), Lang::Fr, NOW).unwrap();
    assert_eq!(fr.cover[1], "Ces cours couvrent 1\u{a0}domaine, 1\u{a0}établissement et 1\u{a0}plateforme.");
}

/// The run of years is counted on the dated courses: with undated ones shown too, its label
/// says how many it rests on, as the hours do (it said only "since 2024" before).
#[test]
fn continuous_years_say_how_many_courses_are_dated() {
    let r = record(serde_json::json!({"certfolio": 1, "learner": {"name": "A"}, "courses": [
        {"title": "a", "started_on": "2024-02-01"}, {"title": "b", "started_on": "2025-03-01"},
        {"title": "c", "started_on": "2026-01-10"}, {"title": "d"}
    ]}));
    let years = |lang| {
        let p = present(&r, &Spec::appetite(), lang, NOW).unwrap();
        p.figures.into_iter().find(|f| f.key == FigureKey::ContinuousYears).unwrap().label
    };
    assert_eq!(years(Lang::En), "of continuous learning (since 2024; dated for 3 of 4 courses)");
    assert_eq!(years(Lang::Fr), "d’apprentissage continu (depuis 2024\u{202f}; 3 cours datés sur 4)");
    let dated = record(serde_json::json!({"certfolio": 1, "learner": {"name": "A"}, "courses": [
        {"title": "a", "started_on": "2025-02-01"}, {"title": "b", "started_on": "2026-03-01"}
    ]}));
    let p = present(&dated, &Spec::appetite(), Lang::En, NOW).unwrap();
    let label = &p.figures.iter().find(|f| f.key == FigureKey::ContinuousYears).unwrap().label;
    assert_eq!(label, "of continuous learning (since 2025)");
}
