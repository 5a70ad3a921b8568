//! Health checks for process supervisors and load balancers: `/healthz` says the process
//! answers, `/readyz` that it can reach its database.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(alive))
        .route("/readyz", get(ready))
}

async fn alive() -> &'static str {
    "ok"
}

async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(error = %error, "database unreachable: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
