//! French and English for everything the portfolio prints: labels, attestation kinds,
//! outcomes, month names, and numbers ("1 240 h" / "1,240 h").
//!
//! French groups thousands with U+202F (narrow no-break space) and keeps the unit on the same
//! line with U+00A0, as the Imprimerie nationale rules and CLDR do. The PDF layout never
//! breaks a line at either, then draws them as ordinary spaces: poppler's `pdftotext` (and
//! copy-paste in most viewers) gives back U+0020 for both whatever the file holds, so the
//! text extracted from a portfolio is exactly the text drawn: "1 240 h", "« computing »".

use crate::domain::assurance::{Assurance, AssuranceSummary};
use crate::domain::badge::BadgeStatus;
use crate::domain::{AttestationKind, IsoDate, Lang, Outcome};

/// U+202F NARROW NO-BREAK SPACE: the French thousands separator.
pub const NNBSP: char = '\u{202f}';
/// U+00A0 NO-BREAK SPACE: between a number and its unit.
pub const NBSP: char = '\u{a0}';

/// Every fixed string of the portfolio, in one language.
#[derive(Debug)]
pub struct Labels {
    pub appetite_title: &'static str,
    pub legitimacy_field_title: &'static str,
    pub legitimacy_theme_title: &'static str,
    pub fig_courses: (&'static str, &'static str),
    pub fig_certificates: (&'static str, &'static str),
    pub fig_hours: &'static str,
    pub fig_years: &'static str,
    pub fig_completion: &'static str,
    pub fig_ects: (&'static str, &'static str),
    pub fig_institutions: (&'static str, &'static str),
    pub regularity: &'static str,
    pub regularity_by_year: &'static str,
    pub regularity_by_quarter: &'static str,
    pub diversity: &'static str,
    pub fields: &'static str,
    pub institutions: &'static str,
    pub platforms: &'static str,
    pub learning_now: &'static str,
    pub certified_courses: &'static str,
    pub uncertified_courses: &'static str,
    pub uncertified_intro: &'static str,
    pub proof: &'static str,
    pub issued_by: &'static str,
    pub other_theme: &'static str,
    pub credential: &'static str,
    pub grade: &'static str,
    pub verify: &'static str,
    pub prior_mastery: &'static str,
    pub new_skills: &'static str,
    pub ects_unit: &'static str,
    pub page: &'static str,
    pub generated_with: &'static str,
    pub share_verify: &'static str,
    pub verification_code: &'static str,
    pub in_progress_since: &'static str,
}

pub static FR: Labels = Labels {
    appetite_title: "Appétence pour l’autoformation",
    legitimacy_field_title: "Légitimité dans le domaine",
    legitimacy_theme_title: "Légitimité sur la thématique",
    fig_courses: ("cours suivi", "cours suivis"),
    fig_certificates: ("attestation obtenue", "attestations obtenues"),
    fig_hours: "heures d’étude",
    fig_years: "d’apprentissage continu",
    fig_completion: "des cours terminés",
    fig_ects: ("crédit ECTS", "crédits ECTS"),
    fig_institutions: ("établissement", "établissements"),
    regularity: "Régularité",
    regularity_by_year: "cours commencés par année, par domaine",
    regularity_by_quarter: "cours commencés par trimestre, par domaine",
    diversity: "Diversité",
    fields: "domaines",
    institutions: "établissements",
    platforms: "plateformes",
    learning_now: "En cours d’apprentissage",
    certified_courses: "Attestations obtenues",
    uncertified_courses: "Suivis sans attestation",
    uncertified_intro: "Cours suivis pour apprendre, sans viser d’attestation : autant d’heures de travail personnel.",
    proof: "Preuves de maîtrise",
    issued_by: "Délivrées par",
    other_theme: "Autres thématiques",
    credential: "Identifiant",
    grade: "note",
    verify: "Vérifier",
    prior_mastery: "Formalise des compétences acquises auparavant",
    new_skills: "Valide des compétences nouvelles",
    ects_unit: "ECTS",
    page: "page",
    generated_with: "Généré par certfolio le",
    share_verify: "Version vérifiable :",
    verification_code: "code",
    in_progress_since: "depuis",
};

pub static EN: Labels = Labels {
    appetite_title: "Appetite for self-training",
    legitimacy_field_title: "Legitimacy in the field",
    legitimacy_theme_title: "Legitimacy in the theme",
    fig_courses: ("course taken", "courses taken"),
    fig_certificates: ("certificate earned", "certificates earned"),
    fig_hours: "hours of study",
    fig_years: "of continuous learning",
    fig_completion: "of courses completed",
    fig_ects: ("ECTS credit", "ECTS credits"),
    fig_institutions: ("institution", "institutions"),
    regularity: "Regularity",
    regularity_by_year: "courses started per year, by field",
    regularity_by_quarter: "courses started per quarter, by field",
    diversity: "Diversity",
    fields: "fields",
    institutions: "institutions",
    platforms: "platforms",
    learning_now: "Learning now",
    certified_courses: "Certificates earned",
    uncertified_courses: "Followed without a certificate",
    uncertified_intro: "Courses taken to learn, not to be certified: hours of self-directed work all the same.",
    proof: "Proof of mastery",
    issued_by: "Issued by",
    other_theme: "Other themes",
    credential: "Credential ID",
    grade: "grade",
    verify: "Verify",
    prior_mastery: "Formalises skills acquired earlier",
    new_skills: "Validates new skills",
    ects_unit: "ECTS",
    page: "page",
    generated_with: "Generated by certfolio on",
    share_verify: "Verifiable copy:",
    verification_code: "code",
    in_progress_since: "since",
};

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_name(lang: Lang, month: u8) -> &'static str {
    let i = usize::from(month.clamp(1, 12) - 1);
    match lang {
        Lang::Fr => MONTHS_FR[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// "mars 2015" / "March 2015".
pub fn month_year(lang: Lang, date: IsoDate) -> String {
    format!("{} {}", month_name(lang, u8::from(date.0.month())), date.year())
}

/// A course's period: "février – avril 2015", "novembre 2014 – janvier 2015", or one month.
pub fn period(lang: Lang, start: Option<IsoDate>, end: Option<IsoDate>) -> Option<String> {
    match (start, end) {
        (Some(s), Some(e)) if s.year() == e.year() && s.0.month() == e.0.month() => Some(month_year(lang, e)),
        (Some(s), Some(e)) if s.year() == e.year() => {
            Some(format!("{} – {}", month_name(lang, u8::from(s.0.month())), month_year(lang, e)))
        }
        (Some(s), Some(e)) => Some(format!("{} – {}", month_year(lang, s), month_year(lang, e))),
        (Some(d), None) | (None, Some(d)) => Some(month_year(lang, d)),
        (None, None) => None,
    }
}

/// A whole number with grouped thousands: "1 240" (U+202F) / "1,240".
pub fn integer(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::Fr => NNBSP,
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A quantity that may have one decimal: "1 240", "12,5" / "1,240", "12.5".
pub fn decimal(lang: Lang, value: f64) -> String {
    let tenths = (value * 10.0).round();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to a sane, non-negative range.
    let tenths = tenths.clamp(0.0, 1e15) as u64;
    let whole = integer(lang, tenths / 10);
    match tenths % 10 {
        0 => whole,
        d => {
            let point = match lang {
                Lang::Fr => ',',
                Lang::En => '.',
            };
            format!("{whole}{point}{d}")
        }
    }
}

/// Hours of study: "1 240 h" / "1,240 h" (the unit never wraps away from its number).
pub fn hours(lang: Lang, value: f64) -> String {
    format!("{}{NBSP}h", decimal(lang, value))
}

/// A percentage: "86 %" (French puts a no-break space before %) / "86%".
pub fn percent(lang: Lang, ratio: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ratio is in [0, 1].
    let p = (ratio.clamp(0.0, 1.0) * 100.0).round() as u64;
    match lang {
        Lang::Fr => format!("{p}{NBSP}%"),
        Lang::En => format!("{p}%"),
    }
}

/// Chooses the singular or plural form; French treats 0 and 1 as singular, English only 1.
pub fn plural<'a>(lang: Lang, n: u64, one: &'a str, many: &'a str) -> &'a str {
    let singular = match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    if singular { one } else { many }
}

/// Chooses between the forms of a label for a possibly fractional quantity: French keeps
/// the singular below 2 ("1,5 crédit"), English only for exactly 1.
pub fn plural_f(lang: Lang, value: f64, forms: (&'static str, &'static str)) -> &'static str {
    let singular = match lang {
        Lang::Fr => value < 2.0,
        Lang::En => (value - 1.0).abs() < f64::EPSILON,
    };
    if singular { forms.0 } else { forms.1 }
}

/// "3 cours" / "3 courses".
pub fn count(lang: Lang, n: usize, one: &str, many: &str) -> String {
    let n = n as u64;
    format!("{}{NBSP}{}", integer(lang, n), plural(lang, n, one, many))
}

/// "10 ans" / "10 years".
pub fn years(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => count(lang, n, "an", "ans"),
        Lang::En => count(lang, n, "year", "years"),
    }
}

pub fn attestation_kind(lang: Lang, kind: AttestationKind) -> &'static str {
    use AttestationKind as K;
    match (lang, kind) {
        (Lang::Fr, K::Participation) => "Attestation de suivi",
        (Lang::Fr, K::Completion) => "Attestation d’achèvement",
        (Lang::Fr, K::Achievement) => "Attestation de réussite",
        (Lang::Fr, K::VerifiedCertificate) => "Certificat vérifié",
        (Lang::Fr, K::Badge) => "Badge numérique",
        (Lang::Fr, K::EctsCredits) => "Crédits ECTS",
        (Lang::En, K::Participation) => "Statement of participation",
        (Lang::En, K::Completion) => "Certificate of completion",
        (Lang::En, K::Achievement) => "Statement of accomplishment",
        (Lang::En, K::VerifiedCertificate) => "Verified certificate",
        (Lang::En, K::Badge) => "Digital badge",
        (Lang::En, K::EctsCredits) => "ECTS credits",
    }
}

/// "Attestation" / "Certificate", for an attestation recorded without its kind.
pub fn attestation_generic(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Attestation",
        Lang::En => "Certificate",
    }
}

/// How a course was followed, worded as the effort it was: not finishing is a legitimate
/// use of a course (PRODUCT.md), so nothing here reads as a failure.
pub fn outcome(lang: Lang, outcome: Outcome) -> &'static str {
    use Outcome as O;
    match (lang, outcome) {
        (Lang::Fr, O::Completed) => "suivi en entier",
        (Lang::Fr, O::Audited) => "suivi en auditeur libre",
        (Lang::Fr, O::Disengaged) => "parties choisies",
        (Lang::Fr, O::Sampled) => "modules explorés",
        (Lang::Fr, O::InProgress) => "en cours",
        (Lang::En, O::Completed) => "followed in full",
        (Lang::En, O::Audited) => "audited",
        (Lang::En, O::Disengaged) => "selected parts",
        (Lang::En, O::Sampled) => "modules explored",
        (Lang::En, O::InProgress) => "in progress",
    }
}

/// The mark beside a badge the issuer's data says is no longer valid.
pub fn badge_status_label(lang: Lang, status: BadgeStatus) -> &'static str {
    match (lang, status) {
        (Lang::Fr, BadgeStatus::Expired) => "badge expiré",
        (Lang::Fr, BadgeStatus::Revoked) => "badge révoqué",
        (Lang::Fr, BadgeStatus::Valid) => "badge valide",
        (Lang::En, BadgeStatus::Expired) => "badge expired",
        (Lang::En, BadgeStatus::Revoked) => "badge revoked",
        (Lang::En, BadgeStatus::Valid) => "badge valid",
    }
}

/// How a claim's level of proof is named, on the page and in the PDF.
pub fn assurance_label(lang: Lang, level: Assurance) -> &'static str {
    match (lang, level) {
        (Lang::Fr, Assurance::SelfDeclared) => "Déclaré",
        (Lang::Fr, Assurance::EvidenceFile) => "Justificatif déposé",
        (Lang::Fr, Assurance::IssuerLink) => "Lien de l’émetteur",
        (Lang::Fr, Assurance::BadgeData) => "Données de badge importées",
        (Lang::Fr, Assurance::SignatureVerified) => "Signature vérifiée",
        (Lang::En, Assurance::SelfDeclared) => "Self-declared",
        (Lang::En, Assurance::EvidenceFile) => "Evidence file uploaded",
        (Lang::En, Assurance::IssuerLink) => "Issuer verification link",
        (Lang::En, Assurance::BadgeData) => "Badge data imported",
        (Lang::En, Assurance::SignatureVerified) => "Signature verified",
    }
}

/// "18 claims: 12 with issuer links, 3 with evidence files, 3 self-declared" — the levels
/// present, strongest first.
pub fn summary_sentence(lang: Lang, s: &AssuranceSummary) -> String {
    let n = |v: usize| integer(lang, v as u64);
    let parts: Vec<(usize, &str, &str)> = match lang {
        Lang::Fr => vec![
            (s.signature_verified, "à la signature vérifiée", "à la signature vérifiée"),
            (s.badge_data, "importée d’un badge", "importées de badges"),
            (s.issuer_link, "avec lien de l’émetteur", "avec lien de l’émetteur"),
            (s.evidence_file, "avec justificatif", "avec justificatif"),
            (s.self_declared, "déclarée", "déclarées"),
        ],
        Lang::En => vec![
            (s.signature_verified, "with a verified signature", "with verified signatures"),
            (s.badge_data, "from badge data", "from badge data"),
            (s.issuer_link, "with an issuer link", "with issuer links"),
            (s.evidence_file, "with an evidence file", "with evidence files"),
            (s.self_declared, "self-declared", "self-declared"),
        ],
    };
    let listed: Vec<String> = parts
        .into_iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|(count, one, many)| format!("{}\u{a0}{}", n(count), if count == 1 { one } else { many }))
        .collect();
    let head = match lang {
        Lang::Fr => count(lang, s.claims, "affirmation", "affirmations"),
        Lang::En => count(lang, s.claims, "claim", "claims"),
    };
    format!("{head} : {}", listed.join(", ")).replace(" : ", if lang == Lang::Fr { "\u{a0}: " } else { ": " })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            period(Lang::En, Some(d("2014-11-01")), Some(d("2015-01-28"))).unwrap(),
            "November 2014 – January 2015"
        );
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
}
