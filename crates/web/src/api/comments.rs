//! The comment thread of a project through the API, for token holders: the same thread the
//! cabinet shows, read by those who may see the project and written by those who may
//! comment on it, as the domain's policy decides.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use dream_domain::policy::{Action, ProjectFacts, can};
use dream_store::comments::{Comment, MAX_COMMENT_CHARS};
use serde::Deserialize;
use serde_json::{Value, json};

use super::parse_body;
use super::projects::project_id;
use super::steps::{Caller, refused};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/projects/{id}/comments", get(list).post(add))
}

fn shown(comment: &Comment) -> Value {
    json!({
        "id": comment.id,
        "author": comment.author,
        "body": comment.body,
        "date": comment.created_at,
    })
}

async fn list(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = project_id(&id)?;
    let (project, _) = state.store.project(&id).await?;
    can(&actor, Action::View, &ProjectFacts::of(&project, None))
        .map_err(|_| ApiError::NotFound(format!("project {id} does not exist")))?;
    let comments = state.store.comments(&id).await?;
    let items: Vec<Value> = comments.iter().map(shown).collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentBody {
    body: String,
}

async fn add(
    State(state): State<AppState>,
    Caller(actor, account): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = project_id(&id)?;
    let request: CommentBody = parse_body(&body)?;
    let text = request.body.trim();
    if text.is_empty() {
        return Err(ApiError::field("body", "write the comment"));
    }
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(ApiError::field(
            "body",
            format!("at most {MAX_COMMENT_CHARS} characters"),
        ));
    }
    let (project, _) = state.store.project(&id).await?;
    let facts = ProjectFacts::of(&project, None);
    if can(&actor, Action::View, &facts).is_err() {
        return Err(ApiError::NotFound(format!("project {id} does not exist")));
    }
    can(&actor, Action::Comment, &facts).map_err(refused)?;
    let comment = state
        .store
        .add_comment(&id, account.as_deref(), &actor.name, text)
        .await?;
    Ok((StatusCode::CREATED, Json(shown(&comment))))
}
