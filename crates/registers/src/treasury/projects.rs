//! Bringing treasury payments into projects: a project is linked to the payments of one
//! payer under one contract, and a sync fetches them, makes them the project's transactions
//! (`project_transactions`, keyed by project and transaction id) and sums the project's paid
//! total again from them. A change is written as a project revision authored by the
//! treasury, saying what changed and what the total was and is; a sync that finds no change
//! writes nothing, so running it again is safe.

use std::collections::BTreeMap;

use futures_util::{StreamExt, stream};

use dream_domain::{Edrpou, ProjectId};
use dream_store::register_data::{ProjectTransaction, TreasuryLink};
use dream_store::registers::SyncRun;
use dream_store::revisions::Change;
use dream_store::{Store, StoreError};

use crate::http::RegisterError;
use crate::runs::RunLog;

use super::client::TreasuryClient;
use super::mapping::Payment;

/// The name revisions written by a sync carry as their author.
pub const AUTHOR: &str = "Treasury (sync)";
/// The register's name in the sync log.
pub const REGISTER: &str = "treasury";
/// How many links are fetched at once; the client's pace still applies.
const CONCURRENCY: usize = 4;

/// Why a link could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("payer: {0}")]
    Payer(#[from] dream_domain::codes::EdrpouError),
    #[error("the contract number is empty; give it as the treasury writes it, such as 45/2024")]
    EmptyContract,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Links a project to the payments `payer` makes under the contract `contract_number`.
/// Returns whether the link is new; `dream sync treasury` brings the payments in.
pub async fn link(
    store: &Store,
    project: &ProjectId,
    payer: &str,
    contract_number: &str,
    who: &str,
) -> Result<bool, LinkError> {
    let payer = Edrpou::parse(payer.trim())?;
    let contract_number = contract_number.trim();
    if contract_number.is_empty() {
        return Err(LinkError::EmptyContract);
    }
    let link = TreasuryLink {
        project_id: project.to_string(),
        payer_edrpou: payer.to_string(),
        contract_number: contract_number.to_owned(),
    };
    Ok(store.link_treasury(&link, who).await?)
}

/// What one sync did, for the command line.
#[derive(Debug, Clone)]
pub struct TreasurySync {
    pub run: SyncRun,
    /// Project revisions written.
    pub revisions: usize,
}

/// How a project's payments differ from what it holds.
#[derive(Debug, Default, PartialEq, Eq)]
struct PaymentChanges {
    new: Vec<String>,
    changed: Vec<String>,
    withdrawn: Vec<String>,
}

impl PaymentChanges {
    fn is_empty(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty() && self.withdrawn.is_empty()
    }
}

/// A link's payments as the register gave them, or why they could not be fetched.
type Fetched = Result<Vec<Payment>, String>;

/// Fetches the payments of every link and writes each project's that changed. A project
/// with a link that failed is left as it was, so a register that is down or answers badly
/// never withdraws payments; the run is logged.
pub async fn sync_projects(
    store: &Store,
    client: &TreasuryClient,
) -> Result<TreasurySync, StoreError> {
    let mut log = RunLog::start(REGISTER);
    let links = store.treasury_links().await?;
    let fetched = stream::iter(0..links.len())
        .map(|index| fetch(client, &links[index]))
        .buffered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await;

    let mut by_project: BTreeMap<&str, Vec<(&TreasuryLink, Fetched)>> = BTreeMap::new();
    for (link, result) in links.iter().zip(fetched) {
        by_project
            .entry(link.project_id.as_str())
            .or_default()
            .push((link, result.map_err(|error| error.to_string())));
    }

    let mut revisions = 0;
    for (project, results) in by_project {
        let failures: Vec<String> = results
            .iter()
            .filter_map(|(link, result)| {
                let error = result.as_ref().err()?;
                Some(format!("contract {}: {error}", link.contract_number))
            })
            .collect();
        if !failures.is_empty() {
            tracing::warn!(
                project.id = project,
                "treasury payments of {project} failed"
            );
            log.failed(format!("{project}: failed: {}", failures.join("; ")));
            continue;
        }
        let payments = results.into_iter().flat_map(|(_, r)| r.unwrap_or_default());
        match sync_project(store, project, payments.collect()).await {
            Ok(None) => log.unchanged(),
            Ok(Some((first, line))) => {
                revisions += 1;
                if first {
                    log.new_record(line);
                } else {
                    log.changed(line);
                }
            }
            Err(error) => log.failed(format!("{project}: failed: {error}")),
        }
    }
    let run = log.finish(store).await?;
    Ok(TreasurySync { run, revisions })
}

async fn fetch(
    client: &TreasuryClient,
    link: &TreasuryLink,
) -> Result<Vec<Payment>, RegisterError> {
    let payer = Edrpou::parse(&link.payer_edrpou).map_err(|error| RegisterError::Invalid {
        url: String::new(),
        path: "payer_edrpou".to_owned(),
        message: error.to_string(),
    })?;
    client.by_contract(&payer, &link.contract_number).await
}

/// Writes one project's payments when they differ from what it holds. Returns whether the
/// project had none before, and the log line; `None` when nothing changed.
async fn sync_project(
    store: &Store,
    project: &str,
    payments: Vec<Payment>,
) -> Result<Option<(bool, String)>, StoreError> {
    let id = ProjectId::parse(project).map_err(|_| StoreError::NotFound {
        entity: "project",
        id: project.to_owned(),
    })?;
    // One payment listed under two links is one payment.
    let current: BTreeMap<String, ProjectTransaction> = payments
        .into_iter()
        .map(|payment| (payment.id.clone(), transaction(payment)))
        .collect();
    let (_, revision) = store.project(&id).await?;
    let stored = store.project_transactions(&id).await?;
    let changes = compare(&stored, &current);
    if changes.is_empty() {
        return Ok(None);
    }

    let before: i64 = stored.iter().map(|t| t.amount_minor).sum();
    let after: i64 = current.values().map(|t| t.amount_minor).sum();
    let what = format!(
        "{} new, {} changed, {} withdrawn; paid {} UAH, was {} UAH",
        changes.new.len(),
        changes.changed.len(),
        changes.withdrawn.len(),
        hryvnias(after),
        hryvnias(before)
    );
    let change = Change {
        author: AUTHOR.to_owned(),
        reason: format!("treasury payments: {what}"),
    };
    let payments: Vec<ProjectTransaction> = current.into_values().collect();
    store
        .write_project_transactions(&id, &payments, &changes.withdrawn, revision, &change)
        .await?;
    Ok(Some((stored.is_empty(), format!("{project}: {what}"))))
}

fn transaction(payment: Payment) -> ProjectTransaction {
    ProjectTransaction {
        transaction_id: payment.id,
        doc_date: payment.doc_date,
        amount_minor: payment.amount_minor,
        currency: payment.currency,
        payer_edrpou: payment.payer_edrpou,
        recipient_edrpou: payment.recipient_edrpou,
        payment_details: payment.payment_details,
        contract_number: payment.contract_number,
    }
}

fn compare(
    stored: &[ProjectTransaction],
    current: &BTreeMap<String, ProjectTransaction>,
) -> PaymentChanges {
    let mut changes = PaymentChanges::default();
    let stored: BTreeMap<&str, &ProjectTransaction> = stored
        .iter()
        .map(|t| (t.transaction_id.as_str(), t))
        .collect();
    for (id, payment) in current {
        match stored.get(id.as_str()) {
            None => changes.new.push(id.clone()),
            Some(before) if *before != payment => changes.changed.push(id.clone()),
            Some(_) => {}
        }
    }
    changes.withdrawn = stored
        .keys()
        .filter(|id| !current.contains_key(**id))
        .map(|id| (*id).to_owned())
        .collect();
    changes
}

/// Kopiykas as hryvnias with two decimals, with a sign for a negative total.
fn hryvnias(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    format!("{sign}{}.{:02}", minor / 100, minor % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_written_in_hryvnias_exactly() {
        assert_eq!(hryvnias(125_000_050), "1250000.50");
        assert_eq!(hryvnias(5), "0.05");
        assert_eq!(hryvnias(-120_010), "-1200.10");
    }
}
