//! The JSON API over real HTTP: the application on a free port of 127.0.0.1, against a fresh
//! database (SQLite, or PostgreSQL with `DREAM_TEST_BACKEND=postgres`).

mod common;

use common::TOKEN;
use dream_store::Store;
use dream_store::testing::{TestDb, fresh_store, sample_project};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct App {
    base: String,
    http: reqwest::Client,
    store: Store,
    _db: TestDb,
    _files: tempfile::TempDir,
}

/// The application with writes enabled and its files (documents) in a temporary directory.
async fn spawn_app(test_name: &str) -> App {
    let db = fresh_store(test_name).await;
    let files = tempfile::tempdir().unwrap();
    let store = dream_files::FileStore::local(files.path()).unwrap();
    let base = common::serve(&db.store, true, Some(&store)).await;
    App {
        base,
        http: reqwest::Client::new(),
        store: db.store.clone(),
        _db: db,
        _files: files,
    }
}

impl App {
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn create_project(&self, project: Value) -> Value {
        let body = json!({"reason": "entered from the paper application", "project": project});
        let (status, created) = self
            .send(reqwest::Method::POST, "/api/v1/projects", &body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created
    }
}

fn fields(error: &Value) -> Vec<String> {
    error["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| f["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn health_checks_answer() {
    let app = spawn_app("health").await;
    let alive = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(alive.status(), StatusCode::OK);
    let ready = app
        .http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert!(ready.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn a_created_project_reads_back_with_its_history() {
    let app = spawn_app("create_read").await;
    let created = app.create_project(sample_project()).await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("DREAM-UA-"), "{id}");
    assert_eq!(created["status"], "pending");

    let (status, read) = app.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, created);

    let (_, history) = app.get(&format!("/api/v1/projects/{id}/revisions")).await;
    let first = &history["items"][0];
    assert_eq!(first["author"], "Test Administrator");
    assert_eq!(first["reason"], "entered from the paper application");
}

#[tokio::test]
async fn writes_without_the_token_are_refused() {
    let app = spawn_app("no_token").await;
    let body = json!({"reason": "x", "project": sample_project()});
    let response = app
        .http
        .post(format!("{}/api/v1/projects", app.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let wrong = app
        .http
        .post(format!("{}/api/v1/projects", app.base))
        .bearer_auth("guess")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.store.count_projects().await.unwrap(), 0);
}

#[tokio::test]
async fn each_kind_of_bad_value_is_named_and_nothing_is_stored() {
    let app = spawn_app("bad_values").await;
    let cases = [
        (
            "/locations/0/katottg",
            json!("UA123"),
            "project.locations[0].katottg",
        ),
        ("/parties/0/id", json!("04057288"), "project.parties[0].id"),
        ("/sector", json!("mining"), "project.sector"),
        (
            "/approaches/0/budget/0/amount/amountMinor",
            json!(-5),
            "project.approaches[0].budget[0].amount",
        ),
        (
            "/approaches/0/budget/0/amount/currency",
            json!("UAX"),
            "project.approaches[0].budget[0].amount.currency",
        ),
        ("/colour", json!("blue"), "project.colour"),
    ];
    for (pointer, value, field) in cases {
        let mut project = sample_project();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = if parent.is_empty() {
            &mut project
        } else {
            project.pointer_mut(parent).unwrap()
        };
        target[key] = value;
        let body = json!({"reason": "entry", "project": project});
        let (status, error) = app
            .send(reqwest::Method::POST, "/api/v1/projects", &body)
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pointer}: {error}"
        );
        assert_eq!(error["error"]["code"], "invalid_input");
        assert_eq!(fields(&error), [field], "{pointer}: {error}");
    }
    assert_eq!(app.store.count_projects().await.unwrap(), 0);
}

#[tokio::test]
async fn rule_violations_are_all_listed_at_once() {
    let app = spawn_app("many_errors").await;
    let mut project = sample_project();
    project["title"]["uk"] = json!(" ");
    project["locations"][0]["point"] = json!({"lat": 10.0, "lon": 10.0});
    project["approaches"][0]["finance"][0]["amount"]["currency"] = json!("EUR");
    let body = json!({"reason": "entry", "project": project});
    let (status, error) = app
        .send(reqwest::Method::POST, "/api/v1/projects", &body)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&error),
        [
            "title.uk",
            "locations[0].point",
            "approaches[0].finance[0].amount.currency"
        ]
    );
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_message() {
    let app = spawn_app("malformed").await;
    let response = app
        .http
        .post(format!("{}/api/v1/projects", app.base))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body("{\"reason\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{error}"
    );

    let (status, error) = app
        .send(reqwest::Method::POST, "/api/v1/projects", &json!([1, 2]))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let (status, error) = app
        .send(
            reqwest::Method::POST,
            "/api/v1/projects",
            &json!({"reason": " ", "project": sample_project()}),
        )
        .await;
    assert_eq!(
        (status, fields(&error)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_owned()])
    );
}

#[tokio::test]
async fn a_patch_adds_a_revision_that_reads_back() {
    let app = spawn_app("patch").await;
    let created = app.create_project(sample_project()).await;
    let id = created["id"].as_str().unwrap();
    let body = json!({
        "reason": "the oblast asked for the English title",
        "revision": 1,
        "patch": [{"op": "replace", "path": "/title/en", "value": "Lyceum No. 5 repair"}]
    });
    let (status, patched) = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            &body,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["title"]["en"], "Lyceum No. 5 repair");

    let (status, conflict) = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            &body,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");

    let (_, first) = app.get(&format!("/api/v1/projects/{id}/revisions/1")).await;
    assert_eq!(first["project"], created);
    let (_, second) = app.get(&format!("/api/v1/projects/{id}/revisions/2")).await;
    assert_eq!(second["project"], patched);
    assert_eq!(
        second["revision"]["reason"],
        "the oblast asked for the English title"
    );
    let (status, _) = app.get(&format!("/api/v1/projects/{id}/revisions/3")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_list_filters_counts_and_names_wrong_parameters() {
    let app = spawn_app("list").await;
    for _ in 0..3 {
        app.create_project(sample_project()).await;
    }
    let mut lviv = sample_project();
    lviv["locations"][0] = json!({"katottg": "UA46060250000025047"});
    app.create_project(lviv).await;

    let (status, page) = app
        .get("/api/v1/projects?oblast=UA63000000000041885&sector=education&limit=2")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let (_, page) = app
        .get("/api/v1/projects?q=ліцей&oblast=UA46000000000026241")
        .await;
    assert_eq!(page["total"], 1);

    let (status, error) = app
        .get("/api/v1/projects?status=done&oblast=Kharkiv&limit=1000")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&error), ["status", "oblast", "limit"]);
    let (status, _) = app.get("/api/v1/projects?colour=blue").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, page) = app.get("/api/v1/projects?offset=10000").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"], json!([]));
    let (status, error) = app.get("/api/v1/projects?offset=10001").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = error["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("/marketplace/public/dream/ideas?from="),
        "the way to read further: {message}"
    );
    let (_, error) = app.get("/api/v1/projects?offset=-1").await;
    assert_eq!(fields(&error), ["offset"]);
}

#[tokio::test]
async fn unknown_records_are_404_in_the_error_shape() {
    let app = spawn_app("not_found").await;
    let (status, error) = app.get("/api/v1/projects/DREAM-UA-010124-00000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["error"]["code"], "not_found");
    let (status, _) = app.get("/api/v1/projects/not-an-id").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/api/v1/organisations/04057287").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, error) = app.get("/api/v1/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        error["error"]["message"],
        "nothing is served at /api/v1/no-such-thing"
    );
}

#[tokio::test]
async fn objects_and_organisations_are_written_and_versioned() {
    let app = spawn_app("objects").await;
    let body = json!({
        "reason": "registered",
        "id": "04057287",
        "organisation": {"name": {"uk": "Харківська міська рада"}, "kind": "hromada", "territory": "UA63120270000028556"}
    });
    let (status, organisation) = app
        .send(reqwest::Method::POST, "/api/v1/organisations", &body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{organisation}");

    let body = json!({
        "reason": "inventory",
        "object": {
            "title": {"uk": "Ліцей №5"},
            "status": "active",
            "classification": {"scheme": "COFOG", "id": "09.2"},
            "holder": "04057287",
            "locations": [{"katottg": "UA63120270000028556"}],
            "damageRecordId": "RDDP-2023-0001"
        }
    });
    let (status, object) = app
        .send(reqwest::Method::POST, "/api/v1/objects", &body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{object}");
    let object_id = object["id"].as_str().unwrap();

    let mut project = sample_project();
    project["objects"] = json!([object_id]);
    let created = app.create_project(project).await;
    assert_eq!(created["objects"][0], object_id);

    let patch = json!({"reason": "repaired", "patch": [{"op": "replace", "path": "/status", "value": "complete"}]});
    let (status, _) = app
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/objects/{object_id}"),
            &patch,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, history) = app
        .get(&format!("/api/v1/objects/{object_id}/revisions"))
        .await;
    assert_eq!(history["items"].as_array().unwrap().len(), 2);
    let (_, territory) = app.get("/api/v1/territories/UA63000000000041885").await;
    assert_eq!(territory["name"], "Харківська");
    assert_eq!(territory["children"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn the_oc4ids_package_streams_every_project_and_tells_when_it_changed() {
    let app = spawn_app("oc4ids_package").await;
    let first = app.create_project(sample_project()).await;
    app.create_project(sample_project()).await;

    let url = format!("{}/api/v1/oc4ids/package", app.base);
    let response = app.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert!(response.headers().contains_key("last-modified"));
    let package: Value = response.json().await.unwrap();
    assert_eq!(package["projects"].as_array().unwrap().len(), 2);
    assert_eq!(package["version"], "0.9");

    let again = app
        .http
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let id = first["id"].as_str().unwrap();
    let body = json!({"reason": "r", "patch": [{"op": "replace", "path": "/statusDetails", "value": "appraisal"}]});
    app.send(
        reqwest::Method::PATCH,
        &format!("/api/v1/projects/{id}"),
        &body,
    )
    .await;
    let changed = app
        .http
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);

    let (status, project) = app.get(&format!("/api/v1/oc4ids/projects/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(project["id"], format!("oc4ids-dreamt-{id}"));
}

#[tokio::test]
async fn public_reads_are_open_to_other_origins() {
    let app = spawn_app("cors").await;
    let response = app
        .http
        .get(format!("{}/api/v1/projects", app.base))
        .header("origin", "https://journalist.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = spawn_app("openapi").await;
    let project = app.create_project(sample_project()).await;
    let project_id = project["id"].as_str().unwrap().to_owned();
    let body = json!({"reason": "r", "id": "04057287", "organisation":
        {"name": {"uk": "Харківська міська рада"}, "kind": "hromada", "territory": "UA63120270000028556"}});
    app.send(reqwest::Method::POST, "/api/v1/organisations", &body)
        .await;
    let body = json!({"reason": "r", "object": {"title": {"uk": "Ліцей"}, "status": "active",
        "classification": {"scheme": "COFOG", "id": "09.2"}, "holder": "04057287",
        "locations": [{"katottg": "UA63120270000028556"}]}});
    let (_, object) = app
        .send(reqwest::Method::POST, "/api/v1/objects", &body)
        .await;
    let object_id = object["id"].as_str().unwrap().to_owned();

    let call = json!({
        "id": "rebuild-2026",
        "ministry": "37573335",
        "title": {"uk": "Відбудова 2026"},
        "opens": "2026-01-01T00:00:00Z",
        "closes": "2027-01-01T00:00:00Z",
        "formula": {"criteria": [{"weight": 100, "criterion": {"kind": "designReadiness"}}]}
    });
    let (status, _) = app
        .send(reqwest::Method::POST, "/api/v1/calls", &call)
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let pdf: &[u8] = include_bytes!("fixtures/documents/act.pdf");
    let (content_type, body) = common::multipart(&[
        common::Part::text("documentType", "technicalDocument"),
        common::Part::text("title.uk", "Дефектний акт"),
        common::Part::file("act.pdf", "application/pdf", pdf),
    ]);
    let attached: Value = app
        .http
        .post(format!(
            "{}/api/v1/projects/{project_id}/documents",
            app.base
        ))
        .bearer_auth(TOKEN)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let document_id = attached["document"]["id"].as_str().unwrap().to_owned();

    let (status, document) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    operations.sort();
    let expected = [
        "GET /api/v1/calls",
        "GET /api/v1/calls/{id}",
        "GET /api/v1/objects/{id}",
        "GET /api/v1/objects/{id}/revisions",
        "GET /api/v1/objects/{id}/revisions/{number}",
        "GET /api/v1/oc4ids/package",
        "GET /api/v1/oc4ids/projects/{id}",
        "GET /api/v1/organisations/{id}",
        "GET /api/v1/organisations/{id}/revisions",
        "GET /api/v1/organisations/{id}/revisions/{number}",
        "GET /api/v1/projects",
        "GET /api/v1/projects/{id}",
        "GET /api/v1/projects/{id}/comments",
        "GET /api/v1/projects/{id}/documents/{document}",
        "GET /api/v1/projects/{id}/revisions",
        "GET /api/v1/projects/{id}/revisions/{number}",
        "GET /api/v1/territories",
        "GET /api/v1/territories/{code}",
        "PATCH /api/v1/objects/{id}",
        "PATCH /api/v1/organisations/{id}",
        "PATCH /api/v1/projects/{id}",
        "POST /api/v1/calls",
        "POST /api/v1/calls/{id}/applications",
        "POST /api/v1/calls/{id}/decisions",
        "POST /api/v1/objects",
        "POST /api/v1/organisations",
        "POST /api/v1/projects",
        "POST /api/v1/projects/{id}/comments",
        "POST /api/v1/projects/{id}/documents",
        "POST /api/v1/projects/{id}/funding",
        "POST /api/v1/projects/{id}/steps",
        "POST /api/v1/projects/{id}/tenders",
        "POST /api/v1/projects/{id}/withdraw",
    ];
    assert_eq!(operations, expected);

    for operation in operations.iter().filter(|o| o.starts_with("GET ")) {
        let path = operation.trim_start_matches("GET ");
        let id = if path.contains("/calls/") {
            "rebuild-2026"
        } else if path.contains("/objects/") {
            object_id.as_str()
        } else if path.contains("/organisations/") {
            "04057287"
        } else {
            project_id.as_str()
        };
        let url = path
            .replace("{id}", id)
            .replace("{number}", "1")
            .replace("{document}", &document_id)
            .replace("{code}", "UA63000000000041885");
        let (status, _) = app.get(&url).await;
        if url.ends_with("/comments") {
            // The thread is for those who work on the project: a token is needed.
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{url}");
            let response = app
                .http
                .get(format!("{}{url}", app.base))
                .bearer_auth(TOKEN);
            assert_eq!(
                response.send().await.unwrap().status(),
                StatusCode::OK,
                "{url}"
            );
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{url}");
    }
}
