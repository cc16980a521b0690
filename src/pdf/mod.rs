//! The portfolio PDF: one learner's record typeset in one of two framings (PRODUCT.md).
//!
//! [`render`] is pure (no I/O, no async, no clock: the creation date comes in the options),
//! so `certfolio render`, `GET /api/v1/portfolio.pdf` and the tests share it, and the same
//! inputs give the same bytes.

pub mod chart;
pub mod fonts;
pub mod layout;

use printpdf::{FontId, PdfDocument, PdfFont, PdfSaveOptions};
use sha2::{Digest, Sha256};

use self::fonts::Weight;
use self::layout::{ACCENT, BOTTOM, CONTENT_W, Canvas, FOOTER_BASELINE, INK, MARGIN_X, MUTED, PANEL, RULE, Style};
use crate::domain::assurance::{Assurance, AssuranceSummary, assurance_of, badge_status};
use crate::domain::badge::BadgeStatus;
use crate::domain::portfolio::{self, Framing, Portfolio, Scope, SelectError, Spec, course_date, recency_date};
use crate::domain::{CourseRecord, Document, Lang};
use crate::i18n::{self, Labels, NBSP, quoted};

/// What to render besides the record itself.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub spec: Spec,
    /// `None`: the learner's preferred language, else French.
    pub lang: Option<Lang>,
    /// A share link and its verification code, printed in the footer (issue 4).
    pub share: Option<ShareLink>,
    /// Written into the PDF metadata and the footer.
    pub created_at: time::OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct ShareLink {
    pub url: String,
    pub code: String,
    /// What the service knows beyond the document, course by course (document order):
    /// whether an evidence file was uploaded. An offline render knows none.
    pub evidence: Vec<bool>,
}

/// The level of proof of each claim (`domain::assurance`), from the document and what the
/// service knows about evidence files.
struct Proofs<'a> {
    doc: &'a Document,
    evidence: &'a [bool],
    /// The PDF's creation time: badge expiry is read against it.
    now: i64,
}

impl Proofs<'_> {
    fn level(&self, course: &CourseRecord) -> Assurance {
        let index = self.doc.courses.iter().position(|c| std::ptr::eq(c, course));
        let has_evidence = index.and_then(|i| self.evidence.get(i)).copied().unwrap_or(false);
        assurance_of(course, has_evidence, self.now)
    }

    /// Every course the portfolio shows, once, by level.
    fn summary(&self, p: &Portfolio<'_>) -> AssuranceSummary {
        AssuranceSummary::of(p.shown().into_iter().map(|c| self.level(c)))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The request does not fit the record (unknown field, no course…): the user's to fix.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// The embedded fonts did not parse: a broken build, never the user's input.
    #[error("the embedded fonts could not be read")]
    Fonts,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

const NAME: Style = Style::new(Weight::Bold, 22.0, INK);
const HEADLINE: Style = Style::new(Weight::Regular, 11.0, MUTED);
const CONTACT: Style = Style::new(Weight::Regular, 9.0, MUTED);
const FRAMING: Style = Style::new(Weight::Bold, 14.0, ACCENT);
const COVER: Style = Style::new(Weight::Regular, 10.0, INK);
const SECTION: Style = Style::new(Weight::Bold, 12.0, INK);
const SECTION_NOTE: Style = Style::new(Weight::Regular, 8.0, MUTED);
const FIGURE: Style = Style::new(Weight::Bold, 17.0, ACCENT);
const FIGURE_LABEL: Style = Style::new(Weight::Regular, 8.0, MUTED);
const GROUP: Style = Style::new(Weight::Bold, 10.5, ACCENT);
const TITLE: Style = Style::new(Weight::Bold, 10.5, INK);
const INSTITUTION_FIRST: Style = Style::new(Weight::Bold, 9.5, ACCENT);
const BODY: Style = Style::new(Weight::Regular, 9.0, INK);
const KIND: Style = Style::new(Weight::Bold, 8.5, ACCENT);
const META: Style = Style::new(Weight::Regular, 8.5, MUTED);
const SMALL: Style = Style::new(Weight::Regular, 8.0, MUTED);
const LINK: Style = Style::new(Weight::Regular, 8.0, ACCENT);
const TAG: Style = Style::new(Weight::Italic, 8.5, MUTED);
const DATE: Style = Style::new(Weight::Regular, 8.5, MUTED);
const EFFORT_TITLE: Style = Style::new(Weight::Bold, 9.5, INK);
const CLAIMS: Style = Style::new(Weight::Bold, 8.5, MUTED);
const LEVEL: Style = Style::new(Weight::Regular, 7.5, MUTED);

/// Entries: a date column on the left, the body to its right.
const DATE_W: f32 = 30.0;
const BODY_X: f32 = MARGIN_X + DATE_W;
const BODY_W: f32 = CONTENT_W - DATE_W;
const ENTRY_GAP: f32 = 4.2;

/// Renders the portfolio PDF.
pub fn render(doc: &Document, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let p = portfolio::select(doc, &opts.spec)?;
    let lang = opts.lang.or(doc.learner.lang).unwrap_or_default();
    let l = i18n::labels(lang);
    let fonts = fonts::fonts().ok_or(RenderError::Fonts)?;

    let heading = framing_title(&p, lang, l);
    let mut pdf = PdfDocument::new(&format!("{} — {heading}", doc.learner.name));
    // Fixed resource names (printpdf's are random) keep the output reproducible; six capitals
    // are the subset tag that PDF readers expect before a subset font's name.
    let ids = [FontId("CFREGU".into()), FontId("CFBOLD".into()), FontId("CFITAL".into())];
    for (id, face) in ids.iter().zip(fonts.all()) {
        pdf.resources.fonts.map.insert(id.clone(), PdfFont::new(face.parsed.clone()));
    }

    let mut c = Canvas::new(fonts, ids);
    let proofs = Proofs {
        doc,
        evidence: opts.share.as_ref().map_or(&[][..], |s| s.evidence.as_slice()),
        now: opts.created_at.unix_timestamp(),
    };
    let summary = i18n::summary_sentence(lang, &proofs.summary(&p));
    header(&mut c, &p, lang, &heading, &summary);
    match p.framing {
        Framing::Appetite => appetite_body(&mut c, &p, lang, l, &proofs),
        Framing::Legitimacy => legitimacy_body(&mut c, &p, lang, l, &proofs),
    }
    if let Some(share) = &opts.share {
        verification_block(&mut c, share, lang)?;
    }
    let name = doc.learner.name.clone();
    let created = opts.created_at;
    let share = opts.share.clone();
    let pages = c.finish(|c, n, total| footer(c, &name, n, total, lang, l, created, share.as_ref()));

    let info = &mut pdf.metadata.info;
    info.author = doc.learner.name.clone();
    info.subject = heading.clone();
    info.creator = "certfolio".into();
    info.producer = format!("certfolio {} (printpdf 0.12.8)", env!("CARGO_PKG_VERSION"));
    let when = printpdf::DateTime::from_unix_timestamp(opts.created_at.unix_timestamp())
        .map_err(|e| RenderError::Write(e.to_string()))?;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    pdf.pages = pages;

    let save = PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&save, &mut warnings);
    for w in warnings.iter().filter(|w| w.severity != printpdf::PdfParseErrorSeverity::Info) {
        tracing::warn!(page = w.page, message = %w.msg, "printpdf warning while rendering a portfolio");
    }
    finish_catalog(&mut lo, lang, doc, opts)?;
    compress(&mut lo);
    let mut bytes = Vec::with_capacity(64 * 1024);
    lo.save_to(&mut bytes).map_err(|e| RenderError::Write(e.to_string()))?;
    Ok(bytes)
}

/// Deflates every stream that is not yet filtered, with one fast compressor reused across
/// streams. lopdf's own `compress` builds a level-9 encoder per stream, which took a third
/// of the whole render.
fn compress(lo: &mut lopdf::Document) {
    // Level 1: measured on the 24-course portfolio, 1.2 ms and 35 KB against 3.0 ms and 29 KB at
    // level 6; the size budget (60 KB) is far, the time budget is not.
    let mut z = flate2::Compress::new(flate2::Compression::fast(), true);
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            z.reset();
            if let Some(compressed) = deflate(&mut z, &stream.content)
                && compressed.len() + 19 < stream.content.len()
            {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
}

fn deflate(z: &mut flate2::Compress, input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    loop {
        let consumed = usize::try_from(z.total_in()).ok()?;
        let status = z.compress_vec(input.get(consumed..)?, &mut out, flate2::FlushCompress::Finish).ok()?;
        match status {
            flate2::Status::StreamEnd => return Some(out),
            flate2::Status::Ok | flate2::Status::BufError => out.reserve(out.capacity().max(256)),
        }
    }
}

/// What printpdf cannot say itself: the document language (`/Lang`, read by screen readers
/// and search) and a file identifier derived from the inputs instead of random, so that the
/// same record, options and date always give the same bytes.
fn finish_catalog(
    lo: &mut lopdf::Document,
    lang: Lang,
    doc: &Document,
    opts: &RenderOptions,
) -> Result<(), RenderError> {
    let write = |e: lopdf::Error| RenderError::Write(e.to_string());
    let root = lo.trailer.get(b"Root").and_then(lopdf::Object::as_reference).map_err(write)?;
    let catalog = lo.get_object_mut(root).and_then(lopdf::Object::as_dict_mut).map_err(write)?;
    catalog.set("Lang", lopdf::Object::string_literal(lang.as_str()));
    // printpdf always writes a `GTS_PDFXVersion` (empty here), which makes readers announce
    // PDF/X conformance that this file does not claim; empty entries say nothing either.
    if let Ok(info) = lo.trailer.get(b"Info").and_then(lopdf::Object::as_reference)
        && let Ok(info) = lo.get_object_mut(info).and_then(lopdf::Object::as_dict_mut)
    {
        for key in [&b"GTS_PDFXVersion"[..], b"Identifier", b"Keywords"] {
            info.remove(key);
        }
    }

    let mut h = Sha256::new();
    h.update(serde_json::to_vec(doc).unwrap_or_default());
    h.update(format!(
        "{:?}|{:?}|{:?}|{}",
        opts.spec,
        lang,
        opts.share.as_ref().map(|s| (&s.url, &s.code)),
        opts.created_at.unix_timestamp()
    ));
    let digest = h.finalize();
    let id: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let id = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Literal);
    lo.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    Ok(())
}

fn framing_title(p: &Portfolio<'_>, lang: Lang, l: &Labels) -> String {
    match &p.scope {
        Scope::All => l.appetite_title.to_owned(),
        Scope::Field(f) => format!("{} {}", l.legitimacy_field_title, quoted(lang, f)),
        Scope::Theme(t) => format!("{} {}", l.legitimacy_theme_title, quoted(lang, t)),
    }
}

fn header(c: &mut Canvas<'_>, p: &Portfolio<'_>, lang: Lang, heading: &str, summary: &str) {
    let learner = &p.doc.learner;
    let mut y = c.y;
    y += c.paragraph(MARGIN_X, y, CONTENT_W, NAME, &learner.name) + 2.0;
    if let Some(h) = &learner.headline {
        y += c.paragraph(MARGIN_X, y, CONTENT_W, HEADLINE, h) + 1.6;
    }
    let contact: Vec<&str> = [learner.email.as_deref(), learner.location.as_deref()].into_iter().flatten().collect();
    if !contact.is_empty() {
        let line = contact.join("  ·  ");
        y += c.paragraph(MARGIN_X, y, CONTENT_W, CONTACT, &line);
        if let Some(email) = &learner.email {
            let w = c.width(CONTACT, email);
            let top = y - layout::lines_height(1, CONTACT);
            c.link(MARGIN_X, top - 0.5, w, CONTACT.cap() + 1.5, &format!("mailto:{email}"));
        }
    }
    y += 4.0;
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, y, 1.4, ACCENT);
    y += 6.0;
    y += c.paragraph(MARGIN_X, y, CONTENT_W, FRAMING, heading) + 3.0;
    y += c.paragraph(MARGIN_X, y, CONTENT_W, COVER, &cover(p, lang)) + 3.2;
    // The "not inflated" line: how much of each claim a reader can check.
    y += c.paragraph(MARGIN_X, y, CONTENT_W, CLAIMS, summary) + 7.0;
    c.y = y;
}

/// Two or three sentences, every figure taken from the record and nothing it cannot back.
pub fn cover(p: &Portfolio<'_>, lang: Lang) -> String {
    let s = &p.stats;
    let name = &p.doc.learner.name;
    let n = |v: usize| i18n::integer(lang, v as u64);
    let pl = |v: usize, one: &'static str, many: &'static str| i18n::plural(lang, v as u64, one, many);
    match (&p.scope, lang) {
        (Scope::All, Lang::Fr) => {
            let mut out =
                format!("{name} a suivi {}", i18n::count(lang, s.courses, "cours en ligne", "cours en ligne"));
            match (s.first_year, s.last_year) {
                (Some(a), Some(b)) if a != b => out.push_str(&format!(" entre {a} et {b}")),
                (Some(a), _) => out.push_str(&format!(" en {a}")),
                _ => {}
            }
            out.push_str(&format!(
                ", dont {} par une attestation",
                format_args!("{} {}", n(s.certified), pl(s.certified, "sanctionné", "sanctionnés"))
            ));
            if s.hours > 0.0 {
                out.push_str(&format!(", soit {} d’étude au total", i18n::hours(lang, s.hours)));
            }
            out.push_str(". ");
            out.push_str(&format!(
                "Ces cours couvrent {}, auprès de {} et sur {}.",
                i18n::count(lang, s.fields.len(), "domaine", "domaines"),
                i18n::count(lang, s.institutions.len(), "établissement", "établissements"),
                i18n::count(lang, s.platforms.len(), "plateforme", "plateformes"),
            ));
            if s.in_progress > 0 {
                out.push_str(&format!(
                    " {} en cours de suivi.",
                    format_args!(
                        "{} {}",
                        i18n::count(lang, s.in_progress, "cours", "cours"),
                        pl(s.in_progress, "est", "sont")
                    )
                ));
            }
            out
        }
        (Scope::All, Lang::En) => {
            let mut out =
                format!("{name} has taken {}", i18n::count(lang, s.courses, "online course", "online courses"));
            match (s.first_year, s.last_year) {
                (Some(a), Some(b)) if a != b => out.push_str(&format!(" between {a} and {b}")),
                (Some(a), _) => out.push_str(&format!(" in {a}")),
                _ => {}
            }
            out.push_str(&format!(", {} of them certified", n(s.certified)));
            if s.hours > 0.0 {
                out.push_str(&format!(", for {} of study in all", i18n::hours(lang, s.hours)));
            }
            out.push_str(". ");
            out.push_str(&format!(
                "They span {}, {} and {}.",
                i18n::count(lang, s.fields.len(), "field", "fields"),
                i18n::count(lang, s.institutions.len(), "institution", "institutions"),
                i18n::count(lang, s.platforms.len(), "platform", "platforms"),
            ));
            if s.in_progress > 0 {
                out.push_str(&format!(
                    " {} {} in progress.",
                    i18n::count(lang, s.in_progress, "course", "courses"),
                    pl(s.in_progress, "is", "are")
                ));
            }
            out
        }
        (scope, lang) => legitimacy_cover(p, scope, lang),
    }
}

fn legitimacy_cover(p: &Portfolio<'_>, scope: &Scope, lang: Lang) -> String {
    let s = &p.stats;
    let name = &p.doc.learner.name;
    let pl = |v: usize, one: &'static str, many: &'static str| i18n::plural(lang, v as u64, one, many);
    let (fr_where, en_where) = match scope {
        Scope::Field(f) => (format!("dans le domaine {}", quoted(Lang::Fr, f)), format!("in {}", quoted(Lang::En, f))),
        Scope::Theme(t) => {
            (format!("sur la thématique {}", quoted(Lang::Fr, t)), format!("on {}", quoted(Lang::En, t)))
        }
        Scope::All => (String::new(), String::new()),
    };
    let ects = s.ects > 0.0;
    if s.certified == 0 {
        return match lang {
            Lang::Fr => format!(
                "{name} a suivi {} {fr_where}, sans attestation à ce jour, pour {} d’étude.",
                i18n::count(lang, s.courses, "cours", "cours"),
                i18n::hours(lang, s.hours)
            ),
            Lang::En => format!(
                "{name} has taken {} {en_where}, none certified yet, for {} of study.",
                i18n::count(lang, s.courses, "course", "courses"),
                i18n::hours(lang, s.hours)
            ),
        };
    }
    match lang {
        Lang::Fr => {
            let mut out = format!(
                "{name} présente {} {fr_where}, {} par {}",
                i18n::count(lang, s.certified, "attestation", "attestations"),
                pl(s.certified, "délivrée", "délivrées"),
                i18n::count(lang, s.certifying_institutions.len(), "établissement", "établissements"),
            );
            if s.certified_hours > 0.0 {
                out.push_str(&format!(", pour {} d’étude attestées", i18n::hours(lang, s.certified_hours)));
            }
            if ects {
                out.push_str(&format!(
                    " et {} {}",
                    i18n::decimal(lang, s.ects),
                    i18n::plural_f(lang, s.ects, ("crédit ECTS", "crédits ECTS"))
                ));
            }
            out.push('.');
            let mut parts = Vec::new();
            if s.prior_mastery > 0 {
                parts.push(format!(
                    "{} des compétences acquises auparavant",
                    format_args!("{} {}", s.prior_mastery, pl(s.prior_mastery, "formalise", "formalisent"))
                ));
            }
            if s.new_skills > 0 {
                parts.push(format!(
                    "{} des compétences nouvelles",
                    format_args!("{} {}", s.new_skills, pl(s.new_skills, "valide", "valident"))
                ));
            }
            if !parts.is_empty() {
                out.push_str(&format!(" {}{}.", capitalise_first(&parts[0]), tail(&parts[1..], " ; ")));
            }
            out
        }
        Lang::En => {
            let mut out = format!(
                "{name} holds {} {en_where}, issued by {}",
                i18n::count(lang, s.certified, "certificate", "certificates"),
                i18n::count(lang, s.certifying_institutions.len(), "institution", "institutions"),
            );
            if s.certified_hours > 0.0 {
                out.push_str(&format!(", for {} of certified study", i18n::hours(lang, s.certified_hours)));
            }
            if ects {
                out.push_str(&format!(
                    " and {} {}",
                    i18n::decimal(lang, s.ects),
                    i18n::plural_f(lang, s.ects, ("ECTS credit", "ECTS credits"))
                ));
            }
            out.push('.');
            let mut parts = Vec::new();
            if s.prior_mastery > 0 {
                parts.push(format!(
                    "{} {} skills acquired earlier",
                    s.prior_mastery,
                    pl(s.prior_mastery, "formalises", "formalise")
                ));
            }
            if s.new_skills > 0 {
                parts.push(format!("{} {} new skills", s.new_skills, pl(s.new_skills, "validates", "validate")));
            }
            if !parts.is_empty() {
                out.push_str(&format!(" {}{}.", capitalise_first(&parts[0]), tail(&parts[1..], "; ")));
            }
            out
        }
    }
}

fn tail(parts: &[String], sep: &str) -> String {
    parts.iter().map(|p| format!("{sep}{p}")).collect()
}

fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A section title with a rule under it; kept with at least `first_block` millimetres of
/// what follows, so that a title never ends a page alone.
fn section(c: &mut Canvas<'_>, title: &str, note: Option<&str>, first_block: f32) {
    c.keep(12.0 + first_block);
    let base = c.y + SECTION.cap();
    c.text(MARGIN_X, base, SECTION, title);
    if let Some(note) = note {
        let room = CONTENT_W - c.width(SECTION, title) - 6.0;
        let note = c.fit(SECTION_NOTE, note, room);
        c.text_right(MARGIN_X + CONTENT_W, base, SECTION_NOTE, &note);
    }
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, base + 2.4, 0.6, RULE);
    c.y = base + 6.5;
}

/// A row of key figures in panels: a big number over a short label.
fn figures(c: &mut Canvas<'_>, items: &[(String, String)]) {
    if items.is_empty() {
        return;
    }
    let gap = 3.0;
    let n = items.len() as f32;
    let w = (CONTENT_W - gap * (n - 1.0)) / n;
    let label_lines: Vec<Vec<String>> = items.iter().map(|(_, label)| c.wrap(FIGURE_LABEL, label, w - 6.0)).collect();
    let max_lines = label_lines.iter().map(Vec::len).max().unwrap_or(1).min(3);
    let h = 4.0 + FIGURE.cap() + 2.6 + layout::lines_height(max_lines, FIGURE_LABEL) + 3.6;
    c.keep(h);
    let top = c.y;
    for (i, ((big, _), lines)) in items.iter().zip(&label_lines).enumerate() {
        let x = MARGIN_X + i as f32 * (w + gap);
        c.rect(x, top, w, h, PANEL);
        c.rect(x, top, 0.9, h, ACCENT);
        let base = top + 4.0 + FIGURE.cap();
        let big = c.fit(FIGURE, big, w - 6.0);
        c.text(x + 3.5, base, FIGURE, &big);
        for (j, line) in lines.iter().take(max_lines).enumerate() {
            c.text(x + 3.5, base + 2.6 + FIGURE_LABEL.cap() + j as f32 * FIGURE_LABEL.leading(), FIGURE_LABEL, line);
        }
    }
    c.y = top + h + 7.0;
}

fn appetite_body(c: &mut Canvas<'_>, p: &Portfolio<'_>, lang: Lang, l: &Labels, proofs: &Proofs<'_>) {
    let s = &p.stats;
    let mut items = vec![
        (i18n::integer(lang, s.courses as u64), i18n::plural_f(lang, s.courses as f64, l.fig_courses).to_owned()),
        (
            i18n::integer(lang, s.certified as u64),
            i18n::plural_f(lang, s.certified as f64, l.fig_certificates).to_owned(),
        ),
        (i18n::hours(lang, s.hours), l.fig_hours.to_owned()),
    ];
    if let Some(last) = s.last_year
        && s.continuous_years > 0
    {
        let since = last - s.continuous_years as i32 + 1;
        items.push((
            i18n::years(lang, s.continuous_years),
            format!("{} ({} {since})", l.fig_years, l.in_progress_since),
        ));
    }
    if let Some(rate) = s.completion_rate() {
        items.push((i18n::percent(lang, rate), l.fig_completion.to_owned()));
    }
    figures(c, &items);

    let all: Vec<&CourseRecord> = p.doc.courses.iter().collect();
    let timeline = portfolio::timeline(&all);
    if !timeline.buckets.is_empty() {
        let note = match timeline.granularity {
            portfolio::Granularity::Year => l.regularity_by_year,
            portfolio::Granularity::Quarter => l.regularity_by_quarter,
        };
        section(c, l.regularity, Some(note), 52.0);
        let top = c.y;
        let h = chart::draw(c, top, &timeline, lang);
        c.y = top + h + 6.0;
    }

    diversity(c, p, lang, l);

    if !p.in_progress.is_empty() {
        section(c, l.learning_now, None, 10.0);
        for course in &p.in_progress {
            effort_entry(c, course, lang, true);
        }
        c.y += 3.0;
    }

    if !p.certified.is_empty() {
        section(c, l.certified_courses, Some(&i18n::integer(lang, p.certified.len() as u64)), 24.0);
        for course in &p.certified {
            certified_entry(c, course, lang, l, false, proofs.level(course), badge_status(course, proofs.now));
        }
    }

    if !p.uncertified.is_empty() {
        c.y += 2.0;
        section(c, l.uncertified_courses, Some(&i18n::integer(lang, p.uncertified.len() as u64)), 20.0);
        c.y += c.paragraph(MARGIN_X, c.y, CONTENT_W, TAG, l.uncertified_intro) + 4.0;
        for course in &p.uncertified {
            effort_entry(c, course, lang, false);
        }
    }
}

/// Three aligned columns: how many fields, institutions and platforms, with the main names.
fn diversity(c: &mut Canvas<'_>, p: &Portfolio<'_>, lang: Lang, l: &Labels) {
    let s = &p.stats;
    let cols = [(&s.fields, l.fields), (&s.institutions, l.institutions), (&s.platforms, l.platforms)];
    let gap = 6.0;
    let w = (CONTENT_W - 2.0 * gap) / 3.0;
    let num = Style::new(Weight::Bold, 13.0, ACCENT);
    let label = Style::new(Weight::Regular, 9.0, INK);
    let names: Vec<Vec<String>> = cols
        .iter()
        .map(|(counts, _)| {
            // As many names as fit on three lines, the rest summed up as "+N".
            let items: Vec<String> = counts.iter().map(|(n, k)| format!("{n}{NBSP}({k})")).collect();
            (1..=items.len())
                .rev()
                .map(|k| {
                    let mut text = items[..k].join(", ");
                    if k < items.len() {
                        text.push_str(&format!(", +{}", items.len() - k));
                    }
                    c.wrap(SMALL, &text, w)
                })
                .find(|lines| lines.len() <= 3)
                .unwrap_or_default()
        })
        .collect();
    let max_lines = names.iter().map(Vec::len).max().unwrap_or(0);
    let h = num.cap() + 2.5 + layout::lines_height(max_lines, SMALL);
    section(c, l.diversity, None, h);
    let top = c.y;
    for (i, ((counts, name), lines)) in cols.iter().zip(&names).enumerate() {
        let x = MARGIN_X + i as f32 * (w + gap);
        let base = top + num.cap();
        let figure = i18n::integer(lang, counts.len() as u64);
        c.text(x, base, num, &figure);
        c.text(x + c.width(num, &figure) + 1.8, base, label, name);
        for (j, line) in lines.iter().enumerate() {
            c.text(x, base + 2.5 + SMALL.cap() + j as f32 * SMALL.leading(), SMALL, line);
        }
    }
    c.y = top + h + 8.0;
}

fn legitimacy_body(c: &mut Canvas<'_>, p: &Portfolio<'_>, lang: Lang, l: &Labels, proofs: &Proofs<'_>) {
    let s = &p.stats;
    let mut items = vec![
        (
            i18n::integer(lang, s.certified as u64),
            i18n::plural_f(lang, s.certified as f64, l.fig_certificates).to_owned(),
        ),
        (i18n::hours(lang, s.certified_hours), certified_hours_label(lang).to_owned()),
        (
            i18n::integer(lang, s.certifying_institutions.len() as u64),
            i18n::plural_f(lang, s.certifying_institutions.len() as f64, l.fig_institutions).to_owned(),
        ),
    ];
    if s.ects > 0.0 {
        items.push((i18n::decimal(lang, s.ects), i18n::plural_f(lang, s.ects, l.fig_ects).to_owned()));
    }
    if s.prior_mastery > 0 {
        items.push((i18n::integer(lang, s.prior_mastery as u64), prior_label(lang, s.prior_mastery).to_owned()));
    }
    figures(c, &items);

    if !s.certifying_institutions.is_empty() {
        let brands = s.certifying_institutions.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join("  ·  ");
        let lines = c.wrap(INSTITUTION_FIRST, &brands, CONTENT_W - 28.0);
        let h = layout::lines_height(lines.len(), INSTITUTION_FIRST);
        c.keep(h);
        let top = c.y;
        c.text(MARGIN_X, top + INSTITUTION_FIRST.cap(), META, l.issued_by);
        for (i, line) in lines.iter().enumerate() {
            let base = top + INSTITUTION_FIRST.cap() + i as f32 * INSTITUTION_FIRST.leading();
            c.text(MARGIN_X + 28.0, base, INSTITUTION_FIRST, line);
        }
        c.y = top + h + 8.0;
    }

    let total = p.certified.len() + p.uncertified.len();
    section(c, l.proof, Some(&i18n::count(lang, total, course_word(lang, false), course_word(lang, true))), 24.0);
    if p.groups.is_empty() {
        for course in &p.certified {
            certified_entry(c, course, lang, l, true, proofs.level(course), badge_status(course, proofs.now));
        }
        if !p.uncertified.is_empty() {
            c.y += 2.0;
            section(c, l.uncertified_courses, Some(&i18n::integer(lang, p.uncertified.len() as u64)), 16.0);
            for course in &p.uncertified {
                effort_entry(c, course, lang, false);
            }
        }
        return;
    }
    for group in &p.groups {
        let name = group.theme.clone().unwrap_or_else(|| l.other_theme.to_owned());
        let count = group.certified.len();
        let note = i18n::count(lang, count, cert_word(lang, false), cert_word(lang, true));
        // A long theme wraps; the count follows its last line.
        let lines = c.wrap(GROUP, &capitalise_first(&name), CONTENT_W - c.width(SECTION_NOTE, &note) - 3.0);
        c.keep(8.0 + 22.0 + layout::lines_height(lines.len(), GROUP));
        let mut base = c.y + GROUP.cap();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                base += GROUP.leading();
            }
            c.text(MARGIN_X, base, GROUP, line);
        }
        let last = lines.last().map_or(0.0, |line| c.width(GROUP, line));
        c.text(MARGIN_X + last + 3.0, base, SECTION_NOTE, &note);
        c.y = base + 4.5;
        for course in &group.certified {
            certified_entry(c, course, lang, l, true, proofs.level(course), badge_status(course, proofs.now));
        }
        for course in &group.uncertified {
            effort_entry(c, course, lang, false);
        }
        c.y += 2.5;
    }
}

fn course_word(lang: Lang, many: bool) -> &'static str {
    match (lang, many) {
        (Lang::Fr, _) => "cours",
        (Lang::En, false) => "course",
        (Lang::En, true) => "courses",
    }
}

fn cert_word(lang: Lang, many: bool) -> &'static str {
    match (lang, many) {
        (Lang::Fr, false) => "attestation",
        (Lang::Fr, true) => "attestations",
        (Lang::En, false) => "certificate",
        (Lang::En, true) => "certificates",
    }
}

fn certified_hours_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "heures d’étude attestées",
        Lang::En => "hours of certified study",
    }
}

fn prior_label(lang: Lang, n: usize) -> &'static str {
    match lang {
        Lang::Fr => {
            i18n::plural(lang, n as u64, "compétence antérieure formalisée", "compétences antérieures formalisées")
        }
        Lang::En => i18n::plural(lang, n as u64, "earlier skill formalised", "earlier skills formalised"),
    }
}

/// One certified course. The appetite framing leads with the title; the legitimacy framing
/// leads with the institution, as a brand, and says what the certificate proved.
fn certified_entry(
    c: &mut Canvas<'_>,
    course: &CourseRecord,
    lang: Lang,
    l: &Labels,
    legitimacy: bool,
    level: Assurance,
    badge: Option<BadgeStatus>,
) {
    let Some(att) = &course.attestation else { return };
    // Lines of the body: (style, text), measured before anything is drawn.
    let mut lines: Vec<(Style, String)> = Vec::new();
    let place = [course.institution.as_deref(), course.platform.as_deref()];
    if legitimacy {
        if let Some(inst) = &course.institution {
            lines.extend(c.wrap(INSTITUTION_FIRST, inst, BODY_W).into_iter().map(|t| (INSTITUTION_FIRST, t)));
        }
        lines.extend(c.wrap(TITLE, &course.title, BODY_W).into_iter().map(|t| (TITLE, t)));
        if let Some(platform) = &course.platform {
            lines.extend(c.wrap(BODY, platform, BODY_W).into_iter().map(|t| (BODY, t)));
        }
    } else {
        lines.extend(c.wrap(TITLE, &course.title, BODY_W).into_iter().map(|t| (TITLE, t)));
        let where_ = place.into_iter().flatten().collect::<Vec<_>>().join("  ·  ");
        if !where_.is_empty() {
            lines.extend(c.wrap(BODY, &where_, BODY_W).into_iter().map(|t| (BODY, t)));
        }
    }
    let kind = att.kind.map_or_else(|| i18n::attestation_generic(lang), |k| i18n::attestation_kind(lang, k));
    let mut facts = Vec::new();
    if let Some(g) = &att.grade {
        facts.push(format!("{}{NBSP}{g}", l.grade));
    }
    if let Some(e) = att.ects {
        facts.push(format!("{}{NBSP}{}", i18n::decimal(lang, e), l.ects_unit));
    }
    if let Some(h) = course.hours {
        facts.push(i18n::hours(lang, h));
    }
    if let Some(period) = i18n::period(lang, course.started_on, course.finished_on) {
        facts.push(period);
    }
    let facts = facts.join("  ·  ");
    let kind_w = c.width(KIND, kind);
    let sep = "  ·  ";
    let facts_inline = !facts.is_empty() && kind_w + c.width(META, sep) + c.width(META, &facts) <= BODY_W;
    let facts_lines = if facts.is_empty() || facts_inline { Vec::new() } else { c.wrap(META, &facts, BODY_W) };
    let tag = legitimacy.then(|| if course.prior_mastery == Some(true) { l.prior_mastery } else { l.new_skills });
    let proof = proof_text(course, l).map(|(id, url)| proof_layout(c, id, url, l));

    let kind_h = KIND.leading();
    let mut h = 0.0;
    for (i, (style, _)) in lines.iter().enumerate() {
        h += if i == 0 { style.cap() } else { style.leading() };
    }
    h += kind_h + facts_lines.len() as f32 * META.leading();
    if tag.is_some() {
        h += TAG.leading();
    }
    if let Some(p) = &proof {
        h += p.lines() as f32 * LINK.leading();
    }
    let mut level = format!("{}{NBSP}: {}", level_word(lang), i18n::assurance_label(lang, level));
    if let Some(status) = badge {
        level = format!("{level}  ·  {}", i18n::badge_status_label(lang, status));
    }
    let level = if lang == Lang::En { level.replace(&format!("{NBSP}:"), ":") } else { level };
    h += LEVEL.leading();
    h += 1.2;
    c.keep(h + ENTRY_GAP);

    let top = c.y;
    // Date column: when the proof was issued, else when the course ended.
    if let Some(d) = att.issued_on.or(course.finished_on).or(course.started_on) {
        c.text(MARGIN_X, top + lines[0].0.cap(), DATE, &i18n::month_year(lang, d));
    }
    let mut base = top;
    for (i, (style, text)) in lines.iter().enumerate() {
        base += if i == 0 { style.cap() } else { style.leading() };
        c.text(BODY_X, base, *style, text);
    }
    base += kind_h;
    c.text(BODY_X, base, KIND, kind);
    if facts_inline {
        c.text(BODY_X + kind_w, base, META, &format!("{sep}{facts}"));
    }
    for line in &facts_lines {
        base += META.leading();
        c.text(BODY_X, base, META, line);
    }
    if let Some(tag) = tag {
        base += TAG.leading();
        // A filled square for skills formalised, a pale one for new skills: visible at a glance.
        let colour = if course.prior_mastery == Some(true) { ACCENT } else { RULE };
        c.rect(BODY_X, base - 2.0, 2.0, 2.0, colour);
        c.text(BODY_X + 3.2, base, TAG, tag);
    }
    if let Some(p) = proof {
        // The credential id (wrapped if it must be), then "Verify <url>", on one line when
        // both fit.
        for (i, line) in p.id_lines.iter().enumerate() {
            base += LINK.leading();
            c.text(BODY_X, base, SMALL, line);
            if i + 1 == p.id_lines.len() && p.inline {
                let x = BODY_X + c.width(SMALL, line);
                verify_link(c, x, base, "  ·  ", p.url.as_deref(), l);
            }
        }
        if !p.inline {
            base += LINK.leading();
            verify_link(c, BODY_X, base, "", p.url.as_deref(), l);
        }
    }
    base += LEVEL.leading();
    c.text(BODY_X, base, LEVEL, &level);
    c.y = base + 1.2 + ENTRY_GAP;
}

fn level_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Niveau de preuve",
        Lang::En => "Level of proof",
    }
}

/// The closing block of an issued PDF: a QR code (drawn as vector squares) to the
/// verification page, with the address and code printed beside it for those who type.
fn verification_block(c: &mut Canvas<'_>, share: &ShareLink, lang: Lang) -> Result<(), RenderError> {
    let qr = qrcode::QrCode::with_error_correction_level(share.url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| RenderError::Write(format!("QR code: {e}")))?;
    let modules = qr.width();
    let colours = qr.to_colors();
    let size = 24.0_f32;
    let quiet = 2.0;
    let cell = size / modules as f32;
    c.keep(size + 2.0 * quiet + 8.0);
    let top = c.y + 6.0;
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, top - 3.0, 0.5, RULE);
    // One rectangle per horizontal run of dark modules: a fraction of the drawing operations.
    for row in 0..modules {
        let mut col = 0;
        while col < modules {
            if colours[row * modules + col] == qrcode::Color::Dark {
                let start = col;
                while col < modules && colours[row * modules + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let x = MARGIN_X + quiet + start as f32 * cell;
                let y = top + quiet + row as f32 * cell;
                // A hair wider than the cell so that neighbouring runs never show a seam.
                c.rect(x, y, (col - start) as f32 * cell + 0.02, cell + 0.02, INK);
            } else {
                col += 1;
            }
        }
    }
    let x = MARGIN_X + size + 2.0 * quiet + 4.0;
    let (title, text) = match lang {
        Lang::Fr => (
            "Vérifier ce portfolio",
            "Ce document a été généré et enregistré par certfolio. Scannez le code ou ouvrez l’adresse              ci-dessous, puis déposez-y ce fichier : toute modification, même d’un octet, sera signalée.",
        ),
        Lang::En => (
            "Verify this portfolio",
            "This document was generated and registered by certfolio. Scan the code or open the address              below, then upload this file there: any change, even of one byte, will be reported.",
        ),
    };
    let w = MARGIN_X + CONTENT_W - x;
    let mut y = top + quiet + SECTION.cap();
    c.text(x, y, SECTION, title);
    y += 2.5;
    y += c.paragraph(x, y, w, SMALL, text) + 1.5;
    let url = c.fit(LINK, &share.url, w);
    c.text(x, y + LINK.cap(), LINK, &url);
    c.link(x, y - 0.4, c.width(LINK, &url), LINK.cap() + 1.6, &share.url);
    y += LINK.leading() + 0.8;
    let code = match lang {
        Lang::Fr => format!("Code{NBSP}: {}", share.code),
        Lang::En => format!("Code: {}", share.code),
    };
    c.text(x, y + CLAIMS.cap(), CLAIMS, &code);
    c.y = (top + size + 2.0 * quiet).max(y + CLAIMS.leading()) + 4.0;
    Ok(())
}

struct ProofLayout {
    id_lines: Vec<String>,
    url: Option<String>,
    /// The link follows the last id line instead of taking a line of its own.
    inline: bool,
}

impl ProofLayout {
    fn lines(&self) -> usize {
        self.id_lines.len() + usize::from(!self.inline)
    }
}

/// Below this, a URL is better on its own line than cut short beside a long identifier.
const MIN_URL_W: f32 = 40.0;

fn proof_layout(c: &Canvas<'_>, id: String, url: Option<String>, l: &Labels) -> ProofLayout {
    let id_lines = if id.is_empty() { Vec::new() } else { c.wrap(SMALL, &id, BODY_W) };
    let inline = match (&url, id_lines.as_slice()) {
        (None, _) => true,
        (Some(_), []) => false,
        (Some(_), [only]) => {
            c.width(SMALL, only) + c.width(SMALL, &format!("  ·  {} ", l.verify)) + MIN_URL_W <= BODY_W
        }
        (Some(_), _) => false,
    };
    ProofLayout { id_lines, url, inline }
}

/// "Vérifier verify.example.org/…", the URL clickable; cut with an ellipsis if it is too long
/// for the line (the link keeps the whole URL).
fn verify_link(c: &mut Canvas<'_>, x: f32, base: f32, lead: &str, url: Option<&str>, l: &Labels) {
    let Some(url) = url else { return };
    let label = format!("{lead}{} ", l.verify);
    c.text(x, base, SMALL, &label);
    let x = x + c.width(SMALL, &label);
    let shown = c.fit(LINK, display_url(url), BODY_X + BODY_W - x);
    c.text(x, base, LINK, &shown);
    let w = c.width(LINK, &shown);
    c.link(x, base - LINK.cap() - 0.6, w, LINK.cap() + 1.6, url);
}

/// "Identifiant FUN-8B9D2434" and the verification URL, when the record has them.
fn proof_text(course: &CourseRecord, l: &Labels) -> Option<(String, Option<String>)> {
    let att = course.attestation.as_ref()?;
    let id = att.credential_id.as_ref().map(|id| format!("{}{NBSP}{id}", l.credential)).unwrap_or_default();
    if id.is_empty() && att.url.is_none() {
        return None;
    }
    Some((id, att.url.clone()))
}

/// The URL as printed: without its scheme, which a reader does not need to type.
fn display_url(url: &str) -> &str {
    url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url)
}

/// A course followed without a certificate, or in progress: shown as the effort it was.
fn effort_entry(c: &mut Canvas<'_>, course: &CourseRecord, lang: Lang, now: bool) {
    let title = c.wrap(EFFORT_TITLE, &course.title, BODY_W);
    let mut facts: Vec<String> =
        [course.institution.clone(), course.platform.clone()].into_iter().flatten().collect::<Vec<_>>();
    if let Some(h) = course.hours {
        facts.push(i18n::hours(lang, h));
    }
    if let Some(o) = course.outcome
        && !now
    {
        facts.push(i18n::outcome(lang, o).to_owned());
    }
    let facts = c.wrap(META, &facts.join("  ·  "), BODY_W);
    let h = layout::lines_height(title.len(), EFFORT_TITLE) + facts.len() as f32 * META.leading() + 1.0;
    c.keep(h + 3.2);
    let top = c.y;
    // In progress: when it started (the section title says it is ongoing).
    let date = if now { course.started_on } else { course_date(course).or_else(|| recency_date(course)) };
    if let Some(d) = date.map(|d| i18n::month_year(lang, d)) {
        let d = c.fit(DATE, &d, DATE_W - 2.0);
        c.text(MARGIN_X, top + EFFORT_TITLE.cap(), DATE, &d);
    }
    let mut base = top;
    for (i, line) in title.iter().enumerate() {
        base += if i == 0 { EFFORT_TITLE.cap() } else { EFFORT_TITLE.leading() };
        c.text(BODY_X, base, EFFORT_TITLE, line);
    }
    for line in &facts {
        base += META.leading();
        c.text(BODY_X, base, META, line);
    }
    c.y = base + 1.0 + 3.2;
}

#[allow(clippy::too_many_arguments)] // the footer needs each of these, once per page.
fn footer(
    c: &mut Canvas<'_>,
    name: &str,
    n: usize,
    total: usize,
    lang: Lang,
    l: &Labels,
    created: time::OffsetDateTime,
    share: Option<&ShareLink>,
) {
    let rule_y = FOOTER_BASELINE - 4.2;
    debug_assert!(rule_y > BOTTOM);
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, rule_y, 0.5, RULE);
    // The page number always shows; the name gets what room the right-hand part leaves it
    // (a 200-character name is shortened with an ellipsis rather than run into the code).
    let page = format!(" — {} {n} / {total}", l.page);
    let gap = 8.0;
    let right_w = match share {
        Some(share) => {
            let label = format!("{} ", l.share_verify);
            let code = format!("  ·  {}{NBSP}{}", l.verification_code, share.code);
            // The link is what may shrink on the right, down to a third of the line.
            let fixed = c.width(SMALL, &label) + c.width(SMALL, &code);
            let url_room = (CONTENT_W / 3.0).max(CONTENT_W - fixed - c.width(SMALL, &format!("{name}{page}")) - gap);
            let url = c.fit(LINK, display_url(&share.url), url_room);
            let right = MARGIN_X + CONTENT_W;
            let code_x = right - c.width(SMALL, &code);
            let url_x = code_x - c.width(LINK, &url);
            c.text(url_x - c.width(SMALL, &label), FOOTER_BASELINE, SMALL, &label);
            c.text(url_x, FOOTER_BASELINE, LINK, &url);
            c.text(code_x, FOOTER_BASELINE, SMALL, &code);
            c.link(url_x, FOOTER_BASELINE - LINK.cap() - 0.6, c.width(LINK, &url), LINK.cap() + 1.6, &share.url);
            right - (url_x - c.width(SMALL, &label))
        }
        None => {
            let date = created.date();
            let month = i18n::month_name(lang, u8::from(date.month()));
            let text = format!("{} {} {month} {}", l.generated_with, date.day(), date.year());
            let text = c.fit(SMALL, &text, CONTENT_W / 2.0);
            c.text_right(MARGIN_X + CONTENT_W, FOOTER_BASELINE, SMALL, &text);
            c.width(SMALL, &text)
        }
    };
    let name = c.fit(SMALL, name, CONTENT_W - right_w - gap - c.width(SMALL, &page));
    c.text(MARGIN_X, FOOTER_BASELINE, SMALL, &format!("{name}{page}"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_document;

    fn sample() -> Document {
        parse_document(include_bytes!("../../tests/fixtures/doc24.json")).unwrap()
    }

    fn opts(framing: Framing, scope: Scope) -> RenderOptions {
        RenderOptions {
            spec: Spec { framing, scope, include_uncertified: false },
            lang: None,
            share: None,
            created_at: time::macros::datetime!(2026-11-21 12:00 UTC),
        }
    }

    #[test]
    fn the_same_inputs_give_the_same_bytes() {
        let doc = sample();
        let a = render(&doc, &opts(Framing::Appetite, Scope::All)).unwrap();
        let b = render(&doc, &opts(Framing::Appetite, Scope::All)).unwrap();
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, b);
        let en = render(&doc, &RenderOptions { lang: Some(Lang::En), ..opts(Framing::Appetite, Scope::All) }).unwrap();
        assert_ne!(a, en);
    }

    #[test]
    fn the_catalog_names_the_language() {
        let doc = sample();
        let pdf = render(&doc, &RenderOptions { lang: Some(Lang::En), ..opts(Framing::Appetite, Scope::All) }).unwrap();
        let lo = lopdf::Document::load_mem(&pdf).unwrap();
        let root = lo.trailer.get(b"Root").unwrap().as_reference().unwrap();
        let catalog = lo.get_object(root).unwrap().as_dict().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    }

    #[test]
    fn covers_only_state_figures_from_the_record() {
        let doc = sample();
        let spec = Spec { framing: Framing::Appetite, scope: Scope::All, include_uncertified: false };
        let p = portfolio::select(&doc, &spec).unwrap();
        let text = cover(&p, Lang::En);
        assert!(text.starts_with("Camille Lefèvre has taken 24\u{a0}online courses between "), "{text}");
        assert!(text.contains(&format!("{} of them certified", p.stats.certified)), "{text}");
        let spec =
            Spec { framing: Framing::Legitimacy, scope: Scope::Field("computing".into()), include_uncertified: false };
        let p = portfolio::select(&doc, &spec).unwrap();
        let text = cover(&p, Lang::Fr);
        assert!(text.contains("dans le domaine «\u{a0}computing\u{a0}»"), "{text}");
        assert!(text.contains(&i18n::count(Lang::Fr, p.stats.certified, "attestation", "attestations")), "{text}");
    }
}
