//! The open-data page, `/data` in Ukrainian and `/en/data` in English: every bulk file with
//! its size and SHA-256 sum, the publisher, the licence and the date, and the files
//! themselves under `/data/files/`, served from the publishing directory.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use dream_opendata::bulk::{self, Manifest};

use super::escape;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/data", get(|state| page(state, Lang::Uk)))
        .route("/en/data", get(|state| page(state, Lang::En)))
        .route("/data/files/{name}", get(file))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Uk,
    En,
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

async fn page(State(state): State<AppState>, lang: Lang) -> Html<String> {
    let manifest = state.publish_dir.as_deref().and_then(bulk::read_manifest);
    let en = lang == Lang::En;
    let text = |uk: &'static str, english: &'static str| if en { english } else { uk };
    let body = match manifest {
        Some(manifest) => files_section(&manifest, lang),
        None => format!(
            "<p>{}</p>",
            text(
                "Файли ще готуються: вони з’являться після першої публікації.",
                "The files are being prepared: they appear after the first publication.",
            )
        ),
    };
    Html(format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — DREAM</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>{style}</style>
</head>
<body>
<main>
<p><a href="{switch_href}" hreflang="{switch_lang}">{switch}</a></p>
<h1>{title}</h1>
<p>{intro} <a href="/api/docs/">API</a>.</p>
{body}
</main>
</body>
</html>"#,
        lang = if en { "en" } else { "uk" },
        style = super::STYLE,
        title = text("Відкриті дані", "Open data"),
        switch_href = if en { "/data" } else { "/en/data" },
        switch_lang = if en { "uk" } else { "en" },
        switch = if en {
            "Українською"
        } else {
            "In English"
        },
        intro = text(
            "Усі публічні дані DREAM одним файлом кожного формату; окремі записи — через",
            "All public data of DREAM, one file per format; single records through the",
        ),
    ))
}

fn files_section(manifest: &Manifest, lang: Lang) -> String {
    let en = lang == Lang::En;
    let rows: String = manifest
        .files
        .iter()
        .filter(|file| file.name != bulk::MANIFEST)
        .map(|file| {
            format!(
                "<tr><td><a href=\"/data/files/{name}\">{title}</a></td><td>{name}</td>\
                 <td class=\"money\">{size}</td><td><code>{sha}</code></td></tr>",
                name = escape(&file.name),
                title = escape(if en { &file.title_en } else { &file.title_uk }),
                size = size(file.bytes, lang),
                sha = escape(&file.sha256),
            )
        })
        .collect();
    let labels = if en {
        [
            "Published",
            "Publisher",
            "Licence",
            "Projects",
            "File",
            "Name",
            "Size",
        ]
    } else {
        [
            "Опубліковано",
            "Публікатор",
            "Ліцензія",
            "Проєктів",
            "Файл",
            "Назва",
            "Розмір",
        ]
    };
    format!(
        "<dl><dt>{}</dt><dd><time datetime=\"{published}\">{published}</time></dd>\
         <dt>{}</dt><dd>{publisher}</dd><dt>{}</dt><dd><a href=\"{license}\">{license}</a></dd>\
         <dt>{}</dt><dd>{projects}</dd></dl>\
         <table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">SHA-256</th></tr></thead>\
         <tbody>{rows}</tbody></table>",
        labels[0],
        labels[1],
        labels[2],
        labels[3],
        labels[4],
        labels[5],
        labels[6],
        published = escape(&manifest.published),
        publisher = escape(&manifest.publisher),
        license = escape(&manifest.license),
        projects = manifest.projects,
    )
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
