//! The bodies of the fuzz targets (`fuzz/`, `docs/FUZZING.md`), one function per parser, shared
//! with `cargo test`, which replays every file of `fuzz/corpus/<target>/` through the same
//! function. Each function feeds its bytes to a parser and asserts the parser's contract: it
//! returns (a panic is the finding), an error names its problem in a bounded message, and what is
//! accepted passes the record's rules.
//!
//! Adding a target (an Open Badges parser, say): a function here, one line in [`TARGETS`], and a
//! three-line file in `fuzz/fuzz_targets/` with its `[[bin]]` entry (see `docs/FUZZING.md`).

use crate::domain::evidence::{self, MediaType};
use crate::domain::{Document, LearnerRecord, ValidationError, parse_document};
use crate::interop::{self, Format, Imported};

/// A target's body: bytes in, a panic when the parser breaks its contract.
pub type Target = fn(&[u8]);

/// Every target by name, as `cargo fuzz run <name>` and `fuzz/corpus/<name>/` know it.
pub const TARGETS: &[(&str, Target)] = &[
    ("document", document),
    ("linkedin", linkedin),
    ("csv", csv),
    ("jsonresume", jsonresume),
    ("import_any", import_any),
    ("evidence", evidence),
    ("badge_png", badge_png),
    ("badge_svg", badge_svg),
    ("jws", jws),
    ("openbadges", openbadges),
    ("trust_file", trust_file),
];

/// The longest error message or path an import may answer with: an error quotes at most a short
/// piece of the offending value, never the whole of a megabyte cell.
pub const MAX_ERROR_LEN: usize = crate::domain::MAX_ERROR_LEN;

/// An error names its problem, briefly.
fn check_error(e: &ValidationError) {
    for lang in crate::domain::Lang::ALL {
        let message = e.message_in(*lang);
        assert!(!message.trim().is_empty(), "an error without a message (path `{}`)", e.path);
        assert!(message.len() <= MAX_ERROR_LEN, "an error message of {} bytes", message.len());
    }
    assert!(e.path.len() <= MAX_ERROR_LEN, "an error path of {} bytes", e.path.len());
}

/// What is accepted breaks no rule, survives being written and read back, and merges into a
/// learner's (empty) record, which is what the API does next.
fn check_document(doc: &Document) {
    assert!(doc.validate().is_ok(), "an accepted document breaks a rule: {:?}", doc.validate());
    let json = serde_json::to_vec(doc).unwrap_or_default();
    assert_eq!(parse_document(&json).as_ref(), Ok(doc), "the document does not read back as written");
}

fn check_imported(imported: &Imported, expected: Format) {
    assert_eq!(imported.format, expected);
    assert!(!imported.courses.is_empty(), "an import of nothing was accepted");
    for c in &imported.courses {
        assert!(c.record.validate("").is_ok(), "{}: an accepted course breaks a rule", c.at);
        assert!(!c.at.is_empty(), "a course without a location in the file");
    }
    if let Some(learner) = &imported.learner {
        assert!(learner.validate("").is_ok(), "an accepted learner breaks a rule");
    }
    match interop::merge(&record_of(Vec::new()), imported.courses.clone()) {
        Ok(doc) => assert_eq!(doc.courses.len(), imported.courses.len()),
        Err(e) => panic!("accepted courses do not merge into an empty record: {e}"),
    }
}

/// A learner's record holding `courses`, as the API merges imports into.
fn record_of(courses: Vec<crate::domain::CourseRecord>) -> Document {
    Document {
        certfolio: crate::domain::document::DOCUMENT_VERSION,
        learner: LearnerRecord::named("Fuzz"),
        courses,
        portfolios: Vec::new(),
    }
}

/// `parse_document`, the portfolio document (JSON).
pub fn document(data: &[u8]) {
    match parse_document(data) {
        Ok(doc) => check_document(&doc),
        Err(e) => check_error(&e),
    }
}

/// LinkedIn's `Certifications.csv`. Whatever it accepts also exports to the generic CSV and
/// reads back the same.
pub fn linkedin(data: &[u8]) {
    match interop::linkedin::parse(data) {
        Ok(imported) => {
            check_imported(&imported, Format::LinkedIn);
            assert!(imported.learner.is_none());
        }
        Err(e) => check_error(&e),
    }
}

/// The generic CSV. What it accepts, exported again, reads back the same (the export's promise).
pub fn csv(data: &[u8]) {
    match interop::csv::parse(data) {
        Ok(imported) => {
            check_imported(&imported, Format::Csv);
            let records: Vec<_> = imported.courses.iter().map(|c| c.record.clone()).collect();
            let doc = record_of(records.clone());
            let again = interop::csv::parse(interop::csv::to_csv(&doc).as_bytes());
            let again: Vec<_> = again.map(|i| i.courses.into_iter().map(|c| c.record).collect()).unwrap_or_default();
            assert_eq!(again, records, "the CSV export of an imported CSV does not read back the same");
        }
        Err(e) => check_error(&e),
    }
}

/// JSON Resume `certificates[]` and `basics`.
pub fn jsonresume(data: &[u8]) {
    match interop::jsonresume::parse(data) {
        Ok(imported) => check_imported(&imported, Format::JsonResume),
        Err(e) => check_error(&e),
    }
}

/// The whole entry of `POST /api/v1/import` and `certfolio import`: detect, then the document
/// parser or `import_foreign`, which must agree with what was detected.
pub fn import_any(data: &[u8]) {
    let format = match interop::detect(data) {
        Ok(format) => format,
        Err(e) => return check_error(&e),
    };
    match format {
        Format::Document => match parse_document(data) {
            Ok(doc) => check_document(&doc),
            Err(e) => check_error(&e),
        },
        Format::LinkedIn | Format::Csv | Format::JsonResume | Format::OpenBadges => {
            match interop::import_foreign(data, fuzz_trust(), FUZZ_NOW) {
                Ok(imported) => check_imported(&imported, format),
                Err(e) => {
                    assert_ne!(e.path, "certfolio", "detected as {} but refused as a document", format.as_str());
                    check_error(&e);
                }
            }
        }
    }
}

/// What a client may declare with an evidence file: first byte of the input picks the content
/// type, the second the file name, the rest is the file.
const DECLARED_TYPES: [Option<&str>; 8] = [
    None,
    Some("application/pdf"),
    Some("image/png"),
    Some("image/jpeg; charset=binary"),
    Some("application/octet-stream"),
    Some("text/html"),
    Some("IMAGE/JPG"),
    Some(""),
];
const FILE_NAMES: [&str; 8] = ["", "c.pdf", "c.png", "c.JPEG", "certificate", "../../x.pdf", "a.b.jpg", ".png"];

/// Evidence uploads: the content sniffed, checked against the declaration, images measured from
/// their header; the client's file name turned into display text.
pub fn evidence(data: &[u8]) {
    let (declared, name, bytes) = match data {
        [t, n, rest @ ..] => (DECLARED_TYPES[usize::from(*t) % 8], FILE_NAMES[usize::from(*n) % 8], rest),
        _ => (None, "", data),
    };
    match evidence::check(bytes, declared, name) {
        Ok(kind) => {
            assert_eq!(evidence::sniff(bytes), Some(kind), "accepted as a type its content is not");
            if kind != MediaType::Pdf {
                assert!(bytes.len() >= 4, "an image without a header");
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let shown = evidence::display_name(Some(&String::from_utf8_lossy(data)), MediaType::Png);
    assert!(!shown.is_empty() && shown.chars().count() <= 200, "{shown:?}");
    assert!(!shown.contains(['/', '\\']) && !shown.chars().any(char::is_control), "{shown:?}");
}

/// The time badges are checked at: fixed, so a finding replays the same way.
const FUZZ_NOW: i64 = 1_767_225_600; // 2026-01-01

/// One trusted issuer, so the fuzzer can reach the "signature checked against a trusted key"
/// paths as well as the untrusted ones. Its Ed25519 key comes from a fixed seed.
fn fuzz_trust() -> &'static interop::trust::TrustStore {
    static TRUST: std::sync::OnceLock<interop::trust::TrustStore> = std::sync::OnceLock::new();
    TRUST.get_or_init(|| {
        let key = interop::jws::SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[7; 32]));
        let trusted = serde_json::json!({"issuers": [
            {"name": "Fuzz issuer", "id": "https://issuer.example.org", "jwk": key.public_jwk()}
        ]});
        interop::trust::TrustStore::from_json(trusted.to_string().as_bytes()).unwrap_or_default()
    })
}

/// The badge text of a baked PNG (chunk walk, CRC, zTXt/iTXt inflate capped at 1 MiB). Pixels
/// are never decoded, so a hostile header cannot cost memory.
pub fn badge_png(data: &[u8]) {
    match interop::png::badge_chunk(data) {
        Ok(baked) => assert!(baked.text.len() <= 1 << 20, "a badge text of {} bytes", baked.text.len()),
        Err(e) => check_error(&e),
    }
}

/// The Open Badges element of a baked SVG.
pub fn badge_svg(data: &[u8]) {
    match interop::svg::badge_payload(data) {
        Ok(badge) => assert!(badge.text.len() <= data.len(), "a payload longer than the file"),
        Err(e) => check_error(&e),
    }
}

/// Compact JWS decoding (base64url, header JSON, `alg`), then a signature check against the
/// trusted key: never a panic, whatever the segments hold.
pub fn jws(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match interop::jws::parse(text) {
        Ok(jws) => {
            assert!(!jws.alg.is_empty(), "a JWS without alg was accepted");
            let _ = interop::openbadges::parse(data, fuzz_trust(), FUZZ_NOW);
        }
        Err(e) => check_error(&e),
    }
}

/// The whole Open Badges reader: JSON (2.0, 3.0, legacy), JWS / VC-JWT, baked PNG and SVG,
/// with the trust store and a fixed clock. An accepted badge is one valid course.
pub fn openbadges(data: &[u8]) {
    match interop::openbadges::parse(data, fuzz_trust(), FUZZ_NOW) {
        Ok(imported) => check_imported(&imported, Format::OpenBadges),
        Err(e) => check_error(&e),
    }
}

/// The operator's `trusted-issuers.json`: a bad file is refused naming the entry, never a panic.
pub fn trust_file(data: &[u8]) {
    if let Err(e) = interop::trust::TrustStore::from_json(data) {
        check_error(&e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
        files.sort();
        files
    }

    /// Every file of every target's committed corpus (`fuzz/corpus/<target>/`, minimised by
    /// `cargo fuzz cmin`) and of its named regression inputs (`fuzz/regressions/<target>/`, kept
    /// by hand), replayed: the fuzzers' findings stay fixed. A missing or empty corpus folder
    /// fails, so the replay cannot pass by reading nothing.
    #[test]
    fn every_fuzz_corpus_file_replays_cleanly() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let mut total = 0;
        for (name, run) in TARGETS {
            let corpus = files(&root.join("corpus").join(name));
            assert!(!corpus.is_empty(), "fuzz/corpus/{name}: an empty corpus replays nothing");
            let regressions = root.join("regressions").join(name);
            let regressions = if regressions.is_dir() { files(&regressions) } else { Vec::new() };
            let files = [corpus, regressions].concat();
            for file in &files {
                let bytes = std::fs::read(file).unwrap();
                if std::panic::catch_unwind(|| run(&bytes)).is_err() {
                    panic!("{name}: {} fails its target's contract", file.display());
                }
            }
            total += files.len();
        }
        assert!(total >= TARGETS.len());
    }

    /// Every target has a corpus folder and a `[[bin]]` in `fuzz/Cargo.toml`, and nothing is
    /// fuzzed that the replay does not know about.
    #[test]
    fn the_fuzz_crate_and_the_replay_list_the_same_targets() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let bins: Vec<&str> = manifest
            .lines()
            .filter_map(|l| l.strip_prefix("name = \""))
            .filter_map(|l| l.strip_suffix('"'))
            .filter(|n| *n != "certfolio-fuzz")
            .collect();
        let mut names: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        let mut bins_sorted = bins.clone();
        bins_sorted.sort_unstable();
        assert_eq!(bins_sorted, names);
        for name in names {
            let target = std::fs::read_to_string(root.join(format!("fuzz_targets/{name}.rs"))).unwrap();
            assert!(target.contains(&format!("fuzz_entry::{name}(")), "fuzz_targets/{name}.rs");
        }
    }
}
