//! What is wrong with some input, as data: a machine code and its arguments, never a sentence.
//! `crate::i18n` words each problem in every language (the English wording is what the API, the
//! command line and the logs say); the pages name the field by its label around it.
//!
//! A value quoted back (`value`, `field`, …) is already cut to a short excerpt by whoever makes
//! the problem (`text::excerpt`), so that a megabyte cell never comes back whole.

use super::IsoDate;
use super::evidence::EvidenceError;
use super::portfolio::{Scope, SelectError};

/// One rule broken by some input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    // --- Text ---------------------------------------------------------------------------
    /// A required text is blank.
    Empty,
    /// A text longer than allowed, in characters.
    TooLong {
        len: usize,
        max: usize,
    },
    /// A one-line text holds a line break or another control character.
    NotOneLine,
    /// A paragraph holds a control character other than tabs and line breaks.
    ControlCharacters,
    /// An invisible direction control (U+202E…), which reorders the text around it.
    DirectionControl {
        code: u32,
    },
    /// Not a URL at all.
    NotAUrl {
        reason: url::ParseError,
    },
    /// A URL of another scheme than http or https.
    UrlScheme {
        scheme: String,
    },
    /// A URL without a host.
    UrlNoHost,
    /// An imported link refused, with the link as written.
    ImportedLink {
        problem: Box<Problem>,
        value: String,
    },
    /// Not a BCP 47 language tag.
    NotALanguageTag {
        value: String,
    },
    /// More themes than allowed.
    TooManyThemes {
        max: usize,
    },
    /// A payload longer than allowed, in bytes.
    TooManyBytes {
        len: usize,
        max: usize,
    },

    // --- Dates and numbers --------------------------------------------------------------
    /// Not of the form YYYY-MM-DD.
    NotADate {
        value: String,
    },
    /// Of the form YYYY-MM-DD, but no such day (2025-13-45).
    NotARealDate {
        value: String,
    },
    /// Not YYYY-MM-DD, YYYY-MM nor YYYY (JSON Resume).
    NotAPartialDate {
        value: String,
    },
    /// Not `Mar 2015` nor `2015` (LinkedIn).
    NotAMonthYear {
        value: String,
    },
    /// Not a date in any form a badge writes one.
    NotADateValue {
        value: String,
    },
    /// Not an RFC 3339 time.
    NotATime {
        value: String,
    },
    /// A time that has passed.
    NotInFuture,
    /// A course's end before its start.
    EndsBeforeStart {
        start: IsoDate,
        end: IsoDate,
    },
    /// A certificate's expiry before its issue.
    ExpiresBeforeIssued {
        issued: IsoDate,
        expires: IsoDate,
    },
    /// LinkedIn's expiry month before its issue month, as the file writes them.
    ExpiryBeforeIssue {
        issued: String,
        expires: String,
    },
    /// A quantity outside (0, max].
    OutOfRange {
        value: String,
        max: String,
    },
    /// A form's hours that are not a number.
    NotANumberOfHours {
        value: String,
    },
    /// A number of days outside [min, max].
    NotADayCount {
        min: u32,
        max: u32,
    },
    /// A value that is not one of those expected.
    NotA {
        value: String,
        expected: Expected,
    },

    // --- Accounts -----------------------------------------------------------------------
    EmailTooLong {
        max: usize,
    },
    EmailNoAt {
        value: String,
    },
    NotAnEmail {
        value: String,
    },
    EmailDomain {
        value: String,
    },
    PasswordTooShort {
        len: usize,
        min: usize,
    },
    PasswordTooLong {
        len: usize,
        max: usize,
    },
    /// Too common or too easy to guess, with what makes it so when known.
    PasswordGuessable {
        hint: Option<PasswordHint>,
    },
    WrongCurrentPassword,
    EmailTaken,
    /// Choose one of the languages offered (a tampered form).
    ChooseALanguage,

    // --- JSON and the portfolio document ------------------------------------------------
    InvalidJson(JsonFault),
    /// A whole body that is not a JSON object.
    BodyNotObject,
    MustBeObject,
    MustBeArray,
    MustBeString,
    /// A key the format does not have, with the keys it has.
    UnknownField {
        field: String,
        expected: Vec<String>,
    },
    MissingField {
        field: String,
    },
    /// A value a closed list does not have, with the values it has.
    UnknownVariant {
        value: String,
        expected: Vec<String>,
    },
    /// A value of another JSON type than expected.
    WrongType {
        expected: JsonKind,
    },
    /// What the JSON reader said, when it is none of the above.
    Invalid {
        detail: String,
    },
    UnsupportedVersion {
        version: u32,
        supported: u32,
    },
    TooManyCourses {
        count: usize,
        max: usize,
    },
    /// Two courses with one identity in one document: the first one's path.
    RepeatsCourse {
        first: String,
    },
    /// A portfolio document given where another format was expected.
    IsADocument,

    // --- Imported files -----------------------------------------------------------------
    Unrecognised(Unrecognised),
    FileEmpty,
    /// A header row and nothing under it.
    NoRows {
        noun: Noun,
    },
    TooManyRows {
        max: usize,
        noun: Noun,
    },
    /// A row with another number of cells than the header.
    CellCount {
        cells: usize,
        header: usize,
    },
    /// What the CSV reader said.
    NotCsv {
        detail: String,
    },
    NotUtf8Cell,
    UnknownColumn {
        column: String,
        columns: &'static [&'static str],
    },
    RepeatedColumn,
    NoTitleColumn,
    MissingTitle,
    MissingName {
        noun: Noun,
    },
    /// `certified` is `no` on a row with attestation details.
    CertifiedNoButDetails,
    /// The same course twice in one file, differently: where the first one is.
    RepeatsRow {
        noun: Noun,
        first: String,
    },
    NotLinkedInHeader {
        expected: String,
    },
    SixColumns,
    ResumeNotObject,
    TooManyCertificates {
        count: usize,
        max: usize,
    },
    NoCertificate,
    Badge(BadgeProblem),
    Key(KeyProblem),
    /// The trust file does not read (what the JSON reader said).
    TrustFile {
        detail: String,
    },
    /// An entry of the trust file has another shape (what the JSON reader said).
    TrustEntry {
        detail: String,
    },
    TrustKeyChoice,

    // --- Uploads and request bodies -----------------------------------------------------
    Evidence(EvidenceError),
    /// A multipart field other than `file`.
    OnlyFileField,
    OneFileOnly,
    FileFieldMissing,
    /// Evidence files are limited to this many MiB.
    EvidenceTooLarge {
        mib: usize,
    },
    /// Files sent for verification are limited to this many MiB.
    VerifyTooLarge {
        mib: usize,
    },
    /// An imported file is larger than this many MiB.
    ImportTooLarge {
        mib: usize,
    },
    QuotaFiles {
        files: i64,
        max: i64,
    },
    QuotaBytes {
        bytes: i64,
        max: i64,
    },
    /// Not multipart, with what the reader said.
    NotMultipart {
        detail: String,
    },
    MalformedMultipart {
        detail: String,
    },
    /// The import page's form: one file, in the field `file`.
    OneFileInField,
    ChooseAFile,
    BodyTooLarge,
    UnreadableBody {
        detail: String,
    },
    NotJsonBody {
        content_type: String,
    },
    ImportContentType {
        content_type: String,
    },
    BadQuery {
        detail: String,
    },

    // --- Portfolios and share links -----------------------------------------------------
    Select(SelectError),
    /// A saved portfolio says its own framing and options: nothing else may be given with it.
    SavedPortfolioAlone,
    NoSuchPortfolio,
    FollowNeedsPortfolio,
    FramingOrPortfolio,
    TooManyPortfolios {
        max: usize,
    },
    /// Two saved portfolios with one name: the first one's path.
    RepeatsPortfolioName {
        first: String,
    },
    PortfolioNameTaken {
        name: String,
    },
    /// At most this many saved portfolios; one must go first.
    PortfolioQuota {
        max: usize,
    },
    TooManyPinned {
        count: usize,
        max: usize,
    },
    /// A list of course references longer than a record can be.
    TooManyListed,
    NoSuchCourse,
    /// A course named twice in one list.
    RepeatedCourse,
    IncludedAndExcluded,
    ExcludedPinned,
    NoCourseChosen,
    NothingToSet,
    TooManySkills {
        max: usize,
    },
    /// Neither a name nor `{"name", "uri"}`.
    NotASkill,
    /// The selection shows nothing; what is left out that would fill it.
    EmptyPortfolio {
        scope: Scope,
        uncertified: usize,
        expired: usize,
    },
    FieldOrTheme,
    LegitimacyNeedsScope,
    CourseExists,
    InstitutionNameTaken,
    SameInstitutionTwice,

    // --- Answers that are not about one input -----------------------------------------
    SignInRequired,
    WrongCredentials,
    NotFound,
    Gone,
    TooManyAttempts {
        retry_after: u64,
    },
    Busy,
    /// The database cannot be reached (a restart, a failover). Not said to have stored nothing:
    /// a change is only known stored once its COMMIT is answered.
    DatabaseUnreachable,
    /// The database stopped answering while a change was being committed: it may or may not
    /// be stored.
    OutcomeUnknown,
    /// The change is stored; the database stopped answering before it could be read back.
    SavedNotShown,
    InternalError,
}

/// What a refused value should have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A number of hours such as 20 or 1.5.
    Hours,
    /// A number of ECTS credits.
    Ects,
    /// Skills separated by `;`, or a JSON array.
    Skills,
    YesNo,
    TrueFalse,
    /// One of these values (a closed list of the format).
    OneOf(&'static [&'static str]),
    Outcome,
    AttestationKind,
    InstitutionKind,
    Situation,
    Framing,
    Language,
    ExportFormat,
}

/// The kind of JSON value a key expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Text,
    Number,
    WholeNumber,
    Boolean,
    List,
    Object,
}

/// What a file's rows are called, for the messages about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Course,
    Certification,
    Certificate,
}

/// What a JSON reader found wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFault {
    pub kind: JsonFaultKind,
    /// The reader's own words (English), which give the line and column too.
    pub detail: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonFaultKind {
    /// The text stops in the middle.
    Eof,
    /// Nested deeper than the reader goes.
    TooDeep,
    /// Anything else: a syntax error, trailing characters.
    Syntax,
}

/// How far the format detection got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrecognised {
    Empty,
    JsonArray,
    NotText,
    NotSvg,
    NotCsvHeader,
    NoKnownColumn,
    UnknownJson,
}

/// Why a document a badge names by URL (its assertion, its badge class) could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfetched {
    /// The guarded fetcher's own account of the failure (quoted, from the network).
    Failed { why: String },
    /// Fetched, but not a JSON object.
    NotObject,
    /// Not fetched at all (offline, over budget, or not asked for).
    NotFetched,
}

/// Why a badge (Open Badges JSON, JWS, baked PNG or SVG) cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadgeProblem {
    PayloadTooLarge {
        max: usize,
    },
    /// The file is only the assertion's URL, and what was fetched there does not read.
    OnlyUrl {
        url: String,
        why: Unfetched,
    },
    /// The assertion fetched at the badge's URL is not UTF-8 text.
    FetchedAssertionNotUtf8,
    /// The assertion fetched at the badge's URL is not a JSON object.
    FetchedAssertionNotJson,
    NeitherJsonNorJws,
    NotUtf8 {
        detail: String,
    },
    JsonNotObject {
        part: BadgePart,
    },
    NotJson {
        part: BadgePart,
        fault: JsonFault,
    },
    BadgeClass,
    IssuerProfile,
    Endorsement,
    ClassByUrl {
        url: String,
        why: Unfetched,
    },
    ClassNotObject,
    OnlyVerificationUrl {
        url: String,
    },
    NoBadge,
    NoName,
    EndorsementCredential,
    NotOb3,
    /// Signed, but not by the trusted key of these issuers.
    SignatureMismatchTrusted {
        issuers: String,
    },
    SignatureMismatchEmbedded,
    EmbeddedKey(KeyProblem),
    // Baked PNG.
    NotPng,
    PngTruncated {
        pos: usize,
    },
    PngChunk {
        index: usize,
        pos: usize,
    },
    PngChunkTooLong {
        name: String,
        pos: usize,
        len: usize,
    },
    PngNoHeader,
    PngCrc {
        name: String,
        pos: usize,
    },
    PngText {
        name: String,
        pos: usize,
        fault: PngTextFault,
    },
    PngNotBaked,
    // Baked SVG.
    SvgNotUtf8 {
        detail: String,
    },
    SvgNotBaked,
    SvgEndsInside {
        name: String,
    },
    SvgNeverClosed {
        name: String,
    },
    SvgEmpty {
        name: String,
    },
    SvgTagNeverClosed {
        name: String,
    },
    // Compact JWS.
    JwsParts {
        count: usize,
    },
    JwsNotBase64 {
        part: &'static str,
        detail: String,
    },
    JwsHeaderNotObject {
        detail: String,
    },
    JwsNoAlg,
}

/// The part of a badge that is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgePart {
    Badge,
    JwsPayload,
}

/// Why the text chunk of a baked PNG does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PngTextFault {
    NoKeywordSeparator,
    NoCompressionMethod,
    NoCompressionFlag,
    UnknownCompressionMethod { method: u8 },
    UnknownCompression { flag: u8, method: u8 },
    NoLanguageTerminator,
    NoTranslatedKeywordTerminator,
    TooLarge { max: usize },
    NotUtf8,
    DoesNotInflate { detail: String },
    InflatesTooLarge { max: usize },
}

/// Why a public key (JWK or PEM) is not one certfolio can check signatures with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    NoMember { member: &'static str },
    NotBase64 { member: &'static str, detail: String },
    BadRsa { detail: String },
    P256Size,
    NotOnCurve,
    Ed25519Size,
    BadEd25519 { detail: String },
    Unsupported { kty: String, crv: String },
    NotPem,
}

/// What makes a password guessable (zxcvbn's warnings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordHint {
    StraightRows,
    ShortKeyboardPatterns,
    RepeatsLikeAaa,
    RepeatsLikeAbcAbc,
    Top10,
    Top100,
    VeryCommon,
    SimilarToCommon,
    SequencesLikeAbc,
    RecentYears,
    WordByItself,
    Dates,
    NamesByThemselves,
    CommonNames,
}

impl From<zxcvbn::feedback::Warning> for PasswordHint {
    fn from(w: zxcvbn::feedback::Warning) -> Self {
        use zxcvbn::feedback::Warning as W;
        match w {
            W::StraightRowsOfKeysAreEasyToGuess => PasswordHint::StraightRows,
            W::ShortKeyboardPatternsAreEasyToGuess => PasswordHint::ShortKeyboardPatterns,
            W::RepeatsLikeAaaAreEasyToGuess => PasswordHint::RepeatsLikeAaa,
            W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => PasswordHint::RepeatsLikeAbcAbc,
            W::ThisIsATop10Password => PasswordHint::Top10,
            W::ThisIsATop100Password => PasswordHint::Top100,
            W::ThisIsACommonPassword => PasswordHint::VeryCommon,
            W::ThisIsSimilarToACommonlyUsedPassword => PasswordHint::SimilarToCommon,
            W::SequencesLikeAbcAreEasyToGuess => PasswordHint::SequencesLikeAbc,
            W::RecentYearsAreEasyToGuess => PasswordHint::RecentYears,
            W::AWordByItselfIsEasyToGuess => PasswordHint::WordByItself,
            W::DatesAreOftenEasyToGuess => PasswordHint::Dates,
            W::NamesAndSurnamesByThemselvesAreEasyToGuess => PasswordHint::NamesByThemselves,
            W::CommonNamesAndSurnamesAreEasyToGuess => PasswordHint::CommonNames,
        }
    }
}

impl JsonFault {
    /// A `serde_json` error as a fault.
    pub fn of(e: &serde_json::Error) -> JsonFault {
        let message = e.to_string();
        let kind = if message.starts_with("recursion limit exceeded") {
            JsonFaultKind::TooDeep
        } else if e.is_eof() {
            JsonFaultKind::Eof
        } else {
            JsonFaultKind::Syntax
        };
        JsonFault { kind, detail: message, line: e.line(), column: e.column() }
    }
}

impl From<SelectError> for Problem {
    fn from(e: SelectError) -> Self {
        Problem::Select(e)
    }
}

impl From<EvidenceError> for Problem {
    fn from(e: EvidenceError) -> Self {
        Problem::Evidence(e)
    }
}

impl From<BadgeProblem> for Problem {
    fn from(p: BadgeProblem) -> Self {
        Problem::Badge(p)
    }
}

impl From<KeyProblem> for Problem {
    fn from(p: KeyProblem) -> Self {
        Problem::Key(p)
    }
}

impl Problem {
    /// A stable, machine-readable code for what is wrong (`not_a_date`, `too_long`): the API
    /// answers it as `error.problem`. Part of the contract: do not rename.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Empty => "empty",
            Problem::TooLong { .. } => "too_long",
            Problem::NotOneLine => "not_one_line",
            Problem::ControlCharacters => "control_characters",
            Problem::DirectionControl { .. } => "direction_control",
            Problem::NotAUrl { .. } => "not_a_url",
            Problem::UrlScheme { .. } => "url_scheme",
            Problem::UrlNoHost => "url_no_host",
            Problem::ImportedLink { .. } => "imported_link",
            Problem::NotALanguageTag { .. } => "not_a_language_tag",
            Problem::TooManyThemes { .. } => "too_many_themes",
            Problem::TooManyBytes { .. } => "too_many_bytes",
            Problem::NotADate { .. } => "not_a_date",
            Problem::NotARealDate { .. } => "not_a_real_date",
            Problem::NotAPartialDate { .. } => "not_a_partial_date",
            Problem::NotAMonthYear { .. } => "not_a_month_year",
            Problem::NotADateValue { .. } => "not_a_date_value",
            Problem::NotATime { .. } => "not_a_time",
            Problem::NotInFuture => "not_in_future",
            Problem::EndsBeforeStart { .. } => "ends_before_start",
            Problem::ExpiresBeforeIssued { .. } => "expires_before_issued",
            Problem::ExpiryBeforeIssue { .. } => "expiry_before_issue",
            Problem::OutOfRange { .. } => "out_of_range",
            Problem::NotANumberOfHours { .. } => "not_a_number_of_hours",
            Problem::NotADayCount { .. } => "not_a_day_count",
            Problem::NotA { .. } => "not_one_of",
            Problem::EmailTooLong { .. } => "email_too_long",
            Problem::EmailNoAt { .. } => "email_no_at",
            Problem::NotAnEmail { .. } => "not_an_email",
            Problem::EmailDomain { .. } => "email_domain",
            Problem::PasswordTooShort { .. } => "password_too_short",
            Problem::PasswordTooLong { .. } => "password_too_long",
            Problem::PasswordGuessable { .. } => "password_guessable",
            Problem::WrongCurrentPassword => "wrong_current_password",
            Problem::EmailTaken => "email_taken",
            Problem::ChooseALanguage => "choose_a_language",
            Problem::InvalidJson(_) => "invalid_json",
            Problem::BodyNotObject => "body_not_object",
            Problem::MustBeObject => "must_be_object",
            Problem::MustBeArray => "must_be_array",
            Problem::MustBeString => "must_be_string",
            Problem::UnknownField { .. } => "unknown_field",
            Problem::MissingField { .. } => "missing_field",
            Problem::UnknownVariant { .. } => "unknown_variant",
            Problem::WrongType { .. } => "wrong_type",
            Problem::Invalid { .. } => "invalid",
            Problem::UnsupportedVersion { .. } => "unsupported_version",
            Problem::TooManyCourses { .. } => "too_many_courses",
            Problem::RepeatsCourse { .. } => "repeats_course",
            Problem::IsADocument => "is_a_document",
            Problem::Unrecognised(_) => "unrecognised",
            Problem::FileEmpty => "file_empty",
            Problem::NoRows { .. } => "no_rows",
            Problem::TooManyRows { .. } => "too_many_rows",
            Problem::CellCount { .. } => "cell_count",
            Problem::NotCsv { .. } => "not_csv",
            Problem::NotUtf8Cell => "not_utf8_cell",
            Problem::UnknownColumn { .. } => "unknown_column",
            Problem::RepeatedColumn => "repeated_column",
            Problem::NoTitleColumn => "no_title_column",
            Problem::MissingTitle => "missing_title",
            Problem::MissingName { .. } => "missing_name",
            Problem::CertifiedNoButDetails => "certified_no_but_details",
            Problem::RepeatsRow { .. } => "repeats_row",
            Problem::NotLinkedInHeader { .. } => "not_linkedin_header",
            Problem::SixColumns => "six_columns",
            Problem::ResumeNotObject => "resume_not_object",
            Problem::TooManyCertificates { .. } => "too_many_certificates",
            Problem::NoCertificate => "no_certificate",
            Problem::Badge(b) => b.code(),
            Problem::Key(k) => k.code(),
            Problem::TrustFile { .. } => "trust_file",
            Problem::TrustEntry { .. } => "trust_entry",
            Problem::TrustKeyChoice => "trust_key_choice",
            Problem::Evidence(e) => match e {
                EvidenceError::Empty => "file_empty",
                EvidenceError::UnknownContent => "unknown_content",
                EvidenceError::Mismatch { .. } => "content_mismatch",
                EvidenceError::TooManyPixels { .. } => "too_many_pixels",
                EvidenceError::Malformed(_) => "malformed_image",
            },
            Problem::OnlyFileField => "only_file_field",
            Problem::OneFileOnly => "one_file_only",
            Problem::FileFieldMissing => "file_field_missing",
            Problem::EvidenceTooLarge { .. } => "evidence_too_large",
            Problem::VerifyTooLarge { .. } => "verify_too_large",
            Problem::ImportTooLarge { .. } => "import_too_large",
            Problem::QuotaFiles { .. } => "quota_files",
            Problem::QuotaBytes { .. } => "quota_bytes",
            Problem::NotMultipart { .. } => "not_multipart",
            Problem::MalformedMultipart { .. } => "malformed_multipart",
            Problem::OneFileInField => "one_file_in_field",
            Problem::ChooseAFile => "choose_a_file",
            Problem::BodyTooLarge => "body_too_large",
            Problem::UnreadableBody { .. } => "unreadable_body",
            Problem::NotJsonBody { .. } => "not_json_body",
            Problem::ImportContentType { .. } => "import_content_type",
            Problem::BadQuery { .. } => "bad_query",
            Problem::Select(e) => match e {
                SelectError::Empty => "no_courses",
                SelectError::ScopeRequired { .. } => "scope_required",
                SelectError::ScopeNotAllowed => "scope_not_allowed",
                SelectError::NoMatch { .. } => "no_match",
            },
            Problem::EmptyPortfolio { .. } => "empty_portfolio",
            Problem::FieldOrTheme => "field_or_theme",
            Problem::SavedPortfolioAlone => "saved_portfolio_alone",
            Problem::NoSuchPortfolio => "no_such_portfolio",
            Problem::FollowNeedsPortfolio => "follow_needs_portfolio",
            Problem::FramingOrPortfolio => "framing_or_portfolio",
            Problem::TooManyPortfolios { .. } => "too_many_portfolios",
            Problem::RepeatsPortfolioName { .. } => "repeats_portfolio_name",
            Problem::PortfolioNameTaken { .. } => "portfolio_name_taken",
            Problem::PortfolioQuota { .. } => "portfolio_quota",
            Problem::TooManyPinned { .. } => "too_many_pinned",
            Problem::TooManyListed => "too_many_listed",
            Problem::NoSuchCourse => "no_such_course",
            Problem::RepeatedCourse => "repeated_course",
            Problem::IncludedAndExcluded => "included_and_excluded",
            Problem::ExcludedPinned => "excluded_pinned",
            Problem::NoCourseChosen => "no_course_chosen",
            Problem::NothingToSet => "nothing_to_set",
            Problem::TooManySkills { .. } => "too_many_skills",
            Problem::NotASkill => "not_a_skill",
            Problem::LegitimacyNeedsScope => "legitimacy_needs_scope",
            Problem::CourseExists => "course_exists",
            Problem::InstitutionNameTaken => "institution_name_taken",
            Problem::SameInstitutionTwice => "same_institution_twice",
            Problem::SignInRequired => "sign_in_required",
            Problem::WrongCredentials => "wrong_credentials",
            Problem::NotFound => "not_found",
            Problem::Gone => "gone",
            Problem::TooManyAttempts { .. } => "too_many_attempts",
            Problem::Busy => "busy",
            Problem::DatabaseUnreachable => "database_unreachable",
            Problem::OutcomeUnknown => "outcome_unknown",
            Problem::SavedNotShown => "saved_not_shown",
            Problem::InternalError => "internal_error",
        }
    }
}

impl BadgeProblem {
    pub fn code(&self) -> &'static str {
        match self {
            BadgeProblem::PayloadTooLarge { .. } => "badge_payload_too_large",
            BadgeProblem::OnlyUrl { .. } => "badge_only_url",
            BadgeProblem::FetchedAssertionNotUtf8 => "badge_fetched_not_utf8",
            BadgeProblem::FetchedAssertionNotJson => "badge_fetched_not_json",
            BadgeProblem::NeitherJsonNorJws => "badge_neither_json_nor_jws",
            BadgeProblem::NotUtf8 { .. } => "badge_not_utf8",
            BadgeProblem::JsonNotObject { .. } => "badge_json_not_object",
            BadgeProblem::NotJson { .. } => "badge_not_json",
            BadgeProblem::BadgeClass => "badge_class",
            BadgeProblem::IssuerProfile => "badge_issuer_profile",
            BadgeProblem::Endorsement => "badge_endorsement",
            BadgeProblem::ClassByUrl { .. } => "badge_class_by_url",
            BadgeProblem::ClassNotObject => "badge_class_not_object",
            BadgeProblem::OnlyVerificationUrl { .. } => "badge_only_verification_url",
            BadgeProblem::NoBadge => "no_badge",
            BadgeProblem::NoName => "badge_no_name",
            BadgeProblem::EndorsementCredential => "badge_endorsement_credential",
            BadgeProblem::NotOb3 => "badge_not_ob3",
            BadgeProblem::SignatureMismatchTrusted { .. } => "badge_signature_mismatch_trusted",
            BadgeProblem::SignatureMismatchEmbedded => "badge_signature_mismatch_embedded",
            BadgeProblem::EmbeddedKey(_) => "badge_embedded_key",
            BadgeProblem::NotPng => "not_png",
            BadgeProblem::PngTruncated { .. } => "png_truncated",
            BadgeProblem::PngChunk { .. } => "png_chunk",
            BadgeProblem::PngChunkTooLong { .. } => "png_chunk_too_long",
            BadgeProblem::PngNoHeader => "png_no_header",
            BadgeProblem::PngCrc { .. } => "png_crc",
            BadgeProblem::PngText { .. } => "png_text",
            BadgeProblem::PngNotBaked => "png_not_baked",
            BadgeProblem::SvgNotUtf8 { .. } => "svg_not_utf8",
            BadgeProblem::SvgNotBaked => "svg_not_baked",
            BadgeProblem::SvgEndsInside { .. } => "svg_ends_inside",
            BadgeProblem::SvgNeverClosed { .. } => "svg_never_closed",
            BadgeProblem::SvgEmpty { .. } => "svg_empty",
            BadgeProblem::SvgTagNeverClosed { .. } => "svg_tag_never_closed",
            BadgeProblem::JwsParts { .. } => "jws_parts",
            BadgeProblem::JwsNotBase64 { .. } => "jws_not_base64",
            BadgeProblem::JwsHeaderNotObject { .. } => "jws_header_not_object",
            BadgeProblem::JwsNoAlg => "jws_no_alg",
        }
    }
}

impl KeyProblem {
    pub fn code(&self) -> &'static str {
        match self {
            KeyProblem::NoMember { .. } => "key_no_member",
            KeyProblem::NotBase64 { .. } => "key_not_base64",
            KeyProblem::BadRsa { .. } => "key_bad_rsa",
            KeyProblem::P256Size => "key_p256_size",
            KeyProblem::NotOnCurve => "key_not_on_curve",
            KeyProblem::Ed25519Size => "key_ed25519_size",
            KeyProblem::BadEd25519 { .. } => "key_bad_ed25519",
            KeyProblem::Unsupported { .. } => "key_unsupported",
            KeyProblem::NotPem => "key_not_pem",
        }
    }
}

/// The problem in English, as the API and the command line say it.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::problem(super::Lang::En, self))
    }
}

/// Where in a file or a form: `line 4`, `line 4, column Started On`. Made here so that the
/// pages can say the same in their language (`i18n::location`).
pub fn at_line(line: u64) -> String {
    format!("line {line}")
}

/// `line 4, column Started On`.
pub fn at_cell(line: u64, column: &str) -> String {
    format!("line {line}, column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Lang, parse_document};

    fn refused(doc: &str) -> crate::domain::ValidationError {
        parse_document(doc.as_bytes()).unwrap_err()
    }

    /// serde's own errors (unknown field, wrong type, unknown value) and the date it cannot
    /// check become problems like any other, so a French page can word them.
    #[test]
    fn serdes_errors_become_problems() {
        let e = refused(r#"{"certfolio": 1, "learner": {"name": "C"}, "courses": [{"title": "x", "colour": 1}]}"#);
        assert_eq!(e.path, "courses[0].colour");
        assert!(
            matches!(&e.problem, Problem::UnknownField { field, expected } if field == "colour" && expected.contains(&"title".to_owned()))
        );
        assert!(
            e.message_in(Lang::Fr).starts_with("champ inconnu\u{a0}: «\u{a0}colour\u{a0}»"),
            "{}",
            e.message_in(Lang::Fr)
        );

        let e = refused(r#"{"certfolio": 1, "learner": {"name": "C"}, "courses": [{"title": "x", "hours": "20"}]}"#);
        assert_eq!(
            (e.path.as_str(), &e.problem),
            ("courses[0].hours", &Problem::WrongType { expected: JsonKind::Number })
        );

        let e = refused(
            r#"{"certfolio": 1, "learner": {"name": "C"}, "courses": [{"title": "x", "finished_on": "2025-13-45"}]}"#,
        );
        assert_eq!(e.path, "courses[0].finished_on");
        assert_eq!(e.problem, Problem::NotARealDate { value: "2025-13-45".into() });

        let e = refused(
            r#"{"certfolio": 1, "learner": {"name": "C"}, "courses": [{"title": "x", "outcome": "finished"}]}"#,
        );
        assert!(matches!(&e.problem, Problem::UnknownVariant { value, .. } if value == "finished"), "{e:?}");

        let e = refused(r#"{"certfolio": 1, "learner": {}}"#);
        assert_eq!((e.path.as_str(), &e.problem), ("learner.name", &Problem::MissingField { field: "name".into() }));
    }

    /// A user's key may hold anything, backticks too: the name ends at serde's list.
    #[test]
    fn an_unknown_key_with_backticks_is_named_whole() {
        let e = refused(r#"{"certfolio": 1, "learner": {"name": "C", "a`b, expected `c": 1}}"#);
        assert_eq!(e.path, "learner.a`b, expected `c");
        assert!(matches!(&e.problem, Problem::UnknownField { field, .. } if field == "a`b, expected `c"), "{e:?}");
    }

    #[test]
    fn codes_are_stable_snake_case() {
        assert_eq!(Problem::NotARealDate { value: String::new() }.code(), "not_a_real_date");
        assert_eq!(Problem::UnknownField { field: String::new(), expected: vec![] }.code(), "unknown_field");
        assert_eq!(Problem::Badge(BadgeProblem::PngNotBaked).code(), "png_not_baked");
        assert_eq!(Problem::Key(KeyProblem::NotPem).code(), "key_not_pem");
    }
}
