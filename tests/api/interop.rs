//! Other tools' files through `POST /api/v1/import` and back out of `GET /api/v1/export`: the
//! real third-party fixtures of ../shared/fixtures/real, the generic CSV, and the CLI.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp, fixture_json, import_raw as upload, real};

async fn courses(app: &TestApp, token: &str) -> Vec<Value> {
    app.get("/api/v1/courses", token).await.json()["courses"].as_array().unwrap().clone()
}

fn find<'a>(courses: &'a [Value], title: &str) -> &'a Value {
    courses.iter().find(|c| c["title"] == title).unwrap_or_else(|| panic!("no course {title}"))
}

#[tokio::test]
async fn each_real_linkedin_export_imports_with_its_titles_issuers_and_dates() {
    let app = TestApp::new();
    let token = app.learner("li@example.org").await;
    let r = upload(&app, &token, "text/csv", real("linkedin/Certifications.dineshbarri.csv")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json(), json!({"created": 22, "updated": 0, "unchanged": 0, "total": 22}));
    let all = courses(&app, &token).await;
    let kick = find(&all, "Google Kick Start Round D");
    assert_eq!(kick["institution"], "Google");
    assert_eq!(kick["attestation"]["issued_on"], "2019-06-01");
    assert_eq!(kick["attestation"]["url"], "https://pdfhost.io/v/kVNJF5TqP_0000000000051061pdf.pdf");
    let python = find(&all, "Python for Data Science, AI & Development");
    assert_eq!((&python["institution"], &python["platform"]), (&json!("IBM"), &json!("Coursera")));
    assert_eq!(python["attestation"]["credential_id"], "TU54AX2E1O17");
    assert_eq!(python["attestation"]["issued_on"], "2025-11-01");

    // The same export as text/plain (what some browsers send for a .csv): nothing new.
    let r = upload(&app, &token, "text/plain", real("linkedin/Certifications.dineshbarri.csv")).await;
    assert_eq!(r.json(), json!({"created": 0, "updated": 0, "unchanged": 22, "total": 22}));

    let r = upload(&app, &token, "text/csv; charset=utf-8", real("linkedin/Certifications.jayaprakash.csv")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let all = courses(&app, &token).await;
    let oracle = find(&all, "Oracle AI Vector Search Certified Professional");
    assert_eq!(oracle["institution"], "Oracle");
    assert!(oracle["attestation"].get("issued_on").is_none(), "no date in the file, none invented");

    let r = upload(&app, &token, "text/csv", real("linkedin/Certifications.bsdpunk.csv")).await;
    assert_eq!(r.json(), json!({"created": 3, "updated": 0, "unchanged": 0, "total": 27}));
    assert_eq!(find(&courses(&app, &token).await, "Network+")["institution"], "CompTIA");
}

#[tokio::test]
async fn each_real_json_resume_imports_its_certificates_and_keeps_the_profile() {
    let app = TestApp::new();
    let token = app.learner("jr@example.org").await;
    let before = app.get("/api/v1/me", &token).await.json();
    let r = upload(&app, &token, "application/json", real("jsonresume/career-changer.resume.json")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["created"], 3);
    let r = upload(&app, &token, "application/json", real("jsonresume/complete-resume.json")).await;
    assert_eq!(r.json()["created"], 2);
    let all = courses(&app, &token).await;
    let google = find(&all, "Google Data Analytics Professional Certificate");
    assert_eq!((&google["institution"], &google["platform"]), (&json!("Google"), &json!("Coursera")));
    assert_eq!(google["attestation"]["issued_on"], "2024-05-01");
    let cka = find(&all, "Certified Kubernetes Administrator");
    assert_eq!(cka["institution"], "Cloud Native Computing Foundation");
    assert_eq!(cka["attestation"]["issued_on"], "2022-11-22");
    assert_eq!(cka["attestation"]["url"], "https://www.cncf.io/certification/cka/");
    assert_eq!(app.get("/api/v1/me", &token).await.json(), before, "the profile is not the resume's");
}

#[tokio::test]
async fn importing_a_list_keeps_what_the_record_knows_about_a_course() {
    let app = TestApp::new();
    let token = app.learner("merge@example.org").await;
    let doc = json!({"certfolio": 1, "learner": {"name": "Camille", "headline": "Dev"}, "courses": [
        {"title": "Network+", "institution": "CompTIA", "hours": 40, "attestation": {"grade": "A"}}]});
    assert_eq!(app.post("/api/v1/import", &token, &doc).await.status, StatusCode::CREATED);
    let r = upload(&app, &token, "text/csv", real("linkedin/Certifications.bsdpunk.csv")).await;
    assert_eq!(r.json(), json!({"created": 2, "updated": 0, "unchanged": 1, "total": 3}));
    let csv = "title,hours,credential_id\nNetwork+,,N-123\n";
    let r = upload(&app, &token, "text/csv", csv.into()).await;
    assert_eq!(r.json(), json!({"created": 0, "updated": 1, "unchanged": 0, "total": 3}));
    let network = find(&courses(&app, &token).await, "Network+").clone();
    assert_eq!(network["hours"], 40, "an empty cell does not erase");
    assert_eq!(network["attestation"]["grade"], "A");
    assert_eq!(network["attestation"]["credential_id"], "N-123");
    assert_eq!(app.get("/api/v1/export", &token).await.json()["learner"], doc["learner"]);
}

#[tokio::test]
async fn a_bad_file_is_refused_naming_line_and_column_and_stores_nothing() {
    let app = TestApp::new();
    let token = app.learner("bad@example.org").await;
    let header = "Name,Url,Authority,Started On,Finished On,License Number\n";
    let cases: [(&str, Vec<u8>, &str); 7] = [
        ("text/csv", format!("{header}Good,,X,Mar 2020,,\nBad,,X,Aug-26,,\n").into(), "line 3, column Started On"),
        ("text/csv", format!("{header}Bad,javascript:alert(1),X,,,\n").into(), "line 2, column Url"),
        ("text/csv", b"title,colour\nx,red\n".to_vec(), "line 1, column colour"),
        ("text/csv", b"title,hours\nfine,3\nbad,-1\n".to_vec(), "line 3, column hours"),
        ("application/json", br#"{"certificates": [{"name": "x", "date": "soon"}]}"#.to_vec(), "certificates[0].date"),
        ("text/plain", b"just some words\n".to_vec(), ""),
        ("application/json", real("openbadges2/assertion_hosted.json"), "badge"),
    ];
    for (content_type, body, field) in cases {
        let r = upload(&app, &token, content_type, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert_eq!(r.error_field(), field, "{}", r.text());
    }
    let r = upload(&app, &token, "text/plain", b"plain words\n".to_vec()).await;
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("unrecognised format"), "{}", r.text());
    assert_eq!(app.course_count(&token).await, 0, "all or nothing: the good row of a bad file is not kept");

    for content_type in ["image/gif", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", ""] {
        let r = upload(&app, &token, content_type, real("openbadges2/baked_ob2_json_itxt.png")).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
    }
    let r = upload(&app, &token, "text/plain", real("openbadges2/baked_ob2_json_itxt.png")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_record_exports_as_json_resume_and_csv_and_the_csv_imports_back() {
    let app = TestApp::new();
    let a = app.learner("a@example.org").await;
    let mut doc = fixture_json("doc24.json");
    doc["courses"][0]["title"] = json!("=1+1");
    assert_eq!(app.post("/api/v1/import", &a, &doc).await.status, StatusCode::CREATED);

    let r = app.get("/api/v1/export?format=jsonresume", &a).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").unwrap().contains("resume.json"));
    let resume = r.json();
    assert_eq!(resume["basics"]["name"], "Camille Lefèvre");
    assert_eq!(resume["certificates"].as_array().unwrap().len(), 18, "the 18 certified courses of 24");

    let r = app.get("/api/v1/export?format=csv", &a).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    let csv = r.text();
    assert!(csv.lines().nth(1).unwrap().starts_with("'=1+1,"), "formula neutralised: {csv}");

    // Into an empty account (whose profile it does not carry): the same 24 courses.
    let b = app.learner("b@example.org").await;
    let r = upload(&app, &b, "text/csv", csv.into_bytes()).await;
    assert_eq!(r.json(), json!({"created": 24, "updated": 0, "unchanged": 0, "total": 24}), "{}", r.text());
    let exported = app.get("/api/v1/export", &b).await.json();
    assert_eq!(exported["courses"], doc["courses"]);

    assert_eq!(app.get("/api/v1/export?format=json", &a).await.json(), doc);
    let r = app.get("/api/v1/export?format=pdf", &a).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::UNPROCESSABLE_ENTITY, "format".to_owned()));
}

/// Issue 10: re-importing one's own CSV export changes nothing. A title that itself started
/// with `'` (`'=1+1 quoted`) came back without it, and was added as a second course.
#[tokio::test]
async fn a_csv_export_imports_back_into_the_same_record_unchanged() {
    let app = TestApp::new();
    let token = app.learner("roundtrip@example.org").await;
    let values =
        ["'=1+1 quoted", "=1+1 quoted", "'Tis", "''", "' ", " padded ", "-2 ans", "@admin", "+33", "[x]", "École 🎓"];
    for (i, v) in values.iter().enumerate() {
        let body = json!({
            "title": v, "platform": v, "institution": v, "field": v, "themes": [v, "a;b"],
            "motive": format!("\t{v}"), "notes": format!("{v}\n"), "hours": 1.5,
            "attestation": {"credential_id": v, "grade": v, "url": format!("https://example.org/{i}")},
        });
        let r = app.post("/api/v1/courses", &token, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{v:?}: {}", r.text());
    }
    let before = app.get("/api/v1/courses", &token).await.json();
    let r = app.get("/api/v1/export?format=csv", &token).await;
    assert_eq!(r.status, StatusCode::OK);
    let csv = r.text();
    let r = upload(&app, &token, "text/csv", csv.clone().into_bytes()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let n = values.len();
    assert_eq!(r.json(), json!({"created": 0, "updated": 0, "unchanged": n, "total": n}), "{csv}");
    assert_eq!(app.get("/api/v1/courses", &token).await.json(), before);
    assert_eq!(app.get("/api/v1/export?format=csv", &token).await.text(), csv);
}

#[tokio::test]
async fn the_openapi_description_lists_the_formats() {
    let app = TestApp::new();
    let spec = app.call(Method::GET, "/api/openapi.json", Auth::None, None).await.json();
    let import = &spec["paths"]["/api/v1/import"]["post"]["requestBody"]["content"];
    for ct in ["application/json", "text/csv", "text/plain"] {
        assert!(import.get(ct).is_some(), "{ct}: {import}");
    }
    let params = spec["paths"]["/api/v1/export"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "format"));
}

#[tokio::test]
async fn the_command_line_imports_linkedin_and_exports_csv_and_json_resume() {
    let app = TestApp::new();
    app.learner("cli@example.org").await;
    let run = |args: &[&str]| app.command().args(args).arg("--data").arg(app.dir.path()).output().unwrap();
    let file =
        format!("{}/../shared/fixtures/real/linkedin/Certifications.dineshbarri.csv", env!("CARGO_MANIFEST_DIR"));
    let out = run(&["import", &file, "--user", "cli@example.org"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("LinkedIn") && said.contains("22 created"), "{said}");

    let out = run(&["export", "--user", "cli@example.org", "--format", "csv"]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().count(), 23);
    assert!(csv.contains("\"Python for Data Science, AI & Development\",Coursera,IBM,"), "{csv}");
    let out = run(&["export", "--user", "cli@example.org", "--format", "jsonresume"]);
    let resume: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(resume["certificates"].as_array().unwrap().len(), 22);

    let bad = app.dir.path().join("Certifications.csv");
    std::fs::write(&bad, "Name,Url,Authority,Started On,Finished On,License Number\nA,,X,Aug-26,,\n").unwrap();
    let out = run(&["import", bad.to_str().unwrap(), "--user", "cli@example.org"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("Certifications.csv: line 2, column Started On: `Aug-26`"), "{err}");
}

/// Every real fixture, one by one: the LinkedIn exports and JSON Resume samples import; the
/// schemas and Europass CVs are refused as an unrecognised format, with nothing stored. (The
/// Open Badges fixtures have their own table in `badges.rs`.)
#[tokio::test]
async fn every_real_fixture_imports_or_is_refused_as_unrecognised() {
    let app = TestApp::new();
    let token = app.learner("all@example.org").await;
    let root = format!("{}/../shared/fixtures/real", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for dir in ["linkedin", "jsonresume", "europass"] {
        let mut names: Vec<_> =
            std::fs::read_dir(format!("{root}/{dir}")).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for path in names {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).unwrap();
            let before = app.course_count(&token).await;
            let r = upload(&app, &token, "text/plain", bytes).await;
            let imports = dir == "linkedin" || (dir == "jsonresume" && !name.starts_with("schema-"));
            if imports {
                assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text());
                assert!(r.json()["created"].as_u64().unwrap() > 0, "{name}");
            } else {
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", r.text());
                let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
                assert!(message.contains("unrecognised format"), "{name}: {message}");
                assert_eq!(app.course_count(&token).await, before, "{name}: nothing stored");
            }
            seen += 1;
        }
    }
    assert!(seen >= 9, "{seen} fixtures");
}
