//! Bringing Prozorro into projects: linking a project to a tender, and a sync that fetches
//! every linked tender, keeps its latest version, and writes what changed into each linked
//! project's contracting processes as a revision authored by the register, so the history
//! says which source changed what. A sync that finds no change writes nothing, so running
//! it again is safe.
//!
//! The register never overwrites a process a person wrote: it replaces a project's process
//! only when the project holds what the register itself gave last time. Otherwise the
//! disagreement is kept as a conflict (register `prozorro`, record the project, field
//! `/contractingProcesses/<tender id>`) for a person to settle.

use std::collections::{BTreeMap, HashMap, HashSet};

use dream_domain::ProjectId;
use dream_domain::codelist::{RelatedProcessScheme, Relationship};
use dream_domain::project::{ContractingProcess, Project, RelatedProcess};
use dream_store::projects::{PatchOutcome, PlannedPatch};
use dream_store::registers::{SyncRun, TenderLink};
use dream_store::revisions::Change;
use dream_store::{Store, StoreError};
use serde_json::{Value, json};

use super::ids::ProzorroReference;
use super::process::ProzorroProcess;
use super::sync::{LinkedTender, ProcessSource, SyncOutcome, sync_tenders};

/// The name revisions written by a sync carry as their author.
pub const AUTHOR: &str = "Prozorro (sync)";
/// The register's code in the sync log and among conflicts.
pub const REGISTER: &str = "prozorro";
/// How many tenders are fetched at once.
const CONCURRENCY: usize = 4;
/// How many new or changed tenders are written in one transaction, with their projects. A
/// transaction per tender and per project cost about 6 ms each; a page shares that cost and
/// still holds SQLite's write lock for well under a second.
const PAGE: usize = 200;

/// Why a link or a sync could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    Reference(#[from] super::ids::IdError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Links a project to a tender by what a person typed, and records the link in the
/// project's related processes. Returns whether the link is new.
pub async fn link(
    store: &Store,
    project: &ProjectId,
    typed: &str,
    who: &str,
) -> Result<bool, LinkError> {
    let reference = ProzorroReference::parse(typed)?;
    // The project names the tender by its public id; an internal id gets its public one
    // from the register at the first sync.
    let (tender_id, internal_id) = match &reference {
        ProzorroReference::Internal(id) => (None, Some(id.as_str().to_owned())),
        ProzorroReference::Tender(id) => (Some(id.as_str().to_owned()), None),
        ProzorroReference::Contract(id) => (Some(id.tender_id().as_str().to_owned()), None),
    };
    let link = TenderLink {
        project_id: project.to_string(),
        reference: typed.trim().to_owned(),
        internal_id,
    };
    if !store.link_tender(&link, who).await? {
        return Ok(false);
    }
    if let Some(tender_id) = tender_id {
        let (current, _) = store.project(project).await?;
        if let Some(operation) = relate(&current.content.related_processes, &tender_id) {
            let change = Change {
                author: who.to_owned(),
                reason: format!("linked to Prozorro {typed}"),
            };
            let patch = serde_json::Value::Array(vec![operation]);
            store.patch_project(project, &patch, None, &change).await?;
        }
    }
    Ok(true)
}

/// The patch operation that adds the tender to a project's related processes, unless it is
/// there already.
fn relate(related: &[RelatedProcess], tender_id: &str) -> Option<serde_json::Value> {
    let process = RelatedProcess {
        scheme: RelatedProcessScheme::UaProzorro,
        identifier: tender_id.to_owned(),
        relationship: Relationship::Procurement,
    };
    (!related.contains(&process))
        .then(|| json!({"op": "add", "path": "/relatedProcesses/-", "value": process}))
}

/// What one sync did, for the command line and the log.
#[derive(Debug, Clone, Default)]
pub struct ProjectSync {
    pub run: Option<SyncRun>,
    /// Links that cannot be fetched yet because only the public id is known.
    pub unresolved: Vec<String>,
    /// Project revisions written.
    pub revisions: usize,
    /// Projects whose own version of a process was kept, each a conflict for a person.
    pub conflicts: usize,
}

/// Fetches every linked tender whose internal id is known and writes the changes into the
/// linked projects. One tender failing does not stop the others; the run is logged.
pub async fn sync_projects<S: ProcessSource>(
    store: &Store,
    source: &S,
) -> Result<ProjectSync, StoreError> {
    sync_linked(store, source, None).await
}

/// [`sync_projects`] for the linked tenders among `only` (internal ids), or for every linked
/// tender when `only` is `None`.
pub async fn sync_linked<S: ProcessSource>(
    store: &Store,
    source: &S,
    only: Option<&HashSet<String>>,
) -> Result<ProjectSync, StoreError> {
    let started = dream_store::now();
    let links = store.tender_links().await?;
    let mut by_tender: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut result = ProjectSync::default();
    for link in links {
        match (link.internal_id, only) {
            (Some(id), Some(only)) if !only.contains(&id) => {}
            (Some(id), _) => by_tender.entry(id).or_default().push(link.project_id),
            (None, _) => result
                .unresolved
                .push(format!("{}: {}", link.project_id, link.reference)),
        }
    }
    let mut linked = Vec::new();
    for id in by_tender.keys() {
        let Ok(internal_id) = id.parse() else {
            continue;
        };
        let stored = match store.stored_tender(id).await? {
            Some(document) => serde_json::from_str(&document).ok(),
            None => None,
        };
        linked.push(LinkedTender {
            internal_id,
            stored,
        });
    }
    let report = sync_tenders(source, &linked, CONCURRENCY).await;

    let mut log = Vec::new();
    let mut to_write = Vec::new();
    for entry in &report.entries {
        let id = entry.internal_id.as_str();
        let (process, previous, what) = match &entry.outcome {
            SyncOutcome::New(process) => (process.as_ref(), None, "new".to_owned()),
            SyncOutcome::Changed {
                previous,
                current,
                fields,
            } => (
                current.as_ref(),
                Some(previous.as_ref()),
                format!("changed: {}", fields.join(", ")),
            ),
            SyncOutcome::Unchanged => continue,
            SyncOutcome::Failed(error) => {
                log.push(format!("{id}: failed: {error}"));
                continue;
            }
        };
        log.push(format!("{id} ({}): {what}", process.tender_id.as_str()));
        to_write.push(Fetched {
            id,
            process,
            previous,
            what,
        });
    }
    for page in to_write.chunks(PAGE) {
        let written = write_page(store, page, &by_tender).await?;
        result.revisions += written.revisions;
        result.conflicts += written.conflicts.len();
        log.extend(written.conflicts);
    }
    let counts = report.counts();
    let run = SyncRun {
        register: REGISTER.into(),
        started_at: dream_store::timestamp::Timestamp(started),
        finished_at: dream_store::timestamp::Timestamp(dream_store::now()),
        new: counts.new as i64,
        changed: counts.changed as i64,
        unchanged: counts.unchanged as i64,
        failed: counts.failed as i64,
        log,
    };
    store.record_sync_run(&run).await?;
    result.run = Some(run);
    Ok(result)
}

/// A new or changed tender as the sync found it, the version kept before, and what the log
/// says of it.
struct Fetched<'a> {
    id: &'a str,
    process: &'a ProzorroProcess,
    previous: Option<&'a ProzorroProcess>,
    what: String,
}

/// What a page wrote: project revisions, and a log line for each process kept as a person
/// wrote it.
#[derive(Default)]
struct PageWritten {
    revisions: usize,
    conflicts: Vec<String>,
}

/// Keeps a page of new and changed tenders and writes them into their linked projects, all
/// in one transaction, with the projects read in one query. A project that moved on since
/// it was read, or that the batch could not write, is tried again alone, the way a single
/// change is written, so that nothing is overwritten or dropped silently. Returns how many
/// project revisions were written.
async fn write_page(
    store: &Store,
    page: &[Fetched<'_>],
    by_tender: &BTreeMap<String, Vec<String>>,
) -> Result<PageWritten, StoreError> {
    let mut tenders = Vec::with_capacity(page.len());
    let mut targets = Vec::new();
    for fetched in page {
        let document = serde_json::to_string(fetched.process)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tenders.push((fetched.id.to_owned(), document));
        let linked = by_tender.get(fetched.id).into_iter().flatten();
        targets.extend(linked.filter_map(|p| ProjectId::parse(p).ok().map(|id| (fetched, id))));
    }
    let ids: Vec<ProjectId> = targets.iter().map(|(_, id)| id.clone()).collect();
    let current: HashMap<String, (Project, u32)> = store
        .projects_by_id(&ids)
        .await?
        .into_iter()
        .map(|(project, revision)| (project.id.to_string(), (project, revision)))
        .collect();

    let mut planned = Vec::new();
    let mut planned_for = Vec::new();
    let mut alone = Vec::new();
    let mut written = PageWritten::default();
    for (fetched, id) in targets {
        let Some((project, revision)) = current.get(id.as_str()) else {
            alone.push((fetched, id));
            continue;
        };
        match plan(project, fetched) {
            Plan::Nothing => {}
            Plan::Write(patch, change) => {
                planned.push(PlannedPatch {
                    current: project.clone(),
                    revision: *revision,
                    patch,
                    change,
                });
                planned_for.push((fetched, id));
            }
            Plan::Conflict { ours, theirs } => {
                written
                    .conflicts
                    .push(keep_conflict(store, &id, &ours, &theirs).await?);
            }
        }
    }
    let outcomes = store
        .store_tenders_and_patch_projects(&tenders, &planned)
        .await?;

    for (outcome, target) in outcomes.into_iter().zip(planned_for) {
        match outcome {
            PatchOutcome::Written(_) => written.revisions += 1,
            PatchOutcome::Unchanged => {}
            PatchOutcome::NotWritten(_) => alone.push(target),
        }
    }
    // A project linked to two tenders of the page was planned twice on the same revision,
    // so the second change comes back unwritten and is made here on the newer state.
    for (fetched, id) in alone {
        match apply(store, &id, fetched).await? {
            Applied::Written => written.revisions += 1,
            Applied::Nothing => {}
            Applied::Conflict(line) => written.conflicts.push(line),
        }
    }
    Ok(written)
}

/// Keeps the disagreement between a project's own process and the register's, and says so
/// in a line of the sync log.
async fn keep_conflict(
    store: &Store,
    project: &ProjectId,
    ours: &ContractingProcess,
    theirs: &ContractingProcess,
) -> Result<String, StoreError> {
    let to_text = |process: &ContractingProcess| {
        serde_json::to_string(process).map_err(|e| StoreError::Corrupt(e.to_string()))
    };
    let field = format!("/contractingProcesses/{}", theirs.tender_id.as_str());
    store
        .note_conflict(
            REGISTER,
            project.as_str(),
            &field,
            Some(&to_text(ours)?),
            &to_text(theirs)?,
        )
        .await?;
    Ok(format!(
        "{project}: its own version of {} was kept; the register's waits as a conflict",
        theirs.tender_id.as_str()
    ))
}

/// What writing one project alone came to.
enum Applied {
    Written,
    Nothing,
    /// The project's own version was kept; the line for the sync log.
    Conflict(String),
}

/// Puts the register's version of a process into one project, read afresh, replacing the
/// process of the same tender; writes a revision only when the project changes.
async fn apply(
    store: &Store,
    id: &ProjectId,
    fetched: &Fetched<'_>,
) -> Result<Applied, StoreError> {
    let (current, revision) = store.project(id).await?;
    match plan(&current, fetched) {
        Plan::Nothing => Ok(Applied::Nothing),
        Plan::Write(patch, change) => {
            store
                .patch_project(id, &patch, Some(revision), &change)
                .await?;
            Ok(Applied::Written)
        }
        Plan::Conflict { ours, theirs } => Ok(Applied::Conflict(
            keep_conflict(store, id, &ours, &theirs).await?,
        )),
    }
}

/// What the register's version of a process means for one project.
enum Plan {
    /// The project holds that version already.
    Nothing,
    /// The patch, and the change it records, that put it in.
    Write(Value, Change),
    /// The project holds a version a person wrote; it stays, and the two are kept apart.
    Conflict {
        ours: Box<ContractingProcess>,
        theirs: Box<ContractingProcess>,
    },
}

/// Plans putting the register's version of a process into a project in place of the
/// process of the same tender. The project's process is replaced only when it is what the
/// register gave last time; a version a person wrote is never overwritten.
fn plan(current: &Project, fetched: &Fetched<'_>) -> Plan {
    let process = fetched.process;
    let mapped: ContractingProcess = process.to_contracting_process();
    let mut processes = current.content.contracting_processes.clone();
    match processes
        .iter_mut()
        .find(|p| p.tender_id == mapped.tender_id)
    {
        Some(existing) if *existing == mapped => return Plan::Nothing,
        Some(existing) => {
            let register_wrote_it = fetched
                .previous
                .is_some_and(|previous| previous.to_contracting_process() == *existing);
            if !register_wrote_it {
                return Plan::Conflict {
                    ours: Box::new(existing.clone()),
                    theirs: Box::new(mapped),
                };
            }
            *existing = mapped;
        }
        None => processes.push(mapped),
    }
    let mut patch =
        vec![json!({"op": "replace", "path": "/contractingProcesses", "value": processes})];
    patch.extend(relate(
        &current.content.related_processes,
        process.tender_id.as_str(),
    ));
    let change = Change {
        author: AUTHOR.to_owned(),
        reason: format!(
            "Prozorro tender {} {}",
            process.tender_id.as_str(),
            fetched.what
        ),
    };
    Plan::Write(Value::Array(patch), change)
}
