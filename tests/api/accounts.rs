//! Accounts, sessions, passwords, throttling, and what needs a session.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Auth, PASSWORD, TestApp};

#[tokio::test]
async fn register_then_log_in_then_me() {
    let app = TestApp::new();
    let r = app.register("Camille@Example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["email"], "camille@example.org");
    assert!(r.json().get("password_hash").is_none());

    let r = app.login("camille@example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 43, "32 bytes in base64url");
    let cookie = r.header("set-cookie").unwrap().to_owned();
    assert!(cookie.starts_with(&format!("certfolio={token};")), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(!cookie.contains("Secure"), "plain http: no Secure");

    let me = app.call(Method::GET, "/api/v1/me", Auth::Bearer(&token), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["name"], "Camille Lefèvre");
    let me = app.call(Method::GET, "/api/v1/me", Auth::Cookie(&token), None).await;
    assert_eq!(me.status, StatusCode::OK, "the cookie works too");
}

#[tokio::test]
async fn the_same_email_cannot_register_twice() {
    let app = TestApp::new();
    assert_eq!(app.register("a@example.org", PASSWORD).await.status, StatusCode::CREATED);
    let r = app.register("A@EXAMPLE.ORG", "another good passphrase here").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "conflict");
}

#[tokio::test]
async fn password_policy() {
    let app = TestApp::new();
    let cases = [
        ("elevenchars", StatusCode::UNPROCESSABLE_ENTITY),
        ("password1234", StatusCode::UNPROCESSABLE_ENTITY),
        ("aaaaaaaaaaaaaaaa", StatusCode::UNPROCESSABLE_ENTITY),
        (&"é".repeat(129), StatusCode::UNPROCESSABLE_ENTITY),
        ("lune 🌙 verte, thé glacé", StatusCode::CREATED),
    ];
    for (i, (password, expected)) in cases.iter().enumerate() {
        let r = app.register(&format!("u{i}@example.org"), password).await;
        assert_eq!(r.status, *expected, "{password}: {}", r.text());
        if *expected == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(r.error_field(), "password");
            assert!(!r.json()["error"]["message"].as_str().unwrap().is_empty());
        }
    }
    // 128 characters of a real passphrase is accepted.
    let long: String = "the quick brown fox jumps over a lazy dog ".repeat(4).chars().take(128).collect();
    assert_eq!(app.register("long@example.org", &long).await.status, StatusCode::CREATED);
    // Exactly as typed: a trailing space is another password.
    assert_eq!(app.login("long@example.org", &format!("{long} ")).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_emails_and_bodies_name_the_field() {
    let app = TestApp::new();
    let r = app.register("not-an-email", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_field(), "email");
    let body = json!({"email": "x@example.org", "password": PASSWORD, "name": "X", "admin": true});
    let r = app.call(Method::POST, "/api/v1/accounts", Auth::None, Some(&body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_field(), "admin", "mass assignment is refused by name");
}

#[tokio::test]
async fn login_failures_look_the_same_for_unknown_email_and_wrong_password() {
    let app = TestApp::new();
    app.learner("known@example.org").await;
    let wrong = app.login("known@example.org", "not the right passphrase").await;
    let unknown = app.login("nobody@example.org", "not the right passphrase").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
}

#[tokio::test]
async fn repeated_failures_are_throttled_without_locking_the_owner_out_for_long() {
    let app = TestApp::new();
    app.learner("owner@example.org").await;
    app.learner("other@example.org").await;
    for _ in 0..5 {
        assert_eq!(app.login("owner@example.org", "guess guess guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let r = app.login("owner@example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    assert_eq!(r.error_code(), "rate_limited");
    // Another account is not affected (router tests share one "unknown" client address,
    // well under its own budget).
    assert_eq!(app.login("other@example.org", PASSWORD).await.status, StatusCode::OK);
    // After the pause the owner gets in.
    app.state.clock.advance(Duration::from_secs(retry));
    assert_eq!(app.login("owner@example.org", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn logout_ends_the_token_and_the_cookie() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let r = app.call(Method::DELETE, "/api/v1/session", Auth::Cookie(&token), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert!(r.header("clear-site-data").is_some());
    assert_eq!(app.call(Method::GET, "/api/v1/me", Auth::Bearer(&token), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(Method::GET, "/api/v1/me", Auth::Cookie(&token), None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn each_login_is_a_new_token() {
    let app = TestApp::new();
    let first = app.learner("a@example.org").await;
    let second = app.login("a@example.org", PASSWORD).await.json()["token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::new();
    let here = app.learner("a@example.org").await;
    let elsewhere = app.login("a@example.org", PASSWORD).await.json()["token"].as_str().unwrap().to_owned();
    let new = "a brand new passphrase for camille";
    let r = app
        .post("/api/v1/me/password", &here, &json!({"current_password": "wrong wrong wrong", "new_password": new}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        app.post("/api/v1/me/password", &here, &json!({"current_password": PASSWORD, "new_password": "short"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_field(), "new_password");
    let r = app.post("/api/v1/me/password", &here, &json!({"current_password": PASSWORD, "new_password": new})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(app.get("/api/v1/me", &here).await.status, StatusCode::OK, "this session goes on");
    assert_eq!(app.get("/api/v1/me", &elsewhere).await.status, StatusCode::UNAUTHORIZED, "others end");
    assert_eq!(app.login("a@example.org", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("a@example.org", new).await.status, StatusCode::OK);
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    app.state.clock.advance(Duration::from_secs(23 * 3600));
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK, "use renews the idle timer");
    app.state.clock.advance(Duration::from_secs(23 * 3600));
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK);
    app.state.clock.advance(Duration::from_secs(24 * 3600 + 1));
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_end_at_their_absolute_limit_even_when_used() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    // Used every 23 hours, so never idle: still alive after 14 × 23 h = 322 h…
    for _ in 0..14 {
        app.state.clock.advance(Duration::from_secs(23 * 3600));
        assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK);
    }
    // …but not past the absolute 14 days (336 h).
    app.state.clock.advance(Duration::from_secs(23 * 3600));
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn secrets_are_stored_only_as_hashes() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let hash: String = app.sql_value("SELECT password_hash FROM learners").await;
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    let stored: Vec<u8> = app.sql_value("SELECT token_hash FROM sessions").await;
    assert_eq!(stored.len(), 32);
    let plain: i64 = app
        .sql_value(&format!(
            "SELECT count(*) FROM learners WHERE password_hash = '{PASSWORD}' OR email = '{token}' OR name = '{token}'"
        ))
        .await;
    assert_eq!(plain, 0);
    // Neither the token nor the password appear anywhere in the data folder's files (the
    // database, with SQLite).
    let mut dirs = vec![app.dir.path().to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                dirs.push(entry.path());
                continue;
            }
            let bytes = std::fs::read(entry.path()).unwrap();
            for secret in [token.as_bytes(), PASSWORD.as_bytes()] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret));
            }
        }
    }
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_and_host_prefixed() {
    let app = TestApp::with_config(|c| c.public_url = "https://certfolio.example.org".into());
    app.register("a@example.org", PASSWORD).await;
    let r = app.login("a@example.org", PASSWORD).await;
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-certfolio="), "{cookie}");
    assert!(cookie.contains("; Secure"));
    assert!(!cookie.contains("Domain"));
}

#[tokio::test]
async fn the_profile_can_be_edited_strictly() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let profile = json!({"name": "Camille L.", "headline": "Développeuse", "situation": "employed", "lang": "en"});
    let r = app.put("/api/v1/me", &token, &profile).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["situation"], "employed");
    let r = app.put("/api/v1/me", &token, &json!({"name": "C", "situation": "astronaut"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_field(), "situation");
}

/// Every `/api/v1` route in the OpenAPI description answers 401 without a session, except
/// creating an account and opening a session.
#[tokio::test]
async fn every_private_route_needs_a_session() {
    let app = TestApp::new();
    let spec = app.call(Method::GET, "/api/openapi.json", Auth::None, None).await;
    assert_eq!(spec.status, StatusCode::OK);
    let spec = spec.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let public = [("post", "/api/v1/accounts"), ("post", "/api/v1/session")];
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if public.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            let concrete = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app.call(m, &concrete, Auth::None, Some(&json!({}))).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(r.error_code(), "unauthorized");
            let r = app.call(Method::GET, &concrete, Auth::Bearer("x".repeat(43).as_str()), None).await;
            assert!(matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::METHOD_NOT_ALLOWED), "{path}");
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} routes described");
}

#[tokio::test]
async fn api_errors_are_json_with_no_internals() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let r = app.get("/api/v1/nothing-here", &token).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    let r = app.call(Method::PATCH, "/api/v1/courses", Auth::Bearer(&token), None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error_code(), "method_not_allowed");
    let r = app.post("/api/v1/courses", &token, &json!("{")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let health = app.call(Method::GET, "/healthz", Auth::None, None).await;
    assert_eq!(health.status, StatusCode::OK);
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let body = serde_json::to_vec(&json!({"title": "x"})).unwrap();
    let request = TestApp::builder(Method::POST, "/api/v1/courses", Auth::Cookie(&token))
        .header("content-type", "application/json")
        .header("host", "127.0.0.1:8080")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.course_count(&token).await, 0);
}
