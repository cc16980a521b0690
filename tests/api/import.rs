//! Portfolio document import and export: all or nothing, no duplicates, lossless round trips.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture_json};

#[tokio::test]
async fn a_24_course_document_imports_and_exports_back_every_field() {
    let app = TestApp::new();
    let token = app.learner("camille@example.org").await;
    let doc = fixture_json("doc24.json");
    let r = app.post("/api/v1/import", &token, &doc).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json(), json!({"created": 24, "updated": 0, "unchanged": 0, "total": 24}));
    assert_eq!(app.course_count(&token).await, 24);

    let exported = app.get("/api/v1/export", &token).await;
    assert_eq!(exported.status, StatusCode::OK);
    assert_eq!(exported.json(), doc, "export gives back the document, field for field and in order");
}

#[tokio::test]
async fn export_import_export_into_another_account_is_identical() {
    let app = TestApp::new();
    let a = app.learner("a@example.org").await;
    let b = app.learner("b@example.org").await;
    assert_eq!(app.post("/api/v1/import", &a, &fixture_json("doc24.json")).await.status, StatusCode::CREATED);
    let first = app.get("/api/v1/export", &a).await;
    assert_eq!(app.post("/api/v1/import", &b, &first.json()).await.status, StatusCode::CREATED);
    let second = app.get("/api/v1/export", &b).await;
    assert_eq!(first.body, second.body, "byte for byte");
}

#[tokio::test]
async fn importing_the_same_document_again_duplicates_nothing() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let mut doc = fixture_json("doc24.json");
    app.post("/api/v1/import", &token, &doc).await;
    let r = app.post("/api/v1/import", &token, &doc).await;
    assert_eq!(r.json(), json!({"created": 0, "updated": 0, "unchanged": 24, "total": 24}));
    // A changed grade updates that course in place, keeping its id.
    let before = app.get("/api/v1/courses", &token).await.json()["courses"][0]["id"].clone();
    doc["courses"][0]["hours"] = json!(13);
    let r = app.post("/api/v1/import", &token, &doc).await;
    assert_eq!(r.json(), json!({"created": 0, "updated": 1, "unchanged": 23, "total": 24}));
    let after = app.get("/api/v1/courses", &token).await.json();
    assert_eq!(after["courses"][0]["id"], before);
    assert_eq!(after["courses"][0]["hours"], 13);
}

fn assert_refused(r: &crate::helpers::TestResponse, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.error_field(), field, "{}", r.text());
}

#[tokio::test]
async fn a_bad_document_is_refused_naming_the_field_and_adds_nothing() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    // Start from a record with courses, so "unchanged" is measured against real data.
    let mut small = fixture_json("doc24.json");
    small["courses"].as_array_mut().unwrap().truncate(3);
    app.post("/api/v1/import", &token, &small).await;
    let before = app.get("/api/v1/export", &token).await.body;

    let base = fixture_json("doc24.json");
    let mut unknown = base.clone();
    unknown["courses"][3]["colour"] = json!("red");
    let mut negative = base.clone();
    negative["courses"][5]["hours"] = json!(-2);
    let mut backwards = base.clone();
    backwards["courses"][23]["finished_on"] = json!("2000-01-01");
    let mut bad_url = base.clone();
    bad_url["courses"][7]["attestation"] = json!({"url": "data:text/html,hi"});
    let mut bad_situation = base.clone();
    bad_situation["learner"]["situation"] = json!("unemployed");
    let mut bad_version = base.clone();
    bad_version["certfolio"] = json!(2);
    let mut duplicate = base.clone();
    let first = duplicate["courses"][0].clone();
    duplicate["courses"].as_array_mut().unwrap().push(first);
    let mut no_title = base.clone();
    no_title["courses"][2].as_object_mut().unwrap().remove("title");
    for (doc, field) in [
        (unknown, "courses[3].colour"),
        (negative, "courses[5].hours"),
        (backwards, "courses[23].finished_on"),
        (bad_url, "courses[7].attestation.url"),
        (bad_situation, "learner.situation"),
        (bad_version, "certfolio"),
        (duplicate, "courses[24]"),
        (no_title, "courses[2].title"),
    ] {
        let r = app.post("/api/v1/import", &token, &doc).await;
        assert_refused(&r, field);
        assert_eq!(app.course_count(&token).await, 3, "{field}: nothing added");
    }
    assert_eq!(app.get("/api/v1/export", &token).await.body, before, "nothing changed at all");
}

#[tokio::test]
async fn malformed_json_is_refused_clearly() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let request = crate::helpers::TestApp::builder(
        axum::http::Method::POST,
        "/api/v1/import",
        crate::helpers::Auth::Bearer(&token),
    )
    .header("content-type", "application/json")
    .body(axum::body::Body::from(r#"{"certfolio": 1, "learner": {"name": "x"}, "courses": [{"title": "#))
    .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("invalid JSON"), "{}", r.text());
    let deep: Value = serde_json::from_str(&format!("{}1{}", "[".repeat(100), "]".repeat(100))).unwrap();
    let r =
        app.post("/api/v1/import", &token, &json!({"certfolio": 1, "learner": {"name": "x"}, "courses": deep})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_sample_document_in_data_imports() {
    let app = TestApp::new();
    let token = app.learner("lea@example.org").await;
    let sample: Value = serde_json::from_slice(
        &std::fs::read(format!("{}/data/sample-portfolio.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let r = app.post("/api/v1/import", &token, &sample).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["created"], 12);
    assert_eq!(app.get("/api/v1/export", &token).await.json(), sample);
}
