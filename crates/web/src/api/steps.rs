//! Steps along a project's route through the API, for anyone with an API token: submit for
//! review, return with reasons, appraise with a score sheet, approve, refuse, withdraw and
//! the rest. The domain's one policy decides who may take which step at which stage; each
//! step taken is a revision with its actor and reason, and a step repeated by a double
//! submit is refused because the project has already moved on.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::routing::post;
use axum::{Json, http::StatusCode};
use dream_domain::ProjectId;
use dream_domain::policy::{Actor, ProjectFacts, Refusal, RefusalKind};
use dream_domain::project::Project;
use dream_domain::workflow::{Step, Transition, transition};
use dream_domain::{Edrpou, Katottg};
use dream_store::accounts::User;
use dream_store::revisions::Change;
use serde::Deserialize;
use serde_json::{Value, json};

use super::projects::project_id;
use super::{constant_time_eq, parse_body};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/projects/{id}/steps", post(take_step))
}

/// Whoever holds a valid token, as the policy sees them, with their account's id (none for
/// the bootstrapping token from configuration).
pub struct Caller(pub Actor, pub Option<String>);

/// How an account signs what it does, in histories anyone can read: the person's name and
/// whom they act for (the organisation's EDRPOU, the oblast's code, or the agency), never
/// their email address.
pub fn signature(user: &User) -> String {
    match (&user.organisation, &user.oblast) {
        (Some(organisation), _) => format!("{} (ЄДРПОУ {organisation})", user.name),
        (None, Some(oblast)) => format!("{} (рецензент області {oblast})", user.name),
        (None, None) => format!("{} (Агентство відновлення)", user.name),
    }
}

/// The actor an account acts as.
pub fn actor_of(user: &User) -> Result<Actor, ApiError> {
    let name = signature(user);
    let organisation = || {
        user.organisation
            .as_deref()
            .and_then(|code| Edrpou::parse(code).ok())
            .ok_or_else(|| ApiError::Forbidden("this account names no organisation".into()))
    };
    Ok(match user.role.as_str() {
        "initiator" => Actor::initiator(organisation()?, &name),
        "commissionMember" => Actor::commission_member(organisation()?, &name),
        "donor" => Actor::donor(organisation()?, &name),
        "agencyAdministrator" => Actor::administrator(&name),
        "oblastReviewer" => {
            let oblast = user
                .oblast
                .as_deref()
                .and_then(|code| Katottg::parse(code).ok());
            let oblast =
                oblast.ok_or_else(|| ApiError::Forbidden("this account names no oblast".into()))?;
            Actor::oblast_reviewer(oblast, &name)
        }
        other => {
            return Err(ApiError::Forbidden(format!(
                "the role {other} takes no steps"
            )));
        }
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let given = super::bearer(parts)?;
        if let Some(expected) = state.admin_token.as_deref()
            && constant_time_eq(given.as_bytes(), expected.as_bytes())
        {
            return Ok(Caller(Actor::administrator(&state.admin_name), None));
        }
        match state.store.api_token_user(given).await? {
            Some(user) => Ok(Caller(actor_of(&user)?, Some(user.id))),
            None => Err(ApiError::Unauthorized(
                "the token is not valid: unknown, expired or revoked".into(),
            )),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepRequest {
    /// The revision the caller saw; a step against an older one is refused.
    revision: Option<u32>,
    step: Step,
}

async fn take_step(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = project_id(&id)?;
    let request: StepRequest = parse_body(&body)?;
    let taken = take(&state, &actor, &id, request.revision, &request.step).await?;
    Ok((
        StatusCode::OK,
        Json(json!({
            "project": id.to_string(),
            "from": taken.moved.from,
            "to": taken.moved.to,
            "status": taken.project.status,
            "revision": taken.revision,
        })),
    ))
}

/// A step taken: where it led, and the project as written at its new revision.
pub(crate) struct Taken {
    pub moved: Transition,
    pub project: Project,
    pub revision: u32,
}

/// Takes `step` on project `id` as `actor`, against the revision `seen` when given: the
/// one path for the API and the cabinet's forms. A refusal of the policy is 403, or 409
/// when the project is not at a stage where the step is taken; a step against an older
/// revision is 409, so a form sent twice moves the project once.
pub(crate) async fn take(
    state: &AppState,
    actor: &Actor,
    id: &ProjectId,
    seen: Option<u32>,
    step: &Step,
) -> Result<Taken, ApiError> {
    if let Some(path) = through_a_call(step) {
        return Err(ApiError::BadRequest(format!(
            "{} is a step of a call for proposals: send it to POST /api/v1/calls/{{call}}/{path}",
            step.action().name().in_lang("en")
        )));
    }
    let (project, revision) = state.store.project(id).await?;
    if let Some(seen) = seen
        && seen != revision
    {
        return Err(ApiError::Conflict(format!(
            "the step was taken against revision {seen}, but the project is at revision \
             {revision}; read it again"
        )));
    }
    let facts = ProjectFacts::of(&project, None);
    let moved = transition(actor, step, &facts).map_err(refused)?;
    let change = Change {
        author: actor.name.clone(),
        reason: reason_of(step),
    };
    let (written, now_at) = if moved.withdrawn && !facts.withdrawn {
        (
            state.store.withdraw_project(id, &change).await?,
            revision + 1,
        )
    } else if moved.to != moved.from {
        let patch = json!([{"op": "replace", "path": "/statusDetails", "value": moved.to}]);
        let written = state
            .store
            .patch_project(id, &patch, Some(revision), &change)
            .await?;
        (written, revision + 1)
    } else {
        (project, revision)
    };
    tracing::info!(project.id = %id, step.from = %moved.from, step.to = %moved.to,
        "project {id} moved from {} to {}", moved.from, moved.to);
    Ok(Taken {
        moved,
        project: written,
        revision: now_at,
    })
}

/// A refusal of the policy as an answer: 409 when the project is not where the step is
/// taken, 403 when the actor may not take it.
pub(crate) fn refused(refusal: Refusal) -> ApiError {
    let message = format!("{} ({})", refusal.message.in_lang("en"), refusal.message.uk);
    match refusal.kind {
        RefusalKind::WrongStage | RefusalKind::Withdrawn => ApiError::Conflict(message),
        _ => ApiError::Forbidden(message),
    }
}

/// Applying to a call and the commission's verdicts belong to a call, which checks
/// eligibility, scores and ranks; they are taken there, never as bare steps.
fn through_a_call(step: &Step) -> Option<&'static str> {
    match step {
        Step::ApplyToCall { .. } => Some("applications"),
        Step::Approve { .. } | Step::Refuse { .. } => Some("decisions"),
        _ => None,
    }
}

/// The reason a revision records for a step: the person's words, with the score of an
/// appraisal, or the name of the step.
pub(crate) fn reason_of(step: &Step) -> String {
    let named = step.action().name().en.unwrap_or_default();
    match step {
        Step::Appraise { sheet } => {
            let (points, out_of) = sheet.total();
            format!(
                "appraised: {points} of {out_of} points; {}",
                sheet.conclusion().text().uk
            )
        }
        _ => match step.reason() {
            Some(reason) => format!("{named}: {}", reason.text().uk),
            None => named,
        },
    }
}
