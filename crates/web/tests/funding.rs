//! Funding recorded by donors over HTTP, on SQLite or PostgreSQL: a donor named as a funder
//! of a project adds what it gives, and the project's secured money grows with a revision
//! signed by the donor; a donor that does not fund the project, a draft, and an
//! administrator who names no donor are each refused with the reason.

mod common;

use common::{entry, register_council, token};
use dream_domain::codelist::OrganisationKind;
use dream_domain::organisation::OrganisationContent;
use dream_domain::text::Text;
use dream_domain::{Edrpou, Katottg, ProjectId};
use dream_store::testing::{fresh_store, sample_project};
use reqwest::StatusCode;
use serde_json::{Value, json};

const COUNCIL: &str = "04057287";
const FUNDER: &str = "43000014";
const STRANGER: &str = "43000026";

async fn post(base: &str, token: &str, project: &str, body: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/projects/{project}/funding"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

fn grant(hryvnias: i64) -> Value {
    json!({
        "amount": {"amountMinor": hryvnias * 100, "currency": "UAH"},
        "financeType": "internationalPartners",
        "financeCategory": "internationalOrganization"
    })
}

#[tokio::test]
async fn a_donor_records_funding_only_on_projects_it_funds_and_never_on_a_draft() {
    let db = fresh_store("funding_donor").await;
    let store = db.store.clone();
    let council = Text::new("Харківська міська рада", "Kharkiv City Council");
    register_council(&store, &Edrpou::parse(COUNCIL).unwrap(), council).await;
    for (code, name) in [(FUNDER, "Фонд відновлення"), (STRANGER, "Інший фонд")]
    {
        let donor = OrganisationContent {
            name: Text::new(name, name),
            kind: OrganisationKind::Donor,
            territory: Katottg::parse("UA80000000000093317").unwrap(),
        };
        store
            .create_organisation(Edrpou::parse(code).unwrap(), donor, &entry())
            .await
            .unwrap();
    }
    let mut funded = sample_project();
    funded["parties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": FUNDER, "name": "Фонд відновлення", "roles": ["funder"]}));
    let mut draft = funded.clone();
    draft["statusDetails"] = "definition".into();
    let funded = store
        .create_project(
            dream_domain::validation::from_json(funded).unwrap(),
            &entry(),
        )
        .await
        .unwrap();
    let draft = store
        .create_project(
            dream_domain::validation::from_json(draft).unwrap(),
            &entry(),
        )
        .await
        .unwrap();
    let base = common::serve(&store, true, None).await;
    let donor = token(&store, "fund@example.org", "donor", Some(FUNDER), None).await;
    let stranger = token(&store, "other@example.org", "donor", Some(STRANGER), None).await;
    let (funded_id, draft_id) = (funded.id.to_string(), draft.id.to_string());
    let secured_before = funded.content.funding().secured.amount_minor;

    let (status, body) = post(&base, &stranger, &funded_id, grant(1_000_000)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains(STRANGER)
    );
    let (status, _) = post(&base, &donor, &draft_id, grant(1_000_000)).await;
    assert_eq!(status, StatusCode::CONFLICT, "a draft is not funded yet");
    let (status, body) = post(&base, common::TOKEN, &funded_id, grant(1_000_000)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "donor");

    let (status, body) = post(&base, &donor, &funded_id, grant(2_500_000)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["financeLine"]["id"], "f2", "the next free id");
    let id = ProjectId::parse(&funded_id).unwrap();
    let (project, revision) = store.project(&id).await.unwrap();
    assert_eq!(
        project.content.funding().secured.amount_minor,
        secured_before + 250_000_000
    );
    assert_eq!(body["revision"], revision);
    let history = store
        .revisions(dream_store::revisions::Entity::Project, &funded_id, None)
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert!(last.author.contains(FUNDER), "{}", last.author);
    assert!(last.reason.contains("2500000"), "{}", last.reason);

    let mut stale = grant(1);
    stale["revision"] = (revision - 1).into();
    let (status, _) = post(&base, &donor, &funded_id, stale).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "recorded against an old revision"
    );
}
