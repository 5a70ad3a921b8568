//! The EDR connector: the Unified State Register of legal entities, individual entrepreneurs
//! and public associations, read through the API of its holder (NAIS) by EDRPOU code, and
//! held against DREAM's organisations.
//!
//! - [`mapping`]: every field read from the API and what it becomes (pure, no I/O);
//! - [`client`]: the HTTP client, with the retry and pace policy of [`crate::http`];
//! - [`organisations`]: refreshing organisations from their records, with conflicts kept
//!   for a person where the register disagrees with what a person entered;
//! - `fake` (feature `fake`): a local stand-in for the API.

pub mod client;
#[cfg(feature = "fake")]
pub mod fake;
pub mod mapping;
pub mod organisations;

pub use client::{EdrClient, PUBLIC_API};
pub use mapping::{EdrRecord, EdrStatus};
pub use organisations::{EdrSync, Refresh, refresh_organisation, sync_organisations};
