//! The treasury connector: the payments the State Treasury records for public bodies, read
//! from the transactions register of the public-finance portal (spending.gov.ua). The
//! payments of one payer under one contract become a project's transactions and its paid
//! total.
//!
//! - [`mapping`]: every field read from the register and what it becomes (pure, no I/O);
//! - [`client`]: the HTTP client, with the retry and pace policy of [`crate::http`];
//! - [`projects`]: linking projects to a payer and contract, and writing their payments and
//!   paid totals as revisions by the register;
//! - `fake` (feature `fake`): a local stand-in for the register.

pub mod client;
#[cfg(feature = "fake")]
pub mod fake;
pub mod mapping;
pub mod projects;

pub use client::{PUBLIC_API, TreasuryClient};
pub use mapping::{Payment, belongs_to_contract};
pub use projects::{TreasurySync, link, sync_projects};
