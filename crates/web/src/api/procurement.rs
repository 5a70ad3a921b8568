//! Linking a project to its procurement in Prozorro through the API, for the initiator that
//! procures for it or an administrator: a tender id (`UA-2024-05-14-001234-a`), Prozorro's
//! internal id (32 hex digits) or a contract id (`…-a1`). The link names the tender in the
//! project's related processes as a revision by the person; what the tender says (status,
//! value, bidders, contracts) arrives with the next Prozorro sync, as revisions by Prozorro.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, http::StatusCode};
use dream_domain::FieldErrors;
use dream_domain::ProjectId;
use dream_domain::policy::{Action, Actor, ProjectFacts, can};
use dream_registers::prozorro::projects::{LinkError, link};
use serde::Deserialize;
use serde_json::{Value, json};

use super::parse_body;
use super::projects::project_id;
use super::steps::Caller;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/projects/{id}/tenders", post(link_tender))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRequest {
    /// The tender as the person typed it.
    tender: String,
}

/// Links the project to a tender: 201 for a new link, 200 when it was linked already.
async fn link_tender(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = project_id(&id)?;
    let request: LinkRequest = parse_body(&body)?;
    let created = link_procurement(&state, &actor, &id, &request.tender).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = json!({"project": id.to_string(), "tender": request.tender.trim(), "new": created});
    Ok((status, Json(body)))
}

/// Links project `id` to the tender `tender` as `actor`, when the policy lets them: the one
/// path for the API and the cabinet's form. Says whether the link is new.
pub(crate) async fn link_procurement(
    state: &AppState,
    actor: &Actor,
    id: &ProjectId,
    tender: &str,
) -> Result<bool, ApiError> {
    let (project, _) = state.store.project(id).await?;
    can(
        actor,
        Action::LinkProcurement,
        &ProjectFacts::of(&project, None),
    )
    .map_err(|refusal| {
        let english = refusal.message.en.clone().unwrap_or_default();
        ApiError::Forbidden(format!("{english} ({})", refusal.message.uk))
    })?;

    let created = match link(&state.store, id, tender, &actor.name).await {
        Ok(created) => created,
        Err(LinkError::Reference(error)) => {
            let mut errors = FieldErrors::new();
            errors.add("tender", error.to_string());
            return Err(ApiError::Invalid(errors));
        }
        Err(LinkError::Store(error)) => return Err(error.into()),
    };
    if created {
        tracing::info!(project.id = %id, "project {id} linked to Prozorro {}", tender.trim());
    }
    Ok(created)
}
