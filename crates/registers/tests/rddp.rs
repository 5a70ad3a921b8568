//! The RDDP connector against its local fake, and on SQLite or PostgreSQL: damage records
//! map as the mapping says; a register that is down, slow, limiting the rate or answering
//! broken JSON fails with its own error; an object is linked to its record by a person; a
//! sync keeps each record and fills an object's empty address, but an address a person
//! entered stays and the disagreement waits as a conflict.

mod support;

use std::time::{Duration, Instant};

use dream_domain::ObjectId;
use dream_domain::object::{Object, ObjectContent};
use dream_domain::validation::from_json;
use dream_registers::RegisterError;
use dream_registers::fake::Fault;
use dream_registers::rddp::fake::FakeRddp;
use dream_registers::rddp::mapping::record_from_json;
use dream_registers::rddp::objects::{AUTHOR, REGISTER};
use dream_registers::rddp::{
    DamageCategory, DamageRecord, DamageRecordId, RddpClient, link, sync_objects,
};
use dream_store::Store;
use dream_store::revisions::{Change, Entity};
use dream_store::testing::fresh_store;
use serde_json::{Value, json};
use support::quick_config;

const LYCEUM: &str = "RDDP-2023-004512";
const BRIDGE: &str = "RDDP-2022-001187";
const LYCEUM_ADDRESS: &str = "Харківська обл., м. Харків, вул. Сумська, 12";

fn data(id: &str) -> String {
    let path = format!(
        "{}/tests/data/rddp/record-{id}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn edited(id: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut body: Value = serde_json::from_str(&data(id)).unwrap();
    edit(&mut body["data"]);
    body.to_string()
}

fn record_id(text: &str) -> DamageRecordId {
    DamageRecordId::parse(text).unwrap()
}

async fn fake_with_records() -> (FakeRddp, RddpClient) {
    let fake = FakeRddp::start().await.unwrap();
    fake.put_record(LYCEUM, data(LYCEUM));
    fake.put_record(BRIDGE, data(BRIDGE));
    let client = RddpClient::new(quick_config(fake.base_url())).unwrap();
    (fake, client)
}

async fn create_object(store: &Store, title: &str, address: Option<&str>) -> ObjectId {
    let mut location = json!({"katottg": "UA63120270000028556"});
    if let Some(address) = address {
        location["address"] = json!(address);
    }
    let content: ObjectContent = from_json(json!({
        "title": {"uk": title},
        "status": "active",
        "classification": {"scheme": "COFOG", "id": "09.2"},
        "holder": "04057287",
        "locations": [location]
    }))
    .unwrap();
    let change = Change {
        author: "Олена".into(),
        reason: "inventory".into(),
    };
    store.create_object(content, &change).await.unwrap().id
}

async fn object(store: &Store, id: &ObjectId) -> Object {
    serde_json::from_str(&store.object_document(id).await.unwrap()).unwrap()
}

async fn revision_count(store: &Store, id: &ObjectId) -> usize {
    store
        .revisions(Entity::Object, &id.to_string(), None)
        .await
        .unwrap()
        .len()
}

#[test]
fn a_record_maps_its_category_day_address_and_inspection_act() {
    let record = record_from_json(data(LYCEUM).as_bytes()).unwrap();
    assert_eq!(record.id.as_str(), LYCEUM);
    assert_eq!(record.category, DamageCategory::Damaged);
    assert_eq!(record.damage_date, time::macros::date!(2022 - 03 - 07));
    assert_eq!(record.address, LYCEUM_ADDRESS);
    assert_eq!(record.katottg.unwrap().as_str(), "UA63120270000028556");
    let act = record.inspection_act.unwrap();
    assert_eq!(act.number, "63-ОБ-2023-0451");
    assert_eq!(act.date, time::macros::date!(2023 - 02 - 14));

    let bridge = record_from_json(data(BRIDGE).as_bytes()).unwrap();
    assert_eq!(bridge.category, DamageCategory::Destroyed);
    assert_eq!(bridge.inspection_act, None);
    assert_eq!(bridge.katottg, None);
}

#[test]
fn an_unknown_category_or_day_names_the_field() {
    let body = edited(LYCEUM, |record| record["category"] = json!("partly"));
    let error = record_from_json(body.as_bytes()).unwrap_err();
    assert!(error.to_string().starts_with("data.category:"), "{error}");
    let body = edited(LYCEUM, |record| record["damage_date"] = json!("07.03.2022"));
    let error = record_from_json(body.as_bytes()).unwrap_err();
    assert!(
        error.to_string().starts_with("data.damage_date:"),
        "{error}"
    );
}

#[tokio::test]
async fn an_unknown_record_is_not_found_at_once() {
    let (fake, client) = fake_with_records().await;
    let error = client
        .fetch(&record_id("RDDP-2024-000001"))
        .await
        .unwrap_err();
    assert!(matches!(error, RegisterError::NotFound { .. }), "{error:?}");
    assert_eq!(
        fake.register().request_count("/records/RDDP-2024-000001"),
        1
    );
}

#[tokio::test]
async fn a_register_that_is_down_is_unreachable_after_the_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = RddpClient::new(quick_config(format!("http://{address}/rddp/1.0"))).unwrap();
    let error = client.fetch(&record_id(LYCEUM)).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::Unreachable { attempts: 3, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_register_slower_than_the_timeout_times_out() {
    let (fake, client) = fake_with_records().await;
    let path = format!("/records/{LYCEUM}");
    fake.register()
        .fail_next(&path, vec![Fault::Delay(Duration::from_secs(3)); 3]);
    let started = Instant::now();
    let error = client.fetch(&record_id(LYCEUM)).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::Timeout { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn too_many_requests_waits_as_long_as_retry_after_says() {
    let (fake, client) = fake_with_records().await;
    let path = format!("/records/{LYCEUM}");
    fake.register().fail_next(
        &path,
        [Fault::TooManyRequests {
            retry_after_seconds: 1,
        }],
    );
    let started = Instant::now();
    client.fetch(&record_id(LYCEUM)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(990));
    assert_eq!(fake.register().request_count(&path), 2);
}

#[tokio::test]
async fn malformed_json_is_its_own_error() {
    let (fake, client) = fake_with_records().await;
    let path = format!("/records/{LYCEUM}");
    fake.register()
        .fail_next(&path, [Fault::Body(r#"{"data": {"id": "#.into())]);
    let error = client.fetch(&record_id(LYCEUM)).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::MalformedJson { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_person_links_an_object_and_the_object_names_its_record() {
    let db = fresh_store("rddp_link").await;
    let id = create_object(&db.store, "Ліцей №5", Some(LYCEUM_ADDRESS)).await;
    assert!(
        link(&db.store, &id, " RDDP-2023-004512 ", "Олена")
            .await
            .unwrap()
    );
    assert!(
        !link(&db.store, &id, LYCEUM, "Олена").await.unwrap(),
        "linking twice is one link"
    );
    assert!(
        link(&db.store, &id, "RDDP 2023/4512", "Олена")
            .await
            .is_err()
    );
    assert!(
        link(&db.store, &ObjectId::new(), LYCEUM, "Олена")
            .await
            .is_err(),
        "an object that does not exist cannot be linked"
    );
    let linked = object(&db.store, &id).await;
    assert_eq!(linked.content.damage_record_id.as_deref(), Some(LYCEUM));
    let history = db
        .store
        .revisions(Entity::Object, &id.to_string(), None)
        .await
        .unwrap();
    assert_eq!(history.last().unwrap().author, "Олена");
    assert_eq!(db.store.damage_links().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_sync_fills_an_empty_address_and_keeps_one_a_person_entered() {
    let db = fresh_store("rddp_sync").await;
    let (_fake, client) = fake_with_records().await;
    let lyceum = create_object(&db.store, "Ліцей №5", Some("вул. Сумська, 12")).await;
    let bridge = create_object(&db.store, "Міст через Сіверський Донець", None).await;
    link(&db.store, &lyceum, LYCEUM, "Олена").await.unwrap();
    link(&db.store, &bridge, BRIDGE, "Олена").await.unwrap();

    let first = sync_objects(&db.store, &client).await.unwrap();
    assert_eq!(
        (first.run.new, first.run.failed),
        (2, 0),
        "{:?}",
        first.run.log
    );
    assert_eq!((first.written, first.conflicts), (1, 1));

    let filled = object(&db.store, &bridge).await;
    assert_eq!(
        filled.content.locations[0].address.as_deref(),
        Some("Харківська обл., Ізюмський р-н, м. Ізюм, вул. Соборна")
    );
    let history = db
        .store
        .revisions(Entity::Object, &bridge.to_string(), None)
        .await
        .unwrap();
    assert_eq!(history.last().unwrap().author, AUTHOR);
    let kept = object(&db.store, &lyceum).await;
    assert_eq!(
        kept.content.locations[0].address.as_deref(),
        Some("вул. Сумська, 12")
    );
    let conflicts = db.store.open_conflicts(Some(REGISTER)).await.unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].record_key, lyceum.to_string());
    assert_eq!(conflicts[0].field, "/locations/0/address");
    assert_eq!(conflicts[0].register_value, LYCEUM_ADDRESS);

    let stored: DamageRecord =
        serde_json::from_str(&db.store.damage_record(LYCEUM).await.unwrap().unwrap()).unwrap();
    assert_eq!(stored.inspection_act.unwrap().number, "63-ОБ-2023-0451");

    let again = sync_objects(&db.store, &client).await.unwrap();
    assert_eq!(
        (again.run.new, again.run.changed, again.run.unchanged),
        (0, 0, 2)
    );
    assert_eq!(again.written, 0);
    assert_eq!(
        revision_count(&db.store, &bridge).await,
        3,
        "nothing written twice"
    );
    assert_eq!(db.store.open_conflicts(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_record_that_changes_between_syncs_is_kept_and_flows_into_what_it_wrote() {
    let db = fresh_store("rddp_changes").await;
    let (fake, client) = fake_with_records().await;
    let bridge = create_object(&db.store, "Міст через Сіверський Донець", None).await;
    link(&db.store, &bridge, BRIDGE, "Олена").await.unwrap();
    sync_objects(&db.store, &client).await.unwrap();

    fake.put_record(
        BRIDGE,
        edited(BRIDGE, |record| {
            record["address"] =
                json!("Харківська обл., Ізюмський р-н, м. Ізюм, вул. Соборна, міст");
            record["inspection_act"] = json!({"number": "63-ОБ-2023-1177", "date": "2023-06-01"});
        }),
    );
    let changed = sync_objects(&db.store, &client).await.unwrap();
    assert_eq!(changed.run.changed, 1);
    assert!(
        changed.run.log[0].contains("address") && changed.run.log[0].contains("inspectionAct"),
        "{:?}",
        changed.run.log
    );
    let updated = object(&db.store, &bridge).await;
    assert_eq!(
        updated.content.locations[0].address.as_deref(),
        Some("Харківська обл., Ізюмський р-н, м. Ізюм, вул. Соборна, міст"),
        "the register wrote the address, so it may write it again"
    );
    let stored: DamageRecord =
        serde_json::from_str(&db.store.damage_record(BRIDGE).await.unwrap().unwrap()).unwrap();
    assert_eq!(stored.inspection_act.unwrap().number, "63-ОБ-2023-1177");
}

#[tokio::test]
async fn a_register_that_fails_changes_nothing_and_the_run_says_why() {
    let db = fresh_store("rddp_down").await;
    let (fake, client) = fake_with_records().await;
    let bridge = create_object(&db.store, "Міст", None).await;
    link(&db.store, &bridge, BRIDGE, "Олена").await.unwrap();
    fake.register().fail_next(
        &format!("/records/{BRIDGE}"),
        [Fault::Body("<html>502 Bad Gateway</html>".into())],
    );

    let down = sync_objects(&db.store, &client).await.unwrap();
    assert_eq!(down.run.failed, 1);
    assert!(
        down.run.log[0].contains("not valid JSON"),
        "{:?}",
        down.run.log
    );
    assert_eq!(
        object(&db.store, &bridge).await.content.locations[0].address,
        None
    );
    assert!(db.store.damage_record(BRIDGE).await.unwrap().is_none());
    assert_eq!(db.store.sync_runs(REGISTER, 10).await.unwrap().len(), 1);
}
