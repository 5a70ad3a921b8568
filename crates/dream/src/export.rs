//! `dream export oc4ids`: writes every project as one OC4IDS 0.9.5 project package, streamed
//! (see `dream_opendata::package`), and the publisher settings that open data carries.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use dream_opendata::oc4ids::Publisher;
use dream_opendata::package;
use dream_store::Store;

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
    pub fn publisher(&self) -> anyhow::Result<Publisher> {
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
    let (written, _) = package::write_oc4ids(store, &publisher, out).await?;
    tracing::info!(
        export.projects = written,
        "exported {written} projects as OC4IDS"
    );
    Ok(())
}
