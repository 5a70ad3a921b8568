//! Public reads from a read replica. When `DATABASE_READ_URL` names a copy of the database
//! that follows the primary (a PostgreSQL streaming replica), the requests of readers
//! without an account are answered from it, and everything else from the primary: every
//! write, and every request of someone signed in (by session cookie or API token), so that
//! people see their own writes at once. A replica a moment behind shows the public a page a
//! moment old, never a page that mixes the two databases.
//!
//! The public answers come from a second instance of the same routes whose store is the
//! replica, with totals and kept pages of their own, since those follow the registry
//! version of the database they were counted in.

use axum::Router;
use axum::extract::Request;
use axum::http::Method;
use tower::ServiceExt;

use crate::auth;

/// Paths a reader without an account opens that still belong to the primary: signing in
/// and the invitation links need what was written a moment ago, and the health checks
/// speak for the primary.
const PRIMARY_ONLY: &[&str] = &[
    "/cabinet", "/login", "/logout", "/welcome", "/healthz", "/readyz",
];

/// `primary` and `public` (the same routes over the replica) as one application that
/// sends each request to one of them before either routes it.
pub fn route_public_reads(primary: Router, public: Router) -> Router {
    Router::new().fallback_service(tower::service_fn(move |request: Request| {
        let routes = if is_public_read(&request) {
            public.clone()
        } else {
            primary.clone()
        };
        routes.oneshot(request)
    }))
}

/// A GET or HEAD by someone not signed in, for anything but the pages of [`PRIMARY_ONLY`].
fn is_public_read(request: &Request) -> bool {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return false;
    }
    if !auth::is_anonymous(request.headers()) {
        return false;
    }
    let path = request.uri().path();
    let path = path.strip_prefix("/en").unwrap_or(path);
    !PRIMARY_ONLY.iter().any(|primary| {
        path.strip_prefix(primary)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(method: Method, path: &str, header: Option<(&str, &str)>) -> Request {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some((name, value)) = header {
            builder = builder.header(name, value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_anonymous_reads_of_public_pages_go_to_the_replica() {
        for path in [
            "/",
            "/en",
            "/projects?oblast=UA80",
            "/en/calls/x",
            "/api/v1/projects",
        ] {
            assert!(is_public_read(&request(Method::GET, path, None)), "{path}");
        }
        assert!(is_public_read(&request(Method::HEAD, "/data", None)));
        assert!(is_public_read(&request(Method::GET, "/loginx", None)));
        for path in [
            "/cabinet",
            "/en/cabinet/projects/1",
            "/login",
            "/welcome/abc",
            "/readyz",
        ] {
            assert!(!is_public_read(&request(Method::GET, path, None)), "{path}");
        }
        assert!(!is_public_read(&request(
            Method::POST,
            "/api/v1/projects",
            None
        )));
        let token = ("authorization", "Bearer secret");
        assert!(!is_public_read(&request(
            Method::GET,
            "/api/v1/projects",
            Some(token)
        )));
        let session = ("cookie", "lang=uk; dream_session=abc");
        assert!(!is_public_read(&request(
            Method::GET,
            "/projects",
            Some(session)
        )));
    }
}
