//! Accounts over HTTP, on SQLite or PostgreSQL: an invited person sets a password and signs
//! in; wrong passwords are throttled; forms without their token or from another site are
//! refused; an expired or missing session leads to sign-in and back; API tokens are shown
//! once, act with their owner's role, and stop working when revoked.

mod common;

use dream_store::accounts::{LinkPurpose, NewUser};
use dream_store::testing::{fresh_store, sample_project};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode, redirect};

fn client() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value a response sets for a cookie.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The value of a hidden field in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

struct Site {
    base: String,
    http: Client,
    store: dream_store::Store,
    _db: dream_store::testing::TestDb,
}

async fn site(name: &str) -> Site {
    let db = fresh_store(name).await;
    let demo = common::load_demo(&db.store, 5, 9).await;
    let org = demo.projects[0]
        .0
        .content
        .initiator()
        .unwrap()
        .id
        .to_string();
    db.store
        .create_user(&NewUser {
            email: "Olena@Hromada.example".into(),
            name: "Олена Коваль".into(),
            role: "initiator".into(),
            organisation: Some(org),
            oblast: None,
            created_by: "test".into(),
        })
        .await
        .unwrap();
    let base = common::serve(&db.store, false, None).await;
    Site {
        base,
        http: client(),
        store: db.store.clone(),
        _db: db,
    }
}

impl Site {
    /// Invites Olena and lets her set `password`; returns her session cookie.
    async fn set_password(&self, password: &str) -> reqwest::Response {
        let user = self
            .store
            .user_by_email("olena@hromada.example")
            .await
            .unwrap()
            .unwrap();
        let link = self
            .store
            .issue_link(&user.id, LinkPurpose::Invitation, time::Duration::days(7))
            .await
            .unwrap();
        let form = self
            .http
            .get(format!("{}/welcome/{link}", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), StatusCode::OK);
        let bound = set_cookie(&form, "dream_form").unwrap();
        let page = form.text().await.unwrap();
        assert!(page.contains("Олена Коваль"));
        self.http
            .post(format!("{}/welcome/{link}", self.base))
            .header(COOKIE, format!("dream_form={bound}"))
            .form(&[
                ("password", password),
                ("repeat", password),
                ("form_token", &hidden(&page, "form_token")),
            ])
            .send()
            .await
            .unwrap()
    }

    async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        let form = self
            .http
            .get(format!("{}/login", self.base))
            .send()
            .await
            .unwrap();
        let bound = set_cookie(&form, "dream_form").unwrap();
        let page = form.text().await.unwrap();
        self.http
            .post(format!("{}/login", self.base))
            .header(COOKIE, format!("dream_form={bound}"))
            .form(&[
                ("email", email),
                ("password", password),
                ("next", "/cabinet"),
                ("form_token", &hidden(&page, "form_token")),
            ])
            .send()
            .await
            .unwrap()
    }

    async fn cabinet(&self, session: &str) -> String {
        let response = self
            .http
            .get(format!("{}/cabinet", self.base))
            .header(COOKIE, format!("dream_session={session}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.unwrap()
    }
}

#[tokio::test]
async fn an_invited_person_sets_a_password_and_signs_in() {
    let site = site("accounts_invite").await;
    let short = site.set_password("short").await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("щонайменше 12 символів")
    );

    let done = site.set_password("a long and private phrase").await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let session = set_cookie(&done, "dream_session").unwrap();
    let cookie = done.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let cabinet = site.cabinet(&session).await;
    assert!(
        cabinet.contains("Олена Коваль") && cabinet.contains("Мої проєкти (1 проєкт)"),
        "{cabinet}"
    );

    let signed_in = site
        .sign_in("  OLENA@hromada.example ", "a long and private phrase")
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()[LOCATION], "/cabinet");
}

#[tokio::test]
async fn wrong_passwords_are_named_and_then_throttled() {
    let site = site("accounts_throttle").await;
    site.set_password("a long and private phrase").await;
    for _ in 0..5 {
        let wrong = site
            .sign_in("olena@hromada.example", "not the phrase")
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let page = wrong.text().await.unwrap();
        assert!(page.contains("Неправильна адреса або пароль"));
        assert!(
            page.contains("value=\"olena@hromada.example\""),
            "the email typed is kept"
        );
    }
    let throttled = site
        .sign_in("olena@hromada.example", "a long and private phrase")
        .await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forms_without_their_token_or_from_another_site_are_refused() {
    let site = site("accounts_csrf").await;
    let session = set_cookie(
        &site.set_password("a long and private phrase").await,
        "dream_session",
    )
    .unwrap();
    let cabinet = site.cabinet(&session).await;
    let csrf = hidden(&cabinet, "csrf");

    let without = site
        .http
        .post(format!("{}/cabinet/tokens", site.base))
        .header(COOKIE, format!("dream_session={session}"))
        .form(&[("csrf", "forged"), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let cross = site
        .http
        .post(format!("{}/cabinet/tokens", site.base))
        .header(COOKIE, format!("dream_session={session}"))
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    let login_without_cookie = site
        .http
        .post(format!("{}/login", site.base))
        .form(&[
            ("email", "olena@hromada.example"),
            ("password", "a long and private phrase"),
            ("form_token", "guess"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login_without_cookie.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_a_session_the_cabinet_asks_to_sign_in_and_returns() {
    let site = site("accounts_expired").await;
    let response = site
        .http
        .get(format!("{}/en/cabinet", site.base))
        .header(COOKIE, "dream_session=expired-or-made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[LOCATION],
        "/en/login?next=%2Fen%2Fcabinet"
    );
}

#[tokio::test]
async fn api_tokens_are_shown_once_act_for_their_owner_and_can_be_revoked() {
    let site = site("accounts_tokens").await;
    let session = set_cookie(
        &site.set_password("a long and private phrase").await,
        "dream_session",
    )
    .unwrap();
    let csrf = hidden(&site.cabinet(&session).await, "csrf");
    let created = site
        .http
        .post(format!("{}/cabinet/tokens", site.base))
        .header(COOKIE, format!("dream_session={session}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "oblast system"),
            ("expires_days", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let page = created.text().await.unwrap();
    let start = page.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = page[start..].split('<').next().unwrap().to_owned();
    assert!(token.starts_with("dream_"));
    assert!(
        !site.cabinet(&session).await.contains(&token),
        "the token is shown once"
    );

    let write = |token: String| {
        let http = site.http.clone();
        let url = format!("{}/api/v1/projects", site.base);
        async move {
            http.post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({"reason": "from the oblast system", "project": sample_project()}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        write(token.clone()).await,
        StatusCode::FORBIDDEN,
        "an initiator may not write records directly"
    );

    let admin = site
        .store
        .create_user(&NewUser {
            email: "admin@agency.example".into(),
            name: "Агенція".into(),
            role: "agencyAdministrator".into(),
            organisation: None,
            oblast: None,
            created_by: "test".into(),
        })
        .await
        .unwrap();
    let admin_token = site
        .store
        .create_api_token(&admin.id, "script", None)
        .await
        .unwrap();
    assert_eq!(write(admin_token.clone()).await, StatusCode::CREATED);
    let tokens = site.store.api_tokens(&admin.id).await.unwrap();
    site.store
        .revoke_api_token(&admin.id, &tokens[0].id)
        .await
        .unwrap();
    assert_eq!(write(admin_token).await, StatusCode::UNAUTHORIZED);
}
