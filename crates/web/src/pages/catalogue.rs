//! The catalogue, `/projects`: every public project, narrowed by filters that the URL holds
//! in full, so a list can be shared by its address. Search words, sorting and paging work
//! without JavaScript; the whole filtered list downloads as CSV or XLSX.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use dream_domain::territory::Territory;
use dream_store::projects::{MAX_OFFSET, ProjectSummary};

use super::filters::{ListQuery, PAGE_SIZE};
use dream_domain::translit::transliterate;

use super::i18n::Lang;
use super::labels;
use super::{Chrome, Problem, Reader, both, render};
use crate::AppState;

pub fn router() -> Router<AppState> {
    both(Router::new(), "/projects", get(catalogue))
}

/// One project as a list shows it.
pub struct ProjectRow {
    pub href: String,
    pub title: String,
    /// Whether the title is shown in Ukrainian because there is none in the page's language.
    pub fallback: bool,
    pub place: String,
    pub sector: String,
    pub stage: String,
    pub need: String,
    pub secured: String,
}

pub fn project_rows(lang: Lang, items: &[ProjectSummary]) -> Vec<ProjectRow> {
    items.iter().map(|p| project_row(lang, p)).collect()
}

fn project_row(lang: Lang, p: &ProjectSummary) -> ProjectRow {
    let (title, fallback) = match (lang, &p.title_en) {
        (Lang::En, Some(en)) if !en.trim().is_empty() => (en.clone(), false),
        (Lang::En, _) => (p.title_uk.clone(), true),
        (Lang::Uk, _) => (p.title_uk.clone(), false),
    };
    let place = p
        .hromada_name
        .as_deref()
        .or(p.oblast_name.as_deref())
        .unwrap_or_default();
    ProjectRow {
        href: lang.path(&format!("/projects/{}", p.id)),
        title,
        fallback,
        place: place_name(lang, place),
        sector: labels::code(lang, "sector", p.subsector.as_deref().unwrap_or(&p.sector)),
        stage: labels::code(lang, "statusDetails", &p.status_details),
        need: lang.money(p.need_minor, &p.currency),
        secured: lang.money(p.secured_minor, &p.currency),
    }
}

/// A codifier name as the page's language writes it.
pub fn place_name(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Uk => name.to_owned(),
        Lang::En => transliterate(name),
    }
}

/// An option of a select: value, label, whether chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A select of the filter form.
pub struct Select {
    pub name: &'static str,
    pub label: &'static str,
    pub any: &'static str,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct Catalogue {
    chrome: Chrome,
    query: ListQuery,
    selects: Vec<Select>,
    problems: Vec<String>,
    found: String,
    list_caption: String,
    rows: Vec<ProjectRow>,
    previous: Option<String>,
    next: Option<String>,
    page_note: String,
    csv: String,
    xlsx: String,
}

async fn catalogue(
    State(state): State<AppState>,
    reader: Reader,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let lang = reader.lang;
    let query = ListQuery::parse(pairs, lang);
    let offset = query.offset();
    if offset > MAX_OFFSET {
        return Problem::respond(
            &reader,
            axum::http::StatusCode::BAD_REQUEST,
            "Так далеко список не гортається. Звузьте пошук фільтрами або завантажте весь список як CSV.",
            "The list does not page this far. Narrow it with filters, or download the whole list as CSV.",
        );
    }
    // The total comes from the totals kept per registry version, so a page of a list
    // already counted costs one query for its rows.
    let key = format!("list:{}", query.link(&[("page", ""), ("sort", "")]));
    let total = match state
        .totals
        .breakdown(&state.store, &key, &query.filter, &[])
        .await
    {
        Ok(breakdown) => breakdown.projects(),
        Err(error) => return Problem::from_store(&reader, error),
    };
    let items = match state
        .store
        .project_page(&query.filter, query.sort, offset, PAGE_SIZE, total)
        .await
    {
        Ok(items) => items,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let selects = match selects(&state, lang, &query).await {
        Ok(selects) => selects,
        Err(error) => return Problem::from_store(&reader, error),
    };

    let last_page =
        ((total.max(1) - 1) / i64::from(PAGE_SIZE) + 1).min(i64::from(MAX_OFFSET / PAGE_SIZE + 1));
    let here = lang.path("/projects");
    let page_link = |n: i64| format!("{here}{}", query.link(&[("page", &n.to_string())]));
    let current = i64::from(query.page);
    let problems = query
        .problems
        .iter()
        .map(|(name, reason)| {
            format!(
                "{}: «{name}» {reason}.",
                lang.pick("Фільтр не застосовано", "Filter ignored")
            )
        })
        .collect();
    let downloads = query.link(&[("page", "")]);
    let page = Catalogue {
        chrome: Chrome::new(&reader, lang.pick("Проєкти", "Projects"), "projects"),
        found: super::dashboard::projects(lang, total),
        list_caption: lang
            .pick("Проєкти за фільтром", "Projects matching the filter")
            .to_owned(),
        rows: project_rows(lang, &items),
        previous: (current > 1).then(|| page_link(current - 1)),
        next: (current < last_page).then(|| page_link(current + 1)),
        page_note: format!(
            "{} {} {} {}",
            lang.pick("Сторінка", "Page"),
            lang.integer(current),
            lang.pick("з", "of"),
            lang.integer(last_page)
        ),
        csv: format!("/projects.csv{downloads}"),
        xlsx: format!("/projects.xlsx{downloads}"),
        selects,
        problems,
        query,
    };
    render(&page)
}

/// The selects of the filter form, each with the current choice marked. Raions appear once
/// an oblast is chosen, hromadas once a raion is.
async fn selects(
    state: &AppState,
    lang: Lang,
    query: &ListQuery,
) -> Result<Vec<Select>, dream_store::StoreError> {
    let coded = |name: &'static str, list: &str, label: &'static str| Select {
        name,
        label,
        any: lang.pick("усі", "all"),
        choices: labels::options(lang, list)
            .into_iter()
            .map(|(code, text)| Choice {
                value: code.to_owned(),
                label: text.to_owned(),
                selected: query.value(name) == code,
            })
            .collect(),
    };
    let mut selects = vec![
        coded("sector", "sector", lang.pick("Галузь", "Sector")),
        coded("stage", "statusDetails", lang.pick("Етап", "Stage")),
        coded("status", "status", lang.pick("Стан", "Status")),
        coded(
            "type",
            "projectType",
            lang.pick("Тип робіт", "Type of works"),
        ),
        coded("purpose", "purpose", lang.pick("Мета", "Purpose")),
        coded(
            "source",
            "financeSource",
            lang.pick("Джерело коштів", "Source of money"),
        ),
    ];
    let oblasts = dream_visual::oblasts()
        .iter()
        .map(|o| Choice {
            value: o.code.clone(),
            label: lang.pick(&o.name_uk, &o.name_en).to_owned(),
            selected: query.value("oblast") == o.code,
        })
        .collect();
    selects.push(Select {
        name: "oblast",
        label: lang.pick("Область", "Oblast"),
        any: lang.pick("усі", "all"),
        choices: oblasts,
    });
    if let Some(oblast) = &query.filter.oblast {
        let raions = state.store.territory_children(oblast).await?;
        selects.push(territory_select(
            "raion",
            lang.pick("Район", "Raion"),
            lang,
            &raions,
            query,
        ));
    }
    if let Some(raion) = &query.filter.raion {
        let hromadas = state.store.territory_children(raion).await?;
        selects.push(territory_select(
            "hromada",
            lang.pick("Громада", "Hromada"),
            lang,
            &hromadas,
            query,
        ));
    }
    let yes_no = [
        ("yes", lang.pick("є", "yes")),
        ("no", lang.pick("немає", "no")),
    ];
    selects.push(Select {
        name: "contracts",
        label: lang.pick("Договори Prozorro", "Prozorro contracts"),
        any: lang.pick("усі", "all"),
        choices: yes_no
            .iter()
            .map(|(value, label)| Choice {
                value: (*value).to_owned(),
                label: (*label).to_owned(),
                selected: query.value("contracts") == *value,
            })
            .collect(),
    });
    Ok(selects)
}

fn territory_select(
    name: &'static str,
    label: &'static str,
    lang: Lang,
    units: &[Territory],
    query: &ListQuery,
) -> Select {
    Select {
        name,
        label,
        any: lang.pick("усі", "all"),
        choices: units
            .iter()
            .map(|unit| Choice {
                value: unit.code.to_string(),
                label: place_name(lang, &unit.name),
                selected: query.value(name) == unit.code.as_str(),
            })
            .collect(),
    }
}
