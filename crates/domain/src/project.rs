//! The reconstruction project: what it is, where, who takes part, its alternative technical
//! approaches with their budgets and finance, its metrics, phases, documents and the
//! processes it relates to. Field names and codes follow DREAM's public API and OC4IDS.
//!
//! A client sends a [`ProjectContent`]; the service adds the id, the dates and the status to
//! make a [`Project`]. [`ProjectContent::check`] lists every wrong value at once.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::codelist::*;
use crate::codes::{Edrpou, Katottg};
use crate::ids::{ObjectId, ProjectId};
use crate::money::{Currency, Money};
use crate::text::Text;
use crate::validation::FieldErrors;

/// A stored project: the content its authors edit and what the service keeps for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: ProjectId,
    /// When the project was created.
    #[serde(with = "crate::timestamp")]
    pub date: OffsetDateTime,
    /// When the project last changed.
    #[serde(with = "crate::timestamp")]
    pub updated: OffsetDateTime,
    pub status: Status,
    #[serde(flatten)]
    pub content: ProjectContent,
}

/// Everything about a project that its authors write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectContent {
    pub title: Text,
    pub description: Text,
    pub purpose: Purpose,
    #[serde(rename = "type")]
    pub project_type: ProjectType,
    pub status_details: StatusDetails,
    pub sector: Sector,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsector: Option<Sector>,
    pub parties: Vec<Party>,
    #[serde(default)]
    pub objects: Vec<ObjectId>,
    pub locations: Vec<Location>,
    #[serde(default)]
    pub approaches: Vec<Approach>,
    #[serde(default)]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub related_processes: Vec<RelatedProcess>,
    #[serde(default)]
    pub contracting_processes: Vec<ContractingProcess>,
}

/// An organisation taking part in the project, by its EDRPOU code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Party {
    pub id: Edrpou,
    pub name: String,
    pub roles: Vec<PartyRole>,
}

/// A place the project works at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Location {
    pub katottg: Katottg,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<Point>,
}

/// A point in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// One alternative technical solution, with what it builds and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Approach {
    pub id: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    #[serde(default)]
    pub items: Vec<ApproachItem>,
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    #[serde(default)]
    pub finance: Vec<FinanceLine>,
}

/// A thing an approach delivers: a roof, a boiler house, a bridge span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApproachItem {
    pub id: String,
    pub description: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Period {
    pub start_date: time::Date,
    pub end_date: time::Date,
}

/// A line of an approach's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BudgetLine {
    pub id: String,
    pub amount: Money,
    pub cost_item: CostItem,
    pub cost_type: CostType,
    pub budget_type: BudgetType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// Money promised or given towards an approach, by source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FinanceLine {
    pub id: String,
    pub amount: Money,
    pub finance_type: FinanceType,
    pub finance_category: FinanceCategory,
    pub financing_party: FinancingParty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// Who pays: a Ukrainian legal entity by EDRPOU, or a foreign body by name alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FinancingParty {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Edrpou>,
    pub name: String,
}

/// A measure of what the project serves, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metric {
    pub id: String,
    pub characteristic: MetricCharacteristic,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    pub baseline: f64,
    pub target: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// One phase of the plan and how long it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Phase {
    pub code: PhaseCode,
    pub duration_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<time::Date>,
}

/// A document or photo; the file itself lives in the storage layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Document {
    pub id: String,
    pub document_type: DocumentType,
    /// The title in Ukrainian and, when given, English. A plain string is read as the
    /// Ukrainian title, as documents were written before they had two languages.
    #[serde(deserialize_with = "crate::text::plain_or_both")]
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub format: String,
    pub date_published: time::Date,
    pub access_details: AccessDetails,
    /// The size of the file in bytes, when DREAM keeps the file itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// The SHA-256 of the file in lower-case hex, when DREAM keeps the file itself; the
    /// file is stored under a name made from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// Another record this project relates to: a damage record, a tender, another project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RelatedProcess {
    pub scheme: RelatedProcessScheme,
    pub identifier: String,
    pub relationship: Relationship,
}

/// A procurement in Prozorro and the contract it led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContractingProcess {
    /// The Prozorro tender id, `UA-2024-05-23-000123-a`.
    pub tender_id: String,
    pub status: ContractingStatus,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tender_value: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_value: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_tenderers: Option<u32>,
    #[serde(default)]
    pub suppliers: Vec<Organisation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_signed: Option<time::Date>,
}

/// An organisation named inside a process: its code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Organisation {
    pub id: Edrpou,
    pub name: String,
}

/// What the project needs and has, in the currency of its proposed approach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Funding {
    pub need: Money,
    pub secured: Money,
}

impl ProjectContent {
    /// The approach the initiator proposes: the first one; the others are alternatives.
    pub fn proposed_approach(&self) -> Option<&Approach> {
        self.approaches.first()
    }

    /// The need is the latest version of the proposed approach's budget (agreed lines when
    /// there are any, otherwise revised, otherwise original); the secured amount is the sum
    /// of its finance lines.
    pub fn funding(&self) -> Funding {
        let Some(approach) = self.proposed_approach() else {
            return Funding {
                need: Money::uah(0),
                secured: Money::uah(0),
            };
        };
        let currency = approach.currency().unwrap_or(Currency::UAH);
        let latest = [
            BudgetType::Agreed,
            BudgetType::Revised,
            BudgetType::Original,
        ]
        .into_iter()
        .find(|kind| approach.budget.iter().any(|line| line.budget_type == *kind));
        let need = approach
            .budget
            .iter()
            .filter(|line| Some(line.budget_type) == latest)
            .map(|line| line.amount.amount_minor)
            .sum();
        let secured = approach
            .finance
            .iter()
            .map(|line| line.amount.amount_minor)
            .sum();
        Funding {
            need: Money {
                amount_minor: need,
                currency,
            },
            secured: Money {
                amount_minor: secured,
                currency,
            },
        }
    }

    /// The EDRPOU of the party with the initiator role.
    pub fn initiator(&self) -> Option<&Party> {
        self.parties
            .iter()
            .find(|party| party.roles.contains(&PartyRole::Initiator))
    }

    /// Lists every value that breaks a rule no single field can express alone. Territory
    /// codes are checked against the codifier by the store, which holds it.
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        self.title.check("title", 300, &mut errors);
        self.description.check("description", 20_000, &mut errors);
        self.check_sector(&mut errors);
        self.check_parties(&mut errors);
        self.check_locations(&mut errors);
        for (index, approach) in self.approaches.iter().enumerate() {
            approach.check(&format!("approaches[{index}]"), &mut errors);
        }
        check_unique_ids(
            self.approaches.iter().map(|a| a.id.as_str()),
            "approaches",
            &mut errors,
        );
        self.check_metrics_and_phases(&mut errors);
        self.check_processes(&mut errors);
        errors
    }

    fn check_sector(&self, errors: &mut FieldErrors) {
        if self.sector.is_subsector() {
            errors.add(
                "sector",
                "use a top-level sector here and the subsector field for it",
            );
        }
        if let Some(subsector) = self.subsector
            && (!subsector.is_subsector() || subsector.top_level() != self.sector)
        {
            errors.add(
                "subsector",
                format!("{subsector} is not a subsector of {}", self.sector),
            );
        }
    }

    fn check_parties(&self, errors: &mut FieldErrors) {
        if self.initiator().is_none() {
            errors.add("parties", "one party must have the initiator role");
        }
        for (index, party) in self.parties.iter().enumerate() {
            if party.name.trim().is_empty() {
                errors.add(format!("parties[{index}].name"), "the name is required");
            }
            if party.roles.is_empty() {
                errors.add(
                    format!("parties[{index}].roles"),
                    "a party needs at least one role",
                );
            }
            if self.parties[..index]
                .iter()
                .any(|other| other.id == party.id)
            {
                errors.add(
                    format!("parties[{index}].id"),
                    format!("{} is listed twice", party.id),
                );
            }
        }
    }

    fn check_locations(&self, errors: &mut FieldErrors) {
        if self.locations.is_empty() {
            errors.add("locations", "a project needs at least one location");
        }
        for (index, location) in self.locations.iter().enumerate() {
            if let Some(point) = location.point {
                // Ukraine lies between 44.3 and 52.4 degrees north and 22.1 and 40.2 east.
                let inside =
                    (44.0..=52.5).contains(&point.lat) && (22.0..=40.5).contains(&point.lon);
                if !inside {
                    errors.add(
                        format!("locations[{index}].point"),
                        "the point is outside Ukraine",
                    );
                }
            }
        }
    }

    fn check_metrics_and_phases(&self, errors: &mut FieldErrors) {
        for (index, metric) in self.metrics.iter().enumerate() {
            for (name, value) in [("baseline", metric.baseline), ("target", metric.target)] {
                if !value.is_finite() || value < 0.0 {
                    errors.add(
                        format!("metrics[{index}].{name}"),
                        "must be a number of 0 or more",
                    );
                }
            }
        }
        check_unique_ids(
            self.metrics.iter().map(|m| m.id.as_str()),
            "metrics",
            errors,
        );
        for (index, phase) in self.phases.iter().enumerate() {
            if !(1..=3650).contains(&phase.duration_days) {
                errors.add(
                    format!("phases[{index}].durationDays"),
                    "a phase lasts from 1 day to 10 years",
                );
            }
        }
    }

    fn check_processes(&self, errors: &mut FieldErrors) {
        for (index, process) in self.related_processes.iter().enumerate() {
            let field = format!("relatedProcesses[{index}].identifier");
            match process.scheme {
                RelatedProcessScheme::UaProzorro if !is_prozorro_tender_id(&process.identifier) => {
                    errors.add(
                        field,
                        "a Prozorro tender id looks like UA-2024-05-23-000123-a",
                    )
                }
                RelatedProcessScheme::UaDream if ProjectId::parse(&process.identifier).is_err() => {
                    errors.add(
                        field,
                        "a DREAM project id looks like DREAM-UA-230524-1F0C9A7B",
                    )
                }
                _ if process.identifier.trim().is_empty() => errors.add(field, "required"),
                _ => {}
            }
        }
        for (index, process) in self.contracting_processes.iter().enumerate() {
            if !is_prozorro_tender_id(&process.tender_id) {
                errors.add(
                    format!("contractingProcesses[{index}].tenderId"),
                    "a Prozorro tender id looks like UA-2024-05-23-000123-a",
                );
            }
        }
    }
}

impl Approach {
    /// The currency of the approach: that of its first budget line.
    pub fn currency(&self) -> Option<Currency> {
        self.budget.first().map(|line| line.amount.currency)
    }

    fn check(&self, field: &str, errors: &mut FieldErrors) {
        self.title.check(&format!("{field}.title"), 300, errors);
        let currency = self.currency();
        let amounts = self
            .budget
            .iter()
            .map(|line| ("budget", &line.amount, line.period))
            .chain(
                self.finance
                    .iter()
                    .map(|line| ("finance", &line.amount, line.period)),
            );
        let mut positions = std::collections::HashMap::new();
        for (list, amount, period) in amounts {
            let index = positions.entry(list).or_insert(0usize);
            if Some(amount.currency) != currency {
                errors.add(
                    format!("{field}.{list}[{index}].amount.currency"),
                    format!(
                        "every line of an approach is in its budget's currency ({})",
                        currency.map_or("none: add a budget line first", |c| c.code())
                    ),
                );
            }
            if let Some(period) = period
                && period.end_date < period.start_date
            {
                errors.add(
                    format!("{field}.{list}[{index}].period"),
                    "the end is before the start",
                );
            }
            *index += 1;
        }
        check_unique_ids(
            self.items.iter().map(|i| i.id.as_str()),
            &format!("{field}.items"),
            errors,
        );
        check_unique_ids(
            self.budget.iter().map(|b| b.id.as_str()),
            &format!("{field}.budget"),
            errors,
        );
        check_unique_ids(
            self.finance.iter().map(|l| l.id.as_str()),
            &format!("{field}.finance"),
            errors,
        );
    }
}

fn check_unique_ids<'a>(ids: impl Iterator<Item = &'a str>, field: &str, errors: &mut FieldErrors) {
    let mut seen = std::collections::HashSet::new();
    for (index, id) in ids.enumerate() {
        if id.trim().is_empty() {
            errors.add(format!("{field}[{index}].id"), "the id is required");
        } else if !seen.insert(id) {
            errors.add(
                format!("{field}[{index}].id"),
                format!("the id {id:?} is used twice"),
            );
        }
    }
}

/// Whether `text` has the shape of a Prozorro tender id: `UA-YYYY-MM-DD-NNNNNN-x`.
pub fn is_prozorro_tender_id(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 6
        && parts[0] == "UA"
        && digits(parts[1], 4)
        && digits(parts[2], 2)
        && digits(parts[3], 2)
        && digits(parts[4], 6)
        && parts[5].len() == 1
        && parts[5].bytes().all(|b| b.is_ascii_lowercase())
}

impl Project {
    /// The status a project shows: cancelled once withdrawn, otherwise that of its gate.
    pub fn derive_status(withdrawn: bool, details: StatusDetails) -> Status {
        if withdrawn {
            Status::Cancelled
        } else {
            details.status()
        }
    }
}
