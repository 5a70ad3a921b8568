//! The worker `dream serve` runs beside the web server: it claims due jobs from the store's
//! queue (`dream_store::jobs`), runs each by its kind (a register sync or the open-data
//! publishing), and records what it did or why it failed. Each kind on a schedule is queued
//! again for its next time when it finishes, with a dedup key so that several processes
//! sharing one database keep one waiting job of each kind between them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use dream_files::FileStore;
use dream_opendata::bulk;
use dream_opendata::oc4ids::Publisher;
use dream_store::Store;
use dream_store::jobs::{AfterFailure, ClaimedJob, NewJob};
use tokio::task::JoinSet;

use crate::registers::{Register, RegistersArgs};

/// How long a claimed job is leased to its worker before another may take it up.
const LEASE: Duration = Duration::from_secs(5 * 60);

/// How often a running job's lease is extended, well within the lease.
const RENEW_EVERY: Duration = Duration::from_secs(60);

/// How long the worker waits before asking again when no job is due.
const POLL_EVERY: Duration = Duration::from_secs(10);

/// How many jobs one worker runs at once, so that a long sync does not hold up the others.
const JOBS_AT_ONCE: usize = 3;

/// The dedup key of the jobs the schedule queues.
const SCHEDULED: &str = "schedule";

/// What a job does, named in the queue as `sync.prozorro`, `sync.edr`, `sync.rddp`,
/// `sync.treasury` and `publish.opendata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Sync(Register),
    Publish,
}

impl JobKind {
    pub const ALL: [JobKind; 5] = [
        JobKind::Sync(Register::Prozorro),
        JobKind::Sync(Register::Edr),
        JobKind::Sync(Register::Rddp),
        JobKind::Sync(Register::Treasury),
        JobKind::Publish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Sync(Register::Prozorro) => "sync.prozorro",
            JobKind::Sync(Register::Edr) => "sync.edr",
            JobKind::Sync(Register::Rddp) => "sync.rddp",
            JobKind::Sync(Register::Treasury) => "sync.treasury",
            JobKind::Publish => "publish.opendata",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        JobKind::ALL
            .into_iter()
            .find(|known| known.as_str() == kind)
    }
}

/// How often the scheduled jobs run.
#[derive(Debug, Clone, clap::Args)]
pub struct ScheduleArgs {
    /// How often every register is synced, in minutes; 0 never syncs on a schedule. The
    /// default is 360, or 0 with `serve --demo`, whose records are invented and unknown to
    /// the real registers.
    #[arg(long, env = "DREAM_SYNC_EVERY_MINUTES")]
    pub sync_every_minutes: Option<u64>,

    /// How often the bulk files are published again, in hours; 0 never publishes.
    #[arg(long, env = "DREAM_PUBLISH_EVERY_HOURS", default_value_t = 24)]
    pub publish_every_hours: u64,

    /// Whether `serve` runs with demo data, which changes the default of the syncs.
    #[arg(skip)]
    pub demo: bool,
}

/// Minutes between two syncs of a register when nothing else is configured.
const DEFAULT_SYNC_MINUTES: u64 = 360;

impl ScheduleArgs {
    /// The time between two runs of `kind`, or `None` when it is not scheduled.
    pub fn every(&self, kind: JobKind) -> Option<Duration> {
        let seconds = match kind {
            JobKind::Sync(_) => {
                let fallback = if self.demo { 0 } else { DEFAULT_SYNC_MINUTES };
                self.sync_every_minutes
                    .unwrap_or(fallback)
                    .saturating_mul(60)
            }
            JobKind::Publish => self.publish_every_hours.saturating_mul(3600),
        };
        (seconds > 0).then(|| Duration::from_secs(seconds))
    }
}

/// Where the open-data files go and who publishes them.
#[derive(Debug, Clone)]
pub struct Publishing {
    pub publisher: Publisher,
    pub files: FileStore,
}

/// One process's worker.
#[derive(Debug)]
pub struct Worker {
    store: Store,
    /// The name leases are held under: the host, the process and a random part, so that
    /// the job list says which process ran what.
    name: String,
    registers: RegistersArgs,
    publishing: Option<Publishing>,
    schedule: ScheduleArgs,
}

impl Worker {
    pub fn new(
        store: Store,
        registers: RegistersArgs,
        publishing: Option<Publishing>,
        schedule: ScheduleArgs,
    ) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "dream".into());
        let random = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{host}:{}:{}", std::process::id(), &random[..8]);
        Self {
            store,
            name,
            registers,
            publishing,
            schedule,
        }
    }

    /// Queues every scheduled kind for its next time, then runs due jobs until the process
    /// ends. A job cut off when the process ends is taken up again when its lease expires.
    pub async fn run(self: Arc<Self>) {
        self.schedule_all().await;
        let mut running = JoinSet::new();
        loop {
            while running.len() < JOBS_AT_ONCE {
                match self.claim().await {
                    Some(job) => {
                        running.spawn(self.clone().run_claimed(job));
                    }
                    None => break,
                }
            }
            self.fold_tallies().await;
            tokio::select! {
                () = tokio::time::sleep(POLL_EVERY) => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
            }
        }
    }

    /// Runs the jobs due now, one after the other, until none is left; returns how many ran.
    pub async fn run_due(self: &Arc<Self>) -> anyhow::Result<usize> {
        let mut ran = 0;
        while let Some(job) = self
            .store
            .claim_job(&self.name, LEASE, dream_store::now())
            .await?
        {
            self.clone().run_claimed(job).await;
            ran += 1;
        }
        Ok(ran)
    }

    /// Folds the projects' changes into the tallies the totals read, which keeps that read
    /// short however many writes came since (see `dream_store::totals`).
    async fn fold_tallies(&self) {
        match self.store.fold_tallies().await {
            Ok(0) => {}
            Ok(folded) => tracing::debug!(folded, "folded {folded} changes into the tallies"),
            Err(error) => tracing::error!(error = %error, "folding the tallies failed: {error}"),
        }
    }

    async fn claim(&self) -> Option<ClaimedJob> {
        match self
            .store
            .claim_job(&self.name, LEASE, dream_store::now())
            .await
        {
            Ok(job) => job,
            Err(error) => {
                tracing::error!(error = %error, "claiming the next job failed: {error}");
                None
            }
        }
    }

    /// Queues each scheduled kind for its next time, unless one is already waiting.
    pub async fn schedule_all(&self) {
        for kind in JobKind::ALL {
            if let Err(error) = self.schedule_next(kind, true).await {
                tracing::error!(
                    job.kind = kind.as_str(),
                    error = %error,
                    "scheduling {} failed: {error:#}",
                    kind.as_str()
                );
            }
        }
    }

    /// Queues `kind` for one interval after it last finished (now when it never ran, and,
    /// at the start, when no open-data files are published yet).
    async fn schedule_next(&self, kind: JobKind, at_start: bool) -> anyhow::Result<()> {
        let Some(every) = self.schedule.every(kind) else {
            return Ok(());
        };
        let now = dream_store::now();
        let last = self.store.last_finished_job(kind.as_str()).await?;
        let mut due = last.map_or(now, |finished| (finished.0 + every).max(now));
        if at_start && kind == JobKind::Publish && !self.published().await {
            due = now;
        }

        let job = NewJob::new(kind.as_str()).at(due).unique(SCHEDULED);
        if self.store.enqueue_job(&job).await?.is_some() {
            tracing::info!(
                job.kind = kind.as_str(),
                "{} scheduled for {}",
                kind.as_str(),
                dream_domain::timestamp::format(due)
            );
        }
        Ok(())
    }

    async fn published(&self) -> bool {
        match &self.publishing {
            Some(publishing) => matches!(bulk::read_manifest(&publishing.files).await, Ok(Some(_))),
            None => true,
        }
    }

    /// Runs one claimed job with its lease kept alive, then records how it ended and, when
    /// it is done for good, queues its kind's next run.
    async fn run_claimed(self: Arc<Self>, job: ClaimedJob) {
        let started = Instant::now();
        tracing::info!(
            job.id = %job.id,
            job.kind = %job.kind,
            job.attempt = job.attempt,
            "job {} ({}) started, attempt {} of {}",
            job.id,
            job.kind,
            job.attempt,
            job.max_attempts
        );
        let result = self.execute_with_lease(&job).await;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

        let done = match result {
            Ok(outcome) => self.record_success(&job, &outcome, elapsed_ms).await,
            Err(error) => self.record_failure(&job, &error, elapsed_ms).await,
        };
        if let (true, Some(kind)) = (done, JobKind::parse(&job.kind))
            && let Err(error) = self.schedule_next(kind, false).await
        {
            tracing::error!(
                job.kind = %job.kind,
                error = %error,
                "scheduling the next {} failed: {error:#}",
                job.kind
            );
        }
    }

    async fn execute_with_lease(&self, job: &ClaimedJob) -> anyhow::Result<String> {
        let work = self.execute(job);
        tokio::pin!(work);
        let mut renew =
            tokio::time::interval_at(tokio::time::Instant::now() + RENEW_EVERY, RENEW_EVERY);
        loop {
            tokio::select! {
                result = &mut work => return result,
                _ = renew.tick() => self.renew_lease(job).await,
            }
        }
    }

    async fn renew_lease(&self, job: &ClaimedJob) {
        let until = dream_store::now() + LEASE;
        match self.store.renew_job_lease(&job.id, &self.name, until).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                job.id = %job.id,
                "job {} is no longer leased to this worker; another may run it too",
                job.id
            ),
            Err(error) => tracing::warn!(
                job.id = %job.id,
                error = %error,
                "renewing the lease of job {} failed: {error}",
                job.id
            ),
        }
    }

    /// Does the work of one job and returns a short outcome for the job list.
    async fn execute(&self, job: &ClaimedJob) -> anyhow::Result<String> {
        let kind = JobKind::parse(&job.kind)
            .with_context(|| format!("no worker runs jobs of kind {:?}", job.kind))?;
        match kind {
            JobKind::Sync(register) => {
                let report = self.registers.sync(&self.store, register).await?;
                let summary = report.into_iter().next();
                Ok(summary.unwrap_or_else(|| format!("{}: nothing to sync", register.name())))
            }
            JobKind::Publish => {
                let publishing = self
                    .publishing
                    .as_ref()
                    .context("this worker has no file store to publish to")?;
                let manifest =
                    bulk::publish(&self.store, &publishing.publisher, &publishing.files).await?;
                Ok(format!("published {}", manifest.generation))
            }
        }
    }

    /// Returns whether the job is done for good.
    async fn record_success(&self, job: &ClaimedJob, outcome: &str, elapsed_ms: u64) -> bool {
        match self
            .store
            .finish_job(&job.id, &self.name, outcome, dream_store::now())
            .await
        {
            Ok(true) => {
                tracing::info!(
                    job.id = %job.id,
                    job.kind = %job.kind,
                    elapsed_ms,
                    "job {} ({}) succeeded in {elapsed_ms} ms: {outcome}",
                    job.id,
                    job.kind
                );
                true
            }
            Ok(false) => {
                self.warn_lease_lost(job, elapsed_ms);
                false
            }
            Err(error) => {
                tracing::error!(
                    job.id = %job.id,
                    error = %error,
                    "job {} ran but could not be marked done: {error}",
                    job.id
                );
                false
            }
        }
    }

    /// Returns whether the job is done for good (it gave up).
    async fn record_failure(
        &self,
        job: &ClaimedJob,
        error: &anyhow::Error,
        elapsed_ms: u64,
    ) -> bool {
        let message = format!("{error:#}");
        let after = self
            .store
            .fail_job(job, &self.name, &message, dream_store::now())
            .await;
        match after {
            Ok(AfterFailure::RetryAt(at)) => {
                let at = dream_domain::timestamp::format(at.0);
                tracing::warn!(
                    job.id = %job.id,
                    job.kind = %job.kind,
                    elapsed_ms,
                    "job {} ({}) failed after {elapsed_ms} ms, retried at {at}: {message}",
                    job.id,
                    job.kind
                );
                false
            }
            Ok(AfterFailure::GaveUp) => {
                tracing::error!(
                    job.id = %job.id,
                    job.kind = %job.kind,
                    elapsed_ms,
                    "job {} ({}) failed its last attempt after {elapsed_ms} ms: {message}",
                    job.id,
                    job.kind
                );
                true
            }
            Ok(AfterFailure::LeaseLost) => {
                self.warn_lease_lost(job, elapsed_ms);
                false
            }
            Err(store_error) => {
                tracing::error!(
                    job.id = %job.id,
                    error = %store_error,
                    "job {} failed ({message}) and the failure could not be recorded: \
                     {store_error}",
                    job.id
                );
                false
            }
        }
    }

    fn warn_lease_lost(&self, job: &ClaimedJob, elapsed_ms: u64) {
        tracing::warn!(
            job.id = %job.id,
            job.kind = %job.kind,
            elapsed_ms,
            "job {} ({}) ended after {elapsed_ms} ms, when its lease had passed to another worker",
            job.id,
            job.kind
        );
    }
}

#[cfg(test)]
mod tests;
