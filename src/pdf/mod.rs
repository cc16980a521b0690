//! The portfolio PDF: a [`Portfolio`] (the presentation model, `crate::presentation`) typeset
//! on A4 pages.
//!
//! [`render`] is pure (no I/O, no async, no clock: the creation date comes in the options), so
//! `certfolio render`, the issued PDFs and the tests share it, and the same inputs give the same
//! bytes. It words nothing itself: every sentence, figure and label comes from the model, so the
//! PDF says exactly what the recruiter's page and the API say; this module only decides where
//! each string goes.

pub mod chart;
pub mod fonts;
pub mod layout;

use printpdf::{FontId, PdfDocument, PdfFont, PdfSaveOptions};
use sha2::{Digest, Sha256};

use self::fonts::Weight;
use self::layout::{ACCENT, BOTTOM, CONTENT_W, Canvas, FOOTER_BASELINE, INK, MARGIN_X, MUTED, PANEL, RULE, Style};
use crate::domain::Lang;
use crate::i18n::{self, Labels, NBSP};
use crate::presentation::{Entry, EntryStyle, Group, Portfolio, Section};

/// What to print besides the portfolio itself.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// A verification address and code, printed in the footer and the closing block of a PDF
    /// the service issues; `None` for an offline render.
    pub share: Option<ShareLink>,
    /// Written into the PDF metadata and the footer.
    pub created_at: time::OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct ShareLink {
    pub url: String,
    pub code: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The selection shows nothing: the message says what would fill it.
    #[error("{0}")]
    Empty(String),
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
const MARK: Style = Style::new(Weight::Bold, 7.5, layout::ALERT);
/// What certfolio checked of a claim, under its level.
const CHECK: Style = Style::new(Weight::Regular, 7.5, MUTED);

/// Entries: a date column on the left, the body to its right.
const DATE_W: f32 = 30.0;
const BODY_X: f32 = MARGIN_X + DATE_W;
const BODY_W: f32 = CONTENT_W - DATE_W;

/// Vertical rhythm: the gap after an entry and before a section. A document whose last page
/// would hold only a few lines is set once more with them tightened (see `render`).
#[derive(Debug, Clone, Copy)]
struct Spacing {
    entry_gap: f32,
    section_gap: f32,
}

const REGULAR: Spacing = Spacing { entry_gap: 4.2, section_gap: 1.0 };
const TIGHT: Spacing = Spacing { entry_gap: 2.6, section_gap: 0.4 };
/// A last page with less than this much content (mm) is worth one tighter setting.
const SHORT_LAST_PAGE: f32 = 45.0;

/// Renders the portfolio PDF; an empty portfolio is refused with what would fill it.
pub fn render(p: &Portfolio, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    if let Some(empty) = &p.empty {
        let mut message = empty.message.clone();
        for fill in &empty.fill {
            message.push(' ');
            message.push_str(fill);
        }
        return Err(RenderError::Empty(message));
    }
    let fonts = fonts::fonts().ok_or(RenderError::Fonts)?;
    // Fixed resource names (printpdf's are random) keep the output reproducible; six capitals
    // are the subset tag that PDF readers expect before a subset font's name.
    let ids = [FontId("CFREGU".into()), FontId("CFBOLD".into()), FontId("CFITAL".into())];
    let lay = |spacing: Spacing| {
        let mut c = Canvas::new(fonts, ids.clone());
        body(&mut c, p, opts, spacing)?;
        Ok::<_, RenderError>(c)
    };
    let mut c = lay(REGULAR)?;
    if short_last_page(&c) {
        let tight = lay(TIGHT)?;
        if tight.page_count() < c.page_count() {
            c = tight;
        }
    }
    let l = i18n::labels(p.lang);
    let name = p.learner.name.clone();
    let created = opts.created_at;
    let share = opts.share.clone();
    let lang = p.lang;
    let pages = c.finish(|c, n, total| footer(c, &name, n, total, lang, l, created, share.as_ref()));

    let mut pdf = PdfDocument::new(&p.title);
    for (id, face) in ids.iter().zip(fonts.all()) {
        pdf.resources.fonts.map.insert(id.clone(), PdfFont::new(face.parsed.clone()));
    }
    let info = &mut pdf.metadata.info;
    info.author = p.learner.name.clone();
    info.subject = p.heading.clone();
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
    finish_catalog(&mut lo, p, opts)?;
    compress(&mut lo);
    let mut bytes = Vec::with_capacity(64 * 1024);
    lo.save_to(&mut bytes).map_err(|e| RenderError::Write(e.to_string()))?;
    Ok(bytes)
}

/// A last page that would hold only a few lines after full ones.
fn short_last_page(c: &Canvas<'_>) -> bool {
    c.page_count() > 1 && c.y - layout::TOP < SHORT_LAST_PAGE
}

/// Everything above the footer: header, figures, the framing's blocks, the entries, and the
/// verification block of an issued PDF.
fn body(c: &mut Canvas<'_>, p: &Portfolio, opts: &RenderOptions, sp: Spacing) -> Result<(), RenderError> {
    header(c, p);
    figures(c, &p.figures);
    if let Some(chart) = &p.chart {
        section(c, &chart.heading, Some(&chart.caption), 52.0, sp);
        let top = c.y;
        let h = chart::draw(c, top, chart);
        c.y = top + h + 6.0;
    }
    if let Some(d) = &p.diversity {
        diversity(c, d, sp);
    }
    if let Some(brands) = &p.issued_by {
        let text = brands.names.join("  ·  ");
        let lines = c.wrap(INSTITUTION_FIRST, &text, CONTENT_W - 28.0);
        let h = layout::lines_height(lines.len(), INSTITUTION_FIRST);
        c.keep(h);
        let top = c.y;
        c.text(MARGIN_X, top + INSTITUTION_FIRST.cap(), META, &brands.label);
        for (i, line) in lines.iter().enumerate() {
            let base = top + INSTITUTION_FIRST.cap() + i as f32 * INSTITUTION_FIRST.leading();
            c.text(MARGIN_X + 28.0, base, INSTITUTION_FIRST, line);
        }
        c.y = top + h + 8.0;
    }
    for s in &p.sections {
        entries_section(c, p, s, sp);
    }
    if let Some(share) = &opts.share {
        verification_block(c, share, p.lang)?;
    }
    Ok(())
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
/// same portfolio, options and date always give the same bytes.
fn finish_catalog(lo: &mut lopdf::Document, p: &Portfolio, opts: &RenderOptions) -> Result<(), RenderError> {
    let write = |e: lopdf::Error| RenderError::Write(e.to_string());
    let root = lo.trailer.get(b"Root").and_then(lopdf::Object::as_reference).map_err(write)?;
    let catalog = lo.get_object_mut(root).and_then(lopdf::Object::as_dict_mut).map_err(write)?;
    catalog.set("Lang", lopdf::Object::string_literal(p.lang.as_str()));
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
    h.update(serde_json::to_vec(p).unwrap_or_default());
    h.update(format!("{:?}|{}", opts.share.as_ref().map(|s| (&s.url, &s.code)), opts.created_at.unix_timestamp()));
    let digest = h.finalize();
    let id: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let id = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Literal);
    lo.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    Ok(())
}

fn header(c: &mut Canvas<'_>, p: &Portfolio) {
    let learner = &p.learner;
    let mut y = c.y;
    y += c.paragraph(MARGIN_X, y, CONTENT_W, NAME, &learner.name) + 2.0;
    if let Some(h) = &learner.headline {
        y += c.paragraph(MARGIN_X, y, CONTENT_W, HEADLINE, h) + 1.6;
    }
    let contact = learner.contact();
    if !contact.is_empty() {
        let line = contact.join("  ·  ");
        y += c.paragraph(MARGIN_X, y, CONTENT_W, CONTACT, &line);
        if let Some(email) = &learner.email {
            let w = c.width(CONTACT, email).min(CONTENT_W);
            let top = y - layout::lines_height(1, CONTACT);
            c.link(MARGIN_X, top - 0.5, w, CONTACT.cap() + 1.5, &format!("mailto:{email}"));
        }
    }
    y += 4.0;
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, y, 1.4, ACCENT);
    y += 6.0;
    y += c.paragraph(MARGIN_X, y, CONTENT_W, FRAMING, &p.heading) + 3.0;
    y += c.paragraph(MARGIN_X, y, CONTENT_W, COVER, &p.cover.join(" ")) + 3.2;
    if let Some(st) = &p.statement {
        // The learner's own words, set apart (a rule, their label) from what certfolio computed.
        let top = y;
        y += c.paragraph(MARGIN_X + 4.0, y, CONTENT_W - 4.0, TAG, &st.label) + 1.2;
        // Its line breaks are kept; tabs are spaces.
        for line in st.text.lines().map(|l| l.replace('\t', " ")).filter(|l| !l.trim().is_empty()) {
            y += c.paragraph(MARGIN_X + 4.0, y, CONTENT_W - 4.0, COVER, &line) + 1.0;
        }
        c.rect(MARGIN_X, top - 0.6, 0.9, y - top + 1.2, ACCENT);
        y += 3.6;
    }
    // The "not inflated" line: how much of each claim a reader can check, then what certfolio
    // itself checked and did not.
    y += c.paragraph(MARGIN_X, y, CONTENT_W, CLAIMS, &p.claims.sentence) + 1.2;
    y += c.paragraph(MARGIN_X, y, CONTENT_W, CHECK, &p.claims.note) + 7.0;
    c.y = y;
}

/// A section title with a rule under it; kept with at least `first_block` millimetres of
/// what follows, so that a title never ends a page alone.
fn section(c: &mut Canvas<'_>, title: &str, note: Option<&str>, first_block: f32, sp: Spacing) {
    c.y += sp.section_gap;
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

/// Key figures in panels, a big number over a short label: one row of up to four, else two rows
/// (six narrow panels would break their labels mid-word).
fn figures(c: &mut Canvas<'_>, items: &[crate::presentation::Figure]) {
    if items.is_empty() {
        return;
    }
    let per_row = if items.len() <= 4 { items.len() } else { items.len().div_ceil(2) };
    for row in items.chunks(per_row) {
        figure_row(c, row, per_row);
    }
    c.y += 3.5;
}

fn figure_row(c: &mut Canvas<'_>, items: &[crate::presentation::Figure], per_row: usize) {
    let gap = 3.0;
    let n = per_row as f32;
    let w = (CONTENT_W - gap * (n - 1.0)) / n;
    let label_lines: Vec<Vec<String>> = items.iter().map(|f| c.wrap(FIGURE_LABEL, &f.label, w - 6.0)).collect();
    let max_lines = label_lines.iter().map(Vec::len).max().unwrap_or(1).min(4);
    let h = 4.0 + FIGURE.cap() + 2.6 + layout::lines_height(max_lines, FIGURE_LABEL) + 3.6;
    c.keep(h);
    let top = c.y;
    for (i, (f, lines)) in items.iter().zip(&label_lines).enumerate() {
        let x = MARGIN_X + i as f32 * (w + gap);
        c.rect(x, top, w, h, PANEL);
        c.rect(x, top, 0.9, h, ACCENT);
        let base = top + 4.0 + FIGURE.cap();
        let big = c.fit(FIGURE, &f.text, w - 6.0);
        c.text(x + 3.5, base, FIGURE, &big);
        for (j, line) in lines.iter().take(max_lines).enumerate() {
            c.text(x + 3.5, base + 2.6 + FIGURE_LABEL.cap() + j as f32 * FIGURE_LABEL.leading(), FIGURE_LABEL, line);
        }
    }
    c.y = top + h + gap;
}

/// Three aligned columns: how many fields, institutions and platforms, with the main names.
fn diversity(c: &mut Canvas<'_>, d: &crate::presentation::DiversityBlock, sp: Spacing) {
    let cols = &d.columns;
    let gap = 6.0;
    let w = (CONTENT_W - 2.0 * gap) / 3.0;
    let num = Style::new(Weight::Bold, 13.0, ACCENT);
    let label = Style::new(Weight::Regular, 9.0, INK);
    let names: Vec<Vec<String>> = cols
        .iter()
        .map(|col| {
            // As many names as fit on three lines, the rest summed up as "+N".
            let items = &col.names;
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
    section(c, &d.heading, None, h, sp);
    let top = c.y;
    for (i, (col, lines)) in cols.iter().zip(&names).enumerate() {
        let x = MARGIN_X + i as f32 * (w + gap);
        let base = top + num.cap();
        c.text(x, base, num, &col.count);
        let name = c.fit(label, &col.label, w - c.width(num, &col.count) - 1.8);
        c.text(x + c.width(num, &col.count) + 1.8, base, label, &name);
        for (j, line) in lines.iter().enumerate() {
            c.text(x, base + 2.5 + SMALL.cap() + j as f32 * SMALL.leading(), SMALL, line);
        }
    }
    c.y = top + h + 8.0;
}

/// A section of entries; legitimacy groups them by theme.
fn entries_section(c: &mut Canvas<'_>, p: &Portfolio, s: &Section, sp: Spacing) {
    // The title stays with the first entry (or the first group's heading and entry).
    let first = s.groups.first().and_then(|g| g.entries.first()).map_or(10.0, |e| entry_height(c, p, e) + 8.0);
    section(c, &s.heading, s.note.as_deref(), first, sp);
    if let Some(intro) = &s.intro {
        c.y += c.paragraph(MARGIN_X, c.y, CONTENT_W, TAG, intro) + 4.0;
    }
    for g in &s.groups {
        group(c, p, g, sp);
    }
    c.y += 1.0;
}

fn group(c: &mut Canvas<'_>, p: &Portfolio, g: &Group, sp: Spacing) {
    if let Some(heading) = &g.heading {
        let note = g.note.clone().unwrap_or_default();
        // A long theme wraps; the count follows its last line.
        let lines = c.wrap(GROUP, heading, CONTENT_W - c.width(SECTION_NOTE, &note) - 3.0);
        // A heading never ends a page without its first entry.
        let first = g.entries.first().map_or(0.0, |e| entry_height(c, p, e));
        c.keep(layout::lines_height(lines.len(), GROUP) + 4.5 + first);
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
    }
    for e in &g.entries {
        match e.style {
            EntryStyle::Certified => certified_entry(c, p, e, sp),
            EntryStyle::Effort | EntryStyle::InProgress => effort_entry(c, e, sp),
        }
    }
    if g.heading.is_some() {
        c.y += 2.5;
    }
}

/// How tall an entry will be, measured the way it is drawn.
fn entry_height(c: &Canvas<'_>, p: &Portfolio, e: &Entry) -> f32 {
    match e.style {
        EntryStyle::Certified => CertifiedLayout::new(c, p, e).height,
        EntryStyle::Effort | EntryStyle::InProgress => EffortLayout::new(c, e).height,
    }
}

/// A certified entry, measured before it is drawn.
struct CertifiedLayout {
    lines: Vec<(Style, String)>,
    kind: String,
    facts: String,
    facts_inline: bool,
    facts_lines: Vec<String>,
    mastery: Option<String>,
    prior: bool,
    skills: Vec<String>,
    proof: Option<ProofLayout>,
    level: String,
    marks: String,
    /// What certfolio checked, wrapped: one or more lines per proof.
    checks: Vec<String>,
    height: f32,
}

impl CertifiedLayout {
    fn new(c: &Canvas<'_>, p: &Portfolio, e: &Entry) -> CertifiedLayout {
        let legitimacy = p.framing == crate::domain::portfolio::Framing::Legitimacy;
        // Lines of the body: (style, text). Legitimacy leads with the institution, as a brand.
        let mut lines: Vec<(Style, String)> = Vec::new();
        if legitimacy {
            if let Some(inst) = &e.institution {
                lines.extend(c.wrap(INSTITUTION_FIRST, inst, BODY_W).into_iter().map(|t| (INSTITUTION_FIRST, t)));
            }
            lines.extend(c.wrap(TITLE, &e.title, BODY_W).into_iter().map(|t| (TITLE, t)));
            if let Some(platform) = &e.platform {
                lines.extend(c.wrap(BODY, platform, BODY_W).into_iter().map(|t| (BODY, t)));
            }
        } else {
            lines.extend(c.wrap(TITLE, &e.title, BODY_W).into_iter().map(|t| (TITLE, t)));
            let where_ = [e.institution.as_deref(), e.platform.as_deref()].into_iter().flatten().collect::<Vec<_>>();
            if !where_.is_empty() {
                lines.extend(c.wrap(BODY, &where_.join("  ·  "), BODY_W).into_iter().map(|t| (BODY, t)));
            }
        }
        let kind = e.kind.clone().unwrap_or_default();
        let facts = [&e.grade, &e.ects, &e.hours, &e.period].into_iter().flatten().cloned().collect::<Vec<_>>();
        let facts = facts.join("  ·  ");
        let sep = "  ·  ";
        let kind_w = c.width(KIND, &kind);
        let facts_inline = !facts.is_empty() && kind_w + c.width(META, sep) + c.width(META, &facts) <= BODY_W;
        let facts_lines = if facts.is_empty() || facts_inline { Vec::new() } else { c.wrap(META, &facts, BODY_W) };
        let proof = proof_layout(c, e, &p.labels);
        let skills = skills_lines(c, e, &p.labels, p.lang);
        let level = format!("{}{}{}", p.labels.level, i18n::colon(p.lang), e.level.label);
        let marks = e.marks.iter().map(|m| m.text.as_str()).collect::<Vec<_>>().join("  ·  ");
        let checks: Vec<String> = e
            .checks
            .iter()
            .flat_map(|k| {
                let text = match &k.checked_on {
                    Some(on) => format!("{} ({on})", k.text),
                    None => k.text.clone(),
                };
                c.wrap(CHECK, &text, BODY_W)
            })
            .collect();
        let mut height = 0.0;
        for (i, (style, _)) in lines.iter().enumerate() {
            height += if i == 0 { style.cap() } else { style.leading() };
        }
        height += KIND.leading() + facts_lines.len() as f32 * META.leading();
        if e.mastery.is_some() {
            height += TAG.leading();
        }
        height += skills.len() as f32 * META.leading();
        if let Some(p) = &proof {
            height += p.lines() as f32 * LINK.leading();
        }
        height += LEVEL.leading() + 1.2 + checks.len() as f32 * CHECK.leading();
        CertifiedLayout {
            lines,
            kind,
            facts,
            facts_inline,
            facts_lines,
            mastery: e.mastery.as_ref().map(|m| m.text.clone()),
            prior: e.mastery.as_ref().is_some_and(|m| m.code == "prior"),
            skills,
            proof,
            level,
            marks,
            checks,
            height,
        }
    }
}

/// One certified course.
fn certified_entry(c: &mut Canvas<'_>, p: &Portfolio, e: &Entry, sp: Spacing) {
    let lay = CertifiedLayout::new(c, p, e);
    c.keep(lay.height + sp.entry_gap);
    let top = c.y;
    if let Some(d) = &e.date {
        let d = c.fit(DATE, d, DATE_W - 2.0);
        c.text(MARGIN_X, top + lay.lines[0].0.cap(), DATE, &d);
    }
    let mut base = top;
    for (i, (style, text)) in lay.lines.iter().enumerate() {
        base += if i == 0 { style.cap() } else { style.leading() };
        c.text(BODY_X, base, *style, text);
    }
    base += KIND.leading();
    c.text(BODY_X, base, KIND, &lay.kind);
    if lay.facts_inline {
        c.text(BODY_X + c.width(KIND, &lay.kind), base, META, &format!("  ·  {}", lay.facts));
    }
    for line in &lay.facts_lines {
        base += META.leading();
        c.text(BODY_X, base, META, line);
    }
    if let Some(tag) = &lay.mastery {
        base += TAG.leading();
        // A filled square for skills formalised, a pale one for new skills: visible at a glance.
        let colour = if lay.prior { ACCENT } else { RULE };
        c.rect(BODY_X, base - 2.0, 2.0, 2.0, colour);
        c.text(BODY_X + 3.2, base, TAG, tag);
    }
    for line in &lay.skills {
        base += META.leading();
        c.text(BODY_X, base, META, line);
    }
    if let Some(proof) = &lay.proof {
        // The credential id (wrapped if it must be), then "Verify <url>", on one line when
        // both fit.
        for (i, line) in proof.id_lines.iter().enumerate() {
            base += LINK.leading();
            c.text(BODY_X, base, SMALL, line);
            if i + 1 == proof.id_lines.len() && proof.inline {
                let x = BODY_X + c.width(SMALL, line);
                verify_link(c, x, base, "  ·  ", proof.url.as_deref(), &p.labels);
            }
        }
        if !proof.inline {
            base += LINK.leading();
            verify_link(c, BODY_X, base, "", proof.url.as_deref(), &p.labels);
        }
    }
    base += LEVEL.leading();
    c.text(BODY_X, base, LEVEL, &lay.level);
    if !lay.marks.is_empty() {
        let x = BODY_X + c.width(LEVEL, &lay.level) + 2.5;
        let marks = c.fit(MARK, &lay.marks, BODY_X + BODY_W - x);
        c.text(x, base, MARK, &marks);
    }
    for line in &lay.checks {
        base += CHECK.leading();
        c.text(BODY_X, base, CHECK, line);
    }
    c.y = base + 1.2 + sp.entry_gap;
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
    let (title, text) = crate::i18n::words(lang).pdf_verify_block();
    let w = MARGIN_X + CONTENT_W - x;
    let mut y = top + quiet + SECTION.cap();
    c.text(x, y, SECTION, title);
    y += 2.5;
    y += c.paragraph(x, y, w, SMALL, text) + 1.5;
    let url = c.fit(LINK, &share.url, w);
    c.text(x, y + LINK.cap(), LINK, &url);
    c.link(x, y - 0.4, c.width(LINK, &url), LINK.cap() + 1.6, &share.url);
    y += LINK.leading() + 0.8;
    let code = crate::i18n::words(lang).pdf_code(&share.code);
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

fn proof_layout(c: &Canvas<'_>, e: &Entry, labels: &crate::presentation::EntryLabels) -> Option<ProofLayout> {
    let id = e.credential_id.as_ref().map(|id| format!("{}{NBSP}{id}", labels.credential)).unwrap_or_default();
    if id.is_empty() && e.verify_url.is_none() {
        return None;
    }
    let url = e.verify_url.clone();
    let id_lines = if id.is_empty() { Vec::new() } else { c.wrap(SMALL, &id, BODY_W) };
    let inline = match (&url, id_lines.as_slice()) {
        (None, _) => true,
        (Some(_), []) => false,
        (Some(_), [only]) => {
            c.width(SMALL, only) + c.width(SMALL, &format!("  ·  {} ", labels.verify)) + MIN_URL_W <= BODY_W
        }
        (Some(_), _) => false,
    };
    Some(ProofLayout { id_lines, url, inline })
}

/// "Skills: SQL · Python", wrapped to the body's width; none when the course names none.
fn skills_lines(c: &Canvas<'_>, e: &Entry, labels: &crate::presentation::EntryLabels, lang: Lang) -> Vec<String> {
    if e.skills.is_empty() {
        return Vec::new();
    }
    c.wrap(META, &format!("{}{}{}", labels.skills, i18n::colon(lang), e.skills.join("  ·  ")), BODY_W)
}

/// "Vérifier verify.example.org/…", the URL clickable; cut with an ellipsis if it is too long
/// for the line (the link keeps the whole URL).
fn verify_link(
    c: &mut Canvas<'_>,
    x: f32,
    base: f32,
    lead: &str,
    url: Option<&str>,
    labels: &crate::presentation::EntryLabels,
) {
    let Some(url) = url else { return };
    let label = format!("{lead}{} ", labels.verify);
    c.text(x, base, SMALL, &label);
    let x = x + c.width(SMALL, &label);
    let shown = c.fit(LINK, display_url(url), BODY_X + BODY_W - x);
    c.text(x, base, LINK, &shown);
    let w = c.width(LINK, &shown);
    c.link(x, base - LINK.cap() - 0.6, w, LINK.cap() + 1.6, url);
}

/// The URL as printed: without its scheme, which a reader does not need to type.
fn display_url(url: &str) -> &str {
    url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url)
}

/// A course followed without a certificate, or in progress, measured before it is drawn.
struct EffortLayout {
    title: Vec<String>,
    facts: Vec<String>,
    height: f32,
}

impl EffortLayout {
    fn new(c: &Canvas<'_>, e: &Entry) -> EffortLayout {
        let title = c.wrap(EFFORT_TITLE, &e.title, BODY_W);
        let facts =
            [&e.institution, &e.platform, &e.hours, &e.outcome].into_iter().flatten().cloned().collect::<Vec<_>>();
        let facts = c.wrap(META, &facts.join("  ·  "), BODY_W);
        let height = layout::lines_height(title.len(), EFFORT_TITLE) + facts.len() as f32 * META.leading() + 1.0;
        EffortLayout { title, facts, height }
    }
}

/// A course followed without a certificate, or in progress: shown as the effort it was.
fn effort_entry(c: &mut Canvas<'_>, e: &Entry, sp: Spacing) {
    let lay = EffortLayout::new(c, e);
    c.keep(lay.height + sp.entry_gap * 0.75);
    let top = c.y;
    if let Some(d) = &e.date {
        let d = c.fit(DATE, d, DATE_W - 2.0);
        c.text(MARGIN_X, top + EFFORT_TITLE.cap(), DATE, &d);
    }
    let mut base = top;
    for (i, line) in lay.title.iter().enumerate() {
        base += if i == 0 { EFFORT_TITLE.cap() } else { EFFORT_TITLE.leading() };
        c.text(BODY_X, base, EFFORT_TITLE, line);
    }
    for line in &lay.facts {
        base += META.leading();
        c.text(BODY_X, base, META, line);
    }
    c.y = base + 1.0 + sp.entry_gap * 0.75;
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
    use crate::domain::portfolio::{Framing, Scope, Spec};
    use crate::domain::record::Record;

    fn portfolio(spec: &Spec, lang: Lang) -> Portfolio {
        let record = Record::from_document(parse_document(include_bytes!("../../tests/fixtures/doc24.json")).unwrap());
        crate::presentation::present(&record, spec, lang, NOW).unwrap()
    }

    const NOW: i64 = 1_795_262_400;

    fn opts() -> RenderOptions {
        RenderOptions { share: None, created_at: time::macros::datetime!(2026-11-21 12:00 UTC) }
    }

    #[test]
    fn the_same_inputs_give_the_same_bytes() {
        let p = portfolio(&Spec::appetite(), Lang::Fr);
        let a = render(&p, &opts()).unwrap();
        let b = render(&p, &opts()).unwrap();
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, b);
        let en = render(&portfolio(&Spec::appetite(), Lang::En), &opts()).unwrap();
        assert_ne!(a, en);
    }

    #[test]
    fn the_catalog_names_the_language() {
        let pdf = render(&portfolio(&Spec::appetite(), Lang::En), &opts()).unwrap();
        let lo = lopdf::Document::load_mem(&pdf).unwrap();
        let root = lo.trailer.get(b"Root").unwrap().as_reference().unwrap();
        let catalog = lo.get_object(root).unwrap().as_dict().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    }

    /// Issue 11: a last page holding a few lines is set again, tighter, when that saves it.
    #[test]
    fn a_short_last_page_is_absorbed_when_tighter_spacing_can() {
        let base = parse_document(include_bytes!("../../tests/fixtures/doc24.json")).unwrap();
        let fonts = fonts::fonts().unwrap();
        let ids = [FontId("A".into()), FontId("B".into()), FontId("C".into())];
        let mut absorbed = 0;
        for n in 1..=40 {
            let mut doc = base.clone();
            doc.courses = base
                .courses
                .iter()
                .cycle()
                .take(n)
                .cloned()
                .enumerate()
                .map(|(i, mut c)| {
                    c.title = format!("{} {i}", c.title);
                    c
                })
                .collect();
            let p =
                crate::presentation::present(&Record::from_document(doc), &Spec::appetite(), Lang::Fr, NOW).unwrap();
            let lay = |sp| {
                let mut c = Canvas::new(fonts, ids.clone());
                body(&mut c, &p, &opts(), sp).unwrap();
                (c.page_count(), short_last_page(&c))
            };
            let (regular, short) = lay(REGULAR);
            let (tight, _) = lay(TIGHT);
            let pdf = render(&p, &opts()).unwrap();
            let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
            if short && tight < regular {
                absorbed += 1;
                assert_eq!(pages, tight, "{n} courses: the tighter setting saves a page");
            } else {
                assert_eq!(pages, regular, "{n} courses: the regular setting");
            }
        }
        assert!(absorbed > 0, "some record sizes end on a short page that tighter spacing absorbs");
    }

    #[test]
    fn an_empty_portfolio_is_refused_with_what_would_fill_it() {
        let doc = parse_document(
            br#"{"certfolio": 1, "learner": {"name": "A"},
            "courses": [{"title": "SQL", "field": "data"}]}"#,
        )
        .unwrap();
        let spec = Spec {
            framing: Framing::Legitimacy,
            scope: Scope::Field("data".into()),
            include_uncertified: false,
            include_expired: false,
            shape: Default::default(),
        };
        let p = crate::presentation::present(&Record::from_document(doc), &spec, Lang::En, NOW).unwrap();
        let err = render(&p, &opts()).unwrap_err();
        assert!(matches!(err, RenderError::Empty(_)), "{err}");
        assert!(err.to_string().contains("Include the course followed without a certificate"), "{err}");
    }
}
