//! A project's documents and photos through the API: `POST /projects/{id}/documents` takes
//! a file with its DREAM document type and title as `multipart/form-data` from whoever may
//! edit the project (an account's API token or the administrator token), and
//! `GET /projects/{id}/documents/{document}` serves the file back as it was stored, to
//! whoever may see the project. The rules live in `crate::documents`.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dream_domain::codelist::AccessDetails;
use dream_domain::formats::FileFormat;
use dream_domain::policy::{Actor, ProjectFacts, Role};
use dream_domain::project::{Document, Project};
use dream_files::FileError;
use futures_util::TryStreamExt;
use serde_json::json;

use super::projects::project_id;
use super::steps::Caller;
use crate::AppState;
use crate::auth::Viewer;
use crate::documents;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/documents", post(upload))
        .route("/projects/{id}/documents/{document}", get(download))
}

/// Adds the uploaded file to the project's documents: 201 with the document and its
/// `Location`.
async fn upload(
    State(state): State<AppState>,
    Caller(actor, _): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let limit = state.upload_limit_bytes;
    // Refusing before the body is read spares a stranger's upload; the rest of the body is
    // still read, so that the refusal reaches the sender.
    let early = async {
        let id = project_id(&id)?;
        let (project, _) = state.store.project(&id).await?;
        documents::authorise(&actor, &project)?;
        Ok::<_, ApiError>(id)
    };
    let id = match early.await {
        Ok(id) => id,
        Err(error) => {
            documents::drain(body, limit).await;
            return Err(error);
        }
    };

    let upload = documents::read_upload(&headers, body, limit)
        .await?
        .check(&[])?;
    let document = documents::attach(&state, &actor, &id, upload).await?;
    let location = format!("/api/v1/projects/{id}/documents/{}", document.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(json!({ "project": id.to_string(), "document": document })),
    )
        .into_response())
}

/// Streams a document's file from the file store, with the type its bytes were found to be.
async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, document_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = project_id(&id)?;
    let (project, _) = state.store.project(&id).await?;
    if !viewer.sees(&project) {
        return Err(ApiError::NotFound(format!("project {id} does not exist")));
    }
    let missing = || ApiError::NotFound(format!("project {id} has no document {document_id}"));
    let document = project
        .content
        .documents
        .iter()
        .find(|document| document.id == document_id)
        .ok_or_else(missing)?;
    if !may_read(&viewer.0, &project, document) {
        return Err(ApiError::Forbidden(format!(
            "document {document_id} is {}: only those the project names may read it",
            document.access_details
        )));
    }
    let Some(sha256) = document.sha256.as_deref() else {
        return Err(ApiError::NotFound(format!(
            "DREAM does not keep the file of document {document_id}; its address is {}",
            document.url.as_deref().unwrap_or("not given")
        )));
    };

    let files = documents::file_store(&state)?;
    let key = documents::file_key(&id, sha256)?;
    let download = files.get(&key).await.map_err(|error| match error {
        FileError::NotFound { .. } => missing(),
        other => ApiError::Internal(other.to_string()),
    })?;
    let headers = file_headers(&project, document, download.info.bytes);
    let body = Body::from_stream(download.body.map_err(std::io::Error::other));
    Ok((headers, body).into_response())
}

/// Who may read a document's file: anyone who sees the project when it is open; anyone
/// signed in when it is limited; the initiator's own people and administrators when it is
/// restricted.
fn may_read(actor: &Actor, project: &Project, document: &Document) -> bool {
    match document.access_details {
        AccessDetails::Open => true,
        AccessDetails::Limited => actor.role != Role::Public,
        AccessDetails::Restricted => {
            let initiator = ProjectFacts::of(project, None).initiator;
            actor.role == Role::Administrator
                || (actor.organisation.is_some() && actor.organisation == initiator)
        }
    }
}

/// The headers a stored file is served with. The type is the one its bytes were found to be,
/// and browsers are told not to guess another; a document that is not a picture is offered
/// for saving rather than opened in the page's place, and no file may run anything.
fn file_headers(project: &Project, document: &Document, bytes: u64) -> HeaderMap {
    let format = FileFormat::from_media_type(&document.format);
    let content_type = format.map_or("application/octet-stream", FileFormat::media_type);
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    if !format.is_some_and(FileFormat::is_image) {
        let extension = format.map_or("bin", |format| format.extensions()[0]);
        let disposition = format!("attachment; filename=\"{}.{extension}\"", document.id);
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
    }
    // The file under a document's id never changes, but a draft's files are not for caches
    // that others share.
    let public = ProjectFacts::of(project, None);
    let cache = if dream_domain::workflow::is_draft(public.stage)
        || document.access_details != AccessDetails::Open
    {
        "private, no-cache"
    } else {
        "public, max-age=86400"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers
}
