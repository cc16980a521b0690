//! The learner's first pages (issue 5's beginning): home, sign up, sign in, dashboard, sign out.

use axum::body::Body;
use axum::http::{Method, StatusCode};

use crate::helpers::{Auth, PASSWORD, TestApp, TestResponse};

/// A same-origin multipart post from a signed-in page, as a form with a file input sends it;
/// `(content_type, body)` as `helpers::multipart` makes them.
pub(crate) async fn multipart_post(
    app: &TestApp,
    path: &str,
    cookie: &str,
    (content_type, body): (String, Vec<u8>),
) -> TestResponse {
    let request = TestApp::builder(Method::POST, path, Auth::Cookie(cookie))
        .header("content-type", content_type)
        .header("accept-language", "en")
        .header("origin", "http://127.0.0.1:8080")
        .header("host", "127.0.0.1:8080")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

pub(crate) async fn form(app: &TestApp, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> TestResponse {
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

pub(crate) async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> TestResponse {
    let auth = cookie.map_or(Auth::None, Auth::Cookie);
    let request =
        TestApp::builder(Method::GET, path, auth).header("accept-language", "en").body(Body::empty()).unwrap();
    app.send(request).await
}

pub(crate) fn session_cookie(r: &TestResponse) -> String {
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
    assert_eq!(after.header("location"), Some("/login?next=%2Fdashboard"), "back to the page once signed in");
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

pub(crate) async fn signed_in(app: &TestApp) -> String {
    let r =
        form(app, "/signup", None, &[("name", "Camille"), ("email", "camille@example.org"), ("password", PASSWORD)])
            .await;
    session_cookie(&r)
}

#[tokio::test]
async fn add_a_course_with_a_bad_value_then_fix_it_then_edit_and_delete_it() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let course = [
        ("title", "Gestion de projet"),
        ("institution", "Centrale Lille"),
        ("platform", "FUN-MOOC"),
        ("field", "management"),
        ("hours", "-5"),
        ("started_on", "2015-02-01"),
        ("finished_on", "2015-04-28"),
        ("outcome", "completed"),
        ("kind", "achievement"),
        ("credential_id", "FUN-8B9D2434"),
        ("url", "https://example.org/verify/8b9d2434"),
    ];
    let r = form(&app, "/courses/new", Some(&cookie), &course).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"hours-error\""), "the message sits by the field: {html}");
    assert!(html.contains("value=\"-5\"") && html.contains("value=\"Centrale Lille\""), "typed values kept");
    assert!(html.contains("<option value=\"achievement\" selected>"), "choices kept");
    let api = app.login("camille@example.org", PASSWORD).await.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(app.course_count(&api).await, 0, "nothing half-saved");

    let mut fixed = course;
    fixed[4] = ("hours", "20");
    let r = form(&app, "/courses/new", Some(&cookie), &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = app.get("/api/v1/courses", &api).await.json();
    assert_eq!(list["count"], 1);
    assert_eq!(list["courses"][0]["attestation"]["url"], "https://example.org/verify/8b9d2434");
    let id = list["courses"][0]["id"].as_str().unwrap().to_owned();
    let html = page(&app, "/courses", Some(&cookie)).await.text();
    assert!(html.contains("Gestion de projet") && html.contains(&format!("/courses/{id}/edit")));

    let edit = page(&app, &format!("/courses/{id}/edit"), Some(&cookie)).await.text();
    assert!(edit.contains("value=\"20\"") && edit.contains("value=\"2015-02-01\""));
    let mut changed = fixed;
    changed[0] = ("title", "Gestion de projet agile");
    let r = form(&app, &format!("/courses/{id}"), Some(&cookie), &changed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/api/v1/courses/{id}"), &api).await.json()["title"], "Gestion de projet agile");

    let confirm = page(&app, &format!("/courses/{id}/delete"), Some(&cookie)).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(app.course_count(&api).await, 1, "asking is not deleting");
    let r = form(&app, &format!("/courses/{id}/delete"), Some(&cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.course_count(&api).await, 0);
}

#[tokio::test]
async fn another_learners_course_pages_are_not_found() {
    let app = TestApp::new();
    let alice = app.learner("alice@example.org").await;
    let id = app.post("/api/v1/courses", &alice, &serde_json::json!({"title": "A"})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bob = signed_in(&app).await;
    assert_eq!(page(&app, &format!("/courses/{id}/edit"), Some(&bob)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(form(&app, &format!("/courses/{id}/delete"), Some(&bob), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.course_count(&alice).await, 1);
    assert_eq!(page(&app, "/courses", None).await.header("location"), Some("/login?next=%2Fcourses"));
}

#[tokio::test]
async fn build_a_portfolio_download_it_share_it_and_revoke_the_link() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    form(&app, "/dashboard/import-sample", Some(&cookie), &[]).await;
    let builder = page(&app, "/portfolio", Some(&cookie)).await;
    assert_eq!(builder.status, StatusCode::OK);
    let html = builder.text();
    assert!(html.contains("value=\"field:data\" selected"), "the advised field is preselected: {html}");

    let pdf = page(&app, "/portfolio.pdf?framing=legitimacy&scope=field%3Adata&lang=en", Some(&cookie)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"));

    let r = form(
        &app,
        "/portfolio/share",
        Some(&cookie),
        &[
            ("framing", "legitimacy"),
            ("scope", "field:data"),
            ("lang", "en"),
            ("label", "Acme, tech lead"),
            ("expires_in_days", "30"),
        ],
    )
    .await;
    // Post/redirect/get: the link is shown on the page the post redirects to, and reloading
    // that page shows it again without making another.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let shown = r.header("location").unwrap().to_owned();
    assert!(shown.starts_with("/portfolio?created="), "{shown}");
    let html = page(&app, &shown, Some(&cookie)).await.text();
    let start = html.find("/s/").expect("the new link is shown");
    let path: String = html[start..].chars().take_while(|c| *c != '"').collect();
    assert_eq!(page(&app, &path, None).await.status, StatusCode::OK);
    assert!(page(&app, &shown, Some(&cookie)).await.text().contains(&path), "a reload shows the same link");
    assert_eq!(app.count("shares").await, 1, "reloading never creates a second link");
    // After a quarter of an hour the link is no longer shown; it still works.
    app.state.clock.advance(std::time::Duration::from_secs(16 * 60));
    let later = page(&app, &shown, Some(&cookie)).await.text();
    assert!(!later.contains(&path) && later.contains("can no longer be shown"), "{later}");
    assert_eq!(page(&app, &path, None).await.status, StatusCode::OK);

    let shares = page(&app, "/shares", Some(&cookie)).await.text();
    assert!(shares.contains("Acme, tech lead") && shares.contains("/revoke"));
    let id_start = shares.find("/shares/").unwrap() + "/shares/".len();
    let id: String = shares[id_start..].chars().take_while(|c| *c != '/' && *c != '"').collect();
    let r = form(&app, &format!("/shares/{id}/revoke"), Some(&cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(page(&app, &path, None).await.status, StatusCode::NOT_FOUND);
}

/// Bug seen in the browser walk: an English browser signed up and got a French dashboard,
/// because signed-in pages took the portfolio's language (unset, so French) over the browser's.
#[tokio::test]
async fn a_learner_who_never_chose_a_language_gets_their_browsers() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    for path in ["/dashboard", "/courses", "/portfolio", "/shares"] {
        let html = page(&app, path, Some(&cookie)).await.text();
        assert!(html.contains("<html lang=\"en\">"), "{path} should follow Accept-Language: en");
    }
    let request = TestApp::builder(Method::GET, "/dashboard", Auth::Cookie(&cookie))
        .header("accept-language", "fr-FR,fr;q=0.9")
        .body(Body::empty())
        .unwrap();
    assert!(app.send(request).await.text().contains("<html lang=\"fr\">"));
}

/// The builder previews the whole portfolio: by default the advised framing, and after
/// "Update the preview" the options chosen, kept selected in the form. Nothing is issued.
#[tokio::test]
async fn the_builder_previews_the_chosen_portfolio() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    form(&app, "/dashboard/import-sample", Some(&cookie), &[]).await;
    let html = page(&app, "/portfolio", Some(&cookie)).await.text();
    assert!(html.contains("Preview of the portfolio") && html.contains("class=\"paper\""), "{html}");
    // The sample's advice is legitimacy in "data": previewed and selected.
    assert!(html.contains("Legitimacy in the field “data”"), "{html}");
    assert!(html.contains("value=\"field:data\" selected"), "{html}");

    let chosen = page(&app, "/portfolio?framing=appetite&scope=&lang=fr&include_uncertified=1", Some(&cookie)).await;
    assert_eq!(chosen.status, StatusCode::OK);
    let html = chosen.text();
    assert!(html.contains("value=\"appetite\" checked"), "the choice stays selected: {html}");
    assert!(html.contains("<option value=\"fr\" selected>"), "{html}");
    assert!(html.contains("name=\"include_uncertified\" value=\"1\" checked"), "{html}");
    assert!(html.contains("Appétence pour l’autoformation"), "the preview in the PDF's language (fr): {html}");
    assert!(
        html.contains("Attestations obtenues") && html.contains("Suivis sans attestation"),
        "every section: {html}"
    );

    // A refused choice keeps what was chosen (legitimacy stays checked) and says why.
    let refused = page(&app, "/portfolio?framing=legitimacy&scope=&lang=en", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("value=\"legitimacy\" checked"), "{html}");
    assert!(html.contains("needs a field or a theme"), "{html}");

    let bad = page(&app, "/portfolio?framing=astrology", Some(&cookie)).await;
    assert!(bad.text().contains("`astrology` is not a framing"), "{}", bad.text());
    // Previews issue nothing: no PDF was registered, so no verification code exists.
    assert_eq!(app.count("generated_pdfs").await, 0);
}
