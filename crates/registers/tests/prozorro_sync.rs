//! Syncing linked tenders against the fake register: what is new, what changed between two
//! syncs, what did not, and what failed, with the stored processes left as they were.

mod support;

use dream_domain::codelist::ContractingStatus;
use dream_registers::RegisterError;
use dream_registers::prozorro::fake::{FakeProzorro, Fault};
use dream_registers::prozorro::{
    LinkedTender, ProzorroClient, ProzorroProcess, SyncOutcome, SyncReport, sync_tenders,
};
use serde_json::json;
use support::{fixture, fixture_json, quick_config};

const TENDER: &str = "f2a340122e754b528c3f516d8e34de7a";
const CONTRACT: &str = "78fd8d7877d74b0dbc9c605462545e1c";
const OTHER_TENDER: &str = "5429c1a3494f4034839597408f6cde96";

/// The recorded tender as it was before its contract was signed.
fn tender_awaiting_signature() -> String {
    let mut body = fixture_json("tender-pricequotation-complete.json");
    body["data"]["status"] = json!("active.awarded");
    body["data"]["contracts"][0]["status"] = json!("pending");
    body.to_string()
}

/// What a caller keeps between syncs: the stored process of each linked tender.
fn linked(ids: &[&str], stored: &[ProzorroProcess]) -> Vec<LinkedTender> {
    ids.iter()
        .map(|id| LinkedTender {
            internal_id: id.parse().unwrap(),
            stored: stored
                .iter()
                .find(|p| p.internal_id.as_str() == *id)
                .cloned(),
        })
        .collect()
}

fn store(stored: &mut Vec<ProzorroProcess>, report: &SyncReport) {
    for process in report.to_store() {
        stored.retain(|p| p.internal_id != process.internal_id);
        stored.push(process.clone());
    }
}

#[tokio::test]
async fn a_tender_whose_status_and_contract_change_between_two_syncs_is_reported_changed() {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put("tenders", TENDER, tender_awaiting_signature());
    fake.put("tenders", OTHER_TENDER, fixture("tender-active.json"));
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    let ids = [TENDER, OTHER_TENDER];
    let mut stored = Vec::new();

    // First sync: both new; the pending contract has no record of its own yet (404).
    let first = sync_tenders(&client, &linked(&ids, &stored), 4).await;
    assert_eq!(first.counts().new, 2);
    let SyncOutcome::New(process) = &first.entries[0].outcome else {
        panic!("expected new, got {:?}", first.entries[0].outcome);
    };
    assert_eq!(process.status, ContractingStatus::Preparation);
    assert_eq!(process.to_contracting_process().contract_value, None);
    store(&mut stored, &first);

    // The register did not change: nothing to write.
    let second = sync_tenders(&client, &linked(&ids, &stored), 4).await;
    assert_eq!(second.counts().unchanged, 2, "{:?}", second.entries);
    assert_eq!(second.to_store().count(), 0);

    // The contract is signed, at a value amended since the award.
    fake.put(
        "tenders",
        TENDER,
        fixture("tender-pricequotation-complete.json"),
    );
    fake.put("contracts", CONTRACT, fixture("contract.json"));
    let third = sync_tenders(&client, &linked(&ids, &stored), 4).await;
    assert_eq!(third.counts().changed, 1);
    assert_eq!(third.counts().unchanged, 1);
    let SyncOutcome::Changed {
        previous,
        current,
        fields,
    } = &third.entries[0].outcome
    else {
        panic!("expected changed, got {:?}", third.entries[0].outcome);
    };
    assert_eq!(fields, &["tenderStatus", "status", "contracts"]);
    assert_eq!(previous.status, ContractingStatus::Preparation);
    assert_eq!(current.status, ContractingStatus::Implementation);
    let domain = current.to_contracting_process();
    assert_eq!(domain.contract_value.map(|m| m.amount_minor), Some(28_000));
    assert!(domain.date_signed.is_some());
    store(&mut stored, &third);

    // And again nothing, however often it runs.
    let fourth = sync_tenders(&client, &linked(&ids, &stored), 1).await;
    assert_eq!(fourth.counts().unchanged, 2);
}

#[tokio::test]
async fn a_tender_that_fails_is_reported_with_its_reason_and_the_others_go_on() {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put("tenders", OTHER_TENDER, fixture("tender-active.json"));
    let missing = "0123456789abcdef0123456789abcdef";
    let broken = "fa2e9cbf88314cb6ae4f240dacbb041f";
    fake.put("tenders", broken, fixture("tender-belowthreshold.json"));
    fake.fail_next(
        &format!("/tenders/{broken}"),
        [Fault::Body("not json".into())],
    );
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let report = sync_tenders(&client, &linked(&[missing, OTHER_TENDER, broken], &[]), 2).await;
    let counts = report.counts();
    assert_eq!((counts.new, counts.failed), (1, 2));
    assert!(matches!(
        &report.entries[0].outcome,
        SyncOutcome::Failed(RegisterError::NotFound { .. })
    ));
    assert!(matches!(report.entries[1].outcome, SyncOutcome::New(_)));
    let SyncOutcome::Failed(error) = &report.entries[2].outcome else {
        panic!("expected failed, got {:?}", report.entries[2].outcome);
    };
    assert!(
        error
            .to_string()
            .contains(&format!("/tenders/{broken}: the body is not valid JSON"))
    );
    assert_eq!(report.to_store().count(), 1);
}

#[tokio::test]
async fn an_active_contract_whose_record_is_missing_fails_the_tender() {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put(
        "tenders",
        TENDER,
        fixture("tender-pricequotation-complete.json"),
    );
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let report = sync_tenders(&client, &linked(&[TENDER], &[]), 1).await;
    let SyncOutcome::Failed(error) = &report.entries[0].outcome else {
        panic!("expected failed, got {:?}", report.entries[0].outcome);
    };
    assert!(
        error.url().ends_with(&format!("/contracts/{CONTRACT}")),
        "{error}"
    );
}

#[tokio::test]
async fn a_sync_can_run_as_a_background_task() {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put("tenders", OTHER_TENDER, fixture("tender-active.json"));
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    let tenders = linked(&[OTHER_TENDER], &[]);

    // A scheduler runs the sync on its own task, which needs a future that is Send.
    let report = tokio::spawn(async move { sync_tenders(&client, &tenders, 2).await })
        .await
        .unwrap();
    assert_eq!(report.counts().new, 1);
}
