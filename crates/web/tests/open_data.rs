//! Bulk open-data files: published with their sums, listed on the `/data` page in both
//! languages and downloadable, on SQLite or PostgreSQL.

mod common;

use dream_opendata::bulk;
use dream_store::revisions::Change;
use dream_store::testing::{fresh_store, sample_project};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn published_files_are_listed_with_their_sums_and_download_whole() {
    let db = fresh_store("open_data").await;
    let change = Change {
        author: "test".into(),
        reason: "entry".into(),
    };
    for _ in 0..3 {
        let content = dream_domain::validation::from_json(sample_project()).unwrap();
        db.store.create_project(content, &change).await.unwrap();
    }
    let dir = std::env::temp_dir().join(format!("dream-publish-{}", uuid::Uuid::new_v4().simple()));
    let manifest = bulk::publish(&db.store, &common::publisher(), &dir)
        .await
        .unwrap();
    assert_eq!(manifest.projects, 3);
    let names: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "dream-oc4ids.json",
            "dream-projects.csv",
            "dream-funding.csv",
            "dream-contracts.csv",
            "dream-projects.xlsx"
        ]
    );

    let base = common::serve(&db.store, false, Some(&dir)).await;

    let page = reqwest::get(format!("{base}/data"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Відкриті дані") && page.contains("Агенція відновлення (тест)"),
        "{page}"
    );
    let english = reqwest::get(format!("{base}/en/data"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("Funding lines of projects"), "{english}");

    for file in &manifest.files {
        assert!(page.contains(&file.sha256));
        let bytes = reqwest::get(format!("{base}/data/files/{}", file.name))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.len() as u64, file.bytes, "{}", file.name);
        let sum: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sum, file.sha256, "{}", file.name);
    }
    let csv = reqwest::get(format!("{base}/data/files/dream-projects.csv"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte order mark for spreadsheet programs"
    );
    assert_eq!(csv.lines().count(), 4, "a header and three projects");
    assert!(csv.contains("16000000.00"), "the need in hryvnias: {csv}");

    let url = format!("{base}/data/files/dream-projects.xlsx");
    let workbook = reqwest::get(url).await.unwrap().bytes().await.unwrap();
    assert!(workbook.starts_with(b"PK"), "an XLSX file is a ZIP archive");

    let outside = reqwest::get(format!("{base}/data/files/..%2Fmanifest.json"))
        .await
        .unwrap();
    assert_eq!(outside.status(), 404);
    std::fs::remove_dir_all(&dir).unwrap();
}
