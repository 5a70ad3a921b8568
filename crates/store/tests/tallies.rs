//! The tallies the database keeps on every write (`DREAM_TEST_BACKEND` picks it): the totals
//! they give equal the totals counted over the projects themselves, after entries, edits
//! that move a project to another oblast, sector, stage or amount, withdrawals, and folds,
//! for every filter the tallies answer, and with folds running among concurrent writes.

use dream_domain::codelist::{Sector, Status, StatusDetails};
use dream_domain::policy::Visibility;
use dream_domain::validation::from_json;
use dream_domain::{Katottg, ProjectId};
use dream_store::Store;
use dream_store::projects::ProjectFilter;
use dream_store::revisions::Change;
use dream_store::testing::{fresh_store, sample_project};
use dream_store::totals::{Dimension, Group};
use serde_json::{Value, json};

const DIMENSIONS: [Dimension; 8] = [
    Dimension::Everything,
    Dimension::Sector,
    Dimension::Oblast,
    Dimension::Raion,
    Dimension::Hromada,
    Dimension::Status,
    Dimension::StatusDetails,
    Dimension::CreatedMonth,
];

const KHARKIV: &str = "UA63000000000041885";
const KHARKIV_RAION: &str = "UA63120000000091135";
const KHARKIV_HROMADA: &str = "UA63120270000028556";
const LVIV_HROMADA: &str = "UA46060250000025047";

fn change(reason: &str) -> Change {
    Change {
        author: "tester".into(),
        reason: reason.into(),
    }
}

/// The filters the tallies answer, each beside one that selects the same projects but
/// makes the store count them one by one (no project needs less than nothing).
fn filters() -> Vec<(String, ProjectFilter, ProjectFilter)> {
    let kharkiv = Katottg::parse(KHARKIV).unwrap();
    let tallied = [
        ("public", ProjectFilter::default()),
        (
            "everything",
            ProjectFilter {
                visibility: Visibility::Everything,
                ..Default::default()
            },
        ),
        (
            "Kharkiv oblast",
            ProjectFilter {
                oblast: Some(kharkiv.clone()),
                ..Default::default()
            },
        ),
        (
            "Kharkiv oblast, drafts too, at one stage",
            ProjectFilter {
                oblast: Some(kharkiv.clone()),
                status_details: Some(StatusDetails::Defined),
                visibility: Visibility::Everything,
                ..Default::default()
            },
        ),
        (
            "Kharkiv oblast, education",
            ProjectFilter {
                oblast: Some(kharkiv),
                sector: Some(Sector::Education),
                ..Default::default()
            },
        ),
        (
            "pending",
            ProjectFilter {
                status: Some(Status::Pending),
                ..Default::default()
            },
        ),
        (
            "one raion",
            ProjectFilter {
                raion: Some(Katottg::parse(KHARKIV_RAION).unwrap()),
                ..Default::default()
            },
        ),
        (
            "one hromada, drafts too",
            ProjectFilter {
                hromada: Some(Katottg::parse(KHARKIV_HROMADA).unwrap()),
                visibility: Visibility::Everything,
                ..Default::default()
            },
        ),
    ];
    tallied
        .into_iter()
        .map(|(name, filter)| {
            let counted = ProjectFilter {
                need_min: Some(i64::MIN),
                ..filter.clone()
            };
            (name.to_owned(), filter, counted)
        })
        .collect()
}

async fn assert_tallies_match_counts(store: &Store, moment: &str) {
    for (name, tallied, counted) in filters() {
        for dimension in DIMENSIONS {
            let from_tallies: Vec<Group> = store.project_groups(&tallied, dimension).await.unwrap();
            let from_projects = store.project_groups(&counted, dimension).await.unwrap();
            assert_eq!(
                from_tallies, from_projects,
                "{moment}: {name} by {dimension:?}"
            );
        }
    }
}

async fn enter(store: &Store, edit: impl FnOnce(&mut Value)) -> ProjectId {
    let mut project = sample_project();
    edit(&mut project);
    store
        .create_project(from_json(project).unwrap(), &change("entry"))
        .await
        .unwrap()
        .id
}

async fn patch(store: &Store, id: &ProjectId, patch: Value) {
    store
        .patch_project(id, &patch, None, &change("edit"))
        .await
        .unwrap();
}

#[tokio::test]
async fn tallied_totals_equal_the_totals_counted_over_the_projects_through_every_kind_of_change() {
    let db = fresh_store("tallies_match_counts").await;
    let store = &db.store;
    assert_tallies_match_counts(store, "empty").await;

    let school = enter(store, |_| {}).await;
    let bridge = enter(store, |p| {
        p["sector"] = json!("transport");
        p["locations"][0] = json!({"katottg": LVIV_HROMADA});
    })
    .await;
    let draft = enter(store, |p| p["statusDetails"] = json!("definition")).await;
    let _euro = enter(store, |p| {
        p["approaches"][0]["budget"][0]["amount"]["currency"] = json!("EUR");
        p["approaches"][0]["budget"][1]["amount"]["currency"] = json!("EUR");
        p["approaches"][0]["finance"][0]["amount"]["currency"] = json!("EUR");
    })
    .await;
    assert_tallies_match_counts(store, "after four entries").await;

    patch(
        store,
        &school,
        json!([{"op": "replace", "path": "/sector", "value": "health"}]),
    )
    .await;
    patch(
        store,
        &bridge,
        json!([{"op": "replace", "path": "/locations/0", "value": {"katottg": KHARKIV_HROMADA}}]),
    )
    .await;
    patch(
        store,
        &draft,
        json!([{"op": "replace", "path": "/statusDetails", "value": "defined"}]),
    )
    .await;
    patch(
        store,
        &school,
        json!([{"op": "replace", "path": "/approaches/0/budget/0/amount/amountMinor", "value": 7}]),
    )
    .await;
    patch(
        store,
        &school,
        json!([{"op": "replace", "path": "/title/uk", "value": "Ліцей №5"}]),
    )
    .await;
    assert_tallies_match_counts(store, "after edits").await;

    let folded = store.fold_tallies().await.unwrap();
    assert!(folded > 0, "the entries and edits were changes to fold");
    assert_tallies_match_counts(store, "after a fold").await;
    assert_eq!(
        store.fold_tallies().await.unwrap(),
        0,
        "nothing is folded twice"
    );

    store
        .withdraw_project(&bridge, &change("duplicate"))
        .await
        .unwrap();
    patch(
        store,
        &school,
        json!([{"op": "replace", "path": "/sector", "value": "education"}]),
    )
    .await;
    assert_tallies_match_counts(store, "after a withdrawal, before folding").await;
    store.fold_tallies().await.unwrap();
    assert_tallies_match_counts(store, "after folding again").await;
}

#[tokio::test]
async fn a_project_that_moves_away_leaves_no_empty_group_behind() {
    let db = fresh_store("tallies_no_empty_groups").await;
    let store = &db.store;
    let bridge = enter(store, |p| {
        p["locations"][0] = json!({"katottg": LVIV_HROMADA})
    })
    .await;
    store.fold_tallies().await.unwrap();
    patch(
        store,
        &bridge,
        json!([{"op": "replace", "path": "/locations/0", "value": {"katottg": KHARKIV_HROMADA}}]),
    )
    .await;
    for fold in [false, true] {
        if fold {
            store.fold_tallies().await.unwrap();
        }
        let oblasts = store
            .project_groups(&ProjectFilter::default(), Dimension::Oblast)
            .await
            .unwrap();
        let keys: Vec<Option<&str>> = oblasts.iter().map(|g| g.key.as_deref()).collect();
        assert_eq!(keys, [Some(KHARKIV)], "folded: {fold}");
    }
}

#[tokio::test]
async fn folds_running_while_projects_are_written_lose_no_change() {
    let db = fresh_store("tallies_folds_among_writes").await;
    let store = &db.store;
    let sectors = ["education", "health", "transport"];
    let writer = |sector: &'static str| async move {
        for n in 0..8 {
            let id = enter(store, |p| p["sector"] = json!(sector)).await;
            if n % 2 == 0 {
                patch(
                    store,
                    &id,
                    json!([{"op": "replace", "path": "/locations/0", "value": {"katottg": LVIV_HROMADA}}]),
                )
                .await;
            }
        }
    };
    let folder = async {
        let mut folded = 0;
        for _ in 0..20 {
            folded += store.fold_tallies().await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        folded
    };
    let ((), (), (), folded) = tokio::join!(
        writer(sectors[0]),
        writer(sectors[1]),
        writer(sectors[2]),
        folder
    );
    assert!(folded > 0, "some folds met changes");
    assert_tallies_match_counts(store, "right after the writes").await;
    store.fold_tallies().await.unwrap();
    assert_tallies_match_counts(store, "after the last fold").await;
    let everything = store
        .project_groups(&ProjectFilter::default(), Dimension::Everything)
        .await
        .unwrap();
    assert_eq!(everything.iter().map(|g| g.projects).sum::<i64>(), 24);
}
