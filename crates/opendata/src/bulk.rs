//! Bulk open-data files: the OC4IDS package and CSV tables of projects, funding lines and
//! contracting processes, written to a directory with their sizes and SHA-256 sums in a
//! `manifest.json`. Each file is written under a temporary name and renamed when complete,
//! and the manifest last, so readers always see a whole set: the old one until the new one
//! is ready.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use dream_domain::money::Money;
use dream_domain::project::Project;
use dream_store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::oc4ids::{PROZORRO_OCID_PREFIX, Publisher};
use crate::package::{self, PackageError};

/// The name of the list of published files in the directory.
pub const MANIFEST: &str = "manifest.json";

/// Projects read from the database at a time for the CSV tables.
const PAGE: u32 = 500;

/// One published file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedFile {
    pub name: String,
    pub title_uk: String,
    pub title_en: String,
    pub media_type: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What was published, when, by whom and under which licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub published: String,
    pub publisher: String,
    pub license: String,
    pub projects: u64,
    pub files: Vec<PublishedFile>,
}

/// Why publishing failed; the files published before stay as they were.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("cannot write in {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Package(#[from] PackageError),
    #[error(transparent)]
    Store(#[from] dream_store::StoreError),
    #[error("a CSV row cannot be written: {0}")]
    Csv(#[from] csv::Error),
    #[error("the writing thread stopped: {0}")]
    Thread(#[from] tokio::task::JoinError),
}

/// A file being written: bytes go to a temporary file and into the SHA-256 sum.
struct HashingFile {
    file: BufWriter<File>,
    hasher: Sha256,
    bytes: u64,
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.to_owned(),
        source,
    }
}

fn temporary(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.{}.partial", std::process::id()))
}

fn create(dir: &Path, name: &str) -> Result<HashingFile, PublishError> {
    let path = temporary(dir, name);
    let file = File::create(&path).map_err(io_error(&path))?;
    Ok(HashingFile {
        file: BufWriter::new(file),
        hasher: Sha256::new(),
        bytes: 0,
    })
}

/// Flushes a finished file, moves it to its public name and describes it.
fn finish(
    dir: &Path,
    name: &str,
    mut file: HashingFile,
    titles: (&str, &str),
    media_type: &str,
) -> Result<PublishedFile, PublishError> {
    let partial = temporary(dir, name);
    file.flush().map_err(io_error(&partial))?;
    let sha256 = file
        .hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let target = dir.join(name);
    std::fs::rename(&partial, &target).map_err(io_error(&target))?;
    Ok(PublishedFile {
        name: name.to_owned(),
        title_uk: titles.0.to_owned(),
        title_en: titles.1.to_owned(),
        media_type: media_type.to_owned(),
        bytes: file.bytes,
        sha256,
    })
}

/// Writes every file and then the manifest into `dir` (created when missing).
pub async fn publish(
    store: &Store,
    publisher: &Publisher,
    dir: &Path,
) -> Result<Manifest, PublishError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let published = dream_domain::timestamp::format(time::OffsetDateTime::now_utc());

    let package_file = create(dir, "dream-oc4ids.json")?;
    let (count, package_file) = package::write_oc4ids(store, publisher, package_file).await?;
    let titles = ("Проєкти у форматі OC4IDS 0.9.5", "Projects as OC4IDS 0.9.5");
    let mut files = vec![finish(
        dir,
        "dream-oc4ids.json",
        package_file,
        titles,
        "application/json",
    )?];
    files.extend(write_tables(store, dir).await?);

    let manifest = Manifest {
        published,
        publisher: publisher.name.clone(),
        license: publisher.license.clone(),
        projects: count as u64,
        files,
    };
    let mut manifest_file = create(dir, MANIFEST)?;
    serde_json::to_writer_pretty(&mut manifest_file, &manifest).map_err(|e| PublishError::Io {
        path: dir.join(MANIFEST),
        source: e.into(),
    })?;
    finish(dir, MANIFEST, manifest_file, ("", ""), "application/json")?;
    tracing::info!(
        publish.projects = count,
        publish.files = manifest.files.len(),
        "published {count} projects as open data in {}",
        dir.display()
    );
    Ok(manifest)
}

/// Reads the manifest of the files published in `dir`, if there is one.
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Money in major units as text, exactly: `1250000.50`.
fn major(money: &Money) -> String {
    let digits = u32::from(money.currency.minor_digits());
    if digits == 0 {
        return money.amount_minor.to_string();
    }
    let scale = 10i64.pow(digits);
    let (whole, part) = (money.amount_minor / scale, money.amount_minor % scale);
    format!("{whole}.{part:0width$}", width = digits as usize)
}

/// The three CSV tables. A UTF-8 byte order mark opens each, so that spreadsheet programs
/// read the Ukrainian text right.
struct Tables {
    projects: csv::Writer<HashingFile>,
    funding: csv::Writer<HashingFile>,
    contracts: csv::Writer<HashingFile>,
}

const TABLES: [(&str, &str, &str); 3] = [
    ("dream-projects.csv", "Проєкти", "Projects"),
    (
        "dream-funding.csv",
        "Джерела фінансування проєктів",
        "Funding lines of projects",
    ),
    (
        "dream-contracts.csv",
        "Закупівлі та договори проєктів",
        "Procurements and contracts of projects",
    ),
];

fn table(
    dir: &Path,
    name: &str,
    header: &[&str],
) -> Result<csv::Writer<HashingFile>, PublishError> {
    let mut file = create(dir, name)?;
    file.write_all("\u{feff}".as_bytes())
        .map_err(io_error(dir))?;
    let mut writer = csv::Writer::from_writer(file);
    writer.write_record(header)?;
    Ok(writer)
}

async fn write_tables(store: &Store, dir: &Path) -> Result<Vec<PublishedFile>, PublishError> {
    let mut tables = Tables {
        projects: table(
            dir,
            TABLES[0].0,
            &[
                "id",
                "title_uk",
                "title_en",
                "status",
                "status_details",
                "sector",
                "subsector",
                "purpose",
                "type",
                "katottg",
                "initiator_edrpou",
                "initiator_name",
                "currency",
                "need",
                "secured",
                "created",
                "updated",
            ],
        )?,
        funding: table(
            dir,
            TABLES[1].0,
            &[
                "project_id",
                "approach_id",
                "line_id",
                "finance_type",
                "finance_category",
                "financing_party_edrpou",
                "financing_party_name",
                "amount",
                "currency",
            ],
        )?,
        contracts: table(
            dir,
            TABLES[2].0,
            &[
                "project_id",
                "tender_id",
                "ocid",
                "status",
                "title_uk",
                "tender_value",
                "contract_value",
                "currency",
                "number_of_tenderers",
                "suppliers",
                "date_signed",
            ],
        )?,
    };
    let mut after = String::new();
    loop {
        let page = store.project_documents_after(&after, PAGE).await?;
        let Some((last, _)) = page.last() else { break };
        after = last.clone();
        for (id, document) in &page {
            let project: Project =
                serde_json::from_str(document).map_err(|e| PackageError::Corrupt {
                    id: id.clone(),
                    reason: e.to_string(),
                })?;
            write_rows(&mut tables, &project)?;
        }
    }
    let mut files = Vec::new();
    for (writer, (name, uk, en)) in [tables.projects, tables.funding, tables.contracts]
        .into_iter()
        .zip(TABLES)
    {
        let file = writer.into_inner().map_err(|e| PublishError::Io {
            path: dir.join(name),
            source: std::io::Error::other(e.to_string()),
        })?;
        files.push(finish(dir, name, file, (uk, en), "text/csv")?);
    }
    Ok(files)
}

fn write_rows(tables: &mut Tables, project: &Project) -> Result<(), csv::Error> {
    let content = &project.content;
    let id = project.id.as_str();
    let funding = content.funding();
    let initiator = content.initiator();
    let place = content
        .locations
        .first()
        .map(|l| l.katottg.to_string())
        .unwrap_or_default();
    tables.projects.write_record([
        id,
        &content.title.uk,
        content.title.en.as_deref().unwrap_or(""),
        project.status.as_str(),
        content.status_details.as_str(),
        content.sector.as_str(),
        content.subsector.map_or("", |s| s.as_str()),
        content.purpose.as_str(),
        content.project_type.as_str(),
        &place,
        initiator.map_or("", |p| p.id.as_str()),
        initiator.map_or("", |p| p.name.as_str()),
        funding.need.currency.code(),
        &major(&funding.need),
        &major(&funding.secured),
        &dream_domain::timestamp::format(project.date),
        &dream_domain::timestamp::format(project.updated),
    ])?;
    for approach in &content.approaches {
        for line in &approach.finance {
            tables.funding.write_record([
                id,
                &approach.id,
                &line.id,
                line.finance_type.as_str(),
                line.finance_category.as_str(),
                line.financing_party.id.as_ref().map_or("", |e| e.as_str()),
                &line.financing_party.name,
                &major(&line.amount),
                line.amount.currency.code(),
            ])?;
        }
    }
    for process in &content.contracting_processes {
        let currency = process
            .contract_value
            .or(process.tender_value)
            .map(|m| m.currency.code());
        let suppliers: Vec<String> = process
            .suppliers
            .iter()
            .map(|s| format!("{} {}", s.id, s.name))
            .collect();
        tables.contracts.write_record([
            id,
            &process.tender_id,
            &format!("{PROZORRO_OCID_PREFIX}-{}", process.tender_id),
            process.status.as_str(),
            &process.title.uk,
            &process.tender_value.map(|m| major(&m)).unwrap_or_default(),
            &process
                .contract_value
                .map(|m| major(&m))
                .unwrap_or_default(),
            currency.unwrap_or(""),
            &process
                .number_of_tenderers
                .map(|n| n.to_string())
                .unwrap_or_default(),
            &suppliers.join("; "),
            &process
                .date_signed
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_tables_are_exact_major_units() {
        assert_eq!(major(&Money::uah(125_000_050)), "1250000.50");
        assert_eq!(major(&Money::uah(7)), "0.07");
    }
}
