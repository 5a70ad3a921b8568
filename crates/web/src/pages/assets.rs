//! The style sheet and script of the pages, built into the binary and served under names
//! that carry a hash of their content, so browsers may keep them for a year and still see a
//! new version the moment it ships.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::AppState;

/// A file served under a content-hashed name.
pub struct Asset {
    path: String,
    body: &'static str,
    content_type: &'static str,
}

impl Asset {
    fn new(stem: &str, extension: &str, body: &'static str, content_type: &'static str) -> Self {
        let digest = Sha256::digest(body.as_bytes());
        let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        Asset {
            path: format!("/static/{stem}.{hash}.{extension}"),
            body,
            content_type,
        }
    }

    /// The address pages link to.
    pub fn path(&'static self) -> &'static str {
        &self.path
    }
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

pub static STYLE: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("site", "css", include_str!("../../assets/site.css"), CSS));
pub static SCRIPT: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("site", "js", include_str!("../../assets/site.js"), JS));

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{name}", get(asset))
}

async fn asset(Path(name): Path<String>) -> Response {
    let wanted = format!("/static/{name}");
    for asset in [&*STYLE, &*SCRIPT] {
        if asset.path == wanted {
            return (
                [
                    (header::CONTENT_TYPE, asset.content_type),
                    (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                ],
                asset.body,
            )
                .into_response();
        }
    }
    (StatusCode::NOT_FOUND, "no such file").into_response()
}
