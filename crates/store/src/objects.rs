//! The objects table: functional objects (assets) with their holder, place and damage
//! record, each change kept as a revision.

use dream_domain::object::{Object, ObjectContent};
use dream_domain::revision::{apply, diff};
use dream_domain::validation::from_json;
use dream_domain::{FieldError, Katottg, ObjectId};
use serde_json::Value;

use crate::projects::check_expected;
use crate::revisions::{Change, Entity, insert_revision};
use crate::{Result, Store, StoreError, in_write_tx, now, on_pool};

/// Inserts a new object row and its first revision inside the caller's transaction.
macro_rules! insert_object_row {
    ($tx:expr, $object:expr, $oblast:expr, $change:expr) => {{
        let object: &Object = $object;
        let content = &object.content;
        let document =
            serde_json::to_value(object).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO objects (id, title_uk, status, holder, katottg, oblast, \
             damage_record_id, created_at, updated_at, revision, document) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)",
        )
        .bind(object.id.to_string())
        .bind(&content.title.uk)
        .bind(content.status.as_str())
        .bind(content.holder.as_str())
        .bind(content.locations.first().map(|l| l.katottg.to_string()))
        .bind($oblast)
        .bind(&content.damage_record_id)
        .bind(crate::timestamp::Timestamp(object.date))
        .bind(crate::timestamp::Timestamp(object.updated))
        .bind(document.to_string())
        .execute(&mut *$tx)
        .await?;
        let patch = diff(&Value::Null, &document);
        insert_revision!(
            $tx,
            Entity::Object,
            object.id.to_string(),
            1i64,
            $change,
            object.date,
            patch
        )?;
    }};
}

impl Store {
    /// Checks an object's content, returning the oblast of its first location.
    async fn check_object(&self, content: &ObjectContent) -> Result<String> {
        let mut errors = content.check();
        let codes: Vec<(String, Katottg)> = content
            .locations
            .iter()
            .enumerate()
            .map(|(i, location)| (format!("locations[{i}].katottg"), location.katottg.clone()))
            .collect();
        let places = self.known_territories(codes, &mut errors).await?;
        errors.into_result()?;
        Ok(places
            .first()
            .map(|p| p.oblast.to_string())
            .unwrap_or_default())
    }

    /// Creates an object; its first revision records the whole content.
    pub async fn create_object(&self, content: ObjectContent, change: &Change) -> Result<Object> {
        let oblast = self.check_object(&content).await?;
        let at = now();
        let object = Object {
            id: ObjectId::new(),
            date: at,
            updated: at,
            content,
        };
        self.write_object(None, &object, &oblast, 0, change).await?;
        tracing::info!(object.id = %object.id, "created object {}", object.id);
        Ok(object)
    }

    /// Writes already checked objects with their first revisions, in one transaction; used to
    /// load demo data and imports.
    pub async fn insert_objects(
        &self,
        objects: &[(Object, String)],
        change: &Change,
    ) -> Result<()> {
        for chunk in objects.chunks(1000) {
            in_write_tx!(self.db(), tx, _backend => async {
                for (object, oblast) in chunk {
                    insert_object_row!(tx, object, oblast, change);
                }
                Ok::<_, StoreError>(())
            }.await)?;
        }
        Ok(())
    }

    /// The stored JSON document of an object.
    pub async fn object_document(&self, id: &ObjectId) -> Result<String> {
        Ok(self.object_row(id).await?.0)
    }

    async fn object_row(&self, id: &ObjectId) -> Result<(String, u32)> {
        let row: Option<(String, i64)> = on_pool!(self.db(), pool =>
            sqlx::query_as("SELECT document, revision FROM objects WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?);
        let (document, revision) = row.ok_or_else(|| StoreError::NotFound {
            entity: "object",
            id: id.to_string(),
        })?;
        Ok((document, u32::try_from(revision).unwrap_or(u32::MAX)))
    }

    /// Applies a client's RFC 6902 patch to an object's content.
    pub async fn patch_object(
        &self,
        id: &ObjectId,
        patch: &Value,
        expected_revision: Option<u32>,
        change: &Change,
    ) -> Result<Object> {
        let (document, revision) = self.object_row(id).await?;
        check_expected(revision, expected_revision)?;
        let current: Object = serde_json::from_str(&document)
            .map_err(|e| StoreError::Corrupt(format!("object {id}: {e}")))?;
        let content_json = serde_json::to_value(&current.content)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let patched = apply(&content_json, patch).map_err(|message| {
            StoreError::Invalid(
                FieldError {
                    field: "patch".into(),
                    message,
                }
                .into(),
            )
        })?;
        let content: ObjectContent = from_json(patched)?;
        if content == current.content {
            return Ok(current);
        }
        let oblast = self.check_object(&content).await?;
        let next = Object {
            updated: now(),
            content,
            ..current.clone()
        };
        self.write_object(Some(&current), &next, &oblast, revision, change)
            .await?;
        Ok(next)
    }

    /// Inserts (no `before`) or replaces an object row still at `revision`, with its revision.
    async fn write_object(
        &self,
        before: Option<&Object>,
        object: &Object,
        oblast: &str,
        revision: u32,
        change: &Change,
    ) -> Result<()> {
        let before_json = match before {
            Some(b) => serde_json::to_value(b).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            None => Value::Null,
        };
        let after_json =
            serde_json::to_value(object).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let patch = diff(&before_json, &after_json);
        let number = i64::from(revision) + 1;
        in_write_tx!(self.db(), tx, _backend => async {
            if before.is_some() {
                let content = &object.content;
                let updated = sqlx::query(
                    "UPDATE objects SET title_uk = $1, status = $2, holder = $3, katottg = $4, \
                     oblast = $5, damage_record_id = $6, updated_at = $7, revision = $8, \
                     document = $9 WHERE id = $10 AND revision = $11",
                )
                .bind(&content.title.uk)
                .bind(content.status.as_str())
                .bind(content.holder.as_str())
                .bind(content.locations[0].katottg.as_str())
                .bind(oblast)
                .bind(&content.damage_record_id)
                .bind(crate::timestamp::Timestamp(object.updated))
                .bind(number)
                .bind(after_json.to_string())
                .bind(object.id.to_string())
                .bind(i64::from(revision))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if updated == 0 {
                    return Err(StoreError::Conflict(format!(
                        "object {} changed meanwhile; read it again and retry", object.id
                    )));
                }
                insert_revision!(tx, Entity::Object, object.id.to_string(), number, change, object.updated, patch)?;
            } else {
                insert_object_row!(tx, object, oblast, change);
            }
            Ok::<_, StoreError>(())
        }.await)
    }
}
