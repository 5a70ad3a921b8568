//! `/api/v1/oc4ids`: the registry as OC4IDS 0.9.5: one project, or the whole package
//! streamed as it is written, with an ETag and Last-Modified so that harvesters and caches
//! download it again only when a project changed.

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH, LAST_MODIFIED};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dream_domain::ProjectId;
use dream_opendata::{oc4ids, package};
use tokio::sync::mpsc;

use crate::AppState;
use crate::auth::hide_draft;
use crate::error::ApiError;

/// How much of the package is written before it is handed to the connection.
const CHUNK_BYTES: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oc4ids/projects/{id}", get(project))
        .route("/oc4ids/package", get(whole_package))
}

async fn project(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = ProjectId::parse(&id).map_err(|error| ApiError::NotFound(error.to_string()))?;
    let (project, _) = state.store.project(&id).await?;
    hide_draft(&project)?;
    Ok(Json(oc4ids::project(&project, &state.publisher)).into_response())
}

async fn whole_package(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (count, last_change) = state.store.public_version().await?;
    let Some(last_change) = last_change else {
        return Err(ApiError::NotFound("there are no projects yet".into()));
    };
    let etag = format!(
        "\"{count}-{}\"",
        last_change.0.unix_timestamp_nanos() / 1000
    );
    let last_modified = http_date(last_change.0);
    let cache_headers = [(ETAG, etag.clone()), (LAST_MODIFIED, last_modified)];
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, cache_headers).into_response());
    }

    let (sender, receiver) = mpsc::channel::<std::io::Result<Bytes>>(4);
    let store = state.store.clone();
    let publisher = state.publisher.clone();
    tokio::spawn(async move {
        let out = std::io::BufWriter::with_capacity(CHUNK_BYTES, ChannelWriter(sender.clone()));
        if let Err(error) = package::write_oc4ids(&store, &publisher, out).await {
            tracing::error!(error = %error, "the OC4IDS package stopped halfway: {error}");
            let _ = sender
                .send(Err(std::io::Error::other(error.to_string())))
                .await;
        }
    });
    let chunks = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    let content_type = [(CONTENT_TYPE, "application/json".to_owned())];
    Ok((content_type, cache_headers, Body::from_stream(chunks)).into_response())
}

/// Hands each write to the response body; used from the blocking thread that writes the
/// package, so it waits while the client is slower than the database.
struct ChannelWriter(mpsc::Sender<std::io::Result<Bytes>>);

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(bytes)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A moment as HTTP writes dates: `Thu, 03 Dec 2026 17:27:20 GMT`.
fn http_date(moment: time::OffsetDateTime) -> String {
    let layout = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(&layout)
        .unwrap_or_default()
}
