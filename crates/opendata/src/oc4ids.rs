//! DREAM projects as OC4IDS 0.9.5 project objects, and the project package that carries them.
//!
//! Every value the standard has a codelist for is written with that codelist's codes. Where a
//! DREAM code has no exact OC4IDS equivalent (the `equipment` project type, the gate a project
//! has reached, DREAM's own party roles and document types, the budget line's cost item) the
//! nearest OC4IDS code is written and the DREAM code is kept beside it in a field whose name
//! starts with `dream`, so that nothing DREAM knows is lost and the package stays
//! schema-valid. Texts are written in Ukrainian, the package's declared language, with the
//! English as `_en` language variants, as OCDS and OC4IDS name them.

use std::io::Write;

use dream_domain::codelist::{
    BudgetType, ContractingStatus, DocumentType, FinanceCategory, PartyRole, PhaseCode,
    ProjectType, Purpose, RelatedProcessScheme, Status, StatusDetails,
};
use dream_domain::money::Money;
use dream_domain::project::{
    Approach, BudgetLine, ContractingProcess, Document, FinanceLine, Location, Metric, Phase,
    Project, ProjectContent, RelatedProcess,
};
use dream_domain::text::Text;
use dream_domain::{Edrpou, timestamp};
use serde_json::{Map, Value, json};
use time::{Date, OffsetDateTime};

/// The language every project declares: DREAM's texts are written in Ukrainian first.
pub const LANGUAGE: &str = "uk";

/// The OC4IDS schema version the package follows, as `major.minor`.
pub const SCHEMA_VERSION: &str = "0.9";

/// The OCID prefix of Prozorro, Ukraine's e-procurement system, registered with OCP.
pub const PROZORRO_OCID_PREFIX: &str = "ocds-be6bcu";

/// The scheme of EDRPOU codes, Ukraine's register of legal entities.
pub const EDRPOU_SCHEME: &str = "UA-EDR";

/// The gazetteer of Ukraine's territorial units. It is not on OC4IDS's open
/// `locationGazetteers` codelist, so the validator lists it as a new code.
pub const KATOTTG_GAZETTEER: &str = "UA-KATOTTG";

/// Who publishes the data and under which terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    /// The publisher's web address; the package's own URI is made from it.
    pub uri: String,
    /// The six-character OC4IDS project identifier prefix registered for the publisher.
    pub prefix: String,
    /// The canonical URI of the data's licence.
    pub license: String,
    /// A link to the publisher's data user guide.
    pub publication_policy: Option<String>,
}

impl Publisher {
    /// The OC4IDS id of a DREAM project: `oc4ids-<prefix>-<DREAM id>`.
    pub fn project_id(&self, dream_id: &str) -> String {
        format!("oc4ids-{}-{dream_id}", self.prefix)
    }
}

/// One DREAM project as an OC4IDS project object.
pub fn project(project: &Project, publisher: &Publisher) -> Value {
    let content = &project.content;
    let mut object = Map::new();
    object.insert(
        "id".into(),
        json!(publisher.project_id(project.id.as_str())),
    );
    object.insert("language".into(), json!(LANGUAGE));
    object.insert(
        "identifiers".into(),
        json!([{ "id": project.id.as_str(), "scheme": "UA-DREAM" }]),
    );
    object.insert("updated".into(), json!(timestamp::format(project.updated)));

    put_text(&mut object, "title", &content.title);
    put_text(&mut object, "description", &content.description);
    put_classification(&mut object, project);

    put_parties(&mut object, content);
    object.insert("budget".into(), budget(content));
    put_list(&mut object, "locations", locations(&content.locations));
    put_periods(&mut object, &content.phases);
    put_metrics(&mut object, &content.metrics);
    put_list(
        &mut object,
        "documents",
        content.documents.iter().map(document).collect(),
    );
    put_list(
        &mut object,
        "relatedProjects",
        related_projects(&content.related_processes, publisher),
    );
    put_list(
        &mut object,
        "contractingProcesses",
        contracting_processes(content),
    );
    Value::Object(object)
}

/// Streams a whole project package to `out`: writes the package header, then each project as
/// it comes, never holding them all; returns how many were written.
///
/// OC4IDS requires at least one project in a package, so an empty iterator gives a package
/// the validator refuses; the caller decides whether to publish it.
pub fn write_package<W: Write>(
    out: W,
    publisher: &Publisher,
    published: OffsetDateTime,
    projects: impl Iterator<Item = Value>,
) -> std::io::Result<usize> {
    let mut out = std::io::BufWriter::new(out);
    let header = Value::Object(package_header(publisher, published)).to_string();
    // The header is a closed object; reopen it to append the projects one by one.
    let open_header = header.strip_suffix('}').unwrap_or(&header);
    write!(out, "{open_header},\n\"projects\":[\n")?;

    let mut written = 0;
    for project in projects {
        if written > 0 {
            writeln!(out, ",")?;
        }
        serde_json::to_writer(&mut out, &project)?;
        written += 1;
    }

    write!(out, "\n]}}\n")?;
    out.flush()?;
    Ok(written)
}

/// The package's fields other than its projects.
fn package_header(publisher: &Publisher, published: OffsetDateTime) -> Map<String, Value> {
    let base = publisher.uri.trim_end_matches('/');
    let published_text = timestamp::format(published);
    let mut header = Map::new();
    header.insert(
        "uri".into(),
        json!(format!("{base}/opendata/oc4ids/{published_text}.json")),
    );
    header.insert("version".into(), json!(SCHEMA_VERSION));
    header.insert("publishedDate".into(), json!(published_text));
    header.insert(
        "publisher".into(),
        json!({ "name": publisher.name, "uri": publisher.uri }),
    );
    header.insert("license".into(), json!(publisher.license));
    if let Some(policy) = &publisher.publication_policy {
        header.insert("publicationPolicy".into(), json!(policy));
    }
    header
}

/// An amount in major units, as OC4IDS writes money: 125000050 kopiykas are 1250000.5 UAH.
///
/// Dividing two integers in floating point gives the double nearest the exact quotient, so
/// the number printed is the exact decimal amount for any budget below 2^53 minor units.
pub fn major_units(money: Money) -> f64 {
    money.major_text().parse().unwrap_or(f64::NAN)
}

/// An OC4IDS `Value`: an amount in major units and its currency.
fn value(money: Money) -> Value {
    json!({ "amount": major_units(money), "currency": money.currency.code() })
}

/// The `projectStatus` code of a project. DREAM's status says whether the project is alive;
/// its gate says how far it has come: the early gates identify the need, the later ones up to
/// approval prepare the project, and only then is it implemented.
pub fn project_status(status: Status, details: StatusDetails) -> &'static str {
    match (status, details) {
        (Status::Cancelled | Status::Unsuccessful, _) | (_, StatusDetails::Refused) => "cancelled",
        (Status::Complete, _) => "completion",
        (_, StatusDetails::Implementation) => "implementation",
        (_, StatusDetails::Initiated | StatusDetails::Definition | StatusDetails::Defined) => {
            "identification"
        }
        _ => "preparation",
    }
}

/// The `projectType` code: equipping an asset anew is nearest to replacing what it had.
pub fn project_type(project_type: ProjectType) -> &'static str {
    match project_type {
        ProjectType::Rehabilitation => "rehabilitation",
        ProjectType::Construction => "construction",
        ProjectType::Equipment => "replacement",
    }
}

/// Writes `name` in Ukrainian and, when there is one, `name_en` in English.
fn put_text(object: &mut Map<String, Value>, name: &str, text: &Text) {
    object.insert(name.into(), json!(text.uk));
    if let Some(english) = text.en.as_deref().filter(|en| !en.trim().is_empty()) {
        object.insert(format!("{name}_en"), json!(english));
    }
}

/// Adds a list only when it has items: OC4IDS lists must not be empty.
fn put_list(object: &mut Map<String, Value>, name: &str, items: Vec<Value>) {
    if !items.is_empty() {
        object.insert(name.into(), Value::Array(items));
    }
}

/// Status, type, sector and purpose, with the DREAM codes the OC4IDS ones cannot hold.
fn put_classification(object: &mut Map<String, Value>, project: &Project) {
    let content = &project.content;
    let status = project_status(project.status, content.status_details);
    object.insert("status".into(), json!(status));
    object.insert(
        "dreamStatusDetails".into(),
        json!(content.status_details.as_str()),
    );
    object.insert("type".into(), json!(project_type(content.project_type)));
    object.insert("dreamType".into(), json!(content.project_type.as_str()));

    let mut sectors = vec![content.sector.as_str()];
    sectors.extend(content.subsector.map(|subsector| subsector.as_str()));
    object.insert("sector".into(), json!(sectors));

    let purpose = match content.purpose {
        Purpose::Restoration => Text::new(
            "Відновлення пошкодженого або зруйнованого війною",
            "Restoration of what the war damaged or destroyed",
        ),
        Purpose::Development => Text::new(
            "Розвиток громади: нове або більше, ніж було",
            "Development of the community: new or more than there was",
        ),
    };
    put_text(object, "purpose", &purpose);
}

/// The OC4IDS party id of a legal entity.
fn party_id(code: &Edrpou) -> String {
    format!("{EDRPOU_SCHEME}-{code}")
}

/// A reference to a party by its EDRPOU code and name.
fn party_reference(code: &Edrpou, name: &str) -> Value {
    json!({ "id": party_id(code), "name": name })
}

/// The `partyRole` code nearest to a DREAM role. Designers and supervisors are contracted for
/// design and supervision services, so they are suppliers; the balance holder and the author
/// have a stake in the project without an OC4IDS role of their own.
pub fn party_role(role: PartyRole) -> &'static str {
    match role {
        PartyRole::Initiator => "publicAuthority",
        PartyRole::Balancer | PartyRole::Author => "interestedParty",
        PartyRole::Implementer => "administrativeEntity",
        PartyRole::ProcuringEntity => "procuringEntity",
        PartyRole::Tenderer => "tenderer",
        PartyRole::Supplier | PartyRole::Designer | PartyRole::Supervisor => "supplier",
        PartyRole::ContractingAuthority => "buyer",
        PartyRole::Expert => "reviewBody",
        PartyRole::Funder => "funder",
    }
}

/// One entry of the parties list while it is being gathered.
struct PartyEntry<'a> {
    code: &'a Edrpou,
    name: &'a str,
    roles: Vec<&'static str>,
    dream_roles: Vec<&'static str>,
}

/// The project's parties, then every funder and supplier that the finance lines and
/// contracting processes name but the parties list lacks, so each reference has its party.
fn put_parties(object: &mut Map<String, Value>, content: &ProjectContent) {
    let mut entries: Vec<PartyEntry> = Vec::new();
    for party in &content.parties {
        let roles = party.roles.iter().map(|role| party_role(*role));
        let dream_roles = party.roles.iter().map(|role| role.as_str());
        add_party(&mut entries, &party.id, &party.name, roles, dream_roles);
    }

    let funders = content
        .approaches
        .iter()
        .flat_map(|approach| &approach.finance);
    for line in funders {
        if let Some(code) = &line.financing_party.id {
            let name = &line.financing_party.name;
            add_party(&mut entries, code, name, ["funder"], []);
        }
    }
    for supplier in content
        .contracting_processes
        .iter()
        .flat_map(|p| &p.suppliers)
    {
        add_party(&mut entries, &supplier.id, &supplier.name, ["supplier"], []);
    }

    if let Some(initiator) = content.initiator() {
        let reference = party_reference(&initiator.id, &initiator.name);
        object.insert("publicAuthority".into(), reference);
    }
    put_list(object, "parties", entries.iter().map(party).collect());
}

/// Adds the roles to the party's entry, making the entry when the party is new.
fn add_party<'a>(
    entries: &mut Vec<PartyEntry<'a>>,
    code: &'a Edrpou,
    name: &'a str,
    roles: impl IntoIterator<Item = &'static str>,
    dream_roles: impl IntoIterator<Item = &'static str>,
) {
    let position = match entries.iter().position(|entry| entry.code == code) {
        Some(position) => position,
        None => {
            entries.push(PartyEntry {
                code,
                name,
                roles: vec![],
                dream_roles: vec![],
            });
            entries.len() - 1
        }
    };

    let entry = &mut entries[position];
    for role in roles {
        if !entry.roles.contains(&role) {
            entry.roles.push(role);
        }
    }
    for role in dream_roles {
        if !entry.dream_roles.contains(&role) {
            entry.dream_roles.push(role);
        }
    }
}

/// An OC4IDS `Organization`, with the DREAM roles when DREAM gave it any.
fn party(entry: &PartyEntry) -> Value {
    let mut party = json!({
        "id": party_id(entry.code),
        "name": entry.name,
        "identifier": {
            "scheme": EDRPOU_SCHEME,
            "id": entry.code.as_str(),
            "legalName": entry.name,
        },
        "roles": entry.roles,
    });
    if !entry.dream_roles.is_empty() {
        party["dreamRoles"] = json!(entry.dream_roles);
    }
    party
}

/// The need of the proposed approach as the budget amount, every approach's budget lines as
/// its breakdown, and every approach's finance lines.
fn budget(content: &ProjectContent) -> Value {
    let mut budget = Map::new();
    budget.insert("amount".into(), value(content.funding().need));
    if let Some(proposed) = content.proposed_approach() {
        let description = format!(
            "Потреба за останньою версією кошторису запропонованого підходу «{}»",
            proposed.title.uk
        );
        budget.insert("description".into(), json!(description));
    }

    let breakdowns = content
        .approaches
        .iter()
        .enumerate()
        .flat_map(budget_breakdowns);
    put_list(&mut budget, "budgetBreakdowns", breakdowns.collect());
    let finance = content.approaches.iter().flat_map(|approach| {
        approach
            .finance
            .iter()
            .map(move |line| finance(approach, line))
    });
    put_list(&mut budget, "finance", finance.collect());
    Value::Object(budget)
}

/// One version (original, revised, agreed) of one approach's budget per breakdown, so that
/// each breakdown's lines add up to a total that means something. The first approach is the
/// one proposed, the rest are alternatives.
fn budget_breakdowns((index, approach): (usize, &Approach)) -> Vec<Value> {
    let kind = if index == 0 {
        "Запропонований підхід"
    } else {
        "Альтернативний підхід"
    };
    let versions = [
        BudgetType::Original,
        BudgetType::Revised,
        BudgetType::Agreed,
    ];

    versions
        .into_iter()
        .filter_map(|version| {
            let lines: Vec<Value> = approach
                .budget
                .iter()
                .filter(|line| line.budget_type == version)
                .map(budget_line)
                .collect();
            (!lines.is_empty()).then(|| {
                json!({
                    "id": format!("{}-{version}", approach.id),
                    "description": format!("{kind} «{}», кошторис {version}", approach.title.uk),
                    "budgetBreakdown": lines,
                })
            })
        })
        .collect()
}

/// One budget line, with the DREAM cost item and type that OC4IDS has no field for.
fn budget_line(line: &BudgetLine) -> Value {
    let mut breakdown = json!({
        "id": line.id,
        "description": format!("{}, {}", line.cost_item, line.cost_type),
        "amount": value(line.amount),
        "dreamCostItem": line.cost_item.as_str(),
        "dreamCostType": line.cost_type.as_str(),
    });
    if let Some(period) = line.period {
        breakdown["period"] = period_of_days(period.start_date, period.end_date);
    }
    breakdown
}

/// One finance line. Its id carries the approach's, because line ids are unique only within
/// their approach.
fn finance(approach: &Approach, line: &FinanceLine) -> Value {
    let party = &line.financing_party;
    let financing_party = match &party.id {
        Some(code) => party_reference(code, &party.name),
        None => json!({ "name": party.name }),
    };
    let mut finance = json!({
        "id": format!("{}-{}", approach.id, line.id),
        "title": approach.title.uk,
        "value": value(line.amount),
        "financingParty": financing_party,
        "financingPartyType": financing_party_type(line.finance_category),
        "source": format!("{}: {}", line.finance_type, line.finance_category),
    });
    if let Some(period) = line.period {
        finance["period"] = period_of_days(period.start_date, period.end_date);
    }
    finance
}

/// The `financingPartyType` nearest to a DREAM finance category. Ukraine's own budgets and
/// funds are neither investors nor development institutions, so they are `other`.
pub fn financing_party_type(category: FinanceCategory) -> &'static str {
    match category {
        FinanceCategory::InternationalOrganization => "multilateral",
        FinanceCategory::AbroadState => "bilateral",
        FinanceCategory::LegalEntity | FinanceCategory::AbroadEntity => "commercial",
        _ => "other",
    }
}

/// A period of whole days: from the start of the first to the end of the last, in UTC.
fn period_of_days(first: Date, last: Date) -> Value {
    let start = first.midnight().assume_utc();
    let end = last
        .with_hms(23, 59, 59)
        .unwrap_or(last.midnight())
        .assume_utc();
    json!({
        "startDate": timestamp::format(start),
        "endDate": timestamp::format(end),
        "durationInDays": (last - first).whole_days() + 1,
    })
}

/// The places, numbered from 1, each with its KATOTTG code and point.
fn locations(locations: &[Location]) -> Vec<Value> {
    let with_number = locations.iter().enumerate();
    with_number
        .map(|(index, location)| {
            let mut place = json!({
                "id": (index + 1).to_string(),
                "gazetteer": {
                    "scheme": KATOTTG_GAZETTEER,
                    "identifiers": [location.katottg.as_str()],
                },
            });
            if let Some(address) = location.address.as_deref().filter(|a| !a.trim().is_empty()) {
                place["description"] = json!(address);
            }
            if let Some(point) = location.point {
                place["geometry"] =
                    json!({ "type": "Point", "coordinates": [point.lon, point.lat] });
            }
            place
        })
        .collect()
}

/// The stage of the OC4IDS project cycle a DREAM phase belongs to.
fn stage_period(code: PhaseCode) -> &'static str {
    match code {
        PhaseCode::Identification | PhaseCode::Scoping => "identificationPeriod",
        PhaseCode::Hearings
        | PhaseCode::Budgeting
        | PhaseCode::ProcurementDecision
        | PhaseCode::Procurement => "preparationPeriod",
        PhaseCode::Implementation => "implementationPeriod",
        PhaseCode::Commissioning | PhaseCode::Launch => "completionPeriod",
        PhaseCode::Operations => "maintenancePeriod",
        PhaseCode::Closure | PhaseCode::DisposalDecision => "decommissioningPeriod",
    }
}

/// The project period over all dated phases, and a period for each stage of the cycle that
/// has dated phases. Phases without a start date give no dates, so they are left out.
fn put_periods(object: &mut Map<String, Value>, phases: &[Phase]) {
    let dated: Vec<(&Phase, Date, Date)> = phases
        .iter()
        .filter_map(|phase| {
            let start = phase.start_date?;
            let days = i64::from(phase.duration_days.max(1));
            Some((phase, start, start + time::Duration::days(days - 1)))
        })
        .collect();
    let span = |of: &dyn Fn(&Phase) -> bool| {
        let chosen = dated.iter().filter(|(phase, _, _)| of(phase));
        let first = chosen.clone().map(|(_, start, _)| *start).min()?;
        let last = chosen.map(|(_, _, end)| *end).max()?;
        Some(period_of_days(first, last))
    };

    if let Some(period) = span(&|_| true) {
        object.insert("period".into(), period);
    }
    for phase in &dated {
        let stage = stage_period(phase.0.code);
        if !object.contains_key(stage)
            && let Some(period) = span(&|other| stage_period(other.code) == stage)
        {
            object.insert(stage.into(), period);
        }
    }
}

/// The baselines as `metrics`, what was measured, and the targets as `forecasts`, what the
/// project is meant to reach.
fn put_metrics(object: &mut Map<String, Value>, metrics: &[Metric]) {
    let observed = |observation: &str, measure: fn(&Metric) -> f64| -> Vec<Value> {
        metrics
            .iter()
            .map(|metric| metric_with(metric, observation, measure(metric)))
            .collect()
    };
    put_list(
        object,
        "metrics",
        observed("baseline", |metric| metric.baseline),
    );
    put_list(
        object,
        "forecasts",
        observed("target", |metric| metric.target),
    );
}

/// A metric with its one observation; what it counts goes into the observation's dimensions.
fn metric_with(metric: &Metric, observation_id: &str, measure: f64) -> Value {
    let mut observation = json!({
        "id": observation_id,
        "measure": measure,
        "dimensions": { "characteristic": metric.characteristic.as_str() },
    });
    if let Some(unit) = metric
        .unit
        .as_deref()
        .filter(|unit| !unit.trim().is_empty())
    {
        observation["unit"] = json!({ "name": unit });
    }

    let mut object = Map::new();
    object.insert("id".into(), json!(metric.id));
    if let Some(title) = &metric.title {
        put_text(&mut object, "title", title);
    }
    object.insert("observations".into(), json!([observation]));
    Value::Object(object)
}

/// The `documentType` nearest to a DREAM document type. DREAM's photos are all
/// illustrations; a plain, legal or permission document has no OC4IDS counterpart, so it
/// gets no `documentType` and keeps only its DREAM type.
pub fn document_type(document_type: DocumentType) -> Option<&'static str> {
    match document_type {
        DocumentType::IllustrationBefore
        | DocumentType::IllustrationDamaged
        | DocumentType::IllustrationInProgress
        | DocumentType::IllustrationVision
        | DocumentType::IllustrationComplete
        | DocumentType::IllustrationCover
        | DocumentType::Illustration => Some("illustration"),
        DocumentType::DesignDocument => Some("designReport"),
        DocumentType::TechnicalDocument => Some("technicalSpecifications"),
        DocumentType::FeasibilityStudy => Some("feasibilityStudy"),
        DocumentType::Document | DocumentType::LegalDocument | DocumentType::PermissionDocument => {
            None
        }
    }
}

/// An OC4IDS `Document`.
fn document(document: &Document) -> Value {
    let published = document.date_published.midnight().assume_utc();
    let mut object = json!({
        "id": document.id,
        "title": document.title.uk,
        "format": document.format,
        "datePublished": timestamp::format(published),
        "accessDetails": document.access_details.as_str(),
        "dreamDocumentType": document.document_type.as_str(),
    });
    if let Some(code) = document_type(document.document_type) {
        object["documentType"] = json!(code);
    }
    if let Some(url) = document.url.as_deref().filter(|url| !url.trim().is_empty()) {
        object["url"] = json!(url);
    }
    object
}

/// Other DREAM projects this one relates to, by their OC4IDS ids. OC4IDS's `relatedProject`
/// codelist describes the related project's type rather than the relation, so DREAM's
/// relationship codes are written as new codes of that open codelist.
///
/// FIXME: records of the Register of Damaged and Destroyed Property (`UA-RDDP`) are not
/// published, because OC4IDS 0.9.5 has no place for a damage record; readers lose the link
/// from a restoration project to the damage it repairs.
fn related_projects(processes: &[RelatedProcess], publisher: &Publisher) -> Vec<Value> {
    processes
        .iter()
        .filter(|process| process.scheme == RelatedProcessScheme::UaDream)
        .enumerate()
        .map(|(index, process)| {
            json!({
                "id": (index + 1).to_string(),
                "scheme": "oc4ids",
                "identifier": publisher.project_id(&process.identifier),
                "relationship": process.relationship.as_str(),
            })
        })
        .collect()
}

/// The `contractingProcessStatus` of a Prozorro procurement: before the award it is
/// pre-award, while the contract runs it is active, and once ended either way it is closed.
pub fn contracting_status(status: ContractingStatus) -> &'static str {
    match status {
        ContractingStatus::Preparation => "pre-award",
        ContractingStatus::Implementation => "active",
        ContractingStatus::Complete
        | ContractingStatus::Cancelled
        | ContractingStatus::Unsuccessful => "closed",
    }
}

/// The project's Prozorro procurements, then the Prozorro tenders named only as related
/// processes, which are known by their id alone.
fn contracting_processes(content: &ProjectContent) -> Vec<Value> {
    let procuring_entity = content
        .parties
        .iter()
        .find(|party| party.roles.contains(&PartyRole::ProcuringEntity));
    let mut processes: Vec<Value> = content
        .contracting_processes
        .iter()
        .map(|process| contracting_process(process, procuring_entity))
        .collect();

    let known = |id: &str| {
        content
            .contracting_processes
            .iter()
            .any(|p| p.tender_id == id)
    };
    for related in &content.related_processes {
        let tender_id = related.identifier.as_str();
        if related.scheme == RelatedProcessScheme::UaProzorro && !known(tender_id) {
            let ocid = format!("{PROZORRO_OCID_PREFIX}-{tender_id}");
            let summary = json!({ "ocid": ocid, "externalReference": tender_id });
            processes.push(json!({ "id": ocid, "summary": summary }));
        }
    }
    processes
}

/// One Prozorro procurement with its tender, suppliers and contract.
fn contracting_process(
    process: &ContractingProcess,
    procuring_entity: Option<&dream_domain::project::Party>,
) -> Value {
    let ocid = format!("{PROZORRO_OCID_PREFIX}-{}", process.tender_id);
    let mut summary = Map::new();
    summary.insert("ocid".into(), json!(ocid));
    summary.insert("externalReference".into(), json!(process.tender_id));
    put_text(&mut summary, "title", &process.title);
    summary.insert("status".into(), json!(contracting_status(process.status)));
    summary.insert("dreamStatus".into(), json!(process.status.as_str()));

    let mut tender = Map::new();
    if let Some(estimate) = process.tender_value {
        tender.insert("costEstimate".into(), value(estimate));
    }
    if let Some(count) = process.number_of_tenderers {
        tender.insert("numberOfTenderers".into(), json!(count));
    }
    if let Some(entity) = procuring_entity {
        tender.insert(
            "procuringEntity".into(),
            party_reference(&entity.id, &entity.name),
        );
    }
    if !tender.is_empty() {
        summary.insert("tender".into(), Value::Object(tender));
    }

    let suppliers = process.suppliers.iter();
    let references = suppliers.map(|s| party_reference(&s.id, &s.name)).collect();
    put_list(&mut summary, "suppliers", references);
    if let Some(contract) = process.contract_value {
        summary.insert("contractValue".into(), value(contract));
    }
    if let Some(signed) = process.date_signed {
        summary.insert(
            "dateSigned".into(),
            json!(timestamp::format(signed.midnight().assume_utc())),
        );
    }
    json!({ "id": ocid, "summary": summary })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dream_domain::Currency;

    #[test]
    fn money_is_written_in_major_units_exactly() {
        assert_eq!(major_units(Money::uah(125_000_050)), 1_250_000.5);
        assert_eq!(
            value(Money::uah(1)).to_string(),
            r#"{"amount":0.01,"currency":"UAH"}"#
        );
        let yen = Money::new(1500, Currency::parse("JPY").unwrap()).unwrap();
        assert_eq!(major_units(yen), 1500.0);
        let dinar = Money::new(1_234_567, Currency::parse("KWD").unwrap()).unwrap();
        assert_eq!(value(dinar)["amount"].to_string(), "1234.567");
    }

    #[test]
    fn early_gates_identify_and_later_ones_prepare_a_project() {
        let pending = |details| project_status(Status::Pending, details);
        assert_eq!(pending(StatusDetails::Initiated), "identification");
        assert_eq!(pending(StatusDetails::Defined), "identification");
        assert_eq!(pending(StatusDetails::Appraisal), "preparation");
        assert_eq!(pending(StatusDetails::Applied), "preparation");
        assert_eq!(
            project_status(Status::Active, StatusDetails::Approved),
            "preparation"
        );
        let active = project_status(Status::Active, StatusDetails::Implementation);
        assert_eq!(active, "implementation");
    }

    #[test]
    fn ended_projects_are_completed_or_cancelled() {
        let complete = project_status(Status::Complete, StatusDetails::Implementation);
        assert_eq!(complete, "completion");
        let withdrawn = project_status(Status::Cancelled, StatusDetails::Approved);
        assert_eq!(withdrawn, "cancelled");
        let refused = project_status(Status::Unsuccessful, StatusDetails::Refused);
        assert_eq!(refused, "cancelled");
    }

    #[test]
    fn equipment_projects_are_replacements() {
        assert_eq!(project_type(ProjectType::Equipment), "replacement");
        assert_eq!(project_type(ProjectType::Rehabilitation), "rehabilitation");
    }

    #[test]
    fn english_texts_become_language_variants() {
        let mut object = Map::new();
        put_text(&mut object, "title", &Text::new("Школа", "School"));
        put_text(
            &mut object,
            "description",
            &Text {
                uk: "Опис".into(),
                en: None,
            },
        );
        assert_eq!(
            Value::Object(object),
            json!({ "title": "Школа", "title_en": "School", "description": "Опис" })
        );
    }

    #[test]
    fn a_period_of_days_includes_both_ends() {
        let period = period_of_days(
            Date::from_calendar_date(2024, time::Month::May, 1).unwrap(),
            Date::from_calendar_date(2024, time::Month::May, 31).unwrap(),
        );
        assert_eq!(period["startDate"], "2024-05-01T00:00:00.000000Z");
        assert_eq!(period["endDate"], "2024-05-31T23:59:59.000000Z");
        assert_eq!(period["durationInDays"], 31);
    }

    #[test]
    fn a_party_with_two_roles_of_one_oc4ids_code_lists_it_once() {
        let code = Edrpou::from_prefix(1_234_567);
        let mut entries = Vec::new();
        let dream = [PartyRole::Designer, PartyRole::Supervisor];
        let roles = dream.iter().map(|role| party_role(*role));
        add_party(
            &mut entries,
            &code,
            "ТОВ «Проєкт»",
            roles,
            dream.map(PartyRole::as_str),
        );
        add_party(&mut entries, &code, "ТОВ «Проєкт»", ["funder"], []);

        let written = party(&entries[0]);
        assert_eq!(entries.len(), 1);
        assert_eq!(written["roles"], json!(["supplier", "funder"]));
        assert_eq!(written["dreamRoles"], json!(["designer", "supervisor"]));
        assert_eq!(written["id"], format!("UA-EDR-{code}"));
    }

    #[test]
    fn procurements_are_closed_however_they_ended() {
        assert_eq!(
            contracting_status(ContractingStatus::Preparation),
            "pre-award"
        );
        assert_eq!(
            contracting_status(ContractingStatus::Implementation),
            "active"
        );
        assert_eq!(
            contracting_status(ContractingStatus::Unsuccessful),
            "closed"
        );
        assert_eq!(
            document_type(DocumentType::IllustrationCover),
            Some("illustration")
        );
        assert_eq!(document_type(DocumentType::LegalDocument), None);
    }
}
