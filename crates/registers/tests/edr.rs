//! The EDR connector against its local fake, and on SQLite or PostgreSQL: records map as the
//! mapping says; a register that is down, slow, limiting the rate or answering broken JSON
//! fails with its own error; a name a person entered is never overwritten, and the
//! disagreement waits as a conflict until a person keeps their name or takes the register's.

mod support;

use std::time::{Duration, Instant};

use dream_domain::Edrpou;
use dream_domain::organisation::{Organisation, OrganisationContent};
use dream_domain::validation::from_json;
use dream_registers::RegisterError;
use dream_registers::conflicts::{Choice, resolve};
use dream_registers::edr::fake::FakeEdr;
use dream_registers::edr::mapping::{subject_from_json, subjects_from_json};
use dream_registers::edr::organisations::{AUTHOR, REGISTER, RecordChange};
use dream_registers::edr::{EdrClient, EdrStatus, refresh_organisation, sync_organisations};
use dream_registers::fake::Fault;
use dream_store::Store;
use dream_store::revisions::{Change, Entity};
use dream_store::testing::fresh_store;
use serde_json::{Value, json};
use support::quick_config;

const COUNCIL: &str = "04057287";
const BUILDER: &str = "43267182";
const ENTERPRISE: &str = "05408823";

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/edr/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn code(text: &str) -> Edrpou {
    Edrpou::parse(text).unwrap()
}

async fn fake_with_subjects() -> (FakeEdr, EdrClient) {
    let fake = FakeEdr::start().await.unwrap();
    fake.put_subject(&data("subject-04057287.json"));
    fake.put_subject(&data("subject-43267182.json"));
    fake.put_subject(&data("subject-05408823-terminating.json"));
    let client = EdrClient::new(quick_config(fake.base_url())).unwrap();
    (fake, client)
}

fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut body: Value = serde_json::from_str(&data(name)).unwrap();
    edit(&mut body);
    body.to_string()
}

async fn register_organisation(store: &Store, id: &str, name: &str) {
    let content: OrganisationContent = from_json(json!({
        "name": {"uk": name},
        "kind": "enterprise",
        "territory": "UA63120270000028556"
    }))
    .unwrap();
    let change = Change {
        author: "Олена".into(),
        reason: "registered".into(),
    };
    store
        .create_organisation(code(id), content, &change)
        .await
        .unwrap();
}

async fn organisation(store: &Store, id: &str) -> Organisation {
    let document = store.organisation_document(&code(id)).await.unwrap();
    serde_json::from_str(&document).unwrap()
}

async fn revision_count(store: &Store, id: &str) -> usize {
    store
        .revisions(Entity::Organisation, id, None)
        .await
        .unwrap()
        .len()
}

#[test]
fn a_subject_maps_its_names_address_status_and_registration_day() {
    let record = subject_from_json(data("subject-43267182.json").as_bytes()).unwrap();
    assert_eq!(record.code.as_str(), BUILDER);
    assert_eq!(record.subject_id, 3918254);
    assert!(record.full_name.starts_with("ТОВАРИСТВО З ОБМЕЖЕНОЮ"));
    assert_eq!(record.short_name.as_deref(), Some("ТОВ \"БК «СХІДБУД»\""));
    assert_eq!(
        record.name_en.as_deref(),
        Some("LIMITED LIABILITY COMPANY \"SKHIDBUD CONSTRUCTION COMPANY\"")
    );
    assert!(record.address.unwrap().contains("Полтавський Шлях"));
    assert_eq!(record.status, EdrStatus::Registered);
    assert_eq!(
        record.registration_date,
        Some(time::macros::date!(2019 - 09 - 03))
    );

    let council = subject_from_json(data("subject-04057287.json").as_bytes()).unwrap();
    assert_eq!(council.short_name, None, "a null short name is no name");
    assert_eq!(council.name_en, None);

    let terminating =
        subject_from_json(data("subject-05408823-terminating.json").as_bytes()).unwrap();
    assert_eq!(terminating.status, EdrStatus::BeingTerminated);
    assert_eq!(terminating.status_text, "в стані припинення");

    let list = subjects_from_json(data("subjects-04057287.json").as_bytes()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].subject_id, 1140733);
}

#[test]
fn a_subject_with_a_code_that_fails_its_check_digit_names_the_field() {
    let body = edited("subject-04057287.json", |body| {
        body["code"] = json!("04057288")
    });
    let error = subject_from_json(body.as_bytes()).unwrap_err();
    assert!(error.to_string().starts_with("code:"), "{error}");
}

#[tokio::test]
async fn a_record_is_found_by_its_code_and_read_in_full() {
    let (fake, client) = fake_with_subjects().await;
    let record = client.fetch(&code(COUNCIL)).await.unwrap();
    assert_eq!(record.full_name, "ХАРКІВСЬКА МІСЬКА РАДА");
    assert_eq!(fake.register().request_count("/subjects"), 1);
    assert_eq!(fake.register().request_count("/subjects/1140733"), 1);
}

#[tokio::test]
async fn an_unknown_code_is_not_found_at_once() {
    let (fake, client) = fake_with_subjects().await;
    let unknown = code("02056178");
    let error = client.fetch(&unknown).await.unwrap_err();
    assert!(matches!(error, RegisterError::NotFound { .. }), "{error:?}");
    assert_eq!(fake.register().request_count("/subjects"), 1, "no retries");

    fake.put_list(unknown.as_str(), "[]");
    let error = client.fetch(&unknown).await.unwrap_err();
    assert!(
        matches!(&error, RegisterError::NotFound { url } if url.contains("code=02056178")),
        "an empty list is no record either: {error:?}"
    );
}

#[tokio::test]
async fn a_register_that_is_down_is_unreachable_after_the_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = EdrClient::new(quick_config(format!("http://{address}/1.0"))).unwrap();

    let error = client.fetch(&code(COUNCIL)).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::Unreachable { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("/1.0/subjects?code=04057287"));
}

#[tokio::test]
async fn a_register_that_keeps_failing_is_reported_with_its_last_status() {
    let (fake, client) = fake_with_subjects().await;
    fake.register()
        .fail_next("/subjects/1140733", vec![Fault::Status(503); 3]);
    let error = client.fetch(&code(COUNCIL)).await.unwrap_err();
    assert!(
        matches!(
            error,
            RegisterError::ServerError {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_register_slower_than_the_timeout_times_out() {
    let (fake, client) = fake_with_subjects().await;
    fake.register()
        .fail_next("/subjects", vec![Fault::Delay(Duration::from_secs(3)); 3]);
    let started = Instant::now();
    let error = client.fetch(&code(COUNCIL)).await.unwrap_err();
    assert!(
        matches!(
            error,
            RegisterError::Timeout {
                attempts: 3,
                timeout_ms: 500,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn too_many_requests_waits_as_long_as_retry_after_says() {
    let (fake, client) = fake_with_subjects().await;
    fake.register().fail_next(
        "/subjects",
        [Fault::TooManyRequests {
            retry_after_seconds: 1,
        }],
    );
    let started = Instant::now();
    let record = client.fetch(&code(COUNCIL)).await.unwrap();
    assert_eq!(record.code.as_str(), COUNCIL);
    assert!(started.elapsed() >= Duration::from_millis(990));
    assert_eq!(fake.register().request_count("/subjects"), 2);
}

#[tokio::test]
async fn malformed_json_is_its_own_error_and_names_the_address() {
    let (fake, client) = fake_with_subjects().await;
    fake.register().fail_next(
        "/subjects/1140733",
        [Fault::Body(r#"{"id": 1140733, "na"#.into())],
    );
    let error = client.fetch(&code(COUNCIL)).await.unwrap_err();
    let RegisterError::MalformedJson { url, .. } = &error else {
        panic!("expected malformed JSON, got {error:?}");
    };
    assert!(url.ends_with("/1.0/subjects/1140733"), "{url}");
}

#[tokio::test]
async fn an_answer_about_another_entity_is_refused() {
    let (fake, client) = fake_with_subjects().await;
    fake.register().fail_next(
        "/subjects/1140733",
        [Fault::Body(data("subject-43267182.json"))],
    );
    let error = client.fetch(&code(COUNCIL)).await.unwrap_err();
    assert!(
        matches!(&error, RegisterError::Invalid { path, .. } if path == "code"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_name_a_person_entered_is_kept_and_the_disagreement_waits_as_a_conflict() {
    let db = fresh_store("edr_conflict").await;
    let (_fake, client) = fake_with_subjects().await;
    register_organisation(&db.store, COUNCIL, "Харківська міська рада").await;
    register_organisation(&db.store, BUILDER, "ТОВ Східбуд").await;

    let first = sync_organisations(&db.store, &client, None).await.unwrap();
    assert_eq!(
        (first.run.new, first.run.failed),
        (2, 0),
        "{:?}",
        first.run.log
    );
    assert_eq!(
        first.written, 1,
        "only the builder's English name was empty"
    );
    assert_eq!(first.conflicts, 1);

    let council = organisation(&db.store, COUNCIL).await;
    assert_eq!(
        council.content.name.uk, "Харківська міська рада",
        "the same name in capitals is the same name"
    );
    let builder = organisation(&db.store, BUILDER).await;
    assert_eq!(builder.content.name.uk, "ТОВ Східбуд", "never overwritten");
    assert_eq!(
        builder.content.name.en.as_deref(),
        Some("LIMITED LIABILITY COMPANY \"SKHIDBUD CONSTRUCTION COMPANY\"")
    );
    let history = db
        .store
        .revisions(Entity::Organisation, BUILDER, None)
        .await
        .unwrap();
    assert_eq!(history.last().unwrap().author, AUTHOR);

    let conflicts = db.store.open_conflicts(Some(REGISTER)).await.unwrap();
    assert_eq!(conflicts.len(), 1);
    let conflict = &conflicts[0];
    assert_eq!(
        (conflict.record_key.as_str(), conflict.field.as_str()),
        (BUILDER, "/name/uk")
    );
    assert_eq!(conflict.our_value.as_deref(), Some("ТОВ Східбуд"));
    assert!(conflict.register_value.contains("СХІДБУД"));
    let stored = db.store.edr_record(BUILDER).await.unwrap().unwrap();
    assert!(stored.contains("registrationDate"), "{stored}");

    let again = sync_organisations(&db.store, &client, None).await.unwrap();
    assert_eq!(
        (again.run.new, again.run.changed, again.run.unchanged),
        (0, 0, 2)
    );
    assert_eq!(again.written, 0);
    assert_eq!(
        revision_count(&db.store, BUILDER).await,
        2,
        "nothing written twice"
    );
    let still = db.store.open_conflicts(None).await.unwrap();
    assert_eq!(still.len(), 1);
    assert_eq!(still[0].first_seen, conflict.first_seen);
}

#[tokio::test]
async fn a_record_that_changes_between_syncs_updates_what_the_register_wrote_only() {
    let db = fresh_store("edr_changes").await;
    let (fake, client) = fake_with_subjects().await;
    register_organisation(&db.store, BUILDER, "ТОВ Східбуд").await;
    sync_organisations(&db.store, &client, None).await.unwrap();

    fake.put_subject(&edited("subject-43267182.json", |body| {
        body["names"]["name_en"] = json!("SKHIDBUD CONSTRUCTION COMPANY LLC");
        body["state"] = json!(2);
        body["state_text"] = json!("в стані припинення");
    }));
    let changed = sync_organisations(&db.store, &client, Some(vec![code(BUILDER)]))
        .await
        .unwrap();
    assert_eq!(changed.run.changed, 1);
    assert!(
        changed.run.log[0].contains("nameEn") && changed.run.log[0].contains("status"),
        "{:?}",
        changed.run.log
    );
    assert!(
        changed
            .run
            .log
            .iter()
            .any(|l| l.contains("в стані припинення"))
    );
    let builder = organisation(&db.store, BUILDER).await;
    assert_eq!(
        builder.content.name.en.as_deref(),
        Some("SKHIDBUD CONSTRUCTION COMPANY LLC"),
        "the register wrote the English name, so it may write it again"
    );
    assert_eq!(builder.content.name.uk, "ТОВ Східбуд");
    let conflicts = db.store.open_conflicts(Some(REGISTER)).await.unwrap();
    assert_eq!(conflicts.len(), 1, "the Ukrainian name still waits");
}

#[tokio::test]
async fn a_person_resolves_a_conflict_by_keeping_or_by_taking_the_registers_name() {
    let db = fresh_store("edr_resolve").await;
    let (fake, client) = fake_with_subjects().await;
    register_organisation(&db.store, BUILDER, "ТОВ Східбуд").await;
    register_organisation(&db.store, COUNCIL, "Харківська міська рада").await;
    sync_organisations(&db.store, &client, None).await.unwrap();

    let kept = db.store.open_conflicts(None).await.unwrap().remove(0);
    resolve(&db.store, &kept.id, Choice::Keep, "Олена")
        .await
        .unwrap();
    let after_keep = sync_organisations(&db.store, &client, None).await.unwrap();
    assert_eq!(
        after_keep.conflicts, 0,
        "a kept name is not asked about again"
    );
    assert!(db.store.open_conflicts(None).await.unwrap().is_empty());

    fake.put_subject(&edited("subject-04057287.json", |body| {
        body["names"]["name"] = json!("ХАРКІВСЬКА МІСЬКА РАДА ХАРКІВСЬКОЇ ОБЛАСТІ");
    }));
    sync_organisations(&db.store, &client, None).await.unwrap();
    let open = db.store.open_conflicts(None).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].record_key, COUNCIL);
    resolve(&db.store, &open[0].id, Choice::Take, "Петро")
        .await
        .unwrap();
    let council = organisation(&db.store, COUNCIL).await;
    assert_eq!(
        council.content.name.uk,
        "ХАРКІВСЬКА МІСЬКА РАДА ХАРКІВСЬКОЇ ОБЛАСТІ"
    );
    let history = db
        .store
        .revisions(Entity::Organisation, COUNCIL, None)
        .await
        .unwrap();
    assert_eq!(history.last().unwrap().author, "Петро");
    assert!(db.store.open_conflicts(None).await.unwrap().is_empty());
    assert!(
        resolve(&db.store, &open[0].id, Choice::Keep, "Петро")
            .await
            .is_err(),
        "a resolved conflict cannot be resolved again"
    );
}

#[tokio::test]
async fn a_party_not_yet_registered_gets_its_record_kept_and_nothing_else() {
    let db = fresh_store("edr_party").await;
    let (_fake, client) = fake_with_subjects().await;
    let refresh = refresh_organisation(&db.store, &client, &code(ENTERPRISE))
        .await
        .unwrap();
    assert_eq!(refresh.change, RecordChange::New);
    assert_eq!(refresh.record.status, EdrStatus::BeingTerminated);
    assert!(refresh.written.is_empty() && refresh.conflicts.is_empty());
    assert!(db.store.edr_record(ENTERPRISE).await.unwrap().is_some());
    assert!(
        !db.store
            .organisation_exists(&code(ENTERPRISE))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_register_that_fails_changes_nothing_and_the_run_says_why() {
    let db = fresh_store("edr_down").await;
    let (fake, client) = fake_with_subjects().await;
    register_organisation(&db.store, COUNCIL, "Харківська рада").await;
    fake.register()
        .fail_next("/subjects", vec![Fault::Status(503); 3]);

    let down = sync_organisations(&db.store, &client, None).await.unwrap();
    assert_eq!(down.run.failed, 1);
    assert!(down.run.log[0].contains("503"), "{:?}", down.run.log);
    assert!(db.store.open_conflicts(None).await.unwrap().is_empty());
    assert_eq!(revision_count(&db.store, COUNCIL).await, 1);
    assert!(db.store.edr_record(COUNCIL).await.unwrap().is_none());

    let runs = db.store.sync_runs(REGISTER, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].failed, 1);
}

#[tokio::test]
async fn credentials_from_the_settings_go_with_every_request_and_none_is_refused() {
    let (fake, _) = fake_with_subjects().await;
    fake.register().require_authorization("Token s3cret");
    let anonymous = EdrClient::new(quick_config(fake.base_url())).unwrap();
    let error = anonymous.fetch(&code("04057287")).await.unwrap_err();
    assert!(error.to_string().contains("401"), "{error}");

    let config = dream_registers::RegisterConfig {
        authorization: Some("Token s3cret".into()),
        ..quick_config(fake.base_url())
    };
    let client = EdrClient::new(config).unwrap();
    let record = client.fetch(&code("04057287")).await.unwrap();
    assert_eq!(record.code.as_str(), "04057287");
    assert!(
        !format!("{client:?}").contains("s3cret"),
        "the credentials stay out of debug output"
    );
}
