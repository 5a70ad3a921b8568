//! A procurement as Prozorro tells it: the tender, its buyer, how many took part, and each
//! contract with its suppliers, dates and changes. [`ProzorroProcess`] keeps more than the
//! domain's [`ContractingProcess`] holds today, so that nothing the register gives is lost
//! before the domain grows; [`ProzorroProcess::to_contracting_process`] gives the domain's view.
//!
//! The rules that turn the register's statuses into DREAM's live here, in
//! [`contracting_status`], and nowhere else.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use dream_domain::Edrpou;
use dream_domain::codelist::ContractingStatus;
use dream_domain::money::Money;
use dream_domain::project::{ContractingProcess, Organisation};
use dream_domain::text::Text;

use super::ids::{ProzorroId, TenderId};

/// Everything the connector keeps about one linked tender and its contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProzorroProcess {
    pub internal_id: ProzorroId,
    pub tender_id: TenderId,
    pub title: Text,
    /// The tender's status exactly as the register writes it, such as `active.tendering`.
    pub tender_status: String,
    /// DREAM's status, worked out by [`contracting_status`].
    pub status: ContractingStatus,
    /// `open`, `selective` or `limited`.
    pub procurement_method: Option<String>,
    /// The procedure, such as `aboveThreshold`, `belowThreshold` or `reporting`.
    pub procurement_method_type: String,
    /// `goods`, `services` or `works`.
    pub main_procurement_category: Option<String>,
    pub tender_value: Option<Money>,
    /// Distinct organisations that submitted a bid; `None` while the register hides the bids
    /// or when the procedure has none (see `mapping::number_of_tenderers`).
    pub number_of_tenderers: Option<u32>,
    pub procuring_entity: ProzorroOrganisation,
    pub contracts: Vec<ProzorroContract>,
    /// When the register last changed the tender.
    #[serde(with = "time::serde::rfc3339")]
    pub date_modified: OffsetDateTime,
}

/// An organisation as the register names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProzorroOrganisation {
    pub name: String,
    pub identifier: OrganisationIdentifier,
}

/// How the register identifies an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum OrganisationIdentifier {
    /// A legal entity of the Unified State Register, scheme `UA-EDR`, whose code passes its
    /// check digit (after restoring the leading zeros that some brokers drop).
    Edrpou { id: Edrpou },
    /// Any other identifier, kept exactly as written. This is where an individual
    /// entrepreneur's taxpayer number (scheme `UA-IPN`) goes: it numbers a natural person in
    /// the tax register, not a legal entity, so it is never read as an EDRPOU, even when its
    /// digits would pass the EDRPOU check. A `UA-EDR` code that fails its check digit also
    /// lands here, so that a typing mistake in the register cannot pass as a real entity.
    Other { scheme: String, id: String },
}

/// A contract: its summary in the tender, completed by `GET /contracts/{id}` when fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProzorroContract {
    pub internal_id: ProzorroId,
    /// The public contract id, `UA-…-a1`.
    pub contract_id: String,
    pub status: ContractStatus,
    /// The value written on the contract; see [`ProzorroContract::current_value`].
    pub value: Option<Money>,
    /// The value of the award the contract came from.
    pub awarded_value: Option<Money>,
    pub suppliers: Vec<ProzorroOrganisation>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub date_signed: Option<OffsetDateTime>,
    pub period: Option<ContractPeriod>,
    pub modifications: Vec<ContractModification>,
    /// Whether the contract's own record (`GET /contracts/{id}`) was read; the tender's
    /// summary has no signing date, period or changes.
    pub detailed: bool,
}

/// The register's contract statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContractStatus {
    /// Awarded, not yet signed.
    Pending,
    /// Signed and in force.
    Active,
    /// Ended: fulfilled or terminated early; the buyer reports which.
    Terminated,
    Cancelled,
}

/// The days a contract runs, as far as the register gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractPeriod {
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

/// A change to a signed contract (a `changes[]` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractModification {
    pub id: String,
    pub status: ChangeStatus,
    pub rationale: Option<Text>,
    /// The legal grounds, such as `priceReductionWithoutQuantity` or `durationExtension`.
    pub rationale_types: Vec<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub date: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub date_signed: Option<OffsetDateTime>,
    pub flow: ChangeFlow,
    /// The value the change sets, when the change itself states one (electronic contracts).
    pub new_value: Option<Money>,
    /// The period the change sets, when the change itself states one.
    pub new_period: Option<ContractPeriod>,
}

/// The two ways the register records a contract change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeFlow {
    /// The change records its reasons only; the buyer then edited the contract's own value
    /// and period, so the contract's value is already the amended one.
    AmendedOnContract,
    /// Electronic contracts: the change carries `modifications` with the new value, items or
    /// period, and both parties sign it.
    Modifications,
}

/// The register's statuses of a contract change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeStatus {
    Pending,
    Active,
    Cancelled,
}

/// OC4IDS's coarse contracting process status (`contractingProcessStatus` codelist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Oc4idsProcessStatus {
    PreAward,
    Active,
    Closed,
}

impl Oc4idsProcessStatus {
    /// The OC4IDS code: `pre-award`, `active` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreAward => "pre-award",
            Self::Active => "active",
            Self::Closed => "closed",
        }
    }

    /// DREAM's status folded into the three OC4IDS codes.
    pub fn of(status: ContractingStatus) -> Self {
        match status {
            ContractingStatus::Preparation => Self::PreAward,
            ContractingStatus::Implementation => Self::Active,
            ContractingStatus::Complete
            | ContractingStatus::Cancelled
            | ContractingStatus::Unsuccessful => Self::Closed,
        }
    }
}

/// A tender status this connector does not know; the register added one, or the response is
/// not a tender.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown tender status {0:?}; expected draft, active.*, active, complete, cancelled or \
     unsuccessful"
)]
pub struct UnknownTenderStatus(pub String);

/// DREAM's status of a contracting process, from the tender's status and its contracts.
///
/// The rules follow OC4IDS's `contractingProcessStatus`, made finer for DREAM's codes, and
/// trust the register's own statuses rather than the calendar:
/// 1. A tender the register marks `cancelled` or `unsuccessful` is closed as such, whatever
///    its contracts say (a cancelled tender's contracts are cancelled with it).
/// 2. Any contract `active` (signed, in force) makes the process `implementation`.
/// 3. Contracts that have all ended (`terminated` or `cancelled`, at least one terminated)
///    make it `complete`; so does a tender the register marks `complete`.
/// 4. Anything else (`draft`, every `active.*` stage, a limited procedure's `active`, with
///    no contract or only pending ones) is `preparation`, OC4IDS's pre-award.
///
/// Contract periods are not compared with today: Prozorro keeps a contract `active` until
/// the buyer reports its end, and a contract past its end date that nobody closed is a fact
/// a monitor should see, not one to hide as finished. It also keeps this function pure, so
/// syncing twice on different days gives the same answer for the same register data.
pub fn contracting_status(
    tender_status: &str,
    contracts: &[ProzorroContract],
) -> Result<ContractingStatus, UnknownTenderStatus> {
    let known = matches!(tender_status, "complete" | "cancelled" | "unsuccessful")
        || tender_status == "active"
        || tender_status.starts_with("active.")
        || tender_status == "draft"
        || tender_status.starts_with("draft.");
    if !known {
        return Err(UnknownTenderStatus(tender_status.to_owned()));
    }

    let status = match tender_status {
        "cancelled" => ContractingStatus::Cancelled,
        "unsuccessful" => ContractingStatus::Unsuccessful,
        _ if contracts.iter().any(|c| c.status == ContractStatus::Active) => {
            ContractingStatus::Implementation
        }
        _ if all_contracts_ended(contracts) => ContractingStatus::Complete,
        "complete" => ContractingStatus::Complete,
        _ => ContractingStatus::Preparation,
    };
    Ok(status)
}

fn all_contracts_ended(contracts: &[ProzorroContract]) -> bool {
    let ended = |c: &ProzorroContract| {
        matches!(
            c.status,
            ContractStatus::Terminated | ContractStatus::Cancelled
        )
    };
    contracts.iter().all(ended)
        && contracts
            .iter()
            .any(|c| c.status == ContractStatus::Terminated)
}

impl ProzorroProcess {
    /// The OCDS id Prozorro publishes this tender under.
    pub fn ocid(&self) -> String {
        self.tender_id.ocid()
    }

    /// The three-value OC4IDS status.
    pub fn oc4ids_status(&self) -> Oc4idsProcessStatus {
        Oc4idsProcessStatus::of(self.status)
    }

    /// The contracts that were signed: active or ended, not pending or cancelled.
    pub fn signed_contracts(&self) -> impl Iterator<Item = &ProzorroContract> {
        self.contracts.iter().filter(|c| {
            matches!(
                c.status,
                ContractStatus::Active | ContractStatus::Terminated
            )
        })
    }

    /// The domain's view of this process.
    ///
    /// A tender may have several contracts (one per lot); the domain holds one value, so the
    /// contract value is the sum of the signed contracts' current values, the suppliers are
    /// theirs without repeats, and the signing date is the earliest, on the register's own
    /// (Kyiv) calendar.
    ///
    /// FIXME: the domain's `Organisation` takes an EDRPOU only, so suppliers identified
    /// otherwise (an entrepreneur's IPN, a foreign company, a code failing its check digit)
    /// are left out here; they stay in [`ProzorroProcess::contracts`] until the domain can
    /// hold them. [`ProzorroProcess::suppliers_without_edrpou`] lists them for a warning.
    pub fn to_contracting_process(&self) -> ContractingProcess {
        let mut suppliers: Vec<Organisation> = Vec::new();
        for supplier in self.signed_contracts().flat_map(|c| &c.suppliers) {
            if let OrganisationIdentifier::Edrpou { id } = &supplier.identifier
                && !suppliers.iter().any(|known| &known.id == id)
            {
                suppliers.push(Organisation {
                    id: id.clone(),
                    name: supplier.name.clone(),
                });
            }
        }

        ContractingProcess {
            tender_id: self.tender_id.to_string(),
            status: self.status,
            title: self.title.clone(),
            tender_value: self.tender_value,
            contract_value: self.contract_value(),
            number_of_tenderers: self.number_of_tenderers,
            suppliers,
            date_signed: self
                .signed_contracts()
                .filter_map(|c| c.date_signed)
                .map(|moment| moment.date())
                .min(),
        }
    }

    /// The sum of the signed contracts' current values, when they share one currency.
    ///
    /// FIXME: contracts of one tender in different currencies are not summed (the domain has
    /// one value and no exchange rates); this gives `None` for them.
    pub fn contract_value(&self) -> Option<Money> {
        let mut values = self.signed_contracts().filter_map(|c| c.current_value());
        let first = values.next()?;
        values.try_fold(first, |total, value| {
            if value.currency != total.currency {
                return None;
            }
            let sum = total.amount_minor.checked_add(value.amount_minor)?;
            Money::new(sum, total.currency).ok()
        })
    }

    /// Suppliers of signed contracts that the domain cannot hold yet, for a warning.
    pub fn suppliers_without_edrpou(&self) -> Vec<&ProzorroOrganisation> {
        self.signed_contracts()
            .flat_map(|c| &c.suppliers)
            .filter(|s| !matches!(s.identifier, OrganisationIdentifier::Edrpou { .. }))
            .collect()
    }
}

impl ProzorroContract {
    /// The value in force: the value set by the latest signed change that states one
    /// (electronic contracts record the new value on the change), otherwise the value
    /// written on the contract (which the older flow amends in place).
    pub fn current_value(&self) -> Option<Money> {
        self.modifications
            .iter()
            .filter(|m| m.status == ChangeStatus::Active)
            .filter_map(|m| Some((m.date_signed.or(m.date), m.new_value?)))
            .max_by_key(|(date, _)| *date)
            .map(|(_, value)| value)
            .or(self.value)
    }
}

impl OrganisationIdentifier {
    /// The EDRPOU code, when the organisation is a Ukrainian legal entity.
    pub fn edrpou(&self) -> Option<&Edrpou> {
        match self {
            Self::Edrpou { id } => Some(id),
            Self::Other { .. } => None,
        }
    }
}
