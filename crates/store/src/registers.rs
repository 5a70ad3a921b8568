//! What the state registers bring in, as the store keeps it: the Prozorro tenders each
//! project is linked to, the last version of each tender as the register gave it (a JSON
//! document the connector wrote), how far each change feed was read, and the log of sync
//! runs.

use uuid::Uuid;

use crate::bulk::Bind;
use crate::projects::{Alongside, PatchOutcome, PlannedPatch};
use crate::timestamp::Timestamp;
use crate::{Result, Store, StoreError, now, on_pool};

/// A project's link to a tender: what the person typed, and the register's internal id
/// when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenderLink {
    pub project_id: String,
    pub reference: String,
    pub internal_id: Option<String>,
}

/// One sync run as the administrators' log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    pub register: String,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    pub new: i64,
    pub changed: i64,
    pub unchanged: i64,
    pub failed: i64,
    /// One line per tender that was new, changed or failed, saying what and why.
    pub log: Vec<String>,
}

/// Keeps one version of a tender: the latest replaces what was there.
const STORE_TENDER: &str = "INSERT INTO prozorro_processes (internal_id, document, fetched_at) \
     VALUES ($1, $2, $3) ON CONFLICT (internal_id) \
     DO UPDATE SET document = excluded.document, fetched_at = excluded.fetched_at";

impl Store {
    /// Links a project to a tender; linking the same reference again changes nothing.
    pub async fn link_tender(&self, link: &TenderLink, linked_by: &str) -> Result<bool> {
        let exists: Option<String> = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
                .bind(&link.project_id)
                .fetch_optional(pool)
                .await?);
        if exists.is_none() {
            return Err(StoreError::NotFound {
                entity: "project",
                id: link.project_id.clone(),
            });
        }
        let inserted = on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO prozorro_links (project_id, reference, internal_id, linked_at, \
                 linked_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(&link.project_id).bind(&link.reference).bind(&link.internal_id)
            .bind(Timestamp(now())).bind(linked_by)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(inserted > 0)
    }

    /// Gives a link that names a tender by its public id the internal id the register
    /// revealed for it, so that syncs can fetch it. Returns how many links learned it.
    pub async fn resolve_tender_links(&self, tender_id: &str, internal_id: &str) -> Result<u64> {
        let updated = on_pool!(self.db(), pool =>
            sqlx::query(
                "UPDATE prozorro_links SET internal_id = $1 \
                 WHERE internal_id IS NULL AND (reference = $2 OR reference LIKE $3)",
            )
            .bind(internal_id).bind(tender_id).bind(format!("{tender_id}-%"))
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated)
    }

    /// The internal ids of linked tenders that no sync has fetched yet.
    pub async fn unfetched_tenders(&self) -> Result<Vec<String>> {
        Ok(on_pool!(self.db(), pool =>
            sqlx::query_scalar(
                "SELECT DISTINCT l.internal_id FROM prozorro_links l \
                 LEFT JOIN prozorro_processes p ON p.internal_id = l.internal_id \
                 WHERE l.internal_id IS NOT NULL AND p.internal_id IS NULL",
            )
            .fetch_all(pool)
            .await?))
    }

    /// Where the change feed `feed` was read up to, if it was read before.
    pub async fn feed_position(&self, feed: &str) -> Result<Option<String>> {
        Ok(on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT position FROM feed_positions WHERE feed = $1")
                .bind(feed)
                .fetch_optional(pool)
                .await?))
    }

    /// Remembers where the change feed `feed` was read up to.
    pub async fn set_feed_position(&self, feed: &str, position: &str) -> Result<()> {
        on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO feed_positions (feed, position, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (feed) DO UPDATE SET position = $2, updated_at = $3",
            )
            .bind(feed).bind(position).bind(Timestamp(now()))
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Every link, by project.
    pub async fn tender_links(&self) -> Result<Vec<TenderLink>> {
        let rows: Vec<(String, String, Option<String>)> = on_pool!(self.db(), pool =>
            sqlx::query_as(
                "SELECT project_id, reference, internal_id FROM prozorro_links \
                 ORDER BY project_id, reference",
            )
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(project_id, reference, internal_id)| TenderLink {
                project_id,
                reference,
                internal_id,
            })
            .collect())
    }

    /// The stored document of a tender, if it was fetched before.
    pub async fn stored_tender(&self, internal_id: &str) -> Result<Option<String>> {
        let document: Option<String> = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT document FROM prozorro_processes WHERE internal_id = $1")
                .bind(internal_id)
                .fetch_optional(pool)
                .await?);
        Ok(document)
    }

    /// Keeps the latest version of a tender.
    pub async fn store_tender(&self, internal_id: &str, document: &str) -> Result<()> {
        on_pool!(self.db(), pool =>
            sqlx::query(STORE_TENDER)
            .bind(internal_id).bind(document).bind(Timestamp(now()))
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Keeps the latest version of each tender (internal id and document) and applies the
    /// patches planned for the projects linked to them, all in one transaction: a sync
    /// writes a page of tenders at a time, and a tender is never kept without the project
    /// changes it brought. What became of each patch comes back in order.
    pub async fn store_tenders_and_patch_projects(
        &self,
        tenders: &[(String, String)],
        patches: &[PlannedPatch],
    ) -> Result<Vec<PatchOutcome>> {
        let fetched_at = Timestamp(now());
        let alongside: Vec<Alongside> = tenders
            .iter()
            .map(|(internal_id, document)| Alongside {
                sql: STORE_TENDER,
                binds: vec![
                    Bind::Text(internal_id.clone()),
                    Bind::Text(document.clone()),
                    Bind::Time(fetched_at),
                ],
            })
            .collect();
        self.patch_projects_alongside(patches, &alongside).await
    }

    /// Writes one sync run to the log.
    pub async fn record_sync_run(&self, run: &SyncRun) -> Result<()> {
        let log =
            serde_json::to_string(&run.log).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO sync_runs (id, register, started_at, finished_at, new, changed, \
                 unchanged, failed, log) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(Uuid::now_v7().to_string()).bind(&run.register).bind(run.started_at)
            .bind(run.finished_at).bind(run.new).bind(run.changed).bind(run.unchanged)
            .bind(run.failed).bind(log)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// The latest sync runs of a register, newest first.
    pub async fn sync_runs(&self, register: &str, limit: u32) -> Result<Vec<SyncRun>> {
        type Row = (String, Timestamp, Timestamp, i64, i64, i64, i64, String);
        let rows: Vec<Row> = on_pool!(self.db(), pool =>
            sqlx::query_as(
                "SELECT register, started_at, finished_at, new, changed, unchanged, failed, log \
                 FROM sync_runs WHERE register = $1 ORDER BY started_at DESC LIMIT $2",
            )
            .bind(register).bind(i64::from(limit))
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(
                |(register, started_at, finished_at, new, changed, unchanged, failed, log)| {
                    let log = serde_json::from_str(&log)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    Ok(SyncRun {
                        register,
                        started_at,
                        finished_at,
                        new,
                        changed,
                        unchanged,
                        failed,
                        log,
                    })
                },
            )
            .collect()
    }
}
