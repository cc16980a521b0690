//! Courses: CRUD, validation naming the field, and one learner never reaching another's.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp};

fn course() -> Value {
    json!({
        "title": "Gestion de projet", "platform": "FUN-MOOC", "institution": "Centrale Lille",
        "field": "management", "themes": ["project management"], "language": "fr",
        "started_on": "2015-02-01", "finished_on": "2015-04-28", "hours": 20,
        "follow_mode": "prescribed", "outcome": "completed", "motive": "required by job offers",
        "prior_mastery": false,
        "attestation": {"kind": "achievement", "issued_on": "2015-05-02", "credential_id": "FUN-8B9D2434",
                        "url": "https://example.org/verify/8b9d2434", "grade": "92/100"}
    })
}

/// The document's fields of an API course (without id, evidence, level of proof and timestamps).
fn record_of(v: &Value) -> Value {
    let mut v = v.clone();
    for k in ["id", "evidence", "assurance", "badge_check", "checks", "created_at", "updated_at"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[tokio::test]
async fn create_read_update_delete() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let r = app.post("/api/v1/courses", &token, &course()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let created = r.json();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(record_of(&created), course(), "every field comes back as sent");
    assert_eq!(created["assurance"], "self_declared", "the level of proof is computed, not sent");
    // A link on a host certfolio does not check is shown with its host and raises nothing.
    assert_eq!(created["checks"][0]["code"], "learner_link", "{created}");
    assert_eq!(
        created["checks"][0]["text"],
        "Link given by the learner (example.org): certfolio does not check pages of this host"
    );

    let r = app.get(&format!("/api/v1/courses/{id}"), &token).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(record_of(&r.json()), course());

    let mut changed = course();
    changed["hours"] = json!(24.5);
    changed["outcome"] = json!("in_progress");
    changed.as_object_mut().unwrap().remove("attestation");
    let r = app.put(&format!("/api/v1/courses/{id}"), &token, &changed).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(record_of(&r.json()), changed);
    assert_eq!(r.json()["id"], id.as_str());

    let list = app.get("/api/v1/courses", &token).await.json();
    assert_eq!(list["count"], 1);
    assert_eq!(record_of(&list["courses"][0]), changed);

    assert_eq!(app.delete(&format!("/api/v1/courses/{id}"), &token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/courses/{id}"), &token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.course_count(&token).await, 0);
}

#[tokio::test]
async fn invalid_courses_are_refused_naming_the_field() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut c = course();
    c["colour"] = json!("red");
    cases.push((c, "colour"));
    let mut c = course();
    c["hours"] = json!(-3);
    cases.push((c, "hours"));
    let mut c = course();
    c["hours"] = json!(2001);
    cases.push((c, "hours"));
    let mut c = course();
    c["finished_on"] = json!("2015-01-01");
    cases.push((c, "finished_on"));
    let mut c = course();
    c["started_on"] = json!("01/02/2015");
    cases.push((c, "started_on"));
    let mut c = course();
    c["outcome"] = json!("failed");
    cases.push((c, "outcome"));
    let mut c = course();
    c["attestation"]["url"] = json!("javascript:alert(1)");
    cases.push((c, "attestation.url"));
    let mut c = course();
    c["attestation"]["kind"] = json!("diploma");
    cases.push((c, "attestation.kind"));
    let mut c = course();
    c["title"] = json!("   ");
    cases.push((c, "title"));
    let mut c = course();
    c["title"] = json!("x".repeat(301));
    cases.push((c, "title"));
    cases.push((json!({"platform": "edX"}), "title"));
    for (body, field) in cases {
        let r = app.post("/api/v1/courses", &token, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert_eq!(r.error_field(), field, "{}", r.text());
        assert_eq!(r.error_code(), "validation_failed");
    }
    assert_eq!(app.course_count(&token).await, 0, "nothing was stored");
}

#[tokio::test]
async fn only_json_bodies_are_read() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let request = TestApp::builder(Method::POST, "/api/v1/courses", Auth::Bearer(&token))
        .header("content-type", "text/plain")
        .body(axum::body::Body::from(r#"{"title":"x"}"#))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error_code(), "unsupported_media_type");
}

#[tokio::test]
async fn the_same_course_twice_is_a_conflict() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    assert_eq!(app.post("/api/v1/courses", &token, &course()).await.status, StatusCode::CREATED);
    let mut again = course();
    again["title"] = json!("GESTION  de projet"); // same identity despite case and spaces
    let r = app.post("/api/v1/courses", &token, &again).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(app.course_count(&token).await, 1);
}

#[tokio::test]
async fn another_learners_course_is_not_found_and_untouched() {
    let app = TestApp::new();
    let alice = app.learner("alice@example.org").await;
    let bob = app.learner("bob@example.org").await;
    let id = app.post("/api/v1/courses", &alice, &course()).await.json()["id"].as_str().unwrap().to_owned();
    let missing = "5a0b7d4e-2f6c-4b8e-9d1a-3c5e7f9a1b2d";

    let theirs = app.get(&format!("/api/v1/courses/{id}"), &bob).await;
    let nobodys = app.get(&format!("/api/v1/courses/{missing}"), &bob).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.body, nobodys.body, "indistinguishable from a missing id");

    let r = app.put(&format!("/api/v1/courses/{id}"), &bob, &json!({"title": "hijacked"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/v1/courses/{id}"), &bob).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/courses/{id}/evidence"), &bob).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.course_count(&bob).await, 0);

    let still = app.get(&format!("/api/v1/courses/{id}"), &alice).await;
    assert_eq!(still.status, StatusCode::OK);
    assert_eq!(record_of(&still.json()), course(), "Alice's course is intact");
    assert_eq!(app.get("/api/v1/courses/not-a-uuid", &alice).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn institutions_are_one_row_whatever_the_spelling() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    for (title, institution) in
        [("A", "École Polytechnique"), ("B", "ecole polytechnique "), ("C", "ÉCOLE  POLYTECHNIQUE")]
    {
        let r = app.post("/api/v1/courses", &token, &json!({"title": title, "institution": institution})).await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert_eq!(r.json()["institution"], "École Polytechnique", "the first spelling is kept");
    }
    assert_eq!(app.count("institutions").await, 1);
}

/// An API error keeps the contract's shape, in English, and adds what is wrong as a code a
/// client can word itself: the same problem a French page words in French.
#[tokio::test]
async fn a_refusal_names_the_field_the_problem_and_says_it_in_english() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let mut bad = course();
    bad["finished_on"] = json!("2025-13-45");
    let r = app.post("/api/v1/courses", &token, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &r.json()["error"];
    assert_eq!(error["code"], "validation_failed");
    assert_eq!(error["field"], "finished_on");
    assert_eq!(error["problem"], "not_a_real_date");
    assert_eq!(error["message"], "`2025-13-45` is not a real date of the form YYYY-MM-DD");
    // Even for a learner whose language is French: `/api` speaks English.
    let r = app.put("/api/v1/me", &token, &json!({"name": "Camille", "lang": "fr"})).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut early = course();
    early["finished_on"] = json!("2015-01-01");
    let r = app.post("/api/v1/courses", &token, &early).await;
    assert_eq!(r.json()["error"]["problem"], "ends_before_start");
    assert_eq!(
        r.json()["error"]["message"],
        "2015-01-01 is before the start date 2015-02-01; a course cannot end before it starts"
    );
    let r = app.post("/api/v1/courses", &token, &course()).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = app.post("/api/v1/courses", &token, &course()).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "conflict".to_owned()));
    assert_eq!(r.json()["error"]["problem"], "course_exists");
    let r = app.call(Method::GET, "/api/v1/courses/not-an-id", Auth::Bearer(&token), None).await;
    assert_eq!(r.json()["error"]["problem"], "not_found");
}

/// What a create answers is what reading the course then gives: the stored spelling of an
/// existing institution, the link check it queued, the timestamps (the answer is assembled
/// from a read after the commit and the checks the write queued; this holds them together).
#[tokio::test]
async fn a_created_course_is_answered_as_reading_it_then_gives() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    assert_eq!(app.post("/api/v1/courses", &token, &course()).await.status, StatusCode::CREATED);
    let mut second = course();
    second["title"] = json!("Machine Learning");
    second["institution"] = json!("centrale  LILLE"); // the first spelling is the stored one
    second["attestation"]["url"] = json!("https://www.coursera.org/account/accomplishments/verify/ABC123");
    let r = app.post("/api/v1/courses", &token, &second).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let created = r.json();
    assert_eq!(created["institution"], "Centrale Lille");
    assert!(created["checks"].to_string().contains("coursera"), "a link check is queued: {created}");
    let read = app.get(&format!("/api/v1/courses/{}", created["id"].as_str().unwrap()), &token).await.json();
    assert_eq!(created, read);
}

/// Many writes of one learner at once (on PostgreSQL, committed together in batches by
/// `Db::write_for`): each gets its own answer — the one duplicate its conflict, every other
/// its course — and every acknowledged course is stored once, in a position of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_of_one_learner_each_get_their_own_answer() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    assert_eq!(
        app.post("/api/v1/courses", &token, &json!({"title": "Already there"})).await.status,
        StatusCode::CREATED
    );
    let mut requests = Vec::new();
    for i in 0..40 {
        let title = if i == 17 { "ALREADY  there".to_owned() } else { format!("Course {i}") };
        requests.push(
            TestApp::builder(Method::POST, "/api/v1/courses", crate::helpers::Auth::Bearer(&token))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({"title": title}).to_string()))
                .unwrap(),
        );
    }
    let answers = app.send_all(requests).await;
    for (i, r) in answers.iter().enumerate() {
        let want = if i == 17 { StatusCode::CONFLICT } else { StatusCode::CREATED };
        assert_eq!(r.status, want, "request {i}: {}", r.text());
        if i != 17 {
            assert_eq!(r.json()["title"], format!("Course {i}"), "request {i} got its own course");
        }
    }
    let list = app.get("/api/v1/courses", &token).await.json();
    assert_eq!(list["count"], 40, "39 new courses and the first one");
    let positions: std::collections::BTreeSet<i64> = app
        .state
        .db
        .read(|tx| {
            tx.query("SELECT seq FROM courses", &[])?.iter().map(|r| r.get::<i64>(0)).collect::<Result<Vec<_>, _>>()
        })
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(positions.len(), 40, "every course has a position of its own");
}
