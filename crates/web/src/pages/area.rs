//! What a place page and an organisation page have in common: a heading, the totals of the
//! projects it selects, charts of them, and their latest changes with a link to the whole
//! list in the catalogue.

use askama::Template;
use axum::response::Response;
use dream_store::totals::Dimension;

use super::catalogue::{ProjectRow, project_rows};
use super::dashboard::{self, BarSpec, Chart, Measure, Total};
use super::filters::ListQuery;
use super::{Chrome, Problem, Reader, render};
use crate::AppState;

#[derive(Template)]
#[template(path = "area.html")]
struct Area {
    chrome: Chrome,
    trail: Vec<(String, String)>,
    heading: String,
    subtitle: String,
    totals: Vec<Total>,
    charts: Vec<Chart>,
    list_caption: String,
    rows: Vec<ProjectRow>,
    all_href: String,
    all_text: String,
}

/// What one page shows: who or where it is about and which projects are its own.
pub struct AreaSpec {
    /// The name of the totals in the cache, unique to this page.
    pub cache_key: String,
    pub heading: String,
    pub subtitle: String,
    pub trail: Vec<(String, String)>,
    pub query: ListQuery,
    /// The breakdown by the units inside this one, with its chart title and the catalogue
    /// parameter that narrows to one of them.
    pub inner: Option<(Dimension, String, &'static str)>,
}

pub async fn page(state: &AppState, reader: &Reader, spec: AreaSpec) -> Response {
    let lang = reader.lang;
    let mut dimensions = vec![Dimension::Sector, Dimension::StatusDetails];
    dimensions.extend(spec.inner.as_ref().map(|(d, _, _)| *d));
    let filter = &spec.query.filter;
    let breakdown = match state
        .totals
        .breakdown(&state.store, &spec.cache_key, filter, &dimensions)
        .await
    {
        Ok(breakdown) => breakdown,
        Err(error) => return Problem::from_store(reader, error),
    };
    let latest = match state.store.projects_after(filter, None, 10).await {
        Ok(latest) => latest,
        Err(error) => return Problem::from_store(reader, error),
    };
    let names = state.store.clone();
    let mut charts = vec![
        dashboard::bars(
            lang,
            &breakdown,
            &spec.query,
            BarSpec {
                dimension: Dimension::Sector,
                title: lang.pick("Проєкти за галузями", "Projects by sector"),
                measure: Measure::Projects,
                param: "sector",
                name: &dashboard::code_name(lang, "sector"),
            },
        ),
        dashboard::bars(
            lang,
            &breakdown,
            &spec.query,
            BarSpec {
                dimension: Dimension::StatusDetails,
                title: lang.pick("Проєкти за етапами", "Projects by stage"),
                measure: Measure::Projects,
                param: "stage",
                name: &dashboard::code_name(lang, "statusDetails"),
            },
        ),
    ];
    if let Some((dimension, title, param)) = &spec.inner {
        let mut units = std::collections::HashMap::new();
        for group in breakdown.by(*dimension) {
            let Some(code) = &group.key else { continue };
            if units.contains_key(code) {
                continue;
            }
            let name = match dream_domain::Katottg::parse(code) {
                Ok(code) => names
                    .territory(&code)
                    .await
                    .map(|t| t.name)
                    .unwrap_or_default(),
                Err(_) => String::new(),
            };
            units.insert(code.clone(), super::catalogue::place_name(lang, &name));
        }
        let name = move |code: &str| units.get(code).cloned().unwrap_or_else(|| code.to_owned());
        charts.push(dashboard::bars(
            lang,
            &breakdown,
            &spec.query,
            BarSpec {
                dimension: *dimension,
                title,
                measure: Measure::Need,
                param,
                name: &name,
            },
        ));
    }
    let page = Area {
        chrome: Chrome::new(reader, spec.heading.clone(), "projects"),
        totals: dashboard::totals(lang, &breakdown),
        charts,
        list_caption: lang.pick("Останні зміни", "Latest changes").to_owned(),
        rows: project_rows(lang, &latest),
        all_href: format!("{}{}", lang.path("/projects"), spec.query.link(&[])),
        all_text: format!(
            "{} ({})",
            lang.pick("Усі проєкти в каталозі", "All of them in the catalogue"),
            dashboard::projects(lang, breakdown.projects())
        ),
        trail: spec.trail,
        heading: spec.heading,
        subtitle: spec.subtitle,
    };
    render(&page)
}
