//! Prozorro into projects, on SQLite or PostgreSQL: a linked tender arrives in the project
//! as a contracting process written by the register; a second sync with nothing new writes
//! nothing; a change in the register becomes a new revision naming what changed; a register
//! that is down leaves the project as it was and says so in the sync log; a project linked
//! to two tenders gets both, one revision each; a process a person wrote is never overwritten,
//! the register's version waiting as a conflict until a person takes it or keeps their own.

mod support;

use dream_domain::codelist::ContractingStatus;
use dream_registers::prozorro::ProzorroClient;
use dream_registers::prozorro::fake::{FakeProzorro, Fault};
use dream_registers::prozorro::projects::{AUTHOR, link, sync_projects};
use dream_store::revisions::{Change, Entity};
use dream_store::testing::{fresh_store, sample_project};
use serde_json::json;
use support::{fixture, fixture_json, quick_config};

const TENDER: &str = "f2a340122e754b528c3f516d8e34de7a";
const CONTRACT: &str = "78fd8d7877d74b0dbc9c605462545e1c";

fn awaiting_signature() -> String {
    let mut body = fixture_json("tender-pricequotation-complete.json");
    body["data"]["status"] = json!("active.awarded");
    body["data"]["contracts"][0]["status"] = json!("pending");
    body.to_string()
}

#[tokio::test]
async fn a_linked_tender_flows_into_its_project_and_changes_become_revisions() {
    let db = fresh_store("prozorro_projects").await;
    let change = Change {
        author: "Олена".into(),
        reason: "entry".into(),
    };
    let content = dream_domain::validation::from_json(sample_project()).unwrap();
    let project = db.store.create_project(content, &change).await.unwrap();
    let fake = FakeProzorro::start().await.unwrap();
    fake.put("tenders", TENDER, awaiting_signature());
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    assert!(link(&db.store, &project.id, TENDER, "Олена").await.unwrap());
    assert!(
        !link(&db.store, &project.id, TENDER, "Олена").await.unwrap(),
        "linking twice is one link"
    );
    assert!(
        link(&db.store, &project.id, "not a tender", "Олена")
            .await
            .is_err()
    );

    let first = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(first.revisions, 1);
    let (stored, _) = db.store.project(&project.id).await.unwrap();
    let process = &stored.content.contracting_processes[0];
    assert_eq!(process.tender_id, "UA-2027-01-01-000001-a");
    assert_eq!(process.status, ContractingStatus::Preparation);
    assert_eq!(stored.content.related_processes.len(), 1);

    let again = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(again.revisions, 0, "nothing changed, nothing written");
    assert_eq!(again.run.as_ref().unwrap().unchanged, 1);

    fake.put(
        "tenders",
        TENDER,
        fixture("tender-pricequotation-complete.json"),
    );
    fake.put("contracts", CONTRACT, fixture("contract.json"));
    let changed = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(changed.revisions, 1);
    let (stored, _) = db.store.project(&project.id).await.unwrap();
    let process = &stored.content.contracting_processes[0];
    assert_eq!(process.status, ContractingStatus::Implementation);
    assert_eq!(process.contract_value.unwrap().amount_minor, 280 * 100);
    let history = db
        .store
        .revisions(Entity::Project, project.id.as_str(), None)
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.author, AUTHOR);
    assert!(
        last.reason.contains("changed") && last.reason.contains("status"),
        "{}",
        last.reason
    );

    fake.fail_next(
        &format!("/tenders/{TENDER}"),
        [Fault::Status(503), Fault::Status(503), Fault::Status(503)],
    );
    let down = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(down.revisions, 0);
    let run = down.run.unwrap();
    assert_eq!(run.failed, 1);
    assert!(run.log[0].contains("failed"), "{:?}", run.log);
    let (unchanged, _) = db.store.project(&project.id).await.unwrap();
    assert_eq!(unchanged, stored, "a register that is down changes nothing");
    let runs = db.store.sync_runs("prozorro", 10).await.unwrap();
    assert_eq!(runs.len(), 4);
}

#[tokio::test]
async fn a_link_by_public_id_waits_for_its_internal_id() {
    let db = fresh_store("prozorro_public_id").await;
    let change = Change {
        author: "Олена".into(),
        reason: "entry".into(),
    };
    let content = dream_domain::validation::from_json(sample_project()).unwrap();
    let project = db.store.create_project(content, &change).await.unwrap();
    let fake = FakeProzorro::start().await.unwrap();
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    link(&db.store, &project.id, "UA-2024-05-23-000123-a", "Олена")
        .await
        .unwrap();
    let (stored, _) = db.store.project(&project.id).await.unwrap();
    assert_eq!(
        stored.content.related_processes[0].identifier,
        "UA-2024-05-23-000123-a"
    );
    let sync = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(sync.unresolved.len(), 1);
    assert_eq!(sync.revisions, 0);
}

#[tokio::test]
async fn a_project_linked_to_two_tenders_gets_both_one_revision_each() {
    let db = fresh_store("prozorro_two_tenders").await;
    let change = Change {
        author: "Олена".into(),
        reason: "entry".into(),
    };
    let content = dream_domain::validation::from_json(sample_project()).unwrap();
    let project = db.store.create_project(content, &change).await.unwrap();
    let fake = FakeProzorro::start().await.unwrap();
    let other = "0123456789abcdef0123456789abcdef";
    fake.put("tenders", TENDER, awaiting_signature());
    let rewrite = vec![
        (TENDER.to_owned(), other.to_owned()),
        (
            "UA-2027-01-01-000001-a".to_owned(),
            "UA-2027-01-01-000002-a".to_owned(),
        ),
    ];
    fake.put_rewritten("tenders", other, awaiting_signature(), rewrite);
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    link(&db.store, &project.id, TENDER, "Олена").await.unwrap();
    link(&db.store, &project.id, other, "Олена").await.unwrap();

    let sync = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(sync.revisions, 2);
    assert_eq!(sync.run.unwrap().new, 2);
    let (stored, revision) = db.store.project(&project.id).await.unwrap();
    let mut tenders: Vec<&str> = stored
        .content
        .contracting_processes
        .iter()
        .map(|p| p.tender_id.as_str())
        .collect();
    tenders.sort_unstable();
    assert_eq!(
        tenders,
        ["UA-2027-01-01-000001-a", "UA-2027-01-01-000002-a"]
    );
    assert_eq!(stored.content.related_processes.len(), 2);
    assert_eq!(revision, 3);
    let history = db
        .store
        .revisions(Entity::Project, project.id.as_str(), None)
        .await
        .unwrap();
    let reasons: Vec<&str> = history[1..].iter().map(|r| r.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .all(|r| r.starts_with("Prozorro tender UA-2027-01-01-00000")),
        "{reasons:?}"
    );
    assert!(history[1..].iter().all(|r| r.author == AUTHOR));

    let again = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(again.revisions, 0, "nothing changed, nothing written");
}

#[tokio::test]
async fn a_process_a_person_wrote_is_kept_and_the_registers_version_waits_as_a_conflict() {
    let db = fresh_store("prozorro_person").await;
    let person = Change {
        author: "Олена".into(),
        reason: "entry".into(),
    };
    let content = dream_domain::validation::from_json(sample_project()).unwrap();
    let project = db.store.create_project(content, &person).await.unwrap();
    let fake = FakeProzorro::start().await.unwrap();
    fake.put("tenders", TENDER, awaiting_signature());
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    link(&db.store, &project.id, TENDER, "Олена").await.unwrap();
    sync_projects(&db.store, &client).await.unwrap();

    // A person corrects the process by hand, and then the register changes the tender.
    let fix = serde_json::json!([
        {"op": "replace", "path": "/contractingProcesses/0/title/uk", "value": "Ремонт покрівлі (уточнено)"}
    ]);
    db.store
        .patch_project(&project.id, &fix, None, &person)
        .await
        .unwrap();
    let (corrected, _) = db.store.project(&project.id).await.unwrap();
    fake.put(
        "tenders",
        TENDER,
        fixture("tender-pricequotation-complete.json"),
    );
    fake.put("contracts", CONTRACT, fixture("contract.json"));
    let sync = sync_projects(&db.store, &client).await.unwrap();

    assert_eq!(sync.revisions, 0, "the person's version is not overwritten");
    assert_eq!(sync.conflicts, 1);
    let (kept, _) = db.store.project(&project.id).await.unwrap();
    assert_eq!(kept, corrected);
    let log = sync.run.unwrap().log;
    assert!(log.iter().any(|line| line.contains("was kept")), "{log:?}");
    let conflicts = db.store.open_conflicts(Some("prozorro")).await.unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].record_key, project.id.as_str());

    // Taking the register's version writes it as the person's choice.
    let taken = dream_registers::conflicts::resolve(
        &db.store,
        &conflicts[0].id,
        dream_registers::conflicts::Choice::Take,
        "Олена",
    )
    .await
    .unwrap();
    assert_eq!(taken.register, "prozorro");
    let (now, _) = db.store.project(&project.id).await.unwrap();
    let process = &now.content.contracting_processes[0];
    assert_eq!(process.status, ContractingStatus::Implementation);
    assert!(db.store.open_conflicts(None).await.unwrap().is_empty());
}
