//! The open-data page, `/data` in Ukrainian and `/en/data` in English: every bulk file with
//! its size and SHA-256 sum, the publisher, the licence and the date, and the files
//! themselves under `/data/files/`, served from the publishing directory.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dream_opendata::bulk::{self, Manifest};

use super::{Chrome, Lang, Reader, both, render};
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

async fn page(State(state): State<AppState>, reader: Reader) -> Response {
    let lang = reader.lang;
    let manifest = state.publish_dir.as_deref().and_then(bulk::read_manifest);
    let files = manifest
        .iter()
        .flat_map(|m| &m.files)
        .filter(|file| file.name != bulk::MANIFEST)
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

/// A published file, by a name the manifest lists; nothing else in the directory is served.
async fn file(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound(format!("no published file is called {name:?}"));
    let dir = state.publish_dir.as_deref().ok_or_else(missing)?;
    let manifest = bulk::read_manifest(dir).ok_or_else(missing)?;
    let listed = manifest
        .files
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(missing)?;
    let bytes = tokio::fs::read(dir.join(&listed.name))
        .await
        .map_err(|e| ApiError::Internal(format!("published file {name}: {e}")))?;
    let disposition = format!("attachment; filename=\"{}\"", listed.name);
    let headers = [
        (
            CONTENT_TYPE,
            format!("{}; charset=utf-8", listed.media_type),
        ),
        (CONTENT_DISPOSITION, disposition),
        (CACHE_CONTROL, "public, max-age=3600".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}
