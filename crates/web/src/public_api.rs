//! DREAM's public API at the paths the state system uses (`/marketplace/public/...`), so
//! that an existing harvester works against this installation by changing its base address:
//! the change feed of projects, one project ("idea"), one object and one company.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dream_domain::object::Object;
use dream_domain::organisation::Organisation;
use dream_domain::project::Project;
use dream_domain::{Edrpou, ObjectId, ProjectId, timestamp};
use dream_opendata::dream_api;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::hide_draft;
use crate::error::ApiError;

/// How many changes one page of the feed holds.
const FEED_PAGE: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/marketplace/public/dream/ideas", get(feed))
        .route("/marketplace/public/dream/ideas/{id}", get(idea))
        .route("/marketplace/public/dream/objects/{id}", get(object))
        .route("/marketplace/public/companies/{id}", get(company))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedQuery {
    from: Option<String>,
    order: Option<String>,
}

/// Projects by update time: `order=asc` (the default) lists those changed after `from`,
/// oldest first, so a harvester passes the last `updated` it saw as the next `from`.
async fn feed(
    State(state): State<AppState>,
    query: Result<Query<FeedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let ascending = match query.order.as_deref() {
        None | Some("asc") => true,
        Some("desc") => false,
        Some(other) => {
            return Err(ApiError::field(
                "order",
                format!("asc or desc, got {other:?}"),
            ));
        }
    };
    let from = match query.from.as_deref().filter(|f| !f.is_empty()) {
        None => None,
        Some(text) => Some(timestamp::parse(text).map_err(|_| {
            ApiError::field(
                "from",
                format!("an RFC 3339 date-time such as 2023-09-08T09:37:53.882914Z, got {text:?}"),
            )
        })?),
    };
    let changes = state
        .store
        .projects_changed(from, ascending, FEED_PAGE)
        .await?;
    let data: Vec<_> = changes
        .into_iter()
        .map(|(id, updated)| {
            json!({
                "internal": {"id": dream_api::stable_uuid("UA-DREAM", &id), "code": id},
                "external": {"updated": updated},
            })
        })
        .collect();
    Ok(Json(json!({ "data": data })).into_response())
}

async fn idea(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = ProjectId::parse(&id).map_err(|error| ApiError::NotFound(error.to_string()))?;
    let (project, _): (Project, u32) = state.store.project(&id).await?;
    hide_draft(&project)?;
    Ok(Json(dream_api::idea(&project)).into_response())
}

async fn object(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = uuid::Uuid::parse_str(&id)
        .map(ObjectId)
        .map_err(|_| ApiError::NotFound(format!("an object id is a UUID, got {id:?}")))?;
    let object: Object = parse_stored(&state.store.object_document(&id).await?)?;
    let holder = match state
        .store
        .organisation_document(&object.content.holder)
        .await
    {
        Ok(document) => Some(parse_stored::<Organisation>(&document)?.content.name.uk),
        Err(dream_store::StoreError::NotFound { .. }) => None,
        Err(other) => return Err(other.into()),
    };
    Ok(Json(dream_api::object(&object, holder.as_deref())).into_response())
}

async fn company(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = Edrpou::parse(&id).map_err(|error| ApiError::NotFound(error.to_string()))?;
    let organisation: Organisation = parse_stored(&state.store.organisation_document(&id).await?)?;
    Ok(Json(dream_api::company(&organisation)).into_response())
}

fn parse_stored<T: serde::de::DeserializeOwned>(document: &str) -> Result<T, ApiError> {
    serde_json::from_str(document)
        .map_err(|error| ApiError::Internal(format!("stored document: {error}")))
}
