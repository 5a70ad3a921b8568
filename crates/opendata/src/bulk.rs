//! Bulk open-data files: the OC4IDS package, and tables of projects, funding lines and
//! contracting processes as CSV files and as one XLSX workbook, stored in a [`FileStore`]
//! with their sizes and SHA-256 sums in a manifest. Each run publishes a new generation:
//! every file is written to a local temporary file while it is summed, then stored under
//! `open-data/<published>/`; when all are stored, the manifest `open-data/manifest.json` is
//! replaced to name that generation, and only then are the files of older generations
//! deleted. So readers always see a whole set: the old one until the new one is complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use dream_domain::project::Project;
use dream_files::{FileError, FileStore, Key};
use dream_store::Store;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::oc4ids::{PROZORRO_OCID_PREFIX, Publisher};
use crate::package::{self, PackageError};

/// The folder of the store that holds the open data: the manifest and the generations.
pub const FOLDER: &str = "open-data";

/// The key of the list of published files, which names the generation they belong to.
pub const MANIFEST: &str = "open-data/manifest.json";

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

/// What was published, when, by whom and under which licence, and where its files are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub published: String,
    /// The folder of this publication's files, such as
    /// `open-data/2026-12-03T10-00-00.000000Z`.
    pub generation: String,
    pub publisher: String,
    pub license: String,
    pub projects: u64,
    pub files: Vec<PublishedFile>,
}

impl Manifest {
    /// The file called `name` and its key, when the manifest lists it; nothing else of the
    /// store can be reached through a name.
    pub fn find(&self, name: &str) -> Option<(&PublishedFile, Key)> {
        let file = self.files.iter().find(|file| file.name == name)?;
        let key = Key::new(format!("{}/{}", self.generation, file.name)).ok()?;
        Some((file, key))
    }
}

/// Why publishing failed; the files published before stay as they were.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("cannot write the temporary file {path}: {source}")]
    Local {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Files(#[from] FileError),
    #[error("the manifest {MANIFEST} cannot be read: {reason}")]
    CorruptManifest { reason: String },
    #[error("a newer publication ({published}) was completed while this one ran")]
    Superseded { published: String },
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
    path: PathBuf,
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
    move |source| PublishError::Local {
        path: path.to_owned(),
        source,
    }
}

/// Starts the file `name` in the temporary directory `dir`.
fn create(dir: &Path, name: &str) -> Result<HashingFile, PublishError> {
    let path = dir.join(name);
    let file = File::create(&path).map_err(io_error(&path))?;
    Ok(HashingFile {
        file: BufWriter::new(file),
        path,
        hasher: Sha256::new(),
        bytes: 0,
    })
}

/// Where one run puts its files: the store, the generation's folder in it, and a local
/// temporary directory where each file is written before it is stored.
struct Generation<'a> {
    files: &'a FileStore,
    folder: Key,
    scratch: &'a Path,
}

impl Generation<'_> {
    /// Flushes a finished file, stores it in the generation's folder and describes it.
    async fn finish(
        &self,
        name: &str,
        mut file: HashingFile,
        titles: (&str, &str),
        media_type: &str,
    ) -> Result<PublishedFile, PublishError> {
        file.flush().map_err(io_error(&file.path))?;
        let HashingFile {
            file,
            path,
            hasher,
            bytes,
        } = file;
        drop(file);
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();

        self.files.put_file(&self.folder.join(name)?, &path).await?;
        // The stored copy is the one that counts; the local one only takes disk space now.
        let _ = std::fs::remove_file(&path);
        Ok(PublishedFile {
            name: name.to_owned(),
            title_uk: titles.0.to_owned(),
            title_en: titles.1.to_owned(),
            media_type: media_type.to_owned(),
            bytes,
            sha256,
        })
    }
}

/// Publishes every file as a new generation in `files`, then the manifest that names it,
/// then deletes older generations. When a step before the manifest fails, the new
/// generation's files are deleted and the published set stays as it was.
pub async fn publish(
    store: &Store,
    publisher: &Publisher,
    files: &FileStore,
) -> Result<Manifest, PublishError> {
    let published = dream_domain::timestamp::format(time::OffsetDateTime::now_utc());
    // The folder is named by the time, with `-` for `:`, which some filesystems refuse;
    // the fixed width of the time makes the names sort as the times do.
    let folder = Key::new(format!("{FOLDER}/{}", published.replace(':', "-")))?;
    let scratch = tempfile::Builder::new()
        .prefix("dream-publish-")
        .tempdir()
        .map_err(io_error(&std::env::temp_dir()))?;
    let generation = Generation {
        files,
        folder,
        scratch: scratch.path(),
    };

    let manifest = match publish_generation(store, publisher, &generation, published).await {
        Ok(manifest) => manifest,
        Err(error) => {
            delete_folder(files, &generation.folder).await;
            return Err(error);
        }
    };
    delete_older_generations(files, &generation.folder).await;
    tracing::info!(
        publish.projects = manifest.projects,
        publish.files = manifest.files.len(),
        "published {} projects as open data in {files}/{}",
        manifest.projects,
        manifest.generation
    );
    Ok(manifest)
}

/// Writes and stores every file of `generation`, then the manifest that names them.
async fn publish_generation(
    store: &Store,
    publisher: &Publisher,
    generation: &Generation<'_>,
    published: String,
) -> Result<Manifest, PublishError> {
    let package_file = create(generation.scratch, "dream-oc4ids.json")?;
    let (count, package_file) = package::write_oc4ids(store, publisher, package_file).await?;
    let titles = ("Проєкти у форматі OC4IDS 0.9.5", "Projects as OC4IDS 0.9.5");
    let mut listed = vec![
        generation
            .finish(
                "dream-oc4ids.json",
                package_file,
                titles,
                "application/json",
            )
            .await?,
    ];
    listed.extend(write_tables(store, generation).await?);

    let manifest = Manifest {
        published,
        generation: generation.folder.to_string(),
        publisher: publisher.name.clone(),
        license: publisher.license.clone(),
        projects: count as u64,
        files: listed,
    };
    // Two runs at once (a scheduled one and `dream publish`) must not let the older set
    // replace the newer one.
    if let Some(current) = read_manifest(generation.files).await?
        && current.published > manifest.published
    {
        return Err(PublishError::Superseded {
            published: current.published,
        });
    }
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| PublishError::Local {
        path: PathBuf::from(MANIFEST),
        source: e.into(),
    })?;
    generation.files.put(&manifest_key(), text).await?;
    Ok(manifest)
}

fn manifest_key() -> Key {
    Key::new(MANIFEST).expect("the manifest's key is a valid key")
}

/// Deletes every file of the generations before `current`. Newer ones belong to a run still
/// going on and are left alone. A file that cannot be deleted is logged and tried again on
/// the next run.
async fn delete_older_generations(files: &FileStore, current: &Key) {
    let folder = Key::new(FOLDER).expect("the open-data folder is a valid key");
    let stored = match files.list(&folder).await {
        Ok(stored) => stored,
        Err(error) => {
            tracing::warn!("cannot list the older open-data files to delete them: {error}");
            return;
        }
    };
    let older = stored.iter().filter(|file| {
        let key = file.key.as_str();
        // Only files inside a generation's folder: the manifest stays.
        key.rsplit_once('/')
            .is_some_and(|(folder, _)| folder != FOLDER && folder < current.as_str())
    });
    for file in older {
        if let Err(error) = files.delete(&file.key).await {
            tracing::warn!(file.key = %file.key, "cannot delete an older open-data file: {error}");
        }
    }
}

/// Deletes what a failed run stored, so that it does not wait for the next run's clean-up.
async fn delete_folder(files: &FileStore, folder: &Key) {
    let Ok(stored) = files.list(folder).await else {
        return;
    };
    for file in stored {
        if let Err(error) = files.delete(&file.key).await {
            tracing::warn!(file.key = %file.key, "cannot delete a file of a failed run: {error}");
        }
    }
}

/// Reads the manifest of the files published in `files`; `None` before the first run.
pub async fn read_manifest(files: &FileStore) -> Result<Option<Manifest>, PublishError> {
    let bytes = match files.get_bytes(&manifest_key()).await {
        Ok(bytes) => bytes,
        Err(FileError::NotFound { .. }) => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    let manifest = serde_json::from_slice(&bytes).map_err(|e| PublishError::CorruptManifest {
        reason: e.to_string(),
    })?;
    Ok(Some(manifest))
}

/// The three tables, each written as CSV and as a sheet of one XLSX workbook. A UTF-8 byte
/// order mark opens each CSV file, so that spreadsheet programs read the Ukrainian text
/// right; the workbook's sheets keep rows on disk as they are written, so memory stays flat.
struct Table {
    csv: csv::Writer<HashingFile>,
    sheet: Worksheet,
    /// The columns that hold numbers, written as numbers into the sheet.
    numeric: &'static [usize],
    rows: u32,
}

/// Each table: file name, sheet name, titles, header and numeric columns.
struct TableSpec {
    file: &'static str,
    sheet: &'static str,
    title_uk: &'static str,
    title_en: &'static str,
    header: &'static [&'static str],
    numeric: &'static [usize],
}

const TABLES: [TableSpec; 3] = [
    TableSpec {
        file: "dream-projects.csv",
        sheet: "projects",
        title_uk: "Проєкти",
        title_en: "Projects",
        header: &[
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
        numeric: &[13, 14],
    },
    TableSpec {
        file: "dream-funding.csv",
        sheet: "funding",
        title_uk: "Джерела фінансування проєктів",
        title_en: "Funding lines of projects",
        header: &[
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
        numeric: &[7],
    },
    TableSpec {
        file: "dream-contracts.csv",
        sheet: "contracts",
        title_uk: "Закупівлі та договори проєктів",
        title_en: "Procurements and contracts of projects",
        header: &[
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
        numeric: &[5, 6, 8],
    },
];

const WORKBOOK: &str = "dream-projects.xlsx";

fn xlsx_error(error: XlsxError) -> PublishError {
    PublishError::Local {
        path: PathBuf::from(WORKBOOK),
        source: std::io::Error::other(error.to_string()),
    }
}

impl Table {
    fn create(dir: &Path, workbook: &mut Workbook, spec: &TableSpec) -> Result<Self, PublishError> {
        let mut file = create(dir, spec.file)?;
        file.write_all("\u{feff}".as_bytes())
            .map_err(io_error(&dir.join(spec.file)))?;
        let mut table = Table {
            csv: csv::Writer::from_writer(file),
            sheet: workbook
                .new_worksheet_with_constant_memory()
                .map_err(xlsx_error)?,
            numeric: spec.numeric,
            rows: 0,
        };
        table.sheet.set_name(spec.sheet).map_err(xlsx_error)?;
        let header: Vec<String> = spec.header.iter().map(|h| (*h).to_owned()).collect();
        table.write(&header)?;
        Ok(table)
    }

    fn write(&mut self, row: &[String]) -> Result<(), PublishError> {
        self.csv.write_record(row)?;
        for (column, value) in row.iter().enumerate() {
            let column = column as u16;
            let number = (self.rows > 0 && self.numeric.contains(&usize::from(column)))
                .then(|| value.parse::<f64>().ok())
                .flatten();
            match number {
                Some(number) => self.sheet.write_number(self.rows, column, number),
                None => self.sheet.write_string(self.rows, column, value),
            }
            .map_err(xlsx_error)?;
        }
        self.rows += 1;
        Ok(())
    }
}

async fn write_tables(
    store: &Store,
    generation: &Generation<'_>,
) -> Result<Vec<PublishedFile>, PublishError> {
    let dir = generation.scratch;
    let mut workbook = Workbook::new();
    workbook.set_tempdir(dir).map_err(xlsx_error)?;
    let mut tables = Vec::new();
    for spec in &TABLES {
        tables.push(Table::create(dir, &mut workbook, spec)?);
    }
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
            for (table, rows) in tables.iter_mut().zip(rows_of(&project)) {
                for row in rows {
                    table.write(&row)?;
                }
            }
        }
    }

    let mut files = Vec::new();
    for (table, spec) in tables.into_iter().zip(&TABLES) {
        let file = table.csv.into_inner().map_err(|e| PublishError::Local {
            path: dir.join(spec.file),
            source: std::io::Error::other(e.to_string()),
        })?;
        let titles = (spec.title_uk, spec.title_en);
        files.push(
            generation
                .finish(spec.file, file, titles, "text/csv")
                .await?,
        );
        workbook.push_worksheet(table.sheet);
    }
    let mut book = create(dir, WORKBOOK)?;
    workbook.save_to_writer(&mut book).map_err(xlsx_error)?;
    let titles = (
        "Проєкти, фінансування і договори (Excel)",
        "Projects, funding and contracts (Excel)",
    );
    let media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    files.push(generation.finish(WORKBOOK, book, titles, media).await?);
    Ok(files)
}

/// The rows a project adds to each table: one project row, a row per finance line, a row
/// per contracting process.
fn rows_of(project: &Project) -> [Vec<Vec<String>>; 3] {
    let content = &project.content;
    let id = project.id.to_string();
    let funding = content.funding();
    let initiator = content.initiator();
    let place = content
        .locations
        .first()
        .map(|l| l.katottg.to_string())
        .unwrap_or_default();
    let project_row = vec![
        id.clone(),
        content.title.uk.clone(),
        content.title.en.clone().unwrap_or_default(),
        project.status.as_str().to_owned(),
        content.status_details.as_str().to_owned(),
        content.sector.as_str().to_owned(),
        content
            .subsector
            .map_or(String::new(), |s| s.as_str().to_owned()),
        content.purpose.as_str().to_owned(),
        content.project_type.as_str().to_owned(),
        place,
        initiator.map_or(String::new(), |p| p.id.to_string()),
        initiator.map_or(String::new(), |p| p.name.clone()),
        funding.need.currency.code().to_owned(),
        funding.need.major_text(),
        funding.secured.major_text(),
        dream_domain::timestamp::format(project.date),
        dream_domain::timestamp::format(project.updated),
    ];
    let funding_rows = content
        .approaches
        .iter()
        .flat_map(|approach| approach.finance.iter().map(move |line| (approach, line)))
        .map(|(approach, line)| {
            vec![
                id.clone(),
                approach.id.clone(),
                line.id.clone(),
                line.finance_type.as_str().to_owned(),
                line.finance_category.as_str().to_owned(),
                line.financing_party
                    .id
                    .as_ref()
                    .map_or(String::new(), |e| e.to_string()),
                line.financing_party.name.clone(),
                line.amount.major_text(),
                line.amount.currency.code().to_owned(),
            ]
        })
        .collect();
    let contract_rows = content
        .contracting_processes
        .iter()
        .map(|process| {
            let value = process.contract_value.or(process.tender_value);
            let suppliers: Vec<String> = process
                .suppliers
                .iter()
                .map(|s| format!("{} {}", s.id, s.name))
                .collect();
            vec![
                id.clone(),
                process.tender_id.clone(),
                format!("{PROZORRO_OCID_PREFIX}-{}", process.tender_id),
                process.status.as_str().to_owned(),
                process.title.uk.clone(),
                process
                    .tender_value
                    .map(|m| m.major_text())
                    .unwrap_or_default(),
                process
                    .contract_value
                    .map(|m| m.major_text())
                    .unwrap_or_default(),
                value.map_or(String::new(), |m| m.currency.code().to_owned()),
                process
                    .number_of_tenderers
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                suppliers.join("; "),
                process
                    .date_signed
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    [vec![project_row], funding_rows, contract_rows]
}
