//! Calls for proposals through the API: a ministry's commission (or the agency's
//! administrator) publishes a call; an initiator applies its appraised project, which is
//! checked for eligibility and scored by the call's published formula at once; the
//! commission decides on the ranked applications. Calls, rankings, scores with every input,
//! and decisions are public, so anyone can recompute a score and see where the commission
//! departed from the ranking and why.
//!
//! Applying and deciding are steps of the project's route: the domain's one policy decides
//! who may take them, and each is a revision of the project written in one transaction with
//! its application or verdict.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use dream_domain::ProjectId;
use dream_domain::calls::{
    Application, Call, CallDecision, Ineligibility, Ranked, Verdict, decide, eligibility, may_open,
    rank,
};
use dream_domain::policy::{Actor, ProjectFacts};
use dream_domain::project::Project;
use dream_domain::validation::FieldErrors;
use dream_domain::workflow::{Step, transition};
use dream_store::calls::{StoredApplication, StoredCall};
use dream_store::revisions::Change;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::parse_body;
use super::steps::{Caller, reason_of, refused};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calls", get(list).post(open))
        .route("/calls/{id}", get(read))
        .route("/calls/{id}/applications", post(apply))
        .route("/calls/{id}/decisions", post(decide_applications))
}

/// Where a call stands at `now`: before its window, inside it, or after it.
fn window_state(call: &Call, now: OffsetDateTime) -> &'static str {
    if now < call.opens {
        "upcoming"
    } else if now < call.closes {
        "open"
    } else {
        "closed"
    }
}

fn summary(stored: &StoredCall, applications: usize) -> Value {
    let call = &stored.call;
    json!({
        "id": call.id,
        "ministry": call.ministry,
        "title": call.title,
        "opens": dream_domain::timestamp::format(call.opens),
        "closes": dream_domain::timestamp::format(call.closes),
        "state": window_state(call, dream_store::now()),
        "applications": applications,
    })
}

async fn list(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let calls = state.store.calls().await?;
    let counts = state.store.application_counts().await?;
    let items: Vec<Value> = calls
        .iter()
        .map(|stored| {
            let applications = counts.get(&stored.call.id.0).copied().unwrap_or(0);
            summary(stored, applications)
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn open(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let call: Call = parse_body(&body)?;
    let stored = publish_call(&state, &actor, &call).await?;
    Ok((StatusCode::CREATED, Json(summary(&stored, 0))))
}

/// Publishes `call` as `actor` after every check: the one path for the API and the
/// cabinet's form.
pub(crate) async fn publish_call(
    state: &AppState,
    actor: &Actor,
    call: &Call,
) -> Result<StoredCall, ApiError> {
    call.check().into_result()?;
    if !is_call_id(&call.id.0) {
        return Err(ApiError::field(
            "id",
            "1 to 100 lower-case Latin letters, digits and hyphens, such as shelters-2025",
        ));
    }
    may_open(actor, call).map_err(refused)?;
    state.store.create_call(call, &actor.name).await?;
    Ok(state.store.call(&call.id.0).await?)
}

/// Ids travel in addresses, so they are kept to plain lower-case words.
fn is_call_id(id: &str) -> bool {
    (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

async fn read(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let stored = state.store.call(&id).await?;
    let applications = state.store.applications(&stored.call.id).await?;
    let ranking = ranking_of(&applications);
    let ids: Vec<_> = ranking
        .iter()
        .map(|ranked| ranked.application.project.clone())
        .collect();
    let projects = state.store.projects(&ids).await?;
    let mut rows = Vec::with_capacity(ranking.len());
    for (ranked, project) in ranking.iter().zip(&projects) {
        let decision = applications
            .iter()
            .find(|a| a.application.project == ranked.application.project)
            .and_then(|a| a.decision.as_ref());
        rows.push(json!({
            "position": ranked.position,
            "project": ranked.application.project.to_string(),
            "title": project.content.title,
            "statusDetails": project.content.status_details,
            "submitted": dream_domain::timestamp::format(ranked.application.submitted),
            "score": ranked.application.score,
            "decision": decision.map(|d| json!({
                "verdict": d.verdict,
                "reason": d.reason,
                "decidedAt": d.decided_at,
            })),
        }));
    }
    Ok(Json(json!({
        "call": stored.call,
        "state": window_state(&stored.call, dream_store::now()),
        "publishedAt": stored.created_at,
        "ranking": rows,
    })))
}

fn ranking_of(applications: &[StoredApplication]) -> Vec<Ranked> {
    rank(applications.iter().map(|a| a.application.clone()).collect())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplicationRequest {
    project: ProjectId,
    /// The revision of the project the initiator saw; an application against an older one
    /// is refused.
    revision: Option<u32>,
}

async fn apply(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let request: ApplicationRequest = parse_body(&body)?;
    let applied = apply_to_call(&state, &actor, &id, &request.project, request.revision).await?;
    Ok((StatusCode::CREATED, Json(applied)))
}

/// Applies `project` to the call `id` as `actor`, against the revision `seen` when given:
/// the one path for the API and the cabinet's form.
pub(crate) async fn apply_to_call(
    state: &AppState,
    actor: &Actor,
    id: &str,
    project: &ProjectId,
    seen: Option<u32>,
) -> Result<Value, ApiError> {
    let stored = state.store.call(id).await?;
    let call = &stored.call;
    let (project, revision) = state.store.project(project).await?;
    check_revision(seen, revision)?;

    let step = Step::ApplyToCall {
        ministry: call.ministry.clone(),
    };
    let moved = transition(actor, &step, &ProjectFacts::of(&project, None)).map_err(refused)?;
    let now = dream_store::now();
    eligibility(call, &project, now).map_err(ineligible)?;

    let application = Application {
        project: project.id.clone(),
        submitted: now,
        score: call.score(&project.content),
    };
    let change = Change {
        author: actor.name.clone(),
        reason: format!(
            "applied to the call {}: {} points by its formula",
            call.id.0, application.score.total
        ),
    };
    let patch = json!([{"op": "replace", "path": "/statusDetails", "value": moved.to}]);
    state
        .store
        .apply_to_call(&call.id, &application, &patch, revision, &change)
        .await?;
    tracing::info!(project.id = %project.id, call.id = %call.id.0,
        "project {} applied to call {}", project.id, call.id.0);
    Ok(json!({
        "call": call.id,
        "project": project.id.to_string(),
        "statusDetails": moved.to,
        "revision": revision + 1,
        "score": application.score,
    }))
}

fn check_revision(seen: Option<u32>, current: u32) -> Result<(), ApiError> {
    match seen {
        Some(seen) if seen != current => Err(ApiError::Conflict(format!(
            "the request was made against revision {seen}, but the project is at revision \
             {current}; read it again"
        ))),
        _ => Ok(()),
    }
}

/// Every reason a project may not apply, each under the part of the project or call it is
/// about.
fn ineligible(reasons: Vec<Ineligibility>) -> ApiError {
    let mut errors = FieldErrors::new();
    for reason in reasons {
        let field = match &reason {
            Ineligibility::NotOpenYet { .. } | Ineligibility::Closed { .. } => "call",
            Ineligibility::NoLocation | Ineligibility::OblastNotEligible { .. } => "locations",
            Ineligibility::SectorNotEligible { .. } => "sector",
            Ineligibility::MissingDocument { .. } => "documents",
            Ineligibility::WrongStage { .. } => "statusDetails",
            Ineligibility::Withdrawn => "status",
        };
        let message = reason.message();
        errors.add(field, format!("{} ({})", message.in_lang("en"), message.uk));
    }
    ApiError::Invalid(errors)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionsRequest {
    decisions: Vec<CallDecision>,
}

/// One decision ready to be written: the project as read, its revision, and the step.
struct Ready {
    project: Project,
    revision: u32,
    verdict: Verdict,
    position: usize,
    passed_over: Option<ProjectId>,
    step: Step,
}

async fn decide_applications(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: DecisionsRequest = parse_body(&body)?;
    let written = record_decisions(&state, &actor, &id, request.decisions).await?;
    Ok(Json(json!({ "decided": written })))
}

/// Records the commission's `decisions` on applications to the call `id`, as `actor`: the
/// one path for the API and the cabinet's form. Every decision is checked before any is
/// written.
pub(crate) async fn record_decisions(
    state: &AppState,
    actor: &Actor,
    id: &str,
    decisions: Vec<CallDecision>,
) -> Result<Vec<Value>, ApiError> {
    let request = DecisionsRequest { decisions };
    let stored = state.store.call(id).await?;
    let call = &stored.call;
    if request.decisions.is_empty() {
        return Err(ApiError::field("decisions", "list at least one decision"));
    }
    let applications = state.store.applications(&call.id).await?;
    let decided_before = earlier_decisions(&applications);
    if let Some(again) = request
        .decisions
        .iter()
        .find(|d| decided_before.iter().any(|e| e.project == d.project))
    {
        return Err(ApiError::Conflict(format!(
            "the application of {} was already decided",
            again.project
        )));
    }

    // The ranking is judged with the earlier decisions, so approving a project that an
    // earlier refusal passed over needs its reason too.
    let ranking = ranking_of(&applications);
    let mut all = decided_before;
    all.extend(request.decisions.iter().cloned());
    let decided = decide(&ranking, &all).map_err(|problems| {
        let mut errors = FieldErrors::new();
        for problem in problems {
            errors.add("decisions", problem.to_string());
        }
        ApiError::Invalid(errors)
    })?;

    // Every decision is checked against the policy before any is written.
    let mut ready = Vec::new();
    for decision in &request.decisions {
        let Some(found) = decided.iter().find(|d| d.project == decision.project) else {
            continue;
        };
        let (project, revision) = state.store.project(&decision.project).await?;
        let facts = ProjectFacts::of(&project, Some(call.ministry.clone()));
        transition(actor, &found.step, &facts).map_err(refused)?;
        ready.push(Ready {
            project,
            revision,
            verdict: decision.verdict,
            position: found.position,
            passed_over: found.passed_over.clone(),
            step: found.step.clone(),
        });
    }

    let mut written = Vec::with_capacity(ready.len());
    for item in ready {
        written.push(write_decision(state, &actor.name, call, item).await?);
    }
    Ok(written)
}

/// The decisions already on record, as the domain reads decisions.
fn earlier_decisions(applications: &[StoredApplication]) -> Vec<CallDecision> {
    applications
        .iter()
        .filter_map(|a| {
            a.decision.as_ref().map(|d| CallDecision {
                project: a.application.project.clone(),
                verdict: d.verdict,
                reason: d.reason.clone(),
            })
        })
        .collect()
}

async fn write_decision(
    state: &AppState,
    author: &str,
    call: &Call,
    item: Ready,
) -> Result<Value, ApiError> {
    let facts = ProjectFacts::of(&item.project, Some(call.ministry.clone()));
    let to = match item.verdict {
        Verdict::Approve => dream_domain::codelist::StatusDetails::Approved,
        Verdict::Refuse => dream_domain::codelist::StatusDetails::Refused,
    };
    let change = Change {
        author: author.to_owned(),
        reason: format!(
            "{} (call {}, position {})",
            reason_of(&item.step),
            call.id.0,
            item.position
        ),
    };
    let patch = json!([{"op": "replace", "path": "/statusDetails", "value": to}]);
    let id = &item.project.id;
    state
        .store
        .decide_application(
            &call.id,
            id,
            item.verdict,
            item.step.reason(),
            &patch,
            item.revision,
            &change,
        )
        .await?;
    tracing::info!(project.id = %id, call.id = %call.id.0, step.from = %facts.stage,
        "commission decided on project {id} in call {}", call.id.0);
    Ok(json!({
        "project": id.to_string(),
        "position": item.position,
        "verdict": item.verdict,
        "passedOver": item.passed_over.map(|p| p.to_string()),
        "statusDetails": to,
        "revision": item.revision + 1,
    }))
}
