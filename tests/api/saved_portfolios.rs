//! The learner shapes each portfolio (issue 12): saved portfolios with included, excluded,
//! pinned and ordered courses and a statement of their own; skills on courses; bulk edits.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp, fixture_json, import_raw, real};

fn norm(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pdf_text(bytes: &[u8]) -> String {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    norm(&crate::pdf::text_of(file.path()))
}

/// The PDF's text without what differs between two issues of it (its verification code).
fn without_codes(text: &str) -> String {
    regex::Regex::new(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}").unwrap().replace_all(text, "CODE").into_owned()
}

fn page_text(html: &str) -> String {
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    let text = tags.replace_all(html, " ");
    norm(
        &text
            .replace("&#39;", "'")
            .replace("&#38;", "&")
            .replace("&#34;", "\"")
            .replace("&#60;", "<")
            .replace("&#62;", ">"),
    )
}

async fn courses(app: &TestApp, token: &str) -> Vec<Value> {
    app.get("/api/v1/courses", token).await.json()["courses"].as_array().unwrap().clone()
}

fn id_of(courses: &[Value], title: &str) -> String {
    courses.iter().find(|c| c["title"] == title).unwrap_or_else(|| panic!("{title}"))["id"].as_str().unwrap().to_owned()
}

/// Titles of a presented portfolio's entries, in reading order.
fn entry_titles(p: &Value) -> Vec<String> {
    p["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["groups"].as_array().unwrap())
        .flat_map(|g| g["entries"].as_array().unwrap())
        .map(|e| e["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_saved_portfolio_pins_excludes_and_travels_with_the_record() {
    let app = TestApp::new();
    let token = app.learner("shaper@example.org").await;
    assert_eq!(app.post("/api/v1/import", &token, &fixture_json("doc24.json")).await.status, StatusCode::CREATED);
    let all = courses(&app, &token).await;
    let titles: Vec<String> = all.iter().map(|c| c["title"].as_str().unwrap().to_owned()).collect();
    // Titles no other title contains, so that finding one in a text finds that course.
    let unique: Vec<&String> =
        titles.iter().filter(|t| titles.iter().filter(|o| o.contains(t.as_str())).count() == 1).collect();
    let (excluded, first, second) = (unique[0], unique[6], unique[3]);
    let statement = "J’ai appris le soir, <b>seule</b>, pour changer de métier.";
    let body = json!({"name": "Data analyst — Acme", "framing": "appetite", "lang": "fr",
        "exclude": [id_of(&all, excluded)], "pinned": [id_of(&all, first), id_of(&all, second)],
        "statement": statement});
    let r = app.post("/api/v1/portfolios", &token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let saved = r.json();
    let id = saved["id"].as_str().unwrap();
    assert_eq!(app.post("/api/v1/portfolios", &token, &body).await.status, StatusCode::CONFLICT, "one name once");

    // The presentation: pinned first (their own section), the excluded course nowhere.
    let p = app.get(&format!("/api/v1/portfolios/{id}/portfolio"), &token).await.json();
    let shown = entry_titles(&p);
    assert_eq!(&shown[..2], [first.clone(), second.clone()], "{shown:?}");
    assert_eq!(p["sections"][0]["id"], "pinned");
    assert!(!shown.contains(excluded), "{shown:?}");
    assert_eq!(shown.iter().filter(|t| *t == first).count(), 1, "a pinned course is shown once");
    assert_eq!(p["statement"]["label"], "En mes mots");
    assert_eq!(p["statement"]["text"], statement);
    assert_eq!(p["figures"][0]["value"].as_f64(), Some(23.0), "the figures count what is shown: {}", p["figures"][0]);

    // The PDF and the recruiter page say the same.
    let pdf = app.get(&format!("/api/v1/portfolios/{id}/portfolio.pdf"), &token).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    let text = pdf_text(&pdf.body);
    let at = |t: &str| text.find(&norm(t)).unwrap_or_else(|| panic!("the PDF lacks {t}"));
    assert!(at("À retenir en priorité") < at(first) && at(first) < at(second), "pinned first in the PDF");
    assert!(!text.contains(&norm(excluded)), "the excluded course is not in the PDF");
    assert!(text.contains("En mes mots") && text.contains(&norm(statement)), "{text}");
    let link = app.post("/api/v1/shares", &token, &json!({"portfolio": id})).await;
    assert_eq!(link.status, StatusCode::CREATED, "{}", link.text());
    assert_eq!(link.json()["portfolio"]["name"], "Data analyst — Acme");
    let page_path = format!("/s/{}", link.json()["token"].as_str().unwrap());
    let html = app.call(Method::GET, &page_path, Auth::None, None).await.text();
    let escaped = html.contains("&lt;b&gt;seule") || html.contains("&#60;b&#62;seule");
    assert!(escaped && !html.contains("<b>seule"), "the statement is escaped");
    let page = page_text(&html);
    let at = |t: &str| page.find(&norm(t)).unwrap_or_else(|| panic!("the page lacks {t}"));
    let later = unique.iter().find(|t| ![excluded, first, second].contains(t)).unwrap();
    assert!(at(first) < at(second) && at(second) < at(later), "pinned first on the page");
    assert!(!page.contains(&format!(" {} ", norm(excluded))), "not on the page either");
    assert!(page.contains("En mes mots") && page.contains("tel qu’il a été composé le"), "{page}");

    // A link that does not follow keeps the portfolio as saved; one that follows changes with it.
    let follows = app.post("/api/v1/shares", &token, &json!({"portfolio": id, "follow": true})).await.json();
    let follows_path = format!("/s/{}", follows["token"].as_str().unwrap());
    let mut edited = body.clone();
    edited["pinned"] = json!([id_of(&all, second)]);
    assert_eq!(app.put(&format!("/api/v1/portfolios/{id}"), &token, &edited).await.status, StatusCode::OK);
    let snapshot = page_text(&app.call(Method::GET, &page_path, Auth::None, None).await.text());
    let live = page_text(&app.call(Method::GET, &follows_path, Auth::None, None).await.text());
    let first_entry = |page: &str| {
        let start = page.find("À retenir en priorité").unwrap();
        let a = page[start..].find(&norm(first)).unwrap_or(usize::MAX);
        let b = page[start..].find(&norm(second)).unwrap_or(usize::MAX);
        a < b
    };
    assert!(first_entry(&snapshot), "the snapshot link still puts {first} first");
    assert!(!first_entry(&live), "the following link shows the edit at once");
    assert!(live.contains("suit les mises à jour"), "{live}");

    // Export, import into another account: the same portfolio, the same PDF text.
    let doc = app.get("/api/v1/export", &token).await.json();
    assert_eq!(doc["portfolios"][0]["name"], "Data analyst — Acme");
    let place = titles.iter().position(|t| t == excluded).unwrap();
    assert_eq!(doc["portfolios"][0]["exclude"], json!([place]), "courses by their place in the document");
    let other = app.learner("other@example.org").await;
    assert_eq!(app.post("/api/v1/import", &other, &doc).await.status, StatusCode::CREATED);
    let theirs = app.get("/api/v1/portfolios", &other).await.json();
    let their_id = theirs["portfolios"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/export", &other).await.json()["portfolios"], doc["portfolios"]);
    let again = app.get(&format!("/api/v1/portfolios/{id}/portfolio.pdf"), &token).await;
    let theirs_pdf = app.get(&format!("/api/v1/portfolios/{their_id}/portfolio.pdf"), &other).await;
    assert_eq!(without_codes(&pdf_text(&theirs_pdf.body)), without_codes(&pdf_text(&again.body)));
    // The offline renderer reads the same saved portfolio from the exported file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_certfolio"))
        .args(["render", path.to_str().unwrap(), "--portfolio", "Data analyst — Acme", "-o"])
        .arg(dir.path().join("p.pdf"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let offline = pdf_text(&std::fs::read(dir.path().join("p.pdf")).unwrap());
    assert!(offline.contains(&norm(second)) && !offline.contains(&norm(excluded)), "{offline}");
}

#[tokio::test]
async fn a_statement_at_its_longest_is_laid_out_in_both_languages() {
    let app = TestApp::new();
    let token = app.learner("words@example.org").await;
    assert_eq!(app.post("/api/v1/import", &token, &fixture_json("doc24.json")).await.status, StatusCode::CREATED);
    let statement: String = "Unbrokenwordwithoutanyspace".chars().cycle().take(300).collect::<String>()
        + " "
        + "mot ".repeat(74).trim_end();
    assert_eq!(statement.chars().count(), 596);
    let body = json!({"name": "Long", "framing": "appetite", "statement": statement});
    let id = app.post("/api/v1/portfolios", &token, &body).await.json()["id"].as_str().unwrap().to_owned();
    for (lang, label) in [("fr", "En mes mots"), ("en", "In my words")] {
        let pdf = app.get(&format!("/api/v1/portfolios/{id}/portfolio.pdf?lang={lang}"), &token).await;
        assert_eq!(pdf.status, StatusCode::OK);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.pdf");
        std::fs::write(&path, &pdf.body).unwrap();
        assert!(pdf_text(&pdf.body).contains(label), "{lang}");
        crate::pdf::assert_laid_out(&format!("statement {lang}"), &path);
    }
    let too_long = json!({"name": "Longer", "framing": "appetite", "statement": "x".repeat(601)});
    let r = app.post("/api/v1/portfolios", &token, &too_long).await;
    assert_eq!((r.status, r.error_field().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "statement"));
}

#[tokio::test]
async fn skills_of_a_real_open_badges_3_file_show_on_the_page_and_in_the_pdf() {
    let app = TestApp::new();
    let token = app.learner("student@1edtech.edu").await;
    let r = import_raw(&app, &token, "application/json", real("openbadges3/ob3_complete.json")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let c = &courses(&app, &token).await[0];
    let skills: Vec<&str> =
        c["skills"].as_array().unwrap().iter().map(|s| s.as_str().or(s["name"].as_str()).unwrap()).collect();
    assert_eq!(skills, ["1EdTech University Degree", "research", "computer science"], "{c}");
    let link = app.post("/api/v1/shares", &token, &json!({"framing": "appetite", "lang": "en"})).await.json();
    let page = page_text(
        &app.call(Method::GET, &format!("/s/{}", link["token"].as_str().unwrap()), Auth::None, None).await.text(),
    );
    assert!(page.contains("Skills research computer science") || page.contains("research computer science"), "{page}");
    let pdf = pdf_text(&app.get("/api/v1/portfolio.pdf?framing=appetite&lang=en", &token).await.body);
    assert!(pdf.contains("Skills: 1EdTech University Degree · research · computer science"), "{pdf}");
    // A theme named like a skill selects the course.
    let p = app.get("/api/v1/portfolio?framing=legitimacy&theme=research", &token).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    assert_eq!(entry_titles(&p.json()), ["1EdTech University Degree"]);
    // Skills travel in the exports: JSON Resume `skills`, CSV `skills`.
    let resume = app.get("/api/v1/export?format=jsonresume", &token).await.json();
    let names: Vec<&str> = resume["skills"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"research") && names.contains(&"computer science"), "{resume}");
    let csv = app.get("/api/v1/export?format=csv", &token).await.text();
    assert!(csv.lines().next().unwrap().contains(",skills,"), "{csv}");
}

#[tokio::test]
async fn one_bulk_edit_files_22_linkedin_courses_under_one_field() {
    let app = TestApp::new();
    let token = app.learner("dinesh@example.org").await;
    let r = import_raw(&app, &token, "text/csv", real("linkedin/Certifications.dineshbarri.csv")).await;
    assert_eq!(r.json()["created"], 22);
    // A course typed by hand beside them: the import's courses are told apart by their import.
    let by_hand = json!({"title": "Typed by hand", "field": "cooking"});
    assert_eq!(app.post("/api/v1/courses", &token, &by_hand).await.status, StatusCode::CREATED);
    let imports = app.get("/api/v1/imports", &token).await.json();
    assert_eq!(
        (imports["count"].as_u64(), imports["imports"][0]["format"].as_str()),
        (Some(1), Some("LinkedIn Certifications.csv"))
    );
    assert_eq!(imports["imports"][0]["created"], 22);
    let import = imports["imports"][0]["id"].clone();
    let ids: Vec<Value> =
        courses(&app, &token).await.iter().filter(|c| c["import_id"] == import).map(|c| c["id"].clone()).collect();
    assert_eq!(ids.len(), 22, "all the import's courses in one selection");
    let r = app.post("/api/v1/courses/bulk", &token, &json!({"ids": ids, "set": {"field": "data"}})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({"changed": 22, "unchanged": 0}));
    let p = app.get("/api/v1/portfolio?framing=legitimacy&field=data", &token).await.json();
    assert_eq!(entry_titles(&p).len(), 22, "every course in the field");
    // Again: nothing changes. A bad value changes nothing at all.
    let r = app.post("/api/v1/courses/bulk", &token, &json!({"ids": ids, "set": {"field": "data"}})).await;
    assert_eq!(r.json(), json!({"changed": 0, "unchanged": 22}));
    let long = "x".repeat(101);
    let r = app.post("/api/v1/courses/bulk", &token, &json!({"ids": ids, "set": {"field": long}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_field().ends_with("set.field"), "{}", r.text());
    let mut one_unknown = ids.clone();
    one_unknown.push(json!(uuid::Uuid::new_v4()));
    let r = app.post("/api/v1/courses/bulk", &token, &json!({"ids": one_unknown, "set": {"field": "other"}})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        entry_titles(&app.get("/api/v1/portfolio?framing=legitimacy&field=data", &token).await.json()).len(),
        22,
        "all or nothing"
    );
}

#[tokio::test]
async fn a_link_can_get_a_new_expiry_and_a_lost_one_is_replaced_in_one_step() {
    let app = TestApp::new();
    let token = app.learner("sharer@example.org").await;
    assert_eq!(app.post("/api/v1/import", &token, &fixture_json("doc24.json")).await.status, StatusCode::CREATED);
    let body =
        json!({"framing": "legitimacy", "field": "computing", "label": "Acme", "expires_at": "2027-03-01T00:00:00Z"});
    let made = app.post("/api/v1/shares", &token, &body).await.json();
    let id = made["id"].as_str().unwrap();
    let old_path = format!("/s/{}", made["token"].as_str().unwrap());
    let call = |method: Method, path: String, body: Option<Value>| {
        let app = &app;
        let token = token.clone();
        async move { app.call(method, &path, Auth::Bearer(&token), body.as_ref()).await }
    };
    let r =
        call(Method::PATCH, format!("/api/v1/shares/{id}"), Some(json!({"expires_at": "2027-09-01T00:00:00Z"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["expires_at"], "2027-09-01T00:00:00Z");
    let r =
        call(Method::PATCH, format!("/api/v1/shares/{id}"), Some(json!({"expires_at": "2020-01-01T00:00:00Z"}))).await;
    assert_eq!((r.status, r.error_field().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "expires_at"));
    let r = call(Method::PATCH, format!("/api/v1/shares/{id}"), Some(json!({"expires_at": null}))).await;
    assert!(r.json().get("expires_at").is_none(), "never expires now");
    // Replace: a new URL for the same portfolio; the old URL answers 404 at once.
    let r = call(Method::POST, format!("/api/v1/shares/{id}/replace"), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let new = r.json();
    assert_ne!(new["token"], made["token"]);
    assert_eq!((new["label"].as_str(), new["field"].as_str()), (Some("Acme"), Some("computing")));
    assert_eq!(app.call(Method::GET, &old_path, Auth::None, None).await.status, StatusCode::NOT_FOUND);
    let new_path = format!("/s/{}", new["token"].as_str().unwrap());
    assert_eq!(app.call(Method::GET, &new_path, Auth::None, None).await.status, StatusCode::OK);
    // A revoked link is not replaced again, and another learner's link is not theirs to touch.
    let r = call(Method::POST, format!("/api/v1/shares/{id}/replace"), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let other = app.learner("other@example.org").await;
    let new_id = new["id"].as_str().unwrap();
    let r = app.call(Method::POST, &format!("/api/v1/shares/{new_id}/replace"), Auth::Bearer(&other), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_recruiter_page_is_sent_without_indentation_and_keeps_the_statement_s_lines() {
    let app = TestApp::new();
    let token = app.learner("lines@example.org").await;
    assert_eq!(app.post("/api/v1/import", &token, &fixture_json("doc24.json")).await.status, StatusCode::CREATED);
    // Shown under `white-space: pre-line`: its line breaks (the empty line too) are the
    // learner's and must reach the page; the spaces that open its third line render as none.
    let statement = "Première ligne.\n\nDeuxième paragraphe,\n   suite du deuxième.";
    let body = json!({"name": "Lignes", "framing": "appetite", "lang": "fr", "statement": statement});
    let r = app.post("/api/v1/portfolios", &token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let link = app.post("/api/v1/shares", &token, &json!({"portfolio": r.json()["id"]})).await;
    assert_eq!(link.status, StatusCode::CREATED, "{}", link.text());
    let page_path = format!("/s/{}", link.json()["token"].as_str().unwrap());
    let html = app.call(Method::GET, &page_path, Auth::None, None).await.text();
    assert!(html.contains("Première ligne.\n\nDeuxième paragraphe,\nsuite du deuxième."), "{html}");
    // No line of the page starts with indentation (the page has no `pre` or `textarea`).
    let indented = html.lines().filter(|l| l.starts_with([' ', '\t'])).count();
    assert_eq!(indented, 0, "{html}");
    // Words keep their gaps.
    assert!(page_text(&html).contains("Première ligne. Deuxième paragraphe, suite du deuxième."));
}
