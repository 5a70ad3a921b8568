//! The RDDP connector: the Register of Damaged and Destroyed Property, which holds the
//! damage category, damage date, address and inspection act of each damaged property. An
//! object (the asset a project restores) is linked to its damage record by the record's id.
//!
//! - [`ids`]: the record id a person types, checked;
//! - [`mapping`]: every field read from the register and what it becomes (pure, no I/O);
//! - [`client`]: the HTTP client, with the retry and pace policy of [`crate::http`];
//! - [`objects`]: linking objects and bringing their records in, with conflicts kept for a
//!   person where the register disagrees with what a person entered;
//! - `fake` (feature `fake`): a local stand-in for the register.

pub mod client;
#[cfg(feature = "fake")]
pub mod fake;
pub mod ids;
pub mod mapping;
pub mod objects;

pub use client::{PUBLIC_API, RddpClient};
pub use ids::{DamageIdError, DamageRecordId};
pub use mapping::{DamageCategory, DamageRecord, InspectionAct};
pub use objects::{RddpSync, link, sync_objects};
