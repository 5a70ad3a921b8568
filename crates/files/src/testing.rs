//! Test helpers for this and other crates. `DREAM_TEST_S3_URL` names a local S3-compatible
//! server (such as `moto_server` on `http://127.0.0.1:5055`); each test that asks gets a
//! bucket of its own there. Without the variable, S3 tests say they were skipped and pass.
//! When `DREAM_TEST_S3_MARKER` names a file, every test that ran against S3 appends a line
//! to it, which lets `scripts/test` prove that the S3 run happened.

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::{FileStore, S3Settings};

/// The settings of the test server at `endpoint`; a local server takes any credentials.
pub fn s3_settings(endpoint: &str) -> S3Settings {
    S3Settings {
        endpoint: Some(endpoint.to_owned()),
        region: Some("us-east-1".into()),
        access_key_id: Some("dream-test".into()),
        secret_access_key: Some("dream-test".into()),
    }
}

/// A store in a new, empty bucket of the test S3 server, with keys under `prefix`, or
/// `None` (after saying so) when `DREAM_TEST_S3_URL` is not set.
pub async fn s3_store(test_name: &str, prefix: &str) -> Option<FileStore> {
    let (endpoint, bucket) = s3_bucket(test_name).await?;
    let location = match prefix {
        "" => format!("s3://{bucket}"),
        prefix => format!("s3://{bucket}/{prefix}"),
    };
    Some(FileStore::open(&location, &s3_settings(&endpoint)).unwrap())
}

/// A new, empty bucket of the test S3 server, as the server's address and the bucket's
/// name, for tests that configure a whole `dream` process; `None` (after saying so) when
/// `DREAM_TEST_S3_URL` is not set.
pub async fn s3_bucket(test_name: &str) -> Option<(String, String)> {
    let Ok(endpoint) = std::env::var("DREAM_TEST_S3_URL") else {
        eprintln!("{test_name}: skipped on S3, DREAM_TEST_S3_URL is not set");
        return None;
    };
    let endpoint = endpoint.trim_end_matches('/').to_owned();
    let bucket = new_bucket_name();
    create_bucket(&endpoint, &bucket).await;
    mark_s3_run(test_name);
    Some((endpoint, bucket))
}

/// A bucket name no other test of any process uses: S3 wants 3 to 63 lowercase letters,
/// digits and dashes.
fn new_bucket_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("dream-test-{}-{nanos}-{n}", std::process::id())
}

/// Creates `bucket` with an unsigned request, which local test servers accept.
async fn create_bucket(endpoint: &str, bucket: &str) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("the S3 test server at {endpoint} does not answer: {e}"));
    assert!(
        response.status().is_success(),
        "the S3 test server did not create bucket {bucket}: {}",
        response.status()
    );
}

fn mark_s3_run(test_name: &str) {
    if let Ok(path) = std::env::var("DREAM_TEST_S3_MARKER") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        writeln!(file, "s3 {test_name}").unwrap();
    }
}
