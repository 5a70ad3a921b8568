//! The whole registry as one OC4IDS project package, streamed: the projects are read from
//! the store a page at a time by the thread that writes the package, so memory stays flat
//! however many projects there are. `dream export oc4ids` and the HTTP API both use it.

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

/// Writes every project as one OC4IDS package to `out` on a blocking thread; returns how
/// many projects were written, and `out` back. Must be called inside a tokio runtime.
pub async fn write_oc4ids<W: Write + Send + 'static>(
    store: &Store,
    publisher: &Publisher,
    mut out: W,
) -> Result<(usize, W), PackageError> {
    let mut projects = ProjectPages {
        store: store.clone(),
        handle: tokio::runtime::Handle::current(),
        publisher: publisher.clone(),
        after: String::new(),
        page: Vec::new(),
        failed: None,
    };
    let publisher = publisher.clone();
    tokio::task::spawn_blocking(move || {
        let published = time::OffsetDateTime::now_utc();
        let count = oc4ids::write_package(&mut out, &publisher, published, projects.by_ref())?;
        match projects.failed {
            Some(error) => Err(error),
            None => Ok((count, out)),
        }
    })
    .await?
}

/// Every project mapped to OC4IDS; a read that fails ends the sequence and is kept in
/// `failed`, so that the package fails instead of ending short.
struct ProjectPages {
    store: Store,
    handle: tokio::runtime::Handle,
    publisher: Publisher,
    after: String,
    /// The rest of the current page, last project first.
    page: Vec<Project>,
    failed: Option<PackageError>,
}

impl ProjectPages {
    fn read_page(&mut self) -> Result<(), PackageError> {
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
                serde_json::from_str(document).map_err(|e| PackageError::Corrupt {
                    id: id.clone(),
                    reason: e.to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
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
