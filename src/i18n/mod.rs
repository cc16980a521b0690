//! Every word certfolio shows, prints or answers, in each language it speaks: the portfolio's
//! labels and sentences, the pages' strings, the messages of refused input.
//!
//! Each language is one file (`fr.rs`, `en.rs`) implementing [`Language`]: its fixed strings
//! ([`Strings`]), its typography and the functions that build its sentences. This module holds
//! what is shared (the shapes in `labels`, number and date logic) and [`words`], the one place
//! that maps a [`Lang`] to its file. Adding a language is one file and one arm there (and the
//! variant of `Lang` itself); the compiler then lists everything the new file must say.
//!
//! French groups thousands with U+202F (narrow no-break space) and keeps the unit on the same
//! line with U+00A0, as the Imprimerie nationale rules and CLDR do. The PDF layout never
//! breaks a line at either, then draws them as ordinary spaces: poppler's `pdftotext` (and
//! copy-paste in most viewers) gives back U+0020 for both whatever the file holds, so the
//! text extracted from a portfolio is exactly the text drawn: "1 240 h", "« computing »".

use crate::domain::advice::Reason;
use crate::domain::assurance::{Assurance, AssuranceSummary};
use crate::domain::badge::BadgeStatus;
use crate::domain::portfolio::{FigureKey, Measure, Scope, Spread};
use crate::domain::problem::{JsonFault, Problem};
use crate::domain::{AttestationKind, IsoDate, Lang, Outcome};

mod checks;
mod en;
mod fr;
pub mod labels;
#[cfg(test)]
mod tests;

pub use checks::*;
pub use labels::{
    BuilderLabels, CourseLabels, ErrorLabels, ImportLabels, InstitutionLabels, Labels, NavLabels, PageLabels,
    SettingsLabels, Strings, UiLabels,
};

/// U+202F NARROW NO-BREAK SPACE: the French thousands separator.
pub const NNBSP: char = '\u{202f}';
/// U+00A0 NO-BREAK SPACE: between a number and its unit.
pub const NBSP: char = '\u{a0}';

/// What one language says and how it writes: implemented once per language file.
pub trait Language: Sync {
    /// Every fixed string.
    fn strings(&self) -> &'static Strings;

    // Typography.
    fn thousands_separator(&self) -> char;
    fn decimal_point(&self) -> char;
    /// "86 %" / "86%".
    fn percent(&self, p: u64) -> String;
    /// A word quoted from the record: « computing » / “computing”.
    fn quoted(&self, s: &str) -> String;
    /// Between a label and its value: "\u{a0}: " / ": ".
    fn colon(&self) -> &'static str;
    /// Whether a count takes the singular form (French: 0 and 1; English: 1).
    fn singular(&self, n: u64) -> bool;
    /// The same for a possibly fractional quantity ("1,5 crédit" / "1.5 credits").
    fn singular_f(&self, value: f64) -> bool;
    /// The word joining the last two items of a list.
    fn and(&self) -> &'static str;
    /// "1er janvier 2025" / "1 January 2025".
    fn day_month_year(&self, day: u8, month: &'static str, year: i32) -> String;
    /// A moment, to the minute, naming its time zone (always UTC).
    fn date_time(&self, day: u8, month: &'static str, year: i32, hour: u8, minute: u8) -> String;
    /// "10 ans" / "10 years": the forms of "year".
    fn year_forms(&self) -> (&'static str, &'static str);

    // Words of the record.
    fn attestation_kind(&self, kind: AttestationKind) -> &'static str;
    /// For an attestation recorded without its kind.
    fn attestation_generic(&self) -> &'static str;
    /// How a course was followed, worded as the effort it was: not finishing is a legitimate
    /// use of a course (PRODUCT.md), so nothing here reads as a failure.
    fn outcome(&self, outcome: Outcome) -> &'static str;
    /// The mark beside a badge the issuer's data says is no longer valid.
    fn badge_status(&self, status: BadgeStatus) -> &'static str;
    /// How a claim's level of proof is named, on the page and in the PDF.
    fn assurance(&self, level: Assurance) -> &'static str;
    /// "18 claims: 12 with issuer links, …", the levels present, strongest first.
    fn summary_sentence(&self, s: &AssuranceSummary) -> String;
    /// The chart's caption when some courses have no date and so no bar: "courses per year,
    /// by field; 6 of the 24 courses are dated".
    fn chart_caption_dated(&self, caption: &str, dated: usize, courses: usize) -> String;
    /// One reason of the framing advice, as a sentence.
    fn advice_reason(&self, r: &Reason) -> String;

    // The portfolio's small words.
    fn level_word(&self) -> &'static str;
    /// The heading of the learner's own statement on a portfolio: their words, not certfolio's.
    fn in_my_words(&self) -> &'static str;
    /// The section of the courses a learner put first.
    fn pinned_heading(&self) -> &'static str;
    fn skills_word(&self) -> &'static str;
    fn evidence_word(&self) -> &'static str;
    fn evidence_sha_word(&self) -> &'static str;
    fn other_word(&self) -> &'static str;
    fn quarter(&self, q: u8) -> &'static str;
    fn dimension_forms(&self, which: Dimension) -> (&'static str, &'static str);
    fn at_least(&self, word: &str) -> String;
    fn course_word(&self, many: bool) -> &'static str;
    fn cert_word(&self, many: bool) -> &'static str;
    fn expires_on(&self, on: &str) -> String;
    fn expired_on(&self, on: Option<&str>) -> String;

    // The portfolio's sentences, from its figures alone, so that a sentence never says more
    // than a figure supports.
    fn figure_label(&self, m: &Measure) -> String;
    fn cover_appetite(&self, name: &str, measures: &[Measure], s: &Spread) -> Vec<String>;
    fn cover_legitimacy(&self, name: &str, scope: &Scope, measures: &[Measure]) -> Vec<String>;
    /// Why a portfolio shows nothing.
    fn empty_message(&self, scope: &Scope) -> String;
    /// What would fill an empty portfolio.
    fn empty_fill(&self, uncertified: usize, expired: usize) -> Vec<String>;
    /// The verification block of an issued PDF: its heading and its text.
    fn pdf_verify_block(&self) -> (&'static str, &'static str);
    /// The verification code as the PDF prints it.
    fn pdf_code(&self, code: &str) -> String;
    /// What an issued PDF is called after the learner's name: the appetite framing, or the
    /// legitimacy framing without a field or theme.
    fn pdf_file_words(&self) -> (&'static str, &'static str);
    /// The units of a file size: KiB and MiB.
    fn size_units(&self) -> (&'static str, &'static str);

    // Refused input.
    /// What is wrong, to be read after the name of what it is about (a field's label, a path).
    fn problem(&self, p: &Problem) -> String;
    /// What a JSON reader found wrong, and where.
    fn json_fault(&self, f: &JsonFault) -> String;
    /// "line" and "column", as a place in a file is said.
    fn location_words(&self) -> (&'static str, &'static str);
}

/// The language file of `lang`: the one place a new language is added.
pub fn words(lang: Lang) -> &'static dyn Language {
    match lang {
        Lang::Fr => &fr::French,
        Lang::En => &en::English,
    }
}

/// The fixed strings of `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    words(lang).strings()
}

/// The portfolio's fixed strings.
pub fn labels(lang: Lang) -> &'static Labels {
    &strings(lang).portfolio
}

/// Every language, each with its code and its own name, for the language choices.
pub fn languages() -> Vec<(&'static str, &'static str)> {
    Lang::ALL.iter().map(|l| (l.as_str(), strings(*l).name)).collect()
}

pub fn month_name(lang: Lang, month: u8) -> &'static str {
    strings(lang).months[usize::from(month.clamp(1, 12) - 1)]
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
    let sep = words(lang).thousands_separator();
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
        d => format!("{whole}{}{d}", words(lang).decimal_point()),
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
    words(lang).percent(p)
}

/// A word quoted from the record: « computing » (no-break spaces inside) / “computing”.
pub fn quoted(lang: Lang, s: &str) -> String {
    words(lang).quoted(s)
}

/// Chooses the singular or plural form; French treats 0 and 1 as singular, English only 1.
pub fn plural<'a>(lang: Lang, n: u64, one: &'a str, many: &'a str) -> &'a str {
    if words(lang).singular(n) { one } else { many }
}

/// Chooses between the forms of a label for a possibly fractional quantity: French keeps
/// the singular below 2 ("1,5 crédit"), English only for exactly 1.
pub fn plural_f(lang: Lang, value: f64, forms: (&'static str, &'static str)) -> &'static str {
    if words(lang).singular_f(value) { forms.0 } else { forms.1 }
}

/// "3 cours" / "3 courses".
pub fn count(lang: Lang, n: usize, one: &str, many: &str) -> String {
    let n = n as u64;
    format!("{}{NBSP}{}", integer(lang, n), plural(lang, n, one, many))
}

/// "10 ans" / "10 years".
pub fn years(lang: Lang, n: usize) -> String {
    let (one, many) = words(lang).year_forms();
    count(lang, n, one, many)
}

pub fn attestation_kind(lang: Lang, kind: AttestationKind) -> &'static str {
    words(lang).attestation_kind(kind)
}

/// "Attestation" / "Certificate", for an attestation recorded without its kind.
pub fn attestation_generic(lang: Lang) -> &'static str {
    words(lang).attestation_generic()
}

/// How a course was followed (see [`Language::outcome`]).
pub fn outcome(lang: Lang, outcome: Outcome) -> &'static str {
    words(lang).outcome(outcome)
}

/// The mark beside a badge the issuer's data says is no longer valid.
pub fn badge_status_label(lang: Lang, status: BadgeStatus) -> &'static str {
    words(lang).badge_status(status)
}

/// How a claim's level of proof is named, on the page and in the PDF.
pub fn assurance_label(lang: Lang, level: Assurance) -> &'static str {
    words(lang).assurance(level)
}

/// The chart's caption, saying how many courses it shows when not all have a date.
pub fn chart_caption(lang: Lang, caption: &str, dated: usize, courses: usize) -> String {
    if dated >= courses { caption.to_owned() } else { words(lang).chart_caption_dated(caption, dated, courses) }
}

/// "18 claims: 12 with issuer links, 3 with evidence files, 3 self-declared" — the levels
/// present, strongest first.
pub fn summary_sentence(lang: Lang, s: &AssuranceSummary) -> String {
    words(lang).summary_sentence(s)
}

/// One reason of the framing advice, as a sentence. The English wording is the one the API
/// and the command line have always given; French follows its typography: a no-break space
/// before `:` and `%`, a narrow one before `;`, guillemets around words from the record.
pub fn advice_reason(lang: Lang, r: &Reason) -> String {
    words(lang).advice_reason(r)
}

/// Every reason of the advice, in order.
pub fn advice_reasons(lang: Lang, reasons: &[Reason]) -> Vec<String> {
    reasons.iter().map(|r| advice_reason(lang, r)).collect()
}

/// "Level of proof" / "Niveau de preuve".
pub fn level_word(lang: Lang) -> &'static str {
    words(lang).level_word()
}

/// The heading of the learner's own statement on a portfolio: their words, not certfolio's.
pub fn in_my_words(lang: Lang) -> &'static str {
    words(lang).in_my_words()
}

/// The section of the courses a learner put first.
pub fn pinned_heading(lang: Lang) -> &'static str {
    words(lang).pinned_heading()
}

pub fn skills_word(lang: Lang) -> &'static str {
    words(lang).skills_word()
}

pub fn evidence_word(lang: Lang) -> &'static str {
    words(lang).evidence_word()
}

pub fn evidence_sha_word(lang: Lang) -> &'static str {
    words(lang).evidence_sha_word()
}

pub fn other_word(lang: Lang) -> &'static str {
    words(lang).other_word()
}

/// ": " in English, "\u{a0}: " in French.
pub fn colon(lang: Lang) -> &'static str {
    words(lang).colon()
}

pub fn quarter(lang: Lang, q: u8) -> &'static str {
    words(lang).quarter(q)
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
    let (one, many) = words(lang).dimension_forms(which);
    plural(lang, n as u64, one, many)
}

/// "at least 3 fields": a count over the courses that record the dimension is a lower bound.
pub fn at_least(lang: Lang, word: &str) -> String {
    words(lang).at_least(word)
}

pub fn course_word(lang: Lang, many: bool) -> &'static str {
    words(lang).course_word(many)
}

pub fn cert_word(lang: Lang, many: bool) -> &'static str {
    words(lang).cert_word(many)
}

pub fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "31 janvier 2025" / "31 January 2025".
pub fn day_month_year(lang: Lang, date: IsoDate) -> String {
    let month = month_name(lang, u8::from(date.0.month()));
    words(lang).day_month_year(date.0.day(), month, date.year())
}

/// The calendar day of a Unix time, in words.
pub fn day_month_year_of(lang: Lang, unix: i64) -> String {
    crate::domain::portfolio::day_of(unix).map(|d| day_month_year(lang, d)).unwrap_or_default()
}

/// A moment (Unix seconds) to the minute, with its time zone, UTC: "1 décembre 2026 à 08:24 UTC"
/// / "December 1, 2026 at 08:24 UTC"; empty for a time out of range.
pub fn date_time(lang: Lang, secs: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(secs) else { return String::new() };
    let month = month_name(lang, u8::from(t.month()));
    words(lang).date_time(t.day(), month, t.year(), t.hour(), t.minute())
}

/// "expires on 31 January 2027" / "expire le …".
pub fn expires_on(lang: Lang, on: &str) -> String {
    words(lang).expires_on(on)
}

/// The mark of an expired certificate: "expired on 31 January 2025" / "expiré le …".
pub fn expired_on(lang: Lang, on: Option<&str>) -> String {
    words(lang).expired_on(on)
}

/// A count carried as a figure's value, as a whole number.
fn n_of(v: f64) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // counts: small, non-negative.
    let n = v.max(0.0).round() as u64;
    n
}

/// A figure's value as printed.
pub fn figure_value(lang: Lang, m: &Measure) -> String {
    match m.key {
        FigureKey::Hours => hours(lang, m.value),
        FigureKey::Ects => decimal(lang, m.value),
        FigureKey::Completion => percent(lang, m.value),
        FigureKey::ContinuousYears => years(lang, n_of(m.value) as usize),
        _ => integer(lang, n_of(m.value)),
    }
}

/// What a figure counts, and over which courses when not every course carries the data:
/// "hours of study declared for 12 of 24 courses".
pub fn figure_label(lang: Lang, m: &Measure) -> String {
    words(lang).figure_label(m)
}

/// The appetite portfolio's opening sentences, from its figures and the spread of its courses.
pub fn cover_appetite(lang: Lang, name: &str, measures: &[Measure], s: &Spread) -> Vec<String> {
    words(lang).cover_appetite(name, measures, s)
}

/// The legitimacy portfolio's opening sentences, from its figures.
pub fn cover_legitimacy(lang: Lang, name: &str, scope: &Scope, measures: &[Measure]) -> Vec<String> {
    words(lang).cover_legitimacy(name, scope, measures)
}

/// Why a portfolio shows nothing.
pub fn empty_message(lang: Lang, scope: &Scope) -> String {
    words(lang).empty_message(scope)
}

/// What would fill an empty portfolio.
pub fn empty_fill(lang: Lang, uncertified: usize, expired: usize) -> Vec<String> {
    words(lang).empty_fill(uncertified, expired)
}

/// What is wrong with some input, in `lang`: English is what the API and the command line say.
pub fn problem(lang: Lang, p: &Problem) -> String {
    words(lang).problem(p)
}

/// What a JSON reader found wrong, in `lang`.
pub fn json_fault(lang: Lang, f: &JsonFault) -> String {
    words(lang).json_fault(f)
}

/// A place in a file as `lang` says it: `line 4, column Started On` → `ligne 4, colonne Started
/// On`. Places are written by `domain::problem::at_line` / `at_cell` (and paths such as
/// `courses[3].hours`, which are the file's own words, stay as they are).
pub fn location(lang: Lang, at: &str) -> String {
    let (line, column) = words(lang).location_words();
    let Some(rest) = at.strip_prefix("line ") else { return at.to_owned() };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return at.to_owned();
    }
    let (number, rest) = rest.split_at(digits);
    match rest.strip_prefix(", column ") {
        Some(name) => format!("{line} {number}, {column} {name}"),
        None => format!("{line} {number}{rest}"),
    }
}

/// "a, b and c" / "a, b et c".
fn join_and(lang: Lang, parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), words(lang).and()),
    }
}

fn measure(measures: &[Measure], key: FigureKey) -> Option<&Measure> {
    measures.iter().find(|m| m.key == key)
}

fn count_of(measures: &[Measure], key: FigureKey) -> usize {
    measure(measures, key).map_or(0, |m| m.courses.len())
}

/// "12 with issuer links, 3 self-declared": each level present, with its count.
fn summary_list(lang: Lang, parts: &[(usize, &str, &str)]) -> String {
    let listed: Vec<String> = parts
        .iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|(count, one, many)| {
            format!("{}{NBSP}{}", integer(lang, *count as u64), if *count == 1 { one } else { many })
        })
        .collect();
    listed.join(", ")
}

/// `part / whole`, 0 for an empty whole.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}
