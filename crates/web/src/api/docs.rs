//! The API's own description: an OpenAPI 3.1 document at `/api/openapi.json`, written by
//! hand in `openapi.json` beside this file, with the codes of every codelist filled in from
//! the domain's enums so that the document cannot drift from what the service accepts; and
//! Swagger UI at `/api/docs/`, vendored (see `static/swagger-ui/SOURCES.md`).

use std::sync::LazyLock;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use dream_domain::codelist::*;
use serde_json::Value;

use crate::AppState;

const DOCUMENT: &str = include_str!("openapi.json");
const BUNDLE: &[u8] = include_bytes!("../../static/swagger-ui/swagger-ui-bundle.js");
const STYLES: &[u8] = include_bytes!("../../static/swagger-ui/swagger-ui.css");
const START: &[u8] = include_bytes!("../../static/swagger-ui/start.js");

/// The document with the codelists filled in, made once.
static OPENAPI: LazyLock<String> = LazyLock::new(|| openapi().to_string());

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(document))
        .route(
            "/api/docs",
            get(|| async { Redirect::permanent("/api/docs/") }),
        )
        .route("/api/docs/", get(page))
        .route(
            "/api/docs/swagger-ui-bundle.js",
            get(|| asset("text/javascript", BUNDLE)),
        )
        .route(
            "/api/docs/swagger-ui.css",
            get(|| asset("text/css", STYLES)),
        )
        .route(
            "/api/docs/start.js",
            get(|| asset("text/javascript", START)),
        )
}

/// The codes of each codelist schema, by the schema's name.
fn codelists() -> Vec<(&'static str, Vec<&'static str>)> {
    macro_rules! lists {
        ($($name:ident),+) => {
            vec![$((stringify!($name), $name::ALL.iter().map(|code| code.as_str()).collect()),)+]
        };
    }
    lists!(
        Status,
        StatusDetails,
        Sector,
        Purpose,
        ProjectType,
        PartyRole,
        CostItem,
        CostType,
        BudgetType,
        FinanceType,
        FinanceCategory,
        MetricCharacteristic,
        PhaseCode,
        DocumentType,
        AccessDetails,
        RelatedProcessScheme,
        Relationship,
        ContractingStatus,
        ObjectStatus,
        OrganisationKind
    )
}

/// The OpenAPI document as JSON.
pub fn openapi() -> Value {
    let mut document: Value = serde_json::from_str(DOCUMENT).unwrap_or(Value::Null);
    for (name, codes) in codelists() {
        let schema = &mut document["components"]["schemas"][name];
        schema["enum"] = Value::from(codes);
        schema["description"] = Value::from(format!("A code of DREAM's {name} list"));
    }
    document
}

async fn document() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI.as_str()).into_response()
}

async fn asset(content_type: &'static str, bytes: &'static [u8]) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
        .into_response()
}

async fn page() -> Html<&'static str> {
    Html(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DREAM API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<main><h1 class="visually-hidden" style="position:absolute;left:-10000px">DREAM API</h1>
<div id="swagger-ui"></div></main>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/start.js"></script>
</body>
</html>"#,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_codelist_schema_gets_its_codes() {
        let document = openapi();
        assert_eq!(document["openapi"], "3.1.0");
        for (name, codes) in codelists() {
            assert_eq!(
                document["components"]["schemas"][name]["enum"],
                Value::from(codes),
                "{name}"
            );
        }
        assert_eq!(
            document["components"]["schemas"]["Sector"]["enum"][17],
            "transport.road"
        );
    }

    #[test]
    fn every_reference_points_at_a_schema_or_response_that_exists() {
        let document = openapi();
        let mut references = Vec::new();
        collect_references(&document, &mut references);
        assert!(references.len() > 50);
        for reference in references {
            let pointer = reference.trim_start_matches('#');
            assert!(
                document.pointer(pointer).is_some(),
                "{reference} points nowhere"
            );
        }
    }

    fn collect_references(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(fields) => {
                if let Some(Value::String(reference)) = fields.get("$ref") {
                    found.push(reference.clone());
                }
                fields.values().for_each(|v| collect_references(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| collect_references(v, found)),
            _ => {}
        }
    }
}
