//! The home page: what the registry holds in totals, a map of the oblasts coloured by a
//! measure the reader picks, charts by sector, stage and time, and the latest projects.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use dream_store::projects::ProjectFilter;
use dream_store::totals::Dimension;

use super::catalogue::{ProjectRow, project_rows};
use super::dashboard::{self, BarSpec, Chart, Measure, Total};
use super::filters::ListQuery;
use super::{Chrome, Problem, Reader, both, render};
use crate::AppState;

pub fn router() -> Router<AppState> {
    both(Router::new(), "/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    totals: Vec<Total>,
    /// Each measure the map can show: its name, link and whether it is shown.
    measures: Vec<(String, String, bool)>,
    map: Chart,
    charts: Vec<Chart>,
    list_caption: String,
    rows: Vec<ProjectRow>,
}

#[derive(serde::Deserialize)]
struct HomeQuery {
    measure: Option<String>,
}

/// The breakdowns the home page shows.
const DIMENSIONS: &[Dimension] = &[
    Dimension::Sector,
    Dimension::Oblast,
    Dimension::StatusDetails,
    Dimension::CreatedMonth,
];

async fn home(State(state): State<AppState>, reader: Reader, query: Query<HomeQuery>) -> Response {
    let lang = reader.lang;
    let measure = Measure::parse(query.measure.as_deref().unwrap_or_default());
    let filter = ProjectFilter::default();
    let breakdown = match state
        .totals
        .breakdown(&state.store, "home", &filter, DIMENSIONS)
        .await
    {
        Ok(breakdown) => breakdown,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let latest = match state.store.projects_after(&filter, None, 10).await {
        Ok(latest) => latest,
        Err(error) => return Problem::from_store(&reader, error),
    };

    let base = ListQuery::default();
    let measures = Measure::ALL
        .iter()
        .map(|m| {
            let href = format!("{}?measure={}#map-heading", lang.path("/"), m.code());
            (m.name(lang).to_owned(), href, *m == measure)
        })
        .collect();
    let charts = vec![
        dashboard::bars(
            lang,
            &breakdown,
            &base,
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
            &base,
            BarSpec {
                dimension: Dimension::StatusDetails,
                title: lang.pick("Проєкти за етапами", "Projects by stage"),
                measure: Measure::Projects,
                param: "stage",
                name: &dashboard::code_name(lang, "statusDetails"),
            },
        ),
        dashboard::bars(
            lang,
            &breakdown,
            &base,
            BarSpec {
                dimension: Dimension::Sector,
                title: lang.pick("Потреба за галузями", "Money needed by sector"),
                measure: Measure::Need,
                param: "sector",
                name: &dashboard::code_name(lang, "sector"),
            },
        ),
        dashboard::over_time(lang, &breakdown),
    ];
    let page = Home {
        chrome: Chrome::new(&reader, lang.pick("Огляд", "Overview"), "home"),
        totals: dashboard::totals(lang, &breakdown),
        measures,
        map: dashboard::oblast_map(lang, &breakdown, measure, &base),
        charts,
        list_caption: lang.pick("Останні зміни", "Latest changes").to_owned(),
        rows: project_rows(lang, &latest),
    };
    render(&page)
}
