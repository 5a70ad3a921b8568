//! What the HTTP tests share: the publisher they run as, and the application started on a
//! free port of 127.0.0.1 against a test database.

use std::path::Path;
use std::sync::Arc;

use dream_store::Store;
use dream_web::AppState;

/// The bearer token that tests write with.
pub const TOKEN: &str = "test-admin-token";

/// The publisher of the tests' open data.
pub fn publisher() -> dream_opendata::oc4ids::Publisher {
    dream_opendata::oc4ids::Publisher {
        name: "Агенція відновлення (тест)".into(),
        uri: "http://127.0.0.1".into(),
        prefix: "dreamt".into(),
        license: "https://creativecommons.org/licenses/by/4.0/".into(),
        publication_policy: None,
    }
}

/// Serves the application over `store` on a free port and returns its base address.
/// `writes` enables the administrator token; `publish_dir` serves published files.
pub async fn serve(store: &Store, writes: bool, publish_dir: Option<&Path>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState {
        store: store.clone(),
        admin_token: writes.then(|| Arc::from(TOKEN)),
        admin_name: Arc::from("Test Administrator"),
        publisher: Arc::new(publisher()),
        publish_dir: publish_dir.map(Arc::from),
    };
    tokio::spawn(dream_web::serve(listener, state, std::future::pending()));
    base
}
