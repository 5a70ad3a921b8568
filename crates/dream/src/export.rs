//! `dream export oc4ids`: writes every project as one OC4IDS 0.9.5 project package, reading
//! the projects a page at a time and streaming them out, so memory stays flat however many
//! projects there are.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use dream_domain::project::Project;
use dream_opendata::oc4ids::{self, Publisher};
use dream_store::Store;

/// Projects read from the database at a time.
const PAGE: u32 = 500;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The format: `oc4ids`.
    format: ExportFormat,

    /// Where to write; standard output when left out.
    #[arg(long)]
    out: Option<PathBuf>,

    #[command(flatten)]
    publisher: PublisherArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Oc4ids,
}

/// Who publishes this installation's open data, and under which terms.
#[derive(Debug, Clone, clap::Args)]
pub struct PublisherArgs {
    /// The publisher named in open-data packages.
    #[arg(
        long,
        env = "DREAM_PUBLISHER_NAME",
        default_value = "DREAM (open-source installation)"
    )]
    publisher_name: String,

    /// The public address of this installation.
    #[arg(
        long,
        env = "DREAM_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,

    /// The six-character OC4IDS project id prefix registered for this publisher.
    #[arg(long, env = "DREAM_OC4IDS_PREFIX", default_value = "dreamx")]
    oc4ids_prefix: String,

    /// The licence of the published data.
    #[arg(
        long,
        env = "DREAM_DATA_LICENSE",
        default_value = "https://creativecommons.org/licenses/by/4.0/"
    )]
    license: String,
}

impl PublisherArgs {
    fn publisher(&self) -> anyhow::Result<Publisher> {
        let prefix_ok = self.oc4ids_prefix.len() == 6
            && self
                .oc4ids_prefix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        anyhow::ensure!(
            prefix_ok,
            "DREAM_OC4IDS_PREFIX must be six lower-case letters or digits, got {:?}",
            self.oc4ids_prefix
        );
        Ok(Publisher {
            name: self.publisher_name.clone(),
            uri: self.public_url.trim_end_matches('/').to_owned(),
            prefix: self.oc4ids_prefix.clone(),
            license: self.license.clone(),
            publication_policy: None,
        })
    }
}

pub async fn run(store: &Store, args: &ExportArgs) -> anyhow::Result<()> {
    let ExportFormat::Oc4ids = args.format;
    let publisher = args.publisher.publisher()?;
    anyhow::ensure!(
        store.count_projects().await? > 0,
        "there are no projects to export"
    );
    let out: Box<dyn Write + Send> = match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            Box::new(BufWriter::new(file))
        }
        None => Box::new(BufWriter::new(std::io::stdout())),
    };
    let mut projects = ProjectPages {
        store: store.clone(),
        handle: tokio::runtime::Handle::current(),
        publisher: args.publisher.publisher()?,
        after: String::new(),
        page: Vec::new(),
        failed: None,
    };
    let written = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        let published = time::OffsetDateTime::now_utc();
        let count = oc4ids::write_package(out, &publisher, published, projects.by_ref())?;
        match projects.failed {
            Some(error) => Err(error),
            None => Ok(count),
        }
    })
    .await??;
    tracing::info!(
        export.projects = written,
        "exported {written} projects as OC4IDS"
    );
    Ok(())
}

/// Every project mapped to OC4IDS, read from the database a page at a time by the blocking
/// thread that writes the package; a read that fails ends the sequence and is kept in
/// `failed`, so the export fails instead of ending short.
struct ProjectPages {
    store: Store,
    handle: tokio::runtime::Handle,
    publisher: Publisher,
    after: String,
    /// The rest of the current page, last project first.
    page: Vec<Project>,
    failed: Option<anyhow::Error>,
}

impl ProjectPages {
    fn read_page(&mut self) -> anyhow::Result<()> {
        let rows = self
            .handle
            .block_on(self.store.project_documents_after(&self.after, PAGE))?;
        if let Some((last, _)) = rows.last() {
            self.after = last.clone();
        }
        self.page = rows
            .iter()
            .rev()
            .map(|(id, document)| {
                serde_json::from_str(document).with_context(|| format!("stored project {id}"))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(())
    }
}

impl Iterator for ProjectPages {
    type Item = serde_json::Value;

    fn next(&mut self) -> Option<serde_json::Value> {
        if self.page.is_empty()
            && self.failed.is_none()
            && let Err(error) = self.read_page()
        {
            self.failed = Some(error);
        }
        let project = self.page.pop()?;
        Some(oc4ids::project(&project, &self.publisher))
    }
}
