//! The revisions table: one immutable row per change to a project, object or organisation,
//! holding the RFC 6902 patch from the previous state. Rows are only ever inserted.

use dream_domain::FieldError;
use dream_domain::revision::{self, Revision};
use dream_domain::validation::from_json;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Result, Store, StoreError, on_pool};

/// The kinds of record that keep a history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Project,
    Object,
    Organisation,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Project => "project",
            Entity::Object => "object",
            Entity::Organisation => "organisation",
        }
    }
}

/// Who made a change and why; both are required for every write.
#[derive(Debug, Clone)]
pub struct Change {
    pub author: String,
    pub reason: String,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    number: i64,
    author: String,
    reason: String,
    created_at: crate::timestamp::Timestamp,
    patch: String,
}

impl RevisionRow {
    fn into_revision(self) -> Result<Revision> {
        let patch: Value = serde_json::from_str(&self.patch)
            .map_err(|e| StoreError::Corrupt(format!("revision {}: {e}", self.number)))?;
        Ok(Revision {
            number: u32::try_from(self.number).unwrap_or(u32::MAX),
            author: self.author,
            reason: self.reason,
            date: self.created_at.0,
            patch,
        })
    }
}

/// Inserts one revision inside the caller's transaction (a macro, so that the same code
/// runs on either database's transaction).
macro_rules! insert_revision {
    ($tx:expr, $entity:expr, $id:expr, $number:expr, $change:expr, $at:expr, $patch:expr) => {
        sqlx::query(
            "INSERT INTO revisions (entity, entity_id, number, author, reason, created_at, patch) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($entity.as_str())
        .bind($id)
        .bind($number)
        .bind(&$change.author)
        .bind(&$change.reason)
        .bind($crate::timestamp::Timestamp::from($at))
        .bind($patch.to_string())
        .execute(&mut *$tx)
        .await
    };
}

pub(crate) use insert_revision;

/// The columns of a revision row, in the order of [`first_revision_row`].
pub(crate) const COLUMNS: &[&str] = &[
    "entity",
    "entity_id",
    "number",
    "author",
    "reason",
    "created_at",
    "patch",
];

/// The patch of a record's first revision: the whole document replaces nothing. Written as
/// text around the already serialised document, so a bulk load does not serialise twice.
pub(crate) fn creation_patch(document: &str) -> String {
    format!(r#"[{{"op":"replace","path":"","value":{document}}}]"#)
}

/// The values of a new record's first revision, for a bulk insert into [`COLUMNS`].
pub(crate) fn first_revision_row(
    entity: Entity,
    id: &str,
    change: &Change,
    at: crate::timestamp::Timestamp,
    document: &str,
) -> Vec<crate::bulk::Bind> {
    use crate::bulk::Bind;
    vec![
        Bind::Text(entity.as_str().to_owned()),
        Bind::Text(id.to_owned()),
        Bind::Int(1),
        Bind::Text(change.author.clone()),
        Bind::Text(change.reason.clone()),
        Bind::Time(at),
        Bind::Text(creation_patch(document)),
    ]
}

/// Applies a client's RFC 6902 patch to the content of a record and reads the result back
/// as content, naming the field of the first value that no longer fits.
pub(crate) fn apply_patch<T: Serialize + DeserializeOwned>(
    content: &T,
    patch: &Value,
) -> Result<T> {
    let current = serde_json::to_value(content).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let patched = revision::apply(&current, patch).map_err(|message| {
        StoreError::Invalid(
            FieldError {
                field: "patch".into(),
                message,
            }
            .into(),
        )
    })?;
    Ok(from_json(patched)?)
}

impl Store {
    /// Every revision of one record, oldest first; `up_to` stops at that number.
    pub async fn revisions(
        &self,
        entity: Entity,
        id: &str,
        up_to: Option<u32>,
    ) -> Result<Vec<Revision>> {
        let up_to = i64::from(up_to.unwrap_or(u32::MAX));
        let rows: Vec<RevisionRow> = on_pool!(self.db(), pool => sqlx::query_as(
            "SELECT number, author, reason, created_at, patch FROM revisions \
             WHERE entity = $1 AND entity_id = $2 AND number <= $3 ORDER BY number",
        )
        .bind(entity.as_str())
        .bind(id)
        .bind(up_to)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(RevisionRow::into_revision).collect()
    }

    /// The record exactly as it was after revision `number`, rebuilt from its patches.
    pub async fn state_at(
        &self,
        entity: Entity,
        id: &str,
        number: u32,
    ) -> Result<(Revision, Value)> {
        let history = self.revisions(entity, id, Some(number)).await?;
        let Some(last) = history.last().filter(|r| r.number == number).cloned() else {
            return Err(StoreError::NotFound {
                entity: "revision",
                id: format!("{} of {} {id}", number, entity.as_str()),
            });
        };
        let state = revision::replay(&history).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((last, state))
    }
}
