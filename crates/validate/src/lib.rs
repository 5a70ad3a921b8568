//! Our own OC4IDS validator.
