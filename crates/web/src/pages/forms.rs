//! What every form of the signed-in pages shares: the check that a form carries its
//! session's token and came from our own pages, the page that refuses one that does not,
//! and the names of the roles as the pages write them.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{Lang, Problem, Reader};
use crate::auth::{self, SignedIn};

/// Whether a signed-in form carries its session's token and comes from our own pages.
pub fn csrf_ok(headers: &HeaderMap, signed_in: &SignedIn, given: &str) -> bool {
    auth::same_origin(headers) && auth::same_secret(&signed_in.session.csrf_token, given)
}

/// The page for a form sent from elsewhere or with a stale token.
pub fn refused_form(reader: &Reader) -> Response {
    Problem::respond(
        reader,
        StatusCode::FORBIDDEN,
        "Форму надіслано не з цієї сторінки або вона застаріла. Відкрийте її ще раз.",
        "The form was not sent from this site's page, or it is out of date. Open it again.",
    )
}

/// The name of a role, by its code, in `lang`.
pub fn role_name(lang: Lang, role: &str) -> String {
    let (uk, en) = match role {
        "initiator" => ("ініціатор", "initiator"),
        "oblastReviewer" => ("обласний експерт", "oblast reviewer"),
        "commissionMember" => ("член комісії", "commission member"),
        "agencyAdministrator" => ("адміністратор Агентства", "agency administrator"),
        "donor" => ("донор", "donor"),
        other => (other, other),
    };
    lang.pick(uk, en).to_owned()
}

/// Whether the signed-in person is an administrator of the agency, or the page that says
/// `uk` / `en` to anyone else.
pub fn administrator(
    reader: &Reader,
    signed_in: &SignedIn,
    uk: &str,
    en: &str,
) -> Result<(), Box<Response>> {
    if signed_in.session.user.role == "agencyAdministrator" {
        return Ok(());
    }
    Err(Box::new(Problem::respond(
        reader,
        StatusCode::FORBIDDEN,
        uk,
        en,
    )))
}
