//! Accounts: users with a role in an organisation or an oblast, the one-time links that let
//! them set a password, browser sessions, API tokens, and the record of failed logins.
//!
//! Every secret handed out (an invitation link, a session cookie, an API token) is a random
//! token of 244 bits shown once; only its SHA-256 hash is stored, so a copy of the database
//! lets nobody in. Passwords arrive here already hashed with Argon2id by the caller.

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::timestamp::Timestamp;
use crate::{Result, Store, StoreError, now, on_pool};

/// A person who signs in, and what they may act for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    /// The role code, such as `initiator` or `oblastReviewer`.
    pub role: String,
    /// The EDRPOU of the organisation the user acts for.
    pub organisation: Option<String>,
    /// The KATOTTG code of the oblast a reviewer works in.
    pub oblast: Option<String>,
    pub has_password: bool,
}

/// A user to be created.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: String,
    pub organisation: Option<String>,
    pub oblast: Option<String>,
    /// Who created the account, for the audit trail.
    pub created_by: String,
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    PasswordReset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::PasswordReset => "reset",
        }
    }
}

/// An API token as its owner's page lists it; the token itself is never shown again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked: bool,
}

/// A signed-in browser: the user and the token its forms must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// A fresh random token: two version-4 UUIDs, 244 random bits, as 64 hex digits.
pub fn random_token() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.role, u.organisation, u.oblast, u.password_hash IS NOT NULL";

type UserRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
);

fn user((id, email, name, role, organisation, oblast, has_password): UserRow) -> User {
    User {
        id,
        email,
        name,
        role,
        organisation,
        oblast,
        has_password,
    }
}

/// The roles an account can have, as their codes are written.
pub const ROLES: &[&str] = &[
    "initiator",
    "oblastReviewer",
    "commissionMember",
    "agencyAdministrator",
    "donor",
];

/// How long an invitation or password-reset link works, in days.
pub const LINK_VALID_DAYS: i64 = 7;

/// An account as a person asks for it, every part still text.
#[derive(Debug, Clone, Default)]
pub struct AccountRequest<'a> {
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub role: &'a str,
    /// The EDRPOU of the organisation the person acts for.
    pub organisation: Option<&'a str>,
    /// A KATOTTG code in the oblast a reviewer works in.
    pub territory: Option<&'a str>,
    pub created_by: &'a str,
}

/// Emails are compared as people type them: without surrounding spaces, in any case.
pub fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    /// Checks an account request against the registry: a known role, an email address,
    /// a registered organisation for the roles that act for one, a known territory for a
    /// reviewer. Every problem is named under its field (`email`, `role`, `organisation`,
    /// `territory`).
    pub async fn check_account(&self, request: &AccountRequest<'_>) -> Result<NewUser> {
        let mut errors = dream_domain::FieldErrors::new();
        let role = request.role;
        if !ROLES.contains(&role) {
            errors.add(
                "role",
                format!("{role:?} is not a role; use one of {}", ROLES.join(", ")),
            );
        }
        let email = request.email.trim();
        if !email.contains('@') || email.len() < 3 || email.contains(char::is_whitespace) {
            errors.add("email", format!("{email:?} is not an email address"));
        }
        let organisation = self.checked_organisation(request, &mut errors).await?;
        let oblast = self.checked_oblast(request, &mut errors).await?;
        errors.into_result()?;
        let name = request.name.map(str::trim).filter(|n| !n.is_empty());
        Ok(NewUser {
            email: email.to_owned(),
            name: name.unwrap_or(email).to_owned(),
            role: role.to_owned(),
            organisation,
            oblast,
            created_by: request.created_by.to_owned(),
        })
    }

    async fn checked_organisation(
        &self,
        request: &AccountRequest<'_>,
        errors: &mut dream_domain::FieldErrors,
    ) -> Result<Option<String>> {
        let code = request
            .organisation
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let Some(code) = code else {
            if matches!(request.role, "initiator" | "commissionMember" | "donor") {
                errors.add(
                    "organisation",
                    format!("a {} acts for an organisation", request.role),
                );
            }
            return Ok(None);
        };
        let code = match dream_domain::Edrpou::parse(code) {
            Ok(code) => code,
            Err(error) => {
                errors.add("organisation", error.to_string());
                return Ok(None);
            }
        };
        if !self.organisation_exists(&code).await? {
            errors.add(
                "organisation",
                format!("no organisation with the EDRPOU {code} is registered"),
            );
            return Ok(None);
        }
        Ok(Some(code.to_string()))
    }

    async fn checked_oblast(
        &self,
        request: &AccountRequest<'_>,
        errors: &mut dream_domain::FieldErrors,
    ) -> Result<Option<String>> {
        let code = request.territory.map(str::trim).filter(|c| !c.is_empty());
        let Some(code) = code else {
            if request.role == "oblastReviewer" {
                errors.add(
                    "territory",
                    "a reviewer works in an oblast; give a KATOTTG code in it",
                );
            }
            return Ok(None);
        };
        let code = match dream_domain::Katottg::parse(code) {
            Ok(code) => code,
            Err(error) => {
                errors.add("territory", error.to_string());
                return Ok(None);
            }
        };
        match self.territory(&code).await {
            Ok(territory) => Ok(Some(territory.oblast.to_string())),
            Err(StoreError::NotFound { .. }) => {
                errors.add("territory", format!("the codifier has no territory {code}"));
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    /// Every account, the latest created first.
    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.created_at DESC, u.id");
        let rows: Vec<UserRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?);
        Ok(rows.into_iter().map(user).collect())
    }

    /// Creates a user without a password; refuses an email already in use.
    pub async fn create_user(&self, new: &NewUser) -> Result<User> {
        let email = normal_email(&new.email);
        if self.user_by_email(&email).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "a user with the email {email} exists"
            )));
        }
        let id = Uuid::now_v7().to_string();
        on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO users (id, email, name, role, organisation, oblast, created_at, \
                 created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id).bind(&email).bind(&new.name).bind(&new.role).bind(&new.organisation)
            .bind(&new.oblast).bind(Timestamp(now())).bind(&new.created_by)
            .execute(pool)
            .await
            .map(|_| ())?);
        tracing::info!(user.id = %id, user.role = %new.role, "created user {id}");
        self.user(&id).await
    }

    /// One user by id.
    pub async fn user(&self, id: &str) -> Result<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row: Option<UserRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?);
        row.map(user).ok_or_else(|| StoreError::NotFound {
            entity: "user",
            id: id.to_owned(),
        })
    }

    /// The user with this email, if any.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1");
        let row: Option<UserRow> = on_pool!(self.db(), pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(normal_email(email))
                .fetch_optional(pool)
                .await?);
        Ok(row.map(user))
    }

    /// The stored password hash of the user with this email, for the caller to verify.
    pub async fn password_hash(&self, email: &str) -> Result<Option<(User, String)>> {
        let Some(found) = self.user_by_email(email).await? else {
            return Ok(None);
        };
        let hash: Option<String> = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(&found.id)
                .fetch_one(pool)
                .await?);
        Ok(hash.map(|hash| (found, hash)))
    }

    /// Issues a one-time link token for a user, valid for `valid_for`.
    pub async fn issue_link(
        &self,
        user_id: &str,
        purpose: LinkPurpose,
        valid_for: Duration,
    ) -> Result<String> {
        let token = random_token();
        on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO invitations (token_hash, user_id, purpose, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(hash(&token)).bind(user_id).bind(purpose.as_str())
            .bind(Timestamp(now() + valid_for))
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(token)
    }

    /// The user a one-time link is for, while it is unused and unexpired.
    pub async fn link_user(&self, token: &str) -> Result<Option<User>> {
        let user_id: Option<String> = on_pool!(self.db(), pool =>
            sqlx::query_scalar(
                "SELECT user_id FROM invitations WHERE token_hash = $1 AND used_at IS NULL \
                 AND expires_at > $2",
            )
            .bind(hash(token)).bind(Timestamp(now()))
            .fetch_optional(pool)
            .await?);
        match user_id {
            Some(id) => Ok(Some(self.user(&id).await?)),
            None => Ok(None),
        }
    }

    /// Uses a one-time link to set the user's password; a link works once. Every other
    /// session of the user ends, since a reset usually means a password was lost.
    pub async fn redeem_link(&self, token: &str, password_hash: &str) -> Result<Option<User>> {
        let Some(found) = self.link_user(token).await? else {
            return Ok(None);
        };
        let at = Timestamp(now());
        let used = on_pool!(self.db(), pool =>
            sqlx::query("UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
                .bind(at).bind(hash(token))
                .execute(pool)
                .await?
                .rows_affected());
        if used == 0 {
            return Ok(None);
        }
        on_pool!(self.db(), pool => {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash).bind(&found.id).execute(pool).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(&found.id).execute(pool).await.map(|_| ())?
        });
        tracing::info!(user.id = %found.id, "user {} set a password", found.id);
        self.user(&found.id).await.map(Some)
    }

    /// Notes a failed login for an email.
    pub async fn record_login_failure(&self, email: &str) -> Result<()> {
        on_pool!(self.db(), pool =>
            sqlx::query("INSERT INTO login_failures (email, at) VALUES ($1, $2)")
                .bind(normal_email(email)).bind(Timestamp(now()))
                .execute(pool)
                .await
                .map(|_| ())?);
        Ok(())
    }

    /// How many logins failed for an email since `since`.
    pub async fn login_failures_since(&self, email: &str, since: OffsetDateTime) -> Result<i64> {
        let count: i64 = on_pool!(self.db(), pool =>
            sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at > $2")
                .bind(normal_email(email)).bind(Timestamp(since))
                .fetch_one(pool)
                .await?);
        Ok(count)
    }

    /// Forgets the failed logins of an email after a successful one.
    pub async fn clear_login_failures(&self, email: &str) -> Result<()> {
        on_pool!(self.db(), pool =>
            sqlx::query("DELETE FROM login_failures WHERE email = $1")
                .bind(normal_email(email))
                .execute(pool)
                .await
                .map(|_| ())?);
        Ok(())
    }

    /// Starts a session; returns its cookie token. The session lives in the database, so
    /// every process serving the site knows it.
    pub async fn create_session(&self, user_id: &str) -> Result<String> {
        let token = random_token();
        let at = Timestamp(now());
        on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(hash(&token)).bind(user_id).bind(random_token()).bind(at)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(token)
    }

    /// The session of a cookie token unless it was idle longer than `idle_limit`; a
    /// session in use is kept alive.
    pub async fn session(&self, token: &str, idle_limit: Duration) -> Result<Option<Session>> {
        let cutoff = Timestamp(now() - idle_limit);
        let row: Option<(String, String, Timestamp)> = on_pool!(self.db(), pool =>
            sqlx::query_as(
                "SELECT user_id, csrf_token, last_seen_at FROM sessions WHERE token_hash = $1",
            )
            .bind(hash(token))
            .fetch_optional(pool)
            .await?);
        let Some((user_id, csrf_token, last_seen)) = row else {
            return Ok(None);
        };
        if last_seen < cutoff {
            self.end_session(token).await?;
            return Ok(None);
        }
        // Touching the row once a minute is enough to keep it alive and spares a write per
        // request.
        if last_seen.0 < now() - Duration::minutes(1) {
            on_pool!(self.db(), pool =>
                sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                    .bind(Timestamp(now())).bind(hash(token))
                    .execute(pool)
                    .await
                    .map(|_| ())?);
        }
        Ok(Some(Session {
            user: self.user(&user_id).await?,
            csrf_token,
        }))
    }

    /// Ends a session.
    pub async fn end_session(&self, token: &str) -> Result<()> {
        on_pool!(self.db(), pool =>
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(hash(token))
                .execute(pool)
                .await
                .map(|_| ())?);
        Ok(())
    }

    /// Creates an API token for a user; returns the token, which is shown once.
    pub async fn create_api_token(
        &self,
        user_id: &str,
        name: &str,
        expires_at: Option<OffsetDateTime>,
    ) -> Result<String> {
        let token = format!("dream_{}", random_token());
        on_pool!(self.db(), pool =>
            sqlx::query(
                "INSERT INTO api_tokens (id, token_hash, user_id, name, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Uuid::now_v7().to_string()).bind(hash(&token)).bind(user_id).bind(name)
            .bind(Timestamp(now())).bind(expires_at.map(Timestamp))
            .execute(pool)
            .await
            .map(|_| ())?);
        tracing::info!(user.id = %user_id, "created an API token for user {user_id}");
        Ok(token)
    }

    /// The user an API token acts for, while it is neither revoked nor expired.
    pub async fn api_token_user(&self, token: &str) -> Result<Option<User>> {
        let user_id: Option<String> = on_pool!(self.db(), pool =>
            sqlx::query_scalar(
                "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL \
                 AND (expires_at IS NULL OR expires_at > $2)",
            )
            .bind(hash(token)).bind(Timestamp(now()))
            .fetch_optional(pool)
            .await?);
        match user_id {
            Some(id) => Ok(Some(self.user(&id).await?)),
            None => Ok(None),
        }
    }

    /// A user's API tokens, newest first.
    pub async fn api_tokens(&self, user_id: &str) -> Result<Vec<TokenInfo>> {
        let rows: Vec<(String, String, Timestamp, Option<Timestamp>, bool)> = on_pool!(self.db(), pool =>
            sqlx::query_as(
                "SELECT id, name, created_at, expires_at, revoked_at IS NOT NULL FROM api_tokens \
                 WHERE user_id = $1 ORDER BY created_at DESC",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(id, name, created_at, expires_at, revoked)| TokenInfo {
                id,
                name,
                created_at,
                expires_at,
                revoked,
            })
            .collect())
    }

    /// Revokes one of a user's tokens; another user's token is not found.
    pub async fn revoke_api_token(&self, user_id: &str, token_id: &str) -> Result<()> {
        let revoked = on_pool!(self.db(), pool =>
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 \
                 AND revoked_at IS NULL",
            )
            .bind(Timestamp(now())).bind(token_id).bind(user_id)
            .execute(pool)
            .await?
            .rows_affected());
        if revoked == 0 {
            return Err(StoreError::NotFound {
                entity: "token",
                id: token_id.to_owned(),
            });
        }
        Ok(())
    }
}
