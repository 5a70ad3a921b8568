//! Bulk open-data files: published with their sums, listed on the `/data` page in both
//! languages and downloadable, on SQLite or PostgreSQL, from a local directory or from an
//! S3-compatible store; a new publication replaces the old one whole.

mod common;

use dream_files::{FileStore, Key, S3Settings};
use dream_opendata::bulk;
use dream_store::Store;
use dream_store::revisions::Change;
use dream_store::testing::{fresh_store, sample_project};
use sha2::{Digest, Sha256};

/// Adds `count` projects past the draft stages, so that they are open data.
async fn add_projects(store: &Store, count: usize) {
    let change = Change {
        author: "test".into(),
        reason: "entry".into(),
    };
    for _ in 0..count {
        let mut project = sample_project();
        project["statusDetails"] = "defined".into();
        let content = dream_domain::validation::from_json(project).unwrap();
        store.create_project(content, &change).await.unwrap();
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a reader of the `/data` page sees, whichever store the files are published in.
async fn published_files_are_listed_and_download_whole(store: &Store, files: &FileStore) {
    add_projects(store, 3).await;
    let manifest = bulk::publish(store, &common::publisher(), files)
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
    let read = bulk::read_manifest(files).await.unwrap();
    assert_eq!(read.as_ref(), Some(&manifest));

    let base = common::serve(store, false, Some(files)).await;

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

    let client = reqwest::Client::new();
    for file in &manifest.files {
        assert!(page.contains(&file.sha256));
        let response = reqwest::get(format!("{base}/data/files/{}", file.name))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", file.name);
        assert_eq!(response.content_length(), Some(file.bytes), "{}", file.name);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(etag, format!("\"{}\"", file.sha256));
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, file.bytes, "{}", file.name);
        assert_eq!(sha256(&bytes), file.sha256, "{}", file.name);

        let again = client
            .get(format!("{base}/data/files/{}", file.name))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "a client that has the file keeps it");
    }
    let csv = reqwest::get(format!("{base}/data/files/dream-projects.csv"))
        .await
        .unwrap();
    assert_eq!(
        csv.headers()["content-type"],
        "text/csv; charset=utf-8",
        "spreadsheet programs are told the encoding"
    );
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte order mark for spreadsheet programs"
    );
    assert_eq!(csv.lines().count(), 4, "a header and three projects");
    assert!(csv.contains("16000000.00"), "the need in hryvnias: {csv}");

    let url = format!("{base}/data/files/dream-projects.xlsx");
    let workbook = reqwest::get(url).await.unwrap().bytes().await.unwrap();
    assert!(workbook.starts_with(b"PK"), "an XLSX file is a ZIP archive");

    for name in [
        "..%2Fmanifest.json",
        "manifest.json",
        "dream-oc4ids.json.partial",
    ] {
        let outside = reqwest::get(format!("{base}/data/files/{name}"))
            .await
            .unwrap();
        assert_eq!(outside.status(), 404, "{name} is not a published file");
    }
}

/// Publishing again stores a new generation, points the manifest at it, and only then
/// deletes the old generation's files.
async fn a_new_publication_replaces_the_old_one_whole(store: &Store, files: &FileStore) {
    let first = bulk::publish(store, &common::publisher(), files)
        .await
        .unwrap();
    add_projects(store, 1).await;
    let second = bulk::publish(store, &common::publisher(), files)
        .await
        .unwrap();
    assert_ne!(first.generation, second.generation);
    assert!(
        second.generation.starts_with("open-data/"),
        "{}",
        second.generation
    );
    assert_eq!(
        bulk::read_manifest(files).await.unwrap(),
        Some(second.clone())
    );

    let stored: Vec<String> = files
        .list(&Key::new("open-data").unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.key.to_string())
        .collect();
    let mut expected: Vec<String> = second
        .files
        .iter()
        .map(|f| format!("{}/{}", second.generation, f.name))
        .collect();
    expected.push(bulk::MANIFEST.to_owned());
    expected.sort();
    assert_eq!(stored, expected, "the old generation is deleted");

    let base = common::serve(store, false, Some(files)).await;
    let csv = reqwest::get(format!("{base}/data/files/dream-projects.csv"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 1 + second.projects as usize);
}

#[tokio::test]
async fn files_published_in_a_local_directory_are_listed_and_download_whole() {
    let db = fresh_store("open_data").await;
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("files");
    let files = FileStore::open(location.to_str().unwrap(), &S3Settings::default()).unwrap();
    published_files_are_listed_and_download_whole(&db.store, &files).await;
    a_new_publication_replaces_the_old_one_whole(&db.store, &files).await;
}

#[tokio::test]
async fn files_published_in_s3_are_listed_and_download_whole() {
    let Some(files) = dream_files::testing::s3_store("s3_open_data", "dream").await else {
        return;
    };
    let db = fresh_store("open_data_s3").await;
    published_files_are_listed_and_download_whole(&db.store, &files).await;
    a_new_publication_replaces_the_old_one_whole(&db.store, &files).await;
}

#[tokio::test]
async fn without_a_publication_the_page_says_the_files_are_being_prepared() {
    let db = fresh_store("open_data_none").await;
    let dir = tempfile::tempdir().unwrap();
    let files = FileStore::local(dir.path()).unwrap();
    let base = common::serve(&db.store, false, Some(&files)).await;
    let page = reqwest::get(format!("{base}/en/data"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("The files are being prepared"), "{page}");
    let file = reqwest::get(format!("{base}/data/files/dream-projects.csv"))
        .await
        .unwrap();
    assert_eq!(file.status(), 404);
}

#[tokio::test]
async fn a_publication_that_finishes_after_a_newer_one_is_dropped() {
    let db = fresh_store("open_data_superseded").await;
    add_projects(&db.store, 1).await;
    let dir = tempfile::tempdir().unwrap();
    let files = FileStore::local(dir.path()).unwrap();
    let mut newer = bulk::publish(&db.store, &common::publisher(), &files)
        .await
        .unwrap();
    // Another run, started later, completed while this one was writing.
    newer.published = "2999-01-01T00:00:00.000000Z".into();
    let manifest = Key::new(bulk::MANIFEST).unwrap();
    files
        .put(&manifest, serde_json::to_vec(&newer).unwrap())
        .await
        .unwrap();

    let error = bulk::publish(&db.store, &common::publisher(), &files)
        .await
        .unwrap_err();
    assert!(
        matches!(error, bulk::PublishError::Superseded { .. }),
        "{error}"
    );
    assert_eq!(
        bulk::read_manifest(&files).await.unwrap(),
        Some(newer.clone())
    );
    let stored = files.list(&Key::new("open-data").unwrap()).await.unwrap();
    assert_eq!(
        stored.len(),
        newer.files.len() + 1,
        "the dropped run's files are deleted, the newer set is kept"
    );
}
