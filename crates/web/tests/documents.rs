//! Documents and photos of a project over HTTP, on SQLite or PostgreSQL, with the files in
//! a temporary directory: who may attach them, which files are refused and why, what is
//! kept (the file, byte for byte, and a revision naming its author), and that a refused
//! upload keeps nothing.

mod common;

use std::sync::Arc;

use common::{Part, multipart};
use dream_files::{FileStore, Key};
use dream_store::accounts::NewUser;
use dream_store::testing::{TestDb, fresh_store, sample_project};
use dream_web::AppState;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::{Client, StatusCode, redirect};
use serde_json::{Value, json};

const PDF: &[u8] = include_bytes!("fixtures/documents/act.pdf");
const JPEG: &[u8] = include_bytes!("fixtures/documents/roof.jpg");
const PNG: &[u8] = include_bytes!("fixtures/documents/roof.png");

const COUNCIL: &str = "04057287";
/// An organisation that has nothing to do with the project.
const STRANGER: &str = "37573335";

struct Registry {
    base: String,
    http: Client,
    project: String,
    files: FileStore,
    initiator: String,
    stranger: String,
    store: dream_store::Store,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

/// A registry with one project of the council at `stage`, its initiator's and a stranger's
/// API tokens, and uploads limited to `limit_bytes`.
async fn registry(name: &str, stage: &str, limit_bytes: u64) -> Registry {
    let db = fresh_store(name).await;
    let council = dream_domain::Edrpou::parse(COUNCIL).unwrap();
    let title = dream_domain::text::Text::new("Харківська міська рада", "Kharkiv City Council");
    common::register_council(&db.store, &council, title).await;
    let elsewhere = dream_domain::Edrpou::parse(STRANGER).unwrap();
    let title = dream_domain::text::Text::new("Інша громада", "Another hromada");
    common::register_council(&db.store, &elsewhere, title).await;
    let mut content = sample_project();
    content["statusDetails"] = stage.into();
    let content = dream_domain::validation::from_json(content).unwrap();
    let project = db
        .store
        .create_project(content, &common::entry())
        .await
        .unwrap();
    let initiator = "olena@kharkiv.example";
    let initiator = common::token(&db.store, initiator, "initiator", Some(COUNCIL), None).await;
    let stranger = "petro@elsewhere.example";
    let stranger = common::token(&db.store, stranger, "initiator", Some(STRANGER), None).await;

    let dir = tempfile::tempdir().unwrap();
    let files = FileStore::local(dir.path()).unwrap();
    let base = serve(&db.store, &files, limit_bytes).await;
    Registry {
        base,
        http: Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap(),
        project: project.id.to_string(),
        files,
        initiator,
        stranger,
        store: db.store.clone(),
        _dir: dir,
        _db: db,
    }
}

/// The application with the administrator token, the file store and an upload limit.
async fn serve(store: &dream_store::Store, files: &FileStore, limit_bytes: u64) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState {
        store: store.clone(),
        admin_token: Some(Arc::from(common::TOKEN)),
        admin_name: Arc::from("Test Administrator"),
        publisher: Arc::new(common::publisher()),
        files: Some(files.clone()),
        upload_limit_bytes: limit_bytes,
        totals: Default::default(),
        pages: Default::default(),
        replica: None,
    };
    tokio::spawn(dream_web::serve(listener, state, std::future::pending()));
    base
}

fn default_limit() -> u64 {
    dream_web::documents::DEFAULT_LIMIT_BYTES
}

impl Registry {
    async fn upload(&self, token: Option<&str>, parts: &[Part<'_>]) -> (StatusCode, Value) {
        let (content_type, body) = multipart(parts);
        let mut request = self
            .http
            .post(format!(
                "{}/api/v1/projects/{}/documents",
                self.base, self.project
            ))
            .header(CONTENT_TYPE, content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Sends a cabinet form as a signed-in browser does.
    async fn post_form(&self, cookie: &str, path: &str, parts: &[Part<'_>]) -> reqwest::Response {
        let (content_type, body) = multipart(parts);
        self.http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, cookie)
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    async fn project(&self) -> Value {
        let path = format!("/api/v1/projects/{}", self.project);
        self.get(&path, Some(common::TOKEN))
            .await
            .json()
            .await
            .unwrap()
    }

    async fn revisions(&self) -> Vec<Value> {
        let path = format!("/api/v1/projects/{}/revisions", self.project);
        let history: Value = self
            .get(&path, Some(common::TOKEN))
            .await
            .json()
            .await
            .unwrap();
        history["items"].as_array().unwrap().clone()
    }

    async fn stored_files(&self) -> usize {
        let folder = Key::new("documents").unwrap();
        self.files.list(&folder).await.unwrap().len()
    }

    /// Checks that nothing was kept: no file, no revision after the project's creation.
    async fn assert_nothing_kept(&self) {
        assert_eq!(self.stored_files().await, 0, "no file is kept");
        assert_eq!(self.revisions().await.len(), 1, "no revision is written");
        assert_eq!(self.project().await["documents"], json!([]));
    }
}

/// The message of the one wrong field of an error response, after checking its name.
fn field_error(body: &Value, field: &str) -> String {
    assert_eq!(body["error"]["code"], "invalid_input", "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], field, "{body}");
    body["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_pdf_and_a_photo_are_kept_byte_for_byte_with_a_revision_by_their_author() {
    let registry = registry("documents_kept", "initiated", default_limit()).await;
    let initiator = Some(registry.initiator.as_str());

    let (status, pdf) = registry
        .upload(
            initiator,
            &[
                Part::text("documentType", "technicalDocument"),
                Part::text("title.uk", "Дефектний акт"),
                Part::text("title.en", "Defect statement"),
                Part::text("reason", "акт складено після обстеження"),
                Part::file("Дефектний акт.pdf", "application/pdf", PDF),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{pdf}");
    let document = &pdf["document"];
    assert_eq!(document["format"], "application/pdf");
    assert_eq!(document["documentType"], "technicalDocument");
    assert_eq!(
        document["title"],
        json!({"uk": "Дефектний акт", "en": "Defect statement"})
    );
    assert_eq!(document["sizeBytes"], PDF.len());
    assert_eq!(document["sha256"].as_str().unwrap().len(), 64);

    let (status, photo) = registry
        .upload(
            initiator,
            &[
                Part::text("documentType", "illustrationDamaged"),
                Part::text("title.uk", "Дах після обстрілу"),
                Part::file("roof.jpg", "image/jpeg", JPEG),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{photo}");

    let project = registry.project().await;
    assert_eq!(project["documents"].as_array().unwrap().len(), 2);
    assert_eq!(
        project["statusDetails"], "definition",
        "attaching a document to an idea is an edit, which starts its definition"
    );
    let revisions = registry.revisions().await;
    assert_eq!(revisions.len(), 3, "one revision per document");
    let first = &revisions[1];
    assert_eq!(
        first["author"], "olena (ЄДРПОУ 04057287)",
        "the person and whom they act for"
    );
    assert_eq!(first["reason"], "акт складено після обстеження");
    let second = revisions[2]["reason"].as_str().unwrap();
    assert!(second.contains("illustrationDamaged"), "{second}");
    assert_eq!(registry.stored_files().await, 2);

    for (body, bytes, content_type, attachment) in [
        (&pdf, PDF, "application/pdf", true),
        (&photo, JPEG, "image/jpeg", false),
    ] {
        let url = body["document"]["url"].as_str().unwrap();
        let path = url.trim_start_matches(common::publisher().uri.as_str());
        let file = registry.get(path, initiator).await;
        assert_eq!(file.status(), StatusCode::OK, "{path}");
        let headers = file.headers().clone();
        assert_eq!(headers[CONTENT_TYPE], content_type);
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers.contains_key("content-disposition"), attachment);
        assert_eq!(file.bytes().await.unwrap().as_ref(), bytes);
        let hidden = registry.get(path, None).await;
        assert_eq!(
            hidden.status(),
            StatusCode::NOT_FOUND,
            "a draft's files are hidden as the draft is"
        );
    }

    let (status, again) = registry
        .upload(
            initiator,
            &[
                Part::text("documentType", "document"),
                Part::text("title.uk", "Той самий акт"),
                Part::file("act.pdf", "application/pdf", PDF),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(registry.revisions().await.len(), 3);
}

#[tokio::test]
async fn a_photo_appears_in_the_passport_gallery_and_an_office_workbook_is_kept() {
    let registry = registry("documents_gallery", "defined", default_limit()).await;
    let admin = Some(common::TOKEN);
    let (status, photo) = registry
        .upload(
            admin,
            &[
                Part::text("documentType", "illustrationInProgress"),
                Part::text("title.uk", "Монтаж покрівлі"),
                Part::text("title.en", "Roofing under way"),
                Part::file("roof.png", "image/png", PNG),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{photo}");
    let url = photo["document"]["url"].as_str().unwrap();

    let passport = registry
        .get(&format!("/en/projects/{}", registry.project), None)
        .await
        .text()
        .await
        .unwrap();
    let gallery = &passport[passport.find("photos-heading").expect("a gallery")..];
    assert!(
        gallery.contains(&format!("<img src=\"{url}\"")),
        "{gallery}"
    );
    assert!(gallery.contains("Roofing under way"), "{gallery}");

    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook
        .add_worksheet()
        .write_string(0, 0, "Кошторис")
        .unwrap();
    let xlsx = workbook.save_to_buffer().unwrap();
    let (status, estimate) = registry
        .upload(
            admin,
            &[
                Part::text("documentType", "document"),
                Part::text("title.uk", "Зведений кошторисний розрахунок"),
                Part::file("кошторис.xlsx", "application/octet-stream", &xlsx),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{estimate}");
    assert_eq!(
        estimate["document"]["format"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let revisions = registry.revisions().await;
    assert_eq!(revisions.last().unwrap()["author"], "Test Administrator");
}

#[tokio::test]
async fn files_of_the_wrong_type_are_refused_and_nothing_is_kept() {
    let registry = registry("documents_wrong_type", "definition", default_limit()).await;
    let initiator = Some(registry.initiator.as_str());

    let (status, body) = registry
        .upload(
            initiator,
            &[
                Part::text("documentType", "illustrationBefore"),
                Part::text("title.uk", "Фото до"),
                Part::file("before.pdf", "application/pdf", PDF),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = field_error(&body, "file");
    assert!(
        message.contains("a photo (illustrationBefore) must be a JPEG, PNG or WebP image"),
        "{message}"
    );

    let old_word = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0";
    let (status, body) = registry
        .upload(
            initiator,
            &[
                Part::text("documentType", "document"),
                Part::text("title.uk", "Лист"),
                Part::file("letter.doc", "application/msword", old_word),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&body, "file").contains("old Microsoft Office file"));

    let (status, body) = registry
        .upload(
            initiator,
            &[
                Part::text("documentType", "selfie"),
                Part::text("title.uk", "Я"),
                Part::file("me.jpg", "image/jpeg", JPEG),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&body, "documentType").contains("illustrationBefore"));

    let (status, body) = registry
        .upload(
            initiator,
            &[
                Part::text("documentType", "illustration"),
                Part::file("roof.jpg", "image/jpeg", JPEG),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&body, "title.uk").contains("Ukrainian title is required"));

    registry.assert_nothing_kept().await;
}

#[tokio::test]
async fn an_image_that_lies_about_what_it_is_is_refused_with_the_lie_named() {
    let registry = registry("documents_lies", "definition", default_limit()).await;
    let initiator = Some(registry.initiator.as_str());
    let page = b"<!DOCTYPE html><html><script>document.location='//evil.example'</script>";
    let cases: [(&str, &str, &[u8], &str); 3] = [
        ("roof.jpg", "image/jpeg", page, "look like HTML"),
        (
            "roof.jpg",
            "image/png",
            PNG,
            "named \"roof.jpg\", but its bytes are a PNG image; its name should end in .png",
        ),
        (
            "roof",
            "image/jpeg",
            PNG,
            "declared as image/jpeg, but its bytes are a PNG image",
        ),
    ];
    for (name, declared, bytes, expected) in cases {
        let (status, body) = registry
            .upload(
                initiator,
                &[
                    Part::text("documentType", "illustrationDamaged"),
                    Part::text("title.uk", "Дах"),
                    Part::file(name, declared, bytes),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let message = field_error(&body, "file");
        assert!(message.contains(expected), "{message}");
    }
    registry.assert_nothing_kept().await;
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_the_limit_named() {
    let registry = registry("documents_oversize", "definition", 64 * 1024).await;
    let mut big = PDF.to_vec();
    big.resize(100 * 1024, b' ');
    let (status, body) = registry
        .upload(
            Some(&registry.initiator),
            &[
                Part::text("documentType", "designDocument"),
                Part::text("title.uk", "Робочий проєкт"),
                Part::file("design.pdf", "application/pdf", &big),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "too_large");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("limit of 64 KiB (65536 bytes)"),
        "{message}"
    );
    registry.assert_nothing_kept().await;
}

#[tokio::test]
async fn a_photo_bigger_than_a_json_body_may_be_is_still_taken() {
    let registry = registry("documents_big_photo", "definition", default_limit()).await;
    let mut photo = JPEG.to_vec();
    photo.resize(3 * 1024 * 1024, 0);
    let (status, body) = registry
        .upload(
            Some(&registry.initiator),
            &[
                Part::text("documentType", "illustrationDamaged"),
                Part::text("title.uk", "Знімок у повній якості"),
                Part::file("full.jpeg", "image/jpeg", &photo),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["document"]["sizeBytes"], 3 * 1024 * 1024);
}

#[tokio::test]
async fn another_organisations_token_is_refused_and_nothing_is_kept() {
    let registry = registry("documents_stranger", "definition", default_limit()).await;
    let parts = [
        Part::text("documentType", "designDocument"),
        Part::text("title.uk", "Чужий проєкт"),
        Part::file("design.pdf", "application/pdf", PDF),
    ];
    let (status, body) = registry.upload(Some(&registry.stranger), &parts).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(STRANGER),
        "the refusal names the organisation: {message}"
    );

    let (status, _) = registry.upload(None, &parts).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    registry.assert_nothing_kept().await;
}

#[tokio::test]
async fn the_cabinet_form_attaches_a_document_and_names_the_field_it_refuses() {
    let registry = registry("documents_cabinet", "definition", default_limit()).await;
    let user = registry
        .store
        .create_user(&NewUser {
            email: "iryna@kharkiv.example".into(),
            name: "Ірина Мельник".into(),
            role: "initiator".into(),
            organisation: Some(COUNCIL.into()),
            oblast: None,
            created_by: "test".into(),
        })
        .await
        .unwrap();
    let session = registry.store.create_session(&user.id).await.unwrap();
    let cookie = format!("dream_session={session}");
    let path = format!("/cabinet/projects/{}/documents", registry.project);

    let form = registry
        .http
        .get(format!("{}{path}", registry.base))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let page = form.text().await.unwrap();
    assert!(page.contains("enctype=\"multipart/form-data\""), "{page}");
    let csrf = hidden(&page, "csrf");

    let refused = registry
        .post_form(
            &cookie,
            &format!("/en{path}"),
            &[
                Part::text("csrf", &csrf),
                Part::text("documentType", "illustrationComplete"),
                Part::text("title.uk", "Фасад після ремонту"),
                Part::file("facade.jpg", "image/png", PNG),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("File: the file is named &#34;facade.jpg&#34;")
            || page.contains("File: the file is named &quot;facade.jpg&quot;"),
        "{page}"
    );
    assert!(
        page.contains("value=\"Фасад після ремонту\""),
        "what was typed is kept"
    );
    registry.assert_nothing_kept().await;

    let forged = registry
        .post_form(
            &cookie,
            &path,
            &[
                Part::text("csrf", "not-the-session-token"),
                Part::text("documentType", "illustrationComplete"),
                Part::text("title.uk", "Фасад"),
                Part::file("facade.png", "image/png", PNG),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    registry.assert_nothing_kept().await;

    let kept = registry
        .post_form(
            &cookie,
            &path,
            &[
                Part::text("csrf", &csrf),
                Part::text("documentType", "illustrationComplete"),
                Part::text("title.uk", "Фасад після ремонту"),
                Part::file("facade.png", "image/png", PNG),
            ],
        )
        .await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        kept.headers()[LOCATION],
        format!("/cabinet/projects/{}", registry.project)
    );
    let revisions = registry.revisions().await;
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[1]["author"], "Ірина Мельник (ЄДРПОУ 04057287)");
    assert_eq!(registry.stored_files().await, 1);
}

/// The value of a hidden field in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_initiator_reports_photos_of_the_works_without_moving_the_project() {
    let registry = registry("documents_progress", "implementation", default_limit()).await;
    let parts = [
        Part::text("documentType", "illustrationInProgress"),
        Part::text("title.uk", "Покрівлю перекрито"),
        Part::file("roof.png", "image/png", PNG),
    ];
    let (status, body) = registry.upload(Some(&registry.stranger), &parts).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let (status, body) = registry.upload(Some(&registry.initiator), &parts).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let project = registry.project().await;
    assert_eq!(
        project["statusDetails"], "implementation",
        "a report moves nothing"
    );
    assert_eq!(project["documents"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_submitted_project_takes_no_document_from_its_initiator_until_it_is_approved() {
    let registry = registry("documents_review", "appraisal", default_limit()).await;
    let parts = [
        Part::text("documentType", "designDocument"),
        Part::text("title.uk", "Пізній кошторис"),
        Part::file("design.pdf", "application/pdf", PDF),
    ];
    let (status, body) = registry.upload(Some(&registry.initiator), &parts).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    registry.assert_nothing_kept().await;
}
