//! The HTTP face of DREAM: the JSON API under `/api/v1`, health checks, and the pages a
//! browser opens. Handlers stay thin: they parse input into domain types, call the store,
//! and turn the answer or the error into a response.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use dream_store::Store;
use tower_http::CompressionLevel;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub mod api;
mod auth;
pub mod documents;
pub mod error;
mod health;
mod pages;
mod public_api;
mod replica;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// A read replica of `store` (`DATABASE_READ_URL`) that answers readers without an
    /// account; `None` reads everything from `store`. See [`replica`].
    pub replica: Option<Store>,
    /// The bearer token that authorises writes until accounts exist; `None` disables writes.
    pub admin_token: Option<Arc<str>>,
    /// The name recorded as the author of writes made with the administrator token.
    pub admin_name: Arc<str>,
    /// Who publishes this installation's open data, and under which terms.
    pub publisher: Arc<dream_opendata::oc4ids::Publisher>,
    /// Where the bulk open-data files are published and the files of projects' documents
    /// are kept; `None` serves none and keeps none.
    pub files: Option<dream_files::FileStore>,
    /// The largest document or photo accepted, in bytes
    /// ([`documents::DEFAULT_LIMIT_BYTES`] unless configured).
    pub upload_limit_bytes: u64,
    /// Totals of the public pages, counted once per version of the registry.
    pub totals: Arc<pages::totals::TotalsCache>,
    /// Public pages as rendered, kept until the registry version moves on.
    pub pages: Arc<pages::cache::PageCache>,
}

/// What browsers may load and run on our pages: only our own scripts, never inline ones;
/// styles may be inline because the drawings and Swagger UI style their own elements.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The largest request body a handler reads as JSON or a form: a project with many
/// approaches fits in far less. Uploads of documents read their body as a stream and hold
/// it to [`AppState::upload_limit_bytes`] themselves, with a refusal that names the limit.
const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// How long one request may take before the client gets 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application, ready to be served.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let routes = match state.replica.clone() {
        None => routes(state),
        Some(replica) => {
            let public = AppState {
                store: replica,
                replica: None,
                totals: Default::default(),
                pages: Default::default(),
                ..state.clone()
            };
            replica::route_public_reads(routes(state), routes(public))
        }
    };
    routes
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        // Everything public may be read from any origin; writes stay same-origin, since a
        // preflight for them is refused.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD]),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                ),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Every page and endpoint, answering from `state`'s store.
fn routes(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(pages::router(&state))
        .merge(public_api::router())
        .nest("/api/v1", api::router())
        .merge(api::docs::router())
        .fallback(|uri: axum::http::Uri| async move {
            error::ApiError::NotFound(format!("nothing is served at {}", uri.path()))
        })
        .with_state(state)
}

/// Sets a header on every response that did not set it itself.
fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// The span every request's events belong to: method, route and request id.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or(request.uri().path(), |path| path.as_str());
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        http.method = %request.method(),
        http.route = route,
        request.id = id
    )
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
