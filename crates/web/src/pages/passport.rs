//! The project passport, `/projects/{id}`: everything public about one project on one page,
//! from its description and place to its money, contracts, photos and every change made to
//! it, with a QR code of its address for printed notices at the building site.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use dream_domain::object::Object;
use dream_domain::project::{Project, ProjectContent};
use dream_domain::revision::Revision;
use dream_domain::text::Text;
use dream_domain::{Money, ObjectId, ProjectId};
use dream_store::StoreError;
use dream_store::revisions::Entity;
use dream_visual::{Funding, FundingAmount};

use super::catalogue::place_name;
use super::i18n::Lang;
use super::labels;
use super::{Chrome, Problem, Reader, both, render};
use crate::AppState;
use crate::auth::Viewer;

pub fn router() -> Router<AppState> {
    both(Router::new(), "/projects/{id}", get(passport))
}

/// A text in the page's language, and whether it fell back to Ukrainian.
pub struct Shown {
    pub text: String,
    pub fallback: bool,
}

pub(super) fn shown(lang: Lang, text: &Text) -> Shown {
    match (lang, &text.en) {
        (Lang::En, Some(en)) if !en.trim().is_empty() => Shown {
            text: en.clone(),
            fallback: false,
        },
        (Lang::En, _) => Shown {
            text: text.uk.clone(),
            fallback: true,
        },
        (Lang::Uk, _) => Shown {
            text: text.uk.clone(),
            fallback: false,
        },
    }
}

/// A labelled value in the key facts, optionally a link.
pub struct Fact {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
}

pub struct PartyView {
    pub name: String,
    pub edrpou: String,
    pub href: String,
    pub roles: String,
}

pub struct ApproachView {
    pub title: Shown,
    pub items: Vec<String>,
    pub budget: Vec<[String; 4]>,
    pub budget_total: String,
    pub finance: Vec<[String; 3]>,
}

pub struct PhotoView {
    pub kind: String,
    pub title: String,
    pub url: String,
}

pub struct DocumentView {
    pub kind: String,
    pub title: String,
    pub url: Option<String>,
    pub date: String,
}

pub struct ContractView {
    pub tender_id: String,
    pub href: String,
    pub title: Shown,
    pub status: String,
    pub tender_value: String,
    pub contract_value: String,
    pub tenderers: String,
    pub suppliers: String,
    pub signed: String,
}

pub struct ChangeView {
    pub number: u32,
    pub date: String,
    pub author: String,
    pub reason: String,
    pub what: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "passport.html")]
struct Passport {
    chrome: Chrome,
    title: Shown,
    description: Shown,
    facts: Vec<Fact>,
    funding_svg: String,
    funding_rows: Vec<(String, String)>,
    location_svg: String,
    addresses: Vec<String>,
    objects: Vec<(String, String)>,
    parties: Vec<PartyView>,
    approaches: Vec<ApproachView>,
    phases: Vec<(String, String)>,
    metrics: Vec<[String; 4]>,
    photos: Vec<PhotoView>,
    documents: Vec<DocumentView>,
    contracts: Vec<ContractView>,
    changes: Vec<ChangeView>,
    qr_svg: Arc<str>,
    address: String,
    json_href: String,
    oc4ids_href: String,
}

async fn passport(
    State(state): State<AppState>,
    reader: Reader,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let lang = reader.lang;
    let Ok(id) = ProjectId::parse(&id) else {
        return Problem::respond(
            &reader,
            StatusCode::NOT_FOUND,
            "Це не номер проєкту DREAM: він має вигляд DREAM-UA-030524-EE48E08C.",
            "This is not a DREAM project number: those look like DREAM-UA-030524-EE48E08C.",
        );
    };
    let project = match state.store.project(&id).await {
        Ok((project, _)) if viewer.sees(&project) => project,
        Ok(_) => {
            let error = StoreError::NotFound {
                entity: "project",
                id: id.to_string(),
            };
            return Problem::from_store(&reader, error);
        }
        Err(error) => return Problem::from_store(&reader, error),
    };
    // The rest depends only on the project: asked for together, the first reader after a
    // write waits for the slowest of the three rather than for their sum.
    let place = async {
        match project.content.locations.first() {
            Some(location) => state.store.territory(&location.katottg).await.ok(),
            None => None,
        }
    };
    let (history, objects, place) = tokio::join!(
        state.store.revisions(Entity::Project, id.as_str(), None),
        objects(&state, &project.content.objects),
        place,
    );
    let history = match history {
        Ok(history) => history,
        Err(error) => return Problem::from_store(&reader, error),
    };

    let content = &project.content;
    // The installation's public address, not the request's Host: the code is printed and
    // must point where readers can reach it.
    let site = state.publisher.uri.trim_end_matches('/');
    let address = format!("{site}{}", lang.path(&format!("/projects/{id}")));
    let title = shown(lang, &content.title);
    let qr_title = format!(
        "{}: {}",
        lang.pick("QR-код сторінки", "QR code of this page"),
        title.text
    );
    let oblast_code = place
        .as_ref()
        .map(|p| p.oblast.to_string())
        .unwrap_or_default();
    let point = content
        .locations
        .iter()
        .find_map(|l| l.point)
        .map(|p| (p.lon, p.lat));
    let location_title = place
        .as_ref()
        .map_or_else(String::new, |p| place_name(lang, &p.name));
    let (funding_svg, funding_rows) = funding(lang, &project);
    let page = Passport {
        chrome: Chrome::new(&reader, title.text.clone(), "projects"),
        description: shown(lang, &content.description),
        facts: facts(lang, &project, place.as_ref()),
        funding_svg,
        funding_rows,
        location_svg: dream_visual::location_map(&oblast_code, point, &location_title),
        addresses: content
            .locations
            .iter()
            .filter_map(|l| l.address.clone())
            .collect(),
        objects: objects
            .iter()
            .map(|o| (shown(lang, &o.content.title).text, o.id.to_string()))
            .collect(),
        parties: parties(lang, content),
        approaches: approaches(lang, content),
        phases: content
            .phases
            .iter()
            .map(|p| {
                let days = lang.count(
                    i64::from(p.duration_days),
                    ["день", "дні", "днів"],
                    ["day", "days"],
                );
                let when = match p.start_date {
                    Some(start) => {
                        format!("{} {}, {days}", lang.pick("з", "from"), lang.date(start))
                    }
                    None => days,
                };
                (labels::code(lang, "phase", p.code.as_str()), when)
            })
            .collect(),
        metrics: content
            .metrics
            .iter()
            .map(|m| {
                let name = m.title.as_ref().map_or_else(
                    || labels::code(lang, "metric", m.characteristic.as_str()),
                    |t| shown(lang, t).text,
                );
                let number = |v: f64| lang.integer(v.round() as i64);
                [
                    name,
                    number(m.baseline),
                    number(m.target),
                    m.unit.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        photos: content
            .documents
            .iter()
            .filter(|d| d.document_type.as_str().starts_with("illustration"))
            .filter_map(|d| {
                Some(PhotoView {
                    kind: labels::code(lang, "documentType", d.document_type.as_str()),
                    title: d.title.in_lang(lang.code()).to_owned(),
                    url: d.url.clone()?,
                })
            })
            .collect(),
        documents: content
            .documents
            .iter()
            .filter(|d| !d.document_type.as_str().starts_with("illustration"))
            .map(|d| DocumentView {
                kind: labels::code(lang, "documentType", d.document_type.as_str()),
                title: d.title.in_lang(lang.code()).to_owned(),
                url: d.url.clone(),
                date: lang.date(d.date_published),
            })
            .collect(),
        contracts: contracts(lang, content),
        changes: changes(lang, &id, &history),
        qr_svg: qr_code(&address, &qr_title),
        json_href: format!("/api/v1/projects/{id}"),
        oc4ids_href: format!("/api/v1/oc4ids/projects/{id}"),
        address,
        title,
    };
    render(&page)
}

async fn objects(state: &AppState, ids: &[ObjectId]) -> Vec<Object> {
    let mut objects = Vec::new();
    for id in ids {
        let Ok(document) = state.store.object_document(id).await else {
            continue;
        };
        match serde_json::from_str::<Object>(&document) {
            Ok(object) => objects.push(object),
            Err(error) => {
                tracing::error!(object.id = %id, error = %error, "object {id} cannot be read")
            }
        }
    }
    objects
}

fn facts(
    lang: Lang,
    project: &Project,
    place: Option<&dream_domain::territory::Territory>,
) -> Vec<Fact> {
    let content = &project.content;
    let fact = |label, value: String| Fact {
        label,
        value,
        href: None,
    };
    let mut facts = vec![
        fact(lang.pick("Номер", "Number"), project.id.to_string()),
        fact(
            lang.pick("Етап", "Stage"),
            labels::code(lang, "statusDetails", content.status_details.as_str()),
        ),
        fact(
            lang.pick("Стан", "Status"),
            labels::code(lang, "status", project.status.as_str()),
        ),
        Fact {
            label: lang.pick("Галузь", "Sector"),
            value: labels::code(
                lang,
                "sector",
                content.subsector.unwrap_or(content.sector).as_str(),
            ),
            href: Some(format!(
                "{}?sector={}",
                lang.path("/projects"),
                content.sector.as_str()
            )),
        },
        fact(
            lang.pick("Тип робіт", "Type of works"),
            labels::code(lang, "projectType", content.project_type.as_str()),
        ),
        fact(
            lang.pick("Мета", "Purpose"),
            labels::code(lang, "purpose", content.purpose.as_str()),
        ),
    ];
    if let Some(place) = place {
        let unit = place
            .hromada
            .clone()
            .unwrap_or_else(|| place.oblast.clone());
        facts.push(Fact {
            label: lang.pick("Місце", "Place"),
            value: place_name(lang, &place.name),
            href: Some(lang.path(&format!("/places/{unit}"))),
        });
    }
    if let Some(initiator) = content.initiator() {
        facts.push(Fact {
            label: lang.pick("Ініціатор", "Initiator"),
            value: initiator.name.clone(),
            href: Some(lang.path(&format!("/organisations/{}", initiator.id))),
        });
    }
    facts.push(fact(
        lang.pick("Створено", "Created"),
        lang.date(project.date.date()),
    ));
    facts.push(fact(
        lang.pick("Змінено", "Changed"),
        lang.date(project.updated.date()),
    ));
    facts
}

fn money(lang: Lang, money: &Money) -> String {
    lang.money(money.amount_minor, money.currency.code())
}

fn funding(lang: Lang, project: &Project) -> (String, Vec<(String, String)>) {
    let content = &project.content;
    let totals = content.funding();
    let currency = totals.need.currency;
    let contracted: i64 = content
        .contracting_processes
        .iter()
        .filter_map(|p| p.contract_value)
        .filter(|v| v.currency == currency)
        .map(|v| v.amount_minor)
        .sum();
    let amount = |label: &str, minor: i64| FundingAmount {
        label: label.to_owned(),
        value: minor as f64,
        value_text: lang.money(minor, currency.code()),
    };
    let need = amount(lang.pick("Потреба", "Need"), totals.need.amount_minor);
    let secured = amount(
        lang.pick("Забезпечено", "Secured"),
        totals.secured.amount_minor,
    );
    let contracted = amount(lang.pick("Законтрактовано", "Under contract"), contracted);
    let rows = vec![
        (need.label.clone(), need.value_text.clone()),
        (
            secured.label.clone(),
            format!(
                "{} ({})",
                secured.value_text,
                lang.percent(totals.secured.amount_minor, totals.need.amount_minor)
            ),
        ),
        (contracted.label.clone(), contracted.value_text.clone()),
    ];
    let title = lang.pick("Фінансування проєкту", "Funding of the project");
    let svg = dream_visual::funding_bar(
        title,
        &Funding {
            need,
            secured,
            contracted: Some(contracted),
            paid: None,
        },
    );
    (svg, rows)
}

fn parties(lang: Lang, content: &ProjectContent) -> Vec<PartyView> {
    content
        .parties
        .iter()
        .map(|party| PartyView {
            name: party.name.clone(),
            edrpou: party.id.to_string(),
            href: lang.path(&format!("/organisations/{}", party.id)),
            roles: party
                .roles
                .iter()
                .map(|role| labels::code(lang, "partyRole", role.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

fn approaches(lang: Lang, content: &ProjectContent) -> Vec<ApproachView> {
    content
        .approaches
        .iter()
        .map(|approach| {
            let total: i64 = approach.budget.iter().map(|b| b.amount.amount_minor).sum();
            let currency = approach
                .budget
                .first()
                .map_or("UAH", |b| b.amount.currency.code());
            ApproachView {
                title: shown(lang, &approach.title),
                items: approach
                    .items
                    .iter()
                    .map(|item| {
                        let quantity = match (item.quantity, &item.unit) {
                            (Some(q), Some(unit)) => {
                                format!(" — {} {unit}", lang.integer(i64::from(q)))
                            }
                            (Some(q), None) => format!(" — {}", lang.integer(i64::from(q))),
                            _ => String::new(),
                        };
                        format!("{}{quantity}", shown(lang, &item.description).text)
                    })
                    .collect(),
                budget: approach
                    .budget
                    .iter()
                    .map(|line| {
                        [
                            labels::code(lang, "costItem", line.cost_item.as_str()),
                            line.cost_type.as_str().to_uppercase(),
                            labels::code(lang, "budgetType", line.budget_type.as_str()),
                            money(lang, &line.amount),
                        ]
                    })
                    .collect(),
                budget_total: lang.money(total, currency),
                finance: approach
                    .finance
                    .iter()
                    .map(|line| {
                        [
                            labels::code(lang, "financeSource", line.finance_category.as_str()),
                            line.financing_party.name.clone(),
                            money(lang, &line.amount),
                        ]
                    })
                    .collect(),
            }
        })
        .collect()
}

fn contracts(lang: Lang, content: &ProjectContent) -> Vec<ContractView> {
    let optional = |m: &Option<Money>| {
        m.as_ref()
            .map_or_else(|| "—".to_owned(), |m| money(lang, m))
    };
    content
        .contracting_processes
        .iter()
        .map(|process| ContractView {
            href: format!("https://prozorro.gov.ua/tender/{}", process.tender_id),
            tender_id: process.tender_id.clone(),
            title: shown(lang, &process.title),
            status: labels::code(lang, "contractingStatus", process.status.as_str()),
            tender_value: optional(&process.tender_value),
            contract_value: optional(&process.contract_value),
            tenderers: process
                .number_of_tenderers
                .map_or_else(|| "—".to_owned(), |n| lang.integer(i64::from(n))),
            suppliers: process
                .suppliers
                .iter()
                .map(|s| format!("{} ({})", s.name, s.id))
                .collect::<Vec<_>>()
                .join("; "),
            signed: process
                .date_signed
                .map_or_else(|| "—".to_owned(), |d| lang.date(d)),
        })
        .collect()
}

/// The changes, newest first, each saying which parts of the project it touched.
fn changes(lang: Lang, id: &ProjectId, history: &[Revision]) -> Vec<ChangeView> {
    history
        .iter()
        .rev()
        .map(|revision| ChangeView {
            number: revision.number,
            date: lang.date(revision.date.date()),
            author: revision.author.clone(),
            reason: revision.reason.clone(),
            what: if revision.number == 1 {
                lang.pick("створено проєкт", "project created").to_owned()
            } else {
                touched(lang, &revision.patch)
            },
            href: format!("/api/v1/projects/{id}/revisions/{}", revision.number),
        })
        .collect()
}

/// The parts of a project a patch touched, named for a reader: `Етап, Фінансування`.
fn touched(lang: Lang, patch: &serde_json::Value) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for operation in patch.as_array().into_iter().flatten() {
        let path = operation
            .get("path")
            .and_then(|p| p.as_str())
            .unwrap_or_default();
        let field = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        let name = match field {
            "title" => lang.pick("назва", "title"),
            "description" => lang.pick("опис", "description"),
            "statusDetails" | "status" => lang.pick("етап", "stage"),
            "sector" | "subsector" => lang.pick("галузь", "sector"),
            "parties" => lang.pick("учасники", "parties"),
            "locations" => lang.pick("місце", "place"),
            "approaches" => lang.pick("кошторис і фінансування", "budget and funding"),
            "metrics" => lang.pick("показники", "metrics"),
            "phases" => lang.pick("етапи робіт", "phases"),
            "documents" => lang.pick("документи", "documents"),
            "contractingProcesses" => lang.pick("закупівлі", "procurement"),
            "relatedProcesses" => lang.pick("пов'язані записи", "related records"),
            "objects" => lang.pick("об'єкти", "objects"),
            "updated" => continue,
            _ => lang.pick("інше", "other"),
        };
        if !parts.contains(&name) {
            parts.push(name);
        }
    }
    parts.join(", ")
}

/// How many QR codes are kept; past it, the kept ones are forgotten together.
const QR_CODES_KEPT: usize = 8192;

/// The QR codes of passports, by address and caption. A passport is rendered again after
/// each write to the registry, but its address does not change, so its code is drawn once:
/// drawing one scores all eight masks of the QR standard, a fifth of a passport's cost.
static QR_CODES: LazyLock<Mutex<HashMap<String, Arc<str>>>> = LazyLock::new(Default::default);

/// The QR code of `address` as SVG, drawn or kept; empty when the address is too long.
fn qr_code(address: &str, caption: &str) -> Arc<str> {
    let key = format!("{address}\n{caption}");
    let kept = QR_CODES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    if let Some(svg) = kept {
        return svg;
    }
    let svg: Arc<str> = dream_visual::qr_code(address, caption)
        .unwrap_or_default()
        .into();
    let mut codes = QR_CODES.lock().unwrap_or_else(|e| e.into_inner());
    if codes.len() >= QR_CODES_KEPT {
        codes.clear();
    }
    codes.insert(key, svg.clone());
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_drawn_once_per_address_and_caption() {
        let address = "https://dream.example/projects/DREAM-UA-030524-EE48E08C";
        let first = qr_code(address, "QR code of this page: a school");
        assert!(first.starts_with("<svg"), "{first}");
        let again = qr_code(address, "QR code of this page: a school");
        assert!(Arc::ptr_eq(&first, &again), "the kept drawing");
        let renamed = qr_code(address, "QR code of this page: a lyceum");
        assert!(!Arc::ptr_eq(&first, &renamed));
        assert!(renamed.contains("a lyceum"));
    }
}
