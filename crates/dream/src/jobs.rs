//! `dream jobs`: the administrators' view of the job queue (the latest jobs with their
//! status, attempts, outcome and last error) and `dream jobs enqueue KIND` to queue a job
//! for the worker of a running `dream serve` to take up, and `dream jobs run` to run the
//! due jobs at once.

use std::sync::Arc;

use dream_store::Store;
use dream_store::jobs::{Job, NewJob};

use crate::registers::RegistersArgs;
use crate::worker::{JobKind, Publishing, ScheduleArgs, Worker};

#[derive(Debug, clap::Args)]
pub struct JobsArgs {
    #[command(subcommand)]
    action: Option<JobsAction>,
}

#[derive(Debug, clap::Subcommand)]
enum JobsAction {
    /// List the latest jobs, newest first (the default).
    List {
        /// How many jobs to list.
        #[arg(long, default_value_t = 30)]
        limit: u32,
    },
    /// Queue a job due now: sync.prozorro, sync.edr, sync.rddp, sync.treasury or
    /// publish.opendata.
    Enqueue {
        #[arg(value_parser = parse_kind)]
        kind: JobKind,
    },
    /// Run the jobs due now, one after the other, and exit, as the worker of
    /// `dream serve` would.
    Run(Box<RunArgs>),
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    #[command(flatten)]
    registers: RegistersArgs,

    #[command(flatten)]
    files: crate::FilesArgs,

    #[command(flatten)]
    publisher: crate::export::PublisherArgs,

    #[command(flatten)]
    schedule: ScheduleArgs,
}

fn parse_kind(text: &str) -> Result<JobKind, String> {
    JobKind::parse(text).ok_or_else(|| {
        let known: Vec<&str> = JobKind::ALL.iter().map(|kind| kind.as_str()).collect();
        format!(
            "unknown job kind {text:?}; the kinds are {}",
            known.join(", ")
        )
    })
}

pub async fn run(store: &Store, args: &JobsArgs) -> anyhow::Result<()> {
    match &args.action {
        None => list(store, 30).await,
        Some(JobsAction::List { limit }) => list(store, *limit).await,
        Some(JobsAction::Enqueue { kind }) => {
            let id = store.enqueue_job(&NewJob::new(kind.as_str())).await?;
            match id {
                Some(id) => println!("queued job {id} ({})", kind.as_str()),
                None => println!("a {} job is already waiting", kind.as_str()),
            }
            Ok(())
        }
        Some(JobsAction::Run(args)) => run_due(store, args).await,
    }
}

async fn run_due(store: &Store, args: &RunArgs) -> anyhow::Result<()> {
    let publishing = Publishing {
        publisher: args.publisher.publisher()?,
        files: args.files.open()?,
    };
    let worker = Worker::new(
        store.clone(),
        args.registers.clone(),
        Some(publishing),
        args.schedule.clone(),
    );
    let ran = Arc::new(worker).run_due().await?;
    println!("{ran} jobs ran; `dream jobs` lists how they ended");
    Ok(())
}

async fn list(store: &Store, limit: u32) -> anyhow::Result<()> {
    let jobs = store.recent_jobs(limit).await?;
    if jobs.is_empty() {
        println!("no jobs yet: `dream serve` queues the scheduled ones");
    }
    for job in &jobs {
        println!("{}", describe(job));
    }
    Ok(())
}

/// A job on one line, with its outcome or last error on the next.
fn describe(job: &Job) -> String {
    let moment = job.finished_at.unwrap_or(job.run_at);
    let when = match job.finished_at {
        Some(_) => "finished",
        None => "due",
    };
    let mut text = format!(
        "{}  {:<16} {:<9}  attempts {}/{}  {when} {}",
        job.id,
        job.kind,
        job.status.as_str(),
        job.attempts,
        job.max_attempts,
        dream_domain::timestamp::format(moment.0)
    );
    if let Some(outcome) = &job.outcome {
        text.push_str(&format!("\n  {outcome}"));
    }
    if let Some(error) = &job.last_error {
        text.push_str(&format!("\n  last error: {error}"));
    }
    text
}
