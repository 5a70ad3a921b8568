//! How fast the Prozorro connector is, on this machine, with no network:
//! mapping 10,000 recorded tender responses (target: under 2 s), and a full sync of 10,000
//! linked tenders, each with a signed contract, from the local fake (target: under 60 s).
//!
//! Run with `cargo bench -p dream-registers --bench prozorro`.

use std::time::{Duration, Instant};

use dream_registers::RegisterConfig;
use dream_registers::prozorro::fake::FakeProzorro;
use dream_registers::prozorro::mapping::tender_from_json;
use dream_registers::prozorro::{LinkedTender, ProzorroClient, ProzorroId, sync_tenders};

const TENDERS: usize = 10_000;
const RECORDINGS: [&str; 7] = [
    "tender-active.json",
    "tender-belowthreshold.json",
    "tender-cancelled.json",
    "tender-complete.json",
    "tender-unsuccessful.json",
    "tender-reporting.json",
    "tender-pricequotation-complete.json",
];
const TEMPLATE_TENDER: &str = "f2a340122e754b528c3f516d8e34de7a";
const TEMPLATE_CONTRACT: &str = "78fd8d7877d74b0dbc9c605462545e1c";
const TEMPLATE_TENDER_ID: &str = "UA-2027-01-01-000001-a";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/prozorro/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn main() {
    bench_mapping();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(bench_sync());
}

/// Ten thousand distinct bodies, the seven recordings in turn, each with its own tender id.
fn bench_mapping() {
    let recordings: Vec<String> = RECORDINGS.iter().map(|name| fixture(name)).collect();
    let bodies: Vec<Vec<u8>> = (0..TENDERS)
        .map(|n| {
            let own_id = format!("UA-2027-01-01-{:06}-a", n + 1);
            recordings[n % recordings.len()]
                .replace(TEMPLATE_TENDER_ID, &own_id)
                .into_bytes()
        })
        .collect();
    let megabytes = bodies.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;

    let started = Instant::now();
    let mut mapped = 0;
    for body in &bodies {
        let process = tender_from_json(body).expect("every recording maps");
        std::hint::black_box(process.to_contracting_process());
        mapped += 1;
    }
    let from_bytes = started.elapsed();

    println!(
        "mapping: {mapped} tender responses ({megabytes:.0} MB) in {:.3} s (target < 2 s)",
        from_bytes.as_secs_f64()
    );
}

/// A fake register with 10,000 tenders and their contracts, then two syncs of all of them:
/// the first finds every tender new, the second finds nothing changed.
async fn bench_sync() {
    let fake = FakeProzorro::start().await.expect("the fake starts");
    let tender_body = fixture("tender-pricequotation-complete.json");
    let contract_body = fixture("contract.json");
    let mut linked = Vec::with_capacity(TENDERS);
    for n in 0..TENDERS {
        let tender = format!("{:032x}", 0xbe00_0000_u64 + n as u64);
        let contract = format!("{:032x}", 0xc000_0000_u64 + n as u64);
        let rewrite = vec![
            (TEMPLATE_TENDER.to_owned(), tender.clone()),
            (TEMPLATE_CONTRACT.to_owned(), contract.clone()),
            (
                TEMPLATE_TENDER_ID.to_owned(),
                format!("UA-2027-01-01-{:06}-a", n + 1),
            ),
        ];
        fake.put_rewritten("tenders", &tender, tender_body.as_str(), rewrite.clone());
        fake.put_rewritten("contracts", &contract, contract_body.as_str(), rewrite);
        let internal_id: ProzorroId = tender.parse().expect("a valid id");
        linked.push(LinkedTender {
            internal_id,
            stored: None,
        });
    }

    let config = RegisterConfig {
        timeout: Duration::from_secs(5),
        requests_per_second: None,
        ..RegisterConfig::new(fake.base_url())
    };
    let client = ProzorroClient::new(config).expect("a client");

    for concurrency in [8, 1] {
        let first = sync_tenders(&client, &linked, concurrency).await;
        let counts = first.counts();
        assert_eq!(counts.new, TENDERS, "every tender is new: {counts:?}");

        let stored: Vec<LinkedTender> = linked
            .iter()
            .zip(first.to_store())
            .map(|(tender, process)| LinkedTender {
                internal_id: tender.internal_id.clone(),
                stored: Some(process.clone()),
            })
            .collect();
        let second = sync_tenders(&client, &stored, concurrency).await;
        assert_eq!(second.counts().unchanged, TENDERS);

        println!(
            "sync: {TENDERS} linked tenders with a contract each ({} requests), {concurrency} \
             at a time: {:.2} s when all are new, {:.2} s when none changed (target < 60 s)",
            TENDERS * 2,
            first.duration.as_secs_f64(),
            second.duration.as_secs_f64()
        );
    }
}
