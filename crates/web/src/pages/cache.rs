//! Public pages kept as rendered, between requests. Rendering a passport or a catalogue page
//! costs a millisecond or two of CPU, and most readers ask for the same few pages, so a page
//! rendered for the public is kept with the registry version it was rendered at and served
//! again until the version moves on. Every write to a project, an object or an organisation
//! moves the version on in its own transaction, and every request reads it (one indexed
//! row), so a page is never older than the last write, whichever process made it.
//!
//! Only what anyone would see is kept: a request with a session cookie or an API token is
//! rendered for its reader and never cached, and neither is an answer that is not a plain
//! successful HTML page.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::SESSION_COOKIE;

/// How many pages are kept; past it, one kept page makes room for each new one.
const CAPACITY: usize = 4096;

/// Pages bigger than this are rendered every time rather than kept.
const LARGEST_PAGE_BYTES: usize = 1024 * 1024;

/// The rendered public pages of one registry version, by path and query.
#[derive(Default)]
pub struct PageCache {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    version: i64,
    pages: HashMap<String, Page>,
}

#[derive(Clone)]
struct Page {
    headers: HeaderMap,
    body: Bytes,
}

impl PageCache {
    fn get(&self, version: i64, address: &str) -> Option<Page> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.version != version {
            return None;
        }
        kept.pages.get(address).cloned()
    }

    fn keep(&self, version: i64, address: String, page: Page) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.version != version {
            // A page of an older version is never served again: forget them all at once.
            if kept.version > version {
                return;
            }
            kept.version = version;
            kept.pages.clear();
        }
        if kept.pages.len() >= CAPACITY
            && let Some(evicted) = kept.pages.keys().next().cloned()
        {
            kept.pages.remove(&evicted);
        }
        kept.pages.insert(address, page);
    }
}

/// Serves a public page from the cache when it was rendered at the current registry
/// version, and keeps what it renders otherwise.
pub async fn serve_kept(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_public_read(&request) {
        return next.run(request).await;
    }
    let Ok(version) = state.store.registry_version().await else {
        // The handler meets the same database and says what went wrong.
        return next.run(request).await;
    };
    let address = request.uri().to_string();
    if let Some(page) = state.pages.get(version, &address) {
        return (page.headers, page.body).into_response();
    }

    let response = next.run(request).await;
    if !is_keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, LARGEST_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the page was too large").into_response();
    };
    let page = Page {
        headers: parts.headers.clone(),
        body: body.clone(),
    };
    state.pages.keep(version, address, page);
    Response::from_parts(parts, Body::from(body))
}

/// A GET by someone who is not signed in, by cookie or by token.
fn is_public_read(request: &Request) -> bool {
    if request.method() != Method::GET || request.headers().contains_key(AUTHORIZATION) {
        return false;
    }
    let signed_in = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|cookies| cookies.contains(SESSION_COOKIE));
    !signed_in
}

/// A successful HTML page that sets no cookie and says how long it is.
fn is_keepable(response: &Response) -> bool {
    let html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    response.status() == StatusCode::OK && html && !response.headers().contains_key(SET_COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &'static str) -> Page {
        Page {
            headers: HeaderMap::new(),
            body: Bytes::from_static(text.as_bytes()),
        }
    }

    #[test]
    fn a_page_is_served_only_at_the_version_it_was_rendered_at() {
        let cache = PageCache::default();
        cache.keep(3, "/projects".into(), page("three"));
        assert_eq!(cache.get(3, "/projects").unwrap().body, "three");
        assert!(cache.get(4, "/projects").is_none());
        assert!(cache.get(3, "/en/projects").is_none());

        cache.keep(4, "/".into(), page("four"));
        assert!(
            cache.get(4, "/projects").is_none(),
            "a newer version forgets the older"
        );
        cache.keep(3, "/projects".into(), page("late"));
        assert!(
            cache.get(3, "/projects").is_none(),
            "a late render of an old version"
        );
    }

    #[test]
    fn a_full_cache_makes_room_for_each_new_page() {
        let cache = PageCache::default();
        for n in 0..CAPACITY + 10 {
            cache.keep(1, format!("/projects?page={n}"), page("p"));
        }
        let kept = cache.kept.lock().unwrap();
        assert_eq!(kept.pages.len(), CAPACITY);
        assert!(
            kept.pages
                .contains_key(&format!("/projects?page={}", CAPACITY + 9))
        );
    }
}
