//! Every Prozorro field this connector reads, and what it becomes: pure functions from the
//! API's JSON bodies (tenders, contracts, plans and the change feed) to the connector's
//! types, with no input or output. A body that is not what the API documents gives a
//! [`MappingError`] naming the JSON path at fault, never a panic.
//!
//! The bodies are read into private structs that name only the fields used, so the large
//! parts of a response (documents, items, criteria) are skipped without being built.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use dream_domain::Edrpou;
use dream_domain::ProjectId;
use dream_domain::money::{Currency, Money};
use dream_domain::text::Text;

use super::ids::{ProzorroId, TenderId};
use super::process::{
    ChangeFlow, ChangeStatus, ContractModification, ContractPeriod, ContractStatus,
    OrganisationIdentifier, ProzorroContract, ProzorroOrganisation, ProzorroProcess,
    contracting_status,
};

/// Why a response body could not be read as what it should be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// The body is not JSON at all (cut off, HTML from a proxy, …).
    #[error("the body is not valid JSON: {0}")]
    Syntax(String),
    /// The JSON lacks a field the API always gives, or a field has the wrong type or value.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl MappingError {
    fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// A contract's own record with the tender it names, so that a caller can check that the
/// contract belongs to the tender it is merged into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRecord {
    pub tender_internal_id: Option<ProzorroId>,
    pub contract: ProzorroContract,
}

/// What a plan says about the project it serves and the tender it led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLink {
    pub internal_id: ProzorroId,
    /// The public plan id, `UA-P-2027-01-01-000001-a`.
    pub plan_id: String,
    /// The DREAM project named in the plan's `project.uri`, if the plan names one.
    pub project: Option<ProjectId>,
    pub tender_internal_id: Option<ProzorroId>,
}

/// One entry of the change feed: which tender changed, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FeedItem {
    pub id: ProzorroId,
    /// Kept as the register wrote it: together with the id, it tells a repeated entry apart
    /// from a new change of the same tender.
    pub date_modified: String,
    /// The public id (`tenderID`), when the feed was asked for it: it lets a link made by
    /// the public id learn the internal id it is fetched by.
    pub public_id: Option<String>,
}

/// One page of the change feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// The opaque offset of the next page, as `next_page.offset` gives it.
    pub next_offset: Option<String>,
}

// ---- The fields read from the API, and nothing more. ----

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTender {
    id: String,
    #[serde(rename = "tenderID")]
    tender_id: String,
    status: String,
    title: String,
    #[serde(rename = "title_en")]
    title_en: Option<String>,
    procurement_method: Option<String>,
    procurement_method_type: String,
    main_procurement_category: Option<String>,
    value: Option<RawValue>,
    procuring_entity: RawOrganisation,
    bids: Option<Vec<RawBid>>,
    number_of_bids: Option<u32>,
    #[serde(default)]
    awards: Vec<RawAward>,
    #[serde(default)]
    contracts: Vec<RawTenderContract>,
    date_modified: String,
}

#[derive(Deserialize)]
struct RawValue {
    amount: Number,
    currency: String,
}

#[derive(Deserialize)]
struct RawOrganisation {
    name: Option<String>,
    identifier: RawIdentifier,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIdentifier {
    scheme: String,
    id: String,
    legal_name: Option<String>,
}

#[derive(Deserialize)]
struct RawBid {
    status: Option<String>,
    #[serde(default)]
    tenderers: Vec<RawOrganisation>,
}

#[derive(Deserialize)]
struct RawAward {
    id: String,
    value: Option<RawValue>,
    #[serde(default)]
    suppliers: Vec<RawOrganisation>,
}

#[derive(Deserialize)]
struct RawTenderContract {
    id: String,
    #[serde(rename = "contractID")]
    contract_id: String,
    status: String,
    value: Option<RawValue>,
    #[serde(rename = "awardID")]
    award_id: Option<String>,
    #[serde(default)]
    suppliers: Vec<RawOrganisation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawContract {
    id: String,
    #[serde(rename = "contractID")]
    contract_id: String,
    status: String,
    value: Option<RawValue>,
    date_signed: Option<String>,
    period: Option<RawPeriod>,
    #[serde(default)]
    suppliers: Vec<RawOrganisation>,
    #[serde(default)]
    changes: Vec<RawChange>,
    #[serde(rename = "tender_id")]
    tender_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPeriod {
    start_date: Option<String>,
    end_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawChange {
    id: String,
    status: String,
    rationale: Option<String>,
    #[serde(rename = "rationale_en")]
    rationale_en: Option<String>,
    #[serde(default)]
    rationale_types: Vec<String>,
    date: Option<String>,
    date_signed: Option<String>,
    modifications: Option<RawModifications>,
}

#[derive(Deserialize)]
struct RawModifications {
    value: Option<RawValue>,
    period: Option<RawPeriod>,
}

#[derive(Deserialize)]
struct RawPlan {
    id: String,
    #[serde(rename = "planID")]
    plan_id: String,
    project: Option<RawPlanProject>,
    #[serde(rename = "tender_id")]
    tender_id: Option<String>,
}

#[derive(Deserialize)]
struct RawPlanProject {
    uri: Option<String>,
}

#[derive(Deserialize)]
struct RawFeed {
    data: Vec<RawFeedItem>,
    next_page: Option<RawNextPage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawFeedItem {
    id: String,
    date_modified: String,
    #[serde(rename = "tenderID")]
    tender_id: Option<String>,
}

#[derive(Deserialize)]
struct RawNextPage {
    offset: Option<Value>,
}

// ---- Reading bodies. ----

/// Reads a body into the private structs, with the JSON path of the first field at fault.
fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, MappingError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let read = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(shape_error)
        .and_then(|value| {
            deserializer
                .end()
                .map_err(|error| MappingError::Syntax(error.to_string()))?;
            Ok(value)
        });
    // A body cut short can fail on a wrong type before the reader reaches the cut, so a
    // shape error is only reported as such when the whole body is valid JSON.
    if let Err(MappingError::Invalid { .. }) = &read
        && let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(body)
    {
        return Err(MappingError::Syntax(error.to_string()));
    }
    read
}

fn read_value<T: DeserializeOwned>(body: &Value) -> Result<T, MappingError> {
    serde_path_to_error::deserialize(body).map_err(shape_error)
}

fn shape_error(error: serde_path_to_error::Error<serde_json::Error>) -> MappingError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    match inner.classify() {
        serde_json::error::Category::Data => MappingError::invalid(path, inner.to_string()),
        _ => MappingError::Syntax(inner.to_string()),
    }
}

/// Maps the body of `GET /tenders/{id}`. Its contracts are the tender's summaries: add each
/// contract's own record with [`add_contract_details`] to get signing dates and changes.
pub fn tender_from_json(body: &[u8]) -> Result<ProzorroProcess, MappingError> {
    let envelope: Envelope<RawTender> = read(body)?;
    map_tender(envelope.data)
}

/// [`tender_from_json`] for a body already parsed.
pub fn tender_from_value(body: &Value) -> Result<ProzorroProcess, MappingError> {
    let envelope: Envelope<RawTender> = read_value(body)?;
    map_tender(envelope.data)
}

/// Maps the body of `GET /contracts/{id}`.
pub fn contract_from_json(body: &[u8]) -> Result<ContractRecord, MappingError> {
    let envelope: Envelope<RawContract> = read(body)?;
    map_contract(envelope.data)
}

/// [`contract_from_json`] for a body already parsed.
pub fn contract_from_value(body: &Value) -> Result<ContractRecord, MappingError> {
    let envelope: Envelope<RawContract> = read_value(body)?;
    map_contract(envelope.data)
}

/// Maps the body of `GET /plans/{id}`.
pub fn plan_from_json(body: &[u8]) -> Result<PlanLink, MappingError> {
    let envelope: Envelope<RawPlan> = read(body)?;
    let plan = envelope.data;
    let project = match plan.project.and_then(|p| p.uri) {
        Some(uri) => Some(
            project_id_from_address(&uri)
                .map_err(|message| MappingError::invalid("data.project.uri", message))?,
        ),
        None => None,
    };
    Ok(PlanLink {
        internal_id: prozorro_id(&plan.id, "data.id")?,
        plan_id: plan.plan_id,
        project,
        tender_internal_id: plan
            .tender_id
            .map(|id| prozorro_id(&id, "data.tender_id"))
            .transpose()?,
    })
}

/// Maps one page of `GET /tenders` (or `/contracts`, `/plans`: they share the shape).
pub fn feed_page_from_json(body: &[u8]) -> Result<FeedPage, MappingError> {
    let feed: RawFeed = read(body)?;
    let items = feed
        .data
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            Ok(FeedItem {
                id: prozorro_id(&item.id, &format!("data[{index}].id"))?,
                date_modified: item.date_modified,
                public_id: item.tender_id,
            })
        })
        .collect::<Result<_, MappingError>>()?;
    // The register writes the offset as a string today; older pages had a number.
    let next_offset = match feed.next_page.and_then(|page| page.offset) {
        Some(Value::String(offset)) => Some(offset),
        Some(Value::Number(offset)) => Some(offset.to_string()),
        Some(Value::Null) | None => None,
        Some(_) => {
            return Err(MappingError::invalid(
                "next_page.offset",
                "expected a string or a number",
            ));
        }
    };
    Ok(FeedPage { items, next_offset })
}

/// The DREAM project id in a project's address, such as
/// `https://dream.gov.ua/ua/project/DREAM-UA-030524-EE48E08C/profile`: the path segment
/// after `project`. Only DREAM's own host is accepted, so that a plan pointing elsewhere is
/// not read as a link to a DREAM project.
pub fn project_id_from_address(address: &str) -> Result<ProjectId, String> {
    let address = address.trim();
    let rest = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"))
        .ok_or_else(|| format!("{address:?} is not an http(s) address"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    if host != "dream.gov.ua" && host != "www.dream.gov.ua" {
        return Err(format!("{address:?} is not an address on dream.gov.ua"));
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    segments
        .find(|segment| *segment == "project")
        .and_then(|_| segments.next())
        .ok_or_else(|| format!("{address:?} names no project (expected …/project/DREAM-UA-…)"))
        .and_then(|id| ProjectId::parse(id).map_err(|error| error.to_string()))
}

// ---- Tenders. ----

fn map_tender(raw: RawTender) -> Result<ProzorroProcess, MappingError> {
    let contracts = raw
        .contracts
        .iter()
        .enumerate()
        .map(|(index, contract)| tender_contract(contract, &raw.awards, index))
        .collect::<Result<Vec<_>, _>>()?;
    let status = contracting_status(&raw.status, &contracts)
        .map_err(|error| MappingError::invalid("data.status", error.to_string()))?;

    Ok(ProzorroProcess {
        internal_id: prozorro_id(&raw.id, "data.id")?,
        tender_id: TenderId::parse(&raw.tender_id)
            .map_err(|error| MappingError::invalid("data.tenderID", error.to_string()))?,
        title: Text {
            uk: raw.title,
            en: raw.title_en.filter(|en| !en.trim().is_empty()),
        },
        tender_status: raw.status,
        status,
        procurement_method: raw.procurement_method,
        procurement_method_type: raw.procurement_method_type,
        main_procurement_category: raw.main_procurement_category,
        tender_value: raw
            .value
            .as_ref()
            .map(|value| money(value, "data.value"))
            .transpose()?,
        number_of_tenderers: number_of_tenderers(raw.bids.as_deref(), raw.number_of_bids),
        procuring_entity: organisation(&raw.procuring_entity),
        contracts,
        date_modified: moment(&raw.date_modified, "data.dateModified")?,
    })
}

/// How many organisations took part: the distinct tenderers (by scheme and id) of the bids
/// that were submitted, whatever became of them later. A bid the register shows as `active`,
/// `pending`, `unsuccessful` or `invalid.pre-qualification` was submitted and examined, so
/// its tenderers count; a `draft` was never submitted, a `deleted` bid was withdrawn, and an
/// `invalid` one was voided by a change of the tender and never confirmed, so those do not.
/// A tenderer with two bids (one withdrawn and resubmitted, say) counts once.
///
/// `bids` is absent while the register hides them (during tendering and the auction) and in
/// limited procedures, which have none: then the answer is the legacy `numberOfBids` if the
/// record has it, otherwise unknown, never a misleading zero.
fn number_of_tenderers(bids: Option<&[RawBid]>, number_of_bids: Option<u32>) -> Option<u32> {
    let Some(bids) = bids else {
        return number_of_bids;
    };
    let mut tenderers: Vec<(&str, &str)> = bids
        .iter()
        .filter(|bid| !matches!(bid.status.as_deref(), Some("draft" | "deleted" | "invalid")))
        .flat_map(|bid| &bid.tenderers)
        .map(|t| (t.identifier.scheme.as_str(), t.identifier.id.trim()))
        .collect();
    tenderers.sort_unstable();
    tenderers.dedup();
    u32::try_from(tenderers.len()).ok()
}

fn tender_contract(
    raw: &RawTenderContract,
    awards: &[RawAward],
    index: usize,
) -> Result<ProzorroContract, MappingError> {
    let path = format!("data.contracts[{index}]");
    let award = raw
        .award_id
        .as_deref()
        .and_then(|award_id| awards.iter().find(|award| award.id == award_id));
    let award_index = award.and_then(|a| awards.iter().position(|b| std::ptr::eq(a, b)));

    // The tender's summary of a contract has no suppliers; the award it came from has them.
    let suppliers = if raw.suppliers.is_empty() {
        award.map(|a| &a.suppliers[..]).unwrap_or_default()
    } else {
        &raw.suppliers[..]
    };
    let awarded_value = match (award, award_index) {
        (
            Some(RawAward {
                value: Some(value), ..
            }),
            Some(i),
        ) => Some(money(value, &format!("data.awards[{i}].value"))?),
        _ => None,
    };

    Ok(ProzorroContract {
        internal_id: prozorro_id(&raw.id, &format!("{path}.id"))?,
        contract_id: raw.contract_id.clone(),
        status: contract_status(&raw.status, &format!("{path}.status"))?,
        value: raw
            .value
            .as_ref()
            .map(|value| money(value, &format!("{path}.value")))
            .transpose()?,
        awarded_value,
        suppliers: suppliers.iter().map(organisation).collect(),
        date_signed: None,
        period: None,
        modifications: Vec::new(),
        detailed: false,
    })
}

// ---- Contracts. ----

fn map_contract(raw: RawContract) -> Result<ContractRecord, MappingError> {
    let modifications = raw
        .changes
        .iter()
        .enumerate()
        .map(|(index, change)| modification(change, &format!("data.changes[{index}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let contract = ProzorroContract {
        internal_id: prozorro_id(&raw.id, "data.id")?,
        contract_id: raw.contract_id,
        status: contract_status(&raw.status, "data.status")?,
        value: raw
            .value
            .as_ref()
            .map(|value| money(value, "data.value"))
            .transpose()?,
        awarded_value: None,
        suppliers: raw.suppliers.iter().map(organisation).collect(),
        date_signed: optional_moment(raw.date_signed.as_deref(), "data.dateSigned")?,
        period: raw
            .period
            .as_ref()
            .map(|period| contract_period(period, "data.period"))
            .transpose()?,
        modifications,
        detailed: true,
    };
    Ok(ContractRecord {
        tender_internal_id: raw
            .tender_id
            .map(|id| prozorro_id(&id, "data.tender_id"))
            .transpose()?,
        contract,
    })
}

fn modification(raw: &RawChange, path: &str) -> Result<ContractModification, MappingError> {
    let status = match raw.status.as_str() {
        "pending" => ChangeStatus::Pending,
        "active" => ChangeStatus::Active,
        "cancelled" => ChangeStatus::Cancelled,
        other => {
            return Err(MappingError::invalid(
                format!("{path}.status"),
                format!("unknown change status {other:?}; expected pending, active or cancelled"),
            ));
        }
    };
    let modifications = raw.modifications.as_ref();
    let rationale = raw.rationale.as_ref().map(|uk| Text {
        uk: uk.clone(),
        en: raw.rationale_en.clone(),
    });

    Ok(ContractModification {
        id: raw.id.clone(),
        status,
        rationale,
        rationale_types: raw.rationale_types.clone(),
        date: optional_moment(raw.date.as_deref(), &format!("{path}.date"))?,
        date_signed: optional_moment(raw.date_signed.as_deref(), &format!("{path}.dateSigned"))?,
        flow: if modifications.is_some() {
            ChangeFlow::Modifications
        } else {
            ChangeFlow::AmendedOnContract
        },
        new_value: modifications
            .and_then(|m| m.value.as_ref())
            .map(|value| money(value, &format!("{path}.modifications.value")))
            .transpose()?,
        new_period: modifications
            .and_then(|m| m.period.as_ref())
            .map(|period| contract_period(period, &format!("{path}.modifications.period")))
            .transpose()?,
    })
}

/// Puts a contract's own record in place of the tender's summary of it, keeping what only
/// the summary knows (the awarded value, and the suppliers if the record has none), and works
/// the status out again, since a contract signed or ended since the tender was read changes it.
pub fn add_contract_details(
    process: &mut ProzorroProcess,
    record: ContractRecord,
) -> Result<(), MappingError> {
    if let Some(tender) = &record.tender_internal_id
        && tender != &process.internal_id
    {
        return Err(MappingError::invalid(
            "data.tender_id",
            format!(
                "contract {} belongs to tender {tender}, not to {}",
                record.contract.contract_id, process.internal_id
            ),
        ));
    }

    let mut detail = record.contract;
    match process
        .contracts
        .iter_mut()
        .find(|c| c.internal_id == detail.internal_id)
    {
        Some(summary) => {
            detail.awarded_value = summary.awarded_value;
            if detail.suppliers.is_empty() {
                detail.suppliers = std::mem::take(&mut summary.suppliers);
            }
            *summary = detail;
        }
        None => process.contracts.push(detail),
    }

    process.status = contracting_status(&process.tender_status, &process.contracts)
        .map_err(|error| MappingError::invalid("data.status", error.to_string()))?;
    Ok(())
}

fn contract_status(status: &str, path: &str) -> Result<ContractStatus, MappingError> {
    match status {
        "pending" => Ok(ContractStatus::Pending),
        "active" => Ok(ContractStatus::Active),
        "terminated" => Ok(ContractStatus::Terminated),
        "cancelled" => Ok(ContractStatus::Cancelled),
        other => Err(MappingError::invalid(
            path,
            format!(
                "unknown contract status {other:?}; expected pending, active, terminated or \
                 cancelled"
            ),
        )),
    }
}

fn contract_period(raw: &RawPeriod, path: &str) -> Result<ContractPeriod, MappingError> {
    let day = |text: Option<&str>, field: &str| {
        optional_moment(text, &format!("{path}.{field}")).map(|m| m.map(|m| m.date()))
    };
    Ok(ContractPeriod {
        start_date: day(raw.start_date.as_deref(), "startDate")?,
        end_date: day(raw.end_date.as_deref(), "endDate")?,
    })
}

// ---- Values shared by every record. ----

fn organisation(raw: &RawOrganisation) -> ProzorroOrganisation {
    let name = raw
        .name
        .clone()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| raw.identifier.legal_name.clone())
        .unwrap_or_else(|| raw.identifier.id.clone());
    ProzorroOrganisation {
        name,
        identifier: identifier(&raw.identifier),
    }
}

/// A `UA-EDR` code becomes an [`Edrpou`] when it passes the check digit, after restoring the
/// leading zeros that are lost when a code goes through a number field (`111983` for
/// `00111983`). Everything else is kept as written; see [`OrganisationIdentifier::Other`].
fn identifier(raw: &RawIdentifier) -> OrganisationIdentifier {
    let id = raw.id.trim();
    if raw.scheme == "UA-EDR"
        && !id.is_empty()
        && id.len() <= 8
        && let Ok(code) = Edrpou::parse(&format!("{id:0>8}"))
    {
        return OrganisationIdentifier::Edrpou { id: code };
    }
    OrganisationIdentifier::Other {
        scheme: raw.scheme.clone(),
        id: id.to_owned(),
    }
}

fn money(raw: &RawValue, path: &str) -> Result<Money, MappingError> {
    let currency = Currency::parse(&raw.currency)
        .map_err(|error| MappingError::invalid(format!("{path}.currency"), error.to_string()))?;
    let minor = minor_units(&raw.amount, currency.minor_digits())
        .map_err(|message| MappingError::invalid(format!("{path}.amount"), message))?;
    Money::new(minor, currency)
        .map_err(|error| MappingError::invalid(format!("{path}.amount"), error.to_string()))
}

/// The amount in minor units, exactly. serde_json writes a number in the shortest form that
/// reads back as the same value (`8734.93`, not `8734.9300000000003`), so the decimal digits
/// of that text are the ones the register sent, and no float arithmetic is involved.
fn minor_units(amount: &Number, digits: u8) -> Result<i64, String> {
    let text = amount.to_string();
    if text.starts_with('-') {
        return Err(format!("an amount cannot be negative, got {text}"));
    }
    if text.contains(['e', 'E']) {
        return Err(format!("the amount {text} is too large to be a price"));
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > usize::from(digits) {
        return Err(format!(
            "the amount {text} has more than {digits} decimal places"
        ));
    }

    let scale = 10i64.pow(u32::from(digits));
    let padded = format!("{fraction:0<width$}", width = usize::from(digits));
    let whole: i64 = whole
        .parse()
        .map_err(|_| format!("{text} is not an amount"))?;
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded
            .parse()
            .map_err(|_| format!("{text} is not an amount"))?
    };
    whole
        .checked_mul(scale)
        .and_then(|minor| minor.checked_add(fraction))
        .ok_or_else(|| format!("the amount {text} is too large to be a price"))
}

fn moment(text: &str, path: &str) -> Result<OffsetDateTime, MappingError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|error| {
        MappingError::invalid(path, format!("{text:?} is not an RFC 3339 moment: {error}"))
    })
}

fn optional_moment(text: Option<&str>, path: &str) -> Result<Option<OffsetDateTime>, MappingError> {
    text.map(|text| moment(text, path)).transpose()
}

fn prozorro_id(text: &str, path: &str) -> Result<ProzorroId, MappingError> {
    ProzorroId::parse(text).map_err(|error| MappingError::invalid(path, error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn amounts_become_exact_minor_units() {
        assert_eq!(minor_units(&number("500"), 2), Ok(50_000));
        assert_eq!(minor_units(&number("8734.93"), 2), Ok(873_493));
        assert_eq!(minor_units(&number("0.1"), 2), Ok(10));
        assert_eq!(minor_units(&number("1500"), 0), Ok(1_500));
        assert_eq!(minor_units(&number("1.005"), 3), Ok(1_005));
        assert_eq!(minor_units(&number("12.50"), 2), Ok(1_250));
    }

    #[test]
    fn amounts_that_no_price_can_be_are_refused() {
        assert!(
            minor_units(&number("-1"), 2)
                .unwrap_err()
                .contains("negative")
        );
        assert!(
            minor_units(&number("0.001"), 2)
                .unwrap_err()
                .contains("decimal places")
        );
        assert!(
            minor_units(&number("1e300"), 2)
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            minor_units(&number("92233720368547759"), 2)
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn edrpou_codes_that_lost_their_leading_zeros_are_restored() {
        let raw = |scheme: &str, id: &str| RawIdentifier {
            scheme: scheme.into(),
            id: id.into(),
            legal_name: None,
        };
        assert_eq!(
            identifier(&raw("UA-EDR", "13480"))
                .edrpou()
                .map(|c| c.as_str()),
            Some("00013480")
        );
        assert_eq!(identifier(&raw("UA-EDR", "00013481")).edrpou(), None);
        // An IPN is never an EDRPOU, even when its digits pass the EDRPOU check.
        assert_eq!(identifier(&raw("UA-IPN", "00013480")).edrpou(), None);
    }
}
