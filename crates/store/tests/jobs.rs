//! The job queue against a real database (`DREAM_TEST_BACKEND=postgres` for PostgreSQL,
//! SQLite otherwise): concurrent workers never share a job, a failed job comes back later
//! and gives up after its last attempt with the error kept, an expired lease frees its job,
//! and a deduplicated enqueue keeps one waiting job.

use std::collections::HashSet;
use std::time::Duration;

use dream_store::jobs::{AfterFailure, JobStatus, NewJob, retry_delay};
use dream_store::now;
use dream_store::testing::fresh_store;
use time::OffsetDateTime;

const LEASE: Duration = Duration::from_secs(300);

fn after(delay: Duration) -> OffsetDateTime {
    now() + delay
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn workers_claiming_at_once_never_get_the_same_job() {
    let db = fresh_store("jobs_concurrent_claims").await;
    for _ in 0..40 {
        db.store
            .enqueue_job(&NewJob::new("sync.test"))
            .await
            .unwrap();
    }

    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..12 {
        let store = db.store.clone();
        workers.spawn(async move {
            let name = format!("worker-{worker}");
            let mut claimed = Vec::new();
            while let Some(job) = store.claim_job(&name, LEASE, now()).await.unwrap() {
                claimed.push(job.id);
            }
            claimed
        });
    }
    let mut all = Vec::new();
    while let Some(claimed) = workers.join_next().await {
        all.extend(claimed.unwrap());
    }

    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 40, "every job is claimed");
    assert_eq!(distinct.len(), 40, "no job is claimed twice");
}

#[tokio::test]
async fn a_job_is_claimed_only_when_it_is_due() {
    let db = fresh_store("jobs_due").await;
    let later = NewJob::new("publish.opendata").at(after(Duration::from_secs(3600)));
    db.store.enqueue_job(&later).await.unwrap();

    assert_eq!(db.store.claim_job("w", LEASE, now()).await.unwrap(), None);
    let in_two_hours = after(Duration::from_secs(7200));
    let job = db.store.claim_job("w", LEASE, in_two_hours).await.unwrap();
    assert_eq!(job.unwrap().kind, "publish.opendata");
}

#[tokio::test]
async fn a_finished_job_says_what_it_did_and_is_not_claimed_again() {
    let db = fresh_store("jobs_finish").await;
    let id = db
        .store
        .enqueue_job(&NewJob::new("sync.edr"))
        .await
        .unwrap()
        .unwrap();

    let job = db
        .store
        .claim_job("w", LEASE, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((job.id.as_str(), job.attempt), (id.as_str(), 1));
    let outcome = "EDR: 1 new, 0 changed, 3 unchanged, 0 failed";
    assert!(db.store.finish_job(&id, "w", outcome, now()).await.unwrap());

    let far = after(Duration::from_secs(86_400));
    assert_eq!(db.store.claim_job("w", LEASE, far).await.unwrap(), None);
    let listed = db.store.job(&id).await.unwrap();
    assert_eq!(listed.status, JobStatus::Succeeded);
    assert_eq!(listed.outcome.as_deref(), Some(outcome));
    assert!(listed.finished_at.is_some());
}

#[tokio::test]
async fn a_failed_job_is_retried_later_and_gives_up_after_its_last_attempt_keeping_the_error() {
    let db = fresh_store("jobs_retry").await;
    let new = NewJob {
        max_attempts: 3,
        ..NewJob::new("sync.treasury")
    };
    let id = db.store.enqueue_job(&new).await.unwrap().unwrap();

    let mut moment = now();
    let mut delays = Vec::new();
    for attempt in 1..=3 {
        let job = db.store.claim_job("w", LEASE, moment).await.unwrap();
        let job = job.unwrap_or_else(|| panic!("attempt {attempt} is claimed"));
        assert_eq!(job.attempt, attempt);
        let error = format!("https://api.spending.gov.ua answered 503 (attempt {attempt})");
        match db.store.fail_job(&job, "w", &error, moment).await.unwrap() {
            AfterFailure::RetryAt(at) => {
                assert_eq!(db.store.claim_job("w", LEASE, moment).await.unwrap(), None);
                delays.push(at.0 - moment);
                moment = at.0;
            }
            AfterFailure::GaveUp => assert_eq!(attempt, 3, "gives up after the last attempt"),
            AfterFailure::LeaseLost => panic!("the worker held the lease"),
        }
    }

    assert_eq!(delays, [retry_delay(1), retry_delay(2)]);
    assert!(delays[1] > delays[0], "each retry waits longer");
    let far = after(Duration::from_secs(30 * 86_400));
    assert_eq!(db.store.claim_job("w", LEASE, far).await.unwrap(), None);
    let failed = db.store.job(&id).await.unwrap();
    assert_eq!((failed.status, failed.attempts), (JobStatus::Failed, 3));
    assert_eq!(
        failed.last_error.as_deref(),
        Some("https://api.spending.gov.ua answered 503 (attempt 3)")
    );
}

#[tokio::test]
async fn a_job_whose_lease_expired_is_claimed_again_and_the_first_worker_cannot_finish_it() {
    let db = fresh_store("jobs_lease").await;
    db.store
        .enqueue_job(&NewJob::new("sync.rddp"))
        .await
        .unwrap();

    let first = db
        .store
        .claim_job("crashed", LEASE, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store.claim_job("other", LEASE, now()).await.unwrap(),
        None
    );

    let after_lease = after(LEASE + Duration::from_secs(1));
    let second = db
        .store
        .claim_job("other", LEASE, after_lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((second.id.as_str(), second.attempt), (first.id.as_str(), 2));
    let late = db
        .store
        .finish_job(&first.id, "crashed", "done", after_lease)
        .await
        .unwrap();
    assert!(
        !late,
        "the worker whose lease ended no longer holds the job"
    );
    assert!(
        db.store
            .finish_job(&second.id, "other", "done", after_lease)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_renewed_lease_keeps_a_long_job_from_being_claimed_again() {
    let db = fresh_store("jobs_renew").await;
    db.store
        .enqueue_job(&NewJob::new("sync.edr"))
        .await
        .unwrap();
    let job = db
        .store
        .claim_job("w", LEASE, now())
        .await
        .unwrap()
        .unwrap();

    let renewed = db
        .store
        .renew_job_lease(&job.id, "w", after(LEASE * 3))
        .await
        .unwrap();
    assert!(renewed);
    let after_first_lease = after(LEASE * 2);
    let claim = db
        .store
        .claim_job("other", LEASE, after_first_lease)
        .await
        .unwrap();
    assert_eq!(claim, None);
}

#[tokio::test]
async fn a_job_whose_worker_died_in_its_last_attempt_ends_failed() {
    let db = fresh_store("jobs_abandoned").await;
    let new = NewJob {
        max_attempts: 1,
        ..NewJob::new("sync.prozorro")
    };
    let id = db.store.enqueue_job(&new).await.unwrap().unwrap();
    db.store
        .claim_job("crashed", LEASE, now())
        .await
        .unwrap()
        .unwrap();

    let after_lease = after(LEASE * 2);
    assert_eq!(
        db.store.claim_job("w", LEASE, after_lease).await.unwrap(),
        None
    );
    let job = db.store.job(&id).await.unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert!(
        job.last_error
            .unwrap()
            .contains("stopped during the last attempt")
    );
}

#[tokio::test]
async fn a_deduplicated_enqueue_keeps_one_waiting_job_until_it_finishes() {
    let db = fresh_store("jobs_dedup").await;
    let scheduled = || NewJob::new("sync.prozorro").unique("schedule");

    let first = db.store.enqueue_job(&scheduled()).await.unwrap();
    assert!(first.is_some());
    assert_eq!(db.store.enqueue_job(&scheduled()).await.unwrap(), None);
    assert!(
        db.store
            .enqueue_job(&NewJob::new("sync.prozorro"))
            .await
            .unwrap()
            .is_some()
    );
    let job = db
        .store
        .claim_job("w", LEASE, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store.enqueue_job(&scheduled()).await.unwrap(),
        None,
        "running counts"
    );

    db.store
        .finish_job(&job.id, "w", "done", now())
        .await
        .unwrap();
    assert!(db.store.enqueue_job(&scheduled()).await.unwrap().is_some());
    let kinds: Vec<String> = db
        .store
        .recent_jobs(10)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.kind)
        .collect();
    assert_eq!(kinds.len(), 3);
}
