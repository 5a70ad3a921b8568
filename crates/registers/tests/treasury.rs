//! The treasury connector against its local fake, and on SQLite or PostgreSQL: payments map
//! to exact kopiykas; a register that is down, slow, limiting the rate or answering broken
//! JSON fails with its own error; a sync makes a contract's payments the project's
//! transactions and sums its paid total again, as a revision by the treasury, and a rerun
//! with nothing new writes nothing.

mod support;

use std::time::{Duration, Instant};

use dream_domain::{Edrpou, ProjectId};
use dream_registers::RegisterError;
use dream_registers::fake::Fault;
use dream_registers::treasury::fake::{FakeTreasury, TRANSACTIONS};
use dream_registers::treasury::mapping::payments_from_json;
use dream_registers::treasury::projects::{AUTHOR, REGISTER};
use dream_registers::treasury::{TreasuryClient, link, sync_projects};
use dream_store::Store;
use dream_store::revisions::{Change, Entity};
use dream_store::testing::{fresh_store, sample_project};
use serde_json::{Value, json};
use support::quick_config;

const PAYER: &str = "04057287";
const CONTRACT: &str = "45/2024";
const FILE: &str = "transactions-04057287-45-2024.json";

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/treasury/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn edited(edit: impl FnOnce(&mut Vec<Value>)) -> String {
    let mut body: Vec<Value> = serde_json::from_str(&data(FILE)).unwrap();
    edit(&mut body);
    serde_json::to_string(&body).unwrap()
}

fn payer() -> Edrpou {
    Edrpou::parse(PAYER).unwrap()
}

async fn fake_with_payments() -> (FakeTreasury, TreasuryClient) {
    let fake = FakeTreasury::start().await.unwrap();
    fake.put_contract(PAYER, CONTRACT, data(FILE));
    fake.put_payer(PAYER, data(FILE));
    let client = TreasuryClient::new(quick_config(fake.base_url())).unwrap();
    (fake, client)
}

async fn linked_project(store: &Store) -> ProjectId {
    let change = Change {
        author: "Олена".into(),
        reason: "entry".into(),
    };
    let content = dream_domain::validation::from_json(sample_project()).unwrap();
    let project = store.create_project(content, &change).await.unwrap();
    assert!(
        link(store, &project.id, PAYER, CONTRACT, "Олена")
            .await
            .unwrap()
    );
    project.id
}

#[test]
fn payments_are_read_in_exact_kopiykas() {
    let payments = payments_from_json(data(FILE).as_bytes()).unwrap();
    assert_eq!(payments.len(), 3);
    assert_eq!(payments[0].id, "412877301");
    assert_eq!(payments[0].amount_minor, 75_000_000);
    assert_eq!(payments[1].amount_minor, 49_831_547);
    assert_eq!(payments[1].recipient_edrpou, "43267182");
    assert_eq!(payments[1].contract_number, None, "null is no number");
    assert_eq!(payments[0].contract_number.as_deref(), Some(CONTRACT));
    assert_eq!(payments[0].doc_date, time::macros::date!(2024 - 04 - 18));
}

#[test]
fn an_amount_that_disagrees_with_its_kopiykas_or_another_currency_is_refused() {
    let body = edited(|list| list[1]["amount_cop"] = json!(49_831_548));
    let error = payments_from_json(body.as_bytes()).unwrap_err();
    assert!(error.to_string().starts_with("[1].amount_cop:"), "{error}");

    let body = edited(|list| list[0]["currency"] = json!("EUR"));
    let error = payments_from_json(body.as_bytes()).unwrap_err();
    assert!(error.to_string().starts_with("[0].currency:"), "{error}");

    let body = edited(|list| {
        list[2]["amount_cop"] = Value::Null;
        list[2]["amount"] = json!(12480.005);
    });
    let error = payments_from_json(body.as_bytes()).unwrap_err();
    assert!(error.to_string().starts_with("[2].amount:"), "{error}");
}

#[tokio::test]
async fn a_contract_gets_only_its_own_payments() {
    let (_fake, client) = fake_with_payments().await;
    let all = client.by_payer(&payer()).await.unwrap();
    assert_eq!(all.len(), 3);
    let contract = client.by_contract(&payer(), CONTRACT).await.unwrap();
    let ids: Vec<&str> = contract.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["412877301", "413502118"],
        "contract 451/2024 is another contract"
    );
}

#[tokio::test]
async fn an_unknown_payer_is_not_found_at_once() {
    let (fake, client) = fake_with_payments().await;
    let unknown = Edrpou::parse("02056178").unwrap();
    let error = client.by_payer(&unknown).await.unwrap_err();
    assert!(matches!(error, RegisterError::NotFound { .. }), "{error:?}");
    assert_eq!(fake.register().request_count(TRANSACTIONS), 1);
}

#[tokio::test]
async fn a_register_that_is_down_is_unreachable_after_the_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = TreasuryClient::new(quick_config(format!("http://{address}/api/v2"))).unwrap();
    let error = client.by_contract(&payer(), CONTRACT).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::Unreachable { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains(
            "/api/v2/api/transactions/?payers_edrpous=04057287&contract_number=45%2F2024"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_register_slower_than_the_timeout_times_out() {
    let (fake, client) = fake_with_payments().await;
    fake.register()
        .fail_next(TRANSACTIONS, vec![Fault::Delay(Duration::from_secs(3)); 3]);
    let started = Instant::now();
    let error = client.by_contract(&payer(), CONTRACT).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::Timeout { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn too_many_requests_waits_as_long_as_retry_after_says() {
    let (fake, client) = fake_with_payments().await;
    fake.register().fail_next(
        TRANSACTIONS,
        [Fault::TooManyRequests {
            retry_after_seconds: 1,
        }],
    );
    let started = Instant::now();
    let payments = client.by_contract(&payer(), CONTRACT).await.unwrap();
    assert_eq!(payments.len(), 2);
    assert!(started.elapsed() >= Duration::from_millis(990));
}

#[tokio::test]
async fn malformed_json_is_its_own_error() {
    let (fake, client) = fake_with_payments().await;
    fake.register().fail_next(
        TRANSACTIONS,
        [Fault::Body(r#"[{"id": 412877301, "am"#.into())],
    );
    let error = client.by_contract(&payer(), CONTRACT).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::MalformedJson { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_link_needs_a_valid_payer_and_a_contract_number() {
    let db = fresh_store("treasury_link").await;
    let project = linked_project(&db.store).await;
    assert!(
        !link(&db.store, &project, PAYER, " 45/2024 ", "Олена")
            .await
            .unwrap(),
        "linking twice is one link"
    );
    assert!(
        link(&db.store, &project, "04057288", CONTRACT, "Олена")
            .await
            .is_err()
    );
    assert!(
        link(&db.store, &project, PAYER, "  ", "Олена")
            .await
            .is_err()
    );
    let elsewhere = ProjectId::parse("DREAM-UA-230524-1F0C9A7B").unwrap();
    assert!(
        link(&db.store, &elsewhere, PAYER, CONTRACT, "Олена")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn payments_become_the_projects_transactions_and_paid_total_as_a_revision() {
    let db = fresh_store("treasury_sync").await;
    let (_fake, client) = fake_with_payments().await;
    let project = linked_project(&db.store).await;

    let first = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!(
        (first.run.new, first.revisions),
        (1, 1),
        "{:?}",
        first.run.log
    );
    assert_eq!(
        db.store.project_paid_minor(&project).await.unwrap(),
        124_831_547
    );
    let transactions = db.store.project_transactions(&project).await.unwrap();
    assert_eq!(transactions.len(), 2);
    assert!(transactions[1].payment_details.contains("КБ-2в"));
    let history = db
        .store
        .revisions(Entity::Project, project.as_str(), None)
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.author, AUTHOR);
    assert!(
        last.reason.contains("2 new") && last.reason.contains("paid 1248315.47 UAH, was 0.00 UAH"),
        "{}",
        last.reason
    );
    let (stored, revision) = db.store.project(&project).await.unwrap();
    assert_eq!(revision, 2);
    assert_eq!(stored.updated, last.date);

    let again = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!((again.run.unchanged, again.revisions), (1, 0));
    let (_, unchanged_revision) = db.store.project(&project).await.unwrap();
    assert_eq!(
        unchanged_revision, 2,
        "a rerun with nothing new writes nothing"
    );
}

#[tokio::test]
async fn payments_that_change_between_syncs_give_an_exact_new_total() {
    let db = fresh_store("treasury_changes").await;
    let (fake, client) = fake_with_payments().await;
    let project = linked_project(&db.store).await;
    sync_projects(&db.store, &client).await.unwrap();

    // The advance is returned and paid again as a corrected amount, and a new payment
    // arrives; the old advance is gone from the register.
    fake.put_contract(
        PAYER,
        CONTRACT,
        edited(|list| {
            list[1]["amount"] = json!(498315.48);
            list[1]["amount_cop"] = json!(49_831_548);
            let mut new = list[1].clone();
            new["id"] = json!(414006671);
            new["doc_date"] = json!("2024-06-30");
            new["amount"] = json!(0.1);
            new["amount_cop"] = json!(10);
            list.remove(0);
            list.push(new);
        }),
    );
    let changed = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!((changed.run.changed, changed.revisions), (1, 1));
    assert!(
        changed.run.log[0].contains("1 new, 1 changed, 1 withdrawn"),
        "{:?}",
        changed.run.log
    );
    assert_eq!(
        db.store.project_paid_minor(&project).await.unwrap(),
        49_831_548 + 10
    );
    let ids: Vec<String> = db
        .store
        .project_transactions(&project)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.transaction_id)
        .collect();
    assert_eq!(ids, ["413502118", "414006671"]);
    let history = db
        .store
        .revisions(Entity::Project, project.as_str(), None)
        .await
        .unwrap();
    assert!(
        history
            .last()
            .unwrap()
            .reason
            .contains("paid 498315.58 UAH, was 1248315.47 UAH"),
        "{}",
        history.last().unwrap().reason
    );
}

#[tokio::test]
async fn a_register_that_fails_withdraws_nothing_and_the_run_says_why() {
    let db = fresh_store("treasury_down").await;
    let (fake, client) = fake_with_payments().await;
    let project = linked_project(&db.store).await;
    sync_projects(&db.store, &client).await.unwrap();

    fake.register()
        .fail_next(TRANSACTIONS, vec![Fault::Status(502); 3]);
    let down = sync_projects(&db.store, &client).await.unwrap();
    assert_eq!((down.run.failed, down.revisions), (1, 0));
    assert!(down.run.log[0].contains("502"), "{:?}", down.run.log);
    assert_eq!(
        db.store.project_paid_minor(&project).await.unwrap(),
        124_831_547
    );
    assert_eq!(db.store.sync_runs(REGISTER, 10).await.unwrap().len(), 2);
}
