//! `dream link`, `dream link-damage`, `dream link-payments`, `dream sync` and
//! `dream conflicts`: linking projects to Prozorro tenders and treasury payments and objects
//! to damage records, bringing what is linked up to date from each register as revisions
//! authored by the register, and resolving where a register disagrees with a person.

use anyhow::Context;
use dream_domain::{Edrpou, ObjectId, ProjectId};
use dream_registers::RegisterConfig;
use dream_registers::conflicts::{Choice, resolve};
use dream_registers::prozorro::feeds::follow_feeds;
use dream_registers::prozorro::projects::{link, sync_projects};
use dream_registers::prozorro::{PUBLIC_API, ProzorroClient};
use dream_registers::{edr, rddp, treasury};
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

/// Where the EDR API is and how politely to ask it.
#[derive(Debug, Clone, clap::Args)]
pub struct EdrArgs {
    /// The root of the EDR API (NAIS), such as https://zqedr-api.nais.gov.ua/1.0.
    #[arg(long, env = "DREAM_EDR_URL", default_value = edr::PUBLIC_API)]
    pub edr_url: String,

    /// The most requests a second sent to the EDR.
    #[arg(long, env = "DREAM_EDR_RATE", default_value_t = 2.0)]
    pub edr_rate: f64,

    /// The access token NAIS grants for the EDR API; sent as `Authorization: Token …`.
    #[arg(long, env = "DREAM_EDR_TOKEN", hide_env_values = true)]
    pub edr_token: Option<String>,
}

/// The header NAIS asks for, from the token it grants.
fn edr_authorization(edr: &EdrArgs) -> Option<String> {
    edr.edr_token
        .as_deref()
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(|token| format!("Token {token}"))
}

/// Where the Register of Damaged and Destroyed Property is and how politely to ask it.
#[derive(Debug, Clone, clap::Args)]
pub struct RddpArgs {
    /// The root of the register's API; it publishes none, so set the one its holder grants.
    #[arg(long, env = "DREAM_RDDP_URL", default_value = rddp::PUBLIC_API)]
    pub rddp_url: String,

    /// The most requests a second sent to the register.
    #[arg(long, env = "DREAM_RDDP_RATE", default_value_t = 2.0)]
    pub rddp_rate: f64,

    /// The `Authorization` header value the register's holder grants, sent as it is.
    #[arg(long, env = "DREAM_RDDP_AUTHORIZATION", hide_env_values = true)]
    pub rddp_authorization: Option<String>,
}

/// Where the treasury's transactions register is and how politely to ask it.
#[derive(Debug, Clone, clap::Args)]
pub struct TreasuryArgs {
    /// The root of the public-finance portal's API, such as https://api.spending.gov.ua/api/v2.
    #[arg(long, env = "DREAM_TREASURY_URL", default_value = treasury::PUBLIC_API)]
    pub treasury_url: String,

    /// The most requests a second sent to the treasury.
    #[arg(long, env = "DREAM_TREASURY_RATE", default_value_t = 1.0)]
    pub treasury_rate: f64,
}

fn config(url: &str, rate: f64, authorization: Option<String>) -> RegisterConfig {
    RegisterConfig {
        requests_per_second: Some(rate),
        authorization,
        ..RegisterConfig::new(url)
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
struct ProzorroSyncArgs {
    #[command(flatten)]
    prozorro: ProzorroArgs,
    /// Follow the tenders and plans change feeds from where the last walk ended: fetch only
    /// the linked tenders that changed (and those never fetched), and link the projects that
    /// plans name. This is what `serve` runs on its schedule.
    #[arg(long)]
    feed: bool,
    /// With `--feed`, read the feeds from this moment (RFC 3339, such as
    /// 2026-11-01T00:00:00Z) instead of where the last walk ended.
    #[arg(long, requires = "feed")]
    since: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    register: SyncRegister,
}

#[derive(Debug, clap::Subcommand)]
enum SyncRegister {
    /// Fetch every linked tender from Prozorro and write what changed into its projects;
    /// with `--feed`, follow Prozorro's change feeds instead.
    Prozorro(ProzorroSyncArgs),
    /// Fetch the EDR record of every organisation (or of `--code`) and hold its names
    /// against it; a name a person entered is kept and a disagreement becomes a conflict.
    Edr(EdrSyncArgs),
    /// Fetch every linked damage record and hold its object's address against it.
    Rddp(RddpArgs),
    /// Fetch the payments of every linked contract and write each project's transactions
    /// and paid total.
    Treasury(TreasuryArgs),
}

#[derive(Debug, clap::Args)]
struct EdrSyncArgs {
    #[command(flatten)]
    edr: EdrArgs,
    /// Only these EDRPOU codes, registered or not; repeat for several.
    #[arg(long)]
    code: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct LinkDamageArgs {
    /// The object, by its id.
    object: String,
    /// The record in the Register of Damaged and Destroyed Property, such as
    /// RDDP-2023-004512.
    record: String,
    /// Who links them, for the object's history.
    #[arg(long, default_value = "command line")]
    by: String,
}

#[derive(Debug, clap::Args)]
pub struct LinkPaymentsArgs {
    /// The DREAM project, such as DREAM-UA-030524-EE48E08C.
    project: String,
    /// The EDRPOU code of the body that pays under the contract.
    payer: String,
    /// The contract's number as the treasury writes it, such as 45/2024.
    contract: String,
    /// Who links them.
    #[arg(long, default_value = "command line")]
    by: String,
}

#[derive(Debug, clap::Args)]
pub struct ConflictsArgs {
    #[command(subcommand)]
    action: Option<ConflictAction>,
}

#[derive(Debug, clap::Subcommand)]
enum ConflictAction {
    /// List the conflicts waiting for a person (the default).
    List {
        /// Only this register's: edr or rddp.
        #[arg(long)]
        register: Option<String>,
    },
    /// Keep the value in DREAM; the register is not asked about this value again.
    Keep {
        id: String,
        #[arg(long, default_value = "command line")]
        by: String,
    },
    /// Take the register's value, as a revision by `--by`.
    Take {
        id: String,
        #[arg(long, default_value = "command line")]
        by: String,
    },
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
    let report = match &args.register {
        SyncRegister::Prozorro(args) if args.feed => {
            let since = match &args.since {
                Some(text) => Some(
                    time::OffsetDateTime::parse(
                        text,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .with_context(|| format!("--since {text:?} is not an RFC 3339 moment"))?,
                ),
                None => None,
            };
            follow_prozorro_feeds(store, &args.prozorro, since).await?
        }
        SyncRegister::Prozorro(args) => sync_prozorro(store, &args.prozorro).await?,
        SyncRegister::Edr(args) => sync_edr(store, &args.edr, &args.code).await?,
        SyncRegister::Rddp(args) => sync_rddp(store, args).await?,
        SyncRegister::Treasury(args) => sync_treasury(store, args).await?,
    };
    for line in report {
        println!("{line}");
    }
    Ok(())
}

/// The registers a sync brings linked records in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Prozorro,
    Edr,
    Rddp,
    Treasury,
}

impl Register {
    /// The name `dream sync` takes, such as `prozorro`.
    pub fn name(self) -> &'static str {
        match self {
            Register::Prozorro => "prozorro",
            Register::Edr => "edr",
            Register::Rddp => "rddp",
            Register::Treasury => "treasury",
        }
    }
}

/// Where every register is, for the syncs `serve` runs as jobs.
#[derive(Debug, Clone, clap::Args)]
pub struct RegistersArgs {
    #[command(flatten)]
    pub prozorro: ProzorroArgs,
    #[command(flatten)]
    pub edr: EdrArgs,
    #[command(flatten)]
    pub rddp: RddpArgs,
    #[command(flatten)]
    pub treasury: TreasuryArgs,
}

impl RegistersArgs {
    /// Syncs every linked record of `register`, as `dream sync` does, and returns its
    /// report: the first line sums it up, the others say what changed and what failed.
    pub async fn sync(&self, store: &Store, register: Register) -> anyhow::Result<Vec<String>> {
        match register {
            Register::Prozorro => follow_prozorro_feeds(store, &self.prozorro, None).await,
            Register::Edr => sync_edr(store, &self.edr, &[]).await,
            Register::Rddp => sync_rddp(store, &self.rddp).await,
            Register::Treasury => sync_treasury(store, &self.treasury).await,
        }
    }
}

async fn sync_prozorro(store: &Store, prozorro: &ProzorroArgs) -> anyhow::Result<Vec<String>> {
    let client = prozorro.client()?;
    let sync = sync_projects(store, &client).await?;
    let mut report = Vec::new();
    if let Some(run) = &sync.run {
        report.push(format!(
            "Prozorro: {} new, {} changed, {} unchanged, {} failed; {} project revisions \
             written, {} conflicts waiting (`dream conflicts`)",
            run.new, run.changed, run.unchanged, run.failed, sync.revisions, sync.conflicts
        ));
        report.extend(run.log.iter().map(|line| format!("  {line}")));
    }
    for waiting in &sync.unresolved {
        report.push(format!(
            "  not fetched (only the public id is known; link the internal id): {waiting}"
        ));
    }
    Ok(report)
}

/// Follows Prozorro's change feeds from `since` or from where the last walk ended.
async fn follow_prozorro_feeds(
    store: &Store,
    prozorro: &ProzorroArgs,
    since: Option<time::OffsetDateTime>,
) -> anyhow::Result<Vec<String>> {
    let client = prozorro.client()?;
    let walk = follow_feeds(store, &client, since).await?;
    let mut report = vec![format!(
        "Prozorro feeds: {} tender changes, {} plan changes; {} links made by plans, {} links \
         by public id resolved; {} project revisions written",
        walk.tender_changes,
        walk.plan_changes,
        walk.linked_by_plans.len(),
        walk.resolved,
        walk.sync.revisions
    )];
    report.extend(walk.linked_by_plans.iter().map(|line| format!("  {line}")));
    report.extend(walk.failures.iter().map(|line| format!("  failed: {line}")));
    if let Some(run) = &walk.sync.run {
        report.extend(run.log.iter().map(|line| format!("  {line}")));
    }
    Ok(report)
}

/// Syncs the organisations of `codes`, or every organisation when there are none.
async fn sync_edr(store: &Store, edr: &EdrArgs, codes: &[String]) -> anyhow::Result<Vec<String>> {
    let codes = if codes.is_empty() {
        None
    } else {
        let codes: Result<Vec<Edrpou>, _> = codes.iter().map(|c| Edrpou::parse(c)).collect();
        Some(codes.map_err(|e| anyhow::anyhow!("--code: {e}"))?)
    };
    let client = edr::EdrClient::new(config(&edr.edr_url, edr.edr_rate, edr_authorization(edr)))
        .context("the EDR settings")?;
    let sync = edr::sync_organisations(store, &client, codes).await?;
    let mut report = run_report("EDR", &sync.run);
    report.push(format!(
        "  {} organisation fields written, {} conflicts waiting (`dream conflicts`)",
        sync.written, sync.conflicts
    ));
    Ok(report)
}

async fn sync_rddp(store: &Store, args: &RddpArgs) -> anyhow::Result<Vec<String>> {
    let client = rddp::RddpClient::new(config(
        &args.rddp_url,
        args.rddp_rate,
        args.rddp_authorization.clone(),
    ))
    .context("the RDDP settings")?;
    let sync = rddp::sync_objects(store, &client).await?;
    let mut report = run_report("RDDP", &sync.run);
    report.push(format!(
        "  {} object addresses written, {} conflicts waiting",
        sync.written, sync.conflicts
    ));
    Ok(report)
}

async fn sync_treasury(store: &Store, args: &TreasuryArgs) -> anyhow::Result<Vec<String>> {
    let settings = config(&args.treasury_url, args.treasury_rate, None);
    let client = treasury::TreasuryClient::new(settings).context("the treasury settings")?;
    let sync = treasury::sync_projects(store, &client).await?;
    let mut report = run_report("Treasury", &sync.run);
    report.push(format!("  {} project revisions written", sync.revisions));
    Ok(report)
}

/// The counts of a run on one line, then its log, one line for each record.
fn run_report(register: &str, run: &dream_store::registers::SyncRun) -> Vec<String> {
    let counts = format!(
        "{register}: {} new, {} changed, {} unchanged, {} failed",
        run.new, run.changed, run.unchanged, run.failed
    );
    let lines = run.log.iter().map(|line| format!("  {line}"));
    std::iter::once(counts).chain(lines).collect()
}

pub async fn run_link_damage(store: &Store, args: &LinkDamageArgs) -> anyhow::Result<()> {
    let object: ObjectId = serde_json::from_value(serde_json::json!(args.object.trim()))
        .map_err(|_| anyhow::anyhow!("{:?} is not an object id", args.object))?;
    if rddp::link(store, &object, &args.record, &args.by).await? {
        println!(
            "linked object {object} to damage record {}; `dream sync rddp` brings it in",
            args.record.trim()
        );
    } else {
        println!(
            "object {object} was already linked to {}",
            args.record.trim()
        );
    }
    Ok(())
}

pub async fn run_link_payments(store: &Store, args: &LinkPaymentsArgs) -> anyhow::Result<()> {
    let project = ProjectId::parse(&args.project).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (payer, contract) = (args.payer.trim(), args.contract.trim());
    if treasury::link(store, &project, payer, contract, &args.by).await? {
        println!(
            "linked {project} to the payments of {payer} under contract {contract}; \
             `dream sync treasury` brings them in"
        );
    } else {
        println!("{project} was already linked to contract {contract} of {payer}");
    }
    Ok(())
}

pub async fn run_conflicts(store: &Store, args: &ConflictsArgs) -> anyhow::Result<()> {
    let (id, choice, by) = match &args.action {
        None => return list_conflicts(store, None).await,
        Some(ConflictAction::List { register }) => {
            return list_conflicts(store, register.as_deref()).await;
        }
        Some(ConflictAction::Keep { id, by }) => (id, Choice::Keep, by),
        Some(ConflictAction::Take { id, by }) => (id, Choice::Take, by),
    };
    let conflict = resolve(store, id, choice, by).await?;
    println!(
        "resolved: {} {} {}",
        conflict.register, conflict.record_key, conflict.field
    );
    Ok(())
}

async fn list_conflicts(store: &Store, register: Option<&str>) -> anyhow::Result<()> {
    let conflicts = store.open_conflicts(register).await?;
    if conflicts.is_empty() {
        println!("no conflicts are waiting");
    }
    for conflict in conflicts {
        println!(
            "{}  {} {} {}  since {}\n  DREAM:    {}\n  register: {}",
            conflict.id,
            conflict.register,
            conflict.record_key,
            conflict.field,
            dream_domain::timestamp::format(conflict.first_seen.0),
            conflict.our_value.as_deref().unwrap_or("(nothing)"),
            conflict.register_value
        );
    }
    Ok(())
}
