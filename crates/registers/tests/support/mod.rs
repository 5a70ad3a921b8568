//! Shared by the integration tests: the recorded fixtures and a client configuration short
//! enough that failure tests finish in well under a second.

#![allow(dead_code)]

use std::time::Duration;

use dream_registers::RegisterConfig;

/// A recorded Prozorro response body from `tests/fixtures/prozorro/`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/prozorro/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// Short timeouts and backoff, two retries, no pace limit.
pub fn quick_config(base_url: String) -> RegisterConfig {
    RegisterConfig {
        timeout: Duration::from_millis(500),
        max_retries: 2,
        requests_per_second: None,
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(2),
        ..RegisterConfig::new(base_url)
    }
}
