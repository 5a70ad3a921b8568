//! The public portal: pages a browser opens, rendered on the server in Ukrainian (at the
//! root) and English (under `/en`), working without JavaScript. Each page has its module;
//! the templates they fill are in `crates/web/templates/`.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};

use crate::AppState;
pub use i18n::Lang;

mod account;
mod administration;
mod area;
mod assets;
pub mod cache;
mod call_form;
mod calls;
mod catalogue;
mod dashboard;
mod data;
mod downloads;
mod filters;
mod forms;
mod home;
pub(crate) mod i18n;
mod labels;
mod organisation;
mod passport;
mod place;
mod project_form;
mod registers;
pub mod totals;
pub(crate) mod uploads;
mod workbench;

pub fn router(state: &AppState) -> Router<AppState> {
    // The pages whose content follows the registry alone are kept as rendered.
    let kept = Router::new()
        .merge(home::router())
        .merge(catalogue::router())
        .merge(passport::router())
        .merge(place::router())
        .merge(organisation::router())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            cache::serve_kept,
        ));
    Router::new()
        .route("/favicon.svg", get(favicon))
        .merge(assets::router())
        .merge(kept)
        .merge(downloads::router())
        .merge(data::router())
        .merge(calls::router())
        .merge(account::router())
        .merge(uploads::router())
        .merge(workbench::router())
        .merge(project_form::router())
        .merge(administration::router())
        .merge(call_form::router())
        .merge(registers::router())
}

/// Registers `methods` at `path` in Ukrainian and at `/en` + `path` in English; the
/// handlers learn the language from their [`Reader`].
fn both(
    router: Router<AppState>,
    path: &str,
    methods: axum::routing::MethodRouter<AppState>,
) -> Router<AppState> {
    if path == "/" {
        return router
            .route("/", methods.clone())
            .route("/en", methods.clone())
            .route("/en/", methods);
    }
    router
        .route(path, methods.clone())
        .route(&format!("/en{path}"), methods)
}

/// Who is reading: the language the URL asks for, and the page they are on (its path
/// without the language, and its query), so the language switch can keep it.
#[derive(Debug, Clone)]
pub struct Reader {
    pub lang: Lang,
    pub here: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path();
        let (lang, rest) = match path.strip_prefix("/en") {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => (Lang::En, rest),
            _ => (Lang::Uk, path),
        };
        let rest = if rest.is_empty() { "/" } else { rest };
        let here = match parts.uri.query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_owned(),
        };
        Ok(Reader { lang, here })
    }
}

/// What every page's frame needs: language, title, the switch to the other language, the
/// section of the menu it belongs to, and the addresses of the style sheet and script.
pub struct Chrome {
    pub lang: Lang,
    pub title: String,
    pub switch_href: String,
    pub section: &'static str,
    pub css: &'static str,
    pub js: &'static str,
}

impl Chrome {
    pub fn new(reader: &Reader, title: impl Into<String>, section: &'static str) -> Self {
        Chrome {
            lang: reader.lang,
            title: title.into(),
            switch_href: reader.lang.other().path(&reader.here),
            section,
            css: assets::STYLE.path(),
            js: assets::SCRIPT.path(),
        }
    }
}

/// A rendered page, or the error page when rendering failed.
fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(error = %error, "a page template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// The page a reader sees when what they asked for does not exist or cannot be shown.
#[derive(Template)]
#[template(path = "problem.html")]
pub struct Problem {
    pub chrome: Chrome,
    pub heading: String,
    pub explanation: String,
}

impl Problem {
    pub fn respond(reader: &Reader, status: StatusCode, uk: &str, en: &str) -> Response {
        let heading = match status {
            StatusCode::NOT_FOUND => reader.lang.pick("Сторінку не знайдено", "Page not found"),
            StatusCode::BAD_REQUEST => reader.lang.pick("Неправильний запит", "Bad request"),
            _ => reader.lang.pick("Сталася помилка", "Something went wrong"),
        };
        let page = Problem {
            chrome: Chrome::new(reader, heading, ""),
            heading: heading.to_owned(),
            explanation: reader.lang.pick(uk, en).to_owned(),
        };
        (status, render(&page)).into_response()
    }

    /// The page for a store error: a missing record is 404, anything else is logged and
    /// shown as a generic failure.
    pub fn from_store(reader: &Reader, error: dream_store::StoreError) -> Response {
        match error {
            dream_store::StoreError::NotFound { .. } => Self::respond(
                reader,
                StatusCode::NOT_FOUND,
                "Такого запису в реєстрі немає. Можливо, посилання застаріло.",
                "The registry holds no such record. The link may be out of date.",
            ),
            other => {
                tracing::error!(error = %other, "a page could not read the store");
                Self::respond(
                    reader,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Не вдалося прочитати дані. Спробуйте ще раз за хвилину.",
                    "The data could not be read. Please try again in a minute.",
                )
            }
        }
    }
}

/// The site icon: a blue and yellow square, the colours of the flag.
const FAVICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="16" fill="#0057b7"/><rect y="16" width="32" height="16" fill="#ffd700"/>
</svg>"##;

async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}
