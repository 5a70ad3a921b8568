//! `dream users` and `dream tokens`: creating accounts and API tokens from the command line,
//! for the first administrator and for scripts. An account gets a one-time link where its
//! person sets a password; no mail server is needed, the link is printed.

use anyhow::{Context, bail};
use dream_store::accounts::{AccountRequest, LINK_VALID_DAYS, LinkPurpose, NewUser};
use dream_store::{Store, StoreError};

#[derive(Debug, clap::Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    command: UsersCommand,

    /// The address people open the site at, for the links printed.
    #[arg(
        long,
        env = "DREAM_SITE_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    site_url: String,
}

#[derive(Debug, clap::Subcommand)]
enum UsersCommand {
    /// Create an account and print its invitation link.
    Add {
        #[arg(long)]
        email: String,
        /// The person's name as others see it in histories.
        #[arg(long)]
        name: Option<String>,
        /// The EDRPOU of the organisation the person acts for (it must be registered).
        #[arg(long)]
        org: Option<String>,
        /// One of: initiator, oblastReviewer, commissionMember, agencyAdministrator, donor.
        #[arg(long)]
        role: String,
        /// For an oblast reviewer: a KATOTTG code in the oblast reviewed.
        #[arg(long)]
        territory: Option<String>,
    },
    /// Print a link where the person sets a new password.
    Reset {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct TokensArgs {
    #[command(subcommand)]
    command: TokensCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TokensCommand {
    /// Create an API token for a user and print it; it is shown this once.
    Create {
        /// The user's email.
        #[arg(long)]
        user: String,
        /// Days until the token stops working; without it, it works until revoked.
        #[arg(long)]
        expires: Option<u32>,
        /// What the token is for.
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

pub async fn users(store: &Store, args: &UsersArgs) -> anyhow::Result<()> {
    let site = args.site_url.trim_end_matches('/');
    let (user, purpose) = match &args.command {
        UsersCommand::Add {
            email,
            name,
            org,
            role,
            territory,
        } => {
            let new = new_user(
                store,
                email,
                name.as_deref(),
                org.as_deref(),
                role,
                territory.as_deref(),
            )
            .await?;
            let user = store
                .create_user(&new)
                .await
                .context("creating the account")?;
            (user, LinkPurpose::Invitation)
        }
        UsersCommand::Reset { email } => {
            let user = store
                .user_by_email(email)
                .await?
                .with_context(|| format!("no account has the email {email}"))?;
            (user, LinkPurpose::PasswordReset)
        }
    };
    let token = store
        .issue_link(&user.id, purpose, time::Duration::days(LINK_VALID_DAYS))
        .await?;
    println!("{site}/welcome/{token}");
    eprintln!(
        "The link above lets {} set a password; it works once, for {LINK_VALID_DAYS} days.",
        user.email
    );
    Ok(())
}

async fn new_user(
    store: &Store,
    email: &str,
    name: Option<&str>,
    org: Option<&str>,
    role: &str,
    territory: Option<&str>,
) -> anyhow::Result<NewUser> {
    let request = AccountRequest {
        email,
        name,
        role,
        organisation: org,
        territory,
        created_by: "command line",
    };
    match store.check_account(&request).await {
        Ok(new) => Ok(new),
        Err(StoreError::Invalid(errors)) => {
            // The fields are named as the command's options are.
            let named: Vec<String> = errors
                .iter()
                .map(|e| {
                    let option = match e.field.as_str() {
                        "organisation" => "--org",
                        "territory" => "--territory",
                        "role" => "--role",
                        _ => "--email",
                    };
                    format!("{option}: {}", e.message)
                })
                .collect();
            bail!("{}", named.join("; "))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn tokens(store: &Store, args: &TokensArgs) -> anyhow::Result<()> {
    let TokensCommand::Create {
        user,
        expires,
        name,
    } = &args.command;
    let user = store
        .user_by_email(user)
        .await?
        .with_context(|| format!("no account has the email {user}"))?;
    let expires_at = expires.map(|days| dream_store::now() + time::Duration::days(i64::from(days)));
    let token = store.create_api_token(&user.id, name, expires_at).await?;
    println!("{token}");
    eprintln!(
        "This token acts as {} ({}); it is not shown again.",
        user.email, user.role
    );
    Ok(())
}
