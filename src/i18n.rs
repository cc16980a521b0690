//! French and English for everything the portfolio prints: labels, attestation kinds,
//! outcomes, month names, and numbers ("1 240 h" / "1,240 h").
//!
//! French groups thousands with U+202F (narrow no-break space) and keeps the unit on the same
//! line with U+00A0, as the Imprimerie nationale rules and CLDR do. The PDF layout never
//! breaks a line at either, then draws them as ordinary spaces: poppler's `pdftotext` (and
//! copy-paste in most viewers) gives back U+0020 for both whatever the file holds, so the
//! text extracted from a portfolio is exactly the text drawn: "1 240 h", "« computing »".

use crate::domain::advice::{Claim, Reason};
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
    regularity_by_year: "cours par année, par domaine",
    regularity_by_quarter: "cours par trimestre, par domaine",
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
    regularity_by_year: "courses per year, by field",
    regularity_by_quarter: "courses per quarter, by field",
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

/// A word quoted from the record: « computing » (no-break spaces inside) / “computing”.
pub fn quoted(lang: Lang, s: &str) -> String {
    match lang {
        Lang::Fr => format!("«{NBSP}{s}{NBSP}»"),
        Lang::En => format!("“{s}”"),
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
        (Lang::Fr, Assurance::IssuerPageChecked) => "Page de l’émetteur contrôlée",
        (Lang::Fr, Assurance::IssuerConfirmed) => "Confirmé par l’émetteur",
        (Lang::Fr, Assurance::SignatureVerified) => "Signature vérifiée",
        (Lang::Fr, Assurance::KnownIssuer) => "Émetteur reconnu",
        (Lang::En, Assurance::SelfDeclared) => "Self-declared",
        (Lang::En, Assurance::EvidenceFile) => "Evidence file uploaded",
        (Lang::En, Assurance::IssuerLink) => "Issuer verification link",
        (Lang::En, Assurance::BadgeData) => "Badge data imported",
        (Lang::En, Assurance::IssuerPageChecked) => "Issuer page checked",
        (Lang::En, Assurance::IssuerConfirmed) => "Confirmed by the issuer",
        (Lang::En, Assurance::SignatureVerified) => "Signature verified",
        (Lang::En, Assurance::KnownIssuer) => "Known issuer",
    }
}

/// "18 claims: 12 with issuer links, 3 with evidence files, 3 self-declared" — the levels
/// present, strongest first.
pub fn summary_sentence(lang: Lang, s: &AssuranceSummary) -> String {
    let n = |v: usize| integer(lang, v as u64);
    let parts: Vec<(usize, &str, &str)> = match lang {
        Lang::Fr => vec![
            (s.known_issuer, "d’un émetteur reconnu", "d’émetteurs reconnus"),
            (s.signature_verified, "à la signature vérifiée", "à la signature vérifiée"),
            (s.issuer_confirmed, "confirmée par l’émetteur", "confirmées par l’émetteur"),
            (s.issuer_page_checked, "à la page de l’émetteur contrôlée", "à la page de l’émetteur contrôlée"),
            (s.badge_data, "importée d’un badge", "importées de badges"),
            (s.issuer_link, "avec lien de l’émetteur", "avec lien de l’émetteur"),
            (s.evidence_file, "avec justificatif", "avec justificatif"),
            (s.self_declared, "déclarée", "déclarées"),
        ],
        Lang::En => vec![
            (s.known_issuer, "from a known issuer", "from known issuers"),
            (s.signature_verified, "with a verified signature", "with verified signatures"),
            (s.issuer_confirmed, "confirmed by the issuer", "confirmed by their issuers"),
            (s.issuer_page_checked, "with the issuer’s page checked", "with the issuer’s page checked"),
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

/// One reason of the framing advice, as a sentence. The English wording is the one the API
/// and the command line have always given; French follows its typography: a no-break space
/// before `:` and `%`, a narrow one before `;`, guillemets around words from the record.
pub fn advice_reason(lang: Lang, r: &Reason) -> String {
    let n = |v: usize| integer(lang, v as u64);
    let q = |s: &str| quoted(lang, s);
    match lang {
        Lang::Fr => match r {
            Reason::NoCourses => {
                format!("Votre dossier ne compte encore aucun cours{NNBSP}; ajoutez-en, puis redemandez conseil.")
            }
            Reason::Certified { certified, courses, fields } => format!(
                "{} cours sur {} ({}) {} par une attestation{NNBSP}; le dossier couvre {}.",
                n(*certified),
                n(*courses),
                percent(lang, ratio(*certified, *courses)),
                if *certified <= 1 { "a été validé" } else { "ont été validés" },
                count(lang, *fields, "domaine", "domaines"),
            ),
            Reason::Prescribed { prescribed, known } => format!(
                "Sur {} cours au mode de suivi connu, {} {} comme prescrit (tout le cours, à son rythme).",
                n(*known),
                n(*prescribed),
                if *prescribed <= 1 { "a été suivi" } else { "ont été suivis" },
            ),
            Reason::Student => format!(
                "En cours d’études, vos MOOC complètent votre cursus (registre {}){NBSP}: c’est l’habitude d’apprendre qu’il faut montrer.",
                q("complémentaire")
            ),
            Reason::ForItsOwnSake => format!(
                "Se former pour le plaisir d’apprendre relève surtout du registre {}{NBSP}: c’est l’habitude d’apprendre qu’il faut montrer.",
                q("complémentaire")
            ),
            Reason::JobSeeker => format!(
                "En recherche d’emploi, réunir des attestations en vue d’un futur poste relève du registre {} (accumulation).",
                q("compétitif")
            ),
            Reason::SelfTraining => "Des attestations réparties entre plusieurs domaines montrent la capacité et la volonté de se former plus que la maîtrise d’un sujet.".into(),
            Reason::FewToClaim => format!("Trop peu d’attestations encore pour faire valoir un domaine{NBSP}: c’est l’habitude d’apprendre qu’il faut montrer."),
            Reason::WithoutCertificates { scope } => format!(
                "Aucun cours de {} n’a encore d’attestation valide{NNBSP}: le portfolio les montre comme des cours suivis, sans prétendre davantage.",
                q(scope)
            ),
            Reason::NoSituation => format!(
                "Aucune situation n’est renseignée{NNBSP}; le conseil lit le dossier comme celui d’une personne en emploi."
            ),
            Reason::CareerChange { motives } => format!(
                "Pour {} cours, la motivation évoque une reconversion{NBSP}: un projet d’avenir.",
                n(*motives)
            ),
            Reason::IndependentCareerChange => format!(
                "Préparer une activité indépendante en choisissant les cours par sujet, sans viser les attestations, relève du registre {}.",
                q("bifurcation professionnelle indépendante")
            ),
            Reason::SalariedCareerChange => format!(
                "Des cours certifiants en vue d’un nouvel emploi relèvent du registre {}.",
                q("bifurcation professionnelle salariale")
            ),
            Reason::CoreOfTrade => format!(
                "Un usage sélectif, avec peu d’attestations et au service du travail actuel, relève du registre {}.",
                q("cœur de métier")
            ),
            Reason::Legitimation { certificates } => format!(
                "{} {} des compétences acquises auparavant{NBSP}: c’est le registre {} (compensatoire).",
                count(lang, *certificates, "attestation", "attestations"),
                if *certificates <= 1 { "formalise" } else { "formalisent" },
                q("légitimation")
            ),
            Reason::Opportunity => format!(
                "Des cours certifiants suivis au gré des occasions, pour le travail actuel, relèvent du registre {}.",
                q("opportunité")
            ),
            Reason::Spread => "Ils se répartissent entre plusieurs domaines, si bien que la volonté de continuer à apprendre est le message le plus fort.".into(),
            Reason::Focus { count: k, field, theme, claim } => {
                let what = match claim {
                    Claim::FieldToClaim => "un domaine à revendiquer",
                    Claim::WholeRecord => "tout le dossier tient dans ce domaine",
                    Claim::TradeBeingPrepared => "le métier en préparation",
                    Claim::NewField => "le nouveau domaine où se faire reconnaître",
                    Claim::TheTrade => "le métier lui-même",
                    Claim::LegitimateIn => "le domaine où asseoir sa légitimité",
                    Claim::ProofConcentrates => "là où se concentrent les preuves",
                };
                let verb = if *k <= 1 { "relève" } else { "relèvent" };
                match theme {
                    Some(t) => format!(
                        "{} de ces cours {verb} du domaine {}, la plupart sur {}{NBSP}: {what}.",
                        n(*k),
                        q(field),
                        q(t)
                    ),
                    None => format!("{} de ces cours {verb} du domaine {}{NBSP}: {what}.", n(*k), q(field)),
                }
            }
        },
        // Kept word for word as before the advice was localised (API clients and tests read it).
        Lang::En => match r {
            Reason::NoCourses => "The record has no courses yet; add some and ask again.".into(),
            Reason::Certified { certified, courses, fields } => format!(
                "{} of {} course{} ({}) earned an attestation, {}.",
                n(*certified),
                n(*courses),
                if *courses == 1 { "" } else { "s" },
                percent(lang, ratio(*certified, *courses)),
                match fields {
                    0 => "in no recorded field".to_owned(),
                    1 => "in 1 field".to_owned(),
                    f => format!("across {} fields", n(*f)),
                }
            ),
            Reason::Prescribed { prescribed, known } => format!(
                "{} of {} courses with a known follow mode were followed as prescribed (the whole course at its pace).",
                n(*prescribed),
                n(*known)
            ),
            Reason::Student => "As a student, courses complement your studies (register “complementary”): the habit of learning is what to show.".into(),
            Reason::ForItsOwnSake => "Learning for its own sake is closest to the “complementary” register: the habit of learning is what to show.".into(),
            Reason::JobSeeker => "As a job seeker, certificates gathered for a future job are the “competitive” (accumulation) register.".into(),
            Reason::SelfTraining => "Certificates spread across fields show the capacity and will to self-train more than mastery of one topic.".into(),
            Reason::FewToClaim => "Too few certificates yet to make one field the point: the habit of learning is what to show.".into(),
            Reason::WithoutCertificates { scope } => format!(
                "No course in {} has a valid certificate yet: the portfolio shows them as courses followed, claiming nothing more.",
                q(scope)
            ),
            Reason::NoSituation => "No situation is recorded; the advice reads the record as that of someone in work.".into(),
            Reason::CareerChange { motives } => format!(
                "{} course motive{} mention{} a career change: a future project.",
                n(*motives),
                if *motives == 1 { "" } else { "s" },
                if *motives == 1 { "s" } else { "" }
            ),
            Reason::IndependentCareerChange => "Preparing an independent activity by subject, certificates aside, is the “independent career change” register.".into(),
            Reason::SalariedCareerChange => "Certified courses towards a new job are the “salaried career change” register.".into(),
            Reason::CoreOfTrade => "Selective use with few certificates, for present work, is the “core of the trade” register.".into(),
            Reason::Legitimation { certificates } => format!(
                "{} certificate{} formalise{} skills acquired earlier: the “legitimation” (compensatory) register.",
                n(*certificates),
                if *certificates == 1 { "" } else { "s" },
                if *certificates == 1 { "s" } else { "" }
            ),
            Reason::Opportunity => "Certified courses taken as they came, for present work, are the “opportunity” register.".into(),
            Reason::Spread => "They spread across fields, so the will to keep learning is the stronger message.".into(),
            Reason::Focus { count: k, field, theme, claim } => {
                let what = match claim {
                    Claim::FieldToClaim => "a field to claim",
                    Claim::WholeRecord => "the whole record is one field",
                    Claim::TradeBeingPrepared => "the trade being prepared",
                    Claim::NewField => "the new field to be recognised in",
                    Claim::TheTrade => "the trade itself",
                    Claim::LegitimateIn => "the field to be legitimate in",
                    Claim::ProofConcentrates => "where the proof concentrates",
                };
                let are = if *k == 1 { "is" } else { "are" };
                match theme {
                    Some(t) => format!("{} of them {are} in {}, most on {}: {what}.", n(*k), q(field), q(t)),
                    None => format!("{} of them {are} in {}: {what}.", n(*k), q(field)),
                }
            }
        },
    }
}

/// Every reason of the advice, in order.
pub fn advice_reasons(lang: Lang, reasons: &[Reason]) -> Vec<String> {
    reasons.iter().map(|r| advice_reason(lang, r)).collect()
}

// ---------------------------------------------------------------------------------------------
// The portfolio's sentences and figures (`presentation`): worded here from the figures alone, so
// that a sentence never says more than a figure supports.

use crate::domain::portfolio::{FigureKey, Measure, Scope, Spread};

/// "Level of proof" / "Niveau de preuve".
pub fn level_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Niveau de preuve",
        Lang::En => "Level of proof",
    }
}

/// The heading of the learner's own statement on a portfolio: their words, not certfolio's.
pub fn in_my_words(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "En mes mots",
        Lang::En => "In my words",
    }
}

/// The section of the courses a learner put first.
pub fn pinned_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "À retenir en priorité",
        Lang::En => "Highlights",
    }
}

pub fn skills_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Compétences",
        Lang::En => "Skills",
    }
}

pub fn evidence_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Justificatif",
        Lang::En => "Evidence",
    }
}

pub fn evidence_sha_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "empreinte SHA-256",
        Lang::En => "SHA-256",
    }
}

pub fn other_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "autres",
        Lang::En => "other",
    }
}

/// ": " in English, "\u{a0}: " in French.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}: ",
        Lang::En => ": ",
    }
}

pub fn quarter(lang: Lang, q: u8) -> &'static str {
    match (lang, q) {
        (Lang::Fr, 1) => "T1",
        (Lang::Fr, 2) => "T2",
        (Lang::Fr, 3) => "T3",
        (Lang::Fr, _) => "T4",
        (Lang::En, 1) => "Q1",
        (Lang::En, 2) => "Q2",
        (Lang::En, 3) => "Q3",
        (Lang::En, _) => "Q4",
    }
}

/// What the diversity block counts.
#[derive(Debug, Clone, Copy)]
pub enum Dimension {
    Fields,
    Institutions,
    Platforms,
}

/// "field" / "fields" (by the count), "domaine" / "domaines"…
pub fn dimension_word(lang: Lang, which: Dimension, n: usize) -> &'static str {
    let (one, many) = match (lang, which) {
        (Lang::Fr, Dimension::Fields) => ("domaine", "domaines"),
        (Lang::Fr, Dimension::Institutions) => ("établissement", "établissements"),
        (Lang::Fr, Dimension::Platforms) => ("plateforme", "plateformes"),
        (Lang::En, Dimension::Fields) => ("field", "fields"),
        (Lang::En, Dimension::Institutions) => ("institution", "institutions"),
        (Lang::En, Dimension::Platforms) => ("platform", "platforms"),
    };
    plural(lang, n as u64, one, many)
}

/// "at least 3 fields": a count over the courses that record the dimension is a lower bound.
pub fn at_least(lang: Lang, word: &str) -> String {
    match lang {
        Lang::Fr => format!("{word} au moins"),
        Lang::En => format!("{word} at least"),
    }
}

pub fn course_word(lang: Lang, many: bool) -> &'static str {
    match (lang, many) {
        (Lang::Fr, _) => "cours",
        (Lang::En, false) => "course",
        (Lang::En, true) => "courses",
    }
}

pub fn cert_word(lang: Lang, many: bool) -> &'static str {
    match (lang, many) {
        (Lang::Fr, false) => "attestation",
        (Lang::Fr, true) => "attestations",
        (Lang::En, false) => "certificate",
        (Lang::En, true) => "certificates",
    }
}

pub fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "31 janvier 2025" / "31 January 2025".
pub fn day_month_year(lang: Lang, date: IsoDate) -> String {
    let month = month_name(lang, u8::from(date.0.month()));
    let day = date.0.day();
    match lang {
        Lang::Fr if day == 1 => format!("1er {month} {}", date.year()),
        _ => format!("{day} {month} {}", date.year()),
    }
}

/// The calendar day of a Unix time, in words.
pub fn day_month_year_of(lang: Lang, unix: i64) -> String {
    crate::domain::portfolio::day_of(unix).map(|d| day_month_year(lang, d)).unwrap_or_default()
}

/// "expires on 31 January 2027" / "expire le …".
pub fn expires_on(lang: Lang, on: &str) -> String {
    match lang {
        Lang::Fr => format!("expire le {on}"),
        Lang::En => format!("expires on {on}"),
    }
}

/// The mark of an expired certificate: "expired on 31 January 2025" / "expiré le …".
pub fn expired_on(lang: Lang, on: Option<&str>) -> String {
    match (lang, on) {
        (Lang::Fr, Some(d)) => format!("expiré le {d}"),
        (Lang::Fr, None) => "expiré".to_owned(),
        (Lang::En, Some(d)) => format!("expired on {d}"),
        (Lang::En, None) => "expired".to_owned(),
    }
}

fn n_of(lang: Lang, v: f64) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // counts: small, non-negative.
    let n = v.max(0.0).round() as u64;
    let _ = lang;
    n
}

/// A figure's value as printed.
pub fn figure_value(lang: Lang, m: &Measure) -> String {
    match m.key {
        FigureKey::Hours => hours(lang, m.value),
        FigureKey::Ects => decimal(lang, m.value),
        FigureKey::Completion => percent(lang, m.value),
        FigureKey::ContinuousYears => years(lang, n_of(lang, m.value) as usize),
        _ => integer(lang, n_of(lang, m.value)),
    }
}

/// What a figure counts, and over which courses when not every course carries the data:
/// "hours of study declared for 12 of 24 courses".
pub fn figure_label(lang: Lang, m: &Measure) -> String {
    let n = n_of(lang, m.value);
    let partial = m.known < m.of;
    let (known, of) = (integer(lang, m.known as u64), integer(lang, m.of as u64));
    match (lang, m.key) {
        (Lang::Fr, FigureKey::Courses) => plural(lang, n, "cours suivi", "cours suivis").to_owned(),
        (Lang::En, FigureKey::Courses) => plural(lang, n, "course taken", "courses taken").to_owned(),
        (Lang::Fr, FigureKey::Certificates) => {
            plural(lang, n, "attestation obtenue", "attestations obtenues").to_owned()
        }
        (Lang::En, FigureKey::Certificates) => plural(lang, n, "certificate earned", "certificates earned").to_owned(),
        (Lang::Fr, FigureKey::Hours) if partial => format!("d’étude, déclarées pour {known} cours sur {of}"),
        (Lang::Fr, FigureKey::Hours) => "d’étude".to_owned(),
        (Lang::En, FigureKey::Hours) if partial => format!("of study, declared for {known} of {of} courses"),
        (Lang::En, FigureKey::Hours) => "of study".to_owned(),
        (Lang::Fr, FigureKey::ContinuousYears) => {
            format!("d’apprentissage continu (depuis {})", m.since.map(|y| y.to_string()).unwrap_or_default())
        }
        (Lang::En, FigureKey::ContinuousYears) => {
            format!("of continuous learning (since {})", m.since.map(|y| y.to_string()).unwrap_or_default())
        }
        (Lang::Fr, FigureKey::Completion) if partial => format!("des cours terminés (sur {known} à l’issue connue)"),
        (Lang::Fr, FigureKey::Completion) => "des cours terminés".to_owned(),
        (Lang::En, FigureKey::Completion) if partial => {
            format!("of courses completed (of {known} with a known outcome)")
        }
        (Lang::En, FigureKey::Completion) => "of courses completed".to_owned(),
        (Lang::Fr, FigureKey::Institutions) => {
            let word = plural(lang, n, "établissement émetteur", "établissements émetteurs");
            if partial { format!("{word} (connus pour {known} attestations sur {of})") } else { word.to_owned() }
        }
        (Lang::En, FigureKey::Institutions) => {
            let word = plural(lang, n, "issuing institution", "issuing institutions");
            if partial { format!("{word} (named for {known} of {of} certificates)") } else { word.to_owned() }
        }
        (Lang::Fr, FigureKey::Ects) => plural_f(lang, m.value, ("crédit ECTS", "crédits ECTS")).to_owned(),
        (Lang::En, FigureKey::Ects) => plural_f(lang, m.value, ("ECTS credit", "ECTS credits")).to_owned(),
        (Lang::Fr, FigureKey::PriorMastery) => {
            let word = plural(
                lang,
                n,
                "formalise des compétences acquises auparavant",
                "formalisent des compétences acquises auparavant",
            );
            if partial { format!("{word} (renseigné pour {known} attestations sur {of})") } else { word.to_owned() }
        }
        (Lang::En, FigureKey::PriorMastery) => {
            let word = plural(lang, n, "formalises skills acquired earlier", "formalise skills acquired earlier");
            if partial { format!("{word} (recorded for {known} of {of} certificates)") } else { word.to_owned() }
        }
        (Lang::Fr, FigureKey::NewSkills) => {
            let word = plural(lang, n, "valide des compétences nouvelles", "valident des compétences nouvelles");
            if partial { format!("{word} (renseigné pour {known} attestations sur {of})") } else { word.to_owned() }
        }
        (Lang::En, FigureKey::NewSkills) => {
            let word = plural(lang, n, "validates new skills", "validate new skills");
            if partial { format!("{word} (recorded for {known} of {of} certificates)") } else { word.to_owned() }
        }
    }
}

fn measure(measures: &[Measure], key: FigureKey) -> Option<&Measure> {
    measures.iter().find(|m| m.key == key)
}

fn count_of(measures: &[Measure], key: FigureKey) -> usize {
    measure(measures, key).map_or(0, |m| m.courses.len())
}

/// The appetite portfolio's opening sentences, from its figures and the spread of its courses.
pub fn cover_appetite(lang: Lang, name: &str, measures: &[Measure], s: &Spread) -> Vec<String> {
    let courses = s.courses;
    let certified = count_of(measures, FigureKey::Certificates);
    let hours_m = measure(measures, FigureKey::Hours);
    let mut out = Vec::new();
    let when = match (s.first_year, s.last_year) {
        (Some(a), Some(b)) if a != b => match lang {
            Lang::Fr => format!(" entre {a} et {b}"),
            Lang::En => format!(" between {a} and {b}"),
        },
        (Some(a), _) => match lang {
            Lang::Fr => format!(" en {a}"),
            Lang::En => format!(" in {a}"),
        },
        _ => String::new(),
    };
    let n = |v: usize| integer(lang, v as u64);
    let first = match lang {
        Lang::Fr => {
            let mut t = format!("{name} a suivi {}{when}", count(lang, courses, "cours en ligne", "cours en ligne"));
            t.push_str(&match (certified, courses) {
                (0, 1) => ", sans attestation à ce jour".to_owned(),
                (0, _) => ", aucun encore sanctionné par une attestation".to_owned(),
                (1, 1) => ", sanctionné par une attestation".to_owned(),
                (c, all) if c == all => ", tous sanctionnés par une attestation".to_owned(),
                (c, _) => format!(
                    ", dont {} {} par une attestation",
                    n(c),
                    plural(lang, c as u64, "sanctionné", "sanctionnés")
                ),
            });
            if let Some(h) = hours_m {
                if h.known < h.of {
                    t.push_str(&format!(
                        ", et déclare {} d’étude pour {} d’entre eux",
                        hours(lang, h.value),
                        n(h.known)
                    ));
                } else {
                    t.push_str(&format!(", soit {} d’étude au total", hours(lang, h.value)));
                }
            }
            t.push('.');
            t
        }
        Lang::En => {
            let mut t = format!("{name} has taken {}{when}", count(lang, courses, "online course", "online courses"));
            t.push_str(&match (certified, courses) {
                (0, 1) => ", not certified yet".to_owned(),
                (0, _) => ", none of them certified yet".to_owned(),
                (1, 1) => ", certified".to_owned(),
                (c, all) if c == all => ", all of them certified".to_owned(),
                (c, _) => format!(", {} of them certified", n(c)),
            });
            if let Some(h) = hours_m {
                if h.known < h.of {
                    t.push_str(&format!(", and declares {} of study for {} of them", hours(lang, h.value), n(h.known)));
                } else {
                    t.push_str(&format!(", for {} of study in all", hours(lang, h.value)));
                }
            }
            t.push('.');
            t
        }
    };
    out.push(first);
    // Where they come from: only what the record names, and "at least" when some courses do not.
    if courses > 1 {
        let part = |names: &[(String, usize)], known: usize, one: &str, many: &str| -> Option<String> {
            if names.is_empty() {
                return None;
            }
            let c = count(lang, names.len(), one, many);
            Some(if known < courses {
                match lang {
                    Lang::Fr => format!("au moins {c}"),
                    Lang::En => format!("at least {c}"),
                }
            } else {
                c
            })
        };
        let parts: Vec<String> = match lang {
            Lang::Fr => [
                part(&s.fields, s.fields_known, "domaine", "domaines"),
                part(&s.institutions, s.institutions_known, "établissement", "établissements"),
                part(&s.platforms, s.platforms_known, "plateforme", "plateformes"),
            ],
            Lang::En => [
                part(&s.fields, s.fields_known, "field", "fields"),
                part(&s.institutions, s.institutions_known, "institution", "institutions"),
                part(&s.platforms, s.platforms_known, "platform", "platforms"),
            ],
        }
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            let list = join_and(lang, &parts);
            out.push(match lang {
                Lang::Fr => format!("Ces cours couvrent {list}."),
                Lang::En => format!("They span {list}."),
            });
        }
    }
    if s.in_progress > 0 {
        let k = s.in_progress as u64;
        out.push(match lang {
            Lang::Fr => format!(
                "{} {} en cours de suivi.",
                count(lang, s.in_progress, "cours", "cours"),
                plural(lang, k, "est", "sont")
            ),
            Lang::En => {
                format!(
                    "{} {} in progress.",
                    count(lang, s.in_progress, "course", "courses"),
                    plural(lang, k, "is", "are")
                )
            }
        });
    }
    out
}

/// "a, b and c" / "a, b et c".
fn join_and(lang: Lang, parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let and = match lang {
                Lang::Fr => "et",
                Lang::En => "and",
            };
            format!("{} {and} {last}", init.join(", "))
        }
    }
}

/// The legitimacy portfolio's opening sentences, from its figures.
pub fn cover_legitimacy(lang: Lang, name: &str, scope: &Scope, measures: &[Measure]) -> Vec<String> {
    let (fr_where, en_where) = match scope {
        Scope::Field(f) => (format!("dans le domaine {}", quoted(Lang::Fr, f)), format!("in {}", quoted(Lang::En, f))),
        Scope::Theme(t) => {
            (format!("sur la thématique {}", quoted(Lang::Fr, t)), format!("on {}", quoted(Lang::En, t)))
        }
        Scope::All => (String::new(), String::new()),
    };
    let certified = count_of(measures, FigureKey::Certificates);
    let hours_m = measure(measures, FigureKey::Hours);
    let n = |v: usize| integer(lang, v as u64);
    let mut out = Vec::new();
    if certified == 0 {
        out.push(match lang {
            Lang::Fr => format!("{name} a suivi des cours {fr_where}, sans attestation à ce jour."),
            Lang::En => format!("{name} has taken courses {en_where}, none certified yet."),
        });
        return out;
    }
    let institutions = measure(measures, FigureKey::Institutions);
    let mut first = match lang {
        Lang::Fr => format!("{name} présente {} {fr_where}", count(lang, certified, "attestation", "attestations")),
        Lang::En => format!("{name} holds {} {en_where}", count(lang, certified, "certificate", "certificates")),
    };
    if let Some(i) = institutions {
        let k = n_of(lang, i.value) as usize;
        first.push_str(&match lang {
            Lang::Fr => format!(
                ", {} par {}",
                plural(lang, certified as u64, "délivrée", "délivrées"),
                count(lang, k, "établissement", "établissements")
            ),
            Lang::En => format!(", issued by {}", count(lang, k, "institution", "institutions")),
        });
        if i.known < i.of {
            first.push_str(&match lang {
                Lang::Fr => format!(" (nommés pour {} d’entre elles)", n(i.known)),
                Lang::En => format!(" (named for {} of them)", n(i.known)),
            });
        }
    }
    if let Some(h) = hours_m {
        first.push_str(&match (lang, h.known < h.of) {
            (Lang::Fr, false) => format!(", pour {} d’étude", hours(lang, h.value)),
            (Lang::Fr, true) => {
                format!(", pour {} d’étude déclarées pour {} d’entre elles", hours(lang, h.value), n(h.known))
            }
            (Lang::En, false) => format!(", for {} of study", hours(lang, h.value)),
            (Lang::En, true) => format!(", for {} of study declared for {} of them", hours(lang, h.value), n(h.known)),
        });
    }
    if let Some(e) = measure(measures, FigureKey::Ects) {
        first.push_str(&match lang {
            Lang::Fr => {
                format!(" et {} {}", decimal(lang, e.value), plural_f(lang, e.value, ("crédit ECTS", "crédits ECTS")))
            }
            Lang::En => {
                format!(" and {} {}", decimal(lang, e.value), plural_f(lang, e.value, ("ECTS credit", "ECTS credits")))
            }
        });
    }
    first.push('.');
    out.push(first);
    let prior = measure(measures, FigureKey::PriorMastery);
    let new = measure(measures, FigureKey::NewSkills);
    let known = prior.or(new).map_or(0, |m| m.known);
    let mut parts = Vec::new();
    if let Some(p) = prior {
        let k = p.courses.len();
        parts.push(match lang {
            Lang::Fr => format!(
                "{} {} des compétences acquises auparavant",
                n(k),
                plural(lang, k as u64, "formalise", "formalisent")
            ),
            Lang::En => {
                format!("{} {} skills acquired earlier", n(k), plural(lang, k as u64, "formalises", "formalise"))
            }
        });
    }
    if let Some(p) = new {
        let k = p.courses.len();
        parts.push(match lang {
            Lang::Fr => format!("{} {} des compétences nouvelles", n(k), plural(lang, k as u64, "valide", "valident")),
            Lang::En => format!("{} {} new skills", n(k), plural(lang, k as u64, "validates", "validate")),
        });
    }
    if !parts.is_empty() {
        let sep = match lang {
            Lang::Fr => "\u{202f}; ",
            Lang::En => "; ",
        };
        let lead = if known < certified {
            match lang {
                Lang::Fr => format!("Sur les {} où c’est renseigné, ", n(known)),
                Lang::En => format!("Of the {} where it is recorded, ", n(known)),
            }
        } else {
            String::new()
        };
        let body = parts.join(sep);
        out.push(if lead.is_empty() { format!("{}.", capitalise_first(&body)) } else { format!("{lead}{body}.") });
    }
    out
}

/// Why a portfolio shows nothing.
pub fn empty_message(lang: Lang, scope: &Scope) -> String {
    match (lang, scope) {
        (Lang::Fr, Scope::Field(f)) => {
            format!("Aucune attestation valide dans le domaine {} pour l’instant.", quoted(lang, f))
        }
        (Lang::Fr, Scope::Theme(t)) => {
            format!("Aucune attestation valide sur la thématique {} pour l’instant.", quoted(lang, t))
        }
        (Lang::Fr, Scope::All) => "Ce portfolio ne contient aucun cours.".to_owned(),
        (Lang::En, Scope::Field(f)) => format!("No valid certificate in {} yet.", quoted(lang, f)),
        (Lang::En, Scope::Theme(t)) => format!("No valid certificate on {} yet.", quoted(lang, t)),
        (Lang::En, Scope::All) => "This portfolio has no course.".to_owned(),
    }
}

/// What would fill an empty portfolio.
pub fn empty_fill(lang: Lang, uncertified: usize, expired: usize) -> Vec<String> {
    let mut out = Vec::new();
    let n = |v: usize| integer(lang, v as u64);
    if uncertified > 0 {
        out.push(match (lang, uncertified) {
            (Lang::Fr, 1) => "Inclure le cours suivi sans attestation.".to_owned(),
            (Lang::Fr, k) => format!("Inclure les {} cours suivis sans attestation.", n(k)),
            (Lang::En, 1) => "Include the course followed without a certificate.".to_owned(),
            (Lang::En, k) => format!("Include the {} courses followed without a certificate.", n(k)),
        });
    }
    if expired > 0 {
        out.push(match (lang, expired) {
            (Lang::Fr, 1) => "Inclure l’attestation expirée.".to_owned(),
            (Lang::Fr, k) => format!("Inclure les {} attestations expirées.", n(k)),
            (Lang::En, 1) => "Include the expired certificate.".to_owned(),
            (Lang::En, k) => format!("Include the {} expired certificates.", n(k)),
        });
    }
    if out.is_empty() {
        out.push(match lang {
            Lang::Fr => "Ajouter un cours de ce domaine, ou choisir un autre cadrage.".to_owned(),
            Lang::En => "Add a course of this field, or choose another framing.".to_owned(),
        });
    }
    out
}

/// `part / whole`, 0 for an empty whole.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

// ---------------------------------------------------------------------------------------------
// What certfolio checked itself (issue 13, `verify`, `domain::check`): the check line of each
// claim, its marks, and the trust note of the "not inflated" summary. Built from the stored
// result's facts only; technical details that come from the network (an HTTP status, an
// address) are quoted as they are.

use crate::domain::check::{
    CheckResult, NotChecked as CheckMiss, Outcome as CheckOutcome, Reason as CheckReason, Recipient, Source,
    StatusResult, What,
};

/// "checked on 15 January 2027" (or "tried on …" when nothing could be checked).
pub fn checked_on(lang: Lang, day: &str, tried_only: bool) -> String {
    match (lang, tried_only) {
        (Lang::Fr, false) => format!("vérifié le {day}"),
        (Lang::Fr, true) => format!("tenté le {day}"),
        (Lang::En, false) => format!("checked on {day}"),
        (Lang::En, true) => format!("tried on {day}"),
    }
}

/// A check waiting for its first run.
pub fn check_queued(lang: Lang, page: Option<&str>) -> String {
    match (lang, page) {
        (Lang::Fr, None) => "Vérification par certfolio en attente : le badge n’a pas encore été contrôlé".into(),
        (Lang::Fr, Some(host)) => format!("Page de l’émetteur ({host}) : contrôle par certfolio en attente"),
        (Lang::En, None) => "Check by certfolio queued: the badge has not been checked yet".into(),
        (Lang::En, Some(host)) => format!("Issuer page ({host}): check by certfolio queued"),
    }
}

/// The words of a link on a host certfolio does not check, on the page.
pub fn open_learner_link(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Ouvrir le lien donné par l’apprenant",
        Lang::En => "Open the learner’s link",
    }
}

/// A link on a host certfolio does not check.
pub fn learner_link(lang: Lang, host: &str) -> String {
    match lang {
        Lang::Fr => format!("Lien donné par l’apprenant ({host}) : certfolio ne contrôle pas les pages de ce site"),
        Lang::En => format!("Link given by the learner ({host}): certfolio does not check pages of this host"),
    }
}

/// Where a key or a confirmation came from, as a source: "university.example".
pub fn source_text(lang: Lang, source: &Source) -> String {
    match (lang, source) {
        (_, Source::Fetched { host, .. }) => host.clone(),
        (Lang::Fr, Source::Identifier { method }) => format!("l’identifiant {method}"),
        (Lang::En, Source::Identifier { method }) => format!("the {method} identifier"),
        (Lang::Fr, Source::TrustFile) => "le fichier des émetteurs de confiance de l’opérateur".into(),
        (Lang::En, Source::TrustFile) => "the operator’s trust file".into(),
    }
}

fn what_text(lang: Lang, what: What) -> &'static str {
    match (lang, what) {
        (Lang::Fr, What::Assertion) => "l’assertion hébergée",
        (Lang::Fr, What::BadgeClass) => "la classe du badge",
        (Lang::Fr, What::IssuerProfile) => "le profil de l’émetteur",
        (Lang::Fr, What::Key) => "la clé de signature",
        (Lang::Fr, What::DidDocument) => "le document DID",
        (Lang::Fr, What::Context) => "un contexte JSON-LD",
        (Lang::Fr, What::Signature) => "la signature",
        (Lang::Fr, What::Status) => "la liste de statut",
        (Lang::Fr, What::Page) => "la page de l’émetteur",
        (Lang::En, What::Assertion) => "the hosted assertion",
        (Lang::En, What::BadgeClass) => "the badge class",
        (Lang::En, What::IssuerProfile) => "the issuer’s profile",
        (Lang::En, What::Key) => "the signing key",
        (Lang::En, What::DidDocument) => "the DID document",
        (Lang::En, What::Context) => "a JSON-LD context",
        (Lang::En, What::Signature) => "the signature",
        (Lang::En, What::Status) => "the status list",
        (Lang::En, What::Page) => "the issuer’s page",
    }
}

/// Why something was not checked, in a few words: "refused address 127.0.0.1".
pub fn reason_text(lang: Lang, r: &CheckReason) -> String {
    let fr = lang == Lang::Fr;
    let addr = r.addr.as_deref().unwrap_or("?");
    match r.code.as_str() {
        "offline" if fr => "certfolio fonctionne hors ligne".into(),
        "offline" => "certfolio runs offline".into(),
        "address_refused" if fr => format!("adresse refusée {addr} (certfolio ne contacte que des adresses publiques)"),
        "address_refused" => format!("refused address {addr} (certfolio reaches public addresses only)"),
        "status" if fr => format!("le serveur a répondu {}", r.status.unwrap_or_default()),
        "status" => format!("the server answered {}", r.status.unwrap_or_default()),
        "timeout" | "connect_timeout" if fr => "le serveur n’a pas répondu à temps".into(),
        "timeout" | "connect_timeout" => "the server did not answer in time".into(),
        "dns" if fr => "ce nom de domaine n’existe pas".into(),
        "dns" => "no such host".into(),
        "connect" if fr => "connexion impossible".into(),
        "connect" => "no connection".into(),
        "tls" if fr => "certificat TLS refusé".into(),
        "tls" => "its TLS certificate was refused".into(),
        "busy" | "budget" if fr => "trop de vérifications en cours ; nouvel essai bientôt".into(),
        "busy" | "budget" => "too many checks under way; will try again soon".into(),
        "scheme_not_allowed" | "https_downgrade" if fr => "adresse non https".into(),
        "scheme_not_allowed" | "https_downgrade" => "not an https address".into(),
        "content_type" | "content_encoding" | "malformed" | "too_large" if fr => "réponse illisible".into(),
        "content_type" | "content_encoding" | "malformed" | "too_large" => "an answer certfolio cannot read".into(),
        "unsupported" if fr => "méthode que certfolio ne sait pas vérifier".into(),
        "unsupported" => "a method certfolio does not check".into(),
        _ if fr => "document indisponible".into(),
        _ => "not available".into(),
    }
}

fn miss_text(lang: Lang, m: &CheckMiss) -> String {
    let on = m.url.as_deref().and_then(crate::domain::issuers::host_of).map(|h| match lang {
        Lang::Fr => format!(" sur {h}"),
        Lang::En => format!(" at {h}"),
    });
    format!("{}{} ({})", what_text(lang, m.what), on.unwrap_or_default(), reason_text(lang, &m.reason))
}

fn host_in(m: Option<&CheckMiss>) -> Option<String> {
    m.and_then(|m| m.url.as_deref()).and_then(crate::domain::issuers::host_of)
}

/// Why a badge is not tied to its issuer, from the problem's code.
fn untied_text(lang: Lang, problem: Option<&CheckMiss>) -> &'static str {
    let code = problem.map_or("", |p| p.reason.code.as_str());
    match (lang, code) {
        (Lang::Fr, "embedded_key") => "signé avec une clé que le badge porte lui-même, qui ne dit pas qui a signé",
        (Lang::Fr, "not_the_issuer") => "la clé de signature n’est pas celle de l’émetteur",
        (Lang::Fr, "origin") => "l’assertion n’est pas hébergée sur le domaine de son émetteur",
        (Lang::Fr, "rejected") => "sa preuve est refusée",
        (Lang::Fr, _) => "aucune signature que certfolio puisse vérifier",
        (Lang::En, "embedded_key") => "signed with a key the badge carries itself, which says nothing of who signed",
        (Lang::En, "not_the_issuer") => "the signing key is not the issuer’s",
        (Lang::En, "origin") => "the assertion is not hosted within its issuer’s domain",
        (Lang::En, "rejected") => "its proof is refused",
        (Lang::En, _) => "no signature certfolio could check",
    }
}

/// What a badge check found, as one sentence: the outcome, who signed and where the key came
/// from, the status lists, the recipient, what could not be checked.
pub fn badge_check_text(lang: Lang, r: &CheckResult) -> String {
    let fr = lang == Lang::Fr;
    let signer = r.signer.as_deref().unwrap_or(if fr { "un signataire inconnu" } else { "an unknown signer" });
    let problem = r.problem.as_ref();
    let mut parts: Vec<String> = Vec::new();
    let head = match r.outcome {
        CheckOutcome::Verified => match (&r.known_as, &r.source) {
            (Some(name), _) if fr => {
                format!("Signature vérifiée par certfolio avec la clé que l’opérateur reconnaît pour {name}")
            }
            (Some(name), _) => format!("Signature verified by certfolio with the key the operator trusts for {name}"),
            (None, Some(Source::Identifier { method })) if fr => format!(
                "Signature vérifiée par certfolio : signé par {signer}, clé lue dans l’identifiant {method} (qui ne nomme aucune organisation)"
            ),
            (None, Some(Source::Identifier { method })) => format!(
                "Signature verified by certfolio: signed by {signer}, key read from the {method} identifier (which names no organisation)"
            ),
            (None, Some(Source::Fetched { host, .. })) if fr => {
                format!("Signature vérifiée par certfolio : signé par {signer}, clé obtenue de {host}")
            }
            (None, Some(Source::Fetched { host, .. })) => {
                format!("Signature verified by certfolio: signed by {signer}, key fetched from {host}")
            }
            (None, _) if fr => format!("Signature vérifiée par certfolio : signé par {signer}"),
            (None, _) => format!("Signature verified by certfolio: signed by {signer}"),
        },
        CheckOutcome::Confirmed => {
            let host = match &r.source {
                Some(Source::Fetched { host, .. }) => host.clone(),
                _ => signer.to_owned(),
            };
            if fr {
                format!("Confirmé par le serveur de l’émetteur : {host} sert la même assertion")
            } else {
                format!("Confirmed by the issuer’s server: {host} serves the same assertion")
            }
        }
        CheckOutcome::Revoked => {
            let how = match (problem.and_then(|p| p.reason.status), host_in(problem)) {
                (Some(410), Some(h)) if fr => format!(" ({h} répond 410 Gone)"),
                (Some(410), Some(h)) => format!(" ({h} answers 410 Gone)"),
                _ if problem.is_some_and(|p| p.reason.code == "declared") => {
                    if fr {
                        " (les données du badge le disent)".to_owned()
                    } else {
                        " (the badge data says so)".to_owned()
                    }
                }
                (_, Some(h)) if fr => format!(" (selon {h})"),
                (_, Some(h)) => format!(" (says {h})"),
                _ => String::new(),
            };
            if fr { format!("Révoqué par l’émetteur{how}") } else { format!("Revoked by the issuer{how}") }
        }
        CheckOutcome::Suspended if fr => "Suspendu par l’émetteur (liste de statut)".into(),
        CheckOutcome::Suspended => "Suspended by the issuer (status list)".into(),
        CheckOutcome::OtherRecipient if fr => {
            "Délivré à quelqu’un d’autre : le badge nomme une autre adresse que celles de ce compte".into()
        }
        CheckOutcome::OtherRecipient => {
            "Issued to someone else: the badge names another email than this account’s".into()
        }
        CheckOutcome::SignatureInvalid if fr => {
            "La signature ne correspond pas aux données : badge modifié, ou non signé par son émetteur".into()
        }
        CheckOutcome::SignatureInvalid => {
            "The signature does not match the data: altered, or not signed by its issuer".into()
        }
        CheckOutcome::Mismatch if fr => "La copie de l’émetteur diffère de ce badge".into(),
        CheckOutcome::Mismatch => "The issuer’s copy differs from this badge".into(),
        CheckOutcome::Unverified if fr => {
            format!("Données du badge lues, non liées à l’émetteur : {}", untied_text(lang, problem))
        }
        CheckOutcome::Unverified => format!("Badge data read, not tied to its issuer: {}", untied_text(lang, problem)),
        CheckOutcome::NotChecked => {
            let why = problem.or(r.not_checked.first()).map(|m| miss_text(lang, m));
            match (fr, why) {
                (true, Some(w)) => format!("Non vérifié : {w}"),
                (true, None) => "Non vérifié".into(),
                (false, Some(w)) => format!("Not checked: {w}"),
                (false, None) => "Not checked".into(),
            }
        }
        // Page outcomes are worded by `link_check_text`.
        CheckOutcome::PageChecked | CheckOutcome::PageUnconfirmed | CheckOutcome::LinkBroken => String::new(),
    };
    parts.push(head);
    for s in &r.status {
        let host = s.url.as_deref().and_then(crate::domain::issuers::host_of).unwrap_or_default();
        let text = match (&s.result, fr) {
            (StatusResult::NotRevoked, true) => format!("non révoqué (liste de statut sur {host})"),
            (StatusResult::NotRevoked, false) => format!("not revoked (status list at {host})"),
            (StatusResult::Revoked | StatusResult::Suspended, true) => format!("liste de statut sur {host}"),
            (StatusResult::Revoked | StatusResult::Suspended, false) => format!("status list at {host}"),
            (StatusResult::Refused { reason }, true) => format!("liste de statut sur {host} refusée ({reason})"),
            (StatusResult::Refused { reason }, false) => format!("status list at {host} refused ({reason})"),
            (StatusResult::NotChecked { reason }, true) => {
                format!("liste de statut non consultée ({})", reason_text(lang, reason))
            }
            (StatusResult::NotChecked { reason }, false) => {
                format!("status list not checked ({})", reason_text(lang, reason))
            }
        };
        parts.push(text);
    }
    match (&r.recipient, fr) {
        (Recipient::Matches { .. }, true) => parts.push("délivré à l’adresse de ce compte".into()),
        (Recipient::Matches { .. }, false) => parts.push("issued to this account’s email".into()),
        (Recipient::NoEmail, true) => parts.push("destinataire non désigné par une adresse e-mail".into()),
        (Recipient::NoEmail, false) => parts.push("recipient not named by an email".into()),
        (Recipient::NotComparable { .. }, true) => parts.push("destinataire non comparable".into()),
        (Recipient::NotComparable { .. }, false) => parts.push("recipient not comparable".into()),
        _ => {}
    }
    // What else could not be checked (the first of them is the headline when nothing was).
    let skip = usize::from(r.outcome == CheckOutcome::NotChecked && problem.is_none());
    {
        for m in r.not_checked.iter().skip(skip).take(2) {
            parts.push(if fr {
                format!("non vérifié : {}", miss_text(lang, m))
            } else {
                format!("not checked: {}", miss_text(lang, m))
            });
        }
    }
    let sep = if fr { "\u{a0}; " } else { "; " };
    parts.retain(|p| !p.is_empty());
    parts.join(sep)
}

/// What the check of a known issuer's page found.
pub fn link_check_text(lang: Lang, r: &CheckResult, since: Option<&str>) -> String {
    let fr = lang == Lang::Fr;
    let host = r.page.as_ref().map(|p| p.host.clone()).or_else(|| host_in(r.problem.as_ref())).unwrap_or_default();
    match (r.outcome, &r.page) {
        (CheckOutcome::PageChecked, Some(p)) if fr => {
            format!("Page de l’émetteur contrôlée par certfolio : {host} répond et nomme {} et le cours", p.learner)
        }
        (CheckOutcome::PageChecked, Some(p)) => {
            format!("Issuer page checked by certfolio: {host} answers and names {} and the course", p.learner)
        }
        (CheckOutcome::PageUnconfirmed, Some(p)) => {
            let missing = match (p.names_learner, p.names_course, fr) {
                (false, false, true) => "ni l’apprenant ni le cours",
                (false, _, true) => "pas l’apprenant",
                (_, _, true) => "pas le cours",
                (false, false, false) => "neither the learner nor the course",
                (false, _, false) => "not the learner",
                (_, _, false) => "not the course",
            };
            if fr {
                format!("La page de l’émetteur répond ({host}) mais ne nomme {missing}")
            } else {
                format!("The issuer’s page answers ({host}) but names {missing}")
            }
        }
        (CheckOutcome::LinkBroken, _) => {
            let why = r.problem.as_ref().map(|m| reason_text(lang, &m.reason)).unwrap_or_default();
            match (since, fr) {
                (Some(d), true) => format!("Lien rompu depuis le {d} : {host}, {why}"),
                (None, true) => format!("Lien rompu : {host}, {why}"),
                (Some(d), false) => format!("Link broken since {d}: {host}, {why}"),
                (None, false) => format!("Link broken: {host}, {why}"),
            }
        }
        _ => {
            let why = r.problem.as_ref().map(|m| reason_text(lang, &m.reason)).unwrap_or_default();
            if fr {
                format!("Page de l’émetteur ({host}) non contrôlée : {why}")
            } else {
                format!("Issuer page ({host}) not checked: {why}")
            }
        }
    }
}

/// The short mark beside a claim's level for what a check found against it.
pub fn check_mark(lang: Lang, outcome: CheckOutcome, since: Option<&str>) -> Option<String> {
    let fr = lang == Lang::Fr;
    let with_since = |fr_word: &str, en_word: &str| match (since, fr) {
        (Some(d), true) => format!("{fr_word} depuis le {d}"),
        (None, true) => fr_word.to_owned(),
        (Some(d), false) => format!("{en_word} since {d}"),
        (None, false) => en_word.to_owned(),
    };
    Some(match outcome {
        CheckOutcome::Revoked => with_since("révoqué", "revoked"),
        CheckOutcome::Suspended => with_since("suspendu", "suspended"),
        CheckOutcome::LinkBroken => with_since("lien rompu", "link broken"),
        CheckOutcome::OtherRecipient if fr => "délivré à quelqu’un d’autre".into(),
        CheckOutcome::OtherRecipient => "issued to someone else".into(),
        CheckOutcome::SignatureInvalid if fr => "signature invalide".into(),
        CheckOutcome::SignatureInvalid => "signature does not match".into(),
        CheckOutcome::Mismatch if fr => "diffère de la copie de l’émetteur".into(),
        CheckOutcome::Mismatch => "differs from the issuer’s copy".into(),
        CheckOutcome::PageUnconfirmed if fr => "page de l’émetteur sans ce nom".into(),
        CheckOutcome::PageUnconfirmed => "issuer page does not name it".into(),
        _ => return None,
    })
}

/// The mark of a verified credential whose revocation status could not be established.
pub fn status_unknown_mark(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "statut de révocation inconnu",
        Lang::En => "revocation status unknown",
    }
}

/// The dashboard's words for certfolio's checks.
pub struct CheckWords {
    pub heading: &'static str,
    pub intro: &'static str,
    pub changes: &'static str,
    pub no_change: &'static str,
    pub check_now: &'static str,
    pub done: &'static str,
    pub running: &'static str,
    pub too_soon: &'static str,
}

pub fn check_words(lang: Lang) -> &'static CheckWords {
    match lang {
        Lang::Fr => &CheckWords {
            heading: "Vérifications par certfolio",
            intro: "certfolio vérifie lui-même vos badges et les pages des émetteurs connus, puis recommence chaque semaine : les recruteurs voient ce qui a été vérifié, quand et auprès de quoi.",
            changes: "Ce qui a changé",
            no_change: "Aucun changement depuis trois mois.",
            check_now: "Vérifier maintenant",
            done: "Vérifications faites : les résultats ci-dessous sont à jour.",
            running: "Vérifications en cours : les résultats arrivent dans quelques minutes.",
            too_soon: "Vous venez de demander une vérification : réessayez dans quelques minutes.",
        },
        Lang::En => &CheckWords {
            heading: "Checks by certfolio",
            intro: "certfolio checks your badges and known issuers’ pages itself, then again every week: recruiters see what was checked, when and against what.",
            changes: "What changed",
            no_change: "No change in the last three months.",
            check_now: "Check now",
            done: "Checks done: the results below are up to date.",
            running: "Checks under way: the results come in a few minutes.",
            too_soon: "You asked for a check a moment ago: try again in a few minutes.",
        },
    }
}

/// "3 proofs checked by certfolio, last on 15 January 2027; 1 queued."
pub fn checks_summary(lang: Lang, checked: usize, last: Option<&str>, queued: usize) -> String {
    let n = |v: usize| integer(lang, v as u64);
    let mut out = match (lang, last) {
        (Lang::Fr, Some(d)) => format!(
            "{} {} par certfolio, la dernière le {d}",
            n(checked),
            plural(lang, checked as u64, "preuve vérifiée", "preuves vérifiées")
        ),
        (Lang::Fr, None) => "Aucune preuve vérifiée pour l’instant".to_owned(),
        (Lang::En, Some(d)) => format!(
            "{} {} by certfolio, last on {d}",
            n(checked),
            plural(lang, checked as u64, "proof checked", "proofs checked")
        ),
        (Lang::En, None) => "No proof checked yet".to_owned(),
    };
    if queued > 0 {
        out.push_str(&match lang {
            Lang::Fr => format!("\u{a0}; {} en attente.", n(queued)),
            Lang::En => format!("; {} queued.", n(queued)),
        });
    } else {
        out.push('.');
    }
    out
}

/// A change of outcome, for the learner: "revoked (badge), on 3 February 2027".
pub fn check_change(lang: Lang, kind: crate::domain::check::CheckKind, to: CheckOutcome, on: &str) -> String {
    use crate::domain::check::CheckKind;
    let what = match (lang, kind) {
        (Lang::Fr, CheckKind::Badge) => "badge",
        (Lang::Fr, CheckKind::Link) => "lien",
        (Lang::En, CheckKind::Badge) => "badge",
        (Lang::En, CheckKind::Link) => "link",
    };
    let outcome = check_mark(lang, to, None).unwrap_or_else(|| match (lang, to) {
        (Lang::Fr, CheckOutcome::Verified | CheckOutcome::Confirmed | CheckOutcome::PageChecked) => "vérifié".into(),
        (Lang::En, CheckOutcome::Verified | CheckOutcome::Confirmed | CheckOutcome::PageChecked) => "checked".into(),
        (Lang::Fr, _) => "non vérifié".into(),
        (Lang::En, _) => "not checked".into(),
    });
    match lang {
        Lang::Fr => format!("{outcome} ({what}), le {on}"),
        Lang::En => format!("{outcome} ({what}), on {on}"),
    }
}

/// The trust note under the "not inflated" summary: exactly what certfolio checked and what it
/// did not. `checked`: claims at a level certfolio checked; `unchecked`: proofs certfolio tried
/// and could not check (or has not yet); `offline`: some of those because it runs offline.
pub fn claims_note(lang: Lang, claims: usize, checked: usize, unchecked: usize, offline: bool) -> String {
    let n = |v: usize| integer(lang, v as u64);
    let mut out = Vec::new();
    match lang {
        Lang::Fr => {
            if checked > 0 {
                out.push(format!(
                    "certfolio a lui-même vérifié {} de ces affirmations (signatures, serveurs et pages des émetteurs, listes de révocation)\u{a0}; chacune dit ce qui a été vérifié, auprès de quoi et quand.",
                    n(checked)
                ));
            }
            if offline {
                out.push(format!(
                    "Ce service fonctionne hors ligne\u{a0}: certfolio n’a vérifié que ce que les fichiers prouvent d’eux-mêmes\u{a0}; {} {} les serveurs des émetteurs {} pas été {}.",
                    n(unchecked),
                    plural(lang, unchecked as u64, "vérification qui demande", "vérifications qui demandent"),
                    if unchecked <= 1 { "n’a" } else { "n’ont" },
                    plural(lang, unchecked as u64, "faite", "faites"),
                ));
            } else if unchecked > 0 {
                out.push(format!(
                    "{} {} pas pu être {} ou attend son tour (chaque affirmation dit pourquoi).",
                    n(unchecked),
                    plural(lang, unchecked as u64, "preuve n’a", "preuves n’ont"),
                    plural(lang, unchecked as u64, "vérifiée", "vérifiées"),
                ));
            }
            if checked < claims {
                out.push(if checked == 0 {
                    "certfolio n’a lui-même vérifié aucune de ces affirmations\u{a0}: elles sont telles que l’apprenant les a saisies\u{a0}; suivez le lien de chaque émetteur pour les contrôler.".to_owned()
                } else {
                    "Les autres sont telles que l’apprenant les a saisies\u{a0}: suivez le lien de chaque émetteur pour les contrôler.".to_owned()
                });
            }
        }
        Lang::En => {
            if checked > 0 {
                out.push(format!(
                    "certfolio checked {} of these claims itself (signatures, issuers’ servers and pages, revocation lists); each says what was checked, against what and when.",
                    n(checked)
                ));
            }
            if offline {
                out.push(format!(
                    "This service runs offline: certfolio checked only what the files themselves prove; {} {} the issuers’ servers {} not made.",
                    n(unchecked),
                    plural(lang, unchecked as u64, "check that needs", "checks that need"),
                    if unchecked == 1 { "was" } else { "were" },
                ));
            } else if unchecked > 0 {
                out.push(format!(
                    "{} {} not be checked or {} still queued (each claim says why).",
                    n(unchecked),
                    plural(lang, unchecked as u64, "proof could", "proofs could"),
                    if unchecked == 1 { "is" } else { "are" },
                ));
            }
            if checked < claims {
                out.push(if checked == 0 {
                    "certfolio has not checked any of these claims itself: they are as the learner recorded them; follow each issuer’s link to check them.".to_owned()
                } else {
                    "The others are as the learner recorded them: follow each issuer’s link to check them.".to_owned()
                });
            }
        }
    }
    out.join(" ")
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
        assert_eq!(
            advice_reason(Lang::En, &certified),
            "8 of 12 courses (67%) earned an attestation, across 3 fields."
        );
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
}
