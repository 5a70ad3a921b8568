//! The registry against a real database: run with `DREAM_TEST_BACKEND=postgres` to check
//! PostgreSQL, SQLite otherwise. Each test gets a fresh database.

use dream_domain::codelist::{Sector, Status};
use dream_domain::organisation::OrganisationContent;
use dream_domain::project::ProjectContent;
use dream_domain::validation::from_json;
use dream_domain::{Edrpou, Katottg};
use dream_store::StoreError;
use dream_store::projects::{ProjectFilter, ProjectSort};
use dream_store::revisions::{Change, Entity};
use dream_store::testing::{fresh_store, sample_project};
use serde_json::json;

fn change(reason: &str) -> Change {
    Change {
        author: "tester".into(),
        reason: reason.into(),
    }
}

fn content(value: serde_json::Value) -> ProjectContent {
    from_json(value).unwrap()
}

#[tokio::test]
async fn a_new_project_is_placed_in_its_oblast_and_gets_revision_one() {
    let db = fresh_store("new_project").await;
    let project = db
        .store
        .create_project(content(sample_project()), &change("first entry"))
        .await
        .unwrap();

    let (stored, revision) = db.store.project(&project.id).await.unwrap();
    assert_eq!(stored, project);
    assert_eq!(revision, 1);
    let history = db
        .store
        .revisions(Entity::Project, project.id.as_str(), None)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].author.as_str(), history[0].reason.as_str()),
        ("tester", "first entry")
    );

    let kharkiv = Katottg::parse("UA63000000000041885").unwrap();
    let filter = ProjectFilter {
        oblast: Some(kharkiv),
        ..Default::default()
    };
    let page = db
        .store
        .list_projects(&filter, ProjectSort::default(), 0, 20)
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let summary = &page.items[0];
    assert_eq!(summary.oblast_name.as_deref(), Some("Харківська"));
    assert_eq!(summary.need_minor, 1_600_000_000);
    assert_eq!(summary.secured_minor, 400_000_000);
    assert_eq!(summary.initiator, "04057287");
}

#[tokio::test]
async fn many_projects_are_read_together_in_the_order_asked_and_a_missing_one_is_named() {
    let db = fresh_store("projects_together").await;
    let mut created = Vec::new();
    for title in ["Ліцей №5", "Амбулаторія", "Міст через Лопань"] {
        let mut project = sample_project();
        project["title"]["uk"] = title.into();
        let project = db
            .store
            .create_project(content(project), &change("entry"))
            .await
            .unwrap();
        created.push(project);
    }
    let asked = [
        created[2].id.clone(),
        created[0].id.clone(),
        created[2].id.clone(),
    ];
    let read = db.store.projects(&asked).await.unwrap();
    let titles: Vec<&str> = read.iter().map(|p| p.content.title.uk.as_str()).collect();
    assert_eq!(
        titles,
        ["Міст через Лопань", "Ліцей №5", "Міст через Лопань"]
    );
    assert!(db.store.projects(&[]).await.unwrap().is_empty());

    let missing = dream_domain::ProjectId::parse("DREAM-UA-030524-EE48E08C").unwrap();
    let error = db
        .store
        .projects(&[created[1].id.clone(), missing])
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::NotFound { id, .. } if id == "DREAM-UA-030524-EE48E08C"),
        "{error}"
    );
}

#[tokio::test]
async fn every_past_state_of_a_project_reads_back_exactly() {
    let db = fresh_store("past_states").await;
    let created = db
        .store
        .create_project(content(sample_project()), &change("entered"))
        .await
        .unwrap();
    let patch = json!([
        {"op": "replace", "path": "/title/en", "value": "Lyceum No. 5: roof and windows"},
        {"op": "replace", "path": "/statusDetails", "value": "definition"}
    ]);
    let second = db
        .store
        .patch_project(&created.id, &patch, Some(1), &change("clarified"))
        .await
        .unwrap();
    let patch = json!([{"op": "remove", "path": "/approaches/0/finance/0"}]);
    let third = db
        .store
        .patch_project(&created.id, &patch, Some(2), &change("funding withdrawn"))
        .await
        .unwrap();

    for (number, expected) in [(1u32, &created), (2, &second), (3, &third)] {
        let (revision, state) = db
            .store
            .state_at(Entity::Project, created.id.as_str(), number)
            .await
            .unwrap();
        assert_eq!(revision.number, number);
        assert_eq!(
            state,
            serde_json::to_value(expected).unwrap(),
            "state after revision {number}"
        );
    }
    let (current, _) = db.store.project(&created.id).await.unwrap();
    assert_eq!(current, third);
    assert_eq!(third.content.funding().secured.amount_minor, 0);
}

#[tokio::test]
async fn a_project_in_an_unknown_territory_is_refused_and_nothing_is_written() {
    let db = fresh_store("unknown_territory").await;
    let mut project = sample_project();
    project["locations"][0]["katottg"] = json!("UA99999999999999999");
    project["parties"][0]["roles"] = json!(["balancer"]);

    let error = db
        .store
        .create_project(content(project), &change("entry"))
        .await
        .unwrap_err();
    let StoreError::Invalid(errors) = error else {
        panic!("expected invalid input, got {error}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["parties", "locations[0].katottg"]);
    assert_eq!(db.store.count_projects().await.unwrap(), 0);
}

#[tokio::test]
async fn a_change_made_against_an_old_revision_is_refused() {
    let db = fresh_store("old_revision").await;
    let project = db
        .store
        .create_project(content(sample_project()), &change("entered"))
        .await
        .unwrap();
    let patch = json!([{"op": "replace", "path": "/statusDetails", "value": "definition"}]);
    db.store
        .patch_project(&project.id, &patch, Some(1), &change("first"))
        .await
        .unwrap();

    let patch = json!([{"op": "replace", "path": "/statusDetails", "value": "defined"}]);
    let error = db
        .store
        .patch_project(&project.id, &patch, Some(1), &change("stale"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Conflict(_)), "{error}");
    let history = db
        .store
        .revisions(Entity::Project, project.id.as_str(), None)
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
}

#[tokio::test]
async fn a_withdrawn_project_keeps_its_history_and_shows_cancelled() {
    let db = fresh_store("withdrawn").await;
    let project = db
        .store
        .create_project(content(sample_project()), &change("entered"))
        .await
        .unwrap();
    let withdrawn = db
        .store
        .withdraw_project(&project.id, &change("duplicate entry"))
        .await
        .unwrap();
    assert_eq!(withdrawn.status, Status::Cancelled);

    let patch = json!([{"op": "replace", "path": "/statusDetails", "value": "definition"}]);
    let edited = db
        .store
        .patch_project(&project.id, &patch, None, &change("typo"))
        .await
        .unwrap();
    assert_eq!(
        edited.status,
        Status::Cancelled,
        "editing does not revive a withdrawn project"
    );
    let history = db
        .store
        .revisions(Entity::Project, project.id.as_str(), None)
        .await
        .unwrap();
    let reasons: Vec<&str> = history.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons, ["entered", "duplicate entry", "typo"]);
}

#[tokio::test]
async fn lists_filter_by_sector_and_find_words_in_either_language() {
    let db = fresh_store("search").await;
    let school = db
        .store
        .create_project(content(sample_project()), &change("a"))
        .await
        .unwrap();
    let mut bridge = sample_project();
    bridge["title"] =
        json!({"uk": "Відбудова мосту через річку Уди", "en": "Rebuilding the Udy river bridge"});
    bridge["description"] =
        json!({"uk": "Новий проліт замість зруйнованого.", "en": "A new span."});
    bridge["sector"] = json!("transport");
    bridge["subsector"] = json!("transport.road");
    bridge["locations"][0]["katottg"] = json!("UA46060250000025047");
    let bridge = db
        .store
        .create_project(content(bridge), &change("b"))
        .await
        .unwrap();

    let find = |filter: ProjectFilter| {
        let store = db.store.clone();
        async move {
            let page = store
                .list_projects(&filter, ProjectSort::NeedDesc, 0, 10)
                .await
                .unwrap();
            page.items.into_iter().map(|p| p.id).collect::<Vec<_>>()
        }
    };
    let road = ProjectFilter {
        sector: Some(Sector::TransportRoad),
        ..Default::default()
    };
    assert_eq!(find(road).await, [bridge.id.to_string()]);
    let education = ProjectFilter {
        sector: Some(Sector::Education),
        ..Default::default()
    };
    assert_eq!(find(education).await, [school.id.to_string()]);
    let uk = ProjectFilter {
        text: Some("мост".into()),
        ..Default::default()
    };
    assert_eq!(find(uk).await, [bridge.id.to_string()]);
    let en = ProjectFilter {
        text: Some("LYCEUM roof".into()),
        ..Default::default()
    };
    assert_eq!(find(en).await, [school.id.to_string()]);
    let none = ProjectFilter {
        text: Some("\"OR\" *".into()),
        ..Default::default()
    };
    assert!(find(none).await.is_empty());
}

#[tokio::test]
async fn an_oblast_lists_its_raions_and_a_hromada_knows_its_chain() {
    let db = fresh_store("territories").await;
    let kharkiv = Katottg::parse("UA63000000000041885").unwrap();
    let raions = db.store.territory_children(&kharkiv).await.unwrap();
    assert_eq!(raions.len(), 7);
    let hromada = db
        .store
        .territory(&Katottg::parse("UA63120270000028556").unwrap())
        .await
        .unwrap();
    assert_eq!(hromada.oblast, kharkiv);
    assert_eq!(hromada.raion.unwrap().as_str(), "UA63120000000091135");
    assert_eq!(db.store.oblasts().await.unwrap().len(), 27);
}

#[tokio::test]
async fn organisations_keep_every_version() {
    let db = fresh_store("organisations").await;
    let id = Edrpou::parse("04057287").unwrap();
    let content: OrganisationContent = from_json(json!({
        "name": {"uk": "Харківська міська рада"},
        "kind": "hromada",
        "territory": "UA63120270000028556"
    }))
    .unwrap();
    db.store
        .create_organisation(id.clone(), content.clone(), &change("registered"))
        .await
        .unwrap();
    let again = db
        .store
        .create_organisation(id.clone(), content, &change("twice"))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));

    let patch = json!([{"op": "add", "path": "/name/en", "value": "Kharkiv City Council"}]);
    db.store
        .patch_organisation(&id, &patch, Some(1), &change("English name"))
        .await
        .unwrap();
    let (_, first) = db
        .store
        .state_at(Entity::Organisation, id.as_str(), 1)
        .await
        .unwrap();
    assert!(first["name"].get("en").is_none());
    let (_, second) = db
        .store
        .state_at(Entity::Organisation, id.as_str(), 2)
        .await
        .unwrap();
    assert_eq!(second["name"]["en"], "Kharkiv City Council");
}

#[tokio::test]
async fn lists_keep_their_order_and_pages_do_not_overlap() {
    let db = fresh_store("order").await;
    let mut ids_by_need = Vec::new();
    for amount in [300_000_000_i64, 100_000_000, 200_000_000] {
        let mut project = sample_project();
        project["approaches"][0]["budget"] = json!([{
            "id": "b1", "amount": {"amountMinor": amount, "currency": "UAH"},
            "costItem": "construction", "costType": "capex", "budgetType": "original"
        }]);
        let created = db
            .store
            .create_project(content(project), &change("entry"))
            .await
            .unwrap();
        ids_by_need.push((amount, created.id.to_string()));
    }
    ids_by_need.sort();
    let ascending: Vec<String> = ids_by_need.iter().map(|(_, id)| id.clone()).collect();

    let all = ProjectFilter::default();
    let page = db
        .store
        .list_projects(&all, ProjectSort::NeedAsc, 0, 10)
        .await
        .unwrap();
    let ids: Vec<String> = page.items.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, ascending);
    let first = db
        .store
        .list_projects(&all, ProjectSort::NeedDesc, 0, 2)
        .await
        .unwrap();
    let second = db
        .store
        .list_projects(&all, ProjectSort::NeedDesc, 2, 2)
        .await
        .unwrap();
    let ids: Vec<String> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|p| p.id.clone())
        .collect();
    let descending: Vec<String> = ascending.iter().rev().cloned().collect();
    assert_eq!(ids, descending);
    assert_eq!((first.total, second.total), (3, 3));
    let beyond = db
        .store
        .list_projects(&all, ProjectSort::NeedDesc, 100, 2)
        .await
        .unwrap();
    assert_eq!((beyond.total, beyond.items.len()), (3, 0));
}

#[tokio::test]
async fn every_project_can_be_walked_in_pages() {
    let db = fresh_store("walk").await;
    let mut created = Vec::new();
    for _ in 0..5 {
        let project = db
            .store
            .create_project(content(sample_project()), &change("e"))
            .await
            .unwrap();
        created.push(project.id.to_string());
    }
    created.sort();
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page = db.store.project_documents_after(&after, 2).await.unwrap();
        let Some((last, _)) = page.last() else { break };
        after = last.clone();
        seen.extend(page.into_iter().map(|(id, _)| id));
    }
    assert_eq!(seen, created);
}

#[tokio::test]
async fn concurrent_changes_each_become_one_revision() {
    let db = fresh_store("concurrent").await;
    let project = db
        .store
        .create_project(content(sample_project()), &change("entered"))
        .await
        .unwrap();
    let writers: Vec<_> = (0..4)
        .map(|n| {
            let store = db.store.clone();
            let id = project.id.clone();
            tokio::spawn(async move {
                let metric = json!({"id": format!("extra{n}"), "characteristic": "other",
                                    "baseline": n, "target": n + 1});
                let patch = json!([{"op": "add", "path": "/metrics/-", "value": metric}]);
                store
                    .patch_project(&id, &patch, None, &change(&format!("writer {n}")))
                    .await
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    let (current, revision) = db.store.project(&project.id).await.unwrap();
    assert_eq!(revision, 5);
    assert_eq!(current.content.metrics.len(), 5);
    let history = db
        .store
        .revisions(Entity::Project, project.id.as_str(), None)
        .await
        .unwrap();
    let numbers: Vec<u32> = history.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_batch_with_one_bad_project_writes_none_of_them() {
    let db = fresh_store("atomic_batch").await;
    let first = db
        .store
        .create_project(content(sample_project()), &change("entered"))
        .await
        .unwrap();
    let place = db.store.check_project(&first.content).await.unwrap();
    let mut copy = first.clone();
    copy.content.title.uk = "Інший проєкт".into();
    let fresh = dream_domain::project::Project {
        id: dream_domain::ProjectId::parse("DREAM-UA-010124-0000ABCD").unwrap(),
        ..first.clone()
    };
    let batch = vec![
        dream_store::projects::NewProject {
            project: fresh,
            place: place.clone(),
        },
        dream_store::projects::NewProject {
            project: copy,
            place,
        },
    ];
    let error = db
        .store
        .insert_projects(batch, &change("import"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");
    assert_eq!(db.store.count_projects().await.unwrap(), 1);
}

#[tokio::test]
async fn rows_of_an_older_version_get_their_portal_columns_from_the_document() {
    let db = fresh_store("reindex").await;
    let mut project = sample_project();
    project["contractingProcesses"] = json!([{
        "tenderId": "UA-2024-05-23-000123-a",
        "status": "implementation",
        "title": {"uk": "Ремонт покрівлі"},
        "contractValue": {"amountMinor": 250_000 * 100, "currency": "UAH"},
        "suppliers": []
    }]);
    let created = db
        .store
        .create_project(content(project), &change("entry"))
        .await
        .unwrap();
    let contracts = ProjectFilter {
        has_contracts: Some(true),
        ..Default::default()
    };
    let found = |filter: ProjectFilter| {
        let store = db.store.clone();
        async move {
            store
                .list_projects(&filter, ProjectSort::default(), 0, 5)
                .await
                .unwrap()
                .total
        }
    };
    assert_eq!(found(contracts.clone()).await, 1);

    db.execute(
        "UPDATE projects SET contracts = 0, contracted_minor = 0, finance_sources = '', \
         indexed_version = 1",
    )
    .await;
    assert_eq!(
        found(contracts.clone()).await,
        0,
        "the row now looks as an older version left it"
    );

    assert_eq!(db.store.reindex_projects().await.unwrap(), 1);
    assert_eq!(found(contracts).await, 1);
    let groups = db
        .store
        .project_groups(
            &ProjectFilter::default(),
            dream_store::totals::Dimension::Everything,
        )
        .await
        .unwrap();
    assert_eq!(groups[0].contracted_minor, 250_000 * 100);
    assert_eq!(groups[0].projects, 1);
    assert_eq!(
        db.store.reindex_projects().await.unwrap(),
        0,
        "{}",
        created.id
    );
}
