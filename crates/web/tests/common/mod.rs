//! What the HTTP tests share: the publisher they run as, and the application started on a
//! free port of 127.0.0.1 against a test database.

// Each test binary includes this module and uses only some of it.
#![allow(dead_code)]

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
/// `writes` enables the administrator token; `files` serves the open-data files published
/// there.
pub async fn serve(store: &Store, writes: bool, files: Option<&dream_files::FileStore>) -> String {
    serve_with_replica(store, None, writes, files).await
}

/// [`serve`], with the reads of visitors without an account answered from `replica`.
pub async fn serve_with_replica(
    store: &Store,
    replica: Option<&Store>,
    writes: bool,
    files: Option<&dream_files::FileStore>,
) -> String {
    // Every test serves before it asks, so this is where the HTTP clients get their TLS
    // provider; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState {
        store: store.clone(),
        admin_token: writes.then(|| Arc::from(TOKEN)),
        admin_name: Arc::from("Test Administrator"),
        publisher: Arc::new(publisher()),
        files: files.cloned(),
        upload_limit_bytes: dream_web::documents::DEFAULT_LIMIT_BYTES,
        totals: Default::default(),
        pages: Default::default(),
        replica: replica.cloned(),
    };
    tokio::spawn(dream_web::serve(listener, state, std::future::pending()));
    base
}

/// The demo projects anyone may read: those past the draft stages, which only their
/// initiator and reviewers see.
pub fn public_projects(demo: &dream_demo::DemoData) -> Vec<&dream_domain::project::Project> {
    demo.projects
        .iter()
        .map(|(project, _)| project)
        .filter(|project| {
            !dream_domain::workflow::DRAFT_STAGES.contains(&project.content.status_details)
        })
        .collect()
}

/// Writes `projects` demo projects, with their organisations and objects, into `store`.
pub async fn load_demo(store: &Store, projects: usize, seed: u64) -> dream_demo::DemoData {
    use dream_store::projects::NewProject;
    use dream_store::revisions::Change;

    let hromadas = store.hromadas().await.unwrap();
    let demo = dream_demo::generate(
        projects,
        seed,
        &hromadas,
        time::macros::date!(2026 - 06 - 01),
    );
    let change = Change {
        author: "test".into(),
        reason: "demo".into(),
    };
    let mut organisations = Vec::new();
    for organisation in &demo.organisations {
        let place = store
            .territory(&organisation.content.territory)
            .await
            .unwrap();
        organisations.push((organisation.clone(), place.oblast.to_string()));
    }
    store
        .insert_organisations(&organisations, &change)
        .await
        .unwrap();
    let objects: Vec<_> = demo
        .objects
        .iter()
        .map(|(o, place)| (o.clone(), place.oblast.to_string()))
        .collect();
    store.insert_objects(&objects, &change).await.unwrap();
    let projects = demo.projects.iter().map(|(p, place)| NewProject {
        project: p.clone(),
        place: place.clone(),
    });
    store
        .insert_projects(projects.collect(), &change)
        .await
        .unwrap();
    demo
}

/// Creates an account with `role` and returns a fresh API token of it.
pub async fn token(
    store: &Store,
    email: &str,
    role: &str,
    org: Option<&str>,
    oblast: Option<&str>,
) -> String {
    let user = store
        .create_user(&dream_store::accounts::NewUser {
            email: email.into(),
            name: email.split('@').next().unwrap().into(),
            role: role.into(),
            organisation: org.map(str::to_owned),
            oblast: oblast.map(str::to_owned),
            created_by: "test".into(),
        })
        .await
        .unwrap();
    store
        .create_api_token(&user.id, "test", None)
        .await
        .unwrap()
}

/// The author and reason of the records a test enters directly.
pub fn entry() -> dream_store::revisions::Change {
    dream_store::revisions::Change {
        author: "test".into(),
        reason: "entry".into(),
    }
}

/// Registers a hromada council of Kharkiv oblast under `code`.
pub async fn register_council(
    store: &Store,
    code: &dream_domain::Edrpou,
    name: dream_domain::text::Text,
) {
    let organisation = dream_domain::organisation::OrganisationContent {
        name,
        kind: dream_domain::codelist::OrganisationKind::Hromada,
        territory: dream_domain::Katottg::parse("UA63000000000041885").unwrap(),
    };
    store
        .create_organisation(code.clone(), organisation, &entry())
        .await
        .unwrap();
}

/// One part of a `multipart/form-data` body: a text field, or a file with its name and
/// the type its sender declares.
pub struct Part<'a> {
    pub name: &'a str,
    pub file_name: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub bytes: &'a [u8],
}

impl<'a> Part<'a> {
    pub fn text(name: &'a str, value: &'a str) -> Self {
        Part {
            name,
            file_name: None,
            content_type: None,
            bytes: value.as_bytes(),
        }
    }

    pub fn file(file_name: &'a str, content_type: &'a str, bytes: &'a [u8]) -> Self {
        Part {
            name: "file",
            file_name: Some(file_name),
            content_type: Some(content_type),
            bytes,
        }
    }
}

/// A `multipart/form-data` body as a browser writes it, and its `Content-Type`; written
/// here by hand so that a test can declare whatever name and type it wants to lie about.
pub fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let boundary = "dream-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(file_name) = part.file_name {
            disposition.push_str(&format!("; filename=\"{file_name}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
