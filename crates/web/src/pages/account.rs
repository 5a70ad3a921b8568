//! Signing in and the cabinet: `/login` and `/logout`, `/welcome/{token}` where an invited
//! person (or one who lost a password) sets a password, and `/cabinet`, a signed-in user's
//! own page with their projects and API tokens. Every form is bound to the browser that
//! asked for it, and a failed form keeps what was typed, except passwords.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use dream_domain::codelist::{Sector, StatusDetails};
use dream_domain::workflow::stage_name;
use dream_store::accounts::{TokenInfo, User, random_token};
use dream_store::projects::{ProjectFilter, ProjectSort};
use serde::Deserialize;

use super::catalogue::{ProjectRow, project_rows};
use super::filters::ListQuery;
use super::forms::{csrf_ok, refused_form, role_name};
use super::i18n::Lang;
use super::labels;
use super::{Chrome, Problem, Reader, both, render};
use crate::AppState;
use crate::auth::{self, SignedIn};

pub fn router() -> Router<AppState> {
    let router = both(Router::new(), "/login", get(login_form).post(login));
    let router = both(router, "/logout", post(logout));
    let router = both(router, "/welcome/{token}", get(welcome_form).post(welcome));
    let router = both(router, "/cabinet", get(cabinet));
    let router = both(router, "/cabinet/tokens", post(create_token));
    both(router, "/cabinet/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    form_token: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
    form_token: String,
}

/// A page whose form is bound to this browser by a fresh form cookie.
fn with_form_cookie(state: &AppState, page: Response, form_token: &str) -> Response {
    let cookie = auth::set_cookie(&state.publisher, auth::FORM_COOKIE, form_token, 3600);
    ([(header::SET_COOKIE, cookie)], page).into_response()
}

async fn login_form(
    State(state): State<AppState>,
    reader: Reader,
    Query(query): Query<NextQuery>,
) -> Response {
    let form_token = random_token();
    let page = LoginPage {
        chrome: Chrome::new(&reader, reader.lang.pick("Вхід", "Sign in"), "login"),
        email: String::new(),
        next: auth::safe_next(query.next.as_deref(), &reader.lang.path("/cabinet")),
        form_token: form_token.clone(),
        error: None,
    };
    with_form_cookie(&state, render(&page), &form_token)
}

/// Whether a form came from our own page in this browser.
fn form_is_ours(headers: &HeaderMap, given: &str) -> bool {
    let bound = auth::cookie(headers, auth::FORM_COOKIE);
    auth::same_origin(headers) && bound.is_some_and(|bound| auth::same_secret(&bound, given))
}

async fn login(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = reader.lang;
    if !form_is_ours(&headers, &form.form_token) {
        return refused_form(&reader);
    }
    let next = auth::safe_next(form.next.as_deref(), &lang.path("/cabinet"));
    let again = |status: StatusCode, error: &str| {
        let form_token = random_token();
        let page = LoginPage {
            chrome: Chrome::new(&reader, lang.pick("Вхід", "Sign in"), "login"),
            email: form.email.clone(),
            next: next.clone(),
            form_token: form_token.clone(),
            error: Some(error.to_owned()),
        };
        (status, with_form_cookie(&state, render(&page), &form_token)).into_response()
    };
    let since = dream_store::now() - auth::THROTTLE_WINDOW;
    match state.store.login_failures_since(&form.email, since).await {
        Ok(failures) if failures >= auth::THROTTLE_FAILURES => {
            return again(
                StatusCode::TOO_MANY_REQUESTS,
                lang.pick(
                    "Забагато невдалих спроб. Зачекайте 15 хвилин або попросіть адміністратора надіслати посилання для нового пароля.",
                    "Too many failed attempts. Wait 15 minutes, or ask an administrator for a link to set a new password.",
                ),
            );
        }
        Ok(_) => {}
        Err(error) => return Problem::from_store(&reader, error),
    }
    let stored = match state.store.password_hash(&form.email).await {
        Ok(stored) => stored,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let password = form.password.clone();
    let verified = tokio::task::spawn_blocking(move || match stored {
        Some((user, hash)) => auth::verify_password(&password, &hash).then_some(user),
        // Hashing anyway keeps a wrong email as slow as a wrong password.
        None => auth::hash_password(&password).ok().and(None),
    })
    .await
    .ok()
    .flatten();
    let Some(user) = verified else {
        if let Err(error) = state.store.record_login_failure(&form.email).await {
            return Problem::from_store(&reader, error);
        }
        tracing::warn!("a sign-in failed");
        return again(
            StatusCode::UNAUTHORIZED,
            lang.pick("Неправильна адреса або пароль.", "Wrong email or password."),
        );
    };
    start_session(&state, &reader, &user, &next).await
}

async fn start_session(state: &AppState, reader: &Reader, user: &User, next: &str) -> Response {
    if let Err(error) = state.store.clear_login_failures(&user.email).await {
        return Problem::from_store(reader, error);
    }
    let token = match state.store.create_session(&user.id).await {
        Ok(token) => token,
        Err(error) => return Problem::from_store(reader, error),
    };
    tracing::info!(user.id = %user.id, "user {} signed in", user.id);
    let max_age = auth::IDLE_LIMIT.whole_seconds();
    let cookie = auth::set_cookie(&state.publisher, auth::SESSION_COOKIE, &token, max_age);
    ([(header::SET_COOKIE, cookie)], Redirect::to(next)).into_response()
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    if let Err(error) = state.store.end_session(&signed_in.token).await {
        return Problem::from_store(&reader, error);
    }
    let cookie = auth::set_cookie(&state.publisher, auth::SESSION_COOKIE, "", 0);
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&reader.lang.path("/")),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "welcome.html")]
struct WelcomePage {
    chrome: Chrome,
    user: User,
    form_token: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct WelcomeForm {
    password: String,
    repeat: String,
    form_token: String,
}

fn link_gone(reader: &Reader) -> Response {
    Problem::respond(
        reader,
        StatusCode::NOT_FOUND,
        "Посилання вже використане або застаріло. Попросіть адміністратора надіслати нове.",
        "This link was already used or has expired. Ask an administrator for a new one.",
    )
}

async fn welcome_form(
    State(state): State<AppState>,
    reader: Reader,
    Path(token): Path<String>,
) -> Response {
    let user = match state.store.link_user(&token).await {
        Ok(Some(user)) => user,
        Ok(None) => return link_gone(&reader),
        Err(error) => return Problem::from_store(&reader, error),
    };
    let form_token = random_token();
    let page = WelcomePage {
        chrome: Chrome::new(
            &reader,
            reader.lang.pick("Ваш пароль", "Your password"),
            "login",
        ),
        user,
        form_token: form_token.clone(),
        error: None,
    };
    with_form_cookie(&state, render(&page), &form_token)
}

async fn welcome(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<WelcomeForm>,
) -> Response {
    let lang = reader.lang;
    if !form_is_ours(&headers, &form.form_token) {
        return refused_form(&reader);
    }
    let user = match state.store.link_user(&token).await {
        Ok(Some(user)) => user,
        Ok(None) => return link_gone(&reader),
        Err(error) => return Problem::from_store(&reader, error),
    };
    let problem = if form.password.chars().count() < auth::MIN_PASSWORD_CHARS {
        Some(lang.pick(
            "Пароль має містити щонайменше 12 символів.",
            "The password needs at least 12 characters.",
        ))
    } else if form.password != form.repeat {
        Some(lang.pick("Паролі не збігаються.", "The two passwords differ."))
    } else {
        None
    };
    if let Some(problem) = problem {
        let form_token = random_token();
        let page = WelcomePage {
            chrome: Chrome::new(&reader, lang.pick("Ваш пароль", "Your password"), "login"),
            user,
            form_token: form_token.clone(),
            error: Some(problem.to_owned()),
        };
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            with_form_cookie(&state, render(&page), &form_token),
        )
            .into_response();
    }
    let password = form.password;
    let Ok(Ok(hash)) = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await
    else {
        return Problem::respond(
            &reader,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Не вдалося зберегти пароль.",
            "The password could not be saved.",
        );
    };
    match state.store.redeem_link(&token, &hash).await {
        Ok(Some(user)) => start_session(&state, &reader, &user, &lang.path("/cabinet")).await,
        Ok(None) => link_gone(&reader),
        Err(error) => Problem::from_store(&reader, error),
    }
}

#[derive(Template)]
#[template(path = "cabinet.html")]
struct CabinetPage {
    chrome: Chrome,
    user: User,
    role: String,
    csrf: String,
    list_caption: String,
    rows: Vec<ProjectRow>,
    tokens: Vec<TokenView>,
    new_token: Option<String>,
    /// Every stage of the route, for the filter of the list: code and name.
    stages: Vec<(&'static str, String)>,
    /// The stage the list is narrowed to, or empty.
    stage: &'static str,
    /// Every sector and subsector, for the filter of the list: code and name.
    sectors: Vec<(&'static str, String)>,
    /// The sector the list is narrowed to, or empty.
    sector: &'static str,
    /// The words the list is searched for, or empty.
    words: String,
    /// The list's previous and next pages, when there are any.
    previous: Option<String>,
    next: Option<String>,
    /// Whether this person enters projects (an initiator of an organisation).
    may_create: bool,
}

struct TokenView {
    id: String,
    name: String,
    created: String,
    expires: String,
    revoked: bool,
}

fn token_view(lang: Lang, token: TokenInfo) -> TokenView {
    TokenView {
        id: token.id,
        name: token.name,
        created: lang.date(token.created_at.0.date()),
        expires: token.expires_at.map_or_else(
            || lang.pick("безстроковий", "never").to_owned(),
            |t| lang.date(t.0.date()),
        ),
        revoked: token.revoked,
    }
}

/// The projects a user works on: its organisation's, its oblast's, or all of them for an
/// administrator, drafts included where the policy lets the user see them.
fn own_projects(user: &User) -> ProjectFilter {
    let mut filter = ProjectFilter {
        visibility: crate::api::steps::actor_of(user)
            .map(|actor| dream_domain::policy::visible_filter(&actor))
            .unwrap_or_default(),
        ..ProjectFilter::default()
    };
    match user.role.as_str() {
        "oblastReviewer" => {
            filter.oblast = user
                .oblast
                .as_deref()
                .and_then(|c| dream_domain::Katottg::parse(c).ok())
        }
        "agencyAdministrator" => {}
        _ => {
            filter.initiator = user
                .organisation
                .as_deref()
                .and_then(|c| dream_domain::Edrpou::parse(c).ok())
        }
    }
    filter
}

async fn cabinet_page(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    new_token: Option<String>,
    query: ListQuery,
) -> Response {
    let lang = reader.lang;
    let user = signed_in.session.user.clone();
    // The list's own filters narrow the projects the person works on, never widen them.
    let scope = own_projects(&user);
    let mut filter = query.filter.clone();
    filter.visibility = scope.visibility;
    if scope.oblast.is_some() {
        filter.oblast = scope.oblast;
    }
    if scope.initiator.is_some() {
        filter.initiator = scope.initiator;
    }
    let offset = (query.page - 1).saturating_mul(CABINET_PAGE_SIZE);
    let page = match state
        .store
        .list_projects(&filter, ProjectSort::UpdatedDesc, offset, CABINET_PAGE_SIZE)
        .await
    {
        Ok(page) => page,
        Err(error) => return Problem::from_store(reader, error),
    };
    let here = lang.path("/cabinet");
    let previous = (query.page > 1).then(|| {
        let page = (query.page - 1).to_string();
        format!("{here}{}", query.link(&[("page", &page)]))
    });
    let shown_to = u64::from(offset) + page.items.len() as u64;
    let next = (shown_to < page.total as u64).then(|| {
        let page = (query.page + 1).to_string();
        format!("{here}{}", query.link(&[("page", &page)]))
    });
    let tokens = match state.store.api_tokens(&user.id).await {
        Ok(tokens) => tokens,
        Err(error) => return Problem::from_store(reader, error),
    };
    let page = CabinetPage {
        chrome: Chrome::new(reader, lang.pick("Мій кабінет", "My cabinet"), "cabinet"),
        role: role_name(lang, &user.role),
        csrf: signed_in.session.csrf_token.clone(),
        list_caption: format!(
            "{} ({})",
            lang.pick("Мої проєкти", "My projects"),
            super::dashboard::projects(lang, page.total)
        ),
        rows: project_rows(lang, &page.items)
            .into_iter()
            .map(|row| ProjectRow {
                // In the cabinet a project opens where the person works on it.
                href: row.href.replacen("/projects/", "/cabinet/projects/", 1),
                ..row
            })
            .collect(),
        stages: StatusDetails::ALL
            .iter()
            .map(|s| (s.as_str(), stage_name(*s).in_lang(lang.code()).to_owned()))
            .collect(),
        stage: query
            .filter
            .status_details
            .map_or("", |stage| stage.as_str()),
        sectors: Sector::ALL
            .iter()
            .map(|s| (s.as_str(), labels::code(lang, "sector", s.as_str())))
            .collect(),
        sector: query.filter.sector.map_or("", |sector| sector.as_str()),
        words: query.filter.text.clone().unwrap_or_default(),
        previous,
        next,
        may_create: user.role == "initiator" && user.organisation.is_some(),
        tokens: tokens.into_iter().map(|t| token_view(lang, t)).collect(),
        new_token,
        user,
    };
    let mut response = render(&page);
    // A page that shows a secret must not be kept by any cache.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// How many projects one page of the cabinet's list shows.
const CABINET_PAGE_SIZE: u32 = 50;

/// The parameters the cabinet's list reads; the others of the catalogue's are refused.
const CABINET_PARAMETERS: &[&str] = &["stage", "sector", "q", "page"];

async fn cabinet(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let lang = reader.lang;
    let unread: Vec<String> = pairs
        .iter()
        .filter(|(name, value)| {
            !CABINET_PARAMETERS.contains(&name.as_str()) && !value.trim().is_empty()
        })
        .map(|(name, _)| name.clone())
        .collect();
    let query = ListQuery::parse(pairs, lang);
    if !query.problems.is_empty() || !unread.is_empty() {
        let named: Vec<String> = query
            .problems
            .iter()
            .map(|(name, reason)| format!("{name}: {reason}"))
            .chain(unread.iter().map(|name| {
                format!(
                    "{name}: {}",
                    lang.pick("тут не застосовується", "not used here")
                )
            }))
            .collect();
        return Problem::respond(
            &reader,
            StatusCode::BAD_REQUEST,
            &format!("Фільтр списку не прочитано — {}.", named.join("; ")),
            &format!(
                "The list's filter was not understood: {}.",
                named.join("; ")
            ),
        );
    }
    cabinet_page(&state, &reader, &signed_in, None, query).await
}

#[derive(Deserialize)]
struct TokenForm {
    csrf: String,
    name: String,
    expires_days: Option<String>,
}

async fn create_token(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Form(form): Form<TokenForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    let name = form.name.trim();
    let name = if name.is_empty() { "API" } else { name };
    let days = form
        .expires_days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let expires = match days.map(str::parse::<i64>) {
        None => None,
        Some(Ok(days)) if (1..=3650).contains(&days) => {
            Some(dream_store::now() + time::Duration::days(days))
        }
        Some(_) => {
            return Problem::respond(
                &reader,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Строк дії — ціле число днів від 1 до 3650.",
                "The lifetime is a whole number of days from 1 to 3650.",
            );
        }
    };
    match state
        .store
        .create_api_token(&signed_in.session.user.id, name, expires)
        .await
    {
        Ok(token) => {
            let query = ListQuery::parse(Vec::new(), reader.lang);
            cabinet_page(&state, &reader, &signed_in, Some(token), query).await
        }
        Err(error) => Problem::from_store(&reader, error),
    }
}

async fn revoke_token(
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
    match state
        .store
        .revoke_api_token(&signed_in.session.user.id, &id)
        .await
    {
        Ok(()) => Redirect::to(&reader.lang.path("/cabinet")).into_response(),
        Err(error) => Problem::from_store(&reader, error),
    }
}
