//! The Prozorro client against a local fake of the API that serves the recorded responses:
//! every record it reads, and every way the register can fail it.

mod support;

use std::time::Duration;

use dream_domain::codelist::ContractingStatus;
use dream_registers::RegisterError;
use dream_registers::prozorro::fake::{FakeProzorro, Fault};
use dream_registers::prozorro::mapping::{contract_from_json, plan_from_json, tender_from_json};
use dream_registers::prozorro::{ProzorroClient, ProzorroId};
use support::{fixture, quick_config};
use tokio::time::Instant;

const PRICE_QUOTATION: &str = "f2a340122e754b528c3f516d8e34de7a";
const ITS_CONTRACT: &str = "78fd8d7877d74b0dbc9c605462545e1c";

fn id(text: &str) -> ProzorroId {
    text.parse().unwrap()
}

async fn fake_with(kind: &str, internal_id: &str, name: &str) -> (FakeProzorro, ProzorroClient) {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put(kind, internal_id, fixture(name));
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    (fake, client)
}

#[tokio::test]
async fn every_recorded_tender_is_read_as_its_mapping_says() {
    let fake = FakeProzorro::start().await.unwrap();
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();
    let recordings = [
        ("tender-active.json", "5429c1a3494f4034839597408f6cde96"),
        (
            "tender-belowthreshold.json",
            "fa2e9cbf88314cb6ae4f240dacbb041f",
        ),
        ("tender-cancelled.json", "d083afc12b7747e5bd81d1d72a477b24"),
        ("tender-complete.json", "38bca89f7ba4477d97f553d576fd6994"),
        // Recorded with the same id as the complete tender; served under another.
        (
            "tender-unsuccessful.json",
            "38bca89f7ba4477d97f553d576fd6995",
        ),
        ("tender-reporting.json", "3f2cabf45461412fa1b382f25474ef88"),
        ("tender-pricequotation-complete.json", PRICE_QUOTATION),
    ];
    for (name, served_as) in recordings {
        let rewrite = vec![(
            "38bca89f7ba4477d97f553d576fd6994".to_owned(),
            served_as.to_owned(),
        )];
        fake.put_rewritten("tenders", served_as, fixture(name), rewrite);
    }

    for (name, served_as) in recordings {
        let fetched = client.fetch_tender(&id(served_as)).await.unwrap();
        let body = fixture(name).replace("38bca89f7ba4477d97f553d576fd6994", served_as);
        assert_eq!(
            fetched,
            tender_from_json(body.as_bytes()).unwrap(),
            "{name}"
        );
        assert_eq!(
            fake.request_count(&format!("/tenders/{served_as}")),
            1,
            "{name}"
        );
    }
}

#[tokio::test]
async fn contracts_and_plans_are_read_by_their_internal_ids() {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put("contracts", ITS_CONTRACT, fixture("contract.json"));
    fake.put(
        "contracts",
        "38891909c9274c02b0bdca60fa5d2260",
        fixture("contract-econtract-changes.json"),
    );
    fake.put(
        "plans",
        "cccb8928810c4bda97b1eabb9c4c4f9b",
        fixture("plan.json"),
    );
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let contract = client.fetch_contract(&id(ITS_CONTRACT)).await.unwrap();
    assert_eq!(
        contract,
        contract_from_json(fixture("contract.json").as_bytes()).unwrap()
    );
    let econtract = client
        .fetch_contract(&id("38891909c9274c02b0bdca60fa5d2260"))
        .await
        .unwrap();
    assert_eq!(
        econtract.contract.current_value().map(|m| m.amount_minor),
        Some(45_000)
    );

    let plan = client
        .fetch_plan(&id("cccb8928810c4bda97b1eabb9c4c4f9b"))
        .await
        .unwrap();
    assert_eq!(
        plan,
        plan_from_json(fixture("plan.json").as_bytes()).unwrap()
    );
    assert_eq!(plan.project.unwrap().as_str(), "DREAM-UA-030524-EE48E08C");
}

#[tokio::test]
async fn a_process_joins_the_tender_and_its_contracts_own_records() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    fake.put("contracts", ITS_CONTRACT, fixture("contract.json"));

    let process = client.fetch_process(&id(PRICE_QUOTATION)).await.unwrap();
    assert_eq!(process.status, ContractingStatus::Implementation);
    assert!(process.contracts[0].detailed);
    assert_eq!(
        process.contract_value().map(|m| m.amount_minor),
        Some(28_000)
    );
    assert_eq!(process.contracts[0].modifications.len(), 1);
    assert_eq!(fake.request_count(&format!("/contracts/{ITS_CONTRACT}")), 1);
}

#[tokio::test]
async fn an_unknown_id_is_not_found_at_once_without_retries() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let unknown = "0123456789abcdef0123456789abcdef";

    let error = client.fetch_tender(&id(unknown)).await.unwrap_err();
    assert_eq!(
        error,
        RegisterError::NotFound {
            url: format!("{}/tenders/{unknown}", fake.base_url())
        }
    );
    assert!(error.to_string().contains(&format!(
        "/tenders/{unknown}: the register has no such record"
    )));
    assert_eq!(fake.request_count(&format!("/tenders/{unknown}")), 1);
}

#[tokio::test]
async fn a_register_that_is_down_is_unreachable_after_the_retries() {
    // A port that was free a moment ago and has nobody listening on it now.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = ProzorroClient::new(quick_config(format!("http://{address}/api/2.5"))).unwrap();

    let started = Instant::now();
    let error = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap_err();
    let RegisterError::Unreachable {
        url,
        attempts,
        reason,
    } = &error
    else {
        panic!("expected unreachable, got {error:?}");
    };
    assert_eq!(
        url,
        &format!("http://{address}/api/2.5/tenders/{PRICE_QUOTATION}")
    );
    assert_eq!(*attempts, 3, "one try and two retries");
    assert!(reason.to_lowercase().contains("connect"), "{reason}");
    // Backoff of 10 ms, then 20 ms.
    assert!(started.elapsed() >= Duration::from_millis(30));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_register_slower_than_the_timeout_times_out() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    fake.fail_next(&path, vec![Fault::Delay(Duration::from_secs(3)); 3]);

    let started = Instant::now();
    let error = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap_err();
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
    assert!(error.to_string().contains(&path) && error.to_string().contains("500 ms"));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "gave up before the register answered"
    );
}

#[tokio::test]
async fn a_slow_answer_is_retried_and_then_read() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    fake.fail_next(&path, [Fault::Delay(Duration::from_secs(2))]);

    let process = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap();
    assert_eq!(process.internal_id.as_str(), PRICE_QUOTATION);
    assert_eq!(fake.request_count(&path), 2);
}

#[tokio::test]
async fn too_many_requests_waits_as_long_as_retry_after_says() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    fake.fail_next(
        &path,
        [Fault::TooManyRequests {
            retry_after_seconds: 1,
        }],
    );

    let process = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap();
    assert_eq!(process.internal_id.as_str(), PRICE_QUOTATION);
    let times = fake.request_times(&path);
    assert_eq!(times.len(), 2);
    // The backoff alone would have waited 10 ms.
    assert!(
        times[1] - times[0] >= Duration::from_millis(990),
        "{:?}",
        times[1] - times[0]
    );
}

#[tokio::test]
async fn a_register_that_keeps_limiting_the_rate_is_reported_as_such() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    fake.fail_next(
        &path,
        vec![
            Fault::TooManyRequests {
                retry_after_seconds: 0
            };
            3
        ],
    );

    let error = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::RateLimited { attempts: 3, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn server_errors_are_retried_until_the_retries_run_out() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    fake.fail_next(
        &path,
        [
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Status(500),
        ],
    );

    let error = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap_err();
    assert_eq!(
        error,
        RegisterError::ServerError {
            url: format!("{}{path}", fake.base_url()),
            status: 503,
            attempts: 3
        }
    );
    assert_eq!(fake.request_count(&path), 3);

    // One 500 is passed over by a retry.
    let process = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap();
    assert_eq!(process.internal_id.as_str(), PRICE_QUOTATION);
}

#[tokio::test]
async fn a_refusal_is_not_retried() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    fake.fail_next(&path, [Fault::Status(403)]);

    let error = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::Refused { status: 403, .. }),
        "{error:?}"
    );
    assert_eq!(fake.request_count(&path), 1);
}

#[tokio::test]
async fn malformed_json_is_its_own_error_and_names_the_address() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    fake.fail_next(&path, [Fault::Body("{\"data\": {\"id\": ".to_owned())]);

    let error = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap_err();
    let RegisterError::MalformedJson { url, .. } = &error else {
        panic!("expected malformed JSON, got {error:?}");
    };
    assert_eq!(url, &format!("{}{path}", fake.base_url()));
    assert!(error.to_string().contains("is not valid JSON"));
}

#[tokio::test]
async fn valid_json_that_is_not_a_tender_names_the_missing_field() {
    let (fake, client) = fake_with(
        "tenders",
        PRICE_QUOTATION,
        "tender-pricequotation-complete.json",
    )
    .await;
    let path = format!("/tenders/{PRICE_QUOTATION}");
    let without_id =
        fixture("tender-pricequotation-complete.json").replace("\"tenderID\"", "\"tenderId\"");
    fake.fail_next(&path, [Fault::Body(without_id)]);

    let error = client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap_err();
    let RegisterError::Invalid {
        path: field,
        message,
        ..
    } = &error
    else {
        panic!("expected an invalid record, got {error:?}");
    };
    assert_eq!(field, "data");
    assert!(message.contains("tenderID"), "{message}");
}

#[tokio::test]
async fn an_answer_about_another_tender_is_refused() {
    let fake = FakeProzorro::start().await.unwrap();
    let asked = "0123456789abcdef0123456789abcdef";
    fake.put(
        "tenders",
        asked,
        fixture("tender-pricequotation-complete.json"),
    );
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let error = client.fetch_tender(&id(asked)).await.unwrap_err();
    assert!(
        error.to_string().contains(&format!("asked for {asked}")),
        "{error}"
    );
}

#[tokio::test]
async fn requests_keep_the_configured_pace() {
    let fake = FakeProzorro::start().await.unwrap();
    fake.put(
        "tenders",
        PRICE_QUOTATION,
        fixture("tender-pricequotation-complete.json"),
    );
    let mut config = quick_config(fake.base_url());
    config.requests_per_second = Some(20.0);
    let client = ProzorroClient::new(config).unwrap();

    for _ in 0..5 {
        client.fetch_tender(&id(PRICE_QUOTATION)).await.unwrap();
    }
    let times = fake.request_times(&format!("/tenders/{PRICE_QUOTATION}"));
    // Five requests at 20 a second are sent 50 ms apart. The first also opens the
    // connection, so it reaches the fake later than it left; from the second on, the last
    // three intervals span 150 ms, less a little jitter in arrival (unpaced, a few ms).
    assert!(
        times[4] - times[1] >= Duration::from_millis(140),
        "{:?}",
        times[4] - times[1]
    );
}

#[tokio::test]
async fn the_feed_is_followed_to_an_empty_page_and_repeats_are_dropped() {
    let fake = FakeProzorro::start().await.unwrap();
    let first_offset = "1798754401.0.1.0c83243cbf195ce42c53e8755e94dcd3";
    fake.put_feed_page(None, fixture("tenders-feed-page.json"));
    // The second page repeats the last entry of the first, then brings two changes: a new
    // tender and a later change of a tender already seen.
    fake.put_feed_page(
        Some(first_offset),
        r#"{"data": [
            {"dateModified": "2027-01-01T00:00:01+02:00", "id": "fa2e9cbf88314cb6ae4f240dacbb041f"},
            {"dateModified": "2027-01-01T00:00:02+02:00", "id": "f2a340122e754b528c3f516d8e34de7a"},
            {"dateModified": "2027-01-01T00:00:03+02:00", "id": "94cd95f5e2034cdf9695a0f556b7cbb4"}
        ], "next_page": {"offset": "1798754403.0.1.ffff"}}"#,
    );
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let changes = client.changed_tenders(None).await.unwrap();
    let ids: Vec<(&str, &str)> = changes
        .items
        .iter()
        .map(|item| (item.id.as_str(), &item.date_modified[17..19]))
        .collect();
    assert_eq!(
        ids,
        [
            ("94cd95f5e2034cdf9695a0f556b7cbb4", "00"),
            ("fa2e9cbf88314cb6ae4f240dacbb041f", "01"),
            ("f2a340122e754b528c3f516d8e34de7a", "02"),
            ("94cd95f5e2034cdf9695a0f556b7cbb4", "03"),
        ]
    );
    assert_eq!(changes.repeats, 1);
    assert_eq!(changes.pages, 3, "two pages and the empty one");
    assert_eq!(
        changes.resume_offset.as_deref(),
        Some("1798754403.0.1.ffff")
    );

    // Resuming from there finds nothing new.
    let again = client
        .changed_tenders(changes.resume_offset.as_deref())
        .await
        .unwrap();
    assert!(again.items.is_empty());
    assert_eq!(again.resume_offset, changes.resume_offset);
}

#[tokio::test]
async fn a_feed_that_repeats_one_page_forever_is_left() {
    let fake = FakeProzorro::start().await.unwrap();
    let stuck = r#"{"data": [{"dateModified": "2027-01-01T00:00:00+02:00",
        "id": "94cd95f5e2034cdf9695a0f556b7cbb4"}], "next_page": {"offset": "17"}}"#;
    fake.put_feed_page(Some("17"), stuck);
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let changes = client.changed_tenders(Some("17")).await.unwrap();
    assert_eq!(changes.items.len(), 1);
    assert_eq!(changes.repeats, 1);
    assert_eq!(changes.pages, 2);
}

#[tokio::test]
async fn a_broken_feed_page_fails_with_its_address() {
    let fake = FakeProzorro::start().await.unwrap();
    fake.fail_next("/tenders", [Fault::Body("[1, 2".to_owned())]);
    let client = ProzorroClient::new(quick_config(fake.base_url())).unwrap();

    let error = client.changed_tenders(Some("5.0")).await.unwrap_err();
    assert!(
        matches!(error, RegisterError::MalformedJson { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.url(),
        format!("{}/tenders?opt_fields=tenderID&offset=5.0", fake.base_url())
    );
}
