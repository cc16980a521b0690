//! Evidence upload: real files accepted with their SHA-256, impostors and giants refused.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::{Auth, TestApp, TestResponse, fixture, multipart};

async fn upload(app: &TestApp, token: &str, course: &str, name: &str, ty: &str, bytes: &[u8]) -> TestResponse {
    let (content_type, body) = multipart("file", name, ty, bytes);
    let request = TestApp::builder(Method::POST, &format!("/api/v1/courses/{course}/evidence"), Auth::Bearer(token))
        .header("content-type", content_type)
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn new_course(app: &TestApp, token: &str, title: &str) -> String {
    let r = app.post("/api/v1/courses", token, &json!({"title": title})).await;
    r.json()["id"].as_str().unwrap().to_owned()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn a_real_pdf_is_stored_with_its_sha256() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let course = new_course(&app, &token, "Gestion de projet").await;
    let pdf = fixture("certificate.pdf");
    let r = upload(&app, &token, &course, "../../certificat «final» <x>.pdf", "application/pdf", &pdf).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let digest = sha256(&pdf);
    assert_eq!(r.json()["sha256"], digest.as_str());
    assert_eq!(r.json()["size"], pdf.len());
    assert_eq!(r.json()["media_type"], "application/pdf");
    assert_eq!(r.json()["file_name"], "certificat «final» <x>.pdf", "display text, never a path");

    let shown = app.get(&format!("/api/v1/courses/{course}"), &token).await.json();
    assert_eq!(shown["evidence"]["sha256"], digest.as_str(), "the course shows it too");

    let download = app.get(&format!("/api/v1/courses/{course}/evidence"), &token).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_ref(), pdf.as_slice(), "the exact bytes");
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    assert!(download.header("content-disposition").unwrap().starts_with("attachment;"));
    assert_eq!(download.header("content-security-policy"), Some("sandbox; default-src 'none'"));
    assert_eq!(download.header("x-content-type-options"), Some("nosniff"));

    // The bytes are in the object store, named by their SHA-256 (never by the uploaded name),
    // and nothing else was written.
    let stored = app.state.db.files().list().await.unwrap();
    assert_eq!(stored.iter().map(|o| o.sha256.as_str()).collect::<Vec<_>>(), [digest.as_str()]);
    assert_eq!(app.state.db.files().get(&digest).await.unwrap().unwrap().as_ref(), pdf.as_slice());
    let mut names = Vec::new();
    let mut dirs = vec![app.dir.path().to_owned()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                dirs.push(e.path());
            } else {
                names.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    assert!(names.iter().all(|n| n.starts_with("certfolio.sqlite3") || n == &digest), "{names:?}");
}

#[tokio::test]
async fn impostors_are_refused_with_415() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let course = new_course(&app, &token, "x").await;
    let html = b"<!doctype html><html><script>alert(document.cookie)</script></html>";
    let r = upload(&app, &token, &course, "certificate.pdf", "application/pdf", html).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.text());
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend_from_slice(&[0; 16]);
    let r = upload(&app, &token, &course, "scan.pdf", "application/pdf", &png).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "a PNG declared as a PDF");
    let r = upload(&app, &token, &course, "anim.gif", "image/gif", b"GIF89a\x01\0\x01\0\0\0\0;").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = upload(&app, &token, &course, "scan.png", "image/png", &png).await;
    assert_eq!(r.status, StatusCode::CREATED, "the same PNG, honestly named: {}", r.text());
}

#[tokio::test]
async fn over_10_mib_is_refused_with_413() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let course = new_course(&app, &token, "x").await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    // Announced by Content-Length: refused before the body is read.
    let r = upload(&app, &token, &course, "big.pdf", "application/pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert_eq!(r.error_code(), "payload_too_large");
    // Not announced (chunked): cut off while streaming.
    let (content_type, body) = multipart("file", "big.pdf", "application/pdf", &big);
    let stream = futures_stream(body);
    let request = TestApp::builder(Method::POST, &format!("/api/v1/courses/{course}/evidence"), Auth::Bearer(&token))
        .header("content-type", content_type)
        .body(stream)
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    let shown = app.get(&format!("/api/v1/courses/{course}"), &token).await.json();
    assert!(shown.get("evidence").is_none(), "nothing stored");
}

/// A body without a known length, sent in 64 KiB chunks.
fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(axum::body::Bytes::copy_from_slice(c))).collect();
    Body::from_stream(tokio_stream_iter(chunks))
}

fn tokio_stream_iter<T>(items: Vec<T>) -> impl futures_core::Stream<Item = T> {
    struct Iter<T>(std::vec::IntoIter<T>);
    impl<T> futures_core::Stream for Iter<T> {
        type Item = T;
        fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    impl<T> Unpin for Iter<T> {}
    Iter(items.into_iter())
}

#[tokio::test]
async fn a_pixel_flood_is_refused_from_the_header() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let course = new_course(&app, &token, "x").await;
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    let r = upload(&app, &token, &course, "flood.png", "image/png", &png).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.error_field(), "file");
}

#[tokio::test]
async fn the_per_learner_quota_holds() {
    let app = TestApp::with_config(|c| c.evidence_quota_files = 2);
    let token = app.learner("a@example.org").await;
    let pdf = fixture("certificate.pdf");
    for i in 0..2 {
        let course = new_course(&app, &token, &format!("c{i}")).await;
        assert_eq!(upload(&app, &token, &course, "c.pdf", "application/pdf", &pdf).await.status, StatusCode::CREATED);
    }
    let third = new_course(&app, &token, "c2").await;
    let r = upload(&app, &token, &third, "c.pdf", "application/pdf", &pdf).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert_eq!(app.count("evidence").await, 2, "nothing stored past the quota");
}

#[tokio::test]
async fn uploads_need_the_file_field_and_an_own_course() {
    let app = TestApp::new();
    let token = app.learner("a@example.org").await;
    let other = app.learner("b@example.org").await;
    let course = new_course(&app, &token, "x").await;
    let pdf = fixture("certificate.pdf");
    let (content_type, body) = multipart("document", "c.pdf", "application/pdf", &pdf);
    let request = TestApp::builder(Method::POST, &format!("/api/v1/courses/{course}/evidence"), Auth::Bearer(&token))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_field(), "document");
    let r = upload(&app, &other, &course, "c.pdf", "application/pdf", &pdf).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another learner's course");
    // Replacing and removing.
    assert_eq!(upload(&app, &token, &course, "c.pdf", "application/pdf", &pdf).await.status, StatusCode::CREATED);
    assert_eq!(upload(&app, &token, &course, "c2.pdf", "application/pdf", &pdf).await.status, StatusCode::CREATED);
    let r = app.delete(&format!("/api/v1/courses/{course}/evidence"), &token).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("evidence").await, 0);
    // The file stays in the store until the orphan sweep, which removes it once it is older
    // than the grace period (here: as the sweep would see it an hour and a bit from now).
    let files = app.state.db.files();
    assert_eq!(files.list().await.unwrap().len(), 1);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let kept = app.state.db.sweep_orphans(now).await.unwrap();
    assert_eq!((kept.removed, kept.young), (0, 1), "too recent to judge");
    let swept = app.state.db.sweep_orphans(now + certfolio::storage::files::ORPHAN_GRACE_SECS + 1).await.unwrap();
    assert_eq!(swept.removed, 1, "no orphan left");
    assert!(files.list().await.unwrap().is_empty());
}
