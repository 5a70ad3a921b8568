//! The open-data page, `/data` in Ukrainian and `/en/data` in English: every bulk file with
//! its size and SHA-256 sum, the publisher, the licence and the date, and the files
//! themselves under `/data/files/`, streamed from the file store where they are published.

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dream_files::{Download, FileError, FileStore};
use dream_opendata::bulk::{self, Manifest, PublishedFile};

use super::{Chrome, Lang, Problem, Reader, both, render};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    both(Router::new(), "/data", get(page)).route("/data/files/{name}", get(file))
}

/// Sizes as people read them: `1,2 МБ` in Ukrainian, `1.2 MB` in English.
fn size(bytes: u64, lang: Lang) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 20 => (b as f64 / f64::from(1 << 20), ["МБ", "MB"]),
        b if b >= 1 << 10 => (b as f64 / f64::from(1 << 10), ["КБ", "KB"]),
        b => (b as f64, ["Б", "B"]),
    };
    match lang {
        Lang::Uk => format!("{value:.1}\u{a0}{}", unit[0]).replace('.', ","),
        Lang::En => format!("{value:.1}\u{a0}{}", unit[1]),
    }
}

/// One published file as the page lists it.
struct FileRow {
    name: String,
    title: String,
    size: String,
    sha256: String,
}

#[derive(Template)]
#[template(path = "data.html")]
struct DataPage {
    chrome: Chrome,
    manifest: Option<Manifest>,
    files: Vec<FileRow>,
}

/// The manifest of the published files; `None` when nothing is published or no store is
/// configured.
async fn manifest(state: &AppState) -> Result<Option<Manifest>, ApiError> {
    let Some(files) = &state.files else {
        return Ok(None);
    };
    bulk::read_manifest(files)
        .await
        .map_err(|e| ApiError::Internal(format!("the open-data manifest: {e}")))
}

async fn page(State(state): State<AppState>, reader: Reader) -> Response {
    let lang = reader.lang;
    let manifest = match manifest(&state).await {
        Ok(manifest) => manifest,
        Err(error) => {
            tracing::error!(error = %error, "the open-data page could not read the manifest");
            return Problem::respond(
                &reader,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Не вдалося прочитати перелік файлів. Спробуйте ще раз за хвилину.",
                "The list of files could not be read. Please try again in a minute.",
            );
        }
    };
    let files = manifest
        .iter()
        .flat_map(|m| &m.files)
        .map(|file| FileRow {
            name: file.name.clone(),
            title: lang.pick(&file.title_uk, &file.title_en).to_owned(),
            size: size(file.bytes, lang),
            sha256: file.sha256.clone(),
        })
        .collect();
    render(&DataPage {
        chrome: Chrome::new(&reader, lang.pick("Відкриті дані", "Open data"), "data"),
        manifest,
        files,
    })
}

/// A published file, by a name the manifest lists; nothing else in the store is served. Its
/// SHA-256 sum is its ETag, so a client that has it gets 304 without a byte of the file.
async fn file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound(format!("no published file is called {name:?}"));
    let files = state.files.as_ref().ok_or_else(missing)?;
    let (listed, download) = open_listed(&state, files, &name)
        .await?
        .ok_or_else(missing)?;

    let etag = format!("\"{}\"", listed.sha256);
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response());
    }
    let disposition = format!("attachment; filename=\"{}\"", listed.name);
    let headers = [
        (
            CONTENT_TYPE,
            format!("{}; charset=utf-8", listed.media_type),
        ),
        (CONTENT_LENGTH, download.info.bytes.to_string()),
        (CONTENT_DISPOSITION, disposition),
        (CACHE_CONTROL, "public, max-age=3600".to_owned()),
        (ETAG, etag),
    ];
    Ok((headers, Body::from_stream(download.body)).into_response())
}

/// Opens the file the manifest lists as `name`. A publication that completes between
/// reading the manifest and opening the file deletes the file read of, so a file that is
/// gone is looked up once more in the new manifest.
async fn open_listed(
    state: &AppState,
    files: &FileStore,
    name: &str,
) -> Result<Option<(PublishedFile, Download)>, ApiError> {
    for _ in 0..2 {
        let Some(manifest) = manifest(state).await? else {
            return Ok(None);
        };
        let Some((listed, key)) = manifest.find(name) else {
            return Ok(None);
        };
        match files.get(&key).await {
            Ok(download) => return Ok(Some((listed.clone(), download))),
            Err(FileError::NotFound { .. }) => continue,
            Err(error) => return Err(ApiError::Internal(format!("published file: {error}"))),
        }
    }
    Ok(None)
}
