//! The shared logic and both languages' wordings, side by side.

use super::*;
use crate::domain::advice::{Claim, Reason};

#[test]
fn numbers_follow_each_languages_typography() {
    assert_eq!(hours(Lang::Fr, 1240.0), "1\u{202f}240\u{a0}h");
    assert_eq!(hours(Lang::En, 1240.0), "1,240\u{a0}h");
    assert_eq!(hours(Lang::Fr, 12.5), "12,5\u{a0}h");
    assert_eq!(hours(Lang::En, 12.5), "12.5\u{a0}h");
    assert_eq!(integer(Lang::Fr, 1_234_567), "1\u{202f}234\u{202f}567");
    assert_eq!(integer(Lang::En, 999), "999");
    assert_eq!(integer(Lang::En, 1000), "1,000");
    assert_eq!(percent(Lang::Fr, 0.857), "86\u{a0}%");
    assert_eq!(percent(Lang::En, 0.857), "86%");
}

#[test]
fn months_and_periods_are_localised() {
    let d = |s| IsoDate::parse(s).unwrap();
    assert_eq!(month_year(Lang::Fr, d("2015-03-02")), "mars 2015");
    assert_eq!(month_year(Lang::En, d("2015-03-02")), "March 2015");
    assert_eq!(period(Lang::Fr, Some(d("2015-02-01")), Some(d("2015-04-28"))).unwrap(), "février – avril 2015");
    assert_eq!(period(Lang::En, Some(d("2014-11-01")), Some(d("2015-01-28"))).unwrap(), "November 2014 – January 2015");
    assert_eq!(period(Lang::Fr, None, Some(d("2015-08-01"))).unwrap(), "août 2015");
    assert_eq!(period(Lang::Fr, None, None), None);
}

#[test]
fn plurals_differ_at_zero() {
    assert_eq!(count(Lang::Fr, 0, "cours", "cours"), "0\u{a0}cours");
    assert_eq!(count(Lang::Fr, 0, "attestation", "attestations"), "0\u{a0}attestation");
    assert_eq!(count(Lang::En, 0, "course", "courses"), "0\u{a0}courses");
    assert_eq!(years(Lang::En, 1), "1\u{a0}year");
}

/// Each register's reasons, as `advise` gives them, with the figures they carry.
fn register_reasons() -> Vec<Vec<Reason>> {
    let focus = |count, field: &str, theme: Option<&str>, claim| Reason::Focus {
        count,
        field: field.into(),
        theme: theme.map(Into::into),
        claim,
    };
    vec![
        vec![Reason::Student],
        vec![Reason::ForItsOwnSake],
        vec![Reason::JobSeeker, focus(3, "computing", None, Claim::FieldToClaim)],
        vec![Reason::JobSeeker, focus(4, "computing", None, Claim::WholeRecord)],
        vec![Reason::JobSeeker, Reason::SelfTraining],
        vec![Reason::Legitimation { certificates: 2 }, focus(3, "management", None, Claim::LegitimateIn)],
        vec![Reason::Opportunity, focus(3, "data", Some("python"), Claim::ProofConcentrates)],
        vec![Reason::Opportunity, Reason::Spread],
        vec![Reason::CoreOfTrade, focus(5, "statistics", None, Claim::TheTrade)],
        vec![
            Reason::NoSituation,
            Reason::CareerChange { motives: 2 },
            Reason::SalariedCareerChange,
            focus(2, "computing", None, Claim::NewField),
        ],
        vec![
            Reason::CareerChange { motives: 1 },
            Reason::IndependentCareerChange,
            focus(1, "entrepreneurship", None, Claim::TradeBeingPrepared),
        ],
        vec![Reason::NoCourses],
    ]
}

#[test]
fn each_registers_reasons_are_worded_in_both_languages() {
    let fr = |rs: &[Reason]| advice_reasons(Lang::Fr, rs).join(" ");
    let en = |rs: &[Reason]| advice_reasons(Lang::En, rs).join(" ");
    let r = register_reasons();
    let expected: [(&str, &str); 12] = [
        (
            "En cours d’études, vos MOOC complètent votre cursus (registre «\u{a0}complémentaire\u{a0}»)\u{a0}: c’est l’habitude d’apprendre qu’il faut montrer.",
            "As a student, courses complement your studies (register “complementary”): the habit of learning is what to show.",
        ),
        (
            "Se former pour le plaisir d’apprendre relève surtout du registre «\u{a0}complémentaire\u{a0}»\u{a0}: c’est l’habitude d’apprendre qu’il faut montrer.",
            "Learning for its own sake is closest to the “complementary” register: the habit of learning is what to show.",
        ),
        (
            "En recherche d’emploi, réunir des attestations en vue d’un futur poste relève du registre «\u{a0}compétitif\u{a0}» (accumulation). 3 de ces cours relèvent du domaine «\u{a0}computing\u{a0}»\u{a0}: un domaine à revendiquer.",
            "As a job seeker, certificates gathered for a future job are the “competitive” (accumulation) register. 3 of them are in “computing”: a field to claim.",
        ),
        (
            "En recherche d’emploi, réunir des attestations en vue d’un futur poste relève du registre «\u{a0}compétitif\u{a0}» (accumulation). 4 de ces cours relèvent du domaine «\u{a0}computing\u{a0}»\u{a0}: tout le dossier tient dans ce domaine.",
            "As a job seeker, certificates gathered for a future job are the “competitive” (accumulation) register. 4 of them are in “computing”: the whole record is one field.",
        ),
        (
            "En recherche d’emploi, réunir des attestations en vue d’un futur poste relève du registre «\u{a0}compétitif\u{a0}» (accumulation). Des attestations réparties entre plusieurs domaines montrent la capacité et la volonté de se former plus que la maîtrise d’un sujet.",
            "As a job seeker, certificates gathered for a future job are the “competitive” (accumulation) register. Certificates spread across fields show the capacity and will to self-train more than mastery of one topic.",
        ),
        (
            "2\u{a0}attestations formalisent des compétences acquises auparavant\u{a0}: c’est le registre «\u{a0}légitimation\u{a0}» (compensatoire). 3 de ces cours relèvent du domaine «\u{a0}management\u{a0}»\u{a0}: le domaine où asseoir sa légitimité.",
            "2 certificates formalise skills acquired earlier: the “legitimation” (compensatory) register. 3 of them are in “management”: the field to be legitimate in.",
        ),
        (
            "Des cours certifiants suivis au gré des occasions, pour le travail actuel, relèvent du registre «\u{a0}opportunité\u{a0}». 3 de ces cours relèvent du domaine «\u{a0}data\u{a0}», la plupart sur «\u{a0}python\u{a0}»\u{a0}: là où se concentrent les preuves.",
            "Certified courses taken as they came, for present work, are the “opportunity” register. 3 of them are in “data”, most on “python”: where the proof concentrates.",
        ),
        (
            "Des cours certifiants suivis au gré des occasions, pour le travail actuel, relèvent du registre «\u{a0}opportunité\u{a0}». Ils se répartissent entre plusieurs domaines, si bien que la volonté de continuer à apprendre est le message le plus fort.",
            "Certified courses taken as they came, for present work, are the “opportunity” register. They spread across fields, so the will to keep learning is the stronger message.",
        ),
        (
            "Un usage sélectif, avec peu d’attestations et au service du travail actuel, relève du registre «\u{a0}cœur de métier\u{a0}». 5 de ces cours relèvent du domaine «\u{a0}statistics\u{a0}»\u{a0}: le métier lui-même.",
            "Selective use with few certificates, for present work, is the “core of the trade” register. 5 of them are in “statistics”: the trade itself.",
        ),
        (
            "Aucune situation n’est renseignée\u{202f}; le conseil lit le dossier comme celui d’une personne en emploi. Pour 2 cours, la motivation évoque une reconversion\u{a0}: un projet d’avenir. Des cours certifiants en vue d’un nouvel emploi relèvent du registre «\u{a0}bifurcation professionnelle salariale\u{a0}». 2 de ces cours relèvent du domaine «\u{a0}computing\u{a0}»\u{a0}: le nouveau domaine où se faire reconnaître.",
            "No situation is recorded; the advice reads the record as that of someone in work. 2 course motives mention a career change: a future project. Certified courses towards a new job are the “salaried career change” register. 2 of them are in “computing”: the new field to be recognised in.",
        ),
        (
            "Pour 1 cours, la motivation évoque une reconversion\u{a0}: un projet d’avenir. Préparer une activité indépendante en choisissant les cours par sujet, sans viser les attestations, relève du registre «\u{a0}bifurcation professionnelle indépendante\u{a0}». 1 de ces cours relève du domaine «\u{a0}entrepreneurship\u{a0}»\u{a0}: le métier en préparation.",
            "1 course motive mentions a career change: a future project. Preparing an independent activity by subject, certificates aside, is the “independent career change” register. 1 of them is in “entrepreneurship”: the trade being prepared.",
        ),
        (
            "Votre dossier ne compte encore aucun cours\u{202f}; ajoutez-en, puis redemandez conseil.",
            "The record has no courses yet; add some and ask again.",
        ),
    ];
    for (reasons, (want_fr, want_en)) in r.iter().zip(expected) {
        assert_eq!(fr(reasons), want_fr);
        assert_eq!(en(reasons), want_en);
    }
}

#[test]
fn the_figures_of_the_advice_follow_each_languages_typography() {
    let certified = Reason::Certified { certified: 8, courses: 12, fields: 3 };
    assert_eq!(
        advice_reason(Lang::Fr, &certified),
        "8 cours sur 12 (67\u{a0}%) ont été validés par une attestation\u{202f}; le dossier couvre 3\u{a0}domaines."
    );
    assert_eq!(advice_reason(Lang::En, &certified), "8 of 12 courses (67%) earned an attestation, across 3 fields.");
    let one = Reason::Certified { certified: 1, courses: 1, fields: 1 };
    assert_eq!(
        advice_reason(Lang::Fr, &one),
        "1 cours sur 1 (100\u{a0}%) a été validé par une attestation\u{202f}; le dossier couvre 1\u{a0}domaine."
    );
    assert_eq!(advice_reason(Lang::En, &one), "1 of 1 course (100%) earned an attestation, in 1 field.");
    let big = Reason::Certified { certified: 1200, courses: 1500, fields: 2 };
    assert!(advice_reason(Lang::Fr, &big).starts_with("1\u{202f}200 cours sur 1\u{202f}500 (80\u{a0}%)"));
    let prescribed = Reason::Prescribed { prescribed: 5, known: 9 };
    assert_eq!(
        advice_reason(Lang::Fr, &prescribed),
        "Sur 9 cours au mode de suivi connu, 5 ont été suivis comme prescrit (tout le cours, à son rythme)."
    );
    assert_eq!(
        advice_reason(Lang::En, &prescribed),
        "5 of 9 courses with a known follow mode were followed as prescribed (the whole course at its pace)."
    );
    // No French reason leaves a breakable space before a high punctuation mark or inside guillemets.
    for reasons in register_reasons().iter().chain([&vec![certified, prescribed]]) {
        for r in advice_reasons(Lang::Fr, reasons) {
            for bad in [" :", " ;", " %", " !", " ?", "« ", " »", "“", "”"] {
                assert!(!r.contains(bad), "{bad:?} in {r}");
            }
        }
    }
}

#[test]
fn the_summary_lists_levels_strongest_first() {
    let s = AssuranceSummary { claims: 18, self_declared: 3, evidence_file: 3, issuer_link: 12, ..Default::default() };
    let plain = |l| summary_sentence(l, &s).replace('\u{a0}', " ");
    assert_eq!(plain(Lang::En), "18 claims: 12 with issuer links, 3 with evidence files, 3 self-declared");
    assert_eq!(plain(Lang::Fr), "18 affirmations : 12 avec lien de l’émetteur, 3 avec justificatif, 3 déclarées");
}

/// One problem of each family, with the arguments a real refusal carries.
fn sample_problems() -> Vec<crate::domain::Problem> {
    use crate::domain::evidence::{Declared, EvidenceError, Malformation};
    use crate::domain::portfolio::SelectError;
    use crate::domain::problem::*;
    let d = |s| IsoDate::parse(s).unwrap();
    vec![
        Problem::Empty,
        Problem::TooLong { len: 301, max: 300 },
        Problem::DirectionControl { code: 0x202e },
        Problem::NotAUrl { reason: url::ParseError::RelativeUrlWithoutBase },
        Problem::UrlScheme { scheme: "javascript".into() },
        Problem::ImportedLink { problem: Box::new(Problem::UrlNoHost), value: "https://".into() },
        Problem::NotADate { value: "01/02/2015".into() },
        Problem::NotARealDate { value: "2025-13-45".into() },
        Problem::EndsBeforeStart { start: d("2015-02-01"), end: d("2015-01-31") },
        Problem::ExpiresBeforeIssued { issued: d("2015-02-01"), expires: d("2015-01-31") },
        Problem::OutOfRange { value: "0".into(), max: "2000".into() },
        Problem::NotANumberOfHours { value: "twelve".into() },
        Problem::NotA { value: "finished".into(), expected: Expected::OneOf(crate::domain::Outcome::NAMES) },
        Problem::NotA { value: "de".into(), expected: Expected::Language },
        Problem::EmailNoAt { value: "camille".into() },
        Problem::PasswordTooShort { len: 5, min: 12 },
        Problem::PasswordGuessable { hint: Some(PasswordHint::Top10) },
        Problem::InvalidJson(JsonFault { kind: JsonFaultKind::Eof, detail: "EOF".into(), line: 1, column: 15 }),
        Problem::UnknownField { field: "colour".into(), expected: vec!["title".into(), "platform".into()] },
        Problem::MissingField { field: "name".into() },
        Problem::UnknownVariant { value: "finished".into(), expected: vec!["completed".into()] },
        Problem::WrongType { expected: JsonKind::Number },
        Problem::Unrecognised(Unrecognised::NoKnownColumn),
        Problem::RepeatsRow { noun: Noun::Course, first: "line 3".into() },
        Problem::UnknownColumn { column: "colour".into(), columns: &["title", "platform"] },
        Problem::Badge(BadgeProblem::PngCrc { name: "iTXt".into(), pos: 33 }),
        Problem::Badge(BadgeProblem::EmbeddedKey(KeyProblem::P256Size)),
        Problem::Evidence(EvidenceError::Mismatch {
            actual: "application/pdf",
            declared: Declared::Name("c.png".into()),
        }),
        Problem::Evidence(EvidenceError::Malformed(Malformation::JpegWithoutFrame)),
        Problem::QuotaFiles { files: 20, max: 20 },
        Problem::Select(SelectError::NoMatch { kind: "field", value: "data".into(), available: "computing".into() }),
        Problem::EmptyPortfolio {
            scope: crate::domain::portfolio::Scope::Field("data".into()),
            uncertified: 3,
            expired: 0,
        },
        Problem::CourseExists,
        Problem::TooManyAttempts { retry_after: 30 },
    ]
}

#[test]
fn every_problem_is_worded_in_each_language_and_the_french_is_french() {
    for p in sample_problems() {
        let (en, fr) = (problem(Lang::En, &p), problem(Lang::Fr, &p));
        assert!(!en.trim().is_empty() && !fr.trim().is_empty(), "{p:?}");
        assert_ne!(en, fr, "{p:?} has no French wording");
        for bad in [" :", " ;", "« ", " »", "`"] {
            assert!(!fr.contains(bad), "{bad:?} in the French wording of {p:?}: {fr}");
        }
        assert_eq!(p.to_string(), en, "Display is the English");
    }
}

#[test]
fn the_english_wording_is_the_apis_and_the_french_names_no_internal_field() {
    let d = |s| IsoDate::parse(s).unwrap();
    let end = crate::domain::Problem::EndsBeforeStart { start: d("2015-02-01"), end: d("2015-01-31") };
    assert_eq!(
        problem(Lang::En, &end),
        "2015-01-31 is before the start date 2015-02-01; a course cannot end before it starts"
    );
    assert_eq!(
        problem(Lang::Fr, &end),
        "le 31 janvier 2015 précède la date de début (1er février 2015)\u{202f}; un cours ne peut pas finir avant de commencer"
    );
    let bad = crate::domain::Problem::NotARealDate { value: "2025-13-45".into() };
    assert_eq!(problem(Lang::En, &bad), "`2025-13-45` is not a real date of the form YYYY-MM-DD");
    assert_eq!(problem(Lang::Fr, &bad), "«\u{a0}2025-13-45\u{a0}» n’est pas une date réelle (AAAA-MM-JJ)");
    let outcome = crate::domain::Problem::UnknownVariant {
        value: "finished".into(),
        expected: crate::domain::Outcome::NAMES.iter().map(|s| (*s).to_owned()).collect(),
    };
    assert_eq!(
        problem(Lang::En, &outcome),
        "unknown variant `finished`, expected one of `completed`, `audited`, `disengaged`, `sampled`, `in_progress`"
    );
}

#[test]
fn places_in_a_file_are_said_in_the_pages_language() {
    assert_eq!(location(Lang::Fr, "line 4, column Started On"), "ligne 4, colonne Started On");
    assert_eq!(location(Lang::Fr, "line 2"), "ligne 2");
    assert_eq!(location(Lang::Fr, "line 4, attestation.url"), "ligne 4, attestation.url");
    assert_eq!(location(Lang::En, "line 4, column Started On"), "line 4, column Started On");
    // Paths are the file's own words; an unnumbered "line" is a key, not a line.
    assert_eq!(location(Lang::Fr, "courses[3].hours"), "courses[3].hours");
    assert_eq!(location(Lang::Fr, "line items"), "line items");
}
