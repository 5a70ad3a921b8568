//! A local stand-in for the Prozorro API, for tests and benchmarks: it listens on
//! 127.0.0.1 on a free port, serves recorded response bodies under `/api/2.5`, and can be
//! told to misbehave (fail with a status, limit the rate, answer slowly, send broken JSON)
//! for the next requests to a path. The real register cannot be reached from our machines.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The register's own shape of a 404.
const NOT_FOUND: &str = r#"{"status": "error", "errors": [
    {"location": "url", "name": "id", "description": "Not Found"}]}"#;

/// One misbehaviour for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and an empty JSON body.
    Status(u16),
    /// Answer 429 with `Retry-After: <seconds>`.
    TooManyRequests { retry_after_seconds: u64 },
    /// Wait this long, then answer as usual.
    Delay(Duration),
    /// Answer 200 with this body as it is.
    Body(String),
}

/// A body and the texts to put in place of others when serving it, so that one recording
/// serves many ids (`(recorded id, id asked for)`).
#[derive(Debug, Clone)]
struct Record {
    body: Arc<str>,
    replacements: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct FakeState {
    records: HashMap<String, Record>,
    feed_pages: HashMap<String, String>,
    faults: HashMap<String, VecDeque<Fault>>,
    requests: HashMap<String, Vec<Instant>>,
}

/// The running fake; it stops when dropped.
#[derive(Debug)]
pub struct FakeProzorro {
    address: SocketAddr,
    state: Arc<Mutex<FakeState>>,
    server: JoinHandle<()>,
}

impl FakeProzorro {
    /// Starts the fake on a free port of 127.0.0.1, serving nothing yet.
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(FakeState::default()));
        let router = Router::new()
            .route("/api/2.5/tenders", get(tenders_feed))
            .route("/api/2.5/plans", get(plans_feed))
            .route("/api/2.5/{kind}/{id}", get(record))
            .with_state(state.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Self {
            address,
            state,
            server,
        })
    }

    /// The API root to put in the client's configuration.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/2.5", self.address)
    }

    /// Serves `body` at `/{kind}/{id}`, where kind is `tenders`, `contracts` or `plans`.
    pub fn put(&self, kind: &str, id: &str, body: impl Into<Arc<str>>) {
        self.put_rewritten(kind, id, body, Vec::new());
    }

    /// Serves `body` at `/{kind}/{id}` with each `(from, to)` text replaced when served.
    /// Bodies shared this way cost memory once, however many ids serve them.
    pub fn put_rewritten(
        &self,
        kind: &str,
        id: &str,
        body: impl Into<Arc<str>>,
        replacements: Vec<(String, String)>,
    ) {
        let record = Record {
            body: body.into(),
            replacements,
        };
        self.lock().records.insert(format!("/{kind}/{id}"), record);
    }

    /// Serves `body` as the tenders feed page at `offset` (`None` for the first page).
    pub fn put_feed_page(&self, offset: Option<&str>, body: impl Into<String>) {
        let key = feed_key("tenders", offset.unwrap_or(""));
        self.lock().feed_pages.insert(key, body.into());
    }

    /// Serves `body` as the plans feed page at `offset` (`None` for the first page).
    pub fn put_plans_feed_page(&self, offset: Option<&str>, body: impl Into<String>) {
        let key = feed_key("plans", offset.unwrap_or(""));
        self.lock().feed_pages.insert(key, body.into());
    }

    /// Makes the next requests to `path` (such as `/tenders/{id}`) misbehave, one fault each.
    pub fn fail_next(&self, path: &str, faults: impl IntoIterator<Item = Fault>) {
        self.lock()
            .faults
            .entry(path.to_owned())
            .or_default()
            .extend(faults);
    }

    /// When each request to `path` arrived.
    pub fn request_times(&self, path: &str) -> Vec<Instant> {
        self.lock().requests.get(path).cloned().unwrap_or_default()
    }

    /// How many requests `path` has had.
    pub fn request_count(&self, path: &str) -> usize {
        self.lock().requests.get(path).map_or(0, Vec::len)
    }

    fn lock(&self) -> MutexGuard<'_, FakeState> {
        lock(&self.state)
    }
}

impl Drop for FakeProzorro {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn lock(state: &Mutex<FakeState>) -> MutexGuard<'_, FakeState> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Notes the request and takes the next fault planned for `path`, if any.
fn arrive(state: &Mutex<FakeState>, path: &str) -> Option<Fault> {
    let mut state = lock(state);
    state
        .requests
        .entry(path.to_owned())
        .or_default()
        .push(Instant::now());
    state.faults.get_mut(path).and_then(VecDeque::pop_front)
}

/// Applies a fault; `None` means "answer as usual" (after a delay, possibly).
async fn misbehave(fault: Option<Fault>) -> Option<Response> {
    match fault? {
        Fault::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Some(json(status, "{}".to_owned()))
        }
        Fault::TooManyRequests {
            retry_after_seconds,
        } => {
            let mut response = json(StatusCode::TOO_MANY_REQUESTS, "{}".to_owned());
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_seconds.into());
            Some(response)
        }
        Fault::Delay(wait) => {
            tokio::time::sleep(wait).await;
            None
        }
        Fault::Body(body) => Some(json(StatusCode::OK, body)),
    }
}

async fn record(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    let path = format!("/{kind}/{id}");
    if let Some(response) = misbehave(arrive(&state, &path)).await {
        return response;
    }
    let record = lock(&state).records.get(&path).cloned();
    match record {
        Some(record) => {
            let mut body = record.body.to_string();
            for (from, to) in &record.replacements {
                body = body.replace(from.as_str(), to);
            }
            json(StatusCode::OK, body)
        }
        None => json(StatusCode::NOT_FOUND, NOT_FOUND.to_owned()),
    }
}

async fn tenders_feed(
    state: State<Arc<Mutex<FakeState>>>,
    query: Query<HashMap<String, String>>,
) -> Response {
    feed("tenders", state, query).await
}

async fn plans_feed(
    state: State<Arc<Mutex<FakeState>>>,
    query: Query<HashMap<String, String>>,
) -> Response {
    feed("plans", state, query).await
}

fn feed_key(kind: &str, offset: &str) -> String {
    format!("{kind}?{offset}")
}

async fn feed(
    kind: &str,
    State(state): State<Arc<Mutex<FakeState>>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(response) = misbehave(arrive(&state, &format!("/{kind}"))).await {
        return response;
    }
    let offset = query.get("offset").cloned().unwrap_or_default();
    let page = lock(&state)
        .feed_pages
        .get(&feed_key(kind, &offset))
        .cloned();
    // Past the recorded pages the feed has caught up: an empty page at the same offset.
    let body = page.unwrap_or_else(|| {
        let offset = serde_json::Value::String(offset).to_string();
        format!(r#"{{"data": [], "next_page": {{"offset": {offset}}}}}"#)
    });
    json(StatusCode::OK, body)
}

fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}
