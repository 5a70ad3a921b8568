//! Public reads from a read replica (`DATABASE_READ_URL`), on SQLite or PostgreSQL: a
//! visitor without an account is answered from the replica, while writes and whoever holds
//! a token read the primary, and so see their own writes at once. The "replica" here is a
//! second database loaded with the same demo projects and never written to, so the answer
//! shows which database gave it.

mod common;

use reqwest::StatusCode;
use serde_json::Value;

use dream_store::testing::fresh_store;

const NEW_TITLE: &str = "Відновлення ліцею на Салтівці";

#[tokio::test]
async fn visitors_read_the_replica_and_writers_read_the_primary() {
    let primary = fresh_store("replica_primary").await;
    let replica = fresh_store("replica_copy").await;
    let demo = common::load_demo(&primary.store, 8, 5).await;
    common::load_demo(&replica.store, 8, 5).await;
    let base = common::serve_with_replica(&primary.store, Some(&replica.store), true, None).await;
    let project = common::public_projects(&demo)[0];
    let old_title = project.content.title.uk.clone();
    let passport = format!("{base}/projects/{}", project.id);
    let api = format!("{base}/api/v1/projects/{}", project.id);
    let http = reqwest::Client::new();
    let page = text(&http, &passport).await;
    assert!(page.contains(&old_title), "{old_title} in {page}");

    let body = serde_json::json!({
        "reason": "a clearer name",
        "patch": [{"op": "replace", "path": "/title/uk", "value": NEW_TITLE}]
    });
    let written = http
        .patch(&api)
        .bearer_auth(common::TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(written.status(), StatusCode::OK, "writes go to the primary");

    let title = |response: reqwest::Response| async move {
        let project: Value = response.json().await.unwrap();
        project["title"]["uk"].as_str().unwrap().to_owned()
    };
    let with_token = http
        .get(&api)
        .bearer_auth(common::TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        title(with_token).await,
        NEW_TITLE,
        "the writer reads its write"
    );
    let anonymous = http.get(&api).send().await.unwrap();
    assert_eq!(
        title(anonymous).await,
        old_title,
        "a visitor reads the replica"
    );
    let page = text(&http, &passport).await;
    assert!(
        page.contains(&old_title) && !page.contains(NEW_TITLE),
        "{page}"
    );
}

async fn text(http: &reqwest::Client, url: &str) -> String {
    http.get(url).send().await.unwrap().text().await.unwrap()
}
