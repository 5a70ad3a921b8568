//! `dream seed`: fills the database with generated demo data, written in batches of a
//! thousand projects, each batch in a few transactions, so that 100,000 projects load in
//! well under a minute. The data comes from `dream_demo`; the same seed gives the same data.

use std::time::Instant;

use anyhow::Context;
use dream_demo::{DemoData, Generator};
use dream_store::calls::{StoredApplication, StoredDecision};
use dream_store::projects::NewProject;
use dream_store::revisions::Change;
use dream_store::timestamp::Timestamp;
use dream_store::{Store, StoreError};

/// Projects generated and written together.
const BATCH: usize = 1000;

#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// How many projects to add.
    #[arg(long, default_value_t = 1000)]
    pub projects: usize,

    /// The seed of the generator: the same seed gives the same data. Use another seed to
    /// add more projects to a database that already holds one seed's.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub async fn run(store: &Store, args: &SeedArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let hromadas = store.hromadas().await?;
    let today = time::OffsetDateTime::now_utc().date();
    let mut generator = Generator::new(args.seed, &hromadas, today);
    let change = Change {
        author: "dream seed".into(),
        reason: format!("demo data, seed {}", args.seed),
    };

    // The calls come before any project can apply to them; a registry seeded before with
    // another seed already has them.
    let calls_written = batch_calls(store, &generator).await?;

    let mut written = 0;
    while written < args.projects {
        let mut batch = generator.next_batch(BATCH.min(args.projects - written));
        written += batch.projects.len();
        if !calls_written {
            batch.applications.clear();
        }
        write_batch(store, batch, &change).await.with_context(|| {
            format!(
                "cannot write demo data of seed {}; if it is already loaded, use another --seed",
                args.seed
            )
        })?;
    }
    store.fold_tallies().await?;
    store.analyze().await?;
    tracing::info!(
        seed.projects = written,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "seeded {written} demo projects in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Publishes the demo's calls for proposals unless the registry has them; says whether the
/// calls in the registry are the demo's own, so that its applications may be written.
async fn batch_calls(store: &Store, generator: &Generator) -> anyhow::Result<bool> {
    for call in generator.calls() {
        match store.create_call(call, "dream seed").await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                let stored = store.call(&call.id.0).await?;
                if stored.call.ministry != call.ministry {
                    tracing::warn!(call.id = %call.id.0,
                        "call {} is not the demo's; demo applications are left out", call.id.0);
                    return Ok(false);
                }
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(true)
}

async fn write_batch(store: &Store, batch: DemoData, change: &Change) -> anyhow::Result<()> {
    let mut organisations = Vec::with_capacity(batch.organisations.len());
    for organisation in batch.organisations {
        if !store.organisation_exists(&organisation.id).await? {
            let oblast = store
                .territory(&organisation.content.territory)
                .await?
                .oblast
                .to_string();
            organisations.push((organisation, oblast));
        }
    }
    store.insert_organisations(&organisations, change).await?;

    let objects: Vec<_> = batch
        .objects
        .into_iter()
        .map(|(object, place)| (object, place.oblast.to_string()))
        .collect();
    store.insert_objects(&objects, change).await?;

    let projects = batch
        .projects
        .into_iter()
        .map(|(project, place)| NewProject { project, place })
        .collect();
    store.insert_projects(projects, change).await?;

    let applications: Vec<_> = batch
        .applications
        .into_iter()
        .map(|demo| {
            let decision = demo.decision.map(|(verdict, reason)| StoredDecision {
                verdict,
                reason: Some(reason),
                decided_at: Timestamp(demo.decided),
                decided_by: change.author.clone(),
            });
            let stored = StoredApplication {
                application: demo.application,
                decision,
            };
            (demo.call, stored)
        })
        .collect();
    store.insert_applications(&applications).await?;
    Ok(())
}
