//! DREAM's public API, the same shape: the bodies of `/marketplace/public/dream/ideas/{id}`,
//! `/objects/{id}` and `/companies/{id}` as the state system publishes them, so that a
//! harvester written for it works against this one by changing its base address.
//!
//! The shapes follow `data/dream/dream-public-api.openapi.json`. Where DREAM wants a UUID
//! and our record has a short local id (a metric `m1`, a budget line `b2`), the UUID is made
//! from the project id and that local id, so it is the same in every response.

use dream_domain::codelist::PartyRole;
use dream_domain::money::Money;
use dream_domain::object::Object;
use dream_domain::organisation::Organisation;
use dream_domain::project::{Approach, Project};
use dream_domain::text::Text;
use dream_domain::timestamp;
use serde_json::{Value, json};

/// The roles DREAM's API knows; others (such as `funder`) are left out of its party lists.
const DREAM_ROLES: &[PartyRole] = &[
    PartyRole::Balancer,
    PartyRole::Author,
    PartyRole::Initiator,
    PartyRole::Implementer,
    PartyRole::ProcuringEntity,
    PartyRole::Tenderer,
    PartyRole::Supplier,
    PartyRole::ContractingAuthority,
    PartyRole::Supervisor,
    PartyRole::Expert,
    PartyRole::Designer,
];

/// The currencies DREAM's API accepts for amounts.
const DREAM_CURRENCIES: &[&str] = &["UAH", "EUR", "USD"];

/// A stable UUID for `local` inside `scope`: FNV-1a over both, 128 bits, shaped as a
/// version 8 (custom) UUID.
pub fn stable_uuid(scope: &str, local: &str) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash = OFFSET;
    for byte in scope.bytes().chain([0]).chain(local.bytes()) {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    let hash = (hash & !(0xf << 76) | (0x8 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{hash:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A text as DREAM's list of translations.
fn translations(text: &Text) -> Value {
    let mut list = vec![json!({"lang": "uk", "translation": text.uk})];
    if let Some(en) = text.en.as_deref().filter(|en| !en.trim().is_empty()) {
        list.push(json!({"lang": "en", "translation": en}));
    }
    Value::Array(list)
}

/// An amount in major units, as DREAM's API writes it (a number).
fn major(money: &Money) -> Value {
    money
        .major_text()
        .parse::<serde_json::Number>()
        .map_or(Value::Null, Value::Number)
}

/// The body of `/marketplace/public/dream/ideas/{id}`.
pub fn idea(project: &Project) -> Value {
    let content = &project.content;
    let id = project.id.as_str();
    let period = plan_period(project);
    let mut body = json!({
        "date": timestamp::format(project.date),
        "updated": timestamp::format(project.updated),
        "type": content.project_type.as_str(),
        "title": translations(&content.title),
        "description": translations(&content.description),
        "purpose": content.purpose.as_str(),
        "status": project.status.as_str(),
        "statusDetails": content.status_details.as_str(),
        "parties": parties(project),
        "approaches": content
            .approaches
            .iter()
            .map(|a| approach(id, a, &period))
            .collect::<Vec<_>>(),
        "relatedProcesses": related_processes(project),
        "contractingProcesses": contracting_processes(project),
    });
    if !content.metrics.is_empty() {
        body["metrics"] = json!([{
            "id": "initiationMetricsSocialAndEconomic",
            "observations": content.metrics.iter().map(|metric| json!({
                "id": stable_uuid(id, &format!("metric/{}", metric.id)),
                "dimensions": {
                    "basicValue": metric.baseline,
                    "targetValue": metric.target,
                    "characteristic": metric.characteristic.as_str(),
                },
            })).collect::<Vec<_>>(),
        }]);
    }
    if !content.phases.is_empty() {
        body["targets"] = json!([{
            "id": "initiationPhases",
            "observations": content.phases.iter().map(|phase| json!({
                "id": stable_uuid(id, &format!("phase/{}", phase.code)),
                "period": {"durationInDays": phase.duration_days},
                "dimensions": {"phaseCode": phase.code.as_str()},
            })).collect::<Vec<_>>(),
        }]);
    }
    body["documents"] = Value::Array(documents(project));
    drop_empty_lists(
        &mut body,
        &[
            "approaches",
            "relatedProcesses",
            "contractingProcesses",
            "documents",
        ],
    );
    body
}

/// DREAM's schema wants at least one item in every optional list it has, so an empty list
/// is left out instead.
fn drop_empty_lists(body: &mut Value, names: &[&str]) {
    if let Some(fields) = body.as_object_mut() {
        fields.retain(|name, value| {
            !(names.contains(&name.as_str()) && value.as_array().is_some_and(Vec::is_empty))
        });
    }
}

fn parties(project: &Project) -> Vec<Value> {
    project
        .content
        .parties
        .iter()
        .filter_map(|party| {
            let known = party.roles.iter().filter(|r| DREAM_ROLES.contains(r));
            let roles: Vec<&str> = known.map(|r| r.as_str()).collect();
            (!roles.is_empty()).then(|| {
                json!({
                    "id": party.id.as_str(),
                    "roles": roles,
                    "identifier": {
                        "scheme": "UA-EDR",
                        "id": party.id.as_str(),
                        "legalName": party.name,
                    },
                })
            })
        })
        .collect()
}

/// The dates a budget or finance line without its own period is taken to cover: from the
/// project's creation for the sum of its phases' durations (a year when it has none).
fn plan_period(project: &Project) -> (String, String) {
    let days: i64 = project
        .content
        .phases
        .iter()
        .map(|p| i64::from(p.duration_days))
        .sum();
    let start = project.date;
    let end = start + time::Duration::days(if days > 0 { days } else { 365 });
    (timestamp::format(start), timestamp::format(end))
}

fn period_of(period: Option<dream_domain::project::Period>, fallback: &(String, String)) -> Value {
    match period {
        Some(p) => json!({
            "startDate": format!("{}T00:00:00.000000Z", p.start_date),
            "endDate": format!("{}T23:59:59.000000Z", p.end_date),
        }),
        None => json!({"startDate": fallback.0, "endDate": fallback.1}),
    }
}

fn approach(project_id: &str, approach: &Approach, period: &(String, String)) -> Value {
    let scope = format!("{project_id}/approach/{}", approach.id);
    let in_dream_currency = |money: &Money| DREAM_CURRENCIES.contains(&money.currency.code());
    let breakdown: Vec<Value> = approach
        .budget
        .iter()
        .filter(|line| in_dream_currency(&line.amount))
        .map(|line| {
            json!({
                "id": stable_uuid(&scope, &format!("budget/{}", line.id)),
                "amount": {"amount": major(&line.amount), "currency": line.amount.currency.code()},
                "period": period_of(line.period, period),
                "classifications": {
                    "costItem": line.cost_item.as_str(),
                    "costType": line.cost_type.as_str(),
                    "budgetType": line.budget_type.as_str(),
                },
            })
        })
        .collect();
    let finance: Vec<Value> = approach
        .finance
        .iter()
        .filter(|line| in_dream_currency(&line.amount))
        .map(|line| {
            let mut party = json!({"name": line.financing_party.name});
            if let Some(id) = &line.financing_party.id {
                party["id"] = json!(id.as_str());
            }
            json!({
                "id": stable_uuid(&scope, &format!("finance/{}", line.id)),
                "value": {"amount": major(&line.amount), "currency": line.amount.currency.code()},
                "period": period_of(line.period, period),
                "financeType": line.finance_type.as_str(),
                "financeCategory": line.finance_category.as_str(),
                "financingParty": party,
            })
        })
        .collect();
    let items: Vec<Value> = approach
        .items
        .iter()
        .map(|item| {
            json!({
                "id": stable_uuid(&scope, &format!("item/{}", item.id)),
                "description": item.description.uk,
            })
        })
        .collect();
    let mut body = json!({
        "id": stable_uuid(&scope, ""),
        "title": approach.title.uk,
        "items": items,
        "budget": {"budgetBreakdown": breakdown, "finance": finance},
    });
    if let Some(description) = &approach.description {
        body["description"] = json!(description.uk);
    }
    body
}

fn documents(project: &Project) -> Vec<Value> {
    // DREAM requires a document's address; documents whose file is not published yet are
    // left out rather than given an address that does not answer.
    project
        .content
        .documents
        .iter()
        .filter_map(|document| {
            let url = document.url.as_deref()?;
            let published = format!("{}T00:00:00.000000Z", document.date_published);
            Some(json!({
                "id": stable_uuid(project.id.as_str(), &format!("document/{}", document.id)),
                "url": url,
                "format": document.format,
                "title": document.title.uk,
                "datePublished": published,
                "dateModified": published,
                "documentType": document.document_type.as_str(),
                "accessDetails": document.access_details.as_str(),
            }))
        })
        .collect()
}

fn related_processes(project: &Project) -> Vec<Value> {
    project
        .content
        .related_processes
        .iter()
        .enumerate()
        .map(|(index, process)| {
            json!({
                "id": (index + 1).to_string(),
                "scheme": process.scheme.as_str(),
                "identifier": process.identifier,
                "relationship": process.relationship.as_str(),
            })
        })
        .collect()
}

fn contracting_processes(project: &Project) -> Vec<Value> {
    project
        .content
        .contracting_processes
        .iter()
        .map(|process| {
            let mut contract = json!({
                "suppliers": process.suppliers.iter()
                    .map(|s| json!({"id": s.id.as_str(), "name": s.name}))
                    .collect::<Vec<_>>(),
            });
            if let Some(value) = process
                .contract_value
                .filter(|v| DREAM_CURRENCIES.contains(&v.currency.code()))
            {
                contract["value"] =
                    json!({"amount": major(&value), "currency": value.currency.code()});
            }
            if let Some(signed) = process.date_signed {
                contract["dateSigned"] = json!(format!("{signed}T00:00:00.000000Z"));
            }
            json!({
                "id": process.tender_id,
                "platform": "national",
                "summary": {
                    "title": translations(&process.title),
                    "status": process.status.as_str(),
                    "tender": {"id": process.tender_id},
                    "contract": contract,
                },
            })
        })
        .collect()
}

/// The body of `/marketplace/public/dream/objects/{id}`; `holder_name` is the legal name of
/// the balance holder when it is registered.
pub fn object(object: &Object, holder_name: Option<&str>) -> Value {
    let content = &object.content;
    let holder = content.holder.as_str();
    let mut body = json!({
        "date": timestamp::format(object.date),
        "updated": timestamp::format(object.updated),
        "status": content.status.as_str(),
        "internalId": object.id.to_string(),
        "title": translations(&content.title),
        "parties": [{
            "id": holder,
            "roles": ["balancer"],
            "identifier": {
                "scheme": "UA-EDR",
                "id": holder,
                "legalName": holder_name.unwrap_or(holder),
            },
        }],
        "classification": {
            "scheme": content.classification.scheme,
            "id": content.classification.id,
        },
        "locations": content.locations.iter().map(|location| {
            let code = location.katottg.as_str();
            let mut place = json!({"gazetteer": {"scheme": "UA-CATOTTG", "identifiers": [code]}});
            if let Some(address) = &location.address {
                place["description"] = json!(address);
            }
            place
        }).collect::<Vec<_>>(),
    });
    if let Some(description) = &content.description {
        body["description"] = translations(description);
    }
    if let Some(record) = &content.damage_record_id {
        body["relatedProcesses"] = json!([{
            "id": "1", "scheme": "UA-RDDP", "identifier": record, "relationship": "object",
        }]);
    }
    body
}

/// The body of `/marketplace/public/companies/{id}`.
pub fn company(organisation: &Organisation) -> Value {
    let id = organisation.id.as_str();
    json!({
        "id": id,
        "updated": timestamp::format(organisation.updated),
        "identifier": {"scheme": "UA-EDR", "id": id, "legalName": organisation.content.name.uk},
        "details": {"description": translations(&organisation.content.name)},
        "address": {"addressDetails": {"territory": {
            "scheme": "UA-CATOTTG", "id": organisation.content.territory.as_str(),
        }}},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_uuids_are_well_formed_and_repeatable() {
        let a = stable_uuid("DREAM-UA-010124-0000ABCD", "metric/m1");
        assert_eq!(a, stable_uuid("DREAM-UA-010124-0000ABCD", "metric/m1"));
        assert_ne!(a, stable_uuid("DREAM-UA-010124-0000ABCD", "metric/m2"));
        let parsed = uuid_shape(&a);
        assert!(parsed, "{a}");
    }

    fn uuid_shape(text: &str) -> bool {
        let parts: Vec<&str> = text.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && parts
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
            && parts[2].starts_with('8')
    }

    #[test]
    fn amounts_are_written_in_major_units() {
        let money = Money::uah(125_000_050);
        assert_eq!(major(&money).to_string(), "1250000.5");
        assert_eq!(major(&Money::uah(7)).to_string(), "0.07");
    }
}
