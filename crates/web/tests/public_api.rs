//! DREAM's public API paths answer with bodies that the schemas of DREAM's own API
//! description (`data/dream/dream-public-api.openapi.json`) accept, for generated demo
//! projects with every kind of part, on SQLite or PostgreSQL.

mod common;

use dream_store::testing::fresh_store;
use serde_json::Value;

const OPENAPI: &str = include_str!("../../../data/dream/dream-public-api.openapi.json");

/// Checks `value` against an OpenAPI 3.0 schema: types, required properties, enums,
/// minimum item counts and the `uuid` and `date-time` formats. Returns each violation with
/// its path.
fn violations(schema: &Value, value: &Value, path: &str, found: &mut Vec<String>) {
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        found.push(format!("{path}: {value} is not one of {allowed:?}"));
    }
    match (schema.get("type").and_then(Value::as_str), value) {
        (Some("object") | None, Value::Object(fields)) => {
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = name.as_str().unwrap_or_default();
                if !fields.contains_key(name) {
                    found.push(format!("{path}: missing required {name}"));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, field) in fields {
                if let Some(property) = properties.and_then(|p| p.get(name)) {
                    violations(property, field, &format!("{path}/{name}"), found);
                }
            }
        }
        (Some("array"), Value::Array(items)) => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            if (items.len() as u64) < min {
                found.push(format!("{path}: fewer than {min} items"));
            }
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    violations(item_schema, item, &format!("{path}/{index}"), found);
                }
            }
        }
        (Some("string"), Value::String(text)) => check_format(schema, text, path, found),
        (Some("number"), Value::Number(_)) | (Some("boolean"), Value::Bool(_)) => {}
        (Some("integer"), Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        (None, _) => {}
        (Some(expected), other) => found.push(format!("{path}: expected {expected}, got {other}")),
    }
}

fn check_format(schema: &Value, text: &str, path: &str, found: &mut Vec<String>) {
    let ok = match schema.get("format").and_then(Value::as_str) {
        Some("uuid") => {
            let parts: Vec<usize> = text.split('-').map(str::len).collect();
            parts == [8, 4, 4, 4, 12] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        }
        Some("date-time") => dream_domain::timestamp::parse(text).is_ok(),
        Some("uri") => text.starts_with("http://") || text.starts_with("https://"),
        _ => true,
    };
    if !ok {
        found.push(format!(
            "{path}: {text:?} does not have the schema's format"
        ));
    }
}

fn response_schema(openapi: &Value, path: &str) -> Value {
    openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        .clone()
}

fn assert_valid(openapi: &Value, path: &str, body: &Value) {
    let mut found = Vec::new();
    violations(&response_schema(openapi, path), body, "", &mut found);
    assert!(found.is_empty(), "{path}: {found:#?}\n{body:#}");
}

#[tokio::test]
async fn the_dream_api_paths_answer_in_dream_shapes() {
    let db = fresh_store("public_api").await;
    let demo = common::load_demo(&db.store, 60, 5).await;

    let base = common::serve(&db.store, false, None).await;
    let http = reqwest::Client::new();
    let get = |path: String| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move {
            let response = http.get(&url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{url}");
            response.json::<Value>().await.unwrap()
        }
    };
    let openapi: Value = serde_json::from_str(OPENAPI).unwrap();

    let feed = get("/marketplace/public/dream/ideas?order=asc".into()).await;
    assert_valid(&openapi, "/marketplace/public/dream/ideas", &feed);
    let codes: Vec<&str> = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["internal"]["code"].as_str().unwrap())
        .collect();
    let public = common::public_projects(&demo).len();
    assert_eq!(codes.len(), public);
    let updated: Vec<&str> = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["external"]["updated"].as_str().unwrap())
        .collect();
    assert!(
        updated.windows(2).all(|pair| pair[0] <= pair[1]),
        "the feed is oldest first"
    );
    let half = public / 2;
    let later = get(format!(
        "/marketplace/public/dream/ideas?from={}",
        updated[half - 1]
    ))
    .await;
    assert_eq!(later["data"].as_array().unwrap().len(), public - half);

    for code in codes {
        let idea = get(format!("/marketplace/public/dream/ideas/{code}")).await;
        assert_valid(&openapi, "/marketplace/public/dream/ideas/{id}", &idea);
    }
    for (object, _) in demo.objects.iter().take(20) {
        let body = get(format!("/marketplace/public/dream/objects/{}", object.id)).await;
        assert_valid(&openapi, "/marketplace/public/dream/objects/{id}", &body);
    }
    for organisation in demo.organisations.iter().take(20) {
        let body = get(format!("/marketplace/public/companies/{}", organisation.id)).await;
        assert_valid(&openapi, "/marketplace/public/companies/{id}", &body);
    }
}

#[tokio::test]
async fn a_wrong_feed_parameter_is_named() {
    let db = fresh_store("public_api_errors").await;
    let base = common::serve(&db.store, false, None).await;
    let response = reqwest::get(format!(
        "{base}/marketplace/public/dream/ideas?from=yesterday"
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "from");
    let missing = reqwest::get(format!(
        "{base}/marketplace/public/dream/ideas/DREAM-UA-010124-0000ABCD"
    ))
    .await
    .unwrap();
    assert_eq!(missing.status(), 404);
}
