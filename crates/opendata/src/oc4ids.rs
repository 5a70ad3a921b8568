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
use serde::Serialize;
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

/// One DREAM project as an OC4IDS project object, ready to be serialised.
///
/// It borrows the project's texts and codes instead of copying them, because a package
/// writes a hundred thousand of these one after another. The fields are in the byte order
/// of their names, the order in which DREAM has always written them, so that packages
/// written before and after compare equal byte for byte.
#[derive(Debug, Serialize)]
pub struct ProjectObject<'a> {
    budget: BudgetObject<'a>,
    #[serde(rename = "completionPeriod", skip_serializing_if = "Option::is_none")]
    completion_period: Option<PeriodObject>,
    #[serde(rename = "contractingProcesses", skip_serializing_if = "Vec::is_empty")]
    contracting_processes: Vec<ContractingProcessObject<'a>>,
    #[serde(
        rename = "decommissioningPeriod",
        skip_serializing_if = "Option::is_none"
    )]
    decommissioning_period: Option<PeriodObject>,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description_en: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    documents: Vec<DocumentObject<'a>>,
    #[serde(rename = "dreamStatusDetails")]
    dream_status_details: &'static str,
    #[serde(rename = "dreamType")]
    dream_type: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    forecasts: Vec<MetricObject<'a>>,
    id: String,
    #[serde(
        rename = "identificationPeriod",
        skip_serializing_if = "Option::is_none"
    )]
    identification_period: Option<PeriodObject>,
    identifiers: [Identifier<'a>; 1],
    #[serde(
        rename = "implementationPeriod",
        skip_serializing_if = "Option::is_none"
    )]
    implementation_period: Option<PeriodObject>,
    language: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<LocationObject<'a>>,
    #[serde(rename = "maintenancePeriod", skip_serializing_if = "Option::is_none")]
    maintenance_period: Option<PeriodObject>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    metrics: Vec<MetricObject<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parties: Vec<PartyObject<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<PeriodObject>,
    #[serde(rename = "preparationPeriod", skip_serializing_if = "Option::is_none")]
    preparation_period: Option<PeriodObject>,
    #[serde(rename = "publicAuthority", skip_serializing_if = "Option::is_none")]
    public_authority: Option<PartyReference<'a>>,
    purpose: &'static str,
    purpose_en: &'static str,
    #[serde(rename = "relatedProjects", skip_serializing_if = "Vec::is_empty")]
    related_projects: Vec<RelatedProject<'a>>,
    sector: Vec<&'static str>,
    status: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_en: Option<&'a str>,
    #[serde(rename = "type")]
    project_type: &'static str,
    updated: String,
}

/// One DREAM project as an OC4IDS project object.
pub fn project<'a>(project: &'a Project, publisher: &Publisher) -> ProjectObject<'a> {
    let content = &project.content;
    let periods = periods(&content.phases);
    let (purpose, purpose_en) = purpose(content.purpose);
    let mut sector = vec![content.sector.as_str()];
    sector.extend(content.subsector.map(|subsector| subsector.as_str()));

    ProjectObject {
        budget: budget(content),
        completion_period: periods.completion,
        contracting_processes: contracting_processes(content),
        decommissioning_period: periods.decommissioning,
        description: &content.description.uk,
        description_en: english(&content.description),
        documents: content.documents.iter().map(document).collect(),
        dream_status_details: content.status_details.as_str(),
        dream_type: content.project_type.as_str(),
        forecasts: observed(&content.metrics, "target", |metric| metric.target),
        id: publisher.project_id(project.id.as_str()),
        identification_period: periods.identification,
        identifiers: [Identifier {
            id: project.id.as_str(),
            scheme: "UA-DREAM",
        }],
        implementation_period: periods.implementation,
        language: LANGUAGE,
        locations: locations(&content.locations),
        maintenance_period: periods.maintenance,
        metrics: observed(&content.metrics, "baseline", |metric| metric.baseline),
        parties: parties(content),
        period: periods.whole,
        preparation_period: periods.preparation,
        public_authority: content
            .initiator()
            .map(|initiator| party_reference(&initiator.id, &initiator.name)),
        purpose,
        purpose_en,
        related_projects: related_projects(&content.related_processes, publisher),
        sector,
        status: project_status(project.status, content.status_details),
        title: &content.title.uk,
        title_en: english(&content.title),
        project_type: project_type(content.project_type),
        updated: timestamp::format(project.updated),
    }
}

/// Writes a project package to its output: the header first, then each project as it
/// comes, never holding them all.
///
/// OC4IDS requires at least one project in a package, so a package finished without any
/// is one the validator refuses; the caller decides whether to publish it.
pub struct PackageWriter<W: Write> {
    out: std::io::BufWriter<W>,
    written: usize,
}

/// What a package writer buffers before writing: a few projects at a time, so that a file
/// or a socket sees few large writes.
const WRITE_BUFFER_BYTES: usize = 256 * 1024;

impl<W: Write> PackageWriter<W> {
    /// Writes the package's header and opens its list of projects.
    pub fn start(
        out: W,
        publisher: &Publisher,
        published: OffsetDateTime,
    ) -> std::io::Result<Self> {
        let mut out = std::io::BufWriter::with_capacity(WRITE_BUFFER_BYTES, out);
        let header = Value::Object(package_header(publisher, published)).to_string();
        // The header is a closed object; reopen it to append the projects one by one.
        let open_header = header.strip_suffix('}').unwrap_or(&header);
        write!(out, "{open_header},\n\"projects\":[\n")?;
        Ok(Self { out, written: 0 })
    }

    /// Writes one more project.
    pub fn add(&mut self, project: &impl Serialize) -> std::io::Result<()> {
        if self.written > 0 {
            self.out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut self.out, project)?;
        self.written += 1;
        Ok(())
    }

    /// Closes the package; returns how many projects it holds, and the output back.
    pub fn finish(mut self) -> std::io::Result<(usize, W)> {
        self.out.write_all(b"\n]}\n")?;
        // Flushing reaches through to the output's own buffer, so that its last bytes are
        // written here rather than when the caller drops it, perhaps on an async thread.
        self.out.flush()?;
        let out = self.out.into_inner().map_err(|error| error.into_error())?;
        Ok((self.written, out))
    }
}

/// Streams a whole project package to `out`; returns how many projects were written.
pub fn write_package<W: Write>(
    out: W,
    publisher: &Publisher,
    published: OffsetDateTime,
    projects: impl Iterator<Item = impl Serialize>,
) -> std::io::Result<usize> {
    let mut package = PackageWriter::start(out, publisher, published)?;
    for project in projects {
        package.add(&project)?;
    }
    let (written, _) = package.finish()?;
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
#[derive(Debug, Serialize)]
struct Amount {
    amount: f64,
    currency: &'static str,
}

fn value(money: Money) -> Amount {
    Amount {
        amount: major_units(money),
        currency: money.currency.code(),
    }
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

/// The English of a text when it has any, written beside the Ukrainian as a `_en` variant.
fn english(text: &Text) -> Option<&str> {
    text.en.as_deref().filter(|en| !en.trim().is_empty())
}

/// The project's purpose in Ukrainian and English.
fn purpose(purpose: Purpose) -> (&'static str, &'static str) {
    match purpose {
        Purpose::Restoration => (
            "Відновлення пошкодженого або зруйнованого війною",
            "Restoration of what the war damaged or destroyed",
        ),
        Purpose::Development => (
            "Розвиток громади: нове або більше, ніж було",
            "Development of the community: new or more than there was",
        ),
    }
}

/// A project's DREAM id and the scheme that names DREAM.
#[derive(Debug, Serialize)]
struct Identifier<'a> {
    id: &'a str,
    scheme: &'static str,
}

/// The OC4IDS party id of a legal entity.
fn party_id(code: &Edrpou) -> String {
    format!("{EDRPOU_SCHEME}-{code}")
}

/// A reference to a party by its name and, when it has one, its EDRPOU code.
#[derive(Debug, Serialize)]
struct PartyReference<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    name: &'a str,
}

fn party_reference<'a>(code: &Edrpou, name: &'a str) -> PartyReference<'a> {
    PartyReference {
        id: Some(party_id(code)),
        name,
    }
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
fn parties(content: &ProjectContent) -> Vec<PartyObject<'_>> {
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
    entries.into_iter().map(party).collect()
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
#[derive(Debug, Serialize)]
struct PartyObject<'a> {
    #[serde(rename = "dreamRoles", skip_serializing_if = "Vec::is_empty")]
    dream_roles: Vec<&'static str>,
    id: String,
    identifier: LegalIdentifier<'a>,
    name: &'a str,
    roles: Vec<&'static str>,
}

/// A party's EDRPOU code and legal name.
#[derive(Debug, Serialize)]
struct LegalIdentifier<'a> {
    id: &'a str,
    #[serde(rename = "legalName")]
    legal_name: &'a str,
    scheme: &'static str,
}

fn party(entry: PartyEntry) -> PartyObject {
    PartyObject {
        dream_roles: entry.dream_roles,
        id: party_id(entry.code),
        identifier: LegalIdentifier {
            id: entry.code.as_str(),
            legal_name: entry.name,
            scheme: EDRPOU_SCHEME,
        },
        name: entry.name,
        roles: entry.roles,
    }
}

/// The project's budget: its need, how it breaks down, and who finances it.
#[derive(Debug, Serialize)]
struct BudgetObject<'a> {
    amount: Amount,
    #[serde(rename = "budgetBreakdowns", skip_serializing_if = "Vec::is_empty")]
    budget_breakdowns: Vec<BudgetBreakdown<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    finance: Vec<FinanceObject<'a>>,
}

/// The need of the proposed approach as the budget amount, every approach's budget lines as
/// its breakdown, and every approach's finance lines.
fn budget(content: &ProjectContent) -> BudgetObject<'_> {
    let description = content.proposed_approach().map(|proposed| {
        format!(
            "Потреба за останньою версією кошторису запропонованого підходу «{}»",
            proposed.title.uk
        )
    });
    let budget_breakdowns = content
        .approaches
        .iter()
        .enumerate()
        .flat_map(budget_breakdowns)
        .collect();
    let finance = content.approaches.iter().flat_map(|approach| {
        approach
            .finance
            .iter()
            .map(move |line| finance(approach, line))
    });

    BudgetObject {
        amount: value(content.funding().need),
        budget_breakdowns,
        description,
        finance: finance.collect(),
    }
}

/// One version of one approach's budget.
#[derive(Debug, Serialize)]
struct BudgetBreakdown<'a> {
    #[serde(rename = "budgetBreakdown")]
    budget_breakdown: Vec<BudgetLineObject<'a>>,
    description: String,
    id: String,
}

/// One version (original, revised, agreed) of one approach's budget per breakdown, so that
/// each breakdown's lines add up to a total that means something. The first approach is the
/// one proposed, the rest are alternatives.
fn budget_breakdowns((index, approach): (usize, &Approach)) -> Vec<BudgetBreakdown<'_>> {
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
            let lines: Vec<BudgetLineObject> = approach
                .budget
                .iter()
                .filter(|line| line.budget_type == version)
                .map(budget_line)
                .collect();
            (!lines.is_empty()).then(|| BudgetBreakdown {
                budget_breakdown: lines,
                description: format!("{kind} «{}», кошторис {version}", approach.title.uk),
                id: format!("{}-{version}", approach.id),
            })
        })
        .collect()
}

/// One budget line, with the DREAM cost item and type that OC4IDS has no field for.
#[derive(Debug, Serialize)]
struct BudgetLineObject<'a> {
    amount: Amount,
    description: String,
    #[serde(rename = "dreamCostItem")]
    dream_cost_item: &'static str,
    #[serde(rename = "dreamCostType")]
    dream_cost_type: &'static str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<PeriodObject>,
}

fn budget_line(line: &BudgetLine) -> BudgetLineObject<'_> {
    BudgetLineObject {
        amount: value(line.amount),
        description: format!("{}, {}", line.cost_item, line.cost_type),
        dream_cost_item: line.cost_item.as_str(),
        dream_cost_type: line.cost_type.as_str(),
        id: &line.id,
        period: line
            .period
            .map(|period| period_of_days(period.start_date, period.end_date)),
    }
}

/// One finance line. Its id carries the approach's, because line ids are unique only within
/// their approach.
#[derive(Debug, Serialize)]
struct FinanceObject<'a> {
    #[serde(rename = "financingParty")]
    financing_party: PartyReference<'a>,
    #[serde(rename = "financingPartyType")]
    financing_party_type: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<PeriodObject>,
    source: String,
    title: &'a str,
    value: Amount,
}

fn finance<'a>(approach: &'a Approach, line: &'a FinanceLine) -> FinanceObject<'a> {
    let party = &line.financing_party;
    FinanceObject {
        financing_party: PartyReference {
            id: party.id.as_ref().map(party_id),
            name: &party.name,
        },
        financing_party_type: financing_party_type(line.finance_category),
        id: format!("{}-{}", approach.id, line.id),
        period: line
            .period
            .map(|period| period_of_days(period.start_date, period.end_date)),
        source: format!("{}: {}", line.finance_type, line.finance_category),
        title: &approach.title.uk,
        value: value(line.amount),
    }
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

/// An OC4IDS `Period`.
#[derive(Debug, Serialize)]
struct PeriodObject {
    #[serde(rename = "durationInDays")]
    duration_in_days: i64,
    #[serde(rename = "endDate")]
    end_date: String,
    #[serde(rename = "startDate")]
    start_date: String,
}

/// A period of whole days: from the start of the first to the end of the last, in UTC.
fn period_of_days(first: Date, last: Date) -> PeriodObject {
    let start = first.midnight().assume_utc();
    let end = last
        .with_hms(23, 59, 59)
        .unwrap_or(last.midnight())
        .assume_utc();
    PeriodObject {
        duration_in_days: (last - first).whole_days() + 1,
        end_date: timestamp::format(end),
        start_date: timestamp::format(start),
    }
}

/// A place with its KATOTTG code and, when known, its address and point.
#[derive(Debug, Serialize)]
struct LocationObject<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    gazetteer: Gazetteer<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geometry: Option<Geometry>,
    id: String,
}

#[derive(Debug, Serialize)]
struct Gazetteer<'a> {
    identifiers: [&'a str; 1],
    scheme: &'static str,
}

/// A GeoJSON point: longitude first.
#[derive(Debug, Serialize)]
struct Geometry {
    coordinates: [f64; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The places, numbered from 1, each with its KATOTTG code and point.
fn locations(locations: &[Location]) -> Vec<LocationObject<'_>> {
    let with_number = locations.iter().enumerate();
    with_number
        .map(|(index, location)| LocationObject {
            description: location.address.as_deref().filter(|a| !a.trim().is_empty()),
            gazetteer: Gazetteer {
                identifiers: [location.katottg.as_str()],
                scheme: KATOTTG_GAZETTEER,
            },
            geometry: location.point.map(|point| Geometry {
                coordinates: [point.lon, point.lat],
                kind: "Point",
            }),
            id: (index + 1).to_string(),
        })
        .collect()
}

/// The stages of the OC4IDS project cycle that have a period of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Identification,
    Preparation,
    Implementation,
    Completion,
    Maintenance,
    Decommissioning,
}

/// The stage of the OC4IDS project cycle a DREAM phase belongs to.
fn stage_period(code: PhaseCode) -> Stage {
    match code {
        PhaseCode::Identification | PhaseCode::Scoping => Stage::Identification,
        PhaseCode::Hearings
        | PhaseCode::Budgeting
        | PhaseCode::ProcurementDecision
        | PhaseCode::Procurement => Stage::Preparation,
        PhaseCode::Implementation => Stage::Implementation,
        PhaseCode::Commissioning | PhaseCode::Launch => Stage::Completion,
        PhaseCode::Operations => Stage::Maintenance,
        PhaseCode::Closure | PhaseCode::DisposalDecision => Stage::Decommissioning,
    }
}

/// The project period and the period of each stage of the cycle.
#[derive(Debug, Default)]
struct Periods {
    whole: Option<PeriodObject>,
    identification: Option<PeriodObject>,
    preparation: Option<PeriodObject>,
    implementation: Option<PeriodObject>,
    completion: Option<PeriodObject>,
    maintenance: Option<PeriodObject>,
    decommissioning: Option<PeriodObject>,
}

impl Periods {
    fn of_stage(&mut self, stage: Stage) -> &mut Option<PeriodObject> {
        match stage {
            Stage::Identification => &mut self.identification,
            Stage::Preparation => &mut self.preparation,
            Stage::Implementation => &mut self.implementation,
            Stage::Completion => &mut self.completion,
            Stage::Maintenance => &mut self.maintenance,
            Stage::Decommissioning => &mut self.decommissioning,
        }
    }
}

/// The project period over all dated phases, and a period for each stage of the cycle that
/// has dated phases. Phases without a start date give no dates, so they are left out.
fn periods(phases: &[Phase]) -> Periods {
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

    let mut periods = Periods {
        whole: span(&|_| true),
        ..Periods::default()
    };
    for phase in &dated {
        let stage = stage_period(phase.0.code);
        let period = periods.of_stage(stage);
        if period.is_none() {
            *period = span(&|other| stage_period(other.code) == stage);
        }
    }
    periods
}

/// A metric with its one observation.
#[derive(Debug, Serialize)]
struct MetricObject<'a> {
    id: &'a str,
    observations: [Observation<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_en: Option<&'a str>,
}

/// One measurement; what it counts goes into its dimensions.
#[derive(Debug, Serialize)]
struct Observation<'a> {
    dimensions: Dimensions,
    id: &'static str,
    measure: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<Unit<'a>>,
}

#[derive(Debug, Serialize)]
struct Dimensions {
    characteristic: &'static str,
}

#[derive(Debug, Serialize)]
struct Unit<'a> {
    name: &'a str,
}

/// The metrics with one observation each: the baselines as `metrics`, what was measured, and
/// the targets as `forecasts`, what the project is meant to reach.
fn observed<'a>(
    metrics: &'a [Metric],
    observation_id: &'static str,
    measure: fn(&Metric) -> f64,
) -> Vec<MetricObject<'a>> {
    let with = |metric: &'a Metric| {
        let unit = metric
            .unit
            .as_deref()
            .filter(|unit| !unit.trim().is_empty());
        MetricObject {
            id: &metric.id,
            observations: [Observation {
                dimensions: Dimensions {
                    characteristic: metric.characteristic.as_str(),
                },
                id: observation_id,
                measure: measure(metric),
                unit: unit.map(|name| Unit { name }),
            }],
            title: metric.title.as_ref().map(|title| title.uk.as_str()),
            title_en: metric.title.as_ref().and_then(english),
        }
    };
    metrics.iter().map(with).collect()
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
#[derive(Debug, Serialize)]
struct DocumentObject<'a> {
    #[serde(rename = "accessDetails")]
    access_details: &'static str,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "documentType", skip_serializing_if = "Option::is_none")]
    document_type: Option<&'static str>,
    #[serde(rename = "dreamDocumentType")]
    dream_document_type: &'static str,
    format: &'a str,
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

fn document(document: &Document) -> DocumentObject<'_> {
    let published = document.date_published.midnight().assume_utc();
    DocumentObject {
        access_details: document.access_details.as_str(),
        date_published: timestamp::format(published),
        document_type: document_type(document.document_type),
        dream_document_type: document.document_type.as_str(),
        format: &document.format,
        id: &document.id,
        title: &document.title.uk,
        url: document.url.as_deref().filter(|url| !url.trim().is_empty()),
    }
}

/// Another DREAM project, by its OC4IDS id.
#[derive(Debug, Serialize)]
struct RelatedProject<'a> {
    id: String,
    identifier: String,
    relationship: &'a str,
    scheme: &'static str,
}

/// Other DREAM projects this one relates to, by their OC4IDS ids. OC4IDS's `relatedProject`
/// codelist describes the related project's type rather than the relation, so DREAM's
/// relationship codes are written as new codes of that open codelist.
///
/// FIXME: records of the Register of Damaged and Destroyed Property (`UA-RDDP`) are not
/// published, because OC4IDS 0.9.5 has no place for a damage record; readers lose the link
/// from a restoration project to the damage it repairs.
fn related_projects<'a>(
    processes: &'a [RelatedProcess],
    publisher: &Publisher,
) -> Vec<RelatedProject<'a>> {
    processes
        .iter()
        .filter(|process| process.scheme == RelatedProcessScheme::UaDream)
        .enumerate()
        .map(|(index, process)| RelatedProject {
            id: (index + 1).to_string(),
            identifier: publisher.project_id(&process.identifier),
            relationship: process.relationship.as_str(),
            scheme: "oc4ids",
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

/// A contracting process: its OCID and what DREAM knows of it.
#[derive(Debug, Serialize)]
struct ContractingProcessObject<'a> {
    id: String,
    summary: Summary<'a>,
}

/// A contracting process's summary. A Prozorro tender named only as a related process is
/// known by its id alone, so everything but its OCID and reference may be missing.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    #[serde(rename = "contractValue", skip_serializing_if = "Option::is_none")]
    contract_value: Option<Amount>,
    #[serde(rename = "dateSigned", skip_serializing_if = "Option::is_none")]
    date_signed: Option<String>,
    #[serde(rename = "dreamStatus", skip_serializing_if = "Option::is_none")]
    dream_status: Option<&'static str>,
    #[serde(rename = "externalReference")]
    external_reference: &'a str,
    ocid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppliers: Vec<PartyReference<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tender: Option<Tender<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_en: Option<&'a str>,
}

/// What DREAM knows of a procurement's tender.
#[derive(Debug, Serialize)]
struct Tender<'a> {
    #[serde(rename = "costEstimate", skip_serializing_if = "Option::is_none")]
    cost_estimate: Option<Amount>,
    #[serde(rename = "numberOfTenderers", skip_serializing_if = "Option::is_none")]
    number_of_tenderers: Option<u32>,
    #[serde(rename = "procuringEntity", skip_serializing_if = "Option::is_none")]
    procuring_entity: Option<PartyReference<'a>>,
}

/// The project's Prozorro procurements, then the Prozorro tenders named only as related
/// processes, which are known by their id alone.
fn contracting_processes(content: &ProjectContent) -> Vec<ContractingProcessObject<'_>> {
    let procuring_entity = content
        .parties
        .iter()
        .find(|party| party.roles.contains(&PartyRole::ProcuringEntity));
    let mut processes: Vec<ContractingProcessObject> = content
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
            let summary = Summary {
                contract_value: None,
                date_signed: None,
                dream_status: None,
                external_reference: tender_id,
                ocid: ocid.clone(),
                status: None,
                suppliers: vec![],
                tender: None,
                title: None,
                title_en: None,
            };
            processes.push(ContractingProcessObject { id: ocid, summary });
        }
    }
    processes
}

/// One Prozorro procurement with its tender, suppliers and contract.
fn contracting_process<'a>(
    process: &'a ContractingProcess,
    procuring_entity: Option<&'a dream_domain::project::Party>,
) -> ContractingProcessObject<'a> {
    let ocid = format!("{PROZORRO_OCID_PREFIX}-{}", process.tender_id);
    let tender = Tender {
        cost_estimate: process.tender_value.map(value),
        number_of_tenderers: process.number_of_tenderers,
        procuring_entity: procuring_entity.map(|entity| party_reference(&entity.id, &entity.name)),
    };
    let has_tender = tender.cost_estimate.is_some()
        || tender.number_of_tenderers.is_some()
        || tender.procuring_entity.is_some();
    let suppliers = process.suppliers.iter();

    let summary = Summary {
        contract_value: process.contract_value.map(value),
        date_signed: process
            .date_signed
            .map(|signed| timestamp::format(signed.midnight().assume_utc())),
        dream_status: Some(process.status.as_str()),
        external_reference: &process.tender_id,
        ocid: ocid.clone(),
        status: Some(contracting_status(process.status)),
        suppliers: suppliers.map(|s| party_reference(&s.id, &s.name)).collect(),
        tender: has_tender.then_some(tender),
        title: Some(&process.title.uk),
        title_en: english(&process.title),
    };
    ContractingProcessObject { id: ocid, summary }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dream_domain::Currency;

    #[test]
    fn money_is_written_in_major_units_exactly() {
        assert_eq!(major_units(Money::uah(125_000_050)), 1_250_000.5);
        assert_eq!(
            serde_json::to_string(&value(Money::uah(1))).unwrap(),
            r#"{"amount":0.01,"currency":"UAH"}"#
        );
        let yen = Money::new(1500, Currency::parse("JPY").unwrap()).unwrap();
        assert_eq!(major_units(yen), 1500.0);
        let dinar = Money::new(1_234_567, Currency::parse("KWD").unwrap()).unwrap();
        let written = serde_json::to_value(value(dinar)).unwrap();
        assert_eq!(written["amount"].to_string(), "1234.567");
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
        assert_eq!(english(&Text::new("Школа", "School")), Some("School"));
        let blank = Text::new("Школа", "  ");
        assert_eq!(english(&blank), None);
        let ukrainian_only = Text {
            uk: "Опис".into(),
            en: None,
        };
        assert_eq!(english(&ukrainian_only), None);
    }

    #[test]
    fn a_period_of_days_includes_both_ends() {
        let period = serde_json::to_value(period_of_days(
            Date::from_calendar_date(2024, time::Month::May, 1).unwrap(),
            Date::from_calendar_date(2024, time::Month::May, 31).unwrap(),
        ))
        .unwrap();
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

        assert_eq!(entries.len(), 1);
        let written = serde_json::to_value(party(entries.remove(0))).unwrap();
        assert_eq!(written["roles"], json!(["supplier", "funder"]));
        assert_eq!(written["dreamRoles"], json!(["designer", "supervisor"]));
        assert_eq!(written["id"], format!("UA-EDR-{code}"));
    }

    #[test]
    fn every_object_of_a_project_lists_its_fields_in_the_order_of_their_names() {
        let hromadas: Vec<_> = dream_domain::territory::codifier()
            .into_iter()
            .filter(|unit| unit.level == dream_domain::territory::TerritoryLevel::Hromada)
            .collect();
        let demo = dream_demo::generate(300, 11, &hromadas, time::macros::date!(2025 - 06 - 01));
        let publisher = Publisher {
            name: "DREAM".into(),
            uri: "https://dream.gov.ua".into(),
            prefix: "ua0001".into(),
            license: "https://creativecommons.org/licenses/by/4.0/".into(),
            publication_policy: None,
        };

        // A `serde_json::Value` keeps its keys sorted, as packages written before the typed
        // objects did; passing through one must change nothing.
        for (project, _) in &demo.projects {
            let written = serde_json::to_string(&super::project(project, &publisher)).unwrap();
            let sorted: Value = serde_json::from_str(&written).unwrap();
            assert_eq!(written, sorted.to_string(), "{}", project.id);
        }
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
