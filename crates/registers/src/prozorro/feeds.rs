//! Following Prozorro's change feeds instead of asking for every linked tender: the tenders
//! feed says which tenders changed since the position read last time, and only the linked
//! ones among them are fetched; with each change it gives the tender's public id, which
//! teaches links made by that id the internal id they are fetched by. The plans feed brings
//! plans, and a plan whose `project.uri` names a DREAM project links that project to the
//! plan's tender by itself, as a revision authored by the plan.
//!
//! The positions are kept in the store only after a walk succeeded, so a register that is
//! down or answers badly makes the next run ask for the same changes again. The first walk
//! starts a day back, since the feeds hold every change Prozorro ever had; a linked tender
//! that no sync has fetched yet is fetched whatever the feed says.

use std::collections::HashSet;

use dream_store::{Store, StoreError};
use time::OffsetDateTime;

use super::client::{Feed, ProzorroClient};
use super::ids::ProzorroId;
use super::projects::{LinkError, ProjectSync, link, sync_linked};
use crate::http::RegisterError;

/// The store's names of the two feeds' positions.
pub const TENDERS_FEED: &str = "prozorro.tenders";
pub const PLANS_FEED: &str = "prozorro.plans";

/// Why a feed sync stopped; nothing was remembered as read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one walk of the feeds did.
#[derive(Debug, Clone, Default)]
pub struct FeedSync {
    /// Changes of tenders the feed gave, linked or not.
    pub tender_changes: usize,
    /// Changes of plans the feed gave.
    pub plan_changes: usize,
    /// Links a plan made, one line each.
    pub linked_by_plans: Vec<String>,
    /// Links made by a public id that learned their internal id.
    pub resolved: u64,
    /// Plans that could not be read or linked, and why.
    pub failures: Vec<String>,
    /// The sync of the linked tenders that changed.
    pub sync: ProjectSync,
}

/// How far back the first walk of a feed starts.
const FIRST_LOOK_BACK: time::Duration = time::Duration::days(1);

/// Reads both feeds from `since`, or from where the last walk ended, or a day back, links
/// what plans name, and syncs the linked tenders that changed or were never fetched.
pub async fn follow_feeds(
    store: &Store,
    client: &ProzorroClient,
    since: Option<OffsetDateTime>,
) -> Result<FeedSync, FeedError> {
    let since = since.map(offset_at);
    let start = |feed: &'static str| {
        let since = since.clone();
        async move {
            if let Some(since) = since {
                return Ok::<_, StoreError>(since);
            }
            let stored = store.feed_position(feed).await?;
            Ok(stored.unwrap_or_else(|| offset_at(OffsetDateTime::now_utc() - FIRST_LOOK_BACK)))
        }
    };
    let mut result = FeedSync::default();

    let plans = client
        .changes(Feed::Plans, Some(&start(PLANS_FEED).await?))
        .await?;
    result.plan_changes = plans.items.len();
    let mut to_fetch = HashSet::new();
    for item in &plans.items {
        if let Some(tender) = link_plan(store, client, &item.id, &mut result).await? {
            to_fetch.insert(tender);
        }
    }

    let tenders = client
        .changes(Feed::Tenders, Some(&start(TENDERS_FEED).await?))
        .await?;
    result.tender_changes = tenders.items.len();
    for item in &tenders.items {
        if let Some(public_id) = &item.public_id {
            result.resolved += store
                .resolve_tender_links(public_id, item.id.as_str())
                .await?;
        }
        to_fetch.insert(item.id.as_str().to_owned());
    }
    to_fetch.extend(store.unfetched_tenders().await?);
    result.sync = sync_linked(store, client, Some(&to_fetch)).await?;

    for (feed, changes) in [(PLANS_FEED, &plans), (TENDERS_FEED, &tenders)] {
        if let Some(position) = &changes.resume_offset {
            store.set_feed_position(feed, position).await?;
        }
    }
    Ok(result)
}

/// Reads one changed plan and, when it names a DREAM project and its tender, links them.
/// Returns the tender's internal id when the plan names one.
async fn link_plan(
    store: &Store,
    client: &ProzorroClient,
    plan_id: &ProzorroId,
    result: &mut FeedSync,
) -> Result<Option<String>, StoreError> {
    let plan = match client.fetch_plan(plan_id).await {
        Ok(plan) => plan,
        Err(error) => {
            result.failures.push(format!("plan {plan_id}: {error}"));
            return Ok(None);
        }
    };
    let (Some(project), Some(tender)) = (&plan.project, &plan.tender_internal_id) else {
        return Ok(None);
    };
    let author = format!("Prozorro (plan {})", plan.plan_id);
    match link(store, project, tender.as_str(), &author).await {
        Ok(true) => result.linked_by_plans.push(format!(
            "plan {} linked {project} to tender {tender}",
            plan.plan_id
        )),
        Ok(false) => {}
        Err(LinkError::Store(StoreError::NotFound { .. })) => result.failures.push(format!(
            "plan {} names {project}, which this registry does not hold",
            plan.plan_id
        )),
        Err(LinkError::Store(error)) => return Err(error),
        Err(LinkError::Reference(error)) => {
            result
                .failures
                .push(format!("plan {}: {error}", plan.plan_id));
        }
    }
    Ok(Some(tender.as_str().to_owned()))
}

/// The feed offset of a moment: Prozorro's offsets begin with seconds since 1970.
pub fn offset_at(moment: OffsetDateTime) -> String {
    moment.unix_timestamp().to_string()
}
