//! The worker against a real database and local fake registers: a sync run as a job writes
//! what `dream sync` writes, the publishing job publishes the open-data files, each kind is
//! queued again for its next time, and a job the worker cannot run fails with its reason.

use std::sync::Arc;

use dream_domain::ProjectId;
use dream_files::{FileStore, S3Settings};
use dream_registers::treasury::fake::FakeTreasury;
use dream_store::Store;
use dream_store::jobs::{JobStatus, NewJob};
use dream_store::revisions::Change;
use dream_store::testing::{fresh_store, sample_project};

use super::{JobKind, Publishing, ScheduleArgs, Worker};
use crate::registers::{EdrArgs, ProzorroArgs, RddpArgs, Register, RegistersArgs, TreasuryArgs};

const PAYER: &str = "04057287";
const CONTRACT: &str = "45/2024";

/// Nothing listens on port 9 of 127.0.0.1, so a register set there fails at once.
const NOWHERE: &str = "http://127.0.0.1:9/api";

fn payments() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../registers/tests/data/treasury/transactions-04057287-45-2024.json"
    );
    std::fs::read_to_string(path).unwrap()
}

fn registers(treasury_url: String) -> RegistersArgs {
    RegistersArgs {
        prozorro: ProzorroArgs {
            prozorro_url: NOWHERE.into(),
            prozorro_rate: 100.0,
        },
        edr: EdrArgs {
            edr_url: NOWHERE.into(),
            edr_rate: 100.0,
            edr_token: None,
        },
        rddp: RddpArgs {
            rddp_url: NOWHERE.into(),
            rddp_rate: 100.0,
            rddp_authorization: None,
        },
        treasury: TreasuryArgs {
            treasury_url,
            treasury_rate: 100.0,
        },
    }
}

fn every_hour() -> ScheduleArgs {
    ScheduleArgs {
        sync_every_minutes: Some(60),
        publish_every_hours: 1,
        demo: false,
    }
}

async fn project_linked_to_payments(store: &Store) -> ProjectId {
    let change = Change {
        author: "Олена".into(),
        reason: "entry".into(),
    };
    let content = dream_domain::validation::from_json(sample_project()).unwrap();
    let project = store.create_project(content, &change).await.unwrap();
    dream_registers::treasury::link(store, &project.id, PAYER, CONTRACT, "Олена")
        .await
        .unwrap();
    project.id
}

#[tokio::test]
async fn a_treasury_sync_job_writes_what_dream_sync_writes_so_a_second_sync_finds_nothing_new() {
    let db = fresh_store("worker_treasury_sync").await;
    let fake = FakeTreasury::start().await.unwrap();
    fake.put_contract(PAYER, CONTRACT, payments());
    let project = project_linked_to_payments(&db.store).await;
    let args = registers(fake.base_url());
    let worker = Arc::new(Worker::new(
        db.store.clone(),
        args.clone(),
        None,
        every_hour(),
    ));

    let kind = JobKind::Sync(Register::Treasury).as_str();
    let id = db
        .store
        .enqueue_job(&NewJob::new(kind))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(worker.run_due().await.unwrap(), 1);

    let job = db.store.job(&id).await.unwrap();
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.last_error);
    let outcome = job.outcome.unwrap();
    assert_eq!(outcome, "Treasury: 1 new, 0 changed, 0 unchanged, 0 failed");
    let paid = db.store.project_paid_minor(&project).await.unwrap();
    assert_eq!(paid, 124_831_547);
    let runs = db.store.sync_runs("treasury", 10).await.unwrap();
    assert_eq!(runs.len(), 1, "the job's run is in the sync log");

    let report = args.sync(&db.store, Register::Treasury).await.unwrap();
    assert_eq!(
        report[0],
        "Treasury: 0 new, 0 changed, 1 unchanged, 0 failed"
    );
    let (_, revision) = db.store.project(&project).await.unwrap();
    assert_eq!(
        revision, 2,
        "`dream sync` after the job writes nothing more"
    );
}

#[tokio::test]
async fn a_finished_sync_job_is_queued_again_for_one_interval_later() {
    let db = fresh_store("worker_reschedule").await;
    let fake = FakeTreasury::start().await.unwrap();
    let worker = Worker::new(
        db.store.clone(),
        registers(fake.base_url()),
        None,
        every_hour(),
    );
    let worker = Arc::new(worker);

    worker.schedule_all().await;
    worker.schedule_all().await;
    let queued = db.store.recent_jobs(20).await.unwrap();
    assert_eq!(
        queued.len(),
        5,
        "one job of each kind, however often it is scheduled"
    );
    let kind = JobKind::Sync(Register::Treasury).as_str();
    let treasury = queued
        .iter()
        .find(|job| job.kind == kind)
        .unwrap()
        .id
        .clone();
    worker.run_due().await.unwrap();

    let jobs = db.store.recent_jobs(20).await.unwrap();
    let finished = db.store.job(&treasury).await.unwrap().finished_at.unwrap();
    let next: Vec<_> = jobs
        .iter()
        .filter(|job| job.kind == kind && job.status == JobStatus::Waiting)
        .collect();
    assert_eq!(next.len(), 1);
    let wait = next[0].run_at.0 - finished.0;
    assert!(wait >= time::Duration::minutes(60), "{wait}");
}

#[tokio::test]
async fn a_publishing_job_writes_the_open_data_files() {
    let db = fresh_store("worker_publish").await;
    let dir = tempfile::tempdir().unwrap();
    let files = FileStore::open(dir.path().to_str().unwrap(), &S3Settings::default()).unwrap();
    let publishing = Publishing {
        publisher: dream_opendata::oc4ids::Publisher {
            name: "DREAM (test)".into(),
            uri: "http://127.0.0.1:8080".into(),
            prefix: "dreamx".into(),
            license: "https://creativecommons.org/licenses/by/4.0/".into(),
            publication_policy: None,
        },
        files: files.clone(),
    };
    let args = registers(NOWHERE.into());
    let worker = Arc::new(Worker::new(
        db.store.clone(),
        args,
        Some(publishing),
        every_hour(),
    ));

    let kind = JobKind::Publish.as_str();
    let id = db
        .store
        .enqueue_job(&NewJob::new(kind))
        .await
        .unwrap()
        .unwrap();
    worker.run_due().await.unwrap();

    let job = db.store.job(&id).await.unwrap();
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.last_error);
    let manifest = dream_opendata::bulk::read_manifest(&files).await.unwrap();
    assert!(job.outcome.unwrap().contains(&manifest.unwrap().generation));
}

#[tokio::test]
async fn a_job_of_a_kind_no_worker_knows_fails_and_says_why() {
    let db = fresh_store("worker_unknown_kind").await;
    let worker = Worker::new(
        db.store.clone(),
        registers(NOWHERE.into()),
        None,
        every_hour(),
    );
    let id = db
        .store
        .enqueue_job(&NewJob::new("sync.moon"))
        .await
        .unwrap()
        .unwrap();

    Arc::new(worker).run_due().await.unwrap();

    let job = db.store.job(&id).await.unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Waiting, 1));
    let error = job.last_error.unwrap();
    assert!(
        error.contains("no worker runs jobs of kind \"sync.moon\""),
        "{error}"
    );
}
