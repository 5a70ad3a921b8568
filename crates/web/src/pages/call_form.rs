//! Opening a call for proposals in the cabinet, `/cabinet/calls/new`: a member of a
//! ministry's commission (or the agency's administrator, naming the ministry) writes the
//! call down: its title, window, the oblasts, sectors and documents it asks for, the weight
//! of each criterion of the scoring formula with its thresholds, and the risk level of each
//! oblast. The call is published through the same checks as the API's; a form that comes
//! back keeps what was typed and names what is wrong.

use std::collections::HashSet;

use askama::Template;
use axum::Router;
use axum::extract::{RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use dream_domain::calls::{
    Call, CallId, Criterion, OblastRisk, RiskTable, ScoringFormula, WeightedCriterion,
};
use dream_domain::codelist::{DocumentType, Sector};
use dream_domain::money::Money;
use dream_domain::policy::{Actor, Role};
use dream_domain::text::Text;
use dream_domain::validation::FieldErrors;
use dream_domain::{Edrpou, Katottg};
use time::{Date, OffsetDateTime};

use super::catalogue::place_name;
use super::forms::{csrf_ok, refused_form};
use super::{Chrome, Lang, Problem, Reader, both, labels, render};
use crate::AppState;
use crate::api::calls::publish_call;
use crate::api::steps::actor_of;
use crate::auth::SignedIn;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    both(Router::new(), "/cabinet/calls/new", get(form).post(publish))
}

/// The criteria of a formula as the form lists them: a key, and the thresholds each takes.
const CRITERIA: [&str; 6] = [
    "oblastRisk",
    "peopleServed",
    "displacedPeopleServed",
    "coFinancing",
    "designReadiness",
    "costPerBeneficiary",
];

/// The form as typed: every field by name, with the values of repeated fields in order.
#[derive(Default)]
struct Typed(Vec<(String, String)>);

impl Typed {
    fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    fn all(&self, name: &str) -> HashSet<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

struct Choice {
    value: String,
    label: String,
    checked: bool,
}

struct OblastRow {
    code: String,
    prefix: String,
    name: String,
    eligible: bool,
    risk: String,
}

#[derive(Template)]
#[template(path = "call_form.html")]
struct CallFormPage {
    chrome: Chrome,
    csrf: String,
    action: String,
    typed: Typed,
    needs_ministry: bool,
    oblasts: Vec<OblastRow>,
    sectors: Vec<Choice>,
    documents: Vec<Choice>,
    criteria: Vec<(&'static str, String)>,
    problems: Vec<(String, String)>,
}

impl CallFormPage {
    fn value(&self, name: &str) -> &str {
        self.typed.one(name)
    }
}

fn may_open(reader: &Reader, signed_in: &SignedIn) -> Result<Actor, Box<Response>> {
    let refused =
        |uk: &str, en: &str| Box::new(Problem::respond(reader, StatusCode::FORBIDDEN, uk, en));
    let actor = actor_of(&signed_in.session.user).map_err(|error| {
        let message = error.to_string();
        refused(&message, &message)
    })?;
    match actor.role {
        Role::CommissionMember | Role::Administrator => Ok(actor),
        _ => Err(refused(
            "Конкурси оголошують члени комісій міністерств і адміністратори Агентства.",
            "Calls are opened by members of ministries' commissions and agency administrators.",
        )),
    }
}

async fn page(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    actor: &Actor,
    typed: Typed,
    problems: Vec<(String, String)>,
) -> Result<CallFormPage, dream_store::StoreError> {
    let lang = reader.lang;
    let eligible = typed.all("oblast");
    let oblasts = state
        .store
        .oblasts()
        .await?
        .into_iter()
        .map(|oblast| {
            let prefix = oblast.code.as_str()[2..4].to_owned();
            let risk = typed.one(&format!("risk_{prefix}")).to_owned();
            OblastRow {
                eligible: eligible.contains(oblast.code.as_str()),
                code: oblast.code.to_string(),
                name: place_name(lang, &oblast.name),
                risk: if risk.is_empty() { "1".into() } else { risk },
                prefix,
            }
        })
        .collect();
    let chosen_sectors = typed.all("sector");
    let chosen_documents = typed.all("document");
    let choices = |list: &str, codes: Vec<&'static str>, chosen: &HashSet<&str>| {
        codes
            .into_iter()
            .map(|code| Choice {
                value: code.to_owned(),
                label: labels::code(lang, list, code),
                checked: chosen.contains(code),
            })
            .collect()
    };
    let top_sectors = Sector::ALL
        .iter()
        .filter(|s| !s.is_subsector())
        .map(|s| s.as_str())
        .collect();
    let documents = DocumentType::ALL.iter().map(|d| d.as_str()).collect();
    Ok(CallFormPage {
        chrome: Chrome::new(reader, lang.pick("Новий конкурс", "A new call"), "cabinet"),
        csrf: signed_in.session.csrf_token.clone(),
        action: lang.path("/cabinet/calls/new"),
        needs_ministry: actor.role == Role::Administrator,
        oblasts,
        sectors: choices("sector", top_sectors, &chosen_sectors),
        documents: choices("documentType", documents, &chosen_documents),
        criteria: CRITERIA
            .iter()
            .map(|key| (*key, criterion_label(lang, key)))
            .collect(),
        typed,
        problems,
    })
}

fn criterion_label(lang: Lang, key: &str) -> String {
    let (uk, en) = match key {
        "oblastRisk" => ("Рівень ризику області", "Oblast risk level"),
        "peopleServed" => ("Кількість людей, що отримають послуги", "People served"),
        "displacedPeopleServed" => ("З них ВПО", "Displaced people served"),
        "coFinancing" => ("Частка співфінансування", "Co-financing share"),
        "designReadiness" => ("Готовність проєктної документації", "Design readiness"),
        _ => ("Вартість на одного отримувача", "Cost per beneficiary"),
    };
    lang.pick(uk, en).to_owned()
}

async fn form(State(state): State<AppState>, reader: Reader, signed_in: SignedIn) -> Response {
    let actor = match may_open(&reader, &signed_in) {
        Ok(actor) => actor,
        Err(page) => return *page,
    };
    let defaults = [
        ("w_oblastRisk", "25"),
        ("w_peopleServed", "20"),
        ("p_peopleServed", "2000"),
        ("w_displacedPeopleServed", "10"),
        ("p_displacedPeopleServed", "300"),
        ("w_coFinancing", "15"),
        ("p_coFinancing", "30"),
        ("w_designReadiness", "15"),
        ("w_costPerBeneficiary", "15"),
        ("p_costFull", "10000"),
        ("p_costZero", "200000"),
    ];
    let typed = Typed(
        defaults
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    );
    match page(&state, &reader, &signed_in, &actor, typed, Vec::new()).await {
        Ok(page) => render(&page),
        Err(error) => Problem::from_store(&reader, error),
    }
}

async fn publish(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    RawForm(body): RawForm,
) -> Response {
    let typed = Typed(form_urlencoded::parse(&body).into_owned().collect());
    if !csrf_ok(&headers, &signed_in, typed.one("csrf")) {
        return refused_form(&reader);
    }
    let actor = match may_open(&reader, &signed_in) {
        Ok(actor) => actor,
        Err(page) => return *page,
    };
    let published = match call_of(&typed, &actor) {
        Ok(call) => publish_call(&state, &actor, &call).await.map(|_| call),
        Err(errors) => Err(ApiError::Invalid(errors)),
    };
    let problems = match published {
        Ok(call) => {
            let address = reader.lang.path(&format!("/calls/{}", call.id.0));
            return Redirect::to(&address).into_response();
        }
        Err(ApiError::Invalid(errors)) => errors
            .iter()
            .map(|e| (e.field.clone(), e.message.clone()))
            .collect(),
        Err(other) => vec![(String::new(), other.to_string())],
    };
    match page(&state, &reader, &signed_in, &actor, typed, problems).await {
        Ok(page) => {
            let mut response = render(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            response
        }
        Err(error) => Problem::from_store(&reader, error),
    }
}

/// The call the form describes, or every field that is wrong.
fn call_of(typed: &Typed, actor: &Actor) -> Result<Call, FieldErrors> {
    let mut errors = FieldErrors::new();
    let ministry = match (&actor.organisation, actor.role) {
        (Some(own), Role::CommissionMember) => Some(own.clone()),
        _ => Edrpou::parse(typed.one("ministry").trim())
            .map_err(|e| errors.add("ministry", e.to_string()))
            .ok(),
    };
    let opens = day(typed.one("opens"), "opens", &mut errors);
    let closes = day(typed.one("closes"), "closes", &mut errors);
    let mut eligible_oblasts = Vec::new();
    for code in typed.all("oblast") {
        match Katottg::parse(code) {
            Ok(code) => eligible_oblasts.push(code),
            Err(e) => errors.add("eligibleOblasts", e.to_string()),
        }
    }
    eligible_oblasts.sort();
    let eligible_sectors = parsed(typed.all("sector"), "eligibleSectors", &mut errors);
    let required_documents = parsed(typed.all("document"), "requiredDocuments", &mut errors);
    let formula = formula(typed, &mut errors);
    let oblast_risks = risks(typed, &mut errors);
    let title = Text {
        uk: typed.one("title_uk").trim().to_owned(),
        en: Some(typed.one("title_en").trim().to_owned()).filter(|t| !t.is_empty()),
    };
    errors.clone().into_result()?;
    let (Some(ministry), Some(opens), Some(closes), Some(formula), Some(oblast_risks)) =
        (ministry, opens, closes, formula, oblast_risks)
    else {
        return Err(errors);
    };
    Ok(Call {
        id: CallId(typed.one("id").trim().to_owned()),
        ministry,
        title,
        opens,
        closes,
        eligible_oblasts,
        eligible_sectors,
        required_documents,
        formula,
        oblast_risks,
    })
}

/// A day from a date field, as its first moment in UTC.
fn day(typed: &str, field: &str, errors: &mut FieldErrors) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(typed.trim(), &format) {
        Ok(date) => Some(date.midnight().assume_utc()),
        Err(_) => {
            errors.add(field, "a date such as 2026-12-31");
            None
        }
    }
}

fn parsed<T: std::str::FromStr>(
    codes: HashSet<&str>,
    field: &str,
    errors: &mut FieldErrors,
) -> Vec<T> {
    let mut values = Vec::new();
    let mut sorted: Vec<&str> = codes.into_iter().collect();
    sorted.sort_unstable();
    for code in sorted {
        match code.parse() {
            Ok(value) => values.push(value),
            Err(_) => errors.add(field, format!("{code} is not on the list")),
        }
    }
    values
}

fn whole(typed: &str, field: &str, errors: &mut FieldErrors) -> u64 {
    let cleaned: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    cleaned.parse().unwrap_or_else(|_| {
        errors.add(field, "a whole number");
        0
    })
}

/// The formula from the weights and thresholds; a weight of 0, or none, leaves its
/// criterion out.
fn formula(typed: &Typed, errors: &mut FieldErrors) -> Option<ScoringFormula> {
    let uah = |hryvnias: u64| Money::uah(i64::try_from(hryvnias).unwrap_or(i64::MAX / 200) * 100);
    let mut criteria = Vec::new();
    for key in CRITERIA {
        let typed_weight = typed.one(&format!("w_{key}"));
        if typed_weight.trim().is_empty() {
            continue;
        }
        let weight = whole(typed_weight, &format!("w_{key}"), errors);
        if weight == 0 {
            continue;
        }
        let threshold = |name: &str, errors: &mut FieldErrors| {
            whole(
                typed.one(&format!("p_{name}")),
                &format!("p_{name}"),
                errors,
            )
        };
        let criterion = match key {
            "oblastRisk" => Criterion::OblastRisk,
            "peopleServed" => Criterion::PeopleServed {
                full_score_at: threshold(key, errors),
            },
            "displacedPeopleServed" => Criterion::DisplacedPeopleServed {
                full_score_at: threshold(key, errors),
            },
            "coFinancing" => Criterion::CoFinancing {
                full_score_at_percent: u32::try_from(threshold(key, errors)).unwrap_or(0),
            },
            "designReadiness" => Criterion::DesignReadiness,
            _ => Criterion::CostPerBeneficiary {
                full_score_at: uah(threshold("costFull", errors)),
                zero_score_at: uah(threshold("costZero", errors)),
            },
        };
        criteria.push(WeightedCriterion {
            weight: u32::try_from(weight).unwrap_or(u32::MAX),
            criterion,
        });
    }
    match ScoringFormula::new(criteria) {
        Ok(formula) => Some(formula),
        Err(problems) => {
            for problem in problems.iter() {
                errors.add(
                    format!("formula.{}", problem.field),
                    problem.message.clone(),
                );
            }
            None
        }
    }
}

/// The risk level of every oblast the form lists.
fn risks(typed: &Typed, errors: &mut FieldErrors) -> Option<RiskTable> {
    let mut levels = Vec::new();
    for (key, value) in &typed.0 {
        let Some(prefix) = key.strip_prefix("risk_") else {
            continue;
        };
        let code = format!("UA{prefix}000000000000000");
        let oblast = typed
            .0
            .iter()
            .filter(|(k, _)| k == "oblast_code")
            .map(|(_, v)| v.as_str())
            .find(|v| v.get(2..4) == Some(prefix))
            .unwrap_or(&code);
        let (Ok(oblast), Ok(level)) = (Katottg::parse(oblast), value.parse::<u8>()) else {
            errors.add(
                "oblastRisks",
                format!("the risk level of {prefix} is not 1 to 5"),
            );
            continue;
        };
        levels.push(OblastRisk { oblast, level });
    }
    RiskTable::new(levels)
        .map_err(|problems| errors.add("oblastRisks", problems.to_string()))
        .ok()
}
