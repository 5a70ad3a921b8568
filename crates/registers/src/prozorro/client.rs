//! The Prozorro API over HTTP: one tender, contract or plan by its internal id, a whole
//! process (the tender and its contracts' own records), and the change feed of tenders.

use std::collections::HashSet;

use reqwest::Url;

use crate::http::{ConfigError, RegisterConfig, RegisterError, RegisterHttp};

use super::ids::ProzorroId;
use super::mapping::{self, ContractRecord, FeedItem, MappingError, PlanLink};
use super::process::{ContractStatus, ProzorroProcess};

/// The public API's root.
pub const PUBLIC_API: &str = "https://public-api.prozorro.gov.ua/api/2.5";

/// A client of the Prozorro API (CDB API 2.5).
#[derive(Debug)]
pub struct ProzorroClient {
    http: RegisterHttp,
}

/// The change feeds of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    Tenders,
    Plans,
}

impl Feed {
    fn path(self) -> &'static str {
        match self {
            Feed::Tenders => "tenders",
            Feed::Plans => "plans",
        }
    }
}

/// What the change feed gave since an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedChanges {
    /// Each change once, in the feed's order (oldest first).
    pub items: Vec<FeedItem>,
    /// Where to start next time: the offset of the first empty page.
    pub resume_offset: Option<String>,
    pub pages: u32,
    /// Entries that came again on a later page and were dropped.
    pub repeats: u32,
}

impl ProzorroClient {
    pub fn new(config: RegisterConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            http: RegisterHttp::new(config)?,
        })
    }

    /// `GET /tenders/{id}`: the tender with its contracts as the tender summarises them.
    pub async fn fetch_tender(&self, id: &ProzorroId) -> Result<ProzorroProcess, RegisterError> {
        let url = self.http.url(&["tenders", id.as_str()], &[]);
        let body = self.http.get(&url).await?;
        let process = mapping::tender_from_json(&body).map_err(|e| mapping_error(&url, e))?;
        check_id(&url, id, &process.internal_id)?;
        Ok(process)
    }

    /// `GET /contracts/{id}`: a contract's own record, with its signing date and changes.
    pub async fn fetch_contract(&self, id: &ProzorroId) -> Result<ContractRecord, RegisterError> {
        let url = self.http.url(&["contracts", id.as_str()], &[]);
        let body = self.http.get(&url).await?;
        let record = mapping::contract_from_json(&body).map_err(|e| mapping_error(&url, e))?;
        check_id(&url, id, &record.contract.internal_id)?;
        Ok(record)
    }

    /// `GET /plans/{id}`: the plan and the DREAM project it names.
    pub async fn fetch_plan(&self, id: &ProzorroId) -> Result<PlanLink, RegisterError> {
        let url = self.http.url(&["plans", id.as_str()], &[]);
        let body = self.http.get(&url).await?;
        let plan = mapping::plan_from_json(&body).map_err(|e| mapping_error(&url, e))?;
        check_id(&url, id, &plan.internal_id)?;
        Ok(plan)
    }

    /// The tender and the own record of each contract that is not cancelled, merged into
    /// one process. A pending contract may not have reached the contracting module yet, so
    /// its 404 leaves the tender's summary in place; any other failure fails the process.
    pub async fn fetch_process(&self, id: &ProzorroId) -> Result<ProzorroProcess, RegisterError> {
        let mut process = self.fetch_tender(id).await?;
        let wanted: Vec<(ProzorroId, ContractStatus)> = process
            .contracts
            .iter()
            .filter(|c| c.status != ContractStatus::Cancelled)
            .map(|c| (c.internal_id.clone(), c.status))
            .collect();

        for (contract_id, status) in wanted {
            let record = match self.fetch_contract(&contract_id).await {
                Ok(record) => record,
                Err(RegisterError::NotFound { .. }) if status == ContractStatus::Pending => {
                    continue;
                }
                Err(error) => return Err(error),
            };
            mapping::add_contract_details(&mut process, record).map_err(|error| {
                let url = self.http.url(&["contracts", contract_id.as_str()], &[]);
                mapping_error(&url, error)
            })?;
        }
        Ok(process)
    }

    /// Reads the change feed of tenders from `offset` (the start when `None`), following
    /// `next_page.offset` until a page is empty, which means the feed has caught up.
    ///
    /// A feed may repeat entries across pages (the offset marks a moment, and several
    /// tenders can share one); an entry whose id and `dateModified` were already seen is
    /// dropped. A page that brings nothing new and does not move the offset ends the walk
    /// too, so a register that repeats itself cannot keep this loop going.
    pub async fn changed_tenders(
        &self,
        offset: Option<&str>,
    ) -> Result<FeedChanges, RegisterError> {
        self.changes(Feed::Tenders, offset).await
    }

    /// [`Self::changed_tenders`] for any of the register's change feeds.
    pub async fn changes(
        &self,
        feed: Feed,
        offset: Option<&str>,
    ) -> Result<FeedChanges, RegisterError> {
        let mut seen: HashSet<FeedItem> = HashSet::new();
        let mut changes = FeedChanges {
            items: Vec::new(),
            resume_offset: offset.map(str::to_owned),
            pages: 0,
            repeats: 0,
        };

        loop {
            let url = self.feed_url(feed, changes.resume_offset.as_deref());
            let body = self.http.get(&url).await?;
            let page = mapping::feed_page_from_json(&body).map_err(|e| mapping_error(&url, e))?;
            changes.pages += 1;
            if page.items.is_empty() {
                return Ok(changes);
            }

            let mut new_items = 0;
            for item in page.items {
                if seen.insert(item.clone()) {
                    changes.items.push(item);
                    new_items += 1;
                } else {
                    changes.repeats += 1;
                }
            }
            let Some(next) = page.next_offset else {
                return Ok(changes);
            };
            let moved = Some(&next) != changes.resume_offset.as_ref();
            changes.resume_offset = Some(next);
            if !moved && new_items == 0 {
                return Ok(changes);
            }
        }
    }

    fn feed_url(&self, feed: Feed, offset: Option<&str>) -> Url {
        let mut query = Vec::new();
        if feed == Feed::Tenders {
            // The public id costs nothing extra and resolves links made by it.
            query.push(("opt_fields", "tenderID"));
        }
        if let Some(offset) = offset {
            query.push(("offset", offset));
        }
        self.http.url(&[feed.path()], &query)
    }
}

fn mapping_error(url: &Url, error: MappingError) -> RegisterError {
    let url = url.to_string();
    match error {
        MappingError::Syntax(reason) => RegisterError::MalformedJson { url, reason },
        MappingError::Invalid { path, message } => RegisterError::Invalid { url, path, message },
    }
}

/// The register answering with another record than the one asked for is a fault to report,
/// not data to store under the wrong id.
fn check_id(url: &Url, asked: &ProzorroId, got: &ProzorroId) -> Result<(), RegisterError> {
    if asked == got {
        return Ok(());
    }
    Err(RegisterError::Invalid {
        url: url.to_string(),
        path: "data.id".to_owned(),
        message: format!("asked for {asked}, the register answered with {got}"),
    })
}
