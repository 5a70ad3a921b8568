//! Entering a project in the cabinet: `/cabinet/projects/new`, where an initiator writes
//! down a community's idea, and `/cabinet/projects/{id}/edit`, where its draft is improved
//! until it is submitted. The form holds the passport of the project: its titles and
//! descriptions in both languages, purpose, type, sector, where it is, what it needs and
//! whom it serves. Budgets of several approaches, documents and tenders are kept elsewhere
//! (the API, the documents page, the project page).
//!
//! Every field is checked, and a form that comes back keeps everything typed and names the
//! problem beside its field. An edit is made against the revision the form showed, so two
//! people editing at once never overwrite each other: the later one is told and keeps what
//! they typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use dream_domain::codelist::{
    BudgetType, CostItem, CostType, FinanceCategory, FinanceType, MetricCharacteristic, PartyRole,
    ProjectType, Purpose, Sector, StatusDetails,
};
use dream_domain::money::Money;
use dream_domain::policy::{Action, Actor, ProjectFacts, can};
use dream_domain::project::{
    Approach, BudgetLine, FinanceLine, FinancingParty, Location, Metric, Party, Project,
    ProjectContent,
};
use dream_domain::text::Text;
use dream_domain::validation::FieldErrors;
use dream_domain::workflow::{Step, transition};
use dream_domain::{Edrpou, Katottg, ProjectId};
use dream_store::StoreError;
use dream_store::revisions::Change;
use serde::Deserialize;
use serde_json::json;

use super::forms::{csrf_ok, refused_form};
use super::{Chrome, Lang, Problem, Reader, both, labels, render};
use crate::AppState;
use crate::api::steps::actor_of;
use crate::auth::SignedIn;

pub fn router() -> Router<AppState> {
    let router = both(
        Router::new(),
        "/cabinet/projects/new",
        get(new_form).post(create),
    );
    both(
        router,
        "/cabinet/projects/{id}/edit",
        get(edit_form).post(update),
    )
}

/// The fields of the form, as typed: every value is text until it is checked.
#[derive(Debug, Clone, Default, Deserialize)]
struct Fields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    revision: Option<u32>,
    #[serde(default)]
    title_uk: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    description_uk: String,
    #[serde(default)]
    description_en: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    project_type: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    katottg: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    need: String,
    #[serde(default)]
    own_share: String,
    #[serde(default)]
    people: String,
    #[serde(default)]
    displaced: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "project_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    csrf: String,
    fields: Fields,
    /// Whether the budget is simple enough (one approach, one budget line) for this form.
    budget_editable: bool,
    editing: bool,
    purposes: Vec<(&'static str, &'static str)>,
    types: Vec<(&'static str, &'static str)>,
    sectors: Vec<(&'static str, &'static str)>,
    /// Problems by form field; those about no field of the form are under "".
    problems: HashMap<String, String>,
}

impl FormPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems.get(field).map(String::as_str)
    }

    /// Problems that belong to no field of the form.
    fn general(&self) -> Vec<&str> {
        let fields = [
            "title_uk",
            "title_en",
            "description_uk",
            "description_en",
            "purpose",
            "project_type",
            "sector",
            "katottg",
            "address",
            "need",
            "own_share",
            "people",
            "displaced",
            "reason",
        ];
        self.problems
            .iter()
            .filter(|(field, _)| !fields.contains(&field.as_str()))
            .map(|(_, message)| message.as_str())
            .collect()
    }
}

fn form_page(
    reader: &Reader,
    signed_in: &SignedIn,
    editing: Option<&ProjectId>,
    fields: Fields,
    budget_editable: bool,
    problems: HashMap<String, String>,
) -> FormPage {
    let lang = reader.lang;
    let (heading, action) = match editing {
        Some(id) => (
            lang.pick("Редагування проєкту", "Editing the project"),
            lang.path(&format!("/cabinet/projects/{id}/edit")),
        ),
        None => (
            lang.pick("Новий проєкт", "A new project"),
            lang.path("/cabinet/projects/new"),
        ),
    };
    FormPage {
        chrome: Chrome::new(reader, heading, "cabinet"),
        heading: heading.to_owned(),
        action,
        csrf: signed_in.session.csrf_token.clone(),
        fields,
        budget_editable,
        editing: editing.is_some(),
        purposes: labels::options(lang, "purpose"),
        types: labels::options(lang, "projectType"),
        sectors: labels::options(lang, "sector"),
        problems,
    }
}

fn show(page: &FormPage, status: StatusCode) -> Response {
    let mut response = render(page);
    *response.status_mut() = status;
    response
}

/// The organisation an initiator enters projects for, or the page that says why there is
/// none.
fn organisation_of(reader: &Reader, actor: &Actor) -> Result<Edrpou, Box<Response>> {
    match (&actor.role, &actor.organisation) {
        (dream_domain::policy::Role::Initiator, Some(organisation)) => Ok(organisation.clone()),
        _ => Err(Box::new(Problem::respond(
            reader,
            StatusCode::FORBIDDEN,
            "Нові проєкти вносять ініціатори: громади та підприємства від свого імені.",
            "New projects are entered by initiators, communities and enterprises, in their \
             own name.",
        ))),
    }
}

fn actor_or_403(reader: &Reader, signed_in: &SignedIn) -> Result<Actor, Box<Response>> {
    actor_of(&signed_in.session.user).map_err(|error| {
        let message = error.to_string();
        Box::new(Problem::respond(
            reader,
            StatusCode::FORBIDDEN,
            &message,
            &message,
        ))
    })
}

async fn new_form(reader: Reader, signed_in: SignedIn) -> Response {
    let actor = match actor_or_403(&reader, &signed_in) {
        Ok(actor) => actor,
        Err(page) => return *page,
    };
    if let Err(page) = organisation_of(&reader, &actor) {
        return *page;
    }
    let fields = Fields {
        purpose: "restoration".into(),
        project_type: "rehabilitation".into(),
        ..Fields::default()
    };
    let page = form_page(&reader, &signed_in, None, fields, true, HashMap::new());
    show(&page, StatusCode::OK)
}

async fn create(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Form(fields): Form<Fields>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &fields.csrf) {
        return refused_form(&reader);
    }
    let lang = reader.lang;
    let actor = match actor_or_403(&reader, &signed_in) {
        Ok(actor) => actor,
        Err(page) => return *page,
    };
    let organisation = match organisation_of(&reader, &actor) {
        Ok(organisation) => organisation,
        Err(page) => return *page,
    };
    let again = |problems: HashMap<String, String>, status| {
        let page = form_page(&reader, &signed_in, None, fields.clone(), true, problems);
        show(&page, status)
    };

    let checked = match Checked::read(lang, &fields) {
        Ok(checked) => checked,
        Err(problems) => return again(problems, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let facts = ProjectFacts::new_draft(organisation.clone(), Some(checked.katottg.clone()));
    if let Err(refusal) = can(&actor, Action::Create, &facts) {
        let problems = one("", refusal.message.in_lang(lang.code()));
        return again(problems, StatusCode::FORBIDDEN);
    }
    let name = organisation_name(&state, &organisation).await;
    let content = checked.new_content(&organisation, &name);
    let problems = domain_problems(content.check());
    if !problems.is_empty() {
        return again(problems, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let change = Change {
        author: actor.name.clone(),
        reason: reason_or(&fields.reason, "внесено в кабінеті"),
    };
    match state.store.create_project(content, &change).await {
        Ok(project) => {
            Redirect::to(&lang.path(&format!("/cabinet/projects/{}", project.id))).into_response()
        }
        Err(StoreError::Invalid(errors)) => {
            again(domain_problems(errors), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Problem::from_store(&reader, error),
    }
}

fn one(field: &str, message: &str) -> HashMap<String, String> {
    HashMap::from([(field.to_owned(), message.to_owned())])
}

fn reason_or(typed: &str, default: &str) -> String {
    let typed = typed.trim();
    if typed.is_empty() {
        default.to_owned()
    } else {
        typed.chars().take(1000).collect()
    }
}

/// The organisation's registered name, or its code when it is not registered.
async fn organisation_name(state: &AppState, code: &Edrpou) -> String {
    let document = state.store.organisation_document(code).await;
    let name = document.ok().and_then(|document| {
        let organisation: serde_json::Value = serde_json::from_str(&document).ok()?;
        organisation["name"]["uk"].as_str().map(str::to_owned)
    });
    name.unwrap_or_else(|| code.to_string())
}

/// The form's values, each checked.
struct Checked {
    title: Text,
    description: Text,
    purpose: Purpose,
    project_type: ProjectType,
    sector: Sector,
    subsector: Option<Sector>,
    katottg: Katottg,
    address: Option<String>,
    need: Option<Money>,
    own_share: Option<Money>,
    people: Option<u32>,
    displaced: Option<u32>,
}

impl Checked {
    fn read(lang: Lang, fields: &Fields) -> Result<Self, HashMap<String, String>> {
        let mut problems = HashMap::new();
        let mut problem = |field: &str, uk: &str, en: &str| {
            problems
                .entry(field.to_owned())
                .or_insert_with(|| lang.pick(uk, en).to_owned());
        };
        let required = "Обов’язкове поле.";
        if fields.title_uk.trim().is_empty() {
            problem("title_uk", required, "Required.");
        }
        if fields.description_uk.trim().is_empty() {
            problem("description_uk", required, "Required.");
        }
        let purpose = fields.purpose.parse::<Purpose>().ok();
        if purpose.is_none() {
            problem(
                "purpose",
                "Оберіть мету зі списку.",
                "Choose a purpose from the list.",
            );
        }
        let project_type = fields.project_type.parse::<ProjectType>().ok();
        if project_type.is_none() {
            problem(
                "project_type",
                "Оберіть тип зі списку.",
                "Choose a type from the list.",
            );
        }
        let sector = fields.sector.parse::<Sector>().ok();
        if sector.is_none() {
            problem(
                "sector",
                "Оберіть галузь зі списку.",
                "Choose a sector from the list.",
            );
        }
        let katottg = Katottg::parse(fields.katottg.trim()).ok();
        if katottg.is_none() {
            problem(
                "katottg",
                "Код КАТОТТГ має вигляд UA63120270000028556: UA і 17 цифр.",
                "A KATOTTG code looks like UA63120270000028556: UA and 17 digits.",
            );
        }
        let need = hryvnias(&fields.need);
        if need.is_err() {
            problem("need", WHOLE_UAH.0, WHOLE_UAH.1);
        }
        let own_share = hryvnias(&fields.own_share);
        if own_share.is_err() {
            problem("own_share", WHOLE_UAH.0, WHOLE_UAH.1);
        }
        if let (Ok(Some(need)), Ok(Some(share))) = (&need, &own_share)
            && share.amount_minor > need.amount_minor
        {
            problem(
                "own_share",
                "Власний внесок не може перевищувати потребу.",
                "The own share cannot exceed the need.",
            );
        }
        let people = count(&fields.people);
        if people.is_err() {
            problem("people", WHOLE_NUMBER.0, WHOLE_NUMBER.1);
        }
        let displaced = count(&fields.displaced);
        if displaced.is_err() {
            problem("displaced", WHOLE_NUMBER.0, WHOLE_NUMBER.1);
        }
        let (Some(purpose), Some(project_type), Some(sector), Some(katottg)) =
            (purpose, project_type, sector, katottg)
        else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let (sector, subsector) = if sector.is_subsector() {
            (sector.top_level(), Some(sector))
        } else {
            (sector, None)
        };
        Ok(Checked {
            title: text(&fields.title_uk, &fields.title_en),
            description: text(&fields.description_uk, &fields.description_en),
            purpose,
            project_type,
            sector,
            subsector,
            katottg,
            address: Some(fields.address.trim().to_owned()).filter(|a| !a.is_empty()),
            need: need.unwrap_or_default(),
            own_share: own_share.unwrap_or_default(),
            people: people.unwrap_or_default(),
            displaced: displaced.unwrap_or_default(),
        })
    }

    fn new_content(&self, organisation: &Edrpou, name: &str) -> ProjectContent {
        let mut content = ProjectContent {
            title: self.title.clone(),
            description: self.description.clone(),
            purpose: self.purpose,
            project_type: self.project_type,
            status_details: StatusDetails::Initiated,
            sector: self.sector,
            subsector: self.subsector,
            parties: vec![Party {
                id: organisation.clone(),
                name: name.to_owned(),
                roles: vec![PartyRole::Initiator],
            }],
            objects: Vec::new(),
            locations: Vec::new(),
            approaches: Vec::new(),
            metrics: Vec::new(),
            phases: Vec::new(),
            documents: Vec::new(),
            related_processes: Vec::new(),
            contracting_processes: Vec::new(),
        };
        self.write_into(&mut content, organisation, name);
        content
    }

    /// Writes the form's values over `content`, leaving what the form does not hold.
    fn write_into(&self, content: &mut ProjectContent, organisation: &Edrpou, name: &str) {
        content.title = self.title.clone();
        content.description = self.description.clone();
        content.purpose = self.purpose;
        content.project_type = self.project_type;
        content.sector = self.sector;
        content.subsector = self.subsector;
        let location = Location {
            katottg: self.katottg.clone(),
            address: self.address.clone(),
            point: None,
        };
        match content.locations.first_mut() {
            Some(first) if first.katottg == location.katottg => first.address = location.address,
            Some(first) => *first = location,
            None => content.locations.push(location),
        }
        self.write_budget(content, organisation, name);
        set_metric(
            content,
            MetricCharacteristic::NumberOfConsumers,
            self.people,
        );
        set_metric(content, MetricCharacteristic::NumberOfIdp, self.displaced);
    }

    /// The need as the one budget line of the one approach, and the own share as its
    /// finance from the initiator's budget; a project with a richer budget keeps it.
    fn write_budget(&self, content: &mut ProjectContent, organisation: &Edrpou, name: &str) {
        if !simple_budget(content) {
            return;
        }
        let Some(need) = self.need else {
            content.approaches.clear();
            return;
        };
        if content.approaches.is_empty() {
            content.approaches.push(Approach {
                id: "a1".into(),
                title: self.title.clone(),
                description: None,
                items: Vec::new(),
                budget: Vec::new(),
                finance: Vec::new(),
            });
        }
        let approach = &mut content.approaches[0];
        approach.budget = vec![BudgetLine {
            id: "b1".into(),
            amount: need,
            cost_item: CostItem::Construction,
            cost_type: CostType::Capex,
            budget_type: BudgetType::Original,
            period: None,
        }];
        approach.finance = self
            .own_share
            .map(|amount| FinanceLine {
                id: "f1".into(),
                amount,
                finance_type: FinanceType::StateFunds,
                finance_category: FinanceCategory::LocalBudget,
                financing_party: FinancingParty {
                    id: Some(organisation.clone()),
                    name: name.to_owned(),
                },
                period: None,
            })
            .into_iter()
            .collect();
    }
}

/// Whether a project's budget fits this form: no approach, or one with at most one budget
/// line and at most one finance line.
fn simple_budget(content: &ProjectContent) -> bool {
    match content.approaches.as_slice() {
        [] => true,
        [only] => only.budget.len() <= 1 && only.finance.len() <= 1,
        _ => false,
    }
}

fn set_metric(content: &mut ProjectContent, characteristic: MetricCharacteristic, to: Option<u32>) {
    let existing = content
        .metrics
        .iter()
        .position(|m| m.characteristic == characteristic);
    match (existing, to) {
        (Some(index), Some(target)) => content.metrics[index].target = f64::from(target),
        (Some(index), None) => {
            content.metrics.remove(index);
        }
        (None, Some(target)) => {
            let id = format!("m-{characteristic}");
            content.metrics.push(Metric {
                id,
                characteristic,
                title: None,
                baseline: 0.0,
                target: f64::from(target),
                unit: None,
            });
        }
        (None, None) => {}
    }
}

const WHOLE_UAH: (&str, &str) = (
    "Ціла сума в гривнях, наприклад 12 500 000.",
    "A whole amount of hryvnias, such as 12,500,000.",
);
const WHOLE_NUMBER: (&str, &str) = ("Ціле число людей.", "A whole number of people.");

/// A text in Ukrainian with an optional English version.
fn text(uk: &str, en: &str) -> Text {
    let en = en.trim();
    Text {
        uk: uk.trim().to_owned(),
        en: (!en.is_empty()).then(|| en.to_owned()),
    }
}

/// Digits as people type them, with spaces, commas or apostrophes between groups.
fn digits(typed: &str) -> Option<Option<u64>> {
    let cleaned: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '\'' | '’'))
        .collect();
    if cleaned.is_empty() {
        return Some(None);
    }
    cleaned.parse::<u64>().ok().map(Some)
}

fn hryvnias(typed: &str) -> Result<Option<Money>, ()> {
    match digits(typed) {
        Some(None) => Ok(None),
        Some(Some(whole)) if whole <= 1_000_000_000_000 => Ok(Some(Money::uah(
            i64::try_from(whole).map_err(|_| ())? * 100,
        ))),
        _ => Err(()),
    }
}

fn count(typed: &str) -> Result<Option<u32>, ()> {
    match digits(typed) {
        Some(None) => Ok(None),
        Some(Some(n)) => u32::try_from(n).map(Some).map_err(|_| ()),
        None => Err(()),
    }
}

/// The domain's and the store's problems, each under the form field it is about.
fn domain_problems(errors: FieldErrors) -> HashMap<String, String> {
    let mut problems = HashMap::new();
    for error in errors.iter() {
        let field = match error.field.as_str() {
            "title.uk" => "title_uk",
            "title.en" => "title_en",
            "description.uk" => "description_uk",
            "description.en" => "description_en",
            "sector" | "subsector" => "sector",
            f if f.starts_with("locations") && f.ends_with("katottg") => "katottg",
            f if f.starts_with("locations") => "address",
            f if f.starts_with("approaches") => "need",
            f if f.starts_with("metrics") => "people",
            _ => "",
        };
        problems
            .entry(field.to_owned())
            .or_insert_with(|| error.message.clone());
    }
    problems
}

/// The form's fields filled from a stored project.
fn fields_of(project: &Project, revision: u32) -> Fields {
    let content = &project.content;
    let location = content.locations.first();
    let approach = content.approaches.first();
    let need = approach
        .and_then(|a| a.budget.first())
        .map(|b| (b.amount.amount_minor / 100).to_string());
    let own_share = approach
        .and_then(|a| a.finance.first())
        .map(|f| (f.amount.amount_minor / 100).to_string());
    let metric = |characteristic| {
        content
            .metrics
            .iter()
            .find(|m| m.characteristic == characteristic)
            .map(|m| format!("{}", m.target.round() as i64))
            .unwrap_or_default()
    };
    Fields {
        csrf: String::new(),
        revision: Some(revision),
        title_uk: content.title.uk.clone(),
        title_en: content.title.en.clone().unwrap_or_default(),
        description_uk: content.description.uk.clone(),
        description_en: content.description.en.clone().unwrap_or_default(),
        purpose: content.purpose.to_string(),
        project_type: content.project_type.to_string(),
        sector: content.subsector.unwrap_or(content.sector).to_string(),
        katottg: location.map(|l| l.katottg.to_string()).unwrap_or_default(),
        address: location.and_then(|l| l.address.clone()).unwrap_or_default(),
        need: need.unwrap_or_default(),
        own_share: own_share.unwrap_or_default(),
        people: metric(MetricCharacteristic::NumberOfConsumers),
        displaced: metric(MetricCharacteristic::NumberOfIdp),
        reason: String::new(),
    }
}

/// The project to edit and the person, when the policy lets them edit it now.
async fn editable(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    id: &str,
) -> Result<(Project, u32, Actor, StatusDetails), Box<Response>> {
    let not_found = || {
        Box::new(Problem::respond(
            reader,
            StatusCode::NOT_FOUND,
            "Такого проєкту немає.",
            "There is no such project.",
        ))
    };
    let id = ProjectId::parse(id).map_err(|_| not_found())?;
    let actor = actor_or_403(reader, signed_in)?;
    let (project, revision) = state
        .store
        .project(&id)
        .await
        .map_err(|error| Box::new(Problem::from_store(reader, error)))?;
    let facts = ProjectFacts::of(&project, None);
    if can(&actor, Action::View, &facts).is_err() {
        return Err(not_found());
    }
    let moved = transition(&actor, &Step::Edit, &facts).map_err(|refusal| {
        let lang = reader.lang;
        Box::new(Problem::respond(
            reader,
            StatusCode::FORBIDDEN,
            refusal.message.in_lang(lang.code()),
            refusal.message.in_lang(lang.code()),
        ))
    })?;
    Ok((project, revision, actor, moved.to))
}

async fn edit_form(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (project, revision, _, _) = match editable(&state, &reader, &signed_in, &id).await {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let fields = fields_of(&project, revision);
    let simple = simple_budget(&project.content);
    let page = form_page(
        &reader,
        &signed_in,
        Some(&project.id),
        fields,
        simple,
        HashMap::new(),
    );
    show(&page, StatusCode::OK)
}

async fn update(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &fields.csrf) {
        return refused_form(&reader);
    }
    let lang = reader.lang;
    let (project, revision, actor, to) = match editable(&state, &reader, &signed_in, &id).await {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let simple = simple_budget(&project.content);
    let again = |problems: HashMap<String, String>, status| {
        let page = form_page(
            &reader,
            &signed_in,
            Some(&project.id),
            fields.clone(),
            simple,
            problems,
        );
        show(&page, status)
    };
    let checked = match Checked::read(lang, &fields) {
        Ok(checked) => checked,
        Err(problems) => return again(problems, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let Some(initiator) = project.content.initiator().map(|party| party.id.clone()) else {
        return again(
            one("", "the project names no initiator"),
            StatusCode::CONFLICT,
        );
    };
    let name = organisation_name(&state, &initiator).await;
    let mut content = project.content.clone();
    checked.write_into(&mut content, &initiator, &name);
    content.status_details = to;
    let problems = domain_problems(content.check());
    if !problems.is_empty() {
        return again(problems, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let seen = fields.revision.unwrap_or(revision);
    let change = Change {
        author: actor.name.clone(),
        reason: reason_or(&fields.reason, "відредаговано в кабінеті"),
    };
    let patch = match serde_json::to_value(&content) {
        Ok(value) => json!([{"op": "replace", "path": "", "value": value}]),
        Err(error) => {
            tracing::error!(error = %error, "a project could not be written as JSON");
            return again(one("", "internal error"), StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    match state
        .store
        .patch_project(&project.id, &patch, Some(seen), &change)
        .await
    {
        Ok(_) => {
            Redirect::to(&lang.path(&format!("/cabinet/projects/{}", project.id))).into_response()
        }
        Err(StoreError::Conflict(_)) => {
            let message = lang.pick(
                "Поки ви редагували, проєкт змінив хтось інший. Ваші зміни нижче не збережено: перегляньте поточний стан проєкту і внесіть їх ще раз.",
                "Someone else changed the project while you were editing. Your changes below are not saved: look at the project as it is now and make them again.",
            );
            again(one("", message), StatusCode::CONFLICT)
        }
        Err(StoreError::Invalid(errors)) => {
            again(domain_problems(errors), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Problem::from_store(&reader, error),
    }
}
