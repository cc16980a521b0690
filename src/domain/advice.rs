//! Which framing suits a learner, from their situation and their record, following the seven
//! registers of use of the research paper (seed 000, Tableau 1; PRODUCT.md). The advice is a
//! suggestion with its reasons: the learner always chooses.

use serde::Serialize;
use utoipa::ToSchema;

use super::portfolio::{Framing, spread};
use super::text::normalize_name;
use super::{CourseRecord, Document, FollowMode, Situation};

/// The seven registers of use (Tableau 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Register {
    /// Student, no valorisation, selective, chosen by subject, present.
    Complementary,
    /// Job seeker accumulating certificates for a future job (accumulation).
    Competitive,
    /// Employed, certificates that make up for a missing diploma (compensatory).
    Legitimation,
    /// Employed, a certified course that the present offers.
    Opportunity,
    /// Employed, selective use at the heart of one's trade, certificates optional.
    CoreOfTrade,
    /// Employed, preparing a salaried career change with certificates.
    SalariedCareerChange,
    /// Employed, preparing to work independently, without seeking certificates.
    IndependentCareerChange,
}

/// The advice is data, not prose: the reasons carry their figures and are worded in the
/// learner's language by `i18n::advice_reason`, so this module stays free of any language.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    pub framing: Framing,
    /// The field to pass as `field` (legitimacy in a discipline), if advised.
    pub field: Option<String>,
    /// The theme to pass as `theme` (legitimacy in one theme), if advised.
    pub theme: Option<String>,
    pub register: Register,
    /// Legitimacy: also show the scope's courses followed without a certificate — advised when
    /// the scope holds no valid certificate, so that the advised portfolio is never empty.
    pub include_uncertified: bool,
    /// Why, in a few sentences a learner can check against their record.
    pub reasons: Vec<Reason>,
}

/// One reason for the advice, with the figures a learner can check against their record.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The record is empty: add courses and ask again.
    NoCourses,
    /// `certified` of `courses` courses earned an attestation; the record spans `fields` fields.
    Certified { certified: usize, courses: usize, fields: usize },
    /// `prescribed` of the `known` courses with a follow mode were followed as prescribed.
    Prescribed { prescribed: usize, known: usize },
    /// A student: the complementary register.
    Student,
    /// Retired, learning for its own sake: closest to the complementary register.
    ForItsOwnSake,
    /// A job seeker: the competitive (accumulation) register.
    JobSeeker,
    /// Certificates spread across fields: the will to self-train, not one mastery.
    SelfTraining,
    /// Too few certificates, or too few fields, to make one field the point: the habit shows.
    FewToClaim,
    /// No course of the advised field or theme has a valid certificate: they are shown as
    /// courses followed.
    WithoutCertificates { scope: String },
    /// No situation recorded: read as someone in work.
    NoSituation,
    /// `motives` course motives mention a career change.
    CareerChange { motives: usize },
    /// The independent career change register.
    IndependentCareerChange,
    /// The salaried career change register.
    SalariedCareerChange,
    /// The core of the trade register.
    CoreOfTrade,
    /// `certificates` certificates formalise earlier skills: the legitimation register.
    Legitimation { certificates: usize },
    /// The opportunity register.
    Opportunity,
    /// Opportunity courses spread across fields: the will to keep learning is the message.
    Spread,
    /// `count` courses are in `field` (most on `theme`, when one dominates): what it means.
    Focus { count: usize, field: String, theme: Option<String>, claim: Claim },
}

/// What the field where the proof concentrates means for the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Job seeker with several fields: a field to claim.
    FieldToClaim,
    /// Job seeker with one field: the whole record is that field.
    WholeRecord,
    /// Independent career change: the trade being prepared.
    TradeBeingPrepared,
    /// Salaried career change: the new field to be recognised in.
    NewField,
    /// Core of the trade: the trade itself.
    TheTrade,
    /// Legitimation: the field to be legitimate in.
    LegitimateIn,
    /// Opportunity: where the proof concentrates.
    ProofConcentrates,
}

/// Words in a motive that point to a future project: changing career (horizon "future").
const CAREER_CHANGE: [&str; 10] = [
    "reconversion",
    "career change",
    "changer de metier",
    "nouveau metier",
    "bifurcation",
    "new career",
    "change career",
    "changing career",
    "retrain",
    "switch career",
];
/// Among those, words that point to working on one's own account.
const INDEPENDENT: [&str; 8] = [
    "independant",
    "independent",
    "freelance",
    "a mon compte",
    "own business",
    "creer mon entreprise",
    "start a business",
    "auto-entrepreneur",
];

fn mentions(course: &CourseRecord, words: &[&str]) -> bool {
    course.motive.as_deref().map(normalize_name).is_some_and(|m| words.iter().any(|w| m.contains(w)))
}

/// The field (and, when one theme dominates it, the theme) where the proof concentrates.
fn focus(courses: &[&CourseRecord]) -> Option<(String, usize, Option<String>)> {
    let (field, n) = spread(courses).fields.first()?.clone();
    let key = normalize_name(&field);
    let in_field: Vec<&CourseRecord> =
        courses.iter().copied().filter(|c| c.field.as_deref().map(normalize_name).as_deref() == Some(&key)).collect();
    let mut themes: Vec<(String, usize)> = Vec::new();
    for c in &in_field {
        if let Some(t) = c.themes.first() {
            match themes.iter_mut().find(|(name, _)| normalize_name(name) == normalize_name(t)) {
                Some(entry) => entry.1 += 1,
                None => themes.push((t.clone(), 1)),
            }
        }
    }
    themes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // One theme is the point when it holds over two thirds of the field and the field has others.
    let theme = match themes.as_slice() {
        [(t, k), _, ..] if *k * 3 > in_field.len() * 2 && in_field.len() >= 3 => Some(t.clone()),
        _ => None,
    };
    Some((field, n, theme))
}

/// Advises a framing for this record; `now` is when certificates' expiry is read against, so
/// that the advised portfolio is never empty (an expired certificate is not shown unless asked).
pub fn advise(doc: &Document, now: i64) -> Advice {
    let all: Vec<&CourseRecord> = doc.courses.iter().collect();
    if all.is_empty() {
        return Advice {
            framing: Framing::Appetite,
            field: None,
            theme: None,
            register: Register::Complementary,
            include_uncertified: false,
            reasons: vec![Reason::NoCourses],
        };
    }
    let certified: Vec<&CourseRecord> = all.iter().copied().filter(|c| c.is_certified()).collect();
    let n = all.len();
    let cert_ratio = certified.len() as f64 / n as f64;
    let moded: Vec<FollowMode> = all.iter().filter_map(|c| c.follow_mode).collect();
    let prescribed = moded.iter().filter(|m| **m == FollowMode::Prescribed).count();
    let mostly_prescribed = !moded.is_empty() && prescribed * 2 >= moded.len();
    let prior = certified.iter().filter(|c| c.prior_mastery == Some(true)).count();
    let career: Vec<&CourseRecord> = all.iter().copied().filter(|c| mentions(c, &CAREER_CHANGE)).collect();
    let independent = all.iter().filter(|c| mentions(c, &INDEPENDENT)).count();
    let fields = spread(&all).fields.len();
    let proof_focus = focus(if certified.is_empty() { &all } else { &certified });
    // Concentrated: most of the proof sits in one field.
    let concentrated = proof_focus.as_ref().is_some_and(|(_, k, _)| {
        let base = if certified.is_empty() { n } else { certified.len() };
        base >= 2 && k * 10 >= base * 6
    });

    let mut reasons = vec![Reason::Certified { certified: certified.len(), courses: n, fields }];
    if !moded.is_empty() {
        reasons.push(Reason::Prescribed { prescribed, known: moded.len() });
    }

    let legitimacy_in = |focus: Option<(String, usize, Option<String>)>, reasons: &mut Vec<Reason>, claim: Claim| {
        match focus {
            Some((field, count, theme)) => {
                // A dominant theme is advised instead of its field.
                let (advised_field, advised_theme) = match &theme {
                    Some(t) => (None, Some(t.clone())),
                    None => (Some(field.clone()), None),
                };
                reasons.push(Reason::Focus { count, field, theme, claim });
                (Framing::Legitimacy, advised_field, advised_theme)
            }
            None => (Framing::Appetite, None, None),
        }
    };

    let (register, (framing, field, theme)) = match doc.learner.situation {
        Some(Situation::Student) | Some(Situation::Retired) => {
            reasons.push(match doc.learner.situation {
                Some(Situation::Student) => Reason::Student,
                _ => Reason::ForItsOwnSake,
            });
            (Register::Complementary, (Framing::Appetite, None, None))
        }
        Some(Situation::JobSeeker) => {
            reasons.push(Reason::JobSeeker);
            if concentrated && fields > 1 {
                (Register::Competitive, legitimacy_in(proof_focus, &mut reasons, Claim::FieldToClaim))
            } else if concentrated {
                (Register::Competitive, legitimacy_in(proof_focus, &mut reasons, Claim::WholeRecord))
            } else {
                // "Spread across fields" only when they are: one field with few certificates
                // is not a spread, just not yet a field to claim.
                reasons.push(if fields > 1 { Reason::SelfTraining } else { Reason::FewToClaim });
                (Register::Competitive, (Framing::Appetite, None, None))
            }
        }
        situation => {
            if situation.is_none() {
                reasons.push(Reason::NoSituation);
            }
            if !career.is_empty() {
                let target = focus(&career);
                reasons.push(Reason::CareerChange { motives: career.len() });
                if independent * 2 > career.len() || cert_ratio <= 0.2 {
                    reasons.push(Reason::IndependentCareerChange);
                    (Register::IndependentCareerChange, legitimacy_in(target, &mut reasons, Claim::TradeBeingPrepared))
                } else {
                    reasons.push(Reason::SalariedCareerChange);
                    (Register::SalariedCareerChange, legitimacy_in(target, &mut reasons, Claim::NewField))
                }
            } else if cert_ratio <= 0.2 || (!mostly_prescribed && cert_ratio < 0.5) {
                reasons.push(Reason::CoreOfTrade);
                (Register::CoreOfTrade, legitimacy_in(focus(&all), &mut reasons, Claim::TheTrade))
            } else if mostly_prescribed && prior * 3 >= certified.len().max(1) {
                reasons.push(Reason::Legitimation { certificates: prior });
                (Register::Legitimation, legitimacy_in(proof_focus, &mut reasons, Claim::LegitimateIn))
            } else {
                reasons.push(Reason::Opportunity);
                if concentrated {
                    (Register::Opportunity, legitimacy_in(proof_focus, &mut reasons, Claim::ProofConcentrates))
                } else {
                    reasons.push(if fields > 1 { Reason::Spread } else { Reason::FewToClaim });
                    (Register::Opportunity, (Framing::Appetite, None, None))
                }
            }
        }
    };
    // The advised portfolio must show something: a legitimacy scope without a valid
    // certificate shows its courses as followed, and says so.
    let scope = match (&field, &theme) {
        (Some(f), _) => Some(super::portfolio::Scope::Field(f.clone())),
        (None, Some(t)) => Some(super::portfolio::Scope::Theme(t.clone())),
        (None, None) => None,
    };
    let include_uncertified = scope.as_ref().is_some_and(|scope| {
        !all.iter()
            .any(|c| super::portfolio::in_scope(c, scope) && c.is_certified() && !super::portfolio::is_expired(c, now))
    });
    if include_uncertified {
        reasons
            .push(Reason::WithoutCertificates { scope: field.clone().or_else(|| theme.clone()).unwrap_or_default() });
    }
    Advice { framing, field, theme, register, include_uncertified, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_document;
    use serde_json::{Value, json};

    fn advise_now(doc: &Document) -> Advice {
        advise(doc, 1_800_000_000)
    }

    /// `certified`: whether it has an attestation; `prior`: prior mastery.
    fn course(title: &str, field: &str, theme: &str, mode: &str, certified: bool, prior: bool, motive: &str) -> Value {
        let mut c = json!({"title": title, "field": field, "themes": [theme], "follow_mode": mode,
                           "prior_mastery": prior, "started_on": "2020-01-01",
                           "outcome": if certified { "completed" } else { "audited" }});
        if !motive.is_empty() {
            c["motive"] = json!(motive);
        }
        if certified {
            c["attestation"] = json!({"kind": "achievement"});
        }
        c
    }

    fn doc(situation: &str, courses: Vec<Value>) -> Document {
        parse_document(
            json!({"certfolio": 1, "learner": {"name": "A", "situation": situation}, "courses": courses})
                .to_string()
                .as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn a_student_is_complementary() {
        let a = advise_now(&doc(
            "student",
            vec![
                course("Python", "computing", "python", "selective", false, false, "curiosité"),
                course("Bio", "biology", "genetics", "selective", false, false, "soutien à mes études"),
            ],
        ));
        assert_eq!(a.register, Register::Complementary);
        assert_eq!(a.framing, Framing::Appetite);
    }

    #[test]
    fn a_job_seeker_with_certificates_across_fields_is_competitive_and_shows_appetite() {
        let a = advise_now(&doc(
            "job_seeker",
            vec![
                course("Python", "computing", "python", "selective", true, false, ""),
                course("Marketing", "marketing", "digital", "selective", true, false, ""),
                course("Droit", "law", "numérique", "prescribed", true, false, ""),
                course("Compta", "management", "comptabilité", "selective", true, false, ""),
            ],
        ));
        assert_eq!(a.register, Register::Competitive);
        assert_eq!(a.framing, Framing::Appetite);
        assert_eq!(a.reasons[0], Reason::Certified { certified: 4, courses: 4, fields: 4 });
    }

    #[test]
    fn a_job_seeker_concentrated_in_one_field_claims_it() {
        let a = advise_now(&doc(
            "job_seeker",
            vec![
                course("Python", "computing", "python", "selective", true, false, ""),
                course("SQL", "computing", "databases", "selective", true, false, ""),
                course("Web", "computing", "web", "selective", true, false, ""),
                course("Marketing", "marketing", "digital", "selective", true, false, ""),
            ],
        ));
        assert_eq!(a.register, Register::Competitive);
        assert_eq!((a.framing, a.field.as_deref()), (Framing::Legitimacy, Some("computing")));
    }

    #[test]
    fn employed_with_prior_mastery_in_one_field_is_legitimation() {
        let a = advise_now(&doc(
            "employed",
            vec![
                course("Gestion de projet", "management", "gestion de projet", "prescribed", true, true, ""),
                course("Agile", "management", "gestion de projet", "prescribed", true, true, ""),
                course("Lean", "management", "lean", "prescribed", true, false, ""),
                course("Excel", "computing", "tableur", "prescribed", true, false, ""),
            ],
        ));
        assert_eq!(a.register, Register::Legitimation);
        assert_eq!(a.framing, Framing::Legitimacy);
        assert_eq!(a.field.as_deref(), Some("management"));
        // The reasons carry the figures; `i18n::advice_reason` words them.
        assert_eq!(
            a.reasons,
            vec![
                Reason::Certified { certified: 4, courses: 4, fields: 2 },
                Reason::Prescribed { prescribed: 4, known: 4 },
                Reason::Legitimation { certificates: 2 },
                Reason::Focus { count: 3, field: "management".into(), theme: None, claim: Claim::LegitimateIn },
            ]
        );
    }

    #[test]
    fn a_dominant_theme_is_advised_instead_of_its_field() {
        let a = advise_now(&doc(
            "employed",
            vec![
                course("Gestion de projet", "management", "gestion de projet", "prescribed", true, true, ""),
                course("Agile", "management", "gestion de projet", "prescribed", true, true, ""),
                course("Scrum", "management", "gestion de projet", "prescribed", true, false, ""),
                course("Lean", "management", "lean", "prescribed", true, false, ""),
            ],
        ));
        assert_eq!(a.register, Register::Legitimation);
        assert_eq!((a.field.as_deref(), a.theme.as_deref()), (None, Some("gestion de projet")));
    }

    #[test]
    fn employed_certified_without_prior_mastery_is_opportunity() {
        let a = advise_now(&doc(
            "employed",
            vec![
                course("Python", "computing", "python", "prescribed", true, false, "proposé par mon employeur"),
                course("Anglais", "languages", "anglais", "prescribed", true, false, ""),
                course("Droit", "law", "rgpd", "prescribed", true, false, ""),
            ],
        ));
        assert_eq!(a.register, Register::Opportunity);
        assert_eq!(a.framing, Framing::Appetite);
    }

    #[test]
    fn employed_selective_without_certificates_is_core_of_the_trade() {
        let a = advise_now(&doc(
            "employed",
            vec![
                course("Statistique", "statistics", "r", "selective", false, false, ""),
                course("Modèles mixtes", "statistics", "modèles", "selective", false, false, ""),
                course("Survie", "statistics", "survie", "selective", true, false, ""),
                course("Python", "computing", "python", "selective", false, false, ""),
                course("Séries", "statistics", "séries", "selective", false, false, ""),
                course("Bayes", "statistics", "bayes", "selective", false, false, ""),
            ],
        ));
        assert_eq!(a.register, Register::CoreOfTrade);
        assert_eq!(a.field.as_deref(), Some("statistics"));
    }

    #[test]
    fn employed_preparing_a_salaried_career_change() {
        let a = advise_now(&doc(
            "employed",
            vec![
                course("Python", "computing", "python", "prescribed", true, false, "reconversion professionnelle"),
                course("SQL", "computing", "bases de données", "prescribed", true, false, "Reconversion vers la data"),
                course("Compta", "management", "comptabilité", "prescribed", true, true, ""),
            ],
        ));
        assert_eq!(a.register, Register::SalariedCareerChange);
        assert_eq!((a.framing, a.field.as_deref()), (Framing::Legitimacy, Some("computing")));
    }

    #[test]
    fn employed_preparing_an_independent_activity() {
        let a = advise_now(&doc(
            "employed",
            vec![
                course(
                    "Créer son entreprise",
                    "entrepreneurship",
                    "création",
                    "prescribed",
                    false,
                    false,
                    "reconversion : devenir indépendant",
                ),
                course(
                    "Compta pour indépendants",
                    "entrepreneurship",
                    "comptabilité",
                    "selective",
                    false,
                    false,
                    "reconversion en freelance",
                ),
                course("Marketing", "marketing", "digital", "selective", false, false, "curiosité"),
            ],
        ));
        assert_eq!(a.register, Register::IndependentCareerChange);
        assert_eq!(a.field.as_deref(), Some("entrepreneurship"));
    }

    #[test]
    fn an_empty_record_gets_advice_to_fill_it() {
        let a = advise_now(&doc("employed", vec![]));
        assert_eq!(a.framing, Framing::Appetite);
        assert_eq!(a.reasons, vec![Reason::NoCourses]);
    }
}
