//! Who is asking: a signed-in browser (a session cookie), a machine with an API token, or
//! nobody. Also the defences of forms: every form that changes something carries a token
//! bound to the session (or, before sign-in, to a short-lived form cookie), and a request
//! that a browser marks as coming from another site is refused.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use dream_domain::policy::{Actor, ProjectFacts, Visibility, visible_filter};
use dream_domain::project::Project;
use dream_opendata::oc4ids::Publisher;
use dream_store::accounts::Session;

use crate::AppState;
use crate::api::steps::{Caller, actor_of};
use crate::error::ApiError;

/// The cookie that holds a browser's session token.
pub const SESSION_COOKIE: &str = "dream_session";
/// The cookie that binds a sign-in or set-password form to the browser that asked for it.
pub const FORM_COOKIE: &str = "dream_form";
/// How long a session may sit unused before it ends.
pub const IDLE_LIMIT: time::Duration = time::Duration::hours(8);
/// Failed sign-ins allowed for one email within [`THROTTLE_WINDOW`].
pub const THROTTLE_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW: time::Duration = time::Duration::minutes(15);
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The value of one cookie of a request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Whether a request carries no credentials at all: no API token and no session cookie.
/// Such a request sees only what the public sees, whoever sends it.
pub fn is_anonymous(headers: &HeaderMap) -> bool {
    !headers.contains_key(AUTHORIZATION) && cookie(headers, SESSION_COOKIE).is_none()
}

/// A `Set-Cookie` value: readable by the server only, sent with same-site requests and
/// top-level navigations, for the whole site. An installation whose public address is
/// HTTPS marks it `Secure`, so a browser never sends it over plain HTTP; one served over
/// HTTP (a machine of one's own) cannot, since browsers would not keep the cookie at all.
pub fn set_cookie(publisher: &Publisher, name: &str, value: &str, max_age_seconds: i64) -> String {
    let secure = if publisher.uri.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
}

/// Whether a state-changing request comes from our own pages. Browsers send
/// `Sec-Fetch-Site` and, on a POST, `Origin`; a request from another site is refused even
/// when it carries the right form token.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(site, Some("cross-site") | Some("same-site")) {
        return false;
    }
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    match headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            origin_host.is_some() && origin_host == host
        }
    }
}

/// Compares two secrets in time that does not depend on where they first differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Hashes a password with Argon2id. Slow by design, so callers run it off the async threads.
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored Argon2id hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    <Argon2 as PasswordVerifier<str>>::verify_password(
        &Argon2::default(),
        password.as_bytes(),
        stored,
    )
    .is_ok()
}

/// A signed-in browser. A page that needs one sends anyone else to sign in, and back to the
/// page afterwards.
pub struct SignedIn {
    pub session: Session,
    pub token: String,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_sign_in = || {
            let english = parts.uri.path().starts_with("/en/");
            let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
            let login = if english { "/en/login" } else { "/login" };
            Redirect::to(&format!("{login}?next={next}")).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in());
        };
        match state.store.session(&token, IDLE_LIMIT).await {
            Ok(Some(session)) => Ok(SignedIn { session, token }),
            Ok(None) => Err(to_sign_in()),
            Err(error) => {
                tracing::error!(error = %error, "a session could not be read");
                Err(crate::error::ApiError::Internal(error.to_string()).into_response())
            }
        }
    }
}

/// Who reads: the account behind an API token or a session cookie, or the public when
/// there is neither. It decides which drafts a reader sees ([`visible_filter`]); a token
/// that is not valid is refused rather than read as the public.
pub struct Viewer(pub Actor);

impl Viewer {
    /// The drafts this reader may see in lists and by address.
    pub fn visibility(&self) -> Visibility {
        visible_filter(&self.0)
    }

    /// Whether this reader may see `project`.
    pub fn sees(&self, project: &Project) -> bool {
        self.visibility().admits(&ProjectFacts::of(project, None))
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(AUTHORIZATION) {
            let Caller(actor, _) = Caller::from_request_parts(parts, state).await?;
            return Ok(Viewer(actor));
        }
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE)
            && let Some(session) = state.store.session(&token, IDLE_LIMIT).await?
            && let Ok(actor) = actor_of(&session.user)
        {
            return Ok(Viewer(actor));
        }
        Ok(Viewer(Actor::public()))
    }
}

/// A draft is not found by the public, as if it did not exist; a public project passes.
pub fn hide_draft(project: &Project) -> Result<(), ApiError> {
    if Visibility::PublicOnly.admits(&ProjectFacts::of(project, None)) {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!(
            "project {} does not exist",
            project.id
        )))
    }
}

/// Where to go after signing in: only a path of this site, never another address.
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => fallback.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn cookies_are_secure_wherever_the_site_is_served_over_https() {
        let mut publisher = Publisher {
            name: "Агенція відновлення".into(),
            uri: "https://dream.example".into(),
            prefix: "dreamx".into(),
            license: "https://creativecommons.org/licenses/by/4.0/".into(),
            publication_policy: None,
        };
        let cookie = set_cookie(&publisher, SESSION_COOKIE, "abc", 60);
        assert_eq!(
            cookie,
            "dream_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        publisher.uri = "http://127.0.0.1:8080".into();
        let cookie = set_cookie(&publisher, SESSION_COOKIE, "abc", 60);
        assert!(!cookie.contains("Secure"), "{cookie}");
    }

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/cabinet"), "/"), "/cabinet");
        assert_eq!(safe_next(Some("//evil.example/x"), "/"), "/");
        assert_eq!(safe_next(Some("https://evil.example"), "/"), "/");
        assert_eq!(safe_next(None, "/cabinet"), "/cabinet");
    }

    #[test]
    fn requests_from_other_sites_are_told_apart() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "dream.example".parse().unwrap());
        assert!(same_origin(&headers));
        headers.insert(ORIGIN, "https://dream.example".parse().unwrap());
        assert!(same_origin(&headers));
        headers.insert(ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&headers));
        headers.remove(ORIGIN);
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!same_origin(&headers));
    }
}
