//! Public pages kept as rendered, between requests. Rendering a passport or a catalogue page
//! costs a millisecond or two of CPU, and most readers ask for the same few pages, so a page
//! rendered for the public is kept with the registry version it was rendered at and served
//! again until the version moves on. Every write to a project, an object or an organisation
//! moves the version on in its own transaction, and every request asks for it
//! (`Store::registry_version`, which knows it without a round trip to the database), so a
//! page is never older than the last write, whichever process made it.
//!
//! Only what anyone would see is kept: a request with a session cookie or an API token is
//! rendered for its reader and never cached, and neither is an answer that is not a plain
//! successful HTML page.
//!
//! A kept page is kept gzip-compressed, compressed once when it is kept rather than again
//! for every reader: a browser that accepts gzip (every browser does) gets those bytes, and
//! the rare client that does not gets them unpacked.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth;

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

/// A kept page: its headers and its body gzip-compressed. Only the compressed body is kept,
/// since nearly every reader takes it as it is; at the fastest level it is about half the
/// page (a demo passport 29.5 of 55.5 KB, whose QR code and drawings compress poorly; the
/// home page 33 of 81 KB).
#[derive(Clone)]
struct Page {
    headers: HeaderMap,
    gzipped: Bytes,
}

impl Page {
    /// The page to keep, or `None` when it could not be compressed.
    fn new(mut headers: HeaderMap, body: &[u8]) -> Option<Page> {
        // Whichever form a reader gets, a cache between us and them must ask again for a
        // reader who accepts other encodings.
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        headers.remove(CONTENT_LENGTH);
        Some(Page {
            headers,
            gzipped: Bytes::from(gzip(body)?),
        })
    }

    /// The page gzipped for a reader who accepts gzip, otherwise unpacked.
    fn response(&self, gzip: bool) -> Response {
        let mut headers = self.headers.clone();
        let body = if gzip {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            self.gzipped.clone()
        } else {
            let mut plain = Vec::with_capacity(self.gzipped.len() * 5);
            let unpacked = flate2::read::GzDecoder::new(&self.gzipped[..]).read_to_end(&mut plain);
            if unpacked.is_err() {
                return (StatusCode::INTERNAL_SERVER_ERROR, "a kept page was damaged")
                    .into_response();
            }
            Bytes::from(plain)
        };
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        (headers, body).into_response()
    }
}

/// `bytes` compressed with gzip at its fastest level, as the other answers are: a page is
/// compressed once for all its readers, but the first reader of each page waits for it.
fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 4),
        flate2::Compression::fast(),
    );
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

/// Whether `Accept-Encoding` names gzip (or any encoding, `*`) without refusing it with
/// `q=0`.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for coding in value.split(',') {
            let mut parameters = coding.split(';');
            let name = parameters.next().unwrap_or("").trim();
            let refused = parameters.any(|parameter| {
                let parameter = parameter.trim();
                parameter
                    .strip_prefix("q=")
                    .or_else(|| parameter.strip_prefix("Q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(!refused);
            } else if name == "*" {
                any = Some(!refused);
            }
        }
    }
    gzip.or(any).unwrap_or(false)
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
    let gzip = accepts_gzip(request.headers());
    if let Some(page) = state.pages.get(version, &address) {
        return page.response(gzip);
    }

    let response = next.run(request).await;
    if !is_keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, LARGEST_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the page was too large").into_response();
    };
    let Some(page) = Page::new(parts.headers.clone(), &body) else {
        return Response::from_parts(parts, axum::body::Body::from(body));
    };
    let response = page.response(gzip);
    state.pages.keep(version, address, page);
    response
}

/// A GET by someone who is not signed in, by cookie or by token.
fn is_public_read(request: &Request) -> bool {
    request.method() == Method::GET && auth::is_anonymous(request.headers())
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
        Page::new(HeaderMap::new(), text.as_bytes()).unwrap()
    }

    async fn text_of(response: Response) -> String {
        let body = axum::body::to_bytes(response.into_body(), LARGEST_PAGE_BYTES).await;
        String::from_utf8(body.unwrap().to_vec()).unwrap()
    }

    fn accepting(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn gzip_is_sent_only_to_readers_who_accept_it() {
        assert!(accepts_gzip(&accepting("gzip, deflate, br")));
        assert!(accepts_gzip(&accepting("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&accepting("*")));
        assert!(!accepts_gzip(&HeaderMap::new()));
        assert!(!accepts_gzip(&accepting("br, deflate")));
        assert!(!accepts_gzip(&accepting("gzip;q=0")));
        assert!(!accepts_gzip(&accepting("*, gzip; q=0.000")));
        assert!(!accepts_gzip(&accepting("identity")));
    }

    #[tokio::test]
    async fn a_kept_page_is_the_same_page_compressed_or_not() {
        let text = "<p>Відбудова школи</p>".repeat(200);
        let kept = Page::new(HeaderMap::new(), text.as_bytes()).unwrap();
        assert!(kept.gzipped.len() < text.len() / 10);

        let plain = kept.response(false);
        assert!(plain.headers().get(CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[VARY], "accept-encoding");
        assert_eq!(plain.headers()[CONTENT_LENGTH], text.len().to_string());
        assert_eq!(text_of(plain).await, text);

        let compressed = kept.response(true);
        assert_eq!(compressed.headers()[CONTENT_ENCODING], "gzip");
        assert_eq!(
            compressed.headers()[CONTENT_LENGTH],
            kept.gzipped.len().to_string()
        );
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&kept.gzipped[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, text);
    }

    #[tokio::test]
    async fn a_page_is_served_only_at_the_version_it_was_rendered_at() {
        let cache = PageCache::default();
        cache.keep(3, "/projects".into(), page("three"));
        let kept = cache.get(3, "/projects").unwrap();
        assert_eq!(text_of(kept.response(false)).await, "three");
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
