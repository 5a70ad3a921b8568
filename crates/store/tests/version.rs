//! The registry version as a process knows it (`DREAM_TEST_BACKEND` picks the database):
//! a write moves it on at once for the process that made it, and a write of another process
//! is known without asking the database on every request: read directly from the SQLite
//! file, or heard from PostgreSQL's notification.

use std::time::{Duration, Instant};

use dream_domain::validation::from_json;
use dream_store::revisions::Change;
use dream_store::testing::{TestDb, backend, fresh_store, sample_project};
use dream_store::{Backend, Store};

fn change() -> Change {
    Change {
        author: "tester".into(),
        reason: "entry".into(),
    }
}

async fn add_project(store: &Store) {
    let content = from_json(sample_project()).unwrap();
    store.create_project(content, &change()).await.unwrap();
}

/// The version `store` reports once it differs from `before`, within `limit`.
async fn moved_on(store: &Store, before: i64, limit: Duration) -> Option<(i64, Duration)> {
    let started = Instant::now();
    loop {
        let version = store.registry_version().await.unwrap();
        if version != before {
            return Some((version, started.elapsed()));
        }
        if started.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Whether a connection to the test's PostgreSQL database listens for new versions.
async fn listening(db: &TestDb) -> bool {
    db.query_i64(
        "SELECT COUNT(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .await
        > 0
}

#[tokio::test]
async fn a_process_that_follows_the_registry_knows_its_own_write_at_once() {
    let db = fresh_store("version_own_write").await;
    db.store.follow_registry();
    let before = db.store.registry_version().await.unwrap();
    for round in 1..=3 {
        add_project(&db.store).await;
        assert_eq!(
            db.store.registry_version().await.unwrap(),
            before + round,
            "the version right after write {round}"
        );
    }
}

#[tokio::test]
async fn a_write_through_another_connection_is_known_to_a_following_process() {
    let db = fresh_store("version_other_process").await;
    let reader = Store::connect(&db.url).await.unwrap();
    reader.follow_registry();
    if backend() == Backend::Postgres {
        // The version is then heard, not read: wait until the reader listens.
        let started = Instant::now();
        while !listening(&db).await {
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "the reader never listened"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    for _ in 0..3 {
        let before = reader.registry_version().await.unwrap();
        add_project(&db.store).await;
        let (version, waited) = moved_on(&reader, before, Duration::from_secs(5))
            .await
            .expect("the other process's write was never known");
        assert_eq!(version, db.store.registry_version().await.unwrap());
        assert!(
            waited < Duration::from_secs(1),
            "the other process's write took {waited:?} to be known"
        );
    }
    reader.close().await;
}
