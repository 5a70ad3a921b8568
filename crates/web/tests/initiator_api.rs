//! What an initiator's API token may write, on SQLite or PostgreSQL: its own organisation's
//! projects, entered as drafts and edited while they are drafts, never another's and never
//! a stage the route has not reached; and the comment thread, read and written by those the
//! policy lets see and comment on the project.

mod common;

use common::{register_council, token};
use dream_domain::Edrpou;
use dream_domain::text::Text;
use dream_store::testing::{fresh_store, sample_project};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const COUNCIL: &str = "04057287";
const OTHER_COUNCIL: &str = "04050012";
const LVIV: &str = "UA46000000000026241";

async fn send(method: Method, url: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_initiator_enters_and_edits_only_its_own_drafts_and_the_thread_follows_the_policy() {
    let db = fresh_store("initiator_api").await;
    let store = db.store.clone();
    for (code, name) in [
        (COUNCIL, "Харківська міська рада"),
        (OTHER_COUNCIL, "Інша рада"),
    ] {
        register_council(&store, &Edrpou::parse(code).unwrap(), Text::new(name, name)).await;
    }
    let base = common::serve(&store, false, None).await;
    let own = token(
        &store,
        "olena@kharkiv.example",
        "initiator",
        Some(COUNCIL),
        None,
    )
    .await;
    let other = token(
        &store,
        "petro@other.example",
        "initiator",
        Some(OTHER_COUNCIL),
        None,
    )
    .await;
    let lviv = token(
        &store,
        "iryna@lviv.example",
        "oblastReviewer",
        None,
        Some(LVIV),
    )
    .await;
    let projects = format!("{base}/api/v1/projects");

    let mut idea = sample_project();
    idea["statusDetails"] = "initiated".into();
    let mut approved = idea.clone();
    approved["statusDetails"] = "approved".into();
    let body = |project: &Value| Some(json!({"reason": "нова ідея громади", "project": project}));

    let (status, _) = send(Method::POST, &projects, &other, body(&idea)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another council's project");
    let (status, answer) = send(Method::POST, &projects, &own, body(&approved)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(
        answer["error"]["fields"][0]["field"],
        "project.statusDetails"
    );
    let (status, created) = send(Method::POST, &projects, &own, body(&idea)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let project = format!("{projects}/{}", created["id"].as_str().unwrap());

    let rename = json!({"reason": "уточнено назву", "patch": [
        {"op": "replace", "path": "/title/uk", "value": "Ремонт ліцею №5 і його укриття"}
    ]});
    let (status, _) = send(Method::PATCH, &project, &other, Some(rename.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, edited) = send(Method::PATCH, &project, &own, Some(rename)).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        edited["statusDetails"], "definition",
        "an edited idea is being defined"
    );
    let hand_over = json!({"reason": "передати", "patch": [
        {"op": "replace", "path": "/parties/0/id", "value": OTHER_COUNCIL}
    ]});
    let (status, _) = send(Method::PATCH, &project, &own, Some(hand_over)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the project stays its initiator's"
    );
    let promote = json!({"reason": "сам собі схвалив", "patch": [
        {"op": "replace", "path": "/statusDetails", "value": "approved"}
    ]});
    let (status, promoted) = send(Method::PATCH, &project, &own, Some(promote)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        promoted["statusDetails"], "definition",
        "an edit never moves the route"
    );

    let comments = format!("{project}/comments");
    let (status, _) = send(Method::POST, &comments, &own, Some(json!({"body": " "}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let question = json!({"body": "Чи потрібна експертиза кошторису?"});
    let (status, written) = send(Method::POST, &comments, &own, Some(question)).await;
    assert_eq!(status, StatusCode::CREATED, "{written}");
    assert_eq!(written["author"], "olena (ЄДРПОУ 04057287)");
    let (status, thread) = send(Method::GET, &comments, &own, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(thread["items"].as_array().unwrap().len(), 1);
    let (status, _) = send(Method::GET, &comments, &lviv, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another oblast does not see the draft"
    );
    let (status, _) = send(Method::POST, &comments, &lviv, Some(json!({"body": "?"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
