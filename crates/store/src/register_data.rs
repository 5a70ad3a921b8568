//! What the EDR, the Register of Damaged and Destroyed Property and the treasury bring in,
//! as the store keeps it: the latest record of each organisation and damage record (JSON
//! documents the connectors wrote), which object is linked to which damage record, whose
//! payments under which contract belong to a project, the payments themselves with the
//! project's paid total, and the conflicts between a register and what a person entered.
//!
//! The paid total changes a project, so it is written with a project revision in the same
//! transaction, as every other change to a project is.

use dream_domain::policy::Visibility;
use dream_domain::project::Project;
use dream_domain::revision::diff;
use dream_domain::{ObjectId, ProjectId};
use uuid::Uuid;

use crate::projects::BUMP_VERSION;
use crate::revisions::{Change, Entity, insert_revision};
use crate::timestamp::Timestamp;
use crate::{Result, Store, StoreError, in_write_tx, now, on_pool};

/// An object's link to its record in the Register of Damaged and Destroyed Property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamageLink {
    pub object_id: String,
    pub record_id: String,
}

/// A project's claim on the treasury payments of one payer under one contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreasuryLink {
    pub project_id: String,
    pub payer_edrpou: String,
    pub contract_number: String,
}

/// One treasury payment as a project keeps it; the amount is in minor units (kopiykas).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectTransaction {
    pub transaction_id: String,
    pub doc_date: time::Date,
    pub amount_minor: i64,
    pub currency: String,
    pub payer_edrpou: String,
    pub recipient_edrpou: String,
    pub payment_details: String,
    pub contract_number: Option<String>,
}

/// A register's value that differs from the value a person entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterConflict {
    pub id: String,
    /// `edr` or `rddp`.
    pub register: String,
    /// The record the value belongs to: an EDRPOU code or an object id.
    pub record_key: String,
    /// The JSON pointer of the value in that record, such as `/name/uk`.
    pub field: String,
    /// What the record holds; `None` when it holds nothing there.
    pub our_value: Option<String>,
    pub register_value: String,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
}

/// What became of a conflict the register raised again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictNoted {
    /// It is new and waits for a person.
    New,
    /// It was already open; its values and `last_seen` are brought up to date.
    StillOpen,
    /// A person already chose to keep our value over this very register value.
    AlreadyDecided,
}

/// How a conflict ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// A person kept the value they had entered.
    Kept,
    /// A person took the register's value.
    Taken,
    /// The two values came to agree, so there is nothing left to choose.
    Agreed,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Kept => "kept",
            Resolution::Taken => "taken",
            Resolution::Agreed => "agreed",
        }
    }
}

type ConflictRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Timestamp,
    Timestamp,
);

fn conflict_from_row(row: ConflictRow) -> RegisterConflict {
    let (id, register, record_key, field, our_value, register_value, first_seen, last_seen) = row;
    RegisterConflict {
        id,
        register,
        record_key,
        field,
        our_value,
        register_value,
        first_seen,
        last_seen,
    }
}

const CONFLICT_COLUMNS: &str =
    "id, register, record_key, field, our_value, register_value, first_seen, last_seen";

impl Store {
    /// Every registered organisation's EDRPOU code, in order.
    pub async fn organisation_codes(&self) -> Result<Vec<String>> {
        let codes: Vec<String> = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT id FROM organisations ORDER BY id")
                .fetch_all(pool)
                .await?);
        Ok(codes)
    }

    /// The stored EDR record of a code, if it was fetched before.
    pub async fn edr_record(&self, code: &str) -> Result<Option<String>> {
        self.document_of("edr_records", "code", code).await
    }

    /// Keeps the latest EDR record of a code.
    pub async fn store_edr_record(&self, code: &str, document: &str) -> Result<()> {
        self.keep_document("edr_records", "code", code, document)
            .await
    }

    /// Links an object to a damage record, replacing an earlier link of the object. Returns
    /// whether anything changed.
    pub async fn link_damage(
        &self,
        object: &ObjectId,
        record_id: &str,
        linked_by: &str,
    ) -> Result<bool> {
        self.object_document(object).await?;
        let written = on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO damage_links (object_id, record_id, linked_at, linked_by) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (object_id) DO UPDATE SET \
                 record_id = excluded.record_id, linked_at = excluded.linked_at, \
                 linked_by = excluded.linked_by \
                 WHERE damage_links.record_id <> excluded.record_id",
            )
            .bind(object.to_string()).bind(record_id).bind(Timestamp(now())).bind(linked_by)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(written > 0)
    }

    /// Every object's damage link, by object.
    pub async fn damage_links(&self) -> Result<Vec<DamageLink>> {
        let rows: Vec<(String, String)> = on_pool!(self.db(), pool =>
            sqlx::query_as("SELECT object_id, record_id FROM damage_links ORDER BY object_id")
                .fetch_all(pool)
                .await?);
        Ok(rows
            .into_iter()
            .map(|(object_id, record_id)| DamageLink {
                object_id,
                record_id,
            })
            .collect())
    }

    /// The stored version of a damage record, if it was fetched before.
    pub async fn damage_record(&self, record_id: &str) -> Result<Option<String>> {
        self.document_of("damage_records", "record_id", record_id)
            .await
    }

    /// Keeps the latest version of a damage record.
    pub async fn store_damage_record(&self, record_id: &str, document: &str) -> Result<()> {
        self.keep_document("damage_records", "record_id", record_id, document)
            .await
    }

    async fn document_of(&self, table: &str, key: &str, value: &str) -> Result<Option<String>> {
        let sql = format!("SELECT document FROM {table} WHERE {key} = $1");
        let document: Option<String> = on_pool!(self.db(), pool =>
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(value)
                .fetch_optional(pool)
                .await?);
        Ok(document)
    }

    async fn keep_document(&self, table: &str, key: &str, value: &str, doc: &str) -> Result<()> {
        let sql = format!(
            "INSERT INTO {table} ({key}, document, fetched_at) VALUES ($1, $2, $3) \
             ON CONFLICT ({key}) DO UPDATE SET document = excluded.document, \
             fetched_at = excluded.fetched_at"
        );
        on_pool!(self.db(), pool =>
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(value).bind(doc).bind(Timestamp(now()))
                .execute(pool)
                .await
                .map(|_| ())?);
        Ok(())
    }

    /// Gives a project the payments of one payer under one contract; linking the same pair
    /// again changes nothing. Returns whether the link is new.
    pub async fn link_treasury(&self, link: &TreasuryLink, linked_by: &str) -> Result<bool> {
        let project = ProjectId::parse(&link.project_id).map_err(|_| StoreError::NotFound {
            entity: "project",
            id: link.project_id.clone(),
        })?;
        self.project_document(&project, &Visibility::Everything)
            .await?;
        let inserted = on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO treasury_links (project_id, payer_edrpou, contract_number, \
                 linked_at, linked_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(&link.project_id).bind(&link.payer_edrpou).bind(&link.contract_number)
            .bind(Timestamp(now())).bind(linked_by)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(inserted > 0)
    }

    /// Every treasury link, by project.
    pub async fn treasury_links(&self) -> Result<Vec<TreasuryLink>> {
        let rows: Vec<(String, String, String)> = on_pool!(self.db(), pool =>
            sqlx::query_as(
                "SELECT project_id, payer_edrpou, contract_number FROM treasury_links \
                 ORDER BY project_id, payer_edrpou, contract_number",
            )
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(project_id, payer_edrpou, contract_number)| TreasuryLink {
                project_id,
                payer_edrpou,
                contract_number,
            })
            .collect())
    }

    /// A project's payments, oldest first.
    pub async fn project_transactions(
        &self,
        project: &ProjectId,
    ) -> Result<Vec<ProjectTransaction>> {
        type Row = (
            String,
            time::Date,
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
        );
        let rows: Vec<Row> = on_pool!(self.db(), pool =>
            sqlx::query_as(
                "SELECT transaction_id, doc_date, amount_minor, currency, payer_edrpou, \
                 recipient_edrpou, payment_details, contract_number FROM project_transactions \
                 WHERE project_id = $1 ORDER BY doc_date, transaction_id",
            )
            .bind(project.as_str())
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|row| ProjectTransaction {
                transaction_id: row.0,
                doc_date: row.1,
                amount_minor: row.2,
                currency: row.3,
                payer_edrpou: row.4,
                recipient_edrpou: row.5,
                payment_details: row.6,
                contract_number: row.7,
            })
            .collect())
    }

    /// A project's paid total in minor units, as the last treasury sync computed it.
    pub async fn project_paid_minor(&self, project: &ProjectId) -> Result<i64> {
        let paid: Option<i64> = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT paid_minor FROM projects WHERE id = $1")
                .bind(project.as_str())
                .fetch_optional(pool)
                .await?);
        paid.ok_or_else(|| StoreError::NotFound {
            entity: "project",
            id: project.to_string(),
        })
    }

    /// Makes `payments` the project's payments: each is written or rewritten under its id,
    /// the ids in `withdrawn` are removed, and the paid total is summed again from what the
    /// table then holds. The project must still be at `expected_revision`; it gets the next
    /// revision, carrying `change`. Returns the new paid total.
    ///
    /// FIXME: the project document has no field for payments yet (OC4IDS keeps them under
    /// `contractingProcesses/summary/transactions`), so the revision's patch only moves
    /// `updated`, and the figures that changed are in the revision's reason alone.
    pub async fn write_project_transactions(
        &self,
        project: &ProjectId,
        payments: &[ProjectTransaction],
        withdrawn: &[String],
        expected_revision: u32,
        change: &Change,
    ) -> Result<i64> {
        let (current, revision) = self.project(project).await?;
        if revision != expected_revision {
            return Err(StoreError::Conflict(format!(
                "project {project} changed while its payments were fetched; sync again"
            )));
        }
        let next = Project {
            updated: now(),
            ..current.clone()
        };
        let before =
            serde_json::to_value(&current).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let after = serde_json::to_value(&next).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let patch = diff(&before, &after);
        let number = i64::from(revision) + 1;
        let id = project.as_str();

        let paid = in_write_tx!(self, tx, _backend => async {
            for payment in payments {
                sqlx::query(
                    "INSERT INTO project_transactions (project_id, transaction_id, doc_date, \
                     amount_minor, currency, payer_edrpou, recipient_edrpou, payment_details, \
                     contract_number, fetched_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     ON CONFLICT (project_id, transaction_id) DO UPDATE SET \
                     doc_date = excluded.doc_date, amount_minor = excluded.amount_minor, \
                     currency = excluded.currency, payer_edrpou = excluded.payer_edrpou, \
                     recipient_edrpou = excluded.recipient_edrpou, \
                     payment_details = excluded.payment_details, \
                     contract_number = excluded.contract_number, \
                     fetched_at = excluded.fetched_at",
                )
                .bind(id).bind(&payment.transaction_id).bind(payment.doc_date)
                .bind(payment.amount_minor).bind(&payment.currency).bind(&payment.payer_edrpou)
                .bind(&payment.recipient_edrpou).bind(&payment.payment_details)
                .bind(&payment.contract_number).bind(Timestamp(next.updated))
                .execute(&mut *tx)
                .await?;
            }
            for transaction_id in withdrawn {
                sqlx::query(
                    "DELETE FROM project_transactions WHERE project_id = $1 \
                     AND transaction_id = $2",
                )
                .bind(id).bind(transaction_id)
                .execute(&mut *tx)
                .await?;
            }
            // Summed in the database from the rows just written, so the total always equals
            // its payments, however the rows got there.
            let paid: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) \
                 FROM project_transactions WHERE project_id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let updated = sqlx::query(
                "UPDATE projects SET paid_minor = $1, updated_at = $2, revision = $3, \
                 document = $4 WHERE id = $5 AND revision = $6",
            )
            .bind(paid).bind(Timestamp(next.updated)).bind(number).bind(after.to_string())
            .bind(id).bind(i64::from(revision))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict(format!(
                    "project {id} changed while its payments were written; sync again"
                )));
            }
            sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            insert_revision!(tx, Entity::Project, id, number, change, next.updated, patch)?;
            Ok::<_, StoreError>(paid)
        }.await)?;
        tracing::info!(project.id = %project, project.revision = number, paid_minor = paid,
            "project {project}: treasury payments written, paid total {paid}");
        Ok(paid)
    }

    /// Notes that a register disagrees with a value a person entered. At most one conflict
    /// per register, record and field is open; seeing it again updates its values and keeps
    /// when it was first seen.
    pub async fn note_conflict(
        &self,
        register: &str,
        record_key: &str,
        field: &str,
        our_value: Option<&str>,
        register_value: &str,
    ) -> Result<ConflictNoted> {
        let at = Timestamp(now());
        in_write_tx!(self, tx, _backend => async {
            let decided: Option<String> = sqlx::query_scalar(
                "SELECT id FROM register_conflicts WHERE register = $1 AND record_key = $2 \
                 AND field = $3 AND register_value = $4 AND resolution = 'kept' LIMIT 1",
            )
            .bind(register).bind(record_key).bind(field).bind(register_value)
            .fetch_optional(&mut *tx)
            .await?;
            if decided.is_some() {
                return Ok(ConflictNoted::AlreadyDecided);
            }
            let updated = sqlx::query(
                "UPDATE register_conflicts SET our_value = $1, register_value = $2, \
                 last_seen = $3 WHERE register = $4 AND record_key = $5 AND field = $6 \
                 AND resolved_at IS NULL",
            )
            .bind(our_value).bind(register_value).bind(at)
            .bind(register).bind(record_key).bind(field)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated > 0 {
                return Ok(ConflictNoted::StillOpen);
            }
            sqlx::query(
                "INSERT INTO register_conflicts (id, register, record_key, field, our_value, \
                 register_value, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(Uuid::now_v7().to_string()).bind(register).bind(record_key).bind(field)
            .bind(our_value).bind(register_value).bind(at)
            .execute(&mut *tx)
            .await?;
            Ok::<_, StoreError>(ConflictNoted::New)
        }.await)
    }

    /// Closes the open conflict of a register, record and field, if there is one. Returns
    /// whether one was closed.
    pub async fn close_conflict(
        &self,
        register: &str,
        record_key: &str,
        field: &str,
        resolution: Resolution,
        resolved_by: &str,
    ) -> Result<bool> {
        let closed = on_pool!(self.db(), pool =>
            sqlx::query(
                "UPDATE register_conflicts SET resolved_at = $1, resolved_by = $2, \
                 resolution = $3 WHERE register = $4 AND record_key = $5 AND field = $6 \
                 AND resolved_at IS NULL",
            )
            .bind(Timestamp(now())).bind(resolved_by).bind(resolution.as_str())
            .bind(register).bind(record_key).bind(field)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(closed > 0)
    }

    /// The conflicts waiting for a person, oldest first; of one register, or of all.
    pub async fn open_conflicts(&self, register: Option<&str>) -> Result<Vec<RegisterConflict>> {
        let sql = format!(
            "SELECT {CONFLICT_COLUMNS} FROM register_conflicts WHERE resolved_at IS NULL \
             AND ($1 IS NULL OR register = $1) ORDER BY first_seen, id"
        );
        let rows: Vec<ConflictRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(register)
                .fetch_all(pool)
                .await?);
        Ok(rows.into_iter().map(conflict_from_row).collect())
    }

    /// One open conflict by its id.
    pub async fn open_conflict(&self, id: &str) -> Result<RegisterConflict> {
        let sql = format!(
            "SELECT {CONFLICT_COLUMNS} FROM register_conflicts \
             WHERE id = $1 AND resolved_at IS NULL"
        );
        let row: Option<ConflictRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(pool)
                .await?);
        row.map(conflict_from_row)
            .ok_or_else(|| StoreError::NotFound {
                entity: "open conflict",
                id: id.to_owned(),
            })
    }
}
