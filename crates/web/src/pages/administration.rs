//! The agency's account administration, `/cabinet/accounts`: the administrator sees every
//! account, creates one (its role, the organisation it acts for or the oblast it reviews)
//! and gets its one-time invitation link to pass on, or a password-reset link for an
//! existing account. The same checks as `dream users add` apply; a link is shown once, on
//! a page no cache keeps. Nobody else may open these pages.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use dream_store::StoreError;
use dream_store::accounts::{AccountRequest, LINK_VALID_DAYS, LinkPurpose, User};
use serde::Deserialize;

use super::forms::{administrator, csrf_ok, refused_form, role_name};
use super::{Chrome, Problem, Reader, both, render};
use crate::AppState;
use crate::auth::SignedIn;

pub fn router() -> Router<AppState> {
    let router = both(Router::new(), "/cabinet/accounts", get(list).post(create));
    both(router, "/cabinet/accounts/{id}/reset", post(reset))
}

#[derive(Debug, Clone, Default, Deserialize)]
struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    territory: String,
}

struct AccountRow {
    id: String,
    email: String,
    name: String,
    role: String,
    reach: String,
    has_password: bool,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    csrf: String,
    here: String,
    accounts: Vec<AccountRow>,
    roles: Vec<(&'static str, String)>,
    form: AccountForm,
    problems: HashMap<String, String>,
    /// A link just made, for whom, and what it is for; shown this once.
    link: Option<(String, String, String)>,
}

impl AccountsPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems.get(field).map(String::as_str)
    }
}

/// Accounts are the agency administrators' to make.
fn administrator_only(reader: &Reader, signed_in: &SignedIn) -> Result<(), Box<Response>> {
    administrator(
        reader,
        signed_in,
        "Облікові записи створює адміністратор Агентства відновлення.",
        "Accounts are created by an administrator of the Restoration Agency.",
    )
}

async fn page(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    form: AccountForm,
    problems: HashMap<String, String>,
    link: Option<(String, String, String)>,
    status: StatusCode,
) -> Response {
    let lang = reader.lang;
    let users = match state.store.users().await {
        Ok(users) => users,
        Err(error) => return Problem::from_store(reader, error),
    };
    let accounts = users
        .into_iter()
        .map(|user| AccountRow {
            reach: user
                .organisation
                .clone()
                .or(user.oblast.clone())
                .unwrap_or_default(),
            role: role_name(lang, &user.role),
            id: user.id,
            email: user.email,
            name: user.name,
            has_password: user.has_password,
        })
        .collect();
    let page = AccountsPage {
        chrome: Chrome::new(reader, lang.pick("Облікові записи", "Accounts"), "cabinet"),
        csrf: signed_in.session.csrf_token.clone(),
        here: lang.path("/cabinet/accounts"),
        accounts,
        roles: dream_store::accounts::ROLES
            .iter()
            .map(|role| (*role, role_name(lang, role)))
            .collect(),
        form,
        problems,
        link,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    // A page that may show a one-time link must not be kept by any cache.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

async fn list(State(state): State<AppState>, reader: Reader, signed_in: SignedIn) -> Response {
    if let Err(page) = administrator_only(&reader, &signed_in) {
        return *page;
    }
    let form = AccountForm {
        role: "initiator".into(),
        ..AccountForm::default()
    };
    page(
        &state,
        &reader,
        &signed_in,
        form,
        HashMap::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The address of a one-time link, on the site's public address.
fn link_address(state: &AppState, token: &str) -> String {
    format!(
        "{}/welcome/{token}",
        state.publisher.uri.trim_end_matches('/')
    )
}

async fn create(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Form(form): Form<AccountForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    if let Err(page) = administrator_only(&reader, &signed_in) {
        return *page;
    }
    let admin = crate::api::steps::signature(&signed_in.session.user);
    let request = AccountRequest {
        email: &form.email,
        name: Some(&form.name),
        role: &form.role,
        organisation: Some(&form.organisation),
        territory: Some(&form.territory),
        created_by: &admin,
    };
    let created = match state.store.check_account(&request).await {
        Ok(new) => state.store.create_user(&new).await,
        Err(error) => Err(error),
    };
    let user = match created {
        Ok(user) => user,
        Err(StoreError::Invalid(errors)) => {
            let problems = errors
                .iter()
                .map(|e| (e.field.clone(), e.message.clone()))
                .collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return page(&state, &reader, &signed_in, form, problems, None, status).await;
        }
        Err(StoreError::Conflict(message)) => {
            let problems = HashMap::from([("email".to_owned(), message)]);
            let status = StatusCode::CONFLICT;
            return page(&state, &reader, &signed_in, form, problems, None, status).await;
        }
        Err(error) => return Problem::from_store(&reader, error),
    };
    tracing::info!(user.id = %user.id, "an administrator created account {}", user.id);
    issue(&state, &reader, &signed_in, &user, LinkPurpose::Invitation).await
}

/// Makes a one-time link for `user` and shows it on the accounts page.
async fn issue(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    user: &User,
    purpose: LinkPurpose,
) -> Response {
    let valid = time::Duration::days(LINK_VALID_DAYS);
    let token = match state.store.issue_link(&user.id, purpose, valid).await {
        Ok(token) => token,
        Err(error) => return Problem::from_store(reader, error),
    };
    let what = match purpose {
        LinkPurpose::Invitation => reader.lang.pick("запрошення", "invitation"),
        LinkPurpose::PasswordReset => reader.lang.pick("новий пароль", "password reset"),
    };
    let link = Some((
        link_address(state, &token),
        user.email.clone(),
        what.to_owned(),
    ));
    let form = AccountForm {
        role: "initiator".into(),
        ..AccountForm::default()
    };
    page(
        state,
        reader,
        signed_in,
        form,
        HashMap::new(),
        link,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn reset(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    if let Err(page) = administrator_only(&reader, &signed_in) {
        return *page;
    }
    match state.store.user(&id).await {
        Ok(user) => {
            issue(
                &state,
                &reader,
                &signed_in,
                &user,
                LinkPurpose::PasswordReset,
            )
            .await
        }
        Err(error) => Problem::from_store(&reader, error),
    }
}
