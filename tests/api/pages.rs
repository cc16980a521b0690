//! The learner's first pages (issue 5's beginning): home, sign up, sign in, dashboard, sign out.

use axum::body::Body;
use axum::http::{Method, StatusCode};

use crate::helpers::{Auth, PASSWORD, TestApp, TestResponse};

async fn form(app: &TestApp, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> TestResponse {
    let body: String = fields.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect::<Vec<_>>().join("&");
    let auth = cookie.map_or(Auth::None, Auth::Cookie);
    let request = TestApp::builder(Method::POST, path, auth)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-language", "en")
        .header("origin", "http://127.0.0.1:8080")
        .header("host", "127.0.0.1:8080")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

fn url_encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> TestResponse {
    let auth = cookie.map_or(Auth::None, Auth::Cookie);
    let request =
        TestApp::builder(Method::GET, path, auth).header("accept-language", "en").body(Body::empty()).unwrap();
    app.send(request).await
}

fn session_cookie(r: &TestResponse) -> String {
    let set = r.header("set-cookie").expect("a session cookie");
    set.split(';').next().unwrap().trim_start_matches("certfolio=").to_owned()
}

#[tokio::test]
async fn the_home_page_offers_to_sign_up_or_in() {
    let app = TestApp::new();
    let html = page(&app, "/", None).await.text();
    assert!(html.contains(">Sign up</a>") && html.contains(">Sign in</a>"));
    let fr = app.send(TestApp::builder(Method::GET, "/", Auth::None).body(Body::empty()).unwrap()).await.text();
    assert!(fr.contains("<html lang=\"fr\">"), "French when the browser says nothing");
}

#[tokio::test]
async fn a_bad_sign_up_keeps_what_was_typed_and_names_the_field() {
    let app = TestApp::new();
    let r = form(
        &app,
        "/signup",
        None,
        &[("name", "Camille <b>L</b>"), ("email", "camille@example.org"), ("password", "short")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"password-error\""), "{html}");
    assert!(html.contains("value=\"camille@example.org\""), "the email is kept");
    assert!(html.contains("value=\"Camille &#60;b&#62;L&#60;/b&#62;\""), "the name is kept, escaped: {html}");
    assert!(!html.contains("short\""), "the password is never echoed");
    assert_eq!(app.login("camille@example.org", PASSWORD).await.status, StatusCode::UNAUTHORIZED, "nothing created");
}

#[tokio::test]
async fn sign_up_then_dashboard_then_sample_then_sign_out() {
    let app = TestApp::new();
    let r =
        form(&app, "/signup", None, &[("name", "Camille"), ("email", "camille@example.org"), ("password", PASSWORD)])
            .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), Some("/dashboard"));
    let cookie = session_cookie(&r);

    let dash = page(&app, "/dashboard", Some(&cookie)).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert_eq!(dash.header("cache-control"), Some("no-store"));
    assert!(dash.text().contains("Import the sample record") || dash.text().contains("Importer le dossier"));

    let r = form(&app, "/dashboard/import-sample", Some(&cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = page(&app, "/dashboard", Some(&cookie)).await.text();
    assert!(html.contains("<dd>12</dd>"), "the sample's 12 courses: {html}");
    assert!(html.contains("Camille"), "the learner keeps their own name");

    let r = form(&app, "/logout", Some(&cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    let after = page(&app, "/dashboard", Some(&cookie)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.header("location"), Some("/login"));
}

#[tokio::test]
async fn a_wrong_password_on_the_sign_in_page_says_so_and_keeps_the_email() {
    let app = TestApp::new();
    app.learner("a@example.org").await;
    let r = form(&app, "/login", None, &[("email", "a@example.org"), ("password", "not the password at all")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let html = r.text();
    assert!(html.contains("role=\"alert\"") && html.contains("value=\"a@example.org\""));
    let r = form(&app, "/login", None, &[("email", "a@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused() {
    let app = TestApp::new();
    let request = TestApp::builder(Method::POST, "/signup", Auth::None)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("host", "127.0.0.1:8080")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("name=X&email=x%40example.org&password={}", "correct+horse+battery+staple")))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.login("x@example.org", PASSWORD).await.status, StatusCode::UNAUTHORIZED, "nothing created");
}
