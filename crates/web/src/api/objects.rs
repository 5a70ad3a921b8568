//! `/api/v1/objects`: functional objects (assets), their history, and the writes that
//! create and change them.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dream_domain::ObjectId;
use dream_domain::object::ObjectContent;
use dream_store::revisions::Entity;
use serde::Deserialize;

use super::projects::PatchBody;
use super::{Admin, change, history, json_document, parse_body, state_at};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/objects", axum::routing::post(create))
        .route("/objects/{id}", get(read).patch(patch))
        .route("/objects/{id}/revisions", get(revisions))
        .route("/objects/{id}/revisions/{number}", get(revision))
}

fn object_id(text: &str) -> Result<ObjectId, ApiError> {
    uuid::Uuid::parse_str(text)
        .map(ObjectId)
        .map_err(|_| ApiError::NotFound(format!("an object id is a UUID, got {text:?}")))
}

async fn read(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(json_document(
        state.store.object_document(&object_id(&id)?).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    reason: String,
    object: ObjectContent,
}

async fn create(
    State(state): State<AppState>,
    admin: Admin,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: CreateBody = parse_body(&body)?;
    let change = change(&admin, &body.reason)?;
    let object = state.store.create_object(body.object, &change).await?;
    let location = format!("/api/v1/objects/{}", object.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(object)).into_response())
}

async fn patch(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = object_id(&id)?;
    let body: PatchBody = parse_body(&body)?;
    let change = change(&admin, &body.reason)?;
    let object = state
        .store
        .patch_object(&id, &body.patch, body.revision, &change)
        .await?;
    Ok(Json(object).into_response())
}

async fn revisions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = object_id(&id)?;
    let exists = state.store.object_document(&id).await;
    history(&state.store, Entity::Object, &id.to_string(), exists).await
}

async fn revision(
    State(state): State<AppState>,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = object_id(&id)?;
    state_at(
        &state.store,
        Entity::Object,
        &id.to_string(),
        &number,
        "object",
    )
    .await
}
