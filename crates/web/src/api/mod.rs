//! The JSON API, `/api/v1`: projects, objects, organisations and territories. Reads are
//! public; writes need the administrator's bearer token and always carry a reason, which
//! is stored with the revision they create.

use axum::Router;
use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use dream_domain::validation::from_json;
use dream_store::revisions::{Change, Entity};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

pub(crate) mod calls;
mod comments;
pub mod docs;
mod documents;
pub(crate) mod funding;
mod objects;
mod oc4ids;
mod organisations;
pub(crate) mod procurement;
mod projects;
pub(crate) mod steps;
mod territories;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(projects::router())
        .merge(steps::router())
        .merge(calls::router())
        .merge(funding::router())
        .merge(comments::router())
        .merge(procurement::router())
        .merge(documents::router())
        .merge(objects::router())
        .merge(organisations::router())
        .merge(territories::router())
        .merge(oc4ids::router())
}

/// Who may write through the API: the bootstrapping token from configuration, or the API
/// token of an agency administrator's account. Other accounts' tokens authenticate but may
/// not write here; their workflow actions have endpoints of their own.
pub struct Admin {
    pub name: String,
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let given = bearer(parts)?;
        if let Some(expected) = state.admin_token.as_deref()
            && constant_time_eq(given.as_bytes(), expected.as_bytes())
        {
            return Ok(Admin {
                name: state.admin_name.to_string(),
            });
        }
        match state.store.api_token_user(given).await? {
            Some(user) if user.role == "agencyAdministrator" => Ok(Admin {
                name: steps::signature(&user),
            }),
            Some(user) => Err(ApiError::Forbidden(format!(
                "the role {} may not write records directly; an agency administrator may",
                user.role
            ))),
            None => Err(ApiError::Unauthorized(
                "the token is not valid: unknown, expired or revoked".into(),
            )),
        }
    }
}

/// The token of an `Authorization: Bearer` header.
pub(crate) fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::Unauthorized("send Authorization: Bearer <token>".into()))
}

/// Compares two secrets in time that does not depend on where they first differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads a JSON body into `T`, naming the first field that does not fit.
pub fn parse_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::BadRequest(format!("the body is not valid JSON: {error}")))?;
    if !value.is_object() {
        return Err(ApiError::BadRequest(
            "the body must be a JSON object".into(),
        ));
    }
    Ok(from_json(value)?)
}

/// The author and reason of a write, checked to be present.
pub fn change(admin: &Admin, reason: &str) -> Result<Change, ApiError> {
    change_by(&admin.name, reason)
}

/// The change `author` makes for `reason`, the reason checked to be present and short.
pub fn change_by(author: &str, reason: &str) -> Result<Change, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::field("reason", "say why this change is made"));
    }
    if reason.chars().count() > 1000 {
        return Err(ApiError::field("reason", "at most 1000 characters"));
    }
    Ok(Change {
        author: author.to_owned(),
        reason: reason.to_owned(),
    })
}

/// The history of a record: every revision, oldest first. `exists` is the record's read,
/// so that an unknown record is a 404 rather than an empty history.
pub async fn history(
    store: &dream_store::Store,
    entity: Entity,
    id: &str,
    exists: Result<String, dream_store::StoreError>,
) -> Result<Response, ApiError> {
    exists?;
    let items = store.revisions(entity, id, None).await?;
    Ok(axum::Json(serde_json::json!({ "items": items })).into_response())
}

/// A record as it was after revision `number` (text from the path), under `key`.
pub async fn state_at(
    store: &dream_store::Store,
    entity: Entity,
    id: &str,
    number: &str,
    key: &str,
) -> Result<Response, ApiError> {
    let number = number
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::NotFound(format!("revision {number:?} does not exist")))?;
    let (revision, state) = store.state_at(entity, id, number).await?;
    let mut body = serde_json::json!({ "revision": revision });
    body[key] = state;
    Ok(axum::Json(body).into_response())
}

/// A response whose body is a JSON document already serialised, as stored.
pub fn json_document(document: String) -> Response {
    ([(CONTENT_TYPE, "application/json")], document).into_response()
}
