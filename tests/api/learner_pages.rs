//! The rest of issue 5's pages: settings and the language switch, institutions, evidence on the
//! course page, the import page with its preview. Each form: validation next to the field with
//! nothing saved, GET never changes anything, a cross-site POST is refused.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Auth, PASSWORD, TestApp, TestResponse};
use crate::pages::{form, page, session_cookie, signed_in};

/// A form post from another site, as a browser sends it.
async fn cross_site(app: &TestApp, path: &str, cookie: &str, body: &str) -> TestResponse {
    let request = TestApp::builder(Method::POST, path, Auth::Cookie(cookie))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("host", "127.0.0.1:8080")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(body.to_owned()))
        .unwrap();
    app.send(request).await
}

/// A GET with only a cookie and an Accept-Language.
async fn page_in(app: &TestApp, path: &str, cookie: Option<&str>, accept: &str) -> TestResponse {
    let auth = cookie.map_or(Auth::None, Auth::Cookie);
    let request =
        TestApp::builder(Method::GET, path, auth).header("accept-language", accept).body(Body::empty()).unwrap();
    app.send(request).await
}

async fn api_token(app: &TestApp) -> String {
    app.login("camille@example.org", PASSWORD).await.json()["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn settings_refuse_a_bad_value_keep_what_was_typed_then_save_and_remember_the_language() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let html = page(&app, "/settings", Some(&cookie)).await.text();
    assert!(html.contains("<label for=\"name\">Name</label>") && html.contains("aria-current=\"page\""), "{html}");

    let r = form(
        &app,
        "/settings",
        Some(&cookie),
        &[("name", "  "), ("headline", "Chargée de projets"), ("situation", "employed"), ("lang", "fr")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"name-error\"") && html.contains("aria-invalid=\"true\""), "{html}");
    assert!(html.contains("value=\"Chargée de projets\""), "typed values kept");
    assert!(html.contains("<option value=\"employed\" selected>"), "choices kept");
    let me = app.get("/api/v1/me", &api).await.json();
    assert_eq!(me["name"], "Camille", "nothing saved: {me}");
    assert!(me.get("headline").is_none(), "nothing half-saved: {me}");

    let r = form(
        &app,
        "/settings",
        Some(&cookie),
        &[("name", "Camille Lefèvre"), ("headline", "Chargée de projets"), ("situation", "employed"), ("lang", "fr")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(app.get("/api/v1/me", &api).await.text().contains("Chargée de projets"));
    // The account's choice wins over the browser's.
    let html = page_in(&app, "/dashboard", Some(&cookie), "en").await.text();
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Tableau de bord"), "{html}");
}

#[tokio::test]
async fn the_language_switch_is_remembered_for_visitors_and_per_account() {
    let app = TestApp::new();
    // A visitor: a cookie, then back to the page they were on.
    let r = form(&app, "/lang", None, &[("lang", "fr"), ("back", "/login")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/login"));
    assert!(r.header("set-cookie").unwrap().starts_with("lang=fr;"));
    let request = TestApp::builder(Method::GET, "/login", Auth::None)
        .header("accept-language", "en")
        .header("cookie", "lang=fr")
        .body(Body::empty())
        .unwrap();
    assert!(app.send(request).await.text().contains("<html lang=\"fr\">"));
    // Never a way to send someone to another site.
    let r = form(&app, "/lang", None, &[("lang", "en"), ("back", "//evil.example/")]).await;
    assert_eq!(r.header("location"), Some("/"));
    // No choice at all: the browser's language, else French.
    assert!(page_in(&app, "/", None, "en-GB,en;q=0.8").await.text().contains("<html lang=\"en\">"));
    assert!(page_in(&app, "/", None, "de").await.text().contains("<html lang=\"fr\">"));

    // Signed in: the account remembers, whatever the browser says next time.
    let cookie = signed_in(&app).await;
    assert!(page_in(&app, "/courses", Some(&cookie), "en").await.text().contains("<html lang=\"en\">"));
    let r = form(&app, "/lang", Some(&cookie), &[("lang", "fr"), ("back", "/courses")]).await;
    assert_eq!(r.header("location"), Some("/courses"));
    let html = page_in(&app, "/courses", Some(&cookie), "en").await.text();
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Mes cours"), "{html}");
    // Every page has the switch, a skip link and one h1.
    assert!(html.contains("action=\"/lang\"") && html.contains("href=\"#main\""));
    assert_eq!(html.matches("<h1").count(), 1);
}

#[tokio::test]
async fn a_password_change_checks_the_current_one_and_the_policy_and_ends_other_sessions() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let other = api_token(&app).await;
    let r = form(
        &app,
        "/settings/password",
        Some(&cookie),
        &[("current_password", "not my password at all"), ("new_password", "a brand new long passphrase")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("id=\"current_password-error\""));
    let r =
        form(&app, "/settings/password", Some(&cookie), &[("current_password", PASSWORD), ("new_password", "short")])
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("id=\"new_password-error\"") && !r.text().contains("short\""));
    assert_eq!(app.get("/api/v1/me", &other).await.status, StatusCode::OK, "nothing changed yet");

    let r = form(
        &app,
        "/settings/password",
        Some(&cookie),
        &[("current_password", PASSWORD), ("new_password", "a brand new long passphrase")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/api/v1/me", &other).await.status, StatusCode::UNAUTHORIZED, "other sessions ended");
    assert_eq!(page(&app, "/settings?done=password", Some(&cookie)).await.status, StatusCode::OK, "this one kept");
    assert_eq!(app.login("camille@example.org", "a brand new long passphrase").await.status, StatusCode::OK);
}

async fn course(app: &TestApp, token: &str, title: &str, institution: &str) -> String {
    let r = app.post("/api/v1/courses", token, &json!({"title": title, "institution": institution})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{title}: {}", r.text());
    r.json()["id"].as_str().unwrap().to_owned()
}

/// The id after `prefix` in `html` (`/institutions/<id>/edit`), for the institution named `name`.
fn institution_id(html: &str, name: &str) -> String {
    let at = html.find(&format!("<h2 class=\"course-title\">{name}</h2>")).expect("listed");
    let rest = &html[at..];
    let start = rest.find("/institutions/").unwrap() + "/institutions/".len();
    rest[start..].chars().take_while(|c| *c != '/').collect()
}

#[tokio::test]
async fn institutions_are_listed_with_their_courses_edited_and_merged_without_losing_a_course() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    course(&app, &api, "Analyse numérique", "EPFL").await;
    course(&app, &api, "Machine learning", "EPFL").await;
    course(&app, &api, "Programmation", "École polytechnique fédérale de Lausanne").await;

    let html = page(&app, "/institutions", Some(&cookie)).await.text();
    assert!(html.contains("Analyse numérique") && html.contains("Programmation"), "{html}");
    let epfl = institution_id(&html, "EPFL");
    let long = institution_id(&html, "École polytechnique fédérale de Lausanne");

    // A bad website is refused next to its field; nothing saved.
    let edit = format!("/institutions/{epfl}");
    let fields = [("name", "EPFL"), ("country", "ch"), ("kind", "university"), ("website", "javascript:alert(1)")];
    let r = form(&app, &edit, Some(&cookie), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"website-error\"") && html.contains("value=\"ch\""), "{html}");
    assert!(!page(&app, "/institutions", Some(&cookie)).await.text().contains("CH"));
    let fields = [("name", "EPFL"), ("country", "ch"), ("kind", "university"), ("website", "https://www.epfl.ch")];
    assert_eq!(form(&app, &edit, Some(&cookie), &fields).await.status, StatusCode::SEE_OTHER);
    let html = page(&app, "/institutions", Some(&cookie)).await.text();
    assert!(html.contains(">CH<") && html.contains("https://www.epfl.ch") && html.contains(">University<"));
    // Renaming one to the other's name is refused: that is a merge.
    let fields = [("name", "epfl"), ("country", ""), ("kind", ""), ("website", "")];
    let r = form(&app, &format!("/institutions/{long}"), Some(&cookie), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("id=\"name-error\""));

    // Reviewing a merge changes nothing.
    let review = page(&app, &format!("/institutions/merge?keep={epfl}&absorbed={long}"), Some(&cookie)).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.text().contains("Programmation"));
    assert!(page(&app, "/institutions", Some(&cookie)).await.text().contains("École polytechnique fédérale"));
    // The same institution twice is refused.
    let r = form(&app, "/institutions/merge", Some(&cookie), &[("keep", &epfl), ("absorbed", &epfl)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = form(&app, "/institutions/merge", Some(&cookie), &[("keep", &epfl), ("absorbed", &long)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = page(&app, "/institutions", Some(&cookie)).await.text();
    assert!(!html.contains("École polytechnique fédérale"), "the second is gone");
    assert_eq!(app.course_count(&api).await, 3, "no course lost");
    let courses = app.get("/api/v1/courses", &api).await.json();
    assert!(courses["courses"].as_array().unwrap().iter().all(|c| c["institution"] == "EPFL"), "{courses}");

    // Another learner cannot touch them.
    let bob = {
        let r =
            form(&app, "/signup", None, &[("name", "Bob"), ("email", "bob@example.org"), ("password", PASSWORD)]).await;
        session_cookie(&r)
    };
    assert_eq!(page(&app, &format!("/institutions/{epfl}/edit"), Some(&bob)).await.status, StatusCode::NOT_FOUND);
    let fields = [("name", "Mine"), ("country", ""), ("kind", ""), ("website", "")];
    assert_eq!(form(&app, &edit, Some(&bob), &fields).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_new_form_refuses_a_cross_site_post() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let id = course(&app, &api, "Analyse", "EPFL").await;
    let institution: String = app.sql_value("SELECT id FROM institutions").await;
    for (path, body) in [
        ("/settings".to_owned(), "name=Evil&lang=en".to_owned()),
        ("/settings/password".to_owned(), format!("current_password={PASSWORD}&new_password=evil+evil+evil+evil")),
        ("/lang".to_owned(), "lang=en&back=/".to_owned()),
        (format!("/institutions/{institution}"), "name=Evil".to_owned()),
        ("/institutions/merge".to_owned(), format!("keep={institution}&absorbed={institution}")),
        (format!("/courses/{id}/evidence"), String::new()),
        (format!("/courses/{id}/evidence/delete"), String::new()),
        ("/import".to_owned(), String::new()),
        ("/import/confirm".to_owned(), "id=x".to_owned()),
        ("/import/cancel".to_owned(), "id=x".to_owned()),
    ] {
        assert_eq!(cross_site(&app, &path, &cookie, &body).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert!(!app.get("/api/v1/me", &api).await.text().contains("Evil"));
}

/// A same-origin multipart post, as the course page's upload form sends it.
async fn upload(app: &TestApp, path: &str, cookie: &str, name: &str, ty: &str, bytes: &[u8]) -> TestResponse {
    crate::pages::multipart_post(app, path, cookie, crate::helpers::multipart("file", name, ty, bytes)).await
}

#[tokio::test]
async fn evidence_is_uploaded_listed_with_its_sha256_downloaded_and_removed_from_the_course_page() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let id = course(&app, &api, "Analyse numérique", "EPFL").await;
    let edit = format!("/courses/{id}/edit");
    assert!(page(&app, "/courses/new", Some(&cookie)).await.text().contains("Save the course first"));
    let html = page(&app, &edit, Some(&cookie)).await.text();
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("<label for=\"file\">"), "{html}");
    // The language switch comes back to this page (the form posts to `/courses/{id}`, POST only).
    assert!(html.contains(&format!("name=\"back\" value=\"{edit}\"")), "{html}");

    // A file that is not what it claims: refused next to the field, nothing stored.
    let r =
        upload(&app, &format!("/courses/{id}/evidence"), &cookie, "c.pdf", "application/pdf", b"MZ not a pdf").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let html = r.text();
    assert!(html.contains("id=\"file-error\"") && html.contains("aria-invalid=\"true\""), "{html}");
    assert!(html.contains("value=\"Analyse numérique\""), "the course form is still there");
    assert_eq!(app.get(&format!("/api/v1/courses/{id}/evidence"), &api).await.status, StatusCode::NOT_FOUND);

    let pdf = crate::helpers::fixture("certificate.pdf");
    let r = upload(&app, &format!("/courses/{id}/evidence"), &cookie, "certificat.pdf", "application/pdf", &pdf).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let sha = {
        use sha2::Digest;
        sha2::Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let html = page(&app, &format!("{edit}?done=uploaded"), Some(&cookie)).await.text();
    assert!(html.contains(&sha) && html.contains("certificat.pdf") && html.contains("File saved."), "{html}");
    let file = page(&app, &format!("/courses/{id}/evidence"), Some(&cookie)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_ref(), pdf.as_slice(), "the exact bytes");
    assert!(file.header("content-disposition").unwrap().starts_with("attachment"));

    let r = form(&app, &format!("/courses/{id}/evidence/delete"), Some(&cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/api/v1/courses/{id}/evidence"), &api).await.status, StatusCode::NOT_FOUND);
    assert!(page(&app, &edit, Some(&cookie)).await.text().contains("No file yet."));
}

const LINKEDIN: &str = "Name,Url,Authority,Started On,Finished On,License Number\n\
    Gestion de projet,https://www.fun-mooc.fr/verify/1,Centrale Lille,Feb 2015,Apr 2015,FUN-1\n\
    Machine Learning,https://www.coursera.org/verify/ABC,Stanford University,Oct 2016,Dec 2016,ABC\n";

/// Uploads `bytes` on the import page; the preview's path.
async fn upload_for_preview(app: &TestApp, cookie: &str, name: &str, bytes: &[u8]) -> String {
    let r = upload(app, "/import", cookie, name, "text/csv", bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.header("location").unwrap().to_owned()
}

fn pending_id(preview: &str) -> &str {
    preview.trim_start_matches("/import/")
}

#[tokio::test]
async fn an_import_is_previewed_saves_nothing_until_confirmed_then_saves_everything() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let r = app.post("/api/v1/courses", &api, &json!({"title": "Gestion de projet", "platform": "FUN-MOOC"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let html = page(&app, "/import", Some(&cookie)).await.text();
    assert!(html.contains("<label for=\"file\">") && html.contains("/api/v1/export?format=csv"), "{html}");

    let preview = upload_for_preview(&app, &cookie, "Certifications.csv", LINKEDIN.as_bytes()).await;
    let r = page(&app, &preview, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("LinkedIn"), "the format detected: {html}");
    assert!(html.contains("Machine Learning") && html.contains("Stanford University"), "{html}");
    assert!(html.contains("change new\">New") && html.contains("change updated\">Updated"), "{html}");
    // Looking is not importing, however often.
    page(&app, &preview, Some(&cookie)).await;
    assert_eq!(app.course_count(&api).await, 1, "nothing saved before confirmation");

    // Another learner can neither see nor confirm it.
    let bob = {
        let r =
            form(&app, "/signup", None, &[("name", "Bob"), ("email", "bob@example.org"), ("password", PASSWORD)]).await;
        session_cookie(&r)
    };
    assert_eq!(page(&app, &preview, Some(&bob)).await.status, StatusCode::GONE);
    let r = form(&app, "/import/confirm", Some(&bob), &[("id", pending_id(&preview))]).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(app.course_count(&api).await, 1);

    let r = form(&app, "/import/confirm", Some(&cookie), &[("id", pending_id(&preview))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let done = r.header("location").unwrap().to_owned();
    assert_eq!(done, "/import?created=1&updated=1&unchanged=0");
    assert!(page(&app, &done, Some(&cookie)).await.text().contains("Courses added"));
    assert_eq!(app.course_count(&api).await, 2, "all of it saved");
    let courses = app.get("/api/v1/courses", &api).await.json();
    let gp = courses["courses"].as_array().unwrap().iter().find(|c| c["title"] == "Gestion de projet").unwrap();
    assert_eq!(gp["attestation"]["credential_id"], "FUN-1", "the existing course was updated: {gp}");
    // Confirmed once: the same id cannot import twice.
    let r = form(&app, "/import/confirm", Some(&cookie), &[("id", pending_id(&preview))]).await;
    assert_eq!(r.status, StatusCode::GONE);
}

#[tokio::test]
async fn a_cancelled_or_expired_import_saves_nothing() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let preview = upload_for_preview(&app, &cookie, "Certifications.csv", LINKEDIN.as_bytes()).await;
    let r = form(&app, "/import/cancel", Some(&cookie), &[("id", pending_id(&preview))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(page(&app, &preview, Some(&cookie)).await.status, StatusCode::GONE);
    let r = form(&app, "/import/confirm", Some(&cookie), &[("id", pending_id(&preview))]).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.text().contains("upload the file again"));
    assert_eq!(app.course_count(&api).await, 0);

    let preview = upload_for_preview(&app, &cookie, "Certifications.csv", LINKEDIN.as_bytes()).await;
    app.state.clock.advance(std::time::Duration::from_secs(31 * 60));
    let r = form(&app, "/import/confirm", Some(&cookie), &[("id", pending_id(&preview))]).await;
    assert_eq!(r.status, StatusCode::GONE, "an upload waits 30 minutes at most");
    assert_eq!(app.course_count(&api).await, 0);
}

#[tokio::test]
async fn a_bad_file_is_explained_with_its_line_and_column_and_nothing_is_saved() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let bad = format!("{LINKEDIN}Rust,https://example.org/x,Inria,someday,Dec 2016,R-1\n");
    let r = upload(&app, "/import", &cookie, "Certifications.csv", "text/csv", bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("<code>line 4, column Started On</code>"), "{html}");
    assert!(html.contains("aria-invalid=\"true\"") && html.contains("role=\"alert\""), "{html}");
    assert_eq!(app.course_count(&api).await, 0);
    // Not a format at all.
    let r = upload(&app, "/import", &cookie, "notes.txt", "text/plain", b"\x00\x01 just bytes").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("unrecognised format"));
    // A PNG cut after its signature: read as a badge image, and said to be truncated.
    let r = upload(&app, "/import", &cookie, "photo.png", "image/png", b"\x89PNG\r\n\x1a\n").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("PNG"), "{}", r.text());
    // A portfolio document: the preview says the profile will be replaced.
    let doc = crate::helpers::fixture("doc24.json");
    let preview = upload_for_preview(&app, &cookie, "doc24.json", &doc).await;
    let html = page(&app, &preview, Some(&cookie)).await.text();
    assert!(html.contains("portfolio document") && html.contains("Your profile will take the file"), "{html}");
    assert_eq!(app.course_count(&api).await, 0);
}

#[tokio::test]
async fn the_dashboard_shows_a_timeline_the_advice_and_what_to_do_next_and_get_changes_nothing() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let html = page(&app, "/dashboard", Some(&cookie)).await.text();
    assert!(html.contains("Import the sample record") && html.contains("href=\"/courses/new\""), "{html}");
    form(&app, "/dashboard/import-sample", Some(&cookie), &[]).await;
    let before: i64 = app.sql_value("SELECT revision FROM learners").await;
    let html = page(&app, "/dashboard", Some(&cookie)).await.text();
    assert!(html.contains("<svg role=\"img\"") && html.contains("class=\"bar\""), "a timeline: {html}");
    assert!(html.contains("Advised framing") && html.contains("What to do next"), "{html}");
    assert!(html.contains("Create a share link"), "no link yet: {html}");
    assert!(!html.contains("style="), "no inline style (the CSP forbids it)");
    // Every page a learner can GET leaves the record as it was.
    for path in ["/dashboard", "/courses", "/institutions", "/import", "/portfolio", "/shares", "/settings"] {
        let r = page(&app, path, Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        assert!(r.header("content-security-policy").unwrap().contains("frame-ancestors 'none'"), "{path}");
        let html = r.text();
        assert_eq!(html.matches("<h1").count(), 1, "{path}");
        assert!(html.contains("<main id=\"main\"") && html.contains("aria-current=\"page\""), "{path}");
    }
    assert_eq!(app.sql_value::<i64>("SELECT revision FROM learners").await, before, "nothing changed");
    assert_eq!(app.course_count(&api).await, 12);
}

/// The advice's reasons follow the page's language like the rest of the page: they used to be
/// English sentences on the French dashboard and builder.
#[tokio::test]
async fn the_advice_reasons_are_worded_in_the_pages_language() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    form(&app, "/dashboard/import-sample", Some(&cookie), &[]).await;
    for path in ["/dashboard", "/portfolio"] {
        let en = page_in(&app, path, Some(&cookie), "en").await.text();
        assert!(en.contains("<html lang=\"en\">"), "{path}: {en}");
        assert!(en.contains("8 of 12 courses (67%) earned an attestation, across 4 fields."), "{path}: {en}");
        assert!(!en.contains("cours sur 12") && !en.contains("registre"), "{path}: no French in {en}");
        let fr = page_in(&app, path, Some(&cookie), "fr-FR,fr;q=0.9").await.text();
        assert!(fr.contains("<html lang=\"fr\">"), "{path}: {fr}");
        let certified = "8 cours sur 12 (67\u{a0}%) ont été validés par une attestation\u{202f}; le dossier couvre 4\u{a0}domaines.";
        assert!(fr.contains(certified), "{path}: {fr}");
        assert!(fr.contains("Aucune situation n’est renseignée\u{202f};"), "{path}: {fr}");
        assert!(!fr.contains("earned an attestation") && !fr.contains("register"), "{path}: no English in {fr}");
    }
}

/// A badge's level of proof is computed at preview time, so the learner sees before saving
/// whether certfolio vouches for it: the DCC fixture (expired, Data Integrity proofs certfolio
/// does not check) is "badge data", marked expired; a LinkedIn line is self-declared or linked.
#[tokio::test]
async fn the_import_preview_shows_each_courses_level_of_proof() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    let badge = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/real/openbadges3/ob3_dcc_revoked_expired_two_proofs.json"
    ))
    .unwrap();
    let preview = upload_for_preview(&app, &cookie, "badge.json", &badge).await;
    let html = page(&app, &preview, Some(&cookie)).await.text();
    assert!(html.contains("Level of proof: Badge data imported (badge expired)"), "{html}");
    let preview = upload_for_preview(&app, &cookie, "Certifications.csv", LINKEDIN.as_bytes()).await;
    let html = page(&app, &preview, Some(&cookie)).await.text();
    assert!(html.contains("Level of proof: Issuer verification link"), "{html}");
    assert_eq!(app.course_count(&api).await, 0, "previews save nothing");
}

/// A GET of a learner page as a French learner's browser sends it.
async fn page_fr(app: &TestApp, path: &str, cookie: Option<&str>) -> TestResponse {
    page_in(app, path, cookie, "fr-FR,fr;q=0.9").await
}

/// Issue 11's acceptance: an unknown course on a learner page is an HTML 404 in French, with
/// the site header, the security headers and the page CSP; `/api` keeps its JSON.
#[tokio::test]
async fn errors_on_learner_pages_are_pages_in_the_readers_language() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    form(&app, "/lang", Some(&cookie), &[("lang", "fr"), ("back", "/courses")]).await;
    for path in [
        format!("/courses/{}/edit", uuid::Uuid::new_v4()),
        "/courses/not-an-id/edit".to_owned(),
        format!("/courses/{}/delete", uuid::Uuid::new_v4()),
        format!("/institutions/{}/edit", uuid::Uuid::new_v4()),
        "/no-such-page".to_owned(),
    ] {
        // The browser says English; the learner chose French.
        let r = page(&app, &path, Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"), "{path}");
        assert!(r.header("content-security-policy").unwrap().contains("default-src 'none'"), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        let html = r.text();
        assert!(html.contains("<html lang=\"fr\">") && html.contains("<h1>Page introuvable</h1>"), "{path}: {html}");
        assert!(html.contains(">Mes cours</a>") && html.contains("action=\"/logout\""), "the learner's menu: {html}");
        assert!(html.contains("href=\"/dashboard\">Retour au tableau de bord"), "{html}");
    }
    let r = app.get(&format!("/api/v1/courses/{}", uuid::Uuid::new_v4()), &api).await;
    assert_eq!((r.status, r.header("content-type")), (StatusCode::NOT_FOUND, Some("application/json")));
    assert_eq!(r.error_code(), "not_found");
    // A visitor: the browser's language and the way in.
    let r = page_fr(&app, "/no-such-page", None).await;
    let html = r.text();
    assert!(html.contains("<html lang=\"fr\">") && html.contains(">Se connecter</a>"), "{html}");
    assert!(!html.contains("action=\"/logout\""));
    let r = page(&app, "/no-such-page", None).await;
    assert!(r.text().contains("<h1>Page not found</h1>"));
}

/// Refusals that no form shows (a form that cannot be read, a cross-site post) are pages too,
/// with the status they had; a script asking for JSON still gets JSON.
#[tokio::test]
async fn refusals_outside_any_form_are_pages_and_scripts_keep_json() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let request = TestApp::builder(Method::POST, "/settings", Auth::Cookie(&cookie))
        .header("content-type", "text/plain")
        .header("accept-language", "fr")
        .header("origin", "http://127.0.0.1:8080")
        .header("host", "127.0.0.1:8080")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from("name=x"))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.text().contains("<h1>Demande refusée</h1>") && r.text().contains("rien n’a été modifié"), "{}", r.text());
    // Refused before any page ran: the session's learner is still recognised (their menu, the
    // way back to their dashboard), in their language (none chosen, no browser's: French).
    let r = cross_site(&app, "/settings", &cookie, "name=Evil").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let html = r.text();
    assert!(html.contains("<h1>Action refusée</h1>") && html.contains("href=\"/dashboard\""), "{html}");
    // `/verify` answers scripts in JSON.
    let request = TestApp::builder(Method::POST, "/verify", Auth::None)
        .header("accept", "application/json")
        .header("content-type", "text/plain")
        .body(Body::from("x"))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["problem"], "not_multipart");
}

/// Issue 11's acceptance: on a French learner page, a bad date is refused in French, naming the
/// field by its label ("Date de fin"), not by its path (`finished_on`); what was typed is kept
/// and nothing is saved.
#[tokio::test]
async fn a_bad_date_on_a_french_page_is_refused_in_french_naming_the_field_by_its_label() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app).await;
    form(&app, "/lang", Some(&cookie), &[("lang", "fr"), ("back", "/courses/new")]).await;
    let course = [("title", "Gestion de projet"), ("started_on", "2015-02-01"), ("finished_on", "2015-13-45")];
    let r = form(&app, "/courses/new", Some(&cookie), &course).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    let at = html.find("id=\"finished_on-error\"").expect("the message sits by the end date");
    let message: String = html[at..].chars().skip_while(|c| *c != '>').skip(1).take_while(|c| *c != '<').collect();
    assert!(message.contains("Date de fin"), "named by its label: {message}");
    assert!(message.contains("2015-13-45") && message.contains("date"), "says what is wrong: {message}");
    assert!(!html.contains("finished_on :") && !message.contains("finished_on"), "no internal name: {message}");
    assert!(!message.is_ascii(), "worded in French: {message}");
    assert!(html.contains("value=\"2015-13-45\"") && html.contains("value=\"Gestion de projet\""), "typed values kept");
    assert_eq!(app.course_count(&api).await, 0, "nothing saved");
}
