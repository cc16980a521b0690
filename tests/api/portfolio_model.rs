//! One portfolio model (issue 11): the PDF, the recruiter's page, the builder's preview and
//! `GET /api/v1/portfolio` say the same things, and every figure can be recomputed from the
//! courses it names. The recomputations here are written from the README's rules, not by
//! calling the service's code.

use std::collections::{BTreeSet, HashMap};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, import_raw, real};

/// Whitespace runs as one space, no-break spaces as spaces, HTML's few entities decoded.
fn norm(text: &str) -> String {
    let t = text
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The visible text of an HTML page: tags dropped.
fn page_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    norm(&out)
}

fn pdf_text(bytes: &[u8]) -> String {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    norm(&crate::pdf::text_of(file.path()))
}

/// The 22-row LinkedIn export (a real file) and one course typed by hand.
async fn linkedin_and_one_by_hand(app: &TestApp) -> String {
    let token = app.learner("dinesh@example.org").await;
    let r = import_raw(app, &token, "text/csv", real("linkedin/Certifications.dineshbarri.csv")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["created"], 22);
    let course = json!({"title": "Statistiques descriptives", "field": "data", "themes": ["statistics"],
        "institution": "Université de Lorraine", "platform": "FUN-MOOC", "started_on": "2024-02-01",
        "finished_on": "2024-04-15", "hours": 20, "outcome": "completed", "prior_mastery": false,
        "attestation": {"kind": "completion", "issued_on": "2024-04-20"}});
    assert_eq!(app.post("/api/v1/courses", &token, &course).await.status, StatusCode::CREATED);
    token
}

/// Cases of the comparison: (framing query, builder scope).
const CASES: [(&str, &str); 2] = [
    ("framing=appetite", "framing=appetite&scope="),
    ("framing=legitimacy&field=data", "framing=legitimacy&scope=field:data"),
];

#[tokio::test]
async fn the_pdf_the_page_the_preview_and_the_json_say_the_same_things() {
    let app = TestApp::new();
    let token = linkedin_and_one_by_hand(&app).await;
    for lang in ["fr", "en"] {
        for (query, builder) in CASES {
            let what = format!("{query} lang={lang}");
            let json = app.get(&format!("/api/v1/portfolio?{query}&lang={lang}"), &token).await;
            assert_eq!(json.status, StatusCode::OK, "{what}: {}", json.text());
            let p = json.json();
            let pdf = app.get(&format!("/api/v1/portfolio.pdf?{query}&lang={lang}"), &token).await;
            assert_eq!(pdf.status, StatusCode::OK, "{what}");
            let pdf = pdf_text(&pdf.body);
            let mut share_body = json!({"lang": lang});
            for pair in query.split('&') {
                let (k, v) = pair.split_once('=').unwrap();
                share_body[k] = json!(v);
            }
            let link = app.post("/api/v1/shares", &token, &share_body).await;
            assert_eq!(link.status, StatusCode::CREATED, "{what}: {}", link.text());
            let path = format!("/s/{}", link.json()["token"].as_str().unwrap());
            let page =
                page_text(&app.call(axum::http::Method::GET, &path, crate::helpers::Auth::None, None).await.text());
            let preview = crate::pages::page(&app, &format!("/portfolio?{builder}&lang={lang}"), Some(&token)).await;
            assert_eq!(preview.status, StatusCode::OK, "{what}");
            let preview = page_text(&preview.text());

            let mut said =
                vec![p["heading"].as_str().unwrap().to_owned(), p["claims"]["sentence"].as_str().unwrap().to_owned()];
            said.extend(p["cover"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()));
            for f in p["figures"].as_array().unwrap() {
                said.push(f["text"].as_str().unwrap().to_owned());
                said.push(f["label"].as_str().unwrap().to_owned());
            }
            for e in p["sections"].as_array().unwrap().iter().flat_map(|s| s["groups"].as_array().unwrap()) {
                for entry in e["entries"].as_array().unwrap() {
                    said.push(entry["title"].as_str().unwrap().to_owned());
                    said.push(entry["level"]["label"].as_str().unwrap().to_owned());
                }
            }
            assert!(said.len() > 10, "{what}: {p}");
            for text in said {
                let text = norm(&text);
                assert!(pdf.contains(&text), "{what}: the PDF lacks `{text}`:\n{pdf}");
                assert!(page.contains(&text), "{what}: the page lacks `{text}`:\n{page}");
                assert!(preview.contains(&text), "{what}: the preview lacks `{text}`:\n{preview}");
            }
        }
    }
}

/// Courses as `GET /api/v1/courses` lists them, by id.
async fn courses_by_id(app: &TestApp, token: &str) -> HashMap<String, Value> {
    let r = app.get("/api/v1/courses", token).await;
    // The course view is the record with its id, level and dates beside it (flattened).
    r.json()["courses"].as_array().unwrap().iter().map(|c| (c["id"].as_str().unwrap().to_owned(), c.clone())).collect()
}

/// When a course happened, by the README's one rule: start, else end, else the issue date.
fn year_of(c: &Value) -> Option<i64> {
    let d = c["started_on"].as_str().or(c["finished_on"].as_str()).or(c["attestation"]["issued_on"].as_str())?;
    d[..4].parse().ok()
}

fn key(name: &str) -> String {
    name.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Recomputes each figure of `p` from the courses it names, and checks it names only courses
/// the portfolio shows.
fn recompute(p: &Value, courses: &HashMap<String, Value>, what: &str) {
    let shown: BTreeSet<String> = p["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["groups"].as_array().unwrap())
        .flat_map(|g| g["entries"].as_array().unwrap())
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    let appetite = p["framing"] == "appetite";
    let certified_shown = shown.iter().filter(|id| courses[*id].get("attestation").is_some()).count();
    for f in p["figures"].as_array().unwrap() {
        let figure = f["key"].as_str().unwrap();
        let ids: Vec<String> =
            f["courses"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        let of: Vec<&Value> = ids.iter().map(|id| &courses[id]).collect();
        let value = f["value"].as_f64().unwrap();
        let (known, over) =
            (f["coverage"]["known"].as_u64().unwrap() as usize, f["coverage"]["of"].as_u64().unwrap() as usize);
        for id in &ids {
            assert!(shown.contains(id), "{what}: {figure} names a course the portfolio does not show");
        }
        let expected = match figure {
            "courses" => {
                assert_eq!(ids.len(), shown.len(), "{what}: every course shown");
                ids.len() as f64
            }
            "certificates" => {
                assert!(of.iter().all(|c| c.get("attestation").is_some()), "{what}");
                assert_eq!(ids.len(), certified_shown, "{what}");
                ids.len() as f64
            }
            "hours" => {
                assert!(of.iter().all(|c| c["hours"].is_number()), "{what}: hours only from courses that declare them");
                assert_eq!(known, ids.len(), "{what}");
                assert_eq!(over, if appetite { shown.len() } else { certified_shown }, "{what}");
                assert!(known * 2 >= over, "{what}: a total over fewer than half the courses is not shown");
                of.iter().map(|c| c["hours"].as_f64().unwrap()).sum()
            }
            "continuous_years" => {
                let years: BTreeSet<i64> = shown.iter().filter_map(|id| year_of(&courses[id])).collect();
                let last = *years.iter().max().unwrap();
                let run = (0..).take_while(|k| years.contains(&(last - k))).count();
                assert!(of.iter().all(|c| year_of(c).is_some_and(|y| y > last - run as i64)), "{what}");
                run as f64
            }
            "completion" => {
                assert!(of.iter().all(|c| c["outcome"].is_string() && c["outcome"] != "in_progress"), "{what}");
                let completed = of.iter().filter(|c| c["outcome"] == "completed").count();
                completed as f64 / of.len() as f64
            }
            "institutions" => {
                let names: BTreeSet<String> = of.iter().map(|c| key(c["institution"].as_str().unwrap())).collect();
                names.len() as f64
            }
            "ects" => of.iter().map(|c| c["attestation"]["ects"].as_f64().unwrap()).sum(),
            "prior_mastery" => {
                assert!(of.iter().all(|c| c["prior_mastery"] == true), "{what}");
                ids.len() as f64
            }
            "new_skills" => {
                assert!(of.iter().all(|c| c["prior_mastery"] == false), "{what}: only where it is known");
                ids.len() as f64
            }
            other => panic!("{what}: unknown figure {other}"),
        };
        assert!((value - expected).abs() < 1e-9, "{what}: {figure} is {value}, its courses give {expected}");
    }
}

/// Records with little in them: no hours, only issue dates, no fields, hours for 1 course of 24.
fn sparse_records() -> Vec<(&'static str, Value)> {
    let linkedin_like = (0..6)
        .map(|i| {
            json!({"title": format!("Cert {i}"), "institution": "Google",
                        "attestation": {"issued_on": format!("202{}-03-01", i % 4)}})
        })
        .collect::<Vec<_>>();
    let mut one_hour = linkedin_like.clone();
    for i in 0..18 {
        one_hour.push(json!({"title": format!("Course {i}"), "field": "data", "outcome": if i % 3 == 0 { "audited" } else { "completed" }}));
    }
    one_hour[0]["hours"] = json!(60);
    vec![
        (
            "no hours",
            json!([{"title": "A", "field": "data", "started_on": "2020-01-01", "attestation": {"kind": "badge"}},
                             {"title": "B", "field": "data", "started_on": "2021-01-01", "outcome": "audited"}]),
        ),
        ("issue dates only", Value::Array(linkedin_like)),
        (
            "no fields",
            json!([{"title": "A", "themes": ["python"], "hours": 10, "attestation": {"ects": 2, "issued_on": "2022-01-01"}, "prior_mastery": true},
                              {"title": "B", "themes": ["python"], "hours": 5, "outcome": "completed", "started_on": "2023-06-01"}]),
        ),
        ("hours for 1 of 24", Value::Array(one_hour)),
    ]
}

#[tokio::test]
async fn every_figure_recomputes_from_the_courses_it_names() {
    let app = TestApp::new();
    let mut records = vec![("linkedin + hand", None)];
    records.extend(sparse_records().into_iter().map(|(n, c)| (n, Some(c))));
    for (i, (name, courses)) in records.into_iter().enumerate() {
        let token = match courses {
            None => linkedin_and_one_by_hand(&app).await,
            Some(courses) => {
                let token = app.learner(&format!("sparse{i}@example.org")).await;
                let doc = json!({"certfolio": 1, "learner": {"name": "Sam"}, "courses": courses});
                assert_eq!(app.post("/api/v1/import", &token, &doc).await.status, StatusCode::CREATED, "{name}");
                token
            }
        };
        let by_id = courses_by_id(&app, &token).await;
        let mut queries = vec!["framing=appetite".to_owned()];
        let fields: BTreeSet<&str> = by_id.values().filter_map(|c| c["field"].as_str()).collect();
        let themes: BTreeSet<&str> = by_id
            .values()
            .flat_map(|c| c["themes"].as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        queries.extend(fields.iter().map(|f| format!("framing=legitimacy&field={f}&include_uncertified=true")));
        queries.extend(themes.iter().map(|t| format!("framing=legitimacy&theme={t}")));
        for lang in ["fr", "en"] {
            for q in &queries {
                let r = app.get(&format!("/api/v1/portfolio?{q}&lang={lang}"), &token).await;
                assert_eq!(r.status, StatusCode::OK, "{name} {q}: {}", r.text());
                let p = r.json();
                recompute(&p, &by_id, &format!("{name}, {q}, {lang}"));
                // The cover never totals hours the figures do not show.
                let has_hours = p["figures"].as_array().unwrap().iter().any(|f| f["key"] == "hours");
                let cover = norm(
                    &p["cover"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect::<Vec<_>>().join(" "),
                );
                assert_eq!(cover.contains(" h "), has_hours, "{name} {q}: {cover}");
            }
        }
        // A record without fields has no legitimacy-in-a-field portfolio: a 422 naming the input.
        if fields.is_empty() {
            let r = app.get("/api/v1/portfolio?framing=legitimacy&field=data", &token).await;
            assert_eq!((r.status, r.error_field().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "field"), "{name}");
        }
    }
}

#[tokio::test]
async fn the_sparse_record_reads_honestly_in_the_pdf() {
    let app = TestApp::new();
    let token = app.learner("sparse@example.org").await;
    let (_, courses) = sparse_records().remove(3);
    let doc = json!({"certfolio": 1, "learner": {"name": "Sam"}, "courses": courses});
    assert_eq!(app.post("/api/v1/import", &token, &doc).await.status, StatusCode::CREATED);
    let pdf = pdf_text(&app.get("/api/v1/portfolio.pdf?framing=appetite&lang=en", &token).await.body);
    // 1 of 24 courses declares hours: no total (the course's own 60 h stays in its entry).
    assert!(!pdf.contains("of study"), "{pdf}");
    assert!(pdf.contains("Sam has taken 24 online courses between 2020 and 2023, 6 of them certified."), "{pdf}");
    // 18 of the 24 have an outcome: the rate says over how many.
    assert!(pdf.contains("67% of courses completed (of 18 with a known outcome)"), "{pdf}");
    assert!(pdf.contains("They span at least 1 field and at least 1 institution."), "{pdf}");
    assert!(pdf.contains("1 field at least") && !pdf.contains("1 fields"), "{pdf}");
    // 18 courses have no date at all: the chart says its bars cover the other 6.
    assert!(pdf.contains("courses per year, by field; 6 of the 24 courses are dated"), "{pdf}");
    let fr = pdf_text(&app.get("/api/v1/portfolio.pdf?framing=appetite&lang=fr", &token).await.body);
    assert!(
        fr.contains("Sam a suivi 24 cours en ligne entre 2020 et 2023, dont 6 sanctionnés par une attestation."),
        "{fr}"
    );
    assert!(fr.contains("cours par année, par domaine ; 6 cours datés sur 24"), "{fr}");
}

#[tokio::test]
async fn an_expired_certificate_is_marked_everywhere_and_left_out_of_legitimacy_unless_included() {
    let app = TestApp::new();
    let token = app.learner("aws@example.org").await;
    // START is 2027-01-15: this certification expired two years earlier.
    let doc = json!({"certfolio": 1, "learner": {"name": "Dinesh", "lang": "en"}, "courses": [
        {"title": "AWS Certified Cloud Practitioner", "field": "cloud", "institution": "Amazon Web Services",
         "attestation": {"kind": "verified_certificate", "issued_on": "2022-01-10", "expires_on": "2025-01-10"}},
        {"title": "Kubernetes Basics", "field": "cloud", "institution": "Linux Foundation",
         "attestation": {"kind": "completion", "issued_on": "2026-06-01", "expires_on": "2029-06-01"}}
    ]});
    assert_eq!(app.post("/api/v1/import", &token, &doc).await.status, StatusCode::CREATED);
    let mark = "expired on 10 January 2025";
    let p = app.get("/api/v1/portfolio?framing=appetite", &token).await.json();
    let marks: Vec<&Value> = p["sections"][0]["groups"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["marks"].as_array().into_iter().flatten())
        .collect();
    assert_eq!(marks.len(), 1, "{p}");
    assert_eq!((marks[0]["code"].as_str(), marks[0]["text"].as_str()), (Some("expired"), Some(mark)));
    let pdf = pdf_text(&app.get("/api/v1/portfolio.pdf?framing=appetite", &token).await.body);
    assert!(pdf.contains(mark) && !pdf.contains("expired on 1 June 2029"), "{pdf}");
    let link = app.post("/api/v1/shares", &token, &json!({"framing": "appetite"})).await.json();
    let path = format!("/s/{}", link["token"].as_str().unwrap());
    let page = page_text(&app.call(axum::http::Method::GET, &path, crate::helpers::Auth::None, None).await.text());
    assert!(page.contains(mark), "{page}");
    // Legitimacy leaves it out, and says it did; included, it is marked.
    let p = app.get("/api/v1/portfolio?framing=legitimacy&field=cloud", &token).await.json();
    let titles: Vec<&str> = p["sections"][0]["groups"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Kubernetes Basics"]);
    let p = app.get("/api/v1/portfolio?framing=legitimacy&field=cloud&include_expired=true", &token).await.json();
    assert_eq!(p["sections"][0]["groups"][0]["entries"].as_array().unwrap().len(), 2);
    let pdf = pdf_text(
        &app.get("/api/v1/portfolio.pdf?framing=legitimacy&field=cloud&include_expired=true", &token).await.body,
    );
    assert!(pdf.contains(mark), "{pdf}");
    // A legitimacy portfolio of expired certificates only is refused, saying what would fill it.
    let only = json!({"title": "Old Cert", "field": "old", "attestation": {"expires_on": "2020-01-01"}});
    assert_eq!(app.post("/api/v1/courses", &token, &only).await.status, StatusCode::CREATED);
    let r = app.get("/api/v1/portfolio.pdf?framing=legitimacy&field=old", &token).await;
    assert_eq!((r.status, r.error_field().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "include_expired"));
    assert!(r.text().contains("Include the expired certificate."), "{}", r.text());
    let p = app.get("/api/v1/portfolio?framing=legitimacy&field=old", &token).await.json();
    assert_eq!(p["empty"]["include_expired"], true, "{p}");
    // The LinkedIn export's "Finished On" is that expiry.
    let csv = "Name,Url,Authority,Started On,Finished On,License Number\nAWS Certified Developer,,Amazon Web Services,Mar 2021,Jan 2024,\n";
    assert_eq!(import_raw(&app, &token, "text/csv", csv.as_bytes().to_vec()).await.status, StatusCode::CREATED);
    let all = courses_by_id(&app, &token).await;
    let dev = all.values().find(|c| c["title"] == "AWS Certified Developer").unwrap();
    assert_eq!(dev["attestation"]["expires_on"], "2024-01-01", "{dev}");
    assert!(dev.get("notes").is_none());
}

#[tokio::test]
async fn one_uncertified_course_with_every_default_gives_a_portfolio_and_a_link_that_show_it() {
    let app = TestApp::new();
    let cookie = crate::pages::signed_in(&app).await;
    let r = crate::pages::form(
        &app,
        "/courses/new",
        Some(&cookie),
        &[("title", "Découvrir la statistique"), ("field", "data")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // The builder, as it opens: the advised options, a preview that shows the course.
    let html = crate::pages::page(&app, "/portfolio", Some(&cookie)).await.text();
    assert!(html.contains("Découvrir la statistique"), "the preview shows the course: {html}");
    let checked = |name: &str| html.contains(&format!("name=\"{name}\" value=\"1\" checked"));
    let framing = if html.contains("value=\"legitimacy\" checked") { "legitimacy" } else { "appetite" };
    let scope_start = html.find("\" selected>").map(|end| {
        let before = &html[..end];
        before[before.rfind("value=\"").unwrap() + 7..].to_owned()
    });
    let scope = scope_start.unwrap_or_default();
    let mut fields = vec![("framing", framing), ("scope", scope.as_str()), ("lang", "en")];
    if checked("include_uncertified") {
        fields.push(("include_uncertified", "1"));
    }
    // "Create share link" with those defaults: a link that shows the course.
    let r = crate::pages::form(&app, "/portfolio/share", Some(&cookie), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{fields:?}: {}", r.text());
    let shown = crate::pages::page(&app, r.header("location").unwrap(), Some(&cookie)).await.text();
    let start = shown.find("/s/").unwrap();
    let path: String = shown[start..].chars().take_while(|c| *c != '"').collect();
    let page = crate::pages::page(&app, &path, None).await.text();
    assert!(page.contains("Découvrir la statistique"), "{page}");
    // The PDF too.
    let query: String = fields.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let pdf = crate::pages::page(&app, &format!("/portfolio.pdf?{query}"), Some(&cookie)).await;
    assert_eq!(pdf.header("content-type"), Some("application/pdf"), "{}", pdf.text());
    assert!(pdf_text(&pdf.body).contains("Découvrir la statistique"));
    assert!(pdf.header("content-disposition").unwrap().contains("Camille"), "named after the learner");
}
