//! Bringing the Register of Damaged and Destroyed Property into objects: linking an object
//! to its damage record, and a sync that fetches every linked record, keeps its latest
//! version (`damage_records`: category, damage date, address, inspection act) and holds the
//! object's address against the record's under the rule of [`crate::conflicts`]: an address
//! a person entered stays, and a disagreement waits as a conflict for a person.

use std::collections::BTreeMap;

use futures_util::{StreamExt, stream};
use serde_json::json;

use dream_domain::ObjectId;
use dream_domain::object::Object;
use dream_store::register_data::{ConflictNoted, Resolution};
use dream_store::registers::SyncRun;
use dream_store::revisions::{Change, Entity};
use dream_store::{Store, StoreError};

use crate::conflicts::{Verdict, last_author, verdict, write_field};
use crate::runs::RunLog;

use super::client::RddpClient;
use super::ids::{DamageIdError, DamageRecordId};
use super::mapping::DamageRecord;

/// The name revisions written by the register carry as their author.
pub const AUTHOR: &str = "RDDP (sync)";
/// The register's name in the sync log and in conflicts.
pub const REGISTER: &str = "rddp";
/// The object's field the register speaks to: the address of its first location.
const ADDRESS: &str = "/locations/0/address";
/// How many records are fetched at once; the client's pace still applies.
const CONCURRENCY: usize = 4;

/// Why a link could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    Id(#[from] DamageIdError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Links an object to a damage record by what a person typed, and names the record in the
/// object's `damageRecordId` as a revision by that person. Returns whether anything changed.
pub async fn link(
    store: &Store,
    object: &ObjectId,
    typed: &str,
    who: &str,
) -> Result<bool, LinkError> {
    let record = DamageRecordId::parse(typed)?;
    let linked = store.link_damage(object, record.as_str(), who).await?;

    let current: Object = serde_json::from_str(&store.object_document(object).await?)
        .map_err(|e| StoreError::Corrupt(format!("object {object}: {e}")))?;
    if current.content.damage_record_id.as_deref() == Some(record.as_str()) {
        return Ok(linked);
    }
    let patch = json!([{"op": "add", "path": "/damageRecordId", "value": record.as_str()}]);
    let change = Change {
        author: who.to_owned(),
        reason: format!("linked to damage record {record} in the RDDP"),
    };
    store.patch_object(object, &patch, None, &change).await?;
    Ok(true)
}

/// What one sync did, for the command line.
#[derive(Debug, Clone)]
pub struct RddpSync {
    pub run: SyncRun,
    /// Object fields the register wrote.
    pub written: usize,
    /// Conflicts found open after the run.
    pub conflicts: usize,
}

/// How the register's record compares with the one stored before.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RecordChange {
    New,
    Changed(Vec<&'static str>),
    Unchanged,
}

/// Fetches every linked damage record, keeps what changed, and holds each linked object's
/// address against its record. One record failing does not stop the others; the run is
/// logged.
pub async fn sync_objects(store: &Store, client: &RddpClient) -> Result<RddpSync, StoreError> {
    let mut log = RunLog::start(REGISTER);
    let mut by_record: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for link in store.damage_links().await? {
        by_record
            .entry(link.record_id)
            .or_default()
            .push(link.object_id);
    }
    let ids: Vec<DamageRecordId> = by_record
        .keys()
        .filter_map(|id| DamageRecordId::parse(id).ok())
        .collect();
    let fetched = stream::iter(0..ids.len())
        .map(|index| client.fetch(&ids[index]))
        .buffered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await;

    let (mut written, mut conflicts) = (0, 0);
    for (id, result) in ids.iter().zip(fetched) {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                tracing::warn!(damage_record.id = %id, "damage record {id} failed: {error}");
                log.failed(format!("{id}: failed: {error}"));
                continue;
            }
        };
        match keep_record(store, &record).await? {
            RecordChange::New => log.new_record(format!("{id}: new")),
            RecordChange::Changed(fields) => {
                log.changed(format!("{id}: changed: {}", fields.join(", ")))
            }
            RecordChange::Unchanged => log.unchanged(),
        }
        for object in by_record.get(id.as_str()).into_iter().flatten() {
            match reconcile(store, object, &record).await {
                Ok(Some(Verdict::Write)) => {
                    written += 1;
                    log.note(format!("object {object}: address written from {id}"));
                }
                Ok(Some(Verdict::Conflict)) => {
                    conflicts += 1;
                    log.note(format!(
                        "object {object}: address differs from {id}; the entered address \
                         stays until a person resolves the conflict"
                    ));
                }
                Ok(_) => {}
                Err(error) => log.note(format!("object {object}: not updated: {error}")),
            }
        }
    }
    let run = log.finish(store).await?;
    Ok(RddpSync {
        run,
        written,
        conflicts,
    })
}

/// Stores the record when it is new or changed, and says which.
async fn keep_record(store: &Store, record: &DamageRecord) -> Result<RecordChange, StoreError> {
    let id = record.id.as_str();
    let previous: Option<DamageRecord> = store
        .damage_record(id)
        .await?
        .and_then(|document| serde_json::from_str(&document).ok());
    let change = match &previous {
        None => RecordChange::New,
        Some(before) if before == record => RecordChange::Unchanged,
        Some(before) => RecordChange::Changed(changed_fields(before, record)),
    };
    if change != RecordChange::Unchanged {
        let document =
            serde_json::to_string(record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        store.store_damage_record(id, &document).await?;
    }
    Ok(change)
}

fn changed_fields(before: &DamageRecord, after: &DamageRecord) -> Vec<&'static str> {
    let checks: [(&'static str, bool); 5] = [
        ("category", before.category != after.category),
        ("damageDate", before.damage_date != after.damage_date),
        ("address", before.address != after.address),
        ("katottg", before.katottg != after.katottg),
        (
            "inspectionAct",
            before.inspection_act != after.inspection_act,
        ),
    ];
    checks
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name)
        .collect()
}

/// Holds one object's address against the record; `None` when the object has no location
/// to hold it in, or is linked to another record by now.
async fn reconcile(
    store: &Store,
    object_id: &str,
    record: &DamageRecord,
) -> Result<Option<Verdict>, StoreError> {
    let Ok(id) = serde_json::from_value::<ObjectId>(json!(object_id)) else {
        return Ok(None);
    };
    let object: Object = serde_json::from_str(&store.object_document(&id).await?)
        .map_err(|e| StoreError::Corrupt(format!("object {object_id}: {e}")))?;
    let Some(location) = object.content.locations.first() else {
        return Ok(None);
    };
    if object.content.damage_record_id.as_deref() != Some(record.id.as_str()) {
        return Ok(None);
    }
    let history = store.revisions(Entity::Object, object_id, None).await?;
    let ours = location.address.as_deref();
    let decided = verdict(
        ours,
        &[record.address.as_str()],
        last_author(&history, ADDRESS),
        AUTHOR,
    );
    match decided {
        Verdict::Agree => {
            store
                .close_conflict(REGISTER, object_id, ADDRESS, Resolution::Agreed, AUTHOR)
                .await?;
        }
        Verdict::Write => {
            let change = Change {
                author: AUTHOR.to_owned(),
                reason: format!("address as damage record {} gives it", record.id),
            };
            write_field(
                store,
                REGISTER,
                object_id,
                ADDRESS,
                &record.address,
                &change,
            )
            .await?;
            store
                .close_conflict(REGISTER, object_id, ADDRESS, Resolution::Agreed, AUTHOR)
                .await?;
        }
        Verdict::Conflict => {
            let noted = store
                .note_conflict(REGISTER, object_id, ADDRESS, ours, &record.address)
                .await?;
            if noted == ConflictNoted::AlreadyDecided {
                return Ok(Some(Verdict::Agree));
            }
        }
    }
    Ok(Some(decided))
}
