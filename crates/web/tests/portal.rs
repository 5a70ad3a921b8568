//! The public portal over HTTP, on SQLite or PostgreSQL: every page answers in both
//! languages, filters and downloads agree with the API, totals follow writes at once, bad
//! input gets a page that says what is wrong, and every response carries the security
//! headers. The same pages are driven in a real browser by `e2e/`.

mod common;

use reqwest::StatusCode;
use serde_json::Value;

use dream_store::testing::{fresh_store, sample_project};

async fn get(url: &str) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

async fn text(url: &str) -> (StatusCode, String) {
    let response = get(url).await;
    (response.status(), response.text().await.unwrap())
}

async fn api_total(base: &str, query: &str) -> i64 {
    let list: Value = get(&format!("{base}/api/v1/projects?{query}"))
        .await
        .json()
        .await
        .unwrap();
    list["total"].as_i64().unwrap()
}

/// The number after "Знайдено:" or "Found:" on a catalogue page.
fn found(page: &str) -> i64 {
    let start = page.find("<strong>").unwrap();
    let end = page[start..].find("</strong>").unwrap();
    page[start..start + end]
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn every_page_answers_in_both_languages_with_one_heading() {
    let db = fresh_store("portal_pages").await;
    let demo = common::load_demo(&db.store, 40, 7).await;
    let base = common::serve(&db.store, false, None).await;
    let (project, place) = &demo.projects[0];
    let initiator = project.content.initiator().unwrap().id.to_string();
    let paths = [
        "/".to_owned(),
        "/projects".to_owned(),
        format!("/projects/{}", project.id),
        format!("/places/{}", place.oblast),
        format!("/places/{}", place.hromada.as_ref().unwrap()),
        format!("/organisations/{initiator}"),
        "/data".to_owned(),
    ];
    for path in paths {
        for (prefix, lang) in [("", "uk"), ("/en", "en")] {
            let url = format!("{base}{prefix}{path}");
            let (status, page) = text(&url).await;
            assert_eq!(status, StatusCode::OK, "{url}: {page}");
            assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{url}");
            assert_eq!(page.matches("<h1").count(), 1, "{url}");
            assert!(!page.contains("<script>"), "{url} has an inline script");
        }
    }
    let (_, english) = text(&format!("{base}/en/projects/{}", project.id)).await;
    assert!(english.contains("Change history") && english.contains("hreflang=\"uk\""));
}

#[tokio::test]
async fn the_catalogue_filters_as_the_api_does_and_names_a_wrong_value() {
    let db = fresh_store("portal_catalogue").await;
    let demo = common::load_demo(&db.store, 60, 11).await;
    let base = common::serve(&db.store, false, None).await;
    let oblast = demo.projects[0].1.oblast.to_string();

    let public = common::public_projects(&demo).len() as i64;
    assert!(
        public < 60,
        "the demo holds drafts, which the public does not see"
    );
    let (_, all) = text(&format!("{base}/projects")).await;
    assert_eq!(found(&all), public);
    let (_, page) = text(&format!("{base}/projects?oblast={oblast}&sector=education")).await;
    assert_eq!(
        found(&page),
        api_total(&base, &format!("oblast={oblast}&sector=education")).await
    );
    let (_, english) = text(&format!("{base}/en/projects?sort=-need")).await;
    assert_eq!(found(&english), public);

    let (status, page) = text(&format!("{base}/projects?sector=space&oblast={oblast}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("«sector» невідоме значення"), "{page}");
    assert_eq!(
        found(&page),
        api_total(&base, &format!("oblast={oblast}")).await
    );

    let (status, _) = text(&format!("{base}/projects?page=100000")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_catalogue_narrows_by_money_source_contracts_and_implementer() {
    let db = fresh_store("portal_filters").await;
    let demo = common::load_demo(&db.store, 80, 3).await;
    let base = common::serve(&db.store, false, None).await;
    let projects: Vec<_> = common::public_projects(&demo)
        .into_iter()
        .map(|p| &p.content)
        .collect();

    let with_contracts = projects
        .iter()
        .filter(|p| !p.contracting_processes.is_empty())
        .count();
    let (_, page) = text(&format!("{base}/projects?contracts=yes")).await;
    assert_eq!(found(&page), with_contracts as i64);
    let (_, page) = text(&format!("{base}/projects?contracts=no")).await;
    assert_eq!(found(&page), (projects.len() - with_contracts) as i64);

    let need = |p: &&&dream_domain::project::ProjectContent| p.funding().need.amount_minor;
    let big = projects
        .iter()
        .filter(|p| need(p) >= 10_000_000 * 100)
        .count();
    let (_, page) = text(&format!("{base}/projects?min=10000000")).await;
    assert_eq!(found(&page), big as i64);

    let state_funded = projects
        .iter()
        .filter(|p| {
            p.approaches.first().is_some_and(|a| {
                a.finance
                    .iter()
                    .any(|f| f.finance_type.as_str() == "stateFunds")
            })
        })
        .count();
    let (_, page) = text(&format!("{base}/projects?source=stateFunds")).await;
    assert_eq!(found(&page), state_funded as i64);

    let implementer = projects
        .iter()
        .flat_map(|p| &p.parties)
        .find(|party| party.roles.iter().any(|r| r.as_str() == "implementer"))
        .map(|party| party.id.to_string())
        .unwrap();
    let implemented = projects
        .iter()
        .filter(|p| {
            p.parties.iter().any(|party| {
                party.id.as_str() == implementer
                    && party.roles.iter().any(|r| r.as_str() == "implementer")
            })
        })
        .count();
    let (_, page) = text(&format!("{base}/projects?implementer={implementer}")).await;
    assert_eq!(found(&page), implemented as i64);
}

#[tokio::test]
async fn downloads_hold_every_project_of_the_filter() {
    let db = fresh_store("portal_downloads").await;
    load_many(&db.store, 2100).await;
    let base = common::serve(&db.store, false, None).await;

    let response = get(&format!("{base}/projects.csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let ids: std::collections::HashSet<String> =
        reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert_eq!(
        ids.len(),
        2100,
        "every project once, across batches of a thousand"
    );

    let total = api_total(&base, "statusDetails=initiated").await;
    let csv = get(&format!("{base}/projects.csv?stage=initiated"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.trim_end().lines().count() as i64, total + 1);

    let xlsx = get(&format!("{base}/projects.xlsx?stage=initiated")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(
        xlsx.bytes().await.unwrap().starts_with(b"PK"),
        "an XLSX is a zip"
    );

    let refused = get(&format!("{base}/projects.csv?oblast=Kyiv")).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let error: Value = refused.json().await.unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("oblast"),
        "{error}"
    );
}

/// Writes `count` copies of the sample project, each with a new id.
async fn load_many(store: &dream_store::Store, count: usize) {
    let change = dream_store::revisions::Change {
        author: "test".into(),
        reason: "bulk".into(),
    };
    let content: dream_domain::project::ProjectContent =
        dream_domain::validation::from_json(sample_project()).unwrap();
    let place = store.check_project(&content).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let projects = (0..count)
        .map(|i| dream_store::projects::NewProject {
            project: dream_domain::project::Project {
                id: dream_domain::ProjectId::new(now.date(), i as u32),
                date: now,
                updated: now,
                status: dream_domain::project::Project::derive_status(
                    false,
                    content.status_details,
                ),
                content: content.clone(),
            },
            place: place.clone(),
        })
        .collect();
    store.insert_projects(projects, &change).await.unwrap();
}

#[tokio::test]
async fn totals_follow_a_write_at_once() {
    let db = fresh_store("portal_totals").await;
    let demo = common::load_demo(&db.store, 10, 5).await;
    let public = common::public_projects(&demo).len();
    let base = common::serve(&db.store, true, None).await;
    let count = |page: &str| {
        let start = page.find("class=\"value\">").unwrap() + "class=\"value\">".len();
        page[start..].split('<').next().unwrap().to_owned()
    };
    let (_, before) = text(&format!("{base}/")).await;
    assert_eq!(count(&before), public.to_string());

    let created = reqwest::Client::new()
        .post(format!("{base}/api/v1/projects"))
        .bearer_auth(common::TOKEN)
        .json(&serde_json::json!({"reason": "new", "project": sample_project()}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "{}",
        created.text().await.unwrap()
    );
    let (_, after) = text(&format!("{base}/")).await;
    assert_eq!(count(&after), (public + 1).to_string());
}

#[tokio::test]
async fn wrong_addresses_get_a_page_that_says_why() {
    let db = fresh_store("portal_missing").await;
    let base = common::serve(&db.store, false, None).await;
    for (path, words) in [
        ("/projects/not-a-project", "DREAM-UA-030524-EE48E08C"),
        (
            "/projects/DREAM-UA-030524-EE48E08C",
            "Такого запису в реєстрі немає",
        ),
        ("/en/places/UA99", "KATOTTG"),
        ("/organisations/1234", "не код ЄДРПОУ"),
    ] {
        let (status, page) = text(&format!("{base}{path}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.contains("<h1>"), "{path} answers with a page");
        assert!(page.contains(words), "{path}: {page}");
    }
}

#[tokio::test]
async fn responses_carry_security_headers_compression_and_long_lived_assets() {
    let db = fresh_store("portal_headers").await;
    let base = common::serve(&db.store, false, None).await;
    let client = reqwest::Client::builder().build().unwrap();
    let response = client
        .get(format!("{base}/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["content-encoding"], "gzip");
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );

    let page = get(&format!("{base}/")).await.text().await.unwrap();
    let css = page
        .split("href=\"/static/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(css.starts_with("site.") && css.ends_with(".css"), "{css}");
    let asset = get(&format!("{base}/static/{css}")).await;
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        get(&format!("{base}/static/site.0000.css")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_kept_passport_shows_a_change_to_its_project_or_its_object_at_once() {
    let db = fresh_store("portal_kept_pages").await;
    let demo = common::load_demo(&db.store, 12, 4).await;
    let base = common::serve(&db.store, true, None).await;
    let project = common::public_projects(&demo)
        .into_iter()
        .find(|p| !p.content.objects.is_empty())
        .unwrap();
    let object = &project.content.objects[0];
    let passport = format!("{base}/projects/{}", project.id);
    let (_, first) = text(&passport).await;
    let (_, again) = text(&passport).await;
    assert_eq!(first, again, "nothing changed, so the same page");
    let kept = reqwest::Client::new()
        .get(&passport)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["content-encoding"], "gzip");
    assert_eq!(kept.headers()["vary"], "accept-encoding");
    let gzipped = kept.bytes().await.unwrap();
    let mut unzipped = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&gzipped[..]),
        &mut unzipped,
    )
    .unwrap();
    assert_eq!(
        unzipped, first,
        "the kept page compressed once is the same page"
    );

    let patch = |path: String, field: &str, value: &str| {
        let body = serde_json::json!({
            "reason": "a clearer name",
            "patch": [{"op": "replace", "path": field, "value": value}]
        });
        async move {
            let response = reqwest::Client::new()
                .patch(path)
                .bearer_auth(common::TOKEN)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
        }
    };
    patch(
        format!("{base}/api/v1/projects/{}", project.id),
        "/title/uk",
        "Відновлення ліцею на Салтівці",
    )
    .await;
    let (_, page) = text(&passport).await;
    assert!(page.contains("Відновлення ліцею на Салтівці"), "{page}");

    patch(
        format!("{base}/api/v1/objects/{object}"),
        "/title/uk",
        "Ліцей №5 імені Шевченка",
    )
    .await;
    let (_, page) = text(&passport).await;
    assert!(page.contains("Ліцей №5 імені Шевченка"), "{page}");
}
