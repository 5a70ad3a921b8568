//! Calls for proposals in public: `/calls` lists every call a ministry has published, and
//! `/calls/{id}` shows one with its window, who may apply, its scoring formula written out,
//! and the ranking of the applications, each score broken into the inputs and points of
//! every criterion, so that a reader can recompute it, with the commission's decision and
//! reason beside it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use dream_domain::Katottg;
use dream_domain::calls::{Call, Criterion, OblastRisk, Verdict, rank};
use dream_domain::codelist::StatusDetails;
use dream_domain::text::Text;
use dream_domain::workflow::stage_name;
use dream_store::calls::StoredCall;

use super::catalogue::place_name;
use super::passport::{Shown, shown};
use super::{Chrome, Lang, Problem, Reader, both, render};
use crate::AppState;

pub fn router() -> Router<AppState> {
    let router = both(Router::new(), "/calls", get(list));
    both(router, "/calls/{id}", get(call_page))
}

/// A call as the list shows it.
struct CallRow {
    id: String,
    title: Shown,
    window: String,
    state: String,
    applications: usize,
}

#[derive(Template)]
#[template(path = "calls.html")]
struct CallsPage {
    chrome: Chrome,
    calls: Vec<CallRow>,
}

fn window(lang: Lang, call: &Call) -> String {
    format!(
        "{} – {}",
        lang.date(call.opens.date()),
        lang.date(call.closes.date())
    )
}

fn state_name(lang: Lang, call: &Call) -> String {
    let now = dream_store::now();
    let (uk, en) = if now < call.opens {
        ("ще не відкрито", "not open yet")
    } else if now < call.closes {
        ("приймає заявки", "open for applications")
    } else {
        ("завершено", "closed")
    };
    lang.pick(uk, en).to_owned()
}

async fn list(State(state): State<AppState>, reader: Reader) -> Response {
    let lang = reader.lang;
    let stored = match state.store.calls().await {
        Ok(stored) => stored,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let counts = match state.store.application_counts().await {
        Ok(counts) => counts,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let calls = stored
        .iter()
        .map(|StoredCall { call, .. }| CallRow {
            id: call.id.0.clone(),
            title: shown(lang, &call.title),
            window: window(lang, call),
            state: state_name(lang, call),
            applications: counts.get(&call.id.0).copied().unwrap_or(0),
        })
        .collect();
    render(&CallsPage {
        chrome: Chrome::new(
            &reader,
            lang.pick("Конкурси", "Calls for proposals"),
            "calls",
        ),
        calls,
    })
}

/// One criterion of the formula: its name, weight and how it turns its input into points.
struct CriterionRow {
    name: String,
    weight: u32,
    rule: String,
}

/// One application in the ranking.
struct RankedRow {
    position: usize,
    project: String,
    href: String,
    title: Shown,
    /// Name, input and points of each criterion, in the formula's order.
    parts: Vec<(String, String, String)>,
    total: String,
    decision: String,
    reason: Option<String>,
}

#[derive(Template)]
#[template(path = "call.html")]
struct CallPage {
    chrome: Chrome,
    title: Shown,
    ministry: String,
    window: String,
    state: String,
    oblasts: String,
    sectors: String,
    documents: String,
    criteria: Vec<CriterionRow>,
    risks: Vec<(String, u8)>,
    ranking: Vec<RankedRow>,
}

async fn call_page(
    State(state): State<AppState>,
    reader: Reader,
    Path(id): Path<String>,
) -> Response {
    let lang = reader.lang;
    let stored = match state.store.call(&id).await {
        Ok(stored) => stored,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let call = &stored.call;
    let applications = match state.store.applications(&call.id).await {
        Ok(applications) => applications,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let ranking = rank(applications.iter().map(|a| a.application.clone()).collect());
    let ids: Vec<_> = ranking
        .iter()
        .map(|ranked| ranked.application.project.clone())
        .collect();
    let projects = match state.store.projects(&ids).await {
        Ok(projects) => projects,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let mut rows = Vec::with_capacity(ranking.len());
    for (ranked, project) in ranking.into_iter().zip(projects) {
        let decision = applications
            .iter()
            .find(|a| a.application.project == ranked.application.project)
            .and_then(|a| a.decision.as_ref());
        let score = &ranked.application.score;
        rows.push(RankedRow {
            position: ranked.position,
            project: project.id.to_string(),
            href: lang.path(&format!("/projects/{}", project.id)),
            title: shown(lang, &project.content.title),
            parts: score
                .parts
                .iter()
                .map(|p| {
                    let name = p.criterion.name().in_lang(lang.code()).to_owned();
                    (
                        name,
                        input(lang, &p.criterion, p.input),
                        decimal(lang, p.points),
                    )
                })
                .collect(),
            total: decimal(lang, score.total),
            decision: decision_name(lang, decision.map(|d| d.verdict)),
            reason: decision
                .and_then(|d| d.reason.as_ref())
                .map(|r| shown(lang, r.text()).text),
        });
    }
    let none = || lang.pick("усі", "all").to_owned();
    let oblasts = place_names(&state, lang, &call.eligible_oblasts).await;
    let risk_levels: Vec<OblastRisk> = call.oblast_risks.clone().into();
    let risk_codes: Vec<Katottg> = risk_levels.iter().map(|r| r.oblast.clone()).collect();
    let risk_names = place_names(&state, lang, &risk_codes).await;
    let page = CallPage {
        chrome: Chrome::new(&reader, call.title.in_lang(lang.code()), "calls"),
        title: shown(lang, &call.title),
        ministry: ministry_name(&state, lang, call).await,
        window: window(lang, call),
        state: state_name(lang, call),
        oblasts: joined(&oblasts, String::clone).unwrap_or_else(none),
        sectors: joined(&call.eligible_sectors, |s| s.to_string()).unwrap_or_else(none),
        documents: joined(&call.required_documents, |d| d.to_string())
            .unwrap_or_else(|| lang.pick("не вимагаються", "none required").to_owned()),
        criteria: call
            .formula
            .criteria()
            .iter()
            .map(|w| CriterionRow {
                name: w.criterion.name().in_lang(lang.code()).to_owned(),
                weight: w.weight,
                rule: rule(lang, &w.criterion),
            })
            .collect(),
        risks: risk_names
            .into_iter()
            .zip(risk_levels.iter().map(|r| r.level))
            .collect(),
        ranking: rows,
    };
    render(&page)
}

fn joined<T>(items: &[T], name: impl Fn(&T) -> String) -> Option<String> {
    (!items.is_empty()).then(|| items.iter().map(name).collect::<Vec<_>>().join(", "))
}

/// The codifier's names of `codes` in the page's language; a code the codifier lacks is
/// shown as it is.
async fn place_names(state: &AppState, lang: Lang, codes: &[Katottg]) -> Vec<String> {
    let mut names = Vec::with_capacity(codes.len());
    for code in codes {
        names.push(match state.store.territory(code).await {
            Ok(territory) => place_name(lang, &territory.name),
            Err(_) => code.to_string(),
        });
    }
    names
}

/// The ministry's registered name, or its EDRPOU code when it is not registered.
async fn ministry_name(state: &AppState, lang: Lang, call: &Call) -> String {
    let document = state.store.organisation_document(&call.ministry).await;
    let name = document.ok().and_then(|document| {
        let organisation: serde_json::Value = serde_json::from_str(&document).ok()?;
        let name: Text = serde_json::from_value(organisation["name"].clone()).ok()?;
        Some(name.in_lang(lang.code()).to_owned())
    });
    name.unwrap_or_else(|| format!("{} {}", lang.pick("ЄДРПОУ", "EDRPOU"), call.ministry))
}

/// A score's number as the page's language writes it, with two decimals.
fn decimal(lang: Lang, value: f64) -> String {
    let text = format!("{value:.2}");
    match lang {
        Lang::Uk => text.replace('.', ","),
        Lang::En => text,
    }
}

/// What a criterion measured in a project, with its unit.
fn input(lang: Lang, criterion: &Criterion, value: Option<f64>) -> String {
    let Some(value) = value else {
        return lang.pick("немає даних", "no data").to_owned();
    };
    let whole = value.round() as i64;
    match criterion {
        Criterion::CoFinancing { .. } => format!("{}\u{a0}%", decimal(lang, value)),
        Criterion::CostPerBeneficiary { full_score_at, .. } => {
            lang.money(whole * 100, full_score_at.currency.code())
        }
        _ => lang.integer(whole),
    }
}

/// How a criterion turns its input into 0 to 100, written out for readers.
fn rule(lang: Lang, criterion: &Criterion) -> String {
    match criterion {
        Criterion::OblastRisk => lang
            .pick(
                "(рівень ризику − 1) × 25; рівні областей — у таблиці нижче",
                "(risk level − 1) × 25; the oblasts' levels are in the table below",
            )
            .to_owned(),
        Criterion::PeopleServed { full_score_at } => match lang {
            Lang::Uk => format!(
                "100 за {} і більше людей, менше — пропорційно",
                full_score_at
            ),
            Lang::En => format!("100 at {full_score_at} people or more, fewer in proportion"),
        },
        Criterion::DisplacedPeopleServed { full_score_at } => match lang {
            Lang::Uk => format!("100 за {} і більше ВПО, менше — пропорційно", full_score_at),
            Lang::En => format!("100 at {full_score_at} displaced people or more, in proportion"),
        },
        Criterion::CoFinancing {
            full_score_at_percent,
        } => match lang {
            Lang::Uk => format!("100 за {full_score_at_percent}\u{a0}% потреби і більше"),
            Lang::En => format!("100 at {full_score_at_percent}\u{a0}% of the need or more"),
        },
        Criterion::DesignReadiness => lang
            .pick(
                "по 50 за проєктну документацію і дозвіл на будівництво",
                "50 each for design documents and a construction permit",
            )
            .to_owned(),
        Criterion::CostPerBeneficiary {
            full_score_at,
            zero_score_at,
        } => {
            let full = lang.money(full_score_at.amount_minor, full_score_at.currency.code());
            let zero = lang.money(zero_score_at.amount_minor, zero_score_at.currency.code());
            match lang {
                Lang::Uk => format!("100 до {full} на людину, 0 від {zero}, між ними — лінійно"),
                Lang::En => format!("100 up to {full} a head, 0 from {zero}, linear between"),
            }
        }
    }
}

fn decision_name(lang: Lang, verdict: Option<Verdict>) -> String {
    let stage = match verdict {
        None => return lang.pick("очікує рішення", "awaiting decision").to_owned(),
        Some(Verdict::Approve) => StatusDetails::Approved,
        Some(Verdict::Refuse) => StatusDetails::Refused,
    };
    stage_name(stage).in_lang(lang.code()).to_owned()
}
