//! Connectors to the state registers.
