//! `dream link` and `dream sync`: linking projects to Prozorro tenders, and bringing every
//! linked tender up to date from the register, as revisions authored by the register.

use anyhow::Context;
use dream_domain::ProjectId;
use dream_registers::RegisterConfig;
use dream_registers::prozorro::projects::{link, sync_projects};
use dream_registers::prozorro::{PUBLIC_API, ProzorroClient};
use dream_store::Store;

/// Where the Prozorro API is and how politely to ask it.
#[derive(Debug, Clone, clap::Args)]
pub struct ProzorroArgs {
    /// The root of the Prozorro public API, such as https://public-api.prozorro.gov.ua/api/2.5.
    #[arg(long, env = "DREAM_PROZORRO_URL", default_value = PUBLIC_API)]
    pub prozorro_url: String,

    /// The most requests a second sent to Prozorro.
    #[arg(long, env = "DREAM_PROZORRO_RATE", default_value_t = 5.0)]
    pub prozorro_rate: f64,
}

impl ProzorroArgs {
    pub fn client(&self) -> anyhow::Result<ProzorroClient> {
        let config = RegisterConfig {
            requests_per_second: Some(self.prozorro_rate),
            ..RegisterConfig::new(self.prozorro_url.clone())
        };
        ProzorroClient::new(config).context("the Prozorro settings")
    }
}

#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// The DREAM project, such as DREAM-UA-030524-EE48E08C.
    project: String,
    /// The tender: its id (UA-2024-05-23-000123-a), Prozorro's internal id (32 hex digits)
    /// or a contract id (UA-2024-05-23-000123-a-a1).
    tender: String,
    /// Who links them, for the project's history.
    #[arg(long, default_value = "command line")]
    by: String,
}

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    register: SyncRegister,
}

#[derive(Debug, clap::Subcommand)]
enum SyncRegister {
    /// Fetch every linked tender from Prozorro and write what changed into its projects.
    Prozorro(ProzorroArgs),
}

pub async fn run_link(store: &Store, args: &LinkArgs) -> anyhow::Result<()> {
    let project = ProjectId::parse(&args.project).map_err(|e| anyhow::anyhow!("{e}"))?;
    let new = link(store, &project, &args.tender, &args.by).await?;
    if new {
        println!(
            "linked {project} to {}; `dream sync prozorro` brings the tender in",
            args.tender.trim()
        );
    } else {
        println!("{project} was already linked to {}", args.tender.trim());
    }
    Ok(())
}

pub async fn run_sync(store: &Store, args: &SyncArgs) -> anyhow::Result<()> {
    let SyncRegister::Prozorro(prozorro) = &args.register;
    let client = prozorro.client()?;
    let sync = sync_projects(store, &client).await?;
    if let Some(run) = &sync.run {
        println!(
            "Prozorro: {} new, {} changed, {} unchanged, {} failed; {} project revisions written",
            run.new, run.changed, run.unchanged, run.failed, sync.revisions
        );
        for line in &run.log {
            println!("  {line}");
        }
    }
    for waiting in &sync.unresolved {
        println!("  not fetched (only the public id is known; link the internal id): {waiting}");
    }
    Ok(())
}
