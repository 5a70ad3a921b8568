//! Calls for proposals as the store keeps them: each call whole as its ministry published it,
//! and the applications to it, each with the score it was given when it was submitted and,
//! once the commission has spoken, its verdict and reason.
//!
//! Applying and deciding change the project too (its stage moves to `applied`, `approved` or
//! `refused`), so the application row and the verdict are written in the transaction that
//! writes the project's revision: a project is never applied without its application, nor
//! decided without the verdict on record.

use std::collections::HashMap;

use dream_domain::ProjectId;
use dream_domain::calls::{Application, Call, CallId, Score, Verdict};
use dream_domain::project::Project;
use dream_domain::workflow::Reason;
use serde_json::Value;

use crate::bulk::{Bind, bind_all, insert_rows};
use crate::projects::Alongside;
use crate::revisions::Change;
use crate::timestamp::Timestamp;
use crate::{Result, Store, StoreError, in_write_tx, now, on_pool};

/// A published call and who published it when.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCall {
    pub call: Call,
    pub created_at: Timestamp,
    pub created_by: String,
}

/// One application to a call, with the commission's decision once there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredApplication {
    pub application: Application,
    pub decision: Option<StoredDecision>,
}

/// A commission's verdict on one application.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDecision {
    pub verdict: Verdict,
    pub reason: Option<Reason>,
    pub decided_at: Timestamp,
    pub decided_by: String,
}

fn corrupt(what: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {error}"))
}

fn verdict_code(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Approve => "approve",
        Verdict::Refuse => "refuse",
    }
}

fn parse_verdict(code: &str) -> Result<Verdict> {
    match code {
        "approve" => Ok(Verdict::Approve),
        "refuse" => Ok(Verdict::Refuse),
        other => Err(corrupt("a stored verdict", other)),
    }
}

type CallRow = (String, Timestamp, String);
type ApplicationRow = (
    String,
    Timestamp,
    String,
    Option<String>,
    Option<String>,
    Option<Timestamp>,
    Option<String>,
);

impl Store {
    /// Publishes a call; its id must be new.
    pub async fn create_call(&self, call: &Call, author: &str) -> Result<()> {
        let document = serde_json::to_string(call).map_err(|e| corrupt("a call", e))?;
        let inserted = on_pool!(self.db(), pool => {
            sqlx::query(
                "INSERT INTO calls (id, ministry, opens_at, closes_at, document, created_at, \
                 created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&call.id.0).bind(call.ministry.as_str()).bind(Timestamp(call.opens))
            .bind(Timestamp(call.closes)).bind(&document).bind(Timestamp(now())).bind(author)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if inserted == 0 {
            return Err(StoreError::Conflict(format!(
                "a call with the id {} already exists",
                call.id.0
            )));
        }
        tracing::info!(call.id = %call.id.0, "published call {}", call.id.0);
        Ok(())
    }

    /// One call by its id.
    pub async fn call(&self, id: &str) -> Result<StoredCall> {
        let row: Option<CallRow> = on_pool!(self.db(), pool => {
            sqlx::query_as("SELECT document, created_at, created_by FROM calls WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        let row = row.ok_or_else(|| StoreError::NotFound {
            entity: "call",
            id: id.to_owned(),
        })?;
        stored_call(row)
    }

    /// Every call, the latest to open first.
    pub async fn calls(&self) -> Result<Vec<StoredCall>> {
        let rows: Vec<CallRow> = on_pool!(self.db(), pool => {
            sqlx::query_as(
                "SELECT document, created_at, created_by FROM calls ORDER BY opens_at DESC, id",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(stored_call).collect()
    }

    /// The applications to a call, in the order they were submitted.
    pub async fn applications(&self, call: &CallId) -> Result<Vec<StoredApplication>> {
        let rows: Vec<ApplicationRow> = on_pool!(self.db(), pool => {
            sqlx::query_as(
                "SELECT project_id, submitted_at, score, verdict, reason, decided_at, \
                 decided_by FROM call_applications WHERE call_id = $1 \
                 ORDER BY submitted_at, project_id",
            )
            .bind(&call.0)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(stored_application).collect()
    }

    /// How many applications each call has, by call id; a call without any is absent.
    pub async fn application_counts(&self) -> Result<HashMap<String, usize>> {
        let rows: Vec<(String, i64)> = on_pool!(self.db(), pool => {
            sqlx::query_as(
                "SELECT call_id, COUNT(*) FROM call_applications GROUP BY call_id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(call, count)| (call, usize::try_from(count).unwrap_or(0)))
            .collect())
    }

    /// The call a project applied to last, if it ever applied.
    pub async fn latest_call_of(&self, project: &ProjectId) -> Result<Option<StoredCall>> {
        let call_id: Option<String> = on_pool!(self.db(), pool => {
            sqlx::query_scalar(
                "SELECT call_id FROM call_applications WHERE project_id = $1 \
                 ORDER BY submitted_at DESC LIMIT 1",
            )
            .bind(project.to_string())
            .fetch_optional(pool)
            .await?
        });
        match call_id {
            Some(id) => Ok(Some(self.call(&id).await?)),
            None => Ok(None),
        }
    }

    /// Writes applications that arrive together with their projects, as demo data does,
    /// decisions included, many rows per statement. No project revision is written: the
    /// projects were written already standing where these applications put them.
    pub async fn insert_applications(&self, rows: &[(CallId, StoredApplication)]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let values = rows
            .iter()
            .map(|(call, stored)| application_row(call, stored))
            .collect::<Result<Vec<_>>>()?;
        in_write_tx!(self, tx, backend => async {
            insert_rows!(tx, backend, "call_applications", APPLICATION_COLUMNS, &values, None);
            Ok::<_, StoreError>(())
        }.await)
    }

    /// Moves a project to `applied` with `patch` and records its application to `call`, in
    /// one transaction. A project applies to a call once.
    pub async fn apply_to_call(
        &self,
        call: &CallId,
        application: &Application,
        patch: &Value,
        expected_revision: u32,
        change: &Change,
    ) -> Result<Project> {
        let score = serde_json::to_string(&application.score).map_err(|e| corrupt("a score", e))?;
        let record = Alongside {
            sql: "INSERT INTO call_applications (call_id, project_id, submitted_at, score) \
                  VALUES ($1, $2, $3, $4)",
            binds: vec![
                Bind::Text(call.0.clone()),
                Bind::Text(application.project.to_string()),
                Bind::Time(Timestamp(application.submitted)),
                Bind::Text(score),
            ],
        };
        let written = self
            .patch_project_alongside(
                &application.project,
                patch,
                Some(expected_revision),
                change,
                &[record],
            )
            .await;
        written.map_err(|error| match error {
            StoreError::Database(e) if is_unique_violation(&e) => StoreError::Conflict(format!(
                "project {} has already applied to the call {}",
                application.project, call.0
            )),
            other => other,
        })
    }

    /// Moves a project to `approved` or `refused` with `patch` and records the commission's
    /// verdict on its application to `call`, in one transaction. An application is decided
    /// once: a second decision finds it decided and writes nothing.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_application(
        &self,
        call: &CallId,
        project: &ProjectId,
        verdict: Verdict,
        reason: Option<&Reason>,
        patch: &Value,
        expected_revision: u32,
        change: &Change,
    ) -> Result<Project> {
        let reason = reason
            .map(|r| serde_json::to_string(r).map_err(|e| corrupt("a reason", e)))
            .transpose()?;
        let record = Alongside {
            // Guarded by `verdict IS NULL`: the change to the project is made against one
            // revision, so a racing second decision fails there before it gets here.
            sql: "UPDATE call_applications SET verdict = $1, reason = $2, decided_at = $3, \
                  decided_by = $4 WHERE call_id = $5 AND project_id = $6 AND verdict IS NULL",
            binds: vec![
                Bind::Text(verdict_code(verdict).to_owned()),
                Bind::OptionalText(reason),
                Bind::Time(Timestamp(now())),
                Bind::Text(change.author.clone()),
                Bind::Text(call.0.clone()),
                Bind::Text(project.to_string()),
            ],
        };
        self.patch_project_alongside(project, patch, Some(expected_revision), change, &[record])
            .await
    }
}

/// The columns of an application row, in the order [`application_row`] gives them.
const APPLICATION_COLUMNS: &[&str] = &[
    "call_id",
    "project_id",
    "submitted_at",
    "score",
    "verdict",
    "reason",
    "decided_at",
    "decided_by",
];

fn application_row(call: &CallId, stored: &StoredApplication) -> Result<Vec<Bind>> {
    let application = &stored.application;
    let score = serde_json::to_string(&application.score).map_err(|e| corrupt("a score", e))?;
    let decision = stored.decision.as_ref();
    let reason = decision
        .and_then(|d| d.reason.as_ref())
        .map(|r| serde_json::to_string(r).map_err(|e| corrupt("a reason", e)))
        .transpose()?;
    Ok(vec![
        Bind::Text(call.0.clone()),
        Bind::Text(application.project.to_string()),
        Bind::Time(Timestamp(application.submitted)),
        Bind::Text(score),
        Bind::OptionalText(decision.map(|d| verdict_code(d.verdict).to_owned())),
        Bind::OptionalText(reason),
        Bind::OptionalTime(decision.map(|d| d.decided_at)),
        Bind::OptionalText(decision.map(|d| d.decided_by.clone())),
    ])
}

fn stored_call((document, created_at, created_by): CallRow) -> Result<StoredCall> {
    let call: Call = serde_json::from_str(&document).map_err(|e| corrupt("a stored call", e))?;
    Ok(StoredCall {
        call,
        created_at,
        created_by,
    })
}

fn stored_application(row: ApplicationRow) -> Result<StoredApplication> {
    let (project, submitted, score, verdict, reason, decided_at, decided_by) = row;
    let project = ProjectId::parse(&project).map_err(|e| corrupt("an application's project", e))?;
    let score: Score = serde_json::from_str(&score).map_err(|e| corrupt("a stored score", e))?;
    let decision = match (verdict, decided_at) {
        (Some(verdict), Some(decided_at)) => Some(StoredDecision {
            verdict: parse_verdict(&verdict)?,
            reason: reason
                .map(|r| serde_json::from_str(&r).map_err(|e| corrupt("a stored reason", e)))
                .transpose()?,
            decided_at,
            decided_by: decided_by.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(StoredApplication {
        application: Application {
            project,
            submitted: submitted.0,
            score,
        },
        decision,
    })
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
