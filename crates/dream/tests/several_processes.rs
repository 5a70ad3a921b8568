//! Two `dream serve` processes on one database and one file store, as an installation at
//! country scale runs several behind a load balancer: a session made by signing in on one
//! process is accepted by the other, a write through one shows in the other's pages and
//! totals (at once on SQLite, as soon as the database's notification arrives on PostgreSQL),
//! jobs queued while both workers run are each run exactly once, the open
//! data one process publishes is served by the other, and so is a photo uploaded through
//! one into a shared S3-compatible store. The processes are the binary cargo
//! built, started on port 0, on one SQLite file or on one PostgreSQL database as
//! `DREAM_TEST_BACKEND` says.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dream_domain::ProjectId;
use dream_registers::fake::Fault;
use dream_registers::rddp::fake::FakeRddp;
use dream_store::jobs::{Job, JobStatus, NewJob};
use dream_store::projects::ProjectFilter;
use dream_store::testing::{TestDb, fresh_store, sample_project};
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{Client, StatusCode, redirect};
use serde_json::{Value, json};

/// The bearer token both processes accept for API writes.
const ADMIN_TOKEN: &str = "several-processes-admin-token";

/// A small photo, checked by its bytes as any upload is.
const PHOTO: &[u8] = include_bytes!("../../web/tests/fixtures/documents/roof.png");

/// How long a process may take to listen, or the jobs to end, before the test fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// A database and a file store shared by every process started on them, with the settings
/// each process is given.
struct Installation {
    db: TestDb,
    files: tempfile::TempDir,
    settings: Vec<(&'static str, String)>,
}

impl Installation {
    /// A fresh database holding `projects` demo projects (written by `dream seed`) and an
    /// empty file store. The processes sync no register and publish nothing on a schedule
    /// unless a test sets otherwise.
    async fn new(test: &str, projects: usize) -> Self {
        // The test's own HTTP clients need a TLS provider, as the registers' clients do.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let db = fresh_store(test).await;
        let files = tempfile::tempdir().unwrap();
        let settings = vec![
            ("DATABASE_URL", db.url.clone()),
            ("DREAM_FILES", files.path().display().to_string()),
            ("DREAM_ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
            ("DREAM_SYNC_EVERY_MINUTES", "0".to_owned()),
            ("DREAM_PUBLISH_EVERY_HOURS", "0".to_owned()),
            ("RUST_LOG", "info,sqlx=warn".to_owned()),
            ("NO_COLOR", "1".to_owned()),
        ];
        let installation = Self {
            db,
            files,
            settings,
        };
        if projects > 0 {
            installation.command(&["seed", "--projects", &projects.to_string(), "--seed", "5"]);
        }
        installation
    }

    fn set(&mut self, name: &'static str, value: impl Into<String>) {
        self.settings.retain(|(known, _)| *known != name);
        self.settings.push((name, value.into()));
    }

    fn store(&self) -> &dream_store::Store {
        &self.db.store
    }

    /// Runs a `dream` command against the installation and returns what it printed.
    fn command(&self, args: &[&str]) -> String {
        let output = Command::new(env!("CARGO_BIN_EXE_dream"))
            .args(args)
            .envs(self.settings.iter().map(|(name, value)| (name, value)))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "dream {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Starts two `dream serve` processes at once, named `process-a` and `process-b` (the
    /// host name their workers hold leases under), and waits until both listen.
    async fn serve_two(&self) -> (Process, Process) {
        let a = self.spawn("process-a");
        let b = self.spawn("process-b");
        (a.listening().await, b.listening().await)
    }

    fn spawn(&self, name: &str) -> Starting {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dream"))
            .arg("serve")
            .envs(self.settings.iter().map(|(name, value)| (name, value)))
            .env("DREAM_ADDR", "127.0.0.1:0")
            .env("HOSTNAME", name)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();

        // The server says where it listens in its log; the log is kept to explain a failure.
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (address_tx, address) = tokio::sync::mpsc::unbounded_channel();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(base) = listening_address(&line) {
                    let _ = address_tx.send(base);
                }
                lines.lock().unwrap().push(line);
            }
        });
        Starting {
            process: Process {
                name: name.to_owned(),
                base: String::new(),
                child,
                log,
            },
            address,
        }
    }
}

/// The base address in the line `dream serve` logs when it listens.
fn listening_address(line: &str) -> Option<String> {
    let start = line.find("serving DREAM on ")? + "serving DREAM on ".len();
    let base = line[start..].split_whitespace().next()?;
    Some(base.to_owned())
}

/// A process that was started and has not said yet where it listens.
struct Starting {
    process: Process,
    address: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl Starting {
    async fn listening(mut self) -> Process {
        match tokio::time::timeout(PATIENCE, self.address.recv()).await {
            Ok(Some(base)) => {
                self.process.base = base;
                self.process
            }
            _ => panic!(
                "{} did not start listening:\n{}",
                self.process.name,
                self.process.log()
            ),
        }
    }
}

/// One running `dream serve`; it is killed when dropped.
struct Process {
    name: String,
    base: String,
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that shows redirects instead of following them, and keeps no cookies of its
/// own, so that a test says which cookie goes to which process.
fn client() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value a response sets for a cookie.
fn set_cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .unwrap_or_else(|| panic!("the response sets no {name} cookie"))
}

/// The value of a hidden field of a form in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// Sets `password` through an invitation link and signs in with it, both on `process`;
/// returns the session cookie of the sign-in.
async fn invite_and_sign_in(http: &Client, process: &Process, link: &str, email: &str) -> String {
    let password = "a long and private phrase";
    let welcome = http.get(process.url(link)).send().await.unwrap();
    assert_eq!(welcome.status(), StatusCode::OK);
    let bound = set_cookie(&welcome, "dream_form");
    let page = welcome.text().await.unwrap();
    let set = http
        .post(process.url(link))
        .header(COOKIE, format!("dream_form={bound}"))
        .form(&[
            ("password", password),
            ("repeat", password),
            ("form_token", &hidden(&page, "form_token")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::SEE_OTHER);

    let login = http.get(process.url("/login")).send().await.unwrap();
    let bound = set_cookie(&login, "dream_form");
    let page = login.text().await.unwrap();
    let signed_in = http
        .post(process.url("/login"))
        .header(COOKIE, format!("dream_form={bound}"))
        .form(&[
            ("email", email),
            ("password", password),
            ("next", "/cabinet"),
            ("form_token", &hidden(&page, "form_token")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    set_cookie(&signed_in, "dream_session")
}

/// The cabinet `process` shows to the holder of `session`, or the status it answers with.
async fn cabinet(http: &Client, process: &Process, session: &str) -> Result<String, StatusCode> {
    let response = http
        .get(process.url("/cabinet"))
        .header(COOKIE, format!("dream_session={session}"))
        .send()
        .await
        .unwrap();
    match response.status() {
        StatusCode::OK => Ok(response.text().await.unwrap()),
        status => Err(status),
    }
}

#[tokio::test]
async fn a_session_made_by_signing_in_on_one_process_is_accepted_by_the_other() {
    let installation = Installation::new("several_processes_session", 0).await;
    let email = "iryna@agency.example";
    let printed = installation.command(&[
        "users",
        "add",
        "--email",
        email,
        "--name",
        "Ірина Бондар",
        "--role",
        "agencyAdministrator",
    ]);
    let link = &printed.trim()[printed.find("/welcome/").unwrap()..];
    let (a, b) = installation.serve_two().await;
    let http = client();

    let session = invite_and_sign_in(&http, &a, link, email).await;
    let page = cabinet(&http, &b, &session).await.unwrap();
    assert!(page.contains("Ірина Бондар"), "{page}");
    assert_eq!(
        cabinet(&http, &b, "not-a-session").await,
        Err(StatusCode::SEE_OTHER),
        "process B asks a stranger to sign in"
    );

    // A form that process A bound to the session is accepted by process B, and the API
    // token B creates with it is accepted by A.
    let csrf = hidden(&cabinet(&http, &a, &session).await.unwrap(), "csrf");
    let created = http
        .post(b.url("/cabinet/tokens"))
        .header(COOKIE, format!("dream_session={session}"))
        .form(&[("csrf", csrf.as_str()), ("name", "scripts")])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    let page = created.text().await.unwrap();
    let start = page.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = page[start..].split('<').next().unwrap().trim().to_owned();
    let written = http
        .post(a.url("/api/v1/projects"))
        .bearer_auth(&token)
        .json(&json!({"reason": "a token made on B", "project": sample_project()}))
        .send()
        .await
        .unwrap();
    assert_eq!(written.status(), StatusCode::CREATED);

    // Signing out on A ends the session on B too.
    let signed_out = http
        .post(a.url("/logout"))
        .header(COOKIE, format!("dream_session={session}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    let after = cabinet(&http, &b, &session).await;
    assert_eq!(after, Err(StatusCode::SEE_OTHER));
}

/// The headline count of projects on a home page.
fn headline_count(page: &str) -> i64 {
    let start = page.find("class=\"value\">").unwrap() + "class=\"value\">".len();
    let text = page[start..].split('<').next().unwrap();
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// The number of projects a catalogue page says it found.
fn found(page: &str) -> i64 {
    let start = page.find("<strong>").unwrap();
    let end = page[start..].find("</strong>").unwrap();
    page[start..start + end]
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

async fn page(http: &Client, url: &str) -> String {
    let response = http.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.text().await.unwrap()
}

/// The page at `url` once `shows` holds for it. On SQLite every process reads the version
/// from the file, so the first answer must show it; on PostgreSQL the other process learns
/// of a write from the database's notification, which is given a second to arrive.
async fn page_showing(http: &Client, url: &str, shows: impl Fn(&str) -> bool) -> String {
    let limit = match dream_store::testing::backend() {
        dream_store::Backend::Sqlite => Duration::ZERO,
        dream_store::Backend::Postgres => Duration::from_secs(1),
    };
    let started = Instant::now();
    loop {
        let body = page(http, url).await;
        if shows(&body) {
            return body;
        }
        assert!(
            started.elapsed() < limit,
            "{url} did not show the write after {:?}:\n{body}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_write_through_one_process_shows_in_the_pages_and_totals_of_the_other() {
    let installation = Installation::new("several_processes_pages", 20).await;
    let (a, b) = installation.serve_two().await;
    let http = client();
    if dream_store::testing::backend() == dream_store::Backend::Postgres {
        // B must hear the write, not read the version on every request.
        let started = Instant::now();
        while !b.log().contains("listening for registry changes") {
            assert!(started.elapsed() < Duration::from_secs(5), "{}", b.log());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    // Process B renders its pages and totals and keeps them.
    let home = headline_count(&page(&http, &b.url("/")).await);
    let catalogue = found(&page(&http, &b.url("/projects")).await);
    assert_eq!(home, catalogue);
    assert!(home > 0, "the demo holds public projects");

    let id = create_project(&http, &a).await;

    page_showing(&http, &b.url("/"), |p| headline_count(p) == home + 1).await;
    page_showing(&http, &b.url("/projects"), |p| found(p) == home + 1).await;
    let passport = b.url(&format!("/projects/{id}"));
    page_showing(&http, &passport, |p| {
        p.contains("Капітальний ремонт ліцею №5")
    })
    .await;

    let renamed = "Капітальний ремонт ліцею №5 і його спортзалу";
    let patched = http
        .patch(a.url(&format!("/api/v1/projects/{id}")))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({
            "reason": "the gym is repaired too",
            "patch": [{"op": "replace", "path": "/title/uk", "value": renamed}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    page_showing(&http, &passport, |p| p.contains(renamed)).await;
}

/// A photo uploaded through one process is kept in the shared S3-compatible store and
/// served by the other, byte for byte. Runs when `DREAM_TEST_S3_URL` names a test server,
/// as `scripts/test` arranges.
#[tokio::test]
async fn a_photo_uploaded_through_one_process_is_served_by_the_other_from_s3() {
    let test = "several_processes_s3_upload";
    let Some((endpoint, bucket)) = dream_files::testing::s3_bucket(test).await else {
        return;
    };
    let mut installation = Installation::new(test, 0).await;
    installation.set("DREAM_FILES", format!("s3://{bucket}/dream"));
    installation.set("DREAM_S3_ENDPOINT", endpoint);
    installation.set("DREAM_S3_REGION", "us-east-1");
    installation.set("AWS_ACCESS_KEY_ID", "dream-test");
    installation.set("AWS_SECRET_ACCESS_KEY", "dream-test");
    let (a, b) = installation.serve_two().await;
    let http = client();

    let id = create_project(&http, &a).await;

    let boundary = "several-processes-boundary";
    let mut body = Vec::new();
    for (name, value) in [
        ("documentType", "illustrationDamaged"),
        ("title.uk", "Дах після обстрілу"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"roof.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(PHOTO);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let uploaded = http
        .post(a.url(&format!("/api/v1/projects/{id}/documents")))
        .bearer_auth(ADMIN_TOKEN)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = uploaded.status();
    let answer: Value = uploaded.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{answer}\n{}", a.log());
    let document = answer["document"]["id"].as_str().unwrap();

    let served = http
        .get(b.url(&format!("/api/v1/projects/{id}/documents/{document}")))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK, "{}", b.log());
    assert_eq!(
        served.bytes().await.unwrap(),
        PHOTO,
        "the other process serves the same bytes"
    );
}

/// Enters the sample project through `process` with the administrator's token; returns
/// its id.
async fn create_project(http: &Client, process: &Process) -> String {
    let created = http
        .post(process.url("/api/v1/projects"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"reason": "a new project", "project": sample_project()}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Polls the queue until every job of `ids` has finished, or fails after `PATIENCE`.
async fn finished_jobs(installation: &Installation, ids: &[String], logs: &[&Process]) -> Vec<Job> {
    let started = Instant::now();
    loop {
        let mut jobs = Vec::new();
        for id in ids {
            jobs.push(installation.store().job(id).await.unwrap());
        }
        if jobs.iter().all(|job| job.finished_at.is_some()) {
            return jobs;
        }
        if started.elapsed() > PATIENCE {
            let logs: Vec<String> = logs.iter().map(|process| process.log()).collect();
            panic!("jobs still unfinished: {jobs:?}\n{}", logs.join("\n"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The process whose worker held a job's lease: the host name part of the worker's name.
fn worker_of(job: &Job) -> String {
    let worker = job.locked_by.as_deref().unwrap_or("nobody");
    worker.split(':').next().unwrap().to_owned()
}

#[tokio::test]
async fn jobs_queued_for_the_workers_of_two_processes_each_run_exactly_once() {
    const JOBS: usize = 6;
    // Each sync waits this long for the register, so that neither worker can finish every
    // job before the other has claimed some.
    const SLOW_REGISTER: Duration = Duration::from_millis(1500);
    const RECORD: &str = "RDDP-2023-004512";

    let mut installation = Installation::new("several_processes_jobs", 5).await;
    let fake = FakeRddp::start().await.unwrap();
    installation.set("DREAM_RDDP_URL", fake.base_url());
    installation.set("DREAM_RDDP_RATE", "100");

    // One object linked to a damage record: each sync of the register asks for it once.
    let public = installation
        .store()
        .projects_after(&ProjectFilter::default(), None, 20)
        .await
        .unwrap();
    let mut object = None;
    for summary in &public {
        let id = ProjectId::parse(&summary.id).unwrap();
        let (project, _) = installation.store().project(&id).await.unwrap();
        object = object.or_else(|| project.content.objects.first().cloned());
    }
    let object = object.expect("a demo project restores an object");
    installation
        .store()
        .link_damage(&object, RECORD, "test")
        .await
        .unwrap();
    let path = format!("/records/{RECORD}");
    fake.register()
        .fail_next(&path, vec![Fault::Delay(SLOW_REGISTER); JOBS]);

    let mut ids = Vec::new();
    for _ in 0..JOBS {
        let queued = installation
            .store()
            .enqueue_job(&NewJob::new("sync.rddp"))
            .await
            .unwrap();
        ids.push(queued.expect("a job without a dedup key is always queued"));
    }
    let (a, b) = installation.serve_two().await;
    let jobs = finished_jobs(&installation, &ids, &[&a, &b]).await;

    for job in &jobs {
        assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
        assert_eq!(job.attempts, 1, "{job:?}");
    }
    assert_eq!(fake.register().request_count(&path), JOBS);
    let runs = installation.store().sync_runs("rddp", 100).await.unwrap();
    assert_eq!(runs.len(), JOBS, "one sync run per job");
    let workers: BTreeSet<String> = jobs.iter().map(worker_of).collect();
    let both: BTreeSet<String> = [&a, &b].iter().map(|p| p.name.clone()).collect();
    assert_eq!(workers, both, "both workers took jobs");
}

#[tokio::test]
async fn open_data_published_by_one_process_is_served_by_the_other() {
    let mut installation = Installation::new("several_processes_open_data", 10).await;
    installation.set("DREAM_PUBLISH_EVERY_HOURS", "24");
    let (a, b) = installation.serve_two().await;

    // Both processes queue the first publishing at start, under one dedup key: one runs it.
    let started = Instant::now();
    let published = loop {
        let jobs = installation.store().recent_jobs(20).await.unwrap();
        let publishing: Vec<Job> = jobs
            .into_iter()
            .filter(|job| job.kind == "publish.opendata")
            .collect();
        if publishing.iter().any(|job| job.finished_at.is_some()) {
            break publishing;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "nothing published:\n{}\n{}",
            a.log(),
            b.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let done: Vec<&Job> = published
        .iter()
        .filter(|job| job.finished_at.is_some())
        .collect();
    assert_eq!(done.len(), 1, "{published:?}");
    assert_eq!(done[0].status, JobStatus::Succeeded, "{published:?}");
    let writer = worker_of(done[0]);
    let reader = if writer == a.name { &b } else { &a };
    assert_ne!(writer, reader.name);

    let dir = installation.files.path();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("open-data/manifest.json")).unwrap())
            .unwrap();
    let generation = Path::new(manifest["generation"].as_str().unwrap());
    let http = client();
    let data_page = page(&http, &reader.url("/data")).await;
    for file in manifest["files"].as_array().unwrap() {
        let name = file["name"].as_str().unwrap();
        assert!(
            data_page.contains(file["sha256"].as_str().unwrap()),
            "{name}"
        );
        let response = http
            .get(reader.url(&format!("/data/files/{name}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{name}");
        let served = response.bytes().await.unwrap();
        let written = std::fs::read(dir.join(generation).join(name)).unwrap();
        assert!(served == written, "{name} is served as {writer} wrote it");
    }
}
