//! The fixed strings of the public pages (shared portfolio, verification), in French and
//! English. The portfolio's own labels (sections, figures, kinds) come from `crate::i18n`, so
//! the page and the PDF say the same things the same way.

use crate::domain::Lang;
pub use crate::i18n::{assurance_label, summary_sentence};

pub struct PageLabels {
    pub lang_code: &'static str,
    pub portfolio_of: &'static str,
    pub download_pdf: &'static str,
    pub summary_heading: &'static str,
    pub trust_heading: &'static str,
    pub evidence: &'static str,
    pub evidence_sha: &'static str,
    pub platform: &'static str,
    pub dates: &'static str,
    pub hours: &'static str,
    pub kind: &'static str,
    pub verify_at_issuer: &'static str,
    pub assurance: &'static str,
    pub empty: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub too_many_title: &'static str,
    pub too_many_text: &'static str,
    pub busy_title: &'static str,
    /// A link that follows its saved portfolio's edits.
    pub follows_note: &'static str,
    /// A link that shows its saved portfolio as it was: `{date}` is when the link was made.
    pub snapshot_note: &'static str,
    pub busy_text: &'static str,
    pub verify_title: &'static str,
    pub verify_intro: &'static str,
    pub verify_file: &'static str,
    pub verify_button: &'static str,
    pub verify_yes: &'static str,
    pub verify_no: &'static str,
    pub verify_no_text: &'static str,
    pub verify_generated_for: &'static str,
    pub verify_on: &'static str,
    pub verify_framing: &'static str,
    pub verify_code_title: &'static str,
    pub verify_code_text: &'static str,
    pub verify_offline: &'static str,
    pub generated_by: &'static str,
}

pub static FR: PageLabels = PageLabels {
    lang_code: "fr",
    portfolio_of: "Portfolio de",
    download_pdf: "Télécharger le PDF",
    summary_heading: "En bref",
    trust_heading: "Ce qui est vérifiable",
    evidence: "Justificatif",
    evidence_sha: "empreinte SHA-256",
    platform: "Plateforme",
    dates: "Dates",
    hours: "Durée",
    kind: "Attestation",
    verify_at_issuer: "Vérifier auprès de l’émetteur",
    assurance: "Niveau de preuve",
    empty: "Ce portfolio ne contient plus de cours à montrer.",
    not_found_title: "Lien introuvable",
    not_found_text: "Ce lien n’existe pas ou n’est plus actif. Demandez un nouveau lien à la personne qui vous l’a envoyé.",
    too_many_title: "Trop de tentatives",
    too_many_text: "Trop de liens invalides ont été demandés depuis votre adresse. Réessayez dans quelques minutes.",
    busy_title: "Service occupé",
    follows_note: "Ce portfolio suit les mises à jour de son auteur ou autrice : il peut avoir changé depuis l’envoi du lien.",
    snapshot_note: "Ce portfolio est présenté tel qu’il a été composé le {date} ; les cours, eux, sont à jour.",
    busy_text: "Trop de portfolios PDF sont en cours de préparation. Réessayez dans quelques secondes.",
    verify_title: "Vérifier un portfolio PDF",
    verify_intro: "Déposez un portfolio PDF reçu : certfolio vous dira s’il a été généré ici, pour qui, quand, et s’il est intact.",
    verify_file: "Fichier PDF",
    verify_button: "Vérifier",
    verify_yes: "Document reconnu et intact",
    verify_no: "Document non reconnu",
    verify_no_text: "Ce fichier n’a pas été généré par ce service, ou il a été modifié depuis (un seul octet suffit).",
    verify_generated_for: "Généré pour",
    verify_on: "le",
    verify_framing: "Cadrage",
    verify_code_title: "Code de vérification",
    verify_code_text: "Ce code correspond à un portfolio généré par ce service. Pour vous assurer que votre exemplaire est intact, déposez-le ci-dessous.",
    verify_offline: "Les PDF produits hors ligne par la commande « certfolio render » ne sont pas enregistrés et ne peuvent pas être reconnus ici.",
    generated_by: "Page générée par certfolio",
};

pub static EN: PageLabels = PageLabels {
    lang_code: "en",
    portfolio_of: "Portfolio of",
    download_pdf: "Download the PDF",
    summary_heading: "At a glance",
    trust_heading: "What can be checked",
    evidence: "Evidence file",
    evidence_sha: "SHA-256 fingerprint",
    platform: "Platform",
    dates: "Dates",
    hours: "Length",
    kind: "Attestation",
    verify_at_issuer: "Verify with the issuer",
    assurance: "Level of proof",
    empty: "This portfolio has no courses to show any more.",
    not_found_title: "Link not found",
    not_found_text: "This link does not exist or is no longer active. Ask the person who sent it for a new one.",
    too_many_title: "Too many attempts",
    too_many_text: "Too many invalid links were requested from your address. Try again in a few minutes.",
    busy_title: "Service busy",
    follows_note: "This portfolio follows its author’s updates: it may have changed since the link was sent.",
    snapshot_note: "This portfolio is shown as it was composed on {date}; the courses themselves are up to date.",
    busy_text: "Too many PDF portfolios are being prepared right now. Try again in a few seconds.",
    verify_title: "Verify a portfolio PDF",
    verify_intro: "Upload a portfolio PDF you received: certfolio tells you whether it was generated here, for whom, when, and whether it is unaltered.",
    verify_file: "PDF file",
    verify_button: "Verify",
    verify_yes: "Recognised and unaltered",
    verify_no: "Not recognised",
    verify_no_text: "This file was not generated by this service, or it was changed since (one byte is enough).",
    verify_generated_for: "Generated for",
    verify_on: "on",
    verify_framing: "Framing",
    verify_code_title: "Verification code",
    verify_code_text: "This code belongs to a portfolio generated by this service. To make sure your copy is unaltered, upload it below.",
    verify_offline: "PDFs made offline with the “certfolio render” command are not registered and cannot be recognised here.",
    generated_by: "Page generated by certfolio",
};

pub fn page_labels(lang: Lang) -> &'static PageLabels {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assurance::AssuranceSummary;

    #[test]
    fn the_summary_lists_levels_strongest_first() {
        let s =
            AssuranceSummary { claims: 18, self_declared: 3, evidence_file: 3, issuer_link: 12, ..Default::default() };
        let plain = |l| summary_sentence(l, &s).replace('\u{a0}', " ");
        assert_eq!(plain(Lang::En), "18 claims: 12 with issuer links, 3 with evidence files, 3 self-declared");
        assert_eq!(plain(Lang::Fr), "18 affirmations : 12 avec lien de l’émetteur, 3 avec justificatif, 3 déclarées");
    }
}
