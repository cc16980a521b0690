//! Hostile and broken files through `POST /api/v1/import` and `certfolio import` (issue 6 point
//! 4, R35): huge, deep, binary, truncated. Each gets a clear answer naming its problem, quickly,
//! with bounded memory, and stores nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{Method, StatusCode};

use crate::helpers::{Auth, TestApp, TestResponse, fixture, import_raw as upload};

const MIB: usize = 1024 * 1024;

/// A 422 whose message says `says` (and whose `field` is `field`), answered within `within`,
/// with nothing stored.
async fn assert_refused(app: &TestApp, token: &str, r: &TestResponse, field: &str, says: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.error_field(), field, "{}", r.text());
    let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains(says), "{message}");
    assert!(message.len() <= certfolio::domain::MAX_ERROR_LEN, "a {}-byte message", message.len());
    assert_eq!(app.course_count(token).await, 0, "nothing stored");
}

/// `total` bytes of `fill`, produced in 64 KiB chunks only as the server asks for them; `pulled`
/// counts what it asked for.
fn lazy_body(total: usize, fill: u8, pulled: Arc<AtomicUsize>) -> Body {
    struct Lazy {
        left: usize,
        fill: u8,
        pulled: Arc<AtomicUsize>,
    }
    impl futures_core::Stream for Lazy {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            let n = self.left.min(64 * 1024);
            if n == 0 {
                return std::task::Poll::Ready(None);
            }
            self.left -= n;
            self.pulled.fetch_add(n, Ordering::Relaxed);
            std::task::Poll::Ready(Some(Ok(Bytes::from(vec![self.fill; n]))))
        }
    }
    Body::from_stream(Lazy { left: total, fill, pulled })
}

#[tokio::test]
async fn a_100_mb_upload_is_refused_with_413_quickly_without_being_read_whole() {
    let app = TestApp::new();
    let token = app.learner("big@example.org").await;
    let limit = app.state.config.import_max_bytes;
    for announced in [true, false] {
        let pulled = Arc::new(AtomicUsize::new(0));
        let mut request =
            TestApp::builder(Method::POST, "/api/v1/import", Auth::Bearer(&token)).header("content-type", "text/csv");
        if announced {
            request = request.header("content-length", (100 * MIB).to_string());
        }
        let started = Instant::now();
        let r = app.send(request.body(lazy_body(100 * MIB, b'x', Arc::clone(&pulled))).unwrap()).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "announced {announced}: {}", r.text());
        assert_eq!(r.error_code(), "payload_too_large");
        assert!(started.elapsed() < Duration::from_secs(1), "announced {announced}: {:?}", started.elapsed());
        let read = pulled.load(Ordering::Relaxed);
        assert!(read <= limit + 64 * 1024, "announced {announced}: {read} bytes read for a {limit}-byte limit");
    }
    assert_eq!(app.course_count(&token).await, 0);
}

#[tokio::test]
async fn json_nested_10000_deep_is_refused_with_422_naming_the_depth() {
    let app = TestApp::new();
    let token = app.learner("deep@example.org").await;
    let depth = 10_000;
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let resume = format!("{{\"certificates\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
    let resume_objects = format!("{{\"basics\":{}1{}}}", "{\"a\":".repeat(depth), "}".repeat(depth));
    for body in [&objects, &resume, &resume_objects] {
        let started = Instant::now();
        let r = upload(&app, &token, "application/json", body.clone().into_bytes()).await;
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        assert_refused(&app, &token, &r, "", "nested more than 128 levels deep").await;
    }
    // An array at the top is neither a document nor a resume, and is told so first.
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let r = upload(&app, &token, "application/json", arrays.into_bytes()).await;
    assert_refused(&app, &token, &r, "", "a JSON array, not an object").await;

    // The parsers themselves, without the detection in front.
    for body in [objects, resume, resume_objects] {
        let started = Instant::now();
        let doc = certfolio::domain::parse_document(body.as_bytes()).unwrap_err();
        let jr = certfolio::interop::jsonresume::parse(body.as_bytes()).unwrap_err();
        for e in [doc, jr] {
            assert!(e.message().contains("nested more than 128 levels deep"), "{}", e.message());
        }
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    }
}

#[tokio::test]
async fn csv_with_a_huge_cell_many_columns_or_binary_gets_a_clear_short_error() {
    let app = TestApp::new();
    let token = app.learner("csv@example.org").await;
    // A 7 MiB cell (under the 8 MiB limit), in a text column and in a number column: the error
    // names the cell and quotes a bounded piece of it, not 7 MiB.
    let huge = "9".repeat(7 * MIB);
    for (header, column, says) in [
        ("title,hours", "title", "characters long; at most 300"),
        ("title,hours", "hours", "is not a number of hours"),
        ("title,started_on", "started_on", "is not a date of the form YYYY-MM-DD"),
    ] {
        let body = if column == "title" { format!("{header}\n{huge},1\n") } else { format!("{header}\nA,{huge}\n") };
        let started = Instant::now();
        let r = upload(&app, &token, "text/csv", body.into_bytes()).await;
        assert!(started.elapsed() < Duration::from_secs(5), "{column}: {:?}", started.elapsed());
        assert_refused(&app, &token, &r, &format!("line 2, column {column}"), says).await;
    }
    // The same in LinkedIn's format: a huge date and a huge URL.
    let linkedin = "Name,Url,Authority,Started On,Finished On,License Number";
    let r = upload(&app, &token, "text/csv", format!("{linkedin}\nA,,X,{huge},,\n").into_bytes()).await;
    assert_refused(&app, &token, &r, "line 2, column Started On", "is not a date like").await;
    let url = format!("https://example.org/{huge}");
    let r = upload(&app, &token, "text/csv", format!("{linkedin}\nA,{url},X,,,\n").into_bytes()).await;
    assert_refused(&app, &token, &r, "line 2, column Url", "at most 2048").await;

    // 100 000 columns: in the header, then in a row.
    let wide_header = (0..100_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    let r = upload(&app, &token, "text/csv", format!("title,{wide_header}\nA\n").into_bytes()).await;
    assert_refused(&app, &token, &r, "line 1, column c0", "unknown column `c0`").await;
    let wide_row = ",".repeat(99_999);
    let r = upload(&app, &token, "text/csv", format!("title\nA{wide_row}\n").into_bytes()).await;
    assert_refused(&app, &token, &r, "line 2", "has 100000 cells where the header has 1").await;

    // Binary garbage, and a CSV whose cell is not UTF-8.
    let garbage: Vec<u8> = (0..64 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let r = upload(&app, &token, "text/csv", garbage).await;
    assert_refused(&app, &token, &r, "", "not UTF-8 text").await;
    let r = upload(&app, &token, "text/csv", b"title,notes\nA,caf\xe9\n".to_vec()).await;
    assert_refused(&app, &token, &r, "", "not UTF-8 text").await;
}

#[tokio::test]
async fn truncated_utf8_a_byte_order_mark_and_crlf_are_handled() {
    let app = TestApp::new();
    let token = app.learner("enc@example.org").await;
    // A file cut in the middle of a character ("é" is two bytes).
    let cut = "title,platform\nCafé".as_bytes();
    let r = upload(&app, &token, "text/csv", cut[..cut.len() - 1].to_vec()).await;
    assert_refused(&app, &token, &r, "", "not UTF-8 text").await;
    let doc = fixture("doc24.json");
    let at = doc.windows(2).position(|w| w == "è".as_bytes()).unwrap() + 1;
    let r = upload(&app, &token, "application/json", doc[..at].to_vec()).await;
    assert_refused(&app, &token, &r, "", "invalid JSON").await;

    // A byte-order mark and CRLF line ends (Windows editors and spreadsheets) are read, in every
    // format: the portfolio document, the generic CSV, LinkedIn's and JSON Resume.
    let bom = |bytes: &[u8]| [b"\xEF\xBB\xBF".as_slice(), bytes].concat();
    let crlf = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).unwrap().replace('\n', "\r\n").into_bytes();
    let doc_crlf = crlf(&doc);
    let r = upload(&app, &token, "application/json", bom(&doc_crlf)).await;
    assert_eq!(r.status, StatusCode::CREATED, "document with a BOM: {}", r.text());
    assert_eq!(r.json()["created"], 24);
    let csv = crlf(b"title,platform,hours\nBOM course,edX,3\n");
    let r = upload(&app, &token, "text/csv", bom(&csv)).await;
    assert_eq!(r.status, StatusCode::CREATED, "CSV with a BOM: {}", r.text());
    let linkedin = crlf(b"Name,Url,Authority,Started On,Finished On,License Number\nBOM cert,,IBM,Mar 2020,,\n");
    let r = upload(&app, &token, "text/csv", bom(&linkedin)).await;
    assert_eq!(r.status, StatusCode::CREATED, "LinkedIn with a BOM: {}", r.text());
    let resume = crlf(b"{\n  \"certificates\": [{\"name\": \"BOM resume\", \"date\": \"2021\"}]\n}\n");
    let r = upload(&app, &token, "application/json", bom(&resume)).await;
    assert_eq!(r.status, StatusCode::CREATED, "JSON Resume with a BOM: {}", r.text());
    assert_eq!(app.course_count(&token).await, 27);
}

#[tokio::test]
async fn the_command_line_refuses_a_100_mb_file_in_one_line_without_reading_it() {
    let app = TestApp::new();
    app.learner("cli-big@example.org").await;
    let big = app.dir.path().join("huge.csv");
    // Sparse: 100 MB long, nothing written, so the test costs no disk and no time.
    std::fs::File::create(&big).unwrap().set_len(100 * MIB as u64).unwrap();
    let started = Instant::now();
    let out = app
        .command()
        .args(["import", big.to_str().unwrap(), "--user", "cli-big@example.org", "--data"])
        .arg(app.dir.path())
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("huge.csv: the file is 100 MiB") && err.contains("at most 8 MiB"), "{err}");
    // `render` and `advise` read documents the same way.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_certfolio"))
        .args(["advise", big.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most 8 MiB"));
}
