//! Issue 12's pages: the saved portfolio builder (exclude, pin, order, statement, live preview
//! fragment), the sharing tools (link page with copy, QR code, mailto; expiry; replacement),
//! every field on the course page, evidence on the new-course form, the bulk edit and the
//! filter by skill. A fresh database per test; refusals named in the page's language;
//! another learner's things answer 404; cross-site posts are refused.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Auth, PASSWORD, TestApp, TestResponse};
use crate::pages::{form, page, session_cookie, signed_in};

async fn api_token(app: &TestApp, email: &str) -> String {
    app.login(email, PASSWORD).await.json()["token"].as_str().unwrap().to_owned()
}

async fn course(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post("/api/v1/courses", token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_owned()
}

/// Three certified data courses, newest last: "SQL" (2021), "Python" (2022), "Tableau" (2023).
async fn three_courses(app: &TestApp, token: &str) -> [String; 3] {
    let mut ids = Vec::new();
    for (title, year) in [("SQL", 2021), ("Python", 2022), ("Tableau", 2023)] {
        ids.push(
            course(
                app,
                token,
                json!({"title": title, "field": "data", "institution": "EPFL", "started_on": format!("{year}-01-10"),
                       "finished_on": format!("{year}-03-01"), "outcome": "completed",
                       "attestation": {"kind": "achievement", "issued_on": format!("{year}-03-02")}}),
            )
            .await,
        );
    }
    ids.try_into().unwrap()
}

async fn bob(app: &TestApp) -> String {
    let r = form(app, "/signup", None, &[("name", "Bob"), ("email", "bob@example.org"), ("password", PASSWORD)]).await;
    session_cookie(&r)
}

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

/// Where `html` first has `needle`; panics with the page when it does not.
fn at(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {html}"))
}

/// A new saved portfolio made through its page; its id.
async fn new_portfolio(app: &TestApp, cookie: &str, name: &str) -> String {
    let r = form(app, "/portfolios", Some(cookie), &[("name", name), ("framing", "appetite"), ("scope", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.header("location").unwrap().trim_start_matches("/portfolios/").to_owned()
}

#[tokio::test]
async fn a_saved_portfolio_is_built_on_its_page_excluding_pinning_ordering_and_in_my_words() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app, "camille@example.org").await;
    let [sql, python, tableau] = three_courses(&app, &api).await;

    // A nameless portfolio is refused beside its field, named by its label.
    let r = form(&app, "/portfolios", Some(&cookie), &[("name", " "), ("framing", "appetite")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"name-error\"") && html.contains(">Name: "), "{html}");
    assert_eq!(app.get("/api/v1/portfolios", &api).await.json()["count"], 0, "nothing saved");

    let id = new_portfolio(&app, &cookie, "Data analyst — Acme").await;
    let builder = page(&app, &format!("/portfolios/{id}"), Some(&cookie)).await;
    assert_eq!(builder.status, StatusCode::OK);
    let csp = builder.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe"), "{csp}");
    let html = builder.text();
    assert!(html.contains("<script src=\"/static/builder.js\" defer></script>"), "{html}");
    assert!(html.contains(&format!("data-live-preview=\"/portfolios/{id}\"")));
    // Appetite: newest first, in the table as in the preview.
    assert!(at(&html, &format!("id=\"row-{tableau}\"")) < at(&html, &format!("id=\"row-{sql}\"")));

    // Exclude Python, pin SQL then Tableau, a statement with markup; the order is the rows'.
    let statement = "J’apprends seule, le soir. <script>alert(1)</script>";
    let save = |extra: Vec<(&'static str, String)>| {
        let mut fields: Vec<(String, String)> = vec![
            ("name".into(), "Data analyst — Acme".into()),
            ("framing".into(), "appetite".into()),
            ("scope".into(), String::new()),
            ("lang".into(), "en".into()),
            ("statement".into(), statement.into()),
            ("ordered".into(), "0".into()),
        ];
        for c in [&tableau, &python, &sql] {
            fields.push(("order".into(), c.clone()));
        }
        fields.push((format!("shown.{python}"), "out".into()));
        fields.push(("pin".into(), sql.clone()));
        fields.push(("pin".into(), tableau.clone()));
        fields.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
        fields
    };
    let send = |fields: Vec<(String, String)>| {
        let (app, cookie, id) = (&app, &cookie, &id);
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            form(app, &format!("/portfolios/{id}"), Some(cookie), &refs).await
        }
    };
    let r = send(save(vec![])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), Some(format!("/portfolios/{id}?done=saved").as_str()));
    let saved = app.get(&format!("/api/v1/portfolios/{id}"), &api).await.json();
    assert_eq!(saved["exclude"], json!([python]), "{saved}");
    // Pins in the table's order (Tableau's row comes first).
    assert_eq!(saved["pinned"], json!([tableau, sql]), "{saved}");
    assert!(saved.get("order").is_none(), "no move: the framing's own order is kept: {saved}");
    assert_eq!(saved["statement"], statement);

    let html = page(&app, &format!("/portfolios/{id}?done=saved"), Some(&cookie)).await.text();
    assert!(html.contains("Portfolio saved."), "{html}");
    let preview = &html[at(&html, "id=\"preview\"")..];
    assert!(preview.contains("In my words") && preview.contains("&#60;script&#62;alert(1)"), "{preview}");
    assert!(!preview.contains("<script>alert"), "escaped");
    assert!(!preview.contains(">Python<"), "the excluded course is not previewed");
    assert!(at(preview, ">Tableau<") < at(preview, ">SQL<"), "pinned first, in order");

    // Moving SQL up (a submit button, no script) saves the order with it; the answer returns
    // to SQL's row.
    let r = send(save(vec![("move", format!("up:{sql}"))])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), Some(format!("/portfolios/{id}?done=saved#row-{sql}").as_str()));
    let saved = app.get(&format!("/api/v1/portfolios/{id}"), &api).await.json();
    assert_eq!(saved["order"], json!([tableau, sql, python]), "{saved}");
    assert_eq!(saved["pinned"], json!([tableau, sql]));

    // The same shape reaches the PDF made from the saved portfolio.
    let pdf = page(&app, &format!("/portfolios/{id}/portfolio.pdf"), Some(&cookie)).await;
    assert_eq!((pdf.status, pdf.header("content-type")), (StatusCode::OK, Some("application/pdf")));

    // The live preview: the fragment of the choices typed, unsaved, without the page around it.
    let query = format!(
        "/portfolios/{id}?fragment=1&name=x&framing=appetite&scope=&lang=fr&statement=Mes+mots&order={sql}&order={python}&order={tableau}&ordered=1&pin={python}"
    );
    let fragment = page(&app, &query, Some(&cookie)).await;
    assert_eq!(fragment.status, StatusCode::OK);
    let frag = fragment.text();
    assert!(!frag.contains("<html") && !frag.contains("<form"), "{frag}");
    assert!(frag.contains("En mes mots") && frag.contains("Mes mots"), "the portfolio's language: {frag}");
    assert!(at(&frag, ">Python<") < at(&frag, ">SQL<") && at(&frag, ">SQL<") < at(&frag, ">Tableau<"), "{frag}");
    assert_eq!(app.get(&format!("/api/v1/portfolios/{id}"), &api).await.json()["statement"], statement, "unsaved");
    // An unknown framing in the fragment is said, named.
    let bad = page(&app, &format!("/portfolios/{id}?fragment=1&framing=both"), Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("Framing: "), "{}", bad.text());

    // Refusals: six pins; a statement past 600 characters; each beside its field, nothing saved.
    let many: Vec<(&'static str, String)> = vec![("statement", "é".repeat(601))];
    let r = send(save(many)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"statement-error\"") && html.contains("Personal statement: "), "{html}");
    assert!(html.contains(&"é".repeat(601)), "what was typed is kept");
    let ids: Vec<String> = (0..6).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let mut pins = save(vec![]);
    pins.extend(ids.iter().map(|i| ("pin".to_owned(), i.clone())));
    let r = send(pins).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("id=\"pinned-error\"") || r.text().contains("id=\"courses-error\""), "{}", r.text());
    assert_eq!(app.get(&format!("/api/v1/portfolios/{id}"), &api).await.json()["statement"], statement);

    // In French, the refusal is French and names the French label.
    form(&app, "/lang", Some(&cookie), &[("lang", "fr"), ("back", "/")]).await;
    let r = send(save(vec![("statement", "x".repeat(601))])).await;
    assert!(r.text().contains("Texte personnel\u{a0}: "), "{}", r.text());

    // Another learner: every page and form of this portfolio is not found.
    let other = bob(&app).await;
    for path in [format!("/portfolios/{id}"), format!("/portfolios/{id}?fragment=1&framing=appetite")] {
        assert_eq!(page(&app, &path, Some(&other)).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in [format!("/portfolios/{id}"), format!("/portfolios/{id}/share"), format!("/portfolios/{id}/delete")] {
        let r = form(&app, &path, Some(&other), &[("name", "Mine"), ("framing", "appetite")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        page(&app, &format!("/portfolios/{id}/portfolio.pdf"), Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    // A cross-site post is refused.
    for path in [format!("/portfolios/{id}"), "/portfolios".to_owned(), format!("/portfolios/{id}/share")] {
        assert_eq!(cross_site(&app, &path, &cookie, "name=Evil&framing=appetite").await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.get(&format!("/api/v1/portfolios/{id}"), &api).await.json()["name"], "Data analyst — Acme");

    // Deleting it.
    let r = form(&app, &format!("/portfolios/{id}/delete"), Some(&cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(page(&app, &format!("/portfolios/{id}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_link_from_a_saved_portfolio_is_copied_scanned_mailed_its_expiry_changed_and_replaced() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app, "camille@example.org").await;
    three_courses(&app, &api).await;
    let id = new_portfolio(&app, &cookie, "Acme").await;

    // A bad expiry is refused beside its field, on the builder, with what was typed.
    let share = format!("/portfolios/{id}/share");
    let r =
        form(&app, &share, Some(&cookie), &[("mode", "follow"), ("label", "Acme HR"), ("expires_in_days", "0")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"expires_in_days-error\"") && html.contains("value=\"Acme HR\""), "{html}");
    assert!(html.contains("value=\"follow\" checked"), "the choice is kept");
    assert_eq!(app.get("/api/v1/shares", &api).await.json()["count"], 0);

    let r =
        form(&app, &share, Some(&cookie), &[("mode", "follow"), ("label", "Acme HR"), ("expires_in_days", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let link_page = r.header("location").unwrap().to_owned();
    let share_id = link_page.trim_start_matches("/shares/").to_owned();
    let shown = page(&app, &link_page, Some(&cookie)).await;
    assert!(shown.header("content-security-policy").unwrap().contains("script-src 'self'"));
    let html = shown.text();
    let start = at(&html, "http://127.0.0.1:8080/s/");
    let url: String = html[start..].chars().take_while(|c| *c != '"').collect();
    assert!(html.contains("data-copy=\"share-url\"") && html.contains("Copy the link"), "{html}");
    assert!(html.contains("<svg class=\"qr\" role=\"img\" aria-label=\"QR code of the link\""), "{html}");
    assert!(html.contains("href=\"mailto:?subject=My%20portfolio&#38;body=") && html.contains("%2Fs%2F"), "{html}");
    assert!(html.contains("This link follows the portfolio"), "the mode is said: {html}");
    let path = url.trim_start_matches("http://127.0.0.1:8080").to_owned();
    assert_eq!(page(&app, &path, None).await.status, StatusCode::OK);

    // The list: label, portfolio, expiry and views in the page's language.
    let list = page(&app, "/shares", Some(&cookie)).await.text();
    assert!(list.contains("Acme HR") && list.contains("<dd>Acme — This link follows the portfolio"), "{list}");
    assert!(list.contains("<dt>Expiry</dt><dd>never</dd>") && list.contains("<dt>Views</dt><dd>1</dd>"), "{list}");
    // A bad new expiry is said beside that link's field; a good one is kept.
    let r = form(&app, &format!("/shares/{share_id}/expiry"), Some(&cookie), &[("expires_in_days", "soon")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains(&format!("id=\"days-{share_id}-error\"")) && r.text().contains("value=\"soon\""));
    let r = form(&app, &format!("/shares/{share_id}/expiry"), Some(&cookie), &[("expires_in_days", "10")]).await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, Some("/shares?done=expiry")));
    let list = page(&app, "/shares?done=expiry", Some(&cookie)).await.text();
    assert!(list.contains("Expiry changed.") && !list.contains("<dd>never</dd>") && list.contains("value=\"10\""));
    let listed = app.get("/api/v1/shares", &api).await.json();
    assert!(listed["shares"][0]["expires_at"].is_string(), "{listed}");

    // A quarter of an hour later the URL is no longer shown (only its hash is stored); it
    // can be replaced in one step, the old link then answering 404.
    app.state.clock.advance(std::time::Duration::from_secs(16 * 60));
    let html = page(&app, &link_page, Some(&cookie)).await.text();
    assert!(!html.contains(&url) && html.contains("can no longer be shown"), "{html}");
    let r = form(&app, &format!("/shares/{share_id}/replace"), Some(&cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let replaced = r.header("location").unwrap().to_owned();
    assert!(replaced.ends_with("?done=replaced") && !replaced.contains(&share_id), "{replaced}");
    let html = page(&app, &replaced, Some(&cookie)).await.text();
    assert!(html.contains("The link was replaced"), "{html}");
    let start = at(&html, "http://127.0.0.1:8080/s/");
    let new_url: String = html[start..].chars().take_while(|c| *c != '"').collect();
    assert_ne!(new_url, url);
    assert_eq!(page(&app, &path, None).await.status, StatusCode::NOT_FOUND, "the old link is revoked");
    let new_path = new_url.trim_start_matches("http://127.0.0.1:8080");
    assert_eq!(page(&app, new_path, None).await.status, StatusCode::OK);

    // In French the list speaks French.
    form(&app, "/lang", Some(&cookie), &[("lang", "fr"), ("back", "/")]).await;
    let list = page(&app, "/shares", Some(&cookie)).await.text();
    assert!(list.contains("<dt>Vues</dt>") || list.contains("Vues"), "{list}");
    assert!(list.contains("Ce lien suit le portfolio"), "{list}");

    // Another learner sees none of it.
    let other = bob(&app).await;
    assert_eq!(page(&app, &link_page, Some(&other)).await.status, StatusCode::NOT_FOUND);
    let r = form(&app, &format!("/shares/{share_id}/expiry"), Some(&other), &[("expires_in_days", "3")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let new_id = replaced.trim_start_matches("/shares/").trim_end_matches("?done=replaced");
    assert_eq!(form(&app, &format!("/shares/{new_id}/replace"), Some(&other), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(cross_site(&app, &format!("/shares/{new_id}/replace"), &cookie, "").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_builder_script_is_served_from_the_app() {
    let app = TestApp::new();
    let r = page(&app, "/static/builder.js", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").unwrap().starts_with("text/javascript"));
    assert!(r.text().contains("data-live-preview") && r.text().contains("fragment"));
}

const ALL_FIELDS: [(&str, &str); 23] = [
    ("title", "Gestion de projet"),
    ("institution", "Centrale Lille"),
    ("platform", "FUN-MOOC"),
    ("field", "management"),
    ("themes", "project management, agile"),
    ("skills", "Planning\nRisk analysis | http://data.europa.eu/esco/skill/abc"),
    ("hours", "20"),
    ("language", "fr"),
    ("started_on", "2015-02-01"),
    ("finished_on", "2015-04-28"),
    ("outcome", "completed"),
    ("follow_mode", "prescribed"),
    ("prior_mastery", "yes"),
    ("kind", "achievement"),
    ("issued_on", "2015-05-02"),
    ("expires_on", "2030-05-02"),
    ("credential_id", "FUN-8B9D2434"),
    ("url", "https://example.org/verify/8b9d2434"),
    ("grade", "92/100"),
    ("ects", "2,5"),
    ("motive", "required by job offers"),
    ("notes", "Evenings, line one\r\nline two"),
    ("extra", "ignored"),
];

#[tokio::test]
async fn every_field_of_the_document_is_edited_on_the_course_page_with_a_saved_message() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app, "camille@example.org").await;
    let fields: Vec<(&str, &str)> = ALL_FIELDS.iter().filter(|(k, _)| *k != "extra").copied().collect();
    let r = form(&app, "/courses/new", Some(&cookie), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let edit = r.header("location").unwrap().to_owned();
    assert!(edit.ends_with("/edit?done=saved"), "{edit}");
    let html = page(&app, &edit, Some(&cookie)).await.text();
    assert!(html.contains("Course saved."), "{html}");
    assert!(html.contains("value=\"project management, agile\"") && html.contains("value=\"92/100\""), "{html}");
    assert!(html.contains("Risk analysis | http://data.europa.eu/esco/skill/abc</textarea>"), "{html}");
    assert!(
        html.contains("<option value=\"yes\" selected>") && html.contains("<option value=\"prescribed\" selected>")
    );
    let courses = app.get("/api/v1/courses", &api).await.json();
    let c = &courses["courses"][0];
    assert_eq!(c["themes"], json!(["project management", "agile"]), "{c}");
    assert_eq!(
        c["skills"],
        json!(["Planning", {"name": "Risk analysis", "uri": "http://data.europa.eu/esco/skill/abc"}])
    );
    assert_eq!((c["language"].clone(), c["follow_mode"].clone()), (json!("fr"), json!("prescribed")));
    assert_eq!((c["prior_mastery"].clone(), c["motive"].clone()), (json!(true), json!("required by job offers")));
    assert_eq!(c["notes"], "Evenings, line one\nline two");
    let a = &c["attestation"];
    assert_eq!(
        (a["grade"].clone(), a["ects"].clone(), a["expires_on"].clone()),
        (json!("92/100"), json!(2.5), json!("2030-05-02"))
    );

    // A bad value is refused beside its field, named by its label; nothing is saved.
    let id = edit.trim_start_matches("/courses/").trim_end_matches("/edit?done=saved");
    for (name, bad, label) in [
        ("ects", "beaucoup", "ECTS credits: "),
        ("language", "français!", "Language of the course: "),
        ("skills", "x | javascript:alert(1)", "Skills: "),
    ] {
        let mut changed: Vec<(&str, &str)> = fields.clone();
        for f in &mut changed {
            if f.0 == name {
                f.1 = bad;
            }
        }
        let r = form(&app, &format!("/courses/{id}"), Some(&cookie), &changed).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let html = r.text();
        assert!(html.contains(&format!("id=\"{name}-error\"")) && html.contains(label), "{name}: {html}");
    }
    assert_eq!(app.get("/api/v1/courses", &api).await.json()["courses"][0]["attestation"]["ects"], json!(2.5));
    // Clearing a field on the page clears it in the record.
    let mut cleared = fields.clone();
    for f in &mut cleared {
        if f.0 == "themes" || f.0 == "prior_mastery" {
            f.1 = "";
        }
    }
    let r = form(&app, &format!("/courses/{id}"), Some(&cookie), &cleared).await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, Some(edit.as_str())));
    let c = &app.get("/api/v1/courses", &api).await.json()["courses"][0];
    assert!(c.get("themes").is_none() && c.get("prior_mastery").is_none(), "{c}");
}

/// The new-course form as a browser sends it with a file chosen.
async fn new_course_with_file(
    app: &TestApp,
    cookie: &str,
    title: &str,
    name: &str,
    ty: &str,
    bytes: &[u8],
) -> TestResponse {
    let body = crate::helpers::multipart_with(&[("title", title), ("kind", "completion")], "file", name, ty, bytes);
    crate::pages::multipart_post(app, "/courses/new", cookie, body).await
}

#[tokio::test]
async fn evidence_is_attached_from_the_new_course_form_and_a_bad_file_saves_nothing() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app, "camille@example.org").await;
    let html = page(&app, "/courses/new", Some(&cookie)).await.text();
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("Certificate file (optional)"));

    let r = new_course_with_file(&app, &cookie, "Faux", "cert.pdf", "application/pdf", b"not a pdf at all").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.text());
    let html = r.text();
    assert!(html.contains("id=\"file-error\"") && html.contains("Certificate file: only PDF, PNG and JPEG"), "{html}");
    assert!(html.contains("value=\"Faux\""), "what was typed is kept");
    assert_eq!(app.course_count(&api).await, 0, "a refused file saves nothing");

    let pdf = crate::helpers::fixture("certificate.pdf");
    let r = new_course_with_file(&app, &cookie, "Vrai", "cert.pdf", "application/pdf", &pdf).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let edit = r.header("location").unwrap().to_owned();
    let html = page(&app, &edit, Some(&cookie)).await.text();
    assert!(html.contains("Course saved.") && html.contains("cert.pdf"), "{html}");
    let sha: String = app.sql_value("SELECT sha256 FROM evidence").await;
    assert!(html.contains(&sha), "{html}");
}

#[tokio::test]
async fn the_course_list_edits_many_courses_at_once_selects_an_import_and_filters_by_skill() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app, "camille@example.org").await;
    let [sql, python, tableau] = three_courses(&app, &api).await;
    course(&app, &api, json!({"title": "Excel", "skills": ["Pivot tables"]})).await;

    // Nothing ticked: refused, named, nothing changed.
    let r = form(&app, "/courses/bulk", Some(&cookie), &[("field", "analytics")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Nothing was changed. Selected courses: "), "{}", r.text());
    // Nothing to set: refused.
    let r = form(&app, "/courses/bulk", Some(&cookie), &[("course", &sql)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = form(
        &app,
        "/courses/bulk",
        Some(&cookie),
        &[
            ("course", &sql),
            ("course", &python),
            ("field", "analytics"),
            ("themes", "reporting"),
            ("skills", "SQL\nPython"),
            ("outcome", "audited"),
            ("follow_mode", "selective"),
            ("prior_mastery", "no"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = page(&app, r.header("location").unwrap(), Some(&cookie)).await.text();
    assert!(html.contains("2 courses changed."), "{html}");
    let courses = app.get("/api/v1/courses", &api).await.json();
    let by_title = |t: &str| courses["courses"].as_array().unwrap().iter().find(|c| c["title"] == t).unwrap().clone();
    let s = by_title("SQL");
    assert_eq!(
        (s["field"].clone(), s["themes"].clone(), s["outcome"].clone()),
        (json!("analytics"), json!(["reporting"]), json!("audited"))
    );
    assert_eq!((s["follow_mode"].clone(), s["prior_mastery"].clone()), (json!("selective"), json!(false)));
    assert_eq!(by_title("Tableau")["field"], "data", "unticked: unchanged");

    // A value the course rules refuse changes nothing, and says which field.
    let long = "x".repeat(101);
    let r = form(&app, "/courses/bulk", Some(&cookie), &[("course", &tableau), ("field", &long)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Field: "), "{}", r.text());

    // Filter by skill, on the list and from the dashboard.
    let html = page(&app, "/courses?skill=Python", Some(&cookie)).await.text();
    assert!(
        html.contains(">SQL<") && html.contains(">Python<") && !html.contains(">Excel<") && !html.contains(">Tableau<")
    );
    let dash = page(&app, "/dashboard", Some(&cookie)).await.text();
    assert!(dash.contains("<option value=\"Pivot tables\">Pivot tables (1)</option>"), "{dash}");

    // Another learner's course cannot be edited through the bulk form.
    let other = bob(&app).await;
    let r = form(&app, "/courses/bulk", Some(&other), &[("course", &sql), ("field", "mine")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        cross_site(&app, "/courses/bulk", &cookie, &format!("course={sql}&field=evil")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn all_the_courses_of_one_import_are_selected_in_one_click() {
    let app = TestApp::new();
    let cookie = signed_in(&app).await;
    let api = api_token(&app, "camille@example.org").await;
    course(&app, &api, json!({"title": "Typed by hand"})).await;
    let csv = "title,platform,field\nSQL basics,Coursera,computing\nR for data,edX,computing\n";
    let r = crate::helpers::import_raw(&app, &api, "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let import = app.get("/api/v1/imports", &api).await.json();
    let import_id = import["imports"][0]["id"].as_str().unwrap().to_owned();

    let html = page(&app, "/courses", Some(&cookie)).await.text();
    let link = format!("/courses?import={import_id}");
    assert!(html.contains(&link), "{html}");
    let html = page(&app, &link, Some(&cookie)).await.text();
    assert_eq!(html.matches("name=\"course\"").count(), 2, "only that import's courses: {html}");
    assert_eq!(html.matches("checked>").count(), 2, "all ticked: {html}");
    assert!(!html.contains("Typed by hand"));
    // Then one submit re-tags them all.
    let ids: Vec<String> = app.get("/api/v1/courses", &api).await.json()["courses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["import_id"] == import_id.as_str())
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|i| ("course", i.as_str())).collect();
    fields.push(("field", "data"));
    let r = form(&app, "/courses/bulk", Some(&cookie), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = page(&app, r.header("location").unwrap(), Some(&cookie)).await.text();
    assert!(html.contains("2 courses changed."), "{html}");
    let p = app.get("/api/v1/portfolio?framing=legitimacy&field=data&include_uncertified=true", &api).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    let text = p.text();
    assert!(text.contains("SQL basics") && text.contains("R for data"), "{text}");
}
