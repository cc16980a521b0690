//! Français : toutes les chaînes et les phrases de certfolio en français.
//!
//! Typographie : espace insécable (U+00A0) avant « : » et « % » et à l’intérieur des guillemets,
//! espace fine insécable (U+202F) avant « ; » et entre les milliers.

use super::labels::{
    BuilderLabels, CourseLabels, ErrorLabels, ImportLabels, InstitutionLabels, Labels, NavLabels, PageLabels,
    SavedLabels, SettingsLabels, Strings, UiLabels,
};
use super::{
    Dimension, Language, NBSP, NNBSP, capitalise_first, count, count_of, decimal, hours, integer, join_and, measure,
    n_of, percent, plural, plural_f, quoted, ratio, summary_list,
};
use super::{day_month_year, location};
use crate::domain::advice::{Claim, Reason};
use crate::domain::assurance::{Assurance, AssuranceSummary};
use crate::domain::badge::BadgeStatus;
use crate::domain::document::MAX_JSON_DEPTH;
use crate::domain::evidence::{Declared, EvidenceError, MAX_PIXELS, Malformation};
use crate::domain::institution::InstitutionKind;
use crate::domain::portfolio::SelectError;
use crate::domain::portfolio::{FigureKey, Measure, Scope, Spread};
use crate::domain::problem::{
    BadgePart, BadgeProblem, Expected, JsonFault, JsonFaultKind, JsonKind, KeyProblem, Noun, PasswordHint,
    PngTextFault, Problem, Unfetched, Unrecognised,
};
use crate::domain::{AttestationKind, Lang, Outcome, Situation};

const LANG: Lang = Lang::Fr;

pub struct French;

static STRINGS: Strings = Strings {
    name: "Français",
    months: [
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
    ],
    portfolio: Labels {
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
    },
    nav: NavLabels {
        skip: "Aller au contenu",
        menu: "Menu principal",
        dashboard: "Tableau de bord",
        courses: "Mes cours",
        institutions: "Établissements",
        import: "Importer",
        portfolio: "Portfolio",
        saved_portfolios: "Portfolios enregistrés",
        shares: "Liens de partage",
        settings: "Réglages",
        sign_in: "Se connecter",
        sign_up: "Créer un compte",
        sign_out: "Se déconnecter",
        language: "Langue",
    },
    public: PageLabels {
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
    },
    ui: UiLabels {
        sign_up: "Créer un compte",
        sign_in: "Se connecter",
        sign_out: "Se déconnecter",
        create_account: "Créer le compte",
        name: "Nom",
        email: "Adresse e-mail",
        password: "Mot de passe",
        password_hint: "12 caractères au moins ; quelques mots sans lien font un mot de passe solide.",
        tagline: "Vos MOOC et attestations, en portfolio vérifiable.",
        pitch: "Consignez les cours suivis, les attestations obtenues et les établissements qui les délivrent, puis faites-en un portfolio PDF et une page à partager avec un recruteur, cadrés sur votre appétence pour l’autoformation ou sur votre légitimité dans un domaine.",
        have_account: "Déjà un compte ?",
        no_account: "Pas encore de compte ?",
        dashboard: "Tableau de bord",
        courses: "cours",
        certificates: "attestations",
        hours: "heures d’étude",
        advice: "Cadrage conseillé :",
        empty_record: "Votre dossier est vide. Importez l’exemple pour découvrir certfolio en une minute.",
        import_sample: "Importer le dossier d’exemple",
        form_error: "Le formulaire contient une erreur.",
        shares: "Liens de partage",
        course_one: "cours",
        course_many: "cours",
        certified_course_one: "cours certifié",
        certified_course_many: "cours certifiés",
        timeline: "Vos cours, année par année",
        expiring: "Validité à surveiller",
        next: "Et maintenant ?",
        build_portfolio: "Composer mon portfolio",
        step_add: "Ajoutez votre premier cours, avec son attestation.",
        step_import: "Ou importez vos certifications LinkedIn, un tableur ou un autre fichier.",
        step_url: "Ajoutez l’URL de vérification de l’émetteur à {n} {courses} : le recruteur pourra les contrôler.",
        step_file: "Joignez le fichier du certificat à {n} {courses}.",
        step_situation: "Indiquez votre situation : le cadrage conseillé en tient compte.",
        step_share: "Créez un lien de partage pour un recruteur.",
        step_import_more: "D’autres certifications ailleurs ? Importez-les.",
        add_course: "Ajouter un cours",
        import: "Importer",
        courses_link: "Mes cours",
        settings: "Réglages",
        portfolio: "Mon portfolio",
    },
    courses: CourseLabels {
        courses: "Mes cours",
        add_course: "Ajouter un cours",
        edit_course: "Modifier le cours",
        title: "Titre",
        institution: "Établissement",
        platform: "Plateforme",
        field: "Domaine",
        hours: "Heures",
        start_date: "Date de début",
        end_date: "Date de fin",
        outcome: "Issue",
        attestation_kind: "Type d’attestation",
        credential_id: "Identifiant de l’attestation",
        issued_on: "Date de délivrance",
        expires_on: "Date d’expiration",
        expires_hint: "Dernier jour de validité, si l’attestation expire.",
        verification_url: "URL de vérification",
        none: "—",
        save: "Enregistrer",
        edit: "Modifier",
        delete: "Supprimer",
        delete_confirm: "Supprimer définitivement ce cours, son attestation et son justificatif ?",
        cancel: "Annuler",
        filter: "Filtrer",
        all: "Tous",
        empty: "Aucun cours pour l’instant.",
        form_error: "Le formulaire contient une erreur ; rien n’a été enregistré.",
        dashboard: "Tableau de bord",
        evidence: "Justificatif",
        evidence_intro: "Le certificat reçu (PDF ou image) : le recruteur pourra le télécharger, avec son empreinte SHA-256.",
        evidence_file: "Fichier du certificat",
        evidence_hint: "PDF, PNG ou JPEG, 10 Mio au plus. Un nouveau fichier remplace l’ancien.",
        upload: "Téléverser le fichier",
        download: "Télécharger",
        remove_file: "Retirer le fichier",
        no_evidence: "Aucun fichier pour l’instant.",
        save_first: "Enregistrez d’abord le cours ; vous pourrez ensuite y joindre le fichier du certificat.",
        uploaded: "Fichier enregistré.",
        removed: "Fichier retiré.",
        sha256: "Empreinte SHA-256",
        evidence_error: "Ce fichier n’a pas été accepté ; rien n’a été enregistré.",
        themes: "Thèmes",
        themes_hint: "Séparés par des virgules, par exemple «\u{a0}gestion de projet, agilité\u{a0}».",
        skills: "Compétences",
        skills_hint: "Une par ligne. Après un | vous pouvez ajouter l’URI de la compétence dans un référentiel (ESCO…).",
        language: "Langue du cours",
        language_hint: "Un code de langue\u{a0}: fr, en, pt-BR.",
        grade: "Note",
        ects: "Crédits ECTS",
        follow_mode: "Mode de suivi",
        prescribed: "Prescrit (tout le cours, à son rythme)",
        selective: "Sélectif (seulement les parties choisies)",
        prior_mastery: "Ce que le cours a apporté",
        prior_yes: "A formalisé des compétences acquises avant",
        prior_no: "A validé de nouvelles compétences",
        motive: "Motivation",
        notes: "Notes",
        notes_hint: "Pour vous\u{a0}: les notes ne sont pas imprimées sur le portfolio.",
        saved: "Cours enregistré.",
        evidence_new: "Fichier du certificat (facultatif)",
        skill: "Compétence",
        select_course: "Sélectionner",
        bulk_heading: "Modifier les cours sélectionnés",
        bulk_intro: "Cochez des cours ci-dessus, puis indiquez ce qu’ils doivent tous avoir. Les champs laissés vides ne changent pas.",
        bulk_leave: "— ne pas changer —",
        bulk_clear: "(effacer)",
        bulk_apply: "Appliquer aux cours sélectionnés",
        bulk_changed_one: "{} cours modifié.",
        bulk_changed_many: "{} cours modifiés.",
        bulk_error: "Rien n’a été modifié.",
        bulk_courses: "Cours sélectionnés",
        imports: "Imports",
        select_import: "Sélectionner les cours de cet import",
        from_import: "Import",
    },
    settings: SettingsLabels {
        settings: "Réglages",
        profile: "Profil",
        name: "Nom",
        headline: "Titre du profil",
        headline_hint: "Une ligne sous votre nom sur le portfolio, par exemple « Chargée de projets numériques ».",
        contact_email: "E-mail de contact (affiché sur le portfolio)",
        location: "Lieu",
        situation: "Situation",
        language: "Langue",
        language_hint: "Celle de ces pages et, par défaut, de vos portfolios.",
        not_said: "Non précisée",
        save: "Enregistrer",
        password: "Mot de passe",
        current_password: "Mot de passe actuel",
        new_password: "Nouveau mot de passe",
        password_hint: "12 caractères au moins. Vos autres sessions seront fermées.",
        change_password: "Changer le mot de passe",
        saved: "Réglages enregistrés.",
        password_changed: "Mot de passe changé ; vos autres sessions sont fermées.",
        form_error: "Le formulaire contient une erreur ; rien n’a été enregistré.",
        situations: [
            (Situation::Student, "Étudiant·e"),
            (Situation::JobSeeker, "En recherche d’emploi"),
            (Situation::Employed, "Salarié·e"),
            (Situation::Independent, "Indépendant·e"),
            (Situation::Retired, "Retraité·e"),
        ],
    },
    institutions: InstitutionLabels {
        institutions: "Établissements",
        intro: "Les établissements nommés dans vos cours. Un même établissement écrit de deux façons ? Fusionnez-les.",
        empty: "Aucun établissement pour l’instant : ils apparaissent quand un cours en nomme un.",
        name: "Nom",
        country: "Pays",
        country_hint: "Code ISO à deux lettres (FR, CH…) ou nom du pays.",
        kind: "Type",
        website: "Site web",
        website_hint: "Une adresse complète, commençant par https:// ou http://.",
        none: "—",
        courses: "Cours",
        no_courses: "Aucun cours ne le nomme.",
        edit: "Modifier",
        edit_heading: "Modifier l’établissement",
        save: "Enregistrer",
        cancel: "Annuler",
        merge_heading: "Fusionner deux établissements",
        merge_intro: "Choisissez celui à garder, puis celui qui le rejoint : ses cours passeront au premier, puis il sera supprimé.",
        keep: "Garder",
        absorbed: "Fusionner dans le premier",
        merge_next: "Vérifier la fusion",
        merge_confirm_heading: "Confirmer la fusion",
        merge_confirm: "Les cours suivants passeront à l’établissement gardé, et l’autre sera supprimé. Les informations manquantes du premier (pays, type, site) seront reprises du second.",
        merge: "Fusionner",
        merged: "Établissements fusionnés.",
        saved: "Établissement enregistré.",
        same_twice: "Choisissez deux établissements différents.",
        form_error: "Le formulaire contient une erreur ; rien n’a été enregistré.",
        kinds: [
            (InstitutionKind::University, "Université"),
            (InstitutionKind::School, "École"),
            (InstitutionKind::Company, "Entreprise"),
            (InstitutionKind::PublicBody, "Organisme public"),
            (InstitutionKind::Association, "Association"),
            (InstitutionKind::Other, "Autre"),
        ],
    },
    import: ImportLabels {
        import: "Importer un fichier",
        intro: "Déposez un document de portfolio certfolio ou l’export d’un autre outil : le format est reconnu d’après le contenu du fichier. Vous verrez ce qui changera avant que quoi que ce soit soit enregistré.",
        file: "Fichier à importer",
        file_hint: "8 Mio au plus.",
        preview_button: "Voir l’aperçu",
        preview: "Aperçu de l’import",
        nothing_yet: "Rien n’est encore enregistré : confirmez pour tout importer, ou annulez.",
        format: "Format reconnu",
        file_name: "Fichier",
        profile_replaced: "Votre profil prendra celui du fichier :",
        new: "Nouveau",
        updated: "Mis à jour",
        unchanged: "Inchangé",
        confirm: "Confirmer l’import",
        cancel: "Annuler",
        refused: "Ce fichier ne peut pas être importé ; rien n’a été enregistré.",
        where_: "Où",
        expired: "Cet envoi a expiré ou n’existe plus ; déposez le fichier à nouveau.",
        busy: "Trop d’imports sont en attente sur ce serveur ; réessayez dans quelques minutes.",
        address_busy: "Des imports envoyés depuis votre réseau attendent déjà leur confirmation : confirmez-les ou annulez-les, ou réessayez dans 30 minutes.",
        done: "Import terminé",
        export: "Exporter mon dossier",
        export_intro: "Tout votre dossier, pour le sauvegarder ou l’emporter ailleurs.",
        export_document: "Document de portfolio (JSON)",
        export_jsonresume: "JSON Resume",
        export_csv: "Tableur (CSV)",
        attestation: "Attestation",
        proof: "Niveau de preuve",
        colon: "\u{a0}: ",
        empty: "Ce fichier ne contient aucun cours.",
        counted: ["Cours ajoutés", "Cours mis à jour", "Cours inchangés"],
        see_courses: "Voir mes cours",
    },
    errors: ErrorLabels {
        not_found_title: "Page introuvable",
        not_found_text: "Cette page n’existe pas, ou ce qu’elle montrait n’est pas (ou plus) dans votre dossier.",
        gone_title: "Plus disponible",
        gone_text: "Ce que montrait cette page n’existe plus.",
        refused_title: "Demande refusée",
        refused_text: "Cette demande n’a pas pu être lue\u{202f}; rien n’a été modifié.",
        forbidden_title: "Action refusée",
        forbidden_text: "Cette action doit être faite depuis une page de ce site\u{202f}; rien n’a été modifié.",
        method_title: "Action impossible ici",
        method_text: "Cette adresse ne répond pas à cette action.",
        timeout_title: "Délai dépassé",
        timeout_text: "La demande a pris trop de temps\u{202f}; réessayez.",
        too_many_title: "Trop de tentatives",
        too_many_text: "Trop de tentatives en peu de temps\u{202f}: réessayez dans {} secondes.",
        busy_title: "Service occupé",
        busy_text: "Le service est très sollicité en ce moment\u{202f}; réessayez dans quelques secondes.",
        unavailable_title: "Service indisponible",
        internal_title: "Erreur interne",
        internal_text: "Une erreur s’est produite de notre côté\u{202f}; elle a été consignée. Réessayez un peu plus tard.",
        back_home: "Retour à l’accueil",
        back_dashboard: "Retour au tableau de bord",
    },
    builder: BuilderLabels {
        preview_heading: "Aperçu du portfolio",
        preview_button: "Mettre à jour l’aperçu",
        portfolio: "Mon portfolio",
        framing: "Cadrage",
        appetite: "Appétence pour l’autoformation",
        legitimacy: "Légitimité dans un domaine ou une thématique",
        scope: "Domaine ou thématique",
        whole_record: "Tout le dossier",
        field_prefix: "Domaine",
        theme_prefix: "Thématique",
        language: "Langue",
        include_uncertified: "Inclure les cours suivis sans attestation",
        advised: "Conseillé",
        download_pdf: "Télécharger le PDF",
        share_heading: "Partager avec un recruteur",
        label: "Pour qui (visible de vous seul)",
        expires_in_days: "Expire dans (jours, vide : jamais)",
        create_share: "Créer le lien de partage",
        shares: "Mes liens de partage",
        link_created: "Lien créé",
        link_once: "Copiez ce lien maintenant : il n’est plus affiché au-delà de 15 minutes.",
        views: "Vues",
        last_view: "Dernière vue",
        status: "État",
        status_active: "actif",
        status_expired: "expiré",
        status_revoked: "révoqué",
        expires: "Expiration",
        revoke: "Révoquer",
        no_shares: "Aucun lien pour l’instant.",
        link_gone: "Ce lien a été créé, mais il ne peut plus être affiché : il n’est montré qu’une fois. S’il est perdu, révoquez-le et créez-en un autre.",
        include_expired: "Inclure les attestations expirées (marquées comme telles)",
        preview_empty: "Ce choix ne montre aucun cours pour l’instant.",
        dashboard: "Tableau de bord",
        courses: "Mes cours",
        empty: "Ajoutez un cours avant de composer un portfolio.",
    },
    saved: SavedLabels {
        portfolios: "Mes portfolios enregistrés",
        intro: "Gardez un portfolio par candidature\u{a0}: choisissez ses cours, épinglez en tête ceux qui comptent, ordonnez-les et ajoutez quelques mots à vous.",
        none_yet: "Aucun portfolio enregistré pour l’instant.",
        new_heading: "Nouveau portfolio",
        name: "Nom",
        name_hint: "Pour vous seulement, par exemple «\u{a0}Analyste de données — Acme\u{a0}».",
        create: "Créer le portfolio",
        open: "Ouvrir",
        updated: "Enregistré le",
        settings_heading: "Orientation et options",
        courses_heading: "Cours",
        courses_intro: "Par défaut, l’orientation choisit. Pour chaque cours, vous pouvez le montrer toujours ou jamais, en épingler jusqu’à 5 en tête, et le monter ou le descendre pour l’ordonner dans sa section.",
        shown: "Affiché",
        shown_auto: "Selon l’orientation",
        shown_always: "Toujours",
        shown_never: "Jamais",
        pin: "Épingler en tête",
        pin_hint: "5 cours épinglés au plus, montrés en premier dans cet ordre.",
        move_up: "Monter",
        move_down: "Descendre",
        statement: "Texte personnel",
        statement_hint: "600 caractères au plus, présentés comme vos propres mots sous «\u{a0}En mes mots\u{a0}».",
        save: "Enregistrer",
        saved: "Portfolio enregistré.",
        form_error: "Le portfolio comporte une erreur\u{202f}; rien n’a été enregistré.",
        delete: "Supprimer ce portfolio",
        deleted: "Portfolio supprimé.",
        preview_live: "L’aperçu suit vos changements\u{202f}; ils sont gardés quand vous enregistrez.",
        preview_updated: "Aperçu mis à jour.",
        preview_failed: "L’aperçu n’a pas pu être mis à jour\u{202f}; enregistrez pour le voir.",
        moved: "{} déplacé.",
        share_heading: "Partager ce portfolio",
        share_from_saved: "Le lien est fait du portfolio tel qu’enregistré en dernier.",
        share_mode: "Ce que montre le lien",
        share_snapshot: "Le portfolio tel qu’il est maintenant\u{a0}: les modifications suivantes ne changent pas le lien",
        share_follow: "Ce portfolio tel qu’il évolue\u{a0}: le lien montre vos modifications suivantes",
        link_heading: "Votre lien de partage",
        link_label: "Le lien",
        copy: "Copier le lien",
        copied: "Lien copié.",
        copy_select: "Le lien est sélectionné\u{a0}: appuyez sur Ctrl+C (⌘+C) pour le copier.",
        qr: "QR code du lien",
        qr_hint: "Scannez-le avec un téléphone pour ouvrir le lien.",
        mail: "L’envoyer par courriel",
        mail_subject: "Mon portfolio",
        mail_body: "Voici mon portfolio de certificats\u{a0}:",
        shows_snapshot: "Ce lien montre le portfolio tel qu’il était quand le lien a été créé.",
        shows_follow: "Ce lien suit le portfolio\u{a0}: il montre ses modifications suivantes.",
        link_hidden: "Ce lien ne peut plus être affiché\u{a0}: seule une empreinte en est gardée, pour que personne ne puisse le relire. S’il est perdu, remplacez-le\u{a0}: vous obtenez un nouveau lien et l’ancien cesse de fonctionner.",
        portfolio: "Portfolio",
        never: "jamais",
        details: "Détails",
        change_expiry: "Changer l’expiration",
        expiry_days: "Expire dans (jours à partir d’aujourd’hui, vide\u{a0}: jamais)",
        expiry_changed: "Expiration modifiée.",
        replace: "Remplacer le lien",
        replace_hint: "Un nouveau lien pour le même portfolio\u{202f}; l’ancien cesse de fonctionner aussitôt.",
        replaced: "Le lien a été remplacé\u{a0}: l’ancien ne fonctionne plus.",
        back_to_shares: "Retour à mes liens de partage",
        saved_portfolios_link: "Choisir, épingler et ordonner des cours dans un portfolio enregistré",
        courses_field: "Cours",
    },
};

impl Language for French {
    fn strings(&self) -> &'static Strings {
        &STRINGS
    }

    fn thousands_separator(&self) -> char {
        NNBSP
    }

    fn decimal_point(&self) -> char {
        ','
    }

    fn percent(&self, p: u64) -> String {
        format!("{p}{NBSP}%")
    }

    fn quoted(&self, s: &str) -> String {
        format!("«{NBSP}{s}{NBSP}»")
    }

    fn colon(&self) -> &'static str {
        "\u{a0}: "
    }

    fn singular(&self, n: u64) -> bool {
        n <= 1
    }

    fn singular_f(&self, value: f64) -> bool {
        value < 2.0
    }

    fn and(&self) -> &'static str {
        "et"
    }

    fn day_month_year(&self, day: u8, month: &'static str, year: i32) -> String {
        if day == 1 { format!("1er {month} {year}") } else { format!("{day} {month} {year}") }
    }

    fn date_time(&self, day: u8, month: &'static str, year: i32, hour: u8, minute: u8) -> String {
        format!("{day} {month} {year} à {hour:02}:{minute:02} UTC")
    }

    fn year_forms(&self) -> (&'static str, &'static str) {
        ("an", "ans")
    }

    fn attestation_kind(&self, kind: AttestationKind) -> &'static str {
        use AttestationKind as K;
        match kind {
            K::Participation => "Attestation de suivi",
            K::Completion => "Attestation d’achèvement",
            K::Achievement => "Attestation de réussite",
            K::VerifiedCertificate => "Certificat vérifié",
            K::Badge => "Badge numérique",
            K::EctsCredits => "Crédits ECTS",
        }
    }

    fn attestation_generic(&self) -> &'static str {
        "Attestation"
    }

    fn outcome(&self, outcome: Outcome) -> &'static str {
        use Outcome as O;
        match outcome {
            O::Completed => "suivi en entier",
            O::Audited => "suivi en auditeur libre",
            O::Disengaged => "parties choisies",
            O::Sampled => "modules explorés",
            O::InProgress => "en cours",
        }
    }

    fn badge_status(&self, status: BadgeStatus) -> &'static str {
        match status {
            BadgeStatus::Expired => "badge expiré",
            BadgeStatus::Revoked => "badge révoqué",
            BadgeStatus::Valid => "badge valide",
        }
    }

    fn assurance(&self, level: Assurance) -> &'static str {
        match level {
            Assurance::SelfDeclared => "Déclaré",
            Assurance::EvidenceFile => "Justificatif déposé",
            Assurance::IssuerLink => "Lien de l’émetteur",
            Assurance::BadgeData => "Données de badge importées",
            Assurance::IssuerPageChecked => "Page de l’émetteur contrôlée",
            Assurance::IssuerConfirmed => "Confirmé par l’émetteur",
            Assurance::SignatureVerified => "Signature vérifiée",
            Assurance::KnownIssuer => "Émetteur reconnu",
        }
    }

    fn chart_caption_dated(&self, caption: &str, dated: usize, courses: usize) -> String {
        let word = if self.singular(dated as u64) { "daté" } else { "datés" };
        format!("{caption}{NNBSP}; {} cours {word} sur {}", integer(LANG, dated as u64), integer(LANG, courses as u64))
    }

    fn summary_sentence(&self, s: &AssuranceSummary) -> String {
        let parts = [
            (s.known_issuer, "d’un émetteur reconnu", "d’émetteurs reconnus"),
            (s.signature_verified, "à la signature vérifiée", "à la signature vérifiée"),
            (s.issuer_confirmed, "confirmée par l’émetteur", "confirmées par l’émetteur"),
            (s.issuer_page_checked, "à la page de l’émetteur contrôlée", "à la page de l’émetteur contrôlée"),
            (s.badge_data, "importée d’un badge", "importées de badges"),
            (s.issuer_link, "avec lien de l’émetteur", "avec lien de l’émetteur"),
            (s.evidence_file, "avec justificatif", "avec justificatif"),
            (s.self_declared, "déclarée", "déclarées"),
        ];
        let head = count(LANG, s.claims, "affirmation", "affirmations");
        format!("{head}\u{a0}: {}", summary_list(LANG, &parts))
    }

    fn advice_reason(&self, r: &Reason) -> String {
        let n = |v: usize| integer(LANG, v as u64);
        let q = |s: &str| quoted(LANG, s);
        match r {
            Reason::NoCourses => {
                format!("Votre dossier ne compte encore aucun cours{NNBSP}; ajoutez-en, puis redemandez conseil.")
            }
            Reason::Certified { certified, courses, fields } => format!(
                "{} cours sur {} ({}) {} par une attestation{NNBSP}; le dossier couvre {}.",
                n(*certified),
                n(*courses),
                percent(LANG, ratio(*certified, *courses)),
                if *certified <= 1 { "a été validé" } else { "ont été validés" },
                count(LANG, *fields, "domaine", "domaines"),
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
                count(LANG, *certificates, "attestation", "attestations"),
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
        }
    }

    fn level_word(&self) -> &'static str {
        "Niveau de preuve"
    }

    fn in_my_words(&self) -> &'static str {
        "En mes mots"
    }

    fn pinned_heading(&self) -> &'static str {
        "À retenir en priorité"
    }

    fn skills_word(&self) -> &'static str {
        "Compétences"
    }

    fn evidence_word(&self) -> &'static str {
        "Justificatif"
    }

    fn evidence_sha_word(&self) -> &'static str {
        "empreinte SHA-256"
    }

    fn other_word(&self) -> &'static str {
        "autres"
    }

    fn quarter(&self, q: u8) -> &'static str {
        match q {
            1 => "T1",
            2 => "T2",
            3 => "T3",
            _ => "T4",
        }
    }

    fn dimension_forms(&self, which: Dimension) -> (&'static str, &'static str) {
        match which {
            Dimension::Fields => ("domaine", "domaines"),
            Dimension::Institutions => ("établissement", "établissements"),
            Dimension::Platforms => ("plateforme", "plateformes"),
        }
    }

    fn at_least(&self, word: &str) -> String {
        format!("{word} au moins")
    }

    fn course_word(&self, _many: bool) -> &'static str {
        "cours"
    }

    fn cert_word(&self, many: bool) -> &'static str {
        if many { "attestations" } else { "attestation" }
    }

    fn expires_on(&self, on: &str) -> String {
        format!("expire le {on}")
    }

    fn expired_on(&self, on: Option<&str>) -> String {
        match on {
            Some(d) => format!("expiré le {d}"),
            None => "expiré".to_owned(),
        }
    }

    fn figure_label(&self, m: &Measure) -> String {
        let n = n_of(m.value);
        let partial = m.known < m.of;
        let (known, of) = (integer(LANG, m.known as u64), integer(LANG, m.of as u64));
        match m.key {
            FigureKey::Courses => plural(LANG, n, "cours suivi", "cours suivis").to_owned(),
            FigureKey::Certificates => plural(LANG, n, "attestation obtenue", "attestations obtenues").to_owned(),
            FigureKey::Hours if partial => format!("d’étude, déclarées pour {known} cours sur {of}"),
            FigureKey::Hours => "d’étude".to_owned(),
            FigureKey::ContinuousYears if partial => format!(
                "d’apprentissage continu (depuis {}\u{202f}; {known} cours datés sur {of})",
                m.since.map(|y| y.to_string()).unwrap_or_default()
            ),
            FigureKey::ContinuousYears => {
                format!("d’apprentissage continu (depuis {})", m.since.map(|y| y.to_string()).unwrap_or_default())
            }
            FigureKey::Completion if partial => format!("des cours terminés (sur {known} à l’issue connue)"),
            FigureKey::Completion => "des cours terminés".to_owned(),
            FigureKey::Institutions => {
                let word = plural(LANG, n, "établissement émetteur", "établissements émetteurs");
                if partial { format!("{word} (connus pour {known} attestations sur {of})") } else { word.to_owned() }
            }
            FigureKey::Ects => plural_f(LANG, m.value, ("crédit ECTS", "crédits ECTS")).to_owned(),
            FigureKey::PriorMastery => {
                let word = plural(
                    LANG,
                    n,
                    "formalise des compétences acquises auparavant",
                    "formalisent des compétences acquises auparavant",
                );
                if partial {
                    format!("{word} (renseigné pour {known} attestations sur {of})")
                } else {
                    word.to_owned()
                }
            }
            FigureKey::NewSkills => {
                let word = plural(LANG, n, "valide des compétences nouvelles", "valident des compétences nouvelles");
                if partial {
                    format!("{word} (renseigné pour {known} attestations sur {of})")
                } else {
                    word.to_owned()
                }
            }
        }
    }

    fn cover_appetite(&self, name: &str, measures: &[Measure], s: &Spread) -> Vec<String> {
        let courses = s.courses;
        let certified = count_of(measures, FigureKey::Certificates);
        let hours_m = measure(measures, FigureKey::Hours);
        let mut out = Vec::new();
        let when = match (s.first_year, s.last_year) {
            (Some(a), Some(b)) if a != b => format!(" entre {a} et {b}"),
            (Some(a), _) => format!(" en {a}"),
            _ => String::new(),
        };
        let n = |v: usize| integer(LANG, v as u64);
        let mut first = format!("{name} a suivi {}{when}", count(LANG, courses, "cours en ligne", "cours en ligne"));
        first.push_str(&match (certified, courses) {
            (0, 1) => ", sans attestation à ce jour".to_owned(),
            (0, _) => ", aucun encore sanctionné par une attestation".to_owned(),
            (1, 1) => ", sanctionné par une attestation".to_owned(),
            (c, all) if c == all => ", tous sanctionnés par une attestation".to_owned(),
            (c, _) => {
                format!(", dont {} {} par une attestation", n(c), plural(LANG, c as u64, "sanctionné", "sanctionnés"))
            }
        });
        if let Some(h) = hours_m {
            if h.known < h.of {
                first.push_str(&format!(
                    ", et déclare {} d’étude pour {} d’entre eux",
                    hours(LANG, h.value),
                    n(h.known)
                ));
            } else {
                first.push_str(&format!(", soit {} d’étude au total", hours(LANG, h.value)));
            }
        }
        first.push('.');
        out.push(first);
        // Where they come from: only what the record names, and "at least" when some courses do not.
        if courses > 1 {
            let part = |names: &[(String, usize)], known: usize, one: &str, many: &str| -> Option<String> {
                if names.is_empty() {
                    return None;
                }
                let c = count(LANG, names.len(), one, many);
                Some(if known < courses { format!("au moins {c}") } else { c })
            };
            let parts: Vec<String> = [
                part(&s.fields, s.fields_known, "domaine", "domaines"),
                part(&s.institutions, s.institutions_known, "établissement", "établissements"),
                part(&s.platforms, s.platforms_known, "plateforme", "plateformes"),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !parts.is_empty() {
                out.push(format!("Ces cours couvrent {}.", join_and(LANG, &parts)));
            }
        }
        if s.in_progress > 0 {
            let k = s.in_progress as u64;
            out.push(format!(
                "{} {} en cours de suivi.",
                count(LANG, s.in_progress, "cours", "cours"),
                plural(LANG, k, "est", "sont")
            ));
        }
        out
    }

    fn cover_legitimacy(&self, name: &str, scope: &Scope, measures: &[Measure]) -> Vec<String> {
        let place = match scope {
            Scope::Field(f) => format!("dans le domaine {}", quoted(LANG, f)),
            Scope::Theme(t) => format!("sur la thématique {}", quoted(LANG, t)),
            Scope::All => String::new(),
        };
        let certified = count_of(measures, FigureKey::Certificates);
        let hours_m = measure(measures, FigureKey::Hours);
        let n = |v: usize| integer(LANG, v as u64);
        let mut out = Vec::new();
        if certified == 0 {
            out.push(format!("{name} a suivi des cours {place}, sans attestation à ce jour."));
            return out;
        }
        let institutions = measure(measures, FigureKey::Institutions);
        let mut first = format!("{name} présente {} {place}", count(LANG, certified, "attestation", "attestations"));
        if let Some(i) = institutions {
            let k = n_of(i.value) as usize;
            first.push_str(&format!(
                ", {} par {}",
                plural(LANG, certified as u64, "délivrée", "délivrées"),
                count(LANG, k, "établissement", "établissements")
            ));
            if i.known < i.of {
                first.push_str(&format!(" (nommés pour {} d’entre elles)", n(i.known)));
            }
        }
        if let Some(h) = hours_m {
            first.push_str(&if h.known < h.of {
                format!(", pour {} d’étude déclarées pour {} d’entre elles", hours(LANG, h.value), n(h.known))
            } else {
                format!(", pour {} d’étude", hours(LANG, h.value))
            });
        }
        if let Some(e) = measure(measures, FigureKey::Ects) {
            first.push_str(&format!(
                " et {} {}",
                decimal(LANG, e.value),
                plural_f(LANG, e.value, ("crédit ECTS", "crédits ECTS"))
            ));
        }
        first.push('.');
        out.push(first);
        let prior = measure(measures, FigureKey::PriorMastery);
        let new = measure(measures, FigureKey::NewSkills);
        let known = prior.or(new).map_or(0, |m| m.known);
        let mut parts = Vec::new();
        if let Some(p) = prior {
            let k = p.courses.len();
            parts.push(format!(
                "{} {} des compétences acquises auparavant",
                n(k),
                plural(LANG, k as u64, "formalise", "formalisent")
            ));
        }
        if let Some(p) = new {
            let k = p.courses.len();
            parts.push(format!("{} {} des compétences nouvelles", n(k), plural(LANG, k as u64, "valide", "valident")));
        }
        if !parts.is_empty() {
            let lead = if known < certified {
                format!("Sur les {} où c’est renseigné, ", n(known))
            } else {
                String::new()
            };
            let body = parts.join("\u{202f}; ");
            out.push(if lead.is_empty() { format!("{}.", capitalise_first(&body)) } else { format!("{lead}{body}.") });
        }
        out
    }

    fn empty_message(&self, scope: &Scope) -> String {
        match scope {
            Scope::Field(f) => format!("Aucune attestation valide dans le domaine {} pour l’instant.", quoted(LANG, f)),
            Scope::Theme(t) => {
                format!("Aucune attestation valide sur la thématique {} pour l’instant.", quoted(LANG, t))
            }
            Scope::All => "Ce portfolio ne contient aucun cours.".to_owned(),
        }
    }

    fn empty_fill(&self, uncertified: usize, expired: usize) -> Vec<String> {
        let mut out = Vec::new();
        let n = |v: usize| integer(LANG, v as u64);
        match uncertified {
            0 => {}
            1 => out.push("Inclure le cours suivi sans attestation.".to_owned()),
            k => out.push(format!("Inclure les {} cours suivis sans attestation.", n(k))),
        }
        match expired {
            0 => {}
            1 => out.push("Inclure l’attestation expirée.".to_owned()),
            k => out.push(format!("Inclure les {} attestations expirées.", n(k))),
        }
        if out.is_empty() {
            out.push("Ajouter un cours de ce domaine, ou choisir un autre cadrage.".to_owned());
        }
        out
    }

    fn pdf_verify_block(&self) -> (&'static str, &'static str) {
        (
            "Vérifier ce portfolio",
            "Ce document a été généré et enregistré par certfolio. Scannez le code ou ouvrez l’adresse              ci-dessous, puis déposez-y ce fichier : toute modification, même d’un octet, sera signalée.",
        )
    }

    fn pdf_code(&self, code: &str) -> String {
        format!("Code{NBSP}: {code}")
    }

    fn pdf_file_words(&self) -> (&'static str, &'static str) {
        ("portfolio autoformation", "légitimité")
    }

    fn size_units(&self) -> (&'static str, &'static str) {
        ("Kio", "Mio")
    }

    fn problem(&self, p: &Problem) -> String {
        problem_text(p)
    }

    fn json_fault(&self, f: &JsonFault) -> String {
        json_fault(f)
    }

    fn location_words(&self) -> (&'static str, &'static str) {
        ("ligne", "colonne")
    }
}

/// A value quoted back to the learner: « valeur ».
fn q(value: &str) -> String {
    quoted(LANG, value)
}

/// « a », « b » ou « c ».
fn ou(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| q(v)).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} ou {last}", init.join(", ")),
    }
}

fn owned(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn json_fault(f: &JsonFault) -> String {
    match f.kind {
        JsonFaultKind::TooDeep => {
            format!("imbriqué sur plus de {MAX_JSON_DEPTH} niveaux (ligne {}, colonne {})", f.line, f.column)
        }
        JsonFaultKind::Eof => format!("le texte s’arrête avant la fin (ligne {}, colonne {})", f.line, f.column),
        JsonFaultKind::Syntax => format!("erreur de syntaxe ligne {}, colonne {}", f.line, f.column),
    }
}

fn expected(e: Expected) -> String {
    match e {
        Expected::Hours => "un nombre d’heures comme 20 ou 1,5".into(),
        Expected::Ects => "un nombre de crédits ECTS".into(),
        Expected::Skills => {
            "une liste de compétences séparées par des points-virgules, ou le tableau JSON de l’export".into()
        }
        Expected::YesNo => "yes ou no".into(),
        Expected::TrueFalse => "true ou false".into(),
        Expected::OneOf(values) => format!("une de ces valeurs{NBSP}: {}", ou(&owned(values))),
        Expected::Outcome => "une issue de la liste".into(),
        Expected::AttestationKind => "un type d’attestation de la liste".into(),
        Expected::InstitutionKind => "un type d’établissement de la liste".into(),
        Expected::Situation => "une situation de la liste".into(),
        Expected::Framing => format!("un cadrage ({} ou {})", q("appetite"), q("legitimacy")),
        Expected::Language => {
            let codes: Vec<String> = Lang::ALL.iter().map(|l| l.as_str().to_owned()).collect();
            format!("une langue proposée ({})", ou(&codes))
        }
        Expected::ExportFormat => format!("un format d’export ({})", ou(&owned(&["json", "jsonresume", "csv"]))),
    }
}

/// The noun with its article: "le cours", "la certification", "l’attestation".
fn noun(n: Noun) -> &'static str {
    match n {
        Noun::Course => "le cours",
        Noun::Certification => "la certification",
        Noun::Certificate => "l’attestation",
    }
}

fn nouns(n: Noun) -> &'static str {
    match n {
        Noun::Course => "cours",
        Noun::Certification => "certifications",
        Noun::Certificate => "attestations",
    }
}

fn hint(h: PasswordHint) -> &'static str {
    match h {
        PasswordHint::StraightRows => "une rangée de touches se devine facilement",
        PasswordHint::ShortKeyboardPatterns => "un court motif de clavier se devine facilement",
        PasswordHint::RepeatsLikeAaa => "une répétition comme « aaa » se devine facilement",
        PasswordHint::RepeatsLikeAbcAbc => "une répétition comme « abcabcabc » ne vaut guère mieux que « abc »",
        PasswordHint::Top10 => "c’est l’un des 10 mots de passe les plus courants",
        PasswordHint::Top100 => "c’est l’un des 100 mots de passe les plus courants",
        PasswordHint::VeryCommon => "c’est un mot de passe très courant",
        PasswordHint::SimilarToCommon => "il ressemble à un mot de passe courant",
        PasswordHint::SequencesLikeAbc => "une suite comme abc ou 6543 se devine facilement",
        PasswordHint::RecentYears => "une année récente se devine facilement",
        PasswordHint::WordByItself => "un mot seul se devine facilement",
        PasswordHint::Dates => "une date se devine souvent facilement",
        PasswordHint::NamesByThemselves => "un nom ou un prénom seul se devine facilement",
        PasswordHint::CommonNames => "un nom ou un prénom courant se devine facilement",
    }
}

fn unrecognised(why: Unrecognised) -> &'static str {
    match why {
        Unrecognised::Empty => "le fichier est vide",
        Unrecognised::JsonArray => "un tableau JSON, et non un objet",
        Unrecognised::NotText => "le fichier n’est ni du texte UTF-8 ni une image PNG",
        Unrecognised::NotSvg => "du XML ou du HTML, et non une image SVG",
        Unrecognised::NotCsvHeader => "la première ligne n’est pas un en-tête CSV",
        Unrecognised::NoKnownColumn => "la première ligne ne nomme aucune des colonnes connues",
        Unrecognised::UnknownJson => {
            "un objet JSON sans « certfolio » (document de portfolio), ni « basics » ou « certificates » (JSON \
             Resume), ni les champs d’une assertion ou d’un titre Open Badges"
        }
    }
}

fn evidence(e: &EvidenceError) -> String {
    match e {
        EvidenceError::Empty => "le fichier est vide".into(),
        EvidenceError::UnknownContent => {
            "seuls les fichiers PDF, PNG et JPEG sont acceptés\u{202f}; le contenu de celui-ci n’est rien de cela"
                .into()
        }
        EvidenceError::Mismatch { actual, declared } => {
            let declared = match declared {
                Declared::Type(t) => q(t),
                Declared::Name(n) => format!("un fichier nommé {}", q(n)),
            };
            format!("le contenu du fichier est {actual}, mais il a été annoncé comme {declared}")
        }
        EvidenceError::TooManyPixels { width, height } => format!(
            "l’image fait {width}×{height} pixels\u{202f}; {} pixels au plus sont acceptés",
            integer(LANG, MAX_PIXELS)
        ),
        EvidenceError::Malformed(m) => format!(
            "l’image est mal formée{NBSP}: {}",
            match m {
                Malformation::PngWithoutHeader => "un PNG doit commencer par son en-tête IHDR",
                Malformation::JpegOutOfStep => "les marqueurs JPEG sont décalés",
                Malformation::JpegSegmentLength => "un segment JPEG a une longueur impossible",
                Malformation::JpegWithoutFrame => "aucun en-tête d’image JPEG n’a été trouvé",
            }
        ),
    }
}

fn select(e: &SelectError) -> String {
    match e {
        SelectError::Empty => {
            "le dossier ne contient aucun cours\u{202f}; ajoutez-en un avant de composer un portfolio".into()
        }
        SelectError::ScopeRequired { available } => format!(
            "le cadrage de légitimité demande un domaine ou une thématique (domaines de ce dossier{NBSP}: {available})"
        ),
        SelectError::ScopeNotAllowed => {
            "un domaine ou une thématique ne s’applique qu’au cadrage de légitimité\u{202f}; \
                                         le cadrage d’appétence couvre tout le dossier"
                .into()
        }
        SelectError::NoMatch { kind, value, available } => {
            let kind = if *kind == "theme" { "la thématique" } else { "le domaine" };
            format!("aucun cours n’a {kind} {} (dans ce dossier{NBSP}: {available})", q(value))
        }
    }
}

fn key(k: &KeyProblem) -> String {
    match k {
        KeyProblem::NoMember { member } => format!("la clé JWK n’a pas de {}", q(member)),
        KeyProblem::NotBase64 { member, .. } => format!("le {} de la clé JWK n’est pas en base64url", q(member)),
        KeyProblem::BadRsa { .. } => "ce n’est pas une clé RSA utilisable".into(),
        KeyProblem::P256Size => format!("les {} et {} d’une clé P-256 font 32 octets chacun", q("x"), q("y")),
        KeyProblem::NotOnCurve => "le point n’est pas sur la courbe P-256".into(),
        KeyProblem::Ed25519Size => format!("le {} d’une clé Ed25519 fait 32 octets", q("x")),
        KeyProblem::BadEd25519 { .. } => "ce n’est pas une clé Ed25519 utilisable".into(),
        KeyProblem::Unsupported { kty, crv } => format!(
            "type de clé non pris en charge ({}{})\u{202f}; utilisez RSA, EC P-256 ou OKP Ed25519",
            q(kty),
            if crv.is_empty() { String::new() } else { format!(", courbe {}", q(crv)) }
        ),
        KeyProblem::NotPem => {
            "ce n’est pas une clé publique PEM d’un type pris en charge (RSA, EC P-256 ou Ed25519)".into()
        }
    }
}

const EMBED_IT: &str = "importez l’image « cuite » ou un fichier qui contient le badge";

fn unfetched(u: &Unfetched) -> String {
    match u {
        Unfetched::Failed { why } => format!("certfolio n’a pas pu l’obtenir ({why})"),
        Unfetched::NotObject => "ce que certfolio y a obtenu n’est pas un objet JSON".into(),
        Unfetched::NotFetched => "il n’a pas été téléchargé".into(),
    }
}

fn badge_part(p: BadgePart) -> &'static str {
    match p {
        BadgePart::Badge => "le badge",
        BadgePart::JwsPayload => "le contenu du JWS",
    }
}

fn png_text(f: &PngTextFault) -> String {
    match f {
        PngTextFault::NoKeywordSeparator => "pas de séparateur après le mot-clé".into(),
        PngTextFault::NoCompressionMethod => "pas de méthode de compression".into(),
        PngTextFault::NoCompressionFlag => "pas d’indicateur de compression".into(),
        PngTextFault::UnknownCompressionMethod { method } => format!("méthode de compression inconnue ({method})"),
        PngTextFault::UnknownCompression { flag, method } => {
            format!("compression inconnue (indicateur {flag}, méthode {method})")
        }
        PngTextFault::NoLanguageTerminator => "l’étiquette de langue n’est pas terminée".into(),
        PngTextFault::NoTranslatedKeywordTerminator => "le mot-clé traduit n’est pas terminé".into(),
        PngTextFault::TooLarge { max } => format!("le texte dépasse {} octets", integer(LANG, *max as u64)),
        PngTextFault::NotUtf8 => "le texte n’est pas en UTF-8".into(),
        PngTextFault::DoesNotInflate { .. } => "le texte compressé ne se décompresse pas".into(),
        PngTextFault::InflatesTooLarge { max } => {
            format!("le texte décompressé dépasse {} octets", integer(LANG, *max as u64))
        }
    }
}

fn badge(b: &BadgeProblem) -> String {
    use BadgeProblem as B;
    match b {
        B::PayloadTooLarge { max } => format!("le badge dépasse {} octets", integer(LANG, *max as u64)),
        B::OnlyUrl { url, why } => {
            format!("le badge n’est qu’une adresse ({url}){NBSP}: {}{NNBSP}; {EMBED_IT}", unfetched(why))
        }
        B::FetchedAssertionNotUtf8 => "l’assertion obtenue à l’adresse du badge n’est pas du texte UTF-8".into(),
        B::FetchedAssertionNotJson => "l’assertion obtenue à l’adresse du badge n’est pas du JSON".into(),
        B::NeitherJsonNorJws => "les données du badge ne sont ni du JSON ni un JWS compact".into(),
        B::NotUtf8 { .. } => "ce n’est pas du texte UTF-8".into(),
        B::JsonNotObject { part } => format!("{} est du JSON, mais pas un objet", capitalise_first(badge_part(*part))),
        B::NotJson { part, fault } => {
            format!("{} n’est pas du JSON valide ({})", capitalise_first(badge_part(*part)), json_fault(fault))
        }
        B::BadgeClass => "c’est une classe de badge Open Badges (ce que signifie un badge), pas un badge décerné à \
                          quelqu’un\u{a0}: importez l’assertion ou l’image du badge"
            .into(),
        B::IssuerProfile => "c’est le profil d’un émetteur Open Badges, pas un badge\u{a0}: importez l’assertion ou \
                             l’image du badge"
            .into(),
        B::Endorsement => "c’est une recommandation, pas un badge qui vous a été décerné".into(),
        B::ClassByUrl { url, why } => format!(
            "la classe du badge n’est donnée que par son adresse ({url}){NBSP}: {}{NNBSP}; {EMBED_IT}",
            unfetched(why)
        ),
        B::ClassNotObject => "doit être la classe du badge (un objet)".into(),
        B::OnlyVerificationUrl { url } => {
            format!(
                "le badge ne contient qu’une adresse de vérification ({url}) et aucune classe de badge à lire{NNBSP}; {EMBED_IT}"
            )
        }
        B::NoBadge => format!("pas de {}{NBSP}: ce n’est pas une assertion Open Badges", q("badge")),
        B::NoName => "le badge n’a pas de nom".into(),
        B::EndorsementCredential => "c’est une EndorsementCredential (une recommandation d’un émetteur ou d’un \
                                     badge), pas un badge qui vous a été décerné"
            .into(),
        B::NotOb3 => format!(
            "ce n’est pas un titre Open Badges 3.0{NBSP}: {} ne nomme ni OpenBadgeCredential ni AchievementCredential",
            q("type")
        ),
        B::SignatureMismatchTrusted { issuers } => format!(
            "la signature ne correspond pas aux données du badge (vérifiée avec la clé de confiance de {issuers}){NBSP}: \
             le badge a été modifié, ou n’a pas été signé par son émetteur"
        ),
        B::SignatureMismatchEmbedded => format!(
            "la signature ne correspond pas aux données du badge (vérifiée avec la clé que porte le badge){NBSP}: \
             le badge a été modifié"
        ),
        B::EmbeddedKey(k) => format!("la clé {} de l’en-tête JWS{NBSP}: {}", q("jwk"), key(k)),
        B::NotPng => "ce n’est pas une image PNG (ses 8 premiers octets ne sont pas la signature PNG)".into(),
        B::PngTruncated { pos } => {
            format!("le fichier s’arrête à l’octet {pos}, au milieu des blocs (tronqué{NNBSP}?)")
        }
        B::PngChunk { index, pos } => format!("le bloc {index}, à l’octet {pos}, n’est pas un bloc PNG valide"),
        B::PngChunkTooLong { name, pos, len } => format!(
            "le bloc {name}, à l’octet {pos}, annonce {len} octets, plus que n’en contient le fichier (tronqué{NNBSP}?)"
        ),
        B::PngNoHeader => "le premier bloc n’est pas IHDR\u{a0}: ce n’est pas une image PNG valide".into(),
        B::PngCrc { name, pos } => {
            format!("le bloc {name} {} à l’octet {pos} échoue à son contrôle CRC", q("openbadges"))
        }
        B::PngText { name, pos, fault } => format!("le bloc {name} à l’octet {pos}{NBSP}: {}", png_text(fault)),
        B::PngNotBaked => "cette image PNG ne contient pas de données Open Badges (aucun bloc « openbadges » ou \
                           « openbadgecredential »)\u{a0}: ce n’est pas un badge"
            .into(),
        B::SvgNotUtf8 { .. } => "le fichier n’est pas du texte UTF-8".into(),
        B::SvgNotBaked => "cette image SVG ne contient pas de données Open Badges (aucun élément \
                           <openbadges:assertion> ou <openbadges:credential>)\u{a0}: ce n’est pas un badge"
            .into(),
        B::SvgEndsInside { name } => format!("le fichier s’arrête au milieu de <{name}> (tronqué{NNBSP}?)"),
        B::SvgNeverClosed { name } => format!("<{name}> n’est jamais fermé (tronqué{NNBSP}?)"),
        B::SvgEmpty { name } => {
            format!("<{name}> est vide{NBSP}: il n’a ni données de badge ni attribut {}", q("verify"))
        }
        B::SvgTagNeverClosed { name } => format!("la balise ouvrante <{name}> n’est jamais fermée (tronqué{NNBSP}?)"),
        B::JwsParts { count } => {
            format!("un JWS compact a 3 parties séparées par des points, celui-ci en a {count}")
        }
        B::JwsNotBase64 { part, .. } => {
            let part = match *part {
                "header" => "l’en-tête",
                "payload" => "le contenu",
                _ => "la signature",
            };
            format!("{part} n’est pas en base64url")
        }
        B::JwsHeaderNotObject { .. } => "l’en-tête n’est pas un objet JSON".into(),
        B::JwsNoAlg => format!("l’en-tête n’a pas de {}", q("alg")),
    }
}

/// Every problem in French, to be read beside the field it is about (the page puts the field's
/// label before it).
fn problem_text(p: &Problem) -> String {
    use Problem as P;
    let n = |v: usize| integer(LANG, v as u64);
    match p {
        P::Empty => "ne doit pas être vide".into(),
        P::TooLong { len, max } => format!("compte {} caractères\u{202f}; {} au plus sont permis", n(*len), n(*max)),
        P::NotOneLine => "doit tenir sur une ligne, sans caractère de contrôle".into(),
        P::ControlCharacters => "ne doit pas contenir de caractère de contrôle".into(),
        P::DirectionControl { code } => format!(
            "contient le caractère invisible de direction U+{code:04X}, qui afficherait le texte dans un autre \
             ordre\u{202f}; retirez-le"
        ),
        P::NotAUrl { .. } => "n’est pas une adresse web valide (par exemple https://exemple.org/verifier)".into(),
        P::UrlScheme { scheme } => format!("doit être une adresse http ou https, pas {}", q(&format!("{scheme}:"))),
        P::UrlNoHost => "doit nommer un site".into(),
        P::ImportedLink { problem, value } => {
            format!("{} ({})\u{202f}; seuls les liens http et https sont importés", problem_text(problem), q(value))
        }
        P::NotALanguageTag { value } => {
            format!("{} n’est pas un code de langue comme {}, {} ou {}", q(value), q("fr"), q("en"), q("pt-BR"))
        }
        P::TooManyThemes { max } => format!("{} thématiques au plus sont permises", n(*max)),
        P::TooManyBytes { len, max } => format!("compte {} octets\u{202f}; {} au plus sont permis", n(*len), n(*max)),
        P::NotADate { value } => format!("{} n’est pas une date de la forme AAAA-MM-JJ", q(value)),
        P::NotARealDate { value } => format!("{} n’est pas une date réelle (AAAA-MM-JJ)", q(value)),
        P::NotAPartialDate { value } => {
            format!("{} n’est pas une date de la forme AAAA-MM-JJ, AAAA-MM ou AAAA", q(value))
        }
        P::NotAMonthYear { value } => {
            format!("{} n’est pas une date comme {} ou {}", q(value), q("Mar 2015"), q("2015"))
        }
        P::NotADateValue { value } => format!("{} n’est pas une date", q(value)),
        P::NotATime { value } => format!("{} n’est pas une heure RFC 3339 comme 2026-12-31T23:59:59Z", q(value)),
        P::NotInFuture => "doit être dans le futur".into(),
        P::EndsBeforeStart { start, end } => format!(
            "le {} précède la date de début ({})\u{202f}; un cours ne peut pas finir avant de commencer",
            day_month_year(LANG, *end),
            day_month_year(LANG, *start)
        ),
        P::ExpiresBeforeIssued { issued, expires } => format!(
            "le {} précède la date de délivrance ({})\u{202f}; une attestation ne peut pas expirer avant d’être délivrée",
            day_month_year(LANG, *expires),
            day_month_year(LANG, *issued)
        ),
        P::ExpiryBeforeIssue { issued, expires } => {
            format!("la date d’expiration {} précède la date de délivrance (Started On) {}", q(expires), q(issued))
        }
        P::OutOfRange { value, max } => format!(
            "doit être un nombre supérieur à 0 et d’au plus {}, pas {}",
            max.replace('.', ","),
            value.replace('.', ",")
        ),
        P::NotANumberOfHours { value } => format!("{} n’est pas un nombre d’heures", q(value)),
        P::NotADayCount { min, max } => format!("un nombre de jours de {min} à {}", n(*max as usize)),
        P::NotA { value, expected: e } => format!("{} n’est pas {}", q(value), expected(*e)),
        P::EmailTooLong { max } => format!("dépasse {} caractères", n(*max)),
        P::EmailNoAt { value } => format!("{} n’est pas une adresse e-mail (pas de {})", q(value), q("@")),
        P::NotAnEmail { value } => format!("{} n’est pas une adresse e-mail", q(value)),
        P::EmailDomain { value } => {
            format!("{} n’est pas une adresse e-mail (le domaine doit ressembler à exemple.org)", q(value))
        }
        P::PasswordTooShort { len, min } => {
            format!("doit compter au moins {} caractères (il en a {})", n(*min), n(*len))
        }
        P::PasswordTooLong { len, max } => format!("doit compter au plus {} caractères (il en a {})", n(*max), n(*len)),
        P::PasswordGuessable { hint: h } => format!(
            "est trop courant ou trop facile à deviner{}\u{202f}; quelques mots sans lien font un mot de passe solide",
            h.map(|h| format!(" ({})", hint(h))).unwrap_or_default()
        ),
        P::WrongCurrentPassword => "ce n’est pas votre mot de passe actuel".into(),
        P::EmailTaken => "un compte existe déjà avec cette adresse".into(),
        P::ChooseALanguage => "choisissez l’une des langues proposées".into(),
        P::InvalidJson(f) => {
            let deep =
                if f.kind == JsonFaultKind::TooDeep { "\u{202f}; aucun document n’est aussi profond" } else { "" };
            format!("JSON invalide{NBSP}: {}{deep}", json_fault(f))
        }
        P::BodyNotObject => "le contenu doit être un objet JSON".into(),
        P::MustBeObject => "doit être un objet JSON".into(),
        P::MustBeArray => "doit être un tableau".into(),
        P::MustBeString => "doit être un texte".into(),
        P::UnknownField { field, expected } if expected.is_empty() => format!("champ inconnu{NBSP}: {}", q(field)),
        P::UnknownField { field, expected } => {
            format!("champ inconnu{NBSP}: {}\u{202f}; les champs possibles{NBSP}: {}", q(field), ou(expected))
        }
        P::MissingField { field } => format!("le champ {} manque", q(field)),
        P::UnknownVariant { value, expected } if expected.is_empty() => format!("valeur inconnue{NBSP}: {}", q(value)),
        P::UnknownVariant { value, expected } => {
            format!("valeur inconnue{NBSP}: {}\u{202f}; les valeurs possibles{NBSP}: {}", q(value), ou(expected))
        }
        P::WrongType { expected } => format!(
            "doit être {}",
            match expected {
                JsonKind::Text => "un texte",
                JsonKind::Number => "un nombre",
                JsonKind::WholeNumber => "un nombre entier",
                JsonKind::Boolean => "true ou false",
                JsonKind::List => "une liste",
                JsonKind::Object => "un objet JSON",
            }
        ),
        // The reader's own words, which have no French version.
        P::Invalid { detail } | P::BadQuery { detail } => format!("valeur refusée ({detail})"),
        P::TrustEntry { detail } => format!("entrée illisible ({detail})"),
        P::UnsupportedVersion { version, supported } => format!(
            "la version {version} du document n’est pas prise en charge\u{202f}; cette version de certfolio lit la version {supported}"
        ),
        P::TooManyCourses { count, max } => {
            format!("{} cours dans un document\u{202f}; {} au plus sont permis", n(*count), n(*max))
        }
        P::RepeatsCourse { first } => {
            format!("répète {} (même titre, même plateforme, même date de début)", location(LANG, first))
        }
        P::IsADocument => "c’est un document de portfolio\u{202f}; importez-le comme document".into(),
        P::Unrecognised(why) => format!(
            "format non reconnu{NBSP}: {}\u{202f}; sont acceptés un document de portfolio certfolio, un JSON Resume, \
             le fichier Certifications.csv de LinkedIn, un CSV dont l’en-tête nomme des champs du document, ou un \
             badge Open Badges (JSON, JWS, image PNG ou SVG)",
            unrecognised(*why)
        ),
        P::FileEmpty => "le fichier est vide".into(),
        P::NoRows { noun: k } => format!(
            "le fichier a un en-tête, mais aucun{} {}",
            if *k == Noun::Course { "" } else { "e" },
            match k {
                Noun::Course => "cours",
                Noun::Certification => "certification",
                Noun::Certificate => "attestation",
            }
        ),
        P::TooManyRows { max, noun: k } => {
            format!("plus de {} {} dans un seul fichier\u{202f}; découpez-le", n(*max), nouns(*k))
        }
        P::CellCount { cells, header } => {
            format!("compte {} cellules quand l’en-tête en a {}", n(*cells), n(*header))
        }
        P::NotCsv { .. } => "ne se lit pas comme du CSV".into(),
        P::NotUtf8Cell => "n’est pas du texte UTF-8\u{202f}; enregistrez le fichier en UTF-8".into(),
        P::UnknownColumn { column, columns } => format!(
            "colonne inconnue{NBSP}: {}\u{202f}; les colonnes possibles{NBSP}: {}",
            q(column),
            columns.join(", ")
        ),
        P::RepeatedColumn => "cette colonne figure deux fois".into(),
        P::NoTitleColumn => format!("pas de colonne {}\u{202f}; chaque cours a besoin d’un titre", q("title")),
        P::MissingTitle => "est vide\u{202f}; chaque cours a besoin d’un titre".into(),
        P::MissingName { noun: Noun::Certificate } => "manque\u{202f}; chaque attestation a besoin d’un nom".into(),
        P::MissingName { noun: k } => format!(
            "est vide\u{202f}; chaque {} a besoin d’un nom",
            match k {
                Noun::Course => "cours",
                Noun::Certification | Noun::Certificate => "certification",
            }
        ),
        P::CertifiedNoButDetails => format!(
            "vaut {} alors que la ligne a des détails d’attestation\u{202f}; indiquez {} ou videz ces cellules",
            q("no"),
            q("yes")
        ),
        P::RepeatsRow { noun: k, first } => format!(
            "répète {} vu plus haut ({}) avec d’autres détails (même titre, même plateforme, même date de début)",
            noun(*k),
            location(LANG, first)
        ),
        P::NotLinkedInHeader { expected } => {
            format!("ce n’est pas l’en-tête du fichier Certifications.csv de LinkedIn, qui est {}", q(expected))
        }
        P::SixColumns => "6 colonnes attendues".into(),
        P::ResumeNotObject => "un JSON Resume est un objet JSON".into(),
        P::TooManyCertificates { count, max } => {
            format!("{} attestations\u{202f}; {} au plus sont importées à la fois", n(*count), n(*max))
        }
        P::NoCertificate => "ce JSON Resume ne contient aucune attestation à importer".into(),
        P::Badge(b) => badge(b),
        P::Key(k) => key(k),
        P::TrustFile { detail } => format!("fichier de confiance illisible ({detail})"),
        P::TrustKeyChoice => format!("donnez la clé sous une seule forme{NBSP}: {} ou {}", q("jwk"), q("pem")),
        P::Evidence(e) => evidence(e),
        P::OnlyFileField => format!("champ inconnu\u{202f}; le seul champ est {}", q("file")),
        P::OneFileOnly => "envoyez un seul fichier".into(),
        P::FileFieldMissing => format!("un champ {} est nécessaire", q("file")),
        P::EvidenceTooLarge { mib } => format!("les justificatifs sont limités à {mib}{NBSP}Mio"),
        P::VerifyTooLarge { mib } => format!("les fichiers sont limités à {mib}{NBSP}Mio"),
        P::ImportTooLarge { mib } => format!("le fichier dépasse {mib}{NBSP}Mio"),
        P::QuotaFiles { files, max } => format!(
            "ce compte a déjà {} justificatifs, le maximum permis est {}",
            integer(LANG, u64::try_from(*files).unwrap_or(0)),
            integer(LANG, u64::try_from(*max).unwrap_or(0))
        ),
        P::QuotaBytes { bytes, max } => format!(
            "les justificatifs occuperaient {} octets, au-delà du quota de ce compte ({} octets)",
            integer(LANG, u64::try_from(*bytes).unwrap_or(0)),
            integer(LANG, u64::try_from(*max).unwrap_or(0))
        ),
        P::NotMultipart { .. } => "le fichier doit être envoyé par le formulaire (multipart/form-data)".into(),
        P::MalformedMultipart { .. } => "l’envoi est mal formé".into(),
        P::OneFileInField => "envoyez un seul fichier, dans le champ prévu".into(),
        P::ChooseAFile => "choisissez un fichier".into(),
        P::BodyTooLarge => "le contenu envoyé est trop volumineux".into(),
        P::UnreadableBody { .. } => "le contenu envoyé n’a pas pu être lu".into(),
        P::NotJsonBody { content_type } => {
            format!("le contenu doit être du JSON (Content-Type: application/json), pas {}", q(content_type))
        }
        P::ImportContentType { content_type } => format!(
            "envoyez le fichier en application/json, text/csv, text/plain, application/jwt, image/png, \
             image/svg+xml ou application/octet-stream, pas {}",
            q(content_type)
        ),
        P::Select(e) => select(e),
        P::EmptyPortfolio { scope, uncertified, expired } => {
            format!("{} {}", French.empty_message(scope), French.empty_fill(*uncertified, *expired).join(" "))
        }
        P::FieldOrTheme => "donnez un domaine ou une thématique, pas les deux".into(),
        P::SavedPortfolioAlone => {
            "un portfolio enregistré dit lui-même son cadrage et ses options\u{a0}: donnez-le seul \
                                   (avec la langue, le libellé, l’expiration)"
                .into()
        }
        P::NoSuchPortfolio => "aucun de vos portfolios ne porte cet identifiant".into(),
        P::FollowNeedsPortfolio => {
            "seul un lien fait depuis un portfolio enregistré peut en suivre les modifications".into()
        }
        P::FramingOrPortfolio => "donnez un cadrage, ou un portfolio enregistré".into(),
        P::TooManyPortfolios { max } => format!("{} portfolios au plus sont conservés", n(*max)),
        P::RepeatsPortfolioName { first } => format!("reprend le nom de {first}"),
        P::PortfolioNameTaken { name } => {
            format!("un portfolio nommé {} existe déjà\u{202f}; choisissez un autre nom", q(name))
        }
        P::PortfolioQuota { max } => {
            format!("{} portfolios au plus sont conservés\u{202f}; supprimez-en un d’abord", n(*max))
        }
        P::TooManyPinned { count, max } => {
            format!("{} cours mis en avant\u{202f}; {} au plus peuvent être montrés en premier", n(*count), n(*max))
        }
        P::TooManyListed => "liste plus de cours qu’un dossier ne peut en contenir".into(),
        P::NoSuchCourse => "ne désigne aucun cours de ce dossier".into(),
        P::RepeatedCourse => "désigne un cours déjà listé".into(),
        P::IncludedAndExcluded => "un cours ne peut pas être à la fois inclus et exclu".into(),
        P::ExcludedPinned => "un cours exclu ne peut pas être mis en avant".into(),
        P::NoCourseChosen => "choisissez au moins un cours".into(),
        P::NothingToSet => "choisissez quelque chose à modifier".into(),
        P::TooManySkills { max } => format!("{} compétences au plus sont permises", n(*max)),
        P::NotASkill => "une compétence est un nom, ou un objet {\"name\": …, \"uri\": …}".into(),
        P::LegitimacyNeedsScope => "le cadrage de légitimité demande un domaine ou une thématique".into(),
        P::CourseExists => {
            "un cours de même titre, même plateforme et même date de début figure déjà dans le dossier".into()
        }
        P::InstitutionNameTaken => "un autre établissement porte déjà ce nom\u{202f}; fusionnez plutôt les deux".into(),
        P::SameInstitutionTwice => "choisissez deux établissements différents".into(),
        P::SignInRequired => "connectez-vous pour continuer".into(),
        P::WrongCredentials => "l’adresse e-mail ou le mot de passe est incorrect".into(),
        P::NotFound => "introuvable".into(),
        P::Gone => "n’est plus disponible".into(),
        P::TooManyAttempts { retry_after } if *retry_after >= 120 => {
            format!("trop de tentatives\u{202f}; réessayez dans {} minutes", integer(LANG, retry_after.div_ceil(60)))
        }
        P::TooManyAttempts { retry_after } => {
            format!("trop de tentatives\u{202f}; réessayez dans {} secondes", integer(LANG, *retry_after))
        }
        P::Busy => "le service est occupé\u{202f}; réessayez dans un instant".into(),
        P::DatabaseUnreachable => {
            "la base de données est injoignable pour l’instant\u{202f}; réessayez dans un instant (si vous enregistriez \
             une modification, rechargez d’abord la page pour voir si elle l’a été)"
                .into()
        }
        P::OutcomeUnknown => "la base de données a cessé de répondre pendant l’enregistrement de cette modification\u{a0}: \
                              elle a pu être enregistrée ou non\u{202f}; rechargez la page pour vérifier avant de \
                              réessayer"
            .into(),
        P::SavedNotShown => "la modification est enregistrée, mais la base de données a cessé de répondre avant de \
                             pouvoir l’afficher\u{202f}; rechargez la page pour la voir (ne la renvoyez pas)"
            .into(),
        P::InternalError => "une erreur interne s’est produite\u{202f}; elle a été consignée".into(),
    }
}
