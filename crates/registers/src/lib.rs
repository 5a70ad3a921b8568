//! Connectors to the state registers DREAM reads from. Each register gets a module with its
//! identifiers, the mapping of its records into DREAM's terms (pure functions, tested on
//! recorded responses), a client that takes its base address from configuration, and a sync
//! that writes what changed as revisions authored by the register.
//!
//! - [`prozorro`]: public procurement (tenders, contracts, plans);
//! - [`edr`]: the Unified State Register of legal entities (organisations' legal names);
//! - [`rddp`]: the Register of Damaged and Destroyed Property (objects' damage records);
//! - [`treasury`]: treasury payments (projects' transactions and paid totals);
//! - [`http`]: what every connector shares: configuration, timeouts, retries, pace, errors;
//! - [`json`], [`conflicts`], [`runs`]: reading bodies, the rule where a register meets a
//!   value a person entered, and the sync log, shared by the EDR, RDDP and treasury.
//!
//! None of the registers can be reached from the machines this is built on, so every client
//! is tested against a local fake that serves recorded data (feature `fake`).

pub mod conflicts;
pub mod edr;
#[cfg(feature = "fake")]
pub mod fake;
pub mod http;
pub mod json;
pub mod prozorro;
pub mod rddp;
pub mod runs;
pub mod treasury;

pub use http::{ConfigError, RegisterConfig, RegisterError};
