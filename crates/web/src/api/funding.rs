//! Funding recorded by those who give it: a donor adds what it pledged or gave to a project
//! it funds, as a finance line of the project's proposed approach, and the agency's
//! administrator may record it on a donor's behalf. The policy decides who may (a donor only
//! on projects that name it as a funder, never on a draft); each line is a revision signed
//! by the person who recorded it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, http::StatusCode};
use dream_domain::codelist::{FinanceCategory, FinanceType};
use dream_domain::money::Money;
use dream_domain::policy::{Action, Actor, ProjectFacts, Role, can};
use dream_domain::project::{FinanceLine, FinancingParty, Period, Project};
use dream_domain::{Edrpou, ProjectId};
use dream_store::revisions::Change;
use serde::Deserialize;
use serde_json::{Value, json};

use super::parse_body;
use super::projects::project_id;
use super::steps::{Caller, refused};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/projects/{id}/funding", post(record))
}

/// Funding as a donor states it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FundingRequest {
    /// The revision the donor saw; a record against an older one is refused.
    pub revision: Option<u32>,
    pub amount: Money,
    pub finance_type: FinanceType,
    pub finance_category: FinanceCategory,
    #[serde(default)]
    pub period: Option<Period>,
    /// For an administrator recording on a donor's behalf: the donor's EDRPOU.
    #[serde(default)]
    pub donor: Option<Edrpou>,
    #[serde(default)]
    pub reason: Option<String>,
}

async fn record(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = project_id(&id)?;
    let request: FundingRequest = parse_body(&body)?;
    let (line, revision) = record_funding(&state, &actor, &id, &request).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"project": id.to_string(), "revision": revision, "financeLine": line})),
    ))
}

/// Adds the funding of `request` to project `id` as `actor`: the one path for the API and
/// the cabinet's form. Returns the line written and the project's new revision.
pub(crate) async fn record_funding(
    state: &AppState,
    actor: &Actor,
    id: &ProjectId,
    request: &FundingRequest,
) -> Result<(FinanceLine, u32), ApiError> {
    let (project, revision) = state.store.project(id).await?;
    if let Some(seen) = request.revision
        && seen != revision
    {
        return Err(ApiError::Conflict(format!(
            "the funding was recorded against revision {seen}, but the project is at \
             revision {revision}; read it again"
        )));
    }
    let facts = ProjectFacts::of(&project, None);
    can(actor, Action::RecordFunding, &facts).map_err(refused)?;
    if request.amount.amount_minor == 0 {
        return Err(ApiError::field("amount", "record an amount above zero"));
    }
    let donor = donor_of(actor, request)?;
    let Some(approach) = project.content.approaches.first() else {
        return Err(ApiError::Conflict(
            "the project has no approach to fund yet; its initiator sets one up first".into(),
        ));
    };

    let line = FinanceLine {
        id: next_line_id(&project),
        amount: request.amount,
        finance_type: request.finance_type,
        finance_category: request.finance_category,
        financing_party: FinancingParty {
            id: Some(donor.clone()),
            name: party_name(state, &project, &donor).await,
        },
        period: request.period,
    };
    let value = serde_json::to_value(&line).map_err(|e| ApiError::Internal(e.to_string()))?;
    let patch = json!([{"op": "add", "path": "/approaches/0/finance/-", "value": value}]);
    let reason = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map_or_else(
            || {
                format!(
                    "funding recorded: {} {}",
                    line.amount.major_text(),
                    line.amount.currency
                )
            },
            |r| r.chars().take(1000).collect(),
        );
    let change = Change {
        author: actor.name.clone(),
        reason,
    };
    state
        .store
        .patch_project(id, &patch, Some(revision), &change)
        .await?;
    tracing::info!(project.id = %id, approach.id = %approach.id,
        "funding recorded on project {id} by {donor}");
    Ok((line, revision + 1))
}

/// Whose money it is: a donor's own, or the donor an administrator names.
fn donor_of(actor: &Actor, request: &FundingRequest) -> Result<Edrpou, ApiError> {
    match (actor.role, &actor.organisation, &request.donor) {
        (Role::Donor, Some(own), None) => Ok(own.clone()),
        (Role::Donor, Some(own), Some(named)) if named == own => Ok(own.clone()),
        (Role::Donor, _, _) => Err(ApiError::Forbidden(
            "a donor records only its own funding".into(),
        )),
        (_, _, Some(named)) => Ok(named.clone()),
        (_, _, None) => Err(ApiError::field(
            "donor",
            "name the donor (its EDRPOU) whose funding you record",
        )),
    }
}

/// An id for the next finance line that no line of the project has.
fn next_line_id(project: &Project) -> String {
    let taken: Vec<&str> = project
        .content
        .approaches
        .iter()
        .flat_map(|a| &a.finance)
        .map(|line| line.id.as_str())
        .collect();
    (1..)
        .map(|n| format!("f{n}"))
        .find(|id| !taken.contains(&id.as_str()))
        .unwrap_or_else(|| "f".into())
}

/// The donor's name as the project's parties give it, else as the registry knows it.
async fn party_name(state: &AppState, project: &Project, donor: &Edrpou) -> String {
    if let Some(party) = project.content.parties.iter().find(|p| &p.id == donor) {
        return party.name.clone();
    }
    let document = state.store.organisation_document(donor).await.ok();
    document
        .and_then(|d| serde_json::from_str::<Value>(&d).ok())
        .and_then(|o| o["name"]["uk"].as_str().map(str::to_owned))
        .unwrap_or_else(|| donor.to_string())
}
