//! A project in the cabinet, `/cabinet/projects/{id}`: where a signed-in person moves it
//! along its route. The page offers exactly the steps the domain's policy lets this person
//! take now (submit, return with reasons, start the appraisal, appraise with a score sheet,
//! prepare and complete financing, apply to an open call, the commission's decision, start
//! implementation, withdraw), linking its Prozorro tenders, the project's recent history, its
//! documents, and the comment thread of its initiator, reviewers and commission.
//!
//! Every form carries the revision the page showed, so a form sent twice moves the project
//! once and the second sending says the project has moved on. A refused or incomplete form
//! shows the page again with what was typed and the problem beside its field.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use dream_domain::ProjectId;
use dream_domain::calls::{CallDecision, Verdict};
use dream_domain::codelist::{FinanceCategory, FinanceType};
use dream_domain::money::Money;
use dream_domain::policy::{Action, Actor, ProjectFacts, can};
use dream_domain::project::Project;
use dream_domain::text::Text;
use dream_domain::workflow::{Reason, ScoreSheet, SheetEntry, Step, stage_name, transition};
use dream_store::comments::MAX_COMMENT_CHARS;
use dream_store::revisions::Entity;
use serde::Deserialize;

use super::forms::{csrf_ok, refused_form, role_name};
use super::passport::{Shown, shown};
use super::{Chrome, Lang, Problem, Reader, both, labels, render};
use crate::AppState;
use crate::api::calls::{apply_to_call, record_decisions};
use crate::api::funding::{FundingRequest, record_funding};
use crate::api::procurement::link_procurement;
use crate::api::steps::{actor_of, take};
use crate::auth::SignedIn;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    let router = both(Router::new(), "/cabinet/projects/{id}", get(show));
    let router = both(router, "/cabinet/projects/{id}/steps", post(step));
    let router = both(router, "/cabinet/projects/{id}/applications", post(apply));
    let router = both(router, "/cabinet/projects/{id}/decision", post(decide));
    let router = both(router, "/cabinet/projects/{id}/tenders", post(link_tender));
    let router = both(router, "/cabinet/projects/{id}/funding", post(fund));
    both(router, "/cabinet/projects/{id}/comments", post(comment))
}

/// The criteria of the oblast's appraisal sheet, each worth up to [`SHEET_POINTS`].
const SHEET: [(&str, &str); 4] = [
    ("Обґрунтованість потреби", "Justified need"),
    ("Готовність документації", "Readiness of documents"),
    ("Реалістичність кошторису", "Realistic cost estimate"),
    ("Сталість результату", "Lasting result"),
];
const SHEET_POINTS: u32 = 25;

/// The steps the page may offer, each with what its form asks for.
const OFFERED: [(&str, Needs); 8] = [
    ("submitForReview", Needs::Nothing),
    ("returnWithReasons", Needs::Reason),
    ("startAppraisal", Needs::Nothing),
    ("appraise", Needs::Sheet),
    ("prepareFinancing", Needs::Nothing),
    ("completeFinancing", Needs::Nothing),
    ("startImplementation", Needs::Nothing),
    ("withdraw", Needs::Reason),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Nothing,
    Reason,
    Sheet,
}

/// A step the page offers.
struct Offer {
    action: &'static str,
    label: String,
    needs_reason: bool,
    needs_sheet: bool,
}

struct CommentView {
    author: String,
    when: String,
    body: String,
}

struct RevisionView {
    number: u32,
    when: String,
    author: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    chrome: Chrome,
    csrf: String,
    id: String,
    here: String,
    title: Shown,
    stage: String,
    withdrawn: bool,
    revision: u32,
    passport: String,
    documents: String,
    offers: Vec<Offer>,
    sheet: Vec<(usize, String)>,
    sheet_points: u32,
    open_calls: Vec<(String, String)>,
    decision_call: Option<String>,
    history: Vec<RevisionView>,
    comments: Vec<CommentView>,
    may_comment: bool,
    may_link_tenders: bool,
    may_edit: bool,
    may_fund: bool,
    finance_types: Vec<(&'static str, String)>,
    finance_categories: Vec<(&'static str, String)>,
    /// What the person typed into a form that came back, by field name.
    typed: HashMap<String, String>,
    /// The problem with a form that came back, and the field it is about.
    problem: Option<(String, String)>,
}

impl WorkbenchPage {
    fn typed(&self, field: &str) -> &str {
        self.typed.get(field).map_or("", String::as_str)
    }

    fn problem_at(&self, field: &str) -> Option<&str> {
        self.problem
            .as_ref()
            .filter(|(at, _)| at == field)
            .map(|(_, message)| message.as_str())
    }
}

/// What came back with a form: the fields as typed and what is wrong.
#[derive(Default)]
struct Returned {
    typed: HashMap<String, String>,
    problem: Option<(String, String)>,
    status: Option<StatusCode>,
}

fn project_id_or_404(reader: &Reader, text: &str) -> Result<ProjectId, Box<Response>> {
    ProjectId::parse(text).map_err(|_| {
        Box::new(Problem::respond(
            reader,
            StatusCode::NOT_FOUND,
            "Це не номер проєкту DREAM.",
            "This is not a DREAM project number.",
        ))
    })
}

/// The signed-in person as the policy sees them, or the page that says why they cannot act.
fn actor_or_403(reader: &Reader, signed_in: &SignedIn) -> Result<Actor, Box<Response>> {
    actor_of(&signed_in.session.user).map_err(|error| {
        Box::new(Problem::respond(
            reader,
            StatusCode::FORBIDDEN,
            &error.to_string(),
            &error.to_string(),
        ))
    })
}

async fn show(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    page(&state, &reader, &signed_in, &id, Returned::default()).await
}

async fn page(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    id: &str,
    returned: Returned,
) -> Response {
    let lang = reader.lang;
    let id = match project_id_or_404(reader, id) {
        Ok(id) => id,
        Err(page) => return *page,
    };
    let actor = match actor_or_403(reader, signed_in) {
        Ok(actor) => actor,
        Err(page) => return *page,
    };
    let (project, revision) = match state.store.project(&id).await {
        Ok(found) => found,
        Err(error) => return Problem::from_store(reader, error),
    };
    let facts = ProjectFacts::of(&project, None);
    if can(&actor, Action::View, &facts).is_err() {
        // A draft the person may not see is not there for them, as on the public pages.
        return Problem::from_store(
            reader,
            dream_store::StoreError::NotFound {
                entity: "project",
                id: id.to_string(),
            },
        );
    }

    let loaded = load_around(state, &actor, &project).await;
    let (open_calls, decision_call, history, comments) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return Problem::from_store(reader, error),
    };
    let here = lang.path(&format!("/cabinet/projects/{id}"));
    let page = WorkbenchPage {
        chrome: Chrome::new(
            reader,
            project.content.title.in_lang(lang.code()),
            "cabinet",
        ),
        csrf: signed_in.session.csrf_token.clone(),
        id: id.to_string(),
        title: shown(lang, &project.content.title),
        stage: stage_name(project.content.status_details)
            .in_lang(lang.code())
            .to_owned(),
        withdrawn: facts.withdrawn,
        revision,
        passport: lang.path(&format!("/projects/{id}")),
        documents: format!("{here}/documents"),
        here,
        offers: offers(lang, &actor, &facts),
        sheet: SHEET
            .iter()
            .enumerate()
            .map(|(index, (uk, en))| (index, lang.pick(uk, en).to_owned()))
            .collect(),
        sheet_points: SHEET_POINTS,
        open_calls: open_calls
            .into_iter()
            .map(|(call, title)| (call, title.in_lang(lang.code()).to_owned()))
            .collect(),
        decision_call,
        history: history
            .into_iter()
            .map(|r| RevisionView {
                number: r.0,
                when: lang.date(r.1.date()),
                author: r.2,
                reason: r.3,
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|c| CommentView {
                author: c.author,
                when: lang.date(c.created_at.0.date()),
                body: c.body,
            })
            .collect(),
        may_comment: can(&actor, Action::Comment, &facts).is_ok(),
        may_link_tenders: can(&actor, Action::LinkProcurement, &facts).is_ok(),
        may_edit: transition(&actor, &Step::Edit, &facts).is_ok(),
        may_fund: actor.role == dream_domain::policy::Role::Donor
            && can(&actor, Action::RecordFunding, &facts).is_ok(),
        finance_types: FinanceType::ALL
            .iter()
            .map(|t| (t.as_str(), labels::code(lang, "financeType", t.as_str())))
            .collect(),
        finance_categories: FinanceCategory::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str(),
                    labels::code(lang, "financeCategory", c.as_str()),
                )
            })
            .collect(),
        typed: returned.typed,
        problem: returned.problem,
    };
    let mut response = render(&page);
    *response.status_mut() = returned.status.unwrap_or(StatusCode::OK);
    response
}

type Around = (
    Vec<(String, Text)>,
    Option<String>,
    Vec<(u32, time::OffsetDateTime, String, String)>,
    Vec<dream_store::comments::Comment>,
);

/// What the page shows around the project: the open calls it may apply to, the call whose
/// commission this person may decide for, its last revisions and its comments.
async fn load_around(
    state: &AppState,
    actor: &Actor,
    project: &Project,
) -> Result<Around, dream_store::StoreError> {
    let facts = ProjectFacts::of(project, None);
    let mut open_calls = Vec::new();
    let now = dream_store::now();
    for stored in state.store.calls().await? {
        let call = stored.call;
        let step = Step::ApplyToCall {
            ministry: call.ministry.clone(),
        };
        let open = call.opens <= now && now < call.closes;
        if open && transition(actor, &step, &facts).is_ok() {
            open_calls.push((call.id.0, call.title));
        }
    }

    let latest = state.store.latest_call_of(&project.id).await?;
    let decision_call = latest.and_then(|stored| {
        let facts = ProjectFacts::of(project, Some(stored.call.ministry.clone()));
        let approve = Step::Approve {
            justification: dream_domain::workflow::Justification::FollowsRanking,
        };
        transition(actor, &approve, &facts)
            .is_ok()
            .then_some(stored.call.id.0)
    });

    let revisions = state
        .store
        .revisions(Entity::Project, project.id.as_str(), None)
        .await?;
    let history = revisions
        .into_iter()
        .rev()
        .take(10)
        .map(|r| (r.number, r.date, r.author, r.reason))
        .collect();
    let comments = state.store.comments(&project.id).await?;
    Ok((open_calls, decision_call, history, comments))
}

/// The steps of [`OFFERED`] that the policy lets `actor` take on the project now.
fn offers(lang: Lang, actor: &Actor, facts: &ProjectFacts) -> Vec<Offer> {
    let placeholder = || Reason::new(Text::new("-", "-")).ok();
    OFFERED
        .iter()
        .filter_map(|(action, needs)| {
            let step = build_step(action, placeholder(), Some(placeholder_sheet()))?;
            transition(actor, &step, facts).ok()?;
            Some(Offer {
                action,
                label: capitalised(step.action().name().in_lang(lang.code())),
                needs_reason: *needs == Needs::Reason,
                needs_sheet: *needs == Needs::Sheet,
            })
        })
        .collect()
}

/// An action's name as a button reads it: with a capital letter.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn placeholder_sheet() -> ScoreSheet {
    let entry = SheetEntry {
        criterion: Text::new("-", "-"),
        points: 0,
        out_of: 1,
    };
    let conclusion = Reason::new(Text::new("-", "-")).unwrap_or_else(|_| unreachable!());
    ScoreSheet::new(vec![entry], conclusion).unwrap_or_else(|_| unreachable!())
}

/// The step named by a form's `action`, with the reason or sheet it needs.
fn build_step(action: &str, reason: Option<Reason>, sheet: Option<ScoreSheet>) -> Option<Step> {
    Some(match action {
        "submitForReview" => Step::SubmitForReview,
        "returnWithReasons" => Step::ReturnWithReasons { reason: reason? },
        "startAppraisal" => Step::StartAppraisal,
        "appraise" => Step::Appraise { sheet: sheet? },
        "prepareFinancing" => Step::PrepareFinancing,
        "completeFinancing" => Step::CompleteFinancing,
        "startImplementation" => Step::StartImplementation,
        "withdraw" => Step::Withdraw { reason: reason? },
        _ => return None,
    })
}

#[derive(Deserialize)]
struct StepForm {
    csrf: String,
    revision: u32,
    action: String,
    reason: Option<String>,
    conclusion: Option<String>,
    points_0: Option<String>,
    points_1: Option<String>,
    points_2: Option<String>,
    points_3: Option<String>,
}

impl StepForm {
    fn typed(&self) -> HashMap<String, String> {
        let fields = [
            ("reason", &self.reason),
            ("conclusion", &self.conclusion),
            ("points_0", &self.points_0),
            ("points_1", &self.points_1),
            ("points_2", &self.points_2),
            ("points_3", &self.points_3),
        ];
        fields
            .into_iter()
            .filter_map(|(name, value)| Some((name.to_owned(), value.clone()?)))
            .collect()
    }

    /// The step the form asks for, or the field that is missing or wrong.
    fn step(&self, lang: Lang) -> Result<Step, (String, String)> {
        let reason = self.reason.as_deref().and_then(reason_of_text);
        let sheet = if self.action == "appraise" {
            Some(self.sheet(lang)?)
        } else {
            None
        };
        if matches!(self.action.as_str(), "returnWithReasons" | "withdraw") && reason.is_none() {
            let message = lang.pick("Напишіть причину.", "Write the reason.");
            return Err(("reason".into(), message.into()));
        }
        build_step(&self.action, reason, sheet).ok_or_else(|| {
            let message = lang.pick("Такого кроку немає.", "There is no such step.");
            ("action".to_owned(), message.to_owned())
        })
    }

    fn sheet(&self, lang: Lang) -> Result<ScoreSheet, (String, String)> {
        let given = [
            &self.points_0,
            &self.points_1,
            &self.points_2,
            &self.points_3,
        ];
        let mut entries = Vec::with_capacity(SHEET.len());
        for (index, ((uk, en), value)) in SHEET.iter().zip(given).enumerate() {
            let points = value.as_deref().map(str::trim).and_then(|v| v.parse().ok());
            let Some(points) = points.filter(|p| *p <= SHEET_POINTS) else {
                let message = match lang {
                    Lang::Uk => format!("Ціле число балів від 0 до {SHEET_POINTS}."),
                    Lang::En => format!("A whole number of points from 0 to {SHEET_POINTS}."),
                };
                return Err((format!("points_{index}"), message));
            };
            entries.push(SheetEntry {
                criterion: Text::new(*uk, *en),
                points,
                out_of: SHEET_POINTS,
            });
        }
        let Some(conclusion) = self.conclusion.as_deref().and_then(reason_of_text) else {
            let message = lang.pick("Напишіть висновок.", "Write the conclusion.");
            return Err(("conclusion".into(), message.into()));
        };
        ScoreSheet::new(entries, conclusion)
            .map_err(|errors| ("points_0".into(), errors.to_string()))
    }
}

/// A reason from a text field: the person's words, if there are any.
fn reason_of_text(text: &str) -> Option<Reason> {
    let text = text.trim();
    if text.chars().count() > 2000 {
        return None;
    }
    Reason::new(Text {
        uk: text.to_owned(),
        en: None,
    })
    .ok()
}

/// The page again after a refused action, with what was typed and what went wrong.
async fn again(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    id: &str,
    typed: HashMap<String, String>,
    field: &str,
    error: ApiError,
) -> Response {
    let lang = reader.lang;
    let (status, message) = match &error {
        ApiError::Conflict(message) => (
            StatusCode::CONFLICT,
            format!(
                "{} {message}",
                lang.pick(
                    "Проєкт уже змінився: перегляньте його поточний стан.",
                    "The project has moved on: look at where it stands now."
                )
            ),
        ),
        ApiError::Forbidden(message) => (StatusCode::FORBIDDEN, message.clone()),
        ApiError::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors.to_string()),
        ApiError::NotFound(message) => (StatusCode::NOT_FOUND, message.clone()),
        ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, message.clone()),
        other => {
            tracing::error!(error = %other, "a cabinet action failed");
            let message = lang.pick(
                "Не вдалося зберегти. Спробуйте ще раз за хвилину.",
                "This could not be saved. Please try again in a minute.",
            );
            (StatusCode::INTERNAL_SERVER_ERROR, message.to_owned())
        }
    };
    let returned = Returned {
        typed,
        problem: Some((field.to_owned(), message)),
        status: Some(status),
    };
    page(state, reader, signed_in, id, returned).await
}

fn back(reader: &Reader, id: &ProjectId) -> Response {
    Redirect::to(&reader.lang.path(&format!("/cabinet/projects/{id}"))).into_response()
}

async fn step(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    let (project, actor) = match checked(&reader, &signed_in, &id) {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let typed = form.typed();
    let step = match form.step(reader.lang) {
        Ok(step) => step,
        Err((field, message)) => {
            let error = ApiError::field(field.clone(), message);
            return again(&state, &reader, &signed_in, &id, typed, &field, error).await;
        }
    };
    match take(&state, &actor, &project, Some(form.revision), &step).await {
        Ok(_) => back(&reader, &project),
        Err(error) => again(&state, &reader, &signed_in, &id, typed, "action", error).await,
    }
}

fn checked(
    reader: &Reader,
    signed_in: &SignedIn,
    id: &str,
) -> Result<(ProjectId, Actor), Box<Response>> {
    Ok((
        project_id_or_404(reader, id)?,
        actor_or_403(reader, signed_in)?,
    ))
}

#[derive(Deserialize)]
struct ApplyForm {
    csrf: String,
    revision: u32,
    call: String,
}

async fn apply(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ApplyForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    let (project, actor) = match checked(&reader, &signed_in, &id) {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let applied = apply_to_call(&state, &actor, &form.call, &project, Some(form.revision)).await;
    match applied {
        Ok(_) => back(&reader, &project),
        Err(error) => {
            let typed = HashMap::from([("call".to_owned(), form.call)]);
            again(&state, &reader, &signed_in, &id, typed, "call", error).await
        }
    }
}

#[derive(Deserialize)]
struct DecisionForm {
    csrf: String,
    call: String,
    verdict: String,
    reason: Option<String>,
}

async fn decide(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    let (project, actor) = match checked(&reader, &signed_in, &id) {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let typed = HashMap::from([
        ("verdict".to_owned(), form.verdict.clone()),
        (
            "decision_reason".to_owned(),
            form.reason.clone().unwrap_or_default(),
        ),
    ]);
    let verdict = match form.verdict.as_str() {
        "approve" => Verdict::Approve,
        "refuse" => Verdict::Refuse,
        _ => {
            let error = ApiError::field("verdict", "approve or refuse");
            return again(&state, &reader, &signed_in, &id, typed, "verdict", error).await;
        }
    };
    let decision = CallDecision {
        project: project.clone(),
        verdict,
        reason: form.reason.as_deref().and_then(reason_of_text),
    };
    match record_decisions(&state, &actor, &form.call, vec![decision]).await {
        Ok(_) => back(&reader, &project),
        Err(error) => again(&state, &reader, &signed_in, &id, typed, "verdict", error).await,
    }
}

#[derive(Deserialize)]
struct FundingForm {
    csrf: String,
    revision: u32,
    amount: String,
    finance_type: String,
    finance_category: String,
}

async fn fund(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<FundingForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    let lang = reader.lang;
    let (project, actor) = match checked(&reader, &signed_in, &id) {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let typed = HashMap::from([
        ("amount".to_owned(), form.amount.clone()),
        ("finance_type".to_owned(), form.finance_type.clone()),
        ("finance_category".to_owned(), form.finance_category.clone()),
    ]);
    let cleaned: String = form.amount.chars().filter(|c| c.is_ascii_digit()).collect();
    let whole = form
        .amount
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == ',');
    let amount = cleaned.parse::<i64>().ok().filter(|a| whole && *a > 0);
    let types = (
        form.finance_type.parse::<FinanceType>(),
        form.finance_category.parse::<FinanceCategory>(),
    );
    let (Some(amount), (Ok(finance_type), Ok(finance_category))) = (amount, types) else {
        let message = lang.pick(
            "Вкажіть суму цілими гривнями та оберіть джерело зі списків.",
            "Give the amount in whole hryvnias and choose the source from the lists.",
        );
        let error = ApiError::field("amount", message);
        return again(&state, &reader, &signed_in, &id, typed, "amount", error).await;
    };
    let request = FundingRequest {
        revision: Some(form.revision),
        amount: Money::uah(amount.saturating_mul(100)),
        finance_type,
        finance_category,
        period: None,
        donor: None,
        reason: None,
    };
    match record_funding(&state, &actor, &project, &request).await {
        Ok(_) => back(&reader, &project),
        Err(error) => again(&state, &reader, &signed_in, &id, typed, "amount", error).await,
    }
}

#[derive(Deserialize)]
struct TenderForm {
    csrf: String,
    tender: String,
}

async fn link_tender(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<TenderForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    let (project, actor) = match checked(&reader, &signed_in, &id) {
        Ok(found) => found,
        Err(page) => return *page,
    };
    match link_procurement(&state, &actor, &project, &form.tender).await {
        Ok(_) => back(&reader, &project),
        Err(error) => {
            let typed = HashMap::from([("tender".to_owned(), form.tender)]);
            again(&state, &reader, &signed_in, &id, typed, "tender", error).await
        }
    }
}

#[derive(Deserialize)]
struct CommentForm {
    csrf: String,
    body: String,
}

async fn comment(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    let lang = reader.lang;
    let (project_id, actor) = match checked(&reader, &signed_in, &id) {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let typed = HashMap::from([("body".to_owned(), form.body.clone())]);
    let body = form.body.trim();
    let problem = if body.is_empty() {
        Some(lang.pick("Напишіть коментар.", "Write the comment."))
    } else if body.chars().count() > MAX_COMMENT_CHARS {
        Some(lang.pick(
            "Коментар задовгий: щонайбільше 4000 символів.",
            "The comment is too long: 4000 characters at most.",
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        let error = ApiError::field("body", problem);
        return again(&state, &reader, &signed_in, &id, typed, "body", error).await;
    }
    let allowed = match state.store.project(&project_id).await {
        Ok((project, _)) => can(&actor, Action::Comment, &ProjectFacts::of(&project, None)),
        Err(error) => return Problem::from_store(&reader, error),
    };
    if let Err(refusal) = allowed {
        let error = ApiError::Forbidden(refusal.message.in_lang(lang.code()).to_owned());
        return again(&state, &reader, &signed_in, &id, typed, "body", error).await;
    }
    let user = &signed_in.session.user;
    let author = format!("{} ({})", user.name, role_name(Lang::Uk, &user.role));
    match state
        .store
        .add_comment(&project_id, Some(&user.id), &author, body)
        .await
    {
        Ok(_) => back(&reader, &project_id),
        Err(error) => Problem::from_store(&reader, error),
    }
}
