//! `/api/v1/territories`: the KATOTTG codifier, an oblast, raion, hromada or settlement
//! with the units directly below it.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use dream_domain::Katottg;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/territories", get(oblasts))
        .route("/territories/{code}", get(territory))
}

async fn oblasts(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": state.store.oblasts().await? })))
}

async fn territory(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let code = Katottg::parse(&code).map_err(|error| ApiError::NotFound(error.to_string()))?;
    let territory = state.store.territory(&code).await?;
    let children = state.store.territory_children(&code).await?;
    let mut body = json!(territory);
    body["children"] = json!(children);
    Ok(Json(body))
}
