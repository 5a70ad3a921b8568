//! The projects table: each row holds the columns that lists filter, sort and sum, and the
//! whole project as a JSON document, so one project reads in one query and a list never
//! parses a document. Every write adds a revision in the same transaction.

use std::collections::{HashMap, HashSet};

use dream_domain::codelist::{
    FinanceCategory, FinanceType, PartyRole, ProjectType, Purpose, Sector, Status, StatusDetails,
};
use dream_domain::policy::{Visibility, oblast_prefix};
use dream_domain::project::{Project, ProjectContent};
use dream_domain::revision::diff;
use dream_domain::territory::Territory;
use dream_domain::workflow::DRAFT_STAGES;
use dream_domain::{Currency, Edrpou, FieldErrors, Katottg, ObjectId, ProjectId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bulk::{Bind, bind_all, insert_rows};
use crate::revisions::{self, Change, Entity, apply_patch, insert_revision};
use crate::search::{self, SearchQuery};
use crate::timestamp::Timestamp;
use crate::{Backend, Result, Store, StoreError, in_write_tx, now, on_pool};

mod batch;

pub use batch::{PatchOutcome, PlannedPatch};

/// The most rows one page may hold.
pub const MAX_PAGE_SIZE: u32 = 100;
/// How far into a list an offset may reach; past it, narrow the filters instead.
pub const MAX_OFFSET: u32 = 10_000;

/// How often a patch that names no revision is tried when other writers keep winning.
const UNNAMED_REVISION_ATTEMPTS: u32 = 10;

/// What a list of projects is narrowed to; every field left empty matches all.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub status: Option<Status>,
    pub status_details: Option<StatusDetails>,
    pub sector: Option<Sector>,
    pub purpose: Option<Purpose>,
    pub project_type: Option<ProjectType>,
    pub oblast: Option<Katottg>,
    pub raion: Option<Katottg>,
    pub hromada: Option<Katottg>,
    pub initiator: Option<Edrpou>,
    pub implementer: Option<Edrpou>,
    /// A kind (`FinanceType`) or exact source (`FinanceCategory`) of the money behind it.
    pub finance_source: Option<FinanceSource>,
    /// Whether it has at least one contracting process.
    pub has_contracts: Option<bool>,
    /// The least money it may need, in minor units of its own currency.
    pub need_min: Option<i64>,
    /// The most money it may need, in minor units of its own currency.
    pub need_max: Option<i64>,
    pub text: Option<String>,
    /// Which drafts the reader may see; public projects pass whatever it says. The default
    /// shows no drafts.
    pub visibility: Visibility,
}

/// A kind or an exact source of money, as a filter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinanceSource {
    Type(FinanceType),
    Category(FinanceCategory),
}

impl FinanceSource {
    pub fn parse(code: &str) -> Option<Self> {
        code.parse()
            .map(Self::Type)
            .or_else(|_| code.parse().map(Self::Category))
            .ok()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Type(kind) => kind.as_str(),
            Self::Category(category) => category.as_str(),
        }
    }
}

/// The orders a list of projects can be read in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProjectSort {
    #[default]
    UpdatedDesc,
    UpdatedAsc,
    CreatedDesc,
    CreatedAsc,
    NeedDesc,
    NeedAsc,
}

impl ProjectSort {
    pub const CODES: &'static [&'static str] = &[
        "-updated", "updated", "-created", "created", "-need", "need",
    ];

    pub fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "-updated" => Self::UpdatedDesc,
            "updated" => Self::UpdatedAsc,
            "-created" => Self::CreatedDesc,
            "created" => Self::CreatedAsc,
            "-need" => Self::NeedDesc,
            "need" => Self::NeedAsc,
            _ => return None,
        })
    }

    /// The column a list is sorted by and the direction; the id breaks ties.
    fn key(self) -> (&'static str, &'static str) {
        match self {
            Self::UpdatedDesc => ("p.updated_at", "DESC"),
            Self::UpdatedAsc => ("p.updated_at", "ASC"),
            Self::CreatedDesc => ("p.created_at", "DESC"),
            Self::CreatedAsc => ("p.created_at", "ASC"),
            Self::NeedDesc => ("p.need_minor", "DESC"),
            Self::NeedAsc => ("p.need_minor", "ASC"),
        }
    }

    fn order_by(self) -> String {
        let (column, direction) = self.key();
        format!("{column} {direction}, p.id {direction}")
    }
}

/// One row of a project list: what a catalogue shows without opening the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSummary {
    pub id: String,
    pub title_uk: String,
    pub title_en: Option<String>,
    pub status: String,
    pub status_details: String,
    pub sector: String,
    pub subsector: Option<String>,
    pub purpose: String,
    pub project_type: String,
    pub katottg: String,
    pub oblast: String,
    pub oblast_name: Option<String>,
    pub raion: Option<String>,
    pub hromada: Option<String>,
    pub hromada_name: Option<String>,
    pub initiator: String,
    pub initiator_name: String,
    pub currency: String,
    pub need_minor: i64,
    pub secured_minor: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub revision: i64,
}

/// One page of a list and the number of projects matching its filter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectPage {
    pub total: i64,
    pub offset: u32,
    pub limit: u32,
    pub items: Vec<ProjectSummary>,
}

/// A project ready to be written, with the territory of its first location.
pub struct NewProject {
    pub project: Project,
    pub place: Territory,
}

/// The fields of a list item: its JSON name and the SQL expression of its value, in the
/// order of [`ProjectSummary`].
const SUMMARY_FIELDS: &[(&str, &str)] = &[
    ("id", "p.id"),
    ("titleUk", "p.title_uk"),
    ("titleEn", "p.title_en"),
    ("status", "p.status"),
    ("statusDetails", "p.status_details"),
    ("sector", "p.sector"),
    ("subsector", "p.subsector"),
    ("purpose", "p.purpose"),
    ("projectType", "p.project_type"),
    ("katottg", "p.katottg"),
    ("oblast", "p.oblast"),
    ("oblastName", "o.name"),
    ("raion", "p.raion"),
    ("hromada", "p.hromada"),
    ("hromadaName", "h.name"),
    ("initiator", "p.initiator"),
    ("initiatorName", "p.initiator_name"),
    ("currency", "p.currency"),
    ("needMinor", "p.need_minor"),
    ("securedMinor", "p.secured_minor"),
    ("createdAt", "p.created_at"),
    ("updatedAt", "p.updated_at"),
    ("revision", "p.revision"),
];

/// The SQL that makes one list item a JSON object. Times come out in the fixed form of
/// `dream_domain::timestamp`: SQLite stores them so, PostgreSQL formats them.
fn summary_object(backend: Backend) -> String {
    let pairs: Vec<String> = SUMMARY_FIELDS
        .iter()
        .map(|(name, expression)| {
            let value = match backend {
                Backend::Postgres if name.ends_with("At") => format!(
                    "to_char({expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                ),
                _ => (*expression).to_owned(),
            };
            format!("'{name}', {value}")
        })
        .collect();
    match backend {
        Backend::Sqlite => format!("json_object({})", pairs.join(", ")),
        Backend::Postgres => format!("json_build_object({})", pairs.join(", ")),
    }
}

/// The WHERE clause of a list. `rare_words` says that the words searched for match few
/// projects, so the search index should be read first (see `search::condition`).
pub(crate) fn where_clause(
    filter: &ProjectFilter,
    backend: Backend,
    rare_words: bool,
    binds: &mut Vec<Bind>,
) -> String {
    let mut conditions: Vec<String> = visibility_condition(&filter.visibility, binds)
        .into_iter()
        .collect();
    let mut equal = |column: &str, value: Option<String>| {
        if let Some(value) = value {
            binds.push(Bind::Text(value));
            conditions.push(format!("p.{column} = ${}", binds.len()));
        }
    };
    equal("status", filter.status.map(|v| v.as_str().to_owned()));
    equal(
        "status_details",
        filter.status_details.map(|v| v.as_str().to_owned()),
    );
    match filter.sector {
        Some(sector) if sector.is_subsector() => equal("subsector", Some(sector.to_string())),
        sector => equal("sector", sector.map(|v| v.to_string())),
    }
    equal("purpose", filter.purpose.map(|v| v.as_str().to_owned()));
    equal(
        "project_type",
        filter.project_type.map(|v| v.as_str().to_owned()),
    );
    equal("oblast", filter.oblast.as_ref().map(|v| v.to_string()));
    equal("raion", filter.raion.as_ref().map(|v| v.to_string()));
    equal("hromada", filter.hromada.as_ref().map(|v| v.to_string()));
    equal(
        "initiator",
        filter.initiator.as_ref().map(|v| v.to_string()),
    );
    equal(
        "implementer",
        filter.implementer.as_ref().map(|v| v.to_string()),
    );
    if let Some(source) = filter.finance_source {
        binds.push(Bind::Text(format!("%|{}|%", source.as_str())));
        conditions.push(format!("p.finance_sources LIKE ${}", binds.len()));
    }
    match filter.has_contracts {
        Some(true) => conditions.push("p.contracts > 0".into()),
        Some(false) => conditions.push("p.contracts = 0".into()),
        None => {}
    }
    if let Some(least) = filter.need_min {
        binds.push(Bind::Int(least));
        conditions.push(format!("p.need_minor >= ${}", binds.len()));
    }
    if let Some(most) = filter.need_max {
        binds.push(Bind::Int(most));
        conditions.push(format!("p.need_minor <= ${}", binds.len()));
    }
    if let Some(query) = filter.text.as_deref().and_then(SearchQuery::parse) {
        binds.push(Bind::Text(query.for_backend(backend)));
        conditions.push(search::condition(backend, binds.len(), rare_words));
    }
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}

/// The condition that keeps a list to the projects `visibility` admits: the rule of
/// [`Visibility::admits`] in SQL, over the columns it reads (the stage, the initiator and
/// the first location). `None` when everything passes.
fn visibility_condition(visibility: &Visibility, binds: &mut Vec<Bind>) -> Option<String> {
    let public = public_condition();
    match visibility {
        Visibility::Everything => None,
        Visibility::PublicOnly => Some(public),
        Visibility::PublicAndOwn { organisation } => {
            binds.push(Bind::Text(organisation.to_string()));
            Some(format!("({public} OR p.initiator = ${})", binds.len()))
        }
        Visibility::PublicAndOblast { oblast } => {
            binds.push(Bind::Text(oblast_prefix(oblast).to_owned()));
            Some(format!(
                "({public} OR substr(p.katottg, 3, 2) = ${})",
                binds.len()
            ))
        }
    }
}

/// The condition a public project meets: it has left the draft stages.
fn public_condition() -> String {
    let drafts: Vec<String> = DRAFT_STAGES
        .iter()
        .map(|stage| format!("'{}'", stage.as_str()))
        .collect();
    format!("p.status_details NOT IN ({})", drafts.join(", "))
}

/// The columns of a new project row, in the order of [`Row::values`].
const PROJECT_COLUMNS: &[&str] = &[
    "id",
    "title_uk",
    "title_en",
    "status",
    "status_details",
    "sector",
    "subsector",
    "purpose",
    "project_type",
    "katottg",
    "oblast",
    "raion",
    "hromada",
    "initiator",
    "initiator_name",
    "currency",
    "need_minor",
    "secured_minor",
    "created_at",
    "updated_at",
    "revision",
    "document",
    "contracted_minor",
    "implementer",
    "finance_sources",
    "contracts",
    "indexed_version",
];

/// A statement written in the same transaction as a project's change, with its values.
pub(crate) struct Alongside {
    pub sql: &'static str,
    pub binds: Vec<Bind>,
}

/// Moves the registry version on; run in every transaction that writes projects, objects
/// or organisations, since the public pages show all three.
pub(crate) const BUMP_VERSION: &str =
    "UPDATE registry_version SET version = version + 1 WHERE id = 1";

/// The version of the indexed columns a row is written with. Rows of an older version are
/// filled in again from their documents by [`Store::reindex_projects`].
const INDEXED_VERSION: i64 = 2;

/// The column values of one project row.
struct Row {
    id: String,
    title_uk: String,
    title_en: Option<String>,
    status: String,
    status_details: String,
    sector: String,
    subsector: Option<String>,
    purpose: String,
    project_type: String,
    katottg: String,
    oblast: String,
    raion: Option<String>,
    hromada: Option<String>,
    initiator: String,
    initiator_name: String,
    currency: String,
    need_minor: i64,
    secured_minor: i64,
    created_at: Timestamp,
    updated_at: Timestamp,
    revision: i64,
    document: String,
    search_text: String,
    contracted_minor: i64,
    implementer: Option<String>,
    finance_sources: String,
    contracts: i64,
}

impl Row {
    /// The values of a new row in the order of [`PROJECT_COLUMNS`].
    fn values(&self) -> Vec<Bind> {
        vec![
            Bind::Text(self.id.clone()),
            Bind::Text(self.title_uk.clone()),
            Bind::OptionalText(self.title_en.clone()),
            Bind::Text(self.status.clone()),
            Bind::Text(self.status_details.clone()),
            Bind::Text(self.sector.clone()),
            Bind::OptionalText(self.subsector.clone()),
            Bind::Text(self.purpose.clone()),
            Bind::Text(self.project_type.clone()),
            Bind::Text(self.katottg.clone()),
            Bind::Text(self.oblast.clone()),
            Bind::OptionalText(self.raion.clone()),
            Bind::OptionalText(self.hromada.clone()),
            Bind::Text(self.initiator.clone()),
            Bind::Text(self.initiator_name.clone()),
            Bind::Text(self.currency.clone()),
            Bind::Int(self.need_minor),
            Bind::Int(self.secured_minor),
            Bind::Time(self.created_at),
            Bind::Time(self.updated_at),
            Bind::Int(self.revision),
            Bind::Text(self.document.clone()),
            Bind::Int(self.contracted_minor),
            Bind::OptionalText(self.implementer.clone()),
            Bind::Text(self.finance_sources.clone()),
            Bind::Int(self.contracts),
            Bind::Int(INDEXED_VERSION),
        ]
    }

    /// The values of its first revision's row.
    fn first_revision(&self, change: &Change) -> Vec<Bind> {
        let id = &self.id;
        revisions::first_revision_row(Entity::Project, id, change, self.created_at, &self.document)
    }

    fn new(project: &Project, place: &Territory) -> Result<Self> {
        let content = &project.content;
        let funding = content.funding();
        let initiator = content.initiator().ok_or_else(|| {
            StoreError::Invalid(FieldErrors::from(dream_domain::FieldError {
                field: "parties".into(),
                message: "one party must have the initiator role".into(),
            }))
        })?;
        let document =
            serde_json::to_string(project).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Self {
            id: project.id.to_string(),
            title_uk: content.title.uk.clone(),
            title_en: content.title.en.clone(),
            status: project.status.as_str().to_owned(),
            status_details: content.status_details.as_str().to_owned(),
            sector: content.sector.to_string(),
            subsector: content.subsector.map(|s| s.to_string()),
            purpose: content.purpose.as_str().to_owned(),
            project_type: content.project_type.as_str().to_owned(),
            katottg: place.code.to_string(),
            oblast: place.oblast.to_string(),
            raion: place.raion.as_ref().map(|c| c.to_string()),
            hromada: place.hromada.as_ref().map(|c| c.to_string()),
            initiator: initiator.id.to_string(),
            initiator_name: initiator.name.clone(),
            currency: funding.need.currency.code().to_owned(),
            need_minor: funding.need.amount_minor,
            secured_minor: funding.secured.amount_minor,
            created_at: Timestamp(project.date),
            updated_at: Timestamp(project.updated),
            revision: 1,
            document,
            search_text: search_text(content),
            contracted_minor: contracted_minor(content, funding.need.currency),
            implementer: content
                .parties
                .iter()
                .find(|p| p.roles.contains(&PartyRole::Implementer))
                .map(|p| p.id.to_string()),
            finance_sources: finance_sources(content),
            contracts: content.contracting_processes.len() as i64,
        })
    }
}

/// The money under contract in the project's own currency; contracts in another currency
/// cannot be added to it and are left out of this sum (the document keeps them).
fn contracted_minor(content: &ProjectContent, currency: Currency) -> i64 {
    content
        .contracting_processes
        .iter()
        .filter_map(|process| process.contract_value)
        .filter(|value| value.currency == currency)
        .map(|value| value.amount_minor)
        .sum()
}

/// The kinds and exact sources of the money behind the first approach, each between bars
/// (`|stateFunds|localBudget|`), so that one `LIKE '%|code|%'` finds a source.
fn finance_sources(content: &ProjectContent) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for line in content.approaches.iter().take(1).flat_map(|a| &a.finance) {
        codes.push(line.finance_type.as_str());
        codes.push(line.finance_category.as_str());
    }
    codes.sort_unstable();
    codes.dedup();
    if codes.is_empty() {
        String::new()
    } else {
        format!("|{}|", codes.join("|"))
    }
}

/// The words a project is found by: titles and descriptions in both languages, addresses
/// and the initiator's name.
fn search_text(content: &ProjectContent) -> String {
    let mut parts = vec![content.title.uk.as_str(), content.description.uk.as_str()];
    parts.extend(content.title.en.as_deref());
    parts.extend(content.description.en.as_deref());
    parts.extend(
        content
            .locations
            .iter()
            .filter_map(|l| l.address.as_deref()),
    );
    parts.extend(content.parties.iter().map(|p| p.name.as_str()));
    parts.join(" ")
}

impl Store {
    /// Checks a project's content against the rules and the codifier, returning the
    /// territory of its first location.
    pub async fn check_project(&self, content: &ProjectContent) -> Result<Territory> {
        let mut checked = self.check_projects(&[content]).await?;
        checked
            .pop()
            .ok_or_else(|| StoreError::Corrupt("a project went unchecked".into()))?
    }

    /// Checks many projects' contents as [`Store::check_project`] does, one answer each, with
    /// one lookup of all their places and one of all their objects: a page of register
    /// changes is then checked in two queries instead of two per project.
    pub(crate) async fn check_projects(
        &self,
        contents: &[&ProjectContent],
    ) -> Result<Vec<Result<Territory>>> {
        let codes: Vec<&Katottg> = contents
            .iter()
            .flat_map(|content| content.locations.iter().map(|l| &l.katottg))
            .collect();
        let places = self.territories_by_code(&codes).await?;
        let objects: Vec<&ObjectId> = contents.iter().flat_map(|c| &c.objects).collect();
        let known_objects = self.existing_objects(&objects).await?;
        Ok(contents
            .iter()
            .map(|content| check_against(content, &places, &known_objects))
            .collect())
    }

    /// The ids among `ids` that name an object, a few hundred per query.
    async fn existing_objects(&self, ids: &[&ObjectId]) -> Result<HashSet<String>> {
        let mut found = HashSet::new();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let binds: Vec<Bind> = chunk.iter().map(|id| Bind::Text(id.to_string())).collect();
            let sql = format!(
                "SELECT id FROM objects WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let rows: Vec<String> = on_pool!(self.db(), pool =>
                bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &binds)
                    .fetch_all(pool)
                    .await?);
            found.extend(rows);
        }
        Ok(found)
    }

    /// Creates a project from content a client wrote.
    pub async fn create_project(
        &self,
        content: ProjectContent,
        change: &Change,
    ) -> Result<Project> {
        let place = self.check_project(&content).await?;
        let at = now();
        let project = Project {
            id: ProjectId::generate(at),
            date: at,
            updated: at,
            status: content.status_details.status(),
            content,
        };
        self.insert_projects(
            vec![NewProject {
                project: project.clone(),
                place,
            }],
            change,
        )
        .await?;
        tracing::info!(project.id = %project.id, "created project {}", project.id);
        Ok(project)
    }

    /// Writes already checked projects, each with its first revision, in one transaction.
    pub async fn insert_projects(&self, projects: Vec<NewProject>, change: &Change) -> Result<()> {
        let rows = projects
            .iter()
            .map(|new| Row::new(&new.project, &new.place))
            .collect::<Result<Vec<Row>>>()?;
        let revisions: Vec<Vec<Bind>> = rows.iter().map(|row| row.first_revision(change)).collect();
        let searches: Vec<Vec<Bind>> = rows
            .iter()
            .map(|row| {
                vec![
                    Bind::Text(row.id.clone()),
                    Bind::Text(row.search_text.clone()),
                ]
            })
            .collect();
        in_write_tx!(self, tx, backend => async {
            if backend == Backend::Postgres {
                let columns: Vec<&str> =
                    PROJECT_COLUMNS.iter().copied().chain(["search"]).collect();
                let values: Vec<Vec<Bind>> = rows
                    .iter()
                    .map(|row| {
                        let mut values = row.values();
                        values.push(Bind::Text(row.search_text.clone()));
                        values
                    })
                    .collect();
                let search = Some("to_tsvector('simple', {})");
                insert_rows!(tx, backend, "projects", &columns, &values, search);
            } else {
                let values: Vec<Vec<Bind>> = rows.iter().map(Row::values).collect();
                insert_rows!(tx, backend, "projects", PROJECT_COLUMNS, &values, None);
                insert_search_entries!(tx, &searches);
            }
            sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            insert_rows!(tx, backend, "revisions", revisions::COLUMNS, &revisions, None);
            Ok::<_, StoreError>(())
        }.await)
    }

    /// The stored JSON document of a project, exactly as it is served, if `visibility`
    /// admits it; a draft hidden from the reader is not found, as if it did not exist.
    pub async fn project_document(
        &self,
        id: &ProjectId,
        visibility: &Visibility,
    ) -> Result<String> {
        let mut binds = vec![Bind::Text(id.to_string())];
        let condition = match visibility_condition(visibility, &mut binds) {
            Some(condition) => format!("AND {condition}"),
            None => String::new(),
        };
        let sql = format!("SELECT p.document FROM projects p WHERE p.id = $1 {condition}");
        let document: Option<String> = on_pool!(self.db(), pool =>
            bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &binds)
                .fetch_optional(pool)
                .await?);
        document.ok_or_else(|| StoreError::NotFound {
            entity: "project",
            id: id.to_string(),
        })
    }

    /// A project with its current revision number.
    pub async fn project(&self, id: &ProjectId) -> Result<(Project, u32)> {
        let row: Option<(String, i64)> = on_pool!(self.db(), pool =>
            sqlx::query_as("SELECT document, revision FROM projects WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(pool)
                .await?);
        let (document, revision) = row.ok_or_else(|| StoreError::NotFound {
            entity: "project",
            id: id.to_string(),
        })?;
        let project = serde_json::from_str(&document)
            .map_err(|e| StoreError::Corrupt(format!("project {id}: {e}")))?;
        Ok((project, u32::try_from(revision).unwrap_or(u32::MAX)))
    }

    /// The projects of `ids`, in that order, in one query per [`IDS_PER_QUERY`]: a list
    /// such as a call's ranking reads its projects together rather than one by one. An id
    /// that names no project is an error.
    pub async fn projects(&self, ids: &[ProjectId]) -> Result<Vec<Project>> {
        let mut found: HashMap<String, Project> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let sql = format!(
                "SELECT document FROM projects WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let binds: Vec<Bind> = chunk.iter().map(|id| Bind::Text(id.to_string())).collect();
            let documents: Vec<String> = on_pool!(self.db(), pool =>
                bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &binds)
                    .fetch_all(pool)
                    .await?);
            for document in documents {
                let project: Project = serde_json::from_str(&document)
                    .map_err(|e| StoreError::Corrupt(format!("a project: {e}")))?;
                found.insert(project.id.to_string(), project);
            }
        }
        ids.iter()
            .map(|id| {
                found
                    .get(id.as_str())
                    .cloned()
                    .ok_or_else(|| StoreError::NotFound {
                        entity: "project",
                        id: id.to_string(),
                    })
            })
            .collect()
    }

    /// Applies a client's RFC 6902 patch to a project's content. With `expected_revision`,
    /// the change is refused when someone else changed the project since that revision.
    pub async fn patch_project(
        &self,
        id: &ProjectId,
        patch: &Value,
        expected_revision: Option<u32>,
        change: &Change,
    ) -> Result<Project> {
        // A client that did not name a revision wants its patch applied to whatever is
        // current, so a race with another writer is retried on the newer state.
        let attempts = if expected_revision.is_some() {
            1
        } else {
            UNNAMED_REVISION_ATTEMPTS
        };
        let mut attempt = 1;
        loop {
            match self
                .patch_project_once(id, patch, expected_revision, change)
                .await
            {
                Err(StoreError::Conflict(_)) if attempt < attempts => {
                    // A short, growing pause lets the writers that collided spread out.
                    tokio::time::sleep(std::time::Duration::from_millis(u64::from(attempt) * 3))
                        .await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn patch_project_once(
        &self,
        id: &ProjectId,
        patch: &Value,
        expected_revision: Option<u32>,
        change: &Change,
    ) -> Result<Project> {
        self.patch_project_alongside(id, patch, expected_revision, change, &[])
            .await
    }

    /// Patches a project as [`Store::patch_project`] does, once, and runs `alongside` in the
    /// same transaction: a record that belongs to the change (an application to a call, a
    /// commission's decision) is written with it or not at all.
    pub(crate) async fn patch_project_alongside(
        &self,
        id: &ProjectId,
        patch: &Value,
        expected_revision: Option<u32>,
        change: &Change,
        alongside: &[Alongside],
    ) -> Result<Project> {
        let (current, revision) = self.project(id).await?;
        check_expected(revision, expected_revision)?;
        let content: ProjectContent = apply_patch(&current.content, patch)?;
        let place = self.check_project(&content).await?;
        let withdrawn = current.status == Status::Cancelled;
        let status = Project::derive_status(withdrawn, content.status_details);
        let next = Project {
            updated: now(),
            status,
            content,
            ..current.clone()
        };
        self.write_change(&current, next, revision, &place, change, alongside)
            .await
    }

    /// Withdraws a project: it keeps all its history and shows the status cancelled.
    pub async fn withdraw_project(&self, id: &ProjectId, change: &Change) -> Result<Project> {
        let (current, revision) = self.project(id).await?;
        if current.status == Status::Cancelled {
            return Err(StoreError::Conflict(format!(
                "project {id} is already withdrawn"
            )));
        }
        let place = self.check_project(&current.content).await?;
        let next = Project {
            updated: now(),
            status: Status::Cancelled,
            ..current.clone()
        };
        self.write_change(&current, next, revision, &place, change, &[])
            .await
    }

    /// Replaces a project row when it is still at `revision`, adding revision + 1.
    async fn write_change(
        &self,
        current: &Project,
        next: Project,
        revision: u32,
        place: &Territory,
        change: &Change,
        alongside: &[Alongside],
    ) -> Result<Project> {
        if next.content == current.content && next.status == current.status {
            return Ok(current.clone());
        }
        let before =
            serde_json::to_value(current).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let after = serde_json::to_value(&next).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let patch = diff(&before, &after);
        let mut row = Row::new(&next, place)?;
        row.revision = i64::from(revision) + 1;
        in_write_tx!(self, tx, backend => async {
            let sql = update_sql(backend);
            let binds = update_binds(&row, revision);
            let query = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql)), &binds);
            let updated = query.execute(&mut *tx).await?.rows_affected();
            if updated == 0 {
                return Err(moved_on(&row.id));
            }
            if backend == Backend::Sqlite {
                sqlx::query(sqlx::AssertSqlSafe(delete_search_entries("$1")))
                    .bind(&row.id).execute(&mut *tx).await?;
                let entry = [Bind::Text(row.id.clone()), Bind::Text(row.search_text.clone())];
                insert_search_entries!(tx, &[entry.to_vec()]);
            }
            sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            let (id, number, at) = (&row.id, row.revision, row.updated_at);
            insert_revision!(tx, Entity::Project, id, number, change, at, patch)?;
            for statement in alongside {
                let query = sqlx::query(sqlx::AssertSqlSafe(statement.sql));
                bind_all!(query, &statement.binds).execute(&mut *tx).await?;
            }
            Ok::<_, StoreError>(())
        }.await)?;
        tracing::info!(project.id = %next.id, project.revision = row.revision,
            "changed project {} to revision {}", next.id, row.revision);
        Ok(next)
    }

    /// One page of projects matching `filter`, in `sort` order, with the total count.
    pub async fn list_projects(
        &self,
        filter: &ProjectFilter,
        sort: ProjectSort,
        offset: u32,
        limit: u32,
    ) -> Result<ProjectPage> {
        let json = self.list_projects_json(filter, sort, offset, limit).await?;
        serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("list page: {e}")))
    }

    /// The same page as [`Store::list_projects`], as the JSON text the API sends. The
    /// database builds the JSON: a page is then one row to fetch instead of one per project,
    /// and nothing is decoded and encoded again on the way out.
    pub async fn list_projects_json(
        &self,
        filter: &ProjectFilter,
        sort: ProjectSort,
        offset: u32,
        limit: u32,
    ) -> Result<String> {
        self.list_projects_json_counted(filter, sort, offset, limit, None)
            .await
    }

    /// [`Store::list_projects_json`] for a caller that may know the total already (from
    /// totals kept per registry version), so that only the page is read.
    pub async fn list_projects_json_counted(
        &self,
        filter: &ProjectFilter,
        sort: ProjectSort,
        offset: u32,
        limit: u32,
        known_total: Option<i64>,
    ) -> Result<String> {
        let limit = limit.clamp(1, MAX_PAGE_SIZE);
        let offset = offset.min(MAX_OFFSET);
        let backend = self.backend();
        // On PostgreSQL a text search is counted first: the count tells whether the words are
        // rare enough to read the search index first (see `search::condition`). Otherwise one
        // statement gives the count and the page, saving a round trip; on SQLite every
        // statement is a hand-over to the connection's worker thread.
        let known_total = match (known_total, backend) {
            (Some(total), _) => Some(total),
            (None, Backend::Postgres) if filter.text.is_some() => {
                Some(self.count_matching(filter).await?)
            }
            (None, _) => None,
        };
        let rare = known_total.is_none_or(|total| total <= search::RARE_MATCHES);
        let mut binds = Vec::new();
        let conditions = where_clause(filter, backend, rare, &mut binds);
        let page = page_sql(backend, &conditions, sort, &mut binds, limit, offset);
        let items_sql = match backend {
            Backend::Sqlite => format!("SELECT json_group_array(json(item)) FROM ({page})"),
            Backend::Postgres => {
                let (_, direction) = sort.key();
                format!(
                    "SELECT COALESCE(json_agg(item ORDER BY sort_key {direction}, \
                     sort_id {direction}), '[]'::json)::text FROM ({page}) AS page"
                )
            }
        };
        let (total, items): (i64, String) = match known_total {
            Some(total) => {
                let items: String = on_pool!(self.db(), pool =>
                    bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(items_sql)), &binds)
                        .fetch_one(pool)
                        .await?);
                (total, items)
            }
            None => {
                let sql =
                    format!("SELECT (SELECT COUNT(*) FROM projects p {conditions}), ({items_sql})");
                on_pool!(self.db(), pool =>
                    bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &binds)
                        .fetch_one(pool)
                        .await?)
            }
        };
        Ok(format!(
            r#"{{"total":{total},"offset":{offset},"limit":{limit},"items":{items}}}"#
        ))
    }

    /// Up to `limit` projects matching `filter` that come after `after` in the order of the
    /// latest change first: the way to walk a whole filtered list, page by page, without an
    /// offset that grows.
    pub async fn projects_after(
        &self,
        filter: &ProjectFilter,
        after: Option<&ProjectSummary>,
        limit: u32,
    ) -> Result<Vec<ProjectSummary>> {
        let backend = self.backend();
        let mut binds = Vec::new();
        let mut conditions = where_clause(filter, backend, false, &mut binds);
        if let Some(last) = after {
            binds.push(Bind::Time(last.updated_at));
            binds.push(Bind::Text(last.id.clone()));
            let (time, id) = (binds.len() - 1, binds.len());
            // A row value, rather than the same condition spelled with OR, is what lets
            // PostgreSQL walk its (updated_at, id) index from the last row on instead of
            // from the top for every batch.
            let keyset = format!("(p.updated_at, p.id) < (${time}, ${id})");
            conditions = if conditions.is_empty() {
                format!("WHERE {keyset}")
            } else {
                format!("{conditions} AND {keyset}")
            };
        }
        binds.push(Bind::Int(i64::from(limit)));
        let item = match backend {
            Backend::Sqlite => summary_object(backend),
            Backend::Postgres => format!("({})::text", summary_object(backend)),
        };
        let sql = format!(
            "SELECT {item} FROM projects p \
             LEFT JOIN territories o ON o.code = p.oblast \
             LEFT JOIN territories h ON h.code = p.hromada \
             {conditions} ORDER BY p.updated_at DESC, p.id DESC LIMIT ${}",
            binds.len()
        );
        let items: Vec<String> = on_pool!(self.db(), pool =>
            bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &binds)
                .fetch_all(pool)
                .await?);
        summaries(&items)
    }

    /// Fills in the indexed columns of rows written by an older version from their
    /// documents, a batch at a time. Returns how many rows were brought up to date.
    pub async fn reindex_projects(&self) -> Result<u64> {
        let mut done = 0;
        loop {
            let rows: Vec<(String, String)> = on_pool!(self.db(), pool =>
                sqlx::query_as(
                    "SELECT id, document FROM projects WHERE indexed_version < $1 LIMIT 500",
                )
                .bind(INDEXED_VERSION)
                .fetch_all(pool)
                .await?);
            if rows.is_empty() {
                return Ok(done);
            }
            for (id, document) in rows {
                self.reindex_project(&id, &document).await?;
                done += 1;
            }
            tracing::info!(
                projects.reindexed = done,
                "filled in the portal columns of {done} projects"
            );
        }
    }

    async fn reindex_project(&self, id: &str, document: &str) -> Result<()> {
        let project: Project = serde_json::from_str(document)
            .map_err(|e| StoreError::Corrupt(format!("project {id}: {e}")))?;
        let place = self.check_project(&project.content).await?;
        let row = Row::new(&project, &place)?;
        on_pool!(self.db(), pool =>
            sqlx::query(
                "UPDATE projects SET contracted_minor = $1, implementer = $2, \
                 finance_sources = $3, contracts = $4, indexed_version = $5 WHERE id = $6",
            )
            .bind(row.contracted_minor).bind(&row.implementer).bind(&row.finance_sources)
            .bind(row.contracts).bind(INDEXED_VERSION).bind(id)
            .execute(pool)
            .await
            .map(|_| ())?);
        on_pool!(self.db(), pool =>
            sqlx::query(BUMP_VERSION).execute(pool).await.map(|_| ())?);
        self.clock.wrote();
        Ok(())
    }

    /// How many projects match a filter.
    async fn count_matching(&self, filter: &ProjectFilter) -> Result<i64> {
        let mut binds = Vec::new();
        let conditions = where_clause(filter, self.backend(), false, &mut binds);
        let sql = format!("SELECT COUNT(*) FROM projects p {conditions}");
        let total: i64 = on_pool!(self.db(), pool =>
            bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &binds).fetch_one(pool).await?);
        Ok(total)
    }

    /// Up to `limit` public projects with ids after `after` (`""` for the first page), in id
    /// order, as stored documents: the way to walk every published project without holding
    /// them all. Drafts are left out; they are not open data.
    pub async fn project_documents_after(
        &self,
        after: &str,
        limit: u32,
    ) -> Result<Vec<(String, String)>> {
        let sql = format!(
            "SELECT p.id, p.document FROM projects p WHERE p.id > $1 AND {} \
             ORDER BY p.id LIMIT $2",
            public_condition()
        );
        let rows: Vec<(String, String)> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?);
        Ok(rows)
    }

    /// The change feed: ids and update times of up to `limit` public projects changed after `from`
    /// (oldest first) or, with `ascending` false, before `from` (newest first).
    pub async fn projects_changed(
        &self,
        from: Option<time::OffsetDateTime>,
        ascending: bool,
        limit: u32,
    ) -> Result<Vec<(String, Timestamp)>> {
        let (comparison, direction) = if ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        let public = public_condition();
        let condition = if from.is_some() {
            format!("WHERE {public} AND p.updated_at {comparison} $2")
        } else {
            format!("WHERE {public}")
        };
        let sql = format!(
            "SELECT p.id, p.updated_at FROM projects p {condition} \
             ORDER BY p.updated_at {direction}, p.id {direction} LIMIT $1"
        );
        let rows: Vec<(String, Timestamp)> = on_pool!(self.db(), pool => {
            let query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(i64::from(limit));
            let query = match from {
                Some(from) => query.bind(Timestamp(from)),
                None => query,
            };
            query.fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// How many public projects there are and when the last one changed: the version of the
    /// published registry, for ETag and Last-Modified on bulk responses.
    pub async fn public_version(&self) -> Result<(i64, Option<Timestamp>)> {
        let sql = format!(
            "SELECT COUNT(*), MAX(p.updated_at) FROM projects p WHERE {}",
            public_condition()
        );
        let row: (i64, Option<Timestamp>) = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await?);
        Ok(row)
    }

    /// A number that changes with every write to projects, objects and organisations: what
    /// kept totals and pages compare against. Known without a round trip to the database
    /// when it can be (see `version.rs`), read in one indexed lookup otherwise.
    pub async fn registry_version(&self) -> Result<i64> {
        if let Some(version) = self.clock.current() {
            return Ok(version);
        }
        let writes = self.clock.before_read();
        let version: i64 = on_pool!(self.db(), pool =>
            sqlx::query_scalar(crate::version::READ_VERSION)
                .fetch_one(pool)
                .await?);
        Ok(self.clock.read(version, writes))
    }

    /// One page of projects matching `filter` without counting them, for a caller that
    /// knows the total already (from cached totals); `known_total` picks the search plan.
    pub async fn project_page(
        &self,
        filter: &ProjectFilter,
        sort: ProjectSort,
        offset: u32,
        limit: u32,
        known_total: i64,
    ) -> Result<Vec<ProjectSummary>> {
        let backend = self.backend();
        let limit = limit.clamp(1, MAX_PAGE_SIZE);
        let offset = offset.min(MAX_OFFSET);
        let rare = known_total <= search::RARE_MATCHES;
        let mut binds = Vec::new();
        let conditions = where_clause(filter, backend, rare, &mut binds);
        let page = page_sql(backend, &conditions, sort, &mut binds, limit, offset);
        let sql = match backend {
            Backend::Sqlite => format!("SELECT item FROM ({page}) AS page"),
            Backend::Postgres => {
                let (_, direction) = sort.key();
                format!(
                    "SELECT item::text FROM ({page}) AS page \
                     ORDER BY sort_key {direction}, sort_id {direction}"
                )
            }
        };
        let items: Vec<String> = on_pool!(self.db(), pool =>
            bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &binds)
                .fetch_all(pool)
                .await?);
        summaries(&items)
    }

    /// How many projects there are.
    pub async fn count_projects(&self) -> Result<i64> {
        let count: i64 = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT COUNT(*) FROM projects").fetch_one(pool).await?);
        Ok(count)
    }
}

/// The query of one page: each row an `item` (a JSON object) and, on PostgreSQL, the keys it
/// is sorted by; the limit and offset are appended to `binds`.
fn page_sql(
    backend: Backend,
    conditions: &str,
    sort: ProjectSort,
    binds: &mut Vec<Bind>,
    limit: u32,
    offset: u32,
) -> String {
    binds.push(Bind::Int(i64::from(limit)));
    binds.push(Bind::Int(i64::from(offset)));
    // PostgreSQL aggregates in no promised order, so the page carries its sort key along.
    let sort_columns = match backend {
        Backend::Postgres => format!(", {} AS sort_key, p.id AS sort_id", sort.key().0),
        Backend::Sqlite => String::new(),
    };
    format!(
        "SELECT {} AS item{sort_columns} FROM projects p \
         LEFT JOIN territories o ON o.code = p.oblast \
         LEFT JOIN territories h ON h.code = p.hromada \
         {conditions} ORDER BY {} LIMIT ${} OFFSET ${}",
        summary_object(backend),
        sort.order_by(),
        binds.len() - 1,
        binds.len()
    )
}

/// List items as the database wrote them, read back into summaries.
fn summaries(items: &[String]) -> Result<Vec<ProjectSummary>> {
    items
        .iter()
        .map(|item| {
            serde_json::from_str(item).map_err(|e| StoreError::Corrupt(format!("list item: {e}")))
        })
        .collect()
}

/// Refuses a change made against an older revision than the current one.
pub(crate) fn check_expected(current: u32, expected: Option<u32>) -> Result<()> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::Conflict(format!(
            "the change was made against revision {expected}, but the current revision is \
             {current}; read it again and retry"
        ))),
        _ => Ok(()),
    }
}

/// The UPDATE that replaces a project row only while it is still at the revision bound as
/// `$23`; its values are those of [`update_binds`].
fn update_sql(backend: Backend) -> String {
    let search_set = match backend {
        Backend::Postgres => ", search = to_tsvector('simple', $22)",
        Backend::Sqlite => "",
    };
    format!(
        "UPDATE projects SET title_uk = $1, title_en = $2, status = $3, \
         status_details = $4, sector = $5, subsector = $6, purpose = $7, \
         project_type = $8, katottg = $9, oblast = $10, raion = $11, hromada = $12, \
         initiator = $13, initiator_name = $14, currency = $15, need_minor = $16, \
         secured_minor = $17, updated_at = $18, revision = $19, document = $20, \
         contracted_minor = $24, implementer = $25, finance_sources = $26, \
         contracts = $27, indexed_version = $28 \
         {search_set} WHERE id = $21 AND revision = $23"
    )
}

/// The values of [`update_sql`] for a row replacing revision `revision`. SQLite keeps the
/// search words in a table of their own, so there `$22` is bound but not used.
fn update_binds(row: &Row, revision: u32) -> Vec<Bind> {
    vec![
        Bind::Text(row.title_uk.clone()),
        Bind::OptionalText(row.title_en.clone()),
        Bind::Text(row.status.clone()),
        Bind::Text(row.status_details.clone()),
        Bind::Text(row.sector.clone()),
        Bind::OptionalText(row.subsector.clone()),
        Bind::Text(row.purpose.clone()),
        Bind::Text(row.project_type.clone()),
        Bind::Text(row.katottg.clone()),
        Bind::Text(row.oblast.clone()),
        Bind::OptionalText(row.raion.clone()),
        Bind::OptionalText(row.hromada.clone()),
        Bind::Text(row.initiator.clone()),
        Bind::Text(row.initiator_name.clone()),
        Bind::Text(row.currency.clone()),
        Bind::Int(row.need_minor),
        Bind::Int(row.secured_minor),
        Bind::Time(row.updated_at),
        Bind::Int(row.revision),
        Bind::Text(row.document.clone()),
        Bind::Text(row.id.clone()),
        Bind::Text(row.search_text.clone()),
        Bind::Int(i64::from(revision)),
        Bind::Int(row.contracted_minor),
        Bind::OptionalText(row.implementer.clone()),
        Bind::Text(row.finance_sources.clone()),
        Bind::Int(row.contracts),
        Bind::Int(INDEXED_VERSION),
    ]
}

/// The refusal of a change to a project that moved on while the change was being made.
fn moved_on(id: &str) -> StoreError {
    StoreError::Conflict(format!(
        "project {id} changed while this change was being made; read it again and retry"
    ))
}

/// How many ids one `IN (…)` lookup names, well under both databases' limits.
const IDS_PER_QUERY: usize = 500;

/// On SQLite, writes the full-text entries (`[id, body]` each) of projects already written
/// in this transaction, each under its project's rowid, so that replacing one on an edit
/// finds it by rowid instead of reading every entry (2.4 s at a million projects).
macro_rules! insert_search_entries {
    ($tx:expr, $entries:expr) => {{
        let entries: &[Vec<Bind>] = $entries;
        for chunk in entries.chunks(crate::bulk::rows_per_insert(2)) {
            let sql = format!(
                "WITH entry (id, body) AS (VALUES {}) \
                 INSERT INTO project_search (rowid, id, body) \
                 SELECT p.rowid, entry.id, entry.body FROM entry JOIN projects p ON p.id = entry.id",
                crate::bulk::values_list(Backend::Sqlite, chunk.len(), 2, None)
            );
            bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk.iter().flatten())
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use insert_search_entries;

/// On SQLite, the statement that removes the full-text entries of the projects whose ids
/// are bound to `placeholders`.
fn delete_search_entries(placeholders: &str) -> String {
    format!(
        "DELETE FROM project_search WHERE rowid IN \
         (SELECT rowid FROM projects WHERE id IN ({placeholders}))"
    )
}

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    let params: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    params.join(", ")
}

/// The rules and the codifier applied to one project, given the places and objects that
/// exist: the territory of its first location, or every field that is wrong.
fn check_against(
    content: &ProjectContent,
    places: &HashMap<String, Territory>,
    objects: &HashSet<String>,
) -> Result<Territory> {
    let mut errors = content.check();
    let mut first = None;
    for (index, location) in content.locations.iter().enumerate() {
        match places.get(location.katottg.as_str()) {
            Some(place) => {
                first.get_or_insert_with(|| place.clone());
            }
            None => errors.add(
                format!("locations[{index}].katottg"),
                format!("{} is not in the KATOTTG codifier", location.katottg),
            ),
        }
    }
    for (index, id) in content.objects.iter().enumerate() {
        if !objects.contains(&id.to_string()) {
            errors.add(
                format!("objects[{index}]"),
                format!("object {id} does not exist"),
            );
        }
    }
    errors.into_result()?;
    first.ok_or_else(|| StoreError::Corrupt("no location".into()))
}
