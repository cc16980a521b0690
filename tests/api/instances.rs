//! Several instances of the real binary on one database and one object store, requests
//! alternating between them (issue 14): what one instance does, the others see at once, and
//! what one instance counts, all count. On the suite's engine: PostgreSQL and SeaweedFS when
//! `CERTFOLIO_TEST_DATABASE` / `CERTFOLIO_TEST_FILES` say so (scripts/test.sh's second run),
//! else one SQLite file and one files folder shared by the processes.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, fixture, fixture_json, multipart};

const BIN: &str = env!("CARGO_BIN_EXE_certfolio");

/// Where the instances keep their data: a database and a store of the suite's engine.
struct Installation {
    dir: tempfile::TempDir,
    /// `CERTFOLIO_DATABASE_URL` / `CERTFOLIO_FILES_URL` for the processes (none: the data folder).
    env: Vec<(&'static str, String)>,
    pg_database: Option<String>,
}

impl Installation {
    fn new() -> Installation {
        let dir = tempfile::tempdir().unwrap();
        let mut config = certfolio::config::Config::new(dir.path().to_owned(), String::new());
        let pg_database = crate::helpers::fresh_storage(&mut config);
        let mut env = Vec::new();
        if let Some(certfolio::storage::DatabaseUrl::Postgres(url)) = &config.database {
            env.push(("CERTFOLIO_DATABASE_URL", url.clone()));
        }
        if let Some(files) = &config.files {
            env.push(("CERTFOLIO_FILES_URL", files.url()));
        }
        Installation { dir, env, pg_database }
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env_remove("CERTFOLIO_DATABASE_URL").env_remove("CERTFOLIO_FILES_URL");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    fn start(&self) -> Instance {
        start_with(self.command(), self.dir.path())
    }
}

impl Drop for Installation {
    fn drop(&mut self) {
        if let (Some(name), Some(admin)) = (self.pg_database.take(), crate::helpers::test_database())
            && !std::thread::panicking()
        {
            crate::helpers::pg_admin(&admin, vec![format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")]);
        }
    }
}

struct Instance {
    child: Child,
    addr: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Instance {
    fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// One HTTP/1.1 exchange on a connection of its own; `None` when no complete answer came.
fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Option<Answer> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let status: u16 = head.split_whitespace().nth(1)?.parse().ok()?;
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    if headers.get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        body = dechunk(&body);
    }
    Some(Answer { status, headers, body })
}

fn dechunk(mut s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = s.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&s[..end]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&s[end + 2..end + 2 + n]);
        s = &s[end + 4 + n..];
    }
    out
}

fn api(addr: &str, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Answer {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    let body = body.map(|b| serde_json::to_vec(b).unwrap()).unwrap_or_default();
    send(addr, method, path, &headers, &body).expect("an answer")
}

fn sign_up(addr: &str, email: &str) {
    let r =
        api(addr, "POST", "/api/v1/accounts", None, Some(&json!({"email": email, "password": PASSWORD, "name": "N"})));
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
}

fn sign_in(addr: &str, email: &str) -> String {
    let r = api(addr, "POST", "/api/v1/session", None, Some(&json!({"email": email, "password": PASSWORD})));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()["token"].as_str().unwrap().to_owned()
}

/// Sign up on A, sign in on B; an import previewed on A is confirmed on B; a link revoked on
/// A is a 404 on B at once; a password changed on A ends the other sessions on B; 150 wrong
/// passwords sent at once to both are checked no more often than one budget allows.
#[test]
fn two_instances_act_as_one_service() {
    let install = Installation::new();
    let (a, b) = (install.start(), install.start());
    sign_up(&a.addr, "two@example.org");
    let token = sign_in(&b.addr, "two@example.org");
    assert_eq!(api(&a.addr, "GET", "/api/v1/me", Some(&token), None).status, 200, "a session made on B works on A");

    // The import page: upload and preview on A, confirm on B (the file waits in the store).
    let cookie = format!("certfolio={token}");
    let doc = fixture("doc24.json");
    let (content_type, body) = multipart("file", "doc24.json", "application/json", &doc);
    let r = send(&a.addr, "POST", "/import", &[("Cookie", &cookie), ("Content-Type", &content_type)], &body).unwrap();
    assert_eq!(r.status, 303, "{}", String::from_utf8_lossy(&r.body));
    let preview = r.headers["location"].clone();
    let r = send(&b.addr, "GET", &preview, &[("Cookie", &cookie)], b"").unwrap();
    assert_eq!(r.status, 200, "the preview made on A is shown by B");
    let id = preview.trim_start_matches("/import/");
    let form = format!("id={id}");
    let r = send(
        &b.addr,
        "POST",
        "/import/confirm",
        &[("Cookie", &cookie), ("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
    .unwrap();
    assert_eq!(r.status, 303, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.headers["location"], "/import?created=24&updated=0&unchanged=0");
    assert_eq!(api(&a.addr, "GET", "/api/v1/courses", Some(&token), None).json()["count"], 24);

    // A share link revoked on A is gone on B at once.
    let share = api(&a.addr, "POST", "/api/v1/shares", Some(&token), Some(&json!({"framing": "appetite"}))).json();
    let page = share["url"].as_str().unwrap().split_once("/s/").map(|(_, t)| format!("/s/{t}")).unwrap();
    assert_eq!(send(&b.addr, "GET", &page, &[], b"").unwrap().status, 200);
    let revoke =
        api(&a.addr, "DELETE", &format!("/api/v1/shares/{}", share["id"].as_str().unwrap()), Some(&token), None);
    assert_eq!(revoke.status, 204);
    assert_eq!(send(&b.addr, "GET", &page, &[], b"").unwrap().status, 404, "revoked on A: 404 on B at once");

    // A password change on A ends the other sessions everywhere.
    let other_session = sign_in(&b.addr, "two@example.org");
    let change = json!({"current_password": PASSWORD, "new_password": "une toute autre phrase de passe"});
    assert_eq!(api(&a.addr, "POST", "/api/v1/me/password", Some(&token), Some(&change)).status, 204);
    assert_eq!(api(&b.addr, "GET", "/api/v1/me", Some(&other_session), None).status, 401);
    assert_eq!(api(&b.addr, "GET", "/api/v1/me", Some(&token), None).status, 200, "the session that changed it stays");

    // 150 wrong passwords at once, alternating between the instances: the account's budget
    // (5 checked, then a pause) holds across both.
    sign_up(&b.addr, "guessed@example.org");
    let addrs = [a.addr.clone(), b.addr.clone()];
    let guesses: Vec<_> = (0..150)
        .map(|i| {
            let addr = addrs[i % 2].clone();
            std::thread::spawn(move || {
                let body = json!({"email": "guessed@example.org", "password": format!("wrong guess number {i}")});
                api(&addr, "POST", "/api/v1/session", None, Some(&body)).status
            })
        })
        .collect();
    let statuses: Vec<u16> = guesses.into_iter().map(|g| g.join().unwrap()).collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + throttled, 150, "{statuses:?}");
    assert!(checked <= 5, "{checked} passwords checked, the budget is 5");
    assert!(checked >= 1);
    for instance in [&a, &b] {
        assert!(!instance.log().contains(" ERROR "), "{}", instance.log());
    }
}

/// Writes keep coming to A while A is killed; every write A acknowledged is there through B.
#[test]
fn a_write_acknowledged_by_an_instance_killed_mid_write_is_seen_by_the_other() {
    let install = Installation::new();
    let (mut a, b) = (install.start(), install.start());
    sign_up(&a.addr, "k9@example.org");
    let token = sign_in(&a.addr, "k9@example.org");
    let addr = a.addr.clone();
    let t = token.clone();
    let writer = std::thread::spawn(move || {
        let mut acked = Vec::new();
        for i in 0..5000 {
            let body = serde_json::to_vec(&json!({"title": format!("w{i}"), "hours": 1 + i % 40})).unwrap();
            let auth = format!("Bearer {t}");
            let r = send(
                &addr,
                "POST",
                "/api/v1/courses",
                &[("Content-Type", "application/json"), ("Authorization", &auth)],
                &body,
            );
            match r {
                Some(r) if r.status == 201 => acked.push(r.json()["id"].as_str().unwrap().to_owned()),
                Some(r) => panic!("unexpected {}: {}", r.status, String::from_utf8_lossy(&r.body)),
                None => break, // A died mid-request: not acknowledged
            }
        }
        acked
    });
    std::thread::sleep(Duration::from_millis(700));
    a.kill9();
    let acked = writer.join().unwrap();
    assert!(acked.len() > 3, "the writer wrote: {}", acked.len());
    let list = api(&b.addr, "GET", "/api/v1/courses", Some(&token), None).json();
    let stored: std::collections::HashSet<&str> =
        list["courses"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    let lost: Vec<&String> = acked.iter().filter(|id| !stored.contains(id.as_str())).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged writes lost", lost.len(), acked.len());
    eprintln!("kill -9 of A: {} acknowledged writes, all present through B", acked.len());
}

/// Instances started at the same moment on an empty database: one migrates, the others wait
/// for it, and all of them serve.
#[test]
fn instances_starting_together_migrate_once() {
    let install = Installation::new();
    // PostgreSQL test databases come from a migrated template: start from an empty one.
    if let Some(name) = &install.pg_database {
        let admin = crate::helpers::test_database().unwrap();
        crate::helpers::pg_admin(
            &admin,
            vec![format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")],
        );
    }
    let starting: Vec<_> = (0..3)
        .map(|_| {
            let cmd = install.command();
            let dir = install.dir.path().to_owned();
            std::thread::spawn(move || start_with(cmd, &dir))
        })
        .collect();
    let instances: Vec<Instance> = starting.into_iter().map(|s| s.join().unwrap()).collect();
    let migrators = instances.iter().filter(|i| i.log().contains("applying a schema migration")).count();
    assert_eq!(
        migrators,
        1,
        "exactly one instance migrated: {:?}",
        instances.iter().map(Instance::log).collect::<Vec<_>>()
    );
    for (i, instance) in instances.iter().enumerate() {
        let r = send(&instance.addr, "GET", "/healthz", &[], b"").unwrap();
        assert_eq!(r.status, 200, "instance {i}: {}", String::from_utf8_lossy(&r.body));
        assert_eq!(String::from_utf8_lossy(&r.body), "database ok, files ok\n");
    }
}

fn start_with(mut cmd: Command, data: &Path) -> Instance {
    let mut child = cmd
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("RUST_LOG", "certfolio=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start certfolio serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let addr = loop {
        let line = lines.next().expect("serve exited before listening").unwrap();
        log.lock().unwrap().push_str(&format!("{line}\n"));
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push_str(&format!("{line}\n"));
        }
    });
    Instance { child, addr, log }
}

fn export(install: &Installation, database: Option<&str>, files: Option<&str>) -> Value {
    let mut cmd = install.command();
    if let Some(d) = database {
        cmd.env("CERTFOLIO_DATABASE_URL", d);
    }
    if let Some(f) = files {
        cmd.env("CERTFOLIO_FILES_URL", f);
    }
    let out = cmd.args(["export", "--user", "copy@example.org", "--data"]).arg(install.dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `certfolio copy` of the 24-course installation with evidence, from SQLite to the suite's
/// engine (PostgreSQL in the second run) and back to SQLite: the same export and the same
/// evidence files, by hash, at every step; a non-empty target is refused.
#[test]
fn copy_moves_a_whole_installation_up_and_back() {
    // The source: a SQLite installation, written by the service itself.
    let source = tempfile::tempdir().unwrap();
    let sqlite = Installation { dir: tempfile::tempdir().unwrap(), env: Vec::new(), pg_database: None };
    let source_db = source.path().join("certfolio.sqlite3");
    let hashes = {
        let mut cmd = Command::new(BIN);
        cmd.env_remove("CERTFOLIO_DATABASE_URL").env_remove("CERTFOLIO_FILES_URL");
        let server = start_with(cmd, source.path());
        sign_up(&server.addr, "copy@example.org");
        let token = sign_in(&server.addr, "copy@example.org");
        let r = api(&server.addr, "POST", "/api/v1/import", Some(&token), Some(&fixture_json("doc24.json")));
        assert_eq!(r.status, 201);
        let courses = api(&server.addr, "GET", "/api/v1/courses", Some(&token), None).json();
        let mut hashes = Vec::new();
        for (i, course) in courses["courses"].as_array().unwrap().iter().take(3).enumerate() {
            let mut pdf = fixture("certificate.pdf");
            pdf.extend_from_slice(format!("\n% copy {i}\n").as_bytes());
            let (content_type, body) = multipart("file", "c.pdf", "application/pdf", &pdf);
            let auth = format!("Bearer {token}");
            let path = format!("/api/v1/courses/{}/evidence", course["id"].as_str().unwrap());
            let r =
                send(&server.addr, "POST", &path, &[("Authorization", &auth), ("Content-Type", &content_type)], &body)
                    .unwrap();
            assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
            hashes.push((path, r.json()["sha256"].as_str().unwrap().to_owned()));
        }
        hashes
    };
    let exported = {
        let mut cmd = Command::new(BIN);
        cmd.env_remove("CERTFOLIO_DATABASE_URL").env_remove("CERTFOLIO_FILES_URL");
        let out = cmd.args(["export", "--user", "copy@example.org", "--data"]).arg(source.path()).output().unwrap();
        assert!(out.status.success());
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    assert_eq!(exported, fixture_json("doc24.json"));

    // Up: into the suite's engine (its database and store are empty).
    let up = Installation::new();
    let (to, to_files) = match (
        &up.env.iter().find(|(k, _)| *k == "CERTFOLIO_DATABASE_URL"),
        up.env.iter().find(|(k, _)| *k == "CERTFOLIO_FILES_URL"),
    ) {
        (Some((_, db)), files) => {
            (db.clone(), files.map_or_else(|| up.dir.path().join("files").display().to_string(), |(_, f)| f.clone()))
        }
        (None, files) => (
            format!("sqlite://{}", up.dir.path().join("certfolio.sqlite3").display()),
            files.map_or_else(|| up.dir.path().join("files").display().to_string(), |(_, f)| f.clone()),
        ),
    };
    let copy = |from: &str, from_files: &str, to: &str, to_files: &str| {
        Command::new(BIN)
            .args(["copy", "--from", from, "--from-files", from_files, "--to", to, "--to-files", to_files])
            .output()
            .unwrap()
    };
    let from = format!("sqlite://{}", source_db.display());
    let from_files = source.path().join("files").display().to_string();
    let out = copy(&from, &from_files, &to, &to_files);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("courses") && said.contains("24 rows") && said.contains("3 evidence files"), "{said}");
    // Once more into the same target: refused, nothing changed.
    let out = copy(&from, &from_files, &to, &to_files);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the target is not empty") && err.lines().count() == 1, "{err}");
    assert!(!err.contains("certfolio-test-secret"), "no secret in messages");
    assert_eq!(export(&up, Some(&to), Some(&to_files)), exported, "the same export from the copy");
    let server = {
        let mut cmd = up.command();
        cmd.env("CERTFOLIO_DATABASE_URL", &to).env("CERTFOLIO_FILES_URL", &to_files);
        start_with(cmd, up.dir.path())
    };
    let token = sign_in(&server.addr, "copy@example.org");
    for (path, sha256) in &hashes {
        let r = send(&server.addr, "GET", path, &[("Authorization", &format!("Bearer {token}"))], b"").unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(&certfolio::storage::sha256_hex(&r.body), sha256, "the same evidence bytes");
    }
    drop(server);

    // And back: into a new SQLite installation.
    let back = sqlite.dir.path().join("certfolio.sqlite3");
    let back_files = sqlite.dir.path().join("files").display().to_string();
    let out = copy(&to, &to_files, &format!("sqlite://{}", back.display()), &back_files);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The table digests printed by the two copies are the same (but for the session the
    // sign-in on the copy added).
    let digests = |s: &str| {
        s.lines().filter(|l| l.contains("sha256") && !l.starts_with("sessions")).map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(digests(&String::from_utf8_lossy(&out.stdout)), digests(&said));
    assert_eq!(export(&sqlite, None, None), exported, "the same export after the round trip");
    let server = start_with(sqlite.command(), sqlite.dir.path());
    let token = sign_in(&server.addr, "copy@example.org");
    for (path, sha256) in &hashes {
        let r = send(&server.addr, "GET", path, &[("Authorization", &format!("Bearer {token}"))], b"").unwrap();
        assert_eq!(&certfolio::storage::sha256_hex(&r.body), sha256);
    }
}
