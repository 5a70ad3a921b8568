//! Many project changes in one transaction. A register that brings news for a page of
//! projects reads them in one query, checks them in two and writes them together, instead
//! of paying a read, a check and a transaction per project. Each change still names the
//! revision it was planned against and is written only while the project is at that
//! revision; one that moved on meanwhile is handed back unwritten, never overwritten.

use dream_domain::ProjectId;
use dream_domain::codelist::Status;
use dream_domain::project::{Project, ProjectContent};
use dream_domain::revision::diff;
use serde_json::Value;

use super::{
    Alongside, BUMP_VERSION, IDS_PER_QUERY, Row, delete_search_entries, insert_search_entries,
    moved_on, placeholders, update_binds, update_sql,
};
use crate::bulk::{Bind, bind_all, insert_rows};
use crate::revisions::{self, Change, Entity, apply_patch};
use crate::{Backend, Result, Store, StoreError, in_write_tx, now, on_pool};

/// A change to one project, planned on the state it had at `revision`.
#[derive(Debug, Clone)]
pub struct PlannedPatch {
    /// The project as it was read.
    pub current: Project,
    pub revision: u32,
    /// The RFC 6902 patch to the project's content, as a client would send it.
    pub patch: Value,
    pub change: Change,
}

/// What became of one planned patch.
#[derive(Debug)]
pub enum PatchOutcome {
    /// Written; the project as it is now.
    Written(Box<Project>),
    /// The patch leaves the project as it was, so nothing was written.
    Unchanged,
    /// Not written, and why: the project moved on since it was read (a conflict), or the
    /// patched project breaks a rule. The caller decides whether to try it again alone.
    NotWritten(StoreError),
}

/// A planned patch made ready to write: the next state, its row and its revision's patch.
struct Ready<'a> {
    index: usize,
    next: Project,
    row: Row,
    expected: u32,
    patch: Value,
    change: &'a Change,
}

impl Store {
    /// The projects of `ids` with their current revisions, a few hundred per query; an id
    /// that names no project is left out.
    pub async fn projects_by_id(&self, ids: &[ProjectId]) -> Result<Vec<(Project, u32)>> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let binds: Vec<Bind> = chunk.iter().map(|id| Bind::Text(id.to_string())).collect();
            let sql = format!(
                "SELECT id, document, revision FROM projects WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let rows: Vec<(String, String, i64)> = on_pool!(self.db(), pool =>
                bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &binds)
                    .fetch_all(pool)
                    .await?);
            for (id, document, revision) in rows {
                let project = serde_json::from_str(&document)
                    .map_err(|e| StoreError::Corrupt(format!("project {id}: {e}")))?;
                found.push((project, u32::try_from(revision).unwrap_or(u32::MAX)));
            }
        }
        Ok(found)
    }

    /// Applies each planned patch as [`Store::patch_project`] does with a named revision, all
    /// in one transaction, and says what became of each, in order. A patch that cannot be
    /// written does not stop the others.
    pub async fn patch_projects(&self, patches: &[PlannedPatch]) -> Result<Vec<PatchOutcome>> {
        self.patch_projects_alongside(patches, &[]).await
    }

    /// [`Store::patch_projects`] with `alongside` run in the same transaction, whether or not
    /// any project is written.
    pub(crate) async fn patch_projects_alongside(
        &self,
        patches: &[PlannedPatch],
        alongside: &[Alongside],
    ) -> Result<Vec<PatchOutcome>> {
        let mut outcomes: Vec<Option<PatchOutcome>> = (0..patches.len()).map(|_| None).collect();
        let ready = self.make_ready(patches, &mut outcomes).await?;
        if ready.is_empty() && alongside.is_empty() {
            return Ok(outcomes.into_iter().flatten().collect());
        }
        let written = self.write_ready(&ready, alongside).await?;
        for (item, was_written) in ready.into_iter().zip(written) {
            outcomes[item.index] = Some(if was_written {
                tracing::info!(project.id = %item.next.id, project.revision = item.row.revision,
                    "changed project {} to revision {}", item.next.id, item.row.revision);
                PatchOutcome::Written(Box::new(item.next))
            } else {
                PatchOutcome::NotWritten(moved_on(&item.row.id))
            });
        }
        Ok(outcomes.into_iter().flatten().collect())
    }

    /// Applies and checks every patch; those that change nothing or break a rule get their
    /// outcome at once, the others come back ready to write.
    async fn make_ready<'a>(
        &self,
        patches: &'a [PlannedPatch],
        outcomes: &mut [Option<PatchOutcome>],
    ) -> Result<Vec<Ready<'a>>> {
        let mut patched: Vec<(usize, ProjectContent)> = Vec::new();
        for (index, planned) in patches.iter().enumerate() {
            match apply_patch(&planned.current.content, &planned.patch) {
                Ok(content) => patched.push((index, content)),
                Err(error) => outcomes[index] = Some(PatchOutcome::NotWritten(error)),
            }
        }
        let contents: Vec<&ProjectContent> = patched.iter().map(|(_, c)| c).collect();
        let places = self.check_projects(&contents).await?;

        let mut ready = Vec::new();
        for ((index, content), place) in patched.into_iter().zip(places) {
            let planned = &patches[index];
            let place = match place {
                Ok(place) => place,
                Err(error) => {
                    outcomes[index] = Some(PatchOutcome::NotWritten(error));
                    continue;
                }
            };
            let current = &planned.current;
            let withdrawn = current.status == Status::Cancelled;
            let next = Project {
                updated: now(),
                status: Project::derive_status(withdrawn, content.status_details),
                content,
                ..current.clone()
            };
            if next.content == current.content && next.status == current.status {
                outcomes[index] = Some(PatchOutcome::Unchanged);
                continue;
            }
            let before =
                serde_json::to_value(current).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let after =
                serde_json::to_value(&next).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let mut row = match Row::new(&next, &place) {
                Ok(row) => row,
                Err(error) => {
                    outcomes[index] = Some(PatchOutcome::NotWritten(error));
                    continue;
                }
            };
            row.revision = i64::from(planned.revision) + 1;
            ready.push(Ready {
                index,
                next,
                row,
                expected: planned.revision,
                patch: diff(&before, &after),
                change: &planned.change,
            });
        }
        Ok(ready)
    }

    /// Writes the ready rows that are still at the revision they were planned on, with
    /// their search entries and revisions, and runs `alongside`, in one transaction.
    /// Returns, for each row in order, whether it was written.
    async fn write_ready(&self, ready: &[Ready<'_>], alongside: &[Alongside]) -> Result<Vec<bool>> {
        in_write_tx!(self, tx, backend => async {
            let sql = update_sql(backend);
            let mut written = Vec::with_capacity(ready.len());
            for item in ready {
                let binds = update_binds(&item.row, item.expected);
                let query = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), &binds);
                written.push(query.execute(&mut *tx).await?.rows_affected() > 0);
            }
            let rows: Vec<&Ready> =
                ready.iter().zip(&written).filter(|(_, w)| **w).map(|(r, _)| r).collect();
            if !rows.is_empty() {
                if backend == Backend::Sqlite {
                    for chunk in rows.chunks(IDS_PER_QUERY) {
                        let ids: Vec<Bind> =
                            chunk.iter().map(|r| Bind::Text(r.row.id.clone())).collect();
                        let sql = delete_search_entries(&placeholders(1, chunk.len()));
                        bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql)), &ids)
                            .execute(&mut *tx)
                            .await?;
                    }
                    let searches: Vec<Vec<Bind>> = rows.iter().map(|r| search_row(r)).collect();
                    insert_search_entries!(tx, &searches);
                }
                sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
                let revisions: Vec<Vec<Bind>> = rows.iter().map(|r| revision_row(r)).collect();
                insert_rows!(tx, backend, "revisions", revisions::COLUMNS, &revisions, None);
            }
            for statement in alongside {
                let query = sqlx::query(sqlx::AssertSqlSafe(statement.sql));
                bind_all!(query, &statement.binds).execute(&mut *tx).await?;
            }
            Ok::<_, StoreError>(written)
        }.await)
    }
}

/// The values of a written row's entry in SQLite's search table.
fn search_row(ready: &Ready<'_>) -> Vec<Bind> {
    vec![
        Bind::Text(ready.row.id.clone()),
        Bind::Text(ready.row.search_text.clone()),
    ]
}

/// The values of the revision that records a written row, in the order of
/// [`revisions::COLUMNS`].
fn revision_row(ready: &Ready<'_>) -> Vec<Bind> {
    vec![
        Bind::Text(Entity::Project.as_str().to_owned()),
        Bind::Text(ready.row.id.clone()),
        Bind::Int(ready.row.revision),
        Bind::Text(ready.change.author.clone()),
        Bind::Text(ready.change.reason.clone()),
        Bind::Time(ready.row.updated_at),
        Bind::Text(ready.patch.to_string()),
    ]
}
