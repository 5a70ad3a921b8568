//! The objects table: functional objects (assets) with their holder, place and damage
//! record, each change kept as a revision.

use dream_domain::object::{Object, ObjectContent};
use dream_domain::revision::diff;
use dream_domain::{Katottg, ObjectId};
use serde_json::Value;

use crate::bulk::{Bind, bind_all, insert_rows};
use crate::projects::{BUMP_VERSION, check_expected};
use crate::revisions::{self, Change, Entity, apply_patch, insert_revision};
use crate::timestamp::Timestamp;
use crate::{Result, Store, StoreError, in_write_tx, now, on_pool};

const OBJECT_COLUMNS: &[&str] = &[
    "id",
    "title_uk",
    "status",
    "holder",
    "katottg",
    "oblast",
    "damage_record_id",
    "created_at",
    "updated_at",
    "revision",
    "document",
];

/// The values of a new object's row and of its first revision's row.
fn new_object_rows(
    object: &Object,
    oblast: &str,
    change: &Change,
) -> Result<(Vec<Bind>, Vec<Bind>)> {
    let content = &object.content;
    let document = serde_json::to_string(object).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id = object.id.to_string();
    let at = Timestamp(object.date);
    let revision = revisions::first_revision_row(Entity::Object, &id, change, at, &document);
    let row = vec![
        Bind::Text(id),
        Bind::Text(content.title.uk.clone()),
        Bind::Text(content.status.as_str().to_owned()),
        Bind::Text(content.holder.to_string()),
        Bind::Text(
            content
                .locations
                .first()
                .map(|l| l.katottg.to_string())
                .unwrap_or_default(),
        ),
        Bind::Text(oblast.to_owned()),
        Bind::OptionalText(content.damage_record_id.clone()),
        Bind::Time(Timestamp(object.date)),
        Bind::Time(Timestamp(object.updated)),
        Bind::Int(1),
        Bind::Text(document),
    ];
    Ok((row, revision))
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
        self.insert_objects(&[(object.clone(), oblast)], change)
            .await?;
        tracing::info!(object.id = %object.id, "created object {}", object.id);
        Ok(object)
    }

    /// Writes already checked objects, each with its oblast, and their first revisions in one
    /// transaction; used by `create_object`, demo data and imports.
    pub async fn insert_objects(
        &self,
        objects: &[(Object, String)],
        change: &Change,
    ) -> Result<()> {
        let (rows, revisions): (Vec<Vec<Bind>>, Vec<Vec<Bind>>) = objects
            .iter()
            .map(|(object, oblast)| new_object_rows(object, oblast, change))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .unzip();
        in_write_tx!(self, tx, backend => async {
            insert_rows!(tx, backend, "objects", OBJECT_COLUMNS, &rows, None);
            insert_rows!(tx, backend, "revisions", revisions::COLUMNS, &revisions, None);
            sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            Ok::<_, StoreError>(())
        }.await)
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
        let content: ObjectContent = apply_patch(&current.content, patch)?;
        if content == current.content {
            return Ok(current);
        }
        let oblast = self.check_object(&content).await?;
        let next = Object {
            updated: now(),
            content,
            ..current.clone()
        };
        self.update_object(&current, &next, &oblast, revision, change)
            .await?;
        Ok(next)
    }

    /// Replaces an object row still at `revision`, adding the revision that records it.
    async fn update_object(
        &self,
        before: &Object,
        object: &Object,
        oblast: &str,
        revision: u32,
        change: &Change,
    ) -> Result<()> {
        let before_json =
            serde_json::to_value(before).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let after_json =
            serde_json::to_value(object).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let patch = diff(&before_json, &after_json);
        let number = i64::from(revision) + 1;
        let content = &object.content;
        in_write_tx!(self, tx, _backend => async {
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
            .bind(Timestamp(object.updated))
            .bind(number)
            .bind(after_json.to_string())
            .bind(object.id.to_string())
            .bind(i64::from(revision))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict(format!(
                    "object {} changed meanwhile; read it again and retry",
                    object.id
                )));
            }
            let id = object.id.to_string();
            insert_revision!(tx, Entity::Object, id, number, change, object.updated, patch)?;
            sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            Ok::<_, StoreError>(())
        }.await)
    }
}
