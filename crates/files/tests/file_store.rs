//! The file store does the same on a local directory and on an S3-compatible server:
//! storing, reading, listing and deleting, and a big file streamed both ways. The S3 half
//! runs when `DREAM_TEST_S3_URL` names a test server (`scripts/test` starts one).

use dream_files::{FileError, FileStore, Key, S3Settings};
use futures_util::StreamExt;

fn key(text: &str) -> Key {
    Key::new(text).unwrap()
}

/// Bytes that differ from place to place, so that a part sent twice or out of order shows.
fn pattern(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

async fn read_all(store: &FileStore, key: &Key) -> (Vec<u8>, usize) {
    let mut download = store.get(key).await.unwrap();
    let mut bytes = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = download.body.next().await {
        bytes.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(download.info.bytes, bytes.len() as u64, "{key}");
    (bytes, chunks)
}

/// Everything a store must do, the same on every kind of store.
async fn files_are_stored_read_listed_and_deleted(store: &FileStore) {
    let small = key("open-data/g1/dream-projects.csv");
    store.put(&small, "id,title\n1,Школа\n").await.unwrap();
    let (bytes, _) = read_all(store, &small).await;
    assert_eq!(bytes, "id,title\n1,Школа\n".as_bytes());
    let info = store.head(&small).await.unwrap();
    assert_eq!(info.bytes, bytes.len() as u64);
    let age = time::OffsetDateTime::now_utc() - info.last_modified;
    assert!(
        age.whole_minutes().abs() < 10,
        "last modified {}",
        info.last_modified
    );

    store.put(&small, "id,title\n").await.unwrap();
    assert_eq!(store.get_bytes(&small).await.unwrap(), "id,title\n");

    // Bigger than three parts, and not a whole number of them.
    let big = key("open-data/g1/dream-projects.xlsx");
    let content = pattern(3 * 8 * 1024 * 1024 + 12_345);
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("dream-projects.xlsx");
    std::fs::write(&source, &content).unwrap();
    let sent = store.put_file(&big, &source).await.unwrap();
    assert_eq!(sent, content.len() as u64);
    let (bytes, chunks) = read_all(store, &big).await;
    assert!(bytes == content, "the big file came back different");
    assert!(
        chunks > 1,
        "the big file arrived in one piece, not streamed"
    );

    let other = key("open-data/g2/dream-oc4ids.json");
    store.put(&other, "{}").await.unwrap();
    let listed: Vec<String> = store
        .list(&key("open-data"))
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.key.to_string())
        .collect();
    assert_eq!(
        listed,
        [
            "open-data/g1/dream-projects.csv",
            "open-data/g1/dream-projects.xlsx",
            "open-data/g2/dream-oc4ids.json"
        ]
    );
    assert_eq!(store.list(&key("open-data/g2")).await.unwrap().len(), 1);
    assert!(store.list(&key("attachments")).await.unwrap().is_empty());

    store.delete(&big).await.unwrap();
    store.delete(&big).await.unwrap();
    assert!(matches!(
        store.get(&big).await,
        Err(FileError::NotFound { .. })
    ));
    let missing = store.head(&big).await.unwrap_err().to_string();
    assert!(
        missing.contains("open-data/g1/dream-projects.xlsx"),
        "{missing}"
    );
    assert_eq!(store.list(&key("open-data")).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_local_directory_stores_reads_lists_and_deletes_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("files");
    let store = FileStore::open(root.to_str().unwrap(), &S3Settings::default()).unwrap();
    assert!(root.is_dir(), "the directory is created when missing");
    files_are_stored_read_listed_and_deleted(&store).await;
    assert!(
        root.join("open-data/g2/dream-oc4ids.json").is_file(),
        "keys become paths inside the directory"
    );
}

#[tokio::test]
async fn a_file_address_opens_a_local_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("by-address");
    let address = format!("file://{}", root.display());
    let store = FileStore::open(&address, &S3Settings::default()).unwrap();
    store.put(&key("a/b.txt"), "b").await.unwrap();
    assert_eq!(std::fs::read_to_string(root.join("a/b.txt")).unwrap(), "b");
}

#[tokio::test]
async fn an_s3_bucket_stores_reads_lists_and_deletes_files() {
    let Some(store) = dream_files::testing::s3_store("s3_files", "").await else {
        return;
    };
    files_are_stored_read_listed_and_deleted(&store).await;
}

#[tokio::test]
async fn an_s3_prefix_keeps_its_files_apart() {
    let Some(store) = dream_files::testing::s3_store("s3_prefix", "dream/files").await else {
        return;
    };
    files_are_stored_read_listed_and_deleted(&store).await;
    assert!(store.to_string().ends_with("/dream/files"), "{store}");
}

#[test]
fn unknown_addresses_are_refused_with_a_reason() {
    let error = FileStore::open("ftp://example.org/files", &S3Settings::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("ftp://") && error.contains("s3://bucket"),
        "{error}"
    );
    let error = FileStore::open("s3:///no-bucket", &S3Settings::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("bucket"), "{error}");
}
