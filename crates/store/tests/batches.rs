//! Many project changes in one transaction, against a real database (`DREAM_TEST_BACKEND`
//! picks it): each change is written only while its project is at the revision it was
//! planned on, and one that cannot be written is handed back with the reason, never
//! dropped or written over a newer state.

use dream_domain::ProjectId;
use dream_domain::project::Project;
use dream_domain::validation::from_json;
use dream_store::StoreError;
use dream_store::projects::{PatchOutcome, PlannedPatch, ProjectFilter, ProjectSort};
use dream_store::revisions::{Change, Entity};
use dream_store::testing::{fresh_store, sample_project};
use serde_json::json;

fn change(author: &str, reason: &str) -> Change {
    Change {
        author: author.into(),
        reason: reason.into(),
    }
}

fn planned(current: &(Project, u32), patch: serde_json::Value, reason: &str) -> PlannedPatch {
    PlannedPatch {
        current: current.0.clone(),
        revision: current.1,
        patch,
        change: change("Prozorro (sync)", reason),
    }
}

#[tokio::test]
async fn a_page_of_patches_writes_each_project_that_is_still_as_read_and_hands_back_the_rest() {
    let db = fresh_store("batch_patches").await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        let content = from_json(sample_project()).unwrap();
        let project = db
            .store
            .create_project(content, &change("Олена", "entry"))
            .await
            .unwrap();
        ids.push(project.id);
    }
    let missing = ProjectId::new(time::OffsetDateTime::now_utc().date(), 999_999);
    let mut asked = ids.clone();
    asked.push(missing);
    let read = db.store.projects_by_id(&asked).await.unwrap();
    assert_eq!(read.len(), 4, "a missing project is left out");
    let read: Vec<(Project, u32)> = ids
        .iter()
        .map(|id| read.iter().find(|(p, _)| &p.id == id).unwrap().clone())
        .collect();

    // Someone edits the second project after the page was read.
    let theirs = json!([{"op": "replace", "path": "/title/uk", "value": "Їхня назва"}]);
    db.store
        .patch_project(&ids[1], &theirs, Some(1), &change("Олена", "renamed"))
        .await
        .unwrap();
    let version_before = db.store.registry_version().await.unwrap();

    let rename = json!([{"op": "replace", "path": "/title/uk", "value": "Водогін Зоряне"}]);
    let unknown_place = json!([
        {"op": "replace", "path": "/locations/0/katottg", "value": "UA99999999999999999"}
    ]);
    let patches = vec![
        planned(&read[0], rename.clone(), "first"),
        planned(&read[1], rename, "stale"),
        planned(&read[2], unknown_place, "nowhere"),
        planned(&read[3], json!([]), "nothing"),
    ];
    let outcomes = db.store.patch_projects(&patches).await.unwrap();

    let [written, moved, refused, unchanged] = &outcomes[..] else {
        panic!("one outcome per patch: {outcomes:?}")
    };
    let PatchOutcome::Written(first) = written else {
        panic!("the first project is written: {written:?}")
    };
    assert_eq!(first.content.title.uk, "Водогін Зоряне");
    assert!(
        matches!(moved, PatchOutcome::NotWritten(StoreError::Conflict(_))),
        "{moved:?}"
    );
    let PatchOutcome::NotWritten(StoreError::Invalid(errors)) = refused else {
        panic!("a project in no known place is refused: {refused:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["locations[0].katottg"]);
    assert!(
        matches!(unchanged, PatchOutcome::Unchanged),
        "{unchanged:?}"
    );

    let (stored, revision) = db.store.project(&ids[0]).await.unwrap();
    assert_eq!((&stored, revision), (&**first, 2));
    let (_, state) = db
        .store
        .state_at(Entity::Project, ids[0].as_str(), 2)
        .await
        .unwrap();
    assert_eq!(state, serde_json::to_value(&stored).unwrap());
    let history = db
        .store
        .revisions(Entity::Project, ids[0].as_str(), None)
        .await
        .unwrap();
    assert_eq!(history[1].author, "Prozorro (sync)");
    assert_eq!(history[1].reason, "first");

    let (kept, revision) = db.store.project(&ids[1]).await.unwrap();
    assert_eq!(revision, 2, "the newer change is not written over");
    assert_eq!(kept.content.title.uk, "Їхня назва");
    for id in &ids[2..] {
        assert_eq!(db.store.project(id).await.unwrap().1, 1);
    }
    assert!(db.store.registry_version().await.unwrap() > version_before);

    let filter = ProjectFilter {
        text: Some("Зоряне".into()),
        visibility: dream_domain::policy::Visibility::Everything,
        ..ProjectFilter::default()
    };
    let found = db
        .store
        .list_projects(&filter, ProjectSort::default(), 0, 10)
        .await
        .unwrap();
    let found: Vec<&str> = found.items.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(found, [ids[0].as_str()], "the search finds the new title");
}
