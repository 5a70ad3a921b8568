//! Connectors to the state registers DREAM reads from. Each register gets a module with its
//! identifiers, the mapping of its records into DREAM's terms (pure functions, tested on
//! recorded responses), a client that takes its base address from configuration, and a sync
//! that reports what changed without writing anything itself.
//!
//! - [`prozorro`]: public procurement (tenders, contracts, plans);
//! - [`http`]: what every connector shares: configuration, timeouts, retries, pace, errors.
//!
//! None of the registers can be reached from the machines this is built on, so every client
//! is tested against a local fake that serves recorded data (feature `fake`).

pub mod http;
pub mod prozorro;

pub use http::{ConfigError, RegisterConfig, RegisterError};
