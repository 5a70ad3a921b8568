//! Bringing linked tenders up to date: fetch each one again, compare it with what was
//! stored, and say for each whether it is new, changed (and in which fields), unchanged or
//! failed (and why). Nothing here writes: the caller turns the report into revisions and a
//! sync log, so this works the same with any store, or none.
//!
//! Running it twice with no change in the register reports everything unchanged the second
//! time, because a process holds only what the register says (no time of fetching) and the
//! mapping is pure.

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream;
use tokio::time::Instant;

use crate::http::RegisterError;

use super::client::ProzorroClient;
use super::ids::ProzorroId;
use super::process::ProzorroProcess;

/// Where processes come from: the Prozorro client, or a stand-in in a caller's tests.
pub trait ProcessSource {
    fn fetch_process(
        &self,
        id: &ProzorroId,
    ) -> impl Future<Output = Result<ProzorroProcess, RegisterError>>;
}

impl ProcessSource for ProzorroClient {
    fn fetch_process(
        &self,
        id: &ProzorroId,
    ) -> impl Future<Output = Result<ProzorroProcess, RegisterError>> {
        ProzorroClient::fetch_process(self, id)
    }
}

/// A tender linked to a project, with what was stored at the last sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedTender {
    pub internal_id: ProzorroId,
    pub stored: Option<ProzorroProcess>,
}

/// What became of one linked tender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Nothing was stored before.
    New(Box<ProzorroProcess>),
    /// The register says something else now; `fields` names what differs.
    Changed {
        previous: Box<ProzorroProcess>,
        current: Box<ProzorroProcess>,
        fields: Vec<&'static str>,
    },
    Unchanged,
    /// The register could not give the tender; the stored process stays as it was.
    Failed(RegisterError),
}

/// One line of the sync log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncEntry {
    pub internal_id: ProzorroId,
    pub outcome: SyncOutcome,
}

/// The outcome of a sync, one entry per linked tender in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub entries: Vec<SyncEntry>,
    pub duration: Duration,
}

/// How many tenders ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncCounts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub failed: usize,
}

impl SyncReport {
    pub fn counts(&self) -> SyncCounts {
        let mut counts = SyncCounts::default();
        for entry in &self.entries {
            match entry.outcome {
                SyncOutcome::New(_) => counts.new += 1,
                SyncOutcome::Changed { .. } => counts.changed += 1,
                SyncOutcome::Unchanged => counts.unchanged += 1,
                SyncOutcome::Failed(_) => counts.failed += 1,
            }
        }
        counts
    }

    /// The processes to store: the new and the changed ones.
    pub fn to_store(&self) -> impl Iterator<Item = &ProzorroProcess> {
        self.entries
            .iter()
            .filter_map(|entry| match &entry.outcome {
                SyncOutcome::New(process) => Some(&**process),
                SyncOutcome::Changed { current, .. } => Some(&**current),
                SyncOutcome::Unchanged | SyncOutcome::Failed(_) => None,
            })
    }
}

/// Fetches every linked tender, `concurrency` at a time (the client's pace still applies),
/// and compares each with its stored process. One tender failing does not stop the others.
pub async fn sync_tenders<S: ProcessSource>(
    source: &S,
    linked: &[LinkedTender],
    concurrency: usize,
) -> SyncReport {
    let started = Instant::now();
    // Indices rather than references go through the stream: a closure taking a reference
    // makes a future the compiler cannot prove `Send`, and a scheduler must spawn it.
    let entries = stream::iter(0..linked.len())
        .map(|index| sync_one(source, &linked[index]))
        .buffered(concurrency.max(1))
        .collect::<Vec<_>>()
        .await;

    let report = SyncReport {
        entries,
        duration: started.elapsed(),
    };
    let counts = report.counts();
    tracing::info!(
        sync.new = counts.new,
        sync.changed = counts.changed,
        sync.unchanged = counts.unchanged,
        sync.failed = counts.failed,
        duration_ms = report.duration.as_millis() as u64,
        "Prozorro sync: {} new, {} changed, {} unchanged, {} failed",
        counts.new,
        counts.changed,
        counts.unchanged,
        counts.failed
    );
    report
}

async fn sync_one<S: ProcessSource>(source: &S, tender: &LinkedTender) -> SyncEntry {
    let outcome = match source.fetch_process(&tender.internal_id).await {
        Err(error) => {
            tracing::warn!(
                tender.internal_id = %tender.internal_id,
                "Prozorro tender {} failed to sync: {error}",
                tender.internal_id
            );
            SyncOutcome::Failed(error)
        }
        Ok(current) => compare(tender.stored.as_ref(), current),
    };
    SyncEntry {
        internal_id: tender.internal_id.clone(),
        outcome,
    }
}

fn compare(stored: Option<&ProzorroProcess>, current: ProzorroProcess) -> SyncOutcome {
    match stored {
        None => SyncOutcome::New(Box::new(current)),
        Some(previous) if *previous == current => SyncOutcome::Unchanged,
        Some(previous) => SyncOutcome::Changed {
            fields: changed_fields(previous, &current),
            previous: Box::new(previous.clone()),
            current: Box::new(current),
        },
    }
}

/// The names (as serialised) of the fields that differ between two versions of a process.
pub fn changed_fields(before: &ProzorroProcess, after: &ProzorroProcess) -> Vec<&'static str> {
    let checks: [(&'static str, bool); 12] = [
        ("tenderId", before.tender_id != after.tender_id),
        ("title", before.title != after.title),
        ("tenderStatus", before.tender_status != after.tender_status),
        ("status", before.status != after.status),
        (
            "procurementMethod",
            before.procurement_method != after.procurement_method,
        ),
        (
            "procurementMethodType",
            before.procurement_method_type != after.procurement_method_type,
        ),
        (
            "mainProcurementCategory",
            before.main_procurement_category != after.main_procurement_category,
        ),
        ("tenderValue", before.tender_value != after.tender_value),
        (
            "numberOfTenderers",
            before.number_of_tenderers != after.number_of_tenderers,
        ),
        (
            "procuringEntity",
            before.procuring_entity != after.procuring_entity,
        ),
        ("contracts", before.contracts != after.contracts),
        ("dateModified", before.date_modified != after.date_modified),
    ];
    checks
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name)
        .collect()
}
