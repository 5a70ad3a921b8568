//! Calls for proposals over HTTP, on SQLite or PostgreSQL: a ministry's commission opens a
//! call, initiators apply their appraised projects, which are checked and scored by the
//! published formula, and the commission decides; a project reaches implementation only
//! through a call, and everything but the drafts is public.

mod common;

use common::{entry, register_council, token};
use dream_domain::codelist::OrganisationKind;
use dream_domain::organisation::OrganisationContent;
use dream_domain::text::Text;
use dream_domain::{Edrpou, Katottg, ProjectId};
use dream_store::revisions::Entity;
use dream_store::testing::{fresh_store, sample_project};
use reqwest::StatusCode;
use serde_json::{Value, json};

const KHARKIV: &str = "UA63000000000041885";
const MINISTRY: &str = "37573335";
const OTHER_MINISTRY: &str = "37574449";
const COUNCIL: &str = "04057287";

/// A test registry served over HTTP, with one account of each role that calls involve.
struct Calls {
    base: String,
    store: dream_store::Store,
    initiator: String,
    commission: String,
    other_commission: String,
    reviewer: String,
    _db: dream_store::testing::TestDb,
}

async fn calls(name: &str) -> Calls {
    let db = fresh_store(name).await;
    let store = db.store.clone();
    let council = Text::new("Харківська міська рада", "Kharkiv City Council");
    register_council(&store, &Edrpou::parse(COUNCIL).unwrap(), council).await;
    for (code, name) in [(MINISTRY, "Мінрозвитку"), (OTHER_MINISTRY, "Мінкульт")]
    {
        let ministry = OrganisationContent {
            name: Text::new(name, name),
            kind: OrganisationKind::Ministry,
            territory: Katottg::parse("UA80000000000093317").unwrap(),
        };
        let code = Edrpou::parse(code).unwrap();
        store
            .create_organisation(code, ministry, &entry())
            .await
            .unwrap();
    }
    let base = common::serve(&store, false, None).await;
    Calls {
        initiator: token(
            &store,
            "hromada@example.org",
            "initiator",
            Some(COUNCIL),
            None,
        )
        .await,
        commission: token(
            &store,
            "mon@example.org",
            "commissionMember",
            Some(MINISTRY),
            None,
        )
        .await,
        other_commission: token(
            &store,
            "other@example.org",
            "commissionMember",
            Some(OTHER_MINISTRY),
            None,
        )
        .await,
        reviewer: token(
            &store,
            "oda@example.org",
            "oblastReviewer",
            None,
            Some(KHARKIV),
        )
        .await,
        base,
        store,
        _db: db,
    }
}

/// An appraised school project of the council, at `katottg`, serving `people`.
async fn appraised_project(store: &dream_store::Store, katottg: &str, people: u32) -> String {
    let mut content = sample_project();
    content["statusDetails"] = "appraised".into();
    content["locations"][0]["katottg"] = katottg.into();
    content["metrics"][0]["target"] = people.into();
    let content = dream_domain::validation::from_json(content).unwrap();
    let project = store.create_project(content, &entry()).await.unwrap();
    project.id.to_string()
}

/// A call of the ministry for schools of Kharkiv oblast, open from `opens` for 30 days.
fn school_call(id: &str, opens: time::OffsetDateTime) -> Value {
    let closes = opens + time::Duration::days(30);
    json!({
        "id": id,
        "ministry": MINISTRY,
        "title": {"uk": "Безпечні школи", "en": "Safe schools"},
        "opens": dream_domain::timestamp::format(opens),
        "closes": dream_domain::timestamp::format(closes),
        "eligibleOblasts": [KHARKIV],
        "eligibleSectors": ["education"],
        "formula": {"criteria": [
            {"weight": 40, "criterion": {"kind": "oblastRisk"}},
            {"weight": 60, "criterion": {"kind": "peopleServed", "fullScoreAt": 1000}}
        ]},
        "oblastRisks": [{"oblast": KHARKIV, "level": 5}]
    })
}

impl Calls {
    async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v1{path}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    async fn get(&self, path: &str) -> Value {
        let response = reqwest::get(format!("{}/api/v1{path}", self.base))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.json().await.unwrap()
    }

    async fn stage_of(&self, project: &str) -> String {
        let id = ProjectId::parse(project).unwrap();
        let (project, _) = self.store.project(&id).await.unwrap();
        project.content.status_details.to_string()
    }
}

fn opened_yesterday() -> time::OffsetDateTime {
    dream_store::now() - time::Duration::days(1)
}

#[tokio::test]
async fn only_the_ministrys_commission_opens_its_call_and_a_bad_call_is_named() {
    let calls = calls("calls_open").await;
    let call = school_call("safe-schools-2026", opened_yesterday());

    let (status, _) = calls.post(&calls.initiator, "/calls", call.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = calls
        .post(&calls.other_commission, "/calls", call.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains(MINISTRY),
        "{body}"
    );

    let mut lopsided = call.clone();
    lopsided["formula"]["criteria"][0]["weight"] = 50.into();
    let (status, body) = calls.post(&calls.commission, "/calls", lopsided).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut backwards = call.clone();
    backwards["closes"] = backwards["opens"].clone();
    let (status, body) = calls.post(&calls.commission, "/calls", backwards).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "closes", "{body}");
    let mut spaced = call.clone();
    spaced["id"] = "Safe Schools".into();
    let (status, body) = calls.post(&calls.commission, "/calls", spaced).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "id", "{body}");

    let (status, body) = calls.post(&calls.commission, "/calls", call.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["state"], "open");
    let (status, _) = calls.post(&calls.commission, "/calls", call).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let listed = calls.get("/calls").await;
    assert_eq!(listed["items"][0]["id"], "safe-schools-2026");
    assert_eq!(listed["items"][0]["applications"], 0);
}

#[tokio::test]
async fn the_route_reaches_implementation_only_through_a_call_and_its_commission() {
    let calls = calls("calls_route").await;
    let call = school_call("safe-schools-2026", opened_yesterday());
    calls.post(&calls.commission, "/calls", call).await;
    let small = appraised_project(&calls.store, "UA63120270000028556", 200).await;
    let large = appraised_project(&calls.store, "UA63120270000028556", 900).await;
    let lviv = appraised_project(&calls.store, "UA46060250000025047", 900).await;

    // A bare step cannot stand in for an application or a decision.
    let bare = json!({"step": {"action": "applyToCall", "ministry": MINISTRY}});
    let (status, body) = calls
        .post(&calls.initiator, &format!("/projects/{small}/steps"), bare)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("applications")
    );

    let applications = "/calls/safe-schools-2026/applications";
    let (status, _) = calls
        .post(&calls.reviewer, applications, json!({"project": small}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the initiator applies");
    for project in [&small, &large] {
        let (status, body) = calls
            .post(&calls.initiator, applications, json!({"project": project}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["statusDetails"], "applied");
    }
    let (status, _) = calls
        .post(&calls.initiator, applications, json!({"project": large}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a double submit makes one application"
    );
    let (status, body) = calls
        .post(&calls.initiator, applications, json!({"project": lviv}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "locations", "{body}");
    assert_eq!(calls.stage_of(&lviv).await, "appraised");

    // The ranking is public: the larger school first, each score with its inputs.
    let results = calls.get("/calls/safe-schools-2026").await;
    let ranking = results["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 2);
    assert_eq!(ranking[0]["project"], large.as_str());
    assert_eq!(ranking[0]["position"], 1);
    let parts = &ranking[0]["score"]["parts"];
    assert_eq!(parts[0]["input"], 5.0);
    assert_eq!(parts[1]["input"], 900.0);
    assert_eq!(ranking[0]["score"]["total"], 40.0 + 54.0);
    assert_eq!(ranking[1]["score"]["total"], 40.0 + 12.0);
    let listed = calls.get("/calls").await;
    assert_eq!(listed["items"][0]["applications"], 2, "{listed}");

    // Approving the second while passing over the first needs a recorded reason.
    let decisions = "/calls/safe-schools-2026/decisions";
    let approve_small = json!({"decisions": [{"project": small, "verdict": "approve"}]});
    let (status, body) = calls
        .post(&calls.commission, decisions, approve_small.clone())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&large),
        "{body}"
    );
    let (status, _) = calls
        .post(
            &calls.other_commission,
            decisions,
            json!({"decisions": [
                {"project": large, "verdict": "approve"}
            ]}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another ministry's commission"
    );
    assert_eq!(calls.stage_of(&small).await, "applied");

    let (status, body) = calls
        .post(
            &calls.commission,
            decisions,
            json!({"decisions": [
                {"project": large, "verdict": "refuse",
                 "reason": {"uk": "Кошторис не відповідає проєкту"}},
                {"project": small, "verdict": "approve",
                 "reason": {"uk": "Готова проєктна документація"}}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(calls.stage_of(&large).await, "refused");
    assert_eq!(calls.stage_of(&small).await, "approved");
    let (status, _) = calls
        .post(&calls.commission, decisions, approve_small)
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an application is decided once"
    );

    let results = calls.get("/calls/safe-schools-2026").await;
    assert_eq!(results["ranking"][0]["decision"]["verdict"], "refuse");
    assert_eq!(
        results["ranking"][1]["decision"]["reason"]["uk"],
        "Готова проєктна документація"
    );

    // The call's page shows the same ranking, each part of each score, and the reasons.
    let page = reqwest::get(format!("{}/calls/safe-schools-2026", calls.base))
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Рівень ризику області: 5 → 40,00"),
        "the oblast risk part"
    );
    assert!(
        page.contains("Кількість споживачів: 900 → 54,00"),
        "the people served part"
    );
    assert!(page.contains("<strong>94,00</strong>"));
    assert!(page.contains("Готова проєктна документація"));
    assert!(page.contains("Кошторис не відповідає проєкту"));
    let english = reqwest::get(format!("{}/en/calls", calls.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("Safe schools"));
    assert!(english.contains("open for applications"));

    // The decision is a revision by the commission member, with its reason.
    let revisions = calls
        .store
        .revisions(Entity::Project, &small, None)
        .await
        .unwrap();
    let last = serde_json::to_value(revisions.last().unwrap()).unwrap();
    assert!(
        last["author"].as_str().unwrap().contains("ЄДРПОУ 37573335"),
        "{last}"
    );
    assert!(
        last["reason"]
            .as_str()
            .unwrap()
            .contains("Готова проєктна документація")
    );

    let start = json!({"step": {"action": "startImplementation"}});
    let (status, body) = calls
        .post(&calls.initiator, &format!("/projects/{small}/steps"), start)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["to"], "implementation");
}

#[tokio::test]
async fn a_call_outside_its_window_takes_no_application_and_says_when() {
    let calls = calls("calls_window").await;
    let later = dream_store::now() + time::Duration::days(10);
    calls
        .post(&calls.commission, "/calls", school_call("next-year", later))
        .await;
    let project = appraised_project(&calls.store, "UA63120270000028556", 500).await;

    let (status, body) = calls
        .post(
            &calls.initiator,
            "/calls/next-year/applications",
            json!({"project": project}),
        )
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "call");
    assert!(
        body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("opens")
    );
    assert_eq!(calls.stage_of(&project).await, "appraised");
    assert_eq!(calls.get("/calls/next-year").await["state"], "upcoming");
    let (status, _) = calls
        .post(
            &calls.initiator,
            "/calls/no-such-call/applications",
            json!({"project": project}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
