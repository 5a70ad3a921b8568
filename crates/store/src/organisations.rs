//! The organisations table, keyed by EDRPOU code, each change kept as a revision.

use dream_domain::Edrpou;
use dream_domain::organisation::{Organisation, OrganisationContent};
use dream_domain::revision::diff;
use serde_json::Value;

use crate::projects::{BUMP_VERSION, check_expected};
use crate::revisions::{Change, Entity, apply_patch, insert_revision};
use crate::{Result, Store, StoreError, in_write_tx, now, on_pool};

/// Inserts (when `$before` is `None`) or replaces an organisation row still at `$revision`,
/// with the revision that records the change, inside the caller's transaction.
macro_rules! write_organisation_row {
    ($tx:expr, $before:expr, $organisation:expr, $oblast:expr, $revision:expr, $change:expr) => {{
        let organisation: &Organisation = $organisation;
        let before: Value = match $before {
            Some(before) => {
                serde_json::to_value(before).map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
            None => Value::Null,
        };
        let after =
            serde_json::to_value(organisation).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let number = i64::from($revision) + 1;
        let content = &organisation.content;
        let sql = if before.is_null() {
            "INSERT INTO organisations (name_uk, kind, territory, oblast, updated_at, revision, \
             document, id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        } else {
            "UPDATE organisations SET name_uk = $1, kind = $2, territory = $3, oblast = $4, \
             updated_at = $5, revision = $6, document = $7 WHERE id = $8 AND revision = $9"
        };
        let query = sqlx::query(sql)
            .bind(&content.name.uk)
            .bind(content.kind.as_str())
            .bind(content.territory.as_str())
            .bind($oblast)
            .bind(crate::timestamp::Timestamp(organisation.updated))
            .bind(number)
            .bind(after.to_string())
            .bind(organisation.id.as_str());
        let query = if before.is_null() {
            query
        } else {
            query.bind(i64::from($revision))
        };
        let written = query.execute(&mut *$tx).await?.rows_affected();
        if written == 0 {
            return Err(StoreError::Conflict(format!(
                "organisation {} changed meanwhile; read it again and retry",
                organisation.id
            )));
        }
        let patch = diff(&before, &after);
        insert_revision!(
            $tx,
            Entity::Organisation,
            organisation.id.as_str(),
            number,
            $change,
            organisation.updated,
            patch
        )?;
    }};
}

impl Store {
    /// Checks an organisation's content, returning the oblast of its territory.
    async fn check_organisation(&self, content: &OrganisationContent) -> Result<String> {
        let mut errors = content.check();
        let places = self
            .known_territories(
                vec![("territory".to_owned(), content.territory.clone())],
                &mut errors,
            )
            .await?;
        errors.into_result()?;
        Ok(places
            .first()
            .map(|p| p.oblast.to_string())
            .unwrap_or_default())
    }

    /// Registers an organisation under its EDRPOU code.
    pub async fn create_organisation(
        &self,
        id: Edrpou,
        content: OrganisationContent,
        change: &Change,
    ) -> Result<Organisation> {
        let oblast = self.check_organisation(&content).await?;
        if self.organisation_row(&id).await.is_ok() {
            return Err(StoreError::Conflict(format!(
                "organisation {id} is already registered"
            )));
        }
        let organisation = Organisation {
            id,
            updated: now(),
            content,
        };
        self.insert_organisations(&[(organisation.clone(), oblast)], change)
            .await?;
        let id = &organisation.id;
        tracing::info!(organisation.id = %id, "registered organisation {id}");
        Ok(organisation)
    }

    /// Writes already checked organisations with their first revisions in one transaction.
    pub async fn insert_organisations(
        &self,
        organisations: &[(Organisation, String)],
        change: &Change,
    ) -> Result<()> {
        in_write_tx!(self, tx, _backend => async {
            for (organisation, oblast) in organisations {
                let none = None::<&Organisation>;
                write_organisation_row!(tx, none, organisation, oblast, 0u32, change);
            }
            sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            Ok::<_, StoreError>(())
        }.await)
    }

    /// Whether an organisation with this code is registered.
    pub async fn organisation_exists(&self, id: &Edrpou) -> Result<bool> {
        match self.organisation_row(id).await {
            Ok(_) => Ok(true),
            Err(StoreError::NotFound { .. }) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// The stored JSON document of an organisation.
    pub async fn organisation_document(&self, id: &Edrpou) -> Result<String> {
        Ok(self.organisation_row(id).await?.0)
    }

    async fn organisation_row(&self, id: &Edrpou) -> Result<(String, u32)> {
        let row: Option<(String, i64)> = on_pool!(self.db(), pool =>
            sqlx::query_as("SELECT document, revision FROM organisations WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(pool)
                .await?);
        let (document, revision) = row.ok_or_else(|| StoreError::NotFound {
            entity: "organisation",
            id: id.to_string(),
        })?;
        Ok((document, u32::try_from(revision).unwrap_or(u32::MAX)))
    }

    /// Applies a client's RFC 6902 patch to an organisation's content.
    pub async fn patch_organisation(
        &self,
        id: &Edrpou,
        patch: &Value,
        expected_revision: Option<u32>,
        change: &Change,
    ) -> Result<Organisation> {
        let (document, revision) = self.organisation_row(id).await?;
        check_expected(revision, expected_revision)?;
        let current: Organisation = serde_json::from_str(&document)
            .map_err(|e| StoreError::Corrupt(format!("organisation {id}: {e}")))?;
        let content: OrganisationContent = apply_patch(&current.content, patch)?;
        if content == current.content {
            return Ok(current);
        }
        let oblast = self.check_organisation(&content).await?;
        let next = Organisation {
            updated: now(),
            content,
            ..current.clone()
        };
        in_write_tx!(self, tx, _backend => async {
            write_organisation_row!(tx, Some(&current), &next, &oblast, revision, change);
            sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            Ok::<_, StoreError>(())
        }.await)?;
        Ok(next)
    }
}
