//! The job queue: background work (register syncs, the open-data publishing) as rows of
//! `jobs` that workers claim with a lease. Several processes may share one database: on
//! PostgreSQL a claim skips the rows another worker holds (`FOR UPDATE SKIP LOCKED`), and on
//! SQLite claims queue behind the one write lock, so each job runs once at a time. A worker
//! that dies leaves its lease to expire, and the job is claimed again; a job that fails is
//! retried later with a growing delay, and after its last attempt it stays failed with the
//! error kept for an administrator to read.

use std::time::Duration;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::timestamp::Timestamp;
use crate::{Backend, Result, Store, StoreError, in_write_tx, on_pool};

/// How many times a job runs before it is left failed, unless its enqueuer says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// The delay before the first retry; each later retry waits twice as long as the one before.
const FIRST_RETRY_DELAY: Duration = Duration::from_secs(60);

/// The longest delay between two attempts.
const LONGEST_RETRY_DELAY: Duration = Duration::from_secs(6 * 3600);

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Due at its `run_at`, possibly after failed attempts.
    Waiting,
    /// Leased to a worker until `locked_until`.
    Running,
    Succeeded,
    /// Every attempt failed; the last error is kept.
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Waiting => "waiting",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "waiting" => Ok(JobStatus::Waiting),
            "running" => Ok(JobStatus::Running),
            "succeeded" => Ok(JobStatus::Succeeded),
            "failed" => Ok(JobStatus::Failed),
            other => Err(StoreError::Corrupt(format!("unknown job status {other:?}"))),
        }
    }
}

/// A job to put in the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: OffsetDateTime,
    pub max_attempts: u32,
    /// When set, the job is not added while another unfinished job has the same kind and key.
    pub dedup_key: Option<String>,
}

impl NewJob {
    /// A job of `kind` due now, with an empty payload and the default attempts.
    pub fn new(kind: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            payload: serde_json::json!({}),
            run_at: crate::now(),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            dedup_key: None,
        }
    }

    /// The same job, due at `run_at`.
    pub fn at(self, run_at: OffsetDateTime) -> Self {
        Self { run_at, ..self }
    }

    /// The same job, added only when no unfinished job of its kind has this key.
    pub fn unique(self, key: impl Into<String>) -> Self {
        Self {
            dedup_key: Some(key.into()),
            ..self
        }
    }
}

/// A job a worker holds the lease of.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    /// Which attempt this is, from 1.
    pub attempt: u32,
    pub max_attempts: u32,
}

/// What became of a job whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// It runs again at this time.
    RetryAt(Timestamp),
    /// That was its last attempt; it stays failed.
    GaveUp,
    /// The worker's lease had ended and another worker claimed the job, so nothing changed.
    LeaseLost,
}

/// One job as the administrators' list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub status: JobStatus,
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: Timestamp,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub locked_by: Option<String>,
    pub outcome: Option<String>,
    pub last_error: Option<String>,
}

/// How long to wait before the attempt after attempt number `attempt` (from 1).
pub fn retry_delay(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    FIRST_RETRY_DELAY
        .saturating_mul(1 << doublings)
        .min(LONGEST_RETRY_DELAY)
}

/// The claim of the next due job. Both dialects select the job that fell due first among
/// those no live lease holds; PostgreSQL also skips rows another claim has locked, so that
/// concurrent workers take different jobs instead of waiting for each other.
const CLAIM_POSTGRES: &str = "UPDATE jobs SET status = 'running', locked_until = $1, \
     locked_by = $2, attempts = attempts + 1 \
     WHERE id = (SELECT id FROM jobs WHERE finished_at IS NULL AND run_at <= $3 \
     AND (locked_until IS NULL OR locked_until <= $3) AND attempts < max_attempts \
     ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
     RETURNING id, kind, payload, attempts, max_attempts";

/// SQLite has no row locks: the claim runs inside the `BEGIN IMMEDIATE` write transaction,
/// which no other writer enters until it commits.
const CLAIM_SQLITE: &str = "UPDATE jobs SET status = 'running', locked_until = $1, \
     locked_by = $2, attempts = attempts + 1 \
     WHERE id = (SELECT id FROM jobs WHERE finished_at IS NULL AND run_at <= $3 \
     AND (locked_until IS NULL OR locked_until <= $3) AND attempts < max_attempts \
     ORDER BY run_at, id LIMIT 1) \
     RETURNING id, kind, payload, attempts, max_attempts";

/// A job whose worker stopped during its last attempt would otherwise stay `running`
/// forever, since no attempt is left to claim it with.
const GIVE_UP_ABANDONED: &str = "UPDATE jobs SET status = 'failed', finished_at = $1, \
     locked_until = NULL, last_error = COALESCE(last_error || '; ', '') || \
     'the worker stopped during the last attempt' \
     WHERE finished_at IS NULL AND locked_until <= $1 AND attempts >= max_attempts";

const JOB_COLUMNS: &str = "id, kind, status, attempts, max_attempts, run_at, created_at, \
     finished_at, locked_by, outcome, last_error";

type JobRow = (
    String,
    String,
    String,
    i64,
    i64,
    Timestamp,
    Timestamp,
    Option<Timestamp>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn job(row: JobRow) -> Result<Job> {
    let (id, kind, status, attempts, max_attempts, run_at, created_at, finished_at, locked_by) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    );
    let (outcome, last_error) = (row.9, row.10);
    Ok(Job {
        id,
        kind,
        status: JobStatus::parse(&status)?,
        attempts: count(attempts),
        max_attempts: count(max_attempts),
        run_at,
        created_at,
        finished_at,
        locked_by,
        outcome,
        last_error,
    })
}

fn count(stored: i64) -> u32 {
    u32::try_from(stored).unwrap_or(0)
}

fn later(moment: OffsetDateTime, delay: Duration) -> Timestamp {
    Timestamp(moment + delay)
}

impl Store {
    /// Puts a job in the queue and returns its id, or `None` when it has a dedup key and an
    /// unfinished job of its kind already has that key.
    pub async fn enqueue_job(&self, new: &NewJob) -> Result<Option<String>> {
        let id = Uuid::now_v7().to_string();
        let payload = new.payload.to_string();
        let inserted = on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO jobs (id, kind, dedup_key, payload, status, run_at, attempts, \
                 max_attempts, created_at) VALUES ($1, $2, $3, $4, 'waiting', $5, 0, $6, $7) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&id).bind(&new.kind).bind(&new.dedup_key).bind(payload)
            .bind(Timestamp(new.run_at)).bind(i64::from(new.max_attempts))
            .bind(Timestamp(crate::now()))
            .execute(pool)
            .await?
            .rows_affected());
        Ok((inserted > 0).then_some(id))
    }

    /// Claims the job that fell due first at `now`, leasing it to `worker` for `lease`.
    /// A job whose lease ended without it finishing is due again.
    pub async fn claim_job(
        &self,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<Option<ClaimedJob>> {
        type Row = (String, String, String, i64, i64);
        let row: Option<Row> = in_write_tx!(self, tx, backend => async {
            sqlx::query(GIVE_UP_ABANDONED).bind(Timestamp(now)).execute(&mut *tx).await?;
            let claim = match backend {
                Backend::Postgres => CLAIM_POSTGRES,
                Backend::Sqlite => CLAIM_SQLITE,
            };
            let row = sqlx::query_as(claim)
                .bind(later(now, lease)).bind(worker).bind(Timestamp(now))
                .fetch_optional(&mut *tx)
                .await?;
            Ok::<_, StoreError>(row)
        }.await)?;

        let Some((id, kind, payload, attempts, max_attempts)) = row else {
            return Ok(None);
        };
        let payload = serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("payload of job {id}: {e}")))?;
        Ok(Some(ClaimedJob {
            id,
            kind,
            payload,
            attempt: count(attempts),
            max_attempts: count(max_attempts),
        }))
    }

    /// Extends `worker`'s lease of a running job to `until`, so that a long job is not
    /// claimed again while it still runs. False when the worker no longer holds it.
    pub async fn renew_job_lease(
        &self,
        id: &str,
        worker: &str,
        until: OffsetDateTime,
    ) -> Result<bool> {
        let updated = on_pool!(self.db(), pool =>
            sqlx::query(
                "UPDATE jobs SET locked_until = $1 \
                 WHERE id = $2 AND locked_by = $3 AND finished_at IS NULL",
            )
            .bind(Timestamp(until)).bind(id).bind(worker)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Marks a job `worker` holds as succeeded, with a short `outcome` for the list. False
    /// when another worker claimed it after this worker's lease ended.
    pub async fn finish_job(
        &self,
        id: &str,
        worker: &str,
        outcome: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let updated = on_pool!(self.db(), pool =>
            sqlx::query(
                "UPDATE jobs SET status = 'succeeded', outcome = $1, finished_at = $2, \
                 locked_until = NULL WHERE id = $3 AND locked_by = $4 AND finished_at IS NULL",
            )
            .bind(outcome).bind(Timestamp(now)).bind(id).bind(worker)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Records that an attempt of `job` failed with `error`: the job waits for its next
    /// attempt, later with each failure, or stays failed when that was its last.
    pub async fn fail_job(
        &self,
        job: &ClaimedJob,
        worker: &str,
        error: &str,
        now: OffsetDateTime,
    ) -> Result<AfterFailure> {
        let gives_up = job.attempt >= job.max_attempts;
        let (status, finished_at, run_at) = if gives_up {
            ("failed", Some(Timestamp(now)), Timestamp(now))
        } else {
            ("waiting", None, later(now, retry_delay(job.attempt)))
        };
        let updated = on_pool!(self.db(), pool =>
            sqlx::query(
                "UPDATE jobs SET status = $1, finished_at = $2, run_at = $3, last_error = $4, \
                 locked_until = NULL, locked_by = NULL \
                 WHERE id = $5 AND locked_by = $6 AND finished_at IS NULL",
            )
            .bind(status).bind(finished_at).bind(run_at).bind(error).bind(&job.id).bind(worker)
            .execute(pool)
            .await?
            .rows_affected());

        Ok(match (updated, gives_up) {
            (0, _) => AfterFailure::LeaseLost,
            (_, true) => AfterFailure::GaveUp,
            (_, false) => AfterFailure::RetryAt(run_at),
        })
    }

    /// The latest jobs, newest first, for administrators.
    pub async fn recent_jobs(&self, limit: u32) -> Result<Vec<Job>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs ORDER BY created_at DESC LIMIT $1");
        let rows: Vec<JobRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?);
        rows.into_iter().map(job).collect()
    }

    /// One job, by id.
    pub async fn job(&self, id: &str) -> Result<Job> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        let row: Option<JobRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?);
        let row = row.ok_or_else(|| StoreError::NotFound {
            entity: "job",
            id: id.to_owned(),
        })?;
        job(row)
    }

    /// When the last job of `kind` finished, succeeded or failed; a schedule counts its
    /// next run from there.
    pub async fn last_finished_job(&self, kind: &str) -> Result<Option<Timestamp>> {
        let finished: Option<Timestamp> = on_pool!(self.db(), pool =>
            sqlx::query_scalar(
                "SELECT finished_at FROM jobs WHERE kind = $1 AND finished_at IS NOT NULL \
                 ORDER BY finished_at DESC LIMIT 1",
            )
            .bind(kind)
            .fetch_optional(pool)
            .await?);
        Ok(finished)
    }
}
