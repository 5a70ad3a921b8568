//! Bringing the EDR into organisations: fetch an organisation's record, keep its latest
//! version (`edr_records`), and hold the organisation's names against it under the rule of
//! [`crate::conflicts`]: a name a person entered stays, and a disagreement waits as a
//! conflict; a name nobody entered, or that the register wrote itself, is written as a
//! revision authored by the register.
//!
//! [`refresh_organisation`] serves one organisation, when it is registered or named as a
//! party; [`sync_organisations`] refreshes every registered organisation and logs the run.

use futures_util::{StreamExt, stream};

use dream_domain::Edrpou;
use dream_domain::organisation::Organisation;
use dream_store::register_data::{ConflictNoted, Resolution};
use dream_store::registers::SyncRun;
use dream_store::revisions::{Change, Entity};
use dream_store::{Store, StoreError};

use crate::conflicts::{Verdict, last_author, verdict, write_field};
use crate::http::RegisterError;
use crate::runs::RunLog;

use super::client::EdrClient;
use super::mapping::{EdrRecord, EdrStatus};

/// The name revisions written by the register carry as their author.
pub const AUTHOR: &str = "EDR (sync)";
/// The register's name in the sync log and in conflicts.
pub const REGISTER: &str = "edr";
/// How many records are fetched at once; the client's pace still applies.
const CONCURRENCY: usize = 4;

/// Why one organisation could not be refreshed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How the register's record compares with the one stored before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordChange {
    New,
    /// The names (as serialised) of the fields that differ.
    Changed(Vec<&'static str>),
    Unchanged,
}

/// What one refresh did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    pub record: EdrRecord,
    pub change: RecordChange,
    /// The organisation's fields the register wrote, as JSON pointers.
    pub written: Vec<&'static str>,
    /// The fields where the register disagrees with what a person entered and no person
    /// has decided yet.
    pub conflicts: Vec<&'static str>,
}

/// Fetches the record of `code` and applies it.
pub async fn refresh_organisation(
    store: &Store,
    client: &EdrClient,
    code: &Edrpou,
) -> Result<Refresh, RefreshError> {
    let record = client.fetch(code).await?;
    Ok(apply_record(store, record).await?)
}

/// Keeps `record` as the latest of its code and, when the organisation is registered,
/// holds its names against the record.
pub async fn apply_record(store: &Store, record: EdrRecord) -> Result<Refresh, StoreError> {
    let code = record.code.clone();
    let previous: Option<EdrRecord> = store
        .edr_record(code.as_str())
        .await?
        .and_then(|document| serde_json::from_str(&document).ok());
    let change = compare(previous.as_ref(), &record);
    if change != RecordChange::Unchanged {
        let document =
            serde_json::to_string(&record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        store.store_edr_record(code.as_str(), &document).await?;
    }

    let mut refresh = Refresh {
        record,
        change,
        written: Vec::new(),
        conflicts: Vec::new(),
    };
    if store.organisation_exists(&code).await? {
        reconcile(store, &mut refresh).await?;
    }
    Ok(refresh)
}

/// One of the organisation's fields and the register's forms of it; the first is written.
struct Field {
    pointer: &'static str,
    ours: Option<String>,
    forms: Vec<String>,
}

async fn reconcile(store: &Store, refresh: &mut Refresh) -> Result<(), StoreError> {
    let code = refresh.record.code.as_str();
    let document = store.organisation_document(&refresh.record.code).await?;
    let organisation: Organisation = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("organisation {code}: {e}")))?;
    let history = store.revisions(Entity::Organisation, code, None).await?;

    for field in fields(&organisation, &refresh.record) {
        let forms: Vec<&str> = field.forms.iter().map(String::as_str).collect();
        let author = last_author(&history, field.pointer);
        match verdict(field.ours.as_deref(), &forms, author, AUTHOR) {
            Verdict::Agree => {
                store
                    .close_conflict(REGISTER, code, field.pointer, Resolution::Agreed, AUTHOR)
                    .await?;
            }
            Verdict::Write => {
                let change = Change {
                    author: AUTHOR.to_owned(),
                    reason: format!("{} as the EDR gives it", field.pointer),
                };
                write_field(store, REGISTER, code, field.pointer, forms[0], &change).await?;
                store
                    .close_conflict(REGISTER, code, field.pointer, Resolution::Agreed, AUTHOR)
                    .await?;
                refresh.written.push(field.pointer);
            }
            Verdict::Conflict => {
                let ours = field.ours.as_deref();
                let noted = store
                    .note_conflict(REGISTER, code, field.pointer, ours, forms[0])
                    .await?;
                if noted != ConflictNoted::AlreadyDecided {
                    refresh.conflicts.push(field.pointer);
                }
            }
        }
    }
    Ok(())
}

/// The organisation's fields the register speaks to: the Ukrainian name (the full legal
/// name or the short one both agree), and the English name when the register has one.
fn fields(organisation: &Organisation, record: &EdrRecord) -> Vec<Field> {
    let name = &organisation.content.name;
    let mut forms = vec![record.full_name.clone()];
    forms.extend(record.short_name.clone());
    let mut fields = vec![Field {
        pointer: "/name/uk",
        ours: Some(name.uk.clone()),
        forms,
    }];
    if let Some(name_en) = &record.name_en {
        fields.push(Field {
            pointer: "/name/en",
            ours: name.en.clone(),
            forms: vec![name_en.clone()],
        });
    }
    fields
}

fn compare(previous: Option<&EdrRecord>, current: &EdrRecord) -> RecordChange {
    let Some(before) = previous else {
        return RecordChange::New;
    };
    let checks: [(&'static str, bool); 8] = [
        ("subjectId", before.subject_id != current.subject_id),
        ("fullName", before.full_name != current.full_name),
        ("shortName", before.short_name != current.short_name),
        ("nameEn", before.name_en != current.name_en),
        ("address", before.address != current.address),
        ("status", before.status != current.status),
        ("statusText", before.status_text != current.status_text),
        (
            "registrationDate",
            before.registration_date != current.registration_date,
        ),
    ];
    let fields: Vec<&'static str> = checks
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name)
        .collect();
    if fields.is_empty() {
        RecordChange::Unchanged
    } else {
        RecordChange::Changed(fields)
    }
}

/// What one sync did, for the command line.
#[derive(Debug, Clone)]
pub struct EdrSync {
    pub run: SyncRun,
    /// Organisation fields the register wrote.
    pub written: usize,
    /// Conflicts found open after the run.
    pub conflicts: usize,
}

/// Refreshes the organisations of `codes`, or every registered organisation when `codes`
/// is `None`. One record failing does not stop the others; the run is logged.
pub async fn sync_organisations(
    store: &Store,
    client: &EdrClient,
    codes: Option<Vec<Edrpou>>,
) -> Result<EdrSync, StoreError> {
    let mut log = RunLog::start(REGISTER);
    let codes = match codes {
        Some(codes) => codes,
        None => store
            .organisation_codes()
            .await?
            .iter()
            .filter_map(|code| Edrpou::parse(code).ok())
            .collect(),
    };
    // Indices rather than references go through the stream, so that the future stays
    // `Send` for a caller that spawns it.
    let fetched = stream::iter(0..codes.len())
        .map(|index| client.fetch(&codes[index]))
        .buffered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await;

    let (mut written, mut conflicts) = (0, 0);
    for (code, result) in codes.iter().zip(fetched) {
        let applied = match result {
            Ok(record) => apply_record(store, record)
                .await
                .map_err(RefreshError::from),
            Err(error) => Err(RefreshError::from(error)),
        };
        match applied {
            Ok(refresh) => {
                written += refresh.written.len();
                conflicts += refresh.conflicts.len();
                log_refresh(&mut log, &refresh);
            }
            Err(error) => {
                tracing::warn!(organisation.id = %code, "EDR record of {code} failed: {error}");
                log.failed(format!("{code}: failed: {error}"));
            }
        }
    }
    let run = log.finish(store).await?;
    Ok(EdrSync {
        run,
        written,
        conflicts,
    })
}

fn log_refresh(log: &mut RunLog, refresh: &Refresh) {
    let record = &refresh.record;
    let code = &record.code;
    match &refresh.change {
        RecordChange::New => log.new_record(format!("{code}: new ({})", record.full_name)),
        RecordChange::Changed(fields) => {
            log.changed(format!("{code}: changed: {}", fields.join(", ")))
        }
        RecordChange::Unchanged => log.unchanged(),
    }
    if refresh.change != RecordChange::Unchanged && record.status != EdrStatus::Registered {
        log.note(format!(
            "{code}: the EDR says {} ({})",
            record.status_text,
            record.status.as_str()
        ));
    }
    for field in &refresh.written {
        log.note(format!("{code}: {field} written from the EDR"));
    }
    for field in &refresh.conflicts {
        log.note(format!(
            "{code}: {field} differs from the EDR; the entered value stays until a person \
             resolves the conflict"
        ));
    }
}
