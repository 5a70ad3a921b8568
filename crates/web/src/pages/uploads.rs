//! The cabinet's form for attaching a document or photo to a project:
//! `/cabinet/projects/{id}/documents` (and `/en/…`) shows it on a page of its own, and takes
//! it back. A kept upload goes back to the cabinet's project page,
//! `/cabinet/projects/{id}`; a refused one shows the form again with what was typed and the
//! field at fault named. Any other page can show the same form by including
//! `document_upload_form.html` with an [`UploadForm`] called `upload`. The checks and the
//! writing are those of the API, in `crate::documents`.

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use dream_domain::ProjectId;
use dream_domain::codelist::DocumentType;
use dream_domain::formats::FileFormat;
use dream_domain::policy::Actor;
use dream_domain::project::Project;

use super::forms::refused_form;
use super::i18n::Lang;
use super::{Chrome, Problem, Reader, both, labels, render};
use crate::AppState;
use crate::api::steps::actor_of;
use crate::auth::{self, SignedIn};
use crate::documents::{self, Refused, Sent};

pub fn router() -> Router<AppState> {
    both(
        Router::new(),
        "/cabinet/projects/{id}/documents",
        get(form_page).post(upload),
    )
}

/// What the upload form shows: where it goes, the session's form token, the document types
/// to choose from, what was typed before a refusal, and the refusal itself.
pub struct UploadForm {
    pub action: String,
    pub csrf: String,
    pub types: Vec<TypeChoice>,
    pub title_uk: String,
    pub title_en: String,
    pub reason: String,
    /// The formats accepted and the size limit, in words.
    pub accepted: String,
    /// The `accept` attribute of the file input, so that the browser offers fitting files.
    pub accept: String,
    pub problem: Option<FieldProblem>,
}

/// A document type in the form's list.
pub struct TypeChoice {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

/// A refusal as the form shows it: the field's label and what is wrong with it.
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl UploadForm {
    /// An empty form for attaching to `project`, sent with the session's `csrf` token.
    pub fn new(lang: Lang, project: &ProjectId, csrf: &str, limit_bytes: u64) -> Self {
        let (limit_uk, limit_en) = documents::size_in_words(limit_bytes);
        let accept: Vec<String> = FileFormat::ALL
            .iter()
            .flat_map(|format| format.extensions().iter().map(|e| format!(".{e}")))
            .collect();
        UploadForm {
            action: lang.path(&format!("/cabinet/projects/{project}/documents")),
            csrf: csrf.to_owned(),
            types: DocumentType::ALL
                .iter()
                .map(|kind| TypeChoice {
                    code: kind.as_str(),
                    label: labels::code(lang, "documentType", kind.as_str()),
                    selected: false,
                })
                .collect(),
            title_uk: String::new(),
            title_en: String::new(),
            reason: String::new(),
            accepted: match lang {
                Lang::Uk => {
                    format!("(PDF, DOCX, XLSX, ODT, ODS; фото — JPEG, PNG, WebP; до {limit_uk})")
                }
                Lang::En => {
                    format!("(PDF, DOCX, XLSX, ODT, ODS; photos JPEG, PNG, WebP; up to {limit_en})")
                }
            },
            accept: accept.join(","),
            problem: None,
        }
    }

    /// The form filled with what was sent, to be shown again after a refusal.
    fn typed(mut self, sent: &Sent) -> Self {
        let kind = sent.text("documentType");
        for choice in &mut self.types {
            choice.selected = choice.code == kind;
        }
        self.title_uk = sent.text("title.uk").to_owned();
        self.title_en = sent.text("title.en").to_owned();
        self.reason = sent.text("reason").to_owned();
        self
    }

    /// The form with `refused` shown above it, naming the field at fault.
    fn refused(mut self, lang: Lang, refused: &Refused) -> Self {
        self.problem = Some(FieldProblem {
            field: field_label(lang, refused.field).to_owned(),
            message: refused.message.in_lang(lang.code()).to_owned(),
        });
        self
    }
}

/// The name of a field of the form as the person sees it.
fn field_label(lang: Lang, field: Option<&str>) -> &'static str {
    let (uk, en) = match field {
        Some("file") => ("Файл", "File"),
        Some("documentType") => ("Тип документа", "Document type"),
        Some("title.uk") => ("Назва українською", "Title in Ukrainian"),
        Some("title.en") => ("Назва англійською", "Title in English"),
        Some("reason") => ("Причина зміни", "Reason for the change"),
        _ => ("Форма", "Form"),
    };
    lang.pick(uk, en)
}

#[derive(Template)]
#[template(path = "document_upload.html")]
struct UploadPage {
    chrome: Chrome,
    project_title: String,
    back: String,
    upload: UploadForm,
}

fn page(reader: &Reader, project: &Project, upload: UploadForm) -> UploadPage {
    let lang = reader.lang;
    UploadPage {
        chrome: Chrome::new(
            reader,
            lang.pick("Додати документ або фото", "Attach a document or photo"),
            "cabinet",
        ),
        project_title: project.content.title.in_lang(lang.code()).to_owned(),
        back: lang.path(&format!("/cabinet/projects/{}", project.id)),
        upload,
    }
}

/// The project and the person, when that person may attach documents to it; otherwise the
/// page that says why not.
async fn project_for(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    id: &str,
) -> Result<(Actor, Project), Response> {
    let actor = actor_of(&signed_in.session.user).map_err(|_| {
        Problem::respond(
            reader,
            StatusCode::FORBIDDEN,
            "Ваш обліковий запис не має організації чи області, для якої він діє.",
            "Your account names no organisation or oblast to act for.",
        )
    })?;
    let not_found = || Problem::from_store(reader, not_found_error(id));
    let id = ProjectId::parse(id).map_err(|_| not_found())?;
    let (project, _) = state
        .store
        .project(&id)
        .await
        .map_err(|error| Problem::from_store(reader, error))?;
    documents::authorise(&actor, &project).map_err(|refused| refusal_page(reader, &refused))?;
    Ok((actor, project))
}

fn not_found_error(id: &str) -> dream_store::StoreError {
    dream_store::StoreError::NotFound {
        entity: "project",
        id: id.to_owned(),
    }
}

fn refusal_page(reader: &Reader, refused: &Refused) -> Response {
    let message = &refused.message;
    Problem::respond(reader, refused.status, &message.uk, message.in_lang("en"))
}

async fn form_page(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let (_, project) = match project_for(&state, &reader, &signed_in, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let csrf = &signed_in.session.csrf_token;
    let form = UploadForm::new(reader.lang, &project.id, csrf, state.upload_limit_bytes);
    no_store(render(&page(&reader, &project, form)))
}

async fn upload(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limit = state.upload_limit_bytes;
    if !auth::same_origin(&headers) {
        documents::drain(body, limit).await;
        return refused_form(&reader);
    }
    let (actor, project) = match project_for(&state, &reader, &signed_in, &id).await {
        Ok(found) => found,
        Err(page) => {
            documents::drain(body, limit).await;
            return page;
        }
    };

    let csrf = &signed_in.session.csrf_token;
    let form = UploadForm::new(reader.lang, &project.id, csrf, limit);
    let sent = match documents::read_upload(&headers, body, limit).await {
        Ok(sent) => sent,
        Err(refused) => return again(&reader, &project, form, refused),
    };
    if !auth::same_secret(csrf, sent.text("csrf")) {
        return refused_form(&reader);
    }
    let form = form.typed(&sent);
    let attached = match sent.check(&["csrf"]) {
        Ok(checked) => documents::attach(&state, &actor, &project.id, checked).await,
        Err(refused) => Err(refused),
    };
    match attached {
        Ok(_) => {
            let back = reader
                .lang
                .path(&format!("/cabinet/projects/{}", project.id));
            Redirect::to(&back).into_response()
        }
        Err(refused) => again(&reader, &project, form, refused),
    }
}

/// The form shown again with the refusal, keeping what was typed.
fn again(reader: &Reader, project: &Project, form: UploadForm, refused: Refused) -> Response {
    if let Some(detail) = &refused.detail {
        tracing::error!(project.id = %project.id, error.detail = %detail,
            "a document for project {} could not be attached: {detail}", project.id);
    }
    let form = form.refused(reader.lang, &refused);
    let response = render(&page(reader, project, form));
    no_store((refused.status, response).into_response())
}

/// A page that carries the session's form token is kept by no cache.
fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}
