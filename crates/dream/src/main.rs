//! `dream`: the one program of DREAM. It migrates the database, loads demo data and serves
//! the registry over HTTP. Run `dream --help` for the commands and their settings.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use dream_files::{FileStore, S3Settings};
use dream_opendata::bulk;
use dream_store::Store;
use dream_web::AppState;
use worker::Worker;

mod accounts;
mod export;
mod jobs;
mod registers;
mod seed;
mod worker;

/// DREAM: every reconstruction project in Ukraine, from a community's idea to a
/// commissioned building, in one open registry.
#[derive(Debug, Parser)]
#[command(name = "dream", version)]
struct Cli {
    /// The database: a SQLite file (created when missing) or a PostgreSQL server.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://dream.db",
        global = true
    )]
    database_url: String,

    /// How logs are written: `text` for people, `json` for log collectors.
    #[arg(long, env = "DREAM_LOG_FORMAT", default_value = "text", global = true)]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the registry over HTTP (migrating the database first).
    Serve(Box<ServeArgs>),
    /// Bring the database schema up to date and load the KATOTTG codifier.
    Migrate,
    /// Add generated, realistic demo data: organisations, objects and projects.
    Seed(seed::SeedArgs),
    /// Write every project as open data: `dream export oc4ids --out projects.json`.
    Export(export::ExportArgs),
    /// Publish the bulk open-data files (OC4IDS, CSV and XLSX, with SHA-256 sums) to the
    /// file store.
    Publish(PublishArgs),
    /// Create accounts and print their invitation or password-reset links.
    Users(accounts::UsersArgs),
    /// Create API tokens for accounts.
    Tokens(accounts::TokensArgs),
    /// Link a project to a Prozorro tender.
    Link(registers::LinkArgs),
    /// Link an object to its record in the Register of Damaged and Destroyed Property.
    LinkDamage(registers::LinkDamageArgs),
    /// Link a project to the treasury payments of a payer under a contract.
    LinkPayments(registers::LinkPaymentsArgs),
    /// Bring linked records up to date from a register:
    /// `dream sync prozorro|edr|rddp|treasury`.
    Sync(registers::SyncArgs),
    /// List the latest background jobs (syncs, publishing) with their status, attempts and
    /// errors, or queue one: `dream jobs enqueue sync.prozorro`.
    Jobs(jobs::JobsArgs),
    /// List or resolve where a register disagrees with a value a person entered.
    Conflicts(registers::ConflictsArgs),
    /// Check an OC4IDS project package file as the official OC4IDS validator does; exits 0
    /// without schema errors, 1 with schema errors, 2 when the file cannot be read.
    Validate(ValidateArgs),
}

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    /// The OC4IDS 0.9.5 project package to check.
    file: PathBuf,

    /// Print the whole report as JSON, in the shape of the official validator's result.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "DREAM_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,

    /// A read replica of the database (a PostgreSQL streaming replica) that answers readers
    /// without an account; writes and signed-in readers stay on DATABASE_URL.
    #[arg(long, env = "DATABASE_READ_URL", hide_env_values = true)]
    database_read_url: Option<String>,

    /// Fill an empty database with demo projects before serving.
    #[arg(long, env = "DREAM_DEMO")]
    demo: bool,

    /// How many demo projects `--demo` creates.
    #[arg(long, env = "DREAM_DEMO_PROJECTS", default_value_t = 2000)]
    demo_projects: usize,

    /// The bearer token that authorises writes to the API; without it, the API is read-only.
    #[arg(long, env = "DREAM_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,

    /// The author recorded on revisions written with the administrator token.
    #[arg(long, env = "DREAM_ADMIN_NAME", default_value = "administrator")]
    admin_name: String,

    #[command(flatten)]
    publisher: export::PublisherArgs,

    #[command(flatten)]
    files: FilesArgs,

    /// The largest document or photo an upload may carry, in MiB.
    #[arg(long, env = "DREAM_UPLOAD_LIMIT_MIB", default_value_t = 20)]
    upload_limit_mib: u64,

    #[command(flatten)]
    schedule: worker::ScheduleArgs,

    #[command(flatten)]
    registers: registers::RegistersArgs,
}

#[derive(Debug, clap::Args)]
struct PublishArgs {
    #[command(flatten)]
    files: FilesArgs,

    #[command(flatten)]
    publisher: export::PublisherArgs,
}

/// Where DREAM keeps its files, such as the bulk open data served at `/data`.
#[derive(Debug, Clone, clap::Args)]
struct FilesArgs {
    /// The file store: a local directory (created when missing), `file:///abs/dir`, or
    /// `s3://bucket/optional/prefix` for an S3-compatible store.
    #[arg(long, env = "DREAM_FILES", default_value = "files")]
    files: String,

    /// The S3 server's address, such as `http://127.0.0.1:9000`; without it, AWS.
    #[arg(long, env = "DREAM_S3_ENDPOINT")]
    s3_endpoint: Option<String>,

    /// The S3 region.
    #[arg(long, env = "DREAM_S3_REGION")]
    s3_region: Option<String>,

    /// The S3 access key id; without it, the credentials of the machine's role.
    #[arg(long, env = "AWS_ACCESS_KEY_ID", hide_env_values = true)]
    s3_access_key_id: Option<String>,

    /// The S3 secret access key.
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    s3_secret_access_key: Option<String>,
}

impl FilesArgs {
    fn open(&self) -> anyhow::Result<FileStore> {
        let s3 = S3Settings {
            endpoint: self.s3_endpoint.clone(),
            region: self.s3_region.clone(),
            access_key_id: self.s3_access_key_id.clone(),
            secret_access_key: self.s3_secret_access_key.clone(),
        };
        Ok(FileStore::open(&self.files, &s3)?)
    }
}

/// mimalloc rather than the system's allocator: `dream validate` reads a package into many
/// small strings and maps, freed on another thread than the one that made them, and under
/// glibc's allocator a fifth of its time went to allocating and freeing (`perf`, 2,000
/// demo projects).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Validating a file needs no database, so it runs before one is opened.
    if let Command::Validate(args) = &cli.command {
        let status = dream_validate::cli::run(
            &args.file,
            args.json,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        );
        std::process::exit(status);
    }
    init_logging(cli.log_format);
    let store = Store::connect(&cli.database_url)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(&cli.database_url)))?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;

    let result = match cli.command {
        Command::Migrate => {
            tracing::info!("the database is up to date");
            Ok(())
        }
        Command::Seed(args) => seed::run(&store, &args).await,
        Command::Users(args) => accounts::users(&store, &args).await,
        Command::Tokens(args) => accounts::tokens(&store, &args).await,
        Command::Link(args) => registers::run_link(&store, &args).await,
        Command::LinkDamage(args) => registers::run_link_damage(&store, &args).await,
        Command::LinkPayments(args) => registers::run_link_payments(&store, &args).await,
        Command::Sync(args) => registers::run_sync(&store, &args).await,
        Command::Jobs(args) => jobs::run(&store, &args).await,
        Command::Conflicts(args) => registers::run_conflicts(&store, &args).await,
        Command::Export(args) => export::run(&store, &args).await,
        Command::Publish(args) => {
            let publisher = args.publisher.publisher()?;
            bulk::publish(&store, &publisher, &args.files.open()?).await?;
            Ok(())
        }
        Command::Serve(args) => serve(store.clone(), *args).await,
        Command::Validate(_) => unreachable!("`validate` returns before the database is opened"),
    };
    store.close().await;
    result
}

async fn serve(store: Store, args: ServeArgs) -> anyhow::Result<()> {
    // A replica is not followed: it is not notified, and its version trails the primary's.
    store.follow_registry();
    if args.demo && store.count_projects().await? == 0 {
        let demo = seed::SeedArgs {
            projects: args.demo_projects,
            seed: 1,
        };
        seed::run(&store, &demo).await?;
    }
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let address = listener.local_addr()?;
    let files = args.files.open()?;
    tracing::info!("open-data files are published in {files}");
    let replica = match args.database_read_url.filter(|url| !url.is_empty()) {
        None => None,
        Some(url) => {
            let replica = Store::connect(&url)
                .await
                .with_context(|| format!("cannot open the read replica at {}", redact(&url)))?;
            anyhow::ensure!(
                replica.backend() == store.backend(),
                "DATABASE_READ_URL must be a copy of DATABASE_URL, of the same kind of database"
            );
            tracing::info!("readers without an account read from {}", redact(&url));
            Some(replica)
        }
    };
    let state = AppState {
        store,
        admin_token: args.admin_token.filter(|t| !t.is_empty()).map(Arc::from),
        admin_name: Arc::from(args.admin_name),
        publisher: Arc::new(args.publisher.publisher()?),
        files: Some(files.clone()),
        upload_limit_bytes: args.upload_limit_mib.saturating_mul(1024 * 1024),
        totals: Default::default(),
        pages: Default::default(),
        replica,
    };
    let publishing = worker::Publishing {
        publisher: (*state.publisher).clone(),
        files,
    };
    let schedule = worker::ScheduleArgs {
        demo: args.demo,
        ..args.schedule
    };
    let worker = Worker::new(
        state.store.clone(),
        args.registers,
        Some(publishing),
        schedule,
    );
    tokio::spawn(Arc::new(worker).run());
    if state.admin_token.is_none() {
        tracing::info!("no DREAM_ADMIN_TOKEN: the API is read-only");
    }
    tracing::info!(http.address = %address, "serving DREAM on http://{address}");
    dream_web::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM, so that requests in flight finish first.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// A database URL without its password, fit for a log line or an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
