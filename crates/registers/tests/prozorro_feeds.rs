//! Following Prozorro's change feeds, on SQLite or PostgreSQL: a plan that names a DREAM
//! project links it to the plan's tender; a link made by a tender's public id learns its
//! internal id from the feed; only linked tenders that changed are fetched; a second walk
//! from the kept position fetches nothing; a feed that fails keeps the position where it was.

mod support;

use dream_registers::prozorro::ProzorroClient;
use dream_registers::prozorro::fake::{FakeProzorro, Fault};
use dream_registers::prozorro::feeds::{PLANS_FEED, TENDERS_FEED, follow_feeds, offset_at};
use dream_registers::prozorro::projects::{AUTHOR, link};
use dream_store::Store;
use dream_store::projects::NewProject;
use dream_store::revisions::{Change, Entity};
use dream_store::testing::{fresh_store, sample_project};
use serde_json::json;
use support::{fixture, quick_config};

/// The project the recorded plan names in its `project.uri`.
const NAMED_BY_PLAN: &str = "DREAM-UA-030524-EE48E08C";
const PLAN: &str = "cccb8928810c4bda97b1eabb9c4c4f9b";
/// The plan's tender, served from the recording of a tender still open for bids.
const PLANNED_TENDER: &str = "e7db462b6c17406f8ddda353f082a92a";
/// A tender a person linked by its public id.
const TYPED_TENDER: &str = "f2a340122e754b528c3f516d8e34de7a";
const TYPED_PUBLIC_ID: &str = "UA-2027-01-01-000001-a";
/// A tender nobody linked.
const UNLINKED: &str = "94cd95f5e2034cdf9695a0f556b7cbb4";

/// Writes the sample project under `id`, as the registry would hold it.
async fn project_with_id(store: &Store, id: &str) -> dream_domain::ProjectId {
    let content: dream_domain::project::ProjectContent =
        dream_domain::validation::from_json(sample_project()).unwrap();
    let place = store.check_project(&content).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let id = dream_domain::ProjectId::parse(id).unwrap();
    let project = dream_domain::project::Project {
        id: id.clone(),
        date: now,
        updated: now,
        status: dream_domain::project::Project::derive_status(false, content.status_details),
        content,
    };
    let change = Change {
        author: "test".into(),
        reason: "entry".into(),
    };
    store
        .insert_projects(vec![NewProject { project, place }], &change)
        .await
        .unwrap();
    id
}

/// Where the tests start to read the feeds: the recorded day.
fn since() -> time::OffsetDateTime {
    time::macros::datetime!(2027-01-01 00:00 +2)
}

fn feed_page(items: serde_json::Value, next: &str) -> String {
    json!({"data": items, "next_page": {"offset": next}}).to_string()
}

async fn register_with_feeds() -> FakeProzorro {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put("plans", PLAN, fixture("plan.json"));
    fake.put_rewritten(
        "tenders",
        PLANNED_TENDER,
        fixture("tender-active.json"),
        vec![
            (
                "5429c1a3494f4034839597408f6cde96".into(),
                PLANNED_TENDER.into(),
            ),
            (
                "UA-2027-01-01-000001-a".into(),
                "UA-2027-01-01-000007-a".into(),
            ),
        ],
    );
    fake.put(
        "tenders",
        TYPED_TENDER,
        fixture("tender-pricequotation-complete.json"),
    );
    fake.put(
        "contracts",
        "78fd8d7877d74b0dbc9c605462545e1c",
        fixture("contract.json"),
    );
    fake.put("tenders", UNLINKED, fixture("tender-active.json"));
    let plans = json!([{"id": PLAN, "dateModified": "2027-01-01T00:00:00+02:00"}]);
    let start = offset_at(since());
    fake.put_plans_feed_page(Some(&start), feed_page(plans, "1798754400.0.1"));
    let tenders = json!([
        {"id": TYPED_TENDER, "dateModified": "2027-01-01T00:00:01+02:00",
         "tenderID": TYPED_PUBLIC_ID},
        {"id": UNLINKED, "dateModified": "2027-01-01T00:00:02+02:00",
         "tenderID": "UA-2027-01-01-000009-a"},
    ]);
    fake.put_feed_page(Some(&start), feed_page(tenders, "1798754402.0.2"));
    fake
}

#[tokio::test]
async fn the_feeds_link_what_plans_name_and_fetch_only_linked_tenders_that_changed() {
    let db = fresh_store("prozorro_feeds").await;
    let planned = project_with_id(&db.store, NAMED_BY_PLAN).await;
    let typed = project_with_id(&db.store, "DREAM-UA-030524-0A0B0C0D").await;
    assert!(
        link(&db.store, &typed, TYPED_PUBLIC_ID, "Олена")
            .await
            .unwrap()
    );
    let fake = register_with_feeds().await;
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let walk = follow_feeds(&db.store, &client, Some(since()))
        .await
        .unwrap();
    assert_eq!((walk.plan_changes, walk.tender_changes), (1, 2));
    assert_eq!(walk.linked_by_plans.len(), 1, "{:?}", walk.failures);
    assert_eq!(walk.resolved, 1, "the typed link learned its internal id");
    assert_eq!(walk.sync.revisions, 2, "{:?}", walk.sync);
    assert_eq!(fake.request_count(&format!("/tenders/{UNLINKED}")), 0);

    let (project, _) = db.store.project(&planned).await.unwrap();
    assert_eq!(
        project.content.contracting_processes[0].tender_id,
        "UA-2027-01-01-000007-a"
    );
    let history = db
        .store
        .revisions(Entity::Project, planned.as_str(), None)
        .await
        .unwrap();
    assert!(
        history
            .iter()
            .any(|r| r.author == AUTHOR && r.reason.contains("UA-2027-01-01-000007-a")),
        "the register is named as the author of the planned tender"
    );
    assert_eq!(
        walk.linked_by_plans,
        [
            "plan UA-P-2027-01-01-000001-a linked DREAM-UA-030524-EE48E08C to tender \
          e7db462b6c17406f8ddda353f082a92a"
        ]
    );
    let (project, _) = db.store.project(&typed).await.unwrap();
    assert_eq!(
        project.content.contracting_processes[0].tender_id,
        TYPED_PUBLIC_ID
    );

    assert_eq!(
        db.store
            .feed_position(TENDERS_FEED)
            .await
            .unwrap()
            .as_deref(),
        Some("1798754402.0.2")
    );
    let again = follow_feeds(&db.store, &client, None).await.unwrap();
    assert_eq!((again.tender_changes, again.sync.revisions), (0, 0));
    assert_eq!(fake.request_count(&format!("/tenders/{TYPED_TENDER}")), 1);
}

#[tokio::test]
async fn a_feed_that_fails_keeps_its_position() {
    let db = fresh_store("prozorro_feeds_down").await;
    let fake = register_with_feeds().await;
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    fake.fail_next(
        "/tenders",
        [Fault::Status(503), Fault::Status(503), Fault::Status(503)],
    );

    assert!(
        follow_feeds(&db.store, &client, Some(since()))
            .await
            .is_err()
    );
    assert_eq!(db.store.feed_position(TENDERS_FEED).await.unwrap(), None);
    assert_eq!(db.store.feed_position(PLANS_FEED).await.unwrap(), None);

    let walk = follow_feeds(&db.store, &client, Some(since()))
        .await
        .unwrap();
    assert_eq!(
        walk.tender_changes, 2,
        "the same changes are asked for again"
    );
}
