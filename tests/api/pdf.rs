//! The portfolio PDF, read back as a reader reads it: poppler's `pdftotext` and `pdfinfo`
//! (Debian/Ubuntu: `apt-get install poppler-utils`). Expected values are recomputed here
//! from the fixture JSON, independently of the renderer's own code.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture_json};

const BIN: &str = env!("CARGO_BIN_EXE_certfolio");
/// 2026-11-21 12:00 UTC: pins the creation date so runs are comparable.
const EPOCH: &str = "1795262400";

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed by these tests (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 from poppler")
}

/// The text in content order (`-raw`), one drawn line per line.
pub fn text_of(pdf: &Path) -> String {
    poppler("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"])
}

fn pages_of(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[pdf.to_str().expect("path")]);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("Pages: line");
    line["Pages:".len()..].trim().parse().expect("page count")
}

/// Whitespace runs (line ends included) as one space, to check sentences that wrap.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Run {
    dir: tempfile::TempDir,
    out: Output,
}

impl Run {
    fn pdf(&self) -> PathBuf {
        self.dir.path().join("out.pdf")
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
}

/// `certfolio render DOC args… -o out.pdf` in a fresh folder.
fn render(doc: &Value, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.json");
    std::fs::write(&path, serde_json::to_vec_pretty(doc).expect("json")).expect("write doc");
    render_file(dir, &path, args)
}

fn render_file(dir: tempfile::TempDir, doc: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("render")
        .arg(doc)
        .args(args)
        .arg("-o")
        .arg(dir.path().join("out.pdf"))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run certfolio");
    Run { dir, out }
}

fn ok(run: &Run) -> String {
    assert!(run.out.status.success(), "render failed: {}", run.stderr());
    text_of(&run.pdf())
}

fn courses(doc: &Value) -> &Vec<Value> {
    doc["courses"].as_array().expect("courses")
}

fn title(c: &Value) -> String {
    c["title"].as_str().expect("title").to_owned()
}

/// The course title on each line of `text` that shows one, in order. A line is a title
/// alone, or a title after the date column ("juin 2019 Machine Learning"); the longest
/// matching title wins, so "Droit du numérique (3)" is not read as "Droit du numérique".
fn title_lines(text: &str, doc: &Value) -> Vec<String> {
    let titles: Vec<String> = courses(doc).iter().map(title).collect();
    text.lines()
        .map(str::trim)
        .filter_map(|line| {
            titles
                .iter()
                .filter(|t| {
                    line == t.as_str()
                        || line.ends_with(&format!(" {t}")) && is_date_prefix(&line[..line.len() - t.len()])
                })
                .max_by_key(|t| t.len())
                .cloned()
        })
        .collect()
}

/// "juin 2019 ", "September 2023 ": a month name and a year.
fn is_date_prefix(prefix: &str) -> bool {
    let words: Vec<&str> = prefix.split_whitespace().collect();
    matches!(words.as_slice(), [month, year] if month.chars().all(char::is_alphabetic) && year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()))
}

fn certified(c: &Value) -> bool {
    c.get("attestation").is_some_and(|a| !a.is_null())
}

/// Certified titles newest first (issue date, then title), as a recruiter expects them.
fn certified_newest_first(doc: &Value, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut v: Vec<(String, String)> = courses(doc)
        .iter()
        .filter(|c| certified(c) && keep(c))
        .map(|c| (c["attestation"]["issued_on"].as_str().unwrap_or("").to_owned(), title(c)))
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    v.into_iter().map(|(_, t)| t).collect()
}

/// French thousands: "5 690" (drawn with a plain space, see `i18n`).
fn fr_int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

#[test]
fn appetite_shows_the_whole_record_with_its_figures_newest_first() {
    let doc = fixture_json("doc24.json");
    let run = render(&doc, &["--framing", "appetite"]);
    let text = ok(&run);
    let flat_text = flat(&text);

    // Accents, typographic apostrophes and dashes come back exactly.
    for s in
        ["Camille Lefèvre", "Développeuse web en reconversion", "Appétence pour l’autoformation", "École polytechnique"]
    {
        assert!(text.contains(s), "missing {s:?}");
    }

    // The cover's figures, recomputed from the JSON.
    let all = courses(&doc);
    let n_cert = all.iter().filter(|c| certified(c)).count();
    let hours: f64 = all.iter().filter_map(|c| c["hours"].as_f64()).sum();
    let years: Vec<i64> =
        all.iter().filter_map(|c| c["started_on"].as_str()).map(|d| d[..4].parse().expect("year")).collect();
    let (first, last) = (years.iter().min().expect("dated"), years.iter().max().expect("dated"));
    let expected = format!(
        "Camille Lefèvre a suivi {} cours en ligne entre {first} et {last}, dont {n_cert} sanctionnés par une attestation, soit {} h d’étude au total.",
        all.len(),
        fr_int(hours as u64)
    );
    assert!(flat_text.contains(&expected), "cover: expected {expected:?} in {flat_text:?}");

    // Every course appears once; certified ones newest first, before the effort section.
    let lines = title_lines(&text, &doc);
    assert_eq!(lines.len(), all.len(), "each course exactly once: {lines:?}");
    let expected_order = certified_newest_first(&doc, |_| true);
    let shown_certified: Vec<&String> = lines.iter().filter(|l| expected_order.contains(l)).collect();
    assert_eq!(shown_certified, expected_order.iter().collect::<Vec<_>>());
    let effort = all.iter().filter(|c| !certified(c) && c["outcome"] != "in_progress").count();
    let cert_at = text.find(&format!("Attestations obtenues {n_cert}\n")).expect("certified section");
    let effort_at = text.find(&format!("Suivis sans attestation {effort}\n")).expect("effort section");
    assert!(cert_at < effort_at);
    // Effort is never called failure.
    for word in ["abandon", "échec", "échoué"] {
        assert!(!text.to_lowercase().contains(word), "{word}");
    }

    // Page count, and the footer on every page.
    let pages = pages_of(&run.pdf());
    assert_eq!(text.matches('\u{c}').count(), pages);
    for n in 1..=pages {
        assert!(text.contains(&format!("Camille Lefèvre — page {n} / {pages}")), "footer of page {n}");
    }
    assert!((2..=4).contains(&pages), "{pages} pages for 24 courses");

    // Small enough to mail: fonts are subset.
    let size = std::fs::metadata(run.pdf()).expect("pdf").len();
    assert!(size <= 60 * 1024, "{size} bytes");
}

#[test]
fn legitimacy_in_a_field_keeps_exactly_that_field() {
    let doc = fixture_json("doc24.json");
    let in_field = |c: &Value| c["field"] == "computing";
    let text = ok(&render(&doc, &["--framing", "legitimacy", "--field", "computing"]));
    let shown: HashSet<String> = title_lines(&text, &doc).into_iter().collect();
    let expected: HashSet<String> = courses(&doc).iter().filter(|c| in_field(c) && certified(c)).map(title).collect();
    assert_eq!(shown, expected, "certified computing courses only");
    assert!(text.contains("Légitimité dans le domaine « computing »"), "{text}");
    // Institution first, then the title, and what the certificate proved.
    let newest = certified_newest_first(&doc, in_field);
    assert!(!newest.is_empty());
    assert!(
        text.contains("Formalise des compétences acquises auparavant")
            || text.contains("Valide des compétences nouvelles")
    );
    for c in courses(&doc).iter().filter(|c| in_field(c) && certified(c)) {
        let inst = c["institution"].as_str().expect("institution");
        let t = title(c);
        let pair = format!("{inst}\n{t}\n");
        assert!(text.contains(&pair), "institution before title for {t}");
        let id = c["attestation"]["credential_id"].as_str().expect("credential id");
        assert!(text.contains(id), "credential id {id}");
    }

    // With uncertified courses: the whole field, still nothing else.
    let text = ok(&render(&doc, &["--framing", "legitimacy", "--field", "Computing", "--include-uncertified"]));
    let shown: HashSet<String> = title_lines(&text, &doc).into_iter().collect();
    let expected: HashSet<String> = courses(&doc).iter().filter(|c| in_field(c)).map(title).collect();
    assert_eq!(shown, expected);
}

#[test]
fn legitimacy_in_a_theme_keeps_exactly_that_theme_in_english() {
    let doc = fixture_json("doc24.json");
    let theme = "gestion de projet";
    let has = |c: &Value| c["themes"].as_array().is_some_and(|t| t.iter().any(|x| x == theme));
    let text = ok(&render(&doc, &["--framing", "legitimacy", "--theme", theme, "--lang", "en"]));
    assert_eq!(title_lines(&text, &doc), certified_newest_first(&doc, has));
    assert!(text.contains("Legitimacy in the theme “gestion de projet”"));
    assert!(text.contains("Proof of mastery"));
    // English months and attestation kinds.
    let newest = courses(&doc)
        .iter()
        .filter(|c| has(c) && certified(c))
        .max_by_key(|c| c["attestation"]["issued_on"].as_str())
        .expect("one");
    let month = [
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
    let issued = newest["attestation"]["issued_on"].as_str().expect("issued");
    let m: usize = issued[5..7].parse().expect("month");
    assert!(text.contains(&format!("{} {}", month[m - 1], &issued[..4])), "{text}");
    assert!(!text.contains("Attestation de"), "no French kinds in English");
}

#[test]
fn large_records_use_each_languages_thousands_and_stay_in_proportion() {
    // 240 courses: the fixture ten times, with distinct titles.
    let mut doc = fixture_json("doc24.json");
    let base = courses(&doc).clone();
    let many: Vec<Value> = (0..10)
        .flat_map(|k| {
            base.iter().map(move |c| {
                let mut c = c.clone();
                c["title"] = json!(format!("{} – lot {k}", title(&c)));
                c
            })
        })
        .collect();
    doc["courses"] = json!(many);
    let hours: f64 = courses(&doc).iter().filter_map(|c| c["hours"].as_f64()).sum();
    assert!(hours >= 1000.0);
    let fr = render(&doc, &["--framing", "appetite"]);
    let text = flat(&ok(&fr));
    assert!(text.contains(&format!("soit {} h d’étude", fr_int(hours as u64))), "{text}");
    let en = render(&doc, &["--framing", "appetite", "--lang", "en"]);
    let text_en = flat(&ok(&en));
    let h = hours as u64;
    assert!(text_en.contains(&format!("{},{:03} h of study", h / 1000, h % 1000)), "{text_en}");
    // Ten times the courses, about ten times the pages (not a hundred).
    let small = render(&fixture_json("doc24.json"), &["--framing", "appetite"]);
    let (p24, p240) = (pages_of(&small.pdf()), pages_of(&fr.pdf()));
    assert!(p240 > 4 * p24 && p240 < 15 * p24, "{p24} pages for 24, {p240} for 240");
}

#[test]
fn verification_links_are_clickable_without_visible_boxes_and_metadata_is_set() {
    let doc = fixture_json("doc24.json");
    let run = render(&doc, &["--framing", "appetite"]);
    ok(&run);
    let urls = poppler("pdfinfo", &["-url", run.pdf().to_str().expect("path")]);
    for c in courses(&doc).iter().filter(|c| certified(c)) {
        let url = c["attestation"]["url"].as_str().expect("url");
        assert!(urls.contains(url), "link to {url}");
    }
    let pdf = lopdf::Document::load(run.pdf()).expect("lopdf reads it");
    let mut links = 0;
    for (_, page) in pdf.get_pages() {
        let page = pdf.get_dictionary(page).expect("page");
        let Ok(annots) = page.get(b"Annots") else { continue };
        let annots = match annots {
            lopdf::Object::Reference(id) => pdf.get_object(*id).expect("annots").as_array().expect("array"),
            other => other.as_array().expect("array"),
        };
        for annot in annots {
            let annot = match annot {
                lopdf::Object::Reference(id) => pdf.get_dictionary(*id).expect("annotation"),
                other => other.as_dict().expect("annotation"),
            };
            let border = annot.get(b"Border").expect("a Border entry").as_array().expect("array");
            let widths: Vec<f32> = border.iter().map(|o| o.as_float().expect("number")).collect();
            assert_eq!(widths, [0.0, 0.0, 0.0], "an invisible border");
            links += 1;
        }
    }
    assert!(links >= courses(&doc).iter().filter(|c| certified(c)).count());

    let info = poppler("pdfinfo", &[run.pdf().to_str().expect("path")]);
    assert!(info.contains("Title:           Camille Lefèvre — Appétence pour l’autoformation"), "{info}");
    assert!(info.contains("Author:          Camille Lefèvre"), "{info}");
    assert!(info.contains("CreationDate:    Sat Nov 21 12:00:00 2026"), "{info}");
    let fonts = poppler("pdffonts", &[run.pdf().to_str().expect("path")]);
    assert_eq!(fonts.lines().filter(|l| l.contains("NotoSans") && l.contains(" yes yes yes ")).count(), 3, "{fonts}");

    // Same inputs and date, same bytes.
    let again = render(&doc, &["--framing", "appetite"]);
    assert_eq!(std::fs::read(run.pdf()).expect("a"), std::fs::read(again.pdf()).expect("b"));
}

/// Bad input: exit 1, one line on stderr naming the file, the option and the value; no PDF.
#[test]
fn bad_input_is_one_clear_line() {
    let doc = fixture_json("doc24.json");
    let check = |run: Run, needles: &[&str]| {
        assert_eq!(run.out.status.code(), Some(1), "{}", run.stderr());
        let err = run.stderr();
        assert_eq!(err.lines().count(), 1, "{err}");
        for n in needles {
            assert!(err.contains(n), "{n:?} not in {err:?}");
        }
        assert!(!run.pdf().exists(), "no PDF on error");
    };
    check(render(&doc, &["--framing", "vanity"]), &["--framing", "`vanity`", "appetite or legitimacy"]);
    check(
        render(&doc, &["--framing", "legitimacy", "--field", "cooking"]),
        &["doc.json", "--field", "`cooking`", "computing"],
    );
    check(render(&doc, &["--framing", "legitimacy", "--theme", "knitting"]), &["--theme", "`knitting`"]);
    check(render(&doc, &["--framing", "legitimacy"]), &["needs a field or a theme"]);
    check(render(&doc, &["--framing", "appetite", "--lang", "de"]), &["--lang", "`de`"]);
    let mut empty = doc.clone();
    empty["courses"] = json!([]);
    check(render(&empty, &["--framing", "appetite"]), &["no courses"]);
    let mut bad = doc.clone();
    bad["courses"][2]["outcome"] = json!("finished");
    check(render(&bad, &["--framing", "appetite"]), &["doc.json", "courses[2].outcome"]);

    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.json");
    check(render_file(dir, &missing, &["--framing", "appetite"]), &["missing.json", "cannot read"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, b"{\"certfolio\": 1, ").expect("write");
    check(render_file(dir, &broken, &["--framing", "appetite"]), &["broken.json", "invalid JSON"]);
}

#[test]
fn the_command_line_advises_a_framing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.json");
    std::fs::write(&path, serde_json::to_vec(&fixture_json("doc24.json")).expect("json")).expect("write");
    let out = Command::new(BIN).arg("advise").arg(&path).arg("--json").output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let advice: Value = serde_json::from_slice(&out.stdout).expect("JSON advice");
    // A job seeker whose certificates spread over many fields (see the fixture).
    assert_eq!(advice["register"], "competitive");
    assert_eq!(advice["framing"], "appetite");
    assert!(!advice["reasons"].as_array().expect("reasons").is_empty());
    assert!(advice["reasons"][0].as_str().expect("a sentence").contains("earned an attestation"), "{advice}");
    let out = Command::new(BIN).arg("advise").arg(&path).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    // The command has no --lang: English, whatever the learner's language (French here).
    assert!(text.contains("framing: appetite") && text.contains("%) earned an attestation"), "{text}");
}

async fn learner_with_record(app: &TestApp) -> String {
    let token = app.learner("pdf@example.org").await;
    let r = app.post("/api/v1/import", &token, &fixture_json("doc24.json")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    token
}

#[tokio::test]
async fn the_api_renders_the_pdf_and_names_bad_parameters() {
    let app = TestApp::new();
    let token = learner_with_record(&app).await;

    let r = app.get("/api/v1/portfolio.pdf?framing=legitimacy&field=computing&lang=en", &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(r.body.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("api.pdf");
    std::fs::write(&path, &r.body).expect("write");
    let text = text_of(&path);
    assert!(text.contains("Legitimacy in the field “computing”"), "{text}");
    assert!(!text.contains("Gestion de projet"), "outside the field");
    // Issue 11, point 9: the file is named after the learner and the framing, not its code.
    let disposition = r.header("content-disposition").expect("named").to_owned();
    assert!(
        disposition.contains("filename*=UTF-8''Camille%20Lef%C3%A8vre%20%E2%80%93%20portfolio%20computing.pdf"),
        "{disposition}"
    );
    let fr = app.get("/api/v1/portfolio.pdf?framing=appetite&lang=fr", &token).await;
    let disposition = fr.header("content-disposition").expect("named").to_owned();
    assert!(disposition.contains("Camille%20Lef%C3%A8vre") && !disposition.contains("portfolio-"), "{disposition}");

    for (query, field) in [
        ("framing=vanity", "framing"),
        ("framing=legitimacy&field=cooking", "field"),
        ("framing=legitimacy&theme=knitting", "theme"),
        ("framing=legitimacy", "framing"),
        ("lang=de", "lang"),
    ] {
        let r = app.get(&format!("/api/v1/portfolio.pdf?{query}"), &token).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", r.text());
        assert_eq!(r.error_field(), field, "{query}");
    }

    // An empty record is the learner's to fill, not a server error.
    let other = app.learner("empty@example.org").await;
    let r = app.get("/api/v1/portfolio.pdf", &other).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = app.call(axum::http::Method::GET, "/api/v1/portfolio.pdf", crate::helpers::Auth::None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn renders_beyond_the_concurrency_limit_are_refused_with_503() {
    let app = TestApp::new();
    let token = learner_with_record(&app).await;
    let slots = app.state.pdf_slots.available_permits();
    assert!(slots >= 1);
    let held = app.state.pdf_slots.clone().try_acquire_many_owned(slots as u32).expect("all slots");
    let r = app.get("/api/v1/portfolio.pdf", &token).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.error_code(), "unavailable");
    drop(held);
    assert_eq!(app.get("/api/v1/portfolio.pdf", &token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_api_advises_a_framing() {
    let app = TestApp::new();
    let token = learner_with_record(&app).await;
    let r = app.get("/api/v1/advice", &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let a = r.json();
    assert_eq!(a["register"], "competitive");
    assert_eq!(a["framing"], "appetite");
    // The reasons are sentences in the learner's language (the fixture's is French), or the one asked for.
    let first = |a: &Value| a["reasons"][0].as_str().expect("a reason").to_owned();
    assert!(first(&a).contains(" cours sur ") && first(&a).contains("\u{a0}%)"), "{a}");
    let en = app.get("/api/v1/advice?lang=en", &token).await.json();
    assert!(first(&en).contains(" courses (") && first(&en).contains("%) earned an attestation"), "{en}");
    assert_eq!((en["register"].clone(), en["framing"].clone()), (a["register"].clone(), a["framing"].clone()));
    let r = app.get("/api/v1/advice?lang=de", &token).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::UNPROCESSABLE_ENTITY, "lang".to_owned()));
}

/// Every word's box from `pdftotext -bbox`: (page width, page height, xMin, yMin, xMax, yMax).
fn word_boxes(pdf: &Path) -> Vec<[f64; 6]> {
    let html = poppler("pdftotext", &["-bbox", pdf.to_str().expect("path"), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        tag[start..].split('"').next().expect("value").parse().expect("number")
    };
    let mut page = (0.0, 0.0);
    let mut out = Vec::new();
    for tag in html.split('<') {
        if tag.starts_with("page ") {
            page = (attr(tag, "width"), attr(tag, "height"));
        } else if tag.starts_with("word ") {
            out.push([page.0, page.1, attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax")]);
        }
    }
    out
}

#[test]
fn long_values_wrap_inside_the_margins() {
    let long_word = "Supercalifragilisticexpialidocious".repeat(5);
    let mut doc = fixture_json("doc24.json");
    doc["learner"]["name"] = json!("Marie-Élisabeth de La Tour d’Auvergne-Lauraguais Saint-Exupéry");
    doc["learner"]["headline"] =
        json!("Ingénieure pédagogique — formation à distance, « MOOC », évaluation ".repeat(3).trim());
    doc["courses"][0]["title"] =
        json!(format!("{} {long_word} fin", "Un titre très long qui ne tient pas sur une ligne".repeat(2)));
    doc["courses"][0]["institution"] =
        json!("Conservatoire national des arts et métiers, École d’ingénieurs et Institut d’études");
    doc["courses"][0]["attestation"]["credential_id"] = json!("ID-".to_owned() + &"0123456789ABCDEF".repeat(6));
    doc["courses"][0]["attestation"]["url"] =
        json!(format!("https://verify.example.org/{}", "abcdef0123456789".repeat(8)));
    doc["courses"][1].as_object_mut().expect("course").retain(|k, _| k == "title");
    for args in
        [&["--framing", "appetite"][..], &["--framing", "legitimacy", "--field", "management", "--include-uncertified"]]
    {
        let run = render(&doc, args);
        let text = ok(&run);
        assert!(text.contains("Supercalifragilistic"), "{args:?}");
        let boxes = word_boxes(&run.pdf());
        assert!(boxes.len() > 100);
        // 6 mm = 17 pt from every edge, and nothing beyond the page.
        for [w, h, x0, y0, x1, y1] in boxes {
            assert!(
                x0 >= 17.0 && y0 >= 17.0 && x1 <= w - 17.0 && y1 <= h - 17.0,
                "{args:?}: word at {x0},{y0}–{x1},{y1}"
            );
        }
    }
}

/// A word as `pdftotext -bbox` places it, in points from the page's top-left corner.
#[derive(Debug)]
pub(crate) struct Word {
    page: usize,
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn attr(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
    tag[start..].split('"').next().unwrap().parse().expect("number")
}

/// Every word of every page with its box (poppler's `-bbox` XHTML).
pub(crate) fn words_of(pdf: &Path) -> (Vec<Word>, f64, f64) {
    let xhtml = poppler("pdftotext", &["-bbox", pdf.to_str().expect("path"), "-"]);
    let (mut words, mut page, mut size) = (Vec::new(), 0, (0.0, 0.0));
    for line in xhtml.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            size = (attr(line, "width"), attr(line, "height"));
        } else if line.starts_with("<word ") {
            let text = line.split('>').nth(1).unwrap_or("").trim_end_matches("</word").to_owned();
            let (x0, y0, x1, y1) = (attr(line, "xMin"), attr(line, "yMin"), attr(line, "xMax"), attr(line, "yMax"));
            words.push(Word { page, text, x0, y0, x1, y1 });
        }
    }
    (words, size.0, size.1)
}

/// Issue 10, point 7: whatever the input length, every word stays inside the page margins and
/// no two words overlap (a 110-character name used to run into the footer's verification code).
#[tokio::test]
async fn every_line_stays_in_its_box_whatever_the_input_length() {
    let app = TestApp::new();
    let token = app.learner("long@example.org").await;
    // `longest.json`: the longest values the document accepts, unbroken where a value can be.
    let r = app.post("/api/v1/import", &token, &fixture_json("longest.json")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    for (query, name) in [
        ("framing=appetite", "appetite"),
        ("framing=legitimacy&field=data&include_uncertified=true", "legitimacy"),
        ("framing=appetite&lang=en", "appetite-en"),
    ] {
        let pdf = app.get(&format!("/api/v1/portfolio.pdf?{query}"), &token).await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf.body).unwrap();
        assert!(words_of(&path).0.len() > 100, "{name}");
        assert_laid_out(name, &path);
    }
}

/// Issue 11: the tallest bar of the regularity chart carries its count like the others (it
/// used to be left without one, its count printed as a scale in the corner).
#[test]
fn every_bar_of_the_chart_carries_its_count() {
    let mut courses: Vec<Value> =
        (0..4).map(|i| json!({"title": format!("Course {i}"), "started_on": "2019-03-01"})).collect();
    courses.push(json!({"title": "Later", "started_on": "2023-03-01"}));
    let doc = json!({"certfolio": 1, "learner": {"name": "A", "lang": "en"}, "courses": courses});
    let run = render(&doc, &["--framing", "appetite"]);
    ok(&run);
    let (words, _, _) = words_of(&run.pdf());
    // Each count stands over its own bar: 2019 is the first of five yearly slots across the
    // 170 mm text width, 2023 the last (centres at 37 mm and 173 mm from the page's edge).
    let mm = |v: f64| v * 72.0 / 25.4;
    let over = |count: &str, centre: f64| {
        words.iter().any(|w| w.page == 1 && w.text == count && ((w.x0 + w.x1) / 2.0 - mm(centre)).abs() < 3.0)
    };
    assert!(over("4", 37.0), "the tallest bar (2019) carries its count");
    assert!(over("1", 173.0), "the 2023 bar carries its count");
}

/// Every word inside the page margins and no two words overlapping (what a hostile length
/// would break first).
pub(crate) fn assert_laid_out(name: &str, path: &Path) {
    let (words, width, height) = words_of(path);
    // 20 mm margins, less half a millimetre of rounding.
    let margin = 20.0 / 25.4 * 72.0 - 1.5;
    for w in &words {
        assert!(
            w.x0 >= margin && w.x1 <= width - margin && w.y0 >= 0.0 && w.y1 <= height,
            "{name}: `{}` on page {} leaves the text area: {w:?}",
            w.text.chars().take(40).collect::<String>(),
            w.page
        );
    }
    for (i, a) in words.iter().enumerate() {
        for b in words[i + 1..].iter().filter(|b| b.page == a.page) {
            let across = a.x1.min(b.x1) - a.x0.max(b.x0);
            let down = a.y1.min(b.y1) - a.y0.max(b.y0);
            let smaller = (a.y1 - a.y0).min(b.y1 - b.y0);
            assert!(
                !(across > 1.0 && down > smaller * 0.5),
                "{name}: words overlap on page {}: {a:?} and {b:?}",
                a.page
            );
        }
    }
}
