//! The whole published registry as one OC4IDS project package, streamed: the projects are
//! read from the store a page at a time and written as they are mapped, so memory stays
//! flat however many projects there are. `dream export oc4ids`, `dream publish` and the
//! HTTP API all use it.

use std::io::Write;

use dream_domain::project::Project;
use dream_store::Store;

use crate::oc4ids::{self, PackageWriter, Publisher};
use crate::stored;

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

/// Projects read and waiting for the writer: enough to keep both threads busy, few enough
/// to keep memory flat.
const READ_AHEAD: usize = 64;

/// Writes every project as one OC4IDS package to `out`; returns how many projects were
/// written, and `out` back. Must be called inside a tokio runtime.
///
/// The work runs in three stages at once, so that a package of 100,000 projects keeps two
/// cores busy: the database reads the next page while one thread reads the stored
/// documents into projects, and another maps each project to OC4IDS and writes it. The
/// mapping borrows from the project, so it runs where the project is written: reading a
/// document costs about as much as mapping and writing it.
pub async fn write_oc4ids<W: Write + Send + 'static>(
    store: &Store,
    publisher: &Publisher,
    out: W,
) -> Result<(usize, W), PackageError> {
    let (read, to_write) = std::sync::mpsc::sync_channel(READ_AHEAD);
    let mut pages = ProjectPages {
        store: store.clone(),
        handle: tokio::runtime::Handle::current(),
        after: String::new(),
        next: None,
        done: false,
    };
    let reader = tokio::task::spawn_blocking(move || pages.read_every_project(&read));

    let publisher = publisher.clone();
    let writer = tokio::task::spawn_blocking(move || {
        let published = time::OffsetDateTime::now_utc();
        let mut package = PackageWriter::start(out, &publisher, published)?;
        for project in to_write {
            package.add(&oc4ids::project(&project, &publisher))?;
        }
        Ok::<_, PackageError>(package.finish()?)
    });

    let written = writer.await?;
    // A failed read stops the reader early and the package short: the reader's error is
    // the one to report, ahead of whatever the writer saw.
    reader.await??;
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
    /// Reads every project and hands it to the writer, until the projects end, a read
    /// fails, or the writer stops listening.
    fn read_every_project(
        &mut self,
        writer: &std::sync::mpsc::SyncSender<Project>,
    ) -> Result<(), PackageError> {
        while let Some(documents) = self.next_page()? {
            for (id, document) in documents {
                let project =
                    stored::read_project(&document).map_err(|e| PackageError::Corrupt {
                        id: id.clone(),
                        reason: e.to_string(),
                    })?;
                if writer.send(project).is_err() {
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
