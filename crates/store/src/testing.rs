//! Test support: a fresh, migrated database for each test, on SQLite or on PostgreSQL.
//!
//! `DREAM_TEST_BACKEND=postgres` (with `DREAM_TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`) runs the same tests on PostgreSQL. The
//! schema and the codifier are loaded once into a template (a SQLite file, or a PostgreSQL
//! template database) that each test copies, so a test starts in milliseconds. When
//! `DREAM_TEST_MARKER` names a file, every test that ran on PostgreSQL appends a line to it,
//! which lets CI prove that the PostgreSQL run happened.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;

use crate::{Backend, Store};

/// The version of the schema and data the templates hold: a change to a migration or to the
/// codifier gives new templates.
fn template_version() -> String {
    let mut hasher = DefaultHasher::new();
    let migrators = [
        sqlx::migrate!("./migrations/sqlite"),
        sqlx::migrate!("./migrations/postgres"),
    ];
    for migration in migrators.iter().flat_map(|migrator| migrator.iter()) {
        migration.checksum.hash(&mut hasher);
    }
    crate::territories::CODIFIER_LEN.hash(&mut hasher);
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

/// The backend the tests of this run use.
pub fn backend() -> Backend {
    match std::env::var("DREAM_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// A database made for one test; SQLite files live in a directory removed on drop.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestDb {
    /// Runs one statement as it is, for a test that must set up what the API never writes,
    /// such as a row left behind by an older version.
    pub async fn execute(&self, sql: &str) {
        crate::on_pool!(self.store.db(), pool => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(pool).await.unwrap();
        });
    }

    /// The one number a query gives, for a test that looks at what the API does not show.
    pub async fn query_i64(&self, sql: &str) -> i64 {
        crate::on_pool!(self.store.db(), pool => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(pool)
                .await
                .unwrap()
        })
    }
}

/// Opens a fresh database for one test, named after it.
pub async fn fresh_store(test_name: &str) -> TestDb {
    match backend() {
        Backend::Sqlite => fresh_sqlite().await,
        Backend::Postgres => fresh_postgres(test_name).await,
    }
}

async fn fresh_sqlite() -> TestDb {
    let template =
        std::env::temp_dir().join(format!("dream-test-template-{}.db", template_version()));
    if !template.exists() {
        let building = template.with_extension(format!("{}.tmp", std::process::id()));
        let store = Store::connect(&format!("sqlite://{}", building.display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        if let crate::Db::Sqlite(pool) = store.db() {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await
                .unwrap();
        }
        store.close().await;
        std::fs::rename(&building, &template).unwrap();
    }
    let dir = TempDir::new();
    let file = dir.0.join("dream.db");
    std::fs::copy(&template, &file).unwrap();
    let url = format!("sqlite://{}", file.display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    TestDb {
        store,
        url,
        _dir: Some(dir),
    }
}

fn postgres_admin_url() -> String {
    std::env::var("DREAM_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The URL of another database on the same server as `admin_url`.
fn database_url(admin_url: &str, database: &str) -> String {
    let (server, _) = admin_url.rsplit_once('/').unwrap_or((admin_url, ""));
    format!("{server}/{database}")
}

async fn fresh_postgres(test_name: &str) -> TestDb {
    let admin_url = postgres_admin_url();
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .expect("PostgreSQL for tests is reachable");
    let template = format!("dream_template_{}", template_version());
    ensure_postgres_template(&admin, &admin_url, &template).await;

    let suffix: String = test_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(30)
        .collect();
    let name = format!(
        "dream_test_{}_{}",
        suffix.to_lowercase(),
        uuid::Uuid::new_v4().simple()
    );
    let name: String = name.chars().take(63).collect();
    let create = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    let mut attempts = 0;
    while let Err(error) = sqlx::query(sqlx::AssertSqlSafe(create.clone()))
        .execute(&admin)
        .await
    {
        attempts += 1;
        assert!(attempts < 50, "cannot create test database {name}: {error}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    admin.close().await;

    let url = database_url(&admin_url, &name);
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    mark_postgres_run(test_name);
    TestDb {
        store,
        url,
        _dir: None,
    }
}

/// Builds the template database once; concurrent test processes race safely, because the
/// template appears under its final name only when it is complete.
async fn ensure_postgres_template(admin: &sqlx::PgPool, admin_url: &str, template: &str) {
    let exists = |admin: &sqlx::PgPool| {
        let template = template.to_owned();
        let admin = admin.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
                .bind(template)
                .fetch_one(&admin)
                .await
                .unwrap()
                > 0
        }
    };
    if exists(admin).await {
        return;
    }
    let building = format!("{template}_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE \"{building}\""
    )))
    .execute(admin)
    .await
    .unwrap();
    let store = Store::connect(&database_url(admin_url, &building))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.close().await;
    let rename = format!("ALTER DATABASE \"{building}\" RENAME TO \"{template}\"");
    if sqlx::query(sqlx::AssertSqlSafe(rename))
        .execute(admin)
        .await
        .is_err()
    {
        let drop = format!("DROP DATABASE IF EXISTS \"{building}\"");
        let _ = sqlx::query(sqlx::AssertSqlSafe(drop)).execute(admin).await;
    }
    assert!(
        exists(admin).await,
        "the template database {template} could not be made"
    );
}

fn mark_postgres_run(test_name: &str) {
    if let Ok(path) = std::env::var("DREAM_TEST_MARKER") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        writeln!(file, "postgres {test_name}").unwrap();
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let path =
            std::env::temp_dir().join(format!("dream-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A complete, valid project in Kharkiv oblast, as a client would send it, at the first
/// public stage (`defined`: submitted for the oblast's review), so that anyone may read it.
pub fn sample_project() -> serde_json::Value {
    serde_json::json!({
        "title": {"uk": "Капітальний ремонт ліцею №5", "en": "Major repair of lyceum No. 5"},
        "description": {
            "uk": "Відновлення даху та вікон ліцею, пошкоджених обстрілом.",
            "en": "Restoring the roof and windows of the lyceum damaged by shelling."
        },
        "purpose": "restoration",
        "type": "rehabilitation",
        "statusDetails": "defined",
        "sector": "education",
        "parties": [
            {"id": "04057287", "name": "Харківська міська рада", "roles": ["initiator", "balancer"]}
        ],
        "locations": [
            {
                "katottg": "UA63120270000028556",
                "address": "вул. Сумська, 12",
                "point": {"lat": 50.0, "lon": 36.23}
            }
        ],
        "approaches": [{
            "id": "a1",
            "title": {"uk": "Ремонт даху і заміна вікон"},
            "budget": [
                {"id": "b1", "amount": {"amountMinor": 1500000000, "currency": "UAH"},
                 "costItem": "construction", "costType": "capex", "budgetType": "original"},
                {"id": "b2", "amount": {"amountMinor": 100000000, "currency": "UAH"},
                 "costItem": "design", "costType": "capex", "budgetType": "original"}
            ],
            "finance": [
                {"id": "f1", "amount": {"amountMinor": 400000000, "currency": "UAH"},
                 "financeType": "stateFunds", "financeCategory": "localBudget",
                 "financingParty": {"id": "04057287", "name": "Харківська міська рада"}}
            ]
        }],
        "metrics": [
            {"id": "m1", "characteristic": "numberOfConsumers", "baseline": 0, "target": 850}
        ],
        "phases": [{"code": "identification", "durationDays": 30}]
    })
}
