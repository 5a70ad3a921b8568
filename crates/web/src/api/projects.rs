//! `/api/v1/projects`: the list with filters, one project, its history, and the writes
//! that create, change and withdraw projects.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dream_domain::policy::{Action, Actor, ProjectFacts, Role, can};
use dream_domain::project::ProjectContent;
use dream_domain::revision;
use dream_domain::workflow::{Step, is_draft, transition};
use dream_domain::{Edrpou, FieldErrors, Katottg, ProjectId};
use dream_store::projects::{ProjectFilter, ProjectSort};
use dream_store::revisions::Entity;
use serde::Deserialize;
use serde_json::{Value, json};

use super::steps::{Caller, refused};
use super::{Admin, change, change_by, history, json_document, parse_body, state_at};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list).post(create))
        .route("/projects/{id}", get(read).patch(patch))
        .route("/projects/{id}/withdraw", post(withdraw))
        .route("/projects/{id}/revisions", get(revisions))
        .route("/projects/{id}/revisions/{number}", get(revision))
}

/// The query string of the list, as typed by a client; every value is checked below.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListQuery {
    status: Option<String>,
    status_details: Option<String>,
    sector: Option<String>,
    purpose: Option<String>,
    #[serde(rename = "type")]
    project_type: Option<String>,
    oblast: Option<String>,
    raion: Option<String>,
    hromada: Option<String>,
    initiator: Option<String>,
    #[serde(alias = "text")]
    q: Option<String>,
    sort: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
}

/// A filter, an order and a page, parsed from the query string.
pub struct ListRequest {
    pub filter: ProjectFilter,
    pub sort: ProjectSort,
    pub offset: u32,
    pub limit: u32,
}

impl ListQuery {
    /// Checks every parameter, naming each wrong one.
    pub fn parse(self) -> Result<ListRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let filter = ProjectFilter {
            status: parse_code(&mut errors, "status", non_empty(self.status)),
            status_details: parse_code(
                &mut errors,
                "statusDetails",
                non_empty(self.status_details),
            ),
            sector: parse_code(&mut errors, "sector", non_empty(self.sector)),
            purpose: parse_code(&mut errors, "purpose", non_empty(self.purpose)),
            project_type: parse_code(&mut errors, "type", non_empty(self.project_type)),
            oblast: parse_with(
                &mut errors,
                "oblast",
                non_empty(self.oblast),
                Katottg::parse,
            ),
            raion: parse_with(&mut errors, "raion", non_empty(self.raion), Katottg::parse),
            hromada: parse_with(
                &mut errors,
                "hromada",
                non_empty(self.hromada),
                Katottg::parse,
            ),
            initiator: parse_with(
                &mut errors,
                "initiator",
                non_empty(self.initiator),
                Edrpou::parse,
            ),
            text: self.q.filter(|q| !q.trim().is_empty()),
            ..Default::default()
        };
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => ProjectSort::default(),
            Some(sort) => ProjectSort::parse(sort).unwrap_or_else(|| {
                errors.add(
                    "sort",
                    format!("expected one of: {}", ProjectSort::CODES.join(", ")),
                );
                ProjectSort::default()
            }),
        };
        let offset = parse_offset(&mut errors, self.offset);
        let limit = parse_number(
            &mut errors,
            "limit",
            self.limit,
            20,
            dream_store::projects::MAX_PAGE_SIZE,
        );
        errors.into_result()?;
        Ok(ListRequest {
            filter,
            sort,
            offset,
            limit,
        })
    }
}

/// An empty parameter (`?sector=`) means no filter, as a form with an empty choice sends.
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

fn parse_code<T>(errors: &mut FieldErrors, field: &str, value: Option<String>) -> Option<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    parse_with(errors, field, value, |v| v.parse::<T>())
}

fn parse_with<T, E: std::fmt::Display>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<T> {
    let value = value?;
    parse(&value)
        .map_err(|error| errors.add(field, error.to_string()))
        .ok()
}

/// The offset, which reaches no further than `MAX_OFFSET`: past it, the error says how to
/// read everything without one.
fn parse_offset(errors: &mut FieldErrors, value: Option<String>) -> u32 {
    let max = dream_store::projects::MAX_OFFSET;
    match value.as_deref().map(str::parse::<u64>) {
        Some(Ok(far)) if far > u64::from(max) => {
            errors.add(
                "offset",
                format!(
                    "at most {max}; to read further, narrow the list with filters, or read \
                     every project in order of change from \
                     /marketplace/public/dream/ideas?from=…, or all at once from the files \
                     at /data"
                ),
            );
            0
        }
        _ => parse_number(errors, "offset", value, 0, max),
    }
}

fn parse_number(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    default: u32,
    max: u32,
) -> u32 {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return default;
    };
    match value.parse::<u32>() {
        Ok(number) if number <= max => number,
        _ => {
            errors.add(field, format!("a whole number from 0 to {max}"));
            default
        }
    }
}

pub(super) fn project_id(text: &str) -> Result<ProjectId, ApiError> {
    ProjectId::parse(text).map_err(|error| ApiError::NotFound(error.to_string()))
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let mut request = query.parse()?;
    request.filter.visibility = viewer.visibility();
    // The total is counted once per registry version and filter, as the catalogue's is, so
    // a page of a list already counted costs one query for its rows.
    let key = format!("api:{:?}", request.filter);
    let total = state
        .totals
        .breakdown(&state.store, &key, &request.filter, &[])
        .await?
        .projects();
    let page = state
        .store
        .list_projects_json_counted(
            &request.filter,
            request.sort,
            request.offset,
            request.limit,
            Some(total),
        )
        .await?;
    Ok(json_document(page))
}

async fn read(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let document = state
        .store
        .project_document(&project_id(&id)?, &viewer.visibility())
        .await?;
    Ok(json_document(document))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    reason: String,
    project: ProjectContent,
}

async fn create(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: CreateBody = parse_body(&body)?;
    let change = change_by(&actor.name, &body.reason)?;
    if actor.role != Role::Administrator {
        may_enter(&actor, &body.project)?;
    }
    let project = state.store.create_project(body.project, &change).await?;
    let location = format!("/api/v1/projects/{}", project.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(project)).into_response())
}

/// Whether someone other than an administrator may enter `content`: an initiator, for its
/// own organisation, and only as a draft, since every later stage is reached by the route.
fn may_enter(actor: &Actor, content: &ProjectContent) -> Result<(), ApiError> {
    let initiator = content.initiator().map(|party| party.id.clone());
    let location = content.locations.first().map(|l| l.katottg.clone());
    let Some(initiator) = initiator else {
        return Err(ApiError::field(
            "project.parties",
            "one party must have the initiator role",
        ));
    };
    can(
        actor,
        Action::Create,
        &ProjectFacts::new_draft(initiator, location),
    )
    .map_err(refused)?;
    if !is_draft(content.status_details) {
        return Err(ApiError::field(
            "project.statusDetails",
            "a new project starts as an idea (initiated) or in definition; later stages are \
             reached along the route",
        ));
    }
    Ok(())
}

/// A change: an RFC 6902 JSON Patch over the project's content, and why it is made.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    pub reason: String,
    /// The revision the client read; the change is refused if the record moved on since.
    #[serde(default)]
    pub revision: Option<u32>,
    pub patch: Value,
}

async fn patch(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = project_id(&id)?;
    let body: PatchBody = parse_body(&body)?;
    let change = change_by(&actor.name, &body.reason)?;
    let (patch, revision) = if actor.role == Role::Administrator {
        (body.patch, body.revision)
    } else {
        let (patch, current) = edit_patch(&state, &actor, &id, body.patch).await?;
        (patch, Some(body.revision.unwrap_or(current)))
    };
    let project = state
        .store
        .patch_project(&id, &patch, revision, &change)
        .await?;
    Ok(Json(project).into_response())
}

/// The patch an initiator may make: an edit the route allows now, that keeps the project
/// its own and moves its stage only as editing does (an idea becomes a project in
/// definition). Returns the patch to write and the revision it was checked against.
async fn edit_patch(
    state: &AppState,
    actor: &Actor,
    id: &ProjectId,
    patch: Value,
) -> Result<(Value, u32), ApiError> {
    let (project, revision) = state.store.project(id).await?;
    let moved =
        transition(actor, &Step::Edit, &ProjectFacts::of(&project, None)).map_err(refused)?;
    let Value::Array(mut operations) = patch else {
        return Err(ApiError::field(
            "patch",
            "an RFC 6902 patch is an array of operations",
        ));
    };
    operations.push(json!({"op": "replace", "path": "/statusDetails", "value": moved.to}));
    let patch = Value::Array(operations);

    let before =
        serde_json::to_value(&project.content).map_err(|e| ApiError::Internal(e.to_string()))?;
    let after = revision::apply(&before, &patch).map_err(|e| ApiError::field("patch", e))?;
    let after: ProjectContent = dream_domain::validation::from_json(after)?;
    let before = project.content.initiator().map(|p| &p.id);
    if after.initiator().map(|p| &p.id) != before {
        return Err(ApiError::Forbidden(
            "the initiator of a project cannot be changed by an edit".into(),
        ));
    }
    Ok((patch, revision))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonBody {
    reason: String,
}

async fn withdraw(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = project_id(&id)?;
    let body: ReasonBody = parse_body(&body)?;
    let change = change(&admin, &body.reason)?;
    let project = state.store.withdraw_project(&id, &change).await?;
    Ok(Json(project).into_response())
}

async fn revisions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = project_id(&id)?;
    let exists = state
        .store
        .project_document(&id, &viewer.visibility())
        .await;
    history(&state.store, Entity::Project, id.as_str(), exists).await
}

async fn revision(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = project_id(&id)?;
    state
        .store
        .project_document(&id, &viewer.visibility())
        .await?;
    state_at(
        &state.store,
        Entity::Project,
        id.as_str(),
        &number,
        "project",
    )
    .await
}
