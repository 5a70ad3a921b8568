//! The Prozorro connector: the public procurement register's tenders, contracts and plans,
//! read through its API 2.5 and turned into DREAM's contracting processes.
//!
//! - [`ids`]: what a person types to link a tender, checked;
//! - [`mapping`]: every field read from the API and what it becomes (pure, no I/O);
//! - [`process`]: the connector's record of a procurement and DREAM's status rules;
//! - [`client`]: the HTTP client, with the retry and pace policy of [`crate::http`];
//! - [`sync`]: re-reading linked tenders and reporting what changed;
//! - [`projects`]: links and syncs written into projects as revisions by the register;
//! - [`feeds`]: following the change feeds, so a sync asks only for what changed and plans
//!   that name a DREAM project link themselves to it;
//! - `fake` (feature `fake`): a local stand-in for the API that serves recorded responses.

pub mod client;
#[cfg(feature = "fake")]
pub mod fake;
pub mod feeds;
pub mod ids;
pub mod mapping;
pub mod process;
pub mod projects;
pub mod sync;

pub use client::{Feed, FeedChanges, PUBLIC_API, ProzorroClient};
pub use ids::{ContractId, IdError, ProzorroId, ProzorroReference, TenderId};
pub use mapping::{ContractRecord, FeedItem, FeedPage, MappingError, PlanLink};
pub use process::{
    ChangeFlow, ChangeStatus, ContractModification, ContractPeriod, ContractStatus,
    Oc4idsProcessStatus, OrganisationIdentifier, ProzorroContract, ProzorroOrganisation,
    ProzorroProcess, contracting_status,
};
pub use sync::{LinkedTender, ProcessSource, SyncEntry, SyncOutcome, SyncReport, sync_tenders};
