//! Attempt budgets under parallel load and behind a proxy (issue 10, points 2 and 3): each
//! budget is reserved before the password is checked, so guesses sent all at once get no
//! more checks than guesses sent one by one; and a trusted proxy's clients are told apart.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, TestResponse, behind_test_proxy, json_request_from};

/// How many answers say the password was checked (401, 403) and how many were refused unchecked.
fn checked_and_throttled(answers: &[TestResponse]) -> (usize, usize) {
    let checked = answers.iter().filter(|r| matches!(r.status.as_u16(), 401 | 403)).count();
    let throttled = answers.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(
        checked + throttled,
        answers.len(),
        "only 401/403 or 429: {:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    (checked, throttled)
}

fn login_from(client: &str, email: &str, password: &str) -> Request<Body> {
    json_request_from(client, Method::POST, "/api/v1/session", &json!({"email": email, "password": password}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_at_one_account_get_only_its_free_failures_checked() {
    let app = TestApp::with_config(behind_test_proxy);
    app.learner("owner@example.org").await;
    // 150 guesses at once, each from its own address (a botnet): the per-account budget holds.
    let guesses = (0..150)
        .map(|i| login_from(&format!("198.51.100.{}", i % 250), "owner@example.org", "a wrong guess"))
        .collect();
    let (checked, throttled) = checked_and_throttled(&app.send_all(guesses).await);
    assert_eq!(checked, 5, "5 free failures per account, then a pause; {throttled} throttled");
    // The owner is back after the pause.
    let r = app.send(login_from("203.0.113.1", "owner@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(wait <= 15 * 60, "{wait}");
    app.state.clock.advance(Duration::from_secs(wait));
    assert_eq!(app.send(login_from("203.0.113.1", "owner@example.org", PASSWORD)).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_from_one_address_get_only_its_budget_checked() {
    let app = TestApp::with_config(behind_test_proxy);
    app.learner("owner@example.org").await;
    // 150 guesses at once from one address, spread over accounts (password spraying).
    let guesses = (0..150).map(|i| login_from("192.0.2.7", &format!("user{i}@example.org"), "a wrong guess")).collect();
    let (checked, _) = checked_and_throttled(&app.send_all(guesses).await);
    assert_eq!(checked, 50, "50 failures per address per 15 minutes");
    // Other addresses are not touched; the sprayer's address is, until the window ends.
    assert_eq!(app.send(login_from("192.0.2.8", "owner@example.org", PASSWORD)).await.status, StatusCode::OK);
    assert_eq!(
        app.send(login_from("192.0.2.7", "owner@example.org", PASSWORD)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.state.clock.advance(Duration::from_secs(15 * 60));
    assert_eq!(app.send(login_from("192.0.2.7", "owner@example.org", PASSWORD)).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sign_in_form_is_throttled_the_same_way() {
    let app = TestApp::with_config(behind_test_proxy);
    app.learner("owner@example.org").await;
    let guesses = (0..60)
        .map(|i| {
            Request::builder()
                .method(Method::POST)
                .uri("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .body(Body::from("email=owner%40example.org&password=a+wrong+guess"))
                .unwrap()
        })
        .collect();
    let answers = app.send_all(guesses).await;
    let (checked, _) = checked_and_throttled(&answers);
    assert_eq!(checked, 5);
    assert!(answers.iter().all(|r| r.header("content-type").unwrap().starts_with("text/html")), "pages, not JSON");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_current_password_check_is_throttled_in_the_api_and_the_settings_page() {
    let app = TestApp::with_config(behind_test_proxy);
    let token = app.learner("owner@example.org").await;
    let body = json!({"current_password": "a wrong guess", "new_password": "a brand new passphrase for camille"});
    let change = |client: String| {
        let mut r = json_request_from(&client, Method::POST, "/api/v1/me/password", &body);
        r.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
        r
    };
    // In a row, then in parallel: 5 checked, no more.
    let mut answers = Vec::new();
    for i in 0..3 {
        answers.push(app.send(change(format!("198.51.100.{i}"))).await);
    }
    answers.extend(app.send_all((3..40).map(|i| change(format!("198.51.100.{i}"))).collect()).await);
    let (checked, _) = checked_and_throttled(&answers);
    assert_eq!(checked, 5);
    assert!(answers.iter().take(3).all(|r| r.status == StatusCode::FORBIDDEN));
    // The settings page answers 429 too, with the wait beside the field.
    let form = Request::builder()
        .method(Method::POST)
        .uri("/settings/password")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", format!("certfolio={token}"))
        .body(Body::from(format!("current_password={}&new_password=another+long+passphrase+here", "x".repeat(12))))
        .unwrap();
    let r = app.send(form).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert!(r.text().contains("min"), "{}", r.text());
    // After the pause the right password works again.
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    app.state.clock.advance(Duration::from_secs(wait));
    let ok = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase for camille"});
    let mut r = json_request_from("198.51.100.1", Method::POST, "/api/v1/me/password", &ok);
    r.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    assert_eq!(app.send(r).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_ups_are_budgeted_per_address() {
    let app = TestApp::with_config(|c| {
        behind_test_proxy(c);
        c.signups_per_hour = 3;
    });
    let sign_up = |client: &str, i: usize| {
        let body = json!({"email": format!("u{i}@example.org"), "password": PASSWORD, "name": "Camille"});
        json_request_from(client, Method::POST, "/api/v1/accounts", &body)
    };
    // A refused sign-up (weak password) does not use the budget.
    let weak = json!({"email": "weak@example.org", "password": "short", "name": "Camille"});
    let r = app.send(json_request_from("192.0.2.7", Method::POST, "/api/v1/accounts", &weak)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answers = app.send_all((0..10).map(|i| sign_up("192.0.2.7", i)).collect()).await;
    let created = answers.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(created, 3, "{:?}", answers.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(answers.iter().all(|r| matches!(r.status.as_u16(), 201 | 429)));
    assert_eq!(app.send(sign_up("192.0.2.8", 99)).await.status, StatusCode::CREATED, "another address");
    app.state.clock.advance(Duration::from_secs(3600));
    assert_eq!(app.send(sign_up("192.0.2.7", 100)).await.status, StatusCode::CREATED, "a new hour");
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_clients_failures_do_not_throttle_another() {
    let app = TestApp::with_config(behind_test_proxy);
    app.learner("a@example.org").await;
    app.learner("b@example.org").await;
    // Client A (after a forged first hop) fails 60 times over many accounts: its address is paused…
    for i in 0..60 {
        let r = app.send(login_from("10.9.9.9, 203.0.113.10", &format!("x{i}@example.org"), "a wrong guess")).await;
        assert!(matches!(r.status.as_u16(), 401 | 429));
    }
    assert_eq!(
        app.send(login_from("203.0.113.10", "a@example.org", PASSWORD)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // …and client B, through the same proxy, signs in; so does A's account from elsewhere.
    assert_eq!(app.send(login_from("203.0.113.20", "b@example.org", PASSWORD)).await.status, StatusCode::OK);
    assert_eq!(app.send(login_from("203.0.113.21", "a@example.org", PASSWORD)).await.status, StatusCode::OK);
    // The unknown-token budget is per client too.
    for i in 0..61 {
        let r = app
            .send(
                Request::builder()
                    .uri(format!("/s/{}", "A".repeat(42) + &(i % 10).to_string()))
                    .header("x-forwarded-for", "203.0.113.10")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, if i < 60 { StatusCode::NOT_FOUND } else { StatusCode::TOO_MANY_REQUESTS });
    }
    let other = Request::builder()
        .uri(format!("/s/{}", "B".repeat(43)))
        .header("x-forwarded-for", "203.0.113.20")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(other).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarding_headers_are_ignored() {
    let app = TestApp::new();
    app.learner("a@example.org").await;
    // A client that rotates X-Forwarded-For still spends one address's budget.
    for i in 0..50 {
        app.send(login_from(&format!("198.51.100.{i}"), &format!("x{i}@example.org"), "a wrong guess")).await;
    }
    let r = app.send(login_from("203.0.113.99", "a@example.org", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}
