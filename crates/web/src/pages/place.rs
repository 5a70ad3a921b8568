//! Place pages, `/places/{katottg}`: an oblast, a raion or a hromada with the totals and
//! charts of the projects located in it, and its units one level down. A smaller unit (a
//! village, a city district) shows the hromada it belongs to.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use dream_domain::Katottg;
use dream_domain::territory::{Territory, TerritoryLevel};
use dream_store::totals::Dimension;

use super::area::{self, AreaSpec};
use super::catalogue::place_name;
use super::filters::ListQuery;
use super::i18n::Lang;
use super::{Problem, Reader, both};
use crate::AppState;

pub fn router() -> Router<AppState> {
    both(Router::new(), "/places/{code}", get(place))
}

async fn place(
    State(state): State<AppState>,
    reader: Reader,
    Path(code): Path<String>,
) -> Response {
    let lang = reader.lang;
    let Ok(code) = Katottg::parse(&code) else {
        return Problem::respond(
            &reader,
            StatusCode::NOT_FOUND,
            "Це не код КАТОТТГ: він має вигляд UA32080150000045234.",
            "This is not a KATOTTG code: those look like UA32080150000045234.",
        );
    };
    let unit = match state.store.territory(&code).await {
        Ok(unit) => unit,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let (param, inner) = match unit.level {
        TerritoryLevel::Oblast | TerritoryLevel::SpecialCity => (
            "oblast",
            Some((
                Dimension::Raion,
                lang.pick("Потреба за районами", "Money needed by raion"),
                "raion",
            )),
        ),
        TerritoryLevel::Raion => (
            "hromada",
            Some((
                Dimension::Hromada,
                lang.pick("Потреба за громадами", "Money needed by hromada"),
                "hromada",
            )),
        ),
        TerritoryLevel::Hromada => ("hromada", None),
        _ => {
            let Some(hromada) = &unit.hromada else {
                return Problem::from_store(
                    &reader,
                    dream_store::StoreError::NotFound {
                        entity: "territory",
                        id: code.to_string(),
                    },
                );
            };
            return Redirect::to(&lang.path(&format!("/places/{hromada}"))).into_response();
        }
    };
    let param = match unit.level {
        TerritoryLevel::Raion => "raion",
        _ => param,
    };
    let query = ListQuery::parse(vec![(param.to_owned(), code.to_string())], lang);
    let trail = trail(&state, lang, &unit).await;
    let spec = AreaSpec {
        cache_key: format!("place:{code}"),
        heading: unit_name(lang, &unit),
        subtitle: format!("{} {}", lang.pick("Код КАТОТТГ", "KATOTTG code"), unit.code),
        trail,
        query,
        inner: inner.map(|(d, title, param)| (d, title.to_owned(), param)),
    };
    area::page(&state, &reader, spec).await
}

/// A unit's name with what kind of unit it is: `Бучанська громада`, `Bucha raion`.
fn unit_name(lang: Lang, unit: &Territory) -> String {
    if let Some(shape) = dream_visual::oblasts()
        .iter()
        .find(|o| o.code == unit.code.as_str())
    {
        return lang.pick(&shape.name_uk, &shape.name_en).to_owned();
    }
    let kind = match unit.level {
        TerritoryLevel::Raion => lang.pick("район", "raion"),
        TerritoryLevel::Hromada => lang.pick("громада", "hromada"),
        _ => "",
    };
    format!("{} {kind}", place_name(lang, &unit.name))
        .trim()
        .to_owned()
}

/// The units above this one, outermost first, each with its page.
async fn trail(state: &AppState, lang: Lang, unit: &Territory) -> Vec<(String, String)> {
    let mut trail = Vec::new();
    for code in [Some(&unit.oblast), unit.raion.as_ref()]
        .into_iter()
        .flatten()
    {
        if code == &unit.code {
            break;
        }
        if let Ok(outer) = state.store.territory(code).await {
            trail.push((
                unit_name(lang, &outer),
                lang.path(&format!("/places/{code}")),
            ));
        }
    }
    trail
}
