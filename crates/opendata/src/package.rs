//! The whole published registry as one OC4IDS project package, streamed: the projects are
//! read from the store a page at a time and written as they are mapped, so memory stays
//! flat however many projects there are. `dream export oc4ids`, `dream publish` and the
//! HTTP API all use it.

use std::io::Write;

use dream_domain::project::Project;
use dream_store::Store;

use crate::oc4ids::{self, Publisher};

/// Projects read from the database at a time.
const PAGE: u32 = 500;

/// Why a package could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("writing the package failed: {0}")]
    Write(#[from] std::io::Error),
    #[error("reading the projects failed: {0}")]
    Read(#[from] dream_store::StoreError),
    #[error("stored project {id} cannot be read: {reason}")]
    Corrupt { id: String, reason: String },
    #[error("the writing thread stopped: {0}")]
    Thread(#[from] tokio::task::JoinError),
}

/// Mapped projects waiting for the writer: enough to keep both threads busy, few enough
/// to keep memory flat.
const MAPPED_AHEAD: usize = 64;

/// Writes every project as one OC4IDS package to `out`; returns how many projects were
/// written, and `out` back. Must be called inside a tokio runtime.
///
/// The work runs in three stages at once, so that a package of 100,000 projects keeps two
/// cores busy: the database reads the next page while one thread reads stored documents
/// and maps them to OC4IDS, and another writes the mapped projects as JSON.
pub async fn write_oc4ids<W: Write + Send + 'static>(
    store: &Store,
    publisher: &Publisher,
    mut out: W,
) -> Result<(usize, W), PackageError> {
    let (mapped, to_write) = std::sync::mpsc::sync_channel(MAPPED_AHEAD);
    let mut pages = ProjectPages {
        store: store.clone(),
        handle: tokio::runtime::Handle::current(),
        after: String::new(),
        next: None,
        done: false,
    };
    let mapping_publisher = publisher.clone();
    let mapper =
        tokio::task::spawn_blocking(move || pages.map_every_project(&mapping_publisher, &mapped));

    let publisher = publisher.clone();
    let writer = tokio::task::spawn_blocking(move || {
        let published = time::OffsetDateTime::now_utc();
        let count = oc4ids::write_package(&mut out, &publisher, published, to_write.into_iter())?;
        Ok::<_, PackageError>((count, out))
    });

    let written = writer.await?;
    // A failed read stops the mapper early and the package short: the mapper's error is
    // the one to report, ahead of whatever the writer saw.
    mapper.await??;
    written
}

type Documents = Vec<(String, String)>;

/// Every published project in id order, a page at a time, with the next page read while
/// the current one is mapped.
struct ProjectPages {
    store: Store,
    handle: tokio::runtime::Handle,
    after: String,
    next: Option<tokio::task::JoinHandle<Result<Documents, dream_store::StoreError>>>,
    done: bool,
}

impl ProjectPages {
    /// Maps every project and hands it to the writer, until the projects end, a read
    /// fails, or the writer stops listening.
    fn map_every_project(
        &mut self,
        publisher: &Publisher,
        writer: &std::sync::mpsc::SyncSender<serde_json::Value>,
    ) -> Result<(), PackageError> {
        while let Some(documents) = self.next_page()? {
            for (id, document) in documents {
                let project: Project =
                    serde_json::from_str(&document).map_err(|e| PackageError::Corrupt {
                        id: id.clone(),
                        reason: e.to_string(),
                    })?;
                if writer.send(oc4ids::project(&project, publisher)).is_err() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The next page of stored documents, and the read of the one after it started.
    fn next_page(&mut self) -> Result<Option<Documents>, PackageError> {
        if self.done {
            return Ok(None);
        }
        let pending = match self.next.take() {
            Some(pending) => pending,
            None => self.read_after(),
        };
        let documents = self.handle.block_on(pending)??;
        match documents.last() {
            Some((last, _)) if documents.len() == PAGE as usize => {
                self.after = last.clone();
                self.next = Some(self.read_after());
            }
            _ => self.done = true,
        }
        Ok((!documents.is_empty()).then_some(documents))
    }

    fn read_after(&self) -> tokio::task::JoinHandle<Result<Documents, dream_store::StoreError>> {
        let store = self.store.clone();
        let after = self.after.clone();
        self.handle
            .spawn(async move { store.project_documents_after(&after, PAGE).await })
    }
}
