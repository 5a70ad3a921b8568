//! Organisation pages, `/organisations/{edrpou}`: a hromada, an enterprise or a ministry
//! with the totals and charts of the projects it initiated.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use dream_domain::Edrpou;
use dream_domain::organisation::Organisation;

use super::area::{self, AreaSpec};
use super::filters::ListQuery;
use super::{Problem, Reader, both};
use crate::AppState;

pub fn router() -> Router<AppState> {
    both(Router::new(), "/organisations/{edrpou}", get(organisation))
}

async fn organisation(
    State(state): State<AppState>,
    reader: Reader,
    Path(code): Path<String>,
) -> Response {
    let lang = reader.lang;
    let Ok(code) = Edrpou::parse(&code) else {
        return Problem::respond(
            &reader,
            StatusCode::NOT_FOUND,
            "Це не код ЄДРПОУ: він має вісім цифр.",
            "This is not an EDRPOU code: those have eight digits.",
        );
    };
    let document = match state.store.organisation_document(&code).await {
        Ok(document) => document,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let organisation: Organisation = match serde_json::from_str(&document) {
        Ok(organisation) => organisation,
        Err(error) => {
            return Problem::from_store(
                &reader,
                dream_store::StoreError::Corrupt(error.to_string()),
            );
        }
    };
    let name = match (lang, &organisation.content.name.en) {
        (super::Lang::En, Some(en)) if !en.is_empty() => en.clone(),
        _ => organisation.content.name.uk.clone(),
    };
    let kind = super::labels::code(lang, "organisationKind", organisation.content.kind.as_str());
    let spec = AreaSpec {
        cache_key: format!("organisation:{code}"),
        heading: name,
        subtitle: format!("{kind} · {} {code}", lang.pick("ЄДРПОУ", "EDRPOU")),
        trail: vec![],
        query: ListQuery::parse(vec![("initiator".to_owned(), code.to_string())], lang),
        inner: None,
    };
    area::page(&state, &reader, spec).await
}
