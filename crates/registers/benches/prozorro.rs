//! How fast the Prozorro connector is, on this machine, with no network:
//! mapping 10,000 recorded tender responses (target: under 2 s), and a full sync of 10,000
//! linked tenders, each with a signed contract, from the local fake (target: under 60 s):
//! the fetching and comparing alone, then the whole `dream sync prozorro` into 10,000
//! projects of a SQLite file, each change a revision.
//!
//! Run with `cargo bench -p dream-registers --bench prozorro`.

use std::time::{Duration, Instant};

use dream_domain::ProjectId;
use dream_domain::project::{Project, ProjectContent};
use dream_registers::RegisterConfig;
use dream_registers::prozorro::fake::FakeProzorro;
use dream_registers::prozorro::mapping::tender_from_json;
use dream_registers::prozorro::projects::{link, sync_projects};
use dream_registers::prozorro::{LinkedTender, ProzorroClient, ProzorroId, sync_tenders};
use dream_store::Store;
use dream_store::projects::NewProject;
use dream_store::revisions::Change;
use dream_store::testing::sample_project;

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
    runtime.block_on(async {
        let fake = fake_register().await;
        bench_sync(&fake).await;
        bench_sync_into_projects(&fake).await;
    });
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

/// The internal id of the `n`th tender of the fake register.
fn tender_of(n: usize) -> String {
    format!("{:032x}", 0xbe00_0000_u64 + n as u64)
}

/// A fake register with 10,000 tenders, each with its own contract.
async fn fake_register() -> FakeProzorro {
    let fake = FakeProzorro::start().await.expect("the fake starts");
    let tender_body = fixture("tender-pricequotation-complete.json");
    let contract_body = fixture("contract.json");
    for n in 0..TENDERS {
        let tender = tender_of(n);
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
    }
    fake
}

fn client_of(fake: &FakeProzorro) -> ProzorroClient {
    let config = RegisterConfig {
        timeout: Duration::from_secs(5),
        requests_per_second: None,
        ..RegisterConfig::new(fake.base_url())
    };
    ProzorroClient::new(config).expect("a client")
}

/// Two syncs of every tender of the fake register: the first finds every tender new, the
/// second finds nothing changed.
async fn bench_sync(fake: &FakeProzorro) {
    let linked: Vec<LinkedTender> = (0..TENDERS)
        .map(|n| LinkedTender {
            internal_id: tender_of(n).parse::<ProzorroId>().expect("a valid id"),
            stored: None,
        })
        .collect();
    let client = client_of(fake);

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

/// The whole sync into projects: 10,000 projects in a SQLite file, each linked to one tender
/// of the fake register; the first sync writes a revision into each, the second none.
async fn bench_sync_into_projects(fake: &FakeProzorro) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", directory.path().join("bench.db").display());
    let store = Store::connect(&url).await.expect("the database opens");
    store.migrate().await.expect("the schema is made");
    let content: ProjectContent =
        dream_domain::validation::from_json(sample_project()).expect("the sample project is valid");
    let place = store
        .check_project(&content)
        .await
        .expect("its place exists");
    let now = time::OffsetDateTime::now_utc();
    let projects: Vec<NewProject> = (0..TENDERS)
        .map(|n| NewProject {
            project: Project {
                id: ProjectId::new(now.date(), n as u32),
                date: now,
                updated: now,
                status: Project::derive_status(false, content.status_details),
                content: content.clone(),
            },
            place: place.clone(),
        })
        .collect();
    let change = Change {
        author: "bench".into(),
        reason: "bench".into(),
    };
    let ids: Vec<ProjectId> = projects.iter().map(|p| p.project.id.clone()).collect();
    store
        .insert_projects(projects, &change)
        .await
        .expect("the projects are written");
    for (n, id) in ids.iter().enumerate() {
        link(&store, id, &tender_of(n), "bench")
            .await
            .expect("the link is made");
    }

    let client = client_of(fake);
    for round in ["all new", "none changed"] {
        let started = Instant::now();
        let sync = sync_projects(&store, &client).await.expect("the sync runs");
        println!(
            "sync into projects: {TENDERS} linked tenders, {round}: {:.2} s, {} project \
             revisions written (target < 60 s)",
            started.elapsed().as_secs_f64(),
            sync.revisions
        );
    }
}
