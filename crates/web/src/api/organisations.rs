//! `/api/v1/organisations`: organisations by EDRPOU code, their history, and the writes
//! that register and change them.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dream_domain::Edrpou;
use dream_domain::organisation::OrganisationContent;
use dream_store::revisions::Entity;
use serde::Deserialize;

use super::projects::PatchBody;
use super::{Admin, change, history, json_document, parse_body, state_at};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations", axum::routing::post(create))
        .route("/organisations/{id}", get(read).patch(patch))
        .route("/organisations/{id}/revisions", get(revisions))
        .route("/organisations/{id}/revisions/{number}", get(revision))
}

fn edrpou(text: &str) -> Result<Edrpou, ApiError> {
    Edrpou::parse(text).map_err(|error| ApiError::NotFound(error.to_string()))
}

async fn read(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(json_document(
        state.store.organisation_document(&edrpou(&id)?).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    reason: String,
    id: Edrpou,
    organisation: OrganisationContent,
}

async fn create(
    State(state): State<AppState>,
    admin: Admin,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: CreateBody = parse_body(&body)?;
    let change = change(&admin, &body.reason)?;
    let organisation = state
        .store
        .create_organisation(body.id, body.organisation, &change)
        .await?;
    let location = format!("/api/v1/organisations/{}", organisation.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        Json(organisation),
    )
        .into_response())
}

async fn patch(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = edrpou(&id)?;
    let body: PatchBody = parse_body(&body)?;
    let change = change(&admin, &body.reason)?;
    let organisation = state
        .store
        .patch_organisation(&id, &body.patch, body.revision, &change)
        .await?;
    Ok(Json(organisation).into_response())
}

async fn revisions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = edrpou(&id)?;
    let exists = state.store.organisation_document(&id).await;
    history(&state.store, Entity::Organisation, id.as_str(), exists).await
}

async fn revision(
    State(state): State<AppState>,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = edrpou(&id)?;
    state_at(
        &state.store,
        Entity::Organisation,
        id.as_str(),
        &number,
        "organisation",
    )
    .await
}
