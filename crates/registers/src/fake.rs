//! What the local stand-ins for the EDR, the RDDP and the treasury share: a server on
//! 127.0.0.1 with a free port that answers GET requests with the JSON bodies it was given,
//! each under a path and its query, and that can be told to misbehave (fail with a status,
//! limit the rate, answer slowly, send broken JSON) for the next requests to a path. Each
//! register's fake puts its bodies where that register's API has them.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tokio::task::JoinHandle;

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

#[derive(Debug, Default)]
struct FakeState {
    /// Bodies by path, then by the sorted query pairs they answer.
    bodies: HashMap<String, HashMap<Vec<(String, String)>, String>>,
    faults: HashMap<String, VecDeque<Fault>>,
    requests: HashMap<String, usize>,
    not_found: String,
    /// The `Authorization` header every request must carry, when the fake asks for one.
    authorization: Option<String>,
}

/// A running fake register; it stops when dropped.
#[derive(Debug)]
pub struct FakeRegister {
    address: SocketAddr,
    prefix: String,
    state: Arc<Mutex<FakeState>>,
    server: JoinHandle<()>,
}

impl FakeRegister {
    /// Starts a fake on a free port of 127.0.0.1 whose API root is `prefix` (such as
    /// `/1.0`), answering unknown paths with 404 and `not_found` as the body.
    pub async fn start(prefix: &str, not_found: &str) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(FakeState {
            not_found: not_found.to_owned(),
            ..FakeState::default()
        }));
        let router = Router::new().fallback(answer).with_state(state.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Self {
            address,
            prefix: prefix.trim_end_matches('/').to_owned(),
            state,
            server,
        })
    }

    /// The API root to put in the client's configuration.
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.address, self.prefix)
    }

    /// Serves `body` at `path` under the root (such as `/subjects/42`) when the request's
    /// query pairs are `query`, in any order.
    pub fn put(&self, path: &str, query: &[(&str, &str)], body: impl Into<String>) {
        let path = format!("{}{path}", self.prefix);
        self.lock()
            .bodies
            .entry(path)
            .or_default()
            .insert(sorted(query.iter().map(|(k, v)| (*k, *v))), body.into());
    }

    /// Stops serving anything at `path`, so that it answers 404.
    pub fn remove(&self, path: &str) {
        let path = format!("{}{path}", self.prefix);
        self.lock().bodies.remove(&path);
    }

    /// Makes the next requests to `path` under the root misbehave, one fault each.
    pub fn fail_next(&self, path: &str, faults: impl IntoIterator<Item = Fault>) {
        let path = format!("{}{path}", self.prefix);
        self.lock().faults.entry(path).or_default().extend(faults);
    }

    /// Answers 401 to every request that does not carry `Authorization: <value>`, as a
    /// register that grants access by credentials does.
    pub fn require_authorization(&self, value: &str) {
        self.lock().authorization = Some(value.to_owned());
    }

    /// How many requests `path` under the root has had, whatever their query.
    pub fn request_count(&self, path: &str) -> usize {
        let path = format!("{}{path}", self.prefix);
        self.lock().requests.get(&path).copied().unwrap_or(0)
    }

    fn lock(&self) -> MutexGuard<'_, FakeState> {
        lock(&self.state)
    }
}

impl Drop for FakeRegister {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn lock(state: &Mutex<FakeState>) -> MutexGuard<'_, FakeState> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn sorted<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    let map: BTreeMap<String, String> = pairs
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    map.into_iter().collect()
}

async fn answer(
    State(state): State<Arc<Mutex<FakeState>>>,
    uri: Uri,
    headers: axum::http::HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let path = uri.path().to_owned();
    let (fault, refused) = {
        let mut state = lock(&state);
        *state.requests.entry(path.clone()).or_default() += 1;
        let given = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok());
        let refused = state
            .authorization
            .as_deref()
            .is_some_and(|wanted| given != Some(wanted));
        (
            state.faults.get_mut(&path).and_then(VecDeque::pop_front),
            refused,
        )
    };
    if refused {
        return json(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"credentials needed"}"#.to_owned(),
        );
    }
    if let Some(response) = misbehave(fault).await {
        return response;
    }
    let key = sorted(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let state = lock(&state);
    match state.bodies.get(&path).and_then(|bodies| bodies.get(&key)) {
        Some(body) => json(StatusCode::OK, body.clone()),
        None => json(StatusCode::NOT_FOUND, state.not_found.clone()),
    }
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

fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}
