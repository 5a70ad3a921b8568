//! Steps along a project's route over HTTP, on SQLite or PostgreSQL, each taken with the API
//! token of an account: who may take which step where, a double submit making one
//! transition, and every step a revision with its actor and reason.

mod common;

use common::{entry, register_council, token};
use dream_domain::Edrpou;
use dream_domain::text::Text;
use dream_store::revisions::Entity;
use dream_store::testing::{fresh_store, sample_project};
use reqwest::StatusCode;
use serde_json::{Value, json};

const KHARKIV: &str = "UA63000000000041885";
const LVIV: &str = "UA46000000000026241";

struct Route {
    base: String,
    project: String,
    store: dream_store::Store,
    _db: dream_store::testing::TestDb,
}

async fn route(name: &str) -> Route {
    let db = fresh_store(name).await;
    let change = entry();
    let kharkiv = Text::new("Харківська міська рада", "Kharkiv City Council");
    register_council(&db.store, &Edrpou::parse("04057287").unwrap(), kharkiv).await;
    let mut idea = sample_project();
    idea["statusDetails"] = "initiated".into();
    let content = dream_domain::validation::from_json(idea).unwrap();
    let project = db.store.create_project(content, &change).await.unwrap();
    let base = common::serve(&db.store, false, None).await;
    Route {
        base,
        project: project.id.to_string(),
        store: db.store.clone(),
        _db: db,
    }
}

impl Route {
    async fn step(&self, token: &str, step: Value) -> (StatusCode, Value) {
        let response = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/projects/{}/steps",
                self.base, self.project
            ))
            .bearer_auth(token)
            .json(&json!({"step": step}))
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }
}

#[tokio::test]
async fn a_project_goes_from_idea_to_appraisal_only_through_the_right_hands() {
    let route = route("steps_route").await;
    let store = &route.store;
    let initiator = token(
        store,
        "olena@kharkiv.example",
        "initiator",
        Some("04057287"),
        None,
    )
    .await;
    let kharkiv = token(
        store,
        "ivan@oblast.example",
        "oblastReviewer",
        None,
        Some(KHARKIV),
    )
    .await;
    let lviv = token(
        store,
        "taras@oblast.example",
        "oblastReviewer",
        None,
        Some(LVIV),
    )
    .await;

    let (status, _) = route
        .step(&kharkiv, json!({"action": "startAppraisal"}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an idea is not yet submitted for review"
    );

    let (status, moved) = route
        .step(&initiator, json!({"action": "submitForReview"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(
        (moved["from"].as_str(), moved["to"].as_str()),
        (Some("initiated"), Some("defined"))
    );
    let (status, again) = route
        .step(&initiator, json!({"action": "submitForReview"}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a double submit makes one transition: {again}"
    );

    let (status, refused) = route.step(&lviv, json!({"action": "startAppraisal"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("oblast"),
        "{refused}"
    );

    let (status, _) = route
        .step(&kharkiv, json!({"action": "startAppraisal"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let sheet = json!({
        "entries": [{"criterion": {"uk": "Готовність документації"}, "points": 8, "outOf": 10}],
        "conclusion": {"uk": "Проєкт готовий до фінансування"}
    });
    let (status, appraised) = route
        .step(&kharkiv, json!({"action": "appraise", "sheet": sheet}))
        .await;
    assert_eq!(status, StatusCode::OK, "{appraised}");
    assert_eq!(appraised["to"], "appraised");

    let (status, _) = route.step(&initiator, json!({"action": "edit"})).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an initiator cannot edit after submission"
    );

    let id = dream_domain::ProjectId::parse(&route.project).unwrap();
    let history = store
        .revisions(Entity::Project, id.as_str(), None)
        .await
        .unwrap();
    let steps: Vec<(&str, &str)> = history[1..]
        .iter()
        .map(|r| (r.author.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(steps.len(), 3);
    assert_eq!(
        steps[0].0, "olena (ЄДРПОУ 04057287)",
        "the person and whom they act for"
    );
    assert!(steps[2].1.contains("8 of 10 points"), "{steps:?}");
}

#[tokio::test]
async fn returning_a_project_needs_a_reason_and_a_stranger_gets_nothing() {
    let route = route("steps_reasons").await;
    let store = &route.store;
    let initiator = token(
        store,
        "olena@kharkiv.example",
        "initiator",
        Some("04057287"),
        None,
    )
    .await;
    let kharkiv = token(
        store,
        "ivan@oblast.example",
        "oblastReviewer",
        None,
        Some(KHARKIV),
    )
    .await;
    route
        .step(&initiator, json!({"action": "submitForReview"}))
        .await;

    let (status, _) = route
        .step(
            &kharkiv,
            json!({"action": "returnWithReasons", "reason": {"uk": " "}}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a blank reason is no reason"
    );
    let (status, moved) = route
        .step(
            &kharkiv,
            json!({"action": "returnWithReasons", "reason": {"uk": "Додайте кошторис"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["to"], "definition");

    let (status, _) = route
        .step("made-up-token", json!({"action": "submitForReview"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_draft_is_seen_by_its_initiator_and_its_oblast_and_by_nobody_else() {
    let route = route("steps_drafts").await;
    let store = &route.store;
    let initiator = token(
        store,
        "olena@kharkiv.example",
        "initiator",
        Some("04057287"),
        None,
    )
    .await;
    let kharkiv = token(
        store,
        "ivan@oblast.example",
        "oblastReviewer",
        None,
        Some(KHARKIV),
    )
    .await;
    let lviv = token(
        store,
        "taras@oblast.example",
        "oblastReviewer",
        None,
        Some(LVIV),
    )
    .await;
    let base = route.base.clone();
    let read = |path: String, token: Option<String>| {
        let url = format!("{base}{path}");
        async move { get_as(&url, token).await.status() }
    };
    let project = format!("/api/v1/projects/{}", route.project);
    let passport = format!("/projects/{}", route.project);
    let oc4ids = format!("/api/v1/oc4ids/projects/{}", route.project);

    for path in [&project, &passport, &oc4ids] {
        assert_eq!(
            read(path.clone(), None).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        read(project.clone(), Some(initiator.clone())).await,
        StatusCode::OK
    );
    assert_eq!(
        read(project.clone(), Some(kharkiv.clone())).await,
        StatusCode::OK
    );
    assert_eq!(
        read(project.clone(), Some(lviv.clone())).await,
        StatusCode::NOT_FOUND
    );

    let total = |token: Option<String>| {
        let url = format!("{base}/api/v1/projects");
        async move {
            let list: Value = get_as(&url, token).await.json().await.unwrap();
            list["total"].as_i64().unwrap()
        }
    };
    assert_eq!(total(None).await, 0, "the public lists no drafts");
    assert_eq!(total(Some(lviv)).await, 0, "nor does another oblast");
    assert_eq!(total(Some(initiator.clone())).await, 1);

    let (status, _) = route
        .step(&initiator, json!({"action": "submitForReview"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        read(passport, None).await,
        StatusCode::OK,
        "submitted, it is public"
    );
    assert_eq!(total(None).await, 1);
}

/// A GET as the holder of `token`, or as the public without one.
async fn get_as(url: &str, token: Option<String>) -> reqwest::Response {
    let request = reqwest::Client::new().get(url);
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_initiator_links_its_project_to_a_tender_and_a_stranger_may_not() {
    let route = route("steps_tenders").await;
    let store = &route.store;
    let initiator = token(
        store,
        "olena@kharkiv.example",
        "initiator",
        Some("04057287"),
        None,
    )
    .await;
    let other_community = Edrpou::from_prefix(4_057_222);
    let name = Text::new("Чугуївська міська рада", "Chuhuiv City Council");
    register_council(store, &other_community, name).await;
    let other_community = other_community.to_string();
    let stranger = token(
        store,
        "petro@lviv.example",
        "initiator",
        Some(&other_community),
        None,
    )
    .await;
    let link = |token: Option<String>, tender: &str| {
        let url = format!("{}/api/v1/projects/{}/tenders", route.base, route.project);
        let body = json!({"tender": tender});
        async move {
            let request = reqwest::Client::new().post(url).json(&body);
            let request = match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            };
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };

    let (status, _) = link(None, "UA-2024-05-14-001234-a").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = link(Some(stranger), "UA-2024-05-14-001234-a").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = link(Some(initiator.clone()), "UA-2024-5-14").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "tender", "{body}");

    let (status, body) = link(Some(initiator.clone()), "UA-2024-05-14-001234-a").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = link(Some(initiator), " UA-2024-05-14-001234-a ").await;
    assert_eq!((status, &body["new"]), (StatusCode::OK, &json!(false)));

    let (project, _) = store
        .project(&dream_domain::ProjectId::parse(&route.project).unwrap())
        .await
        .unwrap();
    let related: Vec<&str> = project
        .content
        .related_processes
        .iter()
        .map(|p| p.identifier.as_str())
        .collect();
    assert_eq!(related, ["UA-2024-05-14-001234-a"]);
    let history = store
        .revisions(Entity::Project, &route.project, None)
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert!(
        last.author.contains("ЄДРПОУ 04057287") && !last.author.contains('@'),
        "{}",
        last.author
    );
    assert!(
        last.reason.contains("UA-2024-05-14-001234-a"),
        "{}",
        last.reason
    );
}

/// Every account the table test acts as: its name, role, organisation and oblast.
const ACTORS: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("own-initiator", "initiator", Some("04057287"), None),
    ("other-initiator", "initiator", Some("04050012"), None),
    ("own-reviewer", "oblastReviewer", None, Some(KHARKIV)),
    ("other-reviewer", "oblastReviewer", None, Some(LVIV)),
    ("commission", "commissionMember", Some("37573335"), None),
    ("donor", "donor", Some("43000014"), None),
    ("administrator", "agencyAdministrator", None, None),
];

/// A step of each kind the steps endpoint takes, with what it needs.
fn every_step() -> Vec<Value> {
    let reason = json!({"uk": "Причина"});
    vec![
        json!({"action": "edit"}),
        json!({"action": "submitForReview"}),
        json!({"action": "returnWithReasons", "reason": reason}),
        json!({"action": "startAppraisal"}),
        json!({"action": "appraise", "sheet": {
            "entries": [{"criterion": {"uk": "Потреба"}, "points": 5, "outOf": 10}],
            "conclusion": reason,
        }}),
        json!({"action": "prepareFinancing"}),
        json!({"action": "completeFinancing"}),
        json!({"action": "startImplementation"}),
        json!({"action": "withdraw", "reason": reason}),
    ]
}

#[tokio::test]
async fn every_role_meets_every_step_at_every_stage_as_the_policy_says() {
    use dream_domain::policy::{Actor, ProjectFacts, RefusalKind};
    use dream_domain::workflow::{Step, transition};

    let db = fresh_store("steps_table").await;
    let store = db.store.clone();
    let kharkiv = Text::new("Харківська міська рада", "Kharkiv City Council");
    register_council(&store, &Edrpou::parse("04057287").unwrap(), kharkiv).await;
    for (code, kind) in [
        (
            "04050012",
            dream_domain::codelist::OrganisationKind::Hromada,
        ),
        (
            "37573335",
            dream_domain::codelist::OrganisationKind::Ministry,
        ),
        ("43000014", dream_domain::codelist::OrganisationKind::Donor),
    ] {
        let organisation = dream_domain::organisation::OrganisationContent {
            name: Text::new(code, code),
            kind,
            territory: dream_domain::Katottg::parse("UA80000000000093317").unwrap(),
        };
        store
            .create_organisation(Edrpou::parse(code).unwrap(), organisation, &entry())
            .await
            .unwrap();
    }
    let mut tokens = Vec::new();
    for (name, role, org, oblast) in ACTORS {
        let email = format!("{name}@example.org");
        let token = token(&store, &email, role, *org, *oblast).await;
        let org = || Edrpou::parse(org.unwrap()).unwrap();
        let actor = match *role {
            "initiator" => Actor::initiator(org(), name),
            "commissionMember" => Actor::commission_member(org(), name),
            "donor" => Actor::donor(org(), name),
            "oblastReviewer" => {
                Actor::oblast_reviewer(dream_domain::Katottg::parse(oblast.unwrap()).unwrap(), name)
            }
            _ => Actor::administrator(name),
        };
        tokens.push((name, token, actor));
    }
    let base = common::serve(&store, false, None).await;
    let http = reqwest::Client::new();

    let mut checked = 0;
    let mut seen = std::collections::HashMap::new();
    for stage in [
        "initiated",
        "definition",
        "defined",
        "appraisal",
        "appraised",
        "structuring",
        "approved",
    ] {
        for step in every_step() {
            for (name, token, actor) in &tokens {
                // A fresh project for each attempt, since an allowed step moves it.
                let mut content = sample_project();
                content["statusDetails"] = stage.into();
                let content = dream_domain::validation::from_json(content).unwrap();
                let project = store.create_project(content, &entry()).await.unwrap();
                let typed: Step = serde_json::from_value(step.clone()).unwrap();
                let expected = match transition(actor, &typed, &ProjectFacts::of(&project, None)) {
                    Ok(_) => StatusCode::OK,
                    Err(refusal) => match refusal.kind {
                        RefusalKind::WrongStage | RefusalKind::Withdrawn => StatusCode::CONFLICT,
                        _ => StatusCode::FORBIDDEN,
                    },
                };
                let response = http
                    .post(format!("{base}/api/v1/projects/{}/steps", project.id))
                    .bearer_auth(token)
                    .json(&json!({"step": step}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(
                    response.status(),
                    expected,
                    "{name} taking {} at {stage}",
                    step["action"]
                );
                *seen.entry(expected).or_insert(0) += 1;
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 7 * 9 * ACTORS.len());
    // The table meets every answer often: steps allowed, refused to the person, and
    // refused for the stage.
    for status in [StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::CONFLICT] {
        assert!(seen.get(&status).copied().unwrap_or(0) >= 20, "{seen:?}");
    }

    // Without a token nothing moves.
    let mut content = sample_project();
    content["statusDetails"] = "initiated".into();
    let content = dream_domain::validation::from_json(content).unwrap();
    let project = store.create_project(content, &entry()).await.unwrap();
    let response = http
        .post(format!("{base}/api/v1/projects/{}/steps", project.id))
        .json(&json!({"step": {"action": "submitForReview"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
