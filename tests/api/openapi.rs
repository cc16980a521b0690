//! The OpenAPI description (`GET /api/openapi.json`) says exactly what the service accepts and
//! answers (issue 10: schemathesis found it looser than the service): the query enums, the
//! badge payload's rule, every status each operation can answer with its JSON body. Each point is
//! checked in the description and against what the service does. `scripts/schemathesis.sh`
//! fuzzes the rest.

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp};

async fn spec(app: &TestApp) -> Value {
    let r = app.call(Method::GET, "/api/openapi.json", Auth::None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    r.json()
}

/// A schema with its `$ref` (to `#/components/schemas/…`) followed.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &spec["components"]["schemas"][name],
        None => schema,
    }
}

fn query_param<'a>(spec: &'a Value, path: &str, name: &str) -> &'a Value {
    let params = spec["paths"][path]["get"]["parameters"].as_array().unwrap_or_else(|| panic!("{path}: no parameters"));
    let p = params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{path}: no parameter {name}"));
    assert_eq!(p["in"], "query", "{path} {name}");
    resolve(spec, &p["schema"])
}

fn operations(spec: &Value) -> Vec<(String, String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops.push((method.clone(), path.clone(), op));
        }
    }
    ops
}

#[tokio::test]
async fn query_parameters_are_declared_with_the_values_the_service_takes() {
    let app = TestApp::new();
    let spec = spec(&app).await;
    let cases: [(&str, &str, &[&str]); 4] = [
        ("/api/v1/portfolio.pdf", "framing", &["appetite", "legitimacy"]),
        ("/api/v1/portfolio.pdf", "lang", &["fr", "en"]),
        ("/api/v1/advice", "lang", &["fr", "en"]),
        ("/api/v1/export", "format", &["json", "jsonresume", "csv"]),
    ];
    for (path, name, values) in cases {
        let schema = query_param(&spec, path, name);
        assert_eq!(schema["type"], "string", "{path} {name}: {schema}");
        assert_eq!(schema["enum"], json!(values), "{path} {name}: {schema}");
    }
    assert_eq!(query_param(&spec, "/api/v1/portfolio.pdf", "include_uncertified")["type"], "boolean");

    // And the service takes exactly those: each listed value, and nothing else (not even empty).
    let token = app.learner("enums@example.org").await;
    let course = json!({"title": "Python", "field": "computing", "attestation": {"kind": "completion"}});
    assert_eq!(app.post("/api/v1/courses", &token, &course).await.status, StatusCode::CREATED);
    for format in ["json", "jsonresume", "csv"] {
        assert_eq!(
            app.get(&format!("/api/v1/export?format={format}"), &token).await.status,
            StatusCode::OK,
            "{format}"
        );
    }
    for lang in ["fr", "en"] {
        assert_eq!(app.get(&format!("/api/v1/advice?lang={lang}"), &token).await.status, StatusCode::OK);
    }
    let ok = "/api/v1/portfolio.pdf?framing=legitimacy&field=computing&lang=en&include_uncertified=true";
    assert_eq!(app.get(ok, &token).await.status, StatusCode::OK);
    for (query, field) in [
        ("/api/v1/export?format=", "format"),
        ("/api/v1/export?format=%20csv", "format"),
        ("/api/v1/export?format=CSV", "format"),
        ("/api/v1/advice?lang=", "lang"),
        ("/api/v1/advice?lang=de", "lang"),
        ("/api/v1/portfolio.pdf?framing=", "framing"),
        ("/api/v1/portfolio.pdf?framing=appetite%20", "framing"),
        ("/api/v1/portfolio.pdf?lang=", "lang"),
        ("/api/v1/portfolio.pdf?include_uncertified=1", "include_uncertified"),
        ("/api/v1/portfolio.pdf?include_uncertified=", "include_uncertified"),
    ] {
        let r = app.get(query, &token).await;
        assert_eq!((r.status, r.error_field()), (StatusCode::UNPROCESSABLE_ENTITY, field.to_owned()), "{query}");
    }
}

/// An empty (or blank) badge payload was schema-valid but refused.
#[tokio::test]
async fn the_badge_payload_rule_is_in_the_description() {
    let app = TestApp::new();
    let spec = spec(&app).await;
    let payload = &spec["components"]["schemas"]["BadgeData"]["properties"]["payload"];
    let pattern = regex::Regex::new(payload["pattern"].as_str().expect("a pattern")).unwrap();
    for refused in ["", " ", "\n\t "] {
        assert!(!pattern.is_match(refused), "{refused:?} matches {pattern}");
    }
    for accepted in ["{}", " eyJ.e30.x ", "a"] {
        assert!(pattern.is_match(accepted), "{accepted:?} does not match {pattern}");
    }
    let token = app.learner("badge@example.org").await;
    for refused in ["", "  "] {
        let course = json!({"title": "x", "attestation": {"badge": {"payload": refused}}});
        let r = app.post("/api/v1/courses", &token, &course).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_field(), "attestation.badge.payload");
    }
    let form = &spec["components"]["schemas"]["UploadForm"];
    assert_eq!(form["additionalProperties"], false, "an evidence upload has only `file`: {form}");
}

/// Every status an operation can answer is declared, with the JSON error body: the ones shared
/// layers and extractors answer as well as each handler's own (the 413 on `PUT /courses/{id}`
/// was missing).
#[tokio::test]
async fn every_status_the_service_answers_is_declared_with_its_body() {
    let app = TestApp::new();
    let spec = spec(&app).await;
    let mut ids = std::collections::HashSet::new();
    for (method, path, op) in operations(&spec) {
        let at = format!("{method} {path}");
        let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{at}: no operationId"));
        assert!(ids.insert(id.to_owned()), "{at}: operationId {id} is used twice");
        let responses = op["responses"].as_object().unwrap();
        let mut expected = vec!["408", "500"];
        if op.get("security").is_some() {
            expected.push("401");
        }
        if method != "get" {
            expected.push("403");
        }
        if let Some(body) = op.get("requestBody") {
            expected.extend(["400", "413"]);
            if body["content"].get("application/json").is_some() {
                expected.extend(["415", "422"]);
            }
        }
        if op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query")) {
            expected.extend(["400", "422"]);
        }
        for status in expected {
            assert!(responses.contains_key(status), "{at}: {status} is not declared");
        }
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let schema = &response["content"]["application/json"]["schema"];
                assert_eq!(schema["$ref"], "#/components/schemas/ErrorBody", "{at} {status}: {response}");
            }
        }
    }
    assert!(ids.len() >= 20, "only {} operations", ids.len());
    // The export's JSON is a document or a JSON Resume, both described.
    let json_export = &spec["paths"]["/api/v1/export"]["get"]["responses"]["200"]["content"]["application/json"];
    let one_of = resolve(&spec, &json_export["schema"])["oneOf"].as_array().unwrap_or_else(|| panic!("{json_export}"));
    let names: Vec<&str> = one_of.iter().filter_map(|s| s["$ref"].as_str()).collect();
    assert_eq!(names, ["#/components/schemas/Document", "#/components/schemas/JsonResume"]);
}

/// The statuses the description declares for every operation come as it says: JSON error
/// bodies, also those answered before any handler (too large, cross-site, wrong method).
#[tokio::test]
async fn shared_error_statuses_come_as_described() {
    let app = TestApp::new();
    let token = app.learner("shared@example.org").await;
    let created = app.post("/api/v1/courses", &token, &json!({"title": "x"})).await.json();
    let path = format!("/api/v1/courses/{}", created["id"].as_str().unwrap());

    // Over the JSON body limit (2 MiB), on the route the probe found.
    let big = serde_json::to_vec(&json!({"title": "x", "notes": "n".repeat(3 << 20)})).unwrap();
    let request = TestApp::builder(Method::PUT, &path, Auth::Bearer(&token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(big))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".to_owned()));

    // Cross-site, refused before the handler: JSON like every /api error.
    let request = TestApp::builder(Method::DELETE, &path, Auth::Cookie(&token))
        .header("host", "127.0.0.1:8080")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.error_code(), "forbidden");
    assert_eq!(app.get(&path, &token).await.status, StatusCode::OK, "nothing deleted");

    let r = app.call(Method::PATCH, &path, Auth::Bearer(&token), None).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed".to_owned()));
    assert!(r.header("allow").is_some_and(|a| a.contains("PUT")), "{:?}", r.header("allow"));

    // A query that cannot be read (a parameter twice) is the 400 the description declares.
    let r = app.get("/api/v1/export?format=json&format=csv", &token).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::BAD_REQUEST, "bad_request".to_owned()));
}
